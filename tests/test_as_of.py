"""数据截至: every page that shows computed states says the date they were computed for,
and so does the open data."""

from __future__ import annotations

import csv
import json
from pathlib import Path

STAMP = '<span class="as-of-stamp" data-pagefind-ignore>数据截至 <time datetime="2014-07-15">2014年7月15日</time></span>'
COMPUTED = ("", "rectification/", "rectification/edu/", "rectification/edu/r02/",
            "rectification/edu/status/overdue/", "units/edu/", "commitments/", "commitments/edu-2014/",
            "data/")


def test_every_page_with_computed_states_has_the_stamp(built_small: Path) -> None:
    for path in COMPUTED:
        page = (built_small / path / "index.html").read_text(encoding="utf-8")
        assert page.count(STAMP) == 1, path
    for path in ("news/2014-07-01-first/", "meetings/", "units/street/"):
        page = (built_small / path / "index.html").read_text(encoding="utf-8")
        assert STAMP not in page, path  # nothing computed as of a date there (the footer says it)


def test_the_open_data_says_it_too(built_small: Path) -> None:
    for name in ("rectification/all", "rectification/edu", "commitments"):
        document = json.loads((built_small / f"data/{name}.json").read_text(encoding="utf-8"))
        assert document["as_of"] == "2014-07-15"
        assert {r["as_of"] for r in document["records"]} == {"2014-07-15"}
        with (built_small / f"data/{name}.csv").open(encoding="utf-8-sig", newline="") as f:
            assert {row["数据截至"] for row in csv.DictReader(f)} == {"2014-07-15"}
