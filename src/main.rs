use my_garage::components::app::App;
use my_garage::core::prerender::PRERENDERED_ID;

fn main() {
    let document = web_sys::window()
        .and_then(|w| w.document())
        .expect("a browser document");
    match (document.get_element_by_id(PRERENDERED_ID), document.body()) {
        // A prerendered page stays on screen while the app renders out of sight; the app
        // swaps itself in once it has something to show (see shell::browser::show_app).
        (Some(_), Some(body)) => {
            let host = document.create_element("div").expect("create element");
            host.set_id("app");
            let _ = host.set_attribute("hidden", "");
            let _ = body.append_child(&host);
            leptos::mount::mount_to(host.unchecked_into(), App).forget();
        }
        _ => leptos::mount::mount_to_body(App),
    }
}

use wasm_bindgen::JsCast;

/// The app's linear memory in bytes, read by the benchmark (`window.wasmBindings`).
#[cfg(target_arch = "wasm32")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn wasm_memory_bytes() -> f64 {
    core::arch::wasm32::memory_size(0) as f64 * 65_536.0
}
