"""The `gongshi` command: options and messages only; the work is in build.py."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from . import __version__
from .build import build, prepare
from .errors import BuildFailed

DESCRIPTION = """gongshi（公示）：群众路线教育实践活动专题网的静态网站生成器。
把编辑提交的 YAML 和 Markdown（承诺、整改清单、会议通报、新闻、文件）生成公开的专题网站。
Static-site generator for campaign publicity and disclosure."""

EPILOG = """常用命令 / examples:
  gongshi check            检查当前目录的站点内容，不生成网站
  gongshi build            生成网站到 ./site/
  gongshi build 站点目录 -o 输出目录"""


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="gongshi", description=DESCRIPTION, epilog=EPILOG,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--version", action="version", version=f"gongshi {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="命令", required=True)

    b = commands.add_parser("build", help="生成网站 (build the site)",
                            description="检查全部内容并生成网站。任何错误都会列出并停止，已发布的网站保持不变。")
    b.add_argument("site", nargs="?", default=".", type=Path, metavar="站点目录",
                   help="含 site_config.yml 和 content/ 的目录（默认：当前目录）")
    b.add_argument("-o", "--output", type=Path, default=None, metavar="输出目录",
                   help="生成的网站放在这里（默认：站点目录下的 site/）")

    c = commands.add_parser("check", help="只检查内容，不生成 (validate only)",
                            description="检查全部内容，列出所有错误（文件、行号和改法），不生成任何文件。")
    c.add_argument("site", nargs="?", default=".", type=Path, metavar="站点目录",
                   help="含 site_config.yml 和 content/ 的目录（默认：当前目录）")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    site_dir: Path = args.site
    try:
        if args.command == "check":
            site = prepare(site_dir.resolve())
            print(f"检查通过：{site_dir}（数据截至 {site.as_of.isoformat()}）")
            return 0
        out = args.output or site_dir / "site"
        report = build(site_dir, out)
    except BuildFailed as failed:
        print(failed.problems.report(), file=sys.stderr)
        return 1
    index = report.out / "index.html"
    print(f"已生成 {report.pages} 个页面，共 {report.files} 个文件，用时 {report.seconds:.1f} 秒。")
    print(f"打开 {index} 浏览，或运行：python -m http.server -d {report.out} 8000")
    return 0
