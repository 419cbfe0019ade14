//! Variants A and C: serde_json. The lenient wrappers buffer an entry (or a field) as a
//! borrowed `&RawValue` (no copy: a slice of the input) and read it again on its own, as
//! src/core/decode.rs does.
//!
//! - A reads the body *bytes* (`serde_json::from_slice`), as the app does now: one strict
//!   pass over the whole file, and only if that fails, a pass entry by entry.
//! - C is gloo-net 0.6's `Response::json()`, which is `serde_json::from_str(&self.text().await?)`
//!   (gloo-net-0.6.0/src/http/response.rs:101). The body is consumed by that one call, so
//!   there is no second try: the file is read entry by entry (`Entry<_>`) every time. Its
//!   parts are read with `from_str` too, so the wasm carries one serde_json reader only.

use crate::files::*;
use crate::lenient::{Entry, Optional};
use crate::model::*;
use serde::de::{Deserialize, Deserializer};
use serde_json::value::RawValue;

/// serde's message without its position, which is only ever "line 1" within a part.
fn reason(error: &serde_json::Error) -> String {
    let message = error.to_string();
    match message.rsplit_once(" at line ") {
        Some((reason, _)) => reason.to_owned(),
        None => message,
    }
}

/// Reads one part of a document on its own.
#[cfg(feature = "variant_a")]
fn part<'a, T: Deserialize<'a>>(raw: &'a RawValue) -> Result<T, String> {
    serde_json::from_slice(raw.get().as_bytes()).map_err(|error| reason(&error))
}
#[cfg(feature = "variant_c")]
fn part<'a, T: Deserialize<'a>>(raw: &'a RawValue) -> Result<T, String> {
    serde_json::from_str(raw.get()).map_err(|error| reason(&error))
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Entry<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let raw = <&'de RawValue>::deserialize(deserializer)?;
        Ok(match part(raw) {
            Ok(value) => Entry::Good(value),
            Err(reason) => Entry::Bad(reason),
        })
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Optional<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let raw = <&'de RawValue>::deserialize(deserializer)?;
        Ok(if raw.get() == "null" {
            Optional::Absent
        } else {
            match part(raw) {
                Ok(value) => Optional::Good(value),
                Err(reason) => Optional::Bad(reason),
            }
        })
    }
}

fn error(error: impl std::fmt::Display) -> DecodeError {
    DecodeError(error.to_string())
}

// ------------------------------------------------------------------ variant A

/// The app's `decode_comments` (src/core/comments/model.rs), verbatim in effect.
#[cfg(all(feature = "variant_a", not(feature = "one_pass")))]
pub fn decode_comments(json: &[u8]) -> Result<PublishedComments, DecodeError> {
    let entries: Vec<Entry<PublishedEntry>> =
        match serde_json::from_slice::<CommentsFile<PublishedEntry>>(json) {
            Ok(file) => {
                check_comments_version(file.version)?;
                file.comments.into_iter().map(Entry::Good).collect()
            }
            Err(_) => {
                let file: CommentsFile<Entry<PublishedEntry>> =
                    serde_json::from_slice(json).map_err(error)?;
                check_comments_version(file.version)?;
                file.comments
            }
        };
    Ok(comments_from(entries))
}

/// The `one_pass` experiment: A read entry by entry every time (as C must), no strict pass.
#[cfg(all(feature = "variant_a", feature = "one_pass"))]
pub fn decode_comments(json: &[u8]) -> Result<PublishedComments, DecodeError> {
    let file: CommentsFile<Entry<PublishedEntry>> = serde_json::from_slice(json).map_err(error)?;
    check_comments_version(file.version)?;
    Ok(comments_from(file.comments))
}

#[cfg(feature = "variant_a")]
pub const NAME: &str = "A serde_json::from_slice";

#[cfg(feature = "variant_a")]
pub fn comments_in_hand(input: &crate::Input) -> Result<PublishedComments, DecodeError> {
    decode_comments(&input.bytes)
}

#[cfg(feature = "variant_a")]
pub async fn comments_response(
    response: web_sys::Response,
) -> Result<PublishedComments, DecodeError> {
    let bytes = gloo_net::http::Response::from(response)
        .binary()
        .await
        .map_err(error)?;
    decode_comments(&bytes)
}

#[cfg(feature = "variant_a")]
pub async fn article_response(
    response: web_sys::Response,
) -> Result<Decoded<Article>, DecodeError> {
    let bytes = gloo_net::http::Response::from(response)
        .binary()
        .await
        .map_err(error)?;
    article_from(serde_json::from_slice(&bytes).map_err(error)?)
}

// ------------------------------------------------------------------ variant C

#[cfg(feature = "variant_c")]
pub const NAME: &str = "C gloo-net Response::json()";

/// What `json()` does once `text()` has the body as a Rust `String`.
#[cfg(feature = "variant_c")]
pub fn comments_in_hand(input: &crate::Input) -> Result<PublishedComments, DecodeError> {
    let file: CommentsFile<Entry<PublishedEntry>> =
        serde_json::from_str(&input.text).map_err(error)?;
    check_comments_version(file.version)?;
    Ok(comments_from(file.comments))
}

#[cfg(feature = "variant_c")]
pub async fn comments_response(
    response: web_sys::Response,
) -> Result<PublishedComments, DecodeError> {
    let file: CommentsFile<Entry<PublishedEntry>> = gloo_net::http::Response::from(response)
        .json()
        .await
        .map_err(error)?;
    check_comments_version(file.version)?;
    Ok(comments_from(file.comments))
}

#[cfg(feature = "variant_c")]
pub async fn article_response(
    response: web_sys::Response,
) -> Result<Decoded<Article>, DecodeError> {
    let file: ArticleFile = gloo_net::http::Response::from(response)
        .json()
        .await
        .map_err(error)?;
    article_from(file)
}
