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
#   scripts/bench.sh --only build [--10k]: the build's own benchmark, no browser: the site
#   step on generated archives of 100 and 1,000 articles (and 10,000 with --10k: about
#   5 minutes more), cold and incremental, its peak memory, and the front page's brotli size
#   (tools/harness/src/bin/garage-build-bench.rs).
# A missed budget shows as FAIL in the table; the exit status is non-zero only when
# something could not be measured.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
if [[ " $* " == *" --only build "* ]]; then
  ensure_rust_tools
  cd "$ROOT"
  # Trunk's output once, without the site step (not timed: the budget is beyond the wasm).
  say "Building Trunk's output without the site step (GARAGE_SITE_SKIP=1)"
  rm -rf target/build-bench && mkdir -p target/build-bench
  GARAGE_SITE_SKIP=1 trunk build --release --offline --dist target/build-bench/trunk
  cargo build --quiet --profile site -p garage-site -p garage-archive-gen
  cargo build --quiet --release -p garage-harness --bin garage-build-bench
  target_dir="${CARGO_TARGET_DIR:-$ROOT/target}"
  extra=()
  if [[ " $* " == *" --10k "* ]]; then extra=(--10k); fi
  say "Benchmarking the site step on generated archives"
  exec "$target_dir/release/garage-build-bench" target/build-bench/trunk "$target_dir/site" "${extra[@]}"
fi
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
