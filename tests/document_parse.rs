//! Differential tests of the span-recording JSON parser (`inventory::parse::parse`) against
//! serde_json, the reference.
//!
//! The contract, for every text:
//!
//! 1. it parses iff serde_json reads it as one JSON value, no object in it has two equal
//!    member names (compared after unescaping), and it nests at most `MAX_DEPTH` deep
//!    (serde_json's own recursion limit refuses the 128th level). A refused text is refused
//!    without a panic, at an offset inside the text. (The one exception, an array of more
//!    than `MAX_ARRAY_ITEMS` items, has its own test; no generator comes near it.)
//! 2. the document's value is `serde_json::from_str::<Value>(text)`;
//! 3. every value reachable from the root has a span whose text serde_json reads as that
//!    value, with no whitespace around it and inside its parent's, after its previous
//!    sibling's; an object member's span points at its name, whose text (`"…"`, escapes and
//!    all) serde_json reads as the member's name, followed by `:`; its pointer leads back to
//!    it (both with `Document::pointer` and with serde_json's `Value::pointer`), the root's
//!    is `""`, and its parent is the array or object it was found in;
//! 4. the line index built while parsing is `LineIndex::new(text)` (line count, and line and
//!    column of every value's start and end and every member name), and both agree with a
//!    line count done here by hand.
//!
//! Inputs: random bytes, JSON-token soup, mutations of the real inventories
//! (`rules/example-base.json`, `samples/*.json`: deleted and inserted bytes, duplicated and
//! re-spelt members, escapes, odd numbers and literals, odd Unicode, CRLF or CR line ends,
//! truncation, nesting around the limit), random `serde_json::Value`s written by serde_json
//! (compact and pretty), random trees with few member names (so duplicates are common) written
//! with random whitespace and escapes, and nesting chains around `MAX_DEPTH`.
//!
//! A failure reports proptest's minimal case and, when the text breaks the contract above, the
//! text cut down (by deleting characters) to a small one that still breaks it.
//!
//! Each property runs 256 cases; `PROPTEST_CASES=N` overrides that:
//! `PROPTEST_CASES=20000 cargo test --release --test document_parse`.

use std::collections::HashSet;
use std::fmt::Write as _;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use proptest::prelude::*;
use proptest::sample::Index;
use proptest::test_runner::{TestCaseError, TestCaseResult, TestError, TestRunner};
use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Number, Value};

use rurume::inventory::document::Kind;
use rurume::inventory::parse::{self, MAX_ARRAY_ITEMS, MAX_DEPTH};
use rurume::inventory::spans::{LineCol, LineIndex, Span};
use rurume::inventory::{Document, Node};

const CASES: u32 = 256;

mod common;
use common::cases;

/// JSON whitespace (RFC 8259): nothing else, not even U+00A0 or a BOM.
const WS: &[char] = &[' ', '\t', '\n', '\r'];

// ----------------------------------------------------------------------------------------
// The reference: serde_json, refusing duplicate member names

/// Reads any JSON value as serde_json does, refusing an object with two equal member names
/// (serde_json hands keys over unescaped); returns the nesting depth.
#[derive(Clone, Copy)]
struct Strict;

impl<'de> DeserializeSeed<'de> for Strict {
    type Value = usize;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<usize, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Strict {
    type Value = usize;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_bool<E>(self, _: bool) -> Result<usize, E> {
        Ok(0)
    }
    fn visit_i64<E>(self, _: i64) -> Result<usize, E> {
        Ok(0)
    }
    fn visit_u64<E>(self, _: u64) -> Result<usize, E> {
        Ok(0)
    }
    fn visit_f64<E>(self, _: f64) -> Result<usize, E> {
        Ok(0)
    }
    fn visit_str<E>(self, _: &str) -> Result<usize, E> {
        Ok(0)
    }
    fn visit_unit<E>(self) -> Result<usize, E> {
        Ok(0)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<usize, A::Error> {
        let mut depth = 0;
        while let Some(d) = seq.next_element_seed(self)? {
            depth = depth.max(d);
        }
        Ok(depth + 1)
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<usize, A::Error> {
        let mut seen = HashSet::new();
        let mut depth = 0;
        while let Some(key) = map.next_key::<String>()? {
            if seen.contains(&key) {
                return Err(de::Error::custom(format_args!("duplicate key `{key}`")));
            }
            depth = depth.max(map.next_value_seed(self)?);
            seen.insert(key);
        }
        Ok(depth + 1)
    }
}

/// What the parser must make of a text: serde_json's value, or why there is none.
fn reference(text: &str) -> Result<Value, String> {
    let mut de = serde_json::Deserializer::from_str(text);
    let depth = Strict
        .deserialize(&mut de)
        .and_then(|depth| de.end().map(|()| depth))
        .map_err(|e| e.to_string())?;
    assert!(
        depth <= MAX_DEPTH,
        "serde_json accepted {depth} levels of nesting"
    );
    Ok(serde_json::from_str(text).expect("serde_json reads the value it has just accepted"))
}

// ----------------------------------------------------------------------------------------
// The contract

/// Checks the whole contract on one text; returns whether it parsed.
fn check(text: &str) -> Result<bool, TestCaseError> {
    match (parse::parse(Arc::new(text.to_owned())), reference(text)) {
        (Ok((doc, lines)), Ok(value)) => {
            check_document(text, &doc, &lines, &value)?;
            Ok(true)
        }
        (Err(err), Err(_)) => {
            prop_assert!(
                err.offset <= text.len() && text.is_char_boundary(err.offset),
                "the error offset {} is not a place in the text ({} bytes): {:?}",
                err.offset,
                text.len(),
                err.message.en
            );
            Ok(false)
        }
        (Ok(_), Err(why)) => Err(TestCaseError::fail(format!(
            "parse accepted a text serde_json refuses ({why})"
        ))),
        (Err(err), Ok(_)) => Err(TestCaseError::fail(format!(
            "parse refused a text serde_json accepts: {:?} at offset {}",
            err.message.en, err.offset
        ))),
    }
}

/// Line and column counted by hand: a line starts after every `\n`, columns count chars.
struct NaiveLines(Vec<usize>);

impl NaiveLines {
    fn new(text: &str) -> NaiveLines {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        NaiveLines(starts)
    }

    fn line_col(&self, text: &str, offset: usize) -> LineCol {
        let line = self.0.partition_point(|&s| s <= offset);
        let start = self.0[line - 1];
        LineCol {
            line,
            column: text[start..offset].chars().count() + 1,
        }
    }
}

fn count(value: &Value) -> usize {
    1 + match value {
        Value::Array(items) => items.iter().map(count).sum(),
        Value::Object(members) => members.values().map(count).sum(),
        _ => 0,
    }
}

/// The offset of the quote that closes the string opening at `open` (escapes skipped).
fn closing_quote(text: &str, open: usize) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut at = open + 1;
    loop {
        match bytes.get(at)? {
            b'"' => return Some(at),
            b'\\' => at += 2,
            _ => at += 1,
        }
    }
}

/// (2), (3) and (4) for a text that parsed.
fn check_document(
    text: &str,
    doc: &Document,
    lines: &LineIndex,
    expected: &Value,
) -> TestCaseResult {
    prop_assert_eq!(doc.text(), text);
    let root = doc.root();
    prop_assert_eq!(&root.to_value(), expected, "the document's value");
    prop_assert_eq!(root.pointer(), "", "the root's pointer");
    prop_assert!(root.parent().is_none(), "the root has a parent");
    let whole = Span {
        start: text.len() - text.trim_start_matches(WS).len(),
        end: text.trim_end_matches(WS).len(),
        key_start: None,
    };
    prop_assert_eq!(
        root.span(),
        Some(whole),
        "the root spans the text but its whitespace"
    );

    let fresh = LineIndex::new(text);
    let naive = NaiveLines::new(text);
    prop_assert_eq!(lines.line_count(), fresh.line_count(), "line count");
    prop_assert_eq!(fresh.line_count(), naive.0.len(), "line count by hand");
    let line_col = |offset: usize, what: &str, pointer: &str| -> TestCaseResult {
        let by_parser = lines.line_col(text, offset);
        prop_assert_eq!(
            by_parser,
            fresh.line_col(text, offset),
            "line and column of the {} of {:?} (offset {})",
            what,
            pointer,
            offset
        );
        prop_assert_eq!(
            by_parser,
            naive.line_col(text, offset),
            "line and column by hand of the {} of {:?} (offset {})",
            what,
            pointer,
            offset
        );
        Ok(())
    };

    let mut nodes = 0;
    let mut stack = vec![(root, None::<&str>)];
    while let Some((node, name)) = stack.pop() {
        nodes += 1;
        let pointer = node.pointer();
        let value = node.to_value();
        let Some(span) = node.span() else {
            return Err(TestCaseError::fail(format!("{pointer:?} has no span")));
        };
        let Some(slice) = text.get(span.start..span.end) else {
            return Err(TestCaseError::fail(format!(
                "the span {span:?} of {pointer:?} is not a range of the text ({} bytes)",
                text.len()
            )));
        };
        prop_assert!(
            !slice.is_empty() && !slice.starts_with(WS) && !slice.ends_with(WS),
            "the span {:?} of {:?} is {:?}",
            span,
            pointer,
            slice
        );
        prop_assert_eq!(
            serde_json::from_str::<Value>(slice).ok(),
            Some(value.clone()),
            "the text {:?} of {:?} (span {:?})",
            slice,
            pointer,
            span
        );
        prop_assert_eq!(
            expected.pointer(&pointer),
            Some(&value),
            "serde_json's value at {:?}",
            pointer
        );
        prop_assert_eq!(
            doc.pointer(&pointer).map(|n| n.id()),
            Some(node.id()),
            "Document::pointer({:?})",
            pointer
        );
        line_col(span.start, "start", &pointer)?;
        line_col(span.end, "end", &pointer)?;
        match (name, span.key_start) {
            (None, None) => {}
            (Some(name), Some(key_start)) => {
                let Some(close) = text
                    .get(key_start..)
                    .filter(|rest| rest.starts_with('"'))
                    .and_then(|_| closing_quote(text, key_start))
                else {
                    return Err(TestCaseError::fail(format!(
                        "the name of {pointer:?} is not a string at {key_start}: {:?}",
                        text.get(key_start..)
                            .map(|s| s.chars().take(20).collect::<String>())
                    )));
                };
                let quoted = &text[key_start..=close];
                prop_assert_eq!(
                    serde_json::from_str::<String>(quoted).ok(),
                    Some(name.to_owned()),
                    "the member name {:?} of {:?}",
                    quoted,
                    pointer
                );
                prop_assert_eq!(
                    text.get(close + 1..span.start).map(|s| s.trim_matches(WS)),
                    Some(":"),
                    "between the member name of {:?} and its value",
                    pointer
                );
                line_col(key_start, "member name", &pointer)?;
            }
            (name, key_start) => {
                return Err(TestCaseError::fail(format!(
                    "{pointer:?} is a member named {name:?}, but its key_start is {key_start:?}"
                )));
            }
        }

        let children: Vec<(Node, Option<&str>)> = match node.kind() {
            Kind::Array(a) => a.iter().map(|child| (child, None)).collect(),
            Kind::Object(o) => o.iter().map(|(k, child)| (child, Some(k))).collect(),
            _ => Vec::new(),
        };
        // Past the opening bracket, then past each sibling and its comma.
        let mut after = span.start + 1;
        for (child, name) in children {
            prop_assert_eq!(
                child.parent().map(|p| p.id()),
                Some(node.id()),
                "the parent of a child of {:?}",
                pointer
            );
            let Some(c) = child.span() else {
                return Err(TestCaseError::fail(format!(
                    "a child of {pointer:?} has no span"
                )));
            };
            let first = c.key_start.unwrap_or(c.start);
            prop_assert!(
                after <= first && first <= c.start && c.end < span.end,
                "a child of {:?} (span {:?}) is out of order or outside it (span {:?}, previous \
                 sibling ends before {})",
                pointer,
                c,
                span,
                after
            );
            after = c.end + 1;
            stack.push((child, name));
        }
    }
    prop_assert_eq!(nodes, count(expected), "values reachable from the root");
    Ok(())
}

// ----------------------------------------------------------------------------------------
// Running a property, and cutting a failing text down

/// Does the text break the contract (a panic included)?
fn breaks_contract(text: &str) -> Option<String> {
    match catch_unwind(AssertUnwindSafe(|| check(text))) {
        Ok(Ok(_)) => None,
        Ok(Err(e)) => Some(e.to_string()),
        Err(panic) => Some(format!(
            "panicked: {}",
            panic
                .downcast_ref::<String>()
                .map(String::as_str)
                .or_else(|| panic.downcast_ref::<&str>().copied())
                .unwrap_or("?")
        )),
    }
}

/// Deletes characters (halves, quarters, … single ones) while the text still breaks the
/// contract.
fn minimize(text: &str) -> String {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let mut chars: Vec<char> = text.chars().collect();
    let mut budget = 30_000;
    loop {
        let before = chars.len();
        let mut size = chars.len().div_ceil(2);
        while size >= 1 && budget > 0 {
            let mut at = 0;
            while at < chars.len() && budget > 0 {
                budget -= 1;
                let end = (at + size).min(chars.len());
                let candidate: String = chars[..at].iter().chain(&chars[end..]).collect();
                if breaks_contract(&candidate).is_some() {
                    chars.drain(at..end);
                } else {
                    at += size;
                }
            }
            size /= 2;
        }
        // Then every run of up to 16 characters, for the deletions that only keep the text
        // failing together (a whole member, say).
        if chars.len() <= 400 {
            for size in (1..=16).rev() {
                let mut at = 0;
                while at + size <= chars.len() && budget > 0 {
                    budget -= 1;
                    let candidate: String = chars[..at].iter().chain(&chars[at + size..]).collect();
                    if breaks_contract(&candidate).is_some() {
                        chars.drain(at..at + size);
                    } else {
                        at += 1;
                    }
                }
            }
        }
        if chars.len() == before || budget == 0 {
            break;
        }
    }
    std::panic::set_hook(previous);
    chars.into_iter().collect()
}

/// Runs `also` (after the contract) on the texts `text_of` makes of `strategy`'s values;
/// returns how many parsed and how many were refused.
fn run<S: Strategy>(
    strategy: S,
    text_of: impl Fn(&S::Value) -> String,
    also: impl Fn(&S::Value, &str, bool) -> TestCaseResult,
) -> (usize, usize) {
    let mut runner = TestRunner::new(cases(CASES));
    let (parsed, refused) = (AtomicUsize::new(0), AtomicUsize::new(0));
    let outcome = runner.run(&strategy, |input| {
        let text = text_of(&input);
        let ok = check(&text)?;
        match ok {
            true => parsed.fetch_add(1, Ordering::Relaxed),
            false => refused.fetch_add(1, Ordering::Relaxed),
        };
        also(&input, &text, ok)
    });
    match outcome {
        Ok(()) => {
            let counts = (parsed.into_inner(), refused.into_inner());
            eprintln!("{} parsed, {} refused", counts.0, counts.1);
            counts
        }
        Err(TestError::Abort(why)) => panic!("aborted: {why}"),
        Err(TestError::Fail(why, input)) => {
            let text = text_of(&input);
            let mut report = format!("{why}\nminimal input: {input:?}\n");
            if text.len() <= 4000 {
                let _ = writeln!(report, "text: {text:?}");
            } else {
                let _ = writeln!(report, "text: {} bytes", text.len());
            }
            if breaks_contract(&text).is_some() {
                let small = minimize(&text);
                let why = breaks_contract(&small).unwrap_or_default();
                let _ = writeln!(report, "cut down to: {small:?}\nwhich fails with: {why}");
            }
            panic!("{report}");
        }
    }
}

// ----------------------------------------------------------------------------------------
// Random bytes and token soup

#[test]
fn random_bytes() {
    run(
        prop::collection::vec(any::<u8>(), 0..256),
        |bytes| String::from_utf8_lossy(bytes).into_owned(),
        |_, _, _| Ok(()),
    );
}

const SOUP: &[&str] = &[
    "{",
    "}",
    "[",
    "]",
    "\"",
    ",",
    ":",
    "\\",
    " ",
    "\n",
    "\r\n",
    "\t",
    "0",
    "1",
    "9",
    "e",
    "E",
    "+",
    "-",
    ".",
    "t",
    "f",
    "n",
    "u",
    "true",
    "false",
    "null",
    "\"a\"",
    "\"a\":",
    "\"\\u00e9\"",
    "\"\\ud800\"",
    "\"\\ud83d\\ude00\"",
    "\"\\u0061\"",
    "1e999",
    "-0",
    "01",
    "1.0",
    "\"é\"",
    "\u{2028}",
    "\u{feff}",
    "\u{1}",
    "{\"a\":1}",
    "[1,2]",
    "12345678901234567890123",
];

#[test]
fn token_soup() {
    run(
        prop::collection::vec(prop::sample::select(SOUP), 0..40),
        |tokens| tokens.concat(),
        |_, _, _| Ok(()),
    );
}

/// Soup inside a valid frame, so that more of it parses.
#[test]
fn token_soup_in_a_frame() {
    let frames =
        prop::sample::select(&[("[", "]"), ("{\"a\":", "}"), ("{\"a\":[", "]}"), ("", "")][..]);
    run(
        (
            frames,
            prop::collection::vec(prop::sample::select(SOUP), 0..12),
        ),
        |((open, close), tokens)| format!("{open}{}{close}", tokens.concat()),
        |_, _, _| Ok(()),
    );
}

/// String bodies written raw: quotes, backslashes (escapes valid or not) and control
/// characters at every place of an eight-byte word, among ASCII and multi-byte characters;
/// as a value and as a name.
#[test]
fn raw_string_bodies() {
    const PLAIN: &[&str] = &[
        "a", " ", "¢", "é", "😀", "u", "0", "\u{7f}", "\u{80}", "\u{a2}",
    ];
    const ESCAPES: &[&str] = &["\\\"", "\\\\", "\\n", "\\u00e9", "\\/", "\\u0022"];
    const SPECIAL: &[&str] = &["\"", "\\", "\u{1}", "\u{1f}", "\n", "\\x", "\\u00"];
    let piece = prop_oneof![
        40 => prop::sample::select(PLAIN),
        4 => prop::sample::select(ESCAPES),
        1 => prop::sample::select(SPECIAL),
    ];
    let frames = prop::sample::select(&[("[\"", "\"]"), ("{\"", "\": 1}"), ("\"", "\"")][..]);
    let counts = run(
        (frames, prop::collection::vec(piece, 0..40)),
        |((open, close), body)| format!("{open}{}{close}", body.concat()),
        |_, _, _| Ok(()),
    );
    assert_mixed(counts);
}

// ----------------------------------------------------------------------------------------
// Mutations of real inventories

const SEEDS: &[(&str, &str)] = &[
    (
        "rules/example-base.json",
        include_str!("../rules/example-base.json"),
    ),
    (
        "samples/F0001-midori-houmon-kango.json",
        include_str!("../samples/F0001-midori-houmon-kango.json"),
    ),
    (
        "samples/F0002-higashi-clinic.json",
        include_str!("../samples/F0002-higashi-clinic.json"),
    ),
    (
        "samples/F0003-sakura-pharmacy.json",
        include_str!("../samples/F0003-sakura-pharmacy.json"),
    ),
    (
        "samples/F0004-kita-care-plan.json",
        include_str!("../samples/F0004-kita-care-plan.json"),
    ),
    (
        "samples/F0005-asahi-hospital.json",
        include_str!("../samples/F0005-asahi-hospital.json"),
    ),
    (
        "samples/F0006-minami-dental.json",
        include_str!("../samples/F0006-minami-dental.json"),
    ),
    (
        "samples/F0007-hibari-home-clinic.json",
        include_str!("../samples/F0007-hibari-home-clinic.json"),
    ),
];

/// Bits of strings that keep a string valid: escapes, odd Unicode.
const PIECES: &[&str] = &[
    "\\u00e9",
    "\\u00E9",
    "\\ud83d\\ude00",
    "\\uD83D\\uDE00",
    "\\u0000",
    "\\u001f",
    "\\u0022",
    "\\u005c",
    "\\u002F",
    "\\\"",
    "\\\\",
    "\\/",
    "\\b\\f\\n\\r\\t",
    "\u{7f}",
    "é",
    "e\u{301}",
    "😀",
    "𠮷",
    "\u{2028}\u{2029}",
    "\u{feff}",
    "\u{fffd}",
    "~0~1/",
];

/// Bits of strings that make it invalid: bad escapes, lone surrogates, raw control
/// characters, a quote or a backslash.
const BAD_PIECES: &[&str] = &[
    "\\ud800",
    "\\udc00",
    "\\ud800\\u0041",
    "\\ude00\\ud83d",
    "\\ud800\\ud800",
    "\\x41",
    "\\u12",
    "\\u12g4",
    "\\U0041",
    "\\'",
    "\\",
    "\\a",
    "\u{1}",
    "\t",
    "\n",
    "\"",
];

/// Numbers and literals that keep the text valid.
const LITERALS: &[&str] = &[
    "-0",
    "-0.0",
    "1.0",
    "0.1",
    "12345678901234567890123",
    "18446744073709551615",
    "18446744073709551616",
    "-9223372036854775808",
    "-9223372036854775809",
    "1.7976931348623157e308",
    "5e-324",
    "2e-324",
    "1e-400",
    "0e999999",
    "123.456e-7",
    "0",
    "true",
    "false",
    "null",
    "\"\"",
    "\"x\"",
    "[]",
    "{}",
    "\"\\ud83d\\ude00\"",
    "[1, {\"a\": []}]",
];

/// Numbers out of range, and what is not a JSON value.
const BAD_LITERALS: &[&str] = &[
    "1e999",
    "-1e999",
    "1E400",
    "1.7976931348623159e308",
    "01",
    "-01",
    "00",
    "-",
    "1.",
    ".5",
    "1e",
    "1e+",
    "1e-",
    "+1",
    "1_000",
    "0x10",
    "NaN",
    "Infinity",
    "-Infinity",
    "tru",
    "nul",
    "True",
    "nulll",
    "[1,]",
    "{\"a\":1,}",
    "\"\\ud800\"",
];

/// JSON whitespace.
const SPACES: &[&str] = &[" ", "\n", "\r\n", "\t", "\r", "  \n  "];

/// Odd Unicode: JSON whitespace it is not, and some is not even allowed raw in a string.
const UNICODE: &[&str] = &[
    "\u{feff}", "\u{a0}", "\u{2028}", "\u{3000}", "é", "e\u{301}", "😀", "𠮷", "\u{fffd}", "\u{0}",
    "\u{1}", "\u{7f}", "\u{85}", "\u{c}", "\u{b}", "ｆ", "ﾊ", "\u{202e}",
];

const DUPLICATE_VALUES: &[&str] = &["null", "0", "\"x\"", "[]", "{}", "true", "{\"k\": 1}"];

/// The characters of `Edit::Insert`.
const INSERTED: &[char] = &[
    '{', '}', '[', ']', '"', ',', ':', '\\', ' ', '0', '1', '2', '5', '9', 'e', 'E', '+', '-', '.',
    't', 'f', 'n', 'u', '\n',
];

#[derive(Clone, Debug)]
enum Edit {
    /// Delete up to `n` bytes (moved to char boundaries) at a place.
    Delete(Index, usize),
    /// Insert JSON punctuation, digits and letters at a place.
    Insert(Index, String),
    /// Insert odd Unicode at a place (mostly inside a string: most of the text is).
    Unicode(Index, &'static str),
    /// Write the member of a name again, before it, with another value; `true`: with the
    /// name spelt with `\u` escapes.
    Duplicate(Index, &'static str, bool),
    /// Put a piece at the start of a string (`false`) or in place of its contents (`true`).
    Escape(Index, &'static str, bool),
    /// Replace a scalar (a number, a string value, `true`, …) with a literal.
    Scalar(Index, &'static str),
    /// Write a member name with `\u` escapes only.
    Respell(Index),
    /// Insert whitespace before a member name (`true`) or a scalar.
    Space(Index, &'static str, bool),
    /// Change every `\n` to `\r\n` (`true`) or to `\r`.
    LineEnds(bool),
    /// Cut the text at a place.
    Truncate(Index),
    /// Wrap the document in `n` arrays, or objects (`{"k": …}`).
    Nest(usize, bool),
}

/// Edits that keep a valid text valid (but for the rare name made equal to another).
fn benign_edit() -> impl Strategy<Value = Edit> {
    use prop::sample::select as s;
    prop_oneof![
        3 => (any::<Index>(), s(PIECES), any::<bool>()).prop_map(|(i, p, r)| Edit::Escape(i, p, r)),
        3 => (any::<Index>(), s(LITERALS)).prop_map(|(i, l)| Edit::Scalar(i, l)),
        2 => any::<Index>().prop_map(Edit::Respell),
        2 => (any::<Index>(), s(SPACES), any::<bool>()).prop_map(|(i, w, n)| Edit::Space(i, w, n)),
        1 => any::<bool>().prop_map(Edit::LineEnds),
        1 => (1usize..=5, any::<bool>()).prop_map(|(n, o)| Edit::Nest(n, o)),
    ]
}

/// Any edit: most break the text.
fn edit() -> impl Strategy<Value = Edit> {
    use prop::sample::select as s;
    prop_oneof![
        3 => benign_edit(),
        3 => (any::<Index>(), 1usize..24).prop_map(|(i, n)| Edit::Delete(i, n)),
        3 => (any::<Index>(), prop::collection::vec(s(INSERTED), 1..6))
            .prop_map(|(i, c)| Edit::Insert(i, c.into_iter().collect())),
        1 => (any::<Index>(), s(UNICODE)).prop_map(|(i, u)| Edit::Unicode(i, u)),
        3 => (any::<Index>(), s(DUPLICATE_VALUES), any::<bool>())
            .prop_map(|(i, v, r)| Edit::Duplicate(i, v, r)),
        2 => (any::<Index>(), s(BAD_PIECES), any::<bool>())
            .prop_map(|(i, p, r)| Edit::Escape(i, p, r)),
        2 => (any::<Index>(), s(BAD_LITERALS)).prop_map(|(i, l)| Edit::Scalar(i, l)),
        1 => any::<Index>().prop_map(Edit::Truncate),
        1 => (MAX_DEPTH - 10..=MAX_DEPTH, any::<bool>()).prop_map(|(n, o)| Edit::Nest(n, o)),
    ]
}

/// Where the strings (all, and those that are member names) and the other scalars are.
#[derive(Default)]
struct Tokens {
    strings: Vec<(usize, usize)>,
    names: Vec<(usize, usize)>,
    scalars: Vec<(usize, usize)>,
}

fn tokens(text: &str) -> Tokens {
    let bytes = text.as_bytes();
    let mut found = Tokens::default();
    let mut at = 0;
    while at < bytes.len() {
        match bytes[at] {
            b'"' => {
                let end = closing_quote(text, at).map_or(bytes.len(), |c| c + 1);
                found.strings.push((at, end));
                if text[end..].trim_start_matches(WS).starts_with(':') {
                    found.names.push((at, end));
                } else {
                    found.scalars.push((at, end));
                }
                at = end;
            }
            b'-' | b'0'..=b'9' | b'a'..=b'z' => {
                let start = at;
                while bytes
                    .get(at)
                    .is_some_and(|b| b.is_ascii_alphanumeric() || b"+-.".contains(b))
                {
                    at += 1;
                }
                found.scalars.push((start, at));
            }
            _ => at += 1,
        }
    }
    found
}

/// A char boundary of the text (`Index` picks among 0..=len, then moves back to one).
fn place(text: &str, i: &Index) -> usize {
    let mut at = i.index(text.len() + 1);
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

/// A string with every character written as a `\u` escape (surrogate pairs beyond the BMP).
fn all_escaped(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        let mut units = [0u16; 2];
        for unit in c.encode_utf16(&mut units) {
            let _ = write!(out, "\\u{unit:04x}");
        }
    }
    out.push('"');
    out
}

fn apply(text: &mut String, edit: &Edit) {
    let pick = |v: &[(usize, usize)], i: &Index| (!v.is_empty()).then(|| v[i.index(v.len())]);
    match edit {
        Edit::Delete(i, n) => {
            let start = place(text, i);
            let mut end = (start + n).min(text.len());
            while !text.is_char_boundary(end) {
                end -= 1;
            }
            text.replace_range(start..end, "");
        }
        Edit::Insert(i, s) => text.insert_str(place(text, i), s),
        Edit::Unicode(i, s) => text.insert_str(place(text, i), s),
        Edit::Duplicate(i, value, respell) => {
            if let Some((start, end)) = pick(&tokens(text).names, i) {
                let name = &text[start..end];
                let name = match serde_json::from_str::<String>(name) {
                    Ok(decoded) if *respell => all_escaped(&decoded),
                    _ => name.to_owned(),
                };
                text.insert_str(start, &format!("{name}: {value}, "));
            }
        }
        Edit::Escape(i, piece, replace) => {
            if let Some((start, end)) = pick(&tokens(text).strings, i) {
                if *replace && end - start >= 2 && text[..end].ends_with('"') {
                    text.replace_range(start + 1..end - 1, piece);
                } else {
                    text.insert_str(start + 1, piece);
                }
            }
        }
        Edit::Scalar(i, literal) => {
            if let Some((start, end)) = pick(&tokens(text).scalars, i) {
                text.replace_range(start..end, literal);
            }
        }
        Edit::Respell(i) => {
            if let Some((start, end)) = pick(&tokens(text).names, i)
                && let Ok(name) = serde_json::from_str::<String>(&text[start..end])
            {
                text.replace_range(start..end, &all_escaped(&name));
            }
        }
        Edit::Space(i, space, before_name) => {
            let found = tokens(text);
            let places = if *before_name {
                &found.names
            } else {
                &found.scalars
            };
            if let Some((start, _)) = pick(places, i) {
                text.insert_str(start, space);
            }
        }
        Edit::LineEnds(crlf) => *text = text.replace('\n', if *crlf { "\r\n" } else { "\r" }),
        Edit::Truncate(i) => {
            let at = place(text, i);
            text.truncate(at);
        }
        Edit::Nest(n, objects) => {
            let (open, close) = if *objects {
                ("{\"k\":", "}")
            } else {
                ("[", "]")
            };
            *text = format!("{}{text}{}", open.repeat(*n), close.repeat(*n));
        }
    }
}

#[test]
fn the_seeds_parse() {
    for (name, text) in SEEDS {
        assert!(
            check(text).unwrap_or_else(|e| panic!("{name}: {e}")),
            "{name} does not parse"
        );
    }
}

/// Both outcomes occur often enough for the property to test something (when it runs
/// enough cases to tell).
fn assert_mixed((parsed, refused): (usize, usize)) {
    let total = parsed + refused;
    if total >= 64 {
        assert!(
            parsed * 10 >= total && refused * 10 >= total,
            "{parsed} parsed, {refused} refused: the generator has drifted"
        );
    }
}

#[test]
fn mutated_inventories() {
    let edits = prop_oneof![
        prop::collection::vec(edit(), 1..=4),
        prop::collection::vec(benign_edit(), 1..=6),
    ];
    let counts = run(
        (0..SEEDS.len(), edits),
        |(seed, edits)| {
            let mut text = SEEDS[*seed].1.to_owned();
            for e in edits {
                apply(&mut text, e);
            }
            text
        },
        |_, _, _| Ok(()),
    );
    assert_mixed(counts);
}

// ----------------------------------------------------------------------------------------
// Random values written by serde_json

/// Strings with what needs escaping, and odd Unicode.
fn string() -> impl Strategy<Value = String> {
    const ODD: &[&str] = &[
        "\u{0}",
        "\u{1f}",
        "\n",
        "\r\n",
        "\t",
        "\u{8}\u{c}",
        "\"",
        "\\",
        "/",
        "\u{7f}",
        "\u{2028}",
        "😀",
        "é",
        "e\u{301}",
        "\u{feff}",
        "~0~1/",
        "",
        "a",
        "山田 太郎",
    ];
    let piece = prop_oneof![
        2 => any::<String>(),
        3 => prop::sample::select(ODD).prop_map(str::to_owned),
    ];
    prop::collection::vec(piece, 0..4).prop_map(|v| v.concat())
}

fn json_value() -> impl Strategy<Value = Value> {
    let float = prop_oneof![
        any::<f64>(),
        prop::sample::select(
            &[
                0.0,
                -0.0,
                1.0,
                0.1,
                1e300,
                -1e-300,
                5e-324,
                f64::MAX,
                f64::MIN,
                f64::MIN_POSITIVE,
                f64::EPSILON,
                9007199254740993.0,
            ][..]
        ),
    ];
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        prop::sample::select(&[0u64, u64::MAX, 9_223_372_036_854_775_808][..])
            .prop_map(Value::from),
        Just(Value::from(i64::MIN)),
        float.prop_filter_map("finite", |f| Number::from_f64(f).map(Value::Number)),
        string().prop_map(Value::String),
    ];
    leaf.prop_recursive(6, 64, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::vec((string(), inner), 0..6)
                .prop_map(|members| Value::Object(members.into_iter().collect())),
        ]
    })
}

#[test]
fn values_written_by_serde_json() {
    run(
        (json_value(), any::<bool>()),
        |(value, pretty)| {
            let text = match pretty {
                true => serde_json::to_string_pretty(value),
                false => serde_json::to_string(value),
            };
            text.expect("a value serialises")
        },
        |(value, _), text, parsed| {
            prop_assert!(parsed, "what serde_json writes parses");
            prop_assert_eq!(
                &serde_json::from_str::<Value>(text).ok(),
                &Some(value.clone()),
                "serde_json reads back what it wrote"
            );
            Ok(())
        },
    );
}

// ----------------------------------------------------------------------------------------
// Random trees with duplicate names, written with random whitespace and escapes

/// A JSON tree that keeps member order and may have duplicate names.
#[derive(Clone, Debug)]
enum J {
    Null,
    Bool(bool),
    /// As written (`1e999`, `-0`, `1.50` stay as they are).
    Num(String),
    Str(String),
    Arr(Vec<J>),
    Obj(Vec<(String, J)>),
}

fn number_literal() -> impl Strategy<Value = String> {
    const VALID: &[&str] = &[
        "0",
        "-0",
        "-0.0",
        "1.0",
        "1.50",
        "1E+2",
        "1e-2",
        "12345678901234567890123",
        "18446744073709551615",
        "18446744073709551616",
        "-9223372036854775808",
        "-9223372036854775809",
        "5e-324",
        "1e-400",
        "0e999999",
        "123.456e-7",
    ];
    prop_oneof![
        4 => prop::sample::select(VALID).prop_map(str::to_owned),
        1 => prop::sample::select(&["1e999", "-1e999", "1E400"][..]).prop_map(str::to_owned),
        2 => any::<i64>().prop_map(|n| n.to_string()),
        2 => any::<u64>().prop_map(|n| n.to_string()),
        3 => any::<f64>()
            .prop_filter("finite", |f| f.is_finite())
            .prop_flat_map(|f| prop::sample::select(vec![
                format!("{f}"),
                format!("{f:e}"),
                format!("{f:E}"),
                format!("{f:?}"),
            ])),
    ]
}

/// Few names, so that two members of an object often share one (`é` is written as `é`,
/// `\u00e9` or `\u00E9`); some long ones share their first seven bytes and their length.
fn name() -> impl Strategy<Value = String> {
    const SHORT: &[&str] = &[
        "a", "A", "é", "😀", "", "a/b", "~", "\"", "\n", "ab", "\u{0}", "k",
    ];
    const LONG: &[&str] = &[
        "abcdefg",
        "abcdefgh",
        "abcdefg\u{0}",
        "take_out_1",
        "take_out_2",
        "take_out_10",
        "日本語a",
        "日本語b",
    ];
    prop_oneof![
        6 => prop::sample::select(SHORT).prop_map(str::to_owned),
        3 => prop::sample::select(LONG).prop_map(str::to_owned),
        1 => string(),
    ]
}

fn tree() -> impl Strategy<Value = J> {
    let leaf = prop_oneof![
        Just(J::Null),
        any::<bool>().prop_map(J::Bool),
        number_literal().prop_map(J::Num),
        string().prop_map(J::Str),
    ];
    leaf.prop_recursive(5, 48, 5, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..5).prop_map(J::Arr),
            prop::collection::vec((name(), inner), 0..5).prop_map(J::Obj),
        ]
    })
}

fn has_duplicate(j: &J) -> bool {
    match j {
        J::Arr(items) => items.iter().any(has_duplicate),
        J::Obj(members) => {
            let mut seen = HashSet::new();
            !members.iter().all(|(k, _)| seen.insert(k))
                || members.iter().any(|(_, v)| has_duplicate(v))
        }
        _ => false,
    }
}

fn numbers_in_range(j: &J) -> bool {
    match j {
        J::Num(n) => serde_json::from_str::<Value>(n).is_ok(),
        J::Arr(items) => items.iter().all(numbers_in_range),
        J::Obj(members) => members.iter().all(|(_, v)| numbers_in_range(v)),
        _ => true,
    }
}

/// splitmix64: the choices of whitespace and escapes, from a seed proptest shrinks.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: u64) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        (z ^ (z >> 31)) % n
    }

    fn whitespace(&mut self, out: &mut String) {
        out.push_str(match self.below(12) {
            0..=5 => "",
            6 => " ",
            7 => "\n",
            8 => "\r\n",
            9 => "\t",
            10 => "\r",
            _ => " \r\n\t  \n",
        });
    }

    fn unicode_escape(&mut self, c: char, out: &mut String) {
        let upper = self.below(2) == 0;
        let mut units = [0u16; 2];
        for unit in c.encode_utf16(&mut units) {
            let _ = match upper {
                true => write!(out, "\\u{unit:04X}"),
                false => write!(out, "\\u{unit:04x}"),
            };
        }
    }

    fn string(&mut self, s: &str, out: &mut String) {
        out.push('"');
        for c in s.chars() {
            let short = match c {
                '"' => Some("\\\""),
                '\\' => Some("\\\\"),
                '/' => Some("\\/"),
                '\u{8}' => Some("\\b"),
                '\u{c}' => Some("\\f"),
                '\n' => Some("\\n"),
                '\r' => Some("\\r"),
                '\t' => Some("\\t"),
                _ => None,
            };
            let must_escape = c == '"' || c == '\\' || c < ' ';
            match (self.below(3), short) {
                (0, _) => self.unicode_escape(c, out),
                (1, Some(short)) => out.push_str(short),
                _ if must_escape => self.unicode_escape(c, out),
                _ => out.push(c),
            }
        }
        out.push('"');
    }

    fn write(&mut self, j: &J, out: &mut String) {
        match j {
            J::Null => out.push_str("null"),
            J::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
            J::Num(n) => out.push_str(n),
            J::Str(s) => self.string(s, out),
            J::Arr(items) => {
                out.push('[');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    self.whitespace(out);
                    self.write(item, out);
                    self.whitespace(out);
                }
                if items.is_empty() {
                    self.whitespace(out);
                }
                out.push(']');
            }
            J::Obj(members) => {
                out.push('{');
                for (i, (k, v)) in members.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    self.whitespace(out);
                    self.string(k, out);
                    self.whitespace(out);
                    out.push(':');
                    self.whitespace(out);
                    self.write(v, out);
                    self.whitespace(out);
                }
                if members.is_empty() {
                    self.whitespace(out);
                }
                out.push('}');
            }
        }
    }
}

#[test]
fn trees_with_duplicate_names_and_random_layout() {
    let counts = run(
        (tree(), any::<u64>()),
        |(j, seed)| {
            let mut rng = Rng(*seed);
            let mut out = String::new();
            rng.whitespace(&mut out);
            rng.write(j, &mut out);
            rng.whitespace(&mut out);
            out
        },
        |(j, _), _, parsed| {
            prop_assert_eq!(
                parsed,
                !has_duplicate(j) && numbers_in_range(j),
                "parses iff no object has two equal names and every number is in range"
            );
            Ok(())
        },
    );
    assert_mixed(counts);
}

// ----------------------------------------------------------------------------------------
// Nesting around the limit

#[test]
fn nesting_around_the_limit() {
    let leaf = prop::sample::select(&["0", "\"x\"", "[]", "{}", "null", "-1.5e3"][..]);
    assert_mixed(run(
        (
            prop::collection::vec(any::<bool>(), MAX_DEPTH - 8..=MAX_DEPTH + 8),
            leaf,
            any::<u64>(),
        ),
        |(levels, leaf, seed)| {
            let mut rng = Rng(*seed);
            let mut out = String::new();
            for &object in levels {
                out.push_str(if object { "{\"k\":" } else { "[" });
                rng.whitespace(&mut out);
            }
            out.push_str(leaf);
            for &object in levels.iter().rev() {
                rng.whitespace(&mut out);
                out.push(if object { '}' } else { ']' });
            }
            out
        },
        |(levels, leaf, _), _, parsed| {
            let depth = levels.len() + usize::from(leaf.starts_with(['[', '{']));
            prop_assert_eq!(parsed, depth <= MAX_DEPTH, "{} levels", depth);
            Ok(())
        },
    ));
}

// ----------------------------------------------------------------------------------------
// Edge cases

/// The contract on one text; whether it parsed.
fn verdict(text: &str) -> bool {
    check(text).unwrap_or_else(|e| panic!("{text:?}: {e}"))
}

fn parse_ok(text: &str) -> (Document, LineIndex) {
    parse::parse(Arc::new(text.to_owned())).unwrap_or_else(|e| panic!("{text:?}: {e:?}"))
}

#[test]
fn empty_containers_and_single_values() {
    for text in [
        "{}",
        "[]",
        " {} ",
        "\n[ ]\n",
        "{\r\n}",
        "[[]]",
        "[{}]",
        "{\"\":{}}",
        "{\"a\":[]}",
        "0",
        "-0",
        "1.0",
        "\"\"",
        "true",
        "false",
        "null",
        "12345678901234567890123",
    ] {
        assert!(verdict(text), "{text:?} parses");
    }
    let (doc, _) = parse_ok(" {} ");
    let root = doc.root();
    assert_eq!(
        root.span(),
        Some(Span {
            start: 1,
            end: 3,
            key_start: None
        })
    );
    assert!(matches!(root.kind(), Kind::Object(o) if o.is_empty()));
    let (doc, _) = parse_ok("[]");
    assert!(matches!(doc.root().kind(), Kind::Array(a) if a.is_empty()));
    assert_eq!(doc.pointer("/0").map(|n| n.id()), None);
}

#[test]
fn blank_texts_are_refused() {
    for text in ["", " ", "\n\t\r\n"] {
        assert!(!verdict(text), "{text:?}");
        assert!(parse::parse(Arc::new(text.to_owned())).is_err());
    }
}

fn arrays(n: usize) -> String {
    format!("{}{}", "[".repeat(n), "]".repeat(n))
}

fn objects(n: usize) -> String {
    format!("{}1{}", "{\"a\":".repeat(n), "}".repeat(n))
}

fn mixed(n: usize) -> String {
    let mut text = String::new();
    for i in 0..n {
        text.push_str(if i % 2 == 0 { "[0, " } else { "{\"k\": " });
    }
    text.push_str("null");
    for i in (0..n).rev() {
        text.push(if i % 2 == 0 { ']' } else { '}' });
    }
    text
}

#[test]
fn nesting_at_the_limit_parses_and_one_deeper_does_not() {
    assert_eq!(MAX_DEPTH, 127);
    for make in [arrays, objects, mixed] {
        let deepest = make(MAX_DEPTH);
        assert!(verdict(&deepest), "{MAX_DEPTH} levels: {deepest}");
        let too_deep = make(MAX_DEPTH + 1);
        assert!(
            serde_json::from_str::<Value>(&too_deep).is_err(),
            "serde_json refuses the 128th level"
        );
        assert!(!verdict(&too_deep), "{} levels: {too_deep}", MAX_DEPTH + 1);
        let err = parse::parse(Arc::new(too_deep.clone())).unwrap_err();
        assert!(err.message.en.contains("too deep"), "{:?}", err.message);
    }
    // The deepest value is found by its pointer.
    let (doc, _) = parse_ok(&objects(MAX_DEPTH));
    let pointer = "/a".repeat(MAX_DEPTH);
    let deepest = doc.pointer(&pointer).expect("the deepest value");
    assert_eq!(deepest.to_value(), Value::from(1));
    assert_eq!(deepest.pointer(), pointer);
    // Far too deep: an error, not a stack overflow.
    assert!(!verdict(&"[".repeat(100_000)));
    assert!(!verdict(&"{\"a\":".repeat(100_000)));
}

#[test]
fn duplicate_member_names_are_refused_even_when_spelt_differently() {
    for text in [
        r#"{"a":1,"a":2}"#,
        r#"{"a":1,"a":1}"#,
        r#"{"a":1,"\u0061":2}"#,
        r#"{"\u0061":1,"a":2}"#,
        r#"{"\u0061":1,"\u0061":2}"#,
        r#"{"é":1,"\u00e9":2}"#,
        r#"{"\u00E9":1,"\u00e9":2}"#,
        r#"{"😀":1,"\ud83d\ude00":2}"#,
        r#"{"a/b":1,"a\/b":2}"#,
        r#"{"\"":1,"\u0022":2}"#,
        r#"{"\n":1,"\u000a":2}"#,
        r#"{"":1,"":2}"#,
        r#"{"a":1,"b":2,"a":{}}"#,
        r#"[{"x":{"k":1,"y":2,"k":3}}]"#,
        r#"{"a":{"b":[{"c":0,"c":0}]}}"#,
    ] {
        assert!(!verdict(text), "{text} is refused");
    }
    for text in [
        r#"{"a":1,"A":2}"#,
        r#"{"a":{"a":1}}"#,
        r#"[{"a":1},{"a":1}]"#,
        r#"{"a":1,"a ":2}"#,
        r#"{"\u0061b":1,"a":2}"#,
        r#"{"é":1,"e\u0301":2}"#,
        r#"{"a":[{"b":1}],"b":[{"a":1}]}"#,
    ] {
        assert!(verdict(text), "{text} parses");
    }
    // Past 32 members the parser looks for duplicates another way.
    let many: Vec<String> = (0..40).map(|i| format!("\"k{i}\": {i}")).collect();
    assert!(verdict(&format!("{{{}}}", many.join(", "))));
    for last in ["\"k0\": 0", "\"k39\": 0", "\"\\u006b17\": 0"] {
        assert!(
            !verdict(&format!("{{{}, {last}}}", many.join(", "))),
            "{last}"
        );
    }
}

#[test]
fn members_are_found_by_names_that_share_a_prefix() {
    let long = "x".repeat(300);
    let long_too = format!("{}y", "x".repeat(299));
    let names = [
        "abcdefg",
        "abcdefgh",
        "abcdefg\u{0}",
        "abcdef",
        "take_out_1",
        "take_out_2",
        "take_out_10",
        "日本語a",
        "日本語b",
        "日本",
        &long,
        &long_too,
    ];
    let text = Value::Object(
        names
            .iter()
            .enumerate()
            .map(|(i, n)| (n.to_string(), Value::from(i)))
            .collect(),
    )
    .to_string();
    assert!(verdict(&text));
    let (doc, _) = parse_ok(&text);
    for (i, name) in names.iter().enumerate() {
        let node = doc.root().get(name).unwrap_or_else(|| panic!("{name:?}"));
        assert_eq!(node.to_value(), Value::from(i), "{name:?}");
    }
    for absent in [
        "abcdefgi",
        "abcdefg\u{1}",
        "take_out_3",
        "日本語c",
        "x",
        &long[1..],
    ] {
        assert!(doc.root().get(absent).is_none(), "{absent:?}");
    }
    for name in names {
        let twice = format!("{{{}: 1, {}: 2}}", Value::from(name), Value::from(name));
        assert!(!verdict(&twice), "{name:?} twice");
    }
}

#[test]
fn malformed_texts_are_refused() {
    for text in [
        // Commas, colons, names
        "[1,]",
        "{\"a\":1,}",
        "[,1]",
        "{,}",
        "[1 2]",
        "{\"a\" 1}",
        "{\"a\":}",
        "{\"a\"}",
        "{a:1}",
        "{'a':1}",
        "{1:1}",
        "[",
        "{",
        "]",
        "{\"a\":1",
        // Numbers
        "01",
        "-01",
        "00",
        "[01]",
        "-",
        "[-]",
        "1.",
        "[1.]",
        ".5",
        "1e",
        "1e+",
        "1E-",
        "+1",
        "0x10",
        "1_000",
        "NaN",
        "Infinity",
        "-Infinity",
        "1e999",
        "-1e999",
        "[1E400]",
        "{\"a\": 1.7976931348623159e308}",
        // Literals
        "tru",
        "nul",
        "True",
        "nulll",
        "[true false]",
        "[truefalse]",
        // Strings
        "\"a\u{1}b\"",
        "\"a\nb\"",
        "\"a\tb\"",
        "\"a\u{0}\"",
        "\"\u{1f}\"",
        "\"\\x41\"",
        "\"\\u12\"",
        "\"\\u12g4\"",
        "\"\\U0041\"",
        "\"\\'\"",
        "\"\\ud800\"",
        "\"\\udc00\"",
        "\"\\ud800\\u0041\"",
        "\"\\ude00\\ud83d\"",
        "{\"\\ud800\": 1}",
        "\"abc",
        "\"abc\\\"",
        "\"\\\"",
        "\"\\",
        // After the value
        "{} x",
        "{}}",
        "[] []",
        "1 2",
        "{},",
        "{}\u{feff}",
        "\u{feff}{}",
        "{}\u{a0}",
        "\u{a0}{}",
        "{}\u{c}",
        "{}\u{0}",
    ] {
        assert!(!verdict(text), "{text:?} is refused");
    }
    for text in [
        "{}  \n\t\r\n",
        "\r\n {} \r\n",
        "null\n",
        "\"\u{7f}\"",
        "\"\u{2028}\"",
        "\"\\u0000\"",
        "\"\\ud83d\\ude00\"",
        "\"\\uD83D\\uDE00\"",
        "\"\\u00e9\\u00E9\"",
        "\"\\\"\\\\\\/\\b\\f\\n\\r\\t\"",
        "[-0, -0.0, 1.0, 1E+2, 1e-400, 0e999999, 5e-324, 1.7976931348623157e308]",
        "[18446744073709551615, 18446744073709551616, -9223372036854775808, -9223372036854775809]",
        "12345678901234567890123",
    ] {
        assert!(verdict(text), "{text:?} parses");
    }
}

#[test]
fn spans_pointers_and_lines_of_a_small_document() {
    let text =
        "{\n  \"a\": [1, {\"b\": \"x\"}],\r\n  \"c\\u0041\": null,\n  \"a/b\": {\"~\": [0]}\n}";
    assert!(verdict(text));
    let (doc, lines) = parse_ok(text);
    let slice = |p: &str| {
        let span = doc.pointer(p).unwrap().span().unwrap();
        &text[span.start..span.end]
    };
    assert_eq!(slice("/a/1/b"), "\"x\"");
    assert_eq!(slice("/a/1"), "{\"b\": \"x\"}");
    assert_eq!(slice("/a/0"), "1");
    assert_eq!(slice("/cA"), "null");
    assert_eq!(slice("/a~1b/~0/0"), "0");
    let c = doc.pointer("/cA").unwrap();
    let span = c.span().unwrap();
    assert!(text[span.key_start.unwrap()..].starts_with("\"c\\u0041\": null"));
    assert_eq!(c.pointer(), "/cA");
    assert_eq!(c.parent().map(|p| p.id()), Some(doc.root().id()));
    assert_eq!(
        lines.line_col(text, span.start),
        LineCol {
            line: 3,
            column: 14
        }
    );
    assert_eq!(lines.line_count(), 5);
    let zero = doc.pointer("/a~1b/~0/0").unwrap();
    assert_eq!(zero.pointer(), "/a~1b/~0/0");
    for missing in [
        "/a~1b/~0/00",
        "/a~1b/~0/1",
        "/a~1b/~1",
        "/a/b",
        "a",
        "/cA/0",
        "/a/-",
    ] {
        assert!(doc.pointer(missing).is_none(), "{missing}");
    }
    let names: Vec<&str> = match doc.root().kind() {
        Kind::Object(o) => o.iter().map(|(k, _)| k).collect(),
        _ => unreachable!(),
    };
    assert_eq!(names, ["a", "cA", "a/b"], "members in document order");
}

#[test]
fn line_ends_crlf_and_cr() {
    let lf = "{\n\"a\": [\n1,\n2\n],\n\"b\": \"日本\"\n}\n";
    for text in [
        lf.to_owned(),
        lf.replace('\n', "\r\n"),
        lf.replace('\n', "\r"),
    ] {
        assert!(verdict(&text), "{text:?}");
        let (_, lines) = parse_ok(&text);
        assert_eq!(lines.line_count(), LineIndex::new(&text).line_count());
    }
    assert_eq!(parse_ok(&lf.replace('\n', "\r")).1.line_count(), 1);
    assert_eq!(parse_ok(&lf.replace('\n', "\r\n")).1.line_count(), 8);
}

#[test]
fn arrays_past_the_item_limit_are_refused_though_serde_json_reads_them() {
    let array = |n: usize| {
        let mut text = String::with_capacity(2 * n + 1);
        text.push('[');
        for i in 0..n {
            text.push_str(if i == 0 { "0" } else { ",0" });
        }
        text.push(']');
        text
    };
    assert!(parse::parse(Arc::new(array(MAX_ARRAY_ITEMS))).is_ok());
    let over = array(MAX_ARRAY_ITEMS + 1);
    let err = parse::parse(Arc::new(over.clone())).unwrap_err();
    assert!(err.message.en.contains("more than"), "{:?}", err.message);
    assert_eq!(err.offset, 0);
    assert!(reference(&over).is_ok(), "serde_json has no such limit");
}
