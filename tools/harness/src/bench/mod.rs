//! The performance benchmark behind `garage-bench` (see `scripts/bench.sh`).
//!
//! Every page of the site is the one Leptos app, prerendered by the build and taken over in
//! the browser. The benchmark measures the release build served as a static host serves it:
//!
//! - each measured page's first load ([`pages`]), throttled as Lighthouse's mobile profile
//!   ([`throttling`]), against a static snapshot of the same page ([`snapshot`]): paints,
//!   layout shift, total blocking time ([`blocking_time`]), when the app is ready, and the
//!   bytes on the wire ([`page_load`], [`transfer`]);
//! - a related article followed in the app, to the new headline painted ([`navigation`]);
//! - the app's wasm, brotli and raw ([`wasm_size`]);
//! - comment threads of 100 to 10,000 comments, unthrottled ([`comment_metrics`]);
//! - what publishing (the pages' heads, the service worker) costs the seed article's first
//!   load, counted on the server against a copy of the build without it ([`publishing`],
//!   [`unpublished`]);
//! - Lighthouse's SEO, best-practices and accessibility scores of the seed article
//!   ([`lighthouse`]).
//!
//! Driving the browser: [`browser`], [`cdp`]. Reporting: [`figures`] (which figures, their
//! budgets), [`stats`], [`report`]. [`run`] puts them together.

pub mod blocking_time;
pub mod browser;
pub mod cdp;
pub mod comment_metrics;
pub mod figures;
pub mod lighthouse;
pub mod navigation;
pub mod page_load;
pub mod pages;
pub mod publishing;
pub mod report;
pub mod run;
pub mod snapshot;
pub mod stats;
pub mod throttling;
pub mod transfer;
pub mod unpublished;
pub mod wasm_size;

/// Anything that stops a measurement; the benchmark then exits non-zero.
pub type Error = Box<dyn std::error::Error + Send + Sync>;

/// True once the app has taken the page over (it sets this with its `app-ready` mark): from
/// then on, links are followed in the page and the comments fetched as the reader nears them.
pub const APP_READY_JS: &str = "document.documentElement.dataset.app === 'ready'";
