//! The smallest program that reads a survey the way berdaya's impact pipeline does (polars'
//! lazy CSV and Parquet scans, text columns stripped and cast, batches streamed to a callback
//! by the streaming engine), with berdaya's polars features and release profile: how much of
//! the release binary's size polars takes before any of berdaya's own work. README,
//! Performance: `cargo build --release --example binary_floor`, then the size of
//! `target/release/examples/binary_floor`.
//!
//! Usage: binary_floor FILE.csv|FILE.parquet COLUMN

use polars::prelude::*;

fn main() -> PolarsResult<()> {
    let args: Vec<String> = std::env::args().collect();
    let (Some(file), Some(column)) = (args.get(1), args.get(2)) else {
        eprintln!("usage: binary_floor FILE.csv|FILE.parquet COLUMN");
        std::process::exit(2);
    };
    let path = PlRefPath::new(file);
    let lf = if file.ends_with(".parquet") {
        LazyFrame::scan_parquet(path, ScanArgsParquet::default())?
    } else {
        LazyCsvReader::new(path)
            .with_has_header(true)
            .with_infer_schema_length(Some(0))
            .finish()?
    };
    let rows = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let seen = rows.clone();
    lf.with_row_index("__row", None)
        .select([col(column.as_str())
            .cast(DataType::String)
            .str()
            .strip_chars(lit(NULL))
            .is_in(
                lit(Series::new("x".into(), ["ya", "tidak"])).implode(false),
                false,
            )
            .alias("v")])
        .sink_batches(
            PlanCallback::new(move |batch: DataFrame| {
                seen.fetch_add(batch.height(), std::sync::atomic::Ordering::Relaxed);
                Ok(false)
            }),
            true,
            None,
        )?
        .collect_with_engine(Engine::Streaming)?;
    println!("{} rows", rows.load(std::sync::atomic::Ordering::Relaxed));
    Ok(())
}
