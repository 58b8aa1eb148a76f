"""Request context for the audit log: a request id and the client address, available to services
through cases.audit without passing the request down every layer."""

import contextvars
import time
import uuid

_request_id: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="")
_client_ip: contextvars.ContextVar[str] = contextvars.ContextVar("client_ip", default="")


def current_request_id() -> str:
    return _request_id.get()


def current_client_ip() -> str:
    return _client_ip.get()


def client_ip(request) -> str:
    """The client's address as the audit trail and django-axes (AXES_CLIENT_IP_CALLABLE) both see it:
    through settings.TRUSTED_PROXY_COUNT reverse proxies (cases.rules.client_address)."""
    from django.conf import settings

    from .rules import client_address

    return client_address(
        remote_addr=request.META.get("REMOTE_ADDR", ""),
        forwarded_for=request.META.get("HTTP_X_FORWARDED_FOR", ""),
        trusted_proxies=settings.TRUSTED_PROXY_COUNT,
    )


class RequestContextMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request_id = uuid.uuid4().hex
        # Also on the request: Django logs a response of 400 or more (django.request) after every
        # middleware has returned, so the log filter (cases.log_context) finds them there.
        request.request_id, request.client_ip = request_id, client_ip(request)
        tokens = (_request_id.set(request_id), _client_ip.set(request.client_ip))
        try:
            response = self.get_response(request)
        finally:
            _request_id.reset(tokens[0])
            _client_ip.reset(tokens[1])
        response["X-Request-ID"] = request_id
        return response


class SecondFactorMiddleware:
    """Users holding a role listed in settings.OTP_REQUIRED_ROLES must confirm a one-time password
    (django-otp TOTP) before any page but the second-factor page itself, logout and static files."""

    EXEMPT_PREFIXES = ("/otp/", "/logout/", "/login/", "/static/", "/i18n/")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.conf import settings
        from django.shortcuts import redirect
        from django.utils.http import urlencode

        from .roles import roles_of

        required = set(settings.OTP_REQUIRED_ROLES)
        user = getattr(request, "user", None)
        if (
            required
            and user is not None
            and user.is_authenticated
            and required & roles_of(user)
            and not user.is_verified()
            and not request.path.startswith(self.EXEMPT_PREFIXES)
        ):
            return redirect(f"/otp/?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)


class SessionIdleRefreshMiddleware:
    """The 30-minute idle timeout (SESSION_COOKIE_AGE, counted from the last request) without a
    session write on every request: the session is saved, and its expiry moved on, when more than
    REFRESH_SECONDS passed since the last save. A session therefore ends between 29 and 30 minutes
    after the last request, and a page costs three statements fewer (BEGIN, UPDATE, COMMIT)."""

    REFRESH_SECONDS = 60
    KEY = "_refreshed_at"

    def __init__(self, get_response):
        self.get_response = get_response

    @classmethod
    def mark_fresh(cls, sender, request, user, **kwargs) -> None:
        """On login (user_logged_in): the new session is saved with a full expiry just after."""
        session = getattr(request, "session", None)
        if session is not None:
            session[cls.KEY] = int(time.time())

    def __call__(self, request):
        session = getattr(request, "session", None)
        if session is not None and session.session_key is not None:
            now = int(time.time())
            if now - session.get(self.KEY, 0) >= self.REFRESH_SECONDS:
                session[self.KEY] = now  # marks the session modified: SessionMiddleware saves it
        return self.get_response(request)


class NoStoreMiddleware:
    """Record content must not stay in a browser's or a proxy's cache (issue 17 §6): every response to
    a signed-in user, and every file download (FileResponse), says ``Cache-Control: no-store`` (with
    Django's never-cache set: no-cache, must-revalidate, private, max-age=0, Expires now). Static files
    are left cacheable: they hold no record content. A page not kept also makes the back button fetch
    a form anew, with a fresh submission key (cases.idempotency)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.conf import settings
        from django.http import FileResponse
        from django.utils.cache import add_never_cache_headers

        response = self.get_response(request)
        if settings.STATIC_URL and request.path.startswith(settings.STATIC_URL):
            return response
        user = getattr(request, "user", None)
        if isinstance(response, FileResponse) or (user is not None and user.is_authenticated):
            add_never_cache_headers(response)
        return response
