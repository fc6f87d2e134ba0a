//! Rows that cannot be used: why ([`Reason`]), where ([`Reject`]: file, row, column, value),
//! the report of every one, and the limit on how many may be rejected before the build stops.

use std::collections::BTreeMap;

use polars::prelude::*;

use super::config::ImpactConfig;
use super::load::{Check, polars_error};
use crate::common::diagnostics::Diagnostic;

/// Why a row was not used.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Reason {
    /// The respondent id is empty or missing.
    MissingId,
    /// The wave is missing or not one of the declared `waves`.
    UnknownWave,
    /// The group is missing, or neither the participants' value nor a declared comparison value.
    UnknownGroup,
    /// A continuous outcome's answer is not a number.
    Unparseable,
    /// A continuous outcome's value lies outside its declared `range`.
    OutOfRange,
    /// A binary outcome's answer is not a recognised yes/no spelling (such as 1/0, ya/tidak,
    /// yes/no).
    NotBinary,
    /// The weight is missing, not a number, or not positive.
    BadWeight,
    /// A second or later row of the same respondent in the same wave.
    Duplicate,
}

impl Reason {
    /// Stable snake_case name of the reason (`missing_id`, ...), used to look up its translated
    /// text and in error messages.
    pub fn key(self) -> &'static str {
        match self {
            Reason::MissingId => "missing_id",
            Reason::UnknownWave => "unknown_wave",
            Reason::UnknownGroup => "unknown_group",
            Reason::Unparseable => "unparseable",
            Reason::OutOfRange => "out_of_range",
            Reason::NotBinary => "not_binary",
            Reason::BadWeight => "bad_weight",
            Reason::Duplicate => "duplicate",
        }
    }
}

/// One problem in one row.
#[derive(Debug, Clone)]
pub struct Reject {
    /// The survey file, as `data/<name>`.
    pub file: String,
    /// Line in a CSV file (the header is line 1), row number in a Parquet file.
    pub row: u64,
    /// The column that failed the check (`<id>+<wave>` for duplicates).
    pub column: String,
    /// The offending value as text (the respondent id for duplicates); empty when missing.
    pub value: String,
    /// Why the row was rejected.
    pub reason: Reason,
}

/// Every failed check as a located reject (file, row, column, value, reason), sorted, and
/// which rows failed any check.
pub(super) fn reject_report(
    config: &ImpactConfig,
    df: &DataFrame,
    checks: &[Check],
) -> Result<(Vec<Reject>, BooleanChunked), Diagnostic> {
    let s = &config.survey;
    let mut rejects = Vec::new();
    let mut any_bad = BooleanChunked::full("any".into(), false, df.height());
    let rows = df
        .column("__row")
        .and_then(|c| c.u64().cloned())
        .map_err(|e| polars_error("data/", e))?;
    let files = df
        .column("__file")
        .and_then(|c| c.u32().cloned())
        .map_err(|e| polars_error("data/", e))?;
    for (i, (_, reason, column)) in checks.iter().enumerate() {
        let bad = df
            .column(&format!("__bad{i}"))
            .and_then(|c| c.bool().cloned())
            .map_err(|e| polars_error("data/", e))?;
        if !bad.any() {
            continue;
        }
        any_bad = &any_bad | &bad;
        let values = match *reason {
            Reason::Duplicate => df.column(&s.id).ok().cloned(),
            _ => df.column(column).ok().cloned(),
        };
        let values = values.and_then(|v| v.str().ok().cloned());
        for (idx, flagged) in bad.iter().enumerate() {
            if flagged != Some(true) {
                continue;
            }
            let value = values
                .as_ref()
                .and_then(|v| v.get(idx))
                .unwrap_or("")
                .to_string();
            rejects.push(Reject {
                file: format!("data/{}", s.files[files.get(idx).unwrap_or(0) as usize]),
                row: rows.get(idx).unwrap_or(0),
                column: column.clone(),
                value,
                reason: *reason,
            });
        }
    }
    rejects.sort_by(|a, b| (&a.file, a.row, a.reason).cmp(&(&b.file, b.row, b.reason)));
    Ok((rejects, any_bad))
}

/// Stops when the survey has no rows, or more are rejected than `max_reject_share` allows,
/// naming the column and file with the most problems and an example.
pub(super) fn check_reject_share(
    config: &ImpactConfig,
    rows_read: u64,
    rows_rejected: u64,
    rejects: &[Reject],
) -> Result<(), Diagnostic> {
    let s = &config.survey;
    let share = if rows_read == 0 {
        0.0
    } else {
        rows_rejected as f64 / rows_read as f64
    };
    if rows_read == 0 {
        return Err(Diagnostic::error("the survey files have no rows")
            .in_file(&config.path)
            .help("check `files` in impact.toml"));
    }
    if share > s.max_reject_share {
        let mut worst: BTreeMap<(&str, &str), u64> = BTreeMap::new();
        for r in rejects {
            *worst
                .entry((r.file.as_str(), r.column.as_str()))
                .or_insert(0) += 1;
        }
        let ((file, column), n) = worst
            .iter()
            .max_by_key(|(_, n)| **n)
            .map(|(k, n)| (*k, *n))
            .unwrap_or((("data/", ""), 0));
        let first = rejects
            .iter()
            .find(|r| r.file == file && r.column == column);
        return Err(Diagnostic::error(format!(
            "{:.1}% of survey rows were rejected ({rows_rejected} of {rows_read}), more than max_reject_share allows ({:.1}%)",
            share * 100.0,
            s.max_reject_share * 100.0
        ))
        .in_file(file)
        .help(format!(
            "most problems are in column `{column}` of {file} ({n} rows{}); fix the data or the column's declaration in data/impact.toml",
            first.map_or(String::new(), |r| format!(", e.g. row {} has {:?}: {}", r.row, r.value, r.reason.key()))
        )));
    }

    Ok(())
}
