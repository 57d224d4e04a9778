"""A synthetic campaign site in the content contract, of about N output pages.

    python bench/synth.py N OUT_DIR [--seed S]

writes OUT_DIR/site_config.yml and OUT_DIR/content/… : units of every kind (N/100, at least
20), news in every column (most of the pages: Markdown with Chinese text assembled from the
phrase banks below, with headings, lists and the odd table), official documents, one
rectification ledger per unit (items in every status, category, source and deadline form,
with progress entries and evaluations), commitments by units and by leaders, meetings (the
evaluations add up, some fall under two thirds), opinions, rules and plain pages.

Deterministic: one seeded `random.Random`, no clock, no set iteration; `as_of` is fixed in
the configuration, so the same N and seed give byte-identical sites and builds.

"N pages" means the number of `index.html` pages the built site has. The mix is planned
with a model of the generator's page plan (`expected_pages`), which `bench/run.py` checks
against the real build (within ±10 %).
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import json
import math
import re
import shutil
import sys
from dataclasses import dataclass, field
from pathlib import Path
from random import Random

# ---- the campaign's calendar ----------------------------------------------------------------

START = dt.date(2014, 3, 9)
END = dt.date(2014, 9, 30)
AS_OF = dt.date(2014, 9, 20)
PHASES = (
    ("学习教育、听取意见", dt.date(2014, 3, 9), dt.date(2014, 5, 14)),
    ("查摆问题、开展批评", dt.date(2014, 5, 15), dt.date(2014, 7, 10)),
    ("整改落实、建章立制", dt.date(2014, 7, 11), dt.date(2014, 9, 30)),
)
PAGE_SIZE = 20  # generator/plan.py: column lists, 20 a page
DUE_SOON_DAYS = 7  # generator/compute.py

COLUMNS = (  # id, name, description, share of the news
    ("news", "工作动态", "市委和各单位开展教育实践活动的日常工作消息。", 0.42),
    ("notices", "通知公告", "市活动办发布的会议通知、征求意见公告和评议公示。", 0.12),
    ("policy", "上级精神", "中央、省委关于教育实践活动的文件和部署。", 0.03),
    ("district-docs", "市委文件", "市委、市活动办印发的实施方案、工作安排和制度文件。", 0.03),
    ("experience", "典型经验", "各单位在听取意见、立行立改和建章立制中的好做法。", 0.14),
    ("photos", "图片新闻", "教育实践活动现场图片。", 0.12),
    ("media", "媒体聚焦", "报纸、广播电视和网络媒体对我市活动的报道。", 0.14),
)
DOC_COLUMNS = ("policy", "district-docs")

CATEGORIES = (
    "形式主义",
    "官僚主义",
    "享乐主义",
    "奢靡之风",
    "群众切身利益",
    "最后一公里",
    "专项整治",
    "其他",
)
SOURCES = ("群众提", "自己找", "上级点", "互相帮", "集体议", "征求意见", "民主生活会")
MEETING_KINDS = ("专题民主生活会", "组织生活会", "座谈会", "工作会议", "通报暨群众评议会")

# ---- phrase banks (our own writing) -----------------------------------------------------------

SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文"
PLACE_A = "东西南北新老长青松柳桃李杏金银玉龙凤安平和兴永庆福康宁泰丰顺瑞祥德仁义礼信明光华春秋文武"
PLACE_B = "关苑台营桥湾庄塘坊园岗坪湖山河门街口屯集铺店寨湾洲溪滩岭坡"

BUREAUS = (
    "市委办公室",
    "市政府办公室",
    "市委组织部",
    "市委宣传部",
    "市委统战部",
    "市委政法委",
    "市纪委",
    "市发展和改革委员会",
    "市教育局",
    "市科学技术局",
    "市工业和信息化局",
    "市民政局",
    "市司法局",
    "市财政局",
    "市人力资源和社会保障局",
    "市国土资源局",
    "市环境保护局",
    "市住房和城乡建设局",
    "市交通运输局",
    "市水务局",
    "市农业局",
    "市林业局",
    "市商务局",
    "市文化广电新闻出版局",
    "市卫生和计划生育委员会",
    "市审计局",
    "市统计局",
    "市体育局",
    "市旅游局",
    "市机关事务管理局",
    "市信访局",
    "市档案局",
    "市粮食局",
    "市人防办",
    "市总工会",
    "团市委",
    "市妇联",
    "市科协",
    "市残联",
    "市供销社",
    "市老干部局",
    "市编办",
    "市法制办",
    "市金融办",
    "市侨办",
)
WINDOWS = (
    "市公安局",
    "市城市管理行政执法局",
    "市工商行政管理局",
    "市质量技术监督局",
    "市食品药品监督管理局",
    "市国家税务局",
    "市地方税务局",
    "市行政服务中心",
    "市住房公积金管理中心",
    "市房产管理局",
    "市安全生产监督管理局",
    "市物价局",
    "市公共资源交易中心",
    "市社会保险事业管理局",
    "市不动产登记中心",
    "市车辆管理所",
    "市出入境管理处",
    "市12345市民服务热线",
)
COMPANIES = (
    "纺织",
    "物流",
    "机械",
    "建材",
    "食品",
    "电子",
    "医药",
    "化工",
    "商贸",
    "餐饮",
    "印刷",
    "家具",
)
SOES = (
    "市城市建设投资集团",
    "市公共交通集团",
    "市自来水有限公司",
    "市燃气有限公司",
    "市供热有限公司",
    "市国有资产经营公司",
    "市农村商业银行",
    "市粮油储备公司",
)
INSTITUTIONS = (
    "市广播电视台",
    "市图书馆",
    "市疾病预防控制中心",
    "市气象局",
    "市党校",
    "市博物馆",
    "市园林绿化管理处",
    "市环境卫生管理处",
    "市城市规划设计院",
    "市职业技术学院",
)

LEADER_POSTS = {
    "区领导班子": ("市委书记", "市长", "市委副书记", "常务副市长", "市委常委、组织部长"),
    "区直单位": ("局长", "党组书记", "副局长", "主任", "副主任"),
    "执法监管部门和窗口单位": ("局长", "副局长", "主任", "大队长", "支队长"),
    "街道": ("党工委书记", "办事处主任", "党工委副书记"),
    "乡镇": ("党委书记", "镇长", "党委副书记"),
    "社区": ("党支部书记", "居委会主任"),
    "村": ("村党支部书记", "村委会主任"),
    "学校": ("校长", "党支部书记", "副校长"),
    "医院": ("院长", "党委书记", "副院长"),
    "非公有制经济组织": ("党委书记", "董事长", "党支部书记"),
    "国有企业": ("党委书记", "董事长", "总经理"),
    "事业单位": ("主任", "党组书记", "副主任"),
}
OFFICES = (
    "办公室",
    "综合科",
    "政策法规科",
    "督查科",
    "财务科",
    "人事科",
    "服务大厅",
    "执法大队",
    "信访办",
    "党建办",
    "组织科",
    "宣传科",
    "社会事务科",
    "计划财务科",
    "后勤服务中心",
    "纪检组",
)

EMPHASES = (
    "要把群众满意不满意作为检验活动成效的根本标准，让群众全程参与、全程监督",
    "要坚持边学边查边改，对群众反映强烈、能够马上解决的问题立行立改，不等不拖",
    "要紧扣“四风”问题查找差距，不搞花架子，不做表面文章",
    "要以整风精神开展批评和自我批评，敢于揭短亮丑，真正红红脸、出出汗",
    "要把开门搞活动贯穿始终，请群众提意见、请群众评成效",
    "要把整改任务分解到人、落实到事，逐项明确时限和责任",
    "要把建章立制作为巩固成果的关键一环，防止问题反弹回潮",
    "班子成员要带头查摆、带头整改，以上率下推动活动深入",
    "要把解决群众身边的具体问题作为活动的落脚点，让群众看到实实在在的变化",
    "要切实减轻基层负担，不能以会议落实会议、以文件落实文件",
    "要把活动与当前重点工作结合起来，做到两手抓、两不误",
    "要坚持问题导向，群众提什么问题就改什么问题",
)
ACTIVITIES = (
    "召开专题座谈会听取服务对象意见",
    "深入窗口一线体验群众办事流程",
    "开展“四风”问题自查自纠",
    "组织党员干部集中学习规定篇目",
    "走访困难群众和老党员",
    "在办事大厅设置意见箱和评议台",
    "通过民意快线收集群众诉求",
    "向服务对象发放征求意见表",
    "召开班子成员谈心谈话会",
    "对照检查材料征求党员群众意见",
    "对公务用车和办公用房进行清理检查",
    "对会议文件进行专项清理",
    "开展“走基层、听民声、办实事”活动",
    "组织退休老干部座谈",
    "邀请人大代表和政协委员评议作风",
)
PROBLEMS = (
    "办事程序繁琐，群众多头跑、反复跑",
    "会议多、文件多，以会议落实会议",
    "调研走过场，下基层前呼后拥",
    "公务用车管理不严，存在公车私用现象",
    "公务接待超标准，陪餐人员过多",
    "窗口服务态度生硬，“门难进、脸难看、事难办”",
    "检查评比过多，基层疲于应付",
    "背街小巷路灯不亮、路面坑洼，长期无人管",
    "入学报名手续复杂，家长排长队",
    "看病挂号排队时间长，就医体验差",
    "占道经营整治“一刀切”，执法方式简单",
    "惠民资金发放不及时、不透明",
    "群众来信来访办理拖沓，答复不及时",
    "个别干部上班迟到早退、工作时间上网聊天",
    "办公用房超标准，面积未按规定腾退",
    "对群众反映的噪音扰民问题处理不力",
    "老旧小区供暖不达标，居民反映多年未解决",
    "农村饮水安全问题解决不彻底",
    "涉企收费项目多，企业负担重",
    "行政审批事项多、时限长",
    "社区办事要求群众开具各类证明",
    "节日期间公款送礼、公款吃喝苗头",
    "文件简报篇幅长、数量多，内容空泛",
    "干部联系群众制度落实不到位",
    "建设工地夜间施工扰民",
    "菜市场周边交通拥堵、秩序混乱",
    "低保审核不严，群众有意见",
)
MEASURES = (
    "推行一次告知、限时办结制度，办事指南在网上和大厅同时公开",
    "精简会议文件，会议时间一般不超过一个半小时",
    "公务用车下班后统一停放，钥匙由值班室集中保管",
    "在办事大厅设立导办台，党员干部轮流值守",
    "开通民意快线，群众来电24小时内答复、5个工作日内办结",
    "建立领导干部联系点制度，每月到联系点接待群众",
    "清理规范检查评比项目，同一事项一年只检查一次",
    "公务接待一律执行公函制度，严禁超标准接待",
    "对超标准办公用房一律腾退，腾退情况在网上公示",
    "实行首问负责和限时办结，群众投诉一查到底",
    "推行网上预约和延时服务，中午和周末不打烊",
    "建立问题台账，每半月向群众通报一次整改进展",
    "对涉企收费项目进行全面清理，取消不合规收费",
    "会同街道、供电部门理清路灯产权，统一管护",
    "压缩审批环节，审批时限平均缩短三分之一",
    "在社区推行“一站式”服务，取消不必要的证明材料",
    "每季度组织服务对象开展满意度测评，结果公开",
    "对信访积案实行领导包案，逐案明确办结时限",
)
RESULTS = (
    "群众办事平均等待时间由{big}分钟缩短到{small}分钟",
    "今年以来会议数量同比减少{p}%",
    "文件简报数量同比压缩{p}%",
    "已为群众解决实际问题{n}件",
    "“三公”经费同比下降{p}%",
    "腾退超标准办公用房{n}平方米",
    "清理取消检查评比项目{n}项",
    "审批时限平均缩短{p}%",
    "群众满意率提高到{q}%",
    "收回违规使用公务用车{n}辆",
    "修复路灯{n}盏、修补道路{m}处",
    "办结群众来信来访{n}件",
)
PEOPLE = (
    "群众代表",
    "服务对象",
    "社区居民",
    "企业负责人",
    "人大代表和政协委员",
    "基层党员",
    "老干部代表",
    "学生家长",
    "个体工商户",
    "退休职工",
    "外来务工人员",
    "村民代表",
)
PLACES = (
    "社区",
    "村组",
    "企业车间",
    "建设工地",
    "农贸市场",
    "学校",
    "医院",
    "敬老院",
    "办事大厅",
    "困难群众家中",
)
NEXT_STEPS = (
    "把群众提出的意见逐条梳理，能改的马上改，一时改不了的列入台账限期整改",
    "继续深化整改，确保每一项整改任务都有结果、有回音",
    "把活动中形成的好做法固化为制度，建立长效机制",
    "定期向社会公开整改进展，接受群众监督",
    "组织开展“回头看”，防止问题反弹",
    "以这次活动为契机，进一步改进作风、提高服务水平",
)
FEELINGS = (
    "这样的座谈会开得实在，说的话有人听、提的事有人办",
    "干部作风确实有了变化，办事比过去方便多了",
    "希望这样的活动常态化，不要一阵风",
    "问题整改在网上能查到，心里踏实",
    "干部主动上门听意见，这在过去不多见",
)
SLOGANS = (
    "群众办事少跑腿",
    "服务零距离",
    "民情直通车",
    "干部进万家",
    "马上就办",
    "阳光政务",
    "一窗通办",
    "百名干部下基层",
    "民生实事大家议",
    "回头看",
)
HEADINGS = (
    "深入学习，提高思想认识",
    "开门纳谏，广泛听取意见",
    "聚焦四风，认真查摆问题",
    "立行立改，解决突出问题",
    "建章立制，巩固活动成果",
    "强化督导，确保取得实效",
    "主要做法",
    "取得的成效",
    "存在的不足",
    "下一步工作打算",
    "群众反映的主要问题",
    "整改措施和时限",
)
TAGS = (
    "动员部署",
    "学习教育",
    "听取意见",
    "查摆问题",
    "民主生活会",
    "群众评议",
    "整改落实",
    "立行立改",
    "建章立制",
    "专项整治",
    "四风",
    "公车管理",
    "精简会议",
    "督导检查",
    "窗口服务",
    "开门整改",
    "返工补课",
)
MEDIA = (
    "云州日报",
    "云州晚报",
    "云州广播电视台",
    "云州新闻网",
    "省报",
    "省电视台新闻频道",
    "人民网地方频道",
)
NUMERALS = "一二三四五六七八九十"
CN_DIGITS = "〇一二三四五六七八九"


def cn_date(day: dt.date) -> str:
    return f"{day.month}月{day.day}日"


def full_cn_date(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


# ---- records --------------------------------------------------------------------------------


@dataclass
class Unit:
    id: str
    name: str
    kind: str
    parent: str | None
    group: str


@dataclass
class Item:
    id: str
    lines: list[str]
    status: str
    category: str
    state: str  # done | in_progress | not_started | overdue | due_soon
    withdrawn: bool


@dataclass
class Plan:
    """What the generator will plan as pages, counted as we go (see `expected_pages`)."""

    units: int = 0
    ledgers: list[list[Item]] = field(default_factory=list)
    commitments: int = 0
    meetings: int = 0
    documents: int = 0
    news: int = 0
    pages: int = 0
    column_records: dict[str, list[dt.date]] = field(default_factory=dict)  # live records' dates


def ledger_pages(items: list[Item]) -> int:
    """A ledger page, one per filter that selects a live item, one per item (plan.py)."""
    live = [i for i in items if not i.withdrawn]
    filters = {i.status for i in live} | {i.category for i in live}
    filters |= {i.state for i in live if i.state in ("overdue", "due_soon")}
    return 1 + len(filters) + len(items)


def column_pages(dates: list[dt.date]) -> int:
    months = {d.strftime("%Y-%m") for d in dates}
    return max(1, math.ceil(len(dates) / PAGE_SIZE)) + len(months)


def expected_pages(plan: Plan) -> int:
    fixed = (
        1 + 1 + 1 + 1 + 1 + 1 + 1 + 1
    )  # home, units, dashboard, commitments, meetings, opinions, rules, feeds …
    fixed += 1  # … and data
    return (
        fixed
        + plan.pages
        + plan.units
        + sum(ledger_pages(items) for items in plan.ledgers)
        + plan.commitments
        + plan.meetings
        + plan.documents
        + plan.news
        + sum(column_pages(dates) for dates in plan.column_records.values())
    )


# ---- YAML and Markdown writing --------------------------------------------------------------

_PLAIN = re.compile(r"[^\s\-?:,\[\]{}#&*!|>'\"%@`0-9][^\n]*")


def q(text: str) -> str:
    """A YAML scalar for `text`: plain when it is safe, else double-quoted (JSON is valid YAML)."""
    if (
        _PLAIN.fullmatch(text)
        and ": " not in text
        and " #" not in text
        and not text.endswith((" ", ":"))
    ):
        return text
    return json.dumps(text, ensure_ascii=False)


class Writer:
    """Everything random goes through here, in a fixed order."""

    def __init__(self, rng: Random, units: list[Unit] | None = None):
        self.rng = rng
        self.units = units or []
        self.unit: Unit | None = None
        self.day = START
        self.unused: list[int] = []

    # small draws
    def pick(self, seq):
        return seq[self.rng.randrange(len(seq))]

    def person(self) -> str:
        return self.pick(SURNAMES) + "某某"

    def date_between(self, a: dt.date, b: dt.date) -> dt.date:
        return a + dt.timedelta(days=self.rng.randint(0, max(0, (b - a).days)))

    def write_date(self, day: dt.date) -> str:
        """Most editors write ISO dates; some write 2014年6月30日 (both are in the contract)."""
        return full_cn_date(day) if self.rng.random() < 0.1 else day.isoformat()

    def unit_name(self) -> str:
        return self.unit.name if self.unit else "市活动办"

    def other_unit(self) -> str:
        return self.pick(self.units).name if self.units else "市委组织部"

    # sentences
    def fill(self, template: str) -> str:
        return template.format_map(_Slots(self))

    def sentence(self) -> str:
        """The next sentence of this text: each template once before any repeats."""
        if not self.unused:
            self.unused = list(range(len(SENTENCES)))
            self.rng.shuffle(self.unused)
        return self.fill(SENTENCES[self.unused.pop()])

    def paragraph(self, low: int = 300, high: int = 900, opener: bool = False) -> str:
        target = self.rng.randint(low, high)
        text = self.fill(self.pick(OPENERS)) if opener else ""
        while len(text) < target:
            nxt = self.sentence()
            if len(text) >= low and len(text) + len(nxt) > high:
                break
            text += nxt
        return text

    def bullet_list(self) -> str:
        count = self.rng.randint(3, 5)
        picks = self.rng.sample(range(len(MEASURES)), count)
        if self.rng.random() < 0.5:
            return "\n".join(f"{n}. {MEASURES[i]}；" for n, i in enumerate(picks, start=1))
        return "\n".join(f"- {MEASURES[i]}；" for i in picks)

    def table(self) -> str:
        rows = [
            "| 单位 | 座谈会（场） | 听取意见（人） | 收集问题（条） | 已整改（条） |",
            "|---|---:|---:|---:|---:|",
        ]
        for _ in range(self.rng.randint(3, 7)):
            problems = self.rng.randint(8, 90)
            rows.append(
                f"| {self.other_unit()} | {self.rng.randint(2, 20)} | {self.rng.randint(40, 900)} "
                f"| {problems} | {self.rng.randint(0, problems)} |"
            )
        return "\n".join(rows)

    def body(self, paragraphs: tuple[int, int] = (2, 5), structured: float = 0.35) -> str:
        """Markdown: paragraphs, and sometimes `##` sections with a list or a table."""
        self.unused = []
        blocks = [self.paragraph(opener=True)]
        count = self.rng.randint(*paragraphs)
        if count >= 3 and self.rng.random() < structured:
            headings = self.rng.sample(range(len(HEADINGS)), count - 1)
            for n, h in enumerate(headings):
                blocks.append(f"## {NUMERALS[n]}、{HEADINGS[h]}")
                blocks.append(self.paragraph())
                roll = self.rng.random()
                if roll < 0.3:
                    blocks.append(self.bullet_list())
                elif roll < 0.38:
                    blocks.append(self.table())
        else:
            blocks += [self.paragraph() for _ in range(count - 1)]
            if self.rng.random() < 0.15:
                blocks.insert(1, self.bullet_list())
        return "\n\n".join(blocks) + "\n"


class _Slots(dict):
    def __init__(self, w: Writer):
        super().__init__()
        self.w = w

    def __missing__(self, key: str) -> str:
        w, r = self.w, self.w.rng
        match key:
            case "unit":
                return w.unit_name()
            case "unit2":
                return w.other_unit()
            case "date":
                return cn_date(w.day)
            case "earlier":
                return cn_date(w.day - dt.timedelta(days=r.randint(3, 40)))
            case "n":
                return str(r.randint(12, 60))
            case "g":
                return str(r.randint(2, 8))
            case "cn":
                return NUMERALS[r.randint(0, 4)]
            case "big":
                return str(r.randint(30, 90))
            case "small":
                return str(r.randint(5, 25))
            case "m":
                return str(r.randint(60, 900))
            case "k":
                return str(r.randint(20, 400))
            case "p":
                return str(r.randint(12, 58))
            case "q":
                return str(r.randint(86, 98))
            case "person":
                return w.person()
            case "role":
                return w.pick(
                    (
                        "主要负责同志",
                        "党组书记",
                        "分管负责同志",
                        "班子成员",
                        "督导组组长",
                        "市活动办负责同志",
                    )
                )
            case "emphasis":
                return w.pick(EMPHASES)
            case "activity":
                return w.pick(ACTIVITIES)
            case "problem":
                return w.pick(PROBLEMS)
            case "measure":
                return w.pick(MEASURES)
            case "result":
                return w.fill(w.pick(RESULTS))
            case "people":
                return w.pick(PEOPLE)
            case "place":
                return w.pick(PLACES)
            case "next":
                return w.pick(NEXT_STEPS)
            case "feeling":
                return w.pick(FEELINGS)
            case "slogan":
                return w.pick(SLOGANS)
            case "phase":
                return w.pick(PHASES)[0]
        raise KeyError(key)


OPENERS = (
    "{date}，{unit}召开教育实践活动推进会，总结前一阶段工作，安排部署下一步任务。",
    "{date}上午，{unit}领导班子成员分成{g}个小组，深入{place}{activity}，面对面听取{people}的意见建议。",
    "为推动教育实践活动向基层延伸，{unit}于{date}启动“{slogan}”专项行动，着力解决群众反映强烈的突出问题。",
    "近日，{unit}把解决{problem}的问题作为教育实践活动的切入点，{measure}，受到{people}好评。",
    "{date}，{unit}召开{people}座谈会，邀请{n}名代表围绕作风建设和服务质量提意见、挑毛病。",
    "连日来，{unit}对照群众提出的意见建议逐条梳理，形成问题清单、任务清单和责任清单，并在{date}向社会公开。",
    "{date}下午，市委第{cn}督导组到{unit}检查教育实践活动开展情况，随机走访{people}，查阅整改台账。",
)
SENTENCES = (
    "会上，{role}通报了本单位活动开展情况，{n}名{people}结合自身感受作了发言，既肯定了成绩，也实事求是地指出了不足。",
    "{role}强调，{emphasis}。",
    "{role}在讲话中指出，当前活动已进入关键阶段，{emphasis}，确保各项任务按时保质完成。",
    "{unit}领导班子成员分成{g}个小组，深入{place}{activity}，现场记录群众提出的意见。",
    "截至{date}，{unit}共召开座谈会{n}场，发放征求意见表{m}份，收集意见建议{k}条，梳理归纳为{g}个方面的问题。",
    "针对{problem}的问题，{unit}{measure}，并明确由分管领导牵头、责任科室具体负责。",
    "通过集中整改，{result}，{people}普遍反映变化明显。",
    "在{phase}环节，{unit}坚持开门搞活动，{activity}，把群众的意见作为查摆问题的重要依据。",
    "{unit}把“{slogan}”作为活动的切入点，{measure}。",
    "{people}{person}说：“{feeling}。”",
    "下一步，{unit}将{next}。",
    "据了解，{unit}已将梳理出的{n}个问题全部列入整改台账，逐项明确责任领导、责任科室和完成时限，整改进展每半月公开一次。",
    "{earlier}以来，{unit}先后{activity}、{activity}，{result}。",
    "市委第{cn}督导组全程列席会议，并对下一阶段工作提出了具体要求。",
    "对群众反映的{problem}等问题，{unit}能改的立即改，一时改不了的列出时间表，向群众作出公开承诺。",
    "活动开展以来，{unit}坚持边学边查边改，{result}。",
    "{person}同志在发言中坦言，{problem}的问题在本单位不同程度存在，根子在于宗旨意识淡化、群众观点树得不牢。",
    "会议要求，各支部要{next}，确保活动不虚、不偏、不空。",
    "当天，{unit}还在门户网站和办事大厅公示了整改清单，公布了监督电话，接受社会监督。",
    "与会{people}认为，{feeling}。",
    "为防止整改走过场，{unit}实行销号管理，每完成一项由服务对象评价、督导组审核后才能销号。",
    "{unit}主要负责同志带头到联系点蹲点调研，{g}天里走访{people}{n}户，帮助协调解决具体困难{g}件。",
    "座谈中，大家围绕{problem}等问题畅所欲言，提出意见建议{n}条，{unit}当场答复{g}条，其余的承诺限期办理。",
    "{unit}还专门建立了群众意见办理回访制度，对每一条意见的办理情况在{g}个工作日内电话回访，满意率达到{q}%。",
    "对照“四风”方面的突出问题，{unit}班子成员逐一撰写对照检查材料，反复修改{g}次，做到问题找准、原因析透、措施可行。",
    "记者在{unit}办事大厅看到，{measure}，前来办事的{people}秩序井然，等候时间明显缩短。",
    "这次活动中，{unit}清理规范各类制度{n}项，新建制度{g}项，修订完善{g}项，汇编成册发到每名干部手中。",
    "市活动办有关负责同志表示，{unit}的做法抓住了群众最关心的问题，值得在全市推广。",
    "针对督导组指出的问题，{unit}班子专门召开会议研究，逐条制定整改措施，明确在{date}前整改到位。",
    "{people}代表{person}在发言中说，过去到单位办事要跑好几趟，现在{measure}，一次就能办好。",
    "活动中，{unit}注重把学习教育与解决实际问题结合起来，先后为群众办好事实事{n}件，解决历史遗留问题{g}个。",
    "同时，{unit}把{problem}的问题列为专项整治内容，成立由主要负责同志任组长的工作专班，集中攻坚。",
    "{unit}还邀请{n}名{people}担任作风监督员，定期明察暗访，发现问题及时反馈。",
    "{role}要求，各部门要对照台账逐项过一遍，已完成的要巩固提高，未完成的要倒排工期，逾期的要说明原因。",
    "会后，{unit}把会议精神传达到每一名党员干部，并结合本单位实际制定了具体的落实方案。",
    "从群众评议情况看，{unit}满意和基本满意的比例达到{q}%，比活动开展前提高了{g}个百分点。",
    "谈到下一步打算，{person}说，要把群众的期盼作为努力的方向，{next}。",
    "在走访中，{unit}干部共收集到{people}反映的问题{n}个，涉及{problem}等方面，已全部登记造册。",
    "“{feeling}，”一位{people}这样说。",
    "按照市活动办的统一安排，{unit}将在{date}前完成整改方案的公示工作，公示期间群众可通过电话、信件和网络提出意见。",
)


# ---- the site -----------------------------------------------------------------------------------


def make_units(w: Writer, count: int) -> list[Unit]:
    groups = max(3, round(count / 12))
    places = [a + b for a in PLACE_A for b in PLACE_B]
    w.rng.shuffle(places)
    place_iter = iter(places)
    units = [
        Unit("city-leaders", "中共云州市委常委班子", "区领导班子", None, "g1"),
        Unit("city-gov", "云州市人民政府领导班子", "区领导班子", None, "g1"),
    ]
    shares = (
        ("区直单位", 0.18),
        ("执法监管部门和窗口单位", 0.1),
        ("街道", 0.1),
        ("乡镇", 0.06),
        ("社区", 0.22),
        ("村", 0.1),
        ("学校", 0.08),
        ("医院", 0.04),
        ("非公有制经济组织", 0.06),
        ("国有企业", 0.03),
        ("事业单位", 0.03),
    )
    rest = count - len(units)
    wanted = [(kind, max(1, round(share * rest))) for kind, share in shares]
    wanted[4] = ("社区", max(1, rest - sum(n for k, n in wanted if k != "社区")))
    streets: list[Unit] = []
    towns: list[Unit] = []
    schools = 0
    for kind, n in wanted:
        for i in range(1, n + 1):
            group = f"g{w.rng.randint(1, groups)}"
            if kind == "区直单位":
                base = BUREAUS[(i - 1) % len(BUREAUS)]
                name = base if i <= len(BUREAUS) else f"{base}第{(i - 1) // len(BUREAUS) + 1}党支部"
                units.append(Unit(f"ju-{i:03d}", name, kind, None, group))
            elif kind == "执法监管部门和窗口单位":
                base = WINDOWS[(i - 1) % len(WINDOWS)]
                name = base if i <= len(WINDOWS) else f"{base}第{(i - 1) // len(WINDOWS) + 1}分局"
                units.append(Unit(f"ck-{i:03d}", name, kind, None, group))
            elif kind == "街道":
                streets.append(
                    Unit(f"jd-{i:03d}", f"{next(place_iter)}街道党工委", kind, None, group)
                )
                units.append(streets[-1])
            elif kind == "乡镇":
                towns.append(Unit(f"zh-{i:03d}", f"{next(place_iter)}镇党委", kind, None, group))
                units.append(towns[-1])
            elif kind in ("社区", "村"):
                parents = streets if kind == "社区" else towns
                parent = w.pick(parents) if parents else None
                prefix = (
                    (
                        parent.name.removesuffix("街道党工委").removesuffix("镇党委")
                        + ("街道" if kind == "社区" else "镇")
                    )
                    if parent
                    else "云州市"
                )
                suffix = "社区" if kind == "社区" else "村"
                units.append(
                    Unit(
                        f"{'sq' if kind == '社区' else 'cun'}-{i:03d}",
                        f"{prefix}{next(place_iter)}{suffix}",
                        kind,
                        parent.id if parent else None,
                        parent.group if parent else group,
                    )
                )
            elif kind == "学校":
                schools += 1
                level = ("小学", "初级中学", "高级中学")[i % 3]
                units.append(
                    Unit(
                        f"xx-{i:03d}",
                        f"云州市{next(place_iter)}{level}",
                        kind,
                        "ju-009" if any(u.id == "ju-009" for u in units) else None,
                        group,
                    )
                )
            elif kind == "医院":
                units.append(
                    Unit(f"yy-{i:03d}", f"云州市{next(place_iter)}医院", kind, None, group)
                )
            elif kind == "非公有制经济组织":
                units.append(
                    Unit(
                        f"fg-{i:03d}",
                        f"云州{next(place_iter)}{w.pick(COMPANIES)}有限公司党支部",
                        kind,
                        None,
                        group,
                    )
                )
            elif kind == "国有企业":
                base = SOES[(i - 1) % len(SOES)]
                units.append(
                    Unit(
                        f"gq-{i:03d}",
                        base if i <= len(SOES) else f"{base}第{i}分公司",
                        kind,
                        None,
                        group,
                    )
                )
            else:
                base = INSTITUTIONS[(i - 1) % len(INSTITUTIONS)]
                units.append(
                    Unit(
                        f"sy-{i:03d}",
                        base if i <= len(INSTITUTIONS) else f"{base}第{i}分部",
                        kind,
                        None,
                        group,
                    )
                )
    return units


def config_yaml(groups: int) -> str:
    lines = [
        "# 基准测试用的合成站点（bench/synth.py 生成，请勿手工修改）",
        "title: 云州市群众路线网",
        "base_url: https://www.example.gov.cn/qzlx/",
        "language: zh-CN",
        "organiser: 中共云州市委",
        "description: 云州市党的群众路线教育实践活动专题网站，公开活动进展、征求意见情况和各单位整改落实台账，接受群众监督。",
        "campaign:",
        "  name: 党的群众路线教育实践活动",
        f"  start: {START.isoformat()}",
        f"  end: {END.isoformat()}",
        "phases:",
        *(
            f"  - {{name: {name}, start: {a.isoformat()}, end: {b.isoformat()}}}"
            for name, a, b in PHASES
        ),
        "columns:",
        *(
            f"  - {{id: {cid}, name: {name}, description: {desc}}}"
            for cid, name, desc, _ in COLUMNS
        ),
        f"as_of: {AS_OF.isoformat()}",
        "footer:",
        "  host: 中共云州市委党的群众路线教育实践活动领导小组办公室",
        "  undertaker: 云州市委宣传部",
        "  icp: 豫ICP备00000000号-2",
        "  police_record: 豫公网安备 41000002000002号",
        '  site_id_code: "4100000002"',
        'org_code: "00000002-2"',
        "supervision_groups:",
    ]
    for g in range(1, groups + 1):
        n = NUMERALS[g - 1] if g <= 10 else str(g)
        lines += [
            f"  - id: g{g}",
            f"    name: 市委第{n}督导组",
            f"    leader: {SURNAMES[g * 7 % len(SURNAMES)]}某某",
            f'    phone: "0371-6{g:06d}"',
            f"    address: 云州市人民路{g * 11}号{g}楼",
            f"    email: dudao{g}@example.gov.cn",
            "    hours: 工作日 8:30—12:00，14:30—17:30",
        ]
    return "\n".join(lines) + "\n"


def units_yaml(units: list[Unit]) -> str:
    lines = ["# 参加教育实践活动的单位。", ""]
    kind = ""
    for u in units:
        if u.kind != kind:
            kind = u.kind
            lines += ["", f"# {kind}"]
        parent = f", parent: {u.parent}" if u.parent else ""
        lines.append(
            f"- {{id: {u.id}, name: {u.name}, kind: {u.kind}{parent}, supervision_group: {u.group}}}"
        )
    return "\n".join(lines) + "\n"


def ledger_item(w: Writer, unit: Unit, number: int) -> Item:
    rng = w.rng
    category = (
        CATEGORIES[number % len(CATEGORIES)] if number <= len(CATEGORIES) else w.pick(CATEGORIES)
    )
    roll = rng.random()
    deadline: dt.date | str
    if roll < 0.15:
        deadline = "立行立改"
    elif roll < 0.27:
        deadline = "长期坚持"
    elif roll < 0.36:  # due within a week of as_of
        deadline = AS_OF + dt.timedelta(days=rng.randint(0, DUE_SOON_DAYS))
    else:
        deadline = w.date_between(dt.date(2014, 6, 1), dt.date(2014, 12, 31))
    roll = rng.random()
    status = "已完成" if roll < 0.45 else ("整改中" if roll < 0.85 else "未启动")
    opened = w.date_between(dt.date(2014, 5, 15), dt.date(2014, 7, 31))
    posts = LEADER_POSTS[unit.kind]
    lines = [
        f"  - id: r{number:02d}",
        f"    problem: {q(w.pick(PROBLEMS) + '。')}",
        f"    category: {category}",
        f"    source: {w.pick(SOURCES)}",
        "    measures:",
        *(f"      - {q(MEASURES[i])}" for i in rng.sample(range(len(MEASURES)), rng.randint(1, 3))),
        f"    leader: {w.person()} ({w.pick(posts)})",
        f"    owner: {w.pick(OFFICES)}",
        f"    deadline: {deadline if isinstance(deadline, str) else w.write_date(deadline)}",
        f"    status: {status}",
    ]
    completed = None
    if status == "已完成":
        late = isinstance(deadline, dt.date) and rng.random() < 0.15
        if isinstance(deadline, dt.date):
            top = min(AS_OF, deadline + dt.timedelta(days=20)) if late else min(AS_OF, deadline)
        else:
            top = AS_OF
        completed = w.date_between(opened, max(opened, top))
        lines.append(f"    completed: {w.write_date(completed)}")
    steps = 0 if status == "未启动" and rng.random() < 0.7 else rng.randint(1, 4)
    last = completed or AS_OF
    dates = sorted(w.date_between(opened, max(opened, last)) for _ in range(steps))
    if dates:
        lines.append("    progress:")
    for d in dates:
        w.day = d
        lines += [f"      - date: {d.isoformat()}", f"        text: {q(w.fill(w.pick(PROGRESS)))}"]
        if rng.random() < 0.2:
            lines += [
                "        evidence:",
                f"          - {{title: {w.unit_name()}整改情况说明, "
                f"url: https://www.example.gov.cn/files/evidence/{unit.id}-r{number:02d}-{d.isoformat()}.pdf}}",
            ]
    if status == "已完成" and rng.random() < 0.35:
        lines.append(f"    evaluation: {evaluation(rng, 20, 80)}")
    withdrawn = rng.random() < 0.01
    if withdrawn:
        lines += [
            "    withdrawn:",
            f"      date: {AS_OF.isoformat()}",
            "      reason: 经核实与第1项重复，合并整改。",
        ]
    if status == "已完成":
        state = "done"
    elif isinstance(deadline, dt.date) and deadline < AS_OF:
        state = "overdue"
    elif isinstance(deadline, dt.date) and (deadline - AS_OF).days <= DUE_SOON_DAYS:
        state = "due_soon"
    else:
        state = status
    return Item(f"r{number:02d}", lines, status, category, state, withdrawn)


PROGRESS = (
    "整改方案已制定，责任分解到{g}个科室。",
    "已召开专题会议研究整改措施，{result}。",
    "新的工作制度已印发执行，{result}。",
    "在办事大厅公示整改进展，收到群众意见{n}条。",
    "督导组回访{n}名{people}，普遍反映有改进。",
    "{measure}，已完成阶段任务。",
    "对照群众意见逐条核查，尚有{g}项细节需完善。",
    "整改情况在单位公开栏和门户网站同步公开。",
)


def evaluation(rng: Random, low: int, high: int, poor: float = 0.1) -> str:
    participants = rng.randint(low, high)
    share = rng.uniform(0.45, 0.66) if rng.random() < poor else rng.uniform(0.7, 0.98)
    good = round(participants * share)
    satisfied = round(good * rng.uniform(0.5, 0.85))
    basic = good - satisfied
    dissatisfied = participants - good
    return (
        f"{{participants: {participants}, satisfied: {satisfied}, basically_satisfied: {basic}, "
        f"dissatisfied: {dissatisfied}}}"
    )


def ledger_yaml(w: Writer, unit: Unit, count: int) -> tuple[str, list[Item]]:
    w.unit = unit
    items = [ledger_item(w, unit, n) for n in range(1, count + 1)]
    lines = [f"# {unit.name}整改台账", f"unit: {unit.id}", "items:"]
    for item in items:
        lines += item.lines
    return "\n".join(lines) + "\n", items


def commitment_yaml(w: Writer, unit: Unit, leader: bool) -> str:
    rng = w.rng
    published = w.date_between(dt.date(2014, 4, 1), dt.date(2014, 7, 31))
    if leader:
        name, post = w.person(), w.pick(LEADER_POSTS[unit.kind])
        head = [
            f"title: {unit.name}{post}{name}公开承诺",
            f"by: {{name: {name}, post: {post}, unit: {unit.id}}}",
        ]
    else:
        head = [f"title: {unit.name}领导班子公开承诺", f"by: {unit.id}"]
    lines = head + [f"published: {w.write_date(published)}", "items:"]
    for n in range(1, rng.randint(3, 7)):
        roll = rng.random()
        deadline = (
            "立行立改"
            if roll < 0.2
            else "长期坚持"
            if roll < 0.35
            else w.write_date(w.date_between(published, dt.date(2014, 12, 31)))
        )
        status = ("已兑现", "兑现中", "未兑现")[min(2, int(rng.random() * 3.3))]
        lines += [
            f"  - id: c{n:02d}",
            f"    text: {q(w.pick(MEASURES) + '。')}",
            f"    deadline: {deadline}",
            f"    status: {status}",
        ]
        if status != "未兑现" or rng.random() < 0.3:
            w.day = w.date_between(published, AS_OF)
            lines.append(f"    evidence: {q(w.fill('截至{date}，' + w.pick(RESULTS) + '。'))}")
    return "\n".join(lines) + "\n"


def front_matter(fields: list[str]) -> str:
    return "---\n" + "\n".join(fields) + "\n---\n\n"


def meeting_md(w: Writer, unit: Unit, day: dt.date, kind: str, mid: str) -> str:
    rng = w.rng
    w.unit, w.day = unit, day
    titles = {
        "专题民主生活会": f"{unit.name}领导班子专题民主生活会情况通报",
        "组织生活会": f"{unit.name}召开专题组织生活会",
        "座谈会": f"{unit.name}召开{w.pick(PEOPLE)}座谈会",
        "工作会议": f"{unit.name}召开教育实践活动推进会",
        "通报暨群众评议会": f"{unit.name}专题民主生活会通报暨群众评议会",
    }
    fields = [
        f"title: {titles[kind]}",
        f"kind: {kind}",
        f"date: {w.write_date(day)}",
        f"unit: {unit.id}",
        f"id: {mid}",
        "attendees:",
        f"  - {w.pick(LEADER_POSTS[unit.kind])}{w.person()}及班子成员{rng.randint(3, 9)}人",
        f"  - 市委第{NUMERALS[rng.randint(0, 4)]}督导组",
    ]
    if kind in ("座谈会", "通报暨群众评议会"):
        fields.append(f"  - {w.pick(PEOPLE)}{rng.randint(12, 90)}名")
    fields += ["agenda:", *(f"  - {a}" for a in rng.sample(AGENDA, rng.randint(2, 4)))]
    if kind in ("专题民主生活会", "组织生活会"):
        fields.append(f"criticisms: {rng.randint(6, 40)}")
    fields += ["measures:", *(f"  - {q(m)}" for m in rng.sample(MEASURES, rng.randint(1, 3)))]
    if kind == "通报暨群众评议会":
        fields.append(f"evaluation: {evaluation(rng, 30, 120, poor=0.15)}")
    if rng.random() < 0.3:
        fields.append(f"summary: {q(w.fill('{emphasis}。'))}")
    return front_matter(fields) + w.body((1, 3), structured=0.1)


DOC_TOPICS = (
    "整改落实",
    "群众评议",
    "专题民主生活会",
    "征求意见",
    "建章立制",
    "督导检查",
    "“四风”问题专项整治",
    "整改“回头看”",
    "立行立改",
    "公开承诺",
)
AGENDA = (
    "主要负责同志代表班子作对照检查",
    "班子成员个人对照检查",
    "开展批评和自我批评",
    "督导组点评",
    "通报征求意见情况",
    "群众代表不记名评议",
    "当场公布评议结果",
    "通报整改方案",
    "集体学习规定篇目",
)


def news_md(w: Writer, column: str, day: dt.date, unit: Unit | None, image: str | None) -> str:
    rng = w.rng
    w.unit, w.day = unit, day
    name = unit.name if unit else "市活动办"
    title_templates = {
        "news": (
            "{u}召开教育实践活动推进会",
            "{u}深入基层听取群众意见",
            "{u}：聚焦“{s}”立行立改",
            "{u}公开整改清单接受群众监督",
            "{u}开展“四风”问题专项整治",
            "{u}领导班子召开专题民主生活会",
        ),
        "notices": (
            "关于{u}专题民主生活会群众评议结果的公示",
            "关于征求对{u}领导班子作风意见建议的公告",
            "关于召开{u}整改落实情况通报会的通知",
            "{u}整改进展情况通报",
        ),
        "policy": ("省委教育实践活动领导小组关于{s}工作的通知", "关于深入推进整改落实工作的意见"),
        "district-docs": ("市活动办关于{u}整改方案的批复", "关于开展“{s}”活动的实施意见"),
        "experience": (
            "{u}：以“{s}”推动作风转变",
            "{u}：开门纳谏的几点做法",
            "{u}建立整改长效机制的经验",
        ),
        "photos": ("图片新闻：{u}开展“{s}”活动", "图片新闻：{u}干部深入一线"),
        "media": ("{m}：{u}推行“{s}”", "{m}关注{u}整改落实", "{m}：{u}让群众评作风"),
    }
    title = w.pick(title_templates[column]).format(u=name, s=w.pick(SLOGANS), m=w.pick(MEDIA))
    fields = [f"title: {q(title)}", f"date: {w.write_date(day)}", f"column: {column}"]
    if unit:
        fields.append(f"unit: {unit.id}")
    if column == "photos":
        fields.append(
            f"photographer: {w.pick(('市委宣传部', '云州日报', '市活动办'))} {w.person()}"
        )
    elif column == "media":
        fields.append(f"source: {w.pick(MEDIA)}")
    else:
        fields.append(f"author: {w.pick(('市活动办', '市委宣传部', name))}")
    if rng.random() < 0.4:
        fields.append(
            f"summary: {q(w.fill('{unit}' + w.pick(ACTIVITIES) + '，' + w.pick(RESULTS) + '。'))}"
        )
    fields.append(f"tags: [{', '.join(rng.sample(TAGS, rng.randint(1, 3)))}]")
    if image:
        fields += [
            "images:",
            f"  - src: {image}",
            f"    caption: {q(w.fill('{date}，{unit}{activity}。'))}",
        ]
    if rng.random() < 0.01 and day < AS_OF - dt.timedelta(days=5):
        fields.append(f"updated: {(day + dt.timedelta(days=rng.randint(1, 5))).isoformat()}")
    if column == "photos":
        return front_matter(fields) + w.body((1, 2), structured=0)
    return front_matter(fields) + w.body()


def document_md(w: Writer, column: str, day: dt.date, number: int, forwards: str | None) -> str:
    rng = w.rng
    w.unit, w.day = None, day
    upper = column == "policy"
    issuer = (
        "中共云州市委党的群众路线教育实践活动领导小组办公室"
        if not upper
        else "省委党的群众路线教育实践活动领导小组"
    )
    prefix = "云州群办发" if not upper else "省群组发"
    title = (
        f"关于{w.pick(('深入开展', '扎实推进', '认真做好'))}{w.pick(DOC_TOPICS)}工作的通知"
        if not forwards
        else "关于转发上级教育实践活动文件的通知"
    )
    written = day - dt.timedelta(days=rng.randint(0, 3))
    fields = [
        f"title: {title}",
        f"date: {w.write_date(day)}",
        f"column: {column}",
        f"issuer: {issuer}",
        f"doc_number: {prefix}〔2014〕{number}号",
        f"written: {full_cn_date(written)}",
        f"topic: {w.pick(('党务政务', '综合政务', '组织人事'))}",
        f"summary: {q(w.pick(EMPHASES) + '。')}",
        f"tags: [{', '.join(rng.sample(TAGS, 2))}]",
    ]
    if forwards:
        fields.append(f"forwards: {forwards}")
    sections = [f"{NUMERALS[i]}、{w.paragraph(200, 500)}" for i in range(rng.randint(3, 6))]
    body = [
        "各县（市、区）委，市委各部委，市直各单位党组（党委）：",
        w.paragraph(150, 300),
        *sections,
        issuer,
        full_cn_date(written),
    ]
    return front_matter(fields) + "\n\n".join(body) + "\n"


SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" width="640" height="400" viewBox="0 0 640 400">'
    '<rect width="640" height="400" fill="{bg}"/><rect x="40" y="260" width="560" height="100" fill="{fg}"/>'
    '<circle cx="{cx}" cy="150" r="60" fill="{fg}"/></svg>\n'
)


def generate(pages: int, out: Path, seed: int = 2014) -> Plan:
    rng = Random(seed)
    w = Writer(rng)
    unit_count = max(20, round(pages / 100))
    units = make_units(w, unit_count)
    w.units = units
    groups = max(3, round(unit_count / 12))
    files: dict[str, str] = {
        "site_config.yml": config_yaml(groups),
        "content/units.yml": units_yaml(units),
    }
    plan = Plan(units=len(units))

    # ledgers: ~85 % of the units, about 9 % of the pages are ledger items
    ledger_units = [u for u in units if rng.random() < 0.85 or u.kind == "区领导班子"]
    per_unit = max(2, round(pages * 0.09 / len(ledger_units)))
    for unit in ledger_units:
        text, items = ledger_yaml(w, unit, max(1, rng.randint(per_unit // 2, per_unit * 3 // 2)))
        files[f"content/rectification/{unit.id}.yml"] = text
        plan.ledgers.append(items)

    # commitments: ~0.8 % of the pages
    for n in range(max(8, round(pages * 0.008))):
        unit = w.pick(units)
        leader = rng.random() < 0.4
        cid = f"{unit.id}-{'ld' if leader else 'bz'}-{n:04d}"
        files[f"content/commitments/{cid}.yml"] = commitment_yaml(w, unit, leader)
        plan.commitments += 1

    # meetings: ~3 % of the pages
    for n in range(max(12, round(pages * 0.03))):
        unit = w.pick(units)
        kind = MEETING_KINDS[n % len(MEETING_KINDS)]
        day = w.date_between(dt.date(2014, 3, 10), AS_OF)
        mid = f"{day.isoformat()}-{unit.id}-{n:05d}"
        files[f"content/meetings/{day.strftime('%Y-%m')}/{mid}.md"] = meeting_md(
            w, unit, day, kind, mid
        )
        plan.meetings += 1

    # documents: policy and district-docs columns, ~3 % of the pages
    doc_ids: list[str] = []
    for n in range(max(10, round(pages * 0.03))):
        column = DOC_COLUMNS[n % 2]
        day = w.date_between(START, AS_OF)
        policy = [d for d in doc_ids if "-sheng-" in d]
        forwards = (
            w.pick(policy) if column == "district-docs" and policy and rng.random() < 0.2 else None
        )
        did = f"{day.isoformat()}-{'sheng' if column == 'policy' else 'shi'}-{n:05d}"
        files[f"content/documents/{day.strftime('%Y-%m')}/{did}.md"] = document_md(
            w, column, day, n + 1, forwards
        )
        doc_ids.append(did)
        plan.column_records.setdefault(column, []).append(day)
        plan.documents += 1

    # opinions, rules, pages
    rows = [("all", 0)] + [(u.id, 1) for u in units if rng.random() < 0.5]
    files["content/opinions.yml"] = "# 征求意见情况\n" + "".join(
        f"- {{unit: {uid}, meetings: {rng.randint(3, 20) * (40 if s == 0 else 1)}, "
        f"people: {rng.randint(100, 3000) * (30 if s == 0 else 1)}, questionnaires: {rng.randint(100, 1500)}, "
        f"problems: {rng.randint(10, 200)}, suggestions: {rng.randint(5, 120)}}}\n"
        for uid, s in rows
    )
    rules = []
    for n in range(max(6, unit_count // 4)):
        unit = w.pick(units)
        adopted = w.date_between(dt.date(2014, 5, 1), AS_OF)
        rule = [
            f"- id: rule-{n:04d}",
            f"  name: 《{unit.name}{w.pick(RULE_NAMES)}》",
            f"  unit: {unit.id}",
            f"  adopted: {w.write_date(adopted)}",
        ]
        roll = rng.random()
        if roll < 0.3 and doc_ids:
            rule.append(f"  document: {w.pick(doc_ids)}")
        elif roll < 0.6:
            rule.append(f"  url: https://www.example.gov.cn/zhidu/rule-{n:04d}.html")
        rules.append("\n".join(rule))
    files["content/rules.yml"] = "# 建章立制\n" + "\n".join(rules) + "\n"
    for order, (pid, title) in enumerate(
        (("about", "关于本站"), ("supervision", "督导组和举报电话"), ("feedback", "意见反馈")),
        start=1,
    ):
        w.unit = None
        files[f"content/pages/{pid}.md"] = front_matter(
            [f"title: {title}", f"order: {order}"]
        ) + w.body((2, 3))
        plan.pages += 1

    # news: whatever is left, spread over the columns by their shares
    for day_file, (bg, fg, cx) in enumerate(
        (
            ("#dfe8f0", "#8aa4bf", 160),
            ("#f3e9d8", "#c49a5a", 320),
            ("#e3efe3", "#6f9f6f", 480),
            ("#efe3e3", "#b07070", 240),
        )
    ):
        files[f"content/news/photos/images/photo-{day_file + 1}.svg"] = SVG.format(
            bg=bg, fg=fg, cx=cx
        )
    shares = [share for *_, share in COLUMNS]
    months = len({START.strftime("%Y-%m"), AS_OF.strftime("%Y-%m")}) + (
        AS_OF.month - START.month - 1
    )

    def split(total: int) -> list[int]:
        return [max(1, round(total * s / sum(shares))) for s in shares]

    def estimate(total: int) -> int:
        rest = dataclasses.replace(plan, column_records={})
        lists = sum(
            math.ceil((n + len(plan.column_records.get(cid, []))) / PAGE_SIZE) + months
            for (cid, *_), n in zip(COLUMNS, split(total), strict=True)
        )
        return expected_pages(rest) + sum(split(total)) + lists

    news_total = max(len(COLUMNS), round((pages - expected_pages(plan)) / (1 + 1 / PAGE_SIZE)))
    while news_total > len(COLUMNS) and estimate(news_total) > pages:
        news_total -= 1
    while estimate(news_total + 1) <= pages:
        news_total += 1
    counts = split(news_total)
    seq = 0
    for (column, *_), count in zip(COLUMNS, counts, strict=True):
        for _ in range(count):
            seq += 1
            day = w.date_between(START, AS_OF)
            unit = w.pick(units) if rng.random() < 0.85 else None
            image = f"../images/photo-{rng.randint(1, 4)}.svg" if column == "photos" else None
            nid = f"{day.isoformat()}-{unit.id if unit else 'shi'}-{seq:05d}"
            text = news_md(w, column, day, unit, image)
            withdrawn = rng.random() < 0.003
            if withdrawn:
                text = text.replace(
                    "\n---\n",
                    f"\nwithdrawn:\n  date: {AS_OF.isoformat()}\n"
                    "  reason: 内容与已发布稿件重复，予以撤回。\n---\n",
                    1,
                )
            files[f"content/news/{column}/{day.strftime('%Y-%m')}/{nid}.md"] = text
            plan.news += 1
            if not withdrawn:
                plan.column_records.setdefault(column, []).append(day)

    if out.exists():
        shutil.rmtree(out)
    for name in sorted(files):
        path = out / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(files[name], encoding="utf-8")
    return plan


RULE_NAMES = (
    "公务接待管理办法",
    "会议管理规定",
    "公务用车使用管理规定",
    "首问负责制实施细则",
    "限时办结制度",
    "联系群众工作制度",
    "窗口服务规范",
    "整改台账公开办法",
    "检查评比项目管理办法",
    "领导干部接访制度",
)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("pages", type=int, help="about how many pages the built site should have")
    parser.add_argument("out", type=Path, help="the site folder to write (replaced if it exists)")
    parser.add_argument("--seed", type=int, default=2014)
    args = parser.parse_args(argv)
    plan = generate(args.pages, args.out, args.seed)
    items = sum(len(i) for i in plan.ledgers)
    print(
        f"{args.out}: {plan.units} units, {plan.news} news, {plan.documents} documents, "
        f"{len(plan.ledgers)} ledgers ({items} items), {plan.commitments} commitments, "
        f"{plan.meetings} meetings; expected pages ≈ {expected_pages(plan)}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
