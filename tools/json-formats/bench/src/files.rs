//! The documents as the publisher writes them: the serde types every variant decodes, and
//! the format-free code that turns them into the app's types. The comments types are the
//! app's (src/core/comments/model.rs); the article types follow
//! src/core/article.rs, with owned fields only (gloo-net's `json()` and
//! serde-wasm-bindgen both need `DeserializeOwned`), and a block read as one flat record
//! rather than kind-then-part.

use crate::lenient::{good_entries, Entry, Optional};
use crate::model::*;
use crate::time::Timestamp;
use serde::Deserialize;

// ---------------------------------------------------------------- comments

#[derive(Deserialize)]
pub struct CommentsFile<E> {
    #[serde(default)]
    pub version: Option<u32>,
    pub comments: Vec<E>,
}

/// An optional field of a comment: lenient (`Optional`, the app's rule), or, in the
/// `plain_optional` experiment only, a plain `Option` (a bad value fails the entry), to see
/// what the per-field leniency costs each format.
#[cfg(not(feature = "plain_optional"))]
type Field<T> = Optional<T>;
#[cfg(feature = "plain_optional")]
type Field<T> = Option<T>;

#[derive(Deserialize)]
pub struct PublishedEntry {
    pub id: String,
    #[serde(default)]
    pub parent: Field<String>,
    pub author: String,
    pub body: String,
    pub posted: Timestamp,
    #[serde(default)]
    pub likes: Field<u32>,
}

impl PublishedEntry {
    fn into_comment(self, warnings: &mut Vec<String>) -> Option<Comment> {
        if self.id.is_empty() {
            return None;
        }
        #[cfg(not(feature = "plain_optional"))]
        let (parent, likes) = {
            let field = |name: &str| format!("`{name}` of comment \"{}\"", self.id);
            let parent = self.parent.take(&field("parent"), warnings);
            (parent, self.likes.take(&field("likes"), warnings))
        };
        #[cfg(feature = "plain_optional")]
        let (parent, likes, _) = (self.parent, self.likes, warnings);
        Some(Comment {
            id: self.id,
            parent: parent.filter(|p| !p.is_empty()),
            author: self.author,
            body: self.body,
            posted: self.posted,
            likes: likes.unwrap_or_default(),
            origin: Origin::Published,
            edited: None,
            deleted: false,
        })
    }
}

/// The app's loop over the entries of a comments file (after `check_version`).
pub fn comments_from(entries: Vec<Entry<PublishedEntry>>) -> PublishedComments {
    let total = entries.len();
    let mut warnings = Vec::new();
    let mut comments = Vec::with_capacity(total);
    for entry in entries {
        match entry {
            Entry::Good(entry) => comments.extend(entry.into_comment(&mut warnings)),
            Entry::Bad(reason) => warnings.push(format!("skipped a comment: {reason}")),
        }
    }
    PublishedComments {
        skipped: total - comments.len(),
        comments,
        warnings,
    }
}

// ---------------------------------------------------------------- article

#[derive(Deserialize)]
pub struct ArticleFile {
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
    #[serde(default)]
    body: Option<Vec<Entry<BlockFile>>>,
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
}

/// One body block, every kind's fields in one record; its `type` says which apply.
#[derive(Deserialize)]
struct BlockFile {
    #[serde(rename = "type")]
    kind: String,
    #[serde(default)]
    text: Option<String>,
    #[serde(default)]
    cite: Option<String>,
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
}

/// The app's `decode_article` after the format has read the file.
pub fn article_from(file: ArticleFile) -> Result<Decoded<Article>, DecodeError> {
    check_contract_version(file.version)?;
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
    for (n, entry) in file.body.unwrap_or_default().into_iter().enumerate() {
        let place = format!("body block {}", n + 1);
        let block = match entry {
            Entry::Good(block) => block.into_block(&place, &mut warnings),
            Entry::Bad(reason) => Err(reason),
        };
        match block {
            Ok(block) => body.push(block),
            Err(reason) => warnings.push(format!("dropped {place}: {reason}")),
        }
    }
    let related = good_entries(
        file.related.unwrap_or_default(),
        "related entry",
        &mut warnings,
        |entry| {
            if !is_valid_slug(&entry.slug) {
                return Err(format!("the slug \"{}\" is not valid", entry.slug));
            }
            Ok(Summary {
                slug: entry.slug,
                title: clean_text(entry.title),
                summary: clean_text(entry.summary.unwrap_or_default()),
                published: entry.published,
            })
        },
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

impl BlockFile {
    fn into_block(self, place: &str, warnings: &mut Vec<String>) -> Result<Block, String> {
        let text = |text: Option<String>| text.map(clean_text).ok_or("missing field `text`");
        let block = match self.kind.as_str() {
            "paragraph" => Block::Paragraph {
                text: text(self.text)?,
            },
            "heading" => Block::Heading {
                text: text(self.text)?,
            },
            "quote" => Block::Quote {
                text: text(self.text)?,
                cite: clean_optional(self.cite),
            },
            "image" => Block::Image(
                ImageFile {
                    src: self.src,
                    alt: self.alt,
                    width: self.width,
                    height: self.height,
                    caption: self.caption,
                }
                .into_image(place, warnings),
            ),
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
        }
    }
}
