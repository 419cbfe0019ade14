//! Generated published comment threads of any size, the same on every run.

use serde_json::{json, Value};

/// Share of comments that start a conversation; the rest reply to an earlier comment.
const TOP_LEVEL_PERCENT: u64 = 30;
/// Comments are a little under 150 characters of plain text.
const BODY_CHARS: usize = 150;
const READERS: u64 = 500;
/// 2024-02-21T10:00:00Z: the first comment's time; later ones follow minutes apart.
const FIRST_POSTED_UNIX: u64 = 1_708_509_600;

const WORDS: [&str; 40] = [
    "car",
    "engine",
    "diesel",
    "petrol",
    "electric",
    "range",
    "charging",
    "motorway",
    "garage",
    "insurance",
    "mileage",
    "tyres",
    "brakes",
    "gearbox",
    "warranty",
    "dealer",
    "service",
    "price",
    "road",
    "traffic",
    "parking",
    "clutch",
    "battery",
    "hybrid",
    "estate",
    "hatchback",
    "saloon",
    "luxury",
    "limousine",
    "armoured",
    "export",
    "sanctions",
    "summit",
    "gift",
    "driver",
    "licence",
    "speed",
    "comfort",
    "reliable",
    "expensive",
];

/// SplitMix64: tiny, deterministic, good enough to vary test data.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..bound` (`bound` > 0).
    fn below(&mut self, bound: u64) -> u64 {
        self.next() % bound
    }
}

/// A comments file (`/api/comments/{slug}.json`, version 1) with `count` comments.
pub fn comments_file(count: usize, seed: u64) -> String {
    let mut rng = Rng(seed);
    let mut posted = FIRST_POSTED_UNIX;
    let comments: Vec<Value> = (1..=count)
        .map(|n| {
            posted += 1 + rng.below(600);
            let mut comment = json!({
                "id": format!("c{n}"),
                "author": format!("Reader {}", 1 + rng.below(READERS)),
                "body": sentence(&mut rng),
                "posted": rfc3339(posted),
                "likes": likes(&mut rng),
            });
            if n > 1 && rng.below(100) >= TOP_LEVEL_PERCENT {
                comment["parent"] = format!("c{}", 1 + rng.below(n as u64 - 1)).into();
            }
            comment
        })
        .collect();
    json!({ "version": 1, "comments": comments }).to_string()
}

/// Mostly a few likes, sometimes many, like real threads.
fn likes(rng: &mut Rng) -> u64 {
    match rng.below(10) {
        0..=4 => rng.below(3),
        5..=8 => rng.below(15),
        _ => rng.below(120),
    }
}

fn sentence(rng: &mut Rng) -> String {
    let mut text = String::from("Honestly");
    while text.len() < BODY_CHARS - 12 {
        text.push(' ');
        text.push_str(WORDS[rng.below(WORDS.len() as u64) as usize]);
        if rng.below(8) == 0 {
            text.push(',');
        }
    }
    text.trim_end_matches(',').to_owned() + "."
}

/// `2024-02-21T10:00:00Z` for a Unix time (UTC).
fn rfc3339(unix: u64) -> String {
    let (days, secs) = (unix / 86_400, unix % 86_400);
    let (year, month, day) = civil_from_days(days as i64);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        secs / 3600,
        secs % 3600 / 60,
        secs % 60
    )
}

/// Days since 1970-01-01 to (year, month, day), Howard Hinnant's algorithm.
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_rfc3339_utc() {
        assert_eq!(rfc3339(FIRST_POSTED_UNIX), "2024-02-21T10:00:00Z");
        assert_eq!(rfc3339(0), "1970-01-01T00:00:00Z");
        assert_eq!(rfc3339(951_825_599), "2000-02-29T11:59:59Z");
    }

    #[test]
    fn threads_are_deterministic_and_well_formed() {
        let text = comments_file(1_000, 7);
        assert_eq!(text, comments_file(1_000, 7));
        let file: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(file["version"], 1);
        let comments = file["comments"].as_array().unwrap();
        assert_eq!(comments.len(), 1_000);
        let mut top_level = 0;
        let mut last_posted = String::new();
        for (i, c) in comments.iter().enumerate() {
            assert_eq!(c["id"], format!("c{}", i + 1));
            match c["parent"].as_str() {
                None => top_level += 1,
                Some(parent) => {
                    let parent: usize = parent[1..].parse().unwrap();
                    assert!(parent >= 1 && parent <= i, "replies go to earlier comments");
                }
            }
            let body = c["body"].as_str().unwrap();
            assert!((130..=160).contains(&body.len()), "{body}");
            let posted = c["posted"].as_str().unwrap().to_owned();
            assert!(posted > last_posted, "posted in order");
            last_posted = posted;
            assert!(c["likes"].as_u64().unwrap() < 120);
        }
        assert!((250..=350).contains(&top_level), "{top_level} top-level");
    }
}
