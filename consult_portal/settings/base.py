"""Settings shared by every environment, read from the environment (django-environ).

The embedded default needs nothing: SQLite in the project folder, Celery tasks run
eagerly in process, e-mail to the console. Setting ``DATABASE_URL`` and ``REDIS_URL``
switches the same code to PostgreSQL, Redis and real Celery workers.
"""

import datetime
from pathlib import Path

import environ
from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
if (BASE_DIR / ".env").is_file():
    env.read_env(str(BASE_DIR / ".env"))

SECRET_KEY = env("SECRET_KEY", default="django-insecure-local-development-only")
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

PORTAL_CITY_NAME = env("PORTAL_CITY_NAME", default="青岛市")
# The same city in English pages (accounts.city.city_name picks by the active language).
PORTAL_CITY_NAME_EN = env("PORTAL_CITY_NAME_EN", default="Qingdao")
PORTAL_BASE_URL = env("PORTAL_BASE_URL", default="http://127.0.0.1:8000")

# The site's identity in its header and footer (政府网站发展指引, portal/identity.py); an
# empty value is not shown. The sponsor defaults to the city's general office.
PORTAL_SITE_SPONSOR = env("PORTAL_SITE_SPONSOR", default="")  # 主办单位
PORTAL_SITE_ORGANIZER = env("PORTAL_SITE_ORGANIZER", default="")  # 承办单位
PORTAL_SITE_CODE = env("PORTAL_SITE_CODE", default="")  # 网站标识码
PORTAL_ICP_NUMBER = env("PORTAL_ICP_NUMBER", default="")  # ICP备案号
PORTAL_PSB_NUMBER = env("PORTAL_PSB_NUMBER", default="")  # 公安机关备案号
# The 党政机关网站 identifier: the address of its verification page, and its image (a path
# among the static files, or on the portal's own origin).
PORTAL_DZJG_URL = env("PORTAL_DZJG_URL", default="")
PORTAL_DZJG_IMAGE = env("PORTAL_DZJG_IMAGE", default="")
PORTAL_CONTACT_PHONE = env("PORTAL_CONTACT_PHONE", default="")
PORTAL_CONTACT_EMAIL = env("PORTAL_CONTACT_EMAIL", default="")
# Link the filing numbers to the MIIT and police filing sites; false on a network that
# cannot reach them (the numbers are then plain text).
PORTAL_FILING_LINKS = env.bool("PORTAL_FILING_LINKS", default=True)
# Personal data kept past its use (个人信息保护法): the contact left with an opinion, days
# after its comment period closed; a hearing registration's name, phone and e-mail, days
# after the activity. The privacy page states them.
PORTAL_OPINION_CONTACT_RETENTION_DAYS = env.int(
    "PORTAL_OPINION_CONTACT_RETENTION_DAYS", default=365
)
PORTAL_REGISTRATION_RETENTION_DAYS = env.int("PORTAL_REGISTRATION_RETENTION_DAYS", default=365)

# Deputies' suggestions and CPPCC proposals (建议提案办理, proposals/).
# Working days the lead department has to sign for an assigned item or return it.
PORTAL_PROPOSAL_SIGN_FOR_WORKDAYS = env.int("PORTAL_PROPOSAL_SIGN_FOR_WORKDAYS", default=7)
# Months from assignment to the reply: items raised at the session (大会期间) and in recess.
PORTAL_PROPOSAL_DUE_MONTHS = env.int("PORTAL_PROPOSAL_DUE_MONTHS", default=3)
PORTAL_PROPOSAL_RECESS_DUE_MONTHS = env.int("PORTAL_PROPOSAL_RECESS_DUE_MONTHS", default=3)
# Days before the due date by which co-departments give the lead department their opinion.
PORTAL_PROPOSAL_CO_OPINION_DAYS = env.int("PORTAL_PROPOSAL_CO_OPINION_DAYS", default=20)
# Months a second round (二次办理) has for its reply.
PORTAL_PROPOSAL_SECOND_ROUND_MONTHS = env.int("PORTAL_PROPOSAL_SECOND_ROUND_MONTHS", default=1)
# Days an author's personal rating link (满意度测评) stays open after the reply is sent.
PORTAL_PROPOSAL_RATING_DAYS = env.int("PORTAL_PROPOSAL_RATING_DAYS", default=30)
# The reply classes' labels (答复分类), by code; the codes A, B and C are fixed.
PORTAL_PROPOSAL_REPLY_CLASSES = {
    "A": _("A类：所提问题已经解决或基本解决"),
    "B": _("B类：所提问题正在解决或列入计划逐步解决"),
    "C": _("C类：因条件限制或其他原因暂时不能解决，予以说明解释"),
}
# Holiday schedules of years the chinese-calendar package does not know yet, as the State
# Council announced them: {"2027": {"holidays": ["2027-01-01", ...], "workdays": [...]}}.
PORTAL_WORKDAY_CALENDAR = env.json("PORTAL_WORKDAY_CALENDAR", default={})

# The project's own apps, lowest first; also what an archive holds (ops/archive.py).
PROJECT_APPS = (
    "core",
    "audit",
    "accounts",
    "matters",
    "annual_plans",
    "participation",
    "reminders",
    "proposals",
    "surveys",
    "solicitations",
    "calls",
    "oversight",
    "occasions",
    "api",
    "search",
    "supervision",
    "ops",
    "portal",
)

INSTALLED_APPS = [
    "consult_portal.admin_apps.PortalAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "rules.apps.AutodiscoverRulesConfig",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    *PROJECT_APPS,
]

MIDDLEWARE = [
    "core.middleware.PermissionsPolicyMiddleware",
    "core.middleware.HealthCheckMiddleware",
    # Views that find the database unreachable answer 503 "try again later"; the health
    # check above stays a failure for the load balancer.
    "core.resilience.DatabaseUnavailableMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "core.middleware.PublicPageCacheMiddleware",
    # Below the page cache, which then never keeps what it marks private.
    "core.middleware.PrivateResponseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "core.middleware.ChineseFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    # Outside CSRF and the views, so every refusal (403) reaches the security audit.
    "audit.middleware.SecurityAuditMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # request.user.is_verified(): the session's second factor (accounts/two_factor.py).
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Idle and absolute session limits, and a password that must be changed first.
    "accounts.signin_policy.SignInPolicyMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

# Powerful browser features the portal never uses, switched off for its pages and for
# anything embedded in them ("feature=()" allows no origin at all).
PORTAL_PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer",
        "camera",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "payment",
        "usb",
    )
}

ROOT_URLCONF = "consult_portal.urls"
WSGI_APPLICATION = "consult_portal.wsgi.application"

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
                "portal.context_processors.portal",
                "portal.identity.identity",
            ],
        },
    },
]

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=60))
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # First: refuses a locked-out username/address before any password is checked.
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
    # Unified identity (accounts/oidc.py): stands aside unless OIDC_RP_CLIENT_ID is set.
    "accounts.oidc.PortalOIDCBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "accounts.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": env.int("PORTAL_PASSWORD_MIN_LENGTH", default=12)},
    },
    {
        "NAME": "accounts.password_validation.CharacterClassesValidator",
        "OPTIONS": {"min_classes": env.int("PORTAL_PASSWORD_MIN_CLASSES", default=3)},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "accounts.password_validation.PasswordHistoryValidator"},
]
# The sign-in policy (accounts/signin_policy.py): passwords not reused within the last N,
# a password older than the maximum age (days; 0: never) must be changed before anything
# else, and a signed-in session ends after this many idle minutes or hours in all.
PORTAL_PASSWORD_HISTORY = env.int("PORTAL_PASSWORD_HISTORY", default=5)
PORTAL_PASSWORD_MAX_AGE_DAYS = env.int("PORTAL_PASSWORD_MAX_AGE_DAYS", default=90)
PORTAL_SESSION_IDLE_MINUTES = env.int("PORTAL_SESSION_IDLE_MINUTES", default=30)
PORTAL_SESSION_MAX_HOURS = env.int("PORTAL_SESSION_MAX_HOURS", default=12)
# Two-factor sign-in (accounts/two_factor.py): required of the admin site's users, the
# administrators and superusers while this is on; optional for other staff. Recovery codes
# are stored as hashes keyed with PORTAL_TWO_FACTOR_KEY (by default derived from
# SECRET_KEY), kept outside the database.
# Personal contacts encrypted at rest (core/crypto.py): the cipher ("aes-gcm" or "sm4"),
# the keys ("id:base64,..." of 32 random bytes each, the first encrypting; by default one
# derived from SECRET_KEY), and the keyed hash for equality lookups ("sha256" or "sm3").
PORTAL_FIELD_CIPHER = env.str("PORTAL_FIELD_CIPHER", default="aes-gcm")
PORTAL_FIELD_KEYS = env.str("PORTAL_FIELD_KEYS", default="")
PORTAL_FIELD_HASH = env.str("PORTAL_FIELD_HASH", default="sha256")
PORTAL_FIELD_HASH_KEY = env.str("PORTAL_FIELD_HASH_KEY", default="")
PORTAL_TWO_FACTOR_REQUIRED = env.bool("PORTAL_TWO_FACTOR_REQUIRED", default=True)
PORTAL_TWO_FACTOR_KEY = env.str("PORTAL_TWO_FACTOR_KEY", default="")
# The name an authenticator app shows beside the code.
OTP_TOTP_ISSUER = f"{PORTAL_CITY_NAME}政府协商工作平台"
# Login lockout (django-axes): after this many failed logins for one username from one
# address, that pair is locked out for the cool-off period. Locking a username from
# everywhere would let anyone lock staff out; locking an address would lock a whole office
# behind one NAT. Passwords of at least 12 characters make slow guessing hopeless.
AXES_FAILURE_LIMIT = env.int("PORTAL_LOGIN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = datetime.timedelta(minutes=env.int("PORTAL_LOGIN_LOCKOUT_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "accounts.views.locked_out"
AXES_CLIENT_IP_CALLABLE = "core.network.client_ip"
AXES_VERBOSE = False
# No admin pages of its own: the security administrator unlocks accounts on their page
# (accounts/security.py), and the security audit trail keeps the failed sign-ins.
AXES_ENABLE_ADMIN = False
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "workbench"
LOGOUT_REDIRECT_URL = "home"

# Unified identity through OpenID Connect (accounts/oidc.py), on when OIDC_RP_CLIENT_ID is
# set: the platform's endpoints (its discovery document lists them), the client, RS256 ID
# tokens checked against the platform's JWKS, PKCE, and no account made by signing in.
OIDC_RP_CLIENT_ID = env.str("OIDC_RP_CLIENT_ID", default="")
OIDC_RP_CLIENT_SECRET = env.str("OIDC_RP_CLIENT_SECRET", default="")
OIDC_OP_AUTHORIZATION_ENDPOINT = env.str("OIDC_OP_AUTHORIZATION_ENDPOINT", default="")
OIDC_OP_TOKEN_ENDPOINT = env.str("OIDC_OP_TOKEN_ENDPOINT", default="")
OIDC_OP_USER_ENDPOINT = env.str("OIDC_OP_USER_ENDPOINT", default="")
OIDC_OP_JWKS_ENDPOINT = env.str("OIDC_OP_JWKS_ENDPOINT", default="")
OIDC_OP_END_SESSION_ENDPOINT = env.str("OIDC_OP_END_SESSION_ENDPOINT", default="")
OIDC_RP_SIGN_ALGO = env.str("OIDC_RP_SIGN_ALGO", default="RS256")
OIDC_RP_SCOPES = "openid"
OIDC_USE_PKCE = True
OIDC_CREATE_USER = False
OIDC_STORE_ID_TOKEN = True  # for the platform's sign-out (id_token_hint)
OIDC_AUTHENTICATION_CALLBACK_URL = "accounts:oidc_callback"
# A path: mozilla-django-oidc does not resolve URL names here.
LOGIN_REDIRECT_URL_FAILURE = "/accounts/oidc/refused/"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("简体中文")), ("en", _("英文"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
# English dates as "31 March 2026" (portal/formats/en/formats.py).
FORMAT_MODULE_PATH = ["portal.formats"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=str(BASE_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Content-Security-Policy (django-csp): scripts and styles only from the portal's own
# files, never inline, so text a user typed can never run even if escaping failed.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF, "data:"],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

REDIS_URL = env("REDIS_URL", default="")
if REDIS_URL:
    # With Redis down every cache call is a miss, quickly (core/resilience.py):
    # the cache speeds the portal up, it must never be what stops it.
    CACHES = {
        "default": {
            "BACKEND": "core.resilience.FailOpenRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "consult",
            "OPTIONS": {
                "socket_connect_timeout": env.float("REDIS_CONNECT_TIMEOUT", default=0.5),
                "socket_timeout": env.float("REDIS_SOCKET_TIMEOUT", default=1.0),
            },
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Without a broker the embedded default runs every task in process, at once.
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Whoever enqueues a task while Redis is down or silent must not hang: connecting and
# publishing give up within a few seconds and the caller carries on (the reminder outbox
# keeps the row pending for the periodic sweep). Without a socket timeout a publish on a
# connection the broker dropped silently waits forever. Workers read with BRPOP, which
# answers within a second, well inside it; the visibility timeout stays the default hour.
CELERY_BROKER_CONNECTION_TIMEOUT = 1.0
CELERY_BROKER_TRANSPORT_OPTIONS = {"socket_connect_timeout": 1.0, "socket_timeout": 3.0}
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 2,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.2,
}

EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)  # EMAIL_BACKEND, EMAIL_HOST, ... as django-environ documents
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="政府协商工作平台 <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

PORTAL_MAX_UPLOAD_MB = env.int("PORTAL_MAX_UPLOAD_MB", default=20)
# What an archive given to import_archive may inflate to in all: past it, a zip bomb.
PORTAL_ARCHIVE_MAX_UNPACKED_GB = env.int("PORTAL_ARCHIVE_MAX_UNPACKED_GB", default=200)
# Participation time rules (days); shorter needs a recorded reason.
PORTAL_HEARING_NOTICE_DAYS = env.int("PORTAL_HEARING_NOTICE_DAYS", default=10)
PORTAL_HEARING_MATERIALS_DAYS = env.int("PORTAL_HEARING_MATERIALS_DAYS", default=5)
PORTAL_MIN_COMMENT_DAYS = env.int("PORTAL_MIN_COMMENT_DAYS", default=30)
PORTAL_FEEDBACK_DUE_DAYS = env.int("PORTAL_FEEDBACK_DUE_DAYS", default=30)
# Proxies in front of the portal that append to X-Forwarded-For (0: clients connect
# directly). Only their entries are trusted when telling clients apart (core/network.py).
PORTAL_NUM_PROXIES = env.int("PORTAL_NUM_PROXIES", default=0)
# Public opinion submissions per client address within the window (seconds).
PORTAL_OPINION_RATE = env.int("PORTAL_OPINION_RATE", default=5)
PORTAL_OPINION_RATE_WINDOW = env.int("PORTAL_OPINION_RATE_WINDOW", default=600)
# Public hearing registrations per client address within the window (seconds).
PORTAL_REGISTRATION_RATE = env.int("PORTAL_REGISTRATION_RATE", default=10)
PORTAL_REGISTRATION_RATE_WINDOW = env.int("PORTAL_REGISTRATION_RATE_WINDOW", default=3600)
# Public survey responses per client address within the window (seconds).
PORTAL_SURVEY_RATE = env.int("PORTAL_SURVEY_RATE", default=20)
PORTAL_SURVEY_RATE_WINDOW = env.int("PORTAL_SURVEY_RATE_WINDOW", default=3600)
# A public response from an address that answered the same survey within this many
# seconds is taken and marked a suspected duplicate for staff (surveys/services.py).
PORTAL_SURVEY_DUPLICATE_WINDOW = env.int("PORTAL_SURVEY_DUPLICATE_WINDOW", default=86400)
# The security audit trail (audit/): the keyed digest of its hash chain ("sha256" for
# HMAC-SHA-256 or "sm3" for HMAC-SM3), its key (kept outside the database; by default
# derived from SECRET_KEY), and how long rows are kept (never under 180 days).
PORTAL_AUDIT_HASH = env.str("PORTAL_AUDIT_HASH", default="sha256")
PORTAL_AUDIT_KEY = env.str("PORTAL_AUDIT_KEY", default="")
PORTAL_AUDIT_RETENTION_DAYS = env.int("PORTAL_AUDIT_RETENTION_DAYS", default=190)
# Refusals (403) of one address written to the trail in a minute; past it, one row says so.
PORTAL_AUDIT_REFUSALS_PER_MINUTE = env.int("PORTAL_AUDIT_REFUSALS_PER_MINUTE", default=60)
# Files a proposal to a public call may carry, and proposals one invited participant's
# personal link may send to one call.
PORTAL_CALL_MAX_FILES = env.int("PORTAL_CALL_MAX_FILES", default=3)
PORTAL_CALL_PROPOSALS_PER_LINK = env.int("PORTAL_CALL_PROPOSALS_PER_LINK", default=20)
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

# Anonymous public pages and API counts are cached under a generation number that every
# change bumps (core/content_cache.py); entries also expire after this many seconds.
PORTAL_PAGE_CACHE = env.bool("PORTAL_PAGE_CACHE", default=True)
PORTAL_PAGE_CACHE_SECONDS = env.int("PORTAL_PAGE_CACHE_SECONDS", default=60)
# The part of a public page below its header, the same for every visitor, is kept the
# same way for visitors the page cache does not serve (signed in, or the cache off).
PORTAL_FRAGMENT_CACHE = env.bool("PORTAL_FRAGMENT_CACHE", default=True)

# The public API: page sizes, and request limits per minute or hour.
PORTAL_API_PAGE_SIZE = env.int("PORTAL_API_PAGE_SIZE", default=50)
PORTAL_API_MAX_PAGE_SIZE = env.int("PORTAL_API_MAX_PAGE_SIZE", default=250)
PORTAL_API_ANON_RATE = env("PORTAL_API_ANON_RATE", default="120/min")
PORTAL_API_USER_RATE = env("PORTAL_API_USER_RATE", default="600/min")
# The nightly open-data archives are named <prefix>-YYYYMMDD.zip under MEDIA_ROOT/opendata.
PORTAL_OPENDATA_PREFIX = env("PORTAL_OPENDATA_PREFIX", default="consultation-opendata")

REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "api.schema.PortalAutoSchema",
    "DEFAULT_FILTER_BACKENDS": ["api.filtering.PortalFilterBackend"],
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "api.authentication.PortalTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_PAGINATION_CLASS": "api.pagination.PortalPagination",
    "DEFAULT_THROTTLE_CLASSES": [
        "api.throttling.AnonymousThrottle",
        "api.throttling.TokenThrottle",
    ],
    "EXCEPTION_HANDLER": "api.errors.exception_handler",
    # Anonymous clients are told apart by address: X-Forwarded-For is trusted only for
    # the proxies in front of the portal, or any client could dodge the limit with it.
    "NUM_PROXIES": PORTAL_NUM_PROXIES,
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    "DATETIME_FORMAT": "iso-8601",
    "COERCE_DECIMAL_TO_STRING": False,
    "UNICODE_JSON": True,
}

SPECTACULAR_SETTINGS = {
    "TITLE": "政府协商工作平台开放接口",
    "DESCRIPTION": (
        "协商事项、年度计划目录、协商活动和部门的只读接口。匿名访问只返回已公开的数据；"
        "部门工作人员使用令牌（请求头 Authorization: Token <令牌>）还能读取本部门未公开的事项"
        '和目录。错误统一为 {"error": {"status", "code", "message", "fields"}}。'
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_GENERATE_CHOICE_DESCRIPTION": True,
    "SWAGGER_UI_SETTINGS": {"deepLinking": False, "defaultModelsExpandDepth": 0},
    "TAGS": [
        {"name": "协商事项", "description": "政府立法、行政决策、重点事项和预算协商事项"},
        {"name": "年度计划目录", "description": "各部门报送并公示的年度政府协商计划目录"},
        {"name": "目录事项", "description": "目录中的事项，每行一项"},
        {"name": "协商活动", "description": "听证会、座谈会、论证会等协商活动"},
        {"name": "部门", "description": "报送目录、牵头协商事项的部门"},
    ],
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # WeasyPrint logs every page it lays out at INFO.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
        # django-axes logs every login at INFO; failures and lockouts are WARNING.
        "axes": {"level": "WARNING"},
    },
}

from consult_portal.schedules import BEAT_SCHEDULE  # noqa: E402

CELERY_BEAT_SCHEDULE = BEAT_SCHEDULE
