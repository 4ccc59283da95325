#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| folio::fuzz::claims(data));
