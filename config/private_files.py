"""Hands a stored file to the client after the caller's permission check: never a public URL.

Every view that serves a record, photo, signature, evidence, summary or dossier document first
asks ``inspections/access.py`` and then returns ``serve_private_file(...)``:

- local storage: django-sendfile2 with ``SENDFILE_BACKEND`` — streamed by Django in development
  (``simple``), ``X-Accel-Redirect`` to an ``internal`` nginx location in production (``nginx``);
- S3: a redirect to a pre-signed URL valid ``PRIVATE_FILE_URL_SECONDS`` (the bucket stays private);
- any other storage: streamed by Django.
"""

from __future__ import annotations

import mimetypes
import re
import unicodedata
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.files.storage import Storage, default_storage
from django.core.signals import setting_changed
from django.db.models.fields.files import FieldFile
from django.dispatch import receiver
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.utils.http import content_disposition_header
from django_sendfile import sendfile
from django_sendfile.utils import _get_sendfile

__all__ = ["safe_download_name", "serve_private_file"]

_UNSAFE = re.compile(r"[^A-Za-z0-9]+")


def safe_download_name(name: str, *, fallback: str = "tep") -> str:
    """An ASCII file name safe in any header and file system: no path, quotes or controls.

    Vietnamese letters lose their marks (``Biên bản đợt 1.pdf`` → ``Bien-ban-dot-1.pdf``).
    """
    name = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = name.replace("đ", "d").replace("Đ", "D")
    name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    stem, dot, ext = name.rpartition(".")
    if not dot:
        stem, ext = name, ""
    stem = _UNSAFE.sub("-", stem).strip("-")[:80] or fallback
    ext = _UNSAFE.sub("", ext)[:8].lower()
    return f"{stem}.{ext}" if ext else stem


def serve_private_file(
    request: HttpRequest,
    file: FieldFile | str,
    *,
    download_name: str,
    as_attachment: bool = True,
    content_type: str | None = None,
    storage: Storage | None = None,
) -> HttpResponse:
    """The response that delivers ``file`` (a FieldFile, or a name in ``storage`` / the default
    storage) to a caller who has already been allowed to see it.

    ``download_name`` is made safe here; the content type is guessed from it when not given.
    Only call this after an ``inspections.access`` check: the response itself checks nothing.
    """
    if isinstance(file, FieldFile):
        name, storage = file.name, file.storage
    else:
        name, storage = file, storage or default_storage
    if not name:
        raise Http404
    filename = safe_download_name(download_name)
    content_type = content_type or mimetypes.guess_type(filename)[0] or "application/octet-stream"
    if _is_s3(storage):
        response = _presigned_redirect(storage, name, filename, as_attachment, content_type)
    else:
        try:
            path = storage.path(name)
        except NotImplementedError:
            path = None
        if path is None:
            if not storage.exists(name):
                raise Http404
            response = FileResponse(
                storage.open(name, "rb"),
                as_attachment=as_attachment,
                filename=filename,
                content_type=content_type,
            )
        else:
            response = _sendfile(request, path, filename, as_attachment, content_type)
    # Stored bytes are never interpreted as something else (HTML, script) by a browser.
    response["X-Content-Type-Options"] = "nosniff"
    response.setdefault("Cache-Control", "private")
    return response


def _sendfile(
    request: HttpRequest, path: str, filename: str, as_attachment: bool, content_type: str
) -> HttpResponse:
    root = Path(settings.SENDFILE_ROOT).resolve()
    if not Path(path).resolve().is_relative_to(root):
        # Silently 404ing here would hide a deployment error (MEDIA_ROOT moved, SENDFILE_ROOT not).
        raise ImproperlyConfigured(
            f"SENDFILE_ROOT ({root}) must be the media storage's location; {path} is outside it."
        )
    return sendfile(
        request,
        path,
        attachment=as_attachment,
        attachment_filename=filename,
        mimetype=content_type,
    )


def _is_s3(storage: Storage) -> bool:
    try:
        from storages.backends.s3 import S3Storage
    except ImportError:  # pragma: no cover - django-storages is a dependency
        return False
    return isinstance(storage, S3Storage)


def _presigned_redirect(
    storage, name: str, filename: str, as_attachment: bool, content_type: str
) -> HttpResponse:
    if not storage.querystring_auth or storage.custom_domain:
        # Either would give an unsigned, permanent URL to a private object.
        raise ImproperlyConfigured(
            "Private files on S3 need querystring_auth=True and no custom_domain."
        )
    url = storage.url(
        name,
        parameters={
            "ResponseContentDisposition": content_disposition_header(as_attachment, filename),
            "ResponseContentType": content_type,
        },
        expire=settings.PRIVATE_FILE_URL_SECONDS,
    )
    response = HttpResponseRedirect(url)
    # The signed URL expires soon: neither the browser nor a proxy may reuse this redirect.
    response["Cache-Control"] = "private, no-store"
    return response


@receiver(setting_changed)
def _reload_sendfile_backend(*, setting: str, **kwargs) -> None:
    # django-sendfile2 caches the backend it imported; tests switch it (simple ↔ nginx).
    if setting == "SENDFILE_BACKEND":
        _get_sendfile.cache_clear()
