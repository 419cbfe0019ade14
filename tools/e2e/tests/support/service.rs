//! Journeys on a site with a comment service: the release build made for one on loopback
//! (`scripts/setup.sh`'s `build_service_site`, in `target/service-site/`), and the real
//! Isso started afresh for each journey on the port that build names (see
//! `garage_harness::isso`). Journeys that use it run one at a time, as they share the port.

use super::{run_journey, Page};
use garage_harness::isso::{IssoOptions, IssoServer};
use garage_harness::StaticServer;
use std::future::Future;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

/// The build for a site with a comment service, and the port its Isso answers on.
pub fn service_site() -> (PathBuf, u16) {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../target/service-site");
    let port = std::fs::read_to_string(root.join("port"))
        .ok()
        .and_then(|port| port.trim().parse().ok())
        .unwrap_or_else(|| {
            panic!("target/service-site has no build: run scripts/test.sh, which builds it")
        });
    (root.join("dist"), port)
}

/// The journey's Isso: its blocking calls run off the journey's thread.
#[derive(Clone)]
pub struct Service(pub Arc<Mutex<IssoServer>>);

impl Service {
    /// Runs `call` with the service, off the async runtime's threads.
    pub async fn with<T: Send + 'static>(
        &self,
        call: impl FnOnce(&mut IssoServer) -> T + Send + 'static,
    ) -> T {
        let isso = Arc::clone(&self.0);
        tokio::task::spawn_blocking(move || call(&mut isso.lock().unwrap()))
            .await
            .expect("an Isso call")
    }

    /// The thread of an article as the service lists it to anyone (plain text).
    pub async fn thread(&self, uri: &str) -> serde_json::Value {
        let target = format!(
            "/?uri={}&plain=1",
            garage_harness::isso::encode_query_value(uri)
        );
        self.with(move |isso| isso.request("GET", &target, &[], b"").unwrap().json())
            .await
    }

    /// Every comment of a thread (top level and replies) as the service has it.
    pub async fn comments(&self, uri: &str) -> Vec<serde_json::Value> {
        let thread = self.thread(uri).await;
        let mut all = Vec::new();
        for comment in thread["replies"].as_array().cloned().unwrap_or_default() {
            all.extend(comment["replies"].as_array().cloned().unwrap_or_default());
            all.push(comment);
        }
        all
    }
}

/// Isso and the site both run one at a time: they share the port the build names.
static ONE_AT_A_TIME: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

/// A journey on the service build, with a fresh Isso (`configure` sets its options: the
/// site's origin and port are set here).
pub async fn service_journey<F, Fut>(configure: impl FnOnce(&mut IssoOptions), body: F)
where
    F: FnOnce(Page, Service) -> Fut,
    Fut: Future<Output = ()> + Send + 'static,
{
    let _turn = ONE_AT_A_TIME.lock().await;
    let (root, port) = service_site();
    let server = StaticServer::start(root).expect("start the static server");
    let origin = server.url("");
    let mut options = IssoOptions::for_site(origin.trim_end_matches('/'));
    options.port = Some(port);
    configure(&mut options);
    let isso = tokio::task::spawn_blocking(move || IssoServer::start(options))
        .await
        .unwrap()
        .expect("start Isso (scripts/test.sh installs it)");
    let service = Service(Arc::new(Mutex::new(isso)));
    run_journey(server, None, move |page| body(page, service)).await
}
