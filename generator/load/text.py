"""Reading editors' files as text: UTF-8 (with or without BOM), CRLF or LF.

Files saved in GBK or Big5 by Windows editors are the most common mistake; they get an
error that names the encoding and how to convert, never a garbled page.
"""

from __future__ import annotations

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
