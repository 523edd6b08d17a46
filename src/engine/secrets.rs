//! Where secrets sit in a file's text, so that every output can mask them.
//!
//! A parsed file knows its secrets exactly (the pointers `plaintext-password` matched). A
//! file that does not parse still gets its `"password": "…"` values masked, found by a
//! lexical scan with the same key patterns, so a snippet around a syntax error never shows
//! a password either.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::ops::Range;
use std::sync::OnceLock;

use regex::Regex;

use serde_json::Value;

use crate::inventory::pointer;
use crate::rules::{RuleSet, Selection};

/// The key patterns of the rule set's secret scans (`each_key` with `secret = true`).
pub fn key_patterns(rules: &RuleSet) -> Vec<&Regex> {
    rules
        .rules
        .iter()
        .flat_map(|r| &r.matchers)
        .filter(|m| m.secret)
        .filter_map(|m| match &m.selection {
            Selection::EachKey(patterns) => Some(patterns.iter()),
            Selection::Each(_) => None,
        })
        .flatten()
        .collect()
}

/// Does a key match any of the patterns? Remembered per key: an inventory repeats a few
/// dozen keys thousands of times, and a regex search costs more than a hash lookup.
fn memoized<'r, 'k>(patterns: impl Iterator<Item = &'r Regex>) -> impl FnMut(&'k str) -> bool {
    let patterns: Vec<&Regex> = patterns.collect();
    let mut seen: HashMap<&'k str, bool, BuildHasherDefault<Fnv>> = HashMap::default();
    move |key: &'k str| {
        *seen
            .entry(key)
            .or_insert_with(|| patterns.iter().any(|r| r.is_match(key)))
    }
}

/// FNV-1a: keys are short and not chosen by an attacker who could gain from collisions
/// (the table only remembers regex answers), so a simple hash beats SipHash here.
#[derive(Default)]
struct Fnv(u64);

impl Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        let mut h = if self.0 == 0 {
            0xcbf2_9ce4_8422_2325
        } else {
            self.0
        };
        for b in bytes {
            h = (h ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3);
        }
        self.0 = h;
    }
}

/// One step from a value to a member or element.
#[derive(Clone, Copy)]
enum Step<'v> {
    Key(&'v str),
    Index(usize),
}

fn pointer_of(steps: &[Step]) -> String {
    let mut out = String::new();
    for step in steps {
        match step {
            Step::Key(k) => {
                out.push('/');
                out.push_str(&pointer::escape_token(k));
            }
            Step::Index(i) => pointer::push_index(&mut out, *i),
        }
    }
    out
}

/// Members at any depth whose key matches, in document order, with their pointers. One
/// walk with a stack of steps: a pointer is written only for a match. Recursion depth is
/// bounded by the parser's nesting limit.
pub fn members_matching<'r, 'v>(
    root: &'v Value,
    patterns: impl Iterator<Item = &'r Regex>,
) -> Vec<(String, &'v Value)> {
    fn walk<'v>(
        value: &'v Value,
        steps: &mut Vec<Step<'v>>,
        matches: &mut dyn FnMut(&'v str) -> bool,
        out: &mut Vec<(String, &'v Value)>,
    ) {
        match value {
            Value::Object(map) => {
                for (k, v) in map {
                    steps.push(Step::Key(k));
                    if matches(k) {
                        out.push((pointer_of(steps), v));
                    }
                    if v.is_object() || v.is_array() {
                        walk(v, steps, matches, out);
                    }
                    steps.pop();
                }
            }
            Value::Array(items) => {
                for (i, v) in items.iter().enumerate() {
                    if v.is_object() || v.is_array() {
                        steps.push(Step::Index(i));
                        walk(v, steps, matches, out);
                        steps.pop();
                    }
                }
            }
            _ => {}
        }
    }
    let mut out = Vec::new();
    let mut matches = memoized(patterns);
    walk(root, &mut Vec::new(), &mut matches, &mut out);
    out
}

/// Pointers of the strings at or under these values, sorted: what the text shows masked
/// under a key that names a password (`"password": { "length": "…" }` too).
pub fn strings_under(members: &[(String, &Value)]) -> Vec<String> {
    fn walk(value: &Value, at: &mut String, out: &mut Vec<String>) {
        let len = at.len();
        match value {
            Value::String(_) => out.push(at.clone()),
            Value::Object(map) => {
                for (k, v) in map {
                    at.push('/');
                    at.push_str(&pointer::escape_token(k));
                    walk(v, at, out);
                    at.truncate(len);
                }
            }
            Value::Array(items) => {
                for (i, v) in items.iter().enumerate() {
                    pointer::push_index(at, i);
                    walk(v, at, out);
                    at.truncate(len);
                }
            }
            _ => {}
        }
    }
    let mut out = Vec::new();
    for (at, value) in members {
        walk(value, &mut at.clone(), &mut out);
    }
    out.sort();
    out.dedup();
    out
}

/// Byte ranges of string values (with their quotes) that follow a key matching a
/// pattern: `"key" : "value"`, also when the value's closing quote is missing; and every
/// string value of an object under such a key (`"password": { "value": "…" }`).
pub fn lexical_spans(text: &str, patterns: &[&Regex]) -> Vec<Range<usize>> {
    if patterns.is_empty() {
        return vec![];
    }
    let names_a_secret = |key: &str| patterns.iter().any(|p| p.is_match(key));
    let mut out = member_values(text, &names_a_secret);
    // An object or a list under such a key: every string inside it, up to its closing
    // bracket (the values are flat properties; nesting is not expected there).
    static CONTAINER: OnceLock<Regex> = OnceLock::new();
    static STRING: OnceLock<Regex> = OnceLock::new();
    let container = CONTAINER.get_or_init(|| {
        Regex::new(r#""((?:[^"\\\n]|\\.)*)"\s*:\s*([\{\[])"#).expect("valid regex")
    });
    let string =
        STRING.get_or_init(|| Regex::new(r#"(?m)"(?:[^"\\\n]|\\.)*(?:"|$)"#).expect("valid regex"));
    for caps in container.captures_iter(text) {
        let (key, open) = (caps.get(1).expect("group"), caps.get(2).expect("group"));
        let key_text = serde_json::from_str::<String>(&text[key.start() - 1..key.end() + 1])
            .unwrap_or_else(|_| key.as_str().to_owned());
        if !names_a_secret(&key_text) {
            continue;
        }
        let close = if open.as_str() == "{" { '}' } else { ']' };
        let body_end = text[open.end()..]
            .find(close)
            .map_or(text.len(), |i| open.end() + i);
        let body = &text[open.end()..body_end];
        let found: Vec<Range<usize>> = match close {
            '}' => member_values(body, &|_| true),
            _ => string.find_iter(body).map(|m| m.range()).collect(),
        };
        out.extend(
            found
                .into_iter()
                .map(|r| r.start + open.end()..r.end + open.end()),
        );
    }
    out.sort_by_key(|r| (r.start, r.end));
    out.dedup();
    out
}

/// `"key": "value"` members whose key is accepted: the values' ranges.
fn member_values(text: &str, accept: &dyn Fn(&str) -> bool) -> Vec<Range<usize>> {
    static MEMBER: OnceLock<Regex> = OnceLock::new();
    let member = MEMBER.get_or_init(|| {
        Regex::new(r#"(?m)"((?:[^"\\\n]|\\.)*)"\s*:?\s*("(?:[^"\\\n]|\\.)*(?:"|$))"#)
            .expect("valid regex")
    });
    let mut out = Vec::new();
    let mut at = 0;
    while let Some(caps) = member.captures_at(text, at) {
        let (key, value) = (caps.get(1).expect("group"), caps.get(2).expect("group"));
        let key_text = serde_json::from_str::<String>(&text[key.start() - 1..key.end() + 1])
            .unwrap_or_else(|_| key.as_str().to_owned());
        if accept(&key_text) {
            out.push(value.start()..value.end());
            at = value.end();
        } else {
            // The value may itself be the next key (`"a": "b", "password": …` is fine, but
            // in `["x", "password": …]` the scan must not skip past it).
            at = key.end() + 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spans(text: &str) -> Vec<&str> {
        let p = Regex::new("(?i)password|パスワード").unwrap();
        lexical_spans(text, &[&p])
            .into_iter()
            .map(|r| &text[r])
            .collect()
    }

    #[test]
    fn masks_every_string_under_a_password_key() {
        let p = Regex::new("(?i)^password$").unwrap();
        let doc = serde_json::json!({ "a": [{ "password": { "length": "x1", "n": 3, "deep": ["y"] } }], "password": "z" });
        assert_eq!(
            strings_under(&members_matching(&doc, [&p].into_iter())),
            ["/a/0/password/deep/0", "/a/0/password/length", "/password"]
        );
    }

    #[test]
    fn finds_values_of_password_keys_even_in_broken_json() {
        assert_eq!(
            spans(r#"{"password": "hunter22",, "x": "y"}"#),
            ["\"hunter22\""]
        );
        assert_eq!(spans("{\"パスワード\" : \"abc\\\"d\"}"), ["\"abc\\\"d\""]);
        assert_eq!(
            spans("{\"password\": \"unterminated\n}"),
            ["\"unterminated"]
        );
        assert_eq!(
            spans(r#"{"name": "password", "other": "x"}"#),
            Vec::<&str>::new()
        );
        assert_eq!(spans(r#"{"pass\u0077ord": "x1"}"#), ["\"x1\""]);
        assert_eq!(
            spans(r#"{"password": {"value": "InsideObj99", "length": 3},, }"#),
            ["\"InsideObj99\""]
        );
        assert_eq!(
            spans(r#"{"password": ["InList77", "x"],, }"#),
            ["\"InList77\"", "\"x\""]
        );
    }
}
