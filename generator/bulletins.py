"""Bulletins (简报): a periodic digest of what was published and what progressed.

Periods are counted from the campaign's start: weekly ones are seven days from that day,
monthly ones calendar months (the first one from the start day), and the last one ends
with the campaign. Period N is bulletin 第N期 whatever it holds, so numbers never shift; a
bulletin appears once its period is over (it ended before `as_of`).

Each bulletin gathers, from live records: news and documents published in the period,
meetings held (with their evaluations), commitments made public, rules adopted; ledger
items newly listed (an item's `added` date, else its ledger's `published` date, else the
commit that first published it), items completed, items whose deadline fell in the period
(met, met late, or missed as of the period's end), progress reported; and how many items
were done by the period's end. Plus a plain-text version short enough for an SMS/手机报.
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from . import urls
from .compute import Satisfaction
from .incremental import Records
from .model import Article, Commitment, Deadline_, LedgerItem, Meeting, Rule

if TYPE_CHECKING:
    from .site import Site

DUE_LABELS = {"met": "按期完成", "late": "逾期完成", "missed": "到期未完成"}


@dataclass(frozen=True)
class Period:
    number: int
    start: dt.date
    end: dt.date

    @property
    def label(self) -> str:
        """3月9日至3月15日 (with years when the period crosses one)."""
        if self.start.year != self.end.year:
            return f"{_cn(self.start)}至{_cn(self.end)}"
        return f"{self.start.month}月{self.start.day}日至{self.end.month}月{self.end.day}日"


def _cn(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def _next_month(day: dt.date) -> dt.date:
    return dt.date(day.year + day.month // 12, day.month % 12 + 1, 1)


def periods(start: dt.date, end: dt.date, as_of: dt.date, period: str) -> list[Period]:
    """The campaign's periods that are over by `as_of`, first to last."""
    found: list[Period] = []
    begin = start
    while begin <= end:
        stop = begin + dt.timedelta(days=6) if period == "每周" else _next_month(begin) - dt.timedelta(days=1)
        stop = min(stop, end)
        if stop >= as_of:
            break
        found.append(Period(len(found) + 1, begin, stop))
        begin = stop + dt.timedelta(days=1)
    return found


@dataclass(frozen=True)
class ItemFacts:
    """What a bulletin shows of a ledger item wherever it names it. Values, not the item: a
    record is known by its file's fingerprint (incremental.py), so any edit of a ledger would
    otherwise make again every bulletin that names one of its items. Nor its completion date,
    which shows only in the bulletin of the period it falls in (`Completed`): completing an
    item would otherwise make again every bulletin that names it, listed, due or in progress."""

    unit: str
    id: str
    problem: str
    deadline: Deadline_

    @classmethod
    def of(cls, item: LedgerItem) -> ItemFacts:
        return cls(item.unit, item.id, item.problem, item.deadline)


@dataclass(frozen=True)
class Completed:
    item: ItemFacts
    completed: dt.date


@dataclass(frozen=True)
class Step:
    """A step of progress as a bulletin shows it: not its evidence, which holds its place in
    the ledger file (a line added above it would make the bulletin again)."""

    date: dt.date
    text: str


@dataclass(frozen=True)
class DueItem:
    item: ItemFacts
    outcome: str  # a key of DUE_LABELS

    @property
    def label(self) -> str:
        return DUE_LABELS[self.outcome]


@dataclass
class Bulletin:
    period: Period
    articles: Sequence[Article] = ()  # news and documents, oldest first
    meetings: list[tuple[Meeting, Satisfaction | None]] = field(default_factory=list)  # with evaluations
    commitments: list[Commitment] = field(default_factory=list)
    rules: list[Rule] = field(default_factory=list)
    listed: list[ItemFacts] = field(default_factory=list)  # newly listed ledger items
    done: list[Completed] = field(default_factory=list)  # items completed in the period
    due: list[DueItem] = field(default_factory=list)
    progress: list[tuple[ItemFacts, Step]] = field(default_factory=list)
    done_by_end: int = 0  # items completed by the period's end
    sms: str = ""
    news_count: int = 0  # of `articles`, the news; the rest are documents
    document_count: int = 0

    @property
    def number(self) -> int:
        return self.period.number

    @property
    def evaluations(self) -> list[Satisfaction]:
        return [result for _, result in self.meetings if result is not None]

    @property
    def missed(self) -> list[DueItem]:
        return [d for d in self.due if d.outcome == "missed"]

    @property
    def empty(self) -> bool:
        return not (self.articles or self.meetings or self.commitments or self.rules or self.listed
                    or self.done or self.due or self.progress)


def listing_dates(site: Site) -> dict[tuple[str, str], dt.date]:
    """(unit, item id) → the day the item was made public, where it is known."""
    published = {ledger.unit: ledger.published for ledger in site.content.ledgers}
    dates: dict[tuple[str, str], dt.date] = {}
    for s in site.rect.states:
        item = s.item
        debut = site.history.first.get(("item", item.unit, item.id))
        day = item.added or published.get(item.unit) or (debut.date if debut else None)
        if day is not None:
            dates[(item.unit, item.id)] = day
    return dates


def _due(item: ItemFacts, completed: dt.date | None, end: dt.date) -> DueItem:
    deadline = item.deadline
    assert isinstance(deadline, dt.date)
    if completed is not None and completed <= deadline:
        return DueItem(item, "met")
    if completed is not None and completed <= end:
        return DueItem(item, "late")
    return DueItem(item, "missed")


@dataclass(frozen=True)
class Published:
    """What a period brought of the content, the ledgers aside: the news and documents, the
    meetings, the commitments made public and the rules adopted. Worked out by a full build
    and kept with the site (sitestate.py), so that a build after an edit of ledgers gathers
    again only what they bring (15,000 articles: 20 ms a build)."""

    period: Period
    articles: Records  # news and documents, oldest first
    meetings: list[tuple[Meeting, Satisfaction | None]]  # with evaluations
    commitments: list[Commitment]
    rules: list[Rule]
    news_count: int  # of `articles`, the news; the rest are documents


def _finder(found: Sequence[Period]) -> Callable[[dt.date | None], int | None]:
    """The index in `found` of the period a day falls in, if any: periods follow one another
    without gaps."""
    starts = [period.start for period in found]

    def find(day: dt.date | None) -> int | None:
        if day is None:
            return None
        n = bisect.bisect_right(starts, day) - 1
        return n if n >= 0 and day <= found[n].end else None

    return find


def by_period(site: Site) -> list[Published]:
    """What each period that is over brought of the live records, first to last.

    One pass over the records puts each in its period (in the order the records come, so
    the sorts below break ties as a pass per period would)."""
    config = site.config
    found = periods(config.campaign.start, config.campaign.end, site.as_of, config.bulletin.period)
    find = _finder(found)
    articles: list[list[Article]] = [[] for _ in found]
    meetings: list[list[tuple[Meeting, Satisfaction | None]]] = [[] for _ in found]
    commitments: list[list[Commitment]] = [[] for _ in found]
    rules: list[list[Rule]] = [[] for _ in found]
    for a in (a for rs in site.columns.values() for a in rs):
        if (n := find(a.date)) is not None:
            articles[n].append(a)
    for m in site.meetings:
        if (n := find(m.date)) is not None:
            meetings[n].append((m, site.satisfaction.get(m.id)))
    for c in site.content.commitments:
        if not c.withdrawn and (n := find(c.published)) is not None:
            commitments[n].append(c)
    for r in site.rules:
        if (n := find(r.adopted)) is not None:
            rules[n].append(r)
    return [Published(period, Records(sorted(articles[n], key=lambda a: (a.date, a.id))),
                      sorted(meetings[n], key=lambda mr: (mr[0].date, mr[0].id)),
                      sorted(commitments[n], key=lambda c: (c.published, c.id)),
                      sorted(rules[n], key=lambda r: (r.adopted, r.id)),
                      sum(1 for a in articles[n] if a.kind == "news"))
            for n, period in enumerate(found)]


def gather(site: Site, listed_on: dict[tuple[str, str], dt.date]) -> list[Bulletin]:
    """Each period's bulletin: what it brought of the content (`site.published`), and the
    ledger's movements."""
    books = [Bulletin(p.period, p.articles, p.meetings, p.commitments, p.rules, news_count=p.news_count,
                      document_count=len(p.articles) - p.news_count) for p in site.published]
    find = _finder([b.period for b in books])

    def put(day: dt.date | None) -> Bulletin | None:
        n = find(day)
        return books[n] if n is not None else None

    live = [s for s in site.rect.states if not s.withdrawn]
    for s in live:
        item, facts = s.item, ItemFacts.of(s.item)
        if (b := put(listed_on.get((item.unit, item.id)))) is not None:
            b.listed.append(facts)
        if (b := put(item.completed)) is not None:
            b.done.append(Completed(facts, item.completed))  # type: ignore[arg-type]  # a day: in a period
        if isinstance(item.deadline, dt.date) and (b := put(item.deadline)) is not None:
            b.due.append(_due(facts, item.completed, b.period.end))
        for p in item.progress:
            if (b := put(p.date)) is not None:
                b.progress.append((facts, Step(p.date, p.text)))
    completed = sorted(s.item.completed for s in live if s.item.completed is not None)
    for b in books:
        b.done.sort(key=lambda d: (d.completed, d.item.unit))
        b.progress.sort(key=lambda fp: (fp[1].date, fp[0].unit, fp[0].id))
        b.done_by_end = bisect.bisect_right(completed, b.period.end)
    return books


def _facts(b: Bulletin) -> list[str]:
    """The bulletin's counts, as short phrases; nothing said of what did not happen."""
    facts = []
    if b.articles:
        published = [f"新闻{b.news_count}篇" if b.news_count else "",
                     f"文件{b.document_count}件" if b.document_count else ""]
        facts.append("发布" + "、".join(p for p in published if p))
    if b.meetings:
        evaluated = f"，其中{len(b.evaluations)}场开展群众评议" if b.evaluations else ""
        redo = sum(1 for s in b.evaluations if s.under_two_thirds)
        facts.append(f"召开会议{len(b.meetings)}场{evaluated}" + (f"，{redo}场满意率低于三分之二须返工补课" if redo else ""))
    counts = ((len(b.commitments), "公开承诺{}份"), (len(b.listed), "新列入整改事项{}项"),
              (len(b.done), "完成整改{}项"), (len(b.missed), "到期未完成{}项"), (len(b.rules), "出台制度{}项"),
              (b.done_by_end, "累计完成整改{}项"))
    return facts + [phrase.format(n) for n, phrase in counts if n]


def sms_text(b: Bulletin, name: str, url: str, limit: int, unit_names: dict[str, str]) -> str:
    """The bulletin in at most `limit` characters: the counts, the link if it fits, then as
    many completed items as fit. Nothing is cut mid-way unless the counts alone are too long."""
    facts = _facts(b)
    head = f"【{name}第{b.number}期】{b.period.label}："
    body = "；".join(facts) + "。" if facts else "本期没有新发布的内容和整改进展。"
    tail = f"详见{url}"
    if len(head) + len(body) + len(tail) > limit:
        tail = ""  # the counts matter more than the link
    if len(head) + len(body) > limit:
        room = max(limit - len(head) - 1, 0)
        return (head + body[:room] + "…")[:limit]
    for d in b.done:
        extra = f"完成：{unit_names.get(d.item.unit, '')}“{d.item.problem.rstrip('。')}”。"
        if len(head) + len(body) + len(extra) + len(tail) <= limit:
            body += extra
    return head + body + tail


def bulletins(site: Site) -> list[Bulletin]:
    """Every bulletin so far, newest first."""
    config = site.config
    listed_on = listing_dates(site)
    name = bulletin_name(site)
    units = {u.id: u.name for u in site.units.values()}
    found = gather(site, listed_on)
    for b in found:
        url = config.base_url.rstrip("/") + "/" + urls.bulletin(b.number)
        b.sms = sms_text(b, name, url, config.bulletin.sms_length, units)
    return found[::-1]


def bulletin_name(site: Site) -> str:
    return site.config.bulletin.name or f"{site.config.title}简报"



def sms_files(site: Site) -> list[tuple[str, bytes]]:
    """(path, text) of each bulletin's plain-text version."""
    return [(urls.bulletin_text(b.number), (b.sms + "\n").encode("utf-8")) for b in site.bulletins]
