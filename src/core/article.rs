//! The article data contract (`/api/articles/*.json`) and its decoding.
//!
//! Decoding is forgiving where a CMS may grow or slip (unknown fields are ignored; a body
//! block, a related entry, an index entry or an image dimension that cannot be used is
//! dropped on its own, with a warning that gives the reason) and strict where a reader would
//! see nonsense (a missing title, a bad date of the article itself, a slug that is not the
//! file's own).

use super::json::{parse, Fields, Json};
use super::time::Timestamp;
use std::fmt;

/// The data-contract major version this reader understands.
pub const CONTRACT_VERSION: u32 = 1;

#[derive(Clone, Debug, PartialEq)]
pub struct Author {
    pub name: String,
}

/// An article as listed on the front page and in a related-articles sidebar.
#[derive(Clone, Debug, PartialEq)]
pub struct Summary {
    pub slug: String,
    pub title: String,
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

impl From<String> for DecodeError {
    fn from(message: String) -> Self {
        DecodeError(message)
    }
}

/// The document's `version`, which must be this reader's (a missing one is taken as it).
fn check_version(fields: &Fields) -> Result<(), DecodeError> {
    let version = match fields.get("version")? {
        None => return Ok(()),
        Some(value) => value
            .as_u32()
            .ok_or_else(|| DecodeError("`version` is not a whole number".into()))?,
    };
    if version == CONTRACT_VERSION {
        Ok(())
    } else {
        Err(DecodeError(format!(
            "data version {version} is not supported (this reader understands version {CONTRACT_VERSION})"
        )))
    }
}

/// A date-time field that must be there.
pub(crate) fn timestamp(fields: &Fields, name: &str) -> Result<Timestamp, String> {
    let text = fields.text(name)?;
    Timestamp::parse(&text).map_err(|e| format!("`{name}`: {e}"))
}

/// A date-time field that may be missing (or null).
pub(crate) fn optional_timestamp(fields: &Fields, name: &str) -> Result<Option<Timestamp>, String> {
    fields
        .optional_text(name)?
        .map(|text| Timestamp::parse(&text).map_err(|e| format!("`{name}`: {e}")))
        .transpose()
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
    let json = parse(text)?;
    let fields = Fields::of(&json, "the article")?;
    check_version(&fields)?;
    let title = fields.text("title")?;
    if title.trim().is_empty() {
        return Err(DecodeError("the article has no title".into()));
    }
    let slug = fields.text("slug")?;
    if !is_valid_slug(&slug) {
        return Err(DecodeError(format!("the slug \"{slug}\" is not valid")));
    }
    let author = Fields::of(fields.required("author")?, "`author`")?.text("name")?;
    let published = timestamp(&fields, "published")?;
    let updated = optional_timestamp(&fields, "updated")?;
    let mut warnings = Vec::new();
    let lead_image = match fields.get("lead_image")? {
        None | Some(Json::Null) => None,
        Some(value) => decode_image(value, "the lead image", &mut warnings)
            .map_err(|reason| warnings.push(format!("dropped the lead image: {reason}")))
            .ok(),
    };
    let mut body = Vec::new();
    for (n, value) in fields.list("body")?.iter().enumerate() {
        let place = format!("body block {}", n + 1);
        match decode_block(value, &place, &mut warnings) {
            Ok(block) => body.push(block),
            Err(reason) => warnings.push(format!("dropped {place}: {reason}")),
        }
    }
    let related = decode_summaries(fields.list("related")?, "related entry", &mut warnings);
    Ok(Decoded {
        value: Article {
            slug,
            title,
            section: fields.optional_text("section")?.unwrap_or_default(),
            standfirst: fields.optional_text("standfirst")?.unwrap_or_default(),
            author: Author { name: author },
            published,
            updated,
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
            "the article's slug \"{}\" is not the one in its address (\"{slug}\")",
            decoded.value.slug
        )));
    }
    Ok(decoded)
}

/// Decodes the front page's index, newest first whatever order the file has. An entry that
/// cannot be listed is dropped on its own.
pub fn decode_index(text: &str) -> Result<Decoded<ArticleIndex>, DecodeError> {
    let json = parse(text)?;
    let fields = Fields::of(&json, "the index")?;
    check_version(&fields)?;
    let entries = fields
        .required("articles")?
        .as_array()
        .ok_or_else(|| DecodeError("`articles` is not a list".into()))?;
    let mut warnings = Vec::new();
    let mut articles = decode_summaries(entries, "index entry", &mut warnings);
    articles.sort_by_key(|a| std::cmp::Reverse(a.published.epoch_ms));
    Ok(Decoded {
        value: ArticleIndex { articles },
        warnings,
    })
}

fn decode_summaries(entries: &[Json], what: &str, warnings: &mut Vec<String>) -> Vec<Summary> {
    let mut out = Vec::with_capacity(entries.len());
    for (n, value) in entries.iter().enumerate() {
        match decode_summary(value) {
            Ok(summary) => out.push(summary),
            Err(reason) => warnings.push(format!("dropped {what} {}: {reason}", n + 1)),
        }
    }
    out
}

fn decode_summary(value: &Json) -> Result<Summary, String> {
    let fields = Fields::of(value, "the entry")?;
    let slug = fields.text("slug")?;
    let summary = Summary {
        title: fields.text("title")?,
        summary: fields.optional_text("summary")?.unwrap_or_default(),
        published: timestamp(&fields, "published")?,
        slug,
    };
    if is_valid_slug(&summary.slug) {
        Ok(summary)
    } else {
        Err(format!("the slug \"{}\" is not valid", summary.slug))
    }
}

fn decode_block(value: &Json, place: &str, warnings: &mut Vec<String>) -> Result<Block, String> {
    let fields = Fields::of(value, "the block")?;
    match fields.text("type")?.as_str() {
        "paragraph" => Ok(Block::Paragraph {
            text: fields.text("text")?,
        }),
        "heading" => Ok(Block::Heading {
            text: fields.text("text")?,
        }),
        "quote" => Ok(Block::Quote {
            text: fields.text("text")?,
            cite: fields.optional_text("cite")?,
        }),
        "image" => decode_image(value, place, warnings).map(Block::Image),
        other => Err(format!("unknown type \"{other}\"")),
    }
}

fn decode_image(value: &Json, place: &str, warnings: &mut Vec<String>) -> Result<Image, String> {
    let fields = Fields::of(value, "the image")?;
    let mut dimension = |name: &str| -> Result<Option<u32>, String> {
        let Some(member) = fields.members.iter().find(|m| m.name == name) else {
            return Ok(None);
        };
        fields.get(name)?;
        match member.value.as_u32() {
            Some(value) if value > 0 => Ok(Some(value)),
            _ if member.value == Json::Null => Ok(None),
            _ => {
                warnings.push(format!(
                    "dropped the {name} of {place}: {} is not a positive whole number",
                    member.raw
                ));
                Ok(None)
            }
        }
    };
    let width = dimension("width")?;
    let height = dimension("height")?;
    Ok(Image {
        src: fields
            .optional_text("src")?
            .filter(|s| !s.trim().is_empty()),
        alt: fields.optional_text("alt")?.unwrap_or_default(),
        width,
        height,
        caption: fields.optional_text("caption")?,
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
                "dropped body block 3: missing field `text`",
                "dropped body block 4: missing field `type`",
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
