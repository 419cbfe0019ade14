//! The page frame: skip link, header, routes, footer.

use super::article_page::ArticlePage;
use super::front_page::FrontPage;
use super::status::NotFound;
use crate::shell::browser::{base_path, focus_id};
use crate::shell::clock::provide_clock;
use leptos::prelude::*;
use leptos_meta::provide_meta_context;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::hooks::use_location;
use leptos_router::path;

pub const SITE_NAME: &str = "My Garage";

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    provide_clock();
    view! {
        <Router base=base_path()>
            <FocusFragmentTarget />
            <a class="skip-link" href="#main">"Skip to main content"</a>
            <header class="site-header">
                <nav class="site-nav" aria-label="Site">
                    <a class="site-name" href=format!("{}/", base_path())>{SITE_NAME}</a>
                </nav>
            </header>
            <main id="main" tabindex="-1">
                <Routes fallback=|| view! { <NotFound /> }>
                    <Route path=path!("/") view=FrontPage />
                    <Route path=path!("/articles/:slug") view=ArticlePage />
                </Routes>
            </main>
            <footer class="site-footer">
                <p>{SITE_NAME} " — motoring news"</p>
            </footer>
        </Router>
    }
}

/// In-page links (skip link, "See all", permalinks) scroll to their target; this also moves
/// keyboard and screen-reader focus there, which scrolling alone does not.
#[component]
fn FocusFragmentTarget() -> impl IntoView {
    let hash = use_location().hash;
    Effect::new(move |_| {
        let fragment = hash.get();
        let id = fragment.trim_start_matches('#');
        if !id.is_empty() {
            focus_id(id);
        }
    });
}
