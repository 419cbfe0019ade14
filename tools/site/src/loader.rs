//! Trunk's loader (the `<script type="module">` that fetches and starts the app's code, from
//! `pattern_script` in `Trunk.toml`) moved out of the page into a file of its own, named by
//! its content. The pages then run no inline script at all, so the Content-Security-Policy
//! is the same for every build (`script-src 'self'`): a host configured once by hand (nginx,
//! CloudFront) stays right.

use my_garage::core::digest::digest;

/// A loader taken out of the page template.
pub struct Loader {
    /// `boot-<hex>.js`, at the top of the build.
    pub file: String,
    pub code: String,
}

/// The template with its inline module script replaced by a `src` to a file, and that file;
/// `None` when the template has no inline module script (a build without Trunk's loader).
pub fn externalize(template: &str, base: &str) -> Option<(String, Loader)> {
    const OPEN: &str = "<script type=\"module\">";
    let start = template.find(OPEN)?;
    let body_start = start + OPEN.len();
    let end = body_start + template[body_start..].find("</script>")?;
    let code = template[body_start..end].trim().to_owned() + "\n";
    let file = format!("boot-{}.js", digest(code.as_bytes()));
    let tag = format!("<script type=\"module\" src=\"{base}/{file}\"></script>");
    let page = format!(
        "{}{tag}{}",
        &template[..start],
        &template[end + "</script>".len()..]
    );
    Some((page, Loader { file, code }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn moves_the_loader_into_a_file_named_by_its_content() {
        let template =
            "<head><title>T</title><script type=\"module\">\nawait go();\n</script></head>";
        let (page, loader) = externalize(template, "/garage").unwrap();
        assert_eq!(loader.code, "await go();\n");
        assert!(loader.file.starts_with("boot-") && loader.file.len() == "boot-.js".len() + 16);
        assert_eq!(
            page,
            format!(
                "<head><title>T</title><script type=\"module\" src=\"/garage/{}\"></script></head>",
                loader.file
            )
        );
        let (_, other) = externalize(&template.replace("go", "run"), "").unwrap();
        assert_ne!(other.file, loader.file, "new code, new name");
        assert!(externalize("<head></head>", "").is_none());
    }

    #[test]
    fn the_loader_preloads_the_data_the_page_head_names() {
        // Trunk.toml's loader and the head (`PageHead`) must agree on the meta's name.
        let trunk_toml = include_str!("../../../Trunk.toml");
        let selector = format!("meta[name=\"{}\"]", my_garage::core::page::DATA_META);
        assert!(trunk_toml.contains(&selector), "{selector}");
    }
}
