"""What every endpoint shares: errors as JSON with Chinese messages and field paths, and one audit
event per call (system, key, endpoint, object, status), written like a page view's."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import APIView, exception_handler

from cases.audit import audit
from cases.models import ApiKey

from .vocabulary import ApiEvent


def error_items(detail: Any, path: str = "") -> list[dict[str, str]]:
    """DRF's nested error detail as a flat list of {"field": path, "message": text}; the path names the
    field as the request wrote it, e.g. ``officers[1].number``; errors of the whole request have none."""
    if isinstance(detail, dict):
        items = []
        for name, value in detail.items():
            if name in ("non_field_errors", "detail"):
                items.extend(error_items(value, path))
            elif isinstance(name, int):  # an item of a list (DRF keys a list's errors by index)
                items.extend(error_items(value, f"{path}[{name}]"))
            else:
                items.extend(error_items(value, f"{path}.{name}" if path else str(name)))
        return items
    if isinstance(detail, list):
        if detail and all(isinstance(value, str) for value in detail):
            return [{"field": path, "message": str(value)} for value in detail]
        items = []
        for index, value in enumerate(detail):
            items.extend(error_items(value, f"{path}[{index}]"))
        return items
    return [{"field": path, "message": str(detail)}]


def api_exception_handler(exc: Exception, context: dict) -> Response | None:
    """Every refusal as ``{"detail": message, "errors": [{"field", "message"}]}`` in the request's
    language (Chinese unless asked otherwise). A service's ValidationError is a 400 like a serializer's."""
    if isinstance(exc, DjangoValidationError):
        detail = exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        exc = exceptions.ValidationError(detail)
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound(_("未找到该对象，或不在本系统的授权范围内。"))
    response = exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        items = error_items(response.data)
        response.data = {"detail": items[0]["message"] if len(items) == 1 else _("请求数据有误，请按 errors 中的字段修改后重试。"), "errors": items}
    else:
        detail = str(response.data.get("detail", "") if isinstance(response.data, dict) else response.data)
        field = getattr(exc, "field", "")
        response.data = {"detail": detail, "errors": [{"field": field, "message": detail}] if field else []}
    return response


class ApiView(APIView):
    """The base of every /api/v1/ endpoint. A view names what it read or changed in ``self.audited``
    (a model instance); the call is audited after the response is made, whatever its status."""

    audited = None

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        key = request.auth if isinstance(getattr(request, "auth", None), ApiKey) else None
        match = request.resolver_match
        with transaction.atomic():
            audit(
                type=ApiEvent.CALLED,
                actor=request.user if key is not None else None,
                obj=self.audited,
                data={
                    "system": key.system.code if key else "",
                    "key": key.prefix if key else "",
                    "endpoint": match.view_name if match else request.path,
                    "method": request.method,
                    "status": response.status_code,
                },
            )
        return response


def created(data: Any) -> Response:
    return Response(data, status=status.HTTP_201_CREATED)
