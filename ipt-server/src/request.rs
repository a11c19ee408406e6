//! Reading a CDS Hooks request as far as the server must: the fields it reads and the engine
//! does not (`fhirServer`, `fhirAuthorization`, the context's ids used in prefetch tokens,
//! `extension`), a peek at the prefetch that decides whether anything must be fetched, and the
//! prefetch templates filled from the context. The engine reads the rest.

use serde::Deserialize;
use serde_json::value::RawValue;
use serde_json::{Map, Value};

/// Characters kept as they are in a filled token; the rest are percent-encoded.
const TOKEN_SET: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// Fills a template's `{{context.x}}` and `{{userPractitionerId}}`-style tokens from the
/// request's context.
pub fn fill(template: &str, context: &Map<String, Value>) -> Result<String, String> {
    let mut out = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(start) = rest.find("{{") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        let end = after.find("}}").ok_or("an unclosed `{{`")?;
        let token = after[..end].trim();
        let value = if let Some(field) = token.strip_prefix("context.") {
            match context.get(field) {
                Some(Value::String(s)) if !s.is_empty() => s.clone(),
                Some(Value::Number(n)) => n.to_string(),
                _ => return Err(format!("the context has no `{field}`")),
            }
        } else {
            let kind = match token {
                "userPractitionerId" => "Practitioner/",
                "userPractitionerRoleId" => "PractitionerRole/",
                "userPatientId" => "Patient/",
                "userRelatedPersonId" => "RelatedPerson/",
                _ => return Err(format!("the token `{token}` is not supported")),
            };
            context
                .get("userId")
                .and_then(Value::as_str)
                .and_then(|u| u.strip_prefix(kind))
                .filter(|id| !id.is_empty())
                .map(str::to_owned)
                .ok_or_else(|| format!("the context's userId is not a {kind}"))?
        };
        out.extend(percent_encoding::utf8_percent_encode(&value, TOKEN_SET));
        rest = &after[end + 2..];
    }
    out.push_str(rest);
    Ok(out)
}

/// Checks the fields of a request this server reads and the engine does not: `fhirServer` (an
/// absolute http(s) URL, required with `fhirAuthorization`), `fhirAuthorization` (its required
/// fields, `token_type` `Bearer`), `context.userId` and `context.encounterId` (strings) and
/// `extension` (an object).
/// `Err` is `(path, message)`.
pub fn check_fields(peek: &Peek<'_>) -> Result<(), (String, String)> {
    let bad = |p: &str, m: &str| Err((p.to_owned(), m.to_owned()));
    let mut body = Map::new();
    for key in ["fhirServer", "fhirAuthorization", "context", "extension"] {
        if let Some(raw) = peek.fields.get(key) {
            let v: Value = serde_json::from_str(raw.get()).unwrap_or(Value::Null);
            body.insert(key.to_owned(), v);
        }
    }
    match body.get("fhirServer") {
        None => {}
        Some(Value::String(s)) => {
            // A URI (RFC 3986): ASCII, no spaces.
            let ok = s.bytes().all(|b| b.is_ascii_graphic())
                && url::Url::parse(s)
                    .is_ok_and(|u| matches!(u.scheme(), "http" | "https") && u.host().is_some());
            if !ok {
                return bad(
                    "$.fhirServer",
                    "`fhirServer` is the absolute http(s) URL of a FHIR server",
                );
            }
        }
        Some(_) => return bad("$.fhirServer", "`fhirServer` is a URL string"),
    }
    if let Some(a) = body.get("fhirAuthorization") {
        let Some(a) = a.as_object() else {
            return bad("$.fhirAuthorization", "`fhirAuthorization` is an object");
        };
        if body.get("fhirServer").is_none() {
            return bad(
                "$.fhirServer",
                "`fhirServer` is required with `fhirAuthorization`",
            );
        }
        for field in ["access_token", "scope", "subject"] {
            match a.get(field) {
                Some(Value::String(v)) if !v.is_empty() => {}
                _ => {
                    return bad(
                        &format!("$.fhirAuthorization.{field}"),
                        &format!("`{field}` is a non-empty string"),
                    )
                }
            }
        }
        match a.get("token_type") {
            Some(Value::String(t)) if t.eq_ignore_ascii_case("bearer") => {}
            _ => return bad("$.fhirAuthorization.token_type", "`token_type` is `Bearer`"),
        }
        if !a
            .get("expires_in")
            .is_some_and(|e| e.is_u64() || e.is_i64())
        {
            return bad(
                "$.fhirAuthorization.expires_in",
                "`expires_in` is an integer",
            );
        }
    }
    // The context's ids fill prefetch tokens: the hooks define them as strings (the engine
    // checks patientId, and encounterId where its hook requires one).
    for field in ["userId", "encounterId"] {
        if let Some(u) = body.get("context").and_then(|c| c.get(field)) {
            if u.as_str().is_none_or(str::is_empty) {
                return bad(
                    &format!("$.context.{field}"),
                    &format!("`{field}` is a non-empty string"),
                );
            }
        }
    }
    if body.get("extension").is_some_and(|e| !e.is_object()) {
        return bad("$.extension", "`extension` is an object");
    }
    Ok(())
}

/// A request read only as far as deciding what to fetch needs: its top-level fields as raw
/// JSON. The prefetch (most of a request's bytes) is not turned into a tree unless something
/// must be fetched; the engine reads the text itself.
pub struct Peek<'a> {
    pub(crate) fields: std::collections::HashMap<String, &'a RawValue>,
}

/// Of a prefetch value, what decides whether it is complete.
#[derive(Deserialize)]
pub(crate) struct KeyPeek {
    #[serde(rename = "resourceType", default)]
    pub(crate) resource_type: Option<String>,
    #[serde(default)]
    pub(crate) link: Option<Vec<LinkPeek>>,
}

#[derive(Deserialize)]
pub(crate) struct LinkPeek {
    #[serde(default)]
    pub(crate) relation: Option<String>,
}

impl<'a> Peek<'a> {
    /// A top-level field, as raw JSON.
    pub fn field(&self, name: &str) -> Option<&'a RawValue> {
        self.fields.get(name).copied()
    }

    /// Reads a request's text: `Err` when it is not JSON or not an object.
    pub fn read(text: &'a str) -> Result<Peek<'a>, String> {
        serde_json::from_str(text)
            .map(|fields| Peek { fields })
            .map_err(|e| e.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn templates_are_filled_from_the_context() {
        let ctx = json!({"patientId": "ex 1/2", "userId": "Practitioner/p-9", "encounterId": 42});
        let ctx = ctx.as_object().unwrap();
        assert_eq!(
            fill("Condition?patient={{context.patientId}}&x=1", ctx).unwrap(),
            "Condition?patient=ex%201%2F2&x=1"
        );
        assert_eq!(
            fill("Encounter/{{context.encounterId}}", ctx).unwrap(),
            "Encounter/42"
        );
        assert_eq!(
            fill("Practitioner/{{userPractitionerId}}", ctx).unwrap(),
            "Practitioner/p-9"
        );
        assert!(fill("PractitionerRole/{{userPractitionerRoleId}}", ctx).is_err());
        assert!(fill("X/{{context.missing}}", ctx).is_err());
        assert!(fill("X/{{today()}}", ctx).is_err());
        assert!(fill("X/{{context.patientId", ctx).is_err());
    }
}
