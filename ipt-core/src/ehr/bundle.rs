//! A FHIR document of the request read as JSON, and a Bundle's resources located in it.
//!
//! A Bundle whose shape is wrong (not an object, not a Bundle, `entry` not an array, over the
//! entry limit, nested past the depth limit) is an error for the request. Inside it, an entry
//! that is not a resource this engine can read is listed and the rest is read. A searchset
//! with more pages (a `link` whose `relation` is `next`) or a `total` above the entries it
//! holds is listed as [`Reason::Paged`]: the data is incomplete, never read as complete.

use serde_json::value::RawValue;
use serde_json::Value;

use crate::error::Error;
use crate::limits::{self, MAX_DEPTH};
use crate::path::JsonPath;

use super::fhir::Res;
use super::{Origin, Reason, Unread};

/// A part of the request (already read as well-formed JSON) as a JSON value, at `at`, a direct
/// member of the request object: nested past the request's depth limit is `limit_exceeded`
/// at the level past it.
pub(crate) fn json_of(raw: &RawValue, at: &JsonPath) -> Result<Value, Error> {
    let too_deep = |path: JsonPath| {
        Error::limit(
            path,
            "levels of nested arrays and objects",
            MAX_DEPTH,
            "max_depth",
        )
    };
    let mut de = serde_json::Deserializer::from_str(raw.get());
    let value: Value = match serde_path_to_error::deserialize(&mut de) {
        Ok(v) => v,
        Err(e) => {
            if !e.inner().to_string().contains("recursion limit exceeded") {
                return Err(Error::invalid(
                    at.clone(),
                    "the value could not be read as JSON",
                ));
            }
            // The level past the limit (the request object is level 1, this value level 2),
            // as `deeper_than` names it: serde's parser stops deeper.
            let mut path = at.clone();
            for segment in e.path().iter().take(MAX_DEPTH - 1) {
                path = match segment {
                    serde_path_to_error::Segment::Seq { index } => path.index(*index),
                    serde_path_to_error::Segment::Map { key } => path.key(&limits::clip(key)),
                    _ => path,
                };
            }
            return Err(too_deep(path));
        }
    };
    // The request object is level 1 and this value level 2.
    match deeper_than(&value, 2, at) {
        Some(path) => Err(too_deep(path)),
        None => Ok(value),
    }
}

/// The path of the first value nested past [`MAX_DEPTH`], `v` being at `level`.
fn deeper_than(v: &Value, level: usize, at: &JsonPath) -> Option<JsonPath> {
    let nested = matches!(v, Value::Array(_) | Value::Object(_));
    if nested && level > MAX_DEPTH {
        return Some(at.clone());
    }
    match v {
        Value::Array(a) => a
            .iter()
            .enumerate()
            .find_map(|(i, x)| deeper_than(x, level + 1, &at.index(i))),
        Value::Object(m) => m
            .iter()
            .find_map(|(k, x)| deeper_than(x, level + 1, &at.key(&limits::clip(k)))),
        _ => None,
    }
}

/// A Bundle's resources and its paging.
pub(crate) struct BundleRead<'a> {
    /// The resources of its entries.
    pub resources: Vec<Res<'a>>,
    /// Whether the EHR sent part of it (more pages, or a total above its entries).
    pub paged: bool,
}

/// The resources of the Bundle at `path` (from the server `server`, when known); entries not
/// read are listed in `unread`.
pub(crate) fn resources<'a>(
    bundle: &'a Value,
    path: &JsonPath,
    server: Option<&str>,
    unread: &mut Vec<Unread>,
) -> Result<BundleRead<'a>, Error> {
    let Some(b) = bundle.as_object() else {
        return Err(Error::invalid(
            path.clone(),
            "a FHIR Bundle is a JSON object",
        ));
    };
    if b.get("resourceType").and_then(Value::as_str) != Some("Bundle") {
        return Err(Error::invalid(
            path.key("resourceType"),
            "expected a FHIR Bundle (resourceType \"Bundle\")",
        ));
    }
    let entries: &[Value] = match b.get("entry") {
        None => &[],
        Some(Value::Array(a)) => a,
        Some(_) => {
            return Err(Error::invalid(
                path.key("entry"),
                "a Bundle's entry is an array",
            ))
        }
    };
    limits::check_len(
        entries.len(),
        limits::MAX_BUNDLE_ENTRIES,
        "entries",
        "max_bundle_entries",
        || path.key("entry"),
    )?;
    let mut paged = false;
    for (i, link) in b
        .get("link")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .enumerate()
    {
        if link.get("relation").and_then(Value::as_str) == Some("next") {
            paged = true;
            unread.push(Unread {
                origin: Origin::stated(path.key("link").index(i).to_string()),
                reason: Reason::Paged,
                value: None,
            });
        }
    }
    let matches = entries
        .iter()
        .filter(|e| {
            let mode = e
                .get("search")
                .and_then(|s| s.get("mode"))
                .and_then(Value::as_str);
            matches!(mode, None | Some("match"))
        })
        .count();
    if let Some(total) = b.get("total").and_then(Value::as_u64)
        && usize::try_from(total).map_or(true, |t| t > matches)
    {
        paged = true;
        unread.push(
            Unread {
                origin: Origin::stated(path.key("total").to_string()),
                reason: Reason::Paged,
                value: None,
            }
            .with_value(&Value::from(total)),
        );
    }
    let mut out = Vec::with_capacity(entries.len());
    for (i, e) in entries.iter().enumerate() {
        let at = path.key("entry").index(i);
        let Some(e) = e.as_object() else {
            unread.push(Unread {
                origin: Origin::stated(at.to_string()),
                reason: Reason::InvalidResource,
                value: None,
            });
            continue;
        };
        let full_url = e.get("fullUrl").and_then(Value::as_str);
        match e.get("resource") {
            None => unread.push(Unread {
                origin: Origin::stated(at.to_string()),
                reason: Reason::NoResource,
                value: None,
            }),
            Some(r) => match Res::new(r, at.key("resource"), full_url, server) {
                Ok(res) => out.push(res),
                Err(u) => unread.push(u),
            },
        }
    }
    Ok(BundleRead {
        resources: out,
        paged,
    })
}
