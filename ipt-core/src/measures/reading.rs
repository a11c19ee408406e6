//! What a reading of a measure decided, for its words.

use crate::findings::Finding;

use super::instrument::{Band, Instrument};

/// What a reading decided, for its words.
#[derive(Debug, Clone, PartialEq)]
pub struct Reading {
    /// The instrument.
    pub instrument: Instrument,
    /// The current total and band; `None` when an item is missing.
    pub scored: Option<(u32, Band)>,
    /// The items not answered (0-based).
    pub missing_items: Vec<usize>,
    /// The baseline total and band.
    pub baseline: Option<(u32, Band)>,
    /// Current minus baseline.
    pub change: Option<i64>,
    /// The change in tenths of a percent.
    pub tenths: Option<i64>,
    /// Response.
    pub response: Finding,
    /// Remission.
    pub remission: Option<bool>,
}
