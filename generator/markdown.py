"""Markdown → safe HTML: one configured converter, one sanitiser.

Editors paste HTML from Word and web pages. Whatever they paste passes through an
allowlist (nh3, the Rust ammonia sanitiser): no script or style elements, no event
handlers, no `javascript:` URLs survive. Images written relative to the Markdown file are
resolved, checked and rewritten to their published URL; the caller copies them.
"""

from __future__ import annotations

import functools
import html as html_lib
import posixpath
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import nh3

TAGS = {
    "a", "abbr", "b", "blockquote", "br", "caption", "code", "col", "colgroup", "dd", "del",
    "div", "dl", "dt", "em", "figcaption", "figure", "h1", "h2", "h3", "h4", "h5", "h6", "hr",
    "i", "img", "ins", "li", "ol", "p", "pre", "s", "small", "span", "strong", "sub", "sup",
    "table", "tbody", "td", "tfoot", "th", "thead", "tr", "u", "ul",
}
GENERIC = {"id", "class", "title", "lang"}
ATTRIBUTES = {
    "*": GENERIC,
    "a": GENERIC | {"href"},
    "img": GENERIC | {"src", "alt", "width", "height"},
    "td": GENERIC | {"colspan", "rowspan", "style"},
    "th": GENERIC | {"colspan", "rowspan", "style", "scope"},
    "ol": GENERIC | {"start"},
}
URL_SCHEMES = {"http", "https", "mailto", "tel"}


# Python-Markdown follows CommonMark's strict idea of an inline tag, so a pasted tag with a
# sloppy attribute (`<img src=x onerror=alert('x')>`) is left as visible text: readers would
# see the pasted code. Any `<tag …>` is taken as HTML instead, so that the sanitiser (not the
# reader) deals with it; this is the pattern Python-Markdown itself used before 3.x.
LOOSE_HTML_RE = r"(<(\/?[a-zA-Z][^<>@ ]*( [^<>]*)?|!--(?:(?!<!--|-->).)*--)>)"


def _converter() -> Any:
    """A Python-Markdown converter with the site's extensions. Imported here, when a body
    is rendered: most builds render none, and the Markdown stack takes 50 ms to import."""
    import markdown as md
    from markdown.extensions.abbr import AbbrExtension
    from markdown.extensions.attr_list import AttrListExtension
    from markdown.extensions.def_list import DefListExtension
    from markdown.extensions.fenced_code import FencedCodeExtension
    from markdown.extensions.footnotes import FootnoteExtension
    from markdown.extensions.sane_lists import SaneListExtension
    from markdown.extensions.tables import TableExtension
    from markdown.extensions.toc import TocExtension
    from markdown.inlinepatterns import HtmlInlineProcessor
    from pymdownx.slugs import slugify
    from pymdownx.tilde import DeleteSubExtension

    # extensions as objects, not names: a name is looked up among the installed packages'
    # entry points, which takes longer than the rest of making the converter
    converter = md.Markdown(
        extensions=[AbbrExtension(), AttrListExtension(), DefListExtension(), FencedCodeExtension(),
                    FootnoteExtension(BACKLINK_TITLE="返回正文第 %d 处"), TableExtension(), SaneListExtension(),
                    TocExtension(slugify=slugify(case="lower"), permalink=False), DeleteSubExtension()],
        output_format="html",
    )
    converter.inlinePatterns.register(HtmlInlineProcessor(LOOSE_HTML_RE, converter), "html", 90)
    return converter


@dataclass
class Rendered:
    html: str
    assets: list[str] = field(default_factory=list)  # site-relative paths of images used
    missing: list[str] = field(default_factory=list)  # image paths that do not exist


def site_files(root: Path) -> Callable[[str], bool]:
    """`exists` for a MarkdownRenderer: whether a site-relative path is a file inside `root`."""
    top = root.resolve()

    def exists(path: str) -> bool:
        full = root / path
        return full.is_file() and top in full.resolve().parents

    return exists


class MarkdownRenderer:
    """Renders the Markdown bodies of one site.

    `exists(path)` says whether a site-relative path is a file inside the site.
    """

    def __init__(self, exists: Callable[[str], bool]):
        self.exists = exists

    @functools.cached_property
    def md(self) -> Any:
        return _converter()

    def render(self, text: str, folder: str, asset_url: Callable[[str], str] = lambda p: p) -> Rendered:
        """`folder`: the site-relative folder of the Markdown file (for relative images);
        `asset_url(path)`: the URL, as the page showing this body links it, of a site file."""
        self.asset_url = asset_url
        self.md.reset()
        raw = self.md.convert(text)
        result = Rendered("")

        def rewrite(tag: str, attribute: str, value: str) -> str | None:
            if tag == "img" and attribute == "src":
                return self._image(value, folder, result)
            if attribute == "style":
                return value if value.replace(" ", "") in _ALIGN_STYLES else None
            return value

        result.html = nh3.clean(
            raw,
            tags=TAGS,
            attributes=ATTRIBUTES,
            url_schemes=URL_SCHEMES,
            attribute_filter=rewrite,
            link_rel="noopener noreferrer",
            strip_comments=True,
        )
        return result

    def _image(self, src: str, folder: str, result: Rendered) -> str | None:
        if "://" in src or src.startswith(("/", "data:", "#")):
            return src
        path = posixpath.normpath(posixpath.join(folder, src))
        # only files under content/ are published: `../../site_config.yml` is not an image
        if not path.startswith("content/") or not self.exists(path):
            result.missing.append(src)
            return None
        result.assets.append(path)
        return self.asset_url(path)


_ALIGN_STYLES = {f"text-align:{side};" for side in ("left", "right", "center")} | {
    f"text-align:{side}" for side in ("left", "right", "center")
}


BLOCK_END = re.compile(r"(?=<(?:/p|/li|/h[1-6]|/td|/th|/tr|br|/div|/dt|/dd|/blockquote)\b)")
TEXT_ONLY = nh3.Cleaner(tags=set(), attributes={})  # keeps the text of HTML, no tags (made once: cheaper)


def plain_text(html: str, at_least: int | None = None) -> str:
    """The text of sanitised HTML, for summaries and search; a space where a block ends.

    With `at_least`, the text may stop once it has more than that many characters: only
    the HTML up to the end of a block is read when that gives enough (its text is the start
    of the whole text), which is all a summary of a long body needs.
    """
    if at_least is not None and (end := BLOCK_END.search(html, 2 * at_least)) is not None:
        close = html.find(">", end.start())
        start = plain_text(html[: close + 1]) if close >= 0 else ""
        if len(start) > at_least:
            return start
    text = TEXT_ONLY.clean(BLOCK_END.sub(" ", html))
    return " ".join(html_lib.unescape(text).split())
