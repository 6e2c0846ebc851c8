#!/usr/bin/env bash
# The MDN HTTP Observatory (the scanner behind observatory.mozilla.org, `@mdn/mdn-http-observatory`)
# over Rapport served with the documented production settings behind TLS (docs/deployment.md).
#
#     sudo bash scripts/observatory.sh
#
# The scanner only scans a hostname on ports 80 and 443 with a certificate it trusts, so this
# script, on a machine of one's own: maps `rapport.test` to 127.0.0.1 in /etc/hosts (once), makes
# a throwaway certificate authority and a certificate for rapport.test (trusted by the scanner
# only, through NODE_EXTRA_CA_CERTS), migrates a throwaway SQLite database, and runs gunicorn with
# the settings block of docs/deployment.md on :443 (TLS) and :80 (plain, redirecting). It then runs
# the scanner, prints its grade and its ten tests, stops the servers and exits 1 unless the grade
# is A+. Not part of CI (it needs root and ports 80 and 443); the last grade is in
# docs/deployment.md. The scanner is installed at a pinned version into var/observatory with
# `--ignore-scripts` (its install script downloads Chromium's HSTS preload list, which only feeds
# the "preloaded" note of the HSTS test, not the grade: an empty list stands in).
set -euo pipefail
cd "$(dirname "$0")/.."
SCANNER="@mdn/mdn-http-observatory@1.4.8"
HOST=rapport.test
work=$(mktemp -d)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

if [ "$(id -u)" != 0 ]; then echo "Run as root: it binds ports 80 and 443 and edits /etc/hosts." >&2; exit 2; fi
for port in 80 443; do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then echo "Port $port is in use." >&2; exit 2; fi
done
grep -q "[[:space:]]$HOST\$" /etc/hosts || echo "127.0.0.1 $HOST" >> /etc/hosts

dir=var/observatory
pkg="$dir/node_modules/@mdn/mdn-http-observatory"
if [ ! -f "$pkg/src/scan.js" ]; then
  npm install --prefix "$dir" --ignore-scripts --no-audit --no-fund --silent "$SCANNER"
fi
[ -f "$pkg/conf/hsts-preload.json" ] || echo '{}' > "$pkg/conf/hsts-preload.json"

openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj "/CN=Rapport observatory test CA" \
  -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign" \
  -keyout "$work/ca.key" -out "$work/ca.pem" 2>/dev/null
openssl req -newkey rsa:2048 -nodes -subj "/CN=$HOST" -keyout "$work/site.key" \
  -out "$work/site.csr" 2>/dev/null
printf "subjectAltName=DNS:%s\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n" "$HOST" \
  > "$work/ext.cnf"
openssl x509 -req -in "$work/site.csr" -CA "$work/ca.pem" -CAkey "$work/ca.key" -CAcreateserial \
  -days 1 -extfile "$work/ext.cnf" -out "$work/site.pem" 2>/dev/null

# The production settings block of docs/deployment.md, for this host, with TLS in gunicorn itself.
export DJANGO_SECRET_KEY="observatory-$(head -c 32 /dev/urandom | base64 | tr -d '/+=')"
export DJANGO_ALLOWED_HOSTS=$HOST DJANGO_CSRF_TRUSTED_ORIGINS=https://$HOST
export DJANGO_SSL_REDIRECT=1 DJANGO_SECURE_COOKIES=1 DJANGO_HSTS_SECONDS=63072000
export DJANGO_HSTS_INCLUDE_SUBDOMAINS=1 DJANGO_HSTS_PRELOAD=1
export EMAIL_HOST=127.0.0.1 DEFAULT_FROM_EMAIL="Rapport <rapport@$HOST>"
export DATABASE_URL="sqlite:///$work/db.sqlite3" RAPPORT_VAR_DIR="$work/var"
.venv/bin/python manage.py migrate -v 0
.venv/bin/python manage.py collectstatic --no-input -v 0
.venv/bin/gunicorn rapport.wsgi -w 1 -b 0.0.0.0:443 --certfile "$work/site.pem" \
  --keyfile "$work/site.key" >"$work/https.log" 2>&1 &
pids+=($!)
.venv/bin/gunicorn rapport.wsgi -w 1 -b 0.0.0.0:80 >"$work/http.log" 2>&1 &
pids+=($!)
for _ in $(seq 50); do
  curl -sf -o /dev/null --cacert "$work/ca.pem" "https://$HOST/healthz" && break
  sleep 0.2
done

NODE_EXTRA_CA_CERTS="$work/ca.pem" node "$pkg/src/scan.js" "$HOST" >"$work/scan.json"
python3 - "$work/scan.json" <<'PY'
import json
import sys

report = json.load(open(sys.argv[1]))
if "scan" not in report:
    sys.exit(f"The scanner failed: {report.get('error')}")
scan = report["scan"]
print(f"MDN HTTP Observatory: grade {scan['grade']}, score {scan['score']}, "
      f"{scan['testsPassed']}/{scan['testsQuantity']} tests passed")
for name, test in report["tests"].items():
    mark = "pass" if test["pass"] else "FAIL"
    print(f"  {mark}  {name}: {test['result']} ({test['scoreModifier']:+d})")
sys.exit(0 if scan["grade"] == "A+" else 1)
PY
