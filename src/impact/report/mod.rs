//! The impact report as published: privacy-safe aggregates of an [`Analysis`] turned into page
//! views, charts and CSV downloads in each language. Nothing row-level leaves this module.
//!
//! Its words come from the theme's `i18n.toml` ([`Language::w`]); its figures and tables are
//! data ([`views::FigureView`], [`views::TableView`]) that the theme's partials draw. The site
//! sees only [`build`]'s views and downloads and [`embeds`].

mod estimates;
mod format;
mod outcome;
mod sentences;
mod tables;
pub mod views;

use std::collections::HashMap;

use crate::common::locale;
use crate::common::text::csv_escape;
use crate::impact::Analysis;
use crate::impact::charts;
use crate::impact::config::{ImpactConfig, Role};
use crate::impact::privacy::{self, Published};
use format::{csv_num, reason_text};
pub use views::{Download, Embed, FigureView, OutcomeView, ReportView, StoryView, TableView};
use views::{OutcomeCountRow, ReasonRow};

/// The language a report is written in.
pub struct Language<'a> {
    /// Its code (`id`, `en`).
    pub code: &'a str,
    /// The site's default language, whose labels stand in for missing ones.
    pub default: &'a str,
    /// URL prefix of the language (`""`, `/en`).
    pub prefix: &'a str,
    /// The theme's word for a key of `i18n.toml` in this language.
    pub words: &'a (dyn Fn(&str) -> String + Sync),
}

impl Language<'_> {
    /// The theme's word for `key`.
    pub fn w(&self, key: &str) -> String {
        (self.words)(key)
    }

    /// URL of the report's overview page: `PREFIX/FOLDER/`, the folder being the theme's
    /// `impact_folder` word (`dampak`, `impact`).
    pub fn report_url(&self) -> String {
        format!("{}/{}/", self.prefix, self.w("impact_folder"))
    }
}

/// Builds the report in language `l`, and its CSV downloads.
pub fn build(a: &Analysis, l: &Language) -> (ReportView, Vec<Download>) {
    let config: &ImpactConfig = &a.config;
    let s = &config.survey;
    let threshold = s.threshold;
    let base = l.report_url();
    let mut downloads = Vec::new();
    let mut outcomes = Vec::new();
    let mut overview_rows = Vec::new();
    let mut overview_csv = format!(
        "outcome,unit,{},baseline,improvement_pct_of_baseline,pct_ci_low,pct_ci_high,note\n",
        format::ESTIMATE_COLUMNS
    );
    // What the home page says was left out, and which outcomes improved clearly.
    let (mut hidden, mut no_conclusion, mut better) = (Vec::new(), Vec::new(), Vec::new());
    let mut worse = 0;
    let mut judged = 0;
    // Breakdown figures hidden for privacy, over every outcome.
    let mut levels_hidden = 0;
    for oa in &a.outcomes {
        let o = &config.outcomes[oa.outcome];
        let url = format!("{base}{}/", o.id);
        let view = outcome::outcome_view(a, oa, o, &url, l, &mut downloads);
        // Take-up is reach: not an outcome of the overview.
        if o.role == Role::TakeUp {
            outcomes.push(view);
            continue;
        }
        judged += 1;
        let unit = match o.kind {
            crate::impact::config::OutcomeKind::Binary => "share 0-1",
            crate::impact::config::OutcomeKind::Continuous => o.unit_in(l.code, l.default),
        };
        let head = format!("{},{}", csv_escape(&view.label), csv_escape(unit));
        // Labels are names of measures, often verb phrases ("Sells online"): quoted in a list.
        let in_list = format!("“{}”", view.label);
        match &view.did {
            Some(_) if oa.no_inference().is_some() => no_conclusion.push(in_list.clone()),
            Some(d)
                if d.significant && (oa.headline().estimate.value > 0.0) == o.higher_is_better =>
            {
                better.push(in_list.clone())
            }
            Some(d) if d.significant => worse += 1,
            Some(_) => {}
            None => hidden.push(in_list.clone()),
        }
        levels_hidden += view
            .breakdowns
            .iter()
            .flat_map(|b| &b.levels)
            .filter(|lv| lv.suppressed.is_some())
            .count();
        if let Published::Shown(_) = privacy::headline(a, oa) {
            let d = oa.headline();
            let (fields, note) = format::headline_fields(oa);
            // Comparable across outcomes: the effect in percent of participants' level before
            // the programme (its published cell), which a reader understands.
            let base_level = oa
                .trend
                .get(&(a.baseline, true))
                .and_then(|c| privacy::cell(c, threshold).shown().map(|c| c.mean))
                .filter(|m| *m > 0.0);
            // No interval to draw when the data support no inference.
            // Drawn as an improvement: where lower is better, a fall is to the right.
            let sign = if o.higher_is_better { 1.0 } else { -1.0 };
            let row = base_level.filter(|_| note.is_empty()).map(|b| {
                let (lo, hi) = (sign * d.estimate.lo / b, sign * d.estimate.hi / b);
                charts::Row {
                    label: view.label.clone(),
                    value: sign * d.estimate.value / b * 100.0,
                    lo: lo.min(hi) * 100.0,
                    hi: lo.max(hi) * 100.0,
                }
            });
            let pct = row.as_ref().map_or(",,".to_string(), |r| {
                format!("{},{},{}", csv_num(r.value), csv_num(r.lo), csv_num(r.hi))
            });
            let base_csv = base_level.map_or(String::new(), csv_num);
            overview_csv.push_str(&format!("{head},{fields},{base_csv},{pct},{note}\n"));
            overview_rows.extend(row);
        } else {
            overview_csv.push_str(&format!("{head},{},,,,,suppressed\n", format::NO_ESTIMATE));
        }
        outcomes.push(view);
    }
    let overview_csv_path = format!("{base}dampak-ringkas.csv");
    downloads.push(Download {
        path: overview_csv_path.clone(),
        csv: overview_csv,
    });
    let count = |n: usize| locale::integer(n as i64, l.code);
    let key = match (better.is_empty(), worse == 0) {
        (true, true) => "overview_title_none",
        (false, true) => "overview_title_some",
        (false, false) => "overview_title_mixed",
        (true, false) => "overview_title_worse",
    };
    let overview_title = sentences::say(
        l,
        key,
        &[
            ("count", &count(better.len())),
            ("total", &count(judged)),
            ("worse", &count(worse)),
        ],
    );
    let overview_desc = if better.is_empty() {
        l.w("overview_none")
    } else {
        sentences::say(l, "overview_up", &[("list", &sentences::list(&better, l))])
    };
    let overview_chart = charts::forest(
        "dampak-ringkas",
        &overview_title,
        &overview_desc,
        &overview_rows,
        &charts::Axis {
            title: l.w("overview_axis"),
            unit: "pct".into(),
            not_zero: String::new(),
        },
        l.code,
    );
    let overview_table = tables::overview_table(&overview_title, &overview_rows, l);
    let mut left_out = Vec::new();
    if a.survey.rows_rejected > 0 {
        left_out.push(sentences::say(
            l,
            "say_rows_rejected",
            &[
                (
                    "rows",
                    &locale::integer(a.survey.rows_rejected as i64, l.code),
                ),
                ("read", &locale::integer(a.survey.rows_read as i64, l.code)),
            ],
        ));
    }
    if !hidden.is_empty() {
        left_out.push(sentences::say(
            l,
            "say_outcomes_hidden",
            &[
                ("list", &sentences::list(&hidden, l)),
                ("threshold", &count(threshold as usize)),
            ],
        ));
    }
    if levels_hidden > 0 {
        left_out.push(sentences::say(
            l,
            "say_levels_hidden",
            &[
                ("count", &count(levels_hidden)),
                ("threshold", &count(threshold as usize)),
            ],
        ));
    }
    if !no_conclusion.is_empty() {
        left_out.push(sentences::say(
            l,
            "say_outcomes_no_conclusion",
            &[("list", &sentences::list(&no_conclusion, l))],
        ));
    }
    let outcomes_taking_up = config.outcomes.iter().any(|o| o.role == Role::TakeUp);
    let waves_list = |names: &[String]| sentences::list(names, l);
    let story = StoryView {
        about: config_label(&s.about, l),
        who: sentences::say(
            l,
            "say_who",
            &[
                ("people", &count(a.survey.respondents as usize)),
                ("participants", &count(a.survey.participants as usize)),
                (
                    "comparison",
                    &count((a.survey.respondents - a.survey.participants) as usize),
                ),
            ],
        ),
        when: sentences::say(
            l,
            "say_when",
            &[
                ("before", &waves_list(&s.pre)),
                ("after", &waves_list(&s.post)),
            ],
        ),
        comparison_chosen: config_label(&s.comparison_chosen, l),
        left_out,
    };
    let reasons = a
        .survey
        .by_reason()
        .iter()
        .map(|(r, n)| ReasonRow {
            reason: reason_text(r.key(), l),
            count: locale::integer(*n as i64, l.code),
        })
        .collect();
    let outcome_counts = config
        .outcomes
        .iter()
        .zip(&a.survey.outcomes)
        .map(|(o, c)| OutcomeCountRow {
            label: ImpactConfig::label(&o.label, l.code, l.default, &o.id).to_string(),
            used: locale::integer(c.used as i64, l.code),
            missing: locale::integer(c.missing as i64, l.code),
            rejected: locale::integer(c.rejected as i64, l.code),
        })
        .collect();
    let missing_tokens = s
        .missing
        .iter()
        .map(|t| {
            if t.trim().is_empty() {
                l.w("empty_cell")
            } else {
                format!("“{t}”")
            }
        })
        .collect::<Vec<_>>()
        .join(", ");
    let se_cluster = a.outcomes.first().and_then(|o| o.did.se_cluster);
    let se_used = a.outcomes.first().map_or(String::new(), |o| {
        let kind = o.did.estimate.kind;
        let why = match s.se {
            Some(_) => "se_why_declared".to_string(),
            None => format!("se_why_{}", kind.key()),
        };
        format!("{} {}", format::se_kind(kind, l), l.w(&why))
    });
    let title = l.w("impact_title");
    let view = ReportView {
        title: ImpactConfig::label(&s.title, l.code, l.default, &title).to_string(),
        synthetic: s.synthetic,
        threshold,
        outcomes,
        overview_chart,
        overview_title,
        overview_table,
        overview_csv: overview_csv_path,
        story,
        data_date: data_date(a, l),
        take_up: outcomes_taking_up,
        method_version: format!(
            "berdaya {} · {}",
            env!("CARGO_PKG_VERSION"),
            l.w(&format!("design_name_{}", s.design.key()))
        ),
        rows_read: locale::integer(a.survey.rows_read as i64, l.code),
        rows_used: locale::integer(a.survey.rows_used as i64, l.code),
        rows_rejected: locale::integer(a.survey.rows_rejected as i64, l.code),
        reasons,
        outcome_counts,
        duplicates_rule: l.w(&format!(
            "duplicates_{}",
            s.duplicates.key().replace('-', "_")
        )),
        missing_tokens,
        respondents: locale::integer(a.survey.respondents as i64, l.code),
        data_shape: l.w(&format!("method_design_{}", a.survey.shape().key())),
        waves_before: s.pre.join(", "),
        wave_after: s.waves[a.follow_up as usize].clone(),
        se_used,
        design_text: l.w(&format!("method_estimate_{}", s.design.key())),
        show_equation: matches!(
            s.design,
            crate::impact::config::DesignKind::TwoByTwo | crate::impact::config::DesignKind::Pooled
        ),
        clusters: se_cluster.map(|(_, g)| locale::integer(g as i64, l.code)),
        few_clusters: a.outcomes.iter().any(|o| o.bootstrap.is_some()),
        method_url: format!("{base}{}/", l.w("method_folder")),
        quality_url: format!("{base}{}/", l.w("quality_folder")),
        url: base,
    };
    (view, downloads)
}

/// A per-language text of impact.toml, when given.
fn config_label(labels: &crate::config::Labels, l: &Language) -> Option<String> {
    let text = ImpactConfig::label(labels, l.code, l.default, "");
    (!text.trim().is_empty()).then(|| text.to_string())
}

/// The date of the data, in the page's language: `data_date` of impact.toml, else the newest
/// modification date of the survey files (in UTC).
fn data_date(a: &Analysis, l: &Language) -> String {
    let date = a.config.survey.data_date.map(|d| d.0).or_else(|| {
        let t = jiff::Timestamp::try_from(a.survey.modified?).ok()?;
        Some(t.to_zoned_datetime(jiff::tz::TimeZone::UTC).date())
    });
    date.map_or_else(|| "–".to_string(), |d| locale::date(d, l.code))
}

/// What a markdown page can place by id: `chart:ID`, `table:ID` and `number:ID`.
pub fn embeds(view: &ReportView, l: &Language) -> HashMap<String, Embed> {
    let mut out = HashMap::new();
    out.insert(
        "chart:dampak-ringkas".to_string(),
        Embed::Figures {
            figures: vec![FigureView {
                title: view.overview_title.clone(),
                svg: Some(view.overview_chart.clone()),
                table: Some(view.overview_table.clone()),
                csv: view.overview_csv.clone(),
            }],
        },
    );
    for o in &view.outcomes {
        out.insert(
            format!("chart:{}-tren", o.id),
            Embed::Figures {
                figures: vec![o.trend_figure.clone()],
            },
        );
        out.insert(
            format!("table:{}-tren", o.id),
            Embed::Table {
                table: o
                    .trend_figure
                    .table
                    .clone()
                    .unwrap_or_else(|| tables::trend_table(&o.label, "means", &o.trend, l)),
            },
        );
        if let Some(d) = &o.did {
            let number = |text: String| Embed::Number { text };
            out.insert(format!("number:{}-dampak", o.id), number(d.value.clone()));
            out.insert(
                format!("number:{}-ik95", o.id),
                number(format!("{} {} {}", d.lo, l.w("range_to"), d.hi)),
            );
            out.insert(format!("number:{}-n", o.id), number(d.n.clone()));
        }
        for b in &o.breakdowns {
            let id = format!("{}-{}", o.id, slug::slugify(&b.column));
            // The forest plot (or its table) and the bars of participants' level after.
            out.insert(
                format!("chart:{id}"),
                Embed::Figures {
                    figures: b.figures.clone(),
                },
            );
            out.insert(
                format!("table:{id}"),
                Embed::Table {
                    table: tables::breakdown_table(&o.label, &b.label, &b.levels, l),
                },
            );
        }
    }
    out
}
