//! A related article followed in the app: click → new headline painted.

use super::budgets;
use crate::bench::navigation::{NavigationSample, READER_PAUSE};
use crate::bench::report::Metric;

pub fn rows(samples: &[NavigationSample], metrics: &mut Vec<Metric>, notes: &mut Vec<String>) {
    let section = "A related article followed in the app (from the seed article, throttled)";
    metrics.push(
        Metric::new(
            "navigation.prefetched",
            section,
            "navigation start → related article prefetched",
        )
        .samples(samples.iter().map(|s| s.prefetched_at).collect()),
    );
    metrics.push(
        Metric::new("navigation.dom", section, "click → new headline in the DOM")
            .samples(samples.iter().map(|s| s.dom_ms).collect()),
    );
    metrics.push(
        Metric::new(
            "navigation.painted",
            section,
            "click → new headline painted (Element Timing)",
        )
        .samples(samples.iter().map(|s| s.painted_ms).collect())
        .budget(budgets::HEADLINE_PAINTED_MS),
    );
    notes.push(format!(
        "Related article: the reader clicks once the app's prefetch of it (started as the \
         related list nears the viewport) has finished and the network has been idle for \
         {} ms, so the figure is the app's render and paint, not a download. The click's \
         time is the click event's timeStamp; every click stayed in the same document.",
        READER_PAUSE.as_millis()
    ));
}
