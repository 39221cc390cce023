"""Settings shared by every environment.

Environment variables are read here, once, through django-environ. ``dev`` and ``test``
give safe defaults for the embedded setup; ``production`` requires every
security-related value and fails loudly when one is missing.
"""

from pathlib import Path
from urllib.parse import urlsplit

import environ
from django.conf.locale import LANG_INFO
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DJANGO_DEBUG", default=False)
SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="")
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "common",
    "accounts",
    "places",
    "periods",
    "people",
    "trainings",
    "feedback",
    "certificates",
    "materials",
    "promoters",
    "projects",
    "reports",
    "audit",
    "operations",
    "access",
    "scopes",
    "auditlog",
    "cms",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.simple_translation",
    "wagtail.api.v2",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.locales",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "import_export",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_filters",
    "django_celery_beat",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "cms.middleware.CompressPagesMiddleware",
    "config.middleware.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "config.middleware.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "accounts.middleware.TwoFactorMiddleware",
    "accounts.middleware.PromoterAdminMiddleware",
    "accounts.middleware.SignOutMiddleware",
    "audit.middleware.AuditMiddleware",
    "audit.history.FieldHistoryMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "wagtail.contrib.settings.context_processors.settings",
            ],
            # The ``number`` filter in every template: one way to write a number.
            "builtins": ["common.template_filters"],
        },
    },
]


def database_from_env(**defaults) -> dict:
    """``DATABASE_URL`` as Django's settings. On PostgreSQL, JIT compilation is off:
    its compile time (up to a second, on the reports' recursive cascade query) was
    far more than the short queries it compiles took (benchmarks/reports.py). On
    SQLite, writes wait for each other (below)."""
    database = env.db("DATABASE_URL", **defaults)
    options = database.setdefault("OPTIONS", {})
    if database["ENGINE"].endswith("postgresql"):
        options["options"] = f"{options.get('options', '')} -c jit=off".strip()
    if database["ENGINE"].endswith("sqlite3"):
        # Parallel writers wait for each other instead of failing with "database is
        # locked": a write transaction takes the lock when it begins (IMMEDIATE), so
        # it never has to upgrade a read lock, and waits up to the timeout for it.
        options.setdefault("transaction_mode", "IMMEDIATE")
        options.setdefault(
            "timeout", env.int("SQLITE_BUSY_TIMEOUT_SECONDS", default=20)
        )
    return database


DATABASES = {"default": database_from_env(default=f"sqlite:///{BASE_DIR}/db.sqlite3")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=0)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": f"django.contrib.auth.password_validation.{name}"}
    for name in (
        "UserAttributeSimilarityValidator",
        "MinimumLengthValidator",
        "CommonPasswordValidator",
        "NumericPasswordValidator",
    )
]
LOGIN_URL = "wagtailadmin_login"
# Username or phone number (promoters sign in with their phone). The lockout backend
# comes first: it refuses every sign-in while locked (accounts.lockout).
AUTHENTICATION_BACKENDS = [
    "accounts.lockout.LockoutBackend",
    "accounts.backends.UsernameOrPhoneBackend",
]

# Languages. Django ships no locale data for Lao, so it is declared here; Lao is the
# default language of the site and the admin.
LANG_INFO["lo"] = {
    "bidi": False,
    "code": "lo",
    "name": "Lao",
    "name_local": "ລາວ",
}
LANGUAGE_CODE = "lo"
LANGUAGES = [("lo", _("Lao")), ("en", _("English"))]
# Our catalogue first (it wins), then the Lao catalogue of the Wagtail, Django and
# django-filter strings the staff admin shows (those packages ship no Lao); see
# locale_wagtail/README.md and scripts/wagtail_untranslated.py.
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "locale_wagtail"]
LANGUAGE_COOKIE_NAME = "suksa_language"
TIME_ZONE = "Asia/Vientiane"
USE_I18N = True
USE_TZ = True
FORMAT_MODULE_PATH = ["config.formats"]

WAGTAIL_I18N_ENABLED = True
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES
WAGTAIL_SITE_NAME = "Suksa"
# Wagtail's sign-in form, its password labelled in Lao too (accounts.admin_language).
WAGTAILADMIN_USER_LOGIN_FORM = "accounts.admin_language.LoginForm"
WAGTAILADMIN_BASE_URL = env.str(
    "WAGTAILADMIN_BASE_URL", default="http://127.0.0.1:8000"
)
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILDOCS_SERVE_METHOD = "serve_view"
# Materials: documents editors may upload (PDF, Office, images, audio, video) and the
# largest upload in megabytes; files are served by materials.views, never from /media/.
WAGTAILDOCS_EXTENSIONS = [
    *("pdf", "doc", "docx", "xls", "xlsx", "ppt", "pptx", "odt", "ods", "odp"),
    *("rtf", "txt", "csv"),
    *("jpg", "jpeg", "png", "gif", "webp", "svg"),
    *("mp3", "m4a", "ogg", "oga", "wav", "aac"),
    *("mp4", "m4v", "webm", "ogv", "mov", "3gp"),
]
WAGTAILDOCS_DOCUMENT_FORM_BASE = "materials.forms.DocumentForm"
SUKSA_MAX_UPLOAD_MB = env.int("SUKSA_MAX_UPLOAD_MB", default=100)
WAGTAILIMAGES_MAX_UPLOAD_SIZE = SUKSA_MAX_UPLOAD_MB * 1024 * 1024
# Every upload is counted while it streams in and refused past this many bytes
# (common.uploads); views taking smaller files (sign-in sheets) set a lower cap.
SUKSA_UPLOAD_MAX_BYTES = env.int(
    "SUKSA_UPLOAD_MAX_BYTES", default=SUKSA_MAX_UPLOAD_MB * 1024 * 1024
)
FILE_UPLOAD_HANDLERS = [
    "common.uploads.SizeLimitedUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
# Behind nginx, material files can be sent by nginx itself: set this to an
# "internal" location that maps to MEDIA_ROOT (e.g. /protected-media/).
SUKSA_DOCUMENTS_X_ACCEL_PREFIX = env.str("SUKSA_DOCUMENTS_X_ACCEL_PREFIX", default="")
# No avatars from gravatar.com: it would send every user's e-mail hash abroad.
WAGTAIL_GRAVATAR_PROVIDER_URL = None

STATIC_URL = "/static/"
STATIC_ROOT = Path(
    env.str("DJANGO_STATIC_ROOT", default=str(BASE_DIR / "var" / "static"))
)
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env.str("DJANGO_MEDIA_ROOT", default=str(BASE_DIR / "var" / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
if env.str("AWS_STORAGE_BUCKET_NAME", default=""):
    STORAGES["default"] = {"BACKEND": "storages.backends.s3.S3Storage"}
    AWS_STORAGE_BUCKET_NAME = env.str("AWS_STORAGE_BUCKET_NAME")
    AWS_S3_ENDPOINT_URL = env.str("AWS_S3_ENDPOINT_URL", default=None)
    AWS_S3_REGION_NAME = env.str("AWS_S3_REGION_NAME", default=None)
    AWS_DEFAULT_ACL = None
    AWS_QUERYSTRING_AUTH = True

EMAIL_BACKEND = env.str(
    "DJANGO_EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend"
)
DEFAULT_FROM_EMAIL = env.str("DJANGO_DEFAULT_FROM_EMAIL", default="suksa@localhost")

# Celery: with no broker configured every task runs in-process (the embedded default).
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="")
CELERY_RESULT_BACKEND = env.str("CELERY_RESULT_BACKEND", default=CELERY_BROKER_URL)
CELERY_TASK_ALWAYS_EAGER = env.bool(
    "CELERY_TASK_ALWAYS_EAGER", default=not CELERY_BROKER_URL
)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_DEFAULT_QUEUE = env.str("CELERY_TASK_DEFAULT_QUEUE", default="suksa")
# Tasks outside the apps (autodiscovered apps' tasks.py are found anyway).
CELERY_IMPORTS = ["config.health", "config.tasks"]
# Wagtail's background work (reference index, file deletions) goes to Celery too.
TASKS = {"default": {"BACKEND": "config.tasks.CeleryTaskBackend"}}
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "accounts.authentication.ApiTokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["access.api.PolicyPermission"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_FILTER_BACKENDS": ["access.api.PolicyFilterBackend"],
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Suksa API",
    "DESCRIPTION": "Trainings, certificates, outreach and reports of the LSSO.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "PREPROCESSING_HOOKS": ["config.api.only_api_v1"],
    "ENUM_NAME_OVERRIDES": {
        "SessionStatusEnum": "trainings.models.Session.Status",
        "EnrolmentStatusEnum": "trainings.models.Enrolment.Status",
        "AttendanceStatusEnum": "trainings.models.Attendance.Status",
        "EnrolmentRoleEnum": "trainings.models.Enrolment.Role",
        "PromoterRoleEnum": "promoters.models.Promoter.Role",
        # Two fields named "kind": the course's keeps the name it always had.
        "KindEnum": "trainings.models.Course.Kind",
        "ActivityKindEnum": "promoters.models.ActivityKind",
        "MeetingStatusEnum": "promoters.models.VillageMeeting.Status",
    },
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("DJANGO_LOG_LEVEL", "INFO")},
    # Wagtail enqueues a search/reference-index task per save; one line each is noise.
    "loggers": {
        "django_tasks": {"level": "WARNING"},
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}

# Sign-in sheet uploads: refused before parsing when larger than these.
SUKSA_SHEET_MAX_BYTES = env.int("SUKSA_SHEET_MAX_BYTES", default=5_000_000)
SUKSA_SHEET_MAX_ROWS = env.int("SUKSA_SHEET_MAX_ROWS", default=20_000)
SUKSA_SHEET_MAX_COLUMNS = env.int("SUKSA_SHEET_MAX_COLUMNS", default=100)
# Filled cells of a sheet, counted while it is read (an .xlsx's own <dimension> is
# not trusted), and how many row errors an import answer lists (with their count).
SUKSA_SHEET_MAX_CELLS = env.int("SUKSA_SHEET_MAX_CELLS", default=500_000)
SUKSA_IMPORT_ERRORS_SHOWN = env.int("SUKSA_IMPORT_ERRORS_SHOWN", default=100)

# Plausibility caps (promoters.services): the most people one village meeting can
# have turned out, and the most visitors one information centre can receive in a
# day. Larger figures are refused as typing mistakes. At most 1,000,000 (the
# database's check constraints).
SUKSA_MAX_MEETING_TURNOUT = env.int("SUKSA_MAX_MEETING_TURNOUT", default=5_000)
SUKSA_MAX_CENTRE_VISITORS = env.int("SUKSA_MAX_CENTRE_VISITORS", default=1_000)

# Certificates: number prefixes per course kind (e.g. LSSO-TOT-2022-0007) and the public
# address printed in QR codes.
SUKSA_CERTIFICATE_PREFIXES = {
    "tot": env.str("SUKSA_CERTIFICATE_PREFIX_TOT", default="LSSO-TOT"),
    "short_course": env.str("SUKSA_CERTIFICATE_PREFIX_SHORT", default="LSSO-SC"),
    "orientation": env.str("SUKSA_CERTIFICATE_PREFIX_ORIENTATION", default="LSSO-OR"),
    "long_programme": env.str("SUKSA_CERTIFICATE_PREFIX_LONG", default="LSSO-LP"),
}
SUKSA_PUBLIC_BASE_URL = env.str("SUKSA_PUBLIC_BASE_URL", default=WAGTAILADMIN_BASE_URL)
SUKSA_VERIFY_RATE_PER_MINUTE = env.int("SUKSA_VERIFY_RATE_PER_MINUTE", default=30)
# Participant feedback (feedback/): the public form stays open this many days after a
# session's last day; forms sent per minute from one address (a classroom shares one
# address behind its Wi-Fi) and per hour to one session.
SUKSA_FEEDBACK_DAYS_AFTER = env.int("SUKSA_FEEDBACK_DAYS_AFTER", default=30)
SUKSA_FEEDBACK_RATE_PER_MINUTE = env.int("SUKSA_FEEDBACK_RATE_PER_MINUTE", default=40)
SUKSA_FEEDBACK_RATE_PER_SESSION_HOUR = env.int(
    "SUKSA_FEEDBACK_RATE_PER_SESSION_HOUR", default=200
)
# The one client-address rule (common.network.client_address: lockout, rate limits,
# audit): how many reverse proxies in front of Suksa append to X-Forwarded-For; 0
# ignores the header. SUKSA_TRUST_X_FORWARDED_FOR=true is the old spelling of 1.
SUKSA_TRUST_X_FORWARDED_FOR = env.bool("SUKSA_TRUST_X_FORWARDED_FOR", default=False)
SUKSA_TRUSTED_PROXIES = env.int(
    "SUKSA_TRUSTED_PROXIES", default=1 if SUKSA_TRUST_X_FORWARDED_FOR else 0
)

# Sign-in lockout (accounts.lockout): failures per username and address together, and
# a higher cap per username alone; locked for the cool-off, no password checked.
SUKSA_LOGIN_ATTEMPTS = env.int("SUKSA_LOGIN_ATTEMPTS", default=5)
SUKSA_LOGIN_USERNAME_ATTEMPTS = env.int("SUKSA_LOGIN_USERNAME_ATTEMPTS", default=20)
SUKSA_LOGIN_WINDOW_SECONDS = env.int("SUKSA_LOGIN_WINDOW_SECONDS", default=15 * 60)
SUKSA_LOGIN_COOLOFF_SECONDS = env.int("SUKSA_LOGIN_COOLOFF_SECONDS", default=15 * 60)
# Content-Security-Policy (config.middleware): other origins allowed to serve media
# (an S3 bucket's address) and to be framed (a video host used in materials).
SUKSA_CSP_MEDIA_ORIGINS = env.list("SUKSA_CSP_MEDIA_ORIGINS", default=[])
SUKSA_CSP_FRAME_ORIGINS = env.list("SUKSA_CSP_FRAME_ORIGINS", default=[])
# Roles that must use two-step sign-in (accounts.two_factor); dev and test set none.
SUKSA_2FA_REQUIRED_ROLES = env.list(
    "SUKSA_2FA_REQUIRED_ROLES", default=["Administrators", "Managers"]
)
# Wrong two-step codes (app or recovery) per user and per session before a lock, the
# counting window and the cool-off (accounts.two_factor).
SUKSA_2FA_ATTEMPTS = env.int("SUKSA_2FA_ATTEMPTS", default=5)
SUKSA_2FA_WINDOW_SECONDS = env.int("SUKSA_2FA_WINDOW_SECONDS", default=15 * 60)
SUKSA_2FA_COOLOFF_SECONDS = env.int("SUKSA_2FA_COOLOFF_SECONDS", default=15 * 60)
# API tokens (accounts.tokens): days until a new token expires.
SUKSA_API_TOKEN_DAYS = env.int("SUKSA_API_TOKEN_DAYS", default=90)

# Personal data: the privacy notice people are told about now (recorded with their
# consent), and how many years of inactivity before a person is anonymised.
SUKSA_PRIVACY_NOTICE_VERSION = env.str("SUKSA_PRIVACY_NOTICE_VERSION", default="2026-1")
SUKSA_RETENTION_YEARS = env.int("SUKSA_RETENTION_YEARS", default=5)
# Should a django-import-export resource ever export, it neutralises formulas too.
IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT = True
# DHIS2 export (reports.dhis2): data elements, category option combos and org units.
SUKSA_DHIS2_MAPPING = env.str(
    "SUKSA_DHIS2_MAPPING", default=str(BASE_DIR / "reports" / "dhis2_mapping.json")
)
CELERY_BEAT_SCHEDULE = {
    "people-anonymise-inactive": {
        "task": "suksa.people.anonymise_inactive",
        "schedule": 24 * 3600,
    },
    # Weekly: tell district officers about trained promoters with no recent meeting.
    "promoters-follow-up": {
        "task": "suksa.promoters.follow_up",
        "schedule": env.int("SUKSA_FOLLOW_UP_EVERY_SECONDS", default=7 * 24 * 3600),
    },
    # Daily: follow-ups of trainees at 3 and 6 months after their session.
    "trainings-follow-ups-create": {
        "task": "suksa.trainings.follow_ups_create",
        "schedule": 24 * 3600,
    },
    # Nightly: recompute the reports' facts from the enrolments (a safety net).
    "reports-facts-rebuild": {
        "task": "suksa.reports.facts_rebuild",
        "schedule": 24 * 3600,
    },
    # Certificate jobs whose sending failed while the broker was down.
    "certificates-requeue-waiting-jobs": {
        "task": "suksa.certificates.requeue_waiting_jobs",
        "schedule": 60,
    },
    # Reports downloads prepared in the background, deleted once expired.
    "reports-export-jobs-expire": {
        "task": "suksa.reports.export_jobs_expire",
        "schedule": 3600,
    },
}
# Hours a Reports download prepared in the background is kept for its owner.
SUKSA_EXPORT_JOB_HOURS = env.int("SUKSA_EXPORT_JOB_HOURS", default=24)
# A task whose worker died unacknowledged goes back to the queue after this long
# (Redis). Longer than the longest job, else a running job is delivered twice.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=3600)
}
# Weeks without a village meeting before a trained promoter is followed up.
SUKSA_FOLLOW_UP_WEEKS = env.int("SUKSA_FOLLOW_UP_WEEKS", default=8)
CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://")}
# The reports' figures (reports.figures), shared by every process: by default the
# Redis of Celery's broker when there is one (a database of its own), else in-process.
_REPORTS_CACHE_DEFAULT = (
    urlsplit(CELERY_BROKER_URL)._replace(path="/14").geturl()
    if CELERY_BROKER_URL.startswith(("redis://", "rediss://"))
    else "locmemcache://"
)
CACHES["reports"] = env.cache("SUKSA_REPORTS_CACHE_URL", default=_REPORTS_CACHE_DEFAULT)
if CACHES["reports"]["BACKEND"].endswith("LocMemCache"):
    # The common views are some 40 × 25 figures: more than locmem's 300 by default
    # (it would drop the first ones while warming the last).
    CACHES["reports"].setdefault("OPTIONS", {}).setdefault("MAX_ENTRIES", 100_000)
    CACHES["reports"]["LOCATION"] = CACHES["reports"].get("LOCATION") or "reports"
# Recompute the common views' figures after every write (a task): on by default with a
# worker; with tasks run in-process (no broker) the figures are computed when viewed.
SUKSA_REPORTS_WARM_AFTER_WRITE = env.bool(
    "SUKSA_REPORTS_WARM_AFTER_WRITE", default=not CELERY_TASK_ALWAYS_EAGER
)
# How long a figure stays cached (a write gives the data a new version anyway).
SUKSA_REPORTS_CACHE_SECONDS = env.int(
    "SUKSA_REPORTS_CACHE_SECONDS", default=7 * 24 * 3600
)
