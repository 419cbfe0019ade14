//! The photographs' variants (`tools/media`): every image the articles and the index use is
//! checked, and its variants are written under `media/v/`, from a cache outside the site
//! (`GARAGE_MEDIA_CACHE`, or `media-cache` in the build's target folder) so a rebuild
//! encodes only what is new or changed. The data the build publishes then says which
//! photographs have variants (`"variants": true`), so the app never lists variants of a
//! photograph published after the build: that one shows as it is.

use garage_media::{images_in, variant_stem, Publisher, Report, Settings};
use serde_json::Value;
use std::path::{Path, PathBuf};

/// Names another cache folder for a build.
const CACHE_ENV_VAR: &str = "GARAGE_MEDIA_CACHE";

pub fn publish(dir: &Path, media_origins: &[String]) -> Result<Report, String> {
    let articles = dir.join("api/articles");
    let entries = std::fs::read_dir(&articles)
        .map_err(|e| format!("cannot read {}: {e}", articles.display()))?;
    let mut paths: Vec<PathBuf> = entries
        .filter_map(|entry| Some(entry.ok()?.path()))
        .filter(|path| path.extension().is_some_and(|e| e == "json"))
        .collect();
    paths.sort();
    let mut uses = Vec::new();
    for path in &paths {
        let bytes =
            std::fs::read(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        uses.extend(images_in(&path.display().to_string(), &bytes).map_err(|e| e.0)?);
    }
    let cache = cache_dir()?;
    let report = Publisher {
        site: dir,
        cache: &cache,
        media_origins,
        settings: Settings::default(),
    }
    .publish(&uses)
    .map_err(|e| e.0)?;
    if report.sources > 0 {
        for path in &paths {
            let bytes =
                std::fs::read(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
            if let Some(marked) = with_variants_marked(&bytes) {
                std::fs::write(path, marked)
                    .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
            }
        }
    }
    Ok(report)
}

/// The file with `"variants": true` on each photograph that has variants (every image with
/// a `src` under `/media/` the publish accepted), or `None` when there is none.
fn with_variants_marked(bytes: &[u8]) -> Option<Vec<u8>> {
    let mut value: Value = serde_json::from_slice(bytes).ok()?;
    let mut marked = false;
    let mut mark = |image: Option<&mut Value>| {
        let Some(Value::Object(image)) = image else {
            return;
        };
        if image
            .get("src")
            .and_then(Value::as_str)
            .is_some_and(|src| variant_stem(src).is_some())
        {
            image.insert("variants".into(), Value::Bool(true));
            marked = true;
        }
    };
    mark(value.get_mut("lead_image"));
    if let Some(Value::Array(body)) = value.get_mut("body") {
        for block in body {
            if block.get("type").and_then(Value::as_str) == Some("image") {
                mark(Some(block));
            }
        }
    }
    if let Some(Value::Array(entries)) = value.get_mut("articles") {
        for entry in entries {
            mark(entry.get_mut("image"));
        }
    }
    marked.then(|| {
        let mut text = serde_json::to_vec_pretty(&value).unwrap_or_default();
        text.push(b'\n');
        text
    })
}

fn cache_dir() -> Result<PathBuf, String> {
    if let Some(dir) = std::env::var_os(CACHE_ENV_VAR) {
        return Ok(dir.into());
    }
    let exe =
        std::env::current_exe().map_err(|e| format!("cannot find the build's folder: {e}"))?;
    garage_media::cache_beside(&exe)
        .ok_or_else(|| format!("no folder for the media cache beside {}", exe.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marks_the_photographs_that_have_variants_and_nothing_else() {
        let file = br#"{"lead_image":{"src":"/media/a.jpg","alt":""},
            "body":[{"type":"image","src":"https://images.example.com/b.jpg"},
                    {"type":"image","src":"/media/c.png"},{"type":"paragraph","text":"/media/d.jpg"}],
            "articles":[{"image":{"src":"/media/e.jpg"}}]}"#;
        let marked: Value = serde_json::from_slice(&with_variants_marked(file).unwrap()).unwrap();
        assert_eq!(marked["lead_image"]["variants"], true);
        assert_eq!(
            marked["body"][0].get("variants"),
            None,
            "another origin: as given"
        );
        assert_eq!(marked["body"][1]["variants"], true);
        assert_eq!(marked["body"][2].get("variants"), None);
        assert_eq!(marked["articles"][0]["image"]["variants"], true);
        assert_eq!(
            marked["body"][2]["text"], "/media/d.jpg",
            "the text as it was"
        );
        assert_eq!(with_variants_marked(br#"{"body":[]}"#), None);
    }
}
