"""Checks by outside tools, run when they are installed:

- axe-core (npm `axe-core`): no serious or critical WCAG violation on any page type;
- the Nu Html Checker (npm `vnu-jar`, needs java): no HTML error in the whole output.

Found through GONGSHI_AXE_JS / GONGSHI_VNU_JAR, else under node_modules/ in the repository.
Also: an article page weighs under 60 KB over the wire, images aside.
"""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

import pytest

from generator.site import Site

from .conftest import REPO, WIDTHS, Served, java, tool_file

AXE = tool_file("GONGSHI_AXE_JS", REPO / "node_modules/axe-core/axe.min.js")
VNU = tool_file("GONGSHI_VNU_JAR", REPO / "node_modules/vnu-jar/build/dist/vnu.jar")
ARTICLE_BUDGET = 60 * 1024

AXE_PAGES = ("home", "column", "article", "document", "unit", "ledger", "dashboard", "bulletins", "bulletin",
             "changes")
MORE_PAGES = ("commitments/", "meetings/", "units/", "opinions/", "rules/", "feeds/", "data/", "404.html")


def _serious(violations: list[dict[str, Any]]) -> list[str]:
    return [f"{v['impact']} {v['id']}: {v['help']} → {[n['target'] for n in v['nodes'][:3]]}"
            for v in violations if v["impact"] in ("serious", "critical")]


def _axe(page: Any) -> list[str]:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    return _serious(result["violations"])


@pytest.mark.browser
@pytest.mark.skipif(AXE is None, reason="axe-core 未安装（npm install axe-core，或设置 GONGSHI_AXE_JS）")
@pytest.mark.parametrize("mode", ["normal", "reading-mode"])
@pytest.mark.parametrize("width", WIDTHS)
def test_axe_finds_no_serious_violation(open_tab: Any, served: Served, width: int, mode: str) -> None:
    """WCAG 2.1 AA on every kind of page, in the normal style and in 长者模式 (适老化)."""
    page = open_tab(width).page
    if mode == "reading-mode":  # switched on once, by its button; it stays on for every page
        page.goto(served.url(""))
        page.locator(".text-size").click()
    paths = [served.visits[name].path for name in AXE_PAGES] + list(MORE_PAGES)
    site = served.site
    paths += [f"meetings/{site.meetings[0].id}/", f"commitments/{site.content.commitments[0].id}/"]
    unit_id = next(iter(site.rect.by_unit))
    paths.append(f"rectification/{unit_id}/{site.rect.by_unit[unit_id][0].item.id}/")
    paths += [f"pages/{p.id}/" for p in site.pages]
    found = {}
    for path in paths:
        page.goto(served.url(path))
        assert ("high-contrast" in (page.get_attribute("html", "class") or "")) == (mode == "reading-mode")
        problems = _axe(page)
        if problems:
            found[path] = problems
    assert found == {}


@pytest.mark.browser
def test_article_page_weight(open_tab: Any, served: Served) -> None:
    """HTML, CSS and JavaScript of an article page, as sent (the local server does not compress)."""
    tab = open_tab(375)
    tab.page.goto(served.url(served.visits["article"].path), wait_until="networkidle")
    sizes = {r.url: len(r.body()) for r in tab.responses
             if r.request.resource_type != "image" and r.status == 200}
    total = sum(sizes.values())
    print(f"article page: {total} bytes ({', '.join(f'{u.rsplit(chr(47), 2)[-2:]}={n}' for u, n in sizes.items())})")
    assert total < ARTICLE_BUDGET, sizes


@pytest.mark.skipif(VNU is None or java() is None,
                    reason="Nu Html Checker 未安装（npm install vnu-jar 并安装 java，或设置 GONGSHI_VNU_JAR）")
def test_nu_html_checker_finds_no_error(demo_build: tuple[Site, Path, Path]) -> None:
    _site, _root, out = demo_build
    done = subprocess.run([java() or "java", "-jar", str(VNU), "--errors-only", "--skip-non-html", str(out)],
                          capture_output=True, text=True, timeout=600, check=False)
    assert done.returncode == 0 and not done.stderr.strip(), done.stderr[:5000]
