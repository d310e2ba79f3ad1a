"""The app's three server-side pieces; everything else happens in the browser against the API.

The shell is the same for every user (the app logs in with the API's tokens, not a session), so
the service worker can cache it and start the app with the network off. The worker's cache name
carries a hash of every file it caches, so a new release replaces the old files at once.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.views.decorators.cache import cache_control

STATIC_DIR = Path(__file__).resolve().parent / "static"
APP_FILES = "fieldapp"


@lru_cache(maxsize=1)
def _static_files() -> tuple[list[str], str]:
    """Static paths the worker caches (relative to STATIC_URL) and a hash of their content."""
    digest = hashlib.sha256()
    paths = []
    for path in sorted((STATIC_DIR / APP_FILES).rglob("*")):
        if path.is_file() and path.suffix in {".js", ".mjs", ".css", ".png", ".json", ".svg"}:
            rel = path.relative_to(STATIC_DIR).as_posix()
            paths.append(rel)
            digest.update(rel.encode())
            digest.update(path.read_bytes())
    template = Path(__file__).resolve().parent / "templates" / "fieldapp"
    for name in ("shell.html", "sw.js"):
        digest.update((template / name).read_bytes())
    return paths, digest.hexdigest()[:16]


def _static_prefix() -> str:
    return settings.STATIC_URL if settings.STATIC_URL.startswith("/") else "/" + settings.STATIC_URL


@cache_control(no_cache=True)
def shell(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "fieldapp/shell.html",
        {"static_prefix": _static_prefix(), "version": _static_files()[1]},
    )


@cache_control(no_cache=True)
def manifest(request: HttpRequest) -> JsonResponse:
    app = reverse("fieldapp:shell")
    data = {
        "name": "PCCC Inspect — Kiểm tra",
        "short_name": "PCCC Kiểm tra",
        "lang": "vi",
        "start_url": app,
        "scope": app,
        "display": "standalone",
        "orientation": "portrait",
        "background_color": "#ffffff",
        "theme_color": "#b71c1c",
        "icons": [
            {"src": static("fieldapp/icons/icon-192.png"), "sizes": "192x192", "type": "image/png"},
            {"src": static("fieldapp/icons/icon-512.png"), "sizes": "512x512", "type": "image/png"},
            {
                "src": static("fieldapp/icons/maskable-512.png"),
                "sizes": "512x512",
                "type": "image/png",
                "purpose": "maskable",
            },
        ],
    }
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False})
    response["Content-Type"] = "application/manifest+json"
    return response


@cache_control(no_cache=True)
def service_worker(request: HttpRequest) -> HttpResponse:
    paths, version = _static_files()
    prefix = _static_prefix()
    response = render(
        request,
        "fieldapp/sw.js",
        {
            "version": version,
            "precache": [reverse("fieldapp:shell"), reverse("fieldapp:manifest")]
            + [prefix + p for p in paths],
            "app_scope": reverse("fieldapp:shell"),
            "static_prefix": prefix,
        },
        content_type="text/javascript; charset=utf-8",
    )
    response["Service-Worker-Allowed"] = reverse("fieldapp:shell")
    return response
