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

use serde_json::Value;

use crate::date::Date;

use super::administration::{status, Administration, Dating};
use super::fhir::Res;
use super::instruments::{part_of_concept, Family, Part};
use super::questionnaire;
use super::reference::{Identity, Index, Target};
use super::time::Stamp;
use super::{Reason, Unread};

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
        if let Dating::At(s, e) = &dating
            && s.local.after(on)
        {
            unread.push(o.unread_at(e, Reason::AfterDate));
            continue;
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
