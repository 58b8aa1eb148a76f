"""How a calling system is recognised, what it may do at all, and how often.

A request carries ``Authorization: Api-Key <key>``. Nothing else authenticates an API call: a signed-in
page session opens no endpoint, and a key opens no page (the system's account is inactive and has no
password, so it can never sign in)."""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.permissions import BasePermission
from rest_framework.throttling import SimpleRateThrottle

from cases.models import ApiKey

from .selectors import usable_key

KEYWORD = "Api-Key"


class ApiKeyAuthentication(BaseAuthentication):
    """``Authorization: Api-Key <key>`` → (the system's account, its key)."""

    def authenticate(self, request):
        header = get_authorization_header(request).decode("latin-1").strip()
        if not header:
            return None
        scheme, _space, raw_key = header.partition(" ")
        if scheme.lower() != KEYWORD.lower() or not raw_key.strip():
            raise exceptions.AuthenticationFailed(_("请在 Authorization 请求头中提供接入系统的密钥，格式为“Api-Key <密钥>”。"))
        key = usable_key(raw_key.strip())
        if key is None:
            raise exceptions.AuthenticationFailed(_("接口密钥无效、已过期或已被吊销。"))
        return key.system.account, key

    def authenticate_header(self, request) -> str:
        # Makes a refusal a 401 with WWW-Authenticate, not a 403.
        return f'{KEYWORD} realm="api"'


class IsCallingSystem(BasePermission):
    """Only a request authenticated by a system's key."""

    message = _("请使用接入系统的密钥调用接口。")

    def has_permission(self, request, view) -> bool:
        return isinstance(request.auth, ApiKey)


class SystemRateThrottle(SimpleRateThrottle):
    """``API_RATE`` calls per system, whatever key it uses; unauthenticated calls by client address."""

    scope = "system"

    def get_rate(self) -> str:
        # Read at each request (DRF binds its rates at import), so a changed setting takes effect.
        return settings.API_RATE

    def get_cache_key(self, request, view) -> str:
        if isinstance(request.auth, ApiKey):
            ident = f"system-{request.auth.system_id}"
        else:
            ident = f"address-{self.get_ident(request)}"
        return self.cache_format % {"scope": self.scope, "ident": ident}


class ApiKeyScheme(OpenApiAuthenticationExtension):
    """How the schema tells callers to authenticate (drf-spectacular)."""

    target_class = ApiKeyAuthentication
    name = "ApiKey"

    def get_security_definition(self, auto_schema):
        return {"type": "apiKey", "in": "header", "name": "Authorization", "description": f"{KEYWORD} <密钥>"}
