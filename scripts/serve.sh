#!/usr/bin/env bash
# Quick start, part one: install what is missing, then serve the app with the sample
# articles at http://127.0.0.1:8080 (live reload). `--release` serves the optimised build.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
ensure_rust_tools
cd "$ROOT"
if [[ "${1:-}" == "--release" ]]; then
  build_release
  say "Serving dist/ at http://127.0.0.1:8080"
  exec cargo run --quiet --release -p garage-harness --bin garage-serve -- --root dist --addr 127.0.0.1:8080
fi
say "Serving at http://127.0.0.1:8080 (trunk serve; Ctrl+C stops)"
exec trunk serve --offline
