"""Small typed readers for environment variables, so settings.py stays declarative."""

import os

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ValueError(f"{name} must be one of {sorted(_TRUE | _FALSE)}, not {raw!r}")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ValueError(f"{name} must be a whole number, not {raw!r}") from None


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_secret(name: str) -> str:
    """A secret from `NAME`, or else from the file named by `NAME_FILE` (Docker/systemd secrets).

    Returns "" when neither is set. Surrounding whitespace (a file's final newline) is dropped.
    Raises ValueError when `NAME_FILE` is set but cannot be read or is empty, so a mistyped path
    never turns into a silent default.
    """
    if value := os.environ.get(name, "").strip():
        return value
    path = os.environ.get(f"{name}_FILE", "").strip()
    if not path:
        return ""
    try:
        with open(path, encoding="utf-8") as handle:
            value = handle.read().strip()
    except OSError as error:
        raise ValueError(f"{name}_FILE={path!r} cannot be read: {error.strerror}") from None
    if not value:
        raise ValueError(f"{name}_FILE={path!r} is empty")
    return value
