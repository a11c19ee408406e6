//! `docs/terminology.md`, the documented terminology table (D-CODE-MAP): every code of every
//! system with what it maps to, generated from the table so the document and the engine
//! cannot drift. `IPT_BLESS=1 cargo test -p ipt-core --test integration terminology_doc::` rewrites it.

#![allow(clippy::unwrap_used, clippy::panic)]

use std::fmt::Write as _;
use std::path::Path;

use ipt_core::ehr::terminology::{counts, rows, Scope, System, TABLE_VERSION};
use ipt_core::ehr::words;

fn generate() -> String {
    let mut s = String::new();
    let _ = writeln!(s, "# The terminology table (D-CODE-MAP)\n");
    let _ = writeln!(s, "<!-- Generated from `ipt-core/src/ehr/table.rs` by `ipt-core/tests/terminology_doc.rs`; do not edit by hand. -->\n");
    let _ = writeln!(s, "Table version {TABLE_VERSION}. Coded diagnoses in FHIR records (`Condition.code.coding`) are read through this table into what the suitability rules reason about: the category, the course and phase a code states, and the finding a code implies. A code is looked up exactly as written under its FHIR system; a code no row covers is listed as unmapped, never guessed. A *block* row covers the code and every code under it in its classification; the SNOMED CT subset has no hierarchy: a concept not listed is unmapped. The choices behind the rows are documented in `ipt-core/src/ehr/table.rs`.\n");
    let _ = writeln!(
        s,
        "| System | FHIR system URI | Codes | Blocks |\n|---|---|---|---|"
    );
    for sys in System::ALL {
        let (codes, blocks) = counts(sys);
        let _ = writeln!(
            s,
            "| {} ({}) | `{}` | {codes} | {blocks} |",
            sys.label(),
            sys.source(),
            sys.uri()
        );
    }
    let _ = writeln!(s);
    for sys in System::ALL {
        let _ = writeln!(s, "## {}\n", sys.label());
        let _ = writeln!(
            s,
            "| Code | Title | Category | Course | Phase | Implies |\n|---|---|---|---|---|---|"
        );
        for r in rows().iter().filter(|r| r.system == sys) {
            let code = match r.scope {
                Scope::Code => format!("`{}`", r.code),
                Scope::Block => format!("`{}` (block)", r.code),
            };
            let _ = writeln!(
                s,
                "| {code} | {} | {} | {} | {} | {} |",
                r.title,
                words::category(r.category),
                r.course.map(words::course).unwrap_or(""),
                r.phase.map(words::phase).unwrap_or(""),
                r.implies.map(words::implied).unwrap_or(""),
            );
        }
        let _ = writeln!(s);
    }
    s
}

#[test]
fn the_terminology_document_matches_the_table() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("terminology.md");
    let text = generate();
    if std::env::var_os("IPT_BLESS").is_some() {
        std::fs::write(&path, &text).unwrap();
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == text,
        "docs/terminology.md (linked as ipt-core/terminology.md) is stale: run IPT_BLESS=1 cargo test -p ipt-core --test integration terminology_doc::"
    );
}
