//! The baseline for what publishing costs a first load: a copy of the build whose pages lack
//! what was added for publishing ([`Addition`]): the canonical link, the `og:*`, `article:*`
//! and `twitter:*` metas, the JSON-LD, the feed's alternate link, and the `my-garage:sw` meta
//! (without it the app registers no service worker, so nothing it fetches is fetched).
//! Every other file is the build's own, the app's code included: the two sites differ only
//! by those additions. The changed pages are precompressed again, as the build does.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use garage_precompress::{precompress_dir, Encoding};

use super::Error;

/// One kind of tag the build writes into a page's head for publishing.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Addition {
    Canonical,
    OpenGraph,
    Article,
    Twitter,
    JsonLd,
    FeedLink,
    ServiceWorker,
}

impl Addition {
    /// How the report names one or more of them.
    pub fn label(self) -> &'static str {
        match self {
            Addition::Canonical => "canonical link",
            Addition::OpenGraph => "og:* meta",
            Addition::Article => "article:* meta",
            Addition::Twitter => "twitter:* meta",
            Addition::JsonLd => "JSON-LD script",
            Addition::FeedLink => "feed link",
            Addition::ServiceWorker => "my-garage:sw meta",
        }
    }

    /// What `tag` is, if it is one of the additions.
    fn of(tag: &Tag) -> Option<Addition> {
        match tag.name.as_str() {
            "meta" => {
                // Open Graph and article metas use `property`; Twitter's use `name`. Either
                // is accepted for each, as crawlers do.
                let key = tag.attr("property").or_else(|| tag.attr("name"))?;
                if key.starts_with("og:") {
                    Some(Addition::OpenGraph)
                } else if key.starts_with("article:") {
                    Some(Addition::Article)
                } else if key.starts_with("twitter:") {
                    Some(Addition::Twitter)
                } else if key == "my-garage:sw" {
                    Some(Addition::ServiceWorker)
                } else {
                    None
                }
            }
            "link" => {
                let rel = tag.attr("rel").unwrap_or_default().to_ascii_lowercase();
                let mut rel = rel.split_ascii_whitespace();
                if rel.clone().any(|r| r == "canonical") {
                    Some(Addition::Canonical)
                } else if rel.any(|r| r == "alternate")
                    && tag.attr("type") == Some("application/atom+xml")
                {
                    Some(Addition::FeedLink)
                } else {
                    None
                }
            }
            "script" if tag.attr("type") == Some("application/ld+json") => Some(Addition::JsonLd),
            _ => None,
        }
    }
}

/// How many of each addition were removed.
pub type Removed = BTreeMap<Addition, usize>;

/// The baseline as written.
pub struct UnpublishedSite {
    pub dir: PathBuf,
    /// Per page changed (its path relative to the site), what was removed from it.
    pub pages: BTreeMap<PathBuf, Removed>,
}

impl UnpublishedSite {
    /// Everything removed, over all pages.
    pub fn removed(&self) -> Removed {
        let mut all = Removed::new();
        for removed in self.pages.values() {
            for (&addition, &count) in removed {
                *all.entry(addition).or_default() += count;
            }
        }
        all
    }
}

/// Copies `dist` to `out_dir` (replacing it), removes the additions from every HTML page
/// there and precompresses the changed pages. Fails if no page had a `my-garage:sw` meta:
/// the build is then not a release build with a service worker, and the baseline would
/// measure nothing.
pub fn write_unpublished_site(dist: &Path, out_dir: &Path) -> Result<UnpublishedSite, Error> {
    if fs::exists(out_dir)? {
        fs::remove_dir_all(out_dir)?;
    }
    copy_dir(dist, out_dir)?;
    let mut pages = BTreeMap::new();
    for page in html_files(out_dir)? {
        let html = fs::read_to_string(&page)?;
        let (stripped, removed) = strip_publishing(&html);
        if removed.is_empty() {
            continue;
        }
        // Removed first: the copies of the build's variants would otherwise be served.
        for encoding in Encoding::BY_PREFERENCE {
            fs::remove_file(encoding.sibling_of(&page))?;
        }
        fs::write(&page, stripped)?;
        let relative = page.strip_prefix(out_dir).unwrap_or(&page).to_path_buf();
        pages.insert(relative, removed);
    }
    precompress_dir(out_dir)?;
    let site = UnpublishedSite {
        dir: out_dir.to_path_buf(),
        pages,
    };
    if !site.removed().contains_key(&Addition::ServiceWorker) {
        return Err(format!(
            "no page of {} registers a service worker (a release build does): nothing to compare",
            dist.display()
        )
        .into());
    }
    Ok(site)
}

/// Copies a directory tree. Each directory's entries are copied in name order, so a file is
/// written before its `.br` / `.gz` variants and they stay fresh for `precompress_dir`
/// (which would otherwise compress every file again).
fn copy_dir(from: &Path, to: &Path) -> Result<(), Error> {
    fs::create_dir_all(to)?;
    let mut entries = fs::read_dir(from)?.collect::<Result<Vec<_>, _>>()?;
    entries.sort_by_key(|entry| entry.file_name());
    for entry in entries {
        let target = to.join(entry.file_name());
        if entry.file_type()?.is_dir() {
            copy_dir(&entry.path(), &target)?;
        } else {
            fs::copy(entry.path(), &target)?;
        }
    }
    Ok(())
}

fn html_files(dir: &Path) -> Result<Vec<PathBuf>, Error> {
    let mut found = Vec::new();
    for entry in fs::read_dir(dir)? {
        let entry = entry?;
        let path = entry.path();
        if entry.file_type()?.is_dir() {
            found.extend(html_files(&path)?);
        } else if path.extension().is_some_and(|ext| ext == "html") {
            found.push(path);
        }
    }
    found.sort();
    Ok(found)
}

/// `html` without the additions in its head, and what was removed. Only the head is
/// looked at: the additions live there, and an article's text never becomes a tag.
pub fn strip_publishing(html: &str) -> (String, Removed) {
    let head_end = find_ignoring_case(html, 0, "</head").unwrap_or(html.len());
    let mut out = String::with_capacity(html.len());
    let mut removed = Removed::new();
    let mut copied = 0;
    let mut at = 0;
    while let Some(offset) = html[at..head_end].find('<') {
        let start = at + offset;
        let rest = &html[start..];
        if rest.starts_with("<!--") {
            at = rest.find("-->").map_or(head_end, |end| start + end + 3);
            at = at.min(head_end);
            continue;
        }
        let Some(tag) = Tag::parse(rest) else {
            at = start + 1;
            continue;
        };
        let mut end = start + tag.len;
        // A script's or style's text is not markup: skip to its end tag.
        if tag.name == "script" || tag.name == "style" {
            let close = format!("</{}", tag.name);
            end = find_ignoring_case(html, end, &close)
                .and_then(|close| html[close..].find('>').map(|gt| close + gt + 1))
                .unwrap_or(head_end);
        }
        if let Some(addition) = Addition::of(&tag) {
            out.push_str(&html[copied..start]);
            copied = end;
            *removed.entry(addition).or_default() += 1;
        }
        at = end.min(head_end);
    }
    out.push_str(&html[copied..]);
    (out, removed)
}

fn find_ignoring_case(haystack: &str, from: usize, needle: &str) -> Option<usize> {
    haystack.as_bytes()[from..]
        .windows(needle.len())
        .position(|window| window.eq_ignore_ascii_case(needle.as_bytes()))
        .map(|i| from + i)
}

/// A start tag: its name (lowercase), attributes and length in bytes.
struct Tag {
    name: String,
    attrs: Vec<(String, String)>,
    len: usize,
}

impl Tag {
    /// The start tag at the beginning of `text` (which starts with `<`); `None` for an end
    /// tag, a declaration or a stray `<`.
    fn parse(text: &str) -> Option<Tag> {
        let bytes = text.as_bytes();
        let name_end = 1 + bytes[1..]
            .iter()
            .position(|b| !b.is_ascii_alphanumeric())
            .unwrap_or(bytes.len() - 1);
        if name_end == 1 {
            return None;
        }
        let name = text[1..name_end].to_ascii_lowercase();
        let mut attrs = Vec::new();
        let mut i = name_end;
        loop {
            while i < bytes.len() && (bytes[i].is_ascii_whitespace() || bytes[i] == b'/') {
                i += 1;
            }
            match bytes.get(i) {
                None => return None,
                Some(b'>') => break,
                Some(_) => {}
            }
            let attr_start = i;
            while i < bytes.len() && !matches!(bytes[i], b'=' | b'>' | b'/') {
                if bytes[i].is_ascii_whitespace() {
                    break;
                }
                i += 1;
            }
            let attr = text[attr_start..i].to_ascii_lowercase();
            while i < bytes.len() && bytes[i].is_ascii_whitespace() {
                i += 1;
            }
            let mut value = String::new();
            if bytes.get(i) == Some(&b'=') {
                i += 1;
                while i < bytes.len() && bytes[i].is_ascii_whitespace() {
                    i += 1;
                }
                match bytes.get(i) {
                    Some(&quote @ (b'"' | b'\'')) => {
                        let close = i + 1 + bytes[i + 1..].iter().position(|&b| b == quote)?;
                        value = text[i + 1..close].to_owned();
                        i = close + 1;
                    }
                    _ => {
                        let start = i;
                        while i < bytes.len() && !bytes[i].is_ascii_whitespace() && bytes[i] != b'>'
                        {
                            i += 1;
                        }
                        value = text[start..i].to_owned();
                    }
                }
            }
            attrs.push((attr, value));
        }
        Some(Tag {
            name,
            attrs,
            len: i + 1,
        })
    }

    fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(attr, _)| attr == name)
            .map(|(_, value)| value.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A page's head as the build writes it (shortened).
    const PAGE: &str = concat!(
        "<!DOCTYPE html>\n<html lang=\"en-GB\">\n  <head>\n    <meta charset=\"utf-8\" />\n",
        "    <!-- The build puts the canonical link, social cards and structured data here -->\n",
        "    <title>Putin | My Garage</title><meta name=\"description\" content=\"A > B\">",
        "<link rel=\"canonical\" href=\"https://www.example.com/articles/x\">",
        "<meta content=\"article\" property=\"og:type\"><meta content=\"T\" property=\"og:title\">",
        "<meta content=\"2024-02-20T12:00:00Z\" property=\"article:published_time\">",
        "<meta content=\"summary\" name=\"twitter:card\">",
        "<link rel=\"alternate\" type=\"application/atom+xml\" title=\"My Garage\" href=\"/feed.xml\">",
        "<meta name=\"my-garage:base\" content=\"\"><meta name=\"my-garage:page\" content=\"article x 1\">",
        "<meta name=\"my-garage:sw\" content=\"/sw.js\">",
        "<meta name=\"my-garage:data\" content=\"/api/articles/x.json\">",
        "<script type=\"application/ld+json\">{\"headline\":\"<meta property='og:x'>\"}</script>\n",
        "    <link rel=\"icon\" href=\"data:,\" />\n",
        "<script type=\"module\">if (1 < 2) { document.write('<link rel=\"canonical\">'); }</script>",
        "</head>\n  <body><p>&lt;meta property=\"og:title\"&gt;</p><meta property=\"og:body\"></body></html>",
    );

    #[test]
    fn removes_each_addition_and_nothing_else() {
        let (stripped, removed) = strip_publishing(PAGE);
        let expected = concat!(
            "<!DOCTYPE html>\n<html lang=\"en-GB\">\n  <head>\n    <meta charset=\"utf-8\" />\n",
            "    <!-- The build puts the canonical link, social cards and structured data here -->\n",
            "    <title>Putin | My Garage</title><meta name=\"description\" content=\"A > B\">",
            "<meta name=\"my-garage:base\" content=\"\"><meta name=\"my-garage:page\" content=\"article x 1\">",
            "<meta name=\"my-garage:data\" content=\"/api/articles/x.json\">",
            "\n    <link rel=\"icon\" href=\"data:,\" />\n",
            "<script type=\"module\">if (1 < 2) { document.write('<link rel=\"canonical\">'); }</script>",
            "</head>\n  <body><p>&lt;meta property=\"og:title\"&gt;</p><meta property=\"og:body\"></body></html>",
        );
        assert_eq!(stripped, expected);
        let counts: Vec<(Addition, usize)> = removed.into_iter().collect();
        assert_eq!(
            counts,
            [
                (Addition::Canonical, 1),
                (Addition::OpenGraph, 2),
                (Addition::Article, 1),
                (Addition::Twitter, 1),
                (Addition::JsonLd, 1),
                (Addition::FeedLink, 1),
                (Addition::ServiceWorker, 1),
            ]
        );
    }

    #[test]
    fn a_page_without_additions_is_left_as_it_is() {
        let page =
            "<html><head><meta charset=utf-8><link rel=stylesheet href=/a.css></head></html>";
        let (stripped, removed) = strip_publishing(page);
        assert_eq!(stripped, page);
        assert!(removed.is_empty());
    }

    #[test]
    fn reads_attributes_quoted_or_not_in_any_case() {
        let tag = Tag::parse("<LINK REL='Alternate' type=application/atom+xml href=\"/f\">x")
            .expect("a tag");
        assert_eq!(tag.name, "link");
        assert_eq!(tag.len, 58);
        assert_eq!(Addition::of(&tag), Some(Addition::FeedLink));
        assert!(Tag::parse("</head>").is_none());
        assert!(Tag::parse("<meta content=\"unclosed").is_none());
    }

    #[test]
    fn writes_the_site_with_fresh_variants_of_the_changed_pages() {
        let root = std::env::temp_dir().join(format!("garage-unpublished-{}", std::process::id()));
        let (dist, out) = (root.join("dist"), root.join("out"));
        let article = dist.join("articles/x");
        fs::create_dir_all(&article).unwrap();
        fs::write(article.join("index.html"), PAGE).unwrap();
        fs::write(dist.join("app.js"), "let a = 1;").unwrap();
        precompress_dir(&dist).unwrap();
        let site = write_unpublished_site(&dist, &out).unwrap();
        assert_eq!(
            site.pages.keys().collect::<Vec<_>>(),
            [Path::new("articles/x/index.html")]
        );
        assert_eq!(site.removed()[&Addition::OpenGraph], 2);
        let page = fs::read(out.join("articles/x/index.html")).unwrap();
        let brotli = fs::read(out.join("articles/x/index.html.br")).unwrap();
        let mut decoded = Vec::new();
        brotli::BrotliDecompress(&mut brotli.as_slice(), &mut decoded).unwrap();
        assert_eq!(decoded, page, "the .br is the stripped page's");
        assert_eq!(
            fs::read(out.join("app.js.br")).unwrap(),
            fs::read(dist.join("app.js.br")).unwrap()
        );
        assert!(
            write_unpublished_site(&out, &root.join("again")).is_err(),
            "a site without a service worker has nothing to compare"
        );
        fs::remove_dir_all(&root).unwrap();
    }
}
