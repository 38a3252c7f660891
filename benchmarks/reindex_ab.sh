#!/usr/bin/env bash
# Same-run comparison of a full reindex of the bundled corpus: an older commit against the
# working tree, alternating, two rounds.   bash benchmarks/reindex_ab.sh OLD_COMMIT
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
OLD=${1:?usage: reindex_ab.sh OLD_COMMIT}
TREE=$(mktemp -d)/old
git -C "$ROOT" worktree add -q "$TREE" "$OLD"
trap 'git -C "$ROOT" worktree remove --force "$TREE"' EXIT
for round in 1 2; do
  for which in old new; do
    dir=$ROOT; [ "$which" = old ] && dir=$TREE
    out=$(mktemp -d)
    start=$(date +%s.%N)
    (cd "$dir" && "$ROOT/.venv/bin/python" -m arnews.cli --index "$out/index" reindex --quiet "$ROOT/seeds")
    end=$(date +%s.%N)
    echo "round $round $which: $(echo "$end - $start" | bc) s"
    rm -rf "$out"
  done
done
