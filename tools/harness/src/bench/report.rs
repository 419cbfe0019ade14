//! The results: one table on stdout, and `latest.json` (the run before kept as
//! `previous.json`) so two builds can be compared.

use std::fs;
use std::io;
use std::path::Path;

use serde_json::{json, Value};

use super::stats::{summarize, Summary};

/// How a figure is written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Unit {
    /// Exact bytes: transfer sizes are compared to the byte.
    Bytes,
    /// Memory, shown in MB (1 MB = 1,048,576 bytes; stored in bytes).
    Memory,
    /// A file's size, shown in KB (1 KB = 1,024 bytes; stored in bytes).
    Kilobytes,
    Ms,
    Ratio,
    /// Unitless, e.g. cumulative layout shift.
    Score,
    /// A whole number: requests, or a score out of 100.
    Count,
}

impl Unit {
    fn key(self) -> &'static str {
        match self {
            Unit::Bytes | Unit::Memory | Unit::Kilobytes => "bytes",
            Unit::Ms => "ms",
            Unit::Ratio => "ratio",
            Unit::Score => "score",
            Unit::Count => "count",
        }
    }

    pub fn format(self, value: f64) -> String {
        match self {
            Unit::Bytes => format!("{} B", thousands(value.round() as i64)),
            Unit::Memory => format!("{:.2} MB", value / 1_048_576.0),
            Unit::Kilobytes => format!("{:.1} KB", value / 1024.0),
            Unit::Ms => format!("{} ms", with_thousands(&format!("{value:.1}"))),
            Unit::Ratio => format!("{value:.2}x"),
            Unit::Score => format!("{value:.4}"),
            // A median of two whole numbers may fall between them.
            Unit::Count if value.fract() != 0.0 => with_thousands(&format!("{value:.1}")),
            Unit::Count => thousands(value.round() as i64),
        }
    }

    /// A change, with its sign.
    pub fn format_delta(self, delta: f64) -> String {
        let sign = if delta < 0.0 { "-" } else { "+" };
        format!("{sign}{}", self.format(delta.abs()))
    }
}

/// What a figure's median must stay within.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Budget {
    /// Times, sizes, ratios: lower is better.
    AtMost(f64),
    /// Scores out of 100: higher is better.
    AtLeast(f64),
}

impl Budget {
    fn allows(self, median: f64) -> bool {
        match self {
            Budget::AtMost(bound) => median <= bound,
            Budget::AtLeast(bound) => median >= bound,
        }
    }

    fn bound(self) -> f64 {
        match self {
            Budget::AtMost(bound) | Budget::AtLeast(bound) => bound,
        }
    }

    /// For the JSON.
    fn key(self) -> &'static str {
        match self {
            Budget::AtMost(_) => "at_most",
            Budget::AtLeast(_) => "at_least",
        }
    }

    fn format(self, unit: Unit) -> String {
        match self {
            Budget::AtMost(bound) => format!("≤ {}", unit.format(bound)),
            Budget::AtLeast(bound) => format!("≥ {}", unit.format(bound)),
        }
    }
}

/// One row of the table: a figure measured once per run.
#[derive(Clone, Debug, PartialEq)]
pub struct Metric {
    /// Stable name in the JSON, used to compare with the previous run.
    pub key: String,
    /// Rows of a section are printed under its title.
    pub section: String,
    pub label: String,
    pub unit: Unit,
    /// Empty when the build cannot report this figure: shown as "n/a".
    pub samples: Vec<f64>,
    pub budget: Option<Budget>,
    /// Why the figure could not be measured, when a tool it needs failed: the figure then
    /// fails its budget (unlike "n/a", which is this build not reporting it).
    pub error: Option<String>,
}

impl Metric {
    pub fn new(key: impl Into<String>, section: &str, label: impl Into<String>) -> Self {
        Metric {
            key: key.into(),
            section: section.to_owned(),
            label: label.into(),
            unit: Unit::Ms,
            samples: Vec::new(),
            budget: None,
            error: None,
        }
    }

    pub fn unit(mut self, unit: Unit) -> Self {
        self.unit = unit;
        self
    }

    pub fn samples(mut self, samples: Vec<f64>) -> Self {
        self.samples = samples;
        self
    }

    /// An upper bound on the median.
    pub fn budget(mut self, at_most: f64) -> Self {
        self.budget = Some(Budget::AtMost(at_most));
        self
    }

    /// A lower bound on the median.
    pub fn at_least(mut self, bound: f64) -> Self {
        self.budget = Some(Budget::AtLeast(bound));
        self
    }

    /// The figure could not be measured, for `reason`.
    pub fn failed(mut self, reason: impl Into<String>) -> Self {
        self.samples.clear();
        self.error = Some(reason.into());
        self
    }

    fn summary(&self) -> Option<Summary> {
        summarize(&self.samples)
    }

    /// Whether the median is within budget; `None` without a budget or a figure, `false`
    /// when the figure could not be measured.
    pub fn pass(&self) -> Option<bool> {
        let budget = self.budget?;
        if self.error.is_some() {
            return Some(false);
        }
        Some(budget.allows(self.summary()?.median))
    }

    fn status(&self) -> &'static str {
        match (self.budget, self.pass()) {
            (None, _) => "",
            (Some(_), None) => "n/a",
            (Some(_), Some(true)) => "PASS",
            (Some(_), Some(false)) => "FAIL",
        }
    }
}

pub struct Report {
    pub runs: usize,
    /// What was measured: build files, browser, conditions.
    pub context: Vec<(&'static str, String)>,
    pub metrics: Vec<Metric>,
    /// Anything the reader should know that is not a figure (e.g. an unexpected encoding).
    pub notes: Vec<String>,
    /// Raw data kept in the JSON only (e.g. every resource of every load).
    pub details: Vec<(&'static str, Value)>,
}

impl Report {
    /// The figures that could not be measured (a tool they need failed): the run still
    /// reports everything else, then exits non-zero.
    pub fn unmeasured(&self) -> Vec<&Metric> {
        self.metrics.iter().filter(|m| m.error.is_some()).collect()
    }

    pub fn to_json(&self, created_unix: u64) -> Value {
        let context: serde_json::Map<String, Value> = self
            .context
            .iter()
            .map(|(k, v)| ((*k).to_owned(), Value::from(v.as_str())))
            .collect();
        let metrics: Vec<Value> = self
            .metrics
            .iter()
            .map(|m| {
                let summary = m.summary();
                json!({
                    "key": m.key,
                    "section": m.section,
                    "label": m.label,
                    "unit": m.unit.key(),
                    "samples": m.samples,
                    "median": summary.map(|s| s.median),
                    "min": summary.map(|s| s.min),
                    "max": summary.map(|s| s.max),
                    "budget": m.budget.map(Budget::bound),
                    "budget_kind": m.budget.map(Budget::key),
                    "pass": m.pass(),
                    "error": m.error,
                })
            })
            .collect();
        let details: serde_json::Map<String, Value> = self
            .details
            .iter()
            .map(|(k, v)| ((*k).to_owned(), v.clone()))
            .collect();
        json!({
            "format": 1,
            "created_unix": created_unix,
            "runs": self.runs,
            "context": context,
            "metrics": metrics,
            "notes": self.notes,
            "details": details,
        })
    }

    /// The table, with a delta column when `previous` (an earlier `to_json`) is given.
    pub fn table(&self, previous: Option<&Value>) -> String {
        let mut header = vec!["metric", "median", "min–max", "budget", "status"];
        if previous.is_some() {
            header.push("Δ median vs previous");
        }
        let mut rows: Vec<Row> = Vec::new();
        for m in &self.metrics {
            let new_section = match rows.iter().rev().find_map(Row::section) {
                Some(current) => current != m.section,
                None => true,
            };
            if new_section {
                rows.push(Row::Section(&m.section));
            }
            let summary = m.summary();
            let mut cells = vec![
                format!("  {}", m.label),
                match (&m.error, summary) {
                    (Some(_), _) => "not measured".into(),
                    (None, Some(s)) => m.unit.format(s.median),
                    (None, None) => "n/a".into(),
                },
                summary.map_or("".into(), |s| {
                    format!("{} – {}", m.unit.format(s.min), m.unit.format(s.max))
                }),
                m.budget.map_or("".into(), |b| b.format(m.unit)),
                m.status().to_owned(),
            ];
            if let Some(previous) = previous {
                cells.push(delta(m, summary, previous));
            }
            rows.push(Row::Figures(cells));
        }
        let widths: Vec<usize> = (0..header.len())
            .map(|i| {
                rows.iter()
                    .filter_map(Row::cells)
                    .map(|cells| cells[i].chars().count())
                    .chain([header[i].chars().count()])
                    .max()
                    .unwrap_or(0)
            })
            .collect();
        let line = |cells: &[String]| -> String {
            let padded: Vec<String> = cells
                .iter()
                .zip(&widths)
                .enumerate()
                .map(|(i, (cell, &width))| {
                    let pad = " ".repeat(width - cell.chars().count());
                    // Text columns left-aligned, figures right-aligned.
                    if i == 0 || i == 4 {
                        format!("{cell}{pad}")
                    } else {
                        format!("{pad}{cell}")
                    }
                })
                .collect();
            padded.join("  ").trim_end().to_owned()
        };
        let header: Vec<String> = header.iter().map(|h| (*h).to_owned()).collect();
        let rule = "-".repeat(widths.iter().sum::<usize>() + 2 * (widths.len() - 1));
        let mut out = format!("{}\n{rule}\n", line(&header));
        for row in &rows {
            match row {
                Row::Section(title) => out += &format!("{title}\n"),
                Row::Figures(cells) => out += &format!("{}\n", line(cells)),
            }
        }
        out
    }
}

/// A line of the table: a section title, or a metric's cells.
enum Row<'a> {
    Section(&'a str),
    Figures(Vec<String>),
}

impl<'a> Row<'a> {
    fn section(&self) -> Option<&'a str> {
        match self {
            Row::Section(title) => Some(title),
            Row::Figures(_) => None,
        }
    }

    fn cells(&self) -> Option<&Vec<String>> {
        match self {
            Row::Section(_) => None,
            Row::Figures(cells) => Some(cells),
        }
    }
}

fn delta(metric: &Metric, summary: Option<Summary>, previous: &Value) -> String {
    let before = previous["metrics"]
        .as_array()
        .and_then(|ms| ms.iter().find(|m| m["key"] == metric.key.as_str()))
        .and_then(|m| m["median"].as_f64());
    match (summary, before) {
        (Some(now), Some(before)) => {
            let change = now.median - before;
            let percent = if before != 0.0 {
                format!(" ({:+.0}%)", change / before * 100.0)
            } else {
                String::new()
            };
            format!("{}{percent}", metric.unit.format_delta(change))
        }
        _ => "".into(),
    }
}

/// Writes `latest.json` into `dir`, first moving the one there to `previous.json`;
/// returns the report it replaced, for the delta column.
pub fn rotate_and_write(dir: &Path, report: &Value) -> io::Result<Option<Value>> {
    fs::create_dir_all(dir)?;
    let latest = dir.join("latest.json");
    let previous = fs::read_to_string(&latest)
        .ok()
        .and_then(|text| serde_json::from_str::<Value>(&text).ok());
    if previous.is_some() {
        fs::rename(&latest, dir.join("previous.json"))?;
    }
    fs::write(&latest, serde_json::to_string_pretty(report)? + "\n")?;
    Ok(previous)
}

/// `"-1234.5"` as `"-1,234.5"`: separators in a formatted number's whole part.
fn with_thousands(formatted: &str) -> String {
    let (sign, unsigned) = match formatted.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", formatted),
    };
    let (whole, fraction) = unsigned.split_at(unsigned.find('.').unwrap_or(unsigned.len()));
    match whole.parse::<i64>() {
        Ok(n) => format!("{sign}{}{fraction}", thousands(n)),
        Err(_) => formatted.to_owned(),
    }
}

/// `1234567` as `1,234,567`.
pub fn thousands(n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::new();
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(ch);
    }
    if n < 0 {
        format!("-{out}")
    } else {
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn report() -> Report {
        Report {
            runs: 3,
            context: vec![("wasm", "app_bg.wasm".into())],
            metrics: vec![
                Metric::new("total", "first load", "total")
                    .unit(Unit::Bytes)
                    .samples(vec![1000.0, 1200.0, 1100.0])
                    .budget(1050.0),
                Metric::new("fcp", "throttled", "FCP").samples(vec![10.0, 12.0]),
                Metric::new("wasm", "throttled", "wasm memory")
                    .unit(Unit::Memory)
                    .budget(1.0),
                Metric::new("seo", "lighthouse", "SEO")
                    .unit(Unit::Count)
                    .samples(vec![92.0])
                    .at_least(100.0),
                Metric::new("a11y", "lighthouse", "accessibility")
                    .unit(Unit::Count)
                    .at_least(100.0)
                    .failed("lighthouse is not installed"),
            ],
            notes: vec![],
            details: vec![],
        }
    }

    #[test]
    fn budgets_judge_the_median() {
        let r = report();
        assert_eq!(r.metrics[0].pass(), Some(false));
        assert_eq!(r.metrics[1].pass(), None);
        assert_eq!(r.metrics[2].status(), "n/a");
        assert_eq!(r.metrics[3].pass(), Some(false));
        assert!(Metric::new("s", "l", "s")
            .samples(vec![100.0])
            .at_least(100.0)
            .pass()
            .unwrap());
    }

    #[test]
    fn a_figure_that_could_not_be_measured_fails() {
        let r = report();
        assert_eq!(r.metrics[4].status(), "FAIL");
        assert_eq!(r.unmeasured().len(), 1);
        let table = r.table(None);
        assert!(table.contains("not measured"), "{table}");
        assert!(table.contains("≥ 100"), "{table}");
        let json = r.to_json(0);
        assert_eq!(json["metrics"][4]["error"], "lighthouse is not installed");
        assert_eq!(json["metrics"][4]["budget_kind"], "at_least");
        assert_eq!(json["metrics"][0]["budget_kind"], "at_most");
    }

    #[test]
    fn table_shows_sections_figures_and_deltas() {
        let r = report();
        let mut before = r.to_json(0);
        before["metrics"][0]["median"] = json!(1000.0);
        let table = r.table(Some(&before));
        assert!(table.contains("first load\n"), "{table}");
        assert!(table.contains("1,100 B"), "{table}");
        assert!(table.contains("1,000 B – 1,200 B"), "{table}");
        assert!(table.contains("FAIL"), "{table}");
        assert!(table.contains("+100 B (+10%)"), "{table}");
        assert!(table.contains("n/a"), "{table}");
    }

    #[test]
    fn formats_units() {
        assert_eq!(Unit::Bytes.format(122_880.0), "122,880 B");
        assert_eq!(Unit::Memory.format(12.0 * 1_048_576.0), "12.00 MB");
        assert_eq!(Unit::Kilobytes.format(179.0 * 1024.0), "179.0 KB");
        assert_eq!(Unit::Ratio.format(1.5), "1.50x");
        assert_eq!(Unit::Ms.format_delta(-2.26), "-2.3 ms");
        assert_eq!(Unit::Ms.format(2_500.0), "2,500.0 ms");
        assert_eq!(Unit::Ms.format(-1_234.56), "-1,234.6 ms");
        assert_eq!(Unit::Ms.format(f64::NAN), "NaN ms");
        assert_eq!(thousands(-1_234_567), "-1,234,567");
        assert_eq!(Unit::Count.format(100.0), "100");
        assert_eq!(Unit::Count.format(12.5), "12.5");
    }
}
