// Sizes of each variant's wasm (after wasm-opt -Oz) and JS glue: raw, gzip -9 and brotli
// (quality 11, window 22: the app's tools/precompress settings). Writes sizes.json.
import { readFileSync, writeFileSync } from "node:fs";
import { brotliCompressSync, gzipSync, constants as z } from "node:zlib";

const br = (buf) =>
  brotliCompressSync(buf, {
    params: {
      [z.BROTLI_PARAM_QUALITY]: 11,
      [z.BROTLI_PARAM_LGWIN]: 22,
      [z.BROTLI_PARAM_SIZE_HINT]: buf.length,
    },
  }).length;
const measure = (path) => {
  const buf = readFileSync(path);
  return { raw: buf.length, gzip: gzipSync(buf, { level: 9 }).length, brotli: br(buf) };
};
// PKG: where build.sh put the builds (default www/pkg); sizes.json goes beside run.mjs for
// the default, and into PKG itself for an experiment.
const PKG = process.env.PKG ?? "www/pkg";
const sizes = {};
for (const v of ["baseline", "a", "b", "c", "baseline-comments", "a-comments", "b-comments", "c-comments"]) {
  const dir = new URL(`./${PKG}/${v}/`, import.meta.url);
  sizes[v] = {
    wasm: measure(new URL("bench_bg.wasm", dir)),
    wasm_before_opt: measure(new URL("bindgen/bench_bg.wasm", dir)),
    js: measure(new URL("bench.js", dir)),
  };
}
const out = PKG === "www/pkg" ? "./sizes.json" : `./${PKG}/sizes.json`;
writeFileSync(new URL(out, import.meta.url), JSON.stringify(sizes, null, 2) + "\n");
console.log("variant            wasm raw  wasm br  Δbr vs base   js br  Δjs br");
for (const [v, s] of Object.entries(sizes)) {
  const b = sizes[v.endsWith("-comments") ? "baseline-comments" : "baseline"];
  console.log(
    v.padEnd(18),
    String(s.wasm.raw).padStart(8),
    String(s.wasm.brotli).padStart(8),
    String(s.wasm.brotli - b.wasm.brotli).padStart(12),
    String(s.js.brotli).padStart(7),
    String(s.js.brotli - b.js.brotli).padStart(7),
  );
}
