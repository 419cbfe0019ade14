//! The publisher's site settings (`site.json` at the project's root): the site's name, its
//! canonical origin, language, publisher and the origins media may come from. The build
//! reads them for the pages, heads, sitemap, feed and headers it writes; the app has the
//! same file compiled in, for the heads it keeps true as the reader navigates.

use super::decode::{from_json, DecodeError};
use serde::Deserialize;

/// The settings this build was made with.
pub const SITE_JSON: &str = include_str!("../../site.json");

#[derive(Clone, Debug, PartialEq, Deserialize)]
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
}

#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct Publisher {
    pub name: String,
    pub logo: Logo,
}

#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct Logo {
    /// An absolute URL, or a path on the site (`/media/logo.png`).
    pub src: String,
    pub width: u32,
    pub height: u32,
}

impl SiteSettings {
    /// Reads and checks settings; the message names the setting at fault.
    pub fn decode(text: &str) -> Result<SiteSettings, DecodeError> {
        let settings: SiteSettings = from_json(text.as_bytes())?;
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

    /// The settings compiled into this build. The build refuses settings that do not decode,
    /// so this fallback is only for a build that skipped that check.
    pub fn bundled() -> SiteSettings {
        SiteSettings::decode(SITE_JSON).unwrap_or_else(|_| SiteSettings {
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
        })
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
