//! Front matter and table parsing of one content file.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| cuenta::fuzz::front_matter(data));
