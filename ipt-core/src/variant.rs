//! The course variants of the [protocol](crate::protocol#course-variants), by name. Their
//! configurations live with the course.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::catalogue::RuleId;

/// A variant of the IPT course.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Variant {
    /// Individual IPT, weekly, 12-16 sessions (`V-STANDARD`).
    Standard,
    /// Brief IPT, 8 sessions (`V-BRIEF`).
    Brief,
    /// IPT for adolescents, 12 sessions (`V-ADOLESCENT`).
    Adolescent,
    /// Group IPT, one individual pre-group session and 8 group sessions (`V-GROUP`).
    Group,
    /// Maintenance IPT, monthly and open-ended (`V-MAINTENANCE`).
    Maintenance,
}

impl Variant {
    /// Every variant.
    pub const ALL: [Variant; 5] = [
        Variant::Standard,
        Variant::Brief,
        Variant::Adolescent,
        Variant::Group,
        Variant::Maintenance,
    ];

    /// The catalogue rule describing this variant.
    pub const fn rule_id(self) -> RuleId {
        match self {
            Variant::Standard => RuleId::VStandard,
            Variant::Brief => RuleId::VBrief,
            Variant::Adolescent => RuleId::VAdolescent,
            Variant::Group => RuleId::VGroup,
            Variant::Maintenance => RuleId::VMaintenance,
        }
    }
}
