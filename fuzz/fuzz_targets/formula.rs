//! A column formula: parsed and evaluated.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| cuenta::fuzz::formula(data));
