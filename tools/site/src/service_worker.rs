//! `sw.js`: the service worker that keeps what a reader has opened for reading offline (see
//! `service-worker.js`, the template it is written from).

use my_garage::core::digest::digest;

const TEMPLATE: &str = include_str!("service-worker.js");

/// How many articles (page, data and comments) a reader's browser keeps for offline
/// reading: the most recently opened. docs/deploy.md says so.
pub const ARTICLES_KEPT: usize = 30;
/// The largest comments file kept for offline reading (decoded): a thread of several
/// thousand comments. A larger one is not kept (its download stops there), and offline its
/// article says the comments cannot be loaded. docs/deploy.md says so.
pub const COMMENTS_MAX_BYTES: usize = 2 * 1024 * 1024;

/// The largest photograph variant kept for offline reading: a variant is far smaller.
pub const PHOTO_MAX_BYTES: usize = 512 * 1024;
/// All the photographs kept for offline reading, together: the oldest kept go first.
/// docs/deploy.md says so.
pub const PHOTOS_MAX_BYTES: usize = 4 * 1024 * 1024;

/// The worker for a site under `base` ("" or "/sub"). `shell` is what it caches when it
/// installs beside the article page shell (paths under the base: the hashed code and CSS);
/// `version` names its cache, so each build has its own. The template's comment lines are
/// left out: every reader downloads the worker.
/// `service`: the comment service's address, if the site has one (its threads are kept).
pub fn service_worker(
    base: &str,
    shell: &[String],
    version: &str,
    service: Option<&str>,
) -> String {
    let paths: Vec<String> = shell.iter().map(|path| format!("{base}/{path}")).collect();
    let list = serde_json::to_string(&paths).unwrap_or_default();
    let base_text = serde_json::to_string(base).unwrap_or_default();
    let code: String = TEMPLATE
        .lines()
        .filter(|line| !line.trim_start().starts_with("//") && !line.trim().is_empty())
        .map(|line| format!("{line}\n"))
        .collect();
    code.replace("\"__VERSION__\"", &format!("\"{version}\""))
        .replace("\"__BASE__\"", &base_text)
        .replace("__SHELL__", &list)
        .replace(
            "\"__SERVICE__\"",
            &serde_json::to_string(service.unwrap_or_default()).unwrap_or_default(),
        )
        .replace("__ARTICLES_KEPT__", &ARTICLES_KEPT.to_string())
        .replace("__COMMENTS_MAX_BYTES__", &COMMENTS_MAX_BYTES.to_string())
        .replace("__PHOTO_MAX_BYTES__", &PHOTO_MAX_BYTES.to_string())
        .replace("__PHOTOS_MAX_BYTES__", &PHOTOS_MAX_BYTES.to_string())
}

/// A build's version: changes whenever any file of the shell changes (their names carry
/// their content's hash; the two pages are hashed here).
pub fn version(shell: &[String], pages: &[&str]) -> String {
    let mut all = shell.join("\n");
    for page in pages {
        all.push('\n');
        all.push_str(page);
    }
    digest(all.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_its_base_shell_and_version() {
        let shell = [
            "main-0123456789abcdef.css".to_owned(),
            "boot-fedcba9876543210.js".to_owned(),
        ];
        let worker = service_worker("/garage", &shell, "v1", None);
        assert!(worker.contains(r#"const VERSION = "v1";"#));
        assert!(worker.contains(r#"const BASE = "/garage";"#));
        assert!(worker.contains(
            r#"const SHELL = ["/garage/main-0123456789abcdef.css","/garage/boot-fedcba9876543210.js"];"#
        ));
        assert!(worker.contains(&format!("const ARTICLES_KEPT = {ARTICLES_KEPT};")));
        assert!(worker.contains(&format!("const COMMENTS_MAX_BYTES = {COMMENTS_MAX_BYTES};")));
        assert!(worker.contains(&format!("const PHOTOS_MAX_BYTES = {PHOTOS_MAX_BYTES};")));
        assert!(worker.contains(&format!("const PHOTO_MAX_BYTES = {PHOTO_MAX_BYTES};")));
        assert!(!worker.contains("__"), "every placeholder filled");
        assert!(!worker.contains("// "), "no comments");
        assert!(worker.contains(r#"const SERVICE = "";"#));
        let with_service = service_worker("", &shell, "v1", Some("https://comments.example.com/"));
        assert!(with_service.contains(r#"const SERVICE = "https://comments.example.com/";"#));
    }

    #[test]
    fn a_changed_page_or_file_is_a_new_version() {
        let shell = ["a-0123456789abcdef.js".to_owned()];
        let one = version(&shell, &["<p>one</p>"]);
        assert_eq!(one, version(&shell, &["<p>one</p>"]));
        assert_ne!(one, version(&shell, &["<p>two</p>"]));
        assert_ne!(
            one,
            version(&["a-fedcba9876543210.js".to_owned()], &["<p>one</p>"])
        );
    }
}
