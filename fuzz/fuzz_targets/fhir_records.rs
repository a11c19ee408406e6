//! FHIR records of the shapes EHRs send, built from the input (`ipt_core::samples`): the
//! first 40 bytes order the Bundle's entries, the next 16 build a resource that cannot be read,
//! the next 8 a positive PHQ-9 item 9, the rest the record. Whatever the input: `fhir_assess`
//! and `cds_hooks` answer it; the order of the entries changes no answer; the unreadable
//! resource removes no card and changes nothing read; the positive item 9 never removes the
//! critical card, and raises it when it is the latest.
#![no_main]

use ipt_core::samples;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let (order, rest) = data.split_at(data.len().min(40));
    let (junk, rest) = rest.split_at(rest.len().min(16));
    let (positive, record) = rest.split_at(rest.len().min(8));
    let resources = samples::record(record);
    if let Err(e) = samples::check(&resources, order, junk, positive) {
        panic!("{e}");
    }
});
