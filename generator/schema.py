"""JSON Schemas (draft 2020-12) for every file an editor writes, made from `model.py`.

The loader and the schemas read the same field declarations (`spec(kind, label)`), so a
field added to a record class appears in both. Editors' tools use the schemas to complete
field names and flag mistakes while typing: VS Code's YAML extension through
`.vscode/settings.json` (`yaml.schemas`), and any tool built on yaml-language-server through
a `# yaml-language-server: $schema=…` comment on a file's first line.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .fields import Schema, record_schema
from .model import (
    Article,
    Commitment,
    Document,
    Ledger,
    Meeting,
    Opinion,
    Page,
    Rule,
    SiteConfig,
    Unit,
)

DRAFT = "https://json-schema.org/draft/2020-12/schema"
SCHEMA_DIR = "schemas"


@dataclass(frozen=True)
class FileType:
    """One kind of editor file: where such files live and the record each one holds."""

    name: str  # the schema's file name without `.schema.json`
    title: str
    description: str
    record: type
    shape: str  # "record": the file is one record; "list": a list of them; "list?": may be empty
    globs: tuple[str, ...]  # relative to the site folder; `*` does not cross a `/`
    front_matter: bool = False  # a Markdown file whose YAML header is the record

    @property
    def file_name(self) -> str:
        return f"{self.name}.schema.json"

    def matches(self, relative: str) -> bool:
        return any(_glob_match(relative, pattern) for pattern in self.globs)


def _glob_match(path: str, pattern: str) -> bool:
    """`*` within one folder, `**/` any number of folders (also none), as in VS Code."""
    regex = ""
    for token in re.split(r"(\*\*/|\*|\?)", pattern):
        regex += {"**/": "(?:[^/]+/)*", "*": "[^/]*", "?": "[^/]"}.get(token, re.escape(token))
    return re.fullmatch(regex, path) is not None


FILE_TYPES: tuple[FileType, ...] = (
    FileType("site_config", "站点配置（site_config.yml）",
             "网站名称、网址、活动起止日期、环节、栏目、页脚和督导组。", SiteConfig, "record",
             ("site_config.yml",)),
    FileType("units", "单位名单（content/units.yml）",
             "参加活动的全部单位，每项一个单位；其他文件用单位标识 id 引用单位。", Unit, "list",
             ("content/units.yml",)),
    FileType("ledger", "整改台账（content/rectification/单位标识.yml）",
             "一个单位的整改清单：每个问题的整改措施、责任人、时限、状态和进展。", Ledger, "record",
             ("content/rectification/**/*.yml", "content/rectification/**/*.yaml")),
    FileType("commitment", "公开承诺（content/commitments/标识.yml）",
             "一个单位或一位领导干部的公开承诺事项和兑现情况。", Commitment, "record",
             ("content/commitments/**/*.yml", "content/commitments/**/*.yaml")),
    FileType("opinions", "征求意见情况（content/opinions.yml）",
             "各单位（以及全区合计 unit: all）征求意见的场次、人数和问题、建议条数。", Opinion, "list?",
             ("content/opinions.yml",)),
    FileType("rules", "建章立制（content/rules.yml）",
             "教育实践活动中出台的制度。", Rule, "list?", ("content/rules.yml",)),
    FileType("news", "新闻的头信息（content/news/**/*.md）",
             "Markdown 文件开头两行 --- 之间的字段：标题、日期、栏目等。", Article, "record",
             ("content/news/**/*.md",), front_matter=True),
    FileType("document", "文件的头信息（content/documents/**/*.md）",
             "文件（公文）的标题、文号、发文机关、成文日期等。", Document, "record",
             ("content/documents/**/*.md",), front_matter=True),
    FileType("meeting", "会议通报的头信息（content/meetings/**/*.md）",
             "会议类型、日期、单位、参加人员、议程、整改措施和群众评议结果。", Meeting, "record",
             ("content/meetings/**/*.md",), front_matter=True),
    FileType("page", "页面的头信息（content/pages/**/*.md）",
             "关于本站、督导组、意见征集渠道等普通页面。", Page, "record",
             ("content/pages/**/*.md",), front_matter=True),
)


def file_type(name: str) -> FileType:
    return next(t for t in FILE_TYPES if t.name == name)


def file_type_of(relative: str) -> FileType | None:
    """The kind of file at `relative` (a path inside the site folder, with `/`), if any."""
    parts = relative.split("/")
    if any(part.startswith((".", "_")) for part in parts[2:]):  # the loader skips these
        return None
    return next((t for t in FILE_TYPES if t.matches(relative)), None)


def schema_for(kind: FileType) -> Schema:
    """The whole JSON Schema document for one kind of file."""
    defs: dict[str, Schema] = {}
    if kind.shape == "record":
        body = record_schema(kind.record, defs)
    else:
        item = record_schema(kind.record, defs)
        defs[kind.record.__name__] = item
        body = {"type": "array" if kind.shape == "list" else ["array", "null"],
                "items": {"$ref": f"#/$defs/{kind.record.__name__}"}}
    schema: Schema = {"$schema": DRAFT, "title": kind.title, "description": kind.description}
    schema.update(body)
    if defs:
        schema["$defs"] = dict(sorted(defs.items()))
    return schema


def all_schemas() -> dict[str, Schema]:
    """Every schema by its file name (`ledger.schema.json`, …)."""
    return {kind.file_name: schema_for(kind) for kind in FILE_TYPES}


def dump(schema: Schema) -> str:
    return json.dumps(schema, ensure_ascii=False, indent=2) + "\n"


def write_schemas(folder: Path) -> list[Path]:
    """Write every schema into `folder` (created if needed); the files written."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, schema in all_schemas().items():
        path = folder / name
        path.write_text(dump(schema), encoding="utf-8")
        written.append(path)
    return written


def modeline(kind: FileType, relative: str, schema_dir: str = SCHEMA_DIR) -> str:
    """The `# yaml-language-server: $schema=…` line for a YAML file at `relative`."""
    depth = relative.count("/")
    return f"# yaml-language-server: $schema={'../' * depth}{schema_dir}/{kind.file_name}"


def _editor_globs(globs: tuple[str, ...]) -> list[str]:
    """`a/**/*.yml` also as `a/*.yml`: some versions of the YAML extension read `**/` as
    "at least one folder", others as "any folders"; with both, every version matches."""
    found: list[str] = []
    for pattern in globs:
        found += [pattern.replace("**/", ""), pattern] if "**/" in pattern else [pattern]
    return found


def vscode_settings(schema_dir: str = SCHEMA_DIR) -> dict[str, Any]:
    """`.vscode/settings.json` for a site: schemas for the YAML files, and no tabs, UTF-8."""
    mapping = {f"./{schema_dir}/{kind.file_name}": _editor_globs(kind.globs)
               for kind in FILE_TYPES if not kind.front_matter}
    return {
        "yaml.schemas": mapping,
        "yaml.validate": True,
        "yaml.completion": True,
        "files.encoding": "utf8",
        "[yaml]": {"editor.insertSpaces": True, "editor.tabSize": 2, "editor.autoIndent": "keep"},
        "[markdown]": {"editor.wordWrap": "on"},
    }
