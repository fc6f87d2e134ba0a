//! The polars side of the estimates: cell summaries and cluster sums per outcome, per pair of
//! waves and per breakdown level, computed lazily over the typed survey.

use std::collections::BTreeMap;

use polars::prelude::*;

use super::stats::{Cell, TwoByTwo};

/// Cells and cluster sums of one 2x2 comparison for one level of a breakdown ("" for all).
#[derive(Debug, Clone, Default)]
pub struct Design {
    pub cells: TwoByTwo,
    /// Σ u_g² and the number of respondents (clusters) when clustered by respondent.
    pub by_respondent: Option<(f64, usize)>,
    /// Σ u_g² and the number of clusters of the declared cluster column.
    pub by_cluster: Option<(f64, usize)>,
    /// Respondents seen in both waves.
    pub panel_respondents: usize,
}

fn f64s(df: &DataFrame, name: &str) -> PolarsResult<Vec<f64>> {
    Ok(df
        .column(name)?
        .cast(&DataType::Float64)?
        .f64()?
        .iter()
        .map(|v| v.unwrap_or(f64::NAN))
        .collect())
}

fn bools(df: &DataFrame, name: &str) -> PolarsResult<Vec<bool>> {
    Ok(df
        .column(name)?
        .bool()?
        .iter()
        .map(|v| v.unwrap_or(false))
        .collect())
}

fn u32s(df: &DataFrame, name: &str) -> PolarsResult<Vec<u32>> {
    Ok(df
        .column(name)?
        .cast(&DataType::UInt32)?
        .u32()?
        .iter()
        .map(|v| v.unwrap_or(0))
        .collect())
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

fn keys(by: Option<&str>) -> Vec<Expr> {
    by.into_iter()
        .map(col)
        .chain([col("wave"), col("treated")])
        .collect()
}

/// Cell summaries (n, Σw, weighted mean, sd, Σ(w·e)²) by (level, wave, treated).
fn cells_frame(lf: LazyFrame, by: Option<&str>) -> PolarsResult<DataFrame> {
    lf.group_by(keys(by))
        .agg([
            len().alias("n"),
            col("w").sum().alias("sum_w"),
            col("m").first().alias("mean"),
            col("y").std(1).alias("sd"),
            ((col("w") * col("e")) * (col("w") * col("e")))
                .sum()
                .alias("sum_we2"),
        ])
        .collect()
}

/// Adds the weighted cell mean `m`, the cell weight `W` and the residual `e` to rows with an answer.
fn with_residuals(
    df: &DataFrame,
    outcome: &str,
    waves: &[u32],
    by: Option<&str>,
) -> PolarsResult<LazyFrame> {
    let waves = Series::new("waves".into(), waves.to_vec());
    Ok(df
        .clone()
        .lazy()
        .filter(
            col(outcome)
                .is_not_null()
                .and(col("wave").is_in(lit(waves).implode(false), false)),
        )
        .with_column(col(outcome).alias("y"))
        .with_columns([
            ((col("w") * col("y")).sum().over(keys(by))? / col("w").sum().over(keys(by))?)
                .alias("m"),
            col("w").sum().over(keys(by))?.alias("W"),
        ])
        .with_column((col("y") - col("m")).alias("e")))
}

/// Summaries of every group in every wave (for trends), by level of `by`.
pub fn all_cells(
    df: &DataFrame,
    outcome: &str,
    waves: usize,
    by: By,
) -> PolarsResult<BTreeMap<(String, u32, bool), Cell>> {
    let all: Vec<u32> = (0..waves as u32).collect();
    let column = by.map(|b| b.0);
    let frame = cells_frame(with_residuals(df, outcome, &all, column)?, column)?;
    read_cells(&frame, by)
}

fn read_cells(frame: &DataFrame, by: By) -> PolarsResult<BTreeMap<(String, u32, bool), Cell>> {
    let levels = level_names(frame, by)?;
    let (wave, treated) = (u32s(frame, "wave")?, bools(frame, "treated")?);
    let (n, sum_w, mean, sd, sum_we2) = (
        u32s(frame, "n")?,
        f64s(frame, "sum_w")?,
        f64s(frame, "mean")?,
        f64s(frame, "sd")?,
        f64s(frame, "sum_we2")?,
    );
    let mut out = BTreeMap::new();
    for i in 0..frame.height() {
        let cell = Cell {
            n: n[i] as u64,
            sum_w: sum_w[i],
            mean: mean[i],
            sd: if sd[i].is_nan() { 0.0 } else { sd[i] },
            sum_we2: sum_we2[i],
        };
        out.insert((levels[i].clone(), wave[i], treated[i]), cell);
    }
    Ok(out)
}

/// Σ_g u_g² and the number of clusters, by level, for clusters in column `cluster`.
fn cluster_sums(
    lf: LazyFrame,
    before: u32,
    by: By,
    cluster: &str,
) -> PolarsResult<BTreeMap<String, (f64, usize)>> {
    // s = +1 for participants after and comparison before, −1 otherwise.
    let sign = when(col("treated").eq(col("wave").neq(lit(before))))
        .then(lit(1.0))
        .otherwise(lit(-1.0));
    let level: Vec<Expr> = by.into_iter().map(|b| col(b.0)).collect();
    let mut per_cluster = level.clone();
    per_cluster.push(col(cluster));
    let lf = lf
        .with_column((sign * col("w") * col("e") / col("W")).alias("u"))
        .group_by(per_cluster)
        .agg([col("u").sum().alias("ug")]);
    let frame = if level.is_empty() {
        lf.select([
            (col("ug") * col("ug")).sum().alias("sum_u2"),
            len().alias("g"),
        ])
        .collect()?
    } else {
        lf.group_by(level)
            .agg([
                (col("ug") * col("ug")).sum().alias("sum_u2"),
                len().alias("g"),
            ])
            .collect()?
    };
    let levels = level_names(&frame, by)?;
    let (sum_u2, g) = (f64s(&frame, "sum_u2")?, u32s(&frame, "g")?);
    Ok(levels
        .into_iter()
        .zip(sum_u2.into_iter().zip(g.into_iter().map(|g| g as usize)))
        .collect())
}

/// Respondents answering in both waves (a panel), by level.
fn panel_counts(
    lf: LazyFrame,
    column: Option<&str>,
    by: By,
) -> PolarsResult<BTreeMap<String, usize>> {
    let level: Vec<Expr> = column.into_iter().map(col).collect();
    let mut per_id = level.clone();
    per_id.push(col("id"));
    // One row per respondent and wave (duplicates were rejected), so rows count waves.
    let both = lf
        .group_by(per_id)
        .agg([len().alias("k")])
        .filter(col("k").eq(lit(2)));
    let both = if level.is_empty() {
        both.select([len().alias("p")])
    } else {
        both.group_by(level).agg([len().alias("p")])
    }
    .collect()?;
    let both_levels = level_names(&both, by)?;
    let panel: BTreeMap<String, usize> = both_levels
        .into_iter()
        .zip(u32s(&both, "p")?.into_iter().map(|p| p as usize))
        .collect();

    Ok(panel)
}

/// The 2x2 design between wave `before` and wave `after`, by level of `by`. Respondent-clustered
/// sums and the panel count (a group-by over every respondent) only when `by_respondent`.
pub fn designs(
    df: &DataFrame,
    outcome: &str,
    before: u32,
    after: u32,
    by: By,
    cluster: Option<&str>,
    by_respondent: bool,
) -> PolarsResult<BTreeMap<String, Design>> {
    let column = by.map(|b| b.0);
    let lf = with_residuals(df, outcome, &[before, after], column)?.cache();
    let cells = read_cells(&cells_frame(lf.clone(), column)?, by)?;
    let respondents = if by_respondent {
        cluster_sums(lf.clone(), before, by, "id")?
    } else {
        BTreeMap::new()
    };
    let clusters = match cluster {
        Some(c) => Some(cluster_sums(lf.clone(), before, by, c)?),
        None => None,
    };
    let panel = if by_respondent {
        panel_counts(lf, column, by)?
    } else {
        BTreeMap::new()
    };

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
        d.panel_respondents = panel.get(level).copied().unwrap_or(0);
    }
    Ok(out)
}
