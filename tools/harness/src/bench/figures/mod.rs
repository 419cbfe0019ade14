//! Turning the samples into the report's rows: which figures, their labels, their budgets
//! ([`budgets`]), one module per part of the benchmark.

pub mod budgets;
mod code_size;
mod comments;
mod first_load;
mod lighthouse;
mod loads;
mod navigation;
mod publishing;
mod service_thread;
mod speed;

pub use speed::SpeedPair;

use serde_json::{json, Map, Value};

use super::comment_metrics::CommentSample;
use super::lighthouse::LighthouseReport;
use super::navigation::NavigationSample;
use super::page_load::LoadSample;
use super::pages::Page;
use super::publishing::ServedLoad;
use super::report::Metric;
use super::transfer::{names_of, Kind};
use super::unpublished::UnpublishedSite;
use super::wasm_size::WasmSize;

/// Everything measured, one entry per run.
pub struct Samples {
    pub wasm: WasmSize,
    /// Per page, its throttled loads (empty when the loads were not measured).
    pub pages: Vec<PageLoads>,
    pub navigations: Vec<NavigationSample>,
    /// Per thread size, its samples.
    pub threads: Vec<(usize, Vec<CommentSample>)>,
    /// The seed article's first load with and without what publishing adds (`None` when
    /// not measured).
    pub publishing: Option<PublishingLoads>,
    /// Lighthouse's audit of the seed article, or why it could not run (`None` when not
    /// measured).
    pub lighthouse: Option<Result<LighthouseReport, String>>,
    /// Lighthouse's performance audits, app and snapshot, both throttling methods.
    pub speed: Option<Vec<SpeedPair>>,
    /// A large thread on the comment service (`None` when not measured).
    pub service_thread: Option<Result<Vec<CommentSample>, String>>,
}

/// One page's throttled first loads: the app's and its static snapshot's, the same run's
/// made moments apart.
pub struct PageLoads {
    pub page: Page,
    pub app: Vec<LoadSample>,
    pub snapshot: Vec<LoadSample>,
}

/// The seed article's first loads as built and from the copy without what publishing adds,
/// the same run's made moments apart.
pub struct PublishingLoads {
    pub baseline: UnpublishedSite,
    pub as_built: Vec<ServedLoad>,
    pub unpublished: Vec<ServedLoad>,
}

/// The table's rows, and notes on what the figures alone do not say.
pub fn rows(samples: &Samples) -> (Vec<Metric>, Vec<String>) {
    let mut metrics = Vec::new();
    let mut notes = Vec::new();
    code_size::rows(&samples.wasm, &mut metrics, &mut notes);
    for loads in &samples.pages {
        loads::rows(loads, &mut metrics, &mut notes);
        first_load::rows(loads, &mut metrics, &mut notes);
    }
    if !samples.pages.is_empty() {
        notes.push(loads::HOW_BLOCKING_TIME_IS_COUNTED.into());
    }
    if let Some(publishing) = &samples.publishing {
        publishing::rows(publishing, &mut metrics, &mut notes);
    }
    if !samples.navigations.is_empty() {
        navigation::rows(&samples.navigations, &mut metrics, &mut notes);
    }
    for (count, thread) in &samples.threads {
        comments::rows(*count, thread, &mut metrics, &mut notes);
    }
    if let Some(service) = &samples.service_thread {
        service_thread::rows(service, &mut metrics, &mut notes);
    }
    if let Some(pairs) = &samples.speed {
        speed::rows(pairs, &mut metrics, &mut notes);
    }
    if let Some(audit) = &samples.lighthouse {
        lighthouse::rows(audit, &mut metrics, &mut notes);
    }
    (metrics, notes)
}

/// The hashed file names of the build measured, to tell builds apart in the JSON.
pub fn build_files(samples: &Samples) -> String {
    let Some(load) = samples.pages.first().and_then(|p| p.app.first()) else {
        return samples.wasm.file.clone();
    };
    [Kind::Css, Kind::Js, Kind::Wasm]
        .into_iter()
        .flat_map(|kind| names_of(&load.resources, kind))
        .collect::<Vec<_>>()
        .join(" ")
}

/// Raw data for digging into a change in the totals, per page: every resource of every app
/// load, and every long task (`[start, duration]` in ms) of every load; and what the server
/// sent per path (`[requests, body bytes]`) for each load of the publishing figure.
pub fn details(samples: &Samples) -> Vec<(&'static str, Value)> {
    let per_page = |of: &dyn Fn(&PageLoads) -> Value| -> Value {
        let pages: Map<String, Value> = samples
            .pages
            .iter()
            .map(|loads| (loads.page.key.to_owned(), of(loads)))
            .collect();
        Value::Object(pages)
    };
    let resources = per_page(&|loads| {
        loads
            .app
            .iter()
            .map(|load| {
                load.resources
                    .iter()
                    .map(|r| {
                        json!({
                            "url": r.url,
                            "kind": r.kind.key(),
                            "bytes": r.bytes,
                            "estimated": r.estimated,
                            "encoding": r.encoding,
                            "status": r.status,
                            "preloaded": r.preloaded,
                        })
                    })
                    .collect::<Value>()
            })
            .collect()
    });
    let long_tasks = per_page(&|loads| {
        let tasks = |loads: &[LoadSample]| -> Value {
            loads
                .iter()
                .map(|load| {
                    let tasks: Value = load
                        .long_tasks
                        .iter()
                        .map(|t| json!([t.start, t.duration]))
                        .collect();
                    json!({ "fcp": load.fcp, "tasks": tasks })
                })
                .collect()
        };
        json!({ "app": tasks(&loads.app), "static": tasks(&loads.snapshot) })
    });
    let mut details = vec![
        ("first_load_resources", resources),
        ("long_tasks", long_tasks),
    ];
    if let Some(publishing) = &samples.publishing {
        let sent = |loads: &[ServedLoad]| -> Value {
            loads
                .iter()
                .map(|load| {
                    let paths: Map<String, Value> = load
                        .sent
                        .iter()
                        .map(|(path, s)| (path.clone(), json!([s.requests, s.body_bytes])))
                        .collect();
                    Value::Object(paths)
                })
                .collect()
        };
        details.push((
            "publishing_sent",
            json!({
                "as_built": sent(&publishing.as_built),
                "unpublished": sent(&publishing.unpublished),
            }),
        ));
    }
    details
}
