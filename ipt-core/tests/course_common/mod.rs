//! Shared by the model-based and the exhaustive course tests: an abstract event alphabet, its
//! concrete events, and the invariants 3-8 of the protocol document ("Invariants the tests
//! hold") checked on one step.

#![allow(dead_code)]

use ipt_core::course::{self, phase_of, CourseState, Event, Outputs, Phase};
use ipt_core::explain::Indicator;
use ipt_core::suitability::Assessment;
use ipt_core::RuleId;

/// Abstract events. Dates are all the same day, so date order never refuses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum A {
    AssessOk,
    AssessContra,
    Start,
    StartOverride,
    Session,
    SessionNoTasks,
    SessionItem9,
    SessionSkip,
    SessionRepeat,
    Inventory,
    Focus,
    Contract,
    RiskHigh,
    RiskLow,
    SafetyPlan,
    Raise,
    Complete,
    MaintContract,
    MaintSession,
    Close,
    Renegotiate,
    RenegotiateNoReason,
    Missed,
    Reassess,
}

pub const ALPHABET: [A; 24] = [
    A::AssessOk,
    A::AssessContra,
    A::Start,
    A::StartOverride,
    A::Session,
    A::SessionNoTasks,
    A::SessionItem9,
    A::SessionSkip,
    A::SessionRepeat,
    A::Inventory,
    A::Focus,
    A::Contract,
    A::RiskHigh,
    A::RiskLow,
    A::SafetyPlan,
    A::Raise,
    A::Complete,
    A::MaintContract,
    A::MaintSession,
    A::Close,
    A::Renegotiate,
    A::RenegotiateNoReason,
    A::Missed,
    A::Reassess,
];

const DATE: &str = "2026-01-05";

fn assessment(psychosis: &str) -> Assessment {
    serde_json::from_value(serde_json::json!({
        "age": 35, "care_setting": "outpatient",
        "diagnoses": [{"category": "major_depression", "course": "first_episode", "phase": "acute"}],
        "findings": {"active_psychosis": psychosis, "personality_disorder": "absent", "motivation": "present",
            "insight": "present", "self_reflection": "present", "cognitive_impairment": {"severity": "none"},
            "chronic_severe_illness": "absent", "substance_misuse": "absent"},
        "format": "individual",
        "language_culture": {"interpreter_needed": "absent", "cultural_adaptation_needed": "absent"}
    }))
    .unwrap()
}

fn inventory() -> serde_json::Value {
    serde_json::json!({"onset_date": "2024-05-01", "relationships": [
        {"id": "partner", "role": "partner", "closeness": 4, "conflict": "open", "dispute_stage": "renegotiation", "conflict_onset_linked": "present", "long_history_of_difficulty": "absent"},
        {"id": "father", "role": "parent", "closeness": 5, "conflict": "none"}],
      "life_events": [{"kind": "death", "relationship": "father", "months_before_onset": 3, "mourning_obstructed": "present"}],
      "long_standing_isolation": "absent", "prolonged_good_functioning": "present", "withdrawal_due_to_depression": "present"})
}

fn ev(v: serde_json::Value) -> Event {
    serde_json::from_value(v).unwrap()
}

/// The concrete event for an abstract one in a state.
pub fn concrete(a: A, s: &CourseState) -> Event {
    use serde_json::json;
    let next = s.sessions_held + 1;
    match a {
        A::AssessOk => Event::AssessmentRecorded {
            assessment: assessment("absent"),
        },
        A::AssessContra => Event::AssessmentRecorded {
            assessment: assessment("present"),
        },
        A::Start => ev(json!({"type": "course_started", "date": DATE})),
        A::StartOverride => ev(json!({"type": "course_started", "date": DATE,
            "override": {"clinician": "Dr R", "justification": "resolved on medication"}})),
        A::Session => ev(json!({"type": "session_held", "number": next, "date": DATE,
            "tasks_done": ["lethality_assessed"], "measures": [{"instrument": "phq9", "total": 12, "item9": 0}]})),
        A::SessionNoTasks => ev(json!({"type": "session_held", "number": next, "date": DATE})),
        A::SessionItem9 => ev(json!({"type": "session_held", "number": next, "date": DATE,
            "measures": [{"instrument": "phq9", "total": 14, "item9": 1}]})),
        A::SessionSkip => ev(json!({"type": "session_held", "number": next + 1, "date": DATE})),
        A::SessionRepeat => {
            ev(json!({"type": "session_held", "number": s.sessions_held, "date": DATE}))
        }
        A::Inventory => ev(json!({"type": "inventory_recorded", "inventory": inventory()})),
        A::Focus => {
            ev(json!({"type": "focus_agreed", "primary": "role_dispute", "backup": "grief"}))
        }
        A::Contract => ev(
            json!({"type": "contract_agreed", "contract": {"sessions": s.config.total_sessions.max(1), "format": "individual", "goals": ["g"]}}),
        ),
        A::RiskHigh => ev(json!({"type": "risk_assessed", "level": "high"})),
        A::RiskLow => ev(json!({"type": "risk_assessed", "level": "low"})),
        A::SafetyPlan => ev(json!({"type": "safety_plan_recorded", "date": DATE})),
        A::Raise => ev(json!({"type": "termination_raised"})),
        A::Complete => ev(json!({"type": "course_completed"})),
        A::MaintContract => ev(json!({"type": "maintenance_contracted"})),
        A::MaintSession => ev(
            json!({"type": "maintenance_session_held", "number": s.maintenance_sessions_held + 1, "date": DATE}),
        ),
        A::Close => ev(json!({"type": "closed", "reason": "dropped_out"})),
        A::Renegotiate => {
            let other = if s
                .focus
                .is_some_and(|f| f.primary == ipt_core::areas::ProblemArea::Grief)
            {
                "role_dispute"
            } else {
                "grief"
            };
            ev(
                json!({"type": "focus_renegotiated", "primary": other, "reason": "the other area dominates"}),
            )
        }
        A::RenegotiateNoReason => {
            ev(json!({"type": "focus_renegotiated", "primary": "grief", "reason": ""}))
        }
        A::Missed => ev(json!({"type": "session_missed", "date": DATE})),
        A::Reassess => ev(json!({"type": "reassessment_recorded", "date": DATE})),
    }
}

/// Invariants 3-8 on one step from `before` by `event` to `result`.
pub fn check_step(
    before: &CourseState,
    event: &Event,
    result: &Result<course::Transition, ipt_core::Error>,
) {
    // Advancing the state alone (replay, snapshot validation) gives exactly the state, or
    // exactly the error, that applying with outputs gives.
    let advanced = course::advance_at(before, event, course::EVENT_PATH);
    match (result, &advanced) {
        (Ok(t), Ok(a)) => assert_eq!(&t.state, a, "advance_at and apply disagree on {event:?}"),
        (Err(e), Err(a)) => assert_eq!(e, a, "advance_at and apply refuse differently"),
        _ => panic!("advance_at and apply disagree on acceptance of {event:?}"),
    }
    match result {
        Err(e) => {
            // Invariant 6 is structural (apply borrows the state); a refusal lists its reasons.
            if let ipt_core::Error::TransitionRefused { unmet, .. } = e {
                assert!(
                    !unmet.is_empty(),
                    "a refusal lists at least one unmet precondition"
                );
            }
        }
        Ok(t) => {
            let s = &t.state;
            assert_ne!(
                before.phase,
                Phase::Closed,
                "a closed course accepted {event:?}"
            );
            // Invariant 3: monotone phases, no gaps, never beyond the total, phase = phase_of(n).
            assert!(
                s.phase.rank() >= before.phase.rank(),
                "{:?} -> {:?}",
                before.phase,
                s.phase
            );
            assert!(
                s.sessions_held == before.sessions_held
                    || s.sessions_held == before.sessions_held + 1
            );
            assert!(
                s.maintenance_sessions_held == before.maintenance_sessions_held
                    || s.maintenance_sessions_held == before.maintenance_sessions_held + 1
            );
            if !s.config.open_ended() {
                assert!(s.sessions_held <= s.config.total_sessions);
            }
            if matches!(s.phase, Phase::Initial | Phase::Middle | Phase::Termination)
                && s.sessions_held > 0
            {
                assert_eq!(phase_of(s.sessions_held, &s.config), Some(s.phase));
            }
            // Invariant 4: nothing in the middle phase or later without the guard.
            if s.sessions_held > s.config.initial_sessions && !s.config.open_ended() {
                assert!(
                    course::guards::enter_middle(s).is_empty(),
                    "past the initial phase without ST-ENTER-MIDDLE: {s:?}"
                );
            }
            // Invariant 5.
            if let Some(f) = s.focus {
                assert_ne!(Some(f.primary), f.backup);
            }
            // Invariant 8.
            check_alerts(s, &t.outputs);
        }
    }
}

/// Invariant 8 on an output, and the termination reassessment alert: present in every
/// output while due (never on a closed course), and never beside the "expected" upsurge.
pub fn check_alerts(s: &CourseState, o: &Outputs) {
    // What a replay summary lists is exactly the rules of the rendered alerts.
    let rules: Vec<RuleId> = o.alerts.iter().map(|a| a.rule_id).collect();
    assert_eq!(course::advice::alert_rules(s), rules);
    let due = s.reassessment_due.is_some() && s.phase != Phase::Closed;
    let reassess = |alerts: &[ipt_core::explain::Explanation]| {
        alerts.iter().any(|a| a.rule_id == RuleId::StTermination)
    };
    assert_eq!(reassess(&o.alerts), due, "reassessment alert vs state");
    assert_eq!(reassess(&course::status(s).alerts), due);
    if due {
        let all = o.items.iter().chain(&o.next_session).chain(&o.alerts);
        for e in all {
            assert!(
                !e.rationale.contains("is expected") && !e.summary.contains("expected upsurge"),
                "an expected upsurge beside the reassessment alert: {}",
                e.summary
            );
        }
    }
    let has = o
        .alerts
        .iter()
        .any(|a| a.rule_id == RuleId::XSuicide && a.indicator == Indicator::Critical);
    assert_eq!(
        has,
        s.risk_unresolved(),
        "X-SUICIDE alert vs unresolved risk"
    );
    let st = course::status(s);
    assert_eq!(
        st.alerts.iter().any(|a| a.rule_id == RuleId::XSuicide),
        s.risk_unresolved()
    );
}
