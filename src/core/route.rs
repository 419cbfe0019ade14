//! The app's routes, parsed from a URL path (after the deploy's base path), and the data
//! each one is rendered from: the one place that says so, for the app (which fetches it,
//! and takes a prerendered page over with it) and the build (which renders each route's
//! page from it, and names it in the page for the loader to preload).

use super::article::{is_valid_slug, Article, ArticleIndex};

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

/// The data a route's page is rendered from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RouteData {
    /// `/api/articles/index.json`: the front page's list.
    Index,
    /// `/api/articles/{slug}.json`: one article.
    Article(String),
}

impl Route {
    /// What the route's page is rendered from (the not-found page needs nothing).
    pub fn data(&self) -> Option<RouteData> {
        match self {
            Route::Front => Some(RouteData::Index),
            Route::Article(slug) => Some(RouteData::Article(slug.clone())),
            Route::NotFound => None,
        }
    }

    /// The route's address under the deploy's base path ("" or "/sub").
    pub fn path(&self, base: &str) -> String {
        match self {
            Route::Front => front_path(base),
            Route::Article(slug) => article_path(base, slug),
            Route::NotFound => format!("{base}/404.html"),
        }
    }
}

/// A route's data, decoded: what its page is rendered from.
#[derive(Clone, Debug, PartialEq)]
pub enum RouteContent {
    Index(ArticleIndex),
    Article(Box<Article>),
}

impl RouteContent {
    /// Whether this is the data of `route` (an article's must be that article).
    pub fn is_for(&self, route: &Route) -> bool {
        match (self, route) {
            (RouteContent::Index(_), Route::Front) => true,
            (RouteContent::Article(article), Route::Article(slug)) => article.slug == *slug,
            _ => false,
        }
    }
}

impl RouteData {
    /// Its path under `/api/`.
    pub fn api_path(&self) -> String {
        match self {
            RouteData::Index => "articles/index.json".into(),
            RouteData::Article(slug) => format!("articles/{slug}.json"),
        }
    }

    /// Its address under the deploy's base path.
    pub fn url(&self, base: &str) -> String {
        format!("{base}/api/{}", self.api_path())
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
    fn each_route_names_its_data_and_its_address() {
        assert_eq!(Route::Front.data(), Some(RouteData::Index));
        assert_eq!(
            Route::Article("a-b".into())
                .data()
                .map(|d| d.url("/garage")),
            Some("/garage/api/articles/a-b.json".to_owned())
        );
        assert_eq!(RouteData::Index.url(""), "/api/articles/index.json");
        assert_eq!(Route::NotFound.data(), None);
        for route in [Route::Front, Route::Article("a-b".into())] {
            assert_eq!(
                strip_base(&route.path("/garage"), "/garage").map(Route::parse),
                Some(route)
            );
        }
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
