//! Recognising date lines: the forms pages print dates in, turned into calendar dates.
//!
//! A *date line* is a line that holds a date and little else: an optional lead word
//! ("Published", "Updated", "Posted on"), an optional weekday, the date, and an optional time
//! of day, time zone, or reading time. Prose that merely mentions a date is not a date line.
//!
//! The parser refuses rather than guesses: a month and year with no day ("March 2022"), a
//! two-digit year ("30.12.22") and "2 months ago" give `None`. All-numeric dates are read
//! year first when the year leads, else day first (as most of the world writes them), falling
//! back to month first only when day first is impossible ("12/30/2022").

use time::{Date, Duration, Month, OffsetDateTime};

const MONTHS: [(&str, Month); 12] = [
    ("january", Month::January),
    ("february", Month::February),
    ("march", Month::March),
    ("april", Month::April),
    ("may", Month::May),
    ("june", Month::June),
    ("july", Month::July),
    ("august", Month::August),
    ("september", Month::September),
    ("october", Month::October),
    ("november", Month::November),
    ("december", Month::December),
];

/// Words that may come before the date on a date line.
const LEAD_WORDS: &[&str] = &[
    "published",
    "updated",
    "posted",
    "on",
    "date",
    "last",
    "modified",
    "first",
    "at",
    "-",
    "–",
    "—",
    "|",
    "by",
    "dated",
    "originally",
    "created",
    "written",
    "released",
    "posté",
    "le",
];

const WEEKDAYS: &[&str] = &[
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "mon",
    "tue",
    "tues",
    "wed",
    "thu",
    "thur",
    "thurs",
    "fri",
    "sat",
    "sun",
];

/// Zone names a time of day may carry.
const ZONES: &[&str] = &[
    "utc", "gmt", "et", "est", "edt", "ct", "cst", "cdt", "mt", "mst", "mdt", "pt", "pst", "pdt", "cet", "cest", "bst",
    "ist", "jst", "aest", "aedt", "z",
];

/// Words allowed after the date: a second "updated" stamp, a reading time, a time of day.
const TRAILING_WORDS: &[&str] =
    &["am", "pm", "a.m", "p.m", "a.m.", "p.m.", "at", "-", "–", "—", "|", "min", "mins", "minute", "minutes", "read"];

/// A relative span longer than this (in days) is refused: no page says "40000 days ago".
const MAX_RELATIVE_DAYS: i64 = 3660;

/// Parses `line` as a date line. Relative forms ("14 hours ago", "yesterday") resolve against
/// `now` (the page's fetch time) and are refused without it.
///
/// ```
/// use time::macros::date;
/// assert_eq!(vellum::date::parse_date_line("30 December 2022", None), Some(date!(2022 - 12 - 30)));
/// assert_eq!(vellum::date::parse_date_line("Published: December 21, 2022", None), Some(date!(2022 - 12 - 21)));
/// assert_eq!(vellum::date::parse_date_line("The war began on 24 February 2022.", None), None);
/// ```
pub fn parse_date_line(line: &str, now: Option<OffsetDateTime>) -> Option<Date> {
    read_date_line(line, now, true)
}

/// Whether `line` holds four ASCII digits in a row: every absolute date's year does.
fn has_year(line: &str) -> bool {
    line.as_bytes().windows(4).any(|w| w.iter().all(u8::is_ascii_digit))
}

/// Whether `line` holds, in any case, a word every relative date holds one of ("today", "just
/// now", "yesterday", "ago"). Only ASCII letters lowercase to these, so the line's bytes are
/// compared as they are.
fn names_relative_day(line: &str) -> bool {
    let bytes = line.as_bytes();
    (0..bytes.len()).any(|at| {
        let word: &[u8] = match bytes[at] | 0x20 {
            b'a' => b"ago",
            b'n' => b"now",
            b't' => b"today",
            b'y' => b"yesterday",
            _ => return false,
        };
        bytes[at..].get(..word.len()).is_some_and(|w| w.eq_ignore_ascii_case(word))
    })
}

/// [`parse_date_line`], reading the line whatever it holds; with `skim`, a line with neither a
/// year nor a relative date's word is told without lowercasing and splitting it. Every
/// absolute date holds a year of four digits, and only relative ones (read with `now` alone)
/// do without: most lines are told so.
fn read_date_line(line: &str, now: Option<OffsetDateTime>, skim: bool) -> Option<Date> {
    let line = line.trim_matches(|c: char| c.is_whitespace());
    // A date line is short; the bound also keeps the work per line small.
    if line.is_empty() || line.chars().nth(80).is_some() {
        return None;
    }
    if skim && !has_year(line) && (now.is_none() || !names_relative_day(line)) {
        return None;
    }
    let lower = line.to_lowercase();
    let tokens = tokenize(&lower);
    let rest = skip_lead(&tokens);
    let (date, used) = match relative(rest, now) {
        Some(found) => found,
        None => absolute(rest)?,
    };
    trailing_ok(&rest[used..]).then_some(date)
}

/// Splits a lower-cased line into words, dropping the punctuation that surrounds dates.
fn tokenize(lower: &str) -> Vec<&str> {
    lower
        .split(|c: char| c.is_whitespace() || c == ',')
        .map(|t| t.trim_matches(|c: char| matches!(c, ',' | ':' | '(' | ')' | '[' | ']' | '·' | '•' | '/')))
        .filter(|t| !t.is_empty())
        .collect()
}

/// Skips the lead words and weekday names before the date.
fn skip_lead<'a>(tokens: &'a [&'a str]) -> &'a [&'a str] {
    let mut rest = tokens;
    while let Some((first, tail)) = rest.split_first() {
        if LEAD_WORDS.contains(first) || is_weekday(first) {
            rest = tail;
        } else {
            break;
        }
    }
    rest
}

fn is_weekday(token: &str) -> bool {
    WEEKDAYS.contains(&token.trim_end_matches('.'))
}

/// What may follow the date: times of day, zones, a reading time, or a second date stamp
/// ("Published 3 May 2021, updated 4 May 2021").
fn trailing_ok(tokens: &[&str]) -> bool {
    let mut i = 0;
    while i < tokens.len() {
        let t = tokens[i];
        if is_time_token(t) || TRAILING_WORDS.contains(&t) || t.bytes().all(|b| b.is_ascii_digit()) && t.len() <= 3 {
            i += 1;
            continue;
        }
        if matches!(t, "updated" | "modified" | "edited" | "last") {
            let rest = skip_lead(&tokens[i..]);
            match absolute(rest) {
                Some((_, used)) => return trailing_ok(&rest[used..]),
                None => return false,
            }
        }
        return false;
    }
    true
}

/// "today", "yesterday (at 10:00)", "14 hours ago", "14h ago", "an hour ago".
fn relative(tokens: &[&str], now: Option<OffsetDateTime>) -> Option<(Date, usize)> {
    let now = now?;
    match tokens {
        ["today", ..] => Some((now.date(), 1)),
        ["just", "now", ..] => Some((now.date(), 2)),
        ["yesterday", ..] => Some((now.date().previous_day()?, 1)),
        [n, unit, "ago", ..] => Some((ago(now, count(n)?, unit)?, 3)),
        [compact, "ago", ..] => {
            let split = compact.find(|c: char| !c.is_ascii_digit())?;
            let (n, unit) = compact.split_at(split);
            Some((ago(now, count(n)?, unit)?, 2))
        }
        _ => None,
    }
}

fn count(token: &str) -> Option<i64> {
    if matches!(token, "a" | "an" | "one") {
        return Some(1);
    }
    // At most four digits: the bound keeps every span far from overflow.
    if token.is_empty() || token.len() > 4 || !token.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    token.parse().ok()
}

/// `now` less `n` units. Months and years are refused: their length would be a guess.
fn ago(now: OffsetDateTime, n: i64, unit: &str) -> Option<Date> {
    let unit = unit.trim_end_matches('.');
    let span = match unit {
        "s" | "sec" | "secs" | "second" | "seconds" => Duration::seconds(n),
        "m" | "min" | "mins" | "minute" | "minutes" => Duration::minutes(n),
        "h" | "hr" | "hrs" | "hour" | "hours" => Duration::hours(n),
        "d" | "day" | "days" => Duration::days(n),
        "w" | "wk" | "wks" | "week" | "weeks" => Duration::weeks(n),
        _ => return None,
    };
    if span > Duration::days(MAX_RELATIVE_DAYS) {
        return None;
    }
    now.checked_sub(span).map(|t| t.date())
}

/// Reads a date at the start of `tokens`; returns it and how many tokens it took.
fn absolute(tokens: &[&str]) -> Option<(Date, usize)> {
    let first = *tokens.first()?;
    if first.starts_with(|c: char| c.is_ascii_digit()) {
        if let Some(date) = numeric(first) {
            return Some((date, 1));
        }
    }
    // 30 December 2022 / 30th Dec. 2022 / 30th of December, 2022
    if let Some(day) = day_of(first) {
        let skip = usize::from(tokens.get(1) == Some(&"of"));
        let month = tokens.get(1 + skip).and_then(|t| month_of(t));
        let year = tokens.get(2 + skip).and_then(|t| year_of(t));
        if let (Some(month), Some(year)) = (month, year) {
            return Some((Date::from_calendar_date(year, month, day).ok()?, 3 + skip));
        }
    }
    // December 21, 2022 / Dec 21st 2022
    if let (Some(month), Some(day), Some(year)) =
        (month_of(first), tokens.get(1).and_then(|t| day_of(t)), tokens.get(2).and_then(|t| year_of(t)))
    {
        return Some((Date::from_calendar_date(year, month, day).ok()?, 3));
    }
    // 2022 December 30 (East Asian order in English)
    if let (Some(year), Some(month), Some(day)) =
        (year_of(first), tokens.get(1).and_then(|t| month_of(t)), tokens.get(2).and_then(|t| day_of(t)))
    {
        return Some((Date::from_calendar_date(year, month, day).ok()?, 3));
    }
    None
}

/// 2022-12-30, 2022/12/30, 2022.12.30, 30.12.2022, 30/12/2022, 12/30/2022, and ISO timestamps
/// 2022-12-30T10:00:00Z.
fn numeric(token: &str) -> Option<Date> {
    let (day_part, time_part) = match token.split_once('t') {
        Some((d, t)) => (d, Some(t)),
        None => (token, None),
    };
    if time_part.is_some_and(|t| !t.starts_with(|c: char| c.is_ascii_digit())) {
        return None;
    }
    let day_part = day_part.trim_end_matches('.');
    let parts: Vec<&str> = day_part.split(['-', '/', '.']).collect();
    if parts.len() != 3 || parts.iter().any(|p| p.is_empty() || p.len() > 4 || !p.bytes().all(|b| b.is_ascii_digit())) {
        return None;
    }
    let mut n = [0i32; 3];
    for (slot, part) in n.iter_mut().zip(&parts) {
        *slot = part.parse().ok()?;
    }
    if parts[0].len() == 4 {
        ymd(n[0], n[1], n[2])
    } else if parts[2].len() == 4 && parts[0].len() <= 2 && parts[1].len() <= 2 {
        ymd(n[2], n[1], n[0]).or_else(|| ymd(n[2], n[0], n[1]))
    } else {
        None
    }
}

fn ymd(y: i32, m: i32, d: i32) -> Option<Date> {
    if !(1900..=2200).contains(&y) {
        return None;
    }
    let month = Month::try_from(u8::try_from(m).ok()?).ok()?;
    Date::from_calendar_date(y, month, u8::try_from(d).ok()?).ok()
}

fn day_of(token: &str) -> Option<u8> {
    let digits = token.trim_end_matches(|c: char| c.is_ascii_alphabetic() || c == '.');
    let suffix = &token[digits.len()..];
    if !matches!(suffix, "" | "st" | "nd" | "rd" | "th" | ".") || digits.is_empty() || digits.len() > 2 {
        return None;
    }
    digits.parse().ok().filter(|d| (1..=31).contains(d))
}

/// A month name or its abbreviation of at least three letters ("sep", "sept", "sept."), in lower
/// case.
pub(crate) fn month_of(token: &str) -> Option<Month> {
    let token = token.trim_end_matches('.');
    if token.len() < 3 {
        return None;
    }
    if token == "sept" {
        return Some(Month::September);
    }
    MONTHS.iter().find(|(name, _)| name.starts_with(token)).map(|&(_, m)| m)
}

fn year_of(token: &str) -> Option<i32> {
    let token = token.trim_end_matches(['.', ',']);
    if token.len() != 4 || !token.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    token.parse().ok().filter(|y| (1900..=2200).contains(y))
}

/// 10:45, 10:45am, 08.15, 8pm, +01:00, utc+1, and zone names.
fn is_time_token(token: &str) -> bool {
    let t = token.trim_end_matches(['.', ',']);
    if ZONES.contains(&t) || matches!(t, "am" | "pm" | "a.m" | "p.m") {
        return true;
    }
    let t = t.trim_start_matches(|c: char| c.is_ascii_alphabetic());
    let t = t.trim_start_matches(['+', '-']);
    let (t, had_meridiem) = match t.strip_suffix("am").or_else(|| t.strip_suffix("pm")) {
        Some(stripped) => (stripped, true),
        None => (t, false),
    };
    if t.is_empty() || !t.bytes().all(|b| b.is_ascii_digit() || b == b':' || b == b'.') {
        return false;
    }
    let has_sep = t.contains(':') || (t.contains('.') && t.len() == 5);
    (has_sep || had_meridiem || token.starts_with(['+', '-']) || token.starts_with("utc") || token.starts_with("gmt"))
        && t.len() <= 8
}

#[cfg(test)]
mod tests {
    use super::parse_date_line;
    use proptest::prelude::*;
    use time::macros::{date, datetime};

    #[test]
    fn every_absolute_form() {
        let cases = [
            ("30 December 2022", date!(2022 - 12 - 30)),
            ("12 December 2025", date!(2025 - 12 - 12)),
            ("December 21, 2022", date!(2022 - 12 - 21)),
            ("Dec 21, 2022", date!(2022 - 12 - 21)),
            ("Dec. 21st, 2022, 10:30 a.m. ET", date!(2022 - 12 - 21)),
            ("2022-12-30", date!(2022 - 12 - 30)),
            ("30.12.2022", date!(2022 - 12 - 30)),
            ("30/12/2022", date!(2022 - 12 - 30)),
            ("12/30/2022", date!(2022 - 12 - 30)),
            ("2022/12/30", date!(2022 - 12 - 30)),
            ("2022-12-30T08:15:00Z", date!(2022 - 12 - 30)),
            ("2022-12-30T08:15:00+01:00", date!(2022 - 12 - 30)),
            ("2022-12-30 08:15", date!(2022 - 12 - 30)),
            ("Friday, 30 December 2022", date!(2022 - 12 - 30)),
            ("Fri 30 Dec 2022 08.15 GMT", date!(2022 - 12 - 30)),
            ("Updated: 3rd March 2021 10:45 AM", date!(2021 - 03 - 03)),
            ("Posted on Sept. 9, 2020", date!(2020 - 09 - 09)),
            ("Published 30th of December, 2022", date!(2022 - 12 - 30)),
            ("Published: 3 May 2021, updated 4 May 2021", date!(2021 - 05 - 03)),
            ("December 21, 2022 · 5 min read", date!(2022 - 12 - 21)),
            ("Last updated on Tuesday, June 7, 2022 at 4:12pm", date!(2022 - 06 - 07)),
            ("2022 December 30", date!(2022 - 12 - 30)),
            ("(30 December 2022)", date!(2022 - 12 - 30)),
        ];
        for (line, want) in cases {
            assert_eq!(parse_date_line(line, None), Some(want), "{line}");
        }
    }

    #[test]
    fn relative_forms_need_a_fetch_time() {
        let now = datetime!(2022-12-30 08:00 UTC);
        let cases = [
            ("Updated 14 hours ago", date!(2022 - 12 - 29)),
            ("3 days ago", date!(2022 - 12 - 27)),
            ("Yesterday", date!(2022 - 12 - 29)),
            ("Yesterday at 10:30", date!(2022 - 12 - 29)),
            ("Today", date!(2022 - 12 - 30)),
            ("an hour ago", date!(2022 - 12 - 30)),
            ("Posted 2h ago", date!(2022 - 12 - 30)),
            ("Published 9h ago", date!(2022 - 12 - 29)),
            ("2 weeks ago", date!(2022 - 12 - 16)),
        ];
        for (line, want) in cases {
            assert_eq!(parse_date_line(line, Some(now)), Some(want), "{line}");
        }
        assert_eq!(parse_date_line("Updated 14 hours ago", None), None);
        assert_eq!(parse_date_line("2 months ago", Some(now)), None);
        assert_eq!(parse_date_line("99999 days ago", Some(now)), None);
    }

    #[test]
    fn prose_is_not_a_date_line() {
        for line in [
            "The war began on 24 February 2022.",
            "May the best team win",
            "March 2022 saw rain",
            "30 December",
            "31 February 2022",
            "30.12.22",
            "1.2.3",
            "Sunset 30 December 2022",
            "Monthly 30 December 2022",
            "99999999999-1-1",
            "December 21, 2022 was a cold day",
            "Published 3 May 2021, updated whenever",
        ] {
            assert_eq!(parse_date_line(line, None), None, "{line}");
        }
    }

    proptest! {
        #[test]
        fn never_panics(line in "\\PC{0,100}", secs in -10_000_000_000i64..10_000_000_000i64) {
            let now = time::OffsetDateTime::from_unix_timestamp(secs).ok();
            let _ = parse_date_line(&line, now);
        }

        #[test]
        fn never_panics_on_date_like_text(
            line in "[0-9 :./tTzZ+-]{0,40}|(([0-9]{1,6}|an?|today|yesterday) [a-z]{1,7} ago)",
        ) {
            let now = time::OffsetDateTime::from_unix_timestamp(0).ok();
            let _ = parse_date_line(&line, now);
            let _ = parse_date_line(&line, Some(time::OffsetDateTime::new_utc(time::Date::MIN, time::Time::MIDNIGHT)));
        }

        #[test]
        fn a_line_without_four_digits_in_a_row_is_no_date_line_without_a_fetch_time(
            line in "\\PC{0,40}|((december|sept|published|[a-z]{1,9}|[0-9]{1,5})[ ,./:-]{1,2}){1,6}",
        ) {
            prop_assert_eq!(parse_date_line(&line, None), super::read_date_line(&line, None, false));
        }

        #[test]
        fn a_line_skimmed_reads_as_the_line_read_whole(
            line in "\\PC{0,40}|((today|toDAY|yesterday|Yesterday|just|now|NOW|AGO|ago|an?|[0-9]{1,5}[a-z]{0,2}|hours?|[a-zA-Z]{1,9}|published)[ ,./:-]{1,2}){1,6}",
            secs in 0i64..2_000_000_000i64,
        ) {
            let now = time::OffsetDateTime::from_unix_timestamp(secs).ok();
            prop_assert_eq!(parse_date_line(&line, now), super::read_date_line(&line, now, false));
        }

        #[test]
        fn printed_dates_round_trip(days in 0i32..100_000) {
            let d = date!(1900 - 01 - 01) + time::Duration::days(days.into());
            if d.year() <= 2200 {
                let month = format!("{}", d.month());
                prop_assert_eq!(parse_date_line(&format!("{} {} {}", d.day(), month, d.year()), None), Some(d));
                prop_assert_eq!(parse_date_line(&format!("{month} {}, {}", d.day(), d.year()), None), Some(d));
                prop_assert_eq!(parse_date_line(&d.to_string(), None), Some(d));
            }
        }
    }
}
