//! `rurume.toml`: a repository's or an office's settings — severity overrides (including
//! `off`), rule parameters, approved-app lists per facility kind, paths to exclude, and the
//! largest inventory file read (`[limits] max_file_size`).
//!
//! It is found by looking from the current folder upward, or given with `--config`. Every
//! problem is reported with its place in the TOML, all at once, and ends the run (exit 2).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use globset::{Glob, GlobSet, GlobSetBuilder};
use serde::Deserialize;
use toml::Spanned;

use crate::finding::Severity;
use crate::rules::{Rows, RuleSet, Tuning};
use crate::toml_error::{TomlError, TomlErrors, TomlFile};

pub const FILE_NAME: &str = "rurume.toml";

/// The facility kinds of format v1, for `[approved_apps]`.
const FACILITY_KINDS: &[&str] = &[
    "clinic",
    "hospital",
    "dental",
    "pharmacy",
    "visiting_nursing",
    "care_support",
    "other",
];

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    #[serde(default)]
    severity: BTreeMap<String, Spanned<String>>,
    /// Each value keeps its place: a value the rule cannot use is reported there.
    #[serde(default)]
    params: BTreeMap<String, Spanned<BTreeMap<String, Spanned<toml::Value>>>>,
    #[serde(default)]
    approved_apps: BTreeMap<String, Spanned<Vec<String>>>,
    #[serde(default)]
    exclude: Vec<Spanned<String>>,
    #[serde(default)]
    limits: RawLimits,
    #[serde(default)]
    round: Round,
    #[serde(default)]
    serve: Page,
    /// The built-in profiles in force when `--profile` does not say.
    profiles: Option<Spanned<Vec<String>>>,
}

/// `[round]`: what the office's letters to facilities say (`audit --letters`).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Round {
    /// The round's name, e.g. 「2026年度 第2回 台帳提出」.
    pub title: Option<String>,
    /// The reply deadline (`YYYY-MM-DD`); `audit --deadline` overrides it.
    pub deadline: Option<Spanned<String>>,
    /// Who the facilities contact.
    #[serde(default)]
    pub office: Office,
}

/// `[round.office]`: the association office's contact, printed on every letter.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Office {
    pub name: Option<String>,
    pub person: Option<String>,
    pub address: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub hours: Option<String>,
}

impl Round {
    /// The deadline as a date (validated when the file is loaded).
    pub fn deadline_date(&self) -> Option<jiff::civil::Date> {
        self.deadline.as_ref()?.get_ref().parse().ok()
    }
}

/// `[serve]`: what the self-check page (`rurume serve`) says beyond the rules.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Page {
    /// How a facility submits its saved inventory, in both languages: said on the page once
    /// the inventory is ready to submit (the page has a default).
    pub submit: Option<crate::lang::Text>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawLimits {
    /// `"50MB"`, `"200 MB"` or a number of bytes; see [`parse_size`].
    max_file_size: Option<Spanned<toml::Value>>,
}

/// A loaded, validated configuration. The default is "no configuration".
#[derive(Debug, Default)]
pub struct Config {
    pub path: Option<PathBuf>,
    pub tuning: Tuning,
    exclude: Option<(PathBuf, GlobSet)>,
    /// `[limits] max_file_size`, in bytes; `--max-file-size` overrides it.
    pub max_file_size: Option<u64>,
    /// `[round]`, for the audit's letters.
    pub round: Round,
    /// `[serve]`, for the self-check page.
    pub serve: Page,
}

impl Config {
    /// Is this file excluded? Patterns are relative to the configuration file's folder.
    pub fn excludes(&self, path: &Path) -> bool {
        let Some((base, globs)) = &self.exclude else {
            return false;
        };
        let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_owned());
        let relative = absolute.strip_prefix(base).unwrap_or(&absolute);
        globs.is_match(relative) || globs.is_match(path)
    }
}

/// Reads a size: a number of bytes (`52428800`), or a whole number with a unit `KB`, `MB`
/// or `GB`, with or without a space (`50MB`, `200 MB`). Units are multiples of 1024 and
/// case-insensitive; `KiB`/`MiB`/`GiB`, `K`/`M`/`G` and `B`/`bytes` are read too. The size
/// must be at least 1 byte.
pub fn parse_size(text: &str) -> Result<u64, String> {
    let invalid = || {
        format!(
            "`{text}` is not a size: write a number of bytes, or a whole number with KB, MB or GB \
             (multiples of 1024), e.g. 50MB or \"200 MB\""
        )
    };
    let trimmed = text.trim();
    let digits = trimmed.bytes().take_while(u8::is_ascii_digit).count();
    let (number, unit) = trimmed.split_at(digits);
    let number: u64 = number.parse().map_err(|_| invalid())?;
    let multiplier: u64 = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "b" | "byte" | "bytes" => 1,
        "k" | "kb" | "kib" => 1 << 10,
        "m" | "mb" | "mib" => 1 << 20,
        "g" | "gb" | "gib" => 1 << 30,
        _ => return Err(invalid()),
    };
    match number.checked_mul(multiplier) {
        Some(0) => Err(format!(
            "`{text}` is too small: the limit must be at least 1 byte"
        )),
        Some(bytes) => Ok(bytes),
        None => Err(format!("`{text}` is too large a size")),
    }
}

/// `rurume.toml` in this folder or the nearest one above it.
pub fn find(start: &Path) -> Option<PathBuf> {
    let start = std::path::absolute(start).ok()?;
    start
        .ancestors()
        .map(|dir| dir.join(FILE_NAME))
        .find(|p| p.is_file())
}

/// Reads and validates a configuration against the rule set it tunes.
pub fn load(path: &Path, rules: &RuleSet) -> Result<Config, TomlErrors> {
    let name = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|e| {
        let error = TomlError::whole(TomlFile::Config, &name, format!("cannot read: {e}"));
        TomlErrors {
            kind: TomlFile::Config,
            errors: vec![error],
        }
    })?;
    let raw: RawConfig = toml::from_str(&text).map_err(|e| {
        let error = TomlError::new(
            TomlFile::Config,
            &name,
            &text,
            e.span(),
            e.message().to_owned(),
        );
        TomlErrors {
            kind: TomlFile::Config,
            errors: vec![error],
        }
    })?;
    let mut errors = Vec::new();
    let mut error = |span: std::ops::Range<usize>, message: String| {
        errors.push(TomlError::new(
            TomlFile::Config,
            &name,
            &text,
            Some(span),
            message,
        ))
    };
    let mut tuning = Tuning::default();

    let unknown_rule = |id: &str| {
        let suggestion = rules
            .ids
            .iter()
            .min_by_key(|known| strsim::levenshtein(id, known))
            .filter(|k| strsim::levenshtein(id, k) <= 3);
        match suggestion {
            Some(k) => format!("unknown rule `{id}`; did you mean `{k}`?"),
            None => format!("unknown rule `{id}`; `rurume rules` lists them"),
        }
    };
    for (id, level) in &raw.severity {
        if !rules.ids.contains(id) {
            error(level.span(), unknown_rule(id));
            continue;
        }
        let severity = match level.get_ref().as_str() {
            "error" => Some(Severity::Error),
            "warning" => Some(Severity::Warning),
            "off" => None,
            other => {
                error(
                    level.span(),
                    format!("`{other}` is not a severity: use \"error\", \"warning\" or \"off\""),
                );
                continue;
            }
        };
        tuning.severity.insert(id.clone(), severity);
    }
    for (id, table) in &raw.params {
        let Some(rule) = rules.get(id) else {
            error(table.span(), unknown_rule(id));
            continue;
        };
        let mut typed = true;
        for (key, value) in table.get_ref() {
            let value = value.get_ref();
            let Some(current) = rule.params.get(key) else {
                let known: Vec<&str> = rule.params.keys().map(String::as_str).collect();
                error(
                    table.span(),
                    format!(
                        "rule `{id}` has no parameter `{key}` (it has: {})",
                        if known.is_empty() {
                            "none".into()
                        } else {
                            known.join(", ")
                        }
                    ),
                );
                typed = false;
                continue;
            };
            let adds_to_list = crate::rules::added_rows(value).is_some();
            let same_type = match (current, value) {
                (serde_json::Value::Number(_), toml::Value::Integer(_) | toml::Value::Float(_)) => {
                    true
                }
                (serde_json::Value::String(_), toml::Value::String(_)) => true,
                (serde_json::Value::Bool(_), toml::Value::Boolean(_)) => true,
                (serde_json::Value::Array(_), toml::Value::Array(_)) => true,
                (serde_json::Value::Array(_), _) => adds_to_list,
                _ => false,
            };
            if !same_type {
                error(
                    table.span(),
                    format!(
                        "parameter `{key}` of `{id}` must have the type of its default, {current}"
                    ),
                );
                typed = false;
            }
        }
        let values: toml::Table = table
            .get_ref()
            .iter()
            .map(|(key, value)| (key.clone(), value.get_ref().clone()))
            .collect();
        if typed {
            // A value of the right type may still not fit the rule (a date that is not a
            // date in the end-of-support table): it is this file's mistake, said here,
            // not the rule file's. Each value alone, so that the one at fault is shown.
            let mut each_fits = true;
            for (key, value) in table.get_ref() {
                let alone = toml::Table::from_iter([(key.clone(), value.get_ref().clone())]);
                let found = rules.param_problems(id, &alone);
                for problem in found.problems {
                    let rows = match (problem.starts_with("row "), found.rows) {
                        (false, _) => "",
                        (true, Rows::AsWritten) => " (rows counted as written here)",
                        (true, Rows::Merged) => {
                            " (rows counted in the rule's list, those added here after its own)"
                        }
                    };
                    error(
                        value.span(),
                        format!(
                            "parameter `{key}` of `{id}` does not fit the rule{rows}: {problem}"
                        ),
                    );
                    each_fits = false;
                }
            }
            if each_fits {
                for problem in rules.param_problems(id, &values).problems {
                    error(
                        table.span(),
                        format!("the parameters of `{id}` do not fit the rule together: {problem}"),
                    );
                }
            }
        }
        tuning.params.insert(id.clone(), values);
    }
    for (kind, apps) in &raw.approved_apps {
        if !FACILITY_KINDS.contains(&kind.as_str()) {
            error(
                apps.span(),
                format!(
                    "unknown facility kind `{kind}`: use one of {}",
                    FACILITY_KINDS.join(", ")
                ),
            );
            continue;
        }
        tuning
            .approved_apps
            .insert(kind.clone(), apps.get_ref().clone());
    }
    let mut max_file_size = None;
    if let Some(size) = &raw.limits.max_file_size {
        let bytes = match size.get_ref() {
            toml::Value::String(text) => parse_size(text),
            toml::Value::Integer(n) if *n > 0 => Ok(n.unsigned_abs()),
            _ => Err(
                "`max_file_size` is a size such as \"50MB\" or \"200 MB\" (units of 1024), \
                 or a positive number of bytes"
                    .to_owned(),
            ),
        };
        match bytes {
            Ok(bytes) => max_file_size = Some(bytes),
            Err(message) => error(size.span(), message),
        }
    }
    if let Some(deadline) = &raw.round.deadline {
        let text = deadline.get_ref();
        if text.len() != 10 || text.parse::<jiff::civil::Date>().is_err() {
            error(
                deadline.span(),
                format!("`{text}` is not a date; write YYYY-MM-DD, e.g. 2026-12-20"),
            );
        }
    }
    if let Some(profiles) = &raw.profiles {
        // The profiles of the rule set: built-in, or those of a `--rules DIR` laid out by
        // profile (a flat folder has none; the built-in names are accepted, to no effect).
        let known = match rules.available.is_empty() {
            true => crate::rules::profile::builtin(),
            false => rules.available.clone(),
        };
        match crate::rules::profile::parse_among(profiles.get_ref(), &known) {
            Ok(names) if names.is_empty() => error(
                profiles.span(),
                format!(
                    "`profiles` names no profile: use some of {}",
                    known.join(", ")
                ),
            ),
            Ok(names) => tuning.profiles = Some(names),
            Err(e) => error(profiles.span(), e.message(crate::lang::Lang::En)),
        }
    }
    let mut globs = GlobSetBuilder::new();
    for pattern in &raw.exclude {
        match Glob::new(pattern.get_ref()) {
            Ok(g) => {
                globs.add(g);
            }
            Err(e) => error(pattern.span(), format!("invalid pattern: {e}")),
        }
    }
    if !errors.is_empty() {
        return Err(TomlErrors {
            kind: TomlFile::Config,
            errors,
        });
    }
    let base = std::path::absolute(path)
        .ok()
        .and_then(|p| p.parent().map(Path::to_owned))
        .unwrap_or_default();
    let exclude = match raw.exclude.is_empty() {
        true => None,
        false => Some((
            base,
            globs.build().map_err(|e| TomlErrors {
                kind: TomlFile::Config,
                errors: vec![TomlError::new(
                    TomlFile::Config,
                    &name,
                    &text,
                    None,
                    e.to_string(),
                )],
            })?,
        )),
    };
    Ok(Config {
        path: Some(path.to_owned()),
        tuning,
        exclude,
        max_file_size,
        round: raw.round,
        serve: raw.serve,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load_text(text: &str) -> Result<Config, TomlErrors> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(FILE_NAME);
        std::fs::write(&path, text).unwrap();
        load(&path, &RuleSet::builtin().unwrap())
    }

    #[test]
    fn the_pages_submission_text_is_read_and_unknown_keys_refused() {
        let config = load_text(
            "[serve]\nsubmit = { ja = \"事務局へメールで送ってください\", en = \"Email it to the office\" }\n",
        )
        .unwrap();
        let submit = config.serve.submit.unwrap();
        assert_eq!(submit.ja, "事務局へメールで送ってください");
        assert_eq!(submit.en, "Email it to the office");
        assert!(load_text("").unwrap().serve.submit.is_none());
        for bad in [
            "[serve]\nsubmit_ja = \"x\"\n",
            "[serve]\nsubmit = { ja = \"x\" }\n",
            "[serve]\nsubmit = { ja = \"x\", en = \"y\", fr = \"z\" }\n",
            "[serve]\nsubmit = \"x\"\n",
        ] {
            assert!(load_text(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn a_full_configuration_loads() {
        let config = load_text(
            r#"
exclude = ["archive/**"]
[severity]
unapproved-app = "off"
screen-lock-timeout = "error"
[params.screen-lock-timeout]
max_minutes = 10
[params.file-sharing-app]
patterns = { add = ['(?i)\bsoulseek\b'] }
[approved_apps]
clinic = ["MCS", "電子カルテ"]
[limits]
max_file_size = "200 MB"
[round]
title = "2026年度 第2回"
deadline = "2026-12-20"
[round.office]
name = "東久留米市医師会 事務局"
phone = "042-000-0000"
"#,
        )
        .unwrap();
        assert_eq!(config.round.deadline_date(), "2026-12-20".parse().ok());
        assert_eq!(config.round.office.phone.as_deref(), Some("042-000-0000"));
        assert!(load_text("[round]\ndeadline = \"2026/12/20\"\n").is_err());
        assert_eq!(config.max_file_size, Some(200 * 1024 * 1024));
        assert_eq!(config.tuning.severity["unapproved-app"], None);
        assert_eq!(
            config.tuning.severity["screen-lock-timeout"],
            Some(Severity::Error)
        );
        assert!(
            config.excludes(
                &config
                    .path
                    .as_ref()
                    .unwrap()
                    .parent()
                    .unwrap()
                    .join("archive/2025/F1.json")
            )
        );
        let tuned = RuleSet::builtin_tuned(&config.tuning).unwrap();
        assert!(tuned.get("unapproved-app").is_none() && tuned.ids.contains("unapproved-app"));
        assert_eq!(
            tuned.get("screen-lock-timeout").unwrap().params["max_minutes"],
            10
        );
        assert!(
            tuned.get("file-sharing-app").unwrap().params["patterns"]
                .as_array()
                .unwrap()
                .iter()
                .any(|p| p.as_str().unwrap().contains("soulseek"))
        );
    }

    #[test]
    fn profiles_are_builtin_profile_names() {
        let config = load_text("profiles = [\"mhlw\", \"rurume\"]\n").unwrap();
        assert_eq!(
            config.tuning.profiles.as_deref(),
            Some(&["mhlw".to_owned(), "rurume".to_owned()][..])
        );
        for bad in ["profiles = [\"nist\"]", "profiles = []"] {
            let errors = load_text(&format!("{bad}\n")).unwrap_err();
            assert_eq!(errors.errors.len(), 1, "{bad}");
            assert!(errors.errors[0].has_place(), "{bad}");
            assert!(errors.errors[0].message.contains("mhlw, rurume"), "{bad}");
        }
    }

    #[test]
    fn sizes_read_with_or_without_units() {
        assert_eq!(parse_size("52428800"), Ok(52_428_800));
        assert_eq!(parse_size("50MB"), Ok(50 * 1024 * 1024));
        assert_eq!(parse_size("200 MB"), Ok(200 * 1024 * 1024));
        assert_eq!(parse_size("1kb"), Ok(1024));
        assert_eq!(parse_size("2 GiB"), Ok(2 << 30));
        assert_eq!(parse_size("3M"), Ok(3 << 20));
        assert_eq!(parse_size(" 10 bytes "), Ok(10));
        for bad in ["abc", "", "MB", "1.5MB", "-1", "50 TB", "50 M B"] {
            let e = parse_size(bad).unwrap_err();
            assert!(
                e.contains("is not a size") && e.contains("50MB"),
                "{bad}: {e}"
            );
        }
        assert!(parse_size("0").unwrap_err().contains("at least 1 byte"));
        assert!(parse_size("0MB").unwrap_err().contains("at least 1 byte"));
        assert!(
            parse_size("99999999999999GB")
                .unwrap_err()
                .contains("too large")
        );
    }

    #[test]
    fn the_size_limit_is_a_string_with_a_unit_or_bytes() {
        let bytes = load_text("[limits]\nmax_file_size = 2048\n").unwrap();
        assert_eq!(bytes.max_file_size, Some(2048));
        assert_eq!(load_text("").unwrap().max_file_size, None);
        for bad in [
            "max_file_size = \"lots\"",
            "max_file_size = 0",
            "max_file_size = -5",
            "max_file_size = 1.5",
        ] {
            let text = format!("[limits]\n{bad}\n");
            let errors = load_text(&text).unwrap_err();
            assert_eq!(errors.errors.len(), 1, "{bad}");
            assert!(errors.errors[0].has_place(), "{bad}");
            assert!(
                errors.errors[0].message.contains("size"),
                "{bad}: {}",
                errors.errors[0].message
            );
        }
        let unknown = load_text("[limits]\nmax_size = \"1MB\"\n").unwrap_err();
        assert!(unknown.errors[0].message.contains("max_size"));
    }

    #[test]
    fn every_problem_is_reported_with_its_place() {
        let errors = load_text(
            r#"
[severity]
pasword-length = "error"
screen-lock = "fatal"
[params.screen-lock-timeout]
max_minute = 10
[approved_apps]
clinik = []
"#,
        )
        .unwrap_err();
        let messages: Vec<String> = errors.errors.iter().map(|e| e.message.clone()).collect();
        assert_eq!(messages.len(), 4, "{messages:?}");
        assert!(
            messages
                .iter()
                .any(|m| m.contains("did you mean `password-length`"))
        );
        assert!(
            messages
                .iter()
                .any(|m| m.contains("`fatal` is not a severity"))
        );
        assert!(
            messages
                .iter()
                .any(|m| m.contains("no parameter `max_minute`"))
        );
        assert!(
            messages
                .iter()
                .any(|m| m.contains("unknown facility kind `clinik`"))
        );
        assert!(errors.errors.iter().all(|e| e.has_place()));
        let unknown_key = load_text("[severty]\n").unwrap_err();
        assert!(
            unknown_key.errors[0].message.contains("severty"),
            "{:?}",
            unknown_key.errors[0].message
        );
    }
}
