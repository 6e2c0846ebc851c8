#!/usr/bin/env bash
# Creates .venv with a Python 3.12+ interpreter and installs Rapport with its dev tools and the
# `demo` extra (what seed_demo needs to make media; `make demo` and `make test` both come here).
# A second run only reinstalls when pyproject.toml changed, so it takes a second or two.
set -euo pipefail
cd "$(dirname "$0")/.."
VENV=${VENV:-.venv}
if [ ! -x "$VENV/bin/python" ] || ! "$VENV/bin/python" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)'; then
  py=$(bash scripts/find-python.sh)
  echo "Creating $VENV with $py ($("$py" --version))"
  rm -rf "$VENV"
  "$py" -m venv "$VENV"
fi
stamp="$VENV/.installed-$(sha256sum pyproject.toml | cut -c1-16)"
if [ ! -f "$stamp" ]; then
  echo "Installing Rapport and its tools into $VENV (first run: a minute or two)"
  # Some machines configure extra local indexes that pip warns about on every package.
  quiet() { "$@" 2>&1 | { grep -v "is ignored: it is neither a file nor a directory" || true; }; }
  quiet "$VENV/bin/python" -m pip install --quiet --upgrade pip
  quiet "$VENV/bin/python" -m pip install --quiet -e ".[dev,demo]"
  rm -f "$VENV"/.installed-*
  touch "$stamp"
fi

# Node dev tools for the tests (axe-core for the accessibility checks in tests/browser). Optional:
# without npm the browser tests skip their axe scan locally (and fail under CI). Reinstalls only
# when package-lock.json changed, like the pip stamp above.
if command -v npm >/dev/null 2>&1 && [ -f package-lock.json ]; then
  npm_stamp="node_modules/.installed-$(sha256sum package-lock.json | cut -c1-16)"
  if [ ! -f node_modules/axe-core/axe.min.js ] || [ ! -f "$npm_stamp" ]; then
    npm ci --no-audit --no-fund --silent
    rm -f node_modules/.installed-*
    touch "$npm_stamp"
  fi
fi
