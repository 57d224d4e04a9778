"""Safe YAML that remembers where every key and list entry stood.

PyYAML's SafeLoader is the base. On top of it:
- mappings become `YMap` (a dict that knows the line of each key) and sequences `YList`
  (a list that knows the line of each entry), so later checks can name the line;
- a key given twice in one mapping is an error (PyYAML would keep the last silently);
- anchors and aliases are refused (they make "billion laughs" bombs possible and editors
  do not need them);
- timestamps stay strings, so that one date parser handles `2014-06-30` and
  `2014年6月30日` alike and an impossible date becomes an error with a line, not a crash.

When PyYAML has its C extension (libyaml), ordinary documents are scanned and parsed in C,
several times faster; anything unusual (a possible anchor or alias, a control character,
a duplicate key, any error) is parsed again in pure Python, so that what is reported, and
on which line, never depends on which parser ran.
"""

from __future__ import annotations

import re
from typing import Any

import yaml
from yaml.constructor import ConstructorError
from yaml.events import AliasEvent
from yaml.nodes import MappingNode, Node, SequenceNode

from ..errors import Problems, Source

MAX_DEPTH = 40


class YMap(dict[str, Any]):
    """A mapping with the line of the mapping (`line`) and of each key (`lines`)."""

    line: int
    lines: dict[str, int]


class YList(list[Any]):
    """A sequence with the line of the sequence (`line`) and of each entry (`lines`)."""

    line: int
    lines: list[int]


class _Refused(Exception):
    def __init__(self, code: str, line: int, **values: object):
        super().__init__(code)
        self.code, self.line, self.values = code, line, values


class _Loader(yaml.SafeLoader):
    def __init__(self, stream: str):
        super().__init__(stream)
        self.duplicates: list[tuple[str, int, int]] = []

    def compose_node(self, parent: Node | None, index: object) -> Node | None:  # type: ignore[override]
        if self.check_event(AliasEvent):
            event = self.peek_event()
            raise _Refused("E012", event.start_mark.line + 1)
        return super().compose_node(parent, index)  # type: ignore[arg-type]


def _depth_ok(node: Node, limit: int) -> bool:
    stack = [(node, 1)]
    while stack:
        current, depth = stack.pop()
        if depth > limit:
            return False
        if isinstance(current, MappingNode):
            stack.extend((child, depth + 1) for pair in current.value for child in pair)
        elif isinstance(current, SequenceNode):
            stack.extend((child, depth + 1) for child in current.value)
    return True


def _construct_mapping(loader: _Loader, node: MappingNode) -> YMap:
    result = YMap()
    result.line = node.start_mark.line + 1
    result.lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if not isinstance(key, str):
            key = str(key)
        line = key_node.start_mark.line + 1
        if key in result.lines:
            loader.duplicates.append((key, line, result.lines[key]))
            continue
        result.lines[key] = line
        result[key] = loader.construct_object(value_node, deep=True)
    return result


def _construct_sequence(loader: _Loader, node: SequenceNode) -> YList:
    result = YList(loader.construct_object(child, deep=True) for child in node.value)
    result.line = node.start_mark.line + 1
    result.lines = [child.start_mark.line + 1 for child in node.value]
    return result


def _construct_text(loader: _Loader, node: Node) -> str:
    return str(node.value)


def _refuse_tag(loader: _Loader, suffix: str, node: Node) -> None:
    tag = node.tag  # shown as the editor wrote it: `!!python/object`, not `tag:yaml.org,2002:…`
    if tag.startswith("tag:yaml.org,2002:"):
        tag = "!!" + tag[len("tag:yaml.org,2002:"):]
    raise _Refused("E013", node.start_mark.line + 1, tag=tag)


_FastLoader: Any = None
if getattr(yaml, "__with_libyaml__", False):

    class _FastLoader(yaml.CSafeLoader):  # type: ignore[no-redef]
        def __init__(self, stream: str):
            super().__init__(stream)
            self.duplicates: list[tuple[str, int, int]] = []


for _cls in (_Loader, _FastLoader):
    if _cls is None:
        continue
    _cls.add_constructor("tag:yaml.org,2002:map", _construct_mapping)  # type: ignore[arg-type]
    _cls.add_constructor("tag:yaml.org,2002:seq", _construct_sequence)  # type: ignore[arg-type]
    _cls.add_constructor("tag:yaml.org,2002:timestamp", _construct_text)  # type: ignore[arg-type]
    _cls.add_constructor("tag:yaml.org,2002:binary", _construct_text)  # type: ignore[arg-type]
    _cls.add_constructor("tag:yaml.org,2002:set", _construct_mapping)  # type: ignore[arg-type]
    _cls.add_constructor("tag:yaml.org,2002:omap", _construct_sequence)  # type: ignore[arg-type]
    _cls.add_multi_constructor("", _refuse_tag)  # type: ignore[arg-type]

_UNUSUAL = re.compile(r"[&*\t\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ufffe\uffff\ud800-\udfff]")


def _parse_fast(text: str) -> Any:
    """The document parsed by libyaml, or `_SLOW` when the pure-Python parser must decide."""
    if _FastLoader is None or _UNUSUAL.search(text):
        return _SLOW
    loader = _FastLoader(text)
    try:
        node = loader.get_single_node()
        if node is None or not _depth_ok(node, MAX_DEPTH):
            return _SLOW
        value = loader.construct_document(node)
    except (yaml.YAMLError, _Refused, RecursionError):
        return _SLOW
    finally:
        loader.dispose()
    return _SLOW if loader.duplicates else value


_SLOW: Any = object()


def parse_yaml(text: str, where: Source, problems: Problems, line_offset: int = 0) -> Any:
    """Parse one YAML document; on any problem report it (with its line) and return None.

    `line_offset` shifts reported lines, for YAML that starts further down a file
    (front matter after its opening `---`).
    """
    value = _parse_fast(text)
    if value is not _SLOW:
        if line_offset:
            _shift(value, line_offset)
        return value
    try:
        loader = _Loader(text)  # the reader refuses control characters right here
    except yaml.reader.ReaderError as exc:
        line = text.count("\n", 0, exc.position) + 1 + line_offset
        problems.add("E010", where.at(line), problem=f"含有不可见的控制字符 U+{int(exc.character):04X}，请删除（常见于从网页或 Word 复制的文字）")
        return None
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        if not _depth_ok(node, MAX_DEPTH):
            problems.add("E015", where.at(node.start_mark.line + 1 + line_offset), limit=MAX_DEPTH)
            return None
        value = loader.construct_document(node)
    except _Refused as exc:
        problems.add(exc.code, where.at(exc.line + line_offset), **exc.values)
        return None
    except ConstructorError as exc:
        mark = exc.problem_mark
        line = mark.line + 1 + line_offset if mark else None
        problems.add("E010", where.at(line), problem=exc.problem or str(exc))
        return None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 + line_offset if mark else None
        problem = _explain(getattr(exc, "problem", None) or str(exc))
        context = getattr(exc, "context_mark", None)
        if context is not None and mark is not None and context.line != mark.line:
            problem += f"；出错的部分从第 {context.line + 1 + line_offset} 行开始"
        problems.add("E010", where.at(line), problem=problem)
        return None
    except RecursionError:
        problems.add("E015", where, limit=MAX_DEPTH)
        return None
    finally:
        loader.dispose()
    for key, line, first in loader.duplicates:
        problems.add("E011", where.at(line + line_offset), key=key, first=first + line_offset)
    if line_offset:
        _shift(value, line_offset)
    return value


def _shift(value: Any, offset: int) -> None:
    if isinstance(value, YMap):
        value.line += offset
        value.lines = {k: v + offset for k, v in value.lines.items()}
        for child in value.values():
            _shift(child, offset)
    elif isinstance(value, YList):
        value.line += offset
        value.lines = [v + offset for v in value.lines]
        for child in value:
            _shift(child, offset)


_EXPLANATIONS = {
    "mapping values are not allowed here": "这里不能再出现“键: 值”（常见原因：值里含有冒号加空格，请给整个值加上引号）",
    "found character '\\t' that cannot start any token": "YAML 不允许用 Tab 缩进，请改用空格",
    "could not find expected ':'": "缺少冒号，或上一行的引号没有闭合",
    "found undefined alias": "不支持 YAML 别名（*）",
    "expected ',' or ']'": "方括号 [ ] 没有闭合，或其中的某一项含有冒号加空格（请给这一项加上引号）",
    "expected ',' or '}'": "花括号 { } 没有闭合，或其中的某个值含有逗号或冒号（请给这个值加上引号）",
    "found unexpected end of stream": "引号没有闭合",
    "but found another document": "一个文件里只能有一段 YAML：删除文件中间单独一行的 ---",
    "expected a single document": "一个文件里只能有一段 YAML：删除文件中间单独一行的 ---",
}


def _explain(problem: str) -> str:
    for english, chinese in _EXPLANATIONS.items():
        if english in problem:
            return f"{chinese}（{problem}）"
    return problem
