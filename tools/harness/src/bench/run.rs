//! The whole benchmark: which pages are loaded, how often, in what order, and how the
//! samples become the report's rows.

use std::collections::BTreeSet;
use std::path::PathBuf;

use garage_harness::{CannedResponse, StaticServer};
use serde_json::{json, Value};

use super::browser::{Browser, ChromeDriver};
use super::comment_metrics::{measure_comments, CommentSample};
use super::page_metrics::{measure_throttled_load, LoadSample, Page};
use super::report::{Metric, Report, Unit};
use super::snapshot::write_static_snapshot;
use super::thread_gen::comments_file;
use super::transfer::{bytes_by_kind, names_of, Kind};
use super::{seed_path, Error, SEED_SLUG};

/// Budgets (upper bounds on the median).
const FIRST_LOAD_BYTES_BUDGET: f64 = 120.0 * 1024.0;
const LCP_RATIO_BUDGET: f64 = 1.5;
const CLS_BUDGET: f64 = 0.01;
const FIRST_BATCH_BUDGET_MS: f64 = 50.0;
const SHOW_MORE_BUDGET_MS: f64 = 30.0;
const POST_BUDGET_MS: f64 = 16.0;
const MEMORY_BUDGET_BYTES: f64 = 12.0 * 1_048_576.0;

/// Thread sizes measured; budgets apply to the largest.
const COMMENT_COUNTS: [usize; 3] = [100, 1_000, 10_000];
const THREAD_SEED: u64 = 2024;

pub struct Options {
    pub runs: usize,
    /// The release build to measure.
    pub dist: PathBuf,
    /// Where the snapshot and the JSON results go (`target/bench`).
    pub out_dir: PathBuf,
}

pub async fn run(options: &Options) -> Result<Report, Error> {
    let dist = &options.dist;
    if !dist.join("index.html").is_file() {
        return Err(format!("{} has no build (run scripts/bench.sh)", dist.display()).into());
    }
    let driver = ChromeDriver::start()?;
    let app = StaticServer::start(dist)?;
    let app_url = app.url(&seed_path());

    progress("rendering the seed article for the static snapshot");
    let static_dir = options.out_dir.join("static");
    let user_agent = with_browser(&driver, async |browser| {
        write_static_snapshot(browser, &app_url, dist, &static_dir).await?;
        let agent = browser.js("return navigator.userAgent;").await?;
        Ok(agent.as_str().unwrap_or_default().to_owned())
    })
    .await?;
    let snapshot = StaticServer::start(&static_dir)?;
    let static_url = snapshot.url(&seed_path());

    // App and snapshot alternate, so a slow spell on the machine hits both alike.
    let mut app_loads = Vec::new();
    let mut static_loads = Vec::new();
    for run in 1..=options.runs {
        let app_load = with_browser(&driver, async |browser| {
            measure_throttled_load(browser, &app_url, Page::App).await
        })
        .await?;
        let static_load = with_browser(&driver, async |browser| {
            measure_throttled_load(browser, &static_url, Page::Static).await
        })
        .await?;
        progress(&format!(
            "throttled load {run}/{}: LCP app {:.0} ms, static {:.0} ms",
            options.runs, app_load.lcp, static_load.lcp
        ));
        app_loads.push(app_load);
        static_loads.push(static_load);
    }

    let comments_path = format!("/api/comments/{SEED_SLUG}.json");
    let mut threads = Vec::new();
    for count in COMMENT_COUNTS {
        let file = comments_file(count, THREAD_SEED);
        app.always_respond_with(&comments_path, CannedResponse::json(200, file));
        let mut samples = Vec::new();
        for run in 1..=options.runs {
            let sample = with_browser(&driver, async |browser| {
                measure_comments(browser, &app_url, &format!("{count}-{run}")).await
            })
            .await?;
            progress(&format!(
                "{count} comments {run}/{}: first batch {:.1} ms, show more {:.1} ms, post {:.1} ms",
                options.runs, sample.first_batch_ms, sample.show_more_ms, sample.post_ms
            ));
            samples.push(sample);
        }
        threads.push((count, samples));
    }
    app.clear(&comments_path);

    let mut metrics = Vec::new();
    let mut notes = Vec::new();
    first_load_rows(&app_loads, &static_loads, &mut metrics, &mut notes);
    throttled_rows(&app_loads, &static_loads, &mut metrics, &mut notes);
    for (count, samples) in &threads {
        comment_rows(*count, samples, &mut metrics, &mut notes);
    }
    Ok(Report {
        runs: options.runs,
        context: vec![
            ("dist", dist.display().to_string()),
            ("build", build_files(&app_loads)),
            ("browser", user_agent),
            (
                "throttling",
                "CPU 4x; 150 ms latency, 1.6 Mbit/s down, 750 kbit/s up".into(),
            ),
        ],
        metrics,
        notes,
        details: vec![("first_load_resources", resources_json(&app_loads))],
    })
}

/// Opens a fresh browser for one measurement and always closes it.
async fn with_browser<T>(
    driver: &ChromeDriver,
    measure: impl AsyncFnOnce(&Browser) -> Result<T, Error>,
) -> Result<T, Error> {
    let browser = driver.open().await?;
    let result = measure(&browser).await;
    browser.close().await;
    result
}

fn progress(message: &str) {
    eprintln!("==> {message}");
}

/// The hashed file names of the build measured, to tell builds apart in the JSON.
fn build_files(loads: &[LoadSample]) -> String {
    let Some(load) = loads.first() else {
        return String::new();
    };
    [Kind::Css, Kind::Js, Kind::Wasm]
        .into_iter()
        .flat_map(|kind| names_of(&load.resources, kind))
        .collect::<Vec<_>>()
        .join(" ")
}

/// Every resource of every measured app load, for digging into a change in the totals.
fn resources_json(loads: &[LoadSample]) -> Value {
    loads
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
                    })
                })
                .collect::<Value>()
        })
        .collect()
}

const FIRST_LOAD: &str = "First load of the seed article (fresh profile), bytes on the wire";

fn first_load_rows(
    app: &[LoadSample],
    snapshot: &[LoadSample],
    metrics: &mut Vec<Metric>,
    notes: &mut Vec<String>,
) {
    let per_run: Vec<_> = app.iter().map(|l| bytes_by_kind(&l.resources)).collect();
    for kind in Kind::ALL {
        if !per_run.iter().any(|bytes| bytes.contains_key(&kind)) {
            continue;
        }
        let resources: Vec<_> = app
            .iter()
            .flat_map(|l| &l.resources)
            .filter(|r| r.kind == kind)
            .collect();
        let encodings: BTreeSet<&str> = resources
            .iter()
            .map(|r| r.encoding.as_deref().unwrap_or("unknown"))
            .collect();
        let encodings = encodings.into_iter().collect::<Vec<_>>().join("/");
        let statuses: BTreeSet<u16> = resources.iter().filter_map(|r| r.status).collect();
        let status = match statuses.iter().find(|&&s| s != 200) {
            Some(s) => format!(", HTTP {s}"),
            None => String::new(),
        };
        let expects_br = matches!(
            kind,
            Kind::Html | Kind::Css | Kind::Js | Kind::Wasm | Kind::ArticleJson
        );
        if expects_br && encodings != "br" {
            notes.push(format!(
                "{} was sent with Content-Encoding {encodings}, not br.",
                kind.label()
            ));
        }
        if resources.iter().any(|r| r.estimated) {
            notes.push(format!(
                "{}: transferSize was 0, so encoded body + 300 B of headers is counted.",
                kind.label()
            ));
        }
        metrics.push(
            Metric::new(
                format!("first_load.{}", kind.key()),
                FIRST_LOAD,
                format!("{} ({encodings}{status})", kind.label()),
            )
            .unit(Unit::Bytes)
            .samples(
                per_run
                    .iter()
                    .map(|b| b.get(&kind).copied().unwrap_or(0.0))
                    .collect(),
            ),
        );
    }
    let total = |loads: &[LoadSample]| -> Vec<f64> {
        loads
            .iter()
            .map(|l| l.resources.iter().map(|r| r.bytes).sum())
            .collect()
    };
    metrics.push(
        Metric::new("first_load.total", FIRST_LOAD, "total, compressed")
            .unit(Unit::Bytes)
            .samples(total(app))
            .budget(FIRST_LOAD_BYTES_BUDGET),
    );
    metrics.push(
        Metric::new(
            "first_load.static_total",
            FIRST_LOAD,
            "static snapshot total (for comparison)",
        )
        .unit(Unit::Bytes)
        .samples(total(snapshot)),
    );
}

const THROTTLED: &str =
    "Throttled first load (CPU 4x, 150 ms RTT, 1.6 Mbit/s): app vs static snapshot";

fn throttled_rows(
    app: &[LoadSample],
    snapshot: &[LoadSample],
    metrics: &mut Vec<Metric>,
    notes: &mut Vec<String>,
) {
    type Pick = fn(&LoadSample) -> f64;
    let figures: [(&str, &str, Pick); 3] = [
        ("fcp", "first contentful paint", |l| l.fcp),
        ("lcp", "largest contentful paint", |l| l.lcp),
        ("dom_ready", "headline + first paragraph in DOM", |l| {
            l.dom_ready
        }),
    ];
    for (page, loads) in [("app", app), ("static", snapshot)] {
        for (key, label, pick) in figures {
            metrics.push(
                Metric::new(
                    format!("throttled.{page}.{key}"),
                    THROTTLED,
                    format!("{page}: {label}"),
                )
                .samples(loads.iter().map(pick).collect()),
            );
        }
        let cls = Metric::new(
            format!("throttled.{page}.cls"),
            THROTTLED,
            format!("{page}: cumulative layout shift"),
        )
        .unit(Unit::Score)
        .samples(loads.iter().map(|l| l.cls).collect());
        metrics.push(if page == "app" {
            cls.budget(CLS_BUDGET)
        } else {
            cls
        });
        let elements: BTreeSet<&str> = loads
            .iter()
            .map(|l| l.lcp_element.as_deref().unwrap_or("(removed)"))
            .collect();
        let elements: Vec<String> = elements.into_iter().map(|e| format!("<{e}>")).collect();
        notes.push(format!(
            "{page}: the largest contentful paint was {}.",
            elements.join(" or ")
        ));
    }
    // Ratios per interleaved pair, so each compares loads made moments apart.
    for (key, label, pick) in figures {
        let ratio = Metric::new(
            format!("throttled.ratio.{key}"),
            THROTTLED,
            format!("app/static ratio: {label}"),
        )
        .unit(Unit::Ratio)
        .samples(
            app.iter()
                .zip(snapshot)
                .map(|(a, s)| pick(a) / pick(s))
                .collect(),
        );
        metrics.push(if key == "lcp" {
            ratio.budget(LCP_RATIO_BUDGET)
        } else {
            ratio
        });
    }
}

fn comment_rows(
    count: usize,
    samples: &[CommentSample],
    metrics: &mut Vec<Metric>,
    notes: &mut Vec<String>,
) {
    let section: &'static str = match count {
        100 => "100 comments (unthrottled)",
        1_000 => "1,000 comments (unthrottled)",
        10_000 => "10,000 comments (unthrottled)",
        _ => "comments (unthrottled)",
    };
    let budgeted = count == COMMENT_COUNTS[COMMENT_COUNTS.len() - 1];
    let with_budget = |metric: Metric, budget: f64| {
        if budgeted {
            metric.budget(budget)
        } else {
            metric
        }
    };
    let key = |name: &str| format!("comments.{count}.{name}");
    let wasm: Option<Vec<f64>> = samples.iter().map(|s| s.wasm_bytes).collect();
    if wasm.is_none() && budgeted {
        notes.push(
            "wasm memory: this build does not export wasm_memory_bytes, so the memory budget \
             cannot be judged."
                .into(),
        );
    }
    metrics.push(with_budget(
        Metric::new(
            key("first_batch"),
            section,
            "arrived → first batch rendered",
        )
        .samples(samples.iter().map(|s| s.first_batch_ms).collect()),
        FIRST_BATCH_BUDGET_MS,
    ));
    metrics.push(with_budget(
        Metric::new(
            key("show_more"),
            section,
            "\"Show more comments\" → DOM updated",
        )
        .samples(samples.iter().map(|s| s.show_more_ms).collect()),
        SHOW_MORE_BUDGET_MS,
    ));
    metrics.push(with_budget(
        Metric::new(key("post"), section, "\"Post comment\" → comment in DOM")
            .samples(samples.iter().map(|s| s.post_ms).collect()),
        POST_BUDGET_MS,
    ));
    metrics.push(
        Metric::new(key("js_heap"), section, "JS heap after GC")
            .unit(Unit::Memory)
            .samples(samples.iter().map(|s| s.js_heap_bytes).collect()),
    );
    metrics.push(
        Metric::new(key("wasm_memory"), section, "wasm linear memory")
            .unit(Unit::Memory)
            .samples(wasm.clone().unwrap_or_default()),
    );
    let total = wasm.map(|wasm| {
        samples
            .iter()
            .zip(wasm)
            .map(|(s, w)| s.js_heap_bytes + w)
            .collect()
    });
    metrics.push(with_budget(
        Metric::new(key("memory"), section, "JS heap + wasm memory")
            .unit(Unit::Memory)
            .samples(total.unwrap_or_default()),
        MEMORY_BUDGET_BYTES,
    ));
}
