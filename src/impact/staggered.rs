//! The staggered design: groups that start the programme in different waves (cohorts), each
//! compared with the respondents not yet in the programme. Callaway and Sant'Anna (2021,
//! "Difference-in-differences with multiple time periods", J. Econometrics 225(2)), without
//! covariates, on a balanced panel:
//!
//! - the group-time effect of cohort g in wave t is ATT(g,t) = E[Y_t − Y_b | G = g] −
//!   E[Y_t − Y_b | not yet treated in t], with base wave b = the last wave before g for
//!   t ≥ g, and b = t − 1 before it (csdid/R `did`'s `base_period = "varying"`);
//! - its influence function is n·(Y_t − Y_b − μ_g)/n_g for the cohort's members and
//!   −n·(Y_t − Y_b − μ_C)/n_C for the comparison units, 0 otherwise;
//! - the aggregations (`group`, `dynamic`, `simple`) weight the group-time effects by cohort
//!   size and add the influence of estimating those weights (R `did`'s `wif`);
//! - standard errors are √(Σ IF²)/n, or clustered √(Σ_c (Σ_{i∈c} IF_i)²)/n;
//! - the pre-tests are Wald tests W = n·a′V⁻¹a with V = IF′IF/n (or S′S/n with cluster sums
//!   S): R `did`'s over every ATT(g,t) before its cohort starts, and the one published, over
//!   the event-time profile before the start (fewer effects, so it stays reliable with few
//!   clusters).
//!
//! The tests check every number against the PyPI package `csdid` (see
//! scripts/csdid_expected.py). Two-way fixed effects are not used: with staggered starts they
//! compare late starters with early ones already in the programme and can be biased.

use polars::prelude::*;
use statrs::distribution::{ContinuousCDF, FisherSnedecor};

use super::bootstrap::{MeanDifference, Weights, WildBootstrap, wild_cluster_means};
use super::estimate::{f64s, u32s};
use super::event_study::{WaldTest, invert};
use super::stats::{Estimate, SeKind};

/// One group-time effect ATT(g,t).
#[derive(Debug, Clone, PartialEq)]
pub struct GroupTime {
    /// The cohort g: the wave its members started the programme (index into `waves`).
    pub cohort: u32,
    /// The wave t (index into `waves`).
    pub wave: u32,
    /// ATT(g,t) in the outcome's unit, with its standard error.
    pub att: f64,
    /// Standard error of `att`, same unit.
    pub se: f64,
    /// Members of the cohort (respondents).
    pub treated: usize,
    /// Respondents not yet in the programme in wave t (the comparison of this effect).
    pub controls: usize,
}

/// An aggregated effect with the respondents it rests on.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Aggregate {
    /// The effect with its standard error and t interval.
    pub estimate: Estimate,
    /// Participants (respondents of the cohorts) whose changes it averages.
    pub treated: usize,
}

/// An effect `e` waves after the start (negative: before it).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct EventTime {
    /// Waves since the start: 0 is the start wave, −1 the wave before.
    pub e: i32,
    /// The cohort-size-weighted average of ATT(g, g + e).
    pub effect: Aggregate,
}

/// The staggered design's estimates for one outcome.
#[derive(Debug, Clone, PartialEq)]
pub struct Staggered {
    /// Every group-time effect, by cohort then wave (waves from the second on).
    pub cells: Vec<GroupTime>,
    /// The overall effect: the average of each cohort's effect over its waves in the
    /// programme, weighted by cohort size (R `did`'s `aggte(type = "group")$overall.att`, the
    /// summary Callaway and Sant'Anna recommend). The headline.
    pub overall: Aggregate,
    /// Each cohort's average effect over its waves in the programme: (start wave, effect).
    pub cohorts: Vec<(u32, Aggregate)>,
    /// The event-time profile (R `did`'s `aggte(type = "dynamic")`), in order of `e`.
    pub profile: Vec<EventTime>,
    /// The average of the profile over e ≥ 0.
    pub profile_average: Estimate,
    /// Every effect of waves in the programme averaged with cohort-size weights (R `did`'s
    /// `aggte(type = "simple")`; it gives more weight to cohorts that started early).
    pub simple: Estimate,
    /// The joint test that the profile's effects before the start (e < 0) are all 0: F = W/q
    /// on (q, G − 1) degrees of freedom, the test published; `None` without such effects.
    pub pretrend: Option<WaldTest>,
    /// R `did`'s pre-test: the same Wald test over every ATT(g,t) before its cohort started
    /// (W = F·q is `att_gt()$W`). With few clusters it has more effects than its covariance
    /// can carry (q near G) and rejects far too often, so it is not published.
    pub pretrend_cells: Option<WaldTest>,
    /// Respondents in the balanced panel (answered in every wave).
    pub units: usize,
    /// Of them, participants by cohort: (start wave, respondents), every cohort estimated.
    pub cohort_sizes: Vec<(u32, usize)>,
    /// Of them, respondents never in the programme in the waves used (the comparison group,
    /// or the last cohort when every respondent starts at some point).
    pub never: usize,
    /// Respondents left out because they did not answer in every wave (or started in the
    /// first wave, leaving no wave before their start).
    pub dropped: usize,
    /// Waves with answers (indices into `waves`), in order.
    pub waves: Vec<u32>,
    /// Clusters of the standard errors (respondents when not clustered by area).
    pub clusters: usize,
    /// The restricted wild cluster bootstrap (Webb weights) of the overall effect, when asked:
    /// the overall effect is Σ ω_k ATT_k over the cells in the programme, each ATT_k the slope
    /// of its own regression ΔY ~ 1 + cohort, stacked and clustered by area, with the cohort
    /// weights ω held fixed ([`wild_cluster_means`]).
    pub bootstrap: Option<WildBootstrap>,
}

impl Staggered {
    /// The smallest group the estimates rest on: the smallest cohort or the respondents never
    /// in the programme (for disclosure control).
    pub fn smallest_group(&self) -> usize {
        self.cohort_sizes
            .iter()
            .map(|c| c.1)
            .chain([self.never])
            .min()
            .unwrap_or(0)
    }

    /// Observations (person-waves) of the balanced panel.
    pub fn n_obs(&self) -> u64 {
        (self.units * self.waves.len()) as u64
    }
}

/// The columns of the rows the staggered design reads, extracted once so that breakdown levels
/// are estimated on subsets without filtering frames again.
pub struct Rows {
    ids: Vec<u32>,
    waves: Vec<u32>,
    starts: Vec<Option<u32>>,
    y: Vec<f64>,
    clusters: Option<Vec<u32>>,
}

impl Rows {
    /// The columns of `rows` (as [`super::estimate::answered`] gives them for every wave:
    /// `id`, `wave`, `start` (wave index; null for the comparison group), `y`, and
    /// `cluster_column` when given).
    pub fn of(rows: &DataFrame, cluster_column: Option<&str>) -> PolarsResult<Rows> {
        Ok(Rows {
            ids: u32s(rows, "id")?,
            waves: u32s(rows, "wave")?,
            starts: rows
                .column("start")?
                .cast(&DataType::UInt32)?
                .u32()?
                .iter()
                .collect(),
            y: f64s(rows, "y")?,
            clusters: match cluster_column {
                Some(c) => Some(u32s(rows, c)?),
                None => None,
            },
        })
    }

    /// Number of rows.
    pub fn len(&self) -> usize {
        self.ids.len()
    }

    /// True without rows.
    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }
}

/// The staggered design on `rows` (see [`Rows::of`]). Standard errors are clustered by
/// `cluster_column` (each respondent in the cluster of their first wave), else by respondent.
/// `None` when nothing can be estimated: no respondent answered every wave, no cohort has a
/// wave before its start and a comparison, or fewer than two clusters.
pub fn staggered(
    rows: &DataFrame,
    cluster_column: Option<&str>,
) -> PolarsResult<Option<Staggered>> {
    let rows = Rows::of(rows, cluster_column)?;
    Ok(estimate(&rows, None, cluster_column.is_some(), None))
}

/// The staggered design on the rows `keep` selects (all when `None`), clustered by the rows'
/// cluster column when `clustered` (which [`Rows::of`] must have read), else by respondent.
/// `bootstrap` (weights, draws, seed), when clustered: the wild cluster bootstrap of the overall effect
/// (see [`Staggered::bootstrap`]).
pub fn estimate(
    rows: &Rows,
    keep: Option<&[bool]>,
    clustered: bool,
    bootstrap: Option<(Weights, usize, u64)>,
) -> Option<Staggered> {
    let selected: Vec<usize> = match keep {
        Some(k) => (0..rows.len()).filter(|i| k[*i]).collect(),
        None => (0..rows.len()).collect(),
    };
    let pick_u32 = |v: &[u32]| -> Vec<u32> { selected.iter().map(|i| v[*i]).collect() };
    let ids = pick_u32(&rows.ids);
    let waves = pick_u32(&rows.waves);
    let starts: Vec<Option<u32>> = selected.iter().map(|i| rows.starts[*i]).collect();
    let y: Vec<f64> = selected.iter().map(|i| rows.y[*i]).collect();
    let clusters = match (&rows.clusters, clustered) {
        (Some(c), true) => Some(pick_u32(c)),
        _ => None,
    };
    let mut present = waves.clone();
    present.sort_unstable();
    present.dedup();
    let t_count = present.len();
    if t_count < 2 {
        return None;
    }
    let slot = |w: u32| present.binary_search(&w).ok();
    // Per respondent: the answer in each wave, start, cluster of the first wave.
    let id_count = ids.iter().max().map_or(0, |m| *m as usize + 1);
    let mut answers = vec![f64::NAN; id_count * t_count];
    let mut seen = vec![false; id_count];
    let mut start_of = vec![None; id_count];
    let mut first_wave = vec![u32::MAX; id_count];
    let mut cluster_of = vec![0u32; id_count];
    for i in 0..ids.len() {
        let u = ids[i] as usize;
        let Some(k) = slot(waves[i]) else { continue };
        seen[u] = true;
        answers[u * t_count + k] = y[i];
        start_of[u] = start_of[u].or(starts[i]);
        if waves[i] < first_wave[u] {
            first_wave[u] = waves[i];
            if let Some(c) = &clusters {
                cluster_of[u] = c[i];
            }
        }
    }
    // Starts after the last wave with answers have not happened yet: those respondents are not
    // yet treated in every wave (R `did` likewise).
    let last = present[t_count - 1];
    for s in start_of.iter_mut() {
        if s.is_some_and(|g| g > last) {
            *s = None;
        }
    }
    // Without respondents who never start, the last cohort to start is the comparison, and
    // only the waves before its start are used (R `did`'s rule for `notyettreated`).
    let (present, t_count) = if start_of
        .iter()
        .zip(&seen)
        .any(|(s, seen)| *seen && s.is_none())
    {
        (present, t_count)
    } else {
        let latest = start_of.iter().flatten().max().copied()?;
        for s in start_of.iter_mut() {
            if *s == Some(latest) {
                *s = None;
            }
        }
        let keep = present.iter().filter(|w| **w < latest).count();
        if keep < 2 {
            return None;
        }
        // Answers are stored by slot: keep the first `keep` slots of each respondent.
        let mut trimmed = vec![f64::NAN; id_count * keep];
        for u in 0..id_count {
            trimmed[u * keep..(u + 1) * keep]
                .copy_from_slice(&answers[u * t_count..u * t_count + keep]);
        }
        answers = trimmed;
        (present[..keep].to_vec(), keep)
    };
    // The balanced panel: respondents with an answer in every wave and, for participants, a
    // wave with answers before their start.
    let keep: Vec<usize> = (0..id_count)
        .filter(|u| {
            answers[u * t_count..(u + 1) * t_count]
                .iter()
                .all(|v| v.is_finite())
                && start_of[*u].is_none_or(|g| g > present[0])
        })
        .collect();
    let dropped = seen.iter().filter(|s| **s).count() - keep.len();
    let n = keep.len();
    if n == 0 {
        return None;
    }
    let y_of = |j: usize, k: usize| answers[keep[j] * t_count + k];
    let g_of: Vec<Option<u32>> = keep.iter().map(|u| start_of[*u]).collect();
    let mut cohorts: Vec<u32> = g_of.iter().flatten().copied().collect();
    cohorts.sort_unstable();
    cohorts.dedup();
    // Cluster codes of the kept respondents, dense.
    let (cluster_code, g_count) = match &clusters {
        Some(_) => {
            let mut codes = std::collections::HashMap::new();
            let c: Vec<usize> = keep
                .iter()
                .map(|u| {
                    let next = codes.len();
                    *codes.entry(cluster_of[*u]).or_insert(next)
                })
                .collect();
            let g = codes.len();
            (Some(c), g)
        }
        None => (None, n),
    };
    if g_count < 2 {
        return None;
    }
    let nf = n as f64;
    let se_of = |inf: &[f64]| -> f64 {
        match &cluster_code {
            Some(codes) => {
                let mut sums = vec![0.0f64; g_count];
                for (v, c) in inf.iter().zip(codes) {
                    sums[*c] += v;
                }
                sums.iter().map(|s| s * s).sum::<f64>().sqrt() / nf
            }
            None => inf.iter().map(|v| v * v).sum::<f64>().sqrt() / nf,
        }
    };
    // Group-time effects and their influence functions.
    let mut cells = Vec::new();
    let mut parts: Vec<MeanDifference> = Vec::new();
    let mut infs: Vec<Vec<f64>> = Vec::new();
    for &g in &cohorts {
        // The last wave with answers before the start.
        let Some(before_start) = present.iter().rposition(|w| *w < g) else {
            continue;
        };
        for (k, &t) in present.iter().enumerate().skip(1) {
            let base = if t < g { k - 1 } else { before_start };
            let (mut sum_t, mut n_t, mut sum_c, mut n_c) = (0.0, 0usize, 0.0, 0usize);
            let member = |j: usize| g_of[j] == Some(g);
            let control = |j: usize| g_of[j].is_none_or(|s| s > t && s != g);
            for j in 0..n {
                let d = y_of(j, k) - y_of(j, base);
                if member(j) {
                    sum_t += d;
                    n_t += 1;
                } else if control(j) {
                    sum_c += d;
                    n_c += 1;
                }
            }
            if n_t == 0 || n_c == 0 {
                continue;
            }
            let (mu_t, mu_c) = (sum_t / n_t as f64, sum_c / n_c as f64);
            let inf: Vec<f64> = (0..n)
                .map(|j| {
                    let d = y_of(j, k) - y_of(j, base);
                    if member(j) {
                        nf * (d - mu_t) / n_t as f64
                    } else if control(j) {
                        -nf * (d - mu_c) / n_c as f64
                    } else {
                        0.0
                    }
                })
                .collect();
            // Per cluster, for the bootstrap: residual sums and counts of both groups.
            if let Some(codes) = &cluster_code {
                let mut by_cluster = vec![[0.0f64; 4]; g_count];
                for j in 0..n {
                    let d = y_of(j, k) - y_of(j, base);
                    let c = &mut by_cluster[codes[j]];
                    if member(j) {
                        c[0] += d - mu_t;
                        c[1] += 1.0;
                    } else if control(j) {
                        c[2] += d - mu_c;
                        c[3] += 1.0;
                    }
                }
                parts.push(MeanDifference {
                    n_t: n_t as f64,
                    n_c: n_c as f64,
                    by_cluster,
                });
            }
            cells.push(GroupTime {
                cohort: g,
                wave: t,
                att: mu_t - mu_c,
                se: se_of(&inf),
                treated: n_t,
                controls: n_c,
            });
            infs.push(inf);
        }
    }
    let post: Vec<usize> = (0..cells.len())
        .filter(|c| cells[*c].wave >= cells[*c].cohort)
        .collect();
    if post.is_empty() {
        return None;
    }
    let kind = if clusters.is_some() {
        SeKind::Cluster(g_count)
    } else {
        SeKind::Respondent(g_count)
    };
    let df = g_count as f64 - 1.0;
    let estimate = |value: f64, inf: &[f64]| Estimate::t(value, se_of(inf), kind, df);
    // Cohort shares P(G = g) among the respondents.
    let sizes: Vec<usize> = cohorts
        .iter()
        .map(|g| g_of.iter().filter(|s| **s == Some(*g)).count())
        .collect();
    let cohort_size = |g: u32| cohorts.binary_search(&g).map_or(0, |i| sizes[i]);
    let share = |g: u32| cohort_size(g) as f64 / nf;
    // The weighted average of `atts` (cohort g_k, share p_k) with the influence function of
    // the average, including the estimation of the shares (R `did`'s `wif`).
    let average = |items: &[(u32, f64, &[f64])]| -> (f64, Vec<f64>) {
        let total: f64 = items.iter().map(|(g, _, _)| share(*g)).sum();
        let value = items.iter().map(|(g, a, _)| share(*g) * a).sum::<f64>() / total;
        let mut inf = vec![0.0f64; n];
        for (j, v) in inf.iter_mut().enumerate() {
            let deviation: f64 = items
                .iter()
                .map(|(g, _, _)| f64::from(u8::from(g_of[j] == Some(*g))) - share(*g))
                .sum();
            for (g, a, f) in items {
                let p = share(*g);
                let own = f64::from(u8::from(g_of[j] == Some(*g))) - p;
                let wif = own / total - deviation * p / (total * total);
                *v += p / total * f[j] + wif * a;
            }
        }
        (value, inf)
    };
    let treated_of = |gs: &mut dyn Iterator<Item = u32>| -> usize {
        let mut gs: Vec<u32> = gs.collect();
        gs.sort_unstable();
        gs.dedup();
        gs.into_iter().map(cohort_size).sum()
    };
    // Per cohort: the plain mean of its effects in the programme.
    let mut cohort_effects: Vec<(u32, f64, Vec<f64>)> = Vec::new();
    for &g in &cohorts {
        let own: Vec<usize> = post
            .iter()
            .copied()
            .filter(|c| cells[*c].cohort == g)
            .collect();
        if own.is_empty() {
            continue;
        }
        let m = own.len() as f64;
        let value = own.iter().map(|c| cells[*c].att).sum::<f64>() / m;
        let inf: Vec<f64> = (0..n)
            .map(|j| own.iter().map(|c| infs[*c][j]).sum::<f64>() / m)
            .collect();
        cohort_effects.push((g, value, inf));
    }
    let items: Vec<(u32, f64, &[f64])> = cohort_effects
        .iter()
        .map(|(g, a, f)| (*g, *a, f.as_slice()))
        .collect();
    let (overall_value, overall_inf) = average(&items);
    let overall = Aggregate {
        estimate: estimate(overall_value, &overall_inf),
        treated: treated_of(&mut cohort_effects.iter().map(|c| c.0)),
    };
    let cohorts_out = cohort_effects
        .iter()
        .map(|(g, a, f)| {
            (
                *g,
                Aggregate {
                    estimate: estimate(*a, f),
                    treated: cohort_size(*g),
                },
            )
        })
        .collect();
    // Event times.
    let event = |c: &GroupTime| c.wave as i32 - c.cohort as i32;
    let mut es: Vec<i32> = cells.iter().map(event).collect();
    es.sort_unstable();
    es.dedup();
    let mut profile = Vec::new();
    let mut after_infs: Vec<(f64, Vec<f64>)> = Vec::new();
    let mut before_infs: Vec<(f64, Vec<f64>)> = Vec::new();
    for e in es {
        let items: Vec<(u32, f64, &[f64])> = cells
            .iter()
            .zip(&infs)
            .filter(|(c, _)| event(c) == e)
            .map(|(c, f)| (c.cohort, c.att, f.as_slice()))
            .collect();
        let (value, inf) = average(&items);
        profile.push(EventTime {
            e,
            effect: Aggregate {
                estimate: estimate(value, &inf),
                treated: treated_of(&mut items.iter().map(|i| i.0)),
            },
        });
        if e >= 0 {
            after_infs.push((value, inf));
        } else {
            before_infs.push((value, inf));
        }
    }
    let m = after_infs.len() as f64;
    let average_value = after_infs.iter().map(|a| a.0).sum::<f64>() / m;
    let average_inf: Vec<f64> = (0..n)
        .map(|j| after_infs.iter().map(|a| a.1[j]).sum::<f64>() / m)
        .collect();
    let simple_items: Vec<(u32, f64, &[f64])> = post
        .iter()
        .map(|c| (cells[*c].cohort, cells[*c].att, infs[*c].as_slice()))
        .collect();
    let (simple_value, simple_inf) = average(&simple_items);
    let pre: Vec<(f64, &[f64])> = (0..cells.len())
        .filter(|c| cells[*c].wave < cells[*c].cohort && cells[*c].se > 0.0)
        .map(|c| (cells[c].att, infs[c].as_slice()))
        .collect();
    let codes = cluster_code.as_deref();
    let pretrend_cells = wald(&pre, codes, g_count, nf);
    let before: Vec<(f64, &[f64])> = before_infs
        .iter()
        .map(|(a, f)| (*a, f.as_slice()))
        .collect();
    let pretrend = wald(&before, codes, g_count, nf);
    // The overall effect's weights on the cells in the programme: its cohort's share over the
    // cohorts' total, split equally over the cohort's cells.
    let total_share: f64 = cohort_effects.iter().map(|c| share(c.0)).sum();
    let omega: Vec<f64> = post
        .iter()
        .map(|c| {
            let g = cells[*c].cohort;
            let own = post.iter().filter(|d| cells[**d].cohort == g).count() as f64;
            share(g) / total_share / own
        })
        .collect();
    let boot = match bootstrap {
        Some((weights, draws, seed)) if parts.len() == cells.len() => {
            let post_parts: Vec<MeanDifference> = post
                .iter()
                .map(|c| MeanDifference {
                    n_t: parts[*c].n_t,
                    n_c: parts[*c].n_c,
                    by_cluster: parts[*c].by_cluster.clone(),
                })
                .collect();
            wild_cluster_means(&post_parts, &omega, overall_value, weights, draws, seed)
        }
        _ => None,
    };
    Some(Staggered {
        cells,
        overall,
        cohorts: cohorts_out,
        profile,
        profile_average: estimate(average_value, &average_inf),
        simple: estimate(simple_value, &simple_inf),
        pretrend,
        pretrend_cells,
        units: n,
        cohort_sizes: cohorts.iter().copied().zip(sizes.iter().copied()).collect(),
        never: g_of.iter().filter(|s| s.is_none()).count(),
        dropped,
        waves: present,
        clusters: g_count,
        bootstrap: boot,
    })
}

/// The Wald test that the effects `tested` (value, influence function) are all 0:
/// W = n·a′V⁻¹a with V = S′S/n, S the influence functions summed by cluster (by respondent
/// without `codes`); as F = W/q on (q, G − 1) degrees of freedom.
fn wald(
    tested: &[(f64, &[f64])],
    codes: Option<&[usize]>,
    g_count: usize,
    nf: f64,
) -> Option<WaldTest> {
    let q = tested.len();
    if q == 0 {
        return None;
    }
    let sums: Vec<Vec<f64>> = tested
        .iter()
        .map(|(_, inf)| match codes {
            Some(codes) => {
                let mut s = vec![0.0f64; g_count];
                for (v, g) in inf.iter().zip(codes) {
                    s[*g] += v;
                }
                s
            }
            None => inf.to_vec(),
        })
        .collect();
    let v: Vec<Vec<f64>> = (0..q)
        .map(|a| {
            (0..q)
                .map(|b| {
                    sums[a]
                        .iter()
                        .zip(&sums[b])
                        .map(|(x, y)| x * y)
                        .sum::<f64>()
                        / nf
                })
                .collect()
        })
        .collect();
    let vi = invert(&v)?;
    let att: Vec<f64> = tested.iter().map(|t| t.0).collect();
    let w: f64 = nf
        * (0..q)
            .map(|a| (0..q).map(|b| att[a] * vi[a][b] * att[b]).sum::<f64>())
            .sum::<f64>();
    let df2 = g_count as f64 - 1.0;
    let f = w / q as f64;
    let dist = FisherSnedecor::new(q as f64, df2).ok()?;
    Some(WaldTest {
        f,
        df1: q,
        df2,
        p: 1.0 - dist.cdf(f),
    })
}
