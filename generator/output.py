"""Write stage: a staging folder beside the output, swapped in only when all went well.

A failed build never touches the published folder. The output folder carries a marker
file; a folder that is not empty and has no marker is refused, so nothing of the user's
is ever deleted.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from .errors import Problems, Source

MARKER = ".gongshi-output"


def check_target(out: Path, site_dir: Path, problems: Problems) -> None:
    out, site_dir = out.resolve(), site_dir.resolve()
    content = site_dir / "content"
    if out == site_dir or out in site_dir.parents or out == content or content in out.parents:
        problems.add("E061", Source(str(out)), path=out)
        return
    if out.exists() and (not out.is_dir() or (any(out.iterdir()) and not (out / MARKER).is_file())):
        problems.add("E060", Source(str(out)), path=out)


class Staging:
    """Files are written here, then `publish` replaces the output folder with it."""

    def __init__(self, out: Path):
        self.out = out.resolve()
        self.out.parent.mkdir(parents=True, exist_ok=True)
        self.root = Path(tempfile.mkdtemp(prefix=f".{self.out.name}.tmp-", dir=self.out.parent))

    def write(self, relative: str, data: bytes | str) -> None:
        path = self.root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(data, str):
            data = data.encode("utf-8")
        path.write_bytes(data)

    def copy(self, source: Path, relative: str) -> None:
        path = self.root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, path)

    def discard(self) -> None:
        shutil.rmtree(self.root, ignore_errors=True)

    def publish(self) -> None:
        (self.root / MARKER).write_text("gongshi 生成的网站目录；重新构建时会整体替换。\n", encoding="utf-8")
        os.chmod(self.root, 0o755)
        old = None
        if self.out.exists():
            old = Path(tempfile.mkdtemp(prefix=f".{self.out.name}.old-", dir=self.out.parent))
            os.rmdir(old)
            os.rename(self.out, old)
        os.rename(self.root, self.out)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
