"""A site overrides one template or one static file by putting a file of the same name in its own
theme/ folder; everything else still comes from gongshi's default theme."""

from __future__ import annotations

from pathlib import Path

from conftest import write

from generator.build import build
from generator.render import default_theme

PAGE = """{% extends "base.html" %}
{% block main %}<article class="own-page"><h1>{{ record.title }}</h1><p>本站自己的页面模板</p>{{ body|safe }}</article>{% endblock %}
"""


def _read(out: Path, relative: str) -> str:
    return (out / relative).read_text(encoding="utf-8")


def test_one_template_overridden(small_site: Path, tmp_path: Path) -> None:
    write(small_site, "theme/templates/page.html", PAGE)
    out = tmp_path / "out"
    build(small_site, out)

    about = _read(out, "pages/about/index.html")
    assert "本站自己的页面模板" in about and 'class="own-page"' in about
    assert 'class="nav"' in about and "footer" in about  # its base.html is the default theme's
    home = _read(out, "index.html")
    assert "本站自己的页面模板" not in home and "整改落实进度" in home
    default_css = (default_theme() / "static" / "site.css").read_bytes()
    assert (out / "static" / "site.css").read_bytes() == default_css


def test_one_static_file_overridden(small_site: Path, tmp_path: Path) -> None:
    write(small_site, "theme/static/site.css", "body { background: #fff; }\n")
    write(small_site, "theme/static/images/logo.svg", '<svg xmlns="http://www.w3.org/2000/svg"/>\n')
    out = tmp_path / "out"
    build(small_site, out)

    assert _read(out, "static/site.css") == "body { background: #fff; }\n"
    assert (out / "static" / "images" / "logo.svg").is_file()  # the site's extra file is copied
    default = default_theme() / "static"
    assert (out / "static" / "site.js").read_bytes() == (default / "site.js").read_bytes()
    assert (out / "static" / "favicon.svg").read_bytes() == (default / "favicon.svg").read_bytes()
    assert "整改落实进度" in _read(out, "index.html")  # templates untouched


def test_a_macro_file_overridden_reaches_every_page(small_site: Path, tmp_path: Path) -> None:
    """Overriding a shared piece (the macros) changes it wherever it is used."""
    macros = (default_theme() / "templates" / "macros.html").read_text(encoding="utf-8")
    write(small_site, "theme/templates/macros.html",
          macros.replace('<span class="badge badge-{{ state.state }}">',
                         '<span class="badge own-badge badge-{{ state.state }}">'))
    out = tmp_path / "out"
    build(small_site, out)
    assert "own-badge" in _read(out, "rectification/edu/index.html")
    assert "own-badge" in _read(out, "units/edu/index.html")


def test_a_site_without_a_theme_folder_gets_the_default_look(small_site: Path, tmp_path: Path) -> None:
    assert not (small_site / "theme").exists()
    out = tmp_path / "out"
    build(small_site, out)
    assert (out / "static" / "site.css").read_bytes() == (default_theme() / "static" / "site.css").read_bytes()
    assert 'class="banner' in _read(out, "index.html")
