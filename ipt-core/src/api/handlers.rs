//! One handler per operation: parse the request (with its detail level), call the domain,
//! and hand back the result to encode. They decide nothing themselves.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use super::course::{parse_event, CourseAnswer, CourseReplayAnswer, RawApply, RawStatus};
use super::envelope::Rendered;
use super::requests::WithDetail;
use super::{Empty, VersionInfo};
use crate::course::{self, Snapshot, StartRequest};
use crate::error::Error;
use crate::explain::{Detail, ENGLISH};
use crate::parse::parse;
use crate::{areas, catalogue, ehr, inventory, measures, readiness, suitability};

type Answer<T> = Result<Rendered<T>, Error>;

/// The request of an operation that takes no input: `{}` (with an optional `detail`), or an
/// empty string.
fn parse_empty(request: &str) -> Result<Detail, Error> {
    if request.trim().is_empty() {
        Ok(Detail::Explained)
    } else {
        parse::<WithDetail<Empty>>(request).map(|r| r.detail)
    }
}

pub(super) fn version(request: &str) -> Answer<VersionInfo> {
    parse_empty(request).map(|d| Rendered::native(super::version_info(), d))
}

pub(super) fn rules(request: &str) -> Answer<super::RulesAnswer> {
    parse_empty(request).map(|d| {
        let answer = super::RulesAnswer {
            catalogue: catalogue::catalogue(),
            inputs: super::input_labels(),
        };
        Rendered::native(answer, d)
    })
}

pub(super) fn schemas(request: &str) -> Answer<&'static BTreeMap<String, serde_json::Value>> {
    static ALL: OnceLock<BTreeMap<String, serde_json::Value>> = OnceLock::new();
    parse_empty(request).map(|d| Rendered::native(ALL.get_or_init(super::schema::all), d))
}

pub(super) fn assess_suitability(request: &str) -> Answer<suitability::SuitabilityReport> {
    let r: WithDetail<suitability::Assessment> = parse(request)?;
    Ok(Rendered::native(
        suitability::assess_checked(&r.body, r.detail, &ENGLISH)?,
        r.detail,
    ))
}

pub(super) fn service_readiness(request: &str) -> Answer<readiness::ReadinessReport> {
    let r: WithDetail<readiness::ServiceProfile> = parse(request)?;
    Ok(Rendered::native(
        readiness::evaluate_at(&r.body, r.detail, &ENGLISH),
        r.detail,
    ))
}

pub(super) fn rank_problem_areas(request: &str) -> Answer<areas::AreaRanking> {
    let r: WithDetail<inventory::Inventory> = parse(request)?;
    r.body.validate()?;
    Ok(Rendered::explained(areas::rank(&r.body), r.detail))
}

pub(super) fn check_focus(request: &str) -> Answer<areas::FocusCheck> {
    let r: WithDetail<areas::FocusRequest> = parse(request)?;
    Ok(Rendered::explained(
        areas::check_focus_of(&r.body)?,
        r.detail,
    ))
}

pub(super) fn evaluate_measure(request: &str) -> Answer<measures::MeasureReading> {
    let r: WithDetail<measures::MeasureRequest> = parse(request)?;
    Ok(Rendered::explained(
        measures::evaluate_parsed(&r.body)?,
        r.detail,
    ))
}

pub(super) fn course_start(request: &str) -> Answer<CourseAnswer> {
    let r: WithDetail<StartRequest> = parse(request)?;
    let snapshot = Snapshot::start(r.body, "$")?;
    let outputs = course::initial_outputs(&snapshot.state);
    Ok(Rendered::explained(
        CourseAnswer {
            snapshot: snapshot.sealed(),
            outputs,
        },
        r.detail,
    ))
}

pub(super) fn course_apply(request: &str) -> Answer<CourseAnswer> {
    let raw: WithDetail<RawApply> = parse(request)?;
    let mut snapshot = Snapshot::read(raw.body.snapshot.get(), "$.snapshot", raw.body.verify)?;
    let event = parse_event(raw.body.event.get())?;
    let outputs = snapshot.apply(event, course::EVENT_PATH)?;
    Ok(Rendered::explained(
        CourseAnswer {
            snapshot: snapshot.sealed(),
            outputs,
        },
        raw.detail,
    ))
}

pub(super) fn course_replay(request: &str) -> Answer<CourseReplayAnswer> {
    let r: WithDetail<super::course::CourseReplayRequest> = parse(request)?;
    let (snapshot, outputs, summary) = course::replay(r.body.start, &r.body.events, "$")?;
    Ok(Rendered::explained(
        CourseReplayAnswer {
            snapshot: snapshot.sealed(),
            outputs,
            summary,
        },
        r.detail,
    ))
}

pub(super) fn course_status(request: &str) -> Answer<course::Status> {
    let raw: WithDetail<RawStatus> = parse(request)?;
    let snapshot = Snapshot::read(raw.body.snapshot.get(), "$.snapshot", raw.body.verify)?;
    Ok(Rendered::explained(
        course::status(&snapshot.state),
        raw.detail,
    ))
}

pub(super) fn fhir_assess(request: &str) -> Answer<ehr::record::FhirAssessment> {
    let r: WithDetail<ehr::record::FhirAssessRequest> = parse(request)?;
    Ok(Rendered::explained(
        ehr::record::assess(&r.body, &ENGLISH)?,
        r.detail,
    ))
}

pub(super) fn cds_hooks(request: &str) -> Answer<ehr::cds_hooks::CdsHooksResponse> {
    let r: WithDetail<ehr::cds_hooks::CdsHooksRequest> = parse(request)?;
    Ok(Rendered::native(
        ehr::cds_hooks::answer(&r.body, r.detail, &ENGLISH)?,
        r.detail,
    ))
}

pub(super) fn cds_services(request: &str) -> Answer<ehr::cds_hooks::Discovery> {
    parse_empty(request).map(|d| Rendered::native(ehr::cds_hooks::discovery(&ENGLISH), d))
}

pub(super) fn fhir_observations(request: &str) -> Answer<ehr::observations::ObservationBundle> {
    let r: WithDetail<ehr::observations::ObservationsRequest> = parse(request)?;
    Ok(Rendered::native(
        ehr::observations::observations(&r.body)?,
        r.detail,
    ))
}
