//! A workshop's fields: when (start before end), where (a known kelurahan, which gives the
//! kecamatan), who runs it, seats, cost and how to register.

use jiff::Timestamp;
use toml::Value;

use super::Workshop;
use crate::content::fields::Fields;

/// Reads and checks a workshop's fields; `None` when one of them is wrong (errors are in `f`).
pub(super) fn read(f: &mut Fields) -> Option<Workshop> {
    let (start, end) = workshop_times(f);
    let venue = f.required_string(
        "venue",
        "the place",
        "venue = \"Aula Kantor Kelurahan Pantai Amal\"",
    );
    let (kelurahan, kecamatan) = workshop_place(f);
    let organiser = f.required_string(
        "organiser",
        "who runs it",
        "organiser = \"Dinas Kominfo Kota Tarakan\"",
    );
    let organiser_email = organiser_email(f);
    let capacity = capacity(f);
    let cost = cost(f);
    let register = f.required_string(
        "register",
        "how to register",
        "register = \"Daftar lewat WhatsApp 0812-0000-0000\"",
    );
    let register_url = register_url(f);
    let venue_map = venue_map(f);
    Some(Workshop {
        start: start?,
        end: end?,
        venue: venue?,
        kelurahan: kelurahan?,
        kecamatan: kecamatan?,
        organiser: organiser?,
        organiser_email,
        capacity: capacity?,
        cost: cost?,
        register: register?,
        register_url,
        venue_map,
    })
}

/// `start` and `end`, each required; `end` must come after `start`.
fn workshop_times(f: &mut Fields) -> (Option<Timestamp>, Option<Timestamp>) {
    let has_start = f.fm.table.contains_key("start");
    let has_end = f.fm.table.contains_key("end");
    let start = f.date("start");
    let end = f.date("end");
    if !has_start {
        f.missing(
            "start",
            "when the workshop begins, local time",
            "start = 2026-03-14T09:00",
        );
    }
    if !has_end {
        f.missing(
            "end",
            "when the workshop ends, local time",
            "end = 2026-03-14T12:00",
        );
    }
    if let (Some(s), Some(e)) = (start, end)
        && e <= s
    {
        let span = f.span("end");
        let start_text =
            f.fm.locate_key(f.source, None, "start")
                .map(|k| f.source.text[k.value].trim_matches('"').to_string())
                .unwrap_or_default();
        f.error_at(
            span,
            if e == s {
                "the workshop ends when it starts".into()
            } else {
                "the workshop ends before it starts".into()
            },
            format!("`end` must be after `start` ({start_text})"),
            format!(
                "write the date and hour it ends, after the start, e.g. end = {}; {}",
                (s + jiff::SignedDuration::from_hours(2))
                    .to_zoned_datetime(jiff::tz::TimeZone::fixed(jiff::tz::Offset::constant(
                        f.config.timezone.offset_hours
                    )))
                    .strftime("%Y-%m-%dT%H:%M"),
                crate::common::locale::DATE_FORMATS
            ),
        );
    }
    (start, end)
}

/// `kelurahan`, required and known to the configured places, and the kecamatan it lies in.
fn workshop_place(f: &mut Fields) -> (Option<String>, Option<String>) {
    let kelurahan = f.required_string(
        "kelurahan",
        "the kelurahan of the venue",
        "kelurahan = \"Pantai Amal\"",
    );
    let kecamatan = kelurahan.as_ref().and_then(|k| {
        let found = f.config.kecamatan_of(k).map(str::to_string);
        if found.is_none() {
            let span = f.span("kelurahan");
            let all: Vec<&str> = f
                .config
                .places
                .values()
                .flatten()
                .map(String::as_str)
                .collect();
            f.error_at(
                span,
                format!("unknown kelurahan `{k}`"),
                "not a kelurahan of this city".into(),
                format!("use one of: {}", all.join(", ")),
            );
        }
        found
    });
    (kelurahan, kecamatan)
}

/// `organiser_email`, optional, a plain e-mail address.
fn organiser_email(f: &mut Fields) -> Option<String> {
    f.string("organiser_email").filter(|e| {
        let ok = is_email(e);
        if !ok {
            let span = f.span("organiser_email");
            f.error_at(
                span,
                format!(
                    "`organiser_email` `{}` is not an e-mail address",
                    e.escape_debug()
                ),
                "expected name@domain".into(),
                "write it like organiser_email = \"kominfo@tarakankota.go.id\", or remove it"
                    .into(),
            );
        }
        ok
    })
}

/// `capacity`, required: a whole number of seats, written without words.
fn capacity(f: &mut Fields) -> Option<u32> {
    let capacity_text = match f.fm.table.get("capacity") {
        Some(Value::String(t)) => Some(t.clone()),
        _ => None,
    };
    if let Some(t) = capacity_text {
        // `capacity = "20 orang"`: the number is there, in words.
        let digits: String = t.chars().filter(char::is_ascii_digit).collect();
        let example = if digits.is_empty() {
            "40".to_string()
        } else {
            digits
        };
        f.take("capacity");
        let span = f.span("capacity");
        f.error_at(
            span,
            "`capacity` must be a number".into(),
            "text, not a number of seats".into(),
            format!(
                "write only the number of seats, without quotes or words: capacity = {example}"
            ),
        );
    }
    match f.integer("capacity", "capacity = 40") {
        Some(c) if c > 0 && c <= 1_000_000 => Some(c as u32),
        Some(c) => {
            let span = f.span("capacity");
            f.error_at(
                span,
                if c > 0 {
                    "`capacity` is more seats than any venue has".into()
                } else {
                    "`capacity` must be at least 1".into()
                },
                "not a number of seats".into(),
                "write the number of seats, e.g. capacity = 40".into(),
            );
            None
        }
        None => {
            if !f.fm.table.contains_key("capacity") {
                f.missing("capacity", "number of seats", "capacity = 40");
            }
            None
        }
    }
}

/// `cost` in rupiah, optional (free when left out), never negative.
fn cost(f: &mut Fields) -> Option<i64> {
    match f.integer("cost", "cost = 25000") {
        Some(c) if c < 0 => {
            let span = f.span("cost");
            f.error_at(
                span,
                "`cost` cannot be negative".into(),
                "a negative price".into(),
                "write the price in rupiah, or 0 when it is free".into(),
            );
            None
        }
        Some(c) => Some(c),
        None if f.fm.table.contains_key("cost") => None,
        None => Some(0),
    }
}

/// `register_url`, optional: a web address, `mailto:`, `tel:` or a path of this site.
fn register_url(f: &mut Fields) -> Option<String> {
    f.string("register_url").filter(|url| {
        let problem = crate::sanitize::url_problem("a", "href", url).or_else(|| {
            let allowed = ["https://", "http://", "mailto:", "tel:", "whatsapp:"]
                .iter()
                .any(|p| url.starts_with(p))
                || (url.starts_with('/') && !url.starts_with("//"));
            (!allowed)
            .then_some("a registration link is a web address (https://...), mailto:, tel: or a path of this site")
        });
        if let Some(why) = problem {
            let span = f.span("register_url");
            f.error_at(
                span,
                "`register_url` cannot be used as a link".into(),
                why.into(),
                "write it like register_url = \"https://wa.me/6281200000000\" or \"https://forms.gle/...\"".into(),
            );
        }
        problem.is_none()
    })
}

/// `venue_map`, optional: a map of the venue, an `https://` web address.
fn venue_map(f: &mut Fields) -> Option<String> {
    f.string("venue_map").filter(|url| {
        let problem = crate::sanitize::url_problem("a", "href", url).or_else(|| {
            (!url.starts_with("https://"))
                .then_some("a map link is a web address starting with https://")
        });
        if let Some(why) = problem {
            let span = f.span("venue_map");
            f.error_at(
                span,
                "`venue_map` cannot be used as a link".into(),
                why.into(),
                "copy the share link of the place from a maps app, e.g. venue_map = \"https://maps.app.goo.gl/...\"".into(),
            );
        }
        problem.is_none()
    })
}

/// True for a plain e-mail address `local@domain.tld` (no display name, no comments): what a
/// calendar's `mailto:` needs.
pub fn is_email(text: &str) -> bool {
    let Some((local, domain)) = text.split_once('@') else {
        return false;
    };
    let local_ok = !local.is_empty()
        && local.len() <= 64
        && !local.starts_with('.')
        && !local.ends_with('.')
        && !local.contains("..")
        && local
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "!#$%&'*+-/=?^_`{|}~.".contains(c));
    let labels: Vec<&str> = domain.split('.').collect();
    let domain_ok = labels.len() >= 2
        && domain.len() <= 253
        && labels.iter().all(|l| {
            !l.is_empty()
                && l.len() <= 63
                && !l.starts_with('-')
                && !l.ends_with('-')
                && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        });
    local_ok && domain_ok
}
