//! The `ipt` command line's testable parts. The binary is `src/main.rs`.

pub mod date;
pub mod line;
