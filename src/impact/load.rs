//! Reading the survey files (CSV and Parquet) with polars and checking every row: rows that
//! cannot be used are kept in a rejects report with file, row, column, value and reason, never
//! dropped silently.

use std::collections::BTreeMap;
use std::path::Path;

use polars::prelude::*;

use super::checks::{Check, missing_name, shared_columns, typed_and_checks};
use super::config::ImpactConfig;
use super::file_checks::{
    group_changed, grouped_thousands, reading_error, repeated_rows, start_changed,
};
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
    /// Number of rows rejected whole (a bad id, wave, group or weight, or a repeated
    /// respondent), each row counted once.
    pub rows_rejected: u64,
    /// Distinct respondents (people, not person-waves) in the usable rows.
    pub respondents: u64,
    /// Respondents with usable rows in two or more waves: all of them in a panel, none in
    /// repeated cross-sections.
    pub respondents_repeated: u64,
    /// Distinct respondents with a row among the participants (the rest are the comparison
    /// group).
    pub participants: u64,
    /// When the newest survey file was last modified (the date of the data when `data_date` is
    /// not declared).
    pub modified: Option<std::time::SystemTime>,
    /// Per outcome (in the order of `config.outcomes`), what became of the usable rows' answers.
    pub outcomes: Vec<OutcomeCounts>,
    /// Every failed check, one per problem (a row may appear more than once), sorted by file, row
    /// and reason.
    pub rejects: Vec<Reject>,
}

/// What became of one outcome's answers in the rows not rejected whole: used, missing or rejected
/// (they add up to [`SurveyData::rows_used`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OutcomeCounts {
    /// Answers used in this outcome's estimates.
    pub used: u64,
    /// Not answered: empty or one of the declared missing-value texts (`NA`, `.`, ...).
    pub missing: u64,
    /// Answered but unusable (not a number, not finite, out of range, not yes/no): left out of
    /// this outcome only; the row still counts for the other outcomes.
    pub rejected: u64,
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
        "survey files must be CSV with a header line, Parquet, or a spreadsheet (.xlsx); check the file is complete and not open in another program",
    )
}

/// Scans one file with every declared column as text, plus `__row` and `__file`; and the
/// file's name in messages (with the sheet for spreadsheets).
fn scan(
    root: &Path,
    config: &ImpactConfig,
    index: usize,
    name: &str,
) -> Result<(LazyFrame, String), Diagnostics> {
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
    let spreadsheet = super::sheet::is_spreadsheet(name);
    let mut label = display.clone();
    let mut lf = if spreadsheet {
        let sheet = super::sheet::read(&path, &display, config.survey.sheet.as_deref())?;
        label = format!("{display}, sheet {}", sheet.name);
        sheet.frame.lazy()
    } else if parquet {
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
    // One column whose name holds `;` or a tab: the file uses another separator.
    if let [only] = schema.iter_names().collect::<Vec<_>>().as_slice()
        && let Some(sep) = [';', '\t'].into_iter().find(|c| only.contains(*c))
    {
        let name = if sep == ';' { "semicolons" } else { "tabs" };
        return Err(Diagnostic::error(format!(
            "survey file {label} separates its columns with {name}, not commas"
        ))
        .in_file(&display)
        .help("save it as CSV with commas (\"CSV UTF-8 (comma delimited)\"), or as .xlsx")
        .into());
    }
    let mut missing_columns = Diagnostics::default();
    for (role, column) in config.required_columns() {
        if schema.get(column).is_none() {
            let have: Vec<&str> = schema
                .iter_names()
                .map(|n| n.as_str())
                .filter(|n| *n != "__row")
                .collect();
            let mut d = Diagnostic::error(format!(
                "survey file {label} has no column `{column}` (the {role} column in impact.toml)"
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
            let other_sheet = if spreadsheet {
                "; or name the sheet with the survey in `sheet`"
            } else {
                ""
            };
            missing_columns.push(d.help(format!(
                "{suggestion}columns in this file: {}; fix the name in data/impact.toml or in the file{other_sheet}",
                have.join(", ")
            )));
        }
    }
    if missing_columns.has_errors() {
        return Err(missing_columns);
    }
    // Line numbers as a person sees them in the file: CSV data starts on line 2; a
    // spreadsheet's rows come numbered.
    let first = match (spreadsheet, parquet) {
        (true, _) => 0,
        (false, true) => 1,
        (false, false) => 2,
    };
    if !spreadsheet {
        lf = lf.with_row_index("__row", None);
    }
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
    Ok((lf.select(exprs), label))
}

/// Reads, checks and types every survey file.
pub fn load(root: &Path, config: &ImpactConfig) -> Result<SurveyData, Diagnostics> {
    let s = &config.survey;
    // Every file's problems (missing files and columns) at once.
    let mut frames = Vec::new();
    let mut labels = Vec::new();
    let mut problems = Diagnostics::default();
    for (i, f) in s.files.iter().enumerate() {
        match scan(root, config, i, f) {
            Ok((frame, label)) => {
                frames.push(frame);
                labels.push(label);
            }
            Err(ds) => problems.extend(ds.0),
        }
    }
    if problems.has_errors() {
        return Err(problems);
    }
    let modified = s
        .files
        .iter()
        .filter_map(|f| {
            std::fs::metadata(root.join("data").join(f))
                .ok()?
                .modified()
                .ok()
        })
        .max();
    let all = concat(frames, UnionArgs::default()).map_err(|e| polars_error("data/", e))?;
    let (typed, mut checks) = typed_and_checks(config);
    let flag_exprs: Vec<Expr> = checks
        .iter()
        .enumerate()
        .map(|(i, check)| check.flag.clone().alias(format!("__bad{i}")))
        .collect();
    let mut df = all
        .with_columns(shared_columns(config))
        .with_columns(flag_exprs)
        .collect()
        .map_err(|e| reading_error(root, config, e))?;
    // Repeated respondents are a check across rows, flagged here in one hash pass; its
    // `flag` expression is `false` and its column is replaced.
    if let Some(i) = checks.iter().position(|c| c.reason == Reason::Duplicate) {
        let repeated = repeated_rows(config, &df, &missing_name(&config.survey.id))
            .map_err(|e| polars_error("data/", e))?;
        df.with_column(Column::new(format!("__bad{i}").into(), repeated))
            .map_err(|e| polars_error("data/", e))?;
    }
    // Switching group (and start wave) are checks across rows, computed here rather than as
    // expressions: their flag columns are added directly and their `flag` expressions are never
    // evaluated.
    let mut across = vec![(
        group_changed(config, &df),
        Reason::GroupChanged,
        config.survey.group.clone(),
    )];
    if let Some(start) = &config.survey.start {
        across.push((
            start_changed(config, &df),
            Reason::StartChanged,
            start.clone(),
        ));
    }
    for (flags, reason, column) in across {
        let flags = flags.map_err(|e| polars_error("data/", e))?;
        df.with_column(Column::new(format!("__bad{}", checks.len()).into(), flags))
            .map_err(|e| polars_error("data/", e))?;
        checks.push(Check {
            flag: lit(false),
            reason,
            column,
            outcome: None,
        });
    }
    let rows_read = df.height() as u64;
    let report = reject_report(&labels, &df, &checks, config)?;
    if let Some(d) = grouped_thousands(&report.rejects) {
        return Err(d.into());
    }
    let rows_rejected = report.rows.sum().unwrap_or(0) as u64;
    let keep = !&report.rows;
    let rows_used = rows_read - rows_rejected;
    let mut outcomes = Vec::with_capacity(config.outcomes.len());
    for (o, bad) in config.outcomes.iter().zip(&report.values) {
        let missed = df
            .column(&missing_name(&o.column))
            .and_then(|c| c.bool().cloned())
            .map_err(|e| polars_error("data/", e))?;
        let missing = (&missed & &keep).sum().unwrap_or(0) as u64;
        let rejected = (bad & &keep).sum().unwrap_or(0) as u64;
        outcomes.push(OutcomeCounts {
            used: rows_used - missing - rejected,
            missing,
            rejected,
        });
    }
    check_reject_share(config, rows_read, rows_rejected, &outcomes, &report.rejects)?;
    let (data, levels) = usable_rows(config, &df, &keep, typed)?;
    let (respondents, respondents_repeated, participants) = respondents(&data)?;
    Ok(SurveyData {
        levels,
        respondents,
        respondents_repeated,
        participants,
        modified,
        rows_used: data.height() as u64,
        data,
        rows_read,
        rows_rejected,
        outcomes,
        rejects: report.rejects,
    })
}

/// The rows that passed every check, typed, with waves as indices and the key columns coded
/// as integers; and the names of each breakdown's levels.
fn usable_rows(
    config: &ImpactConfig,
    df: &DataFrame,
    keep: &BooleanChunked,
    typed: Vec<Expr>,
) -> Result<(DataFrame, Vec<Vec<String>>), Diagnostic> {
    let s = &config.survey;
    let wave_index = Series::new("__wave_text".into(), s.waves.clone());
    let index = Series::new("wave".into(), (0..s.waves.len() as u32).collect::<Vec<_>>());
    let wave_map = DataFrame::new_infer_height(vec![wave_index.into(), index.into()])
        .map_err(|e| polars_error("data/", e))?;
    let mut lf = df
        .filter(keep)
        .map_err(|e| polars_error("data/", e))?
        .lazy()
        .select(typed)
        .join(
            wave_map.clone().lazy(),
            [col("__wave_text")],
            [col("__wave_text")],
            JoinArgs::new(JoinType::Left),
        );
    let mut temporary = vec!["__wave_text", "__group_text", "__row", "__file"];
    if s.start.is_some() {
        // The start wave as a wave index (null for the comparison group).
        let start_map = wave_map.lazy().select([
            col("__wave_text").alias("__start_text"),
            col("wave").alias("start"),
        ]);
        lf = lf.join(
            start_map,
            [col("__start_text")],
            [col("__start_text")],
            JoinArgs::new(JoinType::Left),
        );
        temporary.push("__start_text");
    }
    let data = lf
        .drop(Selector::ByName {
            names: temporary.into_iter().map(PlSmallStr::from).collect(),
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

/// Distinct respondents, those with rows in two or more waves, and those with a row among the
/// participants (ids are dense codes).
fn respondents(data: &DataFrame) -> Result<(u64, u64, u64), Diagnostic> {
    let column = |name| data.column(name).map_err(|e| polars_error("data/", e));
    let ids = column("id")?
        .u32()
        .cloned()
        .map_err(|e| polars_error("data/", e))?;
    let treated = column("treated")?
        .bool()
        .cloned()
        .map_err(|e| polars_error("data/", e))?;
    let size = ids.max().map_or(0, |m| m as usize + 1);
    let mut rows = vec![0u8; size];
    let mut participant = vec![false; size];
    for (id, t) in ids.into_no_null_iter().zip(treated.iter()) {
        rows[id as usize] = rows[id as usize].saturating_add(1);
        participant[id as usize] |= t == Some(true);
    }
    let distinct = rows.iter().filter(|n| **n > 0).count() as u64;
    let repeated = rows.iter().filter(|n| **n > 1).count() as u64;
    let participants = participant.iter().filter(|p| **p).count() as u64;
    Ok((distinct, repeated, participants))
}

impl SurveyData {
    /// How the survey follows people: the same people every wave, new people every wave, or
    /// some of each.
    pub fn shape(&self) -> DataShape {
        if self.respondents_repeated == 0 {
            DataShape::RepeatedCrossSections
        } else if self.respondents_repeated * 5 >= self.respondents * 4 {
            DataShape::Panel
        } else {
            DataShape::PartialPanel
        }
    }
}

/// How a survey follows people across waves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DataShape {
    /// At least 80% of respondents answered in two or more waves.
    Panel,
    /// Some respondents (under 80%) answered in two or more waves.
    PartialPanel,
    /// Every respondent answered in one wave only.
    RepeatedCrossSections,
}

impl DataShape {
    /// Stable name (`panel`, `partial_panel`, `cross_sections`), used to look up the method
    /// page's description in the theme's i18n file.
    pub fn key(self) -> &'static str {
        match self {
            DataShape::Panel => "panel",
            DataShape::PartialPanel => "partial_panel",
            DataShape::RepeatedCrossSections => "cross_sections",
        }
    }
}

/// A text column as u32 codes (in order of first appearance), and the texts.
fn code(df: &DataFrame, name: &str) -> PolarsResult<(Column, Vec<String>)> {
    let texts = df.column(name)?.str()?.clone();
    let mut index: PlHashMap<&str, u32> = PlHashMap::with_capacity(1024);
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
