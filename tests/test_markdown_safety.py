"""Markdown bodies: what editors paste is cleaned, titles are escaped, images are published.

The safety checks look at every file of the built output (pages, feeds, data), not only
at the article page, because the same text is reused in lists, feeds and search data.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from conftest import errors_of, write

from generator.build import build

PASTED = """
<script>alert('s1')</script>
<img src="https://example.com/x.png" onerror=alert('s2')>
<a href="javascript:alert('s3')">链接一</a>
<a href="JaVaScRiPt:alert('s4')">链接二</a>
<a href=" javascript:alert('s5')">链接三</a>
<a href="jav&#x09;ascript:alert('s6')">链接四</a>
<svg onload=alert('s7')><circle r="1"/></svg>
<iframe src="https://evil.example/"></iframe>
<style>body { display: none }</style>
<div onclick="alert('s8')" style="background:url(javascript:alert('s9'))">保留的文字</div>
<p onmouseover="alert('s10')">段落</p>
<object data="x.swf"></object><embed src="x.swf"><form action="https://evil.example/"><input name=a></form>

[Markdown 链接](javascript:alert('s11'))
[大小写](JAVASCRIPT:alert('s12'))
![图](javascript:alert('s13'))
<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">数据</a>

正常的**加粗**文字。
"""

FORBIDDEN = re.compile(r"<script|onerror|javascript:|onload|onclick|onmouseover|<iframe|<style|<svg|<object|<embed|<form"
                       r"|alert\('s", re.I)


# The theme's own scripts and forms (the search box), taken out before looking for pasted ones.
THEME_ELEMENT = re.compile(r"<script\b[^>]*>.*?</script>|<form\b[^>]*>", re.I | re.S)


def output_text(out: Path, theme_elements: set[str] = frozenset()) -> dict[str, str]:
    """Every text file of the output, by relative path, without the theme's own scripts and forms."""
    texts = {}
    for path in sorted(out.rglob("*")):
        if path.is_file() and path.suffix in {".html", ".xml", ".atom", ".json", ".csv", ".txt", ""}:
            text = path.read_text(encoding="utf-8")
            texts[path.relative_to(out).as_posix()] = THEME_ELEMENT.sub(
                lambda m: "" if m.group(0) in theme_elements else m.group(0), text)
    return texts


def theme_elements(site: Path, out: Path) -> set[str]:
    """The <script> and <form> elements the theme itself puts on pages: a build without
    editors' HTML."""
    build(site, out)
    found = {m.group(0) for path in out.rglob("*.html")
             for m in THEME_ELEMENT.finditer(path.read_text(encoding="utf-8"))}
    assert all("alert" not in s for s in found)
    return found


def news(site: Path, name: str, title: str, body: str, extra: str = "") -> None:
    write(site, f"content/news/{name}.md",
          f"---\ntitle: '{title}'\ndate: 2014-06-02\ncolumn: news\nunit: edu\n{extra}---\n{body}")


@pytest.fixture
def pasted_site(small_site: Path, tmp_path: Path) -> tuple[Path, set[str]]:
    scripts = theme_elements(small_site, tmp_path / "baseline")
    news(small_site, "pasted", "从网页粘贴的新闻", PASTED, extra="summary: 一段摘要\n")
    out = tmp_path / "out"
    build(small_site, out)
    return out, scripts


def test_pasted_html_never_reaches_any_output_file(pasted_site: tuple[Path, set[str]]) -> None:
    texts = output_text(*pasted_site)
    assert len(texts) > 20
    found = {name: FORBIDDEN.findall(text) for name, text in texts.items() if FORBIDDEN.search(text)}
    assert found == {}


def test_pasted_html_keeps_its_harmless_text(pasted_site: tuple[Path, set[str]]) -> None:
    page = (pasted_site[0] / "news" / "pasted" / "index.html").read_text(encoding="utf-8")
    assert "保留的文字" in page and "段落" in page
    assert "<strong>加粗</strong>" in page
    assert 'src="https://example.com/x.png"' in page  # the image stays, its handler goes


def test_script_in_title_is_escaped_everywhere(small_site: Path, tmp_path: Path) -> None:
    scripts = theme_elements(small_site, tmp_path / "baseline")
    news(small_site, "xss-title", "<script>alert(1)</script>标题", "正文\n",
         extra="tags: ['<script>alert(2)</script>']\n")
    out = tmp_path / "out"
    build(small_site, out)
    texts = output_text(out, scripts)
    raw = {name for name, text in texts.items() if "<script" in text.lower()}
    assert raw == set()
    escaped = {name for name, text in texts.items() if "&lt;script&gt;alert(1)" in text
               or "\\u003cscript\\u003ealert(1)" in text or "<\\/script>" in text}
    # the title shows (escaped) on its page, in the column list, on the home page and in feeds
    assert {"news/xss-title/index.html", "news/index.html", "index.html"} <= escaped
    assert any(name.startswith("feeds/") for name in escaped)


def test_tables_footnotes_and_heading_anchors(small_site: Path, tmp_path: Path) -> None:
    body = ("## 整改情况\n\n已完成[^1]。\n\n| 项目 | 数量 |\n|:---|---:|\n| 问题 | 4 |\n\n"
            "### Second Part\n\n[^1]: 截至六月底。\n")
    news(small_site, "rich", "格式测试", body)
    out = tmp_path / "out"
    build(small_site, out)
    page = (out / "news" / "rich" / "index.html").read_text(encoding="utf-8")
    assert re.search(r"<table>.*<th[^>]*>项目</th>.*<td[^>]*>4</td>.*</table>", page, re.S)
    assert 'style="text-align: right;"' in page or 'style="text-align:right;"' in page
    assert '<h2 id="整改情况">整改情况</h2>' in page
    assert '<h3 id="second-part">Second Part</h3>' in page
    assert '<sup id="fnref:1"><a class="footnote-ref" href="#fn:1"' in page
    assert '<li id="fn:1">' in page and "截至六月底" in page


def resolve(page: Path, out: Path, src: str, base_path: str = "/qzlx/") -> Path:
    """The output file an <img src> of `page` points at (relative or base-path absolute)."""
    path = unquote(urlsplit(src).path)
    if path.startswith(base_path):
        return out / path[len(base_path):]
    return (page.parent / path).resolve()


def test_relative_image_is_copied_and_its_src_resolves(small_site: Path, tmp_path: Path) -> None:
    picture = b"\x89PNG\r\n\x1a\n not really a png"
    write(small_site, "content/news/2014/photo one.png", "")
    (small_site / "content/news/2014/photo one.png").write_bytes(picture)
    write(small_site, "content/news/2014/visit.md",
          "---\ntitle: 走访\ndate: 2014-06-03\ncolumn: news\n---\n走访群众。\n\n![走访现场](<photo one.png>)\n")
    out = tmp_path / "out"
    build(small_site, out)
    page = out / "news" / "visit" / "index.html"
    srcs = re.findall(r'<img[^>]* src="([^"]+)"', page.read_text(encoding="utf-8"))
    assert len(srcs) == 1
    target = resolve(page, out, srcs[0])
    assert target.is_file() and target.read_bytes() == picture
    assert out.resolve() in target.resolve().parents


def test_front_matter_image_is_copied(small_site: Path, tmp_path: Path) -> None:
    (small_site / "content/news/team.jpg").write_bytes(b"jpeg bytes")
    news(small_site, "team", "合影", "正文\n", extra="images:\n  - {src: team.jpg, caption: 合影}\n")
    out = tmp_path / "out"
    build(small_site, out)
    page = out / "news" / "team" / "index.html"
    srcs = re.findall(r'<img[^>]* src="([^"]+)"', page.read_text(encoding="utf-8"))
    assert srcs and all(resolve(page, out, s).read_bytes() == b"jpeg bytes" for s in srcs)


def test_missing_image_in_body(small_site: Path) -> None:
    news(small_site, "noimg", "缺图", "![现场](missing.jpg)\n")
    errors = errors_of(small_site)
    assert [(e.file, e.line, e.code) for e in errors] == [("content/news/noimg.md", 7, "E051")]
    assert "missing.jpg" in errors[0].message


def test_missing_image_is_reported_at_its_line(small_site: Path) -> None:
    news(small_site, "noimg", "缺图", "第一段\n\n第二段\n\n![现场](missing.jpg)\n")
    errors = errors_of(small_site)
    assert [(e.file, e.line, e.code) for e in errors] == [("content/news/noimg.md", 11, "E051")]


def test_missing_image_in_front_matter(small_site: Path) -> None:
    news(small_site, "noimg", "缺图", "正文\n",
         extra="images:\n  - {src: there.jpg, caption: 有}\n  - {src: gone.jpg, caption: 无}\n")
    (small_site / "content/news/there.jpg").write_bytes(b"x")
    errors = errors_of(small_site)
    assert [(e.file, e.line, e.code) for e in errors] == [("content/news/noimg.md", 8, "E051")]
    assert "gone.jpg" in errors[0].message


@pytest.mark.parametrize("src", ["/etc/hostname", "../../../outside.txt", "../../site_config.yml"])
def test_front_matter_image_outside_content_is_refused(small_site: Path, src: str) -> None:
    (small_site.parent / "outside.txt").write_text("secret", encoding="utf-8")
    news(small_site, "leak", "外部文件", "正文\n", extra=f"images: [{{src: '{src}'}}]\n")
    assert [(e.file, e.line, e.code) for e in errors_of(small_site)] == [("content/news/leak.md", 6, "E053")]


@pytest.mark.parametrize("src", ["../../site_config.yml", "../../../outside.txt"])
def test_body_image_outside_content_is_not_published(small_site: Path, src: str) -> None:
    (small_site.parent / "outside.txt").write_text("secret", encoding="utf-8")
    news(small_site, "leak", "外部文件", f"![x]({src})\n")
    assert [(e.file, e.line, e.code) for e in errors_of(small_site)] == [("content/news/leak.md", 7, "E051")]
