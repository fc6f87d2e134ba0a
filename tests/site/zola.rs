//! Content written for Zola reads unchanged: front matter after blank lines, the summary marker in
//! any spacing and case, and the other forms Zola accepts.

use crate::support::{bilingual_with as site_with, build, fixture, read};

#[test]
fn front_matter_after_blank_lines_and_spaces_is_read() {
    let site = site_with(&[
        ("catatan/_index.md", "+++\ntitle = \"Catatan\"\n+++\n"),
        (
            "catatan/kosong.md",
            "\n\n+++\ntitle = \"Baris kosong dulu\"\n+++\nIsi.\n",
        ),
        (
            "catatan/spasi.md",
            "  \r\n\t\n---\ntitle: Spasi dulu\n---\nIsi YAML.\n",
        ),
    ]);
    build(site.path()).unwrap_or_else(|d| panic!("{d}"));
    assert!(read(site.path(), "catatan/kosong/index.html").contains("<h1>Baris kosong dulu</h1>"));
    assert!(read(site.path(), "catatan/spasi/index.html").contains("<h1>Spasi dulu</h1>"));
}

#[test]
fn the_summary_marker_is_read_in_any_spacing_and_case() {
    let mut files = vec![(
        "catatan/_index.md",
        "+++\ntitle = \"Catatan\"\n+++\n".to_string(),
    )];
    for (i, marker) in ["<!--more-->", "<!-- MORE -->", "<!--   More-->"]
        .iter()
        .enumerate()
    {
        files.push((
            ["catatan/a.md", "catatan/b.md", "catatan/c.md"][i],
            format!(
                "+++\ntitle = \"Halaman {i}\"\ndate = 2026-01-0{}\n+++\nRingkasan {i}.\n\n{marker}\n\nSisa {i} yang panjang.\n",
                i + 1
            ),
        ));
    }
    let files: Vec<(&str, &str)> = files.iter().map(|(p, t)| (*p, t.as_str())).collect();
    let site = site_with(&files);
    build(site.path()).unwrap_or_else(|d| panic!("{d}"));
    let list = read(site.path(), "catatan/index.html");
    for i in 0..3 {
        assert!(list.contains(&format!("Ringkasan {i}.")), "{list}");
        assert!(
            !list.contains(&format!("Sisa {i}")),
            "summary {i} cut: {list}"
        );
        let page = read(
            site.path(),
            &format!("catatan/{}/index.html", ["a", "b", "c"][i]),
        );
        assert!(page.contains(&format!("Sisa {i} yang panjang.")));
        assert!(
            !page.contains("more -->") && !page.contains("MORE"),
            "{page}"
        );
    }
}

/// The order of the page titles in a listing's HTML.
fn order(html: &str, titles: &[&str]) -> Vec<String> {
    let mut found: Vec<(usize, String)> = titles
        .iter()
        .filter_map(|t| html.find(&format!(">{t}<")).map(|i| (i, t.to_string())))
        .collect();
    found.sort();
    found.into_iter().map(|(_, t)| t).collect()
}

#[test]
fn zola_sort_orders_slug_permalink_and_update_date_work() {
    let page = |title: &str, slug: &str, date: &str, updated: Option<&str>| {
        format!(
            "+++\ntitle = \"{title}\"\nslug = \"{slug}\"\ndate = {date}\n{}+++\nIsi.\n",
            updated.map_or(String::new(), |u| format!("updated = {u}\n"))
        )
    };
    for (sort, expected) in [
        ("slug", ["Satu", "Dua", "Tiga"]),
        ("permalink", ["Satu", "Dua", "Tiga"]),
        ("update_date", ["Tiga", "Satu", "Dua"]),
        ("date", ["Dua", "Tiga", "Satu"]),
    ] {
        let index = format!("+++\ntitle = \"Catatan\"\nsort_by = \"{sort}\"\n+++\n");
        let a = page("Satu", "a-satu", "2026-01-01", Some("2026-02-10"));
        let b = page("Dua", "b-dua", "2026-01-20", None);
        let c = page("Tiga", "c-tiga", "2026-01-10", Some("2026-02-20"));
        let site = site_with(&[
            ("catatan/_index.md", &index),
            ("catatan/x.md", &b),
            ("catatan/y.md", &c),
            ("catatan/z.md", &a),
        ]);
        build(site.path()).unwrap_or_else(|d| panic!("{sort}: {d}"));
        let html = read(site.path(), "catatan/index.html");
        assert_eq!(order(&html, &["Satu", "Dua", "Tiga"]), expected, "{sort}");
    }
}

#[test]
fn a_plain_page_without_a_title_builds_and_is_named_after_its_file() {
    let site = site_with(&[
        ("catatan/_index.md", "+++\ntitle = \"Catatan\"\n+++\n"),
        (
            "catatan/2026-01-05-jadwal-panen_rumput-laut.md",
            "+++\n+++\nIsi tanpa judul.\n",
        ),
    ]);
    build(site.path()).unwrap_or_else(|d| panic!("{d}"));
    let page = read(site.path(), "catatan/jadwal-panen-rumput-laut/index.html");
    assert!(page.contains("<h1>Jadwal panen rumput laut</h1>"), "{page}");
    let list = read(site.path(), "catatan/index.html");
    assert!(list.contains(">Jadwal panen rumput laut<"), "{list}");
    // A workshop still needs one: its calendar event is named by it.
    let site = site_with(&[(
        "pelatihan/tanpa-judul.md",
        "+++\nkind = \"workshop\"\n+++\nIsi.\n",
    )]);
    let err = build(site.path()).unwrap_err().to_string();
    assert!(err.contains("title"), "{err}");
}

#[test]
fn code_that_looks_like_a_report_placeholder_stays_code() {
    let site = site_with(&[(
        "kode.md",
        "+++\ntitle = \"Kode\"\n+++\nPanah `=>` dan `==` serta `= x`.\n\n```table\n| a | b |\n```\n\n```chart\nfn main() {}\n```\n",
    )]);
    let report = build(site.path()).unwrap_or_else(|d| panic!("{d}"));
    let page = read(site.path(), "kode/index.html");
    assert!(
        page.contains("<code>=></code> dan <code>==</code> serta <code>= x</code>")
            || page.contains("<code>=&gt;</code> dan <code>==</code> serta <code>= x</code>"),
        "{page}"
    );
    assert!(
        page.contains("| a | b |") && page.contains("fn main() {}"),
        "{page}"
    );
    assert!(report.warnings.0.is_empty(), "{}", report.warnings);
}

/// Every `id` attribute value of an HTML page.
fn ids_of(html: &str) -> Vec<String> {
    let mut ids = Vec::new();
    for quote in ["", "\""] {
        let marker = format!(" id={quote}");
        let mut rest = html;
        while let Some(i) = rest.find(&marker) {
            rest = &rest[i + marker.len()..];
            if quote.is_empty() && rest.starts_with('"') {
                continue;
            }
            let end = if quote.is_empty() {
                rest.find([' ', '>']).unwrap_or(rest.len())
            } else {
                rest.find('"').unwrap_or(rest.len())
            };
            ids.push(rest[..end].to_string());
        }
    }
    ids
}

#[test]
fn every_id_on_a_page_is_unique_headings_footnotes_and_layout_alike() {
    let site = site_with(&[(
        "ids.md",
        "+++\ntitle = \"Ids\"\n+++\nTeks[^1] dan[^isi].\n\n## A\n\n## A\n\n## A-1\n\n## B {#a-2}\n\n## Isi\n\n## Fn 1\n\n[^1]: Catatan satu.\n[^isi]: Catatan dua.\n",
    )]);
    build(site.path()).unwrap_or_else(|d| panic!("{d}"));
    let page = read(site.path(), "ids/index.html");
    let ids = ids_of(&page);
    let mut unique = ids.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), ids.len(), "repeated ids: {ids:?}");
    for id in [
        "a", "a-1", "a-1-1", "a-2", "isi", "isi-1", "fn-1", "fn-1-1", "fn-isi",
    ] {
        assert!(ids.contains(&id.to_string()), "{id} in {ids:?}");
    }
    // The explicit id keeps its name; the main landmark keeps `isi`.
    assert!(page.contains("<main id=isi>"), "{page}");
    assert!(page.contains("<h2 id=a-2>B</h2>"), "{page}");
    // Footnote references point at their namespaced notes.
    assert!(
        page.contains("href=#fn-1>") && page.contains("href=#fn-isi>"),
        "{page}"
    );
}

#[test]
fn a_summary_drops_footnote_references_and_closes_what_is_open() {
    let site = site_with(&[
        ("catatan/_index.md", "+++\ntitle = \"Catatan\"\n+++\n"),
        (
            "catatan/a.md",
            "+++\ntitle = \"A\"\n+++\n> Kutipan[^1] dengan\n> - daftar\n> - <!-- more -->\n> - sisa\n\n[^1]: Catatan.\n",
        ),
    ]);
    build(site.path()).unwrap_or_else(|d| panic!("{d}"));
    let list = read(site.path(), "catatan/index.html");
    let card = &list[list.find("<ul class=cards>").unwrap()..list.find("</main>").unwrap()];
    assert!(card.contains("Kutipan dengan"), "{card}");
    assert!(
        !card.contains("#fn-1"),
        "a footnote reference in a summary: {card}"
    );
    assert!(!card.contains("sisa"), "{card}");
    assert!(
        card.matches("<blockquote>").count() == card.matches("</blockquote>").count(),
        "{card}"
    );
}

#[test]
fn a_file_in_an_undeclared_language_says_which_table_to_add() {
    let site = site_with(&[
        ("catatan/_index.md", "+++\ntitle = \"Catatan\"\n+++\n"),
        ("catatan/a.md", "+++\ntitle = \"A\"\n+++\nIsi.\n"),
        ("catatan/a.ca.md", "+++\ntitle = \"A\"\n+++\nContingut.\n"),
        ("catatan/_index.pt-BR.md", "+++\ntitle = \"Notas\"\n+++\n"),
    ]);
    let err = build(site.path()).unwrap_err().to_string();
    for expected in [
        "error: `a.ca.md` is in language `ca`, which berdaya.toml does not declare",
        "--> content/catatan/a.ca.md:1:1",
        "[languages.ca]",
        "error: `_index.pt-BR.md` is in language `pt-BR`, which berdaya.toml does not declare",
    ] {
        assert!(err.contains(expected), "{expected}: {err}");
    }
    assert!(
        !err.contains("same URL") && !err.contains("same file"),
        "{err}"
    );
}

#[test]
fn a_link_to_a_draft_says_it_is_a_draft_and_how_to_publish_it() {
    let site = site_with(&[
        (
            "rencana.md",
            "+++\ntitle = \"Rencana\"\ndraft = true\n+++\nBelum terbit.\n",
        ),
        (
            "tautan.md",
            "+++\ntitle = \"Tautan\"\n+++\nLihat [rencana](@/rencana.md).\n",
        ),
    ]);
    let err = build(site.path()).unwrap_err().to_string();
    for expected in [
        "error: link to a draft: `@/rencana.md`",
        "--> content/tautan.md:4:7",
        "content/rencana.md has `draft = true`, so it is not published",
        "remove `draft = true` from content/rencana.md",
        "--drafts",
    ] {
        assert!(err.contains(expected), "{expected}: {err}");
    }
    // With drafts the link resolves.
    let opts = berdaya::build::BuildOptions {
        drafts: true,
        ..crate::support::options(site.path())
    };
    berdaya::build::build(&opts).unwrap_or_else(|d| panic!("{d}"));
    assert!(read(site.path(), "tautan/index.html").contains("href=/rencana/"));
}

#[test]
fn every_internal_link_is_checked_by_address_relative_path_and_anchor() {
    // Links that work: site-absolute, relative, a markdown file beside this one, same-page
    // anchors (also in a non-Latin script), generated pages and feeds.
    let good = "+++\ntitle = \"Baik\"\n+++\n## Cara menjemur\n\n## 晒海藻 {#晒海藻}\n\n[a](/tips/) [b](../lain/) [c](lain.md) [d](#cara-menjemur) [e](#%E6%99%92%E6%B5%B7%E8%97%BB) [f](/atom.xml) [g](/tags/) [h](/catatan/lain/#top) [i](https://example.org/none/) [j](../../tips/cuaca/)\n";
    let site = site_with(&[
        ("catatan/_index.md", "+++\ntitle = \"Catatan\"\n+++\n"),
        ("catatan/baik.md", good),
        (
            "catatan/lain.md",
            "+++\ntitle = \"Lain\"\n+++\n## Atas {#top}\n",
        ),
    ]);
    build(site.path()).unwrap_or_else(|d| panic!("{d}"));
    let page = read(site.path(), "catatan/baik/index.html");
    assert!(
        page.contains("href=/catatan/lain/>b</a>") && page.contains("href=/catatan/lain/>c</a>"),
        "{page}"
    );

    // Each kind of broken link fails the build at its place, with what was meant.
    let bad = "+++\ntitle = \"Buruk\"\n+++\n## Cara menjemur\n\n[a](/tip/cuaca/)\n[b](../lian/)\n[c](#cara-menjemr)\n[d](/catatan/lain/#nope)\n![e](tidak-ada.png)\n[f](hilang.md)\n";
    let site = site_with(&[
        ("catatan/_index.md", "+++\ntitle = \"Catatan\"\n+++\n"),
        (
            "catatan/lain.md",
            "+++\ntitle = \"Lain\"\n+++\n## Atas {#top}\n",
        ),
        ("catatan/buruk.md", bad),
    ]);
    let err = build(site.path()).unwrap_err().to_string();
    for expected in [
        "error: broken link to `/tip/cuaca/`",
        "--> content/catatan/buruk.md:6:1",
        "did you mean `/tips/cuaca/`?",
        "error: broken link to `/catatan/lian/`",
        "--> content/catatan/buruk.md:7:1",
        "did you mean `/catatan/lain/`?",
        "error: broken link to `/catatan/buruk/#cara-menjemr`",
        "did you mean `#cara-menjemur`?",
        "error: broken link to `/catatan/lain/#nope`",
        "error: broken image `/catatan/buruk/tidak-ada.png`",
        "--> content/catatan/buruk.md:10:1",
        "error: broken internal link to `@/catatan/hilang.md`",
    ] {
        assert!(err.contains(expected), "{expected}: {err}");
    }
    assert!(
        !site.path().join("output").exists(),
        "a failed build leaves output/ as it was"
    );
}

#[test]
fn shortcodes_draw_with_the_theme_s_templates_and_stay_safe_and_light() {
    let body = "+++\ntitle = \"SC\"\n+++\nHubungi {{ whatsapp(number=\"0812-0000-0100\") }} segera.\n\n{{ figure(src=\"foto.svg\", alt=\"Menjemur\", caption=\"Rumput laut <b>dijemur</b>\") }}\n\n{{ youtube(id=\"dQw4w9WgXcQ\", title=\"Cara jemur\") }}\n\n{% callout(kind=\"tip\", title=\"Kiat\") %}\nJemur **pagi** hari. <script>alert(1)</script>\n{% end %}\n\nTulis `{{/* youtube(id=\"x\") */}}` untuk video.\n\n## Sesudah\n";
    let site = site_with(&[
        ("sc/index.md", body),
        ("sc/foto.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\"/>"),
    ]);
    build(site.path()).unwrap_or_else(|d| panic!("{d}"));
    let page = crate::support::main_of(&read(site.path(), "sc/index.html")).to_string();
    for expected in [
        // Inline, inside its paragraph.
        "<p>Hubungi <a class=sc-whatsapp href=https://wa.me/6281200000100>Chat WhatsApp: 0812-0000-0100</a> segera.",
        // A block on its own: no paragraph around the figure; the caption is text.
        "<figure class=sc-figure><img alt=Menjemur decoding=async loading=lazy src=/sc/foto.svg><figcaption>Rumput laut &lt;b>dijemur&lt;/b></figcaption></figure>",
        // No request to YouTube until the reader taps: a link, no iframe or image from there.
        "<a href=\"https://www.youtube.com/watch?v=dQw4w9WgXcQ\" class=sc-video>",
        "<div class=\"callout callout-tip\"><p><strong>Kiat</strong><p>Jemur <strong>pagi</strong> hari.",
        // The escape writes the call itself.
        "<code>{{ youtube(id=\"x\") }}</code>",
        "<h2 id=sesudah>Sesudah</h2>",
    ] {
        assert!(page.contains(expected), "{expected}\n{page}");
    }
    assert!(!page.contains("<script") && !page.contains("<iframe") && !page.contains("ytimg"));
}

#[test]
fn an_unknown_or_malformed_shortcode_is_a_located_error_with_the_names_there_are() {
    let site = site_with(&[(
        "sc.md",
        "+++\ntitle = \"SC\"\n+++\nA\n\n{{ yotube(id=\"x\") }}\n\n{{ figure(src=foto.jpg) }}\n",
    )]);
    let err = build(site.path()).unwrap_err().to_string();
    for expected in [
        "error: unknown shortcode `yotube`",
        "--> content/sc.md:6:1",
        "did you mean `youtube`? Shortcodes: callout, figure, whatsapp, youtube",
        "warning: the arguments of shortcode `figure` cannot be read, so the call is shown as written",
        "--> content/sc.md:8:1",
        "`foto.jpg` is not text in quotes, a number, true, false or a [list]",
    ] {
        assert!(err.contains(expected), "{expected}: {err}");
    }
}

#[test]
fn a_site_under_a_sub_path_carries_the_path_in_every_internal_address() {
    let site = site_with(&[(
        "catatan.md",
        "+++\ntitle = \"Catatan\"\naliases = [\"/lama/\"]\n+++\n## Atas\n\n[tips](/tips/) [cuaca](@/tips/cuaca.md) [luar](https://example.org/x/) [atas](#atas)\n",
    )]);
    let config = site.path().join("berdaya.toml");
    let text = std::fs::read_to_string(&config)
        .unwrap()
        .replace("https://contoh.test/", "https://contoh.test/berdaya/");
    std::fs::write(&config, text).unwrap();
    build(site.path()).unwrap_or_else(|d| panic!("{d}"));
    let out = site.path().join("output");
    let mut checked = 0;
    for f in crate::support::files(&out)
        .into_iter()
        .filter(|f| f.ends_with(".html"))
    {
        let html = std::fs::read_to_string(out.join(&f)).unwrap();
        for attr in [" href=", " src=", "; url="] {
            for (i, _) in html.match_indices(attr) {
                let value = html[i + attr.len()..].trim_start_matches(['"', '\'']);
                if value.starts_with('/') && !value.starts_with("//") {
                    checked += 1;
                    let path = value
                        .strip_prefix("/berdaya/")
                        .unwrap_or_else(|| panic!("{f}: {}", &value[..40.min(value.len())]));
                    let path = path.split(['"', '\'', ' ', '>', '#', '?']).next().unwrap();
                    let file = if path.is_empty() || path.ends_with('/') {
                        format!("{path}index.html")
                    } else {
                        path.to_string()
                    };
                    assert!(
                        out.join(&file).exists(),
                        "{f}: /berdaya/{path} does not exist"
                    );
                }
            }
        }
    }
    assert!(checked > 100, "checked {checked} addresses");
    let page = read(site.path(), "catatan/index.html");
    assert!(
        page.contains("href=/berdaya/tips/cuaca/>cuaca</a>"),
        "{page}"
    );
    assert!(page.contains("href=https://example.org/x/"), "{page}");
    assert!(read(site.path(), "lama/index.html").contains("url=/berdaya/catatan/"));
    assert!(
        read(site.path(), "sitemap.xml")
            .contains("<loc>https://contoh.test/berdaya/catatan/</loc>")
    );
}

#[test]
fn email_autolinks_and_text_in_any_script_around_shortcodes_build() {
    let site = site_with(&[(
        "surat.md",
        "+++\ntitle = \"Surat\"\n+++\nTulis ke <kantor@contoh.test> — café 日本 {{ whatsapp(number=\"0812-0000-0100\") }} é.\n\n```\n{{ get_url(path=asset) }} ü\n```\n",
    )]);
    let report = build(site.path()).unwrap_or_else(|d| panic!("{d}"));
    let page = read(site.path(), "surat/index.html");
    assert!(
        page.contains("href=mailto:kantor@contoh.test>kantor@contoh.test</a>"),
        "{page}"
    );
    assert!(page.contains("日本 <a class=sc-whatsapp"), "{page}");
    assert!(page.contains("{{ get_url(path=asset) }} ü"), "{page}");
    assert!(report.warnings.to_string().contains("shown as written"));
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(300))]
    /// Any mix of braces, shortcode punctuation and multi-byte text renders without a crash.
    #[test]
    fn shortcode_like_text_in_any_script_never_crashes(
        text in "[{}%()=,\"'`\\[\\]/* a-zéü日本\\n]{0,80}"
    ) {
        berdaya::fuzzing::markdown_body(text.as_bytes());
    }
}

#[test]
fn a_home_with_pages_of_its_own_lists_and_paginates_them_like_a_zola_blog() {
    let site = fixture("bilingual");
    let index = site.path().join("content/_index.md");
    let text = std::fs::read_to_string(&index).unwrap();
    std::fs::write(&index, text.replacen("+++\n", "+++\npaginate_by = 2\n", 1)).unwrap();
    for (i, day) in ["01", "02", "03"].iter().enumerate() {
        std::fs::write(
            site.path().join(format!("content/tulisan-{i}.md")),
            format!("+++\ntitle = \"Tulisan {i}\"\ndate = 2026-02-{day}\n+++\nIsi {i}.\n"),
        )
        .unwrap();
    }
    build(site.path()).unwrap_or_else(|d| panic!("{d}"));
    let home = read(site.path(), "index.html");
    // Newest first, two per page, the sections' previews still there.
    assert!(
        home.contains(">Tulisan 2<") && home.contains(">Tulisan 1<"),
        "{home}"
    );
    assert!(!home.contains(">Tulisan 0<"), "{home}");
    assert!(home.contains("href=/tips/"), "{home}");
    let second = read(site.path(), "page/2/index.html");
    assert!(second.contains(">Tulisan 0<"), "{second}");
}

#[test]
fn a_bundle_s_files_are_published_beside_every_translation() {
    let site = site_with(&[
        ("catatan/_index.md", "+++\ntitle = \"Catatan\"\n+++\n"),
        ("catatan/_index.en.md", "+++\ntitle = \"Notes\"\n+++\n"),
        (
            "catatan/jemur/index.md",
            "+++\ntitle = \"Jemur\"\n+++\n![foto](foto.svg)\n",
        ),
        (
            "catatan/jemur/index.en.md",
            "+++\ntitle = \"Drying\"\n+++\n![photo](foto.svg)\n",
        ),
        (
            "catatan/jemur/foto.svg",
            "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
        ),
    ]);
    build(site.path()).unwrap_or_else(|d| panic!("{d}"));
    assert!(site.path().join("output/catatan/jemur/foto.svg").is_file());
    assert!(
        site.path()
            .join("output/en/catatan/jemur/foto.svg")
            .is_file()
    );
    assert!(
        read(site.path(), "en/catatan/jemur/index.html").contains("src=/en/catatan/jemur/foto.svg")
    );
}

#[test]
fn zola_section_keys_transparent_paginate_reversed_and_redirect_to_work() {
    let site = site_with(&[
        (
            "catatan/_index.md",
            "+++\ntitle = \"Catatan\"\npaginate_reversed = true\n+++\n",
        ),
        (
            "catatan/a.md",
            "+++\ntitle = \"Lama\"\ndate = 2026-01-01\n+++\nA.\n",
        ),
        (
            "catatan/b.md",
            "+++\ntitle = \"Baru\"\ndate = 2026-02-01\n+++\nB.\n",
        ),
        (
            "catatan/2025/_index.md",
            "+++\ntitle = \"2025\"\ntransparent = true\n+++\n",
        ),
        (
            "catatan/2025/c.md",
            "+++\ntitle = \"Arsip\"\ndate = 2025-06-01\n+++\nC.\n",
        ),
        (
            "pindah/_index.md",
            "+++\ntitle = \"Pindah\"\nredirect_to = \"@/catatan/b.md\"\n+++\n",
        ),
    ]);
    build(site.path()).unwrap_or_else(|d| panic!("{d}"));
    let list = read(site.path(), "catatan/index.html");
    // Oldest first (reversed), with the transparent sub-section's page among them.
    assert_eq!(
        order(&list, &["Lama", "Baru", "Arsip"]),
        ["Arsip", "Lama", "Baru"],
        "{list}"
    );
    let moved = read(site.path(), "pindah/index.html");
    assert!(moved.contains("url=/catatan/b/"), "{moved}");
}

#[test]
fn a_template_error_names_the_content_file_it_was_drawing() {
    let site = site_with(&[(
        "catatan/_index.md",
        "+++\ntitle = \"Catatan\"\ntemplate = \"taxonomy_single.html\"\n+++\n",
    )]);
    let err = build(site.path()).unwrap_err().to_string();
    assert!(
        err.contains(
            "template `taxonomy_single.html` failed while drawing content/catatan/_index.md"
        ),
        "{err}"
    );
    assert!(
        err.contains("--> themes/default/templates/taxonomy_single.html"),
        "{err}"
    );
}

#[test]
fn render_false_gives_a_page_no_page_and_a_section_no_listing() {
    let site = site_with(&[
        (
            "catatan/_index.md",
            "+++\ntitle = \"Catatan\"\nrender = false\n+++\n",
        ),
        ("catatan/a.md", "+++\ntitle = \"A\"\n+++\nA.\n"),
        (
            "tersembunyi.md",
            "+++\ntitle = \"Tersembunyi\"\nrender = false\n+++\nData.\n",
        ),
    ]);
    build(site.path()).unwrap_or_else(|d| panic!("{d}"));
    let out = site.path().join("output");
    assert!(!out.join("tersembunyi/index.html").exists());
    assert!(!out.join("catatan/index.html").exists(), "no listing page");
    assert!(
        out.join("catatan/a/index.html").exists(),
        "its pages are published"
    );
    let home = read(site.path(), "index.html");
    assert!(
        !home.contains("href=/catatan/>"),
        "not in the menu or previews: {home}"
    );
    assert!(!read(site.path(), "sitemap.xml").contains("/catatan/<"));
    // A link to the unpublished page says why.
    let site = site_with(&[
        (
            "tersembunyi.md",
            "+++\ntitle = \"T\"\nrender = false\n+++\nData.\n",
        ),
        (
            "tautan.md",
            "+++\ntitle = \"L\"\n+++\n[t](@/tersembunyi.md)\n",
        ),
    ]);
    let err = build(site.path()).unwrap_err().to_string();
    assert!(
        err.contains("content/tersembunyi.md has `render = false`, so it has no page"),
        "{err}"
    );
}

#[test]
fn links_in_a_section_s_own_text_are_checked_too() {
    let site = site_with(&[(
        "catatan/_index.md",
        "+++\ntitle = \"Catatan\"\n+++\nLihat [tips](/tipz/) dan [cuaca](@/tips/cuaca.md#tidak-ada).\n",
    )]);
    let err = build(site.path()).unwrap_err().to_string();
    assert!(
        err.contains("error: broken link to `/tipz/`")
            && err.contains("--> content/catatan/_index.md:4:7"),
        "{err}"
    );
    assert!(err.contains("tidak-ada"), "{err}");
}

#[test]
fn a_site_s_own_shortcode_gets_its_arguments_lang_and_nth() {
    let site = site_with(&[
        (
            "catatan.md",
            "+++\ntitle = \"C\"\n+++\n{{ nomor(x=1) }}\n\n{{ nomor(x=2) }}\n",
        ),
        (
            "catatan.en.md",
            "+++\ntitle = \"N\"\n+++\n{{ nomor(x=3) }}\n",
        ),
    ]);
    let dir = site.path().join("templates/shortcodes");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("nomor.html"),
        "<span class=\"callout\">{{ lang }}-{{ nth }}-{{ x }}</span>",
    )
    .unwrap();
    build(site.path()).unwrap_or_else(|d| panic!("{d}"));
    let id = read(site.path(), "catatan/index.html");
    assert!(
        id.contains(">id-1-1</span>") && id.contains(">id-2-2</span>"),
        "{id}"
    );
    assert!(read(site.path(), "en/catatan/index.html").contains(">en-1-3</span>"));
}

#[test]
fn content_and_template_errors_are_reported_in_one_run() {
    let site = site_with(&[
        (
            "tips/salah.md",
            "+++\ntitle = \"Salah\"\ntopic = \"cuaca\"\n+++\nLihat {{ tidakada(x=1) }} dan [ini](/tips/hilang/).\n",
        ),
        ("tips/rusak.md", "+++\ntitle = 3\n+++\nIsi.\n"),
        ("tips/lain.ca.md", "+++\ntitle = \"Altre\"\n+++\nIsi.\n"),
    ]);
    let templates = site.path().join("themes/default/templates");
    for t in ["page.html", "base.html"] {
        let path = templates.join(t);
        let text = std::fs::read_to_string(&path).unwrap();
        std::fs::write(&path, format!("{text}\n{{% if %}}\n")).unwrap();
    }
    let before = std::fs::read_dir(site.path()).unwrap().count();
    let text = build(site.path()).unwrap_err().to_string();
    // Content problems found while reading …
    assert!(text.contains("`title` has the wrong type"), "{text}");
    assert!(text.contains("`lain.ca.md` is in language `ca`"), "{text}");
    // … and while drawing, though the theme did not load …
    assert!(
        text.contains("unknown shortcode `tidakada`") && text.contains("content/tips/salah.md:5:7"),
        "{text}"
    );
    // … and every template's syntax error, each at its file and line.
    let lines = |t: &str| {
        std::fs::read_to_string(templates.join(t))
            .unwrap()
            .lines()
            .count()
    };
    for t in ["page.html", "base.html"] {
        assert!(
            text.contains(&format!("--> themes/default/templates/{t}:{}:", lines(t))),
            "{t}: {text}"
        );
    }
    assert_eq!(text.matches("template syntax error").count(), 2, "{text}");
    // A content file failed to load, so links (which may point at it) are judged next run.
    assert!(!text.contains("broken link"), "{text}");
    assert!(!site.path().join("output").exists());
    assert_eq!(std::fs::read_dir(site.path()).unwrap().count(), before);

    // With every file readable, broken links are reported with the template errors.
    std::fs::remove_file(site.path().join("content/tips/rusak.md")).unwrap();
    std::fs::remove_file(site.path().join("content/tips/lain.ca.md")).unwrap();
    let text = build(site.path()).unwrap_err().to_string();
    assert!(
        text.contains("broken link to `/tips/hilang/`")
            && text.contains("content/tips/salah.md:5:"),
        "{text}"
    );
    assert!(text.contains("unknown shortcode `tidakada`"), "{text}");
    assert_eq!(text.matches("template syntax error").count(), 2, "{text}");
}

#[test]
fn links_in_raw_html_and_in_shortcodes_are_checked() {
    let site = site_with(&[(
        "tips/foto.md",
        "+++\ntitle = \"Foto\"\ntopic = \"cuaca\"\n+++\n{{ figure(src=\"tidak-ada.jpg\", alt=\"Jemuran\") }}\n\nBaca <a href=\"/tips/hilang/\">ini</a>, <a href=\"../cuaca/\">cuaca</a> dan <img src=\"juga-tidak.png\" alt=\"x\">.\n",
    )]);
    let text = build(site.path()).unwrap_err().to_string();
    assert!(
        text.contains("broken image `/tips/foto/tidak-ada.jpg`")
            && text.contains("content/tips/foto.md:5:1"),
        "{text}"
    );
    assert!(
        text.contains("broken link to `/tips/hilang/`")
            && text.contains("content/tips/foto.md:7:9"),
        "{text}"
    );
    assert!(
        text.contains("broken image `/tips/foto/juga-tidak.png`"),
        "{text}"
    );
    // The relative link to a page that exists is fine.
    assert!(!text.contains("`/tips/cuaca/`"), "{text}");
    assert_eq!(text.matches("error: broken").count(), 3, "{text}");
}
