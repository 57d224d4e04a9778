"""The libyaml fast path gives exactly what the pure-Python parser gives: the same values,
the same line of every key and entry; and anything it is not sure of goes to the slow path."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import FIXTURES, REPO
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.errors import Problems, Source
from generator.load import yamlpos
from generator.load.frontmatter import split_front_matter
from generator.load.yamlpos import YList, YMap, parse_yaml

pytestmark = pytest.mark.skipif(not getattr(yaml, "__with_libyaml__", False), reason="no libyaml")
WHERE = Source("x.yml")


def shape(value: Any) -> Any:
    """The value with the lines it carries, comparable with ==."""
    if isinstance(value, YMap):
        return ("map", value.line, tuple((k, value.lines[k], shape(v)) for k, v in value.items()))
    if isinstance(value, YList):
        return ("list", value.line, tuple(value.lines), tuple(shape(v) for v in value))
    return (type(value).__name__, value)


def slow(text: str, offset: int = 0) -> Any:
    """What the pure-Python parser makes of `text`, problems included."""
    fast, yamlpos._FastLoader = yamlpos._FastLoader, None
    try:
        problems = Problems()
        return shape(parse_yaml(text, WHERE, problems, offset)), problems.errors
    finally:
        yamlpos._FastLoader = fast


def both(text: str, offset: int = 0) -> tuple[Any, Any]:
    problems = Problems()
    return (shape(parse_yaml(text, WHERE, problems, offset)), problems.errors), slow(text, offset)


def sources() -> list[Path]:
    found = [*(FIXTURES / "small").rglob("*.yml"), *(REPO / "content").rglob("*.yml")]
    return found + [*(FIXTURES / "small").rglob("*.md"), *(REPO / "content").rglob("*.md")]


@pytest.mark.parametrize("path", sources(), ids=lambda p: p.name)
def test_every_file_of_the_demo_and_the_fixture_parses_the_same(path: Path) -> None:
    text = path.read_text(encoding="utf-8-sig").replace("\r\n", "\n")
    offset = 0
    if path.suffix == ".md":
        parts = split_front_matter(text, WHERE, Problems())
        assert parts is not None
        text, offset = parts[0], 1
    fast, reference = both(text, offset)
    assert fast == reference
    assert yamlpos._parse_fast(text) is not yamlpos._SLOW  # these took the fast path


@pytest.mark.parametrize("text", [
    "a: &x 1\nb: *x\n",  # anchors and aliases: refused, with the alias's line
    "a: 1\na: 2\n",  # a duplicate key: reported with both lines
    "a: !!python/object x\n",  # a tag: refused
    "a: [1, 2\n",  # a syntax error
    "a: b\u0007c\n",  # a control character
    "- a\n- b: [\n",
])
def test_unusual_documents_take_the_slow_path_and_say_the_same(text: str) -> None:
    assert yamlpos._parse_fast(text) is yamlpos._SLOW
    fast, reference = both(text)
    assert fast == reference and fast[1]  # an error, the same one


KEYS = st.sampled_from(["title", "date", "id", "unit", "tags", "items", "问题", "status", "a b", "x:y",
                        "? k", "'q'", "[a]", "- z", "!t", "%y", "@a"])
SCALARS = st.one_of(
    st.sampled_from(["2014-06-30", "2014年6月30日", "立行立改", "yes", "null", "~", "1e3", "0x1f", "'q'",
                     '"d"', "a: b", "- x", "#c", "", " ", "[1]", "{a: 1}", "|", ">", "*", "&a", "\t", "x\ty",
                     "a\u00a0b", "\u2028", "\ufeff", "'a\nb'", '"\\q"', "---", "...", "!!str 1", "!x y",
                     "<<: {a: 1}", "[a, b: c]", "{a, b}", "'", '"', "\x85"]),
    st.text(max_size=12),
    st.integers(),
)
LINES = st.lists(st.tuples(st.integers(0, 6), st.sampled_from(["", "- "]), KEYS, SCALARS), max_size=12)


@settings(max_examples=400, deadline=None)
@given(lines=LINES)
def test_random_documents_parse_the_same_on_both_paths(lines: list[tuple[int, str, str, Any]]) -> None:
    text = "".join(f"{' ' * indent}{dash}{key}: {value}\n" for indent, dash, key, value in lines)
    fast, reference = both(text)
    assert fast == reference
