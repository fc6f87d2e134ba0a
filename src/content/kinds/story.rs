//! A success story's fields: the group, its sector and kecamatan, the channels it sells on, and
//! its before/after figures.

use toml::Value;

use super::{Change, Story};
use crate::content::fields::Fields;

/// Reads and checks a success story's fields; `None` when one of them is wrong (errors are in
/// `f`).
pub(super) fn read(f: &mut Fields) -> Option<Story> {
    let group = f.required_string(
        "group",
        "the group or KUB name",
        "group = \"KUB Mawar Laut\"",
    );
    let sector = f.choice("sector", "sector", true);
    let kecamatan = f.required_string(
        "kecamatan",
        "where the group works",
        "kecamatan = \"Tarakan Timur\"",
    );
    let kecamatan = kecamatan.and_then(|k| {
        if f.config.places.contains_key(&k) {
            return Some(k);
        }
        let span = f.span("kecamatan");
        let all: Vec<&str> = f.config.places.keys().map(String::as_str).collect();
        f.error_at(
            span,
            format!("unknown kecamatan `{k}`"),
            "not a kecamatan of this city".into(),
            format!("use one of: {}", all.join(", ")),
        );
        None
    });
    let channels = f.strings("channels").unwrap_or_default();
    let changes = match f.take("changes") {
        None => Some(Vec::new()),
        Some(Value::Array(items)) => items.into_iter().map(|item| read_change(f, item)).collect(),
        Some(_) => {
            let span = f.span("changes");
            f.error_at(
                span,
                "`changes` has the wrong type".into(),
                "expected [[changes]] tables".into(),
                CHANGE_EXAMPLE.into(),
            );
            None
        }
    };
    Some(Story {
        group: group?,
        sector: sector?,
        kecamatan: kecamatan?,
        channels,
        changes: changes?,
    })
}

const CHANGE_EXAMPLE: &str = "write each figure as\n[[changes]]\nlabel = \"Omzet per bulan\"\nbefore = 3000000\nafter = 7500000\nunit = \"Rp\"";

fn read_change(f: &mut Fields, item: Value) -> Option<Change> {
    let span = f.fm.locate(f.source, None, "[[changes]]");
    let span = if span.is_empty() {
        f.fm.locate_key(f.source, None, "label")
            .map_or(span, |s| s.key)
    } else {
        span
    };
    let Value::Table(mut t) = item else {
        f.error_at(
            span,
            "a `changes` entry is not a table".into(),
            "expected label, before, after, unit".into(),
            CHANGE_EXAMPLE.into(),
        );
        return None;
    };
    let label = match t.remove("label") {
        Some(Value::String(s)) if !s.trim().is_empty() => Some(s),
        _ => {
            f.error_at(
                span.clone(),
                "a `changes` entry needs a `label`".into(),
                "label missing or not text".into(),
                CHANGE_EXAMPLE.into(),
            );
            None
        }
    };
    let before = t
        .remove("before")
        .and_then(|v| f.number_value(v, "before", "before = 3000000"));
    let after = t
        .remove("after")
        .and_then(|v| f.number_value(v, "after", "after = 7500000"));
    if before.is_none() || after.is_none() {
        f.error_at(
            span,
            "a `changes` entry needs numbers `before` and `after`".into(),
            "before or after missing".into(),
            CHANGE_EXAMPLE.into(),
        );
    }
    let unit = match t.remove("unit") {
        Some(Value::String(s)) => s,
        _ => String::new(),
    };
    Some(Change {
        label: label?,
        before: before?,
        after: after?,
        unit,
    })
}
