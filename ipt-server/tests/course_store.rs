//! The course store's own guarantees, on SQLite and on PostgreSQL, below the HTTP layer: the
//! primary key on (course, position) decides which event takes a position, even when the
//! course's version says it is free; events cannot be updated or deleted (triggers refuse
//! it); a course keeps its identity and advances one event at a time; the event and the
//! snapshot are written together or not at all; courses are kept apart by scope.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use crate::common;

use common::Backend;
use ipt_server::store::{Appended, NewCourse, NewEvent, Recorder, Scope, Store};

fn scope(t: &str) -> Scope {
    Scope {
        issuer: "https://ehr.example.org".into(),
        tenant: t.into(),
    }
}

fn event(position: i64) -> NewEvent {
    NewEvent {
        position,
        kind: "session_missed".into(),
        event: format!(
            r#"{{"type":"session_missed","date":"2026-01-{:02}"}}"#,
            position
        ),
        clinical_date: Some(format!("2026-01-{position:02}")),
        by: Recorder {
            subject: Some("nurse".into()),
            user_id: Some(format!("Practitioner/{position}")),
        },
        received_at_ms: 1_767_607_200_000 + position,
    }
}

/// Raw SQL on the store, outside the service (what an operator or an attacker with the
/// database could run).
enum Raw {
    Sqlite(rusqlite::Connection),
    Postgres(tokio_postgres::Client),
}

impl Raw {
    async fn open(url: &str) -> Raw {
        match url.strip_prefix("sqlite:") {
            Some(path) => Raw::Sqlite(rusqlite::Connection::open(path).unwrap()),
            None => {
                let (client, conn) = tokio_postgres::connect(url, tokio_postgres::NoTls)
                    .await
                    .unwrap();
                tokio::spawn(conn);
                Raw::Postgres(client)
            }
        }
    }

    /// Runs a statement; the error's text when it fails.
    async fn run(&self, sql: &str) -> Result<u64, String> {
        match self {
            Raw::Sqlite(c) => c
                .execute(sql, [])
                .map(|n| n as u64)
                .map_err(|e| e.to_string()),
            Raw::Postgres(c) => c.execute(sql, &[]).await.map_err(|e| format!("{e:?}")),
        }
    }

    async fn count(&self, sql: &str) -> i64 {
        match self {
            Raw::Sqlite(c) => c.query_row(sql, [], |r| r.get(0)).unwrap(),
            Raw::Postgres(c) => c.query_one(sql, &[]).await.unwrap().get(0),
        }
    }
}

async fn store_guarantees(backend: Backend) {
    let dir = common::temp_dir("course-store");
    let url = common::store_url(backend, &dir).await;
    let store: std::sync::Arc<dyn Store> = ipt_server::store::open(&url).await.unwrap();
    assert_eq!(store.schema_version().await.unwrap(), 2);
    let a = scope("a");
    let course = NewCourse {
        id: "c-1".into(),
        patient_id: "p-1".into(),
        start: r#"{"variant":"standard"}"#.into(),
        snapshot: "{\"v\":0}".into(),
        by: Recorder::default(),
        at_ms: 1,
    };
    store.create_course(&a, &course).await.unwrap();
    assert!(store.course(&scope("b"), "c-1").await.unwrap().is_none());
    assert!(
        store.create_course(&a, &course).await.is_err(),
        "one id, one course"
    );

    // Position 1, then position 1 again: the second is a conflict, and changes nothing.
    let r = store
        .append_event(&a, "c-1", &event(1), "{\"v\":1}")
        .await
        .unwrap();
    assert_eq!(r, Appended::Stored);
    let again = NewEvent {
        event: "{\"other\":true}".into(),
        ..event(1)
    };
    let r = store
        .append_event(&a, "c-1", &again, "{\"v\":\"other\"}")
        .await
        .unwrap();
    assert_eq!(r, Appended::Conflict);
    let row = store.course(&a, "c-1").await.unwrap().unwrap();
    assert_eq!((row.version, row.snapshot.as_str()), (1, "{\"v\":1}"));
    assert_eq!(row.updated_at_ms, event(1).received_at_ms);
    // Another scope cannot append to it.
    let r = store
        .append_event(&scope("b"), "c-1", &event(2), "{}")
        .await
        .unwrap();
    assert_eq!(r, Appended::NotFound);

    let raw = Raw::open(&url).await;
    // The primary key decides: an event written at position 2 behind the service's back
    // (the course's version still says 1) makes the service's event at 2 a conflict, and the
    // course keeps its version and snapshot.
    raw.run(
        "INSERT INTO course_event (course_id, position, kind, event, received_at)
         VALUES ('c-1', 2, 'session_missed', '{}', 0)",
    )
    .await
    .unwrap();
    let r = store
        .append_event(&a, "c-1", &event(2), "{\"v\":2}")
        .await
        .unwrap();
    assert_eq!(r, Appended::Conflict);
    let row = store.course(&a, "c-1").await.unwrap().unwrap();
    assert_eq!((row.version, row.snapshot.as_str()), (1, "{\"v\":1}"));
    let dup = raw
        .run(
            "INSERT INTO course_event (course_id, position, kind, event, received_at)
             VALUES ('c-1', 1, 'session_missed', '{}', 0)",
        )
        .await;
    assert!(dup.is_err(), "a position taken twice");

    // Events are append-only; a course keeps its identity and advances one at a time.
    for sql in [
        "UPDATE course_event SET event = '{}' WHERE course_id = 'c-1'",
        "DELETE FROM course_event WHERE course_id = 'c-1'",
    ] {
        let e = raw.run(sql).await.unwrap_err();
        assert!(e.contains("append-only"), "{sql}: {e}");
    }
    if backend == Backend::Postgres {
        let e = raw.run("TRUNCATE course_event CASCADE").await.unwrap_err();
        assert!(e.contains("append-only"), "{e}");
    }
    for (sql, why) in [
        ("UPDATE course SET patient_id = 'p-2'", "identity"),
        ("UPDATE course SET tenant = 'b'", "identity"),
        ("UPDATE course SET version = 5", "one event at a time"),
        ("UPDATE course SET version = 0", "one event at a time"),
    ] {
        let e = raw.run(sql).await.unwrap_err();
        assert!(e.contains(why), "{sql}: {e}");
    }
    assert_eq!(
        raw.count("SELECT COUNT(*) FROM course_event WHERE course_id = 'c-1'")
            .await,
        2
    );

    // The log, in order, with who recorded each event.
    let log = store
        .course_events(&a, "c-1", 0, 10)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(log.len(), 2);
    assert_eq!(log[0].by.user_id.as_deref(), Some("Practitioner/1"));
    assert_eq!(log[0].clinical_date.as_deref(), Some("2026-01-01"));
    assert!(store
        .course_events(&scope("b"), "c-1", 0, 10)
        .await
        .unwrap()
        .is_none());
    assert!(store
        .course_events(&a, "c-1", 2, 10)
        .await
        .unwrap()
        .unwrap()
        .is_empty());

    // A patient's courses, the most recently changed first, in their scope only.
    let second = NewCourse {
        id: "c-2".into(),
        at_ms: 2,
        ..course.clone()
    };
    store.create_course(&a, &second).await.unwrap();
    let listed: Vec<String> = store
        .patient_courses(&a, "p-1", 10)
        .await
        .unwrap()
        .into_iter()
        .map(|c| c.id)
        .collect();
    assert_eq!(listed, ["c-1", "c-2"]);
    assert_eq!(store.patient_courses(&a, "p-1", 1).await.unwrap().len(), 1);
    assert!(store
        .patient_courses(&scope("b"), "p-1", 10)
        .await
        .unwrap()
        .is_empty());
}
both_backends!(the_store_decides_one_event_per_position, store_guarantees);
