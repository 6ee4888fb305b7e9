#!/usr/bin/env bash
# Times the README's commands on a fresh clone of the current commit (docs/BENCHMARKS.md).
set -euo pipefail
here=$(git -C "$(dirname "$0")" rev-parse --show-toplevel)
work=$(mktemp -d)
git clone -q "$here" "$work/clone"
cd "$work/clone"
export UV_CACHE_DIR="$work/uv-cache"
step=0
t() {
  step=$((step + 1))
  local start=$SECONDS
  "$@" > "$work/step$step.log" 2>&1
  echo "$*: $((SECONDS - start)) s"
}
t make run
t .venv/bin/cchc run
t make test
echo "logs in $work"
