#!/usr/bin/env bash
# Builds the inputs and the four wasm variants exactly as the app's Trunk release build does
# (cargo --release with the app's profile, then `wasm-bindgen --target web`, then
# `wasm-opt -Oz`), and measures them (sizes.json). Run from anywhere; expects the tools
# bench.sh installs (common.sh).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
cd "$here"
# wasm-opt: the one the repository's scripts/setup.sh installs into <repo>/.tools (binaryen
# from npm), else the one on PATH; WASM_OPT= overrides.
if [[ -z "${WASM_OPT:-}" ]]; then
  WASM_OPT="$repo/.tools/node_modules/.bin/wasm-opt"
  [[ -x "$WASM_OPT" ]] || WASM_OPT="$(command -v wasm-opt)" || { echo "no wasm-opt: run scripts/setup.sh" >&2; exit 1; }
fi
WASM_BINDGEN=${WASM_BINDGEN:-wasm-bindgen}
# The wasm-bindgen CLI must match the crate this bench's Cargo.lock pins.
wbg="$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/"/, "", $3); print $3; exit }' Cargo.lock)"
[[ "$("$WASM_BINDGEN" --version)" == "wasm-bindgen $wbg" ]] || { echo "need wasm-bindgen $wbg (WASM_BINDGEN=)" >&2; exit 1; }
"$WASM_OPT" --version
# Its own target dir, never the repository's (experiments.sh passes target-exp).
export CARGO_TARGET_DIR="${BENCH_TARGET_DIR:-$here/target}"

nice -n 10 cargo run -q --release -p json-bench-gen -- www/data
# A real article of the app's (read, not changed), for the article decoder's equivalence check.
cp "$repo/public/api/articles/putin-presents-new-luxury-car-to-kim-jong-un.json" www/data/article.json

# Each variant twice: as benchmarked (comments file + article), and with the comments file
# only (www/pkg/<v>-comments), which shows what one more document type costs each format.
# EXTRA_FEATURES and PKG (default www/pkg) are for experiments.sh.
PKG=${PKG:-www/pkg}
for build in baseline a b c baseline-comments a-comments b-comments c-comments; do
  v=${build%-comments}
  feature=$([ "$v" = baseline ] && echo baseline || echo "variant_$v")
  [ "$build" != "$v" ] && feature="$feature,comments_only"
  [ -n "${EXTRA_FEATURES:-}" ] && [ "$v" != baseline ] && feature="$feature,$EXTRA_FEATURES"
  echo "== $build ($feature)"
  nice -n 10 cargo build -q --release -p json-bench --target wasm32-unknown-unknown --features "$feature"
  out=$PKG/$build
  rm -rf "$out" && mkdir -p "$out"
  nice -n 10 "$WASM_BINDGEN" --target=web --out-dir="$out/bindgen" --out-name=bench \
    "$CARGO_TARGET_DIR/wasm32-unknown-unknown/release/json_bench.wasm"
  nice -n 10 "$WASM_OPT" --output="$out/bench_bg.wasm" -Oz "$out/bindgen/bench_bg.wasm"
  cp "$out/bindgen/bench.js" "$out/bench.js"
done

PKG=$PKG node sizes.mjs
