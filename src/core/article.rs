//! The article data contract (`/api/articles/*.json`) and its decoding.
//!
//! Decoding is forgiving where a CMS may grow or slip (unknown fields are ignored; `null`
//! reads as absent; a body block, a related entry, an index entry, the lead image or an
//! optional field that cannot be used is dropped on its own, with a warning that gives the
//! reason) and strict where a reader would see nonsense (a missing title, a bad date of the
//! article itself, a slug that is not the file's own).

use super::decode::{
    clean_optional, clean_text, from_json, good_entries, part, DecodeError, Decoded, Entry,
    Optional,
};
use super::order::{newest_first, ordered};
use super::time::Timestamp;
use serde::Deserialize;
use serde_json::value::RawValue;

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
    /// A thumbnail (the front page shows it beside the headline).
    pub image: Option<Image>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Image {
    /// Absent when the publisher has a caption but no picture: the caption shows on its own.
    pub src: Option<String>,
    pub alt: String,
    pub width: Option<u32>,
    pub height: Option<u32>,
    pub caption: Option<String>,
    /// The build made this photograph's variants (`core::media`) and said so in the data it
    /// published. A CMS's file never says so: a photograph new since the build is shown as
    /// it is until the next build.
    pub variants: bool,
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

/// A list's page (`/api/articles/index.json`, the front page's, and the others of
/// `core::paging`).
#[derive(Clone, Debug, PartialEq)]
pub struct ArticleIndex {
    pub articles: Vec<Summary>,
    /// Which page of its list this is, from 1, and how many the list has (1 and 1 for an
    /// index that is not paged).
    pub page: u32,
    pub pages: u32,
    /// The section the list is of; `None`: every article.
    pub section: Option<Section>,
}

/// A section, as its list's pages name it.
#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct Section {
    /// Its address's part (`core::paging::section_slug`).
    pub slug: String,
    /// As the publisher writes it ("New hero").
    pub name: String,
}

/// An article file as the CMS writes it.
#[derive(Deserialize)]
struct ArticleFile<'a> {
    #[serde(default)]
    version: Option<u32>,
    slug: String,
    title: String,
    #[serde(default)]
    section: Optional<String>,
    #[serde(default)]
    standfirst: Optional<String>,
    author: AuthorFile,
    published: Timestamp,
    #[serde(default)]
    updated: Optional<Timestamp>,
    #[serde(default)]
    lead_image: Optional<ImageFile>,
    #[serde(default, borrow)]
    body: Option<Vec<&'a RawValue>>,
    #[serde(default)]
    related: Option<Vec<Entry<SummaryFile>>>,
}

#[derive(Deserialize)]
struct AuthorFile {
    name: String,
}

#[derive(Deserialize)]
struct SummaryFile {
    slug: String,
    title: String,
    #[serde(default)]
    summary: Option<String>,
    published: Timestamp,
    #[serde(default)]
    image: Optional<ImageFile>,
}

/// A body block's kind, read first: it says how to read the rest.
#[derive(Deserialize)]
struct BlockKind<'a> {
    #[serde(rename = "type", borrow)]
    kind: &'a str,
}

#[derive(Deserialize)]
struct TextBlock {
    text: String,
}

#[derive(Deserialize)]
struct QuoteBlock {
    text: String,
    #[serde(default)]
    cite: Option<String>,
}

#[derive(Deserialize)]
struct ImageFile {
    #[serde(default)]
    src: Option<String>,
    #[serde(default)]
    alt: Option<String>,
    #[serde(default)]
    width: Optional<u32>,
    #[serde(default)]
    height: Optional<u32>,
    #[serde(default)]
    caption: Option<String>,
    #[serde(default)]
    variants: Optional<bool>,
}

/// `/api/articles/index.json` as the CMS writes it.
#[derive(Deserialize)]
struct IndexFile {
    #[serde(default)]
    version: Option<u32>,
    articles: Vec<Entry<SummaryFile>>,
    #[serde(default)]
    page: Option<u32>,
    #[serde(default)]
    pages: Option<u32>,
    #[serde(default)]
    section: Option<Section>,
}

/// The document's `version`, which must be this reader's (a missing one is taken as it).
fn check_version(version: Option<u32>) -> Result<(), DecodeError> {
    match version {
        None | Some(CONTRACT_VERSION) => Ok(()),
        Some(other) => Err(DecodeError(format!(
            "data version {other} is not supported (this reader understands version {CONTRACT_VERSION})"
        ))),
    }
}

/// A slug as it may appear in a URL and a file name: lowercase letters, digits and dashes.
/// Not `404`: `articles/404.html` is the page for articles published after the build, and a
/// host with extension-less addresses (Cloudflare Pages) would answer `/articles/404` with it.
pub fn is_valid_slug(slug: &str) -> bool {
    slug != "404"
        && !slug.is_empty()
        && slug.len() <= 200
        && slug
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// Decodes one article. Unknown fields and block types are skipped; so is a known block that
/// is malformed, a related entry that cannot be linked and an optional field (an image
/// dimension that is not a positive whole number, say) that cannot be used, so one bad value
/// does not hide the story.
pub fn decode_article(bytes: &[u8]) -> Result<Decoded<Article>, DecodeError> {
    let file: ArticleFile = from_json(bytes)?;
    check_version(file.version)?;
    let title = clean_text(file.title);
    if title.trim().is_empty() {
        return Err(DecodeError("the article has no title".into()));
    }
    if !is_valid_slug(&file.slug) {
        return Err(DecodeError(format!(
            "the slug \"{}\" is not valid",
            file.slug
        )));
    }
    let mut warnings = Vec::new();
    let lead_image = file
        .lead_image
        .take("the lead image", &mut warnings)
        .map(|image| image.into_image("the lead image", &mut warnings));
    let mut body = Vec::new();
    for (n, raw) in file.body.unwrap_or_default().into_iter().enumerate() {
        let place = format!("body block {}", n + 1);
        match decode_block(raw, &place, &mut warnings) {
            Ok(block) => body.push(block),
            Err(reason) => warnings.push(format!("dropped {place}: {reason}")),
        }
    }
    let related = summaries(
        file.related.unwrap_or_default(),
        "related entry",
        &mut warnings,
    );
    let text = |field: Optional<String>, name: &str, warnings: &mut Vec<String>| {
        clean_text(field.take(name, warnings).unwrap_or_default())
    };
    Ok(Decoded {
        value: Article {
            slug: file.slug,
            title,
            section: text(file.section, "the section", &mut warnings),
            standfirst: text(file.standfirst, "the standfirst", &mut warnings),
            author: Author {
                name: clean_text(file.author.name),
            },
            published: file.published,
            updated: file.updated.take("the updated date", &mut warnings),
            lead_image,
            body,
            related,
        },
        warnings,
    })
}

/// Decodes the article at the address `/articles/{slug}`: its own `slug` must be that one,
/// or the page would be published under one address and link itself under another.
pub fn decode_article_at(slug: &str, bytes: &[u8]) -> Result<Decoded<Article>, DecodeError> {
    let decoded = decode_article(bytes)?;
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
pub fn decode_index(bytes: &[u8]) -> Result<Decoded<ArticleIndex>, DecodeError> {
    let file: IndexFile = from_json(bytes)?;
    check_version(file.version)?;
    let mut warnings = Vec::new();
    let articles = ordered(
        summaries(file.articles, "index entry", &mut warnings),
        |a| (newest_first(a.published.epoch_ms), 0, 0),
    );
    let page = file.page.unwrap_or(1).max(1);
    Ok(Decoded {
        value: ArticleIndex {
            articles,
            page,
            pages: file.pages.unwrap_or(1).max(page),
            section: file.section,
        },
        warnings,
    })
}

fn summaries(
    entries: Vec<Entry<SummaryFile>>,
    what: &str,
    warnings: &mut Vec<String>,
) -> Vec<Summary> {
    let mut image_warnings = Vec::new();
    let good = good_entries(entries, what, warnings, |entry| {
        if !is_valid_slug(&entry.slug) {
            return Err(format!("the slug \"{}\" is not valid", entry.slug));
        }
        let place = format!("the image of {what} \"{}\"", entry.slug);
        let image = entry
            .image
            .take(&place, &mut image_warnings)
            .map(|image| image.into_image(&place, &mut image_warnings));
        Ok(Summary {
            slug: entry.slug,
            title: clean_text(entry.title),
            summary: clean_text(entry.summary.unwrap_or_default()),
            published: entry.published,
            image,
        })
    });
    warnings.extend(image_warnings);
    good
}

fn decode_block(raw: &RawValue, place: &str, warnings: &mut Vec<String>) -> Result<Block, String> {
    let text_of = |raw| part::<TextBlock>(raw).map(|b| clean_text(b.text));
    let block = match part::<BlockKind>(raw)?.kind {
        "paragraph" => Block::Paragraph {
            text: text_of(raw)?,
        },
        "heading" => Block::Heading {
            text: text_of(raw)?,
        },
        "quote" => {
            let quote = part::<QuoteBlock>(raw)?;
            Block::Quote {
                text: clean_text(quote.text),
                cite: clean_optional(quote.cite),
            }
        }
        "image" => Block::Image(part::<ImageFile>(raw)?.into_image(place, warnings)),
        other => return Err(format!("unknown type \"{other}\"")),
    };
    match &block {
        Block::Paragraph { text } | Block::Heading { text } | Block::Quote { text, .. }
            if text.trim().is_empty() =>
        {
            Err("it has no text".into())
        }
        _ => Ok(block),
    }
}

impl ImageFile {
    fn into_image(self, place: &str, warnings: &mut Vec<String>) -> Image {
        let mut dimension = |value: Optional<u32>, name: &str| {
            let name = format!("the {name} of {place}");
            match value.take(&name, warnings) {
                Some(0) => {
                    warnings.push(format!("dropped {name}: 0 is not a positive whole number"));
                    None
                }
                other => other,
            }
        };
        let width = dimension(self.width, "width");
        let height = dimension(self.height, "height");
        Image {
            src: self.src.filter(|s| !s.trim().is_empty()),
            alt: clean_text(self.alt.unwrap_or_default()),
            width,
            height,
            caption: clean_optional(self.caption),
            variants: self
                .variants
                .take(&format!("the variants of {place}"), warnings)
                .unwrap_or(false),
        }
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))] // native: proptest does not run in the browser
mod tests {
    use super::*;

    const SEED: &str =
        include_str!("../../public/api/articles/putin-presents-new-luxury-car-to-kim-jong-un.json");

    #[test]
    fn decodes_the_seed_article() {
        let a = decode_article(SEED.as_bytes()).unwrap().value;
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
        assert_eq!(lead.src.as_deref(), Some("/media/aurus-senat.jpg"));
        assert_eq!((lead.width, lead.height), (Some(2400), Some(1350)));
        assert!(!lead.alt.is_empty());
        assert_eq!(lead.caption.as_deref(), Some(a.title.as_str()));
    }

    #[test]
    fn an_index_entry_has_a_thumbnail_and_a_bad_one_drops_alone() {
        let index = decode_index(
            br#"{"articles":[
                {"slug":"a","title":"A","published":"2024-01-02T00:00:00Z",
                 "image":{"src":"/media/a.jpg","alt":"","width":640,"height":360}},
                {"slug":"b","title":"B","published":"2024-01-01T00:00:00Z","image":"a picture"}]}"#,
        )
        .unwrap();
        let [a, b] = &index.value.articles[..] else {
            panic!("both entries stay");
        };
        let thumb = a.image.as_ref().unwrap();
        assert_eq!(
            (thumb.src.as_deref(), thumb.width, thumb.height),
            (Some("/media/a.jpg"), Some(640), Some(360))
        );
        assert_eq!(b.image, None);
        assert_eq!(index.warnings.len(), 1);
        assert!(index.warnings[0].starts_with("dropped the image of index entry \"b\""));
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
        let decoded = decode_article(text.as_bytes()).unwrap();
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
        let decoded = decode_article(text.as_bytes()).unwrap();
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
            .any(|w| w
                == "dropped the width of body block 1: invalid value: integer `-1`, expected u32"));
        assert!(decoded.warnings.iter().any(|w| {
            w == "dropped the height of the lead image: invalid type: string \"tall\", expected u32"
        }));
    }

    #[test]
    fn an_article_must_carry_the_slug_of_its_address() {
        let text = minimal("[]");
        assert!(decode_article_at("a-b", text.as_bytes()).is_ok());
        let err = decode_article_at("other", text.as_bytes()).unwrap_err();
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
            assert!(
                decode_article(bad.as_bytes()).is_err(),
                "should reject {bad:?}"
            );
        }
    }

    #[test]
    fn rejects_an_unknown_contract_version() {
        let text = minimal("[]").replace(r#""slug""#, r#""version":2,"slug""#);
        let err = decode_article(text.as_bytes()).unwrap_err();
        assert!(err.0.contains("version 2"), "{err}");
    }

    #[test]
    fn index_is_sorted_newest_first() {
        let text = include_str!("../../public/api/articles/index.json");
        let index = decode_index(text.as_bytes()).unwrap().value;
        assert_eq!(index.articles.len(), 5);
        assert!(index
            .articles
            .windows(2)
            .all(|w| w[0].published.epoch_ms >= w[1].published.epoch_ms));
        let reversed = r#"{"version":1,"articles":[
            {"slug":"old","title":"Old","summary":"","published":"2020-01-01T00:00:00Z"},
            {"slug":"new","title":"New","summary":"","published":"2021-01-01T00:00:00Z"}]}"#;
        let slugs: Vec<_> = decode_index(reversed.as_bytes())
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
        let decoded = decode_index(text.as_bytes()).unwrap();
        assert_eq!(decoded.value.articles.len(), 1);
        assert_eq!(decoded.value.articles[0].slug, "fine");
        assert_eq!(decoded.warnings.len(), 2, "{:?}", decoded.warnings);
        assert!(decoded.warnings[0].starts_with("dropped index entry 2: missing field `published`"));
        assert!(decoded.warnings[1].starts_with("dropped index entry 3: missing field `slug`"));
    }

    #[test]
    fn slugs_are_url_safe() {
        assert!(is_valid_slug("volvo-xc60-comparison"));
        assert!(is_valid_slug("4040") && is_valid_slug("top-404"));
        for bad in ["", "Volvo", "a/b", "..", "a b", "a%2e", "é", "404"] {
            assert!(!is_valid_slug(bad), "{bad:?}");
        }
    }

    /// What many CMSs write for an absent field: `null` reads as absent, everywhere optional.
    #[test]
    fn null_optional_fields_read_as_absent() {
        let text = minimal("null").replace(
            r#""body""#,
            r#""section":null,"standfirst":null,"updated":null,"lead_image":null,"related":null,"body""#,
        );
        let decoded = decode_article(text.as_bytes()).unwrap();
        assert_eq!(decoded.warnings, Vec::<String>::new());
        let a = decoded.value;
        assert_eq!((a.section.as_str(), a.standfirst.as_str()), ("", ""));
        assert_eq!((a.updated, a.lead_image), (None, None));
        assert!(a.body.is_empty() && a.related.is_empty());
    }

    /// A bad optional field costs that field, not the article.
    #[test]
    fn a_bad_optional_field_drops_alone() {
        let text = minimal("[]").replace(
            r#""body""#,
            r#""section":7,"updated":"yesterday","lead_image":"a picture","body""#,
        );
        let decoded = decode_article(text.as_bytes()).unwrap();
        assert_eq!(decoded.value.title, "T");
        assert_eq!(decoded.value.section, "");
        assert_eq!(decoded.value.updated, None);
        assert_eq!(decoded.warnings.len(), 3, "{:?}", decoded.warnings);
        assert!(decoded.warnings[0].starts_with("dropped the lead image: invalid type"));
        assert!(decoded.warnings[1].starts_with("dropped the section: invalid type: integer `7`"));
        assert!(decoded.warnings[2].starts_with("dropped the updated date: not an RFC 3339"));
    }

    /// Text is cleaned as the HTML parser cleans a page, so a block of nothing but a NUL is
    /// no block at all, in the build's page and the app's alike.
    #[test]
    fn text_is_cleaned_and_a_block_left_empty_is_dropped() {
        let text = minimal(
            r#"[{"type":"paragraph","text":"\u0000"},{"type":"paragraph","text":"a\u0000b\r\nc"}]"#,
        )
        .replace(r#""title":"T""#, r#""title":"T\u0000itle""#);
        let decoded = decode_article(text.as_bytes()).unwrap();
        assert_eq!(decoded.value.title, "Title");
        assert_eq!(
            decoded.value.body,
            [Block::Paragraph {
                text: "ab\nc".into()
            }]
        );
        assert_eq!(decoded.warnings, ["dropped body block 1: it has no text"]);
    }
}
