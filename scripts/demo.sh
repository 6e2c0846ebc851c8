#!/usr/bin/env bash
# `make demo`: set up, migrate, seed the demo organisation once, then run the background-task
# worker and the web server the way production does (DEBUG off, collected static files, gunicorn;
# see docs/deployment.md), on the embedded defaults (SQLite, local media, database-backed tasks).
# Differences from production, each explicit: plain HTTP on loopback, a secret key generated once
# into the data folder, and emails printed to this terminal (RAPPORT_EMAIL_CONSOLE=1).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh
PY=.venv/bin/python
PORT=${PORT:-8000}
HOST=${HOST:-127.0.0.1}
VAR_DIR=${RAPPORT_VAR_DIR:-var}
export DJANGO_DEBUG=${DJANGO_DEBUG:-0}
export RAPPORT_EMAIL_CONSOLE=${RAPPORT_EMAIL_CONSOLE:-1}
export DJANGO_ALLOWED_HOSTS=${DJANGO_ALLOWED_HOSTS:-$HOST,127.0.0.1,localhost}
# The address emails link to (sessions, digests, unsubscribe): the one this demo serves, on
# whatever PORT it was given (the settings' default is port 8000).
export RAPPORT_SITE_URL=${RAPPORT_SITE_URL:-http://$HOST:$PORT}
if [ -z "${DJANGO_SECRET_KEY:-}${DJANGO_SECRET_KEY_FILE:-}" ]; then
  # Generated once and kept, so sign-ins survive a restart; readable by this user only.
  key_file="$VAR_DIR/secret-key"
  if [ ! -s "$key_file" ]; then
    mkdir -p "$VAR_DIR"
    (umask 077 && $PY -c 'import secrets; print(secrets.token_urlsafe(50))' >"$key_file")
  fi
  export DJANGO_SECRET_KEY_FILE="$key_file"
fi
$PY manage.py migrate --no-input -v 0
$PY manage.py collectstatic --no-input -v 0
if ! $PY manage.py seed_demo --check >/dev/null 2>&1; then
  # Prints the address and sign-ins when it is done.
  # shellcheck disable=SC2086  # DEMO_SEED_ARGS is a list of options
  $PY manage.py seed_demo --learners "${DEMO_LEARNERS:-60}" --url "http://$HOST:$PORT/" ${DEMO_SEED_ARGS:-}
  seeded=1
fi
$PY manage.py db_worker --queue-name '*' &
worker=$!
# New-week notices and email digests, every minute (rapport/management/commands/run_periodic.py).
$PY manage.py run_periodic --every 60 -v 0 &
periodic=$!
trap 'kill $worker $periodic 2>/dev/null || true' EXIT INT TERM
[ -n "${seeded:-}" ] || $PY manage.py seed_demo --show-sign-ins --url "http://$HOST:$PORT/"
exec_status=0
$PY -m gunicorn rapport.wsgi:application --bind "$HOST:$PORT" --workers "${WEB_WORKERS:-2}" --log-level warning || exec_status=$?
exit $exec_status
