//! `/`: every article, newest first.

use super::app::use_site;
use super::article_view::Picture;
use super::status::LoadFailed;
use crate::core::article::{ArticleIndex, Image, Summary};
use crate::core::head::{image_size, variants_of, Head};
use crate::core::load_error::ARTICLE_LIST;
use crate::core::media;
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
    let site = use_site();
    let (href, base) = (site.article_path(&summary.slug), site.base.clone());
    let (counts, slug) = (use_comment_counts(), summary.slug.clone());
    view! {
        <article class="card">
            <h2 class="card-title"><a href=href>{summary.title}</a></h2>
            <p class="card-summary">{summary.summary}</p>
            {move || counts.get(&slug).map(|n| view! {
                <p class="card-comments">{comment_count_label(n)}</p>
            })}
            <time datetime=summary.published.raw.clone()>{summary.published.short_date()}</time>
            {summary.image.and_then(|image| thumbnail(&base, image))}
        </article>
    }
}

/// A card's thumbnail: decoration beside its headline (the data's `alt` is usually empty),
/// fetched as it comes near the screen.
fn thumbnail(base: &str, image: Image) -> Option<impl IntoView> {
    let src = image.src.as_deref()?;
    let size = image_size(&image);
    let picture = media::picture(base, src, variants_of(&image));
    Some(view! {
        <div class="card-thumb">
            <Picture picture size alt=image.alt sizes=media::THUMB_SIZES lead=false />
        </div>
    })
}
