//! My Garage: a motoring-news article reader.
//!
//! `core` is plain Rust (data, decoding, thread building, validation, formatting);
//! `shell` talks to the browser (fetch, storage, timers); `components` wire them to the DOM.

pub mod components;
pub mod core;
pub mod shell;
