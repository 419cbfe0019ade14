#!/usr/bin/env bash
# Performance benchmark: install what is missing, build the release bundle, then measure it
# in headless Chromium, each load in a fresh profile: the seed article, the front page and
# the not-found page loaded throttled as Lighthouse's mobile profile, each against a static
# snapshot of the same page (LCP ratio, CLS, total blocking time, bytes on the wire), the app
# ready on the seed article, a related article followed in the app to its headline painted,
# the wasm's size, comment threads of 100 to 10,000 (unthrottled), what publishing (the
# pages' heads, the service worker) adds to the seed article's first load against the same
# build without it, and Lighthouse's SEO, best-practices and accessibility scores of the seed
# article (once); Lighthouse's performance audit of the seed article against its static
# snapshot with both of its throttling methods (simulated and DevTools); and a thread of
# 1,000 comments on the real comment service (Isso on loopback). Prints one table against
# the budgets and writes target/bench/latest.json (the run before: previous.json).
# The photographs' build step is measured too (tools/media's garage-media-bench): 20 painted
# sources of 2400 x 1350, every variant from a cold cache and again from the cache, and each
# encoder's cost.
#   scripts/bench.sh [--runs N] [--only loads|navigation|threads|publishing|lighthouse|speed|service|media]
#   (default 5 runs per figure)
# A missed budget shows as FAIL in the table; the exit status is non-zero only when
# something could not be measured.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
media_bench() {
  say "Benchmarking the photographs' build step (20 sources, cold and cached)"
  (cd "$ROOT" && cargo run --quiet -p garage-media --bin garage-media-bench -- 20)
}
if [[ " $* " == *" --only media "* ]]; then
  media_bench
  exit 0
fi
ensure_rust_tools
ensure_browsers
ensure_lighthouse
ensure_isso
cd "$ROOT"
build_release
build_service_site
if [[ " $* " != *" --only "* ]]; then
  media_bench
fi
say "Benchmarking dist/ in headless Chromium"
exec cargo run --quiet --release -p garage-harness --bin garage-bench -- "$@"
