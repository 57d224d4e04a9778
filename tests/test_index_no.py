"""索引号: generated as org code/year-serial, and never changed once published.

The small fixture is committed in steps (tests/test_history.py's `git` helper dates the
commits); each step checks that no number given out before has moved.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import errors_of, write
from test_history import git

from generator.build import build, prepare
from generator.errors import Problems

ORG = "11111111-X"


def document(site: Path, name: str, date: str, extra: str = "") -> None:
    write(site, f"content/documents/{name}.md",
          f"---\ntitle: 文件{name}\ndate: {date}\ncolumn: policy\nissuer: 测试区委\n{extra}---\n正文。\n")


def numbers(site: Path, accept_removals: bool = False) -> dict[str, str]:
    return prepare(site, Problems(), accept_removals=accept_removals).index_numbers


@pytest.fixture
def numbered(small_site: Path) -> Path:
    config = small_site / "site_config.yml"
    config.write_text(config.read_text(encoding="utf-8") + f'org_code: "{ORG}"\n', encoding="utf-8")
    document(small_site, "b-june", "2014-06-01")
    return small_site


def test_numbers_follow_publication_not_dates(numbered: Path, tmp_path: Path) -> None:
    git(numbered, "init", "-q")
    git(numbered, "add", "-A")
    git(numbered, "commit", "-qm", "两份文件")
    first = numbers(numbered)
    # the same commit: by date (city-notice is 2014-05-10), then id
    assert first == {"city-notice": f"{ORG}/2014-00001", "b-june": f"{ORG}/2014-00002"}

    # a document published later, though dated earlier, comes after both
    document(numbered, "a-march", "2014-03-01")
    git(numbered, "add", "-A")
    git(numbered, "commit", "-qm", "补发三月的文件", date="2014-07-02T09:00:00+08:00")
    second = numbers(numbered)
    assert {k: second[k] for k in first} == first
    assert second["a-march"] == f"{ORG}/2014-00003"

    # not committed yet: after every committed one; another year has its own sequence
    document(numbered, "z-draft", "2014-01-02")
    document(numbered, "new-year", "2015-01-05")
    third = numbers(numbered)
    assert {k: third[k] for k in second} == second
    assert third["z-draft"] == f"{ORG}/2014-00004"
    assert third["new-year"] == f"{ORG}/2015-00001"

    # a removed document's number is not given to another
    git(numbered, "add", "-A")
    git(numbered, "commit", "-qm", "草稿发布", date="2014-07-03T09:00:00+08:00")
    (numbered / "content/documents/b-june.md").unlink()
    fourth = numbers(numbered, accept_removals=True)
    assert "b-june" not in fourth
    assert {k: fourth[k] for k in fourth} == {k: third[k] for k in fourth}

    # the page and the open data show it
    out = tmp_path / "out"
    build(numbered, out, accept_removals=True)
    page = (out / "documents/a-march/index.html").read_text(encoding="utf-8")
    assert f"<th scope=\"row\">索引号</th><td>{ORG}/2014-00003</td>" in page
    data = json.loads((out / "data/documents.json").read_text(encoding="utf-8"))
    assert data["index_no_basis"] == "git"
    assert {r["id"]: r["index_no"] for r in data["records"]} == fourth
    assert (out / "data/documents.csv").read_text(encoding="utf-8-sig").startswith("索引号,")


def test_a_later_date_correction_does_not_move_the_number(numbered: Path) -> None:
    git(numbered, "init", "-q")
    git(numbered, "add", "-A")
    git(numbered, "commit", "-qm", "两份文件")
    before = numbers(numbered)
    path = numbered / "content/documents/city-notice.md"
    path.write_text(path.read_text(encoding="utf-8").replace("date: 2014-05-10", "date: 2014-06-20")
                    .replace("title: 关于", "title: 更正：关于"), encoding="utf-8")
    git(numbered, "commit", "-qam", "更正日期", date="2014-07-02T09:00:00+08:00")
    assert numbers(numbered) == before  # by its first version, city-notice still comes first


def test_without_git_dates_then_ids(numbered: Path) -> None:
    document(numbered, "a-march", "2014-03-01")
    document(numbered, "a-march-too", "2014-03-01")
    site = prepare(numbered, Problems())
    assert not site.history.available
    assert site.index_numbers == {"a-march": f"{ORG}/2014-00001", "a-march-too": f"{ORG}/2014-00002",
                                  "city-notice": f"{ORG}/2014-00003", "b-june": f"{ORG}/2014-00004"}


def test_an_editors_number_is_kept_and_keeps_its_place(numbered: Path) -> None:
    document(numbered, "a-march", "2014-03-01", "index_no: 云河-2014-甲\n")
    assert numbers(numbered) == {"a-march": "云河-2014-甲", "city-notice": f"{ORG}/2014-00002",
                                 "b-june": f"{ORG}/2014-00003"}


def test_no_org_code_no_generated_numbers(small_site: Path, tmp_path: Path) -> None:
    assert numbers(small_site) == {}
    build(small_site, tmp_path / "out")
    page = (tmp_path / "out/documents/city-notice/index.html").read_text(encoding="utf-8")
    assert "<th scope=\"row\">索引号</th><td>—</td>" in page


def test_two_documents_with_one_number(numbered: Path) -> None:
    document(numbered, "copy", "2014-07-01", f'index_no: "{ORG}/2014-00002"\n')
    [error] = errors_of(numbered)
    assert (error.code, error.file, error.line) == ("E055", "content/documents/copy.md", 6)
    assert f"{ORG}/2014-00002" in error.message and "city-notice.md" not in error.message
    assert "content/documents/b-june.md" in error.message


def warnings_of(site: Path) -> list[tuple[str, int | None, str]]:
    problems = Problems()
    prepare(site, problems)
    return [(w.file, w.line, w.code) for w in problems.warnings if w.code == "W003"]


def test_numbers_by_date_are_announced_without_git(numbered: Path, tmp_path: Path) -> None:
    problems = Problems()
    prepare(numbered, problems)
    [warning] = [w for w in problems.warnings if w.code == "W003"]
    org_line = numbered.joinpath("site_config.yml").read_text(encoding="utf-8").splitlines().index(
        f'org_code: "{ORG}"') + 1
    assert (warning.file, warning.line) == ("site_config.yml", org_line)
    assert "2 份文件" in warning.message and "不在 git 仓库中" in warning.message
    assert "git commit" in warning.hint and "fetch-depth: 0" in warning.hint
    # a warning: the site is still built
    report = build(numbered, tmp_path / "out")
    assert "W003" in [w.code for w in report.warnings] and (tmp_path / "out/index.html").is_file()


def test_no_announcement_once_committed(numbered: Path) -> None:
    git(numbered, "init", "-q")
    assert [w[2] for w in warnings_of(numbered)] == ["W003"]  # a repository with nothing committed yet
    git(numbered, "add", "-A")
    git(numbered, "commit", "-qm", "两份文件")
    assert warnings_of(numbered) == []


def test_no_announcement_when_no_number_is_generated(small_site: Path) -> None:
    assert warnings_of(small_site) == []  # no org_code: no number is generated
    config = small_site / "site_config.yml"
    config.write_text(config.read_text(encoding="utf-8") + f'org_code: "{ORG}"\n', encoding="utf-8")
    assert [w[2] for w in warnings_of(small_site)] == ["W003"]
    notice = small_site / "content/documents/city-notice.md"
    notice.write_text(notice.read_text(encoding="utf-8").replace("---\n", "---\nindex_no: 测-2014-1\n", 1),
                      encoding="utf-8")
    assert warnings_of(small_site) == []  # every document has the editor's number
    notice.unlink()
    (small_site / "content/rules.yml").unlink()  # its one rule links the document
    assert warnings_of(small_site) == []  # no documents
