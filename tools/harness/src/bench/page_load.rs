//! One throttled first load of a page, the app's or its static snapshot's, in a fresh
//! browser: paints, layout shift, long tasks, when the app was ready, and the bytes.
//!
//! The load is over when the page is ready (the app: `data-app="ready"` on the root element,
//! set with the `app-ready` mark once it has taken the page over; the snapshot: its load
//! event) and has then been quiet for [`QUIET_WINDOW`]: no long task, no request in flight
//! or finishing. By then LCP, CLS and the long tasks are final (see `blocking_time`), and
//! the bytes are everything the first load fetched, the related articles the app prefetches
//! included.

use std::time::Duration;

use serde_json::{json, Value};

use super::blocking_time::{total_blocking_time, LongTask};
use super::browser::Browser;
use super::throttling::throttle;
use super::transfer::{read_resources, Resource};
use super::{Error, APP_READY_JS};

/// A throttled load of ~250 KB takes a few seconds; this is only a safety net.
const LOAD_PATIENCE: Duration = Duration::from_secs(60);

/// How long the page must stay quiet after it is ready: Lighthouse's window for time to
/// interactive.
pub const QUIET_WINDOW: Duration = Duration::from_secs(5);

/// Installed before any of the page's own scripts, so nothing is missed: paint, layout-shift
/// and long-task entries, and fetches in flight (for [`Browser::wait_until_quiet`]).
const OBSERVERS_JS: &str = r#"
(() => {
  const m = { lcp: null, lcpElement: null, cls: 0, longTasks: [], pendingFetches: 0, errors: [] };
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
  observe('longtask', e => m.longTasks.push({ start: e.startTime, duration: e.duration }));
})();
"#;

const READ_METRICS_JS: &str = r#"
const m = window.__bench;
if (!m) return null;
const fcp = performance.getEntriesByName('first-contentful-paint')[0];
const ready = performance.getEntriesByName('app-ready')[0];
return {
  fcp: fcp ? fcp.startTime : null,
  lcp: m.lcp,
  lcpElement: m.lcpElement,
  cls: m.cls,
  longTasks: m.longTasks,
  appReady: ready ? ready.startTime : null,
  errors: m.errors,
};
"#;

/// What is loaded: the app's page, or its static snapshot.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Version {
    App,
    StaticSnapshot,
}

impl Version {
    /// True once the page is ready.
    fn ready_js(self) -> &'static str {
        match self {
            Version::App => APP_READY_JS,
            Version::StaticSnapshot => "document.readyState === 'complete'",
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct LoadSample {
    pub fcp: f64,
    pub lcp: f64,
    /// Which element was the largest contentful paint, e.g. "h1".
    pub lcp_element: Option<String>,
    pub cls: f64,
    /// Every long task until the page was quiet.
    pub long_tasks: Vec<LongTask>,
    /// Navigation start → the app's `app-ready` mark (`None` for a static snapshot).
    pub app_ready: Option<f64>,
    pub resources: Vec<Resource>,
}

impl LoadSample {
    pub fn total_blocking_time(&self) -> f64 {
        total_blocking_time(&self.long_tasks, self.fcp)
    }
}

/// Throttles `browser` (which must be fresh: empty cache), installs the observers and opens
/// `url`; returns once the page is ready.
pub async fn open_throttled(browser: &Browser, url: &str, version: Version) -> Result<(), Error> {
    throttle(browser).await?;
    browser
        .cdp(
            "Page.addScriptToEvaluateOnNewDocument",
            json!({ "source": OBSERVERS_JS }),
        )
        .await?;
    browser.goto(url).await?;
    browser.wait_for(version.ready_js(), LOAD_PATIENCE).await
}

/// Loads `url` in `browser` (which must be fresh) under throttling, waits until it is ready
/// and quiet, and returns what it measured.
pub async fn measure_throttled_load(
    browser: &Browser,
    url: &str,
    version: Version,
) -> Result<LoadSample, Error> {
    open_throttled(browser, url, version).await?;
    browser
        .wait_until_quiet(QUIET_WINDOW, LOAD_PATIENCE)
        .await?;
    let metrics = browser.js(READ_METRICS_JS).await?;
    let resources = read_resources(browser).await?;
    let sample = sample_of(&metrics, resources)?;
    if version == Version::App && sample.app_ready.is_none() {
        return Err("the app is ready but set no app-ready mark".into());
    }
    Ok(sample)
}

fn sample_of(metrics: &Value, resources: Vec<Resource>) -> Result<LoadSample, Error> {
    if metrics.is_null() {
        return Err("the observers were not installed (window.__bench is missing)".into());
    }
    let errors = &metrics["errors"];
    // A figure the browser could not observe would read as zero: refuse it instead.
    if errors.as_array().is_some_and(|errors| !errors.is_empty()) {
        return Err(format!("the page could not observe its load: {errors}").into());
    }
    let number = |key: &str| {
        metrics[key]
            .as_f64()
            .ok_or_else(|| format!("the page reported no {key}"))
    };
    let long_tasks = metrics["longTasks"]
        .as_array()
        .ok_or("the page reported no list of long tasks")?
        .iter()
        .map(|task| LongTask {
            start: task["start"].as_f64().unwrap_or(0.0),
            duration: task["duration"].as_f64().unwrap_or(0.0),
        })
        .collect();
    Ok(LoadSample {
        fcp: number("fcp")?,
        lcp: number("lcp")?,
        lcp_element: metrics["lcpElement"].as_str().map(str::to_owned),
        cls: number("cls")?,
        long_tasks,
        app_ready: metrics["appReady"].as_f64(),
        resources,
    })
}
