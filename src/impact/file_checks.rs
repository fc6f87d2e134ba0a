//! Whole-file checks of the survey beyond single rows: respondents who switch group, numbers
//! written with thousands separators, and located errors for files polars cannot read (lines
//! with too many fields, text that is not UTF-8).

use std::path::Path;

use polars::prelude::*;

use super::config::{DuplicateRule, ImpactConfig};
use super::load::polars_error;
use super::rejects::{Reason, Reject};
use crate::common::diagnostics::Diagnostic;

/// Rows of respondents who are participants in one row and comparison in another (compared on
/// whether the group value is the participants' value; rows without an id are not flagged).
pub(super) fn group_changed(config: &ImpactConfig, df: &DataFrame) -> PolarsResult<Vec<bool>> {
    let s = &config.survey;
    let ids = df.column(&s.id)?.str()?.clone();
    let groups = df.column(&s.group)?.str()?.clone();
    // Per id: seen as participant (bit 1), as comparison (bit 2).
    let mut seen: PlHashMap<&str, u8> = PlHashMap::with_capacity(ids.len() / 2);
    let treated_lower = s.treated.trim().to_lowercase();
    for (id, g) in ids.iter().zip(groups.iter()) {
        let (Some(id), Some(g)) = (id, g) else {
            continue;
        };
        // Only values the group check accepts: an unknown group is its own reject.
        let bit = if g == s.treated {
            1
        } else if s.comparison.iter().any(|c| c == g)
            || (s.comparison.is_empty() && !g.is_empty() && g.to_lowercase() != treated_lower)
        {
            2
        } else {
            continue;
        };
        *seen.entry(id).or_insert(0) |= bit;
    }
    Ok(ids
        .iter()
        .map(|id| id.is_some_and(|id| seen.get(id) == Some(&3)))
        .collect())
}

/// Rows that repeat a respondent in a wave (compared on id and wave as written, after
/// trimming): every such row under `keep-none`, the second and later under `keep-first`. Rows
/// whose id is missing (null or a missing-value text, flagged in `missing_id`) are not flagged:
/// they are rejected for that.
pub(super) fn repeated_rows(
    config: &ImpactConfig,
    df: &DataFrame,
    missing_id: &str,
) -> PolarsResult<Vec<bool>> {
    let s = &config.survey;
    let ids = df.column(&s.id)?.str()?.clone();
    let waves = df.column(&s.wave)?.str()?.clone();
    let missing = df.column(missing_id)?.bool()?.clone();
    // Waves as small codes (any text, declared or not: an undeclared wave is its own reject).
    let mut wave_code: PlHashMap<Option<&str>, u32> = PlHashMap::new();
    let keys: Vec<Option<(&str, u32)>> = ids
        .iter()
        .zip(waves.iter())
        .zip(missing.iter())
        .map(|((id, wave), missing)| {
            if missing.unwrap_or(true) {
                return None;
            }
            let next = wave_code.len() as u32;
            let code = *wave_code.entry(wave).or_insert(next);
            id.map(|id| (id, code))
        })
        .collect();
    let mut count: PlHashMap<(&str, u32), u32> = PlHashMap::with_capacity(keys.len());
    let mut flags = Vec::with_capacity(keys.len());
    for key in &keys {
        let Some(key) = key else {
            flags.push(false);
            continue;
        };
        let seen = count.entry(*key).or_insert(0);
        *seen += 1;
        // keep-first: the second and later; keep-none: decided below from the totals.
        flags.push(*seen > 1);
    }
    if s.duplicates == DuplicateRule::KeepNone {
        for (flag, key) in flags.iter_mut().zip(&keys) {
            *flag = key.is_some_and(|k| count[&k] > 1);
        }
    }
    Ok(flags)
}

/// Rows of respondents whose start wave (the staggered design's `start` column) differs between
/// rows, compared as written after trimming; rows without an id or a start are not compared.
/// All false without a start column.
pub(super) fn start_changed(config: &ImpactConfig, df: &DataFrame) -> PolarsResult<Vec<bool>> {
    let Some(start) = &config.survey.start else {
        return Ok(vec![false; df.height()]);
    };
    let ids = df.column(&config.survey.id)?.str()?.clone();
    let starts = df.column(start)?.str()?.clone();
    // Per id: the first start seen, and whether another one was seen.
    let mut seen: PlHashMap<&str, (&str, bool)> = PlHashMap::with_capacity(ids.len() / 2);
    for (id, s) in ids.iter().zip(starts.iter()) {
        let (Some(id), Some(s)) = (id, s) else {
            continue;
        };
        if s.is_empty()
            || config
                .survey
                .missing
                .iter()
                .any(|m| m.eq_ignore_ascii_case(s))
        {
            continue;
        }
        let entry = seen.entry(id).or_insert((s, false));
        if entry.0 != s {
            entry.1 = true;
        }
    }
    Ok(ids
        .iter()
        .map(|id| id.is_some_and(|id| seen.get(id).is_some_and(|e| e.1)))
        .collect())
}

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
