//! Courses over real HTTP, on SQLite and on PostgreSQL: a course started, recorded event by
//! event with who recorded each, read back (status with its version as the ETag, the log in
//! pages, the measures as FHIR Observations, an export the engine replays to the same state);
//! a stale version refused with 409, a missing one with 428; bad input refused with the
//! engine's error and its path, and nothing stored; another tenant's courses invisible (404);
//! a stored course checked by the engine before it is used.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use crate::common;

use common::courses::{self, Caller};
use common::{Backend, Issuer, Server};
use serde_json::{json, Value};

async fn server(backend: Backend, name: &str, extra: &str) -> (Issuer, Server) {
    let dir = common::temp_dir(name);
    let issuer = Issuer::start().await;
    let store = common::store_url(backend, &dir).await;
    let server = Server::start(&dir, &store, &common::config_for(&issuer, extra)).await;
    (issuer, server)
}

async fn recorded_read_and_exported(backend: Backend) {
    let (issuer, server) = server(backend, "courses-basic", "").await;
    let clinician = Caller::new(&issuer).tenant("clinic").sub("nurse-7");
    let (start, events) = courses::demo();
    let a = clinician
        .post(
            &server,
            "/courses",
            &json!({"patientId": "example", "start": start, "userId": "Practitioner/p-1"}),
        )
        .await;
    assert_eq!(a.status, 201, "{}", a.body);
    let created = a.json();
    let id = created["id"].as_str().unwrap().to_owned();
    assert_eq!(created["version"], 0);
    assert_eq!(created["patientId"], "example");
    assert_eq!(
        a.headers["location"].to_str().unwrap(),
        server.aud(&format!("/courses/{id}"))
    );
    assert_eq!(a.headers["etag"].to_str().unwrap(), "\"0\"");
    // The outputs are the engine's, for the start.
    let engine_start: Value =
        serde_json::from_str(&ipt_core::api::call("course_start", &start.to_string())).unwrap();
    assert_eq!(created["outputs"], engine_start["result"]["outputs"]);

    // Event by event, each against the version before it (the ETag or the bare count), each
    // answered with the engine's outputs for it.
    for (i, e) in events.iter().enumerate() {
        let version = i as i64;
        let if_match = if i % 2 == 0 {
            format!("\"{version}\"")
        } else {
            version.to_string()
        };
        let user = format!("Practitioner/p-{}", i % 3);
        let a = clinician
            .append(&server, &id, &if_match, e, Some(&user))
            .await;
        assert_eq!(a.status, 200, "event {i}: {}", a.body);
        assert_eq!(a.json()["version"], version + 1);
        assert_eq!(
            a.headers["etag"].to_str().unwrap(),
            format!("\"{}\"", version + 1)
        );
        let engine = courses::replay(&start, &events[..=i]);
        assert_eq!(a.json()["outputs"], engine["outputs"], "event {i}");
    }
    let n = events.len() as i64;

    // The status is the engine's, from the stored snapshot; the ETag its version.
    let course = clinician.course(&server, &id).await;
    let replayed = courses::replay(&start, &events);
    assert_eq!(course["version"], n);
    assert_eq!(course["status"], courses::status_of(&replayed["snapshot"]));
    assert_eq!(course["createdBy"]["subject"], "nurse-7");
    assert_eq!(course["createdBy"]["userId"], "Practitioner/p-1");
    assert!(ipt_server::clock::is_utc_timestamp(
        course["createdAt"].as_str().unwrap()
    ));

    // A stale version: 409 with the version now, nothing stored; no version: 428.
    let a = clinician
        .append(&server, &id, "\"3\"", &courses::missed(), None)
        .await;
    assert_eq!(a.status, 409, "{}", a.body);
    assert_eq!(a.headers["etag"].to_str().unwrap(), format!("\"{n}\""));
    assert_eq!(courses::outcome(&a).0, "version_conflict");
    let path = format!("/courses/{id}/events");
    let a = common::post(
        &server.url(&path),
        Some(&clinician.token(&server, &path)),
        &json!({"event": courses::missed()}).to_string(),
    )
    .await;
    assert_eq!(a.status, 428, "{}", a.body);
    assert_eq!(courses::outcome(&a).0, "precondition_required");
    assert_eq!(clinician.course(&server, &id).await["version"], n);

    // The log, in pages of 5: every event in order, as the engine keeps it, with who recorded
    // it, when the server received it, and the clinical date it carries.
    let log = clinician.log(&server, &id, 5).await;
    assert_eq!(log.len(), events.len());
    let kept = &replayed["snapshot"]["events"];
    let mut last_received = String::new();
    for (i, e) in log.iter().enumerate() {
        assert_eq!(e["position"], i + 1);
        assert_eq!(e["event"], kept[i], "position {}", i + 1);
        assert_eq!(e["type"], events[i]["type"]);
        assert_eq!(
            e["date"],
            events[i].get("date").cloned().unwrap_or(Value::Null)
        );
        assert_eq!(e["recordedBy"]["subject"], "nurse-7");
        assert_eq!(
            e["recordedBy"]["userId"],
            format!("Practitioner/p-{}", i % 3)
        );
        let received = e["receivedAt"].as_str().unwrap().to_owned();
        assert!(ipt_server::clock::is_utc_timestamp(&received), "{received}");
        assert!(received >= last_received, "received in order");
        last_received = received;
    }
    let a = clinician
        .get(&server, &format!("/courses/{id}/events?after=20&limit=2"))
        .await;
    let page = a.json();
    assert_eq!(page["events"][0]["position"], 21);
    assert_eq!(page["events"].as_array().unwrap().len(), 2);
    let a = clinician
        .get(&server, &format!("/courses/{id}/events?limit=0"))
        .await;
    assert_eq!(a.status, 400, "{}", a.body);

    // The export is the engine's course_replay request: replayed, the same state.
    let export = clinician.export(&server, &id).await;
    assert_eq!(export["start"], replayed["snapshot"]["start"]);
    let again = courses::replay(&export["start"], export["events"].as_array().unwrap());
    assert_eq!(again["snapshot"], replayed["snapshot"]);

    // The measures as the engine's FHIR Observations, each on the date of its session.
    let a = clinician
        .get(&server, &format!("/courses/{id}/observations"))
        .await;
    assert_eq!(a.status, 200, "{}", a.body);
    assert_eq!(
        a.headers["content-type"].to_str().unwrap(),
        "application/fhir+json"
    );
    let bundle = a.json();
    assert_eq!(bundle["type"], "transaction");
    let totals: Vec<(String, i64)> = bundle["entry"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| &e["resource"])
        .filter(|r| r["code"]["coding"][0]["code"] == "44261-6")
        .map(|r| {
            assert_eq!(r["subject"]["reference"], "Patient/example");
            (
                r["effectiveDateTime"].as_str().unwrap().to_owned(),
                r["valueInteger"].as_i64().unwrap(),
            )
        })
        .collect();
    assert_eq!(totals.len(), 7);
    assert_eq!(totals[0], ("2026-01-12".to_owned(), 18));
    assert_eq!(totals[6], ("2026-04-27".to_owned(), 6));

    // The patient's courses: this one, with its status.
    let a = clinician.get(&server, "/patients/example/courses").await;
    assert_eq!(a.status, 200, "{}", a.body);
    let list = a.json();
    assert_eq!(list["courses"][0]["id"], id.as_str());
    assert_eq!(list["courses"][0]["status"], course["status"]);
    let a = clinician.get(&server, "/patients/nobody/courses").await;
    assert_eq!(a.status, 404, "{}", a.body);
}
both_backends!(
    a_course_is_recorded_read_and_exported,
    recorded_read_and_exported
);

async fn tenants_apart(backend: Backend) {
    let (issuer, server) = server(backend, "courses-tenants", "").await;
    let other_issuer = Issuer::start().await;
    // A second issuer on the same server, with the same tenant name.
    let mut server = server;
    let config = format!(
        "{}\n{}",
        std::fs::read_to_string(&server.config).unwrap(),
        other_issuer.config()
    );
    let dir = server.dir.clone();
    let store = server.store.clone();
    server.stop().await;
    let server = Server::start(&dir, &store, &config).await;
    let a = Caller::new(&issuer).tenant("hospital-a");
    let (start, events) = courses::demo();
    let id = a.start(&server, "example", &start).await;
    a.record(&server, &id, &events[..8]).await;
    let cards_a = a.patient_view(&server).await;
    let others = [
        Caller::new(&issuer).tenant("hospital-b"),
        Caller::new(&issuer),
        Caller::new(&other_issuer).tenant("hospital-a"),
    ];
    // Each answer is the one a course that does not exist gets: nothing tells them apart.
    let unknown = "00000000-0000-4000-8000-000000000000";
    for b in others {
        for path in [
            format!("/courses/{id}"),
            format!("/courses/{id}/events"),
            format!("/courses/{id}/observations"),
            format!("/courses/{id}/export"),
        ] {
            let got = b.get(&server, &path).await;
            let none = b.get(&server, &path.replace(&id, unknown)).await;
            assert_eq!(got.status, 404, "{path}: {}", got.body);
            assert_eq!((got.status, got.body), (none.status, none.body), "{path}");
        }
        let got = b
            .append(&server, &id, "\"8\"", &courses::missed(), None)
            .await;
        let none = b
            .append(&server, unknown, "\"8\"", &courses::missed(), None)
            .await;
        assert_eq!(got.status, 404, "{}", got.body);
        assert_eq!(got.body, none.body);
        let got = b.get(&server, "/patients/example/courses").await;
        let none = b.get(&server, "/patients/nobody/courses").await;
        assert_eq!(got.status, 404, "{}", got.body);
        assert_eq!(got.body, none.body);
        // The chart opened by another scope shows no card of the course.
        let cards = b.patient_view(&server).await;
        let suitability = common::engine_cards(&common::example(), &server.public_url);
        assert_eq!(Value::Array(cards), suitability["cards"]);
    }
    // Nothing written by them: the course is as it was, with its cards.
    assert_eq!(a.course(&server, &id).await["version"], 8);
    assert_eq!(a.patient_view(&server).await, cards_a);
    assert!(
        cards_a.len()
            > common::engine_cards(&common::example(), &server.public_url)["cards"]
                .as_array()
                .unwrap()
                .len()
    );
}
both_backends!(another_tenants_courses_are_not_found, tenants_apart);

async fn bad_input(backend: Backend) {
    let (issuer, server) = server(backend, "courses-bad", "").await;
    let c = Caller::new(&issuer);
    let (start, events) = courses::demo();

    // Starting: the server's fields, then the engine's start at its path under `start`.
    for (body, code, path) in [
        (json!({"start": start}), "invalid_input", "$"),
        (
            json!({"patientId": "a b", "start": start}),
            "invalid_input",
            "$.patientId",
        ),
        (
            json!({"patientId": "p", "start": start, "userId": ""}),
            "invalid_input",
            "$.userId",
        ),
        (
            json!({"patientId": "p", "start": start, "extra": 1}),
            "invalid_input",
            "$.extra",
        ),
        (
            json!({"patientId": "p", "start": {"variant": "weekly"}}),
            "invalid_input",
            "$.start.variant",
        ),
        (
            json!({"patientId": "p", "start": {"variant": "standard", "overrides": {"sessions": 99}}}),
            "invalid_input",
            "$.start.overrides.sessions",
        ),
        (
            json!({"patientId": "p", "start": {"variant": "standard", "course_id": "x".repeat(65)}}),
            "limit_exceeded",
            "$.start.course_id",
        ),
        (
            json!({"patientId": "p", "start": 7}),
            "invalid_input",
            "$.start",
        ),
    ] {
        let a = c.post(&server, "/courses", &body).await;
        assert_eq!(a.status, 400, "{body}: {}", a.body);
        assert_eq!(
            courses::outcome(&a),
            (code.to_owned(), Some(path.to_owned())),
            "{body}"
        );
    }
    let a = common::post(
        &server.url("/courses"),
        Some(&c.token(&server, "/courses")),
        "{\"patientId\": ",
    )
    .await;
    assert_eq!(a.status, 400);
    assert_eq!(
        courses::outcome(&a),
        ("invalid_json".into(), Some("$".into()))
    );
    let a = c.get(&server, "/patients/p/courses").await;
    assert_eq!(a.status, 404, "none of those started a course: {}", a.body);

    let id = c.start(&server, "example", &start).await;
    c.record(&server, &id, &events[..6]).await;
    let before = c.course(&server, &id).await;
    let log_before = c.log(&server, &id, 100).await;
    let measure = json!({"instrument": "phq9", "total": 10});
    let deep = (0..200).fold(json!(1), |v, _| json!([v]));
    for (event, status, code, path) in [
        (
            json!({"type": "session_held", "number": 2, "date": "2026-02-30"}),
            400,
            "invalid_input",
            "$.event.date",
        ),
        (
            json!({"type": "session_hold", "number": 2, "date": "2026-01-19"}),
            400,
            "invalid_input",
            "$.event.type",
        ),
        (
            json!({"type": "session_held", "number": 2, "date": "2026-01-19",
                "measures": vec![measure; 9]}),
            400,
            "limit_exceeded",
            "$.event.measures",
        ),
        (
            json!({"type": "contract_renegotiated", "sessions": 12, "reason": "x".repeat(2001)}),
            400,
            "limit_exceeded",
            "$.event.reason",
        ),
        (
            json!({"type": "session_held", "number": 2, "date": "2026-01-19", "techniques": deep}),
            400,
            "limit_exceeded",
            "the engine's",
        ),
        (
            json!({"type": "session_held", "number": 5, "date": "2026-01-19"}),
            422,
            "transition_refused",
            "$.event",
        ),
        (
            json!({"type": "course_completed"}),
            422,
            "transition_refused",
            "$.event",
        ),
    ] {
        let a = c.append(&server, &id, "6", &event, None).await;
        assert_eq!(a.status, status, "{event}: {}", a.body);
        // The engine's own code and path for the event.
        let apply =
            json!({"snapshot": courses::replay(&start, &events[..6])["snapshot"], "event": event});
        let engine: Value =
            serde_json::from_str(&ipt_core::api::call("course_apply", &apply.to_string())).unwrap();
        let expected = (
            code.to_owned(),
            engine["error"]["path"].as_str().map(str::to_owned),
        );
        assert_eq!(engine["error"]["code"], code);
        assert_eq!(courses::outcome(&a), expected, "{}", a.body);
        if path != "the engine's" {
            assert_eq!(expected.1.as_deref(), Some(path));
        }
        if code == "transition_refused" {
            // Every unmet requirement, each an issue naming it and its rule.
            let issues = a.json()["issue"].as_array().unwrap().clone();
            assert!(issues.len() >= 2, "{}", a.body);
            for i in &issues[1..] {
                assert_eq!(i["code"], "business-rule");
                assert_eq!(
                    i["details"]["coding"][1]["system"],
                    "urn:ipt-engine:requirement"
                );
                assert_eq!(i["details"]["coding"][2]["system"], "urn:ipt-engine:rule");
            }
        }
    }
    // The engine's refusal lists exactly the requirements it names.
    let refused = json!({"type": "course_completed"});
    let a = c.append(&server, &id, "6", &refused, None).await;
    let apply =
        json!({"snapshot": courses::replay(&start, &events[..6])["snapshot"], "event": refused});
    let engine: Value =
        serde_json::from_str(&ipt_core::api::call("course_apply", &apply.to_string())).unwrap();
    let unmet: Vec<Value> = a.json()["issue"].as_array().unwrap()[1..]
        .iter()
        .map(|i| {
            json!({"rule_id": i["details"]["coding"][2]["code"],
                        "requirement": i["details"]["coding"][1]["code"],
                        "message": i["details"]["text"]})
        })
        .collect();
    assert_eq!(Value::Array(unmet), engine["error"]["unmet"]);
    // Bodies the server reads itself.
    let path = format!("/courses/{id}/events");
    for (body, code, at) in [
        ("{\"event\": ", "invalid_json", "$"),
        ("[]", "invalid_input", "$"),
        ("{\"userId\": \"Practitioner/x\"}", "invalid_input", "$"),
        ("{\"event\": {}, \"user\": 1}", "invalid_input", "$.user"),
        (
            "{\"event\": {\"type\": \"session_missed\", \"date\": \"2026-01-20\"}, \"userId\": 5}",
            "invalid_input",
            "$.userId",
        ),
    ] {
        let r = common::client()
            .post(server.url(&path))
            .bearer_auth(c.token(&server, &path))
            .header("content-type", "application/json")
            .header("if-match", "6")
            .body(body);
        let a = common::send(r).await;
        assert_eq!(a.status, 400, "{body}: {}", a.body);
        assert_eq!(
            courses::outcome(&a),
            (code.to_owned(), Some(at.to_owned())),
            "{body}"
        );
    }
    // Not JSON; an If-Match that is not a version; over the engine's 16 MiB.
    let r = common::client()
        .post(server.url(&path))
        .bearer_auth(c.token(&server, &path))
        .header("if-match", "6")
        .body(json!({"event": courses::missed()}).to_string());
    assert_eq!(common::send(r).await.status, 415);
    for if_match in ["*", "W/\"6\"", "six"] {
        let a = c
            .append(&server, &id, if_match, &courses::missed(), None)
            .await;
        assert!(matches!(a.status, 400 | 428), "{if_match}: {}", a.body);
    }
    let huge = json!({"type": "contract_renegotiated", "sessions": 12,
                      "reason": "x".repeat(ipt_core::limits::MAX_REQUEST_BYTES)});
    let a = c.append(&server, &id, "6", &huge, None).await;
    assert_eq!(a.status, 413, "{}", a.body);
    assert_eq!(courses::outcome(&a).0, "input_too_large");
    // Nothing of any of it was stored.
    assert_eq!(c.course(&server, &id).await, before);
    assert_eq!(c.log(&server, &id, 100).await, log_before);
}
both_backends!(
    bad_input_is_refused_with_its_path_and_nothing_stored,
    bad_input
);

/// Rewrites a course's stored snapshot behind the service's back (SQLite).
fn tamper(server: &Server, id: &str, edit: impl FnOnce(&mut Value)) {
    let path = server.store.strip_prefix("sqlite:").unwrap();
    let c = rusqlite::Connection::open(path).unwrap();
    let text: String = c
        .query_row("SELECT snapshot FROM course WHERE id = ?1", [id], |r| {
            r.get(0)
        })
        .unwrap();
    let mut v: Value = serde_json::from_str(&text).unwrap();
    edit(&mut v);
    c.execute(
        "UPDATE course SET snapshot = ?1 WHERE id = ?2",
        rusqlite::params![v.to_string(), id],
    )
    .unwrap();
}

/// Seals a snapshot with a digest of its content, as the engine does (anyone can: the digest
/// is not a signature).
fn reseal(v: &mut Value) {
    let mut snap: ipt_core::course::Snapshot = serde_json::from_value(v.clone()).unwrap();
    snap.seal();
    *v = serde_json::to_value(snap).unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stored_course_is_checked_by_the_engine_before_it_is_used() {
    let (issuer, server) = server(Backend::Sqlite, "courses-verify", "").await;
    let c = Caller::new(&issuer);
    let (start, events) = courses::demo();
    let id = c.start(&server, "example", &start).await;
    c.record(&server, &id, &events[..8]).await;
    let good = c.course(&server, &id).await;
    let cards = c.patient_view(&server).await;

    // A digest that does not match: the engine replays the events, finds the state they
    // give, and the course is used as before.
    tamper(&server, &id, |v| {
        v["digest"] = json!("xxh3-128:00000000000000000000000000000000")
    });
    assert_eq!(c.course(&server, &id).await, good);
    assert_eq!(c.patient_view(&server).await, cards);

    // A state the events do not give: refused wherever the course is read, and nothing is
    // recorded on it.
    tamper(&server, &id, |v| v["state"]["sessions_held"] = json!(5));
    let a = c.get(&server, &format!("/courses/{id}")).await;
    assert_eq!(a.status, 500, "{}", a.body);
    assert_eq!(courses::outcome(&a).0, "internal");
    let a = c
        .post(&server, "/cds-services/ipt-suitability", &common::example())
        .await;
    assert_eq!(a.status, 500, "{}", a.body);
    let a = c.append(&server, &id, "8", &courses::missed(), None).await;
    assert_eq!(a.status, 500, "{}", a.body);
    assert_eq!(c.log(&server, &id, 100).await.len(), 8);
    server
        .wait_log(&["a stored course was refused by the engine", &id])
        .await;

    // The same state sealed with a matching digest: the digest vouches for it, so a server
    // that trusts digests uses it; one configured to replay (`[courses] verify = "replay"`)
    // refuses it.
    tamper(&server, &id, reseal);
    assert_eq!(c.course(&server, &id).await["status"]["session"], 5);
    let strict = Server::start(
        &server.dir,
        &server.store,
        &common::config_for(&issuer, "[courses]\nverify = \"replay\"\n"),
    )
    .await;
    let a = c.get(&strict, &format!("/courses/{id}")).await;
    assert_eq!(a.status, 500, "{}", a.body);
    let a = c
        .post(&strict, "/cds-services/ipt-suitability", &common::example())
        .await;
    assert_eq!(a.status, 500, "{}", a.body);
    let a = c.get(&strict, &format!("/courses/{id}/observations")).await;
    assert_eq!(a.status, 500, "{}", a.body);
    // Put back as the engine wrote it, the course reads again on both.
    let replayed = courses::replay(&start, &events[..8]);
    tamper(&server, &id, |v| *v = replayed["snapshot"].clone());
    assert_eq!(c.course(&strict, &id).await, good);
    assert_eq!(c.course(&server, &id).await, good);
}

/// The workspace README's walkthrough, run as written (with the binary for `cargo run`)
/// against a development server: a course recorded over HTTP, and its card at the next visit.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_readmes_course_walkthrough_runs() {
    let readme = include_str!("../../README.md");
    let marker = "<!-- example:course-walkthrough -->\n```sh\n";
    let start = readme.find(marker).unwrap() + marker.len();
    let end = start + readme[start..].find("\n```").unwrap();
    let written = &readme[start..end];
    let cargo = r#"ipt() { cargo run -q -p ipt-server -- "$@"; }"#;
    assert!(written.contains(cargo));
    let script = written.replace(
        cargo,
        &format!(r#"ipt() {{ "{}" "$@"; }}"#, common::binary()),
    );
    let dir = common::temp_dir("courses-readme");
    let dev = dir.join(".ipt-server-dev");
    let mut child = std::process::Command::new(common::binary())
        .args(["--dev", "--dev-dir", dev.to_str().unwrap()])
        .current_dir(&dir)
        .stdout(std::process::Stdio::null())
        .stderr(std::fs::File::create(dir.join("server.log")).unwrap())
        .spawn()
        .unwrap();
    let started = std::time::Instant::now();
    while !dev.join("dev.json").exists() {
        assert!(
            started.elapsed() < std::time::Duration::from_secs(30),
            "no dev server"
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    let out = std::process::Command::new("bash")
        .args(["-euo", "pipefail", "-c", &script])
        .current_dir(&dir)
        .output()
        .unwrap();
    let _ = child.kill();
    let _ = child.wait();
    let printed = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.status.success(),
        "{printed}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let lines: Vec<&str> = printed.lines().collect();
    assert_eq!(lines[..2], ["1", "2"], "{printed}");
    assert!(lines[2].starts_with("Suicide risk"), "{printed}");
    assert_eq!(lines[3], "version_conflict", "{printed}");
    assert!(lines[4].starts_with("critical X-SUICIDE: "), "{printed}");
    assert!(lines.iter().any(|l| l.contains("C-PSYCHOSIS")), "{printed}");
    // What the README shows it prints.
    let shown = "<!-- example:course-walkthrough-output -->\n```text\n";
    let at = readme.find(shown).unwrap() + shown.len();
    let until = at + readme[at..].find("\n```").unwrap();
    assert_eq!(printed.trim_end(), &readme[at..until]);
}

/// A measure the engine does not write as an Observation is a 422 at its place in the
/// course's state; a patient with more courses than the engine takes with a hook still has
/// the chart opened, with the cards of the most recently changed.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn observations_the_engine_does_not_write_and_many_courses() {
    let (issuer, server) = server(Backend::Sqlite, "courses-edges", "").await;
    let c = Caller::new(&issuer);
    let (start, events) = courses::demo();
    let id = c.start(&server, "example", &start).await;
    let mut session2 = events[6].clone();
    session2["measures"] = json!([{"instrument": "phq9", "total": 15},
                                  {"instrument": "hamd17", "total": 20}]);
    c.record(&server, &id, &events[..6]).await;
    c.record(&server, &id, &[session2]).await;
    let a = c.get(&server, &format!("/courses/{id}/observations")).await;
    assert_eq!(a.status, 422, "{}", a.body);
    assert_eq!(
        courses::outcome(&a),
        (
            "invalid_input".to_owned(),
            // Session 1 recorded the PHQ-9 and the WSAS, session 2 the PHQ-9 and the HAM-D 17.
            Some("$.state.measures[3].instrument".to_owned())
        )
    );
    // 33 courses for one patient: the engine takes 32 with a hook, the most recently changed.
    let limit = ipt_core::limits::MAX_LIST_ITEMS;
    for _ in 0..limit {
        c.start(&server, "example", &start).await;
    }
    let cards = c.patient_view(&server).await;
    let a = c.get(&server, "/patients/example/courses").await;
    assert_eq!(a.json()["courses"].as_array().unwrap().len(), limit + 1);
    // The course with a session held is the oldest change; its agenda card is not among them,
    // and the newest courses' are.
    assert!(!cards
        .iter()
        .any(|c| c["detail"].as_str().is_some_and(|d| d.contains(&id))));
    assert!(cards.len() > 1);
}
