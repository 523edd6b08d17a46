//! End-to-end tests of `rurume checklist` and of the `mhlw` profile on real files: the
//! JSON of spec mhlw-profile §4, the answers of the samples, files that cannot be read,
//! waivers, the pharmacy wording, the printable sheet, exceptions across profiles, and the
//! rule-file and inventory errors the profile brings.

mod common;
use common::{AS_OF, Output, PLANTED_PASSWORDS, json_findings, leaks, run, rurume};

use serde_json::{Value, json};

fn checklist_json(paths: &[&str]) -> (i32, Value) {
    let mut args = vec!["checklist", "--format", "json", "--as-of", AS_OF];
    args.extend(paths);
    let out = run(&args);
    assert_ne!(out.code, 2, "{}", out.stderr);
    (out.code, serde_json::from_str(&out.stdout).unwrap())
}

/// item id → (answer, rules, findings) of one file of the document.
fn answers(doc: &Value, file: usize) -> Vec<(String, String, Vec<String>, u64)> {
    doc["files"][file]["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            (
                i["id"].as_str().unwrap().to_owned(),
                i["answer"].as_str().unwrap().to_owned(),
                i["rules"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|r| r.as_str().unwrap().to_owned())
                    .collect(),
                i["findings"].as_u64().unwrap(),
            )
        })
        .collect()
}

const BY_HAND: [&str; 5] = [
    "remote-maintenance",
    "vendor-disclosure",
    "access-rights",
    "access-logs",
    "services",
];

/// The example base of the rule files: a facility compliant with both profiles.
fn base() -> Value {
    serde_json::from_str(&std::fs::read_to_string("rules/example-base.json").unwrap()).unwrap()
}

/// `rurume check ARGS FILE` on this inventory, written to a temporary file.
fn check_doc(doc: &Value, args: &[&str]) -> Output {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("inv.json");
    std::fs::write(&path, serde_json::to_string_pretty(doc).unwrap()).unwrap();
    let mut all = vec!["check"];
    all.extend(args);
    all.push(path.to_str().unwrap());
    run(&all)
}

#[test]
fn a_facility_with_a_full_mhlw_record_answers_yes_to_all_it_can_show() {
    let (code, doc) = checklist_json(&["samples/F0001-midori-houmon-kango.json"]);
    assert_eq!(code, 0);
    assert_eq!(doc["version"], 1);
    assert_eq!(doc["as_of"], AS_OF);
    assert_eq!(
        doc["files"][0]["file"],
        "samples/F0001-midori-houmon-kango.json"
    );
    assert_eq!(doc["files"][0]["facility"], "F0001");
    let items = answers(&doc, 0);
    assert_eq!(items.len(), 17);
    for (id, answer, rules, findings) in &items {
        let expected = if BY_HAND.contains(&id.as_str()) {
            "unknown"
        } else {
            "yes"
        };
        assert_eq!(answer, expected, "{id}");
        assert!(rules.is_empty() && *findings == 0, "{id}");
    }
    assert_eq!(
        doc["summary"],
        json!({ "files": 1, "yes": 12, "no": 0, "unknown": 5 })
    );
}

#[test]
fn typical_gaps_answer_no_with_the_rules_behind_them_and_waivers_do_not_count() {
    let (code, doc) = checklist_json(&["samples/F0003-sakura-pharmacy.json"]);
    assert_eq!(code, 1);
    let items = answers(&doc, 0);
    let get = |id: &str| items.iter().find(|i| i.0 == id).unwrap().clone();
    // Windows 10 without ESU, no update dates; the waived antivirus finding is not counted.
    let patches = get("patches");
    assert_eq!(patches.1, "no");
    assert_eq!(patches.2, ["mhlw-os-unsupported", "mhlw-os-updates"]);
    assert_eq!(patches.3, 4);
    assert_eq!(
        get("source-restriction").2,
        ["mhlw-wifi-security"],
        "Wi-Fi on WPA"
    );
    assert_eq!(get("backup").2, ["mhlw-backup-offline"], "no offline copy");
    assert_eq!(get("bcp").1, "no");
    assert_eq!(get("ledger").1, "yes");
    assert_eq!(get("usb").1, "no");
    for id in BY_HAND {
        assert_eq!(get(id).1, "unknown");
    }
    let s = &doc["summary"];
    assert_eq!(
        s["yes"].as_u64().unwrap() + s["no"].as_u64().unwrap() + s["unknown"].as_u64().unwrap(),
        17
    );
}

#[test]
fn a_file_that_cannot_be_evaluated_answers_unknown_everywhere() {
    let (code, doc) = checklist_json(&[
        "tests/fixtures/bad/trailing-comma.json",
        "tests/fixtures/bad/schema-version-2.json",
        "samples/F0007-hibari-home-clinic.json",
    ]);
    assert_eq!(code, 0, "no answer is no");
    for file in 0..3 {
        for (id, answer, rules, findings) in answers(&doc, file) {
            assert_eq!(answer, "unknown", "{id} of file {file}");
            assert!(rules.is_empty() && findings == 0);
        }
    }
    assert_eq!(
        doc["summary"],
        json!({ "files": 3, "yes": 0, "no": 0, "unknown": 51 })
    );
}

/// An unreadable inventory: the office's terminal is told the command that shows the
/// errors, the facility's answer sheet what to do, never a command.
#[test]
fn an_unreadable_inventory_is_explained_to_each_reader_in_its_words() {
    let file = "tests/fixtures/bad/schema-version-2.json";
    for (lang, office, facility) in [
        (
            "ja",
            "rurume check で直してください",
            "台帳の形式の誤りを直してから、もう一度点検してください",
        ),
        (
            "en",
            "fix it with rurume check",
            "correct the inventory&#39;s format, then have it checked again",
        ),
    ] {
        let human = run(&["checklist", "--lang", lang, file]);
        assert!(human.stdout.contains(office), "{}", human.stdout);
        let html = run(&["checklist", "--lang", lang, "--format", "html", file]);
        assert!(html.stdout.contains(facility), "{}", html.stdout);
        assert!(!html.stdout.contains("rurume check"), "{}", html.stdout);
    }
}

#[test]
fn human_and_html_use_the_pharmacy_wording_and_say_what_to_fix() {
    let out = run(&[
        "checklist",
        "--lang",
        "ja",
        "--as-of",
        AS_OF,
        "samples/F0003-sakura-pharmacy.json",
    ]);
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert!(
        out.stdout
            .contains("薬局におけるサイバーセキュリティ対策チェックリスト")
    );
    assert!(
        out.stdout
            .contains("外部関係機関（事業者、厚労省、警察等）")
    );
    assert!(out.stdout.contains("いいえ") && out.stdout.contains("要確認"));
    assert!(out.stdout.contains("mhlw-wifi-security"));
    assert!(out.stdout.contains("直し方:"));
    assert!(out.stdout.contains("確認: 保守業者に"));
    assert!(
        out.stdout.trim_end().ends_with("要確認 5"),
        "{}",
        out.stdout
    );
    let quiet = run(&[
        "checklist",
        "-q",
        "--as-of",
        AS_OF,
        "samples/F0001-midori-houmon-kango.json",
    ]);
    assert_eq!(quiet.code, 0);
    assert!(!quiet.stdout.contains("file(s)"));
    assert!(quiet.stdout.contains("security officer is appointed"));
    let html = run(&[
        "checklist",
        "--format",
        "html",
        "--lang",
        "ja",
        "--as-of",
        AS_OF,
        "samples/F0001-midori-houmon-kango.json",
        "samples/F0003-sakura-pharmacy.json",
    ]);
    assert_eq!(html.code, 1);
    let h = &html.stdout;
    assert!(h.starts_with("<!DOCTYPE html>"));
    assert_eq!(h.matches("<article>").count(), 2);
    assert!(h.contains("確認日: 2026-11-26"));
    assert!(h.contains("確認者（医療情報システム安全管理責任者）"));
    assert!(h.contains("直し方:"));
    assert!(h.contains("台帳からは分かりません"));
    // The form's order: 1-① before 2-① before 3-③.
    let (a, b, c) = (
        h.find("1-①").unwrap(),
        h.find("2-①").unwrap(),
        h.find("3-③").unwrap(),
    );
    assert!(a < b && b < c);
}

#[test]
fn the_checklist_never_shows_a_password() {
    for format in ["human", "json", "html"] {
        let out = rurume()
            .args(["checklist", "--format", format, "--as-of", AS_OF])
            .arg("tests/fixtures/privacy")
            .output()
            .unwrap();
        assert_ne!(out.status.code(), Some(2));
        assert_eq!(leaks(&out.stdout, PLANTED_PASSWORDS), Vec::<String>::new());
    }
}

#[test]
fn an_exception_for_a_rule_of_a_profile_not_in_force_is_left_alone() {
    let mut doc = base();
    doc["accounts"][1].as_object_mut().unwrap().remove("mfa");
    doc["exceptions"] = json!([{ "rule": "mhlw-mfa", "target": "/accounts/1", "reason": "disaster",
        "approved_by": "a1", "expires": "2026-12-31" }]);
    let found = |profile: &str| {
        let out = check_doc(
            &doc,
            &[
                "--format",
                "json",
                "--as-of",
                "2026-11-20",
                "--profile",
                profile,
            ],
        );
        assert_ne!(out.code, 2, "{}", out.stderr);
        json_findings(&out.stdout)
            .into_iter()
            .map(|(rule, _, waived)| (rule, waived))
            .collect::<Vec<_>>()
    };
    // rurume alone: the exception is neither unused nor invalid, and waives nothing.
    assert_eq!(found("rurume"), []);
    // Both: it waives the mhlw-mfa finding.
    assert_eq!(found("rurume,mhlw"), [("mhlw-mfa".to_owned(), true)]);
    // A rule no profile knows is still an invalid exception.
    doc["exceptions"][0]["rule"] = json!("mhlw-nothing");
    let out = check_doc(&doc, &["--format", "json", "--as-of", "2026-11-20"]);
    assert!(out.stdout.contains("exception-invalid"), "{}", out.stdout);
}

#[test]
fn the_new_fields_with_wrong_types_break_the_schema_in_the_users_language() {
    let mut doc = base();
    doc["accounts"][0]["mfa"] = json!("はい");
    doc["devices"][0]["usb_storage"] = json!("sometimes");
    doc["backups"][0]["generations"] = json!(-1);
    doc["network_devices"][0]
        .as_object_mut()
        .unwrap()
        .remove("kind");
    let out = check_doc(
        &doc,
        &[
            "--format",
            "json",
            "--profile",
            "rurume,mhlw",
            "--lang",
            "ja",
        ],
    );
    assert_eq!(out.code, 1, "{}", out.stderr);
    let found = json_findings(&out.stdout);
    assert!(found.iter().all(|(rule, _, _)| rule == "inventory-schema"));
    let pointers: Vec<&str> = found.iter().map(|(_, p, _)| p.as_str()).collect();
    for p in [
        "/accounts/0/mfa",
        "/devices/0/usb_storage",
        "/backups/0/generations",
        "/network_devices/0",
    ] {
        assert!(pointers.contains(&p), "{p} in {pointers:?}");
    }
}

#[test]
fn a_bad_date_in_a_custom_end_of_support_table_is_a_rule_file_error() {
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string("rules/mhlw/mhlw-os-unsupported.toml")
        .unwrap()
        .replace("\"2025-10-14\"", "\"2025-10-32\"");
    std::fs::write(dir.path().join("mhlw-os-unsupported.toml"), text).unwrap();
    let out = rurume()
        .args(["check", "--rules"])
        .arg(dir.path())
        .arg("samples/F0001-midori-houmon-kango.json")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("invalid-rule"), "{stderr}");
    assert!(stderr.contains("row 4"), "{stderr}");
    assert!(stderr.contains("YYYY-MM-DD"), "{stderr}");
}

#[test]
fn the_date_a_password_was_changed_is_shown_not_masked() {
    let mut doc = base();
    doc["accounts"][1]["mfa"] = json!(false);
    doc["accounts"][1]["password"]["changed"] = json!("2026-08-07");
    let out = check_doc(
        &doc,
        &[
            "--profile",
            "mhlw",
            "--fail-on",
            "warning",
            "--as-of",
            "2026-11-20",
        ],
    );
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert!(
        out.stdout.contains("mhlw-password-rotation"),
        "{}",
        out.stdout
    );
    // In the message and in the source line the finding shows.
    assert!(
        out.stdout.matches("2026-08-07").count() >= 2,
        "{}",
        out.stdout
    );
}

#[test]
fn the_os_table_decides_only_without_a_recorded_answer() {
    let mut doc = base();
    doc["devices"][0]["os"] =
        json!({ "name": "WINDOWS", "version": "8.1", "updated": "2026-11-11" });
    doc["devices"][1]["os"] =
        json!({ "name": "Windows", "version": "10", "supported": true, "updated": "2026-11-11" });
    let out = check_doc(
        &doc,
        &[
            "--format",
            "json",
            "--profile",
            "mhlw",
            "--as-of",
            "2026-11-20",
        ],
    );
    let found: Vec<(String, String)> = json_findings(&out.stdout)
        .into_iter()
        .map(|(rule, pointer, _)| (rule, pointer))
        .collect();
    assert_eq!(
        found,
        [("mhlw-os-unsupported".to_owned(), "/devices/0/os".to_owned())]
    );
}

#[test]
fn a_workbook_gets_the_same_answers_as_its_json() {
    let dir = tempfile::tempdir().unwrap();
    let xlsx = dir.path().join("F0003.xlsx");
    let out = rurume()
        .args(["convert", "samples/F0003-sakura-pharmacy.json", "-o"])
        .arg(&xlsx)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let (_, from_json) = checklist_json(&["samples/F0003-sakura-pharmacy.json"]);
    let (code, from_xlsx) = checklist_json(&[xlsx.to_str().unwrap()]);
    assert_eq!(code, 1);
    let ids_and_answers = |doc: &Value| {
        answers(doc, 0)
            .into_iter()
            .map(|(id, answer, rules, _)| (id, answer, rules))
            .collect::<Vec<_>>()
    };
    assert_eq!(ids_and_answers(&from_json), ids_and_answers(&from_xlsx));
    assert_eq!(from_json["summary"], from_xlsx["summary"]);
}

/// `audit` with the `mhlw` profile gives each facility the answers `checklist` gives; an
/// item one of whose rules did not run is `unknown`, not `yes`; without the profile there
/// are none.
#[test]
fn the_audit_gives_each_facility_the_checklist_answers() {
    let checklist = run(&[
        "checklist",
        "--format",
        "json",
        "--as-of",
        AS_OF,
        "samples/",
    ]);
    let checklist: Value = serde_json::from_str(&checklist.stdout).unwrap();
    let answers_of = |doc: &Value, file: &str| -> Value {
        doc["files"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["file"] == file)
            .unwrap()["items"]
            .clone()
    };
    let audit = run(&[
        "audit",
        "--profile",
        "rurume,mhlw",
        "--format",
        "json",
        "--as-of",
        AS_OF,
        "samples/",
    ]);
    let audit: Value = serde_json::from_str(&audit.stdout).unwrap();
    let mut no = 0;
    for facility in audit["facilities"].as_array().unwrap() {
        let file = facility["file"].as_str().unwrap();
        assert_eq!(
            facility["checklist"]["items"],
            answers_of(&checklist, file),
            "{file}"
        );
        no += facility["checklist"]["summary"]["no"].as_u64().unwrap();
    }
    assert!(no > 0, "the samples have いいえ answers");
    assert_eq!(audit["checklist"]["no"].as_u64().unwrap(), no);

    // mhlw alone: the items answered by rurume rules cannot be confirmed.
    let alone = run(&[
        "audit",
        "--profile",
        "mhlw",
        "--format",
        "json",
        "--as-of",
        AS_OF,
        "samples/",
    ]);
    let alone: Value = serde_json::from_str(&alone.stdout).unwrap();
    for facility in alone["facilities"].as_array().unwrap() {
        let items = facility["checklist"]["items"].as_array().unwrap();
        let cleanup = items
            .iter()
            .find(|i| i["id"] == "accounts-cleanup")
            .unwrap();
        assert_eq!(
            cleanup["answer"], "unknown",
            "left-staff-active did not run"
        );
    }

    let default = run(&["audit", "--format", "json", "--as-of", AS_OF, "samples/"]);
    let default: Value = serde_json::from_str(&default.stdout).unwrap();
    assert!(default.get("checklist").is_none());
    assert!(default["facilities"][0].get("checklist").is_none());
}

/// A rule turned off in rurume.toml found nothing because it did not run: its items
/// cannot be confirmed (`unknown`), unless the item's other rules found something (`no`).
#[test]
fn an_item_with_a_rule_turned_off_is_not_answered_yes() {
    let dir = tempfile::tempdir().unwrap();
    let answer_of = |doc: &Value, severity: &str| {
        std::fs::write(
            dir.path().join("rurume.toml"),
            format!("[severity]\n{severity}"),
        )
        .unwrap();
        std::fs::write(dir.path().join("inv.json"), doc.to_string()).unwrap();
        let out = common::run_in(
            dir.path(),
            &[
                "checklist",
                "--format",
                "json",
                "--as-of",
                AS_OF,
                "inv.json",
            ],
        );
        assert_ne!(out.code, 2, "{}", out.stderr);
        let doc: Value = serde_json::from_str(&out.stdout).unwrap();
        answers(&doc, 0)
            .into_iter()
            .map(|(id, answer, _, _)| (id, answer))
            .collect::<std::collections::BTreeMap<_, _>>()
    };
    let mut doc = base();
    let on = answer_of(&doc, "");
    assert_eq!(on["mfa"], "yes");
    assert_eq!(on["passwords"], "yes");
    let off = "mhlw-mfa = \"off\"\nmhlw-password-symbols = \"off\"\n";
    let silenced = answer_of(&doc, off);
    assert_eq!(silenced["mfa"], "unknown");
    assert_eq!(silenced["passwords"], "unknown");
    assert_eq!(silenced["usb"], "yes");
    doc["accounts"][0]["mfa"] = json!(false);
    doc["accounts"][0]["password"]["length"] = json!(4);
    let gaps = answer_of(&doc, off);
    assert_eq!(gaps["mfa"], "unknown");
    assert_eq!(gaps["passwords"], "no");
}

/// An item answered はい only because a 第10条 exception waives its findings says so, with
/// the exception's reason, in human and html; the JSON keeps its three fields.
#[test]
fn an_item_answered_yes_by_a_waiver_says_so_with_the_reason() {
    let mut doc = base();
    doc["facility"].as_object_mut().unwrap().remove("cyber_bcp");
    doc["exceptions"] = json!([{ "rule": "mhlw-cyber-bcp", "target": "/facility",
        "reason": "disaster", "approved_by": "a1", "expires": "2027-01-01" }]);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("inv.json");
    std::fs::write(&path, doc.to_string()).unwrap();
    let path = path.to_str().unwrap();
    let (_, json) = checklist_json(&[path]);
    let bcp = json["files"][0]["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["id"] == "bcp")
        .unwrap()
        .clone();
    assert_eq!(
        bcp,
        json!({ "id": "bcp", "answer": "yes", "rules": [], "findings": 0 })
    );
    let shown = |format: &str, lang: &str| {
        let out = run(&[
            "checklist",
            "--format",
            format,
            "--lang",
            lang,
            "--as-of",
            AS_OF,
            path,
        ]);
        assert_ne!(out.code, 2, "{}", out.stderr);
        out.stdout
    };
    for format in ["human", "html"] {
        let ja = shown(format, "ja");
        assert!(
            ja.contains("第10条の例外により免除: mhlw-cyber-bcp")
                && ja.contains("理由: 災害時の連絡・情報共有"),
            "{ja}"
        );
        let en = shown(format, "en");
        assert!(
            en.contains("waived by an Article 10 exception: mhlw-cyber-bcp")
                && en.contains("reason: communication in a disaster"),
            "{en}"
        );
    }
    // Without the exception the item is いいえ, and nothing speaks of a waiver.
    doc["exceptions"] = json!([]);
    std::fs::write(path, doc.to_string()).unwrap();
    assert!(!shown("human", "ja").contains("免除"));
}

/// The printable sheet: the 確認者 line prefilled with the security officer (still a line
/// to sign), a 対応予定日 blank for each いいえ, a はい／いいえ box for each 要確認.
#[test]
fn the_sheet_has_the_officer_a_target_date_per_no_and_a_box_per_unknown() {
    let mut doc = base();
    doc["accounts"][0]["mfa"] = json!(false);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("inv.json");
    std::fs::write(&path, doc.to_string()).unwrap();
    let (_, json) = checklist_json(&[path.to_str().unwrap()]);
    let count = |answer: &str| {
        json["files"][0]["items"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|i| i["answer"] == answer)
            .count()
    };
    let out = run(&[
        "checklist",
        "--format",
        "html",
        "--lang",
        "ja",
        "--as-of",
        AS_OF,
        path.to_str().unwrap(),
    ]);
    let html = out.stdout;
    assert!(
        html.contains("確認者（医療情報システム安全管理責任者）: <span>見本 花子</span> （署名）"),
        "{html}"
    );
    assert_eq!(
        html.matches("対応予定日: <span></span>").count(),
        count("no")
    );
    assert!(count("no") >= 1);
    assert_eq!(html.matches("はい ／ いいえ").count(), count("unknown"));
    assert!(count("unknown") >= 1);
    // Without a recorded officer, the line is blank.
    doc["facility"]
        .as_object_mut()
        .unwrap()
        .remove("security_officer");
    std::fs::write(&path, doc.to_string()).unwrap();
    let out = run(&[
        "checklist",
        "--format",
        "html",
        "--lang",
        "ja",
        "--as-of",
        AS_OF,
        path.to_str().unwrap(),
    ]);
    assert!(
        out.stdout.contains("安全管理責任者）: <span></span>"),
        "{}",
        out.stdout
    );
}

/// The items of `rules/checklist.toml`: (id, "number short" in ja, in en).
fn item_heads() -> Vec<(String, String, String)> {
    let text = std::fs::read_to_string("rules/checklist.toml").unwrap();
    let doc: toml::Table = toml::from_str(&text).unwrap();
    let mut out = Vec::new();
    for section in doc["section"].as_array().unwrap() {
        for item in section["item"].as_array().unwrap() {
            let number = item["number"].as_str().unwrap();
            let short = |lang: &str| item["short"][lang].as_str().unwrap().to_owned();
            out.push((
                item["id"].as_str().unwrap().to_owned(),
                format!("{number} {}", short("ja")),
                format!("{number} {}", short("en")),
            ));
        }
    }
    out
}

fn label(answer: &str, lang: &str) -> &'static str {
    match (answer, lang) {
        ("yes", "ja") => "はい",
        ("no", "ja") => "いいえ",
        ("unknown", "ja") => "要確認",
        ("yes", _) => "yes",
        ("no", _) => "no",
        _ => "unknown",
    }
}

/// Issue #15: with the `mhlw` profile in force, the audit's table, csv and html show the
/// checklist's answers per facility — the very answers of its json (one answering
/// function) — with each item's counts, in both languages.
#[test]
fn the_audit_table_csv_and_html_show_the_answers_of_its_json() {
    let args = |format: &str, lang: &str| {
        run(&[
            "audit",
            "--profile",
            "rurume,mhlw",
            "--format",
            format,
            "--lang",
            lang,
            "--as-of",
            AS_OF,
            "samples/",
        ])
    };
    let json: Value = serde_json::from_str(&args("json", "en").stdout).unwrap();
    let heads = item_heads();
    // facility id → its answers, in the items' order.
    let facilities: Vec<(String, Vec<String>)> = json["facilities"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            let items = f["checklist"]["items"].as_array().unwrap();
            let ids: Vec<&str> = items.iter().map(|i| i["id"].as_str().unwrap()).collect();
            let expected: Vec<&str> = heads.iter().map(|h| h.0.as_str()).collect();
            assert_eq!(ids, expected, "the items' order");
            (
                f["id"].as_str().unwrap().to_owned(),
                items
                    .iter()
                    .map(|i| i["answer"].as_str().unwrap().to_owned())
                    .collect(),
            )
        })
        .collect();
    let count = |answers: &[String], a: &str| answers.iter().filter(|x| *x == a).count();
    let per_item = |k: usize, a: &str| facilities.iter().filter(|(_, v)| v[k] == a).count();
    assert!(facilities.iter().any(|(_, v)| count(v, "no") > 0));
    let cell = regex::Regex::new(
        r#"<td class="a (yes|no|unknown)" title="([^"·]+) · ([^"]*?)(?: · [^"]*)?">([^<]+)</td>"#,
    )
    .unwrap();

    for lang in ["ja", "en"] {
        let head = |k: usize| match lang {
            "ja" => heads[k].1.clone(),
            _ => heads[k].2.clone(),
        };

        // CSV: one column per item, the answers as the form writes them, BOM and CRLF.
        let csv = args("csv", lang).stdout;
        assert!(csv.starts_with('\u{feff}'), "BOM");
        assert!(!csv.replace("\r\n", "").contains('\n'), "CRLF only");
        let rows: Vec<Vec<&str>> = csv
            .trim_start_matches('\u{feff}')
            .split("\r\n")
            .filter(|l| !l.is_empty())
            .map(|l| l.split(',').collect())
            .collect();
        let header = &rows[0];
        let col = |name: &str| {
            header
                .iter()
                .position(|h| *h == name)
                .unwrap_or_else(|| panic!("{lang}: no column {name}"))
        };
        let columns: Vec<usize> = (0..heads.len()).map(|k| col(&head(k))).collect();
        for (id, answers) in &facilities {
            let row = rows.iter().find(|r| r[0] == id).unwrap();
            assert_eq!(row.len(), header.len(), "{id}");
            for (k, c) in columns.iter().enumerate() {
                assert_eq!(row[*c], label(&answers[k], lang), "{lang} {id} {}", head(k));
            }
            let counts = columns[0] - 3;
            for (j, a) in ["yes", "no", "unknown"].iter().enumerate() {
                assert_eq!(row[counts + j], count(answers, a).to_string(), "{id} {a}");
            }
        }
        for a in ["yes", "no", "unknown"] {
            let row = rows
                .iter()
                .find(|r| r[0].ends_with(label(a, lang)) && r[0].contains(':'))
                .unwrap_or_else(|| panic!("{lang}: no row counting {a}"));
            for (k, c) in columns.iter().enumerate() {
                assert_eq!(
                    row[*c],
                    per_item(k, a).to_string(),
                    "{lang} {a} {}",
                    head(k)
                );
            }
        }

        // Table: each facility's counts and the items answered いいえ, by name.
        let table = args("table", lang).stdout;
        let part = table
            .split(match lang {
                "ja" => "厚生労働省 サイバーセキュリティ対策チェックリストの回答",
                _ => "Answers to the MHLW cybersecurity checklist",
            })
            .nth(1)
            .unwrap_or_else(|| panic!("{lang}: no checklist part\n{table}"));
        assert!(
            table.lines().all(|l| unicode_width(l) <= 120),
            "{lang}: wider than 120\n{table}"
        );
        for (i, (id, answers)) in facilities.iter().enumerate() {
            // The facility's lines: from its code to the next facility's.
            let start = part.find(&format!("\n{id} ")).unwrap();
            let end = match facilities.get(i + 1) {
                Some((next, _)) => part.find(&format!("\n{next} ")).unwrap(),
                None => start + part[start..].find("\n---").unwrap(),
            };
            let lines = &part[start..end];
            let numbers: Vec<&str> = lines.split_whitespace().skip(1).take(3).collect();
            let expected: Vec<String> = ["yes", "no", "unknown"]
                .iter()
                .map(|a| count(answers, a).to_string())
                .collect();
            assert_eq!(numbers, expected, "{lang} {id}");
            for (k, a) in answers.iter().enumerate() {
                assert_eq!(
                    lines.contains(&head(k)),
                    a == "no",
                    "{lang} {id}: {} is {a}",
                    head(k)
                );
            }
        }
        for (k, _) in heads.iter().enumerate() {
            let line = part
                .lines()
                .find(|l| l.starts_with(&head(k)) && !l.contains(['、', ',']))
                .unwrap_or_else(|| panic!("{lang}: no total of {}", head(k)));
            let numbers: Vec<String> = line[head(k).len()..]
                .split_whitespace()
                .map(str::to_owned)
                .collect();
            let expected: Vec<String> = ["yes", "no", "unknown"]
                .iter()
                .map(|a| per_item(k, a).to_string())
                .collect();
            assert_eq!(numbers, expected, "{lang} {}", head(k));
        }

        // HTML: the section, each cell coloured by class and written out.
        let html = args("html", lang).stdout;
        assert!(html.contains("<section id=\"checklist\">"), "{lang}");
        let mut seen = 0;
        for c in cell.captures_iter(&html) {
            let (class, id, item, text) = (&c[1], c[2].trim(), &c[3], &c[4]);
            let (_, answers) = facilities.iter().find(|(f, _)| f == id).unwrap();
            let k = (0..heads.len()).find(|&k| head(k) == item).unwrap();
            assert_eq!(class, answers[k], "{lang} {id} {item}");
            assert_eq!(text, label(class, lang), "{lang} {id} {item}: written out");
            seen += 1;
        }
        assert_eq!(seen, facilities.len() * heads.len(), "{lang}: every cell");
    }
}

fn unicode_width(line: &str) -> usize {
    // East Asian wide characters count two columns, as the table counts them.
    line.chars()
        .map(|c| match c as u32 {
            0x1100..=0x115F
            | 0x2E80..=0x303E
            | 0x3041..=0x33FF
            | 0x3400..=0x4DBF
            | 0x4E00..=0x9FFF
            | 0xAC00..=0xD7A3
            | 0xF900..=0xFAFF
            | 0xFE30..=0xFE4F
            | 0xFF00..=0xFF60
            | 0xFFE0..=0xFFE6 => 2,
            _ => 1,
        })
        .sum()
}

/// Issue #15: without the `mhlw` profile, the audit's table, csv and html are exactly
/// what they were before the checklist came to them: byte for byte the outputs of
/// commit 1216afe, kept in tests/fixtures/audit-default/ (the default profile, and
/// `--profile rurume`). A deliberate change to those outputs updates the fixtures:
/// `rurume audit samples/ --as-of 2026-11-26 --format F --lang L > tests/fixtures/audit-default/L.F`.
#[test]
fn without_mhlw_the_audit_formats_are_byte_identical_to_before() {
    for format in ["table", "csv", "html"] {
        for lang in ["ja", "en"] {
            let before =
                std::fs::read(format!("tests/fixtures/audit-default/{lang}.{format}")).unwrap();
            for profile in [&[][..], &["--profile", "rurume"][..]] {
                let mut args = vec![
                    "audit", "--format", format, "--lang", lang, "--as-of", AS_OF,
                ];
                args.extend(profile);
                args.push("samples/");
                let out = rurume().args(&args).output().unwrap();
                assert!(
                    out.stdout == before,
                    "{format} {lang} {profile:?} differs from before"
                );
            }
        }
    }
}
