"""Build-speed and memory benchmark for gongshi (issue 7).

    python bench/run.py [--sizes 1000,5000,20000] [--runs 3] [--workdir DIR] [--keep]

For each size N it writes a synthetic site of about N pages (bench/synth.py) into a
temporary folder, then, `--runs` times, measures:

  floor       bench/floor.py: read, split, Python-Markdown, one Jinja2 template, write (news only)
  cold        gongshi build into a fresh output folder, SITE/.gongshi-cache/ deleted
  noop        gongshi build again, nothing changed
  edit-ledger after changing one ledger item from 整改中 to 已完成 (with a completed date)
  edit-news   after appending a sentence to one news body (a quick build)
  ledger-after-news
              after changing another item of that ledger, right after the quick build

Every one runs as its own subprocess (`python -m generator build SITE -o OUT`); its wall
time, CPU time and peak RSS (ru_maxrss from wait4, i.e. its largest process) are read when
it ends, and the summed RSS of its whole process tree is sampled while it runs (what a
multi-process build costs). The table (medians) is printed and written to bench/results.md
with a description of the machine.
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
sys.path.insert(0, str(BENCH))

import synth  # noqa: E402

CACHE_DIR = (
    ".gongshi-cache"  # the generator's cache, inside the site folder: deleted for a cold build
)
MEASURES = ("floor", "cold", "noop", "edit-ledger", "edit-news", "ledger-after-news")
EDITS = MEASURES[3:]  # the one-edit rebuilds
APPENDED = "\n（9月20日补充）截至目前，上述整改措施已全部落实到位，群众反映良好。\n"
PAGE_SIZE_BYTES = os.sysconf("SC_PAGE_SIZE")
# The environment of every measured process. Python's compiled modules go to a folder of the
# work directory (set in main), written even where PYTHONDONTWRITEBYTECODE is set: an
# installed program runs from its .pyc files, and compiling the generator's modules again at
# every start (about 0.1 s) is not a cost its users pay.
CHILD_ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
# the line GONGSHI_TIMINGS=1 prints for the search-index stage (Pagefind): its wall seconds
SEARCH_STAGE = re.compile(r"^搜索索引\s+([\d.]+) s", re.MULTILINE)


# ---- measuring one process -----------------------------------------------------------------


@dataclass
class Sample:
    seconds: float
    cpu: float  # user + system, the process and the children it waited for
    peak_mb: float  # ru_maxrss: the largest single process of the build
    tree_mb: float  # sampled: the most RSS its whole process tree held at once
    pss_mb: float  # sampled: the most PSS (shared pages divided among their sharers) of the tree
    search: float  # seconds of the build's search-index stage (from GONGSHI_TIMINGS), 0 if none
    written: int  # output files created or rewritten by this build
    removed: int  # output files it deleted
    out_mb: float  # the output folder afterwards
    files: int
    pages: int  # index.html files


def _children(pid: int) -> list[int]:
    found = []
    try:
        tasks = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return found
    for task in tasks:
        try:
            with open(f"/proc/{pid}/task/{task}/children") as f:
                found += [int(c) for c in f.read().split()]
        except OSError:
            pass
    return found


def _tree_rss(pid: int) -> tuple[int, int]:
    """(RSS, PSS) in bytes of a process and all its descendants.

    RSS counts a page shared by forked workers once in every worker; PSS divides it among
    them, so the PSS of the tree is the memory the tree really holds."""
    rss = pss = 0
    todo = [pid]
    while todo:
        p = todo.pop()
        try:
            with open(f"/proc/{p}/statm") as f:
                rss += int(f.read().split()[1]) * PAGE_SIZE_BYTES
            with open(f"/proc/{p}/smaps_rollup") as f:
                pss += next(int(line.split()[1]) * 1024 for line in f if line.startswith("Pss:"))
        except (OSError, IndexError, ValueError, StopIteration):
            continue
        todo += _children(p)
    return rss, pss


def snapshot(folder: Path) -> dict[str, tuple[int, int, int]]:
    """relative path → (inode, mtime_ns, size) of every file under `folder`."""
    found = {}
    for dirpath, _, names in os.walk(folder):
        for name in names:
            st = os.stat(os.path.join(dirpath, name))
            found[os.path.relpath(os.path.join(dirpath, name), folder)] = (
                st.st_ino,
                st.st_mtime_ns,
                st.st_size,
            )
    return found


def run_measured(cmd: list[str], out: Path, log: Path, interval: float = 0.02) -> Sample:
    before = snapshot(out)
    peak_tree = peak_pss = 0
    with open(log, "ab") as sink:
        sink.write(f"\n$ {' '.join(cmd)}\n".encode())
        sink.flush()
        start_of_log = sink.tell()
        started = time.perf_counter()
        proc = subprocess.Popen(
            cmd, cwd=REPO, stdout=sink, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
            env={**CHILD_ENV, "GONGSHI_TIMINGS": "1"},
        )
        done = threading.Event()

        def sample() -> None:
            nonlocal peak_tree, peak_pss
            while not done.is_set():
                rss, pss = _tree_rss(proc.pid)
                peak_tree, peak_pss = max(peak_tree, rss), max(peak_pss, pss)
                done.wait(interval)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - started
        done.set()
        sampler.join()
        proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        tail = log.read_text(encoding="utf-8", errors="replace").splitlines()[-30:]
        raise SystemExit(f"failed ({proc.returncode}): {' '.join(cmd)}\n" + "\n".join(tail))
    with open(log, "rb") as f:
        f.seek(start_of_log)
        said = f.read().decode("utf-8", "replace")
    search = SEARCH_STAGE.search(said)
    after = snapshot(out)
    written = sum(
        1 for name, stat in after.items() if before.get(name, (None, None))[:2] != stat[:2]
    )
    return Sample(
        seconds=seconds,
        cpu=usage.ru_utime + usage.ru_stime,
        peak_mb=usage.ru_maxrss / 1024,
        tree_mb=max(peak_tree, usage.ru_maxrss * 1024) / 2**20,
        pss_mb=peak_pss / 2**20,
        search=float(search[1]) if search else 0.0,
        written=written,
        removed=len(before.keys() - after.keys()),
        out_mb=sum(s for *_, s in after.values()) / 2**20,
        files=len(after),
        pages=sum(1 for name in after if name.endswith("index.html")),
    )


# ---- one size ---------------------------------------------------------------------------------


@dataclass
class SizeResult:
    size: int
    synth: str
    load: str  # the machine's load average when this size started: other work skews wall times
    samples: dict[str, list[Sample]] = field(default_factory=dict)

    def median(self, measure: str, attr: str) -> float:
        return statistics.median(getattr(s, attr) for s in self.samples[measure])


def _remove(path: Path) -> None:
    if path.is_dir():
        shutil.rmtree(path)
    elif path.exists():
        path.unlink()


def warm_up(folder: Path, seed: int) -> None:
    """The floor and a build of a small site, unmeasured: Python compiles the modules they
    import into CHILD_ENV's cache folder, as an installation would have them."""
    synth.generate(300, folder / "site", seed)
    for cmd in ([sys.executable, str(BENCH / "floor.py"), str(folder / "site"), str(folder / "floor")],
                [sys.executable, "-m", "generator", "build", str(folder / "site"), "-o", str(folder / "out")]):
        subprocess.run(cmd, cwd=REPO, env=CHILD_ENV, check=True, stdin=subprocess.DEVNULL,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    shutil.rmtree(folder, ignore_errors=True)


def complete_an_item(ledger: Path) -> None:
    """The ledger's first item in progress (整改中) is done (已完成) as of the synthetic date."""
    text = ledger.read_text(encoding="utf-8")
    done = f"    status: 已完成\n    completed: {synth.AS_OF.isoformat()}\n"
    ledger.write_text(text.replace("    status: 整改中\n", done, 1), encoding="utf-8")


def bench_size(size: int, runs: int, work: Path, seed: int, search: bool = True) -> SizeResult:
    folder = work / f"n{size}"
    site, out, floor_out, log = (
        folder / "site",
        folder / "out",
        folder / "floor",
        folder / "build.log",
    )
    folder.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    plan = synth.generate(size, site, seed)
    if not search:  # the generator alone, without the Pagefind index
        with open(site / "site_config.yml", "a", encoding="utf-8") as config:
            config.write("search: false\n")
    items = sum(len(i) for i in plan.ledgers)
    described = (
        f"{plan.units} units, {plan.news} news, {plan.documents} documents, {len(plan.ledgers)} ledgers "
        f"({items} items), {plan.commitments} commitments, {plan.meetings} meetings"
    )
    print(
        f"[{size}] synthetic site: {described} ({time.perf_counter() - started:.1f} s)",
        file=sys.stderr,
    )

    news = sorted((site / "content" / "news" / "news").rglob("*.md"))
    news_file = news[len(news) // 2]
    ledger_file = next(
        p
        for p in sorted((site / "content" / "rectification").glob("*.yml"))
        if "    status: 整改中\n" in p.read_text(encoding="utf-8")
    )
    originals = {p: p.read_bytes() for p in (news_file, ledger_file)}
    build = [sys.executable, "-m", "generator", "build", str(site), "-o", str(out)]
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    result = SizeResult(size, described, load, {m: [] for m in MEASURES})

    def record(measure: str, sample: Sample, run: int) -> None:
        result.samples[measure].append(sample)
        print(
            f"[{size}] run {run}/{runs} {measure:<11} {sample.seconds:8.2f} s  cpu {sample.cpu:7.2f} s  "
            f"peak {sample.peak_mb:6.0f} MB  tree {sample.tree_mb:6.0f} MB  PSS {sample.pss_mb:6.0f} MB  "
            f"written {sample.written}",
            file=sys.stderr,
        )

    try:
        for run in range(1, runs + 1):
            for path, data in originals.items():
                path.write_bytes(data)
            for path in (
                site / CACHE_DIR,
                out,
                floor_out,
                *folder.glob(".out.*"),
                *folder.glob(".floor.*"),
            ):
                _remove(path)
            record(
                "floor",
                run_measured(
                    [sys.executable, str(BENCH / "floor.py"), str(site), str(floor_out)],
                    floor_out,
                    log,
                ),
                run,
            )
            record("cold", run_measured(build, out, log), run)
            record("noop", run_measured(build, out, log), run)
            complete_an_item(ledger_file)
            record("edit-ledger", run_measured(build, out, log), run)
            with open(news_file, "a", encoding="utf-8") as f:
                f.write(APPENDED)
            record("edit-news", run_measured(build, out, log), run)
            complete_an_item(ledger_file)  # the next item in progress
            record("ledger-after-news", run_measured(build, out, log), run)
    finally:
        for path, data in originals.items():
            path.write_bytes(data)
    return result


# ---- reporting ----------------------------------------------------------------------------------

HEADERS = (
    "size",
    "measure",
    "median s",
    "× floor",
    "CPU s",
    "peak RSS MB",
    "tree RSS MB",
    "tree PSS MB",
    "search s",
    "written",
    "output MB",
    "files",
    "pages",
)


def rows(result: SizeResult) -> list[tuple[str, ...]]:
    floor = result.median("floor", "seconds")
    found = []
    for measure in MEASURES:

        def m(attr: str, measure: str = measure) -> float:
            return result.median(measure, attr)

        found.append(
            (
                f"{result.size:,}",
                measure,
                f"{m('seconds'):.2f}",
                f"{m('seconds') / floor:.2f}",
                f"{m('cpu'):.2f}",
                f"{m('peak_mb'):.0f}",
                f"{m('tree_mb'):.0f}",
                f"{m('pss_mb'):.0f}",
                f"{m('search'):.2f}",
                f"{m('written'):,.0f}",
                f"{m('out_mb'):.1f}",
                f"{m('files'):,.0f}",
                f"{m('pages'):,.0f}",
            )
        )
    return found


def text_table(results: list[SizeResult]) -> str:
    body = [HEADERS] + [r for res in results for r in rows(res)]
    widths = [max(len(row[i]) for row in body) for i in range(len(HEADERS))]
    lines = [
        "  ".join(
            cell.rjust(w) if i > 1 else cell.ljust(w)
            for i, (cell, w) in enumerate(zip(row, widths, strict=True))
        )
        for row in body
    ]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def md_table(results: list[SizeResult]) -> str:
    lines = [
        "| " + " | ".join(HEADERS) + " |",
        "|" + "|".join("---" if i < 2 else "---:" for i in range(len(HEADERS))) + "|",
    ]
    lines += ["| " + " | ".join(row) + " |" for res in results for row in rows(res)]
    return "\n".join(lines)


def targets(result: SizeResult) -> list[str]:
    """Issue 7's targets (set for 20,000 pages on 2 cores), checked at this size."""
    floor, cold = result.median("floor", "seconds"), result.median("cold", "seconds")
    search = result.median("cold", "search")
    noop = result.median("noop", "seconds")
    # "under 1 second plus the search-index update": each rebuild without its search stage
    edits = {m: (result.median(m, "seconds") - result.median(m, "search"), result.median(m, "seconds"))
             for m in EDITS}
    without = max(w for w, _ in edits.values())
    builds = [m for m in MEASURES if m != "floor"]
    peak = max(result.median(m, "pss_mb") for m in builds)
    rss = max(result.median(m, "tree_mb") for m in builds)
    single = max(result.median(m, "peak_mb") for m in builds)
    pages = result.median("cold", "pages")

    def verdict(ok: bool) -> str:
        return "met" if ok else "**not met**"

    return [
        f"cold build ≤ 1.5 × floor: {cold / floor:.2f} × — {verdict(cold <= 1.5 * floor)}"
        + (f" (without its search stage, which the floor does not do: {(cold - search) / floor:.2f} ×)"
           if search else ""),
        f"no-change rebuild < 5 % of cold: {100 * noop / cold:.1f} % — {verdict(noop < 0.05 * cold)}",
        "one-edit rebuild < 1 s + the search-index update: "
        + "; ".join(f"{m} {w:.2f} s without the search stage ({t:.2f} s with it)" for m, (w, t) in edits.items())
        + f" — {verdict(without < 1)}",
        f"peak memory < 600 MB: {peak:.0f} MB (tree PSS, worst build; its largest process {single:.0f} MB RSS, "
        f"the tree {rss:.0f} MB RSS counting pages shared by workers in each) — {verdict(peak < 600)}",
        f"page count within ±10 % of {result.size:,}: {pages:,.0f} — {verdict(abs(pages - result.size) <= 0.1 * result.size)}",
    ]


def machine() -> dict[str, str]:
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    ram = "unknown"
    try:
        meminfo = Path("/proc/meminfo").read_text().splitlines()
        kb = int(next(line for line in meminfo if line.startswith("MemTotal")).split()[1])
        ram = f"{kb / 2**20:.1f} GiB"
    except (OSError, StopIteration, ValueError):
        pass
    nproc = subprocess.run(["nproc"], capture_output=True, text=True).stdout.strip() or str(
        os.cpu_count()
    )

    def git(*args: str) -> str:
        done = subprocess.run(["git", "-C", str(REPO), *args], capture_output=True, text=True)
        return done.stdout.strip() if done.returncode == 0 else ""

    commit = git("rev-parse", "--short", "HEAD") or "unknown"
    if git("status", "--porcelain", "--", "generator", "theme", "pyproject.toml"):
        commit += " with uncommitted changes in generator/ or theme/"
    return {
        "nproc": nproc,
        "CPU": cpu,
        "RAM": ram,
        "Python": f"{platform.python_version()} ({platform.python_implementation()})",
        "OS": platform.platform(),
        "gongshi commit": commit,
    }


def write_markdown(
    path: Path, results: list[SizeResult], args: argparse.Namespace, info: dict[str, str]
) -> None:
    lines = [
        "# Benchmark results",
        "",
        f"`python bench/run.py --sizes {','.join(str(r.size) for r in results)} --runs {args.runs} "
        f"--search {args.search}` "
        f"(median of {args.runs} run{'s' if args.runs > 1 else ''}); see bench/README.md for what each figure means.",
        "",
        "## Machine",
        "",
    ]
    lines += [f"- {key}: {value}" for key, value in info.items()]
    lines += ["", "## Figures", "", md_table(results), ""]
    for res in results:
        lines += [
            f"## {res.size:,} pages",
            "",
            f"Site: {res.synth}.",
            "",
            f"Load average (1, 5, 15 min) when it started: {res.load}. Wall time well above CPU time "
            "means the machine was busy with other work.",
            "",
            "Targets (issue 7 sets them for 20,000 pages on 2 cores):",
            "",
        ]
        lines += [f"- {t}" for t in targets(res)]
        lines += [
            "",
            "Seconds of each run: "
            + "; ".join(
                f"{m} " + ", ".join(f"{s.seconds:.2f}" for s in res.samples[m]) for m in MEASURES
            ),
            "",
        ]
    path.write_text("\n".join(lines), encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--sizes",
        default="1000,5000,20000",
        help="page counts, comma-separated (default %(default)s)",
    )
    parser.add_argument(
        "--runs", type=int, default=3, help="runs per size; the table shows medians (default 3)"
    )
    parser.add_argument(
        "--workdir",
        type=Path,
        help="where the synthetic sites go (default: a new temporary folder)",
    )
    parser.add_argument(
        "--keep", action="store_true", help="keep the synthetic sites and outputs afterwards"
    )
    parser.add_argument(
        "--search", choices=("on", "off"), default="on",
        help="on: the site as shipped, with its Pagefind search index; off: `search: false` "
        "in the synthetic site, the generator alone (default %(default)s)",
    )
    parser.add_argument(
        "--seed", type=int, default=2014, help="seed of the synthetic sites (default 2014)"
    )
    parser.add_argument(
        "--results",
        type=Path,
        default=BENCH / "results.md",
        help="Markdown file to write (default bench/results.md)",
    )
    args = parser.parse_args(argv)
    sizes = [int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip()]
    work = (
        args.workdir.resolve() if args.workdir else Path(tempfile.mkdtemp(prefix="gongshi-bench-"))
    )
    if work == REPO or REPO in work.parents:
        parser.error("--workdir must be outside the repository")
    work.mkdir(parents=True, exist_ok=True)
    info = machine()
    print("machine: " + "; ".join(f"{k} {v}" for k, v in info.items()), file=sys.stderr)
    print(f"workdir: {work}", file=sys.stderr)
    CHILD_ENV["PYTHONPYCACHEPREFIX"] = str(work / "pycache")
    warm_up(work / "warm-up", args.seed)
    results = []
    try:
        for size in sizes:
            results.append(bench_size(size, args.runs, work, args.seed, args.search == "on"))
            write_markdown(
                args.results, results, args, info
            )  # partial results survive an interrupted run
    finally:
        if not args.keep and not args.workdir:
            shutil.rmtree(work, ignore_errors=True)
        elif not args.keep:
            for size in sizes:
                shutil.rmtree(work / f"n{size}", ignore_errors=True)
    print()
    print(text_table(results))
    print()
    for res in results:
        print(f"{res.size:,} pages, targets (set for 20,000):")
        for line in targets(res):
            print("  " + line.replace("**", ""))
    print(f"\nwritten to {args.results}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
