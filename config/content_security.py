"""The Content-Security-Policy (django-csp) of every page the application serves.

One policy for the portal, the admin, the API docs and the offline app at /app/: scripts and
styles only from our own static files (no inline <script>, style="" or on*= handlers), photos
and signatures as data:/blob: URLs, the app's service worker and manifest from this origin.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from csp.constants import NONE, SELF


def tile_origin(url: str) -> list[str]:
    """The origin of a map tile URL template, as a CSP source (none for an empty URL)."""
    parts = urlsplit(url)
    # "{s}.tile.example.org" (Leaflet's subdomains) is "*.tile.example.org" to the CSP.
    host = parts.netloc.replace("{s}", "*")
    return [f"{parts.scheme}://{host}"] if parts.scheme and host else []


def content_security_policy(*, map_tile_url: str) -> dict[str, Any]:
    """``CONTENT_SECURITY_POLICY``; images may also come from the dashboard map's tile server."""
    return {
        "DIRECTIVES": {
            "default-src": [SELF],
            "script-src": [SELF],
            "style-src": [SELF],
            "img-src": [SELF, "data:", "blob:", *tile_origin(map_tile_url)],
            "font-src": [SELF],
            "connect-src": [SELF],
            "worker-src": [SELF],
            "manifest-src": [SELF],
            "form-action": [SELF],
            "frame-ancestors": [NONE],
            "base-uri": [SELF],
            "object-src": [NONE],
        }
    }
