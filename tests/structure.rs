//! The core's modules form layers: no module uses one that uses it, directly or through others.
//! Read from the sources (`crate::module` paths and `use crate::{...}` groups, comments skipped),
//! so a new back edge fails here with the cycle it makes.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

fn is_ident(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// The modules that `source` names through `crate::`.
fn uses(source: &str, modules: &BTreeSet<String>) -> BTreeSet<String> {
    let code: String = source.lines().map(|l| l.split("//").next().unwrap_or("")).collect::<Vec<_>>().join("\n");
    let mut found = BTreeSet::new();
    let mut rest = code.as_str();
    while let Some(at) = rest.find("crate::") {
        rest = &rest[at + "crate::".len()..];
        let names: Vec<&str> = if let Some(group) = rest.strip_prefix('{') {
            // A `use crate::{a, b::c}` group: every identifier in it (only module names count).
            let end = group.find('}').unwrap_or(group.len());
            group[..end].split(|c: char| !is_ident(c)).collect()
        } else {
            vec![rest.split(|c: char| !is_ident(c)).next().unwrap_or("")]
        };
        found.extend(names.into_iter().filter(|n| modules.contains(*n)).map(str::to_owned));
    }
    found
}

fn cycle_from(
    module: &str,
    graph: &BTreeMap<String, BTreeSet<String>>,
    path: &mut Vec<String>,
    done: &mut BTreeSet<String>,
) -> Option<Vec<String>> {
    if let Some(start) = path.iter().position(|m| m == module) {
        let mut cycle = path[start..].to_vec();
        cycle.push(module.to_owned());
        return Some(cycle);
    }
    if done.contains(module) {
        return None;
    }
    path.push(module.to_owned());
    for next in &graph[module] {
        if let Some(cycle) = cycle_from(next, graph, path, done) {
            return Some(cycle);
        }
    }
    path.pop();
    done.insert(module.to_owned());
    None
}

#[test]
fn core_modules_have_no_import_cycles() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut sources = BTreeMap::new();
    for entry in std::fs::read_dir(&src).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_stem().unwrap().to_string_lossy().into_owned();
        if path.extension().is_some_and(|e| e == "rs") && name != "lib" {
            sources.insert(name, std::fs::read_to_string(&path).unwrap());
        }
    }
    let modules: BTreeSet<String> = sources.keys().cloned().collect();
    assert!(modules.len() >= 10, "read {} modules from {}", modules.len(), src.display());
    let graph: BTreeMap<String, BTreeSet<String>> = sources
        .iter()
        .map(|(name, source)| {
            let mut used = uses(source, &modules);
            used.remove(name);
            (name.clone(), used)
        })
        .collect();
    // The layering this test keeps: the lowest modules use nothing of the crate.
    for leaf in ["keys", "platform", "deep_size", "metadata", "ending"] {
        assert!(graph[leaf].is_empty(), "{leaf} uses {:?}", graph[leaf]);
    }
    let mut done = BTreeSet::new();
    for module in graph.keys() {
        if let Some(cycle) = cycle_from(module, &graph, &mut Vec::new(), &mut done) {
            panic!("import cycle: {}", cycle.join(" -> "));
        }
    }
}

#[test]
fn the_parser_sees_groups_and_paths() {
    let modules: BTreeSet<String> = ["a", "b", "c"].iter().map(|s| s.to_string()).collect();
    let found = uses("use crate::{a::X, b};\n// crate::c\nfn f() { crate::b::g() }", &modules);
    assert_eq!(found.into_iter().collect::<Vec<_>>(), ["a", "b"]);
}
