"""The stages in order: load → validate → markdown → compute → plan → render → write.

Only this module knows the order. Each stage reports every problem it finds; the build
stops after a stage that found any, before anything is published.
"""

from __future__ import annotations

import dataclasses
import functools
import gc
import itertools
import json
import tempfile
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import families, parallel, quick, sitestate, urls
from .bodies import Body, BodyStore, CachedBodies
from .cache import BuildCache, Written, code_fingerprint
from .compute import default_as_of
from .errors import BuildFailed, Problems, SourceError
from .feeds import preload_writer
from .freshness import warn_quiet_columns
from .history import History, check_removals, read_history
from .incremental import (
    Fingerprints,
    Known,
    Signatures,
    Stamps,
    _digest,
    file_body_ref,
    files_digest,
    input_files,
    inputs_digest,
)
from .indexno import check_index_numbers, warn_dated_numbers
from .jobs import Job, copy_jobs, feed_jobs, image_jobs, other_jobs, page_jobs
from .jobs import run as run_jobs
from .links import check_links, hrefs
from .load.site import load_ledgers, load_site, read_markdown
from .manifest import MANIFEST, manifest
from .markdown import MarkdownRenderer, site_files
from .model import Content, without_text
from .opendata import data_sets
from .output import AsLeft, Staging, check_target, folder_times, known_files, survey
from .plan import Planned, PlannedFeed
from .progress import Progress
from .render import make_environment, theme_dirs
from .sharing import check_files, share_images
from .site import Site, build_site, with_ledgers
from .validate import validate


@dataclass
class BuildReport:
    pages: int
    files: int
    seconds: float
    out: Path
    written: int = 0  # files new or changed in the output folder
    removed: int = 0  # files deleted from it
    warnings: list[SourceError] = field(default_factory=list)
    quick: bool = False  # only files showing edited bodies were made again (quick.py)

    @property
    def unchanged(self) -> int:
        return self.files - self.written


def _raise_if(problems: Problems) -> None:
    if problems:
        raise BuildFailed(problems)


def _line_of(text: str, body: str, body_line: int | None) -> int | None:
    """The file line where `text` first appears in a Markdown body starting at `body_line`."""
    for number, line in enumerate(body.splitlines()):
        if text in line:
            return (body_line or 1) + number
    return body_line


def render_bodies(content: Content, root: Path, problems: Problems, cache: BuildCache | None = None,
                  known: Known | None = None, progress: Progress | None = None,
                  body_keys: dict[int, bytes] | None = None,
                  ) -> tuple[dict[tuple[str, str], Body | str], dict[tuple[str, str], list[str]], set[str]]:
    """Every Markdown body → safe HTML, keyed by (kind, id), as a `Body` that reads it when
    used (bodies.py); the links in each body; the images they use.

    A body whose file is unchanged (the same fingerprint in `body_keys`, id(record) → key)
    is the cache's, as long as the images it uses are still there; the others are rendered
    in parallel. Each body made from a file goes into `known` by that fingerprint.
    """
    cache, known, progress = cache or BuildCache.disabled(), known or {}, progress or Progress()
    exists = site_files(root)
    records = [(a.kind, a, urls.article(a)) for a in (*content.articles, *content.documents)]
    records += [("meeting", m, urls.meeting(m)) for m in content.meetings]
    records += [("page", p, urls.page(p)) for p in content.pages]
    body_keys = body_keys or {}
    keys = [body_keys.get(id(r)) for _, r, _ in records]
    number = {key: n for n, key in enumerate(keys) if key is not None}
    results: dict[int, tuple[Body | str, list[str], list[str], list[str]]] = {}  # (body, assets, missing, links)
    if cache.database is not None:
        in_cache = CachedBodies(cache.database)
        for key, size, used, links in cache.bodies(list(number)):
            if all(exists(path) for path in used):
                results[number[key]] = (in_cache.add(key, size), used, [], links)
    cached = {keys[n] for n in results}
    todo = [n for n in range(len(records)) if n not in results]
    texts = {n: _text(root, cache, records[n][1], keys[n]) for n in todo}
    renderer = MarkdownRenderer(exists)

    def render(i: int) -> tuple[str, list[str], list[str], list[str]]:
        _, record, page = records[todo[i]]
        folder = record.origin.file.rsplit("/", 1)[0]
        result = renderer.render(texts[todo[i]], folder,
                                 lambda path, page=page: urls.relative(urls.media(path), page))
        return result.html, result.assets, result.missing, hrefs(result.html)

    progress.stage("转换正文", len(todo))
    fresh = parallel.run(len(todo), render, progress.advance)
    store = BodyStore()
    for n in reversed(range(len(todo))):  # each text is let go once it is in the store
        text, used, missing, links = fresh.pop()
        results[todo[n]] = (store.add(text), used, missing, links)
    html: dict[tuple[str, str], Body | str] = {}
    body_hrefs: dict[tuple[str, str], list[str]] = {}
    assets: set[str] = set()
    remember = {}
    for n, (kind, record, _) in enumerate(records):
        body, used, missing, links = results.pop(n)
        for src in missing:
            problems.add("E051", record.origin.at(_line_of(src, texts[n], record.body_line)), src=src)
        key = keys[n]
        if key is not None and not missing:
            if key not in cached:
                remember[key] = (body, used, links)
            if body:  # the HTML is made from the record's file alone: known by its fingerprint
                known[id(body)] = (body, file_body_ref(key, body))
        assets.update(used)
        html[(kind, record.id)] = body
        if links:
            body_hrefs[(kind, record.id)] = links
        assets.update(urls.content_file(record.origin.file, i.src) for i in getattr(record, "images", ()))
    cache.remember_html(remember)
    return html, body_hrefs, assets


def _text(root: Path, cache: BuildCache, record: Any, key: bytes | None) -> str:
    """The Markdown text of a record's body. A record read from the cache came without it
    (the HTML is cached too): then the text is the cache's full copy of the record's file,
    or the file itself."""
    if record.body or key is None:
        return record.body  # type: ignore[no-any-return]
    name = record.origin.file
    parsed = cache.records_of(name)
    if parsed is None or parsed.body_key(name, "0") != key:
        read = read_markdown(root, name)
        parsed = read[0] if read is not None else None
    return parsed.records[0].body if parsed is not None and parsed.records else ""


def _without_markdown(content: Content, known: Known) -> Content:
    """The records without their Markdown text, once it is HTML: from here on every stage
    uses the HTML (`Site.body`), and the text of a large site is tens of megabytes that
    every worker process would otherwise carry. A record keeps its fingerprint."""

    def drop(record: Any) -> Any:
        lighter = without_text(record)
        if lighter is not record and id(record) in known:
            known[id(lighter)] = (lighter, known.pop(id(record))[1])
        return lighter

    return dataclasses.replace(content, **{kind: tuple(map(drop, getattr(content, kind)))  # type: ignore[arg-type]
                                           for kind in ("articles", "documents", "meetings", "pages")})


def prepare(root: Path, problems: Problems | None = None, accept_removals: bool = False,
            cache: BuildCache | None = None, known: Known | None = None,
            progress: Progress | None = None, history: History | None = None,
            stamps: Stamps | None = None, kept: Site | None = None) -> Site:
    """Load, validate and compute: everything but writing. Raises BuildFailed.

    `accept_removals`: let records that were published (committed) before disappear.
    `cache` (default: none) saves parsing and Markdown work between builds; `known` is
    filled with the fingerprint of every record read from a file. `history`: the content's
    git history, if it was read already; `stamps`: the input files' sizes and mtimes, if
    they were read already (`incremental.input_files`). `kept`: the site of an earlier
    build, when only ledgers changed since (sitestate.py): then only they are read, and
    `known` already holds the fingerprints of the rest.
    """
    problems = problems if problems is not None else Problems()  # an empty one is falsy
    progress = progress or Progress()
    cache = cache or BuildCache.disabled()
    known = {} if known is None else known
    body_keys: dict[int, bytes] = {}
    progress.stage("读取内容")
    if kept is not None:
        content: Content | None = dataclasses.replace(
            kept.content, ledgers=load_ledgers(root, problems, cache, known, stamps or {}))
    else:
        content = load_site(root, problems, cache, known, stamps, body_keys)
    cache.save()  # the records of new files, pickled, need not wait in memory
    if content is None:
        raise BuildFailed(problems)
    progress.stage("检查内容")
    validate(content, root, problems, ledgers_only=kept is not None)  # the rest was checked when it was kept
    check_files(content.config, root, problems)
    history = history or read_history(root)
    if not accept_removals:
        check_removals(history, content, problems)
    _raise_if(problems)
    if kept is not None:
        progress.stage("统计")
        site = with_ledgers(kept, content, history)
    else:
        html, body_hrefs, assets = render_bodies(content, root, problems, cache, known, progress, body_keys)
        _raise_if(problems)
        content = _without_markdown(content, known)
        progress.stage("统计")
        site = build_site(content, html, default_as_of(content.config.as_of), history)
        site.hrefs = body_hrefs
        site.assets = sorted(assets)
        site.asset_sizes = {asset: (root / asset).stat().st_size for asset in site.assets}
    check_index_numbers(content.documents, site.index_numbers, problems)
    _raise_if(problems)
    warn_quiet_columns(site.config, site.columns, site.as_of, problems)
    warn_dated_numbers(content.documents, content.config, history, problems)
    return site


def build(root: Path, out: Path, accept_removals: bool = False, progress: Progress | None = None,
          use_cache: bool = True) -> BuildReport:
    """Build the site in `root` into `out`; on any problem raise BuildFailed, `out` untouched.

    With `use_cache` (the default) the build remembers its work in `.gongshi-cache/`: when
    nothing it reads changed since the last build into `out` it stops at once, and
    otherwise it renders and writes only what changed.
    """
    started = time.perf_counter()
    root, out = root.resolve(), out.resolve()
    progress = progress or Progress()
    problems = Problems()
    check_target(out, root, problems)
    code = code_fingerprint()
    cache = BuildCache(root, code) if use_cache and not problems else BuildCache.disabled()
    collecting = gc.isenabled()
    gc.disable()  # a build makes many objects and few cycles: collecting costs more than it frees
    try:
        # the files the build reads, then those the output folder holds: a helper looks at them meanwhile
        looking = parallel.Aside(functools.partial(_look, root, out, cache))
        previous = cache.outputs(out)
        history = read_history(root)
        fixed = (code, accept_removals, default_as_of(None))  # what a build reads besides files and the history
        extra = Fingerprints().of((*fixed, history))
        fixed_digest = Fingerprints().of(fixed)
        done = cache.memo(f"inputs:{out}")
        site_memo = cache.memo(f"site:{out}") if previous and looking.forked else None  # while the helper looks
        if previous and looking.forked:  # and, rather than wait for it, what writing feeds imports
            preload_writer()
        stamps, stamped = looking.next()
        inputs = inputs_digest(stamped, extra)
        # after an edit of ledgers alone, the site kept is unpickled while the helper goes on
        opened = sitestate.opened(root, site_memo or cache.memo(f"site:{out}"), fixed_digest, stamps,
                                  cache.memo(f"site-edits:{out}") or []) \
            if previous and not (done and done[0] == inputs) else None
        del site_memo

        @functools.cache
        def output_folder() -> tuple[Mapping[str, tuple[int, int]], bool, bool]:
            """What the output folder holds, whether it was found by the folder times, and
            whether it is as the last build left it: asked for as late as may be, so that the
            helper looks meanwhile."""
            existing, by_folder_times = looking.next()
            return (AsLeft(previous), by_folder_times, True) if existing is None else (existing, by_folder_times, False)

        if done and done[0] == inputs and output_folder()[2]:
            # nothing changed: nothing to do (the warnings of that build still stand)
            report = BuildReport(done[1], len(previous), 0.0, out, warnings=list(done[2]))
        else:
            # quick builds are for edits of bodies: their memo is not even read when only ledgers changed
            last = cache.memo(f"quick:{out}") if previous and opened is None else None
            made = quick.make(root, out, cache, last, stamps, previous, progress) \
                if isinstance(last, quick.Memo) and last.extra == extra and output_folder()[2] else None
            if made is not None:
                report = _write_quick(Staging(out, previous, *output_folder()), cache, made, last, stamps,
                                      history, problems, progress)
                memo = dataclasses.replace(last, files=stamps)
            else:
                known: Known = {}
                kept = [sitestate.restore(opened, cache, known)]
                del opened
                keep = fixed_digest if kept[0] is None else None  # a site worked out in full is kept for the next build
                # the sites handed on, not held here: _write lets the site go before the search index
                # (the output folder is asked for once planning needs it: Staging's look)
                report, memo = _write(root, prepare(root, problems, accept_removals, cache, known, progress,
                                                    history, stamps, kept.pop()),
                                      Staging(out, previous, look=output_folder), cache, known, code,
                                      problems, progress, (extra, stamps), keep)
            cache.remember(f"quick:{out}", memo)
            cache.remember(f"inputs:{out}", (inputs, report.pages, report.warnings))
            cache.save()
    finally:
        cache.close()
        progress.finish()
        if collecting:
            gc.enable()
    report.seconds = time.perf_counter() - started
    return report


def _look(root: Path, out: Path, cache: BuildCache) -> Iterator[Any]:
    """The files a build of `root` reads (`input_files`), with their digest; then what the
    output folder holds (None: what the last build left, as `cache` remembers it) and whether
    it was found by the folder times that build recorded (`known_files`)."""
    files = input_files(root, theme_dirs(root))
    yield files, files_digest(files)
    reading = cache.reader()  # this runs in a forked helper, mostly
    try:
        left, folders = reading.output_stamps(out), reading.folder_times(out)
    finally:
        reading.close()
    existing = known_files(out, left, folders) if folders else None
    by_folder_times = existing is not None
    if existing is None:
        existing = survey(out)
    yield None if existing == left else existing, by_folder_times


def check(root: Path, problems: Problems | None = None, accept_removals: bool = False) -> Site:
    """`gongshi check`: every check a build makes, the links to the site's own pages
    included (they need the list of files the build would write), writing nothing."""
    root = root.resolve()
    problems = problems if problems is not None else Problems()
    site = prepare(root, problems, accept_removals)
    _plan_files(root, site, BuildCache.disabled(), {}, code_fingerprint(), problems)
    _raise_if(problems)
    return site


@dataclass
class Plan:
    pages: list[Planned]  # every page, planned or kept
    work: list[Job]  # every output file to make or keep as a job
    kept: dict[str, Written]  # the files of the families of pages kept as they are (families.py)
    feeds: list[PlannedFeed]  # every feed, planned or kept
    env: Any  # the Jinja environment
    families: list[families.Family]


def _plan_files(root: Path, site: Site, cache: BuildCache, known: Known, code: str, problems: Problems,
                staging: Staging | None = None, last: families.Remembered | None = None) -> Plan:
    """The pages and every output file as a job (nothing rendered yet), after checking the
    links editors wrote to the site's own pages against the files (E056). `last`: what the
    last full build into `staging` recorded of each family of pages (None: no cache)."""
    env = make_environment(root, site.config.base_path, cache.jinja_folder)
    images = share_images(site.config, root)
    signatures = Signatures(code, site, known, {})
    # values that several outputs' signatures hold, fingerprinted once: each item's state (in the
    # unit pages' parts, the data files, the figures), each bulletin (in its page and in the list)
    _know_states(site, signatures.fp)
    for value in (*site.rect.states, *site.bulletins):
        signatures.fp.remember(value)

    def intact(signatures: dict[str, bytes]) -> bool:
        return staging is not None and staging.all_unchanged(signatures)

    feed_families = families.plan_feeds(site, images, signatures, last, intact)
    feeds: list[PlannedFeed] = [p for f in feed_families for p in f.pages]
    every_feed = [p.feed for p in feeds]  # without their entries
    sets = data_sets(site)
    page_families = families.plan(site, every_feed, sets, images, env, cache, signatures, last, intact)
    pages = [p for f in page_families for p in f.pages]
    planned = feed_families + page_families
    kept = {name: staging.previous[name] for f in planned for name in f.kept} if staging else {}
    work = page_jobs(env, site, [o for f in page_families for o in f.outputs], signatures)
    work += feed_jobs(site, [o for f in feed_families for o in f.outputs], signatures)
    work += other_jobs(env, site, [f.sitemap for f in page_families], families.pages_key(page_families),
                       every_feed, sets, signatures, staging)
    work += image_jobs(images, pages, root, signatures) + copy_jobs(root, site)
    # after an edit of ledgers alone (site.changed), the bodies are those the last build checked
    checked = staging.previous.keys() if staging is not None and site.changed is not None else None
    check_links(root, site, itertools.chain(kept, (name for job in work for name in job.files)), problems, checked)
    return Plan(pages, work, kept, feeds, env, planned)


def _write(root: Path, site: Site, staging: Staging, cache: BuildCache, known: Known, code: str,
           problems: Problems, progress: Progress, read: tuple[bytes, Stamps],
           keep: bytes | None = None) -> tuple[BuildReport, quick.Memo | None]:
    """Plan, render what changed, publish; remember what each output file was made from,
    and what a quick build after an edit of bodies needs (`read`: the digest of what the
    build read besides files, and the files), and, with `keep` (the digest of what it read
    besides files and the history), the site for a build after an edit of ledgers
    (sitestate.py). The site, and the records in `known`, are let go before the search
    index: its Pagefind processes need the memory (the caller holds neither)."""
    cache.save()  # the bodies rendered: their HTML need not wait in memory
    progress.stage("计划")
    try:
        _know_parts(site, known)
        last = families.recalled(cache, staging.out, staging.previous)
        planned = _plan_files(root, site, cache, known, code, problems, staging, last)
        _raise_if(problems)
        files, staged, snapshots = run_jobs(planned.work, staging, problems, progress, planned.kept)
        _raise_if(problems)
        recorded, recorded_pages = families.remember(
            planned.families, lambda name: files[name].signature if name in files else None, last)
        stored, stored_pages = (last.stored, last.pages) if last is not None else ({}, {})
        del last
        shards = 0
        if site.config.search:
            from . import search  # imported for a site with search only: 5 ms less for one without

            indexed = sum(1 for p in planned.pages if p.search) or len(planned.pages)
            shards = search.shard_count(indexed, site.config.search_shard_pages)
        memo = quick.memo(site, planned.pages, planned.feeds, planned.env, cache, *read, shards, problems.warnings)
        if keep is not None:
            # not held in memory: this build does not read it back, and its megabytes would sit beside Pagefind
            cache.remember(f"site:{staging.out}", sitestate.keep(site, known, keep, read[1]), hold=False)
            cache.remember(f"site-edits:{staging.out}", [])  # none since
        page_count = len(planned.pages)
        history, as_of = site.history, site.as_of
        del planned, site  # what Pagefind's processes need is memory
        known.clear()
        cache.remember_snapshots(staging.out, snapshots)
        cache.save()
        del snapshots
        written, removed = _publish(staging, files, staged, shards, history, as_of, cache, problems, progress)
    except BaseException:
        staging.discard()
        raise
    cache.remember_rows(f"families:{staging.out}:", recorded, stored)
    cache.remember_rows(f"family-pages:{staging.out}:", recorded_pages, stored_pages)
    cache.remember(f"quick-edits:{staging.out}", [])  # families.recalled: none since this build
    return BuildReport(page_count, len(files), 0.0, staging.out, written=written, removed=removed,
                       warnings=problems.warnings), memo


def _know_parts(site: Site, known: Known) -> None:
    """Values many outputs hold that no ledger changes, as known values: fingerprinted once,
    and kept with the site, so that a build after an edit of ledgers does not fingerprint
    them again (sitestate.py). Each unit's index (what it published), which the unit pages'
    and feeds' parts hold; each period's articles, which its bulletin holds."""
    missing = [value for value in (*site.unit_index.values(), *(p.articles for p in site.published))
               if id(value) not in known]
    if missing:  # (a kept site's are known)
        fingerprints = Fingerprints(known)
        known.update((id(value), (value, fingerprints.of(value))) for value in missing)


def _know_states(site: Site, fingerprints: Fingerprints) -> None:
    """Each item's state known by what it is worked out from (compute.item_state): its item's
    record, its number in the ledger and the date; not pickled, 1,800 of them after every
    ledger edit (13 ms). A state whose item is not known is left to be pickled."""
    day = site.as_of.isoformat().encode()
    for state in site.rect.states:
        item = fingerprints.known.get(id(state.item))
        if item is not None and item[0] is state.item:
            fingerprints.learn(state, _digest(b"state\0%s\0%d\0%s" % (item[1], state.number, day)))


def _write_quick(staging: Staging, cache: BuildCache, made: quick.Made, memo: quick.Memo, stamps: Stamps,
                 history: History, problems: Problems, progress: Progress) -> BuildReport:
    """Publish what a quick build made, and tell the cache about the edited files (`stamps`:
    every input file as the build found them)."""
    # the search index and the manifest are made again (the shards not touched are kept)
    files = {n: w for n, w in staging.previous.items() if n != MANIFEST and not n.startswith(urls.PAGEFIND)}
    staged: set[str] = set()
    try:
        for name, (data, signature) in made.files.items():
            _put(staging, files, staged, name, data, signature)
        written, removed = _publish(staging, files, staged, memo.shards, history, made.as_of, cache, problems,
                                    progress)
    except BaseException:
        staging.discard()
        raise
    cache.remember_snapshots(staging.out, made.snapshots)
    # the bodies it changed and the files it wrote, for the families of the next full build
    edits = cache.memo(f"quick-edits:{staging.out}") or []
    cache.remember(f"quick-edits:{staging.out}", [*edits, (made.swaps, {n: s for n, (_, s) in made.files.items()})])
    # and the files and bodies it changed, for a build after an edit of ledgers (sitestate.py)
    changed = {path: stamp for path, stamp in stamps.items() if memo.files.get(path) != stamp}
    site_edits = cache.memo(f"site-edits:{staging.out}") or []
    cache.remember(f"site-edits:{staging.out}", [*site_edits, sitestate.QuickEdit(changed, made.bodies)])
    for name, (stamp, parsed, blob) in made.parsed.items():
        cache.remember_parsed(name, *stamp, parsed, blob)
    cache.remember_html(made.html)
    return BuildReport(memo.pages, len(files), 0.0, staging.out, written=written, removed=removed,
                       warnings=list(memo.warnings), quick=True)


def _publish(staging: Staging, files: dict[str, Written], staged: set[str], shards: int, history: History,
             as_of: Any, cache: BuildCache, problems: Problems, progress: Progress) -> tuple[int, int]:
    """The search index (after the pages: it indexes them as they are written) and the
    manifest, then everything in place; returns (files written, files removed)."""
    if shards:
        progress.stage("搜索索引")
        _index_search(staging.out, staging, files, staged, shards, problems)
        _raise_if(problems)
    index = manifest({n: w.sha256 for n, w in files.items()}, history, as_of.isoformat())
    _put(staging, files, staged, MANIFEST, index, b"")
    progress.stage("发布")
    placed, removed = staging.publish(files, staged)
    previous = staging.previous
    cache.remember_outputs(staging.out, {n: w for n, w in placed.items() if previous.get(n) != w},
                           set(previous).difference(placed))
    partly = staging.by_folder_times  # else the times of every folder are recorded again
    cache.remember_folder_times(staging.out, folder_times(staging.out, staged | removed if partly else placed),
                                whole=not partly)
    return len(staged), len(removed)


SEARCH_SIGNATURE = b"search"


def _index_search(out: Path, staging: Staging, files: dict[str, Written], staged: set[str],
                  shards: int, problems: Problems) -> None:
    """The search index, one Pagefind bundle for each of `shards` shards (generator/search.py):
    a shard is kept as it is when its pages are, else made again from the pages as they will
    be published."""
    from . import search

    pages = {n: (staging.root if n in staged else out) / n for n in files if n.endswith(".html")}
    was = search.by_shard((n for n in staging.previous if n.endswith(".html")), shards)
    opt_in: bool | None = None
    listed = []
    freed = False
    for shard, names in search.by_shard(pages, shards).items():
        folder = f"{urls.PAGEFIND}{shard}/"
        before = {n: staging.unchanged(n, w.signature)
                  for n, w in staging.previous.items() if n.startswith(folder)}
        whole = bool(before) and all(before.values())
        if whole and names == was.get(shard) and staged.isdisjoint(names):
            files.update(before)  # type: ignore[arg-type]
            listed.append(shard)
            continue
        opt_in = search.opts_in(pages) if opt_in is None else opt_in
        texts = search.copies({n: pages[n] for n in names}, opt_in)
        if not texts:
            continue
        listed.append(shard)
        made = search.signature(texts)
        if whole and all(w.signature == made for w in before.values()):  # type: ignore[union-attr]
            files.update(before)  # type: ignore[arg-type]
            continue
        if not freed:  # for Pagefind, which holds a shard's every page in memory
            gc.collect()  # what the build let go, some of it in reference cycles (the collector is off)
            parallel.release_free_memory()
            freed = True
        with tempfile.TemporaryDirectory(prefix="gongshi-index-") as temp:
            bundle = Path(temp) / "bundle"
            search.build_index(texts, bundle, problems)
            if problems:
                return
            for path in sorted(bundle.rglob("*")):
                if path.is_file():
                    _put(staging, files, staged, folder + path.relative_to(bundle).as_posix(),
                         path.read_bytes(), made)
    _put(staging, files, staged, urls.PAGEFIND + search.SHARD_LIST,
         json.dumps(listed).encode("utf-8"), SEARCH_SIGNATURE)


def _put(staging: Staging, files: dict[str, Written], staged: set[str], name: str, data: bytes | str,
         signature: bytes) -> None:
    files[name], is_staged = staging.put(name, data, signature)
    if is_staged:
        staged.add(name)
