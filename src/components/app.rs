//! The page frame: skip link, header, the current route, footer. The same component renders
//! every page at build time (natively, to HTML) and runs it in the browser.

use super::article_page::ArticlePage;
use super::front_page::FrontPage;
use super::status::NotFound;
use crate::core::route::{article_path, front_path, Route, RouteContent};
use crate::core::site::SiteSettings;
use crate::shell::browser::mark;
use crate::shell::clock::provide_clock;
use crate::shell::navigation::{link_of, route_of, Navigation};
use crate::shell::service_worker;
use crate::shell::task::next_task;
use crate::state::articles::Articles;
use crate::state::comment_counts::CommentCounts;
use leptos::prelude::*;
use std::sync::Arc;

/// The site's settings and the deploy's base path, for every component.
#[derive(Clone, Debug)]
pub struct Site {
    pub settings: Arc<SiteSettings>,
    /// "" at the root, or "/sub".
    pub base: Arc<str>,
}

impl Site {
    pub fn new(settings: SiteSettings, base: &str) -> Site {
        Site {
            settings: Arc::new(settings),
            base: base.into(),
        }
    }

    pub fn article_path(&self, slug: &str) -> String {
        article_path(&self.base, slug)
    }

    pub fn front_path(&self) -> String {
        front_path(&self.base)
    }
}

pub fn use_site() -> Site {
    use_context::<Site>().unwrap_or_else(|| Site::new(SiteSettings::fallback(), ""))
}

/// Everything the app's first render depends on: the same in the build and in the browser
/// for a page to be taken over as it is.
#[derive(Clone, Debug)]
pub struct Start {
    pub site: Site,
    /// The address's path, base path included.
    pub path: String,
    /// The address's fragment, without `#`.
    pub hash: String,
    /// The data the first page is rendered from, when the build (or the app, before taking
    /// a prerendered page over) already has it (see `core::route`).
    pub initial: Option<RouteContent>,
}

#[component]
pub fn App(start: Start) -> impl IntoView {
    let Start {
        site,
        path,
        hash,
        initial,
    } = start;
    provide_context(site.clone());
    provide_clock();
    let navigation = Navigation::new(site.base.to_string(), path, hash);
    provide_context(navigation);
    let articles = Articles::new();
    provide_context(articles);
    provide_context(CommentCounts::new());
    // Each page the reader opens is kept for reading offline.
    Effect::new(move |_| service_worker::keep(&navigation.path()));
    Effect::new(move |_| {
        navigation.listen();
        // From here a click on a link is handled in the page: the benchmark and the tests
        // wait for this.
        mark("app-ready");
        // What can wait, in a task of its own (see `next_task`).
        next_task(move || {
            prefetch_on_intent(articles, navigation);
            service_worker::register();
        });
        if let Some(root) = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.document_element())
        {
            let _ = root.set_attribute("data-app", "ready");
        }
    });
    // The first page's data is used once: a later visit to the same route fetches afresh.
    let initial = StoredValue::new(initial);
    let name = site.settings.name.clone();
    let footer = if site.settings.tagline.is_empty() {
        name.clone()
    } else {
        format!("{name} — {}", site.settings.tagline)
    };
    view! {
        <a class="skip-link" href="#main">"Skip to main content"</a>
        <header class="site-header">
            <nav class="site-nav" aria-label="Site">
                <a class="site-name" href=site.front_path()>{name}</a>
            </nav>
        </header>
        <main id="main" tabindex="-1">
            {move || {
                let route = navigation.route.get();
                let first = initial
                    .try_update_value(Option::take)
                    .flatten()
                    .filter(|content| content.is_for(&route));
                match (route, first) {
                    (Route::List(list), first) => {
                        let navigated = navigation.count.get_untracked() > 0;
                        let initial = match first {
                            Some(RouteContent::List(index)) => Some(index),
                            _ => None,
                        };
                        view! { <FrontPage list initial navigated /> }.into_any()
                    }
                    (Route::Article(slug), first) => {
                        let navigated = navigation.count.get_untracked() > 0;
                        let initial = match first {
                            Some(RouteContent::Article(article)) => Some(*article),
                            _ => None,
                        };
                        view! { <ArticlePage slug initial navigated /> }.into_any()
                    }
                    (Route::NotFound, _) => view! { <NotFound /> }.into_any(),
                }
            }}
        </main>
        <footer class="site-footer">
            <p>{footer}</p>
        </footer>
    }
}

/// Fetches an article before the reader opens it: when a link to it is under the pointer
/// or the keyboard focus (related articles are also fetched as they come near: see
/// `article_view`).
fn prefetch_on_intent(articles: Articles, navigation: Navigation) {
    let base = navigation.base();
    let slug_of =
        move |target: Option<web_sys::EventTarget>| article_slug_of_link(&link_of(target?)?, &base);
    let on_pointer = {
        let slug_of = slug_of.clone();
        window_event_listener(leptos::ev::pointerover, move |event| {
            if let Some(slug) = slug_of(event.target()) {
                articles.prefetch(&slug);
            }
        })
    };
    let on_focus = window_event_listener(leptos::ev::focusin, move |event| {
        if let Some(slug) = slug_of(event.target()) {
            articles.prefetch(&slug);
        }
    });
    on_cleanup(move || {
        on_pointer.remove();
        on_focus.remove();
    });
}

/// The article a link leads to, if it leads to one in this deploy.
pub fn article_slug_of_link(link: &web_sys::HtmlAnchorElement, base: &str) -> Option<String> {
    match route_of(&link.pathname(), base) {
        Route::Article(slug) => Some(slug),
        _ => None,
    }
}
