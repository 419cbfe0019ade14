// Runs the benchmark: serves www/ on loopback, drives the system Chromium ($CHROMIUM, else
// `chromium` on PATH; never a downloaded browser) with playwright-core, checks that every variant decodes the same thing, times
// them alternately, measures memory, and writes results.json and results.md.
//
//   node run.mjs [--runs 31] [--warmup 5] [--cold 9] [--no-timing] [--pkg DIR]
import { createServer } from "node:http";
import { readFile, writeFile } from "node:fs/promises";
import { extname, join, normalize } from "node:path";
import { fileURLToPath } from "node:url";
import { execFileSync } from "node:child_process";
import { loadavg, cpus } from "node:os";
import { chromium } from "playwright-core";

const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const HERE = fileURLToPath(new URL(".", import.meta.url));
const RUNS = arg("runs", 31);
// --pkg DIR: builds under www/DIR (experiments.sh); results go to DIR's results.{json,md}.
const PKG = (() => { const i = process.argv.indexOf("--pkg"); return i > 0 ? process.argv[i + 1] : "pkg"; })();
const OUT = PKG === "pkg" ? HERE : join(HERE, "www", PKG);
const WARMUP = arg("warmup", 5);
const WWW = join(HERE, "www");
const VARIANTS = ["a", "b", "c"];
const INPUTS = ["comments-1k.json", "comments-10k.json", "comments-10k-bad.json"];

// ---------------------------------------------------------------- a static server
const TYPES = { ".html": "text/html", ".js": "text/javascript", ".wasm": "application/wasm", ".json": "application/json" };
const server = createServer(async (req, res) => {
  const path = normalize(decodeURIComponent(new URL(req.url, "http://x").pathname));
  const file = join(WWW, path.endsWith("/") ? path + "index.html" : path);
  if (!file.startsWith(WWW)) return res.writeHead(403).end();
  try {
    const body = await readFile(file);
    res.writeHead(200, { "content-type": TYPES[extname(file)] ?? "application/octet-stream", "cache-control": "no-store" });
    res.end(body);
  } catch {
    res.writeHead(404).end("not found");
  }
});
await new Promise((ok) => server.listen(0, "127.0.0.1", ok));
const ORIGIN = `http://127.0.0.1:${server.address().port}/`;

// ---------------------------------------------------------------- the browser
const CHROMIUM =
  process.env.CHROMIUM ||
  (() => {
    try {
      return execFileSync("sh", ["-c", "command -v chromium"], { encoding: "utf8" }).trim();
    } catch {
      throw new Error("no Chromium: set CHROMIUM=, or run bench.sh (it installs one with scripts/setup.sh)");
    }
  })();
const browser = await chromium.launch({
  executablePath: CHROMIUM,
  headless: false, // the flag below instead: the flags of tools/harness/src/chromium.rs
  args: [
    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--js-flags=--expose-gc", "--enable-precise-memory-info",
  ],
}); // playwright-core gives it a fresh temporary --user-data-dir

async function freshPage() {
  const context = await browser.newContext();
  const page = await context.newPage();
  page.on("console", (m) => m.type() === "error" && console.error("[page]", m.text()));
  page.on("pageerror", (e) => console.error("[page error]", e));
  await page.goto(ORIGIN);
  await page.waitForSelector("body[data-ready='1']");
  return { page, context };
}
const call = (page, fn, ...args) =>
  page.evaluate(([fn, args]) => window.bench[fn](...args), [fn, args]);

const stats = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const q = (p) => s[Math.min(s.length - 1, Math.floor(p * (s.length - 1) + 0.5))];
  const r = (x) => Math.round(x * 100) / 100;
  return { n: s.length, min: r(s[0]), median: r(q(0.5)), p25: r(q(0.25)), p75: r(q(0.75)), max: r(s[s.length - 1]) };
};

const results = {
  date: new Date().toISOString(),
  browser: browser.version(),
  cpus: cpus().length,
  loadavg_start: loadavg(),
  runs: RUNS,
  warmup: WARMUP,
  sizes: JSON.parse(await readFile(join(PKG === "pkg" ? HERE : OUT, "sizes.json"), "utf8")),
};

// ---------------------------------------------------------------- 1. same answers
{
  const { page, context } = await freshPage();
  results.names = await call(page, "load", ["baseline", ...VARIANTS], PKG);
  for (const name of INPUTS) await call(page, "loadInput", name);
  await call(page, "loadInput", "article.json");

  // The app's own test cases (src/core/comments/model.rs, src/core/article.rs).
  const cases = {
    "mixed bad entries": `{"version":1,"comments":[
      {"id":"a","author":"A","body":"hi","posted":"2024-07-24T10:00:00Z","future":true},
      {"id":"b","author":"B","body":"no date"},
      {"id":"","author":"C","body":"no id","posted":"2024-07-24T10:00:00Z"},
      {"id":"d","parent":"a","author":"D","body":"re","posted":"2024-07-24T11:00:00Z","likes":3}]}`,
    "bad optional fields": `{"comments":[
      {"id":"a","author":"A","body":"x","posted":"2024-07-24T10:00:00Z","likes":-1},
      {"id":"b","parent":7,"author":"B","body":"y","posted":"2024-07-24T10:00:00Z"},
      {"id":"c","parent":null,"likes":null,"author":"C","body":"z","posted":"2024-07-24T10:00:00Z"},
      {"id":"d","parent":"a","author":"D","body":"w","posted":"2024-07-24T10:00:00Z","likes":2}]}`,
    "bad entries skipped alone": `{"comments":[
      {"id":"a","author":"A","body":"x","posted":"2024-07-24T10:00:00Z"},
      {"id":"b","author":"B","body":"y","posted":"yesterday"},
      "not a comment",
      {"id":"c","author":"C","posted":"2024-07-24T10:00:00Z"},
      {"id":"d","author":"D","body":"w","posted":"2024-07-24T10:00:00Z"}]}`,
    "likes 1.5 and 1e2": `{"comments":[
      {"id":"a","author":"A","body":"x","posted":"2024-07-24T10:00:00Z","likes":1.5},
      {"id":"b","author":"B","body":"y","posted":"2024-07-24T10:00:00Z","likes":1e2}]}`,
    "empty": "",
    "[]": "[]",
    "comments not a list": `{"comments":{}}`,
    "html": "<html>",
    "version 9": `{"version":9,"comments":[]}`,
    "truncated": `{"comments":[{"id":"a","author":"A","body":"x","posted":"2024-07-24T10:00:00Z"}`,
  };
  const articleCases = {
    "bad blocks": `{"slug":"a-b","future_field":{"deep":[1,2]},"title":"T","author":{"name":"N"},"published":"2024-01-01T00:00:00Z",
      "lead_image":{"src":"/l.jpg","width":1.5,"height":"tall"},
      "related":[{"slug":"good","title":"G","published":"2024-01-01T00:00:00Z"},
                 {"slug":"bad-date","title":"B","published":"yesterday"},
                 {"slug":"Bad Slug","title":"S","published":"2024-01-01T00:00:00Z"}],
      "body":[{"type":"paragraph","text":"one","extra":1},{"type":"video","src":"x.mp4"},{"type":"paragraph"},
              {"no_type":true},{"type":"quote","text":"q","cite":"c"},{"type":"heading","text":"h"},
              {"type":"image","src":"/a.jpg","alt":"A","width":-1,"height":300}]}`,
  };
  for (const [name, text] of Object.entries({ ...cases, ...articleCases })) await call(page, "addInput", name, text);
  // Not UTF-8 (the app's `refuses_a_file_that_is_not_utf8`): the byte paths see the bad byte,
  // the text paths see what the browser's decoder makes of it (U+FFFD).
  const enc = (t) => [...Buffer.from(t, "utf8")];
  await call(page, "addInputBytes", "not UTF-8", [
    ...enc(`{"comments":[{"id":"a","author":"A","posted":"2024-07-24T10:00:00Z","body":"caf`), 0xe9, ...enc(`"}]}`),
  ]);

  results.equivalence = {};
  for (const name of [...INPUTS, ...Object.keys(cases), "not UTF-8"]) {
    const row = {};
    for (const v of VARIANTS) {
      row[v] = await call(page, "decodeSummary", v, name);
      row[`${v} (Response)`] = await call(page, "responseSummary", v, name);
    }
    results.equivalence[name] = row;
  }
  results.articles = {};
  for (const name of ["article.json", ...Object.keys(articleCases)]) {
    results.articles[name] = Object.fromEntries(
      await Promise.all(VARIANTS.map(async (v) => [v, await call(page, "article", v, name)])),
    );
  }
  await context.close();
}

// ---------------------------------------------------------------- 2. time, alternately
if (!process.argv.includes("--no-timing")) {
  const { page, context } = await freshPage();
  await call(page, "load", ["baseline", ...VARIANTS], PKG);
  results.timing = {};
  for (const name of INPUTS) {
    await call(page, "loadInput", name);
    for (const v of VARIANTS) await call(page, "setInput", v, name);
    const t = (results.timing[name] = { in_hand: {}, response: {}, parse_share_b: [], json_parse_alone: [], read_body: {} });
    const raw = { in_hand: {}, response: {}, read_body: { binary: [], js_text: [], rust_text: [] } };
    for (const v of VARIANTS) (raw.in_hand[v] = []), (raw.response[v] = []);
    for (let round = -WARMUP; round < RUNS; round++) {
      // Rotate the order every round so no variant always runs first (or after another).
      const order = VARIANTS.map((_, i) => VARIANTS[(i + round + WARMUP) % VARIANTS.length]);
      for (const v of order) {
        const r = await call(page, "inHand", v);
        const s = await call(page, "viaResponse", v, name);
        if (round < 0) continue;
        raw.in_hand[v].push(r.ms);
        raw.response[v].push(s.ms);
        if (v === "b") t.parse_share_b.push(r.parse);
      }
      const j = await call(page, "jsonParseOnly", name);
      const bodies = [];
      for (const [how, key] of [[0, "binary"], [1, "js_text"], [2, "rust_text"]]) {
        bodies.push([key, (await call(page, "readBody", "baseline", how, name)).ms]);
      }
      if (round < 0) continue;
      t.json_parse_alone.push(j.ms);
      for (const [key, ms] of bodies) raw.read_body[key].push(ms);
    }
    for (const v of VARIANTS) {
      t.in_hand[v] = stats(raw.in_hand[v]);
      t.response[v] = stats(raw.response[v]);
    }
    t.parse_share_b = stats(t.parse_share_b);
    t.json_parse_alone = stats(t.json_parse_alone);
    for (const k of Object.keys(raw.read_body)) t.read_body[k] = stats(raw.read_body[k]);
    t.samples = raw;
    console.log(name, JSON.stringify({ in_hand: t.in_hand, response: t.response, parse_b: t.parse_share_b }));
  }
  await context.close();
}

// ---------------------------------------------------------------- 3. memory, fresh page each
results.memory = {};
for (const v of VARIANTS) {
  const { page, context } = await freshPage();
  await call(page, "load", [v], PKG);
  await call(page, "loadInput", "comments-10k.json");
  results.memory[v] = await call(page, "memoryOfOneDecode", v, "comments-10k.json");
  await context.close();
}
{
  const { page, context } = await freshPage();
  await call(page, "loadInput", "comments-10k.json");
  results.memory.json_parse_tree_js_heap = await call(page, "jsonParseTreeBytes", "comments-10k.json");
  await context.close();
}
// ---------------------------------------------------------------- 4. the first decode, cold
// A fresh page per run: the variant's wasm has just been compiled (V8's baseline tier) and
// has never decoded anything, as in the app when a thread first arrives.
const COLD = arg("cold", 9);
if (!process.argv.includes("--no-timing")) {
  const cold = Object.fromEntries(VARIANTS.map((v) => [v, []]));
  for (let i = 0; i < COLD; i++) {
    for (const v of VARIANTS.map((_, j) => VARIANTS[(i + j) % VARIANTS.length])) {
      const { page, context } = await freshPage();
      await call(page, "load", [v], PKG);
      await call(page, "loadInput", "comments-10k.json");
      await call(page, "setInput", v, "comments-10k.json");
      cold[v].push((await call(page, "inHand", v)).ms);
      await context.close();
    }
  }
  results.cold_10k_in_hand = Object.fromEntries(VARIANTS.map((v) => [v, stats(cold[v])]));
  results.cold_samples = cold;
}

results.loadavg_end = loadavg();
await browser.close();
server.close();

await writeFile(join(OUT, "results.json"), JSON.stringify(results, null, 2) + "\n");

// ---------------------------------------------------------------- the table
if (!results.timing) process.exit(0);
const S = results.sizes;
const fmt = (s) => `${s.median.toFixed(1)} [${s.min.toFixed(1)}–${s.max.toFixed(1)}]`;
const kb = (b) => `${(b / 1024 / 1024).toFixed(1)} MiB`;
const lines = [];
lines.push(`Chromium ${results.browser}, ${results.cpus} CPUs, load average ${results.loadavg_start.map((x) => x.toFixed(1)).join("/")} at start, ${results.loadavg_end.map((x) => x.toFixed(1)).join("/")} at end; ${RUNS} runs after ${WARMUP} warm-up, alternating; times in ms, median [min–max]; first decode: ${results.cold_samples.a.length} fresh pages per variant.`, "");
lines.push("| variant | wasm brotli | Δ vs baseline | Δ comments file only | JS glue brotli (Δ) | 1k in hand | 10k in hand | 10k from Response | 10k, last entry bad (in hand) | 10k first decode, fresh page | wasm memory after one 10k decode, fresh (growth) | JS heap left for GC by that decode |");
lines.push("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
lines.push(`| baseline (no decoder) | ${S.baseline.wasm.brotli} | 0 | 0 | ${S.baseline.js.brotli} (0) | – | – | – | – | – | – | – |`);
for (const v of VARIANTS) {
  const T = results.timing;
  const m = results.memory[v];
  lines.push(
    `| ${results.names[v]} | ${S[v].wasm.brotli} | +${S[v].wasm.brotli - S.baseline.wasm.brotli} | +${S[v + "-comments"].wasm.brotli - S["baseline-comments"].wasm.brotli} | ${S[v].js.brotli} (+${S[v].js.brotli - S.baseline.js.brotli}) | ` +
      `${fmt(T["comments-1k.json"].in_hand[v])} | ${fmt(T["comments-10k.json"].in_hand[v])} | ${fmt(T["comments-10k.json"].response[v])} | ` +
      `${fmt(T["comments-10k-bad.json"].in_hand[v])} | ${fmt(results.cold_10k_in_hand[v])} | ${kb(m.wasm_after)} (+${kb(m.wasm_after - m.wasm_before)}) | ${kb(m.js_heap_growth_no_gc)} |`,
  );
}
const T10 = results.timing["comments-10k.json"], T1 = results.timing["comments-1k.json"];
lines.push("");
lines.push(`B's JSON.parse share (inside its in-hand time): 1k ${fmt(T1.parse_share_b)}, 10k ${fmt(T10.parse_share_b)}; JSON.parse alone in JS: 10k ${fmt(T10.json_parse_alone)}; its object tree holds ${kb(results.memory.json_parse_tree_js_heap)} of JS heap while B decodes.`);
lines.push(`Reading a 10k body from an in-memory Response: binary() ${fmt(T10.read_body.binary)}, JS text() ${fmt(T10.read_body.js_text)}, gloo text() ${fmt(T10.read_body.rust_text)}.`);
const md = lines.join("\n") + "\n";
await writeFile(join(OUT, "results.md"), md);
console.log("\n" + md);
