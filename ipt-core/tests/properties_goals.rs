//! Goals, functioning and the ending review (G-PROGRESS, M-WSAS, ST-REVIEW), as
//! properties: a goal's progress is monotone in its ratings; no rating outside 0-10 is
//! accepted, and the refusal names its path; the WSAS is never prorated; the review's numbers
//! are the ones the course recorded.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use ipt_core::api;
use ipt_core::course::goals::{self, Goal, GoalChange, RatingPoint};
use ipt_core::course::Phase;
use ipt_core::measures::{Instrument, Measure};
use proptest::prelude::*;
use serde_json::{json, Value};

/// The demo course (the conformance vector of a complete standard course; `tests/vectors`
/// links to the repository's vectors, and the packaged crate holds a copy).
const DEMO: &str = include_str!("vectors/course/V-STANDARD.complete_standard_16.json");

fn demo() -> (Value, Vec<Value>) {
    let v: Value = serde_json::from_str(DEMO).unwrap();
    (
        v["request"]["start"].clone(),
        v["request"]["events"].as_array().unwrap().clone(),
    )
}

fn goal(id: &str) -> Goal {
    Goal {
        id: id.to_owned(),
        text: "a goal".to_owned(),
        area: None,
        relationship: None,
        life_event: None,
    }
}

fn points(ratings: &[u32]) -> Vec<RatingPoint> {
    ratings
        .iter()
        .enumerate()
        .map(|(i, r)| RatingPoint {
            goal: "g".to_owned(),
            phase: Phase::Middle,
            session: u32::try_from(i).unwrap() + 4,
            date: "2026-02-02".to_owned(),
            rating: *r,
        })
        .collect()
}

/// How good a change is, in order: deterioration, not reliable (or not yet told),
/// improvement.
fn rank(c: GoalChange) -> u8 {
    match c {
        GoalChange::ReliableDeterioration => 0,
        GoalChange::NotRated | GoalChange::RatedOnce | GoalChange::NotReliable => 1,
        GoalChange::ReliableImprovement => 2,
    }
}

fn call(op: &str, request: &Value) -> Value {
    serde_json::from_str(&api::call(op, &request.to_string())).unwrap()
}

/// The demo course with the WSAS totals and goal ratings given, by session.
fn course_with(wsas: &[(u32, u32)], ratings: &[(u32, u32, u32)]) -> Value {
    let (start, mut events) = demo();
    for e in &mut events {
        if e["type"] != "session_held" {
            continue;
        }
        let n = u32::try_from(e["number"].as_u64().unwrap()).unwrap();
        let ms: Vec<Value> = e["measures"]
            .as_array()
            .cloned()
            .unwrap_or_default()
            .into_iter()
            .filter(|m| m["instrument"] != "wsas")
            .chain(
                wsas.iter()
                    .filter(|(s, _)| *s == n)
                    .map(|(_, t)| json!({"instrument": "wsas", "total": t})),
            )
            .collect();
        e["measures"] = Value::Array(ms);
        let rs: Vec<Value> = ratings
            .iter()
            .filter(|(s, _, _)| *s == n)
            .map(|(_, rows, father)| {
                json!([{"goal": "rows", "rating": rows}, {"goal": "father", "rating": father}])
            })
            .flat_map(|v| v.as_array().cloned().unwrap())
            .collect();
        e["goal_ratings"] = Value::Array(rs);
    }
    json!({"start": start, "events": events})
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    /// Raising the latest rating never lowers the change, and never turns a reliable
    /// improvement into anything else (nor a deterioration into an improvement).
    #[test]
    fn progress_is_monotone_in_the_latest_rating(
        first in 0u32..=10, between in prop::collection::vec(0u32..=10, 0..4),
        a in 0u32..=10, b in 0u32..=10,
    ) {
        let (lo, hi) = (a.min(b), a.max(b));
        let g = goal("g");
        let with = |last: u32| {
            let mut r = vec![first];
            r.extend(&between);
            r.push(last);
            goals::progress(&g, &points(&r))
        };
        let (p_lo, p_hi) = (with(lo), with(hi));
        prop_assert!(p_lo.change <= p_hi.change);
        prop_assert!(rank(p_lo.reliable) <= rank(p_hi.reliable));
        prop_assert_eq!(p_hi.change, Some(i64::from(hi) - i64::from(first)));
        prop_assert_eq!(p_hi.first, Some(first));
        prop_assert_eq!(p_hi.latest, Some(hi));
        // Reliable exactly when the change is 3 points or more (2.45, L16).
        let c = i64::from(hi) - i64::from(first);
        prop_assert_eq!(
            p_hi.reliable == GoalChange::ReliableImprovement,
            c >= 3
        );
        prop_assert_eq!(
            p_hi.reliable == GoalChange::ReliableDeterioration,
            c <= -3
        );
    }

    /// Lowering the first rating never lowers the change (monotone the other way).
    #[test]
    fn progress_is_antitone_in_the_first_rating(a in 0u32..=10, b in 0u32..=10, last in 0u32..=10) {
        let (lo, hi) = (a.min(b), a.max(b));
        let g = goal("g");
        let p_lo = goals::progress(&g, &points(&[lo, last]));
        let p_hi = goals::progress(&g, &points(&[hi, last]));
        prop_assert!(p_lo.change >= p_hi.change);
        prop_assert!(rank(p_lo.reliable) >= rank(p_hi.reliable));
    }

    /// A rating above 10 is refused at its path, whatever it is; 0-10 is accepted.
    #[test]
    fn ratings_outside_0_to_10_are_refused_at_their_path(rating in 0u32..2000) {
        let (start, mut events) = demo();
        let i = events
            .iter()
            .position(|e| e["type"] == "session_held" && e["number"] == 4)
            .unwrap();
        events[i]["goal_ratings"] = json!([{"goal": "father", "rating": 2}, {"goal": "rows", "rating": rating}]);
        events.truncate(i + 1);
        let a = call("course_replay", &json!({"start": start, "events": events}));
        if rating <= 10 {
            prop_assert!(a["error"].is_null(), "{}", a);
        } else {
            prop_assert_eq!(&a["error"]["code"], "invalid_input");
            let path = format!("$.events[{i}].goal_ratings[1].rating");
            prop_assert_eq!(a["error"]["path"].as_str(), Some(path.as_str()));
            prop_assert!(a["result"].is_null());
        }
    }

    /// The WSAS is never prorated: with an item missing the total is unknown; with every
    /// item it is their sum; an item above 8 is refused at its path.
    #[test]
    fn wsas_is_not_prorated(items in prop::collection::vec(prop::option::weighted(0.8, 0u32..=9), 5)) {
        let m = Measure {
            items: Some(items.clone()),
            ..Measure::of_total(Instrument::Wsas, 0)
        };
        let m = Measure { total: None, ..m };
        let over = items.iter().position(|v| v.is_some_and(|v| v > 8));
        match (m.validate("$.m"), over) {
            (Err(e), Some(i)) => {
                let path = format!("$.m.items[{i}]");
                prop_assert_eq!(e.path(), Some(path.as_str()));
            }
            (Ok(()), None) => {
                let sum: Option<u32> = items.iter().copied().sum();
                prop_assert_eq!(m.score(), sum);
                let reading = ipt_core::measures::evaluate(None, &m).unwrap();
                prop_assert_eq!(reading.total, sum);
            }
            (r, o) => prop_assert!(false, "validate {r:?} with an item over 8 at {o:?}"),
        }
    }

    /// The review's numbers are the course's: each goal's first and latest rating, each
    /// instrument's baseline and latest total, the sessions held.
    #[test]
    fn the_review_holds_what_was_recorded(
        wsas in prop::collection::btree_map(1u32..=16, 0u32..=40, 1..5),
        ratings in prop::collection::btree_map(4u32..=16, (0u32..=10, 0u32..=10), 0..6),
    ) {
        let wsas: Vec<(u32, u32)> = wsas.into_iter().collect();
        let ratings: Vec<(u32, u32, u32)> = ratings.into_iter().map(|(s, (a, b))| (s, a, b)).collect();
        let replayed = call("course_replay", &course_with(&wsas, &ratings));
        prop_assert!(replayed["error"].is_null(), "{}", replayed);
        let review = call("course_review", &json!({"snapshot": replayed["result"]["snapshot"]}));
        let r = &review["result"];
        prop_assert!(!r.is_null(), "{}", review);
        prop_assert_eq!(&r["sessions"]["held"], 16);
        prop_assert_eq!(&r["sessions"]["contracted"], 16);
        for (k, id) in ["rows", "father"].iter().enumerate() {
            let g = r["goals"].as_array().unwrap().iter().find(|g| g["goal"]["id"] == *id).unwrap();
            let pick = |(_, a, b): &(u32, u32, u32)| if k == 0 { *a } else { *b };
            match (ratings.first(), ratings.last()) {
                (Some(f), Some(l)) => {
                    prop_assert_eq!(&g["progress"]["first"], pick(f));
                    prop_assert_eq!(&g["progress"]["latest"], pick(l));
                    prop_assert_eq!(&g["progress"]["first_session"], f.0);
                    prop_assert_eq!(&g["progress"]["ratings"], ratings.len());
                }
                _ => prop_assert_eq!(&g["progress"]["reliable"], "not_rated"),
            }
        }
        let w = r["measures"].as_array().unwrap().iter().find(|m| m["instrument"] == "wsas").unwrap();
        let (first, last) = (wsas.first().unwrap(), wsas.last().unwrap());
        prop_assert_eq!(&w["baseline"]["total"], first.1);
        prop_assert_eq!(&w["baseline"]["session"], first.0);
        prop_assert_eq!(&w["latest"]["total"], last.1);
        prop_assert_eq!(&w["change"], i64::from(last.1) - i64::from(first.1));
        prop_assert_eq!(&w["functioning"], true);
        let phq = r["measures"].as_array().unwrap().iter().find(|m| m["instrument"] == "phq9").unwrap();
        prop_assert_eq!(&phq["baseline"]["total"], 18);
        prop_assert_eq!(&phq["latest"]["total"], 6);
    }
}

/// Goal ratings on a course change nothing else: the demo course without them has the same
/// phase, measures and alerts.
#[test]
fn a_course_without_its_goal_ratings_advances_alike() {
    let with = call(
        "course_replay",
        &course_with(&[(1, 23)], &[(4, 2, 1), (8, 6, 4)]),
    );
    let without = call("course_replay", &course_with(&[(1, 23)], &[]));
    let (a, b) = (
        &with["result"]["snapshot"]["state"],
        &without["result"]["snapshot"]["state"],
    );
    assert_eq!(a["phase"], b["phase"]);
    assert_eq!(a["measures"], b["measures"]);
    assert_eq!(
        with["result"]["outputs"]["alerts"],
        without["result"]["outputs"]["alerts"]
    );
    assert_ne!(a["goal_ratings"], b["goal_ratings"]);
}
