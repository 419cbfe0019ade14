//! `_redirects` (Netlify and Cloudflare Pages): what a host serves for an address with no
//! file of its own.

use crate::pages::ARTICLE_LOADING_FILE;

/// An article published after the build has no page yet: the host serves the article page
/// in its loading state, and the app loads the article from its JSON. Any other unknown
/// address gets `404.html` with status 404: both hosts do that by default at the root, and
/// under a sub-path a rule says so.
pub fn redirects(base: &str) -> String {
    let mut rules = format!(
        "# Written by the build (tools/site). An article published after the build gets the\n\
         # article page while it loads; other unknown addresses get 404.html, status 404.\n\
         {base}/articles/*  {base}/{ARTICLE_LOADING_FILE}  200\n"
    );
    if !base.is_empty() {
        rules.push_str(&format!("{base}/*  {base}/404.html  404\n"));
    }
    rules
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rewrites_unknown_articles_to_the_loading_page_under_the_base() {
        assert!(redirects("").ends_with("\n/articles/*  /article-loading.html  200\n"));
        assert!(redirects("/garage").ends_with(
            "\n/garage/articles/*  /garage/article-loading.html  200\n/garage/*  /garage/404.html  404\n"
        ));
    }
}
