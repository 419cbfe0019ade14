//! What a decoder produces, whatever the wire format: the app's own output types
//! (src/core/comments/model.rs and article.rs), copied. Nothing here knows JSON.

use crate::time::Timestamp;
use std::fmt;

/// Why a document could not be read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DecodeError(pub String);

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

pub const COMMENTS_VERSION: u32 = 1;
pub const CONTRACT_VERSION: u32 = 1;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Origin {
    Published,
    Mine { saved: bool },
}

#[derive(Clone, Debug, PartialEq)]
pub struct Comment {
    pub id: String,
    pub parent: Option<String>,
    pub author: String,
    pub body: String,
    pub posted: Timestamp,
    pub likes: u32,
    pub origin: Origin,
    pub edited: Option<Timestamp>,
    pub deleted: bool,
}

#[derive(Debug, PartialEq)]
pub struct PublishedComments {
    pub comments: Vec<Comment>,
    pub skipped: usize,
    pub warnings: Vec<String>,
}

pub fn check_comments_version(version: Option<u32>) -> Result<(), DecodeError> {
    match version {
        None | Some(COMMENTS_VERSION) => Ok(()),
        Some(other) => Err(DecodeError(format!(
            "comments version {other} is not supported (this reader understands version {COMMENTS_VERSION})"
        ))),
    }
}

pub fn check_contract_version(version: Option<u32>) -> Result<(), DecodeError> {
    match version {
        None | Some(CONTRACT_VERSION) => Ok(()),
        Some(other) => Err(DecodeError(format!(
            "data version {other} is not supported (this reader understands version {CONTRACT_VERSION})"
        ))),
    }
}

// ---- the article: an "article-like" document with nested structs, optional fields, a
// ---- list of typed blocks and a list of summaries, as src/core/article.rs.

#[derive(Clone, Debug, PartialEq)]
pub struct Author {
    pub name: String,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Summary {
    pub slug: String,
    pub title: String,
    pub summary: String,
    pub published: Timestamp,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Image {
    pub src: Option<String>,
    pub alt: String,
    pub width: Option<u32>,
    pub height: Option<u32>,
    pub caption: Option<String>,
}

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

#[derive(Clone, Debug, PartialEq)]
pub struct Decoded<T> {
    pub value: T,
    pub warnings: Vec<String>,
}

pub fn is_valid_slug(slug: &str) -> bool {
    !slug.is_empty()
        && slug.len() <= 200
        && slug
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// As src/core/decode.rs.
pub fn clean_text(text: String) -> String {
    let kept = |c: char| !c.is_control() || c == '\t' || c == '\n';
    if text.chars().all(kept) {
        return text;
    }
    let mut clean = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\r' => {
                chars.next_if_eq(&'\n');
                clean.push('\n');
            }
            c if kept(c) => clean.push(c),
            _ => {}
        }
    }
    clean
}

pub fn clean_optional(text: Option<String>) -> Option<String> {
    text.map(clean_text)
}
