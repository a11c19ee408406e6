//! Whose record it is: the Patient, and each clinical resource's `subject` resolved as a
//! reference (see [`reference`](super::reference)).
//!
//! The patient is the one in the CDS Hooks context (on the `fhirServer`, when the request
//! names one) or the record's Patient. A resource whose subject is another patient (another
//! id, or the same id on another server) is listed as [`Reason::OtherPatient`] and not read;
//! one whose subject cannot be resolved (an absolute URL on a server whose base is unknown) is
//! listed as [`Reason::UnresolvedSubject`]. Either way the rest of the record is read. Without
//! a patient to anchor them (no Patient, or a Patient with neither id nor `fullUrl`), the
//! subjects must name one patient between them, or whose record it is cannot be told: the
//! request is refused.

use std::collections::HashMap;

use crate::error::Error;
use crate::limits::clip;

use super::fhir::Res;
use super::reference::{Identity, Target};
use super::{Reason, Unread};

/// A record's resources, by what reads them.
#[derive(Default)]
pub(crate) struct Sorted<'r, 'a> {
    pub patient: Option<&'r Res<'a>>,
    pub conditions: Vec<Res<'a>>,
    pub observations: Vec<Res<'a>>,
    pub responses: Vec<Res<'a>>,
}

/// The patient in context: its id and the FHIR server it is on, when known.
pub(crate) struct InContext<'a> {
    pub id: &'a str,
    pub server: Option<&'a str>,
}

fn same(a: &Target, b: &Target) -> bool {
    match (a, b) {
        (
            Target::Rest {
                local: x, base: bx, ..
            },
            Target::Rest {
                local: y, base: by, ..
            },
        ) => x == y && (bx.is_none() || by.is_none() || bx == by),
        (x, y) => x == y,
    }
}

/// Sorts the record's resources, listing those of other patients and those this engine does
/// not read.
pub(crate) fn sort<'r, 'a>(
    resources: &'r [Res<'a>],
    context: Option<&InContext<'_>>,
    unread: &mut Vec<Unread>,
) -> Result<Sorted<'r, 'a>, Error> {
    let mut out = Sorted::default();
    let mut patients: Vec<&'r Res<'a>> = Vec::new();
    // The same resource sent twice (in two prefetch keys, say) is read once.
    let mut seen_ids: HashMap<&Identity, &Res<'a>> = HashMap::new();
    let resources: Vec<&'r Res<'a>> = resources
        .iter()
        .filter(|r| {
            if r.identity.local.is_none() {
                return true;
            }
            match seen_ids.get(&r.identity) {
                Some(first) => first.kind != r.kind || first.body != r.body,
                None => {
                    seen_ids.insert(&r.identity, r);
                    true
                }
            }
        })
        .collect();
    for r in resources.iter().copied() {
        match r.kind {
            "Patient" => patients.push(r),
            "Condition" | "Observation" | "QuestionnaireResponse" => {}
            "OperationOutcome" => unread.push(r.unread(Reason::OperationOutcome)),
            _ => unread.push(r.unread(Reason::ResourceType)),
        }
    }
    let anchor: Option<Identity> = match context {
        Some(c) => {
            let me = Identity::of("Patient", Some(c.id), None, c.server);
            for p in &patients {
                // The Patient the EHR sent for `Patient/{{context.patientId}}`, without an id.
                if p.identity.local.is_none() {
                    out.patient.get_or_insert(p);
                    continue;
                }
                let base = p.identity.base.clone().filter(|b| !b.starts_with("urn:"));
                if me.is(&Target::Rest {
                    local: p.name(),
                    referrer: base.clone(),
                    base,
                }) == Some(true)
                {
                    out.patient.get_or_insert(p);
                } else {
                    unread.push(p.unread(Reason::OtherPatient));
                }
            }
            Some(me)
        }
        None => {
            if let Some(second) = patients.get(1) {
                return Err(Error::invalid(
                    second.path.clone(),
                    "a second Patient: the record is read for one patient at a time",
                ));
            }
            out.patient = patients.first().copied();
            out.patient
                .filter(|p| p.identity.local.is_some() || p.identity.base.is_some())
                .map(|p| p.identity.clone())
        }
    };
    // Without an anchor, the first subject (in the record's own order of identities) anchors
    // the others; they must agree.
    let mut seen: Option<Target> = None;
    let mut order: Vec<&Res<'a>> = resources
        .iter()
        .copied()
        .filter(|r| {
            matches!(
                r.kind,
                "Condition" | "Observation" | "QuestionnaireResponse"
            )
        })
        .collect();
    order.sort_by(|a, b| {
        (&a.identity.local, a.path.as_str()).cmp(&(&b.identity.local, b.path.as_str()))
    });
    for r in order {
        let Some(subject) = r.reference("subject") else {
            unread.push(r.unread(Reason::NoSubject));
            continue;
        };
        let target = r.identity.resolve(subject);
        let ours = match &anchor {
            Some(a) => a.is(&target),
            None if target == Target::Unresolvable => Some(false),
            None => match &seen {
                None => {
                    seen = Some(target.clone());
                    Some(true)
                }
                Some(first) if same(first, &target) => Some(true),
                Some(_) => {
                    let blame = match out.patient {
                        Some(p) => p.path.key("id"),
                        None => r.path.key("subject").key("reference"),
                    };
                    return Err(Error::invalid(
                        blame,
                        format!(
                            "`{}` is not the patient the record's other resources are about, and the record names no Patient to tell whose it is",
                            clip(subject)
                        ),
                    ));
                }
            },
        };
        match ours {
            Some(true) => match r.kind {
                "Condition" => out.conditions.push(r.clone()),
                "Observation" => out.observations.push(r.clone()),
                _ => out.responses.push(r.clone()),
            },
            Some(false) if target == Target::Unresolvable => {
                unread.push(r.unread_at("subject.reference", Reason::UnresolvedSubject));
            }
            Some(false) => unread.push(r.unread_at("subject.reference", Reason::OtherPatient)),
            None => unread.push(r.unread_at("subject.reference", Reason::UnresolvedSubject)),
        }
    }
    Ok(out)
}
