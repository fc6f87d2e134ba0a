//! The event-study design: one effect per wave relative to the reference wave (the last wave
//! before the programme), from the two-way fixed-effects regression
//! `y_it = α_i + λ_t + Σ_{k≠r} δ_k·(treated_i × [t = k]) + ε_it` with unit effects α_i for
//! panels (the within transformation), or a group effect (treated) and an intercept for
//! repeated cross-sections; cluster-robust (CRV1) standard errors; and the joint Wald test that
//! every effect before the programme is zero. Conventions follow fixest/pyfixest (`feols`,
//! `vcov={"CRV1": ...}`, small-sample factor G/(G−1)·(N−1)/(N−K), fixed effects nested in the
//! clusters counted as one constant in K), which the tests check against pyfixest.

use polars::prelude::*;
use statrs::distribution::{ContinuousCDF, FisherSnedecor};

use super::estimate::{f64s, u32s};
use super::stats::{Estimate, SeKind};

/// One wave's effect.
#[derive(Debug, Clone, PartialEq)]
pub struct WaveEffect {
    /// The wave (index into `waves`).
    pub wave: u32,
    /// δ_k with its CRV1 standard error and t interval on G − 1 df, in the outcome's unit;
    /// `None` for the reference wave (0 by definition).
    pub estimate: Option<Estimate>,
}

/// The joint Wald test that the effects before the programme are all zero.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct WaldTest {
    /// F = W/q, W = δ'V⁻¹δ over the q pre-programme effects.
    pub f: f64,
    /// Numerator degrees of freedom q (effects tested).
    pub df1: usize,
    /// Denominator degrees of freedom, G − 1.
    pub df2: f64,
    /// p-value (0–1) from F(q, G − 1).
    pub p: f64,
}

/// The event study of one outcome.
#[derive(Debug, Clone, PartialEq)]
pub struct EventStudy {
    /// The reference wave (index into `waves`).
    pub reference: u32,
    /// One effect per wave with answers, in wave order (the reference included, with none).
    pub effects: Vec<WaveEffect>,
    /// The joint test of the effects before the programme; `None` when the reference is the
    /// only wave before it.
    pub pretrend: Option<WaldTest>,
    /// Observations (person-waves) used.
    pub n: u64,
    /// Distinct respondents in them.
    pub people: u64,
    /// Clusters of the standard errors.
    pub clusters: usize,
    /// True when unit (respondent) fixed effects were used (a panel).
    pub unit_effects: bool,
}

impl EventStudy {
    /// The effect in wave `wave`, when estimated.
    pub fn effect(&self, wave: u32) -> Option<&Estimate> {
        self.effects
            .iter()
            .find(|e| e.wave == wave)
            .and_then(|e| e.estimate.as_ref())
    }
}

/// The regression of the event study after the within transformation: its rows' regressors
/// and answers (demeaned by respondent with unit effects), weights and clusters.
struct Regression {
    /// Regressors, `p` per row: wave dummies, interactions, then intercept and treated without
    /// unit effects.
    x: Vec<f64>,
    /// Answers (demeaned with unit effects).
    y: Vec<f64>,
    w: Vec<f64>,
    clusters: Vec<u32>,
    ids: Vec<u32>,
    p: usize,
    /// Waves other than the reference, in order: the interaction of `others[j]` is column
    /// `m + j`.
    others: Vec<u32>,
    present: Vec<u32>,
    /// Respondents with rows (units with a positive weight).
    units: usize,
}

impl Regression {
    fn row(&self, i: usize) -> &[f64] {
        &self.x[i * self.p..(i + 1) * self.p]
    }

    fn column_of(&self, wave: u32) -> Option<usize> {
        let m = self.others.len();
        self.others.iter().position(|o| *o == wave).map(|j| m + j)
    }
}

/// Builds the regression; `None` when the reference wave or every other wave has no rows.
fn regression(
    rows: &DataFrame,
    reference: u32,
    cluster_column: Option<&str>,
    unit_effects: bool,
) -> PolarsResult<Option<Regression>> {
    let ids = u32s(rows, "id")?;
    let waves = u32s(rows, "wave")?;
    let treated: Vec<bool> = rows
        .column("treated")?
        .bool()?
        .iter()
        .map(|v| v.unwrap_or(false))
        .collect();
    let w = f64s(rows, "w")?;
    let y = f64s(rows, "y")?;
    let clusters = match cluster_column {
        Some(c) => u32s(rows, c)?,
        None => ids.clone(),
    };
    let n = y.len();
    let mut present: Vec<u32> = waves.clone();
    present.sort_unstable();
    present.dedup();
    let others: Vec<u32> = present
        .iter()
        .copied()
        .filter(|k| *k != reference)
        .collect();
    if !present.contains(&reference) || others.is_empty() {
        return Ok(None);
    }
    let m = others.len();
    // Regressors: wave dummies, interactions; with an intercept and treated without unit effects.
    let p = 2 * m + if unit_effects { 0 } else { 2 };
    let position = |k: u32| others.iter().position(|o| *o == k);
    let row_x = |i: usize, x: &mut [f64]| {
        x.fill(0.0);
        if let Some(j) = position(waves[i]) {
            x[j] = 1.0;
            if treated[i] {
                x[m + j] = 1.0;
            }
        }
        if !unit_effects {
            x[2 * m] = 1.0;
            x[2 * m + 1] = f64::from(u8::from(treated[i]));
        }
    };
    // Weighted unit means for the within transformation.
    let units = ids.iter().max().map_or(0, |v| *v as usize + 1);
    let mut means = vec![0.0f64; if unit_effects { units * (p + 2) } else { 0 }];
    let mut x = vec![0.0f64; p];
    if unit_effects {
        for i in 0..n {
            row_x(i, &mut x);
            let base = ids[i] as usize * (p + 2);
            means[base] += w[i];
            means[base + 1] += w[i] * y[i];
            for j in 0..p {
                means[base + 2 + j] += w[i] * x[j];
            }
        }
        for u in 0..units {
            let base = u * (p + 2);
            let sw = means[base];
            if sw > 0.0 {
                for j in 1..p + 2 {
                    means[base + j] /= sw;
                }
            }
        }
    }
    let mut xs = vec![0.0f64; n * p];
    let mut ys = vec![0.0f64; n];
    for i in 0..n {
        let xi = &mut xs[i * p..(i + 1) * p];
        row_x(i, xi);
        ys[i] = y[i];
        if unit_effects {
            let base = ids[i] as usize * (p + 2);
            for j in 0..p {
                xi[j] -= means[base + 2 + j];
            }
            ys[i] -= means[base + 1];
        }
    }
    let with_rows = if unit_effects {
        means.chunks(p + 2).filter(|u| u[0] > 0.0).count()
    } else {
        0
    };
    Ok(Some(Regression {
        x: xs,
        y: ys,
        w,
        clusters,
        ids,
        p,
        others,
        present,
        units: with_rows,
    }))
}

/// The event study on `rows` (as [`super::estimate::answered`] gives them for every wave:
/// columns `id`, `wave`, `treated`, `w`, `y`, and `cluster_column` when given), relative to wave
/// `reference`, testing the waves in `pre` other than the reference. Standard errors are
/// clustered by `cluster_column`, or by respondent when `None`. `unit_effects` asks for
/// respondent fixed effects (panels). `None` when the regression cannot be estimated (a wave
/// without participants or comparison rows, fewer than two clusters).
pub fn event_study(
    rows: &DataFrame,
    reference: u32,
    pre: &[u32],
    cluster_column: Option<&str>,
    unit_effects: bool,
) -> PolarsResult<Option<EventStudy>> {
    let Some(r) = regression(rows, reference, cluster_column, unit_effects)? else {
        return Ok(None);
    };
    let (p, n) = (r.p, r.y.len());
    let m = r.others.len();
    let (ids, clusters, w) = (&r.ids, &r.clusters, &r.w);
    let present = &r.present;
    let position = |k: u32| r.others.iter().position(|o| *o == k);
    let units = ids.iter().max().map_or(0, |v| *v as usize + 1);
    let mut x = vec![0.0f64; p];
    let demeaned = |i: usize, x: &mut [f64]| -> f64 {
        x.copy_from_slice(r.row(i));
        r.y[i]
    };
    let mut xtx = vec![vec![0.0f64; p]; p];
    let mut xty = vec![0.0f64; p];
    for (i, wi) in w.iter().enumerate() {
        let yi = demeaned(i, &mut x);
        for a in 0..p {
            xty[a] += wi * x[a] * yi;
            for b in 0..p {
                xtx[a][b] += wi * x[a] * x[b];
            }
        }
    }
    let Some(inv) = invert(&xtx) else {
        return Ok(None);
    };
    let beta: Vec<f64> = (0..p)
        .map(|a| (0..p).map(|b| inv[a][b] * xty[b]).sum())
        .collect();
    // Cluster scores s_g = Σ_{i∈g} w_i x̃_i ẽ_i.
    let groups = clusters.iter().max().map_or(0, |v| *v as usize + 1);
    let mut scores = vec![0.0f64; groups * p];
    let mut seen = vec![false; groups];
    for i in 0..n {
        let yi = demeaned(i, &mut x);
        let e = yi - (0..p).map(|a| x[a] * beta[a]).sum::<f64>();
        let g = clusters[i] as usize;
        seen[g] = true;
        for a in 0..p {
            scores[g * p + a] += w[i] * x[a] * e;
        }
    }
    let g_count = seen.iter().filter(|s| **s).count();
    if g_count < 2 {
        return Ok(None);
    }
    let mut meat = vec![vec![0.0f64; p]; p];
    for g in 0..groups {
        let s = &scores[g * p..(g + 1) * p];
        for a in 0..p {
            for b in 0..p {
                meat[a][b] += s[a] * s[b];
            }
        }
    }
    // K as fixest counts it: the regressors (wave dummies and interactions), plus the constant
    // the unit effects absorb when they are nested in the clusters, or every unit effect when
    // they are not.
    let nested = cluster_column.is_none() || {
        let mut cluster_of = vec![u32::MAX; units];
        ids.iter().zip(clusters.iter()).all(|(id, g)| {
            let c = &mut cluster_of[*id as usize];
            if *c == u32::MAX {
                *c = *g;
            }
            *c == *g
        })
    };
    let k = match (unit_effects, nested) {
        (false, _) => p,
        (true, true) => p + 1,
        (true, false) => p + r.units,
    };
    let (gf, nf) = (g_count as f64, n as f64);
    let factor = gf / (gf - 1.0) * (nf - 1.0) / (nf - k as f64);
    let v: Vec<Vec<f64>> = (0..p)
        .map(|a| {
            (0..p)
                .map(|b| {
                    let mut s = 0.0;
                    for c in 0..p {
                        for d in 0..p {
                            s += inv[a][c] * meat[c][d] * inv[d][b];
                        }
                    }
                    s * factor
                })
                .collect()
        })
        .collect();
    let kind = match cluster_column {
        Some(_) => SeKind::Cluster(g_count),
        None => SeKind::Respondent(g_count),
    };
    let df = gf - 1.0;
    let effects = present
        .iter()
        .map(|k| WaveEffect {
            wave: *k,
            estimate: position(*k).map(|j| {
                let a = m + j;
                Estimate::t(beta[a], v[a][a].max(0.0).sqrt(), kind, df)
            }),
        })
        .collect();
    // Joint Wald test of the pre-programme effects.
    let tested: Vec<usize> = pre
        .iter()
        .filter_map(|k| position(*k))
        .map(|j| m + j)
        .collect();
    let pretrend = if tested.is_empty() {
        None
    } else {
        let sub: Vec<Vec<f64>> = tested
            .iter()
            .map(|a| tested.iter().map(|b| v[*a][*b]).collect())
            .collect();
        invert(&sub).and_then(|vi| {
            let q = tested.len();
            let wald: f64 = (0..q)
                .map(|a| {
                    (0..q)
                        .map(|b| beta[tested[a]] * vi[a][b] * beta[tested[b]])
                        .sum::<f64>()
                })
                .sum();
            let f = wald / q as f64;
            let dist = FisherSnedecor::new(q as f64, df).ok()?;
            Some(WaldTest {
                f,
                df1: q,
                df2: df,
                p: 1.0 - dist.cdf(f),
            })
        })
    };
    Ok(Some(EventStudy {
        reference,
        effects,
        pretrend,
        n: n as u64,
        people: {
            let mut distinct = ids.clone();
            distinct.sort_unstable();
            distinct.dedup();
            distinct.len() as u64
        },
        clusters: g_count,
        unit_effects,
    }))
}

/// The wild cluster bootstrap (WCR, CRV1, null imposed; see
/// [`super::bootstrap::wild_cluster_regression`]) of the effect in wave `wave`, on the same rows
/// and regression as [`event_study`], clustered by `cluster_column`. `None` when the effect is
/// not estimated, with fewer than two clusters, or when respondents with fixed effects are not
/// each in one cluster (the within transformation then differs from the dummies' regression).
#[allow(clippy::too_many_arguments)]
pub fn bootstrap(
    rows: &DataFrame,
    reference: u32,
    cluster_column: &str,
    unit_effects: bool,
    wave: u32,
    weights: super::bootstrap::Weights,
    draws: usize,
    seed: u64,
) -> PolarsResult<Option<super::bootstrap::WildBootstrap>> {
    let Some(r) = regression(rows, reference, Some(cluster_column), unit_effects)? else {
        return Ok(None);
    };
    let Some(j) = r.column_of(wave) else {
        return Ok(None);
    };
    if unit_effects {
        let units = r.ids.iter().max().map_or(0, |v| *v as usize + 1);
        let mut cluster_of = vec![u32::MAX; units];
        let nested = r.ids.iter().zip(&r.clusters).all(|(id, g)| {
            let c = &mut cluster_of[*id as usize];
            if *c == u32::MAX {
                *c = *g;
            }
            *c == *g
        });
        if !nested {
            return Ok(None);
        }
    }
    let ls = super::bootstrap::LeastSquares {
        x: &r.x,
        p: r.p,
        y: &r.y,
        w: &r.w,
        clusters: &r.clusters,
    };
    Ok(super::bootstrap::wild_cluster_regression(
        &ls, j, weights, draws, seed,
    ))
}

/// The inverse of a small symmetric positive-definite matrix by Gauss–Jordan elimination with
/// partial pivoting; `None` when it is singular.
pub(super) fn invert(m: &[Vec<f64>]) -> Option<Vec<Vec<f64>>> {
    let p = m.len();
    let mut a: Vec<Vec<f64>> = m
        .iter()
        .enumerate()
        .map(|(i, row)| {
            let mut r = row.clone();
            r.extend((0..p).map(|j| if i == j { 1.0 } else { 0.0 }));
            r
        })
        .collect();
    let scale = m
        .iter()
        .flatten()
        .fold(0.0f64, |s, v| s.max(v.abs()))
        .max(f64::MIN_POSITIVE);
    for col in 0..p {
        let pivot = (col..p).max_by(|x, y| a[*x][col].abs().total_cmp(&a[*y][col].abs()))?;
        if a[pivot][col].abs() <= 1e-12 * scale {
            return None;
        }
        a.swap(col, pivot);
        let d = a[col][col];
        for v in a[col].iter_mut() {
            *v /= d;
        }
        let pivot_row = a[col].clone();
        for (r, row) in a.iter_mut().enumerate() {
            let f = row[col];
            if r != col && f != 0.0 {
                for (v, pv) in row.iter_mut().zip(&pivot_row) {
                    *v -= f * pv;
                }
            }
        }
    }
    Some(a.into_iter().map(|r| r[p..].to_vec()).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inverse_of_a_small_matrix() {
        let m = vec![vec![4.0, 1.0], vec![1.0, 3.0]];
        let i = invert(&m).unwrap();
        let id: Vec<Vec<f64>> = (0..2)
            .map(|a| {
                (0..2)
                    .map(|b| (0..2).map(|c| m[a][c] * i[c][b]).sum())
                    .collect()
            })
            .collect();
        assert!((id[0][0] - 1.0).abs() < 1e-12 && id[0][1].abs() < 1e-12);
        assert!(invert(&[vec![1.0, 2.0], vec![2.0, 4.0]]).is_none());
    }
}
