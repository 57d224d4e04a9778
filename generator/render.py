"""Render stage: the Jinja2 environment and turning a planned output into HTML.

Templates are looked up first in the site's own `theme/templates/`, then in the default
theme shipped with gongshi, so a site overrides one template without copying the rest.
"""

from __future__ import annotations

import datetime as dt
import functools
from pathlib import Path
from typing import Any

import jinja2

from . import urls
from .govmeta import footer_facts
from .model import SiteConfig
from .plan import Navigation, Output, navigation
from .site import Site

PACKAGE_THEME = Path(__file__).parent / "_theme"  # in an installed wheel
REPO_THEME = Path(__file__).parent.parent / "theme"  # in a checkout / editable install


def default_theme() -> Path:
    return PACKAGE_THEME if PACKAGE_THEME.is_dir() else REPO_THEME


def theme_dirs(site_dir: Path) -> list[Path]:
    """The site's theme folder first (if any), then the default theme."""
    dirs = [site_dir / "theme", default_theme()]
    unique: list[Path] = []
    for d in dirs:
        if d.is_dir() and d.resolve() not in [u.resolve() for u in unique]:
            unique.append(d)
    return unique


def cn_date(value: dt.date | str | None) -> str:
    """2014年6月30日; words such as 立行立改 pass through."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    return f"{value.year}年{value.month}月{value.day}日"


def iso_date(value: dt.date | None) -> str:
    return value.isoformat() if value else ""


def short_date(value: dt.date | None) -> str:
    """07-14: dates in the home page's boxes, where the year is the campaign's."""
    return value.strftime("%m-%d") if value else ""


def month_day(value: dt.date | None) -> str:
    """7月14日."""
    return f"{value.month}月{value.day}日" if value else ""


def make_environment(site_dir: Path, base_path: str, compiled: Path | None = None) -> jinja2.Environment:
    """`compiled`: a folder where Jinja keeps compiled templates between builds.

    One environment serves one build (`serve` makes a new one for each rebuild), so Jinja
    need not ask the file system, at every include of every page, whether a template
    changed (`auto_reload`): that check cost a third of the rendering time."""
    env = jinja2.Environment(
        bytecode_cache=jinja2.FileSystemBytecodeCache(str(compiled)) if compiled else None,
        loader=jinja2.FileSystemLoader([str(d / "templates") for d in theme_dirs(site_dir)]),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,
    )

    @jinja2.pass_context
    def url(context: Any, path: str) -> str:
        """Links are relative to the page, so the output works under any base path; the 404
        page is served at any depth, so it links from the base path."""
        page = context.get("page")
        current = page.path if page is not None else ""
        return base_path + path if current == urls.NOT_FOUND else urls.relative(path, current)

    @jinja2.pass_context
    def image_url(context: Any, record: Any, image: Any) -> str:
        return url(context, urls.media(urls.content_file(record.origin.file, image.src)))

    env.globals.update(url=url, urls=urls, image_url=image_url)
    env.filters.update(cn_date=cn_date, iso_date=iso_date, short_date=short_date, month_day=month_day)
    return env


@functools.lru_cache(maxsize=64)
def _navigation(config: SiteConfig, section: str) -> Navigation:
    return navigation(config, section)


def render_output(env: jinja2.Environment, site: Site, output: Output) -> str:
    template = env.get_template(output.template)
    context: dict[str, Any] = {"site": site, "config": site.config, "page": output,
                               "nav": _navigation(site.config, output.section),
                               "footer_facts": footer_facts(site.config), **output.context}
    return template.render(context)
