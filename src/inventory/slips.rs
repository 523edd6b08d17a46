//! The slips people make typing JSON by hand — punctuation typed with a Japanese IME
//! (`：` `，` `”`), a comma left before a closing bracket or typed twice, a comma or a
//! quote missing — found with their place in the text. The self-check page explains and
//! repairs them (`serve::repair`); a file that does not parse names the slip where parsing
//! stopped in its `inventory-syntax` finding ([`advice_at`]), in every output.
//!
//! Only punctuation outside strings is ever looked at: what is inside quotes is the user's
//! text, and no advice quotes it.

use std::ops::Range;

use crate::lang::Text;

/// One slip: where it is, what it is, and what the repair does about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Slip {
    /// Byte range in the text.
    pub at: Range<usize>,
    pub kind: SlipKind,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SlipKind {
    /// A full-width character where JSON wants ASCII punctuation (`：` for `:`).
    FullWidth { typed: char, meant: char },
    /// `,` right before `}` or `]`.
    TrailingComma,
    /// `,,`.
    DoubledComma,
    /// Two values with nothing between them (a line end where a comma belongs).
    MissingComma,
    /// A word where a quoted string belongs (`"name": 山田`), or a string that never ends.
    MissingQuote,
}

impl SlipKind {
    /// The slip in plain words.
    pub fn explain(self) -> Text {
        match self {
            SlipKind::FullWidth { typed: '　', .. } => Text::new(
                "全角のスペース「　」が、記号の間に入っています。半角のスペースにします",
                "A full-width space (typed with the Japanese input) is between the punctuation; it becomes an ordinary space",
            ),
            SlipKind::FullWidth { typed, meant } => Text::new(
                format!(
                    "全角の「{typed}」が使われています。JSON の記号は半角で書くので、半角の「{meant}」にします（日本語入力のまま記号を打つと全角になります）"
                ),
                format!(
                    "A full-width “{typed}” is used; JSON punctuation is ASCII, so it becomes “{meant}” (typed with the Japanese input on, punctuation comes out full-width)"
                ),
            ),
            SlipKind::TrailingComma => Text::new(
                "閉じかっこ（} か ]）の直前にカンマ「,」があります。最後の項目の後ろにはカンマを付けないので、このカンマを消します",
                "There is a comma right before a closing bracket (} or ]); the last item takes no comma, so it is removed",
            ),
            SlipKind::DoubledComma => Text::new(
                "カンマ「,」が2つ続いています。1つにします",
                "Two commas in a row; one is removed",
            ),
            SlipKind::MissingComma => Text::new(
                "項目と項目の間にカンマ「,」がありません。前の項目の後ろにカンマを足します",
                "A comma is missing between two items; one is added after the first",
            ),
            SlipKind::MissingQuote => Text::new(
                "引用符「\"」が足りないようです。文字や日付は \"…\" のように半角の引用符で囲みます（自動では直せないので、この行を確かめてください）",
                "A quote (\") seems to be missing: text and dates are written between ASCII quotes, \"…\" (this cannot be repaired automatically: check this line)",
            ),
        }
    }

    pub fn repairable(self) -> bool {
        !matches!(self, SlipKind::MissingQuote)
    }
}

/// The ASCII punctuation a full-width character typed outside a string stands for.
pub(crate) fn meant(c: char) -> Option<char> {
    Some(match c {
        '：' => ':',
        '，' => ',',
        '｛' => '{',
        '｝' => '}',
        '［' => '[',
        '］' => ']',
        '”' | '“' | '＂' | '″' => '"',
        '　' => ' ',
        _ => return None,
    })
}

/// Every slip of the text, in order. A full-width quote outside a string opens a string
/// that a quote of either kind closes; inside an ASCII string every character is text.
pub fn find(text: &str) -> Vec<Slip> {
    let mut slips = Vec::new();
    let mut chars = text.char_indices().peekable();
    // The end of the last value or `,` seen outside strings, and what it was.
    let mut last: Option<(usize, char)> = None;
    while let Some((i, c)) = chars.next() {
        if i == 0 && c == '\u{feff}' {
            continue;
        }
        let fancy_quote = matches!(meant(c), Some('"'));
        if c == '"' || fancy_quote {
            if fancy_quote {
                slips.push(full_width(i, c));
            }
            if let Some((end, prev)) = last
                && value_end(prev)
            {
                slips.push(Slip {
                    at: end..end,
                    kind: SlipKind::MissingComma,
                });
            }
            // The string: up to an unescaped quote (either kind after a fancy opening).
            let mut closed = false;
            while let Some((j, d)) = chars.next() {
                match d {
                    '\\' => {
                        chars.next();
                    }
                    '\n' => break,
                    '"' => closed = true,
                    d if fancy_quote && matches!(meant(d), Some('"')) => {
                        slips.push(full_width(j, d));
                        closed = true;
                    }
                    _ => {}
                }
                if closed {
                    last = Some((j + d.len_utf8(), '"'));
                    break;
                }
            }
            if !closed {
                slips.push(Slip {
                    at: i..i + c.len_utf8(),
                    kind: SlipKind::MissingQuote,
                });
                last = None;
            }
            continue;
        }
        let c_meant = meant(c);
        if let Some(m) = c_meant {
            slips.push(full_width(i, c));
            if m == ' ' {
                continue;
            }
        }
        let p = c_meant.unwrap_or(c);
        match p {
            ',' => {
                if let Some((_, ',')) = last {
                    slips.push(Slip {
                        at: i..i + c.len_utf8(),
                        kind: SlipKind::DoubledComma,
                    });
                }
                last = Some((i + c.len_utf8(), ','));
            }
            '}' | ']' => {
                if let Some((end, ',')) = last {
                    // The comma itself: the slip is there.
                    let comma = text[..end].char_indices().next_back().map_or(0, |(k, _)| k);
                    if !slips
                        .iter()
                        .any(|s| s.kind == SlipKind::DoubledComma && s.at.start == comma)
                    {
                        slips.push(Slip {
                            at: comma..end,
                            kind: SlipKind::TrailingComma,
                        });
                    }
                }
                last = Some((i + c.len_utf8(), '}'));
            }
            '{' | '[' | ':' => last = Some((i + c.len_utf8(), p)),
            c if c.is_whitespace() => {}
            c if c.is_ascii_alphanumeric() || c == '-' || c == '+' || c == '.' => {
                // A bare word: a number or true/false/null, else a string without quotes.
                let start = i;
                let mut end = i + c.len_utf8();
                while let Some(&(j, d)) = chars.peek() {
                    if d.is_ascii_alphanumeric() || matches!(d, '-' | '+' | '.' | '_') {
                        end = j + d.len_utf8();
                        chars.next();
                    } else {
                        break;
                    }
                }
                let word = &text[start..end];
                if let Some((e, prev)) = last
                    && value_end(prev)
                {
                    slips.push(Slip {
                        at: e..e,
                        kind: SlipKind::MissingComma,
                    });
                }
                let literal = matches!(word, "true" | "false" | "null")
                    || serde_json::from_str::<serde_json::Number>(word).is_ok();
                if !literal {
                    slips.push(Slip {
                        at: start..end,
                        kind: SlipKind::MissingQuote,
                    });
                }
                last = Some((end, 'v'));
            }
            _ => {
                // Any other character outside a string (kana typed without quotes…).
                if !c.is_ascii() && c_meant.is_none() {
                    slips.push(Slip {
                        at: i..i + c.len_utf8(),
                        kind: SlipKind::MissingQuote,
                    });
                    // The rest of the word belongs to the same slip.
                    while let Some(&(_, d)) = chars.peek() {
                        if d.is_whitespace() || "{}[],:\"".contains(d) || meant(d).is_some() {
                            break;
                        }
                        chars.next();
                    }
                    last = Some((i, 'v'));
                } else {
                    last = None;
                }
            }
        }
    }
    // One missing quote per line is enough to say.
    slips.dedup_by(|b, a| {
        a.kind == SlipKind::MissingQuote
            && b.kind == SlipKind::MissingQuote
            && !text[a.at.start..b.at.start].contains('\n')
    });
    slips
}

/// After a value (`"…"`, `}`, a number or word) a `"` or a word needs a comma first.
fn value_end(prev: char) -> bool {
    matches!(prev, '"' | '}' | 'v')
}

fn full_width(i: usize, c: char) -> Slip {
    Slip {
        at: i..i + c.len_utf8(),
        kind: SlipKind::FullWidth {
            typed: c,
            meant: meant(c).unwrap_or(c),
        },
    }
}

impl SlipKind {
    /// What to do about the slip, said to someone editing the file (the page's
    /// [`SlipKind::explain`] says what its automatic repair does instead).
    pub fn advise(self) -> Text {
        match self {
            SlipKind::FullWidth { typed: '　', .. } => Text::new(
                "全角のスペース「　」が記号の間に入っています。半角のスペースにしてください",
                "a full-width space (typed with the Japanese input) is between the punctuation: make it an ordinary space",
            ),
            SlipKind::FullWidth { typed, meant } => Text::new(
                format!(
                    "全角の「{typed}」が使われています。半角の「{meant}」にしてください（日本語入力のまま記号を打つと全角になります）"
                ),
                format!(
                    "a full-width “{typed}” is used: type the ASCII “{meant}” (punctuation typed with the Japanese input on comes out full-width)"
                ),
            ),
            SlipKind::TrailingComma => Text::new(
                "閉じかっこ（} か ]）の直前にカンマ「,」があります。最後の項目の後ろのカンマを消してください",
                "there is a comma right before a closing bracket (} or ]): remove the comma after the last item",
            ),
            SlipKind::DoubledComma => Text::new(
                "カンマ「,」が2つ続いています。1つにしてください",
                "two commas in a row: keep one",
            ),
            SlipKind::MissingComma => Text::new(
                "項目と項目の間にカンマ「,」がありません。前の項目の後ろにカンマを足してください",
                "a comma is missing between two items: add one after the first",
            ),
            SlipKind::MissingQuote => Text::new(
                "引用符「\"」が足りないようです。文字や日付は \"…\" のように半角の引用符で囲んでください",
                "a quote (\") seems to be missing: write text and dates between ASCII quotes, \"…\"",
            ),
        }
    }
}

/// What to do about the slip that stopped the parser at `offset`: the last slip that
/// starts at or before it, on its line or the line before (a missing comma is found at
/// the end of the previous value). `None` when no slip explains the error.
pub fn advice_at(text: &str, offset: usize) -> Option<Text> {
    let offset = offset.min(text.len());
    find(text)
        .into_iter()
        .take_while(|s| s.at.start <= offset)
        .last()
        .filter(|s| {
            text.get(s.at.start..offset)
                .is_some_and(|between| between.matches('\n').count() <= 1)
        })
        .map(|s| s.kind.advise())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn advice(text: &str) -> Option<Text> {
        let offset = match crate::inventory::parse::parse(std::sync::Arc::new(text.into())) {
            Ok(_) => panic!("{text} parses"),
            Err(e) => e.offset,
        };
        advice_at(text, offset)
    }

    #[test]
    fn the_slip_where_parsing_stopped_is_named_with_what_to_do() {
        let a = advice("{\"schema_version\"：1}").unwrap();
        assert!(
            a.ja.contains("全角の「：」") && a.ja.contains("半角の「:」"),
            "{a:?}"
        );
        assert!(a.en.contains("full-width “：”"), "{a:?}");
        let a = advice("{\n  \"a\": 1,\n  \"b\": 2,\n}").unwrap();
        assert!(a.ja.contains("カンマを消して"), "{a:?}");
        let a = advice("{\n  \"a\": 1\n  \"b\": 2\n}").unwrap();
        assert!(a.en.contains("comma is missing"), "{a:?}");
        let a = advice("{\"name\": 山田}").unwrap();
        assert!(a.en.contains("quote"), "{a:?}");
    }

    #[test]
    fn a_slip_far_from_the_error_or_after_it_explains_nothing() {
        // A slip three lines above the offset did not stop the parser there.
        let text = "{\"a\"：1,\n\"b\": 2,\n\"c\": 3,\n\"d\": [";
        assert!(advice_at(text, text.len()).is_none());
        assert!(advice_at(text, 4).is_some());
        // A slip after the offset explains nothing either.
        assert!(advice_at(text, 2).is_none());
        // No slip at all: a bracket never closed.
        assert!(advice("{\"a\": [1, 2").is_none());
    }

    #[test]
    fn advice_quotes_only_the_punctuation_of_its_own_table() {
        // Whatever the text, a full-width slip names a character `meant` knows, never a
        // character of the user's values.
        for text in [
            "{\"p\"：\"秘密のパス\"}",
            "{\"p\": \"abc\"，\"q\": 1}",
            "{\"p\"　: 1 x}",
        ] {
            for slip in find(text) {
                if let SlipKind::FullWidth { typed, .. } = slip.kind {
                    assert!(meant(typed).is_some(), "{text}: {typed}");
                }
            }
        }
    }
}
