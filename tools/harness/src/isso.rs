//! Isso, the comment service the comment thread talks to, started for a test on loopback:
//! the real server (`scripts/setup.sh`'s `ensure_isso` installs it into `.tools/isso`), with
//! a fresh configuration and SQLite database in a new temporary directory, on a free port of
//! 127.0.0.1. It can be stopped and started again on the same port with the same database
//! (a service outage mid-journey), and a test can approve or reject a pending comment as the
//! moderator would, through the signed links Isso writes to its log.
//!
//! ```no_run
//! use garage_harness::isso::{IssoOptions, IssoServer};
//! let isso = IssoServer::start(IssoOptions::for_site("http://127.0.0.1:8080")).unwrap();
//! let base = isso.url(); // "http://127.0.0.1:PORT/", for the app's configuration
//! # drop(base);
//! ```

use std::fmt::Write as _;
use std::fs;
use std::io::{self, BufRead, BufReader, Read, Write};
use std::net::{IpAddr, SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::thread;
use std::time::{Duration, Instant};

/// Names the Isso executable; without it, `.tools/isso/bin/isso` in the workspace.
pub const ISSO_ENV_VAR: &str = "ISSO";

/// Set to `1` to copy Isso's log to stderr as it comes (with `--nocapture`).
const LOG_ENV_VAR: &str = "GARAGE_ISSO_LOG";

/// How long Isso may take to answer after it is started (Python start-up on a busy machine),
/// and to write a comment's moderation links to its log.
const PATIENCE: Duration = Duration::from_secs(30);

/// How often a start-up or a log line is looked for.
const POLL_INTERVAL: Duration = Duration::from_millis(20);

/// Each request's own limit, so a hung Isso fails the test instead of blocking it.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(20);

/// Isso's `[guard]`: its spam and abuse checks. Off unless set (see [`IssoOptions::guard`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IssoGuard {
    /// New comments per reader address per minute (`ratelimit`).
    pub ratelimit: u32,
    /// Top-level comments per reader address per thread, ever (`direct-reply`).
    pub direct_reply: u32,
    /// Whether a reader may reply to their own comment while they can still edit it.
    pub reply_to_self: bool,
    pub require_author: bool,
    pub require_email: bool,
}

impl Default for IssoGuard {
    /// Isso's own defaults (`isso.cfg` in the package).
    fn default() -> IssoGuard {
        IssoGuard {
            ratelimit: 2,
            direct_reply: 3,
            reply_to_self: false,
            require_author: false,
            require_email: false,
        }
    }
}

impl IssoGuard {
    /// The guard's checks of the comment itself (`require-author`, `reply-to-self`...),
    /// without its per-address limits, which every test would hit: all requests come from
    /// 127.0.0.1 here.
    pub fn without_limits() -> IssoGuard {
        IssoGuard {
            ratelimit: 1_000_000,
            direct_reply: 1_000_000,
            ..IssoGuard::default()
        }
    }
}

/// How the started Isso is configured.
#[derive(Clone, Debug)]
pub struct IssoOptions {
    /// The site origins Isso answers CORS for (`[general] host`), e.g.
    /// `http://127.0.0.1:8080`. Isso fetches a new thread's page from the first one when a
    /// post has no `title`.
    pub origins: Vec<String>,
    /// New comments wait for a moderator (mode 2) instead of showing at once (mode 1).
    pub moderation: bool,
    /// How long an author may edit or delete their comment (`[general] max-age`): the life of
    /// the credential Isso hands back. Whole seconds, at least one.
    pub edit_window: Duration,
    /// `None`: `[guard] enabled = false`.
    pub guard: Option<IssoGuard>,
    /// The port to listen on; `None`: a free one. For a build that names Isso's address.
    pub port: Option<u16>,
}

impl IssoOptions {
    /// Isso for one site origin; no moderation, Isso's 15-minute edit window, no guard.
    pub fn for_site(origin: impl Into<String>) -> IssoOptions {
        IssoOptions {
            origins: vec![origin.into()],
            moderation: false,
            edit_window: Duration::from_secs(15 * 60),
            guard: None,
            port: None,
        }
    }

    /// The configuration file Isso is started with.
    fn config(&self, db: &Path, port: u16) -> io::Result<String> {
        if self.origins.is_empty() {
            return Err(invalid("Isso needs at least one site origin"));
        }
        let max_age = self.edit_window.as_secs();
        if max_age == 0 || self.edit_window.subsec_nanos() != 0 {
            return Err(invalid(
                "the edit window must be whole seconds, at least one",
            ));
        }
        for value in &self.origins {
            // One value per line; `$` would be read as an environment variable.
            if value.contains(['\n', '\r', '$']) {
                return Err(invalid(&format!("not a config value: {value:?}")));
            }
        }
        let db = db
            .to_str()
            .ok_or_else(|| invalid("temp dir is not UTF-8"))?;
        let mut cfg = String::new();
        let list =
            |values: &[String]| -> String { values.iter().map(|v| format!("\n    {v}")).collect() };
        let on = |flag: bool| if flag { "true" } else { "false" };
        // `notify = stdout` writes each new comment's signed moderation links to the log.
        let _ = write!(
            cfg,
            "[general]\ndbpath = {db}\nhost ={}\nmax-age = {max_age}s\nnotify = stdout\n\
             gravatar = false\n\n\
             [moderation]\nenabled = {}\n\n\
             [server]\nlisten = http://127.0.0.1:{port}/\n\n",
            list(&self.origins),
            on(self.moderation),
        );
        match &self.guard {
            None => cfg.push_str("[guard]\nenabled = false\n"),
            Some(guard) => {
                let _ = write!(
                    cfg,
                    "[guard]\nenabled = true\nratelimit = {}\ndirect-reply = {}\n\
                     reply-to-self = {}\nrequire-author = {}\nrequire-email = {}\n",
                    guard.ratelimit,
                    guard.direct_reply,
                    on(guard.reply_to_self),
                    on(guard.require_author),
                    on(guard.require_email),
                );
            }
        }
        Ok(cfg)
    }
}

/// A running Isso. Dropping it kills the process and removes its directory and database.
pub struct IssoServer {
    binary: PathBuf,
    dir: PathBuf,
    config: PathBuf,
    port: u16,
    first_origin: String,
    /// `None` while stopped.
    process: Option<Child>,
    /// Everything Isso wrote to stderr (its log), across restarts.
    log: Arc<Mutex<String>>,
}

impl IssoServer {
    /// Writes a fresh configuration and database in a new temporary directory, starts Isso on
    /// a free port of 127.0.0.1 and waits until it answers.
    pub fn start(options: IssoOptions) -> io::Result<IssoServer> {
        let binary = isso_binary()?;
        let dir = fresh_temp_dir()?;
        let port = match options.port {
            Some(port) => port,
            None => free_port()?,
        };
        let config = dir.join("isso.cfg");
        let written = options
            .config(&dir.join("comments.db"), port)
            .and_then(|text| fs::write(&config, text));
        let mut isso = IssoServer {
            binary,
            dir,
            config,
            port,
            first_origin: options.origins.first().cloned().unwrap_or_default(),
            process: None,
            log: Arc::default(),
        };
        // On failure, dropping `isso` removes the directory.
        written?;
        isso.start_again()?;
        Ok(isso)
    }

    /// Isso's base URL, e.g. `http://127.0.0.1:41235/`.
    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}/", self.port)
    }

    pub fn addr(&self) -> SocketAddr {
        SocketAddr::from(([127, 0, 0, 1], self.port))
    }

    /// The SQLite database, which outlives [`stop`](Self::stop).
    pub fn database(&self) -> PathBuf {
        self.dir.join("comments.db")
    }

    /// Kills Isso, as an outage would: connections to its port are refused from now on.
    /// Nothing is lost (each write is an SQLite commit before Isso answers).
    pub fn stop(&mut self) {
        if let Some(mut process) = self.process.take() {
            let _ = process.kill();
            let _ = process.wait();
        }
    }

    pub fn is_running(&self) -> bool {
        self.process.is_some()
    }

    /// Starts Isso (again) on the same port with the same configuration and database, so
    /// the comments and the authors' credentials (signed with a key kept in the database)
    /// are as they were; waits until it answers.
    pub fn start_again(&mut self) -> io::Result<()> {
        if self.process.is_some() {
            return Ok(());
        }
        let mut process = Command::new(&self.binary)
            .arg("-c")
            .arg(&self.config)
            .arg("run")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|e| {
                io::Error::new(
                    e.kind(),
                    format!("could not start Isso ({}): {e}", self.binary.display()),
                )
            })?;
        let stderr = process.stderr.take().expect("stderr is piped");
        collect_log(stderr, Arc::clone(&self.log))?;
        self.process = Some(process);
        self.wait_until_answering()
    }

    fn wait_until_answering(&mut self) -> io::Result<()> {
        let deadline = Instant::now() + PATIENCE;
        loop {
            if let Ok(response) = self.request("GET", "/info", &[], b"") {
                if response.status == 200 {
                    return Ok(());
                }
            }
            let exited = match self.process.as_mut() {
                Some(process) => process.try_wait()?,
                None => None,
            };
            if let Some(status) = exited {
                self.process = None;
                return Err(io::Error::other(format!(
                    "Isso exited ({status}) before answering on port {}; its log:\n{}",
                    self.port,
                    self.log()
                )));
            }
            if Instant::now() > deadline {
                self.stop();
                return Err(io::Error::new(
                    io::ErrorKind::TimedOut,
                    format!(
                        "Isso did not answer on port {} within {PATIENCE:?}; its log:\n{}",
                        self.port,
                        self.log()
                    ),
                ));
            }
            thread::sleep(POLL_INTERVAL);
        }
    }

    /// What Isso has logged so far.
    pub fn log(&self) -> String {
        self.log
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// Publishes pending comment `id` as the moderator would: with the signed `activate`
    /// link Isso writes to its log for each new pending comment (the link its e-mail to the
    /// moderator carries).
    pub fn approve(&self, id: u64) -> io::Result<()> {
        let link = self.moderation_link(id, "activate")?;
        let response = self.request("POST", &link, &[], b"")?;
        match (response.status, response.body.as_str()) {
            (200, "Comment has been activated" | "Already activated") => Ok(()),
            (status, body) => Err(io::Error::other(format!(
                "approving comment {id}: {status} {body}"
            ))),
        }
    }

    /// Deletes comment `id` as the moderator would (the signed `delete` link, see
    /// [`approve`](Self::approve)).
    pub fn reject(&self, id: u64) -> io::Result<()> {
        let link = self.moderation_link(id, "delete")?;
        let response = self.request("POST", &link, &[], b"")?;
        match (response.status, response.body.as_str()) {
            (200, "Comment has been deleted") => Ok(()),
            (status, body) => Err(io::Error::other(format!(
                "rejecting comment {id}: {status} {body}"
            ))),
        }
    }

    /// The path of comment `id`'s moderation link for `action` (`activate` or `delete`),
    /// from Isso's log. Isso logs it before it answers the post, but the log is read
    /// through a pipe: wait for it.
    fn moderation_link(&self, id: u64, action: &str) -> io::Result<String> {
        let needle = format!("/id/{id}/{action}/");
        let deadline = Instant::now() + PATIENCE;
        loop {
            let found = self.log().lines().find_map(|line| {
                let start = line.find(&needle)?;
                let path = &line[start..];
                Some(path.split_whitespace().next().unwrap_or(path).to_owned())
            });
            if let Some(path) = found {
                return Ok(path);
            }
            if Instant::now() > deadline {
                return Err(io::Error::new(
                    io::ErrorKind::TimedOut,
                    format!(
                        "Isso logged no {action} link for comment {id}; its log:\n{}",
                        self.log()
                    ),
                ));
            }
            thread::sleep(POLL_INTERVAL);
        }
    }

    /// Posts a comment to thread `uri` as the site would (from the first origin, as JSON),
    /// e.g. to fill a thread before a journey. `reader` is the address Isso takes it to come
    /// from: Isso believes one `X-Forwarded-For` hop (werkzeug's `ProxyFix`, always on).
    /// `None` is 127.0.0.1, the browser's own address, and Isso never counts an author's
    /// like of their own comment (one vote per address, the author's included), so a
    /// comment the browser is to like must come from another reader.
    pub fn post_comment(
        &self,
        uri: &str,
        comment: &serde_json::Value,
        reader: Option<IpAddr>,
    ) -> io::Result<IssoResponse> {
        let forwarded = reader.map(|ip| ip.to_string());
        let mut headers = vec![
            ("Origin", self.first_origin.as_str()),
            ("Content-Type", "application/json"),
        ];
        if let Some(ip) = &forwarded {
            headers.push(("X-Forwarded-For", ip.as_str()));
        }
        let target = format!("/new?uri={}", encode_query_value(uri));
        let response = self.request("POST", &target, &headers, comment.to_string().as_bytes())?;
        match response.status {
            201 | 202 => Ok(response),
            status => Err(io::Error::other(format!(
                "posting to {uri}: {status} {}",
                response.body
            ))),
        }
    }

    /// Sends one HTTP/1.1 request to Isso (`Connection: close`) and reads the whole answer.
    /// `target` is the path and query, e.g. `/?uri=%2Fx&plain=1`.
    pub fn request(
        &self,
        method: &str,
        target: &str,
        headers: &[(&str, &str)],
        body: &[u8],
    ) -> io::Result<IssoResponse> {
        http_request(self.addr(), method, target, headers, body)
    }
}

impl Drop for IssoServer {
    fn drop(&mut self) {
        self.stop();
        let _ = fs::remove_dir_all(&self.dir);
    }
}

/// One answer from Isso. Header names are kept as sent; look them up with [`header`].
///
/// [`header`]: IssoResponse::header
#[derive(Clone, Debug)]
pub struct IssoResponse {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl IssoResponse {
    /// The first header named `name` (any case).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| {
            panic!(
                "Isso's answer is not JSON ({e}): {} {}",
                self.status, self.body
            )
        })
    }

    /// The `name=value` part of the `Set-Cookie` header: what a client sends back in
    /// `Cookie` to edit or delete the comment.
    pub fn cookie(&self) -> Option<&str> {
        self.header("set-cookie")
            .map(|cookie| cookie.split(';').next().unwrap_or(cookie))
    }
}

/// `$ISSO`, or the venv `ensure_isso` makes; an error saying how to install it otherwise.
fn isso_binary() -> io::Result<PathBuf> {
    let binary = match std::env::var_os(ISSO_ENV_VAR) {
        Some(path) => PathBuf::from(path),
        None => Path::new(env!("CARGO_MANIFEST_DIR")).join("../../.tools/isso/bin/isso"),
    };
    if binary.is_file() {
        Ok(binary)
    } else {
        Err(io::Error::new(
            io::ErrorKind::NotFound,
            format!(
                "Isso not found at {} (${ISSO_ENV_VAR} names it): install it with \
                 `source scripts/setup.sh && ensure_isso` (scripts/test.sh does)",
                binary.display()
            ),
        ))
    }
}

fn fresh_temp_dir() -> io::Result<PathBuf> {
    static COUNTER: AtomicUsize = AtomicUsize::new(0);
    let dir = std::env::temp_dir().join(format!(
        "garage-isso-{}-{}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::SeqCst)
    ));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir)?;
    Ok(dir)
}

/// A port nothing listens on now. Isso binds it a moment later; another process could take
/// it in between, and Isso's start then fails with its log saying so.
fn free_port() -> io::Result<u16> {
    Ok(TcpListener::bind("127.0.0.1:0")?.local_addr()?.port())
}

/// Reads Isso's stderr into `log`, line by line, until Isso exits.
fn collect_log(stderr: impl Read + Send + 'static, log: Arc<Mutex<String>>) -> io::Result<()> {
    let echo = std::env::var(LOG_ENV_VAR).is_ok_and(|v| v == "1");
    thread::Builder::new()
        .name("garage-isso-log".into())
        .spawn(move || {
            for line in BufReader::new(stderr).lines() {
                let Ok(line) = line else { break };
                if echo {
                    eprintln!("[isso] {line}");
                }
                let mut log = log.lock().unwrap_or_else(PoisonError::into_inner);
                log.push_str(&line);
                log.push('\n');
            }
        })?;
    Ok(())
}

/// Percent-encodes a query value (everything but unreserved characters and `/`).
pub fn encode_query_value(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for byte in value.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~/".contains(&byte) {
            out.push(byte as char);
        } else {
            let _ = write!(out, "%{byte:02X}");
        }
    }
    out
}

fn http_request(
    addr: SocketAddr,
    method: &str,
    target: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) -> io::Result<IssoResponse> {
    let mut stream = TcpStream::connect(addr)?;
    stream.set_read_timeout(Some(REQUEST_TIMEOUT))?;
    stream.set_write_timeout(Some(REQUEST_TIMEOUT))?;
    let mut head = format!("{method} {target} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n");
    for (name, value) in headers {
        let _ = write!(head, "{name}: {value}\r\n");
    }
    // Werkzeug reads no body without a length, whatever the method.
    let _ = write!(head, "Content-Length: {}\r\n\r\n", body.len());
    stream.write_all(head.as_bytes())?;
    // The body goes out from another thread while the answer is read: Isso answers a body
    // over its size limit (413) before reading it.
    let mut writer = stream.try_clone()?;
    let body = body.to_vec();
    let sending = thread::spawn(move || writer.write_all(&body));
    let answer = read_response(&mut stream);
    let _ = stream.shutdown(std::net::Shutdown::Both);
    let sent = sending
        .join()
        .unwrap_or_else(|_| Err(io::Error::other("writer panicked")));
    match answer {
        Ok(response) => Ok(response),
        Err(e) => Err(sent.err().unwrap_or(e)),
    }
}

/// Reads one answer: to its `Content-Length` (after a 413 Werkzeug keeps the connection
/// open), else to the end of the connection.
fn read_response(stream: &mut TcpStream) -> io::Result<IssoResponse> {
    let mut raw = Vec::new();
    let mut chunk = [0; 16 * 1024];
    let head_end = loop {
        if let Some(at) = raw.windows(4).position(|w| w == b"\r\n\r\n") {
            break at + 4;
        }
        let n = stream.read(&mut chunk)?;
        if n == 0 {
            return Err(invalid(
                "the connection closed before the end of the headers",
            ));
        }
        raw.extend_from_slice(&chunk[..n]);
    };
    let head = String::from_utf8_lossy(&raw[..head_end - 4]).into_owned();
    let mut lines = head.split("\r\n");
    let status = lines
        .next()
        .and_then(|line| line.split(' ').nth(1))
        .and_then(|code| code.parse().ok())
        .ok_or_else(|| invalid("an answer without a status"))?;
    let headers: Vec<(String, String)> = lines
        .filter_map(|line| line.split_once(':'))
        .map(|(name, value)| (name.trim().to_owned(), value.trim().to_owned()))
        .collect();
    let mut response = IssoResponse {
        status,
        headers,
        body: String::new(),
    };
    let mut body = raw.split_off(head_end);
    match response.header("content-length").map(str::parse::<usize>) {
        Some(Ok(length)) => {
            while body.len() < length {
                let n = stream.read(&mut chunk)?;
                if n == 0 {
                    return Err(invalid("the connection closed before the end of the body"));
                }
                body.extend_from_slice(&chunk[..n]);
            }
            body.truncate(length);
        }
        _ => {
            stream.read_to_end(&mut body)?;
            if response
                .header("transfer-encoding")
                .is_some_and(|v| v.eq_ignore_ascii_case("chunked"))
            {
                body = dechunk(&body)?;
            }
        }
    }
    response.body = String::from_utf8_lossy(&body).into_owned();
    Ok(response)
}

fn dechunk(mut chunked: &[u8]) -> io::Result<Vec<u8>> {
    let mut out = Vec::new();
    loop {
        let line_end = chunked
            .windows(2)
            .position(|w| w == b"\r\n")
            .ok_or_else(|| invalid("a chunk without its size line"))?;
        let size = std::str::from_utf8(&chunked[..line_end])
            .ok()
            .and_then(|line| usize::from_str_radix(line.split(';').next()?.trim(), 16).ok())
            .ok_or_else(|| invalid("a bad chunk size"))?;
        if size == 0 {
            return Ok(out);
        }
        let data = chunked
            .get(line_end + 2..line_end + 2 + size)
            .ok_or_else(|| invalid("a short chunk"))?;
        out.extend_from_slice(data);
        chunked = chunked.get(line_end + 4 + size..).unwrap_or_default();
    }
}

fn invalid(message: &str) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidInput, message.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn config_lists_origins_one_per_line_and_turns_the_guard_off_by_default() {
        let mut options = IssoOptions::for_site("http://127.0.0.1:8080");
        options.origins.push("http://localhost:8080".into());
        options.edit_window = Duration::from_secs(3);
        let cfg = options
            .config(Path::new("/tmp/x/comments.db"), 4242)
            .unwrap();
        assert!(cfg.contains("host =\n    http://127.0.0.1:8080\n    http://localhost:8080\n"));
        assert!(cfg.contains("max-age = 3s\n"));
        assert!(cfg.contains("listen = http://127.0.0.1:4242/\n"));
        assert!(cfg.contains("dbpath = /tmp/x/comments.db\n"));
        assert!(cfg.contains("[guard]\nenabled = false\n"));
    }

    #[test]
    fn config_refuses_what_isso_would_misread() {
        let db = Path::new("/tmp/comments.db");
        let mut no_origin = IssoOptions::for_site("x");
        no_origin.origins.clear();
        assert!(no_origin.config(db, 1).is_err());
        let mut split_second = IssoOptions::for_site("http://127.0.0.1:8080");
        split_second.edit_window = Duration::from_millis(1500);
        assert!(split_second.config(db, 1).is_err());
        let dollar = IssoOptions::for_site("http://$HOME");
        assert!(dollar.config(db, 1).is_err());
    }

    #[test]
    fn chunked_bodies_are_joined() {
        assert_eq!(
            dechunk(b"3\r\nabc\r\n2;x=y\r\nde\r\n0\r\n\r\n").unwrap(),
            b"abcde"
        );
        assert_eq!(dechunk(b"0\r\n\r\n").unwrap(), b"");
    }

    #[test]
    fn query_values_are_percent_encoded_but_slashes() {
        assert_eq!(encode_query_value("/articles/a b&c"), "/articles/a%20b%26c");
    }
}
