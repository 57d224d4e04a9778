"""History from git: what changed in published records, and when.

The public record must not be quietly rewritten. When the site's content is in a git
repository, every committed version of the ledgers and commitments is read, and each change
of deadline, status, owner, measures or text becomes a dated `Change`. Every record that was
ever committed is remembered, so that one which disappeared without being withdrawn stops
the build (`removed`), together with the commit that first published it (`first`: documents'
索引号 are numbered in that order). An edit of a published news item, document or meeting
notice is a change too (its title, or its text).

Reading is one `git log` and one `git cat-file --batch` process; each file version (blob)
is parsed once and cached under `.gongshi-cache/`, keyed by its blob id, so a repository
with thousands of commits costs little after the first build. The history as replayed is
kept there too, with where the replay ended: a build after new commits replays only those,
unless the history was rewritten or a branch merged since (then every commit again).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import pickle
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .compute import CHINA
from .errors import Problems, Source
from .fields import parse_date
from .model import Content

CACHE_DIR = ".gongshi-cache"
CACHE_FILE = "history-v2.json"
REPLAY_FILE = "history-replay.pickle"  # the history as last read, for as long as no commit changes content/
STATE_FILE = "history-state.pickle"  # where that replay ended: a replay of the commits after it goes on from there
TRACKED = ("rectification", "commitments", "news", "documents", "meetings")
ITEM_FIELDS = {"deadline": "时限", "status": "状态", "owner": "责任人", "leader": "责任领导",
               "measures": "整改措施", "problem": "问题表述"}
COMMITMENT_FIELDS = {"deadline": "时限", "status": "兑现状态", "text": "承诺内容"}
# Markdown records: a changed title is shown old → new; any other edit (not withdrawal, not
# the editor's `updated` date) as a text change.
PAGE_FIELDS = {"title": "标题", "text": "正文"}
NOT_AN_EDIT = ("withdrawn", "updated")

Key = tuple[str, ...]  # ("item", unit, id) | ("commitment-item", set id, id) | (kind, id)


@dataclass(frozen=True)
class Change:
    key: Key
    field: str  # a key of ITEM_FIELDS / COMMITMENT_FIELDS
    label: str
    old: str
    new: str
    date: dt.date
    commit: str

    @property
    def later(self) -> bool:
        """A deadline moved later (or from a date to 长期坚持): shown highlighted."""
        if self.field != "deadline":
            return False
        old, new = parse_date(self.old), parse_date(self.new)
        if isinstance(old, dt.date) and isinstance(new, dt.date):
            return new > old
        return isinstance(old, dt.date)


@dataclass(frozen=True)
class Sighting:
    """The last commit that had a record, and the file it was in."""

    commit: str
    path: str


@dataclass(frozen=True)
class Debut:
    """The commit that first published a record, and the record's own date then."""

    order: int  # the commit's position in the history, oldest first
    date: dt.date  # the commit's date
    record_date: str  # ISO date written in the record then (news, documents, meetings), or ""


@dataclass
class History:
    available: bool
    reason: str = ""  # why not, when unavailable
    commit: str = ""  # the last commit that changed content/, site_config.yml or theme/
    dirty: bool = False  # uncommitted changes there
    changes: dict[Key, list[Change]] = field(default_factory=dict)
    seen: dict[Key, Sighting] = field(default_factory=dict)
    first: dict[Key, Debut] = field(default_factory=dict)

    def of(self, *key: str) -> list[Change]:
        return self.changes.get(tuple(key), [])

    def all_changes(self) -> list[Change]:
        return sorted((c for cs in self.changes.values() for c in cs),
                      key=lambda c: (c.date, c.commit, c.key, c.field))


def _git(repo: Path, *args: str, stdin: bytes | None = None) -> bytes | None:
    try:
        done = subprocess.run(["git", "-C", str(repo), *args], input=stdin, capture_output=True,
                              timeout=300, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return done.stdout if done.returncode == 0 else None


def _text(value: Any) -> str:
    if isinstance(value, list):
        return "；".join(_text(v) for v in value)
    if isinstance(value, (dt.date, str)):
        parsed = parse_date(value)
        return parsed.isoformat() if isinstance(parsed, dt.date) else str(value).strip()
    return "" if value is None else str(value)


def _records(path: str, data: bytes) -> dict[str, Any]:
    """The parts of one file version history cares about, as plain JSON-able data."""
    try:
        text = data.decode("utf-8-sig")
        if path.endswith(".md"):
            return _page_record(text)
        doc = yaml.safe_load(text)
    except (UnicodeDecodeError, yaml.YAMLError, RecursionError):
        return {}
    if not isinstance(doc, dict):
        return {}
    items = {}
    for item in doc.get("items") or []:
        if isinstance(item, dict) and item.get("id") is not None:
            items[str(item["id"])] = {name: _text(item.get(name)) for name in (*ITEM_FIELDS, *COMMITMENT_FIELDS)}
    return {"unit": str(doc.get("unit") or ""), "items": items}


def _page_record(text: str) -> dict[str, Any]:
    """A Markdown record's id, date, title and a fingerprint of everything an edit can change."""
    header, body = (text.split("\n---", 1) + [""])[:2] if text.startswith("---") else ("", text)
    meta = yaml.safe_load(header.lstrip("-\n")) or {}
    if not isinstance(meta, dict):
        return {}
    kept = {str(k): v for k, v in meta.items() if k not in NOT_AN_EDIT}
    digest = hashlib.sha1((json.dumps(kept, ensure_ascii=False, sort_keys=True, default=str)
                           + "\n" + body.strip()).encode("utf-8")).hexdigest()
    return {"id": str(meta.get("id") or ""), "date": _text(meta.get("date")),
            "title": _text(meta.get("title")), "digest": digest}


def _interned(value: Any) -> Any:
    """`value` with every string interned: parsed afresh or read back from the cache, equal
    strings are then one object, so a history pickles (and fingerprints) the same either way."""
    if isinstance(value, str):
        return sys.intern(value)
    if isinstance(value, dict):
        return {sys.intern(k): _interned(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_interned(v) for v in value]
    return value


class _Blobs:
    """Parsed file versions by blob id, cached on disk between builds."""

    def __init__(self, repo: Path, cache: Path | None):
        self.repo, self.cache = repo, cache
        self.parsed: dict[str, Any] = {}
        if cache and cache.is_file():
            try:
                self.parsed = _interned(json.loads(cache.read_text(encoding="utf-8")))
            except (OSError, ValueError):
                self.parsed = {}
        self.dirty = False

    def load(self, wanted: dict[str, str]) -> None:
        """`wanted`: blob id → path (its kind decides how it is parsed)."""
        missing = [blob for blob in wanted if blob not in self.parsed]
        if not missing:
            return
        out = _git(self.repo, "cat-file", "--batch", stdin="".join(f"{b}\n" for b in missing).encode())
        position = 0
        for blob in missing:
            if out is None:
                break
            header_end = out.index(b"\n", position)
            size = int(out[position:header_end].split()[2])
            body = out[header_end + 1 : header_end + 1 + size]
            position = header_end + 1 + size + 1
            self.parsed[blob] = _interned(_records(wanted[blob], body))
        self.dirty = True

    def save(self) -> None:
        if self.cache and self.dirty:
            try:
                self.cache.parent.mkdir(parents=True, exist_ok=True)
                self.cache.write_text(json.dumps(self.parsed, ensure_ascii=False), encoding="utf-8")
            except OSError:
                pass  # the cache only saves time


Commits = list[tuple[str, dt.date, list[tuple[str, str]]]]


def _log(repo: Path, prefix: str, since: str = "") -> Commits | None:
    """Commits touching the tracked folders, oldest first: (commit, date, [(blob, path)]);
    `since`: only those after that commit."""
    paths = [f"{prefix}content/{folder}" for folder in TRACKED]
    # --date-order: never a commit before its parents, also when clocks disagree
    out = _git(repo, "log", "--reverse", "--date-order", "--no-renames", "--raw", "--no-abbrev", "-z",
               "--format=%x1e%H %ct", *([f"{since}..HEAD"] if since else []), "--", *paths)
    if out is None:
        return None
    commits = []
    for chunk in out.decode("utf-8", "replace").split("\x1e")[1:]:
        head, _, raw = chunk.partition("\n")
        commit, stamp = head.strip("\x00").split()
        date = dt.datetime.fromtimestamp(int(stamp), CHINA).date()
        files = []
        fields = raw.strip("\n\x00").split("\x00")
        for meta, path in zip(fields[0::2], fields[1::2], strict=False):
            parts = meta.split()
            if len(parts) >= 5:
                files.append((parts[3], path))
        commits.append((commit, date, files))
    return commits


def _key_of(path: str, prefix: str) -> tuple[str, str] | None:
    """(content folder, file stem) of a tracked path."""
    rel = path[len(prefix):] if path.startswith(prefix) else path
    parts = rel.split("/")
    if len(parts) < 3 or parts[0] != "content":
        return None
    stem, _, suffix = parts[-1].rpartition(".")
    wanted = ("md",) if parts[1] in ("news", "documents", "meetings") else ("yml", "yaml")
    if suffix.lower() not in wanted or any(p.startswith((".", "_")) for p in parts[2:]):
        return None  # images beside Markdown, hidden files: not records (as in load.site)
    return parts[1], stem


def read_history(root: Path) -> History:
    """The content history of the site in `root`; `available` is False without git."""
    top = _git(root, "rev-parse", "--show-toplevel")
    if top is None:
        return History(False, "站点目录不在 git 仓库中")
    repo = Path(top.decode().strip())
    if (_git(repo, "rev-parse", "--is-shallow-repository") or b"").strip() == b"true":
        return History(False, "git 仓库是浅克隆（shallow clone），历史不完整")
    prefix = root.resolve().relative_to(repo.resolve()).as_posix()
    prefix = "" if prefix == "." else prefix + "/"
    sources = [f"{prefix}{name}" for name in ("content", "site_config.yml", "theme")]
    # the commit the output was built from: the last one that changed what the site shows
    head = (_git(repo, "log", "-1", "--format=%H", "--", *sources) or b"").decode().strip()
    if not head:
        return History(False, "站点内容还没有提交到 git 仓库")
    status = _git(repo, "status", "--porcelain", "--", *sources) or b""
    dirty = bool(status.strip())
    folder = root / CACHE_DIR
    key = hashlib.blake2b(Path(__file__).read_bytes() + f"\0{prefix}".encode(), digest_size=16).digest()
    kept = _kept(folder / REPLAY_FILE, key)
    if kept is not None and kept[0] == head:  # no commit since the last read: what it replayed stands
        return dataclasses.replace(kept[1], dirty=dirty)
    state = _kept(folder / STATE_FILE, key) if kept is not None else None
    if kept is not None and state is not None and state[0] == kept[0] and _follows(repo, state[1]):
        _, since, count, current = state  # only commits after the last one replayed: go on from there
        history, blobs = kept[1], _Blobs(repo, None)
    else:
        history, since, count, current = History(True), "", 0, {}
        blobs = _Blobs(repo, folder / CACHE_FILE)
    commits = _log(repo, prefix, since)
    if commits is None:
        return History(False, "无法读取 git 历史")
    blobs.load({blob: path for _, _, files in commits for blob, path in files if set(blob) != {"0"}})
    blobs.save()
    _replay(history, commits, blobs.parsed, prefix, current, count)
    history.commit, history.dirty = head, dirty
    last = commits[-1][0] if commits else since
    _keep(folder / REPLAY_FILE, key, (head, history))
    _keep(folder / STATE_FILE, key, (head, last, count + len(commits), current))
    return history


def _follows(repo: Path, last: str) -> bool:
    """Whether the commits after `last` (the last one replayed) come after it in the history
    as a whole: `last` is an ancestor of HEAD and no merge came since (a merged branch's
    commits would fall among the ones replayed, in date order)."""
    if not last or _git(repo, "merge-base", "--is-ancestor", last, "HEAD") is None:
        return False
    return (_git(repo, "rev-list", "--merges", "--count", f"{last}..HEAD") or b"").strip() == b"0"


def _kept(path: Path, key: bytes) -> Any:
    """What `_keep` kept under `key` (this code, the site's folder in the repository), or
    None. Replaying every commit takes half a second in a large site: the builds between
    two commits (an editor's quick build after a body edit, say) need not pay it, and a new
    commit costs only its own replay. A pickle keeps which strings are one object, so the
    history fingerprints as it did (incremental.py)."""
    try:
        data = path.read_bytes()
        return pickle.loads(data[16:]) if data[:16] == key else None
    except Exception:  # absent, damaged, or written by other code
        return None


def _keep(path: Path, key: bytes, value: Any) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(key + pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))
    except OSError:
        pass  # the cache only saves time


def _replay(history: History, commits: Commits, parsed: dict[str, Any], prefix: str,
            current: dict[str, dict[str, Any]], start: int = 0) -> None:
    """Replay `commits` on `history`; `current`: path → its records at this point, `start`:
    the number of commits replayed before (a record's debut is numbered in that order)."""
    for order, (commit, date, files) in enumerate(commits, start):
        for blob, path in files:
            where = _key_of(path, prefix)
            if where is None:
                continue
            folder, stem = where
            record = {} if set(blob) == {"0"} else parsed.get(blob, {})
            before = current.get(path)
            if folder in ("rectification", "commitments"):
                _diff(history, folder, stem, before or {}, record, date, commit)
            elif before and record:
                _page_diff(history, PAGE_KINDS[folder], stem, before, record, date, commit)
            if record or set(blob) != {"0"}:
                current[path] = record
                _remember(history, folder, stem, record, Sighting(commit, path), Debut(order, date, ""))
            else:
                current.pop(path, None)


PAGE_KINDS = {"news": "news", "documents": "document", "meetings": "meeting"}


def _remember(history: History, folder: str, stem: str, record: dict[str, Any], seen: Sighting,
              debut: Debut) -> None:
    keys: list[Key]
    if folder == "rectification":
        unit = record.get("unit") or stem
        keys = [("item", unit, item_id) for item_id in record.get("items", {})]
    elif folder == "commitments":
        keys = [("commitment", stem)] + [("commitment-item", stem, i) for i in record.get("items", {})]
    else:
        keys = [(PAGE_KINDS[folder], record.get("id") or stem)]
        debut = dataclasses.replace(debut, record_date=record.get("date", ""))
    for key in keys:
        history.seen[key] = seen
        history.first.setdefault(key, debut)


def _page_diff(history: History, kind: str, stem: str, old: dict[str, Any], new: dict[str, Any],
               date: dt.date, commit: str) -> None:
    """An edit of a published news item, document or meeting notice (same id, other content)."""
    record_id = new.get("id") or stem
    if (old.get("id") or stem) != record_id or old.get("digest") == new.get("digest"):
        return
    key = (kind, record_id)
    if old.get("title") != new.get("title"):
        change = Change(key, "title", PAGE_FIELDS["title"], old.get("title", ""), new.get("title", ""), date, commit)
    else:
        change = Change(key, "text", PAGE_FIELDS["text"], "", "", date, commit)
    history.changes.setdefault(key, []).append(change)


def _diff(history: History, folder: str, stem: str, old: dict[str, Any], new: dict[str, Any],
          date: dt.date, commit: str) -> None:
    fields = ITEM_FIELDS if folder == "rectification" else COMMITMENT_FIELDS
    unit = new.get("unit") or old.get("unit") or stem
    for item_id, after in new.get("items", {}).items():
        before = old.get("items", {}).get(item_id)
        if before is None:
            continue
        key = ("item", unit, item_id) if folder == "rectification" else ("commitment-item", stem, item_id)
        for name, label in fields.items():
            if before.get(name, "") != after.get(name, "") and before.get(name) is not None:
                history.changes.setdefault(key, []).append(
                    Change(key, name, label, before.get(name, ""), after.get(name, ""), date, commit))


KIND_LABELS = {"item": "整改事项", "commitment": "公开承诺", "commitment-item": "承诺事项",
               "news": "新闻", "document": "文件", "meeting": "会议通报"}


def current_keys(content: Content) -> set[Key]:
    keys: set[Key] = {("item", ledger.unit, item.id) for ledger in content.ledgers for item in ledger.items}
    for c in content.commitments:
        keys.add(("commitment", c.id))
        keys.update(("commitment-item", c.id, item.id) for item in c.items)
    keys.update(("news", a.id) for a in content.articles)
    keys.update(("document", d.id) for d in content.documents)
    keys.update(("meeting", m.id) for m in content.meetings)
    return keys


def check_removals(history: History, content: Content, problems: Problems) -> None:
    """A record committed before must still exist (withdrawn, if it is taken down)."""
    present = current_keys(content)
    broken = {error.file for error in problems.errors}  # records there may be unreadable, not gone
    for key, seen in sorted(history.seen.items()):
        if key not in present and seen.path not in broken:
            problems.add("E070", Source(seen.path), label=KIND_LABELS[key[0]], value="/".join(key[1:]),
                         commit=seen.commit[:10], path=seen.path)
