//! Comments at scale, unthrottled: rendering the first batch, "Show more comments",
//! posting, and the memory the page holds once the thread has loaded.
//!
//! The app fetches an article's comments when the reader nears them, so each load waits for
//! the app to be ready and then scrolls to `#comments`, as a reader does.

use std::time::Duration;

use serde_json::{json, Value};

use super::browser::Browser;
use super::{Error, APP_READY_JS};

/// Decoding and building a thread of 10,000 comments may take a while on a busy machine.
const LOAD_PATIENCE: Duration = Duration::from_secs(120);

/// Scrolls to the comments as a reader does, which has the app fetch them.
const APPROACH_COMMENTS_JS: &str = r#"
document.getElementById('comments').scrollIntoView();
return null;
"#;

/// From the comments response having arrived to the first batch painted (the app's marks),
/// the phases in between, each from the mark before it, and on to the whole first page
/// (the rest of the top-level comments and the replies) painted a frame later. Null where a
/// mark is missing.
const FIRST_BATCH_JS: &str = r#"
const at = name => {
  const entry = performance.getEntriesByName(name)[0];
  return entry ? entry.startTime : null;
};
const marks = ['comments-arrived', 'comments-decoded', 'comments-thread-built',
  'comments-dom-updated', 'comments-rendered', 'comments-page-rendered'].map(at);
const since = (a, b) => marks[a] !== null && marks[b] !== null ? marks[b] - marks[a] : null;
return {
  total: since(0, 4),
  phases: [since(0, 1), since(1, 2), since(2, 3), since(3, 4)],
  page: since(0, 5),
};
"#;

/// From the comments' arrival to the first comment text painted, as the browser reports it
/// (Element Timing: the app marks comment bodies `elementtiming`). `painted` is null when the
/// build marks none.
const PAINTED_JS: &str = r#"
const done = arguments[arguments.length - 1];
const arrived = performance.getEntriesByName('comments-arrived')[0];
const observer = new PerformanceObserver(list => {
  const times = list.getEntries().filter(e => e.identifier === 'comment').map(e => e.renderTime || e.loadTime);
  observer.disconnect();
  done({ painted: arrived && times.length ? Math.min(...times) - arrived.startTime : null });
});
observer.observe({ type: 'element', buffered: true });
setTimeout(() => { observer.disconnect(); done({ painted: null }); }, 1000);
"#;

/// JS heap (precise with --enable-precise-memory-info) and the wasm linear memory, which
/// the app exports as `wasm_memory_bytes` (null on builds without it).
const MEMORY_JS: &str = r#"
const bindings = window.wasmBindings;
const wasm = bindings && typeof bindings.wasm_memory_bytes === 'function'
  ? Number(bindings.wasm_memory_bytes()) : null;
return { heap: performance.memory ? performance.memory.usedJSHeapSize : null, wasm };
"#;

/// Waits for `done_when()` after an action taken at `t`: microtasks first (a reactive
/// update may land in one), then tasks. Shared by the interaction scripts below.
const WAIT_HELPER_JS: &str = r#"
const settle = async (t, doneWhen) => {
  for (let spins = 0; !doneWhen(); spins++) {
    if (performance.now() - t > 10000) return null;
    await (spins < 1000 ? Promise.resolve() : new Promise(r => setTimeout(r, 0)));
  }
  return performance.now() - t;
};
"#;

/// Clicks "Show more comments" and times the DOM update (not the paint after it).
const SHOW_MORE_JS: &str = r#"
const done = arguments[arguments.length - 1];
(async () => {
  const button = document.querySelector('.comments .show-more');
  if (!button) return done({ error: 'there is no "Show more comments" button' });
  const count = () => document.querySelectorAll('.comment-list > li').length;
  const before = count();
  const t = performance.now();
  button.click();
  const ms = await settle(t, () => count() > before);
  done(ms === null ? { error: 'the comment list never grew' } : { ms });
})();
"#;

/// Types a comment the way a reader does (value + input event), then times from the
/// click on "Post comment" until the comment is in the DOM.
const POST_JS: &str = r#"
const body = arguments[0];
const done = arguments[arguments.length - 1];
(async () => {
  const form = document.querySelector('#add-comment');
  if (!form) return done({ error: 'there is no #add-comment form' });
  const type = (field, value) => {
    field.value = value;
    field.dispatchEvent(new Event('input', { bubbles: true }));
  };
  type(form.querySelector('input'), 'Bench Reader');
  type(form.querySelector('textarea'), body);
  // Let the form take in what was typed before the timed part starts.
  await new Promise(r => setTimeout(r, 0));
  // The reader's own comments are marked .mine: look there first, it is much cheaper
  // than reading the text of every comment on the page.
  const shown = () => {
    const mine = document.querySelectorAll('.comment.mine');
    const candidates = mine.length ? mine : document.querySelectorAll('.comment');
    return [...candidates].some(c => c.textContent.includes(body));
  };
  const t = performance.now();
  form.querySelector('button[type=submit]').click();
  const ms = await settle(t, shown);
  done(ms === null ? { error: 'the posted comment never appeared' } : { ms });
})();
"#;

/// The figures of one page load with a large thread.
#[derive(Clone, Debug, PartialEq)]
pub struct CommentSample {
    pub first_batch_ms: f64,
    /// Where the first batch's time went: decoding, building the thread, updating the DOM,
    /// and waiting for the frame that paints it.
    pub first_batch_phases: FirstBatchPhases,
    /// The first batch's text painted (Element Timing), which comes a little after
    /// `first_batch_ms` (set at the animation frame, before that frame's layout and paint).
    /// `None` when the build marks no comment for Element Timing.
    pub first_painted_ms: Option<f64>,
    /// The whole first page: every top-level comment of it, and the replies.
    pub first_page_ms: f64,
    pub show_more_ms: f64,
    pub post_ms: f64,
    pub js_heap_bytes: f64,
    /// `None` when the build does not export `wasm_memory_bytes`.
    pub wasm_bytes: Option<f64>,
}

/// The app's marks between the comments arriving and the first batch on screen
/// (NaN where the build sets no such mark).
#[derive(Clone, Debug, PartialEq)]
pub struct FirstBatchPhases {
    pub decode_ms: f64,
    pub build_ms: f64,
    pub dom_ms: f64,
    pub frame_ms: f64,
}

/// Loads `url` (whose comments the server answers with a large thread) and measures.
/// `unique` makes the posted comment's text unique on the page.
pub async fn measure_comments(
    browser: &Browser,
    url: &str,
    unique: &str,
) -> Result<CommentSample, Error> {
    browser.goto(url).await?;
    browser.wait_for(APP_READY_JS, LOAD_PATIENCE).await?;
    browser.js(APPROACH_COMMENTS_JS).await?;
    browser
        .wait_for(
            "performance.getEntriesByName('comments-page-rendered').length > 0",
            LOAD_PATIENCE,
        )
        .await?;
    let first_batch = browser.js(FIRST_BATCH_JS).await?;
    let first_batch_ms = first_batch["total"]
        .as_f64()
        .ok_or("the page has no comments-arrived or comments-rendered mark")?;
    let first_page_ms = first_batch["page"]
        .as_f64()
        .ok_or("the page has no comments-page-rendered mark")?;
    let phase = |i: usize| first_batch["phases"][i].as_f64().unwrap_or(f64::NAN);
    let first_batch_phases = FirstBatchPhases {
        decode_ms: phase(0),
        build_ms: phase(1),
        dom_ms: phase(2),
        frame_ms: phase(3),
    };
    let first_painted_ms = browser.js_async(PAINTED_JS, vec![]).await?["painted"].as_f64();
    // Memory right after loading, without garbage the load left behind.
    browser
        .cdp("HeapProfiler.collectGarbage", json!({}))
        .await?;
    let memory = browser.js(MEMORY_JS).await?;
    let js_heap_bytes = memory["heap"]
        .as_f64()
        .ok_or("performance.memory is not available")?;
    let show_more_ms = timed(browser, SHOW_MORE_JS, vec![]).await?;
    let body = format!("Benchmark comment {unique}: does the thread keep up?");
    let post_ms = timed(browser, POST_JS, vec![body.into()]).await?;
    Ok(CommentSample {
        first_batch_ms,
        first_batch_phases,
        first_painted_ms,
        first_page_ms,
        show_more_ms,
        post_ms,
        js_heap_bytes,
        wasm_bytes: memory["wasm"].as_f64(),
    })
}

/// Runs one of the interaction scripts and returns its `ms`.
async fn timed(browser: &Browser, script: &str, args: Vec<Value>) -> Result<f64, Error> {
    let result = browser
        .js_async(&format!("{WAIT_HELPER_JS}{script}"), args)
        .await?;
    result["ms"].as_f64().ok_or_else(|| {
        let error = result["error"].as_str().unwrap_or("no result");
        error.to_owned().into()
    })
}
