//! Where secrets sit in a file's text, so that every output can mask them.
//!
//! A parsed file knows its secrets exactly (the pointers `plaintext-password` matched). A
//! file that does not parse still gets its `"password": "…"` values masked, found by a
//! lexical scan with the same key patterns, so a snippet around a syntax error never shows
//! a password either.

use std::ops::Range;
use std::sync::OnceLock;

use aho_corasick::AhoCorasick;
use regex::Regex;

use super::MASK;
use crate::inventory::document::{Kind, Node};
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

/// Does a key match any of the patterns? Remembered per key, in each thread for as long as
/// the patterns stay the same: inventories repeat the same few hundred keys thousands of
/// times, file after file, and a regex search costs more than a lookup in a small hash
/// table indexed by the key's fingerprint. The table is open-addressed (a key whose slot is
/// taken goes to the next free one), so that two frequent keys sharing a slot do not evict
/// each other at every member; it holds at most [`MEMO_KEYS`] keys of at most
/// [`MEMO_KEY_BYTES`] bytes, whatever the files hold, and starts afresh when full.
fn with_memo<'r, T>(
    patterns: impl Iterator<Item = &'r Regex>,
    f: impl FnOnce(&mut Answers) -> T,
) -> T {
    thread_local! {
        static MEMO: std::cell::RefCell<KeyMemo> = const {
            std::cell::RefCell::new(KeyMemo { patterns: Vec::new(), slots: Vec::new(), keys: 0 })
        };
    }
    let patterns: Vec<&Regex> = patterns.collect();
    MEMO.with(|memo| {
        // A reentrant call (there is none today) would find the table borrowed: it then
        // searches without one.
        let Ok(mut memo) = memo.try_borrow_mut() else {
            return f(&mut Answers::Searched(&patterns));
        };
        let memo = &mut *memo;
        if memo.slots.is_empty()
            || memo.patterns.len() != patterns.len()
            || memo
                .patterns
                .iter()
                .zip(&patterns)
                .any(|(a, b)| a != b.as_str())
        {
            memo.patterns = patterns.iter().map(|r| r.as_str().to_owned()).collect();
            memo.clear();
        }
        f(&mut Answers::Remembered(memo, &patterns))
    })
}

/// Whether keys match the patterns: remembered ([`with_memo`]), or searched each time.
enum Answers<'a> {
    Remembered(&'a mut KeyMemo, &'a [&'a Regex]),
    Searched(&'a [&'a Regex]),
}

impl Answers<'_> {
    /// Does `key`, whose fingerprint (as the document keeps it) is `fp`, match?
    #[inline]
    fn matches(&mut self, key: &str, fp: u64) -> bool {
        let (memo, patterns) = match self {
            Answers::Remembered(memo, patterns) => (&mut **memo, *patterns),
            Answers::Searched(patterns) => return patterns.iter().any(|r| r.is_match(key)),
        };
        let mut slot = memo_slot(fp);
        loop {
            match &memo.slots[slot] {
                Some((seen, name, answer)) if *seen == fp && (key.len() <= 7 || **name == *key) => {
                    return *answer;
                }
                Some(_) => slot = (slot + 1) % MEMO_SLOTS,
                None => break,
            }
        }
        let answer = patterns.iter().any(|r| r.is_match(key));
        if key.len() <= MEMO_KEY_BYTES {
            if memo.keys == MEMO_KEYS {
                memo.clear();
                slot = memo_slot(fp);
            }
            memo.slots[slot] = Some((fp, key.into(), answer));
            memo.keys += 1;
        }
        answer
    }
}

/// The slot where the search for a key with fingerprint `fp` starts.
fn memo_slot(fp: u64) -> usize {
    (fp.wrapping_mul(0x9e37_79b9_7f4a_7c15) >> 54) as usize % MEMO_SLOTS
}

/// The table's slots, the keys a thread remembers (three quarters of the slots, so that
/// free slots stay near), and the longest it remembers.
const MEMO_SLOTS: usize = 1024;
const MEMO_KEYS: usize = MEMO_SLOTS / 4 * 3;
const MEMO_KEY_BYTES: usize = 64;

/// Remembered answers for one list of patterns (by their sources).
struct KeyMemo {
    patterns: Vec<String>,
    slots: Vec<Option<(u64, Box<str>, bool)>>,
    /// How many slots are taken.
    keys: usize,
}

impl KeyMemo {
    fn clear(&mut self) {
        self.slots = vec![None; MEMO_SLOTS];
        self.keys = 0;
    }
}

/// Members at any depth whose key matches, in document order. Recursion depth is bounded
/// by the parser's nesting limit.
pub fn members_matching<'r, 'd>(
    root: Node<'d>,
    patterns: impl Iterator<Item = &'r Regex>,
) -> Vec<Node<'d>> {
    fn walk<'d>(node: Node<'d>, answers: &mut Answers, out: &mut Vec<Node<'d>>) {
        match node.kind() {
            Kind::Object(members) => {
                for (k, fingerprint, v) in members.iter_fingerprinted() {
                    if answers.matches(k, fingerprint) {
                        out.push(v);
                    }
                    if v.is_container() {
                        walk(v, answers, out);
                    }
                }
            }
            Kind::Array(items) => {
                for v in items.iter().filter(|v| v.is_container()) {
                    walk(v, answers, out);
                }
            }
            _ => {}
        }
    }
    let mut out = Vec::new();
    with_memo(patterns, |answers| walk(root, answers, &mut out));
    out
}

/// The strings at or under these values, in document order: what the text shows masked
/// under a key that names a password (`"password": { "length": "…" }` too). A member of an
/// object under such a key whose value is a calendar date (`"changed": "2026-11-01"`, the
/// day the password was last changed) is a date, not a secret, and is shown; the value of
/// the key itself is always masked, whatever it looks like.
pub fn strings_under<'d>(members: &[Node<'d>]) -> Vec<Node<'d>> {
    fn walk<'d>(node: Node<'d>, out: &mut Vec<Node<'d>>) {
        match node.kind() {
            Kind::String(_) => out.push(node),
            Kind::Object(members) => members
                .iter()
                .filter(|(_, v)| {
                    v.as_str()
                        .is_none_or(|s| crate::rules::condition::parse_date(s).is_none())
                })
                .for_each(|(_, v)| walk(v, out)),
            Kind::Array(items) => items.iter().for_each(|v| walk(v, out)),
            _ => {}
        }
    }
    let mut members = members.to_vec();
    members.sort_by_key(|n| n.id());
    // A member inside another one already walked adds nothing (and nested password keys
    // would otherwise repeat the strings of the innermost once per level).
    let mut walked: Vec<Node> = Vec::new();
    let mut out = Vec::new();
    for member in members {
        if !member.is_at_or_under_any(&walked) {
            walk(member, &mut out);
            walked.push(member);
        }
    }
    out.sort_by_key(|n| n.id());
    out.dedup_by_key(|n| n.id());
    out
}

/// A document's secrets, for everything that writes its values: the secret values
/// themselves (sorted by [`Node::id`]) are never written, nor anything under them, and
/// their text is masked wherever it is repeated (an account name or a note that quotes a
/// password).
#[derive(Default)]
pub struct Secrets<'d> {
    values: Vec<Node<'d>>,
    repeated: Option<AhoCorasick>,
}

impl std::fmt::Debug for Secrets<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        // Never the values: only how many there are.
        write!(f, "Secrets({})", self.values.len())
    }
}

impl<'d> Secrets<'d> {
    /// `values`: what the secret scans reported; `masked`: every string under a key that
    /// names a password (their text is masked where repeated too).
    pub fn new(mut values: Vec<Node<'d>>, masked: &[Node<'d>]) -> Secrets<'d> {
        values.sort_by_key(|n| n.id());
        values.dedup_by_key(|n| n.id());
        let texts = values.iter().chain(masked).filter_map(|n| n.as_str());
        Secrets {
            repeated: finder(texts, REPEATED_MIN_CHARS),
            values,
        }
    }

    /// The reported secret values, in document order.
    pub fn values(&self) -> &[Node<'d>] {
        &self.values
    }

    /// Is `node` a secret or inside one?
    pub fn hides(&self, node: Node) -> bool {
        node.is_at_or_under_any(&self.values)
    }

    /// `text` with every repetition of a secret's text masked.
    pub fn mask(&self, text: String) -> String {
        match &self.repeated {
            Some(finder) => mask_occurrences(finder, &text),
            None => text,
        }
    }
}

/// Texts shorter than this are not looked for where they are repeated: they would mask
/// every such word of the file's text and messages.
pub const REPEATED_MIN_CHARS: usize = 4;

/// A searcher for the texts of at least `min_chars` characters, or `None` when there are
/// none. A text with spaces at its ends is looked for without them too: what is left of a
/// password ` Kiku9x` once trimmed is a part of it, and was once shown where a name or a
/// note repeated it without the space.
pub fn finder<'t>(texts: impl Iterator<Item = &'t str>, min_chars: usize) -> Option<AhoCorasick> {
    let mut texts: Vec<&str> = texts
        .flat_map(|t| [t, t.trim()])
        .filter(|t| t.chars().count() >= min_chars.max(1))
        .collect();
    texts.sort_unstable();
    texts.dedup();
    match texts.is_empty() {
        true => None,
        false => AhoCorasick::new(&texts).ok(),
    }
}

/// `text` with every place where a secret occurs masked. Occurrences may overlap (one
/// password inside another, or two sharing characters): their union is masked, so that no
/// part of either is left.
pub fn mask_occurrences(finder: &AhoCorasick, text: &str) -> String {
    let mut found: Vec<(usize, usize)> = finder
        .find_overlapping_iter(text)
        .map(|m| (m.start(), m.end()))
        .collect();
    if found.is_empty() {
        return text.to_owned();
    }
    found.sort_unstable();
    let mut merged: Vec<(usize, usize)> = Vec::new();
    for (start, end) in found {
        match merged.last_mut() {
            Some(last) if start <= last.1 => last.1 = last.1.max(end),
            _ => merged.push((start, end)),
        }
    }
    let mut out = String::with_capacity(text.len());
    let mut shown = 0;
    for (start, end) in merged {
        out.push_str(&text[shown..start]);
        out.push_str(MASK);
        shown = end;
    }
    out.push_str(&text[shown..]);
    out
}

/// Where the secret values at `spans` (string values with their quotes) are repeated
/// elsewhere in the text, e.g. a note that quotes a password: the ranges of every
/// occurrence of their contents as written (and trimmed: [`finder`]), overlapping ones
/// included. Contents shorter than four characters are not searched for (they would mask
/// every such word).
pub fn repetitions(text: &str, spans: &[Range<usize>]) -> Vec<Range<usize>> {
    let contents = spans
        .iter()
        .filter_map(|r| text.get(r.start + 1..r.end.checked_sub(1)?));
    let Some(finder) = finder(contents, REPEATED_MIN_CHARS) else {
        return Vec::new();
    };
    finder
        .find_overlapping_iter(text)
        .map(|m| m.start()..m.end())
        .collect()
}

/// Byte ranges of string values (with their quotes) that follow a key matching a
/// pattern: `"key" : "value"`, also when the value's closing quote is missing; and every
/// string value of an object under such a key (`"password": { "value": "…" }`).
pub fn lexical_spans(text: &str, patterns: &[&Regex]) -> Vec<Range<usize>> {
    if patterns.is_empty() {
        return vec![];
    }
    with_memo(patterns.iter().copied(), |answers| {
        let mut names_a_secret = |key: &str| {
            answers.matches(key, crate::inventory::document::fingerprint(key.as_bytes()))
        };
        let mut out = member_values(text, &mut names_a_secret);
        // An object or a list under such a key: every string inside it, up to its closing
        // bracket (the values are flat properties; nesting is not expected there).
        static CONTAINER: OnceLock<Regex> = OnceLock::new();
        static STRING: OnceLock<Regex> = OnceLock::new();
        let container = CONTAINER.get_or_init(|| {
            Regex::new(r#""(?:[^"\\\n]|\\.)*"\s*:\s*[\{\[]"#).expect("valid regex")
        });
        let string = STRING
            .get_or_init(|| Regex::new(r#"(?m)"(?:[^"\\\n]|\\.)*(?:"|$)"#).expect("valid regex"));
        for m in container.find_iter(text) {
            // `"key" : {`: the key is the match's first string, the bracket its last byte.
            let key = key_in(text, m.start());
            if !names_a_secret(&key) {
                continue;
            }
            let open = m.end() - 1..m.end();
            let close = if &text[open.clone()] == "{" { '}' } else { ']' };
            let body_end = text[open.end..]
                .find(close)
                .map_or(text.len(), |i| open.end + i);
            let body = &text[open.end..body_end];
            let found: Vec<Range<usize>> = match close {
                '}' => member_values(body, &mut |_| true),
                _ => string.find_iter(body).map(|m| m.range()).collect(),
            };
            out.extend(
                found
                    .into_iter()
                    .map(|r| r.start + open.end..r.end + open.end),
            );
        }
        out.sort_by_key(|r| (r.start, r.end));
        out.dedup();
        out
    })
}

/// The text of the key whose opening quote is at `open`, in a match of one of the
/// patterns above (so the key's closing quote is the first quote not escaped): its
/// escapes decoded as JSON decodes them, or the text as written when they are not JSON's.
fn key_in(text: &str, open: usize) -> std::borrow::Cow<'_, str> {
    let raw = &text[open..=string_end(text.as_bytes(), open)];
    let key = &raw[1..raw.len() - 1];
    match key.contains('\\') {
        false => key.into(),
        true => serde_json::from_str::<String>(raw).map_or(key.into(), Into::into),
    }
}

/// The offset of the quote that closes the string opened at `open`, or of the text's end.
fn string_end(bytes: &[u8], open: usize) -> usize {
    let mut at = open + 1;
    while let Some(&b) = bytes.get(at) {
        match b {
            b'"' => return at,
            b'\\' => at += 2,
            _ => at += 1,
        }
    }
    bytes.len().saturating_sub(1)
}

/// `"key": "value"` members whose key is accepted: the values' ranges.
fn member_values(text: &str, accept: &mut dyn FnMut(&str) -> bool) -> Vec<Range<usize>> {
    static MEMBER: OnceLock<Regex> = OnceLock::new();
    let member = MEMBER.get_or_init(|| {
        Regex::new(r#"(?m)"(?:[^"\\\n]|\\.)*"\s*:?\s*"(?:[^"\\\n]|\\.)*(?:"|$)"#)
            .expect("valid regex")
    });
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut at = 0;
    while let Some(m) = member.find_at(text, at) {
        // The match is the key's string, then the value's to its end: the value opens at
        // the first quote after the key's closing one (only spaces and a colon between).
        let key_close = string_end(bytes, m.start());
        let value_start = key_close
            + 1
            + bytes[key_close + 1..m.end()]
                .iter()
                .position(|&b| b == b'"')
                .expect("a member's match ends with its value");
        if accept(&key_in(text, m.start())) {
            out.push(value_start..m.end());
            at = m.end();
        } else {
            // The value may itself be the next key (`"a": "b", "password": …` is fine, but
            // in `["x", "password": …]` the scan must not skip past it).
            at = key_close + 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::inventory::document::fingerprint;

    /// The spans as the scan found them before it was sped up (regex captures for every
    /// member, each key's patterns searched anew): the oracle of the test below.
    fn lexical_spans_by_captures(text: &str, patterns: &[&Regex]) -> Vec<Range<usize>> {
        if patterns.is_empty() {
            return vec![];
        }
        let names_a_secret = |key: &str| patterns.iter().any(|p| p.is_match(key));
        let mut out = member_values_by_captures(text, &names_a_secret);
        // An object or a list under such a key: every string inside it, up to its closing
        // bracket (the values are flat properties; nesting is not expected there).
        static CONTAINER: OnceLock<Regex> = OnceLock::new();
        static STRING: OnceLock<Regex> = OnceLock::new();
        let container = CONTAINER.get_or_init(|| {
            Regex::new(r#""((?:[^"\\\n]|\\.)*)"\s*:\s*([\{\[])"#).expect("valid regex")
        });
        let string = STRING
            .get_or_init(|| Regex::new(r#"(?m)"(?:[^"\\\n]|\\.)*(?:"|$)"#).expect("valid regex"));
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
                '}' => member_values_by_captures(body, &|_| true),
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
    fn member_values_by_captures(text: &str, accept: &dyn Fn(&str) -> bool) -> Vec<Range<usize>> {
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

    /// The lexical scan finds what the captures found, on broken files of every kind:
    /// the corpus's syntax errors, texts cut anywhere, keys with escapes, quotes missing.
    #[test]
    fn lexical_spans_are_those_of_the_captures() {
        let p = Regex::new("(?i)^(.*[_.-])?(password|pwd|pass)\\d*$").unwrap();
        let q = Regex::new("パスワード").unwrap();
        let patterns = [&p, &q];
        let base = std::fs::read_to_string("rules/example-base.json").unwrap();
        let mut texts: Vec<String> = vec![
            r#"{"password": "hunter22",, "x": "y"}"#.into(),
            r#"{"pass\u0077ord": "a", "p\"w": "b", "pwd" "c", "password": "open"#.into(),
            "{\"password\": { \"value\": \"x\", \"n\": \"y\" }, \"pwd\": [\"a\", \"b\"\n".into(),
            r#"["x", "password": "y", "パスワード": "z"]"#.into(),
            r#"{"a\\": "b", "c\": "d"}"#.into(),
        ];
        for cut in (0..base.len()).step_by(97) {
            if base.is_char_boundary(cut) {
                texts.push(base[..cut].to_owned());
            }
        }
        let with_secrets = base
            .replace("\"mfa\"", "\"password\": \"x\", \"mfa\"")
            .replace("\"length\"", "\"pwd\": [\"a\", \"b\"], \"length\"");
        texts.push(with_secrets.replacen('}', "", 1));
        for text in &texts {
            assert_eq!(
                lexical_spans(text, &patterns),
                lexical_spans_by_captures(text, &patterns),
                "{text}"
            );
        }
    }

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
        let text = serde_json::json!({ "a": [{ "password": { "length": "x1", "n": 3, "deep": ["y"] } }], "password": "z" });
        let (doc, _) = crate::inventory::parse::parse(text.to_string().into()).unwrap();
        let masked: Vec<String> = strings_under(&members_matching(doc.root(), [&p].into_iter()))
            .into_iter()
            .map(|n| n.pointer())
            .collect();
        assert_eq!(
            masked,
            ["/a/0/password/deep/0", "/a/0/password/length", "/password"]
        );
    }

    #[test]
    fn overlapping_secrets_are_masked_whole() {
        let words = ["pass", "Longpass9", "abcXy", "Xyz!", "aaaa", "ab"];
        let finder = finder(words.into_iter(), REPEATED_MIN_CHARS).unwrap();
        let mask = |t: &str| mask_occurrences(&finder, t);
        assert_eq!(
            mask("the old one was Longpass9"),
            format!("the old one was {MASK}")
        );
        assert_eq!(mask("abcXyz!?"), format!("{MASK}?"));
        assert_eq!(mask("xaaaaay pass"), format!("x{MASK}y {MASK}"));
        assert_eq!(mask("パスワードpass"), format!("パスワード{MASK}"));
        assert_eq!(
            mask("ab is too short to look for"),
            "ab is too short to look for"
        );
    }

    #[test]
    fn remembered_answers_are_the_regex_answers() {
        let p = Regex::new("(?i)^(.*_)?password\\d*$").unwrap();
        // More keys than the table has slots, long and short, many sharing their start.
        let keys: Vec<String> = (0..2000)
            .map(|i| match i % 4 {
                0 => format!("password{i}"),
                1 => format!("k{i}"),
                2 => format!("passwordless_{i}"),
                _ => format!("x_password{}", i % 10),
            })
            .collect();
        let other = Regex::new("^k").unwrap();
        for patterns in [[&p], [&other], [&p]] {
            with_memo(patterns.into_iter(), |answers| {
                for _ in 0..2 {
                    for key in &keys {
                        let want = patterns[0].is_match(key);
                        let got = answers.matches(key, fingerprint(key.as_bytes()));
                        assert_eq!(got, want, "{key}");
                    }
                }
            });
        }
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
