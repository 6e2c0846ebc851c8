"""File responses that honour HTTP Range requests.

Browsers seek in video and audio with Range requests; without 206 answers, resuming a podcast
at the remembered position fails. Django's FileResponse always sends the whole file.
"""

import os
import re
from collections.abc import Iterator
from typing import IO

from django.http import FileResponse, HttpRequest, HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase

_RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")
_CHUNK = 64 * 1024


def _read_range(handle: IO[bytes], start: int, length: int) -> Iterator[bytes]:
    try:
        handle.seek(start)
        remaining = length
        while remaining > 0:
            chunk = handle.read(min(_CHUNK, remaining))
            if not chunk:
                break
            remaining -= len(chunk)
            yield chunk
    finally:
        handle.close()


def ranged_file_response(
    request: HttpRequest, handle: IO[bytes], *, content_type: str, size: int | None = None
) -> HttpResponseBase:
    if size is None:
        size = os.fstat(handle.fileno()).st_size
    header = request.headers.get("Range", "").strip()
    match = _RANGE.match(header) if header else None
    if not header or (match is None and "," in header):
        # No range, or several ranges (which no media element asks for): the whole file.
        response = FileResponse(handle, content_type=content_type)
        response["Accept-Ranges"] = "bytes"
        return response
    start_text, end_text = match.groups() if match else ("", "")
    if match is None or (start_text == "" and end_text == ""):
        handle.close()
        return _unsatisfiable(size)
    if start_text == "":
        start, end = max(size - int(end_text), 0), size - 1
    else:
        start = int(start_text)
        end = min(int(end_text), size - 1) if end_text else size - 1
    if start >= size or start > end:
        handle.close()
        return _unsatisfiable(size)
    length = end - start + 1
    streaming = StreamingHttpResponse(
        _read_range(handle, start, length), status=206, content_type=content_type
    )
    streaming["Content-Range"] = f"bytes {start}-{end}/{size}"
    streaming["Content-Length"] = str(length)
    streaming["Accept-Ranges"] = "bytes"
    return streaming


def _unsatisfiable(size: int) -> HttpResponse:
    response = HttpResponse(status=416)
    response["Content-Range"] = f"bytes */{size}"
    return response
