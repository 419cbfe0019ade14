//! The whole benchmark: which pages are loaded, how often and in what order.

use std::path::PathBuf;

use garage_harness::{CannedResponse, StaticServer};

use super::browser::{Browser, ChromeDriver};
use super::comment_metrics::{measure_comments, CommentSample};
use super::figures::{build_files, resources_json, rows, Samples};
use super::page_metrics::{measure_throttled_load, LoadSample};
use super::report::Report;
use super::snapshot::write_static_snapshot;
use super::{seed_path, Error, SEED_SLUG};
use garage_harness::thread_gen::comments_file;

/// Thread sizes measured.
const COMMENT_COUNTS: [usize; 3] = [100, 1_000, 10_000];
const THREAD_SEED: u64 = 2024;

pub struct Options {
    pub runs: usize,
    /// The release build to measure.
    pub dist: PathBuf,
    /// Where the snapshot and the JSON results go (`target/bench`).
    pub out_dir: PathBuf,
    /// Which measurements to take: all of them unless narrowed down while working on one.
    pub only: Option<Part>,
}

/// One half of the benchmark, for `--only`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Part {
    /// The first load: bytes, and throttled paint timings against the static snapshot.
    Loads,
    /// Comment threads of each size.
    Threads,
}

pub async fn run(options: &Options) -> Result<Report, Error> {
    let dist = &options.dist;
    if !dist.join("index.html").is_file() {
        return Err(format!("{} has no build (run scripts/bench.sh)", dist.display()).into());
    }
    let mut browsers = Browsers {
        driver: ChromeDriver::start()?,
        retries: Vec::new(),
    };
    let app = StaticServer::start(dist)?;
    let app_url = app.url(&seed_path());

    let user_agent = browsers
        .measure(async |browser| {
            let agent = browser.js("return navigator.userAgent;").await?;
            Ok(agent.as_str().unwrap_or_default().to_owned())
        })
        .await?;
    let (app_loads, static_loads) = if options.only != Some(Part::Threads) {
        progress("rendering the seed article for the static snapshot");
        let static_dir = options.out_dir.join("static");
        browsers
            .measure(async |browser| {
                write_static_snapshot(browser, &app_url, dist, &static_dir).await
            })
            .await?;
        let snapshot = StaticServer::start(&static_dir)?;
        let static_url = snapshot.url(&seed_path());
        throttled_loads(&mut browsers, &app_url, &static_url, options.runs).await?
    } else {
        (Vec::new(), Vec::new())
    };
    let threads = if options.only != Some(Part::Loads) {
        comment_threads(&mut browsers, &app, &app_url, options.runs).await?
    } else {
        Vec::new()
    };

    let samples = Samples {
        app_loads,
        static_loads,
        threads,
    };
    let (metrics, figure_notes) = rows(&samples);
    let mut notes = browsers.retries;
    notes.extend(figure_notes);
    Ok(Report {
        runs: options.runs,
        context: vec![
            ("dist", dist.display().to_string()),
            ("build", build_files(&samples.app_loads)),
            ("browser", user_agent),
            (
                "throttling",
                "CPU 4x; 150 ms latency, 1.6 Mbit/s down, 750 kbit/s up".into(),
            ),
        ],
        metrics,
        notes,
        details: vec![("first_load_resources", resources_json(&samples.app_loads))],
    })
}

/// Throttled first loads of the app and of its static snapshot, each in a fresh browser.
/// They alternate, so a slow spell on the machine hits both alike.
async fn throttled_loads(
    browsers: &mut Browsers,
    app_url: &str,
    static_url: &str,
    runs: usize,
) -> Result<(Vec<LoadSample>, Vec<LoadSample>), Error> {
    let mut app_loads = Vec::new();
    let mut static_loads = Vec::new();
    for run in 1..=runs {
        let app_load = browsers
            .measure(async |browser| measure_throttled_load(browser, app_url, true).await)
            .await?;
        let static_load = browsers
            .measure(async |browser| measure_throttled_load(browser, static_url, false).await)
            .await?;
        progress(&format!(
            "throttled load {run}/{runs}: LCP app {:.0} ms, static {:.0} ms",
            app_load.lcp, static_load.lcp
        ));
        app_loads.push(app_load);
        static_loads.push(static_load);
    }
    Ok((app_loads, static_loads))
}

/// The app with generated threads of each size, served in place of the seed article's
/// (missing) comments file.
async fn comment_threads(
    browsers: &mut Browsers,
    app: &StaticServer,
    app_url: &str,
    runs: usize,
) -> Result<Vec<(usize, Vec<CommentSample>)>, Error> {
    let comments_path = format!("/api/comments/{SEED_SLUG}.json");
    let mut threads = Vec::new();
    for count in COMMENT_COUNTS {
        let file = comments_file(count, THREAD_SEED);
        app.always_respond_with(&comments_path, CannedResponse::json(200, file));
        let mut samples = Vec::new();
        for run in 1..=runs {
            let sample = browsers
                .measure(async |browser| {
                    measure_comments(browser, app_url, &format!("{count}-{run}")).await
                })
                .await?;
            let phases = &sample.first_batch_phases;
            progress(&format!(
                "{count} comments {run}/{runs}: first batch {:.1} ms (decode {:.1}, thread {:.1}, \
                 DOM {:.1}, frame {:.1}; painted {:.1}), whole page {:.1} ms, show more {:.1} ms, \
                 post {:.1} ms",
                sample.first_batch_ms,
                phases.decode_ms,
                phases.build_ms,
                phases.dom_ms,
                phases.frame_ms,
                sample.first_painted_ms.unwrap_or(f64::NAN),
                sample.first_page_ms,
                sample.show_more_ms,
                sample.post_ms
            ));
            samples.push(sample);
        }
        threads.push((count, samples));
    }
    app.clear(&comments_path);
    Ok(threads)
}

/// Fresh browsers for measurements, and a record of the measurements that failed once.
struct Browsers {
    driver: ChromeDriver,
    /// For the report: a retried measurement may hint at a flaky page or machine.
    retries: Vec<String>,
}

impl Browsers {
    /// Runs `measure` in a fresh browser (always closed afterwards). A measurement that
    /// fails is tried once more in another fresh browser before the benchmark gives up:
    /// one hiccup of a loaded machine should not throw away the whole run.
    async fn measure<T>(
        &mut self,
        measure: impl AsyncFn(&Browser) -> Result<T, Error>,
    ) -> Result<T, Error> {
        match self.once(&measure).await {
            Ok(value) => Ok(value),
            Err(first) => {
                // Script errors quote the whole script: its first line says enough.
                let first = first.to_string();
                let reason = first.lines().next().unwrap_or_default();
                progress(&format!("measurement failed, retrying once: {reason}"));
                self.retries
                    .push(format!("A measurement was retried after: {reason}"));
                self.once(&measure).await
            }
        }
    }

    async fn once<T>(
        &self,
        measure: &impl AsyncFn(&Browser) -> Result<T, Error>,
    ) -> Result<T, Error> {
        let browser = self.driver.open().await?;
        let result = measure(&browser).await;
        browser.close().await;
        result
    }
}

fn progress(message: &str) {
    eprintln!("==> {message}");
}
