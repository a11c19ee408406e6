//! The harness of the HTTP tests: the real `ipt-server` binary started on loopback (port 0)
//! with a configuration written per test, its logs in a file; an EHR's issuer with real ES384
//! and RS384 keys and its key set served on loopback (each fetch counted by path); a loopback
//! FHIR server; and the stores: SQLite in a temporary directory, or a fresh database on the
//! PostgreSQL that `scripts/test-server.sh` starts (`IPT_TEST_POSTGRES_URL`).

#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::HashMap;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::IntoResponse;
use axum::Router;
use ipt_server::jose::{Alg, SigningKey};
use serde_json::{json, Value};

pub mod courses;
pub mod fhir;

/// A store a server is started on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// A fresh directory under the target directory.
pub fn temp_dir(name: &str) -> PathBuf {
    let d = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("ipt-server-tests")
        .join(format!("{name}-{}", ipt_server::jose::random_hex(6)));
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// A fresh store URL for a backend.
pub async fn store_url(backend: Backend, dir: &Path) -> String {
    match backend {
        Backend::Sqlite => format!("sqlite:{}", dir.join("store.sqlite3").display()),
        Backend::Postgres => {
            let admin = std::env::var("IPT_TEST_POSTGRES_URL").expect(
                "IPT_TEST_POSTGRES_URL is not set: the PostgreSQL tests run from scripts/test-server.sh",
            );
            let db = format!("ipt_test_{}", ipt_server::jose::random_hex(6));
            let (client, conn) = tokio_postgres::connect(&admin, tokio_postgres::NoTls)
                .await
                .unwrap();
            tokio::spawn(conn);
            client
                .batch_execute(&format!("CREATE DATABASE {db}"))
                .await
                .unwrap();
            let base = admin.rsplit_once('/').unwrap().0;
            format!("{base}/{db}")
        }
    }
}

/// Key-set fetches seen, by path.
pub type Hits = Arc<Mutex<HashMap<String, usize>>>;

/// Key sets served, by path.
pub type Sets = Arc<Mutex<HashMap<String, Value>>>;

/// An EHR as an issuer: its keys and its key sets served on loopback.
pub struct Issuer {
    pub iss: String,
    pub es: SigningKey,
    pub rs: SigningKey,
    pub addr: SocketAddr,
    pub hits: Hits,
    /// Key sets served, by path (changeable while running).
    pub sets: Sets,
}

pub const ES_KID: &str = "ehr-es384";
pub const RS_KID: &str = "ehr-rs384";

async fn serve_set(State((sets, hits)): State<(Sets, Hits)>, uri: Uri) -> impl IntoResponse {
    let path = uri.path().to_owned();
    *hits.lock().unwrap().entry(path.clone()).or_default() += 1;
    match sets.lock().unwrap().get(&path) {
        Some(v) => (StatusCode::OK, v.to_string()).into_response(),
        None => StatusCode::NOT_FOUND.into_response(),
    }
}

impl Issuer {
    /// An issuer whose key set (both keys) is at `/jwks.json`, a second one at `/jku.json`,
    /// and an attacker's at `/evil.json`.
    pub async fn start() -> Issuer {
        let es = SigningKey::generate(Alg::Es384).unwrap();
        let rs = SigningKey::generate(Alg::Rs384).unwrap();
        let set = json!({"keys": [es.public_jwk(ES_KID), rs.public_jwk(RS_KID)]});
        let evil = SigningKey::generate(Alg::Es384).unwrap();
        let sets = Arc::new(Mutex::new(HashMap::from([
            ("/jwks.json".to_owned(), set.clone()),
            ("/jku.json".to_owned(), set),
            (
                "/evil.json".to_owned(),
                json!({"keys": [evil.public_jwk(ES_KID)]}),
            ),
        ])));
        let hits: Hits = Arc::default();
        let app = Router::new()
            .fallback(serve_set)
            .with_state((Arc::clone(&sets), Arc::clone(&hits)));
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        Issuer {
            iss: format!(
                "https://ehr-{}.example.org",
                ipt_server::jose::random_hex(3)
            ),
            es,
            rs,
            addr,
            hits,
            sets,
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    pub fn hits(&self, path: &str) -> usize {
        self.hits.lock().unwrap().get(path).copied().unwrap_or(0)
    }

    /// The issuer's configuration block.
    pub fn config(&self) -> String {
        format!(
            "[[auth.issuers]]\niss = \"{}\"\njwks_url = \"{}\"\njku = [\"{}\"]\n",
            self.iss,
            self.url("/jwks.json"),
            self.url("/jku.json")
        )
    }

    /// A token for `aud`, signed by the ES384 or RS384 key.
    pub fn token(&self, alg: Alg, aud: &str) -> String {
        self.token_with(alg, aud, |_, _| {})
    }

    /// A token with its header and claims edited before signing.
    pub fn token_with(
        &self,
        alg: Alg,
        aud: &str,
        edit: impl FnOnce(&mut Value, &mut Value),
    ) -> String {
        let (key, kid) = match alg {
            Alg::Rs384 => (&self.rs, RS_KID),
            _ => (&self.es, ES_KID),
        };
        let now = ipt_server::clock::now();
        let mut header = json!({"typ": "JWT", "kid": kid});
        let mut claims = json!({"iss": self.iss, "aud": aud, "iat": now, "exp": now + 300,
                                "jti": ipt_server::jose::random_hex(16)});
        edit(&mut header, &mut claims);
        key.sign_jwt(&header, &claims).unwrap()
    }
}

/// A running `ipt-server`.
pub struct Server {
    child: Option<Child>,
    pub dir: PathBuf,
    pub config: PathBuf,
    pub log: PathBuf,
    pub base: String,
    pub public_url: String,
    pub ops: Option<String>,
    pub store: String,
}

pub fn binary() -> &'static str {
    env!("CARGO_BIN_EXE_ipt-server")
}

impl Server {
    /// Starts the binary on `config` (TOML; `listen` and `store` are given as flags).
    pub async fn start(dir: &Path, store: &str, config: &str) -> Server {
        Server::start_with(dir, store, config, &[]).await
    }

    pub async fn start_with(dir: &Path, store: &str, config: &str, args: &[&str]) -> Server {
        Server::launch(dir, store, config, args, &[]).await
    }

    /// Starts the binary with flags and environment variables.
    pub async fn launch(
        dir: &Path,
        store: &str,
        config: &str,
        args: &[&str],
        envs: &[(&str, &str)],
    ) -> Server {
        let n = ipt_server::jose::random_hex(3);
        let path = dir.join(format!("config-{n}.toml"));
        std::fs::write(&path, config).unwrap();
        let ready = dir.join(format!("ready-{n}.json"));
        let log = dir.join(format!("server-{n}.log"));
        let child = Command::new(binary())
            .args(["--config", path.to_str().unwrap(), "--store", store])
            .args(["--ready-file", ready.to_str().unwrap()])
            .args(args)
            .env_remove("IPT_SERVER_LISTEN")
            .envs(envs.iter().copied())
            .stdout(Stdio::null())
            .stderr(std::fs::File::create(&log).unwrap())
            .spawn()
            .unwrap();
        let mut s = Server {
            child: Some(child),
            dir: dir.to_owned(),
            config: path,
            log,
            base: String::new(),
            public_url: String::new(),
            ops: None,
            store: store.to_owned(),
        };
        let start = Instant::now();
        loop {
            if let Ok(text) = std::fs::read_to_string(&ready) {
                if let Ok(v) = serde_json::from_str::<Value>(&text) {
                    let scheme = if v["tls"].as_bool().unwrap() {
                        "https"
                    } else {
                        "http"
                    };
                    s.base = format!("{scheme}://{}", v["listen"].as_str().unwrap());
                    s.public_url = v["public_url"].as_str().unwrap().to_owned();
                    s.ops = v["ops_listen"].as_str().map(|a| format!("http://{a}"));
                    return s;
                }
            }
            if let Some(status) = s.child.as_mut().unwrap().try_wait().unwrap() {
                panic!("ipt-server exited ({status}): {}", s.logs());
            }
            assert!(
                start.elapsed() < Duration::from_secs(30),
                "ipt-server did not start: {}",
                s.logs()
            );
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }

    /// The URL of a path on the address listened on.
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// The `aud` of a path: the public URL and the path.
    pub fn aud(&self, path: &str) -> String {
        format!("{}{path}", self.public_url)
    }

    pub fn logs(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    /// Waits until the log has a line containing all of `needles` (logs are written as they
    /// happen, but a test must not race the writer).
    pub async fn wait_log(&self, needles: &[&str]) -> String {
        let start = Instant::now();
        loop {
            let logs = self.logs();
            if logs.lines().any(|l| needles.iter().all(|n| l.contains(n))) {
                return logs;
            }
            assert!(
                start.elapsed() < Duration::from_secs(5),
                "no log line with {needles:?}:\n{logs}"
            );
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }

    pub fn pid(&self) -> u32 {
        self.child.as_ref().unwrap().id()
    }

    /// SIGKILL (`kill -9`: no shutdown, no flush), then waits for the exit.
    pub async fn kill9(&mut self) {
        let mut child = self.child.take().unwrap();
        Command::new("kill")
            .args(["-KILL", &child.id().to_string()])
            .status()
            .unwrap();
        let start = Instant::now();
        while child.try_wait().unwrap().is_none() {
            assert!(start.elapsed() < Duration::from_secs(10), "not killed");
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    }

    /// SIGTERM, then waits for the exit.
    pub async fn stop(&mut self) -> std::process::ExitStatus {
        let mut child = self.child.take().unwrap();
        Command::new("kill")
            .args(["-TERM", &child.id().to_string()])
            .status()
            .unwrap();
        let start = Instant::now();
        loop {
            if let Some(s) = child.try_wait().unwrap() {
                return s;
            }
            assert!(
                start.elapsed() < Duration::from_secs(30),
                "ipt-server did not stop"
            );
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Some(mut c) = self.child.take() {
            let _ = c.kill();
            let _ = c.wait();
        }
    }
}

/// An HTTP client for the tests.
pub fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(Duration::from_secs(30))
        .build()
        .unwrap()
}

/// An answer: status, headers, body.
pub struct Answer {
    pub status: u16,
    pub headers: reqwest::header::HeaderMap,
    pub body: String,
}

impl Answer {
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }
}

async fn answer(r: reqwest::RequestBuilder) -> Answer {
    let resp = r.send().await.unwrap();
    let status = resp.status().as_u16();
    let headers = resp.headers().clone();
    let body = resp.text().await.unwrap();
    Answer {
        status,
        headers,
        body,
    }
}

pub async fn get(url: &str, token: Option<&str>) -> Answer {
    let mut r = client().get(url);
    if let Some(t) = token {
        r = r.bearer_auth(t);
    }
    answer(r).await
}

pub async fn post(url: &str, token: Option<&str>, body: &str) -> Answer {
    let mut r = client()
        .post(url)
        .header("content-type", "application/json")
        .body(body.to_owned());
    if let Some(t) = token {
        r = r.bearer_auth(t);
    }
    answer(r).await
}

pub async fn send(r: reqwest::RequestBuilder) -> Answer {
    answer(r).await
}

/// The README's CDS Hooks example.
pub fn example() -> Value {
    serde_json::from_str(ipt_server::dev::EXAMPLE_REQUEST).unwrap()
}

/// The engine's own answer to a CDS Hooks body at today's date, with the server's rules URL.
pub fn engine_cards(body: &Value, public_url: &str) -> Value {
    let request = ipt_server::engine::Engine::request(
        &ipt_server::clock::today(time::UtcOffset::UTC),
        &format!("{public_url}/rules"),
        &body.to_string(),
    );
    let cards = ipt_server::engine::Engine::cards(&request).unwrap();
    serde_json::from_str(&cards.body).unwrap()
}

/// A base configuration for a server trusting `issuer`.
pub fn config_for(issuer: &Issuer, extra: &str) -> String {
    format!(
        "listen = \"127.0.0.1:0\"\n[prefetch]\nallow_http = true\n{extra}\n{}",
        issuer.config()
    )
}

/// Runs a test body against a backend; the PostgreSQL variant is ignored outside
/// `scripts/test-server.sh`.
#[macro_export]
macro_rules! both_backends {
    ($name:ident, $body:ident) => {
        mod $name {
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                super::$body($crate::common::Backend::Sqlite).await;
            }
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            #[ignore = "needs PostgreSQL: scripts/test-server.sh runs it"]
            async fn postgres() {
                super::$body($crate::common::Backend::Postgres).await;
            }
        }
    };
}

/// The headers of a test request.
pub fn headers_of(h: &HeaderMap) -> HashMap<String, String> {
    h.iter()
        .map(|(k, v)| (k.to_string(), v.to_str().unwrap_or_default().to_owned()))
        .collect()
}

/// CDS Hooks 2.0, "Use of JSON": no element null or empty, but an empty `cards` array.
pub fn assert_no_null_or_empty(v: &Value, at: &str) {
    match v {
        Value::Null => panic!("{at} is null"),
        Value::String(s) => assert!(!s.is_empty(), "{at} is an empty string"),
        Value::Array(a) => {
            assert!(!a.is_empty() || at == "$.cards", "{at} is an empty array");
            for (i, x) in a.iter().enumerate() {
                assert_no_null_or_empty(x, &format!("{at}[{i}]"));
            }
        }
        Value::Object(m) => {
            assert!(!m.is_empty(), "{at} is an empty object");
            for (k, x) in m {
                assert_no_null_or_empty(x, &format!("{at}.{k}"));
            }
        }
        _ => {}
    }
}

/// What CDS Hooks 2.0 asks of every card a service returns.
pub fn assert_cards_conform(cards: &Value) {
    assert_no_null_or_empty(cards, "$");
    for c in cards["cards"].as_array().unwrap() {
        assert!(c["summary"].as_str().unwrap().chars().count() < 140);
        assert!(["info", "warning", "critical"].contains(&c["indicator"].as_str().unwrap()));
        assert!(!c["source"]["label"].as_str().unwrap().is_empty());
        for r in c["overrideReasons"].as_array().into_iter().flatten() {
            assert!(r["display"].as_str().is_some_and(|d| !d.is_empty()), "{r}");
        }
        if let Some(suggestions) = c.get("suggestions") {
            assert!(
                c["selectionBehavior"].is_string(),
                "suggestions without selectionBehavior"
            );
            for s in suggestions.as_array().unwrap() {
                assert!(s.get("actionSelectionBehavior").is_none());
                assert!(
                    !s["label"].as_str().unwrap().is_empty(),
                    "a suggestion without a label"
                );
                for a in s["actions"].as_array().into_iter().flatten() {
                    assert!(["create", "update", "delete"].contains(&a["type"].as_str().unwrap()));
                    assert!(!a["description"].as_str().unwrap().is_empty());
                    if a["type"] == "create" {
                        assert!(
                            a["resource"]["resourceType"].is_string(),
                            "a create without a resource"
                        );
                    }
                }
            }
        }
        // GitHub-flavoured Markdown, without raw HTML (which clients may not render).
        if let Some(d) = c["detail"].as_str() {
            assert!(!d.contains('<'), "raw HTML in a detail: {d}");
        }
    }
}
