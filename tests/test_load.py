"""Load stage: encodings, front matter, YAML syntax and the shapes files must have.

Each test breaks one file of the small fixture and checks the code, the file and the line
of every error reported, so an editor is sent to the right place.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

from conftest import FIXTURES, errors_of, only_error, replace, where, write

from generator.build import prepare

NEWS = "content/news/2014-06-01-second.md"
LEDGER = "content/rectification/edu.yml"
UNITS = "content/units.yml"




def fixture_text(relative: str) -> str:
    return (FIXTURES / "small" / relative).read_text(encoding="utf-8")


# ---- encodings -----------------------------------------------------------------------------


def test_gbk_markdown_is_named_with_a_conversion_command(small_site: Path) -> None:
    write(small_site, NEWS, fixture_text(NEWS), encoding="gbk")
    error = only_error(small_site)
    assert (error.file, error.line, error.code) == (NEWS, 2, "E001")  # the title has the first Chinese
    assert "GBK" in error.message
    assert "iconv -f GBK -t UTF-8" in error.hint


def test_gbk_yaml_names_the_first_line_that_is_not_utf8(small_site: Path) -> None:
    write(small_site, LEDGER, fixture_text(LEDGER), encoding="gbk")
    error = only_error(small_site)
    assert (error.file, error.line, error.code) == (LEDGER, 4, "E001")  # line 4: problem: 办事…
    assert "GBK" in error.message and "iconv" in error.hint


def test_short_gbk_text_that_happens_to_be_valid_utf8(small_site: Path) -> None:
    text = "---\ntitle: 通知\ndate: 2014-07-01\ncolumn: news\n---\n"
    assert text.encode("gbk").decode("utf-8")  # the trap: no decoding error at all
    write(small_site, NEWS, text, encoding="gbk")
    error = only_error(small_site)
    assert (error.file, error.line, error.code) == (NEWS, 2, "E001") and "GBK" in error.message


def test_other_scripts_in_utf8_are_fine(small_site: Path) -> None:
    text = fixture_text(NEWS).replace("title: ", "title: Café Ωmega — ", 1)
    write(small_site, NEWS, text)
    assert errors_of(small_site) == []


def test_bytes_that_are_no_known_encoding(small_site: Path) -> None:
    path = small_site / UNITS
    path.write_bytes(path.read_bytes() + b"- {id: x, name: \xff\xfe\xff, kind: \xff}\n")
    error = only_error(small_site)
    assert (error.file, error.line, error.code) == (UNITS, 5, "E002")


def test_bom_and_crlf_are_accepted_and_lines_still_count(small_site: Path) -> None:
    text = "\ufeff" + fixture_text(NEWS).replace("\n", "\r\n")
    write(small_site, NEWS, text)
    assert errors_of(small_site) == []
    assert prepare(small_site).articles["2014-06-01-second"].date == dt.date(2014, 6, 1)
    # a mistake in the same file is still reported on its own line
    write(small_site, NEWS, text.replace("column: news", "column: nws"))
    assert where(small_site) == [(NEWS, 4, "E041")]


def test_bom_and_crlf_in_yaml(small_site: Path) -> None:
    text = "\ufeff" + fixture_text(LEDGER).replace("\n", "\r\n")
    write(small_site, LEDGER, text.replace("status: 未启动", "status: 没开始"))
    assert where(small_site) == [(LEDGER, 32, "E033")]


# ---- front matter ---------------------------------------------------------------------------


def test_front_matter_missing(small_site: Path) -> None:
    write(small_site, NEWS, "东街街道召开座谈会。\n")
    assert where(small_site) == [(NEWS, 1, "E020")]


def test_front_matter_not_closed(small_site: Path) -> None:
    write(small_site, NEWS, fixture_text(NEWS).replace("---\n东街", "东街"))
    assert where(small_site) == [(NEWS, 1, "E021")]


def test_front_matter_that_is_not_a_mapping(small_site: Path) -> None:
    write(small_site, NEWS, "---\n- 东街\n- 座谈会\n---\n正文\n")
    assert where(small_site) == [(NEWS, 2, "E014")]
    write(small_site, NEWS, "---\n只是一句话\n---\n正文\n")
    assert where(small_site) == [(NEWS, 2, "E014")]


def test_empty_front_matter_reports_the_required_fields(small_site: Path) -> None:
    write(small_site, NEWS, "---\n---\n正文\n")
    errors = errors_of(small_site)
    assert {(e.file, e.line, e.code) for e in errors} == {(NEWS, 2, "E030")}
    assert {e.message.split("“")[1].split("”")[0] for e in errors} == {"title", "date", "column"}


# ---- YAML syntax and what YAML features are refused -------------------------------------------


def test_yaml_syntax_error_in_front_matter_has_its_file_line(small_site: Path) -> None:
    replace(small_site, NEWS, "column: news", "column: news: 工作动态")
    error = only_error(small_site)
    assert (error.file, error.line, error.code) == (NEWS, 4, "E010")
    assert "引号" in error.message  # explained in Chinese: quote the value


def test_yaml_syntax_error_in_yaml_file(small_site: Path) -> None:
    replace(small_site, LEDGER, "    owner: 财务科", "    owner: [财务科")
    error = only_error(small_site)
    # PyYAML notices on the next line; the message names where the open bracket started
    assert (error.file, error.line, error.code) == (LEDGER, 31, "E010")
    assert "第 30 行" in error.message


def test_tab_indentation_is_explained(small_site: Path) -> None:
    replace(small_site, LEDGER, "    owner: 财务科", "\towner: 财务科")
    error = only_error(small_site)
    assert (error.file, error.line, error.code) == (LEDGER, 30, "E010")
    assert "Tab" in error.message


def test_duplicate_key_names_both_lines(small_site: Path) -> None:
    replace(small_site, LEDGER, "    owner: 财务科\n", "    owner: 财务科\n    problem: 又写了一次\n")
    error = only_error(small_site)
    assert (error.file, error.line, error.code) == (LEDGER, 31, "E011")
    assert "problem" in error.message and "第 27 行" in error.message


def test_duplicate_key_in_front_matter_names_both_lines(small_site: Path) -> None:
    replace(small_site, NEWS, "unit: street", "unit: street\ncolumn: policy")
    error = only_error(small_site)
    assert (error.file, error.line, error.code) == (NEWS, 6, "E011")
    assert "column" in error.message and "第 4 行" in error.message


def test_duplicate_key_in_a_flow_mapping(small_site: Path) -> None:
    replace(small_site, UNITS, "{id: street, name: 东街街道,", "{id: street, name: 东街街道, name: 西街,")
    error = only_error(small_site)
    assert (error.file, error.line, error.code) == (UNITS, 3, "E011")


def test_anchors_and_aliases_are_refused(small_site: Path) -> None:
    replace(small_site, LEDGER, "    owner: 办公室\n    deadline: 2014-07-10", "    owner: &office 办公室\n    deadline: 2014-07-10")
    replace(small_site, LEDGER, "owner: 财务科", "owner: *office")
    error = only_error(small_site)
    assert (error.file, error.line, error.code) == (LEDGER, 30, "E012")


def test_merge_of_an_alias_is_refused(small_site: Path) -> None:
    write(small_site, "content/commitments/wang.yml",
          "by: &who {name: 王某, post: 局长, unit: edu}\npublished: 2014-04-21\n"
          "items:\n  - {<<: *who, id: c01, text: 每月接待群众一次, deadline: 2014-09-30, status: 兑现中}\n")
    assert where(small_site) == [("content/commitments/wang.yml", 4, "E012")]


def test_python_object_tag_is_refused(small_site: Path) -> None:
    replace(small_site, LEDGER, "    owner: 财务科", "    owner: !!python/object/apply:os.system ['touch pwned']")
    error = only_error(small_site)
    assert (error.file, error.line, error.code) == (LEDGER, 30, "E013")
    assert "!!python/object/apply:os.system" in error.message
    assert not (small_site / "pwned").exists()


def test_custom_tags_are_refused(small_site: Path) -> None:
    replace(small_site, NEWS, "unit: street", "unit: !!python/object:generator.model.Unit {}")
    replace(small_site, LEDGER, "    owner: 财务科", "    owner: !local 财务科")
    assert where(small_site) == [(NEWS, 5, "E013"), (LEDGER, 30, "E013")]


def test_top_level_list_where_a_mapping_is_expected(small_site: Path) -> None:
    write(small_site, LEDGER, "- unit: edu\n- items: []\n")
    error = only_error(small_site)
    assert (error.file, error.line, error.code) == (LEDGER, 1, "E014")
    assert "列表" in error.message


def test_mapping_where_a_list_is_expected_does_not_flood_references(small_site: Path) -> None:
    # units.yml unusable: one error, not one "unknown unit" per reference in other files
    write(small_site, UNITS, "id: edu\nname: 区教育局\nkind: 区直单位\n")
    assert where(small_site) == [(UNITS, 1, "E014")]


def test_empty_files_are_reported_not_skipped(small_site: Path) -> None:
    write(small_site, LEDGER, "")
    write(small_site, "content/commitments/wang.yml", "# 待补充\n")
    write(small_site, UNITS, "")
    assert where(small_site) == [
        ("content/commitments/wang.yml", 1, "E014"),
        (LEDGER, 1, "E014"),
        (UNITS, 1, "E014"),
    ]


def test_empty_site_config_is_an_error(small_site: Path) -> None:
    write(small_site, "site_config.yml", "")
    assert where(small_site) == [("site_config.yml", 1, "E014")]


def test_missing_site_config(small_site: Path) -> None:
    (small_site / "site_config.yml").unlink()
    assert where(small_site) == [("site_config.yml", None, "E003")]


def test_two_yaml_documents_in_one_file(small_site: Path) -> None:
    write(small_site, LEDGER, "---\nunit: edu\n---\nunit: edu\n")
    error = only_error(small_site)
    assert (error.file, error.line, error.code) == (LEDGER, 3, "E010")
    assert "---" in error.message


# ---- links out of the site ---------------------------------------------------------------


def test_symlink_to_a_file_outside_the_site_is_refused(small_site: Path, tmp_path: Path) -> None:
    outside = tmp_path / "outside.md"
    outside.write_text(fixture_text(NEWS), encoding="utf-8")
    os.symlink(outside, small_site / "content/news/linked.md")
    error = only_error(small_site)
    assert (error.file, error.line, error.code) == ("content/news/linked.md", None, "E005")
    assert str(outside.resolve()) in error.message


def test_symlink_to_a_folder_outside_the_site_is_refused(small_site: Path, tmp_path: Path) -> None:
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (outside / "page.md").write_text("---\ntitle: 外面\n---\n", encoding="utf-8")
    os.symlink(outside, small_site / "content/pages/more")
    assert where(small_site) == [("content/pages/more", None, "E005")]


def test_symlinked_units_file_outside_the_site(small_site: Path, tmp_path: Path) -> None:
    outside = tmp_path / "units.yml"
    outside.write_text(fixture_text(UNITS), encoding="utf-8")
    (small_site / UNITS).unlink()
    os.symlink(outside, small_site / UNITS)
    assert where(small_site) == [(UNITS, None, "E005")]
