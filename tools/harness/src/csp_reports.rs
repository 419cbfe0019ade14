//! Content-Security-Policy violation reports, collected so tests can assert that the
//! browser blocked nothing. Opt-in ([`StaticServer::collect_csp_reports`]): once on, every
//! policy the server sends asks for reports (`report-uri`), and the server keeps what
//! arrives.
//!
//! [`StaticServer::collect_csp_reports`]: crate::StaticServer::collect_csp_reports

use std::io::Read;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, PoisonError};

use tiny_http::{Method, Request};

use crate::reply::Reply;

/// Where browsers send reports; not a path of the site.
pub const CSP_REPORT_PATH: &str = "/__csp-report";

/// The header whose policy gets the `report-uri`.
const POLICY_HEADER: &str = "Content-Security-Policy";

/// More than any one report: a runaway body is cut here.
const MAX_REPORT_BYTES: u64 = 64 * 1024;

#[derive(Default)]
pub(crate) struct CspReports {
    collecting: AtomicBool,
    received: Mutex<Vec<String>>,
}

impl CspReports {
    pub(crate) fn start(&self) {
        self.collecting.store(true, Ordering::SeqCst);
    }

    pub(crate) fn is_collecting(&self) -> bool {
        self.collecting.load(Ordering::SeqCst)
    }

    /// The report bodies received since the last take, oldest first.
    pub(crate) fn take(&self) -> Vec<String> {
        std::mem::take(&mut *self.list())
    }

    /// Whether this request is a report for this collector to take.
    pub(crate) fn is_report(&self, path: &str) -> bool {
        self.is_collecting() && path == CSP_REPORT_PATH
    }

    /// Keeps the report `request` carries (a POST) and says it was received.
    pub(crate) fn receive(&self, request: &mut Request) -> Reply {
        if *request.method() != Method::Post {
            return Reply::text(405, "method not allowed").header("Allow", "POST");
        }
        let mut body = Vec::new();
        if request
            .as_reader()
            .take(MAX_REPORT_BYTES)
            .read_to_end(&mut body)
            .is_err()
        {
            return Reply::text(400, "unreadable report");
        }
        self.list()
            .push(String::from_utf8_lossy(&body).into_owned());
        Reply::bytes(204, "text/plain; charset=utf-8", Vec::new())
    }

    /// The reply with its policy (if any) asking for reports, while collecting.
    pub(crate) fn ask_for_reports(&self, reply: Reply) -> Reply {
        if !self.is_collecting() {
            return reply;
        }
        reply.map_header(POLICY_HEADER, with_report_uri)
    }

    fn list(&self) -> std::sync::MutexGuard<'_, Vec<String>> {
        self.received.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// `policy` with its violations reported to [`CSP_REPORT_PATH`].
fn with_report_uri(policy: &str) -> String {
    let policy = policy.trim_end_matches(|c: char| c == ';' || c.is_ascii_whitespace());
    format!("{policy}; report-uri {CSP_REPORT_PATH}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn appends_the_report_uri_to_the_policy() {
        assert_eq!(
            with_report_uri("default-src 'self'; object-src 'none'"),
            "default-src 'self'; object-src 'none'; report-uri /__csp-report"
        );
        assert_eq!(
            with_report_uri("default-src 'self'; "),
            "default-src 'self'; report-uri /__csp-report"
        );
    }

    #[test]
    fn leaves_replies_alone_until_started() {
        let reports = CspReports::default();
        let reply =
            || Reply::text(200, "x").header("Content-Security-Policy", "default-src 'none'");
        let before = reports.ask_for_reports(reply());
        assert_eq!(
            before.header_value("content-security-policy"),
            Some("default-src 'none'")
        );
        assert!(!reports.is_report(CSP_REPORT_PATH));
        reports.start();
        let after = reports.ask_for_reports(reply());
        assert_eq!(
            after.header_value("Content-Security-Policy"),
            Some("default-src 'none'; report-uri /__csp-report")
        );
        assert!(reports.is_report(CSP_REPORT_PATH));
        let plain = reports.ask_for_reports(Reply::text(200, "x"));
        assert_eq!(plain.header_value("Content-Security-Policy"), None);
    }
}
