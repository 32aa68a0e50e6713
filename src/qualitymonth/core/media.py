"""Serving uploaded public media with HTTP Range, so a browser's video player can seek.

Production usually puts the media behind the proxy or an object store that does this itself;
this view is what `make run` and a single node use. It reads through the default storage (the
folder MEDIA_ROOT, or the media bucket when MEDIA_STORAGE=s3), so only public uploads are served;
private files (complaint attachments) live in the private storage and are never reachable here.
From an object store each request fetches the whole object, whatever range it asks for
(django-storages' S3File downloads a file before its first read): cheap for pictures and short
clips, a cost to watch for long videos.

Some public files are not public yet: the cover and video of a draft story or article. An app
registers a guard for its folder (`register_media_guard`, from its AppConfig.ready()); the guard
says whether this user may read that file, and a file it refuses is a 404, as the draft is.
Behind a proxy that serves /media/ itself the guards do not run; the random names the storage
gives every upload (core/storage.py) are what keeps such a file from being found there.
"""

import mimetypes
import os
import posixpath
import re
from collections.abc import Callable

from django.core.exceptions import SuspiciousOperation
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpResponse
from django.views.decorators.http import require_http_methods

_RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")
CHUNK = 256 * 1024

# folder ("stories/") -> guard(user, name) answering "may this user read the file `name`"
MediaGuard = Callable[[object, str], bool]
_guards: dict[str, MediaGuard] = {}


def register_media_guard(folder: str, guard: MediaGuard) -> None:
    """Files under `folder` (relative to MEDIA_ROOT) are served only when `guard` allows."""
    _guards[folder.strip("/") + "/"] = guard


def _guard_for(name: str) -> MediaGuard | None:
    return next((guard for folder, guard in _guards.items() if name.startswith(folder)), None)


def _parse_range(header: str, size: int) -> tuple[int, int] | None:
    """(first, last) byte of a single range, or None when there is none to honour; raises
    ValueError when the range cannot be satisfied."""
    match = _RANGE.match(header.strip())
    if not match:
        return None  # multiple or malformed ranges: answer with the whole file (RFC 9110 allows)
    first, last = match.groups()
    if first == "" and last == "":
        return None
    if first == "":  # the last N bytes
        length = int(last)
        if length == 0:
            raise ValueError
        return max(size - length, 0), size - 1
    start = int(first)
    end = min(int(last), size - 1) if last else size - 1
    if start >= size or start > end:
        raise ValueError
    return start, end


class _Slice:
    """A file object that stops after `length` bytes, for FileResponse."""

    def __init__(self, handle, length: int):
        self.handle, self.remaining = handle, length

    def read(self, size: int = -1) -> bytes:
        if self.remaining <= 0:
            return b""
        size = self.remaining if size < 0 else min(size, self.remaining)
        data = self.handle.read(size)
        self.remaining -= len(data)
        return data

    def close(self) -> None:
        self.handle.close()


def _stored_name(storage, path: str) -> str | None:
    """The name as stored in a FileField, whatever spelling of the path was asked for
    ("stories//2025/x.mp4", "./stories/…", a link to the folder), so no guard is walked round;
    None for a path that leaves the storage."""
    # A backslash is a separator to some stores (django-storages turns it into "/"), so a
    # name spelt with one would reach the file without meeting the guard of its folder.
    if any(ord(character) < 32 for character in path) or "\\" in path:
        return None
    name = posixpath.normpath(path)
    if name in (".", "..") or name.startswith(("../", "/")):
        return None
    try:
        local = storage.path(name)
    except NotImplementedError:
        return name  # an object store: a key is only its name, there is no link to follow
    except (SuspiciousOperation, ValueError):
        return None
    root = os.path.realpath(storage.location)
    name = os.path.relpath(os.path.realpath(local), root).replace(os.sep, "/")
    return None if name == ".." or name.startswith("../") else name


@require_http_methods(["GET", "HEAD"])
def serve_media(request, path: str):
    name = _stored_name(default_storage, path)
    if name is None:
        raise Http404
    guard = _guard_for(name)
    cache_control = "public, max-age=3600"
    if guard is not None:
        if not guard(request.user, name):
            raise Http404
        # A guarded file may be a draft's: no shared cache may keep it for the next reader.
        cache_control = "private, no-cache"
    try:
        handle = default_storage.open(name, "rb")  # the response closes it
    except (OSError, SuspiciousOperation):  # missing, a folder, or outside the storage
        raise Http404 from None
    content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    return ranged_response(request, handle, handle.size, content_type, cache_control=cache_control)


def ranged_response(
    request, handle, size: int, content_type: str, *, cache_control: str = "public, max-age=3600"
):
    """Answer with the whole file or the one byte range asked for (206), or 416; closes handle."""
    try:
        wanted = _parse_range(request.headers.get("Range", ""), size)
    except ValueError:
        handle.close()
        response = HttpResponse(status=416)
        response["Content-Range"] = f"bytes */{size}"
        return response
    if wanted is None:
        response = FileResponse(handle, content_type=content_type)
        response["Content-Length"] = str(size)
    else:
        first, last = wanted
        handle.seek(first)
        response = FileResponse(
            _Slice(handle, last - first + 1), content_type=content_type, status=206
        )
        response["Content-Range"] = f"bytes {first}-{last}/{size}"
        response["Content-Length"] = str(last - first + 1)
    response["Accept-Ranges"] = "bytes"
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = cache_control
    return response


def private_file_response(
    field, *, allow_pdf: bool = False, download_name: str = ""
) -> FileResponse:
    """A file from private storage (a photo, a licence, a report): typed by its stored
    extension — only pictures (and PDFs where allowed) keep their type —, never cached by
    others, never run as a page (a sandbox CSP: no scripts, no same-origin access); 404 when
    the file is gone. With download_name it is an attachment of that name."""
    content_type = mimetypes.guess_type(field.name)[0] or "application/octet-stream"
    shown = content_type.startswith("image/") and content_type != "image/svg+xml"
    if not (shown or (allow_pdf and content_type == "application/pdf")):
        content_type = "application/octet-stream"
    try:
        handle = field.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(
        handle, content_type=content_type, as_attachment=bool(download_name), filename=download_name
    )
    if not download_name:
        response["Content-Disposition"] = "inline"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox"
    response["Cache-Control"] = "private, no-store"
    return response
