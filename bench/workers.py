"""Slices of a daily job run by forked worker processes, as the Celery pool runs their tasks.

Each worker opens its own connection; a phase's CPU is this process's plus every worker's
(reaped children), its statements those of every slice (COPY and writer threads included).
"""

from __future__ import annotations

import multiprocessing as mp
import resource
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from bench.common import Phase, _copies, _count_copies, _Counter

# What a slice function returns: (statements, wall seconds, *its own figures).
SliceResult = tuple[Any, ...]


@contextmanager
def counted() -> Iterator[list[float]]:
    """Statements and wall seconds of the block, in a worker: ``[statements, seconds]`` once
    the block is done."""
    _count_copies()
    counter = _Counter()
    copies0 = _copies.n
    out: list[float] = []
    t0 = time.perf_counter()
    with counter.on_every_connection():
        yield out
    out += [counter.n + counter.other_threads + _copies.n - copies0, time.perf_counter() - t0]


def in_workers(
    label: str,
    run_slice: Callable[..., SliceResult],
    plan: Callable[[], list[tuple[Any, ...]]],
    workers: int,
) -> tuple[Phase, list[SliceResult]]:
    """``run_slice(*slice)`` for every slice ``plan()`` returns (timed: the beat task plans
    them), on ``workers`` forked processes; prints the phase (per-slice p50/p95) and returns it
    with each slice's own figures."""
    from django.db import connections

    t0, c0 = time.perf_counter(), time.process_time()
    children0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    slices = plan()
    connections.close_all()  # a forked child must not share the parent's socket
    pool = mp.get_context("fork").Pool(workers)
    results = pool.starmap(run_slice, slices, chunksize=1)
    pool.close()
    pool.join()  # the children are reaped: their CPU is in RUSAGE_CHILDREN
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    child_cpu = (children.ru_utime - children0.ru_utime) + (children.ru_stime - children0.ru_stime)
    own_cpu = time.process_time() - c0
    cpu = own_cpu + child_cpu
    phase = Phase(
        f"{label} ({len(slices)} slices, {workers} workers)",
        wall=time.perf_counter() - t0,
        cpu=cpu,
        queries=sum(r[0] for r in results),
        samples=[r[1] for r in results],
        main_cpu=cpu,
    )
    print(phase.line().replace(" batches ", " slices "), flush=True)
    print(f"   CPU: workers {child_cpu:.2f} s, this process {own_cpu:.2f} s (planning the slices)")
    return phase, [r[2:] for r in results]
