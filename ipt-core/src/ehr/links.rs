//! The rules of coded records, linked to the functions that decide them.

use crate::catalogue::{rule_link, Link};

/// Every record rule linked to its function.
pub static LINKS: &[Link] = &[
    rule_link!(DCodeMap => crate::ehr::terminology::lookup),
    rule_link!(DRecord => crate::ehr::record::assess),
];
