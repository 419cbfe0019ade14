//! Lighthouse's performance audit (mobile) of the seed article against its static snapshot,
//! with both of Lighthouse's throttling methods: the page's largest contentful paint as a
//! ratio to the snapshot's (per pair of runs made moments apart), and its total blocking
//! time.

use super::budgets;
use crate::bench::lighthouse::{SpeedReport, Throttling};
use crate::bench::report::{Metric, Unit};

/// One pair of audits: the app's page and its static snapshot, the same method, moments
/// apart.
#[derive(Clone, Debug, PartialEq)]
pub struct SpeedPair {
    pub throttling: Throttling,
    pub app: SpeedReport,
    pub snapshot: SpeedReport,
}

pub fn rows(pairs: &[SpeedPair], metrics: &mut Vec<Metric>, notes: &mut Vec<String>) {
    for throttling in Throttling::BOTH {
        let section = &format!(
            "Lighthouse (mobile, {}) on the seed article: app vs static snapshot",
            throttling.label()
        );
        let key = |name: &str| format!("lighthouse.{}.{name}", throttling.key());
        let mine: Vec<&SpeedPair> = pairs
            .iter()
            .filter(|p| p.throttling == throttling)
            .collect();
        let figure = |name: &str, label: &str, pick: fn(&SpeedPair) -> f64| {
            Metric::new(key(name), section, label).samples(mine.iter().map(|p| pick(p)).collect())
        };
        metrics.push(figure("app.lcp", "app: largest contentful paint", |p| {
            p.app.lcp
        }));
        metrics.push(figure(
            "static.lcp",
            "static: largest contentful paint",
            |p| p.snapshot.lcp,
        ));
        metrics.push(
            figure("ratio.lcp", "LCP app / static", |p| {
                p.app.lcp / p.snapshot.lcp
            })
            .unit(Unit::Ratio)
            .budget(budgets::LCP_RATIO),
        );
        metrics.push(
            figure("app.tbt", "app: total blocking time", |p| p.app.tbt)
                .budget(budgets::TOTAL_BLOCKING_TIME_MS),
        );
        metrics.push(figure("static.tbt", "static: total blocking time", |p| {
            p.snapshot.tbt
        }));
    }
    if pairs.is_empty() {
        notes.push("Lighthouse's performance audits could not run: see the messages above.".into());
    }
}
