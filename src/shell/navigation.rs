//! Client-side navigation on the browser's own History API: links inside the app change the
//! URL with `pushState` instead of loading a page, and Back/Forward restore the route.

use crate::core::route::{strip_base, Route};
use crate::shell::browser::{base_path, location_hash, scroll_and_focus, scroll_to_top};
use leptos::prelude::*;
use wasm_bindgen::JsCast;

/// Where the reader is: the route, the fragment, and how many navigations happened so far
/// (0 on first load: focus moves to a new headline only after a navigation).
#[derive(Clone, Copy)]
pub struct Navigation {
    pub route: Memo<Route>,
    pub hash: ReadSignal<String>,
    pub count: ReadSignal<u32>,
}

fn current_path() -> String {
    web_sys::window()
        .and_then(|w| w.location().pathname().ok())
        .unwrap_or_default()
}

/// The route of the page as loaded.
pub fn current_route() -> Route {
    route_of(&current_path())
}

fn route_of(path: &str) -> Route {
    strip_base(path, &base_path())
        .map(Route::parse)
        .unwrap_or(Route::NotFound)
}

pub fn provide_navigation() -> Navigation {
    let (path, set_path) = signal(current_path());
    let (hash, set_hash) = signal(location_hash());
    let (count, set_count) = signal(0u32);
    let route = Memo::new(move |_| route_of(&path.get()));

    let on_click = window_event_listener(leptos::ev::click, move |event| {
        let Some(href) = internal_link_target(&event) else {
            return;
        };
        event.prevent_default();
        let Some(window) = web_sys::window() else {
            return;
        };
        let new_path = href.split('#').next().unwrap_or_default().to_owned();
        let _ = window
            .history()
            .and_then(|h| h.push_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&href)));
        if new_path != path.get_untracked() {
            set_count.update(|n| *n += 1);
            set_path.set(new_path);
            scroll_to_top();
        }
        let new_hash = location_hash();
        if !new_hash.is_empty() {
            scroll_and_focus(&new_hash);
        }
        set_hash.set(new_hash);
    });
    let on_popstate = window_event_listener(leptos::ev::popstate, move |_| {
        set_count.update(|n| *n += 1);
        set_path.set(current_path());
        set_hash.set(location_hash());
    });
    on_cleanup(move || {
        on_click.remove();
        on_popstate.remove();
    });
    let navigation = Navigation { route, hash, count };
    provide_context(navigation);
    navigation
}

/// For a page that never changes route (a prerendered article with its comments island):
/// follows only the fragment. Links within the page are plain same-document links, so the
/// browser scrolls; this moves keyboard focus to the target too, as the app's navigation does.
pub fn provide_fragment_navigation(route: Route) -> Navigation {
    let (hash, set_hash) = signal(location_hash());
    let on_hashchange = window_event_listener(leptos::ev::hashchange, move |_| {
        let new_hash = location_hash();
        if !new_hash.is_empty() {
            scroll_and_focus(&new_hash);
        }
        set_hash.set(new_hash);
    });
    on_cleanup(move || on_hashchange.remove());
    let navigation = Navigation {
        route: Memo::new(move |_| route.clone()),
        hash,
        count: signal(0).0,
    };
    provide_context(navigation);
    navigation
}

/// The path+query+fragment of a plain left click on a same-origin link inside the app,
/// or `None` when the browser should handle the click itself.
fn internal_link_target(event: &web_sys::MouseEvent) -> Option<String> {
    if event.default_prevented()
        || event.button() != 0
        || event.meta_key()
        || event.ctrl_key()
        || event.shift_key()
        || event.alt_key()
    {
        return None;
    }
    let target: web_sys::Element = event.target()?.dyn_into().ok()?;
    let anchor: web_sys::HtmlAnchorElement = target.closest("a[href]").ok()??.dyn_into().ok()?;
    if !anchor.target().is_empty() || anchor.has_attribute("download") {
        return None;
    }
    let origin = web_sys::window()?.location().origin().ok()?;
    if anchor.origin() != origin {
        return None;
    }
    // A bare "#x" resolves against <base href>, yet means "here": keep the current page.
    if anchor
        .get_attribute("href")
        .is_some_and(|href| href.starts_with('#'))
    {
        let location = web_sys::window()?.location();
        return Some(format!(
            "{}{}{}",
            location.pathname().ok()?,
            location.search().ok()?,
            anchor.hash()
        ));
    }
    let path = anchor.pathname();
    strip_base(&path, &base_path())?;
    Some(format!("{path}{}{}", anchor.search(), anchor.hash()))
}
