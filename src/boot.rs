//! Starting the app in the browser. A prerendered page that is the route's view as the app
//! would render it is taken over as it is (hydrated: no node replaced, so scroll position,
//! focus and selection stay); any other page (a host's fallback page for an article
//! published after the build, or data changed since the build) is rendered afresh.

use crate::components::app::{App, Site, Start};
use crate::core::page::{take_over_retry_ms, Prerendered, TakeOver};
use crate::core::route::Route;
use crate::shell::api::fetch_route_data;
use crate::shell::browser::{
    after_or_online, base_path, location_hash, location_path, prerendered_page, site_settings, warn,
};
use crate::shell::navigation::route_of;
use crate::shell::task::yield_to_browser;
use leptos::prelude::*;

/// Starts the app on the page the browser has.
pub fn start() {
    let base = base_path();
    let path = location_path();
    let route = route_of(&path, &base);
    let start = Start {
        site: Site::new(site_settings(), &base),
        path,
        hash: location_hash(),
        initial: None,
    };
    match Prerendered::take_over(prerendered_page().as_ref(), &route) {
        TakeOver::Now => hydrate(start),
        TakeOver::Render => render(start),
        TakeOver::IfDataMatches { digest } => {
            wasm_bindgen_futures::spawn_local(take_over_with_data(start, route, digest))
        }
    }
}

/// (Spawned with wasm-bindgen's own executor: Leptos's starts with the app.)
/// Fetches the data the page was rendered from (the page asked for it early: see its
/// `my-garage:data` meta, which the loader preloads), then takes the page over if it is
/// the same data. Until the data comes, the page reads as it is and its links work as plain
/// links; a failure that may pass (a 503, a timeout, the network) is tried again, with a
/// growing pause, for as long as the page is open, and at once when the browser is back
/// online.
async fn take_over_with_data(mut start: Start, route: Route, digest: String) {
    let Some(data) = route.data() else {
        return render(start);
    };
    let mut attempt = 0;
    let fetched =
        loop {
            match fetch_route_data(&data).await {
                Ok(fetched) => break fetched,
                Err(error) => {
                    let retry = error.is_retryable();
                    if attempt == 0 || !retry {
                        warn(&format!(
                        "My Garage: the page's data could not be loaded ({}); it stays as it is{}",
                        error.message(crate::core::load_error::ARTICLE),
                        if retry { ", and the app tries again" } else { "" }
                    ));
                    }
                    if !retry {
                        return;
                    }
                    after_or_online(take_over_retry_ms(attempt)).await;
                    attempt += 1;
                }
            }
        };
    start.initial = Some(fetched.value);
    // Decoding the data and taking the page over are two tasks, not one long one.
    yield_to_browser().await;
    if fetched.digest == digest {
        hydrate(start);
    } else {
        // Published again since the build: the page shows the new version.
        render(start);
    }
}

fn hydrate(start: Start) {
    leptos::mount::hydrate_body(move || view! { <App start /> });
}

fn render(start: Start) {
    if let Some(body) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.body())
    {
        body.set_text_content(None);
    }
    leptos::mount::mount_to_body(move || view! { <App start /> });
}
