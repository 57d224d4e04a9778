"""Plan stage: the list of every page the site has, with its template and its data.

One record can appear in several outputs (its page, a column list, a unit page, …). The
plan is plain lists (`FAMILIES`, then `extra_outputs`), so rendering, the sitemap and the
search index can all walk it; families.py runs it and adds each page's meta.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import heapq
import itertools
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, NamedTuple

from . import urls
from .bulletins import bulletin_name
from .compute import ItemState, Tally
from .feeds import Deferred, Feed, column_feeds, site_feeds, unit_feed
from .govfeeds import record_feeds
from .history import Change, History
from .model import CATEGORIES, Article, SiteConfig, SupervisionGroup, Unit
from .opendata import (
    COMMITMENT_COLUMNS,
    DOCUMENT_COLUMNS,
    EVALUATION_COLUMNS,
    ITEM_COLUMNS,
    DataSet,
)
from .site import Site, UnitIndex

if TYPE_CHECKING:
    from .pagemeta import PageMeta

PAGE_SIZE = 20
Crumb = tuple[str, str]  # (title, path)
Filter = tuple[Callable[[ItemState], bool], str, str]  # (test, label, path)
PHONE_COLUMNS = 2  # columns shown in the phone navigation bar; the rest go under 更多栏目


@dataclass(frozen=True)
class Output:
    path: str  # public path, relative to the site root ("news/x/")
    template: str
    title: str
    section: str = ""  # the navigation entry to highlight
    crumbs: tuple[Crumb, ...] = ()
    context: dict[str, Any] = field(default_factory=dict, compare=False)
    date: dt.date | None = None  # the content date, for the sitemap
    feeds: tuple[Crumb, ...] = ()  # (title, path) of the feeds this page offers
    meta: PageMeta | None = field(default=None, compare=False)  # description, share image, search

    @property
    def file(self) -> str:
        return urls.file_for(self.path)

    @property
    def shows(self) -> Any:
        """The record whose Markdown body the page shows (news, document, meeting, plain page), or None."""
        c = self.context
        return (c.get("record") or c.get("meeting")) if "body" in c else None


class Planned(NamedTuple):
    """What the rest of a build needs of a planned page (the sitemap, the share cards, the
    search index, quick builds), kept between builds for the families not planned again."""

    file: str
    path: str
    date: dt.date | None
    template: str
    search: bool  # the search index takes it
    card: tuple[str, Any] | None  # (image path, Card) of the share card drawn for it
    shows: str  # the Markdown file whose body it shows; "" for none

    @classmethod
    def of(cls, o: Output) -> Planned:
        meta, record = o.meta, o.shows
        return cls(o.file, o.path, o.date, o.template, meta is not None and bool(meta.search),
                   (meta.image, meta.card) if meta is not None and meta.card is not None else None,
                   record.origin.file if record is not None else "")

    @property
    def files(self) -> tuple[str, ...]:
        return (self.file,)

    def __reduce__(self) -> tuple[Any, ...]:
        # read back through tuple.__new__, not a named tuple's own __new__, a Python call for
        # each (the build cache keeps 20,000 for the families of pages: 21 ms read, 17 so)
        return tuple.__new__, (Planned, tuple(self))


class PlannedFeed(NamedTuple):
    """What the rest of a build needs of a planned feed (the subscription page and the
    OPML list, quick builds), kept between builds for the families not planned again."""

    feed: Feed  # without its entries
    shows: tuple[str, ...]  # the Markdown files whose bodies it carries

    @classmethod
    def of(cls, feed: Feed) -> PlannedFeed:
        shows = (e.record.origin.file for e in feed.entries if isinstance(e, Deferred))
        return cls(dataclasses.replace(feed, entries=()), tuple(dict.fromkeys(shows)))

    @property
    def files(self) -> tuple[str, ...]:
        return self.feed.rss_path, self.feed.atom_path, self.feed.json_path


@dataclass(frozen=True)
class NavEntry:
    label: str
    path: str
    section: str  # matches Output.section of the pages it covers
    phone: bool  # shown in the phone's two-row bar (else under 更多栏目)


@dataclass(frozen=True)
class Navigation:
    entries: tuple[NavEntry, ...]
    more: tuple[NavEntry, ...]  # the entries a phone shows under 更多栏目
    more_current: bool  # the current page belongs to one of `more`


def navigation(config: SiteConfig, section: str) -> Navigation:
    """The main menu: home, the columns, then the disclosure sections."""
    entries = [NavEntry("首页", urls.HOME, "home", True)]
    entries += [NavEntry(c.name, urls.column(c.id), c.id, n < PHONE_COLUMNS)
                for n, c in enumerate(config.columns)]
    entries += [NavEntry("整改落实", urls.DASHBOARD, "rectification", True),
                NavEntry("公开承诺", urls.COMMITMENTS, "commitments", True),
                NavEntry("会议通报", urls.MEETINGS, "meetings", True),
                NavEntry("参加单位", urls.UNITS, "units", True)]
    more = tuple(e for e in entries if not e.phone)
    return Navigation(tuple(entries), more, any(e.section == section for e in more))


def _pages(records: list[Any], size: int = PAGE_SIZE) -> list[list[Any]]:
    return [records[i : i + size] for i in range(0, len(records), size)] or [[]]


def _month(record: Article) -> str:
    return record.date.strftime("%Y-%m")


def column_outputs(site: Site) -> Iterator[Output]:
    for column in site.config.columns:
        records = site.columns[column.id]
        months: dict[str, list[Article]] = {}
        for record in records:
            months.setdefault(_month(record), []).append(record)
        archive = [(m, len(items)) for m, items in months.items()]
        chunks = _pages(records)
        pages = [(n, urls.column(column.id, n)) for n in range(1, len(chunks) + 1)]  # every page lists them all
        crumb = ((column.name, urls.column(column.id)),)
        for number, chunk in enumerate(chunks, start=1):
            yield Output(
                urls.column(column.id, number), "column.html",
                column.name if number == 1 else f"{column.name}（第{number}页）",
                section=column.id, crumbs=crumb if number == 1 else crumb + ((f"第{number}页", ""),),
                context={"column": column, "records": chunk, "archive": archive,
                         "pager": {"number": number, "count": len(chunks),
                                   "prev": urls.column(column.id, number - 1) if number > 1 else None,
                                   "next": urls.column(column.id, number + 1) if number < len(chunks) else None,
                                   "pages": pages}},
                date=chunk[0].date if chunk else None,
            )
        for month, items in months.items():
            label = f"{month[:4]}年{int(month[5:])}月"
            yield Output(
                urls.archive(column.id, month), "column.html", f"{column.name} · {label}",
                section=column.id, crumbs=crumb + ((label, ""),),
                context={"column": column, "records": items, "archive": archive, "month": label,
                         "pager": None},
                date=items[0].date,
            )


def article_outputs(site: Site) -> Iterator[Output]:
    related = Related(site)
    forwarded_by: dict[str, list[Article]] = {}
    for d in site.documents.values():
        if d.forwards and not d.withdrawn:
            forwarded_by.setdefault(d.forwards, []).append(d)
    for column in site.config.columns:
        records = site.columns[column.id]
        for i, record in enumerate(records):
            yield _article(site, record, newer=records[i - 1] if i > 0 else None,
                           older=records[i + 1] if i + 1 < len(records) else None,
                           related=related.of(record), forwarded_by=forwarded_by.get(record.id, []))
    for record in (*site.articles.values(), *site.documents.values()):
        if record.withdrawn:
            yield _article(site, record, None, None, related.of(record), forwarded_by.get(record.id, []))


class Related:
    """Related articles: those sharing the most tags first, then the newest; articles of the
    same unit sharing no tag come last.

    Each live article gets a rank (newest first; equal dates in column order). The ranks
    sharing a set of tags are worked out once per set, so one article's list is a short
    merge of sorted lists instead of a pass over the whole site.
    """

    def __init__(self, site: Site):
        records = [r for rs in site.columns.values() for r in rs]
        order = sorted(range(len(records)), key=lambda i: (-records[i].date.toordinal(), i))
        self.ranked = [records[i] for i in order]
        self.tags = [frozenset(r.tags) for r in self.ranked]
        self.by_unit: dict[str, list[int]] = {}
        self.sharing: dict[tuple[str, ...], list[int]] = {}  # tags → ranks carrying all of them
        self.found: dict[frozenset[str], tuple[list[int], Iterator[int]]] = {}  # tags → best ranks so far
        for rank, record in enumerate(self.ranked):
            for tag in self.tags[rank]:
                self.sharing.setdefault((tag,), []).append(rank)
            if record.unit:
                self.by_unit.setdefault(record.unit, []).append(rank)

    def _carrying(self, tags: tuple[str, ...]) -> list[int]:
        if tags not in self.sharing:
            found = set(self._carrying(tags[:-1])).intersection(self._carrying(tags[-1:]))
            self.sharing[tags] = sorted(found)
        return self.sharing[tags]

    def _sharing(self, wanted: frozenset[str]) -> Iterator[int]:
        """The ranks sharing at least one of `wanted`: those sharing the most first."""
        for shared in range(len(wanted), 0, -1):
            lists = [self._carrying(s) for s in itertools.combinations(sorted(wanted), shared)]
            previous = -1
            for rank in heapq.merge(*lists):
                if rank != previous and len(wanted & self.tags[rank]) == shared:
                    previous = rank
                    yield rank

    def of(self, record: Article, limit: int = 5) -> list[Article]:
        wanted = frozenset(record.tags)
        if wanted not in self.found:  # many articles carry the same tags: walk their lists once
            self.found[wanted] = ([], self._sharing(wanted))
        ranks, more = self.found[wanted]
        chosen: list[int] = []
        n = 0
        while len(chosen) < limit:
            if n == len(ranks):
                rank = next(more, None)
                if rank is None:
                    break
                ranks.append(rank)
            rank, n = ranks[n], n + 1
            if self.ranked[rank].id != record.id:
                chosen.append(rank)
        for rank in self.by_unit.get(record.unit or "", []):
            if len(chosen) == limit:
                break
            if not wanted & self.tags[rank] and self.ranked[rank].id != record.id:
                chosen.append(rank)
        return [self.ranked[r] for r in chosen]


def _article(site: Site, record: Article, newer: Article | None, older: Article | None,
             related: list[Article], forwarded_by: list[Article]) -> Output:
    column = site.config.column(record.column)
    assert column is not None
    forwarded = site.documents.get(getattr(record, "forwards", None) or "")
    return Output(
        urls.article(record), "document.html" if record.kind == "document" else "article.html",
        record.title, section=column.id,
        crumbs=((column.name, urls.column(column.id)), (record.title, "")),
        context={"record": record, "column": column, "body": site.body(record.kind, record.id),
                 "unit": site.units.get(record.unit or ""), "newer": newer, "older": older,
                 "related": related, "forwarded": forwarded,
                 "forwarded_by": forwarded_by},
        date=record.updated or record.date,
    )


def unit_outputs(site: Site) -> Iterator[Output]:
    kinds: dict[str, list[Any]] = {}
    for unit in site.units.values():
        kinds.setdefault(unit.kind, []).append(unit)
    yield Output(urls.UNITS, "units.html", "参加单位", section="units", crumbs=(("参加单位", ""),),
                 context={"kinds": kinds, "tallies": site.rect.unit_tallies})


@dataclass(frozen=True)
class UnitPart:
    """What a unit's page is made from, besides the configuration: a family of its own
    (`Parted`), so that an edit of one unit's records plans again that unit's page only."""

    unit: Unit
    index: UnitIndex
    parent: Unit | None
    group: SupervisionGroup | None
    items: tuple[ItemState, ...]
    tally: Tally | None


def unit_parts(site: Site) -> dict[str, UnitPart]:
    groups = {g.id: g for g in site.config.supervision_groups}
    return {unit.id: UnitPart(unit, site.unit_index[unit.id], site.units.get(unit.parent or ""),
                              groups.get(unit.supervision_group or ""), tuple(site.rect.by_unit.get(unit.id, ())),
                              site.rect.unit_tallies.get(unit.id))
            for unit in site.units.values()}


def unit_page(part: UnitPart, site: Site) -> Iterator[Output]:
    unit = part.unit
    yield Output(urls.unit(unit.id), "unit.html", unit.name, section="units",
                 crumbs=(("参加单位", urls.UNITS), (unit.name, "")),
                 context={"unit": unit, "index": part.index, "parent": part.parent, "group": part.group,
                          "items": part.items, "tally": part.tally})


def rectification_outputs(site: Site) -> Iterator[Output]:
    yield Output(urls.DASHBOARD, "dashboard.html", "整改落实", section="rectification",
                 crumbs=(("整改落实", ""),),
                 context={"rect": site.rect, "units": site.units, "moved": site.deadline_moved,
                          "history": site.history})


@dataclass(frozen=True)
class LedgerPart:
    """What the pages of one unit's ledger are made from: a family of its own (`Parted`), so
    that an edit of one ledger, or a commit that changes one, plans again that ledger's pages
    only."""

    unit: Unit
    states: tuple[ItemState, ...]
    tally: Tally
    changes: tuple[tuple[Change, ...], ...]  # of each item, from the history


def ledger_parts(site: Site) -> dict[str, LedgerPart]:
    rect = site.rect
    return {unit_id: LedgerPart(site.units[unit_id], tuple(states), rect.unit_tallies[unit_id],
                                tuple(tuple(site.history.of("item", unit_id, s.item.id)) for s in states))
            for unit_id, states in rect.by_unit.items()}


def ledger_outputs(part: LedgerPart, site: Site) -> Iterator[Output]:
    unit, states = part.unit, part.states
    live = [s for s in states if not s.withdrawn]
    crumbs = (("整改落实", urls.DASHBOARD), (unit.name, urls.ledger(unit.id)))
    filters = _ledger_filters(unit.id, live)
    base = {"unit": unit, "tally": part.tally,
            "filters": [(label, path) for _, label, path in filters],  # without the tests: lambdas fingerprint slowly
            "withdrawn": [s for s in states if s.withdrawn]}
    yield Output(urls.ledger(unit.id), "ledger.html", f"{unit.name}整改清单", "rectification",
                 crumbs[:1] + ((unit.name, ""),), {**base, "states": live, "active": ""})
    for test, label, path in filters:
        yield Output(path, "ledger.html", f"{unit.name}整改清单：{label}", "rectification",
                     crumbs + ((label, ""),),
                     {**base, "states": [s for s in live if test(s)], "active": path})
    for state, changes in zip(states, part.changes, strict=True):
        yield Output(urls.item(unit.id, state.item.id), "item.html", state.item.problem,
                     "rectification", crumbs + ((f"第{state.number}项", ""),),
                     {"state": state, "unit": unit, "history": site.history_status, "changes": list(changes)},
                     date=state.last_update)


STATUS_FILTERS: tuple[tuple[str, str, Callable[[ItemState], bool]], ...] = (
    ("done", "已完成", lambda s: s.item.status == "已完成"),
    ("in_progress", "整改中", lambda s: s.item.status == "整改中"),
    ("not_started", "未启动", lambda s: s.item.status == "未启动"),
    ("overdue", "逾期", lambda s: s.state == "overdue"),
    ("due_soon", "即将到期", lambda s: s.state == "due_soon"),
)


def _ledger_filters(unit_id: str, states: list[ItemState]) -> list[Filter]:
    """(test, label, path) of each filter that selects at least one item."""
    found: list[Filter] = [(test, label, urls.ledger(unit_id, status=key))
                           for key, label, test in STATUS_FILTERS]
    for category in CATEGORIES:
        found.append((lambda s, c=category: s.item.category == c, category,
                      urls.ledger(unit_id, category=urls.CATEGORY_SLUGS[category])))
    return [f for f in found if any(f[0](s) for s in states)]


def disclosure_outputs(site: Site) -> Iterator[Output]:
    yield Output(urls.COMMITMENTS, "commitments.html", "公开承诺", "commitments",
                 (("公开承诺", ""),),
                 {"commitments": site.content.commitments, "states": site.commitment_states,
                  "tally": site.commitment_tally,
                  "by_unit": site.commitment_by_unit, "by_leader": site.commitment_by_leader})
    for c in site.content.commitments:
        yield Output(urls.commitment(c), "commitment.html", c.title or "公开承诺", "commitments",
                     (("公开承诺", urls.COMMITMENTS), (c.title or c.id, "")),
                     {"commitment": c, "states": site.commitment_states[c.id], "history": site.history_status,
                      "changes": site.commitment_changes[c.id],
                      "unit": site.units.get(c.unit or "")}, date=c.published)
    yield Output(urls.MEETINGS, "meetings.html", "会议通报", "meetings", (("会议通报", ""),),
                 {"meetings": site.meetings, "satisfaction": site.satisfaction})
    for m in site.content.meetings:
        yield Output(urls.meeting(m), "meeting.html", m.title, "meetings",
                     (("会议通报", urls.MEETINGS), (m.title, "")),
                     {"meeting": m, "body": site.body("meeting", m.id), "unit": site.units[m.unit],
                      "result": site.satisfaction.get(m.id)}, date=m.updated or m.date)
    yield Output(urls.OPINIONS, "opinions.html", "征求意见情况", "opinions", (("征求意见情况", ""),),
                 {"total": site.opinion_total, "rows": site.opinion_units})
    yield Output(urls.RULES, "rules.html", "建章立制", "rules", (("建章立制", ""),),
                 {"rules": site.rules})


def page_outputs(site: Site) -> Iterator[Output]:
    for p in site.pages:
        yield Output(urls.page(p), "page.html", p.title, f"page:{p.id}", ((p.title, ""),),
                     {"record": p, "body": site.body("page", p.id)})
    yield Output(urls.NOT_FOUND, "404.html", "页面不存在", "", ((("页面不存在", ""),)))


def changelog_outputs(site: Site) -> Iterator[Output]:
    yield Output(urls.CHANGES, "changes.html", "更正与变更记录", "changes", (("更正与变更记录", ""),),
                 {"entries": site.changelog, "history": site.history},
                 date=site.changelog[0].date if site.changelog else None)


def bulletin_outputs(site: Site) -> Iterator[Output]:
    name = bulletin_name(site)
    yield Output(urls.BULLETINS, "bulletins.html", name, "bulletins", ((name, ""),),
                 {"bulletins": site.bulletins, "name": name},
                 date=site.bulletins[0].period.end if site.bulletins else None)
    for i, b in enumerate(site.bulletins):  # newest first
        yield Output(urls.bulletin(b.number), "bulletin.html", f"{name}第{b.number}期", "bulletins",
                     ((name, urls.BULLETINS), (f"第{b.number}期", "")),
                     {"bulletin": b, "name": name, "units": site.units,  # of the neighbours, their periods only:
                      "newer": site.bulletins[i - 1].period if i > 0 else None,  # what they hold does not show
                      "older": site.bulletins[i + 1].period if i + 1 < len(site.bulletins) else None},
                     date=b.period.end)


def home_output(site: Site) -> Output:
    front = site.front
    return Output(urls.HOME, "home.html", site.config.title, "home", (),
                  {"headlines": front.headlines, "photos": front.photos, "boxes": front.boxes,
                   "rect": site.rect, "meetings": site.meetings[:5],
                   "satisfaction": site.satisfaction,
                   "commitments": sorted(site.content.commitments, key=lambda c: c.published,
                                         reverse=True)[:5],
                   "commitment_tally": site.commitment_tally, "show_commit": True, "history": site.history})


def _home_outputs(site: Site) -> tuple[Output]:
    return (home_output(site),)


def subscribe_output(feeds: list[Feed]) -> Output:
    """`feeds`: without their entries (`PlannedFeed`), which the page does not show."""
    groups: dict[str, list[Feed]] = {}
    for feed in feeds:
        groups.setdefault(feed.group, []).append(feed)
    return Output(urls.FEEDS, "feeds.html", "订阅", "feeds", (("订阅", ""),),
                  {"groups": groups, "opml": urls.OPML})


def feed_links(site: Site, output: Output) -> tuple[Crumb, ...]:
    """The feeds a page offers for discovery: the whole site, then what the page is about."""
    links = [("全站更新", urls.feed("all"))]
    column = site.config.column(output.section)
    if column:
        links.append((f"{column.name}栏目", urls.feed(f"column/{column.id}")))
    if output.section == "rectification":
        links.append(("整改进展", urls.feed("rectification")))
    if output.section == "meetings":
        links.append(("会议通报", urls.feed("meetings")))
    if output.section == "changes":
        links.append(("更正与变更记录", urls.feed("changes")))
    if output.section == "bulletins":
        links.append(("简报", urls.feed("bulletins")))
    unit = output.context.get("unit")
    if unit is not None:
        links.append((unit.name, urls.feed(f"unit/{unit.id}")))
    return tuple(links)


@dataclass(frozen=True)
class Listed:
    """A data set as the list of data sets shows it."""

    path: str  # without extension
    title: str
    count: int  # rows


def data_output(sets: list[DataSet], history: History) -> Output:
    docs = [("整改事项", ITEM_COLUMNS), ("公开承诺", COMMITMENT_COLUMNS), ("会议群众评议", EVALUATION_COLUMNS),
            ("文件目录", DOCUMENT_COLUMNS)]
    listed = [Listed(d.path, d.title, len(d.rows)) for d in sets]  # not the rows (signing them took 20 ms)
    return Output(urls.DATA, "data.html", "开放数据", "data", (("开放数据", ""),),
                  {"sets": listed, "docs": docs, "show_commit": True, "history": history, "manifest": urls.MANIFEST})


def search_output() -> Output:
    return Output(urls.SEARCH, "search.html", "站内搜索", "search", (("站内搜索", ""),))


class Parted(NamedTuple):
    """A stage of the plan made of parts, each a family of its own (`name:key`): its pages
    (or feeds) are `make(part, site)` for each part of `parts(site)`, and nothing else of the
    site that would differ between parts is read (a part's value is part of its family's key)."""

    parts: Callable[[Site], dict[str, Any]]
    make: Callable[[Any, Site], Iterable[Any]]


# the stages of the plan, each a family of pages made from the site alone (families.py)
FAMILIES: tuple[tuple[str, Callable[[Site], Iterable[Output]] | Parted], ...] = (
    ("home", _home_outputs), ("columns", column_outputs), ("articles", article_outputs),
    ("units", unit_outputs), ("unit", Parted(unit_parts, unit_page)), ("rectification", rectification_outputs),
    ("ledger", Parted(ledger_parts, ledger_outputs)), ("disclosure", disclosure_outputs),
    ("pages", page_outputs), ("changes", changelog_outputs), ("bulletins", bulletin_outputs),
)


def _unit_feeds(part: UnitPart, site: Site) -> list[Feed]:
    return [unit_feed(site, part.unit, part.index, part.items)]


# the feeds, in families as the pages (the site's, the columns', each unit's, the compilations')
FEED_FAMILIES: tuple[tuple[str, Callable[[Site], Iterable[Feed]] | Parted], ...] = (
    ("feeds", site_feeds), ("column-feeds", column_feeds), ("unit-feed", Parted(unit_parts, _unit_feeds)),
    ("record-feeds", record_feeds),
)


def extra_outputs(site: Site, feeds: list[Feed], sets: list[DataSet]) -> list[Output]:
    """The pages made from more than the site: the list of feeds, of data sets, the search page."""
    return [subscribe_output(feeds), data_output(sets, site.history)] + ([search_output()] if site.config.search else [])

