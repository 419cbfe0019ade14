//! The publisher's site settings (`site.json` at the project's root): the site's name, its
//! canonical origin, language, publisher, the origins media may come from, and the comment
//! service, if any. The build reads them for the pages, heads, sitemap, feed and headers it
//! writes, and writes them into every page ([`SETTINGS_ELEMENT`]), where the app reads them:
//! the app's code never depends on them, so changing them needs no new wasm.

use super::decode::{from_json, DecodeError};
use serde::{Deserialize, Serialize};

/// The project's own settings (what the build reads unless told otherwise), for tests.
#[cfg(not(target_arch = "wasm32"))]
pub const SITE_JSON: &str = include_str!("../../site.json");

/// The id of the `<script type="application/json">` in every page's head that holds the
/// settings the page was built with.
pub const SETTINGS_ELEMENT: &str = "my-garage-site";

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SiteSettings {
    /// "My Garage": in every title, the header, the feed.
    pub name: String,
    /// "motoring news": after the name in the front page's title and the footer.
    pub tagline: String,
    /// The front page's description.
    pub description: String,
    /// Where the site is published, such as `https://www.example.com`: canonical links,
    /// the sitemap and the feed are absolute URLs under it (and the deploy's base path).
    pub origin: String,
    /// The pages' language, a BCP 47 tag such as `en-GB`.
    pub language: String,
    pub publisher: Publisher,
    /// Origins (`https://images.example.com`) that article images may be loaded from, beside
    /// the site itself: the Content-Security-Policy allows them and nothing else.
    #[serde(default)]
    pub media_origins: Vec<String>,
    /// The comment service readers' comments go to; without it, comments are the
    /// publisher's file plus what each reader keeps in their own browser.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comments: Option<CommentService>,
}

/// A comment service beside the site (`"comments": {"service": "isso", "url": ...}`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CommentService {
    pub service: ServiceKind,
    /// Where the service answers: https, or http on loopback only; ends with `/`.
    pub url: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ServiceKind {
    /// Isso (<https://isso-comments.de>), a small self-hosted comment server.
    Isso,
}

impl CommentService {
    /// Checks the address (https, or http on loopback only) and gives it a trailing `/`.
    pub fn checked(service: ServiceKind, url: &str) -> Result<CommentService, DecodeError> {
        let url = url.trim();
        let secure = url.starts_with("https://");
        let loopback = ["http://127.0.0.1", "http://localhost", "http://[::1]"]
            .iter()
            .any(|host| {
                url.strip_prefix(host)
                    .is_some_and(|rest| rest.is_empty() || rest.starts_with([':', '/']))
            });
        if !(secure || loopback) || origin_of(url).is_none() {
            return Err(DecodeError(format!(
                "`comments.url` \"{url}\" must be an https address (or http on this machine, 127.0.0.1 or localhost)"
            )));
        }
        let url = if url.ends_with('/') {
            url.to_owned()
        } else {
            format!("{url}/")
        };
        Ok(CommentService { service, url })
    }

    /// The service's origin (scheme, host and port), for the Content-Security-Policy.
    pub fn origin(&self) -> &str {
        origin_of(&self.url).unwrap_or(&self.url)
    }
}

/// `https://host[:port]` of a URL, if it has a host.
fn origin_of(url: &str) -> Option<&str> {
    let after_scheme = url.find("://")? + 3;
    let end = url[after_scheme..]
        .find(['/', '?', '#'])
        .map_or(url.len(), |i| after_scheme + i);
    (end > after_scheme).then(|| &url[..end])
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Publisher {
    pub name: String,
    pub logo: Logo,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Logo {
    /// An absolute URL, or a path on the site (`/media/logo.png`).
    pub src: String,
    pub width: u32,
    pub height: u32,
}

impl SiteSettings {
    /// Reads and checks settings; the message names the setting at fault.
    pub fn decode(text: &str) -> Result<SiteSettings, DecodeError> {
        let mut settings: SiteSettings = from_json(text.as_bytes())?;
        if let Some(comments) = settings.comments.take() {
            settings.comments = Some(CommentService::checked(comments.service, &comments.url)?);
        }
        let bad = |what: &str| Err(DecodeError(what.to_owned()));
        if settings.name.trim().is_empty() {
            return bad("`name` is empty");
        }
        if !is_origin(&settings.origin) {
            return bad("`origin` must be a scheme and host only, such as https://www.example.com");
        }
        if settings.language.trim().is_empty() || settings.language.contains(char::is_whitespace) {
            return bad("`language` must be a language tag, such as en-GB");
        }
        if let Some(origin) = settings.media_origins.iter().find(|o| !is_origin(o)) {
            return Err(DecodeError(format!(
                "`media_origins` entry \"{origin}\" must be a scheme and host only"
            )));
        }
        Ok(settings)
    }

    /// The settings of the project's own `site.json`.
    #[cfg(not(target_arch = "wasm32"))]
    pub fn bundled() -> SiteSettings {
        SiteSettings::decode(SITE_JSON).unwrap_or_else(|_| SiteSettings::fallback())
    }

    /// What a page without its settings is shown with (the build always writes them).
    pub fn fallback() -> SiteSettings {
        SiteSettings {
            name: "My Garage".into(),
            tagline: String::new(),
            description: String::new(),
            origin: "http://localhost".into(),
            language: "en".into(),
            publisher: Publisher {
                name: "My Garage".into(),
                logo: Logo {
                    src: String::new(),
                    width: 0,
                    height: 0,
                },
            },
            media_origins: Vec::new(),
            comments: None,
        }
    }

    /// The settings as a page carries them: JSON in which nothing can end the `<script>`
    /// element (see [`crate::core::head::script_json`]).
    pub fn to_page_json(&self) -> String {
        crate::core::head::script_json(self)
    }

    /// The absolute URL of a page or file: `path` is a path within the deploy (`/`,
    /// `/articles/x`), `base` the deploy's base path ("" or "/sub").
    pub fn url(&self, base: &str, path: &str) -> String {
        format!("{}{base}{path}", self.origin)
    }

    /// The absolute URL of a `src` as the page would load it: absolute URLs stay, a path
    /// from the root (`/media/x.jpg`) is on this origin, anything else is under the base.
    pub fn resolve(&self, base: &str, src: &str) -> String {
        if src.starts_with("https://") || src.starts_with("http://") {
            src.to_owned()
        } else if src.starts_with("//") {
            format!("https:{src}")
        } else if src.starts_with('/') {
            format!("{}{src}", self.origin)
        } else {
            format!("{}{base}/{src}", self.origin)
        }
    }
}

/// `https://host[:port]`, with nothing after the host.
fn is_origin(text: &str) -> bool {
    let Some(host) = text
        .strip_prefix("https://")
        .or_else(|| text.strip_prefix("http://"))
    else {
        return false;
    };
    !host.is_empty()
        && host
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'.' || b == b'-' || b == b':')
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    #[test]
    fn the_bundled_settings_decode() {
        let site = SiteSettings::decode(SITE_JSON).unwrap();
        assert_eq!(site.name, "My Garage");
        assert_eq!(site, SiteSettings::bundled());
    }

    #[test]
    fn refuses_settings_a_page_cannot_use() {
        let with = |field: &str, value: &str| {
            SITE_JSON.replacen(
                &format!("\"{field}\": "),
                &format!("\"{field}\": {value}, \"was_{field}\": "),
                1,
            )
        };
        for (field, value, message) in [
            ("origin", r#""https://example.com/news""#, "`origin`"),
            ("origin", r#""example.com""#, "`origin`"),
            ("name", r#""  ""#, "`name`"),
            ("language", r#""en GB""#, "`language`"),
            (
                "media_origins",
                r#"["https://img.example.com/x"]"#,
                "`media_origins`",
            ),
        ] {
            let err = SiteSettings::decode(&with(field, value)).unwrap_err();
            assert!(err.0.contains(message), "{field}: {err}");
        }
        assert!(SiteSettings::decode("{}").is_err());
    }

    #[test]
    fn a_comment_service_is_https_or_on_this_machine() {
        let with = |url: &str| {
            SITE_JSON.replacen(
                "\"media_origins\"",
                &format!("\"comments\": {{\"service\": \"isso\", \"url\": \"{url}\"}}, \"media_origins\""),
                1,
            )
        };
        let site = SiteSettings::decode(&with("https://comments.example.com")).unwrap();
        let comments = site.comments.unwrap();
        assert_eq!(comments.url, "https://comments.example.com/");
        assert_eq!(comments.origin(), "https://comments.example.com");
        for fine in [
            "http://127.0.0.1:8081/",
            "http://localhost:8081",
            "https://x.example/isso/",
        ] {
            assert!(SiteSettings::decode(&with(fine)).is_ok(), "{fine}");
        }
        assert_eq!(
            SiteSettings::decode(&with("https://x.example/isso/"))
                .unwrap()
                .comments
                .unwrap()
                .origin(),
            "https://x.example"
        );
        for bad in [
            "http://comments.example.com/",
            "ftp://x",
            "//x.example",
            "https://",
            "http://127.0.0.1.example.com/",
        ] {
            let error = SiteSettings::decode(&with(bad)).unwrap_err();
            assert!(error.0.contains("`comments.url`"), "{bad}: {error}");
        }
        let unknown = SITE_JSON.replacen(
            "\"media_origins\"",
            "\"comments\": {\"service\": \"disqus\", \"url\": \"https://x\"}, \"media_origins\"",
            1,
        );
        assert!(SiteSettings::decode(&unknown)
            .unwrap_err()
            .0
            .contains("unknown variant `disqus`"));
    }

    #[test]
    fn the_settings_a_page_carries_read_back_the_same() {
        let site = SiteSettings::bundled();
        let json = site.to_page_json();
        assert!(!json.contains('<'));
        assert_eq!(SiteSettings::decode(&json).unwrap(), site);
    }

    #[test]
    fn makes_absolute_urls_under_the_base() {
        let site = SiteSettings::bundled();
        assert_eq!(site.url("", "/"), "https://www.example.com/");
        assert_eq!(
            site.url("/garage", "/articles/a"),
            "https://www.example.com/garage/articles/a"
        );
        assert_eq!(
            site.resolve("/garage", "/media/a.jpg"),
            "https://www.example.com/media/a.jpg"
        );
        assert_eq!(
            site.resolve("/garage", "media/a.jpg"),
            "https://www.example.com/garage/media/a.jpg"
        );
        assert_eq!(
            site.resolve("", "https://img.example.com/a.jpg"),
            "https://img.example.com/a.jpg"
        );
    }
}
