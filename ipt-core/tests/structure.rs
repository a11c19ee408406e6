//! The shape of the code: no import cycle between the crate's top-level modules, and no
//! source file over about 600 lines of non-test code.

#![allow(clippy::unwrap_used, clippy::panic, clippy::indexing_slicing)]

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

/// The file's text before its `#[cfg(test)]` module.
fn non_test(text: &str) -> &str {
    text.find("#[cfg(test)]\nmod tests")
        .map_or(text, |i| &text[..i])
}

/// The top-level module a file belongs to (`suitability` for `src/suitability/verdict.rs`).
fn top_module(path: &Path) -> String {
    let rel = path.strip_prefix(src()).unwrap();
    let first = rel
        .components()
        .next()
        .unwrap()
        .as_os_str()
        .to_string_lossy()
        .into_owned();
    first.trim_end_matches(".rs").to_owned()
}

#[test]
fn no_source_file_is_over_600_lines_of_non_test_code() {
    let mut files = Vec::new();
    rust_files(&src(), &mut files);
    let mut over = Vec::new();
    for f in &files {
        let text = std::fs::read_to_string(f).unwrap();
        let lines = non_test(&text).lines().count();
        if lines > 620 {
            over.push(format!("{} ({lines})", f.display()));
        }
    }
    assert!(
        over.is_empty(),
        "files over 600 lines of non-test code: {over:?}"
    );
}

#[test]
fn top_level_modules_import_each_other_without_a_cycle() {
    let mut files = Vec::new();
    rust_files(&src(), &mut files);
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for f in &files {
        let from = top_module(f);
        if from == "lib" {
            continue;
        }
        let full = std::fs::read_to_string(f).unwrap();
        // Code only: doc links in comments are not imports.
        let text: String = non_test(&full)
            .lines()
            .filter(|l| !l.trim_start().starts_with("//"))
            .collect::<Vec<_>>()
            .join("\n");
        for (i, _) in text.match_indices("crate::") {
            let rest = &text[i + "crate::".len()..];
            let to: String = rest
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            let to = if to == "rules" {
                "catalogue".to_owned()
            } else {
                to
            };
            if !to.is_empty()
                && to != from
                && to.chars().next().is_some_and(|c| c.is_ascii_lowercase())
            {
                graph.entry(from.clone()).or_default().insert(to);
            }
        }
    }
    // Depth-first search for a back edge.
    fn visit(
        n: &str,
        g: &BTreeMap<String, BTreeSet<String>>,
        state: &mut BTreeMap<String, u8>,
        stack: &mut Vec<String>,
    ) {
        match state.get(n) {
            Some(2) => return,
            Some(1) => {
                let start = stack.iter().position(|x| x == n).unwrap();
                panic!("import cycle: {} -> {n}", stack[start..].join(" -> "));
            }
            _ => {}
        }
        state.insert(n.to_owned(), 1);
        stack.push(n.to_owned());
        for m in g.get(n).into_iter().flatten() {
            visit(m, g, state, stack);
        }
        stack.pop();
        state.insert(n.to_owned(), 2);
    }
    let mut state = BTreeMap::new();
    for n in graph.keys() {
        visit(n, &graph, &mut state, &mut Vec::new());
    }
    assert!(graph.len() > 8, "read only {} modules", graph.len());
}
