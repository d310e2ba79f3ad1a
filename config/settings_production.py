"""Production settings: everything secret or host-specific comes from the environment."""

from .settings import *  # noqa: F403
from .settings import env

DEBUG = False
SECRET_KEY = env.str("DJANGO_SECRET_KEY")  # no default: fails loudly when missing
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS")

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
# Load balancers probe /healthz over plain HTTP inside the network: answer, do not redirect.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
LOG_JSON = env.bool("LOG_JSON", default=True)
LOGGING["handlers"]["console"]["formatter"] = "json" if LOG_JSON else "plain"  # noqa: F405
STORAGES["staticfiles"]["BACKEND"] = (  # noqa: F405
    "whitenoise.storage.CompressedManifestStaticFilesStorage"
)
# nginx serves private files from its `internal` location after the application's check.
SENDFILE_BACKEND = env.str("SENDFILE_BACKEND", default="django_sendfile.backends.nginx")
