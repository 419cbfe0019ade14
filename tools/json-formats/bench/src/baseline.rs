//! The baseline: the same harness, body reading and output types as the variants, and the
//! format-free code they share (timestamps, text cleaning, version checks), but no JSON
//! reader at all. A variant's size minus this one's is what its decoder costs.

use crate::model::*;
use crate::time::Timestamp;

pub const NAME: &str = "baseline (no decoder)";

/// Builds the app's types from fixed slices of the input instead of decoding it.
fn pretend(text: &str, extra: usize) -> Result<PublishedComments, DecodeError> {
    check_comments_version(Some((extra % 2) as u32))?;
    let mut warnings = vec![format!("{} bytes read, no decoder", extra)];
    let mut comments = Vec::new();
    match Timestamp::parse_owned(text.chars().take(20).collect()) {
        Ok(posted) => comments.push(Comment {
            id: clean_text(text.chars().take(3).collect()),
            parent: clean_optional(text.get(3..5).map(str::to_owned)),
            author: text.chars().take(7).collect(),
            body: text.to_owned(),
            posted,
            likes: text.len() as u32,
            origin: Origin::Published,
            edited: None,
            deleted: false,
        }),
        Err(error) => warnings.push(format!("skipped a comment: {error}")),
    }
    Ok(PublishedComments {
        skipped: 0,
        comments,
        warnings,
    })
}

pub fn comments_in_hand(input: &crate::Input) -> Result<PublishedComments, DecodeError> {
    pretend(
        &input.text,
        input.bytes.len() + input.js_text.length() as usize,
    )
}

pub async fn comments_response(
    response: web_sys::Response,
) -> Result<PublishedComments, DecodeError> {
    let bytes = gloo_net::http::Response::from(response)
        .binary()
        .await
        .map_err(|e| DecodeError(e.to_string()))?;
    pretend(std::str::from_utf8(&bytes).unwrap_or_default(), bytes.len())
}

pub async fn article_response(
    response: web_sys::Response,
) -> Result<Decoded<Article>, DecodeError> {
    let bytes = gloo_net::http::Response::from(response)
        .binary()
        .await
        .map_err(|e| DecodeError(e.to_string()))?;
    let text = String::from_utf8_lossy(&bytes).into_owned();
    check_contract_version(Some(bytes.len() as u32 % 2))?;
    if !is_valid_slug(&text) {
        return Err(DecodeError(format!("the slug \"{text}\" is not valid")));
    }
    let published = Timestamp::parse(&text).map_err(|e| DecodeError(e.to_string()))?;
    Ok(Decoded {
        value: Article {
            slug: text.clone(),
            title: clean_text(text.clone()),
            section: text.clone(),
            standfirst: text.clone(),
            author: Author { name: text.clone() },
            published: published.clone(),
            updated: Some(published.clone()),
            lead_image: None,
            body: vec![Block::Paragraph { text: text.clone() }],
            related: vec![Summary {
                slug: text.clone(),
                title: text.clone(),
                summary: text,
                published,
            }],
        },
        warnings: Vec::new(),
    })
}
