//! Reading the publisher's JSON with serde, leniently where a CMS may slip: one bad entry of
//! a list, or one bad optional field, costs only itself (with a warning that names it), and
//! never the document. Text that will be put in a page is cleaned as the browser's HTML
//! parser would clean it, so the page the build writes and the page the app renders hold the
//! same text.

use serde::de::{Deserialize, Deserializer};
use serde_json::value::RawValue;
use std::fmt;

/// Why a document could not be read; shown to the reader as "the data is invalid".
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DecodeError(pub String);

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl From<String> for DecodeError {
    fn from(message: String) -> Self {
        DecodeError(message)
    }
}

impl From<serde_json::Error> for DecodeError {
    fn from(error: serde_json::Error) -> Self {
        DecodeError(error.to_string())
    }
}

/// A decoded document and what was dropped from it, each with its reason (for the console
/// in the browser and for the build's output).
#[derive(Clone, Debug, PartialEq)]
pub struct Decoded<T> {
    pub value: T,
    pub warnings: Vec<String>,
}

/// Reads a whole document (its errors say where in the file they are).
pub fn from_json<'a, T: Deserialize<'a>>(bytes: &'a [u8]) -> Result<T, DecodeError> {
    Ok(serde_json::from_slice(bytes)?)
}

/// Reads one part of a document on its own (an entry of a list, a field). (As bytes, like
/// the whole: each reader of text is compiled once per type it reads, and the app's wasm
/// carries only the one.)
pub fn part<'a, T: Deserialize<'a>>(raw: &'a RawValue) -> Result<T, String> {
    serde_json::from_slice(raw.get().as_bytes()).map_err(|error| reason(&error))
}

/// serde's message without its position, which is only ever "line 1" within a part.
fn reason(error: &serde_json::Error) -> String {
    let message = error.to_string();
    match message.rsplit_once(" at line ") {
        Some((reason, _)) => reason.to_owned(),
        None => message,
    }
}

/// One entry of a list, read on its own: a bad entry keeps its reason instead of failing
/// the list.
#[derive(Clone, Debug, PartialEq)]
pub enum Entry<T> {
    Good(T),
    Bad(String),
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Entry<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let raw = <&'de RawValue>::deserialize(deserializer)?;
        Ok(match part(raw) {
            Ok(value) => Entry::Good(value),
            Err(reason) => Entry::Bad(reason),
        })
    }
}

/// The good entries of a list; each bad one becomes a warning: "dropped {what} {n}: …".
pub fn good_entries<T, U>(
    entries: Vec<Entry<T>>,
    what: &str,
    warnings: &mut Vec<String>,
    mut check: impl FnMut(T) -> Result<U, String>,
) -> Vec<U> {
    let mut good = Vec::with_capacity(entries.len());
    for (n, entry) in entries.into_iter().enumerate() {
        match entry {
            Entry::Good(value) => match check(value) {
                Ok(value) => good.push(value),
                Err(reason) => warnings.push(format!("dropped {what} {}: {reason}", n + 1)),
            },
            Entry::Bad(reason) => warnings.push(format!("dropped {what} {}: {reason}", n + 1)),
        }
    }
    good
}

/// An optional field: absent and `null` read as absent; a value of the wrong kind drops
/// the field alone (and keeps its reason for a warning). Declare it `#[serde(default)]`.
#[derive(Clone, Debug, Default, PartialEq)]
pub enum Optional<T> {
    #[default]
    Absent,
    Good(T),
    Bad(String),
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Optional<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let raw = <&'de RawValue>::deserialize(deserializer)?;
        Ok(if raw.get() == "null" {
            Optional::Absent
        } else {
            match part(raw) {
                Ok(value) => Optional::Good(value),
                Err(reason) => Optional::Bad(reason),
            }
        })
    }
}

impl<T> Optional<T> {
    /// The field's value; a bad one is dropped with a warning: "dropped {name}: …".
    pub fn take(self, name: &str, warnings: &mut Vec<String>) -> Option<T> {
        match self {
            Optional::Absent => None,
            Optional::Good(value) => Some(value),
            Optional::Bad(reason) => {
                warnings.push(format!("dropped {name}: {reason}"));
                None
            }
        }
    }
}

/// Text as the browser's HTML parser keeps it in a page, so the app's render of a page and
/// the build's agree node for node: NUL and the other control characters (but tab and line
/// breaks) go, and line breaks are `\n`. (The parser drops a NUL: a paragraph of one NUL
/// would be no text node at all in the built page, where the app expects one.)
pub fn clean_text(text: String) -> String {
    let kept = |c: char| !c.is_control() || c == '\t' || c == '\n';
    if text.chars().all(kept) {
        return text;
    }
    let mut clean = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\r' => {
                chars.next_if_eq(&'\n');
                clean.push('\n');
            }
            c if kept(c) => clean.push(c),
            _ => {}
        }
    }
    clean
}

/// [`clean_text`] for optional text.
pub fn clean_optional(text: Option<String>) -> Option<String> {
    text.map(clean_text)
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Deserialize, PartialEq)]
    struct Item {
        name: String,
        #[serde(default)]
        count: Optional<u32>,
    }

    #[derive(Debug, Deserialize)]
    struct List {
        items: Vec<Entry<Item>>,
    }

    #[test]
    fn a_bad_entry_drops_alone_with_its_reason() {
        let list: List =
            from_json(br#"{"items":[{"name":"a"},{"nom":"b"},7,{"name":"c","count":2}]}"#).unwrap();
        let mut warnings = Vec::new();
        let names = good_entries(list.items, "item", &mut warnings, |item| {
            Ok::<_, String>(item.name)
        });
        assert_eq!(names, ["a", "c"]);
        assert_eq!(
            warnings,
            [
                "dropped item 2: missing field `name`",
                "dropped item 3: invalid type: integer `7`, expected struct Item"
            ]
        );
    }

    #[test]
    fn null_reads_as_absent_and_a_bad_optional_field_drops_alone() {
        let item = |json: &str| from_json::<Item>(json.as_bytes()).unwrap();
        assert_eq!(item(r#"{"name":"a"}"#).count, Optional::Absent);
        assert_eq!(item(r#"{"name":"a","count":null}"#).count, Optional::Absent);
        assert_eq!(item(r#"{"name":"a","count":3}"#).count, Optional::Good(3));
        let bad = item(r#"{"name":"a","count":-1}"#);
        assert_eq!(bad.name, "a", "the rest of the entry stays");
        let mut warnings = Vec::new();
        assert_eq!(bad.count.take("the count", &mut warnings), None);
        assert_eq!(
            warnings,
            ["dropped the count: invalid value: integer `-1`, expected u32"]
        );
    }

    #[test]
    fn a_document_that_is_not_json_says_where() {
        let error = from_json::<Item>(b"{\"name\": \"a\"").unwrap_err();
        assert!(error.0.starts_with("EOF while parsing"), "{error}");
        assert!(from_json::<Item>(b"<!DOCTYPE html>").is_err());
    }

    #[test]
    fn text_is_cleaned_as_the_html_parser_would() {
        assert_eq!(clean_text("\u{0}".into()), "");
        assert_eq!(clean_text("a\u{0}b\u{7}c\u{7f}d\u{85}e".into()), "abcde");
        assert_eq!(
            clean_text("one\r\ntwo\rthree\n\tfour".into()),
            "one\ntwo\nthree\n\tfour"
        );
        let fine = "Kim Jong-un — «ünïcödé» 🚗\n\tand tabs".to_owned();
        assert_eq!(clean_text(fine.clone()), fine);
    }
}
