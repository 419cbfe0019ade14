//! Cache-Control policy, mirroring how the app is deployed.

use std::path::Path;

/// Revalidate every time: HTML entry points and API data must never be stale.
const NO_CACHE: &str = "no-cache";
/// Content-hashed build outputs never change under the same name.
const IMMUTABLE: &str = "public, max-age=31536000, immutable";
/// Unhashed assets (favicon, images) may change between deploys.
const SHORT_LIVED: &str = "public, max-age=300";

/// Length of the hex content hash Trunk puts into output file names.
const HASH_LEN: usize = 16;

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

/// Whether `name` looks like a Trunk output (`name-<16 hex>.ext` or
/// `name-<16 hex>_bg.wasm`), whose content can never change under that name.
pub(crate) fn has_content_hash(name: &str) -> bool {
    name.match_indices('-').any(|(dash, _)| {
        let after_dash = &name[dash + 1..];
        let Some(hash) = after_dash.get(..HASH_LEN) else {
            return false;
        };
        let rest = &after_dash[HASH_LEN..];
        hash.bytes().all(|b| b.is_ascii_hexdigit())
            && (rest.starts_with('.') || rest.starts_with("_bg"))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_trunk_hashes() {
        assert!(has_content_hash("my-garage-1a2b3c4d5e6f7a8b.js"));
        assert!(has_content_hash("my-garage-1a2b3c4d5e6f7a8b_bg.wasm"));
        assert!(has_content_hash("main-0123456789ABCDEF.css"));
    }

    #[test]
    fn rejects_names_without_a_hash() {
        assert!(!has_content_hash("index.html"));
        assert!(!has_content_hash("my-garage.js"));
        assert!(
            !has_content_hash("my-garage-1a2b3c4d5e6f7a8.js"),
            "15 digits"
        );
        assert!(
            !has_content_hash("my-garage-1a2b3c4d5e6f7a8b9.js"),
            "17 digits"
        );
        assert!(
            !has_content_hash("my-garage-1a2b3c4d5e6f7a8g.js"),
            "not hex"
        );
        assert!(
            !has_content_hash("my-garage-1a2b3c4d5e6f7a8b"),
            "nothing after"
        );
        assert!(
            !has_content_hash("é-ééééééééééééééé.js"),
            "multi-byte input"
        );
    }

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
