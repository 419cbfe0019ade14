//! Every page the release build writes (the front page, each article, the not-found page and
//! the page articles published after the build load in), at the root and under `/garage/`,
//! and the lists of the generated archive (target/archive-site), is valid HTML to the Nu
//! HTML checker (npm's `vnu-jar`, which `scripts/setup.sh` installs into `.tools/`, or the
//! jar `VNU_JAR` names; it runs on the machine's Java, offline).
#![cfg(not(target_arch = "wasm32"))]

mod support;

use std::path::{Path, PathBuf};
use std::process::Command;
use support::{dist_dir, subpath_root};

fn vnu_jar() -> PathBuf {
    let jar = std::env::var_os("VNU_JAR")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(env!("CARGO_MANIFEST_DIR"))
                .join("../../.tools/node_modules/vnu-jar/build/dist/vnu.jar")
        });
    assert!(
        jar.is_file(),
        "no Nu HTML checker at {} (scripts/setup.sh installs it)",
        jar.display()
    );
    jar
}

/// Every `.html` file under `dir`.
fn pages_under(dir: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            found.extend(pages_under(&path));
        } else if path.extension().is_some_and(|ext| ext == "html") {
            found.push(path);
        }
    }
    found.sort();
    found
}

/// The one attribute the pages carry that no HTML standard defines, and why: the
/// `elementtiming` of the Element Timing API (a W3C incubation Chromium implements), which the
/// benchmark reads to time the headline's and comments' paint. The checker knows only
/// standard HTML, so it calls the attribute an error; a browser ignores what it does not
/// know. Any other error fails the test.
const ELEMENT_TIMING: &str = "error: Attribute “elementtiming” not allowed on element";

/// The checker's errors about `pages`, one per line ("" when there are none).
fn errors_in(pages: &[PathBuf]) -> String {
    let output = Command::new("java")
        .arg("-jar")
        .arg(vnu_jar())
        .args(["--errors-only", "--format", "gnu"])
        .args(pages)
        .output()
        .expect("run java (the Nu HTML checker needs Java 11 or later)");
    assert!(
        output.status.success() || !output.stderr.is_empty(),
        "the checker failed without saying why: {output:?}"
    );
    String::from_utf8_lossy(&output.stderr)
        .lines()
        .filter(|line| !line.contains(ELEMENT_TIMING))
        .map(|line| format!("{line}\n"))
        .collect()
}

fn assert_valid(build: &Path) {
    let pages = pages_under(build);
    let names: Vec<String> = pages
        .iter()
        .map(|page| page.strip_prefix(build).unwrap().display().to_string())
        .collect();
    for expected in ["index.html", "404.html", "articles/404.html"] {
        assert!(
            names.iter().any(|name| name == expected),
            "{expected} in {names:?}"
        );
    }
    let articles = std::fs::read_dir(build.join("api/articles"))
        .unwrap()
        .filter_map(|entry| entry.ok()?.file_name().into_string().ok())
        .filter(|name| name.ends_with(".json") && name != "index.json")
        .count();
    assert_eq!(
        names
            .iter()
            .filter(|n| n.ends_with("/index.html") && n.starts_with("articles/"))
            .count(),
        articles,
        "a page per article: {names:?}"
    );
    let errors = errors_in(&pages);
    assert!(
        errors.trim().is_empty(),
        "the Nu HTML checker found errors in {}:\n{errors}",
        build.display()
    );
}

#[test]
fn every_page_of_the_build_is_valid_html() {
    assert_valid(&dist_dir());
}

#[test]
fn every_page_of_the_sub_path_build_is_valid_html() {
    assert_valid(&subpath_root().join("garage"));
}

/// The archive's lists, with their page links (the seed has too few articles for any): the
/// front page, a page of the archive, a section's first and last pages.
#[test]
fn the_lists_of_the_generated_archive_are_valid_html() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../target/archive-site/dist");
    let pages: Vec<PathBuf> = [
        "index.html",
        "page/2/index.html",
        "page/67/index.html",
        "section/new-hero/index.html",
        "section/new-hero/page/14/index.html",
    ]
    .iter()
    .map(|page| root.join(page))
    .collect();
    for page in &pages {
        assert!(
            page.is_file(),
            "{} (scripts/test.sh builds it)",
            page.display()
        );
    }
    let errors = errors_in(&pages);
    assert!(
        errors.trim().is_empty(),
        "the Nu HTML checker found errors in the archive's lists:\n{errors}"
    );
}
