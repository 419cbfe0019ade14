//! `garage-prerender DIST`: for every article in `DIST/api/articles/`, writes
//! `DIST/articles/{slug}/index.html`: the app's `index.html` with the article already in it.
//! Static hosts serve that file for `/articles/{slug}`, so the article paints as fast as a
//! plain page; the app then takes over without anything moving. Articles published after the
//! build still work: the SPA fallback serves the app, which renders them in the browser.

use my_garage::core::article::decode_article;
use my_garage::core::prerender::into_index_html;
use std::path::Path;
use std::process::ExitCode;

fn main() -> ExitCode {
    let dist = std::env::args().nth(1).unwrap_or_else(|| "dist".into());
    match prerender(Path::new(&dist)) {
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

/// The deploy's base path ("" or "/sub") from Trunk's `<base href="/sub/">`.
fn base_path(index_html: &str) -> String {
    index_html
        .split_once("<base href=\"")
        .and_then(|(_, rest)| rest.split_once('"'))
        .map(|(href, _)| href.trim_end_matches('/').to_owned())
        .unwrap_or_default()
}

fn prerender(dist: &Path) -> Result<usize, String> {
    let index_path = dist.join("index.html");
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
