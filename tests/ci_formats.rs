//! The CI-gate formats of `rurume check`: `--format sarif`, `--format github` and
//! `--format junit`. SARIF is validated against the OASIS SARIF 2.1.0 schema and JUnit
//! against the Jenkins/Ant junit-10.xsd, both vendored in `tests/schemas/` (see its README).

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::process::Command;

mod common;
use common::{AS_OF, rurume};

use serde_json::{Value, json};

const ALL: &[&str] = &["samples", "tests/fixtures/bad", "tests/fixtures/privacy"];

/// `rurume check --format FORMAT --lang LANG --as-of … PATHS`: exit code and stdout.
fn check<S: AsRef<std::ffi::OsStr>>(format: &str, lang: &str, paths: &[S]) -> (i32, String) {
    let out = rurume()
        .args([
            "check", "--format", format, "--lang", lang, "--as-of", AS_OF,
        ])
        .args(paths)
        .output()
        .unwrap();
    assert!(
        out.stderr.is_empty(),
        "stderr: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    (
        out.status.code().unwrap(),
        String::from_utf8(out.stdout).expect("output is UTF-8"),
    )
}

fn parse(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("{e}: {text}"))
}

fn sarif<S: AsRef<std::ffi::OsStr>>(lang: &str, paths: &[S]) -> Value {
    parse(&check("sarif", lang, paths).1)
}

fn json_doc<S: AsRef<std::ffi::OsStr>>(lang: &str, paths: &[S]) -> Value {
    parse(&check("json", lang, paths).1)
}

fn results(doc: &Value) -> &Vec<Value> {
    doc["runs"][0]["results"].as_array().unwrap()
}

fn rules_of(doc: &Value) -> &Vec<Value> {
    doc["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .unwrap()
}

/// The ids of the default profile's rules: the project's `rules/rurume/*.toml`.
fn builtin_rule_ids() -> BTreeSet<String> {
    std::fs::read_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("rules/rurume"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .map(|p| p.file_stem().unwrap().to_string_lossy().into_owned())
        .collect()
}

// ---------------------------------------------------------------------------------------
// SARIF

#[test]
fn sarif_validates_against_the_oasis_schema() {
    let schema = parse(include_str!("schemas/sarif-schema-2.1.0.json"));
    let validator = jsonschema::options()
        .should_validate_formats(true)
        .build(&schema)
        .expect("the SARIF schema compiles");
    for lang in ["en", "ja"] {
        let doc = sarif(lang, ALL);
        let errors: Vec<String> = validator
            .iter_errors(&doc)
            .map(|e| format!("{} at {}", e, e.instance_path()))
            .collect();
        assert!(errors.is_empty(), "{lang}: {errors:#?}");
        assert_eq!(doc["version"], "2.1.0");
        assert_eq!(
            doc["$schema"], schema["id"],
            "$schema names the vendored schema"
        );
        assert!(!results(&doc).is_empty());
    }
    // No finding at all is a valid log too.
    let dir = tempfile::tempdir().unwrap();
    let doc = sarif("en", &[dir.path()]);
    assert!(validator.is_valid(&doc));
    assert_eq!(results(&doc).len(), 0);

    // An absolute path with a space, a comma, a percent sign and Japanese: a `file:` URI,
    // percent-encoded.
    let path = dir.path().join("台帳 50%,x.json");
    std::fs::write(&path, "{").unwrap();
    let doc = sarif("en", &[&path]);
    assert!(validator.is_valid(&doc), "{doc}");
    let artifact = &results(&doc)[0]["locations"][0]["physicalLocation"]["artifactLocation"];
    let uri = artifact["uri"].as_str().unwrap();
    assert!(uri.starts_with("file:///"), "{uri}");
    assert!(uri.ends_with("/%E5%8F%B0%E5%B8%B3%2050%25,x.json"), "{uri}");
    assert!(artifact.get("uriBaseId").is_none());
}

#[test]
fn sarif_describes_every_rule_and_each_result_points_at_its_rule() {
    for lang in ["en", "ja"] {
        let doc = sarif(lang, ALL);
        let driver = &doc["runs"][0]["tool"]["driver"];
        assert_eq!(driver["name"], "rurume");
        assert_eq!(driver["version"], env!("CARGO_PKG_VERSION"));
        assert_eq!(driver["informationUri"], "https://rurume.example/");

        let rules = rules_of(&doc);
        let ids: Vec<&str> = rules.iter().map(|r| r["id"].as_str().unwrap()).collect();
        let mut expected = builtin_rule_ids();
        expected.insert("inventory-syntax".into());
        expected.insert("inventory-schema".into());
        assert_eq!(
            ids.iter().map(|s| s.to_string()).collect::<BTreeSet<_>>(),
            expected
        );
        assert_eq!(ids.len(), expected.len(), "no rule described twice");

        for rule in rules {
            let id = rule["id"].as_str().unwrap();
            for field in ["shortDescription", "fullDescription"] {
                let text = rule[field]["text"].as_str().unwrap();
                assert!(!text.trim().is_empty(), "{id}: empty {field}");
                assert!(text.chars().count() <= 1024, "{id}: {field} too long");
            }
            let name = rule["name"].as_str().unwrap();
            assert!(
                name.chars().next().unwrap().is_ascii_uppercase() && !name.contains('-'),
                "{id}: name {name} is not PascalCase"
            );
            let level = rule["defaultConfiguration"]["level"].as_str().unwrap();
            assert!(["error", "warning"].contains(&level));
            let url = format!("https://rurume.example/rules/{id}");
            assert_eq!(rule["helpUri"], url.as_str());
            let markdown = rule["help"]["markdown"].as_str().unwrap();
            let text = rule["help"]["text"].as_str().unwrap();
            assert!(
                markdown.contains(&url) && text.contains(&url),
                "{id}: no link"
            );
            let article = rule["properties"]["article"].as_str().unwrap();
            if article != "—" {
                assert!(markdown.contains(article) && text.contains(article), "{id}");
                let policy = rule["properties"]["policy"].as_str().unwrap();
                assert!(markdown.contains(policy.lines().next().unwrap()), "{id}");
                assert!(text.contains(policy), "{id}: policy not quoted");
                assert!(
                    rule["properties"]["security-severity"].is_string(),
                    "{id}: security-severity must be a string"
                );
            }
            let fix_label = if lang == "ja" { "直し方" } else { "Fix" };
            assert!(
                markdown.contains(fix_label) && text.contains(fix_label),
                "{id}"
            );
        }

        let findings = json_doc(lang, ALL);
        let findings = findings["findings"].as_array().unwrap();
        let results = results(&doc);
        assert_eq!(results.len(), findings.len());
        for (r, f) in results.iter().zip(findings) {
            let index = r["ruleIndex"].as_u64().unwrap() as usize;
            assert_eq!(rules[index]["id"], r["ruleId"], "ruleIndex of {r}");
            assert_eq!(r["ruleId"], f["rule"]);
            assert_eq!(r["level"], f["severity"]);
            assert_eq!(r["message"]["text"], f["message"], "the message in {lang}");
            let loc = &r["locations"][0];
            let uri = loc["physicalLocation"]["artifactLocation"]["uri"]
                .as_str()
                .unwrap();
            assert_eq!(uri, f["file"].as_str().unwrap());
            assert_eq!(
                loc["physicalLocation"]["artifactLocation"]["uriBaseId"],
                "%SRCROOT%"
            );
            assert_eq!(
                loc["logicalLocations"][0]["fullyQualifiedName"],
                f["pointer"]
            );
            assert_eq!(loc["physicalLocation"]["region"]["startLine"], f["line"]);
        }
    }
}

#[test]
fn sarif_regions_start_at_one_or_later_and_end_after_they_start() {
    let doc = sarif("en", ALL);
    for r in results(&doc) {
        let region = &r["locations"][0]["physicalLocation"]["region"];
        let n = |k: &str| region[k].as_u64().unwrap_or_else(|| panic!("{k} in {r}"));
        assert!(n("startLine") >= 1 && n("startColumn") >= 1, "{r}");
        assert!(n("endLine") >= n("startLine"), "{r}");
        if n("endLine") == n("startLine") {
            assert!(n("endColumn") >= n("startColumn"), "{r}");
        }
    }
    // A whole-file finding in an empty file still has a real region.
    let doc = sarif("en", &["tests/fixtures/bad/empty.json"]);
    let r = &results(&doc)[0];
    assert_eq!(r["ruleId"], "inventory-syntax");
    assert_eq!(
        r["locations"][0]["physicalLocation"]["region"],
        json!({ "startLine": 1, "startColumn": 1, "endLine": 1, "endColumn": 1 })
    );
}

/// A one-line inventory whose values follow Japanese text, including a character outside
/// the Basic Multilingual Plane (𠮷, two UTF-16 code units): SARIF columns count UTF-16
/// code units from the start of the line, `--format json` columns count characters.
#[test]
fn sarif_columns_count_utf16_code_units() {
    let mut inv = parse(include_str!("../samples/F0001-midori-houmon-kango.json"));
    inv["$schema"] = json!("../schemas/inventory.schema.json");
    inv["facility"]["name"] = json!("𠮷野 訪問看護ステーション");
    inv["accounts"][0]["name"] = json!("𠮷田 美咲");
    inv["accounts"][0]["password"]["length"] = json!(5);
    let text = serde_json::to_string(&inv).unwrap();
    assert!(!text.contains('\n'));
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("one-line.json");
    std::fs::write(&path, &text).unwrap();

    let doc = sarif("ja", &[&path]);
    let found = json_doc("ja", &[&path]);
    let findings = found["findings"].as_array().unwrap();
    let results = results(&doc);
    assert!(!results.is_empty());
    let mut differs = false;
    for (r, f) in results.iter().zip(findings) {
        let region = &r["locations"][0]["physicalLocation"]["region"];
        let pointer = f["pointer"].as_str().unwrap();
        let value = inv.pointer(pointer).unwrap();
        let start = region["startColumn"].as_u64().unwrap() as usize;
        let end = region["endColumn"].as_u64().unwrap() as usize;
        assert_eq!(region["startLine"], 1);
        assert_eq!(region["endLine"], 1);
        // Counting UTF-16 code units on the line lands exactly on the value's text.
        let units: Vec<u16> = text.encode_utf16().collect();
        let slice = String::from_utf16(&units[start - 1..end - 1]).unwrap();
        assert_eq!(parse(&slice), *value, "{pointer}: {slice}");
        // And the character column of `--format json` is the same place.
        let chars = f["column"].as_u64().unwrap() as usize;
        let prefix: String = text.chars().take(chars - 1).collect();
        assert_eq!(prefix.encode_utf16().count() + 1, start, "{pointer}");
        differs |= chars != start;
    }
    assert!(differs, "the test needs a value after 𠮷 on its line");
}

#[test]
fn waived_findings_carry_a_suppression_with_the_exception() {
    for (lang, reason) in [
        ("en", "for communication in a disaster (disaster)"),
        ("ja", "災害時の連絡・情報共有のため（disaster）"),
    ] {
        let doc = sarif(lang, &["samples"]);
        let found = json_doc(lang, &["samples"]);
        let findings = found["findings"].as_array().unwrap();
        let mut waived = 0;
        for (r, f) in results(&doc).iter().zip(findings) {
            let suppressions = r.get("suppressions");
            if f["waived"] == true {
                waived += 1;
                let s = &suppressions.expect("a suppression")[0];
                assert_eq!(s["kind"], "external");
                assert_eq!(s["status"], "accepted");
                let why = s["justification"].as_str().unwrap();
                assert!(why.contains("/exceptions/0"), "{why}");
                assert!(why.contains(reason), "{why}");
                assert!(why.contains("2026-12-31") && why.contains("a1"), "{why}");
                assert!(why.contains("11月の大雨で店舗が浸水"), "the note: {why}");
                assert_eq!(
                    s["location"]["logicalLocations"][0]["fullyQualifiedName"],
                    "/exceptions/0"
                );
                assert_eq!(
                    s["location"]["physicalLocation"]["region"]["startLine"],
                    223
                );
            } else {
                assert!(suppressions.is_none(), "{r}");
            }
        }
        assert_eq!(waived, 1);
        assert_eq!(found["summary"]["waived"], 1);
    }
}

fn fingerprints(doc: &Value) -> Vec<(String, String)> {
    results(doc)
        .iter()
        .map(|r| {
            let fp = &r["partialFingerprints"];
            assert!(fp["primaryLocationLineHash"].is_string());
            (
                r["ruleId"].as_str().unwrap().to_owned(),
                fp["rurume/v1"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

#[test]
fn fingerprints_survive_unrelated_edits() {
    let original = include_str!("../samples/F0002-higashi-clinic.json");
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("F0002.json");
    std::fs::write(&path, original).unwrap();
    let before = sarif("en", &[&path]);
    let mut expected = fingerprints(&before);
    assert!(expected.len() > 10);
    let unique: BTreeSet<_> = expected.iter().map(|(_, h)| h).collect();
    assert_eq!(unique.len(), expected.len(), "fingerprints are unique");

    // A line inserted above everything: every finding moves down, no fingerprint changes.
    let edited = original.replacen("{\n", "{\n\n", 1);
    std::fs::write(&path, &edited).unwrap();
    let after = sarif("en", &[&path]);
    assert_eq!(fingerprints(&after), expected);
    for (a, b) in results(&before).iter().zip(results(&after)) {
        let line = |r: &Value| {
            r["locations"][0]["physicalLocation"]["region"]["startLine"]
                .as_u64()
                .unwrap()
        };
        assert_eq!(line(b), line(a) + 1);
    }

    // A retired device inserted before the others, and the file laid out anew: the
    // devices' indices all change, the findings' identities do not.
    let mut inv = parse(original);
    let devices = inv["devices"].as_array_mut().unwrap();
    let mut retired = devices
        .iter()
        .find(|d| d["status"] == "retired")
        .expect("the sample has a retired device")
        .clone();
    retired["id"] = json!("d0");
    devices.insert(0, retired);
    std::fs::write(&path, serde_json::to_string_pretty(&inv).unwrap()).unwrap();
    let moved = sarif("en", &[&path]);
    let pointers: Vec<&str> = results(&moved)
        .iter()
        .map(|r| r["properties"]["pointer"].as_str().unwrap())
        .collect();
    assert!(pointers.contains(&"/devices/1/screen_lock"), "{pointers:?}");
    let mut got = fingerprints(&moved);
    got.sort();
    expected.sort();
    assert_eq!(got, expected);
}

// ---------------------------------------------------------------------------------------
// GitHub workflow commands

fn annotation_lines(text: &str) -> Vec<&str> {
    assert!(text.ends_with('\n'));
    let lines: Vec<&str> = text.lines().collect();
    for line in &lines {
        assert!(line.starts_with("::"), "not a workflow command: {line}");
    }
    lines
}

#[test]
fn github_annotations_are_capped_at_ten_errors_and_ten_warnings_with_a_summary() {
    for lang in ["en", "ja"] {
        let (code, text) = check("github", lang, &["samples"]);
        assert_eq!(code, 1);
        let lines = annotation_lines(&text);
        let found = json_doc(lang, &["samples"]);
        let findings = found["findings"].as_array().unwrap();
        let summary = &found["summary"];
        let errors = summary["errors"].as_u64().unwrap() as usize;
        let warnings = summary["warnings"].as_u64().unwrap() as usize;
        assert!(errors > 10, "the samples have more than 10 errors");

        let of = |prefix: &str| lines.iter().filter(|l| l.starts_with(prefix)).count();
        assert_eq!(of("::error "), 10);
        assert_eq!(of("::warning "), warnings.min(10));
        assert!(of("::notice ") <= 10);

        // Errors first, then warnings, each in report order: the first ten of each.
        let expected: Vec<String> = ["error", "warning"]
            .iter()
            .flat_map(|sev| {
                findings
                    .iter()
                    .filter(move |f| f["severity"] == *sev && f["waived"] == false)
                    .take(10)
                    .map(move |f| {
                        format!(
                            "::{sev} file={},line={},col={},",
                            f["file"].as_str().unwrap(),
                            f["line"],
                            f["column"]
                        )
                    })
            })
            .collect();
        let got: Vec<String> = lines[..expected.len()]
            .iter()
            .map(|l| l.split("endLine").next().unwrap().to_owned())
            .collect();
        assert_eq!(got, expected);

        // The waived finding is a notice.
        let waived = lines
            .iter()
            .find(|l| l.starts_with("::notice file="))
            .expect("the waived finding");
        assert!(waived.contains("/exceptions/0"), "{waived}");

        // The last line says how many are not shown and where to see them.
        let last = lines.last().unwrap();
        assert!(last.starts_with("::notice title=rurume::"), "{last}");
        let hidden = (errors - 10).to_string();
        assert!(last.contains(&hidden), "{last}");
        assert!(
            last.contains("--format sarif") && last.contains("--format json"),
            "{last}"
        );
        assert_eq!(lines.len(), 10 + warnings.min(10) + 1 + 1);
    }
}

#[test]
fn github_annotations_carry_place_rule_message_and_fix() {
    let (code, text) = check("github", "en", &["samples/F0004-kita-care-plan.json"]);
    assert_eq!(code, 1);
    let lines = annotation_lines(&text);
    assert_eq!(lines.len(), 2, "no summary when nothing is left out");
    assert!(
        lines[0].starts_with(
            "::error file=samples/F0004-kita-care-plan.json,line=195,col=5,endLine=224,endColumn=6,title=remote-wipe (第9条)::device d3 has no service"
        ),
        "{}",
        lines[0]
    );
    assert!(lines[0].contains(" — fix: Set up at least one of these for device d3"));
    assert!(lines[1].starts_with("::warning "), "{}", lines[1]);

    let (code, text) = check("github", "en", &["samples/F0001-midori-houmon-kango.json"]);
    assert_eq!((code, text.as_str()), (0, ""));
}

#[test]
fn github_escapes_properties_and_messages() {
    use rurume::output::github::{escape_data, escape_property};
    assert_eq!(escape_data("100% ok,: a\r\nb"), "100%25 ok,: a%0D%0Ab");
    assert_eq!(
        escape_property("100% ok,: a\r\nb"),
        "100%25 ok%2C%3A a%0D%0Ab"
    );

    // End to end: a file name with a comma, a colon and a percent sign, and a message with
    // a line break, a comma, a colon and a percent sign (a duplicate key that has them).
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("台帳,50%:x.json");
    std::fs::write(&path, "{\"a\\nb,c:d%\": 1, \"a\\nb,c:d%\": 2}").unwrap();
    let (code, text) = check("github", "en", &[&path]);
    assert_eq!(code, 1);
    let lines = annotation_lines(&text);
    assert_eq!(lines.len(), 1, "{text}");
    let line = lines[0];
    assert!(line.starts_with("::error file="), "{line}");
    assert!(line.contains("台帳%2C50%25%3Ax.json,line=1,col="), "{line}");
    assert!(line.contains(",title=inventory-syntax::"), "{line}");
    let data = line.split_once(",title=inventory-syntax::").unwrap().1;
    assert!(data.contains("duplicate key `a%0Ab,c:d%25`"), "{data}");
    assert!(!data.contains("%3A") && !data.contains("%2C"), "{data}");
}

// ---------------------------------------------------------------------------------------
// JUnit

/// Runs xmllint; a missing xmllint fails the test (CI must install it).
fn xmllint(args: &[&str]) -> std::process::Output {
    match Command::new("xmllint").args(args).output() {
        Ok(out) => out,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => panic!(
            "xmllint is missing: install libxml2-utils (apt-get install -y libxml2-utils) to validate the JUnit output"
        ),
        Err(e) => panic!("cannot run xmllint: {e}"),
    }
}

fn xpath(file: &Path, expr: &str) -> String {
    let out = xmllint(&["--xpath", expr, file.to_str().unwrap()]);
    assert!(
        out.status.success(),
        "{expr}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap().trim().to_owned()
}

#[test]
fn junit_validates_against_the_xsd_and_counts_match_the_json() {
    let schema = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/schemas/junit-10.xsd");
    let rules = builtin_rule_ids().len() + 2;
    let place = regex::Regex::new(r"\(\d+:\d+\): ").unwrap();
    for lang in ["en", "ja"] {
        let (code, xml) = check("junit", lang, ALL);
        assert_eq!(code, 1);
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("junit.xml");
        std::fs::write(&file, &xml).unwrap();
        let out = xmllint(&[
            "--noout",
            "--schema",
            schema.to_str().unwrap(),
            file.to_str().unwrap(),
        ]);
        assert!(
            out.status.success(),
            "{lang}: {}\n{xml}",
            String::from_utf8_lossy(&out.stderr)
        );

        let found = json_doc(lang, ALL);
        let summary = &found["summary"];
        let files = summary["files"].as_u64().unwrap() as usize;
        let mut failing = BTreeSet::new();
        let mut waived_only: BTreeMap<(String, String), bool> = BTreeMap::new();
        for f in found["findings"].as_array().unwrap() {
            let key = (
                f["file"].as_str().unwrap().to_owned(),
                f["rule"].as_str().unwrap().to_owned(),
            );
            if f["waived"] == false {
                failing.insert(key.clone());
                waived_only.insert(key, false);
            } else {
                waived_only.entry(key).or_insert(true);
            }
        }
        let waived_only = waived_only.values().filter(|w| **w).count();

        assert_eq!(
            xpath(&file, "count(/testsuites/testsuite)"),
            files.to_string()
        );
        assert_eq!(
            xpath(&file, "count(//testcase)"),
            (files * rules).to_string()
        );
        assert_eq!(
            xpath(&file, "string(/testsuites/@tests)"),
            (files * rules).to_string()
        );
        assert_eq!(
            xpath(&file, "count(//testcase[failure])"),
            failing.len().to_string()
        );
        assert_eq!(
            xpath(&file, "string(/testsuites/@failures)"),
            failing.len().to_string()
        );
        assert_eq!(
            xpath(&file, "sum(//testsuite/@failures)"),
            failing.len().to_string()
        );
        assert_eq!(
            xpath(&file, "count(//testcase[skipped and system-out])"),
            waived_only.to_string()
        );
        for (name, key) in [
            ("findings.errors", "errors"),
            ("findings.warnings", "warnings"),
            ("findings.waived", "waived"),
        ] {
            assert_eq!(
                xpath(&file, &format!("sum(//property[@name='{name}']/@value)")),
                summary[key].to_string(),
                "{name}"
            );
        }
        // Each failing (file, rule) is that test case, and one failure lists every finding.
        for (path, rule) in &failing {
            let case = format!("//testsuite[@name='{path}']/testcase[@name='{rule}']");
            assert_eq!(
                xpath(&file, &format!("count({case}/failure)")),
                "1",
                "{case}"
            );
        }
        // Every finding is listed once, with its place: in a failure, or (waived) in the
        // test case's output.
        assert_eq!(
            place.find_iter(&xml).count(),
            found["findings"].as_array().unwrap().len()
        );
    }
}

#[test]
fn junit_failure_lists_each_finding_with_place_and_fix() {
    let (_, xml) = check("junit", "en", &["samples/F0002-higashi-clinic.json"]);
    let start = xml
        .find("name=\"file-sharing-app\">")
        .expect("a failing file-sharing-app case");
    let case = &xml[start..start + xml[start..].find("</testcase>").unwrap()];
    assert!(
        case.contains("<failure type=\"error\" message=\"2 findings: device d6 has the file-sharing program &quot;Winny&quot; installed\">"),
        "{case}"
    );
    assert!(case.contains("/devices/5/apps/2 (549:9): device d6 has the file-sharing program &quot;Winny&quot; installed\n  fix: "), "{case}");
    assert!(case.contains("/devices/5/apps/3 (550:9): "), "{case}");
    // Rules the file passes are passing test cases.
    assert!(xml.contains(
        "<testcase classname=\"samples/F0002-higashi-clinic.json\" name=\"admin-missing\"/>"
    ));
    // A file that is not JSON: its rules are skipped, not passed.
    let (_, xml) = check("junit", "en", &["tests/fixtures/bad/empty.json"]);
    assert_eq!(
        xml.matches("<skipped message=\"not evaluated: the file is not valid JSON\"/>")
            .count(),
        builtin_rule_ids().len() + 1
    );
}

// ---------------------------------------------------------------------------------------
// All three

#[test]
fn outputs_are_byte_identical_across_runs_and_argument_orders() {
    let reversed: Vec<&str> = ALL.iter().rev().copied().collect();
    for format in ["sarif", "github", "junit"] {
        for lang in ["en", "ja"] {
            let (code, first) = check(format, lang, ALL);
            assert_eq!(code, 1);
            let (_, second) = check(format, lang, ALL);
            let (_, third) = check(format, lang, &reversed);
            assert!(first == second, "{format} {lang}: two runs differ");
            assert!(first == third, "{format} {lang}: argument order matters");
            assert!(first.ends_with('\n'));
        }
    }
}

#[test]
fn no_password_or_part_of_one_in_any_ci_format() {
    for format in ["sarif", "github", "junit"] {
        for lang in ["en", "ja"] {
            let out = rurume()
                .args([
                    "check", "--as-of", AS_OF, "--format", format, "--lang", lang,
                ])
                .arg("tests/fixtures/privacy")
                .output()
                .unwrap();
            assert_eq!(out.status.code(), Some(1), "{format} {lang}");
            for (stream, bytes) in [("stdout", &out.stdout), ("stderr", &out.stderr)] {
                let shown = common::leaks(bytes, common::PLANTED_PASSWORDS);
                assert_eq!(
                    shown,
                    Vec::<String>::new(),
                    "{format} {lang} {stream} shows parts of a password"
                );
            }
        }
    }
}
