"""Open data: every ledger, the commitments and the meeting evaluations as CSV and JSON.

CSV is UTF-8 with a BOM so that Excel shows Chinese correctly; headers are the Chinese
labels. JSON uses the English keys. One column table drives both and the data page.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from . import urls
from .compute import CommitmentState, ItemState
from .model import Document, Meeting
from .site import Site


@dataclass(frozen=True)
class Column:
    key: str  # JSON key
    label: str  # CSV header
    about: str  # documentation on the data page
    get: Callable[[Any], Any]


def _date(value: object) -> str:
    return value.isoformat() if isinstance(value, dt.date) else (str(value) if value is not None else "")


AS_OF = Column("as_of", "数据截至", "计算“截至日状态”和逾期天数所依据的日期（数据截至日期）", lambda r: r.as_of)

ITEM_COLUMNS = (
    Column("unit", "单位标识", "单位的标识（见 units.json）", lambda s: s.item.unit),
    Column("unit_name", "单位", "单位名称", lambda s: s.unit_name),
    Column("number", "序号", "在该单位整改清单中的序号", lambda s: s.number),
    Column("id", "事项标识", "事项的永久标识，是网址的一部分", lambda s: s.item.id),
    Column("problem", "问题", "查摆出的问题", lambda s: s.item.problem),
    Column("category", "类别", "形式主义、官僚主义、享乐主义、奢靡之风、群众切身利益、最后一公里、专项整治或其他",
           lambda s: s.item.category),
    Column("source", "问题来源", "群众提、自己找、上级点、互相帮、集体议、征求意见或民主生活会",
           lambda s: s.item.source or ""),
    Column("measures", "整改措施", "整改措施，多条之间用“；”分隔", lambda s: "；".join(s.item.measures)),
    Column("leader", "责任领导", "责任领导", lambda s: s.item.leader),
    Column("owner", "责任人", "责任人或责任科室", lambda s: s.item.owner),
    Column("deadline", "整改时限", "日期（YYYY-MM-DD），或“立行立改”“长期坚持”", lambda s: _date(s.item.deadline)),
    Column("status", "整改状态", "单位填报的状态：未启动、整改中或已完成", lambda s: s.item.status),
    Column("completed", "完成日期", "已完成事项的完成日期", lambda s: _date(s.item.completed)),
    Column("state", "截至日状态", "按数据截至日期计算：已完成、逾期、即将到期（7天内）、整改中或未启动",
           lambda s: s.label),
    Column("overdue_days", "逾期天数", "截至日已超过时限的天数（未逾期为 0）", lambda s: s.overdue_days),
    AS_OF,
    Column("progress_count", "进展条数", "已公布的进展记录条数", lambda s: len(s.item.progress)),
    Column("latest_progress_date", "最新进展日期", "最新一条进展的日期", lambda s: _date(s.latest.date if s.latest else None)),
    Column("latest_progress", "最新进展", "最新一条进展的内容", lambda s: s.latest.text if s.latest else ""),
    Column("satisfaction", "群众满意率", "（满意＋基本满意）÷ 参加评价人数；未评价为空",
           lambda s: s.satisfaction.percent if s.satisfaction else ""),
    Column("withdrawn", "撤销日期", "撤销的日期；撤销的事项不计入统计", lambda s: _date(s.item.withdrawn.date if s.item.withdrawn else None)),
    Column("url", "网址", "该事项的公开网页", lambda s: s.url),
)

COMMITMENT_COLUMNS = (
    Column("commitment", "承诺标识", "承诺（一组事项）的标识", lambda s: s.commitment.id),
    Column("title", "承诺标题", "承诺的标题", lambda s: s.commitment.title),
    Column("by", "承诺主体", "承诺的单位或领导干部", lambda s: s.by),
    Column("published", "公开日期", "承诺公开的日期", lambda s: _date(s.commitment.published)),
    Column("id", "事项标识", "承诺事项的标识", lambda s: s.item.id),
    Column("text", "承诺内容", "承诺内容", lambda s: s.item.text),
    Column("deadline", "时限", "日期或“长期坚持”等", lambda s: _date(s.item.deadline)),
    Column("status", "兑现状态", "填报的状态：未兑现、兑现中或已兑现", lambda s: s.item.status),
    Column("state", "截至日状态", "按数据截至日期计算：已兑现、逾期未兑现、兑现中或未兑现", lambda s: s.label),
    AS_OF,
    Column("evidence", "兑现情况说明", "兑现情况说明", lambda s: s.item.evidence),
    Column("url", "网址", "承诺的公开网页", lambda s: s.url),
)

EVALUATION_COLUMNS = (
    Column("meeting", "会议标识", "会议的标识", lambda r: r.meeting.id),
    Column("title", "会议", "会议名称", lambda r: r.meeting.title),
    Column("kind", "会议类型", "会议类型", lambda r: r.meeting.kind),
    Column("date", "日期", "会议日期", lambda r: _date(r.meeting.date)),
    Column("unit", "单位标识", "单位的标识", lambda r: r.meeting.unit),
    Column("unit_name", "单位", "单位名称", lambda r: r.unit_name),
    Column("participants", "参加评议人数", "参加群众评议的人数", lambda r: r.result.evaluation.participants),
    Column("satisfied", "满意", "评价为满意的人数", lambda r: r.result.evaluation.satisfied),
    Column("basically_satisfied", "基本满意", "评价为基本满意的人数", lambda r: r.result.evaluation.basically_satisfied),
    Column("dissatisfied", "不满意", "评价为不满意的人数", lambda r: r.result.evaluation.dissatisfied),
    Column("satisfaction", "满意率", "（满意＋基本满意）÷ 参加人数", lambda r: r.result.percent),
    Column("redo", "须返工补课", "满意率低于三分之二为“是”", lambda r: "是" if r.result.under_two_thirds else "否"),
    Column("url", "网址", "会议通报的公开网页", lambda r: r.url),
)

DOCUMENT_COLUMNS = (
    Column("index_no", "索引号", "前段码（组织机构代码）/年份-五位顺序号；发布后不变", lambda r: r.index_no),
    Column("id", "文件标识", "文件的永久标识，是网址的一部分", lambda r: r.document.id),
    Column("title", "标题", "文件标题", lambda r: r.document.title),
    Column("doc_number", "发文字号", "文号", lambda r: r.document.doc_number),
    Column("issuer", "发文机关", "发文机关", lambda r: r.document.issuer),
    Column("written", "成文日期", "成文日期", lambda r: _date(r.document.written)),
    Column("date", "发布日期", "在本站发布的日期", lambda r: _date(r.document.date)),
    Column("topic", "主题分类", "主题分类", lambda r: r.document.topic),
    Column("forwards", "转发文件", "所转发文件的标识", lambda r: r.document.forwards or ""),
    Column("withdrawn", "撤销日期", "撤销的日期", lambda r: _date(r.document.withdrawn.date if r.document.withdrawn else None)),
    Column("url", "网址", "文件的公开网页", lambda r: r.url),
)


@dataclass(frozen=True)
class Row:
    """One record with what its columns need besides the record itself."""

    source: Any
    unit_name: str
    url: str
    by: str = ""
    as_of: str = ""  # the date the computed columns are as of

    @property
    def item(self) -> Any:  # what most columns read: without the failed lookup before __getattr__
        return self.source.item

    def __getattr__(self, name: str) -> Any:
        return getattr(self.source, name)


def _csv(columns: tuple[Column, ...], values: list[list[Any]], rows: bytes = b"") -> bytes:
    """`rows`: more rows, as a CSV file of these columns holds them after its header."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([c.label for c in columns])
    writer.writerows(values)
    return b"\xef\xbb\xbf" + buffer.getvalue().encode("utf-8") + rows


# A record of scalars as json.dumps(indent=1) lays it out inside the list of records, made by
# json's C encoder (with an indent json walks the values in Python: several times slower).
_FLAT_RECORD = json.JSONEncoder(ensure_ascii=False, separators=(",\n   ", ": "))
_SCALARS = (str, int, float, bool, type(None))


def _record_json(record: dict[str, Any]) -> str:
    if record and all(isinstance(v, _SCALARS) for v in record.values()):
        return "{\n   " + _FLAT_RECORD.encode(record)[1:-1] + "\n  }"
    # JSON strings hold no line breaks: every one is layout, to be indented two more
    return json.dumps(record, ensure_ascii=False, indent=1).replace("\n", "\n  ")


_OPEN, _END = '\n "records": [\n  ', "\n ]\n}\n"  # around the records, in the layout below


def _json(columns: tuple[Column, ...], values: list[list[Any]], meta: dict[str, Any],
          more: tuple[int, list[str]] = (0, [])) -> bytes:
    """What json.dumps({**meta, "count": n, "records": records}, ensure_ascii=False, indent=1) gives.
    `more`: the count of more records and their text, as `_records` takes it from such a file."""
    head = json.dumps({**meta, "count": len(values) + more[0]}, ensure_ascii=False, indent=1)
    keys = [c.key for c in columns]
    records = [_record_json(dict(zip(keys, row, strict=True))) for row in values] + more[1]
    if not records:
        return (head[:-2] + ',\n "records": []\n}\n').encode("utf-8")
    return (head[:-2] + "," + _OPEN + ",\n  ".join(records) + _END).encode("utf-8")


def _rows(csv_file: bytes) -> bytes:
    """The rows of a CSV file `_csv` wrote: after its header, which holds no line break."""
    return csv_file[csv_file.index(b"\r\n") + 2:]


def _records(json_file: bytes) -> tuple[int, str]:
    """The count and the text of the records of a JSON file `_json` wrote ("" for none): the
    line breaks are its layout (no JSON string holds one), the records its last member."""
    text = json_file.decode("utf-8")
    start = text.find(_OPEN)  # none in '"records": []'
    if start < 0:
        return 0, ""
    count = text[:start].rstrip(",").rpartition(" ")[2]  # the head's last member, "count": n
    return int(count), text[start + len(_OPEN): -len(_END)]


@dataclass(frozen=True)
class DataSet:
    path: str  # without extension: data/rectification/edu → .csv and .json
    title: str
    columns: tuple[Column, ...]
    rows: tuple[Any, ...]
    notes: tuple[tuple[str, str], ...] = ()  # more (key, value) for the JSON file's head
    parts: tuple[DataSet, ...] = ()  # sets of the same columns whose rows are all of `rows`, in order


def data_sets(site: Site) -> list[DataSet]:
    absolute = site.config.base_url.rstrip("/") + "/"
    units = site.units
    as_of = site.as_of.isoformat()

    def item_row(s: ItemState) -> Row:
        return Row(s, units[s.item.unit].name, absolute + urls.item(s.item.unit, s.item.id), as_of=as_of)

    def commitment_row(s: CommitmentState) -> Row:
        c = s.commitment
        by = units[c.by].name if isinstance(c.by, str) else f"{c.by.name}（{c.by.post}）" if c.by.post else c.by.name
        return Row(s, "", absolute + urls.commitment(c), by=by, as_of=as_of)

    def meeting_row(m: Meeting) -> Row:
        return Row(_MeetingResult(m, site.satisfaction[m.id]), units[m.unit].name, absolute + urls.meeting(m))

    ledgers = [DataSet(f"data/rectification/{unit_id}", f"{units[unit_id].name}整改清单", ITEM_COLUMNS,
                       tuple(item_row(s) for s in states)) for unit_id, states in site.rect.by_unit.items()]
    sets = [DataSet("data/rectification/all", "全部整改事项", ITEM_COLUMNS,
                    tuple(row for ledger in ledgers for row in ledger.rows), parts=tuple(ledgers)), *ledgers]
    sets.append(DataSet("data/commitments", "公开承诺事项", COMMITMENT_COLUMNS,
                        tuple(commitment_row(s) for states in site.commitment_states.values() for s in states)))
    sets.append(DataSet("data/evaluations", "会议群众评议结果", EVALUATION_COLUMNS,
                        tuple(meeting_row(m) for m in sorted(site.content.meetings, key=lambda m: (m.date, m.id))
                              if m.id in site.satisfaction)))
    documents = sorted(site.documents.values(), key=lambda d: (d.date, d.id))
    sets.append(DataSet("data/documents", "文件目录", DOCUMENT_COLUMNS,
                        tuple(_DocumentRow(d, site.index_numbers.get(d.id, ""), absolute + urls.article(d))
                              for d in documents),
                        (("index_no_basis", "git" if site.history.available else "date"),)))
    return sets


@dataclass(frozen=True)
class _MeetingResult:
    meeting: Meeting
    result: Any


@dataclass(frozen=True)
class _DocumentRow:
    document: Document
    index_no: str
    url: str


def render_data(data: DataSet, site: Site,
                kept: Callable[[DataSet], tuple[bytes, bytes] | None] = lambda part: None) -> tuple[bytes, bytes]:
    """The CSV and JSON files of `data`. Those of a set made of parts take the rows of each
    part from its files where `kept` gives them (as this build publishes them: the
    all-items set, after an edit of one ledger, from the other ledgers' files)."""
    meta = {"title": data.title, "site": site.config.title, "as_of": site.as_of.isoformat(),
            "fields": {c.key: c.label for c in data.columns}, **dict(data.notes)}
    if not data.parts:
        values = [[c.get(row) for c in data.columns] for row in data.rows]
        return _csv(data.columns, values), _json(data.columns, values, meta)
    files = [kept(part) or render_data(part, site) for part in data.parts]
    records = [_records(json_file) for _, json_file in files]
    return (_csv(data.columns, [], b"".join(_rows(csv_file) for csv_file, _ in files)),
            _json(data.columns, [], meta, (sum(n for n, _ in records), [text for n, text in records if n])))
