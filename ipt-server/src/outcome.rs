//! Errors as HTTP answers. Every error but `401` is a FHIR OperationOutcome (CDS Hooks asks
//! for one on non-2xx answers), whose issue carries the stable code (`details.coding`, system
//! [`CODE_SYSTEM`]), the message (`details.text`) and, for bad input, the JSONPath of the field
//! (`expression`), relative to the body the caller sent. A `401` is bare: the reason goes to
//! the log only.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::json;

/// The code system of the error codes.
pub const CODE_SYSTEM: &str = "urn:ipt-engine:error";

/// The code system of a refused transition's requirements (`lethality_assessed`, ...).
pub const REQUIREMENT_SYSTEM: &str = "urn:ipt-engine:requirement";

/// One unmet precondition of a refused course event, as the engine gave it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize)]
pub struct Unmet {
    /// The rule whose guard is not satisfied.
    pub rule_id: String,
    /// The requirement's stable name.
    pub requirement: String,
    /// What is missing.
    pub message: String,
}

/// An error answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    /// The HTTP status.
    pub status: StatusCode,
    /// The stable code (`invalid_input`, `unknown_card`, `prefetch_unavailable`, ...).
    pub code: String,
    /// What is wrong.
    pub message: String,
    /// The JSONPath of the field, for bad input.
    pub path: Option<String>,
    /// Every unmet precondition of a refused course event (`transition_refused`), each an
    /// issue of its own after the first.
    pub unmet: Vec<Unmet>,
}

impl ApiError {
    /// An error.
    pub fn new(status: StatusCode, code: &str, message: impl Into<String>) -> ApiError {
        ApiError {
            status,
            code: code.into(),
            message: message.into(),
            path: None,
            unmet: Vec::new(),
        }
    }

    /// The same, at a JSONPath.
    pub fn at(mut self, path: impl Into<String>) -> ApiError {
        self.path = Some(path.into());
        self
    }

    /// `400 invalid_input` at a path.
    pub fn invalid(path: impl Into<String>, message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::BAD_REQUEST, "invalid_input", message).at(path)
    }

    /// `500 internal`: the detail goes to the log, not to the caller.
    pub fn internal(detail: impl std::fmt::Display) -> ApiError {
        tracing::error!(detail = %detail, "internal error");
        ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            "the service failed; the event is logged",
        )
    }

    /// `503 unavailable` (the store, a timeout, the concurrency limit).
    pub fn unavailable(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::SERVICE_UNAVAILABLE, "unavailable", message)
    }

    /// The OperationOutcome body.
    pub fn body(&self) -> serde_json::Value {
        let issue_type = match self.status.as_u16() {
            422 if self.code == "transition_refused" => "business-rule",
            400 | 413 | 415 | 422 => "invalid",
            404 => "not-found",
            409 => "conflict",
            412 => "processing",
            428 => "required",
            503 => "transient",
            _ => "exception",
        };
        let mut issue = json!({
            "severity": "error",
            "code": issue_type,
            "details": {
                "coding": [{"system": CODE_SYSTEM, "code": self.code}],
                "text": self.message,
            },
        });
        if let Some(p) = &self.path {
            issue["expression"] = json!([p]);
        }
        let mut issues = vec![issue];
        for u in &self.unmet {
            let mut i = json!({
                "severity": "error",
                "code": issue_type,
                "details": {
                    "coding": [
                        {"system": CODE_SYSTEM, "code": self.code},
                        {"system": REQUIREMENT_SYSTEM, "code": u.requirement},
                        {"system": ipt_core::ehr::cds_hooks::RULE_SYSTEM, "code": u.rule_id},
                    ],
                    "text": u.message,
                },
            });
            if let Some(p) = &self.path {
                i["expression"] = json!([p]);
            }
            issues.push(i);
        }
        json!({"resourceType": "OperationOutcome", "issue": issues})
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = self.body().to_string();
        let mut r = (self.status, body).into_response();
        r.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/fhir+json"),
        );
        r
    }
}

/// The bare `401`.
pub fn unauthorized() -> Response {
    let mut r = StatusCode::UNAUTHORIZED.into_response();
    r.headers_mut()
        .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
    r
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_error_is_an_operation_outcome_with_code_and_path() {
        let e = ApiError::invalid("$.context.patientId", "a FHIR id");
        let b = e.body();
        assert_eq!(b["resourceType"], "OperationOutcome");
        assert_eq!(b["issue"][0]["code"], "invalid");
        assert_eq!(
            b["issue"][0]["details"]["coding"][0]["code"],
            "invalid_input"
        );
        assert_eq!(b["issue"][0]["expression"][0], "$.context.patientId");
    }

    #[test]
    fn a_refused_event_lists_every_unmet_requirement_as_an_issue() {
        let mut e = ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "transition_refused",
            "refused",
        )
        .at("$.event");
        e.unmet = vec![
            Unmet {
                rule_id: "ST-ENTER-MIDDLE".into(),
                requirement: "inventory_recorded".into(),
                message: "no inventory".into(),
            },
            Unmet {
                rule_id: "ST-ENTER-MIDDLE".into(),
                requirement: "focus_agreed".into(),
                message: "no focus".into(),
            },
        ];
        let b = e.body();
        let issues = b["issue"].as_array().unwrap();
        assert_eq!(issues.len(), 3);
        assert_eq!(issues[0]["code"], "business-rule");
        assert_eq!(issues[2]["details"]["coding"][1]["code"], "focus_agreed");
        assert_eq!(issues[2]["details"]["coding"][2]["code"], "ST-ENTER-MIDDLE");
        assert_eq!(issues[2]["details"]["text"], "no focus");
        assert_eq!(issues[2]["expression"][0], "$.event");
    }
}
