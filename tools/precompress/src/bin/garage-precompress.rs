//! Writes `.br` / `.gz` beside the build output: `garage-precompress DIR`.

use std::path::Path;
use std::process::ExitCode;

use garage_precompress::{precompress_dir, PrecompressReport};

const USAGE: &str = "usage: garage-precompress DIR";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [dir] = args.as_slice() else {
        eprintln!("{USAGE}");
        return ExitCode::from(2);
    };
    match precompress_dir(Path::new(dir)) {
        Ok(report) => {
            print_table(&report);
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("error: cannot precompress {dir}: {error}");
            ExitCode::FAILURE
        }
    }
}

fn print_table(report: &PrecompressReport) {
    let paths: Vec<String> = report
        .files
        .iter()
        .map(|f| f.path.display().to_string())
        .collect();
    let width = paths
        .iter()
        .map(String::len)
        .max()
        .unwrap_or(0)
        .max("total".len());
    println!(
        "{:<width$}  {:>10}  {:>10}  {:>10}",
        "path", "raw", "gzip", "br"
    );
    for (path, file) in paths.iter().zip(&report.files) {
        println!(
            "{path:<width$}  {:>10}  {:>10}  {:>10}",
            file.raw_bytes, file.gzip_bytes, file.brotli_bytes
        );
    }
    let (raw, gzip, brotli) = report.totals();
    println!("{:<width$}  {raw:>10}  {gzip:>10}  {brotli:>10}", "total");
    println!("{} compressed file(s) written", report.written);
}
