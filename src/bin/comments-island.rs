//! The comments island. On a prerendered article page the article is already the page, so
//! only its discussion needs code: this binary brings the comment section and the header's
//! comment count to life, and nothing else. The page loads it when the reader nears the
//! comments (the loader is in `Trunk.island.toml`); a reader who only reads the article
//! downloads no app code.

use leptos::prelude::*;
use my_garage::components::comments::{count_suffix, CommentsSection, Discussion};
use my_garage::core::route::Route;
use my_garage::shell::browser::{location_hash, scroll_and_focus};
use my_garage::shell::clock::provide_clock;
use my_garage::shell::navigation::{current_route, provide_fragment_navigation};
use wasm_bindgen::JsCast;

fn main() {
    let Route::Article(slug) = current_route() else {
        return;
    };
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    // The prerendered section holds the place (heading and "Loading comments…") until the
    // live one is in the same spot, the last child of the article layout.
    let Some(placeholder) = document.get_element_by_id("comments") else {
        return;
    };
    let Some(layout) = placeholder.parent_element() else {
        return;
    };
    let count_slot = document
        .query_selector(".comment-prompt .comment-count")
        .ok()
        .flatten();

    leptos::mount::mount_to(layout.unchecked_into(), move || {
        provide_clock();
        provide_fragment_navigation(Route::Article(slug.clone()));
        let discussion = Discussion::start(slug);
        if let Some(slot) = count_slot {
            let count = count_suffix(discussion);
            Effect::new(move |_| slot.set_text_content(count().as_deref()));
        }
        view! { <CommentsSection discussion /> }
    })
    .forget();
    placeholder.remove();
    // A link to "#add-comment" or "#comments" may be what brought the island in: its target
    // exists only now.
    let hash = location_hash();
    if !hash.is_empty() {
        scroll_and_focus(&hash);
    }
}
