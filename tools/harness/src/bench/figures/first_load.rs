//! The bytes a page's first load takes: per kind of resource, with the encoding it came in,
//! and the total, beside the static snapshot's. The first load includes the app's code, and
//! whatever the app fetched before the page went quiet (the related articles it prefetches).

use std::collections::{BTreeMap, BTreeSet};

use super::PageLoads;
use crate::bench::page_load::LoadSample;
use crate::bench::report::{Metric, Unit};
use crate::bench::transfer::{bytes_by_kind, Kind, Resource};

pub fn rows(loads: &PageLoads, metrics: &mut Vec<Metric>, notes: &mut Vec<String>) {
    let PageLoads {
        page,
        app,
        snapshot,
    } = loads;
    let section = &format!(
        "First load of {} (fresh profile, until quiet), bytes on the wire",
        page.name
    );
    let key = |name: &str| format!("first_load.{}.{name}", page.key);
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
            Kind::Html
                | Kind::Css
                | Kind::Js
                | Kind::Wasm
                | Kind::PageData
                | Kind::PrefetchedArticles
        );
        if expects_br && encodings != "br" {
            notes.push(format!(
                "{}: {} was sent with Content-Encoding {encodings}, not br.",
                page.name,
                kind.label()
            ));
        }
        if resources.iter().any(|r| r.estimated) {
            notes.push(format!(
                "{}: {}: transferSize was 0, so encoded body + 300 B of headers is counted.",
                page.name,
                kind.label()
            ));
        }
        metrics.push(
            Metric::new(
                key(kind.key()),
                section,
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
        Metric::new(key("total"), section, "total")
            .unit(Unit::Bytes)
            .samples(total(app)),
    );
    metrics.push(
        Metric::new(
            key("static_total"),
            section,
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
