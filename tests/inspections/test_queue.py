"""Services queue tasks by name (inspections/queue.py): every name they use is a real task."""

from __future__ import annotations

import re
from pathlib import Path

from inspections import queue

SERVICES = Path(__file__).resolve().parents[2] / "inspections" / "services"


def test_every_task_named_by_a_service_is_registered():
    names = {
        name
        for path in SERVICES.rglob("*.py")
        for name in re.findall(r'enqueue\(\s*"([\w.]+)"', path.read_text())
    }
    assert len(names) >= 8  # the services' fan-out: reports, notices, imports, refreshes...
    for name in sorted(names):
        assert queue.task(name).name == name


def test_an_unknown_task_name_fails_loudly():
    import pytest

    with pytest.raises(KeyError):
        queue.task("inspections.tasks.no_such_task")
