#!/usr/bin/env bash
# The one command: builds the inputs and the four wasm builds (build.sh, sizes.json), then
# runs them in headless Chromium (run.mjs: results.md, results.json). Arguments go to
# run.mjs, e.g. ./bench.sh --runs 61
set -euo pipefail
cd "$(dirname "$0")"
rustup target list --installed | grep -qx wasm32-unknown-unknown || rustup target add wasm32-unknown-unknown
# playwright-core drives /usr/bin/chromium; it never downloads a browser.
[ -d node_modules/playwright-core ] || PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund
./build.sh
node run.mjs "$@"
