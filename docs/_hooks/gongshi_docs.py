"""MkDocs hook: fill the handbook from the code, so it cannot drift from what gongshi does.

- `<!-- fields: LedgerItem -->` becomes a table of that record's fields (name, meaning,
  required or not, how to write it), from the declarations in generator/model.py;
- `<!-- message: E031 -->` becomes the message and hint gongshi prints for that code,
  from generator/errors.py; a code with no section in errors.md is a build warning
  (so `mkdocs build --strict` fails until it is explained).
"""

from __future__ import annotations

import logging
import re
from typing import Any

from generator import model
from generator.errors import MESSAGES, WARNING_PREFIX
from generator.fields import Kind, ListOf, Record, editor_fields, is_required

log = logging.getLogger("mkdocs.hooks.gongshi")

FIELDS = re.compile(r"<!-- fields: (\w+) -->")
MESSAGE = re.compile(r"<!-- message: ([EW]\d{3}) -->")
PLACEHOLDER = re.compile(r"(?<!\{)\{(\w+)\}(?!\})")


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


# What the handbook calls each nested record (its table has this name as a heading).
RECORD_NAMES = {
    "Campaign": "活动", "Phase": "活动环节", "Column": "栏目", "Footer": "页脚信息",
    "SupervisionGroup": "督导组", "LedgerItem": "整改事项", "Progress": "整改进展",
    "Evidence": "佐证材料", "Evaluation": "群众评价", "Withdrawn": "撤销", "Image": "图片",
    "CommitmentItem": "承诺事项", "Leader": "领导干部",
}


def how_to_write(kind: Kind) -> str:
    if isinstance(kind, ListOf):
        return f"一个列表（只有一项时也可以直接写这一项），每项：{how_to_write(kind.item)}"
    if isinstance(kind, Record):
        name = kind.cls.__name__
        return f"一组“字段: 值”，见“{RECORD_NAMES.get(name, name)}”的字段"
    return str(kind.json_schema({}).get("description", kind.expected))


def fields_table(name: str) -> str:
    cls = getattr(model, name)
    rows = ["| 字段 | 含义 | 必填 | 写法 |", "|---|---|---|---|"]
    for f in editor_fields(cls):
        how = how_to_write(f.metadata["kind"])
        rows.append(f"| `{f.name}` | {_cell(f.metadata['label'])} | {'是' if is_required(f) else ''} "
                    f"| {_cell(how)} |")
    return "\n".join(rows)


def message_block(code: str) -> str:
    message, hint = (PLACEHOLDER.sub("…", part).replace("{{", "{").replace("}}", "}")
                     for part in MESSAGES[code])
    if code.startswith(WARNING_PREFIX):
        return f'!!! warning "gongshi 的提示"\n    提醒 {code}：{message}\n\n    → {hint}\n'
    return f'!!! failure "gongshi 的提示"\n    错误 {code}：{message}\n\n    → {hint}\n'


def on_page_markdown(markdown: str, page: Any, **kwargs: Any) -> str:
    markdown = FIELDS.sub(lambda m: fields_table(m.group(1)), markdown)
    markdown = MESSAGE.sub(lambda m: message_block(m.group(1)), markdown)
    if page.file.src_uri == "errors.md":
        explained = set(re.findall(r"\{#([ew]\d{3})\}", markdown))
        for code in MESSAGES:
            if code.lower() not in explained:
                log.warning(f"errors.md 没有讲解错误代码 {code}：请添加一节 “### {code} … {{#{code.lower()}}}”")
    return markdown
