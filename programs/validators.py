"""Upload checks for activity media: the right kind of file, by its bytes, and not too big.

A file's name can say anything, so the first bytes decide. Anything else gets a clear message.
"""

from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.utils.translation import gettext as _

MEDIA_TYPES = {
    ".webm": "video/webm",
    ".mp4": "video/mp4",
    ".m4v": "video/mp4",
    ".mp3": "audio/mpeg",
    ".m4a": "audio/mp4",
    ".ogg": "audio/ogg",
    ".oga": "audio/ogg",
    ".opus": "audio/ogg",
    ".wav": "audio/wav",
    ".vtt": "text/vtt",
}
MAX_CAPTIONS_BYTES = 2 * 1024 * 1024


def guess_media_type(name: str) -> str:
    return MEDIA_TYPES.get(PurePath(name).suffix.lower(), "application/octet-stream")


def _sniff(head: bytes) -> str | None:
    """The container a file's first bytes announce, or None."""
    if head.startswith(b"\x1a\x45\xdf\xa3"):
        return "webm"
    if head[4:8] == b"ftyp":
        return "mp4"
    if head.startswith(b"OggS"):
        return "ogg"
    if head.startswith(b"RIFF") and head[8:12] == b"WAVE":
        return "wav"
    if head.startswith(b"ID3") or (len(head) > 1 and head[0] == 0xFF and head[1] & 0xE0 == 0xE0):
        return "mp3"
    return None


_SUFFIX_CONTAINERS = {
    ".webm": {"webm"},
    ".mp4": {"mp4"},
    ".m4v": {"mp4"},
    ".m4a": {"mp4"},
    ".mp3": {"mp3"},
    ".ogg": {"ogg"},
    ".oga": {"ogg"},
    ".opus": {"ogg"},
    ".wav": {"wav"},
}


def _read_head(file: File, size: int = 16) -> bytes:
    position = file.tell() if hasattr(file, "tell") else 0
    file.seek(0)
    head = file.read(size)
    file.seek(position)
    return head if isinstance(head, bytes) else head.encode()


def validate_media_file(file: File) -> None:
    suffix = PurePath(file.name or "").suffix.lower()
    if suffix not in _SUFFIX_CONTAINERS:
        raise ValidationError(
            _("Upload a video or audio file (%(types)s)."),
            params={"types": ", ".join(sorted(_SUFFIX_CONTAINERS))},
            code="media_type",
        )
    limit_mb = settings.RAPPORT_MAX_MEDIA_UPLOAD_MB
    if file.size is not None and file.size > limit_mb * 1024 * 1024:
        raise ValidationError(
            _("This file is %(size)d MB; the limit is %(limit)d MB."),
            params={"size": file.size // (1024 * 1024), "limit": limit_mb},
            code="media_size",
        )
    if _sniff(_read_head(file)) not in _SUFFIX_CONTAINERS[suffix]:
        raise ValidationError(
            _("This file is not a real %(suffix)s media file."),
            params={"suffix": suffix},
            code="media_content",
        )


def validate_captions_file(file: File) -> None:
    if PurePath(file.name or "").suffix.lower() != ".vtt":
        raise ValidationError(_("Captions must be a WebVTT file (.vtt)."), code="captions_type")
    if file.size is not None and file.size > MAX_CAPTIONS_BYTES:
        raise ValidationError(_("A captions file may be at most 2 MB."), code="captions_size")
    head = _read_head(file, 16).removeprefix(b"\xef\xbb\xbf")
    if not head.startswith(b"WEBVTT"):
        raise ValidationError(
            _("This is not a WebVTT file: it must start with the line “WEBVTT”."),
            code="captions_content",
        )
