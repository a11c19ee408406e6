//! Three-valued clinical findings ([protocol](crate::protocol)).
//!
//! A finding is `present`, `absent` or `unknown` (not yet assessed). An omitted finding is
//! `unknown`, never `absent`. Decisions combine findings with Kleene's three-valued logic, so
//! a decision that depends on an unknown finding is itself unknown.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// A clinical finding: present, absent, or not yet assessed.
#[derive(
    Debug,
    Clone,
    Copy,
    Default,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Finding {
    /// The finding was assessed and is present.
    Present,
    /// The finding was assessed and is absent.
    Absent,
    /// The finding has not been assessed. This is the default for an omitted field.
    #[default]
    Unknown,
}

/// # Examples
///
/// ```
/// use ipt_core::Finding;
///
/// // Kleene logic: an unknown finding stays unknown unless the other side decides.
/// assert_eq!(Finding::Present.and(Finding::Unknown), Finding::Unknown);
/// assert_eq!(Finding::Absent.and(Finding::Unknown), Finding::Absent);
/// assert_eq!(Finding::Present.or(Finding::Unknown), Finding::Present);
/// assert_eq!(Finding::Unknown.not(), Finding::Unknown);
/// // Omitted in a request, a finding is unknown: never read as absent.
/// assert_eq!(Finding::default(), Finding::Unknown);
/// ```
impl Finding {
    /// Every value, for exhaustive tests.
    pub const ALL: [Finding; 3] = [Finding::Present, Finding::Absent, Finding::Unknown];

    /// From a known boolean.
    pub const fn from_bool(b: bool) -> Finding {
        if b {
            Finding::Present
        } else {
            Finding::Absent
        }
    }

    /// `true` when the finding has not been assessed.
    pub const fn is_unknown(self) -> bool {
        matches!(self, Finding::Unknown)
    }

    /// Kleene conjunction: absent if either is absent, present if both are present.
    pub const fn and(self, other: Finding) -> Finding {
        match (self, other) {
            (Finding::Absent, _) | (_, Finding::Absent) => Finding::Absent,
            (Finding::Present, Finding::Present) => Finding::Present,
            _ => Finding::Unknown,
        }
    }

    /// Kleene disjunction: present if either is present, absent if both are absent.
    pub const fn or(self, other: Finding) -> Finding {
        match (self, other) {
            (Finding::Present, _) | (_, Finding::Present) => Finding::Present,
            (Finding::Absent, Finding::Absent) => Finding::Absent,
            _ => Finding::Unknown,
        }
    }

    /// Kleene negation: unknown stays unknown.
    pub const fn not(self) -> Finding {
        match self {
            Finding::Present => Finding::Absent,
            Finding::Absent => Finding::Present,
            Finding::Unknown => Finding::Unknown,
        }
    }

    /// Disjunction over many findings.
    pub fn any(items: impl IntoIterator<Item = Finding>) -> Finding {
        items.into_iter().fold(Finding::Absent, Finding::or)
    }

    /// Conjunction over many findings.
    pub fn all(items: impl IntoIterator<Item = Finding>) -> Finding {
        items.into_iter().fold(Finding::Present, Finding::and)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kleene_logic_never_turns_unknown_into_absent() {
        for a in Finding::ALL {
            for b in Finding::ALL {
                // Whatever the unknowns resolve to, a known result stays the same.
                let resolve = |f: Finding, v: bool| {
                    if f.is_unknown() {
                        Finding::from_bool(v)
                    } else {
                        f
                    }
                };
                for va in [true, false] {
                    for vb in [true, false] {
                        let (ra, rb) = (resolve(a, va), resolve(b, vb));
                        if !a.and(b).is_unknown() {
                            assert_eq!(a.and(b), ra.and(rb));
                        }
                        if !a.or(b).is_unknown() {
                            assert_eq!(a.or(b), ra.or(rb));
                        }
                    }
                }
            }
        }
        assert_eq!(Finding::default(), Finding::Unknown);
    }
}
