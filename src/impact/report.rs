//! The impact report as published: privacy-safe aggregates of an [`Analysis`] turned into page
//! views, charts and CSV downloads in each language. Nothing row-level leaves this module.

use serde::Serialize;

use crate::common::locale;
use crate::impact::charts;
use crate::impact::config::{ImpactConfig, Outcome, OutcomeKind};
use crate::impact::privacy::{self, Published, Suppressed};
use crate::impact::stats::{Estimate, Reliability, SeKind};
use crate::impact::{Analysis, Did, OutcomeAnalysis};

/// URL folder of the report in a language.
pub fn folder(lang: &str) -> &'static str {
    if lang == "id" { "dampak" } else { "impact" }
}

fn t<'a>(lang: &str, id: &'a str, en: &'a str) -> &'a str {
    if lang == "id" { id } else { en }
}

/// A value in the outcome's unit: rupiah, percentage points for binary outcomes, or a number.
fn value(o: &Outcome, v: f64, lang: &str, signed: bool) -> String {
    let sign = if signed && v > 0.0 { "+" } else { "" };
    match (o.kind, o.unit.as_str()) {
        (OutcomeKind::Binary, _) => format!(
            "{sign}{}{}",
            locale::number(v * 100.0, 1, lang),
            t(lang, " poin persen", " percentage points")
        ),
        // Survey amounts are not precise to the rupiah: round to thousands.
        (_, "Rp") if v.abs() >= 100_000.0 => format!(
            "{sign}{}",
            locale::rupiah((v / 1000.0).round() as i64 * 1000, lang)
        ),
        (_, "Rp") => format!("{sign}{}", locale::rupiah(v.round() as i64, lang)),
        (_, "") => format!("{sign}{}", locale::number(v, 1, lang)),
        (_, unit) => format!("{sign}{}\u{a0}{unit}", locale::number(v, 1, lang)),
    }
}

/// A level (mean or proportion) in the outcome's unit.
fn level(o: &Outcome, v: f64, lang: &str) -> String {
    match o.kind {
        OutcomeKind::Binary => format!("{}%", locale::number(v * 100.0, 1, lang)),
        OutcomeKind::Continuous => value(o, v, lang, false),
    }
}

#[derive(Serialize, Clone)]
pub struct EstimateView {
    pub value: String,
    pub lo: String,
    pub hi: String,
    pub se: String,
    pub se_kind: String,
    pub n: String,
    pub rse: String,
    pub reliability: String,
    pub reliability_class: &'static str,
    pub significant: bool,
    /// Plain verdict, using whether higher is better for this outcome.
    pub verdict: String,
    /// One sentence in plain words.
    pub sentence: String,
}

#[derive(Serialize)]
pub struct TrendRow {
    pub wave: String,
    pub treated: String,
    pub treated_n: String,
    pub comparison: String,
    pub comparison_n: String,
}

#[derive(Serialize)]
pub struct LevelView {
    pub level: String,
    pub estimate: Option<EstimateView>,
    /// Why it is hidden, when it is.
    pub suppressed: Option<String>,
}

#[derive(Serialize)]
pub struct BreakdownView {
    pub label: String,
    /// Column name, part of the embed id `OUTCOME-COLUMN`.
    pub column: String,
    pub chart: Option<String>,
    pub levels: Vec<LevelView>,
    /// The chart with its data table, ready to place in a page.
    pub figure: String,
}

#[derive(Serialize)]
pub struct OutcomeView {
    pub id: String,
    pub label: String,
    pub url: String,
    pub did: Option<EstimateView>,
    pub placebo: Option<EstimateView>,
    pub placebo_verdict: Option<String>,
    pub post_difference: Option<String>,
    pub trend_chart: String,
    pub trend: Vec<TrendRow>,
    /// The trend chart with its data table and download, ready to place in a page.
    pub trend_figure: String,
    pub breakdowns: Vec<BreakdownView>,
    pub csv_trend: String,
    pub csv_breakdowns: String,
}

#[derive(Serialize)]
pub struct ReasonRow {
    pub reason: String,
    pub count: String,
}

#[derive(Serialize)]
pub struct ReportView {
    pub title: String,
    pub synthetic: bool,
    pub threshold: u64,
    pub outcomes: Vec<OutcomeView>,
    pub overview_chart: String,
    pub overview_csv: String,
    pub rows_read: String,
    pub rows_used: String,
    pub rows_rejected: String,
    pub reasons: Vec<ReasonRow>,
    pub waves_before: String,
    pub wave_after: String,
    pub clusters: Option<String>,
    pub few_clusters: bool,
    pub url: String,
    pub method_url: String,
    pub quality_url: String,
}

/// Files the report publishes besides its pages: CSV of aggregates.
pub struct Download {
    pub path: String,
    pub csv: String,
}

fn se_kind(kind: SeKind, lang: &str) -> String {
    match kind {
        SeKind::Hc1 => t(lang, "robust (HC1)", "robust (HC1)").to_string(),
        SeKind::Respondent(g) => format!(
            "{} ({} {})",
            t(lang, "klaster per responden", "clustered by respondent"),
            locale::integer(g as i64, lang),
            t(lang, "responden", "respondents")
        ),
        SeKind::Cluster(g) => format!(
            "{} ({} {})",
            t(lang, "klaster per wilayah", "clustered by area"),
            locale::integer(g as i64, lang),
            t(lang, "klaster", "clusters")
        ),
    }
}

fn estimate_view(o: &Outcome, label: &str, d: &Did, lang: &str) -> EstimateView {
    let e: Estimate = d.estimate;
    let (reliability, class) = match e.reliability() {
        Reliability::Reliable => (
            t(lang, "andal (RSE ≤ 25%)", "reliable (RSE ≤ 25%)"),
            "reliable",
        ),
        Reliability::Caution => (
            t(
                lang,
                "gunakan dengan hati-hati (RSE 25–50%)",
                "use with caution (RSE 25–50%)",
            ),
            "caution",
        ),
        Reliability::Unreliable => (
            t(lang, "tidak andal (RSE > 50%)", "not reliable (RSE > 50%)"),
            "unreliable",
        ),
    };
    let (verb, direction) = if e.value >= 0.0 {
        (
            t(lang, "peserta naik", "of participants rose"),
            t(
                lang,
                "lebih tinggi daripada kelompok pembanding",
                "more than the comparison group's",
            ),
        )
    } else {
        (
            t(lang, "peserta berubah", "of participants changed by"),
            t(
                lang,
                "lebih rendah daripada kelompok pembanding",
                "less than the comparison group's",
            ),
        )
    };
    let magnitude = value(o, e.value.abs(), lang, false);
    let sentence = format!(
        "{label} {verb} {magnitude} {direction} ({} {} {} {}).",
        t(lang, "IK 95%:", "95% CI:"),
        value(o, e.lo, lang, false),
        t(lang, "sampai", "to"),
        value(o, e.hi, lang, false)
    );
    EstimateView {
        value: value(o, e.value, lang, true),
        lo: value(o, e.lo, lang, false),
        hi: value(o, e.hi, lang, false),
        se: value(o, e.se, lang, false),
        se_kind: se_kind(e.kind, lang),
        n: locale::integer(d.cells.n() as i64, lang),
        rse: if e.rse().is_finite() {
            format!("{}%", locale::number(e.rse() * 100.0, 0, lang))
        } else {
            "–".into()
        },
        reliability: reliability.to_string(),
        reliability_class: class,
        significant: e.significant(),
        verdict: match (e.significant(), (e.value > 0.0) == o.higher_is_better) {
            (false, _) => t(lang, "tidak ada perubahan nyata", "no clear change"),
            (true, true) => t(lang, "membaik nyata", "clearly better"),
            (true, false) => t(lang, "memburuk nyata", "clearly worse"),
        }
        .to_string(),
        sentence,
    }
}

fn suppressed_text(s: Suppressed, threshold: u64, lang: &str) -> String {
    match s {
        Suppressed::SmallCell => format!(
            "{} {threshold} {}",
            t(lang, "disembunyikan: kurang dari", "hidden: fewer than"),
            t(
                lang,
                "responden di salah satu sel",
                "respondents in one of its cells"
            )
        ),
        Suppressed::Complementary => t(
            lang,
            "disembunyikan agar angka sel kecil tidak bisa dihitung dari total",
            "hidden so a small cell cannot be worked out from the total",
        )
        .to_string(),
    }
}

/// Builds the report in `lang`, and its CSV downloads.
pub fn build(a: &Analysis, lang: &str, prefix: &str) -> (ReportView, Vec<Download>) {
    let config: &ImpactConfig = &a.config;
    let s = &config.survey;
    let threshold = s.threshold;
    let base = format!("{prefix}/{}/", folder(lang));
    let mut downloads = Vec::new();
    let mut outcomes = Vec::new();
    let mut overview_rows = Vec::new();
    for oa in &a.outcomes {
        let o = &config.outcomes[oa.outcome];
        let label = ImpactConfig::label(&o.label, lang, &o.id).to_string();
        let url = format!("{base}{}/", o.id);
        let view = outcome_view(a, oa, o, &label, &url, lang, &mut downloads);
        if let Published::Shown(d) = privacy::did(&oa.did, threshold) {
            // Standardised: the effect in standard deviations of the outcome before the programme.
            let before = s
                .waves
                .iter()
                .position(|w| w == s.pre.last().unwrap())
                .unwrap_or(0) as u32;
            let sd = oa.trend.get(&(before, false)).map(|c| c.sd).unwrap_or(0.0);
            if sd > 0.0 {
                overview_rows.push(charts::Row {
                    label: label.clone(),
                    value: d.estimate.value / sd,
                    lo: d.estimate.lo / sd,
                    hi: d.estimate.hi / sd,
                });
            }
        }
        outcomes.push(view);
    }
    let mut overview_csv = String::from("outcome,impact_in_sd,ci_low,ci_high\n");
    for r in &overview_rows {
        overview_csv.push_str(&format!(
            "{},{},{},{}\n",
            csv_escape(&r.label),
            csv_num(r.value),
            csv_num(r.lo),
            csv_num(r.hi)
        ));
    }
    let overview_csv_path = format!("{base}dampak-ringkas.csv");
    downloads.push(Download {
        path: overview_csv_path.clone(),
        csv: overview_csv,
    });
    let overview_chart = charts::forest(
        "dampak-ringkas",
        t(
            lang,
            "Dampak program pada semua ukuran, dalam simpangan baku",
            "Programme impact on every outcome, in standard deviations",
        ),
        &overview_sentence(&overview_rows, lang),
        &overview_rows,
        "",
        lang,
    );
    let by_reason = a.survey.by_reason();
    let reasons = by_reason
        .iter()
        .map(|(r, n)| ReasonRow {
            reason: reason_text(r.key(), lang).to_string(),
            count: locale::integer(*n as i64, lang),
        })
        .collect();
    let clusters = a
        .outcomes
        .first()
        .and_then(|o| o.did.se_cluster)
        .map(|(_, g)| locale::integer(g as i64, lang));
    let few_clusters = a
        .outcomes
        .first()
        .and_then(|o| o.did.se_cluster)
        .is_some_and(|(_, g)| g < 42);
    let view = ReportView {
        title: ImpactConfig::label(
            &s.title,
            lang,
            t(lang, "Dampak program", "Programme impact"),
        )
        .to_string(),
        synthetic: s.synthetic,
        threshold,
        outcomes,
        overview_chart,
        overview_csv: overview_csv_path,
        rows_read: locale::integer(a.survey.rows_read as i64, lang),
        rows_used: locale::integer(a.survey.rows_used as i64, lang),
        rows_rejected: locale::integer(a.survey.rows_rejected as i64, lang),
        reasons,
        waves_before: s.pre.join(", "),
        wave_after: s.post[0].clone(),
        clusters,
        few_clusters,
        method_url: format!("{base}{}/", t(lang, "metode", "method")),
        quality_url: format!("{base}{}/", t(lang, "kualitas-data", "data-quality")),
        url: base,
    };
    (view, downloads)
}

fn overview_sentence(rows: &[charts::Row], lang: &str) -> String {
    let up: Vec<&str> = rows
        .iter()
        .filter(|r| r.lo > 0.0)
        .map(|r| r.label.as_str())
        .collect();
    if up.is_empty() {
        t(
            lang,
            "Tidak ada ukuran yang berubah nyata dibandingkan kelompok pembanding.",
            "No outcome changed clearly against the comparison group.",
        )
        .to_string()
    } else {
        format!(
            "{} {}.",
            t(
                lang,
                "Dibandingkan kelompok pembanding, peserta naik nyata pada:",
                "Against the comparison group, participants rose clearly in:"
            ),
            up.join(", ")
        )
    }
}

fn reason_text(key: &str, lang: &str) -> &'static str {
    match (key, lang == "id") {
        ("missing_id", true) => "ID responden kosong",
        ("missing_id", false) => "respondent id missing",
        ("unknown_wave", true) => "gelombang survei tidak dikenal",
        ("unknown_wave", false) => "unknown survey wave",
        ("unknown_group", true) => "kelompok tidak dikenal",
        ("unknown_group", false) => "unknown group",
        ("unparseable", true) => "angka tidak terbaca",
        ("unparseable", false) => "number could not be read",
        ("out_of_range", true) => "nilai di luar rentang yang sah",
        ("out_of_range", false) => "value outside the valid range",
        ("not_binary", true) => "bukan jawaban ya/tidak",
        ("not_binary", false) => "not a yes/no answer",
        ("bad_weight", true) => "bobot tidak sah",
        ("bad_weight", false) => "invalid weight",
        (_, true) => "responden ganda dalam satu gelombang",
        (_, false) => "respondent repeated within a wave",
    }
}

/// A number for a CSV download: 10 significant digits, so the last bits of floating-point
/// sums (whose order parallel aggregation does not fix) do not change the file between builds.
fn csv_num(v: f64) -> String {
    format!("{v:.9e}")
        .parse::<f64>()
        .map_or_else(|_| v.to_string(), |r| r.to_string())
}

use crate::common::text::csv_escape;

fn outcome_view(
    a: &Analysis,
    oa: &OutcomeAnalysis,
    o: &Outcome,
    label: &str,
    url: &str,
    lang: &str,
    downloads: &mut Vec<Download>,
) -> OutcomeView {
    let s = &a.config.survey;
    let threshold = s.threshold;
    let (treated_label, comparison_label) = (
        t(lang, "Peserta", "Participants"),
        t(lang, "Pembanding", "Comparison"),
    );
    // Trend: published cells only.
    let mut trend = Vec::new();
    let mut series = [
        charts::Series {
            label: treated_label.into(),
            points: Vec::new(),
        },
        charts::Series {
            label: comparison_label.into(),
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
                    let half = stats_half_width(o, &c);
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
                        level(o, c.mean, lang),
                        locale::integer(c.n as i64, lang),
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
        trend.push(row);
    }
    let folder = url
        .trim_end_matches('/')
        .rsplit('/')
        .next()
        .unwrap_or(&o.id)
        .to_string();
    let csv_trend = format!("{url}{}-{}.csv", folder, t(lang, "tren", "trend"));
    downloads.push(Download {
        path: csv_trend.clone(),
        csv,
    });

    let did = privacy::did(&oa.did, threshold)
        .shown()
        .map(|d| estimate_view(o, label, d, lang));
    let placebo = oa.placebo.as_ref().and_then(|p| {
        privacy::did(p, threshold)
            .shown()
            .map(|d| estimate_view(o, label, d, lang))
    });
    let placebo_verdict = oa.placebo.as_ref().map(|p| {
        if p.estimate.significant() {
            t(lang, "Sebelum program, kedua kelompok sudah berubah dengan laju berbeda: tafsirkan dampak dengan hati-hati.", "Before the programme the two groups already changed at different rates: read the impact with caution.").to_string()
        } else {
            t(lang, "Sebelum program, kedua kelompok berubah dengan laju yang sama (uji plasebo tidak menemukan beda nyata): perbandingan ini layak dipercaya.", "Before the programme both groups changed at the same rate (the placebo test found no clear difference): the comparison is credible.").to_string()
        }
    });
    let post_difference = match (oa.welch, oa.proportions) {
        (Some(w), _) => Some(format!(
            "{}: {} ({} {} {} {}; Welch)",
            t(
                lang,
                "Selisih peserta − pembanding sesudah program",
                "Participants − comparison after the programme"
            ),
            value(o, w.diff, lang, true),
            t(lang, "IK 95%", "95% CI"),
            value(o, w.lo, lang, false),
            t(lang, "sampai", "to"),
            value(o, w.hi, lang, false)
        )),
        (None, Some(p)) => Some(format!(
            "{}: {}% − {}% = {} ({} {} {} {})",
            t(
                lang,
                "Proporsi sesudah program, peserta − pembanding",
                "Share after the programme, participants − comparison"
            ),
            locale::number(p.pa * 100.0, 1, lang),
            locale::number(p.pb * 100.0, 1, lang),
            value(o, p.diff, lang, true),
            t(lang, "IK 95%", "95% CI"),
            value(o, p.lo, lang, false),
            t(lang, "sampai", "to"),
            value(o, p.hi, lang, false)
        )),
        _ => None,
    };
    let trend_desc = match &did {
        Some(d) => d.sentence.clone(),
        None => format!(
            "{label}: {}",
            t(
                lang,
                "dampak tidak ditampilkan karena sel terlalu kecil.",
                "impact not shown because a cell is too small."
            )
        ),
    };
    let trend_chart = charts::trend(
        &format!("{}-tren", o.id),
        &format!(
            "{label}: {}",
            t(
                lang,
                "peserta dan pembanding per gelombang",
                "participants and comparison by wave"
            )
        ),
        &trend_desc,
        &s.waves,
        &series,
        if o.kind == OutcomeKind::Binary {
            "%"
        } else {
            &o.unit
        },
        lang,
    );

    let mut breakdowns = Vec::new();
    let mut bcsv = String::from("breakdown,level,estimate,ci_low,ci_high,n,note\n");
    for (b, levels) in oa.breakdowns.iter().enumerate() {
        let csv_start = bcsv.len();
        let blabel = ImpactConfig::label(
            &a.config.breakdowns[b].label,
            lang,
            &a.config.breakdowns[b].column,
        )
        .to_string();
        let published = privacy::levels(levels, threshold);
        let mut rows = Vec::new();
        let mut views = Vec::new();
        // Participants' level after the programme, for the bar chart.
        let mut levels_after: Vec<(String, f64, u64)> = Vec::new();
        for (lvl, p) in &published {
            let name = if lvl.is_empty() {
                t(lang, "(kosong)", "(blank)").to_string()
            } else {
                lvl.clone()
            };
            match p {
                Published::Shown(d) => {
                    levels_after.push((name.clone(), d.cells.t1.mean, d.cells.t1.n));
                    rows.push(charts::Row {
                        label: name.clone(),
                        value: d.estimate.value,
                        lo: d.estimate.lo,
                        hi: d.estimate.hi,
                    });
                    bcsv.push_str(&format!(
                        "{},{},{},{},{},{},\n",
                        csv_escape(&blabel),
                        csv_escape(&name),
                        csv_num(d.estimate.value),
                        csv_num(d.estimate.lo),
                        csv_num(d.estimate.hi),
                        d.cells.n()
                    ));
                    views.push(LevelView {
                        level: name,
                        estimate: Some(estimate_view(o, label, d, lang)),
                        suppressed: None,
                    });
                }
                Published::Hidden(why) => {
                    bcsv.push_str(&format!(
                        "{},{},,,,,suppressed\n",
                        csv_escape(&blabel),
                        csv_escape(&name)
                    ));
                    views.push(LevelView {
                        level: name,
                        estimate: None,
                        suppressed: Some(suppressed_text(*why, threshold, lang)),
                    });
                }
            }
        }
        let chart = (!rows.is_empty()).then(|| {
            let desc = format!(
                "{label}, {}: {}",
                blabel.to_lowercase(),
                rows.iter()
                    .map(|r| format!("{} {}", r.label, value(o, r.value, lang, true)))
                    .collect::<Vec<_>>()
                    .join("; ")
            );
            charts::forest(
                &format!("{}-b{b}", o.id),
                &format!(
                    "{label} {} {}",
                    t(lang, "menurut", "by"),
                    blabel.to_lowercase()
                ),
                &desc,
                &rows,
                if o.kind == OutcomeKind::Binary {
                    "%"
                } else {
                    &o.unit
                },
                lang,
            )
        });
        let column = a.config.breakdowns[b].column.clone();
        // This chart's own download: the header and its rows of the combined file.
        let csv_path = format!("{url}{folder}-{}.csv", slug::slugify(&column));
        let own = format!(
            "breakdown,level,estimate,ci_low,ci_high,n,note\n{}",
            &bcsv[csv_start..]
        );
        downloads.push(Download {
            path: csv_path.clone(),
            csv: own,
        });
        let mut figure =
            breakdown_figure(label, &blabel, chart.as_deref(), &views, &csv_path, lang);
        if !levels_after.is_empty() {
            figure.push_str(&level_bars(
                o,
                label,
                &blabel,
                &levels_after,
                &format!(
                    "{url}{folder}-{}-{}.csv",
                    slug::slugify(&column),
                    t(lang, "sesudah", "after")
                ),
                b,
                lang,
                downloads,
            ));
        }
        breakdowns.push(BreakdownView {
            label: blabel,
            column,
            chart,
            levels: views,
            figure,
        });
    }
    let csv_breakdowns = format!("{url}{}-{}.csv", folder, t(lang, "rincian", "breakdowns"));
    downloads.push(Download {
        path: csv_breakdowns.clone(),
        csv: bcsv,
    });
    let trend_figure = trend_figure(label, &trend_chart, &trend, &csv_trend, lang);
    OutcomeView {
        trend_figure,
        id: o.id.clone(),
        label: label.to_string(),
        url: url.to_string(),
        did,
        placebo,
        placebo_verdict,
        post_difference,
        trend_chart,
        trend,
        breakdowns,
        csv_trend,
        csv_breakdowns,
    }
}

/// Half-width of the 95% interval of a cell mean (normal approximation).
fn stats_half_width(o: &Outcome, c: &crate::impact::stats::Cell) -> f64 {
    let sd = match o.kind {
        OutcomeKind::Binary => (c.mean * (1.0 - c.mean)).sqrt(),
        OutcomeKind::Continuous => c.sd,
    };
    crate::impact::stats::Z95 * sd / (c.n as f64).sqrt()
}

fn esc(text: &str) -> String {
    crate::common::text::html_escape(text).into_owned()
}

fn trend_table(label: &str, rows: &[TrendRow], lang: &str) -> String {
    let mut h = format!(
        "<div class=\"table-wrap\" tabindex=\"0\"><table><caption>{}: {}</caption><thead><tr><th scope=\"col\">{}</th><th scope=\"col\" class=\"num\">{}</th><th scope=\"col\" class=\"num\">n</th><th scope=\"col\" class=\"num\">{}</th><th scope=\"col\" class=\"num\">n</th></tr></thead><tbody>",
        esc(label),
        t(
            lang,
            "rata-rata atau proporsi per kelompok dan gelombang",
            "mean or share by group and wave"
        ),
        t(lang, "Gelombang", "Wave"),
        t(lang, "Peserta", "Participants"),
        t(lang, "Pembanding", "Comparison")
    );
    for r in rows {
        h.push_str(&format!(
            "<tr><th scope=\"row\">{}</th><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td></tr>",
            esc(&r.wave), esc(&r.treated), esc(&r.treated_n), esc(&r.comparison), esc(&r.comparison_n)
        ));
    }
    h.push_str("</tbody></table></div>");
    h
}

fn trend_figure(label: &str, chart: &str, rows: &[TrendRow], csv: &str, lang: &str) -> String {
    format!(
        "<figure>{chart}<figcaption><details><summary>{}</summary>{}</details><a href=\"{csv}\" download>{}</a></figcaption></figure>",
        t(lang, "Tabel data", "Data table"),
        trend_table(label, rows, lang),
        t(
            lang,
            "Unduh data grafik (CSV)",
            "Download the chart's data (CSV)"
        )
    )
}

fn breakdown_table(o_label: &str, b_label: &str, levels: &[LevelView], lang: &str) -> String {
    let mut h = format!(
        "<div class=\"table-wrap\" tabindex=\"0\"><table><caption>{}, {}</caption><thead><tr><th scope=\"col\">{}</th><th scope=\"col\" class=\"num\">{}</th><th scope=\"col\" class=\"num\">{}</th><th scope=\"col\" class=\"num\">n</th></tr></thead><tbody>",
        esc(o_label),
        esc(b_label),
        esc(b_label),
        t(lang, "Dampak", "Impact"),
        t(lang, "IK 95%", "95% CI")
    );
    for l in levels {
        match &l.estimate {
            Some(e) => h.push_str(&format!(
                "<tr><th scope=\"row\">{}</th><td class=\"num\">{}</td><td class=\"num\">{} {} {}</td><td class=\"num\">{}</td></tr>",
                esc(&l.level), esc(&e.value), esc(&e.lo), t(lang, "sampai", "to"), esc(&e.hi), esc(&e.n)
            )),
            None => h.push_str(&format!(
                "<tr><th scope=\"row\">{}</th><td colspan=\"3\">✱ {}</td></tr>",
                esc(&l.level), esc(l.suppressed.as_deref().unwrap_or(""))
            )),
        }
    }
    h.push_str("</tbody></table></div>");
    h
}

fn breakdown_figure(
    o_label: &str,
    b_label: &str,
    chart: Option<&str>,
    levels: &[LevelView],
    csv: &str,
    lang: &str,
) -> String {
    let table = breakdown_table(o_label, b_label, levels, lang);
    let download = format!(
        "<a href=\"{csv}\" download>{}</a>",
        t(
            lang,
            "Unduh data grafik (CSV)",
            "Download the chart's data (CSV)"
        )
    );
    match chart {
        Some(svg) => format!(
            "<figure>{svg}<figcaption><details><summary>{}</summary>{table}</details>{download}</figcaption></figure>",
            t(lang, "Tabel data", "Data table")
        ),
        None => format!("{table}<p>{download}</p>"),
    }
}

/// What a markdown page can place by id: `chart:ID`, `table:ID` and `number:ID`.
pub fn embeds(view: &ReportView, lang: &str) -> std::collections::HashMap<String, String> {
    let mut out = std::collections::HashMap::new();
    out.insert(
        "chart:dampak-ringkas".to_string(),
        format!(
            "<figure>{}<figcaption><a href=\"{}\" download>{}</a></figcaption></figure>",
            view.overview_chart,
            view.overview_csv,
            t(
                lang,
                "Unduh data grafik (CSV)",
                "Download the chart's data (CSV)"
            )
        ),
    );
    for o in &view.outcomes {
        out.insert(format!("chart:{}-tren", o.id), o.trend_figure.clone());
        out.insert(
            format!("table:{}-tren", o.id),
            trend_table(&o.label, &o.trend, lang),
        );
        if let Some(d) = &o.did {
            out.insert(format!("number:{}-dampak", o.id), esc(&d.value));
            out.insert(
                format!("number:{}-ik95", o.id),
                format!("{} {} {}", esc(&d.lo), t(lang, "sampai", "to"), esc(&d.hi)),
            );
            out.insert(format!("number:{}-n", o.id), esc(&d.n));
        }
        for b in &o.breakdowns {
            let id = format!("{}-{}", o.id, slug::slugify(&b.column));
            out.insert(format!("chart:{id}"), b.figure.clone());
            out.insert(
                format!("table:{id}"),
                breakdown_table(&o.label, &b.label, &b.levels, lang),
            );
        }
    }
    out
}

/// Bars of participants' level after the programme by breakdown level, with table and CSV.
#[allow(clippy::too_many_arguments)]
fn level_bars(
    o: &Outcome,
    o_label: &str,
    b_label: &str,
    levels: &[(String, f64, u64)],
    csv_path: &str,
    b: usize,
    lang: &str,
    downloads: &mut Vec<Download>,
) -> String {
    let unit = if o.kind == OutcomeKind::Binary {
        "%"
    } else {
        o.unit.as_str()
    };
    let title = format!(
        "{o_label}: {} {}",
        t(
            lang,
            "peserta sesudah program menurut",
            "participants after the programme by"
        ),
        b_label.to_lowercase()
    );
    let desc = levels
        .iter()
        .map(|(l, v, _)| format!("{l} {}", level(o, *v, lang)))
        .collect::<Vec<_>>()
        .join("; ");
    let bars: Vec<(String, f64)> = levels.iter().map(|(l, v, _)| (l.clone(), *v)).collect();
    let svg = charts::bars(
        &format!("{}-b{b}-sesudah", o.id),
        &title,
        &format!("{title}: {desc}."),
        &bars,
        unit,
        lang,
    );
    let mut csv = String::from("level,participants_after,n\n");
    let mut rows = String::new();
    for (l, v, n) in levels {
        csv.push_str(&format!("{},{},{n}\n", csv_escape(l), csv_num(*v)));
        rows.push_str(&format!(
            "<tr><th scope=\"row\">{}</th><td class=\"num\">{}</td><td class=\"num\">{}</td></tr>",
            esc(l),
            esc(&level(o, *v, lang)),
            locale::integer(*n as i64, lang)
        ));
    }
    downloads.push(Download {
        path: csv_path.to_string(),
        csv,
    });
    format!(
        "<figure>{svg}<figcaption><details><summary>{}</summary><div class=\"table-wrap\" tabindex=\"0\"><table><caption>{}</caption><thead><tr><th scope=\"col\">{}</th><th scope=\"col\" class=\"num\">{}</th><th scope=\"col\" class=\"num\">n</th></tr></thead><tbody>{rows}</tbody></table></div></details><a href=\"{csv_path}\" download>{}</a></figcaption></figure>",
        t(lang, "Tabel data", "Data table"),
        esc(&title),
        esc(b_label),
        t(
            lang,
            "Peserta sesudah program",
            "Participants after the programme"
        ),
        t(
            lang,
            "Unduh data grafik (CSV)",
            "Download the chart's data (CSV)"
        )
    )
}
