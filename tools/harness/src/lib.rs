//! Test and benchmark harness for My Garage.
//!
//! - [`StaticServer`]: serves the built app (`dist/`) on 127.0.0.1 the way a
//!   production static host would (Cloudflare Pages, checked against its own
//!   runtime), so tests see what users will see: the site's `_redirects` and
//!   `_headers` rules, the nearest `404.html` for a path with no file (or the
//!   SPA fallback when the site has none), precompressed files and cache
//!   headers. Fault injection lets end-to-end tests simulate slow or failing
//!   API responses, and it can collect the browser's Content-Security-Policy
//!   violation reports. It tallies what it sent, in all and per path.
//! - [`thread_gen`]: generated comment threads of any size; [`chromium`]: browser flags.
//! - [`IssoServer`]: the real Isso comment service on loopback, for tests ([`isso`]).

mod cache;
mod canned;
pub mod chromium;
mod csp_reports;
mod custom_headers;
mod files;
pub mod isso;
mod mime;
mod redirects;
mod relay;
mod reply;
mod request_path;
mod server;
mod traffic;
pub use garage_thread_gen as thread_gen;
mod url_pattern;

pub use canned::CannedResponse;
pub use csp_reports::CSP_REPORT_PATH;
pub use isso::{IssoOptions, IssoServer};
pub use relay::Relay;
pub use server::StaticServer;
pub use traffic::PathTraffic;
