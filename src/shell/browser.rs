//! Small conveniences over the DOM and the page: base path, focus, scrolling, marks.

use wasm_bindgen::{JsCast, JsValue};

/// The path the app is deployed under, without a trailing slash ("" at the root), read from
/// `<base href>` so one build serves any sub-path that `trunk build --public-url` names.
pub fn base_path() -> String {
    thread_local! {
        // Fixed for the page's life, and read for every link rendered.
        static BASE_PATH: String = read_base_path();
    }
    BASE_PATH.with(Clone::clone)
}

fn read_base_path() -> String {
    let base = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.base_uri().ok().flatten())
        .unwrap_or_default();
    let path = base
        .split_once("://")
        .and_then(|(_, rest)| rest.find('/').map(|i| rest[i..].to_owned()))
        .unwrap_or_default();
    // Without a <base> element the base URI is the page's own URL: drop query and fragment.
    let path = path.split(['?', '#']).next().unwrap_or_default();
    path.trim_end_matches('/').to_owned()
}

/// An article's address; with `#fragment` appended it is an in-page link that stays right
/// under `<base href>` (a bare `#x` would resolve against the base, not the page).
pub fn article_path(slug: &str) -> String {
    format!("{}/articles/{slug}", base_path())
}

/// A download the page's own inline script started before the app's code arrived.
#[derive(Clone, Copy)]
pub enum Preload {
    /// The article's JSON, started by `index.html`.
    Article,
    /// The comments file, started by the comments island's loader with the island's code.
    Comments,
}

impl Preload {
    fn global(self) -> &'static str {
        match self {
            Preload::Article => "__articlePreload",
            Preload::Comments => "__commentsPreload",
        }
    }
}

/// Takes (once) the download `preload` started for `slug`, as the promise of its response;
/// `None` when there is none or it is for another slug (the caller then fetches as usual).
pub fn take_preloaded(preload: Preload, slug: &str) -> Option<js_sys::Promise> {
    let window = web_sys::window()?;
    let global = JsValue::from_str(preload.global());
    let started = js_sys::Reflect::get(&window, &global).ok()?;
    if started.is_undefined() || started.is_null() {
        return None;
    }
    let _ = js_sys::Reflect::set(&window, &global, &JsValue::UNDEFINED);
    let started_slug = js_sys::Reflect::get(&started, &JsValue::from_str("slug"))
        .ok()?
        .as_string()?;
    if started_slug != slug {
        return None;
    }
    js_sys::Reflect::get(&started, &JsValue::from_str("response"))
        .ok()?
        .dyn_into()
        .ok()
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

/// Sets the tab's title and the page's meta description (what a shared link previews).
pub fn set_page_meta(title: &str, description: &str) {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    document.set_title(title);
    let meta = document
        .query_selector("meta[name=description]")
        .ok()
        .flatten()
        .or_else(|| {
            let meta = document.create_element("meta").ok()?;
            meta.set_attribute("name", "description").ok()?;
            document.head()?.append_child(&meta).ok()?;
            Some(meta)
        });
    if let Some(meta) = meta {
        let _ = meta.set_attribute("content", description);
    }
}
