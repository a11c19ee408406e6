//! A CDS Hooks service: `cds_hooks` answers a `patient-view` or `encounter-start` request with
//! cards, and `cds_services` gives the discovery document (`GET /cds-services`).
//!
//! The request's prefetch is read as a record ([`record`](super::record)): a key the EHR did
//! not send means "not supplied" and `null` means "no data", as the specification says; both
//! leave inputs unknown, never absent. The cards are rendered from the typed suitability
//! decision ([`crate::suitability::decide`]) and the measures: the critical safety alerts
//! first, then the conflicts, the contraindications or the indeterminate verdict (warnings)
//! and the indications (info). Cards offer options; none commands. A card's `uuid` is a UUID
//! version 5 of its rule and the inputs it was decided on, so replaying a request gives the
//! same cards.
//!
//! The service needs no FHIR server: `fhirServer` and `fhirAuthorization` are ignored (and never
//! echoed), and the date of the assessment comes with the request, beside the CDS Hooks
//! request itself: `{"date": "2026-01-05", "request": {...}}`.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::error::Error;
use crate::explain::{Detail, Locale, Render};
use crate::limits::clip;
use crate::path::JsonPath;
use crate::suitability::Assessment;

use super::bundle;
pub use super::card::{
    Action, Card, CardSource, Coding, Hook, Suggestion, OVERRIDE_SYSTEM, RULE_SYSTEM,
};
use super::card::{Context, Supplied};
use super::fhir::{is_fhir_id, Res};
use super::record::{self, date_at};
use super::subjects::InContext;
use super::{words, Origin, Reason, Unread};

/// The request of `cds_hooks`.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CdsHooksRequest {
    /// The date of the assessment, `YYYY-MM-DD` (the engine has no clock): the age is computed
    /// at it and record entries dated after it are not read.
    pub date: String,
    /// The CDS Hooks request as the EHR sent it: `hook`, `hookInstance`, `context`,
    /// `prefetch` (and `fhirServer`, `fhirAuthorization`, `extension`, which are not read).
    #[schemars(with = "Value")]
    pub request: Box<serde_json::value::RawValue>,
    /// Inputs stated explicitly beside the record (an assessment, every field optional).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub assessment: Option<Assessment>,
    /// Where the service publishes a page for each rule (`https://cds.example.org/rules`):
    /// when given, each card's `source.url` is this URL, a `/` and the card's rule ID, a page
    /// a clinician can read; otherwise it is the rule's first public source, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rules_url: Option<String>,
    /// The patient's IPT courses, as the service keeps them: each open course gets cards
    /// from its status beside the suitability cards (see
    /// [`course_cards`](super::course_cards)).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub courses: Vec<super::course_cards::PatientCourse>,
}

/// The service's id in the discovery document (one id, one entry per hook).
pub const SERVICE_ID: &str = "ipt-suitability";

/// The prefetch templates: key and FHIR query.
pub const PREFETCH: [(&str, &str); 3] = [
    ("patient", "Patient/{{context.patientId}}"),
    (
        "conditions",
        "Condition?patient={{context.patientId}}&clinical-status=active,recurrence,relapse",
    ),
    (
        "phq9",
        "Observation?patient={{context.patientId}}&code=http://loinc.org|44249-1,http://loinc.org|44261-6,http://loinc.org|44260-8",
    ),
];

/// The answer of `cds_hooks`: a CDS Hooks response body.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CdsHooksResponse {
    /// The cards, the critical safety alerts first.
    pub cards: Vec<Card>,
}

/// A service of the discovery document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Service {
    /// The hook it answers.
    pub hook: Hook,
    /// Its name.
    pub title: String,
    /// What it does.
    pub description: String,
    /// Its id: `{baseUrl}/cds-services/{id}`.
    pub id: String,
    /// The prefetch templates, by key.
    pub prefetch: BTreeMap<String, String>,
    /// What it needs.
    #[serde(rename = "usageRequirements")]
    pub usage_requirements: String,
}

/// The answer of `cds_services`: the discovery document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Discovery {
    /// The services.
    pub services: Vec<Service>,
}

/// The discovery document.
pub fn discovery(locale: &dyn Locale) -> Discovery {
    let prefetch: BTreeMap<String, String> = PREFETCH
        .iter()
        .map(|(k, q)| ((*k).to_owned(), (*q).to_owned()))
        .collect();
    Discovery {
        services: Hook::ALL
            .iter()
            .map(|h| Service {
                hook: *h,
                title: locale
                    .text(match h {
                        Hook::PatientView => words::SERVICE_TITLE,
                        Hook::EncounterStart => words::ENCOUNTER_SERVICE_TITLE,
                    })
                    .into_owned(),
                description: locale.text(words::SERVICE_DESCRIPTION).into_owned(),
                id: SERVICE_ID.to_owned(),
                prefetch: prefetch.clone(),
                usage_requirements: locale.text(words::USAGE).into_owned(),
            })
            .collect(),
    }
}

fn string<'a>(m: &'a Map<String, Value>, key: &str, at: &JsonPath) -> Result<&'a str, Error> {
    match m.get(key) {
        Some(Value::String(s)) if !s.is_empty() => Ok(s),
        Some(other) => Err(Error::invalid(
            at.key(key),
            format!(
                "`{key}` is a non-empty string, got {}",
                clip(&other.to_string())
            ),
        )),
        None => Err(Error::invalid(
            at.key(key),
            format!("a CDS Hooks request has `{key}`"),
        )),
    }
}

/// `cds_hooks`: the cards for a hook request.
pub fn answer(
    req: &CdsHooksRequest,
    detail: Detail,
    locale: &dyn Locale,
) -> Result<CdsHooksResponse, Error> {
    let on = date_at(&req.date, "$.date")?;
    if let Some(a) = &req.assessment {
        a.check_limits_at(&JsonPath::root().key("assessment"))?;
    }
    if let Some(url) = &req.rules_url {
        let at = || JsonPath::root().key("rules_url");
        crate::limits::check_text(url, at)?;
        if !is_base_url(url) {
            return Err(Error::invalid(
                at(),
                "`rules_url` is an absolute http(s) URL without a query or fragment",
            ));
        }
    }
    let root = JsonPath::root().key("request");
    let request = bundle::json_of(&req.request, &root)?;
    let Some(r) = request.as_object() else {
        return Err(Error::invalid(root, "a CDS Hooks request is a JSON object"));
    };
    let hook = match string(r, "hook", &root)? {
        "patient-view" => Hook::PatientView,
        "encounter-start" => Hook::EncounterStart,
        other => {
            return Err(Error::invalid(
                root.key("hook"),
                format!(
                    "this service answers patient-view and encounter-start, not `{}`",
                    clip(other)
                ),
            ))
        }
    };
    string(r, "hookInstance", &root)?;
    let ctx_at = root.key("context");
    let Some(context) = r.get("context").and_then(Value::as_object) else {
        return Err(Error::invalid(
            ctx_at,
            "a CDS Hooks request has a `context` object",
        ));
    };
    let patient_id = string(context, "patientId", &ctx_at)?;
    if !is_fhir_id(patient_id) {
        return Err(Error::invalid(
            ctx_at.key("patientId"),
            "a FHIR id is 1 to 64 letters, digits, '-' and '.'",
        ));
    }
    if hook == Hook::EncounterStart {
        string(context, "encounterId", &ctx_at)?;
    }
    let pre_at = root.key("prefetch");
    let empty = Map::new();
    let prefetch = match r.get("prefetch") {
        None => &empty,
        Some(Value::Object(m)) => m,
        Some(_) => return Err(Error::invalid(pre_at, "`prefetch` is a JSON object")),
    };
    let server = match r.get("fhirServer") {
        None | Some(Value::Null) => None,
        Some(Value::String(u)) if is_base_url(u) => Some(u.trim_end_matches('/')),
        Some(other) => {
            return Err(Error::invalid(
                root.key("fhirServer"),
                format!(
                    "`fhirServer` is the base URL of a FHIR server (http or https), got {}",
                    clip(&other.to_string())
                ),
            ))
        }
    };
    let mut unread = Vec::new();
    let mut resources = Vec::new();
    let mut status = [Supplied::No; 3];
    for ((key, _), slot) in PREFETCH.iter().zip(status.iter_mut()) {
        let at = pre_at.key(key);
        *slot = match prefetch.get(*key) {
            None => {
                unread.push(note(&at, Reason::NotSupplied));
                Supplied::No
            }
            Some(Value::Null) => {
                unread.push(note(&at, Reason::NoData));
                Supplied::NoData
            }
            Some(v @ Value::Object(m)) => match m.get("resourceType").and_then(Value::as_str) {
                Some("Bundle") => {
                    let read = bundle::resources(v, &at, server, &mut unread)?;
                    let troubled = read.resources.iter().any(reports_a_problem);
                    resources.extend(read.resources);
                    if read.paged || troubled {
                        Supplied::Partial
                    } else {
                        Supplied::Yes
                    }
                }
                Some("OperationOutcome") => {
                    unread.push(Unread {
                        origin: Origin {
                            element: Some("OperationOutcome".into()),
                            path: at.to_string(),
                        },
                        reason: Reason::OperationOutcome,
                        value: None,
                    });
                    Supplied::No
                }
                _ => match Res::new(v, at.clone(), None, server) {
                    Ok(res) => {
                        let other = res.id.filter(|id| *id != patient_id);
                        if let (true, "Patient", Some(id)) = (*key == "patient", res.kind, other) {
                            return Err(Error::invalid(
                                at.key("id"),
                                format!(
                                    "the Patient is `{}`, not the patient in context (`{}`)",
                                    clip(id),
                                    clip(patient_id)
                                ),
                            ));
                        }
                        resources.push(res);
                        Supplied::Yes
                    }
                    Err(u) => {
                        unread.push(u);
                        Supplied::No
                    }
                },
            },
            Some(other) => {
                return Err(Error::invalid(
                    at,
                    format!(
                        "a prefetch value is a FHIR resource, a Bundle or null, got {}",
                        clip(&other.to_string())
                    ),
                ))
            }
        };
    }
    for key in prefetch.keys() {
        if !PREFETCH.iter().any(|(k, _)| k == key) {
            unread.push(note(&pre_at.key(&clip(key)), Reason::UnknownPrefetchKey));
        }
    }
    let in_context = InContext {
        id: patient_id,
        server,
    };
    let complete = status.iter().all(|s| *s != Supplied::Partial);
    let courses = super::course_cards::read(&req.courses, locale)?;
    let (assessment, facts) = record::assemble(
        resources,
        unread,
        Some(&in_context),
        complete,
        on,
        req.assessment.as_ref(),
        Render::new(locale, Detail::Explained),
    )?;
    let [_, conditions, phq9] = status;
    let context = Context {
        hook,
        rules_url: req.rules_url.as_deref().map(|u| u.trim_end_matches('/')),
        patient_id: patient_id.to_owned(),
        conditions,
        phq9,
    };
    Ok(CdsHooksResponse {
        cards: super::cards::cards(&context, &assessment, &facts, &courses, detail, locale),
    })
}

fn note(at: &JsonPath, reason: Reason) -> Unread {
    Unread {
        origin: Origin::stated(at.to_string()),
        reason,
        value: None,
    }
}

/// An OperationOutcome that reports a problem (an issue of severity fatal, error or warning):
/// in a search, results were left out.
fn reports_a_problem(r: &Res<'_>) -> bool {
    r.kind == "OperationOutcome"
        && r.body
            .get("issue")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .any(|i| {
                matches!(
                    i.get("severity").and_then(Value::as_str),
                    Some("fatal" | "error" | "warning")
                )
            })
}

/// An absolute http(s) URL without a query or fragment.
pub(crate) fn is_base_url(url: &str) -> bool {
    url.len() <= crate::limits::MAX_TEXT_CHARS
        && url
            .strip_prefix("https://")
            .or_else(|| url.strip_prefix("http://"))
            .is_some_and(|r| !r.is_empty() && !r.contains(['?', '#', ' ']))
}
