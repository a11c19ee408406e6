//! JSON Schemas (draft 2020-12, from schemars) for the request and the answer of every
//! operation. The committed copies in `ipt-core/schemas/` are checked against these by a test.

use std::collections::BTreeMap;

pub use super::envelope::schema_pair as pair;
use super::operations::{HandleOperation, Operation};

/// The request and answer schemas of one operation.
pub fn of(op: Operation) -> (serde_json::Value, serde_json::Value) {
    op.schemas()
}

/// Every schema: `<operation>.request` and `<operation>.answer` for the operations, and
/// `<name>.<input>` (`course_handle_apply.event`) and `<name>.answer` for the answers of the
/// course handles ([`HandleOperation`]).
pub fn all() -> BTreeMap<String, serde_json::Value> {
    let mut out = BTreeMap::new();
    let rows = Operation::ALL
        .iter()
        .map(|op| (op.as_str(), "request", op.schemas()))
        .chain(
            HandleOperation::ALL
                .iter()
                .map(|h| (h.as_str(), h.input(), h.schemas())),
        );
    for (name, input, (req, ans)) in rows {
        out.insert(format!("{name}.{input}"), req);
        out.insert(format!("{name}.answer"), ans);
    }
    out
}
