"""Settings, read strictly from the environment (and a local `.env`); fails fast on a bad value.

Defaults give the embedded setup: SQLite and the django-q2 ORM broker. DATABASE_URL switches to
PostgreSQL, REDIS_URL switches the job broker (and the cache) to Redis.
"""
from datetime import timedelta
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()


def env_flag(name, default):
    """A boolean from the environment; anything but a clear yes/no stops the start (no silent False)."""
    raw = env.str(name, default="").strip().lower()
    if not raw:
        return default
    if raw in {"1", "true", "yes", "on"}:
        return True
    if raw in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (1/0, true/false, yes/no, on/off), not {raw!r}")


if env_flag("DJANGO_READ_DOT_ENV", True):
    environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env_flag("DEBUG", False)
SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off")
    SECRET_KEY = "insecure-dev-only-key-" + "x" * 40

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

# Keys for secrets stored in the database (counterparty passwords, app secrets, SM4 keys).
# The first key encrypts; every key listed decrypts, so keys can be rotated.
FIELD_ENCRYPTION_KEYS = env.list("FIELD_ENCRYPTION_KEYS", default=[])
if not FIELD_ENCRYPTION_KEYS:
    if not DEBUG:
        raise ImproperlyConfigured("FIELD_ENCRYPTION_KEYS must be set when DEBUG is off")
    FIELD_ENCRYPTION_KEYS = ["00112233445566778899aabbccddeeff"]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_q",
    "axes",
    "procurement",
    "catalog",
    "orders",
    "guarantees",
    "customs",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Secrets made by an admin save or action are shown in that response itself (procurement/kernel/adminkit.py).
    "procurement.kernel.adminkit.SecretOnceMiddleware",
    # Last, as django-axes asks: answers a locked-out admin login (procurement/stafflogins.py).
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "procurement.urls"
# A failed CSRF check answers the admin with Django's page and anything else in its envelope (procurement/views.py).
CSRF_FAILURE_VIEW = "procurement.views.csrf_failure"
# Admin messages are kept server-side rather than in the (signed, readable) cookie the default storage may
# use. Secrets shown to staff once never travel in them (SecretOnceMiddleware shows them in the response).
MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"
WSGI_APPLICATION = "procurement.wsgi.application"

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
            ],
        },
    },
]

(BASE_DIR / "var").mkdir(exist_ok=True)
DATABASES = {"default": env.db_url("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'var' / 'db.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL and immediate transactions let the web server, the job cluster and the sandboxes share one file.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 30,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    # A file, not memory, so job-cluster processes started by tests see the test database (another path lets
    # two test runs share a checkout).
    DATABASES["default"]["TEST"] = {"NAME": env.str("TEST_SQLITE_PATH", default=str(BASE_DIR / "var" / "test.sqlite3"))}
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env.str("REDIS_URL", default="")

CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
if REDIS_URL:
    CACHES["default"] = {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "zh-hans"
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# The admin shows local date-times to the second (procurement/formats/zh_Hans).
FORMAT_MODULE_PATH = ["procurement.formats"]

STATIC_URL = "static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "var" / "static")
MEDIA_URL = "media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "var" / "media")

# The largest body any served interface accepts (a guarantee notice carries a Base64 file);
# each interface enforces its own, smaller limit before reading the body.
DATA_UPLOAD_MAX_MEMORY_SIZE = env.int("DATA_UPLOAD_MAX_MEMORY_SIZE", default=16 * 1024 * 1024)
FILE_UPLOAD_MAX_MEMORY_SIZE = DATA_UPLOAD_MAX_MEMORY_SIZE

REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "rest_framework.authentication.BasicAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "UNAUTHENTICATED_USER": None,
}

SPECTACULAR_SETTINGS = {
    "TITLE": "天津市政府采购中心 电子卖场 对外接口",
    "DESCRIPTION": (
        "电子卖场向电商提供的接口（《电子卖场系统对接标准》§7.1），电子保函通知接口，海关实时数据获取接口。"
        "所有接口均为 POST，返回 HTTP 200 与各自标准规定的报文结构。"
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
}

# Served e-mall interface (seed 000 §7.1).
EMALL_TOKEN_LIFETIME_HOURS = env.int("EMALL_TOKEN_LIFETIME_HOURS", default=36)
EMALL_TIMESTAMP_TOLERANCE_SECONDS = env.int("EMALL_TIMESTAMP_TOLERANCE_SECONDS", default=600)
EMALL_LOGIN_MAX_FAILURES = env.int("EMALL_LOGIN_MAX_FAILURES", default=5)
EMALL_LOGIN_LOCK_MINUTES = env.int("EMALL_LOGIN_LOCK_MINUTES", default=15)
# Token requests that cannot come from an account's holder (a wrong or replayed sign, an unknown username)
# count against the caller's address instead: after this many in the window, the address is refused until
# the window ends. 0 turns the limit off.
EMALL_LOGIN_BAD_SIGNS_PER_ADDRESS = env.int("EMALL_LOGIN_BAD_SIGNS_PER_ADDRESS", default=20)
EMALL_LOGIN_BAD_SIGN_WINDOW_SECONDS = env.int("EMALL_LOGIN_BAD_SIGN_WINDOW_SECONDS", default=15 * 60)
EMALL_MAX_BODY_BYTES = env.int("EMALL_MAX_BODY_BYTES", default=256 * 1024)
# How many reverse proxies in front of the web nodes append the caller's address to X-Forwarded-For:
# what login throttles count callers by (0: callers connect directly, REMOTE_ADDR is theirs).
TRUSTED_PROXY_HOPS = env.int("TRUSTED_PROXY_HOPS", default=0)
# The staff APIs (/api/staff/…): a longer body is refused (413) by its Content-Length, before it is read.
STAFF_API_MAX_BODY_BYTES = env.int("STAFF_API_MAX_BODY_BYTES", default=1024 * 1024)
# Served replies are cached per process (procurement/api/cache.py): how stale they may be, at most.
EMALL_CATALOG_CACHE_CHECK_SECONDS = env.float("EMALL_CATALOG_CACHE_CHECK_SECONDS", default=1.0)
EMALL_AUTH_CACHE_SECONDS = env.float("EMALL_AUTH_CACHE_SECONDS", default=5.0)
EMALL_REPLY_CACHE_BYTES = env.int("EMALL_REPLY_CACHE_BYTES", default=64 * 1024 * 1024)

# Outbound HTTP (procurement/http.py).
OUTBOUND_CONNECT_TIMEOUT = env.float("OUTBOUND_CONNECT_TIMEOUT", default=5.0)
OUTBOUND_READ_TIMEOUT = env.float("OUTBOUND_READ_TIMEOUT", default=30.0)
OUTBOUND_LOG_BODY_CHARS = env.int("OUTBOUND_LOG_BODY_CHARS", default=4000)
OUTBOUND_ATTEMPT_MODEL = "procurement.OutboundAttempt"
# With DEBUG off every counterparty is called over https (procurement/kernel/clear_text.py), except the loopback
# and the hosts named here (comma-separated), e.g. a bank reached over a private line.
OUTBOUND_CLEAR_TEXT_HOSTS = env.list("OUTBOUND_CLEAR_TEXT_HOSTS", default=[])

# django-q2. Our own retry policy decides what is retried (procurement/retry.py), so a task that
# dies is not redelivered forever: timeout < retry, and a bounded number of attempts.
Q_CLUSTER = {
    "name": env.str("Q_CLUSTER_NAME", default="procurement"),
    "workers": env.int("Q_WORKERS", default=2),
    "timeout": env.int("Q_TIMEOUT", default=300),
    "retry": env.int("Q_RETRY", default=360),
    "max_attempts": env.int("Q_MAX_ATTEMPTS", default=3),
    "catch_up": False,
    "save_limit": 1000,
    "label": "任务队列",
    "log_level": env.str("LOG_LEVEL", default="INFO"),
    "orm": "default",
}
if REDIS_URL:
    del Q_CLUSTER["orm"]
    Q_CLUSTER["redis"] = REDIS_URL

# `make run`: the staff login it creates, and the sandbox counterparties it starts (procurement/sandbox).
DEMO_ADMIN_PASSWORD = env.str("DEMO_ADMIN_PASSWORD", default="")
SANDBOX_HOST = env.str("SANDBOX_HOST", default="127.0.0.1")
PUBLIC_BASE_URL = env.str("PUBLIC_BASE_URL", default="http://127.0.0.1:8000")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # Without trust roots pyHanko logs every certificate path it cannot build, with a traceback; the
        # outcome is in the guarantee file's signature inspection (guarantees/signatures.py).
        "pyhanko.sign.validation.generic_cms": {"level": "ERROR"},
    },
}

if not DEBUG:
    SECURE_SSL_REDIRECT = env_flag("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_flag("SECURE_HSTS_PRELOAD", True)
    SECURE_CONTENT_TYPE_NOSNIFF = True
    X_FRAME_OPTIONS = "DENY"

# --- staff logins ---
# Logins to the admin and the staff APIs (procurement/stafflogins.py, django-axes): after this many failures
# a username, and an address, is locked for this long; a successful admin login resets its count. Locks show,
# and are lifted by deleting them, under Axes › Access attempts in the admin.
STAFF_LOGIN_MAX_FAILURES = env.int("STAFF_LOGIN_MAX_FAILURES", default=5)
STAFF_LOGIN_LOCK_MINUTES = env.int("STAFF_LOGIN_LOCK_MINUTES", default=15)
AUTHENTICATION_BACKENDS = [
    "procurement.stafflogins.LockoutBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = STAFF_LOGIN_MAX_FAILURES
AXES_COOLOFF_TIME = timedelta(minutes=STAFF_LOGIN_LOCK_MINUTES)
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]  # either one reaching the limit locks
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "procurement.stafflogins.client_address"
AXES_LOCKOUT_CALLABLE = "procurement.stafflogins.lockout_response"
AXES_COOLOFF_MESSAGE = (
    f"登录失败次数过多，该账号或地址已被锁定 {STAFF_LOGIN_LOCK_MINUTES} 分钟；"
    "如需提前解除，请管理员在后台「Axes › Access attempts」中删除对应记录"
)

# --- guarantees ---
# Served guarantee notices (seed 003): how far a request's `timestamp` may be from our clock, in seconds.
GUARANTEE_TIMESTAMP_TOLERANCE_SECONDS = env.int("GUARANTEE_TIMESTAMP_TOLERANCE_SECONDS", default=600)
# The largest guarantee file (baohanfile, decoded) we accept; the request may be 4/3 of it plus the other fields.
GUARANTEE_FILE_MAX_BYTES = env.int("GUARANTEE_FILE_MAX_BYTES", default=6 * 1024 * 1024)
# The daily checkbaohanlist reconciliation covers this many days before today.
GUARANTEE_CHECK_DAYS = env.int("GUARANTEE_CHECK_DAYS", default=3)
# A notice carries the file as Base64 (4/3 of its size) beside a few short fields.
GUARANTEE_MAX_BODY_BYTES = GUARANTEE_FILE_MAX_BYTES * 4 // 3 + 64 * 1024
if GUARANTEE_MAX_BODY_BYTES > DATA_UPLOAD_MAX_MEMORY_SIZE:
    raise ImproperlyConfigured("GUARANTEE_FILE_MAX_BYTES does not fit in DATA_UPLOAD_MAX_MEMORY_SIZE")

# --- catalog ---
# Catalog sync from e-mall-standard suppliers (catalog/sync, procurement/connectors/emall.py).
# Tries of one supplier call (timeouts, 5xx, bad replies) before the pass gives up, and the first back-off.
CATALOG_CALL_ATTEMPTS = env.int("CATALOG_CALL_ATTEMPTS", default=3)
CATALOG_CALL_BACKOFF_SECONDS = env.float("CATALOG_CALL_BACKOFF_SECONDS", default=0.5)
# Batch pipelines of one page fetched at once (each SKU's own calls stay in §6.3 order).
CATALOG_FETCH_WORKERS = env.int("CATALOG_FETCH_WORKERS", default=4)
# Messages asked for per getMessagePool call (the contract allows up to 1000).
CATALOG_POOL_PAGE = env.int("CATALOG_POOL_PAGE", default=1000)
# A pass stops after this long (below Q_TIMEOUT) and the next one carries on where it stopped.
CATALOG_PASS_SECONDS = env.int("CATALOG_PASS_SECONDS", default=240)
# How long a pass holds its supplier before another worker may take over (renewed on every page).
CATALOG_LEASE_SECONDS = env.int("CATALOG_LEASE_SECONDS", default=120)
# Passes of one message (e.g. its SKU missing from the supplier's batch reply) before it is stopped.
CATALOG_MESSAGE_MAX_ATTEMPTS = env.int("CATALOG_MESSAGE_MAX_ATTEMPTS", default=5)
# Consecutive failed passes (transient errors) before a supplier's sync stops and waits for staff.
CATALOG_SYNC_MAX_FAILURES = env.int("CATALOG_SYNC_MAX_FAILURES", default=6)
CATALOG_SYNC_BACKOFF_SECONDS = env.int("CATALOG_SYNC_BACKOFF_SECONDS", default=60)
# Stock (§7.2.7): the delivery area asked for, and how often listed SKUs are refreshed.
# Our area codes (docs/supplier-contract.md §9): every listed SKU's stock is kept for each; staff and orders
# also ask for any delivery area on demand.
CATALOG_STOCK_AREAS = env.list("CATALOG_STOCK_AREAS", default=["120000"])

# The docking test tool (procurement/docking, docs/docking.md).
# Cases of one run (so of one supplier: a supplier has one run at a time) run at most this many at once.
DOCKING_CONCURRENCY = env.int("DOCKING_CONCURRENCY", default=4)
# The 95th percentile of an interface's reply time over a run may not exceed this (milliseconds).
DOCKING_P95_MS = env.int("DOCKING_P95_MS", default=2000)
# SKUs validated as listing validates them (the first of those the test environment offers) …
DOCKING_SAMPLE_SKUS = env.int("DOCKING_SAMPLE_SKUS", default=20)
# … and the fewest a test environment must offer (a full batch of 100 and one more).
DOCKING_MIN_SKUS = env.int("DOCKING_MIN_SKUS", default=101)
# Our areas whose stock is asked (those the mall refreshes, and the test orders' county).
DOCKING_STOCK_AREAS = env.list("DOCKING_STOCK_AREAS", default=[*CATALOG_STOCK_AREAS, "120101"])
# Where test orders are delivered: our area codes, province → city → county.
DOCKING_ORDER_AREA_PATH = env.list("DOCKING_ORDER_AREA_PATH", default=["120000", "120100", "120101"])
# A running run without progress for this long was left by a dead worker: resumed, at most this many times, then
# closed as interrupted.
DOCKING_STALE_SECONDS = env.int("DOCKING_STALE_SECONDS", default=300)
DOCKING_MAX_RESUMES = env.int("DOCKING_MAX_RESUMES", default=2)
CATALOG_STOCK_INTERVAL_MINUTES = env.int("CATALOG_STOCK_INTERVAL_MINUTES", default=30)
# Mall-standard suppliers (seed 001): a full walk of the pools every this many hours (finds SKUs that left
# every pool, and ones the new / modified lists missed); prices and shelf states of listed SKUs (that standard
# has no price or shelf messages) refreshed every this many minutes; the optional data (ratings, offers…).
CATALOG_POOL_WALK_HOURS = env.int("CATALOG_POOL_WALK_HOURS", default=24)
CATALOG_PRICE_REFRESH_MINUTES = env.int("CATALOG_PRICE_REFRESH_MINUTES", default=30)
CATALOG_EXTRAS_REFRESH_HOURS = env.int("CATALOG_EXTRAS_REFRESH_HOURS", default=24)
# Main images must open (seed 001 §2.7): checked through the outbound client, a few at a time, each result
# reused for this many hours.
CATALOG_IMAGE_CHECK = env_flag("CATALOG_IMAGE_CHECK", True)
CATALOG_IMAGE_CHECK_HOURS = env.int("CATALOG_IMAGE_CHECK_HOURS", default=24)
CATALOG_IMAGE_CHECK_TIMEOUT = env.float("CATALOG_IMAGE_CHECK_TIMEOUT", default=5.0)
CATALOG_IMAGE_CHECK_WORKERS = env.int("CATALOG_IMAGE_CHECK_WORKERS", default=8)
# File formats a product may link to (5015).
CATALOG_IMAGE_FORMATS = env.list("CATALOG_IMAGE_FORMATS", default=["jpg", "jpeg", "png", "gif", "webp", "bmp"])
CATALOG_DOCUMENT_FORMATS = env.list(
    "CATALOG_DOCUMENT_FORMATS", default=["pdf", "doc", "docx", "xls", "xlsx", "jpg", "jpeg", "png"]
)

# --- orders ---
# Orders not yet finished are asked about at their supplier every this many minutes.
ORDERS_POLL_MINUTES = env.int("ORDERS_POLL_MINUTES", default=5)

# --- customs ---
# Customs real-time payment data (seed 004): we serve platDataOpen and upload to realTimeDataUpload.
# Signer: "sm2" (software SM2 key, for the sandbox and tests) or "ukey" (the 电子口岸 client's local
# websocket service signs with the card). The key and the PIN are secrets: set them in the
# environment only; they are never stored in the database or logged.
CUSTOMS_SIGNER = env.str("CUSTOMS_SIGNER", default="sm2")
if CUSTOMS_SIGNER not in ("sm2", "ukey"):
    raise ImproperlyConfigured(f"CUSTOMS_SIGNER must be sm2 or ukey, not {CUSTOMS_SIGNER!r}")
# The certificate number registered with customs (certNo); the ukey signer returns its own.
CUSTOMS_CERT_NO = env.str("CUSTOMS_CERT_NO", default="SANDBOX-CERT-0001" if DEBUG else "")
# SM2 private key, 64 hex characters. With DEBUG on and none set, the sandbox demo key below is used:
# it is published here, so it is registered with nothing but the sandbox customs.
CUSTOMS_SANDBOX_DEMO_SM2_KEY = "3945208f7b2144b13f36e38ac6d39f95889393692860b51a42fb81ef4df7c5b8"
CUSTOMS_SM2_PRIVATE_KEY = env.str("CUSTOMS_SM2_PRIVATE_KEY", default=CUSTOMS_SANDBOX_DEMO_SM2_KEY if DEBUG else "")
CUSTOMS_UKEY_URL = env.str("CUSTOMS_UKEY_URL", default="ws://127.0.0.1:61232")
CUSTOMS_UKEY_PIN = env.str("CUSTOMS_UKEY_PIN", default="")
CUSTOMS_UKEY_TIMEOUT_SECONDS = env.float("CUSTOMS_UKEY_TIMEOUT_SECONDS", default=30.0)
# realTimeDataUpload: a URL, or one of the names below (seed 004 §1.3). Default: the joint-test URL;
# with DEBUG on, the sandbox customs that `make run` starts (port 8103).
from procurement.sandboxes import SANDBOXES  # noqa: E402  (a plain dict: module path → port)

CUSTOMS_UPLOAD_URLS = {
    "test": "https://swapptest.singlewindow.cn/ceb2grab/grab/realTimeDataUpload",
    "production": "https://customs.chinaport.gov.cn/ceb2grab/grab/realTimeDataUpload",
    "sandbox": f"http://{SANDBOX_HOST}:{SANDBOXES['customs.sandbox']}/ceb2grab/grab/realTimeDataUpload",
}
CUSTOMS_UPLOAD_URL = env.str("CUSTOMS_UPLOAD_URL", default="sandbox" if DEBUG else "test")
CUSTOMS_UPLOAD_URL = CUSTOMS_UPLOAD_URLS.get(CUSTOMS_UPLOAD_URL, CUSTOMS_UPLOAD_URL)
if not CUSTOMS_UPLOAD_URL.startswith(("https://", "http://")):
    raise ImproperlyConfigured("CUSTOMS_UPLOAD_URL must be an http(s) URL or one of: test, production, sandbox")
# Our platform's customs registration number: the ebpCode of payment records entered without one.
CUSTOMS_EBP_CODE = env.str("CUSTOMS_EBP_CODE", default="")
# Uploads that fail in transport are retried with backoff: this many attempts in all, the first
# retry after about this many seconds, doubling each time (at most 30 minutes apart).
CUSTOMS_UPLOAD_MAX_ATTEMPTS = env.int("CUSTOMS_UPLOAD_MAX_ATTEMPTS", default=6)
CUSTOMS_UPLOAD_RETRY_SECONDS = env.float("CUSTOMS_UPLOAD_RETRY_SECONDS", default=30.0)
CUSTOMS_MAX_BODY_BYTES = env.int("CUSTOMS_MAX_BODY_BYTES", default=16 * 1024)
# The networks customs' 通关服务系统 calls platDataOpen from (comma-separated CIDRs, as registered with
# customs), or `*` for any caller. The seed gives the interface no authentication: empty means no caller
# at all, the default with DEBUG off, and `check --deploy` says so (customs.checks); `*` is the default
# with DEBUG on. Behind a reverse proxy, restrict there too (this checks the address the app sees).
import ipaddress  # noqa: E402

_networks = env.list("CUSTOMS_ALLOWED_NETWORKS", default=["*"] if DEBUG else [])
CUSTOMS_ALLOWED_NETWORKS = [spec.strip() for spec in _networks if spec.strip()]
for _network in CUSTOMS_ALLOWED_NETWORKS:
    if _network == "*":
        continue
    try:
        ipaddress.ip_network(_network, strict=False)
    except ValueError:
        raise ImproperlyConfigured(
            f"CUSTOMS_ALLOWED_NETWORKS: {_network!r} is neither a network (a CIDR such as 10.20.0.0/16) nor *"
        ) from None
# platDataOpen calls per caller address and minute (a fixed window in the cache, shared by the web nodes
# with Redis); more are refused with 20007. 0: no limit.
CUSTOMS_RATE_PER_MINUTE = env.int("CUSTOMS_RATE_PER_MINUTE", default=6000)
if CUSTOMS_RATE_PER_MINUTE < 0:
    raise ImproperlyConfigured("CUSTOMS_RATE_PER_MINUTE must be 0 (no limit) or more")
