//! Shared by the tests that read the conformance vectors: every `tests/vectors/**/*.json`,
//! parsed, in a stable order (`ipt-core/tests/vectors` links to the repository's
//! `tests/vectors`; the packaged crate holds a copy).

use std::path::{Path, PathBuf};

use serde_json::Value;

fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            walk(&path, out);
        } else if path.extension().is_some_and(|x| x == "json") {
            out.push(path);
        }
    }
}

/// Every vector file with its parsed content, sorted by path.
pub fn all() -> Vec<(PathBuf, Value)> {
    let mut files = Vec::new();
    walk(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/vectors"),
        &mut files,
    );
    files.sort();
    files
        .into_iter()
        .map(|f| {
            let v = serde_json::from_str(&std::fs::read_to_string(&f).unwrap())
                .unwrap_or_else(|e| panic!("{}: {e}", f.display()));
            (f, v)
        })
        .collect()
}
