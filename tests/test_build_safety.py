"""The build never damages what is already there.

A failed build leaves the published output byte for byte as it was; the build never writes
into content/; it refuses an output folder it did not make, and output folders that would
swallow the sources.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest
from conftest import write

from generator.build import build
from generator.cli import main
from generator.errors import BuildFailed
from generator.output import MARKER

NEWS = "content/news/2014-06-01-second.md"


def snapshot(folder: Path) -> dict[str, tuple[str, int]]:
    """Every file and folder under `folder`: content hash (or 'dir') and mode."""
    found: dict[str, tuple[str, int]] = {}
    for path in sorted(folder.rglob("*")):
        key = path.relative_to(folder).as_posix()
        if path.is_dir():
            found[key] = ("dir", path.stat().st_mode)
        else:
            found[key] = (hashlib.sha256(path.read_bytes()).hexdigest(), path.stat().st_mode)
    return found


def codes(failed: pytest.ExceptionInfo[BuildFailed]) -> list[tuple[str, int | None, str]]:
    return sorted((e.file, e.line, e.code) for e in failed.value.problems.errors)


def leftovers(parent: Path) -> list[str]:
    """Staging folders a build left beside its output (there must be none)."""
    return sorted(p.name for p in parent.iterdir() if ".tmp-" in p.name or ".old-" in p.name)


def break_news(site: Path) -> None:
    path = site / NEWS
    path.write_text(path.read_text(encoding="utf-8").replace("column: news", "column: nws"), encoding="utf-8")


# ---- a failed build changes nothing -----------------------------------------------------------


def test_failed_build_leaves_previous_output_byte_for_byte(small_site: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    build(small_site, out)
    before = snapshot(out)
    assert len(before) > 20 and MARKER in before
    break_news(small_site)
    with pytest.raises(BuildFailed) as failed:
        build(small_site, out)
    assert codes(failed) == [(NEWS, 4, "E041")]
    assert snapshot(out) == before
    assert leftovers(tmp_path) == []


def test_failed_cli_build_exits_non_zero_and_changes_nothing(small_site: Path, tmp_path: Path, capsys) -> None:
    out = tmp_path / "out"
    assert main(["build", str(small_site), "-o", str(out)]) == 0
    before = snapshot(out)
    break_news(small_site)
    (small_site / "content/units.yml").write_bytes("- {id: edu, name: 区教育局}\n".encode("gbk"))
    assert main(["build", str(small_site), "-o", str(out)]) == 1
    err = capsys.readouterr().err
    assert f"{NEWS}:4: 错误 E041" in err
    assert "content/units.yml:1: 错误 E001" in err
    assert snapshot(out) == before
    assert leftovers(tmp_path) == []


def test_failure_while_rendering_discards_the_staging_folder(small_site: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    build(small_site, out)
    before = snapshot(out)
    # the site's own theme overrides one template with a mistake: found only while rendering
    write(small_site, "theme/templates/page.html", "{{ no_such_variable.title }}\n")
    with pytest.raises(BuildFailed) as failed:
        build(small_site, out)
    assert [code for _, _, code in codes(failed)] == ["E062"]
    assert snapshot(out) == before
    assert leftovers(tmp_path) == []


def test_a_build_that_writes_a_few_files_leaves_no_staging_folder(small_site: Path, tmp_path: Path) -> None:
    """After an edit, the staged files are moved into place from folders several deep, and
    the staging folder, with the folders that held them, is gone."""
    out = tmp_path / "out"
    build(small_site, out)
    ledger = small_site / "content/rectification/edu.yml"
    ledger.write_text(ledger.read_text(encoding="utf-8").replace("    status: 整改中\n", "    status: 未启动\n", 1),
                      encoding="utf-8")
    report = build(small_site, out)
    assert 0 < report.written < report.files and any(n.count("/") >= 3 for n in snapshot(out))
    assert leftovers(tmp_path) == []


# ---- content/ is read only ----------------------------------------------------------------


def test_build_never_writes_into_content(small_site: Path, tmp_path: Path) -> None:
    photo = small_site / "content/news/photo.png"
    photo.write_bytes(b"\x89PNG\r\n\x1a\n fake")
    path = small_site / NEWS
    path.write_text(path.read_text(encoding="utf-8") + "\n![合影](photo.png)\n", encoding="utf-8")
    before = snapshot(small_site / "content")
    mtimes = {p: p.stat().st_mtime_ns for p in (small_site / "content").rglob("*")}
    assert main(["build", str(small_site)]) == 0  # default output: site/ in the site folder
    assert (small_site / "site" / "index.html").is_file()
    build(small_site, tmp_path / "elsewhere")
    assert snapshot(small_site / "content") == before
    assert {p: p.stat().st_mtime_ns for p in (small_site / "content").rglob("*")} == mtimes


def test_check_writes_nothing(small_site: Path) -> None:
    before = snapshot(small_site)
    assert main(["check", str(small_site)]) == 0
    assert snapshot(small_site) == before


# ---- output folders that are refused ------------------------------------------------------


def test_refuses_a_non_empty_folder_it_did_not_make(small_site: Path, tmp_path: Path) -> None:
    out = tmp_path / "mine"
    (out / "photos").mkdir(parents=True)
    (out / "notes.txt").write_text("我的文件", encoding="utf-8")
    (out / "photos" / "a.jpg").write_bytes(b"jpg")
    before = snapshot(out)
    with pytest.raises(BuildFailed) as failed:
        build(small_site, out)
    assert [code for _, _, code in codes(failed)] == ["E060"]
    assert str(out) in failed.value.problems.errors[0].message
    assert snapshot(out) == before
    assert leftovers(tmp_path) == []


def test_refuses_a_file_as_output(small_site: Path, tmp_path: Path) -> None:
    out = tmp_path / "out.html"
    out.write_text("keep", encoding="utf-8")
    with pytest.raises(BuildFailed) as failed:
        build(small_site, out)
    assert [code for _, _, code in codes(failed)] == ["E060"]
    assert out.read_text(encoding="utf-8") == "keep"


def test_cli_refuses_foreign_folder_with_exit_1(small_site: Path, tmp_path: Path, capsys) -> None:
    out = tmp_path / "docs"
    out.mkdir()
    (out / "README").write_text("x", encoding="utf-8")
    assert main(["build", str(small_site), "-o", str(out)]) == 1
    assert "E060" in capsys.readouterr().err
    assert os.listdir(out) == ["README"]


@pytest.mark.parametrize("relative", ["content", "content/out", "content/news", ".", ".."])
def test_refuses_output_inside_content_or_the_site_itself(small_site: Path, relative: str) -> None:
    before = snapshot(small_site)
    with pytest.raises(BuildFailed) as failed:
        build(small_site, small_site / relative)
    assert [code for _, _, code in codes(failed)] == ["E061"]
    assert snapshot(small_site) == before


def test_empty_folder_is_accepted(small_site: Path, tmp_path: Path) -> None:
    out = tmp_path / "empty"
    out.mkdir()
    build(small_site, out)
    assert (out / "index.html").is_file() and (out / MARKER).is_file()


# ---- a good build replaces the previous one --------------------------------------------------


def test_second_build_replaces_the_first(small_site: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    build(small_site, out)
    old_page = out / "news" / "2014-06-01-second" / "index.html"
    assert "东街街道召开座谈会" in old_page.read_text(encoding="utf-8")
    (out / "stale.txt").write_text("from before", encoding="utf-8")  # inside a gongshi folder

    (small_site / NEWS).unlink()
    write(small_site, "content/news/2014-06-02-third.md",
          "---\ntitle: 第三条新闻\ndate: 2014-06-02\ncolumn: news\n---\n正文\n")
    build(small_site, out)
    assert not old_page.exists()
    assert not (out / "stale.txt").exists()
    assert "第三条新闻" in (out / "news" / "2014-06-02-third" / "index.html").read_text(encoding="utf-8")
    assert (out / MARKER).is_file()
    assert leftovers(tmp_path) == []


def test_rebuilding_unchanged_content_gives_identical_output(small_site: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    build(small_site, out)
    first = snapshot(out)
    build(small_site, out)
    assert snapshot(out) == first
