"""Validate stage: rules that span records (references, duplicates, dates that must agree).

Field-level checks (types, vocabularies, required and unknown fields) happened while
loading; here every record is already typed and carries its file and line.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from pathlib import Path

from .errors import Problems, Source
from .model import Content, Evaluation, Unit


def _suggest(value: str, units: dict[str, Unit]) -> str:
    by_name = {u.name: u.id for u in units.values()}
    if value in by_name:
        return f"单位要写标识而不是名称：改为 {by_name[value]}"
    close = difflib.get_close_matches(value, list(units) + list(by_name), n=1, cutoff=0.5)
    if close:
        unit_id = by_name.get(close[0], close[0])
        return f"是不是 {unit_id}（{units[unit_id].name}）？单位标识见 content/units.yml"
    return "单位标识见 content/units.yml；新单位请先在那里添加"


class Validator:
    def __init__(self, content: Content, root: Path, problems: Problems):
        self.content = content
        self.root = root
        self.problems = problems
        self.units = {u.id: u for u in content.units}
        self.documents = {d.id for d in content.documents}

    def unit_ref(self, value: str | None, where: Source) -> None:
        if value is not None and value not in self.units:
            self.problems.add("E040", where, value=value, suggestion=_suggest(value, self.units))

    def unique(self, records: Iterable[tuple[str, Source]]) -> None:
        seen: dict[str, Source] = {}
        for key, where in records:
            if key in seen:
                self.problems.add("E043", where, value=key, other=seen[key])
            else:
                seen[key] = where

    def evaluation(self, ev: Evaluation | None, where: Source) -> None:
        if ev is None:
            return
        total = ev.satisfied + ev.basically_satisfied + ev.dissatisfied
        if total != ev.participants:
            self.problems.add("E047", ev.origin if ev.origin.file else where, satisfied=ev.satisfied, basic=ev.basically_satisfied,
                              dis=ev.dissatisfied, total=total, participants=ev.participants)

    def date_range(self, start_key: str, start: object, end_key: str, end: object, where: Source) -> None:
        if start > end:  # type: ignore[operator]
            self.problems.add("E048", where, start_key=start_key, start=start, end_key=end_key, end=end)

    def run(self) -> None:
        self.config()
        self.unit_tree()
        self.articles()
        self.ledgers()
        self.commitments()
        c = self.content
        self.unique((m.id, m.origin) for m in c.meetings)
        for m in c.meetings:
            self.unit_ref(m.unit, m.origin)
            self.evaluation(m.evaluation, m.origin)
        for o in c.opinions:
            if o.unit != "all":
                self.unit_ref(o.unit, o.origin)
        self.unique((o.unit, o.origin) for o in c.opinions)
        self.unique((r.id, r.origin) for r in c.rules)
        for r in c.rules:
            self.unit_ref(r.unit, r.origin)
            if r.document and r.document not in self.documents:
                self.problems.add("E042", r.origin, value=r.document, suggestion=self.doc_hint(r.document))
        self.unique((p.id, p.origin) for p in c.pages)

    def config(self) -> None:
        cfg = self.content.config
        self.date_range("campaign.start", cfg.campaign.start, "campaign.end", cfg.campaign.end, cfg.origin)
        for phase in cfg.phases:
            self.date_range("start", phase.start, "end", phase.end, cfg.origin)
        self.unique((col.id, cfg.origin) for col in cfg.columns)
        self.unique((g.id, cfg.origin) for g in cfg.supervision_groups)

    def unit_tree(self) -> None:
        units = self.content.units
        groups = {g.id for g in self.content.config.supervision_groups}
        self.unique((u.id, u.origin) for u in units)
        for unit in units:
            self.unit_ref(unit.parent, unit.origin)
            if unit.supervision_group and unit.supervision_group not in groups:
                self.problems.add("E049", unit.origin, value=unit.supervision_group,
                                  choices="、".join(sorted(groups)) or "（尚未定义）")
            seen, current = {unit.id}, unit.parent
            while current in self.units:
                if current in seen:
                    self.problems.add("E050", unit.origin, name=unit.name)
                    break
                seen.add(current)
                current = self.units[current].parent

    def doc_hint(self, value: str) -> str:
        close = difflib.get_close_matches(value, sorted(self.documents), n=1, cutoff=0.5)
        return (f"是不是 {close[0]}？" if close else "") + "文件标识是 content/documents/ 下的文件名（不含 .md）"

    def articles(self) -> None:
        c = self.content
        columns = {col.id for col in c.config.columns}
        for kind in (c.articles, c.documents):
            self.unique((a.id, a.origin) for a in kind)
        for a in (*c.articles, *c.documents):
            if a.column not in columns:
                self.problems.add("E041", a.origin, value=a.column, choices="、".join(sorted(columns)))
            self.unit_ref(a.unit, a.origin)
            folder = (self.root / a.origin.file).parent
            for image in a.images:
                if not (folder / image.src).is_file():
                    self.problems.add("E051", a.origin, src=image.src)
        for d in c.documents:
            if d.forwards and d.forwards not in self.documents:
                self.problems.add("E042", d.origin, value=d.forwards, suggestion=self.doc_hint(d.forwards))

    def ledgers(self) -> None:
        self.unique((ledger.unit, ledger.origin) for ledger in self.content.ledgers)
        for ledger in self.content.ledgers:
            self.unit_ref(ledger.unit, ledger.origin)
            self.unique((item.id, item.origin) for item in ledger.items)
            for item in ledger.items:
                if item.status == "已完成" and item.completed is None:
                    self.problems.add("E044", item.origin)
                if item.status != "已完成" and item.completed is not None:
                    self.problems.add("E045", item.origin)
                dates = [p.date for p in item.progress]
                if dates != sorted(dates):
                    self.problems.add("E052", item.origin)
                self.evaluation(item.evaluation, item.origin)

    def commitments(self) -> None:
        for commitment in self.content.commitments:
            self.unit_ref(commitment.unit, commitment.origin)
            self.unique((item.id, item.origin) for item in commitment.items)


def validate(content: Content, root: Path, problems: Problems) -> None:
    """Add every cross-record problem of the site to `problems`."""
    Validator(content, root, problems).run()
