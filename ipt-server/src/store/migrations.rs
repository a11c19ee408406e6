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
pub const MIGRATIONS: &[Migration] = &[Migration {
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
}];

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
