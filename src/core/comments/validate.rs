//! Checks on what a reader submits, with messages shown next to the field at fault.

/// The most characters a comment may have.
pub const MAX_COMMENT_CHARS: usize = 2_000;
/// The most characters a display name may have.
pub const MAX_NAME_CHARS: usize = 60;
/// How long a reader may edit or delete their own comment.
pub const EDIT_WINDOW_MS: i64 = 15 * 60 * 1000;

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FormErrors {
    pub name: Option<String>,
    pub body: Option<String>,
}

impl FormErrors {
    pub fn is_empty(&self) -> bool {
        self.name.is_none() && self.body.is_none()
    }
}

/// Characters as a reader counts them: one per Unicode scalar, so an emoji is not "two".
pub fn char_count(text: &str) -> usize {
    text.chars().count()
}

/// "1,988 characters left" / "12 characters over the limit".
pub fn characters_left_label(body: &str) -> String {
    let used = char_count(body);
    if used <= MAX_COMMENT_CHARS {
        let left = MAX_COMMENT_CHARS - used;
        format!(
            "{} character{} left",
            thousands(left),
            if left == 1 { "" } else { "s" }
        )
    } else {
        let over = used - MAX_COMMENT_CHARS;
        format!(
            "{} character{} over the limit",
            thousands(over),
            if over == 1 { "" } else { "s" }
        )
    }
}

fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(ch);
    }
    out
}

/// Validates a comment form; `ask_name` is false for an edit, which keeps the author.
pub fn validate(name: &str, body: &str, ask_name: bool) -> FormErrors {
    let mut errors = FormErrors::default();
    if ask_name {
        let name = name.trim();
        if name.is_empty() {
            errors.name = Some("Enter your name.".into());
        } else if char_count(name) > MAX_NAME_CHARS {
            errors.name = Some(format!(
                "Your name can be at most {MAX_NAME_CHARS} characters."
            ));
        }
    }
    let used = char_count(body);
    if body.trim().is_empty() {
        errors.body = Some("Write a comment before posting.".into());
    } else if used > MAX_COMMENT_CHARS {
        errors.body = Some(format!(
            "Your comment is {} characters over the {} limit. Shorten it to post.",
            thousands(used - MAX_COMMENT_CHARS),
            thousands(MAX_COMMENT_CHARS)
        ));
    }
    errors
}

/// Trims the edges of a comment but keeps the reader's line breaks inside it.
pub fn tidy_body(body: &str) -> String {
    body.trim().to_owned()
}

/// The last thing posted from a form, to recognise a double click.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LastPost {
    pub parent: Option<String>,
    pub body: String,
    pub at_ms: i64,
}

/// A second submission of the same text to the same place within a few seconds is the same
/// intent (a double click, an impatient Ctrl+Enter), not a second comment.
pub fn is_repeat_submission(
    last: Option<&LastPost>,
    parent: Option<&str>,
    body: &str,
    now_ms: i64,
) -> bool {
    const WINDOW_MS: i64 = 5_000;
    last.is_some_and(|last| {
        now_ms - last.at_ms < WINDOW_MS
            && last.parent.as_deref() == parent
            && last.body == tidy_body(body)
    })
}

/// Whether the reader may still change their comment, and for how long.
pub fn edit_deadline(posted_ms: i64) -> i64 {
    posted_ms + EDIT_WINDOW_MS
}

#[cfg(all(test, not(target_arch = "wasm32")))] // native: proptest does not run in the browser
mod tests {
    use super::*;

    #[test]
    fn empty_whitespace_and_missing_name_are_refused() {
        let e = validate("", "  \n\t ", true);
        assert_eq!(e.name.as_deref(), Some("Enter your name."));
        assert_eq!(e.body.as_deref(), Some("Write a comment before posting."));
        assert!(validate("   ", "hello", true).name.is_some());
        assert!(
            validate("", "hello", false).is_empty(),
            "edits keep the author"
        );
        assert!(validate("Ann", "hello", true).is_empty());
    }

    #[test]
    fn the_limit_counts_characters_not_bytes() {
        let at_limit = "é".repeat(MAX_COMMENT_CHARS);
        assert!(validate("Ann", &at_limit, true).is_empty());
        let over = "🚗".repeat(MAX_COMMENT_CHARS + 12);
        let e = validate("Ann", &over, true);
        assert_eq!(
            e.body.as_deref(),
            Some("Your comment is 12 characters over the 2,000 limit. Shorten it to post.")
        );
        assert!(validate(&"n".repeat(MAX_NAME_CHARS + 1), "x", true)
            .name
            .is_some());
    }

    #[test]
    fn counter_reads_naturally() {
        assert_eq!(characters_left_label(""), "2,000 characters left");
        assert_eq!(characters_left_label(&"a".repeat(1999)), "1 character left");
        assert_eq!(
            characters_left_label(&"a".repeat(2001)),
            "1 character over the limit"
        );
        assert_eq!(thousands(1234567), "1,234,567");
    }

    #[test]
    fn a_double_click_is_one_post() {
        let last = LastPost {
            parent: None,
            body: "Great car".into(),
            at_ms: 1_000,
        };
        assert!(is_repeat_submission(
            Some(&last),
            None,
            " Great car ",
            1_300
        ));
        assert!(
            !is_repeat_submission(Some(&last), None, "Great car", 9_000),
            "later is deliberate"
        );
        assert!(
            !is_repeat_submission(Some(&last), Some("c1"), "Great car", 1_300),
            "elsewhere"
        );
        assert!(!is_repeat_submission(Some(&last), None, "Other", 1_300));
        assert!(!is_repeat_submission(None, None, "Great car", 1_300));
    }

    #[test]
    fn tidy_keeps_inner_line_breaks() {
        assert_eq!(tidy_body("\n  one\n\ntwo  \n"), "one\n\ntwo");
    }
}
