"""Settings, driven by environment variables (django-environ).

Embedded default: SQLite file, no Redis (Celery on kombu's filesystem transport), console e-mail.
Production/CI: DATABASE_URL=postgres://..., REDIS_URL=redis://...
"""

import os
from pathlib import Path

import environ
from django.utils.translation import gettext_lazy as _

from .log_config import logging_config

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env(
    DEBUG=(bool, False),
    ALLOWED_HOSTS=(list, ["127.0.0.1", "localhost", "testserver"]),
    REDIS_URL=(str, ""),
    EVIDENCE_MAX_BYTES=(int, 200 * 1024 * 1024),
)
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env("DEBUG")
# A development key only; production must set SECRET_KEY (check --deploy flags a weak one).
SECRET_KEY = env("SECRET_KEY", default="dev-insecure-key-change-me-0123456789abcdefghijklmnopqrstuvwxyz")
ALLOWED_HOSTS = env("ALLOWED_HOSTS")

INSTALLED_APPS = [
    # The project itself, first so that its management commands replace Django's (createsuperuser:
    # refused in production but for the break-glass account, issue 23).
    "interference_registry",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "guardian",
    "axes",
    "csp",
    "django_otp",
    "django_otp.plugins.otp_totp",
    # One-time backup codes of the second factor (issue 23).
    "django_otp.plugins.otp_static",
    "import_export",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "cases",
    "records",
    "discipline",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "cases.middleware.SessionIdleRefreshMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Cache-Control: no-store on every signed-in page and every download (issue 17 §6).
    "cases.middleware.NoStoreMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "cases.middleware.SecondFactorMiddleware",
    # After the second factor: a password set by an administrator or expired is changed first.
    "cases.password_policy.PasswordChangeMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "cases.middleware.RequestContextMiddleware",
    # Last, as django-axes requires: it turns a lockout into the locked-out page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "interference_registry.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "cases.context_processors.roles",
                "records.notifications.context_processors.notifications",
                "discipline.review.context_processors.work_counts",
            ],
        },
    },
]

WSGI_APPLICATION = "interference_registry.wsgi.application"

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # WAL lets the web server, the worker and beat share the embedded database. Immediate transactions
    # take the write lock when they begin, so two simultaneous saves queue (up to `timeout` seconds)
    # instead of one failing with "database is locked" when a read transaction tries to write.
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].update({"timeout": 20, "transaction_mode": "IMMEDIATE", "init_command": "PRAGMA journal_mode=WAL;"})
    # A test run on SQLite gets its own file (per process, so two runs never share one) and never
    # touches the demo database.
    DATABASES["default"]["TEST"] = {"NAME": str(BASE_DIR / f"test_db_{os.getpid()}.sqlite3")}
elif "postgresql" in DATABASES["default"]["ENGINE"]:
    # JIT compilation costs 0.3-1.5 s on the period aggregates over 2M records and buys nothing for
    # queries of this size (benchmarks/RESULTS.md); keep the connection open across requests.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("options", "-c jit=off")
    DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=60))
    DATABASES["default"].setdefault("CONN_HEALTH_CHECKS", True)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    # First: refuses a locked-out username/IP before any password is checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "guardian.backends.ObjectPermissionBackend",
]
# Guardian's anonymous user is not used: nobody unauthenticated sees anything.
ANONYMOUS_USER_NAME = None

# Directory sign-in (LDAP / Active Directory, django-auth-ldap; cases.directory): on when
# LDAP_SERVER_URI is set, between axes (first) and ModelBackend (local break-glass accounts).
LDAP_SERVER_URI = env("LDAP_SERVER_URI", default="")
# Directory group DN of each role the directory decides, e.g. {"discipline": "cn=jjjc,ou=groups,dc=example,dc=cn"}.
DIRECTORY_ROLE_GROUPS = env.json("LDAP_ROLE_GROUPS", default={})
# A directory group named this prefix + a discipline body's unit code makes its members that body's staff.
DIRECTORY_DISCIPLINE_GROUP_PREFIX = env("LDAP_DISCIPLINE_GROUP_PREFIX", default="discipline-")
# The entry's attributes holding the unit code and the position of the person.
DIRECTORY_UNIT_ATTR = env("LDAP_UNIT_ATTR", default="departmentNumber")
DIRECTORY_POSITION_ATTR = env("LDAP_POSITION_ATTR", default="title")
# The service account that makes the directory's grants (never signs in).
DIRECTORY_SYNC_ACTOR = env("LDAP_SYNC_ACTOR", default="directory-sync")
if LDAP_SERVER_URI:
    import ldap
    from django_auth_ldap.config import GroupOfNamesType, LDAPSearch, NestedActiveDirectoryGroupType

    AUTH_LDAP_SERVER_URI = LDAP_SERVER_URI
    AUTH_LDAP_START_TLS = env.bool("LDAP_START_TLS", default=False)
    AUTH_LDAP_BIND_DN = env("LDAP_BIND_DN", default="")
    AUTH_LDAP_BIND_PASSWORD = env("LDAP_BIND_PASSWORD", default="")
    # Active Directory: LDAP_USER_FILTER=(sAMAccountName=%(user)s) LDAP_GROUP_TYPE=activedirectory
    AUTH_LDAP_USER_SEARCH = LDAPSearch(env("LDAP_USER_BASE"), ldap.SCOPE_SUBTREE, env("LDAP_USER_FILTER", default="(uid=%(user)s)"))
    _active_directory = env("LDAP_GROUP_TYPE", default="groupofnames").lower() == "activedirectory"
    AUTH_LDAP_GROUP_SEARCH = LDAPSearch(
        env("LDAP_GROUP_BASE"), ldap.SCOPE_SUBTREE, "(objectClass=group)" if _active_directory else "(objectClass=groupOfNames)"
    )
    AUTH_LDAP_GROUP_TYPE = NestedActiveDirectoryGroupType() if _active_directory else GroupOfNamesType()
    AUTH_LDAP_USER_ATTR_MAP = {"first_name": env("LDAP_NAME_ATTR", default="cn"), "email": "mail"}
    # Whoever is in LDAP_DENY_GROUP (or, when set, not in LDAP_REQUIRE_GROUP) cannot sign in and is deactivated here.
    AUTH_LDAP_DENY_GROUP = env("LDAP_DENY_GROUP", default=None)
    AUTH_LDAP_REQUIRE_GROUP = env("LDAP_REQUIRE_GROUP", default=None)
    # A directory that does not answer costs a sign-in seconds, not minutes (then ModelBackend is asked).
    AUTH_LDAP_CONNECTION_OPTIONS = {ldap.OPT_REFERRALS: 0, ldap.OPT_NETWORK_TIMEOUT: 5, ldap.OPT_TIMEOUT: 10}
    AUTHENTICATION_BACKENDS.insert(1, "cases.directory.DirectoryBackend")

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "cases.passwords.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    # 等保 2.0 level 3 (GB/T 22239-2019 8.1.4.1 a): at least three kinds of characters.
    {"NAME": "cases.passwords.CharacterKindsValidator", "OPTIONS": {"min_kinds": env.int("PASSWORD_MIN_CHARACTER_KINDS", default=3)}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    # Not the last PASSWORD_HISTORY_COUNT passwords (the current one included).
    {"NAME": "cases.passwords.PasswordHistoryValidator"},
]
# 等保 2.0 level 3 (GB/T 22239-2019 8.1.4.1 a, 定期更换): a new password may not repeat the account's
# last PASSWORD_HISTORY_COUNT (0: no check); a password is changed at the first sign-in after an
# administrator set it, and PASSWORD_MAX_AGE_DAYS after it was set (0: never expires). Directory
# sign-ins and API keys have no local password and are not concerned.
PASSWORD_HISTORY_COUNT = env.int("PASSWORD_HISTORY_COUNT", default=5)
PASSWORD_MAX_AGE_DAYS = env.int("PASSWORD_MAX_AGE_DAYS", default=90)

# Login lockout (django-axes): 5 failures for one username from one address lock it for an hour.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = 1  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True
# The number of reverse proxies (nginx, a load balancer) in front of the application: the client's
# address is then read from X-Forwarded-For through that many of them (cases.rules.client_address);
# 0 (the embedded default) trusts no header. The audit trail and the lockout read the same address.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
AXES_CLIENT_IP_CALLABLE = "cases.middleware.client_ip"

# Error tolerance (004 第二十四条): errors of one kind or field flagged at this many in 12 months.
RECURRING_ERROR_THRESHOLD = env.int("RECURRING_ERROR_THRESHOLD", default=3)

# Second factor (TOTP, django-otp): required for these roles when listed, e.g. OTP_REQUIRED_ROLES=discipline,admin
# The superuser flag can be set on an account's roles page (never one's own); production settings
# turn this off, so no page can make a superuser there.
ACCOUNT_SUPERUSER_EDITABLE = env.bool("ACCOUNT_SUPERUSER_EDITABLE", default=True)
# 三员分立 (issue 23): superusers bypass every role, so production allows one only, the break-glass
# account named here, whose every sign-in is told to the 安全审计员 (cases.checks, cases.accounts).
SUPERUSERS_ALLOWED = env.bool("SUPERUSERS_ALLOWED", default=True)
BREAK_GLASS_USERNAME = env("BREAK_GLASS_USERNAME", default="")
OTP_REQUIRED_ROLES = env.list("OTP_REQUIRED_ROLES", default=[])
OTP_TOTP_ISSUER = "干预过问记录系统"

# Sessions end after 30 minutes without a request, and with the browser.
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=30 * 60)
# Idle timeout counted from the last request, refreshed at most once a minute by
# cases.middleware.SessionIdleRefreshMiddleware rather than a session write on every request.
SESSION_SAVE_EVERY_REQUEST = False
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# Content-Security-Policy: everything from this server; no inline scripts, no third-party origin.
# Inline styles stay allowed (the SVG charts and crispy-forms set style attributes); scripts do not.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("简体中文")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = env("STATIC_ROOT", default=str(BASE_DIR / "staticfiles"))

# Evidence never lives under a public URL: it is stored here and served only by a view that checks
# permission. MEDIA_URL is deliberately unset.
PRIVATE_STORAGE_ROOT = Path(env("PRIVATE_STORAGE_ROOT", default=str(BASE_DIR / "private_storage")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Private files, served only by views that check access (cases.storage.PrivateStorage).
    # Evidence and proof files, and the generated reports, are encrypted at rest with SM4
    # (cases.storage.EncryptedPrivateStorage).
    "evidence": {"BACKEND": "cases.storage.EncryptedPrivateStorage", "OPTIONS": {"folder": "evidence"}},
    "reports": {"BACKEND": "cases.storage.EncryptedPrivateStorage", "OPTIONS": {"folder": "reports"}},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
EVIDENCE_MAX_BYTES = env("EVIDENCE_MAX_BYTES")
# Encryption at rest (商用密码, SM4-GCM; cases.encryption): record content fields and evidence files.
# Keys never live in the database. One source, the first set: FIELD_ENCRYPTION_KEY_PROVIDER (dotted
# path of a callable returning a cases.encryption.keys.KeyProvider: the hook for a 密码机/KMS),
# FIELD_ENCRYPTION_KEYS ("id:base64,id:base64", the current one FIELD_ENCRYPTION_CURRENT_KEY or the
# first), FIELD_ENCRYPTION_KEY_FILE (JSON, written by `manage.py encryption_rotate --new-key`).
# None set: development generates a key file in PRIVATE_STORAGE_ROOT/keys/ (FIELD_ENCRYPTION_DEV_KEY);
# production refuses to start (system check registry.E030).
FIELD_ENCRYPTION_KEY_PROVIDER = env("FIELD_ENCRYPTION_KEY_PROVIDER", default="")
FIELD_ENCRYPTION_KEYS = env("FIELD_ENCRYPTION_KEYS", default="")
FIELD_ENCRYPTION_CURRENT_KEY = env("FIELD_ENCRYPTION_CURRENT_KEY", default="")
FIELD_ENCRYPTION_KEY_FILE = env("FIELD_ENCRYPTION_KEY_FILE", default="")
FIELD_ENCRYPTION_DEV_KEY = env.bool("FIELD_ENCRYPTION_DEV_KEY", default=True)
# Rows (and files) re-encrypted per batch by the background re-encryption after a key rotation.
ENCRYPTION_ROTATION_BATCH = env.int("ENCRYPTION_ROTATION_BATCH", default=500)
# Private downloads (evidence, report PDFs; cases.downloads.private_file_response) are handed to the
# web server after the view's permission check and audit event, instead of being streamed by Python:
# SENDFILE_BACKEND=django_sendfile.backends.nginx makes the view answer with X-Accel-Redirect to
# SENDFILE_URL + the file's path below SENDFILE_ROOT, which nginx serves from an `internal` location
# (deploy/nginx/registry.conf). Empty (the default, `make run`): Django streams the file itself.
SENDFILE_BACKEND = env("SENDFILE_BACKEND", default="")
SENDFILE_ROOT = os.path.abspath(PRIVATE_STORAGE_ROOT)
SENDFILE_URL = "/protected"

# Official documents (公文, GB/T 9704-2012; discipline.common.official). Font files in this folder are
# embedded when their family is named for a role below; the agency puts its licensed faces here.
DOCUMENT_FONTS_DIR = Path(env("DOCUMENT_FONTS_DIR", default=str(BASE_DIR / "fonts")))
# Each role's families, first available wins: the standard's faces, then the free defaults
# (FandolFang/FandolKai from scripts/document-fonts.sh, Noto CJK from fonts-noto-cjk).
DOCUMENT_FONTS = {
    "mark": ["方正小标宋简体", "FZXiaoBiaoSong-B05S", "方正小标宋_GBK", "Noto Serif CJK SC"],
    "body": ["仿宋_GB2312", "FangSong_GB2312", "仿宋", "FangSong", "FandolFang", "Noto Serif CJK SC"],
    "heading1": ["黑体", "SimHei", "Noto Sans CJK SC"],
    "heading2": ["楷体_GB2312", "KaiTi_GB2312", "楷体", "KaiTi", "FandolKai", "Noto Serif CJK SC"],
    "page_number": ["宋体", "SimSun", "Noto Serif CJK SC"],
}
# Whether documents are issued to be sealed (加盖印章): the date then stands 4 characters in from the
# right with the issuer centred above it; unsealed, the issuer stands 2 characters in (GB/T 9704 7.3.5).
DOCUMENTS_SEALED = env.bool("DOCUMENTS_SEALED", default=False)
# Where each seal writes the audit chain head outside the database (cases.audit.anchor_path): relative
# to PRIVATE_STORAGE_ROOT (so it follows that folder), or an absolute path, e.g. another volume.
AUDIT_ANCHOR_FILE = env("AUDIT_ANCHOR_FILE", default="audit/chain-head.json")
# The key of the HMAC-SM3 seal on that head (cases.audit_seal), never in the database: AUDIT_SEAL_KEY
# (at least 32 characters) or the file AUDIT_SEAL_KEY_FILE (relative to PRIVATE_STORAGE_ROOT unless
# absolute). Development generates the file when missing; production settings do not, and a system
# check wants the key from the environment or a file outside the private storage.
AUDIT_SEAL_KEY = env("AUDIT_SEAL_KEY", default="")
AUDIT_SEAL_KEY_FILE = env("AUDIT_SEAL_KEY_FILE", default="audit/seal.key")
AUDIT_SEAL_KEY_GENERATE = env.bool("AUDIT_SEAL_KEY_GENERATE", default=True)
# The audit trail is kept at least 6 months online (网络安全法 第二十一条); the application never deletes
# an event (database triggers). Below 180 days a system check refuses to start.
AUDIT_RETENTION_DAYS = env.int("AUDIT_RETENTION_DAYS", default=183)
# The auditor (安全审计员) is told once a day while the private storage's volume, or the database
# against AUDIT_DATABASE_CAPACITY_BYTES (0: not watched), is at least this full (percent).
AUDIT_STORAGE_ALERT_PERCENT = env.int("AUDIT_STORAGE_ALERT_PERCENT", default=85)
AUDIT_DATABASE_CAPACITY_BYTES = env.int("AUDIT_DATABASE_CAPACITY_BYTES", default=0)
# The SM2 key that signs every issued document and the exported audit head (cases.signing): a key file
# outside the database (`manage.py document_signing_key --create PATH`). Empty: a development key made
# on first use under PRIVATE_STORAGE_ROOT/keys/, allowed only while DOCUMENT_SIGNING_KEY_GENERATE is on
# (production settings turn it off and require the file).
DOCUMENT_SIGNING_KEY_FILE = env("DOCUMENT_SIGNING_KEY_FILE", default="")
DOCUMENT_SIGNING_KEY_GENERATE = env.bool("DOCUMENT_SIGNING_KEY_GENERATE", default=True)
# Keys the system signed with before, each "<fingerprint>@<last day it signed>": their signatures up to
# that day still verify as the system's (`verify_document`) after the key file is replaced.
DOCUMENT_SIGNING_RETIRED_KEYS = env.list("DOCUMENT_SIGNING_RETIRED_KEYS", default=[])
# Uploads above this go to a temporary file instead of memory.
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

EMAIL_BACKEND = env("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="registry@localhost")

# Celery: Redis when REDIS_URL is set, otherwise a broker that needs no server.
REDIS_URL = env("REDIS_URL")
CELERY_BROKER_DIR = Path(env("CELERY_BROKER_DIR", default=str(BASE_DIR / ".celery-broker")))
CELERY_BROKER_TRANSPORT_OPTIONS: dict = {
    # Redis redelivers unacknowledged tasks after this long; the sweep finishes well within it.
    "visibility_timeout": 3600,
    # The broker is only a doorbell (DESIGN §2): a ring from a request fails at once when the broker is
    # down instead of waiting ~6 s in kombu's reconnect loop, which a publish enters when it opens its
    # channel (Connection.default_channel reads these options, not the publish's retry=False). The
    # database keeps what is owed and the sweeps ring again. The worker and beat pass their own
    # broker_connection_max_retries when they connect, so they still wait for a restarting broker.
    "max_retries": 0,
    # A broker host that does not answer at all (dropped packets) costs at most this per ring.
    "socket_connect_timeout": 2,
}
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
else:
    CELERY_BROKER_URL = "filesystem://"
    # kombu's filesystem transport with atomic writes: its own lets a worker read a half-written file
    # and die with "Unrecoverable error: JSONDecodeError" (issue 19; see interference_registry/broker.py).
    CELERY_BROKER_TRANSPORT = "interference_registry.broker:Transport"
    CELERY_BROKER_TRANSPORT_OPTIONS |= {
        "data_folder_in": str(CELERY_BROKER_DIR / "queue"),
        "data_folder_out": str(CELERY_BROKER_DIR / "queue"),
        "processed_folder": str(CELERY_BROKER_DIR / "processed"),
        # The exchange tables; kombu's default is ./control, relative to whatever folder the worker
        # was started in.
        "control_folder": str(CELERY_BROKER_DIR / "control"),
        "store_processed": False,
        # kombu reads the folder once a second by default, which caps a worker at ~2 tasks a second.
        "polling_interval": 0.25,
    }
    # No broadcast traffic on the folder: remote control (pidbox) and events are what many processes
    # write to the shared exchange tables at once. scripts/run.sh also starts the worker
    # --without-mingle --without-gossip --without-heartbeat. Nothing here needs them: the database
    # heartbeat (cases.worker) tells whether a worker answers.
    CELERY_WORKER_ENABLE_REMOTE_CONTROL = False
CELERY_WORKER_SEND_TASK_EVENTS = False
CELERY_TASK_SEND_SENT_EVENT = False
CELERY_TASK_IGNORE_RESULT = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# The sweep is the scheduler (R-REMIND): every few minutes it sends what the database says is owed.
# `expires` keeps a backlog from piling up while no worker runs.
REMINDER_SWEEP_SECONDS = env.int("REMINDER_SWEEP_SECONDS", default=300)
# Report jobs whose ring was lost are rung again this often; a ring expires before the next sweep.
REPORT_SWEEP_SECONDS = env.int("REPORT_SWEEP_SECONDS", default=120)
# A worker rendering a report beats this often; a running job silent for REPORT_WORKER_LOST_SECONDS
# has lost its worker (killed, out of memory) and is queued again by the status poll or the sweep.
REPORT_HEARTBEAT_SECONDS = env.float("REPORT_HEARTBEAT_SECONDS", default=10)
REPORT_WORKER_LOST_SECONDS = env.float("REPORT_WORKER_LOST_SECONDS", default=50)
# The worker answers a pulse the beat sends this often (cases.worker); a page waiting on the worker
# says so in words once no worker has answered for WORKER_SILENT_SECONDS.
WORKER_PULSE_SECONDS = env.float("WORKER_PULSE_SECONDS", default=30)
WORKER_SILENT_SECONDS = env.float("WORKER_SILENT_SECONDS", default=120)
CELERY_BEAT_SCHEDULE = {
    "worker-pulse": {"task": "cases.tasks.worker_pulse", "schedule": WORKER_PULSE_SECONDS, "options": {"expires": WORKER_PULSE_SECONDS}},
    "reminder-sweep": {
        "task": "records.tasks.sweep",
        "schedule": REMINDER_SWEEP_SECONDS,
        "options": {"expires": REMINDER_SWEEP_SECONDS - 10},
    },
    "audit-seal": {"task": "cases.tasks.seal_audit_chain", "schedule": 60, "options": {"expires": 50}},
    "audit-verify": {"task": "cases.tasks.verify_audit_chain", "schedule": 24 * 3600, "options": {"expires": 3600}},
    # Hourly: the auditor hears of a store near full once a day per store (cases.audit_trail.services).
    "audit-storage": {"task": "cases.tasks.check_audit_storage", "schedule": 3600, "options": {"expires": 3000}},
    # Report jobs whose doorbell was lost (broker down when they were asked for) are rung again.
    "report-sweep": {"task": "discipline.report_tasks.sweep_reports", "schedule": REPORT_SWEEP_SECONDS, "options": {"expires": REPORT_SWEEP_SECONDS - 10}},
    # The figure cells are derived data kept by the services; a nightly check repairs any drift.
    "figures-check": {"task": "discipline.tasks.check_figures", "schedule": 24 * 3600, "options": {"expires": 3600}},
    # Resumes a re-encryption a crash or a lost wake-up left unfinished (and seals any plaintext left).
    "encryption-reencrypt": {"task": "cases.tasks.encryption_reencrypt", "schedule": 24 * 3600, "options": {"expires": 3600}},
}


# The API for case-handling and supervision systems (/api/v1/, issue 21): a calling system authenticates
# with its key (cases.api.authentication) and nothing else; a page session opens no API endpoint.
API_RATE = env("API_RATE", default="600/min")
# The cache holds the API's rate-limit counters and nothing that must survive: per process by default;
# set CACHE_URL (e.g. redis://127.0.0.1:6379/2, a Redis database of its own, not the broker's) where
# several web processes or machines must share one limit.
CACHES = {"default": env.cache_url("CACHE_URL", default="locmemcache://")}
# After a rotation the old key keeps working this many days, so the calling system can switch over.
API_KEY_ROTATION_GRACE_DAYS = env.int("API_KEY_ROTATION_GRACE_DAYS", default=7)
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["cases.api.authentication.ApiKeyAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["cases.api.authentication.IsCallingSystem"],
    "DEFAULT_THROTTLE_CLASSES": ["cases.api.authentication.SystemRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"system": API_RATE},
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "cases.api.base.api_exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "干预过问记录系统 API",
    "DESCRIPTION": "供执法办案系统和监督平台调用的接口（第 1 版）。每个请求在 Authorization 头中携带接入系统的密钥：`Api-Key <密钥>`。",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # The documentation pages are served from this server (offline intranet): Swagger UI from the sidecar package.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
}

# Health (/health/live, /health/ready; cases.health): readiness fails when the private storage has
# less than this free.
HEALTH_MIN_FREE_BYTES = env.int("HEALTH_MIN_FREE_BYTES", default=1024**3)

# Logs go to standard error (journald under systemd): `text` lines for a terminal, or `json`, one object a line
# carrying the request id of the audit trail (interference_registry.log_config).
LOG_FORMAT = env("LOG_FORMAT", default="text")
LOGGING = logging_config(log_format=LOG_FORMAT, level=env("LOG_LEVEL", default="INFO"))
