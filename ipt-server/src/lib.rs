//! `ipt-server`: the IPT rules engine as a CDS Hooks 2.0 service an EHR can call.
//!
//! The engine (`ipt-core`) decides; this crate serves. It answers discovery
//! (`GET /cds-services`) and the `patient-view` and `encounter-start` hooks
//! (`POST /cds-services/{id}`) with the engine's own discovery document and cards, fetches what
//! a request's prefetch lacks from the EHR's FHIR server ([`prefetch`]), checks the EHR's
//! bearer token on every call ([`auth`]), remembers the cards it gave so that feedback
//! (`POST /cds-services/{id}/feedback`) names only real cards, keeps the feedback durably and
//! summarises it by rule ([`feedback`]), publishes a page for each rule ([`rules`]) that the
//! cards link to, and keeps patients' IPT courses ([`courses`]): every event recorded once,
//! with who recorded it, and the course's cards at every chart opening. All I/O is here; the
//! engine stays pure.
//!
//! See the crate's README for running it and `TRACEABILITY.md` for the CDS Hooks 2.0
//! requirements and the tests that cover them.

pub mod app;
pub mod auth;
pub mod cli;
pub mod clock;
pub mod config;
pub mod courses;
pub mod dev;
pub mod engine;
pub mod feedback;
pub mod handlers;
pub mod jose;
pub mod metrics;
pub mod openapi;
pub mod outcome;
pub mod prefetch;
pub mod request;
pub mod rules;
pub mod serve;
pub mod store;
