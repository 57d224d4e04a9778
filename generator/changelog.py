"""The change log (更正与变更记录): every change to a published record, newest first.

Three sources, each a fact anyone can check:

- the git history (history.py): a ledger item's deadline, status, owner, leader, measures or
  wording changed; a commitment item's deadline, status or text; a news item, document or
  meeting notice edited after publication (its title, or its text); dated by the commit;
- withdrawals written in the content (`withdrawn: {date, reason}`), with or without git;
- corrections an editor dated (`updated` on news and documents), unless git shows an edit
  of the record that same day: that edit is the correction, listed once.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from . import urls
from .history import KIND_LABELS, Change, Key
from .model import Withdrawn

if TYPE_CHECKING:
    from .site import Site


@dataclass(frozen=True)
class Record:
    """What a change log entry links to."""

    what: str  # 整改事项, 文件, …
    title: str
    unit: str  # the unit's name, or ""
    path: str | None  # its page; None when the record is no longer in the content
    anchor: str = ""  # the record's id inside a page of several (commitment items)


@dataclass(frozen=True)
class LogEntry:
    date: dt.date
    kind: str  # "change" | "withdrawn" | "corrected"
    record: Record
    field: str  # of a change: history's field name (deadline, status, title, text, …)
    label: str  # what changed: 时限, 状态, 标题, 正文, … ; 撤销 ; 更正
    old: str = ""
    new: str = ""
    reason: str = ""  # why it was withdrawn
    later: bool = False  # a deadline moved later
    commit: str = ""

    @property
    def text(self) -> str:
        """The change in one sentence, for the page and the feed."""
        if self.kind == "withdrawn":
            return f"撤销。撤销原因：{self.reason}"
        if self.kind == "corrected":
            return "内容更正（更正日期由编辑注明）"
        if self.field == "text":
            return "正文有修改"
        moved = "（时限推迟）" if self.later else ""
        return f"{self.label}由“{self.old or '—'}”改为“{self.new or '—'}”{moved}"

    @property
    def fragment(self) -> str:
        """A stable id for the entry inside its record's page: feed GUIDs use it."""
        own = {"withdrawn": "withdrawn", "corrected": f"corrected-{self.date.isoformat()}"}.get(
            self.kind, f"change-{self.commit[:12]}-{self.field}")
        return f"{self.record.anchor}-{own}" if self.record.anchor else own


def _records(site: Site, keys: set[Key]) -> dict[Key, Record]:
    """The current record each of `keys` (history keys) is about, where there is one: made
    for those alone, not for every record of the site (15,000 articles: 30 ms a build)."""
    found: dict[Key, Record] = {}
    for s in site.rect.states:
        item = s.item
        if (item_key := ("item", item.unit, item.id)) in keys:
            found[item_key] = Record(KIND_LABELS["item"], item.problem, site.units[item.unit].name,
                                     urls.item(item.unit, item.id))
    for c in site.content.commitments:
        unit = site.units.get(c.unit or "")
        name = unit.name if unit else ""
        if ("commitment", c.id) in keys:
            found[("commitment", c.id)] = Record(KIND_LABELS["commitment"], c.title or "公开承诺", name,
                                                 urls.commitment(c))
        for i in c.items:
            if (item_key := ("commitment-item", c.id, i.id)) in keys:
                found[item_key] = Record(KIND_LABELS["commitment-item"], i.text, name, urls.commitment(c), anchor=i.id)
    for key in keys:
        if len(key) == 2 and key[0] in ("news", "document"):
            a = site.articles.get(key[1]) if key[0] == "news" else site.documents.get(key[1])
            if a is not None and a.kind == key[0]:
                unit = site.units.get(a.unit or "")
                found[key] = Record(KIND_LABELS[a.kind], a.title, unit.name if unit else "", urls.article(a))
    for m in site.content.meetings:
        if ("meeting", m.id) in keys:
            found[("meeting", m.id)] = Record(KIND_LABELS["meeting"], m.title, site.units[m.unit].name,
                                              urls.meeting(m))
    return found


def _withdrawals(site: Site) -> list[tuple[Key, Withdrawn]]:
    c = site.content
    found: list[tuple[Key, Withdrawn | None]] = [((a.kind, a.id), a.withdrawn) for a in (*c.articles, *c.documents)]
    found += [(("meeting", m.id), m.withdrawn) for m in c.meetings]
    found += [(("item", s.item.unit, s.item.id), s.item.withdrawn) for s in site.rect.states]
    for commitment in c.commitments:
        found.append((("commitment", commitment.id), commitment.withdrawn))
        found += [(("commitment-item", commitment.id, i.id), i.withdrawn) for i in commitment.items]
    return [(key, w) for key, w in found if w is not None]


def change_log(site: Site) -> list[LogEntry]:
    """Every entry, newest first (same day: by record, then what changed)."""
    history: list[Change] = site.history.all_changes() if site.history.available else []
    edited = {(c.key, c.date) for c in history}
    corrected = [(a, day) for a in (*site.articles.values(), *site.documents.values())
                 if (day := a.updated) and ((a.kind, a.id), day) not in edited]
    withdrawals = _withdrawals(site)
    records = _records(site, {c.key for c in history} | {(a.kind, a.id) for a, _ in corrected}
                       | {key for key, _ in withdrawals})

    def record(key: Key) -> Record:
        return records.get(key) or Record(KIND_LABELS[key[0]], "/".join(key[1:]), "", None)

    entries = [LogEntry(c.date, "change", record(c.key), c.field, c.label, c.old, c.new, later=c.later,
                        commit=c.commit) for c in history]
    entries += [LogEntry(day, "corrected", record((a.kind, a.id)), "corrected", "更正") for a, day in corrected]
    entries += [LogEntry(w.date, "withdrawn", record(key), "withdrawn", "撤销", reason=w.reason)
                for key, w in withdrawals]
    return sorted(entries, key=lambda e: (e.date, e.record.path or "", e.record.anchor, e.kind, e.label,
                                          e.commit), reverse=True)
