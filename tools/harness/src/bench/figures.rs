//! Turning the samples into the report's rows: which figures, their labels, their budgets.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{json, Value};

use super::comment_metrics::CommentSample;
use super::page_metrics::LoadSample;
use super::report::{thousands, Metric, Unit};
use super::transfer::{bytes_by_kind, names_of, Kind, Resource};

/// Budgets, upper bounds on the median (KB and MB are binary: 1,024 and 1,048,576 bytes).
const FIRST_LOAD_BYTES_BUDGET: f64 = 120.0 * 1024.0;
const LCP_RATIO_BUDGET: f64 = 1.5;
const CLS_BUDGET: f64 = 0.01;
/// The comment budgets hold for a thread this large.
const BUDGETED_THREAD: usize = 10_000;
const FIRST_BATCH_BUDGET_MS: f64 = 50.0;
const SHOW_MORE_BUDGET_MS: f64 = 30.0;
const POST_BUDGET_MS: f64 = 16.0;
const MEMORY_BUDGET_BYTES: f64 = 12.0 * 1_048_576.0;

/// Everything measured, one entry per run.
pub struct Samples {
    pub app_loads: Vec<LoadSample>,
    pub static_loads: Vec<LoadSample>,
    /// Per thread size, its samples.
    pub threads: Vec<(usize, Vec<CommentSample>)>,
}

/// The table's rows, and notes on what the figures alone do not say.
pub fn rows(samples: &Samples) -> (Vec<Metric>, Vec<String>) {
    let mut metrics = Vec::new();
    let mut notes = Vec::new();
    let (app, snapshot) = (&samples.app_loads, &samples.static_loads);
    first_load_rows(app, snapshot, &mut metrics, &mut notes);
    comments_load_rows(app, &mut metrics);
    throttled_rows(app, snapshot, &mut metrics, &mut notes);
    for (count, thread) in &samples.threads {
        comment_rows(*count, thread, &mut metrics, &mut notes);
    }
    (metrics, notes)
}

/// The hashed file names of the build measured, to tell builds apart in the JSON.
pub fn build_files(loads: &[LoadSample]) -> String {
    let Some(load) = loads.first() else {
        return String::new();
    };
    // The first load's files, then those the comments brought in.
    let later = load.comments.as_ref().map(|c| c.resources.as_slice());
    [Some(load.resources.as_slice()), later]
        .into_iter()
        .flatten()
        .flat_map(|resources| {
            [Kind::Css, Kind::Js, Kind::Wasm]
                .into_iter()
                .flat_map(|kind| names_of(resources, kind))
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// Every resource of every measured app load, for digging into a change in the totals.
pub fn resources_json(loads: &[LoadSample]) -> Value {
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
            .samples(of_kind(&per_run, kind)),
        );
    }
    let total = |loads: &[LoadSample]| -> Vec<f64> {
        loads.iter().map(|l| total_bytes(&l.resources)).collect()
    };
    metrics.push(
        Metric::new("first_load.total", FIRST_LOAD, "total")
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

/// Each run's bytes of one kind (0 where a run had none).
fn of_kind(per_run: &[BTreeMap<Kind, f64>], kind: Kind) -> Vec<f64> {
    per_run
        .iter()
        .map(|bytes| bytes.get(&kind).copied().unwrap_or(0.0))
        .collect()
}

fn total_bytes(resources: &[Resource]) -> f64 {
    resources.iter().map(|r| r.bytes).sum()
}

const COMMENTS_LOAD: &str =
    "Then the reader scrolls to the comments (same throttling): what arrives for them";

/// The comments island and the comments file, which the first load leaves until the reader
/// nears the comments, and how long the comments then take to show.
fn comments_load_rows(app: &[LoadSample], metrics: &mut Vec<Metric>) {
    let loads: Vec<_> = app.iter().filter_map(|l| l.comments.as_ref()).collect();
    if loads.is_empty() {
        return;
    }
    let per_run: Vec<_> = loads.iter().map(|c| bytes_by_kind(&c.resources)).collect();
    for kind in Kind::ALL {
        if !per_run.iter().any(|bytes| bytes.contains_key(&kind)) {
            continue;
        }
        metrics.push(
            Metric::new(
                format!("comments_load.{}", kind.key()),
                COMMENTS_LOAD,
                kind.label(),
            )
            .unit(Unit::Bytes)
            .samples(of_kind(&per_run, kind)),
        );
    }
    metrics.push(
        Metric::new("comments_load.total", COMMENTS_LOAD, "total")
            .unit(Unit::Bytes)
            .samples(loads.iter().map(|c| total_bytes(&c.resources)).collect()),
    );
    metrics.push(
        Metric::new(
            "comments_load.with_first_load",
            COMMENTS_LOAD,
            "first load + comments, for comparison",
        )
        .unit(Unit::Bytes)
        .samples(
            app.iter()
                .filter_map(|l| {
                    Some(total_bytes(&l.resources) + total_bytes(&l.comments.as_ref()?.resources))
                })
                .collect(),
        ),
    );
    metrics.push(
        Metric::new(
            "comments_load.to_screen",
            COMMENTS_LOAD,
            "scrolled to the comments → comments on screen",
        )
        .samples(loads.iter().map(|c| c.to_screen_ms).collect()),
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
    let section = &format!("{} comments (unthrottled)", thousands(count as i64));
    let budgeted = count == BUDGETED_THREAD;
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
            "arrived → first batch (a screenful) rendered",
        )
        .samples(samples.iter().map(|s| s.first_batch_ms).collect()),
        FIRST_BATCH_BUDGET_MS,
    ));
    let painted: Option<Vec<f64>> = samples.iter().map(|s| s.first_painted_ms).collect();
    if painted.is_none() && budgeted {
        notes.push(
            "first batch painted: this build marks no comment for Element Timing (or the \
             browser reported no paint), so that figure is missing."
                .into(),
        );
    }
    metrics.push(
        Metric::new(
            key("first_painted"),
            section,
            "arrived → first batch painted (Element Timing)",
        )
        .samples(painted.unwrap_or_default()),
    );
    metrics.push(
        Metric::new(
            key("first_page"),
            section,
            "arrived → whole first page rendered",
        )
        .samples(samples.iter().map(|s| s.first_page_ms).collect()),
    );
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
