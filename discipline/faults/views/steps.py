"""The step forms of the fault, tolerance and petition pages: each detail page posts one small form with an
``action`` field; ``run_posted_step`` validates it and runs the matching service."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from discipline.common.http import error_text


def run_posted_step(request, steps, handler, obj, redirect_to):
    """Run the posted step; on error return the bound forms to show again (input kept)."""
    action = request.POST.get("action", "")
    bound = {}
    if action not in steps:
        messages.error(request, _("无效的操作。"))
        return None, bound
    form = steps[action](request.POST, request.FILES) if not hasattr(steps[action], "make") else steps[action].make(request)
    bound[action] = form
    if form.is_valid():
        try:
            messages.success(request, handler(action, obj, form.cleaned_data, request.user))
        except ValidationError as error:
            form.add_error(None, error_text(error))
            messages.error(request, error_text(error))
        else:
            return redirect_to, bound
    else:
        messages.error(request, _("请检查填写的内容。"))
    return None, bound
