//! The article data contract (`/api/articles/*.json`) and its decoding.
//!
//! Decoding is forgiving where a CMS may grow (unknown fields and unknown block types are
//! skipped) and strict where a reader would see nonsense (a missing title, a bad date).

use super::time::Timestamp;
use serde::Deserialize;
use std::fmt;

/// The data-contract major version this reader understands.
pub const CONTRACT_VERSION: u32 = 1;

#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct Author {
    pub name: String,
}

/// An article as listed on the front page and in a related-articles sidebar.
#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct Summary {
    pub slug: String,
    pub title: String,
    #[serde(default)]
    pub summary: String,
    pub published: Timestamp,
}

#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct Image {
    /// Absent when the publisher has a caption but no picture: the caption shows on its own.
    #[serde(default)]
    pub src: Option<String>,
    #[serde(default)]
    pub alt: String,
    #[serde(default)]
    pub width: Option<u32>,
    #[serde(default)]
    pub height: Option<u32>,
    #[serde(default)]
    pub caption: Option<String>,
}

/// One typed piece of an article's body. Text is always plain text, never HTML.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(tag = "type", rename_all = "lowercase")]
pub enum Block {
    Paragraph {
        text: String,
    },
    Heading {
        text: String,
    },
    Quote {
        text: String,
        #[serde(default)]
        cite: Option<String>,
    },
    Image(Image),
}

#[derive(Clone, Debug, PartialEq)]
pub struct Article {
    pub slug: String,
    pub title: String,
    pub section: String,
    pub standfirst: String,
    pub author: Author,
    pub published: Timestamp,
    pub updated: Option<Timestamp>,
    pub lead_image: Option<Image>,
    pub body: Vec<Block>,
    pub related: Vec<Summary>,
}

/// `/api/articles/index.json`.
#[derive(Clone, Debug, PartialEq)]
pub struct ArticleIndex {
    pub articles: Vec<Summary>,
}

/// Why a document could not be read; shown to the reader as "the data is invalid".
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DecodeError(pub String);

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The wire shape: the body is kept as raw values so one odd block cannot sink the article.
#[derive(Deserialize)]
struct ArticleWire<'a> {
    #[serde(default = "default_version")]
    version: u32,
    slug: String,
    title: String,
    #[serde(default)]
    section: String,
    #[serde(default)]
    standfirst: String,
    author: Author,
    published: Timestamp,
    #[serde(default)]
    updated: Option<Timestamp>,
    #[serde(default)]
    lead_image: Option<Image>,
    #[serde(default, borrow)]
    body: Vec<&'a serde_json::value::RawValue>,
    #[serde(default)]
    related: Vec<Summary>,
}

#[derive(Deserialize)]
struct IndexWire {
    #[serde(default = "default_version")]
    version: u32,
    articles: Vec<Summary>,
}

fn default_version() -> u32 {
    CONTRACT_VERSION
}

fn check_version(version: u32) -> Result<(), DecodeError> {
    if version == CONTRACT_VERSION {
        Ok(())
    } else {
        Err(DecodeError(format!(
            "data version {version} is not supported (this reader understands version {CONTRACT_VERSION})"
        )))
    }
}

fn parse<'a, T: Deserialize<'a>>(text: &'a str) -> Result<T, DecodeError> {
    serde_json::from_str(text).map_err(|e| DecodeError(e.to_string()))
}

/// A slug as it may appear in a URL and a file name: lowercase letters, digits and dashes.
pub fn is_valid_slug(slug: &str) -> bool {
    !slug.is_empty()
        && slug.len() <= 200
        && slug
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// Decodes one article. Unknown fields and block types are skipped; so is a known block
/// that is malformed, so one bad paragraph does not hide the story.
pub fn decode_article(text: &str) -> Result<Article, DecodeError> {
    let wire: ArticleWire = parse(text)?;
    check_version(wire.version)?;
    if wire.title.trim().is_empty() {
        return Err(DecodeError("the article has no title".into()));
    }
    if !is_valid_slug(&wire.slug) {
        return Err(DecodeError(format!(
            "the slug {:?} is not valid",
            wire.slug
        )));
    }
    let body = wire
        .body
        .into_iter()
        .filter_map(|raw| serde_json::from_str::<Block>(raw.get()).ok())
        .collect();
    Ok(Article {
        slug: wire.slug,
        title: wire.title,
        section: wire.section,
        standfirst: wire.standfirst,
        author: wire.author,
        published: wire.published,
        updated: wire.updated,
        lead_image: wire.lead_image,
        body,
        related: wire
            .related
            .into_iter()
            .filter(|s| is_valid_slug(&s.slug))
            .collect(),
    })
}

/// Decodes the front page's index, newest first whatever order the file has.
pub fn decode_index(text: &str) -> Result<ArticleIndex, DecodeError> {
    let wire: IndexWire = parse(text)?;
    check_version(wire.version)?;
    let mut articles: Vec<Summary> = wire
        .articles
        .into_iter()
        .filter(|s| is_valid_slug(&s.slug))
        .collect();
    articles.sort_by_key(|a| std::cmp::Reverse(a.published.epoch_ms));
    Ok(ArticleIndex { articles })
}

#[cfg(all(test, not(target_arch = "wasm32")))] // native: proptest does not run in the browser
mod tests {
    use super::*;

    const SEED: &str =
        include_str!("../../public/api/articles/putin-presents-new-luxury-car-to-kim-jong-un.json");

    #[test]
    fn decodes_the_seed_article() {
        let a = decode_article(SEED).unwrap();
        assert_eq!(a.title, "Putin presents a new luxury car to Kim Jong-un");
        assert_eq!(a.section, "New hero");
        assert_eq!(a.author.name, "Mathilda Bartholomew");
        assert_eq!(a.published.long_date(), "February 20, 2024");
        assert_eq!(a.body.len(), 8);
        assert!(a.body.iter().all(|b| matches!(b, Block::Paragraph { .. })));
        let dates: Vec<_> = a.related.iter().map(|r| r.published.short_date()).collect();
        assert_eq!(
            dates,
            [
                "Jul 24, 2024",
                "Jul 23, 2024",
                "Jul 22, 2024",
                "Jul 22, 2024"
            ]
        );
        let lead = a.lead_image.unwrap();
        assert_eq!(lead.src, None);
        assert_eq!(lead.caption.as_deref(), Some(a.title.as_str()));
    }

    fn minimal(body: &str) -> String {
        format!(
            r#"{{"slug":"a-b","title":"T","author":{{"name":"N"}},"published":"2024-01-01T00:00:00Z","body":{body}}}"#
        )
    }

    #[test]
    fn skips_unknown_and_malformed_blocks_and_fields() {
        let text = minimal(
            r#"[{"type":"paragraph","text":"one","extra":1},
                {"type":"video","src":"x.mp4"},
                {"type":"paragraph"},
                {"no_type":true},
                {"type":"quote","text":"q","cite":"c"},
                {"type":"heading","text":"h"}]"#,
        )
        .replace(r#""slug""#, r#""future_field":{"deep":[1,2]},"slug""#);
        let a = decode_article(&text).unwrap();
        assert_eq!(
            a.body,
            vec![
                Block::Paragraph { text: "one".into() },
                Block::Quote {
                    text: "q".into(),
                    cite: Some("c".into())
                },
                Block::Heading { text: "h".into() },
            ]
        );
    }

    #[test]
    fn rejects_malformed_json_and_wrong_shapes() {
        for bad in [
            "",
            "{",
            "<!DOCTYPE html><html><body>app</body></html>",
            "[]",
            r#"{"title":"no slug"}"#,
            &minimal("[]").replace(r#""title":"T""#, r#""title":"  ""#),
            &minimal("[]").replace("2024-01-01T00:00:00Z", "yesterday"),
            &minimal("[]").replace(r#""slug":"a-b""#, r#""slug":"../etc""#),
            &minimal(r#""not a list""#),
        ] {
            assert!(decode_article(bad).is_err(), "should reject {bad:?}");
        }
    }

    #[test]
    fn rejects_an_unknown_contract_version() {
        let text = minimal("[]").replace(r#""slug""#, r#""version":2,"slug""#);
        let err = decode_article(&text).unwrap_err();
        assert!(err.0.contains("version 2"), "{err}");
    }

    #[test]
    fn index_is_sorted_newest_first() {
        let text = include_str!("../../public/api/articles/index.json");
        let index = decode_index(text).unwrap();
        assert_eq!(index.articles.len(), 5);
        assert!(index
            .articles
            .windows(2)
            .all(|w| w[0].published.epoch_ms >= w[1].published.epoch_ms));
        let reversed = r#"{"version":1,"articles":[
            {"slug":"old","title":"Old","summary":"","published":"2020-01-01T00:00:00Z"},
            {"slug":"new","title":"New","summary":"","published":"2021-01-01T00:00:00Z"}]}"#;
        let slugs: Vec<_> = decode_index(reversed)
            .unwrap()
            .articles
            .into_iter()
            .map(|s| s.slug)
            .collect();
        assert_eq!(slugs, ["new", "old"]);
    }

    #[test]
    fn slugs_are_url_safe() {
        assert!(is_valid_slug("volvo-xc60-comparison"));
        for bad in ["", "Volvo", "a/b", "..", "a b", "a%2e", "é"] {
            assert!(!is_valid_slug(bad), "{bad:?}");
        }
    }
}
