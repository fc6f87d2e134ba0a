//! The analysis of one survey: per-outcome estimates (difference-in-differences with robust or
//! clustered standard errors, placebo on the pre waves, post-wave differences, breakdowns).

use std::collections::BTreeMap;
use std::path::Path;

use super::bootstrap::{Weights, WildBootstrap, wild_cluster};
use super::config::{DesignKind, ImpactConfig, OutcomeKind, SeChoice};
use super::estimate::Design;
use super::event_study::EventStudy;
use super::load::DataShape;
use super::load::SurveyData;
use super::staggered::Staggered;
use super::stats::{Cell, Estimate, Proportions, SeKind, TwoByTwo, Welch};

use crate::common::diagnostics::{Diagnostic, Diagnostics};

/// A difference-in-differences with every standard error that applies and the one shown.
#[derive(Debug, Clone, PartialEq)]
pub struct Did {
    /// The four cells (comparison and participants, before and after) the DiD is computed from.
    pub cells: TwoByTwo,
    /// The DiD, (T1 − T0) − (C1 − C0), in the outcome's unit (a share 0–1 for binary outcomes),
    /// with the standard error shown and its 95% confidence interval.
    pub estimate: Estimate,
    /// HC1 (heteroskedasticity-robust) standard error of the DiD, in the outcome's unit; always
    /// computed.
    pub se_hc1: f64,
    /// Cluster-robust standard error of the DiD clustered by respondent, with the number of
    /// respondents (clusters); `None` unless there are two or more and some answered both waves.
    pub se_respondent: Option<(f64, usize)>,
    /// Cluster-robust standard error of the DiD clustered by the declared cluster column, with the
    /// number of clusters; `None` without a cluster column or with fewer than two clusters.
    pub se_cluster: Option<(f64, usize)>,
    /// Number of respondents who answered in both waves compared (the panel); 0 when not counted.
    pub panel_respondents: usize,
    /// Number of distinct respondents in the rows compared.
    pub people: usize,
    /// Observations (person-waves) and people of the design's own estimate when `estimate` is
    /// not the 2x2's (event study, staggered); `None` for the 2x2 and pooled designs, whose
    /// counts are the cells'.
    pub counts: Option<(u64, u64)>,
    /// The smallest group the design's own estimate rests on when that is not the 2x2's four
    /// cells (staggered: the smallest cohort or the never-treated respondents of the balanced
    /// panel); disclosure control reads it instead of the cells.
    pub rests_on: Option<u64>,
}

impl Did {
    /// Number of distinct people the estimate rests on.
    pub fn people(&self) -> u64 {
        self.counts.map_or(self.people as u64, |c| c.1)
    }

    /// Number of observations (person-waves) the estimate rests on.
    pub fn n_obs(&self) -> u64 {
        self.counts.map_or(self.cells.n(), |c| c.0)
    }

    /// Picks the standard error: the declared kind `se` when it can be computed here (else
    /// HC1); without a declaration, clustered by the cluster column when it has at least two
    /// clusters, else by respondent when respondents answered both waves, else HC1. The
    /// interval and p-value use Student's t on [`SeKind::df`] degrees of freedom.
    pub fn from_design(d: &Design, se: Option<SeChoice>) -> Did {
        let cells = d.cells;
        let n = cells.n();
        let se_hc1 = cells.se_hc1();
        let se_cluster = d
            .by_cluster
            .filter(|(_, g)| *g >= 2)
            .map(|(u2, g)| (super::stats::se_cluster(u2, g, n), g));
        let se_respondent = d
            .by_respondent
            .filter(|(_, g)| *g >= 2 && d.panel_respondents > 0)
            .map(|(u2, g)| (super::stats::se_cluster(u2, g, n), g));
        let cluster = se_cluster.map(|(se, g)| (se, SeKind::Cluster(g)));
        let respondent = se_respondent.map(|(se, g)| (se, SeKind::Respondent(g)));
        let hc1 = (se_hc1, SeKind::Hc1);
        let (se, kind) = match se {
            Some(SeChoice::Cluster) => cluster.unwrap_or(hc1),
            Some(SeChoice::Respondent) => respondent.unwrap_or(hc1),
            Some(SeChoice::Hc1) => hc1,
            None => cluster.or(respondent).unwrap_or(hc1),
        };
        Did {
            cells,
            estimate: Estimate::t(cells.did(), se, kind, kind.df(n, 4)),
            se_hc1,
            se_respondent,
            se_cluster,
            panel_respondents: d.panel_respondents,
            people: d.people,
            counts: None,
            rests_on: None,
        }
    }
}

/// Everything computed for one outcome.
#[derive(Debug, Clone)]
pub struct OutcomeAnalysis {
    /// Index into `config.outcomes`.
    pub outcome: usize,
    /// Every group in every wave: (wave, treated) → cell.
    pub trend: BTreeMap<(u32, bool), Cell>,
    /// Last wave before against first wave after the programme.
    pub did: Did,
    /// The two last waves before the programme, as a check of parallel trends.
    pub placebo: Option<Did>,
    /// Participants minus comparison in the first wave after (continuous outcomes).
    pub welch: Option<Welch>,
    /// The same for binary outcomes.
    pub proportions: Option<Proportions>,
    /// Per breakdown (index into `config.breakdowns`): level → DiD.
    pub breakdowns: Vec<BTreeMap<String, Did>>,
    /// The follow-up wave of the headline (index into `waves`).
    pub follow_up: u32,
    /// Clusters with participants in the waves compared (0 without clustering by area).
    pub treated_clusters: usize,
    /// The wild cluster bootstrap of the design's headline estimate (the 2x2 or pooled DiD, the
    /// event study's first wave after, the staggered overall effect), run when its errors are
    /// clustered by area and there are fewer than [`FEW_CLUSTERS`] clusters or fewer than
    /// [`FEW_TREATED_CLUSTERS`] with participants (and at least two of those); the headline
    /// interval and p-value then come from it.
    pub bootstrap: Option<WildBootstrap>,
    /// The event study (design `event-study`): one effect per wave and the joint test of the
    /// effects before the programme.
    pub event_study: Option<EventStudy>,
    /// The staggered design's group-time effects and their aggregations (design `staggered`).
    pub staggered: Option<Staggered>,
}

impl OutcomeAnalysis {
    /// The design's estimate of the impact with its t interval: the event study's effect in the
    /// first wave after the programme for that design, else the DiD.
    pub fn design_estimate(&self) -> Did {
        let mut d = self.did.clone();
        if let Some(es) = &self.event_study
            && let Some(e) = es.effect(self.follow_up)
        {
            d.estimate = *e;
            d.counts = Some((es.n, es.people));
        }
        if let Some(st) = &self.staggered {
            d.estimate = st.overall.estimate;
            d.counts = Some((st.n_obs(), st.units as u64));
            d.rests_on = Some(st.smallest_group() as u64);
        }
        d
    }

    /// The DiD as the headline shows it: the design's estimate, with the wild cluster
    /// bootstrap's interval and p-value when the bootstrap was run.
    pub fn headline(&self) -> Did {
        let mut d = self.design_estimate();
        if let Some(b) = &self.bootstrap {
            d.estimate.lo = b.lo;
            d.estimate.hi = b.hi;
            d.estimate.p = b.p;
        }
        d
    }

    /// True when the participants are all in one cluster: the data cannot support inference
    /// about the DiD (no interval, no verdict).
    pub fn single_treated_cluster(&self) -> bool {
        self.treated_clusters == 1
    }

    /// Why the headline supports no interval, p-value or verdict, as a key of the theme's
    /// i18n file: `single_cluster` (all participants in one cluster) or `no_variation` (a
    /// standard error of zero: every answer in some cell is the same). `None` when it does.
    pub fn no_inference(&self) -> Option<&'static str> {
        let d = self.headline();
        let se = d.estimate.se;
        // A standard error that is zero up to rounding (sums of identical answers leave ~1e-17).
        let scale = d.estimate.value.abs() + d.cells.t0.mean.abs() + d.cells.c0.mean.abs();
        if self.single_treated_cluster() {
            Some("single_cluster")
        } else if self.bootstrap.is_some_and(|b| !b.bounded) {
            Some("bootstrap_unbounded")
        } else if se.is_nan() || se <= 1e-9 * scale.max(f64::MIN_POSITIVE) {
            Some("no_variation")
        } else {
            None
        }
    }
}

/// Respondents in different clusters in different waves, counted in a warning saying what it
/// changes: the staggered design places each in the cluster of their first wave (R `did`
/// refuses them); the event study's wild cluster bootstrap needs each respondent in one
/// cluster, so with few clusters its headline keeps the cluster-robust t interval.
fn moving_respondents(config: &ImpactConfig, survey: &SurveyData) -> Option<Diagnostic> {
    let s = &config.survey;
    let column = s.cluster.as_ref()?;
    if !matches!(s.design, DesignKind::Staggered | DesignKind::EventStudy) {
        return None;
    }
    let ids = super::estimate::u32s(&survey.data, "id").ok()?;
    let clusters = super::estimate::u32s(&survey.data, "cluster").ok()?;
    let mut first = vec![u32::MAX; ids.iter().max().map_or(0, |m| *m as usize + 1)];
    let mut moved = vec![false; first.len()];
    for (id, c) in ids.iter().zip(&clusters) {
        let f = &mut first[*id as usize];
        if *f == u32::MAX {
            *f = *c;
        } else if *f != *c {
            moved[*id as usize] = true;
        }
    }
    let count = moved.iter().filter(|m| **m).count();
    let what = if s.design == DesignKind::Staggered {
        "the staggered design counts each in the cluster of their first wave"
    } else {
        "the event study's wild cluster bootstrap needs each respondent in one cluster, so with few clusters its headline keeps the cluster-robust t interval"
    };
    (count > 0).then(|| {
        let who = if count == 1 {
            "1 respondent is".to_string()
        } else {
            format!("{count} respondents are")
        };
        Diagnostic::warning(format!(
            "{who} in different `{column}` clusters in different waves; {what}"
        ))
        .in_file(&config.path)
        .help("check the cluster column for these respondents, or cluster by an area that does not change")
    })
}

/// Fewer clusters than this: cluster-robust t intervals are too narrow (Cameron and Miller
/// 2015), so the headline uses the wild cluster bootstrap.
pub const FEW_CLUSTERS: usize = 40;
/// Fewer clusters with participants than this: the same.
pub const FEW_TREATED_CLUSTERS: usize = 6;
/// Draws of the wild cluster bootstrap (Webb weights).
pub const BOOTSTRAP_DRAWS: usize = 9_999;
/// Seed of the bootstrap's random generator, fixed so every build publishes the same numbers.
pub const BOOTSTRAP_SEED: u64 = 20_260_301;

/// The whole analysis of a survey.
pub struct Analysis {
    /// The impact configuration the analysis was run with.
    pub config: ImpactConfig,
    /// The loaded survey: the typed usable rows and the account of rejected ones.
    pub survey: SurveyData,
    /// One analysis per outcome, in the order of `config.outcomes`.
    pub outcomes: Vec<OutcomeAnalysis>,
    /// The DiD's baseline wave: the last `pre` wave in time order (index into `waves`).
    pub baseline: u32,
    /// The DiD's follow-up wave: the first `post` wave in time order (index into `waves`).
    pub follow_up: u32,
}

fn polars_diag(e: polars::prelude::PolarsError, config: &ImpactConfig) -> Diagnostic {
    Diagnostic::error(format!("the impact analysis failed: {e}"))
        .in_file(&config.path)
        .help("check that the columns declared in impact.toml hold the kind of values declared")
}

fn wave_index(config: &ImpactConfig, wave: &str) -> u32 {
    config
        .survey
        .waves
        .iter()
        .position(|w| w == wave)
        .unwrap_or(0) as u32
}

/// Reads and analyses the survey declared in `root/data/impact.toml`; `Ok(None)` without one.
/// A panic in the survey reader (a library bug on some input) is an error naming the data
/// folder, not a crash.
/// Errors: every problem found in `impact.toml` and the survey files' columns, at once; or
/// the first problem of the rows (too many rejected) or of the estimates.
pub fn analyse(root: &Path) -> Result<Option<Analysis>, Diagnostics> {
    crate::common::diagnostics::catch_panic(&root.join("data"), "analysing the survey in", || {
        analyse_unguarded(root)
    })?
}

fn analyse_unguarded(root: &Path) -> Result<Option<Analysis>, Diagnostics> {
    let Some(mut config) = ImpactConfig::load(root)? else {
        return Ok(None);
    };
    // The site's languages (its own errors are reported by the site's build).
    if let Ok(site) = crate::config::Config::load(root) {
        let warnings = config.language_warnings(&site.all_languages());
        config.warnings.extend(warnings);
    }
    let survey = super::load::load(root, &config)?;
    config
        .warnings
        .extend(super::rejects::reject_warnings(&survey.rejects));
    Ok(Some(analyse_survey(config, survey)?))
}

/// Estimates on an already loaded survey.
pub fn analyse_survey(config: ImpactConfig, survey: SurveyData) -> Result<Analysis, Diagnostic> {
    let mut config = config;
    if let Some(w) = moving_respondents(&config, &survey) {
        config.warnings.push(w);
    }
    let s = &config.survey;
    // `waves` is the time order: the baseline is the last pre wave in it, the follow-up the
    // first post wave (the configuration check makes `pre` and `post` follow that order).
    let mut pre: Vec<u32> = s.pre.iter().map(|w| wave_index(&config, w)).collect();
    pre.sort_unstable();
    let before = *pre.last().expect("checked: pre is not empty");
    let mut post: Vec<u32> = s.post.iter().map(|w| wave_index(&config, w)).collect();
    post.sort_unstable();
    let after = post[0];
    let placebo_waves = (pre.len() >= 2).then(|| (pre[pre.len() - 2], before));
    let cluster = s.cluster.as_ref().map(|_| "cluster");
    let df = &survey.data;
    // Outcomes are independent: estimate them in parallel.
    use rayon::prelude::*;
    let outcomes = config
        .outcomes
        .par_iter()
        .enumerate()
        .map(|(i, o)| -> Result<OutcomeAnalysis, Diagnostic> {
            let name = format!("o{i}");
            let err = |e| polars_diag(e, &config);
            let trend: BTreeMap<(u32, bool), Cell> =
                super::estimate::all_cells(df, &name, s.waves.len(), None)
                    .map_err(err)?
                    .into_iter()
                    .map(|((_, w, t), c)| ((w, t), c))
                    .collect();
            // The placebo first: its rows are gone before the rows compared are made.
            let placebo = match placebo_waves {
                Some((a, b)) => super::estimate::designs(df, &name, a, b, None, cluster, true)
                    .map_err(err)?
                    .get("")
                    .map(|d| Did::from_design(d, s.se)),
                None => None,
            };
            // The rows compared, filtered once for the whole and every breakdown.
            let rows = match s.design {
                DesignKind::TwoByTwo | DesignKind::EventStudy | DesignKind::Staggered => {
                    super::estimate::Compared::new(df, &name, &[before, after])
                }
                DesignKind::Pooled => super::estimate::Compared::periods(
                    df,
                    &name,
                    &pre,
                    &post,
                    (before, after),
                ),
            }
            .map_err(err)?;
            let main =
                super::estimate::designs_of(&rows, after, None, cluster, true).map_err(err)?;
            let did = Did::from_design(&main.get("").cloned().unwrap_or_default(), s.se);
            if let Some(choice) = s.se
                && did.estimate.kind.key() != SeKind::from(choice).key()
            {
                return Err(Diagnostic::error(format!(
                    "se = \"{}\" cannot be computed for `{}`: {}",
                    choice.key(),
                    o.id,
                    match choice {
                        SeChoice::Respondent => "no respondent answered in both waves compared",
                        _ => "fewer than two clusters answered in the waves compared",
                    }
                ))
                .in_file(&config.path)
                .help("remove `se` to let berdaya choose, or declare se = \"hc1\""));
            }
            let (t1, c1) = (
                trend.get(&(after, true)).copied(),
                trend.get(&(after, false)).copied(),
            );
            let (welch, proportions) = match (o.kind, t1, c1) {
                // Staggered: in the first wave after, later cohorts have not started yet, so
                // participants against comparison there is no impact.
                _ if s.design == DesignKind::Staggered => (None, None),
                // Weighted: the WLS difference with HC1 errors, for shares too.
                (_, Some(t), Some(c)) if s.weight.is_some() => {
                    (super::stats::weighted_difference(&t, &c), None)
                }
                (OutcomeKind::Continuous, Some(t), Some(c)) => (super::stats::welch(&t, &c), None),
                (OutcomeKind::Binary, Some(t), Some(c)) => {
                    (None, super::stats::proportions(&t, &c))
                }
                _ => (None, None),
            };
            // Clusters with participants, and whether the headline needs the wild cluster
            // bootstrap: errors clustered by area with few clusters (or few with participants),
            // and at least two with participants (one supports no inference at all).
            let (treated_clusters, cells, few) = match (did.estimate.kind, cluster) {
                (SeKind::Cluster(g), Some(c)) => {
                    let cells = super::estimate::cluster_cells(&rows, after, c).map_err(err)?;
                    let treated = cells
                        .iter()
                        .filter(|g| g[2].0 > 0.0 || g[3].0 > 0.0)
                        .count();
                    let few = (g < FEW_CLUSTERS || treated < FEW_TREATED_CLUSTERS) && treated >= 2;
                    (treated, cells, few)
                }
                _ => (0, Vec::new(), false),
            };
            let boot_settings = few.then_some((Weights::Webb, BOOTSTRAP_DRAWS, BOOTSTRAP_SEED));
            let all_waves: Vec<u32> = (0..s.waves.len() as u32).collect();
            // The staggered design's rows, read once for the whole and every breakdown level.
            let mut staggered_rows = None;
            let staggered = match s.design {
                DesignKind::Staggered => {
                    if survey.shape() == DataShape::RepeatedCrossSections {
                        return Err(Diagnostic::error(
                            "the staggered design needs a panel (the same respondents in every wave), but every respondent answered in one wave only",
                        )
                        .in_file(&config.path)
                        .help("choose design = \"event-study\" or \"2x2\" for repeated cross-sections"));
                    }
                    let rows = super::estimate::answered(df, &name, &all_waves)
                        .collect()
                        .map_err(err)?;
                    let clustered = matches!(did.estimate.kind, SeKind::Cluster(_));
                    let read = super::staggered::Rows::of(&rows, cluster.filter(|_| clustered))
                        .map_err(err)?;
                    let st = super::staggered::estimate(&read, None, clustered, boot_settings);
                    staggered_rows = Some((read, rows));
                    if st.is_none() {
                        return Err(Diagnostic::error(format!(
                            "the staggered design cannot be estimated for `{}`: no participants with answers in every wave and a comparison not yet in the programme",
                            o.id
                        ))
                        .in_file(&config.path)
                        .help("the design compares each group's change with respondents not yet in the programme, on respondents who answered in every wave; check `start` and the answers of this outcome"));
                    }
                    st
                }
                _ => None,
            };
            let mut breakdowns = Vec::new();
            for b in 0..config.breakdowns.len() {
                let column = format!("b{b}");
                let by = Some((column.as_str(), survey.levels[b].as_slice()));
                let levels =
                    super::estimate::designs_of(&rows, after, by, cluster, cluster.is_none())
                        .map_err(err)?;
                let mut levels: BTreeMap<String, Did> = levels
                    .iter()
                    .map(|(level, d)| (level.clone(), Did::from_design(d, s.se)))
                    .collect();
                if let (Some(whole), Some(all)) = (&staggered, &staggered_rows) {
                    // Each level's own staggered estimate, on its respondents: subsets of the
                    // rows read once.
                    let codes = super::estimate::u32s(&all.1, &column).map_err(err)?;
                    let clustered = matches!(whole.overall.estimate.kind, SeKind::Cluster(_));
                    for (code, level) in survey.levels[b].iter().enumerate() {
                        let Some(d) = levels.get_mut(level) else {
                            continue;
                        };
                        let keep: Vec<bool> = codes.iter().map(|c| *c == code as u32).collect();
                        // A level inside one cluster (a breakdown by area) is clustered by
                        // respondent, as the 2x2 design falls back to HC1 there.
                        let estimated =
                            super::staggered::estimate(&all.0, Some(&keep), clustered, None)
                                .or_else(|| {
                                    super::staggered::estimate(&all.0, Some(&keep), false, None)
                                });
                        match estimated {
                            Some(st) => {
                                d.estimate = st.overall.estimate;
                                d.counts = Some((st.n_obs(), st.units as u64));
                                d.rests_on = Some(st.smallest_group() as u64);
                            }
                            None => {
                                levels.remove(level);
                            }
                        }
                    }
                }
                breakdowns.push(levels);
            }
            let event_study = match s.design {
                DesignKind::EventStudy => {
                    let rows = super::estimate::answered(df, &name, &all_waves)
                        .collect()
                        .map_err(err)?;
                    let clustered = matches!(did.estimate.kind, SeKind::Cluster(_));
                    let unit_effects = survey.shape() != DataShape::RepeatedCrossSections;
                    let es = super::event_study::event_study(
                        &rows,
                        before,
                        &pre,
                        cluster.filter(|_| clustered),
                        unit_effects,
                    )
                    .map_err(err)?;
                    Some((es, rows, unit_effects))
                }
                _ => None,
            };
            // The headline's bootstrap, of the design's own estimate.
            let bootstrap = match (s.design, cluster, &event_study, &staggered) {
                _ if !few => None,
                (DesignKind::TwoByTwo | DesignKind::Pooled, ..) => {
                    wild_cluster(&cells, Weights::Webb, BOOTSTRAP_DRAWS, BOOTSTRAP_SEED)
                }
                (DesignKind::EventStudy, Some(c), Some((Some(_), rows, unit_effects)), _) => {
                    super::event_study::bootstrap(
                        rows,
                        before,
                        c,
                        *unit_effects,
                        after,
                        Weights::Webb,
                        BOOTSTRAP_DRAWS,
                        BOOTSTRAP_SEED,
                    )
                    .map_err(err)?
                }
                (DesignKind::Staggered, _, _, Some(st)) => st.bootstrap,
                _ => None,
            };
            let event_study = event_study.and_then(|(es, _, _)| es);
            Ok(OutcomeAnalysis {
                event_study,
                staggered,
                follow_up: after,
                treated_clusters,
                bootstrap,
                outcome: i,
                trend,
                did,
                placebo,
                welch,
                proportions,
                breakdowns,
            })
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Analysis {
        config,
        survey,
        outcomes,
        baseline: before,
        follow_up: after,
    })
}
