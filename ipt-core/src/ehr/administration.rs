//! One administration of an instrument as the record gives it: when it was given, its
//! answers, its total, whether it is verified. Read from Observations by
//! [`administrations`](super::administrations) and from QuestionnaireResponses by
//! [`questionnaire`](super::questionnaire).

use serde_json::{Map, Value};

use crate::measures::Instrument;

use super::fhir::Res;
use super::instruments::{Family, Part};
use super::reference::Target;
use super::scores::{self, Score};
use super::time::Stamp;
use super::{Origin, Reason, Unread};

/// When an administration (or one answer) was given.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Dating {
    /// Its `effective[x]` (or `authored`): the time, and the element as written.
    At(Stamp, String),
    /// Only `issued`: given no later than that.
    NoLaterThan(Stamp, String),
    /// No time at all.
    Undated,
}

impl Dating {
    /// The key that orders administrations, oldest first: undated first.
    pub fn key(&self) -> (i64, i64) {
        match self {
            Dating::At(s, _) => (s.lo, s.hi),
            Dating::NoLaterThan(s, _) => (i64::MIN, s.hi),
            Dating::Undated => (i64::MIN, i64::MIN),
        }
    }

    /// The effective time, when there is one.
    pub fn stamp(&self) -> Option<&Stamp> {
        match self {
            Dating::At(s, _) => Some(s),
            _ => None,
        }
    }

    /// Whether this is certainly later than `other`.
    pub fn certainly_after(&self, other: &Dating) -> bool {
        let earliest = match self {
            Dating::At(s, _) => s.lo,
            _ => return false,
        };
        let latest = match other {
            Dating::At(s, _) | Dating::NoLaterThan(s, _) => s.hi,
            Dating::Undated => return false,
        };
        earliest > latest
    }
}

/// One answer to an item.
#[derive(Debug, Clone)]
pub(crate) struct Answer {
    /// The item (1-based).
    pub n: u8,
    /// Its score; `None` when the value could not be scored.
    pub score: Option<u32>,
    /// Whether an answer that could not be scored may be above 0.
    pub possibly_positive: bool,
    /// Where it was read.
    pub origin: Origin,
    /// Whether the resource it came from is verified (final).
    pub verified: bool,
    /// When the resource it came from was given.
    pub dating: Dating,
}

/// One administration of an instrument, as the record gives it.
#[derive(Debug, Clone)]
pub(crate) struct Administration {
    pub instrument: Instrument,
    /// The total, with the elements it was read from (the total, or every item).
    pub total: Option<(u32, Vec<Origin>)>,
    /// Every answer read, in the order read.
    pub answers: Vec<Answer>,
    pub dating: Dating,
    /// Whether every resource it was read from is verified.
    pub verified: bool,
    /// The resources it was read from.
    pub from: Vec<Origin>,
    /// The QuestionnaireResponse it was derived from (`QuestionnaireResponse/abc`).
    pub derived_from: Option<String>,
    /// What `derived_from` names, resolved from the resource that names it.
    pub source: Option<Target>,
    /// A total given, with its element.
    pub given_total: Option<(u32, Origin)>,
}

impl Administration {
    pub fn new(instrument: Instrument, from: Origin, verified: bool, dating: Dating) -> Self {
        Administration {
            instrument,
            total: None,
            answers: Vec::new(),
            dating,
            verified,
            from: vec![from],
            derived_from: None,
            source: None,
            given_total: None,
        }
    }

    /// The single score of item `n`, when its answers agree on one.
    pub fn item(&self, n: u8) -> Option<u32> {
        let mut scores = self.answers.iter().filter(|a| a.n == n).map(|a| a.score);
        let first = scores.next()??;
        scores.all(|s| s == Some(first)).then_some(first)
    }

    /// Adds a value read from `body` (an Observation, a component, an answer) as `part`; a
    /// value that is not a score is listed.
    pub fn add(
        &mut self,
        res: &Res<'_>,
        part: Part,
        body: &Map<String, Value>,
        prefix: &str,
        (verified, dating): (bool, &Dating),
        notes: &mut Vec<Unread>,
    ) {
        let score = match part {
            Part::Total(_) | Part::Panel(_) => scores::number(body, prefix),
            Part::Item(..) => scores::item(body, prefix, crate::measures::ITEM_MAX),
            Part::Difficulty => return,
        };
        match (part, score) {
            (_, Score::None) => {}
            (Part::Total(_) | Part::Panel(_), Score::Valid(n, element)) => {
                if self.given_total.as_ref().is_some_and(|(t, _)| *t != n) {
                    notes.push(res.unread_at(&element, Reason::TotalMismatch));
                    self.given_total = None;
                } else {
                    self.given_total = Some((n, res.at(&element)));
                }
            }
            (Part::Item(_, n), Score::Valid(s, element)) => self.answers.push(Answer {
                n,
                score: Some(s),
                possibly_positive: false,
                origin: res.at(&element),
                verified,
                dating: dating.clone(),
            }),
            (
                part,
                Score::Bad {
                    element,
                    reason,
                    possibly_positive,
                },
            ) => {
                notes.push(res.unread_at(&element, reason));
                if let Part::Item(_, n) = part {
                    self.answers.push(Answer {
                        n,
                        score: None,
                        possibly_positive,
                        origin: res.at(&element),
                        verified,
                        dating: dating.clone(),
                    });
                }
            }
            (Part::Difficulty, _) => {}
        }
    }

    /// The total: the given one, checked against the items, or the sum of the items when every
    /// one has a single score. A total out of range, or one that disagrees with its items, is
    /// listed and not taken.
    pub(crate) fn finish(&mut self, notes: &mut Vec<Unread>) {
        let count = Family::of(self.instrument).items();
        let items: Option<Vec<(u32, Origin)>> = (1..=count)
            .map(|n| {
                let n = u8::try_from(n).ok()?;
                let s = self.item(n)?;
                let o = self.answers.iter().find(|a| a.n == n)?.origin.clone();
                Some((s, o))
            })
            .collect();
        let items = items.filter(|v| count > 0 && v.len() == count);
        let sum: Option<u32> = items.as_ref().map(|v| v.iter().map(|(s, _)| s).sum());
        let unread = |o: &Origin, reason| Unread {
            origin: o.clone(),
            reason,
            value: None,
        };
        self.total = match (&self.given_total, sum) {
            (Some((t, o)), _) if *t > self.instrument.max_total() => {
                notes.push(unread(o, Reason::OutOfRange).with_value(&Value::from(*t)));
                None
            }
            (Some((t, o)), Some(s)) if *t != s => {
                notes.push(unread(o, Reason::TotalMismatch).with_value(&Value::from(*t)));
                None
            }
            (Some((t, o)), _) if self.item(9).is_some_and(|i9| i9 > *t) && count == 9 => {
                notes.push(unread(o, Reason::TotalMismatch).with_value(&Value::from(*t)));
                None
            }
            (Some((t, o)), _) => Some((*t, vec![o.clone()])),
            (None, Some(s)) => Some((
                s,
                items
                    .unwrap_or_default()
                    .into_iter()
                    .map(|(_, o)| o)
                    .collect(),
            )),
            (None, None) => None,
        };
        // An item answered more than once with different scores (or not scorable twice over).
        for n in 1..=count {
            let Ok(n) = u8::try_from(n) else { continue };
            let answers: Vec<&Answer> = self.answers.iter().filter(|a| a.n == n).collect();
            if answers.len() > 1 && self.item(n).is_none() {
                notes.extend(
                    answers
                        .iter()
                        .skip(1)
                        .map(|a| unread(&a.origin, Reason::MultipleAnswers)),
                );
            }
        }
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.given_total.is_none() && self.answers.is_empty()
    }
}

/// How an Observation's or a QuestionnaireResponse's status reads: verified, unverified, or
/// not read (with why).
pub(crate) fn status(
    res: &Res<'_>,
    verified: &[&str],
    unverified: &[&str],
) -> Result<bool, Unread> {
    match res.str("status") {
        Some(s) if verified.contains(&s) => Ok(true),
        Some(s) if unverified.contains(&s) => Ok(false),
        Some("entered-in-error") => Err(res.unread(Reason::EnteredInError)),
        Some("cancelled") => Err(res.unread(Reason::Cancelled)),
        _ => Err(res.unread_at("status", Reason::StatusUnreadable)),
    }
}
