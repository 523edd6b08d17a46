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

use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;
use std::sync::Arc;

use jiff::civil::Date;
use rayon::prelude::*;
use serde_json::Value;

use crate::finding::{Finding, Words};
use crate::inventory::spans::{LineCol, LineIndex, Span};
use crate::inventory::walk::Candidate;
use crate::inventory::{Inventory, pointer, schema};
use crate::rules::condition::{Scope, Selected};
use crate::rules::path::Path as RulePath;
use crate::rules::{Matcher, Rule, RuleSet, Selection, Verdict};
use template::Context;

/// How a secret is shown: always the same, so neither its content nor its length leaks.
pub const MASK: &str = "********";

/// One file after evaluation. The parsed value is gone: what later stages need is here,
/// including the place in the text of every pointer a finding may carry, so that the text
/// itself is kept only when an output shows it.
#[derive(Debug)]
pub struct Evaluated {
    pub display: String,
    pub facility: Facility,
    /// The text, when the output shows source lines.
    pub source: Option<(Arc<str>, LineIndex)>,
    /// Span and line/column of each pointer findings of this file may carry.
    pub places: BTreeMap<String, Place>,
    /// Where parsing stopped, for `inventory-syntax`.
    pub syntax_place: Option<Place>,
    pub secret_spans: Vec<Range<usize>>,
    pub findings: Vec<Finding>,
    /// The file broke the schema, so the policy rules were not evaluated.
    pub rules_skipped: bool,
    pub exceptions: Vec<exceptions::ExceptionRef>,
    /// `exception-unused` findings, kept until we know which exceptions waived something.
    pub unused_candidates: Vec<Finding>,
    /// Candidates of cross-file rules: full entries, or only their digests (see
    /// [`CrossEntries`]).
    pub cross: cross_file::Candidates,
}

/// How much of its cross-file candidates a file keeps after evaluation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CrossEntries {
    /// Everything, with the places of their pointers: for a few files in memory.
    Full,
    /// Digests only: the file is evaluated again if one of them meets another file's.
    Digests,
}

/// A value's span and its start and end as line and column.
pub type Place = (Span, LineCol, LineCol);

/// What outputs say about a facility, read from `facility` when the file has it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Facility {
    pub id: Option<String>,
    pub name: Option<String>,
    pub kind: Option<String>,
}

impl Facility {
    fn of(value: Option<&Value>) -> Facility {
        let get = |key: &str| match value?.pointer(&format!("/facility/{key}"))? {
            Value::String(s) => Some(s.clone()),
            Value::Number(n) => Some(n.to_string()),
            _ => None,
        };
        Facility {
            id: get("id"),
            name: get("name"),
            kind: get("kind"),
        }
    }
}

/// What evaluating one parsed document yields.
#[derive(Debug, Default)]
struct Collected {
    findings: Vec<Finding>,
    /// Pointers of the values `plaintext-password` (or another secret scan) reported.
    secrets: Vec<String>,
    /// Pointers of every string the text shows masked: a superset of `secrets`.
    masked: Vec<String>,
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
    /// Where the value starts: the line and column every output prints.
    pub position: LineCol,
    /// Where the value ends (exclusive).
    pub end: LineCol,
}

/// One file of a finished report.
#[derive(Debug)]
pub struct FileReport {
    pub display: String,
    /// `facility.id`, when the file has one.
    pub facility: Option<String>,
    pub facility_name: Option<String>,
    pub facility_kind: Option<String>,
    /// The file's text — empty unless the report was made for an output that shows it.
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
/// The report keeps each file's text.
pub fn check(mut inventories: Vec<Inventory>, rules: &RuleSet, as_of: Date) -> Report {
    inventories.sort_by(|a, b| a.display.cmp(&b.display));
    let evaluated = inventories
        .into_par_iter()
        .map(|inv| evaluate(inv, rules, as_of, true, CrossEntries::Full))
        .collect();
    conclude(evaluated, rules, as_of, None)
}

/// Reads and evaluates files in parallel, calling `tick` after each (for a progress bar).
/// With `keep_text` false, memory stays bounded by a small summary per file.
pub fn check_files(
    candidates: &[Candidate],
    rules: &RuleSet,
    as_of: Date,
    keep_text: bool,
    tick: &(dyn Fn() + Sync),
) -> Report {
    let mut candidates: Vec<&Candidate> = candidates.iter().collect();
    candidates.sort_by(|a, b| a.display.cmp(&b.display));
    let evaluated = candidates
        .par_iter()
        .map(|c| {
            let e = evaluate(
                Inventory::load(c),
                rules,
                as_of,
                keep_text,
                CrossEntries::Digests,
            );
            tick();
            e
        })
        .collect();
    let again = |i: usize| {
        let inventory = Inventory::load(candidates[i]);
        evaluate(inventory, rules, as_of, keep_text, CrossEntries::Full)
    };
    conclude(evaluated, rules, as_of, Some(&again))
}

/// What needs every file: cross-file rules, then each file's waivers and positions.
/// `again` evaluates a file anew with full cross-file entries, for the files whose
/// digests meet another file's.
fn conclude(
    mut evaluated: Vec<Evaluated>,
    rules: &RuleSet,
    as_of: Date,
    again: Option<&(dyn Fn(usize) -> Evaluated + Sync)>,
) -> Report {
    if let Some(again) = again {
        let redone: Vec<(usize, Evaluated)> = cross_file::candidates(&evaluated)
            .into_par_iter()
            .map(|i| (i, again(i)))
            .collect();
        for (i, e) in redone {
            evaluated[i] = e;
        }
    }
    cross_file::apply(&mut evaluated, rules);
    let files = evaluated
        .into_par_iter()
        .map(|e| finish(e, rules))
        .collect();
    Report { as_of, files }
}

/// Everything that can be decided from one file alone.
pub fn evaluate(
    inventory: Inventory,
    rules: &RuleSet,
    as_of: Date,
    keep_text: bool,
    cross: CrossEntries,
) -> Evaluated {
    let (c, syntax_offset) = match &inventory.parsed {
        Ok(root) => {
            let defaulted = with_defaults(root, rules);
            (
                evaluate_document(defaulted.as_ref().unwrap_or(root), rules, as_of),
                None,
            )
        }
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
    // Every pointer a finding of this file may end up carrying, and (when the text is
    // shown) every secret string, placed in one pass over the text.
    let cross = cross_file::Candidates::keep(c.cross, cross);
    let pointers: BTreeSet<&str> = c
        .findings
        .iter()
        .chain(&c.unused_candidates)
        .map(|f| f.pointer.as_str())
        .chain(cross.entries().iter().map(|e| e.pointer.as_str()))
        .collect();
    let masked: Vec<&str> = match keep_text {
        true => c
            .secrets
            .iter()
            .chain(&c.masked)
            .map(String::as_str)
            .collect(),
        false => Vec::new(),
    };
    let spans = inventory.locate(pointers.iter().chain(&masked).copied());
    let place = |span: Span| {
        (
            span,
            inventory.line_col(span.start),
            inventory.line_col(span.end),
        )
    };
    let places = pointers
        .iter()
        .filter_map(|p| Some((p.to_string(), place(*spans.get(*p)?))))
        .collect();
    let syntax_place = syntax_offset.map(|o| place(Span::at(o)));
    // Secret spans matter only where the text is shown.
    let mut secret_spans: Vec<Range<usize>> = match &inventory.parsed {
        _ if !keep_text => Vec::new(),
        Ok(_) => masked
            .iter()
            .filter_map(|p| spans.get(*p))
            .map(|s| s.start..s.end)
            .collect(),
        // A file that does not parse has no pointers: its secrets are found in the text.
        Err(_) => secrets::lexical_spans(&inventory.text, &secrets::key_patterns(rules)),
    };
    secret_spans.sort_by_key(|r| (r.start, r.end));
    secret_spans.dedup();
    let facility = Facility::of(inventory.value());
    Evaluated {
        display: inventory.display,
        facility,
        source: keep_text.then_some((inventory.text, inventory.lines)),
        places,
        syntax_place,
        secret_spans,
        findings: c.findings,
        rules_skipped: c.rules_skipped,
        exceptions: c.exceptions,
        unused_candidates: c.unused_candidates,
        cross,
    }
}

/// A configuration's approved-app list for the facility's kind, when the facility does not
/// list its own. `None` when nothing changes (the common case: no copy is made).
fn with_defaults(root: &Value, rules: &RuleSet) -> Option<Value> {
    let facility = root.get("facility")?;
    if rules.approved_apps.is_empty() || facility.get("approved_apps").is_some() {
        return None;
    }
    let apps = rules.approved_apps.get(facility.get("kind")?.as_str()?)?;
    let mut copy = root.clone();
    copy["facility"]["approved_apps"] = apps.iter().map(|a| Value::String(a.clone())).collect();
    Some(copy)
}

fn evaluate_document(root: &Value, rules: &RuleSet, as_of: Date) -> Collected {
    let mut out = Collected::default();
    let scope = Scope::new(root, as_of, &rules.ids);

    // Secrets first: they must be masked in every message, and reported even when the
    // rest of the file cannot be evaluated. What the text shows masked is every string
    // under a member a secret key pattern selects, whether or not the rule reports it.
    let mut secret_hits: Vec<(&Rule, &Matcher, String, &Value)> = Vec::new();
    let mut under_secret_keys: Vec<(String, &Value)> = Vec::new();
    for rule in &rules.rules {
        for m in rule.matchers.iter().filter(|m| m.secret) {
            let items = select(m, &scope);
            if rule.is_secret_scan() {
                secret_hits.extend(
                    items
                        .iter()
                        .filter(|(item, value)| m.when.eval(&scope, item, value))
                        .map(|(item, value)| (rule, m, item.clone(), *value)),
                );
            }
            if let Selection::EachKey(_) = m.selection {
                under_secret_keys.extend(items.iter().cloned());
            }
        }
    }
    out.masked = secrets::strings_under(&under_secret_keys);
    out.secrets = secret_hits
        .iter()
        .map(|(_, _, item, _)| item.clone())
        .collect();
    out.secrets.sort();
    out.secrets.dedup();
    for (rule, matcher, item, value) in &secret_hits {
        let at = nearest_existing(root, item, &matcher.at);
        out.findings.push(rule_finding(
            rule,
            matcher,
            root,
            (item, value),
            &at,
            &out.secrets,
        ));
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
    let selected = select(matcher, scope);
    for (item, value) in selected.iter() {
        let (item, value) = (item.as_str(), *value);
        if !matcher.when.eval(scope, item, value) {
            continue;
        }
        let at = nearest_existing(root, item, &matcher.at);
        let finding =
            |secrets: &[String]| rule_finding(rule, matcher, root, (item, value), &at, secrets);
        match &matcher.verdict {
            Verdict::When => out.findings.push(finding(&out.secrets)),
            Verdict::Unique { key, ignore_case } => {
                let Some(k) = key_of(root, (item, value), key, *ignore_case) else {
                    continue;
                };
                match seen_keys.iter().find(|(seen, _)| *seen == k) {
                    Some((_, first)) => {
                        let mut f = finding(&out.secrets);
                        if let Words::Template { values, .. } = &mut f.words {
                            values.set_other(first);
                        }
                        out.findings.push(f);
                    }
                    None => seen_keys.push((k, describe_item(root, item))),
                }
            }
            Verdict::UniqueAcrossFiles {
                key,
                ignore_case,
                unless_same,
            } => {
                let Some(k) = key_of(root, (item, value), key, *ignore_case) else {
                    continue;
                };
                let person = unless_same.as_ref().map(|p| {
                    key_of(root, (item, value), p, false)
                        .map(|s| normalize_person(&s))
                        .unwrap_or_default()
                });
                let cx = Context {
                    root,
                    item,
                    item_value: value,
                    finding: &at,
                    secrets: &out.secrets,
                };
                let values = matcher.texts.bind(&cx);
                out.cross.push(cross_file::Entry {
                    rule: rule.id.clone(),
                    matcher: index,
                    key: k,
                    person,
                    pointer: at,
                    values,
                });
            }
            Verdict::UnusedException => out.unused_candidates.push(finding(&out.secrets)),
        }
    }
}

/// The value of `key` (a path relative to the item) as text, for duplicate detection.
/// Missing, null and blank values are never duplicates of each other.
fn key_of(
    root: &Value,
    (item, item_value): (&str, &Value),
    key: &RulePath,
    ignore_case: bool,
) -> Option<String> {
    let v = key.lookup(root, item, item_value)?;
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

/// Two accounts are the same person when their names are the same (surrounding spaces
/// aside): the catalogue compares names as written.
fn normalize_person(name: &str) -> String {
    name.trim().to_owned()
}

fn select<'v>(matcher: &Matcher, scope: &Scope<'v>) -> Selected<'v> {
    match &matcher.selection {
        Selection::Each(selector) => scope.select(selector, ""),
        Selection::EachKey(patterns) => {
            secrets::members_matching(scope.root, patterns.iter()).into()
        }
    }
}

/// `at` resolved against the item; when that value is absent, its closest existing
/// ancestor (a missing `screen_lock` is reported on the device).
fn nearest_existing(root: &Value, item: &str, at: &RulePath) -> String {
    let mut p = at.resolve(item).unwrap_or_else(|| item.to_owned());
    while pointer::get(root, &p).is_none() {
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
    (item, item_value): (&str, &Value),
    at: &str,
    secrets: &[String],
) -> Finding {
    let cx = Context {
        root,
        item,
        item_value,
        finding: at,
        secrets,
    };
    Finding {
        rule: rule.id.clone(),
        severity: rule.severity,
        source: rule.source.clone(),
        pointer: at.to_owned(),
        words: Words::Template {
            texts: matcher.texts.clone(),
            values: matcher.texts.bind(&cx),
        },
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
        words: Words::Fixed {
            message,
            fix: rule.fix(),
        },
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

    let first = LineCol { line: 1, column: 1 };
    let start = (Span::at(0), first, first);
    let mut findings: Vec<Located> = std::mem::take(&mut e.findings)
        .into_iter()
        .map(|finding| {
            let (span, position, end) = e
                .syntax_place
                .or_else(|| e.places.get(&finding.pointer).copied())
                .unwrap_or(start);
            Located {
                finding,
                span,
                position,
                end,
            }
        })
        .collect();
    // Unique after the deduplication above: no two findings share rule and pointer.
    findings.sort_by(|a, b| {
        (a.span.start, &a.finding.rule, &a.finding.pointer).cmp(&(
            b.span.start,
            &b.finding.rule,
            &b.finding.pointer,
        ))
    });
    let (text, lines) = e.source.unwrap_or_else(|| ("".into(), LineIndex::new("")));
    FileReport {
        display: e.display,
        facility: e.facility.id,
        facility_name: e.facility.name,
        facility_kind: e.facility.kind,
        text,
        lines,
        findings,
        secret_spans: e.secret_spans,
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
