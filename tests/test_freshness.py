"""Columns that went quiet: `gongshi check` and `build` warn (W001, W002) and still succeed.

The small fixture (as_of 2014-07-15) has two columns: news (newest 2014-07-01, 14 days)
and policy (one document of 2014-05-10, 66 days), on lines 10 and 11 of site_config.yml.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import write

from generator.build import build, prepare
from generator.cli import format_problems, main
from generator.errors import Problems, Source
from generator.freshness import quiet_columns

CONFIG = "site_config.yml"


def configure(site: Path, old: str, new: str) -> None:
    path = site / CONFIG
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def warnings_of(site: Path) -> list[tuple[str, int | None, str]]:
    problems = Problems()
    prepare(site, problems)
    assert not problems.errors
    return [(w.file, w.line, w.code) for w in problems.warnings]


def test_a_stale_column_is_named_with_its_line(small_site: Path) -> None:
    problems = Problems()
    site = prepare(small_site, problems)
    [stale] = problems.warnings
    assert (stale.file, stale.line, stale.code) == (CONFIG, 11, "W002")
    assert "上级精神" in stale.message and "policy" in stale.message
    assert "66 天" in stale.message and "2014-05-10" in stale.message and "2014-07-15" in stale.message
    assert "stale_days" in stale.hint and "30 天" in stale.hint
    assert [q.column.id for q in quiet_columns(site.config, site.columns, site.as_of)] == ["policy"]


def test_an_empty_column_is_named(small_site: Path) -> None:
    configure(small_site, "  - {id: policy, name: 上级精神}\n",
              "  - {id: policy, name: 上级精神}\n  - {id: experience, name: 典型经验}\n")
    assert warnings_of(small_site) == [(CONFIG, 11, "W002"), (CONFIG, 12, "W001")]


def test_a_withdrawn_or_future_record_does_not_count(small_site: Path) -> None:
    """Only what the public sees as of as_of keeps a column alive."""
    write(small_site, "content/documents/later.md",
          "---\ntitle: 以后的文件\ndate: 2014-07-20\ncolumn: policy\nissuer: 测试市活动办\n---\n正文。\n")
    write(small_site, "content/documents/pulled.md",
          "---\ntitle: 撤销的文件\ndate: 2014-07-10\ncolumn: policy\nissuer: 测试市活动办\n"
          "withdrawn: {date: 2014-07-12, reason: 发错}\n---\n正文。\n")
    assert warnings_of(small_site) == [(CONFIG, 11, "W002")]


@pytest.mark.parametrize("days, warned", [(66, False), (65, True)])
def test_the_limit_counts_whole_days(small_site: Path, days: int, warned: bool) -> None:
    configure(small_site, "as_of: 2014-07-15\n", f"as_of: 2014-07-15\nstale_days: {days}\n")
    assert warnings_of(small_site) == ([(CONFIG, 11, "W002")] if warned else [])


def test_a_column_can_have_its_own_limit(small_site: Path) -> None:
    configure(small_site, "{id: policy, name: 上级精神}", "{id: policy, name: 上级精神, stale_days: 90}")
    configure(small_site, "as_of: 2014-07-15\n", "as_of: 2014-07-15\nstale_days: 10\n")
    assert warnings_of(small_site) == [(CONFIG, 10, "W002")]  # news: 14 days > 10; policy: 66 ≤ 90


@pytest.mark.parametrize("where", ["site", "column"])
def test_zero_turns_the_check_off(small_site: Path, where: str) -> None:
    if where == "site":
        configure(small_site, "as_of: 2014-07-15\n", "as_of: 2014-07-15\nstale_days: 0\n")
    else:
        configure(small_site, "{id: policy, name: 上级精神}", "{id: policy, name: 上级精神, stale_days: 0}")
    assert warnings_of(small_site) == []


def test_check_and_build_warn_and_succeed(small_site: Path, tmp_path: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", str(small_site)]) == 0
    captured = capsys.readouterr()
    assert "检查通过" in captured.out
    assert "site_config.yml:11: 提醒 W002: 栏目“上级精神”（policy）" in captured.err
    assert "W002" in captured.err.splitlines()[-2] and captured.err.splitlines()[-1] == "共 1 处提醒，不影响生成和发布。"
    assert main(["build", str(small_site), "-o", str(tmp_path / "out")]) == 0
    captured = capsys.readouterr()
    assert "已生成" in captured.out and "提醒 W002" in captured.err
    assert (tmp_path / "out/policy/index.html").is_file()
    assert [w.code for w in build(small_site, tmp_path / "again").warnings] == ["W002"]


def test_warnings_come_after_errors_and_do_not_count_as_errors() -> None:
    problems = Problems()
    problems.warn("W001", Source(CONFIG, 12), name="典型经验", id="experience", as_of="2014-07-15")
    assert not problems  # a warning alone never stops a build
    problems.add("E041", Source("content/news/a.md", 4), value="newz", choices="news")
    text = format_problems(problems)
    assert text.index("错误 E041") < text.index("共 1 处错误") < text.index("提醒 W001") < text.index("共 1 处提醒")
    assert "详见：编辑手册“错误代码”一章 W001" in text
