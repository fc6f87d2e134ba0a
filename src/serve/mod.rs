//! `berdaya serve`: builds the site, serves it, watches the site's files and rebuilds only what
//! a change affects, then tells open pages to reload (or shows the error on them).
//!
//! [`session`] does the incremental builds, [`watch`] turns file events into rebuilds, and
//! [`http`] serves the output folder with live reload.

pub mod http;
pub mod watch;

use std::io::IsTerminal;
use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread::JoinHandle;

pub use crate::build::session::{FileChange, Round, Session, classify};
pub use http::Status;
use tokio::sync::watch as channel;

use crate::build::BuildOptions;
use crate::common::diagnostics::Diagnostics;

/// How to serve.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// What each build reads and where it writes; the same options as `build` takes.
    pub build: BuildOptions,
    /// Address to listen on; a loopback address lets only this computer connect.
    pub bind: IpAddr,
    /// 0 picks a free port.
    pub port: u16,
    /// Print build results to the terminal.
    pub verbose: bool,
}

/// A running dev server.
pub struct Server {
    /// The address the server listens on, with the port actually bound (a free one when 0 was
    /// asked for).
    pub addr: SocketAddr,
    /// The path the site is served under (`/berdaya`), empty at the root.
    pub prefix: String,
    status: channel::Sender<Arc<Status>>,
    stop: Arc<AtomicBool>,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
    http: Option<JoinHandle<()>>,
    watcher: Option<JoinHandle<()>>,
}

impl Server {
    /// Builds the site, then serves and watches it in background threads. Errors when the
    /// output folder may not be built into (see [`crate::output::prepare_output_folder`]: then
    /// nothing is served), the address cannot be bound or the files cannot be watched; a
    /// failing build keeps serving.
    pub fn start(opts: ServeOptions) -> Result<Server, String> {
        let mut session = Session::new(opts.build.clone());
        crate::output::prepare_output_folder(&opts.build.root, session.output_dir())
            .map_err(|d| d.render(false))?;
        let round = session.full();
        let mut reporter = Reporter::default();
        // Followed when quiet too: a later round shows only what is new.
        let report = reporter.next(&round, "Built");
        if opts.verbose {
            report.print(round.ok());
        }
        let initial = Status::default().next(
            round.changed_urls(),
            (!round.ok()).then(|| round.diags.render(false)),
        );
        let (tx, rx) = channel::channel(Arc::new(initial));
        let addr = SocketAddr::new(opts.bind, opts.port);
        let listener = std::net::TcpListener::bind(addr)
            .map_err(|e| format!("cannot listen on {addr}: {e}; try another --port"))?;
        listener
            .set_nonblocking(true)
            .map_err(|e| format!("cannot listen on {addr}: {e}"))?;
        let addr = listener
            .local_addr()
            .map_err(|e| format!("cannot listen on {addr}: {e}"))?;
        let prefix = session.path_prefix();
        let router = http::router(session.output_dir().to_path_buf(), &prefix, rx);
        let (shutdown_tx, shutdown_rx) = tokio::sync::oneshot::channel::<()>();
        let http = std::thread::Builder::new()
            .name("berdaya-http".into())
            .spawn(move || {
                let runtime = tokio::runtime::Builder::new_multi_thread()
                    .worker_threads(2)
                    .enable_all()
                    .build()
                    .expect("tokio runtime");
                runtime.block_on(async move {
                    let listener =
                        tokio::net::TcpListener::from_std(listener).expect("tokio listener");
                    let _ = axum::serve(listener, router)
                        .with_graceful_shutdown(async {
                            let _ = shutdown_rx.await;
                        })
                        .await;
                });
            })
            .map_err(|e| format!("cannot start the server thread: {e}"))?;
        let stop = Arc::new(AtomicBool::new(false));
        let watcher = watch::spawn(session, tx.clone(), stop.clone(), reporter, opts.verbose)?;
        Ok(Server {
            prefix,
            addr,
            status: tx,
            stop,
            shutdown: Some(shutdown_tx),
            http: Some(http),
            watcher: Some(watcher),
        })
    }

    /// The current state pages see.
    pub fn status(&self) -> Arc<Status> {
        self.status.borrow().clone()
    }

    /// Stops watching and serving; open event streams end, so pages just try to reconnect.
    pub fn stop(mut self) {
        self.halt();
    }

    fn halt(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        self.status.send_modify(|s| {
            let mut next = (**s).clone();
            next.closing = true;
            *s = Arc::new(next);
        });
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        for handle in [self.watcher.take(), self.http.take()]
            .into_iter()
            .flatten()
        {
            let _ = handle.join();
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.halt();
    }
}

/// What `serve` prints after each round, as `build` prints its result. Errors are printed in
/// full every round (nothing is published until they are fixed). A warning is printed in full
/// in the first round that has it and after that only counted, so a save shows what it changed,
/// not the survey's warnings again; a warning that goes away and comes back is printed again.
#[derive(Debug, Default)]
pub struct Reporter {
    /// The last round's warnings, rendered without colour.
    warnings: std::collections::HashSet<String>,
}

/// What one round prints.
#[derive(Debug)]
pub struct Report {
    /// Printed in full: every error, and the warnings no earlier round printed.
    pub shown: Diagnostics,
    /// The one-line summary: the time and files written, or why nothing was.
    pub summary: String,
    /// True when the round has something to show: it failed, changed files, or brought a
    /// warning (a save that changes no output may add one, such as an unknown key).
    pub news: bool,
}

impl Reporter {
    /// The report of `round`, a build or rebuild (`verb`: "Built", "Rebuilt").
    pub fn next(&mut self, round: &Round, verb: &str) -> Report {
        let mut shown = Diagnostics::default();
        let mut warnings = std::collections::HashSet::new();
        let mut repeated = 0;
        for d in &round.diags.0 {
            if d.is_error() {
                shown.push(d.clone());
                continue;
            }
            let text = d.render(false);
            if self.warnings.contains(&text) {
                repeated += 1;
            } else {
                shown.push(d.clone());
            }
            warnings.insert(text);
        }
        self.warnings = warnings;
        let not_repeated = match repeated {
            0 => String::new(),
            1 => "; 1 warning as before, not shown again".to_string(),
            n => format!("; {n} warnings as before, not shown again"),
        };
        let summary = if round.ok() {
            let pages = round
                .changed
                .iter()
                .filter(|f| f.ends_with(".html"))
                .count();
            format!(
                "{verb} in {:.0} ms: {} written or removed ({}){not_repeated}",
                round.elapsed.as_secs_f64() * 1000.0,
                counted(round.changed.len(), "file"),
                counted(pages, "page"),
            )
        } else {
            format!(
                "error: build failed ({}){not_repeated}; still serving the last good output",
                round.diags.tally()
            )
        };
        let news = !round.ok() || !round.changed.is_empty() || !shown.0.is_empty();
        Report {
            shown,
            summary,
            news,
        }
    }
}

impl Report {
    /// Prints the diagnostics to standard error, then the summary: to standard output after a
    /// round that succeeded (`ok`), to standard error after one that failed.
    pub fn print(&self, ok: bool) {
        if !self.shown.0.is_empty() {
            eprintln!("{}", self.shown.render(std::io::stderr().is_terminal()));
        }
        if ok {
            println!("{}", self.summary);
        } else {
            eprintln!("{}", self.summary);
        }
    }
}

/// `1 file`, `3 files`.
fn counted(n: usize, what: &str) -> String {
    format!("{n} {what}{}", if n == 1 { "" } else { "s" })
}
