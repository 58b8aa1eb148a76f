"""Production settings: the embedded defaults plus TLS-only cookies, HSTS and HTTPS redirects.

    DJANGO_SETTINGS_MODULE=interference_registry.settings_production SECRET_KEY=... \\
        python manage.py check --deploy --fail-level WARNING
"""

from .settings import *  # noqa: F403
from .settings import env

DEBUG = False
SECRET_KEY = env("SECRET_KEY")  # required: no default in production
ACCOUNT_SUPERUSER_EDITABLE = False
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)
# Behind the intranet's TLS-terminating proxy.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
