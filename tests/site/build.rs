//! Building fixture sites through the public API and the `berdaya` binary.

use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::Command;

use berdaya::build::{self, BuildOptions};

use crate::support::*;

#[test]
fn valid_site_builds_every_kind_of_output() {
    let site = fixture("valid");
    let report = build(site.path()).unwrap_or_else(|d| panic!("{d}"));
    let out = files(&site.path().join("output"));
    for expected in [
        "index.html",
        "404.html",
        "robots.txt",
        "sitemap.xml",
        "atom.xml",
        "tips/index.html",
        "tips/page/2/index.html",
        "tips/atom.xml",
        "tips/jemur/index.html",
        "tips/jemur/foto.svg",
        "tips/harga/index.html",
        "lama/jemur/index.html",
        "pelatihan/index.html",
        "pelatihan/kalender.ics",
        "pelatihan/katalog/index.html",
        "pelatihan/katalog/katalog.ics",
        "kisah/kub/index.html",
        "tentang/index.html",
        "tags/index.html",
        "tags/rumput-laut/index.html",
        "topik/pertanian/index.html",
        "kecamatan/tarakan-timur/index.html",
    ] {
        assert!(
            out.iter().any(|f| f == expected),
            "missing {expected} in {out:?}"
        );
    }
    // Drafts stay out unless asked for.
    assert!(!out.iter().any(|f| f.contains("rahasia")));
    // Every text file has precompressed siblings that decompress to it.
    for f in out.iter().filter(|f| {
        [".html", ".xml", ".ics", ".svg"]
            .iter()
            .any(|e| f.ends_with(e))
    }) {
        assert!(
            out.contains(&format!("{f}.gz")) && out.contains(&format!("{f}.br")),
            "{f} lacks .gz/.br"
        );
    }
    let original = std::fs::read(site.path().join("output/tips/jemur/index.html")).unwrap();
    let mut gz = Vec::new();
    flate2::read::GzDecoder::new(
        &std::fs::read(site.path().join("output/tips/jemur/index.html.gz")).unwrap()[..],
    )
    .read_to_end(&mut gz)
    .unwrap();
    assert_eq!(gz, original);
    let mut br = Vec::new();
    brotli::Decompressor::new(
        &std::fs::read(site.path().join("output/tips/jemur/index.html.br")).unwrap()[..],
        4096,
    )
    .read_to_end(&mut br)
    .unwrap();
    assert_eq!(br, original);
    assert!(report.html_pages >= 20);
    assert!(report.heaviest[0].gzip <= report.budget);
    // YAML front matter and the date in the file name.
    let harga = read(site.path(), "tips/harga/index.html");
    assert!(harga.contains("Menentukan harga: modal + untung"));
    assert!(harga.contains("5 Januari 2026"));
    // A table is wrapped so it scrolls on a phone, and headings carry ids.
    assert!(harga.contains(r#"<div class="table-wrap" tabindex="0"><table>"#));
    assert!(harga.contains(r#"<h2 id="contoh-hitung">"#));
    // The alias redirects without JavaScript.
    assert!(
        read(site.path(), "lama/jemur/index.html").contains(r#"content="0; url=/tips/jemur/""#)
    );
}

#[test]
fn drafts_are_built_with_the_drafts_option() {
    let site = fixture("valid");
    build::build(&BuildOptions {
        drafts: true,
        ..options(site.path())
    })
    .unwrap();
    assert!(read(site.path(), "tips/rahasia/index.html").contains("Draf rahasia"));
}

#[test]
fn rendered_pages_match_snapshots() {
    let site = fixture("valid");
    build(site.path()).unwrap_or_else(|d| panic!("{d}"));
    for (name, page) in [
        ("tip", "tips/jemur/index.html"),
        ("workshop", "pelatihan/katalog/index.html"),
        ("schedule", "pelatihan/index.html"),
        ("story", "kisah/kub/index.html"),
        ("listing_page_2", "tips/page/2/index.html"),
        ("home", "index.html"),
    ] {
        let html = read(site.path(), page);
        insta::assert_snapshot!(name, main_of(&html));
    }
}

#[test]
fn pages_write_dates_numbers_and_money_in_their_language() {
    let site = fixture("bilingual");
    build(site.path()).unwrap_or_else(|d| panic!("{d}"));
    let id = read(site.path(), "pelatihan/katalog/index.html");
    assert!(id.contains("<html lang=id>"), "{}", &id[..80]);
    assert!(id.contains("Sabtu, 14 Maret 2026, 09.00–12.00 WITA"));
    assert!(id.contains("Rp\u{a0}1.500.000"));
    assert!(id.contains("1.500 orang"));
    let en = read(site.path(), "en/pelatihan/whatsapp-catalogue/index.html");
    assert!(en.contains("<html lang=en>"));
    assert!(en.contains("Saturday, 14 March 2026, 09:00–12:00 WITA"));
    assert!(en.contains("Rp\u{a0}1,500,000"));
    assert!(en.contains("1,500 people"));
    let story = read(site.path(), "kisah/kub/index.html");
    assert!(
        story.contains("dari Rp\u{a0}3.000.000 menjadi Rp\u{a0}7.500.000 (+150%)"),
        "{story}"
    );
    assert!(story.contains("Contoh ilustratif"));
}

#[test]
fn translations_link_to_each_other() {
    let site = fixture("bilingual");
    build(site.path()).unwrap_or_else(|d| panic!("{d}"));
    let id = read(site.path(), "tips/jemur/index.html");
    assert!(
        id.contains(
            r#"<link href=https://contoh.test/en/tips/drying-seaweed/ hreflang=en rel=alternate>"#
        ),
        "{id}"
    );
    assert!(id.contains(r#"<a href=/en/tips/drying-seaweed/ hreflang=en lang=en>English</a>"#));
    let en = read(site.path(), "en/tips/drying-seaweed/index.html");
    assert!(
        en.contains(r#"<link href=https://contoh.test/tips/jemur/ hreflang=id rel=alternate>"#)
    );
    assert!(en.contains(r#"<a href=/tips/jemur/ hreflang=id lang=id>Bahasa Indonesia</a>"#));
    // A page without translation sends the switcher to the other language's home, with no hreflang.
    let alone = read(site.path(), "tips/cuaca/index.html");
    assert!(alone.contains(r#"<a href=/en/ hreflang=en lang=en>English</a>"#));
    assert!(!alone.contains("hreflang=en rel=alternate"));
    // 404 and taxonomy lists exist in both languages and switch to each other.
    assert!(read(site.path(), "en/404.html").contains(r#"<a href=/404.html hreflang=id"#));
    assert!(read(site.path(), "en/tags/index.html").contains(r#"<a href=/tags/ hreflang=id"#));
    // Each language has its own feed; the sitemap lists alternates.
    assert!(
        read(site.path(), "en/atom.xml").contains("https://contoh.test/en/tips/drying-seaweed/")
    );
    let sitemap = read(site.path(), "sitemap.xml");
    assert!(sitemap.contains(r#"<xhtml:link rel="alternate" hreflang="en" href="https://contoh.test/en/tips/drying-seaweed/"/>"#));
}

#[test]
fn schedule_lists_upcoming_workshops_first_then_past() {
    let site = fixture("valid");
    build(site.path()).unwrap();
    let html = read(site.path(), "pelatihan/index.html");
    let pos = |s: &str| {
        html.find(s)
            .unwrap_or_else(|| panic!("{s} not on schedule"))
    };
    assert!(pos("Akan datang") < pos("/pelatihan/katalog/"));
    assert!(
        pos("/pelatihan/katalog/") < pos("/pelatihan/nanti/"),
        "soonest first"
    );
    assert!(pos("/pelatihan/nanti/") < pos("Sudah berlangsung"));
    assert!(pos("Sudah berlangsung") < pos("/pelatihan/lalu/"));
    // With a later build date every workshop is past.
    build::build(&BuildOptions {
        now: berdaya::common::locale::parse_date("2026-05-01", 8),
        ..options(site.path())
    })
    .unwrap();
    let html = read(site.path(), "pelatihan/index.html");
    assert!(html.contains("Belum ada pelatihan yang dijadwalkan"));
}

#[test]
fn the_footer_tells_readers_how_to_reach_the_programme_in_their_language() {
    let site = fixture("bilingual");
    let path = site.path().join("berdaya.toml");
    let config = std::fs::read_to_string(&path).unwrap().replacen(
        "author = \"Penguji\"\n",
        "author = \"Penguji\"\ncontact = \"Sekretariat, WhatsApp 0812-0000-0100\"\n",
        1,
    );
    let config = config.replacen(
        "name = \"English\"\n",
        "name = \"English\"\ncontact = \"Programme office <b>, WhatsApp 0812-0000-0100\"\n",
        1,
    );
    std::fs::write(&path, config).unwrap();
    build(site.path()).unwrap();
    let id = read(site.path(), "index.html");
    assert!(
        id.contains("Hubungi kami: Sekretariat, WhatsApp <a href=https://wa.me/6281200000100>0812-0000-0100</a>"),
        "{id}"
    );
    let en = read(site.path(), "en/index.html");
    assert!(
        en.contains(
            "Contact us: Programme office &lt;b>, WhatsApp <a href=https://wa.me/6281200000100>"
        ),
        "{en}"
    );
}

#[test]
fn a_workshop_venue_may_carry_a_map_link_and_only_a_web_one() {
    let site = fixture("valid");
    let page = site.path().join("content/pelatihan/katalog.md");
    let text = std::fs::read_to_string(&page).unwrap();
    let with_map = text.replacen(
        "register = ",
        "venue_map = \"https://maps.app.goo.gl/abc123\"\nregister = ",
        1,
    );
    std::fs::write(&page, &with_map).unwrap();
    build(site.path()).unwrap_or_else(|d| panic!("{d}"));
    let html = read(site.path(), "pelatihan/katalog/index.html");
    assert!(
        html.contains("(<a href=\"https://maps.app.goo.gl/abc123\">peta</a>)"),
        "{html}"
    );
    std::fs::write(
        &page,
        with_map.replace("https://maps.app.goo.gl/abc123", "javascript:alert(1)"),
    )
    .unwrap();
    let err = build(site.path()).unwrap_err().to_string();
    assert!(
        err.contains("`venue_map` cannot be used as a link"),
        "{err}"
    );
    assert!(err.contains("content/pelatihan/katalog.md"), "{err}");
}

#[test]
fn registration_phone_numbers_are_links_readers_can_tap() {
    let site = fixture("valid");
    build(site.path()).unwrap();
    let html = read(site.path(), "pelatihan/katalog/index.html");
    assert!(
        html.contains("WhatsApp <a href=\"https://wa.me/6281200000000\">0812-0000-0000</a>"),
        "{html}"
    );
}

#[test]
fn icalendar_files_parse_and_hold_the_right_events() {
    let site = fixture("valid");
    build(site.path()).unwrap();
    let cals = parse_ics(&read(site.path(), "pelatihan/katalog/katalog.ics"));
    assert_eq!(cals.len(), 1);
    let event = &cals[0].events[0];
    let prop = |name: &str| {
        event
            .properties
            .iter()
            .find(|p| p.name == name)
            .and_then(|p| p.value.clone())
            .unwrap()
    };
    assert_eq!(
        prop("DTSTART"),
        "20260314T010000Z",
        "09:00 WITA is 01:00 UTC"
    );
    assert_eq!(prop("DTEND"), "20260314T040000Z");
    assert_eq!(prop("SUMMARY"), r#"Katalog WhatsApp\, Bisnis\; dan "Foto""#);
    assert!(prop("LOCATION").contains("Pantai Amal"));
    assert!(prop("UID").ends_with("@contoh.test"));
    // A reminder the day before.
    let alarm = &event.alarms[0];
    let aprop = |name: &str| {
        alarm
            .properties
            .iter()
            .find(|p| p.name == name)
            .and_then(|p| p.value.clone())
            .unwrap()
    };
    assert_eq!(aprop("ACTION"), "DISPLAY");
    assert_eq!(aprop("TRIGGER"), "-P1D");
    assert!(aprop("DESCRIPTION").starts_with("Besok: Katalog WhatsApp"));
    // The feed holds only upcoming workshops.
    let feed = parse_ics(&read(site.path(), "pelatihan/kalender.ics"));
    let summaries: Vec<String> = feed[0]
        .events
        .iter()
        .map(|e| {
            e.properties
                .iter()
                .find(|p| p.name == "SUMMARY")
                .unwrap()
                .value
                .clone()
                .unwrap()
        })
        .collect();
    assert_eq!(summaries.len(), 2, "{summaries:?}");
    assert!(!summaries.iter().any(|s| s.contains("sudah lewat")));
}

#[test]
fn feeds_and_sitemap_are_well_formed_and_list_only_existing_pages() {
    let site = fixture("bilingual");
    build(site.path()).unwrap();
    let out = site.path().join("output");
    for feed in ["atom.xml", "en/atom.xml", "tips/atom.xml", "sitemap.xml"] {
        assert_xml_lists_existing_pages(&out, feed, "https://contoh.test/");
    }
    assert_links_resolve(&out);
}

/// Builds the invalid fixture `case`, which must fail with every text of `expected` in its
/// messages and write nothing.
fn fails_with(case: &str, expected: &[&str]) {
    let site = fixture(&format!("invalid/{case}"));
    let diags = build(site.path())
        .err()
        .unwrap_or_else(|| panic!("{case}: build should fail"));
    let text = diags.to_string();
    for e in expected {
        assert!(text.contains(e), "{case}: expected {e:?} in\n{text}");
    }
    assert!(
        !site.path().join("output").exists(),
        "{case}: a failed build wrote output/"
    );
}

/// One test per invalid fixture, so the first failure does not hide the rest.
macro_rules! invalid_fixture {
    ($($case:ident: [$($expected:expr),+ $(,)?];)+) => {
        mod invalid {
            use super::fails_with;
            $(
                #[test]
                fn $case() {
                    fails_with(stringify!($case), &[$($expected),+]);
                }
            )+
        }
    };
}

invalid_fixture! {
    unknown_topic: [
        "error: unknown topic `kuliner`",
        "--> content/tips/sayur.md:4:9",
        "help: use one of: cuaca, literasi-digital, pemasaran, perikanan, pertanian",
    ];
    bad_date: [
        "error: `date` is not a valid date",
        "--> content/tips/a.md:3:8",
        "accepted formats: 2026-03-14, 2026-03-14T09:00",
    ];
    missing_field: [
        "error: missing required field `venue`",
        "--> content/pelatihan/a.md:1:1",
        "help: add a line like venue = ",
    ];
    duplicate_url: [
        "error: content/tips/a.md and content/tips/b.md both make /tips/sama/",
        "--> content/tips/a.md:4:1",
        "content/tips/a.md",
        "content/tips/b.md",
        "another `slug`",
    ];
    unknown_template_variable: [
        "error: template `page.html` failed while drawing content/",
        "--> templates/page.html",
        "Field `penulis` is not defined",
        "page.html:4:12",
    ];
    template_syntax_error: [
        "error: template syntax error",
        "--> templates/page.html:4:7",
        "Tera 2 syntax",
    ];
    broken_link: [
        "error: broken internal link to `@/tips/tidak-ada.md`",
        "--> content/tips/a.md:8:36",
        "there is no content/tips/tidak-ada.md",
    ];
    broken_anchor: [
        "error: broken link to `#panen` in `@/tips/b.md`",
        "--> content/tips/a.md:6:7",
        "headings of that page: masa-panen",
    ];
    bad_toml: [
        "error: front matter is not valid TOML",
        "--> content/rusak.md:2:27",
        "help: TOML writes `key = value`",
    ];
    bad_yaml: [
        "error: front matter is not valid YAML",
        "--> content/tips/a.md:5:1",
        "expected ',' or ']'",
    ];
    unknown_kelurahan: [
        "error: unknown kelurahan `Pantai Indah`",
        "--> content/pelatihan/a.md:6:13",
        "Pantai Amal",
    ];
    over_budget: [
        "error: page /panjang/ is",
        "over the budget of 1.0 KB",
        "--> content/panjang.md",
        "page_budget_kb",
    ];
    unknown_taxonomy: [
        "error: unknown taxonomy `kategori`",
        "--> content/tips/a.md:6:12",
        "use one of: tags, topik, kecamatan",
    ];
    missing_front_matter: [
        "error: missing front matter",
        "--> content/catatan.md:1:1",
        "between two `+++` lines",
    ];
    bad_config: [
        "error: unknown key `bahasa` at the top of berdaya.toml",
        "--> berdaya.toml:3:1",
        "known keys here: title, description, base_url, default_language",
    ];
}

#[test]
fn many_errors_are_reported_in_one_run() {
    let site = fixture("invalid/many_errors");
    let diags = build(site.path()).unwrap_err();
    let text = diags.to_string();
    assert!(diags.error_count() >= 3, "{text}");
    assert!(text.contains("unknown topic `masak`") && text.contains("content/tips/a.md:3:9"));
    // A tip may go without a title (as in Zola); a workshop needs one for its calendar event.
    assert!(
        text.contains("missing required field `title`") && text.contains("content/pelatihan/c.md")
    );
    assert!(!text.contains("content/tips/b.md:1:1"), "{text}");
    assert!(text.contains("`date` is not a valid date") && text.contains("content/tips/b.md:3:8"));
    assert!(
        text.contains("warning: unknown front-matter key `warna`")
            && text.contains("content/tips/b.md:4:1")
    );
}

#[test]
fn unknown_keys_warn_but_the_build_succeeds() {
    let site = fixture("valid");
    std::fs::write(
        site.path().join("content/tentang.md"),
        "+++\ntitle = \"Tentang\"\nwarna = \"biru\"\n+++\nIsi.\n",
    )
    .unwrap();
    let report = build(site.path()).unwrap_or_else(|d| panic!("{d}"));
    let text = report.warnings.to_string();
    assert!(
        text.contains("warning: unknown front-matter key `warna`"),
        "{text}"
    );
    assert!(text.contains("content/tentang.md:3:1"));
    assert!(text.contains("put your own values under [extra]"));
}

#[test]
fn failed_build_leaves_previous_output_exactly_as_it_was() {
    let site = fixture("valid");
    build(site.path()).unwrap();
    let out = site.path().join("output");
    let before = snapshot(&out);
    std::fs::write(
        site.path().join("content/tips/cuaca.md"),
        "+++\ntitle = \"Cuaca\"\ntopic = \"salah\"\n+++\n",
    )
    .unwrap();
    std::fs::write(
        site.path().join("content/tentang.md"),
        "+++\ntitle = \"Baru\"\n+++\nBerubah.\n",
    )
    .unwrap();
    assert!(build(site.path()).is_err());
    assert_eq!(snapshot(&out), before);
    // No temporary folders are left beside it (`.berdaya-cache` is the lasting cache).
    let leftovers: Vec<_> = std::fs::read_dir(site.path())
        .unwrap()
        .flatten()
        .filter(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            name.contains("berdaya-") && name != ".berdaya-cache"
        })
        .collect();
    assert!(leftovers.is_empty());
}

#[test]
fn rebuild_reuses_unchanged_compressed_files() {
    let site = fixture("valid");
    let first = build(site.path()).unwrap();
    assert_eq!(first.reused, 0);
    let second = build(site.path()).unwrap();
    assert!(
        second.reused >= first.html_pages,
        "reused {} of {}",
        second.reused,
        first.html_pages
    );
    // The budget measures the `.gz` linked from the last build: the same sizes.
    let sizes = |r: &build::BuildReport| -> Vec<(String, u64, u64)> {
        r.heaviest
            .iter()
            .map(|p| (p.path.clone(), p.raw, p.gzip))
            .collect()
    };
    assert_eq!(sizes(&second), sizes(&first));
    // A budget the heaviest page no longer fits fails the rebuild, as it fails a fresh build.
    let heaviest = &first.heaviest[0];
    let config = site.path().join("berdaya.toml");
    let text = std::fs::read_to_string(&config).unwrap();
    let kb = (heaviest.gzip as f64 - 1.0) / 1024.0;
    let tight = if text.contains("[build]") {
        text.replacen("[build]", &format!("[build]\npage_budget_kb = {kb}"), 1)
    } else {
        format!("{text}\n[build]\npage_budget_kb = {kb}\n")
    };
    std::fs::write(&config, tight).unwrap();
    let failed = build(site.path()).unwrap_err().render(false);
    let url = heaviest.path.trim_end_matches("index.html");
    assert!(
        failed.contains("over the budget") && failed.contains(url),
        "{failed}"
    );
    // The budget weighs the page at this build's gzip level, not by the copy the last build
    // left: at level 1 the same page is heavier, and fails although level 9's copy would fit.
    std::fs::write(&config, &text).unwrap();
    let at = |level: u32, kb: f64| {
        let with = if text.contains("[build]") {
            text.replacen(
                "[build]",
                &format!("[build]\ngzip_level = {level}\npage_budget_kb = {kb}"),
                1,
            )
        } else {
            format!("{text}\n[build]\ngzip_level = {level}\npage_budget_kb = {kb}\n")
        };
        std::fs::write(&config, with).unwrap();
        build(site.path())
    };
    let nine = at(9, 100.0).unwrap().heaviest[0].gzip;
    let between = (nine as f64 + 1.0) / 1024.0;
    assert!(
        at(1, between).is_err(),
        "level 1 weighs more than level 9's copy"
    );
}

/// Every file of an output folder with its bytes.
fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    files(dir)
        .into_iter()
        .map(|f| (f.clone(), std::fs::read(dir.join(&f)).unwrap()))
        .collect()
}

/// `berdaya.toml` with `lines` added to its `[build]` table.
fn with_build_settings(text: &str, lines: &str) -> String {
    if text.contains("[build]") {
        text.replacen("[build]", &format!("[build]\n{lines}"), 1)
    } else {
        format!("{text}\n[build]\n{lines}\n")
    }
}

#[test]
fn a_rebuild_after_a_compression_setting_change_writes_what_a_fresh_build_does() {
    let site = fixture("valid");
    let out = site.path().join("output");
    let config = site.path().join("berdaya.toml");
    let text = std::fs::read_to_string(&config).unwrap();
    build(site.path()).unwrap();
    for settings in ["brotli_quality = 2", "gzip_level = 2", "gzip_level = 9"] {
        std::fs::write(&config, with_build_settings(&text, settings)).unwrap();
        let rebuilt = build(site.path()).unwrap();
        assert_eq!(
            rebuilt.reused, 0,
            "{settings}: nothing made otherwise is reused"
        );
        let after_rebuild = snapshot(&out);
        // A fresh build: no output, no cache.
        std::fs::remove_dir_all(&out).unwrap();
        std::fs::remove_dir_all(site.path().join(".berdaya-cache")).unwrap();
        let fresh = build(site.path()).unwrap();
        assert_eq!(fresh.reused, 0);
        assert!(
            after_rebuild == snapshot(&out),
            "{settings}: rebuild and fresh build differ"
        );
        // With the settings unchanged, the next rebuild reuses again, the same bytes.
        let again = build(site.path()).unwrap();
        assert!(
            again.reused >= again.html_pages,
            "{settings}: {}",
            again.reused
        );
        assert!(
            after_rebuild == snapshot(&out),
            "{settings}: reuse changed bytes"
        );
    }
    // Without a record (an older berdaya's output, a deleted cache) nothing is reused.
    std::fs::remove_dir_all(site.path().join(".berdaya-cache")).unwrap();
    assert_eq!(build(site.path()).unwrap().reused, 0);
}

#[test]
fn a_static_file_where_a_compressed_copy_goes_is_published_as_it_is() {
    let site = fixture("valid");
    let out = site.path().join("output");
    let stat = site.path().join("static");
    std::fs::create_dir_all(stat.join("tentang")).unwrap();
    std::fs::write(
        stat.join("data.csv"),
        "kelurahan,n\nJuata Laut,12\n".repeat(40),
    )
    .unwrap();
    // A download the site offers precompressed itself, and a stray copy beside a page.
    std::fs::write(stat.join("data.csv.gz"), b"the contributor's own gzip").unwrap();
    std::fs::write(stat.join("tentang/index.html.br"), b"not a brotli stream").unwrap();
    for round in ["first build", "rebuild"] {
        build(site.path()).unwrap();
        assert_eq!(
            std::fs::read(out.join("data.csv.gz")).unwrap(),
            b"the contributor's own gzip",
            "{round}"
        );
        assert_eq!(
            std::fs::read(out.join("tentang/index.html.br")).unwrap(),
            b"not a brotli stream",
            "{round}"
        );
        // The copies berdaya makes itself are still there.
        assert_compressed_copy_of(&out.join("data.csv.br"), &stat.join("data.csv"));
        assert!(out.join("tentang/index.html.gz").is_file(), "{round}");
    }
    // The same beside pages: a download with its own gzip in a section's folder.
    let tips = site.path().join("content/tips");
    std::fs::write(tips.join("panen.csv"), "hari,kg\n45,120\n".repeat(40)).unwrap();
    std::fs::write(tips.join("panen.csv.gz"), b"gzip of the contributor").unwrap();
    build(site.path()).unwrap();
    assert_eq!(
        std::fs::read(out.join("tips/panen.csv.gz")).unwrap(),
        b"gzip of the contributor"
    );
    assert!(out.join("tips/panen.csv.br").is_file());
    std::fs::remove_file(tips.join("panen.csv.gz")).unwrap();
    build(site.path()).unwrap();
    assert_compressed_copy_of(&out.join("tips/panen.csv.gz"), &tips.join("panen.csv"));
    // Once the static files are gone, the rebuild writes berdaya's own copies, not the last
    // build's static ones.
    std::fs::remove_file(stat.join("data.csv.gz")).unwrap();
    std::fs::remove_file(stat.join("tentang/index.html.br")).unwrap();
    build(site.path()).unwrap();
    assert_compressed_copy_of(&out.join("data.csv.gz"), &stat.join("data.csv"));
    assert_compressed_copy_of(
        &out.join("tentang/index.html.br"),
        &out.join("tentang/index.html"),
    );
}

#[test]
fn a_build_without_compressed_copies_leaves_no_record_to_reuse() {
    // Precompression off (or a portable copy into output/) writes no .gz: the next build
    // with precompression must not take a static file's old copy for berdaya's own.
    let site = fixture("valid");
    let out = site.path().join("output");
    let config = site.path().join("berdaya.toml");
    let text = std::fs::read_to_string(&config).unwrap();
    let stat = site.path().join("static");
    std::fs::create_dir_all(&stat).unwrap();
    std::fs::write(stat.join("data.csv"), "a,b\n1,2\n".repeat(50)).unwrap();
    build(site.path()).unwrap();
    std::fs::write(&config, with_build_settings(&text, "precompress = false")).unwrap();
    std::fs::write(stat.join("data.csv.gz"), b"a static gzip").unwrap();
    build(site.path()).unwrap();
    build(site.path()).unwrap();
    std::fs::remove_file(stat.join("data.csv.gz")).unwrap();
    std::fs::write(&config, &text).unwrap();
    let report = build(site.path()).unwrap();
    assert_eq!(report.reused, 0);
    assert_compressed_copy_of(&out.join("data.csv.gz"), &stat.join("data.csv"));
}

#[test]
fn check_validates_and_writes_nothing() {
    let site = fixture("valid");
    let report = build::build(&BuildOptions {
        check_only: true,
        ..options(site.path())
    })
    .unwrap();
    assert!(report.html_pages > 0);
    assert!(!site.path().join("output").exists());
    let bad = fixture("invalid/broken_link");
    assert!(
        build::build(&BuildOptions {
            check_only: true,
            ..options(bad.path())
        })
        .is_err()
    );
}

#[test]
fn new_writes_valid_front_matter_for_every_kind() {
    let site = fixture("valid");
    let config = berdaya::config::Config::load(site.path()).unwrap();
    let now = berdaya::common::locale::parse_date(NOW, 8).unwrap();
    use berdaya::content::Kind;
    let made: Vec<PathBuf> = [
        (Kind::Tip, "Menjual Ikan Asin"),
        (Kind::Workshop, "Kelas Foto Produk"),
        (Kind::Story, "KUB Bintang Laut"),
        (Kind::Page, "Hubungi Kami"),
    ]
    .into_iter()
    .map(|(k, t)| berdaya::scaffold::new_content(site.path(), &config, k, t, now).unwrap())
    .collect();
    assert!(made[0].ends_with("content/tips/menjual-ikan-asin.md"));
    assert!(made[1].ends_with("content/pelatihan/kelas-foto-produk.md"));
    assert!(made[2].ends_with("content/kisah/kub-bintang-laut.md"));
    assert!(made[3].ends_with("content/hubungi-kami.md"));
    // Drafts, with comments in Bahasa Indonesia: not published, no warning.
    for path in &made {
        let text = std::fs::read_to_string(path).unwrap();
        assert!(text.contains("\ndraft = true\n"), "{text}");
        assert!(text.contains("# draf: tidak diterbitkan"), "{text}");
    }
    let report = build(site.path()).unwrap_or_else(|d| panic!("{d}"));
    assert!(report.warnings.0.is_empty(), "{}", report.warnings);
    assert!(
        !site
            .path()
            .join("output/pelatihan/kelas-foto-produk/index.html")
            .exists()
    );
    // Published with the placeholder text still in: a located warning for each sentence.
    let text = std::fs::read_to_string(&made[1]).unwrap();
    std::fs::write(&made[1], text.replace("draft = true", "draft = false")).unwrap();
    let report = build(site.path()).unwrap_or_else(|d| panic!("{d}"));
    let warnings = report.warnings.to_string();
    assert_eq!(report.warnings.0.len(), 2, "{warnings}");
    assert!(
        warnings.contains("the page still holds the text `berdaya new` wrote for you: \"Tulis paragraf pembuka di sini.\""),
        "{warnings}"
    );
    assert!(
        warnings.contains("content/pelatihan/kelas-foto-produk.md"),
        "{warnings}"
    );
    assert!(
        read(site.path(), "pelatihan/kelas-foto-produk/index.html").contains("Kelas Foto Produk")
    );
    // A second file with the same title is refused.
    let again =
        berdaya::scaffold::new_content(site.path(), &config, Kind::Tip, "Menjual Ikan Asin", now)
            .unwrap_err();
    assert!(again.message.contains("already exists"));
}

#[test]
fn sample_site_builds_within_budget_with_working_links() {
    let out = tempfile::tempdir().unwrap();
    let report = build::build(&BuildOptions {
        output: Some(out.path().join("site")),
        ..options(&repo())
    })
    .unwrap_or_else(|d| panic!("{d}"));
    // The only warnings: the survey's deliberately bad rows, each located.
    assert!(
        report
            .warnings
            .0
            .iter()
            .all(|d| d.path.as_deref() == Some(std::path::Path::new("data/survei.csv"))),
        "{}",
        report.warnings
    );
    assert_eq!(report.warnings.0.len(), 8, "{}", report.warnings);
    let out = out.path().join("site");
    let all = files(&out);
    let count = |prefix: &str| {
        all.iter()
            .filter(|f| {
                f.starts_with(prefix) && f.ends_with("/index.html") && f.matches('/').count() == 2
            })
            .count()
    };
    assert!(
        count("tips/") > 12,
        "tips (with the listing): {}",
        count("tips/")
    );
    assert!(count("pelatihan/") >= 8);
    assert!(count("kisah/") >= 5);
    assert!(count("en/") >= 1, "English pages are built too");
    for page in [
        "kebijakan/index.html",
        "mitra/index.html",
        "tantangan/index.html",
        "berkontribusi/index.html",
        "en/policy/index.html",
    ] {
        assert!(all.iter().any(|f| f == page), "missing {page}");
    }
    for f in all.iter().filter(|f| f.ends_with(".html")) {
        let html = without_theme_search(&std::fs::read_to_string(out.join(f)).unwrap());
        assert!(!html.contains("<script"), "{f} has a script");
        assert!(!html.contains("@font-face"), "{f} loads a web font");
        assert!(html.starts_with("<!doctype html><html lang="), "{f}");
    }
    // Relative to the fixed date both upcoming and past workshops exist.
    let schedule = std::fs::read_to_string(out.join("pelatihan/index.html")).unwrap();
    assert!(schedule.contains("Akan datang") && schedule.contains("Sudah berlangsung"));
    assert!(report.heaviest.iter().all(|p| p.gzip <= 14 * 1024));
    assert_links_resolve(&out);
}

fn berdaya(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_berdaya"))
        .args(args)
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn command_line_build_check_and_errors() {
    let site = fixture("valid");
    let root = site.path().to_str().unwrap();
    let (code, stdout, stderr) = berdaya(&["--root", root, "build", "--now", NOW]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stdout.starts_with("Built ")
            && stdout.contains(" pages (")
            && stdout.contains("heaviest gzip: "),
        "{stdout}"
    );
    let (code, stdout, _) = berdaya(&["--root", root, "check"]);
    assert_eq!(code, 0);
    assert!(stdout.starts_with("Checked "));
    let (code, _, stderr) = berdaya(&["--root", root, "build", "--now", "besok"]);
    assert_eq!(code, 1);
    assert!(stderr.contains("--now `besok` is not a date"));
    let bad = fixture("invalid/unknown_topic");
    let (code, _, stderr) = berdaya(&["--root", bad.path().to_str().unwrap(), "check"]);
    assert_eq!(code, 1);
    assert!(
        stderr.contains("content/tips/sayur.md:4:9") && stderr.contains("check found problems"),
        "{stderr}"
    );
    assert!(!stderr.contains("panicked"));
    let (code, stdout, _) = berdaya(&["--root", root, "new", "tip", "Tips Baru Sekali"]);
    assert_eq!(code, 0);
    assert!(stdout.contains("tips/tips-baru-sekali.md"));
    let (code, _, stderr) = berdaya(&["--root", "/nonexistent-site", "build"]);
    assert_eq!(code, 1);
    assert!(stderr.contains("no berdaya.toml"));
}

#[test]
fn taxonomies_take_terms_from_typed_fields_as_configured() {
    let site = fixture("valid");
    let toml = std::fs::read_to_string(site.path().join("berdaya.toml")).unwrap();
    // No `topik` taxonomy; stories' sectors become a taxonomy of their own.
    let toml = toml.replace(
        "[[taxonomies]]\nname = \"topik\"\nfrom_field = \"topic\"\nvocab = \"topic\"\ntitle = { id = \"Topik\" }\n",
        "[[taxonomies]]\nname = \"sektor\"\nfrom_field = \"sector\"\nvocab = \"sector\"\ntitle = { id = \"Sektor\" }\n",
    );
    assert!(toml.contains("sektor"), "{toml}");
    std::fs::write(site.path().join("berdaya.toml"), &toml).unwrap();
    build(site.path()).unwrap_or_else(|d| panic!("{d}"));
    let out = site.path().join("output");
    assert!(
        !out.join("topik").exists(),
        "no topic pages without the taxonomy"
    );
    let sectors = files(&out.join("sektor"));
    assert!(
        sectors.iter().any(|f| f.ends_with("index.html")),
        "{sectors:?}"
    );
    let tip = read(site.path(), "tips/cuaca/index.html");
    assert!(
        tip.contains("Topik: Cuaca") || tip.contains(">Cuaca<"),
        "the topic is still shown"
    );
    assert!(!tip.contains("href=\"/topik/"), "but not linked");
    // An unknown field is a located error.
    std::fs::write(
        site.path().join("berdaya.toml"),
        toml.replace("from_field = \"sector\"", "from_field = \"warna\""),
    )
    .unwrap();
    let text = build(site.path()).unwrap_err().to_string();
    assert!(
        text.contains("`from_field` `warna` is not a field terms can come from"),
        "{text}"
    );
    assert!(text.contains("use one of: topic, season, sector, kecamatan, kelurahan"));
}

#[test]
fn number_filters_write_the_pages_language_without_being_told() {
    let site = fixture("bilingual");
    std::fs::create_dir_all(site.path().join("templates")).unwrap();
    std::fs::write(
        site.path().join("templates/tip.html"),
        "<!doctype html><html lang=\"{{ lang }}\"><head><title>{{ page.title }}</title></head><body><main><p>{{ 1234.5 | number }} · {{ 1500000 | rupiah }} · {{ 2000 | integer(lang=\"id\") }}</p></main></body></html>",
    )
    .unwrap();
    build(site.path()).unwrap_or_else(|d| panic!("{d}"));
    let id = read(site.path(), "tips/jemur/index.html");
    let en = read(site.path(), "en/tips/drying-seaweed/index.html");
    assert!(id.contains("1.234,5 · Rp\u{a0}1.500.000 · 2.000"), "{id}");
    assert!(en.contains("1,234.5 · Rp\u{a0}1,500,000 · 2.000"), "{en}");
}

#[test]
fn a_site_given_by_a_relative_path_with_dot_dot_builds_with_its_survey() {
    // `berdaya --root ../site build` from a folder beside the site: the survey files are read
    // too (polars refuses paths with `..`).
    let site = tempfile::tempdir().unwrap();
    for part in ["content", "themes", "data"] {
        crate::support::copy_dir(&crate::support::repo().join(part), &site.path().join(part));
    }
    std::fs::copy(
        crate::support::repo().join("berdaya.toml"),
        site.path().join("berdaya.toml"),
    )
    .unwrap();
    let beside = tempfile::tempdir().unwrap();
    let up = format!("../{}", site.path().file_name().unwrap().to_str().unwrap());
    let out = Command::new(env!("CARGO_BIN_EXE_berdaya"))
        .current_dir(beside.path())
        .args(["--root", &up, "build", "--now", NOW])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(
        site.path().join("output/dampak/index.html").is_file(),
        "{stderr}"
    );
    assert!(!stderr.contains("cannot read survey file"), "{stderr}");
}

#[test]
fn the_allocator_settings_yield_to_the_users_mimalloc_variables() {
    // mimalloc prints its options with MIMALLOC_VERBOSE; berdaya's defaults (arenas committed as
    // used, freed memory returned after 20 ms, after 1 s while pages are rendered) apply unless
    // the user's variables say otherwise.
    let options = |vars: &[(&str, &str)]| {
        let out = Command::new(env!("CARGO_BIN_EXE_berdaya"))
            .arg("--version")
            .env("MIMALLOC_VERBOSE", "1")
            .envs(vars.iter().copied())
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
        assert!(out.status.success(), "{stderr}");
        stderr
    };
    let ours = options(&[]);
    if !cfg!(all(target_os = "linux", target_env = "gnu")) {
        return;
    }
    assert!(ours.contains("option 'purge_delay': 20 "), "{ours}");
    assert!(ours.contains("option 'arena_eager_commit': 0 "), "{ours}");
    let theirs = options(&[
        ("MIMALLOC_PURGE_DELAY", "500"),
        ("MIMALLOC_ARENA_EAGER_COMMIT", "2"),
    ]);
    assert!(theirs.contains("option 'purge_delay': 500 "), "{theirs}");
    assert!(
        theirs.contains("option 'arena_eager_commit': 2 "),
        "{theirs}"
    );
}

#[test]
fn a_broken_link_suggests_the_page_in_its_own_language_first() {
    let page = |title: &str, body: &str| {
        format!("+++\ntitle = \"{title}\"\ndate = 2026-01-12\ntopic = \"cuaca\"\n+++\n\n{body}\n")
    };
    let site = crate::support::bilingual_with(&[
        // `harga-jual.md` renamed; its English translation kept its name.
        (
            "tips/harga-jual-rumput-laut.md",
            &page("Harga jual", "Timbang dulu."),
        ),
        (
            "tips/harga-jual.en.md",
            &page("Selling price", "Weigh first."),
        ),
        (
            "tips/tautan.md",
            &page(
                "Tautan",
                "Lihat [harga](@/tips/harga-jual.md) atau [di sini](/tips/harga-jual/).",
            ),
        ),
        (
            "tips/tautan.en.md",
            &page("Links", "See [price](@/tips/harga-jul.en.md)."),
        ),
    ]);
    let text = build(site.path()).map(|_| ()).unwrap_err().to_string();
    let help_of = |link: &str| {
        let at = text
            .find(&format!("broken internal link to `@/{link}`"))
            .unwrap_or_else(|| panic!("{text}"));
        let rest = &text[at..];
        rest[rest.find("help: ").expect("a help line")..]
            .lines()
            .next()
            .unwrap()
            .to_string()
    };
    assert!(
        help_of("tips/harga-jual.md").contains("did you mean `@/tips/harga-jual-rumput-laut.md`?"),
        "{text}"
    );
    assert!(
        help_of("tips/harga-jul.en.md").contains("did you mean `@/tips/harga-jual.en.md`?"),
        "{text}"
    );
    // A link by address, from an Indonesian page: an Indonesian page's address, although the
    // English page's is closer by spelling.
    let at = text
        .find("broken link to `/tips/harga-jual/`")
        .unwrap_or_else(|| panic!("{text}"));
    let help = text[at..].lines().find(|l| l.contains("help: ")).unwrap();
    assert!(help.contains("did you mean `/tips/harga/`?"), "{text}");
}

#[test]
fn an_output_folder_that_is_not_a_built_site_is_never_replaced() {
    let site = fixture("valid");
    let root = site.path();
    let content_before = files(&root.join("content"));
    let build_into = |output: &Path| {
        build::build(&BuildOptions {
            output: Some(output.to_path_buf()),
            ..options(root)
        })
    };
    // The site's own folders, however they are spelled.
    for (output, why) in [
        (root.join("content"), "it is the site's content/ folder"),
        (
            root.join("content/tips/out"),
            "it is in the site's content/ folder",
        ),
        (root.join("x/../data"), "it is the site's data/ folder"),
        (root.join("themes"), "it is the site's themes/ folder"),
        (root.to_path_buf(), "it is the site's folder"),
        (root.join("output/.."), "it is the site's folder"),
        (root.join(".."), "it holds the site's folder"),
    ] {
        let text = build_into(&output).map(|_| ()).unwrap_err().to_string();
        assert!(
            text.contains(&format!("cannot build into {}", output.display()))
                && text.contains(&format!(": {why}"))
                && text.contains("give `--output` a folder of its own"),
            "{}: {text}",
            output.display()
        );
    }
    // `serve` checks the same before its first build.
    let mut session = berdaya::serve::Session::new(BuildOptions {
        output: Some(root.join("content")),
        ..options(root)
    });
    let round = session.full();
    assert!(
        !round.ok()
            && round
                .diags
                .to_string()
                .contains("it is the site's content/ folder"),
        "{}",
        round.diags
    );
    drop(session);
    assert_eq!(files(&root.join("content")), content_before);
    assert!(!root.join("output").exists() && !root.join("x").exists());
    // A file, a link to nothing, and a folder holding a checkout are refused too.
    let other = tempfile::tempdir().unwrap();
    let notes = other.path().join("catatan.txt");
    std::fs::write(&notes, "penting").unwrap();
    let text = build_into(&notes).map(|_| ()).unwrap_err().to_string();
    assert!(text.contains("it is a file, not a folder"), "{text}");
    assert_eq!(std::fs::read_to_string(&notes).unwrap(), "penting");
    let checkout = other.path().join("gh-pages");
    std::fs::create_dir_all(checkout.join(".git")).unwrap();
    std::fs::write(checkout.join("index.html"), "<h1>lama</h1>").unwrap();
    let text = build_into(&checkout).map(|_| ()).unwrap_err().to_string();
    assert!(
        text.contains("it holds a version-control checkout (.git)") && text.contains("rsync"),
        "{text}"
    );
    assert!(checkout.join(".git").is_dir());
    #[cfg(unix)]
    {
        let dangling = other.path().join("tautan");
        std::os::unix::fs::symlink(other.path().join("tidak-ada"), &dangling).unwrap();
        let text = build_into(&dangling).map(|_| ()).unwrap_err().to_string();
        assert!(
            text.contains("it is a link that leads to no folder"),
            "{text}"
        );
        // A source folder linked from elsewhere is the site's all the same.
        let shared = tempfile::tempdir().unwrap();
        std::fs::rename(root.join("themes"), shared.path().join("themes")).unwrap();
        std::os::unix::fs::symlink(shared.path().join("themes"), root.join("themes")).unwrap();
        let templates = shared.path().join("themes/default/templates");
        let before = files(&templates);
        for (output, why) in [
            (templates.clone(), "it is in the site's themes/ folder"),
            (
                shared.path().to_path_buf(),
                "it holds the site's themes/ folder",
            ),
        ] {
            let text = build_into(&output).map(|_| ()).unwrap_err().to_string();
            assert!(text.contains(why), "{text}");
        }
        assert_eq!(files(&templates), before);
        std::fs::remove_file(root.join("themes")).unwrap();
        std::fs::rename(shared.path().join("themes"), root.join("themes")).unwrap();
        // `serve` does not start, so it serves nothing of such a folder.
        let refused = berdaya::serve::Server::start(berdaya::serve::ServeOptions {
            build: BuildOptions {
                output: Some(root.to_path_buf()),
                ..options(root)
            },
            bind: std::net::IpAddr::from([127, 0, 0, 1]),
            port: 0,
            verbose: false,
        });
        let Err(text) = refused else {
            panic!("serve started on the site's folder")
        };
        assert!(text.contains("it is the site's folder"), "{text}");
    }
    // A folder of other files (a home folder named by mistake) is not emptied.
    let documents = tempfile::tempdir().unwrap();
    std::fs::write(documents.path().join("laporan.docx"), "penting").unwrap();
    let text = build_into(documents.path())
        .map(|_| ())
        .unwrap_err()
        .to_string();
    assert!(
        text.contains("it is not empty and holds no built site (no index.html or 404.html)"),
        "{text}"
    );
    assert_eq!(files(documents.path()), ["laporan.docx"]);
    // The command line says the output folder was left as it was.
    let (code, _, stderr) = berdaya(&[
        "--root",
        root.to_str().unwrap(),
        "build",
        "--output",
        root.join("content").to_str().unwrap(),
        "--now",
        NOW,
    ]);
    assert_eq!(code, 1);
    assert!(
        stderr.contains("error: build failed; the output folder was left as it was (1 error"),
        "{stderr}"
    );
    // An empty folder, a built site, and a new folder are built into.
    let empty = tempfile::tempdir().unwrap();
    build_into(empty.path()).unwrap_or_else(|d| panic!("{d}"));
    build_into(empty.path()).unwrap_or_else(|d| panic!("{d}"));
    assert!(empty.path().join("index.html").is_file());
}

#[cfg(unix)]
#[test]
fn an_output_folder_that_is_a_link_is_built_through_and_stays_a_link() {
    let site = fixture("valid");
    let root = site.path();
    // `output` links to the web server's folder, as on many hosts.
    let served = tempfile::tempdir().unwrap();
    let www = served.path().join("www");
    std::fs::create_dir(&www).unwrap();
    std::os::unix::fs::symlink(&www, root.join("output")).unwrap();
    for _ in 0..2 {
        build(root).unwrap_or_else(|d| panic!("{d}"));
        assert!(
            std::fs::symlink_metadata(root.join("output"))
                .unwrap()
                .file_type()
                .is_symlink()
        );
        assert!(www.join("index.html").is_file());
    }
    // A swap stopped between its two moves left the last build aside, beside the folder the
    // link leads to: the next build moves it back and builds.
    std::fs::rename(&www, served.path().join(".www.berdaya-old-4000000009-1")).unwrap();
    build(root).unwrap_or_else(|d| panic!("{d}"));
    assert!(www.join("index.html").is_file());
    let beside: Vec<_> = std::fs::read_dir(served.path())
        .unwrap()
        .flatten()
        .collect();
    assert_eq!(beside.len(), 1, "only www/ is left");
    // The folder keeps its permissions (a private folder stays private).
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&www, std::fs::Permissions::from_mode(0o2750)).unwrap();
    build(root).unwrap_or_else(|d| panic!("{d}"));
    let mode = std::fs::metadata(&www).unwrap().permissions().mode();
    assert_eq!(mode & 0o7777, 0o2750, "{mode:o}");
    // `out/.` names the folder `out`.
    let out = root.join("out");
    std::fs::create_dir(&out).unwrap();
    build::build(&BuildOptions {
        output: Some(out.join(".")),
        ..options(root)
    })
    .unwrap_or_else(|d| panic!("{d}"));
    assert!(out.join("index.html").is_file());
}

#[test]
fn a_page_may_take_the_address_of_a_section_without_a_listing() {
    // `render = false`: the section has no page; a page takes its address, and links to that
    // page's headings are checked against the page.
    let site = crate::support::bilingual_with(&[
        (
            "grup/_index.md",
            "+++\ntitle = \"Grup\"\nrender = false\n+++\n",
        ),
        (
            "grup-halaman.md",
            "+++\ntitle = \"Grup\"\npath = \"grup\"\n+++\n\n## Jadwal rapat\n\nSetiap Senin.\n",
        ),
        (
            "tautan.md",
            "+++\ntitle = \"Tautan\"\n+++\n\nLihat [jadwal](/grup/#jadwal-rapat).\n",
        ),
    ]);
    build(site.path()).unwrap_or_else(|d| panic!("{d}"));
    assert!(read(site.path(), "grup/index.html").contains("Jadwal rapat"));
}
