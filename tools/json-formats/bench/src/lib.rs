//! The benchmark's wasm: one build per variant (`--features baseline|variant_a|variant_b|
//! variant_c`), each with this same harness; only the module behind `imp` differs.
#![allow(dead_code)] // the app's types and helpers are copied whole

#[cfg(not(any(
    all(
        feature = "baseline",
        not(any(feature = "variant_a", feature = "variant_b", feature = "variant_c"))
    ),
    all(
        feature = "variant_a",
        not(any(feature = "baseline", feature = "variant_b", feature = "variant_c"))
    ),
    all(
        feature = "variant_b",
        not(any(feature = "baseline", feature = "variant_a", feature = "variant_c"))
    ),
    all(
        feature = "variant_c",
        not(any(feature = "baseline", feature = "variant_a", feature = "variant_b"))
    ),
)))]
compile_error!("enable exactly one of: baseline, variant_a, variant_b, variant_c");

mod lenient;
mod model;
// The app's own dates, so every candidate decodes the same types the app does.
#[path = "../../../../src/core/time.rs"]
mod time;

#[cfg(not(feature = "baseline"))]
mod files;

#[cfg(feature = "baseline")]
#[path = "baseline.rs"]
mod imp;
#[cfg(any(feature = "variant_a", feature = "variant_c"))]
#[path = "fmt_json.rs"]
mod imp;
#[cfg(feature = "variant_b")]
#[path = "fmt_js.rs"]
mod imp;

use model::{Block, PublishedComments};
use std::cell::{Cell, RefCell};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// The input in every form a variant starts from: body bytes in wasm memory (A), the body
/// text as a JS string (B), the body text as a Rust `String` (C).
pub struct Input {
    pub bytes: Vec<u8>,
    pub text: String,
    pub js_text: js_sys::JsString,
}

thread_local! {
    static INPUT: RefCell<Option<Input>> = const { RefCell::new(None) };
    static RESULT: RefCell<Option<PublishedComments>> = const { RefCell::new(None) };
    static PARSE_MS: Cell<f64> = const { Cell::new(0.0) };
    static DECODE_MS: Cell<f64> = const { Cell::new(0.0) };
}

pub(crate) fn now() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map_or(0.0, |p| p.now())
}

pub(crate) fn set_parse_ms(ms: f64) {
    PARSE_MS.with(|c| c.set(ms));
}

#[wasm_bindgen]
pub fn variant() -> String {
    imp::NAME.to_owned()
}

/// Stores the input (untimed): its bytes, and its text as a JS and as a Rust string.
#[wasm_bindgen]
pub fn set_input(bytes: &[u8], text: js_sys::JsString) {
    let input = Input {
        bytes: bytes.to_vec(),
        text: String::from(&text),
        js_text: text,
    };
    INPUT.with(|i| *i.borrow_mut() = Some(input));
}

fn keep(result: Result<PublishedComments, model::DecodeError>) -> Result<u32, JsValue> {
    let comments = result.map_err(|e| JsValue::from_str(&e.0))?;
    let count = comments.comments.len() as u32;
    RESULT.with(|r| *r.borrow_mut() = Some(comments));
    Ok(count)
}

/// Decodes the stored input ("in hand") into `Vec<Comment>`, kept until `clear()`.
#[wasm_bindgen]
pub fn decode_in_hand() -> Result<u32, JsValue> {
    PARSE_MS.with(|c| c.set(0.0));
    let t0 = now();
    let result = INPUT.with(|i| {
        let input = i.borrow();
        let input = input
            .as_ref()
            .ok_or_else(|| JsValue::from_str("no input"))?;
        Ok::<_, JsValue>(imp::comments_in_hand(input))
    })?;
    DECODE_MS.with(|c| c.set(now() - t0));
    keep(result)
}

/// Decodes a `Response` (its body already in memory) into `Vec<Comment>`, kept until `clear()`.
#[wasm_bindgen]
pub async fn decode_response(response: web_sys::Response) -> Result<u32, JsValue> {
    PARSE_MS.with(|c| c.set(0.0));
    keep(imp::comments_response(response).await)
}

/// Time `JSON.parse` took in the last decode (variant B; 0 for the others).
#[wasm_bindgen]
pub fn parse_ms() -> f64 {
    PARSE_MS.with(|c| c.get())
}

/// Time the last `decode_in_hand` took, measured inside wasm.
#[wasm_bindgen]
pub fn decode_ms() -> f64 {
    DECODE_MS.with(|c| c.get())
}

/// Drops the last result (untimed).
#[wasm_bindgen]
pub fn clear() {
    RESULT.with(|r| *r.borrow_mut() = None);
}

/// What the last decode gave: count, skipped, a checksum over every field, and the warnings.
#[wasm_bindgen]
pub fn summary() -> String {
    RESULT.with(|r| match r.borrow().as_ref() {
        None => "no result".to_owned(),
        Some(c) => {
            let mut sum: u64 = 0;
            for (n, x) in c.comments.iter().enumerate() {
                let fields = [&x.id, &x.author, &x.body, &x.posted.raw];
                let text: u64 = fields.iter().flat_map(|f| f.bytes()).map(u64::from).sum();
                let parent: u64 = x.parent.iter().flat_map(|p| p.bytes()).map(u64::from).sum();
                sum = sum
                    .wrapping_mul(31)
                    .wrapping_add(n as u64 + text + parent + u64::from(x.likes))
                    .wrapping_add(x.posted.epoch_ms as u64);
            }
            format!(
                "comments={} skipped={} checksum={sum:x} warnings={:?}",
                c.comments.len(),
                c.skipped,
                c.warnings
            )
        }
    })
}

/// Decodes an article from a `Response`: a short description, or the error. (Left out with
/// the `comments_only` feature, to see what one more document type costs each format.)
#[cfg(not(feature = "comments_only"))]
#[wasm_bindgen]
pub async fn decode_article(response: web_sys::Response) -> Result<String, JsValue> {
    let article = imp::article_response(response)
        .await
        .map_err(|e| JsValue::from_str(&e.0))?;
    let a = &article.value;
    let texts = a
        .body
        .iter()
        .filter(|b| !matches!(b, Block::Image(_)))
        .count();
    Ok(format!(
        "title={:?} published={} blocks={} (text {}) related={} lead_image={:?} warnings={:?}",
        a.title,
        a.published.long_date(),
        a.body.len(),
        texts,
        a.related.len(),
        a.lead_image.as_ref().map(|i| (&i.src, i.width, i.height)),
        article.warnings
    ))
}

/// Reads a body the way each variant does (untouched by the decoder), for every build:
/// 0 = gloo-net `binary()` (A), 1 = web-sys `text()` as a JS string (B), 2 = gloo-net
/// `text()` (C, inside `json()`). Returns the length read.
#[wasm_bindgen]
pub async fn read_body(response: web_sys::Response, how: u32) -> Result<f64, JsValue> {
    let error = |e: gloo_net::Error| JsValue::from_str(&e.to_string());
    Ok(match how {
        0 => gloo_net::http::Response::from(response)
            .binary()
            .await
            .map_err(error)?
            .len() as f64,
        1 => {
            let text = wasm_bindgen_futures::JsFuture::from(response.text()?).await?;
            text.unchecked_into::<js_sys::JsString>().length() as f64
        }
        _ => gloo_net::http::Response::from(response)
            .text()
            .await
            .map_err(error)?
            .len() as f64,
    })
}
