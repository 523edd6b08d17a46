//! Places in a file's text: byte spans, and 1-based lines and columns.
//!
//! Every value of a parsed [`super::Document`] carries its [`Span`]; a pointer's place is
//! `document.pointer(p)?.span()`, the one path every output takes. The [`LineIndex`] turns
//! byte offsets into lines and columns; the parser records the line starts as it reads.

use std::sync::OnceLock;

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

/// Where a span starts and ends as SARIF and editors count: 1-based lines, and 1-based
/// columns in UTF-16 code units (a character outside the Basic Multilingual Plane, an
/// emoji say, is two); the end is exclusive, and a span that ends before it starts ends
/// where it starts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Utf16Span {
    pub start: LineCol,
    pub end: LineCol,
}

/// A span's start and end columns in UTF-16 code units, kept beside its lines and
/// character columns (a finding's [`LineCol`]s) in four bytes each: with them they make
/// its [`Utf16Span`] ([`Columns16::with_lines`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Columns16 {
    pub start: u32,
    pub end: u32,
}

impl Columns16 {
    /// The [`Utf16Span`] of `span`, whose start and end in characters are `start` and
    /// `end` (from [`LineIndex::spot`], or a cell's row and column).
    pub fn with_lines(self, span: Span, start: LineCol, end: LineCol) -> Utf16Span {
        let start = LineCol {
            line: start.line,
            column: self.start as usize,
        };
        Utf16Span {
            start,
            end: match span.end >= span.start {
                true => LineCol {
                    line: end.line,
                    column: self.end as usize,
                },
                false => start,
            },
        }
    }
}

/// What a span holds, by its first byte: what SARIF's logical locations call it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shape {
    Object,
    Array,
    Value,
}

impl Shape {
    /// The shape of the value at byte `offset` of `text`.
    pub fn at(text: &str, offset: usize) -> Shape {
        match text.as_bytes().get(offset) {
            Some(b'{') => Shape::Object,
            Some(b'[') => Shape::Array,
            _ => Shape::Value,
        }
    }
}

/// A span's place in its text, counted once for every output: its start and end in
/// characters ([`LineIndex::line_col`]), the same in UTF-16 code units, and what it holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Spot {
    pub start: LineCol,
    pub end: LineCol,
    pub utf16: Utf16Span,
    pub shape: Shape,
}

impl Spot {
    /// Its UTF-16 columns alone (see [`Columns16::with_lines`]).
    pub fn columns16(&self) -> Columns16 {
        let narrow = |column: usize| u32::try_from(column).unwrap_or(u32::MAX);
        Columns16 {
            start: narrow(self.utf16.start.column),
            end: narrow(self.utf16.end.column),
        }
    }
}

/// Offsets of line starts, for offset → line/column in O(log n).
#[derive(Debug, Clone)]
pub struct LineIndex {
    starts: Vec<usize>,
    /// Characters and UTF-16 code units before every [`BLOCK`]th byte, built the first time
    /// a column is asked for far into a long line: a minified file is one line, and counting
    /// from its start for each of thousands of findings would take quadratic time.
    blocks: OnceLock<Vec<Units>>,
}

/// How far into a text, in characters (what rurume's columns count) and in UTF-16 code
/// units (what SARIF's columns count).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Units {
    chars: usize,
    utf16: usize,
}

impl Units {
    fn of(bytes: &[u8]) -> Units {
        // A character starts at every byte that does not continue one; one of four bytes
        // (lead byte 0xF0 or above) is two UTF-16 units.
        let chars = bytes.iter().filter(|&&b| (b as i8) >= -0x40).count();
        Units {
            chars,
            utf16: chars + bytes.iter().filter(|&&b| b >= 0xf0).count(),
        }
    }

    fn plus(self, other: Units) -> Units {
        Units {
            chars: self.chars + other.chars,
            utf16: self.utf16 + other.utf16,
        }
    }
}

/// Columns within this many bytes of the line start are counted directly.
const BLOCK: usize = 4096;

impl LineIndex {
    pub fn new(text: &str) -> LineIndex {
        let mut starts = vec![0];
        starts_after_breaks(text, &mut starts);
        Self::from_starts(starts)
    }

    /// From the line starts the parser recorded (the first is 0).
    pub fn from_starts(starts: Vec<usize>) -> LineIndex {
        LineIndex {
            starts,
            blocks: OnceLock::new(),
        }
    }

    /// The line and column of a byte offset, the column in characters.
    pub fn line_col(&self, text: &str, offset: usize) -> LineCol {
        let (line, units) = self.position(text, offset);
        LineCol {
            line,
            column: units.chars + 1,
        }
    }

    /// The line and column of a byte offset, the column in UTF-16 code units (SARIF's).
    pub fn line_col_utf16(&self, text: &str, offset: usize) -> LineCol {
        let (line, units) = self.position(text, offset);
        LineCol {
            line,
            column: units.utf16 + 1,
        }
    }

    /// Where `span` is ([`Spot`]): each offset is counted once, for both kinds of column.
    pub fn spot(&self, text: &str, span: Span) -> Spot {
        let both = |(line, units): (usize, Units)| {
            (
                LineCol {
                    line,
                    column: units.chars + 1,
                },
                LineCol {
                    line,
                    column: units.utf16 + 1,
                },
            )
        };
        let (start, start16) = both(self.position(text, span.start));
        let (end, end16) = match span.end >= span.start {
            true => both(self.position(text, span.end)),
            false => (self.line_col(text, span.end), start16),
        };
        Spot {
            start,
            end,
            utf16: Utf16Span {
                start: start16,
                end: end16,
            },
            shape: Shape::at(text, span.start),
        }
    }

    /// The 1-based line of `offset` and what precedes it on that line.
    fn position(&self, text: &str, offset: usize) -> (usize, Units) {
        let offset = floor_char_boundary(text, offset.min(text.len()));
        let line = self.starts.partition_point(|&s| s <= offset) - 1;
        let start = self.starts[line].min(offset);
        let units = match offset - start <= BLOCK {
            true => Units::of(&text.as_bytes()[start..offset]),
            false => {
                let (before, upto) = (self.before(text, start), self.before(text, offset));
                Units {
                    chars: upto.chars - before.chars,
                    utf16: upto.utf16 - before.utf16,
                }
            }
        };
        (line + 1, units)
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

    /// The offsets where lines start (the first is 0).
    pub fn starts(&self) -> &[usize] {
        &self.starts
    }

    /// What `text[..offset]` holds.
    fn before(&self, text: &str, offset: usize) -> Units {
        let bytes = text.as_bytes();
        let blocks = self.blocks.get_or_init(|| {
            let mut counts = vec![Units::default()];
            let mut total = Units::default();
            for block in bytes.chunks_exact(BLOCK) {
                total = total.plus(Units::of(block));
                counts.push(total);
            }
            counts
        });
        let block = offset / BLOCK;
        blocks[block].plus(Units::of(&bytes[block * BLOCK..offset]))
    }
}

/// The offsets just after the line breaks (`\n`) of `text`, in order, into `out`: where
/// the lines after the first start. memchr looks for them many bytes at a time (human
/// output finds the lines of every file it draws again); a byte-by-byte split took five
/// instructions a byte.
fn starts_after_breaks(text: &str, out: &mut Vec<usize>) {
    out.extend(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1));
}

fn floor_char_boundary(text: &str, mut offset: usize) -> usize {
    while offset > 0 && !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_spot_counts_characters_and_utf16_code_units_and_says_what_it_holds() {
        let text = "{\"😀名\": [1, {\"a\": \"x\"}]}";
        let index = LineIndex::new(text);
        let span = |start: usize, end: usize| Span {
            start,
            end,
            key_start: None,
        };
        let array = text.find('[').unwrap();
        let spot = index.spot(text, span(array, text.len() - 1));
        let at = |column| LineCol { line: 1, column };
        assert_eq!((spot.start, spot.end), (at(8), at(23)));
        // 😀 is two UTF-16 code units.
        assert_eq!((spot.utf16.start, spot.utf16.end), (at(9), at(24)));
        assert_eq!(spot.shape, Shape::Array);
        let object = text.find("{\"a").unwrap();
        assert_eq!(
            index.spot(text, span(object, object + 1)).shape,
            Shape::Object
        );
        assert_eq!(
            index.spot(text, span(array + 1, array + 2)).shape,
            Shape::Value
        );
        // A span that ends before it starts ends, in UTF-16, where it starts; its
        // character end is where it says.
        let spot = index.spot(text, span(array, 1));
        assert_eq!(spot.utf16.end, spot.utf16.start);
        assert_eq!(spot.end, at(2));
        // Its columns alone, with the lines of its characters, are the same span.
        for (start, end) in [(array, text.len() - 1), (array, 1), (3, text.len() + 5)] {
            let spot = index.spot(text, span(start, end));
            let with_lines = spot
                .columns16()
                .with_lines(span(start, end), spot.start, spot.end);
            assert_eq!(with_lines, spot.utf16, "{start}..{end}");
        }
        // Offsets inside a character or past the end count from the character's start.
        let inside = index.spot(text, span(3, text.len() + 5));
        assert_eq!((inside.start, inside.utf16.start), (at(3), at(3)));
        assert_eq!(inside.utf16.end, at(25));
    }

    #[test]
    fn line_starts_are_found_across_and_inside_every_chunk() {
        // Texts of every length around the 64-byte chunks, with breaks at every place
        // (first, last, adjacent, none), against a plain scan.
        let mut seed = 7u64;
        for len in (0..200).chain([1000, 4097]) {
            for _ in 0..20 {
                let text: String = (0..len)
                    .map(|_| {
                        seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1);
                        match seed >> 61 {
                            0 | 1 => '\n',
                            2 => '日',
                            _ => 'a',
                        }
                    })
                    .collect();
                let plain: Vec<usize> = std::iter::once(0)
                    .chain(text.match_indices('\n').map(|(i, _)| i + 1))
                    .collect();
                assert_eq!(LineIndex::new(&text).starts(), plain, "{text:?}");
            }
        }
    }

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

    #[test]
    fn columns_far_into_a_long_line_are_counted_by_blocks() {
        let text = format!("{}\n{}", "日本語x😀".repeat(3000), "ab".repeat(3000));
        let index = LineIndex::new(&text);
        for offset in (0..text.len()).step_by(997).chain([text.len()]) {
            let offset = floor_char_boundary(&text, offset);
            let start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
            let line = text[..offset].matches('\n').count() + 1;
            let expected = LineCol {
                line,
                column: text[start..offset].chars().count() + 1,
            };
            assert_eq!(index.line_col(&text, offset), expected, "at {offset}");
            let utf16 = LineCol {
                line,
                column: text[start..offset].encode_utf16().count() + 1,
            };
            assert_eq!(index.line_col_utf16(&text, offset), utf16, "at {offset}");
        }
    }

    #[test]
    fn crlf_lines_count_once() {
        let text = "{\r\n  \"a\": 1\r\n}";
        assert_eq!(
            LineIndex::new(text).line_col(text, text.find('1').unwrap()),
            LineCol { line: 2, column: 8 }
        );
    }
}
