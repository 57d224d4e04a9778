"""Feeds parsed by a real feed parser (feedparser), on the demo site and the small fixture."""

from __future__ import annotations

import re
from pathlib import Path

import feedparser

from generator.build import build


def feed_files(out: Path) -> list[Path]:
    return sorted([*out.glob("feeds/**/*.xml"), *out.glob("feeds/**/*.atom")])


def test_every_demo_feed_parses_cleanly(demo_twice: tuple[Path, Path]) -> None:
    out = demo_twice[0]
    files = feed_files(out)
    assert len(files) >= 2 * (3 + 7 + 30)  # site, progress, meetings; 7 columns; 30 units
    for path in files:
        parsed = feedparser.parse(path.read_bytes())
        assert not parsed.bozo, (path, parsed.get("bozo_exception"))
        assert parsed.feed.get("language", "zh-cn").lower() == "zh-cn"
        guids = [e.id for e in parsed.entries]
        assert len(guids) == len(set(guids)), path
        assert len(parsed.entries) <= 50
        for entry in parsed.entries:
            assert entry.published_parsed is not None
            assert re.search(r"(\+0800|\+08:00)$", entry.published), entry.published
            assert entry.link.startswith("https://www.example.gov.cn/qzlx/")
            for content in entry.get("content", []):
                for url in re.findall(r'(?:href|src)="([^"]*)"', content.value):
                    assert re.match(r"^(https?:|mailto:|tel:)", url), (path, url)


def test_rss_channel_has_self_link_and_language(demo_twice: tuple[Path, Path]) -> None:
    rss = (demo_twice[0] / "feeds/all.xml").read_text(encoding="utf-8")
    assert '<atom:link href="https://www.example.gov.cn/qzlx/feeds/all.xml" rel="self"' in rss
    assert "<language>zh-cn</language>" in rss
    assert "<link>https://www.example.gov.cn/qzlx/</link>" in rss
    atom = feedparser.parse((demo_twice[0] / "feeds/all.atom").read_bytes())
    assert {link.rel: link.href for link in atom.feed.links}["self"].endswith("/feeds/all.atom")


def test_feeds_identical_across_builds(demo_twice: tuple[Path, Path]) -> None:
    first, second = demo_twice
    for path in feed_files(first):
        assert path.read_bytes() == (second / path.relative_to(first)).read_bytes(), path
    assert (first / "feeds/all.opml").read_bytes() == (second / "feeds/all.opml").read_bytes()


def test_last_build_date_is_newest_entry(demo_twice: tuple[Path, Path]) -> None:
    parsed = feedparser.parse((demo_twice[0] / "feeds/all.xml").read_bytes())
    newest = max(e.published_parsed for e in parsed.entries)
    assert parsed.feed.updated_parsed == newest


def test_progress_feed_has_one_entry_per_progress_entry(built_small: Path) -> None:
    parsed = feedparser.parse((built_small / "feeds/rectification.xml").read_bytes())
    # the small fixture's edu ledger: r01 has 2 progress entries and is 已完成 (+1 completion
    # entry), r02 has 1, r03 and r04 none → 2 + 1 + 1 = 4
    assert len(parsed.entries) == 2 + 1 + 1
    ids = sorted(e.id for e in parsed.entries)
    base = "https://example.gov.cn/qzlx/rectification/edu/"
    assert ids == sorted([f"{base}r01/#progress-1", f"{base}r01/#progress-2", f"{base}r01/#done",
                          f"{base}r02/#progress-1"])
    evidence = next(e for e in parsed.entries if e.id.endswith("r01/#progress-2"))
    assert 'href="https://example.gov.cn/qzlx/news/2014-07-01-first/"' in evidence.content[0].value


def test_guids_survive_a_title_fix(small_site: Path, tmp_path: Path) -> None:
    build(small_site, tmp_path / "one")
    news = small_site / "content/news/2014-07-01-first.md"
    news.write_text(news.read_text(encoding="utf-8").replace("公布整改清单", "公布整改清单（更正）"),
                    encoding="utf-8")
    build(small_site, tmp_path / "two")
    ids = [sorted(e.id for e in feedparser.parse((tmp_path / n / "feeds/all.xml").read_bytes()).entries)
           for n in ("one", "two")]
    assert ids[0] == ids[1]


def test_discovery_links_and_subscription_page(built_small: Path) -> None:
    home = (built_small / "index.html").read_text(encoding="utf-8")
    assert 'rel="alternate" type="application/rss+xml" title="全站更新" href="feeds/all.xml"' in home
    ledger = (built_small / "rectification/edu/index.html").read_text(encoding="utf-8")
    assert 'href="../../feeds/rectification.xml"' in ledger and 'href="../../feeds/unit/edu.xml"' in ledger
    page = (built_small / "feeds/index.html").read_text(encoding="utf-8")
    for feed in ("all", "rectification", "meetings", "column/news", "unit/edu"):
        assert f'href="{feed}.xml"' in page  # links are relative: this page is feeds/
    opml = (built_small / "feeds/all.opml").read_text(encoding="utf-8")
    assert 'xmlUrl="https://example.gov.cn/qzlx/feeds/unit/edu.xml"' in opml


def test_entries_are_made_only_for_records_that_can_be_among_the_newest(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """The feeds are given entries only for the articles, meetings and ledger items with an
    entry not older than the limit-th newest date (feeds._recent): each feed holds the very
    entries it would hold with an entry made for every record. Demo content, with feed sizes
    small enough that many dates tie at the cut."""
    import dataclasses

    from generator import families, feeds
    from generator.build import prepare
    from generator.plan import FEED_FAMILIES

    def every_feed(site):  # type: ignore[no-untyped-def]
        """Every feed, with its entries, as the plan's stages make them (families.py)."""
        return [feed for _, stage, _ in families._stages(site, FEED_FAMILIES, {}) for feed in stage(site)]

    site = prepare(Path(__file__).resolve().parent.parent)
    for size in (1, 3, 7):
        small = dataclasses.replace(site, config=dataclasses.replace(site.config, feed_size=size))
        made = {f.slug: [e.guid for e in f.entries] for f in every_feed(small)}
        with monkeypatch.context() as m:
            m.setattr(feeds, "_recent", lambda records, limit, dates=None: records)
            every = {f.slug: [e.guid for e in f.entries] for f in every_feed(small)}
        assert made == every
        assert sum(len(guids) == size for guids in made.values()) >= 20  # feeds cut at the limit


def test_each_entry_is_made_once_for_the_three_formats(small_site: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """An article's entry rewrites its body's links: RSS, Atom and JSON Feed share one."""
    import json

    from generator import feeds
    from generator.build import prepare

    site = prepare(small_site)
    feed = next(f for f in feeds.site_feeds(site) if any(isinstance(e, feeds.Deferred) for e in f.entries))
    made: list[object] = []
    real = feeds.EntryMaker.entry

    def entry(self, e):  # type: ignore[no-untyped-def]
        made.append(e)
        return real(self, e)

    monkeypatch.setattr(feeds.EntryMaker, "entry", entry)
    rss, atom, json_feed = feeds.render_feeds(feed, site)
    assert len(made) == len(feed.entries) == len(json.loads(json_feed)["items"])
    assert len(feedparser.parse(rss).entries) == len(feedparser.parse(atom).entries) == len(feed.entries)


def test_preloading_the_feed_writer_imports_all_that_writing_a_feed_imports(small_site: Path, tmp_path: Path) -> None:
    """A build preloads the feed writer while it waits for its helper (build.py), so that the
    processes that write feeds do not each import it: writing a feed then imports nothing."""
    import os
    import subprocess
    import sys

    script = (
        "import sys\n"
        "from pathlib import Path\n"
        "from generator import build, feeds\n"
        "feeds.preload_writer()\n"
        "imported, real = [], feeds.render_feed\n"
        "def spy(*args):\n"
        "    before = set(sys.modules)\n"
        "    result = real(*args)\n"
        "    imported.extend(sorted(set(sys.modules) - before))\n"
        "    return result\n"
        "feeds.render_feed = spy\n"
        "build.build(Path(sys.argv[1]), Path(sys.argv[2]), use_cache=False)\n"
        "print('feedgen' in sys.modules, imported)\n"
    )
    env = {**os.environ, "GONGSHI_JOBS": "1", "PYTHONPATH": str(Path(__file__).parent.parent)}
    done = subprocess.run([sys.executable, "-c", script, str(small_site), str(tmp_path / "out")],
                          capture_output=True, text=True, env=env, check=True)
    assert done.stdout.split("\n")[0] == "True []"
    assert (tmp_path / "out" / "feeds" / "all.xml").is_file()
