//! JSON Schemas (draft 2020-12, from schemars) for the request and the answer of every
//! operation. The committed copies in `ipt-core/schemas/` are checked against these by a test.

use std::collections::BTreeMap;

use schemars::{schema_for, JsonSchema};

use crate::api::{Answer, Empty, Operation, VersionInfo};
use crate::{api, areas, course, inventory, measures, readiness, rules, suitability};

fn pair<Req: JsonSchema, Res: JsonSchema>() -> (serde_json::Value, serde_json::Value) {
    (
        serde_json::to_value(schema_for!(Req)).unwrap_or_default(),
        serde_json::to_value(schema_for!(Answer<Res>)).unwrap_or_default(),
    )
}

/// The request and answer schemas of one operation.
pub fn of(op: Operation) -> (serde_json::Value, serde_json::Value) {
    match op {
        Operation::Version => pair::<Empty, VersionInfo>(),
        Operation::Rules => pair::<Empty, rules::Catalogue>(),
        Operation::Schemas => pair::<Empty, BTreeMap<String, serde_json::Value>>(),
        Operation::AssessSuitability => {
            pair::<suitability::Assessment, suitability::SuitabilityReport>()
        }
        Operation::ServiceReadiness => {
            pair::<readiness::ServiceProfile, readiness::ReadinessReport>()
        }
        Operation::RankProblemAreas => pair::<inventory::Inventory, areas::AreaRanking>(),
        Operation::CheckFocus => pair::<areas::FocusRequest, areas::FocusCheck>(),
        Operation::EvaluateMeasure => pair::<measures::MeasureRequest, measures::MeasureReading>(),
        Operation::CourseStart => pair::<course::StartRequest, api::CourseAnswer>(),
        Operation::CourseApply => pair::<api::CourseApplyRequest, api::CourseAnswer>(),
        Operation::CourseReplay => pair::<api::CourseReplayRequest, api::CourseReplayAnswer>(),
        Operation::CourseStatus => pair::<api::CourseStatusRequest, course::Status>(),
    }
}

/// Every schema, keyed `<operation>.request` and `<operation>.answer`.
pub fn all() -> BTreeMap<String, serde_json::Value> {
    let mut out = BTreeMap::new();
    for op in Operation::ALL {
        let (req, ans) = of(*op);
        out.insert(format!("{}.request", op.as_str()), req);
        out.insert(format!("{}.answer", op.as_str()), ans);
    }
    out
}
