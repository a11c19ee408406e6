//! The SQLite store: one file, WAL, created on first start. One connection writes (SQLite has
//! one writer at a time anyway); reads have their own connections, which WAL lets run beside
//! the writer. Calls run on tokio's blocking threads. Token ids and cards are committed with
//! `synchronous = NORMAL` (durable across a crash of the process; a power cut may lose the last
//! ones, which only reopens a replay window of minutes); feedback and courses with
//! `synchronous = FULL`, so what was acknowledged survives a power cut too.
//!
//! Course events are committed in groups: each append joins a queue, and one committer at a
//! time (started by the append that finds none running) commits every append queued by then in
//! one transaction (each in its own savepoint, so one that conflicts is rolled back alone) and
//! one `fsync`, answers them all, and goes on while the queue holds more. An append is
//! answered only after the commit that holds it; a failed commit fails every append in it.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

use rusqlite::{params, Connection, OpenFlags, OptionalExtension};

use super::migrations::{self, MIGRATIONS, MIGRATIONS_TABLE, REISSUE_WRITE_INTERVAL_S};
use super::{
    Appended, CourseRow, FeedbackRecord, FeedbackStored, IssuedCard, NewCourse, NewEvent, Pruned,
    Recorder, RuleCounts, Scope, Store, StoreError, StoreFuture, StoredEvent, SummaryFilter,
};

const READERS: usize = 4;

struct Inner {
    writer: Mutex<Connection>,
    readers: Vec<Mutex<Connection>>,
    next: AtomicUsize,
    /// Appends waiting for the next group commit.
    appends: Mutex<Vec<PendingAppend>>,
    /// Whether a committer is running (it commits the queue until it finds it empty).
    committing: std::sync::atomic::AtomicBool,
}

/// An append waiting for its group commit, and where its answer goes.
struct PendingAppend {
    scope: Scope,
    course_id: String,
    event: NewEvent,
    snapshot: String,
    reply: tokio::sync::oneshot::Sender<Result<Appended, StoreError>>,
}

/// The SQLite store.
pub struct SqliteStore {
    inner: Arc<Inner>,
}

fn db(e: rusqlite::Error) -> StoreError {
    StoreError::Database(e.to_string())
}

fn lock(m: &Mutex<Connection>) -> MutexGuard<'_, Connection> {
    // A panic while holding the lock cannot leave a transaction open (rusqlite rolls back on
    // drop), so the connection is still sound.
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

fn connect(path: &Path) -> Result<Connection, StoreError> {
    let c = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_WRITE
            | OpenFlags::SQLITE_OPEN_CREATE
            | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(db)?;
    c.busy_timeout(std::time::Duration::from_secs(5))
        .map_err(db)?;
    c.pragma_update(None, "journal_mode", "WAL").map_err(db)?;
    c.pragma_update(None, "synchronous", "NORMAL").map_err(db)?;
    c.pragma_update(None, "foreign_keys", "ON").map_err(db)?;
    Ok(c)
}

fn migrate(c: &mut Connection) -> Result<(), StoreError> {
    c.execute_batch(MIGRATIONS_TABLE).map_err(db)?;
    let tx = c
        .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
        .map_err(db)?;
    let current: i64 = tx
        .query_row(
            "SELECT COALESCE(MAX(version), 0) FROM ipt_schema_migrations",
            [],
            |r| r.get(0),
        )
        .map_err(db)?;
    if current > migrations::latest() {
        return Err(StoreError::Newer {
            found: current,
            known: migrations::latest(),
        });
    }
    for m in MIGRATIONS.iter().filter(|m| m.version > current) {
        tx.execute_batch(m.sqlite).map_err(db)?;
        tx.execute(
            "INSERT INTO ipt_schema_migrations (version, name, applied_at) VALUES (?1, ?2, ?3)",
            params![m.version, m.name, crate::clock::now()],
        )
        .map_err(db)?;
        tracing::info!(
            version = m.version,
            name = m.name,
            "store migrated (sqlite)"
        );
    }
    tx.commit().map_err(db)
}

impl SqliteStore {
    /// Opens (creating the file and its directory if need be) and migrates.
    pub fn open(path: &Path) -> Result<SqliteStore, StoreError> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|e| {
                StoreError::Database(format!("cannot create {}: {e}", dir.display()))
            })?;
        }
        let mut writer = connect(path)?;
        migrate(&mut writer)?;
        let readers = (0..READERS)
            .map(|_| connect(path).map(Mutex::new))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(SqliteStore {
            inner: Arc::new(Inner {
                writer: Mutex::new(writer),
                readers,
                next: AtomicUsize::new(0),
                appends: Mutex::new(Vec::new()),
                committing: std::sync::atomic::AtomicBool::new(false),
            }),
        })
    }

    fn write<T: Send + 'static>(
        &self,
        f: impl FnOnce(&mut Connection) -> Result<T, StoreError> + Send + 'static,
    ) -> StoreFuture<'static, T> {
        let inner = Arc::clone(&self.inner);
        Box::pin(async move {
            tokio::task::spawn_blocking(move || f(&mut lock(&inner.writer)))
                .await
                .map_err(|e| StoreError::Database(e.to_string()))?
        })
    }

    fn read<T: Send + 'static>(
        &self,
        f: impl FnOnce(&Connection) -> Result<T, StoreError> + Send + 'static,
    ) -> StoreFuture<'static, T> {
        let inner = Arc::clone(&self.inner);
        Box::pin(async move {
            tokio::task::spawn_blocking(move || {
                let i = inner.next.fetch_add(1, Ordering::Relaxed) % inner.readers.len().max(1);
                match inner.readers.get(i) {
                    Some(r) => f(&lock(r)),
                    None => f(&lock(&inner.writer)),
                }
            })
            .await
            .map_err(|e| StoreError::Database(e.to_string()))?
        })
    }
}

/// Runs `f` in a transaction committed with `synchronous = FULL` (on disk when it returns).
fn durably<T>(
    c: &mut Connection,
    f: impl FnOnce(&rusqlite::Transaction<'_>) -> Result<T, StoreError>,
) -> Result<T, StoreError> {
    c.pragma_update(None, "synchronous", "FULL").map_err(db)?;
    let result = (|| {
        let tx = c
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
            .map_err(db)?;
        let v = f(&tx)?;
        tx.commit().map_err(db)?;
        Ok(v)
    })();
    c.pragma_update(None, "synchronous", "NORMAL").map_err(db)?;
    result
}

/// The committer: commits the queue until it finds it empty, then stops, unless an append
/// queued meanwhile finds it stopped and another committer is needed (which it becomes).
fn committer(inner: &Inner) {
    loop {
        commit_appends(inner);
        inner.committing.store(false, Ordering::SeqCst);
        let more = !inner
            .appends
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .is_empty();
        // An append queued after the last commit either saw a committer running (this one:
        // it goes on) or started one (this one stops).
        if !more || inner.committing.swap(true, Ordering::SeqCst) {
            return;
        }
    }
}

/// Commits every append queued, as one transaction, and answers each; does nothing when the
/// queue is empty.
fn commit_appends(inner: &Inner) {
    let mut c = lock(&inner.writer);
    let batch = std::mem::take(
        &mut *inner
            .appends
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner),
    );
    if batch.is_empty() {
        return;
    }
    let results = durably(&mut c, |tx| {
        let mut out = Vec::with_capacity(batch.len());
        for p in &batch {
            tx.execute_batch("SAVEPOINT append").map_err(db)?;
            let r = append_one(tx, p);
            let keep = matches!(r, Ok(Appended::Stored));
            if !keep {
                tx.execute_batch("ROLLBACK TO append").map_err(db)?;
            }
            tx.execute_batch("RELEASE append").map_err(db)?;
            out.push(r);
        }
        Ok(out)
    });
    match results {
        Ok(rs) => {
            for (p, r) in batch.into_iter().zip(rs) {
                let _ = p.reply.send(r);
            }
        }
        Err(e) => {
            tracing::error!(error = %e, appends = batch.len(), "course events not committed");
            for p in batch {
                let _ = p.reply.send(Err(StoreError::Database(e.to_string())));
            }
        }
    }
}

/// One append, in the group's transaction: the event at its position (the primary key
/// refuses a taken one), then the course advanced from the version before it.
fn append_one(tx: &Connection, p: &PendingAppend) -> Result<Appended, StoreError> {
    let found: Option<i64> = tx
        .prepare_cached("SELECT version FROM course WHERE id = ?1 AND issuer = ?2 AND tenant = ?3")
        .map_err(db)?
        .query_row(params![p.course_id, p.scope.issuer, p.scope.tenant], |r| {
            r.get(0)
        })
        .optional()
        .map_err(db)?;
    if found.is_none() {
        return Ok(Appended::NotFound);
    }
    let e = &p.event;
    let inserted = tx
        .prepare_cached(
            "INSERT INTO course_event (course_id, position, kind, event, clinical_date,
                 recorded_by, recorded_user, received_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
             ON CONFLICT (course_id, position) DO NOTHING",
        )
        .map_err(db)?
        .execute(params![
            p.course_id,
            e.position,
            e.kind,
            e.event,
            e.clinical_date,
            e.by.subject,
            e.by.user_id,
            e.received_at_ms
        ])
        .map_err(db)?;
    if inserted == 0 {
        return Ok(Appended::Conflict);
    }
    let advanced = tx
        .prepare_cached(
            "UPDATE course SET version = ?1, snapshot = ?2, updated_at = ?3
             WHERE id = ?4 AND version = ?5",
        )
        .map_err(db)?
        .execute(params![
            e.position,
            p.snapshot,
            e.received_at_ms,
            p.course_id,
            e.position - 1
        ])
        .map_err(db)?;
    Ok(if advanced == 1 {
        Appended::Stored
    } else {
        Appended::Conflict
    })
}

const COURSE_COLUMNS: &str =
    "id, patient_id, start, version, snapshot, created_by, created_user, created_at, updated_at";

fn course_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<CourseRow> {
    Ok(CourseRow {
        id: r.get(0)?,
        patient_id: r.get(1)?,
        start: r.get(2)?,
        version: r.get(3)?,
        snapshot: r.get(4)?,
        created_by: Recorder {
            subject: r.get(5)?,
            user_id: r.get(6)?,
        },
        created_at_ms: r.get(7)?,
        updated_at_ms: r.get(8)?,
    })
}

impl Store for SqliteStore {
    fn kind(&self) -> &'static str {
        "sqlite"
    }

    fn ping(&self) -> StoreFuture<'_, ()> {
        self.read(|c| c.query_row("SELECT 1", [], |_| Ok(())).map_err(db))
    }

    fn schema_version(&self) -> StoreFuture<'_, i64> {
        self.read(|c| {
            c.query_row(
                "SELECT COALESCE(MAX(version), 0) FROM ipt_schema_migrations",
                [],
                |r| r.get(0),
            )
            .map_err(db)
        })
    }

    fn claim_jti<'a>(
        &'a self,
        issuer: &'a str,
        jti: &'a str,
        expires_at: i64,
        now: i64,
    ) -> StoreFuture<'a, bool> {
        let (issuer, jti) = (issuer.to_owned(), jti.to_owned());
        self.write(move |c| {
            let n = c
                .execute(
                    "INSERT INTO jti (issuer, jti, expires_at) VALUES (?1, ?2, ?3)
                     ON CONFLICT (issuer, jti) DO UPDATE SET expires_at = excluded.expires_at
                     WHERE jti.expires_at < ?4",
                    params![issuer, jti, expires_at, now],
                )
                .map_err(db)?;
            Ok(n == 1)
        })
    }

    fn record_cards<'a>(
        &'a self,
        scope: &'a Scope,
        service: &'a str,
        cards: &'a [IssuedCard],
        now: i64,
    ) -> StoreFuture<'a, ()> {
        let (scope, service, cards) = (scope.clone(), service.to_owned(), cards.to_vec());
        self.write(move |c| {
            let tx = c.transaction().map_err(db)?;
            {
                let mut st = tx
                    .prepare_cached(
                        "INSERT INTO issued_card (issuer, tenant, service_id, uuid, rule_id, indicator,
                             suggestions, first_issued_at, last_issued_at)
                         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8)
                         ON CONFLICT (issuer, tenant, service_id, uuid)
                         DO UPDATE SET last_issued_at = excluded.last_issued_at
                         WHERE issued_card.last_issued_at < excluded.last_issued_at - ?9",
                    )
                    .map_err(db)?;
                for card in &cards {
                    let suggestions = serde_json::to_string(&card.suggestions).unwrap_or_default();
                    st.execute(params![
                        scope.issuer,
                        scope.tenant,
                        service,
                        card.uuid,
                        card.rule_id,
                        card.indicator,
                        suggestions,
                        now,
                        REISSUE_WRITE_INTERVAL_S
                    ])
                    .map_err(db)?;
                }
            }
            tx.commit().map_err(db)
        })
    }

    fn find_cards<'a>(
        &'a self,
        scope: &'a Scope,
        service: &'a str,
        uuids: &'a [String],
    ) -> StoreFuture<'a, Vec<IssuedCard>> {
        let (scope, service, uuids) = (scope.clone(), service.to_owned(), uuids.to_vec());
        self.read(move |c| {
            let mut st = c
                .prepare_cached(
                    "SELECT rule_id, indicator, suggestions FROM issued_card
                     WHERE issuer = ?1 AND tenant = ?2 AND service_id = ?3 AND uuid = ?4",
                )
                .map_err(db)?;
            let mut out = Vec::new();
            for uuid in uuids {
                let row = st
                    .query_row(params![scope.issuer, scope.tenant, service, uuid], |r| {
                        Ok((
                            r.get::<_, String>(0)?,
                            r.get::<_, String>(1)?,
                            r.get::<_, String>(2)?,
                        ))
                    })
                    .optional()
                    .map_err(db)?;
                if let Some((rule_id, indicator, suggestions)) = row {
                    out.push(IssuedCard {
                        uuid,
                        rule_id,
                        indicator,
                        suggestions: serde_json::from_str(&suggestions).unwrap_or_default(),
                    });
                }
            }
            Ok(out)
        })
    }

    fn add_feedback<'a>(
        &'a self,
        scope: &'a Scope,
        service: &'a str,
        items: &'a [FeedbackRecord],
        now: i64,
    ) -> StoreFuture<'a, FeedbackStored> {
        let (scope, service, items) = (scope.clone(), service.to_owned(), items.to_vec());
        self.write(move |c| {
            c.pragma_update(None, "synchronous", "FULL").map_err(db)?;
            let result = (|| {
                let tx = c.transaction().map_err(db)?;
                let mut stored = 0;
                {
                    let mut st = tx
                        .prepare_cached(
                            "INSERT INTO feedback (issuer, tenant, service_id, card_uuid, rule_id, outcome,
                                 outcome_timestamp, accepted_suggestions, override_system, override_code,
                                 override_display, override_comment, received_at, digest)
                             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)
                             ON CONFLICT (issuer, tenant, digest) DO NOTHING",
                        )
                        .map_err(db)?;
                    for f in &items {
                        let (system, code, display) = match &f.override_reason {
                            Some((s, c, d)) => (Some(s), Some(c), d.as_ref()),
                            None => (None, None, None),
                        };
                        stored += st
                            .execute(params![
                                scope.issuer,
                                scope.tenant,
                                service,
                                f.card,
                                f.rule_id,
                                f.outcome,
                                f.outcome_timestamp,
                                f.accepted_suggestions,
                                system,
                                code,
                                display,
                                f.override_comment,
                                now,
                                f.digest
                            ])
                            .map_err(db)?;
                    }
                }
                tx.commit().map_err(db)?;
                Ok(FeedbackStored {
                    stored,
                    duplicates: items.len() - stored,
                })
            })();
            c.pragma_update(None, "synchronous", "NORMAL").map_err(db)?;
            result
        })
    }

    fn feedback_summary<'a>(
        &'a self,
        filter: &'a SummaryFilter,
    ) -> StoreFuture<'a, BTreeMap<String, RuleCounts>> {
        let filter = filter.clone();
        self.read(move |c| {
            let (i, t) = (filter.issuer, filter.tenant);
            let scope = "(?1 IS NULL OR issuer = ?1) AND (?2 IS NULL OR tenant = ?2)";
            let issued = c
                .prepare(&format!(
                    "SELECT rule_id, COUNT(*) FROM issued_card WHERE {scope} GROUP BY rule_id"
                ))
                .map_err(db)?
                .query_map(params![i, t], |r| Ok((r.get(0)?, r.get(1)?)))
                .map_err(db)?
                .collect::<Result<Vec<_>, _>>()
                .map_err(db)?;
            let outcomes = c
                .prepare(&format!(
                    "SELECT rule_id, outcome, COUNT(*) FROM feedback WHERE {scope}
                     GROUP BY rule_id, outcome"
                ))
                .map_err(db)?
                .query_map(params![i, t], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
                .map_err(db)?
                .collect::<Result<Vec<_>, _>>()
                .map_err(db)?;
            let reasons = c
                .prepare(&format!(
                    "SELECT rule_id, override_system, override_code, MAX(override_display), COUNT(*)
                     FROM feedback WHERE {scope} AND outcome = 'overridden'
                     GROUP BY rule_id, override_system, override_code
                     ORDER BY rule_id, COUNT(*) DESC, override_system, override_code"
                ))
                .map_err(db)?
                .query_map(params![i, t], |r| {
                    Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
                })
                .map_err(db)?
                .collect::<Result<Vec<_>, _>>()
                .map_err(db)?;
            Ok(super::group_summary(issued, outcomes, reasons))
        })
    }

    fn prune(&self, now: i64, cards_before: i64) -> StoreFuture<'_, Pruned> {
        self.write(move |c| {
            let jtis = c
                .execute("DELETE FROM jti WHERE expires_at < ?1", params![now])
                .map_err(db)?;
            let cards = c
                .execute(
                    "DELETE FROM issued_card WHERE last_issued_at < ?1",
                    params![cards_before],
                )
                .map_err(db)?;
            Ok(Pruned {
                jtis: jtis as u64,
                cards: cards as u64,
            })
        })
    }

    fn create_course<'a>(&'a self, scope: &'a Scope, course: &'a NewCourse) -> StoreFuture<'a, ()> {
        let (scope, c) = (scope.clone(), course.clone());
        self.write(move |conn| {
            durably(conn, |tx| {
                tx.prepare_cached(
                    "INSERT INTO course (id, issuer, tenant, patient_id, start, created_by,
                         created_user, created_at, version, snapshot, updated_at)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, 0, ?9, ?8)",
                )
                .map_err(db)?
                .execute(params![
                    c.id,
                    scope.issuer,
                    scope.tenant,
                    c.patient_id,
                    c.start,
                    c.by.subject,
                    c.by.user_id,
                    c.at_ms,
                    c.snapshot
                ])
                .map_err(db)?;
                Ok(())
            })
        })
    }

    fn course<'a>(&'a self, scope: &'a Scope, id: &'a str) -> StoreFuture<'a, Option<CourseRow>> {
        let (scope, id) = (scope.clone(), id.to_owned());
        self.read(move |c| {
            c.prepare_cached(&format!(
                "SELECT {COURSE_COLUMNS} FROM course WHERE id = ?1 AND issuer = ?2 AND tenant = ?3"
            ))
            .map_err(db)?
            .query_row(params![id, scope.issuer, scope.tenant], course_row)
            .optional()
            .map_err(db)
        })
    }

    fn patient_courses<'a>(
        &'a self,
        scope: &'a Scope,
        patient_id: &'a str,
        limit: i64,
    ) -> StoreFuture<'a, Vec<CourseRow>> {
        let (scope, patient) = (scope.clone(), patient_id.to_owned());
        self.read(move |c| {
            c.prepare_cached(&format!(
                "SELECT {COURSE_COLUMNS} FROM course
                 WHERE issuer = ?1 AND tenant = ?2 AND patient_id = ?3
                 ORDER BY updated_at DESC, id LIMIT ?4"
            ))
            .map_err(db)?
            .query_map(
                params![scope.issuer, scope.tenant, patient, limit],
                course_row,
            )
            .map_err(db)?
            .collect::<Result<Vec<_>, _>>()
            .map_err(db)
        })
    }

    fn append_event<'a>(
        &'a self,
        scope: &'a Scope,
        course_id: &'a str,
        event: &'a NewEvent,
        snapshot: &'a str,
    ) -> StoreFuture<'a, Appended> {
        let (tx, rx) = tokio::sync::oneshot::channel();
        let pending = PendingAppend {
            scope: scope.clone(),
            course_id: course_id.to_owned(),
            event: event.clone(),
            snapshot: snapshot.to_owned(),
            reply: tx,
        };
        let inner = Arc::clone(&self.inner);
        Box::pin(async move {
            inner
                .appends
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
                .push(pending);
            if !inner.committing.swap(true, Ordering::SeqCst) {
                let inner = Arc::clone(&inner);
                tokio::task::spawn_blocking(move || committer(&inner));
            }
            rx.await
                .map_err(|_| StoreError::Database("the commit was abandoned".into()))?
        })
    }

    fn course_events<'a>(
        &'a self,
        scope: &'a Scope,
        course_id: &'a str,
        after: i64,
        limit: i64,
    ) -> StoreFuture<'a, Option<Vec<StoredEvent>>> {
        let (scope, id) = (scope.clone(), course_id.to_owned());
        self.read(move |c| {
            let found = c
                .prepare_cached("SELECT 1 FROM course WHERE id = ?1 AND issuer = ?2 AND tenant = ?3")
                .map_err(db)?
                .query_row(params![id, scope.issuer, scope.tenant], |_| Ok(()))
                .optional()
                .map_err(db)?;
            if found.is_none() {
                return Ok(None);
            }
            c.prepare_cached(
                "SELECT position, kind, event, clinical_date, recorded_by, recorded_user, received_at
                 FROM course_event WHERE course_id = ?1 AND position > ?2
                 ORDER BY position LIMIT ?3",
            )
            .map_err(db)?
            .query_map(params![id, after, limit], |r| {
                Ok(StoredEvent {
                    position: r.get(0)?,
                    kind: r.get(1)?,
                    event: r.get(2)?,
                    clinical_date: r.get(3)?,
                    by: Recorder {
                        subject: r.get(4)?,
                        user_id: r.get(5)?,
                    },
                    received_at_ms: r.get(6)?,
                })
            })
            .map_err(db)?
            .collect::<Result<Vec<_>, _>>()
            .map(Some)
            .map_err(db)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scope(t: &str) -> Scope {
        Scope {
            issuer: "https://ehr".into(),
            tenant: t.into(),
        }
    }

    fn feedback(card: &str, digest: &str) -> FeedbackRecord {
        FeedbackRecord {
            card: card.into(),
            rule_id: "C-PSYCHOSIS".into(),
            outcome: "overridden".into(),
            outcome_timestamp: "2026-01-05T10:00:00Z".into(),
            accepted_suggestions: "[]".into(),
            override_reason: Some((
                "urn:x".into(),
                "clinical-judgement".into(),
                Some("J".into()),
            )),
            override_comment: None,
            digest: digest.into(),
        }
    }

    #[tokio::test]
    async fn the_store_keeps_what_it_acknowledged_across_a_reopen() {
        let dir = std::env::temp_dir().join(format!("ipt-sqlite-{}", crate::jose::random_hex(8)));
        let path = dir.join("nested").join("s.sqlite3");
        {
            let s = SqliteStore::open(&path).unwrap();
            assert_eq!(s.schema_version().await.unwrap(), 2);
            assert!(s.claim_jti("i", "j", 100, 10).await.unwrap());
            assert!(!s.claim_jti("i", "j", 100, 10).await.unwrap());
            // Expired: the id may be used again.
            assert!(s.claim_jti("i", "j", 200, 150).await.unwrap());
            let card = IssuedCard {
                uuid: "u1".into(),
                rule_id: "C-PSYCHOSIS".into(),
                indicator: "warning".into(),
                suggestions: vec!["s1".into()],
            };
            s.record_cards(&scope("a"), "svc", std::slice::from_ref(&card), 10)
                .await
                .unwrap();
            s.record_cards(&scope("a"), "svc", std::slice::from_ref(&card), 20)
                .await
                .unwrap();
            assert_eq!(
                s.find_cards(&scope("a"), "svc", &["u1".into(), "u2".into()])
                    .await
                    .unwrap(),
                vec![card]
            );
            assert!(s
                .find_cards(&scope("b"), "svc", &["u1".into()])
                .await
                .unwrap()
                .is_empty());
            let items = [feedback("u1", "d1"), feedback("u1", "d1")];
            let r = s
                .add_feedback(&scope("a"), "svc", &items, 30)
                .await
                .unwrap();
            assert_eq!(
                r,
                FeedbackStored {
                    stored: 1,
                    duplicates: 1
                }
            );
        }
        let s = SqliteStore::open(&path).unwrap();
        assert!(!s.claim_jti("i", "j", 200, 160).await.unwrap());
        let sum = s
            .feedback_summary(&SummaryFilter {
                issuer: Some("https://ehr".into()),
                tenant: Some("a".into()),
            })
            .await
            .unwrap();
        let c = &sum["C-PSYCHOSIS"];
        assert_eq!((c.cards_issued, c.accepted, c.overridden), (1, 0, 1));
        let other = s
            .feedback_summary(&SummaryFilter {
                issuer: None,
                tenant: Some("b".into()),
            })
            .await
            .unwrap();
        assert!(other.is_empty());
        let p = s.prune(300, 15).await.unwrap();
        assert_eq!(p, Pruned { jtis: 1, cards: 1 });
        std::fs::remove_dir_all(dir).unwrap();
    }
}
