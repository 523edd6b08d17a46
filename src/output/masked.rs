//! A file's text as human output shows it: every secret value replaced by a fixed mask
//! ([`MASK`]). The secrets of a text are its [`Masks`]; the text is masked whole, as the
//! source miette reads ([`MaskedSource`]), or only where a snippet shows it
//! ([`Masks::window`]): the lines around one finding, cut as [`MaskedSource`] cuts them
//! for miette. Drawing a report of many files, masking and indexing each whole text to
//! show a few of its lines took more than drawing them.

use std::ops::Range;

use miette::{MietteSpanContents, SourceSpan};

use crate::engine::MASK;
use crate::inventory::FileText;
use crate::inventory::spans::LineIndex;

/// Lines longer than this are shown as a window around the value (minified files).
pub const LONG_LINE: usize = 512;

/// The secrets of a text as they are masked: merged where they overlap, in order, each
/// with how far it moves the offsets after it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Masks {
    edits: Vec<Edit>,
    /// Whether a secret holds a line break: then the masked text's lines are not the
    /// text's, and [`Masks::window`] leaves the snippets to [`MaskedSource`].
    broken: bool,
}

/// One secret masked: `start..end` in the text, replaced by the mask in quotes when it is
/// a whole string value (a secret repeated inside another string is masked without them);
/// `shift` is how far the offsets after it move, counting the secrets before it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Edit {
    start: usize,
    end: usize,
    quoted: bool,
    shift: isize,
}

impl Edit {
    fn replacement_len(&self) -> usize {
        MASK.len() + if self.quoted { 2 } else { 0 }
    }

    fn push_replacement(&self, out: &mut String) {
        match self.quoted {
            true => {
                out.push('"');
                out.push_str(MASK);
                out.push('"');
            }
            false => out.push_str(MASK),
        }
    }
}

impl Masks {
    /// The masks of `secrets` in `text` (a text read again is bytes until the part shown
    /// is found to be UTF-8). A range that does not fit the text, or does not start and
    /// end between characters, is not a secret of it.
    pub fn of(text: &[u8], secrets: &[Range<usize>]) -> Masks {
        let between =
            |at: usize| at == text.len() || (at < text.len() && (text[at] as i8) >= -0x40);
        let mut spans: Vec<Range<usize>> = secrets
            .iter()
            .filter(|r| r.end <= text.len() && r.start < r.end)
            .filter(|r| between(r.start) && between(r.end))
            .cloned()
            .collect();
        spans.sort_by_key(|r| r.start);
        // Overlapping spans (a secret value, and a repetition of another secret inside it)
        // are masked as their union: nothing of either is left.
        let mut merged: Vec<Range<usize>> = Vec::new();
        for r in spans {
            match merged.last_mut() {
                Some(last) if r.start < last.end => last.end = last.end.max(r.end),
                _ => merged.push(r),
            }
        }
        let mut shift = 0isize;
        let edits: Vec<Edit> = merged
            .into_iter()
            .map(|r| {
                let mut edit = Edit {
                    start: r.start,
                    end: r.end,
                    quoted: text[r.start] == b'"',
                    shift: 0,
                };
                shift += edit.replacement_len() as isize - (r.end - r.start) as isize;
                edit.shift = shift;
                edit
            })
            .collect();
        let broken = edits
            .iter()
            .any(|e| memchr::memchr(b'\n', &text[e.start..e.end]).is_some());
        Masks { edits, broken }
    }

    /// How far an offset that is not inside a secret moves: the shift of the secrets
    /// wholly before it. The secrets are sorted and do not overlap, so those are a prefix,
    /// found by binary search (a file may hold thousands of secrets).
    fn shift_before(&self, offset: usize) -> (usize, isize) {
        let before = self.edits.partition_point(|e| e.end <= offset);
        let shift = before.checked_sub(1).map_or(0, |i| self.edits[i].shift);
        (before, shift)
    }

    /// Where `offset` of the text is in the masked text: inside a secret, at its start.
    fn map_offset(&self, offset: usize) -> usize {
        let (before, shift) = self.shift_before(offset);
        match self.edits.get(before) {
            Some(edit) if offset > edit.start => (edit.start as isize + shift) as usize,
            _ => (offset as isize + shift) as usize,
        }
    }

    /// `r` of the text, in the masked text.
    pub fn map(&self, r: Range<usize>) -> SourceSpan {
        let start = self.map_offset(r.start);
        let end = self.map_offset(r.end).max(start);
        SourceSpan::from(start..end)
    }

    /// `shown` masked, added to `out`: the part of the text that starts at offset `at`
    /// (it starts and ends outside secrets).
    fn mask_into(&self, shown: &str, at: usize, out: &mut String) {
        let end = at + shown.len();
        let (first, _) = self.shift_before(at);
        let mut last = at;
        for edit in self.edits[first..].iter().take_while(|e| e.start < end) {
            debug_assert!(
                edit.start >= at && edit.end <= end,
                "{edit:?} in {at}..{end}"
            );
            let (start, stop) = (edit.start.max(last), edit.end.min(end));
            out.push_str(&shown[last - at..start - at]);
            edit.push_replacement(out);
            last = stop;
        }
        out.push_str(&shown[last - at..]);
    }

    /// What miette reads for a snippet of `span` of `text` (its label, in the text's
    /// offsets), found without masking or indexing the whole text: the masked lines
    /// [`MaskedSource::read_span`] gives for one line of context before and after, cut
    /// into `scratch`. `line` is the 0-based line `span` starts on (what the check found).
    ///
    /// `None` where the whole masked text must be read: a label over more than one line,
    /// a secret over a line break, or lines that are not UTF-8 (only if the bytes are not
    /// the text that was checked).
    pub fn window<'s>(
        &self,
        text: &[u8],
        span: Range<usize>,
        line: usize,
        scratch: &'s mut String,
    ) -> Option<Window<'s>> {
        if self.broken || span.start > text.len() || span.end > text.len() {
            return None;
        }
        let label = self.map(span.clone());
        // Where the label starts and ends in the text: a secret it starts or ends in is
        // shown from its start.
        let outside = |offset: usize| {
            let (before, _) = self.shift_before(offset);
            match self.edits.get(before) {
                Some(edit) if offset > edit.start => edit.start,
                _ => offset,
            }
        };
        let start = outside(span.start);
        let end = outside(span.end).max(start);
        let line_start = memchr::memrchr(b'\n', &text[..start]).map_or(0, |nl| nl + 1);
        if (line == 0) != (line_start == 0) {
            return None;
        }
        // Where the line after `from`'s starts, if there is one.
        let next = |from: usize| memchr::memchr(b'\n', &text[from..]).map(|nl| from + nl + 1);
        // The label's line ends where the next starts (or with the text); the snippet,
        // with the line after it.
        let (line_end, to) = match next(start) {
            Some(after) if end > after => return None,
            Some(after) => (after, next(after).unwrap_or(text.len())),
            None => (text.len(), text.len()),
        };
        let masked = |offset: usize| (offset as isize + self.shift_before(offset).1) as usize;
        let (label_start, label_end) = (label.offset(), label.offset() + label.len());
        let masked_line = masked(line_start)..masked(line_end);
        let columns = |text: &str| text.bytes().filter(|&b| (b as i8) >= -0x40).count();
        scratch.clear();
        if masked_line.len() > LONG_LINE {
            // A long line (a minified file) is shown by its part around the label.
            let shown = std::str::from_utf8(&text[line_start..line_end]).ok()?;
            self.mask_into(shown, line_start, scratch);
            let in_line = |offset: usize| offset - masked_line.start;
            let from = floor_char_boundary(
                scratch.as_bytes(),
                in_line(
                    label_start
                        .saturating_sub(LONG_LINE / 4)
                        .max(masked_line.start),
                ),
            );
            let to = ceil_char_boundary(
                scratch.as_bytes(),
                in_line((label_end + LONG_LINE / 4).min(masked_line.end)),
            );
            let column = columns(&scratch[..from]);
            let at = (line, columns(&scratch[..in_line(label_start)]));
            scratch.truncate(to);
            scratch.drain(..from);
            return Some(Window {
                text: scratch,
                offset: masked_line.start + from,
                line,
                column,
                at,
                label,
            });
        }
        let (from, first) = match line {
            0 => (0, 0),
            _ => (
                memchr::memrchr(b'\n', &text[..line_start - 1]).map_or(0, |nl| nl + 1),
                line - 1,
            ),
        };
        let shown = std::str::from_utf8(&text[from..to]).ok()?;
        self.mask_into(shown, from, scratch);
        let column =
            columns(&scratch[masked(line_start) - masked(from)..label_start - masked(from)]);
        Some(Window {
            text: scratch,
            offset: masked(from),
            line: first,
            column: 0,
            at: (line, column),
            label,
        })
    }
}

/// What a snippet shows of a masked text ([`Masks::window`]): as miette's `SpanContents`
/// for the lines around a label (`text`, from masked offset `offset`, starting on 0-based
/// `line` at `column`), and for the label alone (its 0-based line and column `at`, and
/// its masked span `label`).
#[derive(Debug, PartialEq, Eq)]
pub struct Window<'s> {
    pub text: &'s str,
    pub offset: usize,
    pub line: usize,
    pub column: usize,
    pub at: (usize, usize),
    pub label: SourceSpan,
}

/// The file's text with every secret value replaced by a fixed mask, and the mapping
/// from original offsets to offsets in the masked text.
#[derive(Debug)]
pub struct MaskedSource {
    /// The file's own text when nothing in it is masked (shared, not copied).
    text: FileText,
    /// Its secrets.
    masks: Masks,
    /// Where the lines of `text` start (snippets are cut without rescanning the file), and
    /// its columns, counted by blocks on long lines.
    lines: LineIndex,
}

impl MaskedSource {
    pub fn new(text: &str, secrets: &[Range<usize>]) -> MaskedSource {
        Self::masked(text, None, secrets)
    }

    /// [`MaskedSource::new`] for a text whose lines are indexed already (`lines`): the
    /// masked text's lines are those, moved by the masks before them (a secret holds no
    /// line break), instead of being looked for again.
    pub fn with_lines(text: &str, lines: &LineIndex, secrets: &[Range<usize>]) -> MaskedSource {
        Self::masked(text, Some(lines), secrets)
    }

    /// [`MaskedSource::with_lines`] for a file's text: the text itself, shared, when it has
    /// no secrets to mask (most files: their passwords are recorded by their properties).
    pub fn of_file(text: &FileText, lines: &LineIndex, secrets: &[Range<usize>]) -> MaskedSource {
        match secrets.is_empty() {
            true => MaskedSource {
                text: text.clone(),
                masks: Masks::default(),
                lines: lines.clone(),
            },
            false => Self::with_lines(text, lines, secrets),
        }
    }

    fn masked(text: &str, known: Option<&LineIndex>, secrets: &[Range<usize>]) -> MaskedSource {
        let masks = Masks::of(text.as_bytes(), secrets);
        let mut out = String::with_capacity(text.len());
        masks.mask_into(text, 0, &mut out);
        let lines = match known {
            Some(lines) if !masks.broken => {
                let mut edit = masks.edits.iter().peekable();
                let mut shift = 0isize;
                let starts = lines
                    .starts()
                    .iter()
                    .map(|&start| {
                        while let Some(after) = edit.next_if(|e| e.end <= start) {
                            shift = after.shift;
                        }
                        start.saturating_add_signed(shift)
                    })
                    .collect();
                LineIndex::from_starts(starts)
            }
            _ => LineIndex::new(&out),
        };
        MaskedSource {
            lines,
            text: FileText::new(out),
            masks,
        }
    }

    pub fn text(&self) -> &str {
        &self.text
    }

    /// `r` of the text, in the masked text.
    pub fn map(&self, r: Range<usize>) -> SourceSpan {
        self.masks.map(r)
    }
}

impl miette::SourceCode for MaskedSource {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn miette::SpanContents<'a> + 'a>, miette::MietteError> {
        // The same contents as miette's own `str` source, found through the line index
        // (O(log n) per snippet instead of a scan of the file), with columns counted in
        // characters as every other output counts them, and long lines cut to a window.
        let text = self.text.as_str();
        let line_starts = self.lines.starts();
        let (start, end) = (span.offset(), span.offset() + span.len());
        if end > text.len() {
            return Err(miette::MietteError::OutOfBounds);
        }
        let line_of = |offset: usize| line_starts.partition_point(|&s| s <= offset) - 1;
        let line_end = |line: usize| line_starts.get(line + 1).copied().unwrap_or(text.len());
        let first = line_of(start);
        let last = line_of(end.saturating_sub(1).max(start));
        let column_of = |offset: usize| self.lines.line_col(text, offset).column - 1;
        let contents = |from: usize, to: usize, line: usize, column: usize, lines: usize| {
            Box::new(MietteSpanContents::new(
                &text.as_bytes()[from..to],
                SourceSpan::from(from..to),
                line,
                column,
                lines,
            )) as Box<dyn miette::SpanContents<'a> + 'a>
        };
        if context_lines_before == 0 && context_lines_after == 0 {
            return Ok(contents(start, end, first, column_of(start), 0));
        }
        let line_start = line_starts[first];
        if first == last && line_end(first) - line_start > LONG_LINE {
            let from = floor_char_boundary(
                text.as_bytes(),
                start.saturating_sub(LONG_LINE / 4).max(line_start),
            );
            let to =
                ceil_char_boundary(text.as_bytes(), (end + LONG_LINE / 4).min(line_end(first)));
            return Ok(contents(from, to, first, column_of(from), 1));
        }
        let from_line = first.saturating_sub(context_lines_before);
        let to_line = (last + context_lines_after).min(line_starts.len() - 1);
        let from = line_starts[from_line];
        Ok(contents(
            from,
            line_end(to_line),
            from_line,
            0,
            to_line - from_line + 1,
        ))
    }
}

/// The offset at or before `at` (or the end of `text`) where a character of `text` starts
/// or the text ends (bytes not known to be UTF-8 are cut the same).
pub(crate) fn floor_char_boundary(text: &[u8], at: usize) -> usize {
    let mut at = at.min(text.len());
    while at > 0 && at < text.len() && (text[at] as i8) < -0x40 {
        at -= 1;
    }
    at
}

/// The offset at or after `at` (or the end of `text`) where a character starts or the text
/// ends.
fn ceil_char_boundary(text: &[u8], at: usize) -> usize {
    let mut at = at.min(text.len());
    while at < text.len() && (text[at] as i8) < -0x40 {
        at += 1;
    }
    at
}

#[cfg(test)]
mod tests {
    use super::*;
    use miette::SourceCode;
    use proptest::prelude::*;

    /// The lines of a masked text, moved from the original's, are the masked text's own.
    #[test]
    fn masked_lines_move_with_the_masks() {
        let text = "{\n  \"p\": \"secret-1\",\n  \"q\": \"a\",\n  \"note\": \"say secret-1 twice secret-1\"\n}\n";
        let value = |s: &str, from: usize| text[from..].find(s).unwrap() + from;
        let p = value("\"secret-1\"", 0);
        let q = value("\"a\"", 0);
        let first = value("secret-1", p + 2);
        let second = value("secret-1", first + 1);
        let cases: Vec<Vec<Range<usize>>> = vec![
            vec![],
            vec![p..p + 10],
            vec![q..q + 3],
            vec![p..p + 10, first..first + 8, second..second + 8],
            vec![second..second + 8, p..p + 10],
            // A range over a line break: the lines are looked for again.
            vec![p..q + 3],
        ];
        let lines = LineIndex::new(text);
        for secrets in cases {
            let known = MaskedSource::with_lines(text, &lines, &secrets);
            let found = MaskedSource::new(text, &secrets);
            assert_eq!(known.text(), found.text());
            assert_eq!(known.lines.starts(), found.lines.starts(), "{secrets:?}");
            // A file's own text, shared when nothing is masked, is the same.
            let shared = MaskedSource::of_file(&FileText::new(text.to_owned()), &lines, &secrets);
            assert_eq!(shared.text(), found.text());
            assert_eq!(shared.lines.starts(), found.lines.starts(), "{secrets:?}");
            assert_eq!(shared.masks, found.masks);
        }
    }

    #[test]
    fn masking_hides_content_and_length_and_keeps_offsets_consistent() {
        let text = r#"{"password": "hunter22", "x": 1}"#;
        let start = text.find("\"hunter22\"").unwrap();
        let masked = MaskedSource::new(
            text,
            &[Range {
                start,
                end: start + 10,
            }],
        );
        assert_eq!(
            masked.text(),
            format!(r#"{{"password": "{MASK}", "x": 1}}"#)
        );
        let x = text.find("1}").unwrap();
        let mapped = masked.map(x..x + 1);
        assert_eq!(&masked.text()[mapped.offset()..mapped.offset() + 1], "1");
        let short = MaskedSource::new(r#"{"p": "a"}"#, &[Range { start: 6, end: 9 }]);
        assert_eq!(short.text(), format!(r#"{{"p": "{MASK}"}}"#));
    }

    #[test]
    fn overlapping_spans_are_masked_as_one_and_repetitions_without_quotes() {
        let text = r#"{"p": "Ume4", "note": "was Hana-Ume4-Kiku"}"#;
        let value = text.find("\"Ume4\"").unwrap();
        let long = text.find("Hana").unwrap();
        let inner = text.rfind("Ume4").unwrap();
        let masked =
            MaskedSource::new(text, &[value..value + 6, inner..inner + 4, long..long + 14]);
        assert_eq!(
            masked.text(),
            format!(r#"{{"p": "{MASK}", "note": "was {MASK}"}}"#)
        );
        let end = text.find('}').unwrap();
        let mapped = masked.map(end..end + 1);
        assert_eq!(&masked.text()[mapped.offset()..mapped.offset() + 1], "}");
    }

    /// Pieces of lines: ASCII, tabs, wide and astral characters, a lone `\r`, JSON, and a
    /// long run that makes a line longer than [`LONG_LINE`].
    fn piece() -> impl Strategy<Value = String> {
        prop_oneof![
            9 => prop::sample::select(vec![
                "a", "bc", " ", "\t", "日本", "😀", "e\u{301}", "\r", "\"k\": ", "\"pw\"", "1",
                "{", ",", "x",
            ])
            .prop_map(str::to_owned),
            1 => Just("y".repeat(300)),
        ]
    }

    fn text() -> impl Strategy<Value = String> {
        crate::output::snippet::tests::texts(piece(), 10)
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(3000))]

        /// A window is what miette reads of the whole masked text for the same label, with
        /// one line of context and without; it is there for every label on one line.
        #[test]
        fn a_window_is_what_miette_reads_of_the_whole_masked_text(
            text in text(),
            secrets in prop::collection::vec((0usize..2000, 1usize..12), 0..5),
            start in 0usize..2000,
            len in 0usize..40,
        ) {
            let floor = |at: usize| {
                let mut at = at.min(text.len());
                while !text.is_char_boundary(at) {
                    at -= 1;
                }
                at
            };
            // Secrets on one line (a JSON string holds no line break).
            let secrets: Vec<Range<usize>> = secrets
                .into_iter()
                .map(|(at, len)| floor(at)..floor(at + len))
                .filter(|r| !text[r.clone()].contains('\n'))
                .collect();
            let start = floor(start);
            let span = start..floor(start + len);
            let whole = MaskedSource::new(&text, &secrets);
            let label = whole.map(span.clone());
            let line = LineIndex::new(&text).line_col(&text, span.start).line - 1;
            let mut scratch = String::new();
            let window = Masks::of(text.as_bytes(), &secrets)
                .window(text.as_bytes(), span.clone(), line, &mut scratch);
            let masked = whole.text();
            let last = label.offset() + label.len().saturating_sub(1);
            let one_line = !masked.as_bytes()[label.offset()..last.max(label.offset())].contains(&b'\n');
            prop_assert_eq!(window.is_some(), one_line);
            if let Some(window) = window {
                let contents = whole.read_span(&label, 1, 1).unwrap();
                let primary = whole.read_span(&label, 0, 0).unwrap();
                let expected = Window {
                    text: std::str::from_utf8(contents.data()).unwrap(),
                    offset: contents.span().offset(),
                    line: contents.line(),
                    column: contents.column(),
                    at: (primary.line(), primary.column()),
                    label,
                };
                prop_assert_eq!(window, expected);
            }
        }
    }

    /// A secret over a line break, or bytes shown that are not UTF-8, leave the snippet
    /// to the whole text.
    #[test]
    fn no_window_over_a_secret_with_a_line_break_or_bytes_that_are_not_text() {
        let text = "{\n  \"p\": \"a\nb\",\n  \"q\": 1\n}\n";
        let p = text.find("\"a").unwrap();
        let q = text.find('1').unwrap();
        let mut scratch = String::new();
        let masks = Masks::of(text.as_bytes(), std::slice::from_ref(&(p..p + 5)));
        assert_eq!(
            masks.window(text.as_bytes(), q..q + 1, 3, &mut scratch),
            None
        );
        let masks = Masks::of(text.as_bytes(), &[]);
        assert!(
            masks
                .window(text.as_bytes(), q..q + 1, 3, &mut scratch)
                .is_some()
        );
        let mut bytes = text.as_bytes().to_vec();
        bytes[q - 2] = 0xff;
        assert_eq!(masks.window(&bytes, q..q + 1, 3, &mut scratch), None);
    }
}
