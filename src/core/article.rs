//! The article data contract (`/api/articles/*.json`) and its decoding.
//!
//! Decoding is forgiving where a CMS may grow or slip (unknown fields are ignored; a body
//! block, a related entry, an index entry or an image dimension that cannot be used is
//! dropped on its own, with a warning that gives the reason) and strict where a reader would
//! see nonsense (a missing title, a bad date of the article itself, a slug that is not the
//! file's own).

use super::time::Timestamp;
use serde::Deserialize;
use serde_json::value::RawValue;
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

#[derive(Clone, Debug, PartialEq)]
pub struct Image {
    /// Absent when the publisher has a caption but no picture: the caption shows on its own.
    pub src: Option<String>,
    pub alt: String,
    pub width: Option<u32>,
    pub height: Option<u32>,
    pub caption: Option<String>,
}

/// One typed piece of an article's body. Text is always plain text, never HTML.
#[derive(Clone, Debug, PartialEq)]
pub enum Block {
    Paragraph { text: String },
    Heading { text: String },
    Quote { text: String, cite: Option<String> },
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

/// A decoded document and what was dropped from it, each with its reason (for the console
/// in the browser and for the build's output).
#[derive(Clone, Debug, PartialEq)]
pub struct Decoded<T> {
    pub value: T,
    pub warnings: Vec<String>,
}

/// Why a document could not be read; shown to the reader as "the data is invalid".
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DecodeError(pub String);

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The wire shape: lists stay raw values, so one odd entry cannot sink the article.
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
    #[serde(default, borrow)]
    lead_image: Option<&'a RawValue>,
    #[serde(default, borrow)]
    body: Vec<&'a RawValue>,
    #[serde(default, borrow)]
    related: Vec<&'a RawValue>,
}

#[derive(Deserialize)]
struct IndexWire<'a> {
    #[serde(default = "default_version")]
    version: u32,
    #[serde(borrow)]
    articles: Vec<&'a RawValue>,
}

#[derive(Deserialize)]
struct BlockKind<'a> {
    #[serde(rename = "type", borrow)]
    kind: std::borrow::Cow<'a, str>,
}

#[derive(Deserialize)]
struct TextWire {
    text: String,
    #[serde(default)]
    cite: Option<String>,
}

#[derive(Deserialize)]
struct ImageWire<'a> {
    #[serde(default)]
    src: Option<String>,
    #[serde(default)]
    alt: String,
    #[serde(default, borrow)]
    width: Option<&'a RawValue>,
    #[serde(default, borrow)]
    height: Option<&'a RawValue>,
    #[serde(default)]
    caption: Option<String>,
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

/// Decodes one article. Unknown fields and block types are skipped; so is a known block that
/// is malformed, a related entry that cannot be linked and an image dimension that is not a
/// positive whole number, so one bad value does not hide the story.
pub fn decode_article(text: &str) -> Result<Decoded<Article>, DecodeError> {
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
    let mut warnings = Vec::new();
    let lead_image = wire.lead_image.and_then(|raw| {
        decode_image(raw, "the lead image", &mut warnings)
            .map_err(|reason| warnings.push(format!("dropped the lead image: {reason}")))
            .ok()
    });
    let mut body = Vec::with_capacity(wire.body.len());
    for (n, raw) in wire.body.into_iter().enumerate() {
        let place = format!("body block {}", n + 1);
        match decode_block(raw, &place, &mut warnings) {
            Ok(block) => body.push(block),
            Err(reason) => warnings.push(format!("dropped {place}: {reason}")),
        }
    }
    let related = decode_summaries(&wire.related, "related entry", &mut warnings);
    Ok(Decoded {
        value: Article {
            slug: wire.slug,
            title: wire.title,
            section: wire.section,
            standfirst: wire.standfirst,
            author: wire.author,
            published: wire.published,
            updated: wire.updated,
            lead_image,
            body,
            related,
        },
        warnings,
    })
}

/// Decodes the article at the address `/articles/{slug}`: its own `slug` must be that one,
/// or the page would be published under one address and link itself under another.
pub fn decode_article_at(slug: &str, text: &str) -> Result<Decoded<Article>, DecodeError> {
    let decoded = decode_article(text)?;
    if decoded.value.slug != slug {
        return Err(DecodeError(format!(
            "the article's slug {:?} is not the one in its address ({slug:?})",
            decoded.value.slug
        )));
    }
    Ok(decoded)
}

/// Decodes the front page's index, newest first whatever order the file has. An entry that
/// cannot be listed is dropped on its own.
pub fn decode_index(text: &str) -> Result<Decoded<ArticleIndex>, DecodeError> {
    let wire: IndexWire = parse(text)?;
    check_version(wire.version)?;
    let mut warnings = Vec::new();
    let mut articles = decode_summaries(&wire.articles, "index entry", &mut warnings);
    articles.sort_by_key(|a| std::cmp::Reverse(a.published.epoch_ms));
    Ok(Decoded {
        value: ArticleIndex { articles },
        warnings,
    })
}

fn decode_summaries(raw: &[&RawValue], what: &str, warnings: &mut Vec<String>) -> Vec<Summary> {
    let mut out = Vec::with_capacity(raw.len());
    for (n, raw) in raw.iter().enumerate() {
        let summary = serde_json::from_str::<Summary>(raw.get())
            .map_err(|e| e.to_string())
            .and_then(|s| {
                if is_valid_slug(&s.slug) {
                    Ok(s)
                } else {
                    Err(format!("the slug {:?} is not valid", s.slug))
                }
            });
        match summary {
            Ok(summary) => out.push(summary),
            Err(reason) => warnings.push(format!("dropped {what} {}: {reason}", n + 1)),
        }
    }
    out
}

fn decode_block(raw: &RawValue, place: &str, warnings: &mut Vec<String>) -> Result<Block, String> {
    let text = raw.get();
    let kind: BlockKind = serde_json::from_str(text).map_err(|e| e.to_string())?;
    let text_block = || serde_json::from_str::<TextWire>(text).map_err(|e| e.to_string());
    match kind.kind.as_ref() {
        "paragraph" => Ok(Block::Paragraph {
            text: text_block()?.text,
        }),
        "heading" => Ok(Block::Heading {
            text: text_block()?.text,
        }),
        "quote" => {
            let TextWire { text, cite } = text_block()?;
            Ok(Block::Quote { text, cite })
        }
        "image" => decode_image(raw, place, warnings).map(Block::Image),
        other => Err(format!("unknown type {other:?}")),
    }
}

fn decode_image(raw: &RawValue, place: &str, warnings: &mut Vec<String>) -> Result<Image, String> {
    let wire: ImageWire = serde_json::from_str(raw.get()).map_err(|e| e.to_string())?;
    let mut dimension = |name: &str, raw: Option<&RawValue>| {
        let raw = raw?;
        match serde_json::from_str::<u32>(raw.get()) {
            Ok(value) if value > 0 => Some(value),
            _ => {
                warnings.push(format!(
                    "dropped the {name} of {place}: {} is not a positive whole number",
                    raw.get()
                ));
                None
            }
        }
    };
    let width = dimension("width", wire.width);
    let height = dimension("height", wire.height);
    Ok(Image {
        src: wire.src.filter(|s| !s.trim().is_empty()),
        alt: wire.alt,
        width,
        height,
        caption: wire.caption,
    })
}

#[cfg(all(test, not(target_arch = "wasm32")))] // native: proptest does not run in the browser
mod tests {
    use super::*;

    const SEED: &str =
        include_str!("../../public/api/articles/putin-presents-new-luxury-car-to-kim-jong-un.json");

    #[test]
    fn decodes_the_seed_article() {
        let a = decode_article(SEED).unwrap().value;
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
        let decoded = decode_article(&text).unwrap();
        let a = decoded.value;
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
        assert_eq!(
            decoded.warnings,
            [
                r#"dropped body block 2: unknown type "video""#,
                "dropped body block 3: missing field `text` at line 1 column 20",
                "dropped body block 4: missing field `type` at line 1 column 16",
            ]
        );
    }

    #[test]
    fn a_bad_related_entry_or_image_dimension_drops_only_itself() {
        let text =
            minimal(r#"[{"type":"image","src":"/a.jpg","alt":"A","width":-1,"height":300}]"#)
                .replace(
                    r#""body""#,
                    r#""lead_image":{"src":"/l.jpg","width":1.5,"height":"tall"},
                   "related":[{"slug":"good","title":"G","published":"2024-01-01T00:00:00Z"},
                              {"slug":"bad-date","title":"B","published":"yesterday"},
                              {"slug":"Bad Slug","title":"S","published":"2024-01-01T00:00:00Z"}],
                   "body""#,
                );
        let decoded = decode_article(&text).unwrap();
        let a = decoded.value;
        let slugs: Vec<_> = a.related.iter().map(|r| r.slug.as_str()).collect();
        assert_eq!(slugs, ["good"]);
        let lead = a.lead_image.unwrap();
        assert_eq!(
            (lead.src.as_deref(), lead.width, lead.height),
            (Some("/l.jpg"), None, None)
        );
        let Block::Image(image) = &a.body[0] else {
            panic!("the image block stays");
        };
        assert_eq!((image.width, image.height), (None, Some(300)));
        assert_eq!(decoded.warnings.len(), 5, "{:?}", decoded.warnings);
        assert!(decoded
            .warnings
            .iter()
            .any(|w| w.starts_with("dropped related entry 2:")));
        assert!(decoded
            .warnings
            .iter()
            .any(|w| w == r#"dropped related entry 3: the slug "Bad Slug" is not valid"#));
        assert!(decoded
            .warnings
            .iter()
            .any(|w| w == "dropped the width of body block 1: -1 is not a positive whole number"));
        assert!(decoded.warnings.iter().any(|w| w
            == "dropped the height of the lead image: \"tall\" is not a positive whole number"));
    }

    #[test]
    fn an_article_must_carry_the_slug_of_its_address() {
        let text = minimal("[]");
        assert!(decode_article_at("a-b", &text).is_ok());
        let err = decode_article_at("other", &text).unwrap_err();
        assert_eq!(
            err.0,
            r#"the article's slug "a-b" is not the one in its address ("other")"#
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
        let index = decode_index(text).unwrap().value;
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
            .value
            .articles
            .into_iter()
            .map(|s| s.slug)
            .collect();
        assert_eq!(slugs, ["new", "old"]);
    }

    #[test]
    fn one_bad_index_entry_drops_only_itself() {
        let text = r#"{"version":1,"articles":[
            {"slug":"fine","title":"Fine","published":"2021-01-01T00:00:00Z"},
            {"slug":"no-date","title":"No date"},
            {"title":"No slug","published":"2021-01-01T00:00:00Z"}]}"#;
        let decoded = decode_index(text).unwrap();
        assert_eq!(decoded.value.articles.len(), 1);
        assert_eq!(decoded.value.articles[0].slug, "fine");
        assert_eq!(decoded.warnings.len(), 2, "{:?}", decoded.warnings);
        assert!(decoded.warnings[0].starts_with("dropped index entry 2: missing field `published`"));
        assert!(decoded.warnings[1].starts_with("dropped index entry 3: missing field `slug`"));
    }

    #[test]
    fn slugs_are_url_safe() {
        assert!(is_valid_slug("volvo-xc60-comparison"));
        for bad in ["", "Volvo", "a/b", "..", "a b", "a%2e", "é"] {
            assert!(!is_valid_slug(bad), "{bad:?}");
        }
    }
}
