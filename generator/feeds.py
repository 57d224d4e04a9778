"""Feeds: RSS 2.0, Atom (feedgen) and JSON Feed 1.1, for the site, each column, each unit,
rectification progress and meetings.

Dates come from the content (China time, +08:00), never from the clock, and the channel's
last-build date is the newest entry's, so an unchanged site gives byte-identical feeds.
GUIDs are permalinks built from ids: a title fix or a template change never duplicates an
entry in a reader. An entry edited after publication keeps its publication date and gains
an `updated` date (the record's `updated` field, or the history of its commitment items), so
readers show it as changed, not as new. Article images travel as an enclosure and as
`media:content` (JSON Feed: attachments), with their type and size in bytes.
"""

from __future__ import annotations

import datetime as dt
import heapq
import html as html_lib
import importlib
import json
import mimetypes
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar
from urllib.parse import urljoin

from . import urls
from .compute import CHINA, ItemState
from .history import Change
from .markdown import plain_text
from .model import Article, Commitment, Meeting, Progress, Unit
from .site import Site, UnitIndex

R = TypeVar("R", Article, Meeting, ItemState)

_ATTR_URL = re.compile(r'\b(href|src)="([^"]*)"')
ATOM_NS = "http://www.w3.org/2005/Atom"
JSON_FEED_VERSION = "https://jsonfeed.org/version/1.1"
# Python's built-in table only (not the machine's /etc/mime.types): the same type everywhere.
_TYPES = mimetypes.MimeTypes()
_TYPES.add_type("image/webp", ".webp")  # missing from Python 3.11's table
_JSON_HTML_SAFE = (("&", "\\u0026"), ("<", "\\u003c"), (">", "\\u003e"))


@dataclass(frozen=True)
class Enclosure:
    """A file that travels with an entry (an article's image)."""

    url: str  # absolute
    type: str  # MIME type
    length: int  # bytes
    title: str = ""
_PLAIN_PATH = re.compile(r"(?:[\w\-]+/)*[\w\-]*(?:\.[\w]+)?")  # news/x/, feeds/all.xml


@dataclass(frozen=True)
class Entry:
    guid: str  # absolute permalink, with a fragment for entries inside one page
    title: str
    link: str
    date: dt.date
    summary: str
    content: str  # HTML with absolute URLs
    author: str = ""
    categories: tuple[str, ...] = ()
    updated: dt.date | None = None  # last edit after publication (never earlier than `date`)
    enclosures: tuple[Enclosure, ...] = ()


@dataclass(frozen=True)
class Deferred:
    """An article or meeting entry, written out only when its feed is: its content is the
    whole body, and a rebuild after an edit writes only the few feeds that changed. The
    body is a handle (bodies.Body), in the entry so that the feed's signature covers it."""

    guid: str
    date: dt.date
    record: Article | Meeting
    body: Any


@dataclass(frozen=True)
class Feed:
    slug: str  # feeds/<slug>.xml and feeds/<slug>.atom
    title: str
    description: str
    link: str  # the page the feed follows (public path)
    entries: tuple[Entry | Deferred, ...] = field(default=())
    group: str = ""  # heading on the subscription page

    @property
    def rss_path(self) -> str:
        return urls.feed(self.slug, "xml")

    @property
    def atom_path(self) -> str:
        return urls.feed(self.slug, "atom")

    @property
    def json_path(self) -> str:
        return urls.feed(self.slug, "json")


class Absolute:
    """Turns site paths and root-relative URLs into absolute URLs against base_url."""

    def __init__(self, base_url: str):
        self.base_url = base_url if base_url.endswith("/") else base_url + "/"
        self.plain = not any(c in self.base_url for c in "?#")

    def page(self, path: str) -> str:
        if self.plain and _PLAIN_PATH.fullmatch(path):  # a site path: no need for urljoin's work
            return self.base_url + path
        return urljoin(self.base_url, path)

    def html(self, text: str, page_url: str) -> str:
        def fix(match: re.Match[str]) -> str:
            attr, value = match.groups()
            return f'{attr}="{_esc(urljoin(page_url, html_lib.unescape(value)))}"'

        return _ATTR_URL.sub(fix, text)


SUMMARY_CHARS = 140


def _summary(text: str, limit: int = SUMMARY_CHARS) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit] + "…"


def _esc(text: str) -> str:
    return html_lib.escape(text, quote=True)


def _later(published: dt.date, *edits: dt.date | None) -> dt.date | None:
    """The last edit after publication, if there was one: an entry's `updated` date."""
    return max((d for d in edits if d and d > published), default=None)


def _media_type(name: str) -> str:
    return _TYPES.guess_type(name)[0] or "application/octet-stream"


class EntryMaker:
    def __init__(self, site: Site):
        self.site = site
        self.abs = Absolute(site.config.base_url)
        self._deferred: dict[int, Deferred] = {}
        self._progress: dict[int, list[Entry]] = {}

    def later(self, record: Article | Meeting) -> Deferred:
        """The entry of an article or meeting, to be made when its feed is written."""
        found = self._deferred.get(id(record))
        if found is None:
            path = urls.meeting(record) if isinstance(record, Meeting) else urls.article(record)
            kind = "meeting" if isinstance(record, Meeting) else record.kind
            found = self._deferred[id(record)] = Deferred(self.abs.page(path), record.date, record,
                                                          self.site.body(kind, record.id))
        return found

    def entry(self, entry: Entry | Deferred) -> Entry:
        if isinstance(entry, Entry):
            return entry
        record = entry.record
        return self.meeting(record, entry.body) if isinstance(record, Meeting) else self.article(record, entry.body)

    def unit_name(self, unit_id: str | None) -> str:
        unit = self.site.units.get(unit_id or "")
        return unit.name if unit else ""

    def images(self, record: Article) -> tuple[Enclosure, ...]:
        """The article's images (front matter `images`), as files with their type and size."""
        found = []
        for image in record.images:
            path = urls.content_file(record.origin.file, image.src)
            found.append(Enclosure(self.abs.page(urls.media(path)), _media_type(path),
                                   self.site.asset_sizes[path], image.caption))
        return tuple(found)

    def article(self, record: Article, text: Any) -> Entry:
        link = self.abs.page(urls.article(record))
        enclosures = self.images(record)
        figures = "".join(f'<figure><img src="{_esc(e.url)}" alt="{_esc(e.title or record.title)}">'
                          f'<figcaption>{_esc(e.title)}</figcaption></figure>' for e in enclosures)
        body = figures + str(text)
        column = self.site.config.column(record.column)
        cats = tuple(c for c in (column.name if column else "", self.unit_name(record.unit), *record.tags) if c)
        return Entry(guid=link, title=record.title, link=link, date=record.date,
                     summary=record.summary or _summary(plain_text(body, SUMMARY_CHARS)),
                     content=self.abs.html(body, link), author=record.author or self.unit_name(record.unit),
                     categories=cats, updated=_later(record.date, record.updated), enclosures=enclosures)

    def progress(self, state: ItemState) -> list[Entry]:
        """The entries of an item's progress and changes (made once: the item's unit feed and
        the rectification feed both carry them)."""
        found = self._progress.get(id(state))
        if found is None:
            found = self._progress[id(state)] = self._made_progress(state)
        return found

    def progress_dates(self, state: ItemState) -> list[dt.date]:
        """The dates of the item's entries (`progress`), without making them."""
        return [date for date, _ in self._progress_sources(state)]

    def _progress_sources(self, state: ItemState) -> list[tuple[dt.date, Progress | Change | None]]:
        """What the item's entries are made from, with their dates: its progress notes (first),
        its changes of deadline or status, and its completion (None)."""
        item = state.item
        found: list[tuple[dt.date, Progress | Change | None]] = [(p.date, p) for p in item.progress]
        found += [(change.date, change) for change in self.site.history.of("item", item.unit, item.id)
                  if change.field in ("deadline", "status")]
        if item.status == "已完成" and item.completed:
            found.append((item.completed, None))
        return found

    def _made_progress(self, state: ItemState) -> list[Entry]:
        item = state.item
        unit = self.unit_name(item.unit)
        link = self.abs.page(urls.item(item.unit, item.id))
        about = f"<p>整改事项：{_esc(item.problem)}（{_esc(unit)}，类别：{_esc(item.category)}）</p>"
        entries = []
        for n, (date, source) in enumerate(self._progress_sources(state), start=1):
            if isinstance(source, Progress):  # the n-th note: the notes come first
                evidence = "".join(f'<li><a href="{_esc(e.url)}">{_esc(e.title)}</a></li>' if e.url
                                   else f"<li>{_esc(e.title)}</li>" for e in source.evidence)
                content = f"<p>{_esc(source.text)}</p>" + (f"<ul>{evidence}</ul>" if evidence else "") + about
                entries.append(Entry(guid=f"{link}#progress-{n}", title=f"{unit}整改进展：{item.problem}",
                                     link=link, date=date, summary=_summary(source.text),
                                     content=self.abs.html(content, link), author=unit,
                                     categories=(unit, item.category, "整改进展")))
            elif isinstance(source, Change):
                text = f"{source.label}由“{source.old}”调整为“{source.new}”"
                entries.append(Entry(guid=f"{link}#change-{source.commit[:12]}-{source.field}",
                                     title=f"{unit}整改事项{source.label}调整：{item.problem}", link=link,
                                     date=date, summary=text,
                                     content=self.abs.html(f"<p>{_esc(text)}</p>{about}", link), author=unit,
                                     categories=(unit, item.category, "变更记录")))
            else:
                text = f"{unit}“{item.problem}”已于{date.year}年{date.month}月{date.day}日整改完成。"
                entries.append(Entry(guid=f"{link}#done", title=f"{unit}整改完成：{item.problem}", link=link,
                                     date=date, summary=text,
                                     content=self.abs.html(f"<p>{_esc(text)}</p>{about}", link), author=unit,
                                     categories=(unit, item.category, "整改完成")))
        return entries

    def meeting(self, m: Meeting, text: Any) -> Entry:
        link = self.abs.page(urls.meeting(m))
        result = self.site.satisfaction.get(m.id)
        head = ""
        if result:
            flag = "，低于三分之二，须返工补课" if result.under_two_thirds else ""
            head = f"<p><strong>群众评议满意率 {result.percent}{flag}</strong></p>"
        body = head + str(text)
        unit = self.unit_name(m.unit)
        return Entry(guid=link, title=m.title, link=link, date=m.date,
                     summary=m.summary or _summary(plain_text(body, SUMMARY_CHARS)), content=self.abs.html(body, link),
                     author=unit, categories=(m.kind, unit), updated=_later(m.date, m.updated))

    def commitment(self, c: Commitment, unit: str) -> Entry:
        """A set of commitments; a later change of an item (its status, mostly) is an update."""
        link = self.abs.page(urls.commitment(c))
        items = "".join(f"<li>{_esc(i.text)}（{_esc(i.status)}）</li>" for i in c.items)
        edits = [change.date for i in c.items for change in self.site.history.of("commitment-item", c.id, i.id)]
        return Entry(guid=link, title=c.title or f"{unit}公开承诺", link=link, date=c.published,
                     summary=f"{len(c.items)} 项公开承诺", content=f"<ul>{items}</ul>", author=unit,
                     categories=(unit, "公开承诺"), updated=_later(c.published, *edits))

    def withdrawal(self, title: str, path: str, date: dt.date, reason: str, unit_id: str | None) -> Entry:
        link = self.abs.page(path)
        text = f"“{title}”已于{date.year}年{date.month}月{date.day}日撤销。撤销原因：{reason}"
        return Entry(guid=f"{link}#withdrawn", title=f"撤销：{title}", link=link, date=date, summary=text,
                     content=f"<p>{_esc(text)}</p>", author=self.unit_name(unit_id), categories=("撤销",))


def _newest(entries: Iterable[Entry | Deferred], limit: int) -> tuple[Entry | Deferred, ...]:
    return tuple(sorted(entries, key=lambda e: (e.date, e.guid), reverse=True)[:limit])


def _recent(records: Sequence[R], limit: int, dates: Callable[[Any], list[dt.date]] | None = None) -> Sequence[R]:
    """The records whose entries can be among the `limit` newest of a feed they are part of:
    those with an entry not older than the limit-th newest date (`dates(record)`: the dates
    of its entries; default: its own `date`). An entry for each of 15,000 articles, three
    times over (the site's feed, the column's, the unit's), cost more than the rest of the feeds."""
    if dates is None:
        if len(records) <= limit:
            return records
        cut = heapq.nlargest(limit, (r.date for r in records))[-1]  # type: ignore[attr-defined]
        return [r for r in records if r.date >= cut]  # type: ignore[attr-defined]
    every = [dates(r) for r in records]
    if sum(map(len, every)) <= limit:
        return records
    cut = heapq.nlargest(limit, (d for ds in every for d in ds))[-1]
    return [r for r, ds in zip(records, every, strict=True) if any(d >= cut for d in ds)]


# what writing a feed reads of the site, besides its configuration and its entries' records
# and bodies (the entries of articles and meetings are made then: `Deferred`)
WRITING_READS = ("units", "satisfaction", "asset_sizes")


def site_feeds(site: Site) -> list[Feed]:
    """The feeds of the whole site: everything, the rectification progress, the meetings."""
    make = EntryMaker(site)
    limit = site.config.feed_size
    articles = [make.later(a) for a in _recent([a for records in site.columns.values() for a in records], limit)]
    live = [s for s in site.rect.states if not s.withdrawn]
    progress = [e for s in _recent(live, limit, make.progress_dates) for e in make.progress(s)]
    meetings = [make.later(m) for m in _recent(site.meetings, limit)]
    withdrawals = [make.withdrawal(a.title, urls.article(a), a.withdrawn.date, a.withdrawn.reason, a.unit)
                   for a in (*site.articles.values(), *site.documents.values()) if a.withdrawn]
    withdrawals += [make.withdrawal(s.item.problem, urls.item(s.item.unit, s.item.id), s.item.withdrawn.date,
                                    s.item.withdrawn.reason, s.item.unit)
                    for s in site.rect.states if s.item.withdrawn]
    withdrawals += [make.withdrawal(m.title, urls.meeting(m), m.withdrawn.date, m.withdrawn.reason, m.unit)
                    for m in site.content.meetings if m.withdrawn]
    title = site.config.title
    everything: list[Entry | Deferred] = [*articles, *meetings, *withdrawals]
    return [
        Feed("all", title, f"{title}全部更新：新闻、文件、会议通报和整改进展", urls.HOME,
             _newest(everything, limit), "全站"),
        Feed("rectification", f"{title} · 整改进展", "各单位整改事项的每一条进展和完成情况", urls.DASHBOARD,
             _newest(progress + [w for w in withdrawals if "rectification/" in w.link], limit), "全站"),
        Feed("meetings", f"{title} · 会议通报", "民主生活会、座谈会等会议通报及群众评议结果", urls.MEETINGS,
             _newest(meetings, limit), "全站"),
    ]


def column_feeds(site: Site) -> list[Feed]:
    make = EntryMaker(site)
    limit, title = site.config.feed_size, site.config.title
    feeds = []
    for column in site.config.columns:
        column_entries = [make.later(a) for a in _recent(site.columns[column.id], limit)]
        feeds.append(Feed(f"column/{column.id}", f"{title} · {column.name}",
                          column.description or f"{column.name}栏目的最新内容", urls.column(column.id),
                          _newest(column_entries, limit), "栏目"))
    return feeds


def unit_feed(site: Site, unit: Unit, index: UnitIndex, states: Sequence[ItemState]) -> Feed:
    """One unit's feed, from what it published (`index`) and its ledger's items (`states`)."""
    make = EntryMaker(site)
    limit, title = site.config.feed_size, site.config.title
    live = [s for s in states if not s.withdrawn]
    entries: list[Entry | Deferred] = [make.later(a) for a in _recent(index.articles, limit)]
    entries += [make.later(m) for m in _recent(index.meetings, limit)]
    entries += [e for s in _recent(live, limit, make.progress_dates) for e in make.progress(s)]
    entries += [make.commitment(c, unit.name) for c in index.commitments]
    return Feed(f"unit/{unit.id}", f"{title} · {unit.name}", f"{unit.name}的新闻、整改进展、公开承诺和会议通报",
                urls.unit(unit.id), _newest(entries, limit), "单位")


def _moment(day: dt.date) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, tzinfo=CHINA)


def render_feeds(feed: Feed, site: Site) -> tuple[bytes, bytes, bytes]:
    """The feed in RSS 2.0, Atom and JSON Feed, its entries made once for the three (an
    article's entry rewrites its body's links)."""
    make = EntryMaker(site)
    entries = [make.entry(e) for e in feed.entries]
    return (*render_feed(feed, site, entries), render_json_feed(feed, site, entries))


def preload_writer() -> None:
    """Import what writing feeds takes (feedgen, lxml, dateutil, feedgen's extensions, and
    ElementTree for the OPML list), for a build that would otherwise wait: each process that
    writes feeds then has it (a build after a ledger edit imports it in both, 15 ms each)."""
    # feedgen.feed first: feedgen.util needs lxml.etree imported
    for module in ("feedgen.feed", "feedgen.ext.dc", "feedgen.ext.media", f"{__package__}.feedext",
                   "xml.etree.ElementTree"):
        importlib.import_module(module)


def render_feed(feed: Feed, site: Site, entries: list[Entry]) -> tuple[bytes, bytes]:
    """(RSS 2.0, Atom) bytes of one feed, with its `entries` made."""
    # feedgen (and lxml) are imported when a feed is written: 25 ms a build that writes none saves
    from feedgen.ext.base import BaseExtension
    from feedgen.feed import FeedGenerator

    from .feedext import EntryExtras

    absolute = Absolute(site.config.base_url)
    fg = FeedGenerator()
    fg.load_extension("dc")
    fg.load_extension("media")
    fg.register_extension("extras", BaseExtension, EntryExtras)
    fg.id(absolute.page(feed.rss_path))
    fg.title(feed.title)
    fg.description(feed.description)
    fg.subtitle(feed.description)
    # feedgen's RSS <link> is the last link given: the self link goes first.
    fg.link(href=absolute.page(feed.rss_path), rel="self", type="application/rss+xml")
    fg.link(href=absolute.page(feed.link), rel="alternate")
    fg.language("zh-cn")
    fg.generator("gongshi")
    newest = max((e.updated or e.date for e in entries), default=site.config.campaign.start)
    fg.lastBuildDate(_moment(newest))
    fg.updated(_moment(newest))
    for e in entries:
        fe = fg.add_entry(order="append")
        fe.id(e.guid)
        fe.guid(e.guid, permalink="#" not in e.guid)
        fe.title(e.title)
        fe.link(href=e.link)
        fe.description(_esc(e.summary))  # RSS readers take description as HTML
        fe.summary(e.summary)
        fe.content(e.content, type="CDATA")
        fe.published(_moment(e.date))
        fe.updated(_moment(e.updated or e.date))
        fe.extras.updated = _moment(e.updated) if e.updated else None
        fe.extras.enclosures = e.enclosures
        for enclosure in e.enclosures:
            fe.media.content(url=enclosure.url, type=enclosure.type, fileSize=str(enclosure.length),
                             medium="image", group=None)
        if e.author:
            fe.author(name=e.author)
            fe.dc.dc_creator(e.author)
        for c in e.categories:
            fe.category(term=c)
    rss = fg.rss_str(pretty=True)
    fg.link(href=absolute.page(feed.link), rel="alternate", replace=True)
    fg.link(href=absolute.page(feed.atom_path), rel="self", type="application/atom+xml")
    return rss, fg.atom_str(pretty=True)


def _json_item(e: Entry) -> dict[str, object]:
    item: dict[str, object] = {"id": e.guid, "url": e.link, "title": e.title, "content_html": e.content,
                               "summary": e.summary, "date_published": _moment(e.date).isoformat()}
    if e.updated:
        item["date_modified"] = _moment(e.updated).isoformat()
    if e.author:
        item["authors"] = [{"name": e.author}]
    if e.categories:
        item["tags"] = list(e.categories)
    if e.enclosures:
        item["image"] = e.enclosures[0].url
        item["attachments"] = [{"url": a.url, "mime_type": a.type, "size_in_bytes": a.length,
                                **({"title": a.title} if a.title else {})} for a in e.enclosures]
    return item


def render_json_feed(feed: Feed, site: Site, entries: list[Entry]) -> bytes:
    """The feed as JSON Feed 1.1 (https://jsonfeed.org/version/1.1), for readers and apps that
    prefer JSON. Same entries, ids and dates as the RSS and Atom versions."""
    absolute = Absolute(site.config.base_url)
    document = {"version": JSON_FEED_VERSION, "title": feed.title, "home_page_url": absolute.page(feed.link),
                "feed_url": absolute.page(feed.json_path), "description": feed.description,
                "language": site.config.language,
                "items": [_json_item(e) for e in entries]}
    text = json.dumps(document, ensure_ascii=False, indent=1)
    # HTML-safe, as JSON allows: a title like "<script>" stays inert even where a browser
    # takes the file for HTML. Readers decode \u003c back to "<".
    for char, escape in _JSON_HTML_SAFE:
        text = text.replace(char, escape)
    return text.encode("utf-8") + b"\n"


def opml(feeds: list[Feed], site: Site) -> bytes:
    """An OPML list of every RSS feed, to import into a reader at once.

    Only the RSS version of each feed: OPML outlines are RSS subscriptions, and listing the
    Atom or JSON twin as well would subscribe a reader to every feed two or three times."""
    # imported here (or by preload_writer): 4 ms less for a build that writes no OPML list
    from xml.etree import ElementTree as ET

    absolute = Absolute(site.config.base_url)
    root = ET.Element("opml", version="2.0")
    head = ET.SubElement(root, "head")
    ET.SubElement(head, "title").text = f"{site.config.title} 订阅源"
    body = ET.SubElement(root, "body")
    groups: dict[str, ET.Element] = {}
    for feed in feeds:
        if feed.group not in groups:
            groups[feed.group] = ET.SubElement(body, "outline", text=feed.group, title=feed.group)
        ET.SubElement(groups[feed.group], "outline", type="rss", text=feed.title, title=feed.title,
                      xmlUrl=absolute.page(feed.rss_path), htmlUrl=absolute.page(feed.link))
    ET.indent(root)
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="utf-8") + b"\n"
