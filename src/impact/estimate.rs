//! The polars side of the estimates: cell summaries and cluster sums per outcome, per pair of
//! waves and per breakdown level, computed lazily over the typed survey.

use std::collections::BTreeMap;

use polars::prelude::*;

use super::stats::{Cell, TwoByTwo};

/// Cells and cluster sums of one 2x2 comparison for one level of a breakdown ("" for all).
#[derive(Debug, Clone, Default)]
pub struct Design {
    /// The four cells: comparison and participants in wave `before` and in wave `after`.
    pub cells: TwoByTwo,
    /// Σ u_g² and the number of respondents (clusters) when clustered by respondent.
    pub by_respondent: Option<(f64, usize)>,
    /// Σ u_g² and the number of clusters of the declared cluster column.
    pub by_cluster: Option<(f64, usize)>,
    /// Respondents seen both before and after (always counted).
    pub panel_respondents: usize,
    /// Distinct respondents in the rows compared.
    pub people: usize,
}

/// A numeric column's values as a slice: borrowed when the column is of type `T` in one chunk
/// without nulls (the typed survey and the rows made from it), else copied, cast to `T`, nulls
/// as `null`.
pub(super) fn column_values<'a, T: PolarsNumericType>(
    df: &'a DataFrame,
    name: &str,
    null: T::Native,
) -> PolarsResult<std::borrow::Cow<'a, [T::Native]>> {
    let column = df.column(name)?;
    if column.dtype() == &T::get_static_dtype()
        && let Ok(slice) = column.as_materialized_series().unpack::<T>()?.cont_slice()
    {
        return Ok(std::borrow::Cow::Borrowed(slice));
    }
    let cast = column.cast(&T::get_static_dtype())?;
    let ca = cast.as_materialized_series().unpack::<T>()?;
    Ok(std::borrow::Cow::Owned(
        ca.iter().map(|v| v.unwrap_or(null)).collect(),
    ))
}

/// [`column_values`] of a code column (`u32`, nulls as 0).
fn codes<'a>(df: &'a DataFrame, name: &str) -> PolarsResult<std::borrow::Cow<'a, [u32]>> {
    column_values::<UInt32Type>(df, name, 0)
}

/// A column as owned `f64`s (nulls as NaN).
pub(super) fn f64s(df: &DataFrame, name: &str) -> PolarsResult<Vec<f64>> {
    Ok(column_values::<Float64Type>(df, name, f64::NAN)?.into_owned())
}

pub(super) fn bools(df: &DataFrame, name: &str) -> PolarsResult<Vec<bool>> {
    Ok(df
        .column(name)?
        .bool()?
        .iter()
        .map(|v| v.unwrap_or(false))
        .collect())
}

/// A column as owned `u32`s (nulls as 0).
pub(super) fn u32s(df: &DataFrame, name: &str) -> PolarsResult<Vec<u32>> {
    Ok(codes(df, name)?.into_owned())
}

/// A breakdown column and the names of its codes.
pub type By<'a> = Option<(&'a str, &'a [String])>;

fn level_names(frame: &DataFrame, by: By) -> PolarsResult<Vec<String>> {
    match by {
        Some((b, names)) => Ok(u32s(frame, b)?
            .into_iter()
            .map(|c| names.get(c as usize).cloned().unwrap_or_default())
            .collect()),
        None => Ok(vec![String::new(); frame.height()]),
    }
}

/// Rows answering `outcome` in `waves`, with the answer as `y`.
pub fn answered(df: &DataFrame, outcome: &str, waves: &[u32]) -> LazyFrame {
    let waves = Series::new("waves".into(), waves.to_vec());
    // Only this outcome travels with the keys: the other outcomes' columns are not copied.
    let keep: Vec<Expr> = df
        .get_column_names()
        .into_iter()
        .filter(|n| !n.starts_with('o'))
        .map(|n| col(n.as_str()))
        .chain([col(outcome).alias("y")])
        .collect();
    df.clone().lazy().select(keep).filter(
        col("y")
            .is_not_null()
            .and(col("wave").is_in(lit(waves).implode(false), false)),
    )
}

/// The rows one comparison reads, without copying the survey's columns: which rows of the
/// typed survey answer the outcome in the waves compared, their answers, and, when waves are
/// pooled, each row's period. 12 bytes a row (16 pooled) instead of a copy of every column.
pub struct Compared<'a> {
    df: &'a DataFrame,
    /// The survey's wave codes (borrowed).
    wave: std::borrow::Cow<'a, [u32]>,
    rows: Vec<u32>,
    y: Vec<f64>,
    /// The period (`before` or `after`) of each row when waves are pooled.
    period: Option<Vec<u32>>,
}

impl<'a> Compared<'a> {
    /// Rows of `df` (the typed survey) answering `outcome` in `waves`.
    pub fn new(df: &'a DataFrame, outcome: &str, waves: &[u32]) -> PolarsResult<Compared<'a>> {
        let wave = codes(df, "wave")?;
        let y = df.column(outcome)?.cast(&DataType::Float64)?;
        let (mut rows, mut ys) = (Vec::new(), Vec::new());
        for (i, v) in y.f64()?.iter().enumerate() {
            if let Some(v) = v
                && waves.contains(&wave[i])
            {
                rows.push(i as u32);
                ys.push(v);
            }
        }
        Ok(Compared {
            df,
            wave,
            rows,
            y: ys,
            period: None,
        })
    }

    /// Rows answering `outcome` in the `pre` or `post` waves, each in its period: `before` for
    /// every pre wave, `after` for every post wave (the pooled design compares the periods).
    pub fn periods(
        df: &'a DataFrame,
        outcome: &str,
        pre: &[u32],
        post: &[u32],
        (before, after): (u32, u32),
    ) -> PolarsResult<Compared<'a>> {
        let all: Vec<u32> = pre.iter().chain(post).copied().collect();
        let mut c = Compared::new(df, outcome, &all)?;
        c.period = Some(
            c.rows
                .iter()
                .map(|&r| {
                    if post.contains(&c.wave[r as usize]) {
                        after
                    } else {
                        before
                    }
                })
                .collect(),
        );
        Ok(c)
    }

    /// Number of rows.
    pub fn len(&self) -> usize {
        self.rows.len()
    }

    /// True when no row answers.
    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// Each row as (row of the survey, answer, wave or period).
    fn each(&self) -> impl Iterator<Item = (usize, f64, u32)> + '_ {
        (0..self.rows.len()).map(move |k| {
            let r = self.rows[k] as usize;
            let w = self.period.as_ref().map_or(self.wave[r], |p| p[k]);
            (r, self.y[k], w)
        })
    }
}

/// Weighted sums by (level, wave, treated[, cluster]) from which every cell statistic follows,
/// in one pass over `rows` of the typed survey `df` (each as its row, answer and wave): columns
/// `by`, `wave`, `treated`, `cluster`, `n` and `sw` = Σw, `swy` = Σwy, `sww` = Σw², `swwy` =
/// Σw²y, `swwyy` = Σw²y², `sy` = Σy, `syy` = Σy²; mean = Σwy/Σw and Σ(w·e)² = Σw²y² −
/// 2·mean·Σw²y + mean²·Σw². Keys are small dense codes, so the sums live in a table indexed by
/// them (a hash map when the table would be larger than the survey), not in a group-by.
fn cells_frame(
    df: &DataFrame,
    rows: impl Iterator<Item = (usize, f64, u32)>,
    by: Option<&str>,
    cluster: Option<&str>,
) -> PolarsResult<DataFrame> {
    // The columns as they are (no copies): a million rows would otherwise cost 20 MB a call.
    let w = column_values::<Float64Type>(df, "w", f64::NAN)?;
    let treated = bools(df, "treated")?;
    let level = by.map(|b| codes(df, b)).transpose()?;
    let group = cluster.map(|c| codes(df, c)).transpose()?;
    let at = |v: &Option<std::borrow::Cow<[u32]>>, i: usize| v.as_ref().map_or(0, |v| v[i]);
    let size = |v: &[u32]| v.iter().max().map_or(1, |m| *m as u64 + 1);
    let (levels, waves, groups) = (
        level.as_deref().map_or(1, size),
        size(&codes(df, "wave")?),
        group.as_deref().map_or(1, size),
    );
    let key = |i: usize, wave: u32| {
        ((u64::from(at(&level, i)) * waves + u64::from(wave)) * 2 + u64::from(treated[i])) * groups
            + u64::from(at(&group, i))
    };
    let cells = levels
        .saturating_mul(waves)
        .saturating_mul(2)
        .saturating_mul(groups);
    let dense = cells <= df.height() as u64 + 4096;
    let mut slot_of = vec![u32::MAX; if dense { cells as usize } else { 0 }];
    let mut slot_map: PlHashMap<u64, u32> = PlHashMap::new();
    // The first row of each cell and its wave (or period).
    let mut first_row: Vec<(usize, u32)> = Vec::new();
    let mut n: Vec<u32> = Vec::new();
    let mut sums: Vec<[f64; 7]> = Vec::new();
    for (i, y, wave) in rows {
        let k = key(i, wave);
        let slot = if dense {
            &mut slot_of[k as usize]
        } else {
            slot_map.entry(k).or_insert(u32::MAX)
        };
        if *slot == u32::MAX {
            *slot = n.len() as u32;
            first_row.push((i, wave));
            n.push(0);
            sums.push([0.0; 7]);
        }
        let s = *slot as usize;
        let (wi, ww) = (w[i], w[i] * w[i]);
        n[s] += 1;
        let t = &mut sums[s];
        t[0] += wi;
        t[1] += wi * y;
        t[2] += ww;
        t[3] += ww * y;
        t[4] += ww * y * y;
        t[5] += y;
        t[6] += y * y;
    }
    let mut columns = Vec::new();
    let pick = |v: &[u32]| first_row.iter().map(|(i, _)| v[*i]).collect::<Vec<u32>>();
    if let (Some(b), Some(level)) = (by, &level) {
        columns.push(Column::new(b.into(), pick(level)));
    }
    columns.push(Column::new(
        "wave".into(),
        first_row.iter().map(|(_, w)| *w).collect::<Vec<u32>>(),
    ));
    columns.push(Column::new(
        "treated".into(),
        first_row
            .iter()
            .map(|(i, _)| treated[*i])
            .collect::<Vec<bool>>(),
    ));
    if let (Some(c), Some(group)) = (cluster, &group) {
        columns.push(Column::new(c.into(), pick(group)));
    }
    columns.push(Column::new("n".into(), n));
    for (k, name) in ["sw", "swy", "sww", "swwy", "swwyy", "sy", "syy"]
        .iter()
        .enumerate()
    {
        let column: Vec<f64> = sums.iter().map(|t| t[k]).collect();
        columns.push(Column::new((*name).into(), column));
    }
    DataFrame::new_infer_height(columns)
}

/// Summaries of every group in every wave (for trends), by level of `by`.
pub fn all_cells(
    df: &DataFrame,
    outcome: &str,
    waves: usize,
    by: By,
) -> PolarsResult<BTreeMap<(String, u32, bool), Cell>> {
    // Every row answering the outcome, without copying them out first (waves are indices
    // below `waves`).
    let wave = codes(df, "wave")?;
    debug_assert!(wave.iter().all(|w| (*w as usize) < waves));
    let y = df.column(outcome)?.cast(&DataType::Float64)?;
    let rows = y
        .f64()?
        .iter()
        .enumerate()
        .filter_map(|(i, y)| Some((i, y?, wave[i])));
    let frame = cells_frame(df, rows, by.map(|b| b.0), None)?;
    read_cells(&frame, by)
}

/// Cells from a frame of sums, adding up rows of the same cell (one per cluster when the frame is
/// also grouped by cluster).
fn read_cells(frame: &DataFrame, by: By) -> PolarsResult<BTreeMap<(String, u32, bool), Cell>> {
    let levels = level_names(frame, by)?;
    let (wave, treated, n) = (
        u32s(frame, "wave")?,
        bools(frame, "treated")?,
        u32s(frame, "n")?,
    );
    let cols = ["sw", "swy", "sww", "swwy", "swwyy", "sy", "syy"]
        .iter()
        .map(|c| f64s(frame, c))
        .collect::<PolarsResult<Vec<_>>>()?;
    let mut sums: BTreeMap<(String, u32, bool), (u64, [f64; 7])> = BTreeMap::new();
    for i in 0..frame.height() {
        let e = sums
            .entry((levels[i].clone(), wave[i], treated[i]))
            .or_insert((0, [0.0; 7]));
        e.0 += n[i] as u64;
        for (k, c) in cols.iter().enumerate() {
            e.1[k] += c[i];
        }
    }
    Ok(sums
        .into_iter()
        .map(|(key, (n, [sw, swy, sww, swwy, swwyy, sy, syy]))| {
            let mean = swy / sw;
            let sum_we2 = (swwyy - 2.0 * mean * swwy + mean * mean * sww).max(0.0);
            let nf = n as f64;
            let var = if n > 1 {
                ((syy - sy * sy / nf) / (nf - 1.0)).max(0.0)
            } else {
                0.0
            };
            (
                key,
                Cell {
                    n,
                    sum_w: sw,
                    mean,
                    sd: var.sqrt(),
                    sum_we2,
                },
            )
        })
        .collect())
}

/// Where a cluster's sums come from: the rows compared themselves (clusters of respondents,
/// who answer once per wave: each row is a group; Σwy and Σw are its own w·y and w), or a
/// frame of sums by cell and cluster ([`cells_frame`]: `sw`, `swy`).
enum ClusterSource<'c, 'a> {
    Rows(&'c Compared<'a>),
    Sums(&'c DataFrame),
}

/// Σ_g u_g² and the number of clusters, by level, for clusters in column `cluster`:
/// u_g = Σ_cells s·(Σwy − mean·Σw)/Σw_cell over the cluster's rows in each cell, with s = +1
/// for participants after and comparison before, −1 otherwise. One pass, no copies of the rows.
fn cluster_sums(
    source: ClusterSource,
    after: u32,
    by: By,
    cluster: &str,
    cells: &BTreeMap<(String, u32, bool), Cell>,
) -> PolarsResult<BTreeMap<String, (f64, usize)>> {
    // The columns read: of the survey (rows compared) or of the frame of sums.
    let (frame, compared) = match source {
        ClusterSource::Rows(c) => (c.df, Some(c)),
        ClusterSource::Sums(f) => (f, None),
    };
    let (first, second) = match compared {
        Some(_) => (column_values::<Float64Type>(frame, "w", f64::NAN)?, None),
        None => (
            column_values::<Float64Type>(frame, "swy", f64::NAN)?,
            Some(column_values::<Float64Type>(frame, "sw", f64::NAN)?),
        ),
    };
    let level = by.map(|(b, _)| codes(frame, b)).transpose()?;
    let (wave, treated, g) = (
        codes(frame, "wave")?,
        bools(frame, "treated")?,
        codes(frame, cluster)?,
    );
    // Group row i: (level, wave, treated, cluster, Σwy, Σw).
    let n = compared.map_or(frame.height(), Compared::len);
    let record = |i: usize| -> (u32, u32, bool, u32, f64, f64) {
        let code = |r: usize| level.as_ref().map_or(0, |l| l[r]);
        match (compared, &second) {
            (Some(c), _) => {
                let r = c.rows[i] as usize;
                let w = c.period.as_ref().map_or(wave[r], |p| p[i]);
                (code(r), w, treated[r], g[r], first[r] * c.y[i], first[r])
            }
            (None, Some(sw)) => (code(i), wave[i], treated[i], g[i], first[i], sw[i]),
            (None, None) => unreachable!("sums have Σw"),
        }
    };
    let names: Vec<String> = match by {
        Some((_, names)) => names.to_vec(),
        None => vec![String::new()],
    };
    // Dense tables: level, wave and group are small codes, clusters (or respondents) dense
    // codes, so vectors indexed by them replace hashing a million keys.
    let code_of: PlHashMap<&str, u32> = names
        .iter()
        .enumerate()
        .map(|(i, n)| (n.as_str(), i as u32))
        .collect();
    let waves = wave.iter().max().map_or(0, |m| *m as usize + 1);
    let cell_index = |code: u32, wave: u32, treated: bool| {
        (code as usize * waves + wave as usize) * 2 + usize::from(treated)
    };
    let mut cell_of = vec![None; names.len() * waves * 2];
    for ((level, wave, treated), c) in cells {
        if let Some(code) = code_of.get(level.as_str())
            && (*wave as usize) < waves
        {
            cell_of[cell_index(*code, *wave, *treated)] = Some((c.mean, c.sum_w));
        }
    }
    let groups = g.iter().max().map_or(0, |m| *m as usize + 1);
    let mut u = vec![0.0f64; names.len() * groups];
    let mut seen = vec![false; names.len() * groups];
    for i in 0..n {
        let (code, wave, treated, g, swy, sw) = record(i);
        let Some(Some((mean, sum_w))) = cell_of.get(cell_index(code, wave, treated)) else {
            continue;
        };
        let sign = if treated == (wave == after) {
            1.0
        } else {
            -1.0
        };
        let k = code as usize * groups + g as usize;
        u[k] += sign * (swy - mean * sw) / sum_w;
        seen[k] = true;
    }
    let mut sums: BTreeMap<u32, (f64, usize)> = BTreeMap::new();
    for (k, ug) in u.iter().enumerate() {
        if seen[k] {
            let e = sums.entry((k / groups.max(1)) as u32).or_insert((0.0, 0));
            e.0 += ug * ug;
            e.1 += 1;
        }
    }
    Ok(sums
        .into_iter()
        .map(|(code, v)| (names[code as usize].clone(), v))
        .collect())
}

/// Each cluster's sums in the four cells of a 2x2 design (c0, c1, t0, t1: (Σw, Σw·y)), for the
/// wild cluster bootstrap, of the rows compared between wave `before` and wave `after`.
pub fn cluster_cells(
    rows: &Compared,
    after: u32,
    cluster: &str,
) -> PolarsResult<Vec<super::bootstrap::ClusterCells>> {
    let frame = cells_frame(rows.df, rows.each(), None, Some(cluster))?;
    let (g, wave, treated) = (
        u32s(&frame, cluster)?,
        u32s(&frame, "wave")?,
        bools(&frame, "treated")?,
    );
    let (sw, swy) = (f64s(&frame, "sw")?, f64s(&frame, "swy")?);
    let mut by_cluster: BTreeMap<u32, super::bootstrap::ClusterCells> = BTreeMap::new();
    for i in 0..frame.height() {
        let cell = usize::from(treated[i]) * 2 + usize::from(wave[i] == after);
        by_cluster.entry(g[i]).or_insert([(0.0, 0.0); 4])[cell] = (sw[i], swy[i]);
    }
    Ok(by_cluster.into_values().collect())
}

/// By level: respondents with rows both before and after (`after` is the wave index of the
/// period after), and distinct respondents. Ids are dense codes, so a vector of flags does it
/// without a group-by.
fn panel_counts(
    rows: &Compared,
    after: u32,
    by: By,
) -> PolarsResult<BTreeMap<String, (usize, usize)>> {
    let ids = codes(rows.df, "id")?;
    let level = by.map(|(b, _)| codes(rows.df, b)).transpose()?;
    // Bit 1: a row before; bit 2: a row after.
    let mut seen = vec![0u8; ids.iter().max().map_or(0, |m| *m as usize + 1)];
    let mut level_of = vec![0u32; seen.len()];
    for (r, _, wave) in rows.each() {
        let id = ids[r] as usize;
        seen[id] |= if wave == after { 2 } else { 1 };
        level_of[id] = level.as_ref().map_or(0, |l| l[r]);
    }
    let mut counts: BTreeMap<u32, (usize, usize)> = BTreeMap::new();
    for (id, bits) in seen.iter().enumerate() {
        if *bits == 0 {
            continue;
        }
        let e = counts.entry(level_of[id]).or_insert((0, 0));
        e.0 += usize::from(*bits == 3);
        e.1 += 1;
    }
    let name = |code: u32| {
        by.map_or(String::new(), |(_, names)| {
            names.get(code as usize).cloned().unwrap_or_default()
        })
    };
    Ok(counts
        .into_iter()
        .map(|(code, n)| (name(code), n))
        .collect())
}

/// The 2x2 design between wave `before` and wave `after`, by level of `by`. Respondent-clustered
/// sums (a group-by over every respondent) only when `by_respondent`.
pub fn designs(
    df: &DataFrame,
    outcome: &str,
    before: u32,
    after: u32,
    by: By,
    cluster: Option<&str>,
    by_respondent: bool,
) -> PolarsResult<BTreeMap<String, Design>> {
    let rows = Compared::new(df, outcome, &[before, after])?;
    designs_of(&rows, after, by, cluster, by_respondent)
}

/// The same on the rows compared (made once for the whole and every breakdown).
pub fn designs_of(
    rows: &Compared,
    after: u32,
    by: By,
    cluster: Option<&str>,
    by_respondent: bool,
) -> PolarsResult<BTreeMap<String, Design>> {
    // One pass gives the cells and, when a cluster column is declared, its cluster sums.
    let frame = cells_frame(rows.df, rows.each(), by.map(|b| b.0), cluster)?;
    let cells = read_cells(&frame, by)?;
    let respondents = if by_respondent {
        cluster_sums(ClusterSource::Rows(rows), after, by, "id", &cells)?
    } else {
        BTreeMap::new()
    };
    let clusters = match cluster {
        Some(c) => Some(cluster_sums(
            ClusterSource::Sums(&frame),
            after,
            by,
            c,
            &cells,
        )?),
        None => None,
    };
    let panel = panel_counts(rows, after, by)?;
    let mut out: BTreeMap<String, Design> = BTreeMap::new();
    for ((level, wave, treated), cell) in cells {
        let d = out.entry(level).or_default();
        match (wave == after, treated) {
            (false, false) => d.cells.c0 = cell,
            (true, false) => d.cells.c1 = cell,
            (false, true) => d.cells.t0 = cell,
            (true, true) => d.cells.t1 = cell,
        }
    }
    for (level, d) in out.iter_mut() {
        d.by_respondent = respondents.get(level).copied();
        d.by_cluster = clusters.as_ref().and_then(|c| c.get(level).copied());
        (d.panel_respondents, d.people) = panel.get(level).copied().unwrap_or((0, 0));
    }
    Ok(out)
}
