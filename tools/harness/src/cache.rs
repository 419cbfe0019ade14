//! Cache-Control policy, mirroring how the app is deployed.

use garage_precompress::has_content_hash;
use std::path::Path;

/// Revalidate every time: HTML entry points and API data must never be stale.
const NO_CACHE: &str = "no-cache";
/// Content-hashed build outputs never change under the same name.
const IMMUTABLE: &str = "public, max-age=31536000, immutable";
/// Unhashed assets (favicon, images) may change between deploys.
const SHORT_LIVED: &str = "public, max-age=300";

/// Cache-Control for the file at `path`, answered for a URL under `/api/` or not.
pub(crate) fn cache_control(path: &Path, under_api: bool) -> &'static str {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    let is_html = path
        .extension()
        .is_some_and(|ext| ext.eq_ignore_ascii_case("html"));
    if under_api || is_html {
        NO_CACHE
    } else if has_content_hash(name) {
        IMMUTABLE
    } else {
        SHORT_LIVED
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn policy_per_file_kind() {
        assert_eq!(cache_control(Path::new("index.html"), false), NO_CACHE);
        assert_eq!(cache_control(Path::new("data.json"), true), NO_CACHE);
        assert_eq!(
            cache_control(Path::new("my-garage-1a2b3c4d5e6f7a8b_bg.wasm"), false),
            IMMUTABLE
        );
        assert_eq!(cache_control(Path::new("favicon.ico"), false), SHORT_LIVED);
    }
}
