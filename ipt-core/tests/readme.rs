//! The crate's README is its crates.io page and its documentation's front page (its example
//! runs as a doc test): its links must work there, so they are absolute. In the repository,
//! the Rust example of the workspace README must be the crate README's, so the one shown first
//! is the one tested.

#![allow(clippy::unwrap_used, clippy::panic, clippy::indexing_slicing)]

use std::path::Path;

fn crate_readme() -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap()
}

/// The fenced blocks of `lang` in a Markdown text.
fn blocks(text: &str, lang: &str) -> Vec<String> {
    let open = format!("```{lang}\n");
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(i) = rest.find(&open) {
        let body = &rest[i + open.len()..];
        let end = body.find("```").unwrap();
        out.push(body[..end].to_owned());
        rest = &body[end + 3..];
    }
    out
}

#[test]
fn the_crate_readme_links_only_to_absolute_addresses() {
    let text = crate_readme();
    let mut links = 0;
    for (i, _) in text.match_indices("](") {
        let target = &text[i + 2..];
        let target = &target[..target.find(')').unwrap()];
        links += 1;
        assert!(
            target.starts_with("https://docs.rs/ipt-core/"),
            "a link that breaks on crates.io or docs.rs: {target}"
        );
    }
    assert!(links >= 8, "only {links} links");
    assert!(!text.contains("PROTOCOL.md") && !text.contains("../"));
}

#[test]
fn the_crate_readme_has_the_doc_tested_example() {
    let rust = blocks(&crate_readme(), "rust");
    assert_eq!(rust.len(), 1);
    assert!(rust[0].contains("api::call(\"assess_suitability\""));
}

#[test]
fn the_workspace_readme_shows_the_tested_example() {
    let Ok(workspace) =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("../README.md"))
    else {
        eprintln!("no workspace README beside the crate (the packaged crate): nothing to compare");
        return;
    };
    let tested = blocks(&crate_readme(), "rust");
    let shown = blocks(&workspace, "rust");
    assert!(
        !shown.is_empty(),
        "the workspace README has no Rust example"
    );
    for block in &shown {
        assert!(
            tested.contains(block),
            "the workspace README's Rust example differs from ipt-core/README.md's, which is the \
             one doc-tested:\n{block}"
        );
    }
}
