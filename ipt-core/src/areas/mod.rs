//! Problem areas ([protocol](crate::protocol#problem-areas-and-the-focus)): ranking the four
//! areas on the evidence of the interpersonal inventory (PA-GRIEF, PA-DISPUTE, PA-TRANSITION,
//! PA-DEFICITS), checking an agreed focus (PA-SELECT), and the strategies and techniques of
//! each area.
//!
//! The ranking offers options; the clinician and patient agree the focus.
//!
//! ```
//! use ipt_core::areas::{check_focus, rank, AreaStatus, ProblemArea};
//! use ipt_core::inventory::Inventory;
//!
//! let inv = Inventory::from_json(
//!     r#"{"relationships": [], "life_events": [{"kind": "death", "months_before_onset": 2, "mourning_obstructed": "present"}]}"#,
//! )
//! .unwrap();
//! let ranking = rank(&inv);
//! assert_eq!(ranking.areas[0].area, ProblemArea::Grief);
//! assert_eq!(ranking.areas[0].status, AreaStatus::Supported);
//! // Deficits while grief has evidence: allowed, with a PA-SELECT warning.
//! let warnings = check_focus(&ranking, ProblemArea::InterpersonalDeficits, None).unwrap();
//! assert_eq!(warnings[0].rule_id.as_str(), "PA-SELECT");
//! // The backup must differ from the primary.
//! assert!(check_focus(&ranking, ProblemArea::Grief, Some(ProblemArea::Grief)).is_err());
//! ```
//!
//! Layout: the types and [`rank`] here; the evidence of each area in [`evidence`]; the
//! strategies and techniques in [`mod@strategies`]; the focus check (PA-SELECT) in [`focus`].

pub mod evidence;
pub mod focus;
pub(crate) mod links;
pub mod strategies;
pub mod words;

mod area;
mod ranking;

pub use area::{
    AreaAssessment, AreaRanking, AreaStatus, Evidence, EvidenceSource, Focus, ProblemArea,
};
pub use focus::{
    check_distinct_at, check_focus, check_focus_at, check_focus_of, check_focus_request,
    FocusCheck, FocusRequest,
};
pub use ranking::{rank, rank_in};
pub use strategies::{strategies, strategies_text, strategy_texts, technique_ids, techniques};

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalogue::RuleId;
    use crate::explain::{Indicator, Render};
    use crate::inventory::Inventory;

    fn ranked(json: &str) -> AreaRanking {
        rank(&Inventory::from_json(json).unwrap())
    }

    fn status(r: &AreaRanking, a: ProblemArea) -> AreaStatus {
        r.get(a).unwrap().status
    }

    #[test]
    fn pa_grief_a_death_is_evidence_only_when_mourning_is_obstructed() {
        let inv = |m: &str| {
            ranked(&format!(
                r#"{{"life_events":[{{"kind":"death","months_before_onset":2{m}}}]}}"#
            ))
        };
        let present = inv(r#","mourning_obstructed":"present""#);
        assert_eq!(status(&present, ProblemArea::Grief), AreaStatus::Supported);
        let absent = inv(r#","mourning_obstructed":"absent""#);
        assert_eq!(
            status(&absent, ProblemArea::Grief),
            AreaStatus::NotSupported
        );
        let grief = absent.get(ProblemArea::Grief).unwrap();
        assert!(grief
            .explanation
            .as_ref()
            .unwrap()
            .rationale
            .contains("not evidence for a grief focus"));
        let unknown = inv("");
        assert_eq!(status(&unknown, ProblemArea::Grief), AreaStatus::Unknown);
        let grief = unknown.get(ProblemArea::Grief).unwrap();
        assert!(grief
            .explanation
            .as_ref()
            .unwrap()
            .inputs_missing
            .iter()
            .any(|p| p == "$.life_events[0].mourning_obstructed"));
        assert!(grief.evidence.is_empty());
    }

    #[test]
    fn pa_grief_only_for_a_death_and_divorce_is_a_transition() {
        let r = ranked(
            r#"{"life_events":[{"kind":"death","months_before_onset":2,"mourning_obstructed":"present"}]}"#,
        );
        assert_eq!(r.areas[0].area, ProblemArea::Grief);
        assert_eq!(status(&r, ProblemArea::Grief), AreaStatus::Supported);
        assert_eq!(
            status(&r, ProblemArea::RoleTransition),
            AreaStatus::NotSupported
        );
        for kind in ["separation_divorce", "other_loss", "job_loss"] {
            let r = ranked(&format!(
                r#"{{"life_events":[{{"kind":"{kind}","months_before_onset":2}}]}}"#
            ));
            assert_eq!(
                status(&r, ProblemArea::Grief),
                AreaStatus::NotSupported,
                "{kind}"
            );
            assert_eq!(
                status(&r, ProblemArea::RoleTransition),
                AreaStatus::Supported
            );
        }
    }

    #[test]
    fn pa_dispute_dissolved_points_to_transition() {
        let base = r#"{"relationships":[{"id":"p","role":"partner","conflict":"open","dispute_stage":"STAGE"}],"life_events":[]}"#;
        let r = ranked(&base.replace("STAGE", "impasse"));
        assert_eq!(status(&r, ProblemArea::RoleDispute), AreaStatus::Supported);
        assert_eq!(
            status(&r, ProblemArea::RoleTransition),
            AreaStatus::NotSupported
        );
        let r = ranked(&base.replace("STAGE", "dissolution"));
        assert_eq!(
            status(&r, ProblemArea::RoleDispute),
            AreaStatus::NotSupported
        );
        assert_eq!(
            status(&r, ProblemArea::RoleTransition),
            AreaStatus::Supported
        );
    }

    #[test]
    fn pa_deficits_last_resort_and_not_withdrawal() {
        let deficits = r#"{"relationships":[],"life_events":[],"long_standing_isolation":"present","prolonged_good_functioning":"absent","withdrawal_due_to_depression":"absent"}"#;
        let r = ranked(deficits);
        assert_eq!(
            status(&r, ProblemArea::InterpersonalDeficits),
            AreaStatus::Supported
        );
        assert_eq!(r.areas[0].area, ProblemArea::InterpersonalDeficits);
        let r = ranked(&deficits.replace(
            r#""life_events":[]"#,
            r#""life_events":[{"kind":"move","months_before_onset":1}]"#,
        ));
        assert_eq!(
            status(&r, ProblemArea::InterpersonalDeficits),
            AreaStatus::NotSupported
        );
        let r = ranked(&deficits.replace(
            r#""withdrawal_due_to_depression":"absent""#,
            r#""withdrawal_due_to_depression":"present""#,
        ));
        assert_eq!(
            status(&r, ProblemArea::InterpersonalDeficits),
            AreaStatus::NotSupported
        );
        let r =
            ranked(r#"{"relationships":[],"life_events":[],"long_standing_isolation":"present"}"#);
        let d = r.get(ProblemArea::InterpersonalDeficits).unwrap();
        assert_eq!(d.status, AreaStatus::Unknown);
        assert_eq!(
            d.explanation.as_ref().unwrap().inputs_missing,
            vec![
                "$.prolonged_good_functioning",
                "$.withdrawal_due_to_depression"
            ]
        );
    }

    #[test]
    fn pa_select_onset_linked_evidence_ranks_first() {
        let r = ranked(
            r#"{"life_events":[{"kind":"death","months_before_onset":24},{"kind":"job_loss","months_before_onset":2}]}"#,
        );
        assert_eq!(r.areas[0].area, ProblemArea::RoleTransition);
        assert_eq!(r.areas[1].area, ProblemArea::Grief);
        assert_eq!(r.selection.rule_id, RuleId::PaSelect);
        let ranks: Vec<u32> = r.areas.iter().map(|a| a.rank).collect();
        assert_eq!(ranks, vec![1, 2, 3, 4]);
    }

    #[test]
    fn pa_select_focus_checks() {
        let r = ranked(
            r#"{"relationships":[],"life_events":[{"kind":"death","months_before_onset":2,"mourning_obstructed":"present"}],"long_standing_isolation":"present","prolonged_good_functioning":"absent","withdrawal_due_to_depression":"absent"}"#,
        );
        assert!(check_focus(&r, ProblemArea::Grief, None)
            .unwrap()
            .is_empty());
        let e = check_focus(&r, ProblemArea::Grief, Some(ProblemArea::Grief)).unwrap_err();
        assert_eq!(e.path(), Some("$.backup"));
        let e = check_focus_at(
            &r,
            ProblemArea::Grief,
            Some(ProblemArea::Grief),
            "$.event",
            Render::EXPLAINED,
        )
        .unwrap_err();
        assert_eq!(e.path(), Some("$.event.backup"));
        let w = check_focus(&r, ProblemArea::Grief, Some(ProblemArea::RoleDispute)).unwrap();
        assert_eq!(w.len(), 1);
        assert_eq!(w[0].rule_id, RuleId::PaSelect);
        assert_eq!(w[0].indicator, Indicator::Warning);
        assert_eq!(w[0].inputs_used[0].path, "$.backup");
        let w = check_focus(&r, ProblemArea::InterpersonalDeficits, None).unwrap();
        assert_eq!(w.len(), 1);
        assert!(w[0].summary.contains("grief"), "{}", w[0].summary);
    }

    #[test]
    fn strategies_and_techniques_cite_rules() {
        for a in ProblemArea::ALL {
            assert_eq!(strategies(a, Render::EXPLAINED).rule_id, a.rule_id());
            let t = techniques(a, Render::EXPLAINED);
            assert!(!t.is_empty());
            assert!(t.iter().all(|e| e.rule_id.as_str().starts_with("T-")));
        }
    }
}
