"""Files attached to coaching messages: which kinds are accepted, recognised by their bytes.

A file's name can say anything, so its first bytes decide (as programs.validators does for
media), and the name's extension must agree with them. Accepted: PDF; PNG, JPEG, GIF and WebP
images; Office documents (Word, Excel, PowerPoint — both the zipped OOXML formats and the older
binary ones) and OpenDocument; plain text (UTF-8, no NUL bytes). Anything else, and anything
larger than `settings.RAPPORT_MAX_ATTACHMENT_MB`, is refused with a message naming the file.
"""

import io
import zipfile
from dataclasses import dataclass
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

# extension -> (the container its bytes must show, the content type it is served as)
KINDS: dict[str, tuple[str, str]] = {
    ".pdf": ("pdf", "application/pdf"),
    ".png": ("png", "image/png"),
    ".jpg": ("jpeg", "image/jpeg"),
    ".jpeg": ("jpeg", "image/jpeg"),
    ".gif": ("gif", "image/gif"),
    ".webp": ("webp", "image/webp"),
    ".docx": (
        "ooxml:word/",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ),
    ".xlsx": ("ooxml:xl/", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ".pptx": (
        "ooxml:ppt/",
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ),
    ".doc": ("ole", "application/msword"),
    ".xls": ("ole", "application/vnd.ms-excel"),
    ".ppt": ("ole", "application/vnd.ms-powerpoint"),
    ".odt": ("odf:text", "application/vnd.oasis.opendocument.text"),
    ".ods": ("odf:spreadsheet", "application/vnd.oasis.opendocument.spreadsheet"),
    ".odp": ("odf:presentation", "application/vnd.oasis.opendocument.presentation"),
    ".txt": ("text", "text/plain; charset=utf-8"),
    ".md": ("text", "text/plain; charset=utf-8"),
    ".csv": ("text", "text/plain; charset=utf-8"),
}
ACCEPT = ",".join(sorted(KINDS))  # for the file input's `accept`
OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


@dataclass(frozen=True)
class CheckedFile:
    """An accepted upload: its bytes, its own name (one line, at most 255 characters), the
    content type it will be served as and its size in bytes."""

    data: bytes
    name: str
    content_type: str
    size: int


def max_bytes() -> int:
    return int(settings.RAPPORT_MAX_ATTACHMENT_MB) * 1024 * 1024


def _zip_names(data: bytes) -> list[str] | None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return archive.namelist()
    except (zipfile.BadZipFile, ValueError, OSError):
        return None


def _matches(container: str, data: bytes) -> bool:
    """Whether `data` is the container an extension promises."""
    if container == "pdf":
        return data.startswith(b"%PDF-")
    if container == "png":
        return data.startswith(b"\x89PNG\r\n\x1a\n")
    if container == "jpeg":
        return data.startswith(b"\xff\xd8\xff")
    if container == "gif":
        return data.startswith((b"GIF87a", b"GIF89a"))
    if container == "webp":
        return data.startswith(b"RIFF") and data[8:12] == b"WEBP"
    if container == "ole":
        return data.startswith(OLE_SIGNATURE)
    if container.startswith("ooxml:"):
        names = (_zip_names(data) if data.startswith(b"PK\x03\x04") else None) or []
        folder = container.removeprefix("ooxml:")
        return "[Content_Types].xml" in names and any(n.startswith(folder) for n in names)
    if container.startswith("odf:"):
        # An OpenDocument file starts with an uncompressed `mimetype` entry naming its kind.
        expected = b"mimetypeapplication/vnd.oasis.opendocument." + container[4:].encode()
        return data.startswith(b"PK\x03\x04") and data[30 : 30 + len(expected)] == expected
    if container == "text":
        if b"\x00" in data:
            return False
        try:
            data.decode("utf-8")
        except UnicodeDecodeError:
            return False
        return True
    return False


def _clean_name(raw: str) -> str:
    """The file's own name, on one line, without any folder, at most 255 characters."""
    name = PurePath(raw.replace("\\", "/")).name
    name = "".join(c for c in name if c.isprintable()).strip() or "file"
    if len(name) > 255:
        suffix = PurePath(name).suffix[:20]
        name = name[: 255 - len(suffix)] + suffix
    return name


def check_upload(upload: UploadedFile) -> CheckedFile:
    """Read and check one uploaded file. Raises ValidationError (naming the file) for a file
    over the size limit, an empty file, a kind that is not accepted, or bytes that are not the
    kind its name says."""
    name = _clean_name(upload.name or "")
    limit = max_bytes()
    if upload.size is not None and upload.size > limit:
        raise ValidationError(
            _("%(name)s is larger than %(mb)s MB. Attach a smaller file.")
            % {"name": name, "mb": settings.RAPPORT_MAX_ATTACHMENT_MB},
            code="too_big",
        )
    kind = KINDS.get(PurePath(name).suffix.lower())
    if kind is None:
        raise ValidationError(
            _(
                "%(name)s is not a kind of file you can attach. Attach a PDF, an image (PNG, "
                "JPEG, GIF, WebP), an Office or OpenDocument file, or plain text."
            )
            % {"name": name},
            code="kind",
        )
    upload.seek(0)
    data = upload.read(limit + 1)
    if len(data) > limit:
        raise ValidationError(
            _("%(name)s is larger than %(mb)s MB. Attach a smaller file.")
            % {"name": name, "mb": settings.RAPPORT_MAX_ATTACHMENT_MB},
            code="too_big",
        )
    if not data:
        raise ValidationError(_("%(name)s is empty.") % {"name": name}, code="empty")
    container, content_type = kind
    if not _matches(container, data):
        raise ValidationError(
            _("%(name)s does not look like the kind of file its name says. Is it damaged?")
            % {"name": name},
            code="mismatch",
        )
    return CheckedFile(data=data, name=name, content_type=content_type, size=len(data))
