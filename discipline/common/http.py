"""Small helpers shared by the discipline pages: a service's refusal on its form, paging."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest

PAGE_SIZE = 50


def error_text(error: ValidationError) -> str:
    """A service's refusal as one line in the user's language (Chinese list separator)."""
    return "；".join(error.messages)


def show_refusal(form, error: ValidationError) -> None:
    """A service's refusal on its form: errors the service names a field for go next to that field
    when the form has it, the rest at the top, in one line (``error_text``)."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error_text(error))
        return
    for field, messages in error.message_dict.items():
        form.add_error(field if field in form.fields else None, messages)


def page_of(request: HttpRequest, qs):
    return Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))


def query_without_page(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


def parse_pk(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise Http404 from None
