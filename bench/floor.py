"""The floor: the least any generator must do to publish the same news.

    python bench/floor.py SITE OUT

A bare loop, one process: read every `SITE/content/news/**.md`, split the front matter,
parse it with PyYAML's SafeLoader (the parser gongshi's loader is built on), render the body
with Python-Markdown (the same extensions gongshi configures, without its sanitiser) and the
page with one Jinja2 template, and write `OUT/news/<id>/index.html`. No lists, units,
ledgers, feeds or data: `bench/run.py` compares every gongshi build against this.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import jinja2
import markdown
import yaml

TEMPLATE = """<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ meta.title }} - {{ site_title }}</title>
<meta name="description" content="{{ meta.summary or meta.title }}">
<link rel="stylesheet" href="../../static/site.css">
</head>
<body>
<header class="banner"><a class="brand" href="../../">{{ site_title }}</a></header>
<nav class="nav"><ul>
{% for id, name in columns %}<li><a href="../../{{ id }}/"{% if id == meta.column %} aria-current="page"{% endif %}>{{ name }}</a></li>
{% endfor %}</ul></nav>
<main id="main" class="wrap">
<nav class="crumbs"><a href="../../">首页</a> › <a href="../../{{ meta.column }}/">{{ column_names.get(meta.column, meta.column) }}</a></nav>
<article class="article">
<h1>{{ meta.title }}</h1>
<p class="meta"><time datetime="{{ meta.date }}">{{ meta.date }}</time>
{% if meta.author %} 作者：{{ meta.author }}{% endif %}{% if meta.source %} 来源：{{ meta.source }}{% endif %}
{% if meta.photographer %} 摄影：{{ meta.photographer }}{% endif %}</p>
{% for image in meta.images or () %}<figure><img src="../../media/{{ image.src }}" alt="{{ image.caption }}"><figcaption>{{ image.caption }}</figcaption></figure>
{% endfor %}
<div class="body">{{ body|safe }}</div>
{% if meta.tags %}<p class="tags">{% for tag in meta.tags %}<span>{{ tag }}</span> {% endfor %}</p>{% endif %}
</article>
</main>
<footer class="footer">{{ site_title }}</footer>
</body>
</html>
"""


def split(text: str) -> tuple[str, str]:
    """(front matter, body) of a Markdown file that starts with a `---` line."""
    head, sep, body = text.removeprefix("---\n").partition("\n---\n")
    return (head, body) if sep else ("", text)


def main(site: Path, out: Path) -> int:
    config = yaml.safe_load((site / "site_config.yml").read_text(encoding="utf-8"))
    columns = [(c["id"], c["name"]) for c in config.get("columns", ())]
    template = jinja2.Environment(autoescape=True).from_string(TEMPLATE)
    converter = markdown.Markdown(
        extensions=[
            "abbr",
            "attr_list",
            "def_list",
            "fenced_code",
            "footnotes",
            "tables",
            "sane_lists",
            "toc",
            "pymdownx.tilde",
        ],
        output_format="html",
    )
    if out.exists():
        shutil.rmtree(out)
    count = 0
    for path in sorted((site / "content" / "news").rglob("*.md")):
        head, body = split(path.read_text(encoding="utf-8"))
        meta = yaml.safe_load(head) or {}
        converter.reset()
        html = template.render(
            meta=meta,
            body=converter.convert(body),
            site_title=config["title"],
            columns=columns,
            column_names=dict(columns),
        )
        target = out / "news" / str(meta.get("id") or path.stem) / "index.html"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(html, encoding="utf-8")
        count += 1
    print(f"floor: {count} pages")
    return 0


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__.split("\n\n")[1].strip())
    sys.exit(main(Path(sys.argv[1]), Path(sys.argv[2])))
