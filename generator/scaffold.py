"""`gongshi init` and `gongshi new`: files written for editors, every field explained in Chinese.

Each template lists every field its record class declares in `model.py`: the ones a new
record needs are filled in, the optional ones are commented out with what they mean, so an
editor removes a `# ` instead of looking a field name up. tests/test_scaffold.py checks
that the templates name every declared field and that what they write passes the check.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass
from pathlib import Path
from string import Template

import yaml

from .errors import Problems, Source
from .load.yamlpos import YList, YMap, parse_yaml
from .model import CATEGORIES, COMMITMENT_STATUSES, ITEM_SOURCES, ITEM_STATUSES, MEETING_KINDS
from .schema import SCHEMA_DIR, FileType, file_type, modeline, vscode_settings, write_schemas

KINDS = ("news", "document", "ledger", "item", "commitment", "meeting")


class ScaffoldError(Exception):
    """A request that cannot be done as asked; the message says what to do instead."""


def scalar(text: str) -> str:
    """`text` as a YAML value: plain if it reads back unchanged, else double-quoted."""
    try:
        plain = yaml.safe_load(f"k: {text}") == {"k": text} and "#" not in text
    except yaml.YAMLError:
        plain = False
    return text if plain else json.dumps(text, ensure_ascii=False)


# ---- templates ---------------------------------------------------------------------------

NEWS = Template("""\
---
# 新闻。两行 --- 之间是头信息，下面是正文（Markdown 格式）。
# 以 # 开头的行是说明，不会发布；要用某个可选字段，删掉行首的“# ”再填写。
title: $title  # 标题（必填）
date: $today  # 发布日期（必填）：写成 2014-06-30 或 2014年6月30日
column: $column  # 栏目（必填）：site_config.yml 里 columns 的 id，可选 $columns
${unit_line}  # 单位标识（可选）：content/units.yml 里的 id，新闻会出现在该单位的页面上
# id: $stem  # 标识（可选）：默认就是文件名，是公开网址的一部分，发布后不要再改
# author: 张某某  # 作者
# photographer: 李某某  # 摄影
# source: 区委宣传部  # 来源
# summary: 一两句话的摘要  # 摘要：显示在栏目列表和订阅中
# tags: [作风建设, 征求意见]  # 标签
# updated: $today  # 更正日期：发布后又修改了内容时填写
# images:  # 图片：图片文件放在本文件旁边，这里写文件名和说明
#   - {src: photo.jpg, caption: 图片说明}
# withdrawn: {date: $today, reason: 撤销原因}  # 撤销：不再出现在列表中，页面保留并说明何时、为何撤销
---

在这里写正文。空一行开始新的一段。

## 小标题

- 列表的一项
- 列表的另一项
""")

DOCUMENT = Template("""\
---
# 文件（公文）。两行 --- 之间是头信息，下面是文件正文（Markdown 格式）。
# 以 # 开头的行是说明，不会发布；要用某个可选字段，删掉行首的“# ”再填写。
title: $title  # 标题（必填）：文件全称
date: $today  # 发布日期（必填）：在本站发布的日期
column: $column  # 栏目（必填）：site_config.yml 里 columns 的 id，可选 $columns
issuer: $issuer  # 发文机关（必填）
# doc_number: 云群办发〔2014〕1号  # 发文字号（文号）：用六角括号〔〕
# written: $today  # 成文日期：文件落款的日期
# index_no: 00000001-1/2014-00001  # 索引号：照文件上的写
# topic: 党务政务  # 主题分类
# forwards: 另一份文件的标识  # 转发的文件：content/documents/ 下那份文件的文件名（不含 .md）
${unit_line}  # 单位标识（可选）：content/units.yml 里的 id
# id: $stem  # 标识（可选）：默认就是文件名，是公开网址的一部分，发布后不要再改
# author: 张某某  # 作者
# photographer: 李某某  # 摄影
# source: 区委办公室  # 来源
# summary: 一两句话说明文件的主要内容  # 摘要
# tags: [实施方案]  # 标签
# updated: $today  # 更正日期
# images:  # 图片：图片文件放在本文件旁边
#   - {src: scan.jpg, caption: 图片说明}
# withdrawn: {date: $today, reason: 撤销原因}  # 撤销：文件废止或发错时填写
---

各有关单位：

在这里写文件正文。

$issuer

$today_cn
""")

ITEM = Template("""\
  - id: $id  # 事项标识（必填）：本台账内唯一，例如 r01；是公开网址的一部分，发布后不要再改
    problem: $title  # 问题（必填）：群众反映或查摆出的问题
    category: 其他  # 类别（必填）：$categories
    # source: 征求意见  # 问题来源：$sources
    measures:  # 整改措施（必填）：一条或多条，每条以“- ”开头
      - 在这里写整改措施
    # leader: 某某某 (职务)  # 责任领导
    owner: 办公室  # 责任人或责任科室（必填）
    deadline: $deadline  # 整改时限（必填）：一个日期，或“立行立改”“长期坚持”
    status: 未启动  # 整改状态（必填）：$statuses
    # completed: $today  # 完成日期：状态改为“已完成”时必须填写
    added: $today  # 列入清单日期：清单公布后补充的事项写补充的日期，简报据此列出“新列入”的事项
    # progress:  # 整改进展：按日期从早到晚，最新的写在最后
    #   - date: $today
    #     text: 进展情况
    #     evidence: [{title: 佐证材料名称, url: https://www.example.gov.cn/}]
    # evaluation: {participants: 50, satisfied: 40, basically_satisfied: 7, dissatisfied: 3}  # 群众评价：三项之和等于参加人数
    # withdrawn: {date: $today, reason: 撤销原因}  # 撤销：不计入统计，页面保留并说明原因
""")

LEDGER = Template("""\
# $unit_name 整改台账。每个问题一项，以“  - id:”开始；
# 添加新事项：gongshi new item --unit $unit
unit: $unit  # 单位标识（必填）：必须与文件名相同
# published: $today  # 整改清单公布日期：简报据此列出“新列入”的事项
items:  # 整改事项（必填）
$items""")

COMMITMENT = Template("""\
# 公开承诺。文件名（不含 .yml）是这组承诺的标识，是公开网址的一部分。
title: $title  # 标题（可选）
by: $unit  # 承诺主体（必填）：单位标识；领导干部个人承诺写成 {name: 姓名, post: 职务, unit: 单位标识}
published: $today  # 公开日期（必填）
items:  # 承诺事项（必填）
  - id: c01  # 承诺事项标识（必填）：本文件内唯一
    text: 在这里写承诺内容  # 承诺内容（必填）
    deadline: 长期坚持  # 兑现时限（必填）：一个日期，或“立行立改”“长期坚持”
    status: 未兑现  # 兑现状态（必填）：$statuses
    # evidence: 兑现情况说明  # 兑现情况说明
    # withdrawn: {date: $today, reason: 撤销原因}  # 撤销这一项
# withdrawn: {date: $today, reason: 撤销原因}  # 撤销整组承诺
""")

MEETING = Template("""\
---
# 会议通报。两行 --- 之间是头信息，下面是通报正文（Markdown 格式）。
# 以 # 开头的行是说明，不会发布；要用某个可选字段，删掉行首的“# ”再填写。
title: $title  # 标题（必填）
kind: $kind  # 会议类型（必填）：$kinds
date: $today  # 会议日期（必填）
unit: $unit  # 单位标识（必填）：召开会议的单位
# id: $stem  # 标识（可选）：默认就是文件名
attendees:  # 参加人员
  - 单位领导班子成员
  - 督导组
agenda:  # 议程
  - 通报征求意见情况
# criticisms: 0  # 提出批评意见条数
# measures:  # 会上明确的整改措施
#   - 在这里写整改措施
# evaluation: {participants: 50, satisfied: 40, basically_satisfied: 7, dissatisfied: 3}  # 群众评议结果：满意和基本满意合计不到三分之二的，须返工补课
# summary: 一两句话的摘要  # 摘要
# updated: $today  # 更正日期：发布后又修改了通报内容时填写
# withdrawn: {date: $today, reason: 撤销原因}  # 撤销
---

在这里写会议通报的正文：会前准备、批评和自我批评、整改措施。
""")

CONFIG = Template("""\
# 站点配置。以 # 开头的行是说明；日期写成 2014-06-30 或 2014年6月30日。
title: $title  # 网站名称（必填）
base_url: $base_url  # 网站地址（必填）：发布后的网址，可以带路径
language: zh-CN  # 语言
organiser: 中共某某区委  # 主办单位
description: 某某区党的群众路线教育实践活动专题网站，公开整改落实情况，接受群众监督。  # 网站简介
campaign:  # 活动（必填）
  name: 党的群众路线教育实践活动  # 活动名称
  start: $start  # 开始日期
  end: $end  # 结束日期
phases:  # 活动环节，按先后顺序
  - {name: 学习教育、听取意见, start: $start, end: $phase1_end}
  - {name: 查摆问题、开展批评, start: $phase2_start, end: $phase2_end}
  - {name: 整改落实、建章立制, start: $phase3_start, end: $end}
columns:  # 栏目，按显示顺序；id 是英文短名，是栏目网址的一部分
  - {id: news, name: 工作动态, description: 区委和各单位开展教育实践活动的日常工作消息。}
  - {id: notices, name: 通知公告}
  - {id: docs, name: 文件, description: 上级和本区关于教育实践活动的文件。}
# as_of: $today  # 数据截至日期：不写时为生成网站的日期
footer:  # 页脚信息
  host: 某某区党的群众路线教育实践活动领导小组办公室  # 主办单位
  undertaker: 某某区委宣传部  # 承办单位
  # icp: 某ICP备00000000号  # ICP 备案号
  # police_record: 某公网安备 00000000000000号  # 公安机关备案号
  # site_id_code: "0000000000"  # 网站标识码
  # badge_image: dzjg.png  # 党政机关网站标识图片：放在 theme/static/ 里
  # badge_link: https://bszs.conac.cn/  # 党政机关网站标识的核验链接
# org_code: "00000000-0"  # 组织机构代码，索引号的前段码
supervision_groups:  # 督导组：公开举报电话和驻地地址
  - id: g1
    name: 区委第一督导组
    phone: 0000-0000000
    address: 某某区某某路1号
    # leader: 某某某  # 组长
    # email: dudao@example.gov.cn  # 电子邮箱
    # hours: 工作日 8:30—12:00，14:30—17:30  # 接待时间
# feed_size: 50  # 每个订阅源的条目数
# bulletin: {period: 每周, name: 某某区教育实践活动简报, sms_length: 300}  # 简报：每周或每月，从活动开始日起算
""")

UNITS = """\
# 参加活动的单位。id 是英文或拼音短名，其他文件用它引用单位，发布后不要再改。
# kind 可选：区领导班子、区直单位、执法监管部门和窗口单位、街道、乡镇、社区、村、
#   非公有制经济组织、学校、医院、国有企业、事业单位、其他
# parent 是上级单位的 id，supervision_group 是 site_config.yml 里督导组的 id。
- {id: district-leaders, name: 中共某某区委常委班子, kind: 区领导班子, supervision_group: g1}
- {id: qwbgs, name: 区委办公室, kind: 区直单位, supervision_group: g1}
- {id: hebin-jd, name: 河滨街道党工委, kind: 街道, supervision_group: g1}
- {id: liuying-sq, name: 柳营社区党委, kind: 社区, parent: hebin-jd, supervision_group: g1}
"""

OPINIONS = Template("""\
# 征求意见情况。unit: all 是全区合计，其余每个单位一项。
- {unit: all, meetings: 3, people: 120, questionnaires: 200, problems: 12, suggestions: 8}
- {unit: hebin-jd, meetings: 1, people: 60, questionnaires: 80, problems: 5, suggestions: 3}
""")

RULES = Template("""\
# 建章立制：活动中出台的制度。url 是全文网址；document 是 content/documents/ 里的文件标识。
- id: huiyi-guiding
  name: 《关于精简会议的规定》
  unit: qwbgs
  adopted: $today
  # url: https://www.example.gov.cn/  # 制度全文链接
  document: $document  # 制度全文对应的文件标识
""")

ABOUT = """\
---
title: 关于本站  # 标题（必填）
summary: 本站公开教育实践活动的进展和各单位整改落实情况。  # 摘要
order: 1  # 排序：数字小的排在前面
---

本站由区活动办主办，公开各单位征求意见、查摆问题和整改落实的情况，欢迎监督。
"""

GITIGNORE = "/site/\n/.site.tmp-*/\n/.site.old-*/\n/.gongshi-cache/\n"


# ---- the site being written to ---------------------------------------------------------


@dataclass
class SiteInfo:
    """What the templates need to know about an existing site, read leniently."""

    root: Path
    columns: list[str]
    organiser: str
    units: dict[str, str]  # id → name

    @classmethod
    def read(cls, root: Path) -> SiteInfo:
        config = _read_yaml(root / "site_config.yml")
        if not isinstance(config, YMap):
            raise ScaffoldError(f"{root} 里没有可用的 site_config.yml：请先运行 gongshi init {root}，"
                                "或用最后一个参数指定站点目录")
        columns = [str(c["id"]) for c in config.get("columns") or [] if isinstance(c, YMap) and "id" in c]
        units_data = _read_yaml(root / "content" / "units.yml")
        units = {str(u["id"]): str(u.get("name", u["id"])) for u in units_data or []
                 if isinstance(u, YMap) and "id" in u} if isinstance(units_data, YList) else {}
        return cls(root, columns, str(config.get("organiser") or ""), units)

    def unit(self, unit: str | None, required: bool) -> str | None:
        if unit is None:
            if required:
                raise ScaffoldError("请用 --unit 指定单位标识。" + self._unit_list())
            return None
        if self.units and unit not in self.units:
            raise ScaffoldError(f"content/units.yml 里没有单位“{unit}”。" + self._unit_list())
        return unit

    def _unit_list(self) -> str:
        shown = "、".join(f"{k}（{v}）" for k, v in list(self.units.items())[:20])
        return f"可用单位：{shown}" if shown else "请先在 content/units.yml 里添加单位"

    def column(self, column: str | None) -> str:
        if column is not None and self.columns and column not in self.columns:
            raise ScaffoldError(f"site_config.yml 里没有栏目“{column}”。可用栏目：{'、'.join(self.columns)}")
        if column is None and not self.columns:
            raise ScaffoldError("site_config.yml 里还没有栏目（columns）：请先添加，或用 --column 指定")
        return column or self.columns[0]


def _read_yaml(path: Path) -> object:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return None
    return parse_yaml(text, Source(path.name), Problems())


def _free_stem(folder: Path, stem: str, suffix: str) -> str:
    """`stem`, or `stem-2`, `stem-3`… if a file of that name exists anywhere under `folder`."""
    taken = {p.stem for p in folder.rglob(f"*{suffix}")} if folder.is_dir() else set()
    candidate, n = stem, 1
    while candidate in taken:
        n += 1
        candidate = f"{stem}-{n}"
    return candidate


def _with_modeline(root: Path, path: Path, text: str, kind: FileType) -> str:
    """Prefix the yaml-language-server comment when the site has its schemas."""
    if not (root / SCHEMA_DIR / kind.file_name).is_file():
        return text
    relative = path.relative_to(root).as_posix()
    return modeline(kind, relative) + "\n" + text


def _write_new(path: Path, text: str) -> Path:
    if path.exists():
        raise ScaffoldError(f"{path} 已存在，没有覆盖")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def _cn_date(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


# ---- gongshi new -------------------------------------------------------------------------


@dataclass
class Request:
    """What `gongshi new` was asked for."""

    kind: str
    unit: str | None = None
    title: str | None = None
    column: str | None = None
    id: str | None = None
    today: dt.date | None = None


def new(root: Path, request: Request) -> Path:
    """Write one new record into the site at `root`; the file written (or appended to)."""
    site = SiteInfo.read(root)
    today = request.today or dt.date.today()
    if request.id is not None and not re.fullmatch(r"[a-z0-9][a-z0-9_-]*", request.id):
        raise ScaffoldError(f"标识“{request.id}”只能由小写英文字母、数字和连字符组成，例如 {today}-kaihui")
    writers = {"news": _new_article, "document": _new_article, "ledger": _new_ledger,
               "item": _new_item, "commitment": _new_commitment, "meeting": _new_meeting}
    return writers[request.kind](site, request, today)


def _new_article(site: SiteInfo, request: Request, today: dt.date) -> Path:
    unit = site.unit(request.unit, required=False)
    column = site.column(request.column)
    is_doc = request.kind == "document"
    folder = site.root / "content" / ("documents" if is_doc else f"news/{column}")
    base = site.root / "content" / ("documents" if is_doc else "news")
    stem = request.id or _free_stem(base, f"{today.isoformat()}-{request.kind}", ".md")
    values = {
        "title": scalar(request.title or "在这里写标题"), "today": today.isoformat(),
        "today_cn": _cn_date(today), "column": column, "columns": "、".join(site.columns),
        "unit_line": f"unit: {unit}" if unit else "# unit: 单位标识", "stem": stem,
        "issuer": scalar(site.organiser or "在这里写发文机关"),
    }
    return _write_new(folder / f"{stem}.md", (DOCUMENT if is_doc else NEWS).substitute(values))


def _item_text(item_id: str, title: str | None, today: dt.date) -> str:
    return ITEM.substitute(
        id=item_id, title=scalar(title or "在这里写群众反映或查摆出的问题"), today=today.isoformat(),
        deadline=(today + dt.timedelta(days=30)).isoformat(), categories="、".join(CATEGORIES),
        sources="、".join(ITEM_SOURCES), statuses="、".join(ITEM_STATUSES))


def _new_ledger(site: SiteInfo, request: Request, today: dt.date) -> Path:
    unit = site.unit(request.unit, required=True)
    assert unit is not None
    path = site.root / "content" / "rectification" / f"{unit}.yml"
    if path.exists():
        raise ScaffoldError(f"{unit} 的整改台账 {path} 已存在：添加事项请用 gongshi new item --unit {unit}")
    text = LEDGER.substitute(unit=unit, unit_name=site.units.get(unit, unit), today=today.isoformat(),
                             items=_item_text(request.id or "r01", request.title, today))
    return _write_new(path, _with_modeline(site.root, path, text, file_type("ledger")))


def _new_item(site: SiteInfo, request: Request, today: dt.date) -> Path:
    unit = site.unit(request.unit, required=True)
    path = site.root / "content" / "rectification" / f"{unit}.yml"
    if not path.is_file():
        raise ScaffoldError(f"{unit} 还没有整改台账：先运行 gongshi new ledger --unit {unit}")
    text = path.read_text(encoding="utf-8-sig").replace("\r\n", "\n")
    data = parse_yaml(text, Source(path.name), Problems())
    items = data.get("items") if isinstance(data, YMap) else None
    if not isinstance(items, YList) or not items or items.line == data.lines["items"]:
        raise ScaffoldError(f"{path} 的 items 不是“  - id: …”逐项写出的列表，无法自动添加：请手工添加，"
                            "格式见编辑手册“整改台账”一节")
    ids = [str(i.get("id", "")) for i in items if isinstance(i, YMap)]
    item_id = request.id or _next_id(ids)
    if item_id in ids:
        raise ScaffoldError(f"事项标识 {item_id} 已经用过了：换一个，或不写 --id 自动编号")
    lines = text.split("\n")
    end = _block_end(lines, data.lines["items"])
    indent = len(lines[items.lines[0] - 1]) - len(lines[items.lines[0] - 1].lstrip())
    block = _item_text(item_id, request.title, today).rstrip("\n").split("\n")
    block = [(" " * (indent - 2) + line) if indent >= 2 else line[2 - indent:] for line in block]
    lines[end:end] = block
    new_text = "\n".join(lines)
    check = parse_yaml(new_text, Source(path.name), Problems())
    if not (isinstance(check, YMap) and isinstance(check.get("items"), YList)
            and len(check["items"]) == len(items) + 1):
        raise ScaffoldError(f"无法在 {path} 里自动添加事项：请手工添加，格式见编辑手册“整改台账”一节")
    path.write_text(new_text if new_text.endswith("\n") else new_text + "\n", encoding="utf-8")
    return path


def _next_id(ids: list[str]) -> str:
    numbers = [int(m.group(1)) for i in ids if (m := re.fullmatch(r"r(\d+)", i))]
    return f"r{max(numbers, default=0) + 1:02d}"


def _block_end(lines: list[str], key_line: int) -> int:
    """The index just after the top-level block that starts at line `key_line` (1-based).

    The block is the key's indented lines (comments included) and, for a sequence written
    without indent, its `- ` lines; a comment at column 0 before the next key is not in it.
    """
    end = key_line
    for index in range(key_line, len(lines)):
        line = lines[index]
        inside = line[:1].isspace() or line.startswith("-")
        if line and not inside and not line.startswith("#"):
            break  # the next top-level key
        if line.strip() and inside:
            end = index + 1
    return end


def _new_commitment(site: SiteInfo, request: Request, today: dt.date) -> Path:
    unit = site.unit(request.unit, required=True)
    folder = site.root / "content" / "commitments"
    stem = request.id or _free_stem(folder, f"{unit}-{today.year}", ".yml")
    path = folder / f"{stem}.yml"
    title = request.title or f"{site.units.get(unit or '', unit)}公开承诺"
    text = COMMITMENT.substitute(title=scalar(title), unit=unit, today=today.isoformat(),
                                 statuses="、".join(COMMITMENT_STATUSES))
    return _write_new(path, _with_modeline(site.root, path, text, file_type("commitment")))


def _new_meeting(site: SiteInfo, request: Request, today: dt.date) -> Path:
    unit = site.unit(request.unit, required=True)
    folder = site.root / "content" / "meetings"
    stem = request.id or _free_stem(folder, f"{today.isoformat()}-{unit}-meeting", ".md")
    title = request.title or f"{site.units.get(unit or '', unit)}专题民主生活会情况通报"
    text = MEETING.substitute(title=scalar(title), unit=unit, today=today.isoformat(), stem=stem,
                              kind=MEETING_KINDS[0], kinds="、".join(MEETING_KINDS))
    return _write_new(folder / f"{stem}.md", text)


# ---- gongshi init ------------------------------------------------------------------------


def init(root: Path, title: str = "某某区群众路线网",
         base_url: str = "https://www.example.gov.cn/qzlx/", today: dt.date | None = None) -> list[Path]:
    """Create a small working site in `root` (which must be empty or absent); the files written."""
    if root.exists() and (not root.is_dir() or any(root.iterdir())):
        raise ScaffoldError(f"{root} 不是空目录：gongshi init 只在新目录或空目录里创建站点")
    today = today or dt.date.today()
    day = dt.timedelta(days=1)
    root.mkdir(parents=True, exist_ok=True)
    written = write_schemas(root / SCHEMA_DIR)
    settings = json.dumps(vscode_settings(), ensure_ascii=False, indent=2) + "\n"
    written.append(_write_new(root / ".vscode" / "settings.json", settings))
    written.append(_write_new(root / ".gitignore", GITIGNORE))
    start, end = today - 20 * day, today + 160 * day
    config = CONFIG.substitute(
        title=scalar(title), base_url=scalar(base_url), today=today.isoformat(), start=start,
        end=end, phase1_end=start + 59 * day, phase2_start=start + 60 * day,
        phase2_end=start + 119 * day, phase3_start=start + 120 * day)
    plain_files = {"site_config.yml": (config, "site_config"), "content/units.yml": (UNITS, "units"),
                   "content/opinions.yml": (OPINIONS.substitute(), "opinions")}
    document = f"{today.isoformat()}-document"
    plain_files["content/rules.yml"] = (RULES.substitute(today=today.isoformat(), document=document),
                                        "rules")
    for relative, (text, kind) in plain_files.items():
        path = root / relative
        written.append(_write_new(path, _with_modeline(root, path, text, file_type(kind))))
    written.append(_write_new(root / "content" / "pages" / "about.md", ABOUT))
    requests = [
        Request("news", unit="qwbgs", title="区委召开教育实践活动动员大会"),
        Request("document", title="关于精简会议的规定", column="docs", id=document),
        Request("ledger", unit="hebin-jd", title="社区办事要跑多次，办事指南不清楚"),
        Request("commitment", unit="hebin-jd"),
        Request("meeting", unit="hebin-jd"),
    ]
    for request in requests:
        request.today = today
        written.append(new(root, request))
    return written
