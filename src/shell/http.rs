//! Fetching JSON documents with the browser's own `fetch`, with a timeout, and classifying
//! every failure.

use crate::core::article::DecodeError;
use crate::core::load_error::{body_text, classify_response, json_body, LoadError, Unavailable};
use crate::shell::browser::mark;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{AbortController, AbortSignal, RequestInit, Response};

/// Longer than a slow phone network needs, short enough that a reader is not left waiting.
const TIMEOUT_MS: i32 = 15_000;

/// GETs `url` and decodes it with `decode`, turning every failure into a [`LoadError`].
pub async fn get_json<T>(
    url: &str,
    decode: impl FnOnce(&str) -> Result<T, DecodeError>,
) -> Result<T, LoadError> {
    let deadline = Deadline::for_download();
    let response = send(url, &deadline).await?;
    let text = body_text(read_body(response, &deadline, None).await?)?;
    decode(&text).map_err(LoadError::from)
}

/// A response's body, once the status and type say it may be JSON and it is not an HTML
/// page. Sets the User Timing mark `arrival_mark` (if any) the moment the body has arrived,
/// so the benchmark measures decoding and rendering from the data's arrival.
pub async fn read_body(
    response: Response,
    deadline: &Deadline,
    arrival_mark: Option<&str>,
) -> Result<Vec<u8>, LoadError> {
    let content_type = response.headers().get("content-type").ok().flatten();
    classify_response(response.status(), content_type.as_deref())?;
    let network = LoadError::Unavailable(Unavailable::Network);
    let body = response.array_buffer().map_err(|_| network.clone())?;
    let buffer = deadline.race(&body).await.map_err(LoadError::from)?;
    let body = js_sys::Uint8Array::new(&buffer).to_vec();
    if let Some(name) = arrival_mark {
        mark(name);
    }
    json_body(body)
}

/// GETs `url` within `deadline`.
pub async fn send(url: &str, deadline: &Deadline) -> Result<Response, LoadError> {
    let network = LoadError::Unavailable(Unavailable::Network);
    let window = web_sys::window().ok_or(network.clone())?;
    let init = RequestInit::new();
    if let Some(signal) = deadline.signal() {
        init.set_signal(Some(&signal));
    }
    let request = window.fetch_with_str_and_init(url, &init);
    let response = deadline.race(&request).await.map_err(LoadError::from)?;
    response.dyn_into::<Response>().map_err(|_| network)
}

/// One download's time limit. Every step of a download (waiting for one the page's own
/// script started, the headers, the body) races against the same timer, so a connection
/// that stalls anywhere ends in a timeout the reader is told about, never in a wait without
/// end. When the time is up the request is also aborted, which frees the connection.
pub struct Deadline {
    /// Resolves with `expired_token` when the time is up.
    expired: js_sys::Promise,
    expired_token: js_sys::Object,
    controller: Option<AbortController>,
    timer: Option<i32>,
}

/// Why a step of a download did not give its value.
#[derive(Debug)]
pub enum StepFailed {
    TimedOut,
    /// The step's own failure (a network error, or the request aborted).
    Failed(JsValue),
}

impl From<StepFailed> for LoadError {
    fn from(step: StepFailed) -> Self {
        match step {
            StepFailed::TimedOut => LoadError::Unavailable(Unavailable::Timeout),
            StepFailed::Failed(_) => LoadError::Unavailable(Unavailable::Network),
        }
    }
}

impl Deadline {
    /// A download's deadline: [`TIMEOUT_MS`] from now.
    pub fn for_download() -> Deadline {
        Deadline::start(TIMEOUT_MS)
    }

    pub fn start(ms: i32) -> Deadline {
        let controller = AbortController::new().ok();
        let expired_token = js_sys::Object::new();
        let mut timer = None;
        let expired = js_sys::Promise::new(&mut |resolve, _| {
            let (controller, token) = (controller.clone(), expired_token.clone());
            // The race settles first, then the request is stopped.
            let expire = Closure::once_into_js(move || {
                let _ = resolve.call1(&JsValue::UNDEFINED, &token);
                if let Some(controller) = controller {
                    controller.abort();
                }
            });
            timer = web_sys::window().and_then(|window| {
                window
                    .set_timeout_with_callback_and_timeout_and_arguments_0(
                        expire.unchecked_ref(),
                        ms,
                    )
                    .ok()
            });
        });
        Deadline {
            expired,
            expired_token,
            controller,
            timer,
        }
    }

    /// The signal that aborts the request when the time is up.
    pub fn signal(&self) -> Option<AbortSignal> {
        self.controller.as_ref().map(AbortController::signal)
    }

    /// `step`'s value, unless the time runs out first or the step fails.
    pub async fn race(&self, step: &js_sys::Promise) -> Result<JsValue, StepFailed> {
        let steps = js_sys::Array::of2(step, &self.expired);
        match JsFuture::from(js_sys::Promise::race(&steps)).await {
            Ok(value) if js_sys::Object::is(&value, &self.expired_token) => {
                Err(StepFailed::TimedOut)
            }
            Ok(value) => Ok(value),
            Err(error) => Err(StepFailed::Failed(error)),
        }
    }
}

impl Drop for Deadline {
    fn drop(&mut self) {
        if let (Some(timer), Some(window)) = (self.timer, web_sys::window()) {
            window.clear_timeout_with_handle(timer);
        }
    }
}
