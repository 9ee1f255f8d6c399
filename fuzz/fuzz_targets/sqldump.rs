//! Fuzz target: see `portico_fuzz::sqldump`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| portico_fuzz::sqldump(data));
