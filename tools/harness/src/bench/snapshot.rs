//! The static baseline: the rendered article page saved as plain HTML and CSS, no
//! JavaScript or wasm. The app's load is compared with this one's, what a server-rendered
//! page would give the same reader.

use std::fs;
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde_json::Value;

use super::browser::Browser;
use super::{Error, APPROACH_COMMENTS_JS};
use garage_precompress::precompress_dir;

const RENDER_PATIENCE: Duration = Duration::from_secs(30);
const SETTLE: Duration = Duration::from_millis(500);

/// The rendered page without its code: every `<script>`, and the preloads of JS and wasm.
/// The stylesheet link stays as it is (same href), so the CSS is copied beside it.
const SNAPSHOT_JS: &str = r#"
const root = document.documentElement.cloneNode(true);
root.querySelectorAll('script').forEach(e => e.remove());
root.querySelectorAll('link[rel~="modulepreload"], link[rel~="preload"]').forEach(link => {
  const href = link.getAttribute('href') || '';
  const as = (link.getAttribute('as') || '').toLowerCase();
  if (/\.(m?js|wasm)([?#]|$)/.test(href) || link.relList.contains('modulepreload') || as === 'script') {
    link.remove();
  }
});
const stylesheets = [...root.querySelectorAll('link[rel~="stylesheet"]')].map(l => l.getAttribute('href'));
return { html: '<!DOCTYPE html>\n' + root.outerHTML, stylesheets };
"#;

/// Renders `app_url` (unthrottled) and writes the snapshot into `out_dir` (replacing it):
/// `index.html`, the stylesheets from `dist`, and their `.br` / `.gz` variants.
pub async fn write_static_snapshot(
    browser: &Browser,
    app_url: &str,
    dist: &Path,
    out_dir: &Path,
) -> Result<(), Error> {
    browser.goto(app_url).await?;
    // The page as a reader ends up seeing it: the comments island brought in by scrolling to
    // the comments, then back to the top.
    browser.js(APPROACH_COMMENTS_JS).await?;
    browser
        .wait_for(
            "performance.getEntriesByName('comments-rendered').length > 0",
            RENDER_PATIENCE,
        )
        .await?;
    browser.js("window.scrollTo(0, 0); return null;").await?;
    browser
        .wait_for_network_idle(SETTLE, RENDER_PATIENCE)
        .await?;
    let snapshot = browser.js(SNAPSHOT_JS).await?;
    let html = snapshot["html"]
        .as_str()
        .ok_or("the snapshot script returned no HTML")?;
    if fs::exists(out_dir)? {
        fs::remove_dir_all(out_dir)?;
    }
    fs::create_dir_all(out_dir)?;
    fs::write(out_dir.join("index.html"), html)?;
    for href in stylesheet_paths(&snapshot["stylesheets"])? {
        let target = out_dir.join(&href);
        if let Some(parent) = target.parent() {
            fs::create_dir_all(parent)?;
        }
        fs::copy(dist.join(&href), &target)
            .map_err(|e| format!("cannot copy stylesheet {}: {e}", href.display()))?;
    }
    precompress_dir(out_dir)?;
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
