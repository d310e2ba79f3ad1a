"""`make run` serves the app from collectstatic's output: every file the service worker
precaches must be there, or the worker's install fails and the app cannot start offline."""

from __future__ import annotations

import ast
import re

from django.core.management import call_command


def test_collectstatic_holds_every_file_the_service_worker_precaches(client, settings, tmp_path):
    settings.STATIC_ROOT = tmp_path / "static"
    call_command("collectstatic", interactive=False, verbosity=0)
    worker = client.get("/app/sw.js").content.decode()
    precache = ast.literal_eval(re.search(r"const PRECACHE = (\[.*?\]);", worker).group(1))
    static = [url for url in precache if url.startswith("/" + settings.STATIC_URL.strip("/"))]
    assert "/app/" in precache and len(static) > 10
    prefix = "/" + settings.STATIC_URL.strip("/") + "/"
    missing = [url for url in static if not (settings.STATIC_ROOT / url[len(prefix) :]).is_file()]
    assert missing == []
    assert not [url for url in precache if url.startswith("/api/")]
