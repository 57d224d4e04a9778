"""What each page tells search engines, chat apps and the search index about itself.

One PageMeta per planned output, worked out here from what the page shows, so templates
only print it: the description (the summary, else the first words of the text), the
absolute canonical address under base_url, the Open Graph type and image, and, for the
pages readers search (records, units, plain pages), the search record: type, unit,
column and date, shown in the results and offered as filters.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import html
import posixpath
import re
from dataclasses import dataclass
from typing import Any

from . import urls
from .govmeta import GovMeta
from .markdown import plain_text
from .plan import Output, feed_links
from .render import cn_date
from .sharing import CARD_SIZE, RASTER, Card, ShareImages
from .site import Site

DESCRIPTION_CHARS = 120
# The search record's type, by the template of the page; pages of other templates are lists
# and overviews, which the index leaves out (their records are found on their own pages).
SEARCH_TYPES = {
    "article.html": "新闻", "document.html": "文件", "item.html": "整改事项",
    "commitment.html": "承诺", "meeting.html": "会议", "unit.html": "单位", "page.html": "页面",
}
CARD_TEMPLATES = ("article.html", "document.html", "item.html", "meeting.html")
ARTICLE_TEMPLATES = ("article.html", "document.html", "item.html", "meeting.html", "commitment.html")
# Descriptions of pages that have no text of their own, by template.
DESCRIPTIONS = {
    "item.html": "{unit}整改事项：{problem}（{state}；整改时限：{deadline}）",
    "ledger.html": "{unit}整改清单：共 {total} 项，已完成 {done} 项，整改中 {in_progress} 项，"
                   "未启动 {not_started} 项，逾期 {overdue} 项。",
    "unit.html": "{unit}（{kind}）在{site}公开的整改清单、公开承诺、会议通报和新闻。",
    "commitment.html": "{who}的公开承诺，共 {count} 项：{first}",
    "column.html": "{site}“{column}”栏目：{about}",
}


@dataclass(frozen=True)
class SearchRecord:
    type: str  # 新闻 / 文件 / 整改事项 / 承诺 / 会议 / 单位 / 页面
    unit: str = ""  # the unit's name
    column: str = ""  # the column's name (news and documents)
    date: dt.date | None = None


@dataclass(frozen=True)
class PageMeta:
    description: str
    canonical: str  # absolute URL; empty for the 404 page, which is served at any address
    og_type: str  # article | website
    image: str  # public path of the share image
    image_url: str  # its absolute URL
    image_alt: str
    image_size: tuple[int, int] | None  # (width, height) when known
    card: Card | None  # the card to draw at `image`, if it is one
    search: SearchRecord | None  # None: not in the search index
    gov: tuple[tuple[str, str], ...] = ()  # the government-site meta tags (govmeta.gov_meta)


def shorten(text: str, limit: int = DESCRIPTION_CHARS) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip("，、；： ") + "…"


def _record(output: Output) -> Any:
    c = output.context
    return c.get("record") or c.get("meeting") or c.get("commitment") or c.get("state")


def _description(site: Site, output: Output, record: Any, body: str) -> str:
    c, config = output.context, site.config
    template = output.template
    if template == "item.html":
        state = c["state"]
        return DESCRIPTIONS[template].format(unit=c["unit"].name, problem=state.item.problem,
                                             state=state.label, deadline=cn_date(state.item.deadline))
    if template == "ledger.html":
        return DESCRIPTIONS[template].format(unit=c["unit"].name, **vars(c["tally"]))  # its counts
    if template == "unit.html":
        return DESCRIPTIONS[template].format(unit=c["unit"].name, kind=c["unit"].kind, site=config.title)
    if template == "commitment.html":
        commitment, unit = c["commitment"], c.get("unit")
        who = commitment.by.name if unit is None or not isinstance(commitment.by, str) else unit.name
        return DESCRIPTIONS[template].format(who=who, count=len(commitment.items),
                                             first=commitment.items[0].text if commitment.items else "")
    if template == "column.html":
        column = c["column"]
        return DESCRIPTIONS[template].format(site=config.title, column=column.name,
                                             about=column.description or config.description)
    if record is not None and "body" in c:
        return getattr(record, "summary", "") or plain_text(body, DESCRIPTION_CHARS) or output.title
    return config.description or config.title


def _names(output: Output) -> tuple[str, str]:
    """The names of the unit and of the column the page belongs to ('' when none)."""
    unit, column = output.context.get("unit"), output.context.get("column")
    return unit.name if unit else "", column.name if column else ""


def _search(site: Site, output: Output, record: Any) -> SearchRecord | None:
    kind = SEARCH_TYPES.get(output.template)
    if not site.config.search or kind is None \
            or getattr(getattr(record, "item", record), "withdrawn", None):
        return None
    date = None
    if record is not None:
        date = getattr(record, "last_update", None) or getattr(record, "published", None) \
            or getattr(record, "date", None)
    return SearchRecord(kind, *_names(output), date)


IMG_SRC = re.compile(r'<img\b[^>]*?\ssrc="([^"]+)"')


def _own_image(output: Output, record: Any, body: str) -> tuple[str, str] | None:
    """The first raster image of an article, document or meeting: (public path, caption)."""
    if output.template not in ("article.html", "document.html", "meeting.html") or record is None:
        return None
    found = [(urls.media(urls.content_file(record.origin.file, i.src)), i.caption)
             for i in getattr(record, "images", ())]
    # body images are linked relative to the page; the sanitiser always quotes attributes
    found += [(posixpath.normpath(posixpath.join(output.path, html.unescape(src))), "")
              for src in IMG_SRC.findall(body) if "://" not in src]
    return next(((path, caption) for path, caption in found if path.lower().endswith(RASTER)), None)


def page_meta(site: Site, output: Output, images: ShareImages, gov: GovMeta | None = None) -> PageMeta:
    """`gov`: the site's GovMeta, when there are many pages to do."""
    config = site.config
    record = _record(output)
    body = str(output.context.get("body", ""))  # read from the body store once, for both uses
    search = _search(site, output, record)
    own = _own_image(output, record, body)
    card, size = images.site_card, images.default_size
    if own is not None:
        image, alt, card, size = own[0], own[1] or output.title, None, None
    elif images.font is not None and output.template in CARD_TEMPLATES:
        kind = SEARCH_TYPES[output.template]
        about = next((name for name in _names(output) if name), "")
        card = Card(output.title, f"{kind} · {about}" if about else kind, config.title)
        image, alt, size = images.card_path(card), output.title, CARD_SIZE
    else:
        image, alt = images.default, config.title
    return PageMeta(
        description=shorten(_description(site, output, record, body)),
        canonical="" if output.path == urls.NOT_FOUND else urls.absolute(config.base_url, output.path),
        og_type="article" if output.template in ARTICLE_TEMPLATES else "website",
        image=image, image_url=urls.absolute(config.base_url, image), image_alt=alt,
        image_size=size, card=card, search=search, gov=(gov or GovMeta(site))(output),
    )


def body_meta(site: Site, before: Output, after: Output) -> PageMeta | None:
    """The meta of a page whose body alone changed (`before` holds the old body and the
    old meta): a new description; None when the change reaches the share image, which the
    site's cards and the other image files depend on."""
    record = _record(after)
    old, new = str(before.context.get("body", "")), str(after.context.get("body", ""))
    if before.meta is None or _own_image(before, record, old) != _own_image(after, record, new):
        return None
    return dataclasses.replace(before.meta, description=shorten(_description(site, after, record, new)))


def with_meta(outputs: list[Output], site: Site, images: ShareImages) -> list[Output]:
    """The planned pages with what they say about themselves: the feeds they offer and their PageMeta."""
    gov = GovMeta(site)
    return [dataclasses.replace(o, feeds=feed_links(site, o), meta=page_meta(site, o, images, gov)) for o in outputs]
