"""Rendering spread over the machine's cores.

`run(count, work)` calls `work(i)` for every i in range(count) and returns the results in
order. With more than one core and enough work, forked worker processes do it: they start
as copies of the build process, so the site, the plan and the templates are already in
their memory and only the small results travel back. Where fork is not available (or
GONGSHI_JOBS=1), the same calls run one after the other in this process; either way the
results are the same, so the output does not depend on how many processes made it.

Only the main thread forks. `gongshi serve` rebuilds in a thread of its own while its
server threads answer the browser; a lock one of them held at that moment would stay taken
forever in the copy, so those rebuilds (small, incremental) run here, one call after the
other. (Python resets its own import lock in a forked child.)
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import threading
from collections.abc import Callable
from typing import Any, TypeVar

R = TypeVar("R")
MIN_PARALLEL = 64  # fewer calls than this run here: starting workers would cost more

_work: Callable[[int], Any] | None = None  # the function of the current `run`, inherited by workers


def workers() -> int:
    """How many processes to render with: GONGSHI_JOBS, else the cores this process may use."""
    wanted = os.environ.get("GONGSHI_JOBS", "").strip()
    if wanted.isdigit() and int(wanted) > 0:
        return int(wanted)
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


def _chunk(bounds: tuple[int, int]) -> list[Any]:
    assert _work is not None
    return [_work(i) for i in range(*bounds)]


def run(count: int, work: Callable[[int], R], progress: Callable[[int], None] = lambda n: None,
        processes: int | None = None) -> list[R]:
    """[work(0), …, work(count - 1)], in worker processes when that pays off.

    `progress(n)` is called in this process as every n more calls finish.
    """
    global _work
    processes = processes or workers()
    if (processes < 2 or count < MIN_PARALLEL or threading.current_thread() is not threading.main_thread()
            or "fork" not in multiprocessing.get_all_start_methods()):
        results = []
        for i in range(count):
            results.append(work(i))
            progress(1)
        return results
    size = max(1, min(200, count // (processes * 8)))
    chunks = [(start, min(start + size, count)) for start in range(0, count, size)]
    _work = work
    gc.freeze()  # what exists now is never collected in the workers: their pages stay shared
    try:
        with multiprocessing.get_context("fork").Pool(processes, initializer=gc.enable) as pool:
            results = []
            for part in pool.imap(_chunk, chunks):
                results.extend(part)
                progress(len(part))
            return results
    finally:
        _work = None
        gc.unfreeze()
