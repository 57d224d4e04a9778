"""Feeds beyond the basics: edits after publication (`updated`), images as enclosures, and the
JSON Feed version, read with feedparser (RSS, Atom) and checked against JSON Feed 1.1."""

from __future__ import annotations

import datetime as dt
import json
import re
import struct
import zlib
from pathlib import Path

import dateutil.parser
import feedparser
import jsonschema
from conftest import errors_of
from test_history import edit, git

from generator.build import build

BASE = "https://example.gov.cn/qzlx/"
NEWS = "content/news/2014-07-01-first.md"
RFC3339 = r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$"

# JSON Feed 1.1 (https://jsonfeed.org/version/1.1), written down from the spec: required
# fields, types, and "content_html or content_text" on every item.
_AUTHORS = {"type": "array", "items": {"type": "object", "minProperties": 1,
                                       "properties": {"name": {"type": "string"}, "url": {"type": "string"},
                                                      "avatar": {"type": "string"}}}}
JSON_FEED_SCHEMA = {
    "type": "object",
    "required": ["version", "title", "items"],
    "properties": {
        "version": {"const": "https://jsonfeed.org/version/1.1"},
        "title": {"type": "string", "minLength": 1},
        "home_page_url": {"type": "string", "pattern": "^https?://"},
        "feed_url": {"type": "string", "pattern": "^https?://"},
        "description": {"type": "string"},
        "language": {"type": "string", "pattern": "^[a-zA-Z]{2,3}(-[a-zA-Z0-9]+)*$"},
        "authors": _AUTHORS,
        "items": {"type": "array", "items": {
            "type": "object",
            "required": ["id"],
            "anyOf": [{"required": ["content_html"]}, {"required": ["content_text"]}],
            "properties": {
                "id": {"type": "string", "minLength": 1},
                "url": {"type": "string", "pattern": "^https?://"},
                "title": {"type": "string"},
                "content_html": {"type": "string"},
                "summary": {"type": "string"},
                "image": {"type": "string", "pattern": "^https?://"},
                "date_published": {"type": "string", "pattern": RFC3339},
                "date_modified": {"type": "string", "pattern": RFC3339},
                "authors": _AUTHORS,
                "tags": {"type": "array", "items": {"type": "string"}},
                "attachments": {"type": "array", "items": {
                    "type": "object", "required": ["url", "mime_type"],
                    "properties": {"url": {"type": "string", "pattern": "^https?://"},
                                   "mime_type": {"type": "string", "pattern": "^[a-z]+/[-+.a-z0-9]+$"},
                                   "title": {"type": "string"},
                                   "size_in_bytes": {"type": "integer", "minimum": 0}}}},
            },
        }},
    },
}


def png(width: int, height: int) -> bytes:
    """A real (grey) PNG image of the given size."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    rows = b"".join(b"\x00" + b"\x80" * width for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


def day(text: str) -> dt.date:
    """The calendar date of an RFC 822 or RFC 3339 date-time, in its own time zone (+08:00)."""
    return dateutil.parser.parse(text).date()


def parse(out: Path, name: str) -> feedparser.FeedParserDict:
    parsed = feedparser.parse((out / "feeds" / name).read_bytes())
    assert not parsed.bozo, parsed.get("bozo_exception")
    return parsed


def entry(parsed: feedparser.FeedParserDict, guid: str) -> feedparser.FeedParserDict:
    return next(e for e in parsed.entries if e.id == guid)


# ---- edits after publication ---------------------------------------------------------------


def test_an_edited_article_keeps_its_date_and_gains_updated(small_site: Path, tmp_path: Path) -> None:
    edit(small_site, NEWS, "date: 2014-07-01\n", "date: 2014-07-01\nupdated: 2014-07-09\n")
    build(small_site, tmp_path / "out")
    guid = f"{BASE}news/2014-07-01-first/"
    rss, atom = parse(tmp_path / "out", "all.xml"), parse(tmp_path / "out", "all.atom")
    for parsed in (rss, atom):
        edited = entry(parsed, guid)
        assert (day(edited.published), day(edited.updated)) == (dt.date(2014, 7, 1), dt.date(2014, 7, 9))
        assert re.search(r"\+08:00$", edited.updated)
    # the order is by publication: the edit does not move the entry to the top as if new
    assert [e.id for e in rss.entries] == [e.id for e in atom.entries]
    assert [e.published_parsed for e in rss.entries] == sorted((e.published_parsed for e in rss.entries),
                                                               reverse=True)
    # an entry never edited has no update in RSS, and an Atom <updated> equal to its publication
    other = f"{BASE}news/2014-06-01-second/"
    assert "updated" not in entry(rss, other)
    assert entry(atom, other).updated_parsed == entry(atom, other).published_parsed
    # the channel changed when the edit was made
    assert day(rss.feed.updated) == dt.date(2014, 7, 9)
    item = next(i for i in json.loads((tmp_path / "out/feeds/all.json").read_bytes())["items"]
                if i["id"] == guid)
    assert (item["date_published"], item["date_modified"]) == ("2014-07-01T00:00:00+08:00",
                                                                "2014-07-09T00:00:00+08:00")


def test_an_edited_meeting_notice_gains_updated(small_site: Path, tmp_path: Path) -> None:
    edit(small_site, "content/meetings/edu-life.md", "date: 2014-07-05\n", "date: 2014-07-05\nupdated: 2014-07-07\n")
    build(small_site, tmp_path / "out")
    notice = entry(parse(tmp_path / "out", "meetings.xml"), f"{BASE}meetings/edu-life/")
    assert (day(notice.published), day(notice.updated)) == (dt.date(2014, 7, 5), dt.date(2014, 7, 7))
    page = (tmp_path / "out/meetings/edu-life/index.html").read_text(encoding="utf-8")
    assert '更正于 <time datetime="2014-07-07">' in page


def test_a_correction_dated_before_publication_is_an_error(small_site: Path) -> None:
    edit(small_site, NEWS, "date: 2014-07-01\n", "date: 2014-07-01\nupdated: 2014-06-30\n")
    [error] = errors_of(small_site)
    assert (error.file, error.line, error.code) == (NEWS, 4, "E048")  # the line of `updated:`
    assert "2014-06-30" in error.message


def test_a_commitment_whose_item_changed_later_is_updated(small_site: Path, tmp_path: Path) -> None:
    """The history (git) of a commitment set: an item kept later makes the set's entry updated."""
    git(small_site, "init", "-q")
    git(small_site, "add", "-A")
    git(small_site, "commit", "-qm", "初始内容")
    edit(small_site, "content/commitments/edu-2014.yml", "deadline: 2014-06-30, status: 未兑现",
         "deadline: 2014-06-30, status: 已兑现")
    git(small_site, "commit", "-qam", "c02 已兑现", date="2014-07-03T09:00:00+08:00")
    build(small_site, tmp_path / "out")
    rss = parse(tmp_path / "out", "unit/edu.xml")
    kept = entry(rss, f"{BASE}commitments/edu-2014/")
    assert (day(kept.published), day(kept.updated)) == (dt.date(2014, 4, 20), dt.date(2014, 7, 3))
    assert "六月底前完成收费清理（已兑现）" in kept.content[0].value


# ---- images ----------------------------------------------------------------------------------


def test_article_images_travel_as_enclosures(small_site: Path, tmp_path: Path) -> None:
    photo, chart = png(40, 30), png(8, 8)
    (small_site / "content/news/photo.png").write_bytes(photo)
    (small_site / "content/news/chart.png").write_bytes(chart)
    (small_site / "content/news/board.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg"/>\n')
    edit(small_site, NEWS, "tags:", "images:\n  - {src: photo.png, caption: 公示栏}\n  - {src: chart.png}\n"
                                    "  - {src: board.svg, caption: 示意图}\ntags:")
    build(small_site, tmp_path / "out")
    out = tmp_path / "out"
    guid = f"{BASE}news/2014-07-01-first/"
    expected = [(f"{BASE}media/news/photo.png", "image/png", len(photo)),
                (f"{BASE}media/news/chart.png", "image/png", len(chart)),
                (f"{BASE}media/news/board.svg", "image/svg+xml", (out / "media/news/board.svg").stat().st_size)]
    assert (out / "media/news/photo.png").read_bytes() == photo  # the enclosure URL serves the file

    rss = entry(parse(out, "all.xml"), guid)  # RSS 2.0 allows one enclosure: the lead image
    assert [(e.href, e.type, int(e.length)) for e in rss.enclosures] == expected[:1]
    atom = entry(parse(out, "all.atom"), guid)
    assert [(e.href, e.type, int(e.length)) for e in atom.enclosures] == expected
    assert atom.link == guid  # the enclosures do not replace the entry's own link
    for parsed in (rss, atom):
        assert [(m["url"], m["type"], int(m["filesize"])) for m in parsed.media_content] == expected
    item = next(i for i in json.loads((out / "feeds/all.json").read_bytes())["items"] if i["id"] == guid)
    assert item["image"] == expected[0][0]
    assert [(a["url"], a["mime_type"], a["size_in_bytes"]) for a in item["attachments"]] == expected
    assert [a.get("title") for a in item["attachments"]] == ["公示栏", None, "示意图"]

    plain = entry(parse(out, "all.xml"), f"{BASE}news/2014-06-01-second/")
    assert plain.get("enclosures") == [] and "media_content" not in plain


# ---- JSON Feed -------------------------------------------------------------------------------


def test_every_json_feed_is_valid_and_matches_its_rss(demo_twice: tuple[Path, Path]) -> None:
    out = demo_twice[0]
    files = sorted(out.glob("feeds/**/*.json"))
    assert len(files) == len(sorted(out.glob("feeds/**/*.xml"))) >= 3 + 7 + 30
    for path in files:
        document = json.loads(path.read_bytes())
        jsonschema.validate(document, JSON_FEED_SCHEMA)
        assert document["feed_url"] == "https://www.example.gov.cn/qzlx/" + path.relative_to(out).as_posix()
        rss = feedparser.parse(path.with_suffix(".xml").read_bytes())
        items = document["items"]
        assert [i["id"] for i in items] == [e.id for e in rss.entries], path  # same entries, same order
        assert len({i["id"] for i in items}) == len(items)
        assert document["title"] == rss.feed.title
        for item, rss_entry in zip(items, rss.entries, strict=True):
            assert item["date_published"].endswith("+08:00")
            assert day(item["date_published"]) == day(rss_entry.published)
            for url in re.findall(r'(?:href|src)="([^"]*)"', item["content_html"]):
                assert re.match(r"^(https?:|mailto:|tel:)", url), (path, url)


def test_json_feeds_are_identical_across_builds(demo_twice: tuple[Path, Path]) -> None:
    first, second = demo_twice
    for path in sorted(first.glob("feeds/**/*.json")):
        assert path.read_bytes() == (second / path.relative_to(first)).read_bytes(), path


def test_json_feeds_are_discoverable_and_listed(built_small: Path) -> None:
    home = (built_small / "index.html").read_text(encoding="utf-8")
    assert '<link rel="alternate" type="application/feed+json" title="全站更新（JSON Feed）" href="feeds/all.json">' in home
    ledger = (built_small / "rectification/edu/index.html").read_text(encoding="utf-8")
    for slug in ("all", "rectification", "unit/edu"):
        assert f'href="../../feeds/{slug}.json"' in ledger
        assert (built_small / f"feeds/{slug}.json").is_file()
    page = (built_small / "feeds/index.html").read_text(encoding="utf-8")
    for slug in ("all", "rectification", "meetings", "column/news", "unit/edu"):
        assert f'href="{slug}.json">JSON Feed 订阅地址</a>' in page
