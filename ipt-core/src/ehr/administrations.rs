//! Instrument administrations read from a record's Observations and QuestionnaireResponses
//! (the codes are in [`instruments`](super::instruments), the values in
//! [`scores`](super::scores)).
//!
//! * **Status.** `final`, `amended` and `corrected` Observations (`completed` and `amended`
//!   QuestionnaireResponses) are verified; `preliminary`, `registered` and `unknown` (and
//!   `in-progress` and `stopped` answers) are read as *unverified*, never dropped: their
//!   answers still count, marked so. `entered-in-error` and `cancelled` are not read. A status
//!   that cannot be read is read as unverified and listed.
//! * **Grouping.** A panel takes its components, its own value (a total) and the members its
//!   `hasMember` names (resolved as references, by an index: time linear in the record); a
//!   total or an item on its own joins an administration of its instrument with the same time
//!   (the same instant, however written), or starts one. A QuestionnaireResponse is read too,
//!   and where an Observation is derived from it (`derivedFrom`), both are one administration
//!   whose values are the union of theirs.
//! * **Time.** `effective[x]` (or `authored`) dates an administration; without one, `issued`
//!   bounds it (effective no later than issued); without either it is undated and listed so.
//!   A date that cannot be read is listed and the administration read as undated.
//! * **Values.** A value that is not a score is listed at its element with its reason and the
//!   rest is read; a total that disagrees with its items is listed and neither is taken as the
//!   total; nothing of one administration fails the record.

use std::collections::HashMap;

use serde_json::{Map, Value};

use crate::date::Date;
use crate::measures::Instrument;

use super::fhir::Res;
use super::instruments::{part_of_concept, Family, Part};
use super::questionnaire;
use super::reference::{Identity, Index, Target};
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
    fn finish(&mut self, notes: &mut Vec<Unread>) {
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

    fn is_empty(&self) -> bool {
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

/// When an Observation was given: `effective[x]`, else `issued`; an unreadable time listed.
fn dating(o: &Res<'_>, notes: &mut Vec<Unread>) -> Dating {
    let mut read = |e: &str| match o.stamp(e) {
        Some(Ok(s)) => Some(s),
        Some(Err(u)) => {
            notes.push(u);
            None
        }
        None => None,
    };
    for e in ["effectiveDateTime", "effectiveInstant"] {
        if let Some(s) = read(e) {
            return Dating::At(s, e.to_owned());
        }
    }
    let start = read("effectivePeriod.start");
    let end = read("effectivePeriod.end");
    match (start, end) {
        (Some(a), Some(b)) => {
            let s = Stamp {
                lo: a.lo.min(b.lo),
                hi: a.hi.max(b.hi),
                ..b
            };
            return Dating::At(s, "effectivePeriod".to_owned());
        }
        (Some(s), None) => return Dating::At(s, "effectivePeriod.start".to_owned()),
        (None, Some(s)) => return Dating::At(s, "effectivePeriod.end".to_owned()),
        (None, None) => {}
    }
    match read("issued") {
        Some(s) => Dating::NoLaterThan(s, "issued".to_owned()),
        None => Dating::Undated,
    }
}

/// An Observation that is a part of an instrument, checked.
struct ObsPart<'r, 'a> {
    res: &'r Res<'a>,
    part: Part,
    verified: bool,
    dating: Dating,
}

/// Reads Observations and QuestionnaireResponses into administrations, oldest first.
pub(crate) fn read(
    observations: &[Res<'_>],
    responses: &[Res<'_>],
    on: Date,
    unread: &mut Vec<Unread>,
) -> Vec<Administration> {
    // Every Observation of the patient, to tell a member left unread from one not sent.
    let all_ids: Vec<Identity> = observations.iter().map(|o| o.identity.clone()).collect();
    let all = Index::new(all_ids.iter());
    let mut parts: Vec<ObsPart<'_, '_>> = Vec::new();
    for o in observations {
        let verified = match status(
            o,
            &["final", "amended", "corrected"],
            &["preliminary", "registered", "unknown"],
        ) {
            Ok(v) => v,
            Err(u) if u.reason == Reason::StatusUnreadable => {
                unread.push(u);
                false
            }
            Err(u) => {
                unread.push(u);
                continue;
            }
        };
        let Some(part) = part_of_concept(o.body.get("code")) else {
            unread.push(o.unread(Reason::NotAnInstrument));
            continue;
        };
        if part == Part::Difficulty {
            unread.push(o.unread(Reason::NotScored));
            continue;
        }
        let dating = dating(o, unread);
        if let Dating::At(s, e) = &dating {
            if s.local.after(on) {
                unread.push(o.unread_at(e, Reason::AfterDate));
                continue;
            }
        }
        parts.push(ObsPart {
            res: o,
            part,
            verified,
            dating,
        });
    }
    // One order whatever the Bundle's: by time, then identity, then place.
    parts.sort_by_cached_key(|p| {
        (
            p.dating.key(),
            p.res.identity.local.clone(),
            p.res.path.to_string(),
        )
    });
    let ids: Vec<Identity> = parts.iter().map(|p| p.res.identity.clone()).collect();
    let index = Index::new(ids.iter());
    let mut used = vec![false; parts.len()];
    let mut out: Vec<Administration> = Vec::new();
    // Administrations by family and time, for lone totals and items to join.
    let mut by_time: HashMap<(Family, i64, i64), usize> = HashMap::new();
    let key = |f: Family, d: &Dating| d.stamp().map(|s| (f, s.lo, s.hi));

    for (i, p) in parts.iter().enumerate() {
        let Part::Panel(instrument) = p.part else {
            continue;
        };
        mark(&mut used, i);
        let res = p.res;
        let mut a = Administration::new(instrument, res.origin(), p.verified, p.dating.clone());
        (a.derived_from, a.source) = derived_from(res);
        let own = (p.verified, &p.dating);
        a.add(res, p.part, res.body, "", own, unread);
        for (ci, comp) in res
            .body
            .get("component")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .enumerate()
        {
            let Some(body) = comp.as_object() else {
                continue;
            };
            if let Some(part) =
                part_of_concept(body.get("code")).filter(|x| x.family() == p.part.family())
            {
                a.add(res, part, body, &format!("component[{ci}]."), own, unread);
            }
        }
        for (mi, r) in res
            .body
            .get("hasMember")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .enumerate()
        {
            let Some(r) = r.get("reference").and_then(Value::as_str) else {
                continue;
            };
            let target = res.identity.resolve(r);
            let found = index.find(&target, &ids).into_iter().find(|j| {
                !is_used(&used, *j)
                    && parts
                        .get(*j)
                        .is_some_and(|m| !matches!(m.part, Part::Panel(_)))
            });
            match found.and_then(|j| parts.get(j).map(|m| (j, m))) {
                Some((j, m)) => {
                    mark(&mut used, j);
                    a.from.push(m.res.origin());
                    a.verified &= m.verified;
                    if m.part.family() == p.part.family() {
                        a.add(
                            m.res,
                            m.part,
                            m.res.body,
                            "",
                            (m.verified, &m.dating),
                            unread,
                        );
                    }
                }
                None if all.find(&target, &all_ids).is_empty() => {
                    let element = format!("hasMember[{mi}].reference");
                    unread.push(res.unread_at(&element, Reason::NotInRecord));
                }
                None => {}
            }
        }
        if let Some(k) = key(Family::of(instrument), &a.dating) {
            by_time.entry(k).or_insert(out.len());
        }
        out.push(a);
    }
    // Totals, then items, on their own: joined by time, or alone.
    for pass_totals in [true, false] {
        for (i, p) in parts.iter().enumerate() {
            let is_total = matches!(p.part, Part::Total(_));
            if is_used(&used, i) || is_total != pass_totals {
                continue;
            }
            mark(&mut used, i);
            let Some(family) = p.part.family() else {
                continue;
            };
            let instrument = match p.part {
                Part::Total(i) => i,
                _ => family.default_instrument(),
            };
            let joined = key(family, &p.dating)
                .and_then(|k| by_time.get(&k).copied())
                .filter(|_| !is_total);
            let target = match joined {
                Some(j) => j,
                None => {
                    if let Some(k) = key(family, &p.dating) {
                        by_time.entry(k).or_insert(out.len());
                    }
                    let mut a = Administration::new(
                        instrument,
                        p.res.origin(),
                        p.verified,
                        p.dating.clone(),
                    );
                    (a.derived_from, a.source) = derived_from(p.res);
                    out.push(a);
                    out.len() - 1
                }
            };
            let Some(a) = out.get_mut(target) else {
                continue;
            };
            if joined.is_some() {
                a.from.push(p.res.origin());
                a.verified &= p.verified;
            }
            a.add(
                p.res,
                p.part,
                p.res.body,
                "",
                (p.verified, &p.dating),
                unread,
            );
        }
    }
    questionnaire::read_all(responses, on, &mut out, unread);
    let mut out: Vec<Administration> = out
        .into_iter()
        .filter_map(|mut a| {
            a.finish(unread);
            if a.is_empty() {
                unread.extend(a.from.first().map(|o| Unread {
                    origin: o.clone(),
                    reason: Reason::NoValue,
                    value: None,
                }));
                return None;
            }
            Some(a)
        })
        .collect();
    out.sort_by_cached_key(|a| {
        (
            a.dating.key(),
            a.from.first().map(|o| (o.element.clone(), o.path.clone())),
        )
    });
    out
}

fn is_used(used: &[bool], i: usize) -> bool {
    used.get(i).copied().unwrap_or(true)
}

fn mark(used: &mut [bool], i: usize) {
    if let Some(u) = used.get_mut(i) {
        *u = true;
    }
}

/// The first reference of `derivedFrom` naming a QuestionnaireResponse, as written (clipped),
/// and what it names.
fn derived_from(o: &Res<'_>) -> (Option<String>, Option<Target>) {
    let found = o
        .body
        .get("derivedFrom")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|r| r.get("reference").and_then(Value::as_str))
        .find(|r| r.contains("QuestionnaireResponse/") || r.starts_with("urn:"));
    match found {
        Some(r) => (
            Some(crate::limits::clip(r).into_owned()),
            Some(o.identity.resolve(r)),
        ),
        None => (None, None),
    }
}
