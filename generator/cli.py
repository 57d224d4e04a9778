"""The `gongshi` command: options and messages only; the work is in build.py and friends."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from . import __version__
from .build import BuildReport, build, check
from .errors import BuildFailed, Problems, SourceError, in_order, report_warnings
from .progress import Progress

DESCRIPTION = """gongshi（公示）：群众路线教育实践活动专题网的静态网站生成器。
把编辑提交的 YAML 和 Markdown（承诺、整改清单、会议通报、新闻、文件）生成公开的专题网站。
Static-site generator for campaign publicity and disclosure."""

EPILOG = """常用命令 / examples:
  gongshi init 新站点目录   新建一个可以直接生成的小站点
  gongshi serve            生成并在 http://127.0.0.1:8000/ 预览，保存文件后自动刷新
  gongshi new item --unit jiaoyu-ju --title "问题"   在整改台账里添加一个事项
  gongshi check            检查当前目录的站点内容，不生成网站
  gongshi build            生成网站到 ./site/
  gongshi build 站点目录 -o 输出目录"""

# Where the editor handbook (docs/, built with MkDocs) is published; each error line points
# to its code's section there. GONGSHI_HANDBOOK_URL overrides it (e.g. a copy on an intranet).
HANDBOOK_URL = ""


def handbook_link(code: str) -> str:
    """Where the handbook explains `code`: its web address when known, else the chapter's name."""
    base = os.environ.get("GONGSHI_HANDBOOK_URL", HANDBOOK_URL)
    if not base:
        return f"编辑手册“错误代码”一章 {code}"
    return f"编辑手册 错误代码 {code}：{base.rstrip('/')}/errors/#{code.lower()}"


def format_error(error: SourceError) -> str:
    return f"{error.format()}\n    详见：{handbook_link(error.code)}"


def format_problems(problems: Problems) -> str:
    """Every error with its handbook section, then the closing line of `Problems.report`;
    then the warnings, if any."""
    closing = problems.report().rsplit("\n", 1)[-1]
    errors = "\n".join([*(format_error(e) for e in in_order(problems.errors)), closing])
    warnings = format_warnings(problems.warnings)
    return f"{errors}\n{warnings}" if warnings else errors


def format_warnings(warnings: list[SourceError]) -> str:
    """Every warning with its handbook section, then the closing line ("" if there is none)."""
    if not warnings:
        return ""
    closing = report_warnings(warnings).rsplit("\n", 1)[-1]
    return "\n".join([*(format_error(w) for w in in_order(warnings)), closing])


def _site_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("site", nargs="?", default=".", type=Path, metavar="站点目录",
                        help="含 site_config.yml 和 content/ 的目录（默认：当前目录）")


def _removals_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--accept-removals", action="store_true",
                        help="确认删除以前提交过的记录（E070）；通常应改为标记撤销 withdrawn")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="gongshi", description=DESCRIPTION, epilog=EPILOG,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--version", action="version", version=f"gongshi {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="命令", required=True)

    b = commands.add_parser("build", help="生成网站 (build the site)",
                            description="检查全部内容并生成网站。任何错误都会列出并停止，已发布的网站保持不变。")
    _site_argument(b)
    b.add_argument("-o", "--output", type=Path, default=None, metavar="输出目录",
                   help="生成的网站放在这里（默认：站点目录下的 site/）")
    _removals_argument(b)
    b.add_argument("-q", "--quiet", action="store_true",
                   help="不显示进度和结果，只显示错误（用于脚本和持续集成）")

    c = commands.add_parser("check", help="只检查内容，不生成 (validate only)",
                            description="检查全部内容，列出所有错误（文件、行号和改法），不生成任何文件。")
    _site_argument(c)
    _removals_argument(c)

    s = commands.add_parser("serve", help="本地预览，保存后自动刷新 (preview)",
                            description="生成网站并在本机预览；content/、theme/ 或 site_config.yml "
                                        "有改动就重新生成并刷新浏览器。出错时浏览器里显示错误。")
    _site_argument(s)
    s.add_argument("--host", default="127.0.0.1", metavar="地址",
                   help="监听的地址（默认 127.0.0.1：只有本机能访问）")
    s.add_argument("--port", type=int, default=8000, metavar="端口", help="端口（默认 8000；0 表示任选空闲端口）")
    s.add_argument("-o", "--output", type=Path, default=None, metavar="输出目录",
                   help="预览用的网站放在这里（默认：临时目录，停止后删除）")

    i = commands.add_parser("init", help="新建站点 (create a site)",
                            description="在一个新目录（或空目录）里创建一个可以直接生成的小站点：站点配置、几个单位、"
                                        "每类内容各一份示例，以及编辑器用的 JSON Schema 和 VS Code 设置。")
    i.add_argument("site", type=Path, metavar="站点目录", help="要创建的目录")
    i.add_argument("--title", default="某某区群众路线网", metavar="网站名称", help="网站名称")
    i.add_argument("--base-url", default="https://www.example.gov.cn/qzlx/", metavar="网址",
                   help="发布后的网址，可以带路径（默认 https://www.example.gov.cn/qzlx/）")

    n = commands.add_parser("new", help="新建一条内容 (add a record)",
                            description="按格式写好一个新文件（或在整改台账末尾添加一个事项），日期为今天，"
                                        "每个字段都附中文说明。写好后打开文件修改内容。")
    n.add_argument("kind", choices=("news", "document", "ledger", "item", "commitment", "meeting"),
                   metavar="类型", help="news 新闻、document 文件、ledger 整改台账、item 台账事项、"
                                        "commitment 公开承诺、meeting 会议通报")
    _site_argument(n)
    n.add_argument("--unit", metavar="单位标识", help="单位（content/units.yml 里的 id）")
    n.add_argument("--title", metavar="标题", help="标题（整改事项为问题）")
    n.add_argument("--column", metavar="栏目标识", help="栏目（新闻和文件；默认第一个栏目）")
    n.add_argument("--id", metavar="标识", help="标识（默认按日期或顺序自动生成）")

    sc = commands.add_parser("schemas", help="写出 JSON Schema (write the JSON Schemas)",
                             description="把每类文件的 JSON Schema 写到目录里，供 VS Code 等编辑器补全字段、提示错误。"
                                         "升级 gongshi 后在站点目录运行一次，保持与新版本一致。")
    sc.add_argument("folder", nargs="?", default=Path("schemas"), type=Path, metavar="目录",
                    help="写到这里（默认：当前目录下的 schemas/）")
    return parser


def _print_warnings(warnings: list[SourceError]) -> None:
    if warnings:
        print(format_warnings(warnings), file=sys.stderr)


def _build_or_check(args: argparse.Namespace) -> int:
    site_dir: Path = args.site
    try:
        if args.command == "check":
            problems = Problems()
            site = check(site_dir, problems, accept_removals=args.accept_removals)
            print(f"检查通过：{site_dir}（数据截至 {site.as_of.isoformat()}）", flush=True)
            _print_warnings(problems.warnings)
            return 0
        out = args.output or site_dir / "site"
        report = build(site_dir, out, accept_removals=args.accept_removals,
                       progress=Progress.on_terminal(quiet=args.quiet))
    except BuildFailed as failed:
        print(format_problems(failed.problems), file=sys.stderr)
        return 1
    _print_warnings(report.warnings)  # even with --quiet: they ask the editor to act
    if args.quiet:
        return 0
    index = report.out / "index.html"
    print(summary(report))
    print(f"打开 {index} 浏览，或运行：python -m http.server -d {report.out} 8000", flush=True)
    return 0


def summary(report: BuildReport) -> str:
    """One line: pages, files written and left as they were, time."""
    removed = f"，删除 {report.removed} 个" if report.removed else ""
    quick = "（只改了正文：只重新生成显示它的页面和订阅源）" if report.quick else ""
    return (f"已生成 {report.pages} 个页面，共 {report.files} 个文件（写入 {report.written} 个，"
            f"未变 {report.unchanged} 个{removed}），用时 {report.seconds:.1f} 秒。{quick}")


def _scaffold(args: argparse.Namespace) -> int:
    from .scaffold import Request, ScaffoldError, init, new

    try:
        if args.command == "init":
            written = init(args.site, title=args.title, base_url=args.base_url)
            print(f"已在 {args.site} 创建站点（{len(written)} 个文件）。接下来：")
            print(f"  cd {args.site}\n  gongshi serve      # 预览，保存后自动刷新\n  gongshi build      # 生成网站到 site/")
            return 0
        path = new(args.site, Request(args.kind, unit=args.unit, title=args.title,
                                      column=args.column, id=args.id))
    except ScaffoldError as problem:
        print(f"错误：{problem}", file=sys.stderr)
        return 1
    verb = "已添加事项到" if args.kind == "item" else "已创建"
    print(f"{verb} {path}\n打开它修改内容，然后运行 gongshi check {args.site} 检查。")
    return 0


def run() -> None:
    """The `gongshi` command: `main`, then out at once. A build of a large site leaves
    millions of objects; freeing them one by one as Python exits takes a tenth of a second
    or more, for nothing: the system takes the memory back. (Tests call `main`.)"""
    code = main()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command in ("build", "check"):
        return _build_or_check(args)
    if args.command in ("init", "new"):
        return _scaffold(args)
    if args.command == "schemas":
        from .schema import write_schemas

        written = write_schemas(args.folder)
        print(f"已写出 {len(written)} 个 JSON Schema 到 {args.folder}/")
        return 0
    from .serve import serve

    return serve(args.site, host=args.host, port=args.port, out=args.output, report=format_problems,
                 summary=summary)
