"""Pagefind's output in a fixed order, so the same pages always give the same bytes, and its
word index in smaller chunks (`smaller_chunks`), so a sharded index stays cheap to query.

Pagefind writes each filter's values, and the list of filters, in the order of a Rust hash
map, which changes from run to run (its maintainers know: Pagefind issue 638). Everything
else it writes is already stable. `canonical_filters` sorts those lists and renames the
files by their new content.
"""

from __future__ import annotations

import functools
import gzip
import hashlib
import itertools
import json
import re
import zlib
from pathlib import Path

# Its index files are gzip'd "pagefind_dcd" + CBOR. A filter file is the array [filter name,
# [[value, [page numbers]], …]]. The language's .pf_meta file is the array [version, pages,
# index chunks, [[filter name, filter file hash], …], [[sort name, [page numbers]], …], meta
# keys]; pagefind-entry.json names the .pf_meta file by its hash. Items are reordered as
# whole CBOR byte strings and hashes keep their length, so no value is re-encoded.

ENTRY = "pagefind-entry.json"
MAGIC = b"pagefind_dcd"
META_FILTERS, META_SORTS = 3, 4


def _head(data: bytes, pos: int) -> tuple[int, int, int]:
    """A CBOR item's major type, its argument and where its payload starts."""
    major, info = data[pos] >> 5, data[pos] & 0x1F
    if info < 24:
        return major, info, pos + 1
    if info > 27:
        raise ValueError(f"CBOR 不定长度项（位置 {pos}）")
    size = 1 << (info - 24)
    return major, int.from_bytes(data[pos + 1 : pos + 1 + size], "big"), pos + 1 + size


INT = rb"(?:[\x00-\x17\x20-\x37]|[\x18\x38].|[\x19\x39]..|[\x1a\x3a]....|[\x1b\x3b]........)"


@functools.lru_cache(maxsize=4096)
def _ints(count: int) -> re.Pattern[bytes]:
    """Exactly `count` CBOR integers."""
    return re.compile(INT + b"{%d}" % count, re.S)


def _end(data: bytes, pos: int) -> int:
    """Where the CBOR item starting at `pos` ends. One loop over the item's heads, counting
    the items still to skip (an index chunk has hundreds of thousands)."""
    pending = 1
    while pending:
        head = data[pos]
        major, info = head >> 5, head & 0x1F
        if info < 24:
            arg, pos = info, pos + 1
        elif info == 24:
            arg, pos = data[pos + 1], pos + 2
        elif info < 28:
            size = 1 << (info - 24)
            arg, pos = int.from_bytes(data[pos + 1 : pos + 1 + size], "big"), pos + 1 + size
        else:
            raise ValueError(f"CBOR 不定长度项（位置 {pos}）")
        pending -= 1
        if major in (2, 3):  # byte and text strings
            pos += arg
        elif major == 4:  # an array's items, a map's keys and values, a tag's item follow
            ints = _ints(arg).match(data, pos) if arg > 3 else None
            if ints:  # word positions: an array of numbers, skipped in one step
                pos = ints.end()
            else:
                pending += arg
        elif major == 5:
            pending += 2 * arg
        elif major == 6:
            pending += 1
    return pos


def _items(data: bytes, pos: int = 0) -> tuple[bytes, list[bytes]]:
    """The CBOR array at `pos`: its head and its items, each as bytes."""
    major, count, start = _head(data, pos)
    if major != 4:
        raise ValueError(f"位置 {pos} 不是 CBOR 数组")
    items, at = [], start
    for _ in range(count):
        end = _end(data, at)
        items.append(data[at:end])
        at = end
    return data[pos:start], items


def _sorted(array: bytes) -> bytes:
    head, items = _items(array)
    return head + b"".join(sorted(items))


def _canonical(data: bytes, positions: tuple[int, ...]) -> bytes:
    """A decompressed Pagefind file with the arrays at `positions` of its top array sorted."""
    if not data.startswith(MAGIC):
        raise ValueError("不是 Pagefind 索引文件")
    head, items = _items(data, len(MAGIC))
    if len(MAGIC) + len(head) + sum(map(len, items)) != len(data) or len(items) <= max(positions):
        raise ValueError("Pagefind 索引文件的结构和预期不同")
    for n in positions:
        items[n] = _sorted(items[n])
    return MAGIC + head + b"".join(items)


def _pack(data: bytes) -> bytes:
    return gzip.compress(data, compresslevel=9, mtime=0)


def _rehash(name: str, language: str, data: bytes) -> str:
    """`<language>_<hex>` with new hex digits of the same length, from `data`."""
    return f"{language}_{hashlib.sha256(data).hexdigest()[: len(name) - len(language) - 1]}"


def canonical_filters(bundle: Path) -> None:
    """Rewrites the filter and meta files in a fixed order. Files of a format this code does
    not know (another Pagefind) are left as written: search still works, only the bytes may
    differ between builds, which tests/test_reproducible.py reports."""
    entry = json.loads((bundle / ENTRY).read_text(encoding="utf-8"))
    writes: dict[Path, bytes] = {}
    try:
        for language, info in sorted(entry["languages"].items()):
            meta_file = bundle / f"pagefind.{info['hash']}.pf_meta"
            meta = gzip.decompress(meta_file.read_bytes())
            writes[meta_file] = b""
            for path in sorted((bundle / "filter").glob(f"{language}_*.pf_filter")):
                data = _canonical(gzip.decompress(path.read_bytes()), (1,))
                name = _rehash(path.stem, language, data)
                meta = meta.replace(path.stem.encode(), name.encode())
                writes[path] = b""
                writes[path.with_stem(name)] = data
            meta = _canonical(meta, (META_FILTERS, META_SORTS))
            info["hash"] = _rehash(info["hash"], language, meta)
            writes[bundle / f"pagefind.{info['hash']}.pf_meta"] = meta
    except (ValueError, KeyError, IndexError, OSError, EOFError, zlib.error):
        return
    for path, data in writes.items():  # old names first (b""), then the new files
        if data:
            path.write_bytes(_pack(data))
        else:
            path.unlink()
    (bundle / ENTRY).write_text(json.dumps(entry, ensure_ascii=False, separators=(",", ":")),
                                encoding="utf-8")


# A word index chunk file is MAGIC + [[word entry, …]], each entry an array whose first
# item is the word; the .pf_meta file's item 2 lists the chunks as [from, to, file hash].
META_CHUNKS = 2


def _array_head(count: int, major: int = 4) -> bytes:
    if count < 24:
        return bytes([major << 5 | count])
    size = next(s for s in (1, 2, 4, 8) if count < 1 << (8 * s))
    return bytes([major << 5 | (24 + (1, 2, 4, 8).index(size))]) + count.to_bytes(size, "big")


def _text(value: str) -> bytes:
    data = value.encode("utf-8")
    return _array_head(len(data), 3) + data


def _string(item: bytes) -> str:
    _, size, start = _head(item, 0)
    return item[start : start + size].decode("utf-8")


def _word(entry: bytes) -> str:
    return _string(entry[_head(entry, 0)[2] :])  # an entry's first item


def _prefixes(last: str, first: str) -> tuple[str, str]:
    """Chunk bounds between two neighbours, cut after their first differing character (as
    Pagefind cuts them, so a typed prefix still finds the chunk of its words)."""
    common = 0
    while common < min(len(last), len(first)) and last[common] == first[common]:
        common += 1
    return last[: common + 1], first[: common + 1]


def smaller_chunks(bundle: Path, size: int) -> None:
    """Cuts the word index into chunks of about `size` bytes (before compression).

    Pagefind cuts its chunks at 20,000 word positions, about 28 KB compressed, and a query
    downloads the chunk of each of its characters from every shard: with 16 shards, a rare
    character cost 16 such chunks, mostly other characters' entries. With chunks of 4 KB a
    query downloads about what it did from one unsharded index. A bundle of a format this
    code does not know is left as written (search works, only downloads more)."""
    entry = json.loads((bundle / ENTRY).read_text(encoding="utf-8"))
    for language, info in sorted(entry["languages"].items()):
        meta_file = bundle / f"pagefind.{info['hash']}.pf_meta"
        try:
            meta = gzip.decompress(meta_file.read_bytes())
            head, items = _items(meta, len(MAGIC))
            old = [bundle / "index" / f"{_string(_items(chunk)[1][2])}.pf_index"
                   for chunk in _items(items[META_CHUNKS])[1]]
            words: list[bytes] = []
            for path in old:
                top_head, top = _items(gzip.decompress(path.read_bytes()), len(MAGIC))
                words += _items(top[0])[1]
            groups = _grouped(words, size)
            bounds = [[_word(group[0]), _word(group[-1])] for group in groups]
        except (ValueError, KeyError, IndexError, OSError, EOFError, zlib.error, UnicodeDecodeError):
            continue
        for left, right in itertools.pairwise(bounds):
            left[1], right[0] = _prefixes(left[1], right[0])
        for path in old:
            path.unlink()
        rows, names = [], set()
        for group, (low, high) in zip(groups, bounds, strict=True):
            data = MAGIC + top_head + _array_head(len(group)) + b"".join(group)
            digest = hashlib.sha256(data).hexdigest()
            name = next(f"{language}_{digest[:n]}" for n in range(7, 65) if f"{language}_{digest[:n]}" not in names)
            names.add(name)
            (bundle / "index" / f"{name}.pf_index").write_bytes(_pack(data))
            rows.append(_array_head(3) + _text(low) + _text(high) + _text(name))
        items[META_CHUNKS] = _array_head(len(rows)) + b"".join(rows)
        meta_file.write_bytes(_pack(MAGIC + head + b"".join(items)))


def _grouped(words: list[bytes], size: int) -> list[list[bytes]]:
    """Neighbouring word entries together, a group closed once it holds `size` bytes."""
    groups: list[list[bytes]] = [[]]
    filled = 0
    for word in words:
        if filled >= size:
            groups.append([])
            filled = 0
        groups[-1].append(word)
        filled += len(word)
    return [group for group in groups if group]
