//! The inventory JSON Schema (format v1) and what its violations say to a facility manager.

use std::collections::BTreeSet;
use std::sync::OnceLock;

use jsonschema::error::{TypeKind, ValidationErrorKind};
use jsonschema::{JsonType, Validator};
use serde_json::Value;

use super::document::Node;
use super::pointer;
use crate::lang::Text;
use input::{DocumentJson, Input};

/// The schema, as shipped in `schemas/` and printed by `rurume schema`.
pub const SCHEMA: &str = include_str!("../../schemas/inventory.schema.json");

/// One place where the file breaks the schema.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct SchemaViolation {
    pub pointer: String,
    pub message: Text,
    /// What the self-check page says: the form's labels (the schema's titles), no keys.
    pub page: Text,
    /// For a missing required field: its name (a workbook names its column instead).
    pub missing: Option<String>,
}

struct Compiled {
    validator: Validator<DocumentJson>,
    /// Every property name the schema knows, for "did you mean" on unknown keys.
    known_keys: BTreeSet<String>,
    /// The title of each property name (its first in the schema), as the form labels it.
    titles: std::collections::BTreeMap<String, Text>,
}

fn compiled() -> &'static Compiled {
    static COMPILED: OnceLock<Compiled> = OnceLock::new();
    COMPILED.get_or_init(|| {
        let schema: Value = serde_json::from_str(SCHEMA).expect("the shipped schema is valid JSON");
        Compiled::new(schema, true)
    })
}

impl Compiled {
    /// `drop_patterns`: see [`drop_redundant_patterns`] (the tests compile without it too).
    fn new(mut schema: Value, drop_patterns: bool) -> Compiled {
        let mut known_keys = BTreeSet::new();
        collect_property_names(&schema, &mut known_keys);
        let mut titles = std::collections::BTreeMap::new();
        collect_titles(&schema, &mut titles);
        if drop_patterns {
            drop_redundant_patterns(&mut schema);
        }
        let validator = jsonschema::options_for::<DocumentJson>()
            .should_validate_formats(true)
            .build(&schema)
            .expect("the shipped schema compiles");
        Compiled {
            validator,
            known_keys,
            titles,
        }
    }
}

/// The schema's date pattern, for editors that do not check `"format": "date"`.
const DATE_PATTERN: &str = "^[0-9]{4}-[0-9]{2}-[0-9]{2}$";

/// Removes `"pattern": DATE_PATTERN` beside `"format": "date"`: formats are checked, and
/// jsonschema's date format accepts only ten bytes `DDDD-DD-DD` (ASCII digits), so the
/// pattern never refuses a date the format accepts, and a date both refuse says the same
/// thing twice (one violation after `dedup`). The pattern would only cost a regex search
/// per date. Instance values (`const`, `enum`, `examples`, `default`) are left alone.
fn drop_redundant_patterns(schema: &mut Value) {
    match schema {
        Value::Object(map) => {
            if map.get("format").and_then(Value::as_str) == Some("date")
                && map.get("pattern").and_then(Value::as_str) == Some(DATE_PATTERN)
            {
                map.remove("pattern");
            }
            for (key, value) in map.iter_mut() {
                if !matches!(key.as_str(), "const" | "enum" | "examples" | "default") {
                    drop_redundant_patterns(value);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(drop_redundant_patterns),
        _ => {}
    }
}

fn collect_property_names(schema: &Value, out: &mut BTreeSet<String>) {
    match schema {
        Value::Object(map) => {
            if let Some(Value::Object(props)) = map.get("properties") {
                out.extend(props.keys().cloned());
            }
            map.values().for_each(|v| collect_property_names(v, out));
        }
        Value::Array(items) => items.iter().for_each(|v| collect_property_names(v, out)),
        _ => {}
    }
}

/// The titles of the schema's properties (`"画面ロック / Screen lock"`), by name.
fn collect_titles(schema: &Value, out: &mut std::collections::BTreeMap<String, Text>) {
    match schema {
        Value::Object(map) => {
            if let Some(Value::Object(props)) = map.get("properties") {
                for (key, prop) in props {
                    let title = prop.get("title").and_then(Value::as_str);
                    if let Some((ja, en)) = title.and_then(|t| t.split_once(" / ")) {
                        out.entry(key.clone()).or_insert_with(|| Text::new(ja, en));
                    }
                }
            }
            map.values().for_each(|v| collect_titles(v, out));
        }
        Value::Array(items) => items.iter().for_each(|v| collect_titles(v, out)),
        _ => {}
    }
}

/// A field as the page's form names it: its title, else (a key the schema has no title
/// for) the key itself.
fn title_of(key: &str) -> Text {
    compiled()
        .titles
        .get(key)
        .cloned()
        .unwrap_or_else(|| Text::new(key, key))
}

/// Validates a parsed inventory. Messages never quote the offending value: it could be a
/// password typed where it does not belong.
pub fn validate(root: Node) -> Vec<SchemaViolation> {
    validate_with(compiled(), root)
}

fn validate_with(compiled: &Compiled, root: Node) -> Vec<SchemaViolation> {
    // Most inventories are valid: answering yes/no stops at nothing and builds no error.
    if compiled.validator.is_valid(Input::Value(root)) {
        return Vec::new();
    }
    let mut out = Vec::new();
    for error in compiled.validator.iter_errors(Input::Value(root)) {
        let at = error.instance_path().as_str().to_owned();
        match error.kind() {
            ValidationErrorKind::AdditionalProperties { unexpected } => {
                for key in unexpected {
                    let (message, page) = unknown_key(key, &compiled.known_keys);
                    out.push(SchemaViolation {
                        pointer: pointer::push(&at, key),
                        message,
                        page,
                        missing: None,
                    });
                }
            }
            kind => out.push(SchemaViolation {
                pointer: at.clone(),
                message: describe(kind, &at, &error.masked().to_string()),
                page: describe_for_page(kind, &at),
                missing: match kind {
                    ValidationErrorKind::Required { property } => {
                        property.as_str().map(str::to_owned)
                    }
                    _ => None,
                },
            }),
        }
    }
    out.sort();
    out.dedup();
    out
}

/// What is said of an unknown key: on the command line and on the page.
fn unknown_key(key: &str, known: &BTreeSet<String>) -> (Text, Text) {
    let close_enough = |k: &str| 2.max(k.len() / 4);
    let chars = key.chars().count();
    let guess = known
        .iter()
        // The distance is at least the difference in length: most names need no measuring
        // (a file with thousands of unknown keys stays fast).
        .filter(|k| chars.abs_diff(k.chars().count()) <= close_enough(k))
        .map(|k| (strsim::levenshtein(key, k), k))
        .filter(|(d, k)| *d <= close_enough(k) && *d < k.len())
        .min();
    match guess {
        Some((_, k)) => {
            let title = title_of(k);
            (
                Text::new(
                    format!(
                        "項目名「{key}」はこの形式にありません。「{k}」の書き誤りではありませんか"
                    ),
                    format!("unknown field `{key}`; did you mean `{k}`?"),
                ),
                Text::new(
                    format!(
                        "台帳の形式にない項目「{key}」があります。「{}」の書き誤りではありませんか。この項目を削除し、フォームの「{}」に入力し直してください",
                        title.ja, title.ja
                    ),
                    format!(
                        "The inventory has an item “{key}” its format does not know; is it a misspelling of “{}”? Remove it and fill in “{}” in the form instead",
                        title.en, title.en
                    ),
                ),
            )
        }
        None => (
            Text::new(
                format!(
                    "項目名「{key}」はこの形式にありません。削除するか、正しい項目名に直してください"
                ),
                format!("unknown field `{key}`; remove it or use a field of inventory format v1"),
            ),
            Text::new(
                format!(
                    "台帳の形式にない項目「{key}」があります。この項目を削除し、必要ならフォームの正しい欄に入力し直してください"
                ),
                format!(
                    "The inventory has an item “{key}” its format does not know. Remove it and, if needed, fill in the right field of the form instead"
                ),
            ),
        ),
    }
}

/// A violation as the page says it, next to the field it concerns: no key names, no
/// JSON types, no value lists (the form's own controls show the choices).
fn describe_for_page(kind: &ValidationErrorKind, at: &str) -> Text {
    match kind {
        ValidationErrorKind::Required { property } => {
            let title = title_of(property.as_str().unwrap_or_default());
            Text::new(
                format!("「{}」が記入されていません", title.ja),
                format!("“{}” is not filled in", title.en),
            )
        }
        ValidationErrorKind::Constant { .. } if at == "/schema_version" => Text::new(
            "この台帳の形式の版は、rurume が読める版（1）ではありません。新しく作った台帳に入力し直すか、事務局にお問い合わせください",
            "This inventory is not in the format version rurume reads (1): enter it into a new inventory, or ask the office",
        ),
        ValidationErrorKind::Enum { .. } => Text::new(
            "この欄の値は選べる値のどれでもありません。一覧から選び直してください",
            "This value is not one of the choices: choose one from the list",
        ),
        ValidationErrorKind::Format { format } if format == "date" => page_date_text(),
        ValidationErrorKind::Pattern { .. } => page_date_text(),
        ValidationErrorKind::AnyOf { .. } | ValidationErrorKind::OneOfNotValid { .. } => {
            page_date_text()
        }
        ValidationErrorKind::Minimum { limit } => Text::new(
            format!("{limit} 以上の値にしてください"),
            format!("The value must be at least {limit}"),
        ),
        ValidationErrorKind::Maximum { limit } => Text::new(
            format!("{limit} 以下の値にしてください"),
            format!("The value must be at most {limit}"),
        ),
        ValidationErrorKind::MinLength { .. } => {
            Text::new("空欄にはできません", "This field must not be empty")
        }
        _ => Text::new(
            "この欄の値は台帳の形式に合いません。入力し直してください",
            "This value does not fit the inventory's format: enter it again",
        ),
    }
}

fn page_date_text() -> Text {
    Text::new(
        "実在する日付を入力してください（未記入なら空欄のままにします）",
        "Enter a date that exists (leave it blank if there is none)",
    )
}

fn type_name(t: JsonType) -> (&'static str, &'static str) {
    match t {
        JsonType::Null => ("null", "null"),
        JsonType::Boolean => ("true か false", "true or false"),
        JsonType::Integer => ("整数", "an integer"),
        JsonType::Number => ("数値", "a number"),
        JsonType::String => ("文字列（\"…\"）", "a string"),
        JsonType::Array => ("配列（[ … ]）", "an array"),
        JsonType::Object => ("オブジェクト（{ … }）", "an object"),
    }
}

fn describe(kind: &ValidationErrorKind, at: &str, fallback: &str) -> Text {
    match kind {
        ValidationErrorKind::Required { property } => {
            let p = property.as_str().unwrap_or_default();
            Text::new(
                format!("必須項目「{p}」がありません"),
                format!("required field `{p}` is missing"),
            )
        }
        ValidationErrorKind::Constant { .. } if at == "/schema_version" => Text::new(
            "schema_version は 1 にしてください（rurume が読めるのは形式 v1 です）",
            "schema_version must be 1: rurume reads inventory format v1",
        ),
        ValidationErrorKind::Type { kind } => {
            let types: Vec<JsonType> = match kind {
                TypeKind::Single(t) => vec![*t],
                TypeKind::Multiple(set) => set.iter().collect(),
            };
            let ja: Vec<_> = types.iter().map(|t| type_name(*t).0).collect();
            let en: Vec<_> = types.iter().map(|t| type_name(*t).1).collect();
            Text::new(
                format!("ここには{}を書いてください", ja.join("か")),
                format!("expected {}", en.join(" or ")),
            )
        }
        ValidationErrorKind::Enum { options } => {
            let list = options
                .as_array()
                .map(|a| {
                    a.iter()
                        .map(|v| v.to_string())
                        .collect::<Vec<_>>()
                        .join(", ")
                })
                .unwrap_or_default();
            Text::new(
                format!("使える値は {list} のいずれかです"),
                format!("expected one of {list}"),
            )
        }
        ValidationErrorKind::Format { format } if format == "date" => date_text(),
        ValidationErrorKind::Pattern { .. } => date_text(),
        ValidationErrorKind::AnyOf { .. } | ValidationErrorKind::OneOfNotValid { .. } => Text::new(
            "値の形式が違います（日付は YYYY-MM-DD、未記入は null）",
            "the value has the wrong form (dates are YYYY-MM-DD, a missing date is null)",
        ),
        ValidationErrorKind::Minimum { limit } => Text::new(
            format!("{limit} 以上の値にしてください"),
            format!("the value must be at least {limit}"),
        ),
        ValidationErrorKind::Maximum { limit } => Text::new(
            format!("{limit} 以下の値にしてください"),
            format!("the value must be at most {limit}"),
        ),
        ValidationErrorKind::MinLength { .. } => Text::new("空にはできません", "must not be empty"),
        _ => Text::new(
            format!("形式 v1 に合いません（{fallback}）"),
            format!("does not fit inventory format v1 ({fallback})"),
        ),
    }
}

fn date_text() -> Text {
    Text::new(
        "日付は YYYY-MM-DD 形式の実在する日付で書いてください（例: 2026-11-01）",
        "dates are written YYYY-MM-DD and must exist (e.g. 2026-11-01)",
    )
}

/// The document as jsonschema reads it: jsonschema validates any representation that
/// implements its `Json` traits, so a [`super::Document`] is validated as it is.
mod input {
    use std::borrow::Cow;

    use jsonschema::JsonType;
    use jsonschema::json::{Array, Json, Node as JsonNode, NodeIdentity, Object};
    use serde_json::Value;

    use crate::inventory::document::{self, Node, Raw, Str};

    pub struct DocumentJson;

    /// A value of the document, or a member name (`propertyNames` validates names as
    /// values).
    #[derive(Clone, Copy)]
    pub enum Input<'a> {
        Value(Node<'a>),
        Name(&'a str),
    }

    impl Json for DocumentJson {
        type Node<'a> = Input<'a>;
        type PreparedKey = String;
        type StringBuffer = ();

        // Members are found by scanning a short list, as cheap as a hash probe.
        const KEYS_PER_LOOKUP: usize = 2;
        const ACYCLIC: bool = true;

        fn prepare_key(key: &str) -> String {
            key.to_owned()
        }

        fn with_string_node<T>((): &mut (), string: &str, f: impl FnOnce(Input<'_>) -> T) -> T {
            f(Input::Name(string))
        }
    }

    impl<'a> JsonNode<'a, DocumentJson> for Input<'a> {
        type Object = document::Object<'a>;
        type Array = document::Array<'a>;
        type Number = &'a serde_json::Number;

        fn as_object(&self) -> Option<document::Object<'a>> {
            match self {
                Input::Value(n) => n.as_object(),
                Input::Name(_) => None,
            }
        }

        fn as_array(&self) -> Option<document::Array<'a>> {
            match self {
                Input::Value(n) => n.as_array(),
                Input::Name(_) => None,
            }
        }

        fn as_string(&self) -> Option<Cow<'a, str>> {
            match self {
                Input::Value(n) => n.as_str().map(Cow::Borrowed),
                Input::Name(s) => Some(Cow::Borrowed(s)),
            }
        }

        fn as_number(&self) -> Option<&'a serde_json::Number> {
            match self {
                Input::Value(n) => n.as_number(),
                Input::Name(_) => None,
            }
        }

        fn as_boolean(&self) -> Option<bool> {
            match self {
                Input::Value(n) => n.as_bool(),
                Input::Name(_) => None,
            }
        }

        fn is_null(&self) -> bool {
            matches!(self, Input::Value(n) if n.is_null())
        }

        // The type is read from the value's slot: `kind` would also build its contents.
        fn json_type(&self) -> JsonType {
            let Input::Value(n) = self else {
                return JsonType::String;
            };
            match n.raw() {
                Raw::Null => JsonType::Null,
                Raw::Bool(_) => JsonType::Boolean,
                Raw::Number(_) => JsonType::Number,
                Raw::String(_) => JsonType::String,
                Raw::Array { .. } => JsonType::Array,
                Raw::Object { .. } => JsonType::Object,
            }
        }

        fn is_string(&self) -> bool {
            match self {
                Input::Value(n) => matches!(n.raw(), Raw::String(_)),
                Input::Name(_) => true,
            }
        }

        /// `minLength`/`maxLength` without counting characters when the length in bytes
        /// decides: a string of `n` bytes has from `ceil(n / 4)` to `n` code points.
        fn string_length_within(&self, min: u64, max: u64) -> Option<bool> {
            let most = match self {
                // A string without escapes is the range of the text: its length is known.
                Input::Value(n) => match n.raw() {
                    Raw::String(Str::Text { start, end }) => u64::from(end - start),
                    Raw::String(Str::Owned(_)) => n.as_str()?.len() as u64,
                    _ => return None,
                },
                Input::Name(s) => s.len() as u64,
            };
            let fewest = most.div_ceil(4);
            if min <= fewest && most <= max {
                return Some(true);
            }
            if most < min || fewest > max {
                return Some(false);
            }
            let count = self.as_string()?.chars().count() as u64;
            Some((min..=max).contains(&count))
        }

        fn to_value(&self) -> Cow<'a, Value> {
            Cow::Owned(match self {
                Input::Value(n) => n.to_value(),
                Input::Name(s) => Value::String((*s).to_owned()),
            })
        }

        fn identity(&self) -> Option<NodeIdentity> {
            match self {
                Input::Value(n) => Some(NodeIdentity::tagged(
                    std::ptr::from_ref(n.document()) as usize,
                    n.id(),
                )),
                Input::Name(_) => None,
            }
        }
    }

    pub struct Members<'a>(document::Members<'a>);

    impl<'a> Iterator for Members<'a> {
        type Item = (&'a str, Input<'a>);

        fn next(&mut self) -> Option<Self::Item> {
            self.0.next().map(|(k, v)| (k, Input::Value(v)))
        }
    }

    impl<'a> Object<'a, DocumentJson> for document::Object<'a> {
        type Node = Input<'a>;
        type MemberName = &'a str;
        type MembersIter = Members<'a>;

        fn len(&self) -> usize {
            document::Object::len(*self)
        }

        fn get(&self, key: &String) -> Option<Input<'a>> {
            document::Object::get(*self, key).map(Input::Value)
        }

        fn members(&self) -> Members<'a> {
            Members(self.iter())
        }
    }

    pub struct Items<'a>(document::Items<'a>);

    impl<'a> Iterator for Items<'a> {
        type Item = Input<'a>;

        fn next(&mut self) -> Option<Input<'a>> {
            self.0.next().map(Input::Value)
        }
    }

    impl<'a> Array<'a, DocumentJson> for document::Array<'a> {
        type Node = Input<'a>;
        type ElementsIter = Items<'a>;

        fn len(&self) -> usize {
            document::Array::len(*self)
        }

        fn elements(&self) -> Items<'a> {
            Items(self.iter())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// Validates a value as the engine does: written out, parsed, then validated.
    fn check(value: &Value) -> Vec<SchemaViolation> {
        let (doc, _) = crate::inventory::parse::parse(value.to_string().into()).unwrap();
        validate(doc.root())
    }

    fn minimal() -> Value {
        json!({
            "schema_version": 1,
            "facility": { "id": "F1", "name": "テスト", "kind": "clinic", "submitted": "2026-11-01" },
            "accounts": [], "devices": []
        })
    }

    #[test]
    fn minimal_inventory_is_valid() {
        assert_eq!(check(&minimal()), vec![]);
    }

    #[test]
    fn unknown_key_points_at_the_key_and_suggests() {
        let mut v = minimal();
        v["facility"]["nmae"] = json!("x");
        let errors = check(&v);
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert_eq!(errors[0].pointer, "/facility/nmae");
        assert!(
            errors[0].message.en.contains("did you mean `name`"),
            "{:?}",
            errors[0].message
        );
    }

    #[test]
    fn schema_version_other_than_one_is_explained() {
        let mut v = minimal();
        v["schema_version"] = json!(2);
        let errors = check(&v);
        assert_eq!(errors[0].pointer, "/schema_version");
        assert!(errors[0].message.en.contains("must be 1"));
    }

    #[test]
    fn impossible_dates_are_refused() {
        let mut v = minimal();
        v["facility"]["submitted"] = json!("2026-02-30");
        let errors = check(&v);
        assert_eq!(errors[0].pointer, "/facility/submitted");
    }

    /// Variants of a valid date: each byte replaced, dropped or doubled, and a few more.
    fn date_variants() -> Vec<Value> {
        let date = "2026-11-01";
        let replacements = [
            "0", "9", "-", "a", "/", " ", "０", "\u{663}", "T", "\n", "é", ":", "", "00",
        ];
        let mut out: Vec<Value> = vec![
            json!("2026-02-29"),
            json!("2024-02-29"),
            json!("2026-11-01T00:00:00Z"),
            json!("2026-11-01\n"),
            json!("20261101"),
            json!(""),
            json!(20261101),
            json!(null),
            json!(true),
            json!(["2026-11-01"]),
        ];
        for at in 0..date.len() {
            for r in replacements {
                out.push(json!(format!("{}{r}{}", &date[..at], &date[at + 1..])));
            }
            out.push(json!(format!("{}{}", &date[..=at], &date[at..])));
        }
        out
    }

    #[test]
    fn dropping_the_date_pattern_changes_no_violation() {
        let full = Compiled::new(serde_json::from_str(SCHEMA).unwrap(), false);
        let mut patterns = 0;
        for date in date_variants() {
            let mut v = minimal();
            v["facility"]["submitted"] = date.clone();
            v["facility"]["cyber_bcp"] = date.clone();
            v["accounts"] = json!([{
                "id": "a1", "name": "x", "email": "x", "mcs_id": "x", "admin": false,
                "status": "active", "employment": "employed", "shared": false,
                "pledges": { "management": date.clone(), "retention": date.clone() },
                "password": { "changed": date.clone() }
            }]);
            let (doc, _) = crate::inventory::parse::parse(v.to_string().into()).unwrap();
            let with_pattern: Vec<_> = full
                .validator
                .iter_errors(Input::Value(doc.root()))
                .map(|e| e.kind().keyword().to_owned())
                .collect();
            patterns += with_pattern.iter().filter(|k| *k == "pattern").count();
            assert_eq!(
                validate_with(&full, doc.root()),
                validate(doc.root()),
                "{date}"
            );
            assert_eq!(
                full.validator.is_valid(Input::Value(doc.root())),
                compiled().validator.is_valid(Input::Value(doc.root())),
                "{date}"
            );
        }
        // The comparison is only worth something if the pattern did refuse dates.
        assert!(patterns > 100, "{patterns}");
    }

    #[test]
    fn the_date_pattern_dropped_is_the_schemas() {
        let schema: Value = serde_json::from_str(SCHEMA).unwrap();
        for def in ["date", "nullableDate"] {
            assert_eq!(
                schema["$defs"][def]["pattern"],
                json!(DATE_PATTERN),
                "{def}"
            );
            assert_eq!(schema["$defs"][def]["format"], json!("date"), "{def}");
        }
        let mut checked = schema.clone();
        drop_redundant_patterns(&mut checked);
        assert_eq!(schema.to_string().matches(DATE_PATTERN).count(), 2);
        assert!(!checked.to_string().contains(DATE_PATTERN));
    }

    #[test]
    fn string_lengths_are_decided_as_by_counting() {
        use jsonschema::json::Node as _;
        let strings = [
            "",
            "a",
            "ab",
            "abcd",
            "abcde",
            "é",
            "éé",
            "山",
            "山田 太郎",
            "🙂",
            "🙂🙂a",
        ];
        for string in strings {
            for written in [
                json!(string).to_string(),
                json!(string).to_string().replace('a', "\\u0061"),
            ] {
                let (doc, _) = crate::inventory::parse::parse(written.clone().into()).unwrap();
                let count = string.chars().count() as u64;
                for min in 0..=10 {
                    for max in (0..=10).chain([u64::MAX]) {
                        let expected = Some((min..=max).contains(&count));
                        assert_eq!(
                            Input::Value(doc.root()).string_length_within(min, max),
                            expected,
                            "{written} {min} {max}"
                        );
                        assert_eq!(
                            Input::Name(string).string_length_within(min, max),
                            expected,
                            "{string} {min} {max}"
                        );
                    }
                }
            }
        }
        let (doc, _) = crate::inventory::parse::parse(std::sync::Arc::new("1".into())).unwrap();
        assert_eq!(Input::Value(doc.root()).string_length_within(0, 1), None);
    }

    #[test]
    fn messages_never_quote_values() {
        let mut v = minimal();
        v["facility"]["kind"] = json!("secret-value-123");
        v["facility"]["name"] = json!(12345678);
        for e in check(&v) {
            assert!(
                !e.message.en.contains("secret-value") && !e.message.ja.contains("secret-value")
            );
            assert!(!e.message.en.contains("12345678"));
        }
    }
}
