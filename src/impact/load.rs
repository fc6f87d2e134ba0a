//! Reading the survey files (CSV and Parquet) with polars and checking every row: rows that
//! cannot be used are kept in a rejects report with file, row, column, value and reason, never
//! dropped silently.

use std::collections::BTreeMap;
use std::path::Path;

use polars::prelude::*;

use super::checks::{shared_columns, typed_and_checks};
use super::config::ImpactConfig;
use super::file_checks::{grouped_thousands, reading_error};
use super::rejects::check_reject_share;
pub use super::rejects::{Reason, Reject};
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
    // polars refuses paths with `..` (a site given as `--root ../site`): the file's own path.
    let path_str = path
        .canonicalize()
        .unwrap_or_else(|_| path.clone())
        .to_string_lossy()
        .to_string();
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
    let (typed, checks) = typed_and_checks(config);
    let (select, mut collector) = super::collect::plan(config, labels, checks, typed);
    if let Some(lines) = line_count(root, config) {
        collector.reserve(lines);
    }
    // Read, checked and coded batch by batch by the streaming engine: the files' text is never
    // held whole.
    let collector = std::sync::Arc::new(std::sync::Mutex::new(Some(collector)));
    let sink = collector.clone();
    all.with_columns(shared_columns(config))
        .select(select)
        .sink_batches(
            PlanCallback::new(move |batch: DataFrame| {
                let mut guard = sink.lock().unwrap_or_else(|e| e.into_inner());
                if let Some(c) = guard.as_mut() {
                    c.add(&batch)?;
                }
                // Never stop early.
                Ok(false)
            }),
            true,
            None,
        )
        .and_then(|lf| lf.collect_with_engine(Engine::Streaming))
        .map_err(|e| reading_error(root, config, e))?;
    let collector = collector
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .take()
        .expect("the collector is taken once");
    let c = collector
        .finish(config)
        .map_err(|e| polars_error("data/", e))?;
    if let Some(d) = grouped_thousands(&c.rejects) {
        return Err(d.into());
    }
    let rows_rejected = c.rows_read - c.rows_used;
    check_reject_share(config, c.rows_read, rows_rejected, &c.outcomes, &c.rejects)?;
    let (respondents, respondents_repeated, participants) = respondents(&c.data)?;
    Ok(SurveyData {
        levels: c.levels,
        respondents,
        respondents_repeated,
        participants,
        modified,
        rows_used: c.rows_used,
        data: c.data,
        rows_read: c.rows_read,
        rows_rejected,
        outcomes: c.outcomes,
        rejects: c.rejects,
    })
}

/// The number of lines of every survey file when all are CSV (at least their number of rows:
/// the header and quoted line breaks count too), read in blocks of 1 MiB; `None` for other
/// files or when a file cannot be read (the reading reports that).
fn line_count(root: &Path, config: &ImpactConfig) -> Option<usize> {
    use std::io::Read;
    let mut lines = 0;
    let mut buffer = vec![0u8; 1 << 20];
    for name in &config.survey.files {
        let lower = name.to_ascii_lowercase();
        if lower.ends_with(".parquet") || super::sheet::is_spreadsheet(name) {
            return None;
        }
        let mut file = std::fs::File::open(root.join("data").join(name)).ok()?;
        loop {
            let n = file.read(&mut buffer).ok()?;
            if n == 0 {
                break;
            }
            lines += buffer[..n].iter().filter(|b| **b == b'\n').count();
        }
        // A last line without a line break.
        lines += 1;
    }
    Some(lines)
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
