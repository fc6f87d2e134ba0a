//! What the report says in words and shows first: the generated sentences for every kind of
//! outcome (money, points, counts without a unit, yes/no shares) and every sign (a clear rise, a
//! clear fall, no clear change) in both languages; take-up measures shown as reach; the report
//! home's story; the date, build date and method on every report page.

use crate::impact::csv_rows;
use crate::support::{build, fixture, read};

/// Outcomes of every kind and sign: (id, column, type, unit, label id, label en, effect).
const KINDS: &[(&str, &str, &str, &str, &str, &str, f64)] = &[
    (
        "uang-naik",
        "m_up",
        "continuous",
        "\"Rp\"",
        "Pendapatan bulanan",
        "Monthly income",
        400_000.0,
    ),
    (
        "uang-turun",
        "m_down",
        "continuous",
        "\"Rp\"",
        "Pengeluaran bahan bakar",
        "Fuel spending",
        -300_000.0,
    ),
    (
        "uang-datar",
        "m_flat",
        "continuous",
        "\"Rp\"",
        "Tabungan",
        "Savings",
        0.0,
    ),
    (
        "skor-naik",
        "p_up",
        "continuous",
        "{ id = \"poin\", en = \"points\" }",
        "Skor literasi digital",
        "Digital-literacy score",
        8.0,
    ),
    (
        "skor-turun",
        "p_down",
        "continuous",
        "{ id = \"poin\", en = \"points\" }",
        "Skor stres",
        "Stress score",
        -6.0,
    ),
    (
        "skor-datar",
        "p_flat",
        "continuous",
        "{ id = \"poin\", en = \"points\" }",
        "Skor kepercayaan",
        "Trust score",
        0.0,
    ),
    (
        "jumlah-naik",
        "c_up",
        "continuous",
        "\"\"",
        "Pelanggan per minggu",
        "Customers a week",
        3.0,
    ),
    (
        "jumlah-turun",
        "c_down",
        "continuous",
        "\"\"",
        "Hari tanpa tangkapan",
        "Days without a catch",
        -2.0,
    ),
    (
        "jumlah-datar",
        "c_flat",
        "continuous",
        "\"\"",
        "Anggota keluarga bekerja",
        "Family members working",
        0.0,
    ),
    (
        "ya-naik",
        "s_up",
        "binary",
        "\"\"",
        "Berjualan daring",
        "Sells online",
        0.3,
    ),
    (
        "ya-turun",
        "s_down",
        "binary",
        "\"\"",
        "Rugi saat cuaca buruk",
        "Loses money in bad weather",
        -0.3,
    ),
    (
        "ya-datar",
        "s_flat",
        "binary",
        "\"\"",
        "Punya rekening bank",
        "Has a bank account",
        0.0,
    ),
];

/// A deterministic number in [0, 1) from a person, a wave and a column.
fn noise(p: usize, w: usize, k: usize) -> f64 {
    let mut x = (p as u64 + 1).wrapping_mul(0x9E37_79B9_7F4A_7C15)
        ^ ((w as u64 + 1) << 32)
        ^ (k as u64 + 7);
    x ^= x >> 31;
    x = x.wrapping_mul(0xBF58_476D_1CE4_E5B9);
    x ^= x >> 29;
    (x % 1_000_000) as f64 / 1_000_000.0
}

/// A panel of 400 people (half participants) in two waves, with each outcome's effect built
/// in for participants after the programme, and a take-up count and a take-up share.
fn survey() -> String {
    survey_in(&["2025", "2026"])
}

/// The same survey over `waves`, the programme before the last.
fn survey_in(waves: &[&str]) -> String {
    let mut csv = String::from("rid,wave,grp");
    for k in KINDS {
        csv.push_str(&format!(",{}", k.1));
    }
    csv.push_str(",workshops,joined_group,kel\n");
    for p in 0..400 {
        let treated = p % 2 == 0;
        for (w, wave) in waves.iter().enumerate() {
            let group = if treated { "peserta" } else { "pembanding" };
            csv.push_str(&format!("r{p},{wave},{group}"));
            let on = treated && w == waves.len() - 1;
            for (k, (_, _, kind, _, _, _, effect)) in KINDS.iter().enumerate() {
                let u = noise(p, w, k);
                let value = if *kind == "binary" {
                    let share = 0.4 + if on { *effect } else { 0.0 };
                    if u < share {
                        "1".to_string()
                    } else {
                        "0".to_string()
                    }
                } else {
                    let scale = match k / 3 {
                        0 => 1_000_000.0,
                        1 => 20.0,
                        _ => 5.0,
                    };
                    let base = match k / 3 {
                        0 => 3_000_000.0,
                        1 => 50.0,
                        _ => 10.0,
                    };
                    let v = base + (u - 0.5) * scale + if on { *effect } else { 0.0 };
                    format!("{v:.2}")
                };
                csv.push_str(&format!(",{value}"));
            }
            let u = noise(p, w, 99);
            let workshops = if on { 2.0 + u * 2.0 } else { u * 0.5 };
            let joined = if on && u < 0.6 { 1 } else { 0 };
            // A breakdown with one level too small to publish (8 people).
            let kel = if p < 8 {
                "Juata Laut"
            } else {
                ["Selumit", "Karang Anyar", "Pamusian"][p % 3]
            };
            csv.push_str(&format!(",{workshops:.1},{joined},{kel}\n"));
        }
    }
    csv
}

fn config() -> String {
    let mut toml = String::from(
        r#"[survey]
files = ["survei.csv"]
id = "rid"
wave = "wave"
waves = ["2025", "2026"]
pre = ["2025"]
post = ["2026"]
group = "grp"
treated = "peserta"
comparison = ["pembanding"]
data_date = 2026-02-15
about = { id = "Program pelatihan teknologi untuk usaha warga.", en = "A technology training programme for residents' businesses." }
comparison_chosen = { id = "Pembanding: warga serupa yang tidak mendaftar.", en = "Comparison: similar residents who did not sign up." }
"#,
    );
    for (id, column, kind, unit, label_id, label_en, _) in KINDS {
        toml.push_str(&format!(
            "\n[[outcomes]]\nid = \"{id}\"\ncolumn = \"{column}\"\ntype = \"{kind}\"\nunit = {unit}\nlabel = {{ id = \"{label_id}\", en = \"{label_en}\" }}\n"
        ));
        if id.contains("turun") && !id.starts_with("ya") && !id.starts_with("uang") {
            // A fall that is an improvement (less stress, fewer days without a catch).
            toml.push_str("higher_is_better = false\n");
        }
    }
    toml.push_str(
        r#"
[[outcomes]]
id = "pelatihan"
column = "workshops"
type = "continuous"
unit = { id = "kali", en = "times" }
label = { id = "Pelatihan yang diikuti", en = "Workshops attended" }
role = "take-up"

[[outcomes]]
id = "gabung-kub"
column = "joined_group"
type = "binary"
label = { id = "Bergabung dengan KUB", en = "Joined a KUB" }
role = "take-up"
"#,
    );
    toml
}

fn report() -> tempfile::TempDir {
    let site = fixture("bilingual");
    std::fs::create_dir_all(site.path().join("data")).unwrap();
    std::fs::write(site.path().join("data/survei.csv"), survey()).unwrap();
    std::fs::write(site.path().join("data/impact.toml"), config()).unwrap();
    build(site.path()).unwrap_or_else(|d| panic!("{d}"));
    site
}

/// The text of an HTML fragment: tags dropped, entities of the minifier undone.
fn text(html: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.replace("&amp;", "&")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace('\u{a0}', " ")
}

/// The paragraphs of an outcome page from its headline to the first heading.
fn headline(html: &str) -> String {
    let start = html.find("<p class=headline>").expect("a headline");
    let rest = &html[start..];
    let end = start
        + [rest.find("<h2>"), rest.find("<dl")]
            .into_iter()
            .flatten()
            .min()
            .expect("a heading after it");
    html[start..end]
        .split("<p")
        .map(|p| text(&format!("<p{p}")).trim().to_string())
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn generated_sentences_read_whole_for_every_outcome_kind_and_sign_in_both_languages() {
    let site = report();
    let mut all = String::new();
    for (prefix, folder) in [("", "dampak"), ("en/", "impact")] {
        for id in KINDS.iter().map(|k| k.0).chain(["pelatihan", "gabung-kub"]) {
            let html = read(site.path(), &format!("{prefix}{folder}/{id}/index.html"));
            let words = headline(&html);
            // No glued fragments: every sentence ends with a full stop, no doubled spaces
            // or doubled signs, and English pages never show an Indonesian unit.
            for line in words.lines().skip(1) {
                assert!(line.ends_with('.'), "{id}: {line}");
            }
            assert!(!words.contains("  ") && !words.contains("+−") && !words.contains("−−"));
            if prefix == "en/" {
                for word in ["poin", "kali", "persen", "peserta", "pembanding"] {
                    assert!(
                        !words
                            .split(|c: char| !c.is_alphanumeric())
                            .any(|w| w == word),
                        "{id}: `{word}` on an English page: {words}"
                    );
                }
            }
            all.push_str(&format!("## {prefix}{folder}/{id}\n{words}\n\n"));
        }
    }
    insta::assert_snapshot!(all);
}

#[test]
fn take_up_is_reach_without_a_verdict_and_outside_the_overview() {
    let site = report();
    for (page, overview, verdicts) in [
        (
            "en/impact/pelatihan/index.html",
            "en/impact/index.html",
            ["clearly better", "clearly worse", "no clear change"],
        ),
        (
            "dampak/pelatihan/index.html",
            "dampak/index.html",
            [
                "membaik nyata",
                "memburuk nyata",
                "tidak ada perubahan nyata",
            ],
        ),
    ] {
        let html = read(site.path(), page);
        for v in verdicts {
            assert!(!html.contains(v), "{page}: a verdict on take-up: {v}");
        }
        assert!(!html.contains("class=facts"), "{page}: no impact figures");
        assert!(
            html.contains(
                "After the programme, participants' average for “Workshops attended” was"
            ) || html.contains("Sesudah program, rata-rata pelatihan yang diikuti peserta"),
            "{page}"
        );
        let home = read(site.path(), overview);
        let chart = &home[home.find("<svg").unwrap()..home.find("</svg>").unwrap()];
        assert!(
            !chart.contains("Workshops attended") && !chart.contains("Pelatihan yang diikuti"),
            "{overview}: take-up in the overview chart"
        );
        // Listed under the programme's reach instead.
        let reach = &home[home
            .find("<h2>Programme reach")
            .or(home.find("<h2>Jangkauan program"))
            .unwrap()..];
        assert!(
            reach.contains("Workshops attended") || reach.contains("Pelatihan yang diikuti"),
            "{overview}"
        );
    }
    let en = read(site.path(), "en/impact/gabung-kub/index.html");
    assert!(
        en.contains("After the programme, 60.5% of participants answered yes to “Joined a KUB”, against 0.0% in the comparison group."),
        "{en}"
    );
    let csv = read(site.path(), "en/impact/dampak-ringkas.csv");
    assert!(
        !csv.contains("Workshops attended") && !csv.contains("Joined a KUB"),
        "{csv}"
    );
}

#[test]
fn the_report_home_tells_the_story_before_the_numbers_and_every_page_is_dated() {
    let site = report();
    let home = read(site.path(), "en/impact/index.html");
    let about = home.find("A technology training programme").expect("about");
    let who = home
        .find("400 residents answered the survey: 200 programme participants and 200 residents in a comparison group who were not enrolled in the programme.")
        .expect("who, in people");
    let when = home
        .find("They were surveyed in 2025, before the programme, and in 2026, after it.")
        .expect("when");
    let chosen = home
        .find("Comparison: similar residents")
        .expect("how chosen");
    let first_number = home.find("<strong>").expect("a headline number");
    assert!(about < who && who < when && when < chosen && chosen < first_number);
    // The headline in plain words relative to the level before the programme.
    assert!(
        home.contains(
            "Participants' monthly income rose Rp\u{a0}373,000 more than the comparison group's."
        ),
        "{home}"
    );
    assert!(home.contains("That is about 12% of participants' average before the programme"));
    assert!(home.contains("With 95% confidence, the impact lies between"));
    assert!(home.contains(
        "<h2>What was left out, and why</h2><p>No measure is hidden and no row was rejected."
    ));
    // The overview chart's title is its finding, its axis says its unit.
    assert!(home.contains("<p class=chart-title>Participants improved clearly on"));
    assert!(
        home.contains(">Improvement, % of participants' average</text>")
            && home.contains(">before the programme</text>"),
        "the axis title, on two lines"
    );
    for page in [
        "en/impact/index.html",
        "en/impact/method/index.html",
        "en/impact/data-quality/index.html",
        "en/impact/uang-naik/index.html",
    ] {
        let html = read(site.path(), page);
        assert!(
            html.contains("<p class=stamp>Data: 15 February 2026 · Built: ")
                && html.contains(&format!(
                    "Method: berdaya {} · difference in differences, last wave before against first wave after the programme",
                    env!("CARGO_PKG_VERSION")
                )),
            "{page}"
        );
    }
    let id = read(site.path(), "dampak/metode/index.html");
    assert!(
        id.contains("<p class=stamp>Data: 15 Februari 2026 · Diperbarui: "),
        "{id}"
    );
}

#[test]
fn left_out_outcomes_and_rejected_rows_are_named_on_the_home_page() {
    let site = fixture("bilingual");
    std::fs::create_dir_all(site.path().join("data")).unwrap();
    let mut csv = survey();
    // Two unusable rows.
    csv.push_str("r9000,2024,peserta");
    csv.push_str(&",1".repeat(KINDS.len() + 2));
    csv.push('\n');
    csv.push_str("r9001,2026,entah");
    csv.push_str(&",1".repeat(KINDS.len() + 2));
    csv.push('\n');
    std::fs::write(site.path().join("data/survei.csv"), csv).unwrap();
    // A threshold above every cell of the outcomes: all hidden.
    let toml = config().replace("data_date", "threshold = 250\ndata_date");
    std::fs::write(site.path().join("data/impact.toml"), toml).unwrap();
    build(site.path()).unwrap_or_else(|d| panic!("{d}"));
    let home = read(site.path(), "en/impact/index.html");
    assert!(
        home.contains("2 of 802 survey rows were rejected because their content could not be used (see Data quality)."),
        "{home}"
    );
    assert!(
        home.contains("The impact on “Monthly income”, “Fuel spending”,")
            && home.contains("and “Has a bank account” is not shown because a group has fewer than 250 respondents, to protect their privacy."),
        "{home}"
    );
    assert!(home.contains("No outcome changed clearly against the comparison group"));
}

#[test]
fn a_report_without_its_story_warns_where_to_add_it() {
    let site = fixture("bilingual");
    std::fs::create_dir_all(site.path().join("data")).unwrap();
    std::fs::write(site.path().join("data/survei.csv"), survey()).unwrap();
    let toml = config()
        .lines()
        .filter(|l| !l.starts_with("about") && !l.starts_with("comparison_chosen"))
        .collect::<Vec<_>>()
        .join("\n");
    std::fs::write(site.path().join("data/impact.toml"), toml).unwrap();
    let report = build(site.path()).unwrap_or_else(|d| panic!("{d}"));
    let warnings = report.warnings.to_string();
    for what in [
        "the impact report does not say what the programme is (`about` in [survey])",
        "the impact report does not say how the comparison group was chosen (`comparison_chosen` in [survey])",
    ] {
        assert!(warnings.contains(what), "{warnings}");
    }
    assert!(warnings.contains("--> data/impact.toml:1:1"), "{warnings}");
}

fn report_with(waves: &[&str], pre: &[&str], extra: &str) -> tempfile::TempDir {
    let site = fixture("bilingual");
    std::fs::create_dir_all(site.path().join("data")).unwrap();
    std::fs::write(site.path().join("data/survei.csv"), survey_in(waves)).unwrap();
    let list = |l: &[&str]| {
        l.iter()
            .map(|w| format!("\"{w}\""))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let toml = config().replace(
        "waves = [\"2025\", \"2026\"]\npre = [\"2025\"]",
        &format!("waves = [{}]\npre = [{}]", list(waves), list(pre)),
    ) + extra;
    std::fs::write(site.path().join("data/impact.toml"), toml).unwrap();
    build(site.path()).unwrap_or_else(|d| panic!("{d}"));
    site
}

#[test]
fn the_overview_counts_improvements_in_the_direction_that_is_better() {
    let site = report();
    let home = read(site.path(), "en/impact/index.html");
    // Lower stress and fewer days without a catch are improvements; less fuel spending and
    // fewer people answering yes to a loss are not declared lower-is-better: worse.
    assert!(
        home.contains("<p class=chart-title>Participants improved clearly on 6 of 12 outcomes and worsened clearly on 2</p>"),
        "{home}"
    );
    let csv = csv_rows(&read(site.path(), "en/impact/dampak-ringkas.csv"));
    let improvement = |label: &str| -> f64 {
        csv.iter().find(|r| r["outcome"] == label).unwrap()["improvement_pct_of_baseline"]
            .parse()
            .unwrap()
    };
    assert!(
        improvement("Stress score") > 0.0,
        "a fall where lower is better"
    );
    assert!(improvement("Fuel spending") < 0.0);
    assert!(improvement("Monthly income") > 0.0);
    // A list of measures quotes their names.
    assert!(
        home.contains("participants improved clearly on “Monthly income”, “Digital-literacy score”, “Stress score”,"),
        "{home}"
    );
    // The trend chart's title states its finding by the sign of the estimate.
    for (id, finding) in [
        (
            "uang-naik",
            "Monthly income: participants pulled ahead of the comparison group after the programme started",
        ),
        (
            "uang-turun",
            "Fuel spending: participants went down relative to the comparison group after the programme started",
        ),
        (
            "uang-datar",
            "Savings: participants and the comparison group moved with no clear difference",
        ),
    ] {
        let page = read(site.path(), &format!("en/impact/{id}/index.html"));
        assert!(
            page.contains(&format!("<p class=chart-title>{finding}</p>")),
            "{id}: {page}"
        );
    }
    // No reliability reading of an unclear estimate (its RSE explodes near zero).
    let flat = read(site.path(), "en/impact/skor-datar/index.html");
    assert!(
        flat.contains("<dt>Reliability<dd>not rated (no clear change)"),
        "{flat}"
    );
    assert!(!flat.contains("too imprecise") && !flat.contains("use it with caution"));
    // Take-up has no impact estimates to download.
    assert!(
        !site
            .path()
            .join("output/en/impact/pelatihan/pelatihan-estimates.csv")
            .exists()
    );
    assert!(
        site.path()
            .join("output/en/impact/uang-naik/uang-naik-estimates.csv")
            .exists()
    );
}

#[test]
fn hidden_breakdown_groups_are_counted_as_hidden_and_named_on_the_home_page() {
    let site = report_with(
        &["2025", "2026"],
        &["2025"],
        "\n[[breakdowns]]\ncolumn = \"kel\"\nlabel = { id = \"Kelurahan\", en = \"Kelurahan\" }\n",
    );
    let page = read(site.path(), "en/impact/uang-naik/index.html");
    assert!(
        page.contains(
            "Impact on monthly income by kelurahan: clear in 2 of 2 groups shown (2 hidden)"
        ),
        "{page}"
    );
    // The bars' table lists the hidden group with ✱.
    assert!(
        page.contains("<th scope=row>Juata Laut<td class=num>✱<td class=num>✱"),
        "{page}"
    );
    let home = read(site.path(), "en/impact/index.html");
    assert!(
        home.contains("breakdown figures by group of residents are hidden (✱) because the group has fewer than 11 respondents."),
        "{home}"
    );
}

#[test]
fn a_check_before_the_programme_too_imprecise_to_see_a_gap_says_so() {
    let site = report_with(&["2024", "2025", "2026"], &["2024", "2025"], "");
    // A large impact against a precise check: no sign of a gap.
    let big = read(site.path(), "en/impact/uang-naik/index.html");
    assert!(
        big.contains("<p>Before the programme there is no sign that the two groups changed at different rates."),
        "{big}"
    );
    // No impact to speak of: the same check cannot rule out a gap of its size.
    let flat = read(site.path(), "en/impact/uang-datar/index.html");
    assert!(
        flat.contains("this check is imprecise: a gap of up to Rp")
            && flat.contains("of the impact) cannot be ruled out."),
        "{flat}"
    );
    assert!(!flat.contains("there is no sign"), "{flat}");
}
