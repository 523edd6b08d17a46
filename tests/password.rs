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
    // Her own word (from her email and MCS id) is named; nothing else of the password is.
    let doc: Value = serde_json::from_slice(&personal.stdout).unwrap();
    assert_eq!(
        doc["notes"],
        serde_json::json!(["it contains the person's own email address and MCS id (ishida)."])
    );
    assert_not_leaked("2026!", &personal);
    assert_not_leaked("Ishida2026!", &general);
}

/// A copy of a sample in a temporary folder, with `edit` applied to its JSON value.
fn inventory_copy(
    dir: &tempfile::TempDir,
    sample: &str,
    edit: impl FnOnce(&mut Value),
) -> std::path::PathBuf {
    let mut doc: Value = serde_json::from_str(&std::fs::read_to_string(sample).unwrap()).unwrap();
    edit(&mut doc);
    let path = dir.path().join("inv.json");
    std::fs::write(&path, serde_json::to_string_pretty(&doc).unwrap() + "\n").unwrap();
    path
}

fn record(
    path: &std::path::Path,
    account: &str,
    extra: &[&str],
    input: &str,
) -> std::process::Output {
    rurume()
        .args(["password", "--inventory"])
        .arg(path)
        .args(["--account", account])
        .args(extra)
        .write_stdin(format!("{input}\n"))
        .output()
        .unwrap()
}

#[test]
fn a_failing_password_is_not_recorded_and_the_file_stays_byte_identical() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("F0002.json");
    std::fs::copy("samples/F0002-higashi-clinic.json", &path).unwrap();
    let before = std::fs::read(&path).unwrap();
    // a2 has a recorded (failing) password, a6 none: neither is made worse or replaced.
    for (account, secret) in [
        ("a2", "abc123"),
        ("a6", "Zq8vT"),
        ("a2", "qzvnkwplmrtxbdhgsjfcy"),
    ] {
        for lang in ["en", "ja"] {
            let out = record(&path, account, &["--record", "--lang", lang], secret);
            assert_eq!(out.status.code(), Some(1), "{account} {lang}");
            assert_eq!(
                std::fs::read(&path).unwrap(),
                before,
                "{account}: byte-identical"
            );
            let shown = String::from_utf8(out.stdout.clone()).unwrap();
            let words = if lang == "ja" {
                "記録しませんでした"
            } else {
                "not recorded"
            };
            assert!(
                shown.contains(words) && shown.contains("--record-anyway"),
                "{shown}"
            );
            assert!(!shown.contains("recorded the properties") && !shown.contains("記録しました"));
            assert_not_leaked(secret, &out);
        }
        let out = record(&path, account, &["--record", "--format", "json"], secret);
        assert_eq!(out.status.code(), Some(1));
        let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(doc["verdict"], "fail");
        assert_eq!(doc["record"], "refused");
        assert_eq!(doc["recorded"], Value::Null);
        assert!(doc["refusal"].as_str().unwrap().contains("--record-anyway"));
        assert_eq!(std::fs::read(&path).unwrap(), before);
    }
    // No temporary file is left behind either.
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    // A check alone says nothing about recording.
    let out = rurume()
        .args(["password", "--format", "json"])
        .write_stdin("abc123\n")
        .output()
        .unwrap();
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["record"], Value::Null);
    assert!(doc.get("refusal").is_none());
}

#[test]
fn record_anyway_records_a_failing_password_and_still_exits_1() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("F0002.json");
    std::fs::copy("samples/F0002-higashi-clinic.json", &path).unwrap();
    let original: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    let out = record(
        &path,
        "a6",
        &["--record-anyway", "--format", "json"],
        "abc123",
    );
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["record"], "recorded");
    assert!(
        doc["recorded"]
            .as_str()
            .unwrap()
            .ends_with("/accounts/5/password")
    );
    let mut expected = original.clone();
    // Recording sets the day the password was changed (a date, not a secret).
    let today = jiff::ZonedDateTime::now().date().to_string();
    expected["accounts"][5]["password"] = serde_json::json!({ "length": 6, "letters": true, "digits": true, "symbols": false, "strength": 0, "shared": false, "changed": today });
    let after: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    assert_eq!(after, expected);
    assert_not_leaked("abc123", &out);
    // Said so in plain words, in both languages.
    for (lang, words) in [
        ("en", "--record-anyway asks"),
        ("ja", "不合格のまま性質を記録しました"),
    ] {
        let out = record(&path, "a6", &["--record-anyway", "--lang", lang], "abc123");
        assert_eq!(out.status.code(), Some(1));
        assert!(String::from_utf8(out.stdout).unwrap().contains(words));
    }
    // A passing password is recorded with either option, exit 0.
    for option in ["--record", "--record-anyway"] {
        let out = record(
            &path,
            "a6",
            &[option, "--format", "json"],
            "tuna-ceramic-window-42",
        );
        assert_eq!(out.status.code(), Some(0));
        let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(doc["record"], "recorded");
    }
    let after: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    assert_eq!(after["accounts"][5]["password"]["length"], 22);
    // --record-anyway needs the account, like --record.
    let out = rurume()
        .args(["password", "--record-anyway"])
        .write_stdin("abc123\n")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn recording_keeps_the_files_indentation() {
    let sample = std::fs::read_to_string("samples/F0002-higashi-clinic.json").unwrap();
    let two = sample.clone();
    let reindent = |unit: &str| {
        two.lines()
            .map(|l| {
                let spaces = l.len() - l.trim_start_matches(' ').len();
                format!("{}{}", unit.repeat(spaces / 2), &l[spaces..])
            })
            .collect::<Vec<_>>()
            .join("\n")
            + "\n"
    };
    for (unit, text) in [
        ("\t", reindent("\t")),
        ("    ", reindent("    ")),
        ("  ", reindent("  ")),
    ] {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("inv.json");
        std::fs::write(&path, &text).unwrap();
        // a2's password is replaced, a6's added.
        for account in ["a2", "a6"] {
            let out = record(&path, account, &["--record"], "tuna-ceramic-window-42");
            assert_eq!(
                out.status.code(),
                Some(0),
                "{}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
        let updated = std::fs::read_to_string(&path).unwrap();
        let indent = |n: usize| unit.repeat(n);
        let block = format!(
            "{k}\"password\": {{\n{m}\"length\": 22,\n{m}\"letters\": true,\n{m}\"digits\": true,\n{m}\"symbols\": true,\n{m}\"strength\": 4,\n{m}\"shared\": false,\n{m}\"changed\": \"{today}\"\n{k}}}",
            k = indent(3),
            m = indent(4),
            today = jiff::ZonedDateTime::now().date()
        );
        assert_eq!(updated.matches(&block).count(), 2, "{unit:?}:\n{updated}");
        // Nothing else changed: every line is one of the file's or of the two blocks.
        let removed = text
            .lines()
            .filter(|l| !updated.lines().any(|u| u == *l))
            .count();
        assert!(removed <= 3, "{unit:?}: {removed} lines changed");
        let after: Value = serde_json::from_str(&updated).unwrap();
        assert_eq!(after["accounts"][5]["password"]["length"], 22);
    }
}

#[test]
fn recording_a_windows_file_keeps_its_bom_and_crlf() {
    let sample = std::fs::read_to_string("samples/F0002-higashi-clinic.json").unwrap();
    let text = format!("\u{feff}{}", sample.replace('\n', "\r\n"));
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("inv.json");
    std::fs::write(&path, &text).unwrap();
    let out = record(&path, "a6", &["--record"], "tuna-ceramic-window-42");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let updated = std::fs::read_to_string(&path).unwrap();
    assert!(updated.starts_with('\u{feff}'));
    assert!(
        !updated.replace("\r\n", "").contains('\n'),
        "no bare line end"
    );
    assert!(updated.contains(
        "      },\r\n      \"password\": {\r\n        \"length\": 22,\r\n        \"letters\": true,"
    ));
    // Refused: the BOM and the line ends, like every byte, stay as they were.
    let before = std::fs::read(&path).unwrap();
    let out = record(&path, "a6", &["--record"], "abc123");
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(std::fs::read(&path).unwrap(), before);
}

#[test]
fn the_persons_own_name_and_non_ascii_characters_are_said_in_plain_words() {
    let dir = tempfile::tempdir().unwrap();
    let path = inventory_copy(&dir, "samples/F0001-midori-houmon-kango.json", |doc| {
        doc["accounts"][0]["name"] = "Ishida Misaki".into();
    });
    let id = {
        let doc: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        doc["accounts"][0]["id"].as_str().unwrap().to_owned()
    };
    let out = record(&path, &id, &["--lang", "ja"], "ishida2024");
    assert_eq!(out.status.code(), Some(1));
    let shown = String::from_utf8(out.stdout.clone()).unwrap();
    let note = shown
        .find("ご本人のお名前・メールアドレス・MCS ID（ishida）が含まれています")
        .unwrap_or_else(|| panic!("{shown}"));
    // Before zxcvbn's generic warning and hints.
    for generic in ["  注意: 名前", "ヒント:"] {
        if let Some(at) = shown.find(generic) {
            assert!(note < at, "{shown}");
        }
    }
    assert_not_leaked("2024", &out);
    // Kana, kanji and full-width characters are named, not counted as symbols.
    let out = rurume()
        .args(["password", "--format", "json", "--lang", "ja"])
        .write_stdin("さくら桜ＳＡＫＵＲＡ2026\n")
        .output()
        .unwrap();
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["properties"]["symbols"], false);
    assert_eq!(doc["properties"]["letters"], false);
    let note = doc["notes"][0].as_str().unwrap();
    assert!(
        note.contains("（ひらがな、漢字、全角の英数字・記号・空白）"),
        "{note}"
    );
    assert!(note.contains("半角"), "{note}");
    assert_not_leaked("さくら桜ＳＡＫＵＲＡ2026", &out);
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
    let today = jiff::ZonedDateTime::now().date().to_string();
    let props = serde_json::json!({ "length": 22, "letters": true, "digits": true, "symbols": true, "strength": 4, "shared": false, "changed": today });
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

/// Runs `rurume password …` in a terminal (util-linux `script` gives it one), typing each
/// line once its prompt is shown; the exit code and what the terminal showed.
fn in_terminal(args: &str, typed: &[(&str, &str)]) -> (Option<i32>, String) {
    use std::io::{Read, Write};
    use std::sync::{Arc, Mutex};
    let bin = assert_cmd::cargo::cargo_bin!("rurume");
    let mut child = std::process::Command::new("script")
        .args([
            "-qec",
            &format!("{} password {args}", bin.display()),
            "/dev/null",
        ])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env_remove("LANG")
        .env("NO_COLOR", "1")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("util-linux script runs the program in a terminal");
    let shown = Arc::new(Mutex::new(String::new()));
    let mut stdout = child.stdout.take().unwrap();
    let sink = shown.clone();
    let reader = std::thread::spawn(move || {
        let mut buf = [0u8; 1024];
        while let Ok(n) = stdout.read(&mut buf) {
            if n == 0 {
                break;
            }
            sink.lock()
                .unwrap()
                .push_str(&String::from_utf8_lossy(&buf[..n]));
        }
    });
    let mut stdin = child.stdin.take().unwrap();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    for (prompt, line) in typed {
        while !shown.lock().unwrap().contains(prompt) {
            assert!(
                std::time::Instant::now() < deadline,
                "no prompt {prompt:?}: {}",
                shown.lock().unwrap()
            );
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
        // Echo is turned off just after the prompt is written.
        std::thread::sleep(std::time::Duration::from_millis(500));
        stdin.write_all(format!("{line}\n").as_bytes()).unwrap();
        stdin.flush().unwrap();
    }
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "{}",
            shown.lock().unwrap()
        );
        std::thread::sleep(std::time::Duration::from_millis(50));
    };
    drop(stdin);
    reader.join().unwrap();
    let text = shown.lock().unwrap().clone();
    (status.code(), text)
}

#[test]
fn recording_on_a_terminal_asks_twice() {
    const FIRST: &str = "Password (input is not shown): ";
    const AGAIN: &str = "The same password again, to confirm: ";
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("F0002.json");
    std::fs::copy("samples/F0002-higashi-clinic.json", &path).unwrap();
    let before = std::fs::read(&path).unwrap();
    let record = format!("--record --inventory {} --account a6", path.display());
    // Two different entries: nothing is recorded, exit 2.
    let (code, shown) = in_terminal(
        &record,
        &[
            (FIRST, "tuna-ceramic-window-42"),
            (AGAIN, "tuna-ceramic-window-43"),
        ],
    );
    assert_eq!(code, Some(2), "{shown}");
    assert!(shown.contains("the two entries differ"), "{shown}");
    assert!(!shown.contains("tuna"), "{shown}");
    assert_eq!(std::fs::read(&path).unwrap(), before);
    // The same twice: recorded.
    let (code, shown) = in_terminal(
        &record,
        &[
            (FIRST, "tuna-ceramic-window-42"),
            (AGAIN, "tuna-ceramic-window-42"),
        ],
    );
    assert_eq!(code, Some(0), "{shown}");
    assert!(shown.contains("recorded the properties"), "{shown}");
    assert!(!shown.contains("tuna"), "{shown}");
    let after: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    assert_eq!(after["accounts"][5]["password"]["length"], 22);
    // A check alone asks once.
    let (code, shown) = in_terminal("", &[(FIRST, "tuna-ceramic-window-42")]);
    assert_eq!(code, Some(0), "{shown}");
    assert!(!shown.contains(AGAIN), "{shown}");
}
