//! Content written for Zola reads unchanged: front matter after blank lines, the summary marker in
//! any spacing and case, and the other forms Zola accepts.

use crate::support::{build, fixture, read};

/// A fixture site with extra content files `(path under content/, text)`.
fn site_with(files: &[(&str, &str)]) -> tempfile::TempDir {
    let site = fixture("bilingual");
    for (path, text) in files {
        let path = site.path().join("content").join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    site
}

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
