//! `rurume audit --letters DIR`: one printable letter per facility, to send back after a
//! round (HTML, A4 portrait, Japanese by default, English with `--lang en`).
//!
//! A letter holds the facility's name, the round's date (the evaluation date, `--as-of`)
//! and reply deadline (`--deadline`, else `[round] deadline` of `rurume.toml`), its
//! unwaived findings grouped by article in plain words with their fix hints, what improved
//! since the previous round (with `--previous`), and the office's contact (`[round.office]`).
//! A facility on the roster that did not submit gets a reminder instead.
//!
//! **A letter speaks the form.** It goes to the facility's clerk, so each finding is worded
//! for [`Reader::Facility`]: the rule's page wording (`page_message`, `page_fix`: the
//! form's labels, which are also the workbook's headers) where the rule has it, the
//! schema's titles for format errors — never a field name, a pointer or a command. The
//! office's own report (`--format`) keeps the precise field names.
//!
//! **A letter never names another facility or its file.** Cross-file findings are worded
//! for [`Reader::Facility`], which says 「他の事業所」/"another facility" where the office's
//! outputs name the other files: by construction, not by replacing text afterwards. The
//! findings' messages never contain a secret (they are masked when bound), and a letter
//! shows nothing else of the file but the facility's own name, id and file names.
//!
//! Files are named `<facility id>.html` (characters other than letters, digits, `-` and
//! `_` become `_`); a facility without a readable id gets no letter (a note says so).

use std::fmt::Write;
use std::path::Path;

use rayon::prelude::*;

use super::audit::{esc, severity_label};
use crate::audit::{Column, Matrix, Row, changes};
use crate::engine::{FileReport, Located, Report};
use crate::finding::{Reader, Severity};
use crate::lang::Lang;
use crate::lang::Text;
use crate::rules::RuleSet;

/// What every letter of a round says besides its facility's findings.
#[derive(Debug, Clone, Default)]
pub struct Round {
    pub title: Option<String>,
    pub date: jiff::civil::Date,
    pub deadline: Option<jiff::civil::Date>,
    pub office: crate::config::Office,
}

impl Round {
    /// `--deadline` wins over `[round] deadline`; the round's date is the evaluation date.
    pub fn new(
        config: &crate::config::Round,
        deadline: Option<jiff::civil::Date>,
        date: jiff::civil::Date,
    ) -> Round {
        Round {
            title: config.title.clone(),
            date,
            deadline: deadline.or_else(|| config.deadline_date()),
            office: config.office.clone(),
        }
    }
}

const STYLE: &str = r#"
@page { size: A4 portrait; margin: 16mm 16mm 18mm; }
* { box-sizing: border-box; }
body { margin: 0 auto; max-width: 180mm; padding: 12mm 0; color: #1f2933; background: #fff;
  font-size: 10.5pt; line-height: 1.7;
  font-family: "Noto Sans CJK JP", "Noto Sans JP", "Hiragino Sans", "Yu Gothic", Meiryo,
    system-ui, sans-serif; }
@media print { body { padding: 0; max-width: none; } }
.top { display: flex; justify-content: space-between; align-items: flex-start; gap: 12mm; }
.to { font-size: 13pt; font-weight: bold; margin: 0; }
.to small { display: block; font-size: 9pt; font-weight: normal; color: #52606d; }
.dates { text-align: right; margin: 0; font-size: 9.5pt; }
.dates b { font-size: 11pt; }
h1 { font-size: 15pt; text-align: center; margin: 10mm 0 6mm; letter-spacing: 0.05em; }
h2 { font-size: 12pt; margin: 7mm 0 2mm; padding: 0 0 1mm; border-bottom: 1.5pt solid #1f2933;
  break-after: avoid; }
h3 { font-size: 10.5pt; margin: 4mm 0 1mm; break-after: avoid; }
p { margin: 0 0 2mm; }
.summary { display: flex; gap: 4mm; margin: 3mm 0; }
.summary div { flex: 1; border: 0.75pt solid #9aa5b1; border-radius: 2mm; padding: 2mm 3mm;
  text-align: center; }
.summary b { display: block; font-size: 16pt; line-height: 1.3; }
.err b { color: #b42318; } .warn b { color: #a15c07; } .ok b { color: #1e7b46; }
ol.findings { margin: 0; padding-left: 6mm; }
ol.findings li { margin: 0 0 2.5mm; break-inside: avoid; }
.sev { display: inline-block; font-size: 8.5pt; padding: 0 1.5mm; border-radius: 1mm;
  color: #fff; margin-right: 1.5mm; }
.sev.error { background: #b42318; } .sev.warning { background: #a15c07; }
.rule { color: #52606d; font-size: 9pt; }
.fix { margin: 0.5mm 0 0; padding-left: 3mm; border-left: 2pt solid #9aa5b1; }
.where { color: #52606d; font-size: 9pt; }
ul.improved li { break-inside: avoid; }
.contact { margin-top: 8mm; border: 0.75pt solid #9aa5b1; padding: 3mm 4mm; break-inside: avoid; }
.contact p { margin: 0; }
footer { margin-top: 6mm; color: #7b8794; font-size: 8pt; text-align: right; }
"#;

/// Writes every letter into `dir` (which exists). Returns notes for the office: letters
/// that could not be written, facilities without an id.
pub fn write_all(
    dir: &Path,
    m: &Matrix,
    rules: &RuleSet,
    report: &Report,
    previous: Option<&Report>,
    round: &Round,
    lang: Lang,
) -> Vec<String> {
    let compared = previous.map(|p| changes::compare(report, p));
    let mut notes: Vec<String> = m
        .rows
        .par_iter()
        .filter_map(|row| {
            let Some(id) = &row.facility else {
                return Some(match lang {
                    Lang::Ja => format!(
                        "{}: 事業所コード（facility.id）が読めないため、お知らせを作りませんでした",
                        row.file
                    ),
                    Lang::En => {
                        format!("{}: no letter, as its facility.id cannot be read", row.file)
                    }
                });
            };
            let file = &report.files[row.file_index];
            let improved = match (previous, &compared) {
                (Some(p), Some(c)) => Some(
                    c.get(&changes::facility_of(file))
                        .map(|c| {
                            c.fixed
                                .iter()
                                .map(|at| changes::previous_finding(p, *at))
                                .collect::<Vec<_>>()
                        })
                        .unwrap_or_default(),
                ),
                _ => None,
            };
            let superseded: Vec<&str> = m
                .superseded
                .iter()
                .filter(|s| &s.facility == id)
                .map(|s| s.file.as_str())
                .collect();
            let html = letter(
                m,
                rules,
                row,
                file,
                improved.as_deref(),
                &superseded,
                round,
                lang,
            );
            write(dir, id, &html, lang)
        })
        .collect();
    if let Some(roster) = &m.roster {
        notes.extend(
            roster
                .missing
                .par_iter()
                .filter_map(|entry| {
                    let html = reminder(&entry.id, &entry.name, round, lang);
                    write(dir, &entry.id, &html, lang)
                })
                .collect::<Vec<_>>(),
        );
    }
    notes
}

/// `F0001` → `F0001.html`; anything but letters, digits, `-` and `_` becomes `_`.
pub fn file_name(id: &str) -> String {
    let stem: String = id
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect();
    format!("{stem}.html")
}

fn write(dir: &Path, id: &str, html: &str, lang: Lang) -> Option<String> {
    let path = dir.join(file_name(id));
    let e = crate::atomic::write(&path, html.as_bytes()).err()?;
    Some(match lang {
        Lang::Ja => format!("{}: お知らせを書き出せません（{e}）", path.display()),
        Lang::En => format!("{}: cannot write the letter ({e})", path.display()),
    })
}

fn head(h: &mut String, title: &str, lang: Lang) {
    let _ = write!(
        h,
        "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n",
        lang.pick("ja", "en"),
        esc(title)
    );
}

/// The addressee and the dates.
fn top(h: &mut String, id: &str, name: &str, round: &Round, lang: Lang) {
    let deadline = round.deadline.map_or_else(String::new, |d| {
        format!(
            "<br>{} <b>{}</b>",
            esc(lang.pick("ご回答の期限", "Please reply by")),
            date(d, lang)
        )
    });
    let _ = write!(
        h,
        "<div class=\"top\">\n<p class=\"to\">{}<small>{} {}</small></p>\n\
         <p class=\"dates\">{} {}{deadline}</p>\n</div>\n",
        esc(&match lang {
            Lang::Ja => format!("{name} 御中"),
            Lang::En => format!("To: {name}"),
        }),
        esc(lang.pick("事業所コード", "Facility code")),
        esc(id),
        esc(lang.pick("点検日", "Checked on")),
        date(round.date, lang),
    );
}

fn date(d: jiff::civil::Date, lang: Lang) -> String {
    match lang {
        Lang::Ja => format!("{}年{}月{}日", d.year(), d.month(), d.day()),
        Lang::En => d.strftime("%-d %B %Y").to_string(),
    }
}

fn title(round: &Round, lang: Lang, what: &str) -> String {
    match &round.title {
        Some(t) => format!("{t} {what}"),
        None => format!(
            "{} {what}",
            lang.pick("るるめネット 台帳点検", "るるめネット inventory check")
        ),
    }
}

/// The letter of a facility that submitted.
#[allow(clippy::too_many_arguments)]
fn letter(
    m: &Matrix,
    rules: &RuleSet,
    row: &Row,
    file: &FileReport,
    improved: Option<&[(&FileReport, &Located)]>,
    superseded: &[&str],
    round: &Round,
    lang: Lang,
) -> String {
    let mut h = String::with_capacity(8 * 1024);
    let heading = title(round, lang, lang.pick("結果のお知らせ", "— results"));
    head(&mut h, &heading, lang);
    let id = row.facility.as_deref().unwrap_or_default();
    let name = row.name.as_deref().unwrap_or(id);
    top(&mut h, id, name, round, lang);
    let _ = writeln!(h, "<h1>{}</h1>", esc(&heading));
    let findings: Vec<&Located> = file
        .findings
        .iter()
        .filter(|l| !l.finding.is_waived())
        .collect();
    let _ = writeln!(
        h,
        "<p>{}</p>",
        esc(&match lang {
            Lang::Ja => format!(
                "いつもるるめネットの運用にご協力いただき、ありがとうございます。ご提出いただいた台帳（{}）を、るるめネット運用ポリシーに照らして点検しました。結果をお知らせします。",
                file_label(&file.display)
            ),
            Lang::En => format!(
                "Thank you for your inventory ({}). We have checked it against the るるめネット operating policy; here are the results.",
                file_label(&file.display)
            ),
        })
    );
    if !superseded.is_empty() {
        let list: Vec<String> = superseded.iter().map(|f| file_label(f)).collect();
        let _ = writeln!(
            h,
            "<p class=\"where\">{}</p>",
            esc(&match lang {
                Lang::Ja => format!(
                    "複数の台帳をお送りいただいたため、最新のもの（{}）を点検しました。以前のもの（{}）は点検の対象にしていません。",
                    file_label(&file.display),
                    list.join("、")
                ),
                Lang::En => format!(
                    "You sent several inventories: we checked the latest ({}), not the earlier {}.",
                    file_label(&file.display),
                    list.join(", ")
                ),
            })
        );
    }
    summary(&mut h, row, lang);
    if findings.is_empty() {
        let _ = writeln!(
            h,
            "<h2>{}</h2>\n<p>{}</p>",
            esc(lang.pick("点検の結果", "Results")),
            esc(lang.pick(
                "直していただく指摘はありませんでした。引き続き適切な管理をお願いいたします。",
                "There is nothing to fix. Thank you for keeping it that way.",
            ))
        );
    } else {
        let _ = writeln!(
            h,
            "<h2>{}</h2>\n<p>{}</p>",
            esc(lang.pick("直していただきたい点", "What to fix")),
            esc(&match (lang, round.deadline) {
                (Lang::Ja, Some(d)) => format!(
                    "次の点を直し、{}までに台帳を提出し直してください。「エラー」は必ず直す必要のある違反、「警告」は確認と改善をお願いしたい点です。",
                    date(d, lang)
                ),
                (Lang::Ja, None) => "次の点を直し、台帳を提出し直してください。「エラー」は必ず直す必要のある違反、「警告」は確認と改善をお願いしたい点です。".to_owned(),
                (Lang::En, Some(d)) => format!(
                    "Please fix the following and send the inventory again by {}. Errors must be fixed; warnings are points to check and improve.",
                    date(d, lang)
                ),
                (Lang::En, None) => "Please fix the following and send the inventory again. Errors must be fixed; warnings are points to check and improve.".to_owned(),
            })
        );
        by_article(&mut h, m, rules, file, &findings, lang);
    }
    if let Some(improved) = improved {
        improvements(&mut h, m, rules, improved, lang);
    }
    contact(&mut h, round, lang);
    footer(&mut h, round, lang);
    h
}

/// The counts at the top: errors, warnings, and the change since the previous round.
fn summary(h: &mut String, row: &Row, lang: Lang) {
    let _ = write!(
        h,
        "<div class=\"summary\">\n<div class=\"err\"><b>{}</b>{}</div>\n\
         <div class=\"warn\"><b>{}</b>{}</div>\n",
        row.errors,
        esc(lang.pick("エラー", "errors")),
        row.warnings,
        esc(lang.pick("警告", "warnings")),
    );
    if let Some(c) = &row.changes {
        let _ = writeln!(
            h,
            "<div class=\"ok\"><b>{}</b>{}</div>\n<div><b>{}</b>{}</div>",
            c.total.fixed,
            esc(lang.pick("前回から改善", "fixed since last round")),
            c.total.new,
            esc(lang.pick("新たな指摘", "new")),
        );
    }
    h.push_str("</div>\n");
    if row.waived > 0 {
        let _ = writeln!(
            h,
            "<p class=\"where\">{}</p>",
            esc(&match lang {
                Lang::Ja => format!(
                    "このほか、第10条の例外として記録された {} 件は免除しています。",
                    row.waived
                ),
                Lang::En => format!(
                    "{} more findings are waived by exceptions recorded under Article 10.",
                    row.waived
                ),
            })
        );
    }
}

/// A file's name without its folder: the facility's own file, never another's.
fn file_label(display: &str) -> String {
    display
        .rsplit(['/', '\\'])
        .next()
        .unwrap_or(display)
        .to_owned()
}

/// The findings by article, in the matrix's column order.
fn by_article(
    h: &mut String,
    m: &Matrix,
    rules: &RuleSet,
    file: &FileReport,
    findings: &[&Located],
    lang: Lang,
) {
    let mut groups: Vec<(&str, Vec<(usize, &Located)>)> = Vec::new();
    let mut sorted: Vec<(usize, &Located)> = findings
        .iter()
        .map(|l| (m.column(&l.finding.rule).unwrap_or(usize::MAX), *l))
        .collect();
    sorted.sort_by_key(|(c, l)| (*c, l.span.start, l.cell));
    for (c, l) in sorted {
        let group = m.columns.get(c).map_or("", |col| col.group.as_str());
        match groups.last_mut() {
            Some((g, items)) if *g == group => items.push((c, l)),
            _ => groups.push((group, vec![(c, l)])),
        }
    }
    for (group, items) in groups {
        let heading = match group {
            "" | crate::engine::builtin::NO_ARTICLE => lang
                .pick("台帳の書き方", "How the inventory is written")
                .to_owned(),
            g => match lang {
                Lang::Ja => format!("{g}について"),
                Lang::En => format!("Under {g}"),
            },
        };
        let _ = writeln!(h, "<h3>{}</h3>\n<ol class=\"findings\">", esc(&heading));
        for (c, l) in items {
            let f = &l.finding;
            let sev = match f.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
            };
            let rule = rule_title(m.columns.get(c), rules, &f.rule, lang);
            let cell = file
                .cell(l)
                .map(|c| {
                    format!(
                        " <span class=\"where\">（{} {}）</span>",
                        esc(lang.pick("セル", "cell")),
                        esc(&c)
                    )
                })
                .unwrap_or_default();
            let _ = writeln!(
                h,
                "<li><span class=\"sev {sev}\">{}</span><span class=\"rule\">{}</span><br>{}{cell}\
                 <p class=\"fix\">{} {}</p></li>",
                esc(severity_label(f.severity, lang)),
                esc(&rule),
                esc(&f.message_for(lang, Reader::Facility)),
                esc(lang.pick("直し方:", "How to fix:")),
                esc(&f.fix_for(lang, Reader::Facility)),
            );
        }
        h.push_str("</ol>\n");
    }
}

/// What the previous round found that is gone now.
/// A rule as the clerk reads it: its title in the letter's language (the matrix's
/// column, else the rule set's or the engine's own rule), never its id; a rule known to
/// none of them (one of a previous round, since dropped) is "another check".
fn rule_title(column: Option<&Column>, rules: &RuleSet, id: &str, lang: Lang) -> String {
    let titled = |t: &Text| Some(t.get(lang)).filter(|t| *t != id).map(str::to_owned);
    column
        .and_then(|c| titled(&c.title))
        .or_else(|| rules.get(id).and_then(|r| titled(&r.title)))
        .or_else(|| {
            crate::engine::builtin::ALL
                .iter()
                .find(|r| r.id == id)
                .and_then(|r| titled(&r.title()))
        })
        .unwrap_or_else(|| lang.pick("その他の点検項目", "Another check").to_owned())
}

fn improvements(
    h: &mut String,
    m: &Matrix,
    rules: &RuleSet,
    improved: &[(&FileReport, &Located)],
    lang: Lang,
) {
    let _ = writeln!(
        h,
        "<h2>{}</h2>",
        esc(lang.pick("前回からの改善", "Improved since the last round"))
    );
    if improved.is_empty() {
        let _ = writeln!(
            h,
            "<p>{}</p>",
            esc(lang.pick(
                "前回の点検での指摘のうち、直っていたものはありませんでした。",
                "None of the previous round's findings has been fixed yet.",
            ))
        );
        return;
    }
    let _ = writeln!(
        h,
        "<p>{}</p>\n<ul class=\"improved\">",
        esc(&match lang {
            Lang::Ja => format!(
                "前回の点検で指摘した次の {} 件が直っていました。ご対応ありがとうございました。",
                improved.len()
            ),
            Lang::En => format!(
                "These {} findings of the last round are fixed. Thank you.",
                improved.len()
            ),
        })
    );
    for (_, l) in improved {
        let f = &l.finding;
        let rule = rule_title(
            m.column(&f.rule).map(|c| &m.columns[c]),
            rules,
            &f.rule,
            lang,
        );
        let _ = writeln!(
            h,
            "<li><span class=\"rule\">{}</span> {}</li>",
            esc(&rule),
            esc(&f.message_for(lang, Reader::Facility))
        );
    }
    h.push_str("</ul>\n");
}

fn contact(h: &mut String, round: &Round, lang: Lang) {
    let o = &round.office;
    let lines: Vec<String> = [
        (None, o.name.as_deref()),
        (Some(lang.pick("担当", "Contact")), o.person.as_deref()),
        (Some(lang.pick("住所", "Address")), o.address.as_deref()),
        (Some(lang.pick("電話", "Phone")), o.phone.as_deref()),
        (Some(lang.pick("メール", "Email")), o.email.as_deref()),
        (Some(lang.pick("受付時間", "Hours")), o.hours.as_deref()),
    ]
    .into_iter()
    .filter_map(|(label, value)| {
        let value = esc(value?);
        Some(match label {
            Some(label) => format!("<p>{}: {value}</p>", esc(label)),
            None => format!("<p><b>{value}</b></p>"),
        })
    })
    .collect();
    let _ = writeln!(
        h,
        "<div class=\"contact\">\n<p>{}</p>\n{}\n</div>",
        esc(lang.pick(
            "ご不明な点は、下記までお問い合わせください。",
            "If anything is unclear, please contact:",
        )),
        if lines.is_empty() {
            format!(
                "<p><b>{}</b></p>",
                esc(lang.pick(
                    "東久留米市医師会 事務局",
                    "The office of the 東久留米市医師会"
                ))
            )
        } else {
            lines.join("\n")
        }
    );
}

fn footer(h: &mut String, round: &Round, lang: Lang) {
    let _ = writeln!(
        h,
        "<footer>rurume {} · {} {}</footer>\n</body>\n</html>",
        env!("CARGO_PKG_VERSION"),
        esc(lang.pick("基準日", "as of")),
        round.date
    );
}

/// The letter of a facility on the roster that did not submit.
fn reminder(id: &str, name: &str, round: &Round, lang: Lang) -> String {
    let mut h = String::with_capacity(4 * 1024);
    let heading = title(
        round,
        lang,
        lang.pick("台帳ご提出のお願い", "— please submit"),
    );
    head(&mut h, &heading, lang);
    let shown = if name.is_empty() { id } else { name };
    top(&mut h, id, shown, round, lang);
    let _ = writeln!(
        h,
        "<h1>{}</h1>\n<p>{}</p>",
        esc(&heading),
        esc(&match (lang, round.deadline) {
            (Lang::Ja, Some(d)) => format!(
                "今回の点検のための端末・アカウント台帳を、まだお受け取りしていません。お手数ですが、{}までにご提出ください。すでにお送りいただいている場合は、行き違いですのでご容赦ください。",
                date(d, lang)
            ),
            (Lang::Ja, None) => "今回の点検のための端末・アカウント台帳を、まだお受け取りしていません。お手数ですが、ご提出をお願いいたします。すでにお送りいただいている場合は、行き違いですのでご容赦ください。".to_owned(),
            (Lang::En, Some(d)) => format!(
                "We have not yet received your inventory of devices and accounts for this round. Please send it by {}. If you have already sent it, please disregard this letter.",
                date(d, lang)
            ),
            (Lang::En, None) => "We have not yet received your inventory of devices and accounts for this round. Please send it. If you have already sent it, please disregard this letter.".to_owned(),
        })
    );
    contact(&mut h, round, lang);
    footer(&mut h, round, lang);
    h
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names() {
        assert_eq!(file_name("F0001"), "F0001.html");
        assert_eq!(file_name("../F 1"), "___F_1.html");
    }

    #[test]
    fn a_rule_without_a_column_is_named_by_its_title_never_its_id() {
        let rules = RuleSet::builtin().unwrap();
        let rule = &rules.rules[0];
        for lang in [Lang::Ja, Lang::En] {
            assert_eq!(
                rule_title(None, &rules, &rule.id, lang),
                rule.title.get(lang)
            );
        }
        let schema = crate::engine::builtin::SCHEMA.id;
        assert_eq!(
            rule_title(None, &rules, schema, Lang::Ja),
            crate::engine::builtin::SCHEMA.title().ja
        );
        assert_eq!(
            rule_title(None, &rules, "dropped-since-last-round", Lang::Ja),
            "その他の点検項目"
        );
    }
}
