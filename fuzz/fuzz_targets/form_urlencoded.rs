//! Fuzz target: see `portico_fuzz::form_urlencoded`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| portico_fuzz::form_urlencoded(data));
