//! Copied verbatim from src/core/time.rs (tests left out).

//! Timestamps from RFC 3339 text, and the date formats the publication prints.
//!
//! Dates are shown in the offset the publisher wrote them in, so "February 20, 2024" reads
//! the same for every reader whatever their time zone; only comment hover text uses the
//! reader's own zone (through the browser's Intl, in the shell).

use serde::de::Error as _;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// A point in time as written by the publisher (RFC 3339), with its civil date in that offset.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Timestamp {
    /// Milliseconds since the Unix epoch.
    pub epoch_ms: i64,
    pub year: i32,
    pub month: u8,
    pub day: u8,
    /// The text exactly as given, for `<time datetime>`.
    pub raw: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TimestampError(pub String);

impl fmt::Display for TimestampError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "not an RFC 3339 date-time: \"{}\"", self.0)
    }
}

impl Timestamp {
    /// Parses `YYYY-MM-DDTHH:MM:SS[.frac](Z|±HH:MM)`.
    pub fn parse(text: &str) -> Result<Self, TimestampError> {
        Timestamp::parse_owned(text.to_owned())
    }

    /// [`Timestamp::parse`], keeping `text` as the raw form without a copy.
    pub fn parse_owned(text: String) -> Result<Self, TimestampError> {
        let (epoch_ms, year, month, day) = parse_fields(&text)?;
        Ok(Timestamp {
            epoch_ms,
            year,
            month,
            day,
            raw: text,
        })
    }

    /// Milliseconds since the Unix epoch of `text`, as [`Timestamp::parse`] reads it, with
    /// nothing kept: for sorting a large file before decoding it.
    pub fn epoch_ms_of(text: &str) -> Result<i64, TimestampError> {
        parse_fields(text).map(|(epoch_ms, ..)| epoch_ms)
    }

    /// The UTC timestamp for an epoch time, as this app writes a reader's comments.
    pub fn from_epoch_ms(epoch_ms: i64) -> Self {
        let days = epoch_ms.div_euclid(86_400_000);
        let ms_of_day = epoch_ms.rem_euclid(86_400_000);
        let (year, month, day) = civil_from_days(days);
        let (h, m, s, ms) = (
            ms_of_day / 3_600_000,
            ms_of_day / 60_000 % 60,
            ms_of_day / 1000 % 60,
            ms_of_day % 1000,
        );
        Timestamp {
            epoch_ms,
            year,
            month,
            day,
            raw: format!("{year:04}-{month:02}-{day:02}T{h:02}:{m:02}:{s:02}.{ms:03}Z"),
        }
    }

    /// "February 20, 2024", as in the byline.
    pub fn long_date(&self) -> String {
        format!(
            "{} {}, {}",
            MONTHS[self.month as usize - 1],
            self.day,
            self.year
        )
    }

    /// "Jul 24, 2024", as in the related-articles list.
    pub fn short_date(&self) -> String {
        format!(
            "{} {}, {}",
            &MONTHS[self.month as usize - 1][..3],
            self.day,
            self.year
        )
    }
}

/// Read from and written as its RFC 3339 text.
impl<'de> Deserialize<'de> for Timestamp {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Timestamp::parse_owned(String::deserialize(deserializer)?).map_err(D::Error::custom)
    }
}

impl Serialize for Timestamp {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.raw)
    }
}

/// The epoch milliseconds and the civil date (in the text's own offset) of an RFC 3339 text.
fn parse_fields(text: &str) -> Result<(i64, i32, u8, u8), TimestampError> {
    let err = || TimestampError(text.chars().take(40).collect());
    let b = text.as_bytes();
    if b.len() < 20 || !text.is_ascii() {
        return Err(err());
    }
    // Fixed-width fields of at most four digits: summed by hand, as `str::parse` is
    // a measurable share of decoding a 10,000-comment file.
    let num = |range: std::ops::Range<usize>| -> Result<i64, TimestampError> {
        b[range].iter().try_fold(0_i64, |n, &c| {
            if c.is_ascii_digit() {
                Ok(n * 10 + i64::from(c - b'0'))
            } else {
                Err(err())
            }
        })
    };
    let sep_ok = b[4] == b'-'
        && b[7] == b'-'
        && matches!(b[10], b'T' | b't' | b' ')
        && b[13] == b':'
        && b[16] == b':';
    if !sep_ok {
        return Err(err());
    }
    let (year, month, day) = (num(0..4)?, num(5..7)?, num(8..10)?);
    let (hour, minute, second) = (num(11..13)?, num(14..16)?, num(17..19)?);
    let mut rest = 19;
    let mut millis = 0;
    if b[rest] == b'.' {
        let start = rest + 1;
        let mut end = start;
        while end < b.len() && b[end].is_ascii_digit() {
            end += 1;
        }
        if end == start {
            return Err(err());
        }
        let digits = end.min(start + 3);
        millis = num(start..digits)? * 10_i64.pow((3 - (digits - start)) as u32);
        rest = end;
    }
    let offset_minutes = match &text[rest..] {
        "Z" | "z" => 0,
        tz if tz.len() == 6 && (tz.starts_with('+') || tz.starts_with('-')) && &tz[3..4] == ":" => {
            let sign = if tz.starts_with('-') { -1 } else { 1 };
            sign * (num(rest + 1..rest + 3)? * 60 + num(rest + 4..rest + 6)?)
        }
        _ => return Err(err()),
    };
    if !(1..=12).contains(&month)
        || day < 1
        || day > days_in_month(year, month as u8) as i64
        || hour > 23
        || minute > 59
        || second > 60
    {
        return Err(err());
    }
    let days = days_from_civil(year, month as u8, day as u8);
    let local_seconds = days * 86_400 + hour * 3600 + minute * 60 + second;
    let epoch_ms = (local_seconds - offset_minutes * 60) * 1000 + millis;
    Ok((epoch_ms, year as i32, month as u8, day as u8))
}

/// "5 minutes ago": how long before `now_ms` a thing happened. Clock skew reads as "just now";
/// after four weeks the date itself says more than a count of days.
pub fn relative_time(then: &Timestamp, now_ms: i64) -> String {
    let seconds = (now_ms - then.epoch_ms).max(0) / 1000;
    let plural = |n: i64, unit: &str| {
        if n == 1 {
            format!("1 {unit} ago")
        } else {
            format!("{n} {unit}s ago")
        }
    };
    match seconds {
        0..=44 => "just now".to_owned(),
        45..=3_599 => plural((seconds / 60).max(1), "minute"),
        3_600..=86_399 => plural(seconds / 3600, "hour"),
        86_400..=2_419_199 => plural(seconds / 86_400, "day"),
        _ => then.short_date(),
    }
}

/// Whole minutes left, rounded up, until `deadline_ms`; zero once it has passed.
pub fn minutes_left(deadline_ms: i64, now_ms: i64) -> i64 {
    ((deadline_ms - now_ms).max(0) + 59_999) / 60_000
}

fn is_leap(year: i64) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

fn days_in_month(year: i64, month: u8) -> u8 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 for a proleptic Gregorian date (Howard Hinnant's algorithm).
fn days_from_civil(year: i64, month: u8, day: u8) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = month as i64;
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + day as i64 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn civil_from_days(days: i64) -> (i32, u8, u8) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u8;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year as i32, month, day)
}
