//! Variant B: the browser's `JSON.parse` on the body text (a JS string, never copied into
//! wasm), then `serde_wasm_bindgen::from_value` walks the JS object tree into Rust types.
//!
//! The lenient wrappers buffer an entry (or a field) as the `JsValue` it already is
//! (`serde_wasm_bindgen::preserve::deserialize`, a handle, no copy) and decode it on its own
//! with `from_value`. As in A, one strict pass first; if it fails, a pass entry by entry,
//! over the *same* parsed tree (no second `JSON.parse`).
//!
//! `js_sys::JSON::parse` takes `&str`, which would copy the text out of JS into wasm and
//! back; `JSON.parse` is bound here on a `&JsString` instead (same function, no copy).

use crate::files::*;
use crate::lenient::{Entry, Optional};
use crate::model::*;
use serde::de::{Deserialize, DeserializeOwned, Deserializer};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(catch, js_namespace = JSON, js_name = parse)]
    fn json_parse(text: &js_sys::JsString) -> Result<JsValue, JsValue>;
}

/// The message of serde-wasm-bindgen's error, which is a JS `Error` underneath (its
/// `Display` would say "Error: ..."). Every such error is a JS `Error` object, made in JS.
fn reason(error: serde_wasm_bindgen::Error) -> String {
    let error = JsValue::from(error);
    match error.dyn_ref::<js_sys::Error>() {
        Some(error) => String::from(error.message()),
        None => format!("{error:?}"),
    }
}

impl<'de, T: DeserializeOwned> Deserialize<'de> for Entry<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let value: JsValue = serde_wasm_bindgen::preserve::deserialize(deserializer)?;
        Ok(match serde_wasm_bindgen::from_value(value) {
            Ok(value) => Entry::Good(value),
            Err(error) => Entry::Bad(reason(error)),
        })
    }
}

impl<'de, T: DeserializeOwned> Deserialize<'de> for Optional<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let value: JsValue = serde_wasm_bindgen::preserve::deserialize(deserializer)?;
        Ok(if value.is_null() || value.is_undefined() {
            Optional::Absent
        } else {
            match serde_wasm_bindgen::from_value(value) {
                Ok(value) => Optional::Good(value),
                Err(error) => Optional::Bad(reason(error)),
            }
        })
    }
}

fn error(error: serde_wasm_bindgen::Error) -> DecodeError {
    DecodeError(reason(error))
}

fn parse(text: &js_sys::JsString) -> Result<JsValue, DecodeError> {
    let t0 = crate::now();
    let value = json_parse(text).map_err(|e| match e.dyn_ref::<js_sys::Error>() {
        Some(e) => DecodeError(String::from(e.message())),
        None => DecodeError("JSON.parse failed".into()),
    });
    crate::set_parse_ms(crate::now() - t0);
    value
}

pub fn decode_comments(text: &js_sys::JsString) -> Result<PublishedComments, DecodeError> {
    let value = parse(text)?;
    let entries: Vec<Entry<PublishedEntry>> =
        match serde_wasm_bindgen::from_value::<CommentsFile<PublishedEntry>>(value.clone()) {
            Ok(file) => {
                check_comments_version(file.version)?;
                file.comments.into_iter().map(Entry::Good).collect()
            }
            Err(_) => {
                let file: CommentsFile<Entry<PublishedEntry>> =
                    serde_wasm_bindgen::from_value(value).map_err(error)?;
                check_comments_version(file.version)?;
                file.comments
            }
        };
    Ok(comments_from(entries))
}

pub const NAME: &str = "B JSON.parse + serde_wasm_bindgen";

pub fn comments_in_hand(input: &crate::Input) -> Result<PublishedComments, DecodeError> {
    decode_comments(&input.js_text)
}

async fn text_of(response: web_sys::Response) -> Result<js_sys::JsString, DecodeError> {
    let promise = response
        .text()
        .map_err(|_| DecodeError("the body cannot be read".into()))?;
    let text = wasm_bindgen_futures::JsFuture::from(promise)
        .await
        .map_err(|_| DecodeError("the body cannot be read".into()))?;
    Ok(text.unchecked_into())
}

pub async fn comments_response(
    response: web_sys::Response,
) -> Result<PublishedComments, DecodeError> {
    decode_comments(&text_of(response).await?)
}

pub async fn article_response(
    response: web_sys::Response,
) -> Result<Decoded<Article>, DecodeError> {
    let value = parse(&text_of(response).await?)?;
    article_from(serde_wasm_bindgen::from_value(value).map_err(error)?)
}
