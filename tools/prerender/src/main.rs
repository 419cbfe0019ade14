//! `garage-prerender DIST ISLAND_DIST`: for every article in `DIST/api/articles/`, writes
//! `DIST/articles/{slug}/index.html`: the comments island's `index.html` (built by Trunk from
//! `island.html` into `ISLAND_DIST`) with the article already in it, and copies the island's
//! code into `DIST`. Static hosts serve that file for `/articles/{slug}`, so the article paints
//! as fast as a plain page, and its only code is the comments island, loaded as the reader
//! nears the comments. Articles published after the build still work: the SPA fallback
//! serves the app, which renders them in the browser.

use my_garage::core::article::decode_article;
use my_garage::core::prerender::into_index_html;
use std::path::Path;
use std::process::ExitCode;

const USAGE: &str = "usage: garage-prerender DIST ISLAND_DIST";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [dist, island] = args.as_slice() else {
        eprintln!("garage-prerender: {USAGE}");
        return ExitCode::from(2);
    };
    let result = copy_island(Path::new(island), Path::new(dist))
        .and_then(|()| prerender(Path::new(dist), Path::new(island)));
    match result {
        Ok(count) => {
            println!("prerendered {count} article page(s) into {dist}/articles/");
            ExitCode::SUCCESS
        }
        Err(message) => {
            eprintln!("garage-prerender: {message}");
            ExitCode::FAILURE
        }
    }
}

/// The island's script and wasm (hashed names, so they never clash with the app's) go beside
/// the app's in `dist`. The CSS is the same file in both builds.
fn copy_island(island: &Path, dist: &Path) -> Result<(), String> {
    let entries = std::fs::read_dir(island).map_err(|e| {
        format!(
            "cannot read {}: {e} (build the island first)",
            island.display()
        )
    })?;
    for entry in entries.flatten() {
        let path = entry.path();
        let code = matches!(
            path.extension().and_then(|e| e.to_str()),
            Some("js" | "wasm" | "css")
        );
        if let (true, Some(name)) = (code, path.file_name()) {
            std::fs::copy(&path, dist.join(name))
                .map_err(|e| format!("cannot copy {}: {e}", path.display()))?;
        }
    }
    Ok(())
}

/// The deploy's base path ("" or "/sub") from Trunk's `<base href="/sub/">`.
fn base_path(index_html: &str) -> String {
    index_html
        .split_once("<base href=\"")
        .and_then(|(_, rest)| rest.split_once('"'))
        .map(|(href, _)| href.trim_end_matches('/').to_owned())
        .unwrap_or_default()
}

fn prerender(dist: &Path, island: &Path) -> Result<usize, String> {
    let index_path = island.join("index.html");
    let index_html = std::fs::read_to_string(&index_path)
        .map_err(|e| format!("cannot read {}: {e} (build first)", index_path.display()))?;
    let base = base_path(&index_html);
    let articles_dir = dist.join("api/articles");
    let entries = std::fs::read_dir(&articles_dir)
        .map_err(|e| format!("cannot read {}: {e}", articles_dir.display()))?;
    let mut count = 0;
    for entry in entries.flatten() {
        let path = entry.path();
        if path.extension().and_then(|e| e.to_str()) != Some("json") {
            continue;
        }
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue;
        };
        // index.json and anything that is not an article are skipped, as the app would.
        let Ok(article) = decode_article(&text) else {
            continue;
        };
        let page = into_index_html(&index_html, &article, &base)
            .ok_or_else(|| format!("{} has no <title> or <body> to fill", index_path.display()))?;
        let out_dir = dist.join("articles").join(&article.slug);
        std::fs::create_dir_all(&out_dir)
            .map_err(|e| format!("cannot create {}: {e}", out_dir.display()))?;
        std::fs::write(out_dir.join("index.html"), page)
            .map_err(|e| format!("cannot write page: {e}"))?;
        count += 1;
    }
    Ok(count)
}

#[cfg(test)]
mod tests {
    use super::base_path;

    #[test]
    fn reads_the_base_path_trunk_wrote() {
        assert_eq!(base_path(r#"<head><base href="/"/></head>"#), "");
        assert_eq!(
            base_path(r#"<head><base href="/garage/"/></head>"#),
            "/garage"
        );
        assert_eq!(base_path("<head></head>"), "");
    }
}
