"""The computed site: records, their rendered bodies and every index the pages need.

Built once per build from validated content; the plan and the templates only read it.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass, field
from typing import Any, ClassVar

from . import compute, urls
from .bodies import Body
from .bulletins import Bulletin, Published, bulletins, by_period
from .changelog import LogEntry, change_log
from .compute import (
    CommitmentState,
    CommitmentTally,
    ItemState,
    PhaseState,
    Rectification,
    Satisfaction,
)
from .history import Change, History
from .indexno import index_numbers
from .model import (
    Article,
    Column,
    Commitment,
    Content,
    Document,
    Meeting,
    Opinion,
    Page,
    Rule,
    SiteConfig,
    Unit,
)


@dataclass
class UnitIndex:
    """What one unit published: the unit page gathers these."""

    articles: list[Article] = field(default_factory=list)
    commitments: list[Commitment] = field(default_factory=list)
    meetings: list[Meeting] = field(default_factory=list)
    rules: list[Rule] = field(default_factory=list)
    children: list[Unit] = field(default_factory=list)


HEADLINES, PHOTOS = 6, 5  # on the home page: in the list and in each column's box; pictures


@dataclass
class Front:
    """What the home page shows of the news and documents: the newest, the newest with
    pictures, the newest of each column. A part of the site of its own, so that the home
    page reads these few records and not every one: an edit of an older record does not
    plan it again (families.py)."""

    headlines: list[Article]
    photos: list[Article]
    boxes: list[tuple[Column, list[Article]]]


def front(latest: list[Article], columns: dict[str, list[Article]], config: SiteConfig) -> Front:
    """`latest`: every live record, newest first; `columns`: each column's, newest first."""
    return Front(latest[:HEADLINES], [r for r in latest if r.images][:PHOTOS],
                 [(c, columns[c.id][:HEADLINES]) for c in config.columns])


@dataclass
class Site:
    config: SiteConfig
    as_of: dt.date
    content: Content
    html: dict[tuple[str, str], Body | str]  # (kind, id) → sanitised body HTML (see bodies.py)
    units: dict[str, Unit]
    unit_index: dict[str, UnitIndex]
    columns: dict[str, list[Article]]  # column id → live records, newest first
    front: Front  # the home page's part of them
    articles: dict[str, Article]  # news by id (including withdrawn)
    documents: dict[str, Document]
    phases: list[PhaseState]
    rect: Rectification
    commitment_states: dict[str, list[CommitmentState]]
    commitment_tally: CommitmentTally
    commitment_by_unit: dict[str, CommitmentTally]
    commitment_by_leader: dict[str, CommitmentTally]
    meetings: list[Meeting]  # newest first, live
    satisfaction: dict[str, Satisfaction]  # meeting id → result
    opinion_total: Opinion | None
    opinion_units: list[Opinion]
    rules: list[Rule]
    pages: list[Page]
    history: History = field(default_factory=lambda: History(False, "未读取"))
    # whether the history could be read, and why not, without the changes: what the pages
    # of items and commitments show of it (besides their own changes), so that a new commit
    # does not make every one of them again
    history_status: History = field(default_factory=lambda: History(False, "未读取"))
    commitment_changes: dict[str, dict[str, list[Change]]] = field(default_factory=dict)  # id → item → changes
    deadline_moved: list[ItemState] = field(default_factory=list)  # live items whose deadline moved later
    withdrawn: list[Article | Meeting | Commitment] = field(default_factory=list)
    assets: list[str] = field(default_factory=list)  # site-relative images used by content
    index_numbers: dict[str, str] = field(default_factory=dict)  # document id → 索引号
    changelog: list[LogEntry] = field(default_factory=list)  # 更正与变更记录, newest first
    bulletins: list[Bulletin] = field(default_factory=list)  # 简报, newest first
    published: list[Published] = field(default_factory=list)  # what each period brought but the ledgers' part
    asset_sizes: dict[str, int] = field(default_factory=dict)  # asset → size in bytes (feed enclosures)
    hrefs: dict[tuple[str, str], list[str]] = field(default_factory=dict)  # (kind, id) → the links in its body
    # for a site worked out from a kept one (`with_ledgers`): the attributes that may differ
    # from those of the last build, as families.Reads names them; None: any. Not a field: not
    # part of what the pages are made from.
    changed: ClassVar[frozenset[str] | None] = None

    @property
    def newest(self) -> dt.date:
        """The newest date in the content: what a page without a date of its own last changed."""
        c = self.content
        dates = [r.updated or r.date for r in (*c.articles, *c.documents)]
        dates += [m.updated or m.date for m in c.meetings] + [x.published for x in c.commitments]
        dates += [d for s in self.rect.states for d in [s.last_update] if d]
        return max([d for d in dates if d <= self.as_of] or [self.config.campaign.start])

    @property
    def current_phase(self) -> PhaseState | None:
        return next((p for p in self.phases if p.when == "current"), None)

    def body(self, kind: str, record_id: str) -> Body | str:
        """A record's body HTML: `str()` of it is the text; a template writes `{{ body|safe }}`."""
        return self.html.get((kind, record_id), "")


def _newest(records):  # type: ignore[no-untyped-def]
    return sorted(records, key=lambda r: (r.date, r.id), reverse=True)


def _leader_key(c: Commitment) -> str | None:
    return None if isinstance(c.by, str) else f"{c.by.name}（{c.by.post}）" if c.by.post else c.by.name


def build_site(content: Content, html: dict[tuple[str, str], Body | str], as_of: dt.date,
               history: History | None = None) -> Site:
    units = {u.id: u for u in content.units}
    index = {u.id: UnitIndex() for u in content.units}
    for u in content.units:
        if u.parent in index:
            index[u.parent].children.append(u)

    live_articles = [a for a in (*content.articles, *content.documents) if not a.withdrawn]
    columns = {c.id: [] for c in content.config.columns}  # type: dict[str, list[Article]]
    latest = _newest(live_articles)
    for record in latest:
        columns[record.column].append(record)
        if record.unit:
            index[record.unit].articles.append(record)

    rect = _rectification(content, units, as_of)

    states: dict[str, list[CommitmentState]] = {}
    overall, by_unit, by_leader = CommitmentTally(), {}, {}  # type: ignore[var-annotated]
    for c in sorted(content.commitments, key=lambda c: (c.published, c.id)):
        states[c.id] = [compute.commitment_state(item, c, as_of) for item in c.items]
        unit_id = c.unit
        if unit_id and not c.withdrawn:
            index[unit_id].commitments.append(c)
        leader = _leader_key(c)
        for state in states[c.id]:
            overall.add(state)
            if leader:
                by_leader.setdefault(leader, CommitmentTally()).add(state)
            elif unit_id:
                by_unit.setdefault(unit_id, CommitmentTally()).add(state)

    meetings = _newest(m for m in content.meetings if not m.withdrawn)
    for m in meetings:
        index[m.unit].meetings.append(m)
    satisfaction = {m.id: s for m in content.meetings if (s := compute.evaluate(m.evaluation))}

    rules = sorted(content.rules, key=lambda r: (r.adopted, r.id), reverse=True)
    for r in rules:
        index[r.unit].rules.append(r)

    total = next((o for o in content.opinions if o.unit == "all"), None)
    read = history or History(False, "未读取")
    withdrawn = [r for r in (*content.articles, *content.documents, *content.meetings, *content.commitments)
                 if r.withdrawn]
    site = Site(
        config=content.config, as_of=as_of, content=content, html=html, units=units,
        unit_index=index, columns=columns, front=front(latest, columns, content.config),
        articles={a.id: a for a in content.articles},
        documents={d.id: d for d in content.documents},
        phases=compute.phase_states(content.config.phases, as_of),
        rect=rect, commitment_states=states, commitment_tally=overall,
        commitment_by_unit=by_unit, commitment_by_leader=by_leader,
        meetings=meetings, satisfaction=satisfaction,
        opinion_total=total, opinion_units=[o for o in content.opinions if o.unit != "all"],
        rules=rules, pages=sorted(content.pages, key=lambda p: (p.order, p.id)),
        withdrawn=withdrawn, deadline_moved=_deadline_moved(rect, read), **_from_history(content, read),
    )
    site.changelog = change_log(site)
    site.published = by_period(site)
    site.bulletins = bulletins(site)
    return site


def _rectification(content: Content, units: dict[str, Unit], as_of: dt.date) -> Rectification:
    order = {unit_id: n for n, unit_id in enumerate(units)}
    ledgers = sorted(content.ledgers, key=lambda ledger: order[ledger.unit])
    return compute.rectification({ledger.unit: ledger.items for ledger in ledgers}, units, as_of)


def _deadline_moved(rect: Rectification, history: History) -> list[ItemState]:
    return [s for s in rect.states if not s.withdrawn
            and any(c.later for c in history.of("item", s.item.unit, s.item.id))]


def _from_history(content: Content, history: History) -> dict[str, Any]:
    """The parts of the site the git history gives (but the items whose deadline moved)."""
    return {"history": history, "history_status": History(history.available, history.reason),
            "commitment_changes": {c.id: {i.id: history.of("commitment-item", c.id, i.id) for i in c.items}
                                   for c in content.commitments},
            "index_numbers": index_numbers(content.documents, content.config.org_code, history)}


def with_ledgers(site: Site, content: Content, history: History) -> Site:
    """`site` with the ledgers of `content` (the site's content but for them) and the git
    `history` as it is now (new commits of the ledgers, or their uncommitted changes): what
    is worked out from those is worked out again, the rest is the site's."""
    rect = _rectification(content, site.units, site.as_of)
    renewed = _from_history(content, history) if history != site.history else {}
    fresh = dataclasses.replace(site, content=content, rect=rect, **renewed)
    fresh.deadline_moved = _deadline_moved(rect, fresh.history)
    fresh.changelog = change_log(fresh)
    fresh.bulletins = bulletins(fresh)
    replaced = [f.name for f in dataclasses.fields(site) if getattr(site, f.name) is not getattr(fresh, f.name)]
    replaced += [f"content.{f.name}" for f in dataclasses.fields(content)
                 if getattr(site.content, f.name) is not getattr(content, f.name)]
    properties = [name for name, value in vars(Site).items() if isinstance(value, property)]  # they read anything
    fresh.changed = frozenset(replaced + properties)  # type: ignore[misc]  # on the instance: a ClassVar is no field
    return fresh


__all__ = ["Front", "Site", "UnitIndex", "build_site", "urls", "with_ledgers"]
