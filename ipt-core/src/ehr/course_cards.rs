//! The cards of a patient's IPT course, beside the suitability cards: a service that keeps the
//! patient's courses (`ipt-server`) sends their snapshots with the hook (`courses`), and each
//! open course gets cards rendered from its status, the engine's own outcomes:
//!
//! * each active alert (an open suicide-risk alert, `critical`; reliable deterioration awaiting
//!   review, `warning`), first;
//! * the measures due or overdue (M-CADENCE), with a suggestion to record them;
//! * a warning from the ending (ST-TERMINATION) when the ending has not been raised in time;
//! * the next session's agenda (the other options for the next session), as one `info` card;
//! * after completion, the maintenance option (I-MAINTENANCE, V-MAINTENANCE) where the engine
//!   offers it.
//!
//! A closed course (or one whose maintenance has ended) gets none. A card's `uuid` is a UUID of
//! version 5 over the course, the card's kind and rule, and the outcomes it shows: the same
//! state gives the same card, and a change of state a new one.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::json;
use uuid::Uuid;

use crate::catalogue::RuleId;
use crate::course::{self, Phase, Snapshot, Status, Verify};
use crate::error::Error;
use crate::explain::{fill, Detail, Explanation, Indicator, Locale, Render};
use crate::limits::check_id;
use crate::path::JsonPath;

use super::card::{Action, Card, Suggestion};
use super::deck::{code, Body, Deck};
use super::words::course as w;

/// A course of the patient, as the service keeps it.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PatientCourse {
    /// The service's id of the course (1 to 64 characters).
    pub course_id: String,
    /// The course's snapshot, as `course_apply` returned it.
    #[schemars(with = "serde_json::Value")]
    pub snapshot: Box<serde_json::value::RawValue>,
    /// How the snapshot is checked: `digest` (the default) or `replay`.
    #[serde(default)]
    pub verify: Verify,
}

/// A course read: its id and status.
pub(crate) struct CourseRead {
    pub id: String,
    pub status: Status,
}

/// Reads the courses of a request, each snapshot checked as `course_status` checks it.
pub(crate) fn read(
    courses: &[PatientCourse],
    locale: &dyn Locale,
) -> Result<Vec<CourseRead>, Error> {
    crate::limits::check_len(
        courses.len(),
        crate::limits::MAX_LIST_ITEMS,
        "courses",
        "max_list_items",
        || JsonPath::root().key("courses"),
    )?;
    courses
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let at = JsonPath::root().key("courses").index(i);
            check_id(&c.course_id, || at.key("course_id"))?;
            let snapshot = Snapshot::read(c.snapshot.get(), at.key("snapshot").as_str(), c.verify)?;
            Ok(CourseRead {
                id: c.course_id.clone(),
                status: course::status_in(&snapshot.state, Render::new(locale, Detail::Explained)),
            })
        })
        .collect()
}

impl Deck<'_> {
    fn course_uuid(&self, course: &CourseRead, kind: &str, items: &[&Explanation]) -> String {
        let namespace = Uuid::new_v5(&Uuid::NAMESPACE_URL, b"urn:ipt-engine:cds-hooks:course");
        let shown: Vec<_> = items
            .iter()
            .map(|e| (e.rule_id, e.status, &e.summary, &e.inputs_used))
            .collect();
        let name = format!(
            "{}|{kind}|{}",
            course.id,
            serde_json::to_string(&shown).unwrap_or_default()
        );
        Uuid::new_v5(&namespace, name.as_bytes()).to_string()
    }

    /// The course's line: its variant, phase and session.
    fn course_line(&self, c: &CourseRead) -> String {
        let s = &c.status;
        fill(
            &self.locale.text(w::LINE),
            &[
                ("id", &code(&c.id)),
                ("variant", &self.locale.text(w::variant(s.variant))),
                ("phase", &self.locale.text(w::phase(s.phase))),
                ("session", &s.session),
                ("total", &s.total_sessions),
            ],
        )
    }

    fn course_card(
        &self,
        c: &CourseRead,
        kind: &str,
        indicator: Indicator,
        summary: String,
        items: Vec<&Explanation>,
    ) -> Card {
        let lead = items.first().map_or(RuleId::StPhases, |e| e.rule_id);
        let why = items
            .iter()
            .map(|e| e.rationale.to_string())
            .filter(|r| !r.is_empty())
            .collect();
        let mut card = self.card(
            kind,
            lead,
            indicator,
            summary,
            Body {
                why,
                items: items.clone(),
                sections: vec![(w::HEADING, vec![self.course_line(c)])],
                ..Body::default()
            },
            &["already-addressed", "clinical-judgement"],
        );
        card.uuid = self.course_uuid(c, kind, &items);
        card
    }

    /// The cards of the patient's open courses.
    pub(super) fn course_cards(&self, courses: &[CourseRead]) -> Vec<Card> {
        let mut alerts = Vec::new();
        let mut rest = Vec::new();
        for c in courses {
            let s = &c.status;
            if matches!(s.phase, Phase::Closed | Phase::MaintenanceCompleted) {
                continue;
            }
            for a in &s.alerts {
                alerts.push(self.course_card(
                    c,
                    "course-alert",
                    a.indicator,
                    a.summary.to_string(),
                    vec![a],
                ));
            }
            let of = |f: &dyn Fn(&Explanation) -> bool| -> Vec<&Explanation> {
                s.next_session.iter().filter(|e| f(e)).collect()
            };
            let due = of(&|e| e.rule_id == RuleId::MCadence);
            let ending =
                of(&|e| e.rule_id == RuleId::StTermination && e.indicator != Indicator::Info);
            let maintenance = of(&|e| {
                s.phase == Phase::Completed
                    && matches!(e.rule_id, RuleId::IMaintenance | RuleId::VMaintenance)
            });
            let agenda = of(&|e| {
                !due.iter()
                    .chain(&ending)
                    .chain(&maintenance)
                    .any(|x| std::ptr::eq(*x, e))
            });
            if !due.is_empty() {
                let indicator = strongest(&due);
                let n = due.len();
                let mut card = self.course_card(
                    c,
                    "course-measures",
                    indicator,
                    fill(&self.locale.text(w::MEASURES_DUE), &[("n", &n)]),
                    due,
                );
                card.suggestions = vec![Suggestion {
                    label: self.locale.text(w::SUGGEST_MEASURES).into_owned(),
                    uuid: format!(
                        "{}",
                        Uuid::new_v5(&Uuid::NAMESPACE_URL, card.uuid.as_bytes())
                    ),
                    actions: vec![Action {
                        kind: "create".to_owned(),
                        description: self.locale.text(w::SUGGEST_MEASURES_ACTION).into_owned(),
                        resource: json!({
                            "resourceType": "Task",
                            "status": "draft",
                            "intent": "proposal",
                            "description": self.locale.text(w::SUGGEST_MEASURES_ACTION),
                            "for": {"reference": format!("Patient/{}", self.patient_id())}
                        }),
                    }],
                }];
                card.selection_behavior = Some("at-most-one".to_owned());
                rest.push(card);
            }
            for e in ending {
                rest.push(self.course_card(
                    c,
                    "course-ending",
                    e.indicator,
                    e.summary.to_string(),
                    vec![e],
                ));
            }
            if !agenda.is_empty() {
                let n = s.session + 1;
                rest.push(self.course_card(
                    c,
                    "course-agenda",
                    Indicator::Info,
                    fill(&self.locale.text(w::AGENDA), &[("n", &n)]),
                    agenda,
                ));
            }
            if !maintenance.is_empty() {
                rest.push(self.course_card(
                    c,
                    "course-maintenance",
                    Indicator::Info,
                    self.locale.text(w::MAINTENANCE).into_owned(),
                    maintenance,
                ));
            }
        }
        alerts.extend(rest);
        // The strongest first, each course's cards in their order otherwise.
        alerts.sort_by_key(|c| match c.indicator {
            Indicator::Critical => 0,
            Indicator::Warning => 1,
            _ => 2,
        });
        alerts
    }
}

/// The strongest indicator of the items.
fn strongest(items: &[&Explanation]) -> Indicator {
    if items.iter().any(|e| e.indicator == Indicator::Critical) {
        Indicator::Critical
    } else if items.iter().any(|e| e.indicator == Indicator::Warning) {
        Indicator::Warning
    } else {
        Indicator::Info
    }
}
