"""Fingerprints and signatures (generator/incremental.py): the quick pickler gives the bytes of
the thorough one, and a shared part of the site counts in a signature by what it holds."""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass, field
from typing import Any

from generator.incremental import Fingerprints, Signatures, _Pickler
from generator.plan import STATUS_FILTERS, Output


@dataclass(frozen=True)
class Record:
    id: str
    date: dt.date


@dataclass
class FakeSite:
    config: Record
    as_of: dt.date
    states: dict[str, list[Record]] = field(default_factory=dict)


def _thorough(value: Any, fp: Fingerprints) -> bytes:
    buffer = io.BytesIO()
    _Pickler(buffer, fp.known).dump(value)
    return buffer.getvalue()


def test_the_quick_pickler_writes_what_the_thorough_one_writes() -> None:
    known, other = Record("a", dt.date(2014, 9, 20)), Record("b", dt.date(2014, 9, 21))
    fp = Fingerprints({id(known): (known, b"k" * 16)})
    value = ([known, other, known], {"x": (other, dt.date(2014, 1, 2))}, "字")
    assert fp.pickle(value) == _thorough(value, fp)
    assert b"k" * 16 in fp.pickle(value) and b"generator.incremental" in fp.pickle(value)
    assert fp.pickle([other]) != fp.pickle([known])


def test_a_ledger_filter_lambda_is_pickled_by_name_and_defaults() -> None:
    fp = Fingerprints()
    tests = [(test, label) for _, label, test in STATUS_FILTERS]
    assert fp.pickle(tests) == _thorough(tests, fp)
    category = [lambda s, c="作风建设": c, lambda s, c="其他": c]
    assert fp.pickle(category[:1]) != fp.pickle(category[1:])


def _signature(states: dict[str, list[Record]]) -> bytes:
    site = FakeSite(Record("config", dt.date(2014, 1, 1)), dt.date(2014, 9, 20), states)
    signatures = Signatures("code", site, {}, {})
    page = Output("units/x/", "unit.html", "x", context={"states": site.states})
    return signatures.of(site.states) + signatures.snapshot(page)


def test_a_shared_dict_of_the_site_counts_by_what_it_holds() -> None:
    one = {"c1": [Record("i1", dt.date(2014, 9, 1))]}
    same = {"c1": [Record("i1", dt.date(2014, 9, 1))]}
    changed = {"c1": [Record("i1", dt.date(2014, 9, 2))]}
    assert _signature(one) == _signature(same)
    assert _signature(one) != _signature(changed)
    assert b"i1" not in _signature(one)[16:]  # the page's pickle holds the dict's fingerprint, not the dict
