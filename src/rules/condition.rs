//! The condition vocabulary of rule files: tests on the value at a path of the selected
//! item, combined with `all`, `any` and `not`.
//!
//! Every test says what a missing value means, so that rule authors never have to guess:
//! comparisons (`eq`, `lt`, `matches`, `older_than_days`, …) are false on a missing value,
//! their negations (`ne`, `not_in`) true. Write `{ path = "x", exists = false }` to say
//! "missing" explicitly.

use std::collections::{BTreeMap, BTreeSet};

use jiff::civil::Date;
use regex::{Regex, RegexBuilder};
use serde::Deserialize;
use serde_json::Value;

use super::path::Path;
use super::selector::Selector;
use crate::inventory::document::{Array, Kind, Node};

/// A condition as written in a rule file.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawCondition {
    /// Path of the value tested, relative to the selected item (`password/length`,
    /// `../../status`) or absolute (`/facility/approved_apps`). Absent: the item itself.
    pub path: Option<String>,
    pub all: Option<Vec<RawCondition>>,
    pub any: Option<Vec<RawCondition>>,
    pub not: Option<Box<RawCondition>>,
    pub exists: Option<bool>,
    pub empty: Option<bool>,
    #[serde(rename = "type")]
    pub type_: Option<String>,
    pub eq: Option<toml::Value>,
    pub ne: Option<toml::Value>,
    #[serde(rename = "in")]
    pub in_: Option<toml::Value>,
    pub not_in: Option<toml::Value>,
    pub lt: Option<toml::Value>,
    pub le: Option<toml::Value>,
    pub gt: Option<toml::Value>,
    pub ge: Option<toml::Value>,
    pub matches: Option<toml::Value>,
    pub in_list: Option<String>,
    pub ignore_case: Option<bool>,
    pub older_than_days: Option<toml::Value>,
    pub refers_to: Option<RawRefersTo>,
    pub some: Option<RawQuantifier>,
    pub none: Option<RawQuantifier>,
    pub rule_id: Option<bool>,
    pub rule_of_other_profile: Option<bool>,
    pub lookup: Option<RawLookup>,
}

/// `lookup = { table = "$end_of_support", key = { name = "name", version = "version" },
/// ignore_case = ["name"], date = "date", older_than_days = 0 }`: a row of the table (a list
/// of tables, usually a parameter) whose `key` columns equal the values at those paths
/// (relative to the tested value), and, with `date`, whose date column is more than
/// `older_than_days` (default 0) days before the evaluation date.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawLookup {
    pub table: toml::Value,
    pub key: BTreeMap<String, String>,
    #[serde(default)]
    pub ignore_case: Vec<String>,
    pub date: Option<String>,
    pub older_than_days: Option<toml::Value>,
}

/// One row of a `lookup` table, compiled: the values its key columns must have, and its date.
#[derive(Debug, Clone, PartialEq)]
pub struct LookupRow {
    /// (path relative to the tested value, the row's text, compared ignoring case)
    pub keys: Vec<(Path, String, bool)>,
    pub date: Option<Date>,
}

/// `refers_to = { each = "/accounts/*", key = "id", when = [...] }`: the value equals the
/// `key` of some item of `each` that satisfies `when`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawRefersTo {
    pub each: String,
    pub key: String,
    #[serde(default)]
    pub when: Vec<RawCondition>,
}

/// `some`/`none = { each = "accounts/*", when = [...] }`: whether any selected item satisfies `when`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawQuantifier {
    pub each: String,
    #[serde(default)]
    pub when: Vec<RawCondition>,
}

/// Conditions are equal when they test the same thing the same way: [`share`] gives
/// equal conditions of different matchers one answer per value.
#[derive(Debug, Clone, PartialEq)]
pub enum Condition {
    All(Vec<Condition>),
    Any(Vec<Condition>),
    Not(Box<Condition>),
    Test {
        path: Path,
        test: Test,
    },
    Some {
        each: Selector,
        when: Box<Condition>,
    },
    None {
        each: Selector,
        when: Box<Condition>,
    },
    /// A condition written in several places (`status ne retired` on every device, for
    /// a dozen rules): its answer for a value is remembered by the scope, in `slot`, and
    /// reused by the other places (see [`share`]).
    Shared {
        slot: usize,
        inner: Box<Condition>,
    },
}

#[derive(Debug, Clone, PartialEq)]
pub enum Test {
    Exists(bool),
    Empty(bool),
    Type(JsonKind),
    Eq(Value),
    Ne(Value),
    In {
        values: Vec<Value>,
        ignore_case: bool,
    },
    NotIn {
        values: Vec<Value>,
        ignore_case: bool,
    },
    Compare {
        op: CompareOp,
        limit: f64,
    },
    /// The rule's patterns as one alternation: one search per value.
    Matches(Alternation),
    InList {
        list: Path,
        ignore_case: bool,
    },
    OlderThanDays(i64),
    RefersTo {
        each: Selector,
        key: String,
        when: Box<Condition>,
    },
    RuleId(bool),
    RuleOfOtherProfile(bool),
    Lookup {
        rows: Vec<LookupRow>,
        /// With a date column: how many days before the evaluation date it must be.
        days: Option<i64>,
    },
}

/// A `matches` test's regular expression; two are equal when written the same.
#[derive(Debug, Clone)]
pub struct Alternation(pub Regex);

impl PartialEq for Alternation {
    fn eq(&self, other: &Alternation) -> bool {
        self.0.as_str() == other.0.as_str()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CompareOp {
    Lt,
    Le,
    Gt,
    Ge,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JsonKind {
    Object,
    Array,
    String,
    Number,
    Boolean,
    Null,
}

impl JsonKind {
    fn parse(s: &str) -> Option<JsonKind> {
        Some(match s {
            "object" => JsonKind::Object,
            "array" => JsonKind::Array,
            "string" => JsonKind::String,
            "number" => JsonKind::Number,
            "boolean" => JsonKind::Boolean,
            "null" => JsonKind::Null,
            _ => return None,
        })
    }

    fn of(v: Node) -> JsonKind {
        match v.kind() {
            Kind::Object(_) => JsonKind::Object,
            Kind::Array(_) => JsonKind::Array,
            Kind::String(_) => JsonKind::String,
            Kind::Number(_) => JsonKind::Number,
            Kind::Bool(_) => JsonKind::Boolean,
            Kind::Null => JsonKind::Null,
        }
    }
}

/// Everything a condition may consult besides the item.
pub struct Scope<'a> {
    pub root: Node<'a>,
    pub as_of: Date,
    pub rule_ids: &'a BTreeSet<String>,
    /// The ids of the built-in rules whose profile is not in force.
    pub dormant_ids: &'a BTreeSet<String>,
    /// For each `refers_to`, the keys of the items it accepts: computed once per document,
    /// so that checking every `approved_by` does not rescan every account.
    referents: std::cell::RefCell<foldhash::HashMap<usize, foldhash::HashSet<String>>>,
    /// What each absolute selector selects: many rules select `/accounts/*` or
    /// `/devices/*`, computed once per document.
    selections: std::cell::RefCell<foldhash::HashMap<&'a Selector, Selected<'a>>>,
    /// For `in_list` on a long list: its scalar members as [`scalar_key`]s, by list and
    /// `ignore_case`, so that checking every app against a long approved list stays linear.
    lists: std::cell::RefCell<foldhash::HashMap<(u32, bool), foldhash::HashSet<ScalarKey<'a>>>>,
    /// The answers of shared conditions ([`Condition::Shared`]), by slot: two bits per
    /// value of the document (known, answer), made when the slot is first asked. Empty
    /// unless [`Scope::remembering`]: every condition is then evaluated where it is written.
    memo: Vec<std::cell::OnceCell<Box<[std::cell::Cell<u64>]>>>,
}

/// The bits of a remembered answer ([`Scope::remembered`]).
const KNOWN: u64 = 1;
const TRUE: u64 = 2;

/// Lists up to this long are searched item by item.
const SHORT_LIST: usize = 16;

/// Selected values, shared between the rules that select them.
pub type Selected<'a> = std::rc::Rc<Vec<Node<'a>>>;

impl<'a> Scope<'a> {
    pub fn new(
        root: Node<'a>,
        as_of: Date,
        rule_ids: &'a BTreeSet<String>,
        dormant_ids: &'a BTreeSet<String>,
    ) -> Scope<'a> {
        Scope {
            root,
            as_of,
            rule_ids,
            dormant_ids,
            referents: Default::default(),
            selections: Default::default(),
            lists: Default::default(),
            memo: Vec::new(),
        }
    }

    /// Remembers the answers of the shared conditions of slots below `slots` (a rule set's
    /// [`crate::rules::RuleSet::shared_slots`]) for this document.
    pub fn remembering(mut self, slots: usize) -> Scope<'a> {
        self.memo = (0..slots).map(|_| Default::default()).collect();
        self
    }

    /// The answer of the shared condition of `slot` for `item`: remembered, or `eval`'s.
    fn remembered(&self, slot: usize, item: Node<'a>, eval: impl FnOnce() -> bool) -> bool {
        let Some(table) = self.memo.get(slot) else {
            return eval();
        };
        let words = table.get_or_init(|| {
            let values = item.document().value_count();
            (0..values.div_ceil(32))
                .map(|_| Default::default())
                .collect()
        });
        let id = item.id() as usize;
        let (word, shift) = (&words[id / 32], (id % 32) * 2);
        let bits = word.get() >> shift;
        if bits & KNOWN != 0 {
            return bits & TRUE != 0;
        }
        let answer = eval();
        word.set(word.get() | (KNOWN | if answer { TRUE } else { 0 }) << shift);
        answer
    }

    /// Does the long list `list` hold a scalar equal (as [`loose_eq_nodes`] says) to the
    /// one whose key is `key`?
    fn list_holds(
        &self,
        list: Node<'a>,
        items: Array<'a>,
        ignore_case: bool,
        key: &ScalarKey<'a>,
    ) -> bool {
        let id = (list.id(), ignore_case);
        if let Some(keys) = self.lists.borrow().get(&id) {
            return keys.contains(key);
        }
        let keys: foldhash::HashSet<ScalarKey<'a>> = items
            .iter()
            .filter_map(|x| scalar_key(x, ignore_case))
            .collect();
        let found = keys.contains(key);
        self.lists.borrow_mut().insert(id, keys);
        found
    }

    /// The values `selector` selects, relative to `item` when it is relative.
    pub fn select(&self, selector: &'a Selector, item: Node<'a>) -> Selected<'a> {
        if !selector.is_absolute() {
            return selector.select(self.root, item).into();
        }
        if let Some(found) = self.selections.borrow().get(selector) {
            return found.clone();
        }
        let found: Selected<'a> = selector.select(self.root, self.root).into();
        self.selections.borrow_mut().insert(selector, found.clone());
        found
    }
}

/// A key as text, for set membership (`"a1"` and `a1` are the same id).
fn key_text(v: Node) -> String {
    match v.as_str() {
        Some(s) => s.to_owned(),
        None => v.to_string(),
    }
}

/// Rule parameters, by name, already converted to JSON values.
pub type Params = BTreeMap<String, Value>;

/// Turns `"$name"` into the parameter's value; other values pass through.
pub fn resolve_param(value: &toml::Value, params: &Params) -> Result<Value, String> {
    if let toml::Value::String(s) = value
        && let Some(name) = s.strip_prefix('$')
    {
        return params
            .get(name)
            .cloned()
            .ok_or_else(|| format!("unknown parameter `${name}`"));
    }
    toml_to_json(value)
}

pub fn toml_to_json(value: &toml::Value) -> Result<Value, String> {
    Ok(match value {
        toml::Value::String(s) => Value::String(s.clone()),
        toml::Value::Integer(i) => Value::from(*i),
        toml::Value::Float(f) => serde_json::Number::from_f64(*f)
            .map(Value::Number)
            .ok_or("a number must be finite")?,
        toml::Value::Boolean(b) => Value::Bool(*b),
        toml::Value::Array(items) => {
            Value::Array(items.iter().map(toml_to_json).collect::<Result<_, _>>()?)
        }
        toml::Value::Table(t) => Value::Object(
            t.iter()
                .map(|(k, v)| Ok((k.clone(), toml_to_json(v)?)))
                .collect::<Result<_, String>>()?,
        ),
        toml::Value::Datetime(d) => Value::String(d.to_string()),
    })
}

impl Condition {
    /// `when = [a, b]` is `all = [a, b]`.
    pub fn compile_all(raw: &[RawCondition], params: &Params) -> Result<Condition, String> {
        Ok(Condition::All(
            raw.iter()
                .map(|c| Condition::compile(c, params))
                .collect::<Result<_, _>>()?,
        ))
    }

    pub fn compile(raw: &RawCondition, params: &Params) -> Result<Condition, String> {
        let combinators = [
            raw.all.is_some(),
            raw.any.is_some(),
            raw.not.is_some(),
            raw.some.is_some(),
            raw.none.is_some(),
        ];
        let tests = Self::compile_tests(raw, params)?;
        let count = combinators.iter().filter(|b| **b).count() + tests.len();
        if count != 1 {
            return Err(format!(
                "a condition needs exactly one test or combinator, found {count}; \
                 write several conditions in a list, e.g. when = [{{ path = \"a\", eq = 1 }}, {{ path = \"b\", eq = 2 }}]"
            ));
        }
        let path = Path::parse(raw.path.as_deref().unwrap_or_default());
        let needs_no_path = |what: &str| match &raw.path {
            Some(_) => Err(format!("`{what}` does not take a `path`")),
            None => Ok(()),
        };
        if let Some(list) = &raw.all {
            needs_no_path("all")?;
            return Ok(Condition::All(
                list.iter()
                    .map(|c| Self::compile(c, params))
                    .collect::<Result<_, _>>()?,
            ));
        }
        if let Some(list) = &raw.any {
            needs_no_path("any")?;
            return Ok(Condition::Any(
                list.iter()
                    .map(|c| Self::compile(c, params))
                    .collect::<Result<_, _>>()?,
            ));
        }
        if let Some(inner) = &raw.not {
            needs_no_path("not")?;
            return Ok(Condition::Not(Box::new(Self::compile(inner, params)?)));
        }
        if let Some(q) = raw.some.as_ref().or(raw.none.as_ref()) {
            needs_no_path(if raw.some.is_some() { "some" } else { "none" })?;
            let each = Selector::parse(&q.each)?;
            let when = Box::new(Self::compile_all(&q.when, params)?);
            return Ok(if raw.some.is_some() {
                Condition::Some { each, when }
            } else {
                Condition::None { each, when }
            });
        }
        if raw.ignore_case.is_some()
            && raw.in_.is_none()
            && raw.not_in.is_none()
            && raw.in_list.is_none()
        {
            return Err("`ignore_case` applies to `in`, `not_in` and `in_list` only".into());
        }
        let test = tests.into_iter().next().expect("counted above");
        Ok(Condition::Test { path, test })
    }

    fn compile_tests(raw: &RawCondition, params: &Params) -> Result<Vec<Test>, String> {
        let mut tests = Vec::new();
        let ignore_case = raw.ignore_case.unwrap_or(false);
        if let Some(b) = raw.exists {
            tests.push(Test::Exists(b));
        }
        if let Some(b) = raw.empty {
            tests.push(Test::Empty(b));
        }
        if let Some(t) = &raw.type_ {
            let kind = JsonKind::parse(t).ok_or_else(|| {
                format!("unknown type `{t}`: use object, array, string, number, boolean or null")
            })?;
            tests.push(Test::Type(kind));
        }
        if let Some(v) = &raw.eq {
            tests.push(Test::Eq(resolve_param(v, params)?));
        }
        if let Some(v) = &raw.ne {
            tests.push(Test::Ne(resolve_param(v, params)?));
        }
        for (value, negated) in [(&raw.in_, false), (&raw.not_in, true)] {
            if let Some(v) = value {
                let values = match resolve_param(v, params)? {
                    Value::Array(items) => items,
                    _ => return Err("`in` and `not_in` take a list of values".into()),
                };
                tests.push(if negated {
                    Test::NotIn {
                        values,
                        ignore_case,
                    }
                } else {
                    Test::In {
                        values,
                        ignore_case,
                    }
                });
            }
        }
        for (value, op) in [
            (&raw.lt, CompareOp::Lt),
            (&raw.le, CompareOp::Le),
            (&raw.gt, CompareOp::Gt),
            (&raw.ge, CompareOp::Ge),
        ] {
            if let Some(v) = value {
                let limit = resolve_param(v, params)?
                    .as_f64()
                    .ok_or("`lt`, `le`, `gt` and `ge` compare with a number")?;
                tests.push(Test::Compare { op, limit });
            }
        }
        if let Some(v) = &raw.matches {
            let patterns = match resolve_param(v, params)? {
                Value::String(s) => vec![s],
                Value::Array(items) => items
                    .into_iter()
                    .map(|i| {
                        i.as_str()
                            .map(str::to_owned)
                            .ok_or("`matches` takes a regular expression or a list of them")
                    })
                    .collect::<Result<_, _>>()?,
                _ => return Err("`matches` takes a regular expression or a list of them".into()),
            };
            let alternation = patterns
                .iter()
                .map(|p| format!("(?:{p})"))
                .collect::<Vec<_>>()
                .join("|");
            // Only the alternation is built when every pattern parses alone and the alternation
            // builds; building each pattern alone as well (most of the cost of loading the rules)
            // would find nothing more, as each pattern's automaton is part of the alternation's.
            let built = if patterns.iter().all(|p| surely_parses(p)) {
                Regex::new(&alternation).ok()
            } else {
                None
            };
            let regex = match built {
                Some(regex) => regex,
                None => {
                    // Each pattern alone first, so that an error names the pattern at fault.
                    for p in &patterns {
                        Regex::new(p)
                            .map_err(|e| format!("invalid regular expression `{p}`: {e}"))?;
                    }
                    Regex::new(&alternation)
                        .map_err(|e| format!("invalid regular expression `{alternation}`: {e}"))?
                }
            };
            tests.push(Test::Matches(Alternation(regex)));
        }
        if let Some(list) = &raw.in_list {
            tests.push(Test::InList {
                list: Path::parse(list),
                ignore_case,
            });
        }
        if let Some(v) = &raw.older_than_days {
            let days = resolve_param(v, params)?
                .as_i64()
                .ok_or("`older_than_days` takes a whole number of days")?;
            tests.push(Test::OlderThanDays(days));
        }
        if let Some(r) = &raw.refers_to {
            let each = Selector::parse(&r.each)?;
            tests.push(Test::RefersTo {
                each,
                key: r.key.clone(),
                when: Box::new(Self::compile_all(&r.when, params)?),
            });
        }
        if let Some(b) = raw.rule_id {
            tests.push(Test::RuleId(b));
        }
        if let Some(b) = raw.rule_of_other_profile {
            tests.push(Test::RuleOfOtherProfile(b));
        }
        if let Some(l) = &raw.lookup {
            tests.push(compile_lookup(l, params)?);
        }
        Ok(tests)
    }

    /// Evaluates the condition on the selected value `item` of `scope.root`.
    pub fn eval<'a>(&'a self, scope: &Scope<'a>, item: Node<'a>) -> bool {
        match self {
            Condition::All(list) => list.iter().all(|c| c.eval(scope, item)),
            Condition::Any(list) => list.iter().any(|c| c.eval(scope, item)),
            Condition::Not(inner) => !inner.eval(scope, item),
            Condition::Some { each, when } => scope
                .select(each, item)
                .iter()
                .any(|v| when.eval(scope, *v)),
            Condition::None { each, when } => !scope
                .select(each, item)
                .iter()
                .any(|v| when.eval(scope, *v)),
            Condition::Test { path, test } => test.eval(scope, item, path.lookup(scope.root, item)),
            Condition::Shared { slot, inner } => {
                scope.remembered(*slot, item, || inner.eval(scope, item))
            }
        }
    }

    /// The conditions inside this one (`when` of `some`, `none` and `refers_to`
    /// included), then this one: children before their parent.
    fn visit(&mut self, f: &mut impl FnMut(&mut Condition)) {
        match self {
            Condition::All(list) | Condition::Any(list) => {
                list.iter_mut().for_each(|c| c.visit(f));
            }
            Condition::Not(inner) | Condition::Shared { inner, .. } => inner.visit(f),
            Condition::Some { when, .. } | Condition::None { when, .. } => when.visit(f),
            Condition::Test {
                test: Test::RefersTo { when, .. },
                ..
            } => when.visit(f),
            Condition::Test { .. } => {}
        }
        f(self);
    }
}

/// Makes the conditions written more than once among `conditions` (equal as
/// [`Condition`]'s `==` says: the same test of the same path) [`Condition::Shared`], one
/// slot per distinct condition; a scope [`Scope::remembering`] the slots then evaluates
/// each once per value. Returns how many slots there are.
pub fn share<'c>(conditions: impl Iterator<Item = &'c mut Condition>) -> usize {
    let mut conditions: Vec<&mut Condition> = conditions.collect();
    // Every condition, as written (the trees are small: a rule set has a few hundred).
    let mut all: Vec<Condition> = Vec::new();
    for c in conditions.iter_mut() {
        c.visit(&mut |c| all.push(c.clone()));
    }
    // For each, the slot of its kind when another is equal to it.
    let mut slots: Vec<Option<usize>> = vec![None; all.len()];
    let mut count = 0;
    for i in 0..all.len() {
        if slots[i].is_some() {
            continue;
        }
        let equal: Vec<usize> = (i + 1..all.len()).filter(|&j| all[j] == all[i]).collect();
        if equal.is_empty() {
            continue;
        }
        for j in std::iter::once(i).chain(equal) {
            slots[j] = Some(count);
        }
        count += 1;
    }
    // The same walk, wrapping: a condition's children are wrapped before it is, in the
    // order `all` was made.
    let mut next = 0;
    for c in conditions {
        c.visit(&mut |c| {
            if let Some(slot) = slots[next] {
                let inner = std::mem::replace(c, Condition::All(Vec::new()));
                *c = Condition::Shared {
                    slot,
                    inner: Box::new(inner),
                };
            }
            next += 1;
        });
    }
    count
}

/// Whether `pattern` surely gets past the regex crate's parser, checked at a small part of the
/// cost of building it: with no room allowed for an automaton, a build stops with a size error
/// as soon as it starts compiling one, so only a syntax error reports a pattern that
/// `Regex::new` rejects for its text. The pattern is checked behind a `^`, which keeps the
/// build from looking for literals to search for first (most of the remaining cost) and
/// changes nothing else for the parser, as long as the pattern does not begin with a
/// repetition (which the `^` would then take): such a pattern is not vouched for.
fn surely_parses(pattern: &str) -> bool {
    !pattern.starts_with(['*', '+', '?', '{'])
        && !matches!(
            RegexBuilder::new(&format!("^{pattern}"))
                .size_limit(0)
                .build(),
            Err(regex::Error::Syntax(_))
        )
}

/// A value as equality sees it: numbers by their value, strings optionally without case.
#[derive(Clone, Copy)]
enum Plain<'x> {
    Null,
    Bool(bool),
    Number(Option<f64>),
    String(&'x str),
    /// An array or object: compared as JSON.
    Composite,
}

impl<'x> Plain<'x> {
    fn of_node(n: Node<'x>) -> Plain<'x> {
        match n.kind() {
            Kind::Null => Plain::Null,
            Kind::Bool(b) => Plain::Bool(b),
            Kind::Number(x) => Plain::Number(x.as_f64()),
            Kind::String(s) => Plain::String(s),
            Kind::Array(_) | Kind::Object(_) => Plain::Composite,
        }
    }

    fn of_value(v: &'x Value) -> Plain<'x> {
        match v {
            Value::Null => Plain::Null,
            Value::Bool(b) => Plain::Bool(*b),
            Value::Number(x) => Plain::Number(x.as_f64()),
            Value::String(s) => Plain::String(s),
            Value::Array(_) | Value::Object(_) => Plain::Composite,
        }
    }

    /// `None` when both are composite: the caller compares them as JSON.
    fn eq(self, other: Plain, ignore_case: bool) -> Option<bool> {
        Some(match (self, other) {
            (Plain::String(x), Plain::String(y)) => eq_text(x, y, ignore_case),
            (Plain::Number(x), Plain::Number(y)) => x == y,
            (Plain::Bool(x), Plain::Bool(y)) => x == y,
            (Plain::Null, Plain::Null) => true,
            (Plain::Composite, Plain::Composite) => return None,
            _ => false,
        })
    }
}

/// Text equality, optionally without case.
fn eq_text(x: &str, y: &str, ignore_case: bool) -> bool {
    match ignore_case {
        false => x == y,
        // Two ASCII texts lowercase to ASCII: they compare byte by byte, case aside. (A
        // text that is not ASCII may still lowercase to ASCII, as the Kelvin sign does to
        // `k`: it takes the general path.)
        true if x.is_ascii() && y.is_ascii() => x.eq_ignore_ascii_case(y),
        true => eq_lowercased(x, y),
    }
}

/// Are `x` and `y` equal once lowercased, character by character? Lowercasing a character
/// outside ASCII is a table search: the characters the two texts share (their common
/// start, most often) and pairs of ASCII ones need none, and the texts of a list
/// (`レセコン`, `電子カルテ`, `MCS`) mostly differ at their first character. From the
/// first pair that needs lowercasing on, the rests are lowercased and compared whole (one
/// character may lowercase to several).
fn eq_lowercased(x: &str, y: &str) -> bool {
    let (mut xs, mut ys) = (x.chars(), y.chars());
    loop {
        match (xs.next(), ys.next()) {
            (None, None) => return true,
            (Some(a), Some(b)) if a == b => {}
            (Some(a), Some(b)) if a.is_ascii() && b.is_ascii() => {
                if !a.eq_ignore_ascii_case(&b) {
                    return false;
                }
            }
            (Some(a), Some(b)) => {
                let lowered = |first: char, rest| {
                    std::iter::once(first)
                        .chain::<std::str::Chars>(rest)
                        .flat_map(char::to_lowercase)
                };
                return lowered(a, xs).eq(lowered(b, ys));
            }
            // A character never lowercases to nothing.
            _ => return false,
        }
    }
}

/// A scalar as a set member: two scalars have the same key exactly when [`Plain::eq`] says
/// they are equal (numbers by value, strings optionally without case). `None` for arrays
/// and objects.
fn scalar_key(v: Node<'_>, ignore_case: bool) -> Option<ScalarKey<'_>> {
    Some(match Plain::of_node(v) {
        Plain::Null => ScalarKey::Null,
        Plain::Bool(b) => ScalarKey::Bool(b),
        // `0.0 == -0.0`: both are the key of 0.
        Plain::Number(n) => ScalarKey::Number((n? + 0.0).to_bits()),
        Plain::String(s) if ignore_case => ScalarKey::String(
            s.chars()
                .flat_map(char::to_lowercase)
                .collect::<String>()
                .into(),
        ),
        Plain::String(s) => ScalarKey::String(s.into()),
        Plain::Composite => return None,
    })
}

/// What [`scalar_key`] makes of a scalar.
#[derive(PartialEq, Eq, Hash)]
enum ScalarKey<'a> {
    Null,
    Bool(bool),
    Number(u64),
    String(std::borrow::Cow<'a, str>),
}

/// Equality of a document value and a rule file's value.
fn loose_eq(a: Node, b: &Value, ignore_case: bool) -> bool {
    match b {
        // Most rule values are texts (`status = "retired"`), which only a text equals:
        // the document value's text is all that is needed.
        Value::String(y) => a.as_str().is_some_and(|x| eq_text(x, y, ignore_case)),
        _ => Plain::of_node(a)
            .eq(Plain::of_value(b), ignore_case)
            .unwrap_or_else(|| a.equals(b)),
    }
}

/// Equality of two document values (`in_list`).
fn loose_eq_nodes(a: Node, b: Node, ignore_case: bool) -> bool {
    Plain::of_node(a)
        .eq(Plain::of_node(b), ignore_case)
        .unwrap_or_else(|| a.equals(&b.to_value()))
}

impl Test {
    /// `value` is the value at the condition's path of the selected value `item`.
    fn eval<'a>(&'a self, scope: &Scope<'a>, item: Node<'a>, value: Option<Node<'a>>) -> bool {
        match self {
            Test::Exists(want) => value.is_some_and(|v| !v.is_null()) == *want,
            Test::Empty(want) => is_empty(value) == *want,
            Test::Type(kind) => value.is_some_and(|v| JsonKind::of(v) == *kind),
            Test::Eq(expected) => value.is_some_and(|v| loose_eq(v, expected, false)),
            Test::Ne(expected) => !value.is_some_and(|v| loose_eq(v, expected, false)),
            Test::In {
                values,
                ignore_case,
            } => value.is_some_and(|v| values.iter().any(|x| loose_eq(v, x, *ignore_case))),
            Test::NotIn {
                values,
                ignore_case,
            } => !value.is_some_and(|v| values.iter().any(|x| loose_eq(v, x, *ignore_case))),
            Test::Compare { op, limit } => value.and_then(Node::as_f64).is_some_and(|n| match op {
                CompareOp::Lt => n < *limit,
                CompareOp::Le => n <= *limit,
                CompareOp::Gt => n > *limit,
                CompareOp::Ge => n >= *limit,
            }),
            Test::Matches(regex) => value
                .and_then(Node::as_str)
                .is_some_and(|s| regex.0.is_match(&fold_width(s))),
            Test::InList { list, ignore_case } => {
                let list = list.lookup(scope.root, item);
                match (value, list.and_then(|l| Some((l, l.as_array()?)))) {
                    (Some(v), Some((list, items))) => match items.len() > SHORT_LIST {
                        true => match scalar_key(v, *ignore_case) {
                            Some(key) => scope.list_holds(list, items, *ignore_case, &key),
                            None => items.iter().any(|x| loose_eq_nodes(v, x, *ignore_case)),
                        },
                        false => items.iter().any(|x| loose_eq_nodes(v, x, *ignore_case)),
                    },
                    _ => false,
                }
            }
            Test::OlderThanDays(days) => value
                .and_then(Node::as_str)
                .and_then(|s| s.parse::<Date>().ok())
                .and_then(|d| scope.as_of.since(d).ok())
                .is_some_and(|span| i64::from(span.get_days()) > *days),
            Test::RefersTo { each, key, when } => value.filter(|v| !v.is_null()).is_some_and(|v| {
                let id = self as *const Test as usize;
                if let Some(keys) = scope.referents.borrow().get(&id) {
                    return keys.contains(&key_text(v));
                }
                let keys: foldhash::HashSet<String> = scope
                    .select(each, item)
                    .iter()
                    .filter(|candidate| when.eval(scope, **candidate))
                    .filter_map(|candidate| candidate.get(key).map(key_text))
                    .collect();
                let found = keys.contains(&key_text(v));
                scope.referents.borrow_mut().insert(id, keys);
                found
            }),
            Test::RuleId(want) => {
                value
                    .and_then(Node::as_str)
                    .is_some_and(|s| scope.rule_ids.contains(s))
                    == *want
            }
            Test::Lookup { rows, days } => value.is_some_and(|v| {
                rows.iter().any(|row| {
                    let keys_match = row.keys.iter().all(|(path, text, ignore_case)| {
                        path.lookup(scope.root, v)
                            .and_then(Node::as_str)
                            .is_some_and(|s| {
                                if *ignore_case {
                                    s.to_lowercase() == text.to_lowercase()
                                } else {
                                    s == text
                                }
                            })
                    });
                    let dated = match (row.date, days) {
                        (Some(date), Some(days)) => scope
                            .as_of
                            .since(date)
                            .is_ok_and(|span| i64::from(span.get_days()) > *days),
                        _ => true,
                    };
                    keys_match && dated
                })
            }),
            Test::RuleOfOtherProfile(want) => {
                value
                    .and_then(Node::as_str)
                    .is_some_and(|s| scope.dormant_ids.contains(s))
                    == *want
            }
        }
    }
}

/// A `lookup` test: every row checked now, so that a bad row (a missing key column, a date
/// that is not `YYYY-MM-DD`) is an error of the rule file, never a surprise at run time.
fn compile_lookup(raw: &RawLookup, params: &Params) -> Result<Test, String> {
    let table = match resolve_param(&raw.table, params)? {
        Value::Array(rows) => rows,
        _ => {
            return Err(
                "`lookup`'s `table` is a list of tables (rows), or a parameter holding one".into(),
            );
        }
    };
    if raw.key.is_empty() {
        return Err("`lookup` needs `key = { column = \"path\" }`: which columns to compare with which values".into());
    }
    for column in &raw.ignore_case {
        if !raw.key.contains_key(column) {
            return Err(format!(
                "`lookup`'s `ignore_case` names `{column}`, which is not a `key` column"
            ));
        }
    }
    if raw.older_than_days.is_some() && raw.date.is_none() {
        return Err(
            "`lookup`'s `older_than_days` needs `date`: the column holding the date".into(),
        );
    }
    let days = match (&raw.date, &raw.older_than_days) {
        (None, _) => None,
        (Some(_), None) => Some(0),
        (Some(_), Some(v)) => Some(
            resolve_param(v, params)?
                .as_i64()
                .ok_or("`older_than_days` takes a whole number of days")?,
        ),
    };
    let mut rows = Vec::new();
    for (i, row) in table.iter().enumerate() {
        let n = i + 1;
        let Value::Object(row) = row else {
            return Err(format!("row {n} of the `lookup` table is not a table"));
        };
        let mut keys = Vec::new();
        for (column, path) in &raw.key {
            let Some(Value::String(text)) = row.get(column) else {
                return Err(format!(
                    "row {n} of the `lookup` table has no text in column `{column}`"
                ));
            };
            keys.push((
                Path::parse(path),
                text.clone(),
                raw.ignore_case.contains(column),
            ));
        }
        let date = match &raw.date {
            None => None,
            Some(column) => {
                let text = row.get(column).and_then(Value::as_str).unwrap_or_default();
                Some(parse_date(text).ok_or_else(|| {
                    format!("row {n} of the `lookup` table: `{column}` must be a date written YYYY-MM-DD, not {}", row.get(column).map_or("nothing".to_owned(), Value::to_string))
                })?)
            }
        };
        rows.push(LookupRow { keys, date });
    }
    Ok(Test::Lookup { rows, days })
}

/// A date as inventories and rule files write it: `YYYY-MM-DD`, a real day.
pub fn parse_date(text: &str) -> Option<Date> {
    let b = text.as_bytes();
    let shape = b.len() == 10
        && b.iter().enumerate().all(|(i, c)| {
            if i == 4 || i == 7 {
                *c == b'-'
            } else {
                c.is_ascii_digit()
            }
        });
    shape.then(|| text.parse().ok()).flatten()
}

/// Full-width Latin letters, digits and symbols (Ｗｉｎｎｙ, common in Japanese input) as
/// their half-width forms, so patterns need not spell both.
pub fn fold_width(s: &str) -> std::borrow::Cow<'_, str> {
    let wide = |c: char| ('\u{FF01}'..='\u{FF5E}').contains(&c) || c == '\u{3000}';
    if !s.chars().any(wide) {
        return s.into();
    }
    s.chars()
        .map(|c| match c {
            '\u{3000}' => ' ',
            c if wide(c) => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            c => c,
        })
        .collect::<String>()
        .into()
}

/// Missing, null, blank string, empty list or empty object.
pub fn is_empty(value: Option<Node>) -> bool {
    match value.map(Node::kind) {
        None | Some(Kind::Null) => true,
        Some(Kind::String(s)) => s.trim().is_empty(),
        Some(Kind::Array(a)) => a.is_empty(),
        Some(Kind::Object(o)) => o.is_empty(),
        Some(_) => false,
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn ignoring_case_ascii_or_not() {
        use super::Plain::String as S;
        for (a, b, equal) in [
            ("Winny", "winny", true),
            ("Winny", "winnie", false),
            ("Winny", "Winn", false),
            ("\u{212a}B", "kb", true),
            ("ÉCOLE", "école", true),
            ("Share", "Sharé", false),
            ("レセコン", "レセコン", true),
            ("電子カルテ", "電子薬歴", false),
            ("歯科電子カルテ", "電子カルテ", false),
            ("レセコン", "MCS", false),
            ("ab", "a", false),
            ("", "a", false),
            ("Kelvin \u{212a}", "KELVIN k", true),
            ("\u{212a}elvin", "kELVIN", true),
            ("İ", "i\u{307}", true),
            ("İx", "ix", false),
            // Character by character: no final sigma (`str::to_lowercase` would make one).
            ("ΣΑΣ カルテ", "σασ カルテ", true),
            ("ΣΑΣ カルテ", "σας カルテ", false),
        ] {
            let lowered = |s: &str| s.chars().flat_map(char::to_lowercase).collect::<String>();
            assert_eq!(
                lowered(a) == lowered(b),
                equal,
                "{a} {b}: the cases are right"
            );
            assert_eq!(S(a).eq(S(b), true), Some(equal), "{a} {b}");
            assert_eq!(S(b).eq(S(a), true), Some(equal), "{b} {a}");
        }
        assert_eq!(S("Winny").eq(S("winny"), false), Some(false));
    }

    use super::*;
    use serde_json::json;

    fn cond(toml_text: &str) -> Condition {
        #[derive(Deserialize)]
        struct W {
            when: Vec<RawCondition>,
        }
        let w: W = toml::from_str(toml_text).unwrap();
        let params = Params::from([
            ("limit".to_owned(), json!(5)),
            ("apps".to_owned(), json!(["(?i)winny"])),
        ]);
        Condition::compile_all(&w.when, &params).unwrap()
    }

    fn eval(c: &Condition, doc: &Value, item: &str) -> bool {
        let ids = BTreeSet::from(["antivirus".to_owned(), "mhlw-mfa".to_owned()]);
        let dormant = BTreeSet::from(["mhlw-mfa".to_owned()]);
        let (doc, _) = crate::inventory::parse::parse(doc.to_string().into()).unwrap();
        let scope = Scope::new(doc.root(), "2026-11-26".parse().unwrap(), &ids, &dormant);
        c.eval(&scope, doc.pointer(item).unwrap())
    }

    #[test]
    fn missing_values_follow_the_documented_meaning() {
        let doc = json!({ "a": {} });
        assert!(!eval(
            &cond(r#"when = [{ path = "x", eq = 1 }]"#),
            &doc,
            "/a"
        ));
        assert!(eval(
            &cond(r#"when = [{ path = "x", ne = 1 }]"#),
            &doc,
            "/a"
        ));
        assert!(!eval(
            &cond(r#"when = [{ path = "x", lt = 8 }]"#),
            &doc,
            "/a"
        ));
        assert!(eval(
            &cond(r#"when = [{ path = "x", exists = false }]"#),
            &doc,
            "/a"
        ));
        assert!(eval(
            &cond(r#"when = [{ path = "x", empty = true }]"#),
            &doc,
            "/a"
        ));
        assert!(eval(
            &cond(r#"when = [{ path = "x", not_in = ["a"] }]"#),
            &doc,
            "/a"
        ));
    }

    #[test]
    fn params_comparisons_and_regexes() {
        let doc = json!({ "d": { "m": 15, "apps": ["WinNY 2.0b7.1", "MCS"], "s": "in_use" } });
        assert!(eval(
            &cond(r#"when = [{ path = "m", gt = "$limit" }]"#),
            &doc,
            "/d"
        ));
        assert!(!eval(
            &cond(r#"when = [{ path = "m", le = "$limit" }]"#),
            &doc,
            "/d"
        ));
        assert!(eval(
            &cond(r#"when = [{ matches = "$apps" }]"#),
            &doc,
            "/d/apps/0"
        ));
        assert!(!eval(
            &cond(r#"when = [{ matches = "$apps" }]"#),
            &doc,
            "/d/apps/1"
        ));
        assert!(eval(
            &cond(r#"when = [{ path = "../../s", eq = "in_use" }]"#),
            &doc,
            "/d/apps/1"
        ));
    }

    #[test]
    fn dates_lists_references_and_quantifiers() {
        let doc = json!({
            "approved": ["MCS"],
            "accounts": [ { "id": "a1", "admin": true }, { "id": "a2", "admin": false } ],
            "x": { "old": "2026-11-18", "edge": "2026-11-19", "by": "a2", "by1": "a1", "app": "mcs", "rule": "antivirus" }
        });
        assert!(eval(
            &cond(r#"when = [{ path = "old", older_than_days = 7 }]"#),
            &doc,
            "/x"
        ));
        assert!(!eval(
            &cond(r#"when = [{ path = "edge", older_than_days = 7 }]"#),
            &doc,
            "/x"
        ));
        assert!(eval(
            &cond(r#"when = [{ path = "app", in_list = "/approved", ignore_case = true }]"#),
            &doc,
            "/x"
        ));
        assert!(!eval(
            &cond(r#"when = [{ path = "app", in_list = "/approved" }]"#),
            &doc,
            "/x"
        ));
        let admin = r#"when = [{ path = "PATH", refers_to = { each = "/accounts/*", key = "id", when = [{ path = "admin", eq = true }] } }]"#;
        assert!(eval(&cond(&admin.replace("PATH", "by1")), &doc, "/x"));
        assert!(!eval(&cond(&admin.replace("PATH", "by")), &doc, "/x"));
        assert!(!eval(&cond(&admin.replace("PATH", "nobody")), &doc, "/x"));
        assert!(eval(
            &cond(
                r#"when = [{ none = { each = "/accounts/*", when = [{ path = "id", eq = "a9" }] } }]"#
            ),
            &doc,
            ""
        ));
        assert!(eval(
            &cond(
                r#"when = [{ some = { each = "/accounts/*", when = [{ path = "id", eq = "a2" }] } }]"#
            ),
            &doc,
            ""
        ));
        assert!(eval(
            &cond(r#"when = [{ path = "rule", rule_id = true }]"#),
            &doc,
            "/x"
        ));
        assert!(eval(
            &cond(r#"when = [{ path = "app", rule_id = false }]"#),
            &doc,
            "/x"
        ));
        assert!(!eval(
            &cond(r#"when = [{ path = "rule", rule_of_other_profile = true }]"#),
            &doc,
            "/x"
        ));
        assert!(eval(
            &cond(r#"when = [{ path = "/other", rule_of_other_profile = true }]"#),
            &json!({ "other": "mhlw-mfa", "x": {} }),
            "/x"
        ));
    }

    #[test]
    fn lookup_finds_a_row_by_its_keys_and_date() {
        #[derive(Deserialize)]
        struct W {
            params: toml::Table,
            when: Vec<RawCondition>,
        }
        let compile = |t: &str| {
            let w: W = toml::from_str(t).unwrap();
            let params: Params = w
                .params
                .iter()
                .map(|(k, v)| (k.clone(), toml_to_json(v).unwrap()))
                .collect();
            Condition::compile_all(&w.when, &params)
        };
        let rule = |table: &str| {
            format!(
                "params = {{ eos = [{table}] }}\nwhen = [{{ path = \"os\", lookup = {{ table = \"$eos\", key = {{ name = \"name\", version = \"version\" }}, ignore_case = [\"name\"], date = \"date\" }} }}]"
            )
        };
        let c = compile(&rule(
            r#"{ name = "Windows", version = "10", date = "2025-10-14" }, { name = "Windows", version = "12", date = 2027-01-01 }"#,
        ))
        .unwrap();
        let os = |name: &str, version: &str| json!({ "d": { "os": { "name": name, "version": version } } });
        assert!(eval(&c, &os("windows", "10"), "/d"));
        assert!(eval(&c, &os("WINDOWS", "10"), "/d"));
        // The version exactly as written; a date not yet passed.
        assert!(!eval(&c, &os("Windows", "10.0"), "/d"));
        assert!(!eval(&c, &os("Windows", "12"), "/d"));
        assert!(!eval(&c, &json!({ "d": {} }), "/d"));
        for (bad, says) in [
            (
                r#"{ name = "Windows", version = "7", date = "2020-13-14" }"#,
                "row 1",
            ),
            (
                r#"{ name = "Windows", version = "7", date = "14.01.2020" }"#,
                "YYYY-MM-DD",
            ),
            (
                r#"{ name = "Windows", date = "2020-01-14" }"#,
                "column `version`",
            ),
            (r#""Windows 7""#, "not a table"),
        ] {
            let e = compile(&rule(bad)).unwrap_err();
            assert!(e.contains(says), "{bad}: {e}");
        }
    }

    #[test]
    fn long_lists_answer_as_short_ones() {
        let mut approved: Vec<serde_json::Value> =
            (0..40).map(|i| json!(format!("app{i}"))).collect();
        approved.extend([
            json!("MCS"),
            json!("ΣΑΣ"),
            json!(0),
            json!(2.5),
            json!(true),
            json!(null),
            json!(["MCS"]),
        ]);
        let values = json!([
            "mcs",
            "MCS",
            "σας",
            "app7",
            "app40",
            -0.0,
            0,
            2.5,
            "2.5",
            true,
            false,
            null,
            ["MCS"],
            {}
        ]);
        for ignore_case in [false, true] {
            let when = format!(r#"when = [{{ in_list = "/long", ignore_case = {ignore_case} }}]"#);
            let c = cond(&when);
            for (i, v) in values.as_array().unwrap().iter().enumerate() {
                let doc = json!({ "long": approved, "v": values });
                // Item by item, as a short list is searched.
                let expected = approved.iter().any(|a| {
                    let pair = json!([v, a]).to_string();
                    let (pair, _) = crate::inventory::parse::parse(pair.into()).unwrap();
                    let (v, a) = (pair.pointer("/0").unwrap(), pair.pointer("/1").unwrap());
                    loose_eq_nodes(v, a, ignore_case)
                });
                assert_eq!(
                    eval(&c, &doc, &format!("/v/{i}")),
                    expected,
                    "{v} ignore_case={ignore_case}"
                );
            }
        }
    }

    /// The conditions of a few matchers, several written more than once (alone, inside
    /// `any`/`not`, as a whole `when`, inside `some`), for [`share`].
    const SHARED_WHENS: &[&str] = &[
        r#"when = [{ path = "status", ne = "retired" }, { path = "kind", eq = "pc" }]"#,
        r#"when = [{ path = "status", ne = "retired" }]"#,
        r#"when = [{ path = "status", ne = "retired" }]"#,
        r#"when = [{ path = "status", ne = "retired" }, { any = [{ path = "kind", eq = "pc" }, { path = "lock", exists = false }] }]"#,
        r#"when = [{ not = { path = "kind", eq = "pc" } }, { path = "lock", exists = false }]"#,
        r#"when = [{ any = [{ path = "kind", eq = "pc" }, { path = "lock", exists = false }] }]"#,
        r#"when = [{ path = "../../status", ne = "retired" }, { matches = "$apps" }]"#,
        r#"when = [{ path = "../../status", ne = "retired" }]"#,
        r#"when = [{ some = { each = "apps/*", when = [{ matches = "$apps" }] } }]"#,
        r#"when = [{ path = "lock", lt = "$limit" }, { path = "status", ne = "retired" }]"#,
        r#"when = [{ path = "lock", lt = 5 }]"#,
    ];

    /// One device of [`shared_conditions_answer_as_written`]'s documents.
    fn device() -> impl proptest::strategy::Strategy<Value = Value> {
        use proptest::prelude::*;
        let pick = |values: Vec<Value>| proptest::sample::select(values);
        (
            proptest::option::of(pick(vec![
                json!("in_use"),
                json!("retired"),
                json!(1),
                json!(null),
            ])),
            proptest::option::of(pick(vec![json!("pc"), json!("tablet"), json!(["pc"])])),
            proptest::option::of(pick(vec![json!(3), json!(5), json!(9), json!("3")])),
            proptest::collection::vec(pick(vec![json!("Winny"), json!("MCS"), json!(7)]), 0..3),
        )
            .prop_map(|(status, kind, lock, apps)| {
                let mut d = serde_json::Map::new();
                for (k, v) in [("status", status), ("kind", kind), ("lock", lock)] {
                    if let Some(v) = v {
                        d.insert(k.into(), v);
                    }
                }
                d.insert("apps".into(), Value::Array(apps));
                Value::Object(d)
            })
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(512))]

        /// Shared conditions, asked in any order on a scope that remembers their answers,
        /// answer as the conditions written alone do on a scope that remembers nothing.
        #[test]
        fn shared_conditions_answer_as_written(
            devices in proptest::collection::vec(device(), 0..6),
            order in proptest::collection::vec(0usize..1000, 1..60),
        ) {
            let written: Vec<Condition> = SHARED_WHENS.iter().map(|w| cond(w)).collect();
            let mut shared = written.clone();
            let slots = share(shared.iter_mut());
            proptest::prop_assert!(slots >= 5, "{slots} slots");
            let doc = json!({ "devices": devices });
            let (doc, _) = crate::inventory::parse::parse(doc.to_string().into()).unwrap();
            let ids = BTreeSet::new();
            let plain = Scope::new(doc.root(), "2026-11-26".parse().unwrap(), &ids, &ids);
            let remembering = Scope::new(doc.root(), "2026-11-26".parse().unwrap(), &ids, &ids)
                .remembering(slots);
            // Devices, and their apps (for the `../../status` conditions).
            let items: Vec<Node> = Selector::parse("/devices/*")
                .unwrap()
                .select(doc.root(), doc.root())
                .into_iter()
                .chain(Selector::parse("/devices/*/apps/*").unwrap().select(doc.root(), doc.root()))
                .collect();
            if items.is_empty() {
                return Ok(());
            }
            // Every condition on every item, then again in the drawn order.
            let all = (0..written.len() * items.len()).chain(order);
            for n in all {
                let (c, item) = (n % written.len(), items[n / written.len() % items.len()]);
                proptest::prop_assert_eq!(
                    shared[c].eval(&remembering, item),
                    written[c].eval(&plain, item),
                    "{} on {}", SHARED_WHENS[c], item.pointer()
                );
            }
        }
    }

    #[test]
    fn share_wraps_each_repeated_condition_once() {
        let mut conditions: Vec<Condition> = SHARED_WHENS.iter().map(|w| cond(w)).collect();
        let slots = share(conditions.iter_mut());
        // `status ne retired`, `kind eq pc`, `lock exists false`, their `any`, the
        // `when` of that `status` alone, `../../status ne retired`, `matches`, and
        // `lock lt 5` (written `lt = "$limit"` once: the same test).
        let mut found = Vec::new();
        for c in &mut conditions {
            c.visit(&mut |c| {
                if let Condition::Shared { slot, inner } = c {
                    assert!(!matches!(**inner, Condition::Shared { .. }));
                    found.push(*slot);
                }
            });
        }
        found.sort();
        found.dedup();
        assert_eq!(found, (0..slots).collect::<Vec<_>>());
        assert_eq!(slots, 8, "{conditions:#?}");
    }

    #[test]
    fn matching_folds_full_width_letters() {
        assert_eq!(fold_width("Ｗｉｎｎｙ２　β"), "Winny2 β");
        let doc = json!({ "d": { "apps": ["Ｗｉｎｎｙ"] } });
        assert!(eval(
            &cond(r#"when = [{ matches = "$apps" }]"#),
            &doc,
            "/d/apps/0"
        ));
    }

    #[test]
    fn malformed_conditions_are_explained() {
        #[derive(Deserialize)]
        struct W {
            when: Vec<RawCondition>,
        }
        let compile = |t: &str| {
            let w: W = toml::from_str(t).unwrap();
            Condition::compile_all(&w.when, &Params::new()).unwrap_err()
        };
        assert!(compile(r#"when = [{ path = "a", eq = 1, ne = 2 }]"#).contains("exactly one"));
        assert!(
            compile(r#"when = [{ path = "a", lt = "$nope" }]"#)
                .contains("unknown parameter `$nope`")
        );
        assert!(compile(r#"when = [{ matches = "(" }]"#).contains("invalid regular expression"));
        assert!(compile(r#"when = [{ path = "a", type = "thing" }]"#).contains("unknown type"));
    }

    /// Only the alternation of a `matches` list is built when each pattern surely parses, yet an
    /// error is the one building each pattern alone, then the alternation, reports: patterns
    /// that are wrong alone but not once joined, or that begin with a repetition, comments that
    /// swallow the joining parenthesis, and sizes.
    #[test]
    fn pattern_errors_are_those_of_each_pattern_alone() {
        let error = |patterns: &[&str]| {
            let mut params = Params::new();
            let list = patterns.iter().map(|p| Value::from(*p)).collect();
            params.insert("p".into(), Value::Array(list));
            let raw: RawCondition = toml::from_str(r#"matches = "$p""#).unwrap();
            let built = Condition::compile(&raw, &params).err();
            let alone = patterns
                .iter()
                .find_map(|p| Regex::new(p).err().map(|e| (p.to_string(), e)))
                .or_else(|| {
                    let joined = patterns
                        .iter()
                        .map(|p| format!("(?:{p})"))
                        .collect::<Vec<_>>();
                    let joined = joined.join("|");
                    Regex::new(&joined).err().map(|e| (joined, e))
                })
                .map(|(p, e)| format!("invalid regular expression `{p}`: {e}"));
            assert_eq!(built, alone, "{patterns:?}");
            built
        };
        assert!(error(&["a)|(?:b"]).is_some());
        assert!(error(&["a\\", "b)"]).is_some());
        assert!(error(&["*a"]).is_some());
        assert!(error(&["{2}a", "b"]).is_some());
        assert!(error(&["(?x) a # c", "b"]).is_some());
        assert!(error(&["a{9999}{9999}"]).is_some());
        assert!(error(&["(?-u:\\xFF)"]).is_some());
        assert!(error(&["(?i)winny", "^(?m)a$|b", "(?x) a # c\n"]).is_none());
    }
}
