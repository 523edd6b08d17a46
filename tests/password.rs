//! `rurume password` end to end: verdicts, user-aware guessing, recording, bad input —
//! and never the password in any output.

mod common;
use common::rurume;
use serde_json::Value;

fn assert_not_leaked(password: &str, out: &std::process::Output) {
    for stream in [&out.stdout, &out.stderr] {
        assert_eq!(
            common::leaks(stream, &[password]),
            Vec::<String>::new(),
            "{}",
            String::from_utf8_lossy(stream)
        );
    }
}

#[test]
fn a_strong_password_passes() {
    let out = rurume()
        .args(["password", "--format", "json"])
        .write_stdin("tuna-ceramic-window-42\n")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["verdict"], "pass");
    assert_eq!(doc["properties"]["length"], 22);
    assert_eq!(doc["properties"]["strength"], 4);
    assert_not_leaked("tuna-ceramic-window-42", &out);
}

#[test]
fn weak_and_personal_passwords_fail_with_reasons() {
    let out = rurume()
        .args(["password", "--format", "json", "--lang", "ja"])
        .write_stdin("abc123\n")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    let rules: Vec<&str> = doc["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["rule"].as_str().unwrap())
        .collect();
    assert_eq!(rules, ["password-guessable", "password-length"]);
    assert!(
        doc["warning"]
            .as_str()
            .unwrap()
            .chars()
            .any(|c| c > '\u{3000}'),
        "feedback in Japanese: {doc}"
    );

    // 石田 美咲 (ishida@…): strong-looking in general, weak for her.
    let dir = tempfile::tempdir().unwrap();
    let inv = dir.path().join("inv.json");
    let mut doc: Value = serde_json::from_str(
        &std::fs::read_to_string("samples/F0001-midori-houmon-kango.json").unwrap(),
    )
    .unwrap();
    doc["accounts"][0]["name"] = "石田 美咲".into();
    doc["accounts"][0]["email"] = "ishida@midori.example.jp".into();
    std::fs::write(&inv, serde_json::to_string_pretty(&doc).unwrap()).unwrap();
    let id = doc["accounts"][0]["id"].as_str().unwrap().to_owned();
    let general = rurume()
        .args(["password", "--format", "json"])
        .write_stdin("Ishida2026!\n")
        .output()
        .unwrap();
    let personal = rurume()
        .args(["password", "--format", "json", "--inventory"])
        .arg(&inv)
        .args(["--account", &id])
        .write_stdin("Ishida2026!\n")
        .output()
        .unwrap();
    let strength = |o: &std::process::Output| {
        serde_json::from_slice::<Value>(&o.stdout).unwrap()["properties"]["strength"]
            .as_u64()
            .unwrap()
    };
    assert!(strength(&personal) < strength(&general) || strength(&personal) < 3);
    assert_eq!(personal.status.code(), Some(1));
    assert_not_leaked("Ishida2026!", &personal);
}

#[test]
fn record_writes_only_the_properties_and_keeps_the_rest_of_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("F0002.json");
    let original = std::fs::read_to_string("samples/F0002-higashi-clinic.json").unwrap();
    std::fs::write(&path, &original).unwrap();
    // a2 has a 7-character password recorded; a6 has none.
    for account in ["a2", "a6"] {
        let out = rurume()
            .args(["password", "--record", "--inventory"])
            .arg(&path)
            .args(["--account", account])
            .write_stdin("tuna-ceramic-window-42\n")
            .output()
            .unwrap();
        assert_eq!(
            out.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert_not_leaked("tuna-ceramic-window-42", &out);
    }
    let updated = std::fs::read_to_string(&path).unwrap();
    assert!(!updated.contains("tuna"));
    let before: Value = serde_json::from_str(&original).unwrap();
    let after: Value = serde_json::from_str(&updated).unwrap();
    let props = serde_json::json!({ "length": 22, "letters": true, "digits": true, "symbols": true, "strength": 4, "shared": false });
    let mut expected = before.clone();
    expected["accounts"][1]["password"] = props.clone();
    expected["accounts"][5]["password"] = props;
    assert_eq!(after, expected);
    // Untouched lines stay byte for byte: only a2's password block and a6's end changed.
    let (old_lines, new_lines): (Vec<&str>, Vec<&str>) =
        (original.lines().collect(), updated.lines().collect());
    let kept = new_lines.iter().filter(|l| old_lines.contains(l)).count();
    assert!(
        kept >= old_lines.len() - 12,
        "{kept} of {} lines kept",
        old_lines.len()
    );
    assert!(
        updated.contains("\"name\": \"岡田 真由美\""),
        "Japanese stays unescaped"
    );
    // The recorded account no longer has password findings.
    let check = rurume()
        .args(["check", "--format", "json", "--as-of", "2026-11-26"])
        .arg(&path)
        .output()
        .unwrap();
    let doc: Value = serde_json::from_slice(&check.stdout).unwrap();
    let password_findings: Vec<&str> = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"].as_str().unwrap().starts_with("password-"))
        .map(|f| f["pointer"].as_str().unwrap())
        .filter(|p| p.starts_with("/accounts/1") || p.starts_with("/accounts/5"))
        .collect();
    assert_eq!(password_findings, Vec::<&str>::new());
}

#[test]
fn bad_input_exits_2_without_printing_the_password() {
    let cases: Vec<(Vec<&str>, &[u8])> = vec![
        (vec![], b""),
        (vec![], b"\n"),
        (vec![], b"Secret-Line-One\nSecret-Line-Two\n"),
        (vec![], b"Secret\x07Bell99\n"),
        (vec![], b"\xff\xfeSecretBytes\n"),
        (
            vec![
                "--inventory",
                "samples/F0001-midori-houmon-kango.json",
                "--account",
                "nobody",
            ],
            b"Secret-Unknown-Acct\n",
        ),
        (
            vec![
                "--inventory",
                "tests/fixtures/bad/trailing-comma.json",
                "--account",
                "a1",
            ],
            b"Secret-Broken-File\n",
        ),
        (
            vec!["--inventory", "no/such/file.json", "--account", "a1"],
            b"Secret-Missing-File\n",
        ),
        (vec!["--record"], b"Secret-No-Account\n"),
    ];
    for (args, input) in cases {
        let out = rurume()
            .arg("password")
            .args(&args)
            .write_stdin(input.to_vec())
            .output()
            .unwrap();
        assert_eq!(
            out.status.code(),
            Some(2),
            "{args:?} {:?}",
            String::from_utf8_lossy(&out.stderr)
        );
        for secret in [
            "Secret-Line",
            "Line-One",
            "Bell99",
            "SecretBytes",
            "Unknown-Acct",
            "Broken-File",
            "Missing-File",
            "No-Account",
        ] {
            assert!(
                !String::from_utf8_lossy(&out.stdout).contains(secret)
                    && !String::from_utf8_lossy(&out.stderr).contains(secret)
            );
        }
    }
}
