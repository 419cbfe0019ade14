//! A related article followed in the app, throttled: from the reader's click to the new
//! headline painted.
//!
//! The seed article is opened in a fresh, throttled browser. Once the app is ready, the
//! first related link is scrolled into view, as a reader looks at it, and the click waits
//! until the app's prefetch of that article (started as the related list nears the viewport)
//! has finished and the network has been idle for [`READER_PAUSE`]: prefetching is the app's
//! design, and a reader who has scanned the list has given it that time. The click is real
//! input through WebDriver. Its time is the click event's `timeStamp` (the clock of
//! `performance.now()`, when the browser took the input, so waiting for the main thread
//! counts too); the paint is the new headline's Element Timing `renderTime`
//! (`elementtiming="headline"`). The window keeps a marker across the click: if a document
//! had loaded instead, the marker would be gone and the measurement fails.

use std::time::Duration;

use serde_json::json;

use super::browser::Browser;
use super::page_load::{open_throttled, Version};
use super::Error;

/// How long the network must be idle after the prefetch before the reader clicks.
pub const READER_PAUSE: Duration = Duration::from_millis(500);

const PATIENCE: Duration = Duration::from_secs(60);

/// Installed before the page's own scripts: the click's time (a capturing listener on the
/// window runs before the app's own) and every paint of a headline.
const OBSERVERS_JS: &str = r#"
(() => {
  const nav = { clickAt: null, headlines: [], domAt: null, errors: [] };
  window.__benchNavigation = nav;
  addEventListener('click', e => { nav.clickAt = e.timeStamp; }, { capture: true });
  try {
    new PerformanceObserver(list => list.getEntries().forEach(e => {
      if (e.identifier === 'headline') nav.headlines.push(e.renderTime || e.loadTime);
    })).observe({ type: 'element', buffered: true });
  } catch (e) {
    nav.errors.push('element: ' + e);
  }
})();
"#;

/// Scrolls the first related link into view and says which article it leads to.
const LOOK_AT_LINK_JS: &str = r#"
const link = document.querySelector('.related-title');
if (!link) return null;
link.scrollIntoView({ block: 'center' });
return { path: link.pathname, slug: link.pathname.split('/').filter(Boolean).pop() };
"#;

/// Marks the window (a document load would lose the mark) and notes when the headline's
/// text changes in the DOM.
const BEFORE_CLICK_JS: &str = r#"
const nav = window.__benchNavigation;
const old = document.getElementById('headline').textContent;
const watch = new MutationObserver(() => {
  const headline = document.getElementById('headline');
  if (headline && headline.textContent !== old) {
    nav.domAt = performance.now();
    watch.disconnect();
  }
});
watch.observe(document.body, { childList: true, subtree: true, characterData: true });
window.__benchSameDocument = true;
return null;
"#;

/// True once a headline has been painted since the click, or once the window's marker is
/// gone (a document loaded instead: told apart when the result is read).
const PAINTED_JS: &str = "((nav) => !window.__benchSameDocument || (nav && nav.clickAt !== null \
     && nav.headlines.some(t => t >= nav.clickAt)))(window.__benchNavigation)";

const READ_JS: &str = r#"
const nav = window.__benchNavigation;
const painted = nav ? nav.headlines.filter(t => t >= nav.clickAt) : [];
return {
  sameDocument: window.__benchSameDocument === true
    && performance.getEntriesByType('navigation').length === 1,
  path: location.pathname,
  clickAt: nav ? nav.clickAt : null,
  domAt: nav ? nav.domAt : null,
  paintedAt: painted.length ? Math.min(...painted) : null,
  errors: nav ? nav.errors : ['the observers were not installed'],
};
"#;

#[derive(Clone, Debug, PartialEq)]
pub struct NavigationSample {
    /// Navigation start → the related article's prefetch finished.
    pub prefetched_at: f64,
    /// Click → the new headline's text in the DOM.
    pub dom_ms: f64,
    /// Click → the new headline painted.
    pub painted_ms: f64,
}

/// Opens `article_url` (a page with related articles) throttled in `browser` (which must be
/// fresh), follows its first related link and measures.
pub async fn measure_related_click(
    browser: &Browser,
    article_url: &str,
) -> Result<NavigationSample, Error> {
    browser
        .cdp(
            "Page.addScriptToEvaluateOnNewDocument",
            json!({ "source": OBSERVERS_JS }),
        )
        .await?;
    open_throttled(browser, article_url, Version::App).await?;
    let link = browser.js(LOOK_AT_LINK_JS).await?;
    let (Some(path), Some(slug)) = (link["path"].as_str(), link["slug"].as_str()) else {
        return Err("the article has no related link to follow".into());
    };
    // When the related article's prefetch finished (Resource Timing lists a request once it
    // has), or undefined until then.
    let prefetch_end = format!(
        "(performance.getEntriesByType('resource').find(e => \
         new URL(e.name).pathname.endsWith({})) || {{}}).responseEnd",
        serde_json::to_string(&format!("/api/articles/{slug}.json"))?
    );
    browser
        .wait_for(&prefetch_end, PATIENCE)
        .await
        .map_err(|_| format!("the app never prefetched the related article {slug}"))?;
    let prefetched_at = browser
        .js(&format!("return {prefetch_end};"))
        .await?
        .as_f64()
        .ok_or("the prefetch's timing went missing")?;
    browser.wait_until_quiet(READER_PAUSE, PATIENCE).await?;
    browser.js(BEFORE_CLICK_JS).await?;
    browser
        .click(&format!(
            ".related-title[href$={}]",
            serde_json::to_string(path)?
        ))
        .await?;
    browser.wait_for(PAINTED_JS, PATIENCE).await?;
    let result = browser.js(READ_JS).await?;
    if let Some(errors) = result["errors"].as_array().filter(|e| !e.is_empty()) {
        return Err(format!("the page could not observe the navigation: {errors:?}").into());
    }
    if result["sameDocument"] != true {
        return Err(
            format!("following {path} loaded a new document: not an in-app navigation").into(),
        );
    }
    if result["path"] != path {
        return Err(format!(
            "after the click the address is {}, not {path}",
            result["path"]
        )
        .into());
    }
    let at = |key: &str| {
        result[key]
            .as_f64()
            .ok_or_else(|| format!("no {key} after the click"))
    };
    let click = at("clickAt")?;
    Ok(NavigationSample {
        prefetched_at,
        dom_ms: at("domAt")? - click,
        painted_ms: at("paintedAt")? - click,
    })
}
