//! `/`: every article, newest first.

use super::app::use_site;
use super::status::LoadFailed;
use crate::core::article::{ArticleIndex, Summary};
use crate::core::head::Head;
use crate::core::load_error::ARTICLE_LIST;
use crate::shell::api::fetch_index;
use crate::shell::head;
use crate::state::comment_counts::{comment_count_label, use_comment_counts};
use crate::state::loader::{Load, Loader};
use leptos::prelude::*;

/// `initial`: the index the page was rendered from; without it the page fetches it.
#[component]
pub fn FrontPage(initial: Option<ArticleIndex>) -> impl IntoView {
    let site = use_site();
    let page_head = Head::front(&site.settings, &site.base);
    Effect::new(move |_| head::apply(&page_head));
    let index = Loader::new(initial, || async {
        fetch_index().await.map(|fetched| fetched.value)
    });
    view! {
        {move || match index.state() {
            Load::Loading => view! { <p class="loading" role="status">"Loading articles…"</p> }.into_any(),
            Load::Failed(error) => view! {
                <LoadFailed error what=ARTICLE_LIST retry=move || index.retry() />
            }.into_any(),
            Load::Ready(index) => {
                // With a comment service, every card's count, in one request.
                let slugs: Vec<String> = index.articles.iter().map(|a| a.slug.clone()).collect();
                let (counts, for_counts) = (use_comment_counts(), site.clone());
                Effect::new(move |_| counts.fetch(&for_counts, slugs.clone()));
                view! {
                    <section class="front-page" aria-labelledby="page-heading">
                        <h1 id="page-heading">"Latest from " {site.settings.name.clone()}</h1>
                        <ul class="article-list">
                            {index.articles.into_iter().map(|s| view! { <li><ArticleCard summary=s /></li> }).collect_view()}
                        </ul>
                    </section>
                }.into_any()
            }
        }}
    }
}

#[component]
fn ArticleCard(summary: Summary) -> impl IntoView {
    let href = use_site().article_path(&summary.slug);
    let (counts, slug) = (use_comment_counts(), summary.slug.clone());
    view! {
        <article class="card">
            <h2 class="card-title"><a href=href>{summary.title}</a></h2>
            <p class="card-summary">{summary.summary}</p>
            {move || counts.get(&slug).map(|n| view! {
                <p class="card-comments">{comment_count_label(n)}</p>
            })}
            <time datetime=summary.published.raw.clone()>{summary.published.short_date()}</time>
        </article>
    }
}
