//! The command line: `berdaya build`, `serve`, `check` and `new`.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::build::{self, BuildOptions, BuildReport};
use crate::common::diagnostics::Diagnostics;
use crate::config::Config;
use crate::content::Kind;

/// The parsed command line: the site folder and the command to run.
#[derive(Parser, Debug)]
#[command(
    name = "berdaya",
    version,
    about = "Builds the Berdaya Tarakan information site"
)]
pub struct Cli {
    /// Site folder holding berdaya.toml, content/ and themes/.
    #[arg(long, global = true, default_value = ".")]
    pub root: PathBuf,
    /// The command to run.
    #[command(subcommand)]
    pub command: Command,
}

/// What `berdaya` is asked to do: build, serve, check or new.
#[derive(Subcommand, Debug)]
pub enum Command {
    /// Build the site into output/.
    Build {
        /// The options every building command takes: --drafts and --now.
        #[command(flatten)]
        site: SiteArgs,
        /// Output folder (default: ROOT/output, or ROOT/output-portable with --portable).
        #[arg(long)]
        output: Option<PathBuf>,
        /// Write a copy that opens from a folder, a zip or a memory card without a server:
        /// every internal link relative and naming an index.html file, no .gz/.br files.
        #[arg(long)]
        portable: bool,
    },
    /// Build, serve on http://127.0.0.1:1111/, and rebuild and reload pages on every save.
    Serve {
        /// The options every building command takes: --drafts and --now.
        #[command(flatten)]
        site: SiteArgs,
        /// Output folder (default: ROOT/output).
        #[arg(long)]
        output: Option<PathBuf>,
        /// Port to listen on.
        #[arg(long, default_value_t = 1111)]
        port: u16,
        /// Address to listen on; only this computer can connect unless you change it.
        #[arg(long, default_value = "127.0.0.1")]
        bind: std::net::IpAddr,
    },
    /// Validate front matter, links, templates and page sizes; write nothing.
    Check {
        /// The options every building command takes: --drafts and --now.
        #[command(flatten)]
        site: SiteArgs,
    },
    /// Create a new content file with valid front matter.
    New {
        /// What to create.
        kind: NewKind,
        /// Title; the file name is made from it.
        title: String,
    },
}

/// Options every building command takes.
#[derive(Args, Debug)]
pub struct SiteArgs {
    /// Include pages marked draft = true.
    #[arg(long)]
    pub drafts: bool,
    /// Build date, for reproducible builds, e.g. 2026-03-01T09:00+08:00 (default: now).
    #[arg(long)]
    pub now: Option<String>,
}

/// The kind of content file `berdaya new` creates.
#[derive(ValueEnum, Clone, Copy, Debug)]
pub enum NewKind {
    /// A tip, in the section of kind tip (else content/tips/).
    Tip,
    /// A workshop, in the section of kind workshop (else content/pelatihan/).
    Workshop,
    /// A success story, in the section of kind story (else content/kisah/).
    Story,
    /// A plain page, in the section of kind page (else directly in content/).
    Page,
}

fn print_diags(d: &Diagnostics) {
    let color = std::io::stderr().is_terminal();
    if !d.0.is_empty() {
        eprintln!("{}", d.render(color));
    }
}

/// `--now`; a time without offset is in the site's time zone (WITA when berdaya.toml is unreadable,
/// which the build then reports).
fn parse_now(
    text: Option<&str>,
    root: &std::path::Path,
) -> Result<Option<jiff::Timestamp>, String> {
    let offset = Config::load(root).map_or(8, |c| c.timezone.offset_hours);
    match text {
        None => Ok(None),
        Some(t) => crate::common::locale::parse_date(t, offset)
            .map(Some)
            .ok_or_else(|| {
                format!(
                    "--now `{t}` is not a date; {}",
                    crate::common::locale::DATE_FORMATS
                )
            }),
    }
}

/// Build options from the command line's shared flags; `--now` is checked here.
fn options(
    root: &std::path::Path,
    output: Option<PathBuf>,
    site: &SiteArgs,
) -> Result<BuildOptions, String> {
    Ok(BuildOptions {
        output,
        drafts: site.drafts,
        now: parse_now(site.now.as_deref(), root)?,
        ..BuildOptions::new(root)
    })
}

fn kb(bytes: u64) -> String {
    format!("{:.1} KB", bytes as f64 / 1024.0)
}

/// One-line summary of a build.
pub fn summary(r: &BuildReport, verb: &str) -> String {
    let heaviest = r
        .heaviest
        .iter()
        .map(|p| format!("/{} {}", p.path.trim_end_matches("index.html"), kb(p.gzip)))
        .collect::<Vec<_>>()
        .join(", ");
    let photos = if r.photos.photos == 0 {
        String::new()
    } else {
        // Translations of a bundle share their photo: encoding counts distinct photos.
        format!(
            "; {} photos ({} distinct: {} encoded, {} from the cache)",
            r.photos.photos,
            r.photos.encoded + r.photos.reused,
            r.photos.encoded,
            r.photos.reused
        )
    };
    format!(
        "{verb} {} pages ({} files, {:.1} MB) in {:.2} s; heaviest gzip: {heaviest} (budget {}){photos}",
        r.html_pages,
        r.files,
        r.bytes as f64 / 1_048_576.0,
        r.elapsed.as_secs_f64(),
        kb(r.budget)
    )
}

/// Runs the parsed command and returns the process's exit code: success, or 1 after the errors
/// are printed.
pub fn run(cli: Cli) -> ExitCode {
    let fail = |msg: String| {
        eprintln!("error: {msg}");
        ExitCode::from(1)
    };
    match cli.command {
        Command::Build {
            site,
            output,
            portable,
        } => match options(&cli.root, output, &site) {
            Ok(opts) => finish(
                build::build(&BuildOptions {
                    progress: std::io::stderr().is_terminal(),
                    portable,
                    ..opts
                }),
                "Built",
                "build failed; the output folder was left as it was",
            ),
            Err(e) => fail(e),
        },
        Command::Serve {
            site,
            output,
            port,
            bind,
        } => match options(&cli.root, output, &site) {
            Ok(build) => serve(crate::serve::ServeOptions {
                build,
                bind,
                port,
                verbose: true,
            }),
            Err(e) => fail(e),
        },
        Command::Check { site } => match options(&cli.root, None, &site) {
            Ok(opts) => finish(
                build::build(&BuildOptions {
                    check_only: true,
                    ..opts
                }),
                "Checked",
                "check found problems",
            ),
            Err(e) => fail(e),
        },
        Command::New { kind, title } => {
            let config = match Config::load(&cli.root) {
                Ok(c) => c,
                Err(d) => {
                    print_diags(&d);
                    return ExitCode::from(1);
                }
            };
            let kind = match kind {
                NewKind::Tip => Kind::Tip,
                NewKind::Workshop => Kind::Workshop,
                NewKind::Story => Kind::Story,
                NewKind::Page => Kind::Page,
            };
            match crate::scaffold::new_content(
                &cli.root,
                &config,
                kind,
                &title,
                jiff::Timestamp::now(),
            ) {
                Ok(path) => {
                    println!("Created {}", path.display());
                    ExitCode::SUCCESS
                }
                Err(d) => {
                    print_diags(&d.into());
                    ExitCode::from(1)
                }
            }
        }
    }
}

fn serve(opts: crate::serve::ServeOptions) -> ExitCode {
    let loopback = opts.bind.is_loopback();
    let server = match crate::serve::Server::start(opts) {
        Ok(s) => s,
        // A located diagnostic, rendered, or one line.
        Err(e) if e.starts_with("error:") => {
            eprintln!("{e}");
            return ExitCode::from(1);
        }
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(1);
        }
    };
    println!(
        "Serving at http://{}{}/ — pages reload when you save a file. Ctrl-C stops.",
        server.addr, server.prefix
    );
    if !loopback {
        eprintln!("warning: other computers on the network can open this preview");
    }
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(1);
        }
    };
    let _ = runtime.block_on(tokio::signal::ctrl_c());
    server.stop();
    println!("Stopped.");
    ExitCode::SUCCESS
}

fn finish(result: Result<BuildReport, Diagnostics>, verb: &str, failed: &str) -> ExitCode {
    match result {
        Ok(report) => {
            print_diags(&report.warnings);
            println!("{}", summary(&report, verb));
            ExitCode::SUCCESS
        }
        Err(diags) => {
            print_diags(&diags);
            // Unless the swap itself failed half-way: its error says where the last build is.
            let failed = match failed.split_once(';') {
                Some((what, _)) if diags.0.iter().any(crate::output::moved_away) => what,
                _ => failed,
            };
            eprintln!("error: {failed} ({})", diags.tally());
            ExitCode::from(1)
        }
    }
}
