//! The app's routes, parsed from a URL path (after the deploy's base path), and the data
//! each one is rendered from: the one place that says so, for the app (which fetches it,
//! and takes a prerendered page over with it) and the build (which renders each route's
//! page from it, and names it in the page for the loader to preload).

use super::article::{is_valid_slug, Article, ArticleIndex};
use super::paging::ListPage;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Route {
    /// A page of a list: the front page (`ListPage::front`), the archive after it, or a
    /// section's.
    List(ListPage),
    Article(String),
    NotFound,
}

impl Route {
    /// `/` is the front page, `/articles/{slug}` an article, `/page/{n}` and
    /// `/section/{slug}` (and its `/page/{n}`) pages of lists; anything else is not found.
    /// A trailing slash is tolerated, since static hosts often add one, and so is the
    /// page's own file name (`/articles/{slug}/index.html`), which nginx's `try_files` and
    /// some CDNs serve under that address.
    pub fn parse(path: &str) -> Route {
        let path = path.strip_suffix("/index.html").unwrap_or(path);
        let path = path.trim_end_matches('/');
        match path.strip_prefix("/articles/") {
            Some(slug) if is_valid_slug(slug) => Route::Article(slug.to_owned()),
            Some(_) => Route::NotFound,
            None => ListPage::parse(path).map_or(Route::NotFound, Route::List),
        }
    }
}

/// The data a route's page is rendered from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RouteData {
    /// A list's page: `/api/articles/index.json` for the front page (see `ListPage::api_path`).
    List(ListPage),
    /// `/api/articles/{slug}.json`: one article.
    Article(String),
}

impl Route {
    /// What the route's page is rendered from (the not-found page needs nothing).
    pub fn data(&self) -> Option<RouteData> {
        match self {
            Route::List(list) => Some(RouteData::List(list.clone())),
            Route::Article(slug) => Some(RouteData::Article(slug.clone())),
            Route::NotFound => None,
        }
    }

    /// The route's address under the deploy's base path ("" or "/sub").
    pub fn path(&self, base: &str) -> String {
        match self {
            Route::List(list) => list.path(base),
            Route::Article(slug) => article_path(base, slug),
            Route::NotFound => format!("{base}/404.html"),
        }
    }
}

/// A route's data, decoded: what its page is rendered from.
#[derive(Clone, Debug, PartialEq)]
pub enum RouteContent {
    List(ArticleIndex),
    Article(Box<Article>),
}

impl RouteContent {
    /// Whether this is the data of `route` (an article's must be that article).
    pub fn is_for(&self, route: &Route) -> bool {
        match (self, route) {
            (RouteContent::List(index), Route::List(list)) => ListPage::of(index) == *list,
            (RouteContent::Article(article), Route::Article(slug)) => article.slug == *slug,
            _ => false,
        }
    }
}

impl RouteData {
    /// Its path under `/api/`.
    pub fn api_path(&self) -> String {
        match self {
            RouteData::List(list) => list.api_path(),
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
        let front = Route::List(ListPage::front());
        assert_eq!(Route::parse("/"), front);
        assert_eq!(Route::parse(""), front);
        assert_eq!(Route::parse("/index.html"), front);
        assert_eq!(
            Route::parse("/page/2/"),
            Route::List(ListPage::front().with_page(2))
        );
        assert_eq!(
            Route::parse("/section/new-hero/index.html"),
            Route::List(ListPage {
                section: Some("new-hero".into()),
                page: 1
            })
        );
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
            "/page/1",
            "/articles/page/2",
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
        assert_eq!(
            Route::List(ListPage::front()).data(),
            Some(RouteData::List(ListPage::front()))
        );
        assert_eq!(
            Route::Article("a-b".into())
                .data()
                .map(|d| d.url("/garage")),
            Some("/garage/api/articles/a-b.json".to_owned())
        );
        assert_eq!(
            RouteData::List(ListPage::front()).url(""),
            "/api/articles/index.json"
        );
        assert_eq!(Route::NotFound.data(), None);
        for route in [
            Route::List(ListPage::front()),
            Route::List(ListPage::front().with_page(7)),
            Route::List(ListPage {
                section: Some("news".into()),
                page: 2,
            }),
            Route::Article("a-b".into()),
        ] {
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
