//! The ranking of the four areas on the evidence of the inventory (PA-GRIEF, PA-DISPUTE,
//! PA-TRANSITION, PA-DEFICITS) and its PA-SELECT explanation: the options for a focus.

use crate::catalogue::RuleId;
use crate::explain::{Explanation, Indicator, InputUsed, Render, RuleStatus};
use crate::findings::Finding;
use crate::inventory::Inventory;

use super::area::{AreaAssessment, AreaRanking, AreaStatus, ProblemArea};
use super::evidence::{deficits_draft, dispute_draft, event_drafts, tie};
use super::strategies;
use super::words::{self, AreaCase};

fn count_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// Ranks the four problem areas on the evidence of a validated inventory, explained in
/// English. See [`rank_in`].
pub fn rank(inv: &Inventory) -> AreaRanking {
    rank_in(inv, Render::EXPLAINED)
}

/// Ranks the four problem areas on the evidence of a validated inventory, rendered as `r`
/// asks (at decision detail an area has no `explanation`).
///
/// Never panics; the result is a pure function of the inventory.
pub fn rank_in(inv: &Inventory, r: Render<'_>) -> AreaRanking {
    let (grief, mut transition) = event_drafts(inv, r.locale);
    let dispute = dispute_draft(inv, &mut transition, r.locale);
    let (deficits, deficit_finding) = deficits_draft(inv, r.locale);
    let mut missing_of: Vec<Pending> = Vec::with_capacity(4);

    let mut areas: Vec<AreaAssessment> = Vec::with_capacity(4);
    let others_supported = !grief.evidence.is_empty()
        || !dispute.evidence.is_empty()
        || !transition.evidence.is_empty();
    // Inputs still missing for the other areas: they could yet give evidence that makes
    // deficits (the last resort) not applicable.
    let others_missing: Vec<String> = [&grief, &dispute, &transition]
        .iter()
        .filter(|d| d.evidence.is_empty() && d.could_have_evidence)
        .flat_map(|d| d.missing.iter().cloned())
        .collect();
    for (area, draft) in [
        (ProblemArea::Grief, grief),
        (ProblemArea::RoleDispute, dispute),
        (ProblemArea::RoleTransition, transition),
        (ProblemArea::InterpersonalDeficits, deficits),
    ] {
        let mut notes = draft.notes;
        let mut missing = draft.missing;
        let status = if area == ProblemArea::InterpersonalDeficits {
            match deficit_finding {
                _ if others_supported => {
                    if deficit_finding != Finding::Absent {
                        notes.push(words::rationale(
                            r.locale,
                            AreaCase::DeficitsLastResortNote,
                            &[],
                        ));
                    }
                    AreaStatus::NotSupported
                }
                Finding::Present if !others_missing.is_empty() => {
                    notes.push(words::rationale(
                        r.locale,
                        AreaCase::DeficitsPendingNote,
                        &[],
                    ));
                    missing.extend(others_missing.iter().cloned());
                    AreaStatus::Unknown
                }
                Finding::Present => AreaStatus::Supported,
                Finding::Unknown => AreaStatus::Unknown,
                Finding::Absent => AreaStatus::NotSupported,
            }
        } else if !draft.evidence.is_empty() {
            AreaStatus::Supported
        } else if draft.could_have_evidence {
            AreaStatus::Unknown
        } else {
            AreaStatus::NotSupported
        };
        let linked = count_u32(
            draft
                .evidence
                .iter()
                .filter(|e| e.onset_linked == Finding::Present)
                .count(),
        );
        let score = if status == AreaStatus::Supported {
            linked
                .saturating_mul(2)
                .saturating_add(count_u32(draft.evidence.len()).saturating_sub(linked))
        } else {
            0
        };
        let onset_linked_evidence = if status == AreaStatus::Supported {
            linked
        } else {
            0
        };
        let explanation = r.explained().then(|| {
            let label = r.locale.text(area.label());
            let summary = match status {
                AreaStatus::Supported => words::summary(
                    r.locale,
                    AreaCase::AreaSupported,
                    &[
                        ("area", &label),
                        ("count", &draft.evidence.len().to_string()),
                        ("plural", if draft.evidence.len() == 1 { "" } else { "s" }),
                        ("linked", &onset_linked_evidence.to_string()),
                    ],
                ),
                AreaStatus::Unknown => {
                    words::summary(r.locale, AreaCase::AreaUnknown, &[("area", &label)])
                }
                AreaStatus::NotSupported => {
                    words::summary(r.locale, AreaCase::AreaNotSupported, &[("area", &label)])
                }
            };
            let mut rationale = String::new();
            for e in &draft.evidence {
                rationale.push_str(&e.summary);
                rationale.push_str(". ");
            }
            for n in &notes {
                rationale.push_str(n);
                rationale.push(' ');
            }
            rationale.push_str(&words::rationale(
                r.locale,
                AreaCase::StrategiesIfAgreed,
                &[("strategies", &strategies::strategies_text(area, r))],
            ));
            r.item(
                area.rule_id(),
                status.rule_status(),
                Indicator::Info,
                |_| (summary, rationale),
            )
            .used(draft.used)
            .missing(missing.iter().cloned())
        });
        missing_of.push(Pending {
            area,
            missing,
            link: draft.pending_link,
        });
        areas.push(AreaAssessment {
            rank: 0,
            area,
            status,
            score,
            onset_linked_evidence,
            evidence: draft.evidence,
            explanation,
        });
    }
    areas.sort_by(|a, b| {
        a.status
            .cmp(&b.status)
            .then(b.onset_linked_evidence.cmp(&a.onset_linked_evidence))
            .then(b.score.cmp(&a.score))
            .then(a.area.index().cmp(&b.area.index()))
    });
    for (i, a) in areas.iter_mut().enumerate() {
        a.rank = count_u32(i).saturating_add(1);
    }
    let selection = selection(&areas, &missing_of, r);
    AreaRanking { areas, selection }
}

/// What an area still needs: its inputs missing and how tied to the onset its pending
/// evidence would be.
struct Pending {
    area: ProblemArea,
    missing: Vec<String>,
    link: Option<Finding>,
}

/// The PA-SELECT explanation of a ranking: the options for a primary area and a backup.
fn selection(areas: &[AreaAssessment], missing_of: &[Pending], r: Render<'_>) -> Explanation {
    let supported: Vec<&AreaAssessment> = areas
        .iter()
        .filter(|a| a.status == AreaStatus::Supported)
        .collect();
    let missing: Vec<String> = areas
        .iter()
        .filter(|a| a.status == AreaStatus::Unknown)
        .flat_map(|a| {
            missing_of
                .iter()
                .filter(move |p| p.area == a.area)
                .flat_map(|p| p.missing.iter().cloned())
        })
        .collect();
    // An area that cannot be told yet and may be more tied to the onset than every area with
    // evidence is not passed over: the selection waits for its inputs (PA-SELECT).
    let best_supported = supported
        .iter()
        .flat_map(|a| a.evidence.iter().map(|e| tie(e.onset_linked)))
        .max()
        .unwrap_or(0);
    let waits_for = areas
        .iter()
        .filter(|a| a.status == AreaStatus::Unknown)
        .find_map(|a| {
            missing_of
                .iter()
                .find(|p| p.area == a.area)
                .and_then(|p| p.link)
                .filter(|l| tie(*l) > best_supported)
                .map(|l| (a, l))
        });
    let tie_words = |l: Finding| {
        r.locale
            .text(if l == Finding::Present {
                "tied to the onset"
            } else {
                "possibly tied to the onset"
            })
            .into_owned()
    };
    let (status, case, params) = match (supported.as_slice(), waits_for) {
        ([first, ..], Some((pending, link))) => {
            let name = r.locale.text(pending.area.label()).into_owned();
            (
                RuleStatus::Unknown,
                AreaCase::SelectionWaits,
                vec![
                    ("pending", name.to_lowercase()),
                    ("Pending", name),
                    ("tie", tie_words(link)),
                    ("first", r.locale.text(first.area.label()).to_lowercase()),
                ],
            )
        }
        _ => match supported.as_slice() {
            [] => (
                if missing.is_empty() {
                    RuleStatus::NotMet
                } else {
                    RuleStatus::Unknown
                },
                AreaCase::SelectionNone,
                Vec::new(),
            ),
            [one] => (
                RuleStatus::Met,
                AreaCase::SelectionOne,
                vec![("first", r.locale.text(one.area.label()).to_lowercase())],
            ),
            [first, second, ..] => (
                RuleStatus::Met,
                AreaCase::SelectionTwo,
                vec![
                    ("first", r.locale.text(first.area.label()).to_lowercase()),
                    ("second", r.locale.text(second.area.label()).to_lowercase()),
                ],
            ),
        },
    };
    let params: Vec<(&str, &str)> = params.iter().map(|(k, v)| (*k, v.as_str())).collect();
    r.item(RuleId::PaSelect, status, Indicator::Info, |r| {
        (
            words::summary(r.locale, case, &params),
            words::rationale(r.locale, case, &params),
        )
    })
    .used(supported.iter().flat_map(|a| {
        a.evidence
            .iter()
            .map(|e| InputUsed::new(e.path.clone(), a.area))
    }))
    .missing(missing)
}
