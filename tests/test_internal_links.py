"""Links editors write to the portal's own pages must lead to a page the build makes (E056).

The small fixture's base_url is https://example.gov.cn/qzlx/; its ledger already links a news
item as `/qzlx/news/2014-07-01-first/` (a good link)."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import REPO, replace, write

from generator.build import build, prepare
from generator.errors import BuildFailed, Problems, SourceError
from generator.links import Resolver, SiteFiles, body_links, field_links
from generator.model import SiteConfig

BASE = "https://example.gov.cn/qzlx/"
LEDGER = "content/rectification/edu.yml"
NEWS = "content/news/2014-07-01-first.md"


def build_errors(site: Path, out: Path) -> list[SourceError]:
    """The errors of building `site` into `out` (empty when it built)."""
    try:
        build(site, out)
    except BuildFailed as failed:
        return sorted(failed.problems.errors)
    return []


def line_of(site: Path, relative: str, text: str) -> int:
    lines = (site / relative).read_text(encoding="utf-8").splitlines()
    [number] = [n for n, line in enumerate(lines, start=1) if text in line]
    return number


def with_evidence(site: Path, url: str) -> None:
    """A progress entry of ledger item r02 with one piece of evidence, written as a block."""
    replace(site, LEDGER, "      - {date: 2014-06-01, text: 制定精简方案}\n",
            "      - date: 2014-06-01\n        text: 制定精简方案\n        evidence:\n"
            f"          - title: 精简方案\n            url: {url}\n")


def with_body(site: Path, markdown: str) -> None:
    replace(site, NEWS, "| 问题 | 4 |\n", f"| 问题 | 4 |\n\n{markdown}\n")


def test_a_ledger_url_to_a_missing_page_is_an_error_at_its_line(small_site: Path, tmp_path: Path) -> None:
    with_evidence(small_site, f"{BASE}rectification/edu/r99/")
    out = tmp_path / "out"
    [error] = build_errors(small_site, out)
    assert (error.file, error.line, error.code) == (LEDGER, line_of(small_site, LEDGER, "            url: "), "E056")
    assert f"{BASE}rectification/edu/r99/" in error.message and "/qzlx/rectification/edu/r99/" in error.message
    assert not out.exists()  # nothing published


def test_a_body_link_to_a_missing_page_is_an_error_at_its_line(small_site: Path, tmp_path: Path) -> None:
    with_body(small_site, "详见\n[整改清单](/qzlx/rectification/edu/r01/)和\n[会议通报](/qzlx/meetings/no-such-meeting/)。")
    [error] = build_errors(small_site, tmp_path / "out")
    assert (error.file, error.code) == (NEWS, "E056")
    assert error.line == line_of(small_site, NEWS, "no-such-meeting")


def test_every_bad_link_is_reported_at_once(small_site: Path, tmp_path: Path) -> None:
    with_evidence(small_site, "/qzlx/units/nobody/")
    with_body(small_site, "[关于](../../pages/abuot/)\n\n[关于](../../pages/abuot/)")
    errors = build_errors(small_site, tmp_path / "out")
    assert [(e.file, e.line, e.code) for e in errors] == [
        # the same link twice: each at its own line
        (NEWS, line_of(small_site, NEWS, "| 问题 | 4 |") + 2, "E056"),
        (NEWS, line_of(small_site, NEWS, "| 问题 | 4 |") + 4, "E056"),
        (LEDGER, line_of(small_site, LEDGER, "            url: "), "E056"),
    ]
    assert "是不是想写“../../pages/about/”" in errors[0].hint  # in the form it was written


def test_good_and_external_links_pass(small_site: Path, tmp_path: Path) -> None:
    with_evidence(small_site, "http://example.gov.cn/qzlx/data/rectification/edu.csv")  # http, same site
    with_body(small_site, "\n".join([
        f"[首页]({BASE}) [首页](https://EXAMPLE.gov.cn/qzlx) [教育局](/qzlx/units/edu/#ledger)",
        "[第二条](../2014-06-01-second/) [订阅](../../feeds/all.xml) [文件](/qzlx/documents/city-notice/index.html)",
        "[外站](https://www.gov.cn/zhengce/no-such-page/) [同一主机的别的网站](/other/page/)",
        "[邮件](mailto:x@example.gov.cn) [本页](#top) <https://example.gov.cn/elsewhere/>",
    ]))
    out = tmp_path / "out"
    assert build_errors(small_site, out) == []
    assert (out / "data" / "rectification" / "edu.csv").is_file() and (out / "feeds" / "all.xml").is_file()


@pytest.mark.parametrize("written, nearest", [
    ("/qzlx/rectification/edu/r01", "/qzlx/rectification/edu/r01/"),  # the last '/'
    ("/qzlx/news/2014-07-01-first.html", "/qzlx/news/2014-07-01-first/"),
    (f"{BASE}rectification/eud/r01/", f"{BASE}rectification/edu/r01/"),  # a misspelt unit id
    ("/qzlx/data/rectification/ebu.csv#row", "/qzlx/data/rectification/edu.csv#row"),
])
def test_the_hint_names_the_nearest_page(small_site: Path, tmp_path: Path, written: str, nearest: str) -> None:
    with_evidence(small_site, written)
    [error] = build_errors(small_site, tmp_path / "out")
    assert f"是不是想写“{nearest}”" in error.hint


def test_no_guess_when_nothing_is_close(small_site: Path, tmp_path: Path) -> None:
    with_evidence(small_site, "/qzlx/zzzzzzzz/qqqqqqq/")
    [error] = build_errors(small_site, tmp_path / "out")
    assert "是不是" not in error.hint and "删去这个链接" in error.hint


def test_internal_links_are_told_from_the_others() -> None:
    config = SiteConfig(title="t", base_url="https://example.gov.cn/qzlx", campaign=None)  # type: ignore[arg-type]
    target = Resolver(config).target
    assert target("https://example.gov.cn/qzlx/news/a/") == ("news/a/", "absolute", "")
    assert target("//example.gov.cn/qzlx/news/a/?x=1#y") == ("news/a/", "absolute", "y")
    assert target("HTTP://Example.gov.cn/qzlx") == ("", "absolute", "")
    assert target("/qzlx/%E6%96%B0/") == ("新/", "rooted", "")
    assert target("../b/#c", "news/a/") == ("news/b/", "relative", "c")
    assert target("../../data/x.csv", "news/a/") == ("data/x.csv", "relative", "")
    assert target("./", "news/a/") == ("news/a/", "relative", "")
    assert target("..", "news/a/") == ("news/", "relative", "")
    for outside in ("https://other.gov.cn/qzlx/news/a/", "https://example.gov.cn:8443/qzlx/a/", "/qzlxx/a/",
                    "/news/a/", "mailto:a@b.cn", "#top", "?page=2", "tel:123", "ftp://example.gov.cn/qzlx/",
                    "../../../x/"):
        assert target(outside, "news/a/") is None, outside
    assert target("b/") is None  # relative links in YAML fields are not checked


def test_nearest_walks_the_folders() -> None:
    files = SiteFiles(["index.html", "news/abc/index.html", "news/abd/index.html", "data/commitments.csv",
                       "rectification/edu/r01/index.html", "rectification/edu/index.html"], search=True)
    assert files.exists("") and files.exists("news/abc/") and not files.exists("news/abc")
    assert files.exists("pagefind/pagefind.js")  # written by Pagefind after the pages
    assert files.nearest("news/abc") == "news/abc/"
    assert files.nearest("rectifcation/edu/r01/") == "rectification/edu/r01/"
    assert files.nearest("rectification/edu/") is None  # it exists: nothing nearer
    assert files.nearest("news/xyz/") is None
    assert files.nearest("data/item.csv") is None  # commitments.csv is not close enough


def test_the_demo_has_internal_links_and_builds_clean(demo_twice: tuple[Path, Path]) -> None:
    site = prepare(REPO, Problems())
    links = [link for link in (*field_links(site), *body_links(site))
             if Resolver(site.config).target(link.href, link.page) is not None]
    assert len(links) >= 10 and any(link.page for link in links)  # the check has work to do
    assert (demo_twice[0] / "index.html").is_file()  # and the demo built (no E056)


def test_a_new_page_fixes_the_link(small_site: Path, tmp_path: Path) -> None:
    with_body(small_site, "[督导组](/qzlx/pages/groups/)")
    assert [e.code for e in build_errors(small_site, tmp_path / "out")] == ["E056"]
    write(small_site, "content/pages/groups.md", "---\ntitle: 督导组\n---\n电话。\n")
    assert build_errors(small_site, tmp_path / "out") == []


def test_rule_and_footer_links_are_checked_too(small_site: Path, tmp_path: Path) -> None:
    write(small_site, "content/rules.yml", "- {id: meeting-rule, name: 会议管理办法, unit: edu, adopted: 2014-07-10}\n"
          "- id: car-rule\n  name: 公务用车制度\n  unit: edu\n  adopted: 2014-07-11\n"
          f"  url: {BASE}documents/car-rule/\n")
    replace(small_site, "site_config.yml", "icp: 测ICP备00000001号}",
            "icp: 测ICP备00000001号,\n         badge_link: /qzlx/pages/badge/}")
    errors = build_errors(small_site, tmp_path / "out")
    assert [(e.file, e.line) for e in errors] == [
        ("content/rules.yml", 6), ("site_config.yml", line_of(small_site, "site_config.yml", "badge_link"))]
    assert all(e.code == "E056" for e in errors)


def test_gongshi_check_reports_it_too(small_site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The pre-commit hook and CI run `gongshi check`: it must stop where `gongshi build` would."""
    from generator.cli import main

    with_evidence(small_site, f"{BASE}rectification/edu/r99/")
    assert main(["check", str(small_site)]) == 1
    said = capsys.readouterr().err
    assert f"{LEDGER}:{line_of(small_site, LEDGER, '            url: ')}" in said and "E056" in said
    assert not (small_site / "site").exists()  # a check writes nothing


def test_a_page_removed_under_a_cached_body_link_is_an_error(small_site: Path, tmp_path: Path) -> None:
    """The second build takes the body's links from the build cache, not from its text."""
    with_body(small_site, "[督导组](/qzlx/pages/groups/)")
    write(small_site, "content/pages/groups.md", "---\ntitle: 督导组\n---\n电话。\n")
    assert build_errors(small_site, tmp_path / "out") == []
    (small_site / "content/pages/groups.md").unlink()
    [error] = build_errors(small_site, tmp_path / "out")
    assert (error.file, error.line, error.code) == (NEWS, line_of(small_site, NEWS, "pages/groups/"), "E056")
