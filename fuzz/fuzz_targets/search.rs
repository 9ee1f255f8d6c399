//! Fuzz target: see `portico_fuzz::search`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| portico_fuzz::search(data));
