//! Saved inputs of the fuzz targets (`fuzz/`): crashes the fuzzer found, and the hostile
//! inputs each target started from, run through the same entry points on every `cargo test`.

use crate::support::repo;

fn run_all(target: &str, f: fn(&[u8])) {
    let dir = repo().join("tests/fixtures/fuzz").join(target);
    let mut n = 0;
    for e in std::fs::read_dir(&dir).unwrap().flatten() {
        let data = std::fs::read(e.path()).unwrap();
        let name = e.file_name().to_string_lossy().into_owned();
        if let Err(p) = std::panic::catch_unwind(|| f(&data)) {
            let msg = p
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| p.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_default();
            panic!("{target}/{name}: {msg}");
        }
        n += 1;
    }
    assert!(n > 0, "no saved inputs for {target}");
}

#[test]
fn saved_content_files_load_without_internal_errors() {
    run_all("content_file", berdaya::fuzzing::content_file);
}

#[test]
fn saved_markdown_bodies_render_inert_html_without_crashing() {
    run_all("markdown_body", berdaya::fuzzing::markdown_body);
}

#[test]
fn saved_survey_files_are_read_or_refused_without_internal_errors() {
    run_all("survey_csv", berdaya::fuzzing::survey_analysis);
}
