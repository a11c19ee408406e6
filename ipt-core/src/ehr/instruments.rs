//! Reading instrument scores from FHIR R4: PHQ-9 Observations (the panel, LOINC 44249-1, its
//! members or components: the total 44261-6 and the nine items, item 9 being 44260-8),
//! PHQ-9 QuestionnaireResponses (items by their LOINC linkId, as US Core's PHQ-9 example
//! writes them) and BDI-II totals (89209-1). HAM-D 17 has no LOINC code this engine reads.

use serde_json::{Map, Value};

use crate::date::Date;
use crate::error::Error;
use crate::limits::clip;
use crate::measures::Instrument;

use super::fhir::{FhirDate, Res};
use super::{Origin, Reason, Unread};

/// The LOINC system.
pub const LOINC: &str = "http://loinc.org";
/// PHQ-9 panel.
pub const PHQ9_PANEL: &str = "44249-1";
/// PHQ-9 total score.
pub const PHQ9_TOTAL: &str = "44261-6";
/// PHQ-9 item 9: thoughts that you would be better off dead, or of hurting yourself.
pub const PHQ9_ITEM9: &str = "44260-8";
/// The PHQ-9 difficulty item, not part of the score.
pub const PHQ9_DIFFICULTY: &str = crate::measures::DIFFICULTY_CODE;
/// BDI-II total score.
pub const BDI2_TOTAL: &str = "89209-1";

/// The nine PHQ-9 items, in questionnaire order (the measures' table).
pub const PHQ9_ITEMS: [&str; 9] = crate::measures::PHQ9_ITEM_CODES;

/// The PHQ-9 answer list (LOINC LL358-3): answer code and score.
pub const PHQ9_ANSWERS: [(&str, u8); 4] = [
    ("LA6568-5", 0),
    ("LA6569-3", 1),
    ("LA6570-1", 2),
    ("LA6571-9", 3),
];

/// The LOINC code of an instrument's total, if the engine knows one.
pub const fn total_code(i: Instrument) -> Option<&'static str> {
    match i {
        Instrument::Phq9 => Some(PHQ9_TOTAL),
        Instrument::Bdi2 => Some(BDI2_TOTAL),
        // GAD-7 and PHQ-A are read and written by the measures and the course, not yet
        // from and to FHIR; HAM-D 17 has no LOINC code.
        Instrument::Hamd17 | Instrument::Gad7 | Instrument::Phqa => None,
    }
}

/// What a LOINC code is to this engine.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Part {
    Panel,
    Total(Instrument),
    /// PHQ-9 item 1-9.
    Item(u8),
    Difficulty,
}

fn part_of(code: &str) -> Option<Part> {
    match code {
        PHQ9_PANEL => Some(Part::Panel),
        PHQ9_TOTAL => Some(Part::Total(Instrument::Phq9)),
        BDI2_TOTAL => Some(Part::Total(Instrument::Bdi2)),
        PHQ9_DIFFICULTY => Some(Part::Difficulty),
        _ => PHQ9_ITEMS
            .iter()
            .position(|c| *c == code)
            .and_then(|i| u8::try_from(i + 1).ok())
            .map(Part::Item),
    }
}

/// One administration of an instrument, as the record gives it.
#[derive(Debug, Clone)]
pub(crate) struct Administration {
    pub instrument: Instrument,
    pub total: Option<(u32, Vec<Origin>)>,
    pub item9: Option<(u8, Origin)>,
    pub date: Option<FhirDate>,
    /// The resources it was read from.
    pub from: Vec<Origin>,
    /// The QuestionnaireResponse it was derived from (`QuestionnaireResponse/abc`).
    pub derived_from: Option<String>,
    /// The element of the total, for errors.
    total_path: Option<String>,
    items: [Option<(u8, Origin)>; 9],
    effective: Option<String>,
}

impl Administration {
    fn new(instrument: Instrument, res: &Res<'_>) -> Administration {
        Administration {
            instrument,
            total: None,
            item9: None,
            date: None,
            from: vec![res.origin()],
            derived_from: None,
            total_path: None,
            items: Default::default(),
            effective: None,
        }
    }

    /// The date's sort key: undated first.
    pub fn sort_key(&self) -> (i32, u32, u32) {
        match self.date {
            None => (0, 0, 0),
            Some(FhirDate::Year(y)) => (y, 0, 0),
            Some(FhirDate::Month(y, m)) => (y, m, 0),
            Some(FhirDate::Full(d)) => (d.year, d.month, d.day),
        }
    }

    /// The total from the items when all nine are there, checked against a total given; the
    /// ranges checked.
    fn finish(mut self) -> Result<Administration, Error> {
        let item_total: Option<u32> = self
            .items
            .iter()
            .map(|i| i.as_ref().map(|(v, _)| u32::from(*v)))
            .sum();
        if let Some(sum) = item_total {
            match &self.total {
                Some((t, _)) if *t != sum => {
                    return Err(Error::invalid(
                        self.total_path.clone().unwrap_or_default(),
                        format!("the PHQ-9 total {t} is not the sum of its nine items ({sum})"),
                    ))
                }
                Some(_) => {}
                None => {
                    let from = self
                        .items
                        .iter()
                        .flatten()
                        .map(|(_, o)| o.clone())
                        .collect();
                    self.total = Some((sum, from));
                }
            }
        }
        if let Some(i9) = self.items.get(8).cloned().flatten() {
            self.item9 = Some(i9);
        }
        if let Some((t, _)) = &self.total {
            let max = self.instrument.max_total();
            if *t > max {
                return Err(Error::invalid(
                    self.total_path.clone().unwrap_or_default(),
                    format!(
                        "a {} total is between 0 and {max}, got {t}",
                        self.instrument.label()
                    ),
                ));
            }
            if let Some((i9, o)) = &self.item9 {
                if u32::from(*i9) > *t {
                    return Err(Error::invalid(
                        o.path.clone(),
                        format!("PHQ-9 item 9 ({i9}) cannot exceed the total ({t})"),
                    ));
                }
            }
        }
        Ok(self)
    }
}

/// A whole number from a value element (`valueInteger`, `valueQuantity.value`,
/// `valueDecimal`, or a string of digits), with its element name; `None` when there is none.
fn number(
    body: &Map<String, Value>,
    res: &Res<'_>,
    prefix: &str,
) -> Result<Option<(u32, String)>, Error> {
    let found = [
        ("valueInteger", body.get("valueInteger")),
        ("valueDecimal", body.get("valueDecimal")),
        (
            "valueQuantity.value",
            body.get("valueQuantity").and_then(|q| q.get("value")),
        ),
        ("valueString", body.get("valueString")),
    ];
    for (key, v) in found {
        let Some(v) = v else { continue };
        let element = format!("{prefix}{key}");
        let n = match v {
            Value::Number(n) => n.as_u64().or_else(|| {
                n.as_f64()
                    .filter(|f| f.fract() == 0.0 && *f >= 0.0 && *f < 1e6)
                    .map(|f| f as u64)
            }),
            Value::String(s)
                if (1..=3).contains(&s.len()) && s.bytes().all(|c| c.is_ascii_digit()) =>
            {
                s.parse().ok()
            }
            _ => None,
        };
        return match n.and_then(|n| u32::try_from(n).ok()) {
            Some(n) => Ok(Some((n, element))),
            None => Err(Error::invalid(
                res.path_of(&element),
                format!(
                    "a score is a whole number from 0, got {}",
                    clip(&v.to_string())
                ),
            )),
        };
    }
    Ok(None)
}

/// A PHQ-9 item score from a coded answer (`valueCodeableConcept`, `valueCoding`) or a number.
fn item_score(
    body: &Map<String, Value>,
    res: &Res<'_>,
    prefix: &str,
) -> Result<Option<(u8, String)>, Error> {
    let coded = [
        (
            "valueCodeableConcept.coding",
            body.get("valueCodeableConcept")
                .and_then(|c| c.get("coding"))
                .and_then(Value::as_array)
                .map(|a| a.iter().collect::<Vec<_>>()),
        ),
        ("valueCoding", body.get("valueCoding").map(|c| vec![c])),
    ];
    for (key, list) in coded {
        let Some(list) = list else { continue };
        for (i, c) in list.iter().enumerate() {
            if c.get("system").and_then(Value::as_str) != Some(LOINC) {
                continue;
            }
            let code = c.get("code").and_then(Value::as_str).unwrap_or("");
            let element = if key == "valueCoding" {
                format!("{prefix}{key}")
            } else {
                format!("{prefix}{key}[{i}]")
            };
            return match PHQ9_ANSWERS.iter().find(|(a, _)| *a == code) {
                Some((_, score)) => Ok(Some((*score, element))),
                None => Err(Error::invalid(
                    res.path_of(&format!("{element}.code")),
                    format!(
                        "`{}` is not an answer of the PHQ-9 answer list (LA6568-5, LA6569-3, LA6570-1, LA6571-9)",
                        clip(code)
                    ),
                )),
            };
        }
    }
    match number(body, res, prefix)? {
        Some((n, element)) if n <= 3 => Ok(Some((u8::try_from(n).unwrap_or(3), element))),
        Some((n, element)) => Err(Error::invalid(
            res.path_of(&element),
            format!("a PHQ-9 item is scored 0 to 3, got {n}"),
        )),
        None => Ok(None),
    }
}

/// The date an Observation is effective.
fn effective(o: &Res<'_>) -> Option<(String, Option<FhirDate>)> {
    let text = o
        .str("effectiveDateTime")
        .or_else(|| o.str("effectiveInstant"))
        .or_else(|| {
            o.body
                .get("effectivePeriod")
                .and_then(|p| p.get("start"))
                .and_then(Value::as_str)
        })?;
    Some((text.to_owned(), FhirDate::parse(text)))
}

/// The first reference of `derivedFrom` naming a QuestionnaireResponse.
fn derived_from(o: &Res<'_>) -> Option<String> {
    o.body
        .get("derivedFrom")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|r| r.get("reference").and_then(Value::as_str))
        .find(|r| r.contains("QuestionnaireResponse/") || r.starts_with("urn:"))
        .map(|r| clip(r).into_owned())
}

/// An Observation that is a part of an instrument, checked.
struct ObsPart<'a> {
    res: Res<'a>,
    part: Part,
    /// Whether an administration has taken it.
    used: std::cell::Cell<bool>,
}

/// Reads Observations and QuestionnaireResponses into administrations.
pub(crate) fn read(
    observations: &[Res<'_>],
    responses: &[Res<'_>],
    on: Date,
    unread: &mut Vec<Unread>,
) -> Result<Vec<Administration>, Error> {
    let mut parts: Vec<ObsPart<'_>> = Vec::new();
    for o in observations {
        if !matches!(o.str("status"), Some("final" | "amended" | "corrected")) {
            unread.push(o.unread(Reason::NotFinal));
            continue;
        }
        let code = super::fhir::codings(o.body.get("code"))
            .filter(|c| c.get("system").and_then(Value::as_str) == Some(LOINC))
            .find_map(|c| c.get("code").and_then(Value::as_str).and_then(part_of));
        let Some(part) = code else {
            unread.push(o.unread(Reason::NotAnInstrument));
            continue;
        };
        if effective(o)
            .and_then(|(_, d)| d)
            .is_some_and(|d| d.after(on))
        {
            unread.push(o.unread(Reason::AfterDate));
            continue;
        }
        if part == Part::Difficulty {
            unread.push(o.unread(Reason::NotScored));
            continue;
        }
        parts.push(ObsPart {
            res: o.clone(),
            part,
            used: std::cell::Cell::new(false),
        });
    }
    let mut out = Vec::new();
    // Panels with their members and components.
    for p in &parts {
        if p.part != Part::Panel {
            continue;
        }
        p.used.set(true);
        let mut a = Administration::new(Instrument::Phq9, &p.res);
        start(&mut a, &p.res);
        for (ci, comp) in p
            .res
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
            let code = super::fhir::codings(body.get("code"))
                .filter(|c| c.get("system").and_then(Value::as_str) == Some(LOINC))
                .find_map(|c| c.get("code").and_then(Value::as_str).and_then(part_of));
            add(&mut a, &p.res, code, body, &format!("component[{ci}]."))?;
        }
        for r in p
            .res
            .body
            .get("hasMember")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(|m| m.get("reference").and_then(Value::as_str))
        {
            let found = parts
                .iter()
                .find(|m| !m.used.get() && m.part != Part::Panel && m.res.is_referred_by(r));
            if let Some(m) = found {
                m.used.set(true);
                a.from.push(m.res.origin());
                add(&mut a, &m.res, Some(m.part), m.res.body, "")?;
            }
        }
        out.push(a);
    }
    // Totals on their own, then items joined to a total of the same effective time.
    for t in &parts {
        let Part::Total(instrument) = t.part else {
            continue;
        };
        if t.used.get() {
            continue;
        }
        t.used.set(true);
        let mut a = Administration::new(instrument, &t.res);
        start(&mut a, &t.res);
        add(&mut a, &t.res, Some(t.part), t.res.body, "")?;
        out.push(a);
    }
    for it in &parts {
        if it.used.get() {
            continue;
        }
        let when = effective(&it.res).map(|(text, _)| text);
        let target = out.iter_mut().find(|a| {
            a.instrument == Instrument::Phq9 && a.effective.is_some() && a.effective == when
        });
        match target {
            Some(a) => {
                a.from.push(it.res.origin());
                add(a, &it.res, Some(it.part), it.res.body, "")?;
            }
            None => {
                let mut a = Administration::new(Instrument::Phq9, &it.res);
                start(&mut a, &it.res);
                add(&mut a, &it.res, Some(it.part), it.res.body, "")?;
                out.push(a);
            }
        }
    }
    let mut out = out
        .into_iter()
        .map(Administration::finish)
        .collect::<Result<Vec<_>, _>>()?;
    out.retain(|a| {
        let empty = a.total.is_none() && a.item9.is_none() && a.items.iter().all(Option::is_none);
        if empty {
            unread.extend(a.from.first().map(|o| Unread {
                origin: o.clone(),
                reason: Reason::NoValue,
            }));
        }
        !empty
    });
    for q in responses {
        if let Some(a) = questionnaire(q, on, &out, unread)? {
            out.push(a);
        }
    }
    out.sort_by_key(Administration::sort_key);
    Ok(out)
}

fn start(a: &mut Administration, res: &Res<'_>) {
    if let Some((text, date)) = effective(res) {
        a.effective = Some(text);
        a.date = date;
    }
    a.derived_from = derived_from(res);
}

/// Adds one part's value (an Observation, a component, a QuestionnaireResponse item).
fn add(
    a: &mut Administration,
    res: &Res<'_>,
    part: Option<Part>,
    body: &Map<String, Value>,
    prefix: &str,
) -> Result<(), Error> {
    match part {
        Some(Part::Total(_)) => {
            a.total_path = Some(res.path_of(&format!("{prefix}value")).to_string());
            if let Some((n, element)) = number(body, res, prefix)? {
                a.total_path = Some(res.path_of(&element).to_string());
                a.total = Some((n, vec![res.at(&element)]));
            }
        }
        Some(Part::Item(n)) => {
            if let Some((score, element)) = item_score(body, res, prefix)? {
                let slot = a.items.get_mut(usize::from(n) - 1);
                slot.into_iter()
                    .for_each(|s| *s = Some((score, res.at(&element))));
            }
        }
        _ => {}
    }
    Ok(())
}

/// Reads a PHQ-9 QuestionnaireResponse, unless an Observation already read it.
fn questionnaire(
    q: &Res<'_>,
    on: Date,
    read: &[Administration],
    unread: &mut Vec<Unread>,
) -> Result<Option<Administration>, Error> {
    if !matches!(q.str("status"), Some("completed" | "amended")) {
        unread.push(q.unread(Reason::NotFinal));
        return Ok(None);
    }
    let authored = q.str("authored").and_then(FhirDate::parse);
    if authored.is_some_and(|d| d.after(on)) {
        unread.push(q.unread(Reason::AfterDate));
        return Ok(None);
    }
    if read
        .iter()
        .filter_map(|a| a.derived_from.as_deref())
        .any(|r| q.is_referred_by(r))
    {
        unread.push(q.unread(Reason::ReadThroughObservation));
        return Ok(None);
    }
    let mut a = Administration::new(Instrument::Phq9, q);
    a.date = authored;
    a.derived_from = Some(q.name());
    let mut found = false;
    walk(q, q.body.get("item"), "item", &mut a, &mut found)?;
    if !found {
        unread.push(q.unread(Reason::NotPhq9));
        return Ok(None);
    }
    let a = a.finish()?;
    if a.total.is_none() && a.item9.is_none() && a.items.iter().all(Option::is_none) {
        unread.push(q.unread(Reason::NoValue));
        return Ok(None);
    }
    Ok(Some(a))
}

/// Walks a QuestionnaireResponse's items (nested groups too) for PHQ-9 linkIds.
fn walk(
    q: &Res<'_>,
    items: Option<&Value>,
    at: &str,
    a: &mut Administration,
    found: &mut bool,
) -> Result<(), Error> {
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
        let part =
            part_of(code).filter(|p| matches!(p, Part::Total(Instrument::Phq9) | Part::Item(_)));
        if let Some(part) = part {
            *found = true;
            if let Some(answer) = body
                .get("answer")
                .and_then(Value::as_array)
                .and_then(|a| a.first())
                .and_then(Value::as_object)
            {
                add(a, q, Some(part), answer, &format!("{here}.answer[0]."))?;
            }
        }
        walk(q, body.get("item"), &format!("{here}.item"), a, found)?;
    }
    Ok(())
}
