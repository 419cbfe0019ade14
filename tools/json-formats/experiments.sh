#!/usr/bin/env bash
# Side experiments (not the main table): each rebuilds the variants with one extra feature
# into www/<dir> and times them the same way; results in www/<dir>/results.md.
#   exp-plain-optional: comment fields `parent`/`likes` as plain `Option` (no per-field
#                       leniency), to see what the app's `Optional<T>` costs each format;
#   exp-one-pass:       variant A read entry by entry every time (no strict first pass).
# Uses its own target dir (target-exp) so the main builds stay as they are.
set -euo pipefail
source "$(dirname "$0")/common.sh"
RUNS=${RUNS:-31}
for exp in plain_optional one_pass; do
  dir=exp-${exp//_/-}
  EXTRA_FEATURES=$exp PKG=www/$dir BENCH_TARGET_DIR="$here/target-exp" ./build.sh
  node run.mjs --pkg "$dir" --runs "$RUNS"
done
