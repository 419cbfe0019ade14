//! Fault injection: canned responses that replace what the server would serve.

use std::collections::{HashMap, VecDeque};
use std::thread;
use std::time::Duration;

use crate::reply::Reply;

/// A response to send instead of the real file, e.g. an API error or a slow
/// answer, so end-to-end tests can exercise failure and loading states.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CannedResponse {
    pub status: u16,
    pub content_type: String,
    pub body: Vec<u8>,
    /// How long to wait before answering. Only the worker handling this
    /// request sleeps; other requests are served meanwhile.
    pub delay: Option<Duration>,
}

impl CannedResponse {
    pub fn new(status: u16, content_type: impl Into<String>, body: impl Into<Vec<u8>>) -> Self {
        CannedResponse {
            status,
            content_type: content_type.into(),
            body: body.into(),
            delay: None,
        }
    }

    /// A JSON response (`application/json`).
    pub fn json(status: u16, body: impl Into<String>) -> Self {
        CannedResponse::new(status, "application/json", body.into())
    }

    /// An HTML response (`text/html; charset=utf-8`).
    pub fn html(status: u16, body: impl Into<String>) -> Self {
        CannedResponse::new(status, "text/html; charset=utf-8", body.into())
    }

    /// The same response, sent only after `delay`.
    pub fn with_delay(mut self, delay: Duration) -> Self {
        self.delay = Some(delay);
        self
    }

    /// Waits out the delay (blocking the calling worker only), then builds the reply.
    pub(crate) fn into_reply_after_delay(self) -> Reply {
        if let Some(delay) = self.delay {
            thread::sleep(delay);
        }
        Reply::bytes(self.status, &self.content_type, self.body).header("Cache-Control", "no-cache")
    }
}

/// Per-path canned responses and request counts, keyed by URL path
/// (without query string).
#[derive(Default)]
pub(crate) struct FaultTable {
    queued: HashMap<String, VecDeque<CannedResponse>>,
    persistent: HashMap<String, CannedResponse>,
    request_counts: HashMap<String, usize>,
    /// Canned responses whose delay is over and which were handed to the connection (or
    /// found it gone): a test waits on this to know a late answer has come and gone.
    answered_counts: HashMap<String, usize>,
}

impl FaultTable {
    pub(crate) fn enqueue(&mut self, path: &str, responses: Vec<CannedResponse>) {
        self.queued
            .entry(path.to_owned())
            .or_default()
            .extend(responses);
    }

    pub(crate) fn set_persistent(&mut self, path: &str, response: CannedResponse) {
        self.persistent.insert(path.to_owned(), response);
    }

    pub(crate) fn clear(&mut self, path: &str) {
        self.queued.remove(path);
        self.persistent.remove(path);
    }

    pub(crate) fn clear_all(&mut self) {
        self.queued.clear();
        self.persistent.clear();
    }

    pub(crate) fn request_count(&self, path: &str) -> usize {
        self.request_counts.get(path).copied().unwrap_or(0)
    }

    pub(crate) fn total_request_count(&self) -> usize {
        self.request_counts.values().sum()
    }

    pub(crate) fn reset_request_counts(&mut self) {
        self.request_counts.clear();
    }

    pub(crate) fn record_answered(&mut self, path: &str) {
        *self.answered_counts.entry(path.to_owned()).or_default() += 1;
    }

    pub(crate) fn answered_count(&self, path: &str) -> usize {
        self.answered_counts.get(path).copied().unwrap_or(0)
    }

    /// Counts a request to `path` and returns the canned response to send,
    /// if any: queued ones first (in order), then the persistent one.
    pub(crate) fn record_request(&mut self, path: &str) -> Option<CannedResponse> {
        *self.request_counts.entry(path.to_owned()).or_default() += 1;
        self.pop_queued(path)
            .or_else(|| self.persistent.get(path).cloned())
    }

    fn pop_queued(&mut self, path: &str) -> Option<CannedResponse> {
        let queue = self.queued.get_mut(path)?;
        let next = queue.pop_front();
        if queue.is_empty() {
            self.queued.remove(path);
        }
        next
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn queue_pops_in_order_then_persistent_then_nothing() {
        let mut table = FaultTable::default();
        table.enqueue(
            "/a",
            vec![
                CannedResponse::json(500, "1"),
                CannedResponse::json(503, "2"),
            ],
        );
        table.set_persistent("/a", CannedResponse::json(200, "p"));
        let statuses: Vec<u16> = (0..4)
            .map(|_| table.record_request("/a").map_or(0, |r| r.status))
            .collect();
        assert_eq!(statuses, [500, 503, 200, 200]);
        table.clear("/a");
        assert_eq!(table.record_request("/a"), None);
        assert_eq!(table.request_count("/a"), 5);
        assert_eq!(table.request_count("/b"), 0);
    }

    #[test]
    fn helpers_set_content_type_and_delay() {
        let json = CannedResponse::json(404, r#"{"error":"x"}"#);
        assert_eq!(json.content_type, "application/json");
        assert_eq!(json.delay, None);
        let html = CannedResponse::html(200, "<p>hi</p>").with_delay(Duration::from_millis(5));
        assert_eq!(html.content_type, "text/html; charset=utf-8");
        assert_eq!(html.body, b"<p>hi</p>");
        assert_eq!(html.delay, Some(Duration::from_millis(5)));
    }
}
