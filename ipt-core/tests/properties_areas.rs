//! Property tests of problem-area ranking (PA-*), focus selection (PA-SELECT, invariant 5) and
//! measures (M-PHQ9, M-HAMD17, M-BDI2, X-SUICIDE) over generated inputs.

// Test code: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used, clippy::panic, clippy::indexing_slicing)]

use ipt_core::areas::{self, AreaStatus, ProblemArea};
use ipt_core::explain::Indicator;
use ipt_core::findings::Finding;
use ipt_core::inventory::{
    Closeness, Conflict, DisputeStage, Inventory, LifeEvent, LifeEventKind, Relationship, Role,
};
use ipt_core::measures::{self, Instrument, Measure};
use ipt_core::{api, ErrorCode, RuleId};
use proptest::prelude::*;

fn finding() -> impl Strategy<Value = Finding> {
    prop_oneof![
        Just(Finding::Present),
        Just(Finding::Absent),
        Just(Finding::Unknown)
    ]
}

fn role() -> impl Strategy<Value = Role> {
    prop_oneof![
        Just(Role::Partner),
        Just(Role::Parent),
        Just(Role::Child),
        Just(Role::Sibling),
        Just(Role::OtherFamily),
        Just(Role::Friend),
        Just(Role::Colleague),
        Just(Role::Other),
    ]
}

fn kind() -> impl Strategy<Value = LifeEventKind> {
    prop_oneof![
        Just(LifeEventKind::Death),
        Just(LifeEventKind::SeparationDivorce),
        Just(LifeEventKind::JobLoss),
        Just(LifeEventKind::Retirement),
        Just(LifeEventKind::BirthOfChild),
        Just(LifeEventKind::BecomingIndependent),
        Just(LifeEventKind::Marriage),
        Just(LifeEventKind::ChildrenLeavingHome),
        Just(LifeEventKind::Illness),
        Just(LifeEventKind::Move),
        Just(LifeEventKind::OtherLoss),
        Just(LifeEventKind::Other),
    ]
}

fn area() -> impl Strategy<Value = ProblemArea> {
    prop::sample::select(ProblemArea::ALL.to_vec())
}

/// (conflict, stage): a stage only with open or covert conflict.
fn conflict() -> impl Strategy<Value = (Option<Conflict>, Option<DisputeStage>)> {
    let stage = prop::option::of(prop_oneof![
        Just(DisputeStage::Renegotiation),
        Just(DisputeStage::Impasse),
        Just(DisputeStage::Dissolution),
    ]);
    prop_oneof![
        Just((None, None)),
        Just((Some(Conflict::None), None)),
        stage.clone().prop_map(|s| (Some(Conflict::Open), s)),
        stage.prop_map(|s| (Some(Conflict::Covert), s)),
    ]
}

fn relationship(i: usize) -> impl Strategy<Value = Relationship> {
    (
        role(),
        prop::option::of(1u32..=5),
        conflict(),
        finding(),
        finding(),
    )
        .prop_map(
            move |(role, closeness, (conflict, dispute_stage), linked, history)| Relationship {
                id: format!("r{i}"),
                person: None,
                role,
                closeness: closeness.and_then(Closeness::new),
                expectations_of_patient: None,
                expectations_of_other: None,
                satisfying: Vec::new(),
                unsatisfying: Vec::new(),
                wanted_changes: Vec::new(),
                conflict,
                dispute_stage,
                conflict_onset_linked: linked,
                long_history_of_difficulty: history,
            },
        )
}

fn event(n_rel: usize) -> impl Strategy<Value = LifeEvent> {
    (
        kind(),
        prop::option::of(0..n_rel.max(1)),
        prop_oneof![
            Just((None, None)),
            (-24i32..=36).prop_map(|m| (Some(m), None)),
            (1u32..=28, 1u32..=12).prop_map(|(d, m)| (None, Some(format!("2024-{m:02}-{d:02}")))),
        ],
        finding(),
    )
        .prop_map(move |(kind, rel, (months, date), mourning)| LifeEvent {
            kind,
            relationship: rel.filter(|_| n_rel > 0).map(|r| format!("r{r}")),
            months_before_onset: months,
            date,
            onset_date: None,
            description: None,
            // Only a death says whether mourning is obstructed.
            mourning_obstructed: if kind == LifeEventKind::Death {
                mourning
            } else {
                Finding::Unknown
            },
        })
}

fn inventory() -> impl Strategy<Value = Inventory> {
    (0usize..=6, any::<bool>(), any::<bool>())
        .prop_flat_map(|(n, has_rels, has_events)| {
            let rels: Vec<_> = (0..n).map(relationship).collect();
            (
                rels,
                prop::collection::vec(event(if has_rels { n } else { 0 }), 0..=6),
                Just(has_rels),
                Just(has_events),
                finding(),
                finding(),
                finding(),
            )
        })
        .prop_map(
            |(rels, events, has_rels, has_events, iso, good, withdrawal)| Inventory {
                relationships: has_rels.then_some(rels),
                life_events: has_events.then_some(events),
                onset_date: Some("2024-09-30".to_owned()),
                long_standing_isolation: iso,
                prolonged_good_functioning: good,
                withdrawal_due_to_depression: withdrawal,
            },
        )
}

fn instrument() -> impl Strategy<Value = Instrument> {
    prop::sample::select(Instrument::ALL.to_vec())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    /// Ranking is total and deterministic, and the JSON API gives the typed result.
    #[test]
    fn ranking_is_total_and_deterministic(inv in inventory()) {
        prop_assert!(inv.validate().is_ok(), "{:?}", inv.validate());
        let r = areas::rank(&inv);
        prop_assert_eq!(&r, &areas::rank(&inv));
        prop_assert_eq!(r.areas.len(), 4);
        for (i, a) in r.areas.iter().enumerate() {
            prop_assert_eq!(a.rank as usize, i + 1);
            prop_assert_eq!(a.explanation.as_ref().unwrap().rule_id, a.area.rule_id());
        }
        for area in ProblemArea::ALL {
            prop_assert_eq!(r.areas.iter().filter(|a| a.area == area).count(), 1);
        }
        // Supported before unknown before not supported; onset-linked evidence first.
        for w in r.areas.windows(2) {
            prop_assert!(w[0].status <= w[1].status);
            if w[0].status == w[1].status {
                prop_assert!(w[0].onset_linked_evidence >= w[1].onset_linked_evidence);
            }
        }
        let json = serde_json::to_string(&inv).unwrap();
        let answer: serde_json::Value =
            serde_json::from_str(&api::rank_problem_areas(&json)).unwrap();
        prop_assert_eq!(&answer["result"], &serde_json::to_value(&r).unwrap());
        prop_assert_eq!(api::rank_problem_areas(&json), api::rank_problem_areas(&json));
        // The inventory round-trips through JSON.
        prop_assert_eq!(Inventory::from_json(&json).unwrap(), inv);
    }

    /// PA-DEFICITS is the area of last resort.
    #[test]
    fn deficits_never_supported_beside_another_area(inv in inventory()) {
        let r = areas::rank(&inv);
        let others = r.areas.iter().any(|a| {
            a.area != ProblemArea::InterpersonalDeficits && a.status == AreaStatus::Supported
        });
        let deficits = r.get(ProblemArea::InterpersonalDeficits).unwrap().status;
        if others {
            prop_assert_ne!(deficits, AreaStatus::Supported);
        }
        // Supported only when every other area is known to have no evidence.
        if deficits == AreaStatus::Supported {
            for a in &r.areas {
                if a.area != ProblemArea::InterpersonalDeficits {
                    prop_assert_eq!(a.status, AreaStatus::NotSupported);
                }
            }
        }
        if inv.withdrawal_due_to_depression == Finding::Present {
            prop_assert_ne!(deficits, AreaStatus::Supported);
        }
    }

    /// PA-GRIEF only for a death; a death is never transition evidence and a divorce never
    /// grief evidence (PA-TRANSITION); a dissolved dispute is never dispute evidence.
    #[test]
    fn grief_only_for_death(inv in inventory()) {
        let r = areas::rank(&inv);
        let evidence_of = |area: ProblemArea| -> Vec<String> {
            r.get(area).unwrap().evidence.iter().map(|e| e.path.clone()).collect()
        };
        let grief = evidence_of(ProblemArea::Grief);
        let transition = evidence_of(ProblemArea::RoleTransition);
        let dispute = evidence_of(ProblemArea::RoleDispute);
        for (i, e) in inv.life_events().iter().enumerate() {
            let path = format!("$.life_events[{i}]");
            match e.kind {
                LifeEventKind::Death => {
                    // PA-GRIEF (S4): a death is grief evidence only when it obstructs
                    // mourning; unknown obstruction is listed as missing.
                    prop_assert_eq!(
                        grief.contains(&path),
                        e.mourning_obstructed == Finding::Present
                    );
                    prop_assert!(!transition.contains(&path));
                    if e.mourning_obstructed == Finding::Unknown {
                        let missing = &r.get(ProblemArea::Grief).unwrap().explanation.as_ref().unwrap().inputs_missing;
                        let wanted = format!("{path}.mourning_obstructed");
                        prop_assert!(missing.iter().any(|p| *p == wanted));
                    }
                }
                LifeEventKind::Other => {
                    prop_assert!(!grief.contains(&path) && !transition.contains(&path));
                }
                _ => {
                    prop_assert!(!grief.contains(&path));
                    prop_assert!(transition.contains(&path));
                }
            }
        }
        for (i, rel) in inv.relationships().iter().enumerate() {
            let path = format!("$.relationships[{i}]");
            if rel.dispute_stage == Some(DisputeStage::Dissolution) {
                prop_assert!(!dispute.contains(&path));
                prop_assert!(transition.contains(&path));
            }
        }
        let death_with = |f: Finding| {
            inv.life_events()
                .iter()
                .any(|e| e.kind == LifeEventKind::Death && e.mourning_obstructed == f)
        };
        let grief_status = r.get(ProblemArea::Grief).unwrap().status;
        prop_assert_eq!(grief_status == AreaStatus::Supported, death_with(Finding::Present));
        if !death_with(Finding::Present) && death_with(Finding::Unknown) {
            prop_assert_eq!(grief_status, AreaStatus::Unknown);
        }
    }

    /// PA-SELECT / invariant 5: at most two focus areas, distinct; a duplicate backup is
    /// refused at `$.backup`; warnings only for areas without evidence or for deficits beside
    /// another area, and always cite PA-SELECT.
    #[test]
    fn focus_is_at_most_two_distinct_areas(
        inv in inventory(), primary in area(), backup in prop::option::of(area())
    ) {
        let r = areas::rank(&inv);
        match areas::check_focus(&r, primary, backup) {
            Err(e) => {
                prop_assert_eq!(backup, Some(primary));
                prop_assert_eq!(e.code(), ErrorCode::InvalidInput);
                prop_assert_eq!(e.path(), Some("$.backup"));
            }
            Ok(warnings) => {
                prop_assert_ne!(backup, Some(primary));
                let chosen: Vec<ProblemArea> = std::iter::once(primary).chain(backup).collect();
                prop_assert!(warnings.len() <= chosen.len());
                for w in &warnings {
                    prop_assert_eq!(w.rule_id, RuleId::PaSelect);
                    prop_assert_eq!(w.indicator, Indicator::Warning);
                }
                let expected = chosen
                    .iter()
                    .filter(|&&a| {
                        let supported = r.get(a).unwrap().status == AreaStatus::Supported;
                        let other = r.areas.iter().any(|x| x.area != a && x.status == AreaStatus::Supported);
                        !supported || (a == ProblemArea::InterpersonalDeficits && other)
                    })
                    .count();
                prop_assert_eq!(warnings.len(), expected);
            }
        }
    }

    /// Response and remission follow their definitions (M-*), and PHQ-9 item 9 above 0 makes
    /// a lethality assessment due (X-SUICIDE).
    #[test]
    fn measure_definitions_hold(
        inst in instrument(), b in 0u32..=63, c in 0u32..=63, i9 in prop::option::of(0u8..=3)
    ) {
        let b = b.min(inst.max_total());
        let c = c.min(inst.max_total());
        let item9 = if inst.has_item9() { i9.map(|i| u8::try_from(c.min(u32::from(i))).unwrap()) } else { None };
        let baseline = Measure::of_total(inst, b);
        let current = Measure { item9, ..Measure::of_total(inst, c) };
        let r = measures::evaluate(Some(&baseline), &current).unwrap();
        prop_assert_eq!(r.response == Finding::Present, b > 0 && 2 * c <= b);
        if b > 0 {
            let tenths = (r.percent_change.unwrap() * 10.0).round() as i64;
            prop_assert_eq!(r.response == Finding::Present, tenths <= -500);
        } else {
            prop_assert_eq!(r.percent_change, None);
        }
        prop_assert_eq!(r.change_from_baseline, Some(i64::from(c) - i64::from(b)));
        let remission = Some(match inst {
            Instrument::Phq9 | Instrument::Phqa | Instrument::Gad7 => c < 5,
            Instrument::Hamd17 => c <= 7,
            Instrument::Bdi2 => c <= 12,
            // The subclinical range (Mundt et al. 2002).
            Instrument::Wsas => c < 10,
        });
        prop_assert_eq!(r.remission, remission);
        let alert = r.explanations.iter().any(|e| e.rule_id == RuleId::XSuicide);
        prop_assert_eq!(alert, item9.is_some_and(|i| i > 0));
        prop_assert_eq!(r.lethality_assessment_due == Finding::Present, alert);
        prop_assert_eq!(r.explanations[0].rule_id, inst.rule_id());
        let none = measures::evaluate(None, &current).unwrap();
        prop_assert_eq!(none.response, Finding::Unknown);
        prop_assert_eq!(none.remission, remission);
    }

    /// Totals out of range are refused with the path, never a panic.
    #[test]
    fn out_of_range_totals_are_refused(inst in instrument(), extra in 1u32..1000) {
        let m = Measure::of_total(inst, inst.max_total() + extra);
        let e = measures::evaluate(None, &m).unwrap_err();
        prop_assert_eq!(e.path(), Some("$.current.total"));
    }
}

/// The band never gets less severe as the total rises (exhaustive over every valid total).
#[test]
fn band_is_monotone_in_the_total() {
    for inst in Instrument::ALL {
        for t in 0..inst.max_total() {
            let (a, b) = (measures::band(inst, t), measures::band(inst, t + 1));
            assert!(a.severity() <= b.severity(), "{inst:?} {t}");
        }
        assert_eq!(measures::band(inst, 0).severity(), 0);
        assert_eq!(measures::band(inst, inst.max_total()).severity(), 4);
    }
}

fn json_value() -> impl Strategy<Value = serde_json::Value> {
    let leaf = prop_oneof![
        Just(serde_json::Value::Null),
        any::<bool>().prop_map(serde_json::Value::from),
        any::<i64>().prop_map(serde_json::Value::from),
        prop::sample::select(vec![
            "grief",
            "death",
            "partner",
            "open",
            "impasse",
            "present",
            "phq9",
            "r0",
            "2024-02-29",
            "",
        ])
        .prop_map(serde_json::Value::from),
    ];
    leaf.prop_recursive(4, 32, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(serde_json::Value::from),
            prop::collection::btree_map(
                prop::sample::select(vec![
                    "relationships",
                    "life_events",
                    "id",
                    "role",
                    "kind",
                    "conflict",
                    "dispute_stage",
                    "relationship",
                    "months_before_onset",
                    "date",
                    "onset_date",
                    "inventory",
                    "primary",
                    "backup",
                    "current",
                    "baseline",
                    "instrument",
                    "total",
                    "item9",
                    "long_standing_isolation",
                ])
                .prop_map(str::to_owned),
                inner,
                0..5,
            )
            .prop_map(|m| serde_json::Value::Object(m.into_iter().collect())),
        ]
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    /// Any request, JSON or not, gets a well-formed answer envelope; errors carry a stable
    /// code, and `invalid_input` a path.
    #[test]
    fn any_request_gets_an_envelope(v in json_value(), text in ".{0,40}") {
        for op in ["rank_problem_areas", "check_focus", "evaluate_measure"] {
            for req in [serde_json::to_string(&v).unwrap(), text.clone()] {
                let answer: serde_json::Value = serde_json::from_str(&api::call(op, &req)).unwrap();
                prop_assert_eq!(&answer["operation"], op);
                if answer["ok"] == false {
                    let code = answer["error"]["code"].as_str().unwrap();
                    prop_assert!(["invalid_json", "invalid_input"].contains(&code), "{}", code);
                    if code == "invalid_input" {
                        prop_assert!(answer["error"]["path"].as_str().unwrap().starts_with('$'));
                    }
                } else {
                    prop_assert!(answer["result"].is_object());
                }
            }
        }
    }
}
