//! Which of a build's files are named by their content, as Trunk names its outputs: a host
//! may cache those for good, since their name changes whenever their content does.

/// The hex content hash Trunk puts into output file names: a 64-bit number written without
/// leading zeros, so usually 16 digits, and fewer one time in 16 (`main-83715d7fde8ee3.css`
/// was seen). Ten or more digits: a hash shorter than that is a chance of one in 16⁶.
const HASH_DIGITS: std::ops::RangeInclusive<usize> = 10..=16;

/// Whether `name` is a Trunk output named by its content: `name-<hash>.ext`, or
/// `name-<hash>_bg.wasm` for the app's wasm.
pub fn has_content_hash(name: &str) -> bool {
    name.match_indices('-').any(|(dash, _)| {
        let after_dash = &name[dash + 1..];
        let digits = after_dash.bytes().take_while(u8::is_ascii_hexdigit).count();
        let rest = &after_dash[digits..];
        HASH_DIGITS.contains(&digits) && (rest.starts_with('.') || rest.starts_with("_bg."))
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
        // A hash with leading zeros is written without them.
        assert!(has_content_hash("main-83715d7fde8ee3.css"));
        assert!(has_content_hash("my-garage-3715d7fde8ee3_bg.wasm"));
    }

    #[test]
    fn rejects_names_without_a_hash() {
        for (name, why) in [
            ("index.html", "no hash"),
            ("article-loading.html", "a word, not a hash"),
            ("my-garage.js", "no hash"),
            ("my-garage-1a2b3c4d5.js", "9 digits"),
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
