//! Fuzz target: see `portico_fuzz::security`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| portico_fuzz::security(data));
