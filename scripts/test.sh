#!/usr/bin/env bash
# Quick start, part two: install what is missing, then run every test:
#   1. native unit tests of the core and the harness (cargo test);
#   2. component tests in headless Chromium (wasm-bindgen-test);
#   3. end-to-end journeys against the release build in headless Chromium (fantoccini).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
ensure_rust_tools
ensure_browser
cd "$ROOT"

say "Checking formatting"
cargo fmt --all -- --check

say "Native tests: core and harness"
cargo test --workspace --lib --bins --test server --test precompress

say "Component tests in headless Chromium"
cargo test -p my-garage --target wasm32-unknown-unknown --test components

build_release

say "End-to-end tests against dist/ in headless Chromium"
cargo test -p my-garage --test e2e --test e2e_comments -- --test-threads=2
