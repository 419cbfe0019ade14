//! The photographs' variants (`tools/media`): every image the articles and the index use is
//! checked, and its variants are written under `media/v/`, from a cache outside the site
//! (`GARAGE_MEDIA_CACHE`, or `media-cache` in the build's target folder) so a rebuild
//! encodes only what is new or changed.

use garage_media::{images_in, Publisher, Report, Settings};
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
    for path in paths {
        let bytes =
            std::fs::read(&path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        uses.extend(images_in(&path.display().to_string(), &bytes).map_err(|e| e.0)?);
    }
    let cache = cache_dir()?;
    Publisher {
        site: dir,
        cache: &cache,
        media_origins,
        settings: Settings::default(),
    }
    .publish(&uses)
    .map_err(|e| e.0)
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
