//! Shared fixtures for the criterion benchmarks in `benches/benches/`.

/// A typical intake assessment: acute recurrent major depression, every finding recorded.
pub const TYPICAL_ASSESSMENT: &str = include_str!("../fixtures/typical_assessment.json");

pub mod records;
