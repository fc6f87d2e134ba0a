//! The search page of each language: an A–Z list that works without JavaScript, the index the
//! script reads, and pages kept out of it.

use crate::support::{append_config, bilingual_with as site_with, build, read, set_base_url};

fn index_text(root: &std::path::Path, dir: &str) -> String {
    let mut all = String::new();
    for e in std::fs::read_dir(root.join("output").join(dir))
        .unwrap()
        .flatten()
    {
        if e.file_name().to_string_lossy().ends_with(".json") {
            all.push_str(&std::fs::read_to_string(e.path()).unwrap());
        }
    }
    all
}

#[test]
fn every_language_has_a_search_page_with_an_a_to_z_list_and_a_hidden_form() {
    let site = site_with(&[(
        "tips/rahasia-dapur.md",
        "+++\ntitle = \"Rahasia dapur\"\ntopic = \"cuaca\"\nin_search_index = false\n+++\nResep xyzzyrahasia.\n",
    )]);
    build(site.path()).unwrap_or_else(|d| panic!("{d}"));
    let page = read(site.path(), "cari/index.html");
    // Without JavaScript: the form stays hidden and the A–Z list and tags are there.
    assert!(
        page.contains("<form hidden") || page.contains(" hidden "),
        "{page}"
    );
    assert!(page.contains("data-shards="), "{page}");
    assert!(
        page.contains("<script defer src=/cari.js></script>"),
        "{page}"
    );
    assert!(page.contains("href=/cari/m/>M</a> ("), "{page}");
    assert!(page.contains("href=/tags/rumput-laut/"), "{page}");
    // The search link is in every page's menu.
    assert!(read(site.path(), "index.html").contains("href=/cari/>Cari</a>"));
    assert!(read(site.path(), "en/index.html").contains("href=/en/cari/>Search</a>"));
    let m = read(site.path(), "cari/m/index.html");
    assert!(
        m.contains("<a href=/tips/jemur/>Menjemur rumput laut</a>"),
        "{m}"
    );
    assert!(!m.contains("<script"), "A–Z pages need no script");
    let en = read(site.path(), "en/cari/index.html");
    assert!(en.contains("<h1>Search this site</h1>"), "{en}");
    // The index holds the pages' words, not those of a page kept out of it.
    let ids = index_text(site.path(), "cari/indeks");
    assert!(ids.contains("\"jemur\""), "stem of menjemur");
    assert!(ids.contains("/tips/jemur/"));
    assert!(!ids.contains("xyzzyrahasia") && !ids.contains("rahasia-dapur"));
    // No other title starts with R: no R page at all.
    assert!(!site.path().join("output/cari/r").exists());
    assert!(!page.contains("Rahasia dapur"));
    let en_ids = index_text(site.path(), "en/cari/indeks");
    assert!(en_ids.contains("/en/") && !en_ids.contains("\"/tips/jemur/\""));
}

#[test]
fn search_addresses_carry_the_sub_path() {
    let site = site_with(&[]);
    set_base_url(site.path(), "https://contoh.test/berdaya");
    build(site.path()).unwrap_or_else(|d| panic!("{d}"));
    let page = read(site.path(), "cari/index.html");
    assert!(page.contains("action=/berdaya/cari/"), "{page}");
    assert!(page.contains("data-path=/cari/"), "{page}");
    assert!(page.contains("src=/berdaya/cari.js"), "{page}");
}

#[test]
fn a_pasted_key_as_one_long_word_and_a_long_description_keep_the_index_small() {
    let long_word: String = (0..40_000)
        .map(|i| (b'a' + (i * 7 % 26) as u8) as char)
        .collect();
    let site = site_with(&[(
        "tips/kunci.md",
        &format!(
            "+++\ntitle = \"Kunci\"\ntopic = \"cuaca\"\ndescription = \"{}\"\n+++\nKunci: `{long_word}`\n",
            "Deskripsi panjang sekali. ".repeat(2000)
        ),
    )]);
    append_config(site.path(), "[build]\npage_budget_kb = 200");
    build(site.path()).unwrap_or_else(|d| panic!("{d}"));
    let ids = index_text(site.path(), "cari/indeks");
    assert!(!ids.contains(&long_word[..100]));
    let docs = std::fs::read_to_string(site.path().join("output/cari/indeks/d-0.json")).unwrap();
    assert!(docs.len() < 20_000, "snippets are cut: {}", docs.len());
}
