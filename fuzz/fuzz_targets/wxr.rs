//! Fuzz target: see `portico_fuzz::wxr`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| portico_fuzz::wxr(data));
