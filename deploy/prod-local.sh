#!/usr/bin/env bash
# The production stack on one machine: nginx (TLS) → two gunicorn instances → PostgreSQL, Redis;
# three Celery worker pools (records+signing, notifications+summaries, imports+obligations+
# default), exactly one beat. Configuration from the environment (.env, see .env.example).
#
#   deploy/prod-local.sh start | stop | status        (make prod-local / make prod-local-stop)
#
# ENV_FILE=path selects another env file (the end-to-end test uses its own).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$PWD"
ENV_FILE="${ENV_FILE:-.env}"
BIN="$ROOT/.venv/bin"

die() { echo "prod-local: $*" >&2; exit 1; }

load_env() {
  if [ ! -f "$ENV_FILE" ]; then
    [ "$ENV_FILE" = ".env" ] || die "$ENV_FILE not found"
    secret="$(head -c 48 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' | head -c 50)"
    sed "s/^DJANGO_SECRET_KEY=__generate__$/DJANGO_SECRET_KEY=$secret/" .env.example > .env
    chmod 600 .env
    echo "prod-local: wrote .env from .env.example (edit it, then start again to apply)"
  fi
  set -a
  # shellcheck disable=SC1090
  . "$ENV_FILE"
  set +a
  : "${DJANGO_SETTINGS_MODULE:?}" "${DATABASE_URL:?}" "${REDIS_URL:?}" "${PCCC_VAR_DIR:?}"
  case "$PCCC_VAR_DIR" in /*) ;; *) PCCC_VAR_DIR="$ROOT/$PCCC_VAR_DIR" ;; esac
  case "${MEDIA_ROOT:=$PCCC_VAR_DIR/media}" in /*) ;; *) MEDIA_ROOT="$ROOT/$MEDIA_ROOT" ;; esac
  export PCCC_VAR_DIR MEDIA_ROOT
  RUN="$PCCC_VAR_DIR/run"
  LOGS="$PCCC_VAR_DIR/logs"
  PROD_HTTP_PORT="${PROD_HTTP_PORT:-8080}"
  PROD_HTTPS_PORT="${PROD_HTTPS_PORT:-8443}"
  GUNICORN_PORTS="${GUNICORN_PORTS:-8001 8002}"
  GUNICORN_TIMEOUT="${GUNICORN_TIMEOUT:-120}"
}

ensure_services() {
  if ! command -v nginx >/dev/null && ! [ -x /usr/sbin/nginx ]; then
    echo "prod-local: installing nginx (Debian package)"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx-light
  fi
  if ! pg_isready -h 127.0.0.1 -p 5432 -q; then
    pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql)" main start
  fi
  if ! redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1; then
    redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no \
      --dir /var/lib/redis --logfile /var/log/redis/ci.log
  fi
  for _ in $(seq 1 30); do
    pg_isready -h 127.0.0.1 -p 5432 -q && redis-cli -h 127.0.0.1 ping >/dev/null 2>&1 && return
    sleep 1
  done
  die "PostgreSQL or Redis did not start"
}

ensure_database() {
  local name="${DATABASE_URL##*/}" server="${DATABASE_URL%/*}"
  name="${name%%\?*}"
  psql "$server/postgres" -tAc "SELECT 1 FROM pg_database WHERE datname='$name'" | grep -q 1 \
    || psql "$server/postgres" -qc "CREATE DATABASE \"$name\""
}

manage() { "$BIN/python" manage.py "$@"; }

prepare() {
  mkdir -p "$RUN" "$LOGS" "$MEDIA_ROOT" "$PCCC_VAR_DIR/nginx-tmp"
  manage check --deploy --fail-level WARNING
  manage migrate --noinput -v 0
  manage collectstatic --noinput -v 0
  if [ -z "${SIGNING_P12_PATH:-}" ] && [ ! -f "$PCCC_VAR_DIR/signing/dev-signer.p12" ]; then
    manage create_dev_signing_cert
  fi
  if [ "${PROD_LOCAL_DEMO:-0}" = 1 ]; then
    manage seed_demo --force
  fi
  local tls="$PCCC_VAR_DIR/tls"
  TLS_CERT="${TLS_CERT:-$tls/cert.pem}"
  TLS_KEY="${TLS_KEY:-$tls/key.pem}"
  if [ ! -f "$TLS_CERT" ]; then
    mkdir -p "$tls"
    openssl req -x509 -newkey rsa:2048 -nodes -days 365 -subj "/CN=localhost" \
      -addext "subjectAltName=DNS:localhost,IP:127.0.0.1" \
      -keyout "$TLS_KEY" -out "$TLS_CERT" 2>/dev/null
  fi
  local ports=()
  for p in $GUNICORN_PORTS; do ports+=(--upstream-port "$p"); done
  manage render_nginx_conf --prefix "$PCCC_VAR_DIR" "${ports[@]}" \
    --http-port "$PROD_HTTP_PORT" --https-port "$PROD_HTTPS_PORT" \
    --tls-cert "$TLS_CERT" --tls-key "$TLS_KEY" --proxy-timeout $((GUNICORN_TIMEOUT + 10)) \
    --output "$RUN/nginx.conf" >/dev/null
}

running() { [ -f "$RUN/$1.pid" ] && kill -0 "$(cat "$RUN/$1.pid")" 2>/dev/null; }

# Starts a long-running process in its own session, its pid in run/NAME.pid, output in logs/.
spawn() {
  local name="$1"; shift
  if running "$name"; then echo "prod-local: $name already running"; return; fi
  setsid "$@" >>"$LOGS/$name.log" 2>&1 < /dev/null &
  echo $! > "$RUN/$name.pid"
}

wait_healthy() {
  local url="$1"
  for _ in $(seq 1 60); do
    if curl -fs -o /dev/null --max-time 5 "$url"; then return 0; fi
    sleep 1
  done
  die "$url did not answer 200 (logs in $LOGS)"
}

start() {
  load_env
  ensure_services
  ensure_database
  prepare
  if [ "${PROD_LOCAL_SMTP_SINK:-0}" = 1 ]; then
    spawn smtp-sink "$BIN/python" -m aiosmtpd -n -l "${EMAIL_URL#smtp://}"
  fi
  for p in $GUNICORN_PORTS; do
    GUNICORN_BIND="127.0.0.1:$p" spawn "gunicorn-$p" "$BIN/gunicorn" -c deploy/gunicorn.conf.py \
      config.wsgi
  done
  local celery=("$BIN/celery" -A config)
  spawn worker-records "${celery[@]}" worker -n records@%h -Q records,signing \
    --pool prefork --concurrency "${RECORDS_CONCURRENCY:-2}" -l info
  spawn worker-notifications "${celery[@]}" worker -n notifications@%h \
    -Q notifications,summaries --pool prefork --concurrency "${NOTIFICATIONS_CONCURRENCY:-2}" -l info
  spawn worker-background "${celery[@]}" worker -n background@%h -Q imports,obligations,celery \
    --pool prefork --concurrency "${BACKGROUND_CONCURRENCY:-2}" -l info
  # Exactly one beat for the whole deployment, wherever the workers run.
  spawn beat "${celery[@]}" beat --scheduler config.beat:AdminEditableScheduler -l info \
    --pidfile "$PCCC_VAR_DIR/celerybeat.pid"
  for p in $GUNICORN_PORTS; do wait_healthy "http://127.0.0.1:$p/healthz"; done
  if ! running nginx; then
    nginx -p "$PCCC_VAR_DIR" -c "$RUN/nginx.conf" -t -q
    nginx -p "$PCCC_VAR_DIR" -c "$RUN/nginx.conf"
    cp "$PCCC_VAR_DIR/nginx.pid" "$RUN/nginx.pid"
  fi
  wait_healthy "http://127.0.0.1:$PROD_HTTP_PORT/healthz"
  echo "prod-local: https://127.0.0.1:$PROD_HTTPS_PORT/ (self-signed: $TLS_CERT); logs in $LOGS"
}

# SIGTERM, then up to GRACE seconds to finish (a worker completes the record it is signing;
# gunicorn the requests in flight), then SIGKILL.
stop_one() {
  local name="$1" grace="$2" pid
  [ -f "$RUN/$name.pid" ] || return 0
  pid="$(cat "$RUN/$name.pid")"
  if kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid"
    for _ in $(seq 1 "$grace"); do kill -0 "$pid" 2>/dev/null || break; sleep 1; done
    if kill -0 "$pid" 2>/dev/null; then
      echo "prod-local: $name did not stop in ${grace}s, killing it"
      kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid"
    fi
  fi
  rm -f "$RUN/$name.pid"
}

stop() {
  load_env
  if running nginx; then
    nginx -p "$PCCC_VAR_DIR" -c "$RUN/nginx.conf" -s quit || true
  fi
  stop_one nginx 10
  stop_one beat 10
  local grace=$(( ${REPORT_TASK_TIME_LIMIT:-180} + 10 ))
  for w in records notifications background; do stop_one "worker-$w" "$grace" & done
  for p in $GUNICORN_PORTS; do stop_one "gunicorn-$p" 40 & done
  wait
  stop_one smtp-sink 5
  echo "prod-local: stopped"
}

status() {
  load_env
  local rc=0
  for f in "$RUN"/*.pid; do
    [ -e "$f" ] || { echo "nothing running"; return 1; }
    name="$(basename "$f" .pid)"
    if running "$name"; then echo "$name running (pid $(cat "$f"))"; else echo "$name DEAD"; rc=1; fi
  done
  return $rc
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  *) die "usage: $0 start|stop|status" ;;
esac
