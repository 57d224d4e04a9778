"""The sitemap and the open data's JSON are written as text, for speed: the bytes must be
those of the library layout they replace (ElementTree's indent() and tostring(); json.dumps
with indent=1), whatever the text holds."""

from __future__ import annotations

import datetime as dt
import json
from xml.etree import ElementTree as ET

import pytest

from generator import urls
from generator.opendata import Column, _json
from generator.plan import Output
from generator.sitemap import NS, entries, sitemap

BASE = "https://example.gov.cn/qzlx/"
DAY = dt.date(2014, 9, 20)


def _tree_sitemap(outputs: list[Output], base_url: str, fallback: dt.date) -> bytes:
    """The sitemap as ElementTree lays it out (what generator.sitemap wrote before)."""
    root = ET.Element("urlset", xmlns=NS)
    seen: set[str] = set()
    for output in outputs:
        if output.path == urls.NOT_FOUND or output.path in seen:
            continue
        seen.add(output.path)
        entry = ET.SubElement(root, "url")
        ET.SubElement(entry, "loc").text = urls.absolute(base_url, output.path)
        ET.SubElement(entry, "lastmod").text = (output.date or fallback).isoformat()
    ET.indent(root)
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="utf-8") + b"\n"


@pytest.mark.parametrize("paths", [
    [],
    [urls.NOT_FOUND],
    ["", "news/", "news/", "news/a&b<c>/", "单位/市图书馆/", "q?x=1&y='2'\"/"],
])
def test_the_sitemap_is_what_elementtree_writes(paths: list[str]) -> None:
    outputs = [Output(p, "page.html", p, date=DAY if n % 2 else None) for n, p in enumerate(paths)]
    made = sitemap([entries(outputs, BASE)], dt.date(2014, 6, 30))
    # a family's entries at a time (a path is in one family: each kind of page has its folder)
    assert sitemap([entries(outputs[:1], BASE), entries(outputs[1:], BASE)], dt.date(2014, 6, 30)) == made
    assert made == _tree_sitemap(outputs, BASE, dt.date(2014, 6, 30))
    ET.fromstring(made)  # well-formed


COLUMNS = (Column("id", "标识", "", lambda r: r[0]), Column("text", "内容", "", lambda r: r[1]),
           Column("n", "数", "", lambda r: r[2]))


@pytest.mark.parametrize("rows", [
    [],
    [("a", "整改“四风”", 3)],
    [("a\"b", "line\nbreak\ttab \\ slash </script> \u2028", -1), ("b", "", 0.5), ("c", None, True)],
    [("nested", ["一", "二"], {"k": [1, {"x": None}]}), ("empty", [], {})],
])
def test_the_open_data_json_is_what_json_dumps_writes(rows: list[tuple[object, ...]]) -> None:
    meta = {"title": "全部整改事项", "site": "云州市", "as_of": DAY.isoformat(),
            "fields": {c.key: c.label for c in COLUMNS}, "index_no_basis": "git"}
    values = [[c.get(row) for c in COLUMNS] for row in rows]
    records = [{c.key: v for c, v in zip(COLUMNS, row, strict=True)} for row in values]
    expected = json.dumps({**meta, "count": len(records), "records": records}, ensure_ascii=False, indent=1) + "\n"
    assert _json(COLUMNS, values, meta).decode("utf-8") == expected


def test_a_set_made_of_parts_is_the_set_of_all_their_rows() -> None:
    """The all-items files take each part's rows from its files (the ledgers' files kept
    as they are): the same bytes as when worked out row by row, with empty parts and text
    that looks like the files' layout."""
    from types import SimpleNamespace

    from generator.opendata import DataSet, render_data

    site = SimpleNamespace(config=SimpleNamespace(title="云州市"), as_of=DAY)
    rows = {"a": [("a1", "整改“四风”", 3), ("a2", 'x\r\n "records": [\n  ]', 0.5)], "b": [],
            "c": [("c1", "line\nbreak, \"quoted\"", None), ("c2", "\n ]\n}\n", True)]}
    parts = tuple(DataSet(f"data/{name}", f"{name}清单", COLUMNS, tuple(found)) for name, found in rows.items())
    every = tuple(row for part in parts for row in part.rows)
    whole = DataSet("data/all", "全部", COLUMNS, every, parts=parts)
    expected = render_data(DataSet("data/all", "全部", COLUMNS, every), site)  # type: ignore[arg-type]
    assert render_data(whole, site, lambda part: render_data(part, site)) == expected  # type: ignore[arg-type]
    assert render_data(whole, site) == expected  # type: ignore[arg-type]  # no part kept
