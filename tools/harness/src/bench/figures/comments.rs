//! Comment threads of each size, unthrottled: the first batch (rendered and painted), the
//! whole first page, "Show more", a post, and memory.

use super::budgets;
use crate::bench::comment_metrics::CommentSample;
use crate::bench::report::{thousands, Metric, Unit};

pub fn rows(
    count: usize,
    samples: &[CommentSample],
    metrics: &mut Vec<Metric>,
    notes: &mut Vec<String>,
) {
    let section = &format!("{} comments (unthrottled)", thousands(count as i64));
    let budgeted = count == budgets::BUDGETED_THREAD;
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
        budgets::FIRST_BATCH_MS,
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
        budgets::SHOW_MORE_MS,
    ));
    metrics.push(with_budget(
        Metric::new(key("post"), section, "\"Post comment\" → comment in DOM")
            .samples(samples.iter().map(|s| s.post_ms).collect()),
        budgets::POST_MS,
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
        budgets::MEMORY_BYTES,
    ));
}
