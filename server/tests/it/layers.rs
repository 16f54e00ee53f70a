//! Issue 14: the app crate's modules import one another only downwards, in the order
//! docs/ARCHITECTURE.md shows:
//!
//! ```text
//! platform (with error, i18n, check, dates)  →  auth  →  ui  →  areas (accounts, courses, …)  →  lib.rs
//! ```
//!
//! A module may use what sits below it, never what sits above; and no two sibling modules
//! (two areas, or two modules inside one area) import each other. The test reads every
//! `crate::…` path in the source (comments left out) and names each file and import that
//! breaks the order.
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The ground floor and the layers above it; any other top-level module is an area.
fn layer(module: &str) -> u8 {
    match module {
        "platform" | "error" | "i18n" | "check" | "dates" => 0,
        "auth" => 1,
        "ui" => 2,
        "lib" => 4,
        _ => 3,
    }
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

/// `app/src/courses/staff/db.rs` → `["courses", "staff", "db"]`; a `mod.rs` names its
/// folder; the crate root is `lib`.
fn module_of(root: &Path, file: &Path) -> Vec<String> {
    let rel = file.strip_prefix(root).unwrap().with_extension("");
    let mut parts: Vec<String> = rel.iter().map(|s| s.to_string_lossy().into_owned()).collect();
    if parts.last().is_some_and(|l| l == "mod") {
        parts.pop();
    }
    if parts == ["lib"] {
        return vec!["lib".into()];
    }
    parts
}

fn without_comments(src: &str) -> String {
    src.lines()
        .map(|l| match l.find("//") {
            Some(i) if !l[..i].contains('"') => &l[..i],
            _ => l,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Every module path named after `crate::` or `super::` in `src`, as absolute segments
/// (`crate::ui::form::Field` → `["ui", "form", "Field"]`; `super::db` in `courses::api` →
/// `["courses", "db"]`; for `use crate::{a, b::c}` each of `a` and `b::c`).
fn crate_paths(src: &str, from: &[String]) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    let mut i = 0;
    let b = src.as_bytes();
    while i < b.len() {
        let at = &src[i..];
        let (base, skip): (Vec<String>, usize) = if at.starts_with("crate::") {
            (Vec::new(), 7)
        } else if at.starts_with("super::") {
            let mut n = 0;
            while src[i + n * 7..].starts_with("super::") {
                n += 1;
            }
            let keep = from.len().saturating_sub(n);
            (from[..keep].to_vec(), n * 7)
        } else {
            i += at.chars().next().map_or(1, char::len_utf8);
            continue;
        };
        let before = src[..i].chars().last();
        i += skip;
        if before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '$' || c == ':') {
            continue;
        }
        let rest = &src[i..];
        let join = |tail: &str| -> Vec<String> {
            let mut p = base.clone();
            p.extend(
                tail.split("::")
                    .map(|s| s.trim().to_string())
                    .filter(|s| !s.is_empty()),
            );
            p
        };
        if let Some(group) = rest.strip_prefix('{') {
            let end = group.find('}').unwrap_or(group.len());
            for item in group[..end].split(',') {
                let item = item.trim();
                if !item.is_empty() && item != "self" {
                    out.push(join(item));
                }
            }
            continue;
        }
        let path: String = rest
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_' || *c == ':')
            .collect();
        out.push(join(&path));
    }
    out
}

#[test]
fn imports_follow_the_layer_order() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../app/src");
    let mut files = Vec::new();
    rust_files(&root, &mut files);
    let modules: BTreeSet<String> = files.iter().map(|f| module_of(&root, f)[0].clone()).collect();
    let mut problems = Vec::new();
    // Sibling edges: (parent path, from child, to child) → the file and import that make it.
    let mut edges: BTreeMap<(Vec<String>, String, String), String> = BTreeMap::new();
    for f in &files {
        let from = module_of(&root, f);
        let src = without_comments(&std::fs::read_to_string(f).unwrap());
        let shown = f.strip_prefix(&root).unwrap().display().to_string();
        for to in crate_paths(&src, &from) {
            let Some(top) = to.first() else { continue };
            if !modules.contains(top) {
                continue;
            }
            let (lf, lt) = (layer(&from[0]), layer(top));
            if from[0] != *top && lt > lf {
                problems.push(format!("app/src/{shown}: crate::{} reaches up", to.join("::")));
                continue;
            }
            // The first point where the two paths part: siblings under a common parent.
            let common = from.iter().zip(&to).take_while(|(a, b)| a == b).count();
            if common < from.len() && common < to.len() {
                let (a, b) = (&from[common], &to[common]);
                // Only modules count as siblings, not items (`crate::ui::form::Field`
                // from `ui::form` parts at `Field`, which is no module).
                let sibling_dir = root.join(to[..=common].join("/"));
                if sibling_dir.is_dir() || sibling_dir.with_extension("rs").is_file() {
                    edges
                        .entry((from[..common].to_vec(), a.clone(), b.clone()))
                        .or_insert_with(|| format!("app/src/{shown}: crate::{}", to.join("::")));
                }
            }
        }
    }
    for ((parent, a, b), at) in &edges {
        if a < b
            && let Some(back) = edges.get(&(parent.clone(), b.clone(), a.clone()))
        {
            let p = if parent.is_empty() {
                String::new()
            } else {
                format!("{}::", parent.join("::"))
            };
            problems.push(format!("{p}{a} and {p}{b} import each other: {at}; {back}"));
        }
    }
    assert!(
        problems.is_empty(),
        "{} imports against the layer order:\n{}",
        problems.len(),
        problems.join("\n")
    );
}
