//! A page's throttled first load against its static snapshot: paints, layout shift, total
//! blocking time, and when the app is ready.

use std::collections::BTreeSet;

use super::{budgets, PageLoads};
use crate::bench::blocking_time::{time_to_interactive, LONG_TASK_MS};
use crate::bench::page_load::LoadSample;
use crate::bench::pages::SEED_ARTICLE;
use crate::bench::report::{Metric, Unit};
use crate::bench::stats::summarize;

pub const HOW_BLOCKING_TIME_IS_COUNTED: &str = "Total blocking time: the sum, over the page's \
     long tasks (Long Tasks API, observed from before its first script), of each task's time \
     over 50 ms, counting only its part after first contentful paint, up to time to \
     interactive (the end of the last long task before the page had been quiet for 5 s after \
     it was ready: no long task, no request in flight or finishing). The app is ready at its \
     app-ready mark, the static snapshot at its load event.";

type Pick = fn(&LoadSample) -> f64;

pub fn rows(loads: &PageLoads, metrics: &mut Vec<Metric>, notes: &mut Vec<String>) {
    let PageLoads {
        page,
        app,
        snapshot,
    } = loads;
    let section = &format!(
        "Throttled first load of {} ({}): app vs static snapshot",
        page.name, page.path
    );
    let key = |name: &str| format!("load.{}.{name}", page.key);
    let figure = |name: &str, label: &str, loads: &[LoadSample], pick: Pick| {
        Metric::new(key(name), section, label).samples(loads.iter().map(pick).collect())
    };
    metrics.push(figure("app.fcp", "app: first contentful paint", app, |l| {
        l.fcp
    }));
    metrics.push(figure(
        "static.fcp",
        "static: first contentful paint",
        snapshot,
        |l| l.fcp,
    ));
    metrics.push(figure(
        "app.lcp",
        "app: largest contentful paint",
        app,
        |l| l.lcp,
    ));
    metrics.push(figure(
        "static.lcp",
        "static: largest contentful paint",
        snapshot,
        |l| l.lcp,
    ));
    // Ratios per pair, so each compares loads made moments apart.
    metrics.push(
        Metric::new(
            key("ratio.lcp"),
            section,
            "app/static ratio: largest contentful paint",
        )
        .unit(Unit::Ratio)
        .samples(
            app.iter()
                .zip(snapshot)
                .map(|(a, s)| a.lcp / s.lcp)
                .collect(),
        )
        .budget(budgets::LCP_RATIO),
    );
    metrics.push(
        figure("app.cls", "app: cumulative layout shift", app, |l| l.cls)
            .unit(Unit::Score)
            .budget(budgets::CLS),
    );
    metrics.push(
        figure(
            "app.tbt",
            "app: total blocking time (FCP → quiet)",
            app,
            LoadSample::total_blocking_time,
        )
        .budget(budgets::TOTAL_BLOCKING_TIME_MS),
    );
    metrics.push(figure(
        "static.tbt",
        "static: total blocking time (FCP → quiet)",
        snapshot,
        LoadSample::total_blocking_time,
    ));
    let ready = Metric::new(
        key("app.ready"),
        section,
        "app: navigation start → app-ready",
    )
    .samples(app.iter().filter_map(|l| l.app_ready).collect());
    metrics.push(if *page == SEED_ARTICLE {
        ready.budget(budgets::APP_READY_MS)
    } else {
        ready
    });
    for (version, loads) in [("app", app), ("static", snapshot)] {
        notes.push(format!(
            "{}, {version}: the largest contentful paint was {}.",
            page.name,
            lcp_elements(loads)
        ));
    }
    notes.push(format!("{}, app: {}", page.name, long_tasks_summary(app)));
}

/// "<h1> or <p>": the elements that were the largest contentful paint.
fn lcp_elements(loads: &[LoadSample]) -> String {
    let elements: BTreeSet<&str> = loads
        .iter()
        .map(|l| l.lcp_element.as_deref().unwrap_or("(removed)"))
        .collect();
    let elements: Vec<String> = elements.into_iter().map(|e| format!("<{e}>")).collect();
    elements.join(" or ")
}

/// How many long tasks the loads had, the longest, and time to interactive: where the
/// blocking time came from.
fn long_tasks_summary(loads: &[LoadSample]) -> String {
    let counts: Vec<f64> = loads.iter().map(|l| l.long_tasks.len() as f64).collect();
    let longest = loads
        .iter()
        .flat_map(|l| &l.long_tasks)
        .max_by(|a, b| a.duration.total_cmp(&b.duration));
    let interactive: Vec<f64> = loads
        .iter()
        .map(|l| time_to_interactive(&l.long_tasks, l.fcp))
        .collect();
    let (Some(counts), Some(interactive)) = (summarize(&counts), summarize(&interactive)) else {
        return "no loads.".into();
    };
    let longest = match longest {
        Some(task) => format!(
            "the longest {:.0} ms, at {:.0} ms",
            task.duration, task.start
        ),
        None => format!("none over {LONG_TASK_MS:.0} ms"),
    };
    let counts = if counts.min == counts.max {
        format!("{:.0}", counts.min)
    } else {
        format!("{:.0}–{:.0}", counts.min, counts.max)
    };
    format!(
        "{counts} long tasks per load ({longest}); time to interactive {:.0} ms (median, \
         {:.0}–{:.0}).",
        interactive.median, interactive.min, interactive.max
    )
}
