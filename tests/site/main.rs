//! The one integration-test binary (linking is the slow part): fixture sites built through the
//! public API and the `berdaya` binary, and the browser and validator checks of the sample site.

mod build;
mod checks;
mod fuzz;
mod impact;
mod offline;
mod paths;
mod photos;
mod report_words;
mod search;
mod serve;
mod staggered;
mod support;
mod survey_data;
mod untrusted;
mod zola;
