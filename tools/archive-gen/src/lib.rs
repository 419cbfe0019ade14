//! A publisher's archive of any size, the same on every run: a copy of the site's data
//! (`public/api`) with `n` generated articles in `articles/`, each the size and shape of
//! the seed's, and the index listing them all. The build's benchmark and the archive
//! journey build sites from it.

use serde_json::{json, Value};
use std::path::Path;

/// The sections the generated articles are spread over (the seed's own).
pub const SECTIONS: [&str; 5] = ["New hero", "News", "Reviews", "Advice", "Safety"];
/// 2024-07-24T12:00:00Z, the newest seed article's time: article 0 is published then, each
/// later one an hour before the one before it.
const NEWEST_UNIX: i64 = 1_721_822_400;
/// Related entries per article, as in the seed.
const RELATED: usize = 3;

/// The slug of generated article `i` (0 is the newest).
pub fn slug(i: usize) -> String {
    format!("archive-article-{i}")
}

/// The title of generated article `i`; `edition` > 0 is a corrected title (the benchmark's
/// "one article changed").
pub fn title(i: usize, edition: u32) -> String {
    let topic = TOPICS[i % TOPICS.len()];
    match edition {
        0 => format!("{topic}: report number {i}"),
        n => format!("{topic}: report number {i} (corrected, edition {n})"),
    }
}

/// Which correction of its title `title` is (0: the first title).
pub fn edition(title: &str) -> u32 {
    title
        .rsplit_once("edition ")
        .and_then(|(_, n)| n.trim_end_matches(')').parse().ok())
        .unwrap_or(0)
}

const TOPICS: [&str; 6] = [
    "Smart motorway penalties rise again",
    "Electric estate cars compared",
    "What a dropped kerb means for parking",
    "Insurers look again at young drivers",
    "The used family SUV worth buying",
    "Charging on a long trip, tried for a week",
];

fn published(i: usize) -> String {
    rfc3339(NEWEST_UNIX - 3600 * i as i64)
}

fn summary(i: usize) -> String {
    format!(
        "Sample summary {i}: data from the archive generator, as long as a real standfirst, \
         so that the front page weighs what a publisher's would"
    )
}

fn summary_entry(i: usize) -> Value {
    json!({
        "slug": slug(i),
        "title": title(i, 0),
        "summary": summary(i),
        "published": published(i),
    })
}

/// Generated article `i` of `n`, as the CMS writes it; its body is the seed article's
/// (`seed`), so it weighs what a real one would.
pub fn article(i: usize, n: usize, edition: u32, seed: &Value) -> Value {
    let related: Vec<Value> = (1..=RELATED)
        .map(|k| (i + k) % n)
        .filter(|&r| r != i)
        .map(summary_entry)
        .collect();
    json!({
        "version": 1,
        "slug": slug(i),
        "section": SECTIONS[i % SECTIONS.len()],
        "title": title(i, edition),
        "standfirst": summary(i),
        "author": { "name": "My Garage" },
        "published": published(i),
        "lead_image": seed.get("lead_image"),
        "body": seed.get("body"),
        "related": related,
    })
}

/// The index of all `n` articles, newest first.
pub fn index(n: usize) -> Value {
    json!({ "version": 1, "articles": (0..n).map(summary_entry).collect::<Vec<_>>() })
}

/// Writes `out/api`: `public_api`'s files (comments, the not-found document), and in
/// `articles/` the `n` generated articles and their index instead of the seed's.
/// `seed`: one seed article's JSON, whose body every article gets.
pub fn write(public_api: &Path, out: &Path, n: usize, seed: &Value) -> std::io::Result<()> {
    let api = out.join("api");
    if api.exists() {
        std::fs::remove_dir_all(&api)?;
    }
    copy_dir(public_api, &api, &["articles"])?;
    let articles = api.join("articles");
    std::fs::create_dir_all(&articles)?;
    for i in 0..n {
        let text = serde_json::to_string_pretty(&article(i, n, 0, seed))?;
        std::fs::write(articles.join(format!("{}.json", slug(i))), text)?;
    }
    std::fs::write(
        articles.join("index.json"),
        serde_json::to_string_pretty(&index(n))?,
    )
}

fn copy_dir(from: &Path, to: &Path, skip: &[&str]) -> std::io::Result<()> {
    std::fs::create_dir_all(to)?;
    for entry in std::fs::read_dir(from)? {
        let entry = entry?;
        let name = entry.file_name();
        if skip.iter().any(|s| name == *s) {
            continue;
        }
        if entry.file_type()?.is_dir() {
            copy_dir(&entry.path(), &to.join(&name), &[])?;
        } else {
            std::fs::copy(entry.path(), to.join(&name))?;
        }
    }
    Ok(())
}

/// `unix` seconds as RFC 3339 UTC text.
fn rfc3339(unix: i64) -> String {
    let (days, seconds) = (unix.div_euclid(86_400), unix.rem_euclid(86_400));
    // Howard Hinnant's civil_from_days.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        seconds / 3600,
        seconds / 60 % 60,
        seconds % 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_dates_as_rfc3339() {
        assert_eq!(rfc3339(NEWEST_UNIX), "2024-07-24T12:00:00Z");
        assert_eq!(rfc3339(0), "1970-01-01T00:00:00Z");
        assert_eq!(rfc3339(951_782_400), "2000-02-29T00:00:00Z");
    }

    #[test]
    fn articles_are_newest_first_and_relate_to_existing_ones() {
        let seed = json!({ "body": [{ "type": "paragraph", "text": "p" }] });
        let index = index(4);
        let listed: Vec<&str> = index["articles"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a["slug"].as_str().unwrap())
            .collect();
        assert_eq!(listed, [slug(0), slug(1), slug(2), slug(3)]);
        let last = article(3, 4, 0, &seed);
        assert_eq!(last["related"][0]["slug"], slug(0));
        assert_eq!(last["related"].as_array().unwrap().len(), 3);
        assert_eq!(
            article(0, 1, 0, &seed)["related"],
            json!([]),
            "no article relates to itself"
        );
        assert!(
            index["articles"][0]["published"].as_str() > index["articles"][1]["published"].as_str()
        );
        assert_ne!(
            article(2, 4, 1, &seed)["title"],
            article(2, 4, 0, &seed)["title"]
        );
        assert_eq!(edition(&title(2, 0)), 0);
        assert_eq!(edition(&title(2, 7)), 7);
    }
}
