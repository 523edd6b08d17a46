//! A file that is not JSON, explained to the person who typed it: the slips people make
//! by hand — punctuation typed with a Japanese IME (`：` `，` `”`), a comma left before a
//! closing bracket or typed twice, a comma or a quote missing — each found with its line
//! and column, said in plain words, and repaired where the repair is unambiguous (the
//! repaired text must parse, or no repair is offered).
//!
//! Only punctuation outside strings is ever changed: what is inside quotes is the user's
//! text. The excerpts shown are masked like every other output (a password typed in the
//! file is never echoed), see [`excerpt`].

use std::ops::Range;

use serde::Serialize;

use crate::engine::secrets;
use crate::lang::{Lang, Text};
use crate::output::human::MaskedSource;
use crate::rules::RuleSet;

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
fn meant(c: char) -> Option<char> {
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

/// The text with every repairable slip repaired, when there is no other (a missing quote
/// needs a person) and the result parses as JSON.
pub fn repair(text: &str, slips: &[Slip]) -> Option<String> {
    if slips.is_empty() || slips.iter().any(|s| !s.kind.repairable()) {
        return None;
    }
    let mut out = String::with_capacity(text.len());
    let mut last = 0;
    for s in slips {
        if s.at.start < last {
            continue;
        }
        out.push_str(&text[last..s.at.start]);
        match s.kind {
            SlipKind::FullWidth { meant, .. } => out.push(meant),
            SlipKind::TrailingComma | SlipKind::DoubledComma => {}
            SlipKind::MissingComma => out.push(','),
            SlipKind::MissingQuote => return None,
        }
        last = s.at.end;
    }
    out.push_str(&text[last..]);
    serde_json::from_str::<serde_json::Value>(out.trim_start_matches('\u{feff}'))
        .ok()
        .map(|_| out)
}

/// The line holding `offset`, masked as every output masks a file that does not parse
/// (values under keys that name a password), cut to a window around the offset; and the
/// column of the offset in it, in characters.
pub fn excerpt(text: &str, offset: usize, rules: &RuleSet) -> (usize, String, usize) {
    // Find secrets as if the slips were repaired: a `"password"：` with a full-width colon
    // still names a password. Each full-width character becomes its ASCII character and
    // spaces of the same length, so offsets stay those of the text.
    let normalized: String = text
        .chars()
        .map(|c| match meant(c) {
            Some(m) => format!("{m}{}", " ".repeat(c.len_utf8() - 1)),
            None => c.to_string(),
        })
        .collect();
    let spans = secrets::lexical_spans(&normalized, &secrets::key_patterns(rules));
    let masked = MaskedSource::new(text, &spans);
    let offset = offset.min(text.len());
    let at = masked.map(offset..offset).offset();
    let shown = masked.text();
    let line_start = shown[..at].rfind('\n').map_or(0, |i| i + 1);
    let line_end = shown[at..].find('\n').map_or(shown.len(), |i| at + i);
    let line_no = shown[..line_start].matches('\n').count() + 1;
    let line = shown[line_start..line_end].trim_end_matches('\r');
    let column = shown[line_start..at.min(line_start + line.len())]
        .chars()
        .count();
    // A long line (a file on one line) is shown as 40 characters either side.
    let chars: Vec<char> = line.chars().collect();
    let from = column.saturating_sub(40);
    let to = (column + 40).min(chars.len());
    let mut window: String = chars[from..to].iter().collect();
    if from > 0 {
        window.insert(0, '…');
    }
    if to < chars.len() {
        window.push('…');
    }
    (line_no, window, column - from + usize::from(from > 0))
}

/// What `/api/repair` answers: each slip with its place and words, and the repaired text.
#[derive(Debug, Serialize)]
pub struct Diagnosis {
    pub slips: Vec<SlipView>,
    /// The text with the slips repaired, when that is unambiguous.
    pub repaired: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct SlipView {
    pub line: usize,
    /// 1-based, in characters of the excerpt.
    pub column: usize,
    pub excerpt: String,
    pub explanation: String,
    pub repairable: bool,
}

/// The slips of a file's bytes (at most `limit` of them), in `lang`.
pub fn diagnose(bytes: &[u8], rules: &RuleSet, lang: Lang, limit: usize) -> Diagnosis {
    let Ok(text) = std::str::from_utf8(bytes) else {
        return Diagnosis {
            slips: Vec::new(),
            repaired: None,
        };
    };
    let slips = find(text);
    let repaired = repair(text, &slips);
    let views = slips
        .iter()
        .take(limit)
        .map(|s| {
            let (line, excerpt, column) = excerpt(text, s.at.start, rules);
            SlipView {
                line,
                column: column + 1,
                excerpt,
                explanation: s.kind.explain().get(lang).to_owned(),
                repairable: s.kind.repairable(),
            }
        })
        .collect();
    Diagnosis {
        slips: views,
        repaired,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(text: &str) -> Vec<SlipKind> {
        find(text).into_iter().map(|s| s.kind).collect()
    }

    fn repaired(text: &str) -> Option<String> {
        repair(text, &find(text))
    }

    #[test]
    fn ime_punctuation_outside_strings_is_found_and_repaired() {
        let text =
            "{\"facility\"： {\"id\"： \"F0001\"， \"name\": \"みどり：訪問看護，ステーション\"}}";
        assert_eq!(
            kinds(text),
            vec![
                SlipKind::FullWidth {
                    typed: '：',
                    meant: ':'
                },
                SlipKind::FullWidth {
                    typed: '：',
                    meant: ':'
                },
                SlipKind::FullWidth {
                    typed: '，',
                    meant: ','
                },
            ]
        );
        // The text inside quotes is the user's: its full-width punctuation stays.
        assert_eq!(
            repaired(text).unwrap(),
            "{\"facility\": {\"id\": \"F0001\", \"name\": \"みどり：訪問看護，ステーション\"}}"
        );
    }

    #[test]
    fn full_width_quotes_open_and_close_strings() {
        let text = "{\"name\": ”山田 花子”, \"id\": “a1”}";
        let r = repaired(text).unwrap();
        assert_eq!(r, "{\"name\": \"山田 花子\", \"id\": \"a1\"}");
        // Inside an ASCII string a full-width quote is text.
        assert!(find("{\"note\": \"「”」の字\"}").is_empty());
    }

    #[test]
    fn commas_left_doubled_or_missing() {
        assert_eq!(kinds("[1, 2,]"), vec![SlipKind::TrailingComma]);
        assert_eq!(
            repaired("{\"a\": [1, 2,\n],\n}").unwrap(),
            "{\"a\": [1, 2\n]\n}"
        );
        assert_eq!(kinds("[1,, 2]"), vec![SlipKind::DoubledComma]);
        assert_eq!(repaired("[1,, 2]").unwrap(), "[1, 2]");
        assert_eq!(kinds("{\"a\": 1\n \"b\": 2}"), vec![SlipKind::MissingComma]);
        assert_eq!(
            repaired("{\"a\": 1\n \"b\": 2}").unwrap(),
            "{\"a\": 1,\n \"b\": 2}"
        );
        assert_eq!(
            repaired("{\"a\": {}\n \"b\": \"x\"}").unwrap(),
            "{\"a\": {},\n \"b\": \"x\"}"
        );
    }

    #[test]
    fn missing_quotes_are_explained_not_repaired() {
        assert_eq!(kinds("{\"name\": 山田}"), vec![SlipKind::MissingQuote]);
        assert_eq!(
            kinds("{\"date\": 2026-11-01}"),
            vec![SlipKind::MissingQuote]
        );
        assert_eq!(kinds("{\"name\": \"山田}\n"), vec![SlipKind::MissingQuote]);
        assert_eq!(repaired("{\"name\": 山田, \"id\"： \"a\"}"), None);
        // Literals are values.
        assert!(find("{\"a\": true, \"b\": null, \"c\": -1.5e3}").is_empty());
    }

    #[test]
    fn valid_json_has_no_slips_and_a_repair_must_parse() {
        let sample = std::fs::read_to_string("samples/F0002-higashi-clinic.json").unwrap();
        assert!(find(&sample).is_empty());
        assert_eq!(repair("{\"a\" 1}", &find("{\"a\" 1}")), None);
    }

    #[test]
    fn excerpts_mask_passwords_even_behind_a_full_width_colon() {
        let rules = RuleSet::builtin().unwrap();
        let text = "{\n  \"accounts\": [{\"password\"： \"Himitsu-99\"，\"id\": \"a1\"}]\n}";
        let at = text.find('，').unwrap();
        let (line, shown, column) = excerpt(text, at, &rules);
        assert_eq!(line, 2);
        assert!(!shown.contains("Himitsu"), "{shown}");
        assert!(shown.contains("********"), "{shown}");
        assert_eq!(shown.chars().nth(column), Some('，'), "{shown} {column}");
        let d = diagnose(text.as_bytes(), &rules, Lang::Ja, 10);
        assert!(d.slips.iter().all(|s| !s.excerpt.contains("Himitsu")));
        assert!(d.repaired.is_some());
    }
}
