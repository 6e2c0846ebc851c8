"""Upload checks for activity media: the right kind of file, by its bytes, and not too big;
captions that browsers will actually play.

A file's name can say anything, so the first bytes decide. Anything else gets a clear message.
"""

import io
import re
from pathlib import PurePath

import webvtt
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.utils.translation import gettext as _
from webvtt.errors import MalformedCaptionError, MalformedFileError

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


# --- Captions ------------------------------------------------------------------------------------
#
# Browsers play WebVTT only, and their parser (https://www.w3.org/TR/webvtt1/#file-parsing) drops
# what it cannot read without a word: a file without the "WEBVTT" line plays nothing, and a cue
# whose timing uses SubRip's comma ("00:00:01,000") is skipped. So a captions file is checked as
# the browser will read it, with webvtt-py in strict mode, and every problem names its line or
# cue. SubRip (SRT) files, and WebVTT files with SRT commas, can be converted instead.

# The WebVTT signature: "WEBVTT" alone, or followed by a space or tab and a header text.
_WEBVTT_SIGNATURE = re.compile(r"^WEBVTT(?:[ \t].*)?$")
# A cue timing line written the SubRip way, with a comma before the milliseconds.
_SRT_TIMING = re.compile(r"\d{1,2}:\d{2}:\d{2},\d{1,3}\s*-->")
_SHOWN_LINE_LENGTH = 60


class CaptionsError(ValidationError):
    """A captions file browsers would not play. `convertible` is true when it is SubRip (SRT),
    or WebVTT with SRT commas, which `convert_srt_to_webvtt` can turn into valid WebVTT."""

    def __init__(self, message: str, *, code: str, convertible: bool = False) -> None:
        super().__init__(message, code=code)
        self.convertible = convertible


def _shown(line: str) -> str:
    line = line.strip()
    return line if len(line) <= _SHOWN_LINE_LENGTH else line[: _SHOWN_LINE_LENGTH - 1] + "…"


def _captions_text(data: bytes) -> str:
    """The file as text, or CaptionsError if it is not UTF-8 text (WebVTT is always UTF-8)."""
    if b"\x00" in data:
        raise CaptionsError(
            _("This is not a text file: captions are text, and this contains binary data."),
            code="captions_binary",
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise CaptionsError(
            _(
                "This file is not UTF-8 text (the first unreadable byte is on line %(line)d). "
                "Save it as UTF-8 and upload it again."
            )
            % {"line": line},
            code="captions_encoding",
        ) from exc


def _srt_convert_hint() -> str:
    return _("Choose “Convert from SRT” to convert it to WebVTT.")


def parse_webvtt(data: bytes) -> webvtt.WebVTT:
    """Parse captions as a browser would, or raise CaptionsError saying what is wrong and where.

    Refused: binary or non-UTF-8 data; a first line other than "WEBVTT" (SubRip files say so and
    are marked convertible); a cue timing with SRT commas (convertible); a cue block the strict
    WebVTT parser rejects (line named); a cue that ends before it starts (cue and line named);
    a file with no cues at all.
    """
    text = _captions_text(data)
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    first = lines[0] if lines else ""
    if not _WEBVTT_SIGNATURE.match(first):
        if any(_SRT_TIMING.search(line) for line in lines[:4]):
            raise CaptionsError(
                _("This is a SubRip (SRT) file, not WebVTT, so browsers will not show it.")
                + " "
                + _srt_convert_hint(),
                code="captions_srt",
                convertible=True,
            )
        raise CaptionsError(
            _("This is not a WebVTT file: line 1 must be “WEBVTT”, but it is “%(line)s”.")
            % {"line": _shown(first)},
            code="captions_header",
        )
    for number, line in enumerate(lines, start=1):
        if _SRT_TIMING.search(line):
            raise CaptionsError(
                _(
                    "Line %(line)d: the cue timing “%(timing)s” uses commas, as SRT files do; "
                    "WebVTT needs a full stop before the milliseconds (00:00:01.000), and "
                    "browsers skip such cues."
                )
                % {"line": number, "timing": _shown(line)}
                + " "
                + _srt_convert_hint(),
                code="captions_srt_commas",
                convertible=True,
            )
    try:
        captions = webvtt.from_string(text, strict=True)
    except MalformedCaptionError as exc:
        number = _first_bad_line(lines, str(exc))
        raise CaptionsError(
            _(
                "Line %(line)d: “%(timing)s” is not a valid cue timing. WebVTT cue timings look "
                "like 00:01:02.500 --> 00:01:05.000 (hours are optional)."
            )
            % {"line": number, "timing": _shown(lines[number - 1])},
            code="captions_timing",
        ) from exc
    except MalformedFileError as exc:
        raise CaptionsError(
            _("This is not a WebVTT file: line 1 must be “WEBVTT”."), code="captions_header"
        ) from exc
    timing_lines = [number for number, line in enumerate(lines, start=1) if "-->" in line]
    for index, cue in enumerate(captions.captions):
        if cue.end_time.in_milliseconds() <= cue.start_time.in_milliseconds():
            raise CaptionsError(
                _(
                    "Cue %(cue)d (line %(line)d) ends at %(end)s, which is not after its start "
                    "at %(start)s."
                )
                % {
                    "cue": index + 1,
                    "line": timing_lines[index] if index < len(timing_lines) else 0,
                    "start": cue.start,
                    "end": cue.end,
                },
                code="captions_timing",
            )
    if not captions.captions:
        raise CaptionsError(
            _("This WebVTT file has no cues, so there is nothing to show."), code="captions_empty"
        )
    return captions


def _first_bad_line(lines: list[str], message: str) -> int:
    """The line of the first timing line the strict parser quoted (or the first with "-->")."""
    for number, line in enumerate(lines, start=1):
        if "-->" in line and repr(line) in message:
            return number
    return next((n for n, line in enumerate(lines, start=1) if "-->" in line), 1)


def convert_srt_to_webvtt(data: bytes) -> bytes:
    """Convert SubRip captions (or WebVTT written with SRT commas) to WebVTT with webvtt-py.

    Returns UTF-8 WebVTT that `parse_webvtt` accepts, or raises CaptionsError when the file
    is not SubRip either (or converts to something browsers would still refuse).
    """
    text = _captions_text(data)
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if lines and _WEBVTT_SIGNATURE.match(lines[0]):
        # WebVTT with SRT timings: the cues after the header block are SubRip cues.
        blank = lines.index("") if "" in lines else len(lines)
        lines = lines[blank + 1 :]
    while lines and not lines[0].strip():
        lines.pop(0)
    try:
        captions = webvtt.from_buffer(io.StringIO("\n".join(lines)), format="srt")
    except (MalformedFileError, MalformedCaptionError) as exc:
        raise CaptionsError(
            _(
                "This file could not be converted: it is not a SubRip (SRT) file either. "
                "SRT cues are a number, a timing such as 00:00:01,000 --> 00:00:04,000, and text."
            ),
            code="captions_not_srt",
        ) from exc
    converted = captions.content.encode()
    parse_webvtt(converted)
    return converted


def validate_captions_file(file: File) -> None:
    """A `.vtt` file of at most 2 MB that browsers will play (see parse_webvtt)."""
    if PurePath(file.name or "").suffix.lower() != ".vtt":
        raise ValidationError(_("Captions must be a WebVTT file (.vtt)."), code="captions_type")
    if file.size is not None and file.size > MAX_CAPTIONS_BYTES:
        raise ValidationError(_("A captions file may be at most 2 MB."), code="captions_size")
    parse_webvtt(_read_all(file))


def _read_all(file: File) -> bytes:
    position = file.tell() if hasattr(file, "tell") else 0
    file.seek(0)
    data = file.read(MAX_CAPTIONS_BYTES + 1)
    file.seek(position)
    return data if isinstance(data, bytes) else data.encode()


def captions_play(file: File) -> bool:
    """Whether a stored captions file parses as WebVTT (what `Activity.has_captions` records).
    Any problem reading it counts as "no": a file that cannot be read cannot be played."""
    try:
        if getattr(file, "_committed", True):
            with file.open("rb") as stored:
                data = stored.read(MAX_CAPTIONS_BYTES + 1)
        else:  # a new upload, not yet in storage: read it without closing it
            data = _read_all(file)
        parse_webvtt(data)
    except (ValidationError, OSError, ValueError):
        return False
    return True
