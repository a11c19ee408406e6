//! Configuration: a TOML file, then environment variables and flags over it (see the README,
//! "Run the service", for every key). Unknown keys are refused, so a typo is an error at start,
//! not a silent default.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::jose::{Alg, AlgRefusal};

/// The whole configuration.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// Where to listen (`127.0.0.1:8080`; port 0 picks a free port).
    #[serde(default = "default_listen")]
    pub listen: String,
    /// The URL clients call, without a trailing `/` (`https://cds.example.org`, or with a path
    /// prefix a proxy strips). Every token's `aud` is this URL followed by the path invoked, and
    /// cards link to `{public_url}/rules/{RULE-ID}`. Default: `http://` (`https://` with TLS)
    /// and the address listened on. Never taken from a request's headers.
    #[serde(default)]
    pub public_url: Option<String>,
    /// The store: `sqlite:PATH` (or a path), or `postgres://user:password@host:port/db`.
    #[serde(default = "default_store")]
    pub store: String,
    /// TLS served directly; without it, serve plain HTTP behind a TLS-terminating proxy.
    #[serde(default)]
    pub tls: Option<Tls>,
    /// Request limits.
    #[serde(default)]
    pub limits: Limits,
    /// Fetching prefetch keys the EHR did not send.
    #[serde(default)]
    pub prefetch: Prefetch,
    /// Token checks.
    #[serde(default)]
    pub auth: Auth,
    /// Cross-origin requests from browser-based EHRs.
    #[serde(default)]
    pub cors: Cors,
    /// `/metrics` on the main listener.
    #[serde(default)]
    pub metrics: Metrics,
    /// An operations listener: `/healthz`, `/readyz` and `/metrics` without a token.
    #[serde(default)]
    pub operations: Operations,
    /// Logs.
    #[serde(default)]
    pub log: Log,
    /// How long what the store keeps for a time is kept.
    #[serde(default)]
    pub retention: Retention,
    /// The date of the assessment.
    #[serde(default)]
    pub clock: Clock,
    /// The courses the service keeps.
    #[serde(default)]
    pub courses: Courses,
}

fn default_listen() -> String {
    "127.0.0.1:8080".into()
}

fn default_store() -> String {
    "sqlite:ipt-server.sqlite3".into()
}

/// TLS certificate and key files (PEM).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Tls {
    /// The certificate chain, leaf first.
    pub cert_file: PathBuf,
    /// The private key (PKCS#8, PKCS#1 or SEC1).
    pub key_file: PathBuf,
}

/// Request limits. The body limit is the engine's (16 MiB), not configurable.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Limits {
    /// A request taking longer is answered `503` (milliseconds).
    #[serde(default = "d_request_timeout")]
    pub request_timeout_ms: u64,
    /// Requests handled at once; more wait for a slot within their timeout, then get `503`.
    #[serde(default = "d_concurrency")]
    pub concurrency: usize,
    /// On SIGTERM or SIGINT, how long requests in flight may take to finish (milliseconds).
    #[serde(default = "d_grace")]
    pub shutdown_grace_ms: u64,
}

fn d_request_timeout() -> u64 {
    10_000
}
fn d_concurrency() -> usize {
    256
}
fn d_grace() -> u64 {
    10_000
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            request_timeout_ms: d_request_timeout(),
            concurrency: d_concurrency(),
            shutdown_grace_ms: d_grace(),
        }
    }
}

/// Fetching what the prefetch lacks.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Prefetch {
    /// All fetches of one call, pages included, finish within this (milliseconds), or the
    /// call is answered `412`.
    #[serde(default = "d_budget")]
    pub budget_ms: u64,
    /// Bytes fetched for one call, all keys and pages together.
    #[serde(default = "d_max_bytes")]
    pub max_bytes: usize,
    /// Pages followed per key (the first included).
    #[serde(default = "d_max_pages")]
    pub max_pages: usize,
    /// The keys without which no card is given: missing and not fetchable, or an
    /// OperationOutcome, they make the call `412`. The other keys, when they cannot be had
    /// without a FHIR server, are left to the engine, which lists them as not supplied.
    #[serde(default = "d_required")]
    pub required: Vec<String>,
    /// Allow `http://` FHIR servers (tests, a sandbox); `https://` only otherwise.
    #[serde(default)]
    pub allow_http: bool,
}

fn d_budget() -> u64 {
    2_000
}
fn d_max_bytes() -> usize {
    8 * 1024 * 1024
}
fn d_max_pages() -> usize {
    20
}
fn d_required() -> Vec<String> {
    vec!["patient".into(), "conditions".into()]
}

impl Default for Prefetch {
    fn default() -> Self {
        Prefetch {
            budget_ms: d_budget(),
            max_bytes: d_max_bytes(),
            max_pages: d_max_pages(),
            required: d_required(),
            allow_http: false,
        }
    }
}

/// Token checks.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Auth {
    /// Clock skew allowed on `exp` and `iat` (seconds).
    #[serde(default = "d_skew")]
    pub clock_skew_s: u64,
    /// The longest lifetime (`exp` - `iat`) accepted (seconds); it bounds how long a `jti`
    /// is remembered.
    #[serde(default = "d_lifetime")]
    pub max_token_lifetime_s: u64,
    /// An unknown `kid` refreshes the issuer's key set at most this often (seconds).
    #[serde(default = "d_refresh")]
    pub jwks_refresh_min_interval_s: u64,
    /// A key set fetched is used this long before it is fetched again (seconds).
    #[serde(default = "d_ttl")]
    pub jwks_cache_ttl_s: u64,
    /// A key set fetch gives up after this (milliseconds).
    #[serde(default = "d_jwks_timeout")]
    pub jwks_timeout_ms: u64,
    /// The issuers trusted.
    #[serde(default)]
    pub issuers: Vec<Issuer>,
}

fn d_skew() -> u64 {
    30
}
fn d_lifetime() -> u64 {
    300
}
fn d_refresh() -> u64 {
    60
}
fn d_ttl() -> u64 {
    3_600
}
fn d_jwks_timeout() -> u64 {
    3_000
}

impl Default for Auth {
    fn default() -> Self {
        Auth {
            clock_skew_s: d_skew(),
            max_token_lifetime_s: d_lifetime(),
            jwks_refresh_min_interval_s: d_refresh(),
            jwks_cache_ttl_s: d_ttl(),
            jwks_timeout_ms: d_jwks_timeout(),
            issuers: Vec::new(),
        }
    }
}

/// A trusted issuer.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Issuer {
    /// Its `iss`, compared exactly.
    pub iss: String,
    /// Its key set's URL, used for tokens without `jku`.
    #[serde(default)]
    pub jwks_url: Option<String>,
    /// Its key set in a file, used for tokens without `jku` (exclusive with `jwks_url`).
    #[serde(default)]
    pub jwks_file: Option<PathBuf>,
    /// The `jku` values its tokens may carry, compared exactly; any other is refused and never
    /// fetched.
    #[serde(default)]
    pub jku: Vec<String>,
    /// The algorithms its tokens may use (ES384 and RS384 by default). `none` and HMAC are
    /// refused here too.
    #[serde(default = "d_algs")]
    pub algorithms: Vec<String>,
    /// FHIR servers its requests may name as `fhirServer` (compared without a trailing `/`);
    /// empty allows any of the allowed schemes.
    #[serde(default)]
    pub fhir_servers: Vec<String>,
}

fn d_algs() -> Vec<String> {
    vec!["ES384".into(), "RS384".into()]
}

/// Cross-origin requests.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Cors {
    /// The origins allowed (`https://ehr.example.org`), compared exactly; none by default.
    #[serde(default)]
    pub origins: Vec<String>,
}

/// `/metrics` on the main listener.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Metrics {
    /// A file holding the bearer token Prometheus sends (`bearer_token_file`); without it,
    /// `/metrics` on the main listener answers `401` to every call.
    #[serde(default)]
    pub token_file: Option<PathBuf>,
}

/// The operations listener.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Operations {
    /// Where to serve `/healthz`, `/readyz` and `/metrics` without a token (loopback or a
    /// cluster-internal address); none by default.
    #[serde(default)]
    pub listen: Option<String>,
}

/// Logs.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Log {
    /// `json` (one object per line) or `text`.
    #[serde(default = "d_format")]
    pub format: String,
    /// A `tracing` filter (`info`, `ipt_server=debug`).
    #[serde(default = "d_level")]
    pub level: String,
}

fn d_format() -> String {
    "json".into()
}
fn d_level() -> String {
    "info".into()
}

impl Default for Log {
    fn default() -> Self {
        Log {
            format: d_format(),
            level: d_level(),
        }
    }
}

/// Retention.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Retention {
    /// A card issued is remembered (so that feedback on it is accepted) this many days after
    /// it was last issued. Feedback itself is never deleted.
    #[serde(default = "d_cards_days")]
    pub cards_days: u64,
}

fn d_cards_days() -> u64 {
    400
}

impl Default for Retention {
    fn default() -> Self {
        Retention {
            cards_days: d_cards_days(),
        }
    }
}

/// The clock.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Clock {
    /// The offset from UTC of the date an assessment is made at (`+00:00` by default;
    /// `-05:00` for a service whose clinicians all work in one zone).
    #[serde(default = "d_offset")]
    pub utc_offset: String,
}

fn d_offset() -> String {
    "+00:00".into()
}

impl Default for Clock {
    fn default() -> Self {
        Clock {
            utc_offset: d_offset(),
        }
    }
}

/// The courses.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Courses {
    /// How a stored snapshot is checked each time the engine reads it: `digest` (the default:
    /// its state is used when its digest matches, replayed from its events otherwise) or
    /// `replay` (always replayed and compared; for a store others can write, since the
    /// digest is not a signature).
    #[serde(default = "d_verify")]
    pub verify: String,
}

fn d_verify() -> String {
    "digest".into()
}

impl Default for Courses {
    fn default() -> Self {
        Courses { verify: d_verify() }
    }
}

impl Default for Config {
    fn default() -> Self {
        Config {
            listen: default_listen(),
            public_url: None,
            store: default_store(),
            tls: None,
            limits: Limits::default(),
            prefetch: Prefetch::default(),
            auth: Auth::default(),
            cors: Cors::default(),
            metrics: Metrics::default(),
            operations: Operations::default(),
            log: Log::default(),
            retention: Retention::default(),
            clock: Clock::default(),
            courses: Courses::default(),
        }
    }
}

/// A configuration that cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// The file could not be read.
    #[error("cannot read {path}: {source}")]
    Read {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// The file is not valid TOML for this configuration.
    #[error("{path}: {message}")]
    Parse {
        /// The file.
        path: PathBuf,
        /// What is wrong, with where.
        message: String,
    },
    /// A value is not acceptable.
    #[error("configuration: {0}")]
    Invalid(String),
}

/// Values given by flag or environment variable, over the file.
#[derive(Debug, Clone, Default)]
pub struct Overrides {
    /// `--listen`, `IPT_SERVER_LISTEN`.
    pub listen: Option<String>,
    /// `--public-url`, `IPT_SERVER_PUBLIC_URL`.
    pub public_url: Option<String>,
    /// `--store`, `IPT_SERVER_STORE`.
    pub store: Option<String>,
    /// `--ops-listen`, `IPT_SERVER_OPS_LISTEN`.
    pub ops_listen: Option<String>,
    /// `--log-level`, `IPT_SERVER_LOG_LEVEL`.
    pub log_level: Option<String>,
    /// `--log-format`, `IPT_SERVER_LOG_FORMAT`.
    pub log_format: Option<String>,
}

impl Config {
    /// Reads a configuration file.
    pub fn from_file(path: &Path) -> Result<Config, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Read {
            path: path.to_owned(),
            source,
        })?;
        Config::from_toml(&text).map_err(|message| ConfigError::Parse {
            path: path.to_owned(),
            message,
        })
    }

    /// Reads a configuration from TOML text.
    pub fn from_toml(text: &str) -> Result<Config, String> {
        toml::from_str(text).map_err(|e| e.to_string())
    }

    /// Applies flags and environment variables.
    pub fn apply(&mut self, o: Overrides) {
        if let Some(v) = o.listen {
            self.listen = v;
        }
        if let Some(v) = o.public_url {
            self.public_url = Some(v);
        }
        if let Some(v) = o.store {
            self.store = v;
        }
        if let Some(v) = o.ops_listen {
            self.operations.listen = Some(v);
        }
        if let Some(v) = o.log_level {
            self.log.level = v;
        }
        if let Some(v) = o.log_format {
            self.log.format = v;
        }
    }

    /// Checks what serde cannot: URLs, algorithms, key sources, numbers in range.
    pub fn validate(&self) -> Result<(), ConfigError> {
        let bad = |m: String| Err(ConfigError::Invalid(m));
        if let Some(u) = &self.public_url {
            if !(u.starts_with("https://") || u.starts_with("http://")) || u.ends_with('/') {
                return bad(format!(
                    "public_url `{u}` is an http(s) URL without a trailing `/`"
                ));
            }
        }
        if !matches!(self.log.format.as_str(), "json" | "text") {
            return bad(format!(
                "log.format is `json` or `text`, not `{}`",
                self.log.format
            ));
        }
        if self.limits.concurrency == 0 || self.limits.request_timeout_ms == 0 {
            return bad("limits.concurrency and limits.request_timeout_ms are above 0".into());
        }
        if !matches!(self.courses.verify.as_str(), "digest" | "replay") {
            return bad(format!(
                "courses.verify is `digest` or `replay`, not `{}`",
                self.courses.verify
            ));
        }
        if self.prefetch.max_pages == 0 {
            return bad("prefetch.max_pages is at least 1".into());
        }
        crate::clock::parse_offset(&self.clock.utc_offset)
            .map_err(|e| ConfigError::Invalid(format!("clock.utc_offset: {e}")))?;
        let mut seen = std::collections::BTreeSet::new();
        for i in &self.auth.issuers {
            if i.iss.is_empty() || !seen.insert(i.iss.as_str()) {
                return bad(format!("issuer `{}` is empty or listed twice", i.iss));
            }
            if i.jwks_url.is_some() && i.jwks_file.is_some() {
                return bad(format!(
                    "issuer `{}`: jwks_url and jwks_file are exclusive",
                    i.iss
                ));
            }
            if i.jwks_url.is_none() && i.jwks_file.is_none() && i.jku.is_empty() {
                return bad(format!(
                    "issuer `{}` needs a key set: jwks_url, jwks_file or jku",
                    i.iss
                ));
            }
            if i.algorithms.is_empty() {
                return bad(format!("issuer `{}` allows no algorithm", i.iss));
            }
            for a in &i.algorithms {
                match Alg::parse(a) {
                    Ok(_) => {}
                    Err(AlgRefusal::None) | Err(AlgRefusal::Symmetric) => {
                        return bad(format!(
                        "issuer `{}`: `{a}` is never accepted (CDS Hooks forbids `none` and HMAC)",
                        i.iss
                    ))
                    }
                    Err(AlgRefusal::Unknown) => {
                        return bad(format!("issuer `{}`: unknown algorithm `{a}`", i.iss))
                    }
                }
            }
            for u in i.jku.iter().chain(i.jwks_url.iter()) {
                if !(u.starts_with("https://") || u.starts_with("http://")) {
                    return bad(format!("issuer `{}`: `{u}` is not an http(s) URL", i.iss));
                }
            }
        }
        for o in &self.cors.origins {
            if o == "*" || !(o.starts_with("https://") || o.starts_with("http://")) {
                return bad(format!(
                    "cors.origins lists origins (`https://ehr.example.org`), not `{o}`"
                ));
            }
        }
        Ok(())
    }

    /// The algorithms of an issuer, parsed (after [`Config::validate`]).
    pub fn algorithms(issuer: &Issuer) -> Vec<Alg> {
        issuer
            .algorithms
            .iter()
            .filter_map(|a| Alg::parse(a).ok())
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_and_a_full_file() {
        let c = Config::from_toml("").unwrap();
        assert_eq!(c.prefetch.required, ["patient", "conditions"]);
        assert_eq!(c.auth.clock_skew_s, 30);
        c.validate().unwrap();
        let c = Config::from_toml(
            r#"
            listen = "0.0.0.0:8443"
            public_url = "https://cds.example.org"
            store = "postgres://ipt@db/ipt"
            [tls]
            cert_file = "/etc/ipt/cert.pem"
            key_file = "/etc/ipt/key.pem"
            [[auth.issuers]]
            iss = "https://ehr.example.org"
            jwks_url = "https://ehr.example.org/jwks"
            jku = ["https://ehr.example.org/jwks"]
            [cors]
            origins = ["https://ehr.example.org"]
            "#,
        )
        .unwrap();
        c.validate().unwrap();
        assert_eq!(
            Config::algorithms(&c.auth.issuers[0]),
            [Alg::Es384, Alg::Rs384]
        );
    }

    #[test]
    fn typos_and_forbidden_values_are_errors() {
        assert!(Config::from_toml("lisen = \"x\"")
            .unwrap_err()
            .contains("lisen"));
        for (toml, needle) in [
            (
                "[[auth.issuers]]\niss = \"a\"\njwks_file = \"k\"\nalgorithms = [\"HS256\"]",
                "never accepted",
            ),
            (
                "[[auth.issuers]]\niss = \"a\"\njwks_file = \"k\"\nalgorithms = [\"none\"]",
                "never accepted",
            ),
            ("[[auth.issuers]]\niss = \"a\"", "needs a key set"),
            ("[cors]\norigins = [\"*\"]", "cors.origins"),
            ("public_url = \"https://x/\"", "trailing"),
            ("[clock]\nutc_offset = \"5\"", "utc_offset"),
        ] {
            let c = Config::from_toml(toml).unwrap();
            let e = c.validate().unwrap_err().to_string();
            assert!(e.contains(needle), "{toml}: {e}");
        }
    }

    #[test]
    fn overrides_win() {
        let mut c = Config::default();
        c.apply(Overrides {
            listen: Some("127.0.0.1:0".into()),
            store: Some("sqlite:x.db".into()),
            ..Overrides::default()
        });
        assert_eq!(c.listen, "127.0.0.1:0");
        assert_eq!(c.store, "sqlite:x.db");
    }
}
