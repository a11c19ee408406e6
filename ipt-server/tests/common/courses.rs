//! The course tests' helpers: a caller (an issuer's tokens, with a tenant and a subject) of
//! the course routes, the demo patient's course, and the engine's own replay of a log.

use ipt_server::jose::Alg;
use serde_json::{json, Value};

use super::{Answer, Issuer, Server};

/// Who calls: an issuer's tokens, with a `tenant` and a `sub` when given.
#[derive(Clone, Copy)]
pub struct Caller<'a> {
    pub issuer: &'a Issuer,
    pub tenant: Option<&'a str>,
    pub sub: Option<&'a str>,
}

impl<'a> Caller<'a> {
    pub fn new(issuer: &'a Issuer) -> Caller<'a> {
        Caller {
            issuer,
            tenant: None,
            sub: None,
        }
    }

    pub fn tenant(self, t: &'a str) -> Caller<'a> {
        Caller {
            tenant: Some(t),
            ..self
        }
    }

    pub fn sub(self, s: &'a str) -> Caller<'a> {
        Caller {
            sub: Some(s),
            ..self
        }
    }

    /// A token for the path (its query left out: `aud` is the URL invoked without it).
    pub fn token(&self, server: &Server, path: &str) -> String {
        let path = path.split('?').next().unwrap();
        let (tenant, sub) = (self.tenant, self.sub);
        self.issuer
            .token_with(Alg::Es384, &server.aud(path), move |_, c| {
                if let Some(t) = tenant {
                    c["tenant"] = json!(t);
                }
                if let Some(s) = sub {
                    c["sub"] = json!(s);
                }
            })
    }

    pub async fn get(&self, server: &Server, path: &str) -> Answer {
        super::get(&server.url(path), Some(&self.token(server, path))).await
    }

    pub async fn post(&self, server: &Server, path: &str, body: &Value) -> Answer {
        super::post(
            &server.url(path),
            Some(&self.token(server, path)),
            &body.to_string(),
        )
        .await
    }

    /// `POST /courses/{id}/events` with `If-Match`.
    pub async fn append(
        &self,
        server: &Server,
        id: &str,
        if_match: &str,
        event: &Value,
        user: Option<&str>,
    ) -> Answer {
        let path = format!("/courses/{id}/events");
        let mut body = json!({"event": event});
        if let Some(u) = user {
            body["userId"] = json!(u);
        }
        let r = super::client()
            .post(server.url(&path))
            .bearer_auth(self.token(server, &path))
            .header("content-type", "application/json")
            .header("if-match", if_match)
            .body(body.to_string());
        super::send(r).await
    }

    /// Starts a course; its id.
    pub async fn start(&self, server: &Server, patient: &str, start: &Value) -> String {
        let a = self
            .post(
                server,
                "/courses",
                &json!({"patientId": patient, "start": start, "userId": "Practitioner/intake"}),
            )
            .await;
        assert_eq!(a.status, 201, "{}", a.body);
        a.json()["id"].as_str().unwrap().to_owned()
    }

    /// Appends events in order, each against the version before it.
    pub async fn record(&self, server: &Server, id: &str, events: &[Value]) -> i64 {
        let mut version = self.course(server, id).await["version"].as_i64().unwrap();
        for e in events {
            let a = self
                .append(server, id, &format!("\"{version}\""), e, None)
                .await;
            assert_eq!(a.status, 200, "{e}: {}", a.body);
            version += 1;
            assert_eq!(a.json()["version"], version);
        }
        version
    }

    /// `GET /courses/{id}`, which must answer.
    pub async fn course(&self, server: &Server, id: &str) -> Value {
        let a = self.get(server, &format!("/courses/{id}")).await;
        assert_eq!(a.status, 200, "{}", a.body);
        assert_eq!(
            a.headers["etag"].to_str().unwrap(),
            format!("\"{}\"", a.json()["version"])
        );
        a.json()
    }

    /// Every event of the log, following `next`.
    pub async fn log(&self, server: &Server, id: &str, page: usize) -> Vec<Value> {
        let mut out = Vec::new();
        let mut path = format!("/courses/{id}/events?limit={page}");
        loop {
            let a = self.get(server, &path).await;
            assert_eq!(a.status, 200, "{}", a.body);
            let v = a.json();
            out.extend(v["events"].as_array().unwrap().iter().cloned());
            match v["next"].as_str() {
                Some(n) => path = n.to_owned(),
                None => return out,
            }
        }
    }

    /// `GET /courses/{id}/export`.
    pub async fn export(&self, server: &Server, id: &str) -> Value {
        let a = self.get(server, &format!("/courses/{id}/export")).await;
        assert_eq!(a.status, 200, "{}", a.body);
        a.json()
    }

    /// A patient-view for the README's example patient (`example`): the cards.
    pub async fn patient_view(&self, server: &Server) -> Vec<Value> {
        let path = "/cds-services/ipt-suitability";
        let a = self.post(server, path, &super::example()).await;
        assert_eq!(a.status, 200, "{}", a.body);
        a.json()["cards"].as_array().unwrap().clone()
    }
}

/// The demo patient's course (`ipt demo`, the conformance vector of a complete standard
/// course): its start and its events.
pub fn demo() -> (Value, Vec<Value>) {
    let text = include_str!("../../../tests/vectors/course/V-STANDARD.complete_standard_16.json");
    let v: Value = serde_json::from_str(text).unwrap();
    let r = &v["request"];
    (r["start"].clone(), r["events"].as_array().unwrap().clone())
}

/// The engine's `course_replay` of a start and events: its result.
pub fn replay(start: &Value, events: &[Value]) -> Value {
    let request = json!({"start": start, "events": events});
    let answer: Value =
        serde_json::from_str(&ipt_core::api::call("course_replay", &request.to_string())).unwrap();
    assert_eq!(answer["ok"], true, "{answer}");
    answer["result"].clone()
}

/// The engine's `course_status` of a snapshot: its result.
pub fn status_of(snapshot: &Value) -> Value {
    let request = json!({"snapshot": snapshot});
    let answer: Value =
        serde_json::from_str(&ipt_core::api::call("course_status", &request.to_string())).unwrap();
    assert_eq!(answer["ok"], true, "{answer}");
    answer["result"].clone()
}

/// The code and path of an OperationOutcome's first issue.
pub fn outcome(a: &Answer) -> (String, Option<String>) {
    let v = a.json();
    assert_eq!(v["resourceType"], "OperationOutcome", "{}", a.body);
    (
        v["issue"][0]["details"]["coding"][0]["code"]
            .as_str()
            .unwrap()
            .to_owned(),
        v["issue"][0]["expression"][0].as_str().map(str::to_owned),
    )
}

/// A missed appointment: an event any open course past its start takes again and again.
pub fn missed() -> Value {
    json!({"type": "session_missed", "date": "2026-01-20"})
}
