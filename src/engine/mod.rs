//! Evaluation: rules applied to inventories, cross-file rules over the whole set, then
//! 第10条 exceptions, then positions in the text.
//!
//! The stages are separate so that a file's parsed value is needed only while that file
//! is evaluated: cross-file rules and exceptions work on small summaries.

pub mod builtin;
pub mod cross_file;
pub mod exceptions;
pub mod secrets;
pub mod template;

use std::collections::BTreeSet;
use std::ops::Range;
use std::sync::Arc;

use jiff::civil::Date;
use rayon::prelude::*;
use serde_json::Value;

use crate::finding::Finding;
use crate::inventory::spans::{LineCol, LineIndex, Span};
use crate::inventory::{Inventory, pointer, schema};
use crate::rules::condition::Scope;
use crate::rules::{Matcher, Rule, RuleSet, Selection, Verdict};
use template::Context;

/// How a secret is shown: always the same, so neither its content nor its length leaks.
pub const MASK: &str = "********";

/// One file after evaluation, before positions.
#[derive(Debug)]
pub struct Evaluated {
    pub inventory: Inventory,
    pub findings: Vec<Finding>,
    /// Where parsing stopped, for `inventory-syntax`.
    pub syntax_offset: Option<usize>,
    /// Pointers of values that are secrets (plaintext passwords).
    pub secrets: Vec<String>,
    /// The file broke the schema, so the policy rules were not evaluated.
    pub rules_skipped: bool,
    pub exceptions: Vec<exceptions::ExceptionRef>,
    /// `exception-unused` findings, kept until we know which exceptions waived something.
    pub unused_candidates: Vec<Finding>,
    pub cross: Vec<cross_file::Entry>,
}

/// What evaluating one parsed document yields.
#[derive(Debug, Default)]
struct Collected {
    findings: Vec<Finding>,
    secrets: Vec<String>,
    rules_skipped: bool,
    exceptions: Vec<exceptions::ExceptionRef>,
    unused_candidates: Vec<Finding>,
    cross: Vec<cross_file::Entry>,
}

/// A finding placed in its file.
#[derive(Debug, Clone)]
pub struct Located {
    pub finding: Finding,
    pub span: Span,
    pub position: LineCol,
}

/// One file of a finished report.
#[derive(Debug)]
pub struct FileReport {
    pub display: String,
    pub facility: Option<String>,
    pub text: Arc<str>,
    pub lines: LineIndex,
    pub findings: Vec<Located>,
    /// Byte ranges of secret values in `text`, masked wherever the text is shown.
    pub secret_spans: Vec<Range<usize>>,
    pub rules_skipped: bool,
}

#[derive(Debug)]
pub struct Report {
    pub as_of: Date,
    pub files: Vec<FileReport>,
}

impl Report {
    pub fn findings(&self) -> impl Iterator<Item = (&FileReport, &Located)> {
        self.files
            .iter()
            .flat_map(|f| f.findings.iter().map(move |l| (f, l)))
    }
}

/// Evaluates the files together: per-file rules in parallel, then the cross-file rules,
/// then exceptions. The order of `inventories` does not matter: the report is sorted.
pub fn check(mut inventories: Vec<Inventory>, rules: &RuleSet, as_of: Date) -> Report {
    inventories.sort_by(|a, b| a.display.cmp(&b.display));
    let mut evaluated: Vec<Evaluated> = inventories
        .into_par_iter()
        .map(|inv| evaluate(inv, rules, as_of))
        .collect();
    cross_file::apply(&mut evaluated);
    let files = evaluated
        .into_par_iter()
        .map(|e| finish(e, rules))
        .collect();
    Report { as_of, files }
}

/// Everything that can be decided from one file alone.
pub fn evaluate(inventory: Inventory, rules: &RuleSet, as_of: Date) -> Evaluated {
    let (c, syntax_offset) = match &inventory.parsed {
        Ok(root) => (evaluate_document(root, rules, as_of), None),
        Err(e) => {
            let finding = engine_finding(&builtin::SYNTAX, String::new(), e.message.clone());
            (
                Collected {
                    findings: vec![finding],
                    ..Collected::default()
                },
                Some(e.offset),
            )
        }
    };
    Evaluated {
        inventory,
        findings: c.findings,
        syntax_offset,
        secrets: c.secrets,
        rules_skipped: c.rules_skipped,
        exceptions: c.exceptions,
        unused_candidates: c.unused_candidates,
        cross: c.cross,
    }
}

fn evaluate_document(root: &Value, rules: &RuleSet, as_of: Date) -> Collected {
    let mut out = Collected::default();
    let scope = Scope {
        root,
        as_of,
        rule_ids: &rules.ids,
    };

    // Secrets first: they must be masked in every message, and reported even when the
    // rest of the file cannot be evaluated.
    let secret_rules = || rules.rules.iter().filter(|r| r.is_secret_scan());
    let secret_hits: Vec<(&Rule, &Matcher, String)> = secret_rules()
        .flat_map(|rule| rule.matchers.iter().map(move |m| (rule, m)))
        .flat_map(|(rule, m)| {
            select(m, root)
                .into_iter()
                .map(move |(item, _)| (rule, m, item))
        })
        .filter(|(_, m, item)| m.when.eval(&scope, item))
        .collect();
    out.secrets = secret_hits
        .iter()
        .map(|(_, _, item)| item.clone())
        .collect();
    out.secrets.sort();
    out.secrets.dedup();
    for (rule, matcher, item) in &secret_hits {
        let at = nearest_existing(root, item, &matcher.at);
        out.findings
            .push(rule_finding(rule, matcher, root, item, &at, &out.secrets));
    }

    // A schema error caused by a plaintext password (a string where the `password` object
    // belongs, an unknown `pwd` key) is that rule's finding, not a second one.
    let violations: Vec<_> = schema::validate(root)
        .into_iter()
        .filter(|v| {
            !out.secrets
                .iter()
                .any(|s| pointer::is_at_or_under(&v.pointer, s))
        })
        .collect();
    if !violations.is_empty() {
        out.rules_skipped = true;
        out.findings.extend(
            violations
                .into_iter()
                .map(|v| engine_finding(&builtin::SCHEMA, v.pointer, v.message)),
        );
        return out;
    }

    for rule in rules.rules.iter().filter(|r| !r.is_secret_scan()) {
        for (index, matcher) in rule.matchers.iter().enumerate() {
            evaluate_matcher(rule, index, matcher, &scope, &mut out);
        }
    }
    out.exceptions = exceptions::collect(root);
    out
}

fn evaluate_matcher(
    rule: &Rule,
    index: usize,
    matcher: &Matcher,
    scope: &Scope,
    out: &mut Collected,
) {
    let root = scope.root;
    let mut seen_keys: Vec<(String, String)> = Vec::new();
    for (item, _) in select(matcher, root) {
        if !matcher.when.eval(scope, &item) {
            continue;
        }
        let at = nearest_existing(root, &item, &matcher.at);
        match &matcher.verdict {
            Verdict::When => {
                out.findings
                    .push(rule_finding(rule, matcher, root, &item, &at, &out.secrets))
            }
            Verdict::Unique { key, ignore_case } => {
                let Some(k) = key_of(root, &item, key, *ignore_case) else {
                    continue;
                };
                match seen_keys.iter().find(|(seen, _)| *seen == k) {
                    Some((_, first)) => {
                        let mut f = rule_finding(rule, matcher, root, &item, &at, &out.secrets);
                        f.message = f.message.map(|m| template::fill_other(m, first));
                        out.findings.push(f);
                    }
                    None => seen_keys.push((k, describe_item(root, &item))),
                }
            }
            Verdict::UniqueAcrossFiles {
                key,
                ignore_case,
                unless_same,
            } => {
                let Some(k) = key_of(root, &item, key, *ignore_case) else {
                    continue;
                };
                let person = unless_same.as_ref().map(|p| {
                    key_of(root, &item, p, false)
                        .map(|s| normalize_person(&s))
                        .unwrap_or_default()
                });
                let finding = rule_finding(rule, matcher, root, &item, &at, &out.secrets);
                out.cross.push(cross_file::Entry {
                    rule: rule.id.clone(),
                    matcher: index,
                    key: k,
                    person,
                    finding,
                });
            }
            Verdict::UnusedException => out.unused_candidates.push(rule_finding(
                rule,
                matcher,
                root,
                &item,
                &at,
                &out.secrets,
            )),
        }
    }
}

/// The value of `key` (a path relative to the item) as text, for duplicate detection.
/// Missing, null and blank values are never duplicates of each other.
fn key_of(root: &Value, item: &str, key: &str, ignore_case: bool) -> Option<String> {
    let v = root.pointer(&pointer::resolve(item, key)?)?;
    let s = match v {
        Value::String(s) => s.trim().to_owned(),
        Value::Null => return None,
        other => other.to_string(),
    };
    if s.is_empty() {
        return None;
    }
    Some(if ignore_case { s.to_lowercase() } else { s })
}

/// How a message names another item: its `id` and where it is, e.g. `a8 (/accounts/7)`.
fn describe_item(root: &Value, item: &str) -> String {
    match root
        .pointer(item)
        .and_then(|v| v.get("id"))
        .and_then(Value::as_str)
    {
        Some(id) => format!("{id} ({item})"),
        None => item.to_owned(),
    }
}

/// Names written with or without spaces (half- or full-width) are the same person.
fn normalize_person(name: &str) -> String {
    name.chars().filter(|c| !c.is_whitespace()).collect()
}

fn select<'v>(matcher: &Matcher, root: &'v Value) -> Vec<(String, &'v Value)> {
    match &matcher.selection {
        Selection::Each(selector) => selector.select(root, ""),
        Selection::EachKey(patterns) => {
            let mut out = Vec::new();
            keys_matching(root, String::new(), patterns, &mut out);
            out
        }
    }
}

/// Members at any depth whose key matches; recursion depth is bounded by the parser's limit.
fn keys_matching<'v>(
    value: &'v Value,
    at: String,
    patterns: &[regex::Regex],
    out: &mut Vec<(String, &'v Value)>,
) {
    match value {
        Value::Object(map) => {
            for (k, v) in map {
                let p = pointer::push(&at, k);
                if patterns.iter().any(|r| r.is_match(k)) {
                    out.push((p.clone(), v));
                }
                keys_matching(v, p, patterns, out);
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                keys_matching(v, pointer::push(&at, &i.to_string()), patterns, out);
            }
        }
        _ => {}
    }
}

/// `at` resolved against the item; when that value is absent, its closest existing
/// ancestor (a missing `screen_lock` is reported on the device).
fn nearest_existing(root: &Value, item: &str, at: &str) -> String {
    let mut p = pointer::resolve(item, at).unwrap_or_else(|| item.to_owned());
    while root.pointer(&p).is_none() {
        match pointer::parent(&p) {
            Some(parent) => p = parent.to_owned(),
            None => return String::new(),
        }
    }
    p
}

fn rule_finding(
    rule: &Rule,
    matcher: &Matcher,
    root: &Value,
    item: &str,
    at: &str,
    secrets: &[String],
) -> Finding {
    let cx = Context {
        root,
        item,
        finding: at,
        params: &rule.params,
        secrets,
    };
    Finding {
        rule: rule.id.clone(),
        severity: rule.severity,
        source: rule.source.clone(),
        pointer: at.to_owned(),
        message: matcher
            .message
            .as_ref()
            .unwrap_or(&rule.message)
            .map(|t| template::render(t, &cx)),
        fix: matcher
            .fix
            .as_ref()
            .unwrap_or(&rule.fix)
            .map(|t| template::render(t, &cx)),
        waived_by: None,
    }
}

fn engine_finding(
    rule: &builtin::BuiltinRule,
    pointer: String,
    message: crate::lang::Text,
) -> Finding {
    Finding {
        rule: rule.id.to_owned(),
        severity: rule.severity,
        source: builtin::NO_ARTICLE.to_owned(),
        pointer,
        message,
        fix: rule.fix(),
        waived_by: None,
    }
}

/// Waivers, precedence between rules, duplicates, and positions: the file's final findings.
fn finish(mut e: Evaluated, rules: &RuleSet) -> FileReport {
    apply_yields(&mut e.findings, rules);
    // One finding per rule and place: a duplicate found within the file and across files
    // is one problem to fix.
    let mut seen = BTreeSet::new();
    e.findings
        .retain(|f| seen.insert((f.rule.clone(), f.pointer.clone())));
    exceptions::apply(&mut e, rules);

    let mut wanted: Vec<&str> = e.findings.iter().map(|f| f.pointer.as_str()).collect();
    wanted.extend(e.secrets.iter().map(String::as_str));
    let spans = e.inventory.locate(wanted);
    let mut secret_spans: Vec<Range<usize>> = e
        .secrets
        .iter()
        .filter_map(|p| spans.get(p))
        .map(|s| s.start..s.end)
        .collect();
    secret_spans.extend(secrets::lexical_spans(
        &e.inventory.text,
        &secrets::key_patterns(rules),
    ));
    secret_spans.sort_by_key(|r| (r.start, r.end));
    secret_spans.dedup();
    let inv = &e.inventory;
    let mut findings: Vec<Located> = e
        .findings
        .into_iter()
        .map(|finding| {
            let span = match (e.syntax_offset, spans.get(&finding.pointer)) {
                (Some(offset), _) => Span::at(offset),
                (None, Some(span)) => *span,
                (None, None) => Span::at(0),
            };
            let position = inv.line_col(span.start);
            Located {
                finding,
                span,
                position,
            }
        })
        .collect();
    findings.sort_by(|a, b| {
        (
            a.span.start,
            &a.finding.rule,
            &a.finding.pointer,
            &a.finding.message.en,
        )
            .cmp(&(
                b.span.start,
                &b.finding.rule,
                &b.finding.pointer,
                &b.finding.message.en,
            ))
    });
    let facility = inv.facility_id().map(str::to_owned);
    FileReport {
        display: e.inventory.display,
        facility,
        text: e.inventory.text,
        lines: e.inventory.lines,
        findings,
        secret_spans,
        rules_skipped: e.rules_skipped,
    }
}

/// `yields_to`: a rule's finding gives way to another rule's finding at the same place
/// (an app that is file-sharing software is not also reported as merely unapproved).
fn apply_yields(findings: &mut Vec<Finding>, rules: &RuleSet) {
    let places: BTreeSet<(String, String)> = findings
        .iter()
        .map(|f| (f.rule.clone(), f.pointer.clone()))
        .collect();
    findings.retain(|f| {
        let Some(rule) = rules.get(&f.rule) else {
            return true;
        };
        !rule
            .yields_to
            .iter()
            .any(|other| places.contains(&(other.clone(), f.pointer.clone())))
    });
}
