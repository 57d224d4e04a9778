"""Reading editors' files as text: UTF-8 (with or without BOM), CRLF or LF.

Files saved in GBK or Big5 by Windows editors are the most common mistake; they get an
error that names the encoding and how to convert, never a garbled page.
"""

from __future__ import annotations

import re
from pathlib import Path

from ..errors import Problems, Source

MAX_FILE_BYTES = 8 * 1024 * 1024


def _line_of(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1


def _guess_encoding(data: bytes) -> str | None:
    for name, label in (("gb18030", "GBK"), ("big5", "Big5")):
        try:
            data.decode(name)
        except UnicodeDecodeError:
            continue
        return label
    return None


CJK = re.compile("[\u3400-\u4dbf\u4e00-\u9fff]")
ODD = re.compile("[\u0300-\u08ff]")  # accents, Greek, Cyrillic, Hebrew, Arabic…
ABOVE_ODD = re.compile("[^\u0000-\u08ff]")


def _gbk_in_disguise(data: bytes, text: str) -> int | None:
    """The line of a short GBK file whose bytes happen to be valid UTF-8, else None.

    Two GBK characters can form a valid UTF-8 sequence (通知 → U+0368 U+05AA), so a short
    title saved in GBK decodes without error into accents and Hebrew letters. A Chinese
    portal's file with no Chinese character at all, whose non-ASCII text is all such
    letters, and which reads as Chinese in GBK, is taken for what it is.
    """
    odd = ODD.search(text)
    if odd is None or ABOVE_ODD.search(text):  # (Chinese is above them)
        return None
    try:
        chinese = data.decode("gb18030")
    except UnicodeDecodeError:
        return None
    if not CJK.search(chinese):
        return None
    return text.count("\n", 0, odd.start()) + 1


def decode(data: bytes, where: Source, problems: Problems) -> str | None:
    """Bytes → text with LF line ends, or None after reporting why not."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = _line_of(data, exc.start)
        encoding = _guess_encoding(data)
        if encoding:
            problems.add("E001", where.at(line), encoding=encoding, line=line)
        else:
            problems.add("E002", where.at(line), line=line)
        return None
    line = _gbk_in_disguise(data, text)
    if line is not None:
        problems.add("E001", where.at(line), encoding="GBK", line=line)
        return None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def read_bytes(path: Path, where: Source, problems: Problems) -> bytes | None:
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            problems.add("E004", where, reason=f"文件太大（{size} 字节，上限 {MAX_FILE_BYTES}）")
            return None
        return path.read_bytes()
    except OSError as exc:
        problems.add("E004", where, reason=exc.strerror or str(exc))
        return None


def read_text(path: Path, where: Source, problems: Problems) -> str | None:
    data = read_bytes(path, where, problems)
    return None if data is None else decode(data, where, problems)
