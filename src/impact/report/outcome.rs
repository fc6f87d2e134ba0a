//! One outcome's page: its trend by wave, its impact and placebo estimates, the difference
//! after the programme, and its breakdowns with their charts, tables and downloads.

use super::Language;
use super::estimates::{
    estimates_csv, event_figure, pretrend_statistic, pretrend_text, staggered_figure,
};
use super::format::{
    ESTIMATE_COLUMNS, NO_ESTIMATE, csv_num, did_fields, estimate_view, headline_view, level,
    suppressed_text, value,
};
use super::sentences::{self, say};
use super::tables::{bars_table, breakdown_table, trend_table};
use super::views::{BreakdownView, Download, FigureView, LevelView, OutcomeView, TrendRow};
use crate::common::locale;
use crate::common::text::csv_escape;
use crate::impact::charts;
use crate::impact::config::{ImpactConfig, Outcome, OutcomeKind, Role};
use crate::impact::privacy::{self, Published};
use crate::impact::stats::Cell;
use crate::impact::{Analysis, OutcomeAnalysis};

/// Everything one outcome's page needs, in one language. Adds its CSV files to `downloads`.
pub fn outcome_view(
    a: &Analysis,
    oa: &OutcomeAnalysis,
    o: &Outcome,
    url: &str,
    l: &Language,
    downloads: &mut Vec<Download>,
) -> OutcomeView {
    let label = ImpactConfig::label(&o.label, l.code, l.default, &o.id).to_string();
    let threshold = a.config.survey.threshold;
    // The files of this outcome are named after its page's folder.
    let folder = url
        .trim_end_matches('/')
        .rsplit('/')
        .next()
        .unwrap_or(&o.id)
        .to_string();
    let files = Files {
        url,
        folder: &folder,
    };
    let (trend, series, csv) = trend(a, oa, o, l);
    let csv_trend = files.csv(&l.w("csv_trend"));
    downloads.push(Download {
        path: csv_trend.clone(),
        csv,
    });
    let take_up = o.role == Role::TakeUp;
    let baseline = published_mean(a, oa, a.baseline, true);
    // Take-up is reach, never an impact verdict.
    let mut did = privacy::headline(a, oa)
        .shown()
        .filter(|_| !take_up)
        .map(|_| headline_view(o, &label, oa, baseline, l));
    let reach = take_up
        .then(|| {
            let after = |treated| published_mean(a, oa, a.follow_up, treated);
            Some(sentences::reach(o, &label, after(true)?, after(false)?, l))
        })
        .flatten();
    let placebo = oa.placebo.as_ref().and_then(|p| {
        privacy::did(p, threshold)
            .shown()
            .map(|d| estimate_view(o, &label, d, l))
    });
    // The verdict rests on the placebo's cells: hidden with them, and when the participants
    // are in one cluster (no inference at all).
    let placebo_shown = oa
        .placebo
        .as_ref()
        .filter(|p| privacy::did(p, threshold).shown().is_some() && !oa.single_treated_cluster());
    // "No sign of different trends" only when the check could have seen one: a check whose
    // interval reaches half the impact or more says so.
    let impact = oa.headline().estimate.value.abs();
    let placebo_verdict = placebo_shown.filter(|_| !take_up).map(|p| {
        let e = p.estimate;
        let bound = e.lo.abs().max(e.hi.abs());
        if e.significant() {
            l.w("placebo_differs")
        } else if impact > 0.0 && bound >= 0.5 * impact {
            say(
                l,
                "placebo_imprecise",
                &[
                    ("bound", &value(o, bound, l, false)),
                    ("percent", &sentences::percent(100.0 * bound / impact, l)),
                ],
            )
        } else {
            l.w("placebo_parallel")
        }
    });
    // The trend's title is its finding.
    let trend_title = match (&did, take_up) {
        (_, true) => reach
            .clone()
            .unwrap_or_else(|| say(l, "trend_title_reach", &[("Measure", &label)])),
        (Some(d), false) if !d.interval.is_empty() => {
            let key = match (d.significant, oa.headline().estimate.value > 0.0) {
                (false, _) => "trend_title_unclear",
                (true, true) => "trend_title_rise",
                (true, false) => "trend_title_fall",
            };
            say(l, key, &[("Measure", &label)])
        }
        (Some(d), false) => d.sentence.clone(),
        (None, false) => say(l, "say_hidden", &[("Measure", &label)]),
    };
    let trend_chart = charts::trend(
        &format!("{}-tren", o.id),
        &trend_title,
        &say(l, "trend_chart_desc", &[("Measure", &label)]),
        &a.config.survey.waves,
        &series,
        Some((a.follow_up as usize, &l.w("chart_start"))),
        &axis(o, l, Quantity::Level),
        l.code,
    );
    let mut all = breakdown_header();
    let breakdowns = (0..oa.breakdowns.len())
        .map(|b| {
            let one = Breakdown {
                a,
                oa,
                o,
                label: &label,
                b,
                files: &files,
                l,
            };
            breakdown(&one, &mut all, downloads)
        })
        .collect();
    // Take-up is reach: no impact estimates to download either.
    let (csv_estimates, csv_breakdowns) = if take_up {
        (String::new(), String::new())
    } else {
        let csv_estimates = files.csv(&l.w("csv_estimates"));
        downloads.push(Download {
            path: csv_estimates.clone(),
            csv: estimates_csv(a, oa),
        });
        let csv_breakdowns = files.csv(&l.w("csv_breakdowns"));
        downloads.push(Download {
            path: csv_breakdowns.clone(),
            csv: all,
        });
        (csv_estimates, csv_breakdowns)
    };
    let mut pretrend_test = None;
    let (event_figure, pretrend, event_heading) = match (&oa.event_study, &oa.staggered, &did) {
        (Some(es), _, Some(_)) => {
            let (figure, csv) = event_figure(a, es, o, &label, &files, l);
            downloads.push(csv);
            pretrend_test = es.pretrend;
            let pretrend = es.pretrend.map(|w| pretrend_text(&w, "event", l));
            (Some(figure), pretrend, l.w("event_study"))
        }
        // Shown only with the headline: its points and test rest on the same cohorts.
        (_, Some(st), Some(_)) if st.smallest_group() as u64 >= a.config.survey.threshold => {
            let (figure, csv) = staggered_figure(a, st, o, &label, &files, l);
            downloads.push(csv);
            let panel = l
                .w("staggered_panel")
                .replace("{units}", &locale::integer(st.units as i64, l.code))
                .replace("{dropped}", &locale::integer(st.dropped as i64, l.code));
            pretrend_test = st.pretrend;
            let pretrend = Some(match st.pretrend {
                Some(w) => format!("{panel} {}", pretrend_text(&w, "staggered", l)),
                None => panel,
            });
            (Some(figure), pretrend, l.w("staggered_profile"))
        }
        _ => (None, None, String::new()),
    };
    // A test before the programme that found the groups already apart qualifies the number.
    let differed = placebo_shown.is_some_and(|p| p.estimate.significant())
        || pretrend_test.is_some_and(|w| w.p < 0.05);
    if let Some(d) = did.as_mut().filter(|_| differed) {
        d.caveats.push(l.w("caveat_pretrend"));
    }
    let trend_figure = FigureView {
        title: trend_title,
        svg: Some(trend_chart.clone()),
        table: Some(trend_table(&label, sentences::kind(o), &trend, l)),
        csv: csv_trend.clone(),
    };
    OutcomeView {
        trend_figure,
        id: o.id.clone(),
        label,
        url: url.to_string(),
        did,
        placebo,
        placebo_verdict,
        pretrend_statistic: pretrend_test.map(|w| pretrend_statistic(&w, l)),
        take_up,
        reach,
        post_difference: post_difference(a, oa, o, l),
        trend_chart,
        trend,
        breakdowns,
        event_figure,
        event_heading,
        impact_label: match a.config.survey.design {
            crate::impact::config::DesignKind::EventStudy => l.w("impact_event-study"),
            crate::impact::config::DesignKind::Staggered => l.w("impact_staggered"),
            _ => l.w("impact_did"),
        },
        pretrend,
        csv_trend,
        csv_estimates,
        csv_breakdowns,
    }
}

/// The header of the breakdown downloads.
fn breakdown_header() -> String {
    format!("breakdown,level,{ESTIMATE_COLUMNS},note\n")
}

/// One breakdown of one outcome, and what its figures need.
struct Breakdown<'a> {
    a: &'a Analysis,
    oa: &'a OutcomeAnalysis,
    o: &'a Outcome,
    /// The outcome's label.
    label: &'a str,
    /// Which breakdown: its index in `impact.toml`.
    b: usize,
    files: &'a Files<'a>,
    l: &'a Language<'a>,
}

/// Where an outcome's downloads go: `URL/FOLDER-WHAT.csv`.
pub(super) struct Files<'a> {
    url: &'a str,
    folder: &'a str,
}

impl Files<'_> {
    pub(super) fn csv(&self, what: &str) -> String {
        format!("{}{}-{what}.csv", self.url, self.folder)
    }
}

/// What a chart's value axis shows: a group's level, or an impact.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Quantity {
    /// A mean, or a share in percent.
    Level,
    /// An impact: in the outcome's unit, or percentage points for yes/no outcomes.
    Impact,
}

/// A chart's value axis in the page's language: its title with the unit, and how its ticks are
/// written. Keys `axis_level_means`, `axis_level_shares`, `axis_impact_means`,
/// `axis_impact_shares` (`{unit}`), their `_plain` forms for outcomes without a unit, and
/// `axis_not_zero`.
pub(super) fn axis(o: &Outcome, l: &Language, q: Quantity) -> charts::Axis {
    let unit = o.unit_in(l.code, l.default);
    let quantity = if q == Quantity::Level {
        "level"
    } else {
        "impact"
    };
    let (key, ticks) = match o.kind {
        OutcomeKind::Binary if q == Quantity::Level => ("axis_level_shares".to_string(), "%"),
        OutcomeKind::Binary => ("axis_impact_shares".to_string(), "pp"),
        OutcomeKind::Continuous if unit.is_empty() => (format!("axis_{quantity}_means_plain"), ""),
        OutcomeKind::Continuous => (format!("axis_{quantity}_means"), unit),
    };
    charts::Axis {
        title: say(l, &key, &[("unit", unit), ("pp", &l.w("unit_pp"))]),
        unit: ticks.to_string(),
        not_zero: l.w("axis_not_zero"),
    }
}

/// The published cells by wave and group: table rows, chart series and the CSV.
fn trend(
    a: &Analysis,
    oa: &OutcomeAnalysis,
    o: &Outcome,
    l: &Language,
) -> (Vec<TrendRow>, [charts::Series; 2], String) {
    let s = &a.config.survey;
    let threshold = s.threshold;
    let mut rows = Vec::new();
    let mut series = [
        charts::Series {
            label: l.w("participants"),
            points: Vec::new(),
        },
        charts::Series {
            label: l.w("comparison"),
            points: Vec::new(),
        },
    ];
    let mut csv = String::from("wave,group,n,mean,ci_low,ci_high\n");
    let small = format!("< {threshold}");
    for (w, wave) in s.waves.iter().enumerate() {
        let mut row = TrendRow {
            wave: wave.clone(),
            treated: "–".into(),
            treated_n: "–".into(),
            comparison: "–".into(),
            comparison_n: "–".into(),
        };
        for (k, treated) in [true, false].into_iter().enumerate() {
            let published = oa
                .trend
                .get(&(w as u32, treated))
                .map(|c| privacy::cell(c, threshold));
            let (text, n, point) = match published {
                Some(Published::Shown(c)) => {
                    let half = half_width(o, &c, a.config.survey.weight.is_some());
                    csv.push_str(&format!(
                        "{},{},{},{},{},{}\n",
                        csv_escape(wave),
                        if treated { "treated" } else { "comparison" },
                        c.n,
                        csv_num(c.mean),
                        csv_num(c.mean - half),
                        csv_num(c.mean + half)
                    ));
                    (
                        level(o, c.mean, l),
                        locale::integer(c.n as i64, l.code),
                        Some((c.mean, c.mean - half, c.mean + half)),
                    )
                }
                Some(Published::Hidden(_)) => ("✱".to_string(), small.clone(), None),
                None => ("–".to_string(), "0".to_string(), None),
            };
            series[k].points.push(point);
            if treated {
                (row.treated, row.treated_n) = (text, n);
            } else {
                (row.comparison, row.comparison_n) = (text, n);
            }
        }
        rows.push(row);
    }
    (rows, series, csv)
}

/// The difference between the groups after the programme, in words: Welch for means, the
/// difference in proportions for shares. Hidden when either group's cell after the programme is
/// below the threshold, like the cells it is computed from.
fn post_difference(
    a: &Analysis,
    oa: &OutcomeAnalysis,
    o: &Outcome,
    l: &Language,
) -> Option<String> {
    let after = a.follow_up;
    let threshold = a.config.survey.threshold;
    let small = [true, false].iter().any(|t| {
        oa.trend
            .get(&(after, *t))
            .is_none_or(|c| privacy::cell(c, threshold).shown().is_none())
    });
    if small {
        return None;
    }
    match (oa.welch, oa.proportions) {
        (Some(w), _) => Some(sentences::after(o, [w.diff, w.lo, w.hi], None, l)),
        (None, Some(p)) => Some(sentences::after(
            o,
            [p.diff, p.lo, p.hi],
            Some((p.pa, p.pb)),
            l,
        )),
        _ => None,
    }
}

/// A group's mean (or share) in wave `wave` when its cell is published.
fn published_mean(a: &Analysis, oa: &OutcomeAnalysis, wave: u32, treated: bool) -> Option<f64> {
    let c = oa.trend.get(&(wave, treated))?;
    privacy::cell(c, a.config.survey.threshold)
        .shown()
        .map(|c| c.mean)
}

/// Breakdown `b` of an outcome: every level's estimate, the forest plot, the bars of
/// participants' level after the programme, their tables and downloads. Appends its rows to
/// `all` (the outcome's combined breakdown CSV).
fn breakdown(one: &Breakdown, all: &mut String, downloads: &mut Vec<Download>) -> BreakdownView {
    let Breakdown {
        a,
        oa,
        o,
        label,
        b,
        files,
        l,
    } = *one;
    let threshold = a.config.survey.threshold;
    let spec = &a.config.breakdowns[b];
    let blabel = ImpactConfig::label(&spec.label, l.code, l.default, &spec.column).to_string();
    let published = privacy::levels(&oa.breakdowns[b], threshold);
    let csv_start = all.len();
    let mut rows = Vec::new();
    let mut views = Vec::new();
    // Participants' level after the programme, for the bar chart.
    let mut after: Vec<(String, f64, u64)> = Vec::new();
    // Hidden levels, listed in the bars' table with ✱.
    let mut hidden: Vec<String> = Vec::new();
    // Levels whose standard error is not of the headline's kind (a level inside one cluster
    // cannot be clustered by area): named under the figure.
    let headline_kind = oa.design_estimate().estimate.kind.key();
    let mut other_kind: Vec<(String, String)> = Vec::new();
    for (lvl, p) in &published {
        let name = if lvl.is_empty() {
            l.w("blank_level")
        } else {
            spec.level_label(lvl, l.code, l.default).to_string()
        };
        match p {
            Published::Shown(d) => {
                if d.estimate.kind.key() != headline_kind {
                    other_kind.push((name.clone(), super::format::se_kind(d.estimate.kind, l)));
                }
                after.push((name.clone(), d.cells.t1.mean, d.cells.t1.n));
                rows.push(charts::Row {
                    label: name.clone(),
                    value: d.estimate.value,
                    lo: d.estimate.lo,
                    hi: d.estimate.hi,
                });
                all.push_str(&format!(
                    "{},{},{},\n",
                    csv_escape(&blabel),
                    csv_escape(&name),
                    did_fields(d)
                ));
                views.push(LevelView {
                    level: name,
                    estimate: Some(estimate_view(o, label, d, l)),
                    suppressed: None,
                });
            }
            Published::Hidden(why) => {
                hidden.push(name.clone());
                all.push_str(&format!(
                    "{},{},{NO_ESTIMATE},suppressed\n",
                    csv_escape(&blabel),
                    csv_escape(&name)
                ));
                views.push(LevelView {
                    level: name,
                    estimate: None,
                    suppressed: Some(suppressed_text(*why, threshold, l)),
                });
            }
        }
    }
    let clear = rows.iter().filter(|r| r.lo > 0.0 || r.hi < 0.0).count();
    // Counted among the levels shown; the hidden ones are named as hidden.
    let forest_title = say(
        l,
        &format!(
            "breakdown_title_{}{}",
            sentences::kind(o),
            if hidden.is_empty() { "" } else { "_hidden" }
        ),
        &[
            ("measure", &sentences::in_sentence(label)),
            ("Measure", label),
            ("breakdown", &sentences::in_sentence(&blabel)),
            ("count", &locale::integer(clear as i64, l.code)),
            ("total", &locale::integer(rows.len() as i64, l.code)),
            ("hidden", &locale::integer(hidden.len() as i64, l.code)),
        ],
    );
    // Take-up is reach: its breakdowns show the levels after the programme, no impact.
    let take_up = o.role == Role::TakeUp;
    let chart = (!rows.is_empty() && !take_up).then(|| {
        let desc = format!(
            "{label}, {}: {}",
            blabel.to_lowercase(),
            rows.iter()
                .map(|r| format!("{} {}", r.label, value(o, r.value, l, true)))
                .collect::<Vec<_>>()
                .join("; ")
        );
        charts::forest(
            &format!("{}-b{b}", o.id),
            &forest_title,
            &desc,
            &rows,
            &axis(o, l, Quantity::Impact),
            l.code,
        )
    });
    let column = spec.column.clone();
    // This chart's own download: the header and its rows of the combined file.
    let csv_path = files.csv(&slug::slugify(&column));
    if !take_up {
        downloads.push(Download {
            path: csv_path.clone(),
            csv: format!("{}{}", breakdown_header(), &all[csv_start..]),
        });
    }
    let mut figures = Vec::new();
    if !take_up {
        figures.push(FigureView {
            title: forest_title,
            svg: chart.clone(),
            table: Some(breakdown_table(label, &blabel, &views, l)),
            csv: csv_path,
        });
    }
    if !after.is_empty() {
        let path = files.csv(&format!("{}-{}", slug::slugify(&column), l.w("csv_after")));
        figures.push(level_bars(one, &blabel, &after, &hidden, path, downloads));
    }
    let se_note = (!other_kind.is_empty()).then(|| {
        let list = other_kind
            .iter()
            .map(|(level, kind)| format!("{level}: {kind}"))
            .collect::<Vec<_>>()
            .join("; ");
        format!("{} {list}.", l.w("breakdown_se_note"))
    });
    BreakdownView {
        label: blabel,
        column,
        chart,
        levels: views,
        figures,
        se_note,
    }
}

/// Bars of participants' level after the programme by breakdown level, with table and CSV.
fn level_bars(
    one: &Breakdown,
    b_label: &str,
    levels: &[(String, f64, u64)],
    hidden: &[String],
    csv_path: String,
    downloads: &mut Vec<Download>,
) -> FigureView {
    let (o, o_label, b, l) = (one.o, one.label, one.b, one.l);
    // "Highest" only when the top level stands out as shown (not a tie in the page's rounding).
    let mut by_value: Vec<&(String, f64, u64)> = levels.iter().collect();
    by_value.sort_by(|a, b| b.1.total_cmp(&a.1));
    let top = by_value.first().map_or(String::new(), |t| t.0.clone());
    let stands_out = match (by_value.first(), by_value.get(1)) {
        (Some(a), Some(b)) => level(o, a.1, l) != level(o, b.1, l),
        _ => false,
    };
    let title = say(
        l,
        &format!(
            "bars_title_{}{}",
            if o.kind == OutcomeKind::Binary {
                "shares"
            } else {
                "means"
            },
            if stands_out { "" } else { "_even" }
        ),
        &[
            ("measure", &sentences::in_sentence(o_label)),
            ("Measure", o_label),
            ("breakdown", &sentences::in_sentence(b_label)),
            ("top", &top),
        ],
    );
    let desc = levels
        .iter()
        .map(|(name, v, _)| format!("{name} {}", level(o, *v, l)))
        .collect::<Vec<_>>()
        .join("; ");
    let bars: Vec<(String, f64)> = levels.iter().map(|(n, v, _)| (n.clone(), *v)).collect();
    let svg = charts::bars(
        &format!("{}-b{b}-sesudah", o.id),
        &title,
        &format!("{desc}."),
        &bars,
        &axis(o, l, Quantity::Level),
        l.code,
    );
    let mut csv = String::from("level,participants_after,n\n");
    for (name, v, n) in levels {
        csv.push_str(&format!("{},{},{n}\n", csv_escape(name), csv_num(*v)));
    }
    downloads.push(Download {
        path: csv_path.clone(),
        csv,
    });
    // A hidden level's count may be hidden by complementary suppression: ✱ for both.
    let small = "✱".to_string();
    let rows = levels
        .iter()
        .map(|(name, v, n)| {
            (
                name.clone(),
                level(o, *v, l),
                locale::integer(*n as i64, l.code),
            )
        })
        .chain(
            hidden
                .iter()
                .map(|name| (name.clone(), "✱".to_string(), small.clone())),
        )
        .collect();
    FigureView {
        table: Some(bars_table(&title, b_label, rows, l)),
        title,
        svg: Some(svg),
        csv: csv_path,
    }
}

/// Half-width of the 95% interval of a cell mean (normal approximation); for weighted surveys
/// from the sandwich variance of the weighted mean, Σ(w·e)²/(Σw)².
fn half_width(o: &Outcome, c: &Cell, weighted: bool) -> f64 {
    if weighted {
        return crate::impact::stats::Z95 * c.sum_we2.sqrt() / c.sum_w;
    }
    let sd = match o.kind {
        OutcomeKind::Binary => (c.mean * (1.0 - c.mean)).sqrt(),
        OutcomeKind::Continuous => c.sd,
    };
    crate::impact::stats::Z95 * sd / (c.n as f64).sqrt()
}
