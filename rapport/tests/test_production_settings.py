"""The settings a production server starts with, checked in fresh processes as an operator runs it.

Each test starts Python with an environment built from scratch (nothing inherited from the test
run's own settings), so it sees exactly what `rapport/settings.py` makes of the variables.
"""

import json
import os
import re
import secrets
import subprocess
import sys
from http.cookies import Morsel, SimpleCookie
from pathlib import Path

import pytest
from django.conf import settings

REPO = Path(__file__).resolve().parents[2]
DEPLOYMENT_DOC = REPO / "docs" / "deployment.md"


def production_env_from_docs() -> dict[str, str]:
    """The variables in the fenced block after the `production-env` marker of docs/deployment.md."""
    text = DEPLOYMENT_DOC.read_text(encoding="utf-8")
    found = re.search(r"<!-- production-env[^>]*-->\s*```sh\n(.*?)```", text, re.DOTALL)
    assert found, "docs/deployment.md lost its production-env block"
    pairs = (line.split("=", 1) for line in found.group(1).splitlines() if "=" in line)
    env = {name.strip(): value.strip() for name, value in pairs}
    env["DJANGO_SECRET_KEY"] = secrets.token_urlsafe(50)  # the doc shows a placeholder
    return env


def run_python(code: str, env: dict[str, str], tmp_path: Path) -> subprocess.CompletedProcess[str]:
    """Run `code` in a fresh interpreter with only `env` (plus what Python needs to start)."""
    base = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(tmp_path),
        "LANG": "C.UTF-8",
        "DJANGO_SETTINGS_MODULE": "rapport.settings",
        "RAPPORT_VAR_DIR": str(tmp_path / "var"),
    }
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=REPO,
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


START = "import django; django.setup(); from django.conf import settings; print('started')"


def test_it_refuses_to_start_without_a_secret_key_when_debug_is_off(tmp_path: Path) -> None:
    result = run_python(START, {"EMAIL_HOST": "smtp.example.com"}, tmp_path)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "DJANGO_SECRET_KEY is not set" in result.stderr
    assert "started" not in result.stdout


def test_it_reads_the_secret_key_from_a_file(tmp_path: Path) -> None:
    key_file = tmp_path / "secret-key"
    key_file.write_text("from-a-file-" + "k" * 50 + "\n")
    env = {"DJANGO_SECRET_KEY_FILE": str(key_file), "EMAIL_HOST": "smtp.example.com"}
    result = run_python(START + "; print(settings.SECRET_KEY)", env, tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["started", "from-a-file-" + "k" * 50]


def test_a_secret_key_file_that_cannot_be_read_stops_the_server(tmp_path: Path) -> None:
    env = {"DJANGO_SECRET_KEY_FILE": str(tmp_path / "missing"), "EMAIL_HOST": "smtp.example.com"}
    result = run_python(START, env, tmp_path)
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY_FILE=" in result.stderr
    assert "cannot be read" in result.stderr


def test_only_debug_runs_on_the_development_key(tmp_path: Path) -> None:
    result = run_python(START, {"DJANGO_DEBUG": "1"}, tmp_path)
    assert result.returncode == 0, result.stderr


def test_it_refuses_to_print_email_to_the_console_in_production(tmp_path: Path) -> None:
    result = run_python(START, {"DJANGO_SECRET_KEY": secrets.token_urlsafe(50)}, tmp_path)
    assert result.returncode != 0
    assert "EMAIL_HOST is not set" in result.stderr
    assert "RAPPORT_EMAIL_CONSOLE=1" in result.stderr


def test_the_console_email_needs_an_explicit_opt_in(tmp_path: Path) -> None:
    env = {"DJANGO_SECRET_KEY": secrets.token_urlsafe(50), "RAPPORT_EMAIL_CONSOLE": "1"}
    result = run_python(START + "; print(settings.MAILERS['default']['BACKEND'])", env, tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[-1] == "django.core.mail.backends.console.EmailBackend"


def test_check_deploy_is_clean_with_the_documented_production_settings(tmp_path: Path) -> None:
    env = production_env_from_docs()
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "DEBUG"],
        cwd=REPO,
        env={
            "PATH": os.environ.get("PATH", ""),
            "HOME": str(tmp_path),
            "RAPPORT_VAR_DIR": str(tmp_path / "var"),
            "DJANGO_SETTINGS_MODULE": "rapport.settings",
            **env,
        },
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    # The one silenced check is auth.W004 (an email is unique per organisation, not across the
    # installation: docs/decisions/0006-accounts-per-organisation.md); no security check is.
    assert "System check identified no issues (1 silenced)." in result.stdout
    assert settings.SILENCED_SYSTEM_CHECKS == ["auth.W004"]


# Signs in over HTTPS (as the TLS proxy reports it) and prints what the browser would receive.
HEADERS_SCRIPT = """
import json, django
django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0)
from django.test import Client
from accounts.models import User
User.objects.create_user("ada@example.com", "a-long-password-for-ada", full_name="Ada")
https = {"HTTP_HOST": "rapport.example.com", "HTTP_X_FORWARDED_PROTO": "https"}
client = Client(**https)
page = client.get("/accounts/sign-in/")
signed_in = client.post(
    "/accounts/sign-in/", {"username": "ada@example.com", "password": "a-long-password-for-ada"}
)
plain = Client(HTTP_HOST="rapport.example.com").get("/accounts/sign-in/")
cookies = {**page.cookies, **signed_in.cookies}
print(json.dumps({
    "status": page.status_code,
    "signed_in": signed_in.status_code,
    "headers": dict(page.headers),
    "cookies": [morsel.OutputString() for morsel in cookies.values()],
    "plain": [plain.status_code, plain.headers.get("Location", "")],
}))
"""


@pytest.fixture(scope="module")
def production_response(tmp_path_factory: pytest.TempPathFactory) -> dict:
    tmp_path = tmp_path_factory.mktemp("production")
    # Plain static files: this checks headers, not the collectstatic manifest.
    env = {**production_env_from_docs(), "RAPPORT_PLAIN_STATIC": "1"}
    result = run_python(HEADERS_SCRIPT, env, tmp_path)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_production_pages_carry_the_security_headers(production_response: dict) -> None:
    assert production_response["status"] == 200
    headers = {name.lower(): value for name, value in production_response["headers"].items()}
    hsts = headers["strict-transport-security"]
    max_age = int(re.search(r"max-age=(\d+)", hsts).group(1))
    assert max_age >= 182 * 24 * 3600  # the Observatory's six months
    assert "includeSubDomains" in hsts
    assert "preload" in hsts
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["x-frame-options"] == "DENY"
    assert headers["referrer-policy"] == "same-origin"
    assert headers["cross-origin-opener-policy"] == "same-origin"
    csp = headers["content-security-policy"]
    assert "frame-ancestors 'none'" in csp
    assert "default-src 'self'" in csp
    script_src = re.search(r"script-src ([^;]*)", csp).group(1)
    assert "'unsafe-inline'" not in script_src
    assert "'nonce-" in script_src


def test_production_cookies_are_secure_httponly_and_samesite(production_response: dict) -> None:
    assert production_response["signed_in"] == 302
    cookies: dict[str, Morsel[str]] = {}
    for line in production_response["cookies"]:
        parsed = SimpleCookie()
        parsed.load(line)
        cookies.update(parsed)
    assert {"sessionid", "csrftoken"} <= set(cookies)
    for name, morsel in cookies.items():
        assert morsel["secure"], f"{name} is not Secure"
        assert morsel["httponly"], f"{name} is not HttpOnly"
        assert morsel["samesite"] == "Lax", f"{name} has no SameSite"


def test_plain_http_is_redirected_to_https(production_response: dict) -> None:
    status, location = production_response["plain"]
    assert status == 301
    assert location == "https://rapport.example.com/accounts/sign-in/"
