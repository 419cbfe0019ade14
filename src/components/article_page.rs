//! `/articles/:slug`: the article, a placeholder while it loads, or what went wrong.

use super::article_view::ArticleView;
use super::status::{ArticleSkeleton, LoadFailed};
use crate::core::article::Article;
use crate::core::load_error::ARTICLE;
use crate::state::articles::Articles;
use crate::state::loader::{Load, Loader};
use leptos::prelude::*;

/// `initial`: the article the page was rendered from; without it the page fetches it.
/// `navigated` is false on the first page load: focus moves to the headline only after the
/// reader followed a link, not when they arrived.
#[component]
pub fn ArticlePage(slug: String, initial: Option<Article>, navigated: bool) -> impl IntoView {
    let articles = use_context::<Articles>().unwrap_or_default();
    let article = Loader::new(initial, move || {
        let slug = slug.clone();
        async move { articles.load(&slug).await.map(|fetched| fetched.value) }
    });
    view! {
        {move || match article.state() {
            Load::Loading => view! { <ArticleSkeleton /> }.into_any(),
            Load::Failed(error) => view! {
                <LoadFailed error what=ARTICLE retry=move || article.retry() />
            }.into_any(),
            Load::Ready(article) => view! { <ArticleView article focus_headline=navigated /> }.into_any(),
        }}
    }
}
