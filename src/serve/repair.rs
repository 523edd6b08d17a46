//! A file that is not JSON, explained to the person who typed it: the slips people make
//! by hand — punctuation typed with a Japanese IME (`：` `，` `”`), a comma left before a
//! closing bracket or typed twice, a comma or a quote missing — each found with its line
//! and column, said in plain words, and repaired where the repair is unambiguous (the
//! repaired text must parse, or no repair is offered).
//!
//! Only punctuation outside strings is ever changed: what is inside quotes is the user's
//! text. The excerpts shown are masked like every other output (a password typed in the
//! file is never echoed), see [`excerpt`].

use serde::Serialize;

use crate::engine::secrets;
use crate::inventory::slips::meant;
pub use crate::inventory::slips::{Slip, SlipKind, find};
use crate::lang::Lang;
use crate::output::masked::MaskedSource;
use crate::rules::RuleSet;

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
