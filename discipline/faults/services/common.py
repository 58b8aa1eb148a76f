"""Checks shared by the fault, tolerance and petition services (002, 004)."""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.translation import gettext as _


def require_value(value, label: str, errors: list) -> None:
    if value is None or (isinstance(value, str) and not value.strip()):
        errors.append(_("请填写%(label)s。") % {"label": label})


def catalogue_keys(keys: Iterable[str], catalogue: dict, label: str, errors: list) -> list[str]:
    """The chosen keys in catalogue order; an unknown key is an error."""
    keys = list(dict.fromkeys(keys))
    if set(keys) - set(catalogue):
        errors.append(_("%(label)s中有无效的选项。") % {"label": label})
    return [k for k in catalogue if k in keys]


def lock_row(model, pk):
    return model.objects.select_for_update(of=("self",)).get(pk=pk)
