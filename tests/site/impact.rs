//! The impact analysis against statsmodels (Wooldridge's Example 13.3 and a generated panel whose
//! expected values `scripts/statsmodels_expected.py` computed), and the rejects report.

use std::path::Path;

use berdaya::impact::load::Reason;
use berdaya::impact::stats::SeKind;
use berdaya::impact::{self, Analysis};

use crate::support::*;

/// A site folder with `data/impact.toml` and the named fixture files under `data/`.
pub(crate) fn survey_site(toml: &str, files: &[&str]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("data")).unwrap();
    std::fs::write(dir.path().join("data/impact.toml"), toml).unwrap();
    for f in files {
        std::fs::copy(
            repo().join("tests/fixtures/impact").join(f),
            dir.path().join("data").join(f),
        )
        .unwrap();
    }
    dir
}

pub(crate) fn analyse(root: &Path) -> Analysis {
    impact::analyse(root)
        .unwrap_or_else(|d| panic!("{d}"))
        .expect("impact.toml exists")
}

fn expected() -> serde_json::Value {
    serde_json::from_str(
        &std::fs::read_to_string(repo().join("tests/fixtures/impact/expected.json")).unwrap(),
    )
    .unwrap()
}

/// Equal to 6 significant digits.
#[track_caller]
pub(crate) fn close(actual: f64, expected: &serde_json::Value) {
    let e = expected
        .as_f64()
        .unwrap_or_else(|| panic!("{expected} is not a number"));
    let tol = 1e-6 * e.abs().max(1e-9);
    assert!(
        (actual - e).abs() <= tol,
        "{actual} is not {e} to 6 significant digits"
    );
}

const KIELMC: &str = r#"
[survey]
files = ["kielmc.csv"]
id = "id"
wave = "year"
waves = ["1978", "1981"]
pre = ["1978"]
post = ["1981"]
group = "nearinc"
treated = "1"

[[outcomes]]
id = "rprice"
column = "rprice"
type = "continuous"
label = { id = "Harga rumah (1978 dolar)", en = "House price (1978 dollars)" }
"#;

#[test]
fn kielmc_did_equals_wooldridge_and_statsmodels_hc1() {
    let site = survey_site(KIELMC, &["kielmc.csv"]);
    let a = analyse(site.path());
    let e = &expected()["kielmc"];
    let did = &a.outcomes[0].did;
    assert_eq!(did.cells.n(), e["n"].as_u64().unwrap());
    assert!(
        (did.estimate.value - -11863.90).abs() < 0.005,
        "Wooldridge Example 13.3"
    );
    close(did.estimate.value, &e["coef"]);
    // Every house appears once: no panel, no cluster column, so HC1 is shown.
    assert_eq!(did.estimate.kind, SeKind::Hc1);
    close(did.se_hc1, &e["se_hc1"]);
    // The interval and p-value on Student's t with n − 4 df (statsmodels' use_t=True).
    close(did.estimate.lo, &e["ci_t_hc1"][0]);
    close(did.estimate.hi, &e["ci_t_hc1"][1]);
    close(did.estimate.p, &e["p_t_hc1"]);
    close(did.estimate.df, &e["df_t_hc1"]);
    assert_eq!(a.survey.rows_read, 321);
    assert!(a.survey.rejects.is_empty());
}

const PANEL: &str = r#"
[survey]
files = ["panel.csv"]
id = "rid"
wave = "wave"
waves = ["w1", "w2", "w3"]
pre = ["w1", "w2"]
post = ["w3"]
group = "grp"
treated = "peserta"
comparison = ["pembanding"]
cluster = "kel"

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

#[test]
fn panel_did_placebo_and_clustered_errors_equal_statsmodels() {
    let site = survey_site(PANEL, &["panel.csv"]);
    let a = analyse(site.path());
    let all = expected();
    for (i, name) in ["income", "online"].iter().enumerate() {
        let e = &all["panel"][name];
        let o = &a.outcomes[i];
        for (did, e) in [
            (&o.did, &e["did"]),
            (o.placebo.as_ref().unwrap(), &e["placebo"]),
        ] {
            assert_eq!(did.cells.n(), e["n"].as_u64().unwrap());
            close(did.estimate.value, &e["coef"]);
            close(did.se_hc1, &e["se_hc1"]);
            let (se_id, g_id) = did.se_respondent.unwrap();
            close(se_id, &e["se_cluster_id"]);
            assert_eq!(g_id as u64, e["clusters_id"].as_u64().unwrap());
            let (se_kel, g_kel) = did.se_cluster.unwrap();
            close(se_kel, &e["se_cluster_kel"]);
            assert_eq!(g_kel, 12);
            // The declared cluster column is the one shown.
            assert_eq!(did.estimate.kind, SeKind::Cluster(12));
            // Student's t on G − 1 = 11 df (statsmodels' use_t=True).
            close(did.estimate.lo, &e["ci_t_cluster_kel"][0]);
            close(did.estimate.hi, &e["ci_t_cluster_kel"][1]);
            close(did.estimate.p, &e["p_t_cluster_kel"]);
            close(did.estimate.df, &e["df_t_cluster_kel"]);
            assert_eq!(did.panel_respondents, 240);
        }
        for cell in e["cells"].as_array().unwrap() {
            let wave = ["w1", "w2", "w3"]
                .iter()
                .position(|w| *w == cell["wave"].as_str().unwrap())
                .unwrap() as u32;
            let c = o.trend[&(wave, cell["grp"] == "peserta")];
            assert_eq!(c.n, cell["n"].as_u64().unwrap());
            close(c.mean, &cell["mean"]);
            close(c.sd, &cell["sd"]);
        }
    }
    let w = a.outcomes[0].welch.unwrap();
    let e = &all["panel"]["income"]["welch_post"];
    for (actual, key) in [
        (w.diff, "diff"),
        (w.se, "se"),
        (w.df, "df"),
        (w.t, "t"),
        (w.p, "p"),
    ] {
        close(actual, &e[key]);
    }
    close(w.lo, &e["ci"][0]);
    close(w.hi, &e["ci"][1]);
    let p = a.outcomes[1].proportions.unwrap();
    let e = &all["panel_online_prop_post"];
    for (actual, key) in [
        (p.pa, "p_treated"),
        (p.pb, "p_comparison"),
        (p.diff, "diff"),
        (p.se, "se"),
        (p.z, "z_pooled"),
        (p.p, "p_value"),
    ] {
        close(actual, &e[key]);
    }
    // Newcombe's hybrid score interval, not the normal approximation.
    close(p.lo, &e["ci_newcombe"][0]);
    close(p.hi, &e["ci_newcombe"][1]);
}

pub(crate) const REJECTS: &str = r#"
[survey]
files = ["rejects.csv"]
id = "nomor"
wave = "gelombang"
waves = ["awal", "akhir"]
pre = ["awal"]
post = ["akhir"]
group = "kelompok"
treated = "peserta"
comparison = ["pembanding"]
cluster = "kelurahan"
max_reject_share = 0.5

[[outcomes]]
id = "pendapatan"
column = "pendapatan"
type = "continuous"
range = [0, 1000000000]
label = { id = "Pendapatan" }

[[outcomes]]
id = "jual-online"
column = "jual_online"
type = "binary"
label = { id = "Jual online" }
"#;

#[test]
fn every_unusable_row_is_reported_with_file_row_column_value_and_reason() {
    let site = survey_site(REJECTS, &["rejects.csv"]);
    let a = analyse(site.path());
    let s = &a.survey;
    // Bad ids, waves, groups and both copies of a repeated respondent reject the whole row;
    // a bad answer leaves out that outcome's value only.
    assert_eq!((s.rows_read, s.rows_rejected, s.rows_used), (68, 5, 63));
    let got: Vec<(u64, &str, &str, Reason)> = s
        .rejects
        .iter()
        .map(|r| (r.row, r.column.as_str(), r.value.as_str(), r.reason))
        .collect();
    assert_eq!(
        got,
        vec![
            (2, "nomor+gelombang", "P001", Reason::Duplicate),
            (62, "pendapatan", "tiga juta", Reason::Unparseable),
            (63, "pendapatan", "-5000", Reason::OutOfRange),
            (64, "gelombang", "tengah", Reason::UnknownWave),
            (65, "kelompok", "lainnya", Reason::UnknownGroup),
            (66, "nomor+gelombang", "P001", Reason::Duplicate),
            (67, "nomor", "", Reason::MissingId),
            (68, "jual_online", "mungkin", Reason::NotBinary),
        ]
    );
    assert!(s.rejects.iter().all(|r| r.file == "data/rejects.csv"));
    assert_eq!(s.by_reason().values().sum::<u64>(), 8);
    assert_eq!(s.rejects.iter().filter(|r| r.reason.whole_row()).count(), 5);
    // 63 rows used: income leaves out its two bad answers and one unanswered row; the online
    // answer of row 62 and 63 still counts.
    assert_eq!(a.outcomes[0].trend.values().map(|c| c.n).sum::<u64>(), 60);
    assert_eq!(
        (
            s.outcomes[0].used,
            s.outcomes[0].missing,
            s.outcomes[0].rejected
        ),
        (60, 1, 2)
    );
    assert_eq!(
        a.outcomes[1].trend.values().map(|c| c.n).sum::<u64>(),
        s.outcomes[1].used
    );
    assert_eq!(s.outcomes[1].rejected, 1);
}

#[test]
fn too_many_rejects_or_a_missing_column_stop_with_a_clear_error() {
    let strict = REJECTS.replace("max_reject_share = 0.5", "max_reject_share = 0.05");
    let site = survey_site(&strict, &["rejects.csv"]);
    let err = impact::analyse(site.path())
        .err()
        .expect("over the reject limit")
        .to_string();
    assert!(
        err.contains(
            "7.4% of survey rows were rejected (5 of 68), more than max_reject_share allows (5.0%)"
        ),
        "{err}"
    );
    assert!(err.contains("data/rejects.csv"), "{err}");

    let renamed = REJECTS.replace("column = \"pendapatan\"", "column = \"omzet\"");
    let site = survey_site(&renamed, &["rejects.csv"]);
    let err = impact::analyse(site.path())
        .err()
        .expect("missing column")
        .to_string();
    assert!(
        err.contains(
            "survey file data/rejects.csv has no column `omzet` (the outcome column in impact.toml)"
        ),
        "{err}"
    );
    assert!(
        err.contains("columns in this file: nomor, gelombang, kelompok"),
        "{err}"
    );
    assert!(
        err.contains("--> data/impact.toml:17:10"),
        "points at the declaration: {err}"
    );
}

#[test]
fn broken_impact_toml_gets_a_located_error() {
    let site = survey_site(
        &REJECTS
            .replace("threshold", "x")
            .replace("cluster = \"kelurahan\"", "klaster = \"kelurahan\""),
        &["rejects.csv"],
    );
    let err = impact::analyse(site.path()).err().unwrap().to_string();
    assert!(err.contains("error: invalid impact configuration"), "{err}");
    assert!(err.contains("--> data/impact.toml:12:1"), "{err}");
    assert!(err.contains("unknown field `klaster`"), "{err}");
    let site = survey_site(
        &REJECTS.replace("max_reject_share = 0.5", "max_reject_share = \"banyak\""),
        &["rejects.csv"],
    );
    let err = impact::analyse(site.path()).err().unwrap().to_string();
    assert!(err.contains("--> data/impact.toml:13:20"), "{err}");
    let site = survey_site(
        &REJECTS.replace("post = [\"akhir\"]", "post = [\"akhirr\"]"),
        &["rejects.csv"],
    );
    let err = impact::analyse(site.path()).err().unwrap().to_string();
    assert!(
        err.contains("wave `akhirr` is not listed in `waves`"),
        "{err}"
    );
    assert!(err.contains("data/impact.toml:8:1"), "{err}");
}

#[test]
fn shipped_sample_survey_is_what_the_generator_writes() {
    let shipped = std::fs::read_to_string(repo().join("data/survei.csv")).unwrap();
    assert!(
        shipped == berdaya::impact::sample::generate(12_000),
        "regenerate with: cargo run --example sample_survey -- data/survei.csv"
    );
}

#[test]
fn sample_survey_analysis_recovers_the_built_in_effects() {
    let a = analyse(&repo());
    assert!(
        a.config.survey.synthetic,
        "the sample is labelled synthetic"
    );
    for (id, truth) in berdaya::impact::sample::TRUE_EFFECTS {
        let column = match *id {
            "pendapatan" => "pendapatan_bulanan",
            "literasi" => "skor_literasi_digital",
            "jual_online" => "jual_online",
            "ponsel_usaha" => "ponsel_untuk_usaha",
            _ => "pelatihan_diikuti",
        };
        let i = a
            .config
            .outcomes
            .iter()
            .position(|o| o.column == column)
            .unwrap();
        let e = a.outcomes[i].did.estimate;
        assert!(
            e.lo <= *truth && *truth <= e.hi,
            "{id}: true effect {truth} outside [{}, {}]",
            e.lo,
            e.hi
        );
        assert_eq!(e.kind, SeKind::Cluster(20), "clustered by the 20 kelurahan");
        // Two waves before the programme: a placebo exists and finds no pre-trend.
        let p = a.outcomes[i].placebo.as_ref().unwrap().estimate;
        assert!(
            p.lo <= 0.0 && 0.0 <= p.hi,
            "{id}: placebo [{}, {}] excludes zero",
            p.lo,
            p.hi
        );
    }
    // The deliberately bad rows are reported, each with its reason.
    let reasons: Vec<&str> = a.survey.by_reason().keys().map(|r| r.key()).collect();
    for r in [
        "missing_id",
        "unknown_wave",
        "unknown_group",
        "unparseable",
        "out_of_range",
        "not_binary",
        "duplicate",
    ] {
        assert!(reasons.contains(&r), "no {r} in {reasons:?}");
    }
    assert_eq!(
        a.survey.rows_read,
        a.survey.rows_used + a.survey.rows_rejected
    );
    // Breakdowns: every kecamatan and both genders have a DiD with cell counts.
    assert_eq!(a.outcomes[0].breakdowns[0].len(), 4);
    assert_eq!(a.outcomes[0].breakdowns[1].len(), 2);
    assert!(
        a.outcomes[0].breakdowns[0]
            .values()
            .all(|d| d.cells.smallest() >= 11)
    );
}

#[test]
fn report_pages_charts_and_downloads_are_published_in_both_languages() {
    let out = tempfile::tempdir().unwrap();
    let opts = berdaya::build::BuildOptions {
        output: Some(out.path().join("site")),
        ..options(&repo())
    };
    berdaya::build::build(&opts).unwrap_or_else(|d| panic!("{d}"));
    let site = out.path().join("site");
    let all = files(&site);
    let config = berdaya::impact::config::ImpactConfig::load(&repo())
        .unwrap()
        .unwrap();
    for o in &config.outcomes {
        for page in [
            format!("dampak/{}/index.html", o.id),
            format!("en/impact/{}/index.html", o.id),
        ] {
            let html = std::fs::read_to_string(site.join(&page))
                .unwrap_or_else(|_| panic!("missing {page}"));
            let svgs = html.matches("<svg ").count();
            // Take-up is reach: bars of the level after the programme, no forest plot of impacts.
            let per_breakdown = if o.role == berdaya::impact::config::Role::TakeUp {
                1
            } else {
                2
            };
            assert_eq!(
                svgs,
                1 + per_breakdown * config.breakdowns.len(),
                "{page}: a trend chart, and a forest plot (not for take-up) and bars per breakdown"
            );
            assert_eq!(
                html.matches("role=img").count(),
                svgs,
                "{page}: every chart is an image"
            );
            assert_eq!(
                html.matches("aria-labelledby=").count(),
                svgs,
                "{page}: every chart has a name"
            );
            assert_eq!(html.matches("<desc id=").count(), svgs);
            assert_eq!(
                html.matches("<details>").count(),
                svgs,
                "{page}: every chart has its data table"
            );
            assert!(
                html.contains("-tren.csv>") || html.contains("-trend.csv>"),
                "{page}: CSV download"
            );
            let mut rest = html.as_str();
            while let Some(i) = rest.find("<svg ") {
                let end = rest[i..].find("</svg>").unwrap() + i + 6;
                let gz = berdaya::output::encode::gzip(&rest.as_bytes()[i..end], 9).len();
                assert!(gz <= 10 * 1024, "{page}: a chart is {gz} bytes gzip");
                rest = &rest[end..];
            }
        }
    }
    let id = std::fs::read_to_string(site.join("dampak/pendapatan/index.html")).unwrap();
    assert!(
        id.contains("Pendapatan bulanan peserta naik Rp")
            && id.contains("lebih banyak daripada kenaikan di kelompok pembanding. Itu sekitar")
            && id.contains("<dt>Selang kepercayaan 95%<dd>Rp"),
        "Indonesian reading"
    );
    assert!(
        id.contains("klaster per wilayah (20 klaster)"),
        "says which standard error is shown"
    );
    assert!(id.contains("Uji plasebo"));
    let en = std::fs::read_to_string(site.join("en/impact/pendapatan/index.html")).unwrap();
    assert!(
        en.contains("Participants' monthly income rose Rp")
            && en.contains("more than the comparison group's. That is about")
            && en.contains("<dt>95% confidence interval<dd>Rp")
    );
    assert!(
        std::fs::read_to_string(site.join("dampak/index.html"))
            .unwrap()
            .contains("Data contoh sintetis")
    );
    let overview = std::fs::read_to_string(site.join("dampak/index.html")).unwrap();
    assert!(
        overview.contains("jelas membaik"),
        "verdict by higher_is_better"
    );
    // "Highest" only where the top level stands out in the page's rounding: the sample's
    // workshops attended are 2.5 in every district.
    let take_up = std::fs::read_to_string(site.join("en/impact/pelatihan/index.html")).unwrap();
    assert!(
        take_up.contains("“Workshops attended” after the programme by district<"),
        "{take_up}"
    );
    let income = std::fs::read_to_string(site.join("en/impact/pendapatan/index.html")).unwrap();
    assert!(income.contains("after the programme by district; highest: Tarakan Tengah<"));
    let sitemap = std::fs::read_to_string(site.join("sitemap.xml")).unwrap();
    assert!(
        sitemap.contains("/dampak/pendapatan/</loc><xhtml:link rel=\"alternate\" hreflang=\"id\""),
        "report pages are in the sitemap with their translations"
    );
    let quality = std::fs::read_to_string(site.join("dampak/kualitas-data/index.html")).unwrap();
    for reason in [
        "ID responden kosong",
        "angka tidak terbaca",
        "responden ganda dalam satu gelombang",
    ] {
        assert!(quality.contains(reason), "data quality lists {reason}");
    }
    assert!(
        all.iter().any(|f| f == "dampak/metode/index.html")
            && all.iter().any(|f| f == "en/impact/method/index.html")
    );
    // A content page places a chart and numbers by id.
    let policy = std::fs::read_to_string(site.join("kebijakan/index.html")).unwrap();
    assert!(
        policy.contains("pada pendapatan bulanan peserta adalah +Rp"),
        "inline number"
    );
    assert!(
        policy.contains("<title id=dampak-ringkas-t>"),
        "placed chart"
    );
    // A chart placed in markdown carries its finding as title, its data table and download.
    let placed = &policy[policy.find("<p class=chart-title>").expect("a chart title")..];
    let placed = &placed[..placed.find("</figure>").unwrap()];
    assert!(
        placed.contains("<svg")
            && placed.contains("<details><summary>Tabel data</summary>")
            && placed.contains("<table>")
            && placed.contains("dampak-ringkas.csv"),
        "{placed}"
    );
    let csv = std::fs::read_to_string(site.join("dampak/pendapatan/pendapatan-tren.csv")).unwrap();
    assert!(csv.starts_with("wave,group,n,mean,ci_low,ci_high\n2024,treated,"));
    let by_district =
        std::fs::read_to_string(site.join("dampak/pendapatan/pendapatan-kecamatan.csv")).unwrap();
    assert_eq!(
        by_district.lines().count(),
        1 + 4,
        "a header and the 4 kecamatan"
    );
    let overview = std::fs::read_to_string(site.join("dampak/dampak-ringkas.csv")).unwrap();
    // Take-up measures are reach, not outcomes of the overview.
    let judged = config
        .outcomes
        .iter()
        .filter(|o| o.role == berdaya::impact::config::Role::Outcome)
        .count();
    assert_eq!(overview.lines().count(), 1 + judged);
}

#[test]
fn no_respondent_ids_or_rows_reach_the_output() {
    let out = tempfile::tempdir().unwrap();
    let opts = berdaya::build::BuildOptions {
        output: Some(out.path().join("site")),
        ..options(&repo())
    };
    berdaya::build::build(&opts).unwrap_or_else(|d| panic!("{d}"));
    let site = out.path().join("site");
    let survey = std::fs::read_to_string(repo().join("data/survei.csv")).unwrap();
    let rows: Vec<&str> = survey.lines().skip(1).step_by(97).collect();
    for f in files(&site).iter().filter(|f| {
        ![".gz", ".br", ".jpg", ".png", ".webp"]
            .iter()
            .any(|e| f.ends_with(e))
    }) {
        let text = std::fs::read_to_string(site.join(f)).unwrap();
        assert!(!text.contains("TRK-"), "{f} contains a respondent id");
        for row in &rows {
            assert!(!text.contains(row), "{f} contains a survey row");
        }
        assert!(
            !f.ends_with(".parquet") && !f.contains("survei"),
            "{f} looks like raw data"
        );
    }
}

#[test]
fn small_cells_are_suppressed_on_the_published_pages() {
    // A threshold above every breakdown cell but below the overall cells.
    let site = fixture("valid");
    std::fs::create_dir_all(site.path().join("data")).unwrap();
    std::fs::copy(
        repo().join("tests/fixtures/impact/rejects.csv"),
        site.path().join("data/rejects.csv"),
    )
    .unwrap();
    let toml = REJECTS.replace(
        "max_reject_share = 0.5",
        "max_reject_share = 0.5\nthreshold = 14",
    ) + "\n[[breakdowns]]\ncolumn = \"kelurahan\"\nlabel = { id = \"Kelurahan\" }\n";
    std::fs::write(site.path().join("data/impact.toml"), toml).unwrap();
    build(site.path()).unwrap_or_else(|d| panic!("{d}"));
    let html = read(site.path(), "dampak/pendapatan/index.html");
    assert!(
        html.contains("✱ disembunyikan: kurang dari 14 responden"),
        "small kelurahan cells are hidden"
    );
    for level in ["K01", "K02", "K03", "K04"] {
        assert!(
            html.contains(&format!(
                "<th scope=\"row\">{level}</th><td colspan=\"3\">✱ "
            )),
            "{level}: no estimate shown for a hidden level"
        );
    }
}

#[test]
fn weighted_did_equals_statsmodels_wls() {
    let toml = PANEL
        .replace(
            "files = [\"panel.csv\"]",
            "files = [\"panel_weighted.csv\"]",
        )
        .replace("cluster = \"kel\"", "cluster = \"kel\"\nweight = \"bobot\"");
    let site = survey_site(&toml, &["panel_weighted.csv"]);
    let a = analyse(site.path());
    let e = &expected()["panel_weighted_income"];
    let did = &a.outcomes[0].did;
    assert_eq!(did.cells.n(), e["n"].as_u64().unwrap());
    close(did.estimate.value, &e["coef"]);
    close(did.se_hc1, &e["se_hc1"]);
    close(did.se_cluster.unwrap().0, &e["se_cluster_kel"]);
    close(did.estimate.lo, &e["ci_t_cluster_kel"][0]);
    close(did.estimate.hi, &e["ci_t_cluster_kel"][1]);
    close(did.estimate.p, &e["p_t_cluster_kel"]);
    // After the programme: the weighted difference by WLS with HC1 errors, not Welch's
    // unweighted test.
    let w = a.outcomes[0].welch.unwrap();
    let e = &e["post_wls_hc1"];
    assert_eq!(w.method, berdaya::impact::stats::DiffMethod::WlsHc1);
    for (got, key) in [(w.diff, "diff"), (w.se, "se"), (w.df, "df"), (w.p, "p")] {
        close(got, &e[key]);
    }
    close(w.lo, &e["ci"][0]);
    close(w.hi, &e["ci"][1]);
}

#[test]
fn every_problem_of_the_declaration_and_the_columns_is_reported_in_one_run() {
    let toml = REJECTS
        .replace("post = [\"akhir\"]", "post = [\"akhir\", \"nanti\"]")
        .replace("range = [0, 1000000000]", "range = [5, 5]");
    let site = survey_site(&toml, &["rejects.csv"]);
    let text = impact::analyse(site.path()).err().unwrap().to_string();
    assert!(
        text.contains("wave `nanti` is not listed in `waves`"),
        "{text}"
    );
    assert!(
        text.contains("the range of `pendapatan` is empty"),
        "{text}"
    );
    let toml = REJECTS
        .replace("column = \"pendapatan\"", "column = \"pendapatn\"")
        .replace("column = \"jual_online\"", "column = \"jual\"");
    let site = survey_site(&toml, &["rejects.csv"]);
    let diags = impact::analyse(site.path()).err().unwrap();
    let text = diags.to_string();
    assert_eq!(diags.error_count(), 2, "{text}");
    assert!(text.contains("no column `pendapatn`") && text.contains("did you mean `pendapatan`?"));
    assert!(text.contains("no column `jual`"), "{text}");
}

#[test]
fn the_declared_standard_error_is_the_one_shown_with_its_t_interval() {
    let all = expected();
    for (se, key, kind) in [
        ("hc1", "hc1", SeKind::Hc1),
        ("respondent", "cluster_id", SeKind::Respondent(240)),
        ("cluster", "cluster_kel", SeKind::Cluster(12)),
    ] {
        let toml = PANEL.replace(
            "cluster = \"kel\"",
            &format!("cluster = \"kel\"\nse = \"{se}\""),
        );
        let site = survey_site(&toml, &["panel.csv"]);
        let a = analyse(site.path());
        for (i, name) in ["income", "online"].iter().enumerate() {
            let o = &a.outcomes[i];
            for (did, e) in [
                (&o.did, &all["panel"][name]["did"]),
                (o.placebo.as_ref().unwrap(), &all["panel"][name]["placebo"]),
            ] {
                assert_eq!(did.estimate.kind, kind, "{se}");
                close(did.estimate.lo, &e[format!("ci_t_{key}")][0]);
                close(did.estimate.hi, &e[format!("ci_t_{key}")][1]);
                close(did.estimate.p, &e[format!("p_t_{key}")]);
                close(did.estimate.df, &e[format!("df_t_{key}")]);
            }
        }
    }
    // Clustered errors need a cluster column; respondent errors need a panel.
    let toml = PANEL.replace("cluster = \"kel\"", "se = \"cluster\"");
    let err = impact::analyse(survey_site(&toml, &["panel.csv"]).path())
        .err()
        .unwrap()
        .to_string();
    assert!(
        err.contains("se = \"cluster\" needs a cluster column"),
        "{err}"
    );
    let toml = KIELMC.replace("treated = \"1\"", "treated = \"1\"\nse = \"respondent\"");
    let err = impact::analyse(survey_site(&toml, &["kielmc.csv"]).path())
        .err()
        .unwrap()
        .to_string();
    assert!(
        err.contains("se = \"respondent\" cannot be computed for `rprice`: no respondent answered in both waves compared"),
        "{err}"
    );
}

/// The rows of a CSV download as maps from column to value.
pub(crate) fn csv_rows(text: &str) -> Vec<std::collections::HashMap<String, String>> {
    let mut lines = text.lines();
    let head: Vec<&str> = lines.next().unwrap().split(',').collect();
    lines
        .map(|l| {
            head.iter()
                .zip(l.split(','))
                .map(|(h, v)| (h.to_string(), v.to_string()))
                .collect()
        })
        .collect()
}

#[test]
fn every_csv_download_gives_the_estimate_in_its_unit_with_se_df_p_and_every_n() {
    let site = fixture("bilingual");
    std::fs::create_dir_all(site.path().join("data")).unwrap();
    std::fs::copy(
        repo().join("tests/fixtures/impact/panel.csv"),
        site.path().join("data/panel.csv"),
    )
    .unwrap();
    // Each kelurahan has 10 participants and 10 comparison respondents.
    let toml = PANEL.replace("cluster = \"kel\"", "cluster = \"kel\"\nthreshold = 10")
        + "\n[[breakdowns]]\ncolumn = \"kel\"\nlabel = { id = \"Kelurahan\", en = \"Kelurahan\" }\n";
    std::fs::write(site.path().join("data/impact.toml"), toml).unwrap();
    build(site.path()).unwrap_or_else(|d| panic!("{d}"));
    let all = expected();
    let num = |v: &str| serde_json::Value::from(v.parse::<f64>().unwrap());
    let columns = "estimate,se,se_kind,df,ci_low,ci_high,p_value,n_obs,n_people,n_clusters";

    for (csv, lang) in [
        ("dampak/pendapatan/pendapatan-perkiraan.csv", "id"),
        ("en/impact/pendapatan/pendapatan-estimates.csv", "en"),
    ] {
        let text = read(site.path(), csv);
        assert!(
            text.starts_with(&format!("estimate_of,method,{columns},note\n")),
            "{lang}: {text}"
        );
        let rows = csv_rows(&text);
        let row = |of: &str, kind: &str| {
            rows.iter()
                .find(|r| r["estimate_of"] == of && r["se_kind"] == kind)
                .unwrap_or_else(|| panic!("no {of} {kind} row in {text}"))
        };
        let e = &all["panel"]["income"]["did"];
        let did = row("did", "cluster");
        assert_eq!(did["estimate_of"], "did");
        close(did["estimate"].parse().unwrap(), &e["coef"]);
        close(did["se"].parse().unwrap(), &e["se_cluster_kel"]);
        assert_eq!(did["se_kind"], "cluster");
        assert_eq!(num(&did["df"]), e["df_t_cluster_kel"]);
        close(did["ci_low"].parse().unwrap(), &e["ci_t_cluster_kel"][0]);
        close(did["ci_high"].parse().unwrap(), &e["ci_t_cluster_kel"][1]);
        close(did["p_value"].parse().unwrap(), &e["p_t_cluster_kel"]);
        assert_eq!(
            (
                did["n_obs"].as_str(),
                did["n_people"].as_str(),
                did["n_clusters"].as_str()
            ),
            ("480", "240", "12")
        );
        close(
            row("placebo", "cluster")["estimate"].parse().unwrap(),
            &all["panel"]["income"]["placebo"]["coef"],
        );
        // 12 clusters: the bootstrap's interval and p-value are given too.
        let boot = row("did", "wild_cluster_bootstrap");
        assert_eq!(
            (boot["df"].as_str(), boot["n_clusters"].as_str()),
            ("", "12")
        );
        let w = row("post_difference", "welch");
        let e = &all["panel"]["income"]["welch_post"];
        assert_eq!(
            (w["estimate_of"].as_str(), w["se_kind"].as_str()),
            ("post_difference", "welch")
        );
        close(w["se"].parse().unwrap(), &e["se"]);
        close(w["df"].parse().unwrap(), &e["df"]);
        close(w["p_value"].parse().unwrap(), &e["p"]);
        assert_eq!(w["n_obs"], "240");
    }
    let rows = csv_rows(&read(
        site.path(),
        "dampak/jual-online/jual-online-perkiraan.csv",
    ));
    let p = rows.iter().find(|r| r["se_kind"] == "unpooled").unwrap();
    let e = &all["panel_online_prop_post"];
    assert_eq!(
        (p["se_kind"].as_str(), p["df"].as_str()),
        ("unpooled", "inf")
    );
    close(p["ci_low"].parse().unwrap(), &e["ci_newcombe"][0]);
    close(p["ci_high"].parse().unwrap(), &e["ci_newcombe"][1]);
    close(p["p_value"].parse().unwrap(), &e["p_value"]);

    // The overview gives each outcome in its own unit as well as in percent of participants'
    // level before the programme (the chart's comparable unit).
    let overview = read(site.path(), "dampak/dampak-ringkas.csv");
    assert!(
        overview.starts_with(&format!(
            "outcome,unit,{columns},baseline,improvement_pct_of_baseline,pct_ci_low,pct_ci_high,note\n"
        )),
        "{overview}"
    );
    let rows = csv_rows(&overview);
    assert_eq!(rows[0]["unit"], "Rp");
    assert_eq!(rows[1]["unit"], "share 0-1");
    close(
        rows[0]["estimate"].parse().unwrap(),
        &all["panel"]["income"]["did"]["coef"],
    );
    let pct: f64 = rows[0]["improvement_pct_of_baseline"].parse().unwrap();
    let ratio = 100.0 * rows[0]["estimate"].parse::<f64>().unwrap()
        / rows[0]["baseline"].parse::<f64>().unwrap();
    assert!((pct - ratio).abs() < 1e-6 * ratio.abs(), "{pct} vs {ratio}");
    // Breakdowns: the same columns per level (each kelurahan is one cluster: HC1).
    let text = read(site.path(), "dampak/pendapatan/pendapatan-rincian.csv");
    assert!(
        text.starts_with(&format!("breakdown,level,{columns},note\n")),
        "{text}"
    );
    let rows = csv_rows(&text);
    assert_eq!(rows.len(), 12);
    for row in rows {
        assert_eq!(
            (
                row["se_kind"].as_str(),
                row["n_obs"].as_str(),
                row["n_people"].as_str()
            ),
            ("hc1", "40", "20"),
            "{row:?}"
        );
    }
}

#[test]
fn pooled_design_equals_statsmodels_on_all_waves() {
    let all = expected();
    let toml = PANEL.replace("post = [\"w3\"]", "post = [\"w3\"]\ndesign = \"pooled\"");
    let site = survey_site(&toml, &["panel.csv"]);
    let a = analyse(site.path());
    for (i, name) in ["income", "online"].iter().enumerate() {
        let e = &all["panel"][name]["pooled"];
        let did = &a.outcomes[i].did;
        assert_eq!(did.cells.n(), e["n"].as_u64().unwrap());
        close(did.estimate.value, &e["coef"]);
        close(did.se_hc1, &e["se_hc1"]);
        close(did.se_respondent.unwrap().0, &e["se_cluster_id"]);
        assert_eq!(did.estimate.kind, SeKind::Cluster(12));
        close(did.estimate.se, &e["se_cluster_kel"]);
        close(did.estimate.lo, &e["ci_t_cluster_kel"][0]);
        close(did.estimate.hi, &e["ci_t_cluster_kel"][1]);
        close(did.estimate.p, &e["p_t_cluster_kel"]);
        // Everyone answered before and after: 240 people in 720 rows.
        assert_eq!((did.people(), did.panel_respondents), (240, 240));
    }
    let err = impact::analyse(
        survey_site(
            &PANEL.replace("post = [\"w3\"]", "post = [\"w3\"]\ndesign = \"pooling\""),
            &["panel.csv"],
        )
        .path(),
    )
    .err()
    .unwrap()
    .to_string();
    assert!(
        err.contains("unknown variant `pooling`, expected one of `2x2`, `pooled`, `event-study`"),
        "{err}"
    );
}

#[test]
fn wild_cluster_bootstrap_equals_wildboottest() {
    use berdaya::impact::bootstrap::{Weights, wild_cluster};
    use berdaya::impact::estimate::{Compared, cluster_cells};
    let all = expected();
    let site = survey_site(PANEL, &["panel.csv"]);
    let a = analyse(site.path());
    for (i, name) in ["income", "online"].iter().enumerate() {
        let e = &all["panel_wild_bootstrap"][name];
        let rows = Compared::new(&a.survey.data, &format!("o{i}"), &[1, 2]).unwrap();
        let cells = cluster_cells(&rows, 2, "cluster").unwrap();
        assert_eq!(cells.len(), 12);
        // Rademacher weights, all 2^12 vectors: the same counts (the sample's own v = ±1, and
        // for online 158 more draws, tie with |t| in exact arithmetic; wildboottest does not
        // count them here by floating-point chance, so it equals berdaya's strict share; the
        // published p counts them).
        let rad = wild_cluster(&cells, Weights::Rademacher, 9999, 2026).unwrap();
        assert!(rad.enumerated && rad.draws == 4096);
        let want = e["p_rademacher_enumerated"].as_f64().unwrap();
        assert!(
            (rad.p_strict - want).abs() <= 1e-12,
            "{name}: {} vs wildboottest {want}",
            rad.p_strict
        );
        let ties = if *name == "online" { 160.0 } else { 2.0 };
        assert!(
            (rad.p - rad.p_strict - ties / 4096.0).abs() <= 1e-12,
            "{rad:?}"
        );
        // Webb weights are random: berdaya's 9,999 draws are within Monte Carlo error (4
        // standard errors) of wildboottest's 99,999.
        let webb = wild_cluster(&cells, Weights::Webb, 9_999, 2026).unwrap();
        let want = e["p_webb_99999"].as_f64().unwrap();
        let mc = (want.max(1e-3) * (1.0 - want) / 9_999.0).sqrt();
        assert!(
            (webb.p - want).abs() <= 4.0 * mc,
            "{name}: {} vs wildboottest {want}",
            webb.p
        );
        // The interval by test inversion excludes zero exactly when p < 0.05.
        let did = a.outcomes[i].did.estimate.value;
        assert!(webb.lo < did && did < webb.hi);
        assert_eq!(
            webb.p < 0.05,
            webb.lo > 0.0 || webb.hi < 0.0,
            "{name}: {webb:?}"
        );
    }
}

/// A bilingual site with the panel survey written by `edit` from panel.csv.
fn panel_report(toml: &str, edit: impl Fn(&str) -> String) -> tempfile::TempDir {
    let site = fixture("bilingual");
    std::fs::create_dir_all(site.path().join("data")).unwrap();
    let csv = std::fs::read_to_string(repo().join("tests/fixtures/impact/panel.csv")).unwrap();
    std::fs::write(site.path().join("data/panel.csv"), edit(&csv)).unwrap();
    std::fs::write(site.path().join("data/impact.toml"), toml).unwrap();
    build(site.path()).unwrap_or_else(|d| panic!("{d}"));
    site
}

#[test]
fn few_clusters_put_the_bootstrap_interval_and_a_note_next_to_the_headline() {
    let site = panel_report(PANEL, str::to_string);
    let a = analyse(site.path());
    let o = &a.outcomes[0];
    let b = o.bootstrap.expect("12 clusters: the bootstrap runs");
    assert_eq!((b.draws, o.treated_clusters), (9_999, 12));
    assert_eq!(o.headline().estimate.lo, b.lo);
    let en = read(site.path(), "en/impact/pendapatan/index.html");
    assert!(
        en.contains("<p class=note>Only 12 areas were surveyed (12 with participants), so this interval uses a method made for few areas (see Method)."),
        "{en}"
    );
    let id = read(site.path(), "dampak/pendapatan/index.html");
    assert!(
        id.contains("Hanya 12 wilayah yang disurvei (12 dengan peserta)"),
        "{id}"
    );
    let method = read(site.path(), "en/impact/method/index.html");
    assert!(
        method.contains(
            "The headline intervals and p-values therefore come from a wild cluster bootstrap"
        ),
        "{method}"
    );
    let csv = read(site.path(), "dampak/pendapatan/pendapatan-perkiraan.csv");
    assert!(
        csv.contains("did,wild cluster bootstrap (WCR; Webb weights; 9999 draws; seed 20260301),"),
        "{csv}"
    );
    // The overview gives the headline as published: the bootstrap's interval, so named.
    let overview = csv_rows(&read(site.path(), "dampak/dampak-ringkas.csv"));
    assert_eq!(
        (overview[0]["se_kind"].as_str(), overview[0]["df"].as_str()),
        ("wild_cluster_bootstrap", "")
    );
    close(
        overview[0]["ci_low"].parse().unwrap(),
        &serde_json::json!(b.lo),
    );
    // Many clusters: the t interval stands, no note.
    let toml = PANEL.replace("cluster = \"kel\"", "cluster = \"rid\"");
    let site = panel_report(&toml, str::to_string);
    let a = analyse(site.path());
    assert!(a.outcomes[0].bootstrap.is_none());
    assert!(
        !read(site.path(), "en/impact/pendapatan/index.html").contains("wild cluster bootstrap")
    );
}

#[test]
fn participants_in_a_single_cluster_are_stated_as_not_supporting_inference() {
    // Every participant lives in K01; the comparison group keeps its 12 kelurahan.
    let one = |csv: &str| {
        csv.lines()
            .map(|l| {
                if l.contains(",peserta,") {
                    let mut cells: Vec<&str> = l.split(',').collect();
                    cells[3] = "K01";
                    cells.join(",")
                } else {
                    l.to_string()
                }
            })
            .collect::<Vec<_>>()
            .join("\n")
    };
    let site = panel_report(PANEL, one);
    let a = analyse(site.path());
    assert_eq!(a.outcomes[0].treated_clusters, 1);
    assert!(a.outcomes[0].single_treated_cluster());
    let en = read(site.path(), "en/impact/pendapatan/index.html");
    assert!(
        en.contains("Monthly income: all participants are in one cluster, so these data cannot say how sure we can be about the impact."),
        "{en}"
    );
    assert!(en.contains("no conclusion possible (one cluster of participants)"));
    assert!(
        !en.contains("clear improvement") && !en.contains("95% CI:"),
        "{en}"
    );
    assert!(!en.contains("placebo test"), "no placebo verdict either");
    // Nor do the downloads or the overview give an interval or a p-value.
    let rows = csv_rows(&read(
        site.path(),
        "en/impact/pendapatan/pendapatan-estimates.csv",
    ));
    let did = &rows[0];
    assert_eq!(did["note"], "single_cluster");
    assert!(did["ci_low"].is_empty() && did["p_value"].is_empty() && !did["estimate"].is_empty());
    assert!(
        !rows
            .iter()
            .any(|r| r["se_kind"] == "wild_cluster_bootstrap")
    );
    let overview = csv_rows(&read(site.path(), "dampak/dampak-ringkas.csv"));
    assert_eq!(overview[0]["note"], "single_cluster");
    assert!(
        overview[0]["ci_low"].is_empty() && overview[0]["improvement_pct_of_baseline"].is_empty()
    );
}

#[test]
fn event_study_equals_pyfixest_with_its_pretrend_test() {
    use berdaya::impact::bootstrap::Weights;
    use berdaya::impact::estimate::answered;
    let all = expected();
    let toml = PANEL.replace(
        "post = [\"w3\"]",
        "post = [\"w3\"]\ndesign = \"event-study\"",
    );
    let site = survey_site(&toml, &["panel.csv"]);
    let a = analyse(site.path());
    for (i, name) in ["income", "online"].iter().enumerate() {
        let e = &all["panel_event_study"][name];
        let o = &a.outcomes[i];
        let es = o.event_study.as_ref().expect("event study");
        assert_eq!(es.n, e["n"].as_u64().unwrap());
        assert_eq!(es.clusters, 12);
        assert!(es.unit_effects, "a panel: respondent fixed effects");
        assert_eq!(es.reference, 1, "the last wave before the programme");
        assert!(es.effect(1).is_none());
        for (wave, key) in [(0, "w1"), (2, "w3")] {
            let got = es.effect(wave).unwrap();
            let want = &e["effects"][key];
            close(got.value, &want["coef"]);
            close(got.se, &want["se"]);
            close(got.lo, &want["ci"][0]);
            close(got.hi, &want["ci"][1]);
            assert_eq!(got.kind, SeKind::Cluster(12));
        }
        let w = es.pretrend.unwrap();
        close(w.f, &e["pretrend_f"]);
        close(w.p, &e["pretrend_p"]);
        assert_eq!((w.df1, w.df2), (1, 11.0));
        // The headline is the first wave after the programme, with the wild cluster
        // bootstrap's interval and p-value (12 clusters).
        let h = o.headline().estimate;
        let b = o.bootstrap.expect("few clusters: bootstrapped");
        assert_eq!(
            (h.value, h.se),
            (es.effect(2).unwrap().value, es.effect(2).unwrap().se)
        );
        assert_eq!((h.lo, h.hi, h.p), (b.lo, b.hi, b.p));
        assert!(b.lo < h.value && h.value < b.hi);
        // The bootstrap of the event-study regression equals wildboottest on the regression
        // with a dummy per respondent: Rademacher weights, all 2^12 vectors.
        let rows = answered(&a.survey.data, &format!("o{i}"), &[0, 1, 2])
            .collect()
            .unwrap();
        let rad = berdaya::impact::event_study::bootstrap(
            &rows,
            1,
            "cluster",
            true,
            2,
            Weights::Rademacher,
            9999,
            2026,
        )
        .unwrap()
        .unwrap();
        assert!(rad.enumerated && rad.draws == 4096);
        let want = all["panel_event_study_wild"][name]["p_rademacher_enumerated"]
            .as_f64()
            .unwrap();
        // wildboottest counts the exact ties (|t*| = |t| in exact arithmetic: the sample's own
        // v = ±1 and, for online, 158 more) here, by floating-point chance; berdaya publishes
        // p with ties counted, so the two agree. The brute force of the script (every weight
        // vector, the dummies' regression refitted) gives the same counts.
        assert!(
            (rad.p - want).abs() <= 1e-12,
            "{name}: {} vs wildboottest {want}",
            rad.p
        );
        let brute = &all["panel_event_study_wild"][name];
        let above = brute["bruteforce_above"].as_f64().unwrap();
        let ties = brute["bruteforce_ties"].as_f64().unwrap();
        assert_eq!(rad.p_strict * 4096.0, above, "{name}");
        assert_eq!(rad.p * 4096.0, above + ties, "{name}");
    }
    let toml = toml.replace("cluster = \"kel\"", "cluster = \"kel\"\nse = \"hc1\"");
    let err = impact::analyse(survey_site(&toml, &["panel.csv"]).path())
        .err()
        .unwrap()
        .to_string();
    assert!(
        err.contains("the event-study design needs clustered standard errors"),
        "{err}"
    );
}

#[test]
fn the_event_study_is_drawn_with_its_band_programme_start_and_pretrend_test() {
    let toml = PANEL.replace(
        "post = [\"w3\"]",
        "post = [\"w3\"]\ndesign = \"event-study\"",
    );
    let site = panel_report(&toml, str::to_string);
    let en = read(site.path(), "en/impact/pendapatan/index.html");
    assert!(en.contains("Impact by wave"), "{en}");
    assert!(
        en.contains("<dt>Impact in the first wave after the programme<dd>"),
        "{en}"
    );
    assert!(
        en.contains("Before the programme there is no sign that the two groups changed at different rates (joint test of every wave before the programme).")
            && en.contains("<dt>Joint test before the programme<dd>F = 0.18, p = 0.679"),
        "{en}"
    );
    assert_eq!(en.matches("<svg ").count(), 2, "trend and event study");
    let id = read(site.path(), "dampak/pendapatan/index.html");
    assert!(id.contains("<dd>F = 0,18, p = 0,679"), "{id}");
    let csv = read(
        site.path(),
        "en/impact/pendapatan/pendapatan-event-study.csv",
    );
    let rows = csv_rows(&csv);
    assert_eq!(rows.len(), 3, "{csv}");
    assert_eq!(rows[1]["note"], "reference wave");
    let all = expected();
    close(
        rows[2]["estimate"].parse().unwrap(),
        &all["panel_event_study"]["income"]["effects"]["w3"]["coef"],
    );
    // The estimates CSV: the event study's effect and its bootstrap row rest on all three
    // waves (720 person-waves), not on the 2x2's two (480).
    let estimates = csv_rows(&read(
        site.path(),
        "en/impact/pendapatan/pendapatan-estimates.csv",
    ));
    assert_eq!(estimates[0]["n_obs"], "720", "{estimates:?}");
    assert_eq!(estimates[1]["se_kind"], "wild_cluster_bootstrap");
    assert_eq!(estimates[1]["n_obs"], "720", "{estimates:?}");
    assert_eq!(estimates[1]["estimate"], estimates[0]["estimate"]);
    let method = read(site.path(), "en/impact/method/index.html");
    assert!(method.contains("estimated wave by wave with an event study"));
}

#[test]
fn breakdown_levels_inside_one_cluster_say_which_standard_error_they_use() {
    // A breakdown by the cluster column: each level is one kelurahan, so its DiD cannot be
    // clustered by area and uses HC1; the page names them under the figure.
    let toml = format!(
        "{}\n[[breakdowns]]\ncolumn = \"kel\"\nlabel = {{ id = \"Kelurahan\", en = \"Kelurahan\" }}\n",
        PANEL.replace("cluster = \"kel\"", "cluster = \"kel\"\nthreshold = 5")
    );
    let site = panel_report(&toml, str::to_string);
    let en = read(site.path(), "en/impact/pendapatan/index.html");
    assert!(
        en.contains("Levels that lie inside one cluster cannot use standard errors clustered by area; theirs are: K01: robust (HC1); K02: robust (HC1);"),
        "{en}"
    );
    let csv = csv_rows(&read(
        site.path(),
        "en/impact/pendapatan/pendapatan-breakdowns.csv",
    ));
    assert!(csv.iter().all(|r| r["se_kind"] == "hc1"), "{csv:?}");
}

/// The survey of a red-team run: 4 kelurahan, participants in 2 of them, 4 waves (rows
/// shuffled); outcome `y` has a true effect of 1.
const TWO_TREATED: &str = r#"
[survey]
files = ["two_treated_clusters.csv"]
id = "rid"
wave = "wave"
waves = ["w1", "w2", "w3", "w4"]
pre = ["w1", "w2"]
post = ["w3", "w4"]
group = "grp"
treated = "peserta"
comparison = ["pembanding"]
cluster = "kel"
threshold = 5

[[outcomes]]
id = "y"
column = "y"
type = "continuous"
label = { id = "Y", en = "Y" }
"#;

#[test]
fn a_bootstrap_that_cannot_bound_the_impact_gives_no_interval_or_verdict_and_ends() {
    // Participants in two of four clusters: the set of effects the bootstrap does not reject
    // is not one interval (p(0) = 0.043, yet p is at least 0.05 again further out), which was
    // published as "no clear change (95% CI -2.6 to 12.6)"; with two clusters in all, the set
    // is unbounded and the interval search never ended.
    for design in ["2x2", "event-study"] {
        let toml = TWO_TREATED.replace(
            "cluster = \"kel\"",
            &format!("cluster = \"kel\"\ndesign = \"{design}\""),
        );
        let a = analyse(survey_site(&toml, &["two_treated_clusters.csv"]).path());
        let o = &a.outcomes[0];
        let b = o.bootstrap.expect("few clusters: bootstrapped");
        assert!(!b.bounded, "{design}: {b:?}");
        assert_eq!(o.no_inference(), Some("bootstrap_unbounded"), "{design}");
    }
    // Another red-team survey with two clusters in all, both with participants: unbounded; the
    // interval search never ended (2x2) or published ±2e17 (event study).
    let csv =
        std::fs::read_to_string(repo().join("tests/fixtures/impact/two_clusters.csv")).unwrap();
    for design in ["2x2", "event-study"] {
        let toml = TWO_TREATED.replace(
            "cluster = \"kel\"",
            &format!("cluster = \"kel\"\ndesign = \"{design}\""),
        );
        let site = fixture("bilingual");
        std::fs::create_dir_all(site.path().join("data")).unwrap();
        std::fs::write(site.path().join("data/two_treated_clusters.csv"), &csv).unwrap();
        std::fs::write(site.path().join("data/impact.toml"), toml).unwrap();
        build(site.path()).unwrap_or_else(|d| panic!("{d}"));
        let a = analyse(site.path());
        let o = &a.outcomes[0];
        assert!(!o.bootstrap.unwrap().bounded, "{design}");
        let en = read(site.path(), "en/impact/y/index.html");
        assert!(
            en.contains(
                "Y: participants are in too few clusters to bound the impact within one interval"
            ),
            "{design}: {en}"
        );
        let estimates = csv_rows(&read(site.path(), "en/impact/y/y-estimates.csv"));
        assert_eq!(estimates[0]["note"], "bootstrap_unbounded", "{design}");
        assert_eq!(estimates[0]["ci_low"], "", "{design}");
        let overview = read(site.path(), "en/impact/dampak-ringkas.csv");
        assert!(
            !overview.contains("e+") && !overview.contains("inf"),
            "{overview}"
        );
    }
    // Three clusters, two with participants (a third red-team run): far from the estimate a
    // share of draws above 0.05 have |t*| without bound, which rounding hid at 1e10 standard
    // errors, so an interval of ±5e9 was published for the event study.
    let toml = TWO_TREATED
        .replace("two_treated_clusters.csv", "three_clusters.csv")
        .replace(
            "cluster = \"kel\"",
            "cluster = \"kel\"\ndesign = \"event-study\"",
        );
    let a = analyse(survey_site(&toml, &["three_clusters.csv"]).path());
    let b = a.outcomes[0].bootstrap.expect("bootstrapped");
    assert!(
        !b.bounded && b.lo.is_infinite() && b.hi.is_infinite(),
        "{b:?}"
    );
    assert_eq!(a.outcomes[0].no_inference(), Some("bootstrap_unbounded"));
}

#[test]
fn an_event_study_respondent_who_changes_cluster_is_named_in_a_warning() {
    // R0001 is in another kelurahan in w3: the bootstrap needs each respondent in one cluster.
    let csv = std::fs::read_to_string(repo().join("tests/fixtures/impact/panel.csv")).unwrap();
    let moved: String = csv
        .lines()
        .map(|l| {
            if l.starts_with("R0001,w3,") {
                let mut f: Vec<String> = l.split(',').map(String::from).collect();
                f[3] = if f[3] == "K01" {
                    "K02".into()
                } else {
                    "K01".into()
                };
                f.join(",")
            } else {
                l.to_string()
            }
        })
        .map(|l| l + "\n")
        .collect();
    let toml = PANEL.replace(
        "post = [\"w3\"]",
        "post = [\"w3\"]\ndesign = \"event-study\"",
    );
    let site = survey_site(&toml, &[]);
    std::fs::write(site.path().join("data/panel.csv"), moved).unwrap();
    let a = analyse(site.path());
    let warnings: Vec<String> = a.config.warnings.iter().map(|w| w.to_string()).collect();
    assert!(
        warnings.iter().any(|w| w.contains("1 respondent is in different `kel` clusters in different waves; the event study's wild cluster bootstrap needs each respondent in one cluster")),
        "{warnings:?}"
    );
    assert!(a.outcomes[0].bootstrap.is_none());
}

#[test]
fn english_pages_show_the_english_unit() {
    let toml = format!(
        "{PANEL}\n[[outcomes]]\nid = \"skor\"\ncolumn = \"income\"\ntype = \"continuous\"\nunit = {{ id = \"poin\", en = \"points\" }}\nlabel = {{ id = \"Skor\", en = \"Score\" }}\n"
    );
    let site = panel_report(&toml, str::to_string);
    let en = read(site.path(), "en/impact/skor/index.html");
    assert!(en.contains("\u{a0}points"), "{en}");
    // Every "poin" on the page is the start of "points" ("pointer" in the CSS aside).
    let words: Vec<&str> = en
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| *w == "poin")
        .collect();
    assert!(
        words.is_empty(),
        "an Indonesian unit on an English page: {en}"
    );
    let id = read(site.path(), "dampak/skor/index.html");
    assert!(id.contains("\u{a0}poin"), "{id}");
    let overview = csv_rows(&read(site.path(), "en/impact/dampak-ringkas.csv"));
    assert!(
        overview.iter().any(|r| r["unit"] == "points"),
        "{overview:?}"
    );
}

#[test]
fn breakdown_levels_are_named_in_the_page_s_language() {
    let toml = format!(
        "{}\n[[breakdowns]]\ncolumn = \"grp\"\nlabel = {{ id = \"Kelompok\", en = \"Group\" }}\nlevels.peserta = {{ id = \"Peserta\", en = \"Participants\" }}\n",
        PANEL.replace("cluster = \"kel\"", "cluster = \"kel\"\nthreshold = 5")
    );
    let site = panel_report(&toml, str::to_string);
    let en = read(site.path(), "en/impact/pendapatan/index.html");
    assert!(en.contains("<th scope=row>Participants"), "{en}");
    let id = read(site.path(), "dampak/pendapatan/index.html");
    assert!(id.contains("<th scope=row>Peserta"), "{id}");
    // A level without names is shown as written.
    assert!(en.contains("<th scope=row>pembanding"), "{en}");
    let csv = read(
        site.path(),
        "en/impact/pendapatan/pendapatan-breakdowns.csv",
    );
    assert!(csv.contains("Group,Participants,"), "{csv}");
}

#[test]
fn a_unit_given_per_language_but_not_in_every_language_of_the_site_is_a_located_warning() {
    // The bilingual site has `id` and `en`; the unit names only English.
    let toml = format!(
        "{PANEL}\n[[outcomes]]\nid = \"skor\"\ncolumn = \"income\"\ntype = \"continuous\"\nunit = {{ en = \"points\" }}\nlabel = {{ id = \"Skor\", en = \"Score\" }}\n"
    );
    let site = panel_report(&toml, str::to_string);
    let a = analyse(site.path());
    let warnings: Vec<String> = a.config.warnings.iter().map(|w| w.to_string()).collect();
    let w = warnings
        .iter()
        .find(|w| w.contains("the unit of `skor` has no text for `id`"))
        .unwrap_or_else(|| panic!("{warnings:?}"));
    assert!(w.contains("data/impact.toml"), "{w}");
    assert!(
        w.contains("unit = { en = \"points\" }"),
        "located at the unit line: {w}"
    );
    // Every unit complete: no such warning.
    let complete = panel_report(
        &toml.replace(
            "unit = { en = \"points\" }",
            "unit = { id = \"poin\", en = \"points\" }",
        ),
        str::to_string,
    );
    let a = analyse(complete.path());
    assert!(
        !a.config
            .warnings
            .iter()
            .any(|w| w.to_string().contains("has no text for"))
    );
}
