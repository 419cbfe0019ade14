//! The publisher's content as the build sees it: every article file and the index, read and
//! checked. A file the app could not show under its address fails the build, naming the file
//! and the reason; what the app would merely drop is printed as a warning.

use my_garage::core::article::{decode_article_at, decode_index, Article, ArticleIndex};
use my_garage::core::decode::{DecodeError, Decoded};
use my_garage::core::digest::digest;
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

/// Reads `api/articles/` under `dist`.
pub fn read(dist: &Path) -> Result<Content, String> {
    let dir = dist.join("api/articles");
    let mut warnings = Vec::new();
    let index_path = dir.join("index.json");
    let index = read_document(&index_path, &mut warnings, decode_index)?;
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
    let mut articles = BTreeMap::new();
    for path in paths {
        let slug = path
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or_default()
            .to_owned();
        let article = read_document(&path, &mut warnings, |bytes| {
            decode_article_at(&slug, bytes)
        })?;
        articles.insert(slug, article);
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

fn read_document<T>(
    path: &Path,
    warnings: &mut Vec<String>,
    decode: impl FnOnce(&[u8]) -> Result<Decoded<T>, DecodeError>,
) -> Result<Document<T>, String> {
    let bytes = std::fs::read(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
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
