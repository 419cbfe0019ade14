//! Fetching JSON documents with the browser's own `fetch`, with a timeout, and classifying
//! every failure.

use crate::core::article::DecodeError;
use crate::core::load_error::{body_text, classify_response, json_body, LoadError, Unavailable};
use crate::shell::browser::mark;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{AbortController, RequestInit, Response};

/// Longer than a slow phone network needs, short enough that a reader is not left waiting.
const TIMEOUT_MS: i32 = 15_000;

/// GETs `url` and decodes it with `decode`, turning every failure into a [`LoadError`].
pub async fn get_json<T>(
    url: &str,
    decode: impl FnOnce(&str) -> Result<T, DecodeError>,
) -> Result<T, LoadError> {
    let text = body_text(read_body(send(url).await?, None).await?)?;
    decode(&text).map_err(LoadError::from)
}

/// A response's body, once the status and type say it may be JSON and it is not an HTML
/// page. Sets the User Timing mark `arrival_mark` (if any) the moment the body has arrived,
/// so the benchmark measures decoding and rendering from the data's arrival.
pub async fn read_body(
    response: Response,
    arrival_mark: Option<&str>,
) -> Result<Vec<u8>, LoadError> {
    let content_type = response.headers().get("content-type").ok().flatten();
    classify_response(response.status(), content_type.as_deref())?;
    let network = |_| LoadError::Unavailable(Unavailable::Network);
    let buffer = JsFuture::from(response.array_buffer().map_err(network)?)
        .await
        .map_err(network)?;
    let body = js_sys::Uint8Array::new(&buffer).to_vec();
    if let Some(name) = arrival_mark {
        mark(name);
    }
    json_body(body)
}

/// GETs `url`, giving up after [`TIMEOUT_MS`].
pub async fn send(url: &str) -> Result<Response, LoadError> {
    let network = LoadError::Unavailable(Unavailable::Network);
    let window = web_sys::window().ok_or(network.clone())?;
    let controller = AbortController::new().ok();
    let init = RequestInit::new();
    if let Some(controller) = &controller {
        init.set_signal(Some(&controller.signal()));
    }
    let timer = controller.clone().and_then(|controller| {
        let abort = wasm_bindgen::closure::Closure::once_into_js(move || controller.abort());
        window
            .set_timeout_with_callback_and_timeout_and_arguments_0(
                abort.unchecked_ref(),
                TIMEOUT_MS,
            )
            .ok()
    });
    let result = JsFuture::from(window.fetch_with_str_and_init(url, &init)).await;
    if let Some(timer) = timer {
        window.clear_timeout_with_handle(timer);
    }
    let timed_out = controller.is_some_and(|c| c.signal().aborted());
    match result {
        Ok(response) => response
            .dyn_into::<Response>()
            .map_err(|_: JsValue| network),
        Err(_) if timed_out => Err(LoadError::Unavailable(Unavailable::Timeout)),
        Err(_) => Err(network),
    }
}
