//! A rule linked to the function that decides it. Each domain lists its links in one table
//! (`suitability::LINKS`, `readiness::LINKS`, `areas::links`, `measures::links`,
//! `course::links`, `ehr::links`) and [`registry`](crate::registry::registry) gathers them.
//! A link names the function in code, so renaming or removing the function breaks the build,
//! not a document.

use super::rule::RuleId;

/// A rule and the function that decides it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Link {
    /// The rule.
    pub rule: RuleId,
    /// The function's path where it is defined (`ipt_core::areas::evidence::event_drafts`),
    /// which the compiler resolved where the link was made.
    pub function: &'static str,
}

/// `rule_link!(CPsychosis => crate::suitability::contraindications::c_psychosis)`: the
/// [`Link`] of a rule to a function, by its path from the crate root, which the compiler
/// resolves (the function must exist and be visible where the link is made).
macro_rules! rule_link {
    ($rule:ident => crate $(:: $segment:ident)+) => {{
        // The function, named in code: the compiler checks it exists.
        let _ = crate $(:: $segment)+;
        $crate::catalogue::link::Link {
            rule: $crate::catalogue::rule::RuleId::$rule,
            function: concat!(env!("CARGO_CRATE_NAME") $(, "::", stringify!($segment))+),
        }
    }};
}
pub(crate) use rule_link;
