//! `/articles/:slug`: loads the article and shows it, a placeholder, or what went wrong.

use super::article_view::ArticleView;
use super::status::{ArticleSkeleton, LoadFailed};
use crate::core::article::Article;
use crate::core::load_error::LoadError;
use crate::shell::api::fetch_article;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_params_map;

type Loaded = Option<Result<Article, LoadError>>;

#[component]
pub fn ArticlePage() -> impl IntoView {
    let params = use_params_map();
    let slug = Memo::new(move |_| params.read().get("slug").unwrap_or_default());
    let state = RwSignal::<Loaded>::new(None);
    // Each load has a number, so a slow answer for a page the reader left is dropped.
    let generation = StoredValue::new(0u32);
    // Focus moves to the headline only after client-side navigation, not on first load.
    let loads = StoredValue::new(0u32);

    let load = move || {
        let this = generation.get_value() + 1;
        generation.set_value(this);
        state.set(None);
        let slug = slug.get_untracked();
        spawn_local(async move {
            let result = fetch_article(slug).await;
            if generation.get_value() == this {
                state.set(Some(result));
            }
        });
    };
    Effect::new(move |_| {
        slug.track();
        load();
    });

    view! {
        {move || match state.get() {
            None => view! { <ArticleSkeleton /> }.into_any(),
            Some(Err(error)) => view! { <LoadFailed error what="article" retry=move || load() /> }.into_any(),
            Some(Ok(article)) => {
                let navigated = loads.get_value() > 0;
                loads.update_value(|n| *n += 1);
                view! { <ArticleView article focus_headline=navigated /> }.into_any()
            }
        }}
    }
}
