//! A list's page: `/` (the newest articles), the archive after it (`/page/{n}`) and each
//! section's (`/section/{slug}`), with links to the list's other pages.

use super::app::use_site;
use super::article_view::Picture;
use super::status::LoadFailed;
use crate::core::article::{ArticleIndex, Image, Summary};
use crate::core::head::{image_size, list_heading, variants_of, Head};
use crate::core::load_error::ARTICLE_LIST;
use crate::core::media;
use crate::core::paging::{page_links, ListPage, PageLink};
use crate::shell::api::fetch_list;
use crate::shell::browser::focus_id;
use crate::shell::head;
use crate::state::comment_counts::{comment_count_label, use_comment_counts};
use crate::state::loader::{Load, Loader};
use leptos::prelude::*;

/// `initial`: the page the build rendered from; without it the page fetches it.
/// `navigated`: false on the first page load; after a navigation in the app, focus moves to
/// the new page's heading, as a page load would start the reader there.
#[component]
pub fn FrontPage(list: ListPage, initial: Option<ArticleIndex>, navigated: bool) -> impl IntoView {
    let site = use_site();
    let index = Loader::new(initial, move || {
        let list = list.clone();
        async move { fetch_list(&list).await.map(|fetched| fetched.value) }
    });
    view! {
        {move || match index.state() {
            Load::Loading => view! { <p class="loading" role="status">"Loading articles…"</p> }.into_any(),
            Load::Failed(error) => view! {
                <LoadFailed error what=ARTICLE_LIST retry=move || index.retry() />
            }.into_any(),
            Load::Ready(index) => {
                let page_head = Head::list(&site.settings, &site.base, &index);
                Effect::new(move |_| {
                    head::apply(&page_head);
                    if navigated {
                        focus_id("page-heading");
                    }
                });
                // With a comment service, every card's count, in one request.
                let slugs: Vec<String> = index.articles.iter().map(|a| a.slug.clone()).collect();
                let (counts, for_counts) = (use_comment_counts(), site.clone());
                Effect::new(move |_| counts.fetch(&for_counts, slugs.clone()));
                let heading = list_heading(&site.settings, &index);
                let list = ListPage::of(&index);
                view! {
                    <section class="front-page" aria-labelledby="page-heading">
                        <h1 id="page-heading" tabindex="-1">{heading}</h1>
                        <ul class="article-list">
                            {index.articles.into_iter().map(|s| view! { <li><ArticleCard summary=s /></li> }).collect_view()}
                        </ul>
                        <Pagination list pages=index.pages />
                    </section>
                }.into_any()
            }
        }}
    }
}

/// Links to the list's other pages (none for a list of one page).
#[component]
fn Pagination(list: ListPage, pages: u32) -> impl IntoView {
    let base = use_site().base;
    let current = list.page;
    let href = move |page: u32| list.with_page(page).path(&base);
    (pages > 1).then(|| {
        view! {
            <nav class="pagination" aria-label="Pages of articles">
                <ul>
                    {(current > 1).then(|| view! {
                        <li><a rel="prev" href=href(current - 1)>"Newer"</a></li>
                    })}
                    {page_links(current, pages).into_iter().map(|link| match link {
                        PageLink::Page(n) => view! {
                            <li><a href=href(n) aria-current=(n == current).then_some("page")>{n}</a></li>
                        }.into_any(),
                        PageLink::Gap => view! { <li aria-hidden="true">"…"</li> }.into_any(),
                    }).collect_view()}
                    {(current < pages).then(|| view! {
                        <li><a rel="next" href=href(current + 1)>"Older"</a></li>
                    })}
                </ul>
            </nav>
        }
    })
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
