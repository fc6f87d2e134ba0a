//! Entry points for fuzzing the parsers a contributor's file goes through: one content file
//! (decoding, front matter, typed fields, taxonomies, URLs), its markdown body (rendering,
//! sanitising, the summary cut, minifying), and a survey CSV (reading, validating; and
//! estimating).
//!
//! Each function panics when berdaya would crash or report an internal error on `data`, and
//! returns quietly on anything else, however wrong the input. The fuzz targets in `fuzz/` call
//! them; `tests/site/fuzz.rs` runs every saved input in `tests/fixtures/fuzz/` through them.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use crate::common::diagnostics::Diagnostic;
use crate::config::Config;
use crate::content::{self, LoadOptions};
use crate::markdown::{self, LinkTargets};
use crate::output::{Output, OutputOptions};

/// A diagnostic that stands for a caught panic: a bug, never the input's fault.
fn assert_no_internal_error<'a>(diags: impl IntoIterator<Item = &'a Diagnostic>) {
    for d in diags {
        assert!(
            !d.message.starts_with("berdaya failed while"),
            "internal error: {d}"
        );
    }
}

/// A scratch site folder for this process, made once.
fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("berdaya-fuzz-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("scratch folder");
    dir
}

fn config() -> &'static Config {
    static C: OnceLock<Config> = OnceLock::new();
    C.get_or_init(|| {
        Config::parse(
            "title = \"Fuzz\"\nbase_url = \"https://contoh.test\"\n[languages.en]\nname = \"English\"\n",
            Path::new("berdaya.toml"),
        )
        .expect("valid config")
    })
}

/// `data` as one content file of a small site (`content/tips/x.md` in a tip section, beside a
/// workshop section), loaded and linked, then every page's body rendered.
pub fn content_file(data: &[u8]) {
    static ROOT: OnceLock<PathBuf> = OnceLock::new();
    let root = ROOT.get_or_init(|| {
        let root = scratch("content");
        for (path, text) in [
            ("content/_index.md", "+++\ntitle = \"Beranda\"\n+++\n"),
            (
                "content/tips/_index.md",
                "+++\ntitle = \"Tips\"\nkind = \"tip\"\n+++\n",
            ),
            (
                "content/pelatihan/_index.md",
                "+++\ntitle = \"Pelatihan\"\nkind = \"workshop\"\n+++\n",
            ),
        ] {
            let p = root.join(path);
            std::fs::create_dir_all(p.parent().expect("has a folder")).expect("folder");
            std::fs::write(p, text).expect("write");
        }
        root
    });
    // The same bytes as a tip and as a workshop: both kinds' fields are read.
    for rel in ["content/tips/x.md", "content/pelatihan/x.md"] {
        std::fs::write(root.join(rel), data).expect("write the input");
    }
    let (content, diags) = content::load(root, config(), &LoadOptions { drafts: true });
    assert_no_internal_error(&diags.0);
    for d in &diags.0 {
        // Rendering a diagnostic must not panic either (spans, wide characters, folding).
        let _ = d.render(false);
    }
    let targets = link_targets(&content);
    for page in &content.pages {
        let mut diags = Vec::new();
        let r = markdown::render(
            &page.source,
            page.body_start,
            &page.url,
            &page.lang,
            &targets,
            &mut diags,
        );
        for d in &diags {
            let _ = d.render(false);
        }
        assert_inert(&r.html);
        assert_inert(r.summary.as_deref().unwrap_or_default());
    }
}

/// Panics when published HTML could run script (the sanitiser's promise).
fn assert_inert(html: &str) {
    if let Some(what) = crate::sanitize::dangerous(html) {
        panic!("unsafe HTML published: {what}\n{html}");
    }
}

fn link_targets(content: &content::Content) -> LinkTargets {
    LinkTargets {
        urls: content
            .pages
            .iter()
            .map(|p| (p.rel.clone(), p.url.clone()))
            .collect(),
        embeds: HashMap::from([(
            "id".to_string(),
            HashMap::from([
                (
                    "chart:x-tren".to_string(),
                    "<figure><svg></svg></figure>".to_string(),
                ),
                ("number:x-dampak".to_string(), "+5".to_string()),
            ]),
        )]),
        sanitize_html: true,
        layout_ids: vec!["isi".to_string()],
        drafts: Default::default(),
        unrendered: Default::default(),
        photos: Default::default(),
        shortcodes: None,
    }
}

/// `data` as the markdown body of a page: rendered with sanitising on, summary cut, then
/// minified and measured as a page is.
pub fn markdown_body(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let (source, _) =
        content::text::decode(PathBuf::from("content/x.md"), text.as_bytes().to_vec())
            .expect("lossy text is UTF-8");
    let targets = LinkTargets {
        urls: HashMap::from([("tips/a.md".to_string(), "/tips/a/".to_string())]),
        ..link_targets(&content::Content::default())
    };
    let mut diags = Vec::new();
    let r = markdown::render(&source, 0, "/x/", "id", &targets, &mut diags);
    for d in &diags {
        let _ = d.render(false);
    }
    assert_inert(&r.html);
    assert_inert(r.summary.as_deref().unwrap_or_default());
    let out = Output::new(
        Path::new("fuzz-output"),
        OutputOptions {
            minify: true,
            precompress: false,
            budget: u64::MAX,
            dry_run: true,
            brotli_quality: 1,
            gzip_level: 1,
            path_prefix: String::new(),
            portable: false,
        },
    )
    .expect("a dry run touches no disk");
    let page = format!(
        "<!doctype html><html><body><main>{}</main><aside>{}</aside></body></html>",
        r.html,
        r.summary.unwrap_or_default()
    );
    out.write_page("/x/", page, None)
        .expect("a page within budget");
}

/// `data` as the survey CSV of an impact report (id, wave, group, cluster, a continuous and a
/// binary outcome, a breakdown): read and validated, every unusable row reported. With
/// `estimate`, the impact is estimated on what was read as well (about ten times slower).
pub fn survey_csv(data: &[u8]) {
    survey(data, false);
}

/// [`survey_csv`] followed by the estimates.
pub fn survey_analysis(data: &[u8]) {
    survey(data, true);
}

fn survey(data: &[u8], estimate: bool) {
    static ROOT: OnceLock<PathBuf> = OnceLock::new();
    let root = ROOT.get_or_init(|| {
        let root = scratch("survey");
        std::fs::create_dir_all(root.join("data")).expect("data folder");
        std::fs::write(root.join("data/impact.toml"), SURVEY_TOML).expect("impact.toml");
        root
    });
    std::fs::write(root.join("data/survei.csv"), data).expect("write the input");
    let result = crate::common::diagnostics::catch_panic(root, "reading the survey in", || {
        let config = crate::impact::config::ImpactConfig::load(root)?.expect("impact.toml");
        let survey = crate::impact::load::load(root, &config)?;
        if estimate {
            crate::impact::analyse_survey(config, survey)?;
        }
        Ok::<(), crate::common::diagnostics::Diagnostics>(())
    });
    match result {
        Ok(Ok(())) => {}
        Ok(Err(ds)) => {
            assert_no_internal_error(&ds.0);
            let _ = ds.render(false);
        }
        Err(d) => panic!("{d}"),
    }
}

const SURVEY_TOML: &str = r#"
[survey]
files = ["survei.csv"]
id = "id"
wave = "gelombang"
waves = ["awal", "tengah", "akhir"]
pre = ["awal", "tengah"]
post = ["akhir"]
group = "kelompok"
treated = "peserta"
comparison = ["pembanding"]
cluster = "kelurahan"
threshold = 2
max_reject_share = 1.0

[[outcomes]]
id = "pendapatan"
column = "pendapatan"
type = "continuous"
range = [0, 1000000000]
label = { id = "Pendapatan" }

[[outcomes]]
id = "jual-online"
column = "jual_online"
type = "binary"
label = { id = "Jual online" }

[[breakdowns]]
column = "kecamatan"
label = { id = "Kecamatan" }
"#;

/// Runs `data` through every target (for saved regression inputs of any target).
pub fn all(data: &[u8]) {
    content_file(data);
    markdown_body(data);
    survey_analysis(data);
}
