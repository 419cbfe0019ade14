//! `_redirects` (Netlify, Cloudflare Pages): rewrites and redirects by path
//! pattern, read the way Cloudflare Pages reads them: a rule applies whether
//! or not a file matches the path, and only the statuses Cloudflare accepts
//! (200, 301, 302, 303, 307, 308) make a rule. The site's build writes no
//! rules (see `tools/site`); a site that has some is served as that host would.

use std::fs;
use std::path::Path;

use crate::url_pattern::{placeholder_at, Captures, UrlPattern};

/// The rules file, at the top of the served directory.
pub(crate) const FILE_NAME: &str = "_redirects";

/// Cloudflare Pages' default when a rule gives no status (Netlify's is 301).
const DEFAULT_STATUS: u16 = 302;

/// One line of `_redirects`: `FROM TO [STATUS]`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct RedirectRule {
    pub(crate) from: UrlPattern,
    /// May refer to `:splat` and to `:name` placeholders of `from`.
    pub(crate) to: String,
    pub(crate) status: u16,
}

/// What the first matching rule says to do, placeholders already filled in.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum RedirectOutcome {
    /// Answer as for a request for `path` (a URL path, percent-encoded): a
    /// rewrite (status 200), the browser's address stays.
    Rewrite { path: String },
    /// Answer `status` with a `Location: location` header.
    Redirect { location: String, status: u16 },
}

/// The rules in `root`'s `_redirects`, read afresh so a rebuild takes effect
/// at once. A missing or unreadable file means no rules.
pub(crate) fn load(root: &Path) -> Vec<RedirectRule> {
    fs::read(root.join(FILE_NAME))
        .map(|bytes| parse_redirects(&String::from_utf8_lossy(&bytes)))
        .unwrap_or_default()
}

/// Parses `_redirects` text. Comment lines (`#`) and blank lines are
/// ignored; a malformed line (not a path, a status Cloudflare Pages refuses,
/// extra fields) is skipped rather than failing the whole file, as that host
/// skips it with a warning.
pub(crate) fn parse_redirects(text: &str) -> Vec<RedirectRule> {
    text.lines().filter_map(parse_line).collect()
}

fn parse_line(line: &str) -> Option<RedirectRule> {
    let line = line.trim();
    if line.starts_with('#') {
        return None;
    }
    let fields: Vec<&str> = line.split_whitespace().collect();
    let (from, to, status) = match fields[..] {
        [from, to] => (from, to, DEFAULT_STATUS),
        [from, to, status] => (from, to, status.parse().ok()?),
        _ => return None,
    };
    if !from.starts_with('/') || !is_supported(status) || loops(from, to) {
        return None;
    }
    Some(RedirectRule {
        from: UrlPattern::parse(from),
        to: to.to_owned(),
        status,
    })
}

/// 200 (rewrite) and the redirect statuses: what Cloudflare Pages accepts.
/// Anything else, Netlify's 404 rules and forced `200!` among them, is refused.
fn is_supported(status: u16) -> bool {
    status == 200 || is_redirect(status)
}

/// A rule from a folder to its own `index` page (`/* /index.html 200`, the
/// usual single-page-app rule): Cloudflare Pages refuses it, since its
/// redirect from `/index.html` to `/` would meet the rule again.
fn loops(from: &str, to: &str) -> bool {
    let to_is_path = !to.contains("://");
    (from.ends_with('/') || from.ends_with("/*"))
        && (to.ends_with("/index") || to.ends_with("/index.html"))
        && to_is_path
}

fn is_redirect(status: u16) -> bool {
    matches!(status, 301 | 302 | 303 | 307 | 308)
}

/// The outcome of the first rule whose pattern matches `path` (a decoded URL
/// path), with `:splat` and `:name` in its target replaced by what they matched.
pub(crate) fn find_redirect(rules: &[RedirectRule], path: &str) -> Option<RedirectOutcome> {
    rules.iter().find_map(|rule| {
        let captures = rule.from.captures(path)?;
        let target = substitute(&rule.to, &captures);
        Some(if is_redirect(rule.status) {
            RedirectOutcome::Redirect {
                location: encode_unsafe(&target, is_unsafe_in_location),
                status: rule.status,
            }
        } else {
            RedirectOutcome::Rewrite { path: target }
        })
    })
}

/// `to` with every `:name` that was captured replaced by its (percent-encoded)
/// value; other text, including unknown `:names`, is kept.
fn substitute(to: &str, captures: &Captures) -> String {
    let mut out = String::with_capacity(to.len());
    let mut rest = to;
    while let Some(colon) = rest.find(':') {
        out.push_str(&rest[..colon]);
        rest = &rest[colon..];
        let captured = placeholder_at(rest).and_then(|(name, after)| {
            let (_, value) = captures.iter().find(|(captured, _)| captured == name)?;
            Some((value, after))
        });
        match captured {
            Some((value, after)) => {
                out.push_str(&encode_unsafe(value, is_unsafe_in_path));
                rest = after;
            }
            None => {
                out.push(':');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// Percent-encodes every byte of `text` for which `is_unsafe` holds.
fn encode_unsafe(text: &str, is_unsafe: fn(u8) -> bool) -> String {
    let mut out = String::with_capacity(text.len());
    for &byte in text.as_bytes() {
        if is_unsafe(byte) {
            out.push_str(&format!("%{byte:02X}"));
        } else {
            out.push(byte as char);
        }
    }
    out
}

/// Captured text is decoded, so it is encoded again before it goes into a
/// URL: everything but the characters a path may hold as they are. A `%`
/// is encoded too, so the text decodes back to itself.
fn is_unsafe_in_path(byte: u8) -> bool {
    !(byte.is_ascii_alphanumeric() || b"-._~!$&'()*+,;=:@/".contains(&byte))
}

/// A Location header must be ASCII without spaces or control characters; the
/// rest of the target is left as written (it may hold `%` escapes or a query).
fn is_unsafe_in_location(byte: u8) -> bool {
    !byte.is_ascii_graphic()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rewrite(path: &str) -> Option<RedirectOutcome> {
        Some(RedirectOutcome::Rewrite {
            path: path.to_owned(),
        })
    }

    fn redirect(location: &str, status: u16) -> Option<RedirectOutcome> {
        Some(RedirectOutcome::Redirect {
            location: location.to_owned(),
            status,
        })
    }

    #[test]
    fn parses_fields_comments_and_blank_lines() {
        let rules = parse_redirects(
            "# Written by the build\n\
             \n\
             /articles/*  /articles/x.html  200\n\
             \t/old   /new\r\n\
             /moved /new 308 \n",
        );
        let summary: Vec<(&str, u16)> = rules.iter().map(|r| (r.to.as_str(), r.status)).collect();
        assert_eq!(
            summary,
            [("/articles/x.html", 200), ("/new", 302), ("/new", 308)]
        );
        assert_eq!(rules[0].from, UrlPattern::parse("/articles/*"));
    }

    #[test]
    fn status_defaults_to_302() {
        let rules = parse_redirects("/a /b");
        assert_eq!(find_redirect(&rules, "/a"), redirect("/b", 302));
    }

    #[test]
    fn skips_malformed_lines() {
        let rules = parse_redirects(
            "/only-from\n\
             /a /b 200 extra\n\
             /a /b abc\n\
             /a /b 200!\n\
             /a /b 410\n\
             /a /404.html 404\n\
             https://example.com/* /x 301\n\
             not-a-path /x\n\
             /* /index.html 200\n\
             /app/ /app/index 301\n\
             /kept /ok 302\n",
        );
        assert_eq!(rules.len(), 1);
        assert_eq!(rules[0].to, "/ok");
    }

    #[test]
    fn first_matching_rule_wins() {
        let rules = parse_redirects(
            "/news/special /special 302\n\
             /news/* /blog/:splat 301\n\
             /* /app.html 200\n",
        );
        assert_eq!(
            find_redirect(&rules, "/news/special"),
            redirect("/special", 302)
        );
        assert_eq!(
            find_redirect(&rules, "/news/2024/x"),
            redirect("/blog/2024/x", 301)
        );
        assert_eq!(find_redirect(&rules, "/other"), rewrite("/app.html"));
        assert_eq!(find_redirect(&parse_redirects("/a /b"), "/c"), None);
    }

    #[test]
    fn splat_and_placeholders_fill_the_target() {
        let rules = parse_redirects(
            "/docs/* /manual/:splat/page.html 200\n\
             /u/:user/p/:post https://example.com/:user?post=:post&x=:unknown 308\n",
        );
        assert_eq!(
            find_redirect(&rules, "/docs/a/b"),
            rewrite("/manual/a/b/page.html")
        );
        assert_eq!(
            find_redirect(&rules, "/u/ann/p/7"),
            redirect("https://example.com/ann?post=7&x=:unknown", 308)
        );
    }

    #[test]
    fn captured_text_is_percent_encoded_again() {
        let rules = parse_redirects("/f/* /files/:splat 302\n/g/* /h/:splat 200");
        assert_eq!(
            find_redirect(&rules, "/f/my car/é?#%"),
            redirect("/files/my%20car/%C3%A9%3F%23%25", 302)
        );
        assert_eq!(find_redirect(&rules, "/g/a b"), rewrite("/h/a%20b"));
    }

    #[test]
    fn location_is_made_ascii() {
        let rules = parse_redirects("/x /café 301");
        assert_eq!(find_redirect(&rules, "/x"), redirect("/caf%C3%A9", 301));
    }
}
