//! Embeds the rule files of `rules/` in the binary, so that the built-in rule set is
//! exactly the folder's content and adding a rule needs no Rust change.
//!
//! The built-in rules are laid out by profile: each folder `rules/<profile>/` holds the
//! rule files (`*.toml`) of one profile (`rurume`, `mhlw`); `rules/example-base.json`, the
//! compliant inventory every profile's examples patch, and `rules/checklist.toml`, the
//! MHLW checklist's items and the rules that answer them, sit beside them.
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
    let mut profiles: Vec<PathBuf> = entries(&dir).into_iter().filter(|p| p.is_dir()).collect();
    profiles.sort();
    let mut out = String::from("pub const PROFILES: &[&str] = &[\n");
    for profile in &profiles {
        writeln!(out, "    {:?},", name(profile)).unwrap();
    }
    out.push_str("];\n");
    // (profile, file as shown in messages, text), by profile then file name.
    out.push_str("pub const RULE_FILES: &[(&str, &str, &str)] = &[\n");
    for profile in &profiles {
        println!("cargo::rerun-if-changed={}", profile.display());
        let mut files: Vec<PathBuf> = entries(profile)
            .into_iter()
            .filter(|p| p.extension().is_some_and(|e| e == "toml"))
            .collect();
        files.sort();
        let profile = name(profile);
        for path in &files {
            println!("cargo::rerun-if-changed={}", path.display());
            let file = format!("{profile}/{}", name(path));
            writeln!(
                out,
                "    ({profile:?}, \"rules/{file}\", {}),",
                embed(&file)
            )
            .unwrap();
        }
    }
    out.push_str("];\n");
    for (constant, file) in [
        ("EXAMPLE_BASE", "example-base.json"),
        ("CHECKLIST", "checklist.toml"),
    ] {
        let path = dir.join(file);
        println!("cargo::rerun-if-changed={}", path.display());
        if path.exists() {
            writeln!(
                out,
                "pub const {constant}: Option<&str> = Some({});",
                embed(file)
            )
            .unwrap();
        } else {
            writeln!(out, "pub const {constant}: Option<&str> = None;").unwrap();
        }
    }
    let dest = Path::new(&std::env::var("OUT_DIR").unwrap()).join("builtin_rules.rs");
    std::fs::write(dest, out).unwrap();
}

fn entries(dir: &Path) -> Vec<PathBuf> {
    std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()))
        .map(|e| e.expect("readable rules/ entry").path())
        .collect()
}

fn name(path: &Path) -> String {
    path.file_name().unwrap().to_string_lossy().into_owned()
}

/// The expression embedding `rules/<file>` of the crate being compiled.
fn embed(file: &str) -> String {
    format!("include_str!(concat!(env!(\"CARGO_MANIFEST_DIR\"), \"/rules/{file}\"))")
}
