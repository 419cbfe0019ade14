//! `robots.txt`: every crawler may read every page, and is told where the sitemap is.

/// Allows everything and names the sitemap by its absolute URL. Crawlers read
/// `/robots.txt` at the origin's root only, so under a base path this file is one for the
/// origin's owner to merge into theirs.
pub fn robots(sitemap_url: &str) -> String {
    format!(
        "# Written by the build (tools/site).\n\
         User-agent: *\n\
         Allow: /\n\
         \n\
         Sitemap: {sitemap_url}\n"
    )
}

#[cfg(test)]
mod tests {
    use super::robots;

    #[test]
    fn allows_all_and_names_the_sitemap() {
        let text = robots("https://www.example.com/garage/sitemap.xml");
        let lines: Vec<&str> = text.lines().filter(|l| !l.starts_with('#')).collect();
        assert_eq!(
            lines,
            [
                "User-agent: *",
                "Allow: /",
                "",
                "Sitemap: https://www.example.com/garage/sitemap.xml"
            ]
        );
    }
}
