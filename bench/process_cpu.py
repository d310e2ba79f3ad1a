"""CPU of processes (Linux /proc): a bench's server and browser, measured around a step."""

from __future__ import annotations

import os
import time
from pathlib import Path

TICK = os.sysconf("SC_CLK_TCK")


def _proc_table() -> dict[int, tuple[int, float]]:
    table = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        # After the command: state ppid ... utime(12) stime(13) in clock ticks.
        table[int(entry.name)] = (int(fields[1]), (int(fields[11]) + int(fields[12])) / TICK)
    return table


def _descendants(table: dict[int, tuple[int, float]], root: int) -> set[int]:
    found, frontier = {root}, [root]
    while frontier:
        parent = frontier.pop()
        for pid, (ppid, _) in table.items():
            if ppid == parent and pid not in found:
                found.add(pid)
                frontier.append(pid)
    return found


def cpu(server_pid: int) -> tuple[float, float]:
    """CPU seconds so far of the server process tree and of every other child of this bench
    (the Playwright driver and Chromium's processes)."""
    table = _proc_table()
    server = _descendants(table, server_pid)
    everything = _descendants(table, os.getpid()) - {os.getpid()}
    return (
        sum(table[p][1] for p in server if p in table),
        sum(table[p][1] for p in everything - server if p in table),
    )


class Meter:
    """Wall time, page main-thread CPU (Chrome's TaskDuration), server and browser CPU."""

    def __init__(self, cdp, server_pid: int):
        self.cdp, self.server_pid = cdp, server_pid

    def _task(self) -> float:
        metrics = self.cdp.send("Performance.getMetrics")["metrics"]
        return next(m["value"] for m in metrics if m["name"] == "TaskDuration")

    def __enter__(self):
        self.wall = time.perf_counter()
        self.task = self._task() if self.cdp else 0.0
        self.server, self.browser = cpu(self.server_pid)
        return self

    def __exit__(self, *exc):
        self.wall = time.perf_counter() - self.wall
        self.task = (self._task() - self.task) if self.cdp else 0.0
        server, browser = cpu(self.server_pid)
        self.server, self.browser = server - self.server, browser - self.browser

    def line(self) -> str:
        return (
            f"wall {self.wall:6.2f} s  page main thread {self.task:5.2f} s  "
            f"server CPU {self.server:5.2f} s  browser CPU {self.browser:5.2f} s"
        )
