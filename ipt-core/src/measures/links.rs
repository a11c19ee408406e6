//! The rules of symptom measures and measurement-based care, linked to the functions that
//! decide them. M-CADENCE, which reads a course, is the course's.

use crate::catalogue::{rule_link, Link};

/// Every measure rule linked to its function.
pub static LINKS: &[Link] = &[
    rule_link!(MPhq9 => crate::measures::evaluate_with),
    rule_link!(MHamd17 => crate::measures::evaluate_with),
    rule_link!(MBdi2 => crate::measures::evaluate_with),
    rule_link!(MGad7 => crate::measures::evaluate_with),
    rule_link!(MPhqa => crate::measures::evaluate_with),
    rule_link!(MWsas => crate::measures::evaluate_with),
    rule_link!(MReliableChange => crate::measures::change::reliable_change),
    rule_link!(MDeterioration => crate::measures::change::Change::deterioration),
    rule_link!(MRecovery => crate::measures::change::recovery),
    rule_link!(MSustainedRemission => crate::measures::change::sustained_remission),
];
