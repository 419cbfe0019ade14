//! The app's routes, parsed from a URL path (after the deploy's base path).

use super::article::is_valid_slug;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Route {
    Front,
    Article(String),
    NotFound,
}

impl Route {
    /// `/` is the front page, `/articles/{slug}` an article; anything else is not found.
    /// A trailing slash is tolerated, since static hosts often add one, and so is the
    /// page's own file name (`/articles/{slug}/index.html`), which nginx's `try_files` and
    /// some CDNs serve under that address.
    pub fn parse(path: &str) -> Route {
        let path = path.strip_suffix("/index.html").unwrap_or(path);
        let path = path.trim_end_matches('/');
        if path.is_empty() {
            return Route::Front;
        }
        match path.strip_prefix("/articles/") {
            Some(slug) if is_valid_slug(slug) => Route::Article(slug.to_owned()),
            _ => Route::NotFound,
        }
    }
}

/// An article's address under the deploy's base path ("" or "/sub").
pub fn article_path(base: &str, slug: &str) -> String {
    format!("{base}/articles/{slug}")
}

/// The front page's address under the deploy's base path.
pub fn front_path(base: &str) -> String {
    format!("{base}/")
}

/// The part of `path` inside the app, if `path` lies under `base` ("" or "/sub").
pub fn strip_base<'a>(path: &'a str, base: &str) -> Option<&'a str> {
    let rest = path.strip_prefix(base)?;
    (rest.is_empty() || rest.starts_with('/')).then_some(rest)
}

#[cfg(all(test, not(target_arch = "wasm32")))] // native: proptest does not run in the browser
mod tests {
    use super::*;

    #[test]
    fn parses_routes() {
        assert_eq!(Route::parse("/"), Route::Front);
        assert_eq!(Route::parse(""), Route::Front);
        assert_eq!(Route::parse("/index.html"), Route::Front);
        assert_eq!(
            Route::parse("/articles/volvo-xc60"),
            Route::Article("volvo-xc60".into())
        );
        assert_eq!(
            Route::parse("/articles/volvo-xc60/"),
            Route::Article("volvo-xc60".into())
        );
        assert_eq!(
            Route::parse("/articles/volvo-xc60/index.html"),
            Route::Article("volvo-xc60".into()),
            "the page's own file, as nginx try_files serves it"
        );
        for other in [
            "/articles/",
            "/articles/Bad%20Slug",
            "/articles/a/b",
            "/about",
            "/articles",
            "/articles/index.html",
            "/articles/a/index.html/x",
        ] {
            assert_eq!(Route::parse(other), Route::NotFound, "{other}");
        }
    }

    #[test]
    fn builds_addresses_under_the_base() {
        assert_eq!(article_path("", "a-b"), "/articles/a-b");
        assert_eq!(article_path("/garage", "a-b"), "/garage/articles/a-b");
        assert_eq!(front_path(""), "/");
        assert_eq!(front_path("/garage"), "/garage/");
        let path = article_path("/garage", "a-b");
        assert_eq!(
            strip_base(&path, "/garage").map(Route::parse),
            Some(Route::Article("a-b".into()))
        );
    }

    #[test]
    fn strips_the_base_path() {
        assert_eq!(strip_base("/articles/x", ""), Some("/articles/x"));
        assert_eq!(
            strip_base("/garage/articles/x", "/garage"),
            Some("/articles/x")
        );
        assert_eq!(strip_base("/garage", "/garage"), Some(""));
        assert_eq!(strip_base("/garagex/y", "/garage"), None);
        assert_eq!(strip_base("/other", "/garage"), None);
    }
}
