#![no_main]
//! See berdaya::fuzzing::survey_analysis.

libfuzzer_sys::fuzz_target!(|data: &[u8]| berdaya::fuzzing::survey_analysis(data));
