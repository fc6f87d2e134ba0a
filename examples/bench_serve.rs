//! Serve benchmark: on a generated site (see `bench_corpus`) served by `berdaya serve`, the time
//! from saving a file to the reload message reaching an open page, which is sent after the new
//! output was written. Measures a page edit, two template edits and a survey-data edit.
//!
//! `cargo run --release --example bench_serve -- SITE [RUNS]` (SITE is bench_corpus's
//! `DIR/berdaya`; RUNS defaults to 21). `bench/serve.sh` does both steps.

use std::io::{BufRead, BufReader, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::Path;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use berdaya::build::BuildOptions;
use berdaya::serve::{ServeOptions, Server};

/// Reload and error messages with the time they arrived.
fn listen(addr: SocketAddr) -> mpsc::Receiver<(Instant, String)> {
    let (tx, rx) = mpsc::channel();
    let mut s = TcpStream::connect(addr).unwrap();
    write!(
        s,
        "GET /__berdaya/events HTTP/1.1\r\nHost: bench\r\nAccept: text/event-stream\r\n\r\n"
    )
    .unwrap();
    std::thread::spawn(move || {
        for line in BufReader::new(s).lines() {
            let Ok(line) = line else { return };
            if let Some(data) = line.strip_prefix("data: ")
                && tx.send((Instant::now(), data.to_string())).is_err()
            {
                return;
            }
        }
    });
    std::thread::sleep(Duration::from_millis(300));
    rx
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

/// Saves `runs` edits of `file` (each makes new text with `edit(i)`) and measures the time to
/// a reload message naming `url` (or the first reload message).
fn measure(
    name: &str,
    root: &Path,
    file: &str,
    url: Option<&str>,
    runs: usize,
    rx: &mpsc::Receiver<(Instant, String)>,
    edit: &dyn Fn(&str, usize) -> String,
) {
    let path = root.join(file);
    let original = std::fs::read_to_string(&path).unwrap();
    let mut times = Vec::new();
    for i in 0..runs {
        while rx.try_recv().is_ok() {}
        let text = edit(&original, i);
        let t0 = Instant::now();
        std::fs::write(&path, &text).unwrap();
        loop {
            let (at, msg) = rx
                .recv_timeout(Duration::from_secs(120))
                .expect("a reload message");
            assert!(!msg.contains("\"error\":\""), "build failed: {msg}");
            if url.is_none_or(|u| msg.contains(&format!("\"{u}\""))) {
                times.push((at - t0).as_secs_f64() * 1000.0);
                break;
            }
        }
        std::thread::sleep(Duration::from_millis(150));
    }
    // Restore the file and wait for that rebuild before the next measurement.
    std::fs::write(&path, &original).unwrap();
    let _ = rx.recv_timeout(Duration::from_secs(120));
    std::thread::sleep(Duration::from_millis(300));
    while rx.try_recv().is_ok() {}
    let min = times.iter().copied().fold(f64::INFINITY, f64::min);
    let max = times.iter().copied().fold(0.0, f64::max);
    println!(
        "{name:<44} median {:8.1} ms   min {min:8.1}   max {max:8.1}   ({runs} saves)",
        median(times)
    );
}

fn main() {
    let mut args = std::env::args().skip(1);
    let site = args.next().expect("usage: bench_serve SITE [RUNS]");
    let runs: usize = args
        .next()
        .map_or(21, |n| n.parse().expect("RUNS is a number"));
    let root = Path::new(&site);
    // The sample survey, so that a data change has a report to update.
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    std::fs::create_dir_all(root.join("data")).unwrap();
    for f in ["impact.toml", "survei.csv"] {
        std::fs::copy(repo.join("data").join(f), root.join("data").join(f)).unwrap();
    }
    let started = Instant::now();
    let server = Server::start(ServeOptions {
        build: BuildOptions {
            output: Some(root.join("../out-serve")),
            now: berdaya::common::locale::parse_date("2026-03-01T09:00+08:00", 8),
            ..BuildOptions::new(root)
        },
        bind: "127.0.0.1".parse().unwrap(),
        port: 0,
        verbose: std::env::var_os("BENCH_VERBOSE").is_some(),
    })
    .unwrap();
    assert!(
        server.status().error.is_none(),
        "{:?}",
        server.status().error
    );
    let pages = walkdir::WalkDir::new(root.join("content"))
        .into_iter()
        .flatten()
        .filter(|e| e.path().extension().is_some_and(|x| x == "md"))
        .count();
    println!(
        "site: {pages} markdown files; first build and start: {:.2} s",
        started.elapsed().as_secs_f64()
    );
    let rx = listen(server.addr);

    measure(
        "page edit (body), save -> reload sent",
        root,
        "content/blog/p05000.md",
        Some("/blog/p05000/"),
        runs,
        &rx,
        &|text, i| text.replacen("\n\n", &format!("\n\nSunting {i}.\n\n"), 1),
    );
    measure(
        "page edit (title), save -> reload sent",
        root,
        "content/blog/p05000.md",
        Some("/blog/p05000/"),
        runs,
        &rx,
        &|text, i| text.replacen("title = \"", &format!("title = \"{i} "), 1),
    );
    let few = runs.min(7);
    measure(
        "template used by listings (partials/pager)",
        root,
        "themes/default/templates/partials/pager.html",
        Some("/blog/"),
        few,
        &rx,
        &|text, i| text.replacen("class=\"pager\"", &format!("class=\"pager p{i}\""), 1),
    );
    measure(
        "template used by every page (page.html)",
        root,
        "themes/default/templates/page.html",
        Some("/blog/p05000/"),
        few,
        &rx,
        &|text, i| text.replacen("<article", &format!("<article data-v=\"{i}\""), 1),
    );
    measure(
        "survey data (data/survei.csv)",
        root,
        "data/survei.csv",
        None,
        few,
        &rx,
        &|text, i| {
            // Change the first respondent's income.
            let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
            let n = 1;
            let mut cols: Vec<String> = lines[n].split(',').map(str::to_string).collect();
            cols[8] = (1_000_000 + 50_000 * (i + 1)).to_string();
            lines[n] = cols.join(",");
            lines.join("\n") + "\n"
        },
    );
    server.stop();
}
