//! What publishing costs the seed article's first load: the bytes the server sent for it as
//! built and without the heads and service worker, the difference against its budget, and
//! where the bytes went.

use std::collections::BTreeSet;

use super::{budgets, PublishingLoads};
use crate::bench::pages::SEED_ARTICLE;
use crate::bench::publishing::{ServedLoad, SERVER_QUIET};
use crate::bench::report::{Metric, Unit};
use crate::bench::stats::summarize;
use crate::bench::unpublished::Removed;

pub fn rows(loads: &PublishingLoads, metrics: &mut Vec<Metric>, notes: &mut Vec<String>) {
    let PublishingLoads {
        baseline,
        as_built,
        unpublished,
    } = loads;
    let section = "What publishing costs the first load of the seed article (unthrottled, \
                   fresh profile; response bodies the server sent)";
    let bytes = |loads: &[ServedLoad]| loads.iter().map(|l| l.body_bytes as f64).collect();
    let requests = |loads: &[ServedLoad]| loads.iter().map(|l| l.requests() as f64).collect();
    metrics.push(
        Metric::new(
            "publishing.as_built",
            section,
            "as built: heads, service worker and what it fetches",
        )
        .unit(Unit::Bytes)
        .samples(bytes(as_built)),
    );
    metrics.push(
        Metric::new(
            "publishing.unpublished",
            section,
            "without them (target/bench/unpublished)",
        )
        .unit(Unit::Bytes)
        .samples(bytes(unpublished)),
    );
    // Per pair, so each compares loads made moments apart.
    metrics.push(
        Metric::new("publishing.cost", section, "cost: as built − without")
            .unit(Unit::Bytes)
            .samples(
                as_built
                    .iter()
                    .zip(unpublished)
                    .map(|(a, u)| a.body_bytes as f64 - u.body_bytes as f64)
                    .collect(),
            )
            .budget(budgets::PUBLISHING_BYTES),
    );
    metrics.push(
        Metric::new(
            "publishing.requests.as_built",
            section,
            "requests, as built",
        )
        .unit(Unit::Count)
        .samples(requests(as_built)),
    );
    metrics.push(
        Metric::new(
            "publishing.requests.unpublished",
            section,
            "requests, without them",
        )
        .unit(Unit::Count)
        .samples(requests(unpublished)),
    );

    notes.push(format!(
        "Publishing: each run loads the seed article from dist/ and from a copy whose pages \
         lack the canonical link, the og:*, article:* and twitter:* metas, the JSON-LD, the \
         feed link and the my-garage:sw meta (so no service worker), alternately, each in a \
         fresh profile on a server of its own, unthrottled. A load ends once the app is ready, \
         then (as built) its service worker is activated (navigator.serviceWorker.ready and \
         the worker's state), and then the server has sent nothing for {} s. Counted on the \
         server: response bodies as sent (brotli), not headers; the page's Resource Timing \
         would miss the service worker's fetches.",
        SERVER_QUIET.as_secs()
    ));
    notes.push(where_the_bytes_went(as_built, unpublished));
    if let Some(uneven) = uneven_paths(&[("as built", as_built), ("without", unpublished)]) {
        notes.push(uneven);
    }
    let seed_page = SEED_ARTICLE.snapshot_file();
    let seed = baseline
        .pages
        .iter()
        .find(|(page, _)| page.to_str() == Some(seed_page.as_str()));
    notes.push(format!(
        "Publishing baseline ({}): removed from the seed article's page {}; from all {} pages \
         changed: {}.",
        baseline.dir.display(),
        seed.map_or("nothing".into(), |(_, removed)| describe(removed)),
        baseline.pages.len(),
        describe(&baseline.removed()),
    ));
    let kept = as_built.iter().filter(|l| l.page_kept).count();
    if kept < as_built.len() {
        notes.push(format!(
            "Publishing: the service worker had kept the page in only {kept} of {} loads when \
             the server went quiet; the others may have missed some of its bytes.",
            as_built.len()
        ));
    }
}

/// Each path whose bytes or requests differ between the two builds (medians per load), and
/// how much the rest came to.
fn where_the_bytes_went(as_built: &[ServedLoad], unpublished: &[ServedLoad]) -> String {
    let paths: BTreeSet<&String> = as_built
        .iter()
        .chain(unpublished)
        .flat_map(|l| l.sent.keys())
        .collect();
    let median = |loads: &[ServedLoad], of: &dyn Fn(&ServedLoad) -> f64| {
        let values: Vec<f64> = loads.iter().map(of).collect();
        summarize(&values).map_or(0.0, |s| s.median)
    };
    let mut differences = Vec::new();
    let (mut same_paths, mut same_bytes) = (0, 0.0);
    for path in paths {
        let of = |loads: &[ServedLoad]| {
            let bytes = median(loads, &|l| {
                l.sent.get(path).map_or(0.0, |s| s.body_bytes as f64)
            });
            let requests = median(loads, &|l| {
                l.sent.get(path).map_or(0.0, |s| s.requests as f64)
            });
            (bytes, requests)
        };
        let (with, without) = (of(as_built), of(unpublished));
        if with == without {
            same_paths += 1;
            same_bytes += with.0;
            continue;
        }
        let side = |(bytes, requests): (f64, f64)| {
            if requests == 0.0 {
                "none".to_owned()
            } else {
                format!(
                    "{} in {}",
                    Unit::Bytes.format(bytes),
                    plural(requests, "request")
                )
            }
        };
        differences.push(format!(
            "{path}: {} as built, {} without ({})",
            side(with),
            side(without),
            Unit::Bytes.format_delta(with.0 - without.0)
        ));
    }
    let differences = if differences.is_empty() {
        "none".into()
    } else {
        differences.join("; ")
    };
    format!(
        "Publishing, where the bytes went (median per load, per path that differs): \
         {differences}. Same in both: {}, {}.",
        plural(same_paths as f64, "other path"),
        Unit::Bytes.format(same_bytes)
    )
}

/// The paths that some loads of a build fetched and others did not (a prefetch that did not
/// happen, say): the medians per path hide them, and they move the per-pair difference.
fn uneven_paths(builds: &[(&str, &[ServedLoad])]) -> Option<String> {
    let mut uneven = Vec::new();
    for (name, loads) in builds {
        let paths: BTreeSet<&String> = loads.iter().flat_map(|l| l.sent.keys()).collect();
        for path in paths {
            let fetched = loads.iter().filter(|l| l.sent.contains_key(path)).count();
            if fetched < loads.len() {
                uneven.push(format!(
                    "{name}, {path} in {fetched} of {} loads",
                    loads.len()
                ));
            }
        }
    }
    (!uneven.is_empty()).then(|| {
        format!(
            "Publishing: not every load fetched the same paths: {}.",
            uneven.join("; ")
        )
    })
}

/// "1 canonical link, 6 og:* metas, …".
fn describe(removed: &Removed) -> String {
    if removed.is_empty() {
        return "nothing".into();
    }
    removed
        .iter()
        .map(|(addition, &count)| plural(count as f64, addition.label()))
        .collect::<Vec<_>>()
        .join(", ")
}

fn plural(count: f64, noun: &str) -> String {
    let count_text = Unit::Count.format(count);
    if count == 1.0 {
        format!("{count_text} {noun}")
    } else {
        format!("{count_text} {noun}s")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use garage_harness::PathTraffic;
    use std::collections::BTreeMap;

    fn load(paths: &[(&str, u64)]) -> ServedLoad {
        ServedLoad {
            body_bytes: paths.iter().map(|(_, bytes)| bytes).sum(),
            sent: paths
                .iter()
                .map(|&(path, body_bytes)| {
                    let sent = PathTraffic {
                        requests: 1,
                        body_bytes,
                    };
                    (path.to_owned(), sent)
                })
                .collect::<BTreeMap<_, _>>(),
            page_kept: true,
        }
    }

    #[test]
    fn says_where_the_bytes_went_and_which_paths_came_and_went() {
        let as_built = [
            load(&[("/page", 120), ("/sw.js", 50), ("/a.json", 7)]),
            load(&[("/page", 120), ("/sw.js", 50)]),
            load(&[("/page", 120), ("/sw.js", 50), ("/a.json", 7)]),
        ];
        let without = vec![load(&[("/page", 100), ("/a.json", 7)]); 3];
        let went = where_the_bytes_went(&as_built, &without);
        assert!(
            went.contains("/page: 120 B in 1 request as built, 100 B in 1 request without (+20 B)"),
            "{went}"
        );
        assert!(
            went.contains("/sw.js: 50 B in 1 request as built, none without (+50 B)"),
            "{went}"
        );
        assert!(went.contains("Same in both: 1 other path, 7 B."), "{went}");
        let uneven = uneven_paths(&[("as built", &as_built), ("without", &without)]);
        assert_eq!(
            uneven.as_deref(),
            Some("Publishing: not every load fetched the same paths: as built, /a.json in 2 of 3 loads.")
        );
        assert_eq!(uneven_paths(&[("without", &without)]), None);
    }
}
