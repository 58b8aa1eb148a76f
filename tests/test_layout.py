"""The layout of issue 18: one package per subdomain, so the top level of `records` and `discipline`
holds only Django/Celery entry points (apps, models aggregator, urls, admin, tasks), each short, and
no family of prefix-named modules (`fault_*.py`, `campaign_*.py`, ...) that stands in for a package."""

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
APPS = ("records", "discipline")
MAX_LINES = 400
# A module named like one of these, twice or more at an app's top level, is a subpackage in disguise.
PREFIXES = ("fault_", "campaign_", "accountability_", "report_", "models_", "urls_", "views_", "forms_", "zero_report")


def top_level_modules(app: str) -> list[str]:
    """Module names directly under the app: `name.py` files and packages (folders with __init__.py)."""
    folder = ROOT / app
    names = [path.stem for path in folder.glob("*.py")]
    names += [path.parent.name for path in folder.glob("*/__init__.py")]
    return sorted(names)


def prefix_families(names: list[str]) -> dict[str, list[str]]:
    """Prefix → the modules of that family, for families of two or more. `fault` belongs to the
    `fault_` family like `fault_views`; `models` to `models_`."""
    families = {}
    for prefix in PREFIXES:
        stem = prefix.rstrip("_")
        members = [name for name in names if name == stem or name.startswith(prefix)]
        if len(members) >= 2:
            families[prefix] = members
    return families


def test_prefix_families_are_detected():
    # The detector itself, not marked: a family of two is found, loners are not.
    assert prefix_families(["fault", "fault_views", "models", "urls", "reports"]) == {"fault_": ["fault", "fault_views"]}
    assert prefix_families(["zero_report_rules", "zero_reports"]) == {"zero_report": ["zero_report_rules", "zero_reports"]}


@pytest.mark.parametrize("app", APPS)
def test_top_level_modules_are_short(app):
    modules = sorted((ROOT / app).glob("*.py"))
    assert modules, f"no modules found under {app}/"
    too_long = {path.name: n for path in modules if (n := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES}
    assert too_long == {}


@pytest.mark.parametrize("app", APPS)
def test_no_prefix_families_at_top_level(app):
    names = top_level_modules(app)
    assert "models" in names  # the listing found the app
    assert prefix_families(names) == {}
