//! Element ids (and so permalinks and `aria-controls`) for comments, whose ids may hold any
//! character. Every comment's element id is `comment-` followed by its id encoded so that it
//! has only letters, digits, `-` and `_` and dots: no spaces (which would break an IDREF
//! list), no quotes, no `%` (which would make a permalink's fragment ambiguous), nothing
//! non-ASCII. No element of the page's own has an id that starts with `comment-`, so a
//! comment can never take the place of one (a comment whose id is `sort` is
//! `comment-sort`, and the order box is `sort-comments`).

/// The prefix of every comment's element id.
pub const PREFIX: &str = "comment-";

/// `id` with every byte outside `[A-Za-z0-9_-]` written as `.` and two hex digits.
pub fn encode(id: &str) -> String {
    let mut out = String::with_capacity(id.len());
    for byte in id.bytes() {
        if byte.is_ascii_alphanumeric() || byte == b'-' || byte == b'_' {
            out.push(byte as char);
        } else {
            out.push('.');
            out.push(char::from(HEX[usize::from(byte >> 4)]));
            out.push(char::from(HEX[usize::from(byte & 0xf)]));
        }
    }
    out
}

const HEX: &[u8; 16] = b"0123456789ABCDEF";

/// The id [`encode`] made `encoded` from; `None` for text it cannot have made.
pub fn decode(encoded: &str) -> Option<String> {
    let mut bytes = Vec::with_capacity(encoded.len());
    let mut rest = encoded.bytes();
    while let Some(byte) = rest.next() {
        if byte == b'.' {
            let high = hex_value(rest.next()?)?;
            let low = hex_value(rest.next()?)?;
            bytes.push(high << 4 | low);
        } else if byte.is_ascii_alphanumeric() || byte == b'-' || byte == b'_' {
            bytes.push(byte);
        } else {
            return None;
        }
    }
    String::from_utf8(bytes).ok()
}

fn hex_value(digit: u8) -> Option<u8> {
    match digit {
        b'0'..=b'9' => Some(digit - b'0'),
        b'A'..=b'F' => Some(digit - b'A' + 10),
        _ => None,
    }
}

/// The element id of a comment, and the fragment of its permalink.
pub fn of_comment(id: &str) -> String {
    format!("{PREFIX}{}", encode(id))
}

/// The element id of the list of a comment's replies.
pub fn of_replies(id: &str) -> String {
    format!("replies-{}", encode(id))
}

/// The element id of a field in the form that replies to, or edits, a comment.
pub fn of_field(form: &str, id: &str, field: &str) -> String {
    format!("{form}-{}-{field}", encode(id))
}

/// The comment a fragment (`comment-…`, as the address has it, percent-decoded) points at.
pub fn comment_of_fragment(fragment: &str) -> Option<String> {
    decode(fragment.strip_prefix(PREFIX)?)
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn plain_ids_read_as_they_are() {
        assert_eq!(of_comment("c42"), "comment-c42");
        assert_eq!(of_comment("local-18c-3f"), "comment-local-18c-3f");
        assert_eq!(comment_of_fragment("comment-c42").as_deref(), Some("c42"));
    }

    #[test]
    fn awkward_ids_become_safe_element_ids() {
        for (id, encoded) in [
            ("with space", "with.20space"),
            ("quote\"d", "quote.22d"),
            ("100%", "100.25"),
            ("é", ".C3.A9"),
            ("a.b", "a.2Eb"),
            ("#x", ".23x"),
        ] {
            assert_eq!(encode(id), encoded);
            assert_eq!(decode(encoded).as_deref(), Some(id));
        }
    }

    #[test]
    fn a_fragment_that_is_not_a_comment_is_none() {
        for fragment in [
            "",
            "comments",
            "add-comment",
            "comment-%",
            "comment-.2",
            "comment-.ZZ",
            "comment-a b",
            "comment-.FF",
        ] {
            assert_eq!(comment_of_fragment(fragment), None, "{fragment:?}");
        }
    }

    #[test]
    fn the_sort_box_is_not_a_comment() {
        assert_eq!(of_comment("sort"), "comment-sort");
        assert_ne!(of_comment("sort"), "sort-comments");
    }

    proptest! {
        #[test]
        fn any_id_round_trips_through_a_safe_element_id(id in any::<String>()) {
            let element = of_comment(&id);
            prop_assert!(element.bytes().all(|b| b.is_ascii_alphanumeric() || b"-_.".contains(&b)));
            prop_assert_eq!(comment_of_fragment(&element), Some(id));
        }
    }
}
