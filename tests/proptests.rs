//! Property tests: whatever the bytes, the library does not panic, its JSON output is valid,
//! every finding's line and column lie inside the file, and a plaintext password written
//! under a password-like key never leaks — not even 4 characters of it — into the JSON or
//! the human output.
//!
//! Inputs are random bytes, JSON-token soup, and random mutations of realistic inventories
//! (`rules/example-base.json`, `samples/*.json` and small generated ones): deleted keys,
//! changed types, deep nesting, huge arrays, odd Unicode, renamed and duplicate keys, escaped
//! keys, BOM, CRLF, truncation.
//!
//! Each property runs 64 cases (the end-to-end one 8); `PROPTEST_CASES=N` overrides that:
//! `PROPTEST_CASES=5000 cargo test --release --test proptests`.

#[path = "../src/bin/corpus.rs"]
#[allow(dead_code)]
mod corpus;

use std::sync::LazyLock;

use proptest::prelude::*;
use serde::de::{Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};

use rurume::engine::{self, Report};
use rurume::inventory::Inventory;
use rurume::lang::Lang;
use rurume::output;
use rurume::rules::RuleSet;

const AS_OF: &str = "2026-11-26";

mod common;
use common::cases;

static RULES: LazyLock<RuleSet> =
    LazyLock::new(|| RuleSet::builtin().expect("built-in rules load"));

// ----------------------------------------------------------------------------------------
// A JSON tree that keeps member order and allows duplicate keys

#[derive(Clone, Debug, PartialEq)]
enum J {
    Null,
    Bool(bool),
    /// The number as written (`1e999`, `-0`, `1.50` stay as they are).
    Num(String),
    Str(String),
    Arr(Vec<J>),
    Obj(Vec<(String, J)>),
}

impl<'de> Deserialize<'de> for J {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<J, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = J;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("JSON")
            }
            fn visit_unit<E>(self) -> Result<J, E> {
                Ok(J::Null)
            }
            fn visit_bool<E>(self, b: bool) -> Result<J, E> {
                Ok(J::Bool(b))
            }
            fn visit_i64<E>(self, n: i64) -> Result<J, E> {
                Ok(J::Num(n.to_string()))
            }
            fn visit_u64<E>(self, n: u64) -> Result<J, E> {
                Ok(J::Num(n.to_string()))
            }
            fn visit_f64<E>(self, n: f64) -> Result<J, E> {
                Ok(J::Num(n.to_string()))
            }
            fn visit_str<E>(self, s: &str) -> Result<J, E> {
                Ok(J::Str(s.to_owned()))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut a: A) -> Result<J, A::Error> {
                let mut v = Vec::new();
                while let Some(x) = a.next_element()? {
                    v.push(x);
                }
                Ok(J::Arr(v))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut a: A) -> Result<J, A::Error> {
                let mut v = Vec::new();
                while let Some((k, x)) = a.next_entry::<String, J>()? {
                    v.push((k, x));
                }
                Ok(J::Obj(v))
            }
        }
        d.deserialize_any(V)
    }
}

/// How a document is written out.
#[derive(Clone, Copy, Debug)]
struct Layout {
    /// `None`: compact; `Some(n)`: pretty with `n` spaces (0 = a tab).
    indent: Option<u8>,
    /// Write keys' non-ASCII and some ASCII letters as `\uXXXX` escapes.
    escape_keys: bool,
}

fn write_str(s: &str, escape: bool, out: &mut String) {
    if !escape {
        out.push_str(&serde_json::to_string(s).expect("a string serialises"));
        return;
    }
    out.push('"');
    for c in s.chars() {
        match c {
            'a' | 'o' | 'w' | 'r' | 'd' => out.push_str(&format!("\\u{:04x}", c as u32)),
            c if c.is_ascii() => {
                let e = serde_json::to_string(&c.to_string()).expect("a string serialises");
                out.push_str(&e[1..e.len() - 1]);
            }
            c => {
                let mut buf = [0u16; 2];
                for unit in c.encode_utf16(&mut buf) {
                    out.push_str(&format!("\\u{unit:04x}"));
                }
            }
        }
    }
    out.push('"');
}

fn write(j: &J, layout: Layout, depth: usize, out: &mut String) {
    let newline = |out: &mut String, depth: usize| {
        if let Some(n) = layout.indent {
            out.push('\n');
            for _ in 0..depth {
                if n == 0 {
                    out.push('\t');
                } else {
                    out.extend(std::iter::repeat_n(' ', n as usize));
                }
            }
        }
    };
    match j {
        J::Null => out.push_str("null"),
        J::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        J::Num(n) => out.push_str(n),
        J::Str(s) => write_str(s, false, out),
        J::Arr(items) => {
            out.push('[');
            for (i, x) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                newline(out, depth + 1);
                write(x, layout, depth + 1, out);
            }
            if !items.is_empty() {
                newline(out, depth);
            }
            out.push(']');
        }
        J::Obj(members) => {
            out.push('{');
            for (i, (k, x)) in members.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                newline(out, depth + 1);
                write_str(k, layout.escape_keys, out);
                out.push_str(if layout.indent.is_some() { ": " } else { ":" });
                write(x, layout, depth + 1, out);
            }
            if !members.is_empty() {
                newline(out, depth);
            }
            out.push('}');
        }
    }
}

fn count(j: &J) -> usize {
    1 + match j {
        J::Arr(v) => v.iter().map(count).sum(),
        J::Obj(m) => m.iter().map(|(_, x)| count(x)).sum(),
        _ => 0,
    }
}

/// The node number `n` (modulo the number of nodes) in document order.
fn nth(j: &mut J, n: usize) -> &mut J {
    fn go<'a>(j: &'a mut J, n: &mut usize) -> Option<&'a mut J> {
        if *n == 0 {
            return Some(j);
        }
        *n -= 1;
        match j {
            J::Arr(v) => v.iter_mut().find_map(|x| go(x, n)),
            J::Obj(m) => m.iter_mut().find_map(|(_, x)| go(x, n)),
            _ => None,
        }
    }
    let mut k = n % count(j);
    go(j, &mut k).expect("k < count")
}

/// The object number `n` (modulo the number of objects), if there is one.
fn nth_object(j: &mut J, n: usize) -> Option<&mut Vec<(String, J)>> {
    fn objects(j: &J) -> usize {
        usize::from(matches!(j, J::Obj(_)))
            + match j {
                J::Arr(v) => v.iter().map(objects).sum(),
                J::Obj(m) => m.iter().map(|(_, x)| objects(x)).sum(),
                _ => 0,
            }
    }
    fn go<'a>(j: &'a mut J, n: &mut usize) -> Option<&'a mut Vec<(String, J)>> {
        if matches!(j, J::Obj(_)) {
            if *n == 0 {
                let J::Obj(m) = j else { unreachable!() };
                return Some(m);
            }
            *n -= 1;
        }
        match j {
            J::Arr(v) => v.iter_mut().find_map(|x| go(x, n)),
            J::Obj(m) => m.iter_mut().find_map(|(_, x)| go(x, n)),
            _ => None,
        }
    }
    let total = objects(j);
    if total == 0 {
        return None;
    }
    let mut k = n % total;
    go(j, &mut k)
}

// ----------------------------------------------------------------------------------------
// Base documents

static BASES: LazyLock<Vec<J>> = LazyLock::new(|| {
    let root = env!("CARGO_MANIFEST_DIR");
    let mut texts = vec![
        std::fs::read_to_string(format!("{root}/rules/example-base.json")).expect("example-base"),
    ];
    let mut samples: Vec<_> = std::fs::read_dir(format!("{root}/samples"))
        .expect("samples/")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    samples.sort();
    texts.extend(
        samples
            .iter()
            .map(|p| std::fs::read_to_string(p).expect("sample")),
    );
    let mut generator = corpus::Generator::new(
        7,
        corpus::Shape {
            accounts: (2, 8),
            devices: Some((2, 8)),
            size_kb: (1, 1),
            ..corpus::Shape::default()
        },
    );
    texts.extend((0..8).map(|_| generator.next_file().text));
    texts
        .iter()
        .filter_map(|t| serde_json::from_str::<J>(t).ok())
        .collect()
});

// ----------------------------------------------------------------------------------------
// Strategies

/// Strings a form or a spreadsheet export may produce.
fn odd_string() -> impl Strategy<Value = String> {
    let pieces = prop_oneof![
        Just("\u{feff}".to_owned()),
        Just("\u{200b}".to_owned()),
        Just("\u{202e}".to_owned()),
        Just("e\u{301}\u{302}\u{303}".to_owned()),
        Just("𠮷野家".to_owned()),
        Just("🏥👩‍⚕️".to_owned()),
        Just("\u{2028}\u{2029}".to_owned()),
        Just("\u{0}".to_owned()),
        Just("\t\r\n".to_owned()),
        Just("\u{7f}\u{85}".to_owned()),
        Just("ｆｕｌｌ　ｗｉｄｔｈ".to_owned()),
        Just("ﾊﾝｶｸｶﾅ".to_owned()),
        Just("\u{fffd}".to_owned()),
        Just("\"\\/".to_owned()),
        Just("~0~1/".to_owned()),
        Just(" ".to_owned()),
        Just("a".repeat(300)),
        Just("MCS".to_owned()),
        Just("Winny".to_owned()),
        Just("a1".to_owned()),
        Just("2026-02-30".to_owned()),
        Just("2026-11-26".to_owned()),
        Just("active".to_owned()),
        Just("personal".to_owned()),
        any::<String>(),
    ];
    prop::collection::vec(pieces, 0..4).prop_map(|v| v.concat())
}

fn number() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<i64>().prop_map(|n| n.to_string()),
        any::<u64>().prop_map(|n| n.to_string()),
        any::<f64>()
            .prop_filter("finite", |f| f.is_finite())
            .prop_map(|f| format!("{f:e}")),
        Just("1e999".to_owned()),
        Just("-1e999".to_owned()),
        Just("-0".to_owned()),
        Just("0.0".to_owned()),
        Just("8.0".to_owned()),
        Just("1E+2".to_owned()),
        Just("123456789012345678901234567890".to_owned()),
    ]
}

fn leaf() -> impl Strategy<Value = J> {
    prop_oneof![
        Just(J::Null),
        any::<bool>().prop_map(J::Bool),
        number().prop_map(J::Num),
        odd_string().prop_map(J::Str),
        Just(J::Arr(vec![])),
        Just(J::Obj(vec![])),
    ]
}

fn small_tree() -> impl Strategy<Value = J> {
    leaf().prop_recursive(3, 16, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(J::Arr),
            prop::collection::vec((odd_string(), inner), 0..4).prop_map(J::Obj),
        ]
    })
}

#[derive(Clone, Debug)]
enum Mutation {
    /// Remove a member or an element of the node.
    Delete(usize, usize),
    /// Replace the node by another value (a change of type, mostly).
    Replace(usize, J),
    /// Wrap the node in `n` arrays or objects (over 128 levels is a syntax error).
    Nest(usize, u16, bool),
    /// Grow an array by `n` copies of one of its elements; any other node becomes an
    /// array of `n` copies of itself.
    Grow(usize, u16),
    /// Rename a member, possibly to an odd or an already used name (a duplicate key).
    Rename(usize, usize, String),
    /// Write a member twice, the second time with another value.
    Duplicate(usize, usize, J),
    /// Add a member.
    Insert(usize, String, J),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    let key = prop_oneof![
        odd_string(),
        Just("id".to_owned()),
        Just("status".to_owned()),
        Just("admin".to_owned()),
        Just("screen_lok".to_owned()),
        Just("$schema".to_owned()),
        Just("rule".to_owned()),
        Just("target".to_owned()),
    ];
    prop_oneof![
        3 => (any::<usize>(), any::<usize>()).prop_map(|(a, b)| Mutation::Delete(a, b)),
        4 => (any::<usize>(), small_tree()).prop_map(|(a, j)| Mutation::Replace(a, j)),
        1 => (any::<usize>(), prop_oneof![3 => 1u16..40, 1 => 100u16..300], any::<bool>())
            .prop_map(|(a, n, o)| Mutation::Nest(a, n, o)),
        1 => (any::<usize>(), 0u16..400).prop_map(|(a, n)| Mutation::Grow(a, n)),
        2 => (any::<usize>(), any::<usize>(), key.clone()).prop_map(|(a, b, k)| Mutation::Rename(a, b, k)),
        1 => (any::<usize>(), any::<usize>(), leaf()).prop_map(|(a, b, j)| Mutation::Duplicate(a, b, j)),
        2 => (any::<usize>(), key, small_tree()).prop_map(|(a, k, j)| Mutation::Insert(a, k, j)),
    ]
}

fn apply(doc: &mut J, m: &Mutation) {
    match m {
        Mutation::Delete(at, which) => match nth(doc, *at) {
            J::Arr(v) if !v.is_empty() => {
                let i = which % v.len();
                v.remove(i);
            }
            J::Obj(v) if !v.is_empty() => {
                let i = which % v.len();
                v.remove(i);
            }
            _ => {}
        },
        Mutation::Replace(at, j) => *nth(doc, *at) = j.clone(),
        Mutation::Nest(at, n, object) => {
            let node = nth(doc, *at);
            let mut inner = std::mem::replace(node, J::Null);
            for _ in 0..*n {
                inner = if *object {
                    J::Obj(vec![("x".to_owned(), inner)])
                } else {
                    J::Arr(vec![inner])
                };
            }
            *node = inner;
        }
        Mutation::Grow(at, n) => {
            let node = nth(doc, *at);
            match node {
                J::Arr(v) if !v.is_empty() => {
                    let first = v[0].clone();
                    v.extend(std::iter::repeat_n(first, *n as usize));
                }
                other => {
                    let copy = other.clone();
                    *other = J::Arr(vec![copy; *n as usize]);
                }
            }
        }
        Mutation::Rename(at, which, key) => {
            if let Some(m) = nth_object(doc, *at)
                && !m.is_empty()
            {
                let i = which % m.len();
                // Half the time, rename to another member's name: a duplicate key.
                let new = if key.len() % 2 == 0 && m.len() > 1 {
                    m[(i + 1) % m.len()].0.clone()
                } else {
                    key.clone()
                };
                m[i].0 = new;
            }
        }
        Mutation::Duplicate(at, which, j) => {
            if let Some(m) = nth_object(doc, *at)
                && !m.is_empty()
            {
                let i = which % m.len();
                let key = m[i].0.clone();
                m.insert(i + 1, (key, j.clone()));
            }
        }
        Mutation::Insert(at, key, j) => {
            if let Some(m) = nth_object(doc, *at) {
                m.push((key.clone(), j.clone()));
            }
        }
    }
}

/// A password that cannot collide with the output's own words, dates or numbers: "Qx",
/// then rare capitals and digits 2–9 alternating, so that every 4 characters of it contain
/// two capitals of QXZJVKW and a digit.
fn password() -> impl Strategy<Value = String> {
    prop::collection::vec((0usize..7, 2u8..10), 4).prop_map(|pairs| {
        let mut s = "Qx".to_owned();
        for (c, d) in pairs {
            s.push(b"QXZJVKW"[c] as char);
            s.push((b'0' + d) as char);
        }
        s
    })
}

fn password_key() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("password".to_owned()),
        Just("pwd".to_owned()),
        Just("パスワード".to_owned()),
        Just("Password".to_owned()),
        Just("passwd".to_owned()),
        Just("login_pwd".to_owned()),
        Just("暗証番号".to_owned()),
        Just("mcs_passcode".to_owned()),
        Just("pw".to_owned()),
    ]
}

/// What is done to the text once written.
#[derive(Clone, Debug)]
struct TextMutation {
    bom: bool,
    crlf: bool,
    /// Cut the text after this fraction of its bytes (may split a UTF-8 sequence).
    truncate: Option<f64>,
}

fn text_mutation() -> impl Strategy<Value = TextMutation> {
    (
        prop::bool::weighted(0.15),
        prop::bool::weighted(0.2),
        prop::option::weighted(0.15, 0.0..1.0f64),
    )
        .prop_map(|(bom, crlf, truncate)| TextMutation {
            bom,
            crlf,
            truncate,
        })
}

fn layout() -> impl Strategy<Value = Layout> {
    (
        prop_oneof![Just(None), Just(Some(2u8)), Just(Some(4)), Just(Some(0))],
        prop::bool::weighted(0.15),
    )
        .prop_map(|(indent, escape_keys)| Layout {
            indent,
            escape_keys,
        })
}

fn render_text(doc: &J, layout: Layout, tm: &TextMutation) -> Vec<u8> {
    let mut text = String::new();
    write(doc, layout, 0, &mut text);
    text.push('\n');
    if tm.crlf {
        text = text.replace('\n', "\r\n");
    }
    let mut bytes = text.into_bytes();
    if let Some(f) = tm.truncate {
        bytes.truncate((bytes.len() as f64 * f) as usize);
    }
    if tm.bom {
        bytes.splice(0..0, *b"\xef\xbb\xbf");
    }
    bytes
}

/// A mutated inventory with a password under a password-like key.
#[derive(Clone, Debug)]
struct Case {
    base: usize,
    mutations: Vec<Mutation>,
    /// Which object gets the password, and where among its members.
    at: usize,
    position: usize,
    key: String,
    password: String,
    /// How the password is written: as the key's value, or inside an array or object
    /// under it (`"password": ["…"]`, `"pwd": {"value": "…"}`), which must be masked too.
    wrap: Wrap,
    layout: Layout,
    text: TextMutation,
}

#[derive(Clone, Copy, Debug, PartialEq)]
enum Wrap {
    Plain,
    InArray,
    InObject,
}

impl Case {
    fn document(&self) -> J {
        let mut doc = BASES[self.base % BASES.len()].clone();
        for m in &self.mutations {
            apply(&mut doc, m);
        }
        let value = J::Str(self.password.clone());
        let value = match self.wrap {
            Wrap::Plain => value,
            Wrap::InArray => J::Arr(vec![value]),
            Wrap::InObject => J::Obj(vec![("value".to_owned(), value)]),
        };
        let member = (self.key.clone(), value);
        match nth_object(&mut doc, self.at) {
            Some(m) => {
                let i = self.position % (m.len() + 1);
                m.insert(i, member);
            }
            None => doc = J::Obj(vec![("x".to_owned(), doc), member]),
        }
        doc
    }

    fn bytes(&self) -> Vec<u8> {
        render_text(&self.document(), self.layout, &self.text)
    }
}

fn case() -> impl Strategy<Value = Case> {
    (
        any::<usize>(),
        prop_oneof![
            3 => Just(vec![]),
            4 => prop::collection::vec(mutation(), 1..2),
            3 => prop::collection::vec(mutation(), 2..6),
        ],
        any::<usize>(),
        any::<usize>(),
        (
            password_key(),
            password(),
            prop_oneof![8 => Just(Wrap::Plain), 1 => Just(Wrap::InArray), 1 => Just(Wrap::InObject)],
        ),
        layout(),
        text_mutation(),
    )
        .prop_map(
            |(base, mutations, at, position, (key, password, wrap), layout, text)| Case {
                base,
                mutations,
                at,
                position,
                key,
                password,
                wrap,
                layout,
                text,
            },
        )
}

/// Random bytes, or JSON tokens in random order (which reach deeper into the parser).
fn soup() -> impl Strategy<Value = Vec<u8>> {
    let token = prop_oneof![
        Just("{"),
        Just("}"),
        Just("["),
        Just("]"),
        Just(","),
        Just(":"),
        Just("\"a\""),
        Just("\"accounts\""),
        Just("\"devices\""),
        Just("\"facility\""),
        Just("\"schema_version\""),
        Just("\"id\""),
        Just("\"password\""),
        Just("\"QxZ4J7V2K9\""),
        Just("1"),
        Just("1e999"),
        Just("-0"),
        Just("null"),
        Just("true"),
        Just("\"\\u00e9\""),
        Just("\"\\ud800\""),
        Just("\"\\"),
        Just("\""),
        Just(" "),
        Just("\n"),
        Just("\r\n"),
        Just("\u{feff}"),
        Just("東久留米"),
    ];
    prop_oneof![
        prop::collection::vec(any::<u8>(), 0..512),
        prop::collection::vec(token, 0..200).prop_map(|t| t.concat().into_bytes()),
    ]
}

// ----------------------------------------------------------------------------------------
// The checks

fn as_of() -> jiff::civil::Date {
    AS_OF.parse().expect("a date")
}

fn style() -> output::human::Style {
    output::human::Style {
        color: false,
        width: 100,
        quiet: false,
    }
}

/// Checks the files together and renders the JSON and human outputs in both languages.
fn run(files: &[(String, Vec<u8>)]) -> (Report, Vec<String>) {
    let inventories = files
        .iter()
        .map(|(name, bytes)| Inventory::from_bytes(name.clone(), bytes.clone()))
        .collect();
    let report = engine::check(inventories, &RULES, as_of());
    let outputs = vec![
        output::json::render(&report, Lang::En),
        output::json::render(&report, Lang::Ja),
        output::human::render(&report, Lang::En, style()),
        output::human::render(&report, Lang::Ja, style()),
    ];
    (report, outputs)
}

/// The text the positions refer to: the bytes without a BOM, invalid UTF-8 replaced.
fn text_of(bytes: &[u8]) -> String {
    let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    String::from_utf8_lossy(bytes).into_owned()
}

/// The JSON output is valid, and each finding's line and column lie inside its file.
fn check_outputs(files: &[(String, Vec<u8>)], outputs: &[String]) -> Result<(), TestCaseError> {
    for json in &outputs[..2] {
        let doc: serde_json::Value = serde_json::from_str(json)
            .map_err(|e| TestCaseError::fail(format!("JSON output does not parse: {e}")))?;
        prop_assert_eq!(doc["summary"]["files"].as_u64(), Some(files.len() as u64));
        for f in doc["findings"].as_array().expect("findings") {
            let file = f["file"].as_str().expect("file");
            let (_, bytes) = files
                .iter()
                .find(|(name, _)| name == file)
                .ok_or_else(|| TestCaseError::fail(format!("unknown file {file}")))?;
            let text = text_of(bytes);
            let lines: Vec<&str> = text.split('\n').collect();
            let line = f["line"].as_u64().expect("line") as usize;
            let column = f["column"].as_u64().expect("column") as usize;
            prop_assert!(
                line >= 1 && line <= lines.len(),
                "line {} outside 1..={} for {}",
                line,
                lines.len(),
                f
            );
            let chars = lines[line - 1].chars().count();
            prop_assert!(
                column >= 1 && column <= chars + 1,
                "column {} outside 1..={} on line {} for {}",
                column,
                chars + 1,
                line,
                f
            );
        }
    }
    Ok(())
}

/// The 4-character parts of `secret` found in `text`.
fn leaks(secret: &str, text: &str) -> Vec<String> {
    let chars: Vec<char> = secret.chars().collect();
    chars
        .windows(4)
        .map(|w| w.iter().collect::<String>())
        .filter(|part| text.contains(part.as_str()))
        .collect()
}

proptest! {
    #![proptest_config(cases(64))]

    /// Random bytes and token soup: no panic, valid JSON, positions inside the file.
    #[test]
    fn random_bytes(bytes in soup()) {
        let files = vec![("random.json".to_owned(), bytes)];
        let (_, outputs) = run(&files);
        check_outputs(&files, &outputs)?;
    }

    /// Mutated inventories, alone or with another one (for the cross-file rules): no panic,
    /// valid JSON, positions inside the files, and the password never leaks.
    #[test]
    fn mutated_inventories(case in case(), other in prop::option::weighted(0.25, case())) {
        let mut files = vec![("a/inventory.json".to_owned(), case.bytes())];
        let mut secrets = vec![case.password.clone()];
        if let Some(other) = &other {
            files.push(("b/other.json".to_owned(), other.bytes()));
            secrets.push(other.password.clone());
        }
        let (_, outputs) = run(&files);
        check_outputs(&files, &outputs)?;
        for out in &outputs {
            for secret in &secrets {
                let found = leaks(secret, out);
                prop_assert!(found.is_empty(), "password {} leaks ({:?}) in:\n{}", secret, found, out);
            }
        }
    }
}

proptest! {
    #![proptest_config(cases(8))]

    /// The real binary: exit status 0 or 1 (findings), never 2 (could not do its job), and
    /// its JSON output is valid and free of the password.
    #[test]
    fn binary_exit_status(case in case()) {
        let bytes = case.bytes();
        let dir = tempfile::tempdir().expect("a temporary folder");
        let path = dir.path().join("inventory.json");
        std::fs::write(&path, &bytes).expect("writable");
        for format in ["json", "human"] {
            let out = assert_cmd::cargo::cargo_bin_cmd!("rurume")
                .args(["check", "--format", format, "--as-of", AS_OF, "--lang", "ja"])
                .arg(&path)
                .env("NO_COLOR", "1")
                .output()
                .expect("runs");
            let code = out.status.code();
            prop_assert!(matches!(code, Some(0) | Some(1)), "exit status {:?}; stderr:\n{}", code, String::from_utf8_lossy(&out.stderr));
            let stdout = String::from_utf8_lossy(&out.stdout);
            if format == "json" {
                prop_assert!(serde_json::from_str::<serde_json::Value>(&stdout).is_ok(), "invalid JSON:\n{}", stdout);
            }
            for stream in [stdout.as_ref(), String::from_utf8_lossy(&out.stderr).as_ref()] {
                let found = leaks(&case.password, stream);
                prop_assert!(found.is_empty(), "password leaks ({:?}) in:\n{}", found, stream);
            }
        }
    }
}

#[test]
fn bases_are_loaded_and_the_password_alphabet_is_safe() {
    assert!(
        BASES.len() >= 10,
        "example-base, samples and generated files"
    );
    // The outputs of the unmutated bases contain no 4 characters that a generated password
    // can contain: "QxCd", "xCdC", "CdCd", "dCdC" (C a capital of QXZJVKW, d a digit 2-9).
    let files: Vec<(String, Vec<u8>)> = BASES
        .iter()
        .enumerate()
        .map(|(i, j)| {
            let mut text = String::new();
            write(
                j,
                Layout {
                    indent: Some(2),
                    escape_keys: false,
                },
                0,
                &mut text,
            );
            (format!("base{i}.json"), text.into_bytes())
        })
        .collect();
    let (report, outputs) = run(&files);
    assert!(report.findings().count() > 50);
    let window = regex::Regex::new(
        "QxC[2-9]|xC[2-9]C|C[2-9]C[2-9]|[2-9]C[2-9]C"
            .replace('C', "[QXZJVKW]")
            .as_str(),
    )
    .expect("a regex");
    for out in &outputs {
        let hits: Vec<_> = window.find_iter(out).map(|m| m.as_str()).collect();
        assert!(hits.is_empty(), "{hits:?}");
    }
}

/// The strategies are not vacuous: many mutated documents still parse, and the engine sees
/// the inserted password as a plaintext password in most of those.
#[test]
fn strategies_reach_the_engine() {
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;
    let mut runner = TestRunner::deterministic();
    let strategy = case();
    let (mut total, mut parsed, mut plain, mut flagged, mut evaluated) = (0, 0, 0, 0, 0);
    for _ in 0..200 {
        let case = strategy.new_tree(&mut runner).expect("a case").current();
        let files = vec![("a.json".to_owned(), case.bytes())];
        let (report, _) = run(&files);
        total += 1;
        let rules: Vec<&str> = report
            .findings()
            .map(|(_, l)| l.finding.rule.as_str())
            .collect();
        if !rules.contains(&"inventory-syntax") {
            parsed += 1;
            // A password inside an array or object is masked, but not a plaintext-password
            // finding (that rule is about strings).
            if case.wrap == Wrap::Plain {
                plain += 1;
                if rules.contains(&"plaintext-password") {
                    flagged += 1;
                }
            }
            if !report.files[0].rules_skipped {
                evaluated += 1;
            }
        }
    }
    eprintln!(
        "{total} cases: {parsed} parse, {flagged} of the {plain} with a plain password flag it, \
         {evaluated} reach the policy rules"
    );
    assert!(parsed * 2 >= total, "{parsed} of {total} parse");
    assert!(
        flagged * 10 >= plain * 9,
        "{flagged} of {plain} flag the password"
    );
    assert!(
        evaluated * 6 >= total,
        "{evaluated} of {total} reach the policy rules"
    );
}

/// A minified inventory (one line) longer than 64 KiB with a finding near its end: the human
/// output must not panic (miette formats the underline with `{:width$}`, and a width above
/// 65,535 would panic): long lines are shown as a window around the value.
#[test]
fn human_output_of_a_long_minified_line() {
    let base: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/rules/example-base.json"
        ))
        .expect("example-base"),
    )
    .expect("JSON");
    let mut doc = base.clone();
    let device = base["devices"][0].clone();
    let devices = doc["devices"].as_array_mut().expect("devices");
    for i in 0..120 {
        let mut d = device.clone();
        d["id"] = format!("d{}", i + 3).into();
        devices.push(d);
    }
    devices.last_mut().expect("a device")["apps"]
        .as_array_mut()
        .expect("apps")
        .push("Winny".into());
    let text = serde_json::to_string(&doc).expect("JSON");
    assert!(text.len() > 65_536 && !text.contains('\n'));
    let report = engine::check(
        vec![Inventory::from_text("minified.json".into(), text)],
        &RULES,
        as_of(),
    );
    let human = output::human::render(&report, Lang::En, style());
    assert!(human.contains("file-sharing-app"));
}

/// A file that does not parse (here a duplicate key) with a password inside an array under a
/// password key: the human output shows the line around the syntax error, and must mask the
/// password as it does for `"password": "…"` and for a file that parses (found by
/// `mutated_inventories`; the lexical masking of `engine::secrets` once knew only strings).
#[test]
fn password_in_an_array_of_a_file_that_does_not_parse() {
    let text = r#"{"schema_version": 1, "schema_version": 1, "accounts": [{"id": "a1", "password": ["QxZ4J7V2K9"]}]}"#;
    let report = engine::check(
        vec![Inventory::from_text("leak.json".into(), text.to_owned())],
        &RULES,
        as_of(),
    );
    let human = output::human::render(&report, Lang::En, style());
    assert!(human.contains("duplicate key"));
    assert_eq!(leaks("QxZ4J7V2K9", &human), Vec::<String>::new(), "{human}");
}
