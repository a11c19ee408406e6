//! The interpersonal inventory ([protocol](crate::protocol#problem-areas-and-the-focus)): the
//! key relationships and the life events around the onset of the current episode, the input of
//! problem-area ranking ([`crate::areas::rank`]).
//!
//! Three-valued throughout: an omitted list (`relationships`, `life_events`) means *not yet
//! reviewed*, an empty list means *reviewed, none*; an omitted finding is `unknown`; an event
//! without timing has an unknown link to the onset. Dates are ISO `YYYY-MM-DD` strings given
//! as data (no clock).

pub use crate::date::Date;
use std::collections::BTreeSet;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::bounded::bounded_int;
use crate::error::Error;
use crate::findings::Finding;
use crate::limits;
use crate::parse::parse;

bounded_int!(
    /// Closeness of a relationship, 1 (distant) to 5 (closest), as in the inventory's circles.
    Closeness,
    1,
    5,
    "closeness (1 distant to 5 closest)"
);

pub use crate::limits::{
    MAX_ID_CHARS, MAX_LIFE_EVENTS, MAX_LIST_ITEMS, MAX_RELATIONSHIPS, MAX_TEXT_CHARS,
};
/// `months_before_onset` must lie within ± this many months (100 years).
pub const MAX_MONTHS: i32 = 1200;
/// An event within this many months before the onset is linked to the onset (S3).
pub const ONSET_WINDOW_MONTHS: i32 = 6;

/// The interpersonal inventory.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Inventory {
    /// The key relationships. Omitted: not yet reviewed; `[]`: reviewed, none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub relationships: Option<Vec<Relationship>>,
    /// Life events around the onset. Omitted: not yet reviewed; `[]`: reviewed, none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub life_events: Option<Vec<LifeEvent>>,
    /// Onset of the current episode (`YYYY-MM-DD`), used for events that give a `date` but
    /// no `onset_date` of their own.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub onset_date: Option<String>,
    /// A long history of social isolation.
    #[serde(default)]
    pub long_standing_isolation: Finding,
    /// A prolonged period of good interpersonal functioning in the past.
    #[serde(default)]
    pub prolonged_good_functioning: Finding,
    /// The current withdrawal is caused by the depression itself (then it is not a deficit).
    #[serde(default)]
    pub withdrawal_due_to_depression: Finding,
}

/// One key relationship.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Relationship {
    /// A unique id within the inventory, referenced by life events (1-64 characters).
    pub id: String,
    /// How the patient names the person (free text, no identifiers needed).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub person: Option<String>,
    /// The person's role in the patient's life.
    pub role: Role,
    /// Closeness, 1 (distant) to 5 (closest).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub closeness: Option<Closeness>,
    /// What the other person expects of the patient.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expectations_of_patient: Option<String>,
    /// What the patient expects of the other person.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expectations_of_other: Option<String>,
    /// Satisfying aspects.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub satisfying: Vec<String>,
    /// Unsatisfying aspects.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub unsatisfying: Vec<String>,
    /// Changes the patient wants in the relationship.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub wanted_changes: Vec<String>,
    /// Conflict in the relationship. Omitted: not yet assessed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub conflict: Option<Conflict>,
    /// Stage of the dispute, only when there is a conflict.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dispute_stage: Option<DisputeStage>,
    /// The conflict began or worsened around the onset of the current episode.
    #[serde(default)]
    pub conflict_onset_linked: Finding,
    /// A long history of difficulty in this relationship (or in relationships like it).
    #[serde(default)]
    pub long_history_of_difficulty: Finding,
}

/// The role of a person in the patient's life.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Spouse or partner.
    Partner,
    /// Parent.
    Parent,
    /// Child.
    Child,
    /// Sibling.
    Sibling,
    /// Another family member.
    OtherFamily,
    /// Friend.
    Friend,
    /// Colleague.
    Colleague,
    /// Anyone else.
    Other,
}

/// Conflict in a relationship.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Conflict {
    /// No conflict.
    None,
    /// Open conflict.
    Open,
    /// Covert (unspoken) conflict.
    Covert,
}

impl Conflict {
    /// `true` for open or covert conflict.
    pub const fn is_conflict(self) -> bool {
        !matches!(self, Conflict::None)
    }
}

/// Stage of a role dispute (L1).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum DisputeStage {
    /// Both still negotiate, actively.
    Renegotiation,
    /// Negotiation has stopped; silent resentment.
    Impasse,
    /// The relationship is ending or over: the area becomes a role transition.
    Dissolution,
}

/// A life event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct LifeEvent {
    /// What happened.
    pub kind: LifeEventKind,
    /// The relationship involved, by its `id`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub relationship: Option<String>,
    /// Months before the onset of the current episode (negative: after the onset). Give
    /// either this or `date`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub months_before_onset: Option<i32>,
    /// Date of the event, `YYYY-MM-DD`; needs `onset_date` here or on the inventory.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    /// Onset of the current episode, `YYYY-MM-DD` (overrides the inventory's `onset_date`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub onset_date: Option<String>,
    /// Free-text description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// For a death only: whether the bereavement obstructs mourning or sustaining the
    /// remaining relationships (S4: the grief focus). `unknown` (the default) until assessed;
    /// a death whose mourning is not obstructed is not, on its own, evidence for grief.
    #[serde(default, skip_serializing_if = "unassessed")]
    pub mourning_obstructed: Finding,
}

fn unassessed(f: &Finding) -> bool {
    f.is_unknown()
}

/// Kinds of life event.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum LifeEventKind {
    /// Death of a significant person.
    Death,
    /// Separation or divorce.
    SeparationDivorce,
    /// Loss of a job.
    JobLoss,
    /// Retirement.
    Retirement,
    /// Birth of a child.
    BirthOfChild,
    /// Becoming independent (leaving home, finishing school).
    BecomingIndependent,
    /// Marriage.
    Marriage,
    /// Children leaving home.
    ChildrenLeavingHome,
    /// Illness (the patient's or a close person's).
    Illness,
    /// A move.
    Move,
    /// Another loss that is not a death.
    OtherLoss,
    /// Any other event (recorded, not evidence for an area).
    Other,
}

impl LifeEventKind {
    /// A life change that is evidence for a role transition (S2, S4; L1: losses that are not
    /// deaths are transitions).
    pub const fn is_transition(self) -> bool {
        !matches!(self, LifeEventKind::Death | LifeEventKind::Other)
    }
}

/// The timing of a life event relative to the onset.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Timing {
    /// Months before the onset (negative: after).
    Months(i32),
    /// The event's date and the onset's date.
    Dates {
        /// The event.
        event: Date,
        /// The onset.
        onset: Date,
    },
    /// No timing given.
    Unknown,
}

impl Timing {
    /// Whether the event lies within [`ONSET_WINDOW_MONTHS`] before the onset (inclusive,
    /// the onset month itself included). Unknown timing gives `unknown`.
    pub fn onset_linked(self) -> Finding {
        match self {
            Timing::Months(m) => Finding::from_bool((0..=ONSET_WINDOW_MONTHS).contains(&m)),
            Timing::Dates { event, onset } => Finding::from_bool(
                event <= onset && event >= onset.minus_months(ONSET_WINDOW_MONTHS.unsigned_abs()),
            ),
            Timing::Unknown => Finding::Unknown,
        }
    }
}

impl LifeEvent {
    /// The event's timing, with `inventory_onset` as the fallback onset date. Call on a
    /// validated inventory; invalid dates give [`Timing::Unknown`].
    pub fn timing(&self, inventory_onset: Option<&str>) -> Timing {
        if let Some(m) = self.months_before_onset {
            return Timing::Months(m);
        }
        let onset = self
            .onset_date
            .as_deref()
            .or(inventory_onset)
            .and_then(Date::parse);
        match (self.date.as_deref().and_then(Date::parse), onset) {
            (Some(event), Some(onset)) => Timing::Dates { event, onset },
            _ => Timing::Unknown,
        }
    }
}

fn check_text(path: &str, s: &str) -> Result<(), Error> {
    limits::check_text(s, || path.into())
}

fn check_opt_text(path: String, s: &Option<String>) -> Result<(), Error> {
    s.as_deref().map_or(Ok(()), |s| check_text(&path, s))
}

fn check_list(path: String, items: &[String]) -> Result<(), Error> {
    limits::check_len(
        items.len(),
        MAX_LIST_ITEMS,
        "items",
        "max_list_items",
        || path.as_str().into(),
    )?;
    for (i, s) in items.iter().enumerate() {
        check_text(&format!("{path}[{i}]"), s)?;
    }
    Ok(())
}

fn check_date(path: String, s: &Option<String>) -> Result<(), Error> {
    match s.as_deref() {
        Some(d) if Date::parse(d).is_none() => Err(Error::invalid(
            path,
            format!(
                "`{}` is not a calendar date in the form YYYY-MM-DD",
                limits::clip(d)
            ),
        )),
        _ => Ok(()),
    }
}

impl Inventory {
    /// Parses and validates an inventory from JSON.
    pub fn from_json(json: &str) -> Result<Inventory, Error> {
        let inv: Inventory = parse(json)?;
        // serde also accepts a struct written as an array; an inventory is an object.
        if !json.trim_start().starts_with('{') {
            return Err(Error::invalid("$", "an inventory is a JSON object"));
        }
        inv.validate()?;
        Ok(inv)
    }

    /// The relationships, or an empty slice when not reviewed.
    pub fn relationships(&self) -> &[Relationship] {
        self.relationships.as_deref().unwrap_or(&[])
    }

    /// The life events, or an empty slice when not reviewed.
    pub fn life_events(&self) -> &[LifeEvent] {
        self.life_events.as_deref().unwrap_or(&[])
    }

    /// Checks what serde cannot: ids unique and referenced ids known, text and list lengths,
    /// dates, timing given one way only, dispute stage only with a conflict. Paths are
    /// relative to `$`.
    pub fn validate(&self) -> Result<(), Error> {
        self.validate_at("$")
    }

    /// [`Inventory::validate`] with paths under `root` (for an inventory embedded in a larger
    /// request, for example `$.event.inventory`).
    pub fn validate_at(&self, root: &str) -> Result<(), Error> {
        check_date(format!("{root}.onset_date"), &self.onset_date)?;
        let rels = self.relationships();
        limits::check_len(
            rels.len(),
            MAX_RELATIONSHIPS,
            "relationships",
            "max_relationships",
            || format!("{root}.relationships").into(),
        )?;
        let mut ids = BTreeSet::new();
        for (i, r) in rels.iter().enumerate() {
            let at = format!("{root}.relationships[{i}]");
            limits::check_id(&r.id, || format!("{at}.id").into())?;
            if r.id.is_empty() || r.id.trim() != r.id {
                return Err(Error::invalid(
                    format!("{at}.id"),
                    format!(
                        "an id must be 1 to {MAX_ID_CHARS} characters without surrounding spaces"
                    ),
                ));
            }
            if !ids.insert(r.id.as_str()) {
                return Err(Error::invalid(
                    format!("{at}.id"),
                    format!("duplicate relationship id `{}`", limits::clip(&r.id)),
                ));
            }
            check_opt_text(format!("{at}.person"), &r.person)?;
            check_opt_text(
                format!("{at}.expectations_of_patient"),
                &r.expectations_of_patient,
            )?;
            check_opt_text(
                format!("{at}.expectations_of_other"),
                &r.expectations_of_other,
            )?;
            check_list(format!("{at}.satisfying"), &r.satisfying)?;
            check_list(format!("{at}.unsatisfying"), &r.unsatisfying)?;
            check_list(format!("{at}.wanted_changes"), &r.wanted_changes)?;
            if r.dispute_stage.is_some() && !r.conflict.is_some_and(Conflict::is_conflict) {
                return Err(Error::invalid(
                    format!("{at}.dispute_stage"),
                    "a dispute stage needs `conflict` to be `open` or `covert`",
                ));
            }
        }
        let events = self.life_events();
        limits::check_len(
            events.len(),
            MAX_LIFE_EVENTS,
            "life events",
            "max_life_events",
            || format!("{root}.life_events").into(),
        )?;
        for (i, e) in events.iter().enumerate() {
            let at = format!("{root}.life_events[{i}]");
            if e.kind != LifeEventKind::Death && !e.mourning_obstructed.is_unknown() {
                return Err(Error::invalid(
                    format!("{at}.mourning_obstructed"),
                    "mourning_obstructed describes a death; a loss that is not a death is a role transition",
                ));
            }
            if let Some(id) = &e.relationship
                && !ids.contains(id.as_str())
            {
                return Err(Error::invalid(
                    format!("{at}.relationship"),
                    format!("no relationship has the id `{}`", limits::clip(id)),
                ));
            }
            if let Some(m) = e.months_before_onset {
                if !(-MAX_MONTHS..=MAX_MONTHS).contains(&m) {
                    return Err(Error::invalid(
                        format!("{at}.months_before_onset"),
                        format!("months_before_onset must be between -{MAX_MONTHS} and {MAX_MONTHS}, got {m}"),
                    ));
                }
                if e.date.is_some() {
                    return Err(Error::invalid(
                        format!("{at}.date"),
                        "give either `months_before_onset` or `date`, not both",
                    ));
                }
            }
            check_date(format!("{at}.date"), &e.date)?;
            check_date(format!("{at}.onset_date"), &e.onset_date)?;
            if e.date.is_some() && e.onset_date.is_none() && self.onset_date.is_none() {
                return Err(Error::invalid(
                    format!("{at}.onset_date"),
                    "a `date` needs an `onset_date` on the event or on the inventory",
                ));
            }
            if e.onset_date.is_some() && e.date.is_none() {
                return Err(Error::invalid(
                    format!("{at}.date"),
                    "an `onset_date` on an event needs the event's `date`",
                ));
            }
            check_opt_text(format!("{at}.description"), &e.description)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err_path(json: &str) -> String {
        Inventory::from_json(json)
            .unwrap_err()
            .path()
            .unwrap_or_default()
            .to_owned()
    }

    #[test]
    fn dates_are_validated_without_a_clock() {
        assert!(Date::parse("2024-02-29").is_some());
        assert!(Date::parse("2023-02-29").is_none());
        assert!(Date::parse("1900-02-29").is_none());
        assert!(Date::parse("2000-02-29").is_some());
        assert!(Date::parse("2024-13-01").is_none());
        assert!(Date::parse("2024-1-01").is_none());
        assert!(Date::parse("+024-01-01").is_none());
        assert!(Date::parse("0000-01-01").is_none());
        let d = Date::parse("2024-08-31").unwrap();
        assert_eq!(d.minus_months(6), Date::parse("2024-02-29").unwrap());
        assert_eq!(d.minus_months(8), Date::parse("2023-12-31").unwrap());
    }

    #[test]
    fn onset_window_is_six_months_before_inclusive() {
        assert_eq!(Timing::Months(0).onset_linked(), Finding::Present);
        assert_eq!(Timing::Months(6).onset_linked(), Finding::Present);
        assert_eq!(Timing::Months(7).onset_linked(), Finding::Absent);
        assert_eq!(Timing::Months(-1).onset_linked(), Finding::Absent);
        assert_eq!(Timing::Unknown.onset_linked(), Finding::Unknown);
        let d = |s| Date::parse(s).unwrap();
        let t = |e, o| {
            Timing::Dates {
                event: d(e),
                onset: d(o),
            }
            .onset_linked()
        };
        assert_eq!(t("2024-01-15", "2024-07-15"), Finding::Present);
        assert_eq!(t("2024-01-14", "2024-07-15"), Finding::Absent);
        assert_eq!(t("2024-07-15", "2024-07-15"), Finding::Present);
        assert_eq!(t("2024-07-16", "2024-07-15"), Finding::Absent);
    }

    #[test]
    fn invalid_inventories_name_the_field() {
        assert_eq!(
            err_path(
                r#"{"relationships":[{"id":"a","role":"partner"},{"id":"a","role":"friend"}]}"#
            ),
            "$.relationships[1].id"
        );
        assert_eq!(
            err_path(
                r#"{"relationships":[{"id":"a","role":"partner"}],"life_events":[{"kind":"death","relationship":"b"}]}"#
            ),
            "$.life_events[0].relationship"
        );
        assert_eq!(
            err_path(r#"{"relationships":[{"id":"a","role":"partner","closeness":6}]}"#),
            "$.relationships[0].closeness"
        );
        assert_eq!(
            err_path(r#"{"relationships":[{"id":"a","role":"cousin"}]}"#),
            "$.relationships[0].role"
        );
        assert_eq!(
            err_path(
                r#"{"relationships":[{"id":"a","role":"partner","conflict":"none","dispute_stage":"impasse"}]}"#
            ),
            "$.relationships[0].dispute_stage"
        );
        assert_eq!(
            err_path(r#"{"life_events":[{"kind":"move","months_before_onset":1201}]}"#),
            "$.life_events[0].months_before_onset"
        );
        assert_eq!(
            err_path(
                r#"{"life_events":[{"kind":"move","date":"2024-02-30","onset_date":"2024-03-01"}]}"#
            ),
            "$.life_events[0].date"
        );
        assert_eq!(
            err_path(r#"{"life_events":[{"kind":"move","date":"2024-02-01"}]}"#),
            "$.life_events[0].onset_date"
        );
        assert_eq!(
            err_path(
                r#"{"life_events":[{"kind":"move","months_before_onset":2,"date":"2024-02-01","onset_date":"2024-03-01"}]}"#
            ),
            "$.life_events[0].date"
        );
        assert_eq!(err_path(r#"{"relationship":[]}"#), "$.relationship");
        assert_eq!(
            err_path(r#"{"relationships":[{"id":" ","role":"partner"}]}"#),
            "$.relationships[0].id"
        );
        assert!(Inventory::from_json(
            r#"{"onset_date":"2024-03-01","life_events":[{"kind":"move","date":"2024-02-01"}]}"#
        )
        .is_ok());
    }
}
