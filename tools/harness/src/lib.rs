//! Test and benchmark harness for My Garage.
//!
//! - [`StaticServer`]: serves the built app (`dist/`) on 127.0.0.1 the way a
//!   production static host would (SPA fallback, precompressed files, cache
//!   headers), with fault injection so end-to-end tests can simulate slow or
//!   failing API responses.
//! - [`precompress_dir`]: writes `.br` / `.gz` siblings for the build output.
//! - [`thread_gen`]: generated comment threads of any size; [`chromium`]: browser flags.

mod cache;
mod canned;
pub mod chromium;
mod encoding;
mod files;
mod mime;
mod precompress;
mod reply;
mod request_path;
mod server;
pub mod thread_gen;

pub use canned::CannedResponse;
pub use precompress::{precompress_dir, PrecompressReport, PrecompressedFile};
pub use server::StaticServer;
