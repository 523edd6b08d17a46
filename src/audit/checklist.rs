//! The MHLW checklist's answers per facility, when the `mhlw` profile is in force
//! (mhlw-profile §4: "`audit` gains the checklist answers per facility"). The answers are
//! those of `rurume checklist` ([`crate::checklist::answer_file`]), from the findings of
//! this run, by the same function: an item one of whose rules did not run (its profile not in
//! force, or turned off) cannot be confirmed, so it is `unknown` unless it is `no`.

use crate::checklist::{Answer, Checklist, answer_file};
use crate::engine::Report;
use crate::lang::Text;
use crate::rules::RuleSet;

/// One item, as the outputs head it.
#[derive(Debug, Clone)]
pub struct Item {
    pub id: String,
    /// The form's number (`2-⑥`).
    pub number: String,
    pub text: Text,
    /// Its short name, heading its column.
    pub short: Text,
}

/// One facility's answer to one item.
#[derive(Debug, Clone)]
pub struct RowAnswer {
    pub answer: Answer,
    /// The rules that made the answer `no`, in the item's order.
    pub rules: Vec<String>,
    /// Their unwaived findings.
    pub findings: usize,
}

/// The facility's answers, one per item of [`Checklist::items`], and their counts.
#[derive(Debug, Clone, Default)]
pub struct RowChecklist {
    pub answers: Vec<RowAnswer>,
}

impl RowChecklist {
    pub fn count(&self, answer: Answer) -> usize {
        self.answers.iter().filter(|a| a.answer == answer).count()
    }
}

/// The items, in the form's order.
pub fn items(checklist: &Checklist) -> Vec<Item> {
    checklist
        .items()
        .map(|i| Item {
            id: i.id.clone(),
            number: i.number.clone(),
            text: i.text.clone(),
            short: i.short(),
        })
        .collect()
}

/// The answers of the file at `file_index` of `report`.
pub fn answers(
    checklist: &Checklist,
    report: &Report,
    file_index: usize,
    rules: &RuleSet,
) -> RowChecklist {
    let file = &report.files[file_index];
    let answers = answer_file(checklist, file, rules)
        .items
        .iter()
        .map(|a| RowAnswer {
            answer: a.answer,
            rules: a.rules.iter().map(|r| (*r).to_owned()).collect(),
            findings: a.findings.len(),
        })
        .collect();
    RowChecklist { answers }
}
