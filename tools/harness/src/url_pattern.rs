//! URL path patterns as Netlify and Cloudflare Pages write them in `_redirects`
//! and `_headers`: `*` (a splat) and `:name` (a placeholder).

/// One piece of a pattern.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Token {
    /// Matches exactly this text.
    Literal(String),
    /// `*`: any run of characters, `/` included, possibly empty.
    Splat,
    /// `:name`: one path segment (one or more characters, no `/`).
    Placeholder(String),
}

/// A parsed path pattern such as `/articles/*` or `/users/:id/avatar`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct UrlPattern {
    tokens: Vec<Token>,
}

/// What a pattern captured: (`"splat"` or the placeholder's name, matched text),
/// in pattern order.
pub(crate) type Captures = Vec<(String, String)>;

/// The capture name of `*`, as the `_redirects` target refers to it (`:splat`).
const SPLAT: &str = "splat";

impl UrlPattern {
    /// Parses `pattern`. Every string is a valid pattern: a `:` not followed by
    /// a letter, like any other character, matches itself.
    pub(crate) fn parse(pattern: &str) -> UrlPattern {
        let mut tokens = Vec::new();
        let mut literal = String::new();
        let mut rest = pattern;
        while let Some(c) = rest.chars().next() {
            if c == '*' {
                flush(&mut literal, &mut tokens);
                tokens.push(Token::Splat);
                rest = &rest[1..];
            } else if let Some((name, after)) = placeholder_at(rest) {
                flush(&mut literal, &mut tokens);
                tokens.push(Token::Placeholder(name.to_owned()));
                rest = after;
            } else {
                literal.push(c);
                rest = &rest[c.len_utf8()..];
            }
        }
        flush(&mut literal, &mut tokens);
        UrlPattern { tokens }
    }

    /// Whether `path` matches the whole pattern.
    pub(crate) fn matches(&self, path: &str) -> bool {
        self.captures(path).is_some()
    }

    /// What `*` and each `:name` matched, if `path` matches the whole pattern.
    /// A splat takes as much as it can while the rest still matches.
    pub(crate) fn captures(&self, path: &str) -> Option<Captures> {
        let mut captures = Vec::new();
        match_tokens(&self.tokens, path, &mut captures).then_some(captures)
    }
}

/// `:name` at the start of `text` (a letter, then letters, digits or `_`):
/// the name and the text after it.
pub(crate) fn placeholder_at(text: &str) -> Option<(&str, &str)> {
    let after_colon = text.strip_prefix(':')?;
    if !after_colon.starts_with(|c: char| c.is_ascii_alphabetic()) {
        return None;
    }
    let end = after_colon
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .unwrap_or(after_colon.len());
    Some((&after_colon[..end], &after_colon[end..]))
}

fn flush(literal: &mut String, tokens: &mut Vec<Token>) {
    if !literal.is_empty() {
        tokens.push(Token::Literal(std::mem::take(literal)));
    }
}

/// Backtracking match of `tokens` against all of `path`, pushing captures.
/// Patterns and paths are short, so trying every split is cheap.
fn match_tokens(tokens: &[Token], path: &str, captures: &mut Captures) -> bool {
    let Some((token, rest_tokens)) = tokens.split_first() else {
        return path.is_empty();
    };
    match token {
        Token::Literal(text) => path
            .strip_prefix(text.as_str())
            .is_some_and(|rest| match_tokens(rest_tokens, rest, captures)),
        Token::Splat => try_splits(SPLAT, path, path.len(), 0, rest_tokens, captures),
        Token::Placeholder(name) => {
            let segment_end = path.find('/').unwrap_or(path.len());
            try_splits(name, path, segment_end, 1, rest_tokens, captures)
        }
    }
}

/// Tries `path[..end]` as the capture `name`, longest first down to
/// `min_len` bytes, and the rest of the pattern on what follows.
fn try_splits(
    name: &str,
    path: &str,
    max_len: usize,
    min_len: usize,
    rest_tokens: &[Token],
    captures: &mut Captures,
) -> bool {
    for end in (min_len..=max_len).rev() {
        if !path.is_char_boundary(end) {
            continue;
        }
        captures.push((name.to_owned(), path[..end].to_owned()));
        if match_tokens(rest_tokens, &path[end..], captures) {
            return true;
        }
        captures.pop();
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    fn captures(pattern: &str, path: &str) -> Option<Vec<(String, String)>> {
        UrlPattern::parse(pattern).captures(path)
    }

    fn pairs(list: &[(&str, &str)]) -> Option<Vec<(String, String)>> {
        Some(
            list.iter()
                .map(|(name, value)| ((*name).to_owned(), (*value).to_owned()))
                .collect(),
        )
    }

    #[test]
    fn literal_patterns_match_exactly() {
        let pattern = UrlPattern::parse("/about");
        assert!(pattern.matches("/about"));
        assert!(!pattern.matches("/about/"));
        assert!(!pattern.matches("/about-us"));
        assert!(!pattern.matches("/"));
    }

    #[test]
    fn splat_matches_any_rest_including_slashes() {
        assert_eq!(
            captures("/articles/*", "/articles/a/b.html"),
            pairs(&[("splat", "a/b.html")])
        );
        assert_eq!(
            captures("/articles/*", "/articles/"),
            pairs(&[("splat", "")])
        );
        assert_eq!(captures("/articles/*", "/articles"), None);
        assert_eq!(captures("/articles/*", "/other/x"), None);
        assert_eq!(captures("/*", "/"), pairs(&[("splat", "")]));
    }

    #[test]
    fn splat_in_the_middle_backtracks() {
        let pattern = UrlPattern::parse("/*.js");
        assert!(pattern.matches("/a/b/app.js"));
        assert!(!pattern.matches("/a/b/app.json"));
        assert_eq!(
            captures("/*/x/*", "/a/x/b/x/c"),
            pairs(&[("splat", "a/x/b"), ("splat", "c")])
        );
    }

    #[test]
    fn placeholders_match_one_segment() {
        assert_eq!(
            captures("/users/:id/avatar", "/users/42/avatar"),
            pairs(&[("id", "42")])
        );
        assert_eq!(captures("/users/:id/avatar", "/users/4/2/avatar"), None);
        assert_eq!(captures("/users/:id", "/users/"), None, "never empty");
        assert_eq!(
            captures("/:lang/:page_2", "/en/news"),
            pairs(&[("lang", "en"), ("page_2", "news")])
        );
    }

    #[test]
    fn colon_without_a_name_is_literal() {
        let pattern = UrlPattern::parse("/a:1/:");
        assert!(pattern.matches("/a:1/:"));
        assert!(!pattern.matches("/a:1/x"));
    }

    #[test]
    fn non_ascii_paths_match_on_character_boundaries() {
        assert_eq!(
            captures("/caf*/:x", "/café/été"),
            pairs(&[("splat", "é"), ("x", "été")])
        );
    }
}
