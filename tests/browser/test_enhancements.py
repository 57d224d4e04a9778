"""JavaScript only enhances: without it every page still works; with it, the 大字号 switch
enlarges the text and remembers the choice. A ledger prints as a plain table."""

from __future__ import annotations

from typing import Any

import pytest

from .conftest import WIDTHS, Served, screenshot

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("name", ["home", "column", "article", "ledger"])
def test_works_without_javascript(open_tab: Any, served: Served, name: str, width: int) -> None:
    visit = served.visits[name]
    tab = open_tab(width, javascript=False)
    page = tab.page
    page.goto(served.url(visit.path))
    for text in visit.texts:
        assert page.get_by_text(text, exact=False).first.is_visible()
    assert not page.locator(".text-size").is_visible()  # a switch that could not work is hidden
    assert page.evaluate("document.documentElement.scrollWidth <= innerWidth")
    if width < 720:  # 更多栏目 is a <details>: it opens without JavaScript
        page.locator(".nav-more summary").click()
        assert page.locator(".nav-more a").first.is_visible()
    assert tab.errors == [] and tab.foreign == []


def test_pager_works_without_javascript(open_tab: Any, served: Served) -> None:
    page = open_tab(375, javascript=False).page
    page.goto(served.url(served.visits["column"].path))
    page.locator(".pager a[rel=next]").click()
    assert page.url == served.url(served.visits["column-page-2"].path)


def test_larger_text_switch_is_remembered(open_tab: Any, served: Served) -> None:
    tab = open_tab(375)
    page = tab.page
    page.goto(served.url(served.visits["article"].path))
    switch = page.locator(".text-size")
    assert switch.is_visible() and switch.get_attribute("aria-pressed") == "false"
    normal = page.evaluate("parseFloat(getComputedStyle(document.querySelector('.body p')).fontSize)")
    switch.click()
    assert switch.get_attribute("aria-pressed") == "true"
    large = page.evaluate("parseFloat(getComputedStyle(document.querySelector('.body p')).fontSize)")
    assert large >= normal * 1.15

    for name in ("home", "ledger", "dashboard", "document"):  # kept across pages, and still fits
        page.goto(served.url(served.visits[name].path))
        assert "text-large" in (page.get_attribute("html", "class") or "")
        assert page.locator(".text-size").get_attribute("aria-pressed") == "true"
        assert page.evaluate("document.documentElement.scrollWidth <= innerWidth"), name
    screenshot(page, "document-375-large-text")

    page.locator(".text-size").click()
    page.reload()
    assert "text-large" not in (page.get_attribute("html", "class") or "")
    assert tab.errors == []


def test_ledger_prints_as_a_table(open_tab: Any, served: Served) -> None:
    page = open_tab(375).page
    page.goto(served.url(served.visits["ledger"].path))
    page.emulate_media(media="print")
    assert not page.locator("nav.nav").is_visible()
    assert not page.locator(".filters").is_visible()
    assert page.locator("table.ledger thead").is_visible()
    assert page.evaluate("getComputedStyle(document.querySelector('table.ledger tr')).display") == "table-row"
    assert page.evaluate("getComputedStyle(document.body).backgroundColor") == "rgb(255, 255, 255)"
