//! End-to-end tests of profiles: `--profile` on check, audit, rules and explain, and
//! `profiles = [...]` in rurume.toml.

mod common;
use common::{AS_OF, rurume};

use serde_json::Value;

struct Output {
    code: i32,
    stdout: String,
    stderr: String,
}

fn run_in(dir: &std::path::Path, args: &[&str]) -> Output {
    let out = rurume().current_dir(dir).args(args).output().unwrap();
    Output {
        code: out.status.code().unwrap(),
        stdout: String::from_utf8(out.stdout).unwrap(),
        stderr: String::from_utf8(out.stderr).unwrap(),
    }
}

fn run(args: &[&str]) -> Output {
    run_in(std::path::Path::new(env!("CARGO_MANIFEST_DIR")), args)
}

/// The rule ids `rurume rules --format json` lists with these extra arguments.
fn listed(args: &[&str]) -> Vec<String> {
    let mut all = vec!["rules", "--format", "json"];
    all.extend(args);
    let out = run(&all);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let doc: Value = serde_json::from_str(&out.stdout).unwrap();
    doc.as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn an_unknown_profile_exits_2_with_the_list_in_the_users_language() {
    for command in ["check", "audit", "rules", "explain"] {
        let mut args = vec![command, "--profile", "rurume,nist"];
        if command == "explain" {
            args.push("antivirus");
        }
        let out = run(&args);
        assert_eq!(out.code, 2, "{command}: {}", out.stderr);
        assert!(
            out.stderr
                .contains("unknown profile `nist`; the profiles are: mhlw, rurume"),
            "{command}: {}",
            out.stderr
        );
        args.extend(["--lang", "ja"]);
        let out = run(&args);
        assert_eq!(out.code, 2);
        assert!(
            out.stderr.contains("プロファイル `nist` はありません"),
            "{}",
            out.stderr
        );
    }
}

#[test]
fn the_default_profile_is_rurume_and_profiles_combine() {
    let default = listed(&[]);
    assert!(default.contains(&"antivirus".to_owned()));
    assert!(default.contains(&"inventory-schema".to_owned()));
    assert!(!default.iter().any(|id| id.starts_with("mhlw-")));
    let mhlw = listed(&["--profile", "mhlw"]);
    assert!(!mhlw.contains(&"antivirus".to_owned()));
    // The engine's findings belong to every profile.
    assert!(mhlw.contains(&"inventory-syntax".to_owned()));
    let both = listed(&["--profile", "rurume", "--profile", "mhlw"]);
    assert_eq!(both, listed(&["--profile", "mhlw,rurume"]));
    assert!(both.len() >= default.len() && both.len() >= mhlw.len());
}

#[test]
fn rurume_toml_chooses_the_profiles_and_the_command_line_wins() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("rurume.toml"), "profiles = [\"mhlw\"]\n").unwrap();
    let sample =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/F0002-higashi-clinic.json");
    let sample = sample.to_str().unwrap();
    let rules_in_force = |args: &[&str]| {
        let mut all = vec!["check", "--format", "json", "--as-of", AS_OF, sample];
        all.extend(args);
        let out = run_in(dir.path(), &all);
        assert_ne!(out.code, 2, "{}", out.stderr);
        let doc: Value = serde_json::from_str(&out.stdout).unwrap();
        doc["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["rule"].as_str().unwrap().to_owned())
            .collect::<Vec<_>>()
    };
    assert!(
        rules_in_force(&[]).iter().all(|r| r.starts_with("mhlw-")),
        "{:?}",
        rules_in_force(&[])
    );
    assert!(
        rules_in_force(&["--profile", "rurume"])
            .iter()
            .all(|r| !r.starts_with("mhlw-"))
    );
    std::fs::write(dir.path().join("rurume.toml"), "profiles = [\"hipaa\"]\n").unwrap();
    let out = run_in(dir.path(), &["check", sample]);
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("hipaa"), "{}", out.stderr);
}
