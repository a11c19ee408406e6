//! Course event sequences, structure-aware: each input byte pair picks an event from the kinds
//! a clinician records (with dates, session numbers, measures, risk levels, areas and closing
//! reasons drawn from the bytes) and applies it to an in-memory course. After every step:
//! the answer is JSON; a refused or invalid event leaves the snapshot exactly as it was
//! (invariant 6); phases never go backwards and sessions are held one at a time (3); while a
//! high or imminent risk is unresolved every answer carries the X-SUICIDE alert (8).
#![no_main]

use ipt_core::api::Course;
use ipt_core::RuleId;
use libfuzzer_sys::fuzz_target;
use serde_json::{json, Value};

const AREAS: &[&str] = &[
    "grief",
    "role_dispute",
    "role_transition",
    "interpersonal_deficits",
];
const RISKS: &[&str] = &["none", "low", "moderate", "high", "imminent"];
const VARIANTS: &[&str] = &["standard", "brief", "adolescent", "group", "maintenance"];

fn assessment(b: u8) -> Value {
    let f = |bit: u8| if b & bit != 0 { "present" } else { "absent" };
    json!({
        "age": 20 + u32::from(b % 50),
        "diagnoses": [{"category": "major_depression",
                       "course": if b & 1 != 0 { "recurrent" } else { "first_episode" },
                       "phase": "acute"}],
        "findings": {"active_psychosis": f(2), "personality_disorder": "absent", "motivation": "present",
                     "insight": "present", "cognitive_impairment": {"severity": "none"},
                     "suicide_risk": RISKS[usize::from(b / 4) % RISKS.len()]}
    })
}

fn event(kind: u8, b: u8, session: u32, maintenance: u32, day: &mut u32) -> Value {
    *day += u32::from(b % 9);
    let date = format!("2026-{:02}-{:02}", 1 + (*day / 28) % 12, 1 + *day % 28);
    match kind % 16 {
        0 => json!({"type": "assessment_recorded", "assessment": assessment(b)}),
        1 => json!({"type": "course_started", "date": date}),
        2 | 3 | 4 => {
            let mut e = json!({"type": "session_held", "number": session + 1 - u32::from(b % 7 == 0), "date": date});
            if b & 1 != 0 {
                e["measures"] = json!([{"instrument": "phq9", "total": u32::from(b % 28), "item9": u32::from(b % 4).min(u32::from(b % 28))}]);
            }
            if b & 2 != 0 {
                e["tasks_done"] = json!(["symptoms_reviewed", "lethality_assessed"]);
            }
            e
        }
        5 => json!({"type": "inventory_recorded", "inventory": {
            "life_events": [{"kind": "death", "months_before_onset": u32::from(b % 12), "relationship": "father"}],
            "relationships": [{"id": "a", "role": "partner", "conflict": "open", "closeness": 1 + u32::from(b % 5)}]}}),
        6 => {
            let mut e = json!({"type": "focus_agreed", "primary": AREAS[usize::from(b) % 4]});
            if b & 4 != 0 {
                e["backup"] = json!(AREAS[usize::from(b / 8) % 4]);
            }
            e
        }
        7 => {
            json!({"type": "contract_agreed", "contract": {"sessions": 8 + u32::from(b % 10), "format": "individual", "goals": ["x"]}})
        }
        8 => json!({"type": "risk_assessed", "level": RISKS[usize::from(b) % RISKS.len()]}),
        9 => json!({"type": "termination_raised"}),
        10 => json!({"type": "course_completed"}),
        11 => json!({"type": "session_missed", "date": date}),
        12 => json!({"type": "maintenance_contracted"}),
        13 => json!({"type": "maintenance_session_held", "number": maintenance + 1, "date": date}),
        14 => json!({"type": "safety_plan_recorded", "date": date}),
        _ => {
            let reason =
                ["not_suitable", "withdrawn", "referred", "dropped_out"][usize::from(b) % 4];
            json!({"type": "closed", "reason": reason})
        }
    }
}

fn has_suicide_alert(outputs: &Value) -> bool {
    outputs["alerts"]
        .as_array()
        .is_some_and(|a| a.iter().any(|x| x["rule_id"] == "X-SUICIDE"))
}

// The typed state is compared and read directly (serializing it at every step made this
// target run at a few executions a second); the answers are still read as JSON.
fuzz_target!(|data: &[u8]| {
    let Some((&v, rest)) = data.split_first() else {
        return;
    };
    let start = json!({"variant": VARIANTS[usize::from(v) % VARIANTS.len()]}).to_string();
    let Ok((mut course, _)) = Course::start(&start) else {
        return;
    };
    let mut day = 0;
    let mut high_risk = false;
    for pair in rest.chunks(2).take(64) {
        let (kind, b) = (pair[0], pair.get(1).copied().unwrap_or(0));
        let snapshot = course.snapshot_typed().clone();
        let before = &snapshot.state;
        let e = event(
            kind,
            b,
            before.sessions_held,
            before.maintenance_sessions_held,
            &mut day,
        );
        let reply = course.apply(&e.to_string());
        let answer: Value = serde_json::from_str(&reply.json).expect("the answer is JSON");
        if reply.error.is_some() {
            assert!(
                course.snapshot_typed() == &snapshot,
                "a refused event changed the course: {e}"
            );
            continue;
        }
        let after = &course.snapshot_typed().state;
        assert!(
            after.phase.rank() >= before.phase.rank(),
            "phase went back: {e}"
        );
        let (s0, s1) = (before.sessions_held, after.sessions_held);
        assert!(s1 == s0 || s1 == s0 + 1, "sessions {s0} -> {s1}: {e}");
        if e["type"] == "risk_assessed" || (e["type"] == "assessment_recorded") {
            let level = e["level"]
                .as_str()
                .or_else(|| e["assessment"]["findings"]["suicide_risk"].as_str());
            high_risk = matches!(level, Some("high" | "imminent"));
        }
        if high_risk {
            assert!(
                has_suicide_alert(&answer["result"]["outputs"]),
                "the safety alert was lost: {e}"
            );
            assert!(
                ipt_core::course::alerts(after, ipt_core::explain::Render::EXPLAINED)
                    .iter()
                    .any(|a| a.rule_id == RuleId::XSuicide),
                "the state lost the safety alert: {e}"
            );
        }
    }
    // The status answer, once per input, carries the alert too.
    let status: Value = serde_json::from_str(&course.status().json).expect("status is JSON");
    if high_risk {
        assert!(
            has_suicide_alert(&status["result"]),
            "status lost the safety alert"
        );
    }
});
