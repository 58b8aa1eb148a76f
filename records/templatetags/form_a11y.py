"""Template helpers for accessible forms: the error summary at the top of a page."""

from django import template

register = template.Library()


@register.filter
def field_errors(form) -> list[tuple[object, str]]:
    """(bound field, message) for every error attached to a field, in the form's order."""
    errors = getattr(form, "errors", None)
    if not errors:
        return []
    return [(field, message) for field in form if field.name in errors for message in field.errors]
