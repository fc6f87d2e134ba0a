//! iCalendar (RFC 5545) files: one per workshop and one feed of all upcoming workshops, so phone
//! calendars can import them.

use std::fmt::Write;

use super::Site;
use crate::content::{Page, Workshop};

/// File name of a workshop section's calendar feed.
pub const FEED_NAME: &str = "kalender.ics";

/// Escapes a TEXT value (RFC 5545 §3.3.11).
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c => out.push(c),
        }
    }
    out
}

/// A parameter value (RFC 5545 §3.2): `"` cannot be written at all and is removed, control
/// characters become spaces, and a value with `,`, `;` or `:` is put in double quotes.
fn param_value(text: &str) -> String {
    let clean: String = text
        .chars()
        .filter(|c| *c != '"')
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    if clean.contains([',', ';', ':']) {
        format!("\"{clean}\"")
    } else {
        clean
    }
}

/// Appends one content line, folded at 75 octets (RFC 5545 §3.1), ended by CRLF.
fn line(out: &mut String, content: &str) {
    let mut width = 0;
    for c in content.chars() {
        let len = c.len_utf8();
        if width + len > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += len;
    }
    out.push_str("\r\n");
}

fn utc(t: jiff::Timestamp) -> String {
    t.strftime("%Y%m%dT%H%M%SZ").to_string()
}

/// A calendar with one event per workshop.
pub fn calendar(site: &Site, events: &[(&Page, &Workshop)], name: &str) -> String {
    let mut out = String::with_capacity(512 + events.len() * 600);
    let host = url::Url::parse(&site.config.base_url)
        .ok()
        .and_then(|u| u.host_str().map(str::to_string))
        .unwrap_or_else(|| "berdaya.invalid".to_string());
    line(&mut out, "BEGIN:VCALENDAR");
    line(&mut out, "VERSION:2.0");
    line(&mut out, "PRODID:-//berdaya//berdaya 0.1//ID");
    line(&mut out, "CALSCALE:GREGORIAN");
    line(&mut out, "METHOD:PUBLISH");
    line(&mut out, &format!("X-WR-CALNAME:{}", escape(name)));
    line(
        &mut out,
        &format!("X-WR-TIMEZONE:{}", site.config.timezone.name),
    );
    for (page, w) in events {
        line(&mut out, "BEGIN:VEVENT");
        line(&mut out, &format!("UID:{}-{}@{host}", page.slug, page.lang));
        line(
            &mut out,
            &format!(
                "DTSTAMP:{}",
                utc(page.updated.or(page.date).unwrap_or(site.now))
            ),
        );
        line(&mut out, &format!("DTSTART:{}", utc(w.start)));
        line(&mut out, &format!("DTEND:{}", utc(w.end)));
        line(&mut out, &format!("SUMMARY:{}", escape(&page.meta.title)));
        let mut desc = page.meta.description.clone();
        let _ = write!(
            desc,
            "\n{}: {}\n{}: {}",
            site.string(&page.lang, "organiser"),
            w.organiser,
            site.string(&page.lang, "register"),
            w.register
        );
        line(&mut out, &format!("DESCRIPTION:{}", escape(&desc)));
        line(
            &mut out,
            &format!(
                "LOCATION:{}",
                escape(&format!("{}, {}, {}", w.venue, w.kelurahan, w.kecamatan))
            ),
        );
        if let Some(email) = &w.organiser_email {
            line(
                &mut out,
                &format!("ORGANIZER;CN={}:mailto:{email}", param_value(&w.organiser)),
            );
        }
        line(&mut out, &format!("URL:{}", site.permalink(&page.url)));
        line(&mut out, "STATUS:CONFIRMED");
        // A reminder the day before (RFC 5545 §3.6.6; DISPLAY needs a DESCRIPTION).
        line(&mut out, "BEGIN:VALARM");
        line(&mut out, "ACTION:DISPLAY");
        line(&mut out, "TRIGGER:-P1D");
        line(
            &mut out,
            &format!(
                "DESCRIPTION:{}",
                escape(&format!(
                    "{}: {}",
                    site.string(&page.lang, "ics_reminder"),
                    page.meta.title
                ))
            ),
        );
        line(&mut out, "END:VALARM");
        line(&mut out, "END:VEVENT");
    }
    line(&mut out, "END:VCALENDAR");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_long_lines_and_escapes() {
        let mut out = String::new();
        line(
            &mut out,
            &format!("SUMMARY:{}", escape(&"a,b;c ".repeat(20))),
        );
        assert!(out.split("\r\n").all(|l| l.len() <= 75));
        assert!(out.starts_with("SUMMARY:a\\,b\\;c"));
    }

    #[test]
    fn parameter_values_are_quoted_when_needed() {
        assert_eq!(
            param_value("Dinas Perikanan, Kelautan dan Pertanian"),
            "\"Dinas Perikanan, Kelautan dan Pertanian\""
        );
        assert_eq!(param_value("Kominfo \"Tarakan\""), "Kominfo Tarakan");
        assert_eq!(param_value("a:b\nc"), "\"a:b c\"");
    }
}
