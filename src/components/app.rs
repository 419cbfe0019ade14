//! The page frame: skip link, header, the current route, footer.

use super::article_page::ArticlePage;
use super::front_page::FrontPage;
use super::status::NotFound;
use crate::core::route::Route;
use crate::shell::browser::base_path;
use crate::shell::clock::provide_clock;
use crate::shell::navigation::provide_navigation;
use leptos::prelude::*;

pub const SITE_NAME: &str = "My Garage";

#[component]
pub fn App() -> impl IntoView {
    provide_clock();
    let navigation = provide_navigation();
    view! {
        <a class="skip-link" href="#main">"Skip to main content"</a>
        <header class="site-header">
            <nav class="site-nav" aria-label="Site">
                <a class="site-name" href=format!("{}/", base_path())>{SITE_NAME}</a>
            </nav>
        </header>
        <main id="main" tabindex="-1">
            {move || match navigation.route.get() {
                Route::Front => view! { <FrontPage /> }.into_any(),
                Route::Article(slug) => {
                    let navigated = navigation.count.get_untracked() > 0;
                    view! { <ArticlePage slug navigated /> }.into_any()
                }
                Route::NotFound => view! { <NotFound /> }.into_any(),
            }}
        </main>
        <footer class="site-footer">
            <p>{SITE_NAME} " — motoring news"</p>
        </footer>
    }
}
