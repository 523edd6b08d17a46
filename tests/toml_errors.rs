//! A broken `rurume.toml` or rule file is explained in the user's language: rurume's own
//! messages, serde's and the TOML parser's alike (`src/toml_error.ja.toml`).

mod common;

use common::rurume;

/// The text without its line wrapping (miette wraps at 80 columns): no white space, no
/// frame.
fn flat(text: &str) -> String {
    text.chars()
        .filter(|c| !c.is_whitespace() && *c != '│')
        .collect()
}

/// Does `stderr`, unwrapped, contain `expected`?
fn says(stderr: &str, expected: &str) -> bool {
    flat(stderr).contains(&flat(expected))
}

/// Runs `check` with `rurume.toml` holding `config`; returns (exit code, stderr).
fn with_config(config: &str, lang: Option<&str>, env_lang: Option<&str>) -> (i32, String) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("rurume.toml"), config).unwrap();
    let mut cmd = rurume();
    cmd.arg("check")
        .arg("--config")
        .arg(dir.path().join("rurume.toml"))
        .arg("samples/");
    if let Some(lang) = lang {
        cmd.args(["--lang", lang]);
    }
    if let Some(value) = env_lang {
        cmd.env("LANG", value);
    }
    let out = cmd.output().unwrap();
    (
        out.status.code().unwrap(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn a_broken_configuration_is_explained_in_japanese() {
    let cases = [
        // rurume's own validation
        (
            "[severity]\nscreen-lock = \"fatal\"\n",
            "`fatal` は重大度として使えません",
        ),
        (
            "[severity]\nscreen-lok = \"error\"\n",
            "`screen-lock` のことですか？",
        ),
        (
            "[params.screen-lock]\nmax = 1\n",
            "パラメータ `max` はありません",
        ),
        // serde: the shape of the file
        ("foo = 1\n", "`foo` という項目はありません"),
        (
            "severity = 3\n",
            "型が違います: 表（{ … } または [見出し]）を書くところに 整数 `3` があります",
        ),
        (
            "exclude = \"x\"\n",
            "配列（[ … ]）を書くところに 文字列 \"x\" があります",
        ),
        // the TOML parser
        (
            "[severity\n",
            "表の見出しが閉じていません（`]` が必要です）",
        ),
        ("a = 1\na = 2\n", "同じキーが二度書かれています"),
        ("a = \n", "文字列は引用符（\"…\"）で囲んでください"),
    ];
    for (config, expected) in cases {
        let (code, stderr) = with_config(config, Some("ja"), None);
        assert_eq!(code, 2, "{config:?}: {stderr}");
        assert!(says(&stderr, expected), "{config:?}: {stderr}");
        assert!(
            says(&stderr, "設定ファイルに 1 件の誤りがあります"),
            "{stderr}"
        );
        assert!(
            says(&stderr, "ここ") && says(&stderr, "README の「設定」"),
            "{stderr}"
        );
        // The place is still shown.
        assert!(stderr.contains("rurume.toml:"), "{stderr}");
    }
}

#[test]
fn the_language_of_the_environment_is_used_and_english_stays_english() {
    let config = "[severity]\nscreen-lock = \"fatal\"\n";
    let (_, japanese) = with_config(config, None, Some("ja_JP.UTF-8"));
    assert!(
        says(&japanese, "`fatal` は重大度として使えません"),
        "{japanese}"
    );
    let (_, english) = with_config(config, None, None);
    assert!(
        says(
            &english,
            "`fatal` is not a severity: use \"error\", \"warning\" or \"off\""
        ) && says(&english, "the configuration has 1 error(s)")
            && says(&english, "here"),
        "{english}"
    );
    assert!(
        !english
            .chars()
            .any(|c| ('\u{3040}'..='\u{9fff}').contains(&c)),
        "{english}"
    );
}

#[test]
fn a_broken_rule_file_is_explained_in_japanese() {
    let dir = tempfile::tempdir().unwrap();
    let rule = std::fs::read_to_string("rules/rurume/screen-lock.toml").unwrap();
    std::fs::write(
        dir.path().join("screen-lock.toml"),
        rule.replacen(
            "severity = \"error\"",
            "severity = \"error\"\nseverity_typo = 1",
            1,
        ),
    )
    .unwrap();
    std::fs::write(
        dir.path().join("other.toml"),
        &rule, // `id = "screen-lock"` in other.toml
    )
    .unwrap();
    let out = rurume()
        .args(["check", "--lang", "ja", "--rules"])
        .arg(dir.path())
        .arg("samples/")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        says(&stderr, "規則ファイルに 2 件の誤りがあります"),
        "{stderr}"
    );
    assert!(
        says(&stderr, "`severity_typo` という項目はありません"),
        "{stderr}"
    );
    assert!(
        says(
            &stderr,
            "規則の id `screen-lock` はファイル名 `other.toml` と同じにしてください"
        ),
        "{stderr}"
    );
    assert!(
        says(&stderr, "規則ファイルの書き方は rules/README.md にあります"),
        "{stderr}"
    );
}

/// Issue #15: a value of `[params]` that does not fit a built-in rule (a bad date in the
/// end-of-support table of `mhlw-os-unsupported`, an invalid pattern added to a list) is
/// this file's mistake: reported at its place in rurume.toml, never blamed on the
/// built-in rule file, in both languages; the rows are counted as written here.
#[test]
fn a_bad_value_in_params_is_blamed_on_rurume_toml_at_its_place() {
    let config = "\
[params.mhlw-os-unsupported]
end_of_support = { add = [{ name = \"macOS\", version = \"12\", date = \"2024-09-16\" }, { name = \"macOS\", version = \"11\", date = \"2023-13-26\" }] }
[params.file-sharing-app]
patterns = { add = ['(?i)[soulseek'] }
";
    for (lang, expected) in [
        (
            "en",
            [
                "rurume.toml: parameter `end_of_support` of `mhlw-os-unsupported` does not fit the rule (rows counted as written here): row 2 of the `lookup` table: `date` must be a date written YYYY-MM-DD, not \"2023-13-26\"",
                "rurume.toml: parameter `patterns` of `file-sharing-app` does not fit the rule: invalid regular expression `(?i)[soulseek`",
                "the configuration has 2 error(s)",
            ],
        ),
        (
            "ja",
            [
                "rurume.toml: 規則 `mhlw-os-unsupported` のパラメータ `end_of_support` の値が規則に合いません（行は、ここに書いた順に数えます）: 表の 2 行目: `date` には日付を YYYY-MM-DD の形で書いてください（\"2023-13-26\" は日付として読めません）",
                "rurume.toml: 規則 `file-sharing-app` のパラメータ `patterns` の値が規則に合いません: 正規表現 `(?i)[soulseek` が正しくありません",
                "設定ファイルに 2 件の誤りがあります",
            ],
        ),
    ] {
        let (code, stderr) = with_config(config, Some(lang), None);
        assert_eq!(code, 2, "{stderr}");
        for e in expected {
            assert!(says(&stderr, e), "{lang}: {e}\n{stderr}");
        }
        // At its place in rurume.toml: the line of each value is shown and underlined.
        assert!(stderr.contains("invalid-config"), "{stderr}");
        assert!(!stderr.contains("invalid-rule"), "{stderr}");
        assert!(!stderr.contains("rules/mhlw"), "{stderr}");
        assert!(!stderr.contains("rules/rurume"), "{stderr}");
        assert!(stderr.contains("rurume.toml:2:18"), "{stderr}");
        assert!(stderr.contains("rurume.toml:4:12"), "{stderr}");
    }
    // Rows that fit are taken: the added macOS row decides for a device of that OS.
    let (code, stderr) = with_config(
        "[params.mhlw-os-unsupported]\nend_of_support = { add = [{ name = \"macOS\", version = \"12\", date = \"2024-09-16\" }] }\n",
        Some("en"),
        None,
    );
    assert!(code < 2, "{stderr}");
}

/// A `checklist.toml` of a `--rules DIR` with a bad short name is explained like a rule
/// file: in Japanese, at its place.
#[test]
fn a_bad_short_name_in_a_rule_folders_checklist_is_explained_in_japanese() {
    let dir = tempfile::tempdir().unwrap();
    let rules = dir.path().join("rules");
    common::copy_tree(std::path::Path::new("rules"), &rules);
    let checklist = std::fs::read_to_string(rules.join("checklist.toml")).unwrap();
    let broken = checklist
        .replacen(
            "short = { ja = \"責任者\", en = \"Security officer\" }",
            "short = { ja = \" \", en = \"Security officer\" }",
            1,
        )
        .replacen(
            "short = { ja = \"台帳管理\", en = \"Device ledger\" }",
            "short = { ja = \"台帳管理\", en = \"Device\\nledger\" }",
            1,
        );
    assert_ne!(broken, checklist);
    std::fs::write(rules.join("checklist.toml"), broken).unwrap();
    let out = rurume()
        .args(["check", "--lang", "ja", "--rules"])
        .arg(&rules)
        .arg("samples/")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    for expected in [
        "`short.ja`（短い名前）が空です",
        "`short.en`（短い名前）は一行で書いてください",
        "checklist.toml",
    ] {
        assert!(says(&stderr, expected), "{expected}\n{stderr}");
    }
    assert!(!stderr.contains("is empty"), "{stderr}");
    assert!(!stderr.contains("must be one line"), "{stderr}");
}
