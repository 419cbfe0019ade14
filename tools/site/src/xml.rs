//! Text written into the XML files the build writes (the sitemap and the feed).

/// `text` as XML character data or a quoted attribute value: the five markup characters
/// escaped, and the characters XML 1.0 does not allow at all (control characters other
/// than tab, line feed and carriage return, U+FFFE and U+FFFF) left out, since no escape
/// can carry them and one would make the whole file unreadable to a crawler.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for ch in text.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(ch),
            c if c < ' ' || c == '\u{FFFE}' || c == '\u{FFFF}' => {}
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::escape;

    #[test]
    fn escapes_markup_and_drops_what_xml_cannot_hold() {
        assert_eq!(
            escape(r#"Fast & <furious> "cars" 'n' more"#),
            "Fast &amp; &lt;furious&gt; &quot;cars&quot; &apos;n&apos; more"
        );
        assert_eq!(escape("a\u{0}b\u{1b}c\td\u{FFFF}"), "abc\td");
        assert_eq!(escape("Škoda — 5★"), "Škoda — 5★");
    }
}
