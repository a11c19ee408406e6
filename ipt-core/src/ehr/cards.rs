//! The cards of a CDS Hooks response, rendered from the typed suitability decision and the
//! measures the record holds. Nothing is decided here: which card a decision gets, its
//! indicator and its words are a function of the decision's outcomes.
//!
//! Order: the critical safety alerts (X-SUICIDE on a high or imminent suicide risk; PHQ-9
//! item 9 above 0 on the latest PHQ-9), the conflicts between the record and the request
//! (D-CODE-MAP), then the verdict: one warning card per contraindication present, one warning
//! card when the verdict is indeterminate (with the inputs missing), one info card when IPT is
//! an option (essential, indicated or optional use); none when it is not indicated. A card on
//! the verdict short of a contraindication is shown only when the record (or the request)
//! holds a diagnosis the rules single out (any category but `other`): the hook fires on every
//! chart, and a patient with only a diabetes code would otherwise get an indeterminate card,
//! since a post-inpatient indication (I-POST-INPATIENT) can never be ruled out from a record. Without
//! any diagnosis (no Condition in the record, none stated) only a contraindication stands,
//! which holds whatever the diagnoses; when the EHR did not send the conditions at all, a card
//! says suitability was not assessed. A mood disorder with no PHQ-9 in the record gets an info
//! card offering one.

use serde_json::json;

use crate::catalogue::RuleId;
use crate::explain::{fill, Detail, Explanation, Indicator, Locale, RuleStatus};
use crate::measures::Instrument;
use crate::suitability::{self, Verdict};

use super::card::{Action, Card, Context, Suggestion, Supplied};
use super::course_cards::CourseRead;
use super::deck::{Body, Deck};
use super::record::{Facts, FhirAssessment};
use super::words::{self, detail as d, summary};

/// The cards for a record read at a hook.
pub(crate) fn cards(
    ctx: &Context<'_>,
    fa: &FhirAssessment,
    facts: &Facts,
    courses: &[CourseRead],
    detail: Detail,
    locale: &dyn Locale,
) -> Vec<Card> {
    let a = &fa.assessment;
    let deck = Deck::new(ctx, fa, detail, locale);
    let decision = suitability::decide(a);
    let report = suitability::render::render(a, &decision, Detail::Explained, locale);
    let mut out = Vec::new();

    // Critical safety alerts.
    for item in &report.alerts {
        out.push(deck.card(
            "alert",
            item.rule_id,
            Indicator::Critical,
            item.summary.to_string(),
            Body {
                why: vec![item.rationale.to_string()],
                items: vec![item],
                ..Body::default()
            },
            &["already-addressed", "clinical-judgement"],
        ));
    }
    out.extend(deck.item9_cards());
    // The courses' cards: their critical alerts among the critical, the rest after them.
    let course = deck.course_cards(courses);
    let critical = course
        .iter()
        .take_while(|c| c.indicator == Indicator::Critical)
        .count();
    let mut course = course.into_iter();
    out.extend(course.by_ref().take(critical));
    out.extend(deck.defects());
    if let Some(card) = deck.deceased() {
        // No suitability or course advice for a patient recorded as dead; the alerts stay.
        out.push(card);
        return out;
    }
    out.extend(course);

    // Conflicts.
    for c in &fa.conflicts {
        let label = deck.label(&c.input);
        let mut lines = Vec::new();
        for claim in &c.claims {
            lines.push(format!(
                "{}: {}",
                deck.value(&claim.value),
                deck.origins(&claim.from)
            ));
        }
        out.push(deck.card(
            "conflict",
            RuleId::DCodeMap,
            Indicator::Warning,
            fill(&locale.text(summary::CONFLICT), &[("input", &label)]),
            Body {
                why: vec![c.rationale.clone()],
                sections: vec![(d::CONFLICTS, lines)],
                ..Body::default()
            },
            &["record-out-of-date", "clinical-judgement"],
        ));
    }

    // The verdict.
    let known = facts.conditions_present || !a.diagnoses.is_empty();
    let relevant = a
        .diagnoses
        .iter()
        .any(|x| x.category != suitability::DiagnosisCategory::Other);
    let verdict = decision.verdict.verdict;
    let explanation = report.explanation.as_ref();
    let verdict_why = explanation
        .map(|e| e.verdict.to_string())
        .unwrap_or_default();
    let all: Vec<&Explanation> = report.items().collect();
    let record_sections = deck.record_sections();
    match verdict {
        Verdict::Contraindicated => {
            for item in explanation
                .into_iter()
                .flat_map(|e| &e.contraindications)
                .filter(|i| i.status == RuleStatus::Met)
            {
                out.push(deck.card(
                    "contraindication",
                    item.rule_id,
                    Indicator::Warning,
                    item.summary.to_string(),
                    Body {
                        why: vec![verdict_why.clone(), item.rationale.to_string()],
                        items: vec![item],
                        sections: record_sections.clone(),
                        ..Body::default()
                    },
                    &["clinical-judgement", "record-out-of-date"],
                ));
            }
        }
        _ if !known => {
            if ctx.conditions == Supplied::No {
                out.push(deck.card(
                    "not-supplied",
                    RuleId::DCodeMap,
                    Indicator::Warning,
                    locale.text(summary::NOT_SUPPLIED).into_owned(),
                    Body {
                        why: vec![locale.text(d::NOT_SUPPLIED_WHY).into_owned()],
                        missing: vec!["$.diagnoses".to_owned()],
                        sections: record_sections.clone(),
                        ..Body::default()
                    },
                    &["already-addressed"],
                ));
            }
        }
        // Without a diagnosis the rules single out, the service has nothing to offer: the
        // verdict stands in `fhir_assess`, and no card is shown.
        _ if !relevant => {}
        Verdict::Indeterminate => {
            let open: Vec<&Explanation> = all
                .iter()
                .copied()
                .filter(|i| decision.verdict.decided_by.contains(i.rule_id))
                .filter(|i| i.status == RuleStatus::Unknown)
                .collect();
            let mut missing: Vec<String> = open
                .iter()
                .flat_map(|i| i.inputs_missing.iter().map(|p| p.to_string()))
                .collect();
            missing.sort();
            missing.dedup();
            let n = missing.len();
            out.push(deck.card(
                "indeterminate",
                open.first().map_or(RuleId::XFrequency, |i| i.rule_id),
                Indicator::Warning,
                fill(&locale.text(summary::INDETERMINATE), &[("n", &n)]),
                Body {
                    why: vec![locale.text(d::INDETERMINATE_WHY).into_owned(), verdict_why],
                    items: open,
                    missing,
                    sections: record_sections.clone(),
                },
                &["clinical-judgement", "record-out-of-date"],
            ));
        }
        Verdict::Essential | Verdict::Indicated | Verdict::Optional => {
            let met: Vec<&Explanation> = explanation
                .into_iter()
                .flat_map(|e| &e.indications)
                .filter(|i| i.status == RuleStatus::Met)
                .collect();
            let lead = met
                .iter()
                .find(|i| decision.verdict.decided_by.contains(i.rule_id))
                .or(met.first())
                .copied();
            let e = explanation.into_iter();
            let options: Vec<String> = e
                .clone()
                .flat_map(|e| e.variant.iter().chain(&e.techniques))
                .chain(
                    e.flat_map(|e| &e.cautions)
                        .filter(|c| c.indicator != Indicator::Info),
                )
                .map(|x| format!("`{}` {}", x.rule_id, x.summary))
                .collect();
            let mut sections = vec![(d::OPTIONS, options)];
            sections.extend(record_sections.clone());
            // A positive verdict has a met indication to lead with.
            out.extend(lead.map(|lead| {
                deck.card(
                    "indication",
                    lead.rule_id,
                    Indicator::Info,
                    lead.summary.to_string(),
                    Body {
                        why: vec![verdict_why],
                        items: met,
                        missing: report
                            .inputs_missing
                            .iter()
                            .map(|p| p.to_string())
                            .collect(),
                        sections,
                    },
                    &[
                        "clinical-judgement",
                        "patient-declined",
                        "record-out-of-date",
                    ],
                )
            }));
        }
        Verdict::NotIndicated => {}
    }

    // No PHQ-9 in the record, with a mood disorder: one is offered.
    let mood = a.diagnoses.iter().any(|x| x.category.is_mood());
    let phq9 = facts
        .administrations
        .iter()
        .map(|m| m.instrument)
        .chain(
            courses
                .iter()
                .flat_map(|c| c.status.measures.iter().map(|t| t.instrument)),
        )
        .any(|i| matches!(i, Instrument::Phq9 | Instrument::Phqa));
    if mood && !phq9 && ctx.phq9 != Supplied::No {
        let mut card = deck.card(
            "no-phq9",
            RuleId::MPhq9,
            Indicator::Info,
            locale.text(summary::NO_PHQ9).into_owned(),
            Body {
                why: vec![locale.text(d::NO_PHQ9_WHY).into_owned()],
                ..Body::default()
            },
            &["already-addressed", "patient-declined"],
        );
        card.suggestions = vec![Suggestion {
            label: locale.text(words::SUGGEST_PHQ9).into_owned(),
            uuid: deck.uuid("no-phq9/suggestion", RuleId::MPhq9),
            actions: vec![Action {
                kind: "create".to_owned(),
                description: locale.text(words::SUGGEST_PHQ9_ACTION).into_owned(),
                resource: json!({
                    "resourceType": "ServiceRequest",
                    "status": "draft",
                    "intent": "proposal",
                    "code": {"coding": [{
                        "system": "http://loinc.org",
                        "code": "44249-1",
                        "display": "PHQ-9 quick depression assessment panel [Reported.PHQ]"
                    }]},
                    "subject": {"reference": format!("Patient/{}", ctx.patient_id)}
                }),
            }],
        }];
        card.selection_behavior = Some("at-most-one".to_owned());
        out.push(card);
    }
    out
}
