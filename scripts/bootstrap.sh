#!/usr/bin/env bash
# Creates .venv with a Python 3.12+ interpreter and installs Rapport with its dev tools.
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
  "$VENV/bin/python" -m pip install --quiet --upgrade pip
  "$VENV/bin/python" -m pip install --quiet -e ".[dev]"
  rm -f "$VENV"/.installed-*
  touch "$stamp"
fi
