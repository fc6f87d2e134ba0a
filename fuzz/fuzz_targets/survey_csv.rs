#![no_main]
//! See berdaya::fuzzing::survey_csv.

libfuzzer_sys::fuzz_target!(|data: &[u8]| berdaya::fuzzing::survey_csv(data));
