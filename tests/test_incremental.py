"""Incremental builds: after any kind of change, a rebuild that reuses the cache and the
previous output gives the very bytes of a clean build, and rewrites only what changed.

The kinds of change are the ones issue 7 names: a news body, a ledger item's status, a
unit's name, a template, the configuration; and deleting the cache only costs time.
"""

from __future__ import annotations

import datetime as dt
import multiprocessing
import os
import shutil
import sqlite3
import subprocess
import threading
import time
import weakref
from collections.abc import Callable, Iterator
from pathlib import Path

import jinja2
import pytest
from conftest import planned_stages, write

from generator import build as build_module
from generator import incremental, parallel, search
from generator.build import build
from generator.cache import DATABASE, BuildCache
from generator.incremental import cached_template_inputs, template_inputs
from generator.load.site import SiteFiles
from generator.render import default_theme

NEWS = "content/news/2014-06-01-second.md"
LEDGER = "content/rectification/edu.yml"
ARTICLE_PAGE = "news/2014-06-01-second/index.html"
QUIET_PAGE = "documents/city-notice/index.html"  # shows none of the records the changes touch


def tree(out: Path) -> dict[str, bytes]:
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}


def clean_tree(site: Path, tmp_path: Path) -> dict[str, bytes]:
    """The files of a build of `site` without the cache, into a folder of its own."""
    clean = tmp_path / "clean"
    build(site, clean, use_cache=False)
    return tree(clean)


def stamps(out: Path) -> dict[str, tuple[int, int]]:
    """(inode, mtime) of every file: what rsync and a web server's caches go by."""
    return {p.relative_to(out).as_posix(): (p.stat().st_ino, p.stat().st_mtime_ns)
            for p in out.rglob("*") if p.is_file()}


def replace(site: Path, relative: str, old: str, new: str) -> None:
    path = site / relative
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {relative}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def override_template(site: Path, name: str, old: str, new: str) -> None:
    """The site's own copy of a default template, with one change."""
    text = (default_theme() / "templates" / name).read_text(encoding="utf-8")
    assert old in text
    write(site, f"theme/templates/{name}", text.replace(old, new, 1))


CHANGES: dict[str, Callable[[Path], None]] = {
    "news body": lambda site: replace(site, NEWS, "听取居民意见。", "听取居民意见。会后逐条答复。"),
    "ledger status": lambda site: replace(site, LEDGER, "    status: 整改中\n",
                                          "    status: 已完成\n    completed: 2014-07-08\n"),
    "unit name": lambda site: replace(site, "content/units.yml", "name: 东街街道", "name: 东街街道办事处"),
    # the commitments page finds the names of units through `site.units`, not its context
    "name of a unit with commitments": lambda site: replace(site, "content/units.yml", "name: 区教育局",
                                                            "name: 区教育和体育局"),
    "template": lambda site: override_template(site, "article.html", "</article>", "<p>（完）</p>\n</article>"),
    "base template": lambda site: override_template(site, "base.html", "</footer>", "<p>本站测试</p>\n</footer>"),
    "config": lambda site: replace(site, "site_config.yml", "as_of: 2014-07-15", "as_of: 2014-07-20"),
    "config title": lambda site: replace(site, "site_config.yml", "title: 测试区群众路线网", "title: 测试区专题网"),
    "new record": lambda site: write(site, "content/news/2014-07-02-third.md",
                                     "---\ntitle: 第三条新闻\ndate: 2014-07-02\ncolumn: news\nunit: edu\n---\n正文\n"),
    # the page's date, so the sitemap's lastmod (its families' keys stand for the pages there)
    "news correction date": lambda site: replace(site, NEWS, "date: 2014年6月1日\n", "date: 2014年6月1日\nupdated: 2014-07-10\n"),
    # a record nothing links to (the ledger links 2014-07-01-first: removing it is E056)
    "removed record": lambda site: (site / "content/news/2014-06-01-second.md").unlink(),
}


@pytest.mark.parametrize("change", sorted(CHANGES))
@pytest.mark.parametrize("processes", ["1", "2"])
def test_incremental_build_is_byte_identical_to_a_clean_build(
        change: str, processes: str, small_site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GONGSHI_JOBS", processes)
    monkeypatch.setattr(parallel, "MIN_PARALLEL", 2)  # the small site: use workers all the same
    out = tmp_path / "out"
    build(small_site, out)
    CHANGES[change](small_site)
    report = build(small_site, out)
    assert tree(out) == clean_tree(small_site, tmp_path)
    assert 0 < report.written < report.files


def test_an_edit_rewrites_only_the_files_that_show_it(small_site: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    build(small_site, out)
    before = stamps(out)
    CHANGES["news body"](small_site)
    report = build(small_site, out)
    after = stamps(out)
    rewritten = sorted(name for name in after if after[name] != before.get(name))
    assert ARTICLE_PAGE in rewritten
    assert "feeds/all.xml" in rewritten and "feeds/unit/street.xml" in rewritten
    assert "manifest.json" in rewritten
    assert QUIET_PAGE not in rewritten and "index.html" not in rewritten  # the home page shows titles only
    assert "static/site.css" not in rewritten
    assert report.written == len(rewritten) < len(after) // 4
    assert "会后逐条答复" in (out / ARTICLE_PAGE).read_text(encoding="utf-8")


def test_a_status_change_reaches_every_page_that_counts_it(small_site: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    build(small_site, out)
    before = tree(out)
    CHANGES["ledger status"](small_site)
    build(small_site, out)
    after = tree(out)
    changed = {name for name in after if after[name] != before.get(name)}
    for page in ("rectification/edu/r02/index.html", "rectification/edu/index.html",
                 "rectification/index.html", "units/edu/index.html", "index.html",
                 "data/rectification/edu.csv", "data/rectification/all.json", "feeds/rectification.xml"):
        assert page in changed, page
    assert ARTICLE_PAGE not in changed


def test_the_home_page_is_planned_again_only_when_what_it_lists_changes(
        small_site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The home page reads the newest records (`site.front`), not every one: a new title
    of an older news item plans the article pages again, not the home page."""
    for day in range(2, 9):  # more news than the home page lists
        write(small_site, f"content/news/2014-07-0{day}-more.md",
              f"---\ntitle: 第{day}条动态\ndate: 2014-07-0{day}\ncolumn: news\n---\n正文\n")
    out = tmp_path / "out"
    build(small_site, out)
    planned = planned_stages(monkeypatch)
    replace(small_site, NEWS, "title: 东街街道召开座谈会", "title: 东街街道召开居民座谈会")
    build(small_site, out)
    assert "articles" in planned and "home" not in planned
    assert tree(out) == clean_tree(small_site, tmp_path)
    replace(small_site, "content/news/2014-07-08-more.md", "title: 第8条动态", "title: 第八条动态")
    build(small_site, out)
    assert "home" in planned
    assert "第八条动态" in (out / "index.html").read_text(encoding="utf-8")


def test_nothing_changed_writes_nothing(small_site: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    build(small_site, out)
    before = stamps(out)
    report = build(small_site, out)
    assert report.written == 0 and report.removed == 0
    assert stamps(out) == before


def test_deleting_the_cache_only_costs_time(small_site: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    build(small_site, out)
    before, files = stamps(out), tree(out)
    shutil.rmtree(small_site / ".gongshi-cache")
    report = build(small_site, out)
    assert tree(out) == files
    assert stamps(out) == before  # compared byte for byte, found equal: not rewritten
    assert report.written == 0
    assert (small_site / ".gongshi-cache").is_dir()


def test_a_damaged_cache_is_started_afresh(small_site: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    build(small_site, out)
    files = tree(out)
    for path in (small_site / ".gongshi-cache").rglob("*"):
        if path.is_file():
            path.write_bytes(b"not a database")
    CHANGES["news body"](small_site)
    build(small_site, out)
    assert tree(out) == clean_tree(small_site, tmp_path) != files


def test_unchanged_files_are_read_from_their_folders_bundles(small_site: Path, tmp_path: Path,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    """The records of a content folder's unchanged files come from its bundles
    (cache.Bundled), not from one cache row per file; an edited file is parsed again."""
    out = tmp_path / "out"
    build(small_site, out)
    asked: list[str] = []
    read, parse = BuildCache.parsed, SiteFiles._parse
    monkeypatch.setattr(BuildCache, "parsed", lambda self, paths, light=False: read(self, asked.extend(paths) or paths, light))
    parsed: list[str] = []
    monkeypatch.setattr(SiteFiles, "_parse", lambda self, path, how: parse(self, parsed.append(path.name) or path, how))
    CHANGES["ledger status"](small_site)
    build(small_site, out)
    assert parsed == ["edu.yml"]
    assert not [name for name in asked if name.count("/") > 1], asked  # only the lists: content/units.yml, …
    assert tree(out) == clean_tree(small_site, tmp_path)


def test_a_damaged_bundle_is_read_file_by_file(small_site: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    build(small_site, out)
    with sqlite3.connect(small_site / ".gongshi-cache" / DATABASE) as db:
        assert db.execute("UPDATE bundles SET data = ?", (b"not a pickle",)).rowcount > 0
    CHANGES["unit name"](small_site)
    build(small_site, out)
    assert tree(out) == clean_tree(small_site, tmp_path)


def test_a_removed_file_leaves_the_cache(small_site: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    build(small_site, out)
    CHANGES["removed record"](small_site)
    build(small_site, out)
    cache = BuildCache(small_site)
    try:
        assert cache.records_of(NEWS) is None
        assert not any(NEWS in bundle for bundle in cache.bundles("news"))
        assert any(bundle for bundle in cache.bundles("news"))
    finally:
        cache.close()


def test_a_file_changed_in_the_output_by_hand_is_made_again(small_site: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    build(small_site, out)
    files = tree(out)
    (out / QUIET_PAGE).write_text("changed by hand", encoding="utf-8")
    (out / ARTICLE_PAGE).unlink()
    (out / "news" / "extra.html").write_text("added by hand", encoding="utf-8")
    build(small_site, out)
    assert tree(out) == files


@pytest.mark.parametrize("added", ["extra.html", "documents/city-notice/extra.txt", "new/deep/x.html"])
def test_a_file_added_to_the_output_by_hand_is_removed(added: str, small_site: Path, tmp_path: Path) -> None:
    """Anywhere: the build finds it although it no longer lists every folder (a folder's
    mtime changes when a file is added to it)."""
    out = tmp_path / "out"
    build(small_site, out)
    build(small_site, out)  # now with the folder times of a build that changed nothing
    files = tree(out)
    write(out, added, "added by hand")
    report = build(small_site, out)
    assert tree(out) == files
    assert report.removed == 1


def test_the_cache_is_in_the_site_folder_and_not_in_content(small_site: Path, tmp_path: Path) -> None:
    content = {p: p.stat().st_mtime_ns for p in (small_site / "content").rglob("*")}
    build(small_site, tmp_path / "out")
    assert (small_site / ".gongshi-cache").is_dir()
    assert {p: p.stat().st_mtime_ns for p in (small_site / "content").rglob("*")} == content


def test_two_output_folders_do_not_share_what_they_hold(small_site: Path, tmp_path: Path) -> None:
    first, second = tmp_path / "one", tmp_path / "two"
    build(small_site, first)
    build(small_site, second)
    CHANGES["news body"](small_site)
    build(small_site, first)
    report = build(small_site, second)
    assert tree(first) == tree(second)
    assert report.written > 0


def test_a_build_renders_in_several_processes(small_site: Path, tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    """The pages are rendered by this process and a forked helper (another process id)."""
    monkeypatch.setenv("GONGSHI_JOBS", "2")
    monkeypatch.setattr(parallel, "MIN_PARALLEL", 2)

    def slow(i: int) -> int:
        time.sleep(0.01)
        return os.getpid()

    pids = parallel.run(64, slow)
    assert len(pids) == 64 and len(set(pids)) == 2 and os.getpid() in pids
    out = tmp_path / "out"
    report = build(small_site, out, use_cache=False)
    assert report.pages > 20 and (out / "index.html").is_file()


def test_work_aside_runs_in_a_helper_and_gives_its_values_in_order(monkeypatch: pytest.MonkeyPatch) -> None:
    """What the build looks at while it reads its memos (the files, the output folder)."""
    monkeypatch.setenv("GONGSHI_JOBS", "2")

    def work() -> Iterator[tuple[str, int]]:
        yield "first", os.getpid()
        yield "second", os.getpid()

    aside = parallel.Aside(work)
    first, second = aside.next(), aside.next()
    assert [first[0], second[0]] == ["first", "second"]
    assert first[1] == second[1] != os.getpid()


def test_work_aside_that_fails_in_the_helper_is_done_here(monkeypatch: pytest.MonkeyPatch) -> None:
    """A helper that fails part of the way costs time, not the result: the work runs again
    in this process from where the helper got, and its own failure is raised there."""
    monkeypatch.setenv("GONGSHI_JOBS", "2")
    here = os.getpid()

    def work() -> Iterator[tuple[str, int]]:
        yield "first", os.getpid()
        if os.getpid() != here:
            raise OSError("the helper fails")
        yield "second", os.getpid()
        raise ValueError("a failure here")

    aside = parallel.Aside(work)
    first = aside.next()
    assert first[0] == "first" and first[1] != here
    assert aside.next() == ("second", here)
    with pytest.raises(ValueError, match="a failure here"):
        aside.next()


def test_work_aside_on_one_core_runs_here(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GONGSHI_JOBS", "1")
    aside = parallel.Aside(lambda: iter([os.getpid()]))
    assert aside.next() == os.getpid()


def test_work_aside_without_a_process_to_be_had_runs_here(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GONGSHI_JOBS", "2")

    def refused(self: object) -> None:
        raise OSError(11, "Resource temporarily unavailable")

    monkeypatch.setattr(multiprocessing.process.BaseProcess, "start", refused)
    aside = parallel.Aside(lambda: iter([os.getpid()]))
    assert not aside.forked and aside.next() == os.getpid()


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_the_look_at_the_output_folder_reads_the_cache_on_its_own_connection(
        jobs: str, small_site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The helper reads what the last build wrote from the cache itself (a connection may
    not cross a fork), forked or not, while this process reads and writes the cache too."""
    monkeypatch.setenv("GONGSHI_JOBS", jobs)
    out = tmp_path / "out"
    build(small_site, out)

    def look() -> tuple[object, object]:
        cache = BuildCache(small_site)
        try:
            aside = parallel.Aside(lambda: build_module._look(small_site, out, cache))
            assert aside.forked == (jobs == "2")
            stamps = aside.next()
            cache.remember("busy", list(range(1000)))  # this process goes on with the cache meanwhile
            cache.save()
            return stamps, aside.next()
        finally:
            cache.close()

    (stamps, stamped), (existing, by_folder_times) = look()  # type: ignore[misc]
    assert str(small_site / LEDGER) in stamps and stamped == incremental.files_digest(stamps)
    assert existing is None and by_folder_times  # as the last build left it
    (out / "index.html").write_text("改过", encoding="utf-8")
    _, (existing, _) = look()
    assert existing is not None and existing["index.html"][0] == len("改过".encode())  # type: ignore[index]


def test_a_new_commit_rebuilds_what_shows_the_history(small_site: Path, tmp_path: Path) -> None:
    def git(*args: str) -> None:
        env = {**os.environ, "GIT_AUTHOR_NAME": "编辑", "GIT_AUTHOR_EMAIL": "e@example.gov.cn",
               "GIT_COMMITTER_NAME": "编辑", "GIT_COMMITTER_EMAIL": "e@example.gov.cn",
               "GIT_AUTHOR_DATE": "2014-07-01T10:00:00+08:00", "GIT_COMMITTER_DATE": "2014-07-01T10:00:00+08:00"}
        subprocess.run(["git", "-C", str(small_site), *args], check=True, env=env, capture_output=True)

    git("init", "-q")
    git("add", "content", "site_config.yml")
    git("commit", "-qm", "初始内容")
    out = tmp_path / "out"
    build(small_site, out)
    replace(small_site, LEDGER, "deadline: 2014-07-10", "deadline: 2014-07-31")
    build(small_site, out)  # uncommitted: the manifest says so
    git("commit", "-qam", "r02 延期")
    build(small_site, out)
    assert tree(out) == clean_tree(small_site, tmp_path)
    assert "2014-07-31" in (out / "rectification/edu/r02/index.html").read_text(encoding="utf-8")


def test_the_date_of_the_build_counts_when_the_site_gives_none(small_site: Path, tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    replace(small_site, "site_config.yml", "as_of: 2014-07-15\n", "")
    out = tmp_path / "out"
    for day in (15, 16):
        moment = dt.datetime(2014, 7, day, 12, tzinfo=dt.UTC)
        monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(moment.timestamp())))
        build(small_site, out)
        clean = tmp_path / f"clean-{day}"
        build(small_site, clean, use_cache=False)
        assert tree(out) == tree(clean)
        assert f"2014年7月{day}日" in (out / "index.html").read_text(encoding="utf-8")


# ---- which templates and parts of the site a page depends on ------------------------------


def environment(templates: dict[str, str]) -> jinja2.Environment:
    return jinja2.Environment(loader=jinja2.DictLoader(templates))


def test_a_template_depends_on_what_it_extends_includes_and_imports() -> None:
    templates = {"base.html": "{{ site.as_of }}{% block main %}{% endblock %}",
                 "macros.html": "{% macro m() %}{{ site.pages|length }}{% endmacro %}",
                 "page.html": '{% extends "base.html" %}{% from "macros.html" import m with context %}'
                              '{% block main %}{% include "part.html" %}{{ m() }}{% endblock %}',
                 "part.html": "{{ site['units'] }}",
                 "other.html": "{{ page.title }}"}
    inputs = template_inputs(environment(templates), ["page.html", "other.html"])
    assert inputs["page.html"].site == ("as_of", "pages", "units")
    assert inputs["other.html"].site == ()
    templates["part.html"] += " "
    changed = template_inputs(environment(templates), ["page.html", "other.html"])
    assert changed["page.html"].digest != inputs["page.html"].digest
    assert changed["other.html"].digest == inputs["other.html"].digest


def test_remembered_template_inputs_are_worked_out_once_per_template(tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """The build cache remembers each template's inputs, whatever it was asked about with."""
    templates = {"base.html": "{{ site.as_of }}{% block main %}{% endblock %}",
                 "a.html": '{% extends "base.html" %}{% block main %}{{ site.units }}{% endblock %}',
                 "b.html": '{% extends "base.html" %}', "c.html": "{{ site.pages }}"}
    env, cache = environment(templates), BuildCache(tmp_path)
    asked: list[list[str]] = []
    monkeypatch.setattr(incremental, "template_inputs",
                        lambda env, names: (asked.append(sorted(names)), template_inputs(env, names))[1])
    first = cached_template_inputs(env, ["a.html", "b.html"], cache)
    second = cached_template_inputs(env, ["b.html", "c.html"], cache)
    assert asked == [["a.html", "b.html"], ["c.html"]]
    assert second["b.html"] == first["b.html"] == template_inputs(env, ["b.html"])["b.html"]
    assert second["c.html"].site == ("pages",) and first["a.html"].site == ("as_of", "units")
    templates["base.html"] += " "  # another theme: worked out again
    cached_template_inputs(environment(templates), ["b.html"], cache)
    assert asked[-1] == ["b.html"]


@pytest.mark.parametrize("source", ["{% for x in site.columns %}{{ x }}{% endfor %}{{ f(site) }}",
                                    "{% set s = site %}{{ s.as_of }}",
                                    "{% include page.template %}"])
def test_a_template_that_uses_the_site_freely_depends_on_all_of_it(source: str) -> None:
    inputs = template_inputs(environment({"t.html": source, "x.html": ""}), ["t.html"])
    assert inputs["t.html"].site is None


def test_a_build_in_another_thread_renders_in_that_thread(small_site: Path, tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """As `gongshi serve` rebuilds: no fork from a thread while other threads may hold locks."""
    monkeypatch.setenv("GONGSHI_JOBS", "2")
    monkeypatch.setattr(parallel, "MIN_PARALLEL", 2)
    found: list[list[int]] = []
    worker = threading.Thread(target=lambda: found.append(parallel.run(8, lambda i: os.getpid())))
    worker.start()
    worker.join()
    assert found == [[os.getpid()] * 8]


def test_the_site_is_let_go_before_the_search_index(small_site: Path, tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """Pagefind needs the memory: when it runs, the build holds neither the site nor its
    records (a large site's peak is the two together)."""
    sites: list[weakref.ref[object]] = []
    records: list[weakref.ref[object]] = []
    indexed: list[bool] = []
    prepare, index = build_module.prepare, search.build_index

    def remembered(*args: object, **kwargs: object) -> object:
        site = prepare(*args, **kwargs)  # type: ignore[arg-type]
        sites.append(weakref.ref(site))
        records.append(weakref.ref(site.content.articles[0]))
        return site

    def indexing(*args: object, **kwargs: object) -> object:
        indexed.append(sites[-1]() is None and records[-1]() is None)
        return index(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(build_module, "prepare", remembered)
    monkeypatch.setattr(search, "build_index", indexing)
    build(small_site, tmp_path / "out")
    CHANGES["ledger status"](small_site)
    build(small_site, tmp_path / "out")
    assert len(sites) == 2 and indexed and all(indexed), indexed


def test_the_input_files_are_every_file_a_build_reads(small_site: Path, tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """Each file with its size and mtime: the configuration, the content, a linked folder
    once, a broken link as None; the same, in the same order, whether looked up through a
    handle on its folder or by its whole path (where the system has no handles on folders)."""
    outside = tmp_path / "shared"
    write(outside, "pic.txt", "x")
    (small_site / "content/linked").symlink_to(outside)
    (small_site / "content/again").symlink_to(outside)
    (small_site / "content/broken.md").symlink_to(tmp_path / "nowhere.md")
    ways = []
    for by_handle in {incremental._BY_HANDLE, False}:
        monkeypatch.setattr(incremental, "_BY_HANDLE", by_handle)
        ways.append(list(incremental.input_files(small_site, []).items()))
    assert all(way == ways[0] for way in ways)
    found = dict(ways[0])
    expected = {}
    for path in [small_site / "site_config.yml", *sorted((small_site / "content").rglob("*"))]:
        if path.is_dir() or "/again/" in str(path) or "/linked/" in str(path):
            continue
        stat = path.stat() if path.exists() else None
        expected[str(path)] = (stat.st_size, stat.st_mtime_ns) if stat else None
    assert sum(1 for name in found if name.endswith("pic.txt")) == 1  # the linked folder, once
    found = {name: stamp for name, stamp in found.items() if not name.endswith("pic.txt")}
    assert found == expected and found[str(small_site / "content/broken.md")] is None


def test_the_folder_times_recorded_are_the_folders_own_after_each_kind_of_build(
        small_site: Path, tmp_path: Path) -> None:
    """The cache records the mtime of every folder of the output that holds a file (what
    tells the next build the folder is as it was left); a build after an edit records those
    of the folders it wrote in or removed from, and the record stays whole and true."""
    from generator.output import folder_times, survey

    out = tmp_path / "out"

    def recorded() -> dict[str, int]:
        cache = BuildCache(small_site)
        try:
            return cache.folder_times(out.resolve())
        finally:
            cache.close()

    def real() -> dict[str, int | None]:
        return folder_times(out, survey(out))

    build(small_site, out)
    assert recorded() == real() and len(recorded()) > 10
    for change in ("ledger status", "news body", "unit name"):
        CHANGES[change](small_site)
        build(small_site, out)
        assert recorded() == real(), change
    (out / "stray.html").write_text("不是生成的", encoding="utf-8")  # found by the folder's time
    build(small_site, out)
    assert not (out / "stray.html").exists() and recorded() == real()
