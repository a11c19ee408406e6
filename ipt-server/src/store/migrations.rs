//! The store's schema, as versioned migrations. Each is applied once, in order, in its own
//! transaction, and recorded in `ipt_schema_migrations`; a migration is never edited once
//! released, only followed by another.

/// A migration: its version, its name, and its SQL for SQLite and for PostgreSQL.
#[derive(Debug, Clone, Copy)]
pub struct Migration {
    /// The version it brings the store to (1, 2, ...).
    pub version: i64,
    /// What it does.
    pub name: &'static str,
    /// SQLite statements.
    pub sqlite: &'static str,
    /// PostgreSQL statements.
    pub postgres: &'static str,
}

/// The table that records the migrations applied (the same on both backends).
pub const MIGRATIONS_TABLE: &str = "CREATE TABLE IF NOT EXISTS ipt_schema_migrations (
    version BIGINT PRIMARY KEY,
    name TEXT NOT NULL,
    applied_at BIGINT NOT NULL
)";

/// Every migration, in order.
pub const MIGRATIONS: &[Migration] = &[
    Migration {
        version: 1,
        name: "token ids, cards issued, feedback",
        sqlite: "
CREATE TABLE jti (
    issuer TEXT NOT NULL,
    jti TEXT NOT NULL,
    expires_at INTEGER NOT NULL,
    PRIMARY KEY (issuer, jti)
) WITHOUT ROWID;
CREATE INDEX jti_expires_at ON jti (expires_at);
CREATE TABLE issued_card (
    issuer TEXT NOT NULL,
    tenant TEXT NOT NULL,
    service_id TEXT NOT NULL,
    uuid TEXT NOT NULL,
    rule_id TEXT NOT NULL,
    indicator TEXT NOT NULL,
    suggestions TEXT NOT NULL,
    first_issued_at INTEGER NOT NULL,
    last_issued_at INTEGER NOT NULL,
    PRIMARY KEY (issuer, tenant, service_id, uuid)
) WITHOUT ROWID;
CREATE INDEX issued_card_last ON issued_card (last_issued_at);
CREATE TABLE feedback (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    issuer TEXT NOT NULL,
    tenant TEXT NOT NULL,
    service_id TEXT NOT NULL,
    card_uuid TEXT NOT NULL,
    rule_id TEXT NOT NULL,
    outcome TEXT NOT NULL CHECK (outcome IN ('accepted', 'overridden')),
    outcome_timestamp TEXT NOT NULL,
    accepted_suggestions TEXT NOT NULL,
    override_system TEXT,
    override_code TEXT,
    override_display TEXT,
    override_comment TEXT,
    received_at INTEGER NOT NULL,
    digest TEXT NOT NULL,
    UNIQUE (issuer, tenant, digest)
);
CREATE INDEX feedback_rule ON feedback (issuer, tenant, rule_id);
",
        postgres: "
CREATE TABLE jti (
    issuer TEXT NOT NULL,
    jti TEXT NOT NULL,
    expires_at BIGINT NOT NULL,
    PRIMARY KEY (issuer, jti)
);
CREATE INDEX jti_expires_at ON jti (expires_at);
CREATE TABLE issued_card (
    issuer TEXT NOT NULL,
    tenant TEXT NOT NULL,
    service_id TEXT NOT NULL,
    uuid TEXT NOT NULL,
    rule_id TEXT NOT NULL,
    indicator TEXT NOT NULL,
    suggestions TEXT NOT NULL,
    first_issued_at BIGINT NOT NULL,
    last_issued_at BIGINT NOT NULL,
    PRIMARY KEY (issuer, tenant, service_id, uuid)
);
CREATE INDEX issued_card_last ON issued_card (last_issued_at);
CREATE TABLE feedback (
    id BIGSERIAL PRIMARY KEY,
    issuer TEXT NOT NULL,
    tenant TEXT NOT NULL,
    service_id TEXT NOT NULL,
    card_uuid TEXT NOT NULL,
    rule_id TEXT NOT NULL,
    outcome TEXT NOT NULL CHECK (outcome IN ('accepted', 'overridden')),
    outcome_timestamp TEXT NOT NULL,
    accepted_suggestions TEXT NOT NULL,
    override_system TEXT,
    override_code TEXT,
    override_display TEXT,
    override_comment TEXT,
    received_at BIGINT NOT NULL,
    digest TEXT NOT NULL,
    UNIQUE (issuer, tenant, digest)
);
CREATE INDEX feedback_rule ON feedback (issuer, tenant, rule_id);
",
    },
    Migration {
        version: 2,
        name: "courses: their start, events (append-only) and snapshot",
        // A course's snapshot is kept as the text the engine wrote (never a JSON type that
        // reorders keys); its events are append-only, which triggers enforce, and the primary
        // key (course_id, position) lets one event take a position. No index holds what an
        // event changes in the course's row (its version, snapshot and time), so PostgreSQL
        // updates the row in place on its page (a HOT update, room left by the fill factor)
        // without touching an index; a patient's few courses are sorted when read. The
        // patient's index leads with the patient, so no lookup of a course by its id can take
        // it for the primary key's (every course of a scope shares its issuer and tenant).
        sqlite: "
CREATE TABLE course (
    id TEXT PRIMARY KEY NOT NULL,
    issuer TEXT NOT NULL,
    tenant TEXT NOT NULL,
    patient_id TEXT NOT NULL,
    start TEXT NOT NULL,
    created_by TEXT,
    created_user TEXT,
    created_at INTEGER NOT NULL,
    version INTEGER NOT NULL CHECK (version >= 0),
    snapshot TEXT NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX course_patient ON course (patient_id, issuer, tenant);
CREATE TABLE course_event (
    course_id TEXT NOT NULL REFERENCES course (id),
    position INTEGER NOT NULL CHECK (position >= 1),
    kind TEXT NOT NULL,
    event TEXT NOT NULL,
    clinical_date TEXT,
    recorded_by TEXT,
    recorded_user TEXT,
    received_at INTEGER NOT NULL,
    PRIMARY KEY (course_id, position)
);
CREATE TRIGGER course_event_no_update BEFORE UPDATE ON course_event
BEGIN SELECT RAISE(ABORT, 'course events are append-only'); END;
CREATE TRIGGER course_event_no_delete BEFORE DELETE ON course_event
BEGIN SELECT RAISE(ABORT, 'course events are append-only'); END;
CREATE TRIGGER course_identity_fixed BEFORE UPDATE OF id, issuer, tenant, patient_id, start,
    created_by, created_user, created_at ON course
BEGIN SELECT RAISE(ABORT, 'a course keeps its identity'); END;
CREATE TRIGGER course_version_steps BEFORE UPDATE OF version ON course
WHEN NEW.version <> OLD.version + 1
BEGIN SELECT RAISE(ABORT, 'a course advances one event at a time'); END;
",
        postgres: "
CREATE TABLE course (
    id TEXT PRIMARY KEY,
    issuer TEXT NOT NULL,
    tenant TEXT NOT NULL,
    patient_id TEXT NOT NULL,
    start TEXT NOT NULL,
    created_by TEXT,
    created_user TEXT,
    created_at BIGINT NOT NULL,
    version BIGINT NOT NULL CHECK (version >= 0),
    snapshot TEXT NOT NULL,
    updated_at BIGINT NOT NULL
) WITH (fillfactor = 70);
CREATE INDEX course_patient ON course (patient_id, issuer, tenant);
CREATE TABLE course_event (
    course_id TEXT NOT NULL REFERENCES course (id),
    position BIGINT NOT NULL CHECK (position >= 1),
    kind TEXT NOT NULL,
    event TEXT NOT NULL,
    clinical_date TEXT,
    recorded_by TEXT,
    recorded_user TEXT,
    received_at BIGINT NOT NULL,
    PRIMARY KEY (course_id, position)
);
CREATE FUNCTION ipt_course_event_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN RAISE EXCEPTION 'course events are append-only'; END $$;
CREATE TRIGGER course_event_append_only BEFORE UPDATE OR DELETE ON course_event
    FOR EACH ROW EXECUTE FUNCTION ipt_course_event_append_only();
CREATE TRIGGER course_event_no_truncate BEFORE TRUNCATE ON course_event
    FOR EACH STATEMENT EXECUTE FUNCTION ipt_course_event_append_only();
CREATE FUNCTION ipt_course_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF (NEW.id, NEW.issuer, NEW.tenant, NEW.patient_id, NEW.start, NEW.created_by,
        NEW.created_user, NEW.created_at) IS DISTINCT FROM
       (OLD.id, OLD.issuer, OLD.tenant, OLD.patient_id, OLD.start, OLD.created_by,
        OLD.created_user, OLD.created_at) THEN
        RAISE EXCEPTION 'a course keeps its identity';
    END IF;
    IF NEW.version <> OLD.version + 1 THEN
        RAISE EXCEPTION 'a course advances one event at a time';
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER course_guard BEFORE UPDATE ON course
    FOR EACH ROW EXECUTE FUNCTION ipt_course_guard();
",
    },
];

/// The newest schema version this server knows.
pub fn latest() -> i64 {
    MIGRATIONS.last().map_or(0, |m| m.version)
}

/// A card re-issued within this many seconds of its last recording is not written again (a
/// chart opened every minute should not be a write every minute).
pub const REISSUE_WRITE_INTERVAL_S: i64 = 3_600;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_are_consecutive_from_one() {
        for (i, m) in MIGRATIONS.iter().enumerate() {
            assert_eq!(m.version, i as i64 + 1, "{}", m.name);
        }
    }
}
