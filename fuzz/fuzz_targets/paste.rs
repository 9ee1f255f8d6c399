//! Fuzz target: see `portico_fuzz::paste`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| portico_fuzz::paste(data));
