"""Issue 18: one module per state machine. A record's own states (draft → submitted) are written by
records.record.services alone; the discipline side's (received, verified, handled, closed) by
discipline.review.states alone, called only from discipline.review.services. Read from the source
(AST): any other assignment of ``.status`` or ``status=`` write that is not visibly another model's
status fails here."""

import ast
from pathlib import Path

import pytest
from django.conf import settings

from discipline.review.states import DISCIPLINE_STATES, TRANSITIONS, Status, record_status_advance
from records.models import InterferenceRecord

ROOTS = ("cases", "records", "discipline", "interference_registry")
WRITE_CALLS = {"update", "create", "update_or_create", "get_or_create", "InterferenceRecord"}


def _modules():
    base = Path(settings.BASE_DIR)
    for root in ROOTS:
        for path in sorted((base / root).rglob("*.py")):
            if not {"tests", "migrations"} & set(path.parts):
                yield path.relative_to(base).as_posix(), ast.parse(path.read_text())


def _status_writes(tree):
    """(line, value) of every ``<x>.status = value`` and every ``status=value`` given to a write call."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign | ast.AnnAssign | ast.AugAssign):
            for target in node.targets if isinstance(node, ast.Assign) else [node.target]:
                if isinstance(target, ast.Tuple) and isinstance(node.value, ast.Tuple):
                    pairs = zip(target.elts, node.value.elts, strict=False)
                else:
                    pairs = [(target, node.value)]
                yield from ((node.lineno, value) for t, value in pairs if isinstance(t, ast.Attribute) and t.attr == "status")
        elif isinstance(node, ast.Call):
            name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
            if name in WRITE_CALLS:
                yield from ((node.lineno, kw.value) for kw in node.keywords if kw.arg == "status")


def _another_models_status(value) -> bool:
    """True when `value` names only ``<Model>.Status.<X>`` of models other than the record."""
    owners = {
        node.value.value.id
        for node in ast.walk(value)
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Attribute) and node.value.attr == "Status"
        and isinstance(node.value.value, ast.Name)
    }
    return bool(owners) and "InterferenceRecord" not in owners


def test_each_side_of_the_records_states_is_written_in_one_module():
    record_writes = set()
    scanned = 0
    for path, tree in _modules():
        scanned += 1
        record_writes |= {(path, ast.unparse(value)) for _line, value in _status_writes(tree) if not _another_models_status(value)}
    assert scanned > 100
    assert record_writes == {
        ("records/record/services.py", "InterferenceRecord.Status.SUBMITTED"),
        ("discipline/review/states.py", "status"),
    }


def test_only_reviews_services_move_a_record_through_the_discipline_states():
    callers = set()
    for path, tree in _modules():
        for node in ast.walk(tree):
            if isinstance(node, ast.Call):
                name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
                if name == "record_status_advance":
                    callers.add(path)
    assert callers == {"discipline/review/services.py"}


def test_the_discipline_machine_moves_only_into_its_own_states():
    targets = set().union(*TRANSITIONS.values())
    assert targets == DISCIPLINE_STATES
    assert DISCIPLINE_STATES | {Status.DRAFT, Status.SUBMITTED} == set(InterferenceRecord.Status.values)
    assert Status.DRAFT not in TRANSITIONS


@pytest.mark.parametrize(
    ("current", "to"),
    [(Status.DRAFT, Status.RECEIVED), (Status.SUBMITTED, Status.CLOSED), (Status.RECEIVED, Status.HANDLED), (Status.CLOSED, Status.RECEIVED),
     (Status.VERIFIED, Status.SUBMITTED)],
)
def test_a_move_the_machine_does_not_allow_is_refused_before_anything_is_saved(current, to):
    record = InterferenceRecord(pk=1, status=current)
    with pytest.raises(ValueError, match="no transition"):
        record_status_advance(record, to)
    assert record.status == current
