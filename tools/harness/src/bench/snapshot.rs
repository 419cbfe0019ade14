//! The static baseline: each measured page as the app renders it, saved as plain HTML and
//! CSS with no code. The app's load of a page is compared with its snapshot's, what a
//! server-rendered page would give the same reader.
//!
//! A snapshot is the page's DOM once the app is ready and the page quiet (unthrottled, not
//! scrolled: the state the measured load reaches), without every `<script>` and every
//! preload but the lead photograph's. The preloads are the app's JS and wasm and the page's
//! data, which only the app reads: a static page would not fetch them. It would fetch its
//! photographs, as early: the image preload stays, and the build's `media/` is copied (the
//! same files). The stylesheet links stay as they are (same href, same integrity), so the
//! CSS is copied beside them. The snapshots are written where the same addresses find them,
//! and precompressed like the build.

use std::fs;
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde_json::Value;

use super::browser::Browser;
use super::pages::Page;
use super::{Error, APP_READY_JS};
use garage_precompress::precompress_dir;

const RENDER_PATIENCE: Duration = Duration::from_secs(30);
const SETTLE: Duration = Duration::from_millis(500);

/// The rendered page without its code.
const SNAPSHOT_JS: &str = r#"
const root = document.documentElement.cloneNode(true);
root.querySelectorAll('script, link[rel~="preload"]:not([as="image"]), link[rel~="modulepreload"]')
  .forEach(e => e.remove());
const stylesheets = [...root.querySelectorAll('link[rel~="stylesheet"]')].map(l => l.getAttribute('href'));
return { html: '<!DOCTYPE html>\n' + root.outerHTML, stylesheets };
"#;

/// One page as the app rendered it.
pub struct RenderedPage {
    pub page: Page,
    pub html: String,
    /// The stylesheets' hrefs as paths relative to the site's root.
    pub stylesheets: Vec<PathBuf>,
}

/// Opens `url` (the app's address of `page`, unthrottled), waits until the app is ready
/// and the page quiet, and takes its DOM without the code.
pub async fn render_page(browser: &Browser, url: &str, page: Page) -> Result<RenderedPage, Error> {
    browser.goto(url).await?;
    browser.wait_for(APP_READY_JS, RENDER_PATIENCE).await?;
    browser.wait_until_quiet(SETTLE, RENDER_PATIENCE).await?;
    let snapshot = browser.js(SNAPSHOT_JS).await?;
    let html = snapshot["html"]
        .as_str()
        .ok_or("the snapshot script returned no HTML")?;
    Ok(RenderedPage {
        page,
        html: html.to_owned(),
        stylesheets: stylesheet_paths(&snapshot["stylesheets"])?,
    })
}

/// Writes the snapshots into `out_dir` (replacing it), each page where its address finds it,
/// with the stylesheets from `dist`, then `.br` / `.gz` variants of every file.
pub fn write_static_site(dist: &Path, out_dir: &Path, pages: &[RenderedPage]) -> Result<(), Error> {
    if fs::exists(out_dir)? {
        fs::remove_dir_all(out_dir)?;
    }
    fs::create_dir_all(out_dir)?;
    for rendered in pages {
        write_file(
            &out_dir.join(rendered.page.snapshot_file()),
            rendered.html.as_bytes(),
        )?;
        for href in &rendered.stylesheets {
            let css = fs::read(dist.join(href))
                .map_err(|e| format!("cannot copy stylesheet {}: {e}", href.display()))?;
            write_file(&out_dir.join(href), &css)?;
        }
    }
    copy_dir(&dist.join("media"), &out_dir.join("media"))?;
    precompress_dir(out_dir)?;
    Ok(())
}

/// Copies `from` (if it is there) into `to`, folders and all.
fn copy_dir(from: &Path, to: &Path) -> Result<(), Error> {
    if !from.is_dir() {
        return Ok(());
    }
    for entry in fs::read_dir(from)? {
        let path = entry?.path();
        let target = to.join(path.file_name().unwrap_or_default());
        if path.is_dir() {
            copy_dir(&path, &target)?;
        } else {
            write_file(&target, &fs::read(&path)?)?;
        }
    }
    Ok(())
}

fn write_file(path: &Path, contents: &[u8]) -> Result<(), Error> {
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent)?;
    }
    fs::write(path, contents)?;
    Ok(())
}

/// The stylesheets' hrefs as paths relative to the site root. Only site-root paths are
/// expected (Trunk writes `/main-<hash>.css` under `<base href="/">`).
fn stylesheet_paths(hrefs: &Value) -> Result<Vec<PathBuf>, Error> {
    let hrefs = hrefs
        .as_array()
        .ok_or("the snapshot listed no stylesheets")?;
    hrefs
        .iter()
        .map(|href| {
            let href = href.as_str().unwrap_or_default();
            let path = href.split(['?', '#']).next().unwrap_or_default();
            let relative = path.trim_start_matches('/');
            let safe = !relative.is_empty()
                && !href.contains("://")
                && Path::new(relative)
                    .components()
                    .all(|c| matches!(c, std::path::Component::Normal(_)));
            if safe {
                Ok(PathBuf::from(relative))
            } else {
                Err(format!("unexpected stylesheet href {href:?} in the rendered page").into())
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn stylesheet_hrefs_become_relative_paths() {
        let paths = stylesheet_paths(&json!(["/main-1.css", "css/x.css?v=2"])).unwrap();
        assert_eq!(
            paths,
            [PathBuf::from("main-1.css"), PathBuf::from("css/x.css")]
        );
        assert!(stylesheet_paths(&json!(["/../etc/passwd"])).is_err());
        assert!(stylesheet_paths(&json!(["https://cdn/x.css"])).is_err());
    }
}
