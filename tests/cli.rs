//! End-to-end tests of `rurume check` on real files: exit codes, the JSON document,
//! determinism, dates, languages, and bad input.

use std::collections::BTreeSet;
use std::path::Path;

mod common;
use common::{AS_OF, rurume};

use assert_cmd::cargo::cargo_bin_cmd;
use serde_json::Value;

fn check_json(args: &[&str]) -> (i32, Value) {
    let as_of = if args.contains(&"--as-of") {
        vec![]
    } else {
        vec!["--as-of", AS_OF]
    };
    let out = rurume()
        .args(["check", "--format", "json"])
        .args(as_of)
        .args(args)
        .output()
        .unwrap();
    let doc = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stdout)));
    (out.status.code().unwrap(), doc)
}

fn found(doc: &Value) -> BTreeSet<(String, String, String, bool)> {
    doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            let file = f["file"]
                .as_str()
                .unwrap()
                .rsplit('/')
                .next()
                .unwrap()
                .to_owned();
            (
                file,
                f["rule"].as_str().unwrap().to_owned(),
                f["pointer"].as_str().unwrap().to_owned(),
                f["waived"].as_bool().unwrap(),
            )
        })
        .collect()
}

fn set(items: &[(&str, &str, &str, bool)]) -> BTreeSet<(String, String, String, bool)> {
    items
        .iter()
        .map(|(f, r, p, w)| (f.to_string(), r.to_string(), p.to_string(), *w))
        .collect()
}

/// Every finding's line and column must locate the value its pointer names.
fn assert_positions_locate_pointers(doc: &Value) {
    for f in doc["findings"].as_array().unwrap() {
        let rule = f["rule"].as_str().unwrap();
        if rule == "inventory-syntax" {
            continue;
        }
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(f["file"].as_str().unwrap());
        let text = std::fs::read_to_string(&path).unwrap();
        let parsed: Value = serde_json::from_str(&text).unwrap();
        let (line, column) = (
            f["line"].as_u64().unwrap() as usize,
            f["column"].as_u64().unwrap() as usize,
        );
        let line_text = text.split('\n').nth(line - 1).unwrap();
        let offset_in_line: usize = line_text.chars().take(column - 1).map(char::len_utf8).sum();
        let line_start: usize = text.split('\n').take(line - 1).map(|l| l.len() + 1).sum();
        let rest = &text[line_start + offset_in_line..];
        let value: Value = serde_json::Deserializer::from_str(rest)
            .into_iter::<Value>()
            .next()
            .unwrap()
            .unwrap();
        let pointer = f["pointer"].as_str().unwrap();
        assert_eq!(
            Some(&value),
            parsed.pointer(pointer),
            "{rule} at {pointer} ({line}:{column}) in {}",
            path.display()
        );
    }
}

#[test]
fn samples_give_exactly_the_documented_findings() {
    let (code, doc) = check_json(&["samples/"]);
    assert_eq!(code, 1);
    assert_eq!(doc["version"], 1);
    assert_eq!(doc["as_of"], AS_OF);
    let expected = set(&[
        (
            "F0002-higashi-clinic.json",
            "password-length",
            "/accounts/1/password",
            false,
        ),
        (
            "F0002-higashi-clinic.json",
            "password-guessable",
            "/accounts/1/password",
            false,
        ),
        (
            "F0002-higashi-clinic.json",
            "password-mix",
            "/accounts/2/password",
            false,
        ),
        (
            "F0002-higashi-clinic.json",
            "password-guessable",
            "/accounts/3/password",
            false,
        ),
        (
            "F0002-higashi-clinic.json",
            "password-shared",
            "/accounts/4/password",
            false,
        ),
        (
            "F0002-higashi-clinic.json",
            "password-unassessed",
            "/accounts/5",
            false,
        ),
        (
            "F0002-higashi-clinic.json",
            "account-shared",
            "/accounts/6",
            false,
        ),
        (
            "F0002-higashi-clinic.json",
            "password-shared",
            "/accounts/6/password",
            false,
        ),
        (
            "F0002-higashi-clinic.json",
            "account-shared",
            "/accounts/8",
            false,
        ),
        (
            "F0002-higashi-clinic.json",
            "email-shared",
            "/accounts/10",
            false,
        ),
        (
            "F0002-higashi-clinic.json",
            "pledge-management",
            "/accounts/11",
            false,
        ),
        (
            "F0002-higashi-clinic.json",
            "pledge-retention",
            "/accounts/12",
            false,
        ),
        (
            "F0002-higashi-clinic.json",
            "left-staff-active",
            "/accounts/13",
            false,
        ),
        (
            "F0002-higashi-clinic.json",
            "screen-lock",
            "/devices/0/screen_lock",
            false,
        ),
        (
            "F0002-higashi-clinic.json",
            "screen-lock-timeout",
            "/devices/1/screen_lock",
            false,
        ),
        (
            "F0002-higashi-clinic.json",
            "antivirus",
            "/devices/2/antivirus",
            false,
        ),
        (
            "F0002-higashi-clinic.json",
            "antivirus-stale",
            "/devices/3/antivirus",
            false,
        ),
        (
            "F0002-higashi-clinic.json",
            "remote-wipe",
            "/devices/4",
            false,
        ),
        (
            "F0002-higashi-clinic.json",
            "file-sharing-app",
            "/devices/5/apps/2",
            false,
        ),
        (
            "F0002-higashi-clinic.json",
            "file-sharing-app",
            "/devices/5/apps/3",
            false,
        ),
        (
            "F0002-higashi-clinic.json",
            "unapproved-app",
            "/devices/6/apps/2",
            false,
        ),
        (
            "F0002-higashi-clinic.json",
            "browser-saved-password",
            "/devices/7",
            false,
        ),
        (
            "F0002-higashi-clinic.json",
            "byod-approval",
            "/devices/8",
            false,
        ),
        (
            "F0002-higashi-clinic.json",
            "take-out-record",
            "/devices/9/take_out/0",
            false,
        ),
        (
            "F0002-higashi-clinic.json",
            "take-out-overdue",
            "/devices/10/take_out/0",
            false,
        ),
        (
            "F0002-higashi-clinic.json",
            "approver-not-admin",
            "/devices/11/take_out/0/approved_by",
            false,
        ),
        (
            "F0003-sakura-pharmacy.json",
            "antivirus",
            "/devices/2/antivirus",
            true,
        ),
        (
            "F0004-kita-care-plan.json",
            "remote-wipe",
            "/devices/2",
            false,
        ),
        (
            "F0004-kita-care-plan.json",
            "exception-expired",
            "/exceptions/0",
            false,
        ),
        (
            "F0005-asahi-hospital.json",
            "account-shared",
            "/accounts/2",
            false,
        ),
        (
            "F0006-minami-dental.json",
            "account-shared",
            "/accounts/1",
            false,
        ),
        (
            "F0005-asahi-hospital.json",
            "email-shared",
            "/accounts/3",
            false,
        ),
        (
            "F0006-minami-dental.json",
            "email-shared",
            "/accounts/2",
            false,
        ),
        (
            "F0007-hibari-home-clinic.json",
            "inventory-schema",
            "/devices/1/screen_lok",
            false,
        ),
    ]);
    let got = found(&doc);
    assert_eq!(
        got.difference(&expected).collect::<Vec<_>>(),
        Vec::<&(String, String, String, bool)>::new(),
        "unexpected findings"
    );
    assert_eq!(
        expected.difference(&got).collect::<Vec<_>>(),
        Vec::<&(String, String, String, bool)>::new(),
        "missing findings"
    );
    let summary = &doc["summary"];
    assert_eq!(summary["files"], 7);
    assert_eq!(summary["waived"], 1);
    assert_eq!(
        summary["errors"].as_u64().unwrap() + summary["warnings"].as_u64().unwrap() + 1,
        got.len() as u64
    );
    assert_positions_locate_pointers(&doc);
}

#[test]
fn every_finding_carries_the_contract_fields() {
    let (_, doc) = check_json(&["samples/"]);
    for f in doc["findings"].as_array().unwrap() {
        for key in [
            "file", "rule", "severity", "source", "pointer", "message", "fix",
        ] {
            assert!(
                f[key].as_str().is_some_and(|s| !s.is_empty()),
                "{key} in {f}"
            );
        }
        assert!(f["line"].as_u64().unwrap() >= 1 && f["column"].as_u64().unwrap() >= 1);
        assert!(f["waived"].is_boolean());
        assert!(f["facility"].as_str().is_some_and(|s| s.starts_with('F')));
        assert!(matches!(f["severity"].as_str(), Some("error" | "warning")));
    }
}

#[test]
fn findings_are_sorted_by_file_then_position() {
    let (_, doc) = check_json(&["samples/"]);
    let keys: Vec<(String, u64, u64)> = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["file"].as_str().unwrap().to_owned(),
                f["line"].as_u64().unwrap(),
                f["column"].as_u64().unwrap(),
            )
        })
        .collect();
    let mut sorted = keys.clone();
    sorted.sort();
    assert_eq!(keys, sorted);
}

#[test]
fn output_is_byte_identical_across_runs_and_argument_orders() {
    let run = |args: &[&str]| {
        rurume()
            .args(["check", "--format", "json", "--as-of", AS_OF])
            .args(args)
            .output()
            .unwrap()
            .stdout
    };
    let a = run(&["samples/"]);
    let b = run(&["samples/"]);
    let files: Vec<String> = std::fs::read_dir("samples")
        .unwrap()
        .map(|e| e.unwrap().path().display().to_string())
        .filter(|p| p.ends_with(".json"))
        .collect();
    let mut forward: Vec<&str> = files.iter().map(String::as_str).collect();
    forward.sort();
    let mut backward = forward.clone();
    backward.reverse();
    let c = run(&forward);
    let d = run(&backward);
    assert_eq!(a, b);
    assert_eq!(c, d);
    assert_eq!(a, c);
    let human = |args: &[&str]| {
        rurume()
            .args(["check", "--as-of", AS_OF])
            .args(args)
            .output()
            .unwrap()
            .stdout
    };
    assert_eq!(human(&forward), human(&backward));
}

#[test]
fn cross_file_rules_need_both_files() {
    let (_, alone) = check_json(&["samples/F0005-asahi-hospital.json"]);
    assert_eq!(alone["findings"].as_array().unwrap().len(), 0, "{alone}");
    let (code, together) = check_json(&[
        "samples/F0005-asahi-hospital.json",
        "samples/F0006-minami-dental.json",
    ]);
    assert_eq!(code, 1);
    assert_eq!(found(&together).len(), 4);
}

#[test]
fn as_of_moves_the_date_rules() {
    let (_, early) = check_json(&["samples/F0002-higashi-clinic.json", "--as-of", "2026-11-05"]);
    let rules: BTreeSet<String> = found(&early).into_iter().map(|(_, r, _, _)| r).collect();
    assert!(!rules.contains("take-out-overdue"), "{rules:?}");
    assert!(!rules.contains("antivirus-stale") || early["as_of"] == "2026-11-05");
    let (_, expired_later) = check_json(&[
        "samples/F0003-sakura-pharmacy.json",
        "--as-of",
        "2027-01-05",
    ]);
    let got = found(&expired_later);
    assert!(
        got.contains(&(
            "F0003-sakura-pharmacy.json".into(),
            "antivirus".into(),
            "/devices/2/antivirus".into(),
            false
        )),
        "{got:?}"
    );
    assert!(got.iter().any(|(_, r, _, _)| r == "exception-expired"));
}

#[test]
fn exit_codes_follow_fail_on() {
    let cases: [(&[&str], i32); 4] = [
        (&["samples/F0001-midori-houmon-kango.json"], 0),
        (&["samples/F0002-higashi-clinic.json"], 1),
        (&["--fail-on", "never", "samples/"], 0),
        // F0003: only a waived finding → passes even with --fail-on warning.
        (
            &["--fail-on", "warning", "samples/F0003-sakura-pharmacy.json"],
            0,
        ),
    ];
    for (args, code) in cases {
        rurume()
            .args(["check", "--as-of", AS_OF])
            .args(args)
            .assert()
            .code(code);
    }
    // A warning-only file fails with --fail-on warning, not by default.
    let dir = tempfile::tempdir().unwrap();
    let mut doc: Value = serde_json::from_str(
        &std::fs::read_to_string("samples/F0001-midori-houmon-kango.json").unwrap(),
    )
    .unwrap();
    doc["devices"][0]["screen_lock"]["auto_lock_minutes"] = 30.into();
    let path = dir.path().join("warn.json");
    std::fs::write(&path, serde_json::to_string_pretty(&doc).unwrap()).unwrap();
    rurume()
        .args(["check", "--as-of", AS_OF])
        .arg(&path)
        .assert()
        .code(0);
    rurume()
        .args(["check", "--as-of", AS_OF, "--fail-on", "warning"])
        .arg(&path)
        .assert()
        .code(1);
}

#[test]
fn unusable_arguments_exit_2() {
    rurume()
        .args(["check", "no/such/dir"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("no/such/dir"));
    let unusable: [&[&str]; 4] = [
        &["--as-of", "2026-13-01"],
        &["--as-of", "26-11-2026"],
        &["--format", "yaml"],
        &["--rules", "no/such/rules"],
    ];
    for args in unusable {
        rurume()
            .arg("check")
            .args(args)
            .arg("samples/")
            .assert()
            .code(2);
    }
}

#[test]
fn a_broken_rule_file_exits_2_pointing_into_the_toml() {
    let dir = tempfile::tempdir().unwrap();
    for entry in std::fs::read_dir("rules/rurume").unwrap() {
        let p = entry.unwrap().path();
        if p.extension().is_some_and(|e| e == "toml" || e == "json") {
            std::fs::copy(&p, dir.path().join(p.file_name().unwrap())).unwrap();
        }
    }
    let target = dir.path().join("screen-lock.toml");
    let text = std::fs::read_to_string(&target).unwrap().replace(
        "each = \"/devices/*\"",
        "each = \"/devices/*\"\nwhen_typo = 1",
    );
    std::fs::write(&target, text).unwrap();
    let out = rurume()
        .args(["check", "--rules"])
        .arg(dir.path())
        .arg("samples/")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("screen-lock.toml"), "{stderr}");
    assert!(stderr.contains("when_typo"), "{stderr}");
    assert!(stderr.contains("invalid-rule"), "{stderr}");
}

#[test]
fn rules_dir_replaces_the_builtin_rules() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(
        "rules/rurume/screen-lock.toml",
        dir.path().join("screen-lock.toml"),
    )
    .unwrap();
    let out = rurume()
        .args(["check", "--format", "json", "--as-of", AS_OF, "--rules"])
        .arg(dir.path())
        .arg("samples/F0002-higashi-clinic.json")
        .output()
        .unwrap();
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    let rules: BTreeSet<String> = found(&doc).into_iter().map(|(_, r, _, _)| r).collect();
    assert_eq!(rules, BTreeSet::from(["screen-lock".to_owned()]));
}

#[test]
fn language_follows_lang_and_the_flag() {
    let message = |envs: &[(&str, &str)], args: &[&str]| {
        let mut cmd = rurume();
        for (k, v) in envs {
            cmd.env(k, v);
        }
        let out = cmd
            .args([
                "check",
                "--format",
                "json",
                "--as-of",
                AS_OF,
                "samples/F0004-kita-care-plan.json",
            ])
            .args(args)
            .output()
            .unwrap();
        let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
        doc["findings"][0]["message"].as_str().unwrap().to_owned()
    };
    let is_japanese = |s: &str| s.chars().any(|c| ('\u{3040}'..='\u{30ff}').contains(&c));
    assert!(!is_japanese(&message(&[], &[])));
    assert!(is_japanese(&message(&[("LANG", "ja_JP.UTF-8")], &[])));
    assert!(!is_japanese(&message(
        &[("LANG", "ja_JP.UTF-8")],
        &["--lang", "en"]
    )));
    assert!(is_japanese(&message(&[("LANG", "C")], &["--lang", "ja"])));
    // The POSIX order for messages: LC_ALL, then LC_MESSAGES, then LANG; empty ones skipped.
    assert!(is_japanese(&message(
        &[("LC_ALL", "ja_JP.UTF-8"), ("LANG", "en_US.UTF-8")],
        &[]
    )));
    assert!(!is_japanese(&message(
        &[
            ("LC_ALL", ""),
            ("LC_MESSAGES", "en_US.UTF-8"),
            ("LANG", "ja_JP.UTF-8")
        ],
        &[]
    )));
    assert!(is_japanese(&message(
        &[("LC_MESSAGES", "ja_JP.UTF-8"), ("LANG", "C")],
        &[]
    )));
    assert!(!is_japanese(&message(
        &[("LC_ALL", "C"), ("LANG", "ja_JP.UTF-8")],
        &[]
    )));
    assert!(!is_japanese(&message(
        &[("LC_ALL", "ja_JP.UTF-8")],
        &["--lang", "en"]
    )));
}

#[test]
fn bad_files_are_findings_and_never_stop_the_others() {
    let dir = tempfile::tempdir().unwrap();
    for entry in std::fs::read_dir("tests/fixtures/bad").unwrap() {
        let p = entry.unwrap().path();
        std::fs::copy(&p, dir.path().join(p.file_name().unwrap())).unwrap();
    }
    std::fs::write(
        dir.path().join("non-utf8.json"),
        b"{\"facility\": \"\x93\x8c\x8b\x9e\"}",
    )
    .unwrap();
    std::fs::write(dir.path().join("deep.json"), "[".repeat(100_000)).unwrap();
    std::fs::copy(
        "samples/F0002-higashi-clinic.json",
        dir.path().join("F0002.json"),
    )
    .unwrap();
    let out = rurume()
        .args(["check", "--format", "json", "--as-of", AS_OF])
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    let by_file = |name: &str| -> Vec<(String, String)> {
        doc["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["file"].as_str().unwrap().ends_with(name))
            .map(|f| {
                (
                    f["rule"].as_str().unwrap().to_owned(),
                    f["pointer"].as_str().unwrap().to_owned(),
                )
            })
            .collect()
    };
    let syntax = |name: &str| {
        let got = by_file(name);
        assert_eq!(got.len(), 1, "{name}: {got:?}");
        assert_eq!(got[0].0, "inventory-syntax", "{name}");
    };
    for name in [
        "empty.json",
        "trailing-comma.json",
        "duplicate-key.json",
        "huge-number.json",
        "non-utf8.json",
        "deep.json",
    ] {
        syntax(name);
    }
    assert_eq!(
        by_file("top-level-array.json"),
        vec![("inventory-schema".to_owned(), String::new())]
    );
    assert_eq!(
        by_file("schema-version-2.json"),
        vec![("inventory-schema".to_owned(), "/schema_version".to_owned())]
    );
    assert!(
        by_file("F0002.json").len() > 20,
        "the good file is still checked"
    );
    assert_eq!(doc["summary"]["files"], 9);
    // Positions: the trailing comma is reported where parsing stopped.
    let tc = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["file"].as_str().unwrap().ends_with("trailing-comma.json"))
        .unwrap();
    assert_eq!(
        (tc["line"].as_u64(), tc["column"].as_u64()),
        (Some(3), Some(32))
    );
    let dup = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["file"].as_str().unwrap().ends_with("duplicate-key.json"))
        .unwrap();
    assert_eq!(dup["line"], 3);
}

#[test]
fn schema_command_prints_the_schema() {
    let out = rurume().arg("schema").output().unwrap();
    assert!(out.status.success());
    let schema: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        schema["$schema"],
        "https://json-schema.org/draft/2020-12/schema"
    );
    assert_eq!(
        schema,
        serde_json::from_str::<Value>(
            &std::fs::read_to_string("schemas/inventory.schema.json").unwrap()
        )
        .unwrap()
    );
}

#[test]
fn rules_command_lists_every_rule() {
    let out = rurume().args(["rules", "--lang", "en"]).output().unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    for id in [
        "password-length",
        "plaintext-password",
        "inventory-syntax",
        "inventory-schema",
        "exception-unused",
    ] {
        assert!(text.contains(id), "{id} missing from:\n{text}");
    }
    assert_eq!(text.lines().count(), 29, "{text}");
}

#[test]
fn configuration_tunes_severity_params_kinds_and_exclusions() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("skip")).unwrap();
    let sample = Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/F0002-higashi-clinic.json");
    std::fs::copy(&sample, dir.path().join("F0002.json")).unwrap();
    std::fs::copy(&sample, dir.path().join("skip/F0002-copy.json")).unwrap();
    let mut f0001: Value = serde_json::from_str(
        &std::fs::read_to_string("samples/F0001-midori-houmon-kango.json").unwrap(),
    )
    .unwrap();
    f0001["facility"]
        .as_object_mut()
        .unwrap()
        .remove("approved_apps");
    std::fs::write(
        dir.path().join("F0001.json"),
        serde_json::to_string_pretty(&f0001).unwrap(),
    )
    .unwrap();
    std::fs::write(
        dir.path().join("rurume.toml"),
        "exclude = [\"skip/**\"]\n[severity]\nunapproved-app = \"error\"\nbrowser-saved-password = \"off\"\n[params.screen-lock-timeout]\nmax_minutes = 20\n[approved_apps]\nvisiting_nursing = [\"MCS\"]\n",
    )
    .unwrap();
    let out = cargo_bin_cmd!("rurume")
        .current_dir(dir.path())
        .args(["check", "--format", "json", "--as-of", AS_OF, "."])
        .output()
        .unwrap();
    let doc: Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|_| panic!("{}", String::from_utf8_lossy(&out.stderr)));
    let findings = doc["findings"].as_array().unwrap();
    assert!(
        findings
            .iter()
            .all(|f| !f["file"].as_str().unwrap().contains("skip/")),
        "excluded"
    );
    assert!(
        findings
            .iter()
            .all(|f| f["rule"] != "browser-saved-password"),
        "turned off"
    );
    assert!(
        findings.iter().all(|f| f["rule"] != "screen-lock-timeout"),
        "15 minutes is within 20"
    );
    let unapproved: Vec<&Value> = findings
        .iter()
        .filter(|f| f["rule"] == "unapproved-app")
        .collect();
    assert!(unapproved.iter().all(|f| f["severity"] == "error"));
    assert!(
        unapproved.iter().any(|f| f["file"] == "F0001.json"),
        "the kind's list applies to F0001, which has none of its own"
    );

    std::fs::write(
        dir.path().join("rurume.toml"),
        "[severity]\nscreen-lock = \"fatal\"\n",
    )
    .unwrap();
    let out = cargo_bin_cmd!("rurume")
        .current_dir(dir.path())
        .env("NO_COLOR", "1")
        .args(["check", "."])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("rurume.toml")
            && stderr.contains("fatal")
            && stderr.contains("invalid-config"),
        "{stderr}"
    );
}

#[test]
fn output_does_not_depend_on_the_thread_count() {
    let run = |threads: Option<&str>| {
        let mut cmd = rurume();
        if let Some(n) = threads {
            cmd.env("RAYON_NUM_THREADS", n);
        }
        cmd.args([
            "check",
            "--format",
            "json",
            "--as-of",
            AS_OF,
            "samples/",
            "tests/fixtures/bad",
        ])
        .output()
        .unwrap()
        .stdout
    };
    let one = run(Some("1"));
    assert_eq!(one, run(None));
    assert_eq!(one, run(Some("4")));
}

#[test]
fn a_missing_path_names_the_closest_real_one_in_the_users_language() {
    let run = |path: &str, lang: &str| {
        let out = rurume()
            .args(["check", "--lang", lang, path])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{path}");
        // miette wraps long lines at 80 columns; read the message as one line.
        String::from_utf8(out.stderr).unwrap().replace("\n  │ ", "")
    };
    let meant = "samples/F0001-midori-houmon-kango.json";
    // Windows hides the extension; another case; full-width characters from an IME.
    for typed in [
        "samples/F0001-midori-houmon-kango",
        "samples/f0001-MIDORI-houmon-kango.JSON",
        "samples/Ｆ０００１-midori-houmon-kango.json",
    ] {
        let en = run(typed, "en");
        assert!(en.contains("no such file or folder"), "{en}");
        assert!(en.contains(&format!("did you mean {meant}?")), "{en}");
        let ja = run(typed, "ja");
        assert!(
            ja.contains("そのようなファイルやフォルダはありません"),
            "{ja}"
        );
        assert!(ja.contains(&format!("{meant} のことですか？")), "{ja}");
    }
    // The same for the other path options, every command.
    for args in [
        &["check", "--lang", "ja", "--rules", "rule", "samples"][..],
        &["rules", "--lang", "ja", "--rules", "rule"],
        &["check", "--lang", "ja", "--config", "rurume.tom", "samples"],
        &[
            "password",
            "--lang",
            "ja",
            "--inventory",
            "samples/F0001-midori-houmon-kango",
            "--account",
            "a1",
        ],
    ] {
        let out = rurume().args(args).write_stdin("x\n").output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = String::from_utf8(out.stderr).unwrap().replace("\n  │ ", "");
        assert!(
            err.contains("そのようなファイルやフォルダはありません"),
            "{err}"
        );
        assert!(
            err.contains("のことですか？") || args.contains(&"--config"),
            "{err}"
        );
    }
    let none = run("samples/zzzz-nothing-like-it.json", "en");
    assert!(!none.contains("did you mean"), "{none}");
    assert!(
        none.contains("give existing inventory files or folders"),
        "{none}"
    );
}

#[test]
fn rurume_alone_names_serve_check_and_audit_in_the_users_language() {
    // Without a terminal (a script, a pipe): a usage error on stderr, never clap's English.
    for (lang, words) in [
        ("en_US.UTF-8", "open the self-check page"),
        ("ja_JP.UTF-8", "ブラウザで台帳を開いて点検する"),
    ] {
        let out = rurume().env("LANG", lang).output().unwrap();
        assert_eq!(out.status.code(), Some(2));
        let err = String::from_utf8(out.stderr).unwrap();
        for command in ["rurume serve", "rurume check", "rurume audit"] {
            assert!(err.contains(command), "{err}");
        }
        assert!(err.contains(words), "{err}");
        assert!(out.stdout.is_empty());
    }
    // In a terminal (util-linux `script` gives it one): the same usage is the answer, exit 0.
    let bin = assert_cmd::cargo::cargo_bin!("rurume");
    let out = std::process::Command::new("script")
        .args(["-qec", &bin.display().to_string(), "/dev/null"])
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env("LANG", "ja_JP.UTF-8")
        .output()
        .expect("util-linux script runs the program in a terminal");
    assert_eq!(out.status.code(), Some(0));
    let shown = String::from_utf8(out.stdout).unwrap();
    assert!(shown.contains("rurume serve"), "{shown}");
    assert!(
        shown.contains("提出された台帳をまとめて集計する"),
        "{shown}"
    );
}

/// Double-clicked (no terminal, a desktop session): `rurume` alone opens the self-check
/// page in the browser and says so in the user's language; it serves until stopped.
#[cfg(unix)]
#[test]
fn rurume_double_clicked_opens_the_page_in_the_browser() {
    use std::io::BufRead;
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let opened = dir.path().join("opened");
    let opener = dir.path().join("xdg-open");
    std::fs::write(
        &opener,
        format!("#!/bin/sh\necho \"$1\" > {}\n", opened.display()),
    )
    .unwrap();
    std::fs::set_permissions(&opener, std::fs::Permissions::from_mode(0o755)).unwrap();
    let path = format!(
        "{}:{}",
        dir.path().display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin!("rurume"))
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env_remove("CI")
        .env("LANG", "ja_JP.UTF-8")
        .env("DISPLAY", ":99")
        .env("PATH", path)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = std::io::BufReader::new(child.stdout.take().unwrap()).lines();
    let first = lines.next().unwrap().unwrap();
    let second = lines.next().unwrap().unwrap();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while !opened.exists() && std::time::Instant::now() < deadline {
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    let _ = child.kill();
    let _ = child.wait();
    assert_eq!(first, "rurume serve: http://127.0.0.1:8417/", "{first}");
    assert!(
        second.contains("ブラウザでこのアドレスを開いてください"),
        "{second}"
    );
    let url = std::fs::read_to_string(&opened).expect("the browser was asked to open the page");
    assert_eq!(url.trim(), "http://127.0.0.1:8417/");
}

/// The command line speaks the user's language: clap's help and its errors too.
#[test]
fn help_and_argument_errors_in_japanese() {
    let ja = |args: &[&str]| {
        rurume()
            .env("LANG", "ja_JP.UTF-8")
            .args(args)
            .output()
            .unwrap()
    };
    let help = ja(&["check", "--help"]);
    assert_eq!(help.status.code(), Some(0));
    let text = String::from_utf8(help.stdout).unwrap();
    for words in [
        "使い方: rurume check",
        "オプション:",
        "出力の形式",
        "［省略時: human］",
        "ヘルプを表示します",
    ] {
        assert!(text.contains(words), "{words}: {text}");
    }
    assert!(
        !text.contains("Print help") && !text.contains("Options:"),
        "{text}"
    );
    let typo = ja(&["check", "--formt", "json"]);
    assert_eq!(typo.status.code(), Some(2));
    let err = String::from_utf8(typo.stderr).unwrap();
    assert!(
        err.contains("--formt というオプションはありません"),
        "{err}"
    );
    assert!(err.contains("もしかして: --format"), "{err}");
    let value = ja(&["check", "--format", "xml"]);
    let err = String::from_utf8(value.stderr).unwrap();
    assert!(
        err.contains("「xml」は指定できません（選べる値: human, json, sarif, github, junit）"),
        "{err}"
    );
    let date = ja(&["check", "--as-of", "2026/11/26"]);
    let err = String::from_utf8(date.stderr).unwrap();
    assert!(err.contains("YYYY-MM-DD の形で書いてください"), "{err}");
    // --lang on the command line wins over the environment, both ways.
    let en = rurume()
        .env("LANG", "ja_JP.UTF-8")
        .args(["check", "--lang", "en", "--formt"])
        .output()
        .unwrap();
    assert!(
        String::from_utf8(en.stderr)
            .unwrap()
            .contains("unexpected argument")
    );
    let forced = rurume().args(["chek", "--lang", "ja"]).output().unwrap();
    assert!(
        String::from_utf8(forced.stderr)
            .unwrap()
            .contains("chek というコマンドはありません")
    );
}

/// A file typed by hand with the Japanese input on: `check` names the slip where parsing
/// stopped (a full-width colon, a comma too many) and what to do, in the user's language,
/// at the slip's line and column; the other file is still checked.
#[test]
fn a_slip_typed_by_hand_is_named_with_what_to_do() {
    let dir = tempfile::tempdir().unwrap();
    let colon = dir.path().join("colon.json");
    std::fs::write(
        &colon,
        "{\n  \"schema_version\": 1,\n  \"facility\"：{ \"id\": \"F9\" }\n}\n",
    )
    .unwrap();
    let comma = dir.path().join("comma.json");
    std::fs::write(&comma, "{\n  \"schema_version\": 1,\n}\n").unwrap();
    let (colon, comma) = (colon.to_str().unwrap(), comma.to_str().unwrap());
    for (lang, colon_words, comma_words) in [
        (
            "ja",
            "全角の「：」が使われています。半角の「:」にしてください",
            "カンマを消してください",
        ),
        (
            "en",
            "a full-width “：” is used: type the ASCII “:”",
            "remove the comma",
        ),
    ] {
        let (code, doc) = check_json(&[
            "--lang",
            lang,
            colon,
            comma,
            "samples/F0002-higashi-clinic.json",
        ]);
        assert_eq!(code, 1);
        let findings = doc["findings"].as_array().unwrap();
        let syntax = |file: &str| {
            findings
                .iter()
                .find(|f| f["file"].as_str().unwrap().ends_with(file))
                .unwrap_or_else(|| panic!("{file}: {doc}"))
        };
        let c = syntax("colon.json");
        assert_eq!(c["rule"], "inventory-syntax");
        assert!(c["message"].as_str().unwrap().contains(colon_words), "{c}");
        assert_eq!(
            (c["line"].as_u64(), c["column"].as_u64()),
            (Some(3), Some(13))
        );
        let m = syntax("comma.json");
        assert!(m["message"].as_str().unwrap().contains(comma_words), "{m}");
        assert!(
            findings
                .iter()
                .any(|f| f["file"].as_str().unwrap().contains("F0002")),
            "the other file is still checked"
        );
    }
}
