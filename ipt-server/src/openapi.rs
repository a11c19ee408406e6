//! The OpenAPI 3.1 document of every route (`GET /openapi.json`, `ipt-server openapi`). It is
//! written here by hand, with the engine's and the feedback types' JSON Schemas (schemars) as
//! its schemas; a test holds its paths, methods and security to the routes the router was
//! given ([`crate::app::routes`]), and schemathesis holds the answers to it.

use schemars::generate::SchemaSettings;
use serde_json::{json, Map, Value};

/// The security scheme of CDS Hooks tokens.
pub const JWT: &str = "cdsHooksJwt";
/// The security scheme of the metrics token.
pub const METRICS: &str = "metricsToken";

fn op_error(description: &str) -> Value {
    json!({"description": description,
           "content": {"application/fhir+json": {"schema": {"$ref": "#/components/schemas/OperationOutcome"}}}})
}

fn unauthorized() -> Value {
    json!({"description": "The token is missing or refused (no body; the reason is logged)",
           "headers": {"WWW-Authenticate": {"schema": {"type": "string"}}}})
}

fn ok_json(description: &str, schema: &str) -> Value {
    json!({"description": description,
           "content": {"application/json": {"schema": {"$ref": format!("#/components/schemas/{schema}")}}}})
}

fn id_param(description: &str, example: &str) -> Value {
    json!({"name": "id", "in": "path", "required": true, "description": description,
           "schema": {"type": "string"}, "example": example})
}

fn common_errors(op: &mut Value, codes: &[(&str, &str)]) {
    for (code, description) in codes {
        let v = if *code == "401" {
            unauthorized()
        } else {
            op_error(description)
        };
        op["responses"][*code] = v;
    }
}

fn settings() -> SchemaSettings {
    let mut settings = SchemaSettings::draft2020_12();
    settings.definitions_path = "/components/schemas".into();
    settings.meta_schema = None;
    settings
}

/// The course routes' schemas: the engine's own types (the start, an event, the outputs, the
/// status, the replay request, the Observations) and the server's envelopes around them.
fn course_schemas(defs: &mut Map<String, Value>) {
    let mut g = settings().into_generator();
    g.subschema_for::<ipt_core::course::Event>();
    g.subschema_for::<ipt_core::course::Outputs>();
    g.subschema_for::<ipt_core::course::Status>();
    g.subschema_for::<ipt_core::api::CourseReplayRequest>();
    g.subschema_for::<ipt_core::ehr::observations::ObservationBundle>();
    for (k, v) in g.take_definitions(true) {
        defs.entry(k).or_insert(v);
    }
    // `course_start` reads `detail` beside the start's fields: its request is the start with
    // `detail`, under a name of its own (the plain start is in the replay request).
    let mut g = settings().into_generator();
    g.subschema_for::<ipt_core::api::WithDetail<ipt_core::course::StartRequest>>();
    for (k, v) in g.take_definitions(true) {
        match k.as_str() {
            "StartRequest" => {
                defs.insert("CourseStartRequest".into(), v);
            }
            _ => {
                defs.entry(k).or_insert(v);
            }
        }
    }
    let user_id = json!({"type": "string", "minLength": 1, "maxLength": crate::courses::MAX_USER_ID,
        "description": "Who records it, as CDS Hooks names the user (`Practitioner/123`); kept in the audit trail"});
    let recorder = json!({"type": "object", "properties": {
        "subject": {"type": "string", "description": "The token's `sub`"},
        "userId": {"type": "string", "description": "The `userId` given"}}});
    defs.insert("CourseCreate".into(), json!({
        "type": "object", "additionalProperties": false,
        "description": "A course to start: the engine's `course_start` request and the patient's id.",
        "required": ["patientId", "start"],
        "properties": {
            "patientId": {"type": "string", "pattern": "^[A-Za-z0-9.-]{1,64}$",
                          "description": "The patient's FHIR id (a CDS Hooks `context.patientId`)"},
            "start": {"$ref": "#/components/schemas/CourseStartRequest"},
            "userId": user_id,
        }
    }));
    defs.insert(
        "CourseEventPost".into(),
        json!({
            "type": "object", "additionalProperties": false,
            "description": "One event, as the engine's `course_apply` takes it.",
            "required": ["event"],
            "properties": {
                "event": {"$ref": "#/components/schemas/Event"},
                "userId": user_id,
            }
        }),
    );
    defs.insert("CourseChange".into(), json!({
        "type": "object", "required": ["id", "patientId", "version", "outputs"],
        "properties": {
            "id": {"type": "string"},
            "patientId": {"type": "string"},
            "version": {"type": "integer", "minimum": 0,
                        "description": "The number of events now: the new ETag, and the position of the event recorded"},
            "outputs": {"$ref": "#/components/schemas/Outputs"},
        }
    }));
    defs.insert("Course".into(), json!({
        "type": "object", "required": ["id", "patientId", "version", "createdAt", "updatedAt", "status"],
        "properties": {
            "id": {"type": "string"},
            "patientId": {"type": "string"},
            "version": {"type": "integer", "minimum": 0, "description": "The number of events (the ETag)"},
            "createdAt": {"type": "string", "format": "date-time"},
            "updatedAt": {"type": "string", "format": "date-time"},
            "createdBy": recorder,
            "status": {"$ref": "#/components/schemas/Status"},
        }
    }));
    defs.insert(
        "PatientCourses".into(),
        json!({
            "type": "object", "required": ["patientId", "courses"],
            "properties": {
                "patientId": {"type": "string"},
                "courses": {"type": "array", "items": {"$ref": "#/components/schemas/Course"}},
            }
        }),
    );
    defs.insert("CourseEventPage".into(), json!({
        "type": "object", "required": ["id", "events"],
        "properties": {
            "id": {"type": "string"},
            "events": {"type": "array", "items": {
                "type": "object", "required": ["position", "type", "event", "receivedAt"],
                "properties": {
                    "position": {"type": "integer", "minimum": 1},
                    "type": {"type": "string"},
                    "date": {"type": "string", "description": "The clinical date the event carries"},
                    "event": {"$ref": "#/components/schemas/Event"},
                    "receivedAt": {"type": "string", "format": "date-time",
                                   "description": "When the server received it"},
                    "recordedBy": recorder,
                }
            }},
            "next": {"type": "string", "description": "The next page's path and query, when there may be one"},
        }
    }));
}

fn schemas() -> Map<String, Value> {
    let mut g = settings().into_generator();
    g.subschema_for::<ipt_core::ehr::cds_hooks::Discovery>();
    g.subschema_for::<ipt_core::ehr::cds_hooks::CdsHooksResponse>();
    g.subschema_for::<crate::feedback::FeedbackRequest>();
    g.subschema_for::<crate::feedback::FeedbackAnswer>();
    g.subschema_for::<crate::feedback::Summary>();
    let mut defs = g.take_definitions(true);
    course_schemas(&mut defs);
    let prefetch_keys: Map<String, Value> = ipt_core::ehr::cds_hooks::PREFETCH
        .iter()
        .map(|(k, _)| ((*k).to_owned(), json!({"type": ["object", "null"]})))
        .collect();
    defs.insert(
        "CdsHooksRequest".into(),
        json!({
            "type": "object",
            "description": "A CDS Hooks 2.0 request (patient-view or encounter-start).",
            "required": ["hook", "hookInstance", "context"],
            "properties": {
                "hook": {"type": "string", "enum": ["patient-view", "encounter-start"]},
                "hookInstance": {"type": "string", "minLength": 1},
                "fhirServer": {"type": "string", "format": "uri", "pattern": "^https?://"},
                "fhirAuthorization": {
                    "type": "object",
                    "required": ["access_token", "token_type", "expires_in", "scope", "subject"],
                    "properties": {
                        "access_token": {"type": "string", "minLength": 1},
                        "token_type": {"type": "string", "enum": ["Bearer"]},
                        "expires_in": {"type": "integer"},
                        "scope": {"type": "string", "minLength": 1},
                        "subject": {"type": "string", "minLength": 1},
                        "patient": {"type": "string"}
                    }
                },
                "context": {
                    "type": "object",
                    "required": ["patientId"],
                    "properties": {
                        "patientId": {"type": "string"},
                        "userId": {"type": "string", "minLength": 1},
                        "encounterId": {"type": "string", "minLength": 1}
                    }
                },
                "prefetch": {
                    "type": "object",
                    "description": "The prefetch keys of the discovery document (a resource, a Bundle or null); other keys are listed as not read.",
                    "properties": prefetch_keys
                },
                "extension": {"type": "object"}
            },
            "dependentRequired": {"fhirAuthorization": ["fhirServer"]}
        }),
    );
    defs.insert(
        "OperationOutcome".into(),
        json!({
            "type": "object",
            "required": ["resourceType", "issue"],
            "properties": {
                "resourceType": {"const": "OperationOutcome"},
                "issue": {"type": "array", "minItems": 1, "items": {
                    "type": "object",
                    "required": ["severity", "code", "details"],
                    "properties": {
                        "severity": {"type": "string"},
                        "code": {"type": "string"},
                        "details": {"type": "object", "required": ["coding", "text"], "properties": {
                            "coding": {"type": "array", "items": {"type": "object",
                                "required": ["system", "code"],
                                "properties": {"system": {"type": "string"}, "code": {"type": "string"}}}},
                            "text": {"type": "string"}
                        }},
                        "expression": {"type": "array", "items": {"type": "string"}}
                    }
                }}
            }
        }),
    );
    defs.insert(
        "Ready".into(),
        json!({"type": "object", "required": ["ready", "store"],
               "properties": {"ready": {"type": "boolean"}, "store": {"type": "string"}}}),
    );
    defs
}

fn etag_header() -> Value {
    json!({"ETag": {"description": "The course's version: its number of events, quoted (`\"7\"`)",
                    "schema": {"type": "string"}}})
}

/// The course routes: `/courses`, `/courses/{id}`, its events, observations and export, and
/// `/patients/{id}/courses`.
fn course_paths(jwt: &Value) -> (Value, Value, Value, Value, Value, Value) {
    let course_id = id_param("The course's id", "0b6a4c1e-2f3d-4e5a-8b7c-9d0e1f2a3b4c");
    let not_found = "No such course for the token's issuer and tenant";
    let mut created_headers = etag_header();
    created_headers["Location"] =
        json!({"description": "The course's URL", "schema": {"type": "string"}});
    let mut create = json!({"post": {
        "operationId": "startCourse", "summary": "Start a course for a patient (the engine's course_start)",
        "security": jwt,
        "requestBody": {"required": true, "content": {"application/json": {
            "schema": {"$ref": "#/components/schemas/CourseCreate"},
            "example": {"patientId": "example", "start": {"variant": "standard"}, "userId": "Practitioner/example"}}}},
        "responses": {"201": {"description": "Started, at version 0: the engine's outputs",
            "headers": created_headers,
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/CourseChange"}}}}}}});
    common_errors(
        &mut create["post"],
        &[
            (
                "400",
                "Bad input: the engine's code and the JSONPath of the field",
            ),
            ("401", ""),
            ("413", "The body is larger than the engine reads (16 MiB)"),
            ("415", "The body is not JSON"),
            ("503", "The store is unavailable: nothing stored"),
        ],
    );
    let mut get = json!({"get": {
        "operationId": "course", "summary": "A course's status (the engine's course_status), its version as the ETag",
        "security": jwt, "parameters": [course_id],
        "responses": {"200": {"description": "The course", "headers": etag_header(),
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Course"}}}}}}});
    common_errors(
        &mut get["get"],
        &[
            ("401", ""),
            ("404", not_found),
            ("503", "The store is unavailable"),
        ],
    );
    let if_match = json!({"name": "If-Match", "in": "header", "required": true,
        "description": "The version the event was written against: the ETag of GET /courses/{id} (\"7\") or the number of events (7)",
        "schema": {"type": "string", "pattern": "^(\"[0-9]{1,18}\"|[0-9]{1,18})$"}, "example": "\"0\""});
    let after = json!({"name": "after", "in": "query", "required": false,
        "description": "Events after this position (0: from the first)",
        "schema": {"type": "integer", "minimum": 0, "maximum": u32::MAX, "default": 0}});
    let limit = json!({"name": "limit", "in": "query", "required": false,
        "description": "At most this many events",
        "schema": {"type": "integer", "minimum": 1, "maximum": crate::courses::MAX_PAGE,
                   "default": crate::courses::DEFAULT_PAGE}});
    let mut events = json!({
        "post": {
            "operationId": "recordEvent",
            "summary": "Record one event (the engine's course_apply), against the version If-Match names",
            "security": jwt, "parameters": [course_id, if_match],
            "requestBody": {"required": true, "content": {"application/json": {
                "schema": {"$ref": "#/components/schemas/CourseEventPost"},
                "example": {"event": {"type": "session_missed", "date": "2026-01-12"}, "userId": "Practitioner/example"}}}},
            "responses": {"200": {"description": "Recorded: the engine's outputs and the new version",
                "headers": etag_header(),
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/CourseChange"}}}}}},
        "get": {
            "operationId": "courseEvents",
            "summary": "The course's events in order, with who recorded each and when the server received it",
            "security": jwt, "parameters": [course_id, after, limit],
            "responses": {"200": ok_json("A page of the log", "CourseEventPage")}}});
    common_errors(
        &mut events["post"],
        &[
            ("400", "Bad input: the engine's code and the JSONPath of the field; nothing stored"),
            ("401", ""),
            ("404", not_found),
            ("409", "Another event was recorded first (the ETag header gives the version now); nothing stored"),
            ("413", "The body is larger than the engine reads (16 MiB)"),
            ("415", "The body is not JSON"),
            ("422", "The engine refused the event (transition_refused): one issue per unmet requirement; nothing stored"),
            ("428", "No If-Match"),
            ("503", "The store is unavailable: nothing stored"),
        ],
    );
    common_errors(
        &mut events["get"],
        &[
            ("400", "A query parameter out of range"),
            ("401", ""),
            ("404", not_found),
            ("503", "The store is unavailable"),
        ],
    );
    let mut observations = json!({"get": {
        "operationId": "courseObservations",
        "summary": "The course's measures as FHIR R4 Observations (the engine's fhir_observations): a transaction Bundle",
        "security": jwt, "parameters": [course_id],
        "responses": {"200": {"description": "The Bundle", "content": {"application/fhir+json": {
            "schema": {"$ref": "#/components/schemas/ObservationBundle"}}}}}}});
    common_errors(
        &mut observations["get"],
        &[
            ("401", ""),
            ("404", not_found),
            ("422", "A measure the engine does not write as an Observation, at its path in the course's state"),
            ("503", "The store is unavailable"),
        ],
    );
    let mut export = json!({"get": {
        "operationId": "courseExport",
        "summary": "The course's start and events: the engine's course_replay request, which gives the same state anywhere",
        "security": jwt, "parameters": [course_id],
        "responses": {"200": ok_json("The start and the events", "CourseReplayRequest")}}});
    common_errors(
        &mut export["get"],
        &[
            ("401", ""),
            ("404", not_found),
            ("503", "The store is unavailable"),
        ],
    );
    let mut patient = json!({"get": {
        "operationId": "patientCourses",
        "summary": "A patient's courses for the token's issuer and tenant, the most recently changed first",
        "security": jwt,
        "parameters": [id_param("The patient's FHIR id", "example")],
        "responses": {"200": ok_json("The courses, each with its status", "PatientCourses")}}});
    common_errors(
        &mut patient["get"],
        &[
            ("401", ""),
            (
                "404",
                "No course of this patient for the token's issuer and tenant",
            ),
            ("503", "The store is unavailable"),
        ],
    );
    (create, get, events, observations, export, patient)
}

/// The document; `server` is the public URL, when known.
pub fn document(server: Option<&str>) -> Value {
    let jwt = json!([{ JWT: [] }]);
    // The README's example, which the engine answers with a card.
    let example: Value = serde_json::from_str(crate::dev::EXAMPLE_REQUEST).unwrap_or_default();
    let public = json!([]);
    let html = |d: &str| json!({"description": d, "content": {"text/html": {"schema": {"type": "string"}}}});
    let mut discovery = json!({"get": {
        "operationId": "discovery", "summary": "The CDS Hooks discovery document",
        "security": jwt,
        "responses": {"200": ok_json("The services", "Discovery")}}});
    common_errors(
        &mut discovery["get"],
        &[("401", ""), ("503", "The store is unavailable")],
    );
    let mut call = json!({"post": {
        "operationId": "callService", "summary": "Call a CDS service (patient-view, encounter-start)",
        "security": jwt,
        "parameters": [id_param("The service id", "ipt-suitability")],
        "requestBody": {"required": true, "content": {"application/json": {
            "schema": {"$ref": "#/components/schemas/CdsHooksRequest"}, "example": example}}},
        "responses": {"200": ok_json("The cards", "CdsHooksResponse")}}});
    common_errors(
        &mut call["post"],
        &[
            ("400", "Bad input: the code and the JSONPath of the field"),
            ("401", ""),
            ("404", "No such service"),
            ("412", "The FHIR data the call needs cannot be had"),
            ("413", "The body is larger than the engine reads (16 MiB)"),
            ("415", "The body is not JSON"),
            ("503", "The store is unavailable, or the request timed out"),
        ],
    );
    let mut feedback = json!({"post": {
        "operationId": "feedback", "summary": "Feedback on cards this service gave",
        "security": jwt,
        "parameters": [id_param("The service id", "ipt-suitability")],
        "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/FeedbackRequest"}}}},
        "responses": {"200": ok_json("Stored (each item once)", "FeedbackAnswer")}}});
    common_errors(
        &mut feedback["post"],
        &[
            (
                "400",
                "Bad input, an unknown card or suggestion: nothing stored",
            ),
            ("401", ""),
            ("404", "No such service"),
            ("413", "The body is larger than the engine reads (16 MiB)"),
            ("415", "The body is not JSON"),
            (
                "503",
                "The store is unavailable: nothing stored, send again",
            ),
        ],
    );
    let mut summary = json!({"get": {
        "operationId": "feedbackSummary", "summary": "Feedback by rule, for the token's issuer and tenant",
        "security": jwt,
        "responses": {"200": ok_json("The summary", "Summary")}}});
    common_errors(
        &mut summary["get"],
        &[("401", ""), ("503", "The store is unavailable")],
    );
    let mut openapi = json!({"get": {
        "operationId": "openapi", "summary": "This document", "security": jwt,
        "responses": {"200": {"description": "The OpenAPI document", "content": {"application/json": {"schema": {"type": "object"}}}}}}});
    common_errors(
        &mut openapi["get"],
        &[("401", ""), ("503", "The store is unavailable")],
    );
    let (courses, course, events, observations, export, patient_courses) = course_paths(&jwt);
    let rules = json!({"get": {
        "operationId": "rules", "summary": "Every rule of the protocol (HTML)", "security": public,
        "responses": {"200": html("The list of rules")}}});
    let rule = json!({"get": {
        "operationId": "rule", "summary": "A rule's page: statement, sources, versions (HTML)",
        "security": public,
        "parameters": [id_param("The rule ID", "C-PSYCHOSIS")],
        "responses": {"200": html("The rule's page"), "404": html("No such rule")}}});
    let healthz = json!({"get": {
        "operationId": "healthz", "summary": "The process answers", "security": public,
        "responses": {"200": {"description": "ok", "content": {"text/plain": {"schema": {"type": "string"}}}}}}});
    let readyz = json!({"get": {
        "operationId": "readyz", "summary": "The store answers", "security": public,
        "responses": {"200": ok_json("Ready", "Ready"), "503": ok_json("Not ready", "Ready")}}});
    let metrics = json!({"get": {
        "operationId": "metrics", "summary": "Prometheus metrics", "security": [{ METRICS: [] }],
        "responses": {"200": {"description": "The metrics", "content": {"text/plain": {"schema": {"type": "string"}}}},
                      "401": unauthorized()}}});
    let mut doc = json!({
        "openapi": "3.1.0",
        "info": {
            "title": "ipt-server",
            "version": ipt_core::ENGINE_VERSION,
            "description": "The IPT rules engine as a CDS Hooks 2.0 service. Every route but the rule pages, the health checks and the metrics takes a bearer JWT whose aud is the URL invoked."
        },
        "paths": {
            "/cds-services": discovery,
            "/cds-services/{id}": call,
            "/cds-services/{id}/feedback": feedback,
            "/feedback/summary": summary,
            "/courses": courses,
            "/courses/{id}": course,
            "/courses/{id}/events": events,
            "/courses/{id}/observations": observations,
            "/courses/{id}/export": export,
            "/patients/{id}/courses": patient_courses,
            "/rules": rules,
            "/rules/{id}": rule,
            "/openapi.json": openapi,
            "/healthz": healthz,
            "/readyz": readyz,
            "/metrics": metrics
        },
        "components": {
            "securitySchemes": {
                JWT: {"type": "http", "scheme": "bearer", "bearerFormat": "JWT",
                      "description": "CDS Hooks 2.0: signed ES384 or RS384 by a trusted issuer; aud the URL invoked; a jti used once"},
                METRICS: {"type": "http", "scheme": "bearer", "description": "The static token of [metrics] token_file"}
            },
            "schemas": schemas()
        }
    });
    if let Some(s) = server {
        doc["servers"] = json!([{"url": s}]);
    }
    doc
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::{routes, Access};
    use std::collections::BTreeSet;

    #[test]
    fn the_document_is_held_to_the_routes_the_router_was_given() {
        let doc = document(None);
        let mut documented = BTreeSet::new();
        for (path, item) in doc["paths"].as_object().unwrap() {
            for (method, op) in item.as_object().unwrap() {
                let security = match op["security"].as_array().unwrap().first() {
                    None => Access::Public,
                    Some(s) if s.get(JWT).is_some() => Access::Token,
                    Some(_) => Access::MetricsToken,
                };
                documented.insert((method.to_uppercase(), path.clone(), format!("{security:?}")));
            }
        }
        let registered: BTreeSet<_> = routes()
            .added
            .iter()
            .map(|r| {
                (
                    r.method.to_owned(),
                    r.path.to_owned(),
                    format!("{:?}", r.access),
                )
            })
            .collect();
        assert_eq!(documented, registered);
    }

    #[test]
    fn every_reference_resolves() {
        let doc = document(Some("https://cds.example.org"));
        let text = doc.to_string();
        let schemas = doc["components"]["schemas"].as_object().unwrap();
        for part in text.split("\"$ref\":\"").skip(1) {
            let target = part.split('"').next().unwrap();
            let name = target.strip_prefix("#/components/schemas/").unwrap();
            assert!(schemas.contains_key(name), "{target}");
        }
    }
}
