//! One unthrottled first load of a page, in a fresh browser, counted on the server: what the
//! page and its service worker downloaded, in all and per path. The benchmark loads the seed
//! article from the build as built and from its [`unpublished`](super::unpublished) copy,
//! alternately; the difference is what publishing costs the first load.
//!
//! Counted on the server, not in the page: the page's Resource Timing does not see the
//! service worker's own fetches (its script, what it caches when it installs, what it keeps).
//! Each load has a server of its own, read before and after.
//!
//! The load is over when the app is ready (`app-ready`), then, in the build as built, its
//! service worker is `activated` (`navigator.serviceWorker.ready`, then the worker's state),
//! and then the server has sent nothing for [`SERVER_QUIET`]: by then the worker has cached
//! what it caches when it installs and kept the page the app asked it to keep.

use std::collections::BTreeMap;
use std::path::Path;
use std::time::{Duration, Instant};

use serde_json::Value;

use garage_harness::{PathTraffic, StaticServer};

use super::browser::Browser;
use super::{Error, APP_READY_JS};

/// An unthrottled local load takes well under a second; this is only a safety net.
const LOAD_PATIENCE: Duration = Duration::from_secs(30);

/// How long the server must have sent nothing before the load counts as over. Everything
/// the page or its worker fetches after `app-ready` starts within milliseconds, locally.
pub const SERVER_QUIET: Duration = Duration::from_secs(3);

/// How often the server's tally is read (in the harness: it costs the page nothing).
const SERVER_POLL: Duration = Duration::from_millis(100);

/// Which copy of the site is loaded.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Build {
    /// The release build, with its pages' heads and service worker.
    AsBuilt,
    /// The same build without them.
    Unpublished,
}

/// What one load cost the server.
#[derive(Clone, Debug, PartialEq)]
pub struct ServedLoad {
    /// Response body bytes sent, as sent (`.br` where the browser accepts it).
    pub body_bytes: u64,
    /// Per URL path: requests and body bytes.
    pub sent: BTreeMap<String, PathTraffic>,
    /// Whether the service worker had kept the page by the end (for [`Build::AsBuilt`]).
    pub page_kept: bool,
}

impl ServedLoad {
    pub fn requests(&self) -> usize {
        self.sent.values().map(|sent| sent.requests).sum()
    }
}

/// Starts watching the worker's state, from `navigator.serviceWorker.ready` (which settles
/// once a worker is active, that is activating or activated).
const WATCH_WORKER_JS: &str = r#"
window.__benchWorker = 'waiting';
navigator.serviceWorker.ready.then(registration => {
  const worker = registration.active;
  const update = () => { window.__benchWorker = worker.state; };
  update();
  worker.addEventListener('statechange', update);
});
"#;

/// How many workers are registered, and whether the page is in the worker's cache.
const WORKER_STATE_JS: &str = r#"
const done = arguments[arguments.length - 1];
(async () => {
  const registrations = 'serviceWorker' in navigator
    ? (await navigator.serviceWorker.getRegistrations()).length : 0;
  const kept = 'caches' in window
    && !!(await caches.match(location.pathname, { ignoreVary: true }));
  done({ registrations, kept });
})().catch(e => done({ error: String(e) }));
"#;

/// Serves `site` on a server of its own and loads `path` in `browser` (which must be fresh),
/// until the app is ready and, with a service worker, the worker activated; then waits until
/// the server has been quiet and returns what it sent.
pub async fn measure_served_load(
    browser: &Browser,
    site: &Path,
    path: &str,
    build: Build,
) -> Result<ServedLoad, Error> {
    let server = StaticServer::start(site)?;
    let (bytes_before, sent_before) = (server.body_bytes_sent(), server.sent_per_path());
    browser.goto(&server.url(path)).await?;
    browser.wait_for(APP_READY_JS, LOAD_PATIENCE).await?;
    if build == Build::AsBuilt {
        browser.js(WATCH_WORKER_JS).await?;
        browser
            .wait_for("window.__benchWorker === 'activated'", LOAD_PATIENCE)
            .await
            .map_err(|e| format!("the service worker was never activated: {e}"))?;
    }
    wait_until_server_quiet(&server).await?;
    let state = browser.js_async(WORKER_STATE_JS, vec![]).await?;
    if let Some(error) = state["error"].as_str() {
        return Err(format!("cannot read the service worker's state: {error}").into());
    }
    let registered = state["registrations"].as_u64().unwrap_or(0) > 0;
    if registered != (build == Build::AsBuilt) {
        return Err(format!(
            "{build:?}: a service worker was {}registered",
            if registered { "" } else { "not " }
        )
        .into());
    }
    Ok(ServedLoad {
        body_bytes: server.body_bytes_sent() - bytes_before,
        sent: difference(&server.sent_per_path(), &sent_before),
        page_kept: state["kept"] == Value::Bool(true),
    })
}

/// Waits until the server has sent nothing (no new request, no new byte) for
/// [`SERVER_QUIET`].
async fn wait_until_server_quiet(server: &StaticServer) -> Result<(), Error> {
    let deadline = Instant::now() + LOAD_PATIENCE;
    let reading = || {
        let sent = server.sent_per_path();
        (
            server.body_bytes_sent(),
            sent.values().map(|s| s.requests).sum::<usize>(),
        )
    };
    let mut last = reading();
    let mut since = Instant::now();
    loop {
        tokio::time::sleep(SERVER_POLL).await;
        let now = reading();
        if now != last {
            (last, since) = (now, Instant::now());
        } else if since.elapsed() >= SERVER_QUIET {
            return Ok(());
        }
        if Instant::now() > deadline {
            return Err(format!(
                "the server never went quiet for {SERVER_QUIET:?} within {LOAD_PATIENCE:?}"
            )
            .into());
        }
    }
}

/// What was sent between two readings of the per-path tally.
fn difference(
    after: &BTreeMap<String, PathTraffic>,
    before: &BTreeMap<String, PathTraffic>,
) -> BTreeMap<String, PathTraffic> {
    after
        .iter()
        .filter_map(|(path, now)| {
            let then = before.get(path).copied().unwrap_or_default();
            let sent = PathTraffic {
                requests: now.requests - then.requests,
                body_bytes: now.body_bytes - then.body_bytes,
            };
            (sent.requests > 0).then(|| (path.clone(), sent))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sent(requests: usize, body_bytes: u64) -> PathTraffic {
        PathTraffic {
            requests,
            body_bytes,
        }
    }

    #[test]
    fn the_difference_keeps_only_what_was_sent_in_between() {
        let before = BTreeMap::from([("/a".to_owned(), sent(1, 10))]);
        let after = BTreeMap::from([
            ("/a".to_owned(), sent(1, 10)),
            ("/sw.js".to_owned(), sent(2, 30)),
        ]);
        assert_eq!(
            difference(&after, &before),
            BTreeMap::from([("/sw.js".to_owned(), sent(2, 30))])
        );
    }
}
