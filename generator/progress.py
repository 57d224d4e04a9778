"""Progress on the terminal while a long build runs: what it is doing, pages done, pages/s.

Shown only on a terminal, and only once a build has taken longer than `DELAY` seconds: a
quick build prints nothing but its summary. One line, rewritten in place, then cleared.

With GONGSHI_TIMINGS=1 in the environment, the time each stage took (wall clock and this
process's CPU) is printed to stderr at the end: what bench/README.md uses to see where a
build's time goes.
"""

from __future__ import annotations

import itertools
import os
import sys
import time
from collections.abc import Callable
from typing import TextIO

TIMINGS = os.environ.get("GONGSHI_TIMINGS") == "1"
DELAY = 1.0  # seconds before anything is shown
INTERVAL = 0.1  # seconds between updates of the line


class Progress:
    """Silent unless `show`; the build calls `stage`, `advance` and `finish`."""

    def __init__(self, show: bool = False, stream: TextIO | None = None,
                 clock: Callable[[], float] = time.perf_counter):
        self.show = show
        self.stream = stream or sys.stderr
        self.clock = clock
        self.started = clock()
        self.shown_at = 0.0
        self.label, self.total, self.done, self.stage_started = "", 0, 0, self.started
        self.drawn = False
        self.timings: list[tuple[str, float, float, float]] = []  # (stage, wall, cpu, MB) at its start
        self.stage("开始")

    @classmethod
    def on_terminal(cls, quiet: bool = False, stream: TextIO | None = None) -> Progress:
        stream = stream or sys.stderr
        return cls(show=not quiet and stream.isatty(), stream=stream)

    def stage(self, label: str, total: int = 0) -> None:
        self.label, self.total, self.done, self.stage_started = label, total, 0, self.clock()
        if TIMINGS:
            self.timings.append((label, time.perf_counter(), time.process_time(), _resident_mb()))
        self._draw()

    def advance(self, count: int = 1) -> None:
        self.done += count
        self._draw()

    def _draw(self) -> None:
        if not self.show:
            return
        now = self.clock()
        if now - self.started < DELAY or (now - self.shown_at < INTERVAL and self.done < self.total):
            return
        self.shown_at = now
        rate = self.done / max(now - self.stage_started, 1e-6)
        line = f"{self.label} {self.done}/{self.total}"
        if self.done:
            line += f"（{rate:.0f} 个/秒）"
        self.stream.write("\r\x1b[2K" + line)
        self.stream.flush()
        self.drawn = True

    def finish(self) -> None:
        """Clear the line, so that the summary (or the errors) start on a clean one."""
        if self.drawn:
            self.stream.write("\r\x1b[2K")
            self.stream.flush()
            self.drawn = False
        if TIMINGS:
            marks = [*self.timings, ("", time.perf_counter(), time.process_time(), _resident_mb())]
            for (label, wall, cpu, _), (_, next_wall, next_cpu, mb) in itertools.pairwise(marks):
                print(f"{label:<10} {next_wall - wall:7.3f} s  cpu {next_cpu - cpu:7.3f} s  "
                      f"{mb:6.0f} MB at its end", file=sys.stderr)


def _resident_mb() -> float:
    try:
        with open("/proc/self/statm") as f:
            return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20
    except (OSError, ValueError, IndexError):
        return 0.0
