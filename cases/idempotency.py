"""A form is accepted once (issue 17 §6): a double-click or a resent POST does not create a second
draft, amendment, complaint, case or report.

Every state-changing form carries a fresh random key (``{% submission_key %}``, a hidden input, one
key per rendering). A POST handler decorated with ``submit_once`` claims its key by inserting a
``FormSubmission`` row inside one transaction that also wraps the handler, hence the service it
calls: the service stays the writer, and the key is only kept when the handler says the submission
was accepted (``accepted(redirect(...))``), together with the address of the result. A repeat of a
kept key does nothing and leads to the first submission's result.

Concurrent double-clicks: the key is unique, so on PostgreSQL the second INSERT waits for the first
transaction and then fails (IntegrityError, caught in a savepoint); by then the first result is
committed and the repeat is sent to it. A handler that does not accept (form errors, a refusal)
releases its key in the same transaction, so a waiting repeat then runs as a first submission.

A POST without a key (a page opened before this was deployed, or a client that is not a browser) is
handled as before, without protection against repeats: refusing it would lose what the user typed,
and the key guards against duplicates, not against forgery (CSRF does that).
"""

from __future__ import annotations

import functools
import re
import secrets

from django import template
from django.contrib import messages
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _

from .models import FormSubmission

FIELD = "submission_key"
# What new_key() makes; anything else posted under FIELD is ignored (handled as no key).
KEY_PATTERN = re.compile(r"[0-9a-f]{32}")
_ACCEPTED = "_submission_accepted"

register = template.Library()


def new_key() -> str:
    return secrets.token_hex(16)


@register.simple_tag
def submission_key() -> str:
    """The hidden input carrying a fresh key; put it inside each state-changing <form>."""
    return format_html('<input type="hidden" name="{}" value="{}">', FIELD, new_key())


def accepted(response: HttpResponse) -> HttpResponse:
    """Mark the redirect a handler returns after the service succeeded: the key is kept, and a
    repeat of it is sent to this response's Location."""
    setattr(response, _ACCEPTED, True)
    return response


def _repeat(request: HttpRequest, key: str) -> HttpResponse:
    first = FormSubmission.objects.filter(key=key).only("user_id", "result_url").first()
    if first is None or first.user_id != request.user.pk or not first.result_url:
        messages.error(request, _("该表单已失效，请重新打开页面填写后提交。"))
        return redirect("home")
    messages.info(request, _("该表单已经提交过，未重复提交；以下是第一次提交的结果。"))
    return redirect(first.result_url)


def submit_once(view):
    """Decorate a POST handler (inside its login/role decorators) so that a repeated key is a no-op."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        key = request.POST.get(FIELD, "") if request.method == "POST" else ""
        if not KEY_PATTERN.fullmatch(key) or not request.user.is_authenticated:
            return view(request, *args, **kwargs)
        with transaction.atomic():
            try:
                with transaction.atomic():  # a savepoint: the outer transaction survives a repeat
                    claim = FormSubmission.objects.create(key=key, user=request.user, submitted_at=timezone.now())
            except IntegrityError:
                return _repeat(request, key)
            response = view(request, *args, **kwargs)
            if getattr(response, _ACCEPTED, False) and response.has_header("Location"):
                claim.result_url = response["Location"][: FormSubmission._meta.get_field("result_url").max_length]
                claim.save(update_fields=["result_url"])
            else:
                claim.delete()
        return response

    # Read by tests that check every form posting here carries a key (functools.wraps in the outer
    # decorators copies it onto the view the URL resolves to).
    wrapper.submits_once = True
    return wrapper
