//! Goals as data (G-GOALS) and their ratings on the goal-based-outcome scale
//! (G-PROGRESS): each goal agreed with the patient has an id, its words, the problem area
//! of the focus it serves and, optionally, the person or life event of the inventory it
//! concerns. Any session may rate any goal from 0 to 10; progress per goal is its first and
//! latest rating, their difference and whether the difference is reliable.
//!
//! Goals written as plain strings, as contracts and snapshots were before goals were data,
//! are still read: as goals without an area, with the ids `goal-1`, `goal-2`... by position.

use schemars::JsonSchema;
use serde::{Deserialize, Deserializer, Serialize};

use super::outcome::Outcome;
use super::phase::Phase;
use super::words::CourseCase as C;
use crate::areas::{Focus, ProblemArea};
use crate::catalogue::parameters::{GBO_RELIABLE_CHANGE, GOAL_UNRATED_SESSIONS};
use crate::catalogue::RuleId;
use crate::error::Error;
use crate::explain::{Indicator, RuleStatus};
use crate::inventory::Inventory;
use crate::limits;

/// How much of a goal's words an outcome quotes.
const QUOTED: usize = 50;

/// A goal's words as an outcome quotes them: at most [`QUOTED`] characters, then `…`.
fn quote(text: &str) -> String {
    match text.char_indices().nth(QUOTED) {
        None => text.to_owned(),
        Some((cut, _)) => format!("{}…", text[..cut].trim_end()),
    }
}

/// The highest rating of the goal-based-outcome scale (0: no progress, 10: the goal reached).
pub const RATING_MAX: u32 = 10;

/// A goal agreed with the patient.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Goal {
    /// An identifier, unique in the contract, that ratings name.
    pub id: String,
    /// The goal in the patient's words.
    pub text: String,
    /// The problem area it serves: the focus's primary area or its backup.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub area: Option<ProblemArea>,
    /// The inventory relationship it concerns (its `id`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub relationship: Option<String>,
    /// The inventory life event it concerns (its position in `life_events`, from 0).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub life_event: Option<u32>,
}

/// A goal as a contract gives it: an object, or (as before goals were data) a string.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(untagged)]
pub enum GoalInput {
    /// The goal's words alone: a goal without an area, its id given by its position.
    Text(String),
    /// The goal as data.
    Goal(Goal),
}

impl<'de> Deserialize<'de> for GoalInput {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<GoalInput, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = GoalInput;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a goal: an object with `id` and `text`, or its words as a string")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<GoalInput, E> {
                Ok(GoalInput::Text(v.to_owned()))
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, m: A) -> Result<GoalInput, A::Error> {
                Goal::deserialize(serde::de::value::MapAccessDeserializer::new(m))
                    .map(GoalInput::Goal)
            }
        }
        d.deserialize_any(V)
    }
}

/// The id a goal given as a string takes: `goal-1` for the first goal of the list.
pub fn positional_id(index: usize) -> String {
    format!("goal-{}", index + 1)
}

/// Reads a contract's goals, objects or strings (see the module's documentation).
pub fn read<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<Goal>, D::Error> {
    Ok(normalize(&Vec::<GoalInput>::deserialize(d)?))
}

/// Goals as given, objects or strings, as goals (a string takes its positional id).
pub fn normalize(inputs: &[GoalInput]) -> Vec<Goal> {
    inputs
        .iter()
        .enumerate()
        .map(|(i, g)| match g {
            GoalInput::Goal(g) => g.clone(),
            GoalInput::Text(text) => Goal {
                id: positional_id(i),
                text: text.clone(),
                area: None,
                relationship: None,
                life_event: None,
            },
        })
        .collect()
}

/// A rating of one goal in a session.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct GoalRating {
    /// The goal's id.
    pub goal: String,
    /// 0 (no progress towards the goal) to 10 (the goal reached).
    pub rating: u32,
}

/// A rating as the course keeps it, with the session it was given in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RatingPoint {
    /// The goal's id.
    pub goal: String,
    /// The phase of the session.
    pub phase: Phase,
    /// The session.
    pub session: u32,
    /// The date of the session.
    pub date: String,
    /// The rating.
    pub rating: u32,
}

/// Checks a list of goals against the course's focus and inventory (paths under `at`, the
/// list's path): ids and words present, unique and within the limits, each area in the
/// focus, each relationship and life event in the inventory.
pub fn validate(
    goals: &[Goal],
    focus: Option<Focus>,
    inventory: Option<&Inventory>,
    at: &str,
) -> Result<(), Error> {
    limits::check_len(
        goals.len(),
        limits::MAX_LIST_ITEMS,
        "items",
        "max_list_items",
        || at.into(),
    )?;
    for (i, g) in goals.iter().enumerate() {
        let here = |field: &str| format!("{at}[{i}].{field}");
        limits::check_id(&g.id, || here("id").into())?;
        limits::check_text(&g.text, || here("text").into())?;
        if g.id.trim().is_empty() {
            return Err(Error::invalid(here("id"), "a goal needs an id".to_owned()));
        }
        if g.text.trim().is_empty() {
            return Err(Error::invalid(
                here("text"),
                "a goal needs its words".to_owned(),
            ));
        }
        if goals.iter().take(i).any(|o| o.id == g.id) {
            return Err(Error::invalid(
                here("id"),
                format!("the goal id `{}` is given twice", limits::clip(&g.id)),
            ));
        }
        if let Some(area) = g.area {
            let in_focus = focus.is_some_and(|f| f.primary == area || f.backup == Some(area));
            if !in_focus {
                let focus = focus.map_or("no focus is agreed yet".to_owned(), |f| match f.backup {
                    Some(b) => format!(
                        "the focus is {} with {} as backup",
                        f.primary.label(),
                        b.label()
                    ),
                    None => format!("the focus is {}", f.primary.label()),
                });
                return Err(Error::invalid(
                    here("area"),
                    format!(
                        "a goal serves the focus (G-GOALS): {} is not in it ({focus})",
                        area.label()
                    ),
                ));
            }
        }
        if let Some(r) = &g.relationship {
            limits::check_id(r, || here("relationship").into())?;
            let known = inventory
                .and_then(|inv| inv.relationships.as_ref())
                .is_some_and(|rs| rs.iter().any(|x| x.id == *r));
            if !known {
                return Err(Error::invalid(
                    here("relationship"),
                    format!(
                        "no relationship `{}` in the recorded inventory",
                        limits::clip(r)
                    ),
                ));
            }
        }
        if let Some(e) = g.life_event {
            let count = inventory
                .and_then(|inv| inv.life_events.as_ref())
                .map_or(0, Vec::len);
            if usize::try_from(e).unwrap_or(usize::MAX) >= count {
                return Err(Error::invalid(
                    here("life_event"),
                    format!("the recorded inventory has {count} life events: no life event {e}"),
                ));
            }
        }
    }
    Ok(())
}

/// Checks a session's ratings (paths under `at`, the list's path): each names a goal of the
/// contract, once, with a rating from 0 to 10.
pub fn validate_ratings(ratings: &[GoalRating], goals: &[Goal], at: &str) -> Result<(), Error> {
    limits::check_len(
        ratings.len(),
        limits::MAX_LIST_ITEMS,
        "items",
        "max_list_items",
        || at.into(),
    )?;
    for (i, r) in ratings.iter().enumerate() {
        limits::check_id(&r.goal, || format!("{at}[{i}].goal").into())?;
        if !goals.iter().any(|g| g.id == r.goal) {
            return Err(Error::invalid(
                format!("{at}[{i}].goal"),
                if goals.is_empty() {
                    format!(
                        "no goal `{}`: no goals are agreed in the contract",
                        limits::clip(&r.goal)
                    )
                } else {
                    let ids: Vec<&str> = goals.iter().map(|g| g.id.as_str()).collect();
                    format!(
                        "no goal `{}` in the contract (its goals: {})",
                        limits::clip(&r.goal),
                        ids.join(", ")
                    )
                },
            ));
        }
        if ratings.iter().take(i).any(|o| o.goal == r.goal) {
            return Err(Error::invalid(
                format!("{at}[{i}].goal"),
                format!(
                    "the goal `{}` is rated twice in one session",
                    limits::clip(&r.goal)
                ),
            ));
        }
        if r.rating > RATING_MAX {
            return Err(Error::invalid(
                format!("{at}[{i}].rating"),
                format!(
                    "a goal is rated from 0 to {RATING_MAX} (the goal-based-outcome scale), got {}",
                    r.rating
                ),
            ));
        }
    }
    Ok(())
}

/// Whether a change on the goal-based-outcome scale is reliable (G-PROGRESS).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum GoalChange {
    /// Not rated yet.
    NotRated,
    /// Rated once: no change to tell.
    RatedOnce,
    /// A reliable improvement: at least the reliable-change threshold up.
    ReliableImprovement,
    /// A change within measurement error.
    NotReliable,
    /// A reliable deterioration: at least the reliable-change threshold down.
    ReliableDeterioration,
}

/// Whether a change of `change` whole points is reliable: at least 2.45 points
/// (`GBO_RELIABLE_CHANGE` hundredths), so 3 points or more.
pub const fn is_reliable(change: i64) -> bool {
    change.unsigned_abs() * 100 >= GBO_RELIABLE_CHANGE as u64
}

/// The progress of one goal, as numbers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Progress {
    /// The goal's id.
    pub goal: String,
    /// The problem area it serves.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub area: Option<ProblemArea>,
    /// How many ratings it has.
    pub ratings: u32,
    /// The first rating.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first: Option<u32>,
    /// The session of the first rating.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_session: Option<u32>,
    /// The latest rating.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub latest: Option<u32>,
    /// The session of the latest rating.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub latest_session: Option<u32>,
    /// Latest minus first (positive: progress).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub change: Option<i64>,
    /// Whether the change is reliable.
    pub reliable: GoalChange,
}

/// The progress of a goal from a course's ratings.
pub fn progress(goal: &Goal, ratings: &[RatingPoint]) -> Progress {
    let mut points = ratings.iter().filter(|p| p.goal == goal.id);
    let first = points.next();
    let latest = points.next_back().or(first);
    let change = first
        .zip(latest)
        .map(|(f, l)| i64::from(l.rating) - i64::from(f.rating));
    let count = ratings.iter().filter(|p| p.goal == goal.id).count();
    let reliable = match change {
        None => GoalChange::NotRated,
        Some(_) if count < 2 => GoalChange::RatedOnce,
        Some(c) if is_reliable(c) && c > 0 => GoalChange::ReliableImprovement,
        Some(c) if is_reliable(c) => GoalChange::ReliableDeterioration,
        Some(_) => GoalChange::NotReliable,
    };
    Progress {
        goal: goal.id.clone(),
        area: goal.area,
        ratings: u32::try_from(count).unwrap_or(u32::MAX),
        first: first.map(|p| p.rating),
        first_session: first.map(|p| p.session),
        latest: latest.map(|p| p.rating),
        latest_session: latest.map(|p| p.session),
        change,
        reliable,
    }
}

/// The goals not rated in the last `GOAL_UNRATED_SESSIONS` sessions held (counted from
/// `agreed_after`, the sessions held when they were agreed, for a goal never rated), with the
/// sessions since: what the agenda lists.
pub fn unrated<'a>(
    goals: &'a [Goal],
    ratings: &[RatingPoint],
    sessions_held: u32,
    agreed_after: u32,
) -> Vec<(&'a Goal, u32)> {
    goals
        .iter()
        .filter_map(|g| {
            let last = ratings
                .iter()
                .filter(|p| p.goal == g.id)
                .map(|p| p.session)
                .next_back()
                .unwrap_or(agreed_after);
            let since = sessions_held.saturating_sub(last);
            (since >= GOAL_UNRATED_SESSIONS).then_some((g, since))
        })
        .collect()
}

/// G-PROGRESS: the progress of a goal as a typed outcome.
pub fn progress_outcome(goal: &Goal, p: &Progress) -> Outcome {
    let (status, indicator, case) = match p.reliable {
        GoalChange::NotRated => (RuleStatus::Unknown, Indicator::Info, C::GoalNotRated),
        GoalChange::RatedOnce => (RuleStatus::Unknown, Indicator::Info, C::GoalRatedOnce),
        GoalChange::ReliableImprovement => {
            (RuleStatus::Met, Indicator::Info, C::GoalReliableImprovement)
        }
        GoalChange::NotReliable => (RuleStatus::NotMet, Indicator::Info, C::GoalNotReliable),
        GoalChange::ReliableDeterioration => (
            RuleStatus::Met,
            Indicator::Warning,
            C::GoalReliableDeterioration,
        ),
    };
    let mut o =
        Outcome::new(RuleId::GProgress, status, indicator, case).with("goal", quote(&goal.text));
    for (name, value) in [
        ("first", p.first),
        ("latest", p.latest),
        ("first_session", p.first_session),
        ("latest_session", p.latest_session),
    ] {
        if let Some(v) = value {
            o = o.with(name, v);
        }
    }
    o
}

/// The agenda's item for a goal not rated for `sessions` sessions.
pub fn unrated_outcome(goal: &Goal, sessions: u32) -> Outcome {
    Outcome::new(
        RuleId::GProgress,
        RuleStatus::Unknown,
        Indicator::Info,
        C::GoalUnrated,
    )
    .with("goal", quote(&goal.text))
    .with("sessions", sessions)
}
