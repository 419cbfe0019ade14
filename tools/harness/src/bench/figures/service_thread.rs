//! A thread of 1,000 comments on the real comment service (Isso, on loopback), unthrottled:
//! from its first page's arrival to the first batch painted, "Show more", a post, memory.

use super::budgets;
use crate::bench::comment_metrics::CommentSample;
use crate::bench::report::{thousands, Metric, Unit};

pub fn rows(
    outcome: &Result<Vec<CommentSample>, String>,
    metrics: &mut Vec<Metric>,
    notes: &mut Vec<String>,
) {
    let section = &format!(
        "{} comments from Isso on loopback (unthrottled)",
        thousands(budgets::SERVICE_THREAD as i64)
    );
    let key = |name: &str| format!("service.{name}");
    let samples = match outcome {
        Ok(samples) => samples,
        Err(reason) => {
            metrics.push(
                Metric::new(
                    key("first_painted"),
                    section,
                    "arrived → first batch painted",
                )
                .failed(reason.clone()),
            );
            notes.push(format!(
                "The comment service's thread could not be measured: {reason}"
            ));
            return;
        }
    };
    let figure = |name: &str, label: &str, pick: fn(&CommentSample) -> f64| {
        Metric::new(key(name), section, label).samples(samples.iter().map(pick).collect())
    };
    metrics.push(figure(
        "first_batch",
        "first page arrived → first batch rendered",
        |s| s.first_batch_ms,
    ));
    metrics.push(
        figure(
            "first_painted",
            "first page arrived → first batch painted (Element Timing)",
            |s| s.first_painted_ms.unwrap_or(f64::NAN),
        )
        .budget(budgets::SERVICE_FIRST_PAINTED_MS),
    );
    metrics.push(figure("show_more", "\"Show more comments\"", |s| {
        s.show_more_ms
    }));
    metrics.push(figure("post", "post (shown, sending)", |s| s.post_ms));
    metrics.push(
        figure("memory", "JS heap + wasm memory", |s| {
            s.js_heap_bytes + s.wasm_bytes.unwrap_or(0.0)
        })
        .unit(Unit::Memory),
    );
}
