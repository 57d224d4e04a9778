"""Compute stage: everything derived from the records as of one date.

Plain functions of (records, as_of): the same inputs always give the same numbers, and
templates receive finished values (labels, counts, percentages), never do arithmetic.
"""

from __future__ import annotations

import datetime as dt
import os
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from .model import (
    CATEGORIES,
    Commitment,
    CommitmentItem,
    Evaluation,
    LedgerItem,
    Phase,
    Progress,
    Unit,
)

CHINA = dt.timezone(dt.timedelta(hours=8), "CST")
DUE_SOON_DAYS = 7

ITEM_LABELS = {"done": "已完成", "overdue": "逾期", "due_soon": "即将到期",
               "in_progress": "整改中", "not_started": "未启动"}
COMMITMENT_LABELS = {"kept": "已兑现", "overdue": "逾期未兑现", "in_progress": "兑现中",
                     "pending": "未兑现"}


def default_as_of(configured: dt.date | None, environ: dict[str, str] | None = None) -> dt.date:
    """The site's "as of" date: configured, else SOURCE_DATE_EPOCH, else today (China time)."""
    if configured:
        return configured
    env = os.environ if environ is None else environ
    epoch = env.get("SOURCE_DATE_EPOCH", "").strip()
    moment = dt.datetime.fromtimestamp(int(epoch), CHINA) if epoch.isdigit() else dt.datetime.now(CHINA)
    return moment.date()


def percent(part: int, whole: int) -> str:
    """'62.5%' with one decimal, '0%' / '100%' without; '—' when there is nothing to count."""
    if whole == 0:
        return "—"
    value = round(part * 100 / whole, 1)
    return f"{value:g}%"


# ---- rectification items --------------------------------------------------------------


@dataclass(frozen=True)
class ItemState:
    item: LedgerItem
    number: int  # 序号 in its unit's ledger
    state: str  # a key of ITEM_LABELS
    deadline_kind: str  # date | immediate | ongoing
    overdue_days: int = 0
    days_left: int | None = None
    late_days: int = 0  # completed after the deadline by this many days
    satisfaction: Satisfaction | None = None

    @property
    def label(self) -> str:
        return ITEM_LABELS[self.state]

    @property
    def latest(self) -> Progress | None:
        return self.item.progress[-1] if self.item.progress else None

    @property
    def last_update(self) -> dt.date | None:
        dates = [p.date for p in self.item.progress]
        if self.item.completed:
            dates.append(self.item.completed)
        return max(dates) if dates else None

    @property
    def withdrawn(self) -> bool:
        return self.item.withdrawn is not None


def item_state(item: LedgerItem, number: int, as_of: dt.date) -> ItemState:
    deadline = item.deadline
    kind = "date" if isinstance(deadline, dt.date) else ("immediate" if deadline == "立行立改" else "ongoing")
    satisfaction = evaluate(item.evaluation)
    if item.status == "已完成":
        late = (item.completed - deadline).days if kind == "date" and item.completed else 0
        return ItemState(item, number, "done", kind, late_days=max(late, 0), satisfaction=satisfaction)
    base = "in_progress" if item.status == "整改中" else "not_started"
    if isinstance(deadline, dt.date):
        left = (deadline - as_of).days
        if left < 0:
            return ItemState(item, number, "overdue", kind, overdue_days=-left, days_left=left,
                             satisfaction=satisfaction)
        state = "due_soon" if left <= DUE_SOON_DAYS else base
        return ItemState(item, number, state, kind, days_left=left, satisfaction=satisfaction)
    return ItemState(item, number, base, kind, satisfaction=satisfaction)


@dataclass
class Tally:
    """Counts of live (not withdrawn) items; overdue and due_soon overlap the statuses."""

    total: int = 0
    done: int = 0
    in_progress: int = 0
    not_started: int = 0
    overdue: int = 0
    due_soon: int = 0
    withdrawn: int = 0

    def add(self, state: ItemState) -> None:
        if state.withdrawn:
            self.withdrawn += 1
            return
        self.total += 1
        status = state.item.status
        if status == "已完成":
            self.done += 1
        elif status == "整改中":
            self.in_progress += 1
        else:
            self.not_started += 1
        self.overdue += state.state == "overdue"
        self.due_soon += state.state == "due_soon"

    @property
    def rate(self) -> str:
        return percent(self.done, self.total)


def tally(states: Iterable[ItemState]) -> Tally:
    result = Tally()
    for state in states:
        result.add(state)
    return result


def tally_by(states: Iterable[ItemState], key, order: Iterable[str] = ()) -> dict[str, Tally]:  # type: ignore[no-untyped-def]
    groups: dict[str, Tally] = {name: Tally() for name in order}
    for state in states:
        groups.setdefault(key(state), Tally()).add(state)
    return groups


# ---- evaluations ---------------------------------------------------------------------


@dataclass(frozen=True)
class Satisfaction:
    evaluation: Evaluation
    percent: str
    under_two_thirds: bool  # 返工补课

    @property
    def approving(self) -> int:
        return self.evaluation.satisfied + self.evaluation.basically_satisfied


def evaluate(ev: Evaluation | None) -> Satisfaction | None:
    """Satisfaction = (满意 + 基本满意) / participants; below 2/3 the unit must redo the work."""
    if ev is None or ev.participants == 0:
        return None
    approving = ev.satisfied + ev.basically_satisfied
    return Satisfaction(ev, percent(approving, ev.participants), 3 * approving < 2 * ev.participants)


# ---- commitments -----------------------------------------------------------------------


@dataclass(frozen=True)
class CommitmentState:
    item: CommitmentItem
    commitment: Commitment
    state: str  # a key of COMMITMENT_LABELS
    overdue_days: int = 0

    @property
    def label(self) -> str:
        return COMMITMENT_LABELS[self.state]


def commitment_state(item: CommitmentItem, commitment: Commitment, as_of: dt.date) -> CommitmentState:
    if item.status == "已兑现":
        return CommitmentState(item, commitment, "kept")
    if isinstance(item.deadline, dt.date) and item.deadline < as_of:
        return CommitmentState(item, commitment, "overdue", (as_of - item.deadline).days)
    return CommitmentState(item, commitment, "in_progress" if item.status == "兑现中" else "pending")


@dataclass
class CommitmentTally:
    total: int = 0
    kept: int = 0
    in_progress: int = 0
    pending: int = 0
    overdue: int = 0
    withdrawn: int = 0

    def add(self, state: CommitmentState) -> None:
        if state.item.withdrawn or state.commitment.withdrawn:
            self.withdrawn += 1
            return
        self.total += 1
        setattr(self, state.state, getattr(self, state.state) + 1)

    @property
    def rate(self) -> str:
        return percent(self.kept, self.total)


# ---- campaign timeline -----------------------------------------------------------------


@dataclass(frozen=True)
class PhaseState:
    phase: Phase
    number: int
    when: str  # past | current | future


def phase_states(phases: Iterable[Phase], as_of: dt.date) -> list[PhaseState]:
    result = []
    for number, phase in enumerate(phases, start=1):
        when = "past" if phase.end < as_of else ("future" if phase.start > as_of else "current")
        result.append(PhaseState(phase, number, when))
    return result


# ---- indexes ----------------------------------------------------------------------------


@dataclass
class Rectification:
    """All ledgers as of one date, with the figures the dashboard shows."""

    states: list[ItemState]
    by_unit: dict[str, list[ItemState]]
    overall: Tally
    unit_tallies: dict[str, Tally]
    kind_tallies: dict[str, Tally]
    category_tallies: dict[str, Tally]
    overdue: list[ItemState] = field(default_factory=list)
    due_soon: list[ItemState] = field(default_factory=list)
    recent: list[ItemState] = field(default_factory=list)


def rectification(ledgers_items: dict[str, tuple[LedgerItem, ...]], units: dict[str, Unit],
                  as_of: dt.date, recent_count: int = 20) -> Rectification:
    by_unit = {unit_id: [item_state(item, n, as_of) for n, item in enumerate(items, start=1)]
               for unit_id, items in ledgers_items.items()}
    states = [s for unit_states in by_unit.values() for s in unit_states]
    live = [s for s in states if not s.withdrawn]
    kinds: list[str] = []
    for unit_id in by_unit:
        if units[unit_id].kind not in kinds:
            kinds.append(units[unit_id].kind)
    return Rectification(
        states=states,
        by_unit=by_unit,
        overall=tally(states),
        unit_tallies={unit_id: tally(s) for unit_id, s in by_unit.items()},
        kind_tallies=tally_by(states, lambda s: units[s.item.unit].kind, kinds),
        category_tallies=tally_by(states, lambda s: s.item.category, CATEGORIES),
        overdue=sorted((s for s in live if s.state == "overdue"),
                       key=lambda s: (-s.overdue_days, s.item.unit, s.number)),
        due_soon=sorted((s for s in live if s.state == "due_soon"),
                        key=lambda s: (s.days_left or 0, s.item.unit, s.number)),
        recent=sorted((s for s in live if s.last_update),
                      key=lambda s: (s.last_update, s.item.unit, s.item.id), reverse=True)[:recent_count],
    )


def group_by(records: Iterable, key) -> dict:  # type: ignore[no-untyped-def,type-arg]
    groups: dict = defaultdict(list)  # type: ignore[type-arg]
    for record in records:
        groups[key(record)].append(record)
    return dict(groups)
