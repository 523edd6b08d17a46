//! A finding's source snippet drawn as miette's graphical handler draws it, for the case
//! human output meets on nearly every finding: one label on one line, no colour. Anything
//! else (colour, a label over several lines or of several lines, a span miette cannot
//! read) is left to miette: [`draw`] answers `None` and writes nothing.
//!
//! It follows `GraphicalReportHandler::render_snippets` of miette 7.6 (with its defaults:
//! one line of context, tabs of four columns, the line and column of the label in the
//! header) step by step: the same lines (`get_lines`), the same visual columns
//! (`line_visual_char_width`, with the width table of the unicode-width miette builds
//! with), the same underline and label, writing into one string where miette formats
//! every piece through `fmt` (on 200 findings-heavy files, its snippets took about 125 M
//! instructions; these about 30 M). A proptest and the human output tests compare the two
//! on random texts and on every finding of the samples.

use miette::{LabeledSpan, SourceCode, ThemeCharacters};
use unicode_width_miette::UnicodeWidthChar;

use crate::inventory::document::push_decimal;

/// miette's default number of lines shown before and after the label's.
const CONTEXT_LINES: usize = 1;
/// miette's default tab width.
const TAB_WIDTH: usize = 4;

/// One line of a snippet, as miette's `get_lines` cuts it: its 1-based number, where it
/// starts in the source, its length with its line break, and its text without it.
struct Line<'a> {
    number: usize,
    offset: usize,
    length: usize,
    text: &'a str,
}

impl Line<'_> {
    /// The label starts and ends on this line.
    fn holds(&self, offset: usize, len: usize) -> bool {
        offset >= self.offset && offset + len <= self.offset + self.length
    }

    /// The label shows on this line (miette's `span_applies`).
    fn shows(&self, offset: usize, len: usize) -> bool {
        let len = len.max(1);
        let end = self.offset + self.length;
        (offset >= self.offset && offset < end)
            || (offset < self.offset && offset + len > end)
            || (offset + len > self.offset && offset + len <= end)
    }
}

/// What miette reads of a source for a snippet: the lines around the label (`text`, at
/// offset `offset`, from 0-based line `line`), the source's name, and the 0-based line and
/// column the label starts at (`at`).
pub struct Contents<'a> {
    pub text: &'a str,
    pub line: usize,
    pub offset: usize,
    pub name: &'a str,
    pub at: (usize, usize),
}

/// `label` in `source` as miette's `render_snippets` draws it with the characters of
/// `chars` and no colour, appended to `out`; `None` (and nothing appended) where miette
/// must draw it.
pub fn draw(
    out: &mut String,
    source: &dyn SourceCode,
    label: &LabeledSpan,
    chars: &ThemeCharacters,
) -> Option<()> {
    let span = label.inner();
    let contents = source.read_span(span, CONTEXT_LINES, CONTEXT_LINES).ok()?;
    let primary = source.read_span(span, 0, 0).ok()?;
    let contents = Contents {
        text: std::str::from_utf8(contents.data()).ok()?,
        line: contents.line(),
        offset: contents.span().offset(),
        name: primary.name()?,
        at: (primary.line(), primary.column()),
    };
    draw_contents(out, &contents, label, chars)
}

/// [`draw`], from what miette would read of the source (`contents`).
pub fn draw_contents(
    out: &mut String,
    contents: &Contents,
    label: &LabeledSpan,
    chars: &ThemeCharacters,
) -> Option<()> {
    let text = label.label()?;
    if text.contains('\n') {
        return None;
    }
    let span = label.inner();
    let (offset, len) = (span.offset(), span.len());
    let lines = lines(contents.text, contents.line, contents.offset);
    // A label over several lines is drawn with gutters: miette's.
    if lines
        .iter()
        .any(|line| line.shows(offset, len) && !line.holds(offset, len))
    {
        return None;
    }
    let number_width = digits(lines.last().map_or(0, |l| l.number));
    // The header: `╭─[name:line:column]`.
    pad(out, number_width + 2);
    out.extend([chars.ltop, chars.hbar, '[']);
    out.push_str(contents.name);
    out.push(':');
    push_decimal(out, contents.at.0 + 1);
    out.push(':');
    push_decimal(out, contents.at.1 + 1);
    out.push_str("]\n");
    // Before a line of the text, its number; before an underline, a break in the bar.
    let gutter = |out: &mut String, number: Option<usize>| {
        out.push(' ');
        match number {
            Some(number) => {
                pad(out, number_width - digits(number));
                push_decimal(out, number);
            }
            None => pad(out, number_width),
        }
        out.extend([' ', number.map_or(chars.vbar_break, |_| chars.vbar), ' ']);
    };
    for line in &lines {
        gutter(out, Some(line.number));
        match line.text.contains('\t') {
            false => out.push_str(line.text),
            true => {
                for (c, width) in line.text.chars().zip(visual_widths(line.text)) {
                    match c {
                        '\t' => pad(out, width),
                        c => out.push(c),
                    }
                }
            }
        }
        out.push('\n');
        if !line.shows(offset, len) {
            continue;
        }
        let from = visual_offset(line, offset, true);
        let to = match len {
            0 => from + 1,
            _ => visual_offset(line, offset + len, false).max(from + 1),
        };
        let bar = (from + to) / 2;
        gutter(out, None);
        pad(out, from);
        out.extend(std::iter::repeat_n(chars.underline, bar - from));
        out.push(match len {
            0 => chars.uarrow,
            _ => chars.underbar,
        });
        out.extend(std::iter::repeat_n(chars.underline, to - bar - 1));
        out.push('\n');
        gutter(out, None);
        pad(out, bar);
        out.extend([chars.lbot, chars.hbar, chars.hbar, ' ']);
        out.push_str(text);
        out.push('\n');
    }
    pad(out, number_width + 2);
    out.push(chars.lbot);
    out.extend(std::iter::repeat_n(chars.hbar, 4));
    out.push('\n');
    Some(())
}

/// `n` spaces.
fn pad(out: &mut String, n: usize) {
    out.extend(std::iter::repeat_n(' ', n));
}

/// How many digits `n` has in decimal.
fn digits(n: usize) -> usize {
    n.checked_ilog10().map_or(1, |log| log as usize + 1)
}

/// The lines of a snippet's text, which starts at `offset` on 0-based line `line`
/// (miette's `get_lines`: `\r\n` and `\n` end a line, a lone `\r` is text).
fn lines(text: &str, mut line: usize, offset: usize) -> Vec<Line<'_>> {
    let mut lines = Vec::with_capacity(2 * CONTEXT_LINES + 1);
    let mut start = 0;
    while start < text.len() {
        let (end, next) = match memchr::memchr(b'\n', &text.as_bytes()[start..]) {
            Some(nl) => {
                line += 1;
                let end = start + nl;
                (end - usize::from(text[start..end].ends_with('\r')), end + 1)
            }
            None => {
                // The last line, without a line break: miette does not count it when it
                // ends with a (lone) `\r`.
                if !text.ends_with('\r') {
                    line += 1;
                }
                (text.len(), text.len())
            }
        };
        lines.push(Line {
            number: line,
            offset: offset + start,
            length: next - start,
            text: &text[start..end],
        });
        start = next;
    }
    lines
}

/// The columns each character of `text` takes on a terminal (miette's
/// `line_visual_char_width`): tabs to the next multiple of four, nothing inside an ANSI
/// escape, else the character's Unicode width.
fn visual_widths(text: &str) -> impl Iterator<Item = usize> + '_ {
    let mut column = 0;
    let mut escaped = false;
    text.chars().map(move |c| {
        let width = match (escaped, c) {
            (false, '\t') => TAB_WIDTH - column % TAB_WIDTH,
            (false, '\x1b') => {
                escaped = true;
                0
            }
            (false, c) => c.width().unwrap_or(0),
            (true, 'm') => {
                escaped = false;
                0
            }
            (true, _) => 0,
        };
        column += width;
        width
    })
}

/// The visual column of byte `offset` on `line` (miette's `visual_offset`): inside a
/// character, its first column (`start`) or the one after it; past the line's text, one
/// column after it.
fn visual_offset(line: &Line, offset: usize, start: bool) -> usize {
    let mut index = offset - line.offset;
    while index <= line.text.len() && !line.text.is_char_boundary(index) {
        match start {
            true => index -= 1,
            false => index += 1,
        }
    }
    let before = &line.text[..index.min(line.text.len())];
    // Printable ASCII takes a column a byte.
    let width: usize = match before.bytes().all(|b| (b' '..=b'~').contains(&b)) {
        true => before.len(),
        false => visual_widths(before).sum(),
    };
    match index > line.text.len() {
        true => width + 1,
        false => width,
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::output::masked::MaskedSource;
    use miette::{Diagnostic, GraphicalReportHandler, GraphicalTheme, NamedSource};
    use proptest::prelude::*;
    use std::sync::Arc;

    /// A diagnostic with no message but a label: what human output has miette draw.
    #[derive(Debug)]
    struct Snippet<'a> {
        label: Option<LabeledSpan>,
        source: &'a NamedSource<Arc<MaskedSource>>,
    }

    impl std::fmt::Display for Snippet<'_> {
        fn fmt(&self, _: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            Ok(())
        }
    }

    impl std::error::Error for Snippet<'_> {}

    impl Diagnostic for Snippet<'_> {
        fn source_code(&self) -> Option<&dyn SourceCode> {
            Some(self.source)
        }
        fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
            self.label
                .clone()
                .map(|l| Box::new(std::iter::once(l)) as Box<dyn Iterator<Item = LabeledSpan>>)
        }
    }

    /// miette's drawing of `label` (what it draws after an empty message), and ours.
    fn both(text: &str, label: LabeledSpan) -> (String, Option<String>) {
        let handler = GraphicalReportHandler::new_themed(GraphicalTheme::unicode_nocolor())
            .with_width(100)
            .with_links(false)
            .with_wrap_lines(false);
        let source = NamedSource::new("inventory.json", Arc::new(MaskedSource::new(text, &[])));
        let draw_with = |label| {
            let mut out = String::new();
            let _ = handler.render_report(
                &mut out,
                &Snippet {
                    label,
                    source: &source,
                },
            );
            out
        };
        let empty = draw_with(None);
        let theirs = draw_with(Some(label.clone()));
        let theirs = theirs.strip_prefix(&empty).unwrap().to_owned();
        let mut ours = String::new();
        let drawn = draw(&mut ours, &source, &label, &ThemeCharacters::unicode());
        (theirs, drawn.map(|()| ours))
    }

    #[test]
    fn a_finding_of_the_samples_is_drawn_as_miette_draws_it() {
        let text = include_str!("../../samples/F0002-higashi-clinic.json");
        let at = text.find("\"length\": 7").unwrap() + 10;
        let label = LabeledSpan::new(Some("第9条 · /accounts/1/password/length".into()), at, 1);
        let (theirs, ours) = both(text, label);
        assert_eq!(ours.as_deref(), Some(theirs.as_str()));
        assert!(theirs.contains("╰── 第9条"), "{theirs}");
    }

    #[test]
    fn labels_over_lines_or_of_lines_are_left_to_miette() {
        let text = "{\n  \"a\": [1,\n    2]\n}\n";
        let at = text.find('[').unwrap();
        let (_, ours) = both(text, LabeledSpan::new(Some("x".into()), at, 9));
        assert_eq!(ours, None);
        let (_, ours) = both(text, LabeledSpan::new(Some("x\ny".into()), at, 1));
        assert_eq!(ours, None);
    }

    /// Pieces of lines: ASCII, tabs, wide and astral characters, a combining accent, a
    /// zero-width space, a lone `\r`.
    fn piece() -> impl Strategy<Value = &'static str> {
        prop::sample::select(vec![
            "a", "bc", " ", "  ", "\t", "日本", "😀", "e\u{301}", "\u{200b}", "\r", "\"k\": ", "1",
            "{", "]", ",",
        ])
    }

    fn text() -> impl Strategy<Value = String> {
        texts(piece().prop_map(str::to_owned), 12)
    }

    /// Texts of one to six lines of at most `most` pieces each, joined by `\n` or `\r\n`,
    /// ending with a line break or not.
    pub(crate) fn texts(
        piece: impl Strategy<Value = String>,
        most: usize,
    ) -> impl Strategy<Value = String> {
        let line = prop::collection::vec(piece, 0..most).prop_map(|p| p.concat());
        let lines = prop::collection::vec(line, 1..7);
        (lines, any::<bool>(), any::<bool>()).prop_map(|(lines, crlf, last)| {
            let mut text = lines.join(if crlf { "\r\n" } else { "\n" });
            if last {
                text.push('\n');
            }
            text
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(3000))]

        /// Every snippet rurume draws is miette's, byte for byte.
        #[test]
        fn snippets_are_drawn_as_miette_draws_them(
            text in text(),
            start in 0usize..200,
            len in 0usize..12,
            label in "[a-z0-9 ·第条/]{0,12}",
        ) {
            let floor = |mut at: usize| {
                at = at.min(text.len());
                while !text.is_char_boundary(at) {
                    at -= 1;
                }
                at
            };
            let start = floor(start);
            let end = floor(start + len);
            let (theirs, ours) = both(&text, LabeledSpan::new(Some(label), start, end - start));
            if let Some(ours) = ours {
                prop_assert_eq!(ours, theirs);
            }
        }
    }
}
