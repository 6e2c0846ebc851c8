"""Shared set-up for the tests of coaching messages, notes and action plans: files of each
accepted kind, and writing through coaching.actions as the pages do."""

import io
import zipfile

from django.core.files.uploadedfile import SimpleUploadedFile

from coaching import actions
from coaching.access import get_writable_pair
from coaching.attachments import CheckedFile, check_upload
from coaching.models import ActionItem, Message

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def docx_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<document/>")
    return buffer.getvalue()


def upload(name: str, data: bytes, content_type: str = "application/octet-stream"):
    return SimpleUploadedFile(name, data, content_type=content_type)


def checked(name: str = "plan.pdf", data: bytes = PDF) -> CheckedFile:
    return check_upload(upload(name, data))


def send(sender, to, body: str = "Hello", files: tuple[CheckedFile, ...] = ()) -> Message:
    """`sender` writes to `to` (their coach or learner) through the action the page calls."""
    return actions.send_message(get_writable_pair(sender, to.public_id), body=body, files=files)


def add_item(by, to, text: str = "Ask one open question a day", **kwargs) -> ActionItem:
    return actions.add_action_item(get_writable_pair(by, to.public_id), text=text, **kwargs)
