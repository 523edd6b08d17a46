//! Embeds the rule files of `rules/` in the binary, so that the built-in rule set is
//! exactly the folder's content and adding a rule needs no Rust change.
//!
//! The package's folder is read from `CARGO_MANIFEST_DIR` when the build script *runs*,
//! never with `env!` (fixed when the script is compiled): Cargo reuses a compiled build
//! script across clones of the package that share a target folder, and `env!` would then
//! embed the rules of whichever clone compiled it first (`.ci/run` builds two clones with
//! one target folder to check this). The generated code names each file through
//! `env!("CARGO_MANIFEST_DIR")` of the crate being compiled, so the text embedded is always
//! that of the clone whose crate is compiled, even if this script's output is reused.

use std::fmt::Write;
use std::path::{Path, PathBuf};

fn main() {
    let manifest = std::env::var_os("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR");
    let dir = PathBuf::from(manifest).join("rules");
    println!("cargo::rerun-if-changed={}", dir.display());
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()))
        .map(|e| e.expect("readable rules/ entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    files.sort();
    let mut out = String::from("pub const RULE_FILES: &[(&str, &str)] = &[\n");
    for path in &files {
        println!("cargo::rerun-if-changed={}", path.display());
        let file = path.file_name().unwrap().to_string_lossy();
        writeln!(out, "    (\"rules/{file}\", {}),", embed(&file)).unwrap();
    }
    out.push_str("];\n");
    let base = dir.join("example-base.json");
    println!("cargo::rerun-if-changed={}", base.display());
    if base.exists() {
        writeln!(
            out,
            "pub const EXAMPLE_BASE: Option<&str> = Some({});",
            embed("example-base.json")
        )
        .unwrap();
    } else {
        out.push_str("pub const EXAMPLE_BASE: Option<&str> = None;\n");
    }
    let dest = Path::new(&std::env::var("OUT_DIR").unwrap()).join("builtin_rules.rs");
    std::fs::write(dest, out).unwrap();
}

/// The expression embedding `rules/<file>` of the crate being compiled.
fn embed(file: &str) -> String {
    format!("include_str!(concat!(env!(\"CARGO_MANIFEST_DIR\"), \"/rules/{file}\"))")
}
