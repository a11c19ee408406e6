//! The parts of a `patient-view` call, timed alone on one core: the engine's `cds_hooks` on the
//! benchmark's request (full prefetch: the US Core Patient, four Conditions, thirteen PHQ-9
//! Observations), and the token's signature check (ES384, RS384), so the service's own overhead
//! shows beside them; and for a course (the demo's, after its first six events) the engine's
//! `course_apply` of the next session, its `course_status`, and `cds_hooks` with the course
//! passed. `scripts/bench-server.sh` and `scripts/bench-courses.sh` run it; it prints one JSON
//! object.
//!
//! Usage: cargo run --release -p ipt-server --example bench_parts -- REQUEST.json

use std::time::Instant;

use ipt_server::jose::{self, Alg, SigningKey};
use serde_json::json;

fn median_per_call(mut f: impl FnMut(), calls: usize) -> (f64, f64, f64) {
    // Five batches; the median batch, and the fastest and slowest, in microseconds per call.
    for _ in 0..calls / 10 {
        f();
    }
    let mut per: Vec<f64> = (0..5)
        .map(|_| {
            let t = Instant::now();
            for _ in 0..calls {
                f();
            }
            t.elapsed().as_secs_f64() * 1e6 / calls as f64
        })
        .collect();
    per.sort_by(f64::total_cmp);
    (per[2], per[0], per[4])
}

fn main() {
    let path = std::env::args().nth(1).expect("the request file");
    let body = std::fs::read_to_string(path).expect("the request");
    let request =
        ipt_server::engine::Engine::request("2026-01-05", "https://cds.example.org/rules", &body);
    let engine = median_per_call(
        || {
            let answer = ipt_core::api::call("cds_hooks", &request);
            assert!(answer.contains("\"ok\":true"));
        },
        2_000,
    );
    let mut sig = serde_json::Map::new();
    for alg in [Alg::Es384, Alg::Rs384] {
        let key = SigningKey::generate(alg).unwrap();
        let jwk = key.public_jwk("k");
        let public = jose::public_key(jwk.as_object().unwrap(), &[alg]).unwrap();
        let token = key
            .sign_jwt(
                &json!({"typ": "JWT", "kid": "k"}),
                &json!({"iss": "https://ehr.example.org", "aud": "https://cds.example.org/cds-services/ipt-suitability",
                        "iat": 1, "exp": 2, "jti": "0123456789abcdef0123456789abcdef"}),
            )
            .unwrap();
        let (m, lo, hi) = median_per_call(
            || {
                let jws = jose::parse(&token).unwrap();
                assert!(public.verify(alg, jws.signing_input.as_bytes(), &jws.signature));
            },
            if alg == Alg::Es384 { 2_000 } else { 20_000 },
        );
        sig.insert(alg.name().into(), json!({"us": m, "min": lo, "max": hi}));
    }
    // A course: the engine's course_apply of the demo's session 2 on the course stored after
    // its first six events, its course_status, and patient-view with that course passed.
    let demo: serde_json::Value = serde_json::from_str(include_str!(
        "../../tests/vectors/course/V-STANDARD.complete_standard_16.json"
    ))
    .unwrap();
    let events = demo["request"]["events"].as_array().unwrap();
    let replay = json!({"start": demo["request"]["start"], "events": events[..6]});
    let answer: serde_json::Value =
        serde_json::from_str(&ipt_core::api::call("course_replay", &replay.to_string())).unwrap();
    let snapshot = answer["result"]["snapshot"].to_string();
    let apply = format!(
        r#"{{"snapshot":{snapshot},"event":{},"verify":"digest"}}"#,
        events[6]
    );
    let status = format!(r#"{{"snapshot":{snapshot},"verify":"digest"}}"#);
    let with_course = ipt_server::engine::Engine::request_with_courses(
        "2026-01-05",
        "https://cds.example.org/rules",
        &body,
        &[(
            "0b6a4c1e-2f3d-4e5a-8b7c-9d0e1f2a3b4c".into(),
            snapshot.clone(),
        )],
        "digest",
    );
    let timed = |operation: &'static str, request: &str| {
        let (m, lo, hi) = median_per_call(
            || {
                let answer = ipt_core::api::call(operation, request);
                assert!(answer.contains("\"ok\":true"), "{answer}");
            },
            2_000,
        );
        json!({"us": m, "min": lo, "max": hi})
    };
    println!(
        "{}",
        json!({"engine_us": {"us": engine.0, "min": engine.1, "max": engine.2},
               "request_bytes": body.len(), "signature_us": sig,
               "course_apply_us": timed("course_apply", &apply),
               "course_status_us": timed("course_status", &status),
               "cds_hooks_with_course_us": timed("cds_hooks", &with_course),
               "snapshot_bytes": snapshot.len()})
    );
}
