"""What a process pays before its first request: loading the URLconf must not import the heavy
libraries only one page or task uses — scipy.stats (1 to 4 s here), httpx (the xAPI forwarder's
client, about 0.1 s) and icalendar (invites, about 0.08 s) — each paid by every web worker, task
worker and `review_text` run at its start or first `reverse()`."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

PROBE = """
import sys
import django
django.setup()
from django.urls import get_resolver, reverse
get_resolver().url_patterns
reverse("home")
heavy = ("scipy", "scipy.stats", "httpx", "icalendar")
print("loaded:" + ",".join(sorted(m for m in heavy if m in sys.modules)))
"""


def test_loading_the_urlconf_imports_no_heavy_library() -> None:
    run = subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=ROOT,
        env={
            "DJANGO_SETTINGS_MODULE": "rapport.settings_test",
            "PYTHONPATH": str(ROOT),
            "PATH": "/usr/bin:/bin",
        },
        capture_output=True,
        text=True,
        check=True,
    )
    assert run.stdout.strip().splitlines()[-1] == "loaded:"
