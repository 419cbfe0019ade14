//! Navigation in the page on the browser's own History API: links inside the app change the
//! address with `pushState` instead of loading a document, and Back/Forward restore the
//! route. The state is plain signals, so the build renders a page from a route with no
//! browser at all; [`Navigation::listen`] attaches the browser's events once the app runs.

use crate::core::route::{strip_base, Route};
use crate::shell::browser::{location_hash, location_path, scroll_and_focus, scroll_to_top};
use leptos::prelude::*;
use wasm_bindgen::JsCast;

/// Where the reader is: the address, its route and fragment, and how many navigations
/// happened so far (0 on first load: focus moves to a new headline only after a navigation).
#[derive(Clone, Copy)]
pub struct Navigation {
    base: StoredValue<String>,
    path: RwSignal<String>,
    pub hash: RwSignal<String>,
    pub count: RwSignal<u32>,
    pub route: Memo<Route>,
}

/// The route of `path` (base path included) in a deploy under `base`.
pub fn route_of(path: &str, base: &str) -> Route {
    strip_base(path, base)
        .map(Route::parse)
        .unwrap_or(Route::NotFound)
}

impl Navigation {
    /// At `path` (the address's path, base path included) with fragment `hash`.
    pub fn new(base: String, path: String, hash: String) -> Navigation {
        let path = RwSignal::new(path);
        let base = StoredValue::new(base);
        Navigation {
            base,
            path,
            hash: RwSignal::new(hash),
            count: RwSignal::new(0),
            route: Memo::new(move |_| {
                path.with(|path| base.with_value(|base| route_of(path, base)))
            }),
        }
    }

    /// Follows link clicks inside the app and Back/Forward, until the owner is cleaned up.
    pub fn listen(self) {
        let on_click = window_event_listener(leptos::ev::click, move |event| {
            let Some(LinkTarget {
                path: new_path,
                href,
            }) = self.internal_link_target(&event)
            else {
                return;
            };
            event.prevent_default();
            let Some(window) = web_sys::window() else {
                return;
            };
            let _ = window
                .history()
                .and_then(|h| h.push_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&href)));
            if new_path != self.path.get_untracked() {
                self.count.update(|n| *n += 1);
                self.path.set(new_path);
                scroll_to_top();
            }
            let new_hash = location_hash();
            if !new_hash.is_empty() {
                scroll_and_focus(&new_hash);
            }
            self.hash.set(new_hash);
        });
        let on_popstate = window_event_listener(leptos::ev::popstate, move |_| {
            self.count.update(|n| *n += 1);
            self.path.set(location_path());
            self.hash.set(location_hash());
        });
        // A fragment changed by other means (typed into the address bar, an old-style link).
        let on_hashchange = window_event_listener(leptos::ev::hashchange, move |_| {
            let new_hash = location_hash();
            if !new_hash.is_empty() {
                scroll_and_focus(&new_hash);
            }
            self.hash.set(new_hash);
        });
        on_cleanup(move || {
            on_click.remove();
            on_popstate.remove();
            on_hashchange.remove();
        });
    }

    /// The address's path, base path included (links to this page's own parts use it).
    pub fn path(&self) -> String {
        self.path.get()
    }

    pub fn base(&self) -> String {
        self.base.get_value()
    }

    /// Where a plain left click on a same-origin link inside the app leads, or `None` when
    /// the browser should handle the click itself.
    fn internal_link_target(&self, event: &web_sys::MouseEvent) -> Option<LinkTarget> {
        if event.default_prevented()
            || event.button() != 0
            || event.meta_key()
            || event.ctrl_key()
            || event.shift_key()
            || event.alt_key()
        {
            return None;
        }
        let anchor = link_of(event.target()?)?;
        if !anchor.target().is_empty() || anchor.has_attribute("download") {
            return None;
        }
        let origin = web_sys::window()?.location().origin().ok()?;
        if anchor.origin() != origin {
            return None;
        }
        let path = anchor.pathname();
        self.base
            .with_value(|base| strip_base(&path, base).map(drop))?;
        Some(LinkTarget {
            href: format!("{path}{}{}", anchor.search(), anchor.hash()),
            path,
        })
    }
}

/// A link's destination inside the app.
struct LinkTarget {
    /// The path alone, which decides the route: a query string (a campaign's
    /// `?utm_source=…`) stays in the address but never changes the page.
    path: String,
    /// Path, query and fragment, for the address bar.
    href: String,
}

/// The link an event happened in, if any.
pub fn link_of(target: web_sys::EventTarget) -> Option<web_sys::HtmlAnchorElement> {
    let element: web_sys::Element = target.dyn_into().ok()?;
    element.closest("a[href]").ok()??.dyn_into().ok()
}
