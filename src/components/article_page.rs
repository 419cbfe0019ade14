//! `/articles/:slug`: loads the article and shows it, a placeholder, or what went wrong.

use super::article_view::ArticleView;
use super::status::{ArticleSkeleton, LoadFailed};
use crate::core::article::Article;
use crate::core::load_error::{LoadError, ARTICLE};
use crate::shell::api::fetch_article;
use leptos::prelude::*;
use leptos::task::spawn_local;

type Loaded = Option<Result<Article, LoadError>>;

/// `navigated` is false on the first page load: focus moves to the headline only after the
/// reader followed a link, not when they arrived.
#[component]
pub fn ArticlePage(slug: String, navigated: bool) -> impl IntoView {
    let state = RwSignal::<Loaded>::new(None);
    // Each load has a number, so a slow answer to a superseded request is dropped.
    let generation = StoredValue::new(0u32);
    let slug = StoredValue::new(slug);

    let load = move || {
        let this = generation.get_value() + 1;
        generation.set_value(this);
        state.set(None);
        spawn_local(async move {
            let result = fetch_article(slug.get_value()).await;
            if generation.get_value() == this {
                state.set(Some(result));
            }
        });
    };
    load();

    view! {
        {move || match state.get() {
            None => view! { <ArticleSkeleton /> }.into_any(),
            Some(Err(error)) => view! { <LoadFailed error what=ARTICLE retry=move || load() /> }.into_any(),
            Some(Ok(article)) => view! { <ArticleView article focus_headline=navigated /> }.into_any(),
        }}
    }
}
