"""Errors of the demo generator that its command reports as a message, not a traceback."""

DEMO_EXTRA_MISSING = (
    "The demo's video and podcasts need the `demo` extra ({name} is not installed): run "
    "`make demo`, or `.venv/bin/python -m pip install -e '.[demo]'`."
)


class MediaError(RuntimeError):
    """The demo's media could not be made: the `demo` extra or ffmpeg is missing, or ffmpeg
    failed. The message says what to do."""
