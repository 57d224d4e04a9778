"""Markdown files with a YAML header between two `---` lines."""

from __future__ import annotations

from ..errors import Problems, Source

FENCE = "---"


def split_front_matter(text: str, where: Source, problems: Problems) -> tuple[str, str, int] | None:
    """(header YAML, Markdown body, line number where the body starts), or None on error."""
    lines = text.split("\n")
    if not lines or lines[0].strip() != FENCE:
        problems.add("E020", where.at(1))
        return None
    for number, line in enumerate(lines[1:], start=2):
        if line.rstrip() in (FENCE, "..."):
            header = "\n".join(lines[1 : number - 1])
            body = "\n".join(lines[number:])
            return header, body, number + 1
    problems.add("E021", where.at(1))
    return None
