"""The computed site, kept between builds for the builds after an edit of ledgers alone.

Changing an item's status, adding a step of progress: editors edit the ledgers more often
than anything but the news. The ledgers feed a few parts of the site (`site.with_ledgers`:
the rectification figures, the items whose deadline moved, the change log, the bulletins);
yet a full build reads every other file again (from the build cache), looks up every body
and works out the whole site, 0.7 s at 20,000 pages.

So a full build keeps the site it worked out (`keep`): pickled with the fingerprint of each
record and of the parts no ledger changes (each unit's index, each period's articles:
build._know_parts; incremental.py: what its signatures and the families' keys stand on)
and, for each body, its key in the build cache, together with the input files as that
build found them; without the ledgers and what is worked out from them, which the next
build reads and works out again. When the files that changed since are all ledgers, and
the code, the options and the date are the same (`opened`, unpickled while a helper still
looks at the output folder; `restore`), build.prepare reads the ledgers alone and works
out those parts on the kept site, with what the git history gives if it changed (the
ledgers committed, or their changes not committed yet); everything after (the checks, the
plan, rendering, publishing) is the full build's, so the output is too. Such a build does
not keep its site: the next compares its files with the same kept one again. A quick build (quick.py)
notes the files and the bodies it made again (`QuickEdit`), which `opened` applies to the
kept site, so an edit of ledgers after edits of news bodies takes this way too.
"""

from __future__ import annotations

import copyreg
import dataclasses
import io
import pickle
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .bodies import Body, CachedBodies
from .errors import Source
from .incremental import BODY, Known, Stamps
from .load.site import CONTENT_DIR, LEDGERS, YAML
from .site import Site


@dataclass(frozen=True)
class Kept:
    extra: bytes  # the digest of the code, the options and the date
    files: Stamps  # every input file as that build read it
    assets: frozenset[str]  # the files the content uses (site.assets): never only a ledger
    data: bytes  # (the site without bodies nor ledgers, [(record, fingerprint)], (kind, id) → (body key, size)), pickled


def keep(site: Site, known: Known, extra: bytes, files: Stamps) -> Kept | None:
    """The site of a full build to keep; None when a body is not in the build cache."""
    bodies = {}
    for place, body in site.html.items():
        hit = known.get(id(body)) if body else None
        if hit is None:
            if body:  # made by this build from no file: nothing to find it by
                return None
            bodies[place] = (b"", 0)
        elif not isinstance(body, Body) or hit[0] is not body or not hit[1].endswith(BODY):
            return None
        else:
            bodies[place] = (hit[1][: -len(BODY)], body.size)
    # without the ledgers and what with_ledgers works out from them: a build that restores the site reads them again
    ledgers = {id(record) for ledger in site.content.ledgers for record in (ledger, *ledger.items)}
    records = [(value, digest) for value, digest in known.values()
               if not isinstance(value, Body) and id(value) not in ledgers]
    lean = dataclasses.replace(site, content=dataclasses.replace(site.content, ledgers=()), html={},
                               rect=None,  # type: ignore[arg-type]  # until with_ledgers works it out
                               deadline_moved=[], changelog=[], bulletins=[])
    buffer = io.BytesIO()
    pickler = pickle.Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL)
    pickler.dispatch_table = _KEEPING
    pickler.dump((lean, records, bodies))
    return Kept(extra, files, frozenset(site.assets), buffer.getvalue())


# A Source is pickled to be read back by a call that shares its tuple of key lines with the
# records of other files (errors._source); here one pickle holds them all, shared as they
# are, and reading 15,000 Sources back without a call each takes 20 ms less.
_KEEPING = {**copyreg.dispatch_table,
            Source: lambda source: (copyreg.__newobj__, (Source,), source.__dict__)}  # type: ignore[attr-defined]


@dataclass(frozen=True)
class QuickEdit:
    """What a quick build (quick.py) changed of the kept site: the input files it read
    again (path → stamp), and each body it made again ((kind, id) → its key in the build
    cache, its size, its links)."""

    files: Stamps
    bodies: dict[tuple[str, str], tuple[bytes, int, list[str]]]


def ledgers_only(root: Path, kept: Kept, files: Stamps) -> bool:
    """Whether the files that changed since the kept site are ledgers, and some did."""
    prefix = f"{root}/"
    folder = f"{CONTENT_DIR}/{LEDGERS}/"
    changed = [path.removeprefix(prefix) for path in files.keys() | kept.files.keys()
               if files.get(path) != kept.files.get(path)]
    return bool(changed) and all(name.startswith(folder) and name.endswith(YAML)
                                 and "/" not in name[len(folder):] and name not in kept.assets
                                 for name in changed)


@dataclass
class Opened:
    """A kept site unpickled, its records and bodies not yet known (`restore`)."""

    site: Site
    records: list[tuple[Any, bytes]]
    bodies: dict[tuple[str, str], tuple[bytes, int]]


def opened(root: Path, kept: Any, extra: bytes, files: Stamps, edits: list[QuickEdit]) -> Opened | None:
    """The kept site unpickled, with the `edits` of the quick builds since, when only
    ledgers changed since it was kept by a build with the same code, options and date
    (`extra`)."""
    if not isinstance(kept, Kept) or kept.extra != extra:
        return None
    if edits:
        kept = dataclasses.replace(kept, files={**kept.files, **{p: s for e in edits for p, s in e.files.items()}})
    if not ledgers_only(root, kept, files):
        return None
    try:
        site, records, bodies = pickle.loads(kept.data)
    except Exception:  # a kept site that cannot be read is only a full build more
        return None
    for edit in edits:
        for place, (key, size, links) in edit.bodies.items():
            bodies[place] = (key, size)
            site.hrefs[place] = links  # read by build.check_links alone, at every build
    return Opened(site, records, bodies)


def restore(opened: Opened | None, cache: Any, known: Known) -> Site | None:
    """The site `opened`, if any, its records and bodies known (`known` is given each
    record's fingerprint and each body's, as the full build had them)."""
    if opened is None or cache.database is None:
        return None
    site = opened.site
    known.update((id(value), (value, digest)) for value, digest in opened.records)
    in_cache = CachedBodies(cache.database)
    for place, (key, size) in opened.bodies.items():
        body = site.html[place] = in_cache.add(key, size)
        if body:
            known[id(body)] = (body, key + BODY)
    return site
