//! A comment's text as the page shows it, in both modes (the publisher's file, a comment
//! service): blank lines make paragraphs, lines that start with `> ` are a quote, and
//! `http`/`https` addresses are links. Nothing else is ever markup: the text is plain text,
//! and the view puts every piece of it in the page as text, never as HTML.

/// One block of a comment's text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Block {
    Paragraph(Vec<Inline>),
    Quote(Vec<Inline>),
}

/// A piece of a block.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Inline {
    Text(String),
    /// A line break within the block.
    Break,
    /// An `http`/`https` address, shown as written and linked to itself.
    Link(String),
}

/// The blocks of a comment's text.
pub fn blocks(text: &str) -> Vec<Block> {
    let text = text.replace("\r\n", "\n").replace('\r', "\n");
    let mut blocks = Vec::new();
    for paragraph in text
        .split('\n')
        .collect::<Vec<_>>()
        .split(|line| line.trim().is_empty())
    {
        // Within a paragraph, a run of quoted lines is a quote, a run of others a paragraph.
        let mut run: Vec<&str> = Vec::new();
        let mut quoting = false;
        for line in paragraph {
            let quoted = quote_text(line);
            if !run.is_empty() && quoted.is_some() != quoting {
                blocks.push(block(quoting, &run));
                run.clear();
            }
            quoting = quoted.is_some();
            run.push(quoted.unwrap_or(line));
        }
        if !run.is_empty() {
            blocks.push(block(quoting, &run));
        }
    }
    blocks
}

/// A quoted line's text: after `> ` (or a lone `>`).
fn quote_text(line: &str) -> Option<&str> {
    let line = line.trim_start();
    match line.strip_prefix('>')? {
        "" => Some(""),
        rest => rest.strip_prefix(' '),
    }
}

fn block(quote: bool, lines: &[&str]) -> Block {
    let mut inlines = Vec::new();
    for (n, line) in lines.iter().enumerate() {
        if n > 0 {
            inlines.push(Inline::Break);
        }
        inlines.extend(linked(line));
    }
    if quote {
        Block::Quote(inlines)
    } else {
        Block::Paragraph(inlines)
    }
}

/// A line's text, with its `http`/`https` addresses as links.
fn linked(line: &str) -> Vec<Inline> {
    let mut out = Vec::new();
    let mut rest = line;
    while let Some((start, end)) = next_link(rest) {
        if start > 0 {
            out.push(Inline::Text(rest[..start].to_owned()));
        }
        out.push(Inline::Link(rest[start..end].to_owned()));
        rest = &rest[end..];
    }
    if !rest.is_empty() {
        out.push(Inline::Text(rest.to_owned()));
    }
    out
}

/// Where the next address in `text` is: it starts a word with `http://` or `https://`, has
/// a host, and runs to the next space, less the punctuation that ends a sentence around it.
fn next_link(text: &str) -> Option<(usize, usize)> {
    let mut from = 0;
    while let Some(found) = find_scheme(&text[from..]) {
        let start = from + found;
        let starts_word = text[..start]
            .chars()
            .next_back()
            .is_none_or(|c| c.is_whitespace() || "([<\"'".contains(c));
        let scheme_end = start + text[start..].find("://")? + 3;
        // An address ends at a space, or at a character no address holds unescaped.
        let end = text[start..]
            .find(|c: char| c.is_whitespace() || "\"<>`{}|\\^".contains(c))
            .map_or(text.len(), |i| start + i);
        let end = trim_trailing_punctuation(&text[start..end]) + start;
        let has_host = text[scheme_end..end]
            .chars()
            .next()
            .is_some_and(|c| c.is_alphanumeric() || c == '[');
        if starts_word && has_host {
            return Some((start, end));
        }
        from = scheme_end;
    }
    None
}

fn find_scheme(text: &str) -> Option<usize> {
    let lower = text.to_ascii_lowercase();
    [lower.find("http://"), lower.find("https://")]
        .into_iter()
        .flatten()
        .min()
}

/// The length of `url` without the punctuation that closes the sentence around it: `.`, `,`
/// and the like, quotes, and a closing bracket that the address did not open.
fn trim_trailing_punctuation(url: &str) -> usize {
    let mut end = url.len();
    while let Some(last) = url[..end].chars().next_back() {
        let unbalanced = |open: char, close: char| {
            last == close && url[..end].matches(open).count() < url[..end].matches(close).count()
        };
        if ".,;:!?'\"".contains(last) || unbalanced('(', ')') || unbalanced('[', ']') || last == '>'
        {
            end -= last.len_utf8();
        } else {
            break;
        }
    }
    end
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use Inline::{Break, Link, Text};

    fn text(s: &str) -> Inline {
        Text(s.to_owned())
    }

    fn link(s: &str) -> Inline {
        Link(s.to_owned())
    }

    #[test]
    fn blank_lines_make_paragraphs_and_lines_break() {
        assert_eq!(
            blocks("First line\nsecond line\n\n\n  \nNew paragraph\r\n\r\nLast"),
            [
                Block::Paragraph(vec![text("First line"), Break, text("second line")]),
                Block::Paragraph(vec![text("New paragraph")]),
                Block::Paragraph(vec![text("Last")]),
            ]
        );
        assert_eq!(blocks(""), Vec::<Block>::new());
        assert_eq!(blocks("\n\n"), Vec::<Block>::new());
    }

    #[test]
    fn lines_starting_with_a_quote_mark_are_a_quote() {
        assert_eq!(
            blocks("> You said this\n> and this\nI disagree.\n>not a quote\n> \n> again"),
            [
                Block::Quote(vec![text("You said this"), Break, text("and this")]),
                Block::Paragraph(vec![text("I disagree."), Break, text(">not a quote")]),
                Block::Quote(vec![Break, text("again")]),
            ]
        );
    }

    #[test]
    fn http_and_https_addresses_are_links_and_nothing_else_is() {
        assert_eq!(
            blocks("See https://example.com/a?b=1#c, or (http://x.example/path_(y)). Done"),
            [Block::Paragraph(vec![
                text("See "),
                link("https://example.com/a?b=1#c"),
                text(", or ("),
                link("http://x.example/path_(y)"),
                text("). Done"),
            ])]
        );
        for not_a_link in [
            "javascript:alert(1)",
            "JaVaScRiPt:alert(1)//http://x.example",
            "data:text/html,<script>alert(1)</script>",
            "ftp://files.example",
            "www.example.com",
            "https://",
            "https:// spaced",
            "nohttps://x.example",
            "mailto:a@example.com",
        ] {
            let shown = blocks(not_a_link);
            let links = shown.iter().flat_map(|block| match block {
                Block::Paragraph(i) | Block::Quote(i) => i.iter(),
            });
            let links: Vec<_> = links.filter(|i| matches!(i, Link(_))).collect();
            assert!(links.is_empty(), "{not_a_link}: {links:?}");
        }
        assert_eq!(
            blocks("HTTPS://EXAMPLE.COM and <https://a.example>"),
            [Block::Paragraph(vec![
                link("HTTPS://EXAMPLE.COM"),
                text(" and <"),
                link("https://a.example"),
                text(">"),
            ])]
        );
    }

    #[test]
    fn an_address_ends_where_no_address_can_go_on() {
        assert_eq!(
            blocks(r#"<a href="https://evil.example">no</a>"#),
            [Block::Paragraph(vec![
                text("<a href=\""),
                link("https://evil.example"),
                text("\">no</a>"),
            ])]
        );
    }

    #[test]
    fn markup_in_the_text_is_text() {
        assert_eq!(
            blocks("<b>bold</b> <script>alert(1)</script>"),
            [Block::Paragraph(vec![text(
                "<b>bold</b> <script>alert(1)</script>"
            )])]
        );
    }

    proptest::proptest! {
        /// Whatever the text, the blocks hold all of it: every character but line breaks and
        /// the `> ` marks of quoted lines is shown, in order.
        #[test]
        fn nothing_written_is_lost(input in "[a-z :/.>\\n()h-t]{0,80}|.{0,80}") {
            let shown: String = blocks(&input)
                .iter()
                .flat_map(|block| match block {
                    Block::Paragraph(i) | Block::Quote(i) => i.clone(),
                })
                .map(|inline| match inline {
                    Text(t) | Link(t) => t,
                    Break => String::new(),
                })
                .collect();
            let kept: String = input
                .replace('\r', "\n")
                .split('\n')
                // A blank line separates paragraphs; a quoted line shows its text.
                .filter(|line| !line.trim().is_empty())
                .map(|line| quote_text(line).unwrap_or(line).to_owned())
                .collect();
            proptest::prop_assert_eq!(shown, kept);
        }
    }
}
