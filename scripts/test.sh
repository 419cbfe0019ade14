#!/usr/bin/env bash
# Quick start, part two: install what is missing, then run every check and test:
#   1. formatting, and clippy (native and wasm32, all targets, warnings are errors);
#   2. native tests: the core, the build step (tools/site), the server and precompressor,
#      and the harness's checks of the real Isso (the comment service);
#   3. component tests in headless Chromium (wasm-bindgen-test);
#   4. the release build (trunk build --release, which renders every page), the same for
#      a deploy under /garage/, and for a site with a comment service (Isso) on loopback;
#   5. end-to-end journeys against them in headless Chromium and Firefox ESR (tools/e2e),
#      on the project's server, on Cloudflare Pages' own runtime (wrangler), and with the
#      real Isso, and every page checked by the Nu HTML checker.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
ensure_rust_tools
ensure_browsers
# Isso, the comment service: the harness's tests (native) and the journeys start it on loopback.
ensure_isso
ensure_wrangler
ensure_vnu
cd "$ROOT"

say "Checking formatting"
cargo fmt --all -- --check

say "Clippy, native and wasm32"
cargo clippy --workspace --all-targets --quiet -- -D warnings
cargo clippy -p my-garage --target wasm32-unknown-unknown --all-targets --quiet -- -D warnings

say "Native tests: core, build step, server, precompressor"
cargo test --workspace --exclude garage-e2e --lib --bins --tests

say "Component tests in headless Chromium"
cargo test -p my-garage --target wasm32-unknown-unknown --test components

build_release
build_subpath
build_service_site
build_archive_site

say "End-to-end journeys against dist/ in headless Chromium and Firefox ESR"
for browser in chromium firefox; do
  say "  ... in $browser"
  GARAGE_E2E_BROWSER="$browser" cargo test -p garage-e2e -- --test-threads=2
done
