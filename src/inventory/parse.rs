//! Strict JSON parsing: serde_json's parser, plus a refusal of duplicate member names and
//! of absurd sizes.
//!
//! `serde_json::Value` silently keeps the last of two equal keys, so
//! `"shared": true, "shared": false` would hide a violation. A compliance inventory is
//! better refused with the place of the second key.
//!
//! Limits keep a broken or hostile file from exhausting the machine, each refused with a
//! message that names it: nesting deeper than [`MAX_DEPTH`] (serde_json's recursion limit,
//! so no stack overflow) and an array of more than [`MAX_ARRAY_ITEMS`] items (counted while
//! it is built, so no larger array is ever built). The file size limit is checked before
//! reading (`Inventory::load`).

use std::cell::RefCell;

use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::map::Entry;
use serde_json::{Map, Value};

use super::pointer::escape_token;
use super::spans::{self, LineIndex};
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

pub fn parse(text: &str, index: &LineIndex) -> Result<Value, SyntaxError> {
    if text.trim().is_empty() {
        return Err(SyntaxError {
            offset: 0,
            message: Text::new(
                "ファイルが空です。JSON のオブジェクト（{ … }）を書いてください",
                "the file is empty; an inventory is a JSON object ({ … })",
            ),
        });
    }
    let overflow = Overflow::default();
    let mut de = serde_json::Deserializer::from_str(text);
    let parsed = Strict(&overflow)
        .deserialize(&mut de)
        .and_then(|value| de.end().map(|()| value));
    let err = match parsed {
        Ok(value) => return Ok(value),
        Err(err) => err,
    };
    // A file that ends too early stopped being readable at its very end.
    let stopped = if err.is_eof() {
        text.len()
    } else {
        index.offset_of_byte_column(text, err.line(), err.column())
    };
    if let Some(tokens) = overflow.0.into_inner() {
        let pointer: String = tokens
            .iter()
            .rev()
            .map(|t| format!("/{}", escape_token(t)))
            .collect();
        // The finding is on the array itself, not deep inside it where counting stopped.
        let offset = spans::locate(text, [pointer.as_str()])
            .get(&pointer)
            .map_or(stopped, |span| span.start);
        return Err(SyntaxError {
            offset,
            message: too_many_items(&pointer),
        });
    }
    Err(SyntaxError {
        offset: stopped,
        message: describe(&err),
    })
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

/// Where an array over [`MAX_ARRAY_ITEMS`] is: its reference tokens, innermost first,
/// added by each enclosing array and object while the error travels out. `None` for any
/// other error, which needs no path.
#[derive(Default)]
struct Overflow(RefCell<Option<Vec<String>>>);

impl Overflow {
    fn start(&self) {
        *self.0.borrow_mut() = Some(Vec::new());
    }

    fn enclosed_by(&self, token: impl FnOnce() -> String) {
        if let Some(tokens) = self.0.borrow_mut().as_mut() {
            tokens.push(token());
        }
    }
}

/// Builds a `Value` that refuses duplicate keys and arrays over [`MAX_ARRAY_ITEMS`].
#[derive(Clone, Copy)]
struct Strict<'a>(&'a Overflow);

impl<'de> DeserializeSeed<'de> for Strict<'_> {
    type Value = Value;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Strict<'_> {
    type Value = Value;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(v.into())
    }
    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(v.into())
    }
    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        Ok(serde_json::Number::from_f64(v).map_or(Value::Null, Value::Number))
    }
    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_owned()))
    }
    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }
    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::new();
        loop {
            if items.len() == MAX_ARRAY_ITEMS {
                // One item more is skipped, not built, and refuses the array.
                if seq.next_element::<IgnoredAny>()?.is_none() {
                    break;
                }
                self.0.start();
                return Err(de::Error::custom("too many array items"));
            }
            match seq.next_element_seed(self) {
                Ok(Some(item)) => items.push(item),
                Ok(None) => break,
                Err(err) => {
                    self.0.enclosed_by(|| items.len().to_string());
                    return Err(err);
                }
            }
        }
        Ok(Value::Array(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut members = Map::new();
        while let Some(key) = map.next_key::<String>()? {
            // One search of the map per key: the entry both detects a duplicate and
            // takes the value.
            let slot = match members.entry(key) {
                Entry::Vacant(slot) => slot,
                Entry::Occupied(first) => {
                    let key = first.key();
                    return Err(de::Error::custom(format_args!("duplicate key `{key}`")));
                }
            };
            match map.next_value_seed(self) {
                Ok(value) => {
                    slot.insert(value);
                }
                Err(err) => {
                    let key = slot.key().clone();
                    self.0.enclosed_by(|| key);
                    return Err(err);
                }
            }
        }
        Ok(Value::Object(members))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(text: &str) -> SyntaxError {
        parse(text, &LineIndex::new(text)).unwrap_err()
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
        assert!(parse(&ok, &LineIndex::new(&ok)).is_ok());
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
        let v = parse(&text, &LineIndex::new(&text)).unwrap();
        assert_eq!(v.as_array().unwrap().len(), MAX_ARRAY_ITEMS);
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
        let plain = serde_json::from_str::<Value>(text).unwrap_err();
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
        let v = parse(
            "{\"a\": 123456789012345678901234567890}",
            &LineIndex::new(""),
        )
        .unwrap();
        assert!(v["a"].is_f64());
    }

    #[test]
    fn valid_documents_parse() {
        let text = r#"{"a": [1, -2, 3.5, "x", null, true, {"b": {}}]}"#;
        let v = parse(text, &LineIndex::new(text)).unwrap();
        assert_eq!(v, serde_json::from_str::<Value>(text).unwrap());
    }
}
