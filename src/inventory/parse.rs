//! Strict JSON parsing into a [`Document`]: every value with its span, in one pass.
//!
//! The parser accepts exactly what serde_json accepts (escaped strings and unusual numbers
//! are even handed to serde_json), and refuses duplicate member names: `serde_json::Value`
//! silently keeps the last of two equal keys, so `"shared": true, "shared": false` would
//! hide a violation. When a text is refused, serde_json reads it again to say why
//! ([`explain`]): errors are rare, and its messages are precise.
//!
//! Limits keep a broken or hostile file from exhausting the machine, each refused with a
//! message that names it: nesting deeper than [`MAX_DEPTH`] (serde_json's recursion limit,
//! so no stack overflow) and an array of more than [`MAX_ARRAY_ITEMS`] items (counted while
//! it is read, so no larger array is ever built). The file size limit is checked before
//! reading (`Inventory::load`).

use std::sync::Arc;

use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};

use super::FileText;
use super::document::{self, Document, Member, Raw, Slot, Str, Tables};
use super::pointer::escape_token;
use super::spans::LineIndex;
use super::thousands;
use crate::lang::Text;

/// The most items one array may have. An inventory has tens of accounts and devices; an
/// array past a million items is a generated or corrupted file, refused before it is built.
pub const MAX_ARRAY_ITEMS: usize = 1_000_000;

/// The deepest nesting of arrays and objects: serde_json's recursion limit (128) refuses
/// the 128th level. An inventory needs five (`devices[].take_out[]` inside the root object).
pub const MAX_DEPTH: usize = 127;

/// Why a text is not a usable JSON document, and where.
#[derive(Debug, Clone, PartialEq)]
pub struct SyntaxError {
    pub offset: usize,
    pub message: Text,
}

/// Parses a text into a [`Document`] and the index of its lines, in one pass.
pub fn parse(text: FileText) -> Result<(Document, LineIndex), SyntaxError> {
    if text.trim().is_empty() {
        return Err(SyntaxError {
            offset: 0,
            message: Text::new(
                "ファイルが空です。JSON のオブジェクト（{ … }）を書いてください",
                "the file is empty; an inventory is a JSON object ({ … })",
            ),
        });
    }
    // Offsets are 32-bit: four bytes where eight would double the table of values.
    if u32::try_from(text.len()).is_err() {
        return Err(SyntaxError {
            offset: 0,
            message: Text::new(
                "ファイルが 4 GiB 以上あり、読めません。台帳に必要な大きさよりはるかに大きいため、ファイルの作り方を確認してください",
                "the file is 4 GiB or larger, more than rurume reads; an inventory needs far less: check how the file was made",
            ),
        });
    }
    let mut parser = Parser::new(text.as_bytes());
    match parser.document() {
        Ok(()) => {
            let lines = LineIndex::from_starts(std::mem::take(&mut parser.line_starts));
            let tables = parser.finish();
            Ok((Document::new(text, tables), lines))
        }
        Err(stop) => Err(explain(&text, stop)),
    }
}

/// Parses a file's bytes (without a byte-order mark) that are not yet known to be UTF-8:
/// the parser checks the bytes of every string as it reads them, and every other byte it
/// accepts is ASCII, so a text it reads whole is UTF-8 without a second pass over it. A
/// text it does not read (not UTF-8, empty, too large, a syntax error) is handed back,
/// untouched, for [`parse`] and its messages.
pub fn parse_bytes(bytes: Vec<u8>) -> Result<(FileText, Document, LineIndex), Vec<u8>> {
    if u32::try_from(bytes.len()).is_err() {
        return Err(bytes);
    }
    let mut parser = Parser::new(&bytes);
    if parser.document().is_err() {
        return Err(bytes);
    }
    let lines = LineIndex::from_starts(std::mem::take(&mut parser.line_starts));
    let tables = parser.finish();
    debug_assert!(std::str::from_utf8(&bytes).is_ok());
    // SAFETY: the parser accepted the whole text: each string's bytes were checked to be
    // UTF-8 (`Parser::string`, or serde_json for a string with escapes), and every byte
    // outside the strings is one of JSON's ASCII bytes. Strings end at ASCII quotes, so
    // the checked pieces and the ASCII between them make one valid UTF-8 text.
    let text: FileText = Arc::new(unsafe { String::from_utf8_unchecked(bytes) });
    Ok((text.clone(), Document::new(text, tables), lines))
}

/// Puts a failed parse into words. Syntax errors are rare, so the text is read again by
/// serde_json, whose messages (and their Japanese renderings below) say what is wrong.
fn explain(text: &str, stop: Stop) -> SyntaxError {
    if let Some(tokens) = stop.overflow {
        let pointer: String = tokens
            .iter()
            .rev()
            .map(|t| format!("/{}", escape_token(t)))
            .collect();
        // The finding is on the array itself, not deep inside it where counting stopped.
        return SyntaxError {
            offset: stop.offset,
            message: too_many_items(&pointer),
        };
    }
    let index = LineIndex::new(text);
    let mut de = serde_json::Deserializer::from_str(text);
    let parsed = Strict
        .deserialize(&mut de)
        .and_then(|value| de.end().map(|()| value));
    let err = match parsed {
        Ok(_) => {
            return SyntaxError {
                offset: stop.offset,
                message: Text::new("JSON の構文エラー", "invalid JSON"),
            };
        }
        Err(err) => err,
    };
    // A file that ends too early stopped being readable at its very end.
    let offset = if err.is_eof() {
        text.len()
    } else {
        index.offset_of_byte_column(text, err.line(), err.column())
    };
    SyntaxError {
        offset,
        message: describe(&err),
    }
}

/// Where and why the parser stopped.
struct Stop {
    offset: usize,
    /// For an array over [`MAX_ARRAY_ITEMS`]: its reference tokens, innermost first, added
    /// by each enclosing array and object while the error travels out.
    overflow: Option<Vec<String>>,
}

impl Stop {
    fn at(offset: usize) -> Stop {
        Stop {
            offset,
            overflow: None,
        }
    }

    fn enclosed_by(mut self, token: impl FnOnce() -> String) -> Stop {
        if let Some(tokens) = &mut self.overflow {
            tokens.push(token());
        }
        self
    }
}

/// A strict JSON parser (RFC 8259, as serde_json reads it) that records every value's
/// span and parent, and every line start, as it goes. Recursion is bounded by [`MAX_DEPTH`].
struct Parser<'t> {
    /// The text's bytes, not yet known to be UTF-8 (see [`parse_bytes`]).
    bytes: &'t [u8],
    pos: usize,
    line_starts: Vec<usize>,
    slots: Vec<Slot>,
    items: Vec<u32>,
    members: Vec<Member>,
    owned: Vec<Box<str>>,
    numbers: Vec<serde_json::Number>,
    sorted: std::collections::HashMap<u32, Box<[u32]>>,
    /// Elements and members of the arrays and objects being read, moved to `items` and
    /// `members` when each closes, so that each container's are contiguous.
    open_items: Vec<u32>,
    open_members: Vec<Member>,
}

const NO_KEY: u32 = u32::MAX;

impl<'t> Parser<'t> {
    fn new(text: &'t [u8]) -> Parser<'t> {
        // Pretty-printed inventories have a line every ~30 bytes and a value every ~12.
        Parser {
            bytes: text,
            pos: 0,
            line_starts: {
                let mut v = Vec::with_capacity(text.len() / 24 + 1);
                v.push(0);
                v
            },
            slots: Vec::with_capacity(text.len() / 12 + 1),
            items: Vec::new(),
            members: Vec::with_capacity(text.len() / 16 + 1),
            owned: Vec::new(),
            numbers: Vec::new(),
            sorted: Default::default(),
            open_items: Vec::new(),
            open_members: Vec::new(),
        }
    }

    fn finish(self) -> Tables {
        Tables {
            slots: self.slots,
            items: self.items,
            members: self.members,
            owned: self.owned,
            numbers: self.numbers,
            sorted: self.sorted,
        }
    }

    fn document(&mut self) -> Result<(), Stop> {
        self.whitespace();
        self.value(NO_KEY, NO_KEY, 0)?;
        self.whitespace();
        match self.pos == self.bytes.len() {
            true => Ok(()),
            false => Err(Stop::at(self.pos)),
        }
    }

    /// Skips whitespace. Most calls find none, or one space (after a colon): those are
    /// decided here, the rest ([`Parser::more_whitespace`]) out of line.
    #[inline(always)]
    fn whitespace(&mut self) {
        let bytes = self.bytes;
        let pos = self.pos;
        match bytes.get(pos) {
            Some(&b) if b > b' ' => {}
            Some(b' ') if bytes.get(pos + 1).is_some_and(|&b| b > b' ') => self.pos = pos + 1,
            _ => self.more_whitespace(),
        }
    }

    #[inline(never)]
    fn more_whitespace(&mut self) {
        let bytes = self.bytes;
        let mut pos = self.pos;
        while let Some(&b) = bytes.get(pos) {
            match b {
                b' ' | b'\t' | b'\r' => pos += 1,
                // Newlines occur only here (never raw inside a string): the line index is
                // built on the way.
                b'\n' => {
                    pos += 1;
                    self.line_starts.push(pos);
                    // A new line is mostly indentation: its spaces eight at a time.
                    pos = skip_spaces(bytes, pos);
                }
                _ => break,
            }
        }
        self.pos = pos;
    }

    /// Reads one value at `self.pos` (whitespace skipped); returns its slot.
    fn value(&mut self, parent: u32, key_start: u32, depth: usize) -> Result<u32, Stop> {
        let id = self.slots.len() as u32;
        let start = self.pos;
        self.slots.push(Slot {
            start: start as u32,
            end: 0,
            key_start,
            parent,
            raw: Raw::Null,
        });
        let raw = match self.bytes.get(start) {
            Some(b'"') => Raw::String(self.string()?),
            Some(b'{') => self.object(id, depth + 1)?,
            Some(b'[') => self.array(id, depth + 1)?,
            Some(b't') => self.literal(b"true", Raw::Bool(true))?,
            Some(b'f') => self.literal(b"false", Raw::Bool(false))?,
            Some(b'n') => self.literal(b"null", Raw::Null)?,
            Some(b'-' | b'0'..=b'9') => Raw::Number(self.number()?),
            _ => return Err(Stop::at(start)),
        };
        let slot = &mut self.slots[id as usize];
        slot.end = self.pos as u32;
        slot.raw = raw;
        Ok(id)
    }

    fn literal(&mut self, word: &[u8], raw: Raw) -> Result<Raw, Stop> {
        match self.bytes[self.pos..].starts_with(word) {
            true => {
                self.pos += word.len();
                Ok(raw)
            }
            false => Err(Stop::at(self.pos)),
        }
    }

    fn object(&mut self, id: u32, depth: usize) -> Result<Raw, Stop> {
        if depth > MAX_DEPTH {
            return Err(Stop::at(self.pos));
        }
        self.pos += 1; // {
        let open = self.open_members.len();
        // Duplicate names of a small object, found while it is read: each name's
        // fingerprint sets one of 64 bits, and only a name whose bit is already set is
        // compared with the names before it. The error waits until the object is closed,
        // as an error inside it comes first.
        let mut seen = 0u64;
        let mut duplicate = false;
        self.whitespace();
        if self.bytes.get(self.pos) == Some(&b'}') {
            self.pos += 1;
        } else {
            loop {
                let key_start = self.pos;
                if self.bytes.get(key_start) != Some(&b'"') {
                    return Err(Stop::at(key_start));
                }
                let key = self.string()?;
                let fingerprint = document::fingerprint(self.key(key));
                self.whitespace();
                if self.bytes.get(self.pos) != Some(&b':') {
                    return Err(Stop::at(self.pos));
                }
                self.pos += 1;
                self.whitespace();
                let value = self
                    .value(id, key_start as u32, depth)
                    .map_err(|stop| stop.enclosed_by(|| self.str(key).to_owned()))?;
                let count = self.open_members.len() - open;
                if count < document::SCANNED {
                    let bit = 1u64 << (fingerprint.wrapping_mul(0x9e37_79b9_7f4a_7c15) >> 58);
                    if seen & bit != 0 && !duplicate {
                        let name = self.key(key);
                        duplicate = self.open_members[open..]
                            .iter()
                            .any(|m| m.fingerprint == fingerprint && self.key(m.key) == name);
                    }
                    seen |= bit;
                }
                self.open_members.push(Member {
                    fingerprint,
                    key,
                    value,
                });
                if !self.another(b'}')? {
                    break;
                }
            }
        }
        let first = self.members.len() as u32;
        self.members.extend(self.open_members.drain(open..));
        let len = self.members.len() as u32 - first;
        // `serde_json::Value` would keep the last of two equal keys and hide the first:
        // a compliance inventory with `"shared": true, "shared": false` is refused. A
        // large object is sorted by name for lookups, which shows duplicates as neighbours.
        if len as usize > document::SCANNED {
            let order = document::sort_members(&self.members, first, len, |s| self.str(s));
            let name = |m: u32| self.key(self.members[m as usize].key);
            duplicate |= order.windows(2).any(|w| name(w[0]) == name(w[1]));
            self.sorted.insert(first, order);
        }
        if duplicate {
            return Err(Stop::at(self.pos));
        }
        Ok(Raw::Object { first, len })
    }

    /// After an element or member: a comma (true: another follows) or the closing bracket.
    fn another(&mut self, close: u8) -> Result<bool, Stop> {
        self.whitespace();
        match self.bytes.get(self.pos) {
            Some(b',') => {
                self.pos += 1;
                self.whitespace();
                Ok(true)
            }
            Some(&b) if b == close => {
                self.pos += 1;
                Ok(false)
            }
            _ => Err(Stop::at(self.pos)),
        }
    }

    fn array(&mut self, id: u32, depth: usize) -> Result<Raw, Stop> {
        if depth > MAX_DEPTH {
            return Err(Stop::at(self.pos));
        }
        let start = self.pos;
        self.pos += 1; // [
        let open = self.open_items.len();
        self.whitespace();
        if self.bytes.get(self.pos) == Some(&b']') {
            self.pos += 1;
        } else {
            loop {
                if self.open_items.len() - open == MAX_ARRAY_ITEMS {
                    return Err(Stop {
                        offset: start,
                        overflow: Some(Vec::new()),
                    });
                }
                let index = self.open_items.len() - open;
                let item = self
                    .value(id, NO_KEY, depth)
                    .map_err(|stop| stop.enclosed_by(|| index.to_string()))?;
                self.open_items.push(item);
                if !self.another(b']')? {
                    break;
                }
            }
        }
        let first = self.items.len() as u32;
        self.items.extend(self.open_items.drain(open..));
        Ok(Raw::Array {
            first,
            len: self.items.len() as u32 - first,
        })
    }

    /// A string at `self.pos` (the opening quote). Most have no escape and stay a slice of
    /// the text; the others are decoded by serde_json, so both agree on every escape.
    fn string(&mut self) -> Result<Str, Stop> {
        let open = self.pos;
        let bytes = self.bytes;
        let (mut at, mut high) = skip_plain(bytes, open + 1);
        loop {
            match bytes.get(at) {
                Some(b'"') => {
                    // Only a string with a non-ASCII byte can be other than UTF-8.
                    if high && std::str::from_utf8(&bytes[open + 1..at]).is_err() {
                        return Err(Stop::at(open));
                    }
                    self.pos = at + 1;
                    return Ok(Str::Text {
                        start: (open + 1) as u32,
                        end: at as u32,
                    });
                }
                Some(b'\\') => return self.escaped_string(open),
                Some(0..=0x1f) | None => return Err(Stop::at(at)),
                Some(&b) => {
                    high |= b >= 0x80;
                    at += 1;
                }
            }
        }
    }

    fn escaped_string(&mut self, open: usize) -> Result<Str, Stop> {
        let mut at = open + 1;
        loop {
            match self.bytes.get(at) {
                Some(b'"') => break,
                Some(b'\\') => at += 2,
                Some(0..=0x1f) | None => return Err(Stop::at(at)),
                Some(_) => at += 1,
            }
        }
        // serde_json checks that the string is UTF-8.
        let raw = self.bytes.get(open..=at).ok_or(Stop::at(open))?;
        let decoded: String = serde_json::from_slice(raw).map_err(|_| Stop::at(open))?;
        self.pos = at + 1;
        self.owned.push(decoded.into());
        Ok(Str::Owned(self.owned.len() as u32 - 1))
    }

    /// A number at `self.pos`. Small non-negative integers are read here; any other is
    /// read by serde_json, so both agree on every number (`1e999` is refused there).
    fn number(&mut self) -> Result<u32, Stop> {
        let start = self.pos;
        let digits = |p: &mut usize| {
            let from = *p;
            while self.bytes.get(*p).is_some_and(u8::is_ascii_digit) {
                *p += 1;
            }
            *p > from
        };
        let mut at = start;
        let negative = self.bytes.get(at) == Some(&b'-');
        if negative {
            at += 1;
        }
        match self.bytes.get(at) {
            Some(b'0') => at += 1,
            Some(b'1'..=b'9') => {
                digits(&mut at);
            }
            _ => return Err(Stop::at(at)),
        }
        let mut integer = true;
        if self.bytes.get(at) == Some(&b'.') {
            at += 1;
            integer = false;
            if !digits(&mut at) {
                return Err(Stop::at(at));
            }
        }
        if let Some(b'e' | b'E') = self.bytes.get(at) {
            at += 1;
            integer = false;
            if let Some(b'+' | b'-') = self.bytes.get(at) {
                at += 1;
            }
            if !digits(&mut at) {
                return Err(Stop::at(at));
            }
        }
        let literal = &self.bytes[start..at];
        let number = if integer && !negative && literal.len() <= 19 {
            // At most 19 digits: never more than u64::MAX.
            let n = literal
                .iter()
                .fold(0u64, |n, &d| n * 10 + u64::from(d - b'0'));
            serde_json::Number::from(n)
        } else {
            serde_json::from_slice(literal).map_err(|_| Stop::at(start))?
        };
        self.pos = at;
        self.numbers.push(number);
        Ok(self.numbers.len() as u32 - 1)
    }

    /// A string's bytes (checked to be UTF-8 when it was read).
    fn key(&self, s: Str) -> &[u8] {
        match s {
            Str::Text { start, end } => &self.bytes[start as usize..end as usize],
            Str::Owned(i) => self.owned[i as usize].as_bytes(),
        }
    }

    /// A string read, as text: for sorting a large object's names and naming an array
    /// over the limit, both rare.
    fn str(&self, s: Str) -> &str {
        std::str::from_utf8(self.key(s)).unwrap_or_default()
    }
}

/// The offset of the first byte at or after `at` that is not a space, eight at a time.
fn skip_spaces(bytes: &[u8], mut at: usize) -> usize {
    while let Some(chunk) = bytes.get(at..at + 8) {
        let other =
            u64::from_le_bytes(chunk.try_into().expect("eight bytes")) ^ 0x2020_2020_2020_2020;
        if other != 0 {
            return at + (other.trailing_zeros() / 8) as usize;
        }
        at += 8;
    }
    at
}

/// The offset of the first byte at or after `at` that a string scan must look at: a
/// quote, a backslash or a control character, or else the start of the last bytes (fewer
/// than eight), which the caller reads one by one. Eight bytes at a time (as serde_json
/// does): most string bytes are none of these. Also whether a byte skipped is not ASCII.
/// The parser reads strings with it, and the JSON output finds what to escape.
pub(crate) fn skip_plain(bytes: &[u8], mut at: usize) -> (usize, bool) {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let has_zero = |v: u64| v.wrapping_sub(ONES) & !v & HIGH;
    let mut high = 0u64;
    while let Some(chunk) = bytes.get(at..at + 8) {
        let word = u64::from_le_bytes(chunk.try_into().expect("eight bytes"));
        let special = has_zero(word ^ (ONES * u64::from(b'"')))
            | has_zero(word ^ (ONES * u64::from(b'\\')))
            // A byte below 0x20: `word - 0x20…` borrows out of it.
            | (word.wrapping_sub(ONES * 0x20) & !word & HIGH);
        if special != 0 {
            // The lowest flagged byte is exact; the caller looks at the bytes from there.
            // The bytes below it were skipped: their high bits count.
            let below = (special & special.wrapping_neg()) - 1;
            high |= word & below;
            return (
                at + (special.trailing_zeros() / 8) as usize,
                high & HIGH != 0,
            );
        }
        high |= word;
        at += 8;
    }
    (at, high & HIGH != 0)
}

fn too_many_items(pointer: &str) -> Text {
    let limit = thousands(MAX_ARRAY_ITEMS as u64);
    let (ja, en) = match pointer {
        "" => ("最上位の配列".to_owned(), "the top-level array".to_owned()),
        p => (format!("配列 {p}"), format!("the array at {p}")),
    };
    Text::new(
        format!(
            "{ja} の要素が上限の {limit} 個を超えています。台帳に必要な数よりはるかに多いため、\
             ファイルの作り方を確認してください"
        ),
        format!(
            "{en} has more than {limit} items, the limit; an inventory needs far fewer: \
             check how the file was made"
        ),
    )
}

/// serde_json's message without its trailing position, with a Japanese rendering.
fn describe(err: &serde_json::Error) -> Text {
    let full = err.to_string();
    let en = match full.rfind(" at line ") {
        Some(i) => full[..i].to_owned(),
        None => full,
    };
    if en.starts_with("recursion limit exceeded") {
        return Text::new(
            format!(
                "入れ子が深すぎます: 配列とオブジェクトの入れ子は {MAX_DEPTH} 段までです\
                 （台帳に必要なのは 5 段です）。ファイルの作り方を確認してください"
            ),
            format!(
                "the nesting is too deep: arrays and objects may be nested at most {MAX_DEPTH} \
                 levels deep (an inventory needs 5); check how the file was made"
            ),
        );
    }
    let ja = if let Some(key) = en.strip_prefix("duplicate key ") {
        format!("同じ項目名 {key} が 2 回書かれています。1 つにまとめてください")
    } else {
        let known: &[(&str, &str)] = &[
            (
                "EOF while parsing",
                "ファイルが途中で終わっています（閉じ括弧 } や ] の不足）",
            ),
            ("trailing comma", "最後の要素の後ろに余分なカンマがあります"),
            ("expected `,` or `}`", "カンマ , か閉じ括弧 } が必要です"),
            ("expected `,` or `]`", "カンマ , か閉じ括弧 ] が必要です"),
            ("expected `:`", "項目名の後にコロン : が必要です"),
            (
                "key must be a string",
                "項目名は \"…\" で囲んだ文字列にしてください",
            ),
            (
                "expected value",
                "値がありません（文字列は \"…\" で囲みます）",
            ),
            ("expected ident", "true / false / null の綴りが誤っています"),
            (
                "trailing characters",
                "JSON の終わりの後に余分な文字があります",
            ),
            ("number out of range", "数値が大きすぎます"),
            (
                "control character",
                "文字列の中に改行や制御文字があります（\\n と書いてください）",
            ),
            ("invalid escape", "文字列の中の \\ の使い方が誤っています"),
            (
                "invalid unicode code point",
                "文字列の中の \\u の値が誤っています",
            ),
            (
                "lone leading surrogate",
                "文字列の中の \\u の値が誤っています",
            ),
            ("invalid number", "数値の書き方が誤っています"),
        ];
        let hit = known
            .iter()
            .find(|(k, _)| en.starts_with(k) || en.contains(k));
        match hit {
            Some((_, ja)) => (*ja).to_owned(),
            None => format!("JSON として読めません（{en}）"),
        }
    };
    Text {
        ja: format!("JSON の構文エラー: {ja}"),
        en: format!("invalid JSON: {en}"),
    }
}

/// Reads a text the way serde_json does and refuses duplicate member names, building
/// nothing: only its error is wanted (see [`explain`]).
#[derive(Clone, Copy)]
struct Strict;

impl<'de> DeserializeSeed<'de> for Strict {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Strict {
    type Value = ();

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_bool<E>(self, _: bool) -> Result<(), E> {
        Ok(())
    }
    fn visit_i64<E>(self, _: i64) -> Result<(), E> {
        Ok(())
    }
    fn visit_u64<E>(self, _: u64) -> Result<(), E> {
        Ok(())
    }
    fn visit_f64<E>(self, _: f64) -> Result<(), E> {
        Ok(())
    }
    fn visit_str<E>(self, _: &str) -> Result<(), E> {
        Ok(())
    }
    fn visit_unit<E>(self) -> Result<(), E> {
        Ok(())
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while seq.next_element_seed(self)?.is_some() {}
        Ok(())
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let mut seen = std::collections::HashSet::new();
        while let Some(key) = map.next_key::<String>()? {
            if seen.contains(&key) {
                return Err(de::Error::custom(format_args!("duplicate key `{key}`")));
            }
            map.next_value_seed(self)?;
            seen.insert(key);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(text: &str) -> SyntaxError {
        parse(Arc::new(text.into())).unwrap_err()
    }

    #[test]
    fn duplicate_keys_are_refused_near_the_second_key() {
        let text = "{\n  \"shared\": true,\n  \"shared\": false\n}";
        let e = err(text);
        assert!(
            e.message.en.contains("duplicate key `shared`"),
            "{:?}",
            e.message
        );
        assert_eq!(LineIndex::new(text).line_col(text, e.offset).line, 3);
    }

    #[test]
    fn empty_and_truncated_files() {
        assert!(err("").message.en.contains("empty"));
        assert!(err("  \n").message.en.contains("empty"));
        let e = err("{\"a\": [1, 2");
        assert!(e.message.en.contains("EOF"), "{:?}", e.message);
        assert_eq!(e.offset, 11, "at the end of the text");
        assert_eq!(err("{\"a\": [1, 2\n\n").offset, 13);
        assert!(e.message.ja.contains("途中で終わって"));
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_stack_overflow() {
        let text = "[".repeat(100_000);
        let e = err(&text);
        assert!(
            e.message.en.contains("nesting is too deep"),
            "{:?}",
            e.message
        );
        assert!(e.message.en.contains("127"), "the limit is named");
        assert!(e.message.ja.contains("入れ子が深すぎます") && e.message.ja.contains("127 段"));
        assert_eq!(
            e.offset, MAX_DEPTH,
            "at the first bracket one level too deep"
        );
    }

    #[test]
    fn the_depth_limit_is_exactly_max_depth() {
        let nested = |n: usize| format!("{}{}", "[".repeat(n), "]".repeat(n));
        let ok = nested(MAX_DEPTH);
        assert!(parse(ok.into()).is_ok());
        assert!(err(&nested(MAX_DEPTH + 1)).message.en.contains("too deep"));
        let objects = format!(
            "{}1{}",
            "{\"a\":".repeat(MAX_DEPTH + 1),
            "}".repeat(MAX_DEPTH + 1)
        );
        assert!(err(&objects).message.en.contains("too deep"));
    }

    fn array_of(n: usize) -> String {
        let mut text = String::with_capacity(2 * n + 2);
        text.push('[');
        for i in 0..n {
            if i > 0 {
                text.push(',');
            }
            text.push('0');
        }
        text.push(']');
        text
    }

    #[test]
    fn an_array_at_the_item_limit_parses() {
        let text = array_of(MAX_ARRAY_ITEMS);
        let (doc, _) = parse(text.into()).unwrap();
        assert_eq!(doc.root().as_array().unwrap().len(), MAX_ARRAY_ITEMS);
    }

    #[test]
    fn an_array_over_the_item_limit_is_refused_at_the_array() {
        let text = format!(
            "{{\n  \"devices\": [{{\"a/b\": {{\"apps\": {}}}}}]\n}}",
            array_of(MAX_ARRAY_ITEMS + 1)
        );
        let index = LineIndex::new(&text);
        let e = err(&text);
        assert_eq!(
            e.message.en,
            "the array at /devices/0/a~1b/apps has more than 1,000,000 items, the limit; \
             an inventory needs far fewer: check how the file was made"
        );
        assert!(
            e.message
                .ja
                .contains("配列 /devices/0/a~1b/apps の要素が上限の 1,000,000 個")
        );
        assert_eq!(
            &text[e.offset..e.offset + 3],
            "[0,",
            "the array's opening bracket"
        );
        assert_eq!(index.line_col(&text, e.offset).line, 2);
        let top = err(&array_of(MAX_ARRAY_ITEMS + 1));
        assert!(
            top.message
                .en
                .starts_with("the top-level array has more than")
        );
        assert_eq!(top.offset, 0);
    }

    #[test]
    fn other_errors_inside_arrays_keep_their_place_and_wording() {
        let text = "{\"a\": [1, {\"b\": [tru]}]}";
        let e = err(text);
        assert!(e.message.en.contains("expected ident"), "{:?}", e.message);
        let plain = serde_json::from_str::<serde_json::Value>(text).unwrap_err();
        assert_eq!((plain.line(), plain.column()), (1, 21));
        assert_eq!(e.offset, 20, "where serde_json stopped");
    }

    #[test]
    fn huge_numbers() {
        assert!(
            err("{\"a\": 1e999}")
                .message
                .en
                .contains("number out of range")
        );
        let (doc, _) = parse(Arc::new("{\"a\": 123456789012345678901234567890}".into())).unwrap();
        assert!(doc.root().get("a").unwrap().as_number().unwrap().is_f64());
    }

    #[test]
    fn bytes_are_read_only_when_utf8_and_valid() {
        let cases: &[&[u8]] = &[
            b"{\"a\": \"\xff\"}",
            b"{\"\xe3\x81\": 1}",
            b"{\"a\": \"\\n\xe3\x81\"}",
            b"{\"a\": \"\xed\xa0\x80\"}",
            b"{\"a\": \"\xc0\xaf\"}",
            b"{\"a\": 1 \xff}",
            b"{\"a\": \"0123456789abcdef\xe3\x81\xe3\x81\x82\"}",
            "{\"a\": \"\u{3042}\u{3044}\u{3046}\u{3048}\u{304a} plain ascii tail\", \"\u{00e9}\": 1}"
                .as_bytes(),
            b"{\"ab\": 1, \"a\\u0062\": 2}",
            b"[1, 2,\r\n        3]",
            b"  \n  ",
        ];
        for &bytes in cases {
            let utf8 = std::str::from_utf8(bytes).ok();
            let whole = utf8.is_some_and(|t| parse(Arc::new(t.into())).is_ok());
            match parse_bytes(bytes.to_vec()) {
                Ok((text, doc, lines)) => {
                    assert!(whole, "{bytes:?}");
                    let (want, want_lines) = parse(Arc::new(utf8.unwrap().into())).unwrap();
                    assert_eq!(&*text, utf8.unwrap());
                    assert_eq!(doc.root().to_value(), want.root().to_value());
                    assert_eq!(format!("{lines:?}"), format!("{want_lines:?}"));
                }
                Err(back) => {
                    assert!(!whole, "{bytes:?}");
                    assert_eq!(back, bytes);
                }
            }
        }
    }

    #[test]
    fn valid_documents_parse() {
        let text = r#"{"a": [1, -2, 3.5, "x", null, true, {"b": {}}]}"#;
        let (doc, _) = parse(Arc::new(text.into())).unwrap();
        assert_eq!(
            doc.root().to_value(),
            serde_json::from_str::<serde_json::Value>(text).unwrap()
        );
    }
}
