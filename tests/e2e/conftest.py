"""Browser tests share one headless Chromium per module (Debian's, driven by Playwright)."""

from __future__ import annotations

import os

import pytest

from tests.tools import require_tool


@pytest.fixture(scope="module")
def browser():
    chromium = require_tool("chromium")
    # Playwright's sync API runs an event loop in this thread; Django's ORM calls from the test
    # would be refused without this. Restored afterwards: later tests (and the processes they
    # start, e.g. the production stack's `check --deploy`) must not inherit it.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(
            executable_path=chromium,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield b
        b.close()
    if previous is None:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous
