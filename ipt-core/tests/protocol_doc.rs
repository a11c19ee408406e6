//! `docs/protocol.md`, the project's own protocol document, is generated from the rule
//! catalogue and its bibliography, so the document and the engine cannot drift:
//! `IPT_BLESS=1 cargo test -p ipt-core --test integration protocol_doc::` rewrites it. The crate reads it as
//! `ipt-core/protocol.md` (a link to it in the repository, a copy in the packaged crate) and
//! renders it as the documentation of `ipt_core::protocol`.
//!
//! The team's specification (`shared/PROTOCOL.md`, outside the repository) is the input; when
//! it is beside the repository, every rule ID it names must be in the catalogue or listed
//! below as planned.

#![allow(clippy::unwrap_used, clippy::panic, clippy::indexing_slicing)]

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use ipt_core::catalogue::{self, RuleKind};

/// Rules of the specification that the engine does not implement yet, with why.
const PLANNED: &[(&str, &str)] = &[];

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

const SECTIONS: &[(RuleKind, &str, &str)] = &[
    (RuleKind::Contraindication, "Contraindications", "Any one present makes the verdict `contraindicated`; one that cannot be ruled out makes it `indeterminate`."),
    (RuleKind::Indication, "Indications", "Each gives the verdict a level when it applies. Verdict order, strongest first: `contraindicated` > `indeterminate` > `essential` > `indicated` > `optional` > `not_indicated`; the verdict is `indeterminate` whenever resolving the missing inputs could change it."),
    (RuleKind::Assessment, "Assessments required before selection", "An assessment not yet made is listed among the inputs missing."),
    (RuleKind::Caution, "Cautions", "Never a verdict on their own. X-SUICIDE at high or imminent risk is a critical safety alert that takes precedence over everything else."),
    (RuleKind::Readiness, "Service readiness", "Evaluated on a service profile, not on a patient."),
    (RuleKind::ProblemArea, "Problem areas and the focus", "Ranked on the interpersonal inventory's evidence; the clinician agrees one primary area and at most one backup."),
    (RuleKind::Variant, "Course variants", "Each a validated configuration; phase lengths are parameters."),
    (RuleKind::Stage, "The course: phases and guards", "Phases: intake, initial, middle, termination, completed; maintenance after completion under a separate contract; closed from any phase before completion. Phases never go backwards; every refusal lists each unmet requirement and the rule that imposes it."),
    (RuleKind::Measure, "Symptom and functioning measures", "Out-of-range scores are invalid input."),
    (RuleKind::Goal, "Goals", "Agreed with the patient from the focus and rated on the goal-based-outcome scale; reviewed at the ending."),
    (RuleKind::Technique, "Techniques", "Offered as options for the agreed area."),
    (RuleKind::Terminology, "Coded diagnoses", "Coded records (FHIR R4 Conditions, a CDS Hooks prefetch) are read into the assessment through the versioned terminology table; the answer names the table's version beside the engine's and the protocol's."),
];

const INVARIANTS: &[&str] = &[
    "Any contraindication present makes the verdict `contraindicated`, whatever else is true.",
    "A verdict never depends on a finding being unknown as if it were absent.",
    "Phases are monotone; sessions are numbered 1, 2, 3... without gaps or repeats, never beyond the contracted total; the phase of session n is a pure function of n and the configuration.",
    "No middle-phase session before ST-ENTER-MIDDLE holds.",
    "At most two focus areas, distinct.",
    "A rejected event leaves the state exactly as it was.",
    "Replaying the same events yields the same state and outputs, byte for byte in JSON.",
    "While a high or imminent suicide risk is unresolved, every output carries the safety alert.",
    "Every output names the engine and protocol versions and, for each item, the rule ID, the sources, the inputs used and the inputs missing.",
];

fn generate() -> String {
    let mut s = String::new();
    let _ = writeln!(s, "# The IPT protocol as the engine encodes it\n");
    let _ = writeln!(s, "<!-- Generated from the rule catalogue (`ipt-core/src/catalogue/`) by `ipt-core/tests/protocol_doc.rs`; do not edit by hand. -->\n");
    let _ = writeln!(s, "Protocol version {}. Every rule has a stable ID; the engine's answers cite these IDs, its tests name the IDs they cover, and `ipt rules` (or the `rules` operation) lists the same catalogue. The engine is decision *support*: it offers options with their reasons and never decides for the clinician; a course advances only on events a clinician records.\n", ipt_core::PROTOCOL_VERSION);
    let _ = writeln!(s, "Findings are three-valued: `present`, `absent` or `unknown` (not yet assessed). The engine never treats `unknown` as `absent`; a decision that depends on an unknown finding is indeterminate, and the answer lists the missing inputs by JSONPath.\n");
    for (kind, title, intro) in SECTIONS {
        let _ = writeln!(s, "## {title}\n\n{intro}\n");
        let _ = writeln!(s, "| ID | Rule | Statement | Sources |\n|---|---|---|---|");
        for r in catalogue::all().iter().filter(|r| r.kind == *kind) {
            let _ = writeln!(
                s,
                "| {} | {} | {} | {} |",
                r.id,
                r.title,
                catalogue::statement_in(r, &ipt_core::explain::ENGLISH),
                r.sources.join("; ")
            );
        }
        let _ = writeln!(s);
    }
    let _ = writeln!(s, "## Invariants the tests hold\n");
    for (i, inv) in INVARIANTS.iter().enumerate() {
        let _ = writeln!(s, "{}. {inv}", i + 1);
    }
    let _ = writeln!(s, "\n## Parameters\n\nThe numbers the rules decide with, each written once (`ipt_core::catalogue::parameters`): the code reads them, and the statements above and the engine's words show them. One without a citation is an engine default.\n");
    let _ = writeln!(
        s,
        "| Parameter | Value | Rule | What | Sources |\n|---|---|---|---|---|"
    );
    for p in catalogue::parameters::PARAMETERS {
        let _ = writeln!(
            s,
            "| `{}` | {} | {} | {} | {} |",
            p.name,
            match p.unit {
                catalogue::parameters::Unit::Thousandths => p.shown(),
                unit => format!("{} {}", p.shown(), unit.as_str()),
            },
            p.rule,
            p.what.trim(),
            if p.sources.is_empty() {
                "engine default".to_owned()
            } else {
                p.sources.join("; ")
            }
        );
    }
    let _ = writeln!(s, "\n## Where each rule is decided\n\nThe function that decides each rule, as the engine's registry links it (`ipt_core::registry`); its words are the rule's rows of its domain's words table, and its vectors are `tests/vectors/<domain>/<RULE>--*.json`.\n");
    let _ = writeln!(s, "| ID | Function |\n|---|---|");
    for r in catalogue::all() {
        let links: Vec<String> = ipt_core::registry::registry()
            .into_iter()
            .filter(|l| l.rule == r.id)
            .map(|l| format!("`{}`", l.function))
            .collect();
        let _ = writeln!(s, "| {} | {} |", r.id, links.join(", "));
    }
    if !PLANNED.is_empty() {
        let _ = writeln!(
            s,
            "\n## Planned\n\nRules of the specification not yet in the engine:\n"
        );
        for (id, what) in PLANNED {
            let _ = writeln!(s, "- {id}: {what}");
        }
    }
    let _ = writeln!(s, "\n## Sources\n\nRules cite these keys, with a section where one helps (`S1 §II.G`). `L1`-`L16` are the published literature, `T1`-`T3` the terminologies of coded records; where an `S` document could not be identified as published, its kind is said and `see also` names the published source that makes the same statements.\n");
    for src in catalogue::sources() {
        let see = src
            .see_also
            .map(|k| format!(" See also {k}."))
            .unwrap_or_default();
        let url = src.url.map(|u| format!(" <{u}>")).unwrap_or_default();
        let _ = writeln!(s, "- **{}**: {}{see}{url}", src.key, src.reference);
    }
    s
}

#[test]
fn the_protocol_document_matches_the_catalogue() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("protocol.md");
    let text = generate();
    if std::env::var_os("IPT_BLESS").is_some() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, &text).unwrap();
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == text,
        "docs/protocol.md is stale: run IPT_BLESS=1 cargo test -p ipt-core --test integration protocol_doc::"
    );
}

#[test]
fn every_specification_rule_is_in_the_catalogue_or_planned() {
    let spec = root().join("..").join("shared").join("PROTOCOL.md");
    let Ok(text) = std::fs::read_to_string(&spec) else {
        return; // the crate without the team's shared folder beside it
    };
    const PREFIXES: &[&str] = &["C", "I", "A", "X", "R", "PA", "V", "ST", "M", "D", "G"];
    let found: BTreeSet<&str> = text
        .split(|c: char| !(c.is_ascii_uppercase() || c.is_ascii_digit() || c == '-'))
        .filter(|t| {
            t.split_once('-').is_some_and(|(prefix, rest)| {
                PREFIXES.contains(&prefix) && !rest.is_empty() && !t.ends_with('-')
            })
        })
        .collect();
    assert!(found.len() >= 40, "read only {} IDs", found.len());
    for id in found {
        let planned = PLANNED.iter().any(|(p, _)| *p == id);
        let known = catalogue::RuleId::parse(id).is_some();
        assert!(
            known || planned,
            "specification rule `{id}` is neither in the catalogue nor planned"
        );
        assert!(
            !(known && planned),
            "`{id}` is implemented: take it off the planned list"
        );
    }
}

#[test]
fn every_parameter_is_stated_by_its_rule_and_every_statement_is_filled() {
    for p in catalogue::parameters::PARAMETERS {
        let rule = catalogue::get(p.rule).unwrap();
        assert!(
            rule.statement.contains(&format!("{{{}}}", p.name)),
            "{} does not state {}",
            p.rule,
            p.name
        );
    }
    for r in catalogue::all() {
        let text = catalogue::statement_in(r, &ipt_core::explain::ENGLISH);
        assert!(!text.contains('{'), "{}: {text}", r.id);
    }
}
