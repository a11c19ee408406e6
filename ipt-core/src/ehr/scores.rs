//! Reading a score from a FHIR value element: a total as a whole number, an item as a coded
//! answer or a number.
//!
//! Numbers: `valueInteger`, `valueDecimal` or `valueQuantity.value` holding a whole number
//! from 0, or `valueString` of one to three digits and nothing else. Coded answers
//! (`valueCodeableConcept.coding`, `valueCoding`): a code of the LOINC answer list LL358-3
//! (`LA6568-5` is 0 … `LA6571-9` is 3) whose system is LOINC (`http://loinc.org`, or its OID
//! `urn:oid:2.16.840.1.113883.6.1`) or absent, or any coding carrying its score in the SDC
//! `ordinalValue` (or `itemWeight`) extension. A value that is none of these is not a score:
//! it is listed with its reason, and for an item it is a *possible positive* unless it reads
//! as 0 however it is read, so an item 9 that cannot be scored is never taken for a 0.

use serde_json::{Map, Value};

use super::Reason;

/// The LOINC system.
pub const LOINC: &str = "http://loinc.org";
/// LOINC's OID, as a system URI.
pub const LOINC_OID: &str = "urn:oid:2.16.840.1.113883.6.1";
/// The SDC extension carrying an answer's score.
pub const ORDINAL_VALUE: &str = "http://hl7.org/fhir/StructureDefinition/ordinalValue";
/// The extension FHIR R5 renamed it to, also sent under R4.
pub const ITEM_WEIGHT: &str = "http://hl7.org/fhir/StructureDefinition/itemWeight";

/// The answer list LL358-3 (PHQ-9, PHQ-A, GAD-7 items): answer code and score.
pub const ANSWERS: [(&str, u32); 4] = [
    ("LA6568-5", 0),
    ("LA6569-3", 1),
    ("LA6570-1", 2),
    ("LA6571-9", 3),
];

/// Whether a coding's system is LOINC (or absent, as some EHRs send LOINC codes).
pub fn is_loinc(coding: &Map<String, Value>) -> bool {
    match coding.get("system") {
        None => true,
        Some(Value::String(s)) => s == LOINC || s == LOINC_OID,
        Some(_) => false,
    }
}

/// A score read from an element.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Score {
    /// No value element.
    None,
    /// A score, with the element it was read from (relative to the body read).
    Valid(u32, String),
    /// A value that is not a score: the element, why, and whether it may be a positive answer.
    Bad {
        element: String,
        reason: Reason,
        possibly_positive: bool,
    },
}

/// Whether a value that is not a score may still mean an answer above 0.
fn may_be_positive(v: &Value) -> bool {
    match v {
        Value::Number(n) => n.as_f64() != Some(0.0),
        Value::String(s) => {
            let t = s.trim().to_ascii_lowercase();
            !matches!(
                t.as_str(),
                "0" | "0.0" | "00" | "no" | "none" | "not at all" | "false" | ""
            )
        }
        Value::Bool(b) => *b,
        Value::Null => false,
        _ => true,
    }
}

/// A whole number from 0 from a number element, or a string of one to three digits.
fn whole(v: &Value) -> Option<u32> {
    match v {
        Value::Number(n) => n
            .as_u64()
            .or_else(|| {
                n.as_f64()
                    .filter(|f| f.fract() == 0.0 && *f >= 0.0 && *f < 1e6)
                    .map(|f| f as u64)
            })
            .and_then(|n| u32::try_from(n).ok()),
        Value::String(s) if (1..=3).contains(&s.len()) && s.bytes().all(|c| c.is_ascii_digit()) => {
            s.parse().ok()
        }
        _ => None,
    }
}

/// A number (a total, or an item given as a number), `prefix` naming the element's parent.
pub(crate) fn number(body: &Map<String, Value>, prefix: &str) -> Score {
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
        return match whole(v) {
            Some(n) => Score::Valid(n, element),
            _ => Score::Bad {
                element,
                reason: Reason::InvalidValue,
                possibly_positive: may_be_positive(v),
            },
        };
    }
    Score::None
}

/// The score of one coding: its LOINC answer code, its ordinal extension, both (agreeing), or
/// `Err` with whether it may be positive.
fn coding_score(c: &Map<String, Value>) -> Option<Result<u32, bool>> {
    let ordinal = c
        .get("extension")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .find(|e| {
            matches!(
                e.get("url").and_then(Value::as_str),
                Some(ORDINAL_VALUE | ITEM_WEIGHT)
            )
        })
        .map(|e| {
            e.get("valueDecimal")
                .or_else(|| e.get("valueInteger"))
                .and_then(whole)
                .ok_or(true)
        });
    let code = c.get("code").and_then(Value::as_str);
    let coded = is_loinc(c).then_some(code).flatten().map(|code| {
        ANSWERS
            .iter()
            .find(|(a, _)| *a == code)
            .map(|(_, s)| *s)
            .ok_or(true)
    });
    match (coded, ordinal) {
        (Some(Ok(a)), Some(Ok(b))) if a != b => Some(Err(true)),
        (Some(Ok(a)), _) | (_, Some(Ok(a))) => Some(Ok(a)),
        (Some(Err(p)), _) | (_, Some(Err(p))) => Some(Err(p)),
        (None, None) => None,
    }
}

/// An item's score (0 to `max`): a coded answer or a number.
pub(crate) fn item(body: &Map<String, Value>, prefix: &str, max: u32) -> Score {
    let coded: [(&str, Option<Vec<&Value>>); 2] = [
        (
            "valueCodeableConcept.coding",
            body.get("valueCodeableConcept")
                .and_then(|c| c.get("coding"))
                .and_then(Value::as_array)
                .map(|a| a.iter().collect()),
        ),
        ("valueCoding", body.get("valueCoding").map(|c| vec![c])),
    ];
    for (key, list) in coded {
        let Some(list) = list else { continue };
        let mut bad: Option<String> = None;
        for (i, c) in list.iter().enumerate() {
            let element = if key == "valueCoding" {
                format!("{prefix}{key}")
            } else {
                format!("{prefix}{key}[{i}]")
            };
            let Some(c) = c.as_object() else {
                bad.get_or_insert(element);
                continue;
            };
            match coding_score(c) {
                Some(Ok(s)) if s <= max => return Score::Valid(s, element),
                Some(Ok(_)) => {
                    return Score::Bad {
                        element,
                        reason: Reason::OutOfRange,
                        possibly_positive: true,
                    }
                }
                Some(Err(_)) => {
                    bad.get_or_insert(element);
                }
                None => {}
            }
        }
        // Codings, none of them a score this engine can read.
        return Score::Bad {
            element: bad.unwrap_or_else(|| format!("{prefix}{key}")),
            reason: Reason::InvalidValue,
            possibly_positive: true,
        };
    }
    match number(body, prefix) {
        Score::Valid(n, element) if n > max => Score::Bad {
            element,
            reason: Reason::OutOfRange,
            possibly_positive: true,
        },
        other => other,
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use serde_json::json;

    fn item_of(v: Value) -> Score {
        item(v.as_object().unwrap(), "", 3)
    }

    #[test]
    fn item_answers_are_read_in_every_coding_ehrs_send() {
        let la = |system: Option<&str>| {
            let mut c = json!({"code": "LA6570-1"});
            if let Some(s) = system {
                c["system"] = s.into();
            }
            item_of(json!({"valueCodeableConcept": {"coding": [c]}}))
        };
        for s in [Some(LOINC), Some(LOINC_OID), None] {
            assert!(matches!(la(s), Score::Valid(2, _)), "{s:?}");
        }
        assert!(matches!(
            la(Some("http://snomed.info/sct")),
            Score::Bad {
                possibly_positive: true,
                ..
            }
        ));
        let ordinal = json!({"valueCoding": {"system": "urn:local", "code": "often",
            "extension": [{"url": ORDINAL_VALUE, "valueDecimal": 2}]}});
        assert!(matches!(item_of(ordinal), Score::Valid(2, _)));
        let disagree = json!({"valueCoding": {"system": LOINC, "code": "LA6569-3",
            "extension": [{"url": ITEM_WEIGHT, "valueDecimal": 3}]}});
        assert!(matches!(
            item_of(disagree),
            Score::Bad {
                possibly_positive: true,
                ..
            }
        ));
        assert!(matches!(
            item_of(json!({"valueInteger": 4})),
            Score::Bad {
                reason: Reason::OutOfRange,
                ..
            }
        ));
        assert!(matches!(
            item_of(json!({"valueString": "2 "})),
            Score::Bad {
                possibly_positive: true,
                ..
            }
        ));
        assert!(matches!(
            item_of(json!({"valueString": "0 "})),
            Score::Bad {
                possibly_positive: false,
                ..
            }
        ));
        assert!(matches!(
            item_of(json!({"valueDecimal": 0.5})),
            Score::Bad {
                possibly_positive: true,
                ..
            }
        ));
        assert_eq!(item_of(json!({})), Score::None);
        assert!(matches!(
            number(json!({"valueString": "12"}).as_object().unwrap(), ""),
            Score::Valid(12, _)
        ));
        assert!(matches!(
            number(
                json!({"valueQuantity": {"value": 12.0}})
                    .as_object()
                    .unwrap(),
                ""
            ),
            Score::Valid(12, _)
        ));
    }
}
