"""索引号: each document's disclosure index number, `前段码/后段码`.

前段码 is the organisation code (`org_code` in site_config.yml), 后段码 the year and a
five-digit serial: `00000001-1/2014-00003`. An editor may write a document's number
(`index_no`); otherwise it is generated, and once published it never changes:

- With git history, the documents of a year are numbered in the order of the commit that
  first published them (ties: the date and the id they had then). A document added later
  always gets a later serial; a document removed keeps its serial, which is never given to
  another. Documents not committed yet come after all committed ones.
- Without git history (no repository, or a shallow clone) the order is the documents'
  dates, then ids: stable as long as no document is added with an earlier date than one
  already published in the same year. The open data says which rule numbered them, and
  the build warns the editor (W003).

Every document takes its place in the sequence, also one whose number an editor wrote;
two documents with the same number are an error (E055).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from .errors import Problems
from .fields import parse_date
from .history import History
from .model import Document, SiteConfig

LATER = 1 << 62  # the place of a document that no commit has published yet


@dataclass(frozen=True)
class _Place:
    year: int
    order: int
    date: str
    id: str


def _places(documents: Iterable[Document], history: History) -> list[_Place]:
    """Every document the history has seen, and every current one, with its place in line."""
    places = {d.id: _Place(d.date.year, LATER, d.date.isoformat(), d.id) for d in documents}
    for (kind, *rest), debut in history.first.items():
        if kind != "document":
            continue
        doc_id = rest[0]
        then = parse_date(debut.record_date)
        current = places.get(doc_id)
        if isinstance(then, dt.date):
            places[doc_id] = _Place(then.year, debut.order, then.isoformat(), doc_id)
        elif current is not None:  # its first version had no readable date: today's date says the year
            places[doc_id] = _Place(current.year, debut.order, current.date, doc_id)
    return sorted(places.values(), key=lambda p: (p.year, p.order, p.date, p.id))


def index_numbers(documents: tuple[Document, ...], org_code: str, history: History) -> dict[str, str]:
    """document id → its 索引号; documents get no generated number without an org_code."""
    numbers = {d.id: d.index_no for d in documents if d.index_no}
    if not org_code:
        return numbers
    serial: dict[int, int] = {}
    for place in _places(documents, history):
        serial[place.year] = serial.get(place.year, 0) + 1
        numbers.setdefault(place.id, f"{org_code}/{place.year}-{serial[place.year]:05d}")
    current = {d.id for d in documents}
    return {doc_id: number for doc_id, number in numbers.items() if doc_id in current}


def check_index_numbers(documents: tuple[Document, ...], numbers: dict[str, str], problems: Problems) -> None:
    """Two documents with one number: reported at the one whose number an editor wrote."""
    holders: dict[str, Document] = {}
    for d in sorted(documents, key=lambda d: (bool(d.index_no), d.origin.file)):
        number = numbers.get(d.id)
        if not number:
            continue
        other = holders.setdefault(number, d)
        if other is not d:
            problems.add("E055", d.origin.key("index_no"), value=number, other=other.origin.file)


def warn_dated_numbers(documents: tuple[Document, ...], config: SiteConfig, history: History,
                       problems: Problems) -> None:
    """W003: numbers generated without git history follow the documents' dates, so a document
    added later with an earlier date would shift the numbers after it."""
    generated = sum(1 for d in documents if not d.index_no)
    if config.org_code and generated and not history.available:
        problems.warn("W003", config.origin.key("org_code"), reason=history.reason, count=generated)
