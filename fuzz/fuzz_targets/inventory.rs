//! Arbitrary bytes through the library, as `rurume check` would see them: parse, evaluate
//! against the built-in rules, render.
//!
//! The input is one inventory file, or up to three when it contains the separator
//! `SEPARATOR` (so the cross-file rules get colliding ids and emails to work on; the
//! dictionary written by `seed.sh` carries the separator).
//!
//! Asserted for every input:
//! - nothing panics (parsing, every rule, cross-file rules, exceptions, positions, the
//!   JSON and human outputs in both languages);
//! - the JSON output parses as JSON, in both languages, and `summary.files` is the number
//!   of files;
//! - every finding names one of the files, and its line and column lie inside that file
//!   (line in 1..=lines, column in 1..=chars of that line + 1, on the text without a BOM,
//!   invalid UTF-8 replaced — the text positions refer to);
//! - rurume's parser agrees with serde_json: what it accepts, serde_json reads as the same
//!   value, and every value's span holds that value; what it refuses, serde_json refuses
//!   too (or it is a duplicate key or too deep — the refusals serde_json words for us, so
//!   the generic "invalid JSON" message never appears).

#![no_main]

use std::sync::LazyLock;

use libfuzzer_sys::fuzz_target;

use rurume::engine;
use rurume::inventory::Inventory;
use rurume::lang::Lang;
use rurume::output;
use rurume::rules::RuleSet;

const SEPARATOR: &[u8] = b"\n\0--8<--\0\n";
const MAX_FILES: usize = 3;

static RULES: LazyLock<RuleSet> =
    LazyLock::new(|| RuleSet::builtin().expect("built-in rules load"));

static AS_OF: LazyLock<jiff::civil::Date> = LazyLock::new(|| "2026-11-26".parse().expect("a date"));

fn split(data: &[u8]) -> Vec<(String, Vec<u8>)> {
    let mut parts = Vec::new();
    let mut rest = data;
    while parts.len() + 1 < MAX_FILES {
        match rest.windows(SEPARATOR.len()).position(|w| w == SEPARATOR) {
            Some(i) => {
                parts.push(rest[..i].to_vec());
                rest = &rest[i + SEPARATOR.len()..];
            }
            None => break,
        }
    }
    parts.push(rest.to_vec());
    parts
        .into_iter()
        .enumerate()
        .map(|(i, bytes)| (format!("f{i}/inventory.json"), bytes))
        .collect()
}

/// The text positions refer to: the bytes without a BOM, invalid UTF-8 replaced.
fn text_of(bytes: &[u8]) -> String {
    let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    String::from_utf8_lossy(bytes).into_owned()
}

fn check_json(files: &[(String, Vec<u8>)], json: &str) {
    let doc: serde_json::Value = match serde_json::from_str(json) {
        Ok(doc) => doc,
        Err(e) => panic!("JSON output does not parse: {e}\n{json}"),
    };
    assert_eq!(
        doc["summary"]["files"].as_u64(),
        Some(files.len() as u64),
        "summary.files"
    );
    let findings = doc["findings"].as_array().expect("findings is an array");
    for f in findings {
        let file = f["file"].as_str().expect("file is a string");
        let (_, bytes) = files
            .iter()
            .find(|(name, _)| name == file)
            .unwrap_or_else(|| panic!("finding for unknown file {file}: {f}"));
        let text = text_of(bytes);
        let lines: Vec<&str> = text.split('\n').collect();
        let line = f["line"].as_u64().expect("line is a number") as usize;
        let column = f["column"].as_u64().expect("column is a number") as usize;
        assert!(
            line >= 1 && line <= lines.len(),
            "line {line} outside 1..={} for {f}",
            lines.len()
        );
        let chars = lines[line - 1].chars().count();
        assert!(
            column >= 1 && column <= chars + 1,
            "column {column} outside 1..={} on line {line} for {f}",
            chars + 1
        );
    }
}

/// The parser against serde_json, on the text positions refer to.
fn check_parser(bytes: &[u8]) {
    let text = text_of(bytes);
    match rurume::inventory::parse::parse(text.as_str().into()) {
        Ok((document, _)) => {
            let expected: serde_json::Value = serde_json::from_str(&text)
                .unwrap_or_else(|e| panic!("rurume accepted what serde_json refuses: {e}"));
            assert_eq!(document.root().to_value(), expected, "the same value");
            let mut stack = vec![document.root()];
            while let Some(node) = stack.pop() {
                let span = node.span().expect("parsed values have spans");
                let written: serde_json::Value = serde_json::from_str(&text[span.start..span.end])
                    .expect("a value's span holds a JSON value");
                assert_eq!(written, node.to_value(), "span of {}", node.pointer());
                if let Some(items) = node.as_array() {
                    stack.extend(items.iter());
                }
                if let Some(members) = node.as_object() {
                    stack.extend(members.iter().map(|(_, v)| v));
                }
            }
        }
        Err(e) => assert_ne!(
            e.message.en, "invalid JSON",
            "rurume refused what serde_json reads (strictly) without complaint"
        ),
    }
}

fuzz_target!(|data: &[u8]| {
    let files = split(data);
    for (_, bytes) in &files {
        check_parser(bytes);
    }
    let inventories = files
        .iter()
        .map(|(name, bytes)| Inventory::from_bytes(name.clone(), bytes.clone()))
        .collect();
    let report = engine::check(inventories, &RULES, *AS_OF);
    for lang in [Lang::En, Lang::Ja] {
        check_json(&files, &output::json::render(&report, lang));
        let style = output::human::Style {
            color: false,
            width: 100,
            quiet: false,
        };
        let _ = output::human::render(&report, lang, style);
    }
});
