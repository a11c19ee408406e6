//! What every handler shares: its context (the event's path, what it produced, how it is
//! rendered) and the phases events are accepted in.

use crate::areas::AreaRanking;
use crate::course::outcome::Outcome;
use crate::course::state::Phase;
use crate::explain::{Explanation, Render};
use crate::measures::MeasureReading;
use crate::suitability::SuitabilityReport;

/// One item an event produced: a course outcome, or an explanation another module built
/// (focus warnings, measure readings).
pub(super) enum Item {
    Outcome(Outcome),
    Explained(Explanation),
}

/// What an event produced, before rendering.
#[derive(Default)]
pub(super) struct Produced {
    pub(super) items: Vec<Item>,
    pub(super) suitability: Option<SuitabilityReport>,
    pub(super) ranking: Option<AreaRanking>,
    pub(super) readings: Vec<MeasureReading>,
}

/// A handler's context: the event's path and, when outputs are wanted, what it produced and
/// how it is rendered.
pub(super) struct Ctx<'a> {
    pub(super) path: &'a str,
    pub(super) out: Option<Produced>,
    pub(super) render: Render<'a>,
}

impl Ctx<'_> {
    pub(super) fn at(&self, field: &str) -> String {
        format!("{}.{field}", self.path)
    }

    pub(super) fn emit(&mut self, f: impl FnOnce(&str) -> Outcome) {
        if let Some(out) = self.out.as_mut() {
            out.items.push(Item::Outcome(f(self.path)));
        }
    }

    pub(super) fn explained(&mut self, items: impl IntoIterator<Item = Explanation>) {
        if let Some(out) = self.out.as_mut() {
            out.items.extend(items.into_iter().map(Item::Explained));
        }
    }
}

pub(super) const ACUTE: &[Phase] = &[Phase::Initial, Phase::Middle, Phase::Termination];
pub(super) const OPEN: &[Phase] = &[
    Phase::Initial,
    Phase::Middle,
    Phase::Termination,
    Phase::Maintenance,
];
/// From the start of the course to maintenance, completion included: when a review or a
/// reassessment that clears an alert may be recorded (alerts are never lost).
pub(super) const STARTED: &[Phase] = &[
    Phase::Initial,
    Phase::Middle,
    Phase::Termination,
    Phase::Completed,
    Phase::Maintenance,
];
