//! Operations over real HTTP: health, readiness (the store reachable), metrics behind their
//! token or on the operations listener, the OpenAPI document against the routes that answer,
//! the concurrency limit and the request timeout, a graceful shutdown, TLS served directly,
//! configuration by file, environment and flag, and the first run (`--dev`, `token --dev`).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use crate::common;

use std::time::{Duration, Instant};

use common::fhir::{self, Mode};
use common::{Backend, Issuer, Server};
use ipt_server::jose::Alg;
use serde_json::{json, Value};

const SERVICE: &str = "/cds-services/ipt-suitability";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn health_readiness_and_metrics() {
    let dir = common::temp_dir("ops");
    let issuer = Issuer::start().await;
    std::fs::write(dir.join("metrics-token"), "s3cret-metrics-token\n").unwrap();
    let extra = format!(
        "[metrics]\ntoken_file = \"{}\"\n[operations]\nlisten = \"127.0.0.1:0\"\n",
        dir.join("metrics-token").display()
    );
    let store = common::store_url(Backend::Sqlite, &dir).await;
    let config = format!("{}\n{extra}", common::config_for(&issuer, ""));
    let server = Server::start(&dir, &store, &config).await;
    let a = common::get(&server.url("/healthz"), None).await;
    assert_eq!((a.status, a.body.as_str()), (200, "ok\n"));
    let a = common::get(&server.url("/readyz"), None).await;
    assert_eq!(a.status, 200);
    assert_eq!(a.json(), json!({"ready": true, "store": "sqlite"}));
    // Some traffic: a call, a refusal, a fetch.
    let f = fhir::start(
        "example",
        Mode {
            page_size: 5,
            ..Mode::default()
        },
    )
    .await;
    let body = json!({"hook": "patient-view", "hookInstance": "m-1", "context": {"patientId": "example"},
        "fhirServer": f.base});
    let t = issuer.token(Alg::Es384, &server.aud(SERVICE));
    assert_eq!(
        common::post(&server.url(SERVICE), Some(&t), &body.to_string())
            .await
            .status,
        200
    );
    assert_eq!(
        common::get(&server.url("/cds-services"), None).await.status,
        401
    );
    // The metrics: not without the token, not with another.
    assert_eq!(common::get(&server.url("/metrics"), None).await.status, 401);
    assert_eq!(
        common::get(&server.url("/metrics"), Some("guess"))
            .await
            .status,
        401
    );
    let a = common::get(&server.url("/metrics"), Some("s3cret-metrics-token")).await;
    assert_eq!(a.status, 200);
    assert!(a.headers["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/plain"));
    for series in [
        "ipt_http_requests_total{route=\"/cds-services/{id}\",method=\"POST\",status=\"200\"} 1",
        "ipt_http_requests_total{route=\"/cds-services\",method=\"GET\",status=\"401\"} 1",
        "ipt_http_request_duration_seconds_bucket{route=\"/cds-services/{id}\",le=\"+Inf\"} 1",
        "ipt_token_failures_total{reason=\"no_token\"} 1",
        "ipt_token_failures_total{reason=\"metrics_token\"} 2",
        "ipt_prefetch_fetches_total{reason=\"ok\"}",
        "ipt_jwks_fetches_total{reason=\"ok\"} 1",
        "ipt_engine_call_duration_seconds_count 1",
    ] {
        assert!(a.body.contains(series), "no `{series}` in\n{}", a.body);
    }
    // The operations listener: no token needed.
    let ops = server.ops.clone().unwrap();
    let a = common::get(&format!("{ops}/metrics"), None).await;
    assert_eq!(a.status, 200);
    assert!(a.body.contains("ipt_http_requests_total"));
    assert_eq!(
        common::get(&format!("{ops}/readyz"), None).await.status,
        200
    );
    assert_eq!(
        common::get(&format!("{ops}/cds-services"), None)
            .await
            .status,
        404
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs PostgreSQL: scripts/test-server.sh runs it"]
async fn readiness_follows_the_store() {
    let dir = common::temp_dir("ops-ready");
    let issuer = Issuer::start().await;
    let store = common::store_url(Backend::Postgres, &dir).await;
    let server = Server::start(&dir, &store, &common::config_for(&issuer, "")).await;
    assert_eq!(common::get(&server.url("/readyz"), None).await.status, 200);
    let db = store.rsplit_once('/').unwrap().1.to_owned();
    let (admin, conn) = tokio_postgres::connect(
        &std::env::var("IPT_TEST_POSTGRES_URL").unwrap(),
        tokio_postgres::NoTls,
    )
    .await
    .unwrap();
    tokio::spawn(conn);
    admin
        .batch_execute(&format!(
            "ALTER DATABASE {db} ALLOW_CONNECTIONS false; \
             SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{db}'"
        ))
        .await
        .unwrap();
    let a = common::get(&server.url("/readyz"), None).await;
    assert_eq!(a.status, 503, "{}", a.body);
    assert_eq!(a.json()["ready"], false);
    // A token cannot be checked without the store: 503, not a pass.
    let t = issuer.token(Alg::Es384, &server.aud("/cds-services"));
    assert_eq!(
        common::get(&server.url("/cds-services"), Some(&t))
            .await
            .status,
        503
    );
    admin
        .batch_execute(&format!("ALTER DATABASE {db} ALLOW_CONNECTIONS true"))
        .await
        .unwrap();
    let start = Instant::now();
    while common::get(&server.url("/readyz"), None).await.status != 200 {
        assert!(start.elapsed() < Duration::from_secs(10), "not ready again");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_openapi_document_is_the_routes_that_answer() {
    let dir = common::temp_dir("ops-openapi");
    let issuer = Issuer::start().await;
    let store = common::store_url(Backend::Sqlite, &dir).await;
    let server = Server::start(&dir, &store, &common::config_for(&issuer, "")).await;
    let t = issuer.token(Alg::Es384, &server.aud("/openapi.json"));
    let a = common::get(&server.url("/openapi.json"), Some(&t)).await;
    assert_eq!(a.status, 200);
    let doc = a.json();
    let out = std::process::Command::new(common::binary())
        .args(["openapi", "--public-url", &server.public_url])
        .output()
        .unwrap();
    assert_eq!(serde_json::from_slice::<Value>(&out.stdout).unwrap(), doc);
    // Every documented operation reaches its route (never the fallback), and asks for a token
    // exactly when the document says so.
    let mut n = 0;
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            let concrete = path
                .replace("/rules/{id}", "/rules/C-PSYCHOSIS")
                .replace("{id}", "ipt-suitability");
            let req = match method.as_str() {
                "get" => common::client().get(server.url(&concrete)),
                "post" => common::client()
                    .post(server.url(&concrete))
                    .header("content-type", "application/json")
                    .body("{}"),
                m => panic!("{m}"),
            };
            let a = common::send(req).await;
            let secured = !op["security"].as_array().unwrap().is_empty();
            if secured {
                assert_eq!(a.status, 401, "{method} {path} without a token");
            } else {
                assert_eq!(a.status, 200, "{method} {path}: {}", a.body);
            }
            assert!(
                op["responses"].get(a.status.to_string()).is_some(),
                "{method} {path}: {} undocumented",
                a.status
            );
            n += 1;
        }
    }
    assert_eq!(n, ipt_server::app::routes().added.len());
    // An undocumented route is the fallback.
    let a = common::get(&server.url("/cds-services/ipt-suitability/cards"), None).await;
    assert_eq!(a.status, 404);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_concurrency_limit_queues_and_the_timeout_answers_503() {
    let issuer = Issuer::start().await;
    let slow = fhir::start(
        "example",
        Mode {
            page_size: 50,
            slow: Some(Duration::from_millis(1_200)),
            ..Mode::default()
        },
    )
    .await;
    let slow_call = json!({"hook": "patient-view", "hookInstance": "c-1", "context": {"patientId": "example"},
        "fhirServer": slow.base});
    // One request at a time: a fast call waits for the slow one.
    let dir = common::temp_dir("ops-limit");
    let store = common::store_url(Backend::Sqlite, &dir).await;
    let config = format!(
        "{}\n[limits]\nconcurrency = 1\n",
        common::config_for(&issuer, "budget_ms = 5000")
    );
    let server = Server::start(&dir, &store, &config).await;
    let t1 = issuer.token(Alg::Es384, &server.aud(SERVICE));
    let t2 = issuer.token(Alg::Es384, &server.aud(SERVICE));
    let url = server.url(SERVICE);
    let first = tokio::spawn({
        let (url, body) = (url.clone(), slow_call.to_string());
        async move { common::post(&url, Some(&t1), &body).await.status }
    });
    tokio::time::sleep(Duration::from_millis(200)).await;
    // The health checks answer at once, outside the limit.
    let start = Instant::now();
    assert_eq!(common::get(&server.url("/readyz"), None).await.status, 200);
    assert!(
        start.elapsed() < Duration::from_millis(500),
        "readyz waited for a slot"
    );
    let start = Instant::now();
    let a = common::post(&url, Some(&t2), &common::example().to_string()).await;
    let waited = start.elapsed();
    assert_eq!(a.status, 200);
    assert!(
        waited > Duration::from_millis(700),
        "the second call did not wait: {waited:?}"
    );
    assert_eq!(first.await.unwrap(), 200);
    // A request past the timeout: 503.
    let dir = common::temp_dir("ops-timeout");
    let store = common::store_url(Backend::Sqlite, &dir).await;
    let config = format!(
        "{}\n[limits]\nrequest_timeout_ms = 400\n",
        common::config_for(&issuer, "budget_ms = 5000")
    );
    let server = Server::start(&dir, &store, &config).await;
    let start = Instant::now();
    let a = common::post(
        &server.url(SERVICE),
        Some(&issuer.token(Alg::Es384, &server.aud(SERVICE))),
        &slow_call.to_string(),
    )
    .await;
    assert_eq!(a.status, 503, "{}", a.body);
    assert!(start.elapsed() < Duration::from_millis(1_100));
    assert_eq!(
        a.json()["issue"][0]["details"]["coding"][0]["code"],
        "unavailable"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_graceful_shutdown_finishes_the_requests_in_flight() {
    let dir = common::temp_dir("ops-shutdown");
    let issuer = Issuer::start().await;
    let store = common::store_url(Backend::Sqlite, &dir).await;
    let mut server = Server::start(
        &dir,
        &store,
        &common::config_for(&issuer, "budget_ms = 5000"),
    )
    .await;
    let slow = fhir::start(
        "example",
        Mode {
            page_size: 50,
            slow: Some(Duration::from_millis(800)),
            ..Mode::default()
        },
    )
    .await;
    let body = json!({"hook": "patient-view", "hookInstance": "g-1", "context": {"patientId": "example"},
        "fhirServer": slow.base});
    let t = issuer.token(Alg::Es384, &server.aud(SERVICE));
    let url = server.url(SERVICE);
    let in_flight =
        tokio::spawn(async move { common::post(&url, Some(&t), &body.to_string()).await.status });
    tokio::time::sleep(Duration::from_millis(200)).await;
    let status = server.stop().await;
    assert!(status.success(), "{status}");
    assert_eq!(in_flight.await.unwrap(), 200, "{}", server.logs());
    assert!(server.logs().contains("shutting down"));
    // Nothing listens any more.
    assert!(common::client()
        .get(server.url("/healthz"))
        .send()
        .await
        .is_err());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tls_is_served_directly() {
    let dir = common::temp_dir("ops-tls");
    let issuer = Issuer::start().await;
    let cert =
        rcgen::generate_simple_self_signed(vec!["127.0.0.1".to_owned(), "localhost".to_owned()])
            .unwrap();
    std::fs::write(dir.join("cert.pem"), cert.cert.pem()).unwrap();
    std::fs::write(dir.join("key.pem"), cert.signing_key.serialize_pem()).unwrap();
    let config = format!(
        "{}\n[tls]\ncert_file = \"{}\"\nkey_file = \"{}\"\n",
        common::config_for(&issuer, ""),
        dir.join("cert.pem").display(),
        dir.join("key.pem").display()
    );
    let store = common::store_url(Backend::Sqlite, &dir).await;
    let server = Server::start(&dir, &store, &config).await;
    assert!(server.public_url.starts_with("https://127.0.0.1:"));
    let client = reqwest::Client::builder()
        .tls_certs_only([reqwest::Certificate::from_pem(cert.cert.pem().as_bytes()).unwrap()])
        .build()
        .unwrap();
    let t = issuer.token(Alg::Es384, &server.aud("/cds-services"));
    let a = common::send(client.get(server.url("/cds-services")).bearer_auth(t)).await;
    assert_eq!(a.status, 200, "{}", a.body);
    // Plain HTTP to the TLS port gets no HTTP answer.
    let plain = server.url("/healthz").replace("https://", "http://");
    let r = common::client().get(plain).send().await;
    assert!(r.is_err() || r.unwrap().status().as_u16() >= 400);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn configuration_comes_from_file_environment_and_flags() {
    let dir = common::temp_dir("ops-config");
    // A typo in the file is an error that names it.
    std::fs::write(dir.join("bad.toml"), "lisen = \"127.0.0.1:0\"\n").unwrap();
    let out = std::process::Command::new(common::binary())
        .args(["--config", dir.join("bad.toml").to_str().unwrap()])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("lisen"));
    // HMAC cannot be configured.
    std::fs::write(
        dir.join("hs.toml"),
        "[[auth.issuers]]\niss = \"x\"\njwks_file = \"k\"\nalgorithms = [\"HS256\"]\n",
    )
    .unwrap();
    let out = std::process::Command::new(common::binary())
        .args(["--config", dir.join("hs.toml").to_str().unwrap()])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("never accepted"));
    // The environment over the file, and a flag over the environment: the public URL (a
    // proxy's, with a path prefix) is what tokens are checked against.
    let issuer = Issuer::start().await;
    let store = common::store_url(Backend::Sqlite, &dir).await;
    let config = format!(
        "public_url = \"https://file.example.org\"\n{}",
        common::config_for(&issuer, "")
    );
    let env = [("IPT_SERVER_PUBLIC_URL", "https://env.example.org/ipt")];
    let server = Server::launch(&dir, &store, &config, &[], &env).await;
    assert_eq!(server.public_url, "https://env.example.org/ipt");
    let t = issuer.token(Alg::Es384, "https://env.example.org/ipt/cds-services");
    assert_eq!(
        common::get(&server.url("/cds-services"), Some(&t))
            .await
            .status,
        200
    );
    let server = Server::launch(
        &dir,
        &store,
        &config,
        &["--public-url", "https://flag.example.org"],
        &env,
    )
    .await;
    assert_eq!(server.public_url, "https://flag.example.org");
    // Cards link to the rule pages at the public URL.
    let t = issuer.token(
        Alg::Es384,
        "https://flag.example.org/cds-services/ipt-suitability",
    );
    let a = common::post(
        &server.url(SERVICE),
        Some(&t),
        &common::example().to_string(),
    )
    .await;
    assert_eq!(
        a.json()["cards"][0]["source"]["url"],
        "https://flag.example.org/rules/C-PSYCHOSIS"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_first_run_prints_a_call_that_works() {
    let dir = common::temp_dir("ops-dev");
    let dev_dir = dir.join("dev");
    let ready = dir.join("ready.json");
    let stdout = dir.join("stdout.txt");
    let mut child = std::process::Command::new(common::binary())
        .args([
            "--dev",
            "--dev-dir",
            dev_dir.to_str().unwrap(),
            "--ready-file",
            ready.to_str().unwrap(),
        ])
        .stdout(std::fs::File::create(&stdout).unwrap())
        .stderr(std::fs::File::create(dir.join("stderr.txt")).unwrap())
        .spawn()
        .unwrap();
    let start = Instant::now();
    let printed = loop {
        let text = std::fs::read_to_string(&stdout).unwrap_or_default();
        if text.contains("More tokens") {
            break text;
        }
        assert!(
            start.elapsed() < Duration::from_secs(30),
            "no curl line: {text}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    let curl = printed.lines().find(|l| l.starts_with("curl ")).unwrap();
    // The printed line, run by curl itself.
    let out = std::process::Command::new("sh")
        .arg("-c")
        .arg(curl)
        .output()
        .unwrap();
    let cards: Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stdout)));
    assert_eq!(cards["cards"][0]["source"]["topic"]["code"], "C-PSYCHOSIS");
    // `token --dev` mints another.
    let url = curl.split_whitespace().nth(2).unwrap().to_owned();
    let out = std::process::Command::new(common::binary())
        .args([
            "token",
            "--dev",
            "--dir",
            dev_dir.to_str().unwrap(),
            "--count",
            "2",
        ])
        .output()
        .unwrap();
    let tokens: Vec<String> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(str::to_owned)
        .collect();
    assert_eq!(tokens.len(), 2);
    assert_ne!(tokens[0], tokens[1]);
    let a = common::post(&url, Some(&tokens[1]), ipt_server::dev::EXAMPLE_REQUEST).await;
    assert_eq!(a.status, 200, "{}", a.body);
    let _ = child.kill();
    let _ = child.wait();
}
