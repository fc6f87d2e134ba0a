//! `berdaya serve`: incremental rebuilds equal full builds, only affected outputs are
//! rendered, errors keep the last good output, and the dev server's HTTP behaviour.

use std::fs;
use std::path::{Path, PathBuf};

use berdaya::serve::Session;
use berdaya::site::{self, BuildOptions};

use crate::support::{copy_dir, files, options, repo};

/// A copy of the sample site (content, theme, survey data) in a temporary folder.
fn sample_site() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for part in ["content", "themes", "data"] {
        copy_dir(&repo().join(part), &dir.path().join(part));
    }
    fs::copy(repo().join("berdaya.toml"), dir.path().join("berdaya.toml")).unwrap();
    dir
}

fn edit(root: &Path, rel: &str, from: &str, to: &str) -> PathBuf {
    let path = root.join(rel);
    let text = fs::read_to_string(&path).unwrap();
    assert!(text.contains(from), "{rel} has no `{from}`");
    fs::write(&path, text.replacen(from, to, 1)).unwrap();
    path
}

/// Runs one incremental rebuild that must succeed; returns the changed output files.
fn rebuild(session: &mut Session, paths: &[PathBuf]) -> Vec<String> {
    let round = session.rebuild(paths);
    assert!(round.ok(), "{}", round.diags);
    round.changed
}

/// Every file of two output folders, byte for byte.
fn assert_same_tree(got: &Path, want: &Path) {
    let (g, w) = (files(got), files(want));
    let missing: Vec<_> = w.iter().filter(|f| !g.contains(f)).collect();
    let extra: Vec<_> = g.iter().filter(|f| !w.contains(f)).collect();
    assert!(
        missing.is_empty() && extra.is_empty(),
        "missing {missing:?}, extra {extra:?}"
    );
    for f in &w {
        let (a, b) = (
            fs::read(got.join(f)).unwrap(),
            fs::read(want.join(f)).unwrap(),
        );
        if a != b {
            let (a, b) = (String::from_utf8_lossy(&a), String::from_utf8_lossy(&b));
            let first = a.lines().zip(b.lines()).find(|(x, y)| x != y);
            panic!("{f} differs from a full build: {first:?}");
        }
    }
}

#[test]
fn incremental_rebuilds_equal_a_full_build_and_touch_only_what_changed() {
    let site = sample_site();
    let root = site.path();
    let out = root.join("output");
    let mut s = Session::new(options(root));
    let first = s.full();
    assert!(first.ok(), "{}", first.diags);
    assert!(first.changed.len() > 300, "{}", first.changed.len());

    // A body edit re-renders that page and the listings showing it, nothing else.
    let tip = "content/tips/memilih-bibit-rumput-laut.md";
    let changed = rebuild(
        &mut s,
        &[edit(root, tip, "Panen yang baik", "Panen yang sangat baik")],
    );
    assert!(changed.contains(&"tips/memilih-bibit-rumput-laut/index.html".to_string()));
    let html: Vec<_> = changed.iter().filter(|f| f.ends_with(".html")).collect();
    assert!(
        html.iter()
            .all(|f| !f.starts_with("kisah/") && !f.starts_with("en/")),
        "{html:?}"
    );
    assert!(
        !changed.iter().any(|f| f.starts_with("dampak/")),
        "{changed:?}"
    );
    let page = fs::read_to_string(out.join("tips/memilih-bibit-rumput-laut/index.html")).unwrap();
    assert!(page.contains("Panen yang sangat baik"));

    // Saving without a change writes nothing.
    let same = rebuild(&mut s, &[root.join(tip)]);
    assert!(same.is_empty(), "{same:?}");

    // A title change reaches the section listing, tag pages and the feed.
    let changed = rebuild(
        &mut s,
        &[edit(
            root,
            tip,
            "title = \"Memilih bibit",
            "title = \"Cara memilih bibit",
        )],
    );
    // (The tip is on the listing's second page.)
    for f in [
        "tips/page/2/index.html",
        "tips/atom.xml",
        "topik/pertanian/index.html",
    ] {
        assert!(changed.contains(&f.to_string()), "{f} not in {changed:?}");
    }
    assert!(
        changed.iter().any(|f| f.starts_with("tags/")),
        "{changed:?}"
    );
    assert!(
        !changed.contains(&"tips/index.html".to_string()),
        "{changed:?}"
    );

    // A new page, then the same page renamed.
    let new = root.join("content/tips/menyimpan-hasil-panen.md");
    fs::write(
        &new,
        "+++\ntitle = \"Menyimpan hasil panen\"\ndate = 2026-02-01\ntopic = \"pertanian\"\n[taxonomies]\ntags = [\"mutu\"]\n+++\n\nSimpan di tempat kering. Lihat [bibit](@/tips/memilih-bibit-rumput-laut.md).\n",
    )
    .unwrap();
    let changed = rebuild(&mut s, std::slice::from_ref(&new));
    assert!(changed.contains(&"tips/menyimpan-hasil-panen/index.html".to_string()));
    let renamed = root.join("content/tips/menyimpan-panen.md");
    fs::rename(&new, &renamed).unwrap();
    let changed = rebuild(&mut s, &[new.clone(), renamed.clone()]);
    assert!(changed.contains(&"tips/menyimpan-hasil-panen/index.html".to_string()));
    assert!(!out.join("tips/menyimpan-hasil-panen/index.html").exists());
    assert!(
        !out.join("tips/menyimpan-hasil-panen/index.html.br")
            .exists()
    );
    assert!(out.join("tips/menyimpan-panen/index.html").exists());

    // Deleting a page others link to is a reported broken link; the output stays as it was.
    let linked = root.join("content/tips/menentukan-harga-jual.md");
    let saved = fs::read_to_string(&linked).unwrap();
    let before = fs::read(out.join("tips/menentukan-harga-jual/index.html")).unwrap();
    fs::remove_file(&linked).unwrap();
    let round = s.rebuild(std::slice::from_ref(&linked));
    assert!(!round.ok());
    let text = round.diags.render(false);
    assert!(
        text.contains("broken internal link to `@/tips/menentukan-harga-jual.md`"),
        "{text}"
    );
    assert!(
        text.contains("content/pelatihan/seminar-digitalisasi-umkm.md:29"),
        "{text}"
    );
    assert!(round.changed.is_empty());
    assert_eq!(
        fs::read(out.join("tips/menentukan-harga-jual/index.html")).unwrap(),
        before
    );
    // Bringing it back clears the error.
    fs::write(&linked, &saved).unwrap();
    rebuild(&mut s, std::slice::from_ref(&linked));

    // A partial used by listings re-renders listings, not single pages.
    let changed = rebuild(
        &mut s,
        &[edit(
            root,
            "themes/default/templates/partials/pager.html",
            "class=\"pager\"",
            "class=\"pager pg\"",
        )],
    );
    assert!(
        changed.contains(&"tips/index.html".to_string()),
        "{changed:?}"
    );
    assert!(
        !changed.contains(&"tips/memilih-bibit-rumput-laut/index.html".to_string()),
        "{changed:?}"
    );

    // Survey data: the report pages change, content pages do not.
    let data = root.join("data/survei.csv");
    let csv = fs::read_to_string(&data).unwrap();
    let cut: String = csv.lines().take(3000).map(|l| format!("{l}\n")).collect();
    fs::write(&data, cut).unwrap();
    let changed = rebuild(&mut s, std::slice::from_ref(&data));
    assert!(
        changed.iter().any(|f| f.starts_with("dampak/")),
        "{changed:?}"
    );
    assert!(
        !changed.iter().any(|f| f.starts_with("kisah/")),
        "{changed:?}"
    );

    // A section's front matter, an image added and removed, then berdaya.toml.
    rebuild(
        &mut s,
        &[edit(
            root,
            "content/kisah/_index.md",
            "title = \"",
            "title = \"Semua ",
        )],
    );
    let image = root.join("content/tips/contoh.png");
    fs::write(&image, b"\x89PNG\r\n\x1a\n").unwrap();
    assert!(rebuild(&mut s, std::slice::from_ref(&image)).contains(&"tips/contoh.png".to_string()));
    fs::remove_file(&image).unwrap();
    rebuild(&mut s, std::slice::from_ref(&image));
    assert!(!out.join("tips/contoh.png").exists());
    rebuild(
        &mut s,
        &[edit(root, "berdaya.toml", "title = \"", "title = \"Situs ")],
    );

    // Editors' leftovers are ignored.
    for junk in [
        "content/tips/.x.md.swp",
        "content/tips/x.md~",
        "content/tips/4913",
    ] {
        fs::write(root.join(junk), "+++\n").unwrap();
    }
    let junk = rebuild(
        &mut s,
        &[
            root.join("content/tips/.x.md.swp"),
            root.join("content/tips/x.md~"),
            root.join("content/tips/4913"),
        ],
    );
    assert!(junk.is_empty(), "{junk:?}");

    // The final state, built from scratch.
    let fresh = tempfile::tempdir().unwrap();
    site::build(&BuildOptions {
        output: Some(fresh.path().join("site")),
        ..options(root)
    })
    .unwrap_or_else(|d| panic!("{d}"));
    assert_same_tree(&out, &fresh.path().join("site"));
}
