"""Production-style settings for the benchmark: the real settings plus a hello-world URL."""

from rapport.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
DEBUG = False
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "WARNING"}}
