//! References between the resources of a record, resolved as FHIR R4 says (Bundle, "Resolving
//! references in Bundles"): a relative reference (`Patient/123`) made by a resource whose
//! `fullUrl` is a RESTful URL is resolved against that URL's base, so `Patient/123` from
//! `https://a.example/fhir/Observation/9` is `https://a.example/fhir/Patient/123`, another
//! patient than `https://b.example/fhir/Patient/123`; an absolute reference is compared whole,
//! never by its suffix; `_history/n` (a versioned reference) names the same resource;
//! `urn:uuid:` and `urn:oid:` references match a `fullUrl` exactly. A reference that names a
//! resource on a server whose base cannot be told is not taken to be any resource.

/// A FHIR id: 1 to 64 of `[A-Za-z0-9-.]`.
pub(crate) fn is_fhir_id(s: &str) -> bool {
    (1..=64).contains(&s.len())
        && s.bytes()
            .all(|c| c.is_ascii_alphanumeric() || c == b'-' || c == b'.')
}

/// The resource types this engine reads, as FHIR names them.
const TYPES: [&str; 5] = [
    "Patient",
    "Condition",
    "Observation",
    "QuestionnaireResponse",
    "OperationOutcome",
];

/// A resource's identity: its type and id, and the base of the server it lives on when that
/// can be told.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) struct Identity {
    /// `Type/id`, when the resource has an id (a `urn:` fullUrl otherwise).
    pub local: Option<String>,
    /// The server's base (`https://a.example/fhir`), from a RESTful `fullUrl` or the CDS
    /// Hooks `fhirServer`; or the whole `urn:` fullUrl.
    pub base: Option<String>,
}

/// What a reference names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Target {
    /// A resource by type and id on a server: the base when it can be told.
    Rest {
        /// `Type/id`.
        local: String,
        /// The base, when the reference is absolute or resolved against a RESTful fullUrl.
        base: Option<String>,
        /// The base of the resource that makes the reference, when known.
        referrer: Option<String>,
    },
    /// A `urn:uuid:` or `urn:oid:` fullUrl.
    Urn(String),
    /// Something else: a contained resource (`#x`), a logical reference, malformed.
    Unresolvable,
}

/// `https://a.example/fhir/Patient/1/_history/3` as the base and `Patient/1`, when it is a
/// RESTful URL of a resource this engine knows the type of (or any FHIR-like type).
pub(crate) fn split_rest(url: &str) -> Option<(Option<String>, String)> {
    let url = url.split(['?', '#']).next().unwrap_or(url);
    let parts: Vec<&str> = url.split('/').collect();
    // Drop a trailing `_history/n`.
    let end = match parts.as_slice() {
        [.., "_history", v] if !v.is_empty() => parts.len() - 2,
        _ => parts.len(),
    };
    let parts = parts.get(..end)?;
    let [rest @ .., kind, id] = parts else {
        return None;
    };
    let looks_like_type = TYPES.contains(kind)
        || (kind.bytes().next().is_some_and(|c| c.is_ascii_uppercase())
            && kind.bytes().all(|c| c.is_ascii_alphanumeric()));
    if !looks_like_type || !is_fhir_id(id) {
        return None;
    }
    let local = format!("{kind}/{id}");
    if rest.is_empty() {
        return Some((None, local));
    }
    let base = rest.join("/");
    let absolute = base
        .strip_prefix("https://")
        .or_else(|| base.strip_prefix("http://"))
        .is_some_and(|host| !host.is_empty());
    absolute.then_some((Some(base), local))
}

impl Identity {
    /// The identity of a resource of type `kind` with `id`, in a Bundle entry with `full_url`
    /// (or on the server `server`, when the entry has none).
    pub fn of(kind: &str, id: Option<&str>, full_url: Option<&str>, server: Option<&str>) -> Self {
        let local = id.map(|id| format!("{kind}/{id}"));
        match full_url {
            Some(u) if u.starts_with("urn:") => Identity {
                local,
                base: Some(u.to_owned()),
            },
            Some(u) => match split_rest(u) {
                Some((base, _)) => Identity { local, base },
                None => Identity { local, base: None },
            },
            None => Identity {
                local,
                base: server.map(|s| s.trim_end_matches('/').to_owned()),
            },
        }
    }

    /// The base a relative reference made by this resource resolves against.
    fn rest_base(&self) -> Option<&str> {
        self.base.as_deref().filter(|b| !b.starts_with("urn:"))
    }

    /// What `reference`, made by this resource, names.
    pub fn resolve(&self, reference: &str) -> Target {
        if reference.starts_with("urn:uuid:") || reference.starts_with("urn:oid:") {
            return Target::Urn(reference.to_owned());
        }
        let referrer = self.rest_base().map(str::to_owned);
        match split_rest(reference) {
            Some((Some(base), local)) => Target::Rest {
                local,
                base: Some(base),
                referrer,
            },
            Some((None, local)) => Target::Rest {
                local,
                base: referrer.clone(),
                referrer,
            },
            None => Target::Unresolvable,
        }
    }

    /// Whether `target` names this resource: `Some(true)` when it does, `Some(false)` when it
    /// names another, `None` when it cannot be told (an absolute reference to a server other
    /// than the referring resource's, naming a resource whose own server is unknown).
    pub fn is(&self, target: &Target) -> Option<bool> {
        match target {
            Target::Urn(u) => Some(self.base.as_deref() == Some(u)),
            Target::Unresolvable => Some(false),
            Target::Rest {
                local,
                base,
                referrer,
            } => {
                if self.local.as_deref() != Some(local) {
                    return Some(false);
                }
                match (base.as_deref(), self.rest_base()) {
                    (Some(a), Some(b)) => Some(a == b),
                    // A reference to the server of the resource that makes it (a relative one,
                    // or an absolute one to that server), to a resource whose server is not
                    // known: the same server is the only reading.
                    (None, _) => Some(true),
                    (Some(a), None) if referrer.as_deref() == Some(a) => Some(true),
                    (Some(_), None) => None,
                }
            }
        }
    }
}

/// Resolves references to resources of a record in constant time per reference: an index by
/// `Type/id` and by urn.
pub(crate) struct Index {
    by_local: std::collections::HashMap<String, Vec<usize>>,
    by_urn: std::collections::HashMap<String, Vec<usize>>,
}

impl Index {
    /// An index of identities (by position).
    pub fn new<'a>(ids: impl Iterator<Item = &'a Identity>) -> Index {
        let mut by_local: std::collections::HashMap<String, Vec<usize>> = Default::default();
        let mut by_urn: std::collections::HashMap<String, Vec<usize>> = Default::default();
        for (i, id) in ids.enumerate() {
            if let Some(l) = &id.local {
                by_local.entry(l.clone()).or_default().push(i);
            }
            if let Some(u) = id.base.as_deref().filter(|b| b.starts_with("urn:")) {
                by_urn.entry(u.to_owned()).or_default().push(i);
            }
        }
        Index { by_local, by_urn }
    }

    /// The positions whose identity `target` names for certain.
    pub fn find<'a>(&'a self, target: &Target, ids: &'a [Identity]) -> Vec<usize> {
        let candidates = match target {
            Target::Urn(u) => self.by_urn.get(u),
            Target::Rest { local, .. } => self.by_local.get(local),
            Target::Unresolvable => None,
        };
        candidates
            .into_iter()
            .flatten()
            .copied()
            .filter(|i| ids.get(*i).and_then(|id| id.is(target)) == Some(true))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn references_resolve_against_the_full_url_never_by_suffix() {
        let patient = Identity::of(
            "Patient",
            Some("12345"),
            Some("https://a.example/fhir/Patient/12345"),
            None,
        );
        let obs = Identity::of(
            "Observation",
            Some("9"),
            Some("https://a.example/fhir/Observation/9"),
            None,
        );
        let other = Identity::of(
            "Observation",
            Some("9"),
            Some("https://b.example/fhir/Observation/9"),
            None,
        );
        assert_eq!(patient.is(&obs.resolve("Patient/12345")), Some(true));
        assert_eq!(patient.is(&other.resolve("Patient/12345")), Some(false));
        assert_eq!(
            patient.is(&obs.resolve("https://b.example/fhir/Patient/12345")),
            Some(false)
        );
        assert_eq!(
            patient.is(&obs.resolve("https://a.example/fhir/Patient/12345/_history/3")),
            Some(true)
        );
        assert_eq!(
            patient.is(&obs.resolve("Patient/12345/_history/3")),
            Some(true)
        );
        assert_eq!(patient.is(&obs.resolve("Patient/1234")), Some(false));
        assert_eq!(patient.is(&obs.resolve("#p")), Some(false));
        // A Patient whose base is unknown: a relative reference is the patient, an absolute one
        // cannot be told.
        let bare = Identity::of("Patient", Some("12345"), None, None);
        assert_eq!(bare.is(&obs.resolve("Patient/12345")), Some(true));
        assert_eq!(
            bare.is(&obs.resolve("https://a.example/fhir/Patient/12345")),
            Some(true)
        );
        assert_eq!(
            bare.is(&obs.resolve("https://b.example/fhir/Patient/12345")),
            None
        );
        let unplaced = Identity::of("Observation", Some("9"), None, None);
        assert_eq!(bare.is(&unplaced.resolve("Patient/12345")), Some(true));
        assert_eq!(
            bare.is(&unplaced.resolve("https://a.example/fhir/Patient/12345")),
            None
        );
        let served = Identity::of(
            "Patient",
            Some("12345"),
            None,
            Some("https://a.example/fhir/"),
        );
        assert_eq!(
            served.is(&obs.resolve("https://a.example/fhir/Patient/12345")),
            Some(true)
        );
        let urn = Identity::of("Patient", None, Some("urn:uuid:1f1"), None);
        assert_eq!(urn.is(&obs.resolve("urn:uuid:1f1")), Some(true));
        assert_eq!(urn.is(&obs.resolve("Patient/1f1")), Some(false));
        assert_eq!(
            split_rest("https://x/fhir/Patient/1/_history/2")
                .unwrap()
                .0
                .as_deref(),
            Some("https://x/fhir")
        );
        assert!(split_rest("ftp://x/Patient/1").is_none());
        assert!(split_rest("patient/1").is_none());
    }
}
