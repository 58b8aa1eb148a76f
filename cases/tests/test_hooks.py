"""cases.hooks (how a lower app lets an upper one act) and cases.storage.PrivateStorage."""

from pathlib import Path

import pytest

from cases.hooks import Hook, NamedSteps
from cases.storage import PrivateStorage


def test_hook_runs_in_registration_order_once_per_callable():
    hook = Hook("test")
    calls = []

    def first(**kwargs):
        calls.append(("first", kwargs))
        return 1

    def second(**kwargs):
        calls.append(("second", kwargs))
        return 2

    hook.register(first)
    hook.register(second)
    hook.register(first)  # ready() may run twice
    assert hook.run(x=5) == [1, 2]
    assert calls == [("first", {"x": 5}), ("second", {"x": 5})]
    assert list(hook) == [first, second]


def test_named_steps_keep_order_and_refuse_a_second_callable_under_a_taken_name():
    steps = NamedSteps("test")

    def a(**kwargs):
        return "a"

    def b(**kwargs):
        return "b"

    steps.register("one", a)
    steps.register("two", b)
    steps.register("one", a)  # the same wiring again is harmless
    assert steps.names() == ["one", "two"]
    assert [fn() for _name, fn in steps.items()] == ["a", "b"]
    with pytest.raises(ValueError, match="one"):
        steps.register("one", b)


def test_private_storage_lives_below_the_private_root_and_has_no_url(settings, tmp_path):
    settings.PRIVATE_STORAGE_ROOT = tmp_path
    storage = PrivateStorage(folder="evidence")
    assert Path(storage.location) == tmp_path / "evidence"
    with pytest.raises(ValueError, match="no public URL"):
        storage.url("ab/abcdef")
