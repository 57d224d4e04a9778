"""Fingerprints and signatures (generator/incremental.py): the quick pickler gives the bytes of
the thorough one, and a shared part of the site counts in a signature by what it holds."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
from dataclasses import dataclass, field
from typing import Any

from generator.incremental import Fingerprints, Records, Signatures, _Pickler
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
    _Pickler(buffer, fp.known, fp.reduce_records).dump(value)
    return buffer.getvalue()


def test_the_quick_pickler_writes_what_the_thorough_one_writes() -> None:
    known, other = Record("a", dt.date(2014, 9, 20)), Record("b", dt.date(2014, 9, 21))
    fp = Fingerprints({id(known): (known, b"k" * 16)})
    value = ([known, other, known], {"x": (other, dt.date(2014, 1, 2))}, "字")
    assert fp.pickle(value) == _thorough(value, fp)
    assert b"k" * 16 in fp.pickle(value) and b"generator.incremental" in fp.pickle(value)
    assert fp.pickle([other]) != fp.pickle([known])


def test_records_in_an_order_count_by_their_fingerprints_and_their_order() -> None:
    """A bulletin's articles (`Records`): the list of the records' fingerprints, the same
    from either pickler; an unknown record counts by what it holds."""
    a, b = Record("a", dt.date(2014, 9, 20)), Record("b", dt.date(2014, 9, 21))
    fp = Fingerprints({id(a): (a, b"a" * 16), id(b): (b, b"b" * 16)})
    value = [Records((a, b)), {"x": Records((b,))}]
    assert fp.pickle(value) == _thorough(value, fp)
    assert b"a" * 16 not in fp.pickle(value)  # one digest for the records, not one pickle each
    assert fp.of(Records((a, b))) != fp.of(Records((b, a))) != fp.of(Records((a,)))
    assert fp.of(Records((a, Record("c", dt.date(2014, 1, 1))))) != fp.of(Records((a, Record("c", dt.date(2014, 1, 2)))))
    assert fp.of(Records((a, Record("c", dt.date(2014, 1, 1))))) == fp.of(Records((a, Record("c", dt.date(2014, 1, 1)))))


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


def test_the_data_files_are_signed_without_the_slow_pickler(small_site, monkeypatch) -> None:
    """The open-data columns' getters are lambdas: fingerprinted once, they must not send the
    pickle of every data set down the slow pickler (at 20,000 pages that was 32 ms a build)."""
    from generator import incremental
    from generator.build import make_environment, prepare
    from generator.errors import Problems
    from generator.jobs import other_jobs
    from generator.opendata import data_sets

    site = prepare(small_site, Problems())
    sets = data_sets(site)
    signatures = Signatures("code", site, {}, {})
    jobs = other_jobs(make_environment(small_site, site.config.base_path), site, [], "", [], sets, signatures)
    slow: list[object] = []

    class Counted(_Pickler):
        def dump(self, obj: Any) -> None:
            slow.append(obj)
            super().dump(obj)

    monkeypatch.setattr(incremental, "_Pickler", Counted)
    data_jobs = [job for job in jobs if job.files[0].startswith("data/")]
    assert len(data_jobs) == len(sets) > 3
    signed = {job.signature() for job in data_jobs}
    assert slow == [] and len(signed) == len(sets)
    # the columns still count: a set with other columns signs differently
    other = dataclasses.replace(sets[0], columns=sets[0].columns[:-1])
    assert signatures.of(other) != signatures.of(sets[0])
