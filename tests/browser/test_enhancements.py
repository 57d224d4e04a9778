"""JavaScript only enhances: without it every page still works; with it, the 长者模式 switch
(适老化: larger type and high contrast) changes every page and is remembered. A ledger
prints as a plain table."""

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


CONTRAST = """(selector) => {
  const rgb = c => c.match(/[\\d.]+/g).slice(0, 3).map(Number);
  const lum = c => { const [r, g, b] = rgb(c).map(v => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; });
                     return 0.2126 * r + 0.7152 * g + 0.0722 * b; };
  const el = document.querySelector(selector);
  let bg = el;
  while (bg && getComputedStyle(bg).backgroundColor.match(/rgba\\(.*, 0\\)$|transparent/)) { bg = bg.parentElement; }
  const [a, b] = [lum(getComputedStyle(el).color), lum(getComputedStyle(bg || document.body).backgroundColor)];
  return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
}"""


def _mode(page: Any) -> tuple[bool, str]:
    classes = (page.get_attribute("html", "class") or "").split()
    on = "text-large" in classes and "high-contrast" in classes
    return on, page.locator(".text-size").get_attribute("aria-pressed") or ""


def test_reading_mode_is_larger_high_contrast_and_remembered(open_tab: Any, served: Served) -> None:
    """长者模式 (适老化): one switch for larger type and high contrast, kept across pages."""
    tab = open_tab(375)
    page = tab.page
    page.goto(served.url(served.visits["article"].path))
    switch = page.locator(".text-size")
    assert switch.is_visible() and "长者模式" in switch.inner_text() and _mode(page) == (False, "false")
    size = "parseFloat(getComputedStyle(document.querySelector('.body p')).fontSize)"
    normal = page.evaluate(size)
    muted_normal = page.evaluate(CONTRAST, ".meta")
    switch.click()
    assert _mode(page) == (True, "true")
    assert page.evaluate(size) >= normal * 1.2 >= 21
    assert page.evaluate(CONTRAST, ".body p") >= 15 and page.evaluate(CONTRAST, ".meta") >= 12 > muted_normal
    assert page.evaluate("getComputedStyle(document.body).backgroundColor") == "rgb(255, 255, 255)"
    screenshot(page, "article-375-reading-mode")

    page.locator(".crumbs a").last.click()  # a real navigation: the article's column, by its link
    page.wait_for_load_state()
    assert page.url != served.url(served.visits["article"].path) and page.locator("h1").is_visible()
    assert _mode(page) == (True, "true")
    for name in ("home", "ledger", "dashboard", "document", "unit"):  # kept across pages, and still fits
        page.goto(served.url(served.visits[name].path))
        assert _mode(page) == (True, "true"), name
        assert page.evaluate("document.documentElement.scrollWidth <= innerWidth"), name
    screenshot(page, "unit-375-reading-mode")

    page.locator(".text-size").click()
    page.reload()
    assert _mode(page) == (False, "false")
    assert tab.errors == []


def test_reading_mode_applies_before_the_script_runs(open_tab: Any, served: Served) -> None:
    """The inline script in <head> sets the mode before the first paint: it does not wait for
    site.js (here never loaded), so a page never flashes in the normal style first."""
    tab = open_tab(375)
    page = tab.page
    page.goto(served.url(served.visits["home"].path))
    page.locator(".text-size").click()
    page.route("**/static/site.js", lambda route: route.abort())
    page.goto(served.url(served.visits["ledger"].path))
    classes = (page.get_attribute("html", "class") or "").split()
    assert {"text-large", "high-contrast"} <= set(classes)
    assert not page.locator(".text-size").is_visible()  # without its script the switch stays hidden


def test_ledger_prints_as_a_table(open_tab: Any, served: Served) -> None:
    page = open_tab(375).page
    page.goto(served.url(served.visits["ledger"].path))
    page.emulate_media(media="print")
    assert not page.locator("nav.nav").is_visible()
    assert not page.locator(".filters").is_visible()
    assert page.locator("table.ledger thead").is_visible()
    assert page.evaluate("getComputedStyle(document.querySelector('table.ledger tr')).display") == "table-row"
    assert page.evaluate("getComputedStyle(document.body).backgroundColor") == "rgb(255, 255, 255)"
