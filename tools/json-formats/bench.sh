#!/usr/bin/env bash
# The one command, from anywhere: installs what is missing (common.sh), builds the inputs
# and the wasm builds (build.sh: sizes.json), then runs them in headless Chromium (run.mjs:
# results.md, results.json). Arguments go to run.mjs, e.g.
#   tools/json-formats/bench.sh --runs 61
set -euo pipefail
source "$(dirname "$0")/common.sh"
./build.sh
node run.mjs "$@"
