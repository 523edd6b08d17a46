//! `rurume audit` formats: the compliance matrix of [`crate::audit`] as a terminal table,
//! JSON, CSV for Excel, or a self-contained HTML report.
//!
//! Every format reads the same [`Matrix`]; the HTML report also reads the [`Report`] for
//! the details of each finding. None of them shows any text of the inventory files other
//! than the facility's id, name and kind, and the findings.

mod csv;
pub(crate) mod html;
mod json;
mod table;

pub(crate) use html::esc;

use crate::audit::{Matrix, Rate};
use crate::engine::Report;
use crate::finding::Severity;
use crate::lang::Lang;
use crate::rules::RuleSet;

/// A table that fits `width` display columns (Japanese characters count two).
pub fn table(m: &Matrix, _rules: &RuleSet, lang: Lang, width: usize) -> String {
    table::render(m, lang, width)
}

/// The JSON document described in [`json`].
pub fn json(m: &Matrix, _rules: &RuleSet, lang: Lang) -> String {
    json::render(m, lang)
}

/// CSV for Excel: UTF-8 with BOM, CRLF, RFC 4180 quoting.
pub fn csv(m: &Matrix, _rules: &RuleSet, lang: Lang) -> String {
    csv::render(m, lang)
}

/// One self-contained HTML file: heat map, most violated rules, details per facility.
pub fn html(m: &Matrix, report: &Report, _rules: &RuleSet, lang: Lang) -> String {
    html::render(m, report, lang)
}

/// The facility kind (`facility.kind` of the schema) in words; an unknown code as is.
pub(crate) fn kind_label(code: &str, lang: Lang) -> &str {
    let (ja, en) = match code {
        "clinic" => ("診療所", "clinic"),
        "hospital" => ("病院", "hospital"),
        "dental" => ("歯科診療所", "dental clinic"),
        "pharmacy" => ("薬局", "pharmacy"),
        "visiting_nursing" => ("訪問看護", "visiting nursing"),
        "care_support" => ("居宅介護支援等", "care support"),
        "other" => ("その他", "other"),
        _ => return code,
    };
    lang.pick(ja, en)
}

pub(crate) fn severity_label(s: Severity, lang: Lang) -> &'static str {
    match s {
        Severity::Error => lang.pick("エラー", "error"),
        Severity::Warning => lang.pick("警告", "warning"),
    }
}

/// `2/7 (28%)`; `-` when there is nothing to divide.
fn rate_label(r: Rate) -> String {
    match r.percent() {
        Some(p) => format!("{}/{} ({p}%)", r.part, r.whole),
        None => "-".to_owned(),
    }
}

/// The one-sentence definition every format repeats next to the rate.
fn compliance_definition(lang: Lang) -> &'static str {
    lang.pick(
        "適合 = 免除されていないエラーが 0 件（警告と第10条により免除された指摘は数えません）",
        "compliant = no unwaived error (warnings and findings waived under Article 10 do not count)",
    )
}
