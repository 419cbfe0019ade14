//! Drives a headless browser against the release build in `dist/`, served by the harness's
//! static server as a host would serve it (redirects, headers, fault injection), or by
//! Cloudflare Pages' own runtime (`wrangler pages dev`, see [`cloudflare_journey`]):
//! Chromium through ChromeDriver, or Firefox ESR through geckodriver, as
//! `GARAGE_E2E_BROWSER` says (`chromium`, the default, or `firefox`). `scripts/test.sh` runs
//! every journey in both. Each test binary uses a part of these helpers.
#![allow(dead_code)]

pub mod service;

use fantoccini::elements::Element;
use fantoccini::{Client, ClientBuilder, Locator};
use garage_harness::chromium::HEADLESS_FLAGS;
use garage_harness::StaticServer;
use std::future::Future;
use std::net::TcpListener;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// A folder for Chromium's network logs, if set: one file per journey.
const NET_LOG_ENV_VAR: &str = "GARAGE_E2E_NET_LOG";

/// How long a reader-visible condition may take before a test gives up.
pub const PATIENCE: Duration = Duration::from_secs(15);

/// How long a journey's end waits for violation reports still on their way: a browser posts
/// one as it blocks something, and nothing can say that none is coming.
const CSP_REPORT_GRACE: Duration = Duration::from_millis(250);

pub const SEED_SLUG: &str = "putin-presents-new-luxury-car-to-kim-jong-un";

pub fn dist_dir() -> PathBuf {
    let dist = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../dist");
    assert!(
        dist.join("index.html").exists(),
        "dist/ has no build: run scripts/test.sh, which builds the release bundle first"
    );
    dist
}

/// The release build for a deploy under `/garage/`, which `scripts/test.sh` makes in
/// `target/subpath/garage/` (with the host's files, `_redirects` and `_headers`, beside it
/// at the top, where a host of that sub-path is configured): served from `target/subpath`.
pub fn subpath_root() -> PathBuf {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../target/subpath");
    assert!(
        root.join("garage/index.html").exists(),
        "target/subpath has no build: run scripts/test.sh, which builds it"
    );
    root
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

struct Driver(Child);

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// One reader's browser window and the server it talks to.
#[derive(Clone)]
pub struct Page {
    pub client: Client,
    /// The site's server; in a [`cloudflare_journey`], only the collector of the browser's
    /// Content-Security-Policy reports (the site is served by `cloudflare`).
    pub server: Arc<StaticServer>,
    /// When set, the browser reaches the server through it (see [`Page::behind_relay`]).
    pub relay: Option<Arc<garage_harness::Relay>>,
    /// When set, the site is served by Cloudflare Pages' runtime (see [`cloudflare_journey`]).
    pub cloudflare: Option<Arc<Wrangler>>,
}

/// The browser the journeys run in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BrowserKind {
    Chromium,
    Firefox,
}

pub fn browser_kind() -> BrowserKind {
    match std::env::var("GARAGE_E2E_BROWSER").as_deref() {
        Ok("firefox") => BrowserKind::Firefox,
        _ => BrowserKind::Chromium,
    }
}

impl BrowserKind {
    fn driver(self) -> (String, Vec<String>) {
        match self {
            BrowserKind::Chromium => (
                std::env::var("CHROMEDRIVER").unwrap_or_else(|_| "chromedriver".into()),
                Vec::new(),
            ),
            BrowserKind::Firefox => (
                std::env::var("GECKODRIVER").unwrap_or_else(|_| "geckodriver".into()),
                // Journeys run two at a time: each Firefox gets its own debugging port.
                vec!["--websocket-port".into(), "0".into()],
            ),
        }
    }

    fn capabilities(self, profile: &std::path::Path) -> serde_json::Map<String, serde_json::Value> {
        let mut caps = serde_json::Map::new();
        match self {
            BrowserKind::Chromium => {
                let mut args: Vec<String> = HEADLESS_FLAGS.map(String::from).to_vec();
                args.push("--window-size=1280,900".into());
                args.push(format!("--user-data-dir={}", profile.display()));
                // For a request that hangs: Chromium's own log of every request, socket and
                // cache entry, one file per journey (see docs/testing.md).
                if let Some(dir) = std::env::var_os(NET_LOG_ENV_VAR) {
                    let name = profile.file_name().unwrap_or_default().to_string_lossy();
                    let file = PathBuf::from(dir).join(format!("{name}.json"));
                    args.push(format!("--log-net-log={}", file.display()));
                    args.push("--net-log-capture-mode=Everything".into());
                }
                let mut chrome = serde_json::json!({ "args": args });
                if let Ok(binary) = std::env::var("CHROMIUM") {
                    chrome["binary"] = binary.into();
                }
                caps.insert("goog:chromeOptions".into(), chrome);
            }
            BrowserKind::Firefox => {
                let mut firefox = serde_json::json!({
                    "args": ["-headless", "--width=1280", "--height=900"],
                    // Nothing calls hosts this machine cannot reach.
                    "prefs": {
                        "app.update.disabledForTesting": true,
                        "browser.safebrowsing.malware.enabled": false,
                        "browser.safebrowsing.phishing.enabled": false,
                        "network.captive-portal-service.enabled": false,
                        "network.connectivity-service.enabled": false,
                        "datareporting.policy.dataSubmissionEnabled": false,
                        "toolkit.telemetry.enabled": false,
                    },
                });
                if let Ok(binary) = std::env::var("FIREFOX") {
                    firefox["binary"] = binary.into();
                }
                caps.insert("browserName".into(), "firefox".into());
                caps.insert("moz:firefoxOptions".into(), firefox);
            }
        }
        caps
    }
}

async fn connect(kind: BrowserKind, port: u16, profile: &std::path::Path) -> Client {
    let caps = kind.capabilities(profile);
    let deadline = Instant::now() + PATIENCE;
    loop {
        let attempt = ClientBuilder::rustls()
            .expect("TLS setup")
            .capabilities(caps.clone())
            .connect(&format!("http://127.0.0.1:{port}"))
            .await;
        match attempt {
            Ok(client) => return client,
            Err(e) if Instant::now() > deadline => {
                panic!("could not start {kind:?} through its WebDriver: {e}")
            }
            Err(_) => tokio::time::sleep(Duration::from_millis(100)).await,
        }
    }
}

/// Runs a journey with a fresh browser profile and server; always closes the browser,
/// even when the journey fails. A journey that passes must also have broken nothing the
/// site's Content-Security-Policy forbids: the server collects the browser's reports.
pub async fn journey<F, Fut>(body: F)
where
    F: FnOnce(Page) -> Fut,
    Fut: Future<Output = ()> + Send + 'static,
{
    journey_on(dist_dir(), body).await
}

/// A journey on the build at `root` (see [`journey`]).
pub async fn journey_on<F, Fut>(root: PathBuf, body: F)
where
    F: FnOnce(Page) -> Fut,
    Fut: Future<Output = ()> + Send + 'static,
{
    let server = StaticServer::start(root).expect("start the static server");
    run_journey(server, None, body).await
}

/// A journey on Cloudflare Pages' own runtime (`wrangler pages dev`, started here on a free
/// port of 127.0.0.1 and stopped at the end), serving a copy of `dist/` that `prepare` may
/// add files to first. The harness's server only collects the browser's policy reports:
/// the copy's `_headers` asks for them there.
pub async fn cloudflare_journey<F, Fut>(prepare: impl FnOnce(&std::path::Path), body: F)
where
    F: FnOnce(Page) -> Fut,
    Fut: Future<Output = ()> + Send + 'static,
{
    let site = SiteCopy::of(&dist_dir());
    prepare(site.path());
    let reports = TempDir::new("csp-reports");
    let collector = StaticServer::start(reports.path()).expect("start the report collector");
    let headers_file = site.path().join("_headers");
    let headers = std::fs::read_to_string(&headers_file).expect("the build has _headers");
    let report_uri = collector.url(garage_harness::CSP_REPORT_PATH);
    std::fs::write(&headers_file, with_report_uri(&headers, &report_uri)).unwrap();
    let wrangler = Wrangler::start(site);
    run_journey(collector, Some(Arc::new(wrangler)), body).await
}

/// `_headers` text whose Content-Security-Policy also asks for violation reports at `uri`.
pub fn with_report_uri(headers: &str, uri: &str) -> String {
    headers
        .lines()
        .map(
            |line| match line.trim_start().strip_prefix("Content-Security-Policy:") {
                Some(_) => format!("{line}; report-uri {uri}\n"),
                None => format!("{line}\n"),
            },
        )
        .collect()
}

/// A browser with a profile of its own, driven through its WebDriver.
pub struct Browser {
    pub client: Client,
    profile: PathBuf,
    _driver: Driver,
}

impl Browser {
    /// Starts the browser the journeys run in, with a fresh profile.
    pub async fn launch() -> Browser {
        let kind = browser_kind();
        let (driver, driver_args) = kind.driver();
        let port = free_port();
        let driver_process = Driver(
            Command::new(&driver)
                .arg(format!("--port={port}"))
                .args(&driver_args)
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .unwrap_or_else(|e| {
                    panic!("could not start {driver}: {e} (scripts/test.sh installs it)")
                }),
        );
        let profile =
            std::env::temp_dir().join(format!("my-garage-e2e-{}-{port}", std::process::id()));
        let client = connect(kind, port, &profile).await;
        if kind == BrowserKind::Firefox {
            let agent = client
                .execute("return navigator.userAgent", vec![])
                .await
                .unwrap();
            assert!(
                agent.as_str().unwrap_or_default().contains("Firefox"),
                "{agent}"
            );
        }
        Browser {
            client,
            profile,
            _driver: driver_process,
        }
    }

    /// Closes the browser and forgets its profile.
    pub async fn close(self) {
        let _ = self.client.close().await;
        let _ = std::fs::remove_dir_all(&self.profile);
    }
}

async fn run_journey<F, Fut>(server: StaticServer, cloudflare: Option<Arc<Wrangler>>, body: F)
where
    F: FnOnce(Page) -> Fut,
    Fut: Future<Output = ()> + Send + 'static,
{
    let browser = Browser::launch().await;
    let client = browser.client.clone();
    let server = Arc::new(server);
    server.collect_csp_reports();
    let page = Page {
        client: client.clone(),
        server: Arc::clone(&server),
        relay: None,
        cloudflare,
    };
    let outcome = tokio::spawn(body(page)).await;
    if outcome.is_ok() {
        tokio::time::sleep(CSP_REPORT_GRACE).await;
    }
    let csp_reports = server.take_csp_reports();
    browser.close().await;
    if let Err(e) = outcome {
        if !csp_reports.is_empty() {
            eprintln!("CSP violation reports:\n{}", csp_reports.join("\n"));
        }
        std::panic::resume_unwind(e.into_panic());
    }
    assert!(
        csp_reports.is_empty(),
        "the Content-Security-Policy blocked something:\n{}",
        csp_reports.join("\n")
    );
}

impl Page {
    /// Another reader, in a browser and profile of their own, on the same site.
    pub async fn another_reader(&self) -> (Page, Browser) {
        let browser = Browser::launch().await;
        let page = Page {
            client: browser.client.clone(),
            ..self.clone()
        };
        (page, browser)
    }

    pub fn url(&self, path: &str) -> String {
        match (&self.relay, &self.cloudflare) {
            (Some(relay), _) => relay.url(path),
            (None, Some(cloudflare)) => cloudflare.url(path),
            (None, None) => self.server.url(path),
        }
    }

    /// The same browser and server, with the browser going through a relay whose network
    /// the journey can cut (`page.relay.cut()`), as when a reader goes offline.
    pub fn behind_relay(self) -> Page {
        let relay = garage_harness::Relay::start(self.server.addr()).expect("start a relay");
        Page {
            relay: Some(Arc::new(relay)),
            ..self
        }
    }

    /// Cuts the network between the browser and the server (see [`Page::behind_relay`]).
    pub fn go_offline(&self) {
        self.relay.as_ref().expect("a page behind a relay").cut();
    }

    /// Opens a page and waits until the app has taken it over: from then on a click on a
    /// link is handled in the page. Errors the page throws from then on are recorded.
    pub async fn open(&self, path: &str) {
        self.open_static(path).await;
        self.wait_until("document.documentElement.dataset.app === 'ready'")
            .await;
        self.record_errors().await;
    }

    /// Opens a page and waits until the document has loaded, whatever its code does.
    pub async fn open_static(&self, path: &str) {
        self.client.goto(&self.url(path)).await.expect("navigate");
        self.wait_until("document.readyState === 'complete'").await;
    }

    /// From now on, every uncaught error and unhandled rejection in the page (a wasm trap
    /// among them) is kept in `window.__errors`; see [`Page::assert_no_errors`].
    pub async fn record_errors(&self) {
        self.js("if (!window.__errors) {
               window.__errors = [];
               addEventListener('error', e => window.__errors.push(String(e.message || e.error)));
               addEventListener('unhandledrejection', e => window.__errors.push(String(e.reason)));
             }
             return null;")
            .await;
    }

    /// Fails if the page recorded an error since [`Page::record_errors`].
    pub async fn assert_no_errors(&self) {
        let errors = self.js("return window.__errors || [];").await;
        assert_eq!(errors, serde_json::json!([]), "the page threw");
    }

    /// Scrolls the comment section into view, as a reader does: that is when the comments
    /// are fetched.
    pub async fn approach_comments(&self) {
        self.find("#comments").await;
        self.js("document.getElementById('comments').scrollIntoView(); return null;")
            .await;
    }

    /// Opens the seed article the way the app renders it in the browser (from its JSON):
    /// from the front page, following its link.
    pub async fn open_seed_in_app(&self) {
        self.open("/").await;
        self.click(&format!(".article-list a[href$='/articles/{SEED_SLUG}']"))
            .await;
        self.wait_for_text("h1", "Putin presents a new luxury car to Kim Jong-un")
            .await;
    }

    /// Makes `/articles/{slug}` have no page of its own, as for an article published after
    /// the build: the host serves `articles/404.html` (the article page in its loading
    /// state, with status 404), and the app renders the article from its JSON.
    pub fn as_if_published_after_the_build(&self, slug: &str) {
        let loading = std::fs::read_to_string(dist_dir().join("articles/404.html"))
            .expect("the build has articles/404.html");
        self.server.always_respond_with(
            &format!("/articles/{slug}"),
            garage_harness::CannedResponse::html(404, &loading),
        );
    }

    /// The app's wasm file in the build.
    pub fn wasm_path(&self) -> String {
        let name = std::fs::read_dir(dist_dir())
            .unwrap()
            .filter_map(|e| e.ok()?.file_name().into_string().ok())
            .find(|name| name.starts_with("my-garage-") && name.ends_with("_bg.wasm"))
            .expect("the build has the app's wasm");
        format!("/{name}")
    }

    pub async fn open_seed(&self) {
        self.open(&format!("/articles/{SEED_SLUG}")).await;
        self.wait_for_text("h1", "Putin presents a new luxury car to Kim Jong-un")
            .await;
    }

    pub async fn find(&self, css: &str) -> Element {
        let found = self
            .client
            .wait()
            .at_most(PATIENCE)
            .for_element(Locator::Css(css))
            .await;
        match found {
            Ok(element) => element,
            Err(e) => panic!("no element {css}: {e}\n{}", self.describe().await),
        }
    }

    /// What the page shows, for a failure's message: its address, whether it is the tab in
    /// front, the app's state, the comments' heading and any message the page gives.
    pub async fn describe(&self) -> String {
        let state = self
            .client
            .execute(
                "const text = (css) => [...document.querySelectorAll(css)].map(e => e.innerText).join(' | ');
                 return JSON.stringify({
                   url: location.href,
                   visibility: document.visibilityState,
                   app: document.documentElement.dataset.app,
                   comments: text('#comments-heading'),
                   comment_ids: [...document.querySelectorAll('.comment')].map(c => c.id).slice(0, 12),
                   messages: text('[role=alert], [role=status], .warning, .error'),
                   errors: window.__errors || [],
                 });",
                vec![],
            )
            .await;
        match state {
            Ok(state) => format!("the page: {}", state.as_str().unwrap_or_default()),
            Err(e) => format!("the page could not be read: {e}"),
        }
    }

    pub async fn find_all(&self, css: &str) -> Vec<Element> {
        self.client
            .find_all(Locator::Css(css))
            .await
            .expect("find_all")
    }

    pub async fn text(&self, css: &str) -> String {
        self.find(css).await.text().await.expect("text")
    }

    pub async fn texts(&self, css: &str) -> Vec<String> {
        let mut out = Vec::new();
        for e in self.find_all(css).await {
            out.push(e.text().await.expect("text"));
        }
        out
    }

    pub async fn click(&self, css: &str) {
        self.find(css)
            .await
            .click()
            .await
            .unwrap_or_else(|e| panic!("click {css}: {e}"));
    }

    /// Runs JavaScript in the page and returns its value.
    pub async fn js(&self, script: &str) -> serde_json::Value {
        self.client
            .execute(script, vec![])
            .await
            .unwrap_or_else(|e| panic!("script failed: {e}\n{script}"))
    }

    /// Runs JavaScript that ends by calling `done(value)` (for promises), and returns the value.
    pub async fn js_async(&self, script: &str) -> serde_json::Value {
        let script = format!("const done = arguments[arguments.length - 1]; {script}");
        self.client
            .execute_async(&script, vec![])
            .await
            .unwrap_or_else(|e| panic!("script failed: {e}\n{script}"))
    }

    /// Waits until `condition` (a JavaScript expression) is true.
    pub async fn wait_until(&self, condition: &str) {
        let deadline = Instant::now() + PATIENCE;
        loop {
            if self.js(&format!("return !!({condition});")).await == serde_json::Value::Bool(true) {
                return;
            }
            if Instant::now() > deadline {
                panic!(
                    "timed out waiting for: {condition}\n{}",
                    self.describe().await
                );
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Waits until the first element matching `css` shows `expected` in its text.
    pub async fn wait_for_text(&self, css: &str, expected: &str) {
        let condition = format!(
            "(document.querySelector({}) || {{}}).innerText?.includes({})",
            serde_json::to_string(css).unwrap(),
            serde_json::to_string(expected).unwrap()
        );
        let deadline = Instant::now() + PATIENCE;
        loop {
            if self.js(&format!("return !!({condition});")).await == serde_json::Value::Bool(true) {
                return;
            }
            if Instant::now() > deadline {
                let actual = self
                    .js(&format!(
                        "return (document.querySelector({}) || {{}}).innerText || '(none)';",
                        serde_json::to_string(css).unwrap()
                    ))
                    .await;
                panic!(
                    "timed out waiting for {css} to show {expected:?}; it shows {actual}\n{}",
                    self.describe().await
                );
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Leaves a marker on the window: it survives client-side navigation, not a reload.
    pub async fn mark_window(&self) {
        self.js("window.__noReload = true; return null;").await;
    }

    /// The path of the document the window loaded (its navigation entry): unchanged by
    /// navigation within the page, whatever the service worker fetches meanwhile.
    pub async fn document_path(&self) -> String {
        let path = self
            .js("return new URL(performance.getEntriesByType('navigation')[0].name).pathname")
            .await;
        path.as_str().unwrap_or_default().to_owned()
    }

    pub async fn window_still_marked(&self) -> bool {
        self.js("return window.__noReload === true;").await == serde_json::Value::Bool(true)
    }
}

impl Page {
    /// Sets a field's value as typing would (any text, emoji included) and tells the app.
    pub async fn fill(&self, css: &str, text: &str) {
        self.find(css).await;
        let script = format!(
            "const el = document.querySelector({}); el.value = {}; el.dispatchEvent(new Event('input', {{ bubbles: true }})); return null;",
            serde_json::to_string(css).unwrap(),
            serde_json::to_string(text).unwrap()
        );
        self.js(&script).await;
    }

    /// Posts a top-level comment through the form and waits until it shows.
    pub async fn post_comment(&self, name: &str, body: &str) {
        self.fill("#add-comment input", name).await;
        self.fill("#add-comment textarea", body).await;
        self.click("#add-comment button[type=submit]").await;
        self.wait_for_comment(body).await;
    }

    /// Waits for a comment whose body shows `body`.
    pub async fn wait_for_comment(&self, body: &str) {
        self.wait_until(&format!(
            "[...document.querySelectorAll('.comment-body')].some(e => e.textContent === {})",
            serde_json::to_string(body).unwrap()
        ))
        .await;
    }

    /// The `id` of the comment element whose body is `body`.
    pub async fn comment_id(&self, body: &str) -> String {
        let script = format!(
            "return [...document.querySelectorAll('.comment')].find(c => c.querySelector(':scope > .comment-body')?.textContent === {})?.id;",
            serde_json::to_string(body).unwrap()
        );
        self.js(&script)
            .await
            .as_str()
            .unwrap_or_else(|| panic!("no comment {body:?}"))
            .to_owned()
    }
}

/// A uniquely named directory under the system's temporary one, removed on drop.
pub struct TempDir(PathBuf);

impl TempDir {
    pub fn new(label: &str) -> TempDir {
        static COUNT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        let n = COUNT.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        let dir =
            std::env::temp_dir().join(format!("my-garage-e2e-{label}-{}-{n}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("create a temporary directory");
        TempDir(dir)
    }

    pub fn path(&self) -> &std::path::Path {
        &self.0
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// A copy of a build that a journey may change (add an article, deploy another build), made
/// without the precompressed `.br` and `.gz` files, so that what the journey writes is what
/// is served.
pub struct SiteCopy(TempDir);

impl SiteCopy {
    pub fn of(build: &std::path::Path) -> SiteCopy {
        let copy = SiteCopy(TempDir::new("site"));
        copy_tree(build, copy.path());
        copy
    }

    pub fn path(&self) -> &std::path::Path {
        self.0.path()
    }
}

fn copy_tree(from: &std::path::Path, to: &std::path::Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let name = entry.file_name();
        let name_text = name.to_string_lossy();
        if entry.file_type().unwrap().is_dir() {
            copy_tree(&entry.path(), &to.join(&name));
        } else if !name_text.ends_with(".br") && !name_text.ends_with(".gz") {
            std::fs::copy(entry.path(), to.join(&name)).unwrap();
        }
    }
}

/// How long Cloudflare Pages' runtime may take to start (it hashes every file of the site).
const WRANGLER_PATIENCE: Duration = Duration::from_secs(90);

/// `wrangler pages dev` (npm's wrangler 3, which `scripts/setup.sh` installs into `.tools/`,
/// or the one `WRANGLER` names) serving a site on a free port of 127.0.0.1, offline. Dropped,
/// it stops with everything it started (its own process group).
pub struct Wrangler {
    child: Child,
    port: u16,
    site: SiteCopy,
    /// Its state and log, away from the worktree.
    work: TempDir,
}

impl Wrangler {
    pub fn start(site: SiteCopy) -> Wrangler {
        use std::os::unix::process::CommandExt;
        let program = std::env::var("WRANGLER").unwrap_or_else(|_| {
            let local = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
                .join("../../.tools/node_modules/.bin/wrangler");
            local.to_string_lossy().into_owned()
        });
        let work = TempDir::new("wrangler");
        let log = std::fs::File::create(work.path().join("wrangler.log")).unwrap();
        let port = free_port();
        let child = Command::new(&program)
            .args(["pages", "dev"])
            .arg(site.path())
            .args(["--ip", "127.0.0.1", "--port", &port.to_string()])
            .args(["--inspector-port", &free_port().to_string()])
            .args(["--persist-to"])
            .arg(work.path().join("state"))
            // The newest date its runtime supports (it warns about any later one).
            .args(["--compatibility-date", "2025-07-18"])
            .current_dir(work.path())
            .env("WRANGLER_SEND_METRICS", "false")
            .env("WRANGLER_LOG_PATH", work.path().join("logs"))
            .stdin(Stdio::null())
            .stdout(log.try_clone().unwrap())
            .stderr(log)
            .process_group(0)
            .spawn()
            .unwrap_or_else(|e| {
                panic!("could not start {program}: {e} (scripts/setup.sh installs it)")
            });
        let mut wrangler = Wrangler {
            child,
            port,
            site,
            work,
        };
        wrangler.wait_until_ready();
        wrangler
    }

    fn wait_until_ready(&mut self) {
        let deadline = Instant::now() + WRANGLER_PATIENCE;
        loop {
            if http_get(self.port, "/").is_some() {
                return;
            }
            let exited = self.child.try_wait().ok().flatten();
            if exited.is_some() || Instant::now() > deadline {
                let log = std::fs::read_to_string(self.work.path().join("wrangler.log"));
                panic!(
                    "wrangler pages dev did not answer ({exited:?}):\n{}",
                    log.unwrap_or_default()
                );
            }
            std::thread::sleep(Duration::from_millis(200));
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// The copy of the build it serves.
    pub fn site(&self) -> &std::path::Path {
        self.site.path()
    }
}

impl Drop for Wrangler {
    fn drop(&mut self) {
        // Wrangler runs Cloudflare's runtime (workerd) as a child: the whole group goes.
        let group = format!("-{}", self.child.id());
        let _ = Command::new("kill").args(["-TERM", "--", &group]).status();
        let deadline = Instant::now() + Duration::from_secs(10);
        while self.child.try_wait().ok().flatten().is_none() && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = Command::new("kill").args(["-KILL", "--", &group]).status();
        let _ = self.child.wait();
    }
}

/// A response as a plain HTTP client gets it (no redirect followed).
pub struct HttpResponse {
    pub status: u16,
    /// Names in lower case.
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl HttpResponse {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// `GET path` from 127.0.0.1:`port` as one HTTP/1.1 exchange, uncompressed; `None` when
/// nothing answers there. The body is read as its length or chunks say (a server may keep the
/// connection open whatever the request asks).
pub fn http_get(port: u16, path: &str) -> Option<HttpResponse> {
    use std::io::{BufRead, BufReader, Read, Write};
    let mut stream = std::net::TcpStream::connect(("127.0.0.1", port)).ok()?;
    stream.set_read_timeout(Some(PATIENCE)).ok()?;
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n"
    )
    .ok()?;
    let mut reader = BufReader::new(stream);
    let mut line = String::new();
    reader.read_line(&mut line).ok()?;
    let status = line.split(' ').nth(1)?.parse().ok()?;
    let mut headers = Vec::new();
    loop {
        line.clear();
        reader.read_line(&mut line).ok()?;
        let Some((name, value)) = line.trim_end().split_once(':') else {
            break;
        };
        headers.push((name.trim().to_ascii_lowercase(), value.trim().to_owned()));
    }
    let mut response = HttpResponse {
        status,
        headers,
        body: String::new(),
    };
    let mut body = Vec::new();
    if response.header("transfer-encoding") == Some("chunked") {
        loop {
            line.clear();
            reader.read_line(&mut line).ok()?;
            let size = usize::from_str_radix(line.trim(), 16).ok()?;
            let mut chunk = vec![0; size + 2];
            reader.read_exact(&mut chunk).ok()?;
            if size == 0 {
                break;
            }
            body.extend_from_slice(&chunk[..size]);
        }
    } else if let Some(length) = response.header("content-length") {
        body.resize(length.parse().ok()?, 0);
        reader.read_exact(&mut body).ok()?;
    } else {
        reader.read_to_end(&mut body).ok()?;
    }
    response.body = String::from_utf8_lossy(&body).into_owned();
    Some(response)
}
