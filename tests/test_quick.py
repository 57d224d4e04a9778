"""Quick builds (generator/quick.py): after an edit of Markdown bodies and nothing else, only
the pages and feeds showing those bodies are made again, from their snapshots, and the
output is byte for byte that of a clean build. Any other change, or an edit with a
problem, goes to the full build, which reports the problem as always."""

from __future__ import annotations

import shutil
from pathlib import Path

import feedparser
import pytest
from conftest import write
from PIL import Image
from test_incremental import replace, stamps, tree

from generator.build import build
from generator.cache import BuildCache
from generator.cli import main
from generator.errors import BuildFailed
from generator.history import CACHE_DIR

NEWS = "content/news/2014-06-01-second.md"
EDITS = {  # file → (old text, new text): the body alone
    NEWS: ("听取居民意见。", "听取居民意见。会后逐条答复，下周公布办理结果。"),
    "content/documents/city-notice.md": ("现将有关事项通知如下。", "现将有关事项通知如下：一、提高认识。"),
    "content/meetings/street-talk.md": ("居民代表发言。", "居民代表发言，街道逐条回应。"),
    "content/pages/about.md": ("教育实践活动的情况。", "教育实践活动的情况，欢迎监督。"),
}
PAGES = {NEWS: "news/2014-06-01-second/index.html", "content/documents/city-notice.md": "documents/city-notice/index.html",
         "content/meetings/street-talk.md": "meetings/street-talk/index.html", "content/pages/about.md": "pages/about/index.html"}


def clean_build(site: Path, tmp_path: Path) -> dict[str, bytes]:
    clean = tmp_path / "clean"
    shutil.rmtree(clean, ignore_errors=True)
    build(site, clean, use_cache=False)
    return tree(clean)


@pytest.mark.parametrize("source", sorted(EDITS))
def test_a_body_edit_is_quick_and_gives_the_clean_build(source: str, small_site: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    build(small_site, out)
    before = stamps(out)
    replace(small_site, source, *EDITS[source])
    report = build(small_site, out)
    assert report.quick
    assert tree(out) == clean_build(small_site, tmp_path)
    changed = {name for name, stamp in stamps(out).items() if before.get(name) != stamp}
    page = PAGES[source]
    assert page in changed
    assert EDITS[source][1].encode() in (out / page).read_bytes()
    # the page, the feeds that carry it, the search index and the manifest; no list, no other page
    assert {n for n in changed if n.endswith(".html")} == {page}
    assert report.written == len(changed)


def test_a_site_with_no_campaign_wide_opinions_has_quick_builds_too(small_site: Path, tmp_path: Path) -> None:
    """The site's `opinion_total` is None then: a None in a page's context is not that part
    of the site (which quick.py could not find again)."""
    replace(small_site, "content/opinions.yml",
            "- {unit: all, meetings: 10, people: 300, questionnaires: 500, problems: 80, suggestions: 60}\n", "")
    out = tmp_path / "out"
    build(small_site, out)
    replace(small_site, NEWS, *EDITS[NEWS])
    assert build(small_site, out).quick
    assert tree(out) == clean_build(small_site, tmp_path)


def test_the_feeds_carry_the_new_text(small_site: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    build(small_site, out)
    replace(small_site, NEWS, *EDITS[NEWS])
    assert build(small_site, out).quick
    feed = feedparser.parse((out / "feeds/all.xml").read_bytes())
    assert not feed.bozo
    entry = next(e for e in feed.entries if e.link.endswith("news/2014-06-01-second/"))
    assert "会后逐条答复" in entry.content[0].value
    assert "会后逐条答复" in (out / "feeds/unit/street.json").read_text(encoding="utf-8")
    page = (out / PAGES[NEWS]).read_text(encoding="utf-8")
    assert '<meta name="description" content="东街街道召开座谈会，听取居民意见。会后逐条答复' in page


def test_edits_one_after_another_and_a_full_build_between(small_site: Path, tmp_path: Path) -> None:
    """Quick, quick again (the same file and another one in the same feeds), then a change
    of front matter (full build), then the first text back: each time the clean build."""
    out = tmp_path / "out"
    build(small_site, out)
    replace(small_site, NEWS, *EDITS[NEWS])
    assert build(small_site, out).quick
    replace(small_site, NEWS, "下周公布办理结果。", "下周公布办理结果。欢迎继续监督。")
    replace(small_site, "content/meetings/street-talk.md", *EDITS["content/meetings/street-talk.md"])
    assert build(small_site, out).quick
    assert tree(out) == clean_build(small_site, tmp_path)
    replace(small_site, NEWS, "title: 东街街道召开座谈会", "title: 东街街道召开居民座谈会")
    assert not build(small_site, out).quick
    assert tree(out) == clean_build(small_site, tmp_path)
    replace(small_site, NEWS, "会后逐条答复，下周公布办理结果。欢迎继续监督。", "")
    replace(small_site, NEWS, "title: 东街街道召开居民座谈会", "title: 东街街道召开座谈会")
    assert not build(small_site, out).quick
    assert tree(out) == clean_build(small_site, tmp_path)
    replace(small_site, NEWS, "听取居民意见。", "听取居民意见。")  # same bytes, new mtime
    (small_site / NEWS).touch()
    assert build(small_site, out).quick
    assert tree(out) == clean_build(small_site, tmp_path)


CHANGES_FOR_THE_FULL_BUILD = {
    "front matter": lambda site: replace(site, NEWS, "title: 东街街道召开座谈会", "title: 东街街道召开民情座谈会"),
    "a new file": lambda site: write(site, "content/news/2014-07-02-third.md",
                                     "---\ntitle: 第三条新闻\ndate: 2014-07-02\ncolumn: news\nunit: edu\n---\n正文\n"),
    "a ledger": lambda site: replace(site, "content/rectification/edu.yml", "    status: 整改中\n",
                                     "    status: 已完成\n    completed: 2014-07-08\n"),
    "a body and a template": lambda site: (
        replace(site, NEWS, *EDITS[NEWS]),
        write(site, "theme/templates/_search_box.html", "<p>搜索暂停</p>\n")),
    "a first image in the body (a new share image)": lambda site: (
        Image.new("RGB", (40, 30), (200, 30, 30)).save(site / "content/news/photo.png"),
        replace(site, NEWS, "听取居民意见。", "听取居民意见。\n\n![会场](photo.png)")),
}


@pytest.mark.parametrize("change", sorted(CHANGES_FOR_THE_FULL_BUILD))
def test_other_changes_take_the_full_build(change: str, small_site: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    build(small_site, out)
    CHANGES_FOR_THE_FULL_BUILD[change](small_site)
    report = build(small_site, out)
    assert not report.quick
    assert tree(out) == clean_build(small_site, tmp_path)


@pytest.mark.parametrize(("body", "code"), [
    ("![照片](missing.jpg)", "E051"),
    ("[详见](/qzlx/news/no-such-news/)", "E056"),
])
def test_a_problem_in_an_edited_body_is_reported_by_the_full_build(body: str, code: str, small_site: Path,
                                                                   tmp_path: Path) -> None:
    out = tmp_path / "out"
    build(small_site, out)
    published = tree(out)
    replace(small_site, NEWS, "听取居民意见。", f"听取居民意见。\n\n{body}\n")
    with pytest.raises(BuildFailed) as failed:
        build(small_site, out)
    problems = failed.value.problems.errors
    assert [(p.code, p.file, p.line) for p in problems] == [(code, NEWS, 9)]
    assert tree(out) == published


def test_without_the_cache_an_edit_takes_the_full_build(small_site: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    build(small_site, out)
    shutil.rmtree(small_site / CACHE_DIR)
    replace(small_site, NEWS, *EDITS[NEWS])
    assert not build(small_site, out).quick
    assert tree(out) == clean_build(small_site, tmp_path)


def test_an_output_folder_changed_by_hand_takes_the_full_build(small_site: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    build(small_site, out)
    (out / "units/index.html").write_text("改坏了", encoding="utf-8")
    replace(small_site, NEWS, *EDITS[NEWS])
    assert not build(small_site, out).quick
    assert tree(out) == clean_build(small_site, tmp_path)


def test_the_summary_line_says_the_build_was_quick(small_site: Path, tmp_path: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out"
    assert main(["build", str(small_site), "-o", str(out)]) == 0
    assert "只改了正文" not in capsys.readouterr().out
    replace(small_site, NEWS, *EDITS[NEWS])
    assert main(["build", str(small_site), "-o", str(out)]) == 0
    line = capsys.readouterr().out.splitlines()[0]
    assert line.startswith("已生成 ") and line.endswith("（只改了正文：只重新生成显示它的页面和订阅源）")


def test_the_snapshot_of_a_removed_page_goes_with_it(small_site: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    build(small_site, out)
    cache = BuildCache(small_site)
    assert PAGES[NEWS] in cache.snapshots(out.resolve(), [PAGES[NEWS]])
    cache.close()
    (small_site / NEWS).unlink()
    assert not build(small_site, out).quick
    cache = BuildCache(small_site)
    assert cache.snapshots(out.resolve(), [PAGES[NEWS]]) == {}
    cache.close()
