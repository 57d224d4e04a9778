"""What government websites carry on every page (《政府网站发展指引》): meta tags and footer facts.

Every page names the site (SiteName, SiteDomain, SiteIDCode) and its column (ColumnName,
ColumnDescription, ColumnKeywords, ColumnType); an article page adds ArticleTitle, PubDate,
ContentSource, Keywords and Author. The guideline's `Description` is the page's own
`<meta name="description">`: meta names are case-insensitive and HTML allows only one.

The footer shows 主办, 承办, the ICP filing (linked to the MIIT filing site), the public
security filing (linked to its record on the MPS filing site), the 网站标识码 and, when
configured, the 党政机关网站标识 image.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from . import urls
from .bulletins import Bulletin, bulletin_name
from .model import Article, Meeting, SiteConfig
from .plan import Output
from .site import Site

ICP_URL = "https://beian.miit.gov.cn/"
POLICE_URL = "https://beian.mps.gov.cn/#/query/webSearch?code={code}"
DEFAULT_COLUMN_TYPE = "信息发布"

# The site's own sections, for pages that are not in an editor's column:
# section → (ColumnName, ColumnDescription, ColumnType).
SECTIONS: dict[str, tuple[str, str, str]] = {
    "home": ("首页", "", "首页"),
    "rectification": ("整改落实", "各单位整改清单、整改进展和完成情况，按数据截至日期计算逾期和完成率。", "信息公开"),
    "commitments": ("公开承诺", "各单位和领导干部的公开承诺事项及兑现情况。", "信息公开"),
    "meetings": ("会议通报", "专题民主生活会、座谈会等会议通报和群众评议结果。", "信息公开"),
    "units": ("参加单位", "参加教育实践活动的单位及其整改清单、承诺和会议。", "信息公开"),
    "opinions": ("征求意见情况", "各单位征求意见的场次、人数和征集到的问题、建议。", "信息公开"),
    "rules": ("建章立制", "活动中制定和修订的制度。", "信息公开"),
    "changes": ("更正与变更记录", "已公开内容的每一次更正、时限和状态变更及撤销。", "信息公开"),
    "bulletins": ("简报", "按期汇总本网站发布的内容和整改进展。", "信息发布"),
    "feeds": ("订阅", "全站、栏目、单位和整改进展的 RSS/Atom 订阅源。", "互动服务"),
    "data": ("开放数据", "整改清单、公开承诺、群众评议和文件目录的 CSV、JSON 下载。", "数据开放"),
}


@dataclass(frozen=True)
class ArticleFacts:
    title: str
    date: dt.date
    source: str
    keywords: tuple[str, ...]
    author: str


def site_domain(base_url: str) -> str:
    """www.example.gov.cn from https://www.example.gov.cn/qzlx/."""
    return base_url.split("://", 1)[-1].split("/", 1)[0]


def _column(site: Site, output: Output) -> tuple[str, str, tuple[str, ...], str] | None:
    """(name, description, keywords, type) of the column or section the page belongs to."""
    column = site.config.column(output.section)
    if column is not None:
        return (column.name, column.description, column.keywords or (column.name,),
                column.type or DEFAULT_COLUMN_TYPE)
    if output.section.startswith("page:"):
        page = output.context.get("record")
        return (output.title, getattr(page, "summary", ""), (output.title,), "网站说明")
    if output.section in SECTIONS:
        name, description, kind = SECTIONS[output.section]
        if output.section == "home":
            return (name, site.config.description, (site.config.title,), kind)
        return (name, description, (name,), kind)
    return None


def article_facts(site: Site, output: Output) -> ArticleFacts | None:
    """The article tags of a page that shows one dated record: news, document, meeting, bulletin."""
    context = output.context
    record = context.get("record")
    fallback = site.config.footer.host or site.config.organiser or site.config.title
    if isinstance(record, Article):
        unit = site.units.get(record.unit or "")
        issuer = getattr(record, "issuer", "")
        source = record.source or issuer or (unit.name if unit else fallback)
        author = record.author or issuer or (unit.name if unit else fallback)
        return ArticleFacts(record.title, record.date, source, record.tags, author)
    meeting = context.get("meeting")
    if isinstance(meeting, Meeting):
        unit_name = site.units[meeting.unit].name
        return ArticleFacts(meeting.title, meeting.date, unit_name, (meeting.kind, unit_name), unit_name)
    b = context.get("bulletin")
    if isinstance(b, Bulletin):
        name = bulletin_name(site)
        return ArticleFacts(f"{name}第{b.number}期（{b.period.label}）", b.period.end, fallback, (name,), fallback)
    return None


Tags = tuple[tuple[str, str], ...]


def _present(tags: list[tuple[str, str]]) -> Tags:
    return tuple((name, value) for name, value in tags if value)


def _column_tags(site: Site, output: Output) -> Tags:
    column = _column(site, output)
    if column is None:
        return ()
    name, description, keywords, kind = column
    return _present([("ColumnName", name), ("ColumnDescription", description),
                     ("ColumnKeywords", ",".join(keywords)), ("ColumnType", kind)])


class GovMeta:
    """The guideline's meta tags of the pages of one site, as (name, content), empty values
    left out: `GovMeta(site)(output)`. The site's tags, and a column's or section's, are the
    same on every page of it, so they are worked out once, not once a page."""

    def __init__(self, site: Site):
        config = site.config
        self.site = site
        self.site_tags = _present([("SiteName", config.title), ("SiteDomain", site_domain(config.base_url)),
                                   ("SiteIDCode", config.footer.site_id_code)])
        self.sections: dict[str, Tags] = {}  # section → its column tags (plain pages have their own)

    def __call__(self, output: Output) -> Tags:
        section = output.section
        if section.startswith("page:"):
            column = _column_tags(self.site, output)
        elif section in self.sections:
            column = self.sections[section]
        else:
            column = self.sections[section] = _column_tags(self.site, output)
        article = article_facts(self.site, output)
        if article is None:
            return self.site_tags + column
        return self.site_tags + column + _present([
            ("ArticleTitle", article.title), ("PubDate", f"{article.date.isoformat()} 00:00"),
            ("ContentSource", article.source), ("Keywords", ",".join(article.keywords)),
            ("Author", article.author)])


def gov_meta(site: Site, output: Output) -> Tags:
    """The guideline's meta tags of one page (for many pages of a site, use one GovMeta)."""
    return GovMeta(site)(output)


@dataclass(frozen=True)
class FooterFacts:
    host: str
    undertaker: str
    icp: str
    icp_url: str
    police_record: str
    police_url: str  # "" when the record number cannot be found in the text
    site_id_code: str
    badge_image: str  # public path of the image, "" when not configured
    badge_link: str | None


def police_url(record: str) -> str:
    """The filing's page on the public security filing site, from 豫公网安备 41000002000001号."""
    digits = re.search(r"\d{6,}", record)
    return POLICE_URL.format(code=digits.group()) if digits else ""


def footer_facts(config: SiteConfig) -> FooterFacts:
    f = config.footer
    return FooterFacts(
        host=f.host or config.organiser, undertaker=f.undertaker, icp=f.icp, icp_url=ICP_URL,
        police_record=f.police_record, police_url=police_url(f.police_record),
        site_id_code=f.site_id_code, badge_image=urls.static(f.badge_image) if f.badge_image else "",
        badge_link=f.badge_link)
