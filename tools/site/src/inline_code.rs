//! What a written page runs or styles inline, read from its HTML: the Content-Security-Policy
//! allows each inline script by its hash, and allows no inline style at all. Anything the
//! policy could not allow (an inline style, an event-handler attribute, a `javascript:`
//! URL) is refused here, so the build fails instead of the browser blocking it.
//!
//! This reads the HTML the build itself writes (Trunk's page with the app's markup in it),
//! not any HTML: tags, attributes, comments and the raw text of `<script>`, `<style>`,
//! `<title>` and `<textarea>`, as the HTML parser splits them.

/// The inline scripts a page runs, each as the exact text the browser hashes.
#[derive(Debug, PartialEq, Eq)]
pub struct InlineScripts(pub Vec<String>);

/// Reads `html`; the error says what the policy would block, and where.
pub fn inline_scripts(html: &str) -> Result<InlineScripts, String> {
    let mut scripts = Vec::new();
    let mut rest = html;
    while let Some(open) = rest.find('<') {
        let at = &rest[open..];
        if let Some(comment) = at.strip_prefix("<!--") {
            rest = comment.find("-->").map_or("", |end| &comment[end + 3..]);
            continue;
        }
        let Some(tag) = StartTag::parse(at) else {
            // An end tag, a doctype, or a `<` that starts no tag: nothing runs there.
            rest = &at[1..];
            rest = match at.as_bytes().get(1) {
                Some(b'/' | b'!' | b'?') => at.find('>').map_or("", |end| &at[end + 1..]),
                _ => rest,
            };
            continue;
        };
        tag.check_attributes()?;
        let after_tag = &at[tag.len..];
        rest = match tag.name.as_str() {
            "style" => {
                return Err(
                    "a <style> element (style-src 'self' allows stylesheets from files only)"
                        .into(),
                )
            }
            "script" | "title" | "textarea" => {
                let (text, after) = raw_text(after_tag, &tag.name);
                if tag.name == "script" && tag.runs_inline() {
                    scripts.push(normalize_newlines(text));
                }
                after
            }
            _ => after_tag,
        };
    }
    Ok(InlineScripts(scripts))
}

/// A start tag: its lower-case name, its attributes (values as written) and its length.
struct StartTag {
    name: String,
    attributes: Vec<(String, String)>,
    len: usize,
}

impl StartTag {
    /// The start tag at the beginning of `text` (which starts with `<`), if there is one.
    fn parse(text: &str) -> Option<StartTag> {
        let bytes = text.as_bytes();
        if !bytes.get(1)?.is_ascii_alphabetic() {
            return None;
        }
        let name_end = 1 + text[1..]
            .find(|c: char| c.is_ascii_whitespace() || c == '/' || c == '>')
            .unwrap_or(text.len() - 1);
        let name = text[1..name_end].to_ascii_lowercase();
        let mut attributes = Vec::new();
        let mut i = name_end;
        loop {
            while i < bytes.len() && (bytes[i].is_ascii_whitespace() || bytes[i] == b'/') {
                i += 1;
            }
            match bytes.get(i) {
                None => return None,
                Some(b'>') => break,
                Some(_) => {}
            }
            let start = i;
            i += 1;
            while i < bytes.len()
                && !matches!(bytes[i], b'=' | b'>' | b'/')
                && !bytes[i].is_ascii_whitespace()
            {
                i += 1;
            }
            let attribute = text[start..i].to_ascii_lowercase();
            while i < bytes.len() && bytes[i].is_ascii_whitespace() {
                i += 1;
            }
            let mut value = "";
            if bytes.get(i) == Some(&b'=') {
                i += 1;
                while i < bytes.len() && bytes[i].is_ascii_whitespace() {
                    i += 1;
                }
                match bytes.get(i) {
                    Some(&quote @ (b'"' | b'\'')) => {
                        let end = text[i + 1..].find(quote as char)? + i + 1;
                        value = &text[i + 1..end];
                        i = end + 1;
                    }
                    _ => {
                        let start = i;
                        while i < bytes.len() && bytes[i] != b'>' && !bytes[i].is_ascii_whitespace()
                        {
                            i += 1;
                        }
                        value = &text[start..i];
                    }
                }
            }
            attributes.push((attribute, value.to_owned()));
        }
        Some(StartTag {
            name,
            attributes,
            len: i + 1,
        })
    }

    fn attribute(&self, name: &str) -> Option<&str> {
        self.attributes
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// Refuses what no hash can allow: inline styles, event handlers and `javascript:` URLs.
    fn check_attributes(&self) -> Result<(), String> {
        for (name, value) in &self.attributes {
            if name == "style" {
                return Err(format!(
                    "a style attribute on <{}> (style-src 'self' blocks inline styles)",
                    self.name
                ));
            }
            if name.starts_with("on") {
                return Err(format!(
                    "an event-handler attribute {name} on <{}> (script-src allows no inline handlers)",
                    self.name
                ));
            }
            if !URL_ATTRIBUTES.contains(&name.as_str()) {
                continue;
            }
            let url: String = value
                .chars()
                .filter(|c| !c.is_ascii_whitespace() && !c.is_ascii_control())
                .collect();
            if url.to_ascii_lowercase().starts_with("javascript:") {
                return Err(format!(
                    "a javascript: URL in {name} on <{}> (script-src blocks it)",
                    self.name
                ));
            }
        }
        Ok(())
    }

    /// Whether this `<script>` runs its own text: it has no `src`, and its type is one a
    /// browser executes (and checks against script-src) rather than a data block such as
    /// `application/ld+json`.
    fn runs_inline(&self) -> bool {
        if self.attribute("src").is_some() {
            return false;
        }
        let kind = self
            .attribute("type")
            .unwrap_or_default()
            .trim()
            .to_ascii_lowercase();
        kind.is_empty()
            || matches!(kind.as_str(), "module" | "importmap" | "speculationrules")
            || JAVASCRIPT_TYPES.contains(&kind.as_str())
    }
}

/// The attributes whose value is a URL the browser follows or loads: only there does a
/// `javascript:` URL run. The same words in any other attribute (a headline in `content`,
/// `alt` or `title`) are text.
const URL_ATTRIBUTES: [&str; 12] = [
    "action",
    "background",
    "cite",
    "codebase",
    "data",
    "formaction",
    "href",
    "longdesc",
    "manifest",
    "poster",
    "src",
    "xlink:href",
];

/// The MIME types HTML runs as a classic script (its "JavaScript MIME type essence match").
const JAVASCRIPT_TYPES: [&str; 16] = [
    "application/ecmascript",
    "application/javascript",
    "application/x-ecmascript",
    "application/x-javascript",
    "text/ecmascript",
    "text/javascript",
    "text/javascript1.0",
    "text/javascript1.1",
    "text/javascript1.2",
    "text/javascript1.3",
    "text/javascript1.4",
    "text/javascript1.5",
    "text/jscript",
    "text/livescript",
    "text/x-ecmascript",
    "text/x-javascript",
];

/// The raw text of an element up to its end tag (`</name`, any case), and what follows
/// that end tag.
fn raw_text<'a>(text: &'a str, name: &str) -> (&'a str, &'a str) {
    let close = format!("</{name}");
    let lower = text.to_ascii_lowercase();
    match lower.find(&close) {
        Some(end) => {
            let after = &text[end..];
            let after = after.find('>').map_or("", |gt| &after[gt + 1..]);
            (&text[..end], after)
        }
        None => (text, ""),
    }
}

/// The parser turns every CR LF and lone CR into LF before a script's text exists; the hash
/// is of that text.
fn normalize_newlines(text: &str) -> String {
    text.replace("\r\n", "\n").replace('\r', "\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scripts(html: &str) -> Vec<String> {
        inline_scripts(html).unwrap().0
    }

    #[test]
    fn finds_the_scripts_a_page_runs_and_not_its_data() {
        let html = r#"<!DOCTYPE html><html><head><title>a <script>x</script></title>
            <!-- <script>commented()</script> <div style="x"> -->
            <script type="module">import init from '/app.js';
init();</script>
            <script type="application/ld+json">{"@type":"NewsArticle"}</script>
            <SCRIPT>classic()</SCRIPT >
            <script src="/app.js"></script>
            <script type="text/JavaScript ">typed()</script>
            <script type="text/plain">not run</script>
            </head><body><p title='a > b'>1 < 2</p><textarea><style></textarea></body></html>"#;
        assert_eq!(
            scripts(html),
            [
                "import init from '/app.js';\ninit();",
                "classic()",
                "typed()"
            ]
        );
    }

    #[test]
    fn hashes_the_text_as_the_parser_leaves_it() {
        assert_eq!(
            scripts("<script>a();\r\nb();\rc();</script>"),
            ["a();\nb();\nc();"]
        );
        assert_eq!(scripts("<script></script>"), [""]);
    }

    #[test]
    fn refuses_inline_styles_handlers_and_javascript_urls() {
        for (html, expected) in [
            (
                "<div style=\"color:red\">x</div>",
                "a style attribute on <div>",
            ),
            ("<p STYLE=''>x</p>", "a style attribute on <p>"),
            ("<style>p{}</style>", "a <style> element"),
            (
                "<img src=x onerror=alert(1)>",
                "an event-handler attribute onerror on <img>",
            ),
            (
                "<a href=\" JavaScript:alert(1)\">x</a>",
                "a javascript: URL in href on <a>",
            ),
            (
                "<form action='javascript:go()'></form>",
                "a javascript: URL in action on <form>",
            ),
            (
                "<button formaction=javascript:go()>x</button>",
                "a javascript: URL in formaction on <button>",
            ),
            (
                "<iframe src=\"java\tscript:go()\"></iframe>",
                "a javascript: URL in src on <iframe>",
            ),
        ] {
            let err = inline_scripts(html).unwrap_err();
            assert!(err.contains(expected), "{html}: {err}");
        }
    }

    #[test]
    fn a_javascript_headline_is_text_outside_url_attributes() {
        let html = "<head><meta property=\"og:title\" content=\"JavaScript: why infotainment lags\">\
             <title>JavaScript: why infotainment lags</title></head>\
             <body><img src=/a.png alt=\"javascript: a dashboard\" title='JavaScript: why'>\
             <a href=\"/articles/javascript-why\" data-title=\"javascript:x\">JavaScript: why</a></body>";
        assert_eq!(scripts(html), Vec::<String>::new());
    }

    #[test]
    fn the_words_in_text_and_attribute_values_are_not_markup() {
        let html =
            "<p data-x=\"<div style='x'>\">style=\"x\" onclick=\"y\"</p><p class=onion>on</p>";
        assert_eq!(scripts(html), Vec::<String>::new());
    }
}
