"""What each output is made from, as one digest: its signature.

When an output's signature equals the one recorded by the last build and the file is still
there as written, the output is not rendered again. A signature covers everything the
output's bytes can depend on:

- the generator's code and the libraries it renders with (`cache.code_fingerprint`);
- the site configuration and the "as of" date (every page shows them);
- for a page: its template and every template that one extends, includes or imports (their
  sources, as found in the theme folders, so a site's own override counts), and the parts
  of `site` those templates read (`site.as_of`, `site.pages`, …, found in their syntax
  tree; a template that uses `site` in any other way depends on all of it);
- the output itself: its path, title, crumbs and feeds, and its context: the records it
  shows and what was computed from them.

Values are fingerprinted by pickling them. Records read from files are already known by
their file's digest (see load.site.SiteFiles), and so are whole parts of the site shared by
many pages, so a page's signature costs a short pickle, not a walk over the site.
"""

from __future__ import annotations

import copyreg
import dataclasses
import datetime as dt
import hashlib
import io
import os
import pickle
import types
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
from jinja2 import meta, nodes

Digest = bytes
Known = dict[int, tuple[object, Digest]]  # id(value) → (value, its fingerprint)


def _digest(data: bytes | memoryview) -> Digest:
    return hashlib.blake2b(data, digest_size=16).digest()


BODY = b"html"  # after a file's fingerprint: the body made from that file (`file_body_ref`)


def file_body_ref(key: Digest, html: Any) -> Digest:
    """What stands for a body made from the file whose fingerprint is `key` (load.site) in
    signatures and snapshots (`Signatures.body_ref`): the key marked as a body's; an empty
    body, like any body not made from a file, the digest of its text."""
    return key + BODY if html else _digest(str(html).encode())


def _known(digest: Digest) -> None:
    """Stands for a value known by its fingerprint in a pickle (never unpickled)."""


def _function(module: str, name: str, defaults: tuple[Any, ...] | None) -> None:
    """Stands for a function in a pickle (never unpickled)."""


class Records(tuple):  # type: ignore[type-arg]
    """Records in an order (the articles of a bulletin), which a fingerprint takes as the
    list of the records' own fingerprints, without a pickler's call for each (the bulletins
    of 20,000 pages name 14,000 articles: 43 ms a build)."""

    __slots__ = ()


class _Pickler(pickle.Pickler):
    """Pickles functions that have no global name too (a ledger filter's lambda), by name
    and defaults. Slow: Python is called back for every object that is not a number, a
    string or a builtin container, so it is used only when `_Fast` meets such a function."""

    def __init__(self, file: io.BytesIO, known: Known, records: Callable[[Records], Any]):
        super().__init__(file, protocol=pickle.HIGHEST_PROTOCOL)
        self.known = known
        self.records = records  # Fingerprints.reduce_records

    def reducer_override(self, obj: Any) -> Any:
        hit = self.known.get(id(obj))
        if hit is not None and hit[0] is obj:
            return _known, (hit[1],)
        if type(obj) is Records:
            return self.records(obj)
        if isinstance(obj, types.FunctionType) and "<" in obj.__qualname__:  # a lambda: a ledger filter
            return _function, (obj.__module__, obj.__qualname__, obj.__defaults__)
        return NotImplemented


class _Fast(pickle.Pickler):
    """The same bytes as `_Pickler`, with Python called back only for objects of the types
    known values have (records, bodies, …), through the dispatch table."""

    def __init__(self, file: io.BytesIO, table: dict[type, Any]):
        self.dispatch_table = table
        super().__init__(file, protocol=pickle.HIGHEST_PROTOCOL)


class _Shared:
    """A value many outputs share, in a pickle as its fingerprint, like a known record.

    Needed for dicts and lists: a pickler never asks about builtin containers."""

    __slots__ = ("digest",)

    def __init__(self, digest: Digest):
        self.digest = digest

    def __reduce__(self) -> tuple[Any, tuple[Digest]]:
        return _known, (self.digest,)


# Types a pickler handles without a reducer (and without asking reducer_override about them).
_PLAIN = frozenset({dict, list, tuple, set, frozenset, str, bytes, bytearray, int, float, bool, type(None),
                    type, types.FunctionType})


class Fingerprints:
    """Fingerprints of values, remembering those of records and shared values by identity."""

    def __init__(self, known: Known | None = None):
        self.known: Known = dict(known or {})
        self.table: dict[type, Any] = dict(copyreg.dispatch_table)  # type: ignore[arg-type]
        self.table[Records] = self.reduce_records
        for kind in {type(value) for value, _ in self.known.values()}:
            self._reduces(kind)

    def _reduces(self, kind: type) -> None:
        if kind not in _PLAIN and kind not in self.table:
            self.table[kind] = self._reduce

    def _reduce(self, obj: Any) -> Any:
        hit = self.known.get(id(obj))
        if hit is not None and hit[0] is obj:
            return _known, (hit[1],)
        return obj.__reduce_ex__(pickle.HIGHEST_PROTOCOL)

    def reduce_records(self, records: Records) -> Any:
        hit = self.known.get(id(records))
        if hit is not None and hit[0] is records:
            return _known, (hit[1],)
        return _known, (_digest(b"".join(map(self.of, records))),)

    def of(self, value: Any) -> Digest:
        hit = self.known.get(id(value))
        if hit is not None and hit[0] is value:
            return hit[1]
        return _digest(self.pickle(value))

    def pickle(self, value: Any) -> bytes:
        """`value` pickled, known values as their fingerprints."""
        buffer = io.BytesIO()  # a new pickler each time: clearing a used one's memo costs more
        try:
            _Fast(buffer, self.table).dump(value)
        except (pickle.PicklingError, AttributeError):  # a function with no global name
            buffer = io.BytesIO()
            _Pickler(buffer, self.known, self.reduce_records).dump(value)
        return buffer.getvalue()

    def remember(self, value: Any) -> Digest:
        """The fingerprint of a value that many outputs share, worked out once."""
        digest = self.of(value)
        self.learn(value, digest)
        return digest

    def learn(self, value: Any, digest: Digest) -> None:
        """Take `digest` as the fingerprint of `value`: a digest of what it is worked out from."""
        self.known[id(value)] = (value, digest)
        self._reduces(type(value))


@dataclass(frozen=True)
class TemplateInputs:
    digest: Digest  # of the sources of the template and of every template it uses
    site: tuple[str, ...] | None  # the attributes of `site` it reads; None: all of `site`


def _site_reads(ast: nodes.Template) -> set[str] | None:
    """The attributes of `site` a template reads (`site.x`, `site["x"]`); None if it uses
    `site` in any other way (passes it on, loops over it, assigns it)."""
    reads: set[str] = set()
    covered: set[int] = set()
    for node in ast.find_all((nodes.Getattr, nodes.Getitem)):
        assert isinstance(node, (nodes.Getattr, nodes.Getitem))
        target = node.node
        if isinstance(target, nodes.Name) and target.name == "site":
            if isinstance(node, nodes.Getattr):
                reads.add(node.attr)
            elif isinstance(node.arg, nodes.Const) and isinstance(node.arg.value, str):
                reads.add(node.arg.value)
            else:
                continue
            covered.add(id(target))
    for name in ast.find_all(nodes.Name):
        if name.name == "site" and id(name) not in covered:
            return None
    return reads


def template_inputs(env: jinja2.Environment, names: Iterable[str]) -> dict[str, TemplateInputs]:
    """For each template: the digest of its sources and the parts of `site` it reads."""
    sources: dict[str, str] = {}
    uses: dict[str, set[str] | None] = {}  # template → templates it names (None: computed names)
    reads: dict[str, set[str] | None] = {}
    todo = list(names)
    while todo:
        name = todo.pop()
        if name in sources:
            continue
        sources[name] = env.loader.get_source(env, name)[0]  # type: ignore[union-attr]
        ast = env.parse(sources[name])
        found = list(meta.find_referenced_templates(ast))
        uses[name] = None if None in found else {n for n in found if n is not None}
        reads[name] = _site_reads(ast)
        todo.extend(uses[name] or ())
    every = sorted(env.list_templates()) if None in uses.values() else []
    result = {}
    for name in names:
        closure, todo = set(), [name]
        while todo:
            current = todo.pop()
            if current in closure:
                continue
            closure.add(current)
            todo.extend(uses.get(current) or ())
        dynamic = any(uses[c] is None for c in closure)
        digest = hashlib.blake2b(digest_size=16)
        for member in sorted(closure | set(every if dynamic else ())):
            source = sources.get(member) or env.loader.get_source(env, member)[0]  # type: ignore[union-attr]
            digest.update(member.encode() + b"\0" + source.encode() + b"\0")
        attrs: set[str] | None = set()
        for member in closure:
            member_reads = reads[member]
            if dynamic or member_reads is None or attrs is None:
                attrs = None
            else:
                attrs |= member_reads
        result[name] = TemplateInputs(digest.digest(), None if attrs is None else tuple(sorted(attrs)))
    return result


_MODULUS = 1 << 128


def _body_term(kind: str, record_id: str, ref: Digest) -> int:
    return int.from_bytes(_digest(f"{kind}\0{record_id}\0".encode() + ref), "big")


def swap_bodies(bodies: Digest, swaps: Iterable[tuple[str, str, Digest, Digest]]) -> Digest:
    """`Signatures.bodies` after some bodies changed: (kind, id, its ref before, after)."""
    total = int.from_bytes(bodies, "big")
    for kind, record_id, before, after in swaps:
        total += _body_term(kind, record_id, after) - _body_term(kind, record_id, before)
    return (total % _MODULUS).to_bytes(16, "big")


_SCALARS = (type(None), bool, int, float, str, bytes, dt.date)

Stamps = dict[str, tuple[int, int] | None]  # file → (size, mtime), None: a broken link


# Where a folder can be listed through a handle on it, its files are looked up in it, not by
# their whole path (15,000 files: 50 ms, not 60).
_BY_HANDLE = hasattr(os, "O_DIRECTORY") and os.scandir in os.supports_fd


def input_files(root: Path, themes: list[Path]) -> Stamps:
    """The path, size and modification time of every file a build of `root` reads: its
    configuration, content and themes (linked folders followed once)."""
    found: Stamps = {}
    seen: set[str] = set()
    folders = [str(p) for p in (root / "site_config.yml", root / "content", *themes)]
    while folders:
        top = folders.pop(0)
        handle = None
        try:
            if _BY_HANDLE:
                handle = os.open(top, os.O_RDONLY | os.O_DIRECTORY)
            for entry in sorted(os.scandir(top if handle is None else handle), key=lambda e: e.name):
                path = top + os.sep + entry.name
                try:
                    if entry.is_dir():
                        real = os.path.realpath(path)
                        if real not in seen:
                            seen.add(real)
                            folders.append(path)
                        continue
                    stat = entry.stat()
                    found[path] = (stat.st_size, stat.st_mtime_ns)
                except OSError:  # a broken link
                    found[path] = None
        except NotADirectoryError:  # the configuration file
            stat = os.stat(top)
            found[top] = (stat.st_size, stat.st_mtime_ns)
        except OSError:
            pass
        finally:
            if handle is not None:
                os.close(handle)
    return found


def files_digest(files: Stamps) -> Digest:
    """A digest of the files a build reads (`input_files`): worked out by the helper that
    found them (build._look), not by the build (15,000 files: 8 ms)."""
    digest = hashlib.blake2b(digest_size=16)
    for path, stamp in files.items():
        digest.update(f"{path}\0{stamp[0]}\0{stamp[1]}\n".encode() if stamp else f"{path}\0missing\n".encode())
    return digest.digest()


def inputs_digest(files: Digest, extra: Digest) -> Digest:
    """A digest of everything a build reads: its files (`files_digest`) and `extra`, the
    fingerprint of the rest (the code, the git history, the date…). Equal digests: nothing
    changed."""
    return _digest(files + extra)


def cached_template_inputs(env: jinja2.Environment, names: Iterable[str], cache: Any) -> dict[str, TemplateInputs]:
    """`template_inputs`, remembered in the build cache while the theme stays the same: one
    memo of every template worked out so far (what one template gives does not depend on
    the others asked about with it), so a build asking about templates in a new grouping
    parses only those never asked about."""
    names = sorted(names)
    theme = hashlib.blake2b(digest_size=16)
    for name in sorted(env.list_templates()):
        theme.update(name.encode() + b"\0" + env.loader.get_source(env, name)[0].encode() + b"\0")  # type: ignore[union-attr]
    key = f"templates:{theme.hexdigest()}"
    found = cache.memo(key)
    if not isinstance(found, dict):
        found = {}
    missing = [name for name in names if name not in found]
    if missing:
        found.update(template_inputs(env, missing))
        cache.remember(key, found)
    return {name: found[name] for name in names}


class Signatures:
    """Signatures of the outputs of one build."""

    def __init__(self, code: str, site: Any, known: Known, templates: dict[str, TemplateInputs]):
        self.fp = Fingerprints(known)
        self.site = site
        self.templates = templates
        self.shared: dict[int, str] = {}  # id of a field value of `site` → the field's name
        for f in dataclasses.fields(site):
            value = getattr(site, f.name)
            if not isinstance(value, _SCALARS):  # None or a number is anybody's: no part of the site
                self.shared.setdefault(id(value), f.name)
        self.base = _digest(code.encode() + self.fp.remember(site.config) + site.as_of.isoformat().encode())
        self._site_parts: dict[tuple[str, ...] | None, Digest] = {}
        self._last: tuple[Any, bytes] = (None, b"")  # (output, its snapshot)
        self._bodies: Digest | None = None
        self.parts: dict[Any, dict[str, Any]] = {}  # families.py: the parts of the site its stages work on

    def body_ref(self, body: Any) -> Digest:
        """What stands for a body in a pickle: its fingerprint when known (made from a
        file: load.site), else the digest of its text."""
        hit = self.fp.known.get(id(body))
        return hit[1] if hit is not None and hit[0] is body else _digest(str(body).encode())

    def bodies(self) -> Digest:
        """The bodies of the site as one digest: the sum of one digest for each (kind, id,
        `body_ref`), which a quick build updates for the bodies it changed (`swap_bodies`)
        without knowing the others."""
        if self._bodies is None:
            total = sum(_body_term(kind, record_id, self.body_ref(body))
                        for (kind, record_id), body in self.site.html.items())
            self._bodies = (total % _MODULUS).to_bytes(16, "big")
        return self._bodies

    def value(self, value: Any) -> Any:
        """`value` for a signature: a part of the site many outputs share is fingerprinted
        once and stands in the pickle as its fingerprint (`_known`), like a record or the
        HTML of a body, so the pickle of the rest is short and quick."""
        if id(value) in self.shared and getattr(self.site, self.shared[id(value)]) is value:
            return _Shared(self.fp.remember(value))
        return value

    def site_part(self, attrs: tuple[str, ...] | None) -> Digest:
        """The fingerprint of the parts of the site a template reads (None: all of it)."""
        if attrs not in self._site_parts:
            values = [getattr(self.site, a, None) for a in attrs or ()]
            if attrs is None or any(callable(v) for v in values):  # site.body() may read anything
                names = [f.name for f in dataclasses.fields(self.site)]
                values = [getattr(self.site, n) for n in names]
            self._site_parts[attrs] = self.fp.of([self.value(v) for v in values])
        return self._site_parts[attrs]

    def page(self, output: Any) -> Digest:
        inputs = self.templates[output.template]
        return _digest(self.base + inputs.digest + self.site_part(inputs.site)
                       + _digest(self.snapshot(output)))

    def snapshot(self, output: Any) -> bytes:
        """The pickle a page's signature is made from: its fields and its context, with
        records and bodies as their fingerprints. quick.py makes the page again from it.
        The last one is kept: a page made just after its signature needs it again."""
        if self._last[0] is not output:
            fields = (output.path, output.template, output.title, output.section, output.crumbs,
                      output.date, output.feeds, output.meta)
            context = [(key, self.value(value)) for key, value in output.context.items()]
            self._last = (output, self.fp.pickle((fields, context)))
        return self._last[1]

    def of(self, *values: Any) -> Digest:
        """The signature of another output (a feed, a data file) made from `values`."""
        return _digest(self.base + self.fp.of([self.value(v) for v in values]))
