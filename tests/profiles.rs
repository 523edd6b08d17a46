//! End-to-end tests of profiles: `--profile` on check, audit, rules and explain, and
//! `profiles = [...]` in rurume.toml.

mod common;
use common::{AS_OF, copy_tree, json_findings, run, run_in};

use serde_json::Value;

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
        json_findings(&out.stdout)
            .into_iter()
            .map(|(rule, _, _)| rule)
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

#[test]
fn rules_and_explain_name_each_rules_profile() {
    let out = run(&["rules", "--format", "json", "--profile", "rurume,mhlw"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let doc: Value = serde_json::from_str(&out.stdout).unwrap();
    let profile_of = |id: &str| {
        doc.as_array()
            .unwrap()
            .iter()
            .find(|r| r["id"] == id)
            .map(|r| r["profile"].clone())
            .unwrap()
    };
    assert_eq!(profile_of("antivirus"), "rurume");
    assert_eq!(profile_of("mhlw-backup-offline"), "mhlw");
    assert_eq!(profile_of("inventory-schema"), Value::Null);
    // explain knows every profile without --profile, and says which one.
    let out = run(&["explain", "mhlw-os-unsupported", "--lang", "ja"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stdout.contains("プロファイル: mhlw"), "{}", out.stdout);
    assert!(out.stdout.contains("\"version\":\"10\""), "{}", out.stdout);
    // Narrowed to another profile, it does not.
    let out = run(&["explain", "mhlw-os-unsupported", "--profile", "rurume"]);
    assert_eq!(out.code, 2);
}

/// An invalid or expired 第10条 exception waives nothing whichever profile is in force:
/// with `mhlw` alone the `exception-*` rules (of `rurume`) report nothing, but still judge
/// the exception.
#[test]
fn an_invalid_or_expired_exception_waives_nothing_under_any_profile() {
    let base = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/profiles/cyber-bcp-missing.json");
    let mut doc: Value = serde_json::from_str(&std::fs::read_to_string(base).unwrap()).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let exception = |extra: Value| {
        let mut e = serde_json::json!({
            "rule": "mhlw-cyber-bcp", "target": "/facility", "reason": "disaster", "approved_by": "a1"
        });
        e.as_object_mut()
            .unwrap()
            .extend(extra.as_object().unwrap().clone());
        e
    };
    let cases = [
        (
            "no-expiry",
            exception(serde_json::json!({})),
            false,
            "exception-invalid",
        ),
        (
            "expired",
            exception(serde_json::json!({ "expires": "2026-11-01" })),
            false,
            "exception-expired",
        ),
        (
            "bad-reason",
            exception(serde_json::json!({ "expires": "2027-01-01", "reason": "cost" })),
            false,
            "exception-invalid",
        ),
        (
            "valid",
            exception(serde_json::json!({ "expires": "2027-01-01" })),
            true,
            "",
        ),
    ];
    for (name, e, waived, voiding_rule) in cases {
        doc["exceptions"] = Value::Array(vec![e]);
        let file = dir.path().join(format!("{name}.json"));
        std::fs::write(&file, doc.to_string()).unwrap();
        for profile in ["mhlw", "rurume,mhlw"] {
            let out = run(&[
                "check",
                "--profile",
                profile,
                "--format",
                "json",
                "--as-of",
                "2026-11-30",
                file.to_str().unwrap(),
            ]);
            let findings = json_findings(&out.stdout);
            let bcp = findings
                .iter()
                .find(|(rule, _, _)| rule == "mhlw-cyber-bcp")
                .unwrap_or_else(|| panic!("{name} {profile}: {findings:?}"));
            assert_eq!(bcp.2, waived, "{name} {profile}: {findings:?}");
            assert_eq!(out.code, if waived { 0 } else { 1 }, "{name} {profile}");
            let voided = findings.iter().any(|(rule, _, _)| rule == voiding_rule);
            assert_eq!(
                voided,
                !waived && profile.contains("rurume"),
                "{name} {profile}: {findings:?}"
            );
            if profile == "mhlw" {
                assert!(
                    findings
                        .iter()
                        .all(|(rule, _, _)| !rule.starts_with("exception-")),
                    "{name}: {findings:?}"
                );
            }
        }
    }
}

/// Issue #15: `--rules DIR` pointed at a copy of the whole `rules/` folder works as the
/// built-in rules do: its profile folders are its profiles (`--profile` chooses among
/// them, `rurume` alone by default), its `checklist.toml` is the mapping, never a rule.
#[test]
fn a_copy_of_the_whole_rules_folder_is_the_built_in_rules() {
    let dir = tempfile::tempdir().unwrap();
    let copy = dir.path().join("rules");
    copy_tree(std::path::Path::new("rules"), &copy);
    let copy = copy.to_str().unwrap();
    let same = |args: &[&str]| {
        let mut with = args.to_vec();
        with.extend(["--rules", copy]);
        let (builtin, copied) = (run(args), run(&with));
        assert_ne!(builtin.code, 2, "{args:?}: {}", builtin.stderr);
        assert_eq!(copied.code, builtin.code, "{args:?}: {}", copied.stderr);
        assert_eq!(copied.stdout, builtin.stdout, "{args:?}");
    };
    for profile in [
        &[][..],
        &["--profile", "mhlw"],
        &["--profile", "rurume,mhlw"],
    ] {
        let mut args = vec!["check", "--format", "json", "--as-of", AS_OF, "samples/"];
        args.extend(profile);
        same(&args);
        let mut args = vec!["audit", "--format", "csv", "--as-of", AS_OF, "samples/"];
        args.extend(profile);
        same(&args);
        let mut args = vec!["rules", "--format", "json"];
        args.extend(profile);
        same(&args);
    }
    same(&[
        "checklist",
        "--format",
        "json",
        "--as-of",
        AS_OF,
        "samples/",
    ]);
    same(&["rules", "test"]);
    same(&["explain", "mhlw-os-unsupported", "--lang", "ja"]);
    // A profile the folder does not have, with the folder's list.
    let out = run(&["check", "--rules", copy, "--profile", "nist", "samples/"]);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr
            .contains("unknown profile `nist`; the profiles are: mhlw, rurume"),
        "{}",
        out.stderr
    );
}

/// The folder's `checklist.toml` is the mapping used (checked like a rule file: a rule it
/// names must exist, said at its place in the user's language), and a folder laid out by
/// profile may have profiles of its own names.
#[test]
fn a_rules_folder_brings_its_checklist_and_its_own_profiles() {
    let dir = tempfile::tempdir().unwrap();
    let copy = dir.path().join("rules");
    copy_tree(std::path::Path::new("rules"), &copy);
    // The officer's item answered by the BCP rule: its answers follow that item's.
    let mapping = copy.join("checklist.toml");
    let text = std::fs::read_to_string(&mapping).unwrap();
    let edited = text.replacen(
        "rules = [\"mhlw-security-officer\"]",
        "rules = [\"mhlw-cyber-bcp\"]",
        1,
    );
    assert_ne!(edited, text);
    std::fs::write(&mapping, &edited).unwrap();
    let copy_s = copy.to_str().unwrap();
    let out = run(&[
        "checklist",
        "--format",
        "json",
        "--as-of",
        AS_OF,
        "--rules",
        copy_s,
        "samples/",
    ]);
    assert_ne!(out.code, 2, "{}", out.stderr);
    let doc: Value = serde_json::from_str(&out.stdout).unwrap();
    let mut differs_from_builtin = false;
    for file in doc["files"].as_array().unwrap() {
        let answer = |id: &str| {
            file["items"]
                .as_array()
                .unwrap()
                .iter()
                .find(|i| i["id"] == id)
                .unwrap()
                .clone()
        };
        assert_eq!(
            answer("officer")["answer"],
            answer("bcp")["answer"],
            "{file}"
        );
        assert_eq!(answer("officer")["rules"], answer("bcp")["rules"], "{file}");
        differs_from_builtin |= answer("officer")["rules"] == serde_json::json!(["mhlw-cyber-bcp"]);
    }
    assert!(differs_from_builtin, "some file answers no by the BCP rule");
    // The audit answers with the same mapping.
    let audit = run(&[
        "audit",
        "--format",
        "json",
        "--as-of",
        AS_OF,
        "--profile",
        "rurume,mhlw",
        "--rules",
        copy_s,
        "samples/",
    ]);
    let audit: Value = serde_json::from_str(&audit.stdout).unwrap();
    for f in audit["facilities"].as_array().unwrap() {
        let items = f["checklist"]["items"].as_array().unwrap();
        assert_eq!(items[0]["id"], "officer");
        assert_eq!(items[0]["answer"], items[16]["answer"], "{f}");
    }
    // A rule it names that no rule file has: an error at its place, in both languages.
    std::fs::write(
        &mapping,
        edited.replacen("[\"mhlw-cyber-bcp\"]", "[\"mhlw-cyber-bpc\"]", 1),
    )
    .unwrap();
    for (lang, said) in [
        ("en", "the checklist names unknown rule `mhlw-cyber-bpc`"),
        (
            "ja",
            "チェックリストの対応表に、規則 `mhlw-cyber-bpc` がありません",
        ),
    ] {
        let out = run(&["check", "--lang", lang, "--rules", copy_s, "samples/"]);
        assert_eq!(out.code, 2, "{lang}");
        let flat: String = out
            .stderr
            .chars()
            .filter(|c| !c.is_whitespace() && *c != '│')
            .collect();
        let said: String = said.chars().filter(|c| !c.is_whitespace()).collect();
        assert!(flat.contains(&said), "{lang}: {}", out.stderr);
        assert!(
            out.stderr.contains("checklist.toml:23:10"),
            "{}",
            out.stderr
        );
    }

    // Profiles of its own names: the folder's subfolders.
    let own = dir.path().join("own");
    copy_tree(std::path::Path::new("rules/rurume"), &own.join("rurume"));
    copy_tree(std::path::Path::new("rules/mhlw"), &own.join("local"));
    std::fs::copy("rules/example-base.json", own.join("example-base.json")).unwrap();
    let own_s = own.to_str().unwrap();
    let mhlw_ids = listed(&["--profile", "mhlw"]);
    assert_eq!(listed(&["--rules", own_s, "--profile", "local"]), mhlw_ids);
    assert_eq!(
        listed(&["--rules", own_s]),
        listed(&[]),
        "rurume by default"
    );
    let out = run(&["rules", "--rules", own_s, "--profile", "mhlw"]);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr
            .contains("unknown profile `mhlw`; the profiles are: local, rurume"),
        "{}",
        out.stderr
    );
    // rurume.toml's `profiles` names the folder's profiles.
    std::fs::write(dir.path().join("rurume.toml"), "profiles = [\"local\"]\n").unwrap();
    let out = run_in(dir.path(), &["rules", "--format", "json", "--rules", own_s]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stdout.contains("mhlw-os-unsupported") && !out.stdout.contains("\"antivirus\""));
    // Every example of every profile of the folder runs.
    let out = run(&["rules", "test", own_s]);
    assert_eq!(out.code, 0, "{}", out.stdout);
}
