//! My Garage: a motoring-news article reader.
//!
//! `core` is plain Rust (data, decoding, thread building, validation, formatting, heads);
//! `state` owns what changes, behind intent methods; `shell` talks to the browser (fetch,
//! storage, history, timers); `components` wire state to the DOM. `boot` starts the app in
//! the browser: it takes a prerendered page over, or renders the route afresh.

#[cfg(target_arch = "wasm32")]
pub mod boot;
pub mod components;
pub mod core;
pub mod shell;
pub mod state;

/// The linear memory in bytes, read by the benchmark (`window.wasmBindings`).
#[cfg(target_arch = "wasm32")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn wasm_memory_bytes() -> f64 {
    std::arch::wasm32::memory_size(0) as f64 * 65_536.0
}
