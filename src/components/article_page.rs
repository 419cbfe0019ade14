//! `/articles/:slug`: the article, a placeholder while it loads, or what went wrong.

use super::article_view::ArticleView;
use super::status::{ArticleSkeleton, LoadFailed};
use crate::core::article::Article;
use crate::core::load_error::{LoadError, ARTICLE};
use crate::shell::task::spawn_owned;
use crate::state::articles::Articles;
use leptos::prelude::*;

/// `initial`: the article the page was rendered from; without it the page fetches it.
/// `navigated` is false on the first page load: focus moves to the headline only after the
/// reader followed a link, not when they arrived.
#[component]
pub fn ArticlePage(slug: String, initial: Option<Article>, navigated: bool) -> impl IntoView {
    let articles = use_context::<Articles>().unwrap_or_default();
    let fetched = initial.is_some();
    let state = RwSignal::new(initial.map(Ok::<_, LoadError>));
    // Each Retry is a new attempt; a run of this effect owns its download, so leaving the
    // page (or retrying) stops the one before.
    let attempt = RwSignal::new(0u32);
    Effect::new(move |_| {
        if attempt.get() == 0 && fetched {
            return;
        }
        if state.with_untracked(Option::is_some) {
            state.set(None);
        }
        let slug = slug.clone();
        spawn_owned(async move {
            let article = articles.load(&slug).await.map(|fetched| fetched.value);
            state.set(Some(article));
        });
    });

    view! {
        {move || match state.get() {
            None => view! { <ArticleSkeleton /> }.into_any(),
            Some(Err(error)) => view! {
                <LoadFailed error what=ARTICLE retry=move || attempt.update(|n| *n += 1) />
            }.into_any(),
            Some(Ok(article)) => view! { <ArticleView article focus_headline=navigated /> }.into_any(),
        }}
    }
}
