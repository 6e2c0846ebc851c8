#!/usr/bin/env bash
# `make demo`: set up, migrate, seed the demo organisation once, then run the web server and the
# background-task worker on the embedded defaults (SQLite, local media, database-backed tasks).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh
PY=.venv/bin/python
export DJANGO_DEBUG=${DJANGO_DEBUG:-1}
PORT=${PORT:-8000}
HOST=${HOST:-127.0.0.1}
$PY manage.py migrate --no-input -v 0
if ! $PY manage.py seed_demo --check >/dev/null 2>&1; then
  # Prints the address and sign-ins when it is done.
  $PY manage.py seed_demo --learners "${DEMO_LEARNERS:-60}" --url "http://$HOST:$PORT/"
  seeded=1
fi
$PY manage.py db_worker --queue-name '*' &
worker=$!
trap 'kill $worker 2>/dev/null || true' EXIT INT TERM
[ -n "${seeded:-}" ] || $PY manage.py seed_demo --show-sign-ins --url "http://$HOST:$PORT/"
exec_status=0
$PY manage.py runserver "$HOST:$PORT" --noreload || exec_status=$?
exit $exec_status
