//! Small conveniences over the DOM and the page: base path, focus, scrolling, marks.

use crate::core::page::{Prerendered, BASE_META, PAGE_META};
use crate::core::site::{SiteSettings, SETTINGS_ELEMENT};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};

/// The path the app is deployed under, without a trailing slash ("" at the root): the build
/// writes it into every page (`<meta name="my-garage:base">`, from `trunk build
/// --public-url`), so one build serves whatever sub-path it was built for.
pub fn base_path() -> String {
    thread_local! {
        // Fixed for the page's life, and read for every request.
        static BASE_PATH: String = meta_content(BASE_META).unwrap_or_default();
    }
    BASE_PATH.with(Clone::clone)
}

/// The site's settings, as the build wrote them into the page.
pub fn site_settings() -> SiteSettings {
    let text = element_by_id(SETTINGS_ELEMENT).and_then(|element| element.text_content());
    match text.map(|text| SiteSettings::decode(&text)) {
        Some(Ok(settings)) => settings,
        Some(Err(error)) => {
            warn(&format!(
                "My Garage: the page's site settings are invalid ({error})"
            ));
            SiteSettings::fallback()
        }
        None => SiteSettings::fallback(),
    }
}

/// What the build rendered into this page, if it is a prerendered page.
pub fn prerendered_page() -> Option<Prerendered> {
    Prerendered::from_meta(&meta_content(PAGE_META)?)
}

/// The `content` of the page's `<meta name="{name}">`.
pub fn meta_content(name: &str) -> Option<String> {
    web_sys::window()?
        .document()?
        .query_selector(&format!("meta[name=\"{name}\"]"))
        .ok()??
        .get_attribute("content")
}

/// The address bar's path (base path included).
pub fn location_path() -> String {
    web_sys::window()
        .and_then(|w| w.location().pathname().ok())
        .unwrap_or_default()
}

/// Tells the browser console (and so the publisher's developer) something the reader need
/// not see, such as a dropped entry of the data.
pub fn warn(message: &str) {
    web_sys::console::warn_1(&JsValue::from_str(message));
}

pub fn element_by_id(id: &str) -> Option<web_sys::HtmlElement> {
    web_sys::window()?
        .document()?
        .get_element_by_id(id)?
        .dyn_into()
        .ok()
}

/// Moves focus to an element (which should have `tabindex="-1"` if it is not a control).
pub fn focus_id(id: &str) {
    if let Some(element) = element_by_id(id) {
        let _ = element.focus();
    }
}

pub fn scroll_to_top() {
    if let Some(window) = web_sys::window() {
        window.scroll_to_with_x_and_y(0.0, 0.0);
    }
}

/// Scrolls an element into view, centred, and focuses it without a second jump.
pub fn scroll_and_focus(id: &str) {
    if let Some(element) = element_by_id(id) {
        let options = web_sys::ScrollIntoViewOptions::new();
        options.set_block(web_sys::ScrollLogicalPosition::Center);
        element.scroll_into_view_with_scroll_into_view_options(&options);
        let focus = web_sys::FocusOptions::new();
        focus.set_prevent_scroll(true);
        let _ = element.focus_with_options(&focus);
    }
}

/// A User Timing mark, so the benchmark measures what the reader sees.
pub fn mark(name: &str) {
    if let Some(performance) = web_sys::window().and_then(|w| w.performance()) {
        let _ = performance.mark(name);
    }
}

/// The fragment of the current URL, without `#` and percent-decoded, as element ids are
/// written (a comment id may hold any character).
pub fn location_hash() -> String {
    let raw = web_sys::window()
        .and_then(|w| w.location().hash().ok())
        .map(|h| h.trim_start_matches('#').to_owned())
        .unwrap_or_default();
    js_sys::decode_uri_component(&raw)
        .ok()
        .and_then(|s| s.as_string())
        .unwrap_or(raw)
}

thread_local! {
    // One formatter for the page: building an Intl formatter is slow (the browser loads its
    // locale data), and a long thread formats hundreds of dates at once.
    static DATE_TIME_FORMAT: js_sys::Function = {
        let options = js_sys::Object::new();
        let _ = js_sys::Reflect::set(&options, &"dateStyle".into(), &"long".into());
        let _ = js_sys::Reflect::set(&options, &"timeStyle".into(), &"short".into());
        js_sys::Intl::DateTimeFormat::new(&js_sys::Array::new(), &options).format()
    };
}

/// The reader's own locale and zone for "on hover" dates: "20 February 2024, 14:05".
pub fn local_date_time(epoch_ms: i64) -> String {
    let date = js_sys::Date::new(&JsValue::from_f64(epoch_ms as f64));
    DATE_TIME_FORMAT.with(|format| {
        format
            .call1(&JsValue::UNDEFINED, &date)
            .ok()
            .and_then(|s| s.as_string())
            .unwrap_or_default()
    })
}

/// Builds the date formatter now, while the page waits for the network, so the first
/// comments on screen do not pay for it (tens of milliseconds the first time).
pub fn prepare_local_date_time() {
    DATE_TIME_FORMAT.with(|_| ());
}

/// A fresh id for a reader's comment: time plus randomness, unique across tabs.
pub fn new_comment_id(now_ms: i64) -> String {
    let random = (js_sys::Math::random() * 1e12) as u64;
    format!("local-{now_ms:x}-{random:x}")
}

/// Waits `ms` milliseconds, or until the browser says it is back online, whichever comes
/// first.
pub async fn after_or_online(ms: u32) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let mut wake = None;
    let woken = js_sys::Promise::new(&mut |resolve, _| wake = Some(resolve));
    let Some(wake) = wake else {
        return;
    };
    let timer = window
        .set_timeout_with_callback_and_timeout_and_arguments_0(&wake, ms as i32)
        .ok();
    let _ = window.add_event_listener_with_callback("online", &wake);
    let _ = wasm_bindgen_futures::JsFuture::from(woken).await;
    // Whichever came first, the other is no longer wanted.
    let _ = window.remove_event_listener_with_callback("online", &wake);
    if let Some(timer) = timer {
        window.clear_timeout_with_handle(timer);
    }
}

/// Calls `near` once, when the element `id` comes within a screen of the viewport, or at
/// once where that cannot be watched. Dropping the returned guard stops watching.
pub fn when_near(id: &str, near: impl Fn() + 'static) -> Option<NearWatch> {
    let near = std::rc::Rc::new(near);
    let watch = element_by_id(id).and_then(|element| {
        let near = near.clone();
        let callback = Closure::<dyn FnMut(js_sys::Array, web_sys::IntersectionObserver)>::new(
            move |entries: js_sys::Array, observer: web_sys::IntersectionObserver| {
                let intersecting = entries.iter().any(|entry| {
                    entry
                        .unchecked_into::<web_sys::IntersectionObserverEntry>()
                        .is_intersecting()
                });
                if intersecting {
                    observer.disconnect();
                    near();
                }
            },
        );
        let options = web_sys::IntersectionObserverInit::new();
        options.set_root_margin("100% 0px");
        let observer = web_sys::IntersectionObserver::new_with_options(
            callback.as_ref().unchecked_ref(),
            &options,
        )
        .ok()?;
        observer.observe(&element);
        Some(NearWatch {
            observer,
            _callback: callback,
        })
    });
    if watch.is_none() {
        near();
    }
    watch
}

/// An element being watched by [`when_near`].
pub struct NearWatch {
    observer: web_sys::IntersectionObserver,
    _callback: Closure<dyn FnMut(js_sys::Array, web_sys::IntersectionObserver)>,
}

impl Drop for NearWatch {
    fn drop(&mut self) {
        self.observer.disconnect();
    }
}
