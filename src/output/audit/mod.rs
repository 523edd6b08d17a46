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
use crate::checklist::Answer;
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

/// [`json`], written to `out` as it is serialised.
pub fn write_json(m: &Matrix, lang: Lang, out: &mut impl std::io::Write) -> std::io::Result<()> {
    json::write(m, lang, out)
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

/// The round's lists, as the table and the html head them: superseded files, and with a
/// roster, who did not submit, who was not expected, and the roster's notes. Each is a
/// heading with its count and its items (`seps`: after a superseded file's facility, and
/// after a missing facility's id); a list may be empty (the formats skip it).
pub(crate) fn round_lists(
    m: &Matrix,
    lang: Lang,
    seps: (&str, &str),
) -> Vec<(String, Vec<String>)> {
    let (after_facility, after_id) = seps;
    let mut lists = vec![(
        match lang {
            Lang::Ja => format!(
                "差し替えられた台帳（数えていません）: {} 件",
                m.superseded.len()
            ),
            Lang::En => format!("Superseded files (not counted): {}", m.superseded.len()),
        },
        m.superseded
            .iter()
            .map(|s| format!("{}{after_facility}{} → {}", s.facility, s.file, s.by))
            .collect(),
    )];
    if let Some(r) = &m.roster {
        lists.push((missing_heading(r.missing.len(), lang), {
            r.missing
                .iter()
                .map(|e| format!("{}{after_id}{}", e.id, e.name))
                .collect()
        }));
        lists.push((
            match lang {
                Lang::Ja => format!("名簿にない提出: {} 事業所", r.unexpected.len()),
                Lang::En => format!("Submitted, not on the roster: {}", r.unexpected.len()),
            },
            r.unexpected.clone(),
        ));
        lists.push((
            lang.pick("名簿の注意", "Roster notes").to_owned(),
            r.notes.iter().map(|n| n.get(lang).to_owned()).collect(),
        ));
    }
    lists
}

/// The heading of the roster's facilities that did not submit.
pub(crate) fn missing_heading(n: usize, lang: Lang) -> String {
    match lang {
        Lang::Ja => format!("未提出（名簿にあり、提出なし）: {n} 事業所"),
        Lang::En => format!("Missing (on the roster, not submitted): {n}"),
    }
}

/// With the `mhlw` profile in force: each checklist item's answers counted over the
/// facilities, `[yes, no, unknown]`, in the items' order.
fn checklist_totals(m: &Matrix) -> Vec<[usize; 3]> {
    let n = m.checklist.as_ref().map_or(0, Vec::len);
    let mut totals = vec![[0; 3]; n];
    for answers in m.rows.iter().filter_map(|r| r.checklist.as_ref()) {
        for (t, a) in totals.iter_mut().zip(&answers.answers) {
            t[answer_index(a.answer)] += 1;
        }
    }
    totals
}

/// The order every format gives the answers in: はい, いいえ, 要確認.
const ANSWERS: [Answer; 3] = [Answer::Yes, Answer::No, Answer::Unknown];

fn answer_index(a: Answer) -> usize {
    match a {
        Answer::Yes => 0,
        Answer::No => 1,
        Answer::Unknown => 2,
    }
}

/// What the checklist's parts say of 要確認, in every format.
fn unknown_key(lang: Lang) -> &'static str {
    lang.pick(
        "要確認 = 台帳からは確かめられない項目（手で確かめてください。rurume checklist の回答票に確かめ方があります）、規則を点検しなかった項目、または台帳が読めないファイル",
        "unknown = an item the inventory cannot show (check it by hand: the answer sheets of rurume checklist say how), an item one of whose rules did not run, or a file that cannot be read",
    )
}

/// The one-sentence definition every format repeats next to the rate.
fn compliance_definition(lang: Lang) -> &'static str {
    lang.pick(
        "適合 = 免除されていないエラーが 0 件（警告と第10条により免除された指摘は数えません）",
        "compliant = no unwaived error (warnings and findings waived under Article 10 do not count)",
    )
}
