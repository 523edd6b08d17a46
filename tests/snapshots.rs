//! Snapshots of the human output, in both languages: what a facility manager reads.

use assert_cmd::cargo::cargo_bin_cmd;

fn human(lang: &str, paths: &[&str]) -> String {
    let out = cargo_bin_cmd!("rurume")
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("NO_COLOR", "1")
        .args(["check", "--as-of", "2026-11-26", "--lang", lang])
        .args(paths)
        .output()
        .unwrap();
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn many_violations_en() {
    insta::assert_snapshot!(human("en", &["samples/F0002-higashi-clinic.json"]));
}

#[test]
fn many_violations_ja() {
    insta::assert_snapshot!(human("ja", &["samples/F0002-higashi-clinic.json"]));
}

#[test]
fn exceptions_and_cross_file_ja() {
    insta::assert_snapshot!(human(
        "ja",
        &[
            "samples/F0003-sakura-pharmacy.json",
            "samples/F0004-kita-care-plan.json",
            "samples/F0005-asahi-hospital.json",
            "samples/F0006-minami-dental.json"
        ]
    ));
}

#[test]
fn exceptions_and_cross_file_en() {
    insta::assert_snapshot!(human(
        "en",
        &[
            "samples/F0003-sakura-pharmacy.json",
            "samples/F0004-kita-care-plan.json",
            "samples/F0005-asahi-hospital.json",
            "samples/F0006-minami-dental.json"
        ]
    ));
}

#[test]
fn schema_and_syntax_errors() {
    insta::assert_snapshot!(human(
        "en",
        &[
            "samples/F0007-hibari-home-clinic.json",
            "tests/fixtures/bad/trailing-comma.json"
        ]
    ));
    insta::assert_snapshot!(human(
        "ja",
        &[
            "samples/F0007-hibari-home-clinic.json",
            "tests/fixtures/bad/trailing-comma.json"
        ]
    ));
}

#[test]
fn plaintext_passwords_are_masked_in_snippets() {
    insta::assert_snapshot!(human(
        "ja",
        &[
            "tests/fixtures/privacy/parsed.json",
            "tests/fixtures/privacy/broken.json"
        ]
    ));
}

#[test]
fn compliant_file_prints_only_the_summary() {
    assert_eq!(
        human("en", &["samples/F0001-midori-houmon-kango.json"]),
        "0 errors, 0 warnings, 0 waived in 1 file\n"
    );
    assert_eq!(
        human("ja", &["samples/F0001-midori-houmon-kango.json"]),
        "エラー 0 件、警告 0 件、例外により免除 0 件（1 ファイルを検査）\n"
    );
}
