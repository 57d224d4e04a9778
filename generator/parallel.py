"""Rendering spread over the machine's cores.

`run(count, work)` calls `work(i)` for every i in range(count) and returns the results in
order. With more than one core and enough work, this process forks helpers and works along
with them: a helper starts as a copy of this process, so the site, the plan and the
templates are already in its memory and only the small results travel back (through a
pipe, read by a thread here). Each process takes the next chunk of calls as it finishes
one, so a slow chunk does not hold the others up. Where fork is not available (or
GONGSHI_JOBS=1), the same calls run one after the other in this process; either way the
results are the same, so the output does not depend on how many processes made it.

`Aside(work)` is one helper for one piece of work that waits on the system (a build's walk
over its input files and its output folder) while this process goes on with its own.

Memory: a page of memory that a helper touches is copied for it, so every process beyond
this one can cost nearly as much as this one held; with this process working too, two
cores need one helper, not two. Collecting garbage is left to each process for the
objects it makes (`gc.freeze` before forking), so the shared ones are not touched by it.

Only the main thread forks. `gongshi serve` rebuilds in a thread of its own while its
server threads answer the browser; a lock one of them held at that moment would stay taken
forever in the copy, so those rebuilds (small, incremental) run here, one call after the
other. (Python resets its own import lock in a forked child.)
"""

from __future__ import annotations

import ctypes
import gc
import multiprocessing
import os
import threading
import traceback
from collections.abc import Callable, Iterator
from multiprocessing.connection import Connection, wait
from typing import Any, Generic, TypeVar

R = TypeVar("R")
MIN_PARALLEL = 64  # fewer calls than this run here: starting helpers would cost more


def workers() -> int:
    """How many processes to render with: GONGSHI_JOBS, else the cores this process may use."""
    wanted = os.environ.get("GONGSHI_JOBS", "").strip()
    if wanted.isdigit() and int(wanted) > 0:
        return int(wanted)
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


class _Chunks:
    """The chunks of one `run`, handed out one at a time to whichever process asks."""

    def __init__(self, count: int, processes: int, context: Any):
        size = max(1, min(100, count // (processes * 16)))
        self.bounds = [(start, min(start + size, count)) for start in range(0, count, size)]
        self.next = context.Value("l", 0)  # in memory shared with the helpers

    def claim(self) -> int | None:
        with self.next.get_lock():
            n = self.next.value
            self.next.value = n + 1
        return n if n < len(self.bounds) else None


def _helper(chunks: _Chunks, work: Callable[[int], Any], pipe: Connection) -> None:
    """A forked helper: chunk after chunk, each result sent back; None when done."""
    try:
        while (n := chunks.claim()) is not None:
            pipe.send((n, [work(i) for i in range(*chunks.bounds[n])]))
        pipe.send(None)
    except BaseException:
        pipe.send(traceback.format_exc())
    finally:
        pipe.close()


class _Receiver(threading.Thread):
    """Reads the helpers' results as they come, so a helper never waits on a full pipe."""

    def __init__(self, pipes: list[Connection], parts: list[list[Any] | None]):
        super().__init__(daemon=True)
        self.pipes, self.parts = pipes, parts
        self.done = 0  # calls finished by helpers
        self.failure: str | None = None

    def run(self) -> None:
        open_pipes = list(self.pipes)
        while open_pipes:
            for pipe in wait(open_pipes):
                try:
                    message = pipe.recv()  # type: ignore[union-attr]
                except EOFError:
                    message = "a helper process ended without its results"
                if isinstance(message, tuple):
                    n, part = message
                    self.parts[n] = part
                    self.done += len(part)
                    continue
                if message is not None:
                    self.failure = self.failure or message
                open_pipes.remove(pipe)  # type: ignore[arg-type]


def run(count: int, work: Callable[[int], R], progress: Callable[[int], None] = lambda n: None,
        processes: int | None = None, least: int = MIN_PARALLEL) -> list[R]:
    """[work(0), …, work(count - 1)], shared with forked helpers when that pays off: for
    `least` calls or more (fewer, for calls that each take milliseconds).

    `progress(n)` is called in this process as n more calls finish.
    """
    processes = processes or workers()
    collecting = gc.isenabled()
    gc.freeze()  # what exists now is left alone by the collector, here and in the helpers,
    gc.enable()  # which collects only the garbage the calls make
    try:
        if processes < 2 or count < least or not _may_fork():
            results = []
            for i in range(count):
                results.append(work(i))
                progress(1)
            return results
        return _shared(count, work, progress, processes)
    finally:
        if not collecting:
            gc.disable()
        gc.unfreeze()


class Aside(Generic[R]):
    """The values `work()` yields, worked out by a forked helper while this process goes
    on, where one may be forked (as for `run`); `next()` waits for the next one (they
    travel back pickled). Where none may be, or the helper fails, `work()` runs in this
    process as the values are asked for. Meant for work that waits on the system (a walk
    over folders)."""

    def __init__(self, work: Callable[[], Iterator[R]]):
        self.work = work
        self.done = 0  # values given
        self.here: Iterator[R] | None = None  # the work, once it runs in this process
        self.reader: Connection | None = None
        if workers() > 1 and _may_fork():
            context = multiprocessing.get_context("fork")
            reader, writer = context.Pipe(duplex=False)
            self.helper = context.Process(target=_aside, args=(work, writer), daemon=True)
            try:
                self.helper.start()
                self.reader = reader
            except OSError:  # no process to be had (a limit on them): the work is done here
                reader.close()
            writer.close()

    @property
    def forked(self) -> bool:
        """Whether a helper is at work (else `next` works here)."""
        return self.reader is not None

    def next(self) -> R:
        if self.reader is not None:
            try:
                done, value = self.reader.recv()
            except (EOFError, OSError):
                done, value = False, None
            if done:
                self.done += 1
                return value  # type: ignore[no-any-return]
            self.reader.close()
            self.reader = None
            self.helper.join()
        if self.here is None:  # from the start, to where the helper got (its failure is raised here)
            self.here = self.work()
            for _ in range(self.done):
                next(self.here)
        self.done += 1
        return next(self.here)


def _aside(work: Callable[[], Iterator[Any]], writer: Connection) -> None:
    try:
        for value in work():
            writer.send((True, value))
    except BaseException:
        writer.send((False, None))
    finally:
        writer.close()


def _may_fork() -> bool:
    """Whether this process may fork helpers: on the main thread, where fork exists."""
    return threading.current_thread() is threading.main_thread() and "fork" in multiprocessing.get_all_start_methods()


def release_free_memory() -> None:
    """Give the C library's freed but kept memory back to the system (glibc's malloc_trim):
    what this process holds when it forks is what every helper starts out sharing."""
    try:
        ctypes.CDLL(None).malloc_trim(0)
    except (OSError, AttributeError):  # not glibc
        pass


def _shared(count: int, work: Callable[[int], R], progress: Callable[[int], None], processes: int) -> list[R]:
    release_free_memory()
    context = multiprocessing.get_context("fork")
    chunks = _Chunks(count, processes, context)
    parts: list[list[Any] | None] = [None] * len(chunks.bounds)
    helpers, pipes = [], []
    try:
        for _ in range(processes - 1):
            reader, writer = context.Pipe(duplex=False)
            helper = context.Process(target=_helper, args=(chunks, work, writer), daemon=True)
            helper.start()
            writer.close()
            helpers.append(helper)
            pipes.append(reader)
        receiver = _Receiver(pipes, parts)
        receiver.start()
        own = reported = 0

        def report() -> None:
            nonlocal reported
            done = own + receiver.done
            progress(done - reported)
            reported = done

        while (n := chunks.claim()) is not None:
            part = [work(i) for i in range(*chunks.bounds[n])]
            parts[n], own = part, own + len(part)
            report()
        while receiver.is_alive():
            receiver.join(timeout=0.1)
            report()
        report()
    finally:
        for helper in helpers:
            helper.join(timeout=5)
            if helper.is_alive():
                helper.kill()
    if receiver.failure is not None:
        raise RuntimeError(f"渲染进程出错：\n{receiver.failure}")
    return [result for part in parts for result in part]  # type: ignore[union-attr]
