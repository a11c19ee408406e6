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

fn schemas() -> Map<String, Value> {
    let mut settings = SchemaSettings::draft2020_12();
    settings.definitions_path = "/components/schemas".into();
    settings.meta_schema = None;
    let mut g = settings.into_generator();
    g.subschema_for::<ipt_core::ehr::cds_hooks::Discovery>();
    g.subschema_for::<ipt_core::ehr::cds_hooks::CdsHooksResponse>();
    g.subschema_for::<crate::feedback::FeedbackRequest>();
    g.subschema_for::<crate::feedback::FeedbackAnswer>();
    g.subschema_for::<crate::feedback::Summary>();
    let mut defs = g.take_definitions(true);
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
