//! The MHLW cybersecurity checklist answered from inventories: each item's answer is
//! `no` when the file has an unwaived finding of one of the item's rules, `yes` when it
//! has none, and `unknown` for items no rule can show (checked by hand) and for every item
//! of a file that is not JSON or breaks the schema (spec mhlw-profile §4).
//!
//! The items and their rules are data, `rules/checklist.toml`. [`answer`] is the one
//! function that answers: `rurume checklist` renders its result ([`render`]), and the
//! audit can show the same answers per facility.

pub mod render;

use serde::{Deserialize, Serialize};

use crate::engine::{FileReport, Located, Report};
use crate::lang::{Lang, Text};
use crate::rules::RuleSet;
use crate::toml_error::{TomlError, TomlFile};

/// The checklist: its title and its sections of items, in the form's order.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Checklist {
    pub title: Text,
    /// The title of the pharmacy version (薬局確認用).
    pub pharmacy_title: Text,
    #[serde(rename = "section")]
    pub sections: Vec<Section>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Section {
    pub number: String,
    pub title: Text,
    #[serde(rename = "item")]
    pub items: Vec<Item>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Item {
    /// The fixed id (`patches`), the key of every output.
    pub id: String,
    /// The item's number on the form (`2-⑥`).
    pub number: String,
    pub text: Text,
    /// The short name heading the item's column in the audit's formats (`パッチ適用`).
    pub short: Option<Text>,
    /// The pharmacy checklist's wording, where it differs.
    pub pharmacy: Option<Text>,
    /// The rules whose unwaived findings answer `no`, in the form's order.
    #[serde(default)]
    pub rules: Vec<String>,
    /// For an item without rules: what to check by hand.
    pub manual: Option<Text>,
}

impl Item {
    /// The short name (the id when the mapping gives none).
    pub fn short(&self) -> Text {
        self.short
            .clone()
            .unwrap_or_else(|| Text::new(self.id.clone(), self.id.clone()))
    }

    /// The wording for a facility of this kind.
    pub fn text_for(&self, kind: Option<&str>) -> &Text {
        match (&self.pharmacy, kind) {
            (Some(p), Some("pharmacy")) => p,
            _ => &self.text,
        }
    }
}

impl Checklist {
    /// The built-in checklist, `rules/checklist.toml`, checked against the built-in rules.
    pub fn builtin() -> Result<Checklist, String> {
        let text = crate::rules::builtin_checklist().ok_or("rules/checklist.toml is missing")?;
        let checklist: Checklist =
            toml::from_str(text).map_err(|e| format!("rules/checklist.toml: {e}"))?;
        Ok(checklist)
    }

    /// The mapping a rule set answers with: its folder's `checklist.toml` (`--rules DIR`),
    /// else the built-in one.
    pub fn of(rules: &RuleSet) -> Result<Checklist, String> {
        match &rules.checklist {
            Some(own) => Ok(own.clone()),
            None => Self::builtin(),
        }
    }

    /// A `checklist.toml` of a rule folder, checked at load like a rule file: its shape,
    /// each item's short name, and that each rule it names is a rule known to the set
    /// (`known`: its rules and the built-in ones). Each problem at its place.
    pub fn parse(
        name: &str,
        text: &str,
        known: &std::collections::BTreeSet<String>,
    ) -> Result<Checklist, Vec<TomlError>> {
        let at = |span: Option<std::ops::Range<usize>>, message: String| {
            TomlError::new(TomlFile::Rule, name, text, span, message)
        };
        let checklist: Checklist =
            toml::from_str(text).map_err(|e| vec![at(e.span(), e.message().to_owned())])?;
        // The same items again, with the places of their names and rules.
        #[derive(Deserialize)]
        struct Placed {
            section: Vec<PlacedSection>,
        }
        #[derive(Deserialize)]
        struct PlacedSection {
            item: Vec<PlacedItem>,
        }
        #[derive(Deserialize)]
        struct PlacedItem {
            short: Option<toml::Spanned<Text>>,
            #[serde(default)]
            rules: Vec<toml::Spanned<String>>,
        }
        let placed: Placed =
            toml::from_str(text).map_err(|e| vec![at(e.span(), e.message().to_owned())])?;
        let mut errors = Vec::new();
        for item in placed.section.iter().flat_map(|s| &s.item) {
            if let Some(short) = &item.short
                && let Err(message) = crate::rules::validate_short(short.get_ref())
            {
                errors.push(at(Some(short.span()), message));
            }
            for rule in &item.rules {
                if !known.contains(rule.get_ref()) {
                    errors.push(at(
                        Some(rule.span()),
                        format!("the checklist names unknown rule `{}`", rule.get_ref()),
                    ));
                }
            }
        }
        match errors.is_empty() {
            true => Ok(checklist),
            false => Err(errors),
        }
    }

    /// Every item, in the form's order.
    pub fn items(&self) -> impl Iterator<Item = &Item> {
        self.sections.iter().flat_map(|s| &s.items)
    }

    /// The rules the items name that the rule set does not know, for the test that keeps
    /// the mapping and the rules together.
    pub fn unknown_rules(&self, rules: &RuleSet) -> Vec<String> {
        self.items()
            .flat_map(|i| &i.rules)
            .filter(|r| !rules.ids.contains(*r))
            .cloned()
            .collect()
    }

    pub fn title_for(&self, kind: Option<&str>) -> &Text {
        match kind {
            Some("pharmacy") => &self.pharmacy_title,
            _ => &self.title,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Answer {
    Yes,
    No,
    Unknown,
}

impl Answer {
    /// As the form writes it.
    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            Answer::Yes => lang.pick("はい", "yes"),
            Answer::No => lang.pick("いいえ", "no"),
            Answer::Unknown => lang.pick("要確認", "unknown"),
        }
    }
}

/// One item's answer for one file.
#[derive(Debug, Clone)]
pub struct ItemAnswer<'a> {
    pub item: &'a Item,
    pub answer: Answer,
    /// The rules that made the answer `no`, in the item's order.
    pub rules: Vec<&'a str>,
    /// Their unwaived findings, in the file's order.
    pub findings: Vec<&'a Located>,
    /// For `yes`, the findings of the item's rules a 第10条 exception waives: the answer is
    /// はい only because of them (not in the JSON, spec mhlw-profile §4).
    pub waived: Vec<&'a Located>,
}

/// Every item's answer for one file.
#[derive(Debug, Clone)]
pub struct FileAnswers<'a> {
    pub file: &'a FileReport,
    /// The file could not be evaluated (not JSON, or breaks the schema): every item is
    /// `unknown`.
    pub unreadable: bool,
    pub items: Vec<ItemAnswer<'a>>,
}

impl FileAnswers<'_> {
    pub fn count(&self, answer: Answer) -> usize {
        self.items.iter().filter(|i| i.answer == answer).count()
    }
}

/// The checklist's answers for every file of a report, in the report's order. The report
/// must have been made with the rules the items name (both profiles): a rule that did
/// not run has no findings, and its items would read `yes`: an item one of whose rules is
/// not in force `rules` (turned off in rurume.toml) cannot be confirmed, and reads
/// `unknown` unless the others found something (`no`).
pub fn answer<'a>(
    checklist: &'a Checklist,
    report: &'a Report,
    rules: &RuleSet,
) -> Vec<FileAnswers<'a>> {
    report
        .files
        .iter()
        .map(|file| answer_file(checklist, file, rules))
        .collect()
}

/// One file's answers.
pub fn answer_file<'a>(
    checklist: &'a Checklist,
    file: &'a FileReport,
    rule_set: &RuleSet,
) -> FileAnswers<'a> {
    let unreadable = file.rules_skipped
        || file
            .findings
            .iter()
            .any(|l| l.finding.rule == crate::engine::builtin::SYNTAX.id);
    let items = checklist
        .items()
        .map(|item| {
            if unreadable || item.rules.is_empty() {
                return ItemAnswer {
                    item,
                    answer: Answer::Unknown,
                    rules: Vec::new(),
                    findings: Vec::new(),
                    waived: Vec::new(),
                };
            }
            let open = |l: &&Located| !l.finding.is_waived();
            let findings: Vec<&Located> = file
                .findings
                .iter()
                .filter(open)
                .filter(|l| item.rules.contains(&l.finding.rule))
                .collect();
            let rules: Vec<&str> = item
                .rules
                .iter()
                .filter(|r| findings.iter().any(|l| &&l.finding.rule == r))
                .map(String::as_str)
                .collect();
            let silenced = item.rules.iter().any(|r| rule_set.get(r).is_none());
            let answer = if !findings.is_empty() {
                Answer::No
            } else if silenced {
                Answer::Unknown
            } else {
                Answer::Yes
            };
            let waived = file
                .findings
                .iter()
                .filter(|l| answer == Answer::Yes && l.finding.is_waived())
                .filter(|l| item.rules.contains(&l.finding.rule))
                .collect();
            ItemAnswer {
                item,
                answer,
                rules,
                findings,
                waived,
            }
        })
        .collect();
    FileAnswers {
        file,
        unreadable,
        items,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_builtin_checklist_names_only_builtin_rules_and_the_fixed_ids() {
        let checklist = Checklist::builtin().unwrap();
        let rules = RuleSet::builtin_all().unwrap();
        assert_eq!(checklist.unknown_rules(&rules), Vec::<String>::new());
        let ids: Vec<&str> = checklist.items().map(|i| i.id.as_str()).collect();
        assert_eq!(
            ids,
            [
                "officer",
                "ledger",
                "remote-maintenance",
                "vendor-disclosure",
                "access-rights",
                "accounts-cleanup",
                "patches",
                "passwords",
                "password-reuse",
                "usb",
                "mfa",
                "access-logs",
                "services",
                "source-restriction",
                "contacts",
                "backup",
                "bcp",
            ]
        );
        for item in checklist.items() {
            let short = item
                .short
                .as_ref()
                .expect("every built-in item has a short name");
            assert_eq!(crate::rules::validate_short(short), Ok(()), "{}", item.id);
            // An item is answered by rules or by hand, never neither.
            assert!(
                item.rules.is_empty() == item.manual.is_some(),
                "{}",
                item.id
            );
        }
    }
}
