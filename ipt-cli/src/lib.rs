//! The `ipt` command line's testable parts. The binary is `src/main.rs`.

pub mod date;
pub mod demo;
pub mod line;
pub mod render;
pub mod rules;

use std::io;

use ipt_core::api;

/// Exit codes (also in `--help` and the README).
pub mod exit {
    /// Success, and a closed output pipe (`ipt rules | head`).
    pub const OK: u8 = 0;
    /// Usage error (clap's own code).
    pub const USAGE: u8 = 2;
    /// The engine rejected the input: invalid JSON, an invalid field, an unknown operation, a
    /// bad snapshot.
    pub const INVALID_INPUT: u8 = 3;
    /// The course refused the event (`transition_refused`).
    pub const REFUSED: u8 = 4;
    /// A file could not be read or written.
    pub const IO: u8 = 5;
}

/// Why a command could not finish.
#[derive(Debug)]
pub enum Failure {
    /// Writing the output failed. A pipe closed by its reader is not a failure the user hears
    /// about: `main` ends quietly on it.
    Write(io::Error),
    /// An input could not be read (the message names it).
    Read(String),
    /// The engine refused the built-in demo course (a defect).
    Engine(String),
}

impl From<io::Error> for Failure {
    fn from(e: io::Error) -> Failure {
        Failure::Write(e)
    }
}

impl Failure {
    /// Whether the failure is only the reader of standard output going away.
    pub fn is_closed_pipe(&self) -> bool {
        matches!(self, Failure::Write(e) if e.kind() == io::ErrorKind::BrokenPipe)
    }
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Failure::Write(e) => write!(f, "standard output: {e}"),
            Failure::Read(m) | Failure::Engine(m) => f.write_str(m),
        }
    }
}

/// The exit code for an answer envelope.
pub fn exit_code_of(reply: &api::Reply) -> u8 {
    match reply.error {
        None => exit::OK,
        Some(ipt_core::ErrorCode::TransitionRefused) => exit::REFUSED,
        Some(_) => exit::INVALID_INPUT,
    }
}
