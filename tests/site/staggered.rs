//! The staggered design (Callaway and Sant'Anna's group-time effects against respondents not yet
//! in the programme) against the PyPI package csdid, on the generated panel whose expected values
//! `scripts/csdid_expected.py` computed; and its declaration, rows and report.

use berdaya::impact::load::Reason;
use berdaya::impact::stats::SeKind;

use crate::impact::{analyse, close, csv_rows, survey_site};
use crate::support::*;

pub(crate) const STAGGERED: &str = r#"
[survey]
files = ["staggered.csv"]
id = "rid"
wave = "wave"
waves = ["w1", "w2", "w3", "w4", "w5"]
pre = ["w1", "w2"]
post = ["w3", "w4", "w5"]
group = "grp"
treated = "peserta"
comparison = ["pembanding"]
cluster = "kel"
design = "staggered"
start = "mulai"

[[outcomes]]
id = "pendapatan"
column = "income"
type = "continuous"
unit = "Rp"
range = [0, 100000000]
label = { id = "Pendapatan bulanan", en = "Monthly income" }

[[outcomes]]
id = "jual-online"
column = "online"
type = "binary"
label = { id = "Berjualan daring", en = "Sells online" }
"#;

fn expected() -> serde_json::Value {
    serde_json::from_str(
        &std::fs::read_to_string(repo().join("tests/fixtures/impact/expected_staggered.json"))
            .unwrap(),
    )
    .unwrap()
}

fn wave(name: &serde_json::Value) -> u32 {
    name.as_str().unwrap()[1..].parse::<u32>().unwrap() - 1
}

#[test]
fn staggered_design_equals_csdid_group_time_effects_and_aggregations() {
    let all = expected();
    for (clustering, toml) in [
        ("kel", STAGGERED.to_string()),
        ("unit", STAGGERED.replace("cluster = \"kel\"\n", "")),
    ] {
        let a = analyse(survey_site(&toml, &["staggered.csv"]).path());
        for (i, name) in ["income", "online"].iter().enumerate() {
            let e = &all[name][clustering];
            let st = a.outcomes[i]
                .staggered
                .as_ref()
                .expect("staggered estimates");
            let g = if clustering == "kel" {
                15
            } else {
                e["n_units"].as_u64().unwrap() as usize
            };
            // Units, overall effect, cohorts, profile and the published pre-test.
            equals_csdid(st, e);
            assert_eq!(st.dropped, 300 - st.units, "{name}: not in every wave");
            assert_eq!(st.clusters, g);
            let cells = e["att_gt"].as_array().unwrap();
            assert_eq!(st.cells.len(), cells.len(), "{name} {clustering}");
            for (got, want) in st.cells.iter().zip(cells) {
                assert_eq!(
                    (got.cohort, got.wave),
                    (wave(&want["cohort"]), wave(&want["wave"]))
                );
                close(got.att, &want["att"]);
                close(got.se, &want["se"]);
            }
            let kind = if clustering == "kel" {
                SeKind::Cluster(g)
            } else {
                SeKind::Respondent(g)
            };
            assert_eq!(st.overall.estimate.kind, kind);
            assert_eq!(
                st.overall.estimate.df,
                g as f64 - 1.0,
                "t interval on G - 1 df"
            );
            close(st.profile_average.value, &e["dynamic"]["att"]);
            close(st.profile_average.se, &e["dynamic"]["se"]);
            close(st.simple.value, &e["simple"]["att"]);
            close(st.simple.se, &e["simple"]["se"]);
            let w = st.pretrend_cells.expect("pre-programme effects are tested");
            assert_eq!(w.df1 as u64, e["wald"]["q"].as_u64().unwrap());
            let chi2 = e["wald"]["w"].as_f64().unwrap();
            close(w.f * w.df1 as f64, &serde_json::json!(chi2));
            assert_eq!(w.df2, g as f64 - 1.0);
            // The headline is the overall effect, on the balanced panel's counts.
            let h = a.outcomes[i].headline();
            assert_eq!(
                (h.estimate.value, h.estimate.se),
                (st.overall.estimate.value, st.overall.estimate.se)
            );
            assert_eq!(h.people(), st.units as u64);
            assert_eq!(h.n_obs(), 5 * st.units as u64);
        }
    }
}

/// The staggered fixture with lines (1-based, the header is line 1) edited by `edit`.
fn edited(edit: impl Fn(usize, &str) -> String) -> String {
    let text = std::fs::read_to_string(repo().join("tests/fixtures/impact/staggered.csv")).unwrap();
    text.lines()
        .enumerate()
        .map(|(i, l)| edit(i + 1, l) + "\n")
        .collect()
}

fn with_start(line: &str, start: &str) -> String {
    let mut f: Vec<&str> = line.split(',').collect();
    f[4] = start;
    f.join(",")
}

/// The overall effect, cohort effects, profile and published pre-test of outcome 0 against the
/// csdid values `e`.
fn equals_csdid(st: &berdaya::impact::staggered::Staggered, e: &serde_json::Value) {
    assert_eq!(st.units as u64, e["n_units"].as_u64().unwrap());
    close(st.overall.estimate.value, &e["group"]["att"]);
    close(st.overall.estimate.se, &e["group"]["se"]);
    let cohorts = e["group"]["cohorts"].as_array().unwrap();
    assert_eq!(st.cohorts.len(), cohorts.len());
    for ((cohort, got), want) in st.cohorts.iter().zip(cohorts) {
        assert_eq!(*cohort, wave(&want["cohort"]));
        close(got.estimate.value, &want["att"]);
        close(got.estimate.se, &want["se"]);
    }
    let times = e["dynamic"]["event_times"].as_array().unwrap();
    assert_eq!(st.profile.len(), times.len());
    for (got, want) in st.profile.iter().zip(times) {
        assert_eq!(i64::from(got.e), want["e"].as_i64().unwrap());
        close(got.effect.estimate.value, &want["att"]);
        close(got.effect.estimate.se, &want["se"]);
    }
    // Published: the test over the profile before the start.
    let w = st.pretrend.unwrap();
    assert_eq!(w.df1 as u64, e["wald_profile"]["q"].as_u64().unwrap());
    close(w.f, &e["wald_profile"]["f"]);
    close(w.p, &e["wald_profile"]["p"]);
}

#[test]
fn without_a_comparison_group_or_with_a_start_not_yet_surveyed_the_design_follows_csdid() {
    let all = expected();
    // Every respondent starts at some point: the last cohort (w5) is the comparison, in the
    // waves before its start.
    let csv: String = edited(|_, l| l.to_string())
        .lines()
        .enumerate()
        .filter(|(i, l)| *i == 0 || l.contains(",peserta,"))
        .map(|(_, l)| format!("{l}\n"))
        .collect();
    let site = survey_site(STAGGERED, &[]);
    std::fs::write(site.path().join("data/staggered.csv"), csv).unwrap();
    let a = analyse(site.path());
    let st = a.outcomes[0].staggered.as_ref().unwrap();
    equals_csdid(st, &all["income_all_treated"]);
    assert_eq!(
        st.waves,
        vec![0, 1, 2, 3],
        "w5, the comparison's start, is not used"
    );
    assert_eq!(st.never, 30, "K09-K11's participants");
    // K09-K11 start in w6, declared but not surveyed yet: not yet treated in every wave.
    let csv = edited(|n, l| {
        let start = l.split(',').nth(4);
        if n > 1 && start == Some("w5") {
            with_start(l, "w6")
        } else {
            l.to_string()
        }
    });
    let toml = STAGGERED.replace("\"w4\", \"w5\"]", "\"w4\", \"w5\", \"w6\"]");
    assert!(toml.contains("\"w6\"]\npre"), "{toml}");
    let site = survey_site(&toml, &[]);
    std::fs::write(site.path().join("data/staggered.csv"), csv).unwrap();
    let a = analyse(site.path());
    equals_csdid(
        a.outcomes[0].staggered.as_ref().unwrap(),
        &all["income_future_start"],
    );
}

#[test]
fn start_waves_that_contradict_the_group_or_change_between_rows_are_rejected_where_they_are() {
    // S0001 (participant, line 2): no start; S0002 (lines 7-11): w4 in one row, w3 in the
    // others; S0003 (line 12): starts in w1, before the programme; S0221 (comparison, line
    // 1102): given a start.
    let csv = edited(|n, l| match n {
        2 => with_start(l, ""),
        9 => with_start(l, "w4"),
        12 => with_start(l, "w1"),
        1102 => with_start(l, "w3"),
        _ => l.to_string(),
    });
    let site = survey_site(STAGGERED, &[]);
    std::fs::write(site.path().join("data/staggered.csv"), csv).unwrap();
    let a = analyse(site.path());
    let got: Vec<(u64, &str, &str, Reason)> = a
        .survey
        .rejects
        .iter()
        .map(|r| (r.row, r.column.as_str(), r.value.as_str(), r.reason))
        .collect();
    let mut want = vec![(2, "mulai", "", Reason::BadStart)];
    want.extend((7..=11).map(|row| {
        let value = if row == 9 { "w4" } else { "w3" };
        (row, "mulai", value, Reason::StartChanged)
    }));
    want.extend([
        (12, "mulai", "w1", Reason::BadStart),
        (12, "mulai", "w1", Reason::StartChanged),
    ]);
    want.extend((13..=16).map(|row| (row, "mulai", "w3", Reason::StartChanged)));
    want.push((1102, "mulai", "w3", Reason::BadStart));
    assert_eq!(got, want);
    assert_eq!(a.survey.rows_rejected, 12);
    assert!(a.outcomes[1].staggered.is_some());
}

#[test]
fn the_staggered_declaration_is_checked_with_the_fix() {
    let cases = [
        (
            STAGGERED.replace("start = \"mulai\"\n", ""),
            "the staggered design needs the column that says when each participant started",
        ),
        (
            STAGGERED.replace("design = \"staggered\"\n", ""),
            "`start` is read only by the staggered design",
        ),
        (
            STAGGERED.replace("cluster = \"kel\"", "cluster = \"kel\"\nse = \"hc1\""),
            "the staggered design needs clustered standard errors",
        ),
        (
            STAGGERED.replace("cluster = \"kel\"", "cluster = \"kel\"\nweight = \"w\""),
            "the staggered design does not use survey weights",
        ),
    ];
    for (toml, message) in cases {
        let err = berdaya::impact::analyse(survey_site(&toml, &["staggered.csv"]).path())
            .err()
            .unwrap_or_else(|| panic!("no error for {message}"))
            .to_string();
        assert!(err.contains(message), "{err}");
        assert!(err.contains("data/impact.toml"), "{err}");
    }
    // New people every wave: no panel to follow.
    let csv = edited(|n, l| {
        if n == 1 {
            return l.to_string();
        }
        l.replacen('S', &format!("X{n}-"), 1)
    });
    let site = survey_site(STAGGERED, &[]);
    std::fs::write(site.path().join("data/staggered.csv"), csv).unwrap();
    let err = berdaya::impact::analyse(site.path())
        .err()
        .unwrap()
        .to_string();
    assert!(err.contains("the staggered design needs a panel"), "{err}");
}

#[test]
fn the_staggered_report_shows_the_overall_effect_and_the_impact_by_time_in_the_programme() {
    let site = fixture("bilingual");
    std::fs::create_dir_all(site.path().join("data")).unwrap();
    std::fs::copy(
        repo().join("tests/fixtures/impact/staggered.csv"),
        site.path().join("data/staggered.csv"),
    )
    .unwrap();
    std::fs::write(site.path().join("data/impact.toml"), STAGGERED).unwrap();
    build(site.path()).unwrap_or_else(|d| panic!("{d}"));
    let a = analyse(site.path());
    let st = a.outcomes[0].staggered.as_ref().unwrap();
    let en = read(site.path(), "en/impact/pendapatan/index.html");
    assert!(en.contains("Impact by time in the programme"), "{en}");
    assert!(en.contains("Waves since the start"), "{en}");
    assert_eq!(
        en.matches("<svg ").count(),
        2,
        "trend and impact since the start"
    );
    // The headline is the overall effect (411,181 rupiah), not a 2x2 of the first wave.
    assert!(en.contains("411,000<dt>95% confidence interval"), "{en}");
    assert!(
        en.contains("Impact (average over the groups' waves in the programme)"),
        "{en}"
    );
    assert!(
        en.contains("Before each group started, there is no sign that its participants changed at a different rate from those not yet in the programme (joint test of every effect before the start).")
            && en.contains("<dd>F = 0.48, p = 0.699"),
        "{en}"
    );
    let id = read(site.path(), "dampak/pendapatan/index.html");
    assert!(id.contains("Dampak menurut lama ikut program"), "{id}");
    assert!(id.contains("411.000<dt>"), "{id}");
    let csv = read(
        site.path(),
        "en/impact/pendapatan/pendapatan-impact-since-start.csv",
    );
    let rows = csv_rows(&csv);
    assert_eq!(rows.len(), st.profile.len(), "{csv}");
    for (row, p) in rows.iter().zip(&st.profile) {
        assert_eq!(row["waves_since_start"], p.e.to_string());
        let got: f64 = row["estimate"].parse().unwrap();
        assert!(
            (got - p.effect.estimate.value).abs() <= 1e-6 * got.abs(),
            "{csv}"
        );
        assert_eq!(row["n_people"], st.units.to_string());
        assert_eq!(row["n_clusters"], "15");
    }
    let estimates = csv_rows(&read(
        site.path(),
        "en/impact/pendapatan/pendapatan-estimates.csv",
    ));
    let did = &estimates[0];
    assert!(did["method"].contains("Callaway-Sant'Anna"), "{did:?}");
    assert_eq!(did["n_people"], st.units.to_string());
    assert_eq!(did["n_obs"], (5 * st.units).to_string());
    assert!(
        !estimates
            .iter()
            .any(|r| r["estimate_of"] == "post_difference"),
        "participants against comparison in the first wave after is no impact here"
    );
    assert!(
        en.contains("Estimated on the 292 respondents who answered in every wave; 8 other respondents are not in these estimates."),
        "{en}"
    );
    let method = read(site.path(), "en/impact/method/index.html");
    assert!(method.contains("Callaway and Sant'Anna"), "{method}");
    assert!(
        !method.contains("y = α"),
        "not the 2x2 regression: {method}"
    );
    // The smallest cohort (K09-K11, 30 participants) under the threshold: every staggered
    // figure rests on it (the overall effect and the profile would give its effect back), so
    // none is published.
    let toml = STAGGERED.replace("cluster = \"kel\"", "cluster = \"kel\"\nthreshold = 35");
    std::fs::write(site.path().join("data/impact.toml"), toml).unwrap();
    build(site.path()).unwrap_or_else(|d| panic!("{d}"));
    let en = read(site.path(), "en/impact/pendapatan/index.html");
    assert!(!en.contains("411,"), "{en}");
    assert!(
        en.contains(
            "Monthly income: the impact is not shown because a group has too few respondents."
        ),
        "{en}"
    );
    assert!(!en.contains("Impact by time in the programme"), "{en}");
    assert!(
        !en.contains("joint test of every effect before the start"),
        "{en}"
    );
    let estimates = csv_rows(&read(
        site.path(),
        "en/impact/pendapatan/pendapatan-estimates.csv",
    ));
    assert_eq!(estimates[0]["note"], "suppressed");
    assert!(
        !site
            .path()
            .join("output/en/impact/pendapatan/pendapatan-impact-since-start.csv")
            .exists()
    );
}

#[test]
fn participants_in_fewer_than_six_clusters_get_the_bootstrap_interval_and_its_note() {
    // Participants moved into five kelurahan (each respondent keeps one).
    let csv = edited(|n, l| {
        let f: Vec<&str> = l.split(',').collect();
        if n == 1 || f[2] != "peserta" {
            return l.to_string();
        }
        let number: u32 = f[0][1..].parse().unwrap();
        let kel = format!("K0{}", number % 5 + 1);
        let mut f = f.clone();
        f[3] = &kel;
        f.join(",")
    });
    let site = fixture("bilingual");
    std::fs::create_dir_all(site.path().join("data")).unwrap();
    std::fs::write(site.path().join("data/staggered.csv"), csv).unwrap();
    std::fs::write(site.path().join("data/impact.toml"), STAGGERED).unwrap();
    build(site.path()).unwrap_or_else(|d| panic!("{d}"));
    let a = analyse(site.path());
    let o = &a.outcomes[0];
    assert_eq!(o.treated_clusters, 5);
    assert_eq!(o.no_inference(), None);
    let b = o
        .bootstrap
        .expect("participants in 5 clusters: bootstrapped");
    let h = o.headline().estimate;
    assert_eq!((h.lo, h.hi, h.p), (b.lo, b.hi, b.p));
    // Wider than the cluster-robust t interval it replaces.
    let t = o.staggered.as_ref().unwrap().overall.estimate;
    assert!(b.hi - b.lo > t.hi - t.lo, "{b:?} vs {t:?}");
    let en = read(site.path(), "en/impact/pendapatan/index.html");
    assert!(
        en.contains("areas were surveyed"),
        "the few-clusters caveat: {en}"
    );
    let estimates = csv_rows(&read(
        site.path(),
        "en/impact/pendapatan/pendapatan-estimates.csv",
    ));
    assert_eq!(estimates[0]["se_kind"], "cluster");
    assert_eq!(estimates[1]["se_kind"], "wild_cluster_bootstrap");
    assert!(
        estimates[1]["method"].contains("Webb weights; 9999 draws"),
        "{estimates:?}"
    );
}

#[test]
fn each_breakdown_level_is_its_own_staggered_estimate() {
    // A breakdown by kelurahan: each level lies in one cluster, so it is clustered by
    // respondent, and equals the design run on that kelurahan's rows alone.
    let toml = format!(
        "{STAGGERED}\n[[breakdowns]]\ncolumn = \"kel\"\nlabel = {{ id = \"Kelurahan\", en = \"Kelurahan\" }}\n"
    );
    let a = analyse(survey_site(&toml, &["staggered.csv"]).path());
    let levels = &a.outcomes[0].breakdowns[0];
    assert_eq!(
        levels.len(),
        11,
        "K12-K15 have no participants: no estimate"
    );
    let csv = edited(|_, l| l.to_string());
    for kel in ["K01", "K06", "K10"] {
        let only: String = csv
            .lines()
            .enumerate()
            .filter(|(i, l)| *i == 0 || l.contains(&format!(",{kel},")))
            .map(|(_, l)| format!("{l}\n"))
            .collect();
        let site = survey_site(&STAGGERED.replace("cluster = \"kel\"\n", ""), &[]);
        std::fs::write(site.path().join("data/staggered.csv"), only).unwrap();
        let alone = analyse(site.path());
        let st = alone.outcomes[0].staggered.as_ref().unwrap();
        let d = &levels[kel];
        assert!(matches!(d.estimate.kind, SeKind::Respondent(_)), "{kel}");
        assert_eq!(d.estimate, st.overall.estimate, "{kel}");
        assert_eq!(d.people(), st.units as u64);
    }
}

#[test]
fn the_overall_effect_s_wild_cluster_bootstrap_equals_the_stacked_regression_s() {
    use berdaya::impact::bootstrap::Weights;
    use berdaya::impact::estimate::answered;
    use berdaya::impact::staggered::{Rows, estimate};
    let all = expected();
    let a = analyse(survey_site(STAGGERED, &["staggered.csv"]).path());
    for (i, name) in ["income", "online"].iter().enumerate() {
        let want = &all["wild"][name];
        let rows = answered(&a.survey.data, &format!("o{i}"), &[0, 1, 2, 3, 4])
            .collect()
            .unwrap();
        let rows = Rows::of(&rows, Some("cluster")).unwrap();
        let st = estimate(
            &rows,
            None,
            true,
            Some((Weights::Rademacher, 1 << 15, 2026)),
        )
        .unwrap();
        close(st.overall.estimate.value, &want["theta"]);
        let b = st.bootstrap.unwrap();
        assert!(b.enumerated && b.draws == 1 << 15);
        // Every Rademacher vector over the 15 kelurahan: the same counts as the brute force
        // (the stacked regression refitted on each bootstrap sample).
        let above = want["bruteforce_above"].as_f64().unwrap();
        let ties = want["bruteforce_ties"].as_f64().unwrap();
        assert_eq!(b.p_strict * 32768.0, above, "{name}");
        assert_eq!(b.p * 32768.0, above + ties, "{name}");
        // wildboottest on the same regression: within 0.001 (it counts 2,248 of 32,768 for
        // online where the brute force counts 2,260 strictly above).
        let wb = want["p_wildboottest"].as_f64().unwrap();
        assert!(
            (b.p_strict - wb).abs() <= 1e-3,
            "{name}: {} vs {wb}",
            b.p_strict
        );
        assert!(b.lo < st.overall.estimate.value && st.overall.estimate.value < b.hi);
    }
    // The published headline (15 clusters, fewer than 40): Webb weights, 9,999 draws.
    let o = &a.outcomes[0];
    let b = o.bootstrap.expect("few clusters");
    assert_eq!(b.draws, 9_999);
    let h = o.headline().estimate;
    assert_eq!((h.lo, h.hi, h.p), (b.lo, b.hi, b.p));
}

#[test]
fn respondents_who_move_between_clusters_are_counted_in_a_warning() {
    // S0001-S0003 live in K02 from w4 on (they were in K01).
    let csv = edited(|n, l| {
        let f: Vec<&str> = l.split(',').collect();
        if (2..=16).contains(&n) && (f[1] == "w4" || f[1] == "w5") {
            l.replace(",K01,", ",K02,")
        } else {
            l.to_string()
        }
    });
    let site = survey_site(STAGGERED, &[]);
    std::fs::write(site.path().join("data/staggered.csv"), csv).unwrap();
    let a = analyse(site.path());
    let warnings: Vec<String> = a.config.warnings.iter().map(|w| w.to_string()).collect();
    assert!(
        warnings.iter().any(|w| w.contains(
            "3 respondents are in different `kel` clusters in different waves; the staggered design counts each in the cluster of their first wave"
        )),
        "{warnings:?}"
    );
    assert!(a.outcomes[0].staggered.is_some());
}
