//! The build's benchmark (`scripts/bench.sh --only build`): the site step after Trunk's
//! (tools/site, as its hook runs it: optimised, precompressing, with its cache) on
//! generated archives (tools/archive-gen) of 100, 1,000 and (with `--10k`) 10,000
//! articles, cold (empty cache) and incremental (one article corrected, on a fresh copy
//! of Trunk's output, as Trunk writes one each build). Prints the seconds, the site
//! step's peak memory and the front page's brotli size against the budgets.
//!
//! `garage-build-bench TRUNK_OUT BIN_DIR [--10k]`: `TRUNK_OUT` is a release `trunk build`
//! whose hook did nothing (`GARAGE_SITE_SKIP=1`), `BIN_DIR` holds `garage-site` and
//! `garage-archive-gen` built with `--profile site`. The wasm build is not timed.

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::Instant;

/// Budgets (docs/performance.md): seconds for 10,000 articles beyond the wasm build, peak
/// memory, and the front page's HTML, brotli-compressed.
const BUDGET_10K_SECONDS: f64 = 180.0;
const BUDGET_PEAK_MB: f64 = 1024.0;
const BUDGET_RATIO_10K_1K: f64 = 11.0;
const BUDGET_FRONT_PAGE_KB: f64 = 30.0;
/// The article corrected for the incremental build.
const EDITED: usize = 7;

struct Run {
    seconds: f64,
    /// The site step's processor time, all threads: the work, apart from waits for a core
    /// on a shared machine.
    cpu_seconds: Option<f64>,
    peak_mb: Option<f64>,
    rendered: String,
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (trunk_out, bin_dir) = match (args.first(), args.get(1)) {
        (Some(t), Some(b)) => (PathBuf::from(t), PathBuf::from(b)),
        _ => {
            eprintln!("usage: garage-build-bench TRUNK_OUT BIN_DIR [--10k]");
            return ExitCode::from(2);
        }
    };
    let mut sizes = vec![100, 1_000];
    if args.iter().any(|a| a == "--10k") {
        sizes.push(10_000);
    }
    match bench(&trunk_out, &bin_dir, &sizes) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

fn bench(trunk_out: &Path, bin_dir: &Path, sizes: &[usize]) -> Result<(), String> {
    if trunk_out.join("index.html").is_file()
        && std::fs::read_to_string(trunk_out.join("index.html"))
            .map_err(|e| e.to_string())?
            .contains("my-garage:page")
    {
        return Err(format!(
            "{} is a rendered site: build it with GARAGE_SITE_SKIP=1",
            trunk_out.display()
        ));
    }
    let work = trunk_out
        .parent()
        .ok_or("TRUNK_OUT has no parent")?
        .to_path_buf();
    let site = bin_dir.join("garage-site");
    let generator = bin_dir.join("garage-archive-gen");
    println!(
        "{:>8} | {:>9} | {:>9} | {:>10} | {:>9} | {:>10} | {:>12} | rendered (cold; incremental)",
        "articles", "cold", "cold cpu", "cold peak", "increm.", "incr. peak", "front page br"
    );
    let mut cold_seconds = Vec::new();
    let mut failures = Vec::new();
    for &n in sizes {
        let archive = work.join(format!("archive-{n}"));
        let dist = work.join(format!("dist-{n}"));
        let cache = work.join(format!("cache-{n}"));
        run_ok(Command::new(&generator).arg(n.to_string()).arg(&archive))?;
        let _ = std::fs::remove_dir_all(&cache);
        let cold = build(&site, trunk_out, &dist, &archive, &cache)?;
        run_ok(
            Command::new(&generator)
                .args(["--edit", &EDITED.to_string()])
                .arg(&archive),
        )?;
        let warm = build(&site, trunk_out, &dist, &archive, &cache)?;
        let front_br = std::fs::metadata(dist.join("index.html.br"))
            .map_err(|e| format!("{}: {e}", dist.join("index.html.br").display()))?
            .len() as f64
            / 1024.0;
        let mb = |peak: Option<f64>| peak.map_or("n/a".to_owned(), |p| format!("{p:.0} MB"));
        let cpu = cold
            .cpu_seconds
            .map_or("n/a".to_owned(), |s| format!("{s:.1} s"));
        println!(
            "{n:>8} | {:>7.1} s | {cpu:>9} | {:>10} | {:>7.1} s | {:>10} | {:>9.1} KB | {}; {}",
            cold.seconds,
            mb(cold.peak_mb),
            warm.seconds,
            mb(warm.peak_mb),
            front_br,
            cold.rendered,
            warm.rendered
        );
        for run in [&cold, &warm] {
            if run.peak_mb.is_some_and(|p| p > BUDGET_PEAK_MB) {
                failures.push(format!(
                    "{n} articles: peak memory over {BUDGET_PEAK_MB} MB"
                ));
            }
        }
        if front_br > BUDGET_FRONT_PAGE_KB {
            failures.push(format!(
                "{n} articles: front page over {BUDGET_FRONT_PAGE_KB} KB brotli"
            ));
        }
        if n == 10_000 && cold.seconds > BUDGET_10K_SECONDS {
            failures.push(format!(
                "10,000 articles: cold build over {BUDGET_10K_SECONDS} s"
            ));
        }
        cold_seconds.push((n, cold.seconds));
        let _ = std::fs::remove_dir_all(&dist);
        let _ = std::fs::remove_dir_all(&archive);
    }
    let at = |n| cold_seconds.iter().find(|(m, _)| *m == n).map(|(_, s)| *s);
    if let (Some(one), Some(ten)) = (at(1_000), at(10_000)) {
        let ratio = ten / one;
        println!("10k / 1k (cold): {ratio:.2}x (budget ≤ {BUDGET_RATIO_10K_1K}x)");
        if ratio > BUDGET_RATIO_10K_1K {
            failures.push(format!("10k / 1k: {ratio:.2}x"));
        }
    }
    println!(
        "Seconds are wall-clock time on this machine, shared with whatever else runs (load \
         average {}); cpu is the site step's processor time, all threads.",
        std::fs::read_to_string("/proc/loadavg")
            .ok()
            .and_then(|l| l.split(' ').next().map(str::to_owned))
            .unwrap_or_else(|| "unknown".into())
    );
    println!(
        "Budgets: 10,000 articles ≤ {BUDGET_10K_SECONDS} s cold, peak ≤ {BUDGET_PEAK_MB} MB, \
         front page ≤ {BUDGET_FRONT_PAGE_KB} KB brotli"
    );
    for failure in &failures {
        println!("FAIL {failure}");
    }
    Ok(())
}

/// One build as Trunk's hook runs it, on a fresh copy of Trunk's output: timed from start
/// to exit, with the peak memory the site step reports of itself.
fn build(
    site: &Path,
    trunk_out: &Path,
    dist: &Path,
    archive: &Path,
    cache: &Path,
) -> Result<Run, String> {
    let _ = std::fs::remove_dir_all(dist);
    copy_dir(trunk_out, dist).map_err(|e| format!("cannot copy {}: {e}", trunk_out.display()))?;
    let start = Instant::now();
    let output = Command::new(site)
        .arg(dist)
        .args(["--precompress", "--service-worker", "--content"])
        .arg(archive.join("api"))
        .arg("--cache")
        .arg(cache)
        .output()
        .map_err(|e| format!("{}: {e}", site.display()))?;
    let seconds = start.elapsed().as_secs_f64();
    let stdout = String::from_utf8_lossy(&output.stdout);
    if !output.status.success() {
        return Err(format!(
            "garage-site failed: {}{}",
            stdout,
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    // "… peak memory 123 MB"
    let figure = |label: &str| -> Option<f64> {
        let (_, rest) = stdout.split_once(label)?;
        rest.split(' ').next()?.parse().ok()
    };
    let (peak_mb, cpu_seconds) = (figure("peak memory "), figure("cpu "));
    let rendered = stdout
        .split_once("articles; ")
        .and_then(|(_, rest)| rest.split(',').next())
        .unwrap_or("?")
        .to_owned();
    Ok(Run {
        seconds,
        cpu_seconds,
        peak_mb,
        rendered,
    })
}

fn run_ok(command: &mut Command) -> Result<(), String> {
    let output = command.output().map_err(|e| format!("{command:?}: {e}"))?;
    if output.status.success() {
        Ok(())
    } else {
        Err(format!(
            "{command:?}: {}",
            String::from_utf8_lossy(&output.stderr)
        ))
    }
}

fn copy_dir(from: &Path, to: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(to)?;
    for entry in std::fs::read_dir(from)? {
        let entry = entry?;
        let target = to.join(entry.file_name());
        if entry.file_type()?.is_dir() {
            copy_dir(&entry.path(), &target)?;
        } else {
            std::fs::copy(entry.path(), target)?;
        }
    }
    Ok(())
}
