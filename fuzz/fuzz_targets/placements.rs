//! A Markdown body with placements, links and control characters, rendered.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| cuenta::fuzz::placements(data));
