//! The PostgreSQL store: a pool of connections (deadpool-postgres over tokio-postgres).
//! Migrations run under a transaction-scoped advisory lock, so several servers starting on one
//! database migrate it once. Commits are PostgreSQL's default (`synchronous_commit = on`).
//! Connections are made without TLS: reach the database on a private network, a Unix socket or
//! through a TLS tunnel (README, "Run the service").
//!
//! Token ids and cards are committed with `synchronous_commit = off` (the connection's
//! default here): a crash of PostgreSQL itself may lose the last fraction of a second of them,
//! which only reopens a replay window of minutes for those tokens; a restart of this server
//! loses nothing. Feedback and courses are committed with `synchronous_commit = on`: what was
//! acknowledged is on disk. Course writes have connections of their own, whose commits wait
//! for the disk, and each is one statement (one transaction, one round trip); PostgreSQL
//! flushes the commits of concurrent transactions together, so appends on many connections
//! share their flushes.

use std::collections::BTreeMap;

use deadpool_postgres::{Manager, ManagerConfig, Pool, RecyclingMethod};
use tokio_postgres::NoTls;

use super::migrations::{self, MIGRATIONS, MIGRATIONS_TABLE, REISSUE_WRITE_INTERVAL_S};
use super::{
    Appended, CourseRow, FeedbackRecord, FeedbackStored, IssuedCard, NewCourse, NewEvent, Pruned,
    Recorder, RuleCounts, Scope, Store, StoreError, StoreFuture, StoredEvent, SummaryFilter,
};

const COURSE_COLUMNS: &str =
    "id, patient_id, start, version, snapshot, created_by, created_user, created_at, updated_at";

fn course_row(r: &tokio_postgres::Row) -> CourseRow {
    CourseRow {
        id: r.get(0),
        patient_id: r.get(1),
        start: r.get(2),
        version: r.get(3),
        snapshot: r.get(4),
        created_by: Recorder {
            subject: r.get(5),
            user_id: r.get(6),
        },
        created_at_ms: r.get(7),
        updated_at_ms: r.get(8),
    }
}

/// Any number: the key of the advisory lock migrations take.
const MIGRATION_LOCK: i64 = 0x6970_7473_6572_7665;

const POOL_SIZE: usize = 16;

/// Connections whose commits wait for the disk (`synchronous_commit = on`): course events.
const DURABLE_POOL_SIZE: usize = 8;

/// The PostgreSQL store.
pub struct PgStore {
    pool: Pool,
    /// Connections that commit durably, for the courses' writes, each one statement.
    durable: Pool,
}

/// An error with its causes (tokio-postgres says `db error` and puts PostgreSQL's message in
/// the cause).
fn db(e: impl std::error::Error) -> StoreError {
    let mut text = e.to_string();
    let mut cause = e.source();
    while let Some(c) = cause {
        text.push_str(": ");
        text.push_str(&c.to_string());
        cause = c.source();
    }
    StoreError::Database(text)
}

impl PgStore {
    /// Connects and migrates.
    pub async fn open(url: &str) -> Result<PgStore, StoreError> {
        let mut config: tokio_postgres::Config = url
            .parse()
            .map_err(|e| StoreError::Url(format!("not a PostgreSQL URL: {e}")))?;
        let options = config.get_options().unwrap_or_default().to_owned();
        if config.get_application_name().is_none() {
            config.application_name("ipt-server");
        }
        let pool_of = |mut config: tokio_postgres::Config, commit: &str, size: usize| {
            config.options(format!("{options} -c synchronous_commit={commit}").trim());
            let manager = Manager::from_config(
                config,
                NoTls,
                ManagerConfig {
                    recycling_method: RecyclingMethod::Fast,
                },
            );
            Pool::builder(manager)
                .max_size(size)
                .runtime(deadpool_postgres::Runtime::Tokio1)
                .build()
                .map_err(db)
        };
        let store = PgStore {
            pool: pool_of(config.clone(), "off", POOL_SIZE)?,
            durable: pool_of(config, "on", DURABLE_POOL_SIZE)?,
        };
        store.migrate().await?;
        Ok(store)
    }

    async fn migrate(&self) -> Result<(), StoreError> {
        let mut c = self.pool.get().await.map_err(db)?;
        let tx = c.transaction().await.map_err(db)?;
        tx.execute("SELECT pg_advisory_xact_lock($1)", &[&MIGRATION_LOCK])
            .await
            .map_err(db)?;
        tx.batch_execute(MIGRATIONS_TABLE).await.map_err(db)?;
        let current: i64 = tx
            .query_one(
                "SELECT COALESCE(MAX(version), 0)::BIGINT FROM ipt_schema_migrations",
                &[],
            )
            .await
            .map_err(db)?
            .get(0);
        if current > migrations::latest() {
            return Err(StoreError::Newer {
                found: current,
                known: migrations::latest(),
            });
        }
        for m in MIGRATIONS.iter().filter(|m| m.version > current) {
            tx.batch_execute(m.postgres).await.map_err(db)?;
            tx.execute(
                "INSERT INTO ipt_schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)",
                &[&m.version, &m.name, &crate::clock::now()],
            )
            .await
            .map_err(db)?;
            tracing::info!(
                version = m.version,
                name = m.name,
                "store migrated (postgres)"
            );
        }
        tx.commit().await.map_err(db)
    }
}

impl Store for PgStore {
    fn kind(&self) -> &'static str {
        "postgres"
    }

    fn ping(&self) -> StoreFuture<'_, ()> {
        Box::pin(async move {
            let c = self.pool.get().await.map_err(db)?;
            c.query_one("SELECT 1", &[]).await.map_err(db)?;
            Ok(())
        })
    }

    fn schema_version(&self) -> StoreFuture<'_, i64> {
        Box::pin(async move {
            let c = self.pool.get().await.map_err(db)?;
            let row = c
                .query_one(
                    "SELECT COALESCE(MAX(version), 0)::BIGINT FROM ipt_schema_migrations",
                    &[],
                )
                .await
                .map_err(db)?;
            Ok(row.get(0))
        })
    }

    fn claim_jti<'a>(
        &'a self,
        issuer: &'a str,
        jti: &'a str,
        expires_at: i64,
        now: i64,
    ) -> StoreFuture<'a, bool> {
        Box::pin(async move {
            let c = self.pool.get().await.map_err(db)?;
            let st = c
                .prepare_cached(
                    "INSERT INTO jti (issuer, jti, expires_at) VALUES ($1, $2, $3)
                     ON CONFLICT (issuer, jti) DO UPDATE SET expires_at = excluded.expires_at
                     WHERE jti.expires_at < $4",
                )
                .await
                .map_err(db)?;
            let n = c
                .execute(&st, &[&issuer, &jti, &expires_at, &now])
                .await
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
        Box::pin(async move {
            if cards.is_empty() {
                return Ok(());
            }
            let mut c = self.pool.get().await.map_err(db)?;
            let tx = c.transaction().await.map_err(db)?;
            let st = tx
                .prepare_cached(
                    "INSERT INTO issued_card (issuer, tenant, service_id, uuid, rule_id, indicator,
                         suggestions, first_issued_at, last_issued_at)
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8)
                     ON CONFLICT (issuer, tenant, service_id, uuid)
                     DO UPDATE SET last_issued_at = excluded.last_issued_at
                     WHERE issued_card.last_issued_at < excluded.last_issued_at - $9",
                )
                .await
                .map_err(db)?;
            for card in cards {
                let suggestions = serde_json::to_string(&card.suggestions).unwrap_or_default();
                tx.execute(
                    &st,
                    &[
                        &scope.issuer,
                        &scope.tenant,
                        &service,
                        &card.uuid,
                        &card.rule_id,
                        &card.indicator,
                        &suggestions,
                        &now,
                        &REISSUE_WRITE_INTERVAL_S,
                    ],
                )
                .await
                .map_err(db)?;
            }
            tx.commit().await.map_err(db)
        })
    }

    fn find_cards<'a>(
        &'a self,
        scope: &'a Scope,
        service: &'a str,
        uuids: &'a [String],
    ) -> StoreFuture<'a, Vec<IssuedCard>> {
        Box::pin(async move {
            let c = self.pool.get().await.map_err(db)?;
            let rows = c
                .query(
                    "SELECT uuid, rule_id, indicator, suggestions FROM issued_card
                     WHERE issuer = $1 AND tenant = $2 AND service_id = $3 AND uuid = ANY($4)",
                    &[&scope.issuer, &scope.tenant, &service, &uuids],
                )
                .await
                .map_err(db)?;
            Ok(rows
                .iter()
                .map(|r| IssuedCard {
                    uuid: r.get(0),
                    rule_id: r.get(1),
                    indicator: r.get(2),
                    suggestions: serde_json::from_str(r.get::<_, &str>(3)).unwrap_or_default(),
                })
                .collect())
        })
    }

    fn add_feedback<'a>(
        &'a self,
        scope: &'a Scope,
        service: &'a str,
        items: &'a [FeedbackRecord],
        now: i64,
    ) -> StoreFuture<'a, FeedbackStored> {
        Box::pin(async move {
            let mut c = self.pool.get().await.map_err(db)?;
            let tx = c.transaction().await.map_err(db)?;
            tx.batch_execute("SET LOCAL synchronous_commit = on")
                .await
                .map_err(db)?;
            let st = tx
                .prepare_cached(
                    "INSERT INTO feedback (issuer, tenant, service_id, card_uuid, rule_id, outcome,
                         outcome_timestamp, accepted_suggestions, override_system, override_code,
                         override_display, override_comment, received_at, digest)
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)
                     ON CONFLICT (issuer, tenant, digest) DO NOTHING",
                )
                .await
                .map_err(db)?;
            let mut stored = 0;
            for f in items {
                let (system, code, display) = match &f.override_reason {
                    Some((s, c, d)) => (Some(s), Some(c), d.as_ref()),
                    None => (None, None, None),
                };
                stored += tx
                    .execute(
                        &st,
                        &[
                            &scope.issuer,
                            &scope.tenant,
                            &service,
                            &f.card,
                            &f.rule_id,
                            &f.outcome,
                            &f.outcome_timestamp,
                            &f.accepted_suggestions,
                            &system,
                            &code,
                            &display,
                            &f.override_comment,
                            &now,
                            &f.digest,
                        ],
                    )
                    .await
                    .map_err(db)? as usize;
            }
            tx.commit().await.map_err(db)?;
            Ok(FeedbackStored {
                stored,
                duplicates: items.len() - stored,
            })
        })
    }

    fn feedback_summary<'a>(
        &'a self,
        filter: &'a SummaryFilter,
    ) -> StoreFuture<'a, BTreeMap<String, RuleCounts>> {
        Box::pin(async move {
            let c = self.pool.get().await.map_err(db)?;
            let (i, t) = (&filter.issuer, &filter.tenant);
            let scope = "($1::TEXT IS NULL OR issuer = $1) AND ($2::TEXT IS NULL OR tenant = $2)";
            let issued = c
                .query(
                    &format!(
                        "SELECT rule_id, COUNT(*) FROM issued_card WHERE {scope} GROUP BY rule_id"
                    ),
                    &[i, t],
                )
                .await
                .map_err(db)?
                .iter()
                .map(|r| (r.get(0), r.get(1)))
                .collect();
            let outcomes = c
                .query(
                    &format!(
                        "SELECT rule_id, outcome, COUNT(*) FROM feedback WHERE {scope}
                         GROUP BY rule_id, outcome"
                    ),
                    &[i, t],
                )
                .await
                .map_err(db)?
                .iter()
                .map(|r| (r.get(0), r.get(1), r.get(2)))
                .collect();
            let reasons = c
                .query(
                    &format!(
                        "SELECT rule_id, override_system, override_code, MAX(override_display), COUNT(*)
                         FROM feedback WHERE {scope} AND outcome = 'overridden'
                         GROUP BY rule_id, override_system, override_code
                         ORDER BY rule_id, COUNT(*) DESC, override_system, override_code"
                    ),
                    &[i, t],
                )
                .await
                .map_err(db)?
                .iter()
                .map(|r| (r.get(0), r.get(1), r.get(2), r.get(3), r.get(4)))
                .collect();
            Ok(super::group_summary(issued, outcomes, reasons))
        })
    }

    fn prune(&self, now: i64, cards_before: i64) -> StoreFuture<'_, Pruned> {
        Box::pin(async move {
            let c = self.pool.get().await.map_err(db)?;
            let jtis = c
                .execute("DELETE FROM jti WHERE expires_at < $1", &[&now])
                .await
                .map_err(db)?;
            let cards = c
                .execute(
                    "DELETE FROM issued_card WHERE last_issued_at < $1",
                    &[&cards_before],
                )
                .await
                .map_err(db)?;
            Ok(Pruned { jtis, cards })
        })
    }

    fn create_course<'a>(&'a self, scope: &'a Scope, course: &'a NewCourse) -> StoreFuture<'a, ()> {
        Box::pin(async move {
            let c = self.durable.get().await.map_err(db)?;
            let st = c
                .prepare_cached(
                    "INSERT INTO course (id, issuer, tenant, patient_id, start, created_by,
                         created_user, created_at, version, snapshot, updated_at)
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 0, $9, $8)",
                )
                .await
                .map_err(db)?;
            c.execute(
                &st,
                &[
                    &course.id,
                    &scope.issuer,
                    &scope.tenant,
                    &course.patient_id,
                    &course.start,
                    &course.by.subject,
                    &course.by.user_id,
                    &course.at_ms,
                    &course.snapshot,
                ],
            )
            .await
            .map_err(db)?;
            Ok(())
        })
    }

    fn course<'a>(&'a self, scope: &'a Scope, id: &'a str) -> StoreFuture<'a, Option<CourseRow>> {
        Box::pin(async move {
            let c = self.pool.get().await.map_err(db)?;
            let st = c
                .prepare_cached(&format!(
                    "SELECT {COURSE_COLUMNS} FROM course WHERE id = $1 AND issuer = $2 AND tenant = $3"
                ))
                .await
                .map_err(db)?;
            let row = c
                .query_opt(&st, &[&id, &scope.issuer, &scope.tenant])
                .await
                .map_err(db)?;
            Ok(row.as_ref().map(course_row))
        })
    }

    fn patient_courses<'a>(
        &'a self,
        scope: &'a Scope,
        patient_id: &'a str,
        limit: i64,
    ) -> StoreFuture<'a, Vec<CourseRow>> {
        Box::pin(async move {
            let c = self.pool.get().await.map_err(db)?;
            let st = c
                .prepare_cached(&format!(
                    "SELECT {COURSE_COLUMNS} FROM course
                     WHERE issuer = $1 AND tenant = $2 AND patient_id = $3
                     ORDER BY updated_at DESC, id LIMIT $4"
                ))
                .await
                .map_err(db)?;
            let rows = c
                .query(&st, &[&scope.issuer, &scope.tenant, &patient_id, &limit])
                .await
                .map_err(db)?;
            Ok(rows.iter().map(course_row).collect())
        })
    }

    fn append_event<'a>(
        &'a self,
        scope: &'a Scope,
        course_id: &'a str,
        event: &'a NewEvent,
        snapshot: &'a str,
    ) -> StoreFuture<'a, Appended> {
        Box::pin(async move {
            let c = self.durable.get().await.map_err(db)?;
            // One statement, so one transaction and one round trip: the course row locked,
            // the event inserted at its position only if the course is at the version before
            // it and the position is free (the primary key decides: of two statements
            // inserting one position, the second waits for the first and inserts nothing),
            // and the course advanced only if the event was inserted.
            let st = c
                .prepare_cached(
                    "WITH found AS (
                         SELECT version FROM course
                         WHERE id = $1 AND issuer = $2 AND tenant = $3 FOR UPDATE),
                     inserted AS (
                         INSERT INTO course_event (course_id, position, kind, event,
                             clinical_date, recorded_by, recorded_user, received_at)
                         SELECT $1, $4, $5, $6, $7, $8, $9, $10 FROM found
                         WHERE found.version = $4::BIGINT - 1
                         ON CONFLICT (course_id, position) DO NOTHING
                         RETURNING position),
                     advanced AS (
                         UPDATE course SET version = $4, snapshot = $11, updated_at = $10
                         WHERE id = $1 AND EXISTS (SELECT 1 FROM inserted)
                         RETURNING version)
                     SELECT (SELECT COUNT(*) FROM found), (SELECT COUNT(*) FROM inserted),
                         (SELECT COUNT(*) FROM advanced)",
                )
                .await
                .map_err(db)?;
            let row = c
                .query_one(
                    &st,
                    &[
                        &course_id,
                        &scope.issuer,
                        &scope.tenant,
                        &event.position,
                        &event.kind,
                        &event.event,
                        &event.clinical_date,
                        &event.by.subject,
                        &event.by.user_id,
                        &event.received_at_ms,
                        &snapshot,
                    ],
                )
                .await
                .map_err(db)?;
            let (found, inserted, advanced): (i64, i64, i64) = (row.get(0), row.get(1), row.get(2));
            Ok(match (found, inserted, advanced) {
                (0, _, _) => Appended::NotFound,
                (_, 1, 1) => Appended::Stored,
                (_, 0, 0) => Appended::Conflict,
                other => {
                    return Err(StoreError::Database(format!(
                        "an append half done: {other:?}"
                    )))
                }
            })
        })
    }

    fn course_events<'a>(
        &'a self,
        scope: &'a Scope,
        course_id: &'a str,
        after: i64,
        limit: i64,
    ) -> StoreFuture<'a, Option<Vec<StoredEvent>>> {
        Box::pin(async move {
            let c = self.pool.get().await.map_err(db)?;
            let found = c
                .query_opt(
                    "SELECT 1 FROM course WHERE id = $1 AND issuer = $2 AND tenant = $3",
                    &[&course_id, &scope.issuer, &scope.tenant],
                )
                .await
                .map_err(db)?;
            if found.is_none() {
                return Ok(None);
            }
            let st = c
                .prepare_cached(
                    "SELECT position, kind, event, clinical_date, recorded_by, recorded_user,
                         received_at
                     FROM course_event WHERE course_id = $1 AND position > $2
                     ORDER BY position LIMIT $3",
                )
                .await
                .map_err(db)?;
            let rows = c
                .query(&st, &[&course_id, &after, &limit])
                .await
                .map_err(db)?;
            Ok(Some(
                rows.iter()
                    .map(|r| StoredEvent {
                        position: r.get(0),
                        kind: r.get(1),
                        event: r.get(2),
                        clinical_date: r.get(3),
                        by: Recorder {
                            subject: r.get(4),
                            user_id: r.get(5),
                        },
                        received_at_ms: r.get(6),
                    })
                    .collect(),
            ))
        })
    }
}
