//! Lighthouse's SEO, best-practices and accessibility scores of the seed article, the first
//! two against a lower bound, and the titles of the audits that did not pass.

use super::budgets;
use crate::bench::lighthouse::{Category, LighthouseReport, CATEGORIES};
use crate::bench::report::{Metric, Unit};

/// The lowest score allowed for a category (`None`: reported, not judged).
fn lower_bound(id: &str) -> Option<f64> {
    match id {
        "seo" => Some(budgets::LIGHTHOUSE_SEO_AT_LEAST),
        "best-practices" => Some(budgets::LIGHTHOUSE_BEST_PRACTICES_AT_LEAST),
        _ => None,
    }
}

pub fn rows(
    audit: &Result<LighthouseReport, String>,
    metrics: &mut Vec<Metric>,
    notes: &mut Vec<String>,
) {
    let section = "Lighthouse on the seed article (once per benchmark; score out of 100)";
    for (id, key, label) in CATEGORIES {
        let metric = Metric::new(format!("lighthouse.{key}"), section, label).unit(Unit::Count);
        let metric = match lower_bound(id) {
            Some(bound) => metric.at_least(bound),
            None => metric,
        };
        let category = audit
            .as_ref()
            .map(|report| report.categories.iter().find(|c| c.id == id));
        metrics.push(match category {
            Ok(Some(Category {
                score: Some(score), ..
            })) => metric.samples(vec![*score]),
            Ok(_) => metric.failed(format!("Lighthouse gave {label} no score")),
            Err(reason) => metric.failed(reason.clone()),
        });
    }
    let report = match audit {
        Ok(report) => report,
        Err(reason) => {
            notes.push(format!(
                "Lighthouse could not run, so its figures fail: {reason}"
            ));
            return;
        }
    };
    let failures: Vec<String> = report
        .categories
        .iter()
        .zip(CATEGORIES)
        .filter(|(category, _)| !category.failed.is_empty())
        .map(|(category, (_, _, label))| {
            let audits: Vec<String> = category
                .failed
                .iter()
                .map(|audit| {
                    let mut text = format!("\"{}\"", audit.title);
                    if let Some(explanation) = &audit.explanation {
                        text += &format!(" ({explanation})");
                    }
                    if !audit.scored {
                        text += " [not scored]";
                    }
                    text
                })
                .collect();
            format!("{label}: {}", audits.join(", "))
        })
        .collect();
    notes.push(format!(
        "Lighthouse {} (report: {}): {}.",
        report.version,
        report.file.display(),
        if failures.is_empty() {
            "every audit passed".to_owned()
        } else {
            format!("failed audits, {}", failures.join("; "))
        }
    ));
    for warning in &report.warnings {
        notes.push(format!("Lighthouse warned: {warning}"));
    }
}
