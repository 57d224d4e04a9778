"""Validation: every rule of the content contract, each with a broken input.

Every test names the file and the exact line the editor must look at. Where a mistake
could make other records look wrong (a broken unit), the test also checks that only the
real mistake is reported.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from conftest import errors_of, only_error, replace, where, write

from generator.cli import main
from generator.errors import Problems
from generator.load.site import load_site

NEWS = "content/news/2014-06-01-second.md"
NEWS_FIRST = "content/news/2014-07-01-first.md"
DOC = "content/documents/city-notice.md"
LEDGER = "content/rectification/edu.yml"
UNITS = "content/units.yml"
MEETING = "content/meetings/street-talk.md"
LIFE = "content/meetings/edu-life.md"
COMMIT = "content/commitments/edu-2014.yml"
LEADER = "content/commitments/wang.yml"




def loaded(site: Path):
    problems = Problems()
    content = load_site(site, problems)
    assert not problems, problems.report()
    return content


def ledger_item(site: Path, item_id: str):
    (ledger,) = loaded(site).ledgers
    return next(item for item in ledger.items if item.id == item_id)


# ---- required and unknown fields -----------------------------------------------------------


def test_ledger_item_without_owner(small_site: Path) -> None:
    replace(small_site, LEDGER, "    owner: 财务科\n", "")
    error = only_error(small_site)
    assert (error.file, error.line, error.code) == (LEDGER, 26, "E030")  # the item starts there
    assert "owner" in error.message and "owner:" in error.hint


def test_news_without_title(small_site: Path) -> None:
    replace(small_site, NEWS, "title: 东街街道召开座谈会\n", "")
    error = only_error(small_site)
    assert (error.file, error.line, error.code) == (NEWS, 2, "E030")
    assert "title" in error.message


def test_document_without_issuer(small_site: Path) -> None:
    replace(small_site, DOC, "issuer: 测试市活动办\n", "")
    error = only_error(small_site)
    assert (error.file, error.line, error.code) == (DOC, 2, "E030")
    assert "issuer" in error.message


def test_unknown_field_suggests_the_right_name(small_site: Path) -> None:
    replace(small_site, LEDGER, "    deadline: 2014-07-20", "    deadlin: 2014-07-20")
    errors = {e.code: e for e in errors_of(small_site)}
    assert sorted((e.file, e.line, e.code) for e in errors.values()) == [
        (LEDGER, 26, "E030"),  # deadline is now missing from the item starting on line 26
        (LEDGER, 31, "E031"),  # and `deadlin` is unknown, on its own line
    ]
    assert "deadlin" in errors["E031"].message
    assert "是不是想写“deadline”" in errors["E031"].hint


def test_unknown_field_in_front_matter_and_nested_record(small_site: Path) -> None:
    replace(small_site, NEWS, "unit: street", "unit: street\nauther: 李某")
    replace(small_site, LEDGER, "{date: 2014-05-20, text: 增设两个窗口}", "{date: 2014-05-20, txt: 增设两个窗口}")
    errors = errors_of(small_site)
    assert sorted((e.file, e.line, e.code) for e in errors) == [
        (NEWS, 6, "E031"),
        (LEDGER, 14, "E030"),  # text missing
        (LEDGER, 14, "E031"),  # txt unknown
    ]
    hints = {e.file: e.hint for e in errors if e.code == "E031"}
    assert "author" in hints[NEWS] and "text" in hints[LEDGER]


@pytest.mark.parametrize(("old", "new", "line"), [
    ("status: 未启动", "status:", 32),
    ("deadline: 2014-07-20", "deadline:", 31),
    ("dissatisfied: 4}", "dissatisfied: }", 16),
])
def test_field_written_without_a_value(small_site: Path, old: str, new: str, line: int) -> None:
    replace(small_site, LEDGER, old, new)
    error = only_error(small_site)
    assert (error.file, error.line, error.code) == (LEDGER, line, "E035")
    assert "None" not in error.message


@pytest.mark.parametrize("empty", ["measures: []", "measures:"])
def test_an_item_needs_at_least_one_measure(small_site: Path, empty: str) -> None:
    replace(small_site, LEDGER, "measures: [清理收费项目]", empty)
    error = only_error(small_site)
    assert (error.file, error.line, error.code) == (LEDGER, 29, "E037")
    assert "measures" in error.message and "- " in error.hint


def test_one_broken_item_does_not_hide_the_others_mistakes(small_site: Path) -> None:
    replace(small_site, LEDGER, "category: 形式主义", "category: 形式")  # r02: unreadable
    replace(small_site, LEDGER, "status: 已完成", "status: 整改中")  # r01: completed without 已完成
    found = sorted((e.line, e.code) for e in errors_of(small_site))
    assert found == [(12, "E045"), (19, "E033")]


# ---- vocabularies ---------------------------------------------------------------------------


@pytest.mark.parametrize(("relative", "old", "new", "line"), [
    (LEDGER, "category: 群众切身利益", "category: 群众利益", 28),
    (LEDGER, "status: 未启动", "status: 完成", 32),
    (LEDGER, "source: 征求意见", "source: 网上", 6),
    (MEETING, "kind: 座谈会", "kind: 座谈", 3),
    (UNITS, "kind: 街道}", "kind: 街办}", 3),
    (COMMIT, "status: 未兑现", "status: 没兑现", 6),
])
def test_value_outside_vocabulary(small_site: Path, relative: str, old: str, new: str, line: int) -> None:
    replace(small_site, relative, old, new)
    error = only_error(small_site)  # a broken unit does not make its references "unknown"
    assert (error.file, error.line, error.code) == (relative, line, "E033")
    assert new.split(": ")[1].rstrip("}") in error.message
    assert old.split(": ")[1].rstrip("}") in error.hint  # the hint lists the allowed values


# ---- dates ----------------------------------------------------------------------------------


@pytest.mark.parametrize(("value", "reason"), [
    ("2014-02-30", "2014年2月没有30日"),
    ("2014年13月1日", "没有13月"),
    ("2014年2月29日", "2014年2月没有29日"),
    ("6/30/2014", "格式无法识别"),
    ("2014.6", "不是日期"),
    ("下周", "格式无法识别"),
])
def test_invalid_or_impossible_date(small_site: Path, value: str, reason: str) -> None:
    replace(small_site, NEWS, "date: 2014年6月1日", f"date: {value}")
    error = only_error(small_site)
    assert (error.file, error.line, error.code) == (NEWS, 3, "E034")
    assert value in error.message and reason in error.message
    assert "2014年6月30日" in error.hint


def test_both_date_forms_parse_to_the_same_date(small_site: Path) -> None:
    replace(small_site, LEDGER, "deadline: 2014-07-10", "deadline: 2014年7月10日")
    replace(small_site, LEDGER, "deadline: 2014-07-20", "deadline: 2014-07-10")
    assert ledger_item(small_site, "r02").deadline == dt.date(2014, 7, 10)
    assert ledger_item(small_site, "r03").deadline == dt.date(2014, 7, 10)
    replace(small_site, NEWS, "date: 2014年6月1日", "date: 2014-06-30")
    replace(small_site, NEWS_FIRST, "date: 2014-07-01", "date: 2014年6月30日")
    dates = {a.id: a.date for a in loaded(small_site).articles}
    assert dates == {"2014-06-01-second": dt.date(2014, 6, 30), "2014-07-01-first": dt.date(2014, 6, 30)}


@pytest.mark.parametrize("word", ["立行立改", "长期坚持"])
def test_deadline_words_are_accepted(small_site: Path, word: str) -> None:
    replace(small_site, LEDGER, "deadline: 2014-07-20", f"deadline: {word}")
    assert ledger_item(small_site, "r03").deadline == word


@pytest.mark.parametrize("word", ["尽快", "立即整改", "长期"])
def test_other_deadline_words_are_rejected(small_site: Path, word: str) -> None:
    replace(small_site, LEDGER, "deadline: 2014-07-20", f"deadline: {word}")
    error = only_error(small_site)
    assert (error.file, error.line, error.code) == (LEDGER, 31, "E034")
    assert word in error.message and "立行立改" in error.message and "长期坚持" in error.message


def test_commitment_deadline_word_is_checked_too(small_site: Path) -> None:
    replace(small_site, COMMIT, "deadline: 长期坚持", "deadline: 长期")
    assert where(small_site) == [(COMMIT, 5, "E034")]


# ---- references ----------------------------------------------------------------------------


def test_unknown_unit_suggests_the_close_id(small_site: Path) -> None:
    replace(small_site, NEWS_FIRST, "unit: edu", "unit: eduu")
    error = only_error(small_site)
    assert (error.file, error.line, error.code) == (NEWS_FIRST, 5, "E040")
    assert "eduu" in error.message and "edu（区教育局）" in error.hint


def test_unit_name_written_instead_of_id(small_site: Path) -> None:
    replace(small_site, MEETING, "unit: street", "unit: 东街街道")
    error = only_error(small_site)
    assert (error.file, error.line, error.code) == (MEETING, 5, "E040")
    assert "改为 street" in error.hint


@pytest.mark.parametrize(("relative", "old", "new", "line"), [
    (LEDGER, "unit: edu", "unit: 区教育局", 1),
    (LEADER, "unit: edu}", "unit: edux}", 1),
    (COMMIT, "by: edu", "by: 区教育局", 2),
    (LIFE, "unit: edu", "unit: edv", 5),
    ("content/rules.yml", "unit: edu,", "unit: eud,", 1),
    ("content/opinions.yml", "{unit: edu,", "{unit: ed,", 2),
])
def test_unknown_unit_everywhere_a_unit_is_named(small_site: Path, relative: str, old: str, new: str,
                                                 line: int) -> None:
    replace(small_site, relative, old, new)
    errors = [e for e in errors_of(small_site) if e.code == "E040"]
    assert [(e.file, e.line) for e in errors] == [(relative, line)]
    assert "edu" in errors[0].hint


def test_unknown_parent_unit(small_site: Path) -> None:
    replace(small_site, UNITS, "parent: street}", "parent: stret}")
    error = only_error(small_site)
    assert (error.file, error.line, error.code) == (UNITS, 4, "E040")
    assert "street（东街街道）" in error.hint


def test_parent_cycle(small_site: Path) -> None:
    replace(small_site, UNITS, "kind: 街道}", "kind: 街道, parent: east-sq}")
    assert where(small_site) == [(UNITS, 3, "E050"), (UNITS, 4, "E050")]


def test_unknown_supervision_group(small_site: Path) -> None:
    replace(small_site, UNITS, "kind: 区直单位, supervision_group: g1}", "kind: 区直单位, supervision_group: g2}")
    error = only_error(small_site)
    assert (error.file, error.line, error.code) == (UNITS, 2, "E049")
    assert "g1" in error.hint


def test_unknown_column(small_site: Path) -> None:
    replace(small_site, NEWS_FIRST, "column: news", "column: xinwen")
    error = only_error(small_site)
    assert (error.file, error.line, error.code) == (NEWS_FIRST, 4, "E041")
    assert "news" in error.hint and "policy" in error.hint


def test_unknown_forwarded_document(small_site: Path) -> None:
    replace(small_site, DOC, "written: 2014-05-08", "written: 2014-05-08\nforwards: city-notise")
    error = only_error(small_site)
    assert (error.file, error.line, error.code) == (DOC, 8, "E042")
    assert "city-notice" in error.hint


def test_forwarded_document_that_exists(small_site: Path) -> None:
    write(small_site, "content/documents/district.md",
          "---\ntitle: 转发通知\ndate: 2014-05-12\ncolumn: policy\nissuer: 测试区活动办\n"
          "forwards: city-notice\n---\n现转发。\n")
    assert errors_of(small_site) == []


def test_unknown_rule_document(small_site: Path) -> None:
    replace(small_site, "content/rules.yml", "document: city-notice", "document: meeting-rules")
    assert where(small_site) == [("content/rules.yml", 1, "E042")]


def test_reference_to_a_broken_document_is_not_reported_twice(small_site: Path) -> None:
    replace(small_site, DOC, "issuer: 测试市活动办\n", "")
    assert where(small_site) == [(DOC, 2, "E030")]  # not also E042 from rules.yml


# ---- duplicates ----------------------------------------------------------------------------


def test_duplicate_ledger_item_id(small_site: Path) -> None:
    replace(small_site, LEDGER, "  - id: r02", "  - id: r01")
    error = only_error(small_site)
    assert (error.file, error.line, error.code) == (LEDGER, 17, "E043")
    assert f"{LEDGER}:3" in error.message  # where the first one is


def test_same_item_id_in_two_units_is_fine(small_site: Path) -> None:
    write(small_site, "content/rectification/street.yml",
          "unit: street\nitems:\n  - {id: r01, problem: 路灯不亮, category: 最后一公里, measures: [维修],"
          " owner: 城管科, deadline: 立行立改, status: 未启动}\n")
    assert errors_of(small_site) == []


def test_duplicate_news_id(small_site: Path) -> None:
    write(small_site, "content/news/copy.md",
          "---\ntitle: 重复\ndate: 2014-06-02\ncolumn: news\nid: 2014-06-01-second\n---\n正文\n")
    error = only_error(small_site)
    assert (error.file, error.line, error.code) == ("content/news/copy.md", 5, "E043")
    assert f"{NEWS}:1" in error.message


def test_duplicate_news_id_from_file_names_in_two_folders(small_site: Path) -> None:
    write(small_site, "content/news/2014/2014-06-01-second.md",
          "---\ntitle: 重复\ndate: 2014-06-02\ncolumn: news\n---\n正文\n")
    assert where(small_site) == [(NEWS, 1, "E043")]  # sorted order: content/news/2014/… comes first


def test_duplicate_unit_id(small_site: Path) -> None:
    replace(small_site, UNITS, "- {id: east-sq", "- {id: edu, name: 教育局（重复）, kind: 区直单位}\n- {id: east-sq")
    error = only_error(small_site)
    assert (error.file, error.line, error.code) == (UNITS, 4, "E043")
    assert f"{UNITS}:2" in error.message


def test_duplicate_commitment_item_id(small_site: Path) -> None:
    replace(small_site, COMMIT, "{id: c02,", "{id: c01,")
    assert where(small_site) == [(COMMIT, 6, "E043")]


def test_duplicate_column_id_in_config(small_site: Path) -> None:
    replace(small_site, "site_config.yml", "  - {id: policy, name: 上级精神}", "  - {id: news, name: 上级精神}")
    errors = errors_of(small_site)
    # the column is defined twice; documents in `policy` now name an unknown column
    assert sorted((e.file, e.line, e.code) for e in errors) == [
        (DOC, 4, "E041"),
        ("site_config.yml", 11, "E043"),
    ]


def test_two_ledgers_for_one_unit(small_site: Path) -> None:
    text = (small_site / LEDGER).read_text(encoding="utf-8")
    write(small_site, "content/rectification/sub/edu.yml", text)
    assert where(small_site) == [("content/rectification/sub/edu.yml", 1, "E043")]


# ---- rules across fields -------------------------------------------------------------------


def test_done_without_completed_date(small_site: Path) -> None:
    replace(small_site, LEDGER, "    completed: 2014-06-20\n", "")
    error = only_error(small_site)
    assert (error.file, error.line, error.code) == (LEDGER, 11, "E044")  # the status line


def test_completed_date_without_done(small_site: Path) -> None:
    replace(small_site, LEDGER, "    status: 未启动\n", "    status: 未启动\n    completed: 2014年7月1日\n")
    error = only_error(small_site)
    assert (error.file, error.line, error.code) == (LEDGER, 33, "E045")  # the completed line


def test_ledger_evaluation_that_does_not_add_up(small_site: Path) -> None:
    replace(small_site, LEDGER, "dissatisfied: 4}", "dissatisfied: 5}")
    error = only_error(small_site)
    assert (error.file, error.line, error.code) == (LEDGER, 16, "E047")
    assert "= 31" in error.message and "30" in error.message


def test_meeting_evaluation_that_does_not_add_up(small_site: Path) -> None:
    replace(small_site, LIFE, "dissatisfied: 22}", "dissatisfied: 2}")
    error = only_error(small_site)
    assert (error.file, error.line, error.code) == (LIFE, 10, "E047")


def test_progress_out_of_order(small_site: Path) -> None:
    replace(small_site, LEDGER, "{date: 2014-05-20, text: 增设两个窗口}", "{date: 2014-06-25, text: 增设两个窗口}")
    assert where(small_site) == [(LEDGER, 13, "E052")]


def test_ledger_file_name_must_match_unit(small_site: Path) -> None:
    (small_site / LEDGER).rename(small_site / "content/rectification/jiaoyu.yml")
    error = only_error(small_site)
    assert (error.file, error.line, error.code) == ("content/rectification/jiaoyu.yml", 1, "E046")
    assert "edu.yml" in error.hint


def test_phase_dates_reversed(small_site: Path) -> None:
    replace(small_site, "site_config.yml", "end: 2014-07-10}", "end: 2014-05-01}")
    assert where(small_site) == [("site_config.yml", 7, "E048")]


def test_evidence_url_must_not_be_javascript(small_site: Path) -> None:
    replace(small_site, LEDGER, "url: /qzlx/news/2014-07-01-first/", "url: 'javascript:alert(1)'")
    assert where(small_site) == [(LEDGER, 15, "E032")]


# ---- all at once -----------------------------------------------------------------------------


def break_five_things(site: Path) -> list[tuple[str, int, str]]:
    """Five different mistakes in four files, found by the loader and by the validator."""
    replace(site, LEDGER, "category: 群众切身利益", "category: 群众利益")        # E033
    replace(site, LEDGER, "    owner: 后勤科\n", "    owner: 后勤科\n    owner: 办公室\n")  # E011
    replace(site, NEWS, "date: 2014年6月1日", "date: 2014年6月31日")             # E034
    replace(site, NEWS_FIRST, "unit: edu", "unit: 区教育局")                      # E040
    replace(site, LIFE, "dissatisfied: 22}", "dissatisfied: 20}")               # E047
    return sorted([
        (LEDGER, 28, "E033"),
        (LEDGER, 38, "E011"),
        (NEWS, 3, "E034"),
        (NEWS_FIRST, 5, "E040"),
        (LIFE, 10, "E047"),
    ])


def test_every_error_of_a_run_is_reported_together(small_site: Path) -> None:
    expected = break_five_things(small_site)
    assert where(small_site) == expected
    assert len({code for _, _, code in expected}) == 5
    assert len({file for file, _, _ in expected}) == 4


def test_cli_check_prints_every_error_with_file_and_line(small_site: Path, capsys) -> None:
    expected = break_five_things(small_site)
    assert main(["check", str(small_site)]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    for file, line, code in expected:
        assert f"{file}:{line}: 错误 {code}" in captured.err
    assert f"共 {len(expected)} 处错误" in captured.err


def test_cli_build_prints_every_error_and_exits_1(small_site: Path, tmp_path: Path, capsys) -> None:
    expected = break_five_things(small_site)
    out = tmp_path / "out"
    assert main(["build", str(small_site), "-o", str(out)]) == 1
    err = capsys.readouterr().err
    for file, line, code in expected:
        assert f"{file}:{line}: 错误 {code}" in err
    assert not out.exists()


def test_cli_check_passes_on_valid_site(small_site: Path, capsys) -> None:
    assert main(["check", str(small_site)]) == 0
    assert "检查通过" in capsys.readouterr().out
