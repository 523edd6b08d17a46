//! From JSON Pointers to places in the file's text.
//!
//! This is the one code path every output uses to turn a pointer into a byte span and a
//! 1-based line and column. Evaluation works on a parsed `serde_json::Value`, which has no
//! positions; positions are recovered only for the pointers that findings carry, in one pass
//! over the text that skips every subtree no wanted pointer lies in.

use std::collections::{BTreeMap, BTreeSet};

use super::pointer;

/// Where a value sits in the text, in bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Span {
    /// Start of the value itself.
    pub start: usize,
    /// One past the end of the value.
    pub end: usize,
    /// Start of the member name (`"key"`) when the value is an object member.
    pub key_start: Option<usize>,
}

impl Span {
    pub fn at(offset: usize) -> Span {
        Span {
            start: offset,
            end: offset,
            key_start: None,
        }
    }
}

/// A 1-based line and column; the column counts characters (Unicode scalar values), so a
/// Japanese character counts as one, whatever its UTF-8 length.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct LineCol {
    pub line: usize,
    pub column: usize,
}

/// Offsets of line starts, for offset → line/column in O(log n).
#[derive(Debug, Clone)]
pub struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    pub fn new(text: &str) -> LineIndex {
        let mut starts = vec![0];
        starts.extend(newlines(text).map(|i| i + 1));
        LineIndex { starts }
    }

    pub fn line_col(&self, text: &str, offset: usize) -> LineCol {
        let offset = floor_char_boundary(text, offset.min(text.len()));
        let line = self.starts.partition_point(|&s| s <= offset) - 1;
        let start = self.starts[line];
        let column = text[start..offset].chars().count() + 1;
        LineCol {
            line: line + 1,
            column,
        }
    }

    /// Byte offset of a 1-based line and *byte* column (serde_json's error positions).
    pub fn offset_of_byte_column(&self, text: &str, line: usize, byte_column: usize) -> usize {
        let Some(&start) = self.starts.get(line.saturating_sub(1)) else {
            return text.len();
        };
        floor_char_boundary(
            text,
            (start + byte_column.saturating_sub(1)).min(text.len()),
        )
    }

    pub fn line_count(&self) -> usize {
        self.starts.len()
    }
}

fn newlines(text: &str) -> impl Iterator<Item = usize> + '_ {
    // Lines are short in pretty-printed JSON: a plain split beats a memchr call per line.
    let bytes = text.as_bytes();
    let mut offset = 0;
    bytes
        .split(|b| *b == b'\n')
        .map(move |line| {
            offset += line.len() + 1;
            offset - 1
        })
        .filter(move |end| *end < bytes.len())
}

fn floor_char_boundary(text: &str, mut offset: usize) -> usize {
    while offset > 0 && !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

/// Finds the spans of the given pointers in a JSON text that is known to parse.
/// Pointers that do not exist in the text are absent from the result.
pub fn locate<'p>(
    text: &str,
    pointers: impl IntoIterator<Item = &'p str>,
) -> BTreeMap<String, Span> {
    let wanted: BTreeSet<&str> = pointers.into_iter().collect();
    let mut found = BTreeMap::new();
    if wanted.is_empty() {
        return found;
    }
    let mut scanner = Scanner {
        bytes: text.as_bytes(),
        text,
        pos: 0,
        wanted: &wanted,
        found: &mut found,
    };
    scanner.skip_ws();
    let mut path = String::new();
    scanner.value(&mut path, None);
    found
}

struct Scanner<'a, 'w> {
    bytes: &'a [u8],
    text: &'a str,
    pos: usize,
    wanted: &'w BTreeSet<&'w str>,
    found: &'w mut BTreeMap<String, Span>,
}

impl Scanner<'_, '_> {
    fn skip_ws(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.bytes.get(self.pos) {
            self.pos += 1;
        }
    }

    /// Is any wanted pointer at or under `path`?
    fn wants_under(&self, path: &str) -> bool {
        // Everything at or under `path` sorts after it and shares its prefix.
        self.wanted
            .range::<str, _>((std::ops::Bound::Included(path), std::ops::Bound::Unbounded))
            .take_while(|p| p.starts_with(path))
            .any(|p| pointer::is_at_or_under(p, path))
    }

    /// Scans one value starting at `self.pos` (whitespace already skipped).
    fn value(&mut self, path: &mut String, key_start: Option<usize>) {
        let start = self.pos;
        let wanted_here = self.wanted.contains(path.as_str());
        match self.bytes.get(self.pos) {
            Some(b'{') if self.wants_under(path) => self.object(path),
            Some(b'[') if self.wants_under(path) => self.array(path),
            Some(b'{' | b'[') => self.skip_container(),
            Some(b'"') => self.skip_string(),
            Some(_) => self.skip_scalar(),
            None => {}
        }
        if wanted_here {
            self.found.insert(
                path.clone(),
                Span {
                    start,
                    end: self.pos,
                    key_start,
                },
            );
        }
    }

    fn object(&mut self, path: &mut String) {
        self.pos += 1; // {
        loop {
            self.skip_ws();
            match self.bytes.get(self.pos) {
                Some(b'}') | None => {
                    self.pos += 1;
                    return;
                }
                Some(b',') => {
                    self.pos += 1;
                    continue;
                }
                _ => {}
            }
            let key_start = self.pos;
            self.skip_string();
            let raw_key = &self.text[key_start..self.pos];
            let key: std::borrow::Cow<str> = if raw_key.contains('\\') {
                serde_json::from_str::<String>(raw_key)
                    .unwrap_or_default()
                    .into()
            } else {
                raw_key
                    .get(1..raw_key.len().saturating_sub(1))
                    .unwrap_or_default()
                    .into()
            };
            self.skip_ws();
            self.pos += 1; // :
            self.skip_ws();
            let len = path.len();
            path.push('/');
            path.push_str(&pointer::escape_token(&key));
            self.value(path, Some(key_start));
            path.truncate(len);
        }
    }

    fn array(&mut self, path: &mut String) {
        self.pos += 1; // [
        let mut index = 0usize;
        loop {
            self.skip_ws();
            match self.bytes.get(self.pos) {
                Some(b']') | None => {
                    self.pos += 1;
                    return;
                }
                Some(b',') => {
                    self.pos += 1;
                    continue;
                }
                _ => {}
            }
            let len = path.len();
            pointer::push_index(path, index);
            self.value(path, None);
            path.truncate(len);
            index += 1;
        }
    }

    fn skip_string(&mut self) {
        self.pos += 1; // opening quote
        while let Some(&b) = self.bytes.get(self.pos) {
            self.pos += 1;
            match b {
                b'\\' => self.pos += 1,
                b'"' => return,
                _ => {}
            }
        }
    }

    fn skip_scalar(&mut self) {
        while let Some(b) = self.bytes.get(self.pos) {
            if matches!(b, b',' | b'}' | b']' | b' ' | b'\t' | b'\n' | b'\r') {
                return;
            }
            self.pos += 1;
        }
    }

    /// Skips a whole object or array without tracking paths (iteratively: depth is no issue).
    fn skip_container(&mut self) {
        let mut depth = 0usize;
        while let Some(&b) = self.bytes.get(self.pos) {
            match b {
                b'"' => {
                    self.skip_string();
                    continue;
                }
                b'{' | b'[' => depth += 1,
                b'}' | b']' => {
                    depth -= 1;
                    if depth == 0 {
                        self.pos += 1;
                        return;
                    }
                }
                _ => {}
            }
            self.pos += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_starts_follow_every_newline() {
        for (text, lines) in [("", 1), ("a", 1), ("a\n", 2), ("\n\n", 3), ("a\r\nb\nc", 3)] {
            assert_eq!(LineIndex::new(text).line_count(), lines, "{text:?}");
        }
        let text = "ab\r\n日本\nx";
        let index = LineIndex::new(text);
        assert_eq!(
            index.line_col(text, text.find('日').unwrap()),
            LineCol { line: 2, column: 1 }
        );
        assert_eq!(
            index.line_col(text, text.len()),
            LineCol { line: 3, column: 2 }
        );
    }

    const TEXT: &str =
        "{\n  \"名前\": \"山田 太郎\",\n  \"a/b\": [1, {\"x\": true}],\n  \"n\": null\n}";

    #[test]
    fn finds_nested_values_and_keys() {
        let found = locate(
            TEXT,
            ["", "/名前", "/a~1b/1/x", "/a~1b/0", "/n", "/missing"],
        );
        let index = LineIndex::new(TEXT);
        let lc = |p: &str| index.line_col(TEXT, found[p].start);
        assert_eq!(lc(""), LineCol { line: 1, column: 1 });
        assert_eq!(lc("/名前"), LineCol { line: 2, column: 9 });
        assert_eq!(
            &TEXT[found["/名前"].start..found["/名前"].end],
            "\"山田 太郎\""
        );
        assert_eq!(
            lc("/a~1b/0"),
            LineCol {
                line: 3,
                column: 11
            }
        );
        assert_eq!(
            &TEXT[found["/a~1b/1/x"].start..found["/a~1b/1/x"].end],
            "true"
        );
        assert_eq!(lc("/n"), LineCol { line: 4, column: 8 });
        assert!(!found.contains_key("/missing"));
        assert_eq!(
            found["/名前"].key_start.map(|k| index.line_col(TEXT, k)),
            Some(LineCol { line: 2, column: 3 })
        );
    }

    #[test]
    fn escaped_keys_are_matched_by_their_value() {
        let text = r#"{"\u30d1": 1, "q\"": [2]}"#;
        let found = locate(text, ["/パ", "/q\"/0"]);
        assert_eq!(&text[found["/パ"].start..found["/パ"].end], "1");
        assert_eq!(&text[found["/q\"/0"].start..found["/q\"/0"].end], "2");
    }

    #[test]
    fn strings_containing_brackets_do_not_confuse_skipping() {
        let text = r#"{"a": ["]}\"{", {"b": "}"}], "c": 3}"#;
        let found = locate(text, ["/c"]);
        assert_eq!(&text[found["/c"].start..found["/c"].end], "3");
    }

    #[test]
    fn crlf_lines_count_once() {
        let text = "{\r\n  \"a\": 1\r\n}";
        let found = locate(text, ["/a"]);
        assert_eq!(
            LineIndex::new(text).line_col(text, found["/a"].start),
            LineCol { line: 2, column: 8 }
        );
    }
}
