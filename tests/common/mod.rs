//! What the end-to-end test files share: the command under test, the evaluation date, and
//! the privacy check. (Each test file uses part of it, hence `dead_code` allowed here.)
#![allow(dead_code)]

use assert_cmd::cargo::cargo_bin_cmd;

/// The evaluation date of the samples and fixtures.
pub const AS_OF: &str = "2026-11-26";

/// The plaintext passwords planted in tests/fixtures/privacy: under password keys
/// (parsed.json, broken.json, schema-broken.json) and among an account's password
/// properties (in-properties.json).
pub const PLANTED_PASSWORDS: &[&str] = &[
    "Sakura#7319xyq",
    "Zq8vTmw3Lk",
    "Mihon-Kyoto-77",
    "ToraNeko5555",
    "Wq7hPzX2kd",
    "Jv5tRmK8ns",
];

/// `rurume` run from the project folder, in English (LC_ALL, LC_MESSAGES and LANG removed),
/// outside a desktop session (DISPLAY, WAYLAND_DISPLAY removed),
/// without colour, and
/// with the default table width.
pub fn rurume() -> assert_cmd::Command {
    let mut cmd = cargo_bin_cmd!("rurume");
    cmd.current_dir(env!("CARGO_MANIFEST_DIR"))
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env_remove("LANG")
        .env_remove("COLUMNS")
        // Without a terminal but with a desktop, `rurume` alone would start the page.
        .env_remove("DISPLAY")
        .env_remove("WAYLAND_DISPLAY")
        .env("NO_COLOR", "1");
    cmd
}

/// A finished run of `rurume`: its exit status and what it wrote.
pub struct Output {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

/// Runs [`rurume`] with these arguments in `dir`.
pub fn run_in(dir: &std::path::Path, args: &[&str]) -> Output {
    let out = rurume().current_dir(dir).args(args).output().unwrap();
    Output {
        code: out.status.code().unwrap(),
        stdout: String::from_utf8(out.stdout).unwrap(),
        stderr: String::from_utf8(out.stderr).unwrap(),
    }
}

/// Runs [`rurume`] with these arguments in the project folder.
pub fn run(args: &[&str]) -> Output {
    run_in(std::path::Path::new(env!("CARGO_MANIFEST_DIR")), args)
}

/// (rule, pointer, waived) of every finding of a `check --format json` output.
pub fn json_findings(stdout: &str) -> Vec<(String, String, bool)> {
    let doc: serde_json::Value = serde_json::from_str(stdout).unwrap();
    doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["rule"].as_str().unwrap().to_owned(),
                f["pointer"].as_str().unwrap().to_owned(),
                f["waived"].as_bool().unwrap(),
            )
        })
        .collect()
}

/// Every 4-character part of any of the secrets that appears in the output.
pub fn leaks(output: &[u8], secrets: &[&str]) -> Vec<String> {
    let text = String::from_utf8_lossy(output);
    let mut found = Vec::new();
    for secret in secrets {
        let chars: Vec<char> = secret.chars().collect();
        for window in chars.windows(4.min(chars.len())) {
            let part: String = window.iter().collect();
            if text.contains(&part) {
                found.push(part);
            }
        }
    }
    found
}

/// proptest's settings for this project's property tests: `default` cases unless
/// `PROPTEST_CASES` says otherwise (the long runs in the README set it).
pub fn cases(default: u32) -> proptest::test_runner::Config {
    let n = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(default);
    let defaults = proptest::test_runner::Config::default();
    // A fixed seed, so that CI runs the same cases every time (a property's statistics, such
    // as `assert_mixed` in document_parse, then cannot fail one run in twenty);
    // `PROPTEST_RNG_SEED` chooses another seed for a longer hunt.
    let rng_seed = if std::env::var_os("PROPTEST_RNG_SEED").is_some() {
        defaults.rng_seed
    } else {
        proptest::test_runner::RngSeed::Fixed(0x7275_7275_6d65)
    };
    proptest::test_runner::Config {
        cases: n,
        rng_seed,
        // Shrinking a failure of a large document can take long; enough to get a small one.
        max_shrink_iters: 2048,
        // No `proptest-regressions/` files: a failure prints its minimal input instead.
        failure_persistence: None,
        ..defaults
    }
}

/// Copies `from` (a folder) into `to`, subfolders included.
pub fn copy_tree(from: &std::path::Path, to: &std::path::Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let path = entry.unwrap().path();
        let target = to.join(path.file_name().unwrap());
        if path.is_dir() {
            copy_tree(&path, &target);
        } else {
            std::fs::copy(&path, &target).unwrap();
        }
    }
}
