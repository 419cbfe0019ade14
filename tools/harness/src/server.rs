//! The static HTTP server used by end-to-end tests and benchmarks.
//!
//! It answers the way Cloudflare Pages does (see `files.rs` for the two
//! differences), so tests see what users will see: the first matching
//! `_redirects` rule (rewrite or redirect), even where a file matches;
//! otherwise the path's own file; otherwise the nearest `404.html` up the
//! tree with status 404, or `index.html` with 200 for a site without one. A
//! missing `/api/` path is a JSON 404, so the app can tell a missing endpoint
//! from a page. `_headers` adds headers to
//! every response, canned ones included, as a CDN in front would. On
//! request it collects the browser's CSP violation reports (`csp_reports`).
//! Both rule files are read on every request, so a rebuild takes effect
//! without a restart.

use std::collections::BTreeMap;
use std::io;
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

use tiny_http::{Method, Request, Server};

use crate::canned::{CannedResponse, FaultTable};
use crate::csp_reports::CspReports;
use crate::custom_headers;
use crate::files;
use crate::reply::Reply;
use crate::request_path::path_of;
use crate::traffic::{PathTraffic, Traffic};

/// Enough workers that Chromium's parallel requests (and delayed canned
/// responses) do not queue behind each other.
const WORKER_COUNT: usize = 8;

/// Set to `1` to print one line per request to stderr.
const LOG_ENV_VAR: &str = "GARAGE_SERVE_LOG";

/// How long dropping the server waits for the port to be released.
const CLOSE_TIMEOUT: Duration = Duration::from_secs(1);

/// Serves a directory (the built app) on 127.0.0.1 like a production static
/// host: `_redirects` and `_headers` rules, the nearest `404.html` (or the SPA
/// fallback without one), precompressed files, cache headers, and fault injection.
/// Dropping it stops the server.
pub struct StaticServer {
    addr: SocketAddr,
    /// `None` only while dropping.
    http: Option<Arc<Server>>,
    shared: Arc<Shared>,
    workers: Vec<JoinHandle<()>>,
}

/// State the request workers share with the owning `StaticServer`.
struct Shared {
    root: PathBuf,
    faults: Mutex<FaultTable>,
    csp_reports: CspReports,
    log_requests: bool,
    stopping: AtomicBool,
    /// Requests answered and response body bytes sent so far, to every client, in all and
    /// per path: what a page and its service worker downloaded between two readings.
    traffic: Mutex<Traffic>,
}

impl StaticServer {
    /// Serves `root` on an OS-chosen port of 127.0.0.1.
    pub fn start(root: impl Into<PathBuf>) -> io::Result<StaticServer> {
        StaticServer::start_on(root, "127.0.0.1:0")
    }

    /// Serves `root` on `addr`, e.g. `"127.0.0.1:8080"`.
    pub fn start_on(root: impl Into<PathBuf>, addr: &str) -> io::Result<StaticServer> {
        let listener = TcpListener::bind(addr)?;
        let addr = listener.local_addr()?;
        let http = Arc::new(Server::from_listener(listener, None).map_err(io::Error::other)?);
        let shared = Arc::new(Shared {
            root: root.into(),
            faults: Mutex::default(),
            csp_reports: CspReports::default(),
            log_requests: std::env::var(LOG_ENV_VAR).is_ok_and(|v| v == "1"),
            stopping: AtomicBool::new(false),
            traffic: Mutex::default(),
        });
        let mut server = StaticServer {
            addr,
            http: Some(http),
            shared,
            workers: Vec::with_capacity(WORKER_COUNT),
        };
        // Spawned after construction, so a failed spawn stops the others.
        for _ in 0..WORKER_COUNT {
            server.add_worker()?;
        }
        Ok(server)
    }

    /// The server's origin, e.g. `http://127.0.0.1:41234`.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The absolute URL of `path` (which starts with `/`) on this server.
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base_url())
    }

    /// The bound socket address.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The directory being served.
    pub fn root(&self) -> &Path {
        &self.shared.root
    }

    /// Queues `responses` for the exact URL path `path` (query ignored);
    /// each request pops the next one, then the path is served normally
    /// again. Appends to any responses still queued.
    pub fn respond_with(&self, path: &str, responses: Vec<CannedResponse>) {
        self.faults().enqueue(path_of(path), responses);
    }

    /// Answers `path` with `response` until [`clear`](Self::clear) or
    /// [`clear_all`](Self::clear_all). Queued responses still go first.
    pub fn always_respond_with(&self, path: &str, response: CannedResponse) {
        self.faults().set_persistent(path_of(path), response);
    }

    /// Drops queued and persistent canned responses for `path`.
    pub fn clear(&self, path: &str) {
        self.faults().clear(path_of(path));
    }

    /// Drops all canned responses (request counts are kept).
    pub fn clear_all(&self) {
        self.faults().clear_all();
    }

    /// How many requests (any method, canned or not) arrived for the URL
    /// path `path` (query ignored, as sent: not percent-decoded).
    pub fn request_count(&self, path: &str) -> usize {
        self.faults().request_count(path_of(path))
    }

    /// How many canned responses for `path` have been answered: sent after their delay, or
    /// dropped because the client had gone (as when the app aborts a request it no longer
    /// needs).
    pub fn answered_count(&self, path: &str) -> usize {
        self.faults().answered_count(path_of(path))
    }

    /// Response body bytes sent so far (precompressed files as sent), to any client.
    pub fn body_bytes_sent(&self) -> u64 {
        self.shared.traffic().total_body_bytes()
    }

    /// Per URL path (query ignored, as sent): the requests answered so far and the body
    /// bytes sent for them, to any client. CSP reports are not counted.
    pub fn sent_per_path(&self) -> BTreeMap<String, PathTraffic> {
        self.shared.traffic().by_path()
    }

    /// How many requests arrived in total.
    pub fn total_request_count(&self) -> usize {
        self.faults().total_request_count()
    }

    /// Forgets all request counts, e.g. between phases of a test.
    pub fn reset_request_counts(&self) {
        self.faults().reset_request_counts();
    }

    /// From now on, every `Content-Security-Policy` header this server sends
    /// (from `_headers`) asks the browser to report violations to
    /// [`CSP_REPORT_PATH`](crate::CSP_REPORT_PATH), and the reports are kept
    /// for [`take_csp_reports`](Self::take_csp_reports). Reports are not
    /// counted as requests.
    pub fn collect_csp_reports(&self) {
        self.shared.csp_reports.start();
    }

    /// The violation reports received since the last call (each a request
    /// body as the browser sent it, JSON), oldest first.
    pub fn take_csp_reports(&self) -> Vec<String> {
        self.shared.csp_reports.take()
    }

    fn faults(&self) -> MutexGuard<'_, FaultTable> {
        self.shared.faults()
    }

    /// Starts one more thread answering requests.
    fn add_worker(&mut self) -> io::Result<()> {
        if let Some(http) = &self.http {
            let worker = spawn_worker(Arc::clone(http), Arc::clone(&self.shared))?;
            self.workers.push(worker);
        }
        Ok(())
    }
}

impl Drop for StaticServer {
    fn drop(&mut self) {
        let Some(http) = self.http.take() else {
            return;
        };
        self.shared.stopping.store(true, Ordering::SeqCst);
        // Each unblock wakes exactly one worker blocked in `recv`.
        for _ in &self.workers {
            http.unblock();
        }
        for worker in self.workers.drain(..) {
            let _ = worker.join();
        }
        // The last reference: tiny_http now stops its accept thread.
        drop(http);
        wait_until_closed(self.addr);
    }
}

/// Waits (briefly) until nothing accepts connections on `addr`, so the port
/// can be reused as soon as the server is dropped. tiny_http closes its
/// listener on a thread of its own that cannot be joined.
fn wait_until_closed(addr: SocketAddr) {
    let deadline = Instant::now() + CLOSE_TIMEOUT;
    while Instant::now() < deadline && TcpStream::connect_timeout(&addr, CLOSE_TIMEOUT).is_ok() {
        thread::sleep(Duration::from_millis(2));
    }
}

impl Shared {
    /// The fault table, even if a worker panicked while holding it.
    fn faults(&self) -> MutexGuard<'_, FaultTable> {
        self.faults.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn traffic(&self) -> MutexGuard<'_, Traffic> {
        self.traffic.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

fn spawn_worker(http: Arc<Server>, shared: Arc<Shared>) -> io::Result<JoinHandle<()>> {
    thread::Builder::new()
        .name("garage-serve-worker".to_owned())
        .spawn(move || serve_requests(&http, &shared))
}

/// Handles requests until the server is dropped.
fn serve_requests(http: &Server, shared: &Shared) {
    loop {
        match http.recv() {
            Ok(request) => handle(request, shared),
            // Either an unblock from `drop` or a transient accept error.
            Err(_) if shared.stopping.load(Ordering::SeqCst) => return,
            Err(_) => continue,
        }
    }
}

fn handle(mut request: Request, shared: &Shared) {
    let path = path_of(request.url()).to_owned();
    if shared.csp_reports.is_report(&path) {
        let reply = shared.csp_reports.receive(&mut request);
        if shared.log_requests {
            log_request(&request, &reply);
        }
        let _ = request.respond(reply.into_response());
        return;
    }
    let canned = shared.faults().record_request(&path);
    let was_canned = canned.is_some();
    let reply = match canned {
        Some(canned) => canned.into_reply_after_delay(),
        None => static_reply(&request, &path, &shared.root),
    };
    // On a real host a CDN adds these to whatever the origin answers, so
    // canned (fault-injection) responses get them too.
    let reply = reply.replace_headers(custom_headers::for_request(&shared.root, &path));
    // Cloudflare Pages lets no not-found answer be stored, whatever `_headers` says.
    let reply = match reply.status {
        404 if !was_canned => {
            reply.replace_headers(vec![("Cache-Control".into(), "no-store".into())])
        }
        _ => reply,
    };
    let reply = shared.csp_reports.ask_for_reports(reply);
    if shared.log_requests {
        log_request(&request, &reply);
    }
    shared.traffic().record(&path, reply.body_len() as u64);
    // The client may have gone away; nothing useful to do about it.
    let _ = request.respond(reply.into_response());
    if was_canned {
        shared.faults().record_answered(&path);
    }
}

fn static_reply(request: &Request, path: &str, root: &Path) -> Reply {
    if !matches!(request.method(), Method::Get | Method::Head) {
        return Reply::text(405, "method not allowed").header("Allow", "GET, HEAD");
    }
    let accept_encoding = request
        .headers()
        .iter()
        .find(|header| header.field.equiv("Accept-Encoding"))
        .map_or("", |header| header.value.as_str());
    files::serve(root, path, accept_encoding)
}

fn log_request(request: &Request, reply: &Reply) {
    let encoding = reply.header_value("Content-Encoding").unwrap_or("identity");
    eprintln!(
        "{} {} -> {} ({encoding})",
        request.method(),
        request.url(),
        reply.status
    );
}
