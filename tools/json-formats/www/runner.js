// Browser side of the benchmark. run.mjs calls these through `window.bench`.
// Every timed call is preceded by a forced GC (Chromium runs with --js-flags=--expose-gc),
// so no variant pays for another's garbage.

const mods = {};
const memories = {};
const inputs = {};

export async function load(variants, pkg = "pkg") {
  for (const v of variants) {
    const m = await import(`./${pkg}/${v}/bench.js`);
    const exports = await m.default({ module_or_path: `./${pkg}/${v}/bench_bg.wasm` });
    mods[v] = m;
    memories[v] = exports.memory;
  }
  return Object.fromEntries(variants.map((v) => [v, mods[v].variant()]));
}

export async function loadInput(name) {
  const response = await fetch(`data/${name}`);
  if (!response.ok) throw new Error(`${name}: ${response.status}`);
  const bytes = new Uint8Array(await response.arrayBuffer());
  inputs[name] = { bytes, text: new TextDecoder().decode(bytes) };
  return bytes.length;
}

/** Adds an input from text (the bad-entry cases). */
export function addInput(name, text) {
  inputs[name] = { bytes: new TextEncoder().encode(text), text };
}

/** Adds an input from bytes; its text is what the browser's decoder makes of them. */
export function addInputBytes(name, array) {
  const bytes = new Uint8Array(array);
  inputs[name] = { bytes, text: new TextDecoder().decode(bytes) };
}

/** Untimed: hands the input to a variant in every form (bytes, JS string, Rust String). */
export function setInput(v, name) {
  mods[v].set_input(inputs[name].bytes, inputs[name].text);
}

const heap = () => performance.memory.usedJSHeapSize;

/** Timed: bytes/text in hand -> Vec<Comment> ready. */
export function inHand(v) {
  const m = mods[v];
  gc();
  const t0 = performance.now();
  const n = m.decode_in_hand();
  const t1 = performance.now();
  const result = { ms: t1 - t0, inner: m.decode_ms(), parse: m.parse_ms(), n };
  m.clear();
  return result;
}

const responseOf = (name) =>
  new Response(inputs[name].bytes, { headers: { "content-type": "application/json" } });

/** Timed: a Response whose body is already in memory -> Vec<Comment> ready. */
export async function viaResponse(v, name) {
  const m = mods[v];
  const response = responseOf(name);
  gc();
  const t0 = performance.now();
  const n = await m.decode_response(response);
  const t1 = performance.now();
  const result = { ms: t1 - t0, parse: m.parse_ms(), n };
  m.clear();
  return result;
}

/** Timed: reading the body only, as each variant does (0 binary, 1 JS text, 2 Rust text). */
export async function readBody(v, how, name) {
  const response = responseOf(name);
  gc();
  const t0 = performance.now();
  const n = await mods[v].read_body(response, how);
  return { ms: performance.now() - t0, n };
}

/** Timed, in JS alone: JSON.parse of the text (B's first half, for reference). */
export function jsonParseOnly(name) {
  gc();
  const t0 = performance.now();
  const value = JSON.parse(inputs[name].text);
  const ms = performance.now() - t0;
  return { ms, n: value.comments.length };
}

/** What a variant makes of an input: its summary, or its error. */
export function decodeSummary(v, name) {
  setInput(v, name);
  try {
    mods[v].decode_in_hand();
    const s = mods[v].summary();
    mods[v].clear();
    return s;
  } catch (e) {
    return `error: ${e}`;
  }
}

export async function responseSummary(v, name) {
  try {
    await mods[v].decode_response(responseOf(name));
    const s = mods[v].summary();
    mods[v].clear();
    return s;
  } catch (e) {
    return `error: ${e}`;
  }
}

export async function article(v, name) {
  try {
    return await mods[v].decode_article(responseOf(name));
  } catch (e) {
    return `error: ${e}`;
  }
}

/**
 * Memory of one decode through the Response path, in a fresh page with only this variant
 * loaded. Wasm linear memory before and after (it never shrinks: "after" is its peak, and
 * what the page keeps). The JS heap right after the decode, before any GC: what the decode
 * left for the collector (the body's ArrayBuffer for A, the JSON.parse tree for B). Note
 * that Chromium keeps a body decoded to text as an external string, which
 * `usedJSHeapSize` does not count (B's and C's text).
 */
export async function memoryOfOneDecode(v, name) {
  const m = mods[v];
  await new Promise((settled) => setTimeout(settled, 0));
  gc();
  const before = { heap: heap(), wasm: memories[v].buffer.byteLength };
  const n = await m.decode_response(responseOf(name)); // no reference kept to the Response
  const after = { heap: heap(), wasm: memories[v].buffer.byteLength };
  await new Promise((settled) => setTimeout(settled, 0));
  gc();
  const retained = heap();
  m.clear();
  return {
    n,
    wasm_before: before.wasm,
    wasm_after: after.wasm,
    js_heap_growth_no_gc: after.heap - before.heap,
    js_heap_retained_after_gc: retained - before.heap,
  };
}

/** JS heap taken by JSON.parse's object tree for an input (what B holds while decoding). */
export function jsonParseTreeBytes(name) {
  gc();
  const h0 = heap();
  const value = JSON.parse(inputs[name].text);
  gc();
  const h1 = heap();
  return value.comments.length ? h1 - h0 : 0;
}
