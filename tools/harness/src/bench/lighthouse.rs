//! Lighthouse's SEO, best-practices and accessibility audits of one page: the `lighthouse`
//! CLI (npm; `scripts/bench.sh` installs it into `.tools/`) run against Chromium started
//! with the project's headless flags. Its JSON report is kept beside the benchmark's.
//!
//! These categories judge the page as served (heads, links, headers, console errors), not
//! its speed: one audit per benchmark is enough, and it is not throttled by us.

use std::fs::{self, File};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

use garage_harness::chromium::HEADLESS_FLAGS;

/// The categories audited: Lighthouse's id, and the JSON key and label used here.
pub const CATEGORIES: [(&str, &str, &str); 3] = [
    ("seo", "seo", "SEO"),
    ("best-practices", "best_practices", "best practices"),
    ("accessibility", "accessibility", "accessibility"),
];

/// A run takes 15 to 40 s on 2 cores; past this it is stuck.
const PATIENCE: Duration = Duration::from_secs(240);

/// The Chromium used when `$CHROMIUM` is not set (where Debian installs it).
const DEFAULT_CHROMIUM: &str = "/usr/bin/chromium";

/// What Lighthouse said about the page.
#[derive(Clone, Debug, PartialEq)]
pub struct LighthouseReport {
    pub version: String,
    /// In the order of [`CATEGORIES`].
    pub categories: Vec<Category>,
    /// Lighthouse's own warnings about the run (e.g. a page that redirected).
    pub warnings: Vec<String>,
    /// The full JSON report.
    pub file: PathBuf,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Category {
    /// Lighthouse's id, e.g. `best-practices`.
    pub id: &'static str,
    /// Out of 100; `None` when Lighthouse could not score it.
    pub score: Option<f64>,
    /// The category's audits that did not pass, in the report's order.
    pub failed: Vec<FailedAudit>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct FailedAudit {
    pub title: String,
    /// Whether it counts towards the score (weight above 0).
    pub scored: bool,
    /// Lighthouse's explanation, or why the audit could not run.
    pub explanation: Option<String>,
}

/// The programs a run uses.
pub struct Lighthouse {
    pub program: String,
    pub chromium: String,
}

/// How Lighthouse slows the page down to a mobile phone's speed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Throttling {
    /// Lighthouse's default (and PageSpeed Insights'): the page loads at full speed and
    /// Lighthouse estimates the slow load from the requests it saw (Lantern).
    Simulated,
    /// The browser itself is slowed down as it loads the page (DevTools).
    Devtools,
}

impl Throttling {
    pub const BOTH: [Throttling; 2] = [Throttling::Simulated, Throttling::Devtools];

    pub fn key(self) -> &'static str {
        match self {
            Throttling::Simulated => "simulate",
            Throttling::Devtools => "devtools",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Throttling::Simulated => "simulated throttling",
            Throttling::Devtools => "DevTools throttling",
        }
    }
}

/// What Lighthouse's performance audit measured of one load (ms).
#[derive(Clone, Debug, PartialEq)]
pub struct SpeedReport {
    pub lcp: f64,
    pub fcp: f64,
    pub tbt: f64,
}

impl Lighthouse {
    /// Lighthouse's performance audit of `url` (mobile), throttled as `throttling` says.
    pub fn audit_speed(
        &self,
        url: &str,
        throttling: Throttling,
        output: &Path,
    ) -> Result<SpeedReport, String> {
        let args = [
            "--only-categories=performance".to_owned(),
            format!("--throttling-method={}", throttling.key()),
        ];
        let report = run_lighthouse(&self.program, &self.chromium, url, &args, output)?;
        parse_speed(&report)
    }

    /// `$LIGHTHOUSE` (which `scripts/bench.sh` sets to the copy it installed) or PATH's
    /// `lighthouse`; `$CHROMIUM` or Debian's Chromium.
    pub fn from_env() -> Lighthouse {
        Lighthouse {
            program: std::env::var("LIGHTHOUSE").unwrap_or_else(|_| "lighthouse".into()),
            chromium: std::env::var("CHROMIUM").unwrap_or_else(|_| DEFAULT_CHROMIUM.into()),
        }
    }

    /// Audits `url`, writing Lighthouse's JSON to `output` (and its log beside it). Blocks
    /// for the length of the run. The error says why there is no report (not installed,
    /// Chromium failed, the page could not be audited).
    pub fn audit(&self, url: &str, output: &Path) -> Result<LighthouseReport, String> {
        let Lighthouse { program, chromium } = self;
        let args = ["--only-categories=seo,best-practices,accessibility".to_owned()];
        let report = run_lighthouse(program, chromium, url, &args, output)?;
        parse_report(&report, output)
    }
}

/// Runs the CLI with `args` and reads its JSON report.
fn run_lighthouse(
    program: &str,
    chromium: &str,
    url: &str,
    args: &[String],
    output: &Path,
) -> Result<Value, String> {
    let log_path = output.with_extension("log");
    let _ = fs::remove_file(output);
    let log = File::create(&log_path)
        .map_err(|e| format!("cannot create {}: {e}", log_path.display()))?;
    let mut child = Command::new(program)
        .arg(url)
        .args(args)
        .arg("--output=json")
        .arg(format!("--output-path={}", output.display()))
        .arg("--quiet")
        .arg(format!("--chrome-flags={}", HEADLESS_FLAGS.join(" ")))
        .env("CHROME_PATH", chromium)
        .stdin(Stdio::null())
        .stdout(log.try_clone().map_err(|e| e.to_string())?)
        .stderr(log)
        .spawn()
        .map_err(|e| {
            format!("cannot start {program}: {e} (scripts/bench.sh installs it into .tools/)")
        })?;
    let deadline = Instant::now() + PATIENCE;
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) if Instant::now() > deadline => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(format!("{program} did not finish within {PATIENCE:?}"));
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(200)),
            Err(e) => return Err(format!("cannot wait for {program}: {e}")),
        }
    };
    if !status.success() {
        return Err(format!(
            "{program} exited with {status}: {}",
            last_line(&log_path).unwrap_or_else(|| "(no output)".into())
        ));
    }
    let text = fs::read_to_string(output)
        .map_err(|e| format!("{program} wrote no report to {}: {e}", output.display()))?;
    serde_json::from_str(&text).map_err(|e| format!("{program}'s report is not JSON: {e}"))
}

/// Reads the performance metrics of Lighthouse's report.
pub fn parse_speed(report: &Value) -> Result<SpeedReport, String> {
    if let Some(error) = report.get("runtimeError") {
        return Err(format!(
            "Lighthouse could not audit the page: {}: {}",
            error["code"].as_str().unwrap_or("?"),
            error["message"].as_str().unwrap_or("")
        ));
    }
    let metric = |id: &str| {
        report["audits"][id]["numericValue"]
            .as_f64()
            .ok_or_else(|| format!("Lighthouse's report has no {id}"))
    };
    Ok(SpeedReport {
        lcp: metric("largest-contentful-paint")?,
        fcp: metric("first-contentful-paint")?,
        tbt: metric("total-blocking-time")?,
    })
}

/// The last line the run printed: with `--quiet`, what went wrong.
fn last_line(log: &Path) -> Option<String> {
    let text = fs::read_to_string(log).ok()?;
    text.lines()
        .rev()
        .find(|line| !line.trim().is_empty())
        .map(|line| line.trim().to_owned())
}

/// Reads Lighthouse's JSON report (its "LHR").
pub fn parse_report(report: &Value, file: &Path) -> Result<LighthouseReport, String> {
    if let Some(error) = report.get("runtimeError") {
        return Err(format!(
            "Lighthouse could not audit the page: {}: {}",
            error["code"].as_str().unwrap_or("?"),
            error["message"].as_str().unwrap_or("")
        ));
    }
    let text = |value: &Value| value.as_str().map(str::to_owned);
    let categories = CATEGORIES
        .iter()
        .map(|&(id, _, _)| {
            let category = &report["categories"][id];
            if category.is_null() {
                return Err(format!("Lighthouse's report has no {id} category"));
            }
            let failed = category["auditRefs"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|reference| {
                    let audit = &report["audits"][reference["id"].as_str()?];
                    let mode = audit["scoreDisplayMode"].as_str()?;
                    let passed = match mode {
                        "binary" | "numeric" | "metricSavings" => audit["score"].as_f64()? >= 1.0,
                        // Could not run: it counts as failed, and says why.
                        "error" => false,
                        // Manual, informative or not applicable: nothing to pass.
                        _ => true,
                    };
                    (!passed).then(|| FailedAudit {
                        title: text(&audit["title"]).unwrap_or_else(|| "(untitled)".into()),
                        scored: reference["weight"].as_f64().unwrap_or(0.0) > 0.0,
                        explanation: text(&audit["explanation"])
                            .or_else(|| text(&audit["errorMessage"]))
                            .filter(|e| !e.is_empty()),
                    })
                })
                .collect();
            Ok(Category {
                id,
                score: category["score"].as_f64().map(|s| (s * 100.0).round()),
                failed,
            })
        })
        .collect::<Result<Vec<_>, String>>()?;
    Ok(LighthouseReport {
        version: text(&report["lighthouseVersion"]).unwrap_or_else(|| "?".into()),
        categories,
        warnings: report["runWarnings"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(text)
            .collect(),
        file: file.to_path_buf(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn report() -> Value {
        json!({
            "lighthouseVersion": "12.2.3",
            "runWarnings": ["The page redirected"],
            "categories": {
                "seo": { "score": 0.92, "auditRefs": [
                    { "id": "canonical", "weight": 1 },
                    { "id": "structured-data", "weight": 0 }
                ]},
                "best-practices": { "score": 1, "auditRefs": [
                    { "id": "errors-in-console", "weight": 1 },
                    { "id": "inspector-issues", "weight": 0 }
                ]},
                "accessibility": { "score": null, "auditRefs": [
                    { "id": "color-contrast", "weight": 7 }
                ]}
            },
            "audits": {
                "canonical": { "title": "Document does not have a valid `rel=canonical`",
                    "score": 0, "scoreDisplayMode": "binary",
                    "explanation": "Points to a different domain" },
                "structured-data": { "title": "Structured data is valid",
                    "score": null, "scoreDisplayMode": "manual" },
                "errors-in-console": { "title": "No browser errors logged to the console",
                    "score": 1, "scoreDisplayMode": "binary" },
                "inspector-issues": { "title": "Issues were logged",
                    "score": 0, "scoreDisplayMode": "binary" },
                "color-contrast": { "title": "Background and foreground colors",
                    "score": null, "scoreDisplayMode": "error", "errorMessage": "timed out" }
            }
        })
    }

    #[test]
    fn reads_scores_out_of_100_and_the_failed_audits() {
        let report = parse_report(&report(), Path::new("lh.json")).unwrap();
        assert_eq!(report.version, "12.2.3");
        assert_eq!(report.warnings, ["The page redirected"]);
        let [seo, practices, a11y] = &report.categories[..] else {
            panic!("three categories");
        };
        assert_eq!((seo.id, seo.score), ("seo", Some(92.0)));
        assert_eq!(
            seo.failed,
            [FailedAudit {
                title: "Document does not have a valid `rel=canonical`".into(),
                scored: true,
                explanation: Some("Points to a different domain".into()),
            }]
        );
        assert_eq!(practices.score, Some(100.0));
        assert_eq!(practices.failed.len(), 1);
        assert!(!practices.failed[0].scored);
        assert_eq!(a11y.score, None);
        assert_eq!(
            a11y.failed[0].explanation.as_deref(),
            Some("timed out"),
            "an audit that could not run"
        );
    }

    #[test]
    fn reads_the_speed_metrics() {
        let report = json!({ "audits": {
            "largest-contentful-paint": { "numericValue": 1234.5 },
            "first-contentful-paint": { "numericValue": 1000.0 },
            "total-blocking-time": { "numericValue": 42.0 },
        }});
        assert_eq!(
            parse_speed(&report),
            Ok(SpeedReport {
                lcp: 1234.5,
                fcp: 1000.0,
                tbt: 42.0
            })
        );
        assert!(parse_speed(&json!({ "audits": {} })).is_err());
    }

    #[test]
    fn a_run_that_failed_is_an_error() {
        let failed = json!({ "runtimeError": { "code": "NO_FCP", "message": "no paint" } });
        let error = parse_report(&failed, Path::new("lh.json")).unwrap_err();
        assert!(error.contains("NO_FCP"), "{error}");
        assert!(parse_report(&json!({}), Path::new("lh.json")).is_err());
    }

    #[test]
    fn a_missing_program_is_an_error_not_a_panic() {
        let lighthouse = Lighthouse {
            program: "/nonexistent/lighthouse".into(),
            chromium: DEFAULT_CHROMIUM.into(),
        };
        let out = std::env::temp_dir().join(format!("garage-lh-{}.json", std::process::id()));
        let error = lighthouse.audit("http://127.0.0.1:9/", &out).unwrap_err();
        let _ = fs::remove_file(out.with_extension("log"));
        assert!(error.contains("cannot start"), "{error}");
    }
}
