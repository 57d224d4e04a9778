"""What a build prints: progress on a terminal only (and not with --quiet), one summary line."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest

from generator import parallel, progress
from generator.cli import main
from generator.progress import Progress


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_progress_shows_pages_done_and_rate_on_a_terminal_after_a_second() -> None:
    screen, clock = Terminal(), Clock()
    shown = Progress(show=True, stream=screen, clock=clock)
    shown.stage("生成页面", 1000)
    shown.advance(100)
    assert screen.getvalue() == ""  # a quick build shows nothing
    clock.now = 2.0
    shown.advance(400)
    assert "生成页面 500/1000（250 个/秒）" in screen.getvalue()
    shown.finish()
    assert screen.getvalue().endswith("\r\x1b[2K")  # the line is cleared for the summary


def test_no_progress_when_not_on_a_terminal_or_quiet() -> None:
    assert not Progress.on_terminal(stream=io.StringIO()).show
    assert not Progress.on_terminal(quiet=True, stream=Terminal()).show
    assert Progress.on_terminal(stream=Terminal()).show


def test_progress_counts_what_worker_processes_finished() -> None:
    screen, clock = Terminal(), Clock()
    shown = Progress(show=True, stream=screen, clock=clock)
    clock.now = 5.0
    shown.stage("生成页面", 300)
    assert parallel.run(300, lambda i: i * i, shown.advance, processes=2) == [i * i for i in range(300)]
    assert shown.done == 300


@pytest.fixture
def quiet_columns(small_site: Path) -> Path:
    """The small site without its stale-column warning (warnings go to stderr even with -q)."""
    with (small_site / "site_config.yml").open("a", encoding="utf-8") as config:
        config.write("stale_days: 0\n")
    return small_site


def test_build_prints_one_summary_line(quiet_columns: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    small_site = quiet_columns
    out = tmp_path / "out"
    assert main(["build", str(small_site), "-o", str(out)]) == 0
    first = capsys.readouterr()
    assert first.err == ""  # not a terminal: no progress
    line = first.out.splitlines()[0]
    match = re.fullmatch(r"已生成 (\d+) 个页面，共 (\d+) 个文件（写入 (\d+) 个，未变 (\d+) 个），用时 [\d.]+ 秒。", line)
    assert match and match[3] == match[2] and match[4] == "0"
    assert main(["build", str(small_site), "-o", str(out)]) == 0
    again = re.match(r"已生成 \d+ 个页面，共 (\d+) 个文件（写入 0 个，未变 (\d+) 个）", capsys.readouterr().out)
    assert again and again[1] == again[2] == match[2]


def test_quiet_build_prints_nothing_but_errors(quiet_columns: Path, tmp_path: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    small_site = quiet_columns
    assert main(["build", "--quiet", str(small_site), "-o", str(tmp_path / "out")]) == 0
    assert capsys.readouterr() == ("", "")
    (small_site / "content/units.yml").write_text("- {id: edu}\n", encoding="utf-8")
    assert main(["build", "-q", str(small_site), "-o", str(tmp_path / "out")]) == 1
    assert "E030" in capsys.readouterr().err


def test_timings_are_printed_when_asked(small_site: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(progress, "TIMINGS", True)  # what GONGSHI_TIMINGS=1 sets
    assert main(["build", "-q", str(small_site), "-o", str(tmp_path / "out")]) == 0
    err = capsys.readouterr().err
    assert "读取内容" in err and "生成页面" in err and "cpu" in err
