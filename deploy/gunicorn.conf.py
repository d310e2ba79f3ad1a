"""gunicorn settings for the production stack; every value can be overridden by environment."""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8001")
workers = int(os.environ.get("WEB_CONCURRENCY", min(2 * multiprocessing.cpu_count() + 1, 8)))
# Threads let a worker serve another request while one waits on the database or a slow client
# upload; nginx buffers bodies and responses, so slow clients never hold a worker long.
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", 2))
# The slowest request (a province-wide export, an admin CSV import) must finish inside this.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 120))
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", 30))
# Longer than nginx's upstream keepalive_timeout (60 s): nginx closes idle connections first.
keepalive = 75
# Recycle workers now and then: a slow leak never grows without bound.
max_requests = 2000
max_requests_jitter = 200
# nginx on the same host is the only client trusted to set X-Forwarded-*.
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")
proxy_allow_ips = forwarded_allow_ips
# nginx writes the access log (JSON, with the request id); gunicorn logs errors to stderr.
accesslog = None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOGLEVEL", "info")
