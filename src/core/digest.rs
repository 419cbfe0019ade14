//! A short fingerprint of a document's bytes (64-bit FNV-1a), so the app can tell whether
//! the data it fetched is the data a prerendered page was built from.

/// The fingerprint of `bytes`, as 16 lowercase hex digits.
pub fn digest(bytes: &[u8]) -> String {
    const OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
    const PRIME: u64 = 0x0100_0000_01b3;
    let hash = bytes
        .iter()
        .fold(OFFSET, |hash, &b| (hash ^ u64::from(b)).wrapping_mul(PRIME));
    format!("{hash:016x}")
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    #[test]
    fn matches_the_published_fnv1a_vectors() {
        assert_eq!(digest(b""), "cbf29ce484222325");
        assert_eq!(digest(b"a"), "af63dc4c8601ec8c");
        assert_eq!(digest(b"foobar"), "85944171f73967e8");
    }

    #[test]
    fn one_changed_byte_changes_it() {
        assert_ne!(digest(br#"{"title":"A"}"#), digest(br#"{"title":"B"}"#));
    }
}
