//! The whole benchmark: which pages are loaded, how often and in what order.

use std::path::PathBuf;

use garage_harness::thread_gen::comments_file;
use garage_harness::{CannedResponse, StaticServer};

use super::browser::{Browser, ChromeDriver};
use super::comment_metrics::{measure_comments, CommentSample};
use super::figures::{budgets, SpeedPair};
use super::figures::{build_files, details, rows, PageLoads, PublishingLoads, Samples};
use super::lighthouse::{Lighthouse, LighthouseReport, Throttling};
use super::navigation::{measure_related_click, NavigationSample};
use super::page_load::{measure_throttled_load, Version};
use super::pages::{PAGES, SEED_ARTICLE, SEED_SLUG};
use super::publishing::{measure_served_load, Build};
use super::report::thousands;
use super::report::{Report, Unit};
use super::snapshot::{render_page, write_static_site};
use super::throttling::CONDITIONS;
use super::unpublished::write_unpublished_site;
use super::wasm_size::wasm_size;
use super::Error;
use garage_harness::isso::{IssoOptions, IssoServer};

/// Thread sizes measured.
const COMMENT_COUNTS: [usize; 3] = [100, 1_000, 10_000];
const THREAD_SEED: u64 = 2024;

pub struct Options {
    pub runs: usize,
    /// The release build to measure.
    pub dist: PathBuf,
    /// The same build for a site with a comment service (`scripts/setup.sh`'s
    /// `build_service_site`): its `dist/` and the `port` file naming Isso's port.
    pub service_site: PathBuf,
    /// Where the snapshots and the JSON results go (`target/bench`).
    pub out_dir: PathBuf,
    /// Which measurements to take: all of them unless narrowed down while working on one.
    pub only: Option<Part>,
}

/// One part of the benchmark, for `--only`. The wasm's size is read in every case: it
/// costs nothing.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Part {
    /// Each page's throttled first load against its static snapshot: paints, layout shift,
    /// blocking time, the app ready, bytes.
    Loads,
    /// A related article followed in the app.
    Navigation,
    /// Comment threads of each size.
    Threads,
    /// The seed article's first load with and without what publishing adds.
    Publishing,
    /// Lighthouse's audit of the seed article.
    Lighthouse,
    /// Lighthouse's performance audits of the seed article and its snapshot.
    Speed,
    /// A large thread on the real comment service.
    Service,
}

/// Lighthouse's performance audits per method and page: at most this many (each takes
/// 15 to 40 s).
const SPEED_RUNS: usize = 3;

impl Options {
    fn measures(&self, part: Part) -> bool {
        self.only.is_none_or(|only| only == part)
    }
}

pub async fn run(options: &Options) -> Result<Report, Error> {
    let dist = &options.dist;
    if !dist.join("index.html").is_file() {
        return Err(format!("{} has no build (run scripts/bench.sh)", dist.display()).into());
    }
    let wasm = wasm_size(dist)?;
    let mut browsers = Browsers {
        driver: ChromeDriver::start()?,
        retries: Vec::new(),
    };
    let app = StaticServer::start(dist)?;

    let user_agent = browsers
        .measure(async |browser| {
            let agent = browser.js("return navigator.userAgent;").await?;
            Ok(agent.as_str().unwrap_or_default().to_owned())
        })
        .await?;
    let pages = if options.measures(Part::Loads) {
        page_loads(&mut browsers, &app, options).await?
    } else {
        Vec::new()
    };
    let navigations = if options.measures(Part::Navigation) {
        related_clicks(&mut browsers, &app, options.runs).await?
    } else {
        Vec::new()
    };
    let threads = if options.measures(Part::Threads) {
        comment_threads(&mut browsers, &app, options.runs).await?
    } else {
        Vec::new()
    };
    let publishing = if options.measures(Part::Publishing) {
        Some(publishing_costs(&mut browsers, options).await?)
    } else {
        None
    };
    let service_thread = if options.measures(Part::Service) {
        Some(service_thread(&mut browsers, options).await)
    } else {
        None
    };
    // Last, with no browser of ours running beside them.
    let speed = if options.measures(Part::Speed) {
        Some(speed_audits(&mut browsers, &app, options).await?)
    } else {
        None
    };
    let lighthouse = if options.measures(Part::Lighthouse) {
        Some(lighthouse_audit(&app, options).await)
    } else {
        None
    };

    let samples = Samples {
        wasm,
        pages,
        navigations,
        threads,
        publishing,
        lighthouse,
        speed,
        service_thread,
    };
    let (metrics, figure_notes) = rows(&samples);
    let mut notes = browsers.retries;
    notes.extend(figure_notes);
    Ok(Report {
        runs: options.runs,
        context: vec![
            ("dist", dist.display().to_string()),
            ("build", build_files(&samples)),
            ("browser", user_agent),
            ("throttling", CONDITIONS.into()),
        ],
        metrics,
        notes,
        details: details(&samples),
    })
}

/// Each page's throttled first loads, the app's and its static snapshot's, each in a fresh
/// browser. They alternate (app, static, for one page, then the next), so a slow spell on
/// the machine hits both alike.
async fn page_loads(
    browsers: &mut Browsers,
    app: &StaticServer,
    options: &Options,
) -> Result<Vec<PageLoads>, Error> {
    progress("rendering each page for its static snapshot");
    let mut rendered = Vec::new();
    for page in PAGES {
        let url = app.url(page.path);
        rendered.push(
            browsers
                .measure(async |browser| render_page(browser, &url, page).await)
                .await?,
        );
    }
    let static_dir = options.out_dir.join("static");
    write_static_site(&options.dist, &static_dir, &rendered)?;
    let snapshot = StaticServer::start(&static_dir)?;

    let mut loads: Vec<PageLoads> = PAGES
        .iter()
        .map(|&page| PageLoads {
            page,
            app: Vec::new(),
            snapshot: Vec::new(),
        })
        .collect();
    for run in 1..=options.runs {
        for page_loads in &mut loads {
            let page = page_loads.page;
            let (app_url, static_url) = (app.url(page.path), snapshot.url(page.path));
            let app_load = browsers
                .measure(async |browser| {
                    measure_throttled_load(browser, &app_url, Version::App).await
                })
                .await?;
            let static_load = browsers
                .measure(async |browser| {
                    measure_throttled_load(browser, &static_url, Version::StaticSnapshot).await
                })
                .await?;
            progress(&format!(
                "{} {run}/{}: LCP app {:.0} ms, static {:.0} ms; app ready {:.0} ms; \
                 TBT app {:.0} ms ({} long tasks), static {:.0} ms",
                page.name,
                options.runs,
                app_load.lcp,
                static_load.lcp,
                app_load.app_ready.unwrap_or(f64::NAN),
                app_load.total_blocking_time(),
                app_load.long_tasks.len(),
                static_load.total_blocking_time(),
            ));
            page_loads.app.push(app_load);
            page_loads.snapshot.push(static_load);
        }
    }
    Ok(loads)
}

/// A related article followed from the seed article, each run in a fresh browser.
async fn related_clicks(
    browsers: &mut Browsers,
    app: &StaticServer,
    runs: usize,
) -> Result<Vec<NavigationSample>, Error> {
    let url = app.url(SEED_ARTICLE.path);
    let mut samples = Vec::new();
    for run in 1..=runs {
        let sample = browsers
            .measure(async |browser| measure_related_click(browser, &url).await)
            .await?;
        progress(&format!(
            "related article {run}/{runs}: prefetched at {:.0} ms; click → headline in DOM \
             {:.1} ms, painted {:.1} ms",
            sample.prefetched_at, sample.dom_ms, sample.painted_ms
        ));
        samples.push(sample);
    }
    Ok(samples)
}

/// The app with generated threads of each size, served in place of the seed article's
/// (missing) comments file.
async fn comment_threads(
    browsers: &mut Browsers,
    app: &StaticServer,
    runs: usize,
) -> Result<Vec<(usize, Vec<CommentSample>)>, Error> {
    let app_url = app.url(SEED_ARTICLE.path);
    let comments_path = format!("/api/comments/{SEED_SLUG}.json");
    let mut threads = Vec::new();
    for count in COMMENT_COUNTS {
        let file = comments_file(count, THREAD_SEED);
        app.always_respond_with(&comments_path, CannedResponse::json(200, file));
        let mut samples = Vec::new();
        for run in 1..=runs {
            let sample = browsers
                .measure(async |browser| {
                    measure_comments(browser, &app_url, &format!("{count}-{run}")).await
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

/// The seed article's first load from the build as built and from the copy without what
/// publishing adds, alternately (as built, then without, each run), each in a fresh browser
/// on a server of its own, so a slow spell on the machine hits both alike.
async fn publishing_costs(
    browsers: &mut Browsers,
    options: &Options,
) -> Result<PublishingLoads, Error> {
    let unpublished_dir = options.out_dir.join("unpublished");
    progress(&format!(
        "writing the build without what publishing adds to {}",
        unpublished_dir.display()
    ));
    let baseline = write_unpublished_site(&options.dist, &unpublished_dir)?;
    let mut loads = PublishingLoads {
        baseline,
        as_built: Vec::new(),
        unpublished: Vec::new(),
    };
    for run in 1..=options.runs {
        let as_built = browsers
            .measure(async |browser| {
                measure_served_load(browser, &options.dist, SEED_ARTICLE.path, Build::AsBuilt).await
            })
            .await?;
        let unpublished = browsers
            .measure(async |browser| {
                measure_served_load(
                    browser,
                    &unpublished_dir,
                    SEED_ARTICLE.path,
                    Build::Unpublished,
                )
                .await
            })
            .await?;
        progress(&format!(
            "publishing {run}/{}: first load {} in {} requests as built, {} in {} without",
            options.runs,
            Unit::Bytes.format(as_built.body_bytes as f64),
            as_built.requests(),
            Unit::Bytes.format(unpublished.body_bytes as f64),
            unpublished.requests(),
        ));
        loads.as_built.push(as_built);
        loads.unpublished.push(unpublished);
    }
    Ok(loads)
}

/// Lighthouse on the seed article as `app` serves it, once. A Lighthouse that cannot run
/// fails its figures, not the whole benchmark.
/// Lighthouse's performance audits (mobile) of the seed article and of its static snapshot,
/// with each throttling method, alternately (app, snapshot), so a slow spell on the machine
/// hits both alike.
async fn speed_audits(
    browsers: &mut Browsers,
    app: &StaticServer,
    options: &Options,
) -> Result<Vec<SpeedPair>, Error> {
    progress("rendering the seed article for its static snapshot (Lighthouse)");
    let url = app.url(SEED_ARTICLE.path);
    let rendered = browsers
        .measure(async |browser| render_page(browser, &url, SEED_ARTICLE).await)
        .await?;
    let static_dir = options.out_dir.join("static-lighthouse");
    write_static_site(&options.dist, &static_dir, &[rendered])?;
    let snapshot = StaticServer::start(&static_dir)?;
    let runs = options.runs.min(SPEED_RUNS);
    let mut pairs = Vec::new();
    for run in 1..=runs {
        for throttling in Throttling::BOTH {
            let audit = |url: String, name: &str| {
                let output = options
                    .out_dir
                    .join(format!("lighthouse-{}-{name}.json", throttling.key()));
                tokio::task::spawn_blocking(move || {
                    Lighthouse::from_env().audit_speed(&url, throttling, &output)
                })
            };
            let app_report = audit(app.url(SEED_ARTICLE.path), "app")
                .await
                .map_err(|e| e.to_string())??;
            let static_report = audit(snapshot.url(SEED_ARTICLE.path), "static")
                .await
                .map_err(|e| e.to_string())??;
            progress(&format!(
                "Lighthouse ({}) {run}/{runs}: LCP app {:.0} ms, static {:.0} ms; TBT app {:.0} ms",
                throttling.label(),
                app_report.lcp,
                static_report.lcp,
                app_report.tbt
            ));
            pairs.push(SpeedPair {
                throttling,
                app: app_report,
                snapshot: static_report,
            });
        }
    }
    Ok(pairs)
}

/// A thread of 1,000 comments on the real comment service: the build made for one, and
/// Isso started on the port it names with the thread posted to it.
async fn service_thread(
    browsers: &mut Browsers,
    options: &Options,
) -> Result<Vec<CommentSample>, String> {
    let dist = options.service_site.join("dist");
    let port: u16 = std::fs::read_to_string(options.service_site.join("port"))
        .ok()
        .and_then(|p| p.trim().parse().ok())
        .ok_or("target/service-site has no build (scripts/bench.sh builds it)")?;
    let site = StaticServer::start(&dist).map_err(|e| e.to_string())?;
    let mut isso_options = IssoOptions::for_site(site.url("").trim_end_matches('/'));
    isso_options.port = Some(port);
    progress(&format!(
        "posting {} comments to Isso",
        thousands(budgets::SERVICE_THREAD as i64)
    ));
    let isso = tokio::task::spawn_blocking(move || -> Result<IssoServer, String> {
        let isso = IssoServer::start(isso_options).map_err(|e| e.to_string())?;
        post_thread(&isso, budgets::SERVICE_THREAD)?;
        Ok(isso)
    })
    .await
    .map_err(|e| e.to_string())??;
    let url = site.url(SEED_ARTICLE.path);
    let mut samples = Vec::new();
    for run in 1..=options.runs {
        let sample = browsers
            .measure(async |browser| {
                measure_comments(browser, &url, &format!("service-{run}")).await
            })
            .await
            .map_err(|e| e.to_string())?;
        progress(&format!(
            "Isso thread {run}/{}: first batch {:.1} ms, painted {:.1} ms, show more {:.1} ms",
            options.runs,
            sample.first_batch_ms,
            sample.first_painted_ms.unwrap_or(f64::NAN),
            sample.show_more_ms
        ));
        samples.push(sample);
    }
    drop(isso);
    Ok(samples)
}

/// Posts `count` comments to the seed article's thread: most at the top level, every
/// fourth a reply to one before it, bodies of a typical comment's length.
fn post_thread(isso: &IssoServer, count: usize) -> Result<(), String> {
    let uri = SEED_ARTICLE.path;
    let mut top_level: Vec<u64> = Vec::new();
    for n in 0..count {
        let text = format!(
            "Comment {n}: the Aurus Senat is a fine car, but what matters is the engineering              under it, and how the sanctions shape what can be built. {}",
            "More to say. ".repeat(n % 7)
        );
        let parent = (n % 4 == 3).then(|| top_level[(n * 7919) % top_level.len()]);
        let mut comment = serde_json::json!({
            "text": text, "author": format!("Reader {}", n % 97), "title": "Seed"
        });
        if let Some(parent) = parent {
            comment["parent"] = parent.into();
        }
        let answer = isso
            .post_comment(uri, &comment, None)
            .map_err(|e| e.to_string())?;
        if parent.is_none() {
            top_level.push(answer.json()["id"].as_u64().ok_or("Isso gave no id")?);
        }
    }
    Ok(())
}

async fn lighthouse_audit(
    app: &StaticServer,
    options: &Options,
) -> Result<LighthouseReport, String> {
    progress("auditing the seed article with Lighthouse (SEO, best practices, accessibility)");
    let url = app.url(SEED_ARTICLE.path);
    let output = options.out_dir.join("lighthouse.json");
    std::fs::create_dir_all(&options.out_dir)
        .map_err(|e| format!("cannot create {}: {e}", options.out_dir.display()))?;
    let audit = tokio::task::spawn_blocking(move || Lighthouse::from_env().audit(&url, &output))
        .await
        .unwrap_or_else(|e| Err(format!("the Lighthouse run stopped: {e}")));
    match &audit {
        Ok(report) => progress(&format!(
            "Lighthouse: {}",
            report
                .categories
                .iter()
                .map(|c| format!(
                    "{} {}",
                    c.id,
                    c.score.map_or("n/a".into(), |s| format!("{s:.0}"))
                ))
                .collect::<Vec<_>>()
                .join(", ")
        )),
        Err(reason) => progress(&format!("Lighthouse could not run: {reason}")),
    }
    audit
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
