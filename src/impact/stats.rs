//! The estimators, on cell summaries: the 2x2 difference-in-differences as OLS
//! `y ~ treated + post + treated:post` with HC1 or cluster-robust standard errors, Welch's
//! difference of means, the difference of proportions, and BPS reliability flags. The
//! results equal statsmodels' (`OLS(...).fit(cov_type='HC1')` / `'cluster'`), which the tests
//! check on published and generated data.

use statrs::distribution::{ContinuousCDF, Normal, StudentsT};

/// The 97.5% normal quantile: statsmodels' robust fits use the normal distribution for intervals.
pub const Z95: f64 = 1.959963984540054;

/// Summary of one group in one wave for one outcome.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Cell {
    /// Number of respondents (rows) in the cell who answered the outcome.
    pub n: u64,
    /// Sum of weights (n when unweighted).
    pub sum_w: f64,
    /// (Weighted) mean.
    pub mean: f64,
    /// Unweighted sample standard deviation (n - 1).
    pub sd: f64,
    /// Sum of squared weighted residuals, Σ (w·(y − mean))².
    pub sum_we2: f64,
}

/// Which standard error an estimate carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SeKind {
    /// Heteroskedasticity-robust, HC1.
    Hc1,
    /// Clustered by respondent (panel), with the number of clusters.
    Respondent(usize),
    /// Clustered by the declared cluster column, with the number of clusters.
    Cluster(usize),
}

impl SeKind {
    /// Degrees of freedom of the t distribution used for the interval and p-value of a
    /// coefficient with this standard error, on `n` observations and `k` parameters: n − k for
    /// HC1, G − 1 for cluster-robust errors with G clusters (Stata's convention, and
    /// statsmodels' with `use_t=True`).
    pub fn df(self, n: u64, k: u64) -> f64 {
        match self {
            SeKind::Hc1 => n as f64 - k as f64,
            SeKind::Respondent(g) | SeKind::Cluster(g) => g as f64 - 1.0,
        }
    }

    /// Stable name for downloads: `hc1`, `cluster_respondent`, `cluster`.
    pub fn key(self) -> &'static str {
        match self {
            SeKind::Hc1 => "hc1",
            SeKind::Respondent(_) => "cluster_respondent",
            SeKind::Cluster(_) => "cluster",
        }
    }

    /// The number of clusters, when clustered.
    pub fn clusters(self) -> Option<usize> {
        match self {
            SeKind::Hc1 => None,
            SeKind::Respondent(g) | SeKind::Cluster(g) => Some(g),
        }
    }
}

impl From<crate::impact::config::SeChoice> for SeKind {
    /// The kind a declaration asks for (cluster counts unknown: 0).
    fn from(c: crate::impact::config::SeChoice) -> SeKind {
        use crate::impact::config::SeChoice;
        match c {
            SeChoice::Hc1 => SeKind::Hc1,
            SeChoice::Respondent => SeKind::Respondent(0),
            SeChoice::Cluster => SeKind::Cluster(0),
        }
    }
}

/// An estimate with its standard error and 95% interval.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Estimate {
    /// The point estimate, in the outcome's unit (rupiah, points, ...; a share 0–1 for binary
    /// outcomes).
    pub value: f64,
    /// Its standard error, of the kind named by `kind`, in the same unit as `value`.
    pub se: f64,
    /// Lower bound of the 95% confidence interval, `value − 1.96·se` (normal), same unit as
    /// `value`.
    pub lo: f64,
    /// Upper bound of the 95% confidence interval, `value + 1.96·se` (normal), same unit as
    /// `value`.
    pub hi: f64,
    /// Which standard error `se` is: HC1, or cluster-robust by respondent or by the declared
    /// cluster column.
    pub kind: SeKind,
    /// Degrees of freedom of the t distribution of the interval and p-value (infinite for a
    /// normal interval).
    pub df: f64,
    /// Two-sided p-value (0–1) of the hypothesis that the effect is zero.
    pub p: f64,
}

impl Estimate {
    /// An estimate with its 95% confidence interval and p-value from Student's t on `df`
    /// degrees of freedom: value ± t(0.975, df)·se (statsmodels' `use_t=True`). With df not
    /// above 0 (no information left) the interval is unbounded and p = 1. With a standard
    /// error of zero (up to rounding: at most 1e-12 of the value) there is no interval and no
    /// p-value (NaN): nothing is claimed.
    pub fn t(value: f64, se: f64, kind: SeKind, df: f64) -> Estimate {
        let spread = se > 0.0 && se > 1e-12 * value.abs();
        let (lo, hi, p) = match StudentsT::new(0.0, 1.0, df) {
            Ok(dist) if df > 0.0 && spread => {
                let q = dist.inverse_cdf(0.975);
                (
                    value - q * se,
                    value + q * se,
                    2.0 * dist.cdf(-(value / se).abs()),
                )
            }
            // No spread at all: no interval, and nothing is claimed.
            Ok(_) if df > 0.0 => (f64::NAN, f64::NAN, f64::NAN),
            _ => (f64::NEG_INFINITY, f64::INFINITY, 1.0),
        };
        Estimate {
            value,
            se,
            lo,
            hi,
            kind,
            df,
            p,
        }
    }

    /// An estimate with its 95% confidence interval from the normal distribution,
    /// value ± [`Z95`]·se, as statsmodels' robust fits report it.
    pub fn normal(value: f64, se: f64, kind: SeKind) -> Estimate {
        let p = if se > 0.0 {
            2.0 * Normal::standard().cdf(-(value / se).abs())
        } else {
            1.0
        };
        Estimate {
            value,
            se,
            lo: value - Z95 * se,
            hi: value + Z95 * se,
            kind,
            df: f64::INFINITY,
            p,
        }
    }

    /// Relative standard error, SE / |estimate|.
    pub fn rse(&self) -> f64 {
        if self.value == 0.0 {
            f64::INFINITY
        } else {
            self.se / self.value.abs()
        }
    }

    /// BPS's reliability band for this estimate's relative standard error (see
    /// [`Reliability::of`]).
    pub fn reliability(&self) -> Reliability {
        Reliability::of(self.rse())
    }

    /// Whether the interval excludes zero (and the p-value is under 0.05).
    pub fn significant(&self) -> bool {
        self.p < 0.05 && (self.lo > 0.0 || self.hi < 0.0)
    }
}

/// BPS's reading of the relative standard error.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reliability {
    /// RSE up to 25%.
    Reliable,
    /// 25% to 50%: use with caution.
    Caution,
    /// Above 50%: not reliable.
    Unreliable,
}

impl Reliability {
    /// The BPS band of a relative standard error given as a fraction (0.25 = 25%): up to 0.25
    /// reliable, up to 0.5 use with caution, above that (or infinite) not reliable.
    pub fn of(rse: f64) -> Reliability {
        if rse <= 0.25 {
            Reliability::Reliable
        } else if rse <= 0.5 {
            Reliability::Caution
        } else {
            Reliability::Unreliable
        }
    }
}

/// The four cells of a 2x2 design: comparison before/after, participants before/after.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct TwoByTwo {
    /// Comparison group in the wave before the programme.
    pub c0: Cell,
    /// Comparison group in the wave after the programme.
    pub c1: Cell,
    /// Participants in the wave before the programme.
    pub t0: Cell,
    /// Participants in the wave after the programme.
    pub t1: Cell,
}

impl TwoByTwo {
    /// Total number of respondents (rows) in the four cells; a respondent answering both waves
    /// counts twice.
    pub fn n(&self) -> u64 {
        self.c0.n + self.c1.n + self.t0.n + self.t1.n
    }

    /// Number of respondents in the smallest of the four cells, the count small-cell suppression
    /// checks.
    pub fn smallest(&self) -> u64 {
        self.c0.n.min(self.c1.n).min(self.t0.n).min(self.t1.n)
    }

    /// (T1 − T0) − (C1 − C0), the OLS interaction coefficient of the saturated model.
    pub fn did(&self) -> f64 {
        (self.t1.mean - self.t0.mean) - (self.c1.mean - self.c0.mean)
    }

    /// HC1 standard error of the interaction: in the saturated model the sandwich reduces to
    /// Σ_cells Σ(w·e)² / (Σw)², times n / (n − 4).
    pub fn se_hc1(&self) -> f64 {
        let n = self.n() as f64;
        let hc0: f64 = [self.c0, self.c1, self.t0, self.t1]
            .iter()
            .map(|c| c.sum_we2 / (c.sum_w * c.sum_w))
            .sum();
        (hc0 * n / (n - 4.0)).sqrt()
    }
}

/// Cluster-robust standard error from Σ_g u_g² over `g` clusters, where u_g sums each
/// observation's influence s·w·e/Σw_cell on the interaction (s = +1 for participants after and
/// comparison before, −1 otherwise); statsmodels' correction g/(g−1)·(n−1)/(n−k), k = 4.
pub fn se_cluster(sum_u2: f64, g: usize, n: u64) -> f64 {
    let (g, n) = (g as f64, n as f64);
    (sum_u2 * g / (g - 1.0) * (n - 1.0) / (n - 4.0)).sqrt()
}

/// How a difference of means after the programme is tested.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DiffMethod {
    /// Welch's unequal-variances t-test (unweighted surveys).
    Welch,
    /// Weighted least squares `y ~ treated` with HC1 errors and a t interval on n − 2 df
    /// (weighted surveys, where Welch's unweighted SDs would be wrong).
    WlsHc1,
}

/// A difference of means (a − b) with its t interval: Welch's, or WLS with HC1 errors (see
/// [`DiffMethod`]).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Welch {
    /// Which test.
    pub method: DiffMethod,
    /// Difference of means a − b, in the outcome's unit.
    pub diff: f64,
    /// Unpooled standard error of the difference, √(sd_a²/n_a + sd_b²/n_b), in the outcome's unit.
    pub se: f64,
    /// Welch–Satterthwaite degrees of freedom (fractional).
    pub df: f64,
    /// Welch's t statistic, diff / se.
    pub t: f64,
    /// Two-sided p-value (0–1) from Student's t on `df` degrees of freedom.
    pub p: f64,
    /// Lower bound of the 95% confidence interval, diff − t(0.975, df)·se, in the outcome's unit.
    pub lo: f64,
    /// Upper bound of the 95% confidence interval, diff + t(0.975, df)·se, in the outcome's unit.
    pub hi: f64,
}

/// Welch's t-test of the difference of means, cell `a` minus cell `b` (unequal variances,
/// Welch–Satterthwaite df), from each cell's mean, unweighted standard deviation and count.
/// `None` when either cell has fewer than two respondents or the df is undefined (both SDs zero).
pub fn welch(a: &Cell, b: &Cell) -> Option<Welch> {
    if a.n < 2 || b.n < 2 {
        return None;
    }
    let (va, vb) = (a.sd * a.sd / a.n as f64, b.sd * b.sd / b.n as f64);
    let se = (va + vb).sqrt();
    let df = (va + vb).powi(2) / (va * va / (a.n as f64 - 1.0) + vb * vb / (b.n as f64 - 1.0));
    let diff = a.mean - b.mean;
    let dist = StudentsT::new(0.0, 1.0, df).ok()?;
    let q = dist.inverse_cdf(0.975);
    let t = diff / se;
    Some(Welch {
        method: DiffMethod::Welch,
        diff,
        se,
        df,
        t,
        p: 2.0 * (1.0 - dist.cdf(t.abs())),
        lo: diff - q * se,
        hi: diff + q * se,
    })
}

/// The weighted difference of cell means a − b as the coefficient of `y ~ treated` by weighted
/// least squares on the two cells, with its HC1 standard error (in the saturated model the
/// sandwich is Σ_cells Σ(w·e)²/(Σw)², times n/(n − 2)) and a t interval on n − 2 df; as
/// statsmodels' `WLS(...).fit(cov_type="HC1", use_t=True)`. `None` when a cell has fewer than
/// two respondents.
pub fn weighted_difference(a: &Cell, b: &Cell) -> Option<Welch> {
    if a.n < 2 || b.n < 2 {
        return None;
    }
    let n = (a.n + b.n) as f64;
    let hc0 = a.sum_we2 / (a.sum_w * a.sum_w) + b.sum_we2 / (b.sum_w * b.sum_w);
    let se = (hc0 * n / (n - 2.0)).sqrt();
    let diff = a.mean - b.mean;
    let e = Estimate::t(diff, se, SeKind::Hc1, n - 2.0);
    Some(Welch {
        method: DiffMethod::WlsHc1,
        diff,
        se,
        df: n - 2.0,
        t: if se > 0.0 { diff / se } else { 0.0 },
        p: e.p,
        lo: e.lo,
        hi: e.hi,
    })
}

/// Difference of two proportions (a − b): unpooled SE for the interval, pooled z for the test.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Proportions {
    /// Share with the outcome in group a (0–1): the cell's (weighted) mean of the 0/1 answers.
    pub pa: f64,
    /// Share with the outcome in group b (0–1): the cell's (weighted) mean of the 0/1 answers.
    pub pb: f64,
    /// Difference in proportions pa − pb, a share −1 to 1 (×100 for percentage points).
    pub diff: f64,
    /// Unpooled standard error of the difference, √(pa(1−pa)/na + pb(1−pb)/nb), for the interval.
    pub se: f64,
    /// Lower bound of the 95% confidence interval of the difference, Newcombe's hybrid score
    /// interval (from the two Wilson intervals), a share; it stays within −1 to 1.
    pub lo: f64,
    /// Upper bound of the same interval, a share.
    pub hi: f64,
    /// z statistic of the test: diff over the pooled standard error; 0 when that is zero.
    pub z: f64,
    /// Two-sided p-value (0–1) of the pooled z test, from the standard normal distribution.
    pub p: f64,
}

/// Wilson's score interval (95%) of a share `p` (0–1) observed on `n` answers: it stays within
/// [0, 1] even for shares near 0 or 1. Source: Wilson (1927); statsmodels
/// `proportion_confint(method="wilson")`.
pub fn wilson(p: f64, n: f64) -> (f64, f64) {
    let z2 = Z95 * Z95;
    let denom = 1.0 + z2 / n;
    let center = (p + z2 / (2.0 * n)) / denom;
    let half = Z95 / denom * (p * (1.0 - p) / n + z2 / (4.0 * n * n)).sqrt();
    ((center - half).max(0.0), (center + half).min(1.0))
}

/// Difference in proportions of a binary outcome, cell `a` minus cell `b`: Newcombe's hybrid
/// score interval (95%; Newcombe 1998, method 10; statsmodels
/// `confint_proportions_2indep(method="newcomb")`), the unpooled standard error, and a
/// two-sided z test on the pooled one. `None` when either cell is empty.
pub fn proportions(a: &Cell, b: &Cell) -> Option<Proportions> {
    if a.n == 0 || b.n == 0 {
        return None;
    }
    let (na, nb) = (a.n as f64, b.n as f64);
    let (pa, pb) = (a.mean, b.mean);
    let diff = pa - pb;
    let se = (pa * (1.0 - pa) / na + pb * (1.0 - pb) / nb).sqrt();
    let pooled = (pa * na + pb * nb) / (na + nb);
    let se0 = (pooled * (1.0 - pooled) * (1.0 / na + 1.0 / nb)).sqrt();
    let z = if se0 > 0.0 { diff / se0 } else { 0.0 };
    let normal = Normal::standard();
    let (la, ua) = wilson(pa, na);
    let (lb, ub) = wilson(pb, nb);
    Some(Proportions {
        pa,
        pb,
        diff,
        se,
        lo: diff - ((pa - la).powi(2) + (ub - pb).powi(2)).sqrt(),
        hi: diff + ((ua - pa).powi(2) + (pb - lb).powi(2)).sqrt(),
        z,
        p: 2.0 * (1.0 - normal.cdf(z.abs())),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_spread_gives_no_interval_and_no_p_value() {
        // A zero standard error, or one of rounding size, with few clusters: nothing claimed.
        for se in [0.0, 0.3 * 1e-16] {
            let e = Estimate::t(0.3, se, SeKind::Cluster(3), 2.0);
            assert!(e.lo.is_nan() && e.hi.is_nan() && e.p.is_nan(), "{e:?}");
            assert!(!e.significant());
        }
        let e = Estimate::t(0.3, 0.1, SeKind::Cluster(3), 2.0);
        assert!(e.lo < 0.3 && e.hi > 0.3 && e.p > 0.0);
    }

    #[test]
    fn reliability_thresholds_follow_bps() {
        assert_eq!(Reliability::of(0.25), Reliability::Reliable);
        assert_eq!(Reliability::of(0.3), Reliability::Caution);
        assert_eq!(Reliability::of(0.51), Reliability::Unreliable);
    }

    #[test]
    fn hc0_of_saturated_model_is_cell_variance_over_n() {
        // Two observations per cell, residuals ±1: Σe² = 2, HC0 = Σ 2/4 = 2, HC1 = 2·8/4 = 4.
        let cell = |mean: f64| Cell {
            n: 2,
            sum_w: 2.0,
            mean,
            sd: 2f64.sqrt(),
            sum_we2: 2.0,
        };
        let d = TwoByTwo {
            c0: cell(1.0),
            c1: cell(2.0),
            t0: cell(1.0),
            t1: cell(4.0),
        };
        assert_eq!(d.did(), 2.0);
        assert!((d.se_hc1() - 2.0).abs() < 1e-12);
    }

    #[test]
    fn share_intervals_stay_within_zero_and_one() {
        // No "yes" among 20 answers: the normal interval would be 0 to 0.
        let (lo, hi) = wilson(0.0, 20.0);
        assert_eq!(lo, 0.0);
        assert!((hi - 0.161_125_158).abs() < 1e-8, "{hi}");
        let (lo, hi) = wilson(1.0, 20.0);
        assert!(lo < 1.0 && hi == 1.0);
        let cell = |mean: f64, n: u64| Cell {
            n,
            sum_w: n as f64,
            mean,
            sd: 0.0,
            sum_we2: 0.0,
        };
        let p = proportions(&cell(1.0, 15), &cell(0.0, 12)).unwrap();
        assert!(p.lo > 0.0 && p.hi <= 1.0 && p.lo < p.diff, "{p:?}");
    }
}
