//! The performance benchmark behind `garage-bench` (see `scripts/bench.sh`).
//!
//! Modules by concern: driving the browser ([`browser`], [`cdp`]), measuring a page load
//! ([`page_metrics`], [`transfer`]), the static baseline ([`snapshot`]), comments at scale
//! ([`comment_metrics`]), and reporting ([`figures`], [`stats`],
//! [`report`]). [`run`] puts them together.

pub mod browser;
pub mod cdp;
pub mod comment_metrics;
pub mod figures;
pub mod page_metrics;
pub mod report;
pub mod run;
pub mod snapshot;
pub mod stats;
pub mod transfer;

/// Anything that stops a measurement; the benchmark then exits non-zero.
pub type Error = Box<dyn std::error::Error + Send + Sync>;

/// The article every measurement loads.
pub const SEED_SLUG: &str = "putin-presents-new-luxury-car-to-kim-jong-un";

pub fn seed_path() -> String {
    format!("/articles/{SEED_SLUG}")
}

/// Scrolls to the comments as a reader does, which brings in the comments island on a
/// prerendered page, and notes when (`window.__approachedComments`).
pub const APPROACH_COMMENTS_JS: &str = r#"
window.__approachedComments = performance.now();
document.getElementById('comments').scrollIntoView();
return null;
"#;
