"""The content records, one frozen class per kind of thing an editor writes.

Fields declared with `spec(kind, label)` are the editors' contract (see shared/domain.md,
"The contract, field by field"): their names are public and must not be renamed. Plain
`field(...)` entries are filled by the loader (source position, body, owning unit). The
Markdown `body` is read only by the Markdown stage: the site the later stages see holds the
records without it, and the HTML in `Site.body(kind, id)`.
"""

from __future__ import annotations

import copy
import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from .errors import Source
from .fields import (
    Boolean,
    Choice,
    Date,
    Deadline,
    Either,
    Integer,
    ListOf,
    Record,
    Slug,
    Text,
    Url,
    spec,
)

CATEGORIES = ("形式主义", "官僚主义", "享乐主义", "奢靡之风", "群众切身利益", "最后一公里", "专项整治", "其他")
FOUR_WINDS = CATEGORIES[:4]
ITEM_SOURCES = ("群众提", "自己找", "上级点", "互相帮", "集体议", "征求意见", "民主生活会")
ITEM_STATUSES = ("未启动", "整改中", "已完成")
COMMITMENT_STATUSES = ("未兑现", "兑现中", "已兑现")
MEETING_KINDS = ("专题民主生活会", "组织生活会", "座谈会", "工作会议", "通报暨群众评议会")
UNIT_KINDS = ("区领导班子", "区直单位", "执法监管部门和窗口单位", "街道", "乡镇", "社区", "村",
              "非公有制经济组织", "学校", "医院", "国有企业", "事业单位", "其他")

Deadline_ = dt.date | str  # a date, or 立行立改 / 长期坚持

NOWHERE = Source("")


def _source() -> Source:
    return field(default=NOWHERE, compare=False)


# ---- small records used inside others -------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class Withdrawn:
    date: dt.date = spec(Date(), "撤销日期")
    reason: str = spec(Text(), "撤销原因")


@dataclass(frozen=True, kw_only=True)
class Image:
    src: str = spec(Text(), "图片路径（相对于本文件）")
    caption: str = spec(Text(), "图片说明", "")


@dataclass(frozen=True, kw_only=True)
class Evidence:
    title: str = spec(Text(), "佐证材料名称")
    url: str | None = spec(Url(), "佐证材料链接", None)
    origin: Source = _source()


@dataclass(frozen=True, kw_only=True)
class Evaluation:
    participants: int = spec(Integer(), "参加评议人数")
    satisfied: int = spec(Integer(), "满意")
    basically_satisfied: int = spec(Integer(), "基本满意")
    dissatisfied: int = spec(Integer(), "不满意")
    origin: Source = _source()


# ---- site configuration ------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class Campaign:
    name: str = spec(Text(), "活动名称")
    start: dt.date = spec(Date(), "开始日期")
    end: dt.date = spec(Date(), "结束日期")


@dataclass(frozen=True, kw_only=True)
class Phase:
    name: str = spec(Text(), "环节名称")
    start: dt.date = spec(Date(), "开始日期")
    end: dt.date = spec(Date(), "结束日期")


@dataclass(frozen=True, kw_only=True)
class Column:
    id: str = spec(Slug(), "栏目标识")
    name: str = spec(Text(), "栏目名称")
    description: str = spec(Text(), "栏目说明", "")
    keywords: tuple[str, ...] = spec(ListOf(Text()), "栏目关键词", ())
    type: str = spec(Text(), "栏目类型（页面元数据 ColumnType，默认“信息发布”）", "")
    stale_days: int | None = spec(Integer(), "本栏目多少天没有新内容就提醒（不写时用全站的 stale_days，0 表示不提醒）", None)


@dataclass(frozen=True, kw_only=True)
class Footer:
    host: str = spec(Text(), "主办单位", "")
    undertaker: str = spec(Text(), "承办单位", "")
    icp: str = spec(Text(), "ICP 备案号", "")
    police_record: str = spec(Text(), "公安机关备案号", "")
    site_id_code: str = spec(Text(), "网站标识码", "")
    badge_image: str = spec(Text(), "党政机关网站标识图片（放在站点的 theme/static/ 里，写文件名）", "")
    badge_link: str | None = spec(Url(), "党政机关网站标识的链接（开办单位核验页面）", None)
    origin: Source = _source()


@dataclass(frozen=True, kw_only=True)
class SupervisionGroup:
    id: str = spec(Slug(), "督导组标识")
    name: str = spec(Text(), "督导组名称")
    leader: str = spec(Text(), "组长", "")
    phone: str = spec(Text(), "举报电话", "")
    address: str = spec(Text(), "驻地地址", "")
    email: str = spec(Text(), "电子邮箱", "")
    hours: str = spec(Text(), "接待时间", "")


BULLETIN_PERIODS = ("每周", "每月")


@dataclass(frozen=True, kw_only=True)
class BulletinSettings:
    period: str = spec(Choice(*BULLETIN_PERIODS), "编发周期：每周或每月，从活动开始日起算", "每周")
    name: str = spec(Text(), "简报名称（默认为网站名称加“简报”）", "")
    sms_length: int = spec(Integer(), "短信版最多字数", 300)


@dataclass(frozen=True, kw_only=True)
class SiteConfig:
    title: str = spec(Text(), "网站名称")
    base_url: str = spec(Url(), "网站地址")
    language: str = spec(Text(), "语言", "zh-CN")
    organiser: str = spec(Text(), "主办单位", "")
    description: str = spec(Text(), "网站简介", "")
    campaign: Campaign = spec(Record(Campaign), "活动")
    phases: tuple[Phase, ...] = spec(ListOf(Record(Phase)), "活动环节", ())
    columns: tuple[Column, ...] = spec(ListOf(Record(Column)), "栏目", ())
    as_of: dt.date | None = spec(Date(), "数据截至日期", None)
    footer: Footer = spec(Record(Footer), "页脚信息", Footer())
    org_code: str = spec(Text(), "组织机构代码（索引号前段码）", "")
    supervision_groups: tuple[SupervisionGroup, ...] = spec(
        ListOf(Record(SupervisionGroup)), "督导组", ())
    feed_size: int = spec(Integer(), "每个订阅源的条目数", 50)
    bulletin: BulletinSettings = spec(Record(BulletinSettings), "简报", BulletinSettings())
    stale_days: int = spec(Integer(), "栏目多少天没有新内容就提醒（0 表示不提醒）", 30)
    search: bool = spec(Boolean(), "站内搜索（false 为不生成搜索）", True)
    search_shard_pages: int = spec(Integer(), "搜索索引每片约多少页（0 表示不分片）", 600)
    short_name: str = spec(Text(), "网站简称（手机桌面图标下的名字）", "")
    og_image: str = spec(Text(), "分享图片（站点目录里的 PNG 或 JPEG 文件）", "")
    og_card_font: str = spec(Text(), "分享卡片字体（站点目录里的中文字体文件）", "")
    origin: Source = _source()

    @property
    def base_path(self) -> str:
        """The path part of base_url, always starting and ending with '/'."""
        rest = self.base_url.split("://", 1)[-1]
        path = "/" + rest.split("/", 1)[1] if "/" in rest else "/"
        return path if path.endswith("/") else path + "/"

    def column(self, column_id: str) -> Column | None:
        return next((c for c in self.columns if c.id == column_id), None)


# ---- content -----------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class Unit:
    id: str = spec(Slug(), "单位标识")
    name: str = spec(Text(), "单位名称")
    kind: str = spec(Choice(*UNIT_KINDS), "单位类别")
    parent: str | None = spec(Text(), "上级单位标识", None)
    supervision_group: str | None = spec(Text(), "所属督导组标识", None)
    origin: Source = _source()


@dataclass(frozen=True, kw_only=True)
class Article:
    """A news item or notice (`content/news/**.md`)."""

    title: str = spec(Text(), "标题")
    date: dt.date = spec(Date(), "发布日期")
    column: str = spec(Text(), "栏目标识")
    id: str = spec(Slug(), "标识（默认为文件名）", "")
    unit: str | None = spec(Text(), "单位标识", None)
    author: str = spec(Text(), "作者", "")
    photographer: str = spec(Text(), "摄影", "")
    source: str = spec(Text(), "来源", "")
    summary: str = spec(Text(), "摘要", "")
    tags: tuple[str, ...] = spec(ListOf(Text()), "标签", ())
    updated: dt.date | None = spec(Date(), "更正日期", None)
    images: tuple[Image, ...] = spec(ListOf(Record(Image)), "图片", ())
    withdrawn: Withdrawn | None = spec(Record(Withdrawn), "撤销", None)
    body: str = ""
    body_line: int = 1
    origin: Source = _source()

    kind = "news"


@dataclass(frozen=True, kw_only=True)
class Document(Article):
    """An official document (`content/documents/**.md`)."""

    doc_number: str = spec(Text(), "发文字号（文号）", "")
    issuer: str = spec(Text(), "发文机关")
    written: dt.date | None = spec(Date(), "成文日期", None)
    index_no: str = spec(Text(), "索引号", "")
    topic: str = spec(Text(), "主题分类", "")
    forwards: str | None = spec(Text(), "转发的文件标识", None)

    kind = "document"


@dataclass(frozen=True, kw_only=True)
class Progress:
    date: dt.date = spec(Date(), "日期")
    text: str = spec(Text(), "进展情况")
    evidence: tuple[Evidence, ...] = spec(ListOf(Record(Evidence)), "佐证材料", ())


@dataclass(frozen=True, kw_only=True)
class LedgerItem:
    id: str = spec(Slug(), "事项标识")
    problem: str = spec(Text(), "问题")
    category: str = spec(Choice(*CATEGORIES), "类别")
    source: str | None = spec(Choice(*ITEM_SOURCES), "问题来源", None)
    measures: tuple[str, ...] = spec(ListOf(Text()), "整改措施")
    leader: str = spec(Text(), "责任领导", "")
    owner: str = spec(Text(), "责任人或责任科室")
    deadline: Deadline_ = spec(Deadline(), "整改时限")
    status: str = spec(Choice(*ITEM_STATUSES), "整改状态")
    completed: dt.date | None = spec(Date(), "完成日期", None)
    added: dt.date | None = spec(Date(), "列入清单日期（清单公布后补充的事项填写）", None)
    progress: tuple[Progress, ...] = spec(ListOf(Record(Progress)), "整改进展", ())
    evaluation: Evaluation | None = spec(Record(Evaluation), "群众评价", None)
    withdrawn: Withdrawn | None = spec(Record(Withdrawn), "撤销", None)
    unit: str = ""
    origin: Source = _source()


@dataclass(frozen=True, kw_only=True)
class Ledger:
    """One unit's rectification list (`content/rectification/<unit-id>.yml`)."""

    unit: str = spec(Text(), "单位标识")
    published: dt.date | None = spec(Date(), "整改清单公布日期", None)
    items: tuple[LedgerItem, ...] = spec(ListOf(Record(LedgerItem)), "整改事项")
    origin: Source = _source()


@dataclass(frozen=True, kw_only=True)
class Leader:
    name: str = spec(Text(), "姓名")
    post: str = spec(Text(), "职务", "")
    unit: str | None = spec(Text(), "单位标识", None)


@dataclass(frozen=True, kw_only=True)
class CommitmentItem:
    id: str = spec(Slug(), "承诺事项标识")
    text: str = spec(Text(), "承诺内容")
    deadline: Deadline_ = spec(Deadline(), "兑现时限")
    status: str = spec(Choice(*COMMITMENT_STATUSES), "兑现状态")
    evidence: str = spec(Text(), "兑现情况说明", "")
    withdrawn: Withdrawn | None = spec(Record(Withdrawn), "撤销", None)
    origin: Source = _source()


@dataclass(frozen=True, kw_only=True)
class Commitment:
    """A set of public commitments (`content/commitments/<id>.yml`)."""

    by: str | Leader = spec(Either(Text(), Record(Leader), "单位标识，或 {name, post, unit}"),
                            "承诺主体")
    published: dt.date = spec(Date(), "公开日期")
    title: str = spec(Text(), "标题", "")
    items: tuple[CommitmentItem, ...] = spec(ListOf(Record(CommitmentItem)), "承诺事项")
    withdrawn: Withdrawn | None = spec(Record(Withdrawn), "撤销", None)
    id: str = ""
    origin: Source = _source()

    @property
    def unit(self) -> str | None:
        return self.by if isinstance(self.by, str) else self.by.unit


@dataclass(frozen=True, kw_only=True)
class Meeting:
    """A meeting notice (`content/meetings/**.md`)."""

    title: str = spec(Text(), "标题")
    kind: str = spec(Choice(*MEETING_KINDS), "会议类型")
    date: dt.date = spec(Date(), "会议日期")
    unit: str = spec(Text(), "单位标识")
    id: str = spec(Slug(), "标识（默认为文件名）", "")
    attendees: tuple[str, ...] = spec(ListOf(Text()), "参加人员", ())
    agenda: tuple[str, ...] = spec(ListOf(Text()), "议程", ())
    criticisms: int | None = spec(Integer(), "提出批评意见条数", None)
    measures: tuple[str, ...] = spec(ListOf(Text()), "整改措施", ())
    evaluation: Evaluation | None = spec(Record(Evaluation), "群众评议结果", None)
    summary: str = spec(Text(), "摘要", "")
    updated: dt.date | None = spec(Date(), "更正日期", None)
    withdrawn: Withdrawn | None = spec(Record(Withdrawn), "撤销", None)
    body: str = ""
    body_line: int = 1
    origin: Source = _source()


@dataclass(frozen=True, kw_only=True)
class Opinion:
    """征求意见情况 for a unit, or for the whole district (`unit: all`)."""

    unit: str = spec(Text(), "单位标识（全区合计写 all）")
    meetings: int = spec(Integer(), "座谈会场次", 0)
    people: int = spec(Integer(), "听取意见人数", 0)
    questionnaires: int = spec(Integer(), "问卷份数", 0)
    problems: int = spec(Integer(), "征集问题条数", 0)
    suggestions: int = spec(Integer(), "征集建议条数", 0)
    origin: Source = _source()


@dataclass(frozen=True, kw_only=True)
class Rule:
    """A rule adopted (建章立制)."""

    id: str = spec(Slug(), "标识")
    name: str = spec(Text(), "制度名称")
    unit: str = spec(Text(), "制定单位标识")
    adopted: dt.date = spec(Date(), "出台日期")
    url: str | None = spec(Url(), "制度全文链接", None)
    document: str | None = spec(Text(), "制度全文对应的文件标识", None)
    origin: Source = _source()


@dataclass(frozen=True, kw_only=True)
class Page:
    """A plain page (`content/pages/**.md`)."""

    title: str = spec(Text(), "标题")
    id: str = spec(Slug(), "标识（默认为文件名）", "")
    summary: str = spec(Text(), "摘要", "")
    order: int = spec(Integer(), "排序", 100)
    body: str = ""
    body_line: int = 1
    origin: Source = _source()


@dataclass(frozen=True, kw_only=True)
class Asset:
    """A file referenced from content (an image beside a Markdown file)."""

    path: str  # relative to the site folder
    origin: Source = _source()


def without_text(record: Any) -> Any:
    """`record` without its Markdown text, as the site holds it once the body is HTML.

    A shallow copy with `body` emptied, not `dataclasses.replace`: that runs `__init__`
    again, and a large site drops the text of some 15,000 records at every build.
    """
    if not getattr(record, "body", ""):
        return record
    lighter = copy.copy(record)
    object.__setattr__(lighter, "body", "")
    return lighter


@dataclass(frozen=True)
class Content:
    """Everything loaded from one site: the input of validation and computation."""

    config: SiteConfig
    units: tuple[Unit, ...]
    articles: tuple[Article, ...]
    documents: tuple[Document, ...]
    ledgers: tuple[Ledger, ...]
    commitments: tuple[Commitment, ...]
    meetings: tuple[Meeting, ...]
    opinions: tuple[Opinion, ...]
    rules: tuple[Rule, ...]
    pages: tuple[Page, ...]
