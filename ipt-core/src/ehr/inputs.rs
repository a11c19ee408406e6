//! The assessment a record gives, joined with the request's own statements (the
//! `assessment` beside the record): the record's diagnoses first, then the request's; the age
//! from the Patient; the findings the codes imply. A value the request states and the record
//! contradicts is a conflict (D-CODE-MAP), left unknown; every input cites where it came from.

use serde_json::Value;

use crate::explain::{InputValue, Render};
use crate::findings::Finding;
use crate::suitability::{Age, Assessment};

use super::condition::ConditionRead;
use super::mapping::{conflict, Conflict};
use super::terminology::Implied;
use super::{Claim, Derived, Origin};

/// The assessment, its inputs with their sources, and the conflicts.
pub(crate) fn combine(
    read_conditions: &[ConditionRead],
    age: Option<(u8, Origin)>,
    explicit: Option<&Assessment>,
    render: Render<'_>,
) -> (Assessment, Vec<Derived>, Vec<Conflict>) {
    // The assessment: the request's statements, then what the record adds.
    let mut assessment = explicit.cloned().unwrap_or_default();
    let mut derived = explicit.map(stated).unwrap_or_default();
    let mut conflicts = Vec::new();
    let record_diagnoses: Vec<_> = read_conditions
        .iter()
        .map(|r| r.diagnosis.clone())
        .collect();
    let shift = record_diagnoses.len();
    for d in &mut derived {
        if let Some(rest) = d.input.strip_prefix("$.diagnoses[")
            && let Some((n, tail)) = rest.split_once(']')
            && let Ok(n) = n.parse::<usize>()
        {
            d.input = format!("$.diagnoses[{}]{tail}", n + shift);
        }
    }
    assessment.diagnoses = record_diagnoses
        .into_iter()
        .chain(assessment.diagnoses)
        .collect();
    for (i, r) in read_conditions.iter().enumerate() {
        let at = format!("$.diagnoses[{i}]");
        derived.push(Derived {
            input: format!("{at}.category"),
            value: InputValue::of(r.diagnosis.category),
            from: r.category_from.clone(),
        });
        for (field, claims) in [("course", &r.course), ("phase", &r.phase)] {
            match claims.as_slice() {
                [] => {}
                [one] => derived.push(Derived {
                    input: format!("{at}.{field}"),
                    value: one.value.clone(),
                    from: one.from.clone(),
                }),
                many => conflicts.push(conflict(&format!("{at}.{field}"), many.to_vec(), render)),
            }
        }
    }

    // The age.
    let stated_age = explicit.and_then(|a| a.age);
    match (age, stated_age) {
        (Some((a, from)), None) => {
            assessment.age = Age::new(a.into());
            derived.push(Derived {
                input: "$.age".into(),
                value: InputValue::Int(a.into()),
                from: vec![from],
            });
        }
        (Some((a, from)), Some(s)) if s.get() != u32::from(a) => {
            assessment.age = None;
            derived.retain(|d| d.input != "$.age");
            conflicts.push(conflict(
                "$.age",
                vec![
                    Claim {
                        value: InputValue::Int(s.get().into()),
                        from: vec![Origin::stated("$.assessment.age")],
                    },
                    Claim {
                        value: InputValue::Int(a.into()),
                        from: vec![from],
                    },
                ],
                render,
            ));
        }
        (Some((_, from)), Some(_)) => {
            if let Some(d) = derived.iter_mut().find(|d| d.input == "$.age") {
                d.from.push(from);
            }
        }
        _ => {}
    }

    // The findings the codes imply.
    for i in Implied::ALL {
        let from: Vec<Origin> = read_conditions
            .iter()
            .flat_map(|r| r.implies.iter())
            .filter(|(x, _)| *x == i)
            .map(|(_, o)| o.clone())
            .collect();
        if from.is_empty() {
            continue;
        }
        match i.get(&assessment.findings) {
            Finding::Unknown => {
                i.set(&mut assessment.findings, Finding::Present);
                derived.push(Derived {
                    input: i.path().into(),
                    value: InputValue::of(Finding::Present),
                    from,
                });
            }
            Finding::Present => {
                if let Some(d) = derived.iter_mut().find(|d| d.input == i.path()) {
                    d.from.extend(from);
                }
            }
            Finding::Absent => {
                i.set(&mut assessment.findings, Finding::Unknown);
                derived.retain(|d| d.input != i.path());
                conflicts.push(conflict(
                    i.path(),
                    vec![
                        Claim {
                            value: InputValue::of(Finding::Absent),
                            from: vec![Origin::stated(format!(
                                "$.assessment.findings.{}",
                                i.name()
                            ))],
                        },
                        Claim {
                            value: InputValue::of(Finding::Present),
                            from,
                        },
                    ],
                    render,
                ));
            }
        }
    }

    derived.sort_by(|a, b| a.input.cmp(&b.input));
    conflicts.sort_by(|a, b| a.input.cmp(&b.input));
    (assessment, derived, conflicts)
}

/// The request's own statements as derived inputs: every field it gives a value (findings
/// that are not `unknown`).
fn stated(a: &Assessment) -> Vec<Derived> {
    fn walk(v: &Value, path: &str, out: &mut Vec<Derived>) {
        match v {
            Value::Object(m) => {
                for (k, x) in m {
                    walk(x, &format!("{path}.{k}"), out);
                }
            }
            Value::Array(a) if path.ends_with("diagnoses") => {
                for (i, x) in a.iter().enumerate() {
                    walk(x, &format!("{path}[{i}]"), out);
                }
            }
            Value::Null => {}
            Value::String(s) if s == "unknown" => {}
            other => out.push(Derived {
                input: path.to_owned(),
                value: InputValue::of(other),
                from: vec![Origin::stated(path.replacen('$', "$.assessment", 1))],
            }),
        }
    }
    let mut out = Vec::new();
    walk(
        &serde_json::to_value(a).unwrap_or(Value::Null),
        "$",
        &mut out,
    );
    out
}
