"""Settings for the test suite and the lint/type checks: the real settings, told explicitly the two
things a production server must be told (rapport/settings.py refuses to start without them).

The secret key is random per process, so no test can come to depend on a known key.
"""

import os
import secrets

os.environ.setdefault("DJANGO_SECRET_KEY", "tests-only-" + secrets.token_urlsafe(48))
os.environ.setdefault("RAPPORT_EMAIL_CONSOLE", "1")

from rapport.settings import *  # noqa: F403
