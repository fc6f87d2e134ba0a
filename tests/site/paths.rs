//! Property tests of the containment invariant: whatever text a contributor writes as a path,
//! slug or alias, berdaya either refuses it with a reason or writes inside the output folder.

use std::path::{Component, Path};

use berdaya::common::urlpath::{check_output_path, normalize_site_path};
use berdaya::output::{Output, OutputOptions};
use proptest::prelude::*;

/// Paths built from the pieces that make escapes: dot segments, separators of every system,
/// drive letters, encodings, controls and ordinary names.
fn hostile_path() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just(".."),
        Just("."),
        Just(""),
        Just("/"),
        Just("\\"),
        Just("C:"),
        Just("c:\\"),
        Just("%2e%2e"),
        Just("\u{0}"),
        Just("\n"),
        Just("~"),
        Just(" "),
        Just("//"),
        Just("tips"),
        Just("jemur.html"),
        Just("é"),
        Just("https:"),
        Just("\u{202e}"),
    ];
    prop_oneof![
        prop::collection::vec(piece, 0..10).prop_map(|p| p.join("/")),
        prop::collection::vec(
            prop_oneof![Just("..".to_string()), "[a-z./\\\\:]{0,4}"],
            0..6
        )
        .prop_map(|p| p.concat()),
        any::<String>(),
    ]
}

/// True when `rel` names a file strictly inside whatever folder it is joined to.
fn stays_inside(rel: &str) -> bool {
    let path = Path::new(rel);
    !rel.is_empty() && path.components().all(|c| matches!(c, Component::Normal(_)))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(4096))]

    #[test]
    fn every_accepted_site_path_maps_to_a_file_inside_the_output(text in hostile_path()) {
        if let Ok(url) = normalize_site_path(&text) {
            prop_assert!(url.starts_with('/') && !url.starts_with("//"), "{url:?}");
            let file = Output::file_for_url(&url);
            prop_assert!(check_output_path(&file).is_ok(), "{file:?}");
            prop_assert!(stays_inside(&file), "{text:?} -> {file:?}");
            prop_assert!(!file.contains(['\\', '\0']), "{file:?}");
        }
    }

    #[test]
    fn every_output_path_the_writer_accepts_stays_inside(text in hostile_path()) {
        if check_output_path(&text).is_ok() {
            prop_assert!(stays_inside(&text), "{text:?}");
        }
    }

    #[test]
    fn slugs_are_single_safe_names_or_refused(text in hostile_path()) {
        if let Ok(slug) = berdaya::common::urlpath::slug(&text) {
            prop_assert!(stays_inside(&slug) && !slug.contains('/'), "{slug:?}");
            prop_assert!(berdaya::common::urlpath::check_segment(&slug).is_ok(), "{slug:?}");
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// Through the writer itself: a write either is refused or lands inside the staging folder;
    /// nothing appears beside it, and dropping the unfinished output leaves nothing behind.
    #[test]
    fn the_writer_never_writes_outside_its_folder(text in hostile_path()) {
        let outer = tempfile::tempdir().unwrap();
        let deep = outer.path().join("a/b/c/d/e/f");
        std::fs::create_dir_all(&deep).unwrap();
        let opts = OutputOptions {
            minify: false,
            precompress: false,
            budget: u64::MAX,
            dry_run: false,
            brotli_quality: 1,
            gzip_level: 1,
            path_prefix: String::new(),
            portable: false,
        };
        let out = Output::new(&deep.join("output"), opts).unwrap();
        let staging = out.dir.clone();
        let _ = out.write(&text, b"x");
        let _ = out.write_page(&text, "<p>x</p>".into(), None);
        for e in walkdir::WalkDir::new(outer.path()).into_iter().flatten() {
            if e.file_type().is_file() {
                prop_assert!(e.path().starts_with(&staging), "{text:?} wrote {}", e.path().display());
            }
        }
        drop(out);
        prop_assert!(!staging.exists(), "the staging folder is removed");
    }
}
