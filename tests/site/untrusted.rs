//! Careless and hostile contributor files: sanitised HTML, output paths that stay inside the
//! output folder, no crash on any nesting or byte, and located errors for common mistakes.

use std::path::Path;

use crate::support::*;

/// A fixture site five folders deep inside a temporary folder of its own, so that a path
/// climbing out of the output folder would land where the test can see it.
struct Nested {
    outer: tempfile::TempDir,
    root: std::path::PathBuf,
}

impl Nested {
    fn path(&self) -> &Path {
        &self.root
    }
}

/// The `valid` fixture with `files` (path under the site, text) written over it.
fn valid_with(files: &[(&str, &str)]) -> Nested {
    let outer = tempfile::tempdir().unwrap();
    let root = outer.path().join("a/b/c/d/e/situs");
    let site = fixture("valid");
    copy_dir(site.path(), &root);
    write_files(&root, files);
    Nested { outer, root }
}

fn write_files(root: &Path, files: &[(&str, &str)]) {
    for (path, text) in files {
        let path = root.join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
}

/// Builds a site that must fail; returns the rendered diagnostics after checking that nothing
/// was written: no output folder, no staging folder, no file outside the site.
fn fails(site: &Nested) -> String {
    let root = site.path();
    let diags = build(root).expect_err("the build should fail");
    assert!(
        !root.join("output").exists(),
        "a failed build wrote output/"
    );
    for f in files(site.outer.path()) {
        assert!(
            site.outer.path().join(&f).starts_with(root),
            "a file was written outside the site: {f}"
        );
    }
    assert_no_staging(root);
    diags.to_string()
}

fn listing(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

fn assert_no_staging(root: &Path) {
    let leftovers: Vec<String> = listing(root)
        .into_iter()
        // `.berdaya-cache` is the lasting cache, not a staging folder.
        .filter(|n| n.contains("berdaya-") && n != ".berdaya-cache")
        .collect();
    assert!(leftovers.is_empty(), "staging folders left: {leftovers:?}");
}

fn assert_contains_all(text: &str, expected: &[&str]) {
    for e in expected {
        assert!(text.contains(e), "expected {e:?} in\n{text}");
    }
}

/// No page of the output can run script: no `<script>`, no event-handler attribute, no
/// `javascript:`/`vbscript:` URL, no frame, object, embed or form, no inline SVG from content.
fn assert_no_active_content(out: &Path) {
    for f in files(out).iter().filter(|f| f.ends_with(".html")) {
        let html =
            crate::support::without_theme_search(&std::fs::read_to_string(out.join(f)).unwrap())
                .to_lowercase();
        for bad in [
            "<script",
            "javascript:",
            "vbscript:",
            "<iframe",
            "<object",
            "<embed",
            "<form",
            "<input name",
            "<button",
            "data:text/html",
        ] {
            assert!(!html.contains(bad), "{f} contains {bad}");
        }
        let mut rest = html.as_str();
        while let Some(i) = rest.find(" on") {
            let name: String = rest[i + 3..]
                .chars()
                .take_while(|c| c.is_ascii_alphabetic())
                .collect();
            let after = &rest[i + 3 + name.len()..];
            assert!(
                name.is_empty() || !after.starts_with('='),
                "{f} has an event handler on{name}="
            );
            rest = &rest[i + 3..];
        }
    }
}

#[test]
fn pasted_embeds_scripts_and_handlers_are_removed_with_a_located_warning_each() {
    let site = fixture("hostile");
    let report = build(site.path()).unwrap_or_else(|d| panic!("{d}"));
    let warnings = report.warnings.to_string();
    let out = site.path().join("output");
    assert_no_active_content(&out);
    let page = main_of(&read(site.path(), "tips/tempelan/index.html")).to_string();
    assert_contains_all(
        &warnings,
        &[
            "warning: removed `<iframe>` and its content",
            "--> content/tips/tempelan/index.md:8:1",
            "embedded players and frames load other sites' code",
            "warning: removed `<script>` and its content",
            "--> content/tips/tempelan/index.md:11:1",
            "scripts never run on this site",
            "removed the `onerror=\"alert(document.cookie)\"` attribute of `<img>`",
            "--> content/tips/tempelan/index.md:13:48",
            "event handlers run scripts",
            "removed the link to `javascript:alert(1)`",
            "--> content/tips/tempelan/index.md:15:1",
            "removed the link to `JaVaScRiPt:alert(2)`",
            "removed the `style=\"position:fixed",
            "style attributes can hide or cover content",
            "removed the `class=\"MsoNormal\"` attribute of `<p>`",
            "removed the `<font>` tag (its text is kept)",
            "removed the `<o:p>` tag",
            "removed the `href=\"data:text/html;base64,",
            "`data:` URLs are allowed only as image sources",
            "removed the `<form>` tag",
            "forms are not allowed",
            "removed `<svg>` and its content",
            "--> content/tips/tempelan/index.md:25:18",
            "removed the `<object>` tag",
            "removed the `<embed>` tag",
            "removed the `onmouseover=\"alert(1)\"` attribute of a heading",
            "removed the class `skip` of a heading",
        ],
    );
    // What the contributor meant to say stays: the text, the image, the link text, the id.
    assert_contains_all(
        &page,
        &[
            "Lihat di Instagram",
            "<img src=\"/tips/tempelan/jemur.jpg\" srcset=\"/tips/tempelan/jemur.jpg 32w\"",
            "alt=\"Rumput laut dijemur\"",
            "Hubungi kami",
            "Pengumuman resmi",
            "Harga naik",
            "<h2 id=\"cara\">Cara menjemur</h2>",
        ],
    );
    assert!(!page.contains("MsoNormal") && !page.contains("style="));
    assert!(!page.contains("class=\"skip\""));
}

#[test]
fn what_contributors_legitimately_use_is_kept() {
    let site = fixture("hostile");
    let report = build(site.path()).unwrap_or_else(|d| panic!("{d}"));
    assert!(
        !report
            .warnings
            .to_string()
            .contains("content/tentang/index.md"),
        "nothing removed from tentang.md:\n{}",
        report.warnings
    );
    let page = main_of(&read(site.path(), "tentang/index.html")).to_string();
    assert_contains_all(
        &page,
        &[
            "<details open=\"\"><summary>Daftar harga</summary>",
            "<div class=\"table-wrap\" tabindex=\"0\"><table>",
            "<th style=\"text-align:left\">Barang</th>",
            "<td style=\"text-align:right\">Rp 12.000</td>",
            "<kbd>Ctrl</kbd>",
            "<sup>1</sup>",
            "<abbr title=\"Kelompok Usaha Bersama\">KUB</abbr>",
            // A photo beside the page becomes a picture of its real size.
            "<img src=\"/tentang/foto.jpg\" srcset=\"/tentang/foto.jpg 32w\"",
            "width=\"32\" height=\"24\" alt=\"Foto KUB\"",
            "<h2 id=\"judul-khusus\">",
            "<input disabled=\"\" type=\"checkbox\" checked=\"\"/>",
        ],
    );
}

#[test]
fn sanitising_can_be_turned_off_for_a_trusted_site() {
    let site = fixture("hostile");
    let toml = std::fs::read_to_string(site.path().join("berdaya.toml")).unwrap()
        + "\n[markdown]\nsanitize_html = false\n";
    std::fs::write(site.path().join("berdaya.toml"), toml).unwrap();
    let report = build(site.path()).unwrap_or_else(|d| panic!("{d}"));
    assert!(!report.warnings.to_string().contains("removed"));
    let page = read(site.path(), "tips/tempelan/index.html");
    assert!(page.contains("<script async src=\"https://www.instagram.com/embed.js\">"));
    assert!(page.contains("<iframe"));
}

#[test]
fn report_charts_placed_beside_raw_html_keep_their_svg() {
    let site = valid_with(&[(
        "content/tentang.md",
        "+++\ntitle = \"Tentang\"\n+++\n<details><summary>Grafik</summary>\n\n```chart pendapatan-tren\n```\n\n</details>\n\nNaik `=pendapatan-dampak`. <span onclick=\"x()\">Hai</span>\n",
    )]);
    std::fs::create_dir_all(site.path().join("data")).unwrap();
    std::fs::copy(
        repo().join("tests/fixtures/impact/rejects.csv"),
        site.path().join("data/rejects.csv"),
    )
    .unwrap();
    std::fs::write(site.path().join("data/impact.toml"), crate::impact::REJECTS).unwrap();
    let report = build(site.path()).unwrap_or_else(|d| panic!("{d}"));
    assert!(report.warnings.to_string().contains("onclick"));
    let page = main_of(&read(site.path(), "tentang/index.html")).to_string();
    let details = &page[page.find("<details>").unwrap()..page.find("</details>").unwrap()];
    assert!(
        details.contains("<svg "),
        "the chart stays inside <details>"
    );
    assert!(details.contains("role=\"img\"") || details.contains("role=img"));
    assert!(page.contains("download"), "the chart's CSV link stays");
    assert!(!page.contains('\u{FDD0}'), "no marker is left");
    assert!(!page.contains("onclick"));
}

// ---------------------------------------------------------------------------------------
// Output paths

#[test]
fn alias_climbing_out_of_the_output_folder_is_a_located_error() {
    let site = valid_with(&[(
        "content/tentang.md",
        "+++\ntitle = \"Tentang\"\naliases = [\"/lama/\", \"../../../../somewhere/\"]\n+++\nIsi.\n",
    )]);
    let text = fails(&site);
    assert_contains_all(
        &text,
        &[
            "error: `aliases` entry `../../../../somewhere/` has a `..` segment",
            "--> content/tentang.md:3:23",
            "paths are written from the site's root",
        ],
    );
}

#[test]
fn path_with_dot_segments_is_a_located_error() {
    let site = valid_with(&[(
        "content/tentang.md",
        "+++\ntitle = \"Tentang\"\npath = \"tips/../../../x\"\n+++\nIsi.\n",
    )]);
    assert_contains_all(
        &fails(&site),
        &[
            "error: `path` value `tips/../../../x` has a `..` segment",
            "--> content/tentang.md:3:9",
        ],
    );
}

#[test]
fn slug_with_slashes_or_dots_is_a_located_error() {
    let site = valid_with(&[(
        "content/tentang.md",
        "+++\ntitle = \"Tentang\"\nslug = \"../../x\"\n+++\nIsi.\n",
    )]);
    assert_contains_all(
        &fails(&site),
        &[
            "error: `slug` cannot be used",
            "--> content/tentang.md:3:8",
            "a slug is one name",
            "path = \"tips/jemur-lama\"",
        ],
    );
}

#[test]
fn backslashes_drive_letters_and_control_characters_in_paths_are_errors() {
    for (value, problem) in [
        (r#"aliases = ["tips\\lama"]"#, "contains a backslash"),
        (
            r#"aliases = ["C:/Windows/x"]"#,
            "starts with a drive letter `C:`",
        ),
        (r#"aliases = ["a//b"]"#, "has an empty folder name"),
        (r#"path = "tips/x. ""#, "ends in a dot or a space"),
        (r#"slug = "con""#, "a name Windows reserves"),
        (r#"aliases = ["/"]"#, "is empty"),
    ] {
        let site = valid_with(&[(
            "content/tentang.md",
            &format!("+++\ntitle = \"Tentang\"\n{value}\n+++\nIsi.\n"),
        )]);
        let text = fails(&site);
        assert_contains_all(&text, &[problem, "--> content/tentang.md:3:"]);
    }
}

#[test]
fn alias_that_is_a_full_url_is_an_error_with_a_hint() {
    let site = valid_with(&[(
        "content/tentang.md",
        "+++\ntitle = \"Tentang\"\naliases = [\"https://lama.contoh.test/tentang/\"]\n+++\nIsi.\n",
    )]);
    assert_contains_all(
        &fails(&site),
        &[
            "is a full URL, not a path of this site",
            "--> content/tentang.md:3:",
            "write a path of this site such as /tips/jemur-lama/",
        ],
    );
}

#[test]
fn alias_equal_to_an_existing_page_or_generated_page_names_both() {
    let site = valid_with(&[(
        "content/tentang.md",
        "+++\ntitle = \"Tentang\"\naliases = [\"/tips/\"]\n+++\nIsi.\n",
    )]);
    assert_contains_all(
        &fails(&site),
        &[
            "error: content/tentang.md and the listing of content/tips/_index.md both make /tips/",
            "--> content/tentang.md:3:14",
            "this alias is already an address of the site",
        ],
    );
    let site = valid_with(&[(
        "content/tentang.md",
        "+++\ntitle = \"Tentang\"\naliases = [\"/tags/\"]\n+++\nIsi.\n",
    )]);
    assert_contains_all(
        &fails(&site),
        &[
            "the taxonomy list /tags/ (berdaya.toml)",
            "both make /tags/",
            "--> content/tentang.md:3:14",
        ],
    );
}

#[test]
fn alias_where_a_compressed_copy_goes_is_an_error_naming_both() {
    let site = valid_with(&[(
        "content/tentang.md",
        "+++\ntitle = \"Tentang\"\naliases = [\"/tips/index.html.gz\"]\n+++\nIsi.\n",
    )]);
    assert_contains_all(
        &fails(&site),
        &[
            "error: content/tentang.md and the listing of content/tips/_index.md both use /tips/index.html.gz, one as a file and one as a folder",
            "--> content/tentang.md:3:",
        ],
    );
}

#[test]
fn a_path_taking_another_page_s_address_is_an_error_at_that_path() {
    let site = valid_with(&[(
        "content/profil.md",
        "+++\ntitle = \"Profil\"\npath = \"tentang\"\n+++\nIsi.\n",
    )]);
    assert_contains_all(
        &fails(&site),
        &[
            "error: content/profil.md and content/tentang.md both make /tentang/",
            "--> content/profil.md:3:1",
            "path = \"tentang\"",
            "this address is already taken",
        ],
    );
    // One problem, one error: not a second one at the first line of the page it meets.
    let errors = build(site.path()).map(|_| ()).unwrap_err();
    assert_eq!(errors.error_count(), 1, "{errors}");
}

#[test]
fn a_page_named_like_a_generated_page_is_an_error_naming_both() {
    let site = valid_with(&[("content/tags.md", "+++\ntitle = \"Label\"\n+++\nIsi.\n")]);
    assert_contains_all(
        &fails(&site),
        &["content/tags.md and the taxonomy list /tags/ (berdaya.toml) both make /tags/"],
    );
}

#[test]
fn alias_without_trailing_slash_becomes_a_folder_page() {
    let site = valid_with(&[(
        "content/tentang.md",
        "+++\ntitle = \"Tentang\"\naliases = [\"tentang-lama\", \"/profil.html\"]\n+++\nIsi.\n",
    )]);
    build(site.path()).unwrap_or_else(|d| panic!("{d}"));
    let out = site.path().join("output");
    assert!(out.join("tentang-lama/index.html").is_file());
    assert!(!out.join("tentang-lama").is_file());
    assert!(out.join("profil.html").is_file());
    let redirect = read(site.path(), "tentang-lama/index.html");
    assert!(redirect.contains("url=/tentang/"));
}

#[test]
fn paginate_path_taxonomy_terms_and_folder_names_are_checked() {
    let site = valid_with(&[(
        "content/tips/_index.md",
        "+++\ntitle = \"Tips\"\nkind = \"tip\"\npaginate_by = 1\npaginate_path = \"../../keluar\"\n+++\n",
    )]);
    assert_contains_all(
        &fails(&site),
        &[
            "error: `paginate_path` `../../keluar` is not a folder name",
            "--> content/tips/_index.md:5:17",
        ],
    );
    let site = valid_with(&[(
        "content/tips/cuaca.md",
        "+++\ntitle = \"Cuaca\"\ntopic = \"cuaca\"\n[taxonomies]\ntags = [\"!!!\"]\n+++\n",
    )]);
    assert_contains_all(
        &fails(&site),
        &[
            "error: the tags term `!!!` gives no address",
            "--> content/tips/cuaca.md:5:10",
        ],
    );
    let site = valid_with(&[("content/???/_index.md", "+++\ntitle = \"Tanya\"\n+++\n")]);
    assert_contains_all(
        &fails(&site),
        &["error: the name `content/???` has no letters or digits to make an address from"],
    );
    let site = valid_with(&[("content/tips/a\\b.md", "+++\ntitle = \"AB\"\n+++\n")]);
    assert_contains_all(
        &fails(&site),
        &["error: the name `content/tips/a\\\\b.md` contains a backslash"],
    );
}

#[test]
fn taxonomy_names_language_codes_and_theme_in_berdaya_toml_are_checked() {
    for (toml, expected) in [
        (
            "[[taxonomies]]\nname = \"../../x\"\n",
            "taxonomy name `../../x` contains `/`",
        ),
        (
            "[languages.\"../en\"]\nname = \"English\"\n",
            "`../en` is not a language code",
        ),
        ("theme = \"../../etc\"\n", "`theme` contains `/`"),
        (
            "base_url = \"javascript:alert(1)\"\n",
            "`base_url` is not a web address",
        ),
    ] {
        let site = valid_with(&[]);
        let text = std::fs::read_to_string(site.path().join("berdaya.toml")).unwrap();
        let text = if toml.starts_with("base_url") {
            text.replace("base_url = \"https://contoh.test/\"\n", toml)
        } else if toml.starts_with("theme") {
            format!("{toml}{text}")
        } else {
            text + "\n" + toml
        };
        std::fs::write(site.path().join("berdaya.toml"), text).unwrap();
        assert_contains_all(&fails(&site), &[expected, "--> berdaya.toml:"]);
    }
}

// ---------------------------------------------------------------------------------------
// No crash

#[test]
fn ten_thousand_levels_of_nesting_are_an_error_naming_the_file() {
    let deep = [
        ">".repeat(10_000) + " x",
        "- ".repeat(10_000) + "x",
        "1. ".repeat(10_000) + "x",
        "<div>".repeat(10_000) + "x",
        "> <div>".repeat(5_000) + "x",
        "*".repeat(10_000) + "x" + &"*".repeat(10_000),
    ];
    for body in deep {
        let site = fixture("valid");
        build(site.path()).unwrap();
        let before = files(&site.path().join("output"));
        write_files(
            site.path(),
            &[(
                "content/dalam.md",
                &format!("+++\ntitle = \"Dalam\"\n+++\n{body}\n"),
            )],
        );
        let diags = build(site.path()).expect_err("too deep is an error");
        let text = diags.to_string();
        assert_contains_all(
            &text,
            &[
                "levels deep; a page may nest at most 128",
                "--> content/dalam.md:4:",
            ],
        );
        assert_eq!(
            files(&site.path().join("output")),
            before,
            "output/ as it was"
        );
        assert_no_staging(site.path());
    }
}

#[test]
fn nesting_within_the_limit_renders() {
    let body = ">".repeat(60) + " " + &"<div>".repeat(60) + "x" + &"</div>".repeat(60);
    let site = valid_with(&[(
        "content/dalam.md",
        &format!("+++\ntitle = \"Dalam\"\n+++\n{body}\n"),
    )]);
    build(site.path()).unwrap_or_else(|d| panic!("{d}"));
    let page = read(site.path(), "dalam/index.html");
    assert_eq!(page.matches("<blockquote>").count(), 60);
}

#[test]
fn nul_and_control_characters_become_replacement_characters_with_a_warning() {
    let site = valid_with(&[(
        "content/tentang.md",
        "+++\ntitle = \"Ten\u{0}tang\"\n+++\nBaris\u{1b}[31m merah\u{7}.\n\nDari PDF\u{c}.\n",
    )]);
    let report = build(site.path()).unwrap_or_else(|d| panic!("{d}"));
    assert_contains_all(
        &report.warnings.to_string(),
        &[
            "warning: replaced 4 invisible control characters by \u{FFFD} (lines 2, 4, 6)",
            "--> content/tentang.md:2:13",
            "\\u{0} was here",
        ],
    );
    for f in files(&site.path().join("output")) {
        if f.ends_with(".gz") || f.ends_with(".br") {
            continue;
        }
        let bytes = std::fs::read(site.path().join("output").join(&f)).unwrap();
        let text = String::from_utf8_lossy(&bytes);
        assert!(
            !text
                .chars()
                .any(|c| c.is_control() && !matches!(c, '\t' | '\n' | '\r')),
            "{f} contains a control character"
        );
    }
    let page = read(site.path(), "tentang/index.html");
    assert!(page.contains("Ten\u{FFFD}tang"));
}

#[test]
fn a_file_that_is_not_utf8_is_a_located_error() {
    let site = valid_with(&[]);
    std::fs::write(
        site.path().join("content/tentang.md"),
        b"+++\ntitle = \"Tentang\"\n+++\nHarga \x93murah\x94.\n",
    )
    .unwrap();
    assert_contains_all(
        &fails(&site),
        &[
            "error: this file is not UTF-8 text",
            "--> content/tentang.md:4:7",
            "byte 0x93 here is not UTF-8",
            "save the file as UTF-8",
        ],
    );
}

// ---------------------------------------------------------------------------------------
// Contributors' mistakes

const WORKSHOP: &str = "+++\ntitle = \"Pelatihan\"\nstart = 2026-03-14T09:00\nend = END\nvenue = \"Aula\"\nkelurahan = \"Pantai Amal\"\norganiser = \"Dinas Kominfo\"\ncapacity = CAPACITY\nregister = \"WA\"\n+++\n";

#[test]
fn workshop_ending_before_it_starts_is_an_error_with_the_accepted_form() {
    let text = WORKSHOP
        .replace("END", "2026-03-13T12:00")
        .replace("CAPACITY", "20");
    let site = valid_with(&[("content/pelatihan/baru.md", &text)]);
    assert_contains_all(
        &fails(&site),
        &[
            "error: the workshop ends before it starts",
            "--> content/pelatihan/baru.md:4:7",
            "`end` must be after `start` (2026-03-14T09:00)",
            "e.g. end = 2026-03-14T11:00",
            "accepted formats: 2026-03-14",
        ],
    );
}

#[test]
fn capacity_in_words_is_an_error_with_the_number_to_write() {
    let text = WORKSHOP
        .replace("END", "2026-03-14T12:00")
        .replace("CAPACITY", "\"20 orang\"");
    let site = valid_with(&[("content/pelatihan/baru.md", &text)]);
    assert_contains_all(
        &fails(&site),
        &[
            "error: `capacity` must be a number",
            "--> content/pelatihan/baru.md:8:12",
            "write only the number of seats, without quotes or words: capacity = 20",
        ],
    );
}

#[test]
fn tags_written_as_one_text_is_an_error_showing_the_list() {
    let site = valid_with(&[(
        "content/tips/cuaca.md",
        "+++\ntitle = \"Cuaca\"\ntopic = \"cuaca\"\n[taxonomies]\ntags = \"pengiriman, pemasaran\"\n+++\n",
    )]);
    assert_contains_all(
        &fails(&site),
        &[
            "error: `tags` must be a list",
            "--> content/tips/cuaca.md:5:8",
            "write it as tags = [\"pengiriman\", \"pemasaran\"]",
        ],
    );
}

#[test]
fn top_level_tags_in_yaml_warn_and_show_where_the_taxonomy_goes() {
    let site = valid_with(&[(
        "content/tips/cuaca.md",
        "---\ntitle: Cuaca\ntopic: cuaca\ntags: [pengiriman, pemasaran]\n---\n",
    )]);
    let report = build(site.path()).unwrap_or_else(|d| panic!("{d}"));
    assert_contains_all(
        &report.warnings.to_string(),
        &[
            "warning: `tags` at the top level is not read",
            "--> content/tips/cuaca.md:4:1",
            "taxonomies:\n            tags: [pengiriman, pemasaran]",
        ],
    );
}

#[test]
fn misspelt_keys_in_berdaya_toml_suggest_the_right_one() {
    let site = valid_with(&[]);
    let text = std::fs::read_to_string(site.path().join("berdaya.toml"))
        .unwrap()
        .replace(
            "title = \"Situs Uji\"",
            "titel = \"Situs Uji\"\ntitle = \"Situs Uji\"",
        )
        .replace("minify = false", "minfy = false");
    std::fs::write(site.path().join("berdaya.toml"), text).unwrap();
    assert_contains_all(
        &fails(&site),
        &[
            "error: unknown key `titel` at the top of berdaya.toml",
            "--> berdaya.toml:1:1",
            "did you mean `title`?",
            "error: unknown key `minfy` in [build]",
            "--> berdaya.toml:8:1",
            "did you mean `minify`?",
            "known keys here: page_budget_kb, minify, precompress",
        ],
    );
}

#[test]
fn calendar_parameters_are_quoted_and_the_organiser_address_is_valid_or_left_out() {
    let text = WORKSHOP
        .replace("END", "2026-03-14T12:00")
        .replace("CAPACITY", "20")
        .replace(
            "organiser = \"Dinas Kominfo\"",
            "organiser = \"Dinas Perikanan, Kelautan dan Pertanian; \\\"DKP\\\": Tarakan\"\norganiser_email = \"dkp@contoh.test\"",
        );
    let site = valid_with(&[
        ("content/pelatihan/dkp.md", &text),
        (
            "content/pelatihan/tanpa-surel.md",
            &WORKSHOP
                .replace("END", "2026-03-14T12:00")
                .replace("CAPACITY", "20"),
        ),
    ]);
    build(site.path()).unwrap_or_else(|d| panic!("{d}"));
    let ics = read(site.path(), "pelatihan/dkp/dkp.ics");
    let unfolded = ics.replace("\r\n ", "");
    assert!(
        unfolded.contains(
            "ORGANIZER;CN=\"Dinas Perikanan, Kelautan dan Pertanian; DKP: Tarakan\":mailto:dkp@contoh.test\r\n"
        ),
        "{unfolded}"
    );
    strict_ics(&ics);
    let other = read(site.path(), "pelatihan/tanpa-surel/tanpa-surel.ics");
    assert!(!other.contains("ORGANIZER"), "no made-up address");
    assert!(
        other
            .replace("\r\n ", "")
            .contains("Penyelenggara: Dinas Kominfo")
    );
    strict_ics(&other);
    for f in files(&site.path().join("output")) {
        if f.ends_with(".ics") {
            strict_ics(&read(site.path(), &f));
        }
    }
    let bad = WORKSHOP
        .replace("END", "2026-03-14T12:00")
        .replace("CAPACITY", "20")
        .replace(
            "organiser = \"Dinas Kominfo\"",
            "organiser = \"Dinas Kominfo\"\norganiser_email = \"https://kominfo.contoh.test/kontak\"",
        );
    let site = valid_with(&[("content/pelatihan/dkp.md", &bad)]);
    assert_contains_all(
        &fails(&site),
        &[
            "error: `organiser_email` `https://kominfo.contoh.test/kontak` is not an e-mail address",
            "--> content/pelatihan/dkp.md:8:19",
        ],
    );
}

#[test]
fn registration_links_that_run_scripts_are_errors() {
    let text = WORKSHOP
        .replace("END", "2026-03-14T12:00")
        .replace("CAPACITY", "20")
        .replace(
            "register = \"WA\"",
            "register = \"WA\"\nregister_url = \"javascript:alert(1)\"",
        );
    let site = valid_with(&[("content/pelatihan/baru.md", &text)]);
    assert_contains_all(
        &fails(&site),
        &[
            "error: `register_url` cannot be used as a link",
            "--> content/pelatihan/baru.md:10:16",
            "links that run scripts are not allowed",
        ],
    );
}

#[test]
fn a_template_the_theme_lacks_warns_at_the_key_and_the_default_is_used() {
    let site = valid_with(&[(
        "content/tentang.md",
        "+++\ntitle = \"Tentang\"\ntemplate = \"../../../etc/passwd\"\n+++\nIsi.\n",
    )]);
    let report = build(site.path()).unwrap_or_else(|d| panic!("{d}"));
    assert_contains_all(
        &report.warnings.to_string(),
        &[
            "warning: unknown template `../../../etc/passwd`: the default template of this kind of page is used",
            "--> content/tentang.md:3:12",
            "templates of this theme and site: 404.html,",
        ],
    );
    let page = std::fs::read_to_string(site.path().join("output/tentang/index.html")).unwrap();
    assert!(
        page.contains("<h1>Tentang</h1>") && !page.contains("root:"),
        "{page}"
    );
}

#[test]
fn survey_files_outside_the_data_folder_are_refused() {
    let site = valid_with(&[(
        "data/impact.toml",
        &crate::impact::REJECTS
            .replace("files = [\"rejects.csv\"]", "files = [\"../berdaya.toml\"]"),
    )]);
    assert_contains_all(
        &fails(&site),
        &[
            "error: survey file `../berdaya.toml` has a `..` segment",
            "--> data/impact.toml:3:1",
        ],
    );
}

// ---------------------------------------------------------------------------------------
// Holes a review found, kept closed

#[test]
fn heading_attributes_cannot_smuggle_handlers_through_odd_names() {
    let site = valid_with(&[(
        "content/tentang.md",
        "+++\ntitle = \"Tentang\"\n+++\n## Hai {aria-x/onmouseover=alert(1)}\n\n## Dua {aria-y/style=position:fixed;inset:0 .note}\n",
    )]);
    write_files(
        site.path(),
        &[("berdaya.toml", &minified_config(site.path()))],
    );
    let report = build(site.path()).unwrap_or_else(|d| panic!("{d}"));
    assert_contains_all(
        &report.warnings.to_string(),
        &[
            "removed the `aria-x/onmouseover=\"alert(1)\"` attribute of a heading",
            "it is not a plain attribute name",
            "--> content/tentang.md:4:8",
        ],
    );
    assert_no_active_content(&site.path().join("output"));
    let page = main_of(&read(site.path(), "tentang/index.html")).to_string();
    assert!(
        !page.contains("onmouseover") && !page.contains("style=") && !page.contains("note"),
        "{page}"
    );
}

/// The site's berdaya.toml with minifying on (the fixture turns it off to keep HTML readable).
fn minified_config(root: &Path) -> String {
    std::fs::read_to_string(root.join("berdaya.toml"))
        .unwrap()
        .replace("minify = false", "minify = true")
}

#[test]
fn files_beside_pages_that_would_run_script_are_not_published() {
    for (file, text, expected) in [
        (
            "content/tips/halaman.html",
            "<script>alert(document.domain)</script>",
            "content/tips/halaman.html is not published: .html files can run scripts",
        ),
        (
            "content/tips/jemur/gambar.svg",
            "<svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(1)</script></svg>",
            "content/tips/jemur/gambar.svg is not published: the drawing contains a <script>",
        ),
        (
            "content/tips/jemur/klik.svg",
            "<svg xmlns=\"http://www.w3.org/2000/svg\"><a href=\"&#106;avascript:alert(1)\"><text>x</text></a></svg>",
            "the drawing contains a javascript: link",
        ),
        ("content/atom.xml", "<feed/>", ".xml files can run scripts"),
    ] {
        let site = valid_with(&[(file, text)]);
        assert_contains_all(
            &fails(&site),
            &[expected, "export the drawing again", ""][..1 + usize::from(file.ends_with(".svg"))],
        );
    }
    // A plain drawing is published.
    let site = valid_with(&[(
        "content/tips/jemur/bagan.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 10 10\"><circle r=\"5\"/><text font-family=\"sans\">ok</text></svg>",
    )]);
    build(site.path()).unwrap_or_else(|d| panic!("{d}"));
    assert!(site.path().join("output/tips/jemur/bagan.svg").is_file());
}

#[test]
fn a_content_file_cannot_silently_replace_a_generated_one() {
    let site = valid_with(&[("content/robots.txt", "User-agent: *\nDisallow: /\n")]);
    assert_contains_all(
        &fails(&site),
        &["content/robots.txt", "both make /robots.txt"],
    );
}

#[test]
fn self_closing_and_stray_tags_count_towards_the_nesting_limit() {
    for body in [
        "<div/>".repeat(600),
        "<div></b>".repeat(600),
        "<blockquote/>".repeat(600),
    ] {
        let site = valid_with(&[(
            "content/dalam.md",
            &format!("+++\ntitle = \"Dalam\"\n+++\n{body}x\n"),
        )]);
        write_files(
            site.path(),
            &[("berdaya.toml", &minified_config(site.path()))],
        );
        assert_contains_all(
            &fails(&site),
            &[
                "nested",
                "levels deep; a page may nest at most 128",
                "--> content/dalam.md:4:",
            ],
        );
    }
}

#[test]
fn control_characters_written_as_escapes_never_reach_pages_or_feeds() {
    let site = valid_with(&[(
        "content/tips/cuaca.md",
        "+++\ntitle = \"Cuaca\\u0000\\u001b\"\ndate = 2026-01-12\ntopic = \"cuaca\"\n+++\nAwas &#x1b;[31m dan &#8; dan &#xFFFE;.\n",
    )]);
    let report = build(site.path()).unwrap_or_else(|d| panic!("{d}"));
    assert_contains_all(
        &report.warnings.to_string(),
        &[
            "replaced invisible control characters in `title`",
            "--> content/tips/cuaca.md:2:9",
            "replaced 3 invisible control characters written as character references",
        ],
    );
    let out = site.path().join("output");
    for f in files(&out) {
        if f.ends_with(".gz") || f.ends_with(".br") {
            continue;
        }
        let text = String::from_utf8_lossy(&std::fs::read(out.join(&f)).unwrap()).into_owned();
        assert!(
            !text
                .chars()
                .any(|c| c.is_control() && !matches!(c, '\t' | '\n' | '\r')),
            "{f} contains a control character"
        );
    }
    assert_xml_lists_existing_pages(&out, "atom.xml", "https://contoh.test/");
}

#[test]
fn the_sites_own_html_cannot_be_placed_by_a_contributor() {
    let site = valid_with(&[(
        "content/tentang.md",
        "+++\ntitle = \"Tentang\"\n+++\n- [x] nyata\n\n&#xFDD0;0&#xFDD1; dan ![x &#xFDD0;0&#xFDD1; y](https://contoh.test/a.png) dan <b>&#xFDD0;0&#xFDD1;</b>\n",
    )]);
    build(site.path()).unwrap_or_else(|d| panic!("{d}"));
    let page = main_of(&read(site.path(), "tentang/index.html")).to_string();
    assert_eq!(page.matches("<input").count(), 1, "{page}");
    assert!(!page.contains(['\u{FDD0}', '\u{FDD1}']));
    assert!(page.contains("alt=\"x  y\""), "{page}");
}

#[test]
fn an_alias_that_is_the_pages_own_address_is_an_error() {
    let site = valid_with(&[(
        "content/tentang.md",
        "+++\ntitle = \"Tentang\"\naliases = [\"/tentang/\"]\n+++\nIsi.\n",
    )]);
    assert_contains_all(
        &fails(&site),
        &[
            "content/tentang.md makes /tentang/ twice: an alias is the page's own address",
            "--> content/tentang.md:3:14",
        ],
    );
}

#[test]
fn a_file_where_another_output_needs_a_folder_is_a_located_error() {
    for (file, text, expected) in [
        (
            "content/tentang.md",
            "+++\ntitle = \"Tentang\"\naliases = [\"/atom.xml\"]\n+++\n",
            &[
                "content/tentang.md and the Atom feed /atom.xml both use /atom.xml, one as a file and one as a folder",
                "--> content/tentang.md:3:14",
            ][..],
        ),
        (
            "content/tentang.md",
            "+++\ntitle = \"Tentang\"\npath = \"pelatihan/kalender.ics\"\n+++\n",
            &["both use /pelatihan/kalender.ics, one as a file and one as a folder"][..],
        ),
        (
            "content/tips/_index.md",
            "+++\ntitle = \"Tips\"\nkind = \"tip\"\npaginate_by = 1\npaginate_path = \"atom.xml\"\n+++\n",
            &["both use /tips/atom.xml, one as a file and one as a folder"][..],
        ),
    ] {
        let site = valid_with(&[(file, text)]);
        assert_contains_all(&fails(&site), expected);
    }
    let long = "a".repeat(300);
    let site = valid_with(&[(
        "content/tentang.md",
        &format!("+++\ntitle = \"Tentang\"\nslug = \"{long}\"\n+++\n"),
    )]);
    assert_contains_all(
        &fails(&site),
        &[
            "has a name longer than 200 bytes",
            "--> content/tentang.md:3:8",
        ],
    );
}

#[test]
fn a_summary_cut_inside_a_link_leaves_the_listing_balanced() {
    let site = valid_with(&[(
        "content/tips/cuaca.md",
        "+++\ntitle = \"Cuaca\"\ndate = 2026-03-01\ntopic = \"cuaca\"\n+++\nIntro [klik <!-- more --> sisanya](https://contoh.test/)\n\n- a\n- b <!-- more -->\n",
    )]);
    build(site.path()).unwrap_or_else(|d| panic!("{d}"));
    let listing = main_of(&read(site.path(), "tips/index.html")).to_string();
    assert_eq!(
        listing.matches("<a ").count(),
        listing.matches("</a>").count(),
        "{listing}"
    );
    assert!(listing.contains("klik </a>"), "{listing}");
}

#[test]
fn inputs_data_srcsets_protocol_relative_links_and_odd_alignments_are_refused() {
    let site = valid_with(&[
        (
            "static/logo.svg",
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"1\" height=\"1\"/>",
        ),
        (
            "content/tentang.md",
            "+++\ntitle = \"Tentang\"\n+++\n<input name=\"hp\" value=\"isi nomor\">\n\n<img src=\"/logo.svg\" srcset=\"data:text/html,x 1x\" alt=\"a\">\n\n<table><tr><td style=\"text-align:expression(alert(1))\">x</td></tr></table>\n",
        ),
    ]);
    let report = build(site.path()).unwrap_or_else(|d| panic!("{d}"));
    assert_contains_all(
        &report.warnings.to_string(),
        &[
            "removed the `<input>` tag",
            "forms are not allowed",
            "removed the `srcset=\"data:text/html,x 1x\"` attribute of `<img>`",
            "removed the `style=\"text-align:expression(alert(1))\"` attribute of `<td>`",
        ],
    );
    let page = main_of(&read(site.path(), "tentang/index.html")).to_string();
    assert!(!page.contains("<input") && !page.contains("srcset") && !page.contains("expression"));
    let text = WORKSHOP
        .replace("END", "2026-03-14T12:00")
        .replace("CAPACITY", "20")
        .replace(
            "register = \"WA\"",
            "register = \"WA\"\nregister_url = \"//contoh-jahat.test/\"",
        );
    let site = valid_with(&[("content/pelatihan/baru.md", &text)]);
    assert_contains_all(&fails(&site), &["`register_url` cannot be used as a link"]);
}

#[test]
fn a_description_with_markup_reaches_feeds_as_text_not_html() {
    let site = valid_with(&[(
        "content/tips/cuaca.md",
        "+++\ntitle = \"Membaca cuaca\"\ndate = 2026-01-12\ntopic = \"cuaca\"\ndescription = \"<img src=x onerror=alert(1)><script>alert(9)</script>\"\n+++\n",
    )]);
    build(site.path()).unwrap_or_else(|d| panic!("{d}"));
    for feed in ["atom.xml", "tips/atom.xml"] {
        let xml = read(site.path(), feed);
        // Escaped once inside a type="text" summary: a feed reader shows the characters.
        assert!(
            xml.contains("<summary type=\"text\">&lt;img src=x onerror=alert(1)&gt;&lt;script&gt;"),
            "{feed}: {xml}"
        );
        assert!(
            !xml.contains("<summary type=\"html\">&lt;img src=x onerror"),
            "{feed}: {xml}"
        );
    }
}

#[test]
fn yaml_aliases_are_refused_before_they_can_expand() {
    // The "billion laughs": nine levels of nine aliases would expand to gigabytes.
    let mut yaml = String::from("---\ntitle: Tawa\ntopic: cuaca\na: &a [\"lol\", \"lol\"]\n");
    let names = ["a", "b", "c", "d", "e", "f", "g", "h", "i"];
    for w in names.windows(2) {
        let refs = vec![format!("*{}", w[0]); 9].join(", ");
        yaml.push_str(&format!("{}: &{} [{refs}]\n", w[1], w[1]));
    }
    yaml.push_str("---\nIsi.\n");
    let site = valid_with(&[("content/tips/tawa.md", &yaml)]);
    let err = fails(&site);
    assert!(
        err.contains("YAML aliases (`*name`) are not allowed in front matter"),
        "{err}"
    );
    assert!(err.contains("content/tips/tawa.md:5:"), "{err}");
}

#[test]
fn a_repeated_yaml_key_is_named_in_plain_words() {
    let site = valid_with(&[(
        "content/tips/dua.md",
        "---\ntitle: Satu\ntopic: cuaca\ntitle: Dua\n---\nIsi.\n",
    )]);
    let err = fails(&site);
    assert!(err.contains("the key \"title\" appears twice"), "{err}");
    assert!(!err.contains("String("), "{err}");
}
