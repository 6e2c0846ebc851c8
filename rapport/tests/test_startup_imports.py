"""What a process pays before its first request: loading the URLconf must not import the heavy
numerical libraries only one page uses (scipy.stats: 1 to 4 s here, paid by every web worker,
task worker and `review_text` run at its first `reverse()`)."""

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
print("loaded:" + ",".join(sorted(m for m in ("scipy", "scipy.stats") if m in sys.modules)))
"""


def test_loading_the_urlconf_does_not_import_scipy() -> None:
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
