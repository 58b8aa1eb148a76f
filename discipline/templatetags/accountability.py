"""Template tags that put accountability items on existing discipline pages (inbox, dashboard,
integrity file) without those views knowing about them. Each tag reads a fixed number of queries."""

from django import template

from discipline.accountability.access import alerts_visible_to, complaints_visible_to, failures_visible_to

register = template.Library()


@register.inclusion_tag("discipline/_accountability_banner.html", takes_context=True)
def accountability_banner(context):
    """Open retaliation alerts and complaints of the reader's bodies: they stay on the inbox and the
    dashboard until concluded (R-PROTECT)."""
    user = context["request"].user
    return {
        "alerts": alerts_visible_to(user).filter(reviewed_at__isnull=True).count(),
        "complaints": complaints_visible_to(user).filter(concluded_at__isnull=True).count(),
    }


@register.inclusion_tag("discipline/_failure_history.html", takes_context=True)
def failure_history(context, person):
    """R-FILE (000 第十二条; 002 第十一条): a person's confirmed failures to record, the ones they
    instigated as supervisor, and personnel actions against them that raised an alert."""
    user = context["request"].user
    visible = failures_visible_to(user)
    return {
        "failures": list(visible.filter(officer=person).select_related("officer_sanction").order_by("ordinal")),
        "instigated": list(visible.filter(supervisor=person).select_related("officer", "supervisor_sanction").order_by("confirmed_on", "pk")),
        "actions": list(alerts_visible_to(user).filter(action__person=person).select_related("action").order_by("raised_at")),
    }
