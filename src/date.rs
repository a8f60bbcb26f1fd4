//! Recognising date lines: the forms pages print dates in, turned into calendar dates.
//!
//! A *date line* is a line that holds a date and little else: an optional lead word
//! ("Published", "Updated", "Posted on"), an optional weekday, the date, and an optional time
//! of day. Prose that merely mentions a date is not a date line.

use time::{Date, Duration, Month, OffsetDateTime};

const MONTHS: [(&str, Month); 12] = [
    ("jan", Month::January),
    ("feb", Month::February),
    ("mar", Month::March),
    ("apr", Month::April),
    ("may", Month::May),
    ("jun", Month::June),
    ("jul", Month::July),
    ("aug", Month::August),
    ("sep", Month::September),
    ("oct", Month::October),
    ("nov", Month::November),
    ("dec", Month::December),
];

const LEAD_WORDS: &[&str] =
    &["published", "updated", "posted", "on", "date", "last", "modified", "first", "at", "-", "|", "by"];
const WEEKDAYS: &[&str] = &["mon", "tue", "tues", "wed", "thu", "thur", "thurs", "fri", "sat", "sun"];

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
    let line = line.trim_matches(|c: char| c.is_whitespace() || c == '\u{a0}');
    if line.is_empty() || line.len() > 80 {
        return None;
    }
    let lower = line.to_lowercase();
    let tokens: Vec<&str> = lower
        .split(|c: char| c.is_whitespace() || c == ',')
        .map(|t| t.trim_matches(|c: char| matches!(c, ',' | ':' | '(' | ')' | '|' | '·' | '•')))
        .filter(|t| !t.is_empty())
        .collect();
    let mut rest: &[&str] = &tokens;
    while let Some((first, tail)) = rest.split_first() {
        let is_weekday = WEEKDAYS.iter().any(|w| first.starts_with(w) && first.len() <= 9);
        if LEAD_WORDS.contains(first) || is_weekday {
            rest = tail;
        } else {
            break;
        }
    }
    if let Some(d) = relative(rest, now) {
        return Some(d);
    }
    let (date, used) = absolute(rest)?;
    // Whatever follows the date may only be a time of day.
    rest[used..].iter().all(|t| is_time_token(t)).then_some(date)
}

fn relative(tokens: &[&str], now: Option<OffsetDateTime>) -> Option<Date> {
    let now = now?;
    match tokens {
        ["today"] | ["just", "now"] => Some(now.date()),
        ["yesterday"] => now.date().previous_day(),
        [n, unit, "ago"] => {
            let n: i64 = if *n == "a" || *n == "an" { 1 } else { n.parse().ok()? };
            let unit = unit.trim_end_matches('s');
            let span = match unit {
                "second" | "sec" => Duration::seconds(n),
                "minute" | "min" => Duration::minutes(n),
                "hour" | "hr" => Duration::hours(n),
                "day" => Duration::days(n),
                "week" => Duration::weeks(n),
                _ => return None,
            };
            now.checked_sub(span).map(|t| t.date())
        }
        _ => None,
    }
}

/// Reads a date at the start of `tokens`; returns it and how many tokens it took.
fn absolute(tokens: &[&str]) -> Option<(Date, usize)> {
    let first = *tokens.first()?;
    // 2022-12-30, 2022/12/30, 30.12.2022, 30/12/2022 (day first, as most of the world writes it),
    // and ISO timestamps 2022-12-30T10:00:00Z.
    let numeric = first.split('t').next().unwrap_or(first);
    let parts: Vec<&str> = numeric.split(['-', '/', '.']).collect();
    if parts.len() == 3 && parts.iter().all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit())) {
        let n: Vec<i32> = parts.iter().filter_map(|p| p.parse().ok()).collect();
        let date = if parts[0].len() == 4 {
            ymd(n[0], n[1], n[2])
        } else if parts[2].len() == 4 {
            ymd(n[2], n[1], n[0]).or_else(|| ymd(n[2], n[0], n[1]))
        } else {
            None
        }?;
        let iso_ts = first.len() > numeric.len();
        return (iso_ts || first == numeric).then_some((date, 1));
    }
    // 30 December 2022 / 30th Dec. 2022
    if let (Some(day), Some(month), Some(year)) =
        (day_of(first), tokens.get(1).and_then(|t| month_of(t)), tokens.get(2).and_then(|t| year_of(t)))
    {
        return Some((Date::from_calendar_date(year, month, day).ok()?, 3));
    }
    // December 21, 2022 / Dec 21 2022
    if let (Some(month), Some(day), Some(year)) =
        (month_of(first), tokens.get(1).and_then(|t| day_of(t)), tokens.get(2).and_then(|t| year_of(t)))
    {
        return Some((Date::from_calendar_date(year, month, day).ok()?, 3));
    }
    None
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

fn month_of(token: &str) -> Option<Month> {
    let token = token.trim_end_matches('.');
    if token.len() < 3 {
        return None;
    }
    MONTHS.iter().find(|(prefix, _)| token.starts_with(prefix) && is_month_name(token)).map(|&(_, m)| m)
}

fn is_month_name(token: &str) -> bool {
    const NAMES: [&str; 12] = [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ];
    NAMES.iter().any(|n| n.starts_with(token)) || token == "sept"
}

fn year_of(token: &str) -> Option<i32> {
    let token = token.trim_end_matches(['.', ',']);
    (token.len() == 4).then(|| token.parse().ok()).flatten().filter(|y| (1900..=2200).contains(y))
}

fn is_time_token(token: &str) -> bool {
    let t = token.trim_end_matches(['.', ',']);
    if matches!(
        t,
        "am" | "pm" | "a.m" | "p.m" | "utc" | "gmt" | "et" | "est" | "edt" | "pt" | "pst" | "pdt" | "cet" | "bst"
    ) {
        return true;
    }
    let t = t.trim_end_matches("am").trim_end_matches("pm");
    !t.is_empty() && t.contains(':') && t.bytes().all(|b| b.is_ascii_digit() || b == b':')
}

#[cfg(test)]
mod tests {
    use super::parse_date_line;
    use time::macros::{date, datetime};

    #[test]
    fn every_form() {
        let cases = [
            ("30 December 2022", date!(2022 - 12 - 30)),
            ("12 December 2025", date!(2025 - 12 - 12)),
            ("December 21, 2022", date!(2022 - 12 - 21)),
            ("Dec 21, 2022", date!(2022 - 12 - 21)),
            ("2022-12-30", date!(2022 - 12 - 30)),
            ("30.12.2022", date!(2022 - 12 - 30)),
            ("2022/12/30", date!(2022 - 12 - 30)),
            ("2022-12-30T08:15:00Z", date!(2022 - 12 - 30)),
            ("Friday, 30 December 2022", date!(2022 - 12 - 30)),
            ("Updated: 3rd March 2021 10:45 AM", date!(2021 - 03 - 03)),
            ("Posted on Sept. 9, 2020", date!(2020 - 09 - 09)),
        ];
        for (line, want) in cases {
            assert_eq!(parse_date_line(line, None), Some(want), "{line}");
        }
    }

    #[test]
    fn relative_forms_need_a_fetch_time() {
        let now = datetime!(2022-12-30 08:00 UTC);
        assert_eq!(parse_date_line("Updated 14 hours ago", Some(now)), Some(date!(2022 - 12 - 29)));
        assert_eq!(parse_date_line("3 days ago", Some(now)), Some(date!(2022 - 12 - 27)));
        assert_eq!(parse_date_line("Yesterday", Some(now)), Some(date!(2022 - 12 - 29)));
        assert_eq!(parse_date_line("Updated 14 hours ago", None), None);
    }

    #[test]
    fn prose_is_not_a_date_line() {
        for line in [
            "The war began on 24 February 2022.",
            "May the best team win",
            "March 2022 saw rain",
            "30 December",
            "31 February 2022",
        ] {
            assert_eq!(parse_date_line(line, None), None, "{line}");
        }
    }
}
