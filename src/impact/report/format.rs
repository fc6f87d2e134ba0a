//! Numbers and verdicts in the page's language: values in an outcome's unit, estimates with
//! their interval, reliability and verdict, and why a number is hidden.

use super::Language;
use super::views::EstimateView;
use crate::common::locale;
use crate::impact::config::{Outcome, OutcomeKind};
use crate::impact::privacy::Suppressed;
use crate::impact::stats::{Estimate, Reliability, SeKind};
use crate::impact::{Did, OutcomeAnalysis};

/// A number with one decimal, or with as many as keep two significant digits below 10 (0.022,
/// not 0.0), up to six.
fn decimals_kept(v: f64, lang: &str) -> String {
    let a = v.abs();
    let decimals = if a > 0.0 && a < 10.0 && a.is_finite() {
        (1 - a.log10().floor() as i32).clamp(1, 6) as usize
    } else {
        1
    };
    locale::number(v, decimals, lang)
}

/// A value in the outcome's unit: rupiah (rounded to thousands from Rp 10.000, to two
/// significant digits below, so one page rounds its amounts alike and none becomes 0), percentage
/// points for binary outcomes (`v` is a share 0–1), or a number with one decimal (more below
/// 10, so that it keeps two significant digits).
pub fn value(o: &Outcome, v: f64, l: &Language, signed: bool) -> String {
    // No number (an interval that does not exist): a dash.
    if !v.is_finite() {
        return "–".into();
    }
    let lang = l.code;
    let sign = if signed && v > 0.0 { "+" } else { "" };
    match (o.kind, o.unit_in(l.code, l.default)) {
        (OutcomeKind::Binary, _) => format!(
            "{sign}{} {}",
            decimals_kept(v * 100.0, lang),
            l.w("unit_pp")
        ),
        // Survey amounts are not precise to the rupiah: round to thousands, or to two
        // significant digits for small amounts.
        (_, "Rp") => {
            let step = if v.abs() >= 10_000.0 || v == 0.0 {
                1000.0
            } else {
                10f64.powf((v.abs().log10().floor() - 1.0).max(0.0))
            };
            // A float-to-integer cast saturates: no overflow on absurd values.
            format!(
                "{sign}{}",
                locale::rupiah(((v / step).round() * step) as i64, lang)
            )
        }
        (_, "") => format!("{sign}{}", decimals_kept(v, lang)),
        (_, unit) => format!("{sign}{}\u{a0}{unit}", decimals_kept(v, lang)),
    }
}

/// A level (mean, or share 0–1 shown in percent) in the outcome's unit.
pub fn level(o: &Outcome, v: f64, l: &Language) -> String {
    match o.kind {
        OutcomeKind::Binary => format!("{}%", locale::number(v * 100.0, 1, l.code)),
        OutcomeKind::Continuous => value(o, v, l, false),
    }
}

/// Which standard error, in words, with the number of clusters.
pub fn se_kind(kind: SeKind, l: &Language) -> String {
    match kind {
        SeKind::Hc1 => l.w("se_hc1"),
        SeKind::Respondent(g) => format!(
            "{} ({} {})",
            l.w("se_respondent"),
            locale::integer(g as i64, l.code),
            l.w("respondents")
        ),
        SeKind::Cluster(g) => format!(
            "{} ({} {})",
            l.w("se_cluster"),
            locale::integer(g as i64, l.code),
            l.w("clusters")
        ),
    }
}

/// An estimate as published: values in the outcome's unit, its standard error and which,
/// n, RSE and BPS's reliability reading, the verdict and one sentence.
pub fn estimate_view(o: &Outcome, label: &str, d: &Did, l: &Language) -> EstimateView {
    let e: Estimate = d.estimate;
    // BPS's reading of the RSE is for estimates away from zero: near zero the RSE explodes
    // however precise the estimate, so an unclear one is not rated.
    let (reliability, class) = match e.reliability() {
        _ if !e.significant() => (l.w("rse_not_applicable"), "unrated"),
        Reliability::Reliable => (l.w("rse_reliable"), "reliable"),
        Reliability::Caution => (l.w("rse_caution"), "caution"),
        Reliability::Unreliable => (l.w("rse_unreliable"), "unreliable"),
    };
    let sentence = super::sentences::impact(o, label, &e, l);
    EstimateView {
        value: value(o, e.value, l, true),
        lo: value(o, e.lo, l, false),
        hi: value(o, e.hi, l, false),
        se: value(o, e.se, l, false),
        se_kind: se_kind(e.kind, l),
        n: locale::integer(d.n_obs() as i64, l.code),
        rse: if e.rse().is_finite() {
            format!("{}%", locale::number(e.rse() * 100.0, 0, l.code))
        } else {
            "–".into()
        },
        reliability,
        reliability_class: class,
        significant: e.significant(),
        verdict: match (e.significant(), (e.value > 0.0) == o.higher_is_better) {
            (false, _) => l.w("verdict_none"),
            (true, true) => l.w("verdict_better"),
            (true, false) => l.w("verdict_worse"),
        },
        interval: super::sentences::interval(
            &value(o, e.lo, l, false),
            &value(o, e.hi, l, false),
            l,
        ),
        sentence,
        relative: None,
        caveats: Vec::new(),
    }
}

/// The headline estimate of an outcome: set against participants' level before the programme
/// (`baseline`, when published), with the wild cluster bootstrap's interval and a caveat saying
/// so when there are few clusters; with no interval and no verdict when the data support no
/// inference; with a caveat when its RSE makes it imprecise.
pub fn headline_view(
    o: &Outcome,
    label: &str,
    oa: &OutcomeAnalysis,
    baseline: Option<f64>,
    l: &Language,
) -> EstimateView {
    let headline = oa.headline();
    let mut view = estimate_view(o, label, &headline, l);
    if let Some(why) = oa.no_inference() {
        view.lo = "–".into();
        view.hi = "–".into();
        view.significant = false;
        view.verdict = l.w(&format!("verdict_{why}"));
        view.sentence = super::sentences::say(
            l,
            &format!("say_{why}"),
            &[
                ("measure", &super::sentences::in_sentence(label)),
                ("Measure", label),
            ],
        );
        view.interval = String::new();
        view.reliability = l.w(&format!("verdict_{why}"));
        return view;
    }
    view.relative = baseline.and_then(|b| super::sentences::relative(o, &headline.estimate, b, l));
    if oa.bootstrap.is_some() {
        let g = oa.design_estimate().estimate.kind.clusters().unwrap_or(0);
        view.caveats.push(super::sentences::say(
            l,
            "caveat_few_clusters",
            &[
                ("clusters", &locale::integer(g as i64, l.code)),
                (
                    "treated",
                    &locale::integer(oa.treated_clusters as i64, l.code),
                ),
            ],
        ));
    }
    match headline.estimate.reliability() {
        _ if !headline.estimate.significant() => {}
        Reliability::Reliable => {}
        Reliability::Caution => view.caveats.push(l.w("caveat_rse_caution")),
        Reliability::Unreliable => view.caveats.push(l.w("caveat_rse_unreliable")),
    }
    view
}

/// Why a number is hidden, in words.
pub fn suppressed_text(s: Suppressed, threshold: u64, l: &Language) -> String {
    match s {
        Suppressed::SmallCell => format!(
            "{} {threshold} {}",
            l.w("hidden_small_before"),
            l.w("hidden_small_after")
        ),
        Suppressed::Complementary => l.w("hidden_complementary"),
    }
}

/// The reason rows were rejected, in words (`key` from [`crate::impact::load::Reason::key`]).
pub fn reason_text(key: &str, l: &Language) -> String {
    l.w(&format!("reason_{key}"))
}

/// The columns every estimate has in a CSV download: the estimate in the outcome's own unit (a
/// share 0–1 for yes/no outcomes), its standard error and which (`hc1`, `cluster`,
/// `cluster_respondent`, `welch`, `unpooled`), the t distribution's degrees of freedom (`inf`
/// for a normal interval), the 95% interval, the two-sided p-value, and the numbers of
/// observations (person-waves), people and clusters.
pub const ESTIMATE_COLUMNS: &str =
    "estimate,se,se_kind,df,ci_low,ci_high,p_value,n_obs,n_people,n_clusters";

/// Empty estimate columns (a suppressed estimate).
pub const NO_ESTIMATE: &str = ",,,,,,,,,";

/// The headline DiD's [`ESTIMATE_COLUMNS`] and note: the bootstrap's interval and p-value
/// (se_kind `wild_cluster_bootstrap`, no df) when it was run; no interval, p-value or df when the
/// data support no inference (the note says why).
pub fn headline_fields(oa: &OutcomeAnalysis) -> (String, &'static str) {
    let d = oa.headline();
    let e = &d.estimate;
    let g = e.kind.clusters();
    match (oa.no_inference(), &oa.bootstrap) {
        (Some(why), _) => (
            estimate_fields(
                [e.value, e.se, f64::NAN, f64::NAN, f64::NAN, f64::NAN],
                e.kind.key(),
                d.n_obs(),
                d.people(),
                g,
            ),
            why,
        ),
        (None, Some(_)) => (
            estimate_fields(
                [e.value, e.se, f64::NAN, e.lo, e.hi, e.p],
                "wild_cluster_bootstrap",
                d.n_obs(),
                d.people(),
                g,
            ),
            "",
        ),
        (None, None) => (did_fields(&d), ""),
    }
}

/// A DiD's [`ESTIMATE_COLUMNS`].
pub fn did_fields(d: &Did) -> String {
    let e = &d.estimate;
    estimate_fields(
        [e.value, e.se, e.df, e.lo, e.hi, e.p],
        e.kind.key(),
        d.n_obs(),
        d.people(),
        e.kind.clusters(),
    )
}

/// [`ESTIMATE_COLUMNS`] from `[estimate, se, df, lo, hi, p]`, the SE kind and the counts.
pub fn estimate_fields(
    [value, se, df, lo, hi, p]: [f64; 6],
    kind: &str,
    n_obs: u64,
    n_people: u64,
    clusters: Option<usize>,
) -> String {
    format!(
        "{},{},{kind},{},{},{},{},{n_obs},{n_people},{}",
        csv_num(value),
        csv_num(se),
        csv_num(df),
        csv_num(lo),
        csv_num(hi),
        csv_num(p),
        clusters.map_or(String::new(), |g| g.to_string())
    )
}

/// A number for a CSV download: 10 significant digits, so the last bits of floating-point
/// sums (whose order parallel aggregation does not fix) do not change the file between builds.
pub fn csv_num(v: f64) -> String {
    if v.is_infinite() {
        return if v > 0.0 { "inf" } else { "-inf" }.into();
    }
    if v.is_nan() {
        return String::new();
    }
    format!("{v:.9e}")
        .parse::<f64>()
        .map_or_else(|_| v.to_string(), |r| r.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(key: &str) -> String {
        match key {
            "unit_pp" => "poin persen".into(),
            other => other.into(),
        }
    }

    fn outcome(kind: OutcomeKind, unit: &str) -> Outcome {
        toml::from_str::<Outcome>(&format!(
            "id = \"x\"\ncolumn = \"x\"\ntype = \"{}\"\nunit = \"{unit}\"\nlabel = {{ id = \"X\" }}\n",
            match kind {
                OutcomeKind::Binary => "binary",
                OutcomeKind::Continuous => "continuous",
            }
        ))
        .unwrap()
    }

    #[test]
    fn values_keep_their_unit_and_sign() {
        let l = Language {
            code: "id",
            default: "id",
            prefix: "",
            words: &words,
        };
        let rp = outcome(OutcomeKind::Continuous, "Rp");
        assert_eq!(value(&rp, 382_400.0, &l, true), "+Rp\u{a0}382.000");
        assert_eq!(value(&rp, -1500.4, &l, true), "\u{2212}Rp\u{a0}1.500");
        assert_eq!(value(&rp, 30_824.0, &l, false), "Rp\u{a0}31.000");
        assert_eq!(value(&rp, 4_749.0, &l, false), "Rp\u{a0}4.700");
        assert_eq!(value(&rp, 382.0, &l, false), "Rp\u{a0}380");
        assert_eq!(value(&rp, 7.4, &l, false), "Rp\u{a0}7");
        let share = outcome(OutcomeKind::Binary, "");
        assert_eq!(value(&share, 0.123, &l, true), "+12,3 poin persen");
        assert_eq!(level(&share, 0.5, &l), "50,0%");
        let points = outcome(OutcomeKind::Continuous, "poin");
        assert_eq!(value(&points, 4.26, &l, false), "4,3\u{a0}poin");
        assert_eq!(csv_num(0.1 + 0.2), "0.3");
    }

    #[test]
    fn small_values_keep_two_significant_digits() {
        let l = Language {
            code: "en",
            default: "id",
            prefix: "",
            words: &words,
        };
        let rate = outcome(OutcomeKind::Continuous, "");
        assert_eq!(value(&rate, 0.022, &l, false), "0.022");
        assert_eq!(value(&rate, -0.0047, &l, true), "\u{2212}0.0047");
        assert_eq!(value(&rate, 0.53, &l, false), "0.53");
        assert_eq!(value(&rate, 5.34, &l, false), "5.3");
        assert_eq!(value(&rate, 123.45, &l, false), "123.5");
        assert_eq!(value(&rate, 0.0, &l, false), "0.0");
        assert_eq!(value(&rate, f64::NAN, &l, false), "–", "no number: a dash");
        let share = outcome(OutcomeKind::Binary, "");
        assert_eq!(value(&share, 0.0004, &l, true), "+0.040 poin persen");
    }

    #[test]
    fn a_unit_per_language_is_shown_in_the_page_s_language() {
        let o: Outcome = toml::from_str(
            "id = \"x\"\ncolumn = \"x\"\ntype = \"continuous\"\nunit = { id = \"poin\", en = \"points\" }\nlabel = { id = \"X\" }\n",
        )
        .unwrap();
        let lang = |code| Language {
            code,
            default: "id",
            prefix: "",
            words: &words,
        };
        assert_eq!(value(&o, 4.26, &lang("en"), false), "4.3\u{a0}points");
        assert_eq!(value(&o, 4.26, &lang("id"), false), "4,3\u{a0}poin");
        // A language without its own falls back to the default language's.
        assert_eq!(value(&o, 4.26, &lang("ms"), false), "4.3\u{a0}poin");
    }
}
