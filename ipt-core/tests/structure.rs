//! The shape of the code: no import cycle between the crate's modules, file by file, and no
//! source file over 600 lines of non-test code.
//!
//! A file's imports are every path it names outside its comments and its tests: `crate::`,
//! `super::` and `self::` paths (use groups expanded, `{a, b::{c, d}}`) and paths through a
//! child module (`words::render`). Each leads to the deepest module it names. A child may
//! use its parent (`super::Origin`) only while the parent uses nothing that leads back to
//! it: the test finds every strongly connected component of the graph and fails on any of
//! more than one module.

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

/// The most lines of non-test code a source file may have.
const MAX_LINES: usize = 600;

#[test]
fn no_source_file_is_over_600_lines_of_non_test_code() {
    let mut files = Vec::new();
    rust_files(&src(), &mut files);
    let mut over = Vec::new();
    for f in &files {
        let text = std::fs::read_to_string(f).unwrap();
        let lines = non_test(&text).lines().count();
        if lines > MAX_LINES {
            over.push(format!("{} ({lines})", f.display()));
        }
    }
    assert!(
        over.is_empty(),
        "files over {MAX_LINES} lines of non-test code: {over:?}"
    );
}

/// A module's path within the crate: `[]` for `lib.rs`, `["ehr", "card"]` for
/// `src/ehr/card.rs`, `["course", "apply"]` for `src/course/apply/mod.rs`.
type Module = Vec<String>;

fn module_of(path: &Path) -> Module {
    let rel = path.strip_prefix(src()).unwrap().with_extension("");
    let mut parts: Module = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    if parts.last().is_some_and(|l| l == "mod" || l == "lib") {
        parts.pop();
    }
    parts
}

/// The code of a file: before its tests, without comment lines.
fn code_of(text: &str) -> String {
    non_test(text)
        .lines()
        .filter(|l| !l.trim_start().starts_with("//"))
        .collect::<Vec<_>>()
        .join("\n")
}

fn is_ident(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// The paths of a use tree at `s[*i..]`, each as its segments: `a::{b, c::d}` gives
/// `[a, b]` and `[a, c, d]`; an alias (`as x`) ends a path.
fn use_tree(s: &[char], i: &mut usize) -> Vec<Vec<String>> {
    let skip = |i: &mut usize| {
        while s.get(*i).is_some_and(|c| c.is_whitespace()) {
            *i += 1;
        }
    };
    skip(i);
    if s.get(*i) == Some(&'{') {
        *i += 1;
        let mut out = Vec::new();
        loop {
            skip(i);
            match s.get(*i) {
                None => return out,
                Some('}') => {
                    *i += 1;
                    return out;
                }
                Some(',') => *i += 1,
                Some(_) => {
                    let before = *i;
                    out.extend(use_tree(s, i));
                    // Whatever follows a path inside a group (an alias) up to `,` or `}`.
                    while s.get(*i).is_some_and(|c| *c != ',' && *c != '}') {
                        *i += 1;
                    }
                    if *i == before {
                        *i += 1;
                    }
                }
            }
        }
    }
    let start = *i;
    while s.get(*i).copied().is_some_and(is_ident) {
        *i += 1;
    }
    let ident: String = s[start..*i].iter().collect();
    if ident.is_empty() {
        return Vec::new();
    }
    if s.get(*i) == Some(&':') && s.get(*i + 1) == Some(&':') {
        *i += 2;
        if s.get(*i) == Some(&'$') {
            // A macro's metavariable (`crate::suitability::$module`): the expansion's paths
            // are read where the macro is invoked.
            return vec![vec![ident, "$".to_owned()]];
        }
        let rest = use_tree(s, i);
        if rest.is_empty() {
            // A glob: `operations::*`.
            return vec![vec![ident, "*".to_owned()]];
        }
        return rest
            .into_iter()
            .map(|mut p| {
                p.insert(0, ident.clone());
                p
            })
            .collect();
    }
    vec![vec![ident]]
}

/// The deepest module `segments` name from `base`.
fn resolve(base: &[String], segments: &[String], modules: &BTreeSet<Module>) -> Module {
    let mut m = base.to_vec();
    for s in segments {
        m.push(s.clone());
        if !modules.contains(&m) {
            m.pop();
            break;
        }
    }
    m
}

/// The modules a file's code leads to.
fn imports(me: &Module, code: &str, modules: &BTreeSet<Module>) -> BTreeSet<Module> {
    let s: Vec<char> = code.chars().collect();
    let mut out = BTreeSet::new();
    let mut i = 0;
    while i < s.len() {
        let starts = i == 0 || !(is_ident(s[i - 1]) || s[i - 1] == ':');
        if !starts || !is_ident(s[i]) {
            i += 1;
            continue;
        }
        let mut j = i;
        for path in use_tree(&s, &mut j) {
            // `pub(super)`, `Self`, a lone name: no path.
            let Some((first, rest)) = path.split_first().filter(|_| path.len() > 1) else {
                continue;
            };
            let (base, rest): (Module, &[String]) = match first.as_str() {
                "crate" => (Vec::new(), rest),
                "self" => (me.clone(), rest),
                "super" => {
                    let mut base = me.clone();
                    base.pop();
                    let mut rest = rest;
                    while let Some(("super", more)) =
                        rest.split_first().map(|(a, more)| (a.as_str(), more))
                    {
                        base.pop();
                        rest = more;
                    }
                    (base, rest)
                }
                // A path through a child module: `words::render`.
                _ => (me.clone(), &path[..]),
            };
            if path.iter().any(|x| x == "$") {
                continue;
            }
            let segments: Vec<String> = rest.iter().filter(|x| *x != "self").cloned().collect();
            let to = resolve(&base, &segments, modules);
            let through_child = !matches!(first.as_str(), "crate" | "self" | "super");
            if to != *me && (!through_child || to.len() > me.len()) {
                out.insert(to);
            }
        }
        i = j.max(i + 1);
    }
    out
}

/// The strongly connected components of more than one module (Tarjan's algorithm).
fn cycles(graph: &BTreeMap<Module, BTreeSet<Module>>) -> Vec<Vec<Module>> {
    struct Tarjan<'g> {
        graph: &'g BTreeMap<Module, BTreeSet<Module>>,
        index: BTreeMap<&'g Module, usize>,
        low: BTreeMap<&'g Module, usize>,
        stack: Vec<&'g Module>,
        found: Vec<Vec<Module>>,
    }
    impl<'g> Tarjan<'g> {
        fn visit(&mut self, v: &'g Module) {
            let n = self.index.len();
            self.index.insert(v, n);
            self.low.insert(v, n);
            self.stack.push(v);
            for w in self.graph.get(v).into_iter().flatten() {
                let w = self.graph.get_key_value(w).map_or(w, |(k, _)| k);
                if !self.index.contains_key(w) {
                    self.visit(w);
                    let lw = self.low[w];
                    let lv = self.low.get_mut(v).unwrap();
                    *lv = (*lv).min(lw);
                } else if self.stack.contains(&w) {
                    let iw = self.index[w];
                    let lv = self.low.get_mut(v).unwrap();
                    *lv = (*lv).min(iw);
                }
            }
            if self.low[v] == self.index[v] {
                let mut component = Vec::new();
                while let Some(w) = self.stack.pop() {
                    component.push(w.clone());
                    if w == v {
                        break;
                    }
                }
                if component.len() > 1 {
                    component.sort();
                    self.found.push(component);
                }
            }
        }
    }
    let mut t = Tarjan {
        graph,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        found: Vec::new(),
    };
    for v in graph.keys() {
        if !t.index.contains_key(v) {
            t.visit(v);
        }
    }
    t.found
}

fn graph() -> BTreeMap<Module, BTreeSet<Module>> {
    let mut files = Vec::new();
    rust_files(&src(), &mut files);
    let modules: BTreeSet<Module> = files.iter().map(|f| module_of(f)).collect();
    let mut graph = BTreeMap::new();
    for f in &files {
        let me = module_of(f);
        let code = code_of(&std::fs::read_to_string(f).unwrap());
        graph.insert(me.clone(), imports(&me, &code, &modules));
    }
    graph
}

fn name(m: &Module) -> String {
    if m.is_empty() {
        "crate".to_owned()
    } else {
        m.join("::")
    }
}

#[test]
fn modules_import_each_other_without_a_cycle() {
    let graph = graph();
    let found: Vec<String> = cycles(&graph)
        .iter()
        .map(|c| {
            let names: BTreeSet<String> = c.iter().map(name).collect();
            let edges: Vec<String> = c
                .iter()
                .flat_map(|a| {
                    graph[a]
                        .iter()
                        .filter(|b| c.contains(b))
                        .map(move |b| format!("{} -> {}", name(a), name(b)))
                })
                .collect();
            format!("{names:?}: {}", edges.join(", "))
        })
        .collect();
    assert!(found.is_empty(), "import cycles:\n{}", found.join("\n"));
    assert!(graph.len() > 100, "read only {} modules", graph.len());
}

#[test]
fn the_import_reader_sees_groups_supers_and_children_and_finds_a_cycle() {
    let modules: BTreeSet<Module> = [
        vec![],
        vec!["a".to_owned()],
        vec!["a".to_owned(), "b".to_owned()],
        vec!["a".to_owned(), "c".to_owned()],
        vec!["d".to_owned()],
    ]
    .into_iter()
    .collect();
    let a = vec!["a".to_owned()];
    let ab = vec!["a".to_owned(), "b".to_owned()];
    let ac = vec!["a".to_owned(), "c".to_owned()];
    let d = vec!["d".to_owned()];
    // A group with a nested group and an alias, and a path through a child module.
    let seen = imports(
        &a,
        "use crate::{d::X as Y, a::{self, c::{Z}}};\nfn f() { x::y(); }\npub use b::*;\n\
         macro_rules! m { ($x:ident) => { crate::$x::f() } }",
        &modules,
    );
    assert_eq!(
        seen,
        [ab.clone(), ac.clone(), d.clone()].into_iter().collect()
    );
    // `super::` from a child leads to its parent; `super::super::` to the crate.
    let up = imports(
        &ab,
        "pub(super) fn f() {} pub(crate) use super::X; use super::super::Y;",
        &modules,
    );
    assert_eq!(up, [vec![], a.clone()].into_iter().collect());
    // A parent that uses a child which uses the parent is a cycle; a child alone using its
    // parent is not.
    let mut g: BTreeMap<Module, BTreeSet<Module>> = BTreeMap::new();
    g.insert(a.clone(), [ac.clone()].into_iter().collect());
    g.insert(ab.clone(), [a.clone()].into_iter().collect());
    g.insert(ac.clone(), BTreeSet::new());
    assert!(cycles(&g).is_empty());
    g.insert(ac.clone(), [a.clone()].into_iter().collect());
    assert_eq!(cycles(&g), vec![vec![a, ac]]);
}
