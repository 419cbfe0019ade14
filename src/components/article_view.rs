//! The article itself and its related-articles sidebar.

use super::app::{article_slug_of_link, use_site};
use super::comments::{CommentCountLink, CommentsSection};
use crate::core::article::{Article, Block, Image, Summary};
use crate::core::head::{image_size, variants_of, Head};
use crate::core::media;
use crate::core::paging::{section_slug, ListPage};
use crate::shell::browser::{focus_id, mark, scroll_to_top, when_near};
use crate::shell::head;
use crate::shell::task::next_task;
use crate::state::articles::Articles;
use crate::state::discussion::Discussion;
use leptos::attr::custom::custom_attribute;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

#[component]
pub fn ArticleView(article: Article, focus_headline: bool) -> impl IntoView {
    let site = use_site();
    let discussion = Discussion::new(article.slug.clone(), article.title.clone());
    let page_head = Head::article(&site.settings, &site.base, &article);
    let base = site.base.clone();
    // Everything that needs the browser happens once the view is in the document.
    Effect::new(move |_| {
        untrack(|| {
            mark("article-rendered");
            head::apply(&page_head);
            if focus_headline {
                scroll_to_top();
                focus_id("headline");
            }
            // The discussion and the related articles' prefetching start in a task of their
            // own, after the one that took the article over: on a slow phone the browser then
            // never runs one long task of everything, and the article responds sooner.
            let base = base.clone();
            next_task(move || {
                discussion.start();
                prefetch_related(&base);
            });
        })
    });
    let Article {
        title,
        section,
        standfirst,
        author,
        published,
        lead_image,
        body,
        related,
        ..
    } = article;
    view! {
        <div class="article-layout">
            <article class="article" aria-labelledby="headline">
                <header class="article-header">
                    // The section's own list, when its name makes an address.
                    {(!section.is_empty()).then(|| match section_slug(&section) {
                        Some(slug) => {
                            let href = ListPage { section: Some(slug), page: 1 }.path(&site.base);
                            view! { <p class="section-label"><a href=href>{section}</a></p> }.into_any()
                        }
                        None => view! { <p class="section-label">{section}</p> }.into_any(),
                    })}
                    // `elementtiming`: the browser reports when the headline is painted (Element Timing),
                    // so the benchmark can time a navigation to its paint.
                    <h1 id="headline" tabindex="-1" {..custom_attribute("elementtiming", "headline")}>{title}</h1>
                    <p class="byline">
                        "By " <span class="author">{author.name}</span> " | "
                        <time datetime=published.raw.clone()>{published.long_date()}</time>
                    </p>
                    <p class="comment-prompt">
                        <span class="comment-prompt-text">"Why not leave a comment?"</span>
                        " "
                        <CommentCountLink discussion />
                        " | "
                        <a href=discussion.link_to("add-comment")>"Add a comment"</a>
                    </p>
                </header>
                {(!standfirst.is_empty()).then(|| view! { <p class="standfirst">{standfirst}</p> })}
                {lead_image.map(|image| view! { <Figure image class="lead-image" lead=true /> })}
                <div class="article-body">{body.into_iter().map(block_view).collect_view()}</div>
            </article>
            <RelatedArticles related />
            <CommentsSection discussion />
        </div>
    }
}

/// Related articles are fetched as they come within a screen, so following one shows it at
/// once.
fn prefetch_related(base: &str) {
    let Some(articles) = use_context::<Articles>() else {
        return;
    };
    let base = base.to_owned();
    let watch = when_near("related-heading", move || {
        let Some(document) = web_sys::window().and_then(|w| w.document()) else {
            return;
        };
        let Ok(links) = document.query_selector_all(".related-title") else {
            return;
        };
        for i in 0..links.length() {
            let link = links.item(i).and_then(|node| node.dyn_into().ok());
            if let Some(slug) = link.and_then(|link| article_slug_of_link(&link, &base)) {
                articles.prefetch(&slug);
            }
        }
    });
    let watch = send_wrapper::SendWrapper::new(watch);
    on_cleanup(move || drop(watch));
}

fn block_view(block: Block) -> AnyView {
    match block {
        Block::Paragraph { text } => view! { <p>{text}</p> }.into_any(),
        Block::Heading { text } => view! { <h2>{text}</h2> }.into_any(),
        Block::Quote { text, cite } => view! {
            <blockquote>
                <p>{text}</p>
                {cite.map(|c| view! { <footer><cite>{c}</cite></footer> })}
            </blockquote>
        }
        .into_any(),
        Block::Image(image) => view! { <Figure image class="body-image" lead=false /> }.into_any(),
    }
}

/// A photograph with its caption. Without a source only the caption shows: never a broken
/// image. The lead photograph is the page's largest paint: fetched first, never lazily.
#[component]
fn Figure(image: Image, class: &'static str, lead: bool) -> impl IntoView {
    let base = use_site().base.clone();
    let picture = image.src.as_deref().map(|src| {
        let (size, variants) = (image_size(&image), variants_of(&image));
        view! { <Picture picture=media::picture(&base, src, variants) size alt=image.alt.clone() sizes=media::ARTICLE_SIZES lead /> }
    });
    let has_image = picture.is_some();
    view! {
        <figure class=class class:no-image=!has_image>
            {picture}
            {image.caption.map(|c| view! { <figcaption>{c}</figcaption> })}
        </figure>
    }
}

/// A `<picture>`: each format's `srcset` best first, and the JPEG `<img>` with the size
/// declared, so the page keeps the picture's place while it loads.
#[component]
pub fn Picture(
    picture: media::Picture,
    size: Option<media::Size>,
    alt: String,
    sizes: &'static str,
    /// Fetched at once (the lead photograph), or as it comes near the screen.
    lead: bool,
) -> impl IntoView {
    let has_srcset = picture.srcset.is_some();
    view! {
        <picture>
            {picture.sources.into_iter().map(|(mime, srcset)| view! {
                <source r#type=mime srcset=srcset sizes=sizes />
            }).collect_view()}
            <img
                src=picture.src
                srcset=picture.srcset
                sizes=has_srcset.then_some(sizes)
                alt=alt
                width=size.map(|s| s.width)
                height=size.map(|s| s.height)
                fetchpriority=lead.then_some("high")
                loading=(!lead).then_some("lazy")
                decoding=(!lead).then_some("async")
            />
        </picture>
    }
}

#[component]
fn RelatedArticles(related: Vec<Summary>) -> impl IntoView {
    let site = use_site();
    (!related.is_empty()).then(|| {
        view! {
            <aside class="related" aria-labelledby="related-heading">
                <h2 id="related-heading">"Related Articles"</h2>
                <ul>
                    {related.into_iter().map(|r| view! {
                        <li class="related-item">
                            <a class="related-title" href=site.article_path(&r.slug)>{r.title}</a>
                            <p class="related-summary">{r.summary}</p>
                            <time datetime=r.published.raw.clone()>{r.published.short_date()}</time>
                        </li>
                    }).collect_view()}
                </ul>
            </aside>
        }
    })
}
