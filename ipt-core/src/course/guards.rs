//! The course's guards. Each guard returns the typed [`Requirement`]s it finds unmet; a
//! requirement knows the rule that imposes it ([`Requirement::rule`]), its stable name
//! ([`Requirement::name`], the `unmet[].requirement` of a refusal) and its message (from the
//! words table). [`Requirement::unmet`] is the one place the wire shape [`Unmet`] is built.

use super::outcome;
use super::state::{CourseState, Phase};
use super::words::{self, CourseCase};
use crate::catalogue::RuleId;
use crate::date::Date;
use crate::error::{Error, Unmet};
use crate::suitability::Verdict;

/// A precondition of an event that does not hold.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Requirement {
    /// The course is not closed (ST-PHASES).
    CourseOpen,
    /// The course is in one of the phases the event belongs to. Past them: ST-PHASES (phases
    /// never go backwards); before them: `rule`, the rule of the event.
    Phase {
        /// The current phase.
        current: Phase,
        /// The phases the event belongs to.
        allowed: &'static [Phase],
        /// The rule of the event.
        rule: RuleId,
    },
    /// A suitability assessment is recorded (ST-INITIAL).
    AssessmentRecorded,
    /// The verdict allows starting, or a clinician overrode it (the verdict's rule).
    SuitableOrOverride {
        /// The verdict.
        verdict: Verdict,
        /// The rule that decided it.
        rule: RuleId,
    },
    /// The date is not before the last recorded one (ST-PHASES).
    DateNotBeforeLast {
        /// The event's date.
        date: String,
        /// The last recorded date.
        last: String,
    },
    /// Sessions are numbered without gaps or repeats (the variant's rule).
    SessionNumber {
        /// The variant's rule.
        rule: RuleId,
        /// The next number.
        expected: u32,
        /// The number given.
        got: u32,
    },
    /// The session is within the contract (the variant's rule).
    WithinContract {
        /// The variant's rule.
        rule: RuleId,
        /// The session.
        number: u32,
        /// The contracted total.
        total: u32,
    },
    /// ST-ENTER-MIDDLE: lethality assessed.
    LethalityAssessed,
    /// ST-ENTER-MIDDLE: the inventory recorded.
    InventoryRecorded,
    /// ST-ENTER-MIDDLE: the focus agreed.
    FocusAgreed,
    /// ST-ENTER-MIDDLE: the contract made.
    ContractAgreed,
    /// ST-TERMINATION: the ending raised before the termination phase.
    TerminationRaised,
    /// ST-MIDDLE: no focus agreed yet (a change is a renegotiation).
    NoFocusYet,
    /// PA-SELECT: the focus is chosen on the inventory.
    InventoryForFocus,
    /// ST-MIDDLE: no contract yet (a change is a renegotiation).
    NoContractYet,
    /// The contract covers the sessions held (the variant's rule).
    ContractCoversHeld {
        /// The variant's rule.
        rule: RuleId,
    },
    /// ST-MIDDLE: a renegotiation gives a reason.
    Reason,
    /// ST-MIDDLE: a renegotiated total keeps held sessions out of termination.
    RenegotiationWithinContract {
        /// The proposed total.
        sessions: u32,
    },
    /// ST-TERMINATION: the ending is raised once.
    NotYetRaised,
    /// ST-TERMINATION: every contracted session is held before completion.
    AllSessionsHeld {
        /// Sessions held.
        held: u32,
        /// Contracted total.
        total: u32,
    },
    /// V-MAINTENANCE: maintenance sessions numbered without gaps or repeats.
    MaintenanceSessionNumber {
        /// The next number.
        expected: u32,
        /// The number given.
        got: u32,
    },
    /// ST-PHASES: a completed course is not closed.
    NotTerminal,
}

impl Requirement {
    /// The rule that imposes the requirement.
    pub fn rule(&self) -> RuleId {
        match self {
            Requirement::CourseOpen
            | Requirement::DateNotBeforeLast { .. }
            | Requirement::NotTerminal => RuleId::StPhases,
            Requirement::Phase {
                current,
                allowed,
                rule,
            } => {
                let passed = allowed.iter().all(|p| current.rank() > p.rank());
                if passed {
                    RuleId::StPhases
                } else {
                    *rule
                }
            }
            Requirement::AssessmentRecorded => RuleId::StInitial,
            Requirement::SuitableOrOverride { rule, .. }
            | Requirement::SessionNumber { rule, .. }
            | Requirement::WithinContract { rule, .. }
            | Requirement::ContractCoversHeld { rule } => *rule,
            Requirement::LethalityAssessed
            | Requirement::InventoryRecorded
            | Requirement::FocusAgreed
            | Requirement::ContractAgreed => RuleId::StEnterMiddle,
            Requirement::TerminationRaised
            | Requirement::NotYetRaised
            | Requirement::AllSessionsHeld { .. } => RuleId::StTermination,
            Requirement::NoFocusYet
            | Requirement::NoContractYet
            | Requirement::Reason
            | Requirement::RenegotiationWithinContract { .. } => RuleId::StMiddle,
            Requirement::InventoryForFocus => RuleId::PaSelect,
            Requirement::MaintenanceSessionNumber { .. } => RuleId::VMaintenance,
        }
    }

    /// The stable snake_case name (`unmet[].requirement`).
    pub const fn name(&self) -> &'static str {
        match self {
            Requirement::CourseOpen => "course_open",
            Requirement::Phase { .. } => "phase",
            Requirement::AssessmentRecorded => "assessment_recorded",
            Requirement::SuitableOrOverride { .. } => "suitable_or_override",
            Requirement::DateNotBeforeLast { .. } => "date_not_before_last",
            Requirement::SessionNumber { .. } | Requirement::MaintenanceSessionNumber { .. } => {
                "session_number"
            }
            Requirement::WithinContract { .. }
            | Requirement::ContractCoversHeld { .. }
            | Requirement::RenegotiationWithinContract { .. } => "within_contract",
            Requirement::LethalityAssessed => "lethality_assessed",
            Requirement::InventoryRecorded | Requirement::InventoryForFocus => "inventory_recorded",
            Requirement::FocusAgreed => "focus_agreed",
            Requirement::ContractAgreed => "contract_agreed",
            Requirement::TerminationRaised => "termination_raised",
            Requirement::NoFocusYet => "no_focus_yet",
            Requirement::NoContractYet => "no_contract_yet",
            Requirement::Reason => "reason",
            Requirement::NotYetRaised => "not_yet_raised",
            Requirement::AllSessionsHeld { .. } => "all_sessions_held",
            Requirement::NotTerminal => "not_terminal",
        }
    }

    /// The key of its message in the words table, with the message's parameters.
    fn words(&self) -> (CourseCase, Vec<(&'static str, String)>) {
        use CourseCase as C;
        match self {
            Requirement::CourseOpen => (C::UnmetCourseOpen, Vec::new()),
            Requirement::Phase {
                current, allowed, ..
            } => {
                let names: Vec<&str> = allowed.iter().map(|p| p.as_str()).collect();
                let params = vec![
                    ("phase", current.as_str().to_owned()),
                    ("allowed", names.join(" or ")),
                ];
                if self.rule() == RuleId::StPhases {
                    (C::UnmetPhasePassed, params)
                } else {
                    (C::UnmetPhaseNotYet, params)
                }
            }
            Requirement::AssessmentRecorded => (C::UnmetAssessmentRecorded, Vec::new()),
            Requirement::SuitableOrOverride { verdict, .. } => (
                C::UnmetSuitableOrOverride,
                vec![("verdict", verdict.as_str().to_owned())],
            ),
            Requirement::DateNotBeforeLast { date, last } => (
                C::UnmetDateNotBeforeLast,
                vec![("date", date.clone()), ("last", last.clone())],
            ),
            Requirement::SessionNumber { expected, got, .. } => (
                C::UnmetSessionNumber,
                vec![
                    ("expected", expected.to_string()),
                    ("number", got.to_string()),
                ],
            ),
            Requirement::WithinContract { number, total, .. } => (
                C::UnmetWithinContract,
                vec![("number", number.to_string()), ("total", total.to_string())],
            ),
            Requirement::LethalityAssessed => (C::UnmetLethalityAssessed, Vec::new()),
            Requirement::InventoryRecorded => (C::UnmetInventoryRecorded, Vec::new()),
            Requirement::FocusAgreed => (C::UnmetFocusAgreed, Vec::new()),
            Requirement::ContractAgreed => (C::UnmetContractAgreed, Vec::new()),
            Requirement::TerminationRaised => (C::UnmetTerminationRaised, Vec::new()),
            Requirement::NoFocusYet => (C::UnmetNoFocusYet, Vec::new()),
            Requirement::InventoryForFocus => (C::UnmetInventoryForFocus, Vec::new()),
            Requirement::NoContractYet => (C::UnmetNoContractYet, Vec::new()),
            Requirement::ContractCoversHeld { .. } => (C::UnmetContractCoversHeld, Vec::new()),
            Requirement::Reason => (C::UnmetReason, Vec::new()),
            Requirement::RenegotiationWithinContract { sessions } => (
                C::UnmetRenegotiationWithinContract,
                vec![("sessions", sessions.to_string())],
            ),
            Requirement::NotYetRaised => (C::UnmetNotYetRaised, Vec::new()),
            Requirement::AllSessionsHeld { held, total } => (
                C::UnmetAllSessionsHeld,
                vec![("held", held.to_string()), ("total", total.to_string())],
            ),
            Requirement::MaintenanceSessionNumber { expected, got } => (
                C::UnmetMaintenanceSessionNumber,
                vec![
                    ("expected", expected.to_string()),
                    ("number", got.to_string()),
                ],
            ),
            Requirement::NotTerminal => (C::UnmetNotTerminal, Vec::new()),
        }
    }

    /// The message, from the words table.
    pub fn message(&self) -> String {
        let (case, params) = self.words();
        outcome::sentence(self.rule(), case, &params)
    }

    /// The wire shape of the requirement.
    pub fn unmet(&self) -> Unmet {
        Unmet {
            rule_id: self.rule(),
            requirement: self.name().to_owned(),
            message: self.message(),
        }
    }
}

/// The refusal of `event_kind` at `path` for every unmet requirement.
pub fn refused(path: &str, event_kind: &str, unmet: &[Requirement]) -> Error {
    let list: Vec<&str> = unmet.iter().map(Requirement::name).collect();
    Error::TransitionRefused {
        message: format!("`{event_kind}` refused: {}", list.join(", ")),
        path: path.into(),
        unmet: unmet.iter().map(Requirement::unmet).collect(),
    }
}

/// The date is a calendar date (invalid input otherwise).
pub fn check_date(date: &str, path: &str) -> Result<(), Error> {
    if Date::parse(date).is_none() {
        return Err(Error::invalid(
            path,
            words::message(CourseCase::InvalidDate, &[("date", date.to_owned())]),
        ));
    }
    Ok(())
}

/// The course is not closed.
pub fn course_open(s: &CourseState) -> Option<Requirement> {
    (s.phase == Phase::Closed).then_some(Requirement::CourseOpen)
}

/// The date is not before the last recorded one.
pub fn date_in_order(s: &CourseState, date: &str) -> Option<Requirement> {
    let last = s.last_date.as_deref()?;
    let d = Date::parse(date)?;
    (d < Date::parse(last)?).then(|| Requirement::DateNotBeforeLast {
        date: date.to_owned(),
        last: last.to_owned(),
    })
}

/// The course is in one of `allowed`.
pub fn phase_in(s: &CourseState, allowed: &'static [Phase], rule: RuleId) -> Option<Requirement> {
    (!allowed.contains(&s.phase)).then_some(Requirement::Phase {
        current: s.phase,
        allowed,
        rule,
    })
}

/// X-SUICIDE: a risk assessment or a safety plan belongs to the course from intake to
/// maintenance; after completion, only while a suicide-risk alert is still open (it must
/// stay resolvable: alerts are never lost).
pub fn risk_event_phase(s: &CourseState) -> Option<Requirement> {
    const RISK_PHASES: &[Phase] = &[
        Phase::Intake,
        Phase::Initial,
        Phase::Middle,
        Phase::Termination,
        Phase::Maintenance,
    ];
    if matches!(s.phase, Phase::Completed | Phase::MaintenanceCompleted) && s.risk_unresolved() {
        return None;
    }
    phase_in(s, RISK_PHASES, RuleId::XSuicide)
}

/// ST-ENTER-MIDDLE: every prerequisite of the first middle-phase session that is unmet.
pub fn enter_middle(s: &CourseState) -> Vec<Requirement> {
    let mut out = Vec::new();
    if !s.lethality_assessed() {
        out.push(Requirement::LethalityAssessed);
    }
    if s.inventory.is_none() {
        out.push(Requirement::InventoryRecorded);
    }
    if s.focus.is_none() {
        out.push(Requirement::FocusAgreed);
    }
    if s.contract.is_none() {
        out.push(Requirement::ContractAgreed);
    }
    out
}

/// A text that is blank.
pub fn blank(s: &str) -> bool {
    s.trim().is_empty()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::panic, clippy::indexing_slicing)]

    use super::*;

    #[test]
    fn a_phase_the_course_has_left_cites_st_phases_and_one_not_reached_the_event_rule() {
        let passed = Requirement::Phase {
            current: Phase::Completed,
            allowed: &[Phase::Initial, Phase::Middle, Phase::Termination],
            rule: RuleId::StInitial,
        };
        assert_eq!(passed.rule(), RuleId::StPhases);
        assert!(
            passed.message().contains("never go backwards"),
            "{}",
            passed.message()
        );
        let early = Requirement::Phase {
            current: Phase::Intake,
            allowed: &[Phase::Completed],
            rule: RuleId::VMaintenance,
        };
        assert_eq!(early.rule(), RuleId::VMaintenance);
        assert_eq!(early.name(), "phase");
        assert_eq!(
            early.message(),
            "the course is in phase intake; this event needs phase completed"
        );
    }

    #[test]
    fn every_requirement_has_a_message_from_the_table() {
        let all = [
            Requirement::CourseOpen,
            Requirement::AssessmentRecorded,
            Requirement::SuitableOrOverride {
                verdict: Verdict::Contraindicated,
                rule: RuleId::CPsychosis,
            },
            Requirement::DateNotBeforeLast {
                date: "2026-01-01".into(),
                last: "2026-02-01".into(),
            },
            Requirement::SessionNumber {
                rule: RuleId::VBrief,
                expected: 2,
                got: 3,
            },
            Requirement::WithinContract {
                rule: RuleId::VBrief,
                number: 9,
                total: 8,
            },
            Requirement::LethalityAssessed,
            Requirement::InventoryRecorded,
            Requirement::FocusAgreed,
            Requirement::ContractAgreed,
            Requirement::TerminationRaised,
            Requirement::NoFocusYet,
            Requirement::InventoryForFocus,
            Requirement::NoContractYet,
            Requirement::ContractCoversHeld {
                rule: RuleId::VStandard,
            },
            Requirement::Reason,
            Requirement::RenegotiationWithinContract { sessions: 6 },
            Requirement::NotYetRaised,
            Requirement::AllSessionsHeld { held: 5, total: 8 },
            Requirement::MaintenanceSessionNumber {
                expected: 1,
                got: 2,
            },
            Requirement::NotTerminal,
        ];
        for r in &all {
            let m = r.message();
            assert!(!m.is_empty() && !m.contains('{'), "{r:?}: {m}");
            let u = r.unmet();
            assert_eq!(u.rule_id, r.rule());
            assert_eq!(u.requirement, r.name());
        }
        assert_eq!(
            Requirement::SessionNumber {
                rule: RuleId::VBrief,
                expected: 2,
                got: 3
            }
            .message(),
            "the next session is number 2, got 3 (no gaps or repeats)"
        );
    }
}
