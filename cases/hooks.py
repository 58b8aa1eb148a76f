"""Hooks: how a lower app lets an upper one act without importing it.

Dependencies point one way (cases <- records <- discipline). Where a lower app must call into a
higher one (route a submitted record, run a reminder step, verify content the chain vouches for), it
offers a hook here and the higher app fills it in its ``AppConfig.ready()``. Registration is
idempotent, because ``ready()`` may run more than once (tests, management commands).
"""

from collections.abc import Callable, Iterator
from typing import Any


class Hook:
    """An ordered list of callables, run in registration order."""

    def __init__(self, name: str):
        self.name = name
        self._callables: list[Callable[..., Any]] = []

    def register(self, fn: Callable[..., Any]) -> Callable[..., Any]:
        """Add `fn` once (a second registration of the same callable is ignored); usable as a decorator."""
        if fn not in self._callables:
            self._callables.append(fn)
        return fn

    def __iter__(self) -> Iterator[Callable[..., Any]]:
        return iter(list(self._callables))

    def __len__(self) -> int:
        return len(self._callables)

    def run(self, **kwargs) -> list[Any]:
        """Call every registered callable with `kwargs`; their results in registration order."""
        return [fn(**kwargs) for fn in self]

    def __repr__(self) -> str:
        return f"<Hook {self.name}: {len(self)}>"


class NamedSteps:
    """Ordered named steps (e.g. the reminder sweep's): each name once, run in registration order."""

    def __init__(self, name: str):
        self.name = name
        self._steps: dict[str, Callable[..., Any]] = {}

    def register(self, step_name: str, fn: Callable[..., Any]) -> Callable[..., Any]:
        """Add `fn` under `step_name`. Registering the same callable again is ignored; another
        callable under a name already taken is a wiring error."""
        present = self._steps.get(step_name)
        if present is not None and present is not fn:
            raise ValueError(f"{self.name}: step {step_name!r} is already registered to {present!r}")
        self._steps[step_name] = fn
        return fn

    def items(self) -> list[tuple[str, Callable[..., Any]]]:
        return list(self._steps.items())

    def names(self) -> list[str]:
        return list(self._steps)

    def __repr__(self) -> str:
        return f"<NamedSteps {self.name}: {', '.join(self._steps)}>"
