"""Body HTML is kept in a temporary file (generator/bodies.py), not in memory: the site
holds handles that read the text back wherever it is used."""

from __future__ import annotations

import os
import pickle
from pathlib import Path

from markupsafe import Markup, escape

from generator.bodies import Body, BodyStore
from generator.build import prepare


def test_a_body_reads_back_as_the_text_it_was_given() -> None:
    store = BodyStore()
    first = store.add("<p>整改清单 & 承诺</p>")
    second = store.add("<p>第二篇</p>".encode())
    assert isinstance(first, Body) and isinstance(second, Body)
    assert str(first) == "<p>整改清单 & 承诺</p>" and str(second) == "<p>第二篇</p>"
    assert bytes(second) == "<p>第二篇</p>".encode()
    assert store.add("") == ""  # nothing to keep for an empty body


def test_templates_treat_a_body_as_safe_html_and_signatures_as_its_text() -> None:
    body = BodyStore().add("<p>a < b</p>")
    assert Markup(body) == "<p>a < b</p>"  # what `{{ body|safe }}` does
    assert escape(body) == "<p>a < b</p>"  # and autoescaping leaves it alone: it is sanitised HTML
    assert bool(body) is True
    assert pickle.loads(pickle.dumps(body)) == "<p>a < b</p>"


def test_a_forked_process_reads_the_bodies_too() -> None:
    body = BodyStore().add("<p>在子进程里读</p>")
    reader, writer = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: what a rendering helper does
        os.write(writer, bytes(body))
        os._exit(0)
    os.close(writer)
    os.waitpid(pid, 0)
    assert os.read(reader, 1000).decode() == "<p>在子进程里读</p>"


def test_the_built_site_holds_handles_not_the_texts(small_site: Path) -> None:
    site = prepare(small_site)
    bodies = [v for v in site.html.values() if v]
    assert bodies and all(isinstance(v, Body) for v in bodies)
    assert all(str(v).startswith("<") for v in bodies)
