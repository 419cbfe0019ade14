//! Downloads with gloo-net, within one deadline each, and every failure classified.

use crate::core::load_error::{classify_response, json_body, Invalid, LoadError, Unavailable};
use crate::shell::browser::mark;
use futures::future::{select, Either};
use gloo_net::http::RequestBuilder;
use std::cell::Cell;
use std::future::Future;
use std::rc::Rc;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{AbortController, AbortSignal};

/// Longer than a slow phone network needs, short enough that a reader is not left waiting.
const TIMEOUT_MS: i32 = 15_000;

/// One download's time limit and its way to stop. Every step of a download (the headers,
/// the body) races against the same timer, so a connection that stalls anywhere ends in a
/// timeout the reader is told about, never in a wait without end. When the time is up, or
/// when the download is dropped unfinished (its task's owner went away), the request is
/// aborted, which frees the connection.
pub struct Deadline {
    expired: JsFuture,
    /// Set when the time is up: every later step is out of time at once.
    timed_out: Rc<Cell<bool>>,
    controller: Option<AbortController>,
    timer: Option<i32>,
    _expire: Closure<dyn FnMut()>,
}

impl Deadline {
    /// A download's deadline: [`TIMEOUT_MS`] from now.
    pub fn for_download() -> Deadline {
        Deadline::start(TIMEOUT_MS)
    }

    pub fn start(ms: i32) -> Deadline {
        let controller = AbortController::new().ok();
        let timed_out = Rc::new(Cell::new(false));
        let mut resolve_expired = None;
        let expired = js_sys::Promise::new(&mut |resolve, _| resolve_expired = Some(resolve));
        let expire = {
            let (controller, timed_out) = (controller.clone(), timed_out.clone());
            Closure::<dyn FnMut()>::new(move || {
                timed_out.set(true);
                if let Some(resolve) = &resolve_expired {
                    let _ = resolve.call0(&JsValue::UNDEFINED);
                }
                if let Some(controller) = &controller {
                    controller.abort();
                }
            })
        };
        let timer = web_sys::window().and_then(|window| {
            window
                .set_timeout_with_callback_and_timeout_and_arguments_0(
                    expire.as_ref().unchecked_ref(),
                    ms,
                )
                .ok()
        });
        Deadline {
            expired: JsFuture::from(expired),
            timed_out,
            controller,
            timer,
            _expire: expire,
        }
    }

    /// The signal that aborts the request when the time is up or the download is dropped.
    pub fn signal(&self) -> Option<AbortSignal> {
        self.controller.as_ref().map(AbortController::signal)
    }

    /// `step`'s value, unless the time runs out first (a timeout) or the step fails (the
    /// network).
    pub async fn run<T, E>(
        &mut self,
        step: impl Future<Output = Result<T, E>>,
    ) -> Result<T, LoadError> {
        let timeout = LoadError::Unavailable(Unavailable::Timeout);
        if self.timed_out.get() {
            return Err(timeout);
        }
        let step = std::pin::pin!(step);
        match select(step, &mut self.expired).await {
            Either::Left((Ok(value), _)) => Ok(value),
            // A step the deadline aborted failed because the time was up.
            Either::Left((Err(_), _)) if self.timed_out.get() => Err(timeout),
            Either::Left((Err(_), _)) => Err(LoadError::Unavailable(network_failure())),
            Either::Right(_) => Err(timeout),
        }
    }

    /// GETs `url` and reads its body as bytes, once the status and type say it may be JSON
    /// and it is not an HTML page. A body over `limit` bytes is refused before it is copied
    /// into the app's memory. Sets the User Timing mark `arrival_mark` (if any) the moment
    /// the body has arrived, so the benchmark measures decoding and rendering from there.
    pub async fn get(
        &mut self,
        url: &str,
        limit: usize,
        arrival_mark: Option<&str>,
    ) -> Result<Vec<u8>, LoadError> {
        let answer = self
            .exchange(RequestBuilder::new(url), None, None, limit)
            .await?;
        classify_response(answer.status, answer.content_type.as_deref())?;
        if let Some(name) = arrival_mark {
            mark(name);
        }
        json_body(answer.body)
    }

    /// Sends a request (with a JSON `body`, if given) and reads its answer: the status, the
    /// content type, the header `header` (if asked for) and the body, at most `limit`
    /// bytes. Failing on the way (the network, the time) is an error; any status is an
    /// answer.
    pub async fn exchange(
        &mut self,
        request: RequestBuilder,
        body: Option<String>,
        header: Option<&str>,
        limit: usize,
    ) -> Result<Answer, LoadError> {
        let signal = self.signal();
        let request = request.abort_signal(signal.as_ref());
        let network = LoadError::Unavailable(Unavailable::Network);
        let response = match body {
            Some(body) => {
                let request = request
                    .header("Content-Type", "application/json")
                    .body(body)
                    .map_err(|_| network.clone())?;
                self.run(request.send()).await?
            }
            None => self.run(request.send()).await?,
        };
        let headers = response.headers();
        let (status, content_type) = (response.status(), headers.get("content-type"));
        let header = header.and_then(|name| headers.get(name));
        let response: web_sys::Response = response.into();
        let buffer = response.array_buffer().map_err(|_| network.clone())?;
        let buffer = self.run(JsFuture::from(buffer)).await?;
        let buffer: js_sys::ArrayBuffer = buffer.dyn_into().map_err(|_| network)?;
        if buffer.byte_length() as usize > limit {
            return Err(LoadError::Invalid(Invalid::TooLarge { limit }));
        }
        Ok(Answer {
            status,
            content_type,
            header,
            body: js_sys::Uint8Array::new(&buffer).to_vec(),
        })
    }
}

/// A service's answer to a request.
pub struct Answer {
    pub status: u16,
    pub content_type: Option<String>,
    /// The header the request asked for.
    pub header: Option<String>,
    pub body: Vec<u8>,
}

/// A request that failed on the way: offline when the browser says so, else the network.
fn network_failure() -> Unavailable {
    let online = web_sys::window().is_none_or(|w| w.navigator().on_line());
    if online {
        Unavailable::Network
    } else {
        Unavailable::Offline
    }
}

impl Drop for Deadline {
    fn drop(&mut self) {
        if let (Some(timer), Some(window)) = (self.timer, web_sys::window()) {
            window.clear_timeout_with_handle(timer);
        }
        // A download dropped before it finished (its owner went away) stops here; for one
        // that finished this does nothing.
        if let Some(controller) = &self.controller {
            controller.abort();
        }
    }
}
