//! No plaintext password, nor any 4-character part of one, ever leaves the tool — in any
//! format, in either language, whether the file parses, breaks the schema, or is not JSON.

use assert_cmd::cargo::cargo_bin_cmd;

mod common;
use common::PLANTED_PASSWORDS;

fn leaks(output: &[u8]) -> Vec<String> {
    common::leaks(output, PLANTED_PASSWORDS)
}

#[test]
fn no_password_or_part_of_one_in_any_output() {
    let runs: Vec<(&str, &str)> = ["human", "json", "sarif", "github", "junit"]
        .into_iter()
        .map(|f| ("check", f))
        .chain(
            ["table", "json", "csv", "html"]
                .into_iter()
                .map(|f| ("audit", f)),
        )
        .collect();
    for (command, format) in runs {
        for lang in ["ja", "en"] {
            for quiet in [false, true] {
                let mut cmd = cargo_bin_cmd!("rurume");
                cmd.current_dir(env!("CARGO_MANIFEST_DIR"))
                    .env("NO_COLOR", "1")
                    .args([
                        command,
                        "--as-of",
                        "2026-11-26",
                        "--format",
                        format,
                        "--lang",
                        lang,
                        "tests/fixtures/privacy",
                    ]);
                if quiet {
                    cmd.arg("--quiet");
                }
                let out = cmd.output().unwrap();
                assert_eq!(out.status.code(), Some(1), "{command} {format} {lang}");
                assert!(!out.stdout.is_empty(), "{command} {format} {lang}");
                assert_eq!(
                    leaks(&out.stdout),
                    Vec::<String>::new(),
                    "stdout of {command} {format} {lang}"
                );
                assert_eq!(
                    leaks(&out.stderr),
                    Vec::<String>::new(),
                    "stderr of {command} {format} {lang}"
                );
            }
        }
    }
}

#[test]
fn each_plaintext_password_is_reported_where_it_is() {
    let out = cargo_bin_cmd!("rurume")
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args([
            "check",
            "--format",
            "json",
            "--as-of",
            "2026-11-26",
            "tests/fixtures/privacy/parsed.json",
            "tests/fixtures/privacy/schema-broken.json",
        ])
        .output()
        .unwrap();
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    for file in ["parsed.json", "schema-broken.json"] {
        let mut pointers: Vec<&str> = doc["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| {
                f["file"].as_str().unwrap().ends_with(file) && f["rule"] == "plaintext-password"
            })
            .map(|f| f["pointer"].as_str().unwrap())
            .collect();
        pointers.sort();
        assert_eq!(
            pointers,
            [
                "/accounts/0/password",
                "/accounts/1/pwd",
                "/devices/0/take_out/0/パスワード",
                "/devices/1/passcode"
            ],
            "{file}"
        );
    }
    // The plaintext keys are not also reported as schema errors; the real typo is.
    let schema: Vec<&str> = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"] == "inventory-schema")
        .map(|f| f["pointer"].as_str().unwrap())
        .collect();
    assert_eq!(schema, ["/devices/0/screen_lok"]);
}

/// A password inside another, and a name and exceptions' notes that repeat the longer one:
/// messages show the name, SARIF a waiver's note, human output the lines around a finding;
/// all must hide all of it (not only the shorter password, leaving the rest of the longer).
#[test]
fn passwords_repeated_in_notes_are_masked_whole() {
    const SHORT: &str = "Ume4";
    const LONG: &str = "Hana-Ume4-Kiku";
    let mut doc: serde_json::Value =
        serde_json::from_str(include_str!("../rules/example-base.json")).unwrap();
    doc["accounts"][0]["password"] = SHORT.into();
    doc["accounts"][1]["password"] = LONG.into();
    // A name that repeats the password, in a finding's message (`account-shared`).
    doc["accounts"][1]["name"] = format!("{LONG} 花子").into();
    doc["accounts"][1]["shared"] = true.into();
    doc["exceptions"] = serde_json::json!([]);
    // Written by hand: the expired exception's note is its first member, on the line
    // after the one its finding points at, so that the snippet shows it.
    let exceptions = format!(
        r#""exceptions": [
    {{ "rule": "plaintext-password", "target": "/accounts", "reason": "disaster",
       "approved_by": "a1", "expires": "2027-12-31", "note": "the old one was {LONG}" }},
    {{
      "note": "once more: {LONG}",
      "rule": "antivirus", "target": "/devices/0", "reason": "disaster",
      "approved_by": "a1", "expires": "2020-01-01" }}
  ]"#
    );
    let text = serde_json::to_string_pretty(&doc)
        .unwrap()
        .replace(r#""exceptions": []"#, &exceptions);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("inventory.json");
    std::fs::write(&path, text).unwrap();
    for format in ["sarif", "json", "human", "github", "junit"] {
        for lang in ["ja", "en"] {
            let out = common::rurume()
                .args(["check", "--as-of", common::AS_OF, "--format", format])
                .args(["--lang", lang])
                .arg(&path)
                .output()
                .unwrap();
            assert!(!out.stdout.is_empty(), "{format} {lang}");
            for stream in [&out.stdout, &out.stderr] {
                assert_eq!(
                    common::leaks(stream, &[SHORT, LONG]),
                    Vec::<String>::new(),
                    "{format} {lang}"
                );
            }
            let text = String::from_utf8_lossy(&out.stdout);
            assert!(
                text.contains("account-shared"),
                "{format} {lang}: the name's finding"
            );
            if format == "sarif" {
                assert!(
                    text.contains("the old one was ********"),
                    "the note, masked"
                );
            }
            if format == "human" {
                assert!(text.contains("once more: ********"), "the snippet, masked");
            }
        }
    }
}

/// A password with a space at its start, repeated in a waiver's note (which SARIF quotes
/// trimmed) and, without the space, in a name (which a finding's message shows): no part of
/// it may be left (the note once showed all of it but the space, and so did the message).
#[test]
fn a_password_with_a_space_at_its_start_is_masked_in_a_waivers_note() {
    const PASSWORD: &str = " Kiku9x";
    let mut doc: serde_json::Value =
        serde_json::from_str(include_str!("../rules/example-base.json")).unwrap();
    doc["accounts"][0]["password"] = PASSWORD.into();
    doc["accounts"][1]["name"] = format!("{} 花子", PASSWORD.trim()).into();
    doc["accounts"][1]["shared"] = true.into();
    doc["exceptions"] = serde_json::json!([{
        "rule": "plaintext-password", "target": "/accounts", "reason": "disaster",
        "approved_by": "a1", "expires": "2027-12-31", "note": PASSWORD
    }]);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("inventory.json");
    std::fs::write(&path, serde_json::to_string_pretty(&doc).unwrap()).unwrap();
    for format in ["sarif", "json", "human", "github", "junit"] {
        let out = common::rurume()
            .args(["check", "--as-of", common::AS_OF, "--format", format])
            .args(["--lang", "en"])
            .arg(&path)
            .output()
            .unwrap();
        assert!(!out.stdout.is_empty(), "{format}");
        for stream in [&out.stdout, &out.stderr] {
            assert_eq!(
                common::leaks(stream, &[PASSWORD.trim()]),
                Vec::<String>::new(),
                "{format}"
            );
        }
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(
            text.contains("account-shared"),
            "{format}: the name's finding"
        );
        if format == "sarif" {
            assert!(text.contains("note: ********"), "the note, masked");
        }
    }
}
