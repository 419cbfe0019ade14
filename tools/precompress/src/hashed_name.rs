//! Which of a build's files are named by their content, as Trunk names its outputs: a host
//! may cache those for good, since their name changes whenever their content does.

/// Length of the hex content hash Trunk puts into output file names.
const HASH_LEN: usize = 16;

/// Whether `name` is a Trunk output named by its content: `name-<16 hex>.ext`, or
/// `name-<16 hex>_bg.wasm` for the app's wasm.
pub fn has_content_hash(name: &str) -> bool {
    name.match_indices('-').any(|(dash, _)| {
        let after_dash = &name[dash + 1..];
        let (Some(hash), Some(rest)) = (after_dash.get(..HASH_LEN), after_dash.get(HASH_LEN..))
        else {
            return false;
        };
        hash.bytes().all(|b| b.is_ascii_hexdigit())
            && (rest.starts_with('.') || rest.starts_with("_bg."))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_trunks_hashed_names() {
        assert!(has_content_hash("my-garage-1a2b3c4d5e6f7a8b.js"));
        assert!(has_content_hash("my-garage-1a2b3c4d5e6f7a8b_bg.wasm"));
        assert!(has_content_hash("main-0123456789ABCDEF.css"));
        assert!(has_content_hash("boot-0123456789abcdef.js"));
    }

    #[test]
    fn rejects_names_without_a_hash() {
        for (name, why) in [
            ("index.html", "no hash"),
            ("article-loading.html", "a word, not a hash"),
            ("my-garage.js", "no hash"),
            ("my-garage-1a2b3c4d5e6f7a8.js", "15 digits"),
            ("my-garage-1a2b3c4d5e6f7a8b9.js", "17 digits"),
            ("my-garage-1a2b3c4d5e6f7a8g.js", "not hex"),
            ("my-garage-1a2b3c4d5e6f7a8b", "nothing after"),
            ("my-garage-1a2b3c4d5e6f7a8b_bgx", "not the wasm's suffix"),
            ("é-ééééééééééééééé.js", "multi-byte input"),
        ] {
            assert!(!has_content_hash(name), "{name}: {why}");
        }
    }
}
