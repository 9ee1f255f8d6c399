//! Fuzz target: see `portico_fuzz::article_html`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| portico_fuzz::article_html(data));
