//! The checklist's answers as text: `--format json` (spec mhlw-profile §4), `human`, and
//! `html`, a printable answer sheet per facility in the form's order. Pure functions of
//! the answers; nothing of the inventory is shown but the facility and the findings'
//! messages, which never contain a password.

use std::fmt::Write;

use serde::Serialize;

use super::{Answer, Checklist, FileAnswers};
use crate::lang::Lang;

#[derive(Serialize)]
struct JsonDoc<'a> {
    version: u32,
    as_of: String,
    files: Vec<JsonFile<'a>>,
    summary: JsonSummary,
}

#[derive(Serialize)]
struct JsonFile<'a> {
    file: &'a str,
    facility: Option<&'a str>,
    items: Vec<JsonItem<'a>>,
}

#[derive(Serialize)]
struct JsonItem<'a> {
    id: &'a str,
    answer: Answer,
    rules: &'a [&'a str],
    findings: usize,
}

#[derive(Serialize, Default)]
struct JsonSummary {
    files: usize,
    yes: usize,
    no: usize,
    unknown: usize,
}

fn summary(answers: &[FileAnswers]) -> JsonSummary {
    JsonSummary {
        files: answers.len(),
        yes: answers.iter().map(|f| f.count(Answer::Yes)).sum(),
        no: answers.iter().map(|f| f.count(Answer::No)).sum(),
        unknown: answers.iter().map(|f| f.count(Answer::Unknown)).sum(),
    }
}

/// `--format json`.
pub fn json(answers: &[FileAnswers], as_of: jiff::civil::Date) -> String {
    let doc = JsonDoc {
        version: 1,
        as_of: as_of.to_string(),
        files: answers
            .iter()
            .map(|f| JsonFile {
                file: &f.file.display,
                facility: f.file.facility.as_deref(),
                items: f
                    .items
                    .iter()
                    .map(|i| JsonItem {
                        id: &i.item.id,
                        answer: i.answer,
                        rules: &i.rules,
                        findings: i.findings.len(),
                    })
                    .collect(),
            })
            .collect(),
        summary: summary(answers),
    };
    let mut out = serde_json::to_string_pretty(&doc).unwrap_or_default();
    out.push('\n');
    out
}

/// The facility as a heading: `みどり訪問看護ステーション (F0001)`, or the file alone.
fn facility_label(f: &FileAnswers) -> String {
    match (&f.file.facility_name, &f.file.facility) {
        (Some(name), Some(id)) => format!("{name} ({id})"),
        (None, Some(id)) => id.clone(),
        (Some(name), None) => name.clone(),
        (None, None) => f.file.display.clone(),
    }
}

/// The note of an unreadable inventory: for the office at its terminal (`human`),
/// told the command that shows the errors, or for the facility reading its answer sheet
/// (`html`), told what to do in its own words.
fn unreadable_note(lang: Lang, facility: bool) -> &'static str {
    match facility {
        false => lang.pick(
            "この台帳は読めないか形式（スキーマ）に合わないため、どの項目も台帳からは答えられません（要確認）。rurume check で直してください",
            "this inventory is not JSON or breaks the schema, so no item can be answered from it (unknown); fix it with rurume check",
        ),
        true => lang.pick(
            "この台帳は読めないか、決められた形式に合わないため、どの項目も台帳からは答えられません（要確認）。台帳の形式の誤りを直してから、もう一度点検してください",
            "this inventory cannot be read or does not follow the required format, so no item can be answered from it (unknown); correct the inventory's format, then have it checked again",
        ),
    }
}

/// What an item answered はい only because of a 第10条 exception says of one waived
/// finding: the rule, the exception and its reason.
fn waived_note(f: &FileAnswers, l: &crate::engine::Located, lang: Lang) -> String {
    let at = l.finding.waived_by.as_deref().unwrap_or_default();
    let reason = f
        .file
        .exceptions
        .iter()
        .find(|e| e.pointer == at)
        .and_then(|e| e.reason.as_deref());
    let reason = match reason {
        Some("life_protection") => lang.pick("人の生命・身体の保護", "protecting life or body"),
        Some("disaster") => lang.pick("災害時の連絡・情報共有", "communication in a disaster"),
        Some(other) => other,
        None => "-",
    };
    match lang {
        Lang::Ja => format!(
            "第10条の例外により免除: {} {}（例外 {at}、理由: {reason}）",
            l.finding.rule, l.finding.pointer
        ),
        Lang::En => format!(
            "waived by an Article 10 exception: {} {} (exception {at}, reason: {reason})",
            l.finding.rule, l.finding.pointer
        ),
    }
}

/// `--format human`: every item with its answer; for いいえ the findings behind it with
/// their fix, for an item checked by hand what to check. `quiet` leaves out the summary.
pub fn human(checklist: &Checklist, answers: &[FileAnswers], lang: Lang, quiet: bool) -> String {
    let mut out = String::new();
    let width = [Answer::Yes, Answer::No, Answer::Unknown]
        .iter()
        .map(|a| unicode_width::UnicodeWidthStr::width(a.label(lang)))
        .max()
        .unwrap_or(0);
    for (n, f) in answers.iter().enumerate() {
        if n > 0 {
            out.push('\n');
        }
        let kind = f.file.facility_kind.as_deref();
        let _ = writeln!(out, "{} — {}", f.file.display, facility_label(f));
        let _ = writeln!(out, "{}", checklist.title_for(kind).get(lang));
        if f.unreadable {
            let _ = writeln!(out, "  {}", unreadable_note(lang, false));
        }
        for i in &f.items {
            let label = i.answer.label(lang);
            let pad = width - unicode_width::UnicodeWidthStr::width(label);
            let _ = writeln!(
                out,
                "  {:<5} {label}{}  {}",
                i.item.number,
                " ".repeat(pad),
                i.item.text_for(kind).get(lang)
            );
            for l in &i.findings {
                let _ = writeln!(
                    out,
                    "        {} {}:{} {}: {}",
                    l.finding.rule,
                    l.position.line,
                    l.position.column,
                    l.finding.pointer,
                    l.finding.message(lang)
                );
                let _ = writeln!(
                    out,
                    "          {} {}",
                    lang.pick("直し方:", "fix:"),
                    l.finding.fix(lang)
                );
            }
            for l in &i.waived {
                let _ = writeln!(out, "        {}", waived_note(f, l, lang));
            }
            if let (Answer::Unknown, Some(manual), false) = (i.answer, &i.item.manual, f.unreadable)
            {
                let _ = writeln!(
                    out,
                    "        {} {}",
                    lang.pick("確認:", "check by hand:"),
                    manual.get(lang)
                );
            }
        }
    }
    if !quiet {
        let s = summary(answers);
        let _ = writeln!(
            out,
            "\n{}",
            match lang {
                Lang::Ja => format!(
                    "{} ファイル: はい {}、いいえ {}、要確認 {}",
                    s.files, s.yes, s.no, s.unknown
                ),
                Lang::En => format!(
                    "{} file(s): yes {}, no {}, unknown {}",
                    s.files, s.yes, s.no, s.unknown
                ),
            }
        );
    }
    out
}

const STYLE: &str = r#"
* { box-sizing: border-box; }
body { margin: 0 auto; max-width: 1100px; padding: 24px; color: #1f2933; line-height: 1.5;
  font-size: 14px; font-family: system-ui, "Segoe UI", "Noto Sans CJK JP", "Noto Sans JP",
  "Hiragino Sans", "Yu Gothic", Meiryo, sans-serif; }
article { page-break-after: always; break-after: page; margin-bottom: 48px; }
article:last-child { page-break-after: auto; break-after: auto; }
h1 { font-size: 20px; margin: 0 0 4px; }
h2 { font-size: 16px; margin: 18px 0 6px; }
.meta { margin: 2px 0; }
.sign { margin: 12px 0; }
.sign span { display: inline-block; min-width: 18em; border-bottom: 1px solid #1f2933;
  padding: 0 4px; }
table { border-collapse: collapse; width: 100%; }
th, td { border: 1px solid #9aa5b1; padding: 4px 8px; text-align: left; vertical-align: top; }
th { background: #f0f2f5; }
td.no { white-space: nowrap; }
td.answer { white-space: nowrap; font-weight: 700; text-align: center; }
td.answer.no { color: #b42318; }
td.answer.unknown { color: #a15c07; }
ul { margin: 4px 0 0; padding-left: 1.2em; }
code { font-family: ui-monospace, Menlo, Consolas, monospace; font-size: 0.92em; }
.note { color: #616e7c; }
.waived { margin: 0; color: #616e7c; }
.due { margin: 4px 0 0; }
.due span { display: inline-block; min-width: 10em; border-bottom: 1px solid #1f2933; }
.circle { display: inline-block; margin-top: 4px; padding: 2px 6px; border: 1px solid #1f2933;
  font-weight: 400; color: #1f2933; }
@page { size: A4 portrait; margin: 14mm; }
@media print { body { padding: 0; } * { -webkit-print-color-adjust: exact; print-color-adjust: exact; } }
"#;

/// `--format html`: a printable answer sheet per facility, in the form's order, with the
/// date checked, a line for the person responsible, and for each いいえ what to fix.
pub fn html(
    checklist: &Checklist,
    answers: &[FileAnswers],
    as_of: jiff::civil::Date,
    lang: Lang,
) -> String {
    let esc = crate::output::audit::html::esc;
    let mut h = String::new();
    let _ = write!(
        h,
        "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n<title>{}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n",
        lang.pick("ja", "en"),
        esc(checklist.title.get(lang))
    );
    for f in answers {
        let kind = f.file.facility_kind.as_deref();
        let _ = write!(
            h,
            "<article>\n<h1>{}</h1>\n<p class=\"meta\">{}: {}</p>\n<p class=\"meta\">{}: <code>{}</code></p>\n<p class=\"meta\">{}: {}</p>\n<p class=\"sign\">{}: <span>{}</span> {}</p>\n",
            esc(checklist.title_for(kind).get(lang)),
            lang.pick("施設", "Facility"),
            esc(&facility_label(f)),
            lang.pick("台帳", "Inventory"),
            esc(&f.file.display),
            lang.pick("確認日", "Checked on"),
            as_of,
            lang.pick(
                "確認者（医療情報システム安全管理責任者）",
                "Checked by (security officer)"
            ),
            f.file
                .security_officer
                .as_deref()
                .map(esc)
                .unwrap_or_default(),
            lang.pick("（署名）", "(signature)"),
        );
        if f.unreadable {
            let _ = writeln!(
                h,
                "<p class=\"note\">{}</p>",
                esc(unreadable_note(lang, true))
            );
        }
        for section in &checklist.sections {
            let _ = write!(
                h,
                "<h2>{} {}</h2>\n<table>\n<thead><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr></thead>\n<tbody>\n",
                esc(&section.number),
                esc(section.title.get(lang)),
                lang.pick("番号", "No."),
                lang.pick("項目", "Item"),
                lang.pick("回答", "Answer"),
                lang.pick("直すこと・確かめること", "To fix or check"),
            );
            for i in f
                .items
                .iter()
                .filter(|i| section.items.iter().any(|s| s.id == i.item.id))
            {
                let class = match i.answer {
                    Answer::Yes => "yes",
                    Answer::No => "no",
                    Answer::Unknown => "unknown",
                };
                let mut notes = String::new();
                if !i.findings.is_empty() {
                    notes.push_str("<ul>");
                    for l in &i.findings {
                        let _ = write!(
                            notes,
                            "<li><code>{}</code> ({}:{}) {}<br>{} {}</li>",
                            esc(&l.finding.rule),
                            l.position.line,
                            l.position.column,
                            esc(&l.finding.message(lang)),
                            lang.pick("直し方:", "Fix:"),
                            esc(&l.finding.fix(lang))
                        );
                    }
                    notes.push_str("</ul>");
                }
                for l in &i.waived {
                    let _ = write!(
                        notes,
                        "<p class=\"waived\">{}</p>",
                        esc(&waived_note(f, l, lang))
                    );
                }
                if i.answer == Answer::No {
                    let _ = write!(
                        notes,
                        "<p class=\"due\">{}: <span></span></p>",
                        lang.pick("対応予定日", "Target date")
                    );
                }
                if let (Answer::Unknown, Some(manual), false) =
                    (i.answer, &i.item.manual, f.unreadable)
                {
                    let _ = write!(
                        notes,
                        "{} {}",
                        lang.pick(
                            "台帳からは分かりません。確認:",
                            "Not in the inventory. Check by hand:"
                        ),
                        esc(manual.get(lang))
                    );
                }
                let _ = writeln!(
                    h,
                    "<tr><td class=\"no\">{}</td><td>{}</td><td class=\"answer {class}\">{}</td><td>{notes}</td></tr>",
                    esc(&i.item.number),
                    esc(i.item.text_for(kind).get(lang)),
                    match i.answer {
                        Answer::Unknown => format!(
                            "{}<br><span class=\"circle\">{}</span>",
                            i.answer.label(lang),
                            lang.pick("はい ／ いいえ", "yes / no")
                        ),
                        _ => i.answer.label(lang).to_owned(),
                    },
                );
            }
            h.push_str("</tbody>\n</table>\n");
        }
        h.push_str("</article>\n");
    }
    h.push_str("</body>\n</html>\n");
    h
}
