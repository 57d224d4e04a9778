"""Families of pages (and of feeds): the pages one stage of the plan makes, kept as they
are when what that stage read of the site did not change.

Planning a page and working out its signature (incremental.py) costs little once, and
seconds for 20,000 pages at every build. But the pages of one stage of the plan
(`plan.FAMILIES`: the article pages, the column lists, the ledger pages, …) are made, with
their meta, from the few attributes of the site that stage reads, and nothing else. So
each stage runs on a `Reads`, which notes every attribute of the site (and of
`site.content`) the stage and `pagemeta.with_meta` read. A family's key is the fingerprint
of the values of those attributes, of the templates its pages use (with the parts of the
site they read) and of the share-image settings; the build cache keeps, for each family,
its key, what it read, its templates, its pages (`plan.Planned`) and their signatures.

At the next build into the same folder, a family whose key, worked out again from the
attributes it read last time, is the same, and whose files are all as that build left
them, is not planned: its pages and signatures are the recorded ones. The stage's pages
are a function of what it read: when none of that changed, nothing it did can have.
A ledger edit thus plans again the ledger pages, the unit pages, the home page and the
bulletins, and not the 14,000 article pages and the column lists, which read none of it.

A record is known by its values but the text of its body (load.site), and the bodies a
family reads count apart in its key, so a quick build after an edit of bodies (quick.py),
which rewrites the pages that show them, leaves a note from which the next full build
brings the families' record up to date (`after_quick`) instead of planning again every
family that shows a body or lists the record.

A stage may come in parts (`plan.Parted`): the ledger pages, and the unit pages, are one
family per unit, whose key also holds the fingerprint of that unit's part (its items'
states and tally, what it published), so an edit of one ledger plans again that ledger's
pages and its unit's page, not the 3,800 pages of every ledger and the 200 unit pages.

The feeds are planned the same way (`plan_feeds`, `plan.FEED_FAMILIES`: the site's, the
columns', one family per unit, the compilations'); what is kept of a feed is its title and
links and the Markdown files whose bodies it carries (`plan.PlannedFeed`). Its entries for
articles and meetings are made when it is written, from the units, the evaluations and the
image sizes (`feeds.WRITING_READS`), which count as read.

A site worked out from the one the last full build kept (sitestate.py, after an edit of
ledgers alone) tells which of its attributes may have changed (`Site.changed`): a family
that read none of them, nor did its templates, and whose part is the same, keeps its key
without working it out again (for the article pages, the fingerprints of 15,000 records);
one that did is keyed with the fingerprints recorded for the attributes that did not
change (`Recorded.values`), so only the changed ones are fingerprinted again.
"""

from __future__ import annotations

import functools
import pickle
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, NamedTuple

import jinja2

from .feeds import WRITING_READS, Feed
from .incremental import Signatures, _digest, cached_template_inputs, swap_bodies
from .pagemeta import with_meta
from .plan import FAMILIES, FEED_FAMILIES, Output, Parted, Planned, PlannedFeed, extra_outputs
from .sharing import ShareImages
from .site import Site
from .sitemap import entries as sitemap_entries


class Reads:
    """`target`'s attributes as they are, noting the name of each one read."""

    def __init__(self, target: Any, seen: set[str] | None = None, prefix: str = ""):
        self._target, self._seen, self._prefix = target, set() if seen is None else seen, prefix

    def __getattr__(self, name: str) -> Any:  # only for a name not read before: then it is an attribute
        value = getattr(self._target, name)
        if name == "content" and not self._prefix:
            value = Reads(value, self._seen, "content.")
        else:
            self._seen.add(self._prefix + name)
        setattr(self, name, value)
        return value


class Recorded(NamedTuple):
    """What the build cache keeps of one family."""

    key: bytes
    reads: tuple[str, ...]
    templates: tuple[str, ...]
    pages: Any  # Planned, or PlannedFeed for a family of feeds; in the cache, a row apart (`Remembered.pages`)
    signatures: dict[str, bytes]  # file → signature
    rest: bytes = b""  # the key is the digest of this (all it read but the bodies) and of `bodies`
    bodies: bytes = b""  # the digest of the bodies (`Signatures.bodies`) for a family that reads them
    part: bytes = b""  # the fingerprint of its part, for a part of a Parted stage
    values: tuple[tuple[str, bytes], ...] = ()  # the fingerprint of each attribute it read (but the bodies)
    sitemap: str = ""  # the sitemap's entries for its pages (sitemap.entries)


class Remembered(dict[str, Recorded]):
    """What the build cache keeps of each family, by name; `pickles`: a family's record as
    the cache held it, when it still is (a family kept as it was is written back as it
    was read: pickling the records of 20,000 pages takes 60 ms); `stored`: every record as
    the cache holds it (a row each: the next build writes those that differ); `pages`: each
    family's pages, pickled, as the cache holds them in a row apart (a record a quick build
    changed, its key and the signatures of the files it wrote, is written again without
    them: for the article pages, 14,000, 40 ms of pickling and 3 MB of writing less)."""

    def __init__(self, found: Iterable[tuple[str, Recorded]] | dict[str, Recorded] = (),
                 pickles: dict[str, bytes] | None = None, stored: dict[str, bytes] | None = None,
                 pages: dict[str, bytes] | None = None):
        super().__init__(found)
        self.pickles = pickles or {}
        self.stored = stored if stored is not None else dict(self.pickles)  # as the cache holds them
        self.pages = pages or {}


class Key(NamedTuple):
    key: bytes
    rest: bytes
    bodies: bytes
    values: tuple[tuple[str, bytes], ...] = ()  # what `rest` is made from: each attribute read, fingerprinted

    @classmethod
    def of(cls, rest: bytes, bodies: bytes, values: tuple[tuple[str, bytes], ...] = ()) -> Key:
        return cls(_digest(rest + bodies), rest, bodies, values)


@dataclass
class Family:
    name: str | None  # None: the pages made from more than the site (the feed list, the data list)
    outputs: list[Any]  # planned in this build (Output, or Feed); none when the family is kept
    pages: list[Any]  # Planned, or PlannedFeed
    reads: tuple[str, ...] | None = ()  # None: the family cannot be kept
    templates: tuple[str, ...] = ()
    key: Key | None = None
    kept: dict[str, bytes] = field(default_factory=dict)  # file → signature, when the family is kept
    part: bytes = b""  # the fingerprint of its part (a Parted stage's)
    sitemap: str = ""  # the sitemap's entries for its pages, for a family of pages (sitemap.entries)


def plan(site: Site, feeds: list[Feed], sets: list[Any], images: ShareImages, env: jinja2.Environment,
         cache: Any, sig: Signatures, last: Remembered | None,
         intact: Callable[[dict[str, bytes]], bool]) -> list[Family]:
    """Every page of the site, in a stable order, with its meta, in families: planned, or
    kept from `last` (None: no cache, no keys). `intact(signatures)`: whether each file
    of `signatures` is in the output folder as the last build left it, made from the
    signature given. The templates the pages use are added to `sig.templates`."""
    recorded = sorted({t for r in (last or {}).values() for t in r.templates})
    sig.templates.update(cached_template_inputs(env, recorded, cache) if recorded else {})

    def pages(stage: Callable[[Any], Iterable[Output]], reads: Reads) -> tuple[list[Output], list[Planned], bool]:
        outputs = with_meta(list(stage(reads)), reads, images)  # type: ignore[arg-type]
        # a page given the site itself would be read while rendered, after the key is made
        leaked = any(isinstance(v, Reads) for o in outputs for v in o.context.values())
        return outputs, [Planned.of(o) for o in outputs], leaked

    found = _plan(FAMILIES, pages, site, images, sig, last, intact)
    extras = with_meta(extra_outputs(site, feeds, sets), site, images)
    found.append(Family(None, extras, [Planned.of(o) for o in extras]))
    for family in found:  # (those kept have theirs: a build after an edit makes a few)
        family.sitemap = family.sitemap or sitemap_entries(family.pages, site.config.base_url)
    sig.templates.update(cached_template_inputs(env, {o.template for f in found for o in f.outputs}, cache))
    _keys(found, sig, images, last)
    return found


def plan_feeds(site: Site, images: ShareImages, sig: Signatures, last: Remembered | None,
               intact: Callable[[dict[str, bytes]], bool]) -> list[Family]:
    """Every feed of the site, in families as the pages (`plan.FEED_FAMILIES`): a family's
    `outputs` are the feeds planned, its `pages` what is kept of each (`PlannedFeed`)."""

    def feeds(stage: Callable[[Any], Iterable[Feed]], reads: Reads) -> tuple[list[Feed], list[PlannedFeed], bool]:
        planned = list(stage(reads))
        for name in WRITING_READS:  # read when they are written, after the key is made
            getattr(reads, name)
        return planned, [PlannedFeed.of(f) for f in planned], False

    found = _plan(FEED_FAMILIES, feeds, site, images, sig, last, intact)
    _keys(found, sig, images, last)
    return found


def _plan(stages: Iterable[tuple[str, Any]], make: Callable[[Any, Reads], tuple[list[Any], list[Any], bool]],
          site: Site, images: ShareImages, sig: Signatures, last: Remembered | None,
          intact: Callable[[dict[str, bytes]], bool]) -> list[Family]:
    """The families of `stages`, each kept from `last` or made (`make(stage, reads)`: what
    it plans, what is kept of each, whether the site leaked into it)."""
    found = []
    for name, stage, part in _stages(site, stages, sig.parts):
        digest = sig.fp.remember(part) if part is not None else b""  # its part's fingerprint (a Parted stage's)
        before = last.get(name) if last else None
        if before is not None and digest == before.part and _unchanged(before, site, sig):
            key: Key | None = Key(before.key, before.rest, before.bodies, before.values)  # nothing it read changed
        else:
            key = _key(name, before.reads, before.templates, sig, images, digest, before) if before else None
        if before is not None and key is not None and key.key == before.key \
                and intact(before.signatures):  # (a family is recorded with every file's signature)
            found.append(Family(name, [], before.pages, before.reads, before.templates, key, before.signatures, digest,
                                before.sitemap))
            continue
        reads = Reads(site)
        outputs, kept, leaked = make(stage, reads)
        templates = tuple(sorted({o.template for o in outputs if isinstance(o, Output)}))
        found.append(Family(name, outputs, kept, None if leaked else tuple(sorted(reads._seen)), templates,
                            part=digest))
    return found


def pages_key(found: list[Family]) -> str:
    """The paths and dates of the pages of `found` (the sitemap's) as one string, cheaply: a
    family with a key stands by its name and key (what its pages are made from, so what they
    are), any other by its pages."""
    return "".join(f"{f.name}\0{f.key.key.hex()}\n" if f.name is not None and f.key is not None
                   else "".join(f"{p.path}\0{p.date}\n" for p in f.pages) for f in found)


def _keys(found: list[Family], sig: Signatures, images: ShareImages, last: Remembered | None) -> None:
    """The keys of the families planned (the templates they use known), with a cache."""
    for family in found:
        if last is not None and family.name is not None and family.key is None:
            family.key = _key(family.name, family.reads, family.templates, sig, images, family.part,
                              last.get(family.name))


def _stages(site: Site, stages: Iterable[tuple[str, Any]], parts: dict[Any, dict[str, Any]]
            ) -> Iterator[tuple[str, Callable[[Any], Iterable[Any]], Any]]:
    """(family name, stage, part) of every family, in plan order: a `Parted` stage gives one
    family for each of its parts (`name:key`), the others one with no part. `parts`: the
    parts worked out so far, by the function that gives them (the unit pages and the unit
    feeds share theirs, and so their fingerprints)."""
    for name, stage in stages:
        if isinstance(stage, Parted):
            if stage.parts not in parts:
                parts[stage.parts] = stage.parts(site)
            for key, part in parts[stage.parts].items():
                yield f"{name}:{key}", functools.partial(stage.make, part), part
        else:
            yield name, stage, None


def _unchanged(before: Recorded, site: Site, sig: Signatures) -> bool:
    """Whether nothing a family and its templates read can have changed, as the site
    tells (`Site.changed`, for a site worked out from a kept one: sitestate.py)."""
    if site.changed is None:
        return False
    reads = set(before.reads)
    for template in before.templates:
        inputs = sig.templates.get(template)
        if inputs is None or inputs.site is None:
            return False
        reads.update(inputs.site)
    return site.changed.isdisjoint(reads)


def _key(name: str, reads: tuple[str, ...] | None, templates: tuple[str, ...], sig: Signatures,
         images: ShareImages, part_digest: bytes = b"", before: Recorded | None = None) -> Key | None:
    """What the pages of a family are made from, as one digest (`part_digest`: the
    fingerprint of its part, if it is one); None when it cannot be told. The bodies, if it
    reads them (`Site.body()`, `Site.html`), count apart: a quick build can update that
    digest (`after_quick`). An attribute the site says did not change (`Site.changed`)
    counts with its fingerprint as `before` recorded it."""
    if reads is None:
        return None
    changed = sig.site.changed
    same: dict[str, bytes] = {}  # the fingerprints `before` recorded that still hold
    same_bodies = b""
    if before is not None and changed is not None:
        same = {attr: digest for attr, digest in before.values if attr not in changed}
        same_bodies = before.bodies if changed.isdisjoint(("body", "html")) else b""
    values = []
    bodies = b""
    for attr in reads:
        if attr in ("body", "html"):
            bodies = same_bodies or sig.bodies()
            continue
        if attr in same:
            values.append((attr, same[attr]))
            continue
        value: Any = sig.site
        for part in attr.split("."):
            value = getattr(value, part)
        if callable(value):  # a method other than body(): it may read anything
            return None
        values.append((attr, sig.fp.of(sig.value(value))))
    parts = [(t, sig.templates[t].digest, sig.site_part(sig.templates[t].site)) for t in templates]
    return Key.of(_digest(sig.base + name.encode() + sig.fp.of([values, parts, images]) + part_digest),
                  bodies, tuple(values))


def recalled(cache: Any, out: Any, previous: dict[str, Any]) -> Remembered | None:
    """What the last full build into `out` recorded of its families (`remember`), with the
    quick builds since (`after_quick`): none when it recorded none; None without a cache
    (then no keys are worked out at all)."""
    if cache.db is None:
        return None
    stored = cache.memo_rows(f"families:{out}:") if previous else {}
    if not stored:
        return Remembered()
    pages = cache.memo_rows(f"family-pages:{out}:")
    try:
        found = Remembered({name: pickle.loads(data)._replace(pages=pickle.loads(pages[name]))
                            for name, data in stored.items()}, stored, pages=pages)
    except Exception:  # kept by another version
        return Remembered()
    for swaps, written in cache.memo(f"quick-edits:{out}") or ():
        found = after_quick(found, swaps, written)
    return found


def after_quick(last: Remembered, swaps: list[tuple[str, str, bytes, bytes]],
                written: dict[str, bytes]) -> Remembered:
    """The families as a quick build left them (quick.py): it changed bodies, each
    (kind, id, what it was, what it is: `Signatures.body_ref`), and rewrote the files that
    show them (`written`: file → signature). Records are known by all but their bodies, so
    a family's key changes only where it reads the bodies; and its pages are as up to date
    as that build made them."""
    found = Remembered(pickles=dict(last.pickles), stored=last.stored, pages=last.pages)
    for name, r in last.items():
        if not r.bodies and written.keys().isdisjoint(r.signatures):
            found[name] = r
            continue
        key = Key.of(r.rest, swap_bodies(r.bodies, swaps)) if r.bodies else Key(r.key, r.rest, r.bodies)
        signatures = {f: written.get(f, s) for f, s in r.signatures.items()}
        found[name] = r._replace(key=key.key, bodies=key.bodies, signatures=signatures)
        found.pickles.pop(name, None)
    return found


def remember(families: list[Family], signature: Callable[[str], bytes | None],
             last: Remembered | None) -> tuple[dict[str, bytes], dict[str, bytes]]:
    """What the next build compares with (`recalled`): each family's key, what it read,
    its templates and the signatures of its files as this build recorded them
    (`signature(file)`), pickled, and its pages, pickled apart; as in `last` where they are
    the same."""
    found: dict[str, bytes] = {}
    found_pages: dict[str, bytes] = {}
    for f in families:
        if f.name is not None and f.key is not None:
            before = last.get(f.name) if last else None
            pages = last.pages.get(f.name) if last and before is not None and before.pages is f.pages else None
            if last is not None and before is not None and pages is not None and f.kept is before.signatures \
                    and f.name in last.pickles \
                    and f.key == (before.key, before.rest, before.bodies, before.values) and f.part == before.part:
                found[f.name] = last.pickles[f.name]  # kept as it was (its files checked in _plan): as read
                found_pages[f.name] = pages
                continue
            sigs = {name: s for p in f.pages for name in p.files if (s := signature(name)) is not None}
            if len(sigs) < sum(len(p.files) for p in f.pages):  # a file not made: planned again next time
                continue
            record = Recorded(f.key.key, f.reads or (), f.templates, (), sigs, f.key.rest, f.key.bodies,
                              f.part, f.key.values, f.sitemap)
            same = last is not None and before is not None and pages is not None \
                and before._replace(pages=()) == record
            kept = last.pickles.get(f.name) if same and last is not None else None
            found[f.name] = kept or pickle.dumps(record, protocol=pickle.HIGHEST_PROTOCOL)
            found_pages[f.name] = pages or pickle.dumps(f.pages, protocol=pickle.HIGHEST_PROTOCOL)
    return found, found_pages
