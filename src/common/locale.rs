//! Writing dates, numbers and money the Indonesian way on Indonesian pages
//! (`Sabtu, 14 Maret 2026, 09.00 WITA`, `1.234,5`, `Rp 1.500.000`) and the English way elsewhere.

use jiff::Timestamp;
use jiff::civil::{Date, DateTime, Time, Weekday};

fn is_id(lang: &str) -> bool {
    lang == "id"
}

const BULAN: [&str; 12] = [
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
];
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

fn weekday(d: Weekday, lang: &str) -> &'static str {
    use Weekday::*;
    match (is_id(lang), d) {
        (true, Monday) => "Senin",
        (true, Tuesday) => "Selasa",
        (true, Wednesday) => "Rabu",
        (true, Thursday) => "Kamis",
        (true, Friday) => "Jumat",
        (true, Saturday) => "Sabtu",
        (true, Sunday) => "Minggu",
        (false, Monday) => "Monday",
        (false, Tuesday) => "Tuesday",
        (false, Wednesday) => "Wednesday",
        (false, Thursday) => "Thursday",
        (false, Friday) => "Friday",
        (false, Saturday) => "Saturday",
        (false, Sunday) => "Sunday",
    }
}

/// Accepted date formats, shown in every date error.
pub const DATE_FORMATS: &str = "accepted formats: 2026-03-14, 2026-03-14T09:00, 2026-03-14 09:00 (local time) or 2026-03-14T09:00+08:00";

/// Parses a date in one of [`DATE_FORMATS`]; times without offset are in the site's zone.
pub fn parse_date(text: &str, offset_hours: i8) -> Option<Timestamp> {
    let text = text.trim();
    if let Ok(t) = text.parse::<Timestamp>() {
        return Some(t);
    }
    let tz = jiff::tz::TimeZone::fixed(jiff::tz::Offset::constant(offset_hours));
    let civil = text
        .parse::<jiff::civil::DateTime>()
        .ok()
        .or_else(|| {
            text.replacen(' ', "T", 1)
                .parse::<jiff::civil::DateTime>()
                .ok()
        })
        .or_else(|| {
            text.parse::<jiff::civil::Date>()
                .ok()
                .map(|d| d.at(0, 0, 0, 0))
        })?;
    civil.to_zoned_datetime(tz).ok().map(|z| z.timestamp())
}

/// `14 Maret 2026` / `14 March 2026`.
pub fn date(d: Date, lang: &str) -> String {
    let months = if is_id(lang) { &BULAN } else { &MONTHS };
    format!(
        "{} {} {}",
        d.day(),
        months[d.month() as usize - 1],
        d.year()
    )
}

/// `Sabtu, 14 Maret 2026` / `Saturday, 14 March 2026`.
pub fn long_date(d: Date, lang: &str) -> String {
    format!("{}, {}", weekday(d.weekday(), lang), date(d, lang))
}

/// `09.00` / `09:00`.
pub fn time(t: Time, lang: &str) -> String {
    let sep = if is_id(lang) { '.' } else { ':' };
    format!("{:02}{sep}{:02}", t.hour(), t.minute())
}

/// `Sabtu, 14 Maret 2026, 09.00 WITA`.
pub fn date_time(dt: DateTime, zone: &str, lang: &str) -> String {
    format!(
        "{}, {} {zone}",
        long_date(dt.date(), lang),
        time(dt.time(), lang)
    )
}

/// A start-end span: same day gives `Sabtu, 14 Maret 2026, 09.00–12.00 WITA`.
pub fn date_time_range(start: DateTime, end: DateTime, zone: &str, lang: &str) -> String {
    if start.date() == end.date() {
        format!(
            "{}, {}–{} {zone}",
            long_date(start.date(), lang),
            time(start.time(), lang),
            time(end.time(), lang)
        )
    } else {
        format!(
            "{} – {}",
            date_time(start, zone, lang),
            date_time(end, zone, lang)
        )
    }
}

/// Groups the digits of an integer: `1.234.567` / `1,234,567`.
pub fn integer(n: i64, lang: &str) -> String {
    let sep = if is_id(lang) { '.' } else { ',' };
    let digits = n.unsigned_abs().to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 + 1);
    if n < 0 {
        // The typographic minus, as everywhere on the pages (U+2212, not the hyphen).
        out.push('\u{2212}');
    }
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(sep);
        }
        out.push(c);
    }
    out
}

/// A decimal number with `decimals` places: `1.234,5` / `1,234.5`.
pub fn number(x: f64, decimals: usize, lang: &str) -> String {
    let s = format!("{:.*}", decimals, x.abs());
    let (int_part, frac) = s.split_once('.').unwrap_or((&s, ""));
    let int: i64 = int_part.parse().unwrap_or(0);
    let mut out = String::new();
    if x < 0.0 && s.chars().any(|c| c.is_ascii_digit() && c != '0') {
        out.push('\u{2212}');
    }
    out.push_str(&integer(int, lang));
    if !frac.is_empty() {
        out.push(if is_id(lang) { ',' } else { '.' });
        out.push_str(frac);
    }
    out
}

/// `Rp 1.500.000` / `Rp 1,500,000`, with a no-break space so the amount never wraps apart.
pub fn rupiah(amount: i64, lang: &str) -> String {
    if amount < 0 {
        format!("−Rp\u{a0}{}", integer(amount.saturating_neg(), lang))
    } else {
        format!("Rp\u{a0}{}", integer(amount, lang))
    }
}

/// A quantity with its unit: money in rupiah, `%` glued on, other units after a space.
pub fn quantity(value: f64, unit: &str, lang: &str) -> String {
    let decimals = if value.fract().abs() < 1e-9 { 0 } else { 1 };
    match unit {
        "Rp" => rupiah(value.round() as i64, lang),
        "%" => format!("{}%", number(value, decimals, lang)),
        "" => number(value, decimals, lang),
        u => format!("{}\u{a0}{u}", number(value, decimals, lang)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date as d;

    #[test]
    fn indonesian_and_english_formats() {
        let dt = d(2026, 3, 14).at(9, 0, 0, 0);
        assert_eq!(
            date_time(dt, "WITA", "id"),
            "Sabtu, 14 Maret 2026, 09.00 WITA"
        );
        assert_eq!(
            date_time(dt, "WITA", "en"),
            "Saturday, 14 March 2026, 09:00 WITA"
        );
        assert_eq!(number(1234.5, 1, "id"), "1.234,5");
        assert_eq!(number(1234.5, 1, "en"), "1,234.5");
        assert_eq!(number(-0.04, 1, "id"), "0,0");
        assert_eq!(rupiah(1_500_000, "id"), "Rp\u{a0}1.500.000");
        assert_eq!(rupiah(1_500_000, "en"), "Rp\u{a0}1,500,000");
        assert_eq!(integer(-1234567, "id"), "\u{2212}1.234.567");
        assert_eq!(integer(999, "id"), "999");
        assert_eq!(quantity(12.5, "%", "id"), "12,5%");
    }
}

/// Short numbers for chart axes: `3,5 jt` / `3.5m`, `750 rb` / `750k`.
pub fn compact(x: f64, lang: &str) -> String {
    let (scaled, suffix) = match x.abs() {
        a if a >= 1e6 => (x / 1e6, if is_id(lang) { " jt" } else { "m" }),
        a if a >= 1e3 => (x / 1e3, if is_id(lang) { " rb" } else { "k" }),
        _ => (x, ""),
    };
    let decimals = if (scaled - scaled.round()).abs() < 0.05 {
        0
    } else {
        1
    };
    format!("{}{suffix}", number(scaled, decimals, lang))
}

#[cfg(test)]
mod compact_tests {
    use super::*;

    #[test]
    fn compact_axis_numbers() {
        assert_eq!(super::compact(3_500_000.0, "id"), "3,5 jt");
        assert_eq!(super::compact(3_500_000.0, "en"), "3.5m");
        assert_eq!(super::compact(-250_000.0, "id"), "\u{2212}250 rb");
        assert_eq!(super::compact(0.34, "en"), "0.3");
    }

    #[test]
    fn dates_in_all_accepted_formats() {
        let expect: Timestamp = "2026-03-14T01:00:00Z".parse().unwrap();
        for text in [
            "2026-03-14T09:00",
            "2026-03-14 09:00",
            "2026-03-14T09:00:00",
            "2026-03-14T09:00+08:00",
        ] {
            assert_eq!(parse_date(text, 8), Some(expect), "{text}");
        }
        assert!(parse_date("2026-03-14", 8).is_some());
        assert_eq!(parse_date("14/03/2026", 8), None);
        assert_eq!(parse_date("2026-02-30", 8), None);
    }
}
