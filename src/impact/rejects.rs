//! Rows that cannot be used: why ([`Reason`]), where ([`Reject`]: file, row, column, value),
//! the warnings of every one, and the limit on how many may be rejected before the build stops.

use std::collections::BTreeMap;

use super::config::ImpactConfig;
use super::load::OutcomeCounts;
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
    /// A continuous outcome's answer is a number but not a finite one (`inf`, or `NaN` when
    /// `NaN` is not declared a missing-value text).
    NotFinite,
    /// A continuous outcome's value lies outside its declared `range`.
    OutOfRange,
    /// A binary outcome's answer is not a recognised yes/no spelling (such as 1/0, ya/tidak,
    /// yes/no).
    NotBinary,
    /// The weight is missing, not a number, or not positive.
    BadWeight,
    /// The cluster (e.g. kelurahan) is missing: the row cannot be placed in a cluster.
    MissingCluster,
    /// The respondent is a participant in one wave and in the comparison group in another:
    /// every row of that respondent is left out (nothing tells which group is right).
    GroupChanged,
    /// The start wave (staggered design) is missing or not a `post` wave for a participant, or
    /// given for a comparison respondent.
    BadStart,
    /// The respondent's start wave differs between rows: every row of that respondent is left
    /// out.
    StartChanged,
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
            Reason::NotFinite => "not_finite",
            Reason::OutOfRange => "out_of_range",
            Reason::NotBinary => "not_binary",
            Reason::BadWeight => "bad_weight",
            Reason::MissingCluster => "missing_cluster",
            Reason::GroupChanged => "group_changed",
            Reason::BadStart => "bad_start",
            Reason::StartChanged => "start_changed",
            Reason::Duplicate => "duplicate",
        }
    }

    /// True when the problem rejects the whole row (id, wave, group, weight, repeated
    /// respondent); false when it leaves one outcome's value out and the row counts for the
    /// others.
    pub fn whole_row(self) -> bool {
        matches!(
            self,
            Reason::MissingId
                | Reason::UnknownWave
                | Reason::UnknownGroup
                | Reason::BadWeight
                | Reason::MissingCluster
                | Reason::GroupChanged
                | Reason::BadStart
                | Reason::StartChanged
                | Reason::Duplicate
        )
    }
}

/// One problem in one row.
#[derive(Debug, Clone)]
pub struct Reject {
    /// The survey file, as `data/<name>` (with `, sheet <name>` for spreadsheets).
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

/// Stops when the survey has no rows, when more rows are rejected whole than
/// `max_reject_share` allows, or when more of one outcome's values are; names the column and
/// file with the most problems and an example.
pub(super) fn check_reject_share(
    config: &ImpactConfig,
    rows_read: u64,
    rows_rejected: u64,
    outcomes: &[OutcomeCounts],
    rejects: &[Reject],
) -> Result<(), Diagnostic> {
    let s = &config.survey;
    if rows_read == 0 {
        return Err(Diagnostic::error("the survey files have no rows")
            .in_file(&config.path)
            .help("check `files` in impact.toml"));
    }
    let limit = s.max_reject_share;
    let share = rows_rejected as f64 / rows_read as f64;
    if share > limit {
        let whole: Vec<&Reject> = rejects.iter().filter(|r| r.reason.whole_row()).collect();
        return Err(too_many(
            format!(
                "{:.1}% of survey rows were rejected ({rows_rejected} of {rows_read}), more than max_reject_share allows ({:.1}%)",
                share * 100.0,
                limit * 100.0
            ),
            &whole,
        ));
    }
    let rows_used = rows_read - rows_rejected;
    for (o, counts) in config.outcomes.iter().zip(outcomes) {
        let share = counts.rejected as f64 / rows_used.max(1) as f64;
        if share > limit {
            let these: Vec<&Reject> = rejects
                .iter()
                .filter(|r| !r.reason.whole_row() && r.column == o.column)
                .collect();
            return Err(too_many(
                format!(
                    "{:.1}% of the answers in column `{}` were rejected ({} of {rows_used} rows), more than max_reject_share allows ({:.1}%)",
                    share * 100.0,
                    o.column,
                    counts.rejected,
                    limit * 100.0
                ),
                &these,
            ));
        }
    }
    Ok(())
}

/// The error for too many rejects: `message`, and the column and file with the most of
/// `rejects`, with an example.
fn too_many(message: String, rejects: &[&Reject]) -> Diagnostic {
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
    Diagnostic::error(message).in_file(file).help(format!(
        "most problems are in column `{column}` of {file} ({n} rows{}); fix the data or the column's declaration in data/impact.toml",
        first.map_or(String::new(), |r| format!(
            ", e.g. row {} has {:?}: {}",
            r.row,
            r.value,
            r.reason.key()
        ))
    ))
}

/// One warning per file, column and reason with the number of problems and the first rows, so
/// the people who manage the data see where every rejected value is.
pub fn reject_warnings(rejects: &[Reject]) -> Vec<Diagnostic> {
    let mut groups: BTreeMap<(&str, &str, Reason), Vec<&Reject>> = BTreeMap::new();
    for r in rejects {
        groups
            .entry((r.file.as_str(), r.column.as_str(), r.reason))
            .or_default()
            .push(r);
    }
    groups
        .into_iter()
        .map(|((file, column, reason), rs)| {
            let shown: Vec<String> = rs
                .iter()
                .take(5)
                .map(|r| format!("row {} ({:?})", r.row, r.value))
                .collect();
            let more = if rs.len() > 5 {
                format!(" and {} more", rs.len() - 5)
            } else {
                String::new()
            };
            let scope = match (reason.whole_row(), rs.len()) {
                (true, 1) => "row rejected",
                (true, _) => "rows rejected",
                (false, 1) => "answer left out of its outcome",
                (false, _) => "answers left out of their outcome",
            };
            Diagnostic::warning(format!(
                "{} {scope} in column `{column}` of {file}: {}",
                rs.len(),
                reason.key().replace('_', " ")
            ))
            .in_file(file)
            .help(format!("{}{more}", shown.join(", ")))
        })
        .collect()
}
