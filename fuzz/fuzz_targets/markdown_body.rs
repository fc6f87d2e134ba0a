#![no_main]
//! See berdaya::fuzzing::markdown_body.

libfuzzer_sys::fuzz_target!(|data: &[u8]| berdaya::fuzzing::markdown_body(data));
