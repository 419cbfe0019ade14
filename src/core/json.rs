//! JSON for the app's small documents (an article, the index, the site settings, the records
//! a browser keeps): a parser into a tree that borrows the text, with messages that say what
//! is wrong and where, typed accessors, and a writer.
//!
//! Why not serde_json: its generic code is compiled once per type it reads or writes, and in
//! the browser every byte of wasm is paid by every reader. One small parser for every
//! document kept the app's wasm about 35 KB (brotli) smaller. It follows serde_json on what
//! is JSON and what a string means (escapes, surrogate pairs, nesting limit), and the tests
//! hold it to serde_json on generated text. The large comments file has a streaming reader
//! of its own (`json_reader`), which unescapes strings with [`unescape`] from here.

use std::borrow::Cow;
use std::fmt::Write as _;

/// serde_json's nesting limit: deeper text is refused, and the parser's recursion bounded.
const MAX_DEPTH: usize = 128;

/// A JSON value; strings without escapes and numbers borrow the text.
#[derive(Clone, Debug, PartialEq)]
pub enum Json<'a> {
    Null,
    Bool(bool),
    /// A number as written (its grammar checked).
    Number(&'a str),
    String(Cow<'a, str>),
    Array(Vec<Json<'a>>),
    Object(Vec<Member<'a>>),
}

/// One name and value of an object, with the value's text as written (kept for fields a
/// reader does not know, and for messages).
#[derive(Clone, Debug, PartialEq)]
pub struct Member<'a> {
    pub name: Cow<'a, str>,
    pub value: Json<'a>,
    pub raw: &'a str,
}

/// Parses a whole document; a message says what is wrong and where (line and column).
pub fn parse(text: &str) -> Result<Json<'_>, String> {
    let mut parser = Parser {
        text,
        bytes: text.as_bytes(),
        at: 0,
        depth: 0,
    };
    let value = parser.value()?;
    parser.skip_whitespace();
    if parser.at < parser.bytes.len() {
        return Err(parser.error("trailing characters"));
    }
    Ok(value)
}

struct Parser<'a> {
    text: &'a str,
    bytes: &'a [u8],
    at: usize,
    depth: usize,
}

impl<'a> Parser<'a> {
    fn error(&self, what: &str) -> String {
        let before = &self.text[..self.at.min(self.text.len())];
        let line = before.matches('\n').count() + 1;
        let column = before.len() - before.rfind('\n').map_or(0, |i| i + 1) + 1;
        format!("{what} at line {line} column {column}")
    }

    fn skip_whitespace(&mut self) {
        while let Some(b' ' | b'\n' | b'\r' | b'\t') = self.bytes.get(self.at) {
            self.at += 1;
        }
    }

    fn peek(&mut self) -> Option<u8> {
        self.skip_whitespace();
        self.bytes.get(self.at).copied()
    }

    fn expect(&mut self, byte: u8, what: &str) -> Result<(), String> {
        match self.peek() {
            Some(found) if found == byte => {
                self.at += 1;
                Ok(())
            }
            None => Err(self.error(&format!("EOF while parsing {what}"))),
            Some(_) => Err(self.error(&format!("expected `{}`", byte as char))),
        }
    }

    fn value(&mut self) -> Result<Json<'a>, String> {
        match self.peek() {
            None => Err(self.error("EOF while parsing a value")),
            Some(b'"') => self.string().map(Json::String),
            Some(b'{') => self.nested(Self::object),
            Some(b'[') => self.nested(Self::array),
            Some(b't') => self.literal("true", Json::Bool(true)),
            Some(b'f') => self.literal("false", Json::Bool(false)),
            Some(b'n') => self.literal("null", Json::Null),
            Some(b'-' | b'0'..=b'9') => self.number().map(Json::Number),
            Some(_) => Err(self.error("expected value")),
        }
    }

    fn nested(
        &mut self,
        read: impl FnOnce(&mut Self) -> Result<Json<'a>, String>,
    ) -> Result<Json<'a>, String> {
        if self.depth == MAX_DEPTH {
            return Err(self.error("recursion limit exceeded"));
        }
        self.depth += 1;
        let value = read(self);
        self.depth -= 1;
        value
    }

    fn literal(&mut self, word: &str, value: Json<'a>) -> Result<Json<'a>, String> {
        if self.bytes[self.at..].starts_with(word.as_bytes()) {
            self.at += word.len();
            Ok(value)
        } else {
            Err(self.error("expected value"))
        }
    }

    fn object(&mut self) -> Result<Json<'a>, String> {
        self.at += 1;
        let mut members = Vec::new();
        if self.peek() == Some(b'}') {
            self.at += 1;
            return Ok(Json::Object(members));
        }
        loop {
            match self.peek() {
                Some(b'"') => {}
                None => return Err(self.error("EOF while parsing an object")),
                Some(_) => return Err(self.error("key must be a string")),
            }
            let name = self.string()?;
            self.expect(b':', "an object")?;
            self.skip_whitespace();
            let start = self.at;
            let value = self.value()?;
            let raw = &self.text[start..self.at];
            members.push(Member { name, value, raw });
            match self.peek() {
                Some(b',') => self.at += 1,
                Some(b'}') => {
                    self.at += 1;
                    return Ok(Json::Object(members));
                }
                None => return Err(self.error("EOF while parsing an object")),
                Some(_) => return Err(self.error("expected `,` or `}`")),
            }
        }
    }

    fn array(&mut self) -> Result<Json<'a>, String> {
        self.at += 1;
        let mut items = Vec::new();
        if self.peek() == Some(b']') {
            self.at += 1;
            return Ok(Json::Array(items));
        }
        loop {
            items.push(self.value()?);
            match self.peek() {
                Some(b',') => self.at += 1,
                Some(b']') => {
                    self.at += 1;
                    return Ok(Json::Array(items));
                }
                None => return Err(self.error("EOF while parsing a list")),
                Some(_) => return Err(self.error("expected `,` or `]`")),
            }
        }
    }

    /// `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`
    fn number(&mut self) -> Result<&'a str, String> {
        let start = self.at;
        let bytes = self.bytes;
        let digits = |at: &mut usize| {
            let from = *at;
            while bytes.get(*at).is_some_and(u8::is_ascii_digit) {
                *at += 1;
            }
            *at - from
        };
        let mut at = start;
        if bytes.get(at) == Some(&b'-') {
            at += 1;
        }
        let whole_start = at;
        let whole = digits(&mut at);
        let invalid = |parser: &Self, what| Err(parser.error(what));
        if whole == 0 || (whole > 1 && bytes[whole_start] == b'0') {
            return invalid(self, "invalid number");
        }
        if bytes.get(at) == Some(&b'.') {
            at += 1;
            if digits(&mut at) == 0 {
                return invalid(self, "invalid number");
            }
        }
        if let Some(b'e' | b'E') = bytes.get(at) {
            at += 1;
            if let Some(b'+' | b'-') = bytes.get(at) {
                at += 1;
            }
            if digits(&mut at) == 0 {
                return invalid(self, "invalid number");
            }
        }
        // Kept as text, its size unchecked, as serde_json passes over a number it skips:
        // a reader that wants a number checks the one it reads (see `as_integer`).
        self.at = at;
        Ok(&self.text[start..at])
    }

    /// A string from its opening quote: borrowed when it has no escapes.
    fn string(&mut self) -> Result<Cow<'a, str>, String> {
        self.at += 1;
        let start = self.at;
        loop {
            match self.bytes.get(self.at) {
                None => return Err(self.error("EOF while parsing a string")),
                Some(b'"') => {
                    let text = &self.text[start..self.at];
                    self.at += 1;
                    return Ok(Cow::Borrowed(text));
                }
                Some(b'\\') => break,
                Some(0..=0x1f) => {
                    return Err(self
                        .error("control character (\\u0000-\\u001F) found while parsing a string"))
                }
                Some(_) => self.at += 1,
            }
        }
        // Escapes: find the end, then unescape the whole.
        loop {
            match self.bytes.get(self.at) {
                None => return Err(self.error("EOF while parsing a string")),
                Some(b'"') => break,
                Some(b'\\') => self.at += 2,
                Some(0..=0x1f) => {
                    return Err(self
                        .error("control character (\\u0000-\\u001F) found while parsing a string"))
                }
                Some(_) => self.at += 1,
            }
        }
        let body = &self.text[start..self.at.min(self.text.len())];
        match unescape(body) {
            Ok(text) => {
                self.at += 1;
                Ok(Cow::Owned(text))
            }
            Err(problem) => Err(self.error(problem)),
        }
    }
}

/// The text of a JSON string's body (between its quotes, escapes as written), escapes
/// resolved as serde_json resolves them, surrogate pairs included.
pub fn unescape(body: &str) -> Result<String, &'static str> {
    let mut out = String::with_capacity(body.len());
    let mut chars = body.chars();
    while let Some(ch) = chars.next() {
        if ch != '\\' {
            if ch < ' ' {
                return Err("control character (\\u0000-\\u001F) found while parsing a string");
            }
            out.push(ch);
            continue;
        }
        let escaped = match chars.next() {
            Some('"') => '"',
            Some('\\') => '\\',
            Some('/') => '/',
            Some('b') => '\u{8}',
            Some('f') => '\u{c}',
            Some('n') => '\n',
            Some('r') => '\r',
            Some('t') => '\t',
            Some('u') => {
                let first = hex4(&mut chars)?;
                match first {
                    0xD800..=0xDBFF => {
                        if chars.next() != Some('\\') || chars.next() != Some('u') {
                            return Err("lone leading surrogate in hex escape");
                        }
                        let second = hex4(&mut chars)?;
                        if !(0xDC00..=0xDFFF).contains(&second) {
                            return Err("lone leading surrogate in hex escape");
                        }
                        let code = 0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00);
                        char::from_u32(code).ok_or("invalid unicode code point")?
                    }
                    0xDC00..=0xDFFF => return Err("lone leading surrogate in hex escape"),
                    code => char::from_u32(code).ok_or("invalid unicode code point")?,
                }
            }
            _ => return Err("invalid escape"),
        };
        out.push(escaped);
    }
    Ok(out)
}

fn hex4(chars: &mut std::str::Chars) -> Result<u32, &'static str> {
    let mut value = 0;
    for _ in 0..4 {
        let digit = chars
            .next()
            .and_then(|c| c.to_digit(16))
            .ok_or("invalid escape")?;
        value = value * 16 + digit;
    }
    Ok(value)
}

impl<'a> Json<'a> {
    /// A string's text.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Json::String(text) => Some(text),
            _ => None,
        }
    }

    /// A whole number (no fraction or exponent) as serde_json reads one into an integer;
    /// it reads `-0` as a float, so that is not one either.
    pub fn as_integer(&self) -> Option<i64> {
        match self {
            Json::Number(text) if !text.contains(['.', 'e', 'E']) && *text != "-0" => {
                text.parse().ok()
            }
            _ => None,
        }
    }

    pub fn as_u32(&self) -> Option<u32> {
        self.as_integer().and_then(|n| u32::try_from(n).ok())
    }

    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Json::Bool(value) => Some(*value),
            _ => None,
        }
    }

    pub fn as_array(&self) -> Option<&[Json<'a>]> {
        match self {
            Json::Array(items) => Some(items),
            _ => None,
        }
    }

    pub fn as_object(&self) -> Option<&[Member<'a>]> {
        match self {
            Json::Object(members) => Some(members),
            _ => None,
        }
    }
}

/// An object's fields for a reader of a known shape: each known name may appear once (as
/// serde refuses a repeated field); other names are the reader's to keep or ignore.
pub struct Fields<'j, 'a> {
    pub members: &'j [Member<'a>],
}

impl<'j, 'a> Fields<'j, 'a> {
    /// The fields of `value`, or a message naming `what` when it is not an object.
    pub fn of(value: &'j Json<'a>, what: &str) -> Result<Self, String> {
        value
            .as_object()
            .map(|members| Fields { members })
            .ok_or_else(|| format!("{what} is not an object"))
    }

    /// The value of `name`, if present; a repeated name is refused.
    pub fn get(&self, name: &str) -> Result<Option<&'j Json<'a>>, String> {
        let mut found = self.members.iter().filter(|m| m.name == name);
        let first = found.next();
        if found.next().is_some() {
            return Err(format!("duplicate field `{name}`"));
        }
        Ok(first.map(|m| &m.value))
    }

    pub fn required(&self, name: &str) -> Result<&'j Json<'a>, String> {
        self.get(name)?
            .ok_or_else(|| format!("missing field `{name}`"))
    }

    /// A text field that must be there.
    pub fn text(&self, name: &str) -> Result<String, String> {
        text_of(self.required(name)?, name)
    }

    /// A text field that may be missing (or null).
    pub fn optional_text(&self, name: &str) -> Result<Option<String>, String> {
        match self.get(name)? {
            None | Some(Json::Null) => Ok(None),
            Some(value) => text_of(value, name).map(Some),
        }
    }

    /// A list field that may be missing (then empty).
    pub fn list(&self, name: &str) -> Result<&'j [Json<'a>], String> {
        match self.get(name)? {
            None => Ok(&[]),
            Some(value) => value
                .as_array()
                .ok_or_else(|| format!("`{name}` is not a list")),
        }
    }

    /// The members whose names are not among `known`, as written: what a newer writer
    /// added, to keep.
    pub fn others(&self, known: &[&str]) -> Vec<(String, String)> {
        self.members
            .iter()
            .filter(|m| !known.contains(&m.name.as_ref()))
            .map(|m| (m.name.to_string(), m.raw.to_owned()))
            .collect()
    }
}

fn text_of(value: &Json, name: &str) -> Result<String, String> {
    value
        .as_str()
        .map(str::to_owned)
        .ok_or_else(|| format!("`{name}` is not text"))
}

/// Writes `text` as a JSON string (escaping what JSON requires, as serde_json does).
pub fn write_string(out: &mut String, text: &str) {
    out.push('"');
    for ch in text.chars() {
        match ch {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            c if c < ' ' => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

/// Writes a JSON object, member by member.
pub struct ObjectWriter<'o> {
    out: &'o mut String,
    empty: bool,
}

impl<'o> ObjectWriter<'o> {
    pub fn new(out: &'o mut String) -> Self {
        out.push('{');
        ObjectWriter { out, empty: true }
    }

    /// Starts a member: its name, then the caller writes its value.
    pub fn key(&mut self, name: &str) -> &mut String {
        if !self.empty {
            self.out.push(',');
        }
        self.empty = false;
        write_string(self.out, name);
        self.out.push(':');
        self.out
    }

    pub fn string(&mut self, name: &str, value: &str) -> &mut Self {
        let out = self.key(name);
        write_string(out, value);
        self
    }

    pub fn number(&mut self, name: &str, value: impl std::fmt::Display) -> &mut Self {
        let out = self.key(name);
        let _ = write!(out, "{value}");
        self
    }

    pub fn bool(&mut self, name: &str, value: bool) -> &mut Self {
        self.key(name)
            .push_str(if value { "true" } else { "false" });
        self
    }

    /// A member whose value is JSON already (kept as read).
    pub fn raw(&mut self, name: &str, json: &str) -> &mut Self {
        self.key(name).push_str(json);
        self
    }

    pub fn strings<'s>(
        &mut self,
        name: &str,
        values: impl IntoIterator<Item = &'s str>,
    ) -> &mut Self {
        let out = self.key(name);
        out.push('[');
        for (i, value) in values.into_iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            write_string(out, value);
        }
        out.push(']');
        self
    }

    /// A member whose value is a list of objects, each written by `write`.
    pub fn objects<T>(
        &mut self,
        name: &str,
        items: &[T],
        write: impl Fn(&T, &mut ObjectWriter),
    ) -> &mut Self {
        let out = self.key(name);
        out.push('[');
        for (i, item) in items.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            let mut inner = ObjectWriter::new(out);
            write(item, &mut inner);
            inner.finish();
        }
        out.push(']');
        self
    }

    /// A member whose value is an object written by `write`.
    pub fn object(&mut self, name: &str, write: impl FnOnce(&mut ObjectWriter)) -> &mut Self {
        let out = self.key(name);
        let mut inner = ObjectWriter::new(out);
        write(&mut inner);
        inner.finish();
        self
    }

    pub fn finish(self) {
        self.out.push('}');
    }
}

/// Writes one object into a new string.
pub fn object(write: impl FnOnce(&mut ObjectWriter)) -> String {
    let mut out = String::new();
    let mut writer = ObjectWriter::new(&mut out);
    write(&mut writer);
    writer.finish();
    out
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn parses_every_kind_of_value() {
        let json = parse(
            r#" {"a": [1, -2.5e3, true, false, null], "b\n": "x\u00e9\ud83d\ude97", "c": {}} "#,
        )
        .unwrap();
        let members = json.as_object().unwrap();
        assert_eq!(members[0].name, "a");
        assert_eq!(members[0].raw, "[1, -2.5e3, true, false, null]");
        let items = members[0].value.as_array().unwrap();
        assert_eq!(items[0].as_u32(), Some(1));
        assert_eq!(items[1], Json::Number("-2.5e3"));
        assert_eq!(items[2].as_bool(), Some(true));
        assert_eq!(items[4], Json::Null);
        assert_eq!(members[1].name, "b\n");
        assert_eq!(members[1].value.as_str(), Some("xé🚗"));
        assert_eq!(members[2].value.as_object().map(<[_]>::len), Some(0));
    }

    #[test]
    fn says_what_is_wrong_and_where() {
        for (text, message) in [
            ("", "EOF while parsing a value at line 1 column 1"),
            ("{\"a\":1,}", "key must be a string at line 1 column 8"),
            ("[1 2]", "expected `,` or `]` at line 1 column 4"),
            ("{\n  \"a\" 1}", "expected `:` at line 2 column 7"),
            ("\"abc", "EOF while parsing a string at line 1 column 5"),
            ("01", "invalid number at line 1 column 1"),
            ("[1] x", "trailing characters at line 1 column 5"),
            (
                "\"\\ud800\"",
                "lone leading surrogate in hex escape at line 1 column 8",
            ),
            ("\"\\q\"", "invalid escape at line 1 column 4"),
        ] {
            assert_eq!(parse(text).unwrap_err(), message, "{text:?}");
        }
    }

    #[test]
    fn refuses_nesting_deeper_than_serde_allows() {
        let deep = |n: usize| format!("{}{}", "[".repeat(n), "]".repeat(n));
        assert!(parse(&deep(MAX_DEPTH)).is_ok());
        assert!(parse(&deep(MAX_DEPTH + 1))
            .unwrap_err()
            .starts_with("recursion limit exceeded"));
    }

    #[test]
    fn fields_refuse_repeats_and_keep_the_unknown() {
        let json = parse(r#"{"id":"a","id":"b","extra":{"x":[1]}}"#).unwrap();
        let fields = Fields::of(&json, "the entry").unwrap();
        assert_eq!(fields.text("id").unwrap_err(), "duplicate field `id`");
        assert_eq!(fields.text("name").unwrap_err(), "missing field `name`");
        assert_eq!(
            fields.others(&["id"]),
            [("extra".to_owned(), r#"{"x":[1]}"#.to_owned())]
        );
        assert_eq!(
            Fields::of(&Json::Null, "the entry").err().as_deref(),
            Some("the entry is not an object")
        );
    }

    #[test]
    fn writes_what_it_reads() {
        let text = object(|o| {
            o.string("name", "quote \" backslash \\ newline \n bell \u{7} é 🚗")
                .number("n", 42)
                .bool("yes", true)
                .strings("list", ["a", "b"])
                .object("inner", |o| {
                    o.raw("kept", r#"{"as":"written"}"#);
                });
        });
        let expected: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(
            expected["name"],
            "quote \" backslash \\ newline \n bell \u{7} é 🚗"
        );
        assert_eq!(expected["inner"]["kept"]["as"], "written");
        assert_eq!(expected["list"], serde_json::json!(["a", "b"]));
        assert_eq!(expected["n"], 42);
    }

    /// Generated JSON text, some of it broken.
    fn json_text() -> impl Strategy<Value = String> {
        let leaf = prop_oneof![
            any::<String>().prop_map(|s| serde_json::to_string(&s).unwrap()),
            any::<i64>().prop_map(|n| n.to_string()),
            any::<f64>().prop_map(|n| serde_json::to_string(&n).unwrap()),
            Just("true".to_owned()),
            Just("null".to_owned()),
            Just(r#""\ud83d\ude97 \u00e9 \n \/""#.to_owned()),
        ];
        leaf.prop_recursive(4, 32, 6, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..5)
                    .prop_map(|v| format!("[{}]", v.join(","))),
                prop::collection::vec(("[a-z\"\\\\é]{0,4}", inner), 0..5).prop_map(|m| format!(
                    "{{{}}}",
                    m.iter()
                        .map(|(k, v)| format!("{}: {v}", serde_json::to_string(k).unwrap()))
                        .collect::<Vec<_>>()
                        .join(", ")
                )),
            ]
        })
    }

    /// The tree as serde_json would see it, for comparison.
    fn to_serde(json: &Json) -> serde_json::Value {
        match json {
            Json::Null => serde_json::Value::Null,
            Json::Bool(b) => (*b).into(),
            Json::Number(text) => serde_json::from_str(text).unwrap(),
            Json::String(s) => s.as_ref().into(),
            Json::Array(items) => items.iter().map(to_serde).collect(),
            Json::Object(members) => {
                let mut map = serde_json::Map::new();
                for m in members {
                    map.insert(m.name.to_string(), to_serde(&m.value));
                }
                serde_json::Value::Object(map)
            }
        }
    }

    proptest! {
        #[test]
        fn reads_json_as_serde_does(text in json_text()) {
            let ours = parse(&text).map(|json| to_serde(&json));
            let theirs = serde_json::from_str::<serde_json::Value>(&text);
            prop_assert_eq!(ours.ok(), theirs.ok(), "{}", text);
        }

        #[test]
        fn accepts_and_refuses_what_serde_does(text in "[\\[\\]{}\",:0-9.eE+\\-a-z\\\\ ]{0,24}") {
            let ours = parse(&text).is_ok();
            let theirs = serde_json::from_str::<serde::de::IgnoredAny>(&text).is_ok();
            prop_assert_eq!(ours, theirs, "{}", text);
        }

        #[test]
        fn writes_any_text_as_serde_does(text in any::<String>()) {
            let mut ours = String::new();
            write_string(&mut ours, &text);
            prop_assert_eq!(&ours, &serde_json::to_string(&text).unwrap());
            let read = parse(&ours).unwrap();
            prop_assert_eq!(read.as_str(), Some(text.as_str()));
        }
    }
}
