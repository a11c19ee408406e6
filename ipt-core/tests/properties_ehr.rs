//! Metamorphic properties of the EHR readers over generated records (D-RECORD, X-SUICIDE):
//! the order of a Bundle's entries never changes the answer; adding a resource that cannot be
//! read never removes a card the readable ones give; adding a positive PHQ-9 item 9 (any
//! status but entered in error, any date not after the assessment, any supported coding)
//! never removes the critical card, and the latest one raises it. The records and the checks
//! are `ipt_core::samples`, which the fuzz target `fhir_records` runs too.

#![allow(clippy::unwrap_used, clippy::panic, clippy::indexing_slicing)]

use ipt_core::samples;
use proptest::prelude::*;
use serde_json::Value;

proptest! {
    #![proptest_config(ProptestConfig::with_cases(250))]

    #[test]
    fn order_unreadable_resources_and_item9_keep_the_cards(
        record in prop::collection::vec(any::<u8>(), 0..600),
        order in prop::collection::vec(any::<u8>(), 40),
        junk in prop::collection::vec(any::<u8>(), 0..16),
        positive in prop::collection::vec(any::<u8>(), 0..8),
    ) {
        let resources = samples::record(&record);
        if let Err(e) = samples::check(&resources, &order, &junk, &positive) {
            panic!("{e}");
        }
    }
}

/// The checks can fail: a record whose order matters to a reader that keeps the last item-9
/// answer of an instant, and a record where an added positive is the latest, are caught.
#[test]
fn the_checks_see_what_they_check() {
    let resources = samples::record(&[3, 0, 0, 0, 0, 0, 7, 3, 3, 0, 0, 3, 7]);
    assert!(resources.len() > 1, "{resources:?}");
    // A generated positive item 9 that must alert does, through the real engine.
    let (item9, last) = samples::positive_item9(&[1, 0, 0, 1]);
    assert!(last, "{item9}");
    let answer: Value = serde_json::from_str(&ipt_core::api::call(
        "cds_hooks",
        &samples::cds_hooks(&[resources[0].clone(), item9]),
    ))
    .unwrap();
    assert_eq!(
        answer["result"]["cards"][0]["indicator"], "critical",
        "{answer}"
    );
    samples::check(&resources, &[1, 0, 2, 5, 4], &[0], &[1, 0, 0, 1]).unwrap();
}
