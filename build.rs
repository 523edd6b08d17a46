//! Embeds the rule files of `rules/` in the binary, so that the built-in rule set is
//! exactly the folder's content and adding a rule needs no Rust change.

use std::fmt::Write;
use std::path::Path;

fn main() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("rules");
    println!("cargo::rerun-if-changed={}", dir.display());
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .expect("rules/ exists")
        .map(|e| e.expect("readable rules/ entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    files.sort();
    let mut out = String::from("pub const RULE_FILES: &[(&str, &str)] = &[\n");
    for path in &files {
        println!("cargo::rerun-if-changed={}", path.display());
        let name = format!("rules/{}", path.file_name().unwrap().to_string_lossy());
        writeln!(
            out,
            "    ({name:?}, include_str!({:?})),",
            path.display().to_string()
        )
        .unwrap();
    }
    out.push_str("];\n");
    let base = dir.join("example-base.json");
    println!("cargo::rerun-if-changed={}", base.display());
    if base.exists() {
        writeln!(
            out,
            "pub const EXAMPLE_BASE: Option<&str> = Some(include_str!({:?}));",
            base.display().to_string()
        )
        .unwrap();
    } else {
        out.push_str("pub const EXAMPLE_BASE: Option<&str> = None;\n");
    }
    let dest = Path::new(&std::env::var("OUT_DIR").unwrap()).join("builtin_rules.rs");
    std::fs::write(dest, out).unwrap();
}
