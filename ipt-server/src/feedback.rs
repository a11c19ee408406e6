//! Feedback (CDS Hooks 2.0, "Feedback"): `{feedback: [{card, outcome, outcomeTimestamp,
//! acceptedSuggestions?, overrideReason?}]}`, checked whole before anything is stored, each
//! item naming a card this service gave the caller's scope; stored all or none, each item once
//! (the same item posted twice is one item); and summarised by rule for a clinical lead.

use std::collections::{BTreeMap, BTreeSet};

use aws_lc_rs::digest;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use crate::outcome::ApiError;
use crate::store::{FeedbackRecord, IssuedCard, RuleCounts};

/// The most items one post may carry.
pub const MAX_ITEMS: usize = 1_000;

/// The body of `POST /cds-services/{id}/feedback`.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FeedbackRequest {
    /// The items, at least one.
    pub feedback: Vec<FeedbackItem>,
    /// Reserved by CDS Hooks for extensions; not read.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extension: Option<serde_json::Map<String, Value>>,
}

/// What a clinician did with a card.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Outcome {
    /// A suggestion was taken (or, on a card without suggestions, the advice followed).
    Accepted,
    /// The card was dismissed, with or without a reason.
    Overridden,
}

/// One feedback item.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FeedbackItem {
    /// The card's `uuid`.
    pub card: String,
    /// `accepted` or `overridden`.
    pub outcome: Outcome,
    /// When, in UTC (RFC 3339, `2026-01-05T10:00:00Z`).
    #[serde(rename = "outcomeTimestamp")]
    pub outcome_timestamp: String,
    /// The suggestions taken (required for `accepted` on a card with suggestions).
    #[serde(
        rename = "acceptedSuggestions",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub accepted_suggestions: Option<Vec<AcceptedSuggestion>>,
    /// Why the card was overridden.
    #[serde(
        rename = "overrideReason",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub override_reason: Option<OverrideReason>,
    /// Reserved by CDS Hooks for extensions; not read.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extension: Option<serde_json::Map<String, Value>>,
}

/// A suggestion taken.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AcceptedSuggestion {
    /// The suggestion's `uuid`.
    pub id: String,
}

/// An override reason.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct OverrideReason {
    /// The reason chosen (one the card offered, or the EHR's own).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<Coding>,
    /// The clinician's words.
    #[serde(
        rename = "userComment",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub user_comment: Option<String>,
}

/// A Coding.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Coding {
    /// The code system.
    pub system: String,
    /// The code.
    pub code: String,
    /// What it means.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub display: Option<String>,
}

/// The answer to a feedback post.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FeedbackAnswer {
    /// Items stored now.
    pub stored: usize,
    /// Items already stored by an earlier post (not stored again).
    pub duplicates: usize,
}

/// Reads a feedback body; an error names the field by JSONPath.
pub fn parse(body: &[u8]) -> Result<FeedbackRequest, ApiError> {
    let de = &mut serde_json::Deserializer::from_slice(body);
    let req: FeedbackRequest = serde_path_to_error::deserialize(de).map_err(|e| {
        let path = crate::feedback::jsonpath(&e.path().to_string());
        let inner = e.into_inner();
        if inner.is_syntax() || inner.is_eof() {
            ApiError::new(
                axum::http::StatusCode::BAD_REQUEST,
                "invalid_json",
                inner.to_string(),
            )
            .at("$")
        } else {
            ApiError::invalid(path, inner.to_string())
        }
    })?;
    if req.feedback.is_empty() {
        return Err(ApiError::invalid(
            "$.feedback",
            "at least one feedback item",
        ));
    }
    if req.feedback.len() > MAX_ITEMS {
        return Err(ApiError::new(
            axum::http::StatusCode::BAD_REQUEST,
            "limit_exceeded",
            format!("at most {MAX_ITEMS} items in one post"),
        )
        .at("$.feedback"));
    }
    Ok(req)
}

/// serde_path_to_error's `feedback[0].card` as JSONPath `$.feedback[0].card`.
pub fn jsonpath(p: &str) -> String {
    if p == "." || p.is_empty() {
        "$".into()
    } else {
        format!("$.{p}")
    }
}

fn check_text(s: &str, max: usize, path: &str, what: &str) -> Result<(), ApiError> {
    if s.is_empty() || s.chars().count() > max {
        return Err(ApiError::invalid(
            path,
            format!("{what} is 1 to {max} characters"),
        ));
    }
    Ok(())
}

/// The item's checks that need no store: lengths, timestamp, which fields go with which
/// outcome.
pub fn check_items(req: &FeedbackRequest) -> Result<(), ApiError> {
    for (i, f) in req.feedback.iter().enumerate() {
        let at = |field: &str| format!("$.feedback[{i}].{field}");
        check_text(&f.card, 64, &at("card"), "a card uuid")?;
        if !crate::clock::is_utc_timestamp(&f.outcome_timestamp) {
            return Err(ApiError::invalid(
                at("outcomeTimestamp"),
                "an RFC 3339 date-time in UTC, like 2026-01-05T10:00:00Z",
            ));
        }
        match f.outcome {
            Outcome::Accepted if f.override_reason.is_some() => {
                return Err(ApiError::invalid(
                    at("overrideReason"),
                    "an override reason goes with the outcome `overridden`",
                ))
            }
            Outcome::Overridden if f.accepted_suggestions.is_some() => {
                return Err(ApiError::invalid(
                    at("acceptedSuggestions"),
                    "accepted suggestions go with the outcome `accepted`",
                ))
            }
            _ => {}
        }
        for (j, s) in f.accepted_suggestions.iter().flatten().enumerate() {
            check_text(
                &s.id,
                64,
                &format!("{}[{j}].id", at("acceptedSuggestions")),
                "a suggestion uuid",
            )?;
        }
        if let Some(r) = &f.override_reason {
            if let Some(c) = &r.reason {
                check_text(
                    &c.system,
                    256,
                    &at("overrideReason.reason.system"),
                    "a system",
                )?;
                check_text(&c.code, 64, &at("overrideReason.reason.code"), "a code")?;
                if let Some(d) = &c.display {
                    check_text(d, 256, &at("overrideReason.reason.display"), "a display")?;
                }
            }
            if let Some(u) = &r.user_comment {
                check_text(u, 2_000, &at("overrideReason.userComment"), "a comment")?;
            }
        }
    }
    Ok(())
}

/// The records to store, checked against the cards this service gave the scope: an unknown
/// card or suggestion is refused at its path, and nothing is stored.
pub fn records(
    service: &str,
    req: &FeedbackRequest,
    issued: &[IssuedCard],
) -> Result<Vec<FeedbackRecord>, ApiError> {
    let by_uuid: BTreeMap<&str, &IssuedCard> =
        issued.iter().map(|c| (c.uuid.as_str(), c)).collect();
    let mut out = Vec::with_capacity(req.feedback.len());
    for (i, f) in req.feedback.iter().enumerate() {
        let Some(card) = by_uuid.get(f.card.as_str()) else {
            return Err(ApiError::new(
                axum::http::StatusCode::BAD_REQUEST,
                "unknown_card",
                "no card with this uuid was given to this tenant by this service",
            )
            .at(format!("$.feedback[{i}].card")));
        };
        let mut accepted: Vec<String> = Vec::new();
        for (j, s) in f.accepted_suggestions.iter().flatten().enumerate() {
            if !card.suggestions.contains(&s.id) {
                return Err(ApiError::new(
                    axum::http::StatusCode::BAD_REQUEST,
                    "unknown_suggestion",
                    "the card has no suggestion with this uuid",
                )
                .at(format!("$.feedback[{i}].acceptedSuggestions[{j}].id")));
            }
            accepted.push(s.id.clone());
        }
        if f.outcome == Outcome::Accepted && accepted.is_empty() && !card.suggestions.is_empty() {
            return Err(ApiError::invalid(
                format!("$.feedback[{i}].acceptedSuggestions"),
                "an accepted card with suggestions names the suggestions accepted",
            ));
        }
        accepted.sort();
        accepted.dedup();
        let reason = f.override_reason.as_ref().and_then(|r| r.reason.as_ref());
        let comment = f
            .override_reason
            .as_ref()
            .and_then(|r| r.user_comment.clone());
        let outcome = match f.outcome {
            Outcome::Accepted => "accepted",
            Outcome::Overridden => "overridden",
        };
        let accepted_json = serde_json::to_string(&accepted).unwrap_or_else(|_| "[]".into());
        // The digest is over the content, in a fixed order: the same item is the same digest.
        let canonical = json!([
            service,
            f.card,
            outcome,
            f.outcome_timestamp,
            accepted,
            reason.map(|c| [&c.system, &c.code]),
            reason.and_then(|c| c.display.clone()),
            comment,
        ])
        .to_string();
        let d = digest::digest(&digest::SHA256, canonical.as_bytes());
        out.push(FeedbackRecord {
            card: f.card.clone(),
            rule_id: card.rule_id.clone(),
            outcome: outcome.into(),
            outcome_timestamp: f.outcome_timestamp.clone(),
            accepted_suggestions: accepted_json,
            override_reason: reason.map(|c| (c.system.clone(), c.code.clone(), c.display.clone())),
            override_comment: comment,
            digest: d.as_ref().iter().map(|b| format!("{b:02x}")).collect(),
        });
    }
    Ok(out)
}

/// The distinct card uuids of a request.
pub fn card_uuids(req: &FeedbackRequest) -> Vec<String> {
    let set: BTreeSet<&str> = req.feedback.iter().map(|f| f.card.as_str()).collect();
    set.into_iter().map(str::to_owned).collect()
}

/// A rule's line of the summary.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RuleSummary {
    /// The rule ID.
    pub rule_id: String,
    /// The rule's title in the catalogue.
    pub title: String,
    /// Distinct cards of the rule given (and remembered).
    pub cards_issued: i64,
    /// Feedback items on its cards.
    pub feedback: i64,
    /// Of which `accepted`.
    pub accepted: i64,
    /// Of which `overridden`.
    pub overridden: i64,
    /// Overrides by reason, most frequent first.
    pub override_reasons: Vec<ReasonCount>,
    /// Overrides without a reason.
    pub overridden_without_reason: i64,
}

/// How often a reason was given.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ReasonCount {
    /// The reason's system.
    pub system: String,
    /// Its code.
    pub code: String,
    /// Its display, as last given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub display: Option<String>,
    /// How often.
    pub count: i64,
}

/// The summary of feedback by rule.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Summary {
    /// The issuer covered (all when absent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub issuer: Option<String>,
    /// The tenant covered (all when absent; empty for tokens without one).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tenant: Option<String>,
    /// One line per rule with cards or feedback, by rule ID.
    pub rules: Vec<RuleSummary>,
}

/// Builds the summary from the store's counts and the engine's catalogue.
pub fn summary(
    issuer: Option<String>,
    tenant: Option<String>,
    counts: BTreeMap<String, RuleCounts>,
    engine: &crate::engine::Engine,
) -> Summary {
    let rules = counts
        .into_iter()
        .map(|(rule_id, c)| {
            let title = engine
                .rule(&rule_id)
                .and_then(|r| r["title"].as_str())
                .unwrap_or_default()
                .to_owned();
            let mut without = 0;
            let mut reasons = Vec::new();
            for (key, display, n) in c.reasons {
                match key {
                    Some((system, code)) => reasons.push(ReasonCount {
                        system,
                        code,
                        display,
                        count: n,
                    }),
                    None => without += n,
                }
            }
            RuleSummary {
                rule_id,
                title,
                cards_issued: c.cards_issued,
                feedback: c.accepted + c.overridden,
                accepted: c.accepted,
                overridden: c.overridden,
                override_reasons: reasons,
                overridden_without_reason: without,
            }
        })
        .collect();
    Summary {
        issuer,
        tenant,
        rules,
    }
}

/// The summary as a table for a terminal.
pub fn table(s: &Summary) -> String {
    let mut out = String::new();
    out.push_str(&format!(
        "{:<26} {:>6} {:>8} {:>8} {:>10}  override reasons\n",
        "rule", "cards", "feedback", "accepted", "overridden"
    ));
    for r in &s.rules {
        let mut reasons: Vec<String> = r
            .override_reasons
            .iter()
            .map(|c| format!("{} ×{}", c.display.as_deref().unwrap_or(&c.code), c.count))
            .collect();
        if r.overridden_without_reason > 0 {
            reasons.push(format!("no reason ×{}", r.overridden_without_reason));
        }
        out.push_str(&format!(
            "{:<26} {:>6} {:>8} {:>8} {:>10}  {}\n",
            r.rule_id,
            r.cards_issued,
            r.feedback,
            r.accepted,
            r.overridden,
            reasons.join(", ")
        ));
    }
    if s.rules.is_empty() {
        out.push_str("(no cards issued and no feedback yet)\n");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn card(uuid: &str, suggestions: &[&str]) -> IssuedCard {
        IssuedCard {
            uuid: uuid.into(),
            rule_id: "X-SUICIDE".into(),
            indicator: "critical".into(),
            suggestions: suggestions.iter().map(|s| (*s).to_owned()).collect(),
        }
    }

    fn req(v: Value) -> Result<FeedbackRequest, ApiError> {
        let r = parse(v.to_string().as_bytes())?;
        check_items(&r)?;
        Ok(r)
    }

    #[test]
    fn bad_items_are_refused_at_their_paths() {
        let t = "2026-01-05T10:00:00Z";
        for (body, path) in [
            (json!({"feedback": []}), "$.feedback"),
            (
                json!({"feedback": [{"card": "u", "outcome": "ignored", "outcomeTimestamp": t}]}),
                "$.feedback[0].outcome",
            ),
            (
                json!({"feedback": [{"card": "u", "outcome": "accepted", "outcomeTimestamp": "today"}]}),
                "$.feedback[0].outcomeTimestamp",
            ),
            (
                json!({"feedback": [{"card": "u", "outcome": "accepted", "outcomeTimestamp": t, "oops": 1}]}),
                "$.feedback[0]",
            ),
            (
                json!({"feedback": [{"card": "", "outcome": "accepted", "outcomeTimestamp": t}]}),
                "$.feedback[0].card",
            ),
            (
                json!({"feedback": [{"card": "u", "outcome": "accepted", "outcomeTimestamp": t,
                "overrideReason": {"userComment": "x"}}]}),
                "$.feedback[0].overrideReason",
            ),
            (
                json!({"feedback": [{"card": "u", "outcome": "overridden", "outcomeTimestamp": t,
                "acceptedSuggestions": [{"id": "s"}]}]}),
                "$.feedback[0].acceptedSuggestions",
            ),
        ] {
            let e = req(body.clone()).unwrap_err();
            assert!(
                e.path.as_deref().is_some_and(|p| p.starts_with(path)),
                "{body}: {e:?}"
            );
        }
        let e = parse(b"{not json").unwrap_err();
        assert_eq!(e.code, "invalid_json");
    }

    #[test]
    fn cards_and_suggestions_are_checked_and_the_digest_is_the_content() {
        let t = "2026-01-05T10:00:00Z";
        let issued = [card("c1", &["s1"]), card("c2", &[])];
        let r = req(
            json!({"feedback": [{"card": "c9", "outcome": "overridden", "outcomeTimestamp": t}]}),
        )
        .unwrap();
        assert_eq!(
            records("svc", &r, &issued).unwrap_err().code,
            "unknown_card"
        );
        let r = req(
            json!({"feedback": [{"card": "c1", "outcome": "accepted", "outcomeTimestamp": t,
            "acceptedSuggestions": [{"id": "s9"}]}]}),
        )
        .unwrap();
        assert_eq!(
            records("svc", &r, &issued).unwrap_err().code,
            "unknown_suggestion"
        );
        let r = req(
            json!({"feedback": [{"card": "c1", "outcome": "accepted", "outcomeTimestamp": t}]}),
        )
        .unwrap();
        assert_eq!(
            records("svc", &r, &issued).unwrap_err().path.as_deref(),
            Some("$.feedback[0].acceptedSuggestions")
        );
        // A card without suggestions may be accepted as it is.
        let r = req(json!({"feedback": [
            {"card": "c2", "outcome": "accepted", "outcomeTimestamp": t},
            {"card": "c2", "outcome": "accepted", "outcomeTimestamp": t},
            {"card": "c2", "outcome": "accepted", "outcomeTimestamp": "2026-01-05T10:00:01Z"}]}))
        .unwrap();
        let recs = records("svc", &r, &issued).unwrap();
        assert_eq!(recs[0].digest, recs[1].digest);
        assert_ne!(recs[0].digest, recs[2].digest);
        assert_ne!(
            recs[0].digest,
            records("other", &r, &issued).unwrap()[0].digest
        );
        assert_eq!(recs[0].rule_id, "X-SUICIDE");
    }
}
