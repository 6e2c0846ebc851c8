#!/usr/bin/env bash
# Prints the path of a Python 3.12+ interpreter, or explains why there is none.
# Order: $PYTHON, python3.13/python3.12 on PATH, pyenv's installed versions, python3.
set -u
ok() { "$1" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' 2>/dev/null; }
candidates=()
[ -n "${PYTHON:-}" ] && candidates+=("$PYTHON")
for name in python3.13 python3.12; do
  p=$(command -v "$name" 2>/dev/null) && candidates+=("$p")
done
root=${PYENV_ROOT:-$HOME/.pyenv}
if [ -d "$root/versions" ]; then
  for v in $(ls -1 "$root/versions" | grep -E '^3\.(1[2-9]|[2-9][0-9])\.' | sort -rV); do
    candidates+=("$root/versions/$v/bin/python3")
  done
fi
p=$(command -v python3 2>/dev/null) && candidates+=("$p")
for c in "${candidates[@]}"; do
  if [ -x "$c" ] && ok "$c"; then
    echo "$c"
    exit 0
  fi
done
echo "Rapport needs Python 3.12 or newer, and none was found." >&2
echo "Looked at: \$PYTHON, python3.13, python3.12, pyenv versions under $root, python3." >&2
echo "Install Python 3.12+ (or set PYTHON=/path/to/python3.12) and run the command again." >&2
exit 1
