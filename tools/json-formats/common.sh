# Sourced by bench.sh and experiments.sh: finds the repository from this file's own place and
# makes sure every tool the measurement needs is there, installing what is missing with the
# repository's own scripts/setup.sh (nothing here duplicates its install logic).
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
# Sets -euo pipefail, puts <repo>/.tools/node_modules/.bin and ~/.cargo/bin on PATH.
source "$repo/scripts/setup.sh"
# The wasm32 target, wasm-bindgen (the version in the repository's Cargo.lock), trunk and
# wasm-opt (binaryen from npm, into <repo>/.tools), each only if missing.
ensure_rust_tools
# Chromium: $CHROMIUM, or `chromium` on PATH; installed by setup.sh only if neither is there.
if [[ -z "${CHROMIUM:-}" ]] && ! command -v chromium >/dev/null; then
  ensure_browsers
fi
export CHROMIUM="${CHROMIUM:-$(command -v chromium)}"
cd "$here"
# playwright-core (package-lock.json) drives that Chromium; it never downloads a browser.
[[ -d node_modules/playwright-core ]] || PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund
