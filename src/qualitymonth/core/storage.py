"""Where files live. Private files (complaint attachments) have no public URL: a view that
checks the policy streams them.

Every uploaded file is stored under a random name (`RandomNameStorage`, the default and the
private storage in settings.STORAGES): the name a person gave a file ("张三身份证.jpg", "未发布
新品.mp4") says things about them, and a guessable name lets anyone who knows the folder find a
file that is not meant to be found yet. Models that show the original name keep it in a field.

Several nodes share their uploads either on a shared file system (`RandomNameStorage`) or in an
S3-compatible object store (`RandomNameS3Storage`, MEDIA_STORAGE=s3); both name files alike.
"""

import posixpath
import secrets
from urllib.parse import urljoin

from django.conf import settings
from django.core.files.storage import FileSystemStorage, storages
from django.utils.encoding import filepath_to_uri
from storages.backends.s3 import S3Storage

# The extensions the upload fields accept (images, the videos of stories and contest entries,
# PDF attachments). A file is served with a type guessed from its extension, so any other is
# dropped rather than kept: a stored ".html" or ".svg" must not come back as a page.
UPLOAD_EXTENSIONS = frozenset(
    {".jpg", ".jpeg", ".png", ".webp", ".gif", ".mp4", ".webm", ".mov", ".pdf"}
)


def random_name(filename: str) -> str:
    """'stories/2025/我的新品.MP4' -> 'stories/2025/3f9c…e1.mp4': the folder the field chose, a
    random name, and the extension lower-cased if it is one the platform accepts."""
    folder, original = posixpath.split(filename.replace("\\", "/"))
    extension = posixpath.splitext(original)[1].lower()
    if extension not in UPLOAD_EXTENSIONS:
        extension = ""
    return posixpath.join(folder, secrets.token_hex(16) + extension)


class RandomNames:
    """Mixed into a storage: every file saved through a model field gets a random name."""

    def generate_filename(self, filename: str) -> str:
        return super().generate_filename(random_name(filename))


class RandomNameStorage(RandomNames, FileSystemStorage):
    """The file system, with every file saved through a model field given a random name."""


class RandomNameS3Storage(RandomNames, S3Storage):
    """An S3-compatible bucket (django-storages), with the same random names.

    A file's URL is the app's own /media/ address, as on the file system, not a link into the
    bucket: core.media serves it there, so the draft guards still run, the page's CSP (images
    and media from this site only) holds, and the object store need not be reachable from
    browsers. Private files get such a URL too, and /media/ does not serve them: it reads only
    the default storage, and they are in the private bucket.
    """

    def url(self, name, parameters=None, expire=None, http_method=None) -> str:
        return urljoin(settings.MEDIA_URL, filepath_to_uri(name).lstrip("/"))


def private_storage():
    return storages["private"]
