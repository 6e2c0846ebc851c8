"""`make demo` serves the product as production does: DEBUG off, gunicorn, collected static files,
a secret key of its own, the product's error pages; on the PORT asked for, with the sign-ins
printed.

Seeding is tested in demo/tests/; rendering the demo media takes more than a
minute on a busy machine, so this test creates the (empty) demo organisation first and the script
takes its "already seeded" path.
"""

import os
import signal
import socket
import stat
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def fetch(url: str, method: str = "GET") -> tuple[int, dict[str, str], str]:
    request = urllib.request.Request(url, method=method)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, dict(response.headers), response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read().decode()


class Demo:
    def __init__(self, base: str, var_dir: Path, output: Path, group: int) -> None:
        self.base = base
        self.var_dir = var_dir
        self.output = output
        self.group = group  # the process group of the script, its worker and gunicorn

    def environments(self) -> dict[str, dict[str, str]]:
        """Each process of the demo's group: its command line and environment (Linux /proc)."""
        found = {}
        for status in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = status.read_text().rsplit(")", 1)[1].split()
                if int(fields[2]) != self.group:  # pgrp, after state and ppid
                    continue
                command = (status.parent / "cmdline").read_bytes().replace(b"\0", b" ").decode()
                pairs = (status.parent / "environ").read_bytes().split(b"\0")
            except OSError:
                continue
            found[command] = dict(pair.decode().split("=", 1) for pair in pairs if b"=" in pair)
        return found


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Demo]:
    tmp = tmp_path_factory.mktemp("demo")
    var_dir = tmp / "var"
    port = free_port()
    env = {
        "PATH": os.environ.get("PATH", ""),
        "HOME": os.environ.get("HOME", str(tmp)),
        "LANG": "C.UTF-8",
        "RAPPORT_VAR_DIR": str(var_dir),
        "PORT": str(port),
        "WEB_WORKERS": "1",
    }
    setup = (
        "import django; django.setup();"
        "from django.core.management import call_command; call_command('migrate', verbosity=0);"
        "from organizations.models import Organization; from demo.seed import *;"
        "Organization.objects.create(slug=DEMO_ORG_SLUG, name=DEMO_ORG_NAME)"
    )
    subprocess.run(
        [sys.executable, "-c", setup],
        cwd=REPO,
        env={**env, "DJANGO_DEBUG": "1", "DJANGO_SETTINGS_MODULE": "rapport.settings"},
        check=True,
        timeout=120,
    )
    output = tmp / "demo.log"
    with output.open("wb") as log:
        # Its own session, so the whole group (script, worker, gunicorn) can be stopped at the end.
        process = subprocess.Popen(
            ["bash", "scripts/demo.sh"],
            cwd=REPO,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline:
            if process.poll() is not None:
                pytest.fail(f"make demo stopped:\n{output.read_text()}")
            try:
                if fetch(f"{base}/healthz")[0] == 200:
                    break
            except OSError:
                pass
            time.sleep(0.5)
        else:
            pytest.fail(f"make demo did not answer within 180 s:\n{output.read_text()}")
        yield Demo(base, var_dir, output, process.pid)
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


@pytest.mark.skipif(not Path("/proc/self/environ").exists(), reason="reads Linux's /proc")
def test_the_demos_emails_link_to_the_address_it_serves(demo: Demo) -> None:
    # Its port is a free one, not the settings' default (8000): the processes that send emails
    # (the task worker, and the periodic runner that plans digests) have the demo's own address.
    # (Gunicorn's are not read: it writes its process titles over its environment's memory.)
    processes = demo.environments()
    for name in ("db_worker", "run_periodic"):
        matching = [env for command, env in processes.items() if name in command]
        assert matching, (name, list(processes))
        for env in matching:
            assert env.get("RAPPORT_SITE_URL") == demo.base, (name, env.get("RAPPORT_SITE_URL"))


def test_the_demo_runs_gunicorn_with_debug_off_and_collected_static_files(demo: Demo) -> None:
    status, headers, html = fetch(f"{demo.base}/accounts/sign-in/")
    assert status == 200
    assert headers["Server"].startswith("gunicorn")
    # A hashed file name is the manifest storage, which only DEBUG off uses.
    assert "/static/css/rapport." in html
    assert "/static/css/rapport.css" not in html
    assert (demo.var_dir / "static" / "staticfiles.json").is_file()


def test_the_demo_shows_the_products_404_page_not_djangos_url_list(demo: Demo) -> None:
    status, _, html = fetch(f"{demo.base}/no-such-page/")
    assert status == 404
    assert "We couldn&#39;t find that page" in html
    assert "URLconf" not in html


def test_the_demo_shows_the_products_405_page(demo: Demo) -> None:
    # OPTIONS, a method the CSRF check lets through, so the view's own refusal answers.
    status, headers, html = fetch(f"{demo.base}/healthz", method="OPTIONS")
    assert status == 405
    assert headers["Allow"] == "GET"
    assert "Error 405" in html


def test_the_demo_keeps_a_private_secret_key_of_its_own(demo: Demo) -> None:
    key_file = demo.var_dir / "secret-key"
    assert len(key_file.read_text().strip()) >= 50
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600


def test_the_demo_prints_its_address_and_sign_ins(demo: Demo) -> None:
    printed = demo.output.read_text()
    assert f"Rapport demo: {demo.base}/" in printed
    assert "learner@northwind.example" in printed
    assert "Password for all of them: rapport-demo" in printed
