//! The impact report, the second pipeline: `data/impact.toml` and the survey files → validated
//! rows (polars' streaming engine, [`load`] with [`checks`], coded batch by batch in `collect`;
//! spreadsheets through [`sheet`]) → estimates ([`analysis`], [`estimate`], [`stats`], [`bootstrap`], [`event_study`], [`staggered`]) → disclosure
//! control ([`privacy`]) → charts ([`charts`]) and the privacy-safe page views and CSV
//! downloads of each language ([`report`]). The site sees only [`report`]'s views.

pub mod analysis;
pub mod bootstrap;
pub mod charts;
pub mod checks;
mod collect;
pub mod config;
pub mod estimate;
pub mod event_study;
mod file_checks;
pub mod load;
pub mod privacy;
pub mod rejects;
pub mod report;
pub mod sample;
pub mod sheet;
pub mod staggered;
pub mod stats;
pub mod waves;

pub use analysis::*;
