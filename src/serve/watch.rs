//! File watching: notify's events, gathered while an editor is still saving (a few
//! milliseconds of quiet), become one incremental rebuild and one message to open pages.

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use notify::event::{AccessKind, AccessMode};
use notify::{EventKind, RecursiveMode, Watcher};
use tokio::sync::watch as channel;

use super::http::Status;
use crate::build::Session;

/// Quiet time that ends a burst of events from one save.
const QUIET: Duration = Duration::from_millis(5);
/// Quiet time that ends a burst once every file written in it was closed.
const CLOSED: Duration = Duration::from_millis(1);
/// Longest wait for a burst to end, so a busy folder still rebuilds.
const MAX_WAIT: Duration = Duration::from_millis(150);
/// Folders of a site that are watched recursively.
const WATCHED: &[&str] = crate::output::SOURCE_FOLDERS;

/// True for events that may change a file's content or existence.
fn relevant(kind: &EventKind) -> bool {
    match kind {
        EventKind::Access(AccessKind::Close(AccessMode::Write)) => true,
        EventKind::Access(_) => false,
        _ => true,
    }
}

/// The files of a burst written and not yet closed. Systems that report a file closed after
/// writing (Linux) let a save end without the quiet time; elsewhere no write is ever seen
/// closed, and the quiet time ends every burst.
#[derive(Default)]
struct Writes {
    open: BTreeSet<PathBuf>,
    closed: bool,
}

impl Writes {
    /// Takes one event in; `site_file` tells the files a rebuild reads (not an editor's probe
    /// or temporary file, whose closing says nothing of the save's end).
    fn see(&mut self, e: &notify::Event, site_file: impl Fn(&std::path::Path) -> bool) {
        use notify::event::{CreateKind, ModifyKind};
        match e.kind {
            EventKind::Access(AccessKind::Close(AccessMode::Write)) => {
                for p in &e.paths {
                    self.open.remove(p);
                    self.closed |= site_file(p);
                }
            }
            EventKind::Create(CreateKind::File | CreateKind::Any)
            | EventKind::Modify(ModifyKind::Data(_) | ModifyKind::Any) => {
                self.open.extend(e.paths.iter().cloned());
            }
            // Removals, renames and changes of metadata are whole when reported.
            _ => {}
        }
    }

    /// True once a site file written was closed and no file is still open for writing.
    fn all_closed(&self) -> bool {
        self.closed && self.open.is_empty()
    }
}

/// Watches the site and rebuilds on changes until `stop` is set; `reporter` follows what the
/// rounds print, and `verbose` prints it.
pub fn spawn(
    mut session: Session,
    status: channel::Sender<Arc<Status>>,
    stop: Arc<AtomicBool>,
    mut reporter: super::Reporter,
    verbose: bool,
) -> Result<JoinHandle<()>, String> {
    let root = session.root().to_path_buf();
    // The system names changed files under the folder as it resolved it (absolute, links
    // followed), whatever form the site folder was given in (`.` when `serve` runs inside it):
    // such paths are mapped back under `root`, which the rebuild classifies them against.
    // Both the resolved folder and the folder as the system may spell it (the current folder
    // joined with the root as given, `..` and links left in) are mapped.
    let resolved = root.canonicalize().unwrap_or_else(|_| root.clone());
    let joined = std::env::current_dir()
        .map(|d| d.join(&root))
        .unwrap_or_else(|_| root.clone());
    let under_root = {
        let root = root.clone();
        move |p: PathBuf| -> PathBuf {
            if p.starts_with(&root) {
                return p;
            }
            // The folder as given first: from a folder inside the site (`--root ..`), the
            // resolved folder is also a prefix of `/site/content/../content/x.md`, and would
            // leave `content/..` in the path.
            match p
                .strip_prefix(&joined)
                .or_else(|_| p.strip_prefix(&resolved))
            {
                Ok(rel) => root.join(rel),
                Err(_) => p,
            }
        }
    };
    let (tx, rx) = mpsc::channel::<notify::Result<notify::Event>>();
    let mut watcher = notify::recommended_watcher(tx)
        .map_err(|e| format!("cannot watch {}: {e}", root.display()))?;
    // The site folder itself for berdaya.toml and for watched folders created later.
    watcher
        .watch(&root, RecursiveMode::NonRecursive)
        .map_err(|e| format!("cannot watch {}: {e}", root.display()))?;
    for dir in WATCHED {
        let path = root.join(dir);
        if path.is_dir() {
            watcher
                .watch(&path, RecursiveMode::Recursive)
                .map_err(|e| format!("cannot watch {}: {e}", path.display()))?;
        }
    }
    std::thread::Builder::new()
        .name("berdaya-watch".into())
        .spawn(move || {
            while !stop.load(Ordering::SeqCst) {
                let first = match rx.recv_timeout(Duration::from_millis(100)) {
                    Ok(e) => e,
                    Err(mpsc::RecvTimeoutError::Timeout) => continue,
                    Err(mpsc::RecvTimeoutError::Disconnected) => return,
                };
                let started = Instant::now();
                let mut paths = BTreeSet::new();
                let mut writes = Writes::default();
                let theme = session.theme_name().unwrap_or("default").to_string();
                let site_file = |p: &std::path::Path| {
                    super::classify(&root, &theme, &under_root(p.to_path_buf())).is_some()
                };
                let add = |e: notify::Result<notify::Event>,
                           paths: &mut BTreeSet<PathBuf>,
                           writes: &mut Writes| {
                    if let Ok(e) = e
                        && relevant(&e.kind)
                    {
                        writes.see(&e, site_file);
                        paths.extend(e.paths.into_iter().map(&under_root));
                    }
                };
                add(first, &mut paths, &mut writes);
                while started.elapsed() < MAX_WAIT {
                    // Once every file written has been closed, the save is complete: the burst
                    // ends after a short grace for a next file of the same save (save all, a
                    // rename into place) rather than the quiet time.
                    let wait = if writes.all_closed() { CLOSED } else { QUIET };
                    match rx.recv_timeout(wait) {
                        Ok(e) => add(e, &mut paths, &mut writes),
                        Err(_) => break,
                    }
                }
                // An editor that creates a file before writing it leaves it empty for a moment
                // (longer on a busy machine): wait for the write, up to MAX_WAIT, rather than
                // report a page without front matter.
                let empty = |paths: &BTreeSet<PathBuf>| {
                    paths
                        .iter()
                        .any(|p| p.metadata().is_ok_and(|m| m.is_file() && m.len() == 0))
                };
                while started.elapsed() < MAX_WAIT && empty(&paths) {
                    match rx.recv_timeout(QUIET) {
                        Ok(e) => {
                            if let Ok(e) = e
                                && relevant(&e.kind)
                            {
                                paths.extend(e.paths.into_iter().map(&under_root));
                            }
                        }
                        Err(mpsc::RecvTimeoutError::Timeout) => {}
                        Err(mpsc::RecvTimeoutError::Disconnected) => break,
                    }
                }
                // A watched folder created after start (e.g. data/) is watched from now on.
                for p in &paths {
                    if p.parent() == Some(root.as_path())
                        && p.is_dir()
                        && p.file_name()
                            .is_some_and(|n| WATCHED.contains(&n.to_string_lossy().as_ref()))
                    {
                        let _ = watcher.watch(p, RecursiveMode::Recursive);
                    }
                }
                let paths: Vec<PathBuf> = paths
                    .into_iter()
                    .filter(|p| super::classify(&root, &theme, p).is_some())
                    .collect();
                if paths.is_empty() {
                    continue;
                }
                let round = session.rebuild(&paths);
                let was_error = status.borrow().error.is_some();
                let report = reporter.next(&round, "Rebuilt");
                if !report.news && !was_error {
                    continue;
                }
                if verbose {
                    report.print(round.ok());
                }
                status.send_modify(|s| {
                    *s = Arc::new(s.next(
                        round.changed_urls(),
                        (!round.ok()).then(|| round.diags.render(false)),
                    ));
                });
            }
        })
        .map_err(|e| format!("cannot start the watcher thread: {e}"))
}
