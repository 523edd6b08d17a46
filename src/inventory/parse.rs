//! Strict JSON parsing: serde_json's parser, plus a refusal of duplicate member names.
//!
//! `serde_json::Value` silently keeps the last of two equal keys, so
//! `"shared": true, "shared": false` would hide a violation. A compliance inventory is
//! better refused with the place of the second key.

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Value};

use super::spans::LineIndex;
use crate::lang::Text;

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
    match serde_json::from_str::<Strict>(text) {
        Ok(Strict(value)) => Ok(value),
        Err(err) => {
            // A file that ends too early stopped being readable at its very end.
            let offset = if err.is_eof() {
                text.len()
            } else {
                index.offset_of_byte_column(text, err.line(), err.column())
            };
            Err(SyntaxError {
                offset,
                message: describe(&err),
            })
        }
    }
}

/// serde_json's message without its trailing position, with a Japanese rendering.
fn describe(err: &serde_json::Error) -> Text {
    let full = err.to_string();
    let en = match full.rfind(" at line ") {
        Some(i) => full[..i].to_owned(),
        None => full,
    };
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
            (
                "recursion limit exceeded",
                "入れ子が深すぎます（128 段まで）",
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

/// A `Value` that refuses duplicate keys.
struct Strict(Value);

impl<'de> Deserialize<'de> for Strict {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(StrictVisitor)
    }
}

struct StrictVisitor;

impl<'de> Visitor<'de> for StrictVisitor {
    type Value = Strict;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_bool<E>(self, v: bool) -> Result<Strict, E> {
        Ok(Strict(Value::Bool(v)))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Strict, E> {
        Ok(Strict(v.into()))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Strict, E> {
        Ok(Strict(v.into()))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Strict, E> {
        Ok(Strict(
            serde_json::Number::from_f64(v).map_or(Value::Null, Value::Number),
        ))
    }
    fn visit_str<E>(self, v: &str) -> Result<Strict, E> {
        Ok(Strict(Value::String(v.to_owned())))
    }
    fn visit_string<E>(self, v: String) -> Result<Strict, E> {
        Ok(Strict(Value::String(v)))
    }
    fn visit_unit<E>(self) -> Result<Strict, E> {
        Ok(Strict(Value::Null))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Strict, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0));
        while let Some(Strict(item)) = seq.next_element()? {
            items.push(item);
        }
        Ok(Strict(Value::Array(items)))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Strict, A::Error> {
        let mut members = Map::new();
        while let Some(key) = map.next_key::<String>()? {
            if members.contains_key(&key) {
                return Err(de::Error::custom(format_args!("duplicate key `{key}`")));
            }
            let Strict(value) = map.next_value()?;
            members.insert(key, value);
        }
        Ok(Strict(Value::Object(members)))
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
        assert!(err(&text).message.en.contains("recursion limit"));
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
