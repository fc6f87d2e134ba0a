//! Impact-pipeline benchmark: the whole pipeline (read, validate, estimate, break down, draw the
//! charts of both languages) on generated surveys of growing size, from CSV and from Parquet.
//! Prints the median of several runs and the process's peak memory so far.
//!
//! `cargo run --release --example bench_impact -- DIR [ROWS,ROWS,...] [RUNS] [DESIGN]`
//! (default 10000,100000,1000000 rows, 5 runs and the sample's `2x2` design; DIR on tmpfs, e.g.
//! /dev/shm/berdaya-impact). DESIGN `pooled`, `event-study` or `staggered` runs that design on
//! the same survey; for `staggered` the participants of half the kelurahan start in 2025 and
//! the others in 2026 (a `mulai` column is added).

use std::path::Path;
use std::time::Instant;

use polars::prelude::*;

fn peak_mb() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find(|l| l.starts_with("VmHWM:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|kb| kb.parse::<u64>().ok())
        .map_or(0, |kb| kb / 1024)
}

fn site(root: &Path, file: &str, design: &str) {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut toml = std::fs::read_to_string(repo.join("data/impact.toml"))
        .unwrap()
        .replace("survei.csv", file);
    if design != "2x2" {
        toml = toml.replace(
            "cluster = \"kelurahan\"",
            &format!("cluster = \"kelurahan\"\ndesign = \"{design}\""),
        );
    }
    if design == "staggered" {
        toml = toml.replace(
            "pre = [\"2024\", \"2025\"]\npost = [\"2026\"]",
            "pre = [\"2024\"]\npost = [\"2025\", \"2026\"]\nstart = \"mulai\"",
        );
        assert!(toml.contains("start = "), "the sample's waves changed");
    }
    std::fs::create_dir_all(root.join("data")).unwrap();
    std::fs::write(root.join("data/impact.toml"), toml).unwrap();
}

fn main() {
    let mut args = std::env::args().skip(1);
    let dir = args
        .next()
        .expect("usage: bench_impact DIR [ROWS,...] [RUNS]");
    let sizes: Vec<usize> = args
        .next()
        .unwrap_or_else(|| "10000,100000,1000000".into())
        .split(',')
        .map(|n| n.parse().unwrap())
        .collect();
    let runs: usize = args.next().map_or(5, |n| n.parse().unwrap());
    let design = args.next().unwrap_or_else(|| "2x2".into());
    let dir = Path::new(&dir);
    println!(
        "{:>9} {:>8} {:>10} {:>10} {:>10} {:>8}",
        "rows", "format", "median s", "min s", "max s", "peak MB"
    );
    for rows in sizes {
        let (csv_site, pq_site) = (
            dir.join(format!("csv-{rows}")),
            dir.join(format!("parquet-{rows}")),
        );
        site(&csv_site, "survei.csv", &design);
        site(&pq_site, "survei.parquet", &design);
        let mut text = berdaya::impact::sample::generate(rows);
        if design == "staggered" {
            text = with_start(&text);
        }
        std::fs::write(csv_site.join("data/survei.csv"), &text).unwrap();
        // The same rows as Parquet, every column as text as a survey tool would export it.
        let mut df = CsvReadOptions::default()
            .with_infer_schema_length(Some(0))
            .into_reader_with_file_handle(std::io::Cursor::new(text.into_bytes()))
            .finish()
            .unwrap();
        let file = std::fs::File::create(pq_site.join("data/survei.parquet")).unwrap();
        ParquetWriter::new(file).finish(&mut df).unwrap();
        drop(df);
        // The report's words, from the default theme.
        let strings: toml::Table = toml::from_str(
            &std::fs::read_to_string(
                std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default/i18n.toml"),
            )
            .unwrap(),
        )
        .unwrap();
        for (format, root) in [("csv", &csv_site), ("parquet", &pq_site)] {
            let mut times = Vec::new();
            let mut phases = [0.0f64; 3];
            for _ in 0..runs {
                let start = Instant::now();
                let config = berdaya::impact::config::ImpactConfig::load(root)
                    .unwrap()
                    .unwrap();
                let survey = berdaya::impact::load::load(root, &config).unwrap();
                let loaded = start.elapsed().as_secs_f64();
                let analysis = berdaya::impact::analyse_survey(config, survey).unwrap();
                let estimated = start.elapsed().as_secs_f64();
                for (lang, prefix) in [("id", ""), ("en", "/en")] {
                    let words = |key: &str| word(&strings, lang, key);
                    let language = berdaya::impact::report::Language {
                        code: lang,
                        default: "id",
                        prefix,
                        words: &words,
                    };
                    std::hint::black_box(berdaya::impact::report::build(&analysis, &language));
                }
                let total = start.elapsed().as_secs_f64();
                times.push(total);
                phases[0] += loaded / runs as f64;
                phases[1] += (estimated - loaded) / runs as f64;
                phases[2] += (total - estimated) / runs as f64;
            }
            times.sort_by(|a, b| a.partial_cmp(b).unwrap());
            println!(
                "{rows:>9} {format:>8} {:>10.3} {:>10.3} {:>10.3} {:>8}   (mean: read+validate {:.3}, estimate {:.3}, report+charts {:.3})",
                times[times.len() / 2],
                times[0],
                times[times.len() - 1],
                peak_mb(),
                phases[0],
                phases[1],
                phases[2]
            );
        }
    }
}

/// The survey with a `mulai` column: participants of kelurahan with an even-length name start
/// in 2025, the others in 2026; the comparison group has none.
fn with_start(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    for (i, line) in text.lines().enumerate() {
        out.push_str(line);
        let fields: Vec<&str> = line.split(',').collect();
        out.push_str(match (i, fields.get(2), fields.get(4)) {
            (0, _, _) => ",mulai",
            (_, Some(&"peserta"), Some(k)) if k.len() % 2 == 0 => ",2025",
            (_, Some(&"peserta"), _) => ",2026",
            _ => ",",
        });
        out.push('\n');
    }
    out
}

/// A word of the theme's `i18n.toml` in `lang`, falling back to Indonesian, then the key.
fn word(strings: &toml::Table, lang: &str, key: &str) -> String {
    [lang, "id"]
        .iter()
        .find_map(|l| strings.get(*l)?.get(key)?.as_str())
        .unwrap_or(key)
        .to_string()
}
