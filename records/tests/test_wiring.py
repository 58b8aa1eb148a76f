"""How records is wired to the apps around it (issue 18): the hooks the apps above records fill in
AppConfig.ready(), the sweep's steps in their old order, the Celery task names the beat schedule and
queued messages use, and the module layout (no top-level module over 400 lines, no prefix families)."""

import re
from pathlib import Path

from django.conf import settings
from django.core.files.storage import storages

from cases.audit import content_verifiers
from cases.storage import PrivateStorage
from interference_registry.celery import app
from records.hooks import record_submitted, recorder_panels
from records.notifications.sweep import sweep_steps

RECORDS = Path(__file__).resolve().parents[1]


def test_the_sweep_runs_records_steps_then_disciplines_in_the_old_order():
    assert sweep_steps.names() == [
        "recomputed", "record_notices", "digests", "calendar_warnings", "zero_report_reminders", "fault_reminders", "campaign_reminders",
    ]  # fmt: skip


def test_discipline_fills_the_hooks_records_offers():
    assert [fn.__name__ for fn in record_submitted] == ["record_route"]
    assert [fn.__name__ for fn in recorder_panels] == ["recorder_complaints_panel"]
    # records' own content check first, then discipline's.
    assert [fn.__name__ for fn in content_verifiers] == ["verify_content", "verify_discipline_content", "verify_tolerance_evidence"]


def test_scheduled_tasks_keep_their_names():
    app.loader.import_default_modules()
    scheduled = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert scheduled <= set(app.tasks)
    assert "records.tasks.sweep" in app.tasks


def test_private_storages_use_one_class():
    assert isinstance(storages["evidence"], PrivateStorage)
    assert storages["evidence"].folder == "evidence"


def _modules():
    return [p for p in RECORDS.rglob("*.py") if not {"tests", "migrations"} & set(p.relative_to(RECORDS).parts)]


def test_records_top_level_is_entry_points_only():
    assert sorted(p.stem for p in RECORDS.glob("*.py")) == ["__init__", "admin", "apps", "hooks", "models", "tasks", "urls"]
    assert [str(p.relative_to(RECORDS)) for p in _modules() if len(p.read_text(encoding="utf-8").splitlines()) > 400] == []
    # A module is named for what it holds inside its subdomain's package, never by a family prefix.
    prefixed = [str(p.relative_to(RECORDS)) for p in _modules() if re.match(r"^(views|urls|forms|models|services|zero_report)_", p.stem)]
    assert prefixed == []


def test_no_records_module_imports_discipline():
    offenders = [
        str(p.relative_to(RECORDS))
        for p in _modules()
        if re.search(r"^\s*(from|import) discipline\b", p.read_text(encoding="utf-8"), re.MULTILINE)
    ]
    assert offenders == []
