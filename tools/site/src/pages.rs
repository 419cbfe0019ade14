//! Every page of the site, rendered by the app's own components (Leptos's `ssr` mode) into
//! the page Trunk built (its `index.html`, which loads the app's code). The app takes each
//! page over as it is (see `my_garage::boot`).

use crate::content::Content;
use crate::lists::ListDoc;
use leptos::prelude::*;
use my_garage::components::app::{App, Site, Start};
use my_garage::components::page_head::PageHead;
use my_garage::core::head::Head;
use my_garage::core::page::Prerendered;
use my_garage::core::paging::ListPage;
use my_garage::core::route::{Route, RouteContent, RouteData};
use std::collections::BTreeMap;

/// A page to write: its path under the build's directory, and its HTML.
#[cfg(test)]
pub struct Page {
    pub file: String,
    pub html: String,
}

/// The page a host serves for an address under `/articles/` with no page of its own (an
/// article published after the build, or no article at all): the article route while its
/// data loads, which the app renders from the article's JSON, or as "Page not found". It is
/// the folder's `404.html`, so it needs no rule: Cloudflare Pages serves the `404.html`
/// nearest the address, with status 404 (a `_redirects` rule would apply even to the
/// articles that have a page). Netlify needs a rule of its own (docs/deploy.md).
pub const ARTICLE_404_FILE: &str = "articles/404.html";

/// One page of the site: which, and so from what it is rendered.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Spec {
    /// A list's page (the front page is the first of everything).
    List(ListPage),
    Article(String),
    NotFound,
    /// The page for any article without one of its own (`ARTICLE_404_FILE`).
    ArticleLoading,
}

impl Spec {
    /// Its file under the build's directory.
    pub fn file(&self) -> String {
        match self {
            // "/" → "index.html", "/page/2" → "page/2/index.html".
            Spec::List(list) => {
                let path = list.path("");
                let dir = path.trim_matches('/');
                if dir.is_empty() {
                    "index.html".into()
                } else {
                    format!("{dir}/index.html")
                }
            }
            Spec::Article(slug) => format!("articles/{slug}/index.html"),
            Spec::NotFound => "404.html".into(),
            Spec::ArticleLoading => ARTICLE_404_FILE.into(),
        }
    }
}

/// Renders the site's pages: the same for every page, so pages can be rendered on many
/// threads and each one's cache key need only name its own data.
pub struct Renderer<'a> {
    template: &'a str,
    site: &'a Site,
    content: &'a Content,
    lists: &'a BTreeMap<ListPage, ListDoc>,
    /// The worker's address, for the pages to register it.
    service_worker: Option<&'a str>,
    settings_json: String,
}

impl<'a> Renderer<'a> {
    pub fn new(
        template: &'a str,
        site: &'a Site,
        content: &'a Content,
        lists: &'a BTreeMap<ListPage, ListDoc>,
        service_worker: Option<&'a str>,
    ) -> Renderer<'a> {
        Renderer {
            template,
            site,
            content,
            lists,
            service_worker,
            settings_json: site.settings.to_page_json(),
        }
    }

    /// What every page is rendered from besides its own data, for the render cache's key.
    pub fn inputs(&self) -> Vec<String> {
        vec![
            self.template.to_owned(),
            format!("{:?}", self.site.settings),
            self.site.base.to_string(),
            format!("{:?}", self.service_worker),
        ]
    }

    /// Every list's pages, every article, the not-found page and the article page while
    /// its data loads (`articles/404.html`).
    pub fn specs(&self) -> Vec<Spec> {
        let mut specs: Vec<Spec> = self.lists.keys().cloned().map(Spec::List).collect();
        specs.extend(self.content.articles.keys().cloned().map(Spec::Article));
        specs.extend([Spec::NotFound, Spec::ArticleLoading]);
        specs
    }

    /// The digest of the page's own data ("" for a page with none): with [`Self::inputs`],
    /// all a page is rendered from.
    pub fn data_digest(&self, spec: &Spec) -> &str {
        match spec {
            Spec::List(list) => self.lists.get(list).map_or("", |doc| doc.digest.as_str()),
            Spec::Article(slug) => self
                .content
                .articles
                .get(slug)
                .map_or("", |a| a.digest.as_str()),
            Spec::NotFound | Spec::ArticleLoading => "",
        }
    }

    /// The page's HTML.
    pub fn render(&self, spec: &Spec) -> Result<String, String> {
        let (settings, base) = (&self.site.settings, &*self.site.base);
        match spec {
            Spec::List(list) => {
                let doc = self
                    .lists
                    .get(list)
                    .ok_or_else(|| format!("no list page {list:?} to render"))?;
                self.page(
                    Route::List(list.clone()),
                    Some(RouteContent::List(doc.index.clone())),
                    Head::list(settings, base, &doc.index),
                    Prerendered::List {
                        list: list.clone(),
                        digest: doc.digest.clone(),
                    },
                )
            }
            Spec::Article(slug) => {
                let article = self
                    .content
                    .articles
                    .get(slug)
                    .ok_or_else(|| format!("no article {slug:?} to render"))?;
                self.page(
                    Route::Article(slug.clone()),
                    Some(RouteContent::Article(Box::new(article.value.clone()))),
                    Head::article(settings, base, &article.value),
                    Prerendered::Article {
                        slug: slug.clone(),
                        digest: article.digest.clone(),
                    },
                )
            }
            Spec::NotFound => self.page(
                Route::NotFound,
                None,
                Head::unlisted(settings, "Page not found", "This page could not be found."),
                Prerendered::NotFound,
            ),
            // The article route while it loads (which article is its address's, so the
            // page names no data).
            Spec::ArticleLoading => self.page(
                Route::Article("loading".into()),
                None,
                Head::unlisted(settings, "Loading article", "The article is loading."),
                Prerendered::ArticleLoading,
            ),
        }
    }

    /// A route's page, rendered from its data (`core::route` says which), which the page
    /// names for the loader to preload (`data`) unless it has none of its own.
    fn page(
        &self,
        route: Route,
        initial: Option<RouteContent>,
        head: Head,
        marker: Prerendered,
    ) -> Result<String, String> {
        let (site, base, settings) = (self.site, &*self.site.base, &self.site.settings);
        let data = initial
            .is_some()
            .then(|| route.data())
            .flatten()
            .map(|data: RouteData| data.url(base));
        let feed = (settings.name.clone(), format!("{base}/feed.xml"));
        let body = render(|| {
            let start = Start {
                site: site.clone(),
                path: route.path(base),
                hash: String::new(),
                initial,
            };
            view! { <App start /> }.to_html()
        });
        // The head is never hydrated: the renderer's markers (empty comments) would only be
        // noise there, and text inside `<title>`. Data text is escaped, so none is a marker.
        let service_worker = self.service_worker.map(str::to_owned);
        let settings_json = self.settings_json.clone();
        let head = render(|| {
            view! { <PageHead head page=marker base=base.to_owned() data feed service_worker settings=settings_json /> }
                .to_html()
        })
        .replace(HYDRATION_MARKER, "");
        fill_template(self.template, &settings.language, &head, &body)
            .ok_or_else(|| "the page Trunk built has no <title> or <body> to fill".to_owned())
    }
}

/// Every page (see [`Renderer::specs`]), one after another.
#[cfg(test)]
pub fn render_all(
    template: &str,
    site: &Site,
    content: &Content,
    service_worker: Option<&str>,
) -> Result<Vec<Page>, String> {
    let lists = crate::lists::lists(content);
    let renderer = Renderer::new(template, site, content, &lists, service_worker);
    renderer
        .specs()
        .iter()
        .map(|spec| {
            Ok(Page {
                file: spec.file(),
                html: renderer.render(spec)?,
            })
        })
        .collect()
}

/// The empty comment Leptos's renderer writes where the browser's DOM needs a node to
/// hydrate against (between two texts, at a view's end). The vendored renderer writes it
/// as `<!---->`, the conforming spelling (see vendor/README.md).
pub const HYDRATION_MARKER: &str = "<!---->";

/// Renders a view under an owner of its own, dropped with the render.
fn render(view: impl FnOnce() -> String) -> String {
    let owner = Owner::new();
    owner.with(view)
}

/// Trunk's page with the head's `<title>` replaced by `head`, the language set, and `body`
/// as the body's content.
pub fn fill_template(template: &str, language: &str, head: &str, body: &str) -> Option<String> {
    let title_start = template.find("<title>")?;
    let title_end = template[title_start..].find("</title>")? + title_start + "</title>".len();
    let body_open = template.find("<body")?;
    let body_start = template[body_open..].find('>')? + body_open + 1;
    let body_end = template.rfind("</body>")?;
    if body_end < body_start || title_end > body_start {
        return None;
    }
    let before_title = template[..title_start].replacen(
        "<html lang=\"en\">",
        &format!("<html lang=\"{}\">", escape_attribute(language)),
        1,
    );
    Some(format!(
        "{before_title}{head}{}{body}{}",
        &template[title_end..body_start],
        &template[body_end..]
    ))
}

fn escape_attribute(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('"', "&quot;")
        .replace('<', "&lt;")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The build's page and the app's render agree node for node even when the data holds
    /// what an HTML parser drops: a paragraph of one NUL is no paragraph in either.
    #[test]
    fn text_the_html_parser_would_drop_never_reaches_a_page() {
        use crate::content::{Content, Document};
        use my_garage::core::article::{decode_article, decode_index};
        use my_garage::core::site::SiteSettings;
        let article = br#"{"slug":"nul","title":"Nul\u0000","author":{"name":"N"},
            "published":"2024-01-01T00:00:00Z",
            "body":[{"type":"paragraph","text":"\u0000"},{"type":"paragraph","text":"kept\u0000"}]}"#;
        let index = br#"{"articles":[]}"#;
        let content = Content {
            index: Document {
                value: decode_index(index).unwrap().value,
                digest: "i".into(),
            },
            articles: [(
                "nul".to_owned(),
                Document {
                    value: decode_article(article).unwrap().value,
                    digest: "a".into(),
                },
            )]
            .into(),
            warnings: Vec::new(),
        };
        let site = Site::new(SiteSettings::bundled(), "");
        let template =
            "<!DOCTYPE html><html lang=\"en\"><head><title>x</title></head><body></body></html>";
        let pages = render_all(template, &site, &content, None).unwrap();
        let page = pages
            .iter()
            .find(|p| p.file == "articles/nul/index.html")
            .unwrap();
        assert!(!page.html.contains('\0'));
        let body = &page.html[page.html.find("article-body").unwrap()..];
        let body = &body[..body.find("</div>").unwrap()];
        assert_eq!(body.matches("<p").count(), 1, "{body}");
        assert!(body.contains(">kept<"), "{body}");
    }

    #[test]
    fn the_renderer_marks_hydration_points_with_conforming_comments() {
        let two_texts = render(|| {
            let second = String::from("b");
            view! { <p>"a"{second}</p> }.to_html()
        });
        assert!(two_texts.contains(HYDRATION_MARKER), "{two_texts}");
        // `<!>` is the same empty comment to a browser, but HTML calls it a bogus comment.
        assert!(!two_texts.contains("<!>"), "{two_texts}");
    }

    #[test]
    fn fills_the_page_trunk_built() {
        let template = "<!DOCTYPE html><html lang=\"en\"><head><title>My Garage</title><script type=module>x</script></head><body>\n</body></html>";
        let page = fill_template(template, "en-GB", "<title>T</title>", "<main>B</main>").unwrap();
        assert_eq!(
            page,
            "<!DOCTYPE html><html lang=\"en-GB\"><head><title>T</title><script type=module>x</script></head><body><main>B</main></body></html>"
        );
        assert_eq!(
            fill_template("<html><body></body></html>", "en", "", ""),
            None
        );
    }
}
