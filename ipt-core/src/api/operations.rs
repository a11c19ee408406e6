//! The operations of the API, defined once. The enum, the name lookup, the JSON Schemas, the
//! dispatch and the named functions (`dispatch.rs`), and through them the C functions, the wasm
//! exports, the TypeScript types and the harnesses all come from the one list below.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::answers::{Empty, RulesAnswer};
use super::course;
use super::envelope::schema_pair;
use super::requests::WithDetail;
use crate::version::{ENGINE_VERSION, PROTOCOL_VERSION, TERMINOLOGY_VERSION};
use crate::{areas, ehr, inventory, measures, readiness, suitability};

/// The one list of the operations: for each, its variant, name, request and answer types (for
/// the schemas) and the handler that answers it (`handlers::<name>`). It hands the list to the
/// macro named: `define_operations` here, `define_dispatch` in `dispatch.rs`, so the list is
/// written once and the module that dispatches to the handlers is not the one that names the
/// operations (the handlers list them, for `version` and `schemas`).
macro_rules! operation_list {
    ($then:ident) => {
        $then! {
            /// Engine and protocol versions, and the operations available. Request: `{}`.
            Version = "version", fn version(Empty) -> VersionInfo;
            /// The rule catalogue, its bibliography and the labels of the inputs. Request: `{}`.
            Rules = "rules", fn rules(Empty) -> RulesAnswer;
            /// The JSON Schemas of every request and answer. Request: `{}`.
            Schemas = "schemas", fn schemas(Empty) -> std::collections::BTreeMap<String, serde_json::Value>;
            /// Suitability of a patient for IPT. Request: an assessment.
            AssessSuitability = "assess_suitability", fn assess_suitability(WithDetail<suitability::Assessment>) -> suitability::SuitabilityReport;
            /// Readiness of a service to deliver IPT. Request: a service profile.
            ServiceReadiness = "service_readiness", fn service_readiness(WithDetail<readiness::ServiceProfile>) -> readiness::ReadinessReport;
            /// The four problem areas ranked on an interpersonal inventory. Request: an inventory.
            RankProblemAreas = "rank_problem_areas", fn rank_problem_areas(WithDetail<inventory::Inventory>) -> areas::AreaRanking;
            /// A proposed focus (primary and backup area) checked against the inventory's evidence. Request: `{inventory, primary, backup?}`.
            CheckFocus = "check_focus", fn check_focus(WithDetail<areas::FocusRequest>) -> areas::FocusCheck;
            /// A symptom measure read against its bands and a baseline. Request: `{current, baseline?}`.
            EvaluateMeasure = "evaluate_measure", fn evaluate_measure(WithDetail<measures::MeasureRequest>) -> measures::MeasureReading;
            /// A new course in intake. Request: `{variant, overrides?, course_id?}`.
            CourseStart = "course_start", fn course_start(WithDetail<crate::course::StartRequest>) -> course::CourseAnswer;
            /// An event applied to a course. Request: `{snapshot, event}`.
            CourseApply = "course_apply", fn course_apply(WithDetail<course::CourseApplyRequest>) -> course::CourseApplyAnswer;
            /// A course rebuilt from its start and events. Request: `{start, events}`.
            CourseReplay = "course_replay", fn course_replay(WithDetail<course::CourseReplayRequest>) -> course::CourseReplayAnswer;
            /// The status of a course. Request: `{snapshot}`.
            CourseStatus = "course_status", fn course_status(WithDetail<course::CourseStatusRequest>) -> crate::course::Status;
            /// The ending review of a course, from the termination phase on: goals, symptoms and functioning, the focus's inventory items, the sessions, the relapse-prevention plan. Request: `{snapshot}`.
            CourseReview = "course_review", fn course_review(WithDetail<course::CourseStatusRequest>) -> crate::course::review::Review;
            /// A FHIR R4 Bundle read into an assessment and measures, each input citing its element. Request: `{date, bundle, assessment?}`.
            FhirAssess = "fhir_assess", fn fhir_assess(WithDetail<ehr::record::FhirAssessRequest>) -> ehr::record::FhirAssessment;
            /// A CDS Hooks request (patient-view, encounter-start) answered with cards. Request: `{date, request, assessment?}`.
            CdsHooks = "cds_hooks", fn cds_hooks(WithDetail<ehr::cds_hooks::CdsHooksRequest>) -> ehr::cds_hooks::CdsHooksResponse;
            /// The CDS Hooks discovery document (the body of `GET /cds-services`). Request: `{}`.
            CdsServices = "cds_services", fn cds_services(Empty) -> ehr::cds_hooks::Discovery;
            /// Measures written as FHIR R4 Observations (US Core screening assessment), in a transaction Bundle. Request: `{subject, measures, derived_from?}`.
            FhirObservations = "fhir_observations", fn fhir_observations(WithDetail<ehr::observations::ObservationsRequest>) -> ehr::observations::ObservationBundle;
        }
    };
}
pub(super) use operation_list;

/// Defines the operations from [`operation_list`]: the enum, its names, its schemas and its
/// descriptions (the dispatch is `dispatch.rs`'s, from the same list).
macro_rules! define_operations {
    ($( $(#[doc = $doc:literal])+ $variant:ident = $name:literal, fn $fname:ident($req:ty) -> $ans:ty; )+) => {
        /// The operations of the API.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
        pub enum Operation {
            $( $(#[doc = $doc])+ #[serde(rename = $name)] $variant, )+
        }

        impl Operation {
            /// Every operation.
            pub const ALL: &'static [Operation] = &[ $( Operation::$variant, )+ ];

            /// The operation's name as used by [`call`](super::call).
            pub const fn as_str(self) -> &'static str {
                match self { $( Operation::$variant => $name, )+ }
            }

            /// Looks an operation up by name.
            pub fn parse(name: &str) -> Option<Operation> {
                match name { $( $name => Some(Operation::$variant), )+ _ => None }
            }

            /// The schemas of the operation's request and answer envelope.
            pub fn schemas(self) -> (serde_json::Value, serde_json::Value) {
                match self { $( Operation::$variant => schema_pair::<$req, $ans>(), )+ }
            }

            /// Whether the operation reads a request (`version`, `rules`, `schemas` and
            /// `cds_services` do not).
            pub const fn takes_request(self) -> bool {
                !matches!(
                    self,
                    Operation::Version | Operation::Rules | Operation::Schemas | Operation::CdsServices
                )
            }

            /// Whether the C library and the wasm package also hold this operation's course
            /// behind a handle (`course_start`, `course_apply`, `course_status`); their named
            /// functions are the handle's, and the JSON form is reached through `call`.
            pub const fn has_course_handle(self) -> bool {
                matches!(self, Operation::CourseStart | Operation::CourseApply | Operation::CourseStatus)
            }

            /// The one-line description of the operation.
            pub const fn doc(self) -> &'static str {
                match self { $( Operation::$variant => concat!($($doc),+), )+ }
            }
        }
    };
}

operation_list!(define_operations);

/// The versions and operations of this engine.
pub fn version_info() -> VersionInfo {
    VersionInfo {
        engine_version: ENGINE_VERSION.to_owned(),
        protocol_version: PROTOCOL_VERSION.to_owned(),
        terminology_version: TERMINOLOGY_VERSION.to_owned(),
        operations: Operation::ALL.to_vec(),
        limits: crate::limits::LIMITS,
    }
}

/// The result of `version`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct VersionInfo {
    /// The engine's version.
    pub engine_version: String,
    /// The version of the protocol the engine encodes.
    pub protocol_version: String,
    /// The version of the terminology table coded records are read through (D-CODE-MAP).
    pub terminology_version: String,
    /// The operations this engine answers.
    pub operations: Vec<Operation>,
    /// The limits every way in enforces ([`crate::limits`]).
    pub limits: crate::limits::Limits,
}

/// Defines the rows of the answers that only a course handle gives (the C library's and the
/// wasm package's): for each, its variant, the name its answers carry as `operation`, what the
/// handle function takes (its name and type) and its answer type (for the schemas). No `call`
/// reaches them: the handle holds the course. Their schemas are `<name>.<input>` and
/// `<name>.answer`, so `*.request` stays the operations' alone.
macro_rules! handle_operations {
    ($( $(#[doc = $doc:literal])+ $variant:ident = $name:literal, ($input:ident: $req:ty) -> $ans:ty; )+) => {
        /// The answers of the course handles, each with its own name and schema.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum HandleOperation {
            $( $(#[doc = $doc])+ $variant, )+
        }

        impl HandleOperation {
            /// Every handle operation.
            pub const ALL: &'static [HandleOperation] = &[ $( HandleOperation::$variant, )+ ];

            /// The name its answers carry as `operation`, and of its schemas.
            pub const fn as_str(self) -> &'static str {
                match self { $( HandleOperation::$variant => $name, )+ }
            }

            /// What the handle function takes: `event`, ...
            pub const fn input(self) -> &'static str {
                match self { $( HandleOperation::$variant => stringify!($input), )+ }
            }

            /// The schemas of its input and answer envelope.
            pub fn schemas(self) -> (serde_json::Value, serde_json::Value) {
                match self { $( HandleOperation::$variant => schema_pair::<$req, $ans>(), )+ }
            }

            /// The one-line description.
            pub const fn doc(self) -> &'static str {
                match self { $( HandleOperation::$variant => concat!($($doc),+), )+ }
            }
        }
    };
}

handle_operations! {
    /// An event applied to a course held behind a handle (C `ipt_course_apply`, wasm `Course.apply`): the outputs and how many events the course holds; the handle keeps the snapshot. Request: an event.
    CourseHandleApply = "course_handle_apply", (event: crate::course::Event) -> course::CourseHandleAnswer;
}

/// What a kept fuzz input of the JSON API is: the operation's name, a newline, and the request
/// (`assess_suitability\n{"age": 40}`). A name that is no operation is answered
/// `unknown_operation` by the API; the targets skip `schemas` (400 KB per answer). The fuzz
/// targets, the seed script (`scripts/fuzz-seeds.py`), the differential corpus and the replay
/// of kept inputs all read this format, so a new operation never re-targets a kept input.
/// `None` when there is no newline or the name is not UTF-8.
#[doc(hidden)]
pub fn fuzz_input(data: &[u8]) -> Option<(&str, &[u8])> {
    let at = data.iter().position(|b| *b == b'\n')?;
    let name = std::str::from_utf8(data.get(..at)?).ok()?;
    Some((name, data.get(at + 1..)?))
}
