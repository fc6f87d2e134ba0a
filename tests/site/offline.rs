//! Reading without a server or without signal: the portable copy (`build --portable`) and the
//! optional service worker.

use std::path::{Path, PathBuf};

use berdaya::build::{self, BuildOptions};

use crate::support::{append_config, files, fixture, options, repo};

/// Every address in `href`, `src` and `srcset` of `html`, as written.
fn addresses(html: &str) -> Vec<String> {
    let mut out = Vec::new();
    for attr in [" href=", " src=", " srcset="] {
        for (i, _) in html.match_indices(attr) {
            let rest = &html[i + attr.len()..];
            let value = match rest.chars().next() {
                Some(q @ ('"' | '\'')) => rest[1..].split(q).next().unwrap_or(""),
                _ => rest.split([' ', '>']).next().unwrap_or(""),
            };
            if attr == " srcset=" {
                out.extend(
                    value
                        .split(',')
                        .filter_map(|c| c.split_whitespace().next())
                        .map(str::to_string),
                );
            } else {
                out.push(value.to_string());
            }
        }
    }
    out
}

fn portable_build(root: &Path) -> PathBuf {
    build::build(&BuildOptions {
        portable: true,
        ..options(root)
    })
    .unwrap_or_else(|d| panic!("{d}"));
    root.join("output-portable")
}

#[test]
fn a_portable_copy_links_every_page_and_file_relatively_to_index_html_files() {
    let site = fixture("bilingual");
    std::fs::create_dir_all(site.path().join("content/tips/foto")).unwrap();
    std::fs::copy(
        repo().join("tests/fixtures/photos/jemur.jpg"),
        site.path().join("content/tips/foto/jemur.jpg"),
    )
    .unwrap();
    std::fs::write(
        site.path().join("content/tips/foto/index.md"),
        "+++\ntitle = \"Foto\"\ntopic = \"cuaca\"\naliases = [\"/lama/foto/\"]\n+++\n![Jemuran](jemur.jpg)\n\n[Jemur](@/tips/jemur/index.md#cara-menjemur) dan [beranda](/).\n",
    )
    .unwrap();
    let out = portable_build(site.path());
    assert!(
        !site.path().join("output").exists(),
        "output/ is left alone"
    );
    let all = files(&out);
    assert!(!all.iter().any(|f| f.ends_with(".gz") || f.ends_with(".br")));
    let mut checked = 0;
    for f in all.iter().filter(|f| f.ends_with(".html")) {
        let html = std::fs::read_to_string(out.join(f)).unwrap();
        let dir = out.join(f).parent().unwrap().to_path_buf();
        for a in addresses(&html) {
            if a.starts_with('#') || a.contains(':') || a.is_empty() || a.starts_with("//") {
                continue;
            }
            assert!(!a.starts_with('/'), "{f}: site-absolute {a}");
            let path = a.split(['#', '?']).next().unwrap();
            let target = dir.join(path);
            assert!(target.is_file(), "{f}: {a} is not a file");
            checked += 1;
        }
    }
    assert!(checked > 100, "{checked}");
    let page = std::fs::read_to_string(out.join("tips/foto/index.html")).unwrap();
    assert!(
        page.contains("href=../../tips/jemur/index.html#cara-menjemur"),
        "{page}"
    );
    assert!(page.contains("href=../../index.html>beranda"), "{page}");
    assert!(
        page.contains("srcset=\"jemur-360w.webp 360w, jemur-720w.webp 720w"),
        "{page}"
    );
    let alias = std::fs::read_to_string(out.join("lama/foto/index.html")).unwrap();
    assert!(alias.contains("url=../../tips/foto/index.html"), "{alias}");
}

#[test]
fn the_service_worker_is_published_only_when_asked_and_is_small() {
    let site = fixture("bilingual");
    build::build(&options(site.path())).unwrap_or_else(|d| panic!("{d}"));
    assert!(!site.path().join("output/sw.js").exists());
    assert!(
        !std::fs::read_to_string(site.path().join("output/index.html"))
            .unwrap()
            .contains("serviceWorker")
    );
    append_config(
        site.path(),
        "[offline]
service_worker = true",
    );
    build::build(&options(site.path())).unwrap_or_else(|d| panic!("{d}"));
    let sw = std::fs::read(site.path().join("output/sw.js")).unwrap();
    let gz = std::fs::read(site.path().join("output/sw.js.gz")).unwrap();
    assert!(gz.len() <= 2048, "sw.js is {} bytes gzip", gz.len());
    assert!(String::from_utf8_lossy(&sw).contains("caches.match"));
    for f in [
        "index.html",
        "tips/jemur/index.html",
        "en/index.html",
        "cari/index.html",
    ] {
        let html = std::fs::read_to_string(site.path().join("output").join(f)).unwrap();
        assert!(
            html.contains("navigator.serviceWorker.register(\"/sw.js\")"),
            "{f}"
        );
    }
}
