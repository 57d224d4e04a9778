"""Write stage: a staging folder beside the output, moved in only when all went well.

A failed build never touches the published folder: everything is rendered and written into
the staging folder first. Only then does `publish` put the new and changed files in place
(each by an atomic rename) and delete the files the site no longer has. Files whose bytes
did not change are never rewritten, so they keep their modification times and an rsync
deploy sends only what changed; a first build simply renames the staging folder.

The output folder carries a marker file; a folder that is not empty and has no marker is
refused, so nothing of the user's is ever deleted.
"""

from __future__ import annotations

import functools
import hashlib
import os
import shutil
import tempfile
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path

from .cache import Written
from .errors import Problems, Source

# what an output folder holds (file → size and mtime; None: look), whether it was found by
# the folder times the last build recorded (`known_files`), and whether it is as that build left it
Found = tuple[Mapping[str, tuple[int, int]] | None, bool, bool]

MARKER = ".gongshi-output"
MARKER_TEXT = "gongshi 生成的网站目录；重新构建时会整体替换。\n"


def check_target(out: Path, site_dir: Path, problems: Problems) -> None:
    out, site_dir = out.resolve(), site_dir.resolve()
    content = site_dir / "content"
    if out == site_dir or out in site_dir.parents or out == content or content in out.parents:
        problems.add("E061", Source(str(out)), path=out)
        return
    if out.exists() and (not out.is_dir() or (any(out.iterdir()) and not (out / MARKER).is_file())):
        problems.add("E060", Source(str(out)), path=out)


def known_files(folder: Path, known: Iterable[str], folders: dict[str, int]) -> dict[str, tuple[int, int]] | None:
    """What `survey` would find, when the last build left the files `known` in `folder` and
    every folder holding them still has the mtime it had then (`folders`, see
    `folder_times`): a file added or removed anywhere changes the mtime of the folder
    holding it, so a stat of each known file is enough. None when a folder changed."""
    top = str(folder) + os.sep
    try:
        if any(os.stat(top + d).st_mtime_ns != t for d, t in folders.items()):
            return None
        stats = {name: os.stat(top + name) for name in known}
    except OSError:
        return None
    return {name: (stat.st_size, stat.st_mtime_ns) for name, stat in stats.items()}


def survey(folder: Path) -> dict[str, tuple[int, int]]:
    """Every file under `folder` (site-relative name → size, mtime) except the marker."""
    found: dict[str, tuple[int, int]] = {}
    if not folder.is_dir():
        return found
    start = len(str(folder)) + 1
    folders = [str(folder)]
    while folders:
        with os.scandir(folders.pop()) as entries:
            for entry in entries:
                if entry.is_dir(follow_symlinks=False):
                    folders.append(entry.path)
                else:
                    stat = entry.stat(follow_symlinks=False)
                    found[entry.path[start:].replace(os.sep, "/")] = (stat.st_size, stat.st_mtime_ns)
    found.pop(MARKER, None)
    return found


def folder_times(folder: Path, names: Iterable[str]) -> dict[str, int | None]:
    """The mtime of `folder` ("") and of every folder under it holding one of `names` (None:
    gone)."""
    wanted = {""}
    for name in names:
        parts = name.split("/")[:-1]
        wanted.update("/".join(parts[:n]) for n in range(1, len(parts) + 1))
    times: dict[str, int | None] = {}
    for d in wanted:
        try:
            times[d] = os.stat(os.path.join(folder, d)).st_mtime_ns
        except OSError:
            times[d] = None
    return times


class AsLeft(Mapping[str, tuple[int, int]]):
    """What the output folder holds when it is as the last build left it: each file's size
    and mtime as `previous` records them (a view, not a dict of 21,000 made again)."""

    def __init__(self, previous: dict[str, Written]):
        self.previous = previous

    def __getitem__(self, name: str) -> tuple[int, int]:
        written = self.previous[name]
        return written.size, written.mtime_ns

    def __iter__(self) -> Iterator[str]:
        return iter(self.previous)

    def __len__(self) -> int:
        return len(self.previous)


class Staging:
    """New and changed files are written here; `publish` puts them into the output folder.

    `previous`: what the last build recorded for each file of the output folder (from the
    build cache; empty without one). A file still as recorded is trusted to hold the bytes
    recorded; any other file of the output folder is compared byte for byte.

    What the folder holds (`existing`, `by_folder_times`, `as_left`) may be given as a
    `look`, asked for when first needed: a helper looks at the folder meanwhile (build.py),
    and a build after a ledger edit has 70 ms of planning to do before it needs the answer.
    """

    def __init__(self, out: Path, previous: dict[str, Written] | None = None,
                 existing: Mapping[str, tuple[int, int]] | None = None, by_folder_times: bool = False,
                 as_left: bool = False, look: Callable[[], Found] | None = None):
        self.out = out.resolve()
        self.out.parent.mkdir(parents=True, exist_ok=True)
        self.previous = previous or {}
        self._look = look or (lambda: (existing, by_folder_times, as_left))
        self._signed: dict[str, bytes] | None = None  # each file's signature in `previous`
        self.root = Path(tempfile.mkdtemp(prefix=f".{self.out.name}.tmp-", dir=self.out.parent))

    @functools.cached_property
    def _found(self) -> Found:
        existing, by_folder_times, as_left = self._look()
        return survey(self.out) if existing is None else existing, by_folder_times, as_left and existing is not None

    def look(self) -> Found:
        """What the folder holds, found out now if not yet known."""
        return self._found

    @property
    def existing(self) -> Mapping[str, tuple[int, int]]:
        """What the folder holds now: file → (size, mtime)."""
        return self._found[0]  # type: ignore[return-value]

    @property
    def by_folder_times(self) -> bool:
        """Whether `existing` was found by the folder times the last build recorded
        (`known_files`): then only the folders a build writes in need recording again."""
        return self._found[1]

    @property
    def as_left(self) -> bool:
        """Whether `existing` is as `previous` records it."""
        return self._found[2]

    def unchanged(self, name: str, signature: bytes) -> Written | None:
        """The file as the last build left it, if it was made from the same inputs and is
        still there as written; then it need not be made again."""
        previous = self.previous.get(name)
        if previous is None or previous.signature != signature:
            return None
        return previous if self.existing.get(name) == (previous.size, previous.mtime_ns) else None

    def all_unchanged(self, signatures: dict[str, bytes]) -> bool:
        """Whether each file of `signatures` is `unchanged` with the signature given: at once
        when the folder is as the last build left it (the files of the families kept after
        a ledger edit, 20,000 of them: 20 ms one by one, 1 ms so)."""
        if not self.as_left:
            return all(self.unchanged(name, signature) is not None for name, signature in signatures.items())
        if self._signed is None:
            self._signed = {name: w.signature for name, w in self.previous.items()}
        return signatures.items() <= self._signed.items()

    def put(self, name: str, data: bytes | str, signature: bytes) -> tuple[Written, bool]:
        """Stage `data` as file `name`, unless the output folder holds these very bytes.
        Returns the file's record and whether it was staged (True) or is unchanged."""
        if isinstance(data, str):
            data = data.encode("utf-8")
        sha = hashlib.sha256(data).hexdigest()
        now = self.existing.get(name)
        if now is not None and now[0] == len(data) and self._holds(name, now, data, sha):
            return Written(signature, now[0], now[1], sha), False
        path = self.root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        return Written(signature, len(data), 0, sha), True

    def _holds(self, name: str, now: tuple[int, int], data: bytes, sha: str) -> bool:
        previous = self.previous.get(name)
        if previous is not None and (previous.size, previous.mtime_ns) == now:
            return previous.sha256 == sha
        try:
            return (self.out / name).read_bytes() == data
        except OSError:
            return False

    def discard(self) -> None:
        shutil.rmtree(self.root, ignore_errors=True)

    def _remove_folders(self, staged: Iterable[str]) -> None:
        """The staging folder, once the `staged` files are moved out of it: the folders that
        held them, deepest first (rmtree, which looks into each, took 3-5 ms after an edit)."""
        folders = {"/".join(parts[:n]) for name in staged for parts in [name.split("/")] for n in range(1, len(parts))}
        try:
            for folder in sorted(folders, key=lambda f: -f.count("/")):
                os.rmdir(self.root / folder)
            os.rmdir(self.root)
        except OSError:  # something else in it
            self.discard()

    def publish(self, files: dict[str, Written], staged: set[str]) -> tuple[dict[str, Written], set[str]]:
        """Put the staged files in place and remove what `files` no longer lists.

        Returns `files` with the size and mtime each staged file has in the output folder,
        and the files removed.
        """
        removed = set(self.existing).difference(files)
        if not self.out.exists():
            (self.root / MARKER).write_text(MARKER_TEXT, encoding="utf-8")
            os.chmod(self.root, 0o755)
            os.rename(self.root, self.out)
        else:
            for name in sorted(staged):
                _place(self.out, name, self.root / name)
            for name in sorted(removed):
                _remove(self.out, name)
            if not (self.out / MARKER).is_file():
                (self.out / MARKER).write_text(MARKER_TEXT, encoding="utf-8")
            self._remove_folders(staged)
        placed = dict(files)
        for name in staged:
            stat = os.stat(self.out / name)
            placed[name] = Written(files[name].signature, stat.st_size, stat.st_mtime_ns, files[name].sha256)
        return placed, removed


def _place(out: Path, name: str, source: Path) -> None:
    """Move a staged file to its place, making way if a folder (or a file) is in the way."""
    target = out / name
    try:
        os.replace(source, target)
        return
    except (FileNotFoundError, NotADirectoryError, IsADirectoryError):
        pass
    folder = out
    for part in name.split("/")[:-1]:
        folder = folder / part
        if folder.is_symlink() or folder.is_file():
            folder.unlink()
    target.parent.mkdir(parents=True, exist_ok=True)
    if target.is_dir() and not target.is_symlink():
        shutil.rmtree(target)
    os.replace(source, target)


def _remove(out: Path, name: str) -> None:
    """Delete an output file that the site no longer has, and folders it leaves empty."""
    path = out / name
    try:
        path.unlink()
    except OSError:
        return
    folder = path.parent
    while folder != out:
        try:
            folder.rmdir()
        except OSError:
            return
        folder = folder.parent
