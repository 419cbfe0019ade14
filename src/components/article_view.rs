//! The article itself and its related-articles sidebar.

use super::comments::{CommentCountLink, CommentsSection, Discussion};
use crate::core::article::{Article, Block, Image, Summary};
use crate::shell::browser::{article_path, focus_id, mark, scroll_to_top, set_page_meta};
use leptos::prelude::*;

#[component]
pub fn ArticleView(article: Article, focus_headline: bool) -> impl IntoView {
    let discussion = Discussion::start(article.slug.clone());
    Effect::new(move |_| {
        mark("article-rendered");
        if focus_headline {
            scroll_to_top();
            focus_id("headline");
        }
    });
    let Article {
        slug,
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
    set_page_meta(&format!("{title} | My Garage"), &standfirst);
    view! {
        <div class="article-layout">
            <article class="article" aria-labelledby="headline">
                <header class="article-header">
                    {(!section.is_empty()).then(|| view! { <p class="section-label">{section}</p> })}
                    <h1 id="headline" tabindex="-1">{title}</h1>
                    <p class="byline">
                        "By " <span class="author">{author.name}</span> " | "
                        <time datetime=published.raw.clone()>{published.long_date()}</time>
                    </p>
                    <p class="comment-prompt">
                        <span class="comment-prompt-text">"Why not leave a comment?"</span>
                        " "
                        <CommentCountLink discussion />
                        " | "
                        <a href=format!("{}#add-comment", article_path(&slug))>"Add a comment"</a>
                    </p>
                </header>
                {(!standfirst.is_empty()).then(|| view! { <p class="standfirst">{standfirst}</p> })}
                {lead_image.map(|image| view! { <Figure image class="lead-image" /> })}
                <div class="article-body">{body.into_iter().map(block_view).collect_view()}</div>
            </article>
            <RelatedArticles related />
            <CommentsSection discussion />
        </div>
    }
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
        Block::Image(image) => view! { <Figure image class="body-image" /> }.into_any(),
    }
}

/// An image with its caption. Without a source only the caption shows: never a broken image.
#[component]
fn Figure(image: Image, class: &'static str) -> impl IntoView {
    let Image {
        src,
        alt,
        width,
        height,
        caption,
    } = image;
    let has_image = src.is_some();
    view! {
        <figure class=class class:no-image=!has_image>
            {src.map(|src| view! {
                <img src=src alt=alt width=width height=height loading="lazy" decoding="async" />
            })}
            {caption.map(|c| view! { <figcaption>{c}</figcaption> })}
        </figure>
    }
}

#[component]
fn RelatedArticles(related: Vec<Summary>) -> impl IntoView {
    (!related.is_empty()).then(|| {
        view! {
            <aside class="related" aria-labelledby="related-heading">
                <h2 id="related-heading">"Related Articles"</h2>
                <ul>
                    {related.into_iter().map(|r| view! {
                        <li class="related-item">
                            <a class="related-title" href=article_path(&r.slug)>{r.title}</a>
                            <p class="related-summary">{r.summary}</p>
                            <time datetime=r.published.raw.clone()>{r.published.short_date()}</time>
                        </li>
                    }).collect_view()}
                </ul>
            </aside>
        }
    })
}
