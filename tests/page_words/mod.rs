//! What the self-check page must never show (tests/serve_api.rs and serve_browser.rs):
//! a field name of the inventory's schema, a JSON Pointer, a command line.
#![allow(dead_code)]

use serde_json::Value;

/// Every property name of the schema.
pub fn schema_keys() -> std::collections::BTreeSet<String> {
    fn walk(v: &Value, out: &mut std::collections::BTreeSet<String>) {
        match v {
            Value::Object(map) => {
                if let Some(Value::Object(props)) = map.get("properties") {
                    out.extend(props.keys().cloned());
                }
                map.values().for_each(|v| walk(v, out));
            }
            Value::Array(items) => items.iter().for_each(|v| walk(v, out)),
            _ => {}
        }
    }
    let schema: Value =
        serde_json::from_str(&std::fs::read_to_string("schemas/inventory.schema.json").unwrap())
            .unwrap();
    let mut keys = std::collections::BTreeSet::new();
    walk(&schema, &mut keys);
    keys
}

/// What in a text the page must not show, if anything. `template`: the text is a rule's
/// template (placeholders already taken out), so a dotted path is a field too; rendered
/// texts hold values (an MCS id `higashi.uketsuke`) that may have dots.
pub fn page_slip(
    text: &str,
    japanese: bool,
    keys: &std::collections::BTreeSet<String>,
    template: bool,
) -> Option<String> {
    if text.contains('`') {
        return Some("a backtick (a command or a field)".into());
    }
    let command = regex::Regex::new(
        r"rurume (serve|check|audit|password|explain|rules|schema|convert|template|checklist)\b|--[a-z]",
    )
    .unwrap();
    if command.is_match(text) {
        return Some("a command line".into());
    }
    let pointer = regex::Regex::new(r"(^|[\s（(「“:：])/[a-z_]+(/|\b)").unwrap();
    if let Some(m) = pointer.find(text) {
        return Some(format!("a pointer `{}`", m.as_str().trim()));
    }
    let words = regex::Regex::new(r"[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*").unwrap();
    for m in words.find_iter(text) {
        let word = m.as_str();
        if word == "true" || word == "false" || word == "null" {
            return Some(format!("a JSON value `{word}`"));
        }
        let path = word.contains('.')
            && word.split('.').all(|part| part.len() > 1)
            && word
                .chars()
                .all(|c| c.is_ascii_lowercase() || c == '.' || c == '_');
        if template && path {
            return Some(format!("a field path `{word}`"));
        }
        let key = keys.contains(word);
        if key && (word.contains('_') || japanese) {
            return Some(format!("the field name `{word}`"));
        }
    }
    None
}

/// Fails with every slip found, each once, in order.
pub fn assert_no_slips(mut slips: Vec<String>) {
    slips.sort();
    slips.dedup();
    assert!(
        slips.is_empty(),
        "the page shows the file's words:\n{}",
        slips.join("\n")
    );
}
