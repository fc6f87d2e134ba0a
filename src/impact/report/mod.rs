//! The impact report as published: privacy-safe aggregates of an [`Analysis`] turned into page
//! views, charts and CSV downloads in each language. Nothing row-level leaves this module.
//!
//! Its words come from the theme's `i18n.toml` ([`Language::w`]); its figures and tables are
//! data ([`views::FigureView`], [`views::TableView`]) that the theme's partials draw. The site
//! sees only [`build`]'s views and downloads and [`embeds`].

mod estimates;
mod format;
mod outcome;
mod tables;
pub mod views;

use std::collections::HashMap;

use crate::common::locale;
use crate::common::text::csv_escape;
use crate::impact::Analysis;
use crate::impact::charts;
use crate::impact::config::ImpactConfig;
use crate::impact::privacy::{self, Published};
use format::{csv_num, reason_text};
pub use views::{Download, Embed, FigureView, OutcomeView, ReportView, TableView};
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
        "outcome,unit,{},impact_in_sd,sd_ci_low,sd_ci_high,note\n",
        format::ESTIMATE_COLUMNS
    );
    for oa in &a.outcomes {
        let o = &config.outcomes[oa.outcome];
        let url = format!("{base}{}/", o.id);
        let view = outcome::outcome_view(a, oa, o, &url, l, &mut downloads);
        let unit = match o.kind {
            crate::impact::config::OutcomeKind::Binary => "share 0-1",
            crate::impact::config::OutcomeKind::Continuous => o.unit_in(l.code, l.default),
        };
        let head = format!("{},{}", csv_escape(&view.label), csv_escape(unit));
        if let Published::Shown(_) = privacy::headline(a, oa) {
            let d = oa.headline();
            let (fields, note) = format::headline_fields(oa);
            // Standardised: the effect in standard deviations of the outcome before the programme.
            let sd = oa.trend.get(&(a.baseline, false)).map_or(0.0, |c| c.sd);
            // No interval to draw when the data support no inference.
            let row = (sd > 0.0 && note.is_empty()).then(|| charts::Row {
                label: view.label.clone(),
                value: d.estimate.value / sd,
                lo: d.estimate.lo / sd,
                hi: d.estimate.hi / sd,
            });
            let in_sd = row.as_ref().map_or(",,".to_string(), |r| {
                format!("{},{},{}", csv_num(r.value), csv_num(r.lo), csv_num(r.hi))
            });
            overview_csv.push_str(&format!("{head},{fields},{in_sd},{note}\n"));
            overview_rows.extend(row);
        } else {
            overview_csv.push_str(&format!("{head},{},,,,suppressed\n", format::NO_ESTIMATE));
        }
        outcomes.push(view);
    }
    let overview_csv_path = format!("{base}dampak-ringkas.csv");
    downloads.push(Download {
        path: overview_csv_path.clone(),
        csv: overview_csv,
    });
    let overview_chart = charts::forest(
        "dampak-ringkas",
        &l.w("overview_title"),
        &overview_sentence(&overview_rows, l),
        &overview_rows,
        "",
        l.code,
    );
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
        overview_csv: overview_csv_path,
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

fn overview_sentence(rows: &[charts::Row], l: &Language) -> String {
    let up: Vec<&str> = rows
        .iter()
        .filter(|r| r.lo > 0.0)
        .map(|r| r.label.as_str())
        .collect();
    if up.is_empty() {
        l.w("overview_none")
    } else {
        format!("{} {}.", l.w("overview_up"), up.join(", "))
    }
}

/// What a markdown page can place by id: `chart:ID`, `table:ID` and `number:ID`.
pub fn embeds(view: &ReportView, l: &Language) -> HashMap<String, Embed> {
    let mut out = HashMap::new();
    out.insert(
        "chart:dampak-ringkas".to_string(),
        Embed::Figures {
            figures: vec![FigureView {
                svg: Some(view.overview_chart.clone()),
                table: None,
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
                table: tables::trend_table(&o.label, &o.trend, l),
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
