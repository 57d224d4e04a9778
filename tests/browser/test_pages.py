"""Every kind of page, at a phone's width and a computer's: the key content is visible, nothing
scrolls sideways, the browser logs no error and nothing is fetched from another host."""

from __future__ import annotations

from typing import Any

import pytest

from .conftest import WIDTHS, Served, screenshot

pytestmark = pytest.mark.browser

PAGES = ("home", "column", "column-page-2", "article", "document", "unit", "ledger", "dashboard",
         "bulletins", "bulletin", "changes")

LAYOUT = """() => ({
  scrollWidth: document.documentElement.scrollWidth,
  innerWidth: window.innerWidth,
  bodyFont: parseFloat(getComputedStyle(document.body).fontSize),
  smallText: [...document.querySelectorAll('main p, main li, main td, .body *')]
    .filter(e => e.offsetParent !== null && e.textContent.trim())
    .map(e => [parseFloat(getComputedStyle(e).fontSize), e.textContent.trim().slice(0, 30)])
    .filter(([size]) => size < 14),
  wide: [...document.querySelectorAll('body *')]
    .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1 && !e.closest('.table-wrap, .visually-hidden, .skip'))
    .map(e => e.tagName + '.' + e.className).slice(0, 5),
})"""


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("name", PAGES)
def test_page(open_tab: Any, served: Served, name: str, width: int) -> None:
    visit = served.visits[name]
    tab = open_tab(width)
    page = tab.page
    response = page.goto(served.url(visit.path), wait_until="load")
    assert response is not None and response.ok, f"{visit.path}: HTTP {response and response.status}"

    if visit.heading:
        assert visit.heading in page.locator("h1").first.inner_text()
    for text in visit.texts:
        assert page.get_by_text(text, exact=False).first.is_visible(), f"{name} @{width}: 看不到“{text}”"
    assert page.locator("nav.nav").is_visible()
    assert page.locator("footer").get_by_text("主办").first.is_visible()

    layout = page.evaluate(LAYOUT)
    assert layout["scrollWidth"] <= layout["innerWidth"], f"横向溢出：{layout['wide']}"
    assert layout["bodyFont"] >= 16
    assert layout["smallText"] == []

    screenshot(page, f"{name}-{width}")
    assert tab.errors == []
    assert tab.foreign == []


@pytest.mark.parametrize("width", WIDTHS)
def test_navigation_marks_the_current_section(open_tab: Any, served: Served, width: int) -> None:
    """The column's entry is highlighted, on a phone inside 更多栏目 when it is not in the bar."""
    page = open_tab(width).page
    config = served.site.config
    for column in config.columns:
        page.goto(served.url(f"{column.id}/"))
        current = page.locator(".nav [aria-current=page]")
        visible = [current.nth(i) for i in range(current.count()) if current.nth(i).is_visible()]
        if not visible:  # a phone: the entry is inside the closed 更多栏目 menu
            assert width < 720
            summary = page.locator(".nav-more summary")
            assert "is-current" in (summary.get_attribute("class") or "")
            summary.click()
            visible = [current.nth(i) for i in range(current.count()) if current.nth(i).is_visible()]
        assert [v.inner_text() for v in visible] == [column.name]


def test_phone_navigation_is_two_rows(open_tab: Any, served: Served) -> None:
    page = open_tab(375).page
    page.goto(served.url(""))
    box = page.locator("nav.nav").bounding_box()
    item = page.locator(".nav-list > li").first.bounding_box()
    assert box is not None and item is not None
    assert box["height"] <= 2 * item["height"] + 2
    page.locator(".nav-more summary").click()
    for entry in page.locator(".nav-more a").all():
        assert entry.is_visible()
    assert page.evaluate("document.documentElement.scrollWidth <= innerWidth")


def test_desktop_navigation_is_one_row(open_tab: Any, served: Served) -> None:
    page = open_tab(1280).page
    page.goto(served.url(""))
    tops = {round(b["y"]) for b in (e.bounding_box() for e in page.locator(".nav-list > li").all()) if b}
    assert len(tops) == 1
    assert not page.locator(".nav-more").is_visible()
