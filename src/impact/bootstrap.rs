//! The wild cluster bootstrap of a 2x2 difference-in-differences, for few clusters: the
//! restricted ("null imposed") wild cluster bootstrap-t of Cameron, Gelbach and Miller (2008) with
//! CRV1 standard errors (WCR11 in MacKinnon, Nielsen and Webb's terms), its p-value, and the 95%
//! interval by test inversion. Webb's six-point weights by default; Rademacher weights with full
//! enumeration when 2^G draws are no more than asked for (as the `wildboottest` package does).
//!
//! The model is the saturated `y ~ treated + post + treated:post`, so everything follows from
//! per-cluster sums in each of the four cells: Σw and Σw·y.

use rand_chacha::ChaCha8Rng;
use rand_chacha::rand_core::{RngCore, SeedableRng};

/// The four cells in a fixed order: comparison before, comparison after, participants before,
/// participants after; and their sign in the DiD (t1 − t0 − c1 + c0).
const SIGN: [f64; 4] = [1.0, -1.0, -1.0, 1.0];

/// One cluster's sums in each cell, in the order c0, c1, t0, t1: (Σw, Σw·y).
pub type ClusterCells = [(f64, f64); 4];

/// The bootstrap weights.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Weights {
    /// Webb's six-point distribution: ±√(1/2), ±1, ±√(3/2), each with probability 1/6.
    Webb,
    /// ±1 with probability 1/2 (enumerated in full when 2^G ≤ draws).
    Rademacher,
}

/// What the bootstrap gives for the interaction (the DiD).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct WildBootstrap {
    /// Two-sided p-value (0–1) of DiD = 0: the share of bootstrap |t*| at least the sample's
    /// |t| (ties within 1e-9 relative count).
    pub p: f64,
    /// The share strictly above (ties within 1e-9 relative do not count). Reference packages
    /// land on either side of a tie by floating-point chance: `wildboottest` counts the 160
    /// exact ties of one test panel in one regression and not in another.
    pub p_strict: f64,
    /// Lower bound of the 95% interval by test inversion, in the outcome's unit.
    pub lo: f64,
    /// Upper bound of the same interval.
    pub hi: f64,
    /// Number of bootstrap draws.
    pub draws: usize,
    /// True when every weight vector was enumerated (Rademacher, 2^G ≤ draws).
    pub enumerated: bool,
    /// The weights used.
    pub weights: Weights,
    /// The seed of the weights' random generator (ChaCha8).
    pub seed: u64,
    /// False when the set of effects the bootstrap does not reject is unbounded or not one
    /// interval (participants in very few clusters): no interval or verdict can be given.
    pub bounded: bool,
}

/// What the bootstrap needs for any null value β0. The restricted residuals are linear in β0
/// (A(β0) = A0 − β0·A1, A1 being the restricted residuals of the indicator treated·post), so
/// each draw's β* − β0 and Σ_g u_g*² are a line and a quadratic in β0: five numbers per draw,
/// computed once, and every p(β0) of the interval search costs one pass over the draws.
struct Setup {
    /// The sample's DiD (β̂).
    did: f64,
    /// The sample's Σ_g u_g² (CRV1 without its constant factor), the same for every β0.
    u2: f64,
    /// Per draw: β*₀, β*₁, S00, S01, S11 with β* − β0 = β*₀ − β0·β*₁ and
    /// Σ u*² = S00 − 2β0·S01 + β0²·S11.
    draws: Vec<[f64; 5]>,
}

impl Setup {
    fn new(clusters: &[ClusterCells], total_w: [f64; 4], v: &[Vec<f64>]) -> Setup {
        let mean: [f64; 4] =
            std::array::from_fn(|c| clusters.iter().map(|g| g[c].1).sum::<f64>() / total_w[c]);
        let did: f64 = (0..4).map(|c| SIGN[c] * mean[c]).sum();
        let k: [f64; 4] = std::array::from_fn(|c| SIGN[c] / total_w[c]);
        let u2: f64 = clusters
            .iter()
            .map(|g| {
                let u: f64 = (0..4).map(|c| k[c] * (g[c].1 - mean[c] * g[c].0)).sum();
                u * u
            })
            .sum();
        // Restricted fits (treated + post) of y and of the indicator treated·post.
        let fit0 = additive_fit(clusters, &total_w);
        let indicator: Vec<ClusterCells> = clusters
            .iter()
            .map(|g| std::array::from_fn(|c| (g[c].0, if c == 3 { g[c].0 } else { 0.0 })))
            .collect();
        let fit1 = additive_fit(&indicator, &total_w);
        let g_count = clusters.len();
        let mut a0 = vec![0.0f64; g_count * 4];
        let mut a1 = vec![0.0f64; g_count * 4];
        let mut w = vec![0.0f64; g_count * 4];
        for (g, cells) in clusters.iter().enumerate() {
            for c in 0..4 {
                let (sw, swy) = cells[c];
                a0[g * 4 + c] = swy - fit0[c] * sw;
                a1[g * 4 + c] = (if c == 3 { sw } else { 0.0 }) - fit1[c] * sw;
                w[g * 4 + c] = sw;
            }
        }
        let draws = v
            .iter()
            .map(|v| {
                let (mut b0, mut b1) = ([0.0f64; 4], [0.0f64; 4]);
                for g in 0..g_count {
                    for c in 0..4 {
                        b0[c] += v[g] * a0[g * 4 + c];
                        b1[c] += v[g] * a1[g * 4 + c];
                    }
                }
                let (mut beta0, mut beta1) = (0.0, 0.0);
                for c in 0..4 {
                    b0[c] /= total_w[c];
                    b1[c] /= total_w[c];
                    beta0 += SIGN[c] * b0[c];
                    beta1 += SIGN[c] * b1[c];
                }
                draw(
                    (beta0, beta1),
                    v.iter().enumerate().map(|(g, vg)| {
                        let (mut u0, mut u1) = (0.0, 0.0);
                        for c in 0..4 {
                            let i = g * 4 + c;
                            u0 += k[c] * (vg * a0[i] - w[i] * b0[c]);
                            u1 += k[c] * (vg * a1[i] - w[i] * b1[c]);
                        }
                        (u0, u1)
                    }),
                )
            })
            .collect();
        Setup { did, u2, draws }
    }

    /// The bootstrap p-value of DiD = `beta0`: the share of draws with |t*| at least |t|
    /// (`strict`: strictly above). Equal within 1e-9 relative counts as a tie.
    fn p_value_of(&self, beta0: f64, strict: bool) -> f64 {
        let t = (self.did - beta0) / self.u2.sqrt();
        let bound = if strict {
            t.abs() * (1.0 + 1e-9)
        } else {
            t.abs() * (1.0 - 1e-9)
        };
        let counted = self
            .draws
            .iter()
            .filter(|[b0, b1, s00, s01, s11]| {
                let beta = b0 - beta0 * b1;
                let u2 = (s00 - 2.0 * beta0 * s01 + beta0 * beta0 * s11).max(0.0);
                let t_star = (beta / u2.sqrt()).abs();
                if strict {
                    t_star > bound
                } else {
                    t_star >= bound
                }
            })
            .count();
        counted as f64 / self.draws.len() as f64
    }

    /// The share of draws still counted at [`FAR`] standard errors from the estimate, from each
    /// draw's leading terms: with t = (β̂ − β0)/√u2 and t* = (β*₀ − β0·β*₁)/√(S00 − 2β0·S01 +
    /// β0²·S11), far out |t| is the distance in standard errors and |t*| tends to |β*₁|/√S11,
    /// so a draw counts when |β*₁| ≥ FAR·√S11 (S11 zero in exact arithmetic: |t*| unbounded,
    /// which rounding would hide if p were computed at such β0 directly). At least 0.05: the
    /// set of non-rejected effects is unbounded for all practical purposes.
    fn p_far(&self) -> f64 {
        let counted = self
            .draws
            .iter()
            .filter(|[_, b1, _, _, s11]| b1.abs() >= FAR * s11.max(0.0).sqrt())
            .count();
        counted as f64 / self.draws.len() as f64
    }

    /// The published p-value: draws whose |t*| ties with |t| in exact arithmetic count as at
    /// least as extreme (the randomization-test convention: the sample's own weight vector,
    /// v = 1, is among the draws, so p is never 0 under full enumeration).
    fn p_value(&self, beta0: f64) -> f64 {
        self.p_value_of(beta0, false)
    }
}

/// One draw as [`Setup`] keeps it: β*₀ and β*₁, and the sums S00, S01, S11 of the clusters'
/// score projections q(β0) = q0 − β0·q1 (given per cluster as (q0, q1)).
fn draw(beta: (f64, f64), scores: impl Iterator<Item = (f64, f64)>) -> [f64; 5] {
    let (mut s00, mut s01, mut s11) = (0.0, 0.0, 0.0);
    for (q0, q1) in scores {
        s00 += q0 * q0;
        s01 += q0 * q1;
        s11 += q1 * q1;
    }
    [beta.0, beta.1, s00, s01, s11]
}

/// Fitted cell values of the additive model `y ~ 1 + treated + post`, weighted least squares
/// on the four cell means with weights Σw (the within-cell part does not move the fit).
fn additive_fit(sums: &[ClusterCells], total_w: &[f64; 4]) -> [f64; 4] {
    let mean: [f64; 4] =
        std::array::from_fn(|c| sums.iter().map(|g| g[c].1).sum::<f64>() / total_w[c]);
    // Design rows (1, treated, post) for c0, c1, t0, t1.
    let x = [
        [1.0, 0.0, 0.0],
        [1.0, 0.0, 1.0],
        [1.0, 1.0, 0.0],
        [1.0, 1.0, 1.0],
    ];
    let mut xtx = [[0.0f64; 3]; 3];
    let mut xty = [0.0f64; 3];
    for c in 0..4 {
        for i in 0..3 {
            xty[i] += total_w[c] * x[c][i] * mean[c];
            for j in 0..3 {
                xtx[i][j] += total_w[c] * x[c][i] * x[c][j];
            }
        }
    }
    let b = solve3(xtx, xty);
    std::array::from_fn(|c| (0..3).map(|i| x[c][i] * b[i]).sum())
}

/// The solution of a 3x3 linear system by Cramer's rule.
fn solve3(m: [[f64; 3]; 3], y: [f64; 3]) -> [f64; 3] {
    let det = |m: &[[f64; 3]; 3]| {
        m[0][0] * (m[1][1] * m[2][2] - m[1][2] * m[2][1])
            - m[0][1] * (m[1][0] * m[2][2] - m[1][2] * m[2][0])
            + m[0][2] * (m[1][0] * m[2][1] - m[1][1] * m[2][0])
    };
    let d = det(&m);
    std::array::from_fn(|k| {
        let mut mk = m;
        for r in 0..3 {
            mk[r][k] = y[r];
        }
        det(&mk) / d
    })
}

/// The weight vectors: every ±1 vector when Rademacher and 2^G ≤ `draws`, else `draws` random
/// vectors from a ChaCha8 generator seeded with `seed`.
fn draws(g: usize, draws: usize, weights: Weights, seed: u64) -> (Vec<Vec<f64>>, bool) {
    if weights == Weights::Rademacher && g < 63 && (1usize << g) <= draws {
        let all = (0..1usize << g)
            .map(|bits| {
                (0..g)
                    .map(|k| if bits >> k & 1 == 1 { 1.0 } else { -1.0 })
                    .collect()
            })
            .collect();
        return (all, true);
    }
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let webb = [
        -(1.5f64.sqrt()),
        -1.0,
        -(0.5f64.sqrt()),
        0.5f64.sqrt(),
        1.0,
        1.5f64.sqrt(),
    ];
    let v = (0..draws)
        .map(|_| {
            (0..g)
                .map(|_| match weights {
                    // 2^64 is not a multiple of 6; the bias is below 1e-18.
                    Weights::Webb => webb[(rng.next_u64() % 6) as usize],
                    Weights::Rademacher => {
                        if rng.next_u64() & 1 == 1 {
                            1.0
                        } else {
                            -1.0
                        }
                    }
                })
                .collect()
        })
        .collect();
    (v, false)
}

/// The wild cluster bootstrap of the DiD from each cluster's cell sums (at least two clusters):
/// the p-value of DiD = 0 and the 95% interval {β0 : p(β0) ≥ 0.05}, found by bisection to
/// 1e-6 of the cluster-robust standard error. `None` with fewer than two clusters or an empty
/// cell.
pub fn wild_cluster(
    clusters: &[ClusterCells],
    weights: Weights,
    draws_wanted: usize,
    seed: u64,
) -> Option<WildBootstrap> {
    let total_w: [f64; 4] = std::array::from_fn(|c| clusters.iter().map(|g| g[c].0).sum());
    if clusters.len() < 2 || total_w.iter().any(|w| *w <= 0.0) {
        return None;
    }
    let (v, enumerated) = draws(clusters.len(), draws_wanted, weights, seed);
    let setup = Setup::new(clusters, total_w, &v);
    Some(finish(&setup, enumerated, weights, seed))
}

/// How far from the estimate, in standard errors, the interval search goes: beyond, a set of
/// non-rejected effects counts as unbounded.
const FAR: f64 = 1e6;

/// The p-value of 0 and the 95% interval {β0 : p(β0) ≥ 0.05}, its ends found by bisection to
/// 1e-6 of the cluster-robust standard error. With very few clusters the set need not be an
/// interval: it can be unbounded (p at [`FAR`] standard errors is at least 0.05, computed from
/// each draw's leading terms, since so far out rounding makes exact ties look unequal; the
/// search stops there too) or have gaps (p falls below 0.05 and
/// rises again); then `bounded` is false, the ends are infinite when unbounded, and no interval
/// should be published.
fn finish(setup: &Setup, enumerated: bool, weights: Weights, seed: u64) -> WildBootstrap {
    let (did, scale) = (setup.did, setup.u2.sqrt().max(f64::MIN_POSITIVE));
    let p = setup.p_value(0.0);
    let unbounded = setup.p_far() >= 0.05;
    // The interval's ends: where p(β0) crosses 0.05, searched outwards from the estimate.
    let end = |direction: f64| -> Option<f64> {
        if unbounded {
            return None;
        }
        let mut step = scale;
        let mut outside = did + direction * step;
        while setup.p_value(outside) >= 0.05 {
            if step > FAR * scale {
                return None;
            }
            step *= 2.0;
            outside = did + direction * step;
        }
        let (mut a, mut b) = (did, outside);
        for _ in 0..200 {
            if (b - a).abs() <= 1e-6 * scale {
                break;
            }
            let mid = 0.5 * (a + b);
            if setup.p_value(mid) >= 0.05 {
                a = mid;
            } else {
                b = mid;
            }
        }
        Some(0.5 * (a + b))
    };
    let (lo, hi) = (end(-1.0), end(1.0));
    // Gaps: p back at or above 0.05 beyond an end (a coarse scan to ten times its distance),
    // or a p-value of 0 that disagrees with the interval.
    let gap_beyond = |e: f64| {
        let d = e - did;
        (1..=40).any(|k| setup.p_value(e + d * f64::from(k) * 0.25) >= 0.05)
    };
    let (lo_v, hi_v) = (lo.unwrap_or(f64::NEG_INFINITY), hi.unwrap_or(f64::INFINITY));
    let bounded = lo.is_some()
        && hi.is_some()
        && !gap_beyond(lo_v)
        && !gap_beyond(hi_v)
        && (p < 0.05) == (lo_v > 0.0 || hi_v < 0.0);
    WildBootstrap {
        p,
        p_strict: setup.p_value_of(0.0, true),
        lo: lo_v,
        hi: hi_v,
        draws: setup.draws.len(),
        enumerated,
        weights,
        seed,
        bounded,
    }
}

/// A weighted least-squares regression, row by row, for [`wild_cluster_regression`].
pub struct LeastSquares<'a> {
    /// Regressors, `p` per row (after any within transformation).
    pub x: &'a [f64],
    /// Number of regressors.
    pub p: usize,
    /// Answers.
    pub y: &'a [f64],
    /// Weights (positive).
    pub w: &'a [f64],
    /// Cluster of each row (any u32 codes).
    pub clusters: &'a [u32],
}

/// The same bootstrap (WCR, CRV1 t, null imposed) for coefficient `j` of any weighted
/// least-squares regression. With M = (X′WX)⁻¹, a = row j of M, the restricted residuals
/// ũ(β0) = A0 − β0·A1 (A0, A1: residuals of y and of x_j on the other regressors) and the
/// per-cluster sums s_g = Σ w·x·ũ and H_g = Σ w·x·x′, a draw v gives β* − β0 = a′Σ v_g s_g and
/// the cluster scores' projections a′u*_g = v_g·a′s_g − (M·H_g·a)′Σ_c v_c s_c (Roodman,
/// MacKinnon, Nielsen and Webb 2019, "Fast and wild"). With unit fixed effects removed by the
/// within transformation this equals the regression with unit dummies when each unit lies in
/// one cluster. `None` with fewer than two clusters or a singular X′WX.
pub fn wild_cluster_regression(
    ls: &LeastSquares,
    j: usize,
    weights: Weights,
    draws_wanted: usize,
    seed: u64,
) -> Option<WildBootstrap> {
    let (p, n) = (ls.p, ls.y.len());
    let row = |i: usize| &ls.x[i * p..(i + 1) * p];
    // Dense cluster codes.
    let mut code = std::collections::BTreeMap::new();
    for c in ls.clusters {
        let next = code.len();
        code.entry(*c).or_insert(next);
    }
    let g_count = code.len();
    if g_count < 2 || j >= p {
        return None;
    }
    let cluster = |i: usize| code[&ls.clusters[i]];
    let gram = |cols: &[usize]| -> Vec<Vec<f64>> {
        let mut m = vec![vec![0.0f64; cols.len()]; cols.len()];
        for i in 0..n {
            let x = row(i);
            for (a, ca) in cols.iter().enumerate() {
                for (b, cb) in cols.iter().enumerate() {
                    m[a][b] += ls.w[i] * x[*ca] * x[*cb];
                }
            }
        }
        m
    };
    let all: Vec<usize> = (0..p).collect();
    let rest: Vec<usize> = (0..p).filter(|c| *c != j).collect();
    let m_full = super::event_study::invert(&gram(&all))?;
    let m_rest = if rest.is_empty() {
        Vec::new()
    } else {
        super::event_study::invert(&gram(&rest))?
    };
    // Residuals of `target` on the other regressors.
    let residuals = |target: &dyn Fn(usize) -> f64| -> Vec<f64> {
        let mut xtv = vec![0.0f64; rest.len()];
        for i in 0..n {
            let x = row(i);
            for (a, c) in rest.iter().enumerate() {
                xtv[a] += ls.w[i] * x[*c] * target(i);
            }
        }
        let b: Vec<f64> = (0..rest.len())
            .map(|a| (0..rest.len()).map(|c| m_rest[a][c] * xtv[c]).sum())
            .collect();
        (0..n)
            .map(|i| {
                let x = row(i);
                target(i)
                    - rest
                        .iter()
                        .enumerate()
                        .map(|(a, c)| x[*c] * b[a])
                        .sum::<f64>()
            })
            .collect()
    };
    let a0 = residuals(&|i| ls.y[i]);
    let a1 = residuals(&|i| row(i)[j]);
    let a = &m_full[j];
    // The unrestricted fit for the sample's t.
    let mut xty = vec![0.0f64; p];
    for i in 0..n {
        for (sum, x) in xty.iter_mut().zip(row(i)) {
            *sum += ls.w[i] * x * ls.y[i];
        }
    }
    let beta: Vec<f64> = (0..p)
        .map(|c| (0..p).map(|d| m_full[c][d] * xty[d]).sum())
        .collect();
    let mut s0 = vec![0.0f64; g_count * p];
    let mut s1 = vec![0.0f64; g_count * p];
    let mut u = vec![0.0f64; g_count * p];
    let mut h = vec![0.0f64; g_count * p * p];
    for i in 0..n {
        let (g, x, wi) = (cluster(i), row(i), ls.w[i]);
        let e = ls.y[i] - (0..p).map(|c| x[c] * beta[c]).sum::<f64>();
        for c in 0..p {
            s0[g * p + c] += wi * x[c] * a0[i];
            s1[g * p + c] += wi * x[c] * a1[i];
            u[g * p + c] += wi * x[c] * e;
            for d in 0..p {
                h[(g * p + c) * p + d] += wi * x[c] * x[d];
            }
        }
    }
    let dot = |v: &[f64]| -> f64 { (0..p).map(|c| a[c] * v[c]).sum() };
    let u2: f64 = (0..g_count)
        .map(|g| dot(&u[g * p..(g + 1) * p]).powi(2))
        .sum();
    let as0: Vec<f64> = (0..g_count).map(|g| dot(&s0[g * p..(g + 1) * p])).collect();
    let as1: Vec<f64> = (0..g_count).map(|g| dot(&s1[g * p..(g + 1) * p])).collect();
    // c_g = M·H_g·a.
    let cg: Vec<f64> = (0..g_count)
        .flat_map(|g| {
            let hg = &h[g * p * p..(g + 1) * p * p];
            let ha: Vec<f64> = (0..p)
                .map(|c| (0..p).map(|d| hg[c * p + d] * a[d]).sum())
                .collect();
            (0..p)
                .map(|c| (0..p).map(|d| m_full[c][d] * ha[d]).sum::<f64>())
                .collect::<Vec<f64>>()
        })
        .collect();
    let (v, enumerated) = draws(g_count, draws_wanted, weights, seed);
    let draws = v
        .iter()
        .map(|v| {
            let (mut t0, mut t1) = (vec![0.0f64; p], vec![0.0f64; p]);
            for g in 0..g_count {
                for c in 0..p {
                    t0[c] += v[g] * s0[g * p + c];
                    t1[c] += v[g] * s1[g * p + c];
                }
            }
            let (beta0, beta1) = (dot(&t0), dot(&t1));
            draw(
                (beta0, beta1),
                (0..g_count).map(|g| {
                    let c = &cg[g * p..(g + 1) * p];
                    (
                        v[g] * as0[g] - (0..p).map(|k| c[k] * t0[k]).sum::<f64>(),
                        v[g] * as1[g] - (0..p).map(|k| c[k] * t1[k]).sum::<f64>(),
                    )
                }),
            )
        })
        .collect();
    let setup = Setup {
        did: beta[j],
        u2,
        draws,
    };
    Some(finish(&setup, enumerated, weights, seed))
}

/// One difference in means of a stacked regression for [`wild_cluster_means`]: the
/// participants' and the comparison's counts, and per cluster (dense codes 0..G) the sums of
/// their residuals from their own mean and their counts: [Σ(y − μ_T), N_T, Σ(y − μ_C), N_C].
pub struct MeanDifference {
    /// Participants in the difference (n_T).
    pub n_t: f64,
    /// Comparison rows in it (n_C).
    pub n_c: f64,
    /// Per cluster: [Σ(y − μ_T), N_T, Σ(y − μ_C), N_C] over its rows.
    pub by_cluster: Vec<[f64; 4]>,
}

/// The same bootstrap for θ = Σ_k ω_k·(μ_Tk − μ_Ck), a fixed-weight combination of differences
/// in means (each the slope of its own regression y ~ 1 + D, the regressions stacked, errors
/// clustered across them). The null θ = θ0 is imposed by constrained least squares: with
/// Λ = Σ ω_k²(1/n_Tk + 1/n_Ck) and λ = (θ̂ − θ0)/Λ, the restricted residuals are the
/// unrestricted ones plus ω_k·λ/n_Tk (participants) or minus ω_k·λ/n_Ck (comparison), so
/// everything follows from the per-cluster sums. `estimate` is θ̂. `None` with fewer than two
/// clusters or an empty group.
pub fn wild_cluster_means(
    parts: &[MeanDifference],
    omega: &[f64],
    estimate: f64,
    weights: Weights,
    draws_wanted: usize,
    seed: u64,
) -> Option<WildBootstrap> {
    let g_count = parts.first().map_or(0, |p| p.by_cluster.len());
    if g_count < 2
        || parts.len() != omega.len()
        || parts.iter().any(|p| p.n_t <= 0.0 || p.n_c <= 0.0)
    {
        return None;
    }
    let lambda_scale: f64 = parts
        .iter()
        .zip(omega)
        .map(|(p, w)| w * w * (1.0 / p.n_t + 1.0 / p.n_c))
        .sum();
    // Per part and cluster: U(θ0) = U0 − θ0·U1 for participants (T) and comparison (C).
    let k_count = parts.len();
    let mut u0 = vec![[0.0f64; 2]; k_count * g_count];
    let mut u1 = vec![[0.0f64; 2]; k_count * g_count];
    let mut counts = vec![[0.0f64; 2]; k_count * g_count];
    let mut sample = vec![0.0f64; g_count];
    for (k, (p, w)) in parts.iter().zip(omega).enumerate() {
        for (g, [rt, nt, rc, nc]) in p.by_cluster.iter().enumerate() {
            let kappa = [nt * w / p.n_t, -nc * w / p.n_c];
            let i = k * g_count + g;
            u0[i] = [
                rt + kappa[0] * estimate / lambda_scale,
                rc + kappa[1] * estimate / lambda_scale,
            ];
            u1[i] = [kappa[0] / lambda_scale, kappa[1] / lambda_scale];
            counts[i] = [*nt, *nc];
            sample[g] += w * (rt / p.n_t - rc / p.n_c);
        }
    }
    let u2: f64 = sample.iter().map(|u| u * u).sum();
    let (v, enumerated) = draws(g_count, draws_wanted, weights, seed);
    let draws = v
        .iter()
        .map(|v| {
            // m*_k for T and C, as a line in θ0.
            let mut m0 = vec![[0.0f64; 2]; k_count];
            let mut m1 = vec![[0.0f64; 2]; k_count];
            for (k, p) in parts.iter().enumerate() {
                let n = [p.n_t, p.n_c];
                for (g, vg) in v.iter().enumerate() {
                    let i = k * g_count + g;
                    for side in 0..2 {
                        m0[k][side] += vg * u0[i][side] / n[side];
                        m1[k][side] += vg * u1[i][side] / n[side];
                    }
                }
            }
            let beta0: f64 = (0..k_count).map(|k| omega[k] * (m0[k][0] - m0[k][1])).sum();
            let beta1: f64 = (0..k_count).map(|k| omega[k] * (m1[k][0] - m1[k][1])).sum();
            draw(
                (beta0, beta1),
                v.iter().enumerate().map(|(g, vg)| {
                    let (mut q0, mut q1) = (0.0, 0.0);
                    for (k, p) in parts.iter().enumerate() {
                        let i = k * g_count + g;
                        let n = [p.n_t, p.n_c];
                        for (side, sign) in [(0, 1.0), (1, -1.0)] {
                            let e0 = vg * u0[i][side] - counts[i][side] * m0[k][side];
                            let e1 = vg * u1[i][side] - counts[i][side] * m1[k][side];
                            q0 += sign * omega[k] * e0 / n[side];
                            q1 += sign * omega[k] * e1 / n[side];
                        }
                    }
                    (q0, q1)
                }),
            )
        })
        .collect();
    let setup = Setup {
        did: estimate,
        u2,
        draws,
    };
    Some(finish(&setup, enumerated, weights, seed))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_restricted_fit_is_the_additive_model() {
        // Cell means 1, 3, 2, 10 with equal weights: the additive fit has no interaction.
        let cells: ClusterCells = [(1.0, 1.0), (1.0, 3.0), (1.0, 2.0), (1.0, 10.0)];
        let f = additive_fit(&[cells], &[1.0; 4]);
        let interaction = f[3] - f[2] - f[1] + f[0];
        assert!(interaction.abs() < 1e-12, "{f:?}");
    }

    #[test]
    fn rademacher_weights_are_enumerated_when_few_clusters() {
        let (v, all) = draws(3, 9999, Weights::Rademacher, 1);
        assert!(all);
        assert_eq!(v.len(), 8);
        let (v, all) = draws(3, 100, Weights::Webb, 1);
        assert!(!all && v.len() == 100);
        assert!(
            v.iter()
                .flatten()
                .all(|w| [0.5f64, 1.0, 1.5].iter().any(|a| (w * w - a).abs() < 1e-12))
        );
    }
}
