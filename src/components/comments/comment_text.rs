//! A comment's text: paragraphs, quotes and links (see `core::comments::text`), every piece
//! of it put in the page as text.

use crate::core::comments::text::{blocks, Block, Inline};
use leptos::attr::custom::custom_attribute;
use leptos::prelude::*;

/// `text` changes when the comment is edited.
#[component]
pub fn CommentText(text: Signal<String>) -> impl IntoView {
    view! {
        <div class="comment-body" dir="auto">
            {move || {
                text.with(|text| blocks(text))
                    .into_iter()
                    .enumerate()
                    .map(|(n, block)| block_view(block, n == 0))
                    .collect_view()
            }}
        </div>
    }
}

/// `first`: the comment's first block carries `elementtiming`, so the browser notes when the
/// text is first painted (Element Timing), for the benchmark or a publisher's monitoring.
fn block_view(block: Block, first: bool) -> AnyView {
    let timing = custom_attribute("elementtiming", first.then_some("comment"));
    match block {
        Block::Paragraph(inlines) => {
            view! { <p {..timing}>{inlines.into_iter().map(inline_view).collect_view()}</p> }
                .into_any()
        }
        Block::Quote(inlines) => view! {
            <blockquote {..timing}>{inlines.into_iter().map(inline_view).collect_view()}</blockquote>
        }
        .into_any(),
    }
}

fn inline_view(inline: Inline) -> AnyView {
    match inline {
        Inline::Text(text) => text.into_any(),
        Inline::Break => view! { <br /> }.into_any(),
        Inline::Link(url) => {
            let href = url.clone();
            view! { <a href=href rel="nofollow ugc noopener">{url}</a> }.into_any()
        }
    }
}
