"""Production settings: the embedded defaults plus TLS-only cookies, HSTS and HTTPS redirects.

    DJANGO_SETTINGS_MODULE=interference_registry.settings_production SECRET_KEY=... \\
        python manage.py check --deploy --fail-level WARNING
"""

from .log_config import logging_config
from .settings import *  # noqa: F403
from .settings import TRUSTED_PROXY_COUNT, env

DEBUG = False
SECRET_KEY = env("SECRET_KEY")  # required: no default in production
ACCOUNT_SUPERUSER_EDITABLE = False
SUPERUSERS_ALLOWED = False  # but the BREAK_GLASS_USERNAME account (cases.checks)
# A key source must be configured (FIELD_ENCRYPTION_KEY_FILE, _KEYS or _KEY_PROVIDER; check registry.E030).
FIELD_ENCRYPTION_DEV_KEY = False
# The audit chain's sealing key comes from the deployment (AUDIT_SEAL_KEY or AUDIT_SEAL_KEY_FILE outside
# the private storage), never generated beside what it seals (cases.checks refuses to start without it).
AUDIT_SEAL_KEY_GENERATE = False
# Documents are signed with the deployment's own key file (DOCUMENT_SIGNING_KEY_FILE), never a generated one.
DOCUMENT_SIGNING_KEY_GENERATE = False
# The second factor is on by default for the three administrators and discipline staff (等保 2.0
# level 3, 8.1.4.1 d: two or more authentication techniques); OTP_REQUIRED_ROLES= (empty) turns it off.
OTP_REQUIRED_ROLES = env.list("OTP_REQUIRED_ROLES", default=["admin", "security_admin", "auditor", "discipline"])
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)
# One JSON object a line on standard error, for journald and whatever collects it.
LOG_FORMAT = env("LOG_FORMAT", default="json")
LOGGING = logging_config(log_format=LOG_FORMAT, level=env("LOG_LEVEL", default="INFO"))
if TRUSTED_PROXY_COUNT >= 1:
    # Behind the intranet's TLS-terminating proxy (TRUSTED_PROXY_COUNT, set by the deployment): it
    # says whether the client came over HTTPS. The Host header is the client's, never the proxy's
    # X-Forwarded-Host.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    USE_X_FORWARDED_HOST = False
# A load balancer or monitor may ask for health over plain HTTP, straight at the application.
SECURE_REDIRECT_EXEMPT = [r"^health/"]
