//! Checking the EHR's bearer token, as CDS Hooks 2.0 ("Trusting CDS Clients") asks, on every
//! call: discovery, service and feedback.
//!
//! In order: a compact JWS no longer than 16 KiB; `alg` an asymmetric algorithm the issuer is
//! configured for (`none` and HMAC are not even representable); `typ` `JWT`; no `crit`; a
//! `kid`; `iss` on the allowlist; the key set the issuer's configuration names, or the token's
//! `jku` only when it is on the issuer's `jku` list (any other `jku` is refused and never
//! fetched); the key by `kid` (an unknown `kid` refreshes the key set once, at most once per
//! `jwks_refresh_min_interval_s`; a key set that could not be fetched is not tried again within
//! that interval, and the keys last read, if any, are used meanwhile); the signature; then the claims: `aud` the URL invoked,
//! `exp` and `iat` within the clock skew, a lifetime no longer than the configured maximum,
//! `nbf` if present, a `jti` never seen before within its lifetime (recorded in the store, so a
//! restart does not reopen the window), and `tenant` if present a string. Every refusal is
//! a reason code (for the log and the metrics); the caller gets a bare `401`.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use serde_json::{Map, Value};

use crate::config::{self, Config};
use crate::jose::{self, Alg, AlgRefusal, PublicKey};
use crate::metrics::Metrics;
use crate::store::{Scope, Store, StoreError};

/// The most bytes read of a key set.
const MAX_JWKS_BYTES: usize = 256 * 1024;

/// Who called: the token's issuer and tenant (the scope of what it may see), its subject.
#[derive(Debug, Clone)]
pub struct Principal {
    /// The issuer and tenant.
    pub scope: Scope,
    /// The token's `sub`, if any.
    pub sub: Option<String>,
}

/// Why a token was refused. The code goes to the log and the metrics, never to the caller.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// No `Authorization: Bearer` header.
    NoToken,
    /// Not a compact JWS, or over the size limit.
    Malformed,
    /// `alg: none`.
    AlgNone,
    /// An HMAC `alg`.
    AlgSymmetric,
    /// An `alg` not known, or not allowed for the issuer.
    AlgNotAllowed,
    /// `typ` other than `JWT`.
    Typ,
    /// A `crit` header (no extension is understood).
    Crit,
    /// No `kid`.
    NoKid,
    /// `iss` missing or not on the allowlist.
    UnknownIssuer,
    /// A `jku` not on the issuer's list.
    JkuNotAllowed,
    /// No key set for a token without `jku`.
    NoKeySet,
    /// The key set could not be had.
    KeysUnavailable,
    /// No key with the token's `kid`, after a refresh (or within the refresh interval).
    UnknownKid,
    /// The key found may not verify the token's `alg`.
    KeyAlgMismatch,
    /// The signature does not verify.
    BadSignature,
    /// `aud` is not the URL invoked.
    Audience,
    /// `exp` passed (beyond the skew).
    Expired,
    /// `iat` in the future (beyond the skew).
    IssuedInFuture,
    /// `nbf` in the future (beyond the skew).
    NotYetValid,
    /// A lifetime longer than allowed.
    Lifetime,
    /// A claim missing or of the wrong type (`exp`, `iat`, `jti`, `tenant`, ...).
    Claims,
    /// The `jti` was already used within its lifetime.
    Replay,
}

impl Refusal {
    /// The stable code (`replay`, `expired`, ...).
    pub const fn code(&self) -> &'static str {
        match self {
            Refusal::NoToken => "no_token",
            Refusal::Malformed => "malformed",
            Refusal::AlgNone => "alg_none",
            Refusal::AlgSymmetric => "alg_symmetric",
            Refusal::AlgNotAllowed => "alg_not_allowed",
            Refusal::Typ => "typ",
            Refusal::Crit => "crit",
            Refusal::NoKid => "no_kid",
            Refusal::UnknownIssuer => "unknown_issuer",
            Refusal::JkuNotAllowed => "jku_not_allowed",
            Refusal::NoKeySet => "no_key_set",
            Refusal::KeysUnavailable => "keys_unavailable",
            Refusal::UnknownKid => "unknown_kid",
            Refusal::KeyAlgMismatch => "key_alg_mismatch",
            Refusal::BadSignature => "bad_signature",
            Refusal::Audience => "audience",
            Refusal::Expired => "expired",
            Refusal::IssuedInFuture => "iat_future",
            Refusal::NotYetValid => "nbf_future",
            Refusal::Lifetime => "lifetime",
            Refusal::Claims => "claims",
            Refusal::Replay => "replay",
        }
    }
}

/// A token check that did not accept.
#[derive(Debug)]
pub enum AuthError {
    /// The token was refused (a `401`).
    Refused(Refusal),
    /// The store could not record the `jti` (a `503`: the replay check cannot be skipped).
    Store(StoreError),
}

impl From<Refusal> for AuthError {
    fn from(r: Refusal) -> Self {
        AuthError::Refused(r)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Location {
    Url(String),
    File(PathBuf),
}

struct Keys {
    by_kid: HashMap<String, Arc<PublicKey>>,
    fetched_at: Option<Instant>,
}

/// One key set (a URL or a file) and what was last read of it.
struct KeySource {
    location: Location,
    algs: Vec<Alg>,
    keys: RwLock<Arc<Keys>>,
    /// Held while fetching (one fetch at a time).
    fetching: tokio::sync::Mutex<FetchState>,
}

/// When fetches that limit the next ones happened.
#[derive(Default)]
struct FetchState {
    /// The last refresh an unknown `kid` forced.
    last_forced: Option<Instant>,
    /// The last fetch that failed (cleared by one that succeeds).
    last_failed: Option<Instant>,
}

struct Issuer {
    default: Option<Arc<KeySource>>,
    jku: HashMap<String, Arc<KeySource>>,
    algs: Vec<Alg>,
}

/// Checks tokens.
pub struct Authenticator {
    issuers: HashMap<String, Issuer>,
    store: Arc<dyn Store>,
    metrics: Arc<Metrics>,
    http: reqwest::Client,
    skew: i64,
    max_lifetime: i64,
    refresh_interval: Duration,
    ttl: Duration,
}

fn source(location: Location, algs: &[Alg]) -> Arc<KeySource> {
    Arc::new(KeySource {
        location,
        algs: algs.to_vec(),
        keys: RwLock::new(Arc::new(Keys {
            by_kid: HashMap::new(),
            fetched_at: None,
        })),
        fetching: tokio::sync::Mutex::new(FetchState::default()),
    })
}

fn clip(s: &str) -> String {
    s.chars().take(100).filter(|c| !c.is_control()).collect()
}

/// A number claim as whole seconds.
fn seconds(claims: &Map<String, Value>, name: &str) -> Result<Option<i64>, Refusal> {
    match claims.get(name) {
        None => Ok(None),
        Some(Value::Number(n)) => n
            .as_i64()
            .or_else(|| {
                n.as_f64()
                    .filter(|f| f.is_finite())
                    .map(|f| f.floor() as i64)
            })
            .map(Some)
            .ok_or(Refusal::Claims),
        Some(_) => Err(Refusal::Claims),
    }
}

impl Authenticator {
    /// Builds the issuer registry from the configuration. Key sets are fetched when first
    /// needed.
    pub fn new(
        config: &Config,
        store: Arc<dyn Store>,
        metrics: Arc<Metrics>,
        http: reqwest::Client,
    ) -> Authenticator {
        let issuers = config
            .auth
            .issuers
            .iter()
            .map(|i| {
                let algs = config::Config::algorithms(i);
                let default = match (&i.jwks_url, &i.jwks_file) {
                    (Some(u), _) => Some(source(Location::Url(u.clone()), &algs)),
                    (None, Some(f)) => Some(source(Location::File(f.clone()), &algs)),
                    (None, None) => None,
                };
                let jku = i
                    .jku
                    .iter()
                    .map(|u| {
                        // A jku equal to the default URL shares its cache.
                        let s = match &default {
                            Some(d) if d.location == Location::Url(u.clone()) => Arc::clone(d),
                            _ => source(Location::Url(u.clone()), &algs),
                        };
                        (u.clone(), s)
                    })
                    .collect();
                (i.iss.clone(), Issuer { default, jku, algs })
            })
            .collect();
        Authenticator {
            issuers,
            store,
            metrics,
            http,
            skew: config.auth.clock_skew_s as i64,
            max_lifetime: config.auth.max_token_lifetime_s as i64,
            refresh_interval: Duration::from_secs(config.auth.jwks_refresh_min_interval_s),
            ttl: Duration::from_secs(config.auth.jwks_cache_ttl_s),
        }
    }

    /// Checks the `Authorization` header of a call to `aud` (the URL invoked). A refusal is
    /// counted and logged with its reason here.
    pub async fn authenticate(
        &self,
        authorization: Option<&str>,
        aud: &str,
        route: &str,
    ) -> Result<Principal, AuthError> {
        let result = self.check(authorization, aud).await;
        if let Err(AuthError::Refused(r)) = &result {
            self.metrics.token_failure(r.code());
            tracing::warn!(reason = r.code(), route, "token refused");
        }
        result
    }

    async fn check(&self, authorization: Option<&str>, aud: &str) -> Result<Principal, AuthError> {
        let token = authorization
            .and_then(|h| {
                let (scheme, rest) = h.split_once(' ')?;
                scheme.eq_ignore_ascii_case("bearer").then(|| rest.trim())
            })
            .filter(|t| !t.is_empty())
            .ok_or(Refusal::NoToken)?;
        let jws = jose::parse(token).map_err(|_| Refusal::Malformed)?;
        let h = &jws.header;
        let alg = match h.get("alg").and_then(Value::as_str).map(Alg::parse) {
            Some(Ok(a)) => a,
            Some(Err(AlgRefusal::None)) => return Err(Refusal::AlgNone.into()),
            Some(Err(AlgRefusal::Symmetric)) => return Err(Refusal::AlgSymmetric.into()),
            Some(Err(AlgRefusal::Unknown)) | None => return Err(Refusal::AlgNotAllowed.into()),
        };
        match h.get("typ") {
            Some(Value::String(t)) if t.eq_ignore_ascii_case("JWT") => {}
            _ => return Err(Refusal::Typ.into()),
        }
        if h.contains_key("crit") {
            return Err(Refusal::Crit.into());
        }
        let kid = match h.get("kid") {
            Some(Value::String(k)) if !k.is_empty() => k.as_str(),
            _ => return Err(Refusal::NoKid.into()),
        };
        let iss = jws
            .claims
            .get("iss")
            .and_then(Value::as_str)
            .ok_or(Refusal::UnknownIssuer)?;
        let issuer = self.issuers.get(iss).ok_or_else(|| {
            tracing::info!(issuer = %clip(iss), "issuer not on the allowlist");
            Refusal::UnknownIssuer
        })?;
        if !issuer.algs.contains(&alg) {
            return Err(Refusal::AlgNotAllowed.into());
        }
        let source = match h.get("jku") {
            Some(Value::String(jku)) => issuer.jku.get(jku).ok_or_else(|| {
                tracing::info!(issuer = %clip(iss), jku = %clip(jku), "jku not on the issuer's list: not fetched");
                Refusal::JkuNotAllowed
            })?,
            Some(_) => return Err(Refusal::JkuNotAllowed.into()),
            None => issuer.default.as_ref().ok_or(Refusal::NoKeySet)?,
        };
        let key = self.key(source, kid).await?;
        if !key.allows(alg) {
            return Err(Refusal::KeyAlgMismatch.into());
        }
        if !key.verify(alg, jws.signing_input.as_bytes(), &jws.signature) {
            return Err(Refusal::BadSignature.into());
        }
        // The claims, now that they are the issuer's.
        let c = &jws.claims;
        let aud_ok = match c.get("aud") {
            Some(Value::String(a)) => a == aud,
            Some(Value::Array(list)) => list.iter().any(|a| a.as_str() == Some(aud)),
            _ => false,
        };
        if !aud_ok {
            return Err(Refusal::Audience.into());
        }
        let now = crate::clock::now();
        let exp = seconds(c, "exp")?.ok_or(Refusal::Claims)?;
        let iat = seconds(c, "iat")?.ok_or(Refusal::Claims)?;
        if now > exp.saturating_add(self.skew) {
            return Err(Refusal::Expired.into());
        }
        if iat > now.saturating_add(self.skew) {
            return Err(Refusal::IssuedInFuture.into());
        }
        if let Some(nbf) = seconds(c, "nbf")? {
            if nbf > now.saturating_add(self.skew) {
                return Err(Refusal::NotYetValid.into());
            }
        }
        if exp.saturating_sub(iat) > self.max_lifetime
            || exp > now.saturating_add(self.max_lifetime + self.skew)
            || exp < iat
        {
            return Err(Refusal::Lifetime.into());
        }
        let jti = match c.get("jti") {
            Some(Value::String(j)) if !j.is_empty() && j.len() <= 256 => j.as_str(),
            _ => return Err(Refusal::Claims.into()),
        };
        let tenant = match c.get("tenant") {
            None => String::new(),
            Some(Value::String(t)) if t.len() <= 256 => t.clone(),
            Some(_) => return Err(Refusal::Claims.into()),
        };
        let sub = c.get("sub").and_then(Value::as_str).map(str::to_owned);
        let fresh = self
            .store
            .claim_jti(iss, jti, exp.saturating_add(self.skew), now)
            .await
            .map_err(AuthError::Store)?;
        if !fresh {
            return Err(Refusal::Replay.into());
        }
        Ok(Principal {
            scope: Scope {
                issuer: iss.to_owned(),
                tenant,
            },
            sub,
        })
    }

    fn cached(source: &KeySource) -> Arc<Keys> {
        let guard = source
            .keys
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        Arc::clone(&guard)
    }

    /// The key `kid` of a key set, fetching the set when it was never fetched or is stale, and
    /// once more (rate-limited) when the `kid` is not in it.
    async fn key(&self, source: &KeySource, kid: &str) -> Result<Arc<PublicKey>, Refusal> {
        let fresh = |k: &Keys| k.fetched_at.is_some_and(|t| t.elapsed() < self.ttl);
        let keys = Self::cached(source);
        if fresh(&keys) {
            if let Some(k) = keys.by_kid.get(kid) {
                return Ok(Arc::clone(k));
            }
        }
        let mut state = source.fetching.lock().await;
        let recent = |t: Option<Instant>| t.is_some_and(|t| t.elapsed() < self.refresh_interval);
        // Never fetched, or stale: fetch, unless a fetch failed within the interval (then the
        // stale keys, if any, are used meanwhile).
        if !fresh(&Self::cached(source)) && !recent(state.last_failed) {
            self.fetch_into(source, &mut state).await;
        }
        let keys = Self::cached(source);
        if keys.fetched_at.is_none() {
            return Err(Refusal::KeysUnavailable);
        }
        if let Some(k) = keys.by_kid.get(kid) {
            return Ok(Arc::clone(k));
        }
        // An unknown kid: one refresh, unless one was forced (or one failed) within the
        // interval.
        if recent(state.last_forced) || recent(state.last_failed) {
            return Err(Refusal::UnknownKid);
        }
        state.last_forced = Some(Instant::now());
        self.fetch_into(source, &mut state).await;
        Self::cached(source)
            .by_kid
            .get(kid)
            .cloned()
            .ok_or(Refusal::UnknownKid)
    }

    async fn fetch_into(&self, source: &KeySource, state: &mut FetchState) {
        if self.fetch(source).await {
            state.last_failed = None;
        } else {
            state.last_failed = Some(Instant::now());
        }
    }

    /// Fetches a key set and replaces the cached one; on failure the old keys stay in use.
    async fn fetch(&self, source: &KeySource) -> bool {
        let bytes = match &source.location {
            Location::File(path) => std::fs::read(path).map_err(|e| e.to_string()),
            Location::Url(url) => self.get(url).await,
        };
        let parsed = bytes.and_then(|b| jose::key_set(&b, &source.algs));
        let where_ = match &source.location {
            Location::Url(u) => u.clone(),
            Location::File(p) => p.display().to_string(),
        };
        match parsed {
            Ok(set) => {
                Metrics::count(&self.metrics.jwks_fetches, "ok", 1);
                for (kid, why) in &set.skipped {
                    tracing::warn!(key_set = %where_, kid = %clip(kid), why = %why, "key skipped");
                }
                let by_kid = set
                    .keys
                    .into_iter()
                    .map(|k| (k.kid.clone(), Arc::new(k)))
                    .collect();
                let mut guard = source
                    .keys
                    .write()
                    .unwrap_or_else(std::sync::PoisonError::into_inner);
                *guard = Arc::new(Keys {
                    by_kid,
                    fetched_at: Some(Instant::now()),
                });
                tracing::info!(key_set = %where_, keys = guard.by_kid.len(), "key set read");
                true
            }
            Err(why) => {
                Metrics::count(&self.metrics.jwks_fetches, "error", 1);
                tracing::warn!(key_set = %where_, why = %why, "key set not read");
                false
            }
        }
    }

    async fn get(&self, url: &str) -> Result<Vec<u8>, String> {
        let mut resp = self
            .http
            .get(url)
            .header("accept", "application/json, application/jwk-set+json")
            .send()
            .await
            .map_err(|e| format!("fetch failed: {e}"))?;
        if !resp.status().is_success() {
            return Err(format!("status {}", resp.status()));
        }
        let mut body = Vec::new();
        while let Some(chunk) = resp.chunk().await.map_err(|e| e.to_string())? {
            if body.len() + chunk.len() > MAX_JWKS_BYTES {
                return Err(format!("over {MAX_JWKS_BYTES} bytes"));
            }
            body.extend_from_slice(&chunk);
        }
        Ok(body)
    }
}
