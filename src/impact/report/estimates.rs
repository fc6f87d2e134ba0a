//! One outcome's estimates as downloads and figures beyond the trend: every estimate with its
//! standard error, df, interval, p-value and counts (the estimates CSV), and the event study's
//! chart, table, CSV and joint test in words.

use super::Language;
use super::format::{
    ESTIMATE_COLUMNS, NO_ESTIMATE, did_fields, estimate_fields, headline_fields, value,
};
use super::outcome::{Files, Quantity, axis};
use super::views::{CellView, Download, FigureView, RowView, TableView};
use crate::common::locale;
use crate::common::text::csv_escape;
use crate::impact::charts;
use crate::impact::config::Outcome;
use crate::impact::privacy::{self, Published};
use crate::impact::stats::DiffMethod;
use crate::impact::{Analysis, OutcomeAnalysis};

/// The event study as a chart with its table and CSV download (each wave's effect relative to
/// the reference wave).
pub(super) fn event_figure(
    a: &Analysis,
    es: &crate::impact::event_study::EventStudy,
    o: &Outcome,
    label: &str,
    files: &Files,
    l: &Language,
) -> (FigureView, Download) {
    let waves = &a.config.survey.waves;
    let mut csv = format!("wave,{ESTIMATE_COLUMNS},note\n");
    let mut rows = Vec::new();
    let mut points = Vec::new();
    for (k, name) in waves.iter().enumerate() {
        let effect = es.effects.iter().find(|e| e.wave == k as u32);
        let (point, cells, line) = match effect.map(|e| e.estimate) {
            Some(Some(e)) => (
                Some((e.value, e.lo, e.hi)),
                effect_cells(o, &e, l),
                format!(
                    "{},{},",
                    csv_escape(name),
                    estimate_fields(
                        [e.value, e.se, e.df, e.lo, e.hi, e.p],
                        e.kind.key(),
                        es.n,
                        es.people,
                        Some(es.clusters)
                    )
                ),
            ),
            Some(None) => (
                Some((0.0, 0.0, 0.0)),
                vec![value(o, 0.0, l, false), l.w("event_reference")],
                format!("{},{NO_ESTIMATE},reference wave", csv_escape(name)),
            ),
            None => continue,
        };
        points.push((name.clone(), point));
        rows.push(RowView {
            head: name.clone(),
            cells: cells.into_iter().map(CellView::num).collect(),
        });
        csv.push_str(&line);
        csv.push('\n');
    }
    let profile = Profile {
        chart_id: format!("{}-peristiwa", o.id),
        key: "event",
        first_column: l.w("wave"),
        csv_name: l.w("csv_event_study"),
        start: a.follow_up as usize,
    };
    profile_figure(&profile, points, rows, csv, o, label, files, l)
}

/// A table row's cells for an effect: the value and its 95% interval.
fn effect_cells(o: &Outcome, e: &crate::impact::stats::Estimate, l: &Language) -> Vec<String> {
    vec![
        value(o, e.value, l, true),
        format!(
            "{} {} {}",
            value(o, e.lo, l, false),
            l.w("range_to"),
            value(o, e.hi, l, false)
        ),
    ]
}

/// What differs between the two effect-by-wave figures (event study, staggered profile).
struct Profile {
    chart_id: String,
    /// Prefix of the i18n keys `{key}_chart_title` and `{key}_chart_desc`.
    key: &'static str,
    first_column: String,
    csv_name: String,
    /// Index of the first point in the programme (where the dashed line goes).
    start: usize,
}

/// An effect-by-wave figure: the chart, its table and its CSV download.
#[allow(clippy::too_many_arguments)]
fn profile_figure(
    profile: &Profile,
    points: Vec<(String, Option<charts::Interval>)>,
    rows: Vec<RowView>,
    csv: String,
    o: &Outcome,
    label: &str,
    files: &Files,
    l: &Language,
) -> (FigureView, Download) {
    // The finding: whether the gap opened after the start, was there before it, or is unclear.
    let clear = |p: &Option<charts::Interval>| p.is_some_and(|(_, lo, hi)| lo > 0.0 || hi < 0.0);
    let finding = if points[..profile.start.min(points.len())]
        .iter()
        .any(|p| clear(&p.1))
    {
        "before"
    } else if points[profile.start.min(points.len())..]
        .iter()
        .any(|p| clear(&p.1))
    {
        "opened"
    } else {
        "unclear"
    };
    let title = super::sentences::say(
        l,
        &format!("{}_title_{finding}", profile.key),
        &[
            ("measure", &super::sentences::in_sentence(label)),
            ("Measure", label),
        ],
    );
    let svg = charts::event_study(
        &profile.chart_id,
        &title,
        &l.w(&format!("{}_chart_desc", profile.key)),
        &points,
        (profile.start, &l.w("chart_start")),
        &axis(o, l, Quantity::Impact),
        l.code,
    );
    let path = files.csv(&profile.csv_name);
    let figure = FigureView {
        title: title.clone(),
        svg: Some(svg),
        table: Some(TableView {
            caption: title,
            head: vec![
                CellView::text(profile.first_column.clone()),
                CellView::num(l.w("event_effect")),
                CellView::num(l.w("ci95")),
            ],
            rows,
        }),
        csv: path.clone(),
    };
    (figure, Download { path, csv })
}

/// The staggered design's impact by waves since the start (the event-time profile) as a chart
/// with its table and CSV download; a point resting on fewer participants than the threshold
/// is hidden.
pub(super) fn staggered_figure(
    a: &Analysis,
    st: &crate::impact::staggered::Staggered,
    o: &Outcome,
    label: &str,
    files: &Files,
    l: &Language,
) -> (FigureView, Download) {
    let threshold = a.config.survey.threshold;
    let mut csv = format!("waves_since_start,{ESTIMATE_COLUMNS},note\n");
    let mut rows = Vec::new();
    let mut points = Vec::new();
    for p in &st.profile {
        let e = p.effect.estimate;
        let head = match p.e {
            e if e > 0 => format!("+{e}"),
            e if e < 0 => format!("−{}", -e),
            _ => "0".to_string(),
        };
        let shown = p.effect.treated as u64 >= threshold;
        let (point, cells) = if shown {
            csv.push_str(&format!(
                "{},{},\n",
                p.e,
                estimate_fields(
                    [e.value, e.se, e.df, e.lo, e.hi, e.p],
                    e.kind.key(),
                    st.n_obs(),
                    st.units as u64,
                    Some(st.clusters)
                )
            ));
            (Some((e.value, e.lo, e.hi)), effect_cells(o, &e, l))
        } else {
            csv.push_str(&format!("{},{NO_ESTIMATE},suppressed\n", p.e));
            let why = super::format::suppressed_text(privacy::Suppressed::SmallCell, threshold, l);
            (None, vec![why, String::new()])
        };
        points.push((head.clone(), point));
        rows.push(RowView {
            head,
            cells: cells.into_iter().map(CellView::num).collect(),
        });
    }
    let profile = Profile {
        chart_id: format!("{}-sejak-mulai", o.id),
        key: "staggered",
        first_column: l.w("staggered_event_time"),
        csv_name: l.w("csv_staggered"),
        start: st.profile.iter().position(|p| p.e >= 0).unwrap_or(0),
    };
    profile_figure(&profile, points, rows, csv, o, label, files, l)
}

/// The joint test of the effects before the programme, in words that claim no more than it
/// shows; `design` is `event` or `staggered` (the i18n keys' prefix).
pub(super) fn pretrend_text(
    w: &crate::impact::event_study::WaldTest,
    design: &str,
    l: &Language,
) -> String {
    let key = if w.p < 0.05 {
        format!("{design}_pretrend_differs")
    } else {
        format!("{design}_pretrend_none")
    };
    format!("{}.", l.w(&key))
}

/// The joint test's statistic for the technical details: `F = 0.48, p = 0.699`.
pub(super) fn pretrend_statistic(w: &crate::impact::event_study::WaldTest, l: &Language) -> String {
    format!(
        "F = {}, p = {}",
        locale::number(w.f, 2, l.code),
        locale::number(w.p, 3, l.code)
    )
}

/// Every estimate of an outcome with [`ESTIMATE_COLUMNS`]: the DiD, the placebo DiD and the
/// difference between the groups after the programme (Welch's t-test, or the difference in
/// proportions with Newcombe's interval); a suppressed one has empty columns and a note.
pub(super) fn estimates_csv(a: &Analysis, oa: &OutcomeAnalysis) -> String {
    let threshold = a.config.survey.threshold;
    let mut csv = format!("estimate_of,method,{ESTIMATE_COLUMNS},note\n");
    let did_row = |of: &str, method: &str, d: &crate::impact::Did| {
        let fields = match privacy::did(d, threshold) {
            Published::Shown(d) => format!("{},", did_fields(&d)),
            Published::Hidden(_) => format!("{NO_ESTIMATE},suppressed"),
        };
        format!("{of},{},{fields}\n", csv_escape(method))
    };
    let method = match a.config.survey.design {
        crate::impact::config::DesignKind::EventStudy => {
            "two-way fixed effects event study; first wave after"
        }
        crate::impact::config::DesignKind::Staggered => {
            "Callaway-Sant'Anna group-time effects against not-yet-treated; averaged by cohort (overall)"
        }
        _ => "OLS y ~ treated + post + treated:post",
    };
    csv.push_str(&match (oa.no_inference(), privacy::headline(a, oa)) {
        (Some(_), Published::Shown(_)) => {
            let (fields, note) = headline_fields(oa);
            format!("did,{},{fields},{note}\n", csv_escape(method))
        }
        _ => did_row("did", method, &oa.design_estimate()),
    });
    if let (None, Some(b), Published::Shown(d)) =
        (oa.no_inference(), &oa.bootstrap, privacy::headline(a, oa))
    {
        let g = d.estimate.kind.clusters();
        csv.push_str(&format!(
            "did,wild cluster bootstrap (WCR; Webb weights; {} draws; seed {}),{},\n",
            b.draws,
            b.seed,
            estimate_fields(
                [d.estimate.value, d.estimate.se, f64::NAN, b.lo, b.hi, b.p],
                "wild_cluster_bootstrap",
                d.n_obs(),
                d.people(),
                g,
            )
        ));
    }
    if let Some(p) = &oa.placebo {
        csv.push_str(&did_row(
            "placebo",
            "the same DiD on the two last waves before",
            p,
        ));
    }
    let after = a.follow_up;
    let cells = (oa.trend.get(&(after, true)), oa.trend.get(&(after, false)));
    let (Some(t), Some(c)) = cells else {
        return csv;
    };
    let shown = [t, c]
        .iter()
        .all(|cell| privacy::cell(cell, threshold).shown().is_some());
    let n = t.n + c.n;
    let row = match (oa.welch, oa.proportions) {
        (Some(w), _) => Some(match w.method {
            DiffMethod::Welch => (
                "Welch t-test",
                estimate_fields([w.diff, w.se, w.df, w.lo, w.hi, w.p], "welch", n, n, None),
            ),
            DiffMethod::WlsHc1 => (
                "WLS y ~ treated (weighted)",
                estimate_fields([w.diff, w.se, w.df, w.lo, w.hi, w.p], "hc1", n, n, None),
            ),
        }),
        (None, Some(p)) => Some((
            "difference in proportions (Newcombe interval; pooled z test)",
            estimate_fields(
                [p.diff, p.se, f64::INFINITY, p.lo, p.hi, p.p],
                "unpooled",
                n,
                n,
                None,
            ),
        )),
        _ => None,
    };
    if let Some((method, fields)) = row {
        let fields = if shown {
            format!("{fields},")
        } else {
            format!("{NO_ESTIMATE},suppressed")
        };
        csv.push_str(&format!(
            "post_difference,{},{fields}\n",
            csv_escape(method)
        ));
    }
    csv
}
