//! Fetching JSON documents, with a timeout, and classifying every failure.

use crate::core::article::DecodeError;
use crate::core::load_error::{classify_response, decode_body, LoadError, Unavailable};
use crate::shell::browser::mark;
use gloo_net::http::{Request, Response};
use wasm_bindgen::JsCast;

/// Longer than a slow phone network needs, short enough that a reader is not left waiting.
const TIMEOUT_MS: i32 = 15_000;

/// GETs `url` and decodes it with `decode`, turning every failure into a [`LoadError`].
pub async fn get_json<T>(
    url: &str,
    decode: impl FnOnce(&str) -> Result<T, DecodeError>,
) -> Result<T, LoadError> {
    let response = send_with_timeout(url).await?;
    read_json(response, decode).await
}

/// As [`get_json`], setting a User Timing mark the moment the body has arrived, so the
/// benchmark measures decoding and rendering from the data's arrival.
pub async fn get_json_marked<T>(
    url: &str,
    arrival_mark: &str,
    decode: impl FnOnce(&str) -> Result<T, DecodeError>,
) -> Result<T, LoadError> {
    let response = send_with_timeout(url).await?;
    read_json(response, |text| {
        mark(arrival_mark);
        decode(text)
    })
    .await
}

/// Decodes a response that is already on its way (the page's preloaded article).
pub async fn read_json<T>(
    response: Response,
    decode: impl FnOnce(&str) -> Result<T, DecodeError>,
) -> Result<T, LoadError> {
    let content_type = response.headers().get("content-type");
    classify_response(response.status(), content_type.as_deref())?;
    let body = response
        .text()
        .await
        .map_err(|_| LoadError::Unavailable(Unavailable::Network))?;
    decode_body(&body, decode)
}

async fn send_with_timeout(url: &str) -> Result<Response, LoadError> {
    let controller = web_sys::AbortController::new().ok();
    let signal = controller.as_ref().map(|c| c.signal());
    let timer = controller.clone().and_then(|controller| {
        let abort = wasm_bindgen::closure::Closure::once_into_js(move || controller.abort());
        web_sys::window()?
            .set_timeout_with_callback_and_timeout_and_arguments_0(
                abort.unchecked_ref(),
                TIMEOUT_MS,
            )
            .ok()
    });
    let result = Request::get(url).abort_signal(signal.as_ref()).send().await;
    if let (Some(timer), Some(window)) = (timer, web_sys::window()) {
        window.clear_timeout_with_handle(timer);
    }
    result.map_err(|_| {
        if signal.is_some_and(|s| s.aborted()) {
            LoadError::Unavailable(Unavailable::Timeout)
        } else {
            LoadError::Unavailable(Unavailable::Network)
        }
    })
}
