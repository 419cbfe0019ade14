//! ChromeDriver and one fresh headless Chromium session per measurement.

use std::net::TcpListener;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::{json, Value};

use garage_harness::chromium::HEADLESS_FLAGS;

use super::cdp::CdpCommand;
use super::Error;

/// The project's headless flags, plus unrounded `performance.memory` figures.
const EXTRA_FLAGS: [&str; 1] = ["--enable-precise-memory-info"];

/// Same viewport as the end-to-end tests, set through WebDriver rather than a flag.
const WINDOW_SIZE: (u32, u32) = (1280, 900);

/// How long ChromeDriver may take to start and open a session.
const STARTUP_PATIENCE: Duration = Duration::from_secs(20);

/// How often page conditions are polled. Polls run in the page, so not too often: the
/// page may be CPU-throttled and every poll takes its main thread for a moment.
const POLL_INTERVAL: Duration = Duration::from_millis(50);

/// How often [`Browser::wait_until_quiet`] looks: a quiet window lasts seconds, and each
/// look is a little work on the page's (maybe throttled) main thread.
const QUIET_POLL_INTERVAL: Duration = Duration::from_millis(250);

/// A running ChromeDriver; dropping it stops the process (and so any browser left).
pub struct ChromeDriver {
    child: Child,
    port: u16,
    sessions: AtomicUsize,
}

impl ChromeDriver {
    /// Starts `$CHROMEDRIVER` (or `chromedriver` from PATH) on a free local port.
    pub fn start() -> Result<ChromeDriver, Error> {
        let program = std::env::var("CHROMEDRIVER").unwrap_or_else(|_| "chromedriver".into());
        let port = TcpListener::bind("127.0.0.1:0")?.local_addr()?.port();
        let child = Command::new(&program)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| format!("cannot start {program}: {e} (scripts/bench.sh installs it)"))?;
        Ok(ChromeDriver {
            child,
            port,
            sessions: AtomicUsize::new(0),
        })
    }

    /// Opens a new browser with a fresh profile (so an empty HTTP cache and storage).
    pub async fn open(&self) -> Result<Browser, Error> {
        let n = self.sessions.fetch_add(1, Ordering::Relaxed);
        let profile = std::env::temp_dir().join(format!(
            "garage-bench-{}-{}-{n}",
            std::process::id(),
            self.port
        ));
        let _ = std::fs::remove_dir_all(&profile);
        let client = self.connect(&profile).await?;
        let browser = Browser { client, profile };
        let (width, height) = WINDOW_SIZE;
        if let Err(e) = browser.client.set_window_size(width, height).await {
            browser.close().await;
            return Err(format!("cannot size the window: {e}").into());
        }
        Ok(browser)
    }

    async fn connect(&self, profile: &std::path::Path) -> Result<Client, Error> {
        let mut args: Vec<String> = HEADLESS_FLAGS
            .iter()
            .chain(&EXTRA_FLAGS)
            .map(|f| f.to_string())
            .collect();
        args.push(format!("--user-data-dir={}", profile.display()));
        let mut chrome = json!({ "args": args });
        if let Ok(binary) = std::env::var("CHROMIUM") {
            chrome["binary"] = binary.into();
        }
        let mut caps = serde_json::Map::new();
        caps.insert("goog:chromeOptions".into(), chrome);
        let deadline = Instant::now() + STARTUP_PATIENCE;
        loop {
            // ChromeDriver needs a moment to listen after it starts: retry until then.
            let attempt = ClientBuilder::rustls()?
                .capabilities(caps.clone())
                .connect(&format!("http://127.0.0.1:{}", self.port))
                .await;
            match attempt {
                Ok(client) => return Ok(client),
                Err(e) if Instant::now() > deadline => {
                    return Err(format!("cannot start Chromium via ChromeDriver: {e}").into())
                }
                Err(_) => tokio::time::sleep(Duration::from_millis(100)).await,
            }
        }
    }
}

impl Drop for ChromeDriver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// One browser window with its own profile directory.
pub struct Browser {
    client: Client,
    profile: PathBuf,
}

impl Browser {
    /// Quits the browser and deletes its profile.
    pub async fn close(self) {
        let _ = self.client.close().await;
        let _ = std::fs::remove_dir_all(&self.profile);
    }

    /// Navigates and returns once the page's load event has fired.
    pub async fn goto(&self, url: &str) -> Result<(), Error> {
        self.client
            .goto(url)
            .await
            .map_err(|e| format!("cannot load {url}: {e}").into())
    }

    /// Sends a DevTools command to this tab and returns its result.
    pub async fn cdp(&self, cmd: &str, params: Value) -> Result<Value, Error> {
        self.client
            .issue_cmd(CdpCommand::new(cmd, params))
            .await
            .map_err(|e| format!("DevTools command {cmd} failed: {e}").into())
    }

    /// Runs a script (a function body: use `return`) and returns its value.
    pub async fn js(&self, script: &str) -> Result<Value, Error> {
        self.client
            .execute(script, vec![])
            .await
            .map_err(|e| format!("script failed: {e}\n{script}").into())
    }

    /// Runs an asynchronous script: it gets `args` and then a callback to call with its result.
    pub async fn js_async(&self, script: &str, args: Vec<Value>) -> Result<Value, Error> {
        self.client
            .execute_async(script, args)
            .await
            .map_err(|e| format!("script failed: {e}\n{script}").into())
    }

    /// Waits until the JavaScript expression `condition` is true.
    pub async fn wait_for(&self, condition: &str, patience: Duration) -> Result<(), Error> {
        let deadline = Instant::now() + patience;
        let script = format!("return !!({condition});");
        loop {
            if self.js(&script).await? == Value::Bool(true) {
                return Ok(());
            }
            if Instant::now() > deadline {
                return Err(
                    format!("timed out after {patience:?} waiting for: {condition}").into(),
                );
            }
            tokio::time::sleep(POLL_INTERVAL).await;
        }
    }

    /// Waits until the page has been quiet for `quiet`: no fetch in flight, no new resource
    /// finished and no new long task (the last two as counted by the page-load observers,
    /// when installed: see `page_load`). The network is idle and whatever its responses
    /// caused has run.
    pub async fn wait_until_quiet(&self, quiet: Duration, patience: Duration) -> Result<(), Error> {
        let deadline = Instant::now() + patience;
        let state = "const m = window.__bench; \
                     return [performance.getEntriesByType('resource').length, \
                     (m && m.longTasks.length) || 0, (m && m.pendingFetches) || 0];";
        let mut last = Value::Null;
        let mut since = Instant::now();
        loop {
            let now = self.js(state).await?;
            let pending = now[2].as_f64().unwrap_or(0.0) > 0.0;
            if pending || now != last {
                last = now;
                since = Instant::now();
            } else if since.elapsed() >= quiet {
                return Ok(());
            }
            if Instant::now() > deadline {
                return Err(
                    format!("the page never went quiet for {quiet:?} within {patience:?}").into(),
                );
            }
            tokio::time::sleep(QUIET_POLL_INTERVAL).await;
        }
    }

    /// Clicks the first element matching `css` as a reader does: WebDriver scrolls it into
    /// view and sends real pointer input (trusted events, pointer moved over it first).
    pub async fn click(&self, css: &str) -> Result<(), Error> {
        let element = self
            .client
            .find(Locator::Css(css))
            .await
            .map_err(|e| format!("no element {css}: {e}"))?;
        element
            .click()
            .await
            .map_err(|e| format!("cannot click {css}: {e}").into())
    }
}
