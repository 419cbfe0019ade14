//! Build-time HTML for an article page, so a reader sees the article from the first bytes of
//! the document instead of after the app's code has arrived (see `tools/prerender`).
//!
//! The markup mirrors what `components::app` and `components::article_view` render, element
//! for element: a prerendered article and one the app renders from its JSON (published after
//! the build, or reached by navigating within the app) are the same page. An end-to-end test
//! compares the two. The comments island replaces the prerendered comment section.

use super::article::{Article, Block, Image};

/// Escapes text for an HTML text node or a double-quoted attribute.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for ch in text.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(ch),
        }
    }
    out
}

/// The whole page frame (skip link, header, main, footer) with the article in it.
pub fn article_page(article: &Article, base: &str) -> String {
    let e = escape;
    // In-page links carry the page's path: a bare "#x" would resolve against <base href>.
    let here = format!("{base}/articles/{}", article.slug);
    let mut html = String::with_capacity(16 * 1024);
    html.push_str(&format!(
        r##"<a class="skip-link" href="{here}#main">Skip to main content</a><header class="site-header"><nav class="site-nav" aria-label="Site"><a class="site-name" href="{base}/">My Garage</a></nav></header><main id="main" tabindex="-1"><div class="article-layout"><article class="article" aria-labelledby="headline"><header class="article-header">"##,
        base = e(base),
        here = e(&here)
    ));
    if !article.section.is_empty() {
        html.push_str(&format!(
            r#"<p class="section-label">{}</p>"#,
            e(&article.section)
        ));
    }
    html.push_str(&format!(
        r##"<h1 id="headline" tabindex="-1">{}</h1><p class="byline">By <span class="author">{}</span> | <time datetime="{}">{}</time></p><p class="comment-prompt"><span class="comment-prompt-text">Why not leave a comment?</span> <a href="{here}#comments">See all<span class="comment-count"></span></a> | <a href="{here}#add-comment">Add a comment</a></p></header>"##,
        e(&article.title),
        e(&article.author.name),
        e(&article.published.raw),
        e(&article.published.long_date()),
        here = e(&here)
    ));
    if !article.standfirst.is_empty() {
        html.push_str(&format!(
            r#"<p class="standfirst">{}</p>"#,
            e(&article.standfirst)
        ));
    }
    if let Some(image) = &article.lead_image {
        html.push_str(&figure(image, "lead-image"));
    }
    html.push_str(r#"<div class="article-body">"#);
    for block in &article.body {
        html.push_str(&match block {
            Block::Paragraph { text } => format!("<p>{}</p>", e(text)),
            Block::Heading { text } => format!("<h2>{}</h2>", e(text)),
            Block::Quote { text, cite } => format!(
                "<blockquote><p>{}</p>{}</blockquote>",
                e(text),
                cite.as_ref()
                    .map(|c| format!("<footer><cite>{}</cite></footer>", e(c)))
                    .unwrap_or_default()
            ),
            Block::Image(image) => figure(image, "body-image"),
        });
    }
    html.push_str("</div></article>");
    if !article.related.is_empty() {
        html.push_str(r#"<aside class="related" aria-labelledby="related-heading"><h2 id="related-heading">Related Articles</h2><ul>"#);
        for r in &article.related {
            html.push_str(&format!(
                r#"<li class="related-item"><a class="related-title" href="{}/articles/{}">{}</a><p class="related-summary">{}</p><time datetime="{}">{}</time></li>"#,
                e(base),
                e(&r.slug),
                e(&r.title),
                e(&r.summary),
                e(&r.published.raw),
                e(&r.published.short_date())
            ));
        }
        html.push_str("</ul></aside>");
    }
    html.push_str(r#"<section id="comments" class="comments" aria-labelledby="comments-heading" tabindex="-1"><h2 id="comments-heading">Comments <span class="count"></span></h2><p class="loading" role="status">Loading comments…</p></section></div></main><footer class="site-footer"><p>My Garage — motoring news</p></footer>"#);
    html
}

fn figure(image: &Image, class: &str) -> String {
    let e = escape;
    let img = image
        .src
        .as_ref()
        .map(|src| {
            let size = |name: &str, v: Option<u32>| {
                v.map(|v| format!(r#" {name}="{v}""#)).unwrap_or_default()
            };
            format!(
                r#"<img src="{}" alt="{}"{}{} loading="lazy" decoding="async">"#,
                e(src),
                e(&image.alt),
                size("width", image.width),
                size("height", image.height)
            )
        })
        .unwrap_or_default();
    let caption = image
        .caption
        .as_ref()
        .map(|c| format!("<figcaption>{}</figcaption>", e(c)))
        .unwrap_or_default();
    let no_image = if image.src.is_none() { " no-image" } else { "" };
    format!(r#"<figure class="{class}{no_image}">{img}{caption}</figure>"#)
}

/// Puts the prerendered page into a page template (the comments island's `index.html`), and
/// gives it its own title and description so the document is complete before any script runs.
pub fn into_index_html(index_html: &str, article: &Article, base: &str) -> Option<String> {
    let body_at = index_html.find("<body>")? + "<body>".len();
    let title_start = index_html.find("<title>")?;
    let title_end = index_html[title_start..].find("</title>")? + title_start + "</title>".len();
    let head = format!(
        r#"<title>{} | My Garage</title><meta name="description" content="{}">"#,
        escape(&article.title),
        escape(&article.standfirst)
    );
    Some(format!(
        "{}{}{}{}{}",
        &index_html[..title_start],
        head,
        &index_html[title_end..body_at],
        article_page(article, base),
        &index_html[body_at..]
    ))
}

#[cfg(all(test, not(target_arch = "wasm32")))] // native: proptest does not run in the browser
mod tests {
    use super::*;
    use crate::core::article::decode_article;

    const SEED: &str =
        include_str!("../../public/api/articles/putin-presents-new-luxury-car-to-kim-jong-un.json");

    #[test]
    fn escapes_markup_in_data() {
        assert_eq!(
            escape(r#"<script>"x" & 'y'</script>"#),
            "&lt;script&gt;&quot;x&quot; &amp; &#39;y&#39;&lt;/script&gt;"
        );
    }

    #[test]
    fn renders_every_part_of_the_seed() {
        let article = decode_article(SEED).unwrap();
        let html = article_page(&article, "");
        assert_eq!(html.matches("<h1").count(), 1);
        assert!(html.contains(r#"<time datetime="2024-02-20T12:00:00Z">February 20, 2024</time>"#));
        assert!(html.contains(r#"<figure class="lead-image no-image"><figcaption>Putin presents"#));
        assert!(!html.contains("<img"));
        assert_eq!(html.matches("<li class=\"related-item\">").count(), 4);
        assert!(html.contains("Kim Jong-un&#39;s sister"));
        assert!(html.contains(r#"href="/articles/volvo-xc60-comparison""#));
        assert!(article_page(&article, "/garage")
            .contains(r#"href="/garage/articles/volvo-xc60-comparison""#));
    }

    #[test]
    fn goes_into_the_index_page_with_its_own_title() {
        let article = decode_article(SEED).unwrap();
        let index =
            "<html><head><title>My Garage</title></head><body><noscript>x</noscript></body></html>";
        let page = into_index_html(index, &article, "").unwrap();
        assert!(page
            .contains("<title>Putin presents a new luxury car to Kim Jong-un | My Garage</title>"));
        assert!(page.contains(r#"<meta name="description" content="The gift is viewed"#));
        assert!(page.contains(r#"<body><a class="skip-link""#));
        assert!(page.ends_with("<noscript>x</noscript></body></html>"));
        assert_eq!(into_index_html("<html></html>", &article, ""), None);
    }
}
