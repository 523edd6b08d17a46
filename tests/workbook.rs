//! Workbooks end to end: `template`, `convert` both ways, `check` on workbooks with cells
//! named, what clerks type, and every kind of bad workbook — on real files.

mod common;

use std::io::Read;
use std::path::Path;

use calamine::{Data, DataType, Reader};
use common::{AS_OF, rurume};
use proptest::prelude::*;
use rust_xlsxwriter::{Workbook, XlsxError};
use serde_json::{Value, json};

fn samples() -> Vec<std::path::PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("samples");
    let mut out: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    out.sort();
    out
}

fn json_of(path: &Path) -> Value {
    serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap()
}

fn check_json(paths: &[&Path]) -> Value {
    let out = rurume()
        .args(["check", "--format", "json", "--as-of", AS_OF])
        .args(paths)
        .output()
        .unwrap();
    serde_json::from_slice(&out.stdout).unwrap_or_else(|_| {
        panic!(
            "not JSON: {}\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    })
}

/// The text of the XML part `name` of a workbook.
fn part(path: &Path, name: &str) -> String {
    let mut zip = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    let mut text = String::new();
    zip.by_name(name)
        .unwrap()
        .read_to_string(&mut text)
        .unwrap();
    text
}

#[test]
fn a_template_a_clerk_can_fill_in() {
    let dir = tempfile::tempdir().unwrap();
    for (lang, sheets, header) in [
        (
            "ja",
            [
                "説明",
                "事業所",
                "アカウント",
                "端末",
                "持ち出し",
                "ネットワーク機器",
                "バックアップ",
                "例外",
            ],
            "MCS管理者",
        ),
        (
            "en",
            [
                "Guide",
                "Facility",
                "Accounts",
                "Devices",
                "Take-out",
                "Network devices",
                "Backups",
                "Exceptions",
            ],
            "MCS administrator",
        ),
    ] {
        let path = dir.path().join(format!("t-{lang}.xlsx"));
        rurume()
            .args(["template", "--lang", lang, "--output"])
            .arg(&path)
            .assert()
            .success();
        let mut wb = calamine::open_workbook_auto(&path).unwrap();
        assert_eq!(wb.sheet_names(), sheets);
        let accounts = wb.worksheet_range(sheets[2]).unwrap();
        let headers: Vec<String> = accounts
            .rows()
            .nth(2)
            .unwrap()
            .iter()
            .map(|d| d.to_string())
            .collect();
        assert!(headers.contains(&header.to_owned()), "{headers:?}");
        // No header asks for a password: only for its properties.
        for h in &headers {
            assert!(
                !h.contains("パスワード") && !h.to_lowercase().contains("password"),
                "{h}"
            );
        }
        // Dropdowns, notes on the headers, frozen header rows.
        let sheet = part(&path, "xl/worksheets/sheet3.xml");
        assert!(sheet.contains("<dataValidation "), "no dropdowns");
        assert!(sheet.contains("state=\"frozen\""), "headers not frozen");
        let yes = if lang == "ja" {
            "\"はい,いいえ\""
        } else {
            "\"yes,no\""
        };
        assert!(sheet.contains(yes), "yes/no dropdown in {lang}");
        let devices = part(&path, "xl/worksheets/sheet4.xml");
        let lent = if lang == "ja" {
            "貸与"
        } else {
            "facility-owned"
        };
        assert!(devices.contains(lent), "ownership labels");
        assert!(
            part(&path, "xl/comments1.xml").contains("<comment "),
            "no notes"
        );
    }
    // An existing workbook is not overwritten without --force.
    let path = dir.path().join("t-ja.xlsx");
    rurume()
        .args(["template", "--lang", "ja", "--output"])
        .arg(&path)
        .assert()
        .code(2)
        .stderr(predicates::str::contains("--force"));
    rurume()
        .args(["template", "--force", "--kind", "pharmacy", "--output"])
        .arg(&path)
        .assert()
        .success();
    // An empty template is an inventory with everything still to fill in.
    let report = check_json(&[&path]);
    let findings = report["findings"].as_array().unwrap();
    assert!(!findings.is_empty());
    assert!(
        findings.iter().all(|f| f["rule"] == "inventory-schema"),
        "{findings:?}"
    );
    assert!(findings.iter().all(|f| f["cell"].is_string()));
    // Each empty required cell is named by its header, at that cell.
    let ja = dir.path().join("t2.xlsx");
    rurume()
        .args(["template", "--lang", "ja", "-o"])
        .arg(&ja)
        .assert()
        .success();
    let out = rurume()
        .args(["check", "--format", "json", "--lang", "ja"])
        .arg(&ja)
        .output()
        .unwrap();
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let name = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["cell"] == "事業所!B5")
        .expect("the facility name's cell");
    assert_eq!(
        name["message"],
        "「事業所名」が空です（必ず記入する欄です）"
    );
    assert_eq!(name["pointer"], "/facility");
}

#[test]
fn samples_convert_to_workbooks_and_back_and_check_the_same() {
    let dir = tempfile::tempdir().unwrap();
    for sample in samples() {
        let stem = sample.file_stem().unwrap().to_str().unwrap();
        let xlsx = dir.path().join(format!("{stem}.xlsx"));
        let back = dir.path().join(format!("{stem}.json"));
        let from_json = check_json(&[&sample]);
        let valid = !from_json["findings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["rule"] == "inventory-schema");
        if !valid {
            // A sample that breaks the schema on purpose is not converted.
            let out = rurume()
                .arg("convert")
                .arg(&sample)
                .arg("-o")
                .arg(&xlsx)
                .output()
                .unwrap();
            assert_eq!(out.status.code(), Some(1), "{stem}");
            assert!(String::from_utf8_lossy(&out.stdout).contains("inventory-schema"));
            assert!(!xlsx.exists());
            continue;
        }
        rurume()
            .arg("convert")
            .arg(&sample)
            .arg("-o")
            .arg(&xlsx)
            .assert()
            .success();
        rurume()
            .arg("convert")
            .arg(&xlsx)
            .arg("-o")
            .arg(&back)
            .assert()
            .success();
        assert_eq!(json_of(&back), json_of(&sample), "{stem}");

        // The same findings, with the same pointers, and a cell for each.
        let from_xlsx = check_json(&[&xlsx]);
        let key = |f: &Value| {
            (
                f["rule"].to_string(),
                f["pointer"].to_string(),
                f["severity"].to_string(),
                f["message"].to_string(),
                f["waived"].to_string(),
            )
        };
        let mut a: Vec<_> = from_json["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(key)
            .collect();
        let mut b: Vec<_> = from_xlsx["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(key)
            .collect();
        a.sort();
        b.sort();
        assert_eq!(a, b, "{stem}");
        assert_eq!(
            from_json["summary"]["errors"],
            from_xlsx["summary"]["errors"]
        );

        // Every cell holds the value its pointer names (or starts the item's row).
        let mut wb = calamine::open_workbook_auto(&xlsx).unwrap();
        let value = json_of(&sample);
        for f in from_xlsx["findings"].as_array().unwrap() {
            assert!(
                from_json["findings"][0].get("cell").is_none(),
                "JSON files have no cell"
            );
            let cell = f["cell"].as_str().unwrap();
            let (sheet, a1) = cell.rsplit_once('!').unwrap();
            let sheet = sheet.trim_matches('\'');
            let (row, col) = a1_to_index(a1);
            assert_eq!(
                (f["line"].as_u64().unwrap(), f["column"].as_u64().unwrap()),
                (row as u64 + 1, col as u64 + 1)
            );
            let range = wb.worksheet_range(sheet).unwrap();
            let got = range.get_value((row, col)).cloned().unwrap_or(Data::Empty);
            let pointer = f["pointer"].as_str().unwrap();
            match value.pointer(pointer) {
                Some(Value::Number(n)) => assert_eq!(got.as_f64(), n.as_f64(), "{cell} {pointer}"),
                Some(Value::String(s))
                    if !s.is_empty() && sheet != "Facility" && !pointer.contains("/take_out/") =>
                {
                    let shown = got.to_string();
                    let is_date = s.len() == 10 && s.as_bytes()[4] == b'-';
                    assert!(
                        is_date || shown.contains(s.as_str()) || !shown.is_empty(),
                        "{cell} {pointer}: {shown} vs {s}"
                    );
                }
                _ => {}
            }
        }
    }
}

fn a1_to_index(a1: &str) -> (u32, u32) {
    let letters: String = a1.chars().take_while(|c| c.is_ascii_alphabetic()).collect();
    let row: u32 = a1[letters.len()..].parse().unwrap();
    let col = letters
        .bytes()
        .fold(0u32, |acc, b| acc * 26 + u32::from(b - b'A' + 1))
        - 1;
    (row - 1, col)
}

/// A workbook typed by hand, as a clerk would: Japanese dates of every kind, ○/×,
/// full-width digits, lists with 、, columns in another order, a blank row.
fn clerks_workbook(
    path: &Path,
    auto_lock: &str,
    extra_header: Option<(&str, &str)>,
) -> Result<(), XlsxError> {
    let mut wb = Workbook::new();
    let f = wb.add_worksheet().set_name("事業所")?;
    f.write(2, 0, "項目")?;
    f.write(2, 1, "記入欄")?;
    let rows = [
        ("事業所コード", "Ｆ００９９"),
        ("事業所名", "てすと薬局"),
        ("事業所の種別", "薬局"),
        ("記入日", "令和8年11月20日"),
    ];
    for (i, (k, v)) in rows.iter().enumerate() {
        f.write(3 + i as u32, 0, *k)?;
        f.write(3 + i as u32, 1, *v)?;
    }
    let a = wb.add_worksheet().set_name("アカウント")?;
    let mut headers = vec![
        "氏名",
        "台帳内の利用者ID",
        "メールアドレス",
        "MCS ログインID",
        "MCS管理者",
        "MCS ID の状態",
        "在職状況",
        "複数人で共用",
        "情報管理誓約書（別紙1）",
        "情報保持誓約書（別紙2）",
        "文字数",
        "英字を含む",
        "数字を含む",
        "記号を含む",
        "推測されにくさ",
        "他人と共有している",
    ];
    if let Some((h, _)) = extra_header {
        headers.push(h);
    }
    for (c, h) in headers.iter().enumerate() {
        a.write(0, c as u16, *h)?;
    }
    let mut row1 = vec![
        "田中 一郎",
        "ａ１",
        "tanaka@example.jp",
        "tanaka.ichiro",
        "○",
        "有効",
        "在職",
        "×",
        "2026/4/1",
        "R8.4.1",
        "１４",
        "はい",
        "はい",
        "はい",
        "４",
        "いいえ",
    ];
    if let Some((_, v)) = extra_header {
        row1.push(v);
    }
    for (c, v) in row1.iter().enumerate() {
        a.write(1, c as u16, *v)?;
    }
    // Row 3 is blank; it is skipped.
    let d = wb.add_worksheet().set_name("端末")?;
    let dh = [
        "機器ID",
        "機器の種類",
        "所有区分",
        "使用状況",
        "利用者",
        "画面ロック有効",
        "ロック解除の方法",
        "自動ロックまでの分数",
        "ウイルス対策ソフトあり",
        "リアルタイム保護",
        "定義ファイル更新日",
        "紛失時の遠隔対策",
        "ブラウザにパスワード保存",
        "インストール済みアプリ",
    ];
    for (c, h) in dh.iter().enumerate() {
        d.write(0, c as u16, *h)?;
    }
    let dv = [
        "d1",
        "パソコン",
        "貸与",
        "使用中",
        "a1",
        "はい",
        "パスワード",
        auto_lock,
        "はい",
        "はい",
        "2026年11月19日",
        "MDM（端末管理）",
        "いいえ",
        "MCS、Microsoft Edge",
    ];
    for (c, v) in dv.iter().enumerate() {
        d.write(1, c as u16, *v)?;
    }
    wb.save(path)
}

#[test]
fn what_clerks_type_is_read() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("typed.xlsx");
    clerks_workbook(&path, "５分", None).unwrap();
    let out = dir.path().join("typed.json");
    rurume()
        .arg("convert")
        .arg(&path)
        .arg("-o")
        .arg(&out)
        .assert()
        .success();
    let v = json_of(&out);
    assert_eq!(
        v["facility"],
        json!({"id": "F0099", "name": "てすと薬局", "kind": "pharmacy", "submitted": "2026-11-20"})
    );
    let a = &v["accounts"][0];
    assert_eq!(a["id"], "a1");
    assert_eq!(a["admin"], true);
    assert_eq!(a["shared"], false);
    assert_eq!(
        a["pledges"],
        json!({"management": "2026-04-01", "retention": "2026-04-01"})
    );
    assert_eq!(a["password"]["length"], 14);
    let d = &v["devices"][0];
    assert_eq!(
        d["screen_lock"],
        json!({"enabled": true, "method": "password", "auto_lock_minutes": 5})
    );
    assert_eq!(d["apps"], json!(["MCS", "Microsoft Edge"]));
    assert_eq!(d["remote_wipe"], json!(["mdm"]));
    assert_eq!(d["antivirus"]["definitions_updated"], "2026-11-19");
}

#[test]
fn a_broken_cell_is_found_at_that_cell() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("broken.xlsx");
    clerks_workbook(&path, "五分くらい", Some(("備考欄", "メモ"))).unwrap();
    let report = check_json(&[&path]);
    let findings = report["findings"].as_array().unwrap();
    let bad = findings
        .iter()
        .find(|f| f["cell"] == "端末!H2")
        .unwrap_or_else(|| panic!("{findings:#?}"));
    assert_eq!(bad["rule"], "inventory-schema");
    assert_eq!(bad["pointer"], "/devices/0");
    assert_eq!(
        (bad["line"].as_u64(), bad["column"].as_u64()),
        (Some(2), Some(8))
    );
    let unknown = findings
        .iter()
        .find(|f| f["cell"] == "アカウント!Q1")
        .unwrap();
    assert!(
        unknown["message"].as_str().unwrap().contains("備考欄"),
        "{unknown}"
    );
    // Only these two: the number cell is not also a schema type error, the unknown column
    // not one finding per row.
    assert_eq!(findings.len(), 2, "{findings:#?}");
    // In Japanese, in the human view: the sheet, the header row, the row, the column.
    let out = rurume()
        .args(["check", "--lang", "ja", "--as-of", AS_OF])
        .arg(&path)
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("端末!H2"), "{text}");
    assert!(text.contains("自動ロックまでの分数"), "{text}");
    assert!(text.contains("五分くらい"), "the row is shown: {text}");
    assert!(
        !bad["message"].as_str().unwrap().contains("五分くらい"),
        "a message never quotes a cell"
    );
    assert!(text.contains("整数を入力してください"), "{text}");
    assert_eq!(out.status.code(), Some(1));
    // convert refuses and writes nothing.
    let target = dir.path().join("broken.json");
    rurume()
        .arg("convert")
        .arg(&path)
        .arg("-o")
        .arg(&target)
        .assert()
        .code(1);
    assert!(!target.exists());
}

#[test]
fn a_password_column_is_a_finding_and_never_shown() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("pw.xlsx");
    let secret = "Kx9#miraiQz";
    clerks_workbook(&path, "5", Some(("パスワード", secret))).unwrap();
    for format in ["human", "json", "sarif", "github", "junit"] {
        let out = rurume()
            .args(["check", "--as-of", AS_OF, "--format", format])
            .arg(&path)
            .output()
            .unwrap();
        let leaked = common::leaks(&out.stdout, &[secret]);
        assert!(leaked.is_empty(), "{format} shows {leaked:?}");
        assert!(
            String::from_utf8_lossy(&out.stdout).contains("plaintext-password"),
            "{format}"
        );
    }
    let out = rurume()
        .args(["audit", "--format", "json"])
        .arg(&path)
        .output()
        .unwrap();
    assert!(common::leaks(&out.stdout, &[secret]).is_empty());
    let target = dir.path().join("pw.json");
    rurume()
        .arg("convert")
        .arg(&path)
        .arg("-o")
        .arg(&target)
        .assert()
        .code(1);
    assert!(!target.exists(), "a password is never written");
}

#[test]
fn bad_workbooks_are_findings_and_the_other_files_are_still_checked() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(d.join("text.xlsx"), "this is not a workbook").unwrap();
    // An encrypted workbook: an OLE container with an EncryptedPackage stream.
    let mut ole = b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1".to_vec();
    ole.resize(512, 0);
    ole.extend("EncryptedPackage".encode_utf16().flat_map(u16::to_le_bytes));
    ole.resize(4096, 0);
    std::fs::write(d.join("locked.xlsx"), &ole).unwrap();
    // A zip that expands far beyond the limit (checked here with a small limit).
    let mut big = Workbook::new();
    let ws = big.add_worksheet().set_name("端末").unwrap();
    for r in 0..400 {
        ws.write(r, 0, format!("{r}{}", "x".repeat(2000))).unwrap();
    }
    big.save(d.join("bomb.xlsx")).unwrap();
    // Sheets renamed: no アカウント, no 端末.
    let mut renamed = Workbook::new();
    renamed
        .add_worksheet()
        .set_name("Sheet1")
        .unwrap()
        .write(0, 0, "a")
        .unwrap();
    renamed.save(d.join("renamed.xlsx")).unwrap();
    // Excel's lock file: skipped in a folder, a finding when named.
    std::fs::write(d.join("~$F0001.xlsx"), b"lock").unwrap();
    std::fs::copy(&samples()[1], d.join("good.json")).unwrap();

    let report = {
        let out = rurume()
            .args([
                "check",
                "--format",
                "json",
                "--lang",
                "ja",
                "--max-file-size",
                "100KB",
                "--as-of",
                AS_OF,
            ])
            .arg(d)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1));
        serde_json::from_slice::<Value>(&out.stdout).unwrap()
    };
    let findings = report["findings"].as_array().unwrap();
    let of = |name: &str| -> Vec<&Value> {
        findings
            .iter()
            .filter(|f| f["file"].as_str().unwrap().ends_with(name))
            .collect()
    };
    let message = |name: &str| of(name)[0]["message"].as_str().unwrap().to_owned();
    assert!(message("text.xlsx").contains("Excel のブックとして読めません"));
    assert!(message("locked.xlsx").contains("パスワード"));
    assert!(message("bomb.xlsx").contains("展開すると"));
    assert!(of("renamed.xlsx").iter().any(|f| {
        f["message"]
            .as_str()
            .unwrap()
            .contains("「アカウント」シートがありません")
    }));
    assert!(
        of("~$F0001.xlsx").is_empty(),
        "lock files are skipped in a folder"
    );
    assert!(
        !of("good.json").is_empty(),
        "the other files are still checked"
    );
    assert_eq!(report["summary"]["files"], 5);
    for name in ["text.xlsx", "locked.xlsx", "bomb.xlsx"] {
        assert_eq!(of(name)[0]["rule"], "inventory-syntax", "{name}");
    }
    let out = rurume()
        .args(["check", "--format", "json"])
        .arg(d.join("~$F0001.xlsx"))
        .output()
        .unwrap();
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(
        v["findings"][0]["message"]
            .as_str()
            .unwrap()
            .contains("lock file")
    );
}

// ---------------------------------------------------------------------------------------
// Every valid inventory becomes a workbook and back the same JSON value.

fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-zA-Z0-9 ]{1,12}",
        Just(String::new()),
        Just(" lead and trail ".to_owned()),
        Just("Office, Home".to_owned()),
        Just("二行の\n値".to_owned()),
        Just("貸与".to_owned()),
        Just("はい".to_owned()),
        Just("12".to_owned()),
        Just("2026-11-01".to_owned()),
        "[あ-ん]{1,6}",
    ]
}

/// A text of a field that may not be empty.
fn filled() -> impl Strategy<Value = String> {
    text().prop_filter("a required text", |s| !s.is_empty())
}

fn entry() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-zA-Z0-9]{1,12}",
        Just("Office, Home".to_owned()),
        Just("MCS、LINE".to_owned()),
        Just("改行\nのある名前".to_owned()),
    ]
}

fn id() -> impl Strategy<Value = String> {
    "[a-z][a-z0-9]{0,4}"
}

fn date() -> impl Strategy<Value = String> {
    (2000i32..2030, 1u32..13, 1u32..29).prop_map(|(y, m, d)| format!("{y:04}-{m:02}-{d:02}"))
}

fn maybe<T: std::fmt::Debug + Clone + 'static>(
    s: impl Strategy<Value = T> + 'static,
) -> impl Strategy<Value = Option<T>> {
    prop_oneof![Just(None), s.prop_map(Some)]
}

fn object(fields: Vec<(&'static str, Option<Value>)>) -> Value {
    Value::Object(
        fields
            .into_iter()
            .filter_map(|(k, v)| v.map(|v| (k.to_owned(), v)))
            .collect(),
    )
}

fn list(s: BoxedStrategy<String>) -> impl Strategy<Value = Value> {
    proptest::collection::vec(s, 0..4).prop_map(|v| json!(v))
}

fn account() -> impl Strategy<Value = Value> {
    let password = maybe(
        (
            maybe(0i64..40),
            maybe(any::<bool>()),
            maybe(any::<bool>()),
            maybe(0i64..5),
        )
            .prop_map(|(l, a, d, s)| {
                object(vec![
                    ("length", l.map(Value::from)),
                    ("letters", a.map(Value::from)),
                    ("digits", d.map(Value::from)),
                    ("strength", s.map(Value::from)),
                ])
            }),
    );
    (
        (
            id(),
            filled(),
            maybe(text()),
            filled(),
            maybe("[a-z.]{1,8}"),
            any::<bool>(),
        ),
        (
            prop_oneof![Just("active"), Just("suspended"), Just("deleted")],
            prop_oneof![Just("employed"), Just("left")],
            any::<bool>(),
        ),
        (maybe(date()), maybe(date()), password),
    )
        .prop_map(
            |(
                (id, name, job, email, mcs, admin),
                (status, employment, shared),
                (m, r, password),
            )| {
                object(vec![
                    ("id", Some(json!(id))),
                    ("name", Some(json!(name))),
                    ("job", job.map(Value::from)),
                    ("email", Some(json!(email))),
                    ("mcs_id", Some(mcs.map_or(Value::Null, Value::from))),
                    ("admin", Some(json!(admin))),
                    ("status", Some(json!(status))),
                    ("employment", Some(json!(employment))),
                    ("shared", Some(json!(shared))),
                    ("pledges", Some(json!({"management": m, "retention": r}))),
                    ("password", password),
                ])
            },
        )
}

fn take_out() -> impl Strategy<Value = Value> {
    (
        maybe(text()),
        maybe(date()),
        maybe(date()),
        maybe(id()),
        maybe(any::<bool>()),
    )
        .prop_map(|(p, f, u, a, r)| {
            object(vec![
                ("purpose", p.map(Value::from)),
                ("from", f.map(Value::from)),
                ("until", u.map(Value::from)),
                ("approved_by", a.map(Value::from)),
                ("returned", r.map(Value::from)),
            ])
        })
}

fn device() -> impl Strategy<Value = Value> {
    (
        (
            id(),
            prop_oneof![Just("pc"), Just("smartphone"), Just("tablet")],
            prop_oneof![Just("facility"), Just("personal")],
            prop_oneof![Just("in_use"), Just("retired")],
        ),
        (
            maybe(list(id().boxed())),
            maybe(Just(json!({}))),
            maybe((any::<bool>(), maybe(0i64..30)).prop_map(|(e, m)| {
                object(vec![
                    ("enabled", Some(json!(e))),
                    ("auto_lock_minutes", m.map(Value::from)),
                ])
            })),
        ),
        (
            maybe(
                proptest::sample::subsequence(vec!["remote_wipe", "line_suspension", "mdm"], 0..3)
                    .prop_map(|v| json!(v)),
            ),
            any::<bool>(),
            list(entry().boxed()),
            maybe(proptest::collection::vec(take_out(), 0..3).prop_map(Value::from)),
        ),
    )
        .prop_map(
            |((id, kind, own, status), (users, os, lock), (wipe, saved, apps, take))| {
                object(vec![
                    ("id", Some(json!(id))),
                    ("kind", Some(json!(kind))),
                    ("ownership", Some(json!(own))),
                    ("status", Some(json!(status))),
                    ("users", users),
                    ("os", os),
                    ("screen_lock", lock),
                    ("remote_wipe", wipe),
                    ("saved_password_in_browser", Some(json!(saved))),
                    ("apps", Some(apps)),
                    ("take_out", take),
                ])
            },
        )
}

fn inventory() -> impl Strategy<Value = Value> {
    (
        (
            id(),
            filled(),
            prop_oneof![Just("clinic"), Just("pharmacy"), Just("other")],
            date(),
            maybe(list(entry().boxed())),
        ),
        proptest::collection::vec(account(), 0..4),
        // Distinct device ids: a take-out record joins its device by id.
        proptest::collection::vec(device(), 0..4),
        maybe(proptest::collection::vec(
            (
                id(),
                text(),
                prop_oneof![Just("disaster".to_owned()), text()],
                maybe(date()),
            )
                .prop_map(|(r, t, reason, e)| {
                    object(vec![
                        ("rule", Some(json!(r))),
                        ("target", Some(json!(format!("/{t}")))),
                        ("reason", Some(json!(reason))),
                        ("expires", e.map(Value::from)),
                    ])
                }),
            0..3,
        )),
        maybe(Just("../schemas/inventory.schema.json")),
    )
        .prop_map(
            |((fid, name, kind, submitted, apps), accounts, mut devices, exceptions, schema)| {
                for (i, d) in devices.iter_mut().enumerate() {
                    d["id"] = json!(format!("d{i}"));
                }
                object(vec![
                    ("$schema", schema.map(Value::from)),
                    ("schema_version", Some(json!(1))),
                    (
                        "facility",
                        Some(object(vec![
                            ("id", Some(json!(fid))),
                            ("name", Some(json!(name))),
                            ("kind", Some(json!(kind))),
                            ("submitted", Some(json!(submitted))),
                            ("approved_apps", apps),
                        ])),
                    ),
                    ("accounts", Some(Value::from(accounts))),
                    ("devices", Some(Value::from(devices))),
                    ("exceptions", exceptions.map(Value::from)),
                ])
            },
        )
}

proptest! {
    #![proptest_config(common::cases(48))]

    #[test]
    fn every_valid_inventory_comes_back_from_a_workbook(value in inventory(), ja in any::<bool>()) {
        use rurume::lang::Lang;
        use rurume::workbook::{self, layout::Layout, write};
        // Only valid inventories are promised a lossless trip.
        let inv = rurume::inventory::Inventory::from_text("g.json".into(), value.to_string());
        let report = rurume::engine::check(vec![inv], &rurume::rules::RuleSet::builtin().unwrap(), jiff::civil::date(2026, 11, 26));
        let schema_errors: Vec<_> = report.files[0].findings.iter().filter(|l| l.finding.rule == "inventory-schema").map(|l| l.finding.pointer.clone()).collect();
        prop_assert!(schema_errors.is_empty(), "the generator made an invalid inventory: {:?}", schema_errors);
        let lang = if ja { Lang::Ja } else { Lang::En };
        let bytes = write::xlsx(&value, Layout::get(), lang).unwrap();
        let (text, book) = workbook::load(&bytes, u64::MAX).unwrap();
        let back: Value = serde_json::from_str(&text).unwrap();
        prop_assert_eq!(&back, &value);
        prop_assert!(book.notes.is_empty(), "{:?}", book.notes);
    }
}

#[test]
fn a_password_is_recorded_into_a_workbook_and_a_failing_one_is_not() {
    let dir = tempfile::tempdir().unwrap();
    let sample = Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/F0002-higashi-clinic.json");
    let xlsx = dir.path().join("F0002.xlsx");
    rurume()
        .args(["convert", "--lang", "ja"])
        .arg(&sample)
        .arg("-o")
        .arg(&xlsx)
        .assert()
        .success();
    let before = std::fs::read(&xlsx).unwrap();
    // A failing password: refused, the workbook byte-identical.
    rurume()
        .args(["password", "--account", "a2", "--record", "--inventory"])
        .arg(&xlsx)
        .write_stdin("okada\n")
        .assert()
        .code(1);
    assert_eq!(std::fs::read(&xlsx).unwrap(), before);
    // A passing one: recorded, the rest of the inventory unchanged, still a Japanese workbook.
    rurume()
        .args(["password", "--account", "a2", "--record", "--inventory"])
        .arg(&xlsx)
        .write_stdin("Fuji-kumo-7Tanuki-Sora\n")
        .assert()
        .success();
    let back = dir.path().join("back.json");
    rurume()
        .arg("convert")
        .arg(&xlsx)
        .arg("-o")
        .arg(&back)
        .assert()
        .success();
    let mut expected = json_of(&sample);
    let got = json_of(&back);
    let recorded = &got["accounts"][1]["password"];
    assert_eq!(recorded["length"], 22);
    assert_eq!(recorded["shared"], false);
    expected["accounts"][1]["password"] = recorded.clone();
    assert_eq!(got, expected);
    let wb = calamine::open_workbook_auto(&xlsx).unwrap();
    assert!(wb.sheet_names().contains(&"アカウント".to_owned()));
    let out = rurume()
        .args([
            "password",
            "--format",
            "json",
            "--account",
            "a2",
            "--record",
            "--inventory",
        ])
        .arg(&xlsx)
        .write_stdin("Fuji-kumo-7Tanuki-Sora\n")
        .output()
        .unwrap();
    assert!(common::leaks(&out.stdout, &["Fuji-kumo-7Tanuki-Sora"]).is_empty());
}

#[test]
fn merged_cells_other_sheets_and_missing_headers() {
    let dir = tempfile::tempdir().unwrap();
    // A merged cell reads as its top-left value everywhere in the merge: two devices of
    // one kind, the kind typed once over both rows.
    let path = dir.path().join("merged.xlsx");
    clerks_workbook(&path, "5", None).unwrap();
    let mut wb = Workbook::new();
    {
        let f = wb.add_worksheet().set_name("事業所").unwrap();
        for (i, (k, v)) in [
            ("事業所コード", "F1"),
            ("事業所名", "x"),
            ("事業所の種別", "薬局"),
            ("記入日", "2026/11/20"),
        ]
        .iter()
        .enumerate()
        {
            f.write(i as u32, 0, *k).unwrap();
            f.write(i as u32, 1, *v).unwrap();
        }
        wb.add_worksheet()
            .set_name("アカウント")
            .unwrap()
            .write(0, 0, "台帳内の利用者ID")
            .unwrap();
        let d = wb.add_worksheet().set_name("端末").unwrap();
        for (c, h) in [
            "機器ID",
            "機器の種類",
            "所有区分",
            "使用状況",
            "ブラウザにパスワード保存",
            "インストール済みアプリ",
        ]
        .iter()
        .enumerate()
        {
            d.write(0, c as u16, *h).unwrap();
        }
        for r in 1..3u32 {
            d.write(r, 0, format!("d{r}")).unwrap();
            d.write(r, 2, "貸与").unwrap();
            d.write(r, 3, "使用中").unwrap();
            d.write(r, 4, "いいえ").unwrap();
            d.write(r, 5, "MCS").unwrap();
        }
        d.merge_range(1, 1, 2, 1, "タブレット", &rust_xlsxwriter::Format::new())
            .unwrap();
        // A memo sheet of the clerk's own, with a password in it.
        let memo = wb.add_worksheet().set_name("メモ").unwrap();
        memo.write(0, 0, "電話").unwrap();
        memo.write(0, 1, "042-000-0000").unwrap();
        memo.write(3, 0, "パスワード").unwrap();
        memo.write(3, 1, "Hq5#tsukiQ").unwrap();
    }
    wb.save(&path).unwrap();
    let out = dir.path().join("merged.json");
    let report = check_json(&[&path]);
    let findings = report["findings"].as_array().unwrap();
    let secret = findings
        .iter()
        .find(|f| f["rule"] == "plaintext-password")
        .unwrap_or_else(|| panic!("{findings:#?}"));
    assert_eq!(secret["cell"], "メモ!B4");
    assert!(
        common::leaks(
            serde_json::to_string(&report).unwrap().as_bytes(),
            &["Hq5#tsukiQ"]
        )
        .is_empty()
    );
    assert!(
        !findings.iter().any(|f| f["cell"] == "メモ!B1"),
        "a memo sheet is not an error"
    );
    // Without the memo's password, the workbook converts, the merged kind on both rows.
    let mut wb = calamine::open_workbook_auto(&path).unwrap();
    assert!(wb.worksheet_range("メモ").is_ok());
    let plain = dir.path().join("plain.xlsx");
    {
        let mut w = Workbook::new();
        let f = w.add_worksheet().set_name("事業所").unwrap();
        f.write(0, 0, "事業所コード").unwrap();
        f.write(0, 1, "F1").unwrap();
        let d = w.add_worksheet().set_name("端末").unwrap();
        d.write(0, 0, "機器ID").unwrap();
        d.write(0, 1, "機器の種類").unwrap();
        d.write(1, 0, "d1").unwrap();
        d.write(2, 0, "d2").unwrap();
        d.merge_range(1, 1, 2, 1, "タブレット", &rust_xlsxwriter::Format::new())
            .unwrap();
        // No header row on アカウント: its data is not guessed at.
        let a = w.add_worksheet().set_name("アカウント").unwrap();
        a.write(0, 0, "a1").unwrap();
        a.write(0, 1, "田中").unwrap();
        w.save(&plain).unwrap();
    }
    let report = check_json(&[&plain]);
    let findings = report["findings"].as_array().unwrap();
    assert!(
        findings.iter().any(|f| f["cell"] == "アカウント!A1"
            && f["message"].as_str().unwrap().contains("header row")),
        "{findings:#?}"
    );
    let out_plain = rurume()
        .arg("convert")
        .arg(&plain)
        .arg("-o")
        .arg(&out)
        .output()
        .unwrap();
    assert_eq!(
        out_plain.status.code(),
        Some(1),
        "an inventory with missing fields is not converted"
    );
    let inventory = rurume::inventory::Inventory::from_workbook(
        "p.xlsx".into(),
        &std::fs::read(&plain).unwrap(),
        1 << 26,
    );
    let value = inventory.document().unwrap().root().to_value();
    assert_eq!(value["devices"][0]["kind"], "tablet");
    assert_eq!(
        value["devices"][1]["kind"], "tablet",
        "the merged cell reads on both rows"
    );
}

#[test]
fn a_password_typed_in_a_property_column_is_never_shown() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("typed.xlsx");
    let secret = "Wn4#hikariZ";
    clerks_workbook(&path, "5", None).unwrap();
    // The clerk typed the password where its length belongs (アカウント!K2).
    let src = dir.path().join("src.json");
    rurume()
        .arg("convert")
        .arg(&path)
        .arg("-o")
        .arg(&src)
        .assert()
        .success();
    let bytes = {
        let v = json_of(&dir.path().join("src.json"));
        rurume::workbook::write::xlsx(
            &v,
            rurume::workbook::layout::Layout::get(),
            rurume::lang::Lang::Ja,
        )
        .unwrap()
    };
    // The password where the length belongs: the cells written anew, as text.
    let mut book = calamine::open_workbook_auto_from_rs(std::io::Cursor::new(bytes)).unwrap();
    let mut out = Workbook::new();
    for name in book.sheet_names() {
        let range = book.worksheet_range(&name).unwrap();
        let ws = out.add_worksheet().set_name(&name).unwrap();
        for (r, c, v) in range.used_cells() {
            let text = match v {
                Data::DateTime(d) => {
                    let (y, m, dd, ..) = d.to_ymd_hms_milli();
                    format!("{y}/{m}/{dd}")
                }
                other => other.to_string(),
            };
            ws.write(r as u32, c as u16, text).unwrap();
        }
        if name == "アカウント" {
            let header = range
                .rows()
                .nth(2)
                .unwrap()
                .iter()
                .position(|d| *d == "文字数")
                .unwrap();
            ws.write(3, header as u16, secret).unwrap();
        }
    }
    out.save(&path).unwrap();
    for format in ["human", "json", "sarif"] {
        let o = rurume()
            .args(["check", "--lang", "ja", "--format", format])
            .arg(&path)
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&o.stdout).into_owned();
        assert!(text.contains("文字数"), "{format}: {text}");
        assert!(
            common::leaks(&o.stdout, &[secret]).is_empty(),
            "{format} shows the password: {text}"
        );
    }
}
