"""Every file of the output as a job: the files it writes, its signature, how to make it.

Pages come from the plan; feeds, open data, the sitemap, the OPML list, robots.txt, the
theme's static files and the images beside the content are jobs too, so that one loop
(`run`) decides for all of them what to skip, renders the rest in parallel and writes only
bytes that changed. The manifest, which lists every file, is made after that loop.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import jinja2

from . import parallel, urls
from .bulletins import sms_files
from .cache import Written
from .errors import Problems, Source, relpath
from .feeds import WRITING_READS, Deferred, Feed, opml, render_feeds
from .incremental import Signatures
from .opendata import DataSet, render_data
from .output import Staging
from .plan import Output, Planned
from .progress import Progress
from .render import render_output, theme_dirs
from .sharing import CardPainter, ShareImages
from .site import Site
from .sitemap import robots, sitemap, web_manifest


@dataclass(frozen=True)
class Job:
    files: tuple[str, ...]
    signature: Callable[[], bytes]
    make: Callable[[], Sequence[bytes | str]]  # the content of each of `files`
    template: str = ""  # pages: the template, for error reports
    path: str = ""  # pages: the public path, for error reports
    snapshot: Callable[[], bytes] | None = None  # what quick.py needs to make it again


@dataclass(frozen=True)
class Done:
    """What one job left: each file's record and whether it was staged (new bytes)."""

    files: tuple[tuple[str, Written, bool], ...] = ()
    error: tuple[str, str, int | None, str] | None = None  # template, message, line, page path
    snapshot: tuple[str, bytes, bytes] | None = None  # (first file, signature, job.snapshot())


def page_jobs(env: jinja2.Environment, site: Site, outputs: list[Output], sig: Signatures) -> list[Job]:
    def job(o: Output) -> Job:
        return Job((o.file,), lambda: sig.page(o), lambda: (render_output(env, site, o),), o.template, o.path,
                   (lambda: sig.snapshot(o)) if "body" in o.context else None)

    return [job(o) for o in outputs]


def feed_jobs(site: Site, feeds: list[Feed], sig: Signatures) -> list[Job]:
    """The feeds planned (families.plan_feeds), each in RSS, Atom and JSON."""
    return [Job((f.rss_path, f.atom_path, f.json_path),
                lambda f=f: sig.of(f, *(getattr(site, name) for name in WRITING_READS)),
                lambda f=f: render_feeds(f, site),
                snapshot=(lambda f=f: sig.fp.pickle(f)) if any(isinstance(e, Deferred) for e in f.entries) else None)
            for f in feeds]


def other_jobs(env: jinja2.Environment, site: Site, sitemap_parts: list[str], pages_key: str, feeds: list[Feed],
               sets: list[DataSet], sig: Signatures, staging: Staging | None = None) -> list[Job]:
    """The data files, the bulletins' texts, the OPML list of every feed (`feeds`: without
    their entries), the sitemap (its entries, a family of pages at a time; `pages_key`:
    what the pages' paths and dates are made from, families.pages_key), robots.txt and the
    web manifest."""
    # the columns' getters are lambdas, which only the slow pickler takes: fingerprinted once
    # here, they stand in each data set's pickle as known values (167 sets: 32 ms → 2 ms)
    for column in {c for d in sets for c in d.columns}:
        sig.fp.remember(column)
    # a set made of parts (the all-items set) is signed by its parts, not its rows (which are
    # theirs): each part fingerprinted once, for its own files and for the set's (1,800 rows)
    for part in {id(p): p for d in sets for p in d.parts}.values():
        sig.fp.remember(part)
    # (each signature worked out once, before rendering: `kept` asks for the parts' again)
    data_jobs = {d.path: Job((d.path + ".csv", d.path + ".json"),
                             functools.cache(functools.partial(sig.of, dataclasses.replace(d, rows=()) if d.parts else d)),
                             lambda d=d: render_data(d, site, kept)) for d in sets}

    def kept(part: DataSet) -> tuple[bytes, bytes] | None:
        """A set's files as the output folder holds them, when this build keeps them so: the
        all-items set takes the rows of the ledgers not edited from them (1,800 items: 50 ms)."""
        job = data_jobs[part.path]
        if staging is None or _kept(job, job.signature(), staging) is None:
            return None
        try:
            csv_file, json_file = ((staging.out / name).read_bytes() for name in job.files)
        except OSError:
            return None
        return csv_file, json_file

    jobs = list(data_jobs.values())
    jobs += [Job((path,), lambda text=text: sig.of(text), lambda text=text: (text,))
             for path, text in sms_files(site)]
    config = site.config
    manifest_source = env.loader.get_source(env, urls.WEB_MANIFEST)[0] if env.loader else ""
    # worked out once, here: a walk over every record (in a forked helper, 20 ms of copying
    # the memory pages the walk touches)
    newest = site.newest
    jobs += [
        Job((urls.OPML,), lambda: sig.of([(f.slug, f.title, f.link, f.group) for f in feeds]),
            lambda: (opml(feeds, site),)),
        Job(("sitemap.xml",), lambda: sig.of(pages_key, newest), lambda: (sitemap(sitemap_parts, newest),)),
        Job(("robots.txt",), lambda: sig.of("robots"), lambda: (robots(config.base_url),)),
        Job((urls.WEB_MANIFEST,), lambda: sig.of("webmanifest", manifest_source),
            lambda: (web_manifest(env, config),)),
    ]
    return jobs


def image_jobs(images: ShareImages, pages: list[Planned], root: Path, sig: Signatures) -> list[Job]:
    """The site's default share image and every card the pages use (a card's name is the
    digest of what it shows, so the name is its signature)."""
    jobs = []
    default = images.default_file
    if default is not None:
        jobs.append(Job((images.default,), lambda: _stat_signature(default), lambda: (default.read_bytes(),)))
    cards = dict(p.card for p in pages if p.card is not None)
    painter = functools.cache(lambda: CardPainter(images, root))  # its fonts are loaded when a card is drawn
    jobs += [Job((path,), lambda path=path: sig.of("card", path), lambda path=path: (painter().png(cards[path]),))
             for path in sorted(cards)]
    return jobs


def copy_jobs(root: Path, site: Site) -> list[Job]:
    """The theme's static files (the site's own theme first: its files win) and the
    images and files the content uses."""
    sources: dict[str, Path] = {}
    for theme in theme_dirs(root):
        static = theme / "static"
        for path in sorted(static.rglob("*")) if static.is_dir() else []:
            if path.is_file():
                sources.setdefault(urls.static(relpath(path, static)), path)
    for asset in site.assets:
        sources[urls.media(asset)] = root / asset

    def copy(name: str, path: Path) -> Job:
        return Job((name,), lambda: _stat_signature(path), lambda: (path.read_bytes(),))

    return [copy(name, path) for name, path in sources.items()]


def _stat_signature(path: Path) -> bytes:
    stat = os.stat(path)
    return hashlib.blake2b(f"{path}\0{stat.st_size}\0{stat.st_mtime_ns}".encode(), digest_size=16).digest()


def _kept(job: Job, signature: bytes, staging: Staging) -> Done | None:
    """The job's files as the last build left them, if they need not be made again."""
    previous = [staging.unchanged(name, signature) for name in job.files]
    if any(p is None for p in previous):
        return None
    return Done(tuple((name, p, False) for name, p in zip(job.files, previous, strict=True)))  # type: ignore[misc]


def _make(job: Job, signature: bytes, staging: Staging) -> Done:
    try:
        made = job.make()
    except jinja2.TemplateError as exc:
        name = getattr(exc, "name", None) or job.template
        return Done(error=(name, str(exc), getattr(exc, "lineno", None), job.path))
    return Done(tuple((name, *staging.put(name, data, signature))
                      for name, data in zip(job.files, made, strict=True)),
                snapshot=(job.files[0], signature, job.snapshot()) if job.snapshot else None)


def _do(job: Job, staging: Staging) -> Done:
    signature = job.signature()
    return _kept(job, signature, staging) or _make(job, signature, staging)


def run(jobs: list[Job], staging: Staging, problems: Problems, progress: Progress,
        kept: dict[str, Written] | None = None) -> tuple[dict[str, Written], set[str], dict[str, tuple[bytes, bytes]]]:
    """Do every job; returns every output file's record (with `kept`, the files known to
    be as they are), the names of those staged, and the snapshot of each job made that
    has one (first file → (signature, snapshot)).

    After an earlier build, the signatures are worked out here first and only the jobs
    whose inputs changed go to the worker processes (a worker touching the whole site
    just to find it unchanged costs more than it saves). Without one, every job is made,
    and the workers work out the signatures too.

    A template mistake is reported once (E062), not once per page that uses the template.
    """
    staging.look()  # here, not in each forked helper
    latest = {name: n for n, job in enumerate(jobs) for name in job.files}  # a file made twice: the last wins
    jobs = [job for n, job in enumerate(jobs) if all(latest[name] == n for name in job.files)]
    results = [Done(tuple((name, written, False) for name, written in (kept or {}).items()))]
    if staging.previous:
        progress.stage("比较输入", len(jobs))
        todo: list[tuple[Job, bytes]] = []
        for job in jobs:
            signature = job.signature()
            kept = _kept(job, signature, staging)
            if kept is None:
                todo.append((job, signature))
            else:
                results.append(kept)
            progress.advance()
        # the largest first (as the last build wrote them), so that no process is left with a long one at the end
        todo.sort(key=lambda entry: -sum(staging.previous[n].size for n in entry[0].files if n in staging.previous))
        progress.stage("生成页面", len(todo))
        # a page takes 5 to 25 ms to render: from 16 of them a helper shares the work (a ledger edit's
        # 38 files at 20,000 pages: 45 ms less rendering, though after the fork this process
        # pays about as much again copying the memory pages it writes)
        results += parallel.run(len(todo), lambda i: _make(*todo[i], staging), progress.advance, least=16)
    else:
        progress.stage("生成页面", len(jobs))
        results = parallel.run(len(jobs), lambda i: _do(jobs[i], staging), progress.advance)
    return _collect(results, problems)


def _collect(results: list[Done], problems: Problems
             ) -> tuple[dict[str, Written], set[str], dict[str, tuple[bytes, bytes]]]:
    files: dict[str, Written] = {}
    staged: set[str] = set()
    snapshots: dict[str, tuple[bytes, bytes]] = {}
    seen: set[tuple[str, str]] = set()
    for done in results:
        if done.snapshot is not None:
            snapshots[done.snapshot[0]] = done.snapshot[1:]
        if done.error is not None:
            template, message, line, path = done.error
            if (template, message) not in seen:
                seen.add((template, message))
                problems.add("E062", Source(f"theme/templates/{template}", line),
                             problem=f"{message}（生成 {path or '首页'} 时）", template=template)
        for name, written, is_staged in done.files:
            files[name] = written
            if is_staged:
                staged.add(name)
    return files, staged, snapshots
