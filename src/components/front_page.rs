//! `/`: every article, newest first.

use super::status::LoadFailed;
use crate::core::article::Summary;
use crate::core::load_error::ARTICLE_LIST;
use crate::shell::api::fetch_index;
use crate::shell::browser::{article_path, set_page_meta};
use leptos::prelude::*;

#[component]
pub fn FrontPage() -> impl IntoView {
    let index = LocalResource::new(fetch_index);
    set_page_meta(
        "My Garage — motoring news",
        "The latest motoring news, reviews and advice from My Garage.",
    );
    view! {
        {move || match index.get() {
            None => view! { <p class="loading" role="status">"Loading articles…"</p> }.into_any(),
            Some(Err(error)) => view! {
                <LoadFailed error what=ARTICLE_LIST retry=move || index.refetch() />
            }.into_any(),
            Some(Ok(index)) => view! {
                <section class="front-page" aria-labelledby="page-heading">
                    <h1 id="page-heading">"Latest from My Garage"</h1>
                    <ul class="article-list">
                        {index.articles.into_iter().map(|s| view! { <li><ArticleCard summary=s /></li> }).collect_view()}
                    </ul>
                </section>
            }.into_any(),
        }}
    }
}

#[component]
fn ArticleCard(summary: Summary) -> impl IntoView {
    view! {
        <article class="card">
            <h2 class="card-title"><a href=article_path(&summary.slug)>{summary.title}</a></h2>
            <p class="card-summary">{summary.summary}</p>
            <time datetime=summary.published.raw.clone()>{summary.published.short_date()}</time>
        </article>
    }
}
