//! JSON Schemas (draft 2020-12, from schemars) for the request and the answer of every
//! operation. The committed copies in `ipt-core/schemas/` are checked against these by a test.

use std::collections::BTreeMap;

use schemars::{schema_for, JsonSchema};

use super::{Answer, Operation};

/// The schemas of a request type and of the answer envelope around a result type.
pub fn pair<Req: JsonSchema, Res: JsonSchema>() -> (serde_json::Value, serde_json::Value) {
    (
        serde_json::to_value(schema_for!(Req)).unwrap_or_default(),
        serde_json::to_value(schema_for!(Answer<Res>)).unwrap_or_default(),
    )
}

/// The request and answer schemas of one operation.
pub fn of(op: Operation) -> (serde_json::Value, serde_json::Value) {
    op.schemas()
}

/// Every schema, keyed `<operation>.request` and `<operation>.answer`.
pub fn all() -> BTreeMap<String, serde_json::Value> {
    let mut out = BTreeMap::new();
    for op in Operation::ALL {
        let (req, ans) = op.schemas();
        out.insert(format!("{}.request", op.as_str()), req);
        out.insert(format!("{}.answer", op.as_str()), ans);
    }
    out
}
