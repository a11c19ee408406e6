//! The engine, through its JSON call/answer API (`ipt_core::api::call`): the discovery
//! document (`cds_services`), the cards (`cds_hooks`) and the rule catalogue (`rules`). The
//! server decides nothing clinical: the cards, the services, their prefetch templates and the
//! rule texts are the engine's, passed on as it wrote them.

use std::collections::BTreeMap;

use axum::http::StatusCode;
use serde::Deserialize;
use serde_json::value::RawValue;
use serde_json::Value;

use crate::outcome::ApiError;
use crate::store::IssuedCard;

/// A service of the discovery document.
#[derive(Debug, Clone)]
pub struct ServiceEntry {
    /// The hooks it answers.
    pub hooks: Vec<String>,
    /// Its prefetch templates, by key.
    pub templates: BTreeMap<String, String>,
}

/// What the engine gives once: discovery, services, the catalogue.
#[derive(Debug)]
pub struct Engine {
    /// The discovery document, as the engine wrote it.
    pub discovery: String,
    /// The services by id.
    pub services: BTreeMap<String, ServiceEntry>,
    /// The `rules` result: `{rules: [...], sources: [...]}`.
    pub catalogue: Value,
    /// The protocol version.
    pub protocol_version: String,
    /// The engine version.
    pub engine_version: String,
}

#[derive(Deserialize)]
struct Envelope<'a> {
    engine_version: String,
    protocol_version: String,
    ok: bool,
    #[serde(borrow)]
    result: Option<&'a RawValue>,
    error: Option<EngineError>,
}

#[derive(Deserialize)]
struct EngineError {
    code: String,
    message: String,
    path: Option<String>,
}

#[derive(Deserialize)]
struct CardsView {
    cards: Vec<CardView>,
}

#[derive(Deserialize)]
struct CardView {
    uuid: String,
    indicator: String,
    source: SourceView,
    #[serde(default)]
    suggestions: Vec<SuggestionView>,
}

#[derive(Deserialize)]
struct SourceView {
    topic: TopicView,
}

#[derive(Deserialize)]
struct TopicView {
    code: String,
}

#[derive(Deserialize)]
struct SuggestionView {
    uuid: String,
}

/// A CDS Hooks response from the engine, with the cards to remember.
#[derive(Debug)]
pub struct Cards {
    /// The response body (`{"cards": [...]}`), as the engine wrote it.
    pub body: String,
    /// The cards, for the store.
    pub issued: Vec<IssuedCard>,
}

fn result_of(operation: &str, request: &str) -> Result<(String, String, String), String> {
    let answer = ipt_core::api::call(operation, request);
    let env: Envelope<'_> =
        serde_json::from_str(&answer).map_err(|e| format!("{operation}: {e}"))?;
    match (env.ok, env.result) {
        (true, Some(r)) => Ok((r.get().to_owned(), env.engine_version, env.protocol_version)),
        _ => Err(format!("{operation} failed: {answer}")),
    }
}

impl Engine {
    /// Asks the engine for its discovery document and catalogue.
    pub fn load() -> Result<Engine, String> {
        let (discovery, engine_version, protocol_version) = result_of("cds_services", "{}")?;
        let (catalogue, _, _) = result_of("rules", "{}")?;
        let doc: Value = serde_json::from_str(&discovery).map_err(|e| e.to_string())?;
        let mut services: BTreeMap<String, ServiceEntry> = BTreeMap::new();
        for s in doc["services"].as_array().into_iter().flatten() {
            let (Some(id), Some(hook)) = (s["id"].as_str(), s["hook"].as_str()) else {
                return Err("a discovery entry without id or hook".into());
            };
            let templates = s["prefetch"]
                .as_object()
                .map(|m| {
                    m.iter()
                        .filter_map(|(k, v)| Some((k.clone(), v.as_str()?.to_owned())))
                        .collect()
                })
                .unwrap_or_default();
            let e = services.entry(id.to_owned()).or_insert(ServiceEntry {
                hooks: Vec::new(),
                templates,
            });
            e.hooks.push(hook.to_owned());
        }
        Ok(Engine {
            discovery,
            services,
            catalogue: serde_json::from_str(&catalogue).map_err(|e| e.to_string())?,
            protocol_version,
            engine_version,
        })
    }

    /// The catalogue entry of a rule.
    pub fn rule(&self, id: &str) -> Option<&Value> {
        self.catalogue["rules"]
            .as_array()?
            .iter()
            .find(|r| r["id"].as_str() == Some(id))
    }

    /// The request of `cds_hooks` for a CDS Hooks body (JSON text the caller sent, or the
    /// server completed).
    pub fn request(date: &str, rules_url: &str, body: &str) -> String {
        Engine::request_with_courses(date, rules_url, body, &[], "digest")
    }

    /// The same, with the patient's courses: `(course id, snapshot)`, each snapshot the text
    /// the engine wrote, passed on as it is, and checked as `verify` says (`digest` or
    /// `replay`), as `course_status` checks one.
    pub fn request_with_courses(
        date: &str,
        rules_url: &str,
        body: &str,
        courses: &[(String, String)],
        verify: &str,
    ) -> String {
        let q = |s: &str| Value::String(s.to_owned()).to_string();
        let mut out = format!(
            r#"{{"date":{},"rules_url":{},"request":{body}"#,
            q(date),
            q(rules_url)
        );
        if !courses.is_empty() {
            out.push_str(r#","courses":["#);
            for (i, (id, snapshot)) in courses.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push_str(&format!(
                    r#"{{"course_id":{},"verify":{},"snapshot":{snapshot}}}"#,
                    q(id),
                    q(verify)
                ));
            }
            out.push(']');
        }
        out.push('}');
        out
    }

    /// Asks the engine for the cards. An error of the engine about the caller's body is a
    /// `400` (or `413`) at the path in the body; one about what the server added is a `500`.
    pub fn cards(request: &str) -> Result<Cards, ApiError> {
        let answer = ipt_core::api::call("cds_hooks", request);
        let env: Envelope<'_> = serde_json::from_str(&answer).map_err(ApiError::internal)?;
        if !env.ok {
            let e = env
                .error
                .ok_or_else(|| ApiError::internal("an engine error without its error"))?;
            let path = e.path.as_deref().unwrap_or("$");
            let in_body = path
                .strip_prefix("$.request")
                .filter(|rest| rest.is_empty() || rest.starts_with(['.', '[']))
                .map(|rest| format!("${rest}"));
            let status = match e.code.as_str() {
                "input_too_large" => StatusCode::PAYLOAD_TOO_LARGE,
                "invalid_json" | "invalid_input" | "limit_exceeded" => StatusCode::BAD_REQUEST,
                _ => return Err(ApiError::internal(format!("engine: {} at {path}", e.code))),
            };
            return match in_body {
                Some(p) => Err(ApiError::new(status, &e.code, e.message).at(p)),
                None if status == StatusCode::PAYLOAD_TOO_LARGE => {
                    Err(ApiError::new(status, &e.code, e.message))
                }
                None => Err(ApiError::internal(format!("engine: {} at {path}", e.code))),
            };
        }
        let body = env
            .result
            .ok_or_else(|| ApiError::internal("an engine answer without its result"))?
            .get()
            .to_owned();
        let view: CardsView = serde_json::from_str(&body).map_err(ApiError::internal)?;
        let issued = view
            .cards
            .into_iter()
            .map(|c| IssuedCard {
                uuid: c.uuid,
                rule_id: c.source.topic.code,
                indicator: c.indicator,
                suggestions: c.suggestions.into_iter().map(|s| s.uuid).collect(),
            })
            .collect();
        Ok(Cards { body, issued })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_engine_gives_one_service_for_two_hooks() {
        let e = Engine::load().unwrap();
        let s = &e.services["ipt-suitability"];
        assert_eq!(s.hooks, ["patient-view", "encounter-start"]);
        assert!(s.templates.contains_key("patient"));
        assert!(e.rule("C-PSYCHOSIS").is_some());
        assert!(e.rule("NOPE").is_none());
    }

    /// CDS Hooks 2.0, "Prefetch query restrictions" and "Prefetch tokens": instance reads and
    /// type searches on a reference and token equality only, tokens `{{context.field}}`.
    #[test]
    fn the_prefetch_templates_keep_to_the_restricted_subset() {
        let e = Engine::load().unwrap();
        for s in e.services.values() {
            for (key, t) in &s.templates {
                let (path, query) = t.split_once('?').unwrap_or((t, ""));
                let parts: Vec<&str> = path.split('/').collect();
                match parts.as_slice() {
                    [_, "{{context.patientId}}"] => assert!(query.is_empty(), "{key}: a read"),
                    [_] => {
                        for param in query.split('&') {
                            let (name, value) = param.split_once('=').unwrap();
                            assert!(!name.contains(':'), "{key}: no modifier");
                            match name {
                                "patient" => assert_eq!(value, "{{context.patientId}}"),
                                "code" | "clinical-status" => {
                                    assert!(
                                        !value.contains("{{") && !value.is_empty(),
                                        "{key}: token equality"
                                    )
                                }
                                other => panic!("{key}: parameter {other}"),
                            }
                        }
                    }
                    _ => panic!("{key}: {t}"),
                }
                for token in t.split("{{").skip(1) {
                    let token = token.split("}}").next().unwrap();
                    assert!(token.starts_with("context."), "{key}: {token}");
                }
            }
        }
    }

    #[test]
    fn engine_errors_map_to_the_callers_paths() {
        let bad = Engine::request("2026-01-05", "https://x/rules", r#"{"hook": "order-sign"}"#);
        let e = Engine::cards(&bad).unwrap_err();
        assert_eq!(e.status, StatusCode::BAD_REQUEST);
        assert_eq!(e.path.as_deref(), Some("$.hook"));
        let ours = Engine::request("yesterday", "https://x/rules", "{}");
        assert_eq!(
            Engine::cards(&ours).unwrap_err().status,
            StatusCode::INTERNAL_SERVER_ERROR
        );
    }
}
