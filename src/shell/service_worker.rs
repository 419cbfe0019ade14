//! The service worker the build wrote (release builds only: see `tools/site`), so the
//! articles a reader opens can be read again offline: registering it, and asking it to keep
//! the pages the reader opens.

use super::browser::{meta_content, warn};
use crate::core::page::SERVICE_WORKER_META;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

pub fn register() {
    let Some(url) = meta_content(SERVICE_WORKER_META) else {
        return;
    };
    let Some(navigator) = web_sys::window().map(|w| w.navigator()) else {
        return;
    };
    // Absent outside secure contexts (and in some privacy modes): offline reading is then
    // simply not there.
    if !js_sys::Reflect::has(&navigator, &JsValue::from_str("serviceWorker")).unwrap_or(false) {
        return;
    }
    let registered = navigator.service_worker().register(&url);
    wasm_bindgen_futures::spawn_local(async move {
        if JsFuture::from(registered).await.is_err() {
            warn("My Garage: the service worker could not be registered; offline reading is off");
        }
    });
}

/// Asks the worker, once it runs, to keep the page at `path` (and, for an article, its data
/// and comments) for reading offline. Pages reached within the app are never requested as
/// pages, and the first one came before the worker ran: the worker cannot see them itself.
pub fn keep(path: &str) {
    let Some(navigator) = web_sys::window().map(|w| w.navigator()) else {
        return;
    };
    if !js_sys::Reflect::has(&navigator, &JsValue::from_str("serviceWorker")).unwrap_or(false)
        || meta_content(SERVICE_WORKER_META).is_none()
    {
        return;
    }
    let Ok(ready) = navigator.service_worker().ready() else {
        return;
    };
    let path = JsValue::from_str(path);
    wasm_bindgen_futures::spawn_local(async move {
        let Ok(registration) = JsFuture::from(ready).await else {
            return;
        };
        let registration: web_sys::ServiceWorkerRegistration = registration.unchecked_into();
        if let Some(worker) = registration.active() {
            let _ = worker.post_message(&path);
        }
    });
}
