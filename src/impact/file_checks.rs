//! Whole-file checks of the survey: numbers written with thousands separators, and located
//! errors for files polars cannot read (lines with too many fields, text that is not UTF-8).

use std::path::Path;

use polars::prelude::*;

use super::config::ImpactConfig;
use super::load::polars_error;
use super::rejects::{Reason, Reject};
use crate::common::diagnostics::Diagnostic;

/// The error for a survey that polars could not read: located at the file and line when a CSV
/// line has a different number of fields than its header (found by reading the files again,
/// on this error path only), else polars' message naming every file.
pub(super) fn reading_error(root: &Path, config: &ImpactConfig, e: PolarsError) -> Diagnostic {
    for name in &config.survey.files {
        let lower = name.to_ascii_lowercase();
        if lower.ends_with(".parquet") || super::sheet::is_spreadsheet(name) {
            continue;
        }
        let Ok(bytes) = std::fs::read(root.join("data").join(name)) else {
            continue;
        };
        let display = format!("data/{name}");
        let text = match String::from_utf8(bytes) {
            Ok(text) => text,
            Err(e) => {
                let valid = &e.as_bytes()[..e.utf8_error().valid_up_to()];
                let line = valid.iter().filter(|b| **b == b'\n').count() + 1;
                return Diagnostic::error(format!(
                    "line {line} of {display} is not UTF-8 text (the file was probably saved as Windows-1252 or Latin-1)"
                ))
                .in_file(&display)
                .help("save it again as \"CSV UTF-8\", or as .xlsx");
            }
        };
        let mut lines = text.lines().enumerate();
        let Some((_, header)) = lines.next() else {
            continue;
        };
        let expected = csv_fields(header);
        if let Some((i, line)) =
            lines.find(|(_, l)| !l.trim().is_empty() && csv_fields(l) > expected)
        {
            let display = format!("data/{name}");
            return Diagnostic::error(format!(
                "line {} of {display} has {} fields but the header line has {expected}",
                i + 1,
                csv_fields(line)
            ))
            .in_file(&display)
            .help(
                "a value with a comma must be in double quotes (\"3,5 juta\"), or the line has a stray comma; numbers must not use a comma for thousands or decimals",
            );
        }
    }
    let files: Vec<String> = config
        .survey
        .files
        .iter()
        .map(|f| format!("data/{f}"))
        .collect();
    polars_error(&files.join(", "), e)
}

/// An error when a number column writes thousands with separators (`1.250.000`, `1,250,000`):
/// such a column cannot be read safely, since `568.730` would silently become 568.73.
pub(super) fn grouped_thousands(rejects: &[Reject]) -> Option<Diagnostic> {
    let grouped = |v: &str| {
        let v = v.strip_prefix('-').unwrap_or(v);
        [".", ","].iter().any(|sep| {
            let parts: Vec<&str> = v.split(sep).collect();
            parts.len() >= 3
                && (1..=3).contains(&parts[0].len())
                && parts.iter().all(|p| p.bytes().all(|b| b.is_ascii_digit()))
                && parts[1..].iter().all(|p| p.len() == 3)
        })
    };
    let r = rejects
        .iter()
        .find(|r| r.reason == Reason::Unparseable && grouped(&r.value))?;
    Some(
        Diagnostic::error(format!(
            "column `{}` of {} writes numbers with separators between thousands (row {}: {:?}), so values such as 568.730 cannot be read safely",
            r.column, r.file, r.row, r.value
        ))
        .in_file(&r.file)
        .help("export the numbers without thousands separators and with a point for decimals (in a spreadsheet: format the column as a plain number)"),
    )
}

/// The number of fields of a CSV line (commas outside double quotes, plus one).
fn csv_fields(line: &str) -> usize {
    let mut quoted = false;
    let mut n = 1;
    for c in line.chars() {
        match c {
            '"' => quoted = !quoted,
            ',' if !quoted => n += 1,
            _ => {}
        }
    }
    n
}
