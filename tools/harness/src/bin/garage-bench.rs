//! Performance benchmark of the release build:
//! `garage-bench [--runs N] [--dist DIR] [--only loads|navigation|threads|publishing|lighthouse]`.
//!
//! Serves `dist/`, drives headless Chromium through ChromeDriver, prints one table of
//! medians and spreads against the budgets, and writes `target/bench/latest.json`. What is
//! measured, and how: `bench/mod.rs` and its modules.
//! A missed budget is reported, not an error: the exit status is non-zero only when
//! something could not be measured (a figure whose tool failed, such as Lighthouse, is
//! reported with the rest first). `scripts/bench.sh` builds first and then runs this.

#[path = "../bench/mod.rs"]
mod bench;

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{SystemTime, UNIX_EPOCH};

use bench::report::rotate_and_write;
use bench::run::{run, Options, Part};

const USAGE: &str = "usage: garage-bench [--runs N] [--dist DIR] \
[--only loads|navigation|threads|publishing|lighthouse]
  (default: 5 runs of dist/, every measurement; the wasm's size is always read;
  Lighthouse runs once whatever N)";
const DEFAULT_RUNS: usize = 5;

fn main() -> ExitCode {
    let options = match parse_args(std::env::args().skip(1)) {
        Ok(Some(options)) => options,
        Ok(None) => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Err(message) => {
            eprintln!("error: {message}\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("error: cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    let report = match runtime.block_on(run(&options)) {
        Ok(report) => report,
        Err(e) => {
            eprintln!("error: could not measure: {e}");
            return ExitCode::FAILURE;
        }
    };
    let created = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let json = report.to_json(created);
    let previous = match rotate_and_write(&options.out_dir, &json) {
        Ok(previous) => previous,
        Err(e) => {
            eprintln!(
                "error: cannot write results to {}: {e}",
                options.out_dir.display()
            );
            return ExitCode::FAILURE;
        }
    };
    println!();
    for (name, value) in &report.context {
        println!("{name:>10}: {value}");
    }
    println!(
        "{:>10}: {} per figure (median, min–max)\n",
        "runs", report.runs
    );
    print!("{}", report.table(previous.as_ref()));
    if !report.notes.is_empty() {
        println!("\nNotes:");
        for note in &report.notes {
            println!("  - {note}");
        }
    }
    let written = options.out_dir.join("latest.json");
    match previous {
        Some(_) => println!("\nResults: {} (Δ against previous.json)", written.display()),
        None => println!("\nResults: {}", written.display()),
    }
    let unmeasured = report.unmeasured();
    if !unmeasured.is_empty() {
        let keys: Vec<&str> = unmeasured.iter().map(|m| m.key.as_str()).collect();
        eprintln!("error: could not measure {}", keys.join(", "));
        return ExitCode::FAILURE;
    }
    ExitCode::SUCCESS
}

/// The repository root: this crate lives in tools/harness.
fn repo_root() -> PathBuf {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    root.canonicalize().unwrap_or(root)
}

/// Parsed options, or `None` when help was asked for.
fn parse_args(mut args: impl Iterator<Item = String>) -> Result<Option<Options>, String> {
    let root = repo_root();
    let mut options = Options {
        runs: DEFAULT_RUNS,
        dist: root.join("dist"),
        service_site: root.join("target/service-site"),
        out_dir: root.join("target/bench"),
        only: None,
    };
    while let Some(arg) = args.next() {
        let mut value = || args.next().ok_or(format!("{arg} needs a value"));
        match arg.as_str() {
            "--runs" => {
                options.runs = value()?
                    .parse()
                    .ok()
                    .filter(|&n| n > 0)
                    .ok_or("--runs needs a whole number of at least 1")?;
            }
            "--dist" => options.dist = value()?.into(),
            "--only" => {
                options.only = Some(match value()?.as_str() {
                    "loads" => Part::Loads,
                    "navigation" => Part::Navigation,
                    "threads" => Part::Threads,
                    "publishing" => Part::Publishing,
                    "lighthouse" => Part::Lighthouse,
                    "speed" => Part::Speed,
                    "service" => Part::Service,
                    _ => {
                        return Err("--only takes `loads`, `navigation`, `threads`, \
                                    `publishing`, `lighthouse`, `speed` or `service`"
                            .into())
                    }
                })
            }
            "-h" | "--help" => return Ok(None),
            other => return Err(format!("unknown argument `{other}`")),
        }
    }
    Ok(Some(options))
}
