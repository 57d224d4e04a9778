"""Government-site conventions: the guideline's meta tags on every page, and the footer facts."""

from __future__ import annotations

import html.parser
from pathlib import Path

from conftest import errors_of, write

from generator.build import build


class _Head(html.parser.HTMLParser):
    """The named meta tags and the links of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.meta: dict[str, list[str]] = {}
        self.links: dict[str, str] = {}  # link text → href
        self.images: list[dict[str, str | None]] = []
        self._href: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "meta" and a.get("name"):
            self.meta.setdefault(str(a["name"]), []).append(str(a.get("content")))
        elif tag == "a":
            self._href = a.get("href")
        elif tag == "img":
            self.images.append(a)

    def handle_data(self, data: str) -> None:
        if self._href is not None and data.strip():
            self.links[data.strip()] = self._href

    def handle_endtag(self, tag: str) -> None:
        if tag == "a":
            self._href = None


def parse(out: Path, path: str) -> _Head:
    page = _Head()
    page.feed((out / path / "index.html").read_text(encoding="utf-8"))
    return page


def one(page: _Head, name: str) -> str:
    [value] = page.meta[name]
    return value


def test_article_page_has_the_article_tags(built_small: Path) -> None:
    page = parse(built_small, "news/2014-07-01-first")
    assert one(page, "SiteName") == "测试区群众路线网"
    assert one(page, "SiteDomain") == "example.gov.cn"
    assert (one(page, "ColumnName"), one(page, "ColumnType")) == ("工作动态", "信息发布")
    assert one(page, "ArticleTitle") == "区教育局公布整改清单"
    assert one(page, "PubDate") == "2014-07-01 00:00"
    assert one(page, "ContentSource") == "区教育局"  # no `source`: the unit
    assert one(page, "Author") == "张记者"
    assert one(page, "Keywords") == "整改,教育"
    # the guideline's Description is the page's one description tag (meta names ignore case)
    assert [k for k in page.meta if k.lower() == "description"] == ["description"]
    second = parse(built_small, "news/2014-06-01-second")
    assert one(second, "Author") == one(second, "ContentSource") == "东街街道"
    assert "Keywords" not in second.meta  # no tags: no empty tag either


def test_document_page_names_its_issuer(built_small: Path) -> None:
    page = parse(built_small, "documents/city-notice")
    assert one(page, "ContentSource") == one(page, "Author") == "测试市活动办"
    assert one(page, "ColumnName") == "上级精神"


def test_list_page_has_site_and_column_tags_but_no_article_tags(small_site: Path, tmp_path: Path) -> None:
    config = small_site / "site_config.yml"
    config.write_text(config.read_text(encoding="utf-8").replace(
        "  - {id: news, name: 工作动态}",
        "  - {id: news, name: 工作动态, description: 各单位的工作消息。, keywords: [动态, 工作], type: 新闻}")
        .replace("footer: {host: 测试区活动办, icp: 测ICP备00000001号}",
                 "footer: {host: 测试区活动办, icp: 测ICP备00000001号, site_id_code: '0100000099'}"),
        encoding="utf-8")
    build(small_site, tmp_path / "out")
    page = parse(tmp_path / "out", "news")
    assert one(page, "SiteIDCode") == "0100000099"
    assert one(page, "ColumnName") == "工作动态"
    assert one(page, "ColumnDescription") == "各单位的工作消息。"
    assert one(page, "ColumnKeywords") == "动态,工作"
    assert one(page, "ColumnType") == "新闻"
    assert not {"ArticleTitle", "PubDate", "Author"} & set(page.meta)
    dashboard = parse(tmp_path / "out", "rectification")
    assert (one(dashboard, "ColumnName"), one(dashboard, "ColumnType")) == ("整改落实", "信息公开")
    meeting = parse(tmp_path / "out", "meetings/edu-life")
    assert one(meeting, "PubDate") == "2014-07-05 00:00"
    assert one(meeting, "Author") == "区教育局"


FOOTER = """footer:
  host: 测试区活动办
  undertaker: 测试区委宣传部
  icp: 测ICP备00000001号-2
  police_record: 测公网安备 41000002000009号
  site_id_code: "0100000099"
  badge_image: badge.png
  badge_link: https://bszs.conac.cn/sitename?method=show&id=TEST
"""


def with_footer(site: Path, footer: str = FOOTER) -> None:
    config = site / "site_config.yml"
    text = config.read_text(encoding="utf-8")
    config.write_text(text.replace("footer: {host: 测试区活动办, icp: 测ICP备00000001号}\n", footer),
                      encoding="utf-8")


def test_footer_facts_with_their_links(small_site: Path, tmp_path: Path) -> None:
    with_footer(small_site)
    write(small_site, "theme/static/badge.png", "not really a png, but a file")
    build(small_site, tmp_path / "out")
    for path in ("", "news/2014-07-01-first", "rectification/edu"):
        page = parse(tmp_path / "out", path)
        text = (tmp_path / "out" / path / "index.html").read_text(encoding="utf-8")
        assert "主办：测试区活动办" in text and "承办：测试区委宣传部" in text
        assert "网站标识码：0100000099" in text
        assert page.links["测ICP备00000001号-2"] == "https://beian.miit.gov.cn/"
        assert page.links["测公网安备 41000002000009号"] == \
            "https://beian.mps.gov.cn/#/query/webSearch?code=41000002000009"
        [badge] = [i for i in page.images if i.get("alt") == "党政机关网站标识"]
        assert (tmp_path / "out" / path / str(badge["src"])).resolve() == \
            (tmp_path / "out/static/badge.png").resolve()
    assert (tmp_path / "out/static/badge.png").is_file()


def test_footer_without_badge_or_police_number(built_small: Path) -> None:
    text = (built_small / "index.html").read_text(encoding="utf-8")
    assert "党政机关网站标识" not in text and "公网安备" not in text
    assert parse(built_small, "").links["测ICP备00000001号"] == "https://beian.miit.gov.cn/"


def test_a_missing_badge_image_is_an_error(small_site: Path) -> None:
    with_footer(small_site)
    [error] = errors_of(small_site)
    assert (error.code, error.file) == ("E054", "site_config.yml")
    assert "badge.png" in error.message and "theme/static/" in error.hint


def test_the_badge_image_must_stay_in_the_static_folder(small_site: Path) -> None:
    with_footer(small_site, FOOTER.replace("badge.png", "../../site_config.yml"))
    assert [e.code for e in errors_of(small_site)] == ["E054"]


def test_the_start_of_a_body_gives_the_same_description_as_the_whole_body() -> None:
    """plain_text(html, at_least) reads only the start of a long body; whatever the body's
    blocks (headings, lists, tables, line breaks, entities), its text starts the whole text."""
    from generator.markdown import MarkdownRenderer, plain_text
    from generator.pagemeta import shorten

    blocks = [
        "## 整改措施\n",
        "群众反映的“门难进、脸难看”问题，已逐项对账销号 & 公开。\n",
        "- 清理超标办公用房 27 平方米\n- 压减会议 30%\n  - 其中全区性会议 12 个\n",
        "| 事项 | 状态 |\n|---|---|\n| 文山会海 | 已完成 |\n| 公车私用 | 整改中 |\n",
        "第一行  \n第二行，下一步将&lt;建章立制&gt;。\n",
        "> 一位老党员说：希望常态化，不要一阵风。\n",
        "1. 查摆问题\n2. 开门纳谏\n",
    ]
    renderer = MarkdownRenderer(lambda path: False)
    checked = 0
    for shift in range(len(blocks)):
        text = "\n".join(blocks[shift:] + blocks[:shift]) * 3
        html = renderer.render(text, "content/news").html
        whole = plain_text(html)
        for limit in (20, 60, 120, 140, 400):
            start = plain_text(html, limit)
            assert whole.startswith(start)
            assert shorten(start, limit) == shorten(whole, limit)
            checked += len(start) < len(whole)  # the short way was taken
    assert checked > 0
