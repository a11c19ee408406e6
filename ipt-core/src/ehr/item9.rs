//! PHQ-9 and PHQ-A item 9 (thoughts of being better off dead or of self-harm) in a record:
//! every answer read, and which of them raise the lethality-assessment alert (X-SUICIDE).
//!
//! The rule: **an item 9 above 0 that no later item-9 answer supersedes raises the alert**,
//! when it is dated within [`LOOKBACK_DAYS`] days before the assessment, or cannot be dated.
//!
//! * Only an item-9 answer supersedes one: a later total, or a later PHQ-9 without item 9,
//!   hides nothing. The superseding answer must be verified (final) and scored, and certainly
//!   later: its earliest instant after the positive one's latest (full instants order answers;
//!   a date without a time overlaps its whole day, so two answers of one day never supersede
//!   each other unless both have times). An undated answer supersedes nothing and is never
//!   superseded.
//! * Every status but `entered-in-error` and `cancelled` counts: a preliminary Observation or
//!   an in-progress QuestionnaireResponse is an *unverified* signal, never nothing.
//! * An item 9 that could not be scored (a value out of range, a code outside the answer
//!   list, `"2 "`) is a possible positive, unless it reads as 0 however it is read.
//! * Two answers at the same instant do not overwrite each other: each positive one counts.
//! * A positive answer older than the look-back and never superseded is listed with its date
//!   (outcome `outside_window`); a card names it.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::date::Date;
use crate::measures::Instrument;

use super::administration::{Administration, Dating};
use super::instruments::Family;
use super::{Origin, Verification};

/// How far back a positive item 9 with no later answer raises the alert: 90 days, three times
/// the PHQ-9's own two-week window, so a positive answer stays in view until a later
/// administration answers it.
pub const LOOKBACK_DAYS: i64 = crate::catalogue::parameters::ITEM9_LOOKBACK_DAYS as i64;

/// What an item-9 answer does.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Item9Outcome {
    /// Above 0 (or possibly so), not superseded, within the look-back or undated: it raises
    /// the alert.
    Alert,
    /// Above 0 but older than the look-back, with no later answer: listed with its date.
    OutsideWindow,
    /// Above 0, answered again later (verified): that answer stands.
    Superseded,
    /// 0.
    Negative,
}

/// One answer to item 9 in the record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Item9Answer {
    /// PHQ-9 or PHQ-A.
    pub instrument: Instrument,
    /// The score, 0 to 3; absent when the value could not be scored (see `unread`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub score: Option<u8>,
    /// `final`, or `unverified` (preliminary, in progress, stopped).
    pub status: Verification,
    /// The date it states (`YYYY-MM-DD`, in its own zone), when it gives a full one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    /// The time as written, and the element it is from (`effectiveDateTime`, `authored`,
    /// `issued`: given no later than then). Absent: undated.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time: Option<String>,
    /// The element the time is from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dated_by: Option<String>,
    /// Where it was read (one answer may be read from an Observation and the response it was
    /// derived from).
    pub from: Vec<Origin>,
    /// What it does.
    pub outcome: Item9Outcome,
    /// The later answer that supersedes it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub superseded_by: Option<Origin>,
}

struct Raw<'a> {
    instrument: Instrument,
    score: Option<u32>,
    positive: bool,
    verified: bool,
    dating: &'a Dating,
    from: Vec<Origin>,
}

/// Every item-9 answer of the administrations, with its outcome at the date `on`, oldest
/// first.
pub(crate) fn answers(admins: &[Administration], on: Date) -> Vec<Item9Answer> {
    let mut raw: Vec<Raw<'_>> = Vec::new();
    for a in admins
        .iter()
        .filter(|a| Family::of(a.instrument) == Family::Phq)
    {
        // The same answer read twice (an Observation and its response): one, from both.
        let mut seen = std::collections::HashMap::new();
        for x in a.answers.iter().filter(|x| x.n == 9) {
            let positive = x.score.map_or(x.possibly_positive, |s| s > 0);
            let key = (x.score, positive, x.verified, x.dating.key());
            match seen.get(&key).and_then(|i: &usize| raw.get_mut(*i)) {
                Some(r) => r.from.push(x.origin.clone()),
                None => {
                    seen.insert(key, raw.len());
                    raw.push(Raw {
                        instrument: a.instrument,
                        score: x.score,
                        positive,
                        verified: x.verified,
                        dating: &x.dating,
                        from: vec![x.origin.clone()],
                    });
                }
            }
        }
    }
    // The latest-starting verified, scored answer: a positive answer is superseded when any
    // answer starts after it ends, so when this one does.
    let latest = raw
        .iter()
        .filter(|r| r.verified && r.score.is_some())
        .filter_map(|r| r.dating.stamp().map(|s| (s.lo, r)))
        .max_by_key(|(lo, r)| {
            let o = r.from.first();
            (*lo, o.map(|o| o.element.clone()), o.map(|o| o.path.clone()))
        })
        .map(|(_, r)| r);
    let window = on.plus_days(-LOOKBACK_DAYS);
    let mut out: Vec<(&Dating, Item9Answer)> = raw
        .iter()
        .map(|r| {
            let superseder = latest.filter(|l| l.dating.certainly_after(r.dating));
            let in_window = match r.dating {
                Dating::At(s, _) | Dating::NoLaterThan(s, _) => s.local.may_be_on_or_after(window),
                Dating::Undated => true,
            };
            let outcome = match (r.positive, superseder, in_window) {
                (false, _, _) => Item9Outcome::Negative,
                (true, Some(_), _) => Item9Outcome::Superseded,
                (true, None, true) => Item9Outcome::Alert,
                (true, None, false) => Item9Outcome::OutsideWindow,
            };
            let (time, dated_by, date) = match r.dating {
                Dating::At(s, e) => (Some(s.text.clone()), Some(e.clone()), s.local.full()),
                Dating::NoLaterThan(s, e) => (Some(s.text.clone()), Some(e.clone()), None),
                Dating::Undated => (None, None, None),
            };
            let answer = Item9Answer {
                instrument: r.instrument,
                score: r.score.and_then(|s| u8::try_from(s).ok()),
                status: if r.verified {
                    Verification::Final
                } else {
                    Verification::Unverified
                },
                date: date.map(|d| d.to_string()),
                time,
                dated_by,
                from: r.from.clone(),
                outcome,
                superseded_by: superseder
                    .filter(|_| outcome == Item9Outcome::Superseded)
                    .and_then(|l| l.from.first().cloned()),
            };
            (r.dating, answer)
        })
        .collect();
    let order = |d: &Dating, a: &Item9Answer| {
        let o = a.from.first();
        (
            d.key(),
            o.map(|o| o.element.clone()),
            o.map(|o| o.path.clone()),
        )
    };
    out.sort_by_cached_key(|(d, a)| order(d, a));
    out.into_iter().map(|(_, a)| a).collect()
}
