//! `rurume rules`, `rurume explain RULE` and `rurume rules test`: the documentation of the
//! rules in force, generated from the rule files (and, for the engine's own two rules, from
//! `engine/builtin.rs`) — never written by hand, so what is documented is what runs.
//!
//! Every function here is pure: a rule set (and a language) in, text or JSON out.

use crate::engine::template::describe;
use regex::Regex;
use serde::Serialize;
use serde_json::Value;
use unicode_width::UnicodeWidthStr;

use crate::engine::{self, MASK, builtin, builtin::BuiltinRule};
use crate::finding::Severity;
use crate::inventory::{Inventory, pointer};
use crate::lang::{Lang, Text};
use crate::rules::condition::Params;
use crate::rules::examples::{self, Mismatch};
use crate::rules::{EXAMPLE_BASE, Example, Expect, Rule, RuleSet};

/// One rule in one language: a line of `rurume rules`, an element of its JSON.
#[derive(Debug, Clone, Serialize)]
pub struct RuleDoc {
    pub id: String,
    pub severity: Severity,
    /// The article(s) the rule encodes; `—` for the engine's own rules.
    pub source: String,
    pub title: String,
    /// The fix hint, its parameters filled in and its path placeholders shown as `<name>`.
    pub fix: String,
    pub why: String,
    /// The policy's words the rule encodes; `null` for the engine's own rules.
    pub policy: Option<String>,
    pub params: Params,
    /// The built-in profile of the rule (`rurume`, `mhlw`); `null` for the engine's own
    /// rules (they belong to every profile) and for rules of `--rules DIR`.
    pub profile: Option<String>,
}

/// Everything `rurume explain` shows about a rule.
#[derive(Debug, Clone, Serialize)]
pub struct ExplainDoc {
    #[serde(flatten)]
    pub rule: RuleDoc,
    /// `rule-file` or `engine`.
    pub kind: &'static str,
    /// The finding's message(s), rendered like `fix`: the rule's, then those of matches
    /// that word it their own way.
    pub messages: Vec<String>,
    /// Fix hints of matches that differ from the rule's `fix`.
    pub other_fixes: Vec<String>,
    pub examples: Vec<ExampleDoc>,
}

/// One example of a rule file, as it is documented.
#[derive(Debug, Clone, Serialize)]
pub struct ExampleDoc {
    pub title: String,
    pub expect: &'static str,
    /// The pointer a failing example's finding carries.
    pub at: Option<String>,
    /// Other rules the failing example may fire.
    pub also: Vec<String>,
    /// The evaluation date the example declares (else the base's `facility.submitted`).
    pub as_of: Option<String>,
    /// The JSON Patch applied to the example base (secrets masked).
    pub patch: Value,
    /// The items the patch touches, as they are after it (secrets masked).
    pub items: Vec<Fragment>,
    /// For cross-file rules: the second file checked together with the first.
    pub with_file: Option<OtherFile>,
    /// The message the example's finding carries (failing examples).
    pub finding: Option<String>,
    /// Why the example could not be shown (the patch does not apply, no example base).
    pub problem: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct OtherFile {
    pub patch: Value,
    pub items: Vec<Fragment>,
}

/// A value of the example inventory, at its pointer.
#[derive(Debug, Clone, Serialize)]
pub struct Fragment {
    pub pointer: String,
    pub value: Value,
}

// ---------------------------------------------------------------------------------------
// The rules in force

/// Why the engine's own rules matter. They belong with the rest of their definition in
/// `engine/builtin.rs`; they are here until `BuiltinRule` carries a `why`.
fn builtin_doc(b: &BuiltinRule, lang: Lang) -> RuleDoc {
    RuleDoc {
        id: b.id.to_owned(),
        severity: b.severity,
        source: builtin::NO_ARTICLE.to_owned(),
        title: b.title().get(lang).to_owned(),
        fix: b.fix().get(lang).to_owned(),
        why: b.why().get(lang).to_owned(),
        policy: None,
        params: Params::new(),
        profile: None,
    }
}

fn rule_doc(rule: &Rule, lang: Lang) -> RuleDoc {
    RuleDoc {
        id: rule.id.clone(),
        severity: rule.severity,
        source: rule.source.clone(),
        title: rule.title.get(lang).to_owned(),
        fix: describe(rule.fix.get(lang), &rule.params),
        why: rule.why.get(lang).to_owned(),
        policy: Some(rule.policy.clone()),
        params: rule.params.clone(),
        profile: rule.profile.clone(),
    }
}

/// The rules in force — the rule set's and the engine's own — sorted by id.
pub fn rule_docs(rules: &RuleSet, lang: Lang) -> Vec<RuleDoc> {
    let mut docs: Vec<RuleDoc> = builtin::ALL
        .iter()
        .filter(|b| rules.get(b.id).is_none())
        .map(|b| builtin_doc(b, lang))
        .chain(rules.rules.iter().map(|r| rule_doc(r, lang)))
        .collect();
    docs.sort_by(|a, b| a.id.cmp(&b.id));
    docs
}

/// Every rule id in force, for "did you mean".
pub fn rule_ids(rules: &RuleSet) -> Vec<String> {
    rule_docs(rules, Lang::En)
        .into_iter()
        .map(|d| d.id)
        .collect()
}

/// `rurume rules`: one line per rule — id, default severity, article, title — in aligned
/// columns (Japanese characters count double).
pub fn rules_table(rules: &RuleSet, lang: Lang) -> String {
    let docs = rule_docs(rules, lang);
    let width = |f: fn(&RuleDoc) -> &str| docs.iter().map(|d| f(d).width()).max().unwrap_or(0);
    let (w_id, w_severity, w_source) = (
        width(|d| &d.id),
        width(|d| d.severity.as_str()),
        width(|d| &d.source),
    );
    let mut out = String::new();
    for d in &docs {
        let line = format!(
            "{}  {}  {}  {}",
            pad(&d.id, w_id),
            pad(d.severity.as_str(), w_severity),
            pad(&d.source, w_source),
            d.title
        );
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

/// `rurume rules --format json`: an array of [`RuleDoc`], sorted by id.
pub fn rules_json(rules: &RuleSet, lang: Lang) -> String {
    to_json(&rule_docs(rules, lang))
}

fn pad(text: &str, width: usize) -> String {
    let mut out = text.to_owned();
    out.extend(std::iter::repeat_n(' ', width.saturating_sub(text.width())));
    out
}

fn to_json<T: Serialize>(value: &T) -> String {
    let mut out = serde_json::to_string_pretty(value).unwrap_or_default();
    out.push('\n');
    out
}

// ---------------------------------------------------------------------------------------
// Templates

// ---------------------------------------------------------------------------------------
// Explain

/// The documentation of one rule, or `None` when no rule has that id.
pub fn explain_doc(rules: &RuleSet, id: &str, lang: Lang) -> Option<ExplainDoc> {
    if let Some(rule) = rules.get(id) {
        let render = |t: &Text| describe(t.get(lang), &rule.params);
        let mut messages = vec![render(&rule.message)];
        let mut other_fixes = Vec::new();
        for m in &rule.matchers {
            for (text, list) in [(&m.message, &mut messages), (&m.fix, &mut other_fixes)] {
                if let Some(text) = text {
                    let text = render(text);
                    if !list.contains(&text) {
                        list.push(text);
                    }
                }
            }
        }
        let fix = render(&rule.fix);
        other_fixes.retain(|f| *f != fix);
        let secrets = engine::secrets::key_patterns(rules);
        let examples = rule
            .examples
            .iter()
            .map(|e| example_doc(rules, rule, e, &secrets, lang))
            .collect();
        return Some(ExplainDoc {
            rule: rule_doc(rule, lang),
            kind: "rule-file",
            messages,
            other_fixes,
            examples,
        });
    }
    let b = builtin::ALL.iter().find(|b| b.id == id)?;
    Some(ExplainDoc {
        rule: builtin_doc(b, lang),
        kind: "engine",
        messages: vec![],
        other_fixes: vec![],
        examples: vec![],
    })
}

fn example_doc(
    rules: &RuleSet,
    rule: &Rule,
    example: &Example,
    secrets: &[&Regex],
    lang: Lang,
) -> ExampleDoc {
    let patch = patch_value(&example.patch, secrets);
    let mut doc = ExampleDoc {
        title: example.title.get(lang).to_owned(),
        expect: match example.expect {
            Expect::Fail => "fail",
            Expect::Pass => "pass",
        },
        at: example.at.clone(),
        also: example.also.clone(),
        as_of: example.as_of.map(|d| d.to_string()),
        patch,
        items: vec![],
        with_file: None,
        finding: None,
        problem: None,
    };
    let Some(base) = &rules.example_base else {
        doc.problem = Some(match lang {
            Lang::Ja => format!("規則フォルダに {EXAMPLE_BASE} がありません"),
            Lang::En => format!("the rule folder has no {EXAMPLE_BASE}"),
        });
        return doc;
    };
    let built = examples::build(base, &example.patch).and_then(|first| {
        let second = example
            .with_file
            .as_ref()
            .map(|p| examples::build(base, p))
            .transpose()?;
        Ok((first, second))
    });
    let (first, second) = match built {
        Ok(docs) => docs,
        Err(problem) => {
            doc.problem = Some(problem);
            return doc;
        }
    };
    doc.items = fragments(&doc.patch, &first, secrets);
    if doc.items.is_empty()
        && let Some(at) = &example.at
    {
        // The first file is the base itself (a cross-file example): show where it fires.
        doc.items = fragments_at(std::iter::once((at.as_str(), false)), &first, secrets);
    }
    if let (Some(patch), Some(second)) = (&example.with_file, &second) {
        let patch = patch_value(patch, secrets);
        doc.with_file = Some(OtherFile {
            items: fragments(&patch, second, secrets),
            patch,
        });
    }
    if example.expect == Expect::Fail {
        doc.finding = finding_message(rules, base, rule, example, first, second, lang);
    }
    doc
}

/// The message of the finding a failing example produces, by checking it as `rurume check`
/// would.
fn finding_message(
    rules: &RuleSet,
    base: &Value,
    rule: &Rule,
    example: &Example,
    first: Value,
    second: Option<Value>,
    lang: Lang,
) -> Option<String> {
    let inventory = |name: &str, doc: Value| {
        Inventory::from_text(
            name.to_owned(),
            serde_json::to_string_pretty(&doc).unwrap_or_default(),
        )
    };
    let mut inventories = vec![inventory("example.json", first)];
    inventories.extend(second.map(|doc| inventory("other.json", doc)));
    let as_of = example
        .as_of
        .unwrap_or_else(|| examples::default_as_of(base));
    let report = engine::check(inventories, rules, as_of);
    let at = example.at.as_deref()?;
    report
        .files
        .iter()
        .filter(|f| f.display == "example.json")
        .flat_map(|f| &f.findings)
        .map(|l| &l.finding)
        .find(|f| f.rule == rule.id && f.pointer == at)
        .map(|f| f.message(lang).into_owned())
}

fn patch_value(patch: &json_patch::Patch, secrets: &[&Regex]) -> Value {
    let mut value = serde_json::to_value(patch).unwrap_or(Value::Null);
    if let Value::Array(ops) = &mut value {
        for op in ops {
            let key = op
                .get("path")
                .and_then(Value::as_str)
                .and_then(last_key)
                .map(str::to_owned);
            if let Some(v) = op.get_mut("value") {
                mask(v, key.as_deref(), secrets);
            }
        }
    }
    value
}

/// The member name a patch path ends in (skipping array indices), as a secret scan sees it.
fn last_key(path: &str) -> Option<&str> {
    path.rsplit('/')
        .find(|t| *t != "-" && !t.chars().all(|c| c.is_ascii_digit()))
}

/// Replaces every string under a key that looks like a password by the mask.
fn mask(value: &mut Value, key: Option<&str>, secrets: &[&Regex]) {
    let secret_key = key.is_some_and(|k| {
        let k = k.replace("~1", "/").replace("~0", "~");
        secrets.iter().any(|p| p.is_match(&k))
    });
    match value {
        Value::String(s) if secret_key => *s = MASK.to_owned(),
        Value::Array(items) => items.iter_mut().for_each(|v| mask(v, key, secrets)),
        Value::Object(members) => {
            for (k, v) in members.iter_mut() {
                mask(v, Some(k), secrets);
            }
        }
        _ => {}
    }
}

/// The items a patch touches, as they are after it: an element of a top-level array
/// (`/accounts/1`, `/exceptions/0`) or a top-level object (`/facility`). An element that
/// the patch removes is not shown; an item inside another one shown is not shown again.
fn fragments(patch: &Value, doc: &Value, secrets: &[&Regex]) -> Vec<Fragment> {
    let paths = patch.as_array().into_iter().flatten().filter_map(|op| {
        let path = op.get("path").and_then(Value::as_str)?;
        Some((path, op.get("op").and_then(Value::as_str) == Some("remove")))
    });
    fragments_at(paths, doc, secrets)
}

fn fragments_at<'a>(
    paths: impl Iterator<Item = (&'a str, bool)>,
    doc: &Value,
    secrets: &[&Regex],
) -> Vec<Fragment> {
    let mut pointers: Vec<String> = Vec::new();
    for (path, removed) in paths {
        let Some(item) = item_pointer(path, removed, doc) else {
            continue;
        };
        if doc.pointer(&item).is_some() && !pointers.contains(&item) {
            pointers.push(item);
        }
    }
    let kept: Vec<String> = pointers
        .iter()
        .filter(|p| {
            !pointers
                .iter()
                .any(|q| q != *p && pointer::is_at_or_under(p, q))
        })
        .cloned()
        .collect();
    kept.into_iter()
        .map(|p| {
            let mut value = doc.pointer(&p).cloned().unwrap_or(Value::Null);
            let key = last_key(&p).map(str::to_owned);
            mask(&mut value, key.as_deref(), secrets);
            Fragment { pointer: p, value }
        })
        .collect()
}

/// The item a path lies in; `None` when the path removes the item itself.
fn item_pointer(path: &str, removed: bool, doc: &Value) -> Option<String> {
    let tokens: Vec<&str> = path.split('/').skip(1).collect();
    let [top, rest @ ..] = tokens.as_slice() else {
        return Some(String::new());
    };
    let top_pointer = format!("/{top}");
    Some(match (doc.pointer(&top_pointer), rest.first()) {
        (Some(Value::Array(items)), Some(&"-")) => {
            format!("{top_pointer}/{}", items.len().saturating_sub(1))
        }
        (Some(Value::Array(_)), Some(_)) if removed && rest.len() == 1 => return None,
        (Some(Value::Array(_)), Some(index)) => format!("{top_pointer}/{index}"),
        _ => top_pointer,
    })
}

/// `rurume explain --format json`.
pub fn explain_json(doc: &ExplainDoc) -> String {
    to_json(doc)
}

/// `rurume explain`: Markdown, like `ruff rule`.
pub fn explain_human(doc: &ExplainDoc, lang: Lang) -> String {
    let t = |ja: &'static str, en: &'static str| lang.pick(ja, en);
    let r = &doc.rule;
    let mut out = format!("# {} ({})\n\n", r.title, r.id);
    let severity = match (lang, r.severity) {
        (Lang::Ja, Severity::Error) => "error（エラー）",
        (Lang::Ja, Severity::Warning) => "warning（警告）",
        (Lang::En, s) => s.as_str(),
    };
    out.push_str(&format!("{}: {severity}\n", t("重大度", "Severity")));
    out.push_str(&format!("{}: {}\n", t("根拠", "Source"), r.source));
    if let Some(profile) = &r.profile {
        out.push_str(&format!("{}: {profile}\n", t("プロファイル", "Profile")));
    }
    out.push('\n');

    out.push_str(t("## ポリシーの条文\n\n", "## Policy\n\n"));
    match &r.policy {
        Some(policy) => out.push_str(&format!("> {policy}\n\n")),
        None => out.push_str(t(
            "ポリシーの条文ではなく、rurume 自身の点検です。台帳は UTF-8 の JSON で、`schemas/inventory.schema.json`（`rurume schema` で表示）の形式に従う必要があります。\n\n",
            "Not an article of the policy: rurume's own check. An inventory is UTF-8 JSON that follows `schemas/inventory.schema.json` (printed by `rurume schema`).\n\n",
        )),
    }

    out.push_str(t("## なぜ問題か\n\n", "## Why it matters\n\n"));
    out.push_str(&format!("{}\n\n", r.why));

    out.push_str(t("## 直し方\n\n", "## How to fix\n\n"));
    out.push_str(&format!("{}\n\n", r.fix));
    if !doc.other_fixes.is_empty() {
        out.push_str(t("場合によっては:\n\n", "In particular cases:\n\n"));
        for fix in &doc.other_fixes {
            out.push_str(&format!("- {fix}\n"));
        }
        out.push('\n');
    }

    if !doc.messages.is_empty() {
        out.push_str(t("## 指摘の文面\n\n", "## Message\n\n"));
        for message in &doc.messages {
            out.push_str(&format!("- {message}\n"));
        }
        out.push_str(t(
            "\n（<…> には台帳の値が入ります）\n\n",
            "\n(<…> stands for a value of the inventory)\n\n",
        ));
    }

    if !r.params.is_empty() {
        out.push_str(t("## パラメータ\n\n", "## Parameters\n\n"));
        for (name, value) in &r.params {
            match value {
                Value::Array(items) => {
                    out.push_str(&format!("- `{name}`:\n"));
                    for item in items {
                        // A row of a table (`lookup`) is shown whole, as JSON.
                        let shown = match item {
                            Value::Object(_) => item.to_string(),
                            _ => crate::engine::template::display(Some(item)),
                        };
                        out.push_str(&format!("  - `{shown}`\n"));
                    }
                }
                Value::String(s) => out.push_str(&format!("- `{name}` = `{s}`\n")),
                v => out.push_str(&format!("- `{name}` = {v}\n")),
            }
        }
        out.push('\n');
    }

    if doc.kind == "engine" {
        out.push_str(t("## 例\n\n", "## Examples\n\n"));
        out.push_str(t(
            "rurume 自身の規則のため、規則ファイルと例はありません。\n",
            "The engine's own rule: it has no rule file and no examples.\n",
        ));
        return out;
    }
    for (expect, heading) in [
        ("fail", t("## 違反となる例\n\n", "## Failing examples\n\n")),
        (
            "pass",
            t("## 違反とならない例\n\n", "## Passing examples\n\n"),
        ),
    ] {
        let selected: Vec<_> = doc.examples.iter().filter(|e| e.expect == expect).collect();
        if selected.is_empty() {
            continue;
        }
        out.push_str(heading);
        for example in selected {
            example_human(&mut out, example, lang);
        }
    }
    while out.ends_with("\n\n") {
        out.pop();
    }
    out
}

fn example_human(out: &mut String, e: &ExampleDoc, lang: Lang) {
    let t = |ja: &'static str, en: &'static str| lang.pick(ja, en);
    out.push_str(&format!("### {}\n\n", e.title));
    let code_list = |ids: &[String]| {
        ids.iter()
            .map(|id| format!("`{id}`"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    match (e.expect, &e.at) {
        ("fail", Some(at)) => {
            out.push_str(&match lang {
                Lang::Ja => format!("期待: 違反（`{at}` で検出）"),
                Lang::En => format!("Expect: fail, at `{at}`"),
            });
            if !e.also.is_empty() {
                out.push_str(&match lang {
                    Lang::Ja => format!("。ほかに検出されてよい規則: {}", code_list(&e.also)),
                    Lang::En => format!("; may also fire {}", code_list(&e.also)),
                });
            }
        }
        ("fail", None) => out.push_str(t("期待: 違反", "Expect: fail")),
        _ => out.push_str(t("期待: 違反なし", "Expect: pass")),
    }
    out.push('\n');
    if let Some(as_of) = &e.as_of {
        out.push_str(&format!("{}: {as_of}\n", t("評価日", "Evaluated as of")));
    }
    out.push('\n');
    out.push_str(&match lang {
        Lang::Ja => format!("`{EXAMPLE_BASE}` に当てるパッチ（RFC 6902）:\n\n"),
        Lang::En => format!("Patch (RFC 6902) applied to `{EXAMPLE_BASE}`:\n\n"),
    });
    patch_block(out, &e.patch);
    if e.problem.is_none() {
        fragments_human(out, &e.items, lang);
    }
    if let Some(other) = &e.with_file {
        out.push_str(t(
            "一緒に点検する2つ目の台帳（同じ見本にこのパッチを当てたもの）:\n\n",
            "Checked together with a second file, the base with this patch:\n\n",
        ));
        patch_block(out, &other.patch);
        fragments_human(out, &other.items, lang);
    }
    if let Some(finding) = &e.finding {
        out.push_str(&format!("{}: {finding}\n\n", t("指摘", "Finding")));
    }
    if let Some(problem) = &e.problem {
        out.push_str(&format!(
            "{}: {problem}\n\n",
            t("表示できません", "Cannot show")
        ));
    }
}

fn patch_block(out: &mut String, patch: &Value) {
    out.push_str("```json\n");
    match patch.as_array() {
        Some(ops) if ops.is_empty() => out.push_str("[]\n"),
        Some(ops) => {
            out.push_str("[\n");
            for (i, op) in ops.iter().enumerate() {
                let comma = if i + 1 < ops.len() { "," } else { "" };
                out.push_str(&format!("  {}{comma}\n", inline_json(op)));
            }
            out.push_str("]\n");
        }
        None => out.push_str(&format!("{}\n", inline_json(patch))),
    }
    out.push_str("```\n\n");
}

fn fragments_human(out: &mut String, items: &[Fragment], lang: Lang) {
    if items.is_empty() {
        out.push_str(lang.pick(
            "（見本の台帳そのまま）\n\n",
            "(the example base, unchanged)\n\n",
        ));
    }
    for f in items {
        let pointer = if f.pointer.is_empty() {
            "/"
        } else {
            &f.pointer
        };
        out.push_str(&match lang {
            Lang::Ja => format!("パッチ適用後の `{pointer}`:\n\n"),
            Lang::En => format!("`{pointer}` after the patch:\n\n"),
        });
        out.push_str("```json\n");
        pretty(out, &f.value, 0);
        out.push_str("\n```\n\n");
    }
}

/// Pretty JSON in the style of `example-base.json`: `id` first, and an object or array of
/// plain values on one line when it is short.
fn pretty(out: &mut String, value: &Value, indent: usize) {
    let flat = |v: &Value| !matches!(v, Value::Object(_) | Value::Array(_));
    let compact = match value {
        Value::Object(m) => m.values().all(flat),
        Value::Array(a) => a.iter().all(flat),
        _ => true,
    };
    let inline = inline_json(value);
    if compact && indent + inline.width() <= 100 {
        out.push_str(&inline);
        return;
    }
    let inner = " ".repeat(indent + 2);
    match value {
        Value::Object(members) => {
            let mut keys: Vec<&String> = members.keys().collect();
            keys.sort_by_key(|k| *k != "id");
            out.push_str("{\n");
            for (i, key) in keys.iter().enumerate() {
                out.push_str(&format!("{inner}{}: ", Value::String((*key).clone())));
                pretty(out, &members[*key], indent + 2);
                out.push_str(if i + 1 < keys.len() { ",\n" } else { "\n" });
            }
        }
        Value::Array(items) => {
            out.push_str("[\n");
            for (i, item) in items.iter().enumerate() {
                out.push_str(&inner);
                pretty(out, item, indent + 2);
                out.push_str(if i + 1 < items.len() { ",\n" } else { "\n" });
            }
        }
        _ => {}
    }
    out.push_str(&" ".repeat(indent));
    out.push(if value.is_object() { '}' } else { ']' });
}

/// JSON on one line, spaced for reading: `{ "op": "add", "path": "/x", "value": [1, 2] }`.
fn inline_json(value: &Value) -> String {
    match value {
        Value::Object(members) if members.is_empty() => "{}".to_owned(),
        Value::Object(members) => {
            let mut members: Vec<_> = members.iter().collect();
            members.sort_by_key(|(k, _)| *k != "id");
            let inner: Vec<String> = members
                .iter()
                .map(|(k, v)| format!("{}: {}", Value::String((*k).clone()), inline_json(v)))
                .collect();
            format!("{{ {} }}", inner.join(", "))
        }
        Value::Array(items) => {
            let inner: Vec<String> = items.iter().map(inline_json).collect();
            format!("[{}]", inner.join(", "))
        }
        v => v.to_string(),
    }
}

// ---------------------------------------------------------------------------------------
// rules test

/// How one example (or a rule as a whole) behaved under `rurume rules test`.
#[derive(Debug, Clone, Serialize)]
pub struct ExampleOutcome {
    pub rule: String,
    /// The example's title; `null` for a problem of the rule as a whole.
    pub example: Option<String>,
    pub expect: Option<&'static str>,
    pub ok: bool,
    pub problem: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct TestRun {
    pub outcomes: Vec<ExampleOutcome>,
    pub passed: usize,
    pub failed: usize,
}

/// Runs every example of the rule set and pairs each with its result.
pub fn test_run(rules: &RuleSet, lang: Lang) -> TestRun {
    let mut mismatches: Vec<Mismatch> = examples::run_all(rules);
    let mut outcomes = Vec::new();
    for rule in &rules.rules {
        // Problems of the rule as a whole come first (`example` is blank).
        while let Some(i) = mismatches
            .iter()
            .position(|m| m.rule == rule.id && m.example.is_empty())
        {
            let m = mismatches.remove(i);
            outcomes.push(ExampleOutcome {
                rule: m.rule,
                example: None,
                expect: None,
                ok: false,
                problem: Some(m.problem),
            });
        }
        if rules.example_base.is_none() {
            continue;
        }
        for example in &rule.examples {
            let problem = mismatches
                .iter()
                .position(|m| m.rule == rule.id && m.example == example.title.en)
                .map(|i| mismatches.remove(i).problem);
            outcomes.push(ExampleOutcome {
                rule: rule.id.clone(),
                example: Some(example.title.get(lang).to_owned()),
                expect: Some(match example.expect {
                    Expect::Fail => "fail",
                    Expect::Pass => "pass",
                }),
                ok: problem.is_none(),
                problem,
            });
        }
    }
    // Anything not paired above (it should not happen) is still reported.
    outcomes.extend(mismatches.into_iter().map(|m| ExampleOutcome {
        rule: m.rule,
        example: (!m.example.is_empty()).then_some(m.example),
        expect: None,
        ok: false,
        problem: Some(m.problem),
    }));
    let passed = outcomes.iter().filter(|o| o.ok).count();
    TestRun {
        failed: outcomes.len() - passed,
        passed,
        outcomes,
    }
}

/// `rurume rules test`: one line per example, then `N passed, M failed` as the last line
/// (the same words in both languages, for CI logs).
pub fn test_human(run: &TestRun, lang: Lang) -> String {
    let w_rule = run
        .outcomes
        .iter()
        .map(|o| o.rule.width())
        .max()
        .unwrap_or(0);
    let mut out = String::new();
    for o in &run.outcomes {
        let status = if o.ok { "ok    " } else { "FAILED" };
        let example = o
            .example
            .as_deref()
            .unwrap_or(lang.pick("（規則全体）", "(the rule)"));
        let mut line = format!("{status}  {}  {example}", pad(&o.rule, w_rule));
        if let Some(problem) = &o.problem {
            line.push_str(" — ");
            line.push_str(problem);
        }
        out.push_str(&line);
        out.push('\n');
    }
    out.push_str(&format!("{} passed, {} failed\n", run.passed, run.failed));
    out
}

pub fn test_json(run: &TestRun) -> String {
    to_json(run)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn templates_show_params_and_mark_paths() {
        let params = Params::from([
            ("min".to_owned(), json!(8)),
            ("apps".to_owned(), json!(["a", "b"])),
        ]);
        assert_eq!(
            describe(
                "{name} {password/length|—} {$min} {$apps} {{x}} {value}",
                &params
            ),
            "<name> <password/length> 8 a, b {x} <value>"
        );
        assert_eq!(describe("日本語 {../../id}", &params), "日本語 <../../id>");
    }

    #[test]
    fn fragments_are_the_touched_items_after_the_patch() {
        let doc = json!({
            "facility": { "approved_apps": ["x", "y"] },
            "accounts": [ { "id": "a1" }, { "id": "a2", "password": "hunter2" } ],
            "exceptions": [ { "rule": "r" } ],
        });
        let patch = json!([
            { "op": "replace", "path": "/accounts/1/password", "value": "hunter2" },
            { "op": "add", "path": "/accounts/1/x", "value": 1 },
            { "op": "add", "path": "/exceptions/-", "value": {} },
            { "op": "add", "path": "/facility/approved_apps/-", "value": "y" },
            { "op": "remove", "path": "/accounts/0" },
        ]);
        let key = Regex::new("(?i)password").unwrap();
        let items = fragments(&patch, &doc, &[&key]);
        let pointers: Vec<_> = items.iter().map(|f| f.pointer.as_str()).collect();
        assert_eq!(pointers, ["/accounts/1", "/exceptions/0", "/facility"]);
        assert_eq!(items[0].value["password"], MASK);
        let mut op = patch[0].clone();
        mask(&mut op["value"], last_key("/accounts/1/password"), &[&key]);
        assert_eq!(op["value"], MASK);
    }

    #[test]
    fn table_columns_align_with_double_width_text() {
        let rules = RuleSet::builtin().unwrap();
        let table = rules_table(&rules, Lang::Ja);
        let title_columns: std::collections::BTreeSet<usize> = table
            .lines()
            .map(|line| {
                let doc = rule_docs(&rules, Lang::Ja)
                    .into_iter()
                    .find(|d| line.starts_with(&format!("{} ", d.id)))
                    .unwrap();
                line[..line.rfind(&doc.title).unwrap()].width()
            })
            .collect();
        assert_eq!(title_columns.len(), 1, "{table}");
    }
}
