//! Submission rounds (`audit --roster --previous --letters`, resubmissions), end to end on
//! real files written by the tests: the samples as one round, a mutated copy as the next.

mod common;
mod page_words;

use std::collections::BTreeMap;
use std::path::Path;

use common::{AS_OF, rurume};
use serde_json::Value;

fn sample(name: &str) -> Value {
    let text = std::fs::read_to_string(Path::new("samples").join(name)).unwrap();
    serde_json::from_str(&text).unwrap()
}

fn samples() -> Vec<(String, Value)> {
    let mut out: Vec<(String, Value)> = std::fs::read_dir("samples")
        .unwrap()
        .filter_map(|e| {
            let name = e.unwrap().file_name().to_string_lossy().into_owned();
            name.ends_with(".json")
                .then(|| (name.clone(), sample(&name)))
        })
        .collect();
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

fn write_round(dir: &Path, files: &[(String, Value)]) {
    std::fs::create_dir_all(dir).unwrap();
    for (name, value) in files {
        std::fs::write(dir.join(name), serde_json::to_string_pretty(value).unwrap()).unwrap();
    }
}

fn run(args: &[&str]) -> (i32, String, String) {
    let out = rurume()
        .args(args)
        .args(["--as-of", AS_OF])
        .output()
        .unwrap();
    (
        out.status.code().unwrap(),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

fn audit_json(args: &[&str]) -> Value {
    let mut all = vec!["audit", "--format", "json"];
    all.extend(args);
    let (code, out, err) = run(&all);
    assert!(code < 2, "{err}");
    serde_json::from_str(&out).unwrap()
}

/// Unwaived findings per facility, as `check --format json` counts them on one round.
fn check_counts(dir: &str) -> BTreeMap<String, usize> {
    let (_, out, _) = run(&["check", "--format", "json", dir]);
    let doc: Value = serde_json::from_str(&out).unwrap();
    let mut counts = BTreeMap::new();
    for f in doc["findings"].as_array().unwrap() {
        if !f["waived"].as_bool().unwrap() {
            *counts
                .entry(f["facility"].as_str().unwrap().to_owned())
                .or_insert(0) += 1;
        }
    }
    counts
}

fn facility<'a>(m: &'a Value, id: &str) -> &'a Value {
    m["facilities"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["id"] == id)
        .unwrap_or_else(|| panic!("{id} not in the audit"))
}

#[test]
fn a_resubmission_is_one_facility_and_never_collides_with_itself() {
    let dir = tempfile::tempdir().unwrap();
    let mut files = samples();
    // The browser's name for a second download, submitted later, with one fix.
    let mut again = sample("F0002-higashi-clinic.json");
    again["facility"]["submitted"] = "2026-11-25".into();
    again["accounts"].as_array_mut().unwrap().pop();
    files.push(("F0002-higashi-clinic (1).json".into(), again));
    let round = dir.path().join("now");
    write_round(&round, &files);
    let round = round.to_str().unwrap();

    let m = audit_json(&[round]);
    assert_eq!(m["totals"]["facilities"], 7, "one row per facility");
    let superseded = m["superseded"].as_array().unwrap();
    assert_eq!(superseded.len(), 1, "{superseded:#?}");
    assert_eq!(superseded[0]["facility"], "F0002");
    assert!(
        superseded[0]["file"]
            .as_str()
            .unwrap()
            .ends_with("/F0002-higashi-clinic.json")
    );
    assert!(
        superseded[0]["by"]
            .as_str()
            .unwrap()
            .ends_with("F0002-higashi-clinic (1).json")
    );
    assert_eq!(superseded[0]["same_date"], false);
    let f2 = facility(&m, "F0002");
    assert!(f2["file"].as_str().unwrap().ends_with(" (1).json"));

    // No cross-file finding between the two versions, and check warns once.
    let (_, out, err) = run(&["check", "--format", "json", round]);
    let doc: Value = serde_json::from_str(&out).unwrap();
    for f in doc["findings"].as_array().unwrap() {
        if f["facility"] == "F0002" {
            let message = f["message"].as_str().unwrap();
            assert!(!message.contains("F0002-higashi"), "{message}");
        }
    }
    assert_eq!(err.matches("superseded by").count(), 1, "{err}");
    // The audit's counts are those check gives the file that is evaluated.
    let n = |v: &Value| v.as_u64().unwrap() as usize;
    let (_, alone, _) = run(&[
        "check",
        "--format",
        "json",
        &format!("{round}/F0002-higashi-clinic (1).json"),
    ]);
    let alone: Value = serde_json::from_str(&alone).unwrap();
    assert_eq!(
        n(&f2["errors"]) + n(&f2["warnings"]),
        n(&alone["summary"]["errors"]) + n(&alone["summary"]["warnings"])
    );

    // Every format lists it.
    for format in ["table", "csv", "html"] {
        let (_, out, _) = run(&["audit", "--format", format, round]);
        assert!(out.contains("F0002-higashi-clinic.json"), "{format}");
    }
}

#[test]
fn the_same_submitted_date_is_said_and_the_later_name_wins() {
    let dir = tempfile::tempdir().unwrap();
    let mut files = samples();
    files.push((
        "F0003-sakura-pharmacy (1).json".into(),
        sample("F0003-sakura-pharmacy.json"),
    ));
    write_round(dir.path(), &files);
    let round = dir.path().to_str().unwrap();
    let (_, out, err) = run(&["audit", "--format", "json", "--lang", "ja", round]);
    let m: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(m["superseded"][0]["same_date"], true);
    assert!(
        facility(&m, "F0003")["file"]
            .as_str()
            .unwrap()
            .ends_with(" (1).json")
    );
    assert!(err.contains("提出日（submitted）が同じです"), "{err}");
    assert_eq!(m["totals"]["facilities"], 7);
}

#[test]
fn roster_in_shift_jis_lists_missing_and_unexpected_in_every_format() {
    let dir = tempfile::tempdir().unwrap();
    let text = "事業所コード,事業所名\r\nF0001,みどり訪問看護ステーション\r\nF0002,ひがし内科クリニック\r\nF0002,ひがし内科（重複）\r\n\r\nF0003,さくら薬局\r\nF0004,きたケアプラン\r\nF0006,みなみ歯科\r\nF0007,ひばり在宅クリニック\r\nF0099,ゆうやけ訪問看護\r\n";
    let (cp932, _, unmappable) = encoding_rs::SHIFT_JIS.encode(text);
    assert!(!unmappable);
    assert!(std::str::from_utf8(&cp932).is_err(), "really Shift_JIS");
    let roster = dir.path().join("名簿.csv");
    std::fs::write(&roster, &cp932).unwrap();
    let roster = roster.to_str().unwrap();

    let (code, out, err) = run(&[
        "audit", "--format", "json", "--roster", roster, "--lang", "ja", "samples",
    ]);
    assert_eq!(code, 1);
    let m: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(
        m["roster"]["missing"],
        serde_json::json!([{"id": "F0099", "name": "ゆうやけ訪問看護"}])
    );
    assert_eq!(m["roster"]["unexpected"], serde_json::json!(["F0005"]));
    let notes = m["roster"]["notes"].as_array().unwrap();
    assert_eq!(
        notes.len(),
        1,
        "the duplicate, not the blank line: {notes:?}"
    );
    assert!(notes[0].as_str().unwrap().contains("4 行目"), "{notes:?}");
    assert!(err.contains("F0002 が重複しています"), "{err}");
    for format in ["table", "csv", "html"] {
        let (_, out, _) = run(&["audit", "--format", format, "--roster", roster, "samples"]);
        assert!(out.contains("F0099"), "{format}");
        assert!(out.contains("ゆうやけ訪問看護"), "{format}");
    }
}

#[test]
fn a_roster_that_cannot_be_used_is_a_note_and_the_audit_runs() {
    let dir = tempfile::tempdir().unwrap();
    let roster = dir.path().join("roster.csv");
    std::fs::write(&roster, "code,kind\nF0001,clinic\n").unwrap();
    let (code, out, err) = run(&[
        "audit",
        "--format",
        "json",
        "--roster",
        roster.to_str().unwrap(),
        "samples",
    ]);
    assert_eq!(code, 1, "{err}");
    let m: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(m["totals"]["facilities"], 7);
    assert_eq!(m["roster"]["missing"], serde_json::json!([]));
    assert!(err.contains("must have an `id`"), "{err}");
    // Paths that do not exist are unusable arguments.
    for option in ["--roster", "--previous"] {
        let (code, _, err) = run(&["audit", option, "no-such-thing", "samples"]);
        assert_eq!(code, 2, "{option}: {err}");
        assert!(err.contains("no-such-thing"));
    }
}

/// The next round: F0001 its devices reordered and one device added (a copy of one),
/// F0002 its devices reordered, one account fixed and one new violation, F0004 dropped, F0008 new.
fn next_round() -> Vec<(String, Value)> {
    let mut files = samples();
    files.retain(|(name, _)| !name.starts_with("F0004"));
    for (name, v) in &mut files {
        if name.starts_with("F0001") {
            let devices = v["devices"].as_array_mut().unwrap();
            devices.reverse();
            let mut clean = devices[0].clone();
            clean["id"] = "d-new".into();
            devices.push(clean);
        }
        if name.starts_with("F0002") {
            // Devices reordered (accounts are not: which of two accounts sharing an
            // email is "the later one" follows their order).
            v["devices"].as_array_mut().unwrap().reverse();
            let accounts = v["accounts"].as_array_mut().unwrap();
            // a2 (岡田 真由美) had a 7-character password.
            let a2 = accounts.iter_mut().find(|a| a["id"] == "a2").unwrap();
            a2["password"]["length"] = 12.into();
            let devices = v["devices"].as_array_mut().unwrap();
            let clean = devices
                .iter_mut()
                .find(|d| d["antivirus"]["installed"] == true)
                .expect("a device with antivirus");
            clean["antivirus"]["installed"] = false.into();
        }
    }
    let mut new = sample("F0003-sakura-pharmacy.json");
    new["facility"]["id"] = "F0008".into();
    new["facility"]["name"] = "あおぞら薬局".into();
    files.push(("F0008-aozora.json".into(), new));
    files
}

#[test]
fn changes_since_the_previous_round_agree_with_check_on_each_round() {
    let dir = tempfile::tempdir().unwrap();
    let (prev, now) = (dir.path().join("prev"), dir.path().join("now"));
    write_round(&prev, &samples());
    write_round(&now, &next_round());
    let (prev, now) = (prev.to_str().unwrap(), now.to_str().unwrap());

    let m = audit_json(&["--previous", prev, now]);
    let before = check_counts(prev);
    let after = check_counts(now);
    let n = |v: &Value| v.as_u64().unwrap() as usize;
    for f in m["facilities"].as_array().unwrap() {
        let id = f["id"].as_str().unwrap();
        let c = &f["changes"];
        assert_eq!(
            n(&c["new"]) + n(&c["persisting"]),
            after.get(id).copied().unwrap_or(0),
            "{id}: new + persisting = now"
        );
        assert_eq!(
            n(&c["fixed"]) + n(&c["persisting"]),
            before.get(id).copied().unwrap_or(0),
            "{id}: fixed + persisting = before"
        );
    }
    // Reordered and extended, nothing else: nothing changed.
    let f1 = &facility(&m, "F0001")["changes"];
    assert_eq!((n(&f1["new"]), n(&f1["fixed"])), (0, 0), "{f1}");
    let f2 = facility(&m, "F0002");
    assert_eq!(f2["changes_by_rule"]["password-length"]["fixed"], 1);
    assert_eq!(f2["changes_by_rule"]["antivirus"]["new"], 1);
    assert_eq!(n(&f2["changes"]["new"]), 1, "{}", f2["changes"]);
    let f8 = &facility(&m, "F0008")["changes"];
    assert_eq!(n(&f8["fixed"]) + n(&f8["persisting"]), 0, "new facility");
    let rules = m["rules"].as_array().unwrap();
    let rule = |id: &str| rules.iter().find(|r| r["id"] == id).unwrap();
    assert_eq!(rule("antivirus")["changes"]["new"], 1);
    assert_eq!(
        n(&m["previous"]["changes"]["new"]),
        m["facilities"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| n(&f["changes"]["new"]))
            .sum::<usize>()
    );

    // The other formats show the same numbers.
    let (_, html, _) = run(&["audit", "--format", "html", "--previous", prev, now]);
    assert!(html.contains("class=\"bars\""));
    let (_, table, _) = run(&["audit", "--previous", prev, now]);
    assert!(
        table.contains(&format!(
            "F0002  new {}, fixed {}, persisting {}",
            f2["changes"]["new"], f2["changes"]["fixed"], f2["changes"]["persisting"]
        )),
        "{table}"
    );
    let (_, csv, _) = run(&["audit", "--format", "csv", "--previous", prev, now]);
    let f2_line = csv.lines().find(|l| l.starts_with("F0002,")).unwrap();
    assert!(
        f2_line.ends_with(&format!(
            ",{},{},{}",
            f2["changes"]["new"], f2["changes"]["fixed"], f2["changes"]["persisting"]
        )),
        "{f2_line}"
    );
}

#[test]
fn letters_name_no_other_facility_and_no_secret() {
    let dir = tempfile::tempdir().unwrap();
    let (prev, now, out) = (
        dir.path().join("prev"),
        dir.path().join("now"),
        dir.path().join("letters"),
    );
    write_round(&prev, &samples());
    let mut files = next_round();
    // A plaintext password, planted.
    files[0].1["accounts"][0]["password"] = "Zq8vTmw3Lk".into();
    write_round(&now, &files);
    let roster = dir.path().join("roster.toml");
    std::fs::write(
        &roster,
        "[[facility]]\nid = \"F0001\"\nname = \"みどり\"\n[[facility]]\nid = \"F0099\"\nname = \"ゆうやけ訪問看護\"\n",
    )
    .unwrap();
    let (code, _, err) = run(&[
        "audit",
        "--previous",
        prev.to_str().unwrap(),
        "--letters",
        out.to_str().unwrap(),
        "--roster",
        roster.to_str().unwrap(),
        "--deadline",
        "2026-12-20",
        // No --lang, and an English environment: letters are Japanese by default.
        now.to_str().unwrap(),
    ]);
    assert!(code < 2, "{err}");
    let m = audit_json(&[now.to_str().unwrap()]);
    let facilities: Vec<(String, String, String)> = m["facilities"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            let file = f["file"].as_str().unwrap();
            (
                f["id"].as_str().unwrap().to_owned(),
                f["name"].as_str().unwrap().to_owned(),
                file.rsplit('/').next().unwrap().to_owned(),
            )
        })
        .collect();
    let mut cross_file = 0;
    for (id, name, _) in &facilities {
        let letter = std::fs::read_to_string(out.join(format!("{id}.html"))).unwrap();
        assert!(letter.contains(name.as_str()), "{id}");
        assert!(letter.contains("2026年12月20日"), "{id}: the deadline");
        for (other, other_name, other_file) in &facilities {
            if other != id {
                assert!(!letter.contains(other.as_str()), "{id} names {other}");
                assert!(
                    !letter.contains(other_name.as_str()),
                    "{id} names {other_name}"
                );
                assert!(
                    !letter.contains(other_file.as_str()),
                    "{id} names {other_file}"
                );
            }
        }
        assert!(
            common::leaks(letter.as_bytes(), &["Zq8vTmw3Lk"]).is_empty(),
            "{id} shows the password"
        );
        cross_file += letter.matches("他の事業所").count();
    }
    assert!(cross_file >= 2, "F0005 and F0006 share an email");
    let f2 = std::fs::read_to_string(out.join("F0002.html")).unwrap();
    assert!(f2.contains("前回からの改善"), "improvements");
    assert!(f2.contains("岡田 真由美"), "the fixed password is named");
    let reminder = std::fs::read_to_string(out.join("F0099.html")).unwrap();
    assert!(reminder.contains("まだお受け取りしていません"));
}

/// The words of each finding of a letter (its rule's title, message and fix, and the
/// improvements), as the clerk reads them: tags taken out, entities decoded.
fn letter_findings(letter: &str) -> Vec<String> {
    let items = regex::Regex::new(r"(?s)<li>(.*?)</li>").unwrap();
    let tags = regex::Regex::new(r"<[^>]*>").unwrap();
    items
        .captures_iter(letter)
        .map(|c| {
            tags.replace_all(&c[1], " ")
                .replace("&lt;", "<")
                .replace("&gt;", ">")
                .replace("&quot;", "\"")
                .replace("&#39;", "'")
                .replace("&amp;", "&")
        })
        .collect()
}

/// Issue #15: a letter goes to the facility's clerk and speaks the form (the rule's page
/// wording, the schema's titles for format errors): no field name of the inventory, no
/// JSON Pointer, no command, whatever the rule — every sample and a round that breaks
/// many rules of both profiles, in both languages. The office's own report keeps its
/// precise field names.
#[test]
fn letters_speak_the_form_not_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let (prev, now) = (dir.path().join("prev"), dir.path().join("now"));
    write_round(&prev, &samples());
    let mut files = next_round();
    // Format errors too: a wrong type, an unknown member.
    files[1].1["devices"][0]["screen_lock"]["auto_lock_minutes"] = "five".into();
    files[1].1["facility"]["frobnicate"] = 1.into();
    write_round(&now, &files);
    let keys = page_words::schema_keys();
    let mut slips = Vec::new();
    let mut seen = 0;
    for lang in ["ja", "en"] {
        let out = dir.path().join(format!("letters-{lang}"));
        let (code, _, err) = run(&[
            "audit",
            "--profile",
            "rurume,mhlw",
            "--previous",
            prev.to_str().unwrap(),
            "--letters",
            out.to_str().unwrap(),
            "--lang",
            lang,
            now.to_str().unwrap(),
        ]);
        assert!(code < 2, "{err}");
        for entry in std::fs::read_dir(&out).unwrap() {
            let path = entry.unwrap().path();
            let letter = std::fs::read_to_string(&path).unwrap();
            for text in letter_findings(&letter) {
                seen += 1;
                if let Some(slip) = page_words::page_slip(&text, lang == "ja", &keys, false) {
                    slips.push(format!("{} ({lang}): {slip}: {text}", path.display()));
                }
            }
        }
    }
    page_words::assert_no_slips(slips);
    assert!(seen > 100, "only {seen} findings in the letters");
    // The office's report keeps the precise words.
    let (_, html, _) = run(&[
        "audit",
        "--format",
        "html",
        "--lang",
        "en",
        now.to_str().unwrap(),
    ]);
    assert!(
        html.contains("screen_lock"),
        "the office's report names the fields"
    );
}

#[test]
fn every_built_in_rule_has_a_short_name() {
    let m = audit_json(&["samples"]);
    for rule in m["rules"].as_array().unwrap() {
        let short = rule["short"].as_str().unwrap();
        assert_ne!(short, rule["id"].as_str().unwrap(), "{}", rule["id"]);
    }
    let (_, ja, _) = run(&["audit", "--format", "json", "--lang", "ja", "samples"]);
    let ja: Value = serde_json::from_str(&ja).unwrap();
    let shorts: Vec<&str> = ja["rules"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["short"].as_str().unwrap())
        .collect();
    assert!(shorts.contains(&"パスワード長"), "{shorts:?}");
}

#[test]
fn a_short_name_too_long_is_a_rule_error() {
    let dir = tempfile::tempdir().unwrap();
    let rule = std::fs::read_to_string("rules/rurume/antivirus.toml").unwrap();
    let broken = rule.replace(
        "short = { ja = \"ウイルス対策\"",
        "short = { ja = \"ウイルス対策ソフトの導入状況\"",
    );
    assert_ne!(rule, broken);
    std::fs::write(dir.path().join("antivirus.toml"), broken).unwrap();
    std::fs::copy(
        "rules/example-base.json",
        dir.path().join("example-base.json"),
    )
    .unwrap();
    let (code, _, err) = run(&["check", "--rules", dir.path().to_str().unwrap(), "samples"]);
    assert_eq!(code, 2);
    assert!(err.contains("`short.ja` has 14 characters"), "{err}");
}
