"""Hooks of the review package: the packages above it (reports) act on review's changes without review
importing them. Filled in ``DisciplineConfig.ready()``."""

from __future__ import annotations

from collections.abc import Callable


class Hook:
    """Ordered listeners; registering the same function twice keeps one entry. ``run`` calls them
    synchronously, in the caller's transaction."""

    def __init__(self) -> None:
        self._listeners: list[Callable[..., object]] = []

    def register(self, listener: Callable[..., object]) -> Callable[..., object]:
        if listener not in self._listeners:
            self._listeners.append(listener)
        return listener

    def __iter__(self):
        return iter(list(self._listeners))

    def run(self, **kwargs) -> None:
        for listener in self._listeners:
            listener(**kwargs)


# A change that can alter what the figure cells count for `record` (R-ROUTE routing, review steps,
# sanctions): reports registers ``reports.figures.cells.refresh_record``. Run inside the service's
# transaction, so the cells change with the data they count.
counted_record_changed = Hook()
