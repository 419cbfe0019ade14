//! One throttled first load: paint timings, when the article reached the DOM, layout
//! shift, and the bytes it took.

use std::time::Duration;

use serde_json::{json, Value};

use super::browser::Browser;
use super::transfer::{read_resources, Resource};
use super::{Error, APPROACH_COMMENTS_JS};

/// CPU 4x slower, and a slow mobile link: 150 ms latency, 1.6 Mbit/s down, 750 kbit/s up.
const CPU_SLOWDOWN: u32 = 4;
const LATENCY_MS: u32 = 150;
const DOWNLOAD_BYTES_PER_SECOND: u32 = 200_000;
const UPLOAD_BYTES_PER_SECOND: u32 = 93_750;

/// A throttled load of ~250 KB takes a few seconds; this is only a safety net.
const LOAD_PATIENCE: Duration = Duration::from_secs(60);

/// After the page is ready, how long the network must stay quiet: late requests (the
/// comments) and their rendering are over, so LCP and CLS are final.
const SETTLE: Duration = Duration::from_millis(500);

/// Installed before any of the page's own scripts, so nothing is missed: buffered paint
/// and layout-shift entries, when the headline and first paragraph enter the DOM, and
/// fetches in flight (for [`Browser::wait_for_network_idle`]).
const OBSERVERS_JS: &str = r#"
(() => {
  const m = { lcp: null, lcpElement: null, cls: 0, domReady: null, pendingFetches: 0, errors: [] };
  window.__bench = m;
  // Fetches still waiting for a response: the network is not idle while there are any
  // (Resource Timing only shows a request once it has finished).
  const fetch = window.fetch;
  window.fetch = function () {
    m.pendingFetches++;
    const response = fetch.apply(this, arguments);
    const settled = () => { m.pendingFetches--; };
    response.then(settled, settled);
    return response;
  };
  const observe = (type, handle) => {
    try {
      new PerformanceObserver(list => list.getEntries().forEach(handle))
        .observe({ type, buffered: true });
    } catch (e) {
      m.errors.push(type + ': ' + e);
    }
  };
  observe('largest-contentful-paint', e => {
    m.lcp = e.startTime;
    m.lcpElement = e.element ? e.element.tagName.toLowerCase() + (e.element.className ? '.' + e.element.className : '') : null;
  });
  observe('layout-shift', e => {
    if (!e.hadRecentInput) m.cls += e.value;
  });
  const dom = new MutationObserver(() => {
    if (document.querySelector('h1') && document.querySelector('.article-body p')) {
      m.domReady = performance.now();
      dom.disconnect();
    }
  });
  dom.observe(document, { childList: true, subtree: true });
})();
"#;

const READ_METRICS_JS: &str = r#"
const m = window.__bench;
if (!m) return null;
const fcp = performance.getEntriesByName('first-contentful-paint')[0];
return {
  fcp: fcp ? fcp.startTime : null,
  lcp: m.lcp,
  lcpElement: m.lcpElement,
  cls: m.cls,
  domReady: m.domReady,
  errors: m.errors,
};
"#;

/// What is loaded: the app (done when it marks `article-rendered`) or the static
/// snapshot (done when its article is in the DOM).
/// The headline and first paragraph in the DOM, and the load event: the same for the app's
/// prerendered page and the static snapshot, since the app's first load runs no app code.
const READY_JS: &str = "window.__bench && window.__bench.domReady !== null \
     && document.readyState === 'complete'";

/// From the reader reaching the comments to the first of them on screen.
const COMMENTS_SHOWN_JS: &str = r#"
const shown = performance.getEntriesByName('comments-rendered')[0];
return shown ? shown.startTime - window.__approachedComments : null;
"#;

/// What reaching the comments costs after the first load: the island's code and the
/// comments file, and the time until the comments are on screen.
#[derive(Clone, Debug, PartialEq)]
pub struct CommentsLoad {
    pub resources: Vec<Resource>,
    pub to_screen_ms: f64,
}

#[derive(Clone, Debug, PartialEq)]
pub struct LoadSample {
    pub fcp: f64,
    pub lcp: f64,
    /// Which element was the largest contentful paint, e.g. "h1".
    pub lcp_element: Option<String>,
    /// When both the headline and the first body paragraph were in the DOM.
    pub dom_ready: f64,
    pub cls: f64,
    pub resources: Vec<Resource>,
    /// Then scrolling to the comments (measured for the app, not for the static snapshot).
    pub comments: Option<CommentsLoad>,
}

/// Loads `url` in `browser` (which must be fresh: empty cache) under CPU and network
/// throttling and returns what it measured.
pub async fn measure_throttled_load(
    browser: &Browser,
    url: &str,
    then_approach_comments: bool,
) -> Result<LoadSample, Error> {
    throttle(browser).await?;
    browser
        .cdp(
            "Page.addScriptToEvaluateOnNewDocument",
            json!({ "source": OBSERVERS_JS }),
        )
        .await?;
    browser.goto(url).await?;
    browser.wait_for(READY_JS, LOAD_PATIENCE).await?;
    browser.wait_for_network_idle(SETTLE, LOAD_PATIENCE).await?;
    let metrics = browser.js(READ_METRICS_JS).await?;
    let resources = read_resources(browser).await?;
    let mut sample = sample_of(&metrics, resources)?;
    if then_approach_comments {
        sample.comments = Some(approach_comments(browser, &sample.resources).await?);
    }
    Ok(sample)
}

/// Scrolls to the comments and measures what arrives for them, still throttled.
async fn approach_comments(
    browser: &Browser,
    first_load: &[Resource],
) -> Result<CommentsLoad, Error> {
    browser.js(APPROACH_COMMENTS_JS).await?;
    browser
        .wait_for(
            "performance.getEntriesByName('comments-rendered').length > 0",
            LOAD_PATIENCE,
        )
        .await?;
    browser.wait_for_network_idle(SETTLE, LOAD_PATIENCE).await?;
    let to_screen_ms = browser
        .js(COMMENTS_SHOWN_JS)
        .await?
        .as_f64()
        .ok_or("the comments never reached the screen")?;
    let resources = read_resources(browser)
        .await?
        .into_iter()
        .filter(|r| !first_load.iter().any(|f| f.url == r.url))
        .collect();
    Ok(CommentsLoad {
        resources,
        to_screen_ms,
    })
}

async fn throttle(browser: &Browser) -> Result<(), Error> {
    browser.cdp("Network.enable", json!({})).await?;
    browser
        .cdp(
            "Network.emulateNetworkConditions",
            json!({
                "offline": false,
                "latency": LATENCY_MS,
                "downloadThroughput": DOWNLOAD_BYTES_PER_SECOND,
                "uploadThroughput": UPLOAD_BYTES_PER_SECOND,
            }),
        )
        .await?;
    browser
        .cdp(
            "Emulation.setCPUThrottlingRate",
            json!({ "rate": CPU_SLOWDOWN }),
        )
        .await?;
    Ok(())
}

fn sample_of(metrics: &Value, resources: Vec<Resource>) -> Result<LoadSample, Error> {
    if metrics.is_null() {
        return Err("the observers were not installed (window.__bench is missing)".into());
    }
    let errors = &metrics["errors"];
    let number = |key: &str| {
        metrics[key]
            .as_f64()
            .ok_or_else(|| format!("the page reported no {key} (observer errors: {errors})"))
    };
    Ok(LoadSample {
        fcp: number("fcp")?,
        lcp: number("lcp")?,
        lcp_element: metrics["lcpElement"].as_str().map(str::to_owned),
        dom_ready: number("domReady")?,
        cls: number("cls")?,
        resources,
        comments: None,
    })
}
