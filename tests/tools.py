"""External programs some tests need (Poppler's pdfsig/pdftotext/pdffonts, NSS certutil,
Debian chromium): outside CI a missing one skips the test and says which package to install;
under CI=true it fails, because .ci/run installs them all."""

from __future__ import annotations

import os
import shutil

import pytest

# program -> Debian package that provides it (what .ci/run installs)
PACKAGES = {
    "pdfsig": "poppler-utils",
    "pdftotext": "poppler-utils",
    "pdffonts": "poppler-utils",
    "certutil": "libnss3-tools",
    "chromium": "chromium",
    "nginx": "nginx-light",
    "softhsm2-util": "softhsm2",
}
# Daemons Debian installs outside a normal user's PATH.
SYSTEM_PATHS = "/usr/sbin:/sbin"


def under_ci() -> bool:
    return os.environ.get("CI", "").lower() == "true"


def require_tool(name: str) -> str:
    """The program's path; skip (or fail under CI=true) when it is not installed."""
    path = shutil.which(name) or shutil.which(name, path=SYSTEM_PATHS)
    if path:
        return path
    why = f"{name} is not installed (Debian package {PACKAGES.get(name, name)})"
    if under_ci():
        pytest.fail(f"{why}; it is required under CI=true (.ci/run installs it)")
    pytest.skip(why)
