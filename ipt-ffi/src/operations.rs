//! The named C function of every operation, generated from `ipt_core::api::Operation`
//! by `ipt-ffi/tests/operations.rs` (do not edit by hand). Each is `ipt_call` with the
//! operation's name. The course operations that also live behind a handle
//! (`course_start`, `course_apply`, `course_status`) are reached through the handle
//! functions and `ipt_call`. The doc comments are the header's: written for C readers.

use std::ffi::c_char;

use ipt_core::api::Operation;
         use super::{guarded, result_from, with_request, IptResult};

/// Engine and protocol versions, and the operations available. Request: `{}`.
///
/// @return the version answer. The caller owns it: release it with ipt_result_free().
#[no_mangle]
pub extern "C" fn ipt_version() -> IptResult {
    guarded("version", || result_from(Operation::Version.answer("")))
}

/// The rule catalogue, its bibliography and the labels of the inputs. Request: `{}`.
///
/// @return the rules answer. The caller owns it: release it with ipt_result_free().
#[no_mangle]
pub extern "C" fn ipt_rules() -> IptResult {
    guarded("rules", || result_from(Operation::Rules.answer("")))
}

/// The JSON Schemas of every request and answer. Request: `{}`.
///
/// @return the schemas answer. The caller owns it: release it with ipt_result_free().
#[no_mangle]
pub extern "C" fn ipt_schemas() -> IptResult {
    guarded("schemas", || result_from(Operation::Schemas.answer("")))
}

/// Suitability of a patient for IPT. Request: an assessment.
///
/// @param request  the request, NUL-terminated UTF-8 JSON (see IPT_MAX_INPUT_BYTES); it may
///                 carry "detail": "decision" for the answer without its prose
/// @return the assess_suitability answer. The caller owns it: release it with ipt_result_free().
///
/// The caller guarantees that request is NULL or a NUL-terminated string readable for the
/// call.
#[no_mangle]
pub unsafe extern "C" fn ipt_assess_suitability(request: *const c_char) -> IptResult {
    // SAFETY: forwarded from the caller.
    unsafe { with_request("assess_suitability", request, |r| Operation::AssessSuitability.answer(r)) }
}

/// Readiness of a service to deliver IPT. Request: a service profile.
///
/// @param request  the request, NUL-terminated UTF-8 JSON (see IPT_MAX_INPUT_BYTES); it may
///                 carry "detail": "decision" for the answer without its prose
/// @return the service_readiness answer. The caller owns it: release it with ipt_result_free().
///
/// The caller guarantees that request is NULL or a NUL-terminated string readable for the
/// call.
#[no_mangle]
pub unsafe extern "C" fn ipt_service_readiness(request: *const c_char) -> IptResult {
    // SAFETY: forwarded from the caller.
    unsafe { with_request("service_readiness", request, |r| Operation::ServiceReadiness.answer(r)) }
}

/// The four problem areas ranked on an interpersonal inventory. Request: an inventory.
///
/// @param request  the request, NUL-terminated UTF-8 JSON (see IPT_MAX_INPUT_BYTES); it may
///                 carry "detail": "decision" for the answer without its prose
/// @return the rank_problem_areas answer. The caller owns it: release it with ipt_result_free().
///
/// The caller guarantees that request is NULL or a NUL-terminated string readable for the
/// call.
#[no_mangle]
pub unsafe extern "C" fn ipt_rank_problem_areas(request: *const c_char) -> IptResult {
    // SAFETY: forwarded from the caller.
    unsafe { with_request("rank_problem_areas", request, |r| Operation::RankProblemAreas.answer(r)) }
}

/// A proposed focus (primary and backup area) checked against the inventory's evidence.
/// Request: `{inventory, primary, backup?}`.
///
/// @param request  the request, NUL-terminated UTF-8 JSON (see IPT_MAX_INPUT_BYTES); it may
///                 carry "detail": "decision" for the answer without its prose
/// @return the check_focus answer. The caller owns it: release it with ipt_result_free().
///
/// The caller guarantees that request is NULL or a NUL-terminated string readable for the
/// call.
#[no_mangle]
pub unsafe extern "C" fn ipt_check_focus(request: *const c_char) -> IptResult {
    // SAFETY: forwarded from the caller.
    unsafe { with_request("check_focus", request, |r| Operation::CheckFocus.answer(r)) }
}

/// A symptom measure read against its bands and a baseline. Request: `{current, baseline?}`.
///
/// @param request  the request, NUL-terminated UTF-8 JSON (see IPT_MAX_INPUT_BYTES); it may
///                 carry "detail": "decision" for the answer without its prose
/// @return the evaluate_measure answer. The caller owns it: release it with ipt_result_free().
///
/// The caller guarantees that request is NULL or a NUL-terminated string readable for the
/// call.
#[no_mangle]
pub unsafe extern "C" fn ipt_evaluate_measure(request: *const c_char) -> IptResult {
    // SAFETY: forwarded from the caller.
    unsafe { with_request("evaluate_measure", request, |r| Operation::EvaluateMeasure.answer(r)) }
}

/// A course rebuilt from its start and events. Request: `{start, events}`.
///
/// @param request  the request, NUL-terminated UTF-8 JSON (see IPT_MAX_INPUT_BYTES); it may
///                 carry "detail": "decision" for the answer without its prose
/// @return the course_replay answer. The caller owns it: release it with ipt_result_free().
///
/// The caller guarantees that request is NULL or a NUL-terminated string readable for the
/// call.
#[no_mangle]
pub unsafe extern "C" fn ipt_course_replay(request: *const c_char) -> IptResult {
    // SAFETY: forwarded from the caller.
    unsafe { with_request("course_replay", request, |r| Operation::CourseReplay.answer(r)) }
}

/// The ending review of a course, from the termination phase on: goals, symptoms and
/// functioning, the focus's inventory items, the sessions, the relapse-prevention plan.
/// Request: `{snapshot}`.
///
/// @param request  the request, NUL-terminated UTF-8 JSON (see IPT_MAX_INPUT_BYTES); it may
///                 carry "detail": "decision" for the answer without its prose
/// @return the course_review answer. The caller owns it: release it with ipt_result_free().
///
/// The caller guarantees that request is NULL or a NUL-terminated string readable for the
/// call.
#[no_mangle]
pub unsafe extern "C" fn ipt_course_review(request: *const c_char) -> IptResult {
    // SAFETY: forwarded from the caller.
    unsafe { with_request("course_review", request, |r| Operation::CourseReview.answer(r)) }
}

/// A FHIR R4 Bundle read into an assessment and measures, each input citing its element.
/// Request: `{date, bundle, assessment?}`.
///
/// @param request  the request, NUL-terminated UTF-8 JSON (see IPT_MAX_INPUT_BYTES); it may
///                 carry "detail": "decision" for the answer without its prose
/// @return the fhir_assess answer. The caller owns it: release it with ipt_result_free().
///
/// The caller guarantees that request is NULL or a NUL-terminated string readable for the
/// call.
#[no_mangle]
pub unsafe extern "C" fn ipt_fhir_assess(request: *const c_char) -> IptResult {
    // SAFETY: forwarded from the caller.
    unsafe { with_request("fhir_assess", request, |r| Operation::FhirAssess.answer(r)) }
}

/// A CDS Hooks request (patient-view, encounter-start) answered with cards. Request: `{date,
/// request, assessment?}`.
///
/// @param request  the request, NUL-terminated UTF-8 JSON (see IPT_MAX_INPUT_BYTES); it may
///                 carry "detail": "decision" for the answer without its prose
/// @return the cds_hooks answer. The caller owns it: release it with ipt_result_free().
///
/// The caller guarantees that request is NULL or a NUL-terminated string readable for the
/// call.
#[no_mangle]
pub unsafe extern "C" fn ipt_cds_hooks(request: *const c_char) -> IptResult {
    // SAFETY: forwarded from the caller.
    unsafe { with_request("cds_hooks", request, |r| Operation::CdsHooks.answer(r)) }
}

/// The CDS Hooks discovery document (the body of `GET /cds-services`). Request: `{}`.
///
/// @return the cds_services answer. The caller owns it: release it with ipt_result_free().
#[no_mangle]
pub extern "C" fn ipt_cds_services() -> IptResult {
    guarded("cds_services", || result_from(Operation::CdsServices.answer("")))
}

/// Measures written as FHIR R4 Observations (US Core screening assessment), in a transaction
/// Bundle. Request: `{subject, measures, derived_from?}`.
///
/// @param request  the request, NUL-terminated UTF-8 JSON (see IPT_MAX_INPUT_BYTES); it may
///                 carry "detail": "decision" for the answer without its prose
/// @return the fhir_observations answer. The caller owns it: release it with ipt_result_free().
///
/// The caller guarantees that request is NULL or a NUL-terminated string readable for the
/// call.
#[no_mangle]
pub unsafe extern "C" fn ipt_fhir_observations(request: *const c_char) -> IptResult {
    // SAFETY: forwarded from the caller.
    unsafe { with_request("fhir_observations", request, |r| Operation::FhirObservations.answer(r)) }
}
