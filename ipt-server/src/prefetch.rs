//! Prefetch the specification's way: a key the EHR sent is used as sent; `null` is "no data";
//! an `OperationOutcome` is "not supplied" (the EHR tried; the specification asks services not
//! to try again); a key missing is fetched from `fhirServer` with
//! `fhirAuthorization.access_token`, its template's tokens filled from `context`; a paged
//! Bundle (the EHR's or the FHIR server's) is followed through its `next` links, and used
//! whole or not at all.
//!
//! Bounds, all configurable (`[prefetch]`): every fetch of one call, all pages, within
//! `budget_ms` (2 s); `max_bytes` (8 MiB) fetched in all; `max_pages` (20) per key; the
//! engine's 10,000 entries per key. `next` links must stay under `fhirServer` (the access token
//! goes nowhere else), redirects are not followed, and `fhirServer` must be `https` (unless
//! `allow_http`) and, when the issuer lists FHIR servers, one of them.
//!
//! When data the call needs cannot be had, the answer is `412` with an OperationOutcome: a
//! required key (`required`, by default the Patient and the Conditions) missing without a FHIR
//! server to fetch it from, or sent as an OperationOutcome; any fetch that fails, runs past the
//! budget or over a bound; a paged Bundle that cannot be followed. An optional key missing
//! without a FHIR server is left to the engine, which lists it as not supplied on its cards.
//! The access token is held only for the fetches: never logged, stored or passed on.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use serde_json::value::RawValue;
use serde_json::{Map, Value};

use crate::request::{fill, KeyPeek, Peek};

use crate::config;
use crate::metrics::Metrics;

/// Why the data cannot be had: the `412`'s OperationOutcome says this.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unavailable {
    /// The prefetch key.
    pub key: String,
    /// Why, for the EHR's operators (no URL, no token, no patient data).
    pub why: String,
}

/// What was done to the request's prefetch.
#[derive(Debug, Default)]
pub struct Completed {
    /// Whether keys were fetched (so the request must be re-serialized).
    pub changed: bool,
    /// Pages fetched.
    pub pages: usize,
}

/// Fetches what the prefetch lacks.
pub struct Prefetcher {
    config: config::Prefetch,
    http: reqwest::Client,
    metrics: Arc<Metrics>,
}

enum Need {
    /// Fetch the template.
    Template,
    /// Follow the `next` links of a Bundle sent.
    Pages,
}

/// How a fetch failed.
enum Failure {
    Status(u16),
    Network,
    Timeout,
    TooLarge(&'static str),
    Invalid(&'static str),
    LeavesServer,
    TooManyPages,
    Outcome,
}

impl Failure {
    fn metric(&self) -> &'static str {
        match self {
            Failure::Status(_) => "status",
            Failure::Network => "network",
            Failure::Timeout => "timeout",
            Failure::TooLarge(_) | Failure::TooManyPages => "too_large",
            Failure::Invalid(_) | Failure::Outcome => "invalid",
            Failure::LeavesServer => "leaves_server",
        }
    }

    fn say(&self, max_pages: usize) -> String {
        match self {
            Failure::Status(s) => format!("the FHIR server answered {s}"),
            Failure::Network => "the FHIR server could not be reached".into(),
            Failure::Timeout => "the FHIR server did not answer within the time budget".into(),
            Failure::TooLarge(what) => {
                format!("the data is larger than this service reads ({what})")
            }
            Failure::Invalid(what) => format!("the FHIR server's answer is not usable: {what}"),
            Failure::LeavesServer => "a `next` link leads off the FHIR server".into(),
            Failure::TooManyPages => format!("more than {max_pages} pages"),
            Failure::Outcome => "the FHIR server answered with an OperationOutcome".into(),
        }
    }
}

fn bundle_next(v: &Value) -> Option<&str> {
    v.get("link")?.as_array()?.iter().find_map(|l| {
        (l.get("relation")?.as_str()? == "next")
            .then(|| l.get("url")?.as_str())
            .flatten()
    })
}

fn resource_type(v: &Value) -> Option<&str> {
    v.get("resourceType").and_then(Value::as_str)
}

struct Budget {
    deadline: Instant,
    bytes: AtomicUsize,
}

impl Prefetcher {
    /// A prefetcher. `http` follows no redirects.
    pub fn new(config: config::Prefetch, http: reqwest::Client, metrics: Arc<Metrics>) -> Self {
        Prefetcher {
            config,
            http,
            metrics,
        }
    }

    /// Completes the prefetch of a request body (a JSON object) against the service's
    /// templates. `fhir_servers` is the issuer's allowlist (empty: any).
    pub async fn complete(
        &self,
        body: &mut Map<String, Value>,
        templates: &BTreeMap<String, String>,
        fhir_servers: &[String],
    ) -> Result<Completed, Unavailable> {
        let prefetch = match body.get("prefetch") {
            None => Map::new(),
            Some(Value::Object(m)) => m.clone(),
            // Not an object: the engine refuses it, with its path.
            Some(_) => return Ok(Completed::default()),
        };
        let required = |k: &str| self.config.required.iter().any(|r| r == k);
        let needs = self.needs(&prefetch, templates)?;
        if needs.is_empty() {
            return Ok(Completed::default());
        }
        let server = self.server(body, fhir_servers);
        let Some(base) = server else {
            // Without a usable FHIR server: a required key or a paged Bundle cannot be
            // completed; an optional key is left to the engine as not supplied.
            for (key, need) in &needs {
                if required(key) || matches!(need, Need::Pages) {
                    return Err(Unavailable {
                        key: key.clone(),
                        why: match need {
                            Need::Template => "not supplied, and no usable fhirServer to fetch it from".into(),
                            Need::Pages => "a paged Bundle, and no usable fhirServer to fetch its next pages from".into(),
                        },
                    });
                }
            }
            return Ok(Completed::default());
        };
        let token = body
            .get("fhirAuthorization")
            .and_then(|a| a.get("access_token"))
            .and_then(Value::as_str)
            .map(str::to_owned);
        let empty = Map::new();
        let context = body
            .get("context")
            .and_then(Value::as_object)
            .unwrap_or(&empty);
        let budget = Budget {
            deadline: Instant::now() + Duration::from_millis(self.config.budget_ms),
            bytes: AtomicUsize::new(0),
        };
        let started = Instant::now();
        let sent = &prefetch;
        let fetches = needs.iter().map(|(key, need)| {
            let (base, token, budget) = (&base, token.as_deref(), &budget);
            async move {
                let first = match need {
                    Need::Template => {
                        let template = templates.get(key).map(String::as_str).unwrap_or_default();
                        let relative = fill(template, context).map_err(|why| (key.clone(), why))?;
                        let url = format!("{base}/{}", relative.trim_start_matches('/'));
                        let is_read = !relative.contains('?');
                        match self.page(&url, token, budget).await {
                            Ok(None) if is_read => return Ok((key.clone(), Value::Null, 1)),
                            Ok(None) => Err(Failure::Status(404)),
                            Ok(Some(v)) => Ok(v),
                            Err(f) => Err(f),
                        }
                    }
                    Need::Pages => Ok(sent.get(key).cloned().unwrap_or(Value::Null)),
                };
                let result = match first {
                    Ok(v) => self.follow(v, base, token, budget).await,
                    Err(f) => Err(f),
                };
                result
                    .map(|(v, pages)| (key.clone(), v, pages))
                    .map_err(|f| (key.clone(), f.say(self.config.max_pages)))
            }
        });
        let all = tokio::time::timeout(
            Duration::from_millis(self.config.budget_ms),
            futures_util::future::join_all(fetches),
        )
        .await;
        let Ok(results) = all else {
            Metrics::count(&self.metrics.prefetch_fetches, "timeout", 1);
            tracing::warn!(
                ms = started.elapsed().as_millis() as u64,
                "prefetch past its time budget"
            );
            return Err(Unavailable {
                key: needs.first().map(|(k, _)| k.clone()).unwrap_or_default(),
                why: Failure::Timeout.say(self.config.max_pages),
            });
        };
        let mut completed = Completed {
            changed: true,
            pages: 0,
        };
        let mut prefetch = prefetch;
        for r in results {
            match r {
                Ok((key, value, pages)) => {
                    tracing::info!(key = %key, pages, "prefetch key fetched");
                    completed.pages += pages;
                    prefetch.insert(key, value);
                }
                Err((key, why)) => {
                    tracing::warn!(key = %key, why = %why, "prefetch key not fetched");
                    return Err(Unavailable { key, why });
                }
            }
        }
        body.insert("prefetch".into(), Value::Object(prefetch));
        Ok(completed)
    }

    /// What the prefetch lacks: the keys to fetch (missing, or a Bundle with a `next` link);
    /// a required key sent as an OperationOutcome cannot be had.
    fn needs(
        &self,
        prefetch: &Map<String, Value>,
        templates: &BTreeMap<String, String>,
    ) -> Result<Vec<(String, Need)>, Unavailable> {
        let mut needs = Vec::new();
        for key in templates.keys() {
            match prefetch.get(key) {
                None => needs.push((key.clone(), Need::Template)),
                Some(v)
                    if resource_type(v) == Some("OperationOutcome")
                        && self.config.required.iter().any(|r| r == key) =>
                {
                    return Err(Unavailable {
                        key: key.clone(),
                        why: "the EHR answered this key with an OperationOutcome".into(),
                    })
                }
                Some(v) if resource_type(v) == Some("Bundle") && bundle_next(v).is_some() => {
                    needs.push((key.clone(), Need::Pages));
                }
                Some(_) => {}
            }
        }
        Ok(needs)
    }

    /// Whether the request's prefetch is complete as sent (nothing to fetch, nothing
    /// unavailable): then [`Prefetcher::complete`] would do nothing.
    pub fn is_complete(&self, peek: &Peek<'_>, templates: &BTreeMap<String, String>) -> bool {
        let Some(raw) = peek.field("prefetch") else {
            return templates.is_empty();
        };
        let Ok(prefetch) =
            serde_json::from_str::<std::collections::HashMap<String, &RawValue>>(raw.get())
        else {
            // Not an object: the engine refuses it, with its path.
            return true;
        };
        templates.keys().all(|key| {
            let Some(v) = prefetch.get(key) else {
                return false;
            };
            match serde_json::from_str::<KeyPeek>(v.get()) {
                Ok(k) => {
                    let outcome = k.resource_type.as_deref() == Some("OperationOutcome");
                    let paged = k.resource_type.as_deref() == Some("Bundle")
                        && k.link
                            .iter()
                            .flatten()
                            .any(|l| l.relation.as_deref() == Some("next"));
                    let unavailable = outcome && self.config.required.iter().any(|r| r == key);
                    !(paged || unavailable)
                }
                // null, or not an object (which the engine refuses).
                Err(_) => true,
            }
        })
    }

    /// The request's `fhirServer`, if this service may fetch from it, without a trailing `/`.
    fn server(&self, body: &Map<String, Value>, allowed: &[String]) -> Option<String> {
        let raw = body.get("fhirServer")?.as_str()?;
        let url = url::Url::parse(raw).ok()?;
        let scheme_ok =
            url.scheme() == "https" || (self.config.allow_http && url.scheme() == "http");
        if !scheme_ok || url.host().is_none() || url.query().is_some() || url.fragment().is_some() {
            tracing::info!("fhirServer not usable (scheme, host, query or fragment)");
            return None;
        }
        let base = raw.trim_end_matches('/').to_owned();
        if !allowed.is_empty() && !allowed.iter().any(|a| base == a.trim_end_matches('/')) {
            tracing::info!("fhirServer not on the issuer's list");
            return None;
        }
        Some(base)
    }

    /// Follows a Bundle's `next` links, appending their entries; anything else is returned as
    /// it is. The result has no `next` link.
    async fn follow(
        &self,
        first: Value,
        base: &str,
        token: Option<&str>,
        budget: &Budget,
    ) -> Result<(Value, usize), Failure> {
        if resource_type(&first) == Some("OperationOutcome") {
            return Err(Failure::Outcome);
        }
        if resource_type(&first) != Some("Bundle") {
            return Ok((first, 1));
        }
        let mut bundle = first;
        let mut pages = 1;
        while let Some(next) = bundle_next(&bundle).map(str::to_owned) {
            if pages >= self.config.max_pages {
                return Err(Failure::TooManyPages);
            }
            let under = next
                .strip_prefix(base)
                .is_some_and(|rest| rest.starts_with('/') || rest.starts_with('?'));
            if !under {
                return Err(Failure::LeavesServer);
            }
            let page = self
                .page(&next, token, budget)
                .await?
                .ok_or(Failure::Status(404))?;
            if resource_type(&page) != Some("Bundle") {
                return Err(Failure::Invalid("a page that is not a Bundle"));
            }
            pages += 1;
            let more = page
                .get("entry")
                .and_then(Value::as_array)
                .cloned()
                .unwrap_or_default();
            let obj = bundle
                .as_object_mut()
                .ok_or(Failure::Invalid("not an object"))?;
            let entries = obj
                .entry("entry")
                .or_insert_with(|| Value::Array(Vec::new()));
            let list = entries
                .as_array_mut()
                .ok_or(Failure::Invalid("entry is not an array"))?;
            list.extend(more);
            if list.len() > ipt_core::limits::MAX_BUNDLE_ENTRIES {
                return Err(Failure::TooLarge("entries"));
            }
            obj.insert(
                "link".into(),
                page.get("link")
                    .cloned()
                    .unwrap_or(Value::Array(Vec::new())),
            );
        }
        if let Some(links) = bundle.get_mut("link").and_then(Value::as_array_mut) {
            links.retain(|l| l.get("relation").and_then(Value::as_str) != Some("next"));
        }
        Ok((bundle, pages))
    }

    /// One GET. `Ok(None)` for 404 and 410.
    async fn page(
        &self,
        url: &str,
        token: Option<&str>,
        budget: &Budget,
    ) -> Result<Option<Value>, Failure> {
        let left = budget.deadline.saturating_duration_since(Instant::now());
        let metric = |m: &str| Metrics::count(&self.metrics.prefetch_fetches, m, 1);
        if left.is_zero() {
            metric("timeout");
            return Err(Failure::Timeout);
        }
        let mut req = self
            .http
            .get(url)
            .header("accept", "application/fhir+json, application/json")
            .timeout(left);
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        let mut resp = match req.send().await {
            Ok(r) => r,
            Err(e) => {
                let f = if e.is_timeout() {
                    Failure::Timeout
                } else {
                    Failure::Network
                };
                metric(f.metric());
                return Err(f);
            }
        };
        let status = resp.status().as_u16();
        if status == 404 || status == 410 {
            metric("not_found");
            return Ok(None);
        }
        if status != 200 {
            metric("status");
            return Err(Failure::Status(status));
        }
        let mut body = Vec::new();
        loop {
            match resp.chunk().await {
                Ok(Some(chunk)) => {
                    let total =
                        budget.bytes.fetch_add(chunk.len(), Ordering::Relaxed) + chunk.len();
                    if total > self.config.max_bytes {
                        metric("too_large");
                        return Err(Failure::TooLarge("bytes"));
                    }
                    body.extend_from_slice(&chunk);
                }
                Ok(None) => break,
                Err(e) => {
                    let f = if e.is_timeout() {
                        Failure::Timeout
                    } else {
                        Failure::Network
                    };
                    metric(f.metric());
                    return Err(f);
                }
            }
        }
        match serde_json::from_slice::<Value>(&body) {
            Ok(v) if v.is_object() => {
                metric("ok");
                Ok(Some(v))
            }
            _ => {
                metric("invalid");
                Err(Failure::Invalid("not a JSON object"))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn next_links_are_found() {
        let b = json!({"resourceType": "Bundle", "link": [{"relation": "self", "url": "a"}, {"relation": "next", "url": "b"}]});
        assert_eq!(bundle_next(&b), Some("b"));
        assert_eq!(bundle_next(&json!({"resourceType": "Bundle"})), None);
    }
}
