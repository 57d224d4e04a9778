"""The search index: which pages it holds and with what record, Chinese spaced into
characters, the same bytes from every build, and a clear error when Pagefind cannot run.

The index is read back through Pagefind's own files (gzip'd CBOR, see
generator/pagefind_order.py); the browser tests (tests/browser/test_search.py) query it."""

from __future__ import annotations

import gzip
import json
import re
import shutil
from pathlib import Path

import pytest
from conftest import write

from generator.build import build
from generator.errors import BuildFailed
from generator.pagefind_order import MAGIC, _items
from generator.search import CHUNK_BYTES, SHARD_LIST, by_shard, indexed_part, shard_count, shard_of, spaced


def shards(out: Path) -> list[Path]:
    """The index's shards, as pagefind/shards.json lists them."""
    names = json.loads((out / "pagefind" / SHARD_LIST).read_text(encoding="utf-8"))
    return [out / "pagefind" / name for name in names]


def fragments(out: Path) -> dict[str, dict]:
    """Every indexed page's record as Pagefind stored it, by URL."""
    found = {}
    for path in sorted(p for shard in shards(out) for p in (shard / "fragment").glob("*.pf_fragment")):
        data = json.loads(gzip.decompress(path.read_bytes()).removeprefix(MAGIC))
        found[data["url"]] = data
    return found


def test_record_pages_are_indexed_with_their_record(built_small: Path) -> None:
    pages = fragments(built_small)
    item = pages["/rectification/edu/r01/"]
    assert item["meta"]["type"] == "整改事项"
    assert item["filters"] == {"type": ["整改事项"], "unit": ["区教育局"]}
    article = pages["/news/2014-07-01-first/"]
    assert article["meta"]["title"] == "区教育局公布整改清单"
    assert article["meta"]["date"] == "2014年7月1日"
    assert article["filters"] == {"type": ["新闻"], "unit": ["区教育局"], "column": ["工作动态"]}
    types = {p["meta"]["type"] for p in pages.values()}
    assert types == {"新闻", "文件", "整改事项", "承诺", "会议", "单位", "页面"}
    # lists, overviews and the search page are not records of their own
    assert not {"/", "/news/", "/rectification/", "/rectification/edu/", "/search/"} & set(pages)


def test_navigation_footer_and_lists_stay_out_of_the_index(built_small: Path) -> None:
    article = fragments(built_small)["/news/2014-07-01-first/"]["content"].replace("\u200b", "")
    assert "区教育局今天公布了整改清单" in article
    for chrome in ("更多栏目", "跳到正文", "订阅（RSS）", "网站标识码", "上一篇", "相关内容"):
        assert chrome not in article
    unit = fragments(built_small)["/units/edu/"]["content"].replace("\u200b", "")
    assert "区教育局" in unit and "整改清单" not in unit  # its lists are found on their own pages
    assert "data-pagefind-body" not in (built_small / "index.html").read_text(encoding="utf-8")


def test_chinese_is_indexed_character_by_character(built_small: Path) -> None:
    content = fragments(built_small)["/news/2014-07-01-first/"]["content"]
    assert "区\u200b教\u200b育\u200b局" in content
    page = (built_small / "news/2014-07-01-first/index.html").read_text(encoding="utf-8")
    assert "\u200b" not in page  # readers get the page as written


def test_spacing_leaves_markup_and_shown_meta_alone() -> None:
    html = ('<title>整改</title><span data-pagefind-meta="title">渣土车</span>'
            '<p class="x">渣土车 and 2014年</p><img alt="干部走访" src="a.png">')
    assert spaced(html) == ('<title>整\u200b改</title><span data-pagefind-meta="title">渣土车</span>'
                            '<p class="x">渣\u200b土\u200b车 and 2014年</p>'
                            '<img alt="干\u200b部\u200b走\u200b访" src="a.png">')


def test_withdrawn_records_are_not_searchable(small_site: Path, tmp_path: Path) -> None:
    path = small_site / "content/news/2014-06-01-second.md"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("---\n", "---\nwithdrawn: {date: 2014-07-02, reason: 重复发布}\n", 1)
                    if text.startswith("---\n") else text, encoding="utf-8")
    build(small_site, tmp_path / "out")
    assert "/news/2014-06-01-second/" not in fragments(tmp_path / "out")
    assert (tmp_path / "out/news/2014-06-01-second/index.html").is_file()


def test_filter_files_are_in_a_fixed_order(built_small: Path) -> None:
    for path in (built_small / "pagefind").glob("*/filter/*.pf_filter"):
        _, (_name, values) = _items(gzip.decompress(path.read_bytes()), len(MAGIC))
        _, entries = _items(values)
        assert entries == sorted(entries)


def test_same_pages_same_index_bytes(small_site: Path, tmp_path: Path) -> None:
    """Pagefind alone writes filters in a new order each run; the build puts them in one."""
    outs = [tmp_path / "a", tmp_path / "b" / "deeper"]
    for out in outs:
        build(small_site, out)
    first, second = ({p.relative_to(o).as_posix(): p.read_bytes() for p in sorted((o / "pagefind").rglob("*"))
                      if p.is_file()} for o in outs)
    assert first == second


def test_search_false_builds_without_search(small_site: Path, tmp_path: Path) -> None:
    config = small_site / "site_config.yml"
    config.write_text(config.read_text(encoding="utf-8") + "search: false\n", encoding="utf-8")
    build(small_site, tmp_path / "out")
    home = (tmp_path / "out/index.html").read_text(encoding="utf-8")
    item = (tmp_path / "out/rectification/edu/r01/index.html").read_text(encoding="utf-8")
    assert not (tmp_path / "out/pagefind").exists() and not (tmp_path / "out/search").exists()
    assert 'role="search"' not in home
    assert "data-pagefind-body" not in item and "data-pagefind-meta" not in item


def test_a_build_without_search_does_not_import_the_indexer(small_site: Path, tmp_path: Path) -> None:
    """generator/search.py is imported by a build of a site with search only."""
    import os
    import subprocess
    import sys

    config = small_site / "site_config.yml"
    config.write_text(config.read_text(encoding="utf-8") + "search: false\n", encoding="utf-8")
    script = ("import sys\nfrom pathlib import Path\nfrom generator.build import build\n"
              "build(Path(sys.argv[1]), Path(sys.argv[2]))\nprint('generator.search' in sys.modules)\n")
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).parent.parent)}
    done = subprocess.run([sys.executable, "-c", script, str(small_site), str(tmp_path / "out")],
                          capture_output=True, text=True, env=env, check=True)
    assert done.stdout.split() == ["False"] and (tmp_path / "out/index.html").is_file()


@pytest.mark.parametrize("binary", ["missing", "failing"])
def test_a_pagefind_that_cannot_run_stops_the_build(small_site: Path, tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch, binary: str) -> None:
    """A real program that is not there, or that fails: the build names it, and the published
    site stays as it was."""
    out = tmp_path / "out"
    build(small_site, out)
    before = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    with (small_site / "content/news/2014-07-01-first.md").open("a", encoding="utf-8") as news:
        news.write("\n补充一段新的内容。\n")  # a page changed: its index must be made again
    program = tmp_path / "pagefind"
    if binary == "failing":
        program.write_text("#!/bin/sh\necho 'Error: disk full' >&2\nexit 3\n", encoding="utf-8")
        program.chmod(0o755)
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(program))
    with pytest.raises(BuildFailed) as failed:
        build(small_site, out)
    (error,) = failed.value.problems.errors
    if binary == "missing":
        assert error.code == "E090" and str(program) in error.message
    else:
        assert error.code == "E091" and "退出码 3" in error.message and "disk full" in error.message
    assert error.file == "site_config.yml" and "search: false" in error.hint
    assert {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()} == before
    assert not list(tmp_path.glob(".out.tmp-*"))


def test_the_search_page_explains_itself_without_javascript(built_small: Path) -> None:
    page = (built_small / "search/index.html").read_text(encoding="utf-8")
    noscript = re.search(r"<noscript>(.*?)</noscript>", page, re.S)
    assert noscript and "需要浏览器启用 JavaScript" in noscript[1]
    assert 'href="../units/"' in noscript[1]  # and offers the directories instead
    assert '<div id="search-app" hidden' in page  # the form shows only when it can work
    home = (built_small / "index.html").read_text(encoding="utf-8")
    form = re.search(r'<form class="site-search" role="search" action="([^"]+)" method="get">', home)
    assert form and form[1] == "search/" and 'name="q"' in home


def test_a_theme_without_opt_in_gets_every_page_indexed(small_site: Path, tmp_path: Path) -> None:
    base = (Path(__file__).parent.parent / "theme/templates/base.html").read_text(encoding="utf-8")
    write(small_site, "theme/templates/base.html", base.replace(" data-pagefind-body", ""))
    build(small_site, tmp_path / "out")
    assert {"/", "/news/", "/rectification/edu/r01/"} <= set(fragments(tmp_path / "out"))
    shutil.rmtree(tmp_path / "out")


def bundle_files(out: Path) -> dict[str, bytes]:
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted((out / "pagefind").rglob("*"))
            if p.is_file()}


def test_a_pages_shard_depends_on_its_name_alone() -> None:
    names = [f"news/2014-07-{day:02d}-n{n}/index.html" for day in range(1, 29) for n in range(40)]
    alone = {name: shard_of(name, 16) for name in names}
    assert {s for s, members in by_shard(names, 16).items() for n in members if alone[n] != s} == set()
    assert by_shard(names[::7], 16) == {s: [n for n in members if n in names[::7]]
                                        for s, members in by_shard(names, 16).items()
                                        if any(n in names[::7] for n in members)}
    assert len(set(alone.values())) == 16  # 1,120 pages fill every bucket
    assert set(by_shard(names, 32)).isdisjoint(by_shard(names, 16))  # another count: other bundles


def test_the_number_of_shards_grows_by_doubling_with_the_site() -> None:
    assert [shard_count(pages, 600) for pages in (0, 1, 600, 601, 1200, 1201, 4249, 17000)] == \
        [1, 1, 1, 2, 2, 4, 8, 32]
    assert shard_count(17000, 0) == 1  # 0: one index, however large


def small_shards(site: Path) -> None:
    """A small site whose index is in several shards, as a large one's is."""
    with (site / "site_config.yml").open("a", encoding="utf-8") as config:
        config.write("search_shard_pages: 4\n")


def test_one_edit_reindexes_only_its_shard_and_matches_a_clean_build(small_site: Path, tmp_path: Path) -> None:
    small_shards(small_site)
    out = tmp_path / "out"
    build(small_site, out)
    before = {p: (p.stat().st_mtime_ns, p.read_bytes()) for p in (out / "pagefind").rglob("*") if p.is_file()}
    assert len(shards(out)) > 1
    with (small_site / "content/news/2014-07-01-first.md").open("a", encoding="utf-8") as news:
        news.write("\n渣土车夜间运输，执法队员现场检查。\n")
    build(small_site, out)
    build(small_site, tmp_path / "clean", use_cache=False)
    assert bundle_files(out) == bundle_files(tmp_path / "clean")
    changed = {p.relative_to(out / "pagefind").parts[0] for p, (mtime, data) in before.items()
               if not p.is_file() or p.stat().st_mtime_ns != mtime}
    assert changed == {shard_of("news/2014-07-01-first/index.html", len(shards(out)))}
    assert "渣\u200b土\u200b车" in fragments(out)["/news/2014-07-01-first/"]["content"]


def test_a_status_change_reindexes_one_shard(small_site: Path, tmp_path: Path) -> None:
    """It changes the item's page and its unit's page, which share a shard (shard_of)."""
    assert shard_of("units/edu/index.html", 8) == shard_of("rectification/edu/r02/index.html", 8)
    small_shards(small_site)
    out = tmp_path / "out"
    build(small_site, out)
    before = {p: p.stat().st_mtime_ns for p in (out / "pagefind").rglob("*") if p.is_file()}
    pages = {p: p.read_bytes() for p in (out / "units/edu/index.html", out / "rectification/edu/r02/index.html")}
    ledger = small_site / "content/rectification/edu.yml"
    text = ledger.read_text(encoding="utf-8")
    ledger.write_text(text.replace("    status: 整改中\n", "    status: 已完成\n    completed: 2014-07-12\n", 1),
                      encoding="utf-8")
    build(small_site, out)
    assert all(p.read_bytes() != data for p, data in pages.items())  # both pages changed
    changed = {p.relative_to(out / "pagefind").parts[0] for p, mtime in before.items()
               if not p.is_file() or p.stat().st_mtime_ns != mtime}
    assert changed == {shard_of("units/edu/index.html", len(shards(out)))}
    build(small_site, tmp_path / "clean", use_cache=False)
    assert bundle_files(out) == bundle_files(tmp_path / "clean")


def test_the_index_reads_only_what_pagefind_indexes() -> None:
    page = ('<!doctype html><html lang="zh-CN"><head><title>标题</title></head><body><nav>导航</nav>'
            '<main data-pagefind-body><h1>标题</h1><div><div>正文</div></div>'
            '<nav data-pagefind-ignore>上一篇</nav><p data-pagefind-ignore><span data-pagefind-meta="x">保留</span></p>'
            '<img src="a.png" alt="图"></main><footer>数据截至</footer>'
            '<div hidden><span data-pagefind-filter="type">新闻</span><meta data-pagefind-meta="d[content]" content="1"></div>'
            '</body></html>')
    assert indexed_part(page) == (
        '<!doctype html>\n<html lang="zh-CN"><body><main data-pagefind-body><h1>标题</h1><div><div>正文</div></div>'
        '<p data-pagefind-ignore><span data-pagefind-meta="x">保留</span></p><img src="a.png" alt="图"></main>'
        '<span data-pagefind-filter="type">新闻</span><meta data-pagefind-meta="d[content]" content="1"></body></html>\n')
    whole = '<html lang="zh-CN"><body data-pagefind-body><p>正文</p></body></html>'
    assert indexed_part(whole) == whole


def test_only_the_search_runtime_is_published_and_chunks_are_small(built_small: Path) -> None:
    for shard in shards(built_small):
        names = {p.name for p in shard.iterdir() if p.is_file()}
        assert {"pagefind.js", "pagefind-worker.js", "pagefind-entry.json"} <= names
        assert not {n for n in names if "ui" in n or "highlight" in n}
        assert all(len(gzip.decompress(p.read_bytes())) < 2 * CHUNK_BYTES for p in (shard / "index").iterdir())


def test_the_as_of_date_stays_out_of_the_index(built_small: Path) -> None:
    page = (built_small / "rectification/edu/r01/index.html").read_text(encoding="utf-8")
    assert "数据截至" in page
    assert "数据截至" not in fragments(built_small)["/rectification/edu/r01/"]["content"].replace("\u200b", "")
