#!/usr/bin/env bash
# Performance benchmark: install what is missing, build the release bundle, then measure it
# in headless Chromium (bytes on the first load; throttled paint timings against a static
# snapshot of the same page; comment threads of 100 to 10,000). Prints one table against
# the budgets and writes target/bench/latest.json (the run before: previous.json).
#   scripts/bench.sh [--runs N]    (default 5 runs per figure)
# A missed budget shows as FAIL in the table; the exit status is non-zero only when
# something could not be measured.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
ensure_rust_tools
ensure_browser
cd "$ROOT"
build_release
say "Benchmarking dist/ in headless Chromium"
exec cargo run --quiet --release -p garage-harness --bin garage-bench -- "$@"
