//! End-to-end tests of `rurume audit`: the matrix agrees with `rurume check`, each format
//! keeps its promises (CSV for Excel, the JSON shape, a self-contained escaped HTML file, a
//! table that fits), exit codes, determinism, both languages, and privacy.

use std::collections::BTreeMap;
use std::path::Path;

mod common;
use common::{AS_OF, rurume};

use serde_json::Value;
use unicode_width::UnicodeWidthStr;

const FORMATS: [&str; 4] = ["table", "json", "csv", "html"];

/// `rurume audit --as-of AS_OF --format FORMAT --lang LANG ARGS...`: exit code and stdout.
fn audit(format: &str, lang: &str, args: &[&str]) -> (i32, String) {
    let out = rurume()
        .args([
            "audit", "--as-of", AS_OF, "--format", format, "--lang", lang,
        ])
        .args(args)
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).expect("UTF-8 output");
    assert!(
        out.stderr.is_empty() || out.status.code() != Some(2),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.code().unwrap(), text)
}

fn audit_json(args: &[&str]) -> Value {
    let (_, text) = audit("json", "en", args);
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}: {text}"))
}

fn check_json(args: &[&str]) -> Value {
    let out = rurume()
        .args(["check", "--as-of", AS_OF, "--format", "json"])
        .args(args)
        .output()
        .unwrap();
    serde_json::from_slice(&out.stdout).unwrap()
}

/// Unwaived findings per (file, rule), and (errors, warnings, waived) per file, from `check`.
type PerFile = BTreeMap<String, (usize, usize, usize)>;

fn check_counts(doc: &Value) -> (BTreeMap<(String, String), usize>, PerFile) {
    let mut cells = BTreeMap::new();
    let mut files: PerFile = BTreeMap::new();
    for f in doc["findings"].as_array().unwrap() {
        let file = f["file"].as_str().unwrap().to_owned();
        let e = files.entry(file.clone()).or_default();
        if f["waived"].as_bool().unwrap() {
            e.2 += 1;
            continue;
        }
        match f["severity"].as_str().unwrap() {
            "error" => e.0 += 1,
            _ => e.1 += 1,
        }
        *cells
            .entry((file, f["rule"].as_str().unwrap().to_owned()))
            .or_default() += 1;
    }
    (cells, files)
}

fn rule_ids(doc: &Value) -> Vec<String> {
    doc["rules"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap().to_owned())
        .collect()
}

fn n(v: &Value) -> usize {
    v.as_u64().unwrap_or_else(|| panic!("not a count: {v}")) as usize
}

/// The samples, one of them copied with its facility renamed and re-coded: files for the
/// escaping and quoting tests. Returns the folder.
fn renamed_sample(name: &str, id: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let text =
        std::fs::read_to_string(root.join("samples/F0001-midori-houmon-kango.json")).unwrap();
    let mut doc: Value = serde_json::from_str(&text).unwrap();
    doc["facility"]["name"] = Value::String(name.to_owned());
    doc["facility"]["id"] = Value::String(id.to_owned());
    doc.as_object_mut().unwrap().remove("$schema");
    std::fs::write(
        dir.path().join("renamed.json"),
        serde_json::to_string_pretty(&doc).unwrap(),
    )
    .unwrap();
    dir
}

#[test]
fn matrix_counts_equal_unwaived_findings_of_check() {
    for paths in [
        &["samples"][..],
        &["samples", "tests/fixtures/bad"][..],
        &["samples/F0005-asahi-hospital.json"][..],
    ] {
        let matrix = audit_json(paths);
        let (cells, files) = check_counts(&check_json(paths));
        let ids = rule_ids(&matrix);
        let facilities = matrix["facilities"].as_array().unwrap();
        let mut rule_totals: BTreeMap<&str, usize> = BTreeMap::new();
        let mut checked_files = 0;
        for f in facilities {
            let file = f["file"].as_str().unwrap();
            let counts = f["counts"].as_object().unwrap();
            let mut keys: Vec<&String> = counts.keys().collect();
            let mut sorted_ids: Vec<&String> = ids.iter().collect();
            keys.sort();
            sorted_ids.sort();
            assert_eq!(keys, sorted_ids, "every rule has a count");
            for (rule, count) in counts {
                let expected = cells
                    .get(&(file.to_owned(), rule.clone()))
                    .copied()
                    .unwrap_or(0);
                assert_eq!(n(count), expected, "{paths:?}: {file} {rule}");
                *rule_totals.entry(rule).or_default() += n(count);
            }
            let (errors, warnings, waived) = files.get(file).copied().unwrap_or_default();
            assert_eq!(n(&f["errors"]), errors, "{file}");
            assert_eq!(n(&f["warnings"]), warnings, "{file}");
            assert_eq!(n(&f["waived"]), waived, "{file}");
            assert_eq!(f["compliant"].as_bool().unwrap(), errors == 0, "{file}");
            checked_files += 1;
        }
        assert!(
            files
                .keys()
                .all(|f| facilities.iter().any(|x| x["file"] == **f))
        );
        // Every finding of check is in some cell.
        for (file, rule) in cells.keys() {
            assert!(ids.contains(rule), "{file}: {rule} has a column");
        }
        for rule in matrix["rules"].as_array().unwrap() {
            let id = rule["id"].as_str().unwrap();
            assert_eq!(n(&rule["findings"]), rule_totals[id], "{paths:?}: {id}");
            assert_eq!(n(&matrix["totals"]["counts"][id]), rule_totals[id], "{id}");
        }
        let summary = &check_json(paths)["summary"];
        let totals = &matrix["totals"];
        assert_eq!(n(&totals["facilities"]), checked_files);
        assert_eq!(totals["facilities"], summary["files"]);
        assert_eq!(totals["errors"], summary["errors"]);
        assert_eq!(totals["warnings"], summary["warnings"]);
        assert_eq!(totals["waived"], summary["waived"]);
    }
}

#[test]
fn json_counts_follow_the_rule_order() {
    let (_, text) = audit("json", "en", &["samples"]);
    let ids = rule_ids(&serde_json::from_str(&text).unwrap());
    let start = text.find("\"counts\": {").unwrap();
    let end = start + text[start..].find('}').unwrap();
    let keys: Vec<&str> = text[start..end]
        .lines()
        .skip(1)
        .filter(|l| !l.trim().is_empty())
        .map(|l| l.trim().split('"').nth(1).unwrap())
        .collect();
    assert_eq!(keys, ids);
}

#[test]
fn samples_matrix_is_the_documented_one() {
    let m = audit_json(&["samples"]);
    let ids = rule_ids(&m);
    assert_eq!(ids.len(), 29, "27 policy rules and the 2 format rules");
    assert_eq!(&ids[..2], ["inventory-syntax", "inventory-schema"]);
    let facilities = m["facilities"].as_array().unwrap();
    let codes: Vec<&str> = facilities
        .iter()
        .map(|f| f["id"].as_str().unwrap())
        .collect();
    assert_eq!(
        codes,
        [
            "F0001", "F0002", "F0003", "F0004", "F0005", "F0006", "F0007"
        ]
    );
    let by_id = |id: &str| facilities.iter().find(|f| f["id"] == id).unwrap();
    assert_eq!(by_id("F0002")["errors"], 21);
    assert_eq!(by_id("F0002")["warnings"], 5);
    assert_eq!(by_id("F0002")["name"], "ひがし内科クリニック");
    assert_eq!(by_id("F0002")["kind"], "clinic");
    assert_eq!(by_id("F0003")["waived"], 1);
    assert_eq!(by_id("F0003")["compliant"], true);
    assert_eq!(
        by_id("F0003")["counts"]["antivirus"],
        0,
        "waived is not counted"
    );
    assert_eq!(by_id("F0005")["counts"]["account-shared"], 1);
    assert_eq!(by_id("F0007")["counts"]["inventory-schema"], 1);
    // F0007 breaks the schema: the policy rules did not run on it, the secret scan did.
    let skipped: Vec<&str> = by_id("F0007")["not_evaluated"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    assert!(skipped.contains(&"screen-lock"));
    assert!(!skipped.contains(&"plaintext-password"));
    assert!(!skipped.contains(&"inventory-schema"));
    assert_eq!(m["totals"]["compliant"], 2, "F0001 and F0003");
    assert_eq!(m["compliance_rate"], 0.2857);
    let rule = |id: &str| {
        m["rules"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["id"] == id)
            .unwrap()
    };
    assert_eq!(rule("screen-lock")["facilities_evaluated"], 6);
    assert_eq!(rule("screen-lock")["facilities_clean"], 5);
    assert_eq!(rule("screen-lock")["compliance_rate"], 0.8333);
    assert_eq!(rule("inventory-schema")["facilities_evaluated"], 7);
    assert_eq!(rule("antivirus")["waived"], 1);
    assert_eq!(rule("account-shared")["facilities_failing"], 3);
}

#[test]
fn json_has_the_documented_shape() {
    let m = audit_json(&["samples", "tests/fixtures/bad"]);
    let keys = |v: &Value| v.as_object().unwrap().keys().cloned().collect::<Vec<_>>();
    let mut top = keys(&m);
    top.sort();
    assert_eq!(
        top,
        [
            "as_of",
            "compliance_rate",
            "facilities",
            "rules",
            "superseded",
            "totals",
            "version"
        ]
    );
    assert_eq!(m["version"], 1);
    assert_eq!(m["as_of"], AS_OF);
    for rule in m["rules"].as_array().unwrap() {
        let mut k = keys(rule);
        k.sort();
        assert_eq!(
            k,
            [
                "compliance_rate",
                "facilities_clean",
                "facilities_evaluated",
                "facilities_failing",
                "findings",
                "id",
                "severity",
                "short",
                "source",
                "title",
                "waived"
            ]
        );
        assert!(["error", "warning"].contains(&rule["severity"].as_str().unwrap()));
        assert!(!rule["title"].as_str().unwrap().is_empty());
        let (clean, evaluated) = (
            n(&rule["facilities_clean"]),
            n(&rule["facilities_evaluated"]),
        );
        let expected = (clean as f64 / evaluated as f64 * 10_000.0).round() / 10_000.0;
        assert_eq!(rule["compliance_rate"].as_f64().unwrap(), expected);
    }
    let facilities = m["facilities"].as_array().unwrap();
    for f in facilities {
        let mut k = keys(f);
        k.sort();
        assert_eq!(
            k,
            [
                "accounts",
                "compliant",
                "counts",
                "devices",
                "errors",
                "file",
                "id",
                "kind",
                "name",
                "not_evaluated",
                "submitted",
                "waived",
                "warnings"
            ]
        );
    }
    // Files whose facility id cannot be read come last, by path, with null id and name.
    let ids: Vec<Option<&str>> = facilities.iter().map(|f| f["id"].as_str()).collect();
    let first_null = ids.iter().position(Option::is_none).unwrap();
    assert!(ids[first_null..].iter().all(Option::is_none));
    let mut known: Vec<_> = ids[..first_null].to_vec();
    let sorted = {
        known.sort();
        known.clone()
    };
    assert_eq!(ids[..first_null], sorted[..]);
    let broken = facilities
        .iter()
        .find(|f| f["file"].as_str().unwrap().ends_with("trailing-comma.json"))
        .unwrap();
    assert_eq!(broken["id"], Value::Null);
    assert_eq!(broken["name"], Value::Null);
    assert_eq!(broken["counts"]["inventory-syntax"], 1);
    assert_eq!(broken["compliant"], false);
    let skipped = broken["not_evaluated"].as_array().unwrap();
    assert_eq!(
        skipped.len(),
        rule_ids(&m).len() - 1,
        "all but inventory-syntax"
    );
    let t = &m["totals"];
    assert_eq!(
        m["compliance_rate"].as_f64().unwrap(),
        (n(&t["compliant"]) as f64 / n(&t["facilities"]) as f64 * 10_000.0).round() / 10_000.0
    );
}

/// RFC 4180 records of a CSV text (after the BOM).
fn parse_csv(text: &str) -> Vec<Vec<String>> {
    let mut records = Vec::new();
    let mut record = Vec::new();
    let mut field = String::new();
    let mut chars = text.chars().peekable();
    let mut quoted = false;
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                chars.next();
                field.push('"');
            }
            (true, '"') => quoted = false,
            (true, c) => field.push(c),
            (false, '"') if field.is_empty() => quoted = true,
            (false, ',') => record.push(std::mem::take(&mut field)),
            (false, '\r') => {
                assert_eq!(chars.next(), Some('\n'), "CR only before LF");
                record.push(std::mem::take(&mut field));
                records.push(std::mem::take(&mut record));
            }
            (false, '\n') => panic!("bare LF outside quotes"),
            (false, c) => field.push(c),
        }
    }
    assert!(
        field.is_empty() && record.is_empty(),
        "the last line ends with CRLF"
    );
    records
}

#[test]
fn csv_opens_in_excel_and_parses_back_into_the_same_numbers() {
    for lang in ["ja", "en"] {
        let (code, text) = audit("csv", lang, &["samples", "tests/fixtures/bad"]);
        assert_eq!(code, 1);
        let body = text.strip_prefix('\u{feff}').expect("UTF-8 BOM first");
        assert_eq!(
            body.matches('\n').count(),
            body.matches("\r\n").count(),
            "CRLF line ends"
        );
        let m = audit_json(&["samples", "tests/fixtures/bad"]);
        let ids = rule_ids(&m);
        let records = parse_csv(body);
        let header = &records[0];
        assert!(
            records.iter().all(|r| r.len() == header.len()),
            "rectangular"
        );
        assert_eq!(
            header[7..7 + ids.len()],
            ids[..],
            "rule ids after 7 columns"
        );
        let expected_head = match lang {
            "ja" => [
                "事業所コード",
                "事業所名",
                "種別",
                "ファイル",
                "提出日",
                "アカウント数",
                "端末数",
            ],
            _ => [
                "Facility code",
                "Facility name",
                "Kind",
                "File",
                "Submitted",
                "Accounts",
                "Devices",
            ],
        };
        assert_eq!(header[..7], expected_head);
        let facilities = m["facilities"].as_array().unwrap();
        assert_eq!(
            records.len(),
            1 + facilities.len() + 2,
            "header, rows, totals, rates"
        );
        let tail = 7 + ids.len();
        for (record, f) in records[1..].iter().zip(facilities) {
            assert_eq!(record[0], f["id"].as_str().unwrap_or(""));
            assert_eq!(record[3], f["file"].as_str().unwrap());
            assert_eq!(record[4], f["submitted"].as_str().unwrap_or(""));
            let count = |v: &Value| v.as_u64().map_or_else(String::new, |n| n.to_string());
            assert_eq!(record[5], count(&f["accounts"]));
            assert_eq!(record[6], count(&f["devices"]));
            let skipped: Vec<&str> = f["not_evaluated"]
                .as_array()
                .unwrap()
                .iter()
                .map(|v| v.as_str().unwrap())
                .collect();
            for (i, id) in ids.iter().enumerate() {
                let cell = &record[7 + i];
                if skipped.contains(&id.as_str()) {
                    assert_eq!(cell, "-", "{id}");
                } else {
                    assert_eq!(cell.parse::<usize>().unwrap(), n(&f["counts"][id]), "{id}");
                }
            }
            assert_eq!(record[tail].parse::<usize>().unwrap(), n(&f["errors"]));
            assert_eq!(
                record[tail + 1].parse::<usize>().unwrap(),
                n(&f["warnings"])
            );
            assert_eq!(record[tail + 2].parse::<usize>().unwrap(), n(&f["waived"]));
        }
        let totals = &records[1 + facilities.len()];
        for (i, id) in ids.iter().enumerate() {
            assert_eq!(
                totals[7 + i].parse::<usize>().unwrap(),
                n(&m["totals"]["counts"][id])
            );
        }
        assert_eq!(
            totals[tail].parse::<usize>().unwrap(),
            n(&m["totals"]["errors"])
        );
        assert_eq!(
            totals[tail + 3].parse::<usize>().unwrap(),
            n(&m["totals"]["compliant"])
        );
        let rates = records.last().unwrap();
        // Rounded to the nearest whole percent, as the table and the HTML page print it.
        let overall = (n(&m["totals"]["compliant"]) as f64 * 100.0
            / n(&m["totals"]["facilities"]) as f64)
            .round() as usize;
        assert_eq!(rates[tail + 3], format!("{overall}%"));
    }
}

#[test]
fn csv_quotes_commas_quotes_and_line_breaks_and_defuses_formulas() {
    let name = "きた, \"North\"\r\nClinic";
    let dir = renamed_sample(name, "=HYPERLINK(\"x\")");
    let path = dir.path().to_str().unwrap();
    let (_, text) = audit("csv", "en", &[path]);
    let records = parse_csv(text.strip_prefix('\u{feff}').unwrap());
    assert_eq!(records[1][1], name);
    assert_eq!(
        records[1][0], "'=HYPERLINK(\"x\")",
        "not a formula in Excel"
    );
}

#[test]
fn html_is_self_contained_and_escaped() {
    let dir = renamed_sample("<b>&\"x'</b>", "F9<i>");
    let path = dir.path().to_str().unwrap();
    for lang in ["ja", "en"] {
        let (code, html) = audit("html", lang, &["samples", path]);
        assert_eq!(code, 1);
        assert!(html.starts_with("<!DOCTYPE html>"));
        assert!(html.contains(&format!("<html lang=\"{lang}\">")));
        assert!(html.trim_end().ends_with("</html>"));
        let lower = html.to_lowercase();
        for forbidden in [
            "<script", "<link", "<img", "<iframe", "<object", "<embed", "@import", "url(",
            "http://", "https://", "src=",
        ] {
            assert!(!lower.contains(forbidden), "{lang}: {forbidden}");
        }
        assert!(
            html.contains("&lt;b&gt;&amp;&quot;x&#39;&lt;/b&gt;"),
            "{lang}: name escaped"
        );
        assert!(!html.contains("<b>&\"x"), "{lang}");
        assert!(html.contains("F9&lt;i&gt;") && !html.contains("F9<i>"));
        // Per-facility details: rule, article, pointer, line:column, message, fix.
        assert!(html.contains("/accounts/1/password"));
        assert!(html.contains("56:19"));
        assert!(html.contains("第9条"));
        assert!(
            html.contains("class=\"waived\""),
            "the waived F0003 finding is marked"
        );
        assert!(html.contains("@media print"));
        // Balanced tables.
        assert_eq!(
            html.matches("<table").count(),
            html.matches("</table>").count()
        );
        assert_eq!(html.matches("<tr").count(), html.matches("</tr>").count());
    }
}

#[test]
fn table_fits_the_default_width_of_120() {
    // Many facilities with long Japanese names, and a broken file with a long path.
    let dir = tempfile::tempdir().unwrap();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let base: Value = serde_json::from_str(
        &std::fs::read_to_string(root.join("samples/F0002-higashi-clinic.json")).unwrap(),
    )
    .unwrap();
    for i in 0..12 {
        let mut doc = base.clone();
        doc["facility"]["id"] = Value::String(format!("F1{i:03}"));
        doc["facility"]["name"] = Value::String(format!(
            "医療法人社団るるめ会 東久留米第{i}在宅医療連携クリニック附属訪問看護ステーション"
        ));
        doc.as_object_mut().unwrap().remove("$schema");
        std::fs::write(
            dir.path().join(format!("f{i}.json")),
            serde_json::to_string(&doc).unwrap(),
        )
        .unwrap();
    }
    std::fs::write(
        dir.path()
            .join("an-inventory-with-a-very-long-file-name-that-is-broken.json"),
        "{",
    )
    .unwrap();
    let path = dir.path().to_str().unwrap();
    for args in [
        &["samples"][..],
        &["samples", path, "tests/fixtures/bad"][..],
    ] {
        for lang in ["ja", "en"] {
            let (code, text) = audit("table", lang, args);
            assert_eq!(code, 1);
            for line in text.lines() {
                assert!(
                    line.width() <= 120,
                    "{lang}: {} columns: {line}",
                    line.width()
                );
                assert!(!line.contains('\u{1b}'));
            }
        }
    }
}

#[test]
fn table_shows_totals_and_the_compliance_rate() {
    let (_, ja) = audit("table", "ja", &["samples"]);
    assert!(ja.contains("適合率: 2/7 (29%)"), "{ja}");
    assert!(
        ja.contains("合計: エラー 27 件、警告 6 件、免除 1 件（7 事業所）"),
        "{ja}"
    );
    assert!(ja.contains("ひがし内科クリニック"));
    let (_, en) = audit("table", "en", &["samples"]);
    assert!(en.contains("Compliance rate: 2/7 (29%)"), "{en}");
    assert!(
        en.contains("Total: 27 errors, 6 warnings, 1 waived in 7 facilities"),
        "{en}"
    );
    assert!(en.contains("NOT compliant"));
    // The matrix row of F0002 sums to its findings.
    let row = en
        .lines()
        .filter(|l| l.starts_with("F0002"))
        .nth(1)
        .expect("a matrix row");
    let sum: usize = row
        .split_whitespace()
        .skip(1)
        .filter_map(|c| c.parse::<usize>().ok())
        .sum();
    assert_eq!(sum, 2 * 26, "the cells and the total column: {row}");
}

#[test]
fn exit_codes_are_those_of_check() {
    for format in FORMATS {
        assert_eq!(audit(format, "en", &["samples"]).0, 1, "{format}");
        assert_eq!(
            audit(format, "en", &["--fail-on", "never", "samples"]).0,
            0,
            "{format}"
        );
        assert_eq!(
            audit(format, "en", &["samples/F0001-midori-houmon-kango.json"]).0,
            0
        );
        assert_eq!(
            audit(format, "en", &["samples/F0003-sakura-pharmacy.json"]).0,
            0,
            "waived"
        );
        let f0004 = [
            "--fail-on",
            "warning",
            "samples/F0001-midori-houmon-kango.json",
        ];
        assert_eq!(audit(format, "en", &f0004).0, 0);
        assert_eq!(
            audit(
                format,
                "en",
                &["--fail-on", "warning", "samples/F0004-kita-care-plan.json"]
            )
            .0,
            1
        );
        let out = rurume()
            .args(["audit", "--format", format, "no/such/path"])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{format}");
    }
}

#[test]
fn output_is_byte_identical_across_runs_and_argument_orders() {
    let forward = [
        "samples/F0002-higashi-clinic.json",
        "samples/F0005-asahi-hospital.json",
        "samples/F0006-minami-dental.json",
        "tests/fixtures/bad",
    ];
    let mut backward = forward;
    backward.reverse();
    for format in FORMATS {
        for lang in ["ja", "en"] {
            let a = audit(format, lang, &forward).1;
            let b = audit(format, lang, &backward).1;
            let c = audit(format, lang, &forward).1;
            assert!(!a.is_empty());
            assert_eq!(a, b, "{format} {lang}: argument order");
            assert_eq!(a, c, "{format} {lang}: runs");
        }
    }
}

#[test]
fn both_languages() {
    let (_, ja) = audit("table", "ja", &["samples"]);
    let (_, en) = audit("table", "en", &["samples"]);
    assert!(ja.contains("事業所名") && ja.contains("不適合") && !ja.contains("Compliance"));
    assert!(en.contains("Facility") && en.contains("compliant") && !en.contains("事業所名"));
    let (_, ja) = audit("json", "ja", &["samples"]);
    assert!(
        ja.contains("\"title\": \"パスワードが8文字未満\""),
        "titles in Japanese"
    );
    let (_, ja) = audit("html", "ja", &["samples"]);
    let (_, en) = audit("html", "en", &["samples"]);
    assert!(ja.contains("事業所ごとの指摘") && en.contains("Findings per facility"));
    assert_ne!(ja, en);
    // LANG chooses when --lang is not given.
    let out = rurume()
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env("LANG", "ja_JP.UTF-8")
        .args(["audit", "--as-of", AS_OF, "samples"])
        .output()
        .unwrap();
    assert!(String::from_utf8(out.stdout).unwrap().contains("適合率"));
}

#[test]
fn no_password_in_any_audit_format() {
    for format in FORMATS {
        for lang in ["ja", "en"] {
            let out = rurume()
                .args([
                    "audit", "--as-of", AS_OF, "--format", format, "--lang", lang,
                ])
                .arg("tests/fixtures/privacy")
                .output()
                .unwrap();
            assert!(!out.stdout.is_empty());
            assert_eq!(
                common::leaks(&out.stdout, common::PLANTED_PASSWORDS),
                Vec::<String>::new(),
                "{format} {lang}"
            );
        }
    }
}
