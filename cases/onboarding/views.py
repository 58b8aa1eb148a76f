"""批量导入 (issue 21), for administrators: upload, a dry run's preview, confirm. Thin: the import is
``services.org_import``. The uploaded files wait between preview and confirmation in private storage
under a one-time token bound to the uploader, so the import confirmed is the file previewed."""

from __future__ import annotations

import hashlib
import json
import secrets
from pathlib import PurePath

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from cases.decorators import role_required
from cases.onboarding import services
from cases.onboarding.forms import ImportForm
from cases.onboarding.resources import LABELS, RESOURCES
from cases.roles import Role
from cases.storage import PrivateStorage

TOKEN_BYTES = 16


def _storage() -> PrivateStorage:
    return PrivateStorage("imports")


def _keep(files: dict[str, tuple[str, bytes]], user) -> str:
    """Store the uploaded files for confirmation; returns their token."""
    token = secrets.token_hex(TOKEN_BYTES)
    storage = _storage()
    manifest = {"user": user.pk, "files": {}}
    for kind, (name, content) in files.items():
        stored = f"{token}/{kind}{PurePath(name).suffix.lower()}"
        storage.save(stored, ContentFile(content))
        manifest["files"][kind] = {"name": name, "path": stored, "sha256": hashlib.sha256(content).hexdigest()}
    storage.save(f"{token}/manifest.json", ContentFile(json.dumps(manifest).encode()))
    return token


def _kept(token: str, user) -> dict[str, tuple[str, bytes]]:
    """The files kept under ``token`` for ``user``; Http404 for another user's, a used or a forged token."""
    if len(token) != TOKEN_BYTES * 2 or not all(c in "0123456789abcdef" for c in token):
        raise Http404
    storage = _storage()
    try:
        with storage.open(f"{token}/manifest.json") as handle:
            manifest = json.load(handle)
    except (FileNotFoundError, OSError, ValueError):
        raise Http404 from None
    if manifest["user"] != user.pk:
        raise Http404
    files = {}
    for kind, entry in manifest["files"].items():
        with storage.open(entry["path"]) as handle:
            files[kind] = (entry["name"], handle.read())
    return files


def _forget(token: str) -> None:
    storage = _storage()
    _folders, names = storage.listdir(token)
    for name in names:
        storage.delete(f"{token}/{name}")


@role_required(Role.ADMIN)
@require_http_methods(["GET", "POST"])
def index(request: HttpRequest) -> HttpResponse:
    """Upload the files; a dry run shows what would change and every row's problems."""
    posted = request.method == "POST"
    form = ImportForm(request.POST if posted else None, request.FILES if posted else None)
    if posted and form.is_valid():
        files = {kind: (form.cleaned_data[kind].name, form.cleaned_data[kind].read()) for kind in RESOURCES if form.cleaned_data.get(kind)}
        try:
            result = services.org_import(files=files, dry_run=True, actor=request.user)
        except ValidationError as error:
            form.add_error(None, "；".join(error.messages))
        else:
            token = _keep(files, request.user) if result.ok else ""
            return render(request, "cases/onboarding_preview.html", {"result": result, "token": token})
    return render(request, "cases/onboarding.html", {"form": form, "kinds": [(kind, LABELS[kind]) for kind in RESOURCES]})


@role_required(Role.ADMIN)
@require_POST
def confirm(request: HttpRequest) -> HttpResponse:
    """Import the previewed files, all or nothing."""
    token = request.POST.get("token", "")
    try:
        files = _kept(token, request.user)
    except Http404:
        messages.error(request, _("导入已完成或已失效，请重新上传文件。"))
        return redirect("onboarding:index")
    try:
        result = services.org_import(files=files, dry_run=False, actor=request.user)
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
        return redirect("onboarding:index")
    _forget(token)
    if not result.ok:  # the data changed between preview and confirmation
        return render(request, "cases/onboarding_preview.html", {"result": result, "token": ""})
    summary = "；".join(f"{t.label}新增{t.new}、更新{t.updated}、未变{t.unchanged}" for t in result.tables)
    messages.success(request, _("已导入：%(summary)s。") % {"summary": summary})
    return redirect("onboarding:index")


@role_required(Role.ADMIN)
def template(request: HttpRequest, filename: str) -> HttpResponse:
    """The empty template of a table (``units.xlsx``, ``cases.csv``…), headed in Chinese."""
    kind, _dot, fmt = filename.partition(".")
    if kind not in RESOURCES or fmt not in ("xlsx", "csv"):
        raise Http404
    dataset = services.template_dataset(kind)
    if fmt == "csv":
        # With a BOM, so that Excel in China opens it as UTF-8.
        response = HttpResponse("\ufeff" + dataset.export("csv"), content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(dataset.export("xlsx"), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="import-{kind}.{fmt}"'
    return response
