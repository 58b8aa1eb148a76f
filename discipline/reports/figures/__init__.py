"""Figure cells (issue 10): the counts of submitted records per recorder unit, month and dimension that the
dashboard and the reports read instead of every record of a period.

``rules`` (pure: what a counted record contributes, period plans), ``facts`` (the counted records read from
the database), ``cells`` (keeping the cells true inside each service's transaction), ``reading`` (the figures
of a scope and period), ``check`` (reconciliation and repair, run nightly and by ``manage.py figures_check``).
The names below are the package's public interface."""

from discipline.reports.figures.cells import rebuild_cells, refresh_cells, refresh_person, refresh_record
from discipline.reports.figures.check import check_cells, figures_check, figures_rebuild
from discipline.reports.figures.facts import facts
from discipline.reports.figures.reading import FigureScope, discipline_scope, read_figures, system_scope
from discipline.reports.figures.rules import Fact, PeriodPlan, fact_cells, month_of, plan_period

__all__ = [
    "Fact",
    "FigureScope",
    "PeriodPlan",
    "check_cells",
    "discipline_scope",
    "fact_cells",
    "facts",
    "figures_check",
    "figures_rebuild",
    "month_of",
    "plan_period",
    "read_figures",
    "rebuild_cells",
    "refresh_cells",
    "refresh_person",
    "refresh_record",
    "system_scope",
]
