//! Trunk's loader (`pattern_script` in `Trunk.toml`): an inline module script that fetches
//! and starts the app's code after the page's first paint, and the `<meta
//! name="my-garage:app">` before it that names that code. The script's text is the same for
//! every build (the file names are in the meta), so the Content-Security-Policy allows it by
//! one hash that never changes: a host configured once by hand (nginx, CloudFront) stays
//! right.

/// The meta that names the app's JS and wasm for the loader.
pub const APP_META: &str = "my-garage:app";

/// Checks that the page Trunk built has the loader and its meta: the pages would otherwise
/// never start the app.
pub fn check(template: &str) -> Result<(), String> {
    if !template.contains(&format!("<meta name=\"{APP_META}\"")) {
        return Err(format!(
            "the page Trunk built has no <meta name=\"{APP_META}\"> (see pattern_script in Trunk.toml)"
        ));
    }
    if !template.contains("<script type=\"module\">") {
        return Err("the page Trunk built has no loader (see pattern_script in Trunk.toml)".into());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const TRUNK_TOML: &str = include_str!("../../../Trunk.toml");

    /// The loader (in `Trunk.toml`) and the head the build writes (`PageHead`) must agree on
    /// the metas' names.
    #[test]
    fn the_loader_reads_the_metas_the_page_has() {
        let data = my_garage::core::page::DATA_META;
        let name = |meta: &str| meta.trim_start_matches("my-garage:").to_owned();
        assert!(
            TRUNK_TOML.contains(&format!("meta(\"{}\")", name(data))),
            "{data}"
        );
        assert!(TRUNK_TOML.contains(&format!("meta(\"{}\")", name(APP_META))));
        assert!(TRUNK_TOML.contains(&format!(
            "<meta name=\"{APP_META}\" content=\"{{base}}{{js}} {{base}}{{wasm}}\">"
        )));
    }

    /// Its text names no build file: only the meta does, so its hash is every build's.
    #[test]
    fn the_loaders_text_is_the_same_for_every_build() {
        let script_start = TRUNK_TOML.find("<script type=\"module\">").unwrap();
        let script_end = TRUNK_TOML[script_start..].find("</script>").unwrap() + script_start;
        let script = &TRUNK_TOML[script_start..script_end];
        assert!(
            !script.contains('{') || !script.contains("{js}"),
            "{script}"
        );
        for placeholder in ["{base}", "{js}", "{wasm}"] {
            assert!(!script.contains(placeholder), "{placeholder} in the script");
        }
    }

    #[test]
    fn a_page_without_the_loader_fails_the_build() {
        assert!(check("<head><title>T</title></head>").is_err());
        assert!(check(&format!(
            "<meta name=\"{APP_META}\" content=\"/a.js /a.wasm\"><script type=\"module\">go()</script>"
        ))
        .is_ok());
    }
}
