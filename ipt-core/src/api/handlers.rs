//! One handler per operation: parse the request (with its detail level), call the domain,
//! and hand back the result to encode. They decide nothing themselves.

use super::answers::{input_labels, Empty, RulesAnswer};
use super::course::{
    parse_event, Applied, CourseAnswer, CourseReplayAnswer, CourseReplayRequest, RawApply,
    RawStatus,
};
use super::operations::{version_info, VersionInfo};
use super::requests::WithDetail;
use crate::course::{self, Snapshot, StartRequest};
use crate::error::Error;
use crate::explain::{Detail, Locale, Render};
use crate::parse::parse;
use crate::{areas, catalogue, ehr, inventory, measures, readiness, suitability};

type Answer<T> = Result<T, Error>;

/// The request of an operation that takes no input: `{}` (with an optional `detail`), or an
/// empty string.
fn parse_empty(request: &str) -> Result<Detail, Error> {
    if request.trim().is_empty() {
        Ok(Detail::Explained)
    } else {
        parse::<WithDetail<Empty>>(request).map(|r| r.detail)
    }
}

pub(super) fn version(request: &str, _locale: &dyn Locale) -> Answer<VersionInfo> {
    parse_empty(request).map(|_| version_info())
}

pub(super) fn rules(request: &str, locale: &dyn Locale) -> Answer<RulesAnswer> {
    parse_empty(request).map(|_| RulesAnswer {
        catalogue: catalogue::catalogue_in(locale),
        inputs: input_labels(),
    })
}

#[cfg(feature = "schemas")]
pub(super) fn schemas(
    request: &str,
    _locale: &dyn Locale,
) -> Answer<&'static std::collections::BTreeMap<String, serde_json::Value>> {
    static ALL: std::sync::OnceLock<std::collections::BTreeMap<String, serde_json::Value>> =
        std::sync::OnceLock::new();
    parse_empty(request).map(|_| ALL.get_or_init(super::schema::all))
}

/// Without the `schemas` feature the schemas are not generated: the request is checked as
/// always and the result is `null`, for the binding to fill with the committed schemas it
/// ships (the wasm package does, from its `schemas.json`).
#[cfg(not(feature = "schemas"))]
pub(super) fn schemas(request: &str, _locale: &dyn Locale) -> Answer<()> {
    parse_empty(request).map(|_| ())
}

pub(super) fn assess_suitability(
    request: &str,
    locale: &dyn Locale,
) -> Answer<suitability::SuitabilityReport> {
    let r: WithDetail<suitability::Assessment> = parse(request)?;
    suitability::assess_checked(&r.body, r.detail, locale)
}

pub(super) fn service_readiness(
    request: &str,
    locale: &dyn Locale,
) -> Answer<readiness::ReadinessReport> {
    let r: WithDetail<readiness::ServiceProfile> = parse(request)?;
    Ok(readiness::evaluate_at(&r.body, r.detail, locale))
}

pub(super) fn rank_problem_areas(request: &str, locale: &dyn Locale) -> Answer<areas::AreaRanking> {
    let r: WithDetail<inventory::Inventory> = parse(request)?;
    r.body.validate()?;
    Ok(areas::rank_in(&r.body, Render::new(locale, r.detail)))
}

pub(super) fn check_focus(request: &str, locale: &dyn Locale) -> Answer<areas::FocusCheck> {
    let r: WithDetail<areas::FocusRequest> = parse(request)?;
    areas::check_focus_of(&r.body, Render::new(locale, r.detail))
}

pub(super) fn evaluate_measure(
    request: &str,
    locale: &dyn Locale,
) -> Answer<measures::MeasureReading> {
    let r: WithDetail<measures::MeasureRequest> = parse(request)?;
    measures::evaluate_parsed(&r.body, Render::new(locale, r.detail))
}

pub(super) fn course_start(request: &str, locale: &dyn Locale) -> Answer<CourseAnswer> {
    let r: WithDetail<StartRequest> = parse(request)?;
    let snapshot = Snapshot::start(r.body, "$")?;
    let outputs = course::initial_outputs(&snapshot.state, Render::new(locale, r.detail));
    Ok(CourseAnswer {
        snapshot: snapshot.sealed(),
        outputs,
    })
}

pub(super) fn course_apply(request: &str, locale: &dyn Locale) -> Answer<Applied> {
    let raw: WithDetail<RawApply> = parse(request)?;
    let mut snapshot = Snapshot::read(raw.body.snapshot.get(), "$.snapshot", raw.body.verify)?;
    let event = parse_event(raw.body.event.get())?;
    let outputs = snapshot.apply(event, course::EVENT_PATH, Render::new(locale, raw.detail))?;
    Ok(Applied {
        // Sealed as it is written (`Applied::encode_into`).
        snapshot: raw.body.include_snapshot.then_some(snapshot),
        outputs,
    })
}

pub(super) fn course_replay(request: &str, locale: &dyn Locale) -> Answer<CourseReplayAnswer> {
    let r: WithDetail<CourseReplayRequest> = parse(request)?;
    let render = Render::new(locale, r.detail);
    let (snapshot, outputs, summary) = course::replay(r.body.start, &r.body.events, "$", render)?;
    Ok(CourseReplayAnswer {
        snapshot: snapshot.sealed(),
        outputs,
        summary,
    })
}

pub(super) fn course_status(request: &str, locale: &dyn Locale) -> Answer<course::Status> {
    let raw: WithDetail<RawStatus> = parse(request)?;
    let snapshot = Snapshot::read(raw.body.snapshot.get(), "$.snapshot", raw.body.verify)?;
    Ok(course::status_in(
        &snapshot.state,
        Render::new(locale, raw.detail),
    ))
}

pub(super) fn course_review(
    request: &str,
    locale: &dyn Locale,
) -> Answer<crate::course::review::Review> {
    let raw: WithDetail<RawStatus> = parse(request)?;
    let snapshot = Snapshot::read(raw.body.snapshot.get(), "$.snapshot", raw.body.verify)?;
    crate::course::review::review(
        &snapshot.state,
        "$.snapshot",
        Render::new(locale, raw.detail),
    )
}

pub(super) fn fhir_assess(
    request: &str,
    locale: &dyn Locale,
) -> Answer<ehr::record::FhirAssessment> {
    let r: WithDetail<ehr::record::FhirAssessRequest> = parse(request)?;
    ehr::record::assess(&r.body, Render::new(locale, r.detail))
}

pub(super) fn cds_hooks(
    request: &str,
    locale: &dyn Locale,
) -> Answer<ehr::cds_hooks::CdsHooksResponse> {
    let r: WithDetail<ehr::cds_hooks::CdsHooksRequest> = parse(request)?;
    ehr::cds_hooks::answer(&r.body, r.detail, locale)
}

pub(super) fn cds_services(
    request: &str,
    locale: &dyn Locale,
) -> Answer<ehr::cds_hooks::Discovery> {
    parse_empty(request).map(|_| ehr::cds_hooks::discovery(locale))
}

pub(super) fn fhir_observations(
    request: &str,
    _locale: &dyn Locale,
) -> Answer<ehr::observations::ObservationBundle> {
    let r: WithDetail<ehr::observations::ObservationsRequest> = parse(request)?;
    ehr::observations::observations(&r.body)
}
