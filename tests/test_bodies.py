"""Body HTML is kept in a temporary file or in the build cache (generator/bodies.py), not
in memory: the site holds handles that read the text back wherever it is used."""

from __future__ import annotations

import os
import pickle
import sqlite3
from pathlib import Path

import pytest
from markupsafe import Markup, escape

from generator.bodies import Body, BodyStore, CachedBodies
from generator.build import prepare
from generator.cache import BuildCache


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


def _cached_site(small_site: Path) -> tuple[BuildCache, dict]:  # type: ignore[type-arg]
    """The small site prepared twice with its cache: the second time every body is the cache's."""
    for _ in range(2):
        cache = BuildCache(small_site)
        site = prepare(small_site, cache=cache)
        cache.save()
    return cache, site.html


def test_a_rebuild_reads_bodies_from_the_cache_only_when_used(small_site: Path) -> None:
    cache, html = _cached_site(small_site)
    bodies = [v for v in html.values() if v]
    assert bodies and all(isinstance(v.store, CachedBodies) for v in bodies)
    clean = prepare(small_site).html  # no cache: made afresh
    assert {k: str(v) for k, v in html.items()} == {k: str(v) for k, v in clean.items()}
    body = bodies[0]
    reader, writer = os.pipe()
    pid = os.fork()
    if pid == 0:  # a rendering helper: its own connection to the cache
        os.write(writer, bytes(body))
        os._exit(0)
    os.close(writer)
    os.waitpid(pid, 0)
    assert os.read(reader, 100000) == bytes(body)
    cache.close()


def test_a_body_gone_from_the_cache_meanwhile_is_an_error_not_an_empty_page(small_site: Path) -> None:
    cache, html = _cached_site(small_site)
    body = next(v for v in html.values() if v)
    database = cache.database
    cache.close()
    with sqlite3.connect(database) as db:  # another gongshi, of other code, empties the cache
        db.execute("DELETE FROM html")
    with pytest.raises(RuntimeError, match="构建缓存在生成过程中被改动"):
        str(body)
