//! The publisher's content as the build sees it: every article file and the index, read and
//! checked. A file the app could not show under its address fails the build, naming the file
//! and the reason; what the app would merely drop is printed as a warning.

use my_garage::core::article::{decode_article_at, decode_index, Article, ArticleIndex};
use my_garage::core::decode::{DecodeError, Decoded};
use my_garage::core::digest::digest;
use my_garage::core::limits::{COMMENTS_LIMIT, DOCUMENT_LIMIT};
use std::collections::BTreeMap;
use std::path::Path;

/// A document and the digest of its bytes (the app compares it with the page's).
pub struct Document<T> {
    pub value: T,
    pub digest: String,
}

pub struct Content {
    pub index: Document<ArticleIndex>,
    /// By slug, which is each file's own name.
    pub articles: BTreeMap<String, Document<Article>>,
    pub warnings: Vec<String>,
}

/// The CMS's whole index is the build's input only (readers get it in pages: see
/// `lists`), so it may list far more than one document the app reads could.
const INDEX_LIMIT: usize = 1 << 30;

/// Reads `api/articles/` under `dist`, and checks the comments files' sizes.
pub fn read(dist: &Path) -> Result<Content, String> {
    let dir = dist.join("api/articles");
    let mut warnings = Vec::new();
    let index_path = dir.join("index.json");
    let index = read_document(&index_path, INDEX_LIMIT, &mut warnings, decode_index)?;
    let mut seen = std::collections::BTreeSet::new();
    for summary in &index.value.articles {
        if !seen.insert(summary.slug.as_str()) {
            return Err(format!(
                "{}: the slug \"{}\" is listed twice",
                index_path.display(),
                summary.slug
            ));
        }
    }
    let entries =
        std::fs::read_dir(&dir).map_err(|e| format!("cannot read {}: {e}", dir.display()))?;
    let mut paths: Vec<_> = entries
        .filter_map(|entry| Some(entry.ok()?.path()))
        .filter(|path| path.extension().is_some_and(|e| e == "json") && *path != index_path)
        .collect();
    paths.sort();
    // Read and decoded on all cores; warnings kept in the files' order.
    let read = garage_precompress::on_all_cores(&paths, |path| {
        let slug = path
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or_default()
            .to_owned();
        let mut warnings = Vec::new();
        let article = read_document(path, DOCUMENT_LIMIT, &mut warnings, |bytes| {
            decode_article_at(&slug, bytes)
        })?;
        Ok::<_, String>((slug, article, warnings))
    });
    let mut articles = BTreeMap::new();
    for result in read {
        let (slug, article, article_warnings) = result?;
        warnings.extend(article_warnings);
        articles.insert(slug, article);
    }
    // A related entry naming no article leads the reader to "Page not found".
    for (slug, article) in &articles {
        for related in &article.value.related {
            if !articles.contains_key(&related.slug) {
                warnings.push(format!(
                    "{}: related entry {:?} names an article that does not exist (no {}.json)",
                    dir.join(format!("{slug}.json")).display(),
                    related.slug,
                    related.slug
                ));
            }
        }
    }
    let comments = dist.join("api/comments");
    if let Ok(entries) = std::fs::read_dir(&comments) {
        for entry in entries.flatten() {
            let size = entry.metadata().map_or(0, |m| m.len());
            check_limit(&entry.path(), size as usize, COMMENTS_LIMIT)?;
        }
    }
    for summary in &index.value.articles {
        if !articles.contains_key(&summary.slug) {
            warnings.push(format!(
                "{}: {:?} is listed but has no file: its link will say \"Page not found\"",
                index_path.display(),
                summary.slug
            ));
        }
    }
    Ok(Content {
        index,
        articles,
        warnings,
    })
}

/// Fails, naming the file, when it is larger than the app takes in (`core::limits`, which
/// docs/data-contract.md lists): the reader's browser would refuse it.
pub fn check_limit(path: &Path, size: usize, limit: usize) -> Result<(), String> {
    if size > limit {
        return Err(format!(
            "{}: {size} bytes, more than the {limit} the app takes in (see docs/data-contract.md)",
            path.display()
        ));
    }
    Ok(())
}

fn read_document<T>(
    path: &Path,
    limit: usize,
    warnings: &mut Vec<String>,
    decode: impl FnOnce(&[u8]) -> Result<Decoded<T>, DecodeError>,
) -> Result<Document<T>, String> {
    let bytes = std::fs::read(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    check_limit(path, bytes.len(), limit)?;
    let decoded = decode(&bytes).map_err(|e| format!("{}: {e}", path.display()))?;
    warnings.extend(
        decoded
            .warnings
            .into_iter()
            .map(|w| format!("{}: {w}", path.display())),
    );
    Ok(Document {
        value: decoded.value,
        digest: digest(&bytes),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A scratch build directory with `api/articles/` files, removed on drop.
    struct Dist(std::path::PathBuf);

    impl Dist {
        fn with(files: &[(&str, &str)]) -> Dist {
            static COUNT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
            let n = COUNT.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            let root = std::env::temp_dir().join(format!("garage-site-{}-{n}", std::process::id()));
            let dir = root.join("api/articles");
            std::fs::create_dir_all(&dir).unwrap();
            for (name, text) in files {
                std::fs::write(dir.join(name), text).unwrap();
            }
            Dist(root)
        }
    }

    impl Drop for Dist {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }

    fn article(slug: &str, related: &str) -> String {
        format!(
            r#"{{"version":1,"slug":"{slug}","title":"T","author":{{"name":"N"}},"published":"2024-01-01T00:00:00Z","related":[{related}]}}"#
        )
    }

    const INDEX: &str =
        r#"{"version":1,"articles":[{"slug":"a","title":"A","published":"2024-01-01T00:00:00Z"}]}"#;

    #[test]
    fn a_related_entry_naming_a_missing_article_warns_naming_both() {
        let related = r#"{"slug":"gone","title":"Gone","published":"2024-01-01T00:00:00Z"}"#;
        let dist = Dist::with(&[("index.json", INDEX), ("a.json", &article("a", related))]);
        let content = read(&dist.0).unwrap();
        assert_eq!(content.warnings.len(), 1, "{:?}", content.warnings);
        let warning = &content.warnings[0];
        assert!(
            warning.contains("a.json: related entry \"gone\""),
            "{warning}"
        );
        assert!(
            warning.contains("names an article that does not exist"),
            "{warning}"
        );
    }

    #[test]
    fn reads_every_article_by_its_file_name_and_warns_about_what_is_dropped() {
        let bad_related = r#"{"slug":"b","title":"B","published":"yesterday"}"#;
        let dist = Dist::with(&[
            ("index.json", INDEX),
            ("a.json", &article("a", bad_related)),
        ]);
        let content = read(&dist.0).unwrap();
        assert_eq!(content.articles.keys().collect::<Vec<_>>(), ["a"]);
        assert_eq!(content.warnings.len(), 1, "{:?}", content.warnings);
        assert!(content.warnings[0].contains("a.json: dropped related entry 1"));
    }

    /// Many CMSs write `null` for an absent field: the build publishes such an article.
    #[test]
    fn an_article_with_null_optional_fields_is_published() {
        let article = r#"{"version":1,"slug":"a","title":"T","author":{"name":"N"},"published":"2024-01-01T00:00:00Z",
            "section":null,"standfirst":null,"updated":null,"lead_image":null,"body":null,"related":null}"#;
        let dist = Dist::with(&[("index.json", INDEX), ("a.json", article)]);
        let content = read(&dist.0).unwrap();
        assert!(content.articles["a"].value.body.is_empty());
        assert_eq!(content.warnings, Vec::<String>::new());
    }

    #[test]
    fn a_file_whose_slug_is_not_its_name_fails_the_build_naming_it() {
        let dist = Dist::with(&[("index.json", INDEX), ("a.json", &article("other", ""))]);
        let error = read(&dist.0).err().unwrap();
        assert!(error.contains("a.json"), "{error}");
        assert!(error.contains("is not the one in its address"), "{error}");
    }

    /// `articles/404.html` is the page for articles published after the build.
    #[test]
    fn an_article_with_the_slug_404_fails_the_build_naming_it() {
        let dist = Dist::with(&[("index.json", INDEX), ("404.json", &article("404", ""))]);
        let error = read(&dist.0).err().unwrap();
        assert!(error.contains("404.json"), "{error}");
    }

    #[test]
    fn a_slug_listed_twice_fails_the_build() {
        let index = r#"{"version":1,"articles":[
            {"slug":"a","title":"A","published":"2024-01-01T00:00:00Z"},
            {"slug":"a","title":"A again","published":"2024-01-02T00:00:00Z"}]}"#;
        let dist = Dist::with(&[("index.json", index), ("a.json", &article("a", ""))]);
        let error = read(&dist.0).err().unwrap();
        assert!(
            error.contains("index.json: the slug \"a\" is listed twice"),
            "{error}"
        );
    }

    #[test]
    fn an_article_that_cannot_be_read_fails_the_build_naming_it() {
        let dist = Dist::with(&[("index.json", INDEX), ("a.json", "{\"slug\": \"a\"")]);
        let error = read(&dist.0).err().unwrap();
        assert!(error.contains("a.json: EOF while parsing"), "{error}");
    }
}
