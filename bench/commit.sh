#!/bin/bash
# A git-tracked synthetic site, as CI and editors who commit have it: a cold build, a build
# with nothing changed, then one ledger item's status changed *and committed* and built.
# Usage: bench/commit.sh [PAGES (20000)] [WORKDIR (/var/tmp/gongshi-commit)]; run from the repository.
# Without the search index (`search: false`); one run each; prints wall and CPU seconds.
set -euo pipefail
pages=${1:-20000}
work=${2:-/var/tmp/gongshi-commit}
repo=$(pwd)
site=$work/site
out=$work/out
export GIT_AUTHOR_NAME=bench GIT_AUTHOR_EMAIL=bench@example.gov.cn
export GIT_COMMITTER_NAME=bench GIT_COMMITTER_EMAIL=bench@example.gov.cn
rm -rf "$work" && mkdir -p "$work"
python bench/synth.py "$pages" "$site" >/dev/null
echo "search: false" >> "$site/site_config.yml"
printf '.gongshi-cache/\n' > "$site/.gitignore"
git -C "$site" init -q && git -C "$site" add -A && git -C "$site" commit -qm "synthetic campaign"
build() { /usr/bin/time -f "$1 %e s wall, %U s user, %S s system" python -m generator build "$site" -o "$out" --quiet 2>&1 | tail -1; }
build cold
build noop
ledger=$(grep -l "    status: 整改中" "$site"/content/rectification/*.yml | head -1 || true)
python - "$ledger" <<'PY'
import sys
path = sys.argv[1]
text = open(path, encoding="utf-8").read()
open(path, "w", encoding="utf-8").write(
    text.replace("    status: 整改中\n", "    status: 已完成\n    completed: 2014-09-20\n", 1))
PY
git -C "$site" commit -qam "one item done"
build commit-ledger
build noop-after
