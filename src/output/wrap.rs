//! Texts wrapped as miette wraps a finding's message and fix: `textwrap::fill` with the
//! options miette gives it (words found by the Unicode line-breaking properties, split
//! after hyphens, broken when longer than a line, laid out first fit), computed the same
//! to the byte at a fraction of the cost.
//!
//! textwrap handles each word of a line three times over — found, split after its hyphens,
//! broken if too long — through boxed iterators, measuring it again each time; for a report
//! of many findings that was a fifth of the time of the whole run in English and a third
//! in Japanese. Here each word is found once, measured once (an ASCII word by its length),
//! and laid out by textwrap's own rules; the words of a line are remembered by the line's
//! shape, so that a rule's message about another device or person is not looked at again
//! (see [`find`]). A text with escape sequences, which textwrap measures without them, is
//! left to textwrap.
//!
//! The tests compare [`fill`] with `textwrap::fill` on random texts and indents, and
//! [`find_words`] with textwrap's Unicode word finder.

use textwrap::WordSeparator::UnicodeBreakProperties as Unicode;
use textwrap::core::display_width;

/// A word of a line: `start..end` is the word, `end..next` the spaces after it (textwrap's
/// `Word`, by its place in the line).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Word {
    start: usize,
    end: usize,
    next: usize,
    width: usize,
}

/// `text` wrapped to `width` columns, its first line after `initial`, the others after
/// `subsequent`, as `textwrap::fill` wraps it with [`options`].
#[cfg(test)]
pub fn fill(text: &str, width: usize, initial: &str, subsequent: &str) -> String {
    let mut out = String::new();
    fill_into(text, width, (initial, subsequent), &mut out);
    out
}

/// [`fill`], added to `out`.
pub fn fill_into(text: &str, width: usize, (initial, subsequent): (&str, &str), out: &mut String) {
    if text.contains('\x1b') || initial.contains('\n') || subsequent.contains('\n') {
        out.push_str(&textwrap::fill(text, options(width, initial, subsequent)));
        return;
    }
    // textwrap's shortcuts, taken as it takes them.
    if text.len() < width && !text.contains('\n') && initial.is_empty() {
        out.push_str(text.trim_end_matches(' '));
        return;
    }
    let widths = [
        width.saturating_sub(display_width(initial)),
        width.saturating_sub(display_width(subsequent)),
    ];
    let key_of = |line: &str, key: &mut Vec<u8>| {
        shape(line, key);
        for width in widths {
            key.extend_from_slice(&width.to_le_bytes());
        }
        key.push(u8::from(initial.is_empty()));
    };
    LAYOUT.with_borrow_mut(|scratch| {
        let Scratch {
            found,
            words,
            key,
            layouts,
        } = scratch;
        let mut lines = 0;
        for line in text.split('\n') {
            let indent = if lines == 0 { initial } else { subsequent };
            if line.len() < width && indent.is_empty() {
                push_line(out, &mut lines, "", line.trim_end_matches(' '));
                continue;
            }
            key_of(line, key);
            if let Some(layout) = layouts.get(key.as_slice()) {
                layout.push(line, (initial, subsequent), &mut lines, out);
                continue;
            }
            found.clear();
            find(line, found);
            words.clear();
            if !initial.is_empty() {
                // textwrap's empty first word, which lets the first word go to the second
                // line.
                words.push(Word {
                    start: 0,
                    end: 0,
                    next: 0,
                    width: 0,
                });
            }
            for word in found.iter() {
                split_after_hyphens(line, *word, widths[1], words);
            }
            // First fit: a word goes to the next line when it does not fit on this one.
            let mut laid_out = Vec::new();
            let mut first = 0;
            let mut taken = 0;
            for (i, word) in words.iter().enumerate() {
                let room = widths[usize::from(!laid_out.is_empty())];
                if taken + word.width > room && i > first {
                    laid_out.push(laid(&words[first..i]));
                    first = i;
                    taken = 0;
                }
                taken += word.width + (word.next - word.end);
            }
            laid_out.push(laid(&words[first..]));
            let layout = Layout {
                lines: laid_out.into(),
                bare: words.is_empty(),
            };
            layout.push(line, (initial, subsequent), &mut lines, out);
            if layouts.len() >= LAYOUTS_KEPT {
                layouts.clear();
            }
            layouts.insert(key.as_slice().into(), layout);
        }
    });
}

thread_local! {
    /// Buffers kept by thread, and the lines laid out.
    static LAYOUT: std::cell::RefCell<Scratch> = Default::default();
}

/// What [`fill_into`] works with: the words found, the words laid out (split after
/// hyphens, broken), the key of the line at hand; and the lines laid out, by their key.
#[derive(Default)]
struct Scratch {
    found: Vec<Word>,
    words: Vec<Word>,
    key: Vec<u8>,
    layouts: foldhash::HashMap<Box<[u8]>, Layout>,
}

/// How a line is laid out: where each of its lines starts and ends (without the spaces
/// after the last word), and whether the only one is left bare (a line without words,
/// possible only with no first indent). The words of a line, and so its layout, depend
/// only on its [`shape`], and on the widths and whether there is a first indent: lines
/// are laid out once for every line of their shape, the key the shape followed by those.
struct Layout {
    lines: Box<[(u32, u32)]>,
    bare: bool,
}

/// Most layouts kept, by thread (a few MB at most).
const LAYOUTS_KEPT: usize = 4 * 1024;

impl Layout {
    /// The lines of `line` laid out, added to `out` after the `lines` already there, each
    /// after its indent.
    fn push(
        &self,
        line: &str,
        (initial, subsequent): (&str, &str),
        lines: &mut usize,
        out: &mut String,
    ) {
        for &(start, end) in self.lines.iter() {
            let indent = match (self.bare, *lines) {
                (true, _) => "",
                (false, 0) => initial,
                (false, _) => subsequent,
            };
            push_line(out, lines, indent, &line[start as usize..end as usize]);
        }
    }
}

/// The options [`fill`] stands for: textwrap's defaults, as miette sets them.
pub fn options<'a>(width: usize, initial: &'a str, subsequent: &'a str) -> textwrap::Options<'a> {
    textwrap::Options::new(width)
        .initial_indent(initial)
        .subsequent_indent(subsequent)
        .break_words(true)
        .word_separator(Unicode)
}

/// Where the words of one line are in its text, without the spaces after the last.
fn laid(words: &[Word]) -> (u32, u32) {
    match (words.first(), words.last()) {
        (Some(first), Some(last)) => (first.start as u32, last.end as u32),
        _ => (0, 0),
    }
}

fn push_line(out: &mut String, lines: &mut usize, indent: &str, text: &str) {
    if *lines > 0 {
        out.push('\n');
    }
    out.push_str(indent);
    out.push_str(text);
    *lines += 1;
}

/// `word` split after each hyphen between two letters or digits (textwrap's
/// `HyphenSplitter`), each part broken into pieces of at most `room` columns when it is
/// wider, added to `words`.
fn split_after_hyphens(line: &str, word: Word, room: usize, words: &mut Vec<Word>) {
    let text = &line[word.start..word.end];
    let mut from = 0;
    if text.as_bytes().contains(&b'-') {
        for (at, _) in text.match_indices('-') {
            let before = text[..at].chars().next_back();
            let after = text[at + 1..].chars().next();
            if before.is_some_and(char::is_alphanumeric) && after.is_some_and(char::is_alphanumeric)
            {
                let part = &text[from..at + 1];
                let end = word.start + at + 1;
                let part = Word {
                    start: word.start + from,
                    end,
                    next: end,
                    width: width(part),
                };
                broken(line, part, room, words);
                from = at + 1;
            }
        }
    }
    if from < text.len() || from == 0 {
        let last = Word {
            start: word.start + from,
            width: if from == 0 {
                word.width
            } else {
                width(&text[from..])
            },
            ..word
        };
        broken(line, last, room, words);
    }
}

/// `word`, or when it is wider than `room`, its pieces of at most `room` columns (at least
/// a character each; the spaces go with the last), added to `words`.
fn broken(line: &str, word: Word, room: usize, words: &mut Vec<Word>) {
    if word.width <= room {
        words.push(word);
        return;
    }
    let mut start = word.start;
    let mut taken = 0;
    let mut buffer = [0; 4];
    for (at, c) in line[word.start..word.end].char_indices() {
        let c_width = display_width(c.encode_utf8(&mut buffer));
        let at = word.start + at;
        if taken > 0 && taken + c_width > room {
            words.push(Word {
                start,
                end: at,
                next: at,
                width: taken,
            });
            start = at;
            taken = 0;
        }
        taken += c_width;
    }
    if start < word.end {
        words.push(Word {
            start,
            width: taken,
            ..word
        });
    }
}

/// The columns `text` takes (no escape sequences in it): an ASCII text of printable
/// characters, one a byte.
fn width(text: &str) -> usize {
    if text.bytes().all(|b| (b' '..=b'~').contains(&b)) {
        text.len()
    } else {
        display_width(text)
    }
}

/// textwrap's `Word` for a word of `line`.
fn word_of(line: &str, word: Word) -> textwrap::core::Word<'_> {
    textwrap::core::Word::from(&line[word.start..word.next])
}

/// The words textwrap's `UnicodeBreakProperties` finds in `line`, found faster (see
/// [`find`]): miette's word separator, for what it still wraps itself.
pub fn find_words(line: &str) -> Box<dyn Iterator<Item = textwrap::core::Word<'_>> + '_> {
    if line.contains('\x1b') {
        return Unicode.find_words(line);
    }
    let mut words = Vec::new();
    find(line, &mut words);
    Box::new(words.into_iter().map(move |w| word_of(line, w)))
}

/// Adds the words textwrap's `UnicodeBreakProperties` finds in `line` (which has no escape
/// sequence) to `words`.
///
/// The words of a text depend only on the line-breaking classes and the widths of its
/// characters, so they are remembered, by thread, by the text's [`shape`]: a line is found
/// once for all the lines of its shape (the message of one rule about another device or
/// person). A line of a new shape is cut where it certainly may break — after the spaces
/// between two ASCII letters or digits (UAX #14: LB18, no earlier rule applies) — and each
/// piece is a word alone when it is ASCII letters and digits then spaces (no break inside:
/// LB7, LB23, LB25, LB28), or else has its words found by the Unicode properties (a piece
/// starts as after a space and ends in spaces, which no rule looks through), remembered by
/// its shape too.
fn find(line: &str, words: &mut Vec<Word>) {
    thread_local! {
        static FOUND: std::cell::RefCell<Found> = Default::default();
    }
    FOUND.with_borrow_mut(|found| {
        let Found {
            lines,
            pieces,
            shape: key,
        } = found;
        shape(line, key);
        let first = words.len();
        if let Some(lengths) = lines.get(key.as_slice()) {
            push_lengths(lengths, 0, words);
            return;
        }
        if line.ends_with(['-', '\u{ad}']) {
            // textwrap's finder then drops the break before the last one it finds: the
            // line is left to it whole.
            push_lengths(&lengths_of(line), 0, words);
        } else {
            let bytes = line.as_bytes();
            let mut start = 0;
            // Whether the last byte other than a space was an ASCII letter or digit.
            let mut after_alphanumeric = false;
            for (i, &b) in bytes.iter().enumerate() {
                if b == b' ' {
                    continue;
                }
                let alphanumeric = b.is_ascii_alphanumeric();
                if alphanumeric && after_alphanumeric && i > start && bytes[i - 1] == b' ' {
                    piece(line, start..i, (pieces, key), words);
                    start = i;
                }
                after_alphanumeric = alphanumeric;
            }
            if start < line.len() {
                piece(line, start..line.len(), (pieces, key), words);
            }
        }
        if lines.len() >= LINES_KEPT {
            lines.clear();
        }
        let lengths = words[first..]
            .iter()
            .map(|w| {
                let at = w.start as u32;
                (w.end as u32 - at, w.next as u32 - at, w.width as u32)
            })
            .collect();
        lines.insert(key.as_slice().into(), lengths);
    });
}

/// The words of texts, by their shape: of lines, and of pieces of lines; and the shape of
/// the line at hand.
#[derive(Default)]
struct Found {
    lines: foldhash::HashMap<Box<[u8]>, Lengths>,
    pieces: foldhash::HashMap<Box<[u8]>, Lengths>,
    shape: Vec<u8>,
}

/// What a text's words are: their lengths, without and with their spaces, and widths.
type Lengths = Box<[(u32, u32, u32)]>;

/// Most lines, and most pieces of lines, whose words are kept, by thread: a few MB at most
/// (a line of a message or fix is some hundred bytes, a piece a few words); a report has
/// far fewer shapes of either.
const LINES_KEPT: usize = 4 * 1024;
const PIECES_KEPT: usize = 16 * 1024;

/// The shape of `text`, made in `key`: the text where every ASCII letter is an `a`, every
/// digit a `0` and every common ideograph (U+4E00 to U+9FFF) a `一` — characters alike in
/// line-breaking class and width, and of one length in UTF-8 — so that "PC-0012" and
/// "PC-0345", or "山下 美穂 (a2)" and "谷口 由衣 (a7)", have one shape, as long as the
/// text.
fn shape(text: &str, key: &mut Vec<u8>) {
    key.clear();
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        match b {
            b'a'..=b'z' | b'A'..=b'Z' => key.push(b'a'),
            b'0'..=b'9' => key.push(b'0'),
            // The first byte of U+4000 to U+9FFF.
            0xe4..=0xe9 => {
                let c = (u32::from(b & 0x0f) << 12)
                    | (u32::from(bytes[i + 1] & 0x3f) << 6)
                    | u32::from(bytes[i + 2] & 0x3f);
                if c >= 0x4e00 {
                    key.extend_from_slice("一".as_bytes());
                } else {
                    key.extend_from_slice(&bytes[i..i + 3]);
                }
                i += 3;
                continue;
            }
            // ASCII, or a byte of another character, as it is.
            b => key.push(b),
        }
        i += 1;
    }
}

/// The words of `text` by textwrap's Unicode finder, as lengths.
fn lengths_of(text: &str) -> Lengths {
    Unicode
        .find_words(text)
        .map(|w| {
            let word = w.word.len() as u32;
            (word, word + w.whitespace.len() as u32, w.width as u32)
        })
        .collect()
}

/// Adds the words of `lengths`, from `start` on, to `words`.
fn push_lengths(lengths: &[(u32, u32, u32)], start: usize, words: &mut Vec<Word>) {
    let mut at = start;
    for &(word, whole, width) in lengths {
        words.push(Word {
            start: at,
            end: at + word as usize,
            next: at + whole as usize,
            width: width as usize,
        });
        at += whole as usize;
    }
}

/// Adds the words of the piece `range` of `line` to `words`, remembered in `pieces` by
/// their shape (`line_shape`'s part).
fn piece(
    line: &str,
    range: std::ops::Range<usize>,
    (pieces, line_shape): (&mut foldhash::HashMap<Box<[u8]>, Lengths>, &[u8]),
    words: &mut Vec<Word>,
) {
    let start = range.start;
    let key = &line_shape[range.clone()];
    let text = &line[range];
    let trimmed = text.trim_end_matches(' ');
    if !trimmed.is_empty() && trimmed.bytes().all(|b| b.is_ascii_alphanumeric()) {
        words.push(Word {
            start,
            end: start + trimmed.len(),
            next: start + text.len(),
            width: trimmed.len(),
        });
        return;
    }
    if let Some(lengths) = pieces.get(key) {
        return push_lengths(lengths, start, words);
    }
    let lengths = lengths_of(text);
    push_lengths(&lengths, start, words);
    if pieces.len() >= PIECES_KEPT {
        pieces.clear();
    }
    pieces.insert(key.into(), lengths);
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The words [`find_words`] finds are textwrap's Unicode finder's, found anew and then
    /// from what it remembers.
    pub(crate) fn same_words(line: &str) {
        let expected: Vec<_> = Unicode.find_words(line).collect();
        assert_eq!(find_words(line).collect::<Vec<_>>(), expected, "{line:?}");
        assert_eq!(find_words(line).collect::<Vec<_>>(), expected, "{line:?}");
    }

    /// [`fill`] gives what textwrap gives, found anew and then from what it remembers.
    pub(crate) fn same_fill(text: &str, width: usize, initial: &str, subsequent: &str) {
        let expected = textwrap::fill(text, options(width, initial, subsequent));
        for _ in 0..2 {
            assert_eq!(
                fill(text, width, initial, subsequent),
                expected,
                "{text:?} at {width} after {initial:?}, {subsequent:?}"
            );
        }
    }

    /// The characters whose line breaking depends on their neighbours: spaces of every
    /// kind, hyphens, punctuation, quotes, brackets, combining marks, Japanese, Korean,
    /// emoji, flags, control characters; and plain letters, more often.
    const ALPHABET: &str = "aZ9 0b  x-.,:;()[]{}\"'/!?%$#@+_=<>&*~|\t\r\u{a0}\u{ad}\u{200b}\u{2060}\u{301}\u{3000}«»“”‘’—–…、。「」（）谷口ア一ー한🙂🇯🇵٣\u{7}";

    fn texts(most: usize, with_lines: bool) -> impl Strategy<Value = String> {
        let alphabet: Vec<char> = ALPHABET.chars().collect();
        let plain = alphabet[..4].to_vec();
        let character = prop_oneof![
            prop::sample::select(alphabet),
            Just(' '),
            prop::sample::select(plain),
            Just(if with_lines { '\n' } else { ' ' }),
        ];
        prop::collection::vec(character, 0..most).prop_map(|chars| chars.into_iter().collect())
    }

    fn indents() -> impl Strategy<Value = String> {
        prop::sample::select(vec![
            "",
            "  × ",
            "  │ ",
            "  help: ",
            "        ",
            "谷口 ",
            "-",
            " ",
            "\x1b[31m×\x1b[0m ",
        ])
        .prop_map(str::to_owned)
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(20_000))]
        #[test]
        fn random_lines_have_the_unicode_words(line in texts(40, false)) {
            same_words(&line);
        }

        #[test]
        fn random_texts_are_filled_as_by_textwrap(
            text in texts(120, true),
            width in 0usize..60,
            initial in indents(),
            subsequent in indents(),
        ) {
            same_fill(&text, width, &initial, &subsequent);
        }
    }

    /// The characters a shape puts alike break and measure alike: each, in every context
    /// of a line, leaves the words where the character standing for it leaves them.
    #[test]
    fn shapes_are_alike_in_breaking_and_width() {
        let lengths = |line: &str| -> Vec<(usize, usize, usize)> {
            Unicode
                .find_words(line)
                .map(|w| (w.word.len(), w.whitespace.len(), w.width))
                .collect()
        };
        let contexts = "a{}一{}、{}」（{}0{} {}-{}ー{}%{}${}\u{301}{}「{}.{}🙂";
        let groups = [
            ('a', ('a'..='z').chain('A'..='Z').collect::<Vec<_>>()),
            ('0', ('0'..='9').collect()),
            ('一', ('\u{4e00}'..='\u{9fff}').collect()),
        ];
        let shaped = |line: &str| {
            let mut key = Vec::new();
            shape(line, &mut key);
            key
        };
        for (alike, members) in groups {
            let like = contexts.replace("{}", &alike.to_string());
            for c in members {
                let line = contexts.replace("{}", &c.to_string());
                assert_eq!(lengths(&line), lengths(&like), "{c:?}");
                assert_eq!(shaped(&line), like.as_bytes(), "{c:?}");
            }
        }
        // Other characters keep their shape.
        let others = "-_ .,()（）「」、。ー々〆ア한🙂\u{301}\u{3fff}\u{4dff}\u{a000}";
        assert_eq!(shaped(others), others.as_bytes());
    }

    #[test]
    fn texts_are_filled_as_by_textwrap() {
        let texts = [
            "",
            "\n",
            "a\n\nb\n",
            "device PC-01 has no antivirus software installed (antivirus.installed is not true)",
            "fix: In the settings of device PC-01, make the screen lock itself after at most 5 minutes of inactivity, and record that number in screen_lock.auto_lock_minutes",
            "直し方: 谷口 由衣 さんに別紙1「るるめネットにおける情報管理誓約書」に署名してもらい、原本を東久留米市医師会事務局に提出し（コピーは事業所で保管）、署名日を pledges.management に記録してください。",
            "a-very-long-hyphenated-identifier-that-needs-breaking-somewhere-in-the-middle x",
            "supercalifragilisticexpialidocious-supercalifragilisticexpialidocious",
            "trailing-",
            "   leading and trailing spaces   ",
            "\x1b[31mred\x1b[0m text that is long enough to wrap around",
        ];
        for text in texts {
            for width in [0, 1, 2, 5, 10, 20, 38, 58, 98, 200] {
                for (initial, subsequent) in [("", ""), ("  × ", "  │ "), ("  help: ", "        ")]
                {
                    same_fill(text, width, initial, subsequent);
                }
            }
        }
    }
}
