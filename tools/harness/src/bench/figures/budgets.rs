//! The budgets: bounds on a figure's median, upper bounds unless said otherwise (KB and MB
//! are binary: 1,024 and 1,048,576 bytes).

/// Each page's throttled first load against its static snapshot.
pub const LCP_RATIO: f64 = 1.05;
pub const CLS: f64 = 0.001;
pub const TOTAL_BLOCKING_TIME_MS: f64 = 100.0;
/// Navigation start → `app-ready`, on the seed article.
pub const APP_READY_MS: f64 = 2_500.0;

/// A related article followed in the app: click → new headline painted.
pub const HEADLINE_PAINTED_MS: f64 = 250.0;

/// The app's wasm, brotli, with the comment service's adapter; and where it should get to
/// (shown, not judged).
pub const WASM_BROTLI_BYTES: f64 = 195.0 * 1024.0;
pub const WASM_BROTLI_AIM_BYTES: f64 = 150.0 * 1024.0;

/// The comment budgets hold for a thread this large.
pub const BUDGETED_THREAD: usize = 10_000;
pub const FIRST_BATCH_MS: f64 = 50.0;
pub const SHOW_MORE_MS: f64 = 30.0;
pub const POST_MS: f64 = 16.0;
pub const MEMORY_BYTES: f64 = 12.0 * 1_048_576.0;

/// What publishing adds to the seed article's first load (its page's heads, the service
/// worker and what that worker fetches), brotli, against the same build without them.
pub const PUBLISHING_BYTES: f64 = 3.0 * 1024.0;

/// A thread this large on the comment service: its first page arrived → the first batch
/// painted.
pub const SERVICE_THREAD: usize = 1_000;
pub const SERVICE_FIRST_PAINTED_MS: f64 = 50.0;

/// Lighthouse's scores out of 100 on the seed article: lower bounds.
pub const LIGHTHOUSE_SEO_AT_LEAST: f64 = 100.0;
pub const LIGHTHOUSE_BEST_PRACTICES_AT_LEAST: f64 = 100.0;
