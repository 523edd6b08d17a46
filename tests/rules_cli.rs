//! End-to-end tests of `rurume rules`, `rurume rules test` and `rurume explain`: the rule
//! documentation is generated from the rule files, in both languages, and policy authors can
//! test their own rule folders.

use std::collections::BTreeSet;
use std::path::Path;

mod common;
use common::rurume;

use serde_json::Value;
use unicode_width::UnicodeWidthStr;

const ENGINE_RULES: [&str; 2] = ["inventory-schema", "inventory-syntax"];

struct Output {
    code: i32,
    stdout: String,
    stderr: String,
}

fn run(args: &[&str]) -> Output {
    let out = rurume().args(args).output().unwrap();
    Output {
        code: out.status.code().unwrap(),
        stdout: String::from_utf8(out.stdout).unwrap(),
        stderr: String::from_utf8(out.stderr).unwrap(),
    }
}

/// The one `FAILED` line of a `rules test` run that exits 1 with one failing example of
/// `rule`, after checking the summary line says so.
fn only_failure<'a>(out: &'a Output, rule: &str) -> &'a str {
    assert_eq!(out.code, 1, "{}{}", out.stdout, out.stderr);
    let failed: Vec<&str> = out
        .stdout
        .lines()
        .filter(|l| l.starts_with("FAILED"))
        .collect();
    assert_eq!(failed.len(), 1, "{}", out.stdout);
    assert!(failed[0].contains(rule), "{}", failed[0]);
    assert!(
        out.stdout.trim_end().ends_with(" passed, 1 failed"),
        "{}",
        out.stdout
    );
    failed[0]
}

/// A rule file of `rules/<profile>/`, as TOML.
fn rule_file(id: &str) -> toml::Table {
    let path = ["rurume", "mhlw"]
        .map(|p| format!("rules/{p}/{id}.toml"))
        .into_iter()
        .find(|p| Path::new(p).exists())
        .unwrap_or_else(|| panic!("no rule file for {id}"));
    let text = std::fs::read_to_string(path).unwrap();
    toml::from_str(&text).unwrap()
}

fn text(table: &toml::Table, key: &str, lang: &str) -> String {
    table[key][lang].as_str().unwrap().to_owned()
}

/// The ids of a profile's rule files.
fn profile_rule_ids(profile: &str) -> BTreeSet<String> {
    std::fs::read_dir(format!("rules/{profile}"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .map(|p| p.file_stem().unwrap().to_string_lossy().into_owned())
        .collect()
}

/// The ids of the default profile's rules (`rules/rurume/`).
fn rule_file_ids() -> BTreeSet<String> {
    profile_rule_ids("rurume")
}

fn all_ids() -> BTreeSet<String> {
    let mut ids = rule_file_ids();
    ids.extend(ENGINE_RULES.map(str::to_owned));
    ids
}

/// A copy of the built-in rule folder, to break.
fn rules_copy() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for entry in std::fs::read_dir("rules/rurume").unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if name.ends_with(".toml") {
            std::fs::copy(&path, dir.path().join(&name)).unwrap();
        }
    }
    std::fs::copy(
        "rules/example-base.json",
        dir.path().join("example-base.json"),
    )
    .unwrap();
    dir
}

fn edit(path: &Path, from: &str, to: &str) {
    let text = std::fs::read_to_string(path).unwrap();
    assert!(text.contains(from), "{from} not in {}", path.display());
    std::fs::write(path, text.replacen(from, to, 1)).unwrap();
}

// ---------------------------------------------------------------------------------------
// rurume rules

#[test]
fn rules_table_has_every_rule_in_both_languages() {
    let ids = all_ids();
    assert_eq!(ids.len(), 29);
    for lang in ["en", "ja"] {
        let out = run(&["rules", "--lang", lang]);
        assert_eq!(out.code, 0, "{}", out.stderr);
        let lines: Vec<&str> = out.stdout.lines().collect();
        assert_eq!(lines.len(), ids.len(), "{}", out.stdout);
        let listed: Vec<&str> = lines
            .iter()
            .map(|l| l.split_whitespace().next().unwrap())
            .collect();
        assert_eq!(
            listed,
            ids.iter().map(String::as_str).collect::<Vec<_>>(),
            "one line per rule, sorted by id"
        );
        for id in rule_file_ids() {
            let rule = rule_file(&id);
            let line = lines
                .iter()
                .find(|l| l.starts_with(&format!("{id} ")))
                .unwrap();
            assert!(line.contains(&text(&rule, "title", lang)), "{line}");
            assert!(line.contains(rule["severity"].as_str().unwrap()), "{line}");
            assert!(line.contains(rule["source"].as_str().unwrap()), "{line}");
        }
        // Aligned columns: the titles all start at the same display column, though the
        // articles (第9条, 別紙2 第2条2) are double width.
        let columns: BTreeSet<usize> = lines
            .iter()
            .map(|line| {
                let id = line.split_whitespace().next().unwrap();
                let title = if ENGINE_RULES.contains(&id) {
                    let schema = if lang == "ja" {
                        ["台帳の形式（スキーマ）違反", "JSON として読めないファイル"]
                    } else {
                        ["Inventory breaks the schema", "File is not valid JSON"]
                    };
                    schema[usize::from(id == "inventory-syntax")].to_owned()
                } else {
                    text(&rule_file(id), "title", lang)
                };
                line[..line.rfind(&title).unwrap()].width()
            })
            .collect();
        assert_eq!(columns.len(), 1, "{}", out.stdout);
    }
    let en = run(&["rules", "--lang", "en"]).stdout;
    assert!(en.contains("Password shorter than 8 characters"), "{en}");
    let ja = run(&["rules", "--lang", "ja"]).stdout;
    assert!(ja.contains("パスワードが8文字未満"), "{ja}");
    assert!(ja.contains("第9条, 別紙2 第2条2"), "{ja}");
}

#[test]
fn rules_language_defaults_from_lang() {
    let out = rurume()
        .args(["rules"])
        .env("LANG", "ja_JP.UTF-8")
        .output()
        .unwrap();
    assert!(
        String::from_utf8(out.stdout)
            .unwrap()
            .contains("パスワードが8文字未満")
    );
}

#[test]
fn rules_json_is_sorted_and_localized() {
    for lang in ["en", "ja"] {
        let out = run(&["rules", "--format", "json", "--lang", lang]);
        assert_eq!(out.code, 0, "{}", out.stderr);
        let doc: Value = serde_json::from_str(&out.stdout).unwrap();
        let rules = doc.as_array().unwrap();
        assert_eq!(rules.len(), 29);
        let ids: Vec<&str> = rules.iter().map(|r| r["id"].as_str().unwrap()).collect();
        let mut sorted = ids.clone();
        sorted.sort();
        assert_eq!(ids, sorted);
        assert_eq!(
            ids.iter().map(|s| s.to_string()).collect::<BTreeSet<_>>(),
            all_ids()
        );
        for r in rules {
            for key in ["severity", "source", "title", "fix", "why"] {
                assert!(r[key].is_string(), "{key} of {r}");
            }
            assert!(r["params"].is_object(), "{r}");
            let id = r["id"].as_str().unwrap();
            if ENGINE_RULES.contains(&id) {
                assert!(r["policy"].is_null());
                assert_eq!(r["source"], "—");
                continue;
            }
            let file = rule_file(id);
            assert_eq!(r["title"], text(&file, "title", lang));
            assert_eq!(r["why"], text(&file, "why", lang));
            assert_eq!(r["policy"], file["policy"].as_str().unwrap());
            assert_eq!(r["severity"], file["severity"].as_str().unwrap());
            assert!(!r["fix"].as_str().unwrap().contains("{$"), "{r}");
        }
        let length = rules.iter().find(|r| r["id"] == "password-length").unwrap();
        assert_eq!(length["params"]["min_length"], 8);
        let fix = length["fix"].as_str().unwrap();
        match lang {
            "en" => assert!(fix.starts_with("Change to a new password of at least 8 characters")),
            _ => assert!(fix.starts_with("8 文字以上の新しいパスワード"), "{fix}"),
        }
    }
}

#[test]
fn rules_uses_the_rules_folder_given() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(
        "rules/rurume/screen-lock.toml",
        dir.path().join("screen-lock.toml"),
    )
    .unwrap();
    let out = run(&["rules", "--rules", dir.path().to_str().unwrap()]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let ids: Vec<&str> = out
        .stdout
        .lines()
        .map(|l| l.split_whitespace().next().unwrap())
        .collect();
    assert_eq!(ids, ["inventory-schema", "inventory-syntax", "screen-lock"]);
}

// ---------------------------------------------------------------------------------------
// rurume explain

const EXPLAINED: [&str; 5] = [
    "password-length",
    "file-sharing-app",
    "admin-missing",
    "exception-unused",
    "account-shared",
];

#[test]
fn explain_is_generated_from_the_rule_file_in_both_languages() {
    for id in EXPLAINED {
        let file = rule_file(id);
        for lang in ["en", "ja"] {
            let out = run(&["explain", id, "--lang", lang]);
            assert_eq!(out.code, 0, "{}", out.stderr);
            let doc = &out.stdout;
            let title = text(&file, "title", lang);
            assert!(doc.starts_with(&format!("# {title} ({id})\n")), "{doc}");
            assert!(doc.contains(file["source"].as_str().unwrap()), "{doc}");
            assert!(doc.contains(file["severity"].as_str().unwrap()), "{doc}");
            let policy = file["policy"].as_str().unwrap();
            assert!(doc.contains(&format!("> {policy}")), "{id} {lang}: policy");
            assert!(doc.contains(&text(&file, "why", lang)), "{id} {lang}: why");
            // The fix, up to its first placeholder.
            let fix = text(&file, "fix", lang);
            let fixed_part = fix.split('{').next().unwrap();
            assert!(doc.contains(fixed_part), "{id} {lang}: fix");
            assert!(!doc.contains("{$"), "{id} {lang}: unrendered parameter");
            let (failing, passing) = match lang {
                "en" => ("## Failing examples", "## Passing examples"),
                _ => ("## 違反となる例", "## 違反とならない例"),
            };
            let (at_fail, at_pass) = (doc.find(failing).unwrap(), doc.find(passing).unwrap());
            assert!(at_fail < at_pass, "{doc}");
            for example in file["example"].as_array().unwrap() {
                let title = example["title"][lang].as_str().unwrap();
                let at = doc
                    .find(&format!("### {title}\n"))
                    .unwrap_or_else(|| panic!("{id} {lang}: example {title} missing"));
                match example["expect"].as_str().unwrap() {
                    "fail" => {
                        assert!(at_fail < at && at < at_pass, "{title}");
                        let pointer = example["at"].as_str().unwrap();
                        assert!(doc[at..].contains(&format!("`{pointer}`")), "{title}");
                    }
                    _ => assert!(at > at_pass, "{title}"),
                }
            }
            assert!(doc.contains("```json\n[\n  { \"op\": "), "{doc}");
        }
    }
}

#[test]
fn explain_renders_params_and_marks_paths() {
    let en = run(&["explain", "password-length", "--lang", "en"]).stdout;
    assert!(en.contains(
        "Change to a new password of at least 8 characters and record it again with `rurume password --record`"
    ));
    assert!(en.contains("- `min_length` = 8"), "{en}");
    assert!(
        en.contains("the password of <name> has <password/length> characters"),
        "{en}"
    );
    // The failing example, patched, and the finding it produces.
    assert!(en.contains("`/accounts/1` after the patch:"), "{en}");
    assert!(en.contains("\"length\": 7"), "{en}");
    assert!(
        en.contains("Finding: the password of 試験 太郎 has 7 characters"),
        "{en}"
    );
    let ja = run(&["explain", "file-sharing-app", "--lang", "ja"]).stdout;
    assert!(ja.contains("「<value>」をアンインストールし"), "{ja}");
    assert!(ja.contains("パッチ適用後の `/devices/0`:"), "{ja}");
    assert!(ja.contains("\"Winny 2.0b7.1\""), "{ja}");
    assert!(
        ja.contains("ほかに検出されてよい規則: `unapproved-app`"),
        "{ja}"
    );
    assert!(ja.contains("- `patterns`:\n  - `(?i)winny`"), "{ja}");
}

#[test]
fn explain_of_the_engine_rules() {
    for (lang, fix, policy) in [
        (
            "en",
            "Make the file follow schemas/inventory.schema.json",
            "Not an article of the policy",
        ),
        (
            "ja",
            "schemas/inventory.schema.json の形式に合わせてください",
            "ポリシーの条文ではなく",
        ),
    ] {
        let out = run(&["explain", "inventory-schema", "--lang", lang]);
        assert_eq!(out.code, 0, "{}", out.stderr);
        assert!(
            out.stdout.contains("(inventory-schema)\n"),
            "{}",
            out.stdout
        );
        assert!(out.stdout.contains(fix), "{}", out.stdout);
        assert!(out.stdout.contains(policy), "{}", out.stdout);
        assert!(
            out.stdout.contains(if lang == "en" {
                "## Why it matters\n\n"
            } else {
                "## なぜ問題か\n\n"
            }),
            "{}",
            out.stdout
        );
    }
    let out = run(&["explain", "inventory-syntax", "--format", "json"]);
    let doc: Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(doc["kind"], "engine");
    assert_eq!(doc["examples"], Value::Array(vec![]));
    assert!(doc["why"].as_str().is_some_and(|w| !w.is_empty()));
}

#[test]
fn explain_json_has_the_same_content() {
    for lang in ["en", "ja"] {
        let out = run(&[
            "explain",
            "exception-unused",
            "--format",
            "json",
            "--lang",
            lang,
        ]);
        assert_eq!(out.code, 0, "{}", out.stderr);
        let doc: Value = serde_json::from_str(&out.stdout).unwrap();
        let file = rule_file("exception-unused");
        assert_eq!(doc["id"], "exception-unused");
        assert_eq!(doc["kind"], "rule-file");
        assert_eq!(doc["severity"], "warning");
        assert_eq!(doc["source"], "第10条");
        assert_eq!(doc["title"], text(&file, "title", lang));
        assert_eq!(doc["why"], text(&file, "why", lang));
        assert_eq!(doc["fix"], text(&file, "fix", lang));
        assert_eq!(doc["policy"], file["policy"].as_str().unwrap());
        let examples = doc["examples"].as_array().unwrap();
        assert_eq!(examples.len(), file["example"].as_array().unwrap().len());
        let first = &examples[0];
        assert_eq!(first["expect"], "fail");
        assert_eq!(first["at"], "/exceptions/0");
        assert_eq!(first["patch"][0]["op"], "add");
        assert_eq!(first["items"][0]["pointer"], "/exceptions/0");
        assert_eq!(first["items"][0]["value"]["rule"], "antivirus");
        assert!(
            first["finding"]
                .as_str()
                .is_some_and(|m| m.contains("antivirus"))
        );
        assert!(
            examples
                .iter()
                .any(|e| e["expect"] == "pass" && e["finding"].is_null())
        );
    }
    // A cross-file example shows its second file.
    let out = run(&["explain", "account-shared", "--format", "json"]);
    let doc: Value = serde_json::from_str(&out.stdout).unwrap();
    assert!(doc["examples"].as_array().unwrap().iter().any(|e| {
        e["with_file"]["items"]
            .as_array()
            .is_some_and(|i| !i.is_empty())
    }));
}

#[test]
fn explain_never_shows_an_example_password() {
    for format in ["human", "json"] {
        for lang in ["en", "ja"] {
            let out = run(&[
                "explain",
                "plaintext-password",
                "--format",
                format,
                "--lang",
                lang,
            ]);
            assert_eq!(out.code, 0, "{}", out.stderr);
            for secret in ["sakura2026", "mihon1234"] {
                assert!(!out.stdout.contains(secret), "{format} {lang}: {secret}");
            }
            assert!(out.stdout.contains("********"));
        }
    }
}

#[test]
fn explain_of_an_unknown_rule_suggests_the_closest() {
    let out = run(&["explain", "pasword-length"]);
    assert_eq!(out.code, 2);
    assert!(out.stdout.is_empty());
    assert!(
        out.stderr
            .contains("unknown rule `pasword-length`; did you mean `password-length`?"),
        "{}",
        out.stderr
    );
    let out = run(&["explain", "inventory-shema", "--lang", "ja"]);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.contains("`inventory-schema` のことですか"),
        "{}",
        out.stderr
    );
    let out = run(&["explain", "qqqq"]);
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("unknown rule `qqqq`"), "{}", out.stderr);
    assert!(!out.stderr.contains("did you mean"), "{}", out.stderr);
}

// ---------------------------------------------------------------------------------------
// rurume rules test

#[test]
fn rules_test_passes_on_the_builtin_rules() {
    let out = run(&["rules", "test"]);
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    let examples: usize = profile_rule_ids("rurume")
        .into_iter()
        .chain(profile_rule_ids("mhlw"))
        .map(|id| rule_file(&id)["example"].as_array().unwrap().len())
        .sum();
    let lines: Vec<&str> = out.stdout.lines().collect();
    assert_eq!(lines.len(), examples + 1);
    assert!(lines[..examples].iter().all(|l| l.starts_with("ok ")));
    assert_eq!(
        *lines.last().unwrap(),
        format!("{examples} passed, 0 failed")
    );
    // A profile's folder given explicitly (its example base is beside it).
    let out = run(&["rules", "test", "rules/rurume"]);
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
}

#[test]
fn rules_test_fails_on_an_example_that_does_not_behave() {
    let dir = rules_copy();
    edit(
        &dir.path().join("password-length.toml"),
        "at = \"/accounts/1/password\"",
        "at = \"/accounts/0/password\"",
    );
    let path = dir.path().to_str().unwrap();
    for args in [
        vec!["rules", "test", path],
        vec!["rules", "--rules", path, "test"],
    ] {
        let out = run(&args);
        let failed = only_failure(&out, "password-length");
        assert!(failed.contains("A 7-character password"), "{failed}");
        assert!(failed.contains("/accounts/0/password"), "{failed}");
    }
    // JSON for tools.
    let out = run(&["rules", "--format", "json", "test", path]);
    assert_eq!(out.code, 1);
    let doc: Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(doc["failed"], 1);
    let failed: Vec<&Value> = doc["outcomes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|o| o["ok"] == false)
        .collect();
    assert_eq!(failed.len(), 1);
    assert_eq!(failed[0]["rule"], "password-length");
    assert_eq!(failed[0]["example"], "A 7-character password");
}

#[test]
fn rules_test_names_a_passing_example_that_fires() {
    let dir = rules_copy();
    edit(
        &dir.path().join("password-length.toml"),
        "\"path\": \"/accounts/1/password/length\", \"value\": 8 }",
        "\"path\": \"/accounts/1/password/length\", \"value\": 6 }",
    );
    let path = dir.path().to_str().unwrap();
    let out = run(&["rules", "--lang", "ja", "test", path]);
    let failed = only_failure(&out, "password-length");
    assert!(failed.contains("ちょうど8文字"), "{failed}");
    assert!(failed.contains("expected no `password-length`"), "{failed}");
    assert!(
        out.stdout.ends_with(" passed, 1 failed\n"),
        "{}",
        out.stdout
    );
}

#[test]
fn rules_test_on_a_broken_rule_file_exits_2() {
    let dir = rules_copy();
    edit(
        &dir.path().join("antivirus.toml"),
        "severity = \"error\"",
        "severity = \"fatal\"",
    );
    let out = run(&["rules", "test", dir.path().to_str().unwrap()]);
    assert_eq!(out.code, 2, "{}{}", out.stdout, out.stderr);
    assert!(out.stdout.is_empty());
    assert!(out.stderr.contains("antivirus.toml"), "{}", out.stderr);
    let out = run(&["rules", "test", "no/such/folder"]);
    assert_eq!(out.code, 2);
}
