"""A test whose external program is missing skips with the reason outside CI, fails under CI."""

from __future__ import annotations

import pytest

from tests import tools


def test_missing_tool_skips_with_the_package_to_install(monkeypatch):
    monkeypatch.setattr(tools.shutil, "which", lambda name, **kwargs: None)
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match=r"certutil .*libnss3-tools"):
        tools.require_tool("certutil")


def test_missing_tool_fails_under_ci(monkeypatch):
    monkeypatch.setattr(tools.shutil, "which", lambda name, **kwargs: None)
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match=r"pdfsig .*poppler-utils.*CI=true"):
        tools.require_tool("pdfsig")


def test_present_tool_gives_its_path(monkeypatch):
    monkeypatch.setattr(tools.shutil, "which", lambda name, **kwargs: f"/usr/bin/{name}")
    assert tools.require_tool("pdftotext") == "/usr/bin/pdftotext"
