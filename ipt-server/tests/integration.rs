//! ipt-server's integration tests, as one test binary: each module was a binary of its own,
//! and linking ten binaries against the server and its dependencies took longer than the
//! tests ran. Every server they start is a process of its own (`common::Server`).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[macro_use]
mod common;

mod auth;
mod cds;
mod course_cards;
mod course_concurrency;
mod course_store;
mod courses;
mod feedback;
mod ops;
mod prefetch;
