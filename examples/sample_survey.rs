//! Writes the synthetic sample survey (see `berdaya::impact::sample`).
//!
//! `cargo run --example sample_survey -- data/survei.csv` writes the shipped file;
//! `cargo run --release --example sample_survey -- DIR/big.csv 1000000` a benchmark survey of
//! about that many rows. Deterministic: the same arguments give the same file.

fn main() {
    let mut args = std::env::args().skip(1);
    let path = args.next().unwrap_or_else(|| "data/survei.csv".into());
    let rows: usize = args
        .next()
        .map_or(12_000, |n| n.parse().expect("ROWS is a number"));
    if let Some(parent) = std::path::Path::new(&path).parent() {
        std::fs::create_dir_all(parent).unwrap();
    }
    std::fs::write(&path, berdaya::impact::sample::generate(rows)).unwrap();
    eprintln!("wrote {path}");
}
