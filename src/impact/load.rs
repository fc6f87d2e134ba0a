//! Reading the survey files (CSV and Parquet) with polars and checking every row: rows that
//! cannot be used are kept in a rejects report with file, row, column, value and reason, never
//! dropped silently.

use std::collections::BTreeMap;
use std::path::Path;

use polars::prelude::*;

use super::config::{ImpactConfig, OutcomeKind};
pub use super::rejects::{Reason, Reject};
use super::rejects::{check_reject_share, reject_report};
use crate::common::diagnostics::{Diagnostic, Diagnostics};

/// The usable rows, typed, and the account of what was not used.
pub struct SurveyData {
    /// Columns: `id` (u32 code), `wave` (u32 index into the declared waves), `treated` (bool),
    /// `w` (f64 weight), `cluster` (u32 code, when declared), `b0..` (breakdowns, u32 codes into
    /// `levels`), `o0..` (outcomes, f64, null when not answered). Text keys are coded as integers
    /// once, so every later group-by hashes integers, not strings.
    pub data: DataFrame,
    /// Level names of each breakdown, indexed by code.
    pub levels: Vec<Vec<String>>,
    /// Number of rows read from all survey files.
    pub rows_read: u64,
    /// Number of rows that passed every check, kept for the estimates.
    pub rows_used: u64,
    /// Number of rows that failed at least one check (each row counted once).
    pub rows_rejected: u64,
    /// Every failed check, one per problem (a row may appear more than once), sorted by file, row
    /// and reason.
    pub rejects: Vec<Reject>,
}

impl SurveyData {
    /// Rejected rows by reason (a row with two problems counts under both).
    pub fn by_reason(&self) -> BTreeMap<Reason, u64> {
        let mut out = BTreeMap::new();
        for r in &self.rejects {
            *out.entry(r.reason).or_insert(0) += 1;
        }
        out
    }
}

pub(super) fn polars_error(file: &str, e: PolarsError) -> Diagnostic {
    Diagnostic::error(format!("cannot read survey file {file}: {e}")).in_file(file).help(
        "survey files must be CSV with a header line, or Parquet; check the file is complete and not open in another program",
    )
}

/// Scans one file with every declared column as text, plus `__row` and `__file`.
fn scan(
    root: &Path,
    config: &ImpactConfig,
    index: usize,
    name: &str,
) -> Result<LazyFrame, Diagnostics> {
    let path = root.join("data").join(name);
    let display = format!("data/{name}");
    if !path.is_file() {
        return Err(
            Diagnostic::error(format!("survey file {display} not found"))
                .in_file(&config.path)
                .help("list files under data/ in `files` of impact.toml")
                .into(),
        );
    }
    let path_str = path.to_string_lossy().to_string();
    let parquet = name.ends_with(".parquet");
    let mut lf = if parquet {
        LazyFrame::scan_parquet(PlRefPath::new(&path_str), ScanArgsParquet::default())
            .map_err(|e| polars_error(&display, e))?
    } else {
        LazyCsvReader::new(PlRefPath::new(&path_str))
            .with_has_header(true)
            .with_infer_schema_length(Some(0))
            .finish()
            .map_err(|e| polars_error(&display, e))?
    };
    let schema = lf.collect_schema().map_err(|e| polars_error(&display, e))?;
    let mut missing_columns = Diagnostics::default();
    for (role, column) in config.required_columns() {
        if schema.get(column).is_none() {
            let have: Vec<&str> = schema.iter_names().map(|n| n.as_str()).collect();
            let mut d = Diagnostic::error(format!(
                "survey file {display} has no column `{column}` (the {role} column in impact.toml)"
            ))
            .in_file(&display);
            // Point at the declaration in impact.toml, where the fix usually is.
            if let Some(source) = &config.source
                && let Some(at) = source.text.find(&format!("\"{column}\""))
            {
                d = d.at(
                    source,
                    at..at + column.len() + 2,
                    format!("no such column in {display}"),
                );
            }
            let suggestion = crate::common::text::closest(column, have.iter().copied())
                .map_or(String::new(), |c| format!("did you mean `{c}`? "));
            missing_columns.push(d.help(format!(
                "{suggestion}columns in this file: {}; fix the name in data/impact.toml or in the file",
                have.join(", ")
            )));
        }
    }
    if missing_columns.has_errors() {
        return Err(missing_columns);
    }
    // Line numbers as a person sees them in the file: CSV data starts on line 2.
    let first = if parquet { 1 } else { 2 };
    let mut exprs: Vec<Expr> = vec![
        (col("__row").cast(DataType::UInt64) + lit(first as u64)).alias("__row"),
        lit(index as u32).cast(DataType::UInt32).alias("__file"),
    ];
    // A column may play two roles (cluster and breakdown): read it once.
    let mut seen = std::collections::HashSet::new();
    for (_, column) in config
        .required_columns()
        .into_iter()
        .filter(|(_, c)| seen.insert(*c))
    {
        exprs.push(
            col(column)
                .cast(DataType::String)
                .str()
                .strip_chars(lit(NULL))
                .alias(column),
        );
    }
    lf = lf.with_row_index("__row", None).select(exprs);
    Ok(lf)
}

/// Text that means "not answered".
fn missing(e: Expr) -> Expr {
    e.clone()
        .is_null()
        .or(e.clone().eq(lit("")))
        .or(e.clone().eq(lit("NA")))
        .or(e.eq(lit("na")))
}

/// Reads, checks and types every survey file.
pub fn load(root: &Path, config: &ImpactConfig) -> Result<SurveyData, Diagnostics> {
    let s = &config.survey;
    // Every file's problems (missing files and columns) at once.
    let mut frames = Vec::new();
    let mut problems = Diagnostics::default();
    for (i, f) in s.files.iter().enumerate() {
        match scan(root, config, i, f) {
            Ok(frame) => frames.push(frame),
            Err(ds) => problems.extend(ds.0),
        }
    }
    if problems.has_errors() {
        return Err(problems);
    }
    let all = concat(frames, UnionArgs::default()).map_err(|e| polars_error("data/", e))?;
    let (typed, checks) = typed_and_checks(config);
    let mut flag_exprs = Vec::with_capacity(checks.len());
    for (i, (check, _, _)) in checks.iter().enumerate() {
        flag_exprs.push(
            check
                .clone()
                .fill_null(lit(true))
                .alias(format!("__bad{i}")),
        );
    }
    let df = all
        .with_columns(flag_exprs)
        .collect()
        .map_err(|e| polars_error("data/", e))?;
    let rows_read = df.height() as u64;
    let (rejects, any_bad) = reject_report(config, &df, &checks)?;
    let rows_rejected = any_bad.sum().unwrap_or(0) as u64;
    check_reject_share(config, rows_read, rows_rejected, &rejects)?;
    let (data, levels) = usable_rows(config, &df, &any_bad, typed)?;
    Ok(SurveyData {
        levels,
        rows_used: data.height() as u64,
        data,
        rows_read,
        rows_rejected,
        rejects,
    })
}

/// One check of a row: the flag expression (true when the row fails), why, and the column.
pub(super) type Check = (Expr, Reason, String);

/// The typed columns the estimates read (id, wave, treated, weight, cluster, breakdowns,
/// outcomes), and every check a row must pass.
fn typed_and_checks(config: &ImpactConfig) -> (Vec<Expr>, Vec<Check>) {
    let s = &config.survey;
    // Typed values and one flag column per check.
    let waves = Series::new("w".into(), s.waves.clone());
    let mut typed: Vec<Expr> = vec![
        col("__row"),
        col("__file"),
        col(&s.id).alias("id"),
        col(&s.wave).alias("__wave_text"),
        col(&s.group).alias("__group_text"),
        col(&s.group).eq(lit(s.treated.as_str())).alias("treated"),
    ];
    let mut checks: Vec<Check> = vec![
        (missing(col(&s.id)), Reason::MissingId, s.id.clone()),
        (
            missing(col(&s.wave)).or(col(&s.wave)
                .is_in(lit(waves.clone()).implode(false), false)
                .not()),
            Reason::UnknownWave,
            s.wave.clone(),
        ),
    ];
    let group_ok = if s.comparison.is_empty() {
        missing(col(&s.group)).not()
    } else {
        let mut known = s.comparison.clone();
        known.push(s.treated.clone());
        col(&s.group)
            .is_in(lit(Series::new("g".into(), known)).implode(false), false)
            .fill_null(lit(false))
    };
    checks.push((group_ok.not(), Reason::UnknownGroup, s.group.clone()));
    match &s.weight {
        Some(w) => {
            let parsed = col(w).cast(DataType::Float64);
            typed.push(parsed.clone().alias("w"));
            checks.push((
                parsed.clone().is_null().or(parsed.lt_eq(lit(0.0))),
                Reason::BadWeight,
                w.clone(),
            ));
        }
        None => typed.push(lit(1.0f64).alias("w")),
    }
    if let Some(c) = &s.cluster {
        typed.push(col(c).alias("cluster"));
    }
    for (i, b) in config.breakdowns.iter().enumerate() {
        typed.push(col(&b.column).fill_null(lit("")).alias(format!("b{i}")));
    }
    for (i, o) in config.outcomes.iter().enumerate() {
        let text = col(&o.column);
        let value = match o.kind {
            OutcomeKind::Continuous => text.clone().cast(DataType::Float64),
            OutcomeKind::Binary => {
                // Listing the spellings is cheaper than lower-casing a million values.
                let t = text.clone();
                when(
                    t.clone().is_in(
                        lit(Series::new(
                            "y".into(),
                            [
                                "1", "1.0", "ya", "Ya", "YA", "yes", "Yes", "YES", "true", "True",
                                "TRUE", "y", "Y",
                            ],
                        ))
                        .implode(false),
                        false,
                    ),
                )
                .then(lit(1.0f64))
                .when(
                    t.is_in(
                        lit(Series::new(
                            "n".into(),
                            [
                                "0", "0.0", "tidak", "Tidak", "TIDAK", "no", "No", "NO", "false",
                                "False", "FALSE", "t", "T", "n", "N",
                            ],
                        ))
                        .implode(false),
                        false,
                    ),
                )
                .then(lit(0.0f64))
                .otherwise(lit(NULL).cast(DataType::Float64))
            }
        };
        let answered = missing(text.clone()).not();
        let reason = match o.kind {
            OutcomeKind::Continuous => Reason::Unparseable,
            OutcomeKind::Binary => Reason::NotBinary,
        };
        checks.push((
            answered.clone().and(value.clone().is_null()),
            reason,
            o.column.clone(),
        ));
        if let (OutcomeKind::Continuous, Some([lo, hi])) = (o.kind, o.range) {
            let out = value
                .clone()
                .lt(lit(lo))
                .or(value.clone().gt(lit(hi)))
                .fill_null(lit(false));
            checks.push((out, Reason::OutOfRange, o.column.clone()));
        }
        typed.push(
            when(answered)
                .then(value)
                .otherwise(lit(NULL).cast(DataType::Float64))
                .alias(format!("o{i}")),
        );
    }
    // The second and later rows of one respondent in one wave.
    let key = concat_str([col(&s.id), col(&s.wave)], "\u{1f}", true);
    checks.push((
        key.is_first_distinct().not().and(missing(col(&s.id)).not()),
        Reason::Duplicate,
        format!("{}+{}", s.id, s.wave),
    ));

    (typed, checks)
}

/// The rows that passed every check, typed, with waves as indices and the key columns coded
/// as integers; and the names of each breakdown's levels.
fn usable_rows(
    config: &ImpactConfig,
    df: &DataFrame,
    any_bad: &BooleanChunked,
    typed: Vec<Expr>,
) -> Result<(DataFrame, Vec<Vec<String>>), Diagnostic> {
    let s = &config.survey;
    let keep = !any_bad;
    let wave_index = Series::new("__wave_text".into(), s.waves.clone());
    let index = Series::new("wave".into(), (0..s.waves.len() as u32).collect::<Vec<_>>());
    let wave_map = DataFrame::new_infer_height(vec![wave_index.into(), index.into()])
        .map_err(|e| polars_error("data/", e))?;
    let data = df
        .filter(&keep)
        .map_err(|e| polars_error("data/", e))?
        .lazy()
        .select(typed)
        .join(
            wave_map.lazy(),
            [col("__wave_text")],
            [col("__wave_text")],
            JoinArgs::new(JoinType::Left),
        )
        .drop(Selector::ByName {
            names: ["__wave_text", "__group_text", "__row", "__file"]
                .into_iter()
                .map(PlSmallStr::from)
                .collect(),
            strict: true,
        })
        .collect()
        .map_err(|e| polars_error("data/", e))?;
    let mut data = data;
    let mut keys = vec!["id".to_string()];
    keys.extend(s.cluster.as_ref().map(|_| "cluster".to_string()));
    keys.extend((0..config.breakdowns.len()).map(|i| format!("b{i}")));
    // Independent columns: code them in parallel.
    use rayon::prelude::*;
    let coded = keys
        .par_iter()
        .map(|k| code(&data, k))
        .collect::<PolarsResult<Vec<_>>>()
        .map_err(|e| polars_error("data/", e))?;
    let mut levels = Vec::new();
    for (key, (column, names)) in keys.iter().zip(coded) {
        data.with_column(column)
            .map_err(|e| polars_error("data/", e))?;
        if key.starts_with('b') {
            levels.push(names);
        }
    }
    Ok((data, levels))
}

/// A text column as u32 codes (in order of first appearance), and the texts.
fn code(df: &DataFrame, name: &str) -> PolarsResult<(Column, Vec<String>)> {
    let texts = df.column(name)?.str()?.clone();
    let mut index: std::collections::HashMap<&str, u32> =
        std::collections::HashMap::with_capacity(1024);
    let mut names: Vec<String> = Vec::new();
    let codes: Vec<u32> = texts
        .iter()
        .map(|t| {
            let t = t.unwrap_or("");
            *index.entry(t).or_insert_with(|| {
                names.push(t.to_string());
                names.len() as u32 - 1
            })
        })
        .collect();
    Ok((Column::new(name.into(), codes), names))
}
