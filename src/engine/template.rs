//! Message templates of rule files: `{name}` is the value at that path of the selected
//! item, `{value}` the value the finding points at, `{$param}` a rule parameter, and
//! `{other}` what a duplicate collides with. `{path|text}` prints `text` when the value is
//! missing, null or blank. `{@path}` reads the value at `path` as a JSON Pointer into the
//! file and names the item it points into as a person would (`田中 一郎 (a10)`, `d3`).
//! `{{` and `}}` are literal braces.

use std::fmt::Write as _;

use serde_json::Value;

use super::MASK;
use super::secrets::Secrets;
use crate::finding::Reader;
use crate::inventory::document::{Kind, Node};
use crate::lang::{Lang, Text};
use crate::rules::condition::Params;
use crate::rules::path::Path;

/// The reserved placeholder filled in once all files are known (cross-file rules).
pub const OTHER: &str = "{other}";

enum Piece<'a> {
    Literal(&'a str),
    Placeholder(&'a str),
}

fn pieces(template: &str) -> Result<Vec<Piece<'_>>, String> {
    let mut out = Vec::new();
    let mut rest = template;
    while !rest.is_empty() {
        if let Some(r) = rest.strip_prefix("{{") {
            out.push(Piece::Literal("{"));
            rest = r;
        } else if let Some(r) = rest.strip_prefix("}}") {
            out.push(Piece::Literal("}"));
            rest = r;
        } else if let Some(r) = rest.strip_prefix('{') {
            let end = r
                .find('}')
                .ok_or_else(|| format!("unclosed `{{` in message `{template}`"))?;
            out.push(Piece::Placeholder(&r[..end]));
            rest = &r[end + 1..];
        } else if rest.starts_with('}') {
            return Err(format!(
                "unmatched `}}` in message `{template}` (write `}}}}` for a brace)"
            ));
        } else {
            let end = rest.find(['{', '}']).unwrap_or(rest.len());
            out.push(Piece::Literal(&rest[..end]));
            rest = &rest[end..];
        }
    }
    Ok(out)
}

/// Validates a template when the rule file is loaded.
pub fn check(template: &str, params: &Params) -> Result<(), String> {
    for piece in pieces(template)? {
        if let Piece::Placeholder(name) = piece {
            if let Some(param) = name.strip_prefix('$') {
                if !params.contains_key(param) {
                    return Err(format!("message uses unknown parameter `{{${param}}}`"));
                }
            } else if name
                .split('|')
                .next()
                .map(|p| p.strip_prefix('@').unwrap_or(p))
                .is_none_or(|p| p.is_empty() || p.contains(char::is_whitespace))
            {
                return Err(format!(
                    "bad placeholder `{{{name}}}` in message `{template}`"
                ));
            }
        }
    }
    Ok(())
}

/// What a template is rendered against.
pub struct Context<'a> {
    pub root: Node<'a>,
    /// The selected value.
    pub item: Node<'a>,
    /// The value the finding points at (`{value}`).
    pub finding: Node<'a>,
    /// The document's secrets: never written out, nor anything under them, nor their
    /// text where another value repeats it.
    pub secrets: &'a Secrets<'a>,
}

/// A template parsed once, when its rule is loaded: parameters are already filled in.
#[derive(Debug, Clone, Default)]
struct Template {
    pieces: Vec<Compiled>,
}

#[derive(Debug, Clone)]
enum Compiled {
    Literal(String),
    /// `{other}`: what a duplicate collides with, known only later.
    Other,
    /// `{value}` or `{path|text}`: the value in this slot of a finding's [`Values`].
    Value(usize),
}

/// One placeholder of a finding's texts, however often they use it.
#[derive(Debug, Clone)]
struct Slot {
    /// As written (`name`, `../../id`, `location|（未記入）`): two uses are one slot.
    key: String,
    /// The item's path whose value it shows; `None` for `{value}`, the finding's value.
    path: Option<Path>,
    /// Shown when the value is missing, null or blank.
    fallback: Option<String>,
    /// `{@path}`: the value is a pointer, shown as the item it names.
    names_item: bool,
}

impl Template {
    /// Parses and checks a template (see [`check`]); `slots` numbers the placeholders
    /// the templates of one finding share.
    fn compile(template: &str, params: &Params, slots: &mut Vec<Slot>) -> Result<Template, String> {
        check(template, params)?;
        let mut compiled_pieces: Vec<Compiled> = Vec::new();
        for piece in pieces(template)? {
            let compiled = match piece {
                Piece::Literal(s) => Compiled::Literal(s.to_owned()),
                Piece::Placeholder("other") => Compiled::Other,
                Piece::Placeholder(p) => {
                    let (name, fallback) = match p.split_once('|') {
                        Some((name, fallback)) => (name, Some(fallback.to_owned())),
                        None => (p, None),
                    };
                    let (name, names_item) = match name.strip_prefix('@') {
                        Some(name) => (name, true),
                        None => (name, false),
                    };
                    match name.strip_prefix('$') {
                        Some(param) => Compiled::Literal(display(params.get(param))),
                        None => Compiled::Value(
                            slots.iter().position(|s| s.key == p).unwrap_or_else(|| {
                                slots.push(Slot {
                                    key: p.to_owned(),
                                    path: (name != "value").then(|| Path::parse(name)),
                                    fallback,
                                    names_item,
                                });
                                slots.len() - 1
                            }),
                        ),
                    }
                }
            };
            // Adjacent literals become one.
            match (compiled_pieces.last_mut(), compiled) {
                (Some(Compiled::Literal(prev)), Compiled::Literal(next)) => prev.push_str(&next),
                (_, compiled) => compiled_pieces.push(compiled),
            }
        }
        Ok(Template {
            pieces: compiled_pieces,
        })
    }

    fn render(&self, values: &Values, lang: Lang, reader: Reader) -> String {
        let mut out = String::with_capacity(128);
        for piece in &self.pieces {
            match piece {
                Compiled::Literal(s) => out.push_str(s),
                Compiled::Other => match (&values.other, reader) {
                    (None, _) => out.push_str(OTHER),
                    (Some(Other::Item(item)), _) => out.push_str(item),
                    (Some(Other::Unnamed { name, pointer }), Reader::Office) => match name {
                        Some(name) => {
                            let _ = write!(out, "{name} ({pointer})");
                        }
                        None => out.push_str(pointer),
                    },
                    (Some(Other::Unnamed { name, pointer }), Reader::Facility | Reader::Page) => {
                        let row = row_name(pointer, lang);
                        match name {
                            Some(name) => {
                                let _ = write!(out, "{name} ({row})");
                            }
                            None => out.push_str(&row),
                        }
                    }
                    (Some(Other::Files(files)), Reader::Office) => out.push_str(&files.join(", ")),
                    (Some(Other::Files(_)), Reader::Facility | Reader::Page) => {
                        out.push_str(lang.pick("他の事業所", "another facility"))
                    }
                },
                Compiled::Value(slot) => {
                    out.push_str(values.slots.get(*slot).map_or("—", String::as_str))
                }
            }
        }
        out
    }
}

/// The message and fix of a rule's findings, in both languages, compiled together so
/// that their placeholders share slots.
#[derive(Debug, Clone, Default)]
pub struct Texts {
    message: [Template; 2],
    fix: [Template; 2],
    /// The page's own wording (`page_message`, `page_fix`), when the rule has it.
    page_message: Option<[Template; 2]>,
    page_fix: Option<[Template; 2]>,
    /// The placeholders, each once (`{name}`, `{../../id}`, `{value}`, …).
    slots: Vec<Slot>,
}

/// The values a finding's placeholders take, resolved while the document is at hand: a
/// finding keeps these (a few short strings) instead of its four rendered texts, and is
/// put into words when an output asks, in the output's language.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Values {
    slots: Vec<String>,
    /// What `{other}` says, once known (cross-file and in-file duplicates).
    other: Option<Other>,
}

/// What a duplicate collides with.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Other {
    /// An earlier item of the same file, described (`田中 一郎 (a10)`, `d3`).
    Item(String),
    /// An earlier item without an id: its name, if it has one, and where it is. The office
    /// reads the pointer (`田中 一郎 (/accounts/3)`), a facility and the page its row
    /// (`田中 一郎 (アカウント 4 行目)`).
    Unnamed {
        name: Option<String>,
        pointer: String,
    },
    /// Other facilities' files: named to the office, never to a facility.
    Files(Vec<String>),
}

impl Values {
    /// Says which earlier item of the same file a duplicate collides with, for `{other}`.
    pub fn set_other(&mut self, other: &str) {
        self.other = Some(Other::Item(other.to_owned()));
    }

    /// Says which earlier item of the same file a duplicate collides with, for `{other}`:
    /// as [`super::describe_item`] names it, or, without an id, by its name and where it
    /// is, in each reader's words.
    pub fn set_other_item(&mut self, item: Node) {
        self.other = Some(match super::item_text(item, "id") {
            Some(_) => Other::Item(super::describe_item(item)),
            None => Other::Unnamed {
                name: super::item_text(item, "name").map(str::to_owned),
                pointer: item.pointer(),
            },
        });
    }

    /// Says which other facilities' files a duplicate collides with, for `{other}`: their
    /// paths for the office ([`Reader::Office`]), 「他の事業所」 for a facility.
    pub fn set_other_files(&mut self, files: Vec<String>) {
        self.other = Some(Other::Files(files));
    }
}

impl Texts {
    pub fn compile(message: &Text, fix: &Text, params: &Params) -> Result<Texts, String> {
        Self::compile_with_page(message, fix, &PageTexts::default(), params)
    }

    /// The texts of the command line and, where the rule has them, the page's.
    pub fn compile_with_page(
        message: &Text,
        fix: &Text,
        page: &PageTexts,
        params: &Params,
    ) -> Result<Texts, String> {
        let mut slots = Vec::new();
        let mut one = |t: &Text| -> Result<[Template; 2], String> {
            Ok([
                Template::compile(&t.ja, params, &mut slots)?,
                Template::compile(&t.en, params, &mut slots)?,
            ])
        };
        Ok(Texts {
            message: one(message)?,
            fix: one(fix)?,
            page_message: page.message.as_ref().map(&mut one).transpose()?,
            page_fix: page.fix.as_ref().map(&mut one).transpose()?,
            slots,
        })
    }

    /// Resolves every placeholder for one item.
    pub fn bind(&self, cx: &Context) -> Values {
        Values {
            slots: self.slots.iter().map(|slot| value_of(slot, cx)).collect(),
            other: None,
        }
    }

    pub fn message(&self, values: &Values, lang: Lang, reader: Reader) -> String {
        let page = self
            .page_message
            .as_ref()
            .filter(|_| reader == Reader::Page);
        page.unwrap_or(&self.message)[lang_index(lang)].render(values, lang, reader)
    }

    pub fn fix(&self, values: &Values, lang: Lang, reader: Reader) -> String {
        let page = self.page_fix.as_ref().filter(|_| reader == Reader::Page);
        page.unwrap_or(&self.fix)[lang_index(lang)].render(values, lang, reader)
    }
}

/// A rule's (or a match's) `page_message` and `page_fix`: what the page says instead of
/// `message` and `fix`, when the rule has them.
#[derive(Debug, Clone, Default)]
pub struct PageTexts {
    pub message: Option<Text>,
    pub fix: Option<Text>,
}

fn lang_index(lang: Lang) -> usize {
    match lang {
        Lang::Ja => 0,
        Lang::En => 1,
    }
}

/// The text of one placeholder: `{value}` (path `None`) or a path of the item. A value
/// at or under a secret is masked, and so is a missing value whose path leads under one.
fn value_of(slot: &Slot, cx: &Context) -> String {
    let shown = |v: Option<Node>| match slot.fallback.as_deref() {
        Some(fallback) if crate::rules::condition::is_empty(v) => fallback.to_owned(),
        _ if slot.names_item => match v.and_then(|v| named_item(cx.root, v)) {
            Some(item) => super::describe_item(item),
            None => display_node(v),
        },
        _ => display_node(v),
    };
    let (value, nearest) = match slot.path.as_ref() {
        None => (Some(cx.finding), cx.finding),
        Some(path) => (
            path.lookup(cx.root, cx.item),
            path.nearest(cx.root, cx.item),
        ),
    };
    match cx.secrets.hides(nearest) {
        true => MASK.to_owned(),
        false => cx.secrets.mask(shown(value)),
    }
}

/// Where an item is, as a facility reads it: the row of its list (`/accounts/3` →
/// 「アカウント 4 行目」, "account row 4"; devices likewise); a place that is no row of a
/// list stays a pointer.
fn row_name(pointer: &str, lang: Lang) -> String {
    let mut tokens = pointer.rsplit('/');
    let (Some(index), Some(list)) = (tokens.next(), tokens.next()) else {
        return pointer.to_owned();
    };
    let Some(n) = crate::inventory::document::array_index(index) else {
        return pointer.to_owned();
    };
    let n = n + 1;
    match (list, lang) {
        ("accounts", Lang::Ja) => format!("アカウント {n} 行目"),
        ("accounts", Lang::En) => format!("account row {n}"),
        ("devices", Lang::Ja) => format!("端末 {n} 行目"),
        ("devices", Lang::En) => format!("device row {n}"),
        (list, Lang::Ja) => format!("{list} の {n} 行目"),
        (list, Lang::En) => format!("{list} row {n}"),
    }
}

/// The item a pointer value names: the closest object with an `id` at or above the value
/// it points at (`/devices/2/screen_lock` names device `d3`).
fn named_item<'d>(root: Node<'d>, value: Node<'d>) -> Option<Node<'d>> {
    let target = root.document().pointer(value.as_str()?)?;
    std::iter::successors(Some(target), |n| n.parent())
        .find(|n| n.get("id").and_then(Node::as_str).is_some())
}

/// Writes a template with each placeholder replaced by `value(placeholder)`: the one
/// walk over a template that rendering, binding and describing share.
fn fill(template: &str, mut value: impl FnMut(&str) -> String) -> String {
    let Ok(pieces) = pieces(template) else {
        return template.to_owned();
    };
    let mut out = String::with_capacity(template.len() + 16);
    for piece in pieces {
        match piece {
            Piece::Literal(s) => out.push_str(s),
            Piece::Placeholder(p) => out.push_str(&value(p)),
        }
    }
    out
}

/// A template shown for the rule rather than for a finding (`rurume explain`, SARIF rule
/// help): parameters filled in, other placeholders shown as `<path>`.
pub fn describe(template: &str, params: &Params) -> String {
    fill(template, |placeholder| {
        let name = placeholder.split('|').next().unwrap_or_default();
        match name.strip_prefix('$') {
            Some(param) => display(params.get(param)),
            None => format!("<{name}>"),
        }
    })
}

/// A document value as messages show it: as [`display`] shows a rule file's value.
fn display_node(value: Option<Node>) -> String {
    match value.map(Node::kind) {
        Some(Kind::String(s)) => s.to_owned(),
        Some(Kind::Array(items)) => items
            .iter()
            .map(|v| display_node(Some(v)))
            .collect::<Vec<_>>()
            .join(", "),
        _ => display(value.map(Node::to_value).as_ref()),
    }
}

/// A value as messages show it: strings bare, lists joined, objects elided, missing `—`.
pub fn display(value: Option<&Value>) -> String {
    match value {
        None | Some(Value::Null) => "—".to_owned(),
        Some(Value::String(s)) => s.clone(),
        Some(Value::Array(items)) => items
            .iter()
            .map(|v| display(Some(v)))
            .collect::<Vec<_>>()
            .join(", "),
        Some(Value::Object(_)) => "{…}".to_owned(),
        Some(v) => v.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::inventory::Document;
    use serde_json::json;

    fn doc(value: Value) -> Document {
        crate::inventory::parse::parse(value.to_string().into())
            .unwrap()
            .0
    }

    fn cx<'a>(
        doc: &'a Document,
        item: &str,
        finding: &str,
        secrets: &'a Secrets<'a>,
    ) -> Context<'a> {
        Context {
            root: doc.root(),
            item: doc.pointer(item).unwrap(),
            finding: doc.pointer(finding).unwrap(),
            secrets,
        }
    }

    fn render(template: &str, params: &Params, cx: &Context) -> String {
        let texts = Texts::compile(&Text::new(template, template), &Text::default(), params);
        let texts = texts.unwrap();
        texts.message(&texts.bind(cx), Lang::En, Reader::Office)
    }

    #[test]
    fn renders_paths_params_values_and_braces() {
        let root = doc(json!({ "accounts": [ { "name": "山田", "password": { "length": 6 } } ] }));
        let params = Params::from([("min".to_owned(), json!(8))]);
        let none = Secrets::default();
        let cx = cx(&root, "/accounts/0", "/accounts/0/password/length", &none);
        assert_eq!(
            render(
                "{name}: {value} < {$min} {{x}} {other} {missing}",
                &params,
                &cx
            ),
            "山田: 6 < 8 {x} {other} —"
        );
        assert_eq!(
            render("{missing|なし} {password/length|-}", &params, &cx),
            "なし 6"
        );
    }

    #[test]
    fn parents_are_read_through_the_root() {
        let root = doc(json!({ "devices": [ { "id": "d1", "apps": ["Winny"] } ] }));
        let none = Secrets::default();
        let cx = cx(&root, "/devices/0/apps/0", "/devices/0/apps/0", &none);
        assert_eq!(
            render("{../../id}: {value}", &Params::new(), &cx),
            "d1: Winny"
        );
    }

    #[test]
    fn secrets_are_masked() {
        let root =
            doc(json!({ "a": { "password": "hunter22", "name": "x", "note": "was hunter22!" } }));
        let secrets = Secrets::new(vec![root.pointer("/a/password").unwrap()], &[]);
        let cx = cx(&root, "/a", "/a/password", &secrets);
        assert_eq!(
            render(
                "{password} {value} {name} {password/x|none} {note}",
                &Params::new(),
                &cx
            ),
            format!("{MASK} {MASK} x {MASK} was {MASK}!")
        );
    }

    #[test]
    fn placeholders_share_slots_across_languages_and_fix() {
        let root = doc(json!({ "accounts": [ { "name": "山田", "id": "a1" } ] }));
        let params = Params::from([("min".to_owned(), json!(8))]);
        let none = Secrets::default();
        let cx = cx(&root, "/accounts/0", "/accounts/0", &none);
        let message = Text::new(
            "{name} ({id}) {$min} {missing|なし} {other} {{x}}",
            "{id} {name}",
        );
        let fix = Text::new("{id}", "{other}");
        let texts = Texts::compile(&message, &fix, &params).unwrap();
        assert_eq!(texts.slots.len(), 3, "name, id and missing, each once");
        let values = texts.bind(&cx);
        assert_eq!(
            texts.message(&values, Lang::Ja, Reader::Office),
            "山田 (a1) 8 なし {other} {x}"
        );
        assert_eq!(texts.message(&values, Lang::En, Reader::Office), "a1 山田");
        assert_eq!(texts.fix(&values, Lang::Ja, Reader::Office), "a1");
        let mut values = values;
        values.set_other("田中 (a2)");
        assert_eq!(texts.fix(&values, Lang::En, Reader::Facility), "田中 (a2)");
        let unnamed = doc(
            json!({ "accounts": [ { "id": "a1" }, { "name": "田中" }, {} ],
                                  "devices": [ {}, {} ] }),
        );
        for (at, lang, office, facility) in [
            (
                "/accounts/1",
                Lang::Ja,
                "田中 (/accounts/1)",
                "田中 (アカウント 2 行目)",
            ),
            (
                "/accounts/1",
                Lang::En,
                "田中 (/accounts/1)",
                "田中 (account row 2)",
            ),
            ("/accounts/2", Lang::Ja, "/accounts/2", "アカウント 3 行目"),
            ("/devices/1", Lang::Ja, "/devices/1", "端末 2 行目"),
            ("/devices/1", Lang::En, "/devices/1", "device row 2"),
        ] {
            values.set_other_item(unnamed.pointer(at).unwrap());
            assert_eq!(texts.fix(&values, Lang::En, Reader::Office), office);
            for reader in [Reader::Facility, Reader::Page] {
                let message = Texts::compile(&Text::new("{other}", "{other}"), &fix, &params);
                let message = message.unwrap();
                assert_eq!(message.message(&values, lang, reader), facility);
            }
        }
        values.set_other_item(unnamed.pointer("/accounts/0").unwrap());
        assert_eq!(texts.fix(&values, Lang::En, Reader::Page), "a1");
        values.set_other_files(vec!["F0002.json".into(), "F0003.json".into()]);
        assert_eq!(
            texts.fix(&values, Lang::En, Reader::Office),
            "F0002.json, F0003.json"
        );
        assert_eq!(
            texts.fix(&values, Lang::Ja, Reader::Facility),
            "a1",
            "the Japanese fix does not use {{other}}"
        );
        assert_eq!(
            texts.fix(&values, Lang::En, Reader::Facility),
            "another facility"
        );
    }

    #[test]
    fn pointers_name_their_item_and_the_page_has_its_own_words() {
        let root = doc(json!({
            "accounts": [ { "id": "a1", "name": "田中 一郎" } ],
            "devices": [ { "id": "d1", "screen_lock": { "enabled": false } } ],
            "exceptions": [ { "target": "/devices/0/screen_lock" }, { "target": "/accounts/0" },
                            { "target": "/nowhere" }, { "target": "" } ]
        }));
        let none = Secrets::default();
        let texts = Texts::compile_with_page(
            &Text::new("対象: {target}", "target: {target}"),
            &Text::new("fix {target}", "fix {target}"),
            &PageTexts {
                message: Some(Text::new(
                    "{@target|未選択} の例外",
                    "exception for {@target|none}",
                )),
                fix: None,
            },
            &Params::new(),
        )
        .unwrap();
        let said = |i: usize, reader: Reader, lang: Lang| {
            let cx = cx(
                &root,
                &format!("/exceptions/{i}"),
                &format!("/exceptions/{i}"),
                &none,
            );
            texts.message(&texts.bind(&cx), lang, reader)
        };
        assert_eq!(said(0, Reader::Page, Lang::Ja), "d1 の例外");
        assert_eq!(
            said(1, Reader::Page, Lang::En),
            "exception for 田中 一郎 (a1)"
        );
        assert_eq!(
            said(2, Reader::Page, Lang::En),
            "exception for /nowhere",
            "not in the file: as written"
        );
        assert_eq!(said(3, Reader::Page, Lang::Ja), "未選択 の例外");
        assert_eq!(
            said(0, Reader::Office, Lang::Ja),
            "対象: /devices/0/screen_lock"
        );
        // Without a page fix, the page reads the command line's.
        let cx = cx(&root, "/exceptions/0", "/exceptions/0", &none);
        assert_eq!(
            texts.fix(&texts.bind(&cx), Lang::En, Reader::Page),
            "fix /devices/0/screen_lock"
        );
    }

    #[test]
    fn described_for_the_rule() {
        let params = Params::from([
            ("min".to_owned(), json!(8)),
            ("apps".to_owned(), json!(["a", "b"])),
        ]);
        assert_eq!(
            describe("{name|x} needs {$min} {{ok}} {$apps}", &params),
            "<name> needs 8 {ok} a, b"
        );
    }

    #[test]
    fn bad_templates_are_refused() {
        assert!(check("{$nope}", &Params::new()).is_err());
        assert!(check("{open", &Params::new()).is_err());
        assert!(check("close}", &Params::new()).is_err());
        assert!(check("{a b}", &Params::new()).is_err());
        assert!(check("ok {name} {{lit}} {a/b|なし}", &Params::new()).is_ok());
        assert!(check("{|x}", &Params::new()).is_err());
    }
}
