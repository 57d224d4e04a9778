"""Pagefind's output in a fixed order, so the same pages always give the same bytes.

Pagefind writes each filter's values, and the list of filters, in the order of a Rust hash
map, which changes from run to run (its maintainers know: Pagefind issue 638). Everything
else it writes is already stable. `canonical_filters` sorts those lists and renames the
files by their new content.
"""

from __future__ import annotations

import gzip
import hashlib
import json
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


def _end(data: bytes, pos: int) -> int:
    """Where the CBOR item starting at `pos` ends."""
    major, arg, pos = _head(data, pos)
    if major in (2, 3):  # byte and text strings
        return pos + arg
    if major in (4, 5):  # arrays; maps hold two items an entry
        for _ in range(arg * (2 if major == 5 else 1)):
            pos = _end(data, pos)
        return pos
    return _end(data, pos) if major == 6 else pos  # a tag wraps one item; numbers end here


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
