//! My Garage: a motoring-news article reader.
//!
//! `core` is plain Rust (data, decoding, thread building, validation, formatting);
//! `shell` talks to the browser (fetch, storage, timers); `components` wire them to the DOM.

pub mod components;
pub mod core;
pub mod shell;

/// The linear memory in bytes, read by the benchmark (`window.wasmBindings`); exported by
/// both binaries (the app and the comments island).
#[cfg(target_arch = "wasm32")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn wasm_memory_bytes() -> f64 {
    std::arch::wasm32::memory_size(0) as f64 * 65_536.0
}
