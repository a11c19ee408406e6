//! The token checks over real HTTP: ES384 and RS384 tokens accepted on every protected route,
//! and the refusal matrix of the issue, each a bare `401` whose reason the server logged. On
//! SQLite and on PostgreSQL.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use crate::common;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use common::{Backend, Issuer, Server};
use ipt_server::jose::Alg;
use serde_json::{json, Value};

const DISCOVERY: &str = "/cds-services";
const SERVICE: &str = "/cds-services/ipt-suitability";
const FEEDBACK: &str = "/cds-services/ipt-suitability/feedback";

fn refusals(server: &Server, reason: &str) -> usize {
    let needle = format!("\"reason\":\"{reason}\"");
    server
        .logs()
        .lines()
        .filter(|l| l.contains("token refused") && l.contains(&needle))
        .count()
}

/// Sends a request and checks it is a bare 401 for `reason` (one more such line in the log).
async fn refused(
    server: &Server,
    what: &str,
    reason: &str,
    req: impl std::future::Future<Output = common::Answer>,
) {
    let before = refusals(server, reason);
    let a = req.await;
    assert_eq!(a.status, 401, "{what}: {}", a.body);
    assert!(
        a.body.is_empty(),
        "{what}: a 401 has no body, got {}",
        a.body
    );
    assert_eq!(
        a.headers
            .get("www-authenticate")
            .map(|v| v.to_str().unwrap()),
        Some("Bearer"),
        "{what}"
    );
    let start = std::time::Instant::now();
    while refusals(server, reason) <= before {
        assert!(
            start.elapsed().as_secs() < 5,
            "{what}: no `{reason}` refusal logged:\n{}",
            server.logs()
        );
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
}

fn b64(v: &Value) -> String {
    URL_SAFE_NO_PAD.encode(v.to_string())
}

async fn accepted_on_every_route(backend: Backend) {
    let dir = common::temp_dir("auth-ok");
    let issuer = Issuer::start().await;
    let store = common::store_url(backend, &dir).await;
    let server = Server::start(&dir, &store, &common::config_for(&issuer, "")).await;
    let body = common::example().to_string();
    for alg in [Alg::Es384, Alg::Rs384] {
        let a = common::get(
            &server.url(DISCOVERY),
            Some(&issuer.token(alg, &server.aud(DISCOVERY))),
        )
        .await;
        assert_eq!(a.status, 200, "{alg} discovery: {}", a.body);
        let a = common::post(
            &server.url(SERVICE),
            Some(&issuer.token(alg, &server.aud(SERVICE))),
            &body,
        )
        .await;
        assert_eq!(a.status, 200, "{alg} service: {}", a.body);
        let uuid = a.json()["cards"][0]["uuid"].as_str().unwrap().to_owned();
        let fb = json!({"feedback": [{"card": uuid, "outcome": "overridden",
            "outcomeTimestamp": "2026-01-05T10:00:00Z"}]});
        let a = common::post(
            &server.url(FEEDBACK),
            Some(&issuer.token(alg, &server.aud(FEEDBACK))),
            &fb.to_string(),
        )
        .await;
        assert_eq!(a.status, 200, "{alg} feedback: {}", a.body);
        let path = "/feedback/summary";
        let a = common::get(
            &server.url(path),
            Some(&issuer.token(alg, &server.aud(path))),
        )
        .await;
        assert_eq!(a.status, 200, "{alg} summary: {}", a.body);
        let path = "/openapi.json";
        let a = common::get(
            &server.url(path),
            Some(&issuer.token(alg, &server.aud(path))),
        )
        .await;
        assert_eq!(a.status, 200, "{alg} openapi: {}", a.body);
    }
    // aud as an array holding the URL (RFC 7519), and a token through the allowed jku.
    let t = issuer.token_with(Alg::Es384, "", |_, c| {
        c["aud"] = json!([server.aud(DISCOVERY)])
    });
    assert_eq!(
        common::get(&server.url(DISCOVERY), Some(&t)).await.status,
        200
    );
    let jku = issuer.url("/jku.json");
    let t = issuer.token_with(Alg::Es384, &server.aud(DISCOVERY), |h, _| {
        h["jku"] = json!(jku)
    });
    assert_eq!(
        common::get(&server.url(DISCOVERY), Some(&t)).await.status,
        200
    );
    assert_eq!(issuer.hits("/jku.json"), 1);
}
both_backends!(
    es384_and_rs384_tokens_are_accepted_on_every_protected_route,
    accepted_on_every_route
);

async fn refusal_matrix(backend: Backend) {
    let dir = common::temp_dir("auth-matrix");
    let issuer = Issuer::start().await;
    let store = common::store_url(backend, &dir).await;
    let config = common::config_for(&issuer, "");
    let mut server = Server::start(&dir, &store, &config).await;
    let url = server.url(DISCOVERY);
    let aud = server.aud(DISCOVERY);
    let now = ipt_server::clock::now();

    refused(&server, "no token", "no_token", common::get(&url, None)).await;
    let a = common::send(
        common::client()
            .get(&url)
            .header("authorization", "Basic dXNlcjpwYXNz"),
    )
    .await;
    assert_eq!(a.status, 401, "basic auth");
    refused(
        &server,
        "not a JWT",
        "malformed",
        common::get(&url, Some("not.a.jwt")),
    )
    .await;

    let t = issuer.token_with(Alg::Es384, &aud, |_, c| {
        c["iat"] = json!(now - 400);
        c["exp"] = json!(now - 100);
    });
    refused(&server, "expired", "expired", common::get(&url, Some(&t))).await;
    let t = issuer.token_with(Alg::Es384, &aud, |_, c| {
        c["iat"] = json!(now + 120);
        c["exp"] = json!(now + 300);
    });
    refused(
        &server,
        "iat in the future",
        "iat_future",
        common::get(&url, Some(&t)),
    )
    .await;
    let t = issuer.token_with(Alg::Es384, &aud, |_, c| c["exp"] = json!(now + 3_600));
    refused(
        &server,
        "a lifetime over the maximum",
        "lifetime",
        common::get(&url, Some(&t)),
    )
    .await;

    // Wrong aud: another URL, and each endpoint's token at the others.
    let t = issuer.token(Alg::Es384, "https://cds.example.org/cds-services");
    refused(
        &server,
        "aud another server",
        "audience",
        common::get(&url, Some(&t)),
    )
    .await;
    let t = issuer.token(Alg::Es384, &server.aud(FEEDBACK));
    refused(
        &server,
        "the feedback token at discovery",
        "audience",
        common::get(&url, Some(&t)),
    )
    .await;
    let t = issuer.token(Alg::Es384, &server.aud(DISCOVERY));
    let fb = r#"{"feedback": [{"card": "x", "outcome": "overridden", "outcomeTimestamp": "2026-01-05T10:00:00Z"}]}"#;
    refused(
        &server,
        "the discovery token at feedback",
        "audience",
        common::post(&server.url(FEEDBACK), Some(&t), fb),
    )
    .await;
    let t = issuer.token(Alg::Es384, &server.aud(SERVICE));
    refused(
        &server,
        "the service token at discovery",
        "audience",
        common::get(&url, Some(&t)),
    )
    .await;

    // Reused jti.
    let t = issuer.token(Alg::Es384, &aud);
    assert_eq!(common::get(&url, Some(&t)).await.status, 200);
    refused(
        &server,
        "a reused jti",
        "replay",
        common::get(&url, Some(&t)),
    )
    .await;
    // The same jti in a new token is a replay too.
    let jti_token = issuer.token_with(Alg::Rs384, &aud, |_, c| c["jti"] = json!("fixed-jti-1"));
    assert_eq!(common::get(&url, Some(&jti_token)).await.status, 200);
    let t = issuer.token_with(Alg::Es384, &aud, |_, c| c["jti"] = json!("fixed-jti-1"));
    refused(
        &server,
        "a jti reused by another token",
        "replay",
        common::get(&url, Some(&t)),
    )
    .await;

    // alg none: an unsigned token.
    let claims = json!({"iss": issuer.iss, "aud": aud, "iat": now, "exp": now + 300, "jti": "n1"});
    let t = format!(
        "{}.{}.",
        b64(&json!({"alg": "none", "typ": "JWT", "kid": common::ES_KID})),
        b64(&claims)
    );
    refused(&server, "alg none", "alg_none", common::get(&url, Some(&t))).await;
    // HS256 with the issuer's public key as the secret (the key-confusion attack), both as
    // the JWK text and as the raw EC point.
    for secret in [
        issuer
            .es
            .public_jwk(common::ES_KID)
            .to_string()
            .into_bytes(),
        serde_json::to_vec(&issuer.rs.public_jwk(common::RS_KID)).unwrap(),
    ] {
        let input = format!(
            "{}.{}",
            b64(&json!({"alg": "HS256", "typ": "JWT", "kid": common::ES_KID})),
            b64(&claims)
        );
        let key = aws_lc_rs::hmac::Key::new(aws_lc_rs::hmac::HMAC_SHA256, &secret);
        let sig = aws_lc_rs::hmac::sign(&key, input.as_bytes());
        let t = format!("{input}.{}", URL_SAFE_NO_PAD.encode(sig.as_ref()));
        refused(
            &server,
            "HS256 signed with the public key",
            "alg_symmetric",
            common::get(&url, Some(&t)),
        )
        .await;
    }
    // Tampered signature, tampered payload.
    let t = issuer.token(Alg::Es384, &aud);
    let (rest, sig) = t.rsplit_once('.').unwrap();
    let mut sig = URL_SAFE_NO_PAD.decode(sig).unwrap();
    sig[10] ^= 0x01;
    let t2 = format!("{rest}.{}", URL_SAFE_NO_PAD.encode(&sig));
    refused(
        &server,
        "a tampered signature",
        "bad_signature",
        common::get(&url, Some(&t2)),
    )
    .await;
    let mut parts: Vec<String> = t.split('.').map(str::to_owned).collect();
    let mut c: Value = serde_json::from_slice(&URL_SAFE_NO_PAD.decode(&parts[1]).unwrap()).unwrap();
    c["tenant"] = json!("someone-else");
    parts[1] = b64(&c);
    refused(
        &server,
        "a tampered payload",
        "bad_signature",
        common::get(&url, Some(&parts.join("."))),
    )
    .await;

    // Unknown kid: one refresh of the key set, then no more within the interval.
    let fetched = issuer.hits("/jwks.json");
    assert_eq!(fetched, 1, "the key set was fetched once so far");
    let t = issuer.token_with(Alg::Es384, &aud, |h, _| h["kid"] = json!("rotated-away"));
    refused(
        &server,
        "an unknown kid",
        "unknown_kid",
        common::get(&url, Some(&t)),
    )
    .await;
    assert_eq!(
        issuer.hits("/jwks.json"),
        2,
        "one refresh for the unknown kid"
    );
    let t = issuer.token_with(Alg::Es384, &aud, |h, _| h["kid"] = json!("rotated-away-2"));
    refused(
        &server,
        "a second unknown kid",
        "unknown_kid",
        common::get(&url, Some(&t)),
    )
    .await;
    assert_eq!(issuer.hits("/jwks.json"), 2, "the refresh is rate-limited");

    // A jku off the allowlist is refused and never fetched.
    let evil = issuer.url("/evil.json");
    let t = issuer.token_with(Alg::Es384, &aud, |h, _| h["jku"] = json!(evil));
    refused(
        &server,
        "a jku off the allowlist",
        "jku_not_allowed",
        common::get(&url, Some(&t)),
    )
    .await;
    assert_eq!(
        issuer.hits("/evil.json"),
        0,
        "the jku off the allowlist was fetched"
    );

    // An issuer not on the list (signed with a real key the server does not know).
    let other = Issuer::start().await;
    let t = other.token(Alg::Es384, &aud);
    refused(
        &server,
        "an issuer not on the list",
        "unknown_issuer",
        common::get(&url, Some(&t)),
    )
    .await;
    assert_eq!(other.hits("/jwks.json"), 0);

    // The rest of the header and claims.
    let t = issuer.token_with(Alg::Es384, &aud, |h, _| h["typ"] = json!("at+jwt"));
    refused(&server, "typ not JWT", "typ", common::get(&url, Some(&t))).await;
    let t = issuer.token_with(Alg::Es384, &aud, |h, _| h["crit"] = json!(["exp"]));
    refused(&server, "crit", "crit", common::get(&url, Some(&t))).await;
    let t = issuer.token_with(Alg::Es384, &aud, |h, _| {
        h.as_object_mut().unwrap().remove("kid");
    });
    refused(&server, "no kid", "no_kid", common::get(&url, Some(&t))).await;
    let t = issuer.token_with(Alg::Es384, &aud, |_, c| {
        c.as_object_mut().unwrap().remove("jti");
    });
    refused(&server, "no jti", "claims", common::get(&url, Some(&t))).await;
    let t = issuer.token_with(Alg::Es384, &aud, |_, c| c["tenant"] = json!(7));
    refused(
        &server,
        "a tenant that is not a string",
        "claims",
        common::get(&url, Some(&t)),
    )
    .await;
    let t = issuer.token_with(Alg::Es384, &aud, |h, _| h["kid"] = json!(common::RS_KID));
    refused(
        &server,
        "an ES384 token naming the RSA key",
        "key_alg_mismatch",
        common::get(&url, Some(&t)),
    )
    .await;
    let rs256 = {
        let input = format!(
            "{}.{}",
            b64(&json!({"alg": "RS256", "typ": "JWT", "kid": common::RS_KID})),
            b64(&json!({"iss": issuer.iss, "aud": aud, "iat": now, "exp": now + 300, "jti": "r1"}))
        );
        format!(
            "{input}.{}",
            URL_SAFE_NO_PAD.encode(issuer.rs.sign(input.as_bytes()).unwrap())
        )
    };
    refused(
        &server,
        "RS256, not configured",
        "alg_not_allowed",
        common::get(&url, Some(&rs256)),
    )
    .await;

    // The jti window survives a restart: the token accepted before is refused after.
    let t = issuer.token(Alg::Es384, &aud);
    assert_eq!(common::get(&url, Some(&t)).await.status, 200);
    assert!(server.stop().await.success());
    // The restarted server listens elsewhere but is called at the same public URL.
    let pinned = format!("public_url = \"{}\"\n{config}", server.public_url);
    let server2 = Server::start(&dir, &store, &pinned).await;
    refused(
        &server2,
        "a jti reused after a restart",
        "replay",
        common::get(&server2.url(DISCOVERY), Some(&t)),
    )
    .await;
    assert_eq!(
        common::get(
            &server2.url(DISCOVERY),
            Some(&issuer.token(Alg::Es384, &aud))
        )
        .await
        .status,
        200
    );
    // No log line holds a token.
    for logs in [server.logs(), server2.logs()] {
        assert!(!logs.contains(&t), "a token in the log");
        assert!(!logs.contains("eyJ"), "something like a token in the log");
    }
}
both_backends!(
    the_refusal_matrix_is_a_bare_401_for_each_reason,
    refusal_matrix
);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_rotated_key_is_found_by_one_refresh() {
    let dir = common::temp_dir("auth-rotate");
    let issuer = Issuer::start().await;
    let store = common::store_url(Backend::Sqlite, &dir).await;
    let server = Server::start(&dir, &store, &common::config_for(&issuer, "")).await;
    let aud = server.aud(DISCOVERY);
    assert_eq!(
        common::get(
            &server.url(DISCOVERY),
            Some(&issuer.token(Alg::Es384, &aud))
        )
        .await
        .status,
        200
    );
    // The EHR rotates: a new key appears in its key set.
    let new = ipt_server::jose::SigningKey::generate(Alg::Es384).unwrap();
    issuer.sets.lock().unwrap().get_mut("/jwks.json").unwrap()["keys"]
        .as_array_mut()
        .unwrap()
        .push(new.public_jwk("ehr-es384-2026"));
    let now = ipt_server::clock::now();
    let t = new
        .sign_jwt(
            &json!({"typ": "JWT", "kid": "ehr-es384-2026"}),
            &json!({"iss": issuer.iss, "aud": aud, "iat": now, "exp": now + 60, "jti": "rot-1"}),
        )
        .unwrap();
    let a = common::get(&server.url(DISCOVERY), Some(&t)).await;
    assert_eq!(a.status, 200, "{}", server.logs());
    assert_eq!(issuer.hits("/jwks.json"), 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_key_set_that_cannot_be_fetched_is_retried_at_most_once_an_interval() {
    let dir = common::temp_dir("auth-jwks-down");
    let issuer = Issuer::start().await;
    let set = issuer.sets.lock().unwrap().remove("/jwks.json").unwrap();
    let store = common::store_url(Backend::Sqlite, &dir).await;
    let config = common::config_for(&issuer, "").replace(
        "[[auth.issuers]]",
        "[auth]\njwks_refresh_min_interval_s = 3\n[[auth.issuers]]",
    );
    let server = Server::start(&dir, &store, &config).await;
    let url = server.url(DISCOVERY);
    let t = issuer.token(Alg::Es384, &server.aud(DISCOVERY));
    refused(
        &server,
        "the key set is down",
        "keys_unavailable",
        common::get(&url, Some(&t)),
    )
    .await;
    let t = issuer.token(Alg::Es384, &server.aud(DISCOVERY));
    refused(
        &server,
        "still down, within the interval",
        "keys_unavailable",
        common::get(&url, Some(&t)),
    )
    .await;
    assert_eq!(
        issuer.hits("/jwks.json"),
        1,
        "no second fetch within the interval"
    );
    issuer.sets.lock().unwrap().insert("/jwks.json".into(), set);
    tokio::time::sleep(std::time::Duration::from_millis(3_100)).await;
    let t = issuer.token(Alg::Es384, &server.aud(DISCOVERY));
    assert_eq!(common::get(&url, Some(&t)).await.status, 200);
    assert_eq!(issuer.hits("/jwks.json"), 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cors_allows_the_configured_origins_and_the_authorization_header() {
    let dir = common::temp_dir("cors");
    let issuer = Issuer::start().await;
    let store = common::store_url(Backend::Sqlite, &dir).await;
    let config = common::config_for(&issuer, "[cors]\norigins = [\"https://ehr.example.org\"]");
    let server = Server::start(&dir, &store, &config).await;
    let preflight = |origin: &str| {
        common::client()
            .request(reqwest::Method::OPTIONS, server.url(SERVICE))
            .header("origin", origin)
            .header("access-control-request-method", "POST")
            .header(
                "access-control-request-headers",
                "authorization,content-type",
            )
    };
    let a = common::send(preflight("https://ehr.example.org")).await;
    assert!(a.status < 300, "{}", a.status);
    assert_eq!(
        a.headers["access-control-allow-origin"],
        "https://ehr.example.org"
    );
    let allowed = a.headers["access-control-allow-headers"]
        .to_str()
        .unwrap()
        .to_ascii_lowercase();
    assert!(allowed.contains("authorization"), "{allowed}");
    assert!(a.headers.get("access-control-allow-credentials").is_none());
    let a = common::send(preflight("https://evil.example.com")).await;
    assert!(a.headers.get("access-control-allow-origin").is_none());
    // A real call from the allowed origin carries the header; from another, not.
    let t = issuer.token(Alg::Es384, &server.aud(DISCOVERY));
    let a = common::send(
        common::client()
            .get(server.url(DISCOVERY))
            .bearer_auth(&t)
            .header("origin", "https://ehr.example.org"),
    )
    .await;
    assert_eq!(a.status, 200);
    assert_eq!(
        a.headers["access-control-allow-origin"],
        "https://ehr.example.org"
    );
    let t = issuer.token(Alg::Es384, &server.aud(DISCOVERY));
    let a = common::send(
        common::client()
            .get(server.url(DISCOVERY))
            .bearer_auth(&t)
            .header("origin", "https://evil.example.com"),
    )
    .await;
    assert!(a.headers.get("access-control-allow-origin").is_none());
}
