//! A whole section rendered in memory: tables, charts and Markdown body.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| cuenta::fuzz::section(data));
