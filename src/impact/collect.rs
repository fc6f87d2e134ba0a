//! The survey's rows gathered batch by batch as polars' streaming engine reads and checks them:
//! texts are coded as integers at once and every failed check becomes a located reject, so the
//! files' text is never held whole in memory (a survey of 10,000,000 rows keeps about 90 bytes
//! per row). The checks across rows (repeated respondents, respondents who switch group or start
//! wave) run on the codes once every row is in; then the usable rows become the typed frame the
//! estimates read.

use std::hash::BuildHasher;

use hashbrown::HashTable;
use hashbrown::hash_table::Entry;
use polars::prelude::*;

use super::checks::{Check, missing_name};
use super::config::{DuplicateRule, ImpactConfig};
use super::load::OutcomeCounts;
use super::rejects::{Reason, Reject};

/// A code for a missing (null) text.
const NULL: u32 = u32::MAX;

/// Texts coded as dense integers in order of first appearance, each text stored once in one
/// buffer (a few bytes per distinct text besides the text itself).
#[derive(Default)]
pub(super) struct Codes {
    text: String,
    ends: Vec<usize>,
    table: HashTable<u32>,
    state: foldhash::fast::RandomState,
}

impl Codes {
    /// The code of `t`, adding it when new.
    pub fn code(&mut self, t: &str) -> u32 {
        let hash = self.state.hash_one(t);
        let Self {
            text,
            ends,
            table,
            state,
        } = self;
        let at = |i: u32| slice(text, ends, i);
        match table.entry(hash, |&i| at(i) == t, |&i| state.hash_one(at(i))) {
            Entry::Occupied(e) => *e.get(),
            Entry::Vacant(v) => {
                let code = ends.len() as u32;
                v.insert(code);
                text.push_str(t);
                ends.push(text.len());
                code
            }
        }
    }

    /// The text of `code`; empty for [`NULL`].
    pub fn text(&self, code: u32) -> &str {
        if code == NULL {
            return "";
        }
        slice(&self.text, &self.ends, code)
    }

    /// Number of distinct texts.
    pub fn len(&self) -> usize {
        self.ends.len()
    }
}

/// Text `i` of a buffer whose texts end at `ends`.
fn slice<'a>(text: &'a str, ends: &[usize], i: u32) -> &'a str {
    let i = i as usize;
    let start = if i == 0 { 0 } else { ends[i - 1] };
    &text[start..ends[i]]
}

/// One text column of the batches, coded row by row.
#[derive(Default)]
struct TextColumn {
    /// The column's name in the batches.
    source: String,
    codes: Codes,
    /// Per row, the text's code ([`NULL`] for null).
    rows: Vec<u32>,
}

impl TextColumn {
    fn new(source: String) -> Self {
        TextColumn {
            source,
            ..Default::default()
        }
    }

    fn extend(&mut self, batch: &DataFrame) -> PolarsResult<()> {
        let texts = batch.column(&self.source)?.str()?;
        self.rows.reserve(texts.len());
        for t in texts.iter() {
            let code = t.map_or(NULL, |t| self.codes.code(t));
            self.rows.push(code);
        }
        Ok(())
    }

    /// The rows of `keep` recoded in order of first appearance among them, and the texts.
    fn recode(self, keep: &[bool], name: &str) -> (Column, Vec<String>) {
        let mut new = vec![NULL; self.codes.len() + 1];
        let mut names = Vec::new();
        let codes: Vec<u32> = self
            .rows
            .iter()
            .zip(keep)
            .filter(|(_, k)| **k)
            .map(|(c, _)| {
                let slot = if *c == NULL {
                    self.codes.len()
                } else {
                    *c as usize
                };
                if new[slot] == NULL {
                    new[slot] = names.len() as u32;
                    names.push(self.codes.text(*c).to_string());
                }
                new[slot]
            })
            .collect();
        (Column::new(name.into(), codes), names)
    }
}

/// A check evaluated as a column of every batch.
struct RowCheck {
    /// The flag column's name in the batches.
    flag: String,
    /// The column whose text the reject shows, in the batches.
    value: String,
    column: String,
    reason: Reason,
    outcome: Option<usize>,
}

/// Consecutive rows of one file: rows `pos..pos + len` of all the rows read are that file's
/// rows `row..row + len`.
struct Run {
    pos: u64,
    file: u32,
    row: u64,
    len: u64,
}

/// What an outcome's answer is in a row.
const USED: u8 = 0;
const MISSING: u8 = 1;
const REJECTED: u8 = 2;

/// The rows read so far, coded; fed one batch at a time with [`Collector::add`].
pub(super) struct Collector {
    files: Vec<String>,
    checks: Vec<RowCheck>,
    runs: Vec<Run>,
    rows: u64,
    id: TextColumn,
    wave: TextColumn,
    group: TextColumn,
    start: Option<TextColumn>,
    cluster: Option<TextColumn>,
    breakdowns: Vec<TextColumn>,
    id_missing: Vec<bool>,
    /// Rows failing a check that rejects the whole row (those across rows come later).
    whole_bad: Vec<bool>,
    weight: Option<Vec<f64>>,
    /// Per outcome, the usable value or NaN.
    outcomes: Vec<Vec<f64>>,
    /// Per outcome, [`USED`], [`MISSING`] or [`REJECTED`].
    status: Vec<Vec<u8>>,
    rejects: Vec<Reject>,
}

/// The name in the batches of survey column `c` as read (trimmed text).
fn raw_name(c: &str) -> String {
    format!("__raw__{c}")
}

/// What the batches carry, given the checks: the expressions to select (on a frame holding the
/// survey's columns, `__row`, `__file` and the columns of `checks::shared_columns`) and the
/// collector that reads them.
pub(super) fn plan(
    config: &ImpactConfig,
    files: Vec<String>,
    checks: Vec<Check>,
    typed: Vec<Expr>,
) -> (Vec<Expr>, Collector) {
    let s = &config.survey;
    let mut select = vec![col("__row"), col("__file")];
    // Survey columns whose text the collector reads: the keys, and every checked column (the
    // value a reject shows).
    let mut raw: std::collections::BTreeSet<String> = [&s.id, &s.wave, &s.group]
        .into_iter()
        .chain(s.start.as_ref())
        .chain(s.cluster.as_ref())
        .cloned()
        .collect();
    let mut row_checks = Vec::new();
    for (i, check) in checks.into_iter().enumerate() {
        // Repeated respondents are a check across rows, run on the codes.
        if check.reason == Reason::Duplicate {
            continue;
        }
        let flag = format!("__bad{i}");
        select.push(check.flag.alias(flag.as_str()));
        raw.insert(check.column.clone());
        row_checks.push(RowCheck {
            flag,
            value: raw_name(&check.column),
            column: check.column,
            reason: check.reason,
            outcome: check.outcome,
        });
    }
    select.extend(raw.iter().map(|c| col(c.as_str()).alias(raw_name(c))));
    select.push(col(missing_name(&s.id)).alias("__missing_id"));
    for (i, o) in config.outcomes.iter().enumerate() {
        select.push(col(missing_name(&o.column)).alias(format!("__missing_o{i}")));
    }
    select.extend(typed);
    let n = config.outcomes.len();
    let collector = Collector {
        files,
        checks: row_checks,
        runs: Vec::new(),
        rows: 0,
        id: TextColumn::new(raw_name(&s.id)),
        wave: TextColumn::new(raw_name(&s.wave)),
        group: TextColumn::new(raw_name(&s.group)),
        start: s.start.as_deref().map(|c| TextColumn::new(raw_name(c))),
        cluster: s.cluster.as_deref().map(|c| TextColumn::new(raw_name(c))),
        breakdowns: (0..config.breakdowns.len())
            .map(|i| TextColumn::new(format!("b{i}")))
            .collect(),
        id_missing: Vec::new(),
        whole_bad: Vec::new(),
        weight: s.weight.as_ref().map(|_| Vec::new()),
        outcomes: vec![Vec::new(); n],
        status: vec![Vec::new(); n],
        rejects: Vec::new(),
    };
    (select, collector)
}

fn bools(batch: &DataFrame, name: &str) -> PolarsResult<Vec<bool>> {
    Ok(batch
        .column(name)?
        .bool()?
        .iter()
        .map(|b| b == Some(true))
        .collect())
}

impl Collector {
    /// Every text column the batches are coded into.
    fn texts(&mut self) -> Vec<&mut TextColumn> {
        let mut texts: Vec<&mut TextColumn> = vec![&mut self.id, &mut self.wave, &mut self.group];
        texts.extend(self.start.as_mut());
        texts.extend(self.cluster.as_mut());
        texts.extend(self.breakdowns.iter_mut());
        texts
    }

    /// Makes room for `rows` rows at once (an upper bound of the rows to come, such as the
    /// files' line count), so the columns do not grow by doubling past what they hold.
    pub fn reserve(&mut self, rows: usize) {
        for t in self.texts() {
            t.rows.reserve_exact(rows);
        }
        self.id_missing.reserve_exact(rows);
        self.whole_bad.reserve_exact(rows);
        if let Some(w) = &mut self.weight {
            w.reserve_exact(rows);
        }
        for (values, status) in self.outcomes.iter_mut().zip(&mut self.status) {
            values.reserve_exact(rows);
            status.reserve_exact(rows);
        }
    }

    /// Takes in one batch (rows in file order, batches in order).
    pub fn add(&mut self, batch: &DataFrame) -> PolarsResult<()> {
        let height = batch.height();
        let rows = batch.column("__row")?.u64()?.clone();
        let files = batch.column("__file")?.u32()?.clone();
        for (row, file) in rows.iter().zip(files.iter()) {
            let (row, file) = (row.unwrap_or(0), file.unwrap_or(0));
            match self.runs.last_mut() {
                Some(run) if run.file == file && run.row + run.len == row => run.len += 1,
                _ => self.runs.push(Run {
                    pos: self.rows,
                    file,
                    row,
                    len: 1,
                }),
            }
            self.rows += 1;
        }
        // Text columns are coded independently: in parallel.
        {
            use rayon::prelude::*;
            self.texts()
                .into_par_iter()
                .map(|t| t.extend(batch))
                .collect::<PolarsResult<Vec<()>>>()?;
        }
        self.id_missing.extend(bools(batch, "__missing_id")?);
        if let Some(w) = &mut self.weight {
            w.extend(
                batch
                    .column("w")?
                    .f64()?
                    .iter()
                    .map(|v| v.unwrap_or(f64::NAN)),
            );
        }
        let first = self.whole_bad.len();
        self.whole_bad.resize(first + height, false);
        for (i, (values, status)) in self.outcomes.iter_mut().zip(&mut self.status).enumerate() {
            let column = batch.column(&format!("o{i}"))?.f64()?;
            values.extend(column.iter().map(|v| v.unwrap_or(f64::NAN)));
            status.extend(
                bools(batch, &format!("__missing_o{i}"))?
                    .into_iter()
                    .map(|m| if m { MISSING } else { USED }),
            );
        }
        for check in &self.checks {
            let flags = batch.column(&check.flag)?.bool()?;
            if !flags.any() {
                continue;
            }
            let values = batch.column(&check.value)?.str()?;
            for (idx, flagged) in flags.iter().enumerate() {
                if flagged != Some(true) {
                    continue;
                }
                match check.outcome {
                    Some(o) => self.status[o][first + idx] = REJECTED,
                    None => self.whole_bad[first + idx] = true,
                }
                self.rejects.push(Reject {
                    file: self.files[files.get(idx).unwrap_or(0) as usize].clone(),
                    row: rows.get(idx).unwrap_or(0),
                    column: check.column.clone(),
                    value: values.get(idx).unwrap_or("").to_string(),
                    reason: check.reason,
                });
            }
        }
        Ok(())
    }

    /// The file (index into the files shown) and row of row `pos` of all the rows read.
    fn located(&self, pos: u64) -> (u32, u64) {
        let run = self.runs.partition_point(|r| r.pos <= pos) - 1;
        let r = &self.runs[run];
        (r.file, r.row + (pos - r.pos))
    }

    fn reject(&mut self, pos: usize, column: &str, value: String, reason: Reason) {
        let (file, row) = self.located(pos as u64);
        self.rejects.push(Reject {
            file: self.files[file as usize].clone(),
            row,
            column: column.to_string(),
            value,
            reason,
        });
    }

    /// Runs the checks across rows and returns the usable rows and the account of the rest.
    pub fn finish(mut self, config: &ImpactConfig) -> PolarsResult<Collected> {
        let s = &config.survey;
        let n = self.id.rows.len();
        // Repeated respondents in a wave (id and wave as written; rows with a missing id are
        // rejected for that instead).
        let repeated = self.repeated(config);
        // Respondents who are participants in one row and comparison in another (rows without
        // an id are not flagged; only group values the group check accepts count).
        let treated_lower = s.treated.trim().to_lowercase();
        let bits: Vec<u8> = (0..self.group.codes.len() as u32)
            .map(|c| {
                let g = self.group.codes.text(c);
                if g == s.treated {
                    1
                } else if s.comparison.iter().any(|c| c == g)
                    || (s.comparison.is_empty()
                        && !g.is_empty()
                        && g.to_lowercase() != treated_lower)
                {
                    2
                } else {
                    0
                }
            })
            .collect();
        let ids = self.id.codes.len();
        let mut seen = vec![0u8; ids];
        for (id, g) in self.id.rows.iter().zip(&self.group.rows) {
            if *id != NULL && *g != NULL {
                seen[*id as usize] |= bits[*g as usize];
            }
        }
        let switched: Vec<bool> = self
            .id
            .rows
            .iter()
            .map(|id| *id != NULL && seen[*id as usize] == 3)
            .collect();
        drop(seen);
        // Respondents whose start wave differs between rows (as written; rows without an id or
        // a start are not compared).
        let restarted: Option<Vec<bool>> = self.start.as_ref().map(|start| {
            let comparable: Vec<bool> = (0..start.codes.len() as u32)
                .map(|c| {
                    let t = start.codes.text(c);
                    !t.is_empty() && !s.missing.iter().any(|m| m.eq_ignore_ascii_case(t))
                })
                .collect();
            let mut first = vec![NULL; ids];
            let mut changed = vec![false; ids];
            for (id, st) in self.id.rows.iter().zip(&start.rows) {
                if *id == NULL || *st == NULL || !comparable[*st as usize] {
                    continue;
                }
                let f = &mut first[*id as usize];
                if *f == NULL {
                    *f = *st;
                } else if *f != *st {
                    changed[*id as usize] = true;
                }
            }
            self.id
                .rows
                .iter()
                .map(|id| *id != NULL && changed[*id as usize])
                .collect()
        });
        let duplicate_column = format!("{}+{}", s.id, s.wave);
        for pos in 0..n {
            if repeated[pos] {
                let value = self.id.codes.text(self.id.rows[pos]).to_string();
                self.reject(pos, &duplicate_column, value, Reason::Duplicate);
            }
            if switched[pos] {
                let value = self.group.codes.text(self.group.rows[pos]).to_string();
                self.reject(pos, &s.group, value, Reason::GroupChanged);
            }
            if let (Some(r), Some(start), Some(c)) = (&restarted, &self.start, &s.start)
                && r[pos]
            {
                let value = start.codes.text(start.rows[pos]).to_string();
                self.reject(pos, c, value, Reason::StartChanged);
            }
        }
        self.rejects
            .sort_by(|a, b| (&a.file, a.row, a.reason).cmp(&(&b.file, b.row, b.reason)));
        let keep: Vec<bool> = (0..n)
            .map(|i| {
                !(self.whole_bad[i]
                    || repeated[i]
                    || switched[i]
                    || restarted.as_ref().is_some_and(|r| r[i]))
            })
            .collect();
        drop((repeated, switched, restarted));
        let rows_read = n as u64;
        let rows_used = keep.iter().filter(|k| **k).count() as u64;
        let outcomes: Vec<OutcomeCounts> = self
            .status
            .iter()
            .map(|status| {
                let (mut missing, mut rejected) = (0, 0);
                for (st, k) in status.iter().zip(&keep) {
                    if *k {
                        missing += u64::from(*st == MISSING);
                        rejected += u64::from(*st == REJECTED);
                    }
                }
                OutcomeCounts {
                    used: rows_used - missing - rejected,
                    missing,
                    rejected,
                }
            })
            .collect();
        drop(std::mem::take(&mut self.status));
        drop(std::mem::take(&mut self.whole_bad));
        drop(std::mem::take(&mut self.id_missing));
        // The typed frame, column by column (each source dropped once its column is made):
        // id, treated, w, cluster, b0.., o0.., wave, start.
        let kept = |values: Vec<f64>| -> Vec<f64> {
            values
                .into_iter()
                .zip(&keep)
                .filter(|(_, k)| **k)
                .map(|(v, _)| v)
                .collect()
        };
        let wave_of = |codes: &Codes, code: u32| -> Option<u32> {
            let t = codes.text(code);
            (code != NULL)
                .then(|| s.waves.iter().position(|w| w == t).map(|i| i as u32))
                .flatten()
        };
        let treated_codes: Vec<bool> = (0..self.group.codes.len() as u32)
            .map(|c| self.group.codes.text(c) == s.treated)
            .collect();
        let treated: Vec<bool> = self
            .group
            .rows
            .iter()
            .zip(&keep)
            .filter(|(_, k)| **k)
            .map(|(g, _)| *g != NULL && treated_codes[*g as usize])
            .collect();
        let wave_index: Vec<Option<u32>> = (0..self.wave.codes.len() as u32)
            .map(|c| wave_of(&self.wave.codes, c))
            .collect();
        let waves: Vec<Option<u32>> = self
            .wave
            .rows
            .iter()
            .zip(&keep)
            .filter(|(_, k)| **k)
            .map(|(w, _)| {
                if *w == NULL {
                    None
                } else {
                    wave_index[*w as usize]
                }
            })
            .collect();
        let starts: Option<Vec<Option<u32>>> = self.start.take().map(|start| {
            let index: Vec<Option<u32>> = (0..start.codes.len() as u32)
                .map(|c| wave_of(&start.codes, c))
                .collect();
            start
                .rows
                .iter()
                .zip(&keep)
                .filter(|(_, k)| **k)
                .zip(&treated)
                // A comparison respondent has no start wave.
                .map(|((st, _), t)| {
                    if *t && *st != NULL {
                        index[*st as usize]
                    } else {
                        None
                    }
                })
                .collect()
        });
        let mut columns = Vec::new();
        columns.push(self.id.recode(&keep, "id").0);
        columns.push(Column::new("treated".into(), treated));
        let weight = match self.weight.take() {
            Some(w) => kept(w),
            None => vec![1.0; rows_used as usize],
        };
        columns.push(Column::new("w".into(), weight));
        if let Some(cluster) = self.cluster.take() {
            columns.push(cluster.recode(&keep, "cluster").0);
        }
        let mut levels = Vec::new();
        for (i, b) in std::mem::take(&mut self.breakdowns).into_iter().enumerate() {
            let (column, names) = b.recode(&keep, &format!("b{i}"));
            columns.push(column);
            levels.push(names);
        }
        for (i, values) in std::mem::take(&mut self.outcomes).into_iter().enumerate() {
            let column: Float64Chunked = values
                .iter()
                .zip(&keep)
                .filter(|(_, k)| **k)
                .map(|(v, _)| (!v.is_nan()).then_some(*v))
                .collect();
            drop(values);
            columns.push(column.with_name(format!("o{i}").into()).into_column());
        }
        columns.push(Column::new("wave".into(), waves));
        if let Some(starts) = starts {
            columns.push(Column::new("start".into(), starts));
        }
        let data = DataFrame::new_infer_height(columns)?;
        Ok(Collected {
            data,
            levels,
            rows_read,
            rows_used,
            outcomes,
            rejects: self.rejects,
        })
    }

    /// Rows that repeat a respondent in a wave (id and wave as written): every such row under
    /// `keep-none`, the second and later under `keep-first`. Rows whose id is missing (null or a
    /// missing-value text) are not flagged: they are rejected for that.
    fn repeated(&self, config: &ImpactConfig) -> Vec<bool> {
        // The pair (id, wave) of each row as one number, the wave with one more code for a
        // null wave; none for rows without an id.
        let waves = self.wave.codes.len() as u64 + 1;
        let keys = || {
            self.id
                .rows
                .iter()
                .zip(&self.wave.rows)
                .zip(&self.id_missing)
                .map(move |((id, w), missing)| {
                    let w = if *w == NULL { waves - 1 } else { u64::from(*w) };
                    (!*missing && *id != NULL).then(|| u64::from(*id) * waves + w)
                })
        };
        let keep_none = config.survey.duplicates == DuplicateRule::KeepNone;
        let pairs = self.id.codes.len() as u64 * waves;
        if pairs <= 4 * self.id.rows.len() as u64 + 1024 {
            // Counts in a table of ids by waves (up to 2: more need not be told apart).
            let mut count = vec![0u8; pairs as usize];
            let mut flags: Vec<bool> = keys()
                .map(|k| {
                    k.is_some_and(|k| {
                        let c = &mut count[k as usize];
                        *c = c.saturating_add(1);
                        *c > 1
                    })
                })
                .collect();
            if keep_none {
                for (flag, k) in flags.iter_mut().zip(keys()) {
                    *flag = k.is_some_and(|k| count[k as usize] > 1);
                }
            }
            flags
        } else {
            // Many distinct wave texts: a hash map of the pairs seen.
            let mut count: PlHashMap<u64, u32> = PlHashMap::new();
            let mut flags: Vec<bool> = keys()
                .map(|k| {
                    k.is_some_and(|k| {
                        let c = count.entry(k).or_insert(0);
                        *c += 1;
                        *c > 1
                    })
                })
                .collect();
            if keep_none {
                for (flag, k) in flags.iter_mut().zip(keys()) {
                    *flag = k.is_some_and(|k| count[&k] > 1);
                }
            }
            flags
        }
    }
}

/// The usable rows, typed, and the account of every row read.
pub(super) struct Collected {
    /// See [`super::load::SurveyData::data`].
    pub data: DataFrame,
    /// Level names of each breakdown, indexed by code.
    pub levels: Vec<Vec<String>>,
    pub rows_read: u64,
    pub rows_used: u64,
    pub outcomes: Vec<OutcomeCounts>,
    /// Every failed check, sorted by file, row and reason.
    pub rejects: Vec<Reject>,
}
