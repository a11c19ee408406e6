//! Properties of measurement-based care: item-level totals (M-PHQ9, M-GAD7, M-PHQA), the
//! reliable-change outcome (M-RELIABLE-CHANGE) monotone in the size of the change, reliable
//! recovery (M-RECOVERY) only with reliable improvement, sustained remission
//! (M-SUSTAINED-REMISSION), and trends that replay byte for byte (invariant 7).

#![allow(clippy::unwrap_used, clippy::panic, clippy::indexing_slicing)]

use ipt_core::course::{self, Event, Snapshot, StartRequest};
use ipt_core::explain::Render;
use ipt_core::explain::RuleStatus;
use ipt_core::measures::change::{self, Direction, Resolved, Thresholds};
use ipt_core::measures::{self, Instrument, Measure};
use ipt_core::variant::Variant;
use proptest::prelude::*;
use serde_json::json;

fn itemised() -> impl Strategy<Value = Instrument> {
    prop::sample::select(vec![Instrument::Phq9, Instrument::Gad7, Instrument::Phqa])
}

fn instrument() -> impl Strategy<Value = Instrument> {
    prop::sample::select(Instrument::ALL.to_vec())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    /// A total derived from items equals their sum; with an item missing it is unknown
    /// (no proration) and the item's path is listed as missing; an item above 3 is refused
    /// at its path.
    #[test]
    fn totals_from_items_are_the_sum(
        inst in itemised(),
        raw in prop::collection::vec(0u32..=3, 9),
        hole in prop::option::of(0usize..9),
        bad in prop::option::of((0usize..9, 4u32..100)),
    ) {
        let n = inst.item_count().unwrap();
        let mut items: Vec<Option<u32>> = raw.iter().take(n).map(|v| Some(*v)).collect();
        let sum: u32 = raw.iter().take(n).sum();
        let m = Measure { items: Some(items.clone()), total: None, ..Measure::of_total(inst, 0) };
        let r = measures::evaluate(None, &m).unwrap();
        prop_assert_eq!(r.total, Some(sum));
        prop_assert_eq!(r.band, Some(measures::band(inst, sum)));
        let given = Measure { total: Some(sum), ..m.clone() };
        prop_assert_eq!(measures::evaluate(None, &given).unwrap().total, Some(sum));
        if let Some(h) = hole.filter(|h| *h < n) {
            items[h] = None;
            let partial = Measure { items: Some(items.clone()), ..m.clone() };
            let r = measures::evaluate(None, &partial).unwrap();
            prop_assert_eq!(r.total, None);
            prop_assert_eq!(r.explanations[0].status, RuleStatus::Unknown);
            let path = format!("$.current.items[{h}]");
            prop_assert!(r.explanations[0].inputs_missing.iter().any(|p| *p == path));
        }
        if let Some((k, v)) = bad.filter(|(k, _)| *k < n) {
            items[k] = Some(v);
            let wrong = Measure { items: Some(items), ..m };
            let e = measures::evaluate(None, &wrong).unwrap_err();
            let path = format!("$.current.items[{k}]");
            prop_assert_eq!(e.path(), Some(path.as_str()));
        }
    }

    /// The reliable-change outcome is monotone in the size of the change: a larger change in
    /// the same direction is never less reliable, and it is reliable exactly when it reaches
    /// the threshold (points or Jacobson-Truax).
    #[test]
    fn reliable_change_is_monotone(
        inst in instrument(),
        b in 0u32..=63,
        d1 in 0u32..=63,
        d2 in 0u32..=63,
        points in prop::option::of(1u32..=10),
        sd in prop::option::of(1u32..=120),
        worse in any::<bool>(),
    ) {
        let max = inst.max_total();
        let b = b.min(max);
        let (small, large) = (d1.min(d2), d1.max(d2));
        let t = Thresholds {
            reliable_change_points: if sd.is_some() { None } else { points },
            jacobson_truax: sd.map(|s| change::JacobsonTruax {
                sd: f64::from(s) / 10.0,
                reliability: Some(0.85),
            }),
            caseness_cutoff: None,
        };
        let p = Resolved::new(inst, &t, "$.t").unwrap();
        let at = |d: u32| {
            let c = if worse { (b + d).min(max) } else { b.saturating_sub(d) };
            (c, change::reliable_change(b, c, &p))
        };
        let (cs, s) = at(small);
        let (cl, l) = at(large);
        let rank = |r: &change::ReliableChange| match r.status {
            RuleStatus::Met => 1,
            _ => 0,
        };
        prop_assert!(rank(&l) >= rank(&s), "{:?} then {:?}", s, l);
        for (c, r) in [(cs, &s), (cl, &l)] {
            match p.threshold {
                None => prop_assert_eq!(r.status, RuleStatus::Unknown),
                Some(th) => {
                    let reliable = c.abs_diff(b) >= th;
                    prop_assert_eq!(r.status == RuleStatus::Met, reliable);
                    if reliable {
                        let dir = if c < b { Direction::Improvement } else { Direction::Deterioration };
                        prop_assert_eq!(r.direction, Some(dir));
                    }
                    if let Some(rci) = r.rci {
                        // The index and the whole-point threshold agree (to its rounding).
                        prop_assert!(!reliable || rci.abs() >= 1.95, "{rci}");
                    }
                }
            }
        }
    }

    /// Reliable recovery only from a case at baseline, to below the cut-off, with reliable
    /// improvement; a reliable deterioration is never a recovery.
    #[test]
    fn reliable_recovery_needs_both(inst in itemised(), b in 0u32..=27, c in 0u32..=27) {
        let max = inst.max_total();
        let (b, c) = (b.min(max), c.min(max));
        let p = Resolved::defaults(inst);
        let ch = change::Change::of(inst, b, c, &p);
        let cut = p.caseness.unwrap();
        let th = p.threshold.unwrap();
        let expected = b >= cut && c < cut && b - c >= th;
        prop_assert_eq!(ch.recovery.status == RuleStatus::Met, expected);
        prop_assert_eq!(ch.recovery.status == RuleStatus::NotApplicable, b < cut);
        prop_assert_eq!(ch.deterioration == RuleStatus::Met, c >= b + th);
    }

    /// Sustained remission holds exactly when the trailing run of measures in remission has
    /// two or more measures spanning the interval.
    #[test]
    fn sustained_remission_follows_its_definition(
        totals in prop::collection::vec(0u32..=27, 1..12),
        gap in 1i64..=21,
        interval in 1u32..=60,
    ) {
        let series: Vec<(u32, i64)> = totals.iter().enumerate().map(|(i, t)| (*t, i as i64 * gap)).collect();
        let s = change::sustained_remission(Instrument::Phq9, &series, interval);
        let run = totals.iter().rev().take_while(|t| **t < 5).count();
        prop_assert_eq!(s.measures_in_remission, run);
        let span = if run >= 1 { (run as i64 - 1) * gap } else { 0 };
        prop_assert_eq!(i64::from(s.days_in_remission), span);
        prop_assert_eq!(s.status == RuleStatus::Met, run >= 2 && span >= i64::from(interval));
    }

    /// The trend series replays byte for byte: the status of a replayed course equals the
    /// status of the course built event by event, in JSON.
    #[test]
    fn trend_series_replays_byte_identically(
        totals in prop::collection::vec(prop::option::of(0u32..=27), 1..8),
        gad in prop::collection::vec(0u32..=21, 1..8),
    ) {
        let start = StartRequest {
            variant: Variant::Brief,
            overrides: None,
            course_id: None,
            measurement: Some(course::Measurement {
                instruments: Some(vec![Instrument::Phq9, Instrument::Gad7]),
                ..course::Measurement::default()
            }),
        };
        let mut events: Vec<Event> = vec![
            serde_json::from_value(json!({"type": "assessment_recorded", "assessment": {
                "age": 30, "diagnoses": [{"category": "major_depression", "course": "first_episode", "phase": "acute"}],
                "findings": {"active_psychosis": "absent", "personality_disorder": "absent", "cognitive_impairment": {"severity": "none"},
                    "motivation": "present", "insight": "present", "self_reflection": "present", "suicide_risk": "low"},
                "care_setting": "outpatient"}})).unwrap(),
            serde_json::from_value(json!({"type": "course_started", "date": "2026-01-05"})).unwrap(),
        ];
        for (i, t) in totals.iter().enumerate().take(2) {
            let mut ms = vec![json!({"instrument": "gad7", "total": gad[i % gad.len()]})];
            if let Some(t) = t {
                ms.push(json!({"instrument": "phq9", "total": t, "item9": 0}));
            }
            let tasks = if i == 0 { json!(["lethality_assessed"]) } else { json!([]) };
            events.push(serde_json::from_value(json!({"type": "session_held", "number": i + 1,
                "date": format!("2026-01-{:02}", 12 + 7 * i), "measures": ms, "tasks_done": tasks})).unwrap());
        }
        let mut snap = Snapshot::start(start.clone(), "$").unwrap();
        for e in &events {
            snap.apply(e.clone(), "$.event", Render::EXPLAINED).unwrap();
        }
        let (replayed, _, _) = course::replay(start, &events, "$", Render::EXPLAINED).unwrap();
        let a = serde_json::to_string(&course::status(&snap.state)).unwrap();
        let b = serde_json::to_string(&course::status(&replayed.state)).unwrap();
        prop_assert_eq!(&a, &b);
        let st = course::status(&snap.state);
        for t in &st.measures {
            prop_assert_eq!(t.series.len(), t.points.len());
            for (p, s) in t.points.iter().zip(&t.series) {
                prop_assert_eq!(p.measure.score(), s.total);
            }
        }
    }
}

/// A course refuses an event with an item out of range at the item's path, and leaves the
/// state as it was (invariant 6).
#[test]
fn an_item_out_of_range_in_a_course_is_refused_at_its_path() {
    let start = StartRequest {
        variant: Variant::Standard,
        overrides: None,
        course_id: None,
        measurement: None,
    };
    let snap = Snapshot::start(start, "$").unwrap();
    let mut s = snap.state.clone();
    s.phase = course::Phase::Initial;
    let ev: Event = serde_json::from_value(
        json!({"type": "session_held", "number": 1, "date": "2026-01-12",
        "measures": [{"instrument": "gad7", "items": [0, 1, 2, 3, 0, 1, 9]}]}),
    )
    .unwrap();
    let before = s.clone();
    let e = course::apply(&s, &ev).unwrap_err();
    assert_eq!(e.path(), Some("$.event.measures[0].items[6]"));
    assert_eq!(s, before);
}
