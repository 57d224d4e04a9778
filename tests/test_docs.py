"""The editor handbook (docs/, Material for MkDocs): complete, its examples valid, and it builds."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO

from generator.errors import MESSAGES, Problems, Source
from generator.load.frontmatter import split_front_matter
from generator.load.yamlpos import parse_yaml
from generator.schema import file_type_of, schema_for

DOCS = REPO / "docs"
EXAMPLE = re.compile(r'^```(yaml|markdown) title="([^"]+)"\n(.*?)^```', re.MULTILINE | re.DOTALL)


def pages() -> list[Path]:
    return sorted(p for p in DOCS.rglob("*.md") if "screenshots" not in p.parts)


def test_every_error_code_has_its_section() -> None:
    text = (DOCS / "errors.md").read_text(encoding="utf-8")
    headings = re.findall(r"^### ([EW]\d{3}) .*\{#([ew]\d{3})\}$", text, re.MULTILINE)
    assert all(code.lower() == anchor for code, anchor in headings)
    documented = [code for code, _ in headings]
    assert sorted(documented) == sorted(MESSAGES), "errors.md and errors.MESSAGES differ"
    for code in MESSAGES:
        assert f"<!-- message: {code} -->" in text, code


def test_the_handbook_covers_what_the_issue_asks() -> None:
    text = "\n".join(p.read_text(encoding="utf-8") for p in pages())
    for topic in ("gongshi init", "gongshi build", "gongshi serve", "gongshi new", "git push",
                  "nginx", "GitHub Pages", "GitLab Pages", "对象存储", "yaml-language-server"):
        assert topic in text, topic
    for shot in ("screenshots/home-phone.png", "screenshots/home-desktop.png"):
        assert shot in (DOCS / "index.md").read_text(encoding="utf-8")


def examples() -> list[tuple[str, str, str]]:
    found = []
    for page in pages():
        for _language, title, body in EXAMPLE.findall(page.read_text(encoding="utf-8")):
            if file_type_of(title) is not None:
                found.append((page.relative_to(DOCS).as_posix(), title, body))
    return found


def test_every_content_type_has_an_example() -> None:
    kinds = {file_type_of(title).name for _, title, _ in examples()}  # type: ignore[union-attr]
    assert kinds == {"site_config", "units", "ledger", "commitment", "opinions", "rules",
                     "news", "document", "meeting", "page"}


@pytest.mark.parametrize("page, title, body", examples(), ids=lambda v: v if "\n" not in v else "")
def test_examples_validate_against_the_schemas(page: str, title: str, body: str) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    kind = file_type_of(title)
    assert kind is not None
    problems = Problems()
    if kind.front_matter:
        parts = split_front_matter(body, Source(title), problems)
        assert parts is not None
        body = parts[0]
    data = parse_yaml(body, Source(title), problems)
    assert not problems, [e.format() for e in problems.errors]
    errors = [e.message for e in jsonschema.Draft202012Validator(schema_for(kind)).iter_errors(data)]
    assert errors == [], f"{page}: {title}"


def test_the_handbook_builds_strictly(tmp_path: Path) -> None:
    """`mkdocs build --strict`: no broken link, no error code left unexplained."""
    if shutil.which("mkdocs") is None and not _module("mkdocs"):
        if os.environ.get("CI"):
            pytest.fail("mkdocs is not installed: pip install mkdocs-material jieba")
        pytest.skip("mkdocs is not installed")
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(tmp_path / "handbook")],
        cwd=REPO, capture_output=True, text=True, encoding="utf-8",
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"}, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    errors_page = (tmp_path / "handbook" / "errors" / "index.html").read_text(encoding="utf-8")
    for code in MESSAGES:
        assert f'id="{code.lower()}"' in errors_page, code
    index = (tmp_path / "handbook" / "search" / "search_index.json").read_text(encoding="utf-8")
    assert '"lang":["zh"]' in index.replace(" ", "")


def _module(name: str) -> bool:
    import importlib.util

    return importlib.util.find_spec(name) is not None


def _yaml(relative: str) -> object:
    import yaml

    return yaml.safe_load((REPO / relative).read_text(encoding="utf-8"))


def test_ready_made_publishing_checks_then_builds() -> None:
    workflow = _yaml(".github/workflows/publish.yml")
    steps = [s.get("run", "") for s in workflow["jobs"]["build"]["steps"]]  # type: ignore[index]
    assert steps.index("gongshi check") < steps.index("gongshi build -o site")
    assert workflow["jobs"]["deploy"]["needs"] == "build"  # type: ignore[index]
    gitlab = _yaml(".gitlab-ci.yml")
    assert gitlab["pages"]["script"] == ["gongshi check", "gongshi build -o public"]  # type: ignore[index]
    assert gitlab["pages"]["artifacts"]["paths"] == ["public"]  # type: ignore[index]
    hooks = _yaml(".pre-commit-hooks.yaml")
    assert hooks[0]["id"] == "gongshi-check" and hooks[0]["entry"] == "gongshi check"  # type: ignore[index]
