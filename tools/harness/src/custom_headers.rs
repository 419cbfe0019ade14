//! `_headers` (Netlify, Cloudflare Pages): extra response headers per path
//! pattern. The site build writes this file, so the server applies it the
//! way those hosts do, and tests see the headers users will get.

use std::fs;
use std::path::Path;

use crate::request_path::decode_path;
use crate::url_pattern::UrlPattern;

/// The rules file, at the top of the served directory.
pub(crate) const FILE_NAME: &str = "_headers";

/// Headers that describe the body the server actually sends (its size,
/// encoding and type), so `_headers` must not change them.
const SERVER_CONTROLLED: [&str; 3] = ["Content-Length", "Content-Encoding", "Content-Type"];

/// A path pattern and the headers for responses to paths it matches.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct HeaderBlock {
    pub(crate) pattern: UrlPattern,
    /// One entry per name (compared case-insensitively), in file order.
    pub(crate) headers: Vec<(String, String)>,
}

/// The blocks in `root`'s `_headers`, read afresh so a rebuild takes effect
/// at once. A missing or unreadable file means no blocks.
pub(crate) fn load(root: &Path) -> Vec<HeaderBlock> {
    fs::read(root.join(FILE_NAME))
        .map(|bytes| parse_headers(&String::from_utf8_lossy(&bytes)))
        .unwrap_or_default()
}

/// The `_headers` headers for a request to `path` (as sent, percent-encoded),
/// read from `root`. Patterns are matched against the decoded path.
pub(crate) fn for_request(root: &Path, path: &str) -> Vec<(String, String)> {
    let decoded = decode_path(path).unwrap_or_else(|_| path.to_owned());
    headers_for(&load(root), &decoded)
}

/// Parses `_headers` text: an unindented line is a path pattern, the
/// indented `Name: value` lines after it are its headers. Comment lines
/// (`#`) and blank lines are ignored. A malformed line is skipped (and a
/// malformed pattern drops the headers under it), so one typo does not
/// stop the site from being served. A name given twice in one block gets
/// both values, joined with `, ` as both hosts do.
pub(crate) fn parse_headers(text: &str) -> Vec<HeaderBlock> {
    let mut blocks: Vec<HeaderBlock> = Vec::new();
    // Whether header lines belong to the last block (false after a bad pattern).
    let mut in_block = false;
    for line in text.lines() {
        let trimmed = line.trim();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        if !line.starts_with(char::is_whitespace) {
            in_block = trimmed.starts_with('/');
            if in_block {
                blocks.push(HeaderBlock {
                    pattern: UrlPattern::parse(trimmed),
                    headers: Vec::new(),
                });
            }
            continue;
        }
        let Some(block) = blocks.last_mut().filter(|_| in_block) else {
            continue;
        };
        if let Some((name, value)) = parse_header_line(trimmed) {
            match find_header(&mut block.headers, name) {
                Some(existing) => {
                    existing.push_str(", ");
                    existing.push_str(value);
                }
                None => block.headers.push((name.to_owned(), value.to_owned())),
            }
        }
    }
    blocks.retain(|block| !block.headers.is_empty());
    blocks
}

/// `Name: value`, if the name is a valid HTTP header name.
fn parse_header_line(line: &str) -> Option<(&str, &str)> {
    let (name, value) = line.split_once(':')?;
    let name = name.trim();
    let is_token = |byte: u8| byte.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&byte);
    (!name.is_empty() && name.bytes().all(is_token)).then_some((name, value.trim()))
}

/// The value stored under `name` (case-insensitive), if any.
fn find_header<'a>(headers: &'a mut [(String, String)], name: &str) -> Option<&'a mut String> {
    headers
        .iter_mut()
        .find(|(existing, _)| existing.eq_ignore_ascii_case(name))
        .map(|(_, value)| value)
}

/// The headers for a response to `path` (a decoded URL path): those of every
/// matching block, in file order; where two blocks set one name, the values
/// are joined with `, ` as Cloudflare Pages joins them (Netlify would keep the
/// later one: the site's build never sets a name in two matching blocks). Headers the server must control (`Content-Length`,
/// `Content-Encoding`, `Content-Type`) are left out.
pub(crate) fn headers_for(blocks: &[HeaderBlock], path: &str) -> Vec<(String, String)> {
    let mut headers: Vec<(String, String)> = Vec::new();
    let matching = blocks.iter().filter(|block| block.pattern.matches(path));
    for (name, value) in matching.flat_map(|block| &block.headers) {
        if SERVER_CONTROLLED
            .iter()
            .any(|controlled| controlled.eq_ignore_ascii_case(name))
        {
            continue;
        }
        match find_header(&mut headers, name) {
            Some(existing) => {
                existing.push_str(", ");
                existing.push_str(value);
            }
            None => headers.push((name.clone(), value.clone())),
        }
    }
    headers
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter()
            .map(|(name, value)| ((*name).to_owned(), (*value).to_owned()))
            .collect()
    }

    const SAMPLE: &str = "\
# Written by the build
/*
  X-Frame-Options: DENY
  Cache-Control: no-cache

/assets/*
  Cache-Control: public, max-age=31536000, immutable
/users/:id
  X-User-Page: yes
";

    #[test]
    fn parses_blocks_comments_and_blank_lines() {
        let blocks = parse_headers(SAMPLE);
        assert_eq!(blocks.len(), 3);
        assert_eq!(blocks[0].pattern, UrlPattern::parse("/*"));
        assert_eq!(
            blocks[0].headers,
            pairs(&[("X-Frame-Options", "DENY"), ("Cache-Control", "no-cache")])
        );
        assert_eq!(blocks[2].headers, pairs(&[("X-User-Page", "yes")]));
    }

    #[test]
    fn every_matching_block_applies_and_values_set_twice_are_joined() {
        let blocks = parse_headers(SAMPLE);
        assert_eq!(
            headers_for(&blocks, "/assets/app.js"),
            pairs(&[
                ("X-Frame-Options", "DENY"),
                (
                    "Cache-Control",
                    "no-cache, public, max-age=31536000, immutable"
                ),
            ])
        );
        assert_eq!(
            headers_for(&blocks, "/index.html"),
            pairs(&[("X-Frame-Options", "DENY"), ("Cache-Control", "no-cache")])
        );
    }

    #[test]
    fn a_later_block_adds_to_a_name_case_insensitively() {
        let blocks = parse_headers("/a\n  x-test: first\n/a\n  X-Test: second\n");
        assert_eq!(
            headers_for(&blocks, "/a"),
            pairs(&[("x-test", "first, second")])
        );
    }

    #[test]
    fn placeholders_match_one_segment() {
        let blocks = parse_headers(SAMPLE);
        let has_user_header = |path: &str| {
            headers_for(&blocks, path)
                .iter()
                .any(|(n, _)| n == "X-User-Page")
        };
        assert!(has_user_header("/users/42"));
        assert!(!has_user_header("/users/42/posts"));
        assert!(!has_user_header("/users/"));
    }

    #[test]
    fn repeated_name_in_one_block_joins_values() {
        let blocks = parse_headers("/*\n  Link: </a.css>; rel=preload\n  link: </b.js>\n");
        assert_eq!(
            headers_for(&blocks, "/"),
            pairs(&[("Link", "</a.css>; rel=preload, </b.js>")])
        );
    }

    #[test]
    fn skips_malformed_lines_and_orphan_headers() {
        let blocks = parse_headers(
            "  X-Orphan: before any pattern\n\
             https://example.com/*\n  X-Under-Bad-Pattern: 1\n\
             /ok\n  no colon here\n  Bad Name: 1\n  : empty name\n  X-Good: 1\n\
             /empty-block\n",
        );
        assert_eq!(blocks.len(), 1);
        assert_eq!(blocks[0].headers, pairs(&[("X-Good", "1")]));
    }

    #[test]
    fn server_controlled_headers_are_left_out() {
        let blocks = parse_headers(
            "/*\n  Content-Type: text/plain\n  content-length: 1\n  Content-Encoding: br\n  X-A: 1\n",
        );
        assert_eq!(headers_for(&blocks, "/x"), pairs(&[("X-A", "1")]));
    }

    #[test]
    fn no_match_means_no_headers() {
        assert!(headers_for(&parse_headers(SAMPLE), "relative").is_empty());
        assert!(headers_for(&[], "/").is_empty());
    }
}
