//! Turns `locales/<code>/*.ftl` into Rust: a `Lang` enum with one variant per language
//! directory and a `Msg` enum with one variant per key. Each product area keeps its own file
//! (`core.ftl`, `accounts.ftl`, ...); keys are unique across a language's files. A key missing from, or extra in, any language is
//! a build error, so an untranslated string can never ship.
use std::{collections::BTreeMap, env, fs, path::Path};

fn parse(path: &Path, map: &mut BTreeMap<String, String>) {
    let text = fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    for (n, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let (k, v) = line
            .split_once('=')
            .unwrap_or_else(|| panic!("{}:{}: expected `key = text`", path.display(), n + 1));
        let (k, v) = (k.trim().to_string(), v.trim().to_string());
        assert!(
            k.chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '.' || c == '_'),
            "{}:{}: key `{k}` must be lowercase ascii, digits, `.` or `_`",
            path.display(),
            n + 1
        );
        if map.insert(k.clone(), v).is_some() {
            panic!("{}:{}: duplicate key `{k}`", path.display(), n + 1);
        }
    }
}

fn parse_language(dir: &Path) -> BTreeMap<String, String> {
    let mut files: Vec<_> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "ftl"))
        .collect();
    files.sort();
    let mut map = BTreeMap::new();
    for p in files {
        println!("cargo:rerun-if-changed={}", p.display());
        parse(&p, &mut map);
    }
    map
}

fn camel(s: &str) -> String {
    s.split(['.', '_', '-'])
        .filter(|p| !p.is_empty())
        .map(|p| {
            let mut c = p.chars();
            let first = c.next().unwrap().to_ascii_uppercase();
            std::iter::once(first).chain(c).collect::<String>()
        })
        .collect()
}

fn main() {
    let dir = Path::new(&env::var("CARGO_MANIFEST_DIR").unwrap()).join("locales");
    println!("cargo:rerun-if-changed={}", dir.display());
    let mut langs: Vec<(String, BTreeMap<String, String>)> = fs::read_dir(&dir)
        .unwrap()
        .filter_map(|e| {
            let p = e.unwrap().path();
            p.is_dir().then(|| {
                println!("cargo:rerun-if-changed={}", p.display());
                (
                    p.file_name().unwrap().to_string_lossy().into_owned(),
                    parse_language(&p),
                )
            })
        })
        .collect();
    // English is the reference language and the fallback; it comes first.
    langs.sort_by_key(|(code, _)| (code != "en", code.clone()));
    assert_eq!(langs[0].0, "en", "locales/en/ is required");
    let reference: Vec<&String> = langs[0].1.keys().collect();
    for (code, map) in &langs[1..] {
        for k in &reference {
            assert!(map.contains_key(*k), "locales/{code}/ lacks key `{k}`");
        }
        for k in map.keys() {
            assert!(
                langs[0].1.contains_key(k),
                "locales/{code}/ has unknown key `{k}`"
            );
        }
    }

    let mut out = String::new();
    out.push_str(
        "#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]\n",
    );
    out.push_str("pub enum Lang {\n");
    for (code, _) in &langs {
        out.push_str(&format!("    {},\n", camel(code)));
    }
    out.push_str("}\n\nimpl Lang {\n    pub const ALL: &'static [Lang] = &[");
    for (code, _) in &langs {
        out.push_str(&format!("Lang::{}, ", camel(code)));
    }
    out.push_str("];\n    pub fn code(self) -> &'static str {\n        match self {\n");
    for (code, _) in &langs {
        out.push_str(&format!("            Lang::{} => {code:?},\n", camel(code)));
    }
    out.push_str("        }\n    }\n}\n\n");
    out.push_str("#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]\npub enum Msg {\n");
    for k in &reference {
        out.push_str(&format!("    {},\n", camel(k)));
    }
    out.push_str("}\n\nimpl Msg {\n    pub fn from_key(key: &str) -> Option<Msg> {\n        match key {\n");
    for k in &reference {
        out.push_str(&format!("            {k:?} => Some(Msg::{}),\n", camel(k)));
    }
    out.push_str("            _ => None,\n        }\n    }\n    pub const ALL: &'static [Msg] = &[");
    for k in &reference {
        out.push_str(&format!("Msg::{}, ", camel(k)));
    }
    out.push_str("];\n    pub fn key(self) -> &'static str {\n        match self {\n");
    for k in &reference {
        out.push_str(&format!("            Msg::{} => {k:?},\n", camel(k)));
    }
    out.push_str("        }\n    }\n}\n\npub fn text(lang: Lang, msg: Msg) -> &'static str {\n    match (lang, msg) {\n");
    for (code, map) in &langs {
        for (k, v) in map {
            out.push_str(&format!(
                "        (Lang::{}, Msg::{}) => {v:?},\n",
                camel(code),
                camel(k)
            ));
        }
    }
    out.push_str("    }\n}\n");
    fs::write(Path::new(&env::var("OUT_DIR").unwrap()).join("i18n.rs"), out).unwrap();
}
