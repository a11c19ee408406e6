//! Model-based tests of the course machine: random event sequences go to the real machine and
//! to a deliberately simple model (phase, session count, flags); the two are compared after
//! every step, and invariants 3-8 of the protocol document ("Invariants the tests hold") are
//! checked on every step.

#![allow(clippy::unwrap_used, clippy::panic, clippy::indexing_slicing)]

mod course_common;

use course_common::{check_step, concrete, A, ALPHABET};
use ipt_core::course::{self, phase_of, CourseConfig, CourseState, Phase, Snapshot, StartRequest};
use ipt_core::explain::Render;
use ipt_core::variant::Variant;
use proptest::prelude::*;

/// The model: what the protocol says, with nothing but counters and flags.
#[derive(Debug, Clone, PartialEq)]
struct Model {
    cfg: CourseConfig,
    phase: Phase,
    held: u32,
    maint: u32,
    verdict_ok: Option<bool>,
    lethality: bool,
    inventory: bool,
    focus: bool,
    contract: bool,
    raised: Option<u32>,
    risk_high: bool,
    item9: bool,
    /// First and last PHQ-9 totals, and whether a termination reassessment is due.
    first: Option<u32>,
    last: Option<u32>,
    reassess: bool,
}

impl Model {
    fn new(cfg: CourseConfig) -> Model {
        Model {
            cfg,
            phase: Phase::Intake,
            held: 0,
            maint: 0,
            verdict_ok: None,
            lethality: false,
            inventory: false,
            focus: false,
            contract: false,
            raised: None,
            risk_high: false,
            item9: false,
            first: None,
            last: None,
            reassess: false,
        }
    }

    fn acute(&self) -> bool {
        matches!(
            self.phase,
            Phase::Initial | Phase::Middle | Phase::Termination
        )
    }

    /// The next model, or `None` when the protocol refuses the event.
    fn step(&self, a: A) -> Option<Model> {
        let mut m = self.clone();
        if m.phase == Phase::Closed {
            return None;
        }
        let session = |m: &mut Model, lethal: bool, item9: bool| -> Option<()> {
            if !m.acute() {
                return None;
            }
            let n = m.held + 1;
            let p = phase_of(n, &m.cfg)?;
            let lethality = m.lethality || lethal;
            if p == Phase::Middle
                && m.phase == Phase::Initial
                && !(lethality && m.inventory && m.focus && m.contract)
            {
                return None;
            }
            if p == Phase::Termination && m.phase != Phase::Termination && m.raised.is_none() {
                return None;
            }
            m.held = n;
            m.phase = p;
            m.lethality = lethality;
            m.item9 |= item9;
            // `Session` records a PHQ-9 of 12, `SessionItem9` one of 14 (both moderate): in
            // termination any rise reaches the baseline band, so a reassessment is due.
            let total = if item9 {
                Some(14)
            } else if lethal {
                Some(12)
            } else {
                None
            };
            if let Some(t) = total {
                if p == Phase::Termination && m.last.is_some_and(|l| t > l) {
                    m.reassess = true;
                }
                m.first = m.first.or(Some(t));
                m.last = Some(t);
            }
            Some(())
        };
        match a {
            A::AssessOk | A::AssessContra => {
                if m.phase != Phase::Intake {
                    return None;
                }
                m.verdict_ok = Some(a == A::AssessOk);
            }
            A::Start | A::StartOverride => {
                if m.phase != Phase::Intake
                    || m.verdict_ok.is_none()
                    || (a == A::Start && m.verdict_ok == Some(false))
                {
                    return None;
                }
                m.phase = if m.cfg.open_ended() {
                    Phase::Maintenance
                } else {
                    Phase::Initial
                };
            }
            A::Session => session(&mut m, true, false)?,
            A::SessionNoTasks => session(&mut m, false, false)?,
            A::SessionItem9 => session(&mut m, false, true)?,
            A::SessionSkip | A::SessionRepeat | A::RenegotiateNoReason => return None,
            A::Inventory => {
                if m.phase != Phase::Initial {
                    return None;
                }
                m.inventory = true;
            }
            A::Focus => {
                if m.phase != Phase::Initial || m.focus || !m.inventory {
                    return None;
                }
                m.focus = true;
            }
            A::Contract => {
                if m.phase != Phase::Initial || m.contract {
                    return None;
                }
                m.contract = true;
            }
            // After completion, risk events only while a suicide-risk alert is open.
            A::RiskHigh | A::RiskLow | A::SafetyPlan
                if matches!(m.phase, Phase::Completed | Phase::MaintenanceCompleted)
                    && !(m.risk_high || m.item9) =>
            {
                return None;
            }
            A::RiskHigh | A::RiskLow => {
                m.risk_high = a == A::RiskHigh;
                m.item9 = false;
                m.lethality = true;
            }
            A::SafetyPlan => {}
            A::Raise => {
                if !matches!(m.phase, Phase::Initial | Phase::Middle) || m.raised.is_some() {
                    return None;
                }
                m.raised = Some(m.held);
            }
            A::Complete => match m.phase {
                Phase::Maintenance => m.phase = Phase::MaintenanceCompleted,
                Phase::Termination if m.held == m.cfg.total_sessions => m.phase = Phase::Completed,
                _ => return None,
            },
            A::MaintContract => {
                if m.phase != Phase::Completed {
                    return None;
                }
                m.phase = Phase::Maintenance;
            }
            A::MaintSession => {
                if m.phase != Phase::Maintenance {
                    return None;
                }
                m.maint += 1;
            }
            A::Close => {
                if matches!(m.phase, Phase::Completed | Phase::MaintenanceCompleted) {
                    return None;
                }
                m.phase = Phase::Closed;
            }
            A::Renegotiate => {
                if m.phase != Phase::Middle {
                    return None;
                }
            }
            A::Reassess => {
                if matches!(
                    m.phase,
                    Phase::Intake | Phase::MaintenanceCompleted | Phase::Closed
                ) {
                    return None;
                }
                m.reassess = false;
            }
            A::Missed => {
                if !(m.acute() || m.phase == Phase::Maintenance) {
                    return None;
                }
            }
        }
        Some(m)
    }

    fn agrees(&self, s: &CourseState) -> bool {
        self.phase == s.phase
            && self.held == s.sessions_held
            && self.maint == s.maintenance_sessions_held
            && self.lethality == s.lethality_assessed()
            && self.inventory == s.inventory.is_some()
            && self.focus == s.focus.is_some()
            && self.contract == s.contract.is_some()
            && self.raised == s.termination_raised_after
            && (self.risk_high || self.item9) == s.risk_unresolved()
            && self.reassess == s.reassessment_due.is_some()
    }
}

/// Biased towards sessions so random runs reach the later phases.
fn abstract_event() -> impl Strategy<Value = A> {
    prop_oneof![
        10 => Just(A::Session),
        2 => proptest::sample::select(ALPHABET.to_vec()),
        1 => Just(A::Raise),
        1 => proptest::sample::select(vec![A::Raise, A::Complete, A::MaintContract, A::MaintSession, A::RiskLow]),
    ]
}

/// A random-length prefix of the happy path (so most runs get past intake), then random
/// events.
fn events() -> impl Strategy<Value = Vec<A>> {
    const HAPPY: [A; 6] = [
        A::AssessOk,
        A::Start,
        A::Session,
        A::Inventory,
        A::Focus,
        A::Contract,
    ];
    let k = proptest::sample::select(vec![0, 1, 2, 3, 4, 5, 6, 6, 6, 6, 6, 6, 6, 6]);
    (k, proptest::collection::vec(abstract_event(), 0..60)).prop_map(|(k, body)| {
        let mut out: Vec<A> = HAPPY.iter().take(k).copied().collect();
        out.extend(body);
        out
    })
}

fn run(variant: Variant, events: &[A]) {
    let start = StartRequest {
        variant,
        overrides: None,
        course_id: None,
        measurement: None,
    };
    let mut snap = Snapshot::start(start.clone(), "$").unwrap();
    let mut model = Model::new(snap.state.config);
    let mut last_outputs = course::initial_outputs(&snap.state, Render::EXPLAINED);
    for (i, a) in events.iter().enumerate() {
        let event = concrete(*a, &snap.state);
        let before = snap.clone();
        let result = course::apply(&snap.state, &event);
        check_step(&snap.state, &event, &result);
        let expected = model.step(*a);
        match (&result, expected) {
            (Ok(_), Some(m)) => {
                let outputs = snap
                    .apply(event.clone(), "$.event", Render::EXPLAINED)
                    .unwrap();
                assert_eq!(
                    serde_json::to_string(&outputs).unwrap(),
                    serde_json::to_string(&result.as_ref().unwrap().outputs).unwrap()
                );
                last_outputs = outputs;
                model = m;
            }
            (Err(_), None) => {
                // Invariant 6: the snapshot path leaves everything as it was.
                assert!(snap
                    .apply(event.clone(), "$.event", Render::EXPLAINED)
                    .is_err());
                assert_eq!(snap, before);
            }
            (r, m) => panic!(
                "step {i} {a:?}: machine {:?}, model {:?}\nstate {:?}",
                r.as_ref().map(|t| t.state.phase),
                m,
                snap.state
            ),
        }
        assert!(
            model.agrees(&snap.state),
            "step {i} {a:?}: model {model:?}\nstate {:?}",
            snap.state
        );
    }
    // Invariant 7: replaying the log gives the same state and outputs, byte for byte.
    let (replayed, outputs, summary) =
        course::replay(start, &snap.events, "$", Render::EXPLAINED).unwrap();
    assert_eq!(
        serde_json::to_string(&replayed).unwrap(),
        serde_json::to_string(&snap).unwrap()
    );
    assert_eq!(
        serde_json::to_string(&outputs).unwrap(),
        serde_json::to_string(&last_outputs).unwrap()
    );
    assert_eq!(summary.len(), snap.events.len());
    // The snapshot round-trips through JSON and validates.
    let text = serde_json::to_string(&snap).unwrap();
    let back = Snapshot::from_json(&text, "$").unwrap();
    assert_eq!(back, snap);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn machine_agrees_with_model(v in proptest::sample::select(Variant::ALL.to_vec()),
                                 events in events()) {
        run(v, &events);
    }
}

#[test]
fn a_scripted_standard_course_reaches_completion_in_the_model_too() {
    let mut events = vec![
        A::AssessOk,
        A::Start,
        A::Session,
        A::Inventory,
        A::Focus,
        A::Contract,
    ];
    events.extend([A::Session; 10]);
    events.push(A::Raise);
    events.extend([A::Session; 5]);
    events.push(A::Complete);
    run(Variant::Standard, &events);
    let mut m = Model::new(CourseConfig::of(Variant::Standard));
    for a in &events {
        m = m.step(*a).unwrap();
    }
    assert_eq!(m.phase, Phase::Completed);
}

/// Advancing without outputs checks a focus only for a distinct backup (no ranking is built):
/// it must refuse a duplicate backup exactly as `apply` does, in a focus and a renegotiation.
#[test]
fn advancing_refuses_a_duplicate_backup_exactly_as_apply_does() {
    let mut s = CourseState::new(CourseConfig::of(Variant::Standard));
    for a in [A::AssessOk, A::Start, A::Session, A::Inventory] {
        s = course::apply(&s, &concrete(a, &s)).unwrap().state;
    }
    let dup: ipt_core::course::Event = serde_json::from_value(
        serde_json::json!({"type": "focus_agreed", "primary": "grief", "backup": "grief"}),
    )
    .unwrap();
    let applied = course::apply(&s, &dup).unwrap_err();
    let advanced = course::advance_at(&s, &dup, course::EVENT_PATH).unwrap_err();
    assert_eq!(applied, advanced);
    assert_eq!(applied.code(), ipt_core::ErrorCode::InvalidInput);
    // A focus with a distinct backup advances to the same state either way.
    let ok = concrete(A::Focus, &s);
    assert_eq!(
        course::apply(&s, &ok).unwrap().state,
        course::advance_at(&s, &ok, course::EVENT_PATH).unwrap()
    );
}
