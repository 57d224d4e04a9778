"""JSON Schemas: made from the model, accept every demo file, and reject what the loader rejects."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from conftest import FIXTURES, REPO, errors_of, write

from generator.errors import Problems, Source
from generator.fields import editor_fields, is_required
from generator.load.frontmatter import split_front_matter
from generator.load.text import decode
from generator.load.yamlpos import parse_yaml
from generator.schema import FILE_TYPES, all_schemas, file_type_of, schema_for, vscode_settings

jsonschema = pytest.importorskip("jsonschema")


def read_data(site: Path, relative: str) -> Any:
    """A file's YAML (a Markdown file's header) as a YAML tool sees it: dates stay text."""
    kind = file_type_of(relative)
    assert kind is not None, relative
    text = decode((site / relative).read_bytes(), Source(relative), Problems())
    assert text is not None
    if kind.front_matter:
        parts = split_front_matter(text, Source(relative), Problems())
        assert parts is not None
        text = parts[0]
    return parse_yaml(text, Source(relative), Problems())


def schema_errors(site: Path, relative: str) -> list[str]:
    kind = file_type_of(relative)
    assert kind is not None
    validator = jsonschema.Draft202012Validator(schema_for(kind))
    return [f"{e.json_path}: {e.message}" for e in validator.iter_errors(read_data(site, relative))]


def site_files(site: Path) -> list[str]:
    paths = [site / "site_config.yml", *sorted((site / "content").rglob("*"))]
    found = [p.relative_to(site).as_posix() for p in paths if p.is_file()]
    return [f for f in found if file_type_of(f) is not None]


DEMO_FILES = site_files(REPO)


def test_every_schema_is_a_valid_draft_2020_12_schema() -> None:
    for name, schema in all_schemas().items():
        assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema", name
        jsonschema.Draft202012Validator.check_schema(schema)


def test_the_demo_has_files_of_every_kind() -> None:
    kinds = {file_type_of(f).name for f in DEMO_FILES}  # type: ignore[union-attr]
    assert kinds == {t.name for t in FILE_TYPES}
    assert len(DEMO_FILES) > 100


@pytest.mark.parametrize("relative", DEMO_FILES)
def test_every_demo_file_validates(relative: str) -> None:
    assert schema_errors(REPO, relative) == []


@pytest.mark.parametrize("relative", site_files(FIXTURES / "small"))
def test_every_fixture_file_validates(relative: str) -> None:
    assert schema_errors(FIXTURES / "small", relative) == []


def test_schema_fields_are_the_model_fields() -> None:
    """One source of truth: every declared field, its label and whether it is required."""
    for kind in FILE_TYPES:
        schema = schema_for(kind)
        body = schema if kind.shape == "record" else schema["$defs"][kind.record.__name__]
        fields = editor_fields(kind.record)
        assert list(body["properties"]) == [f.name for f in fields]
        assert body["required"] == [f.name for f in fields if is_required(f)]
        assert body["additionalProperties"] is False
        for f in fields:
            assert body["properties"][f.name]["title"] == f.metadata["label"]


def test_choices_and_deadlines_are_enums() -> None:
    item = schema_for(file_type_of("content/rectification/x.yml"))["$defs"]["LedgerItem"]  # type: ignore[arg-type]
    assert item["properties"]["status"]["enum"] == ["未启动", "整改中", "已完成"]
    deadline = item["properties"]["deadline"]["anyOf"]
    assert {"enum": ["立行立改", "长期坚持"]} in deadline


@pytest.mark.parametrize("value, ok", [
    ("2014-06-30", True), ("2014年6月30日", True), ("2014 年 6 月 3 日", True), ("2014/6/30", True),
    ("2014-13-01", False), ("2014年6月", False), ("6月30日", False), ("明天", False),
])
def test_date_pattern(value: str, ok: bool) -> None:
    schema = schema_for(file_type_of("content/rules.yml"))  # type: ignore[arg-type]
    rule = [{"id": "r", "name": "制度", "unit": "edu", "adopted": value}]
    assert jsonschema.Draft202012Validator(schema).is_valid(rule) is ok


def test_vscode_settings_name_every_yaml_schema() -> None:
    mapping = vscode_settings()["yaml.schemas"]
    yaml_kinds = [t for t in FILE_TYPES if not t.front_matter]
    assert sorted(mapping) == sorted(f"./schemas/{t.file_name}" for t in yaml_kinds)
    assert mapping["./schemas/ledger.schema.json"][:2] == ["content/rectification/*.yml",
                                                          "content/rectification/**/*.yml"]


# ---- broken files: the schema and the loader both reject them ---------------------------

LEDGER = "content/rectification/edu.yml"
GOOD_LEDGER = """\
unit: edu
items:
  - id: r01
    problem: 办事窗口排队时间长
    category: 官僚主义
    measures: [增设窗口]
    owner: 办公室
    deadline: 2014-06-30
    status: 整改中
"""
GOOD_NEWS = "---\ntitle: 标题\ndate: 2014-07-01\ncolumn: news\n---\n正文\n"
GOOD_MEETING = "---\ntitle: 会\nkind: 座谈会\ndate: 2014-07-01\nunit: edu\n---\n正文\n"
GOOD_COMMITMENT = """\
by: edu
published: 2014-04-20
items:
  - {id: c01, text: 承诺, deadline: 长期坚持, status: 兑现中}
"""
GOOD_CONFIG = (FIXTURES / "small" / "site_config.yml").read_text(encoding="utf-8")
GOOD_UNITS = (FIXTURES / "small" / "content" / "units.yml").read_text(encoding="utf-8")
GOOD_RULES = "- {id: rule1, name: 制度, unit: edu, adopted: 2014-07-01}\n"
GOOD_OPINIONS = "- {unit: all, meetings: 3, people: 100}\n"

BASES = {
    LEDGER: GOOD_LEDGER,
    "content/news/2014-07-01-first.md": GOOD_NEWS,
    "content/meetings/edu-life.md": GOOD_MEETING,
    "content/commitments/edu-2014.yml": GOOD_COMMITMENT,
    "site_config.yml": GOOD_CONFIG,
    "content/units.yml": GOOD_UNITS,
    "content/rules.yml": GOOD_RULES,
    "content/opinions.yml": GOOD_OPINIONS,
}

# (file, text to replace in its good version, replacement, the loader's error code)
BROKEN = [
    pytest.param(LEDGER, "    deadline:", "    deadlin:", "E031", id="unknown-field"),
    pytest.param(LEDGER, "    owner: 办公室\n", "", "E030", id="missing-required"),
    pytest.param(LEDGER, "status: 整改中", "status: 进行中", "E033", id="bad-status"),
    pytest.param(LEDGER, "category: 官僚主义", "category: 四风", "E033", id="bad-category"),
    pytest.param(LEDGER, "deadline: 2014-06-30", "deadline: 2014-13-01", "E034", id="bad-date"),
    pytest.param(LEDGER, "deadline: 2014-06-30", "deadline: 2014年6月", "E034", id="half-a-date"),
    pytest.param(LEDGER, "deadline: 2014-06-30", "deadline: 尽快", "E034", id="bad-deadline-word"),
    pytest.param(LEDGER, "id: r01", "id: R01", "E036", id="uppercase-id"),
    pytest.param(LEDGER, "problem: 办事窗口排队时间长", "problem:", "E035", id="empty-text"),
    pytest.param(LEDGER, "measures: [增设窗口]", "measures: []", "E037", id="no-measures"),
    pytest.param(LEDGER, "    status: 整改中\n",
                 "    status: 整改中\n    progress:\n      - {date: 2014-06-01, text: 进展, "
                 "evidence: [{title: 链接, url: 'javascript:alert(1)'}]}\n", "E032", id="script-url"),
    pytest.param(LEDGER, "    status: 整改中\n",
                 "    status: 整改中\n    evaluation: {participants: 10, satisfied: 8, "
                 "basically_satisfied: 1, dissatisfied: -1}\n", "E032", id="negative-count"),
    pytest.param(LEDGER, "unit: edu\n", "unit: edu\nowner: 办公室\n", "E031", id="unknown-top-level"),
    pytest.param("content/news/2014-07-01-first.md", "title: 标题\n", "", "E030", id="news-no-title"),
    pytest.param("content/news/2014-07-01-first.md", "date: 2014-07-01", "date: 七月一日", "E034",
                 id="news-bad-date"),
    pytest.param("content/news/2014-07-01-first.md", "column: news", "column: news\nauther: 张三", "E031",
                 id="news-unknown-field"),
    pytest.param("content/meetings/edu-life.md", "kind: 座谈会", "kind: 茶话会", "E033", id="meeting-kind"),
    pytest.param("content/commitments/edu-2014.yml", "status: 兑现中", "status: 完成", "E033",
                 id="commitment-status"),
    pytest.param("content/commitments/edu-2014.yml", "published: 2014-04-20\n", "", "E030",
                 id="commitment-unpublished"),
    pytest.param("site_config.yml", "title: ", "titel: ", "E031", id="config-typo"),
    pytest.param("site_config.yml", "as_of: 2014-07-15", "as_of: 2014-02-30x", "E034",
                 id="config-bad-as-of"),
    pytest.param("content/units.yml", "kind: 街道}", "kind: 居委会}", "E033", id="unit-kind"),
    pytest.param("content/rules.yml", "adopted: 2014-07-01", "adopted: 去年", "E034", id="rule-date"),
    pytest.param("content/opinions.yml", "people: 100", "people: 很多", "E032", id="opinion-count"),
]


@pytest.mark.parametrize("relative", list(BASES))
def test_the_good_versions_pass_both(small_site: Path, relative: str) -> None:
    write(small_site, relative, BASES[relative])
    assert schema_errors(small_site, relative) == []
    assert [e.format() for e in errors_of(small_site)] == []


@pytest.mark.parametrize("relative, old, new, code", BROKEN)
def test_schema_and_loader_both_reject(small_site: Path, relative: str, old: str, new: str,
                                       code: str) -> None:
    good = BASES[relative]
    assert good.count(old) == 1
    write(small_site, relative, good.replace(old, new))
    assert schema_errors(small_site, relative), "the schema accepted it"
    codes = {e.code for e in errors_of(small_site) if e.file == relative}
    assert code in codes, [e.format() for e in errors_of(small_site)]
