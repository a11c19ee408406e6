//! QuestionnaireResponses read as instrument administrations.
//!
//! Items are found by `linkId` (the LOINC code of the item, with or without a leading `/`, as
//! US Core's PHQ-9 example writes them), nested groups included. One response may hold more
//! than one instrument (a PHQ-9 and a GAD-7 together): each is an administration. Its
//! `questionnaire` is checked: when it names an instrument and the items are another's, the
//! response is listed ([`Reason::QuestionnaireMismatch`]) and still read by its items, so a
//! self-harm answer in it is never lost. An item with more than one answer is listed; each
//! answer still counts for item 9. A response from which an Observation was derived is read
//! into that Observation's administration.

use std::collections::BTreeMap;

use serde_json::Value;

use crate::date::Date;

use super::administration::{status, Administration, Dating};
use super::fhir::Res;
use super::instruments::{self, part_of, Family, Part};
use super::reference::{Identity, Index};
use super::{Reason, Unread};

/// Reads the responses into `out` (the administrations of the Observations so far).
pub(crate) fn read_all(
    responses: &[Res<'_>],
    on: Date,
    out: &mut Vec<Administration>,
    unread: &mut Vec<Unread>,
) {
    let mut order: Vec<&Res<'_>> = responses.iter().collect();
    order.sort_by_cached_key(|q| {
        (
            q.identity.local.clone(),
            q.str("authored"),
            q.path.to_string(),
        )
    });
    let ids: Vec<Identity> = order.iter().map(|q| q.identity.clone()).collect();
    let index = Index::new(ids.iter());
    // Which administration (by family) each response was derived into.
    let mut claimed: BTreeMap<(usize, Family), usize> = BTreeMap::new();
    for (ai, a) in out.iter().enumerate() {
        let Some(target) = &a.source else { continue };
        if let Some(qi) = index.find(target, &ids).first() {
            claimed.entry((*qi, Family::of(a.instrument))).or_insert(ai);
        }
    }
    for (qi, q) in order.iter().enumerate() {
        for mut a in read(q, on, unread) {
            match claimed.get(&(qi, Family::of(a.instrument))).copied() {
                Some(ai) => {
                    if let Some(into) = out.get_mut(ai) {
                        merge(into, a, unread);
                    }
                }
                None => {
                    a.derived_from = Some(q.name());
                    out.push(a);
                }
            }
        }
    }
}

/// One response's administrations, one per instrument its items belong to.
fn read(q: &Res<'_>, on: Date, unread: &mut Vec<Unread>) -> Vec<Administration> {
    let verified = match status(q, &["completed", "amended"], &["in-progress", "stopped"]) {
        Ok(v) => v,
        Err(u) if u.reason == Reason::StatusUnreadable => {
            unread.push(u);
            false
        }
        Err(u) => {
            unread.push(u);
            return Vec::new();
        }
    };
    let dating = match q.stamp("authored") {
        Some(Ok(s)) if s.local.after(on) => {
            unread.push(q.unread_at("authored", Reason::AfterDate));
            return Vec::new();
        }
        Some(Ok(s)) => Dating::At(s, "authored".to_owned()),
        Some(Err(u)) => {
            unread.push(u);
            Dating::Undated
        }
        None => Dating::Undated,
    };
    let named = q.str("questionnaire").and_then(instruments::questionnaire);
    let mut found: Vec<(Family, Part, String)> = Vec::new();
    walk(q.body.get("item"), "item", &mut found);
    if found.is_empty() {
        unread.push(q.unread(Reason::UnknownQuestionnaire));
        return Vec::new();
    }
    if let Some(n) = named
        && !found.iter().any(|(f, _, _)| *f == Family::of(n))
    {
        unread.push(q.unread_at("questionnaire", Reason::QuestionnaireMismatch));
    }
    let mut by_family: BTreeMap<Family, Administration> = BTreeMap::new();
    for (family, part, at) in found {
        let instrument = match (named, part) {
            (Some(n), _) if Family::of(n) == family => n,
            (_, Part::Total(i)) => i,
            _ => family.default_instrument(),
        };
        let a = by_family.entry(family).or_insert_with(|| {
            Administration::new(instrument, q.origin(), verified, dating.clone())
        });
        if matches!(part, Part::Total(_)) {
            a.instrument = instrument;
        }
        let answers = q.element(&format!("{at}.answer")).and_then(Value::as_array);
        let answers = answers.map(Vec::as_slice).unwrap_or_default();
        if answers.len() > 1 {
            unread.push(q.unread_at(&format!("{at}.answer"), Reason::MultipleAnswers));
        }
        for (k, answer) in answers.iter().enumerate() {
            let Some(body) = answer.as_object() else {
                continue;
            };
            a.add(
                q,
                part,
                body,
                &format!("{at}.answer[{k}]."),
                (verified, &dating),
                unread,
            );
        }
    }
    by_family.into_values().collect()
}

/// Walks items (nested groups too) for linkIds that are an instrument's LOINC codes.
fn walk(items: Option<&Value>, at: &str, found: &mut Vec<(Family, Part, String)>) {
    for (i, item) in items
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .enumerate()
    {
        let Some(body) = item.as_object() else {
            continue;
        };
        let here = format!("{at}[{i}]");
        let link = body.get("linkId").and_then(Value::as_str).unwrap_or("");
        let code = link.strip_prefix('/').unwrap_or(link);
        if let Some(part) = part_of(code).filter(|p| matches!(p, Part::Total(_) | Part::Item(..)))
            && let Some(f) = part.family()
        {
            found.push((f, part, here.clone()));
        }
        walk(body.get("item"), &format!("{here}.item"), found);
        // Items nested under an answer (a question's follow-ups).
        for (k, answer) in body
            .get("answer")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .enumerate()
        {
            walk(
                answer.get("item"),
                &format!("{here}.answer[{k}].item"),
                found,
            );
        }
    }
}

/// A response's administration read into the Observation's derived from it.
fn merge(into: &mut Administration, from: Administration, unread: &mut Vec<Unread>) {
    into.from.extend(from.from);
    into.verified &= from.verified;
    if into.dating == Dating::Undated {
        into.dating = from.dating;
    }
    match (&into.given_total, from.given_total) {
        (Some((a, _)), Some((b, o))) if *a != b => {
            unread.push(
                Unread {
                    origin: o,
                    reason: Reason::TotalMismatch,
                    value: None,
                }
                .with_value(&Value::from(b)),
            );
            into.given_total = None;
        }
        (None, Some(t)) => into.given_total = Some(t),
        _ => {}
    }
    into.answers.extend(from.answers);
}
