//! `garage-archive-gen N OUT`: writes `OUT/api`, the site's data (`public/api`) with `N`
//! generated articles and their index instead of the seed's (see the library).
//! `garage-archive-gen --edit I OUT`: corrects article I's title in place (as a CMS would),
//! for the benchmark's incremental build.

use std::path::PathBuf;
use std::process::ExitCode;

const USAGE: &str = "usage: garage-archive-gen N OUT | garage-archive-gen --edit I OUT";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let root = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../.."));
    let public_api = root.join("public/api");
    let result = (|| -> Result<String, String> {
        let seed_path =
            public_api.join("articles/putin-presents-new-luxury-car-to-kim-jong-un.json");
        let seed: serde_json::Value = serde_json::from_slice(
            &std::fs::read(&seed_path).map_err(|e| format!("{}: {e}", seed_path.display()))?,
        )
        .map_err(|e| format!("{}: {e}", seed_path.display()))?;
        match args.as_slice() {
            [flag, i, out] if flag == "--edit" => {
                let i: usize = i.parse().map_err(|_| USAGE.to_owned())?;
                let path = PathBuf::from(out)
                    .join("api/articles")
                    .join(format!("{}.json", garage_archive_gen::slug(i)));
                let read = |path: &PathBuf| -> Result<serde_json::Value, String> {
                    let bytes =
                        std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?;
                    serde_json::from_slice(&bytes).map_err(|e| format!("{}: {e}", path.display()))
                };
                let mut article = read(&path)?;
                let edition = garage_archive_gen::edition(article["title"].as_str().unwrap_or(""));
                article["title"] = garage_archive_gen::title(i, edition + 1).into();
                std::fs::write(&path, serde_json::to_string_pretty(&article).unwrap())
                    .map_err(|e| format!("{}: {e}", path.display()))?;
                Ok(format!("edited {}", path.display()))
            }
            [n, out] => {
                let n: usize = n.parse().map_err(|_| USAGE.to_owned())?;
                garage_archive_gen::write(&public_api, &PathBuf::from(out), n, &seed)
                    .map_err(|e| format!("cannot write {out}: {e}"))?;
                Ok(format!("{n} articles in {out}/api"))
            }
            _ => Err(USAGE.to_owned()),
        }
    })();
    match result {
        Ok(summary) => {
            println!("garage-archive-gen: {summary}");
            ExitCode::SUCCESS
        }
        Err(message) => {
            eprintln!("garage-archive-gen: {message}");
            ExitCode::FAILURE
        }
    }
}
