//! Real survey exports: missing-value texts, non-finite numbers, a bad value in one outcome
//! only, repeated respondents, waves listed out of time order, small thresholds, privacy of
//! derived figures, and method text that fits the data's shape.

use std::fmt::Write;
use std::path::Path;

use berdaya::impact::load::{OutcomeCounts, Reason};
use berdaya::impact::{self, Analysis};

use crate::support::*;

/// A site folder with `data/impact.toml` and survey files written from text.
fn site_with(toml: &str, files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("data")).unwrap();
    std::fs::write(dir.path().join("data/impact.toml"), toml).unwrap();
    for (name, text) in files {
        std::fs::write(dir.path().join("data").join(name), text).unwrap();
    }
    dir
}

fn analyse(root: &Path) -> Analysis {
    impact::analyse(root)
        .unwrap_or_else(|d| panic!("{d}"))
        .expect("impact.toml exists")
}

/// The same DiD: equal cells, and estimates equal up to the order of floating-point sums over
/// clusters.
#[track_caller]
fn same_did(a: &berdaya::impact::Did, b: &berdaya::impact::Did) {
    assert_eq!(a.cells, b.cells);
    assert_eq!(a.estimate.kind, b.estimate.kind);
    let (x, y) = (&a.estimate, &b.estimate);
    for (u, v) in [
        (x.value, y.value),
        (x.se, y.se),
        (x.lo, y.lo),
        (x.hi, y.hi),
        (x.p, y.p),
    ] {
        assert!(
            (u.is_nan() && v.is_nan()) || (u - v).abs() <= 1e-12 * v.abs().max(1.0),
            "{a:?} is not {b:?}"
        );
    }
}

/// Every warning of the analysis, as printed.
fn warnings_of(a: &Analysis) -> String {
    a.config.warnings.iter().map(|d| d.to_string()).collect()
}

/// Each reject as (row, value, reason).
fn rows_values_reasons(a: &Analysis) -> Vec<(u64, &str, Reason)> {
    a.survey
        .rejects
        .iter()
        .map(|r| (r.row, r.value.as_str(), r.reason))
        .collect()
}

/// Each reject as (file, row, column, value, reason).
fn located(a: &Analysis) -> Vec<(&str, u64, &str, &str, Reason)> {
    a.survey
        .rejects
        .iter()
        .map(|r| {
            (
                r.file.as_str(),
                r.row,
                r.column.as_str(),
                r.value.as_str(),
                r.reason,
            )
        })
        .collect()
}

fn error_of(root: &Path) -> String {
    impact::analyse(root)
        .err()
        .expect("the analysis stops")
        .to_string()
}

/// Two outcomes over waves `waves`, text ids (names of places), no clusters.
fn toml(waves: &[&str], pre: &[&str], post: &[&str], extra: &str) -> String {
    let list = |l: &[&str]| {
        l.iter()
            .map(|w| format!("{w:?}"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    format!(
        r#"
[survey]
files = ["survei.csv"]
id = "nama"
wave = "gelombang"
waves = [{}]
pre = [{}]
post = [{}]
group = "kelompok"
treated = "peserta"
comparison = ["pembanding"]
max_reject_share = 0.2
{extra}
about = {{ id = "Program uji.", en = "A test programme." }}
comparison_chosen = {{ id = "Warga serupa.", en = "Similar residents." }}

[[outcomes]]
id = "pendapatan"
column = "pendapatan"
type = "continuous"
label = {{ id = "Pendapatan", en = "Income" }}

[[outcomes]]
id = "jual-online"
column = "jual_online"
type = "binary"
label = {{ id = "Jual online", en = "Sells online" }}
"#,
        list(waves),
        list(pre),
        list(post)
    )
}

/// A panel of `people` respondents (ids are place names with a number) in `waves` waves,
/// half of them participants; `income(person, wave)` gives the income cell's text.
fn panel(people: usize, waves: &[&str], income: impl Fn(usize, usize) -> String) -> String {
    let mut out = String::from("nama,gelombang,kelompok,pendapatan,jual_online\n");
    for p in 0..people {
        let group = if p.is_multiple_of(2) {
            "peserta"
        } else {
            "pembanding"
        };
        for (w, wave) in waves.iter().enumerate() {
            let online = (p * 3 + w) % 2;
            let _ = writeln!(
                out,
                "Pantai Amal {p:03},{wave},{group},{},{online}",
                income(p, w)
            );
        }
    }
    out
}

fn base_income(p: usize, w: usize) -> f64 {
    let treated = p.is_multiple_of(2);
    1000.0
        + 10.0 * p as f64
        + (p * 7 % 13) as f64
        + if w > 0 { 50.0 } else { 0.0 }
        + if w > 0 && treated { 30.0 } else { 0.0 }
}

/// The cells given missing-value texts and non-finite numbers in the test data: (person, wave,
/// text). Line numbers follow: person p, wave w is on line 2 + 2p + w.
const ODD: [(usize, usize, &str); 9] = [
    (0, 0, "NaN"),
    (3, 1, "na"),
    (4, 0, "."),
    (5, 1, "N/A"),
    (6, 0, "-"),
    (7, 1, "NULL"),
    (8, 0, ""),
    (9, 1, "inf"),
    (10, 0, "-Infinity"),
];

fn odd_income(p: usize, w: usize) -> Option<&'static str> {
    ODD.iter().find(|(q, v, _)| *q == p && *v == w).map(|t| t.2)
}

#[test]
fn missing_value_texts_are_missing_and_non_finite_numbers_are_rejected_with_their_place() {
    let waves = ["2024", "2025"];
    let with_odd = panel(40, &waves, |p, w| {
        odd_income(p, w).map_or(base_income(p, w).to_string(), String::from)
    });
    let blank = panel(40, &waves, |p, w| {
        odd_income(p, w).map_or(base_income(p, w).to_string(), |_| String::new())
    });
    let config = toml(&waves, &["2024"], &["2025"], "");
    let odd = analyse(site_with(&config, &[("survei.csv", &with_odd)]).path());
    let clean = analyse(site_with(&config, &[("survei.csv", &blank)]).path());

    // NaN and the other texts are "not answered": the estimate is the one without those cells,
    // not an impact of 0 over every row.
    same_did(&odd.outcomes[0].did, &clean.outcomes[0].did);
    assert_eq!(odd.outcomes[0].did.cells.n(), 80 - 9);
    assert!(odd.outcomes[0].did.estimate.value.is_finite());
    let e = &odd.outcomes[0].did.estimate;
    assert!(e.hi - e.lo > 1.0, "a real interval, not 0 to 0: {e:?}");
    // The rows still count for the other outcome.
    assert_eq!(odd.outcomes[1].did.cells.n(), 80);
    same_did(&odd.outcomes[1].did, &clean.outcomes[1].did);
    assert_eq!(odd.survey.rows_rejected, 0);
    assert_eq!(
        odd.survey.outcomes,
        vec![
            OutcomeCounts {
                used: 71,
                missing: 7,
                rejected: 2
            },
            OutcomeCounts {
                used: 80,
                missing: 0,
                rejected: 0
            }
        ]
    );
    // The non-finite numbers are rejected with file, line, column and value.
    let got = located(&odd);
    assert_eq!(
        got,
        vec![
            (
                "data/survei.csv",
                2 + 18 + 1,
                "pendapatan",
                "inf",
                Reason::NotFinite
            ),
            (
                "data/survei.csv",
                2 + 20,
                "pendapatan",
                "-Infinity",
                Reason::NotFinite
            ),
        ]
    );
}

#[test]
fn declared_missing_texts_replace_the_defaults_and_ignore_letter_case() {
    let waves = ["2024", "2025"];
    let data = panel(30, &waves, |p, w| match (p, w) {
        (1, 0) => "Tidak Tahu".into(),
        (2, 1) => "tidak tahu".into(),
        (3, 0) => "NaN".into(),
        _ => base_income(p, w).to_string(),
    });
    let config = toml(
        &waves,
        &["2024"],
        &["2025"],
        r#"missing = ["", "TIDAK TAHU"]"#,
    );
    let a = analyse(site_with(&config, &[("survei.csv", &data)]).path());
    assert_eq!(
        a.survey.outcomes[0],
        OutcomeCounts {
            used: 57,
            missing: 2,
            rejected: 1
        }
    );
    let nan = &a.survey.rejects[0];
    assert_eq!((nan.row, nan.value.as_str()), (2 + 6, "NaN"));
    assert_eq!(nan.reason, Reason::NotFinite);
}

#[test]
fn a_declared_missing_number_outside_the_range_is_not_answered_not_rejected() {
    let waves = ["2024", "2025"];
    let data = panel(30, &waves, |p, w| match (p, w) {
        (1, 0) | (4, 1) => "-99".into(),
        (5, 1) => "-5".into(),
        _ => base_income(p, w).to_string(),
    });
    let config = toml(
        &waves,
        &["2024"],
        &["2025"],
        r#"missing = ["", "NA", "-99"]"#,
    )
    .replace(
        "type = \"continuous\"\n",
        "type = \"continuous\"\nrange = [0, 100000000]\n",
    );
    let a = analyse(site_with(&config, &[("survei.csv", &data)]).path());
    // 60 rows: two say -99 (declared missing), one -5 (out of range).
    assert_eq!(
        a.survey.outcomes[0],
        OutcomeCounts {
            used: 57,
            missing: 2,
            rejected: 1
        }
    );
    let located: Vec<(&str, Reason)> = a
        .survey
        .rejects
        .iter()
        .map(|r| (r.value.as_str(), r.reason))
        .collect();
    assert_eq!(located, [("-5", Reason::OutOfRange)]);
}

#[test]
fn too_many_bad_values_in_one_outcome_stop_the_build_naming_the_column() {
    let waves = ["2024", "2025"];
    let data = panel(20, &waves, |p, w| {
        if p < 3 && w == 1 {
            "tiga juta".into()
        } else {
            base_income(p, w).to_string()
        }
    });
    let config = toml(&waves, &["2024"], &["2025"], "")
        .replace("max_reject_share = 0.2", "max_reject_share = 0.05");
    let err = error_of(site_with(&config, &[("survei.csv", &data)]).path());
    assert!(
        err.contains(
            "7.5% of the answers in column `pendapatan` were rejected (3 of 40 rows), more than max_reject_share allows (5.0%)"
        ),
        "{err}"
    );
    assert!(
        err.contains("e.g. row 3 has \"tiga juta\": unparseable"),
        "{err}"
    );
}

#[test]
fn repeated_respondents_are_all_left_out_unless_keep_first_is_declared() {
    let waves = ["2024", "2025"];
    let mut data = panel(20, &waves, |p, w| base_income(p, w).to_string());
    // Pantai Amal 004 answers twice in 2025 with different incomes.
    data.push_str("Pantai Amal 004,2025,peserta,9999,1\n");
    let config = toml(&waves, &["2024"], &["2025"], "");
    let none = analyse(site_with(&config, &[("survei.csv", &data)]).path());
    let dups: Vec<u64> = none
        .survey
        .rejects
        .iter()
        .filter(|r| r.reason == Reason::Duplicate)
        .map(|r| r.row)
        .collect();
    assert_eq!(dups, vec![2 + 8 + 1, 42], "both copies, by default");
    assert_eq!(none.survey.rows_used, 39);

    let first = toml(&waves, &["2024"], &["2025"], r#"duplicates = "keep-first""#);
    let kept = analyse(site_with(&first, &[("survei.csv", &data)]).path());
    let dups: Vec<u64> = kept
        .survey
        .rejects
        .iter()
        .filter(|r| r.reason == Reason::Duplicate)
        .map(|r| r.row)
        .collect();
    assert_eq!(dups, vec![42]);
    assert_eq!(kept.survey.rows_used, 40);

    let bad = toml(&waves, &["2024"], &["2025"], r#"duplicates = "keep-last""#);
    let err = error_of(site_with(&bad, &[("survei.csv", &data)]).path());
    assert!(err.contains("unknown variant `keep-last`"), "{err}");
    assert!(
        err.contains("keep-none") && err.contains("keep-first"),
        "{err}"
    );
}

#[test]
fn waves_are_the_time_order_and_pre_or_post_in_another_order_is_an_error_with_the_fix() {
    let waves = ["Q42010", "Q12011", "Q22011"];
    let data = panel(24, &waves, |p, w| {
        base_income(p, w.saturating_sub(1)).to_string()
    });
    // `pre` listed alphabetically: an error that shows the list in time order.
    let config = toml(&waves, &["Q12011", "Q42010"], &["Q22011"], "");
    let err = error_of(site_with(&config, &[("survei.csv", &data)]).path());
    assert!(
        err.contains("`pre` lists waves in a different order than `waves`"),
        "{err}"
    );
    assert!(err.contains(r#"write pre = ["Q42010", "Q12011"]"#), "{err}");
    // A post wave before a pre wave.
    let config = toml(&waves, &["Q42010", "Q22011"], &["Q12011"], "");
    let err = error_of(site_with(&config, &[("survei.csv", &data)]).path());
    assert!(
        err.contains(
            "wave `Q22011` (before the programme) does not come before wave `Q12011` (after it)"
        ),
        "{err}"
    );

    // In time order: the baseline is the last pre wave, the placebo runs forwards.
    let config = toml(&waves, &["Q42010", "Q12011"], &["Q22011"], "");
    let a = analyse(site_with(&config, &[("survei.csv", &data)]).path());
    assert!(a.config.warnings.is_empty());
    assert_eq!((a.baseline, a.follow_up), (1, 2));
    let o = &a.outcomes[0];
    let same = |a: f64, b: f64| assert!((a - b).abs() <= 1e-9 * b.abs(), "{a} is not {b}");
    same(o.did.cells.t0.mean, o.trend[&(1, true)].mean);
    let placebo = o.placebo.as_ref().unwrap();
    same(placebo.cells.t0.mean, o.trend[&(0, true)].mean);
    same(placebo.cells.t1.mean, o.trend[&(1, true)].mean);

    // Quarter labels listed alphabetically in `waves`: allowed, with a warning and the fix.
    let sorted = ["Q12011", "Q22011", "Q42010"];
    let config = toml(&sorted, &["Q12011", "Q22011"], &["Q42010"], "");
    let a = analyse(site_with(&config, &[("survei.csv", &data)]).path());
    let warning = warnings_of(&a);
    assert!(
        warning.contains("the wave labels read as dates or quarters, but `waves` does not list them in time order"),
        "{warning}"
    );
    assert!(
        warning.contains(r#"waves = ["Q42010", "Q12011", "Q22011"]"#),
        "{warning}"
    );
}

#[test]
fn wave_labels_that_read_as_times_are_ordered_by_time() {
    use berdaya::impact::config::wave_time;
    let ordered = [
        "2010",
        "Q4 2010",
        "2011-01",
        "01/2011",
        "2011Q1",
        "2011-Q2",
        "H2 2011",
        "2011-07-15",
        "2012",
    ];
    let times: Vec<_> = ordered.iter().map(|w| wave_time(w).unwrap()).collect();
    assert!(
        times.windows(2).all(|t| t[0] <= t[1]),
        "{ordered:?} → {times:?}"
    );
    for other in ["awal", "akhir", "Q5 2011", "2011-13", "gelombang 1", ""] {
        assert_eq!(wave_time(other), None, "{other}");
    }
}

#[test]
fn a_threshold_under_3_is_refused_and_under_11_warns() {
    let waves = ["2024", "2025"];
    let data = panel(30, &waves, |p, w| base_income(p, w).to_string());
    let config = toml(&waves, &["2024"], &["2025"], "threshold = 2");
    let err = error_of(site_with(&config, &[("survei.csv", &data)]).path());
    assert!(
        err.contains("threshold = 2 would publish numbers about one or two people"),
        "{err}"
    );
    assert!(err.contains("data/impact.toml:13:1"), "{err}");
    let config = toml(&waves, &["2024"], &["2025"], "threshold = 5");
    let a = analyse(site_with(&config, &[("survei.csv", &data)]).path());
    let warning = a.config.warnings[0].to_string();
    assert!(
        warning.contains("threshold = 5 publishes numbers about fewer than 11 people"),
        "{warning}"
    );
}

/// A built site (the `valid` fixture) with this survey.
fn report_site(toml: &str, csv: &str) -> tempfile::TempDir {
    let site = fixture("bilingual");
    std::fs::create_dir_all(site.path().join("data")).unwrap();
    std::fs::write(site.path().join("data/impact.toml"), toml).unwrap();
    std::fs::write(site.path().join("data/survei.csv"), csv).unwrap();
    build(site.path()).unwrap_or_else(|d| panic!("{d}"));
    site
}

#[test]
fn figures_derived_from_hidden_cells_are_hidden_too() {
    // 2023 has only four participants: the placebo (2023 against 2024) rests on a small cell,
    // the DiD (2024 against 2025) does not.
    let waves = ["2023", "2024", "2025"];
    let mut data = String::from("nama,gelombang,kelompok,pendapatan,jual_online\n");
    for p in 0..40usize {
        let group = if p.is_multiple_of(2) {
            "peserta"
        } else {
            "pembanding"
        };
        for (w, wave) in waves.iter().enumerate() {
            if w == 0 && p.is_multiple_of(2) && p >= 8 {
                continue;
            }
            let online = (p + w) % 2;
            let _ = writeln!(
                data,
                "Juata {p:03},{wave},{group},{},{online}",
                base_income(p, w.saturating_sub(1))
            );
        }
    }
    let config = toml(&waves, &["2023", "2024"], &["2025"], "");
    let site = report_site(&config, &data);
    for page in [
        "dampak/pendapatan/index.html",
        "en/impact/pendapatan/index.html",
    ] {
        let html = read(site.path(), page);
        assert!(
            html.contains(
                "Selisih rata-rata peserta dikurangi kelompok pembanding sesudah program"
            ) || html
                .contains("Participants' average minus the comparison group's after the programme"),
            "{page}: the post difference shows"
        );
        assert!(
            !html.contains("uji plasebo") && !html.contains("placebo test"),
            "{page}: no placebo verdict on a hidden placebo"
        );
    }

    // Pooled over 2023 and 2024, the estimate would rest on the small 2023 cell too: hidden,
    // with the same data that shows the 2x2 above.
    let pooled = toml(&waves, &["2023", "2024"], &["2025"], "design = \"pooled\"");
    let site_pooled = report_site(&pooled, &data);
    let html = read(site_pooled.path(), "dampak/pendapatan/index.html");
    assert!(html.contains(
        "Pendapatan: dampak tidak ditampilkan karena ada kelompok dengan terlalu sedikit responden."
    ));
    let csv = read(
        site_pooled.path(),
        "dampak/pendapatan/pendapatan-perkiraan.csv",
    );
    assert!(csv.contains(",suppressed\n"), "{csv}");
    let overview = read(site_pooled.path(), "dampak/dampak-ringkas.csv");
    assert!(
        overview.contains("\nPendapatan,,") && overview.contains(",suppressed\n"),
        "{overview}"
    );

    // Above the post-programme cells (20 each), every figure of the outcome is hidden,
    // including the difference after the programme.
    let config = toml(&waves, &["2023", "2024"], &["2025"], "threshold = 21");
    let site = report_site(&config, &data);
    let html = read(site.path(), "dampak/pendapatan/index.html");
    assert!(
        !html.contains("Selisih rata-rata peserta dikurangi kelompok pembanding sesudah program"),
        "no post difference on hidden cells"
    );
    assert!(!html.contains("uji plasebo"));
    let html = read(site.path(), "dampak/jual-online/index.html");
    assert!(
        !html.contains("Proporsi sesudah program"),
        "no difference in proportions on hidden cells"
    );
}

#[test]
fn the_method_page_says_whether_the_same_people_were_asked_again() {
    let waves = ["2024", "2025"];
    let config = toml(&waves, &["2024"], &["2025"], "");
    let same = panel(30, &waves, |p, w| base_income(p, w).to_string());
    let site = report_site(&config, &same);
    assert!(read(site.path(), "dampak/metode/index.html").contains("(data panel)"));
    let en = read(site.path(), "en/impact/method/index.html");
    assert!(en.contains("(a panel)"));
    assert!(
        en.contains("Standard error used: clustered by respondent (30 respondents) because the same residents answered in both waves"),
        "{en}"
    );

    // New people in every wave: repeated cross-sections.
    let fresh = same
        .lines()
        .enumerate()
        .map(|(i, line)| {
            if i > 0 && line.contains(",2025,") {
                line.replacen("Pantai Amal", "Kampung Empat", 1)
            } else {
                line.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("\n");
    let site = report_site(&config, &fresh);
    let id = read(site.path(), "dampak/metode/index.html");
    assert!(id.contains("potong lintang berulang"), "{id}");
    assert!(!id.contains("data panel"));
    let en = read(site.path(), "en/impact/method/index.html");
    assert!(en.contains("repeated cross-sections"));
    assert!(
        en.contains("Standard error used: robust (HC1) because there is no cluster column"),
        "{en}"
    );
    let pooled = toml(&waves, &["2024"], &["2025"], "design = \"pooled\"");
    let site_pooled = report_site(&pooled, &fresh);
    let en = read(site_pooled.path(), "en/impact/method/index.html");
    assert!(
        en.contains("from all waves before the programme to all waves after it"),
        "{en}"
    );
    let quality = read(site.path(), "en/impact/data-quality/index.html");
    assert!(quality.contains("Respondents (people)<dd>60<"), "{quality}");
}

#[test]
fn the_data_quality_page_counts_each_outcome_and_states_the_duplicate_rule() {
    let waves = ["2024", "2025"];
    let data = panel(40, &waves, |p, w| {
        odd_income(p, w).map_or(base_income(p, w).to_string(), String::from)
    });
    let site = report_site(&toml(&waves, &["2024"], &["2025"], ""), &data);
    let en = read(site.path(), "en/impact/data-quality/index.html");
    assert!(
        en.contains("<th scope=row>Income<td class=num>71<td class=num>7<td class=num>2<"),
        "{en}"
    );
    assert!(
        en.contains("<th scope=row>Sells online<td class=num>80<td class=num>0<td class=num>0<")
    );
    assert!(en.contains("not a finite number (inf, NaN)"));
    assert!(en.contains("none of those rows is used, because nothing tells which copy is right"));
    assert!(en.contains("an empty cell, “NA”, “N/A”, “NaN”, “.”, “-”, “null”"));
    let id = read(site.path(), "dampak/kualitas-data/index.html");
    assert!(id.contains("tidak satu pun barisnya dipakai, karena"));
}

/// impact.toml for the panel fixture in `file`, with `extra` in [survey].
fn panel_toml(file: &str, extra: &str) -> String {
    format!(
        r#"
[survey]
files = ["{file}"]
id = "rid"
wave = "wave"
waves = ["w1", "w2", "w3"]
pre = ["w1", "w2"]
post = ["w3"]
group = "grp"
treated = "peserta"
comparison = ["pembanding"]
cluster = "kel"
{extra}

[[outcomes]]
id = "pendapatan"
column = "income"
type = "continuous"
range = [0, 100000000]
label = {{ id = "Pendapatan" }}

[[outcomes]]
id = "jual-online"
column = "online"
type = "binary"
label = {{ id = "Jual online" }}
"#
    )
}

#[test]
fn a_spreadsheet_reads_like_its_csv_export_with_sheet_and_row_in_every_reject() {
    let fixtures = repo().join("tests/fixtures/impact");
    let xlsx = std::fs::read(fixtures.join("panel.xlsx")).unwrap();
    // The CSV a careful export would give: the two error cells left empty.
    let csv: String = std::fs::read_to_string(fixtures.join("panel.csv"))
        .unwrap()
        .lines()
        .enumerate()
        .map(|(i, line)| {
            let mut cells: Vec<&str> = line.split(',').collect();
            match i + 1 {
                12 => cells[4] = "",
                200 => cells[5] = "",
                _ => {}
            }
            cells.join(",") + "\n"
        })
        .collect();
    let dir = site_with(&panel_toml("panel.csv", ""), &[("panel.csv", &csv)]);
    let from_csv = analyse(dir.path());

    // The survey is on the third sheet: the first is hidden (old data, not read by default),
    // the second has none of the columns.
    let dir = site_with(&panel_toml("panel.xlsx", ""), &[]);
    std::fs::write(dir.path().join("data/panel.xlsx"), &xlsx).unwrap();
    let err = error_of(dir.path());
    assert!(
        err.contains("survey file data/panel.xlsx, sheet Catatan has no column `rid`"),
        "{err}"
    );
    assert!(
        err.contains("name the sheet with the survey in `sheet`"),
        "{err}"
    );

    let dir = site_with(&panel_toml("panel.xlsx", r#"sheet = "Data""#), &[]);
    std::fs::write(dir.path().join("data/panel.xlsx"), &xlsx).unwrap();
    let a = analyse(dir.path());
    assert_eq!(a.survey.rows_read, 720, "the empty row is not a survey row");
    // Equal up to the order of floating-point sums over clusters.
    let close = |x: f64, y: f64| assert!((x - y).abs() <= 1e-12 * y.abs().max(1.0), "{x} {y}");
    for (x, c) in a.outcomes.iter().zip(&from_csv.outcomes) {
        assert_eq!(x.trend, c.trend);
        for (x, c) in [
            (&x.did, &c.did),
            (x.placebo.as_ref().unwrap(), c.placebo.as_ref().unwrap()),
        ] {
            assert_eq!(x.cells, c.cells);
            close(x.estimate.value, c.estimate.value);
            close(x.estimate.se, c.estimate.se);
            close(x.se_cluster.unwrap().0, c.se_cluster.unwrap().0);
            close(x.se_respondent.unwrap().0, c.se_respondent.unwrap().0);
        }
    }
    let got = located(&a);
    assert_eq!(
        got,
        vec![
            (
                "data/panel.xlsx, sheet Data",
                12,
                "income",
                "#N/A",
                Reason::Unparseable
            ),
            (
                "data/panel.xlsx, sheet Data",
                201,
                "online",
                "#VALUE!",
                Reason::NotBinary
            ),
        ]
    );

    let dir = site_with(&panel_toml("panel.xlsx", r#"sheet = "Survei""#), &[]);
    std::fs::write(dir.path().join("data/panel.xlsx"), &xlsx).unwrap();
    let err = error_of(dir.path());
    assert!(
        err.contains("data/panel.xlsx has no sheet `Survei`"),
        "{err}"
    );
    assert!(err.contains("its sheets: Lama, Catatan, Data"), "{err}");
}

#[test]
fn a_missing_cluster_rejects_the_row_and_every_reject_is_a_located_warning() {
    let waves = ["2024", "2025"];
    let mut data = String::from("nama,gelombang,kelompok,kel,sektor,pendapatan,jual_online\n");
    for p in 0..40usize {
        let group = if p.is_multiple_of(2) {
            "peserta"
        } else {
            "pembanding"
        };
        for (w, wave) in waves.iter().enumerate() {
            let kel = match (p, w) {
                (3, 1) => "".to_string(),
                (5, 0) => "NA".to_string(),
                _ => format!("K{}", p % 4),
            };
            let sektor = if p == 7 { "NA" } else { "umkm" };
            let _ = writeln!(
                data,
                "Juata {p:03},{wave},{group},{kel},{sektor},{},1",
                base_income(p, w)
            );
        }
    }
    let config = toml(&waves, &["2024"], &["2025"], "cluster = \"kel\"")
        + "\n[[breakdowns]]\ncolumn = \"sektor\"\nlabel = { id = \"Sektor\" }\n";
    let a = analyse(site_with(&config, &[("survei.csv", &data)]).path());
    let missing: Vec<(u64, &str)> = a
        .survey
        .rejects
        .iter()
        .filter(|r| r.reason == Reason::MissingCluster)
        .map(|r| (r.row, r.value.as_str()))
        .collect();
    assert_eq!(missing, vec![(2 + 6 + 1, ""), (2 + 10, "NA")]);
    assert_eq!(a.survey.rows_rejected, 2);
    // "NA" in a breakdown is a blank level, not a level called NA.
    assert!(!a.survey.levels[0].contains(&"NA".to_string()));
    assert!(a.survey.levels[0].contains(&String::new()));
    let warning = warnings_of(&a);
    assert!(
        warning.contains("2 rows rejected in column `kel` of data/survei.csv: missing cluster"),
        "{warning}"
    );
    assert!(
        warning.contains("row 9 (\"\"), row 12 (\"NA\")"),
        "{warning}"
    );
}

#[test]
fn a_csv_line_with_more_fields_than_its_header_is_located() {
    let waves = ["2024", "2025"];
    let mut data = panel(20, &waves, |p, w| base_income(p, w).to_string());
    // Line 7 has one field too many (e.g. an unquoted "3,5").
    let mut lines: Vec<String> = data.lines().map(String::from).collect();
    lines[6].push_str(",5");
    data = lines.join("\n") + "\n";
    let config = toml(&waves, &["2024"], &["2025"], "");
    let err = error_of(site_with(&config, &[("survei.csv", &data)]).path());
    assert!(
        err.contains("line 7 of data/survei.csv has 6 fields but the header line has 5"),
        "{err}"
    );
    assert!(err.contains("must be in double quotes"), "{err}");
}

#[test]
fn numbers_with_thousands_separators_stop_the_build_instead_of_being_misread() {
    let waves = ["2024", "2025"];
    // 3.100.000 cannot be a number; 568.730 could, but means 568,730 here.
    let data = panel(20, &waves, |p, w| match (p, w) {
        (2, 0) => "3.100.000".into(),
        (4, 1) => "568.730".into(),
        _ => base_income(p, w).to_string(),
    });
    let config = toml(&waves, &["2024"], &["2025"], "");
    let err = error_of(site_with(&config, &[("survei.csv", &data)]).path());
    assert!(
        err.contains("column `pendapatan` of data/survei.csv writes numbers with separators between thousands (row 6: \"3.100.000\")"),
        "{err}"
    );
}

#[test]
fn another_spelling_of_the_participants_value_is_not_comparison() {
    let waves = ["2024", "2025"];
    let data = panel(20, &waves, |p, w| base_income(p, w).to_string()).replacen(
        "Pantai Amal 000,2025,peserta",
        "Pantai Amal 000,2025,Peserta",
        1,
    );
    let config =
        toml(&waves, &["2024"], &["2025"], "").replace("comparison = [\"pembanding\"]\n", "");
    let a = analyse(site_with(&config, &[("survei.csv", &data)]).path());
    let r = rows_values_reasons(&a);
    assert_eq!(r, vec![(3, "Peserta", Reason::UnknownGroup)]);
}

#[test]
fn a_respondent_who_switches_group_is_left_out_with_every_row_reported() {
    let waves = ["2024", "2025"];
    // Pantai Amal 001 (comparison) is marked a participant in 2025.
    let data = panel(20, &waves, |p, w| base_income(p, w).to_string()).replacen(
        "Pantai Amal 001,2025,pembanding",
        "Pantai Amal 001,2025,peserta",
        1,
    );
    let config = toml(&waves, &["2024"], &["2025"], "");
    let a = analyse(site_with(&config, &[("survei.csv", &data)]).path());
    let r = rows_values_reasons(&a);
    assert_eq!(
        r,
        vec![
            (4, "pembanding", Reason::GroupChanged),
            (5, "peserta", Reason::GroupChanged)
        ]
    );
    assert_eq!(a.survey.rows_used, 38);
}

#[test]
fn semicolon_separated_and_non_utf8_files_get_errors_that_say_so() {
    let waves = ["2024", "2025"];
    let config = toml(&waves, &["2024"], &["2025"], "");
    let semicolons = panel(20, &waves, |p, w| base_income(p, w).to_string()).replace(',', ";");
    let err = error_of(site_with(&config, &[("survei.csv", &semicolons)]).path());
    assert!(
        err.contains(
            "survey file data/survei.csv separates its columns with semicolons, not commas"
        ),
        "{err}"
    );
    let site = site_with(&config, &[]);
    let mut bytes = panel(20, &waves, |p, w| base_income(p, w).to_string()).into_bytes();
    // "Tarakan Utara" with a Windows-1252 "é" on line 5.
    let at = bytes
        .iter()
        .enumerate()
        .filter(|(_, b)| **b == b'\n')
        .nth(3)
        .unwrap()
        .0;
    bytes.splice(at + 1..at + 1, [b'J', 0xE9]);
    std::fs::write(site.path().join("data/survei.csv"), bytes).unwrap();
    let err = error_of(site.path());
    assert!(
        err.contains("line 5 of data/survei.csv is not UTF-8 text"),
        "{err}"
    );
}
