//! Orchestration shared by `build`, `check` and `serve`: what to build ([`BuildOptions`]), one
//! loader for configuration, theme, content and the impact analysis ([`load`]), a full build
//! ([`build()`]), and the incremental builds of `serve` ([`session`]).

pub mod load;
pub mod session;

use std::path::PathBuf;
use std::time::{Duration, Instant};

use jiff::Timestamp;

use crate::common::diagnostics::{Diagnostics, catch_panic};
use crate::output::{Output, PageSize};
pub use load::{Parts, load_site};
pub use session::Session;

/// What to build and how.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    /// The site's folder, holding `berdaya.toml`, `content/` and the themes.
    pub root: PathBuf,
    /// Output folder; `root/output` when `None`.
    pub output: Option<PathBuf>,
    /// Include pages and sections marked `draft = true` in front matter.
    pub drafts: bool,
    /// The build's "now" (which workshops are upcoming, feed dates); the clock when `None`.
    pub now: Option<Timestamp>,
    /// Validate and measure only: write nothing.
    pub check_only: bool,
    /// Show a progress bar on an interactive terminal.
    pub progress: bool,
    /// Write a portable copy: relative addresses ending in `index.html`, no `.gz`/`.br`, into
    /// `root/output-portable` unless `output` is given (see [`crate::output::portable_links`]).
    pub portable: bool,
}

impl BuildOptions {
    /// Options for a plain build of the site in `root`: into `root/output`, without drafts, at
    /// the clock's time, writing files, with no progress bar.
    pub fn new(root: impl Into<PathBuf>) -> Self {
        BuildOptions {
            root: root.into(),
            output: None,
            drafts: false,
            now: None,
            check_only: false,
            progress: false,
            portable: false,
        }
    }
}

/// What a successful build did.
#[derive(Debug)]
pub struct BuildReport {
    /// HTML pages written.
    pub html_pages: usize,
    /// Files written, compressed siblings not counted.
    pub files: usize,
    /// Bytes written, in bytes.
    pub bytes: u64,
    /// Wall time of the build.
    pub elapsed: Duration,
    /// Heaviest pages by gzip size, heaviest first.
    pub heaviest: Vec<PageSize>,
    /// Largest allowed gzip-compressed size of one HTML page, in bytes.
    pub budget: u64,
    /// The build's warnings, sorted and without duplicates; a report means there were no errors.
    pub warnings: Diagnostics,
    /// Compressed files reused from the previous build.
    pub reused: usize,
    /// The output folder the build was put in (nothing is written there for `check`).
    pub output: PathBuf,
    /// Photos published, encoded and taken from the cache.
    pub photos: crate::site::PhotoStats,
}

/// Builds the site; on any error the previous output is left as it was, except when the swap
/// itself fails half-way: then the error says where the last build is (see
/// [`crate::output::moved_away`]), and the next build moves it back first.
pub fn build(opts: &BuildOptions) -> Result<BuildReport, Diagnostics> {
    let started = Instant::now();
    let out_dir = opts.output.clone().unwrap_or_else(|| {
        opts.root.join(if opts.portable {
            "output-portable"
        } else {
            "output"
        })
    });
    if !opts.check_only {
        crate::output::prepare_output_folder(&opts.root, &out_dir)?;
    }
    let (site, mut diags) = load_site(opts)?;
    let budget = site.config().page_budget_bytes();
    let mut output_options = site.output_options(opts.check_only);
    if opts.portable {
        output_options.portable = true;
        output_options.precompress = false;
        output_options.path_prefix = String::new();
    }
    let output = Output::new(&out_dir, output_options)
        .map_err(Diagnostics::from)?
        .reusing_compressed(&site.cache_dir(), true);
    let rendered = catch_panic(&opts.root, "building the site in", || {
        site.render_all(&output, opts.progress)
    });
    diags.extend(rendered.unwrap_or_else(|d| vec![d]));
    diags.sort_and_dedup();
    if diags.has_errors() {
        output.abandon();
        return Err(diags);
    }
    let mut sizes = output.page_sizes();
    sizes.sort_by(|a, b| b.gzip.cmp(&a.gzip).then_with(|| a.path.cmp(&b.path)));
    let report = BuildReport {
        html_pages: sizes.len(),
        files: output.files_written(),
        bytes: output.bytes_written(),
        elapsed: Duration::ZERO,
        heaviest: sizes
            .into_iter()
            .take(site.config().build.report_heaviest)
            .collect(),
        budget,
        warnings: diags,
        reused: output.compressed_reused(),
        output: out_dir,
        photos: site.photo_stats(),
    };
    output.commit().map_err(Diagnostics::from)?;
    Ok(BuildReport {
        elapsed: started.elapsed(),
        ..report
    })
}
