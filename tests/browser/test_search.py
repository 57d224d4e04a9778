"""Search in headless Chromium, on the demo site served under its base path (/qzlx/): a
Chinese word found in one ledger item finds that item first, a unit filter keeps only that
unit's pages, a query without hits says so, the page explains itself without JavaScript,
works at 375 px, and a query downloads a small part of the index."""

from __future__ import annotations

import gzip
import json
import re
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from generator import urls
from generator.compute import ItemState
from generator.pagefind_order import MAGIC
from generator.search import SHARD_LIST
from generator.site import Site

from .conftest import REPO, Served, screenshot
from .test_quality import AXE, _axe

pytestmark = pytest.mark.browser
NO_HITS = "量子计算机"


def corpus() -> str:
    return "\n".join(p.read_text(encoding="utf-8") for p in sorted((REPO / "content").rglob("*"))
                     if p.suffix in (".md", ".yml"))


def word_of_one_item(site: Site) -> tuple[str, ItemState]:
    """A Chinese word of an item's problem that the content has nowhere else."""
    everything = corpus()
    for state in site.rect.states:
        item = state.item
        own = "\n".join([item.problem, *item.measures, *(p.text for p in item.progress)])
        for run in re.findall(r"[\u4e00-\u9fff]{3,}", item.problem):
            for size in (4, 3):
                for start in range(len(run) - size + 1):
                    word = run[start : start + size]
                    if not state.withdrawn and everything.count(word) == own.count(word):
                        return word, state
    raise AssertionError("the demo has no word of its own in any item")


def results(page: Any) -> list[dict[str, str]]:
    return page.eval_on_selector_all("#search-results li", """items => items.map(li => ({
        href: li.querySelector('a').getAttribute('href'), title: li.querySelector('a').textContent,
        facts: li.querySelector('.search-facts').textContent}))""")


def wait_for_answer(page: Any, before: str = "") -> str:
    """The status line once a query has been answered (not empty, not 正在搜索, not `before`)."""
    page.wait_for_function("""before => { const s = document.getElementById('search-status').textContent;
        return s && !s.startsWith('正在') && s !== before; }""", arg=before, timeout=20000)
    return page.inner_text("#search-status")


def test_a_word_of_one_ledger_item_finds_that_item_first(open_tab: Any, served: Served) -> None:
    word, state = word_of_one_item(served.site)
    tab = open_tab(375)
    tab.page.goto(served.url(""))
    tab.page.fill("#site-search-q", word)  # the header's box, as a reader would
    tab.page.press("#site-search-q", "Enter")
    tab.page.wait_for_url("**/search/?q=*")
    status = wait_for_answer(tab.page)
    found = results(tab.page)
    assert found, status
    assert found[0]["href"] == served.site.config.base_path + urls.item(state.item.unit, state.item.id), \
        (word, found[:3])
    assert found[0]["title"] == state.item.problem
    assert "整改事项" in found[0]["facts"] and served.site.units[state.item.unit].name in found[0]["facts"]
    assert tab.page.inner_text("#search-results li mark") == word  # the word is highlighted
    assert tab.errors == [] and tab.foreign == []
    screenshot(tab.page, "search-word-375")


def test_a_unit_filter_keeps_only_that_units_pages(open_tab: Any, served: Served) -> None:
    site = served.site
    unit_id = max(site.rect.by_unit, key=lambda u: len(site.rect.by_unit[u]))
    unit = site.units[unit_id].name
    tab = open_tab(1280)
    page = tab.page
    page.goto(served.url("search/?q=整改"))
    everywhere = wait_for_answer(page)
    units_everywhere = {r["facts"] for r in results(page)}
    page.select_option("#search-unit", value=unit)
    status = wait_for_answer(page, everywhere)
    while page.is_visible("#search-more"):
        shown = len(results(page))
        page.click("#search-more")
        page.wait_for_function("n => document.querySelectorAll('#search-results li').length > n", arg=shown)
    found = results(page)
    assert status.startswith(f"找到 {len(found)} 条结果") and page.inner_text("#search-status") == status.split("，")[0]
    assert all(unit in r["facts"] for r in found), [r for r in found if unit not in r["facts"]]
    assert len(units_everywhere) > 1  # without the filter, other units' pages were there too
    assert "unit=" in page.url
    assert tab.errors == []


def test_a_query_without_hits_says_so(open_tab: Any, served: Served) -> None:
    assert NO_HITS not in corpus()
    tab = open_tab(375)
    tab.page.goto(served.url("search/"))
    tab.page.wait_for_selector("#search-app:not([hidden])")
    tab.page.fill("#search-q", NO_HITS)
    tab.page.press("#search-q", "Enter")
    assert wait_for_answer(tab.page, tab.page.inner_text("#search-status")) == \
        f"没有找到与“{NO_HITS}”相关的内容。请换一个词，或减少筛选条件。"
    assert results(tab.page) == []
    screenshot(tab.page, "search-none-375")


def test_without_javascript_the_search_page_explains_itself(open_tab: Any, served: Served) -> None:
    tab = open_tab(375, javascript=False)
    tab.page.goto(served.url("news/"))
    tab.page.fill("#site-search-q", "整改")
    tab.page.press("#site-search-q", "Enter")
    tab.page.wait_for_url("**/search/?q=*")
    text = tab.page.inner_text("main")
    assert "站内搜索需要浏览器启用 JavaScript" in text and "参加单位" in text
    assert not tab.page.is_visible("#search-app")
    screenshot(tab.page, "search-nojs-375")


def test_the_search_page_on_a_phone(open_tab: Any, served: Served) -> None:
    tab = open_tab(375)
    page = tab.page
    page.goto(served.url("search/?q=整改"))
    wait_for_answer(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    for selector in ("#search-results li .excerpt", "#search-results li h2 a", "#search-q"):
        size = page.eval_on_selector(selector, "e => parseFloat(getComputedStyle(e).fontSize)")
        assert size >= 16, selector
    for selector in ("#search-q", "#search-filters summary", "#site-search-q"):
        if page.is_visible(selector):
            assert page.eval_on_selector(selector, "e => e.getBoundingClientRect().height") >= 44, selector
    page.goto(served.url(""))
    assert page.is_visible("#site-search-q")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    if AXE is not None:
        page.goto(served.url("search/?q=整改"))
        wait_for_answer(page)
        assert _axe(page) == []


def test_a_query_downloads_a_small_part_of_the_index(open_tab: Any, served: Served,
                                                    demo_build: tuple[Site, Path, Path]) -> None:
    word, _ = word_of_one_item(served.site)
    bundle = demo_build[2] / "pagefind"
    index = sum(p.stat().st_size for folder in ("index", "fragment") for p in bundle.glob(f"*/{folder}/*"))
    everything = sum(p.stat().st_size for p in bundle.rglob("*") if p.is_file())
    tab = open_tab(375)
    tab.page.goto(served.url("search/"))
    tab.page.wait_for_selector("#search-app:not([hidden])")
    tab.page.wait_for_load_state("networkidle")
    setup = sum(len(r.body()) for r in tab.responses if "/pagefind/" in r.url)
    tab.responses.clear()
    tab.page.fill("#search-q", word)
    tab.page.press("#search-q", "Enter")
    wait_for_answer(tab.page, tab.page.inner_text("#search-status"))
    tab.page.wait_for_load_state("networkidle")
    query = sum(len(r.body()) for r in tab.responses if "/pagefind/" in r.url)
    print(f"search: {setup} bytes to start (script, wasm, metadata, filters), {query} bytes for "
          f"the query “{word}”; index and fragments {index} bytes, whole bundle {everything} bytes "
          f"({query / index:.0%} of the index for the query)")
    assert 0 < query < index / 3


def test_results_and_filter_counts_come_from_every_shard(open_tab: Any, served: Served) -> None:
    """The index is in shards (generator/search.py); the page searches them as one: a word
    found in pages of several shards lists them all, and each unit's count in the filter is
    the number of its pages over all shards."""
    pagefind = served.out / "pagefind"
    pages: dict[str, tuple[str, dict[str, list[str]], str]] = {}  # url → (shard, filters, text)
    for shard in json.loads((pagefind / SHARD_LIST).read_text(encoding="utf-8")):
        for path in (pagefind / shard / "fragment").glob("*.pf_fragment"):
            record = json.loads(gzip.decompress(path.read_bytes()).removeprefix(MAGIC))
            pages[record["url"]] = (shard, record["filters"], record["content"].replace("\u200b", ""))
    units = Counter(u for _, filters, _ in pages.values() for u in filters.get("unit", []))
    tab = open_tab(1280)
    tab.page.goto(served.url("search/?q=整改"))
    wait_for_answer(tab.page)
    shown = dict(tab.page.eval_on_selector_all("#search-unit option[value]:not([value=''])",
                                               "os => os.map(o => [o.value, o.textContent])"))
    assert shown == {unit: f"{unit}（{count}）" for unit, count in units.items()}
    while tab.page.is_visible("#search-more"):
        count = len(results(tab.page))
        tab.page.click("#search-more")
        tab.page.wait_for_function("n => document.querySelectorAll('#search-results li').length > n", arg=count)
    found = {r["href"].removeprefix(served.site.config.base_path.rstrip("/")) for r in results(tab.page)}
    assert found == {url for url, (_, _, text) in pages.items() if "整改" in text}
    assert len({pages[url][0] for url in found}) > 1
    assert tab.page.inner_text("#search-status") == f"找到 {len(found)} 条结果"
    assert tab.errors == []
