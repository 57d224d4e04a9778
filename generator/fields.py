"""Field kinds: how one YAML value becomes one typed value, or an error with its line.

A record class in `model.py` declares each editor-facing field with `spec(kind, label)`;
`build_record` walks those declarations. The same declarations later give the JSON
Schemas, so the loader and the schemas cannot disagree.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import difflib
import re
from collections.abc import Callable
from typing import Any, TypeVar

from .errors import Problems, Source, shared_keys
from .load.yamlpos import YList, YMap

INVALID: Any = object()
T = TypeVar("T")
Schema = dict[str, Any]  # a JSON Schema (draft 2020-12) as plain data

DEADLINE_WORDS = ("立行立改", "长期坚持")
_CN_DATE = re.compile(r"^\s*(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日\s*$")
_NUM_DATE = re.compile(r"^\s*(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})\s*$")
_SLUG = re.compile(r"^[a-z0-9][a-z0-9_-]*$")

# The same rules as JSON Schema patterns (ECMA-262 syntax, which Python's re also reads).
_MONTH, _DAY = r"(?:0?[1-9]|1[0-2])", r"(?:0?[1-9]|[12][0-9]|3[01])"
DATE_PATTERN = (rf"^\s*(?:[0-9]{{4}}\s*年\s*{_MONTH}\s*月\s*{_DAY}\s*日"
                rf"|[0-9]{{4}}[-/.]{_MONTH}[-/.]{_DAY})\s*$")


def _any_case(word: str) -> str:
    return "".join(f"[{c.lower()}{c.upper()}]" if c.isalpha() else c for c in word)


URL_PATTERN = (r"^(?!\s*(?:" + "|".join(map(_any_case, ("javascript", "data", "vbscript"))) + r"):)"
               r"\s*(?:" + _any_case("http") + r"[sS]?://|/|#|\.{0,2}/?[\w-])")


class Kind:
    """Converts one raw YAML value; reports problems at `where` and returns INVALID."""

    expected = "一个值"

    def convert(self, value: Any, key: str, where: Source, problems: Problems) -> Any:
        raise NotImplementedError

    def json_schema(self, defs: dict[str, Schema]) -> Schema:
        """The values `convert` accepts, as JSON Schema; record classes are put into `defs`."""
        raise NotImplementedError

    def wrong(self, value: Any, key: str, where: Source, problems: Problems, hint: str = "") -> Any:
        problems.add("E032", where, key=key, expected=self.expected, value=_show(value),
                     hint=hint or f"改成{self.expected}")
        return INVALID


def _show(value: Any) -> str:
    if isinstance(value, YMap):
        return "{" + ", ".join(value) + "}"
    text = str(value)
    return text if len(text) <= 40 else text[:40] + "…"


class Text(Kind):
    expected = "一段文字"

    def convert(self, value: Any, key: str, where: Source, problems: Problems) -> Any:
        if isinstance(value, bool) or isinstance(value, (YMap, YList)) or value is None:
            if value is None:
                problems.add("E035", where, key=key)
                return INVALID
            return self.wrong(value, key, where, problems, "如果文字里有冒号或以特殊符号开头，请给整段加上引号")
        text = str(value).strip()
        if not text:
            problems.add("E035", where, key=key)
            return INVALID
        return text

    def json_schema(self, defs: dict[str, Schema]) -> Schema:
        return {"type": ["string", "number"], "pattern": r"\S"}


class Url(Text):
    expected = "一个网址（http://、https:// 或以 / 开头的站内地址）"

    def convert(self, value: Any, key: str, where: Source, problems: Problems) -> Any:
        text = super().convert(value, key, where, problems)
        if text is INVALID:
            return text
        if not re.match(r"^(https?://|/|#|\.{0,2}/?[\w-])", text, re.IGNORECASE) or re.match(
            r"^\s*(javascript|data|vbscript):", text, re.IGNORECASE
        ):
            return self.wrong(value, key, where, problems)
        return text

    def json_schema(self, defs: dict[str, Schema]) -> Schema:
        return {"type": "string", "pattern": URL_PATTERN}


class Slug(Kind):
    expected = "一个标识"

    def convert(self, value: Any, key: str, where: Source, problems: Problems) -> Any:
        if isinstance(value, (int, str)) and not isinstance(value, bool):
            text = str(value).strip()
            if _SLUG.match(text):
                return text
        if value is None:
            problems.add("E035", where, key=key)
            return INVALID
        problems.add("E036", where, key=key, value=_show(value))
        return INVALID

    def json_schema(self, defs: dict[str, Schema]) -> Schema:
        return {"type": ["string", "integer"], "pattern": r"^\s*[a-z0-9][a-z0-9_-]*\s*$",
                "minimum": 0, "description": "一个标识：小写英文字母、数字和连字符，例如 r01、jiaoyu-ju；"
                "是公开网址的一部分，发布后不要再改"}


class Integer(Kind):
    expected = "一个不小于 0 的整数"

    def convert(self, value: Any, key: str, where: Source, problems: Problems) -> Any:
        if isinstance(value, str) and value.strip().isdigit():
            value = int(value.strip())
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            return self.wrong(value, key, where, problems)
        return value

    def json_schema(self, defs: dict[str, Schema]) -> Schema:
        return {"type": ["integer", "string"], "minimum": 0, "pattern": r"^\s*[0-9]+\s*$"}


class Boolean(Kind):
    expected = "true（是）或 false（否）"

    def convert(self, value: Any, key: str, where: Source, problems: Problems) -> Any:
        if isinstance(value, bool):
            return value
        return self.wrong(value, key, where, problems)

    def json_schema(self, defs: dict[str, Schema]) -> Schema:
        return {"type": "boolean"}


def parse_date(value: Any) -> dt.date | str:
    """A date from `2014-06-30`, `2014/6/30` or `2014年6月30日`; a reason string if not."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if not isinstance(value, str):
        return "不是日期"
    match = _CN_DATE.match(value) or _NUM_DATE.match(value)
    if not match:
        return "格式无法识别"
    year, month, day = (int(part) for part in match.groups())
    try:
        return dt.date(year, month, day)
    except ValueError:
        return f"{year}年{month}月没有{day}日" if 1 <= month <= 12 else f"没有{month}月"


class Date(Kind):
    expected = "一个日期"

    def convert(self, value: Any, key: str, where: Source, problems: Problems) -> Any:
        parsed = parse_date(value)
        if isinstance(parsed, str):
            problems.add("E034", where, key=key, value=_show(value), reason=parsed)
            return INVALID
        return parsed

    def json_schema(self, defs: dict[str, Schema]) -> Schema:
        return {"type": "string", "pattern": DATE_PATTERN, "examples": ["2014-06-30", "2014年6月30日"],
                "description": "一个日期，写成 2014-06-30 或 2014年6月30日"}


class Deadline(Kind):
    """A date, or one of the words 立行立改 / 长期坚持."""

    expected = "一个日期，或“立行立改”“长期坚持”"

    def convert(self, value: Any, key: str, where: Source, problems: Problems) -> Any:
        if isinstance(value, str) and value.strip() in DEADLINE_WORDS:
            return value.strip()
        parsed = parse_date(value)
        if isinstance(parsed, str):
            problems.add("E034", where, key=key, value=_show(value),
                         reason=parsed + "；时限也可以写“立行立改”或“长期坚持”")
            return INVALID
        return parsed

    def json_schema(self, defs: dict[str, Schema]) -> Schema:
        date = Date().json_schema(defs)
        del date["description"]
        return {"anyOf": [date, {"enum": list(DEADLINE_WORDS)}],
                "description": "一个日期（2014-06-30 或 2014年6月30日），或“立行立改”“长期坚持”"}


class Choice(Kind):
    def __init__(self, *choices: str):
        self.choices = choices
        self.expected = "、".join(choices) + " 之一"

    def convert(self, value: Any, key: str, where: Source, problems: Problems) -> Any:
        text = str(value).strip() if isinstance(value, (str, int)) else None
        if text in self.choices:
            return text
        problems.add("E033", where, key=key, value=_show(value), choices="、".join(self.choices))
        return INVALID

    def json_schema(self, defs: dict[str, Schema]) -> Schema:
        return {"enum": list(self.choices)}


class ListOf(Kind):
    """A YAML list; a single value is taken as a list of one (editors often write that)."""

    def __init__(self, item: Kind):
        self.item = item
        self.expected = "一个列表"

    def convert(self, value: Any, key: str, where: Source, problems: Problems) -> Any:
        if value is None:
            return ()
        if not isinstance(value, YList):
            if isinstance(value, YMap) and not isinstance(self.item, Record):
                return self.wrong(value, key, where, problems)
            value, lines = [value], [where.line]
        else:
            lines = value.lines
        out = [self.item.convert(v, key, where.at(line), problems) for v, line in zip(value, lines)]
        if isinstance(self.item, Record) and not all(v is INVALID for v in out):
            # one broken ledger item must not hide the other items' mistakes: keep the good
            # ones for the later checks (the build stops anyway, the problem is reported)
            return tuple(v for v in out if v is not INVALID)
        return INVALID if any(v is INVALID for v in out) else tuple(out)

    def json_schema(self, defs: dict[str, Schema]) -> Schema:
        item = self.item.json_schema(defs)
        return {"anyOf": [{"type": "array", "items": item}, item, {"type": "null"}]}

    def required_schema(self, defs: dict[str, Schema]) -> Schema:
        """A required list needs at least one entry (see `build_record`)."""
        item = self.item.json_schema(defs)
        return {"anyOf": [{"type": "array", "items": item, "minItems": 1}, item]}


class Record(Kind):
    """A nested mapping that becomes a record class of `model.py`."""

    def __init__(self, cls: type):
        self.cls = cls
        self.expected = "一组“字段: 值”"

    def convert(self, value: Any, key: str, where: Source, problems: Problems) -> Any:
        if not isinstance(value, YMap):
            return self.wrong(value, key, where, problems)
        record = build_record(self.cls, value, where, problems)
        return INVALID if record is None else record

    def json_schema(self, defs: dict[str, Schema]) -> Schema:
        name = self.cls.__name__
        if name not in defs:
            defs[name] = {}  # placeholder first: a record may (indirectly) contain itself
            defs[name] = record_schema(self.cls, defs)
        return {"$ref": f"#/$defs/{name}"}


class Either(Kind):
    """The first kind that fits a value's shape: e.g. a unit id, or a leader's record."""

    def __init__(self, plain: Kind, mapping: Kind, expected: str):
        self.plain, self.mapping, self.expected = plain, mapping, expected

    def convert(self, value: Any, key: str, where: Source, problems: Problems) -> Any:
        kind = self.mapping if isinstance(value, YMap) else self.plain
        return kind.convert(value, key, where, problems)

    def json_schema(self, defs: dict[str, Schema]) -> Schema:
        return {"anyOf": [self.plain.json_schema(defs), self.mapping.json_schema(defs)]}


def spec(kind: Kind, label: str, default: Any = dataclasses.MISSING) -> Any:
    """Declare an editor-facing field; without a default it is required."""
    meta = {"kind": kind, "label": label}
    if isinstance(default, (list, dict, set)):
        raise TypeError("use a tuple or None as default")
    return dataclasses.field(default=default, metadata=meta)


def editor_fields(cls: type) -> list[dataclasses.Field[Any]]:
    return [f for f in dataclasses.fields(cls) if "kind" in f.metadata]


def is_required(f: dataclasses.Field[Any]) -> bool:
    return f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING


def record_schema(cls: type, defs: dict[str, Schema]) -> Schema:
    """A record class as a JSON Schema object: the same fields `build_record` accepts."""
    properties: dict[str, Schema] = {}
    for f in editor_fields(cls):
        kind: Kind = f.metadata["kind"]
        label: str = f.metadata["label"]
        required = "（必填）" if is_required(f) else "（可选）"
        schema = (kind.required_schema(defs) if isinstance(kind, ListOf) and is_required(f)
                  else kind.json_schema(defs))
        prop: Schema = {"title": label,
                        "description": f"{label}{required}：{schema.pop('description', kind.expected)}"}
        prop.update(schema)
        if isinstance(f.default, int | str) and not isinstance(f.default, bool) and f.default != "":
            prop["default"] = f.default
        properties[f.name] = prop
    return {"type": "object", "properties": properties,
            "required": [f.name for f in editor_fields(cls) if is_required(f)],
            "additionalProperties": False}


def build_record(cls: Callable[..., T], mapping: YMap, where: Source, problems: Problems,
                 **extra: Any) -> T | None:
    """Check a mapping against the record class's declared fields and build the record.

    Reports every missing, unknown or malformed field; returns None if there was any.
    `extra` fills the loader-set fields (source position, body, …).
    """
    declared = {f.name: f for f in editor_fields(cls)}  # type: ignore[arg-type]
    here = where.at(getattr(mapping, "line", where.line))
    lines = getattr(mapping, "lines", {})
    ok = True
    for key in mapping:
        if key not in declared:
            close = difflib.get_close_matches(str(key), declared, n=1, cutoff=0.6)
            suggestion = (f"是不是想写“{close[0]}”？" if close else "") + "可用字段：" + "、".join(declared)
            problems.add("E031", where.at(lines.get(key, here.line)), key=key, suggestion=suggestion)
            ok = False
    values: dict[str, Any] = {}
    for name, f in declared.items():
        if name not in mapping:
            if is_required(f):
                problems.add("E030", here, key=name, label=f.metadata["label"])
                ok = False
            continue
        kind = f.metadata["kind"]
        if mapping[name] is None and not isinstance(kind, ListOf):  # `status:` with nothing after it
            problems.add("E035", where.at(lines.get(name)), key=name)
            ok = False
            continue
        value = kind.convert(mapping[name], name, where.at(lines.get(name)), problems)
        if value is INVALID:
            ok = False
        elif value == () and is_required(f):  # a required list: `measures: []` says nothing
            problems.add("E037", where.at(lines.get(name)), key=name, label=f.metadata["label"])
            ok = False
        else:
            values[name] = value
    if not ok:
        return None
    if "origin" in {f.name for f in dataclasses.fields(cls)}:  # type: ignore[arg-type]
        extra["origin"] = dataclasses.replace(extra.get("origin", here), keys=_key_lines(mapping))
    return cls(**values, **extra)


def _key_lines(mapping: YMap) -> tuple[tuple[str, int], ...]:
    """The line of each key, and of each entry of a list value as `key[i]`."""
    found = list(getattr(mapping, "lines", {}).items())
    for key, value in mapping.items():
        if isinstance(value, YList):
            found.extend((f"{key}[{i}]", line) for i, line in enumerate(value.lines))
    return shared_keys(tuple(found))
