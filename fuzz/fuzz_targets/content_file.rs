#![no_main]
//! See berdaya::fuzzing::content_file.

libfuzzer_sys::fuzz_target!(|data: &[u8]| berdaya::fuzzing::content_file(data));
