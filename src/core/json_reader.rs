//! A small pull reader for JSON, for the one document that is large: the comments file.
//!
//! serde_json's generic code runs 5 to 10 times slower than native on its first run in the
//! browser: the wasm has only just been compiled, and that first run is the one a reader waits
//! for. This reader finds string ends eight bytes at a time, matches keys as integers (see
//! [`Key`]) and borrows every string that has no escapes. It reads bytes, and checks that a
//! string is UTF-8 only when it is read: a pass that looks at a few fields of each entry never
//! spends time on the rest. It accepts only what serde_json accepts, and it gives up (`None`)
//! on anything outside its common case. Callers then fall back to the app's general JSON
//! parser (`core::json`), which reports the problem or decodes the rare case.
//!
//! The browser first runs this code as it compiled it in one quick pass, and optimises the
//! functions that run most on a background thread, copying small callees into their callers.
//! How long that takes grows with the size of what it optimises, and on a two-core phone it
//! competes with the page. So the loops are small functions ([`JsonReader::plain_run`]), and
//! a function that reads values calls them from one place ([`JsonReader::value`]).

use super::json::unescape;
use std::borrow::Cow;

/// serde_json's nesting limit: deeper text is an error there, so it is a give-up here.
const MAX_DEPTH: usize = 128;

/// Eight copies of one byte.
const ONES: u64 = u64::MAX / 255;
const HIGH_BITS: u64 = ONES << 7;

/// An object key packed into an integer: its UTF-8 bytes, little-endian, zero-padded. Keys
/// are short, so matching one against the names a reader knows is comparing integers
/// (`match key { ID => … }` with `const ID: Key = Key::of("id")`). A key longer than eight
/// bytes, or with a NUL (only an escape can write one), is [`Key::OTHER`], which no name
/// of eight bytes or fewer packs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Key(u64);

impl Key {
    pub const OTHER: Key = Key(u64::MAX);

    pub const fn of(name: &str) -> Key {
        let bytes = name.as_bytes();
        if bytes.len() > 8 {
            return Key::OTHER;
        }
        let mut packed = 0;
        let mut i = 0;
        while i < bytes.len() {
            if bytes[i] == 0 {
                return Key::OTHER;
            }
            packed |= (bytes[i] as u64) << (8 * i);
            i += 1;
        }
        Key(packed)
    }
}

/// A value as [`JsonReader::value`] reads it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Value<'a> {
    /// A string without escapes, as bytes: [`text`] makes it text once it is known to be
    /// UTF-8, for a caller that wants it.
    Plain(&'a [u8]),
    Null,
    /// Any other value (a string with escapes among them), skipped.
    Other,
}

/// A string's bytes as text, when they are UTF-8. Not inlined: one small function that the
/// browser optimises once, for every string.
#[inline(never)]
pub fn text(bytes: &[u8]) -> Option<&str> {
    std::str::from_utf8(bytes).ok()
}

/// A cursor over JSON. Every reading method skips the whitespace before its value.
pub struct JsonReader<'a> {
    json: &'a [u8],
    at: usize,
    depth: usize,
}

impl<'a> JsonReader<'a> {
    /// A reader of `json`'s bytes (a `str`, a `[u8]` or a `Vec<u8>`).
    pub fn new<J: AsRef<[u8]> + ?Sized>(json: &'a J) -> Self {
        JsonReader {
            json: json.as_ref(),
            at: 0,
            depth: 0,
        }
    }

    /// How far into the text the reader is, in bytes.
    pub fn position(&self) -> usize {
        self.at
    }

    #[inline(always)]
    fn bytes(&self) -> &'a [u8] {
        self.json
    }

    /// Whitespace is rare in a generated file, so its loop is out of line: one comparison
    /// (every JSON whitespace byte is at most a space) at each of the many places that skip it.
    #[inline(always)]
    fn skip_whitespace(&mut self) {
        if self.bytes().get(self.at).is_some_and(|&b| b <= b' ') {
            self.skip_whitespace_run();
        }
    }

    #[inline(never)]
    fn skip_whitespace_run(&mut self) {
        while let Some(b' ' | b'\n' | b'\r' | b'\t') = self.bytes().get(self.at) {
            self.at += 1;
        }
    }

    #[inline(always)]
    fn peek(&mut self) -> Option<u8> {
        self.skip_whitespace();
        self.bytes().get(self.at).copied()
    }

    /// Consumes `byte` if it comes next.
    #[inline(always)]
    fn eat(&mut self, byte: u8) -> bool {
        let found = self.peek() == Some(byte);
        if found {
            self.at += 1;
        }
        found
    }

    #[inline(always)]
    fn expect(&mut self, byte: u8) -> Option<()> {
        self.eat(byte).then_some(())
    }

    /// True when only whitespace is left.
    #[inline(always)]
    pub fn at_end(&mut self) -> bool {
        self.peek().is_none()
    }

    /// `null`, consumed if it comes next.
    #[inline(always)]
    pub fn null(&mut self) -> bool {
        self.peek();
        let found = self.bytes()[self.at..].starts_with(b"null");
        if found {
            self.at += 4;
        }
        found
    }

    /// A string: borrowed from the text when it has no escapes, which is almost always.
    #[inline(always)]
    pub fn string(&mut self) -> Option<Cow<'a, str>> {
        self.expect(b'"')?;
        let start = self.at;
        let end = self.plain_run(start);
        match self.bytes().get(end)? {
            b'"' => {
                self.at = end + 1;
                text(&self.json[start..end]).map(Cow::Borrowed)
            }
            b'\\' => self.escaped_string(start - 1, end),
            _ => None, // a raw control character
        }
    }

    /// The next value, for a reader that wants only some of an object's values: a string
    /// without escapes is borrowed; anything else is checked, skipped and only named.
    #[inline(always)]
    pub fn value(&mut self) -> Option<Value<'a>> {
        match self.peek()? {
            b'"' => {
                let start = self.at + 1;
                let end = self.plain_run(start);
                match self.bytes().get(end)? {
                    b'"' => {
                        self.at = end + 1;
                        Some(Value::Plain(&self.json[start..end]))
                    }
                    b'\\' => self.escaped_string(start - 1, end).map(|_| Value::Other),
                    _ => None, // a raw control character
                }
            }
            b'n' if self.null() => Some(Value::Null),
            _ => self.skip_other().map(|()| Value::Other),
        }
    }

    /// An object's key, packed (see [`Key`]). A short plain key, which is almost every key,
    /// is one eight-byte load: its closing quote is found in that word.
    #[inline(always)]
    fn key(&mut self) -> Option<Key> {
        self.expect(b'"')?;
        let bytes = self.bytes();
        let start = self.at;
        if let Some(chunk) = bytes.get(start..start + 8) {
            let word = u64::from_le_bytes(chunk.try_into().unwrap_or_default());
            let special = special_bytes(word);
            let len = (special.trailing_zeros() / 8) as usize;
            if len < 8 && bytes[start + len] == b'"' {
                let key = word & ((1 << (8 * len)) - 1);
                // ASCII, so UTF-8 with nothing to check.
                if key & HIGH_BITS == 0 {
                    self.at = start + len + 1;
                    return Some(Key(key));
                }
            }
        }
        self.unusual_key(start - 1)
    }

    /// A long key, one at the very end of the text, one with an escape or one that is not
    /// ASCII, from its opening quote at `quote`.
    #[cold]
    #[inline(never)]
    fn unusual_key(&mut self, quote: usize) -> Option<Key> {
        self.at = quote;
        Some(Key::of(&self.string()?))
    }

    /// Where the run of plain characters from `from` ends: at a quote, a backslash, a
    /// control character or the end of the text. Eight bytes at a time (wasm has 64-bit
    /// integers), so a comment's body takes a few steps.
    #[inline(never)]
    fn plain_run(&self, from: usize) -> usize {
        let bytes = self.bytes();
        let mut at = from;
        while let Some(chunk) = bytes.get(at..at + 8) {
            let word = u64::from_le_bytes(chunk.try_into().unwrap_or_default());
            let special = special_bytes(word);
            if special != 0 {
                return at + (special.trailing_zeros() / 8) as usize;
            }
            at += 8;
        }
        while at < bytes.len() && !matches!(bytes[at], b'"' | b'\\' | 0..=0x1f) {
            at += 1;
        }
        at
    }

    /// A string with escapes, from its opening quote at `quote`: found by skipping each
    /// escaped character, then unescaped as the app's JSON parser does (`core::json`), so
    /// escapes mean what they mean there (surrogate pairs included) and a bad one is refused
    /// the same way.
    #[cold]
    fn escaped_string(&mut self, quote: usize, mut at: usize) -> Option<Cow<'a, str>> {
        let bytes = self.bytes();
        loop {
            match bytes.get(at)? {
                b'"' => break,
                b'\\' => at += 2,
                _ => at = self.plain_run(at).max(at + 1),
            }
        }
        self.at = at + 1;
        let body = text(&self.json[quote + 1..at])?;
        unescape(body).ok().map(Cow::Owned)
    }

    /// A whole number that fits `u32`, written as JSON writes integers ("0", "42").
    /// A fraction, an exponent or a sign is a give-up: serde_json refuses those for a `u32`.
    #[inline(always)]
    pub fn u32(&mut self) -> Option<u32> {
        self.peek();
        let bytes = self.bytes();
        let start = self.at;
        let mut end = start;
        let mut value: u32 = 0;
        while let Some(&digit @ b'0'..=b'9') = bytes.get(end) {
            value = value
                .checked_mul(10)?
                .checked_add(u32::from(digit - b'0'))?;
            end += 1;
        }
        let leading_zero = end - start > 1 && bytes[start] == b'0';
        if end == start || leading_zero || matches!(bytes.get(end), Some(b'.' | b'e' | b'E')) {
            return None;
        }
        self.at = end;
        Some(value)
    }

    /// Reads an object, calling `field` with each key; `field` must read that key's value.
    #[inline(always)]
    pub fn object(&mut self, mut field: impl FnMut(&mut Self, Key) -> Option<()>) -> Option<()> {
        self.expect(b'{')?;
        self.nested(|reader| {
            if reader.eat(b'}') {
                return Some(());
            }
            loop {
                let key = reader.key()?;
                reader.expect(b':')?;
                field(reader, key)?;
                if !reader.eat(b',') {
                    return reader.expect(b'}');
                }
            }
        })
    }

    /// Reads an array, calling `item` for each element; `item` must read the element.
    #[inline(always)]
    pub fn array(&mut self, mut item: impl FnMut(&mut Self) -> Option<()>) -> Option<()> {
        self.expect(b'[')?;
        self.nested(|reader| {
            if reader.eat(b']') {
                return Some(());
            }
            loop {
                item(reader)?;
                if !reader.eat(b',') {
                    return reader.expect(b']');
                }
            }
        })
    }

    #[inline(always)]
    fn nested(&mut self, read: impl FnOnce(&mut Self) -> Option<()>) -> Option<()> {
        if self.depth == MAX_DEPTH {
            return None;
        }
        self.depth += 1;
        let result = read(self);
        self.depth -= 1;
        result
    }

    /// Skips any one value (a field this reader has no use for), checking that it is JSON
    /// and its strings UTF-8, as serde_json checks an entry it decodes.
    pub fn skip_value(&mut self) -> Option<()> {
        match self.value()? {
            Value::Plain(bytes) => text(bytes).map(drop),
            Value::Null | Value::Other => Some(()),
        }
    }

    /// Skips a value that is not a string. Not inlined: it is rare, and nests.
    #[inline(never)]
    fn skip_other(&mut self) -> Option<()> {
        match self.peek()? {
            b'{' => self.object(|reader, _| reader.skip_value()),
            b'[' => self.array(Self::skip_value),
            b't' => self.literal("true"),
            b'f' => self.literal("false"),
            b'n' => self.null().then_some(()),
            _ => self.number(),
        }
    }

    fn literal(&mut self, word: &str) -> Option<()> {
        let found = self.bytes()[self.at..].starts_with(word.as_bytes());
        found.then(|| self.at += word.len())
    }

    /// Any JSON number: `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`.
    fn number(&mut self) -> Option<()> {
        let bytes = self.bytes();
        let mut at = self.at;
        let digits = |at: &mut usize| {
            let start = *at;
            while bytes.get(*at).is_some_and(u8::is_ascii_digit) {
                *at += 1;
            }
            *at - start
        };
        if bytes.get(at) == Some(&b'-') {
            at += 1;
        }
        let start = at;
        let whole = digits(&mut at);
        if whole == 0 || (whole > 1 && bytes[start] == b'0') {
            return None;
        }
        if bytes.get(at) == Some(&b'.') {
            at += 1;
            if digits(&mut at) == 0 {
                return None;
            }
        }
        if let Some(b'e' | b'E') = bytes.get(at) {
            at += 1;
            if let Some(b'+' | b'-') = bytes.get(at) {
                at += 1;
            }
            if digits(&mut at) == 0 {
                return None;
            }
        }
        self.at = at;
        Some(())
    }
}

/// The high bit of each byte of `word` that ends a run of plain string characters: a quote,
/// a backslash or a control character.
#[inline(always)]
fn special_bytes(word: u64) -> u64 {
    zero_byte(word ^ (ONES * u64::from(b'"')))
        | zero_byte(word ^ (ONES * u64::from(b'\\')))
        | (word.wrapping_sub(ONES * 0x20) & !word & HIGH_BITS)
}

/// The high bit of each byte of `word` that is zero (the classic SWAR test). A false
/// positive can only follow a true one, and only the lowest is used.
fn zero_byte(word: u64) -> u64 {
    word.wrapping_sub(ONES) & !word & HIGH_BITS
}

#[cfg(all(test, not(target_arch = "wasm32")))] // native: proptest does not run in the browser
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Skips one value and checks nothing but whitespace follows: the reader's verdict on
    /// `text` as a whole JSON document.
    fn accepts(text: &str) -> bool {
        let mut reader = JsonReader::new(text);
        reader.skip_value().is_some() && reader.at_end()
    }

    #[test]
    fn borrows_plain_strings_and_unescapes_the_rest() {
        let mut reader = JsonReader::new(r#" "plain text, long enough to take several steps" "#);
        assert!(matches!(reader.string(), Some(Cow::Borrowed(s)) if s.starts_with("plain")));
        let mut reader = JsonReader::new(r#""say \"hi\"\n\u00e9\ud83d\ude97 \\ end""#);
        assert_eq!(
            reader.string().as_deref(),
            Some("say \"hi\"\né\u{1F697} \\ end")
        );
        assert!(reader.at_end());
    }

    #[test]
    fn reads_keys_plain_or_escaped() {
        let mut keys = Vec::new();
        let mut reader = JsonReader::new(r#"{ "id": 1, "\u0069d": 2, "a\"b": 3, "é": 4 }"#);
        let read = reader.object(|reader, key| {
            keys.push(key);
            reader.skip_value()
        });
        assert_eq!(read, Some(()));
        assert_eq!(
            keys,
            [Key::of("id"), Key::of("id"), Key::of("a\"b"), Key::of("é")]
        );
        let mut raw_tab = JsonReader::new("{\"a\tb\": 1}");
        assert_eq!(raw_tab.object(|reader, _| reader.skip_value()), None);
    }

    #[test]
    fn checks_that_strings_are_utf8_when_it_reads_them() {
        let bad = b"[\"caf\xe9\", \"ok\"]";
        assert!(JsonReader::new(&bad[1..]).string().is_none());
        assert!(JsonReader::new(&bad[1..]).skip_value().is_none());
        assert!(JsonReader::new(bad).skip_value().is_none());
        // A reader that only names what it skips need not check it.
        let mut reader = JsonReader::new(&bad[1..]);
        assert_eq!(reader.value(), Some(Value::Plain(b"caf\xe9")));
        // A key that is not ASCII goes the long way, which checks it.
        let mut keys = Vec::new();
        let read = JsonReader::new(b"{\"\xe9\": 1}").object(|reader, key| {
            keys.push(key);
            reader.skip_value()
        });
        assert_eq!((read, keys), (None, vec![]));
    }

    #[test]
    fn names_the_values_it_skips() {
        let mut reader = JsonReader::new(r#"["plain", null, "esc\u0061ped", 1.5, {"a": [true]}]"#);
        let mut values = Vec::new();
        let read = reader.array(|reader| {
            values.push(reader.value()?);
            Some(())
        });
        assert_eq!(read, Some(()));
        assert_eq!(
            values,
            [
                Value::Plain(b"plain"),
                Value::Null,
                Value::Other,
                Value::Other,
                Value::Other
            ]
        );
        assert!(reader.at_end());
    }

    #[test]
    fn refuses_what_json_refuses() {
        for bad in [
            "\"raw\u{1}control\"",
            "\"tab\tinside\"",
            "\"\\x escape\"",
            "\"lone \\ud800 surrogate\"",
            "\"unterminated",
            "01",
            "1.",
            "-",
            ".5",
            "1e",
            "tru",
            "[1,]",
            "{\"a\":1,}",
            "{\"a\" 1}",
            "[1 2]",
        ] {
            assert!(!accepts(bad), "{bad:?}");
        }
        for good in [
            "0",
            "-0.5e+3",
            "12.25E-2",
            "true",
            "null",
            "[]",
            "{}",
            " [ {\"a\" : [false, null, \"x\"]} , 3 ] ",
        ] {
            assert!(accepts(good), "{good:?}");
        }
    }

    #[test]
    fn gives_up_on_nesting_deeper_than_serde_allows() {
        let deep = "[".repeat(MAX_DEPTH + 1) + &"]".repeat(MAX_DEPTH + 1);
        assert!(!accepts(&deep));
        let fine = "[".repeat(MAX_DEPTH) + &"]".repeat(MAX_DEPTH);
        assert!(accepts(&fine));
    }

    #[test]
    fn reads_u32_as_serde_does() {
        for (text, expected) in [
            ("0", Some(0)),
            ("42", Some(42)),
            ("4294967295", Some(u32::MAX)),
            ("4294967296", None),
            ("-1", None),
            ("3.0", None),
            ("1e2", None),
            ("007", None),
        ] {
            assert_eq!(JsonReader::new(text).u32(), expected, "{text}");
            let by_serde = serde_json::from_str::<u32>(text).ok();
            assert_eq!(expected, by_serde, "serde disagrees on {text}");
        }
    }

    /// Any JSON value, written with random spacing.
    fn json_value() -> impl Strategy<Value = String> {
        let leaf = prop_oneof![
            any::<String>().prop_map(|s| serde_json::to_string(&s).unwrap_or_default()),
            any::<f64>().prop_map(|n| serde_json::to_string(&n).unwrap_or_default()),
            any::<i64>().prop_map(|n| n.to_string()),
            Just("true".to_owned()),
            Just("null".to_owned()),
        ];
        leaf.prop_recursive(4, 32, 6, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..5)
                    .prop_map(|v| format!("[{}]", v.join(" , "))),
                prop::collection::vec((any::<String>(), inner), 0..5).prop_map(|fields| {
                    let fields: Vec<String> = fields
                        .into_iter()
                        .map(|(k, v)| {
                            format!("{}:\n{v}", serde_json::to_string(&k).unwrap_or_default())
                        })
                        .collect();
                    format!("{{ {} }}", fields.join(","))
                }),
            ]
        })
    }

    proptest! {
        /// Two keys match exactly when they are the same text (keys of more than eight
        /// bytes, or with a NUL, match nothing a reader names).
        #[test]
        fn packs_keys_without_confusing_them(a in "[a-z\\x00é]{0,10}", b in "[a-z\\x00é]{0,10}") {
            let known = |k: &str| k.len() <= 8 && !k.contains('\0');
            if known(&a) && known(&b) {
                prop_assert_eq!(Key::of(&a) == Key::of(&b), a == b);
            } else if !known(&a) {
                prop_assert_eq!(Key::of(&a), Key::OTHER);
            }
            let json = format!("{{{}: 0}}", serde_json::to_string(&a).unwrap_or_default());
            let mut read = None;
            JsonReader::new(&json).object(|reader, key| {
                read = Some(key);
                reader.skip_value()
            });
            prop_assert_eq!(read, Some(Key::of(&a)));
        }

        #[test]
        fn accepts_all_json_and_reads_strings_as_serde_does(value in json_value()) {
            prop_assert!(accepts(&value), "{}", value);
            if let Ok(expected) = serde_json::from_str::<String>(&value) {
                let read = JsonReader::new(&value).string();
                prop_assert_eq!(read.as_deref(), Some(expected.as_str()));
            }
        }

        #[test]
        fn accepts_nothing_serde_refuses(text in "[\\[\\]{}\",:0-9.eE+\\-a-z\\\\ ]{0,24}") {
            if accepts(&text) {
                prop_assert!(serde_json::from_str::<serde::de::IgnoredAny>(&text).is_ok(), "{}", text);
            }
        }
    }
}
