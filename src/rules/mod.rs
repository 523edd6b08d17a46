//! Rule files: the policy as data.
//!
//! A rule set is a folder of TOML files, one rule per file, named after the rule id, plus
//! `example-base.json`, the compliant inventory that rule examples patch. The built-in set
//! is the project's `rules/` folder, compiled into the binary, laid out by profile: the
//! rules of profile `rurume` in `rules/rurume/`, those of `mhlw` in `rules/mhlw/` (see
//! [`profile`]). The language is documented in `rules/README.md`.

pub mod condition;
pub mod examples;
pub mod path;
pub mod profile;
pub mod selector;

use std::collections::BTreeSet;
use std::path::Path;

use regex::Regex;
use serde::Deserialize;
use serde_json::Value;
use toml::Spanned;

use crate::engine::template::{PageTexts, Texts};
use crate::finding::Severity;
use crate::lang::Text;
use crate::toml_error::{TomlError, TomlErrors, TomlFile};
use condition::{Condition, Params, RawCondition};
use path::Path as RulePath;
use selector::Selector;

/// The rule files shipped in `rules/`, embedded at build time by `build.rs`.
pub(crate) mod builtin {
    include!(concat!(env!("OUT_DIR"), "/builtin_rules.rs"));
}

/// The ids of every built-in rule (a rule file is named after its id).
fn builtin_ids() -> impl Iterator<Item = String> {
    builtin::RULE_FILES.iter().filter_map(|(_, name, _)| {
        Path::new(name)
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
    })
}

/// The built-in checklist mapping, `rules/checklist.toml` (see `crate::checklist`).
pub fn builtin_checklist() -> Option<&'static str> {
    builtin::CHECKLIST
}

/// The name of the example base inventory inside a rule folder.
pub const EXAMPLE_BASE: &str = "example-base.json";

/// The name of the checklist's mapping inside a rule folder (`rules/checklist.toml`).
pub const CHECKLIST: &str = "checklist.toml";

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRule {
    id: Spanned<String>,
    severity: Severity,
    source: String,
    title: Text,
    /// The short name of the audit matrix's column head (see [`validate_short`]).
    short: Option<Spanned<Text>>,
    message: Text,
    fix: Text,
    why: Text,
    /// What the self-check page says instead of `message` / `fix`: the form's labels
    /// rather than field names, pointers or commands.
    page_message: Option<Text>,
    page_fix: Option<Text>,
    /// The words of the policy this rule encodes, quoted (Japanese, as the policy is).
    policy: String,
    #[serde(default)]
    params: toml::Table,
    #[serde(default)]
    voids_exception: bool,
    #[serde(default)]
    yields_to: Vec<Spanned<String>>,
    #[serde(rename = "match")]
    matches: Vec<Spanned<RawMatch>>,
    #[serde(rename = "example", default)]
    examples: Vec<Spanned<RawExample>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawMatch {
    each: Option<String>,
    each_key: Option<String>,
    #[serde(default)]
    when: Vec<RawCondition>,
    at: Option<String>,
    unique: Option<RawUnique>,
    unique_across_files: Option<RawUnique>,
    #[serde(default)]
    unused_exception: bool,
    #[serde(default)]
    secret: bool,
    /// Overrides the rule's `message` for the findings of this match.
    message: Option<Text>,
    /// Overrides the rule's `fix` for the findings of this match.
    fix: Option<Text>,
    /// The page's wording of this match's findings (see the rule's).
    page_message: Option<Text>,
    page_fix: Option<Text>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawUnique {
    key: String,
    #[serde(default)]
    ignore_case: bool,
    unless_same: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawExample {
    title: Text,
    expect: Expect,
    /// A JSON Patch (RFC 6902), as JSON text, applied to `example-base.json`.
    patch: String,
    /// A second file (the base with this patch) checked together with the first.
    with_file: Option<String>,
    at: Option<String>,
    #[serde(default)]
    also: Vec<String>,
    as_of: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Expect {
    Fail,
    Pass,
}

/// How a rule finds its targets.
#[derive(Debug, Clone)]
pub enum Selection {
    /// Values reached by a selector.
    Each(Selector),
    /// Members at any depth whose key matches.
    EachKey(Vec<Regex>),
}

/// What makes a selected item a finding.
#[derive(Debug, Clone)]
pub enum Verdict {
    /// The `when` conditions hold.
    When,
    /// Another item before it in the same file has the same key.
    Unique { key: RulePath, ignore_case: bool },
    /// An item of another file has the same key, and (with `unless_same`) another value there.
    UniqueAcrossFiles {
        key: RulePath,
        ignore_case: bool,
        unless_same: Option<RulePath>,
    },
    /// The selected exception is in force but waived nothing.
    UnusedException,
}

#[derive(Debug, Clone)]
pub struct Matcher {
    pub selection: Selection,
    pub when: Condition,
    /// Where findings point, relative to the item.
    pub at: RulePath,
    pub verdict: Verdict,
    /// The matched value is a secret: it is masked in every output.
    pub secret: bool,
    /// The match's own message and fix, when it has them (as written).
    pub message: Option<Text>,
    pub fix: Option<Text>,
    /// What the page says for its findings, where that differs: the match's own
    /// `page_message`/`page_fix`, else the rule's unless the match words its own.
    pub page: PageTexts,
    /// The texts its findings carry: its own or the rule's, compiled.
    pub texts: std::sync::Arc<Texts>,
}

#[derive(Debug, Clone)]
pub struct Example {
    pub title: Text,
    pub expect: Expect,
    pub patch: json_patch::Patch,
    pub patch_text: String,
    pub with_file: Option<json_patch::Patch>,
    pub at: Option<String>,
    pub also: Vec<String>,
    pub as_of: Option<jiff::civil::Date>,
}

#[derive(Debug, Clone)]
pub struct Rule {
    pub id: String,
    pub severity: Severity,
    pub source: String,
    pub title: Text,
    /// A short name for the audit matrix's column head (`パスワード長`), when the file has one.
    pub short: Option<Text>,
    pub message: Text,
    pub fix: Text,
    pub why: Text,
    pub policy: String,
    pub params: Params,
    pub voids_exception: bool,
    pub yields_to: Vec<String>,
    pub matchers: Vec<Matcher>,
    pub examples: Vec<Example>,
    /// The file it came from, for messages.
    pub file: String,
    /// The file's text: a configuration's parameter values are tried on it
    /// ([`RuleSet::param_problems`]).
    pub text: std::sync::Arc<str>,
    /// The built-in profile it belongs to (`rurume`, `mhlw`); `None` for a rule of
    /// `--rules DIR`.
    pub profile: Option<String>,
}

impl Rule {
    /// Rules that only look for secrets run even on files that break the schema: a
    /// password typed into the wrong place must be reported whatever else is wrong.
    pub fn is_secret_scan(&self) -> bool {
        self.matchers.iter().all(|m| m.secret)
    }

    pub fn is_cross_file(&self) -> bool {
        self.matchers
            .iter()
            .any(|m| matches!(m.verdict, Verdict::UniqueAcrossFiles { .. }))
    }
}

/// Longest `short` name, in characters: a column head of the audit's matrix.
const SHORT_MAX_JA: usize = 10;
const SHORT_MAX_EN: usize = 24;

/// `short = { ja = "パスワード長", en = "Password length" }`: both languages, one line, at
/// most 10 characters in Japanese and 24 in English.
pub(crate) fn validate_short(short: &Text) -> Result<(), String> {
    for (text, lang, max) in [
        (&short.ja, "ja", SHORT_MAX_JA),
        (&short.en, "en", SHORT_MAX_EN),
    ] {
        if text.trim().is_empty() {
            return Err(format!("`short.{lang}` is empty"));
        }
        if text.contains(['\n', '\r']) {
            return Err(format!("`short.{lang}` must be one line"));
        }
        let n = text.chars().count();
        if n > max {
            return Err(format!(
                "`short.{lang}` has {n} characters; a column head has at most {max}"
            ));
        }
    }
    Ok(())
}

/// The rows of a configuration's `{ add = [...] }`: a list parameter extended rather than
/// replaced. `None` for any other value.
pub(crate) fn added_rows(value: &toml::Value) -> Option<&toml::value::Array> {
    match value {
        toml::Value::Table(t) if t.len() == 1 => t.get("add")?.as_array(),
        _ => None,
    }
}

/// What [`RuleSet::param_problems`] found, and where the rows its messages number were
/// counted.
#[derive(Debug, Default)]
pub struct ParamProblems {
    pub problems: Vec<String>,
    pub rows: Rows,
}

/// The list a problem's `row N` counts in.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub enum Rows {
    /// The rows as the configuration writes them (a list replacing the rule's, or the
    /// rows of an `{ add = [...] }` alone).
    #[default]
    AsWritten,
    /// The rule's list with the configuration's rows added after its own.
    Merged,
}

/// Changes a configuration makes to a rule set: parameters (merged before the rules are
/// compiled) and default severities (`None` turns a rule off).
#[derive(Debug, Clone, Default)]
pub struct Tuning {
    pub params: std::collections::BTreeMap<String, toml::Table>,
    pub severity: std::collections::BTreeMap<String, Option<Severity>>,
    /// `facility.approved_apps` for facilities of a kind that do not list their own.
    pub approved_apps: std::collections::BTreeMap<String, Vec<String>>,
    /// The built-in profiles in force (`profiles = [...]`, `--profile`); `None`: the
    /// default, [`profile::DEFAULT`]. Without effect on `--rules DIR`.
    pub profiles: Option<Vec<String>>,
}

impl Tuning {
    /// A parameter value from a configuration: replaces the rule's, or with
    /// `{ add = [...] }` extends a list parameter.
    fn merge(into: &mut toml::Table, overrides: &toml::Table) {
        for (key, value) in overrides {
            match (into.get_mut(key), added_rows(value)) {
                (Some(toml::Value::Array(list)), Some(extra)) => {
                    list.extend(extra.iter().cloned());
                }
                _ => {
                    into.insert(key.clone(), value.clone());
                }
            }
        }
    }
}

/// The rules in force, sorted by id.
#[derive(Debug, Clone)]
pub struct RuleSet {
    pub rules: Vec<Rule>,
    /// Every rule id known: the rules in force, those turned off, and those of the
    /// built-in profiles not in force.
    pub ids: BTreeSet<String>,
    /// The ids of the built-in rules whose profile is not in force: an exception naming
    /// one is left alone (spec mhlw-profile §1).
    pub dormant: BTreeSet<String>,
    /// The rules of the built-in profiles not in force that void exceptions
    /// (`voids_exception`: invalid, expired): still evaluated, so that an exception's
    /// validity is judged whichever profile is in force, but never reported.
    pub voiders: Vec<Rule>,
    /// The profiles in force, in [`RuleSet::available`]'s order; empty for a flat
    /// `--rules DIR`.
    pub profiles: Vec<String>,
    /// The profiles the set has: the built-in ones ([`profile::ALL`]), or the profile
    /// folders of a `--rules DIR` laid out as `rules/` is; empty for a flat folder.
    pub available: Vec<String>,
    /// The checklist's mapping of a `--rules DIR` (its `checklist.toml`); `None`: the
    /// built-in one.
    pub checklist: Option<crate::checklist::Checklist>,
    pub example_base: Option<Value>,
    /// Default `facility.approved_apps` per facility kind (from a configuration).
    pub approved_apps: std::collections::BTreeMap<String, Vec<String>>,
    /// How many distinct conditions the rules write more than once
    /// ([`condition::share`]): a document's scope remembers their answers.
    pub shared_slots: usize,
}

impl RuleSet {
    pub fn builtin() -> Result<RuleSet, TomlErrors> {
        Self::builtin_tuned(&Tuning::default())
    }

    /// The built-in rules of the profiles `tuning` names (the default profile when it
    /// names none).
    pub fn builtin_tuned(tuning: &Tuning) -> Result<RuleSet, TomlErrors> {
        let set = Self::from_sources(
            builtin::RULE_FILES
                .iter()
                .map(|(profile, name, text)| {
                    (
                        (*name).to_owned(),
                        (*text).to_owned(),
                        Some((*profile).to_owned()),
                    )
                })
                .collect(),
            builtin::EXAMPLE_BASE.map(str::to_owned),
            tuning,
        )?;
        let set = RuleSet {
            available: profile::builtin(),
            ..set
        };
        let default = [profile::DEFAULT.to_owned()];
        Ok(set.in_profiles(tuning.profiles.as_deref().unwrap_or(&default)))
    }

    /// The built-in rules of every profile.
    pub fn builtin_all() -> Result<RuleSet, TomlErrors> {
        Self::builtin_tuned(&Tuning {
            profiles: Some(profile::ALL.iter().map(|p| (*p).to_owned()).collect()),
            ..Tuning::default()
        })
    }

    /// Only the rules of these profiles stay in force; the others' ids become dormant.
    /// Rules of `--rules DIR` (no profile) always stay.
    pub fn in_profiles(mut self, profiles: &[String]) -> RuleSet {
        let (kept, dropped): (Vec<Rule>, Vec<Rule>) =
            std::mem::take(&mut self.rules).into_iter().partition(|r| {
                r.profile
                    .as_ref()
                    .is_none_or(|p| profiles.iter().any(|q| q == p))
            });
        self.rules = kept;
        for rule in dropped {
            self.dormant.insert(rule.id.clone());
            if rule.voids_exception {
                self.voiders.push(rule);
            }
        }
        self.profiles = self
            .available
            .iter()
            .filter(|p| profiles.iter().any(|q| q == *p))
            .cloned()
            .collect();
        self
    }

    /// Loads a rule folder (`--rules DIR`). A folder laid out as `rules/` is — no rule file
    /// of its own, rule files in subfolders ([`profile::in_folder`]) — is a set of
    /// profiles, one per subfolder, of which `tuning.profiles` are in force (else
    /// [`profile::default_among`]). Otherwise every `*.toml` of the folder (not recursive)
    /// is a rule in force. Either way `example-base.json` is read from the folder (else
    /// the one above it, as for a profile's folder of `rules/`), and `checklist.toml`,
    /// when there is one, is the checklist's mapping, not a rule.
    pub fn load_dir(dir: &Path) -> Result<RuleSet, TomlErrors> {
        Self::load_dir_tuned(dir, &Tuning::default())
    }

    pub fn load_dir_tuned(dir: &Path, tuning: &Tuning) -> Result<RuleSet, TomlErrors> {
        let io_error = |message: String| TomlErrors {
            kind: TomlFile::Rule,
            errors: vec![TomlError::whole(
                TomlFile::Rule,
                &dir.display().to_string(),
                message,
            )],
        };
        let profiles = profile::in_folder(dir);
        let folders: Vec<(std::path::PathBuf, Option<String>)> = match &profiles {
            Some(names) => names
                .iter()
                .map(|p| (dir.join(p), Some(p.clone())))
                .collect(),
            None => vec![(dir.to_owned(), None)],
        };
        let mut files = Vec::new();
        for (folder, profile) in folders {
            let entries = std::fs::read_dir(&folder)
                .map_err(|e| io_error(format!("cannot read rule folder: {e}")))?;
            for entry in entries {
                let path = entry.map_err(|e| io_error(e.to_string()))?.path();
                if path.extension().is_some_and(|e| e == "toml") && !profile::is_checklist(&path) {
                    let text = std::fs::read_to_string(&path)
                        .map_err(|e| io_error(format!("{}: {e}", path.display())))?;
                    files.push((path.display().to_string(), text, profile.clone()));
                }
            }
        }
        files.sort();
        if files.is_empty() {
            return Err(io_error("no rule files (*.toml) in this folder".into()));
        }
        // A profile's folder of a rule set laid out by profile (`rules/rurume/`) shares the
        // example base beside it.
        let base = std::fs::read_to_string(dir.join(EXAMPLE_BASE))
            .or_else(|_| std::fs::read_to_string(dir.join("..").join(EXAMPLE_BASE)))
            .ok();
        let mut set = Self::from_sources(files, base, tuning)?;
        // The built-in rules the folder does not have stay known, as rules of a profile not
        // in force: an exception naming one is left alone, not an unknown rule.
        for id in builtin_ids() {
            if set.ids.insert(id.clone()) {
                set.dormant.insert(id);
            }
        }
        let checklist = dir.join(CHECKLIST);
        if checklist.is_file() {
            let name = checklist.display().to_string();
            let text = std::fs::read_to_string(&checklist)
                .map_err(|e| io_error(format!("{name}: {e}")))?;
            set.checklist = Some(
                crate::checklist::Checklist::parse(&name, &text, &set.ids).map_err(|errors| {
                    TomlErrors {
                        kind: TomlFile::Rule,
                        errors,
                    }
                })?,
            );
        }
        Ok(match profiles {
            Some(names) => {
                let chosen = tuning
                    .profiles
                    .clone()
                    .unwrap_or_else(|| profile::default_among(&names));
                set.available = names;
                set.in_profiles(&chosen)
            }
            None => set,
        })
    }

    /// Whether the audit answers the MHLW checklist: the `mhlw` profile is in force, or a
    /// flat `--rules DIR` has its own `checklist.toml`.
    pub fn answers_checklist(&self) -> bool {
        self.profiles.iter().any(|p| p == "mhlw")
            || (self.available.is_empty() && self.checklist.is_some())
    }

    fn from_sources(
        files: Vec<(String, String, Option<String>)>,
        example_base: Option<String>,
        tuning: &Tuning,
    ) -> Result<RuleSet, TomlErrors> {
        let mut errors = Vec::new();
        let mut raw_rules = Vec::new();
        for (name, text, profile) in files {
            match toml::from_str::<RawRule>(&text) {
                Ok(mut raw) => {
                    if let Some(overrides) = tuning.params.get(raw.id.get_ref()) {
                        Tuning::merge(&mut raw.params, overrides);
                    }
                    raw_rules.push((name, text, raw, profile))
                }
                Err(e) => errors.push(TomlError::new(
                    TomlFile::Rule,
                    &name,
                    &text,
                    e.span(),
                    e.message().to_owned(),
                )),
            }
        }
        let ids: BTreeSet<String> = raw_rules
            .iter()
            .map(|(_, _, r, _)| r.id.get_ref().clone())
            .collect();
        let mut rules = Vec::new();
        let mut seen = BTreeSet::new();
        for (name, text, raw, profile) in raw_rules {
            let id = raw.id.get_ref();
            let stem = Path::new(&name)
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default();
            if *id != stem {
                errors.push(TomlError::new(
                    TomlFile::Rule,
                    &name,
                    &text,
                    Some(raw.id.span()),
                    format!("rule id `{id}` must match the file name `{stem}.toml`"),
                ));
            }
            if !seen.insert(id.clone()) {
                errors.push(TomlError::new(
                    TomlFile::Rule,
                    &name,
                    &text,
                    Some(raw.id.span()),
                    format!("duplicate rule id `{id}`"),
                ));
            }
            match compile_rule(&name, &text, raw, &ids) {
                Ok(rule) => rules.push(Rule { profile, ..rule }),
                Err(mut e) => errors.append(&mut e),
            }
        }
        let example_base = match example_base.map(|t| serde_json::from_str::<Value>(&t)) {
            Some(Ok(v)) => Some(v),
            Some(Err(e)) => {
                errors.push(TomlError::whole(
                    TomlFile::Rule,
                    EXAMPLE_BASE,
                    format!("not valid JSON: {e}"),
                ));
                None
            }
            None => None,
        };
        if !errors.is_empty() {
            return Err(TomlErrors {
                kind: TomlFile::Rule,
                errors,
            });
        }
        for rule in &mut rules {
            if let Some(Some(severity)) = tuning.severity.get(&rule.id) {
                rule.severity = *severity;
            }
        }
        // A rule turned off stays a known id: exceptions naming it are not "unknown rule".
        rules.retain(|r| !matches!(tuning.severity.get(&r.id), Some(None)));
        rules.sort_by(|a, b| a.id.cmp(&b.id));
        let shared_slots = condition::share(
            rules
                .iter_mut()
                .flat_map(|r| &mut r.matchers)
                .map(|m| &mut m.when),
        );
        Ok(RuleSet {
            shared_slots,
            rules,
            ids,
            dormant: BTreeSet::new(),
            voiders: Vec::new(),
            profiles: Vec::new(),
            available: Vec::new(),
            checklist: None,
            example_base,
            approved_apps: tuning.approved_apps.clone(),
        })
    }

    /// What is wrong with the rule `id` once a configuration's parameter values
    /// (`[params.ID]` of rurume.toml, already of the right types) are merged into it: a
    /// date that is not a date in a table, an invalid pattern… The messages are those of
    /// the rule's own checks, with the table their rows (`row 2 of …`) were counted in:
    /// rows a configuration adds to a list (`{ add = [...] }`) are numbered as written
    /// there when they alone are at fault, else in the merged list. Empty when the values
    /// fit.
    pub fn param_problems(&self, id: &str, overrides: &toml::Table) -> ParamProblems {
        let Some(rule) = self.get(id) else {
            return ParamProblems::default();
        };
        let compile = |params: &toml::Table| -> Vec<String> {
            let Ok(mut raw) = toml::from_str::<RawRule>(&rule.text) else {
                return Vec::new();
            };
            Tuning::merge(&mut raw.params, params);
            let mut problems: Vec<String> =
                match compile_rule(&rule.file, &rule.text, raw, &self.ids) {
                    Ok(_) => Vec::new(),
                    Err(errors) => errors.iter().map(|e| e.bare_message().to_owned()).collect(),
                };
            problems.dedup();
            problems
        };
        let merged = compile(overrides);
        if merged.is_empty() {
            return ParamProblems::default();
        }
        if !overrides.values().any(|v| added_rows(v).is_some()) {
            // Each value replaces the rule's: its rows are those written.
            return ParamProblems {
                problems: merged,
                rows: Rows::AsWritten,
            };
        }
        let written: toml::Table = overrides
            .iter()
            .map(|(key, value)| {
                let value = added_rows(value).map_or(value, |_| &value["add"]);
                (key.clone(), value.clone())
            })
            .collect();
        match compile(&written) {
            alone if alone.is_empty() => ParamProblems {
                problems: merged,
                rows: Rows::Merged,
            },
            alone => ParamProblems {
                problems: alone,
                rows: Rows::AsWritten,
            },
        }
    }

    pub fn get(&self, id: &str) -> Option<&Rule> {
        self.rules
            .binary_search_by(|r| r.id.as_str().cmp(id))
            .ok()
            .map(|i| &self.rules[i])
    }
}

fn compile_rule(
    name: &str,
    text: &str,
    raw: RawRule,
    ids: &BTreeSet<String>,
) -> Result<Rule, Vec<TomlError>> {
    let mut errors = Vec::new();
    let err = |span: std::ops::Range<usize>, message: String| {
        TomlError::new(TomlFile::Rule, name, text, Some(span), message)
    };
    let id_span = raw.id.span();
    let params: Params = match raw
        .params
        .iter()
        .map(|(k, v)| Ok((k.clone(), condition::toml_to_json(v)?)))
        .collect::<Result<_, String>>()
    {
        Ok(p) => p,
        Err(message) => {
            errors.push(err(id_span.clone(), message));
            Params::new()
        }
    };
    if let Some(short) = &raw.short
        && let Err(message) = validate_short(short.get_ref())
    {
        errors.push(err(short.span(), message));
    }
    for other in &raw.yields_to {
        if !ids.contains(other.get_ref()) {
            errors.push(err(
                other.span(),
                format!("`yields_to` names unknown rule `{}`", other.get_ref()),
            ));
        }
    }
    for text_ in [
        Some(&raw.message),
        Some(&raw.fix),
        raw.page_message.as_ref(),
        raw.page_fix.as_ref(),
    ]
    .into_iter()
    .flatten()
    {
        for t in [&text_.ja, &text_.en] {
            if let Err(message) = crate::engine::template::check(t, &params) {
                errors.push(err(id_span.clone(), message));
            }
        }
    }
    if raw.matches.is_empty() {
        errors.push(err(
            id_span.clone(),
            "a rule needs at least one [[match]]".into(),
        ));
    }
    for m in &raw.matches {
        let m_ = m.get_ref();
        for t in [&m_.message, &m_.fix, &m_.page_message, &m_.page_fix]
            .into_iter()
            .flatten()
        {
            for t in [&t.ja, &t.en] {
                if let Err(message) = crate::engine::template::check(t, &params) {
                    errors.push(err(m.span(), message));
                }
            }
        }
    }
    let mut matchers = Vec::new();
    for m in &raw.matches {
        match compile_match(m.get_ref(), &raw, &params) {
            Ok(matcher) => matchers.push(matcher),
            Err(message) => errors.push(err(m.span(), message)),
        }
    }
    let mut examples = Vec::new();
    for e in &raw.examples {
        match compile_example(e.get_ref()) {
            Ok(example) => examples.push(example),
            Err(message) => errors.push(err(e.span(), message)),
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(Rule {
        id: raw.id.into_inner(),
        severity: raw.severity,
        source: raw.source,
        title: raw.title,
        short: raw.short.map(Spanned::into_inner),
        message: raw.message,
        fix: raw.fix,
        why: raw.why,
        policy: raw.policy,
        params,
        voids_exception: raw.voids_exception,
        yields_to: raw.yields_to.into_iter().map(Spanned::into_inner).collect(),
        matchers,
        examples,
        file: name.to_owned(),
        text: text.into(),
        profile: None,
    })
}

fn compile_match(raw: &RawMatch, rule: &RawRule, params: &Params) -> Result<Matcher, String> {
    let selection = match (&raw.each, &raw.each_key) {
        (Some(each), None) => Selection::Each(Selector::parse(each)?),
        (None, Some(pattern)) => {
            let patterns = match condition::resolve_param(&toml::Value::String(pattern.clone()), params)? {
                Value::String(s) => vec![s],
                Value::Array(items) => items.iter().filter_map(|v| v.as_str().map(str::to_owned)).collect(),
                _ => return Err("`each_key` takes a regular expression or a parameter holding them".into()),
            };
            let regexes = patterns.iter().map(|p| Regex::new(p).map_err(|e| format!("invalid regular expression `{p}`: {e}"))).collect::<Result<_, _>>()?;
            Selection::EachKey(regexes)
        }
        _ => return Err("a [[match]] needs exactly one of `each` (a selector such as \"/devices/*\") or `each_key` (a key pattern)".into()),
    };
    let verdicts = [
        raw.unique.is_some(),
        raw.unique_across_files.is_some(),
        raw.unused_exception,
    ];
    let verdict = match verdicts {
        [false, false, false] => Verdict::When,
        [true, false, false] => {
            let u = raw.unique.clone().expect("checked");
            Verdict::Unique { key: RulePath::parse(&u.key), ignore_case: u.ignore_case }
        }
        [false, true, false] => {
            let u = raw.unique_across_files.clone().expect("checked");
            Verdict::UniqueAcrossFiles {
                key: RulePath::parse(&u.key),
                ignore_case: u.ignore_case,
                unless_same: u.unless_same.as_deref().map(RulePath::parse),
            }
        }
        [false, false, true] => Verdict::UnusedException,
        _ => return Err("use at most one of `unique`, `unique_across_files` and `unused_exception` in one [[match]]".into()),
    };
    if let Verdict::UnusedException = verdict
        && raw.each.as_deref() != Some("/exceptions/*")
    {
        return Err("`unused_exception` selects `each = \"/exceptions/*\"`".into());
    }
    if raw.unique.as_ref().is_some_and(|u| u.unless_same.is_some()) {
        return Err("`unless_same` belongs to `unique_across_files`".into());
    }
    // A match that words its own message is not described by the rule's page text.
    let page = PageTexts {
        message: raw.page_message.clone().or_else(|| {
            raw.message
                .is_none()
                .then(|| rule.page_message.clone())
                .flatten()
        }),
        fix: raw
            .page_fix
            .clone()
            .or_else(|| raw.fix.is_none().then(|| rule.page_fix.clone()).flatten()),
    };
    Ok(Matcher {
        selection,
        when: Condition::compile_all(&raw.when, params)?,
        at: RulePath::parse(raw.at.as_deref().unwrap_or_default()),
        verdict,
        secret: raw.secret,
        message: raw.message.clone(),
        fix: raw.fix.clone(),
        texts: Texts::compile_with_page(
            raw.message.as_ref().unwrap_or(&rule.message),
            raw.fix.as_ref().unwrap_or(&rule.fix),
            &page,
            params,
        )?
        .into(),
        page,
    })
}

fn compile_example(raw: &RawExample) -> Result<Example, String> {
    let parse_patch = |text: &str| {
        serde_json::from_str::<json_patch::Patch>(text)
            .map_err(|e| format!("`patch` is not a JSON Patch: {e}"))
    };
    if raw.expect == Expect::Fail && raw.at.is_none() {
        return Err("a failing example declares the pointer it fires at: `at = \"/…\"`".into());
    }
    let as_of = raw
        .as_of
        .as_deref()
        .map(|d| d.parse().map_err(|e| format!("`as_of` is not a date: {e}")))
        .transpose()?;
    Ok(Example {
        title: raw.title.clone(),
        expect: raw.expect,
        patch: parse_patch(&raw.patch)?,
        patch_text: raw.patch.trim().to_owned(),
        with_file: raw.with_file.as_deref().map(parse_patch).transpose()?,
        at: raw.at.clone(),
        also: raw.also.clone(),
        as_of,
    })
}
