use my_garage::components::app::App;

fn main() {
    leptos::mount::mount_to_body(App);
}

/// The app's linear memory in bytes, read by the benchmark (`window.wasmBindings`).
#[cfg(target_arch = "wasm32")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn wasm_memory_bytes() -> f64 {
    core::arch::wasm32::memory_size(0) as f64 * 65_536.0
}
