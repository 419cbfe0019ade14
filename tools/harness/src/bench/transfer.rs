//! Bytes on the wire for one load, per resource, from the Resource Timing API.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use super::browser::Browser;
use super::Error;

/// What Chrome itself adds to the body size for a response's headers in `transferSize`;
/// used as the estimate when `transferSize` is 0.
const HEADER_ESTIMATE_BYTES: f64 = 300.0;

/// What a resource is to the page; the report sums bytes per kind.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Kind {
    Html,
    Css,
    Js,
    Wasm,
    /// The data the page was rendered from (an article, the index), which the page preloads
    /// for the app to take it over with.
    PageData,
    /// Articles the app fetched before the reader asked for them (related articles near the
    /// viewport, links under the pointer or focus).
    PrefetchedArticles,
    CommentsJson,
    /// Photographs (`/media/`): the variants the page's `<picture>` elements chose.
    Images,
    Other,
}

impl Kind {
    pub fn label(self) -> &'static str {
        match self {
            Kind::Html => "HTML",
            Kind::Css => "CSS",
            Kind::Js => "JS",
            Kind::Wasm => "wasm",
            Kind::PageData => "page data JSON (preloaded)",
            Kind::PrefetchedArticles => "articles prefetched (JSON)",
            Kind::CommentsJson => "comments JSON",
            Kind::Images => "images",
            Kind::Other => "other",
        }
    }

    /// A short stable name for the JSON report.
    pub fn key(self) -> &'static str {
        match self {
            Kind::Html => "html",
            Kind::Css => "css",
            Kind::Js => "js",
            Kind::Wasm => "wasm",
            Kind::PageData => "page_data",
            Kind::PrefetchedArticles => "prefetched_articles",
            Kind::CommentsJson => "comments_json",
            Kind::Images => "images",
            Kind::Other => "other",
        }
    }

    pub const ALL: [Kind; 9] = [
        Kind::Html,
        Kind::Css,
        Kind::Js,
        Kind::Wasm,
        Kind::PageData,
        Kind::PrefetchedArticles,
        Kind::CommentsJson,
        Kind::Images,
        Kind::Other,
    ];

    /// What a resource of this kind is when the page preloaded it.
    fn when_preloaded(self) -> Kind {
        match self {
            Kind::PrefetchedArticles => Kind::PageData,
            other => other,
        }
    }

    /// `preloaded`: the page asked for it with `<link rel="preload">`.
    fn of(url: &str, is_document: bool, preloaded: bool) -> Kind {
        let path = url.split(['?', '#']).next().unwrap_or(url);
        if is_document || path.ends_with(".html") {
            Kind::Html
        } else if path.ends_with(".css") {
            Kind::Css
        } else if path.ends_with(".js") || path.ends_with(".mjs") {
            Kind::Js
        } else if path.ends_with(".wasm") {
            Kind::Wasm
        } else if path.contains("/api/articles/") && preloaded {
            Kind::PageData
        } else if path.contains("/api/articles/") {
            Kind::PrefetchedArticles
        } else if path.contains("/api/comments/") {
            Kind::CommentsJson
        } else if path.contains("/media/") {
            Kind::Images
        } else {
            Kind::Other
        }
    }
}

/// One URL fetched during the load.
#[derive(Clone, Debug, PartialEq)]
pub struct Resource {
    pub url: String,
    pub kind: Kind,
    /// Compressed body plus headers.
    pub bytes: f64,
    /// Whether `bytes` is the estimate (encoded body + headers) because `transferSize` was 0.
    pub estimated: bool,
    /// The Content-Encoding it came with ("identity" when none), if it could be told.
    pub encoding: Option<String>,
    pub status: Option<u16>,
    /// The page asked for it early with `<link rel="preload">`.
    pub preloaded: bool,
}

/// Reads every resource the page has loaded so far, including the document itself.
/// Content-Encoding comes from Resource Timing where Chromium exposes it, otherwise from
/// the cached response's headers (a cache hit: nothing more is downloaded or measured).
const READ_ENTRIES_JS: &str = r#"
const done = arguments[arguments.length - 1];
(async () => {
  const entries = [...performance.getEntriesByType('navigation'), ...performance.getEntriesByType('resource')]
    .filter(e => !e.name.startsWith('data:'))
    .map(e => ({
      url: e.name,
      document: e.entryType === 'navigation',
      initiator: e.initiatorType,
      transfer: e.transferSize,
      encoded: e.encodedBodySize,
      status: e.responseStatus ?? null,
      encoding: typeof e.contentEncoding === 'string' ? (e.contentEncoding || 'identity') : null,
    }));
  for (const e of entries) {
    if (e.encoding !== null) continue;
    try {
      const response = await fetch(e.url, { cache: 'force-cache' });
      e.encoding = response.headers.get('content-encoding') || 'identity';
    } catch (_) {}
  }
  done(entries);
})();
"#;

pub async fn read_resources(browser: &Browser) -> Result<Vec<Resource>, Error> {
    let entries = browser.js_async(READ_ENTRIES_JS, vec![]).await?;
    let entries = entries
        .as_array()
        .ok_or("Resource Timing entries are not a list")?;
    Ok(dedupe(entries.iter().map(resource_of).collect()))
}

fn resource_of(entry: &Value) -> Resource {
    let number = |key: &str| entry[key].as_f64().unwrap_or(0.0);
    let url = entry["url"].as_str().unwrap_or_default().to_owned();
    let transfer = number("transfer");
    let estimated = transfer == 0.0;
    let document = entry["document"].as_bool().unwrap_or(false);
    // A `<link>` that fetched something other than the document's stylesheets: a preload.
    let preloaded = !document && entry["initiator"] == "link";
    Resource {
        kind: Kind::of(&url, document, preloaded),
        preloaded,
        url,
        bytes: if estimated {
            number("encoded") + HEADER_ESTIMATE_BYTES
        } else {
            transfer
        },
        estimated,
        encoding: entry["encoding"].as_str().map(str::to_owned),
        status: entry["status"].as_u64().and_then(|s| u16::try_from(s).ok()),
    }
}

/// One row per URL: a preload and the fetch that consumes it show up as two entries but
/// are one download (the second has transferSize 0), so keep the measured one, and call it
/// preloaded if either was.
fn dedupe(resources: Vec<Resource>) -> Vec<Resource> {
    let preloaded: BTreeSet<String> = resources
        .iter()
        .filter(|r| r.preloaded)
        .map(|r| r.url.clone())
        .collect();
    let mut by_url: BTreeMap<String, Resource> = BTreeMap::new();
    for mut resource in resources {
        if preloaded.contains(&resource.url) && !resource.preloaded {
            resource.preloaded = true;
            resource.kind = resource.kind.when_preloaded();
        }
        let replaces = |kept: &Resource| {
            (!resource.estimated)
                .cmp(&!kept.estimated)
                .then(resource.bytes.total_cmp(&kept.bytes))
                .is_gt()
        };
        if by_url.get(&resource.url).is_none_or(replaces) {
            by_url.insert(resource.url.clone(), resource);
        }
    }
    let mut out: Vec<Resource> = by_url.into_values().collect();
    out.sort_by(|a, b| a.kind.cmp(&b.kind).then_with(|| a.url.cmp(&b.url)));
    out
}

/// Total bytes per kind (kinds with no resource are left out).
pub fn bytes_by_kind(resources: &[Resource]) -> BTreeMap<Kind, f64> {
    let mut totals = BTreeMap::new();
    for resource in resources {
        *totals.entry(resource.kind).or_insert(0.0) += resource.bytes;
    }
    totals
}

/// The file names of a kind's resources, e.g. "main-89280c19fcd4a802.css".
pub fn names_of(resources: &[Resource], kind: Kind) -> Vec<String> {
    let mut names: Vec<String> = resources
        .iter()
        .filter(|r| r.kind == kind)
        .map(|r| {
            let path = r.url.split(['?', '#']).next().unwrap_or(&r.url);
            path.rsplit('/').next().unwrap_or(path).to_owned()
        })
        .collect();
    names.dedup();
    names
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn classifies_by_path() {
        assert_eq!(Kind::of("http://h/articles/x", true, false), Kind::Html);
        assert_eq!(Kind::of("http://h/main-1.css", false, false), Kind::Css);
        assert_eq!(Kind::of("http://h/my-garage-1.js", false, true), Kind::Js);
        assert_eq!(
            Kind::of("http://h/my-garage-1_bg.wasm", false, true),
            Kind::Wasm
        );
        assert_eq!(
            Kind::of("http://h/api/articles/x.json?v=1", false, true),
            Kind::PageData
        );
        assert_eq!(
            Kind::of("http://h/api/articles/y.json", false, false),
            Kind::PrefetchedArticles
        );
        assert_eq!(
            Kind::of("http://h/api/comments/x.json", false, false),
            Kind::CommentsJson
        );
        assert_eq!(Kind::of("http://h/favicon.ico", false, false), Kind::Other);
        assert_eq!(
            Kind::of("http://h/media/v/aurus-senat-640.avif", false, false),
            Kind::Images
        );
    }

    #[test]
    fn estimates_zero_transfer_and_keeps_one_row_per_url() {
        let preload = resource_of(&json!({
            "url": "http://h/a_bg.wasm", "document": false, "initiator": "link",
            "transfer": 1300, "encoded": 1000, "status": 200, "encoding": "br"
        }));
        let consumer = resource_of(&json!({
            "url": "http://h/a_bg.wasm", "document": false, "initiator": "fetch",
            "transfer": 0, "encoded": 1000, "status": 200, "encoding": "br"
        }));
        assert!(consumer.estimated);
        assert_eq!(consumer.bytes, 1300.0);
        for both in [
            vec![consumer.clone(), preload.clone()],
            vec![preload.clone(), consumer],
        ] {
            assert_eq!(dedupe(both), std::slice::from_ref(&preload));
        }
    }

    #[test]
    fn data_the_page_preloaded_is_its_own_whichever_entry_was_measured() {
        let entry = |initiator: &str, transfer: u32| {
            resource_of(&json!({
                "url": "http://h/api/articles/x.json", "document": false,
                "initiator": initiator, "transfer": transfer, "encoded": 900,
                "status": 200, "encoding": "br"
            }))
        };
        let kept = dedupe(vec![entry("link", 0), entry("fetch", 1200)]);
        assert_eq!(kept.len(), 1);
        assert_eq!((kept[0].kind, kept[0].bytes), (Kind::PageData, 1200.0));
        assert!(kept[0].preloaded);
        let prefetched = dedupe(vec![entry("fetch", 1200)]);
        assert_eq!(prefetched[0].kind, Kind::PrefetchedArticles);
    }
}
