//! `rurume audit --format html`: one self-contained report for the association's office.
//!
//! No script, no external font, stylesheet or image: inline CSS only, system fonts (a
//! Japanese one when installed). Four parts: the overall figures and the definition of
//! compliance; a heat map of the matrix (cell colour by count, fixed steps 0, 1, 2, 3–4, 5+;
//! hatched when the rule did not run on the file); a bar chart of the rules with the most
//! unwaived findings; the rules with their compliance rates; and each facility's findings
//! (rule, article, JSON pointer, line:column, message, fix hint; waived findings marked).
//! With the `mhlw` profile in force, a section with the MHLW checklist's answers, facility
//! by item, each cell coloured and written out (it prints in black and white), and each
//! item's counts; without it, the report is the same as ever (its styles too).
//!
//! Every text is HTML-escaped. Nothing of the inventory files is shown but the facility's
//! id, name and kind and the findings, which never contain a password. Printing gives A4
//! landscape pages with the colours kept.

use std::fmt::Write;

use super::{
    ANSWERS, answer_index, checklist_totals, compliance_definition, kind_label, rate_label,
    severity_label, unknown_key,
};
use crate::audit::changes::Changes;
use crate::audit::{Matrix, Row};
use crate::checklist::Answer;
use crate::engine::Report;
use crate::finding::Severity;
use crate::lang::Lang;

const STYLE: &str = r#"
:root { --ink: #1f2933; --muted: #616e7c; --line: #d9dee3; --ok: #1e7b46; --ng: #b42318;
  --warn: #a15c07; --c0: #eef6f0; --c1: #fde7c8; --c2: #f8b26a; --c3: #ea6a3a; --c4: #b42318; }
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body { margin: 0 auto; max-width: 1600px; padding: 24px 28px 48px; color: var(--ink);
  background: #fff; line-height: 1.55; font-size: 14px;
  font-family: system-ui, -apple-system, "Segoe UI", "Noto Sans CJK JP", "Noto Sans JP",
    "Hiragino Sans", "Hiragino Kaku Gothic ProN", "Yu Gothic", Meiryo, sans-serif; }
h1 { font-size: 24px; margin: 0 0 4px; }
h2 { font-size: 18px; margin: 36px 0 10px; padding-bottom: 4px; border-bottom: 2px solid var(--ink); }
h3 { font-size: 16px; margin: 0; }
code { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, "DejaVu Sans Mono", monospace;
  font-size: 0.92em; }
.meta, .note, .file { color: var(--muted); margin: 2px 0; }
.note { font-size: 13px; }
nav { margin: 12px 0 0; font-size: 13px; }
nav a { margin-right: 16px; color: var(--ink); }
.cards { display: flex; flex-wrap: wrap; gap: 12px; margin: 16px 0 8px; }
.card { border: 1px solid var(--line); border-radius: 8px; padding: 10px 16px; min-width: 150px; }
.card .big { display: block; font-size: 28px; font-weight: 700; line-height: 1.2; }
.card.rate .big { color: var(--ok); }
.card.err .big { color: var(--ng); }
.card.warn .big { color: var(--warn); }
.scroll { overflow-x: auto; }
table { border-collapse: collapse; }
th, td { padding: 4px 8px; text-align: left; vertical-align: top; }
.heat { font-size: 13px; }
.heat th, .heat td { border: 1px solid var(--line); }
.heat thead th { background: #f5f7fa; vertical-align: bottom; }
.heat th.group { text-align: center; font-weight: 600; white-space: nowrap; }
.heat td { vertical-align: middle; }
.heat th.rule { padding: 6px 1px; width: 24px; }
.heat .badge { white-space: normal; text-align: center; }
.heat th.rule span { writing-mode: vertical-rl; transform: rotate(180deg); white-space: nowrap;
  font-family: ui-monospace, Menlo, Consolas, "DejaVu Sans Mono", monospace; font-weight: 400; font-size: 12px; }
.heat th.rule.warning span { font-style: italic; }
html[lang="ja"] .heat th.rule span { transform: none; letter-spacing: 0.05em; }
.changes { border-collapse: collapse; font-size: 13px; }
.changes th, .changes td { border-bottom: 1px solid var(--line); }
.changes td.num { text-align: right; font-variant-numeric: tabular-nums; }
.bars { display: flex; height: 14px; min-width: 2px; }
.bars span { display: block; height: 100%; }
.bars .fixed { background: var(--ok); } .bars .new { background: var(--ng); }
.bars .persisting { background: #9aa5b1; }
.key span.sw { display: inline-block; width: 12px; height: 12px; margin: 0 4px 0 12px; vertical-align: -1px; }
.heat td.n { text-align: center; padding: 4px 1px; min-width: 24px; font-variant-numeric: tabular-nums; }
.heat td.name { min-width: 12em; }
.heat td.name small { display: block; color: var(--muted); }
.heat th.num, .heat td.num, .heat tfoot td { white-space: nowrap; }
.heat td.num, .heat th.num { text-align: right; font-variant-numeric: tabular-nums; }
.heat tfoot th, .heat tfoot td:not(.c0):not(.c1):not(.c2):not(.c3):not(.c4) { background: #f5f7fa; }
.heat tfoot td, .heat tfoot th { font-weight: 600; }
.heat tfoot tr.rate td.n { font-weight: 400; font-size: 11px; }
.heat a { color: inherit; }
.c0 { background: var(--c0); color: #9aa5b1; }
.c1 { background: var(--c1); }
.c2 { background: var(--c2); }
.c3 { background: var(--c3); color: #fff; font-weight: 700; }
.c4 { background: var(--c4); color: #fff; font-weight: 700; }
.na { background: repeating-linear-gradient(135deg, #eceff3 0 4px, #fff 4px 8px); color: var(--muted); }
.legend { display: flex; flex-wrap: wrap; gap: 14px; align-items: center; font-size: 12px;
  color: var(--muted); margin: 8px 0 0; }
.legend span.sw { display: inline-block; width: 22px; height: 14px; border: 1px solid var(--line);
  vertical-align: middle; margin-right: 4px; }
.badge { display: inline-block; border-radius: 10px; padding: 0 8px; font-size: 12px; font-weight: 600;
  white-space: nowrap; vertical-align: middle; }
.badge.ok { background: #dff3e6; color: var(--ok); }
.badge.ng { background: #fde3e1; color: var(--ng); }
.badge.error { background: #fde3e1; color: var(--ng); }
.badge.warning { background: #fdf0d8; color: var(--warn); }
.badge.waived { background: #e7ebf0; color: #3e4c59; }
.bars { display: grid; grid-template-columns: minmax(220px, 34%) 1fr auto; gap: 6px 12px;
  align-items: center; max-width: 1100px; }
.bars .label { font-size: 13px; }
.bars .label small { display: block; color: var(--muted); }
.bars .track { background: #f1f3f5; height: 18px; border-radius: 3px; }
.bars .bar { height: 18px; border-radius: 3px; min-width: 3px; }
.bars .bar.error { background: var(--c3); }
.bars .bar.warning { background: var(--c2); }
.bars .value { font-size: 13px; white-space: nowrap; font-variant-numeric: tabular-nums; }
.rules { font-size: 13px; width: 100%; max-width: 1100px; }
.rules th, .rules td, .findings th, .findings td { border-bottom: 1px solid var(--line); }
.rules thead th, .findings thead th { background: #f5f7fa; white-space: nowrap; }
.rules td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.meter { display: inline-block; width: 80px; height: 8px; background: #fde3e1; border-radius: 4px;
  vertical-align: middle; margin-left: 6px; overflow: hidden; }
.meter i { display: block; height: 8px; background: var(--ok); }
.facility { border: 1px solid var(--line); border-radius: 8px; padding: 12px 16px; margin: 14px 0; }
.facility .head { display: flex; flex-wrap: wrap; gap: 8px; align-items: baseline; }
.facility .kind { color: var(--muted); font-size: 13px; }
.findings { font-size: 13px; width: 100%; margin-top: 8px; table-layout: fixed; }
.findings col.rule { width: 15%; } .findings col.art { width: 8%; } .findings col.ptr { width: 15%; }
.findings col.pos { width: 6%; } .findings col.msg { width: 28%; } .findings col.fix { width: 28%; }
.findings td.pos { white-space: nowrap; font-variant-numeric: tabular-nums; }
.findings td.ptr { overflow-wrap: anywhere; }
.findings td.rule code { overflow-wrap: anywhere; white-space: normal; }
.findings td.fix { color: #3e4c59; }
.findings tr.waived td { color: var(--muted); background: #f7f8fa; }
.empty { color: var(--ok); margin: 6px 0 0; }
footer { margin-top: 40px; color: var(--muted); font-size: 12px; border-top: 1px solid var(--line); padding-top: 8px; }
@page { size: A4 landscape; margin: 10mm; }
@media print {
  body { max-width: none; padding: 0; font-size: 10pt; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  nav { display: none; }
  .scroll { overflow: visible; }
  h2 { break-after: avoid; margin-top: 18px; }
  .heat { font-size: 8.5pt; }
  .heat th.rule { width: 20px; }
  .heat th.rule span { font-size: 7.5pt; }
  .heat td.n { min-width: 18px; padding: 2px 1px; }
  .heat td.name { min-width: 14em; white-space: nowrap; }
  .heat td.name small { display: inline; margin-left: 0.6em; }
  .heat tfoot { display: table-row-group; }
  header h1 { font-size: 16pt; }
  .cards { margin: 6px 0 2px; gap: 8px; }
  .card { padding: 4px 12px; min-width: 0; }
  .card .big { display: inline; font-size: 14pt; margin-right: 6px; }
  h2 { font-size: 13pt; }
  .bars, .rules { max-width: none; }
  tr, .bars > div { break-inside: avoid; }
  thead { display: table-header-group; }
  .facility { break-inside: auto; border: none; border-top: 2px solid var(--ink); border-radius: 0;
    padding: 6px 0 0; }
  .facility .head, .facility .file, .facility .note { break-after: avoid; }
  .facility.keep { break-inside: avoid; }
  a { color: inherit; text-decoration: none; }
  #top, #detail { break-before: page; }
}
"#;

/// The styles of the checklist's section, written only when it is (the report without
/// the `mhlw` profile stays as it was).
const CHECKLIST_STYLE: &str = r#"
.answers { font-size: 13px; }
.answers th, .answers td { border: 1px solid var(--line); }
.answers thead th { background: #f5f7fa; vertical-align: bottom; }
.answers th.item { padding: 6px 1px; width: 30px; }
.answers th.item span { writing-mode: vertical-rl; white-space: nowrap; font-weight: 400; font-size: 12px; }
html[lang="en"] .answers th.item span { transform: rotate(180deg); }
.answers td.name { min-width: 12em; }
.answers td.a { text-align: center; padding: 3px 2px; white-space: nowrap; font-size: 12px; }
.answers td.yes { background: #dff3e6; color: var(--ok); }
.answers td.no { background: #fde3e1; color: var(--ng); font-weight: 700; }
.answers td.unknown { background: repeating-linear-gradient(135deg, #eceff3 0 4px, #fff 4px 8px);
  color: #3e4c59; font-style: italic; }
.answers td.num, .answers th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.answers tfoot th, .answers tfoot td { background: #f5f7fa; font-weight: 600; }
.answers tfoot td.a { font-weight: 400; }
.items { font-size: 13px; width: 100%; max-width: 1100px; margin-top: 12px; }
.items th, .items td { border-bottom: 1px solid var(--line); }
.items thead th { background: #f5f7fa; white-space: nowrap; }
.items td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.items td.manual { color: var(--muted); font-size: 12px; }
@media print {
  #checklist { break-before: page; }
  .answers { font-size: 8.5pt; }
  .answers td.a { font-size: 8pt; padding: 2px 1px; }
}
"#;

pub fn render(m: &Matrix, report: &Report, lang: Lang) -> String {
    let mut h = String::with_capacity(64 * 1024);
    let title = lang.pick(
        "るるめネット 台帳点検の準拠状況",
        "るるめネット inventory compliance",
    );
    let _ = write!(
        h,
        "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{} {}</title>\n<style>{STYLE}{}</style>\n</head>\n<body>\n",
        lang.pick("ja", "en"),
        esc(title),
        m.as_of,
        if m.checklist.is_some() {
            CHECKLIST_STYLE
        } else {
            ""
        },
    );
    header(&mut h, m, lang, title);
    heat_map(&mut h, m, lang);
    bar_chart(&mut h, m, lang);
    rules(&mut h, m, lang);
    checklist(&mut h, m, lang);
    round(&mut h, m, lang);
    details(&mut h, m, report, lang);
    let _ = write!(
        h,
        "<footer>rurume {} · {} {}</footer>\n</body>\n</html>\n",
        env!("CARGO_PKG_VERSION"),
        esc(lang.pick("基準日", "as of")),
        m.as_of
    );
    h
}

fn header(h: &mut String, m: &Matrix, lang: Lang, title: &str) {
    let t = &m.totals;
    let rate = t
        .rate()
        .percent()
        .map_or_else(|| "-".to_owned(), |p| format!("{p}%"));
    let _ = write!(
        h,
        "<header>\n<h1>{}</h1>\n<p class=\"meta\">{} {} · {} {}</p>\n<div class=\"cards\">\n\
         <div class=\"card rate\"><span class=\"big\">{rate}</span>{} ({}/{})</div>\n\
         <div class=\"card err\"><span class=\"big\">{}</span>{}</div>\n\
         <div class=\"card warn\"><span class=\"big\">{}</span>{}</div>\n\
         <div class=\"card\"><span class=\"big\">{}</span>{}</div>\n</div>\n\
         <p class=\"note\">{}</p>\n",
        esc(title),
        esc(lang.pick("基準日", "As of")),
        m.as_of,
        t.facilities,
        esc(lang.pick("事業所", "facilities")),
        esc(lang.pick("適合率", "Compliance rate")),
        t.compliant,
        t.facilities,
        t.errors,
        esc(lang.pick("エラー（免除分を除く）", "errors (unwaived)")),
        t.warnings,
        esc(lang.pick("警告（免除分を除く）", "warnings (unwaived)")),
        t.waived,
        esc(lang.pick("第10条により免除", "waived under Article 10")),
        esc(compliance_definition(lang)),
    );
    let _ = write!(
        h,
        "<nav><a href=\"#matrix\">{}</a><a href=\"#top\">{}</a><a href=\"#rules\">{}</a>",
        esc(lang.pick("1. 事業所×規則", "1. Facilities × rules")),
        esc(lang.pick("2. 指摘の多い規則", "2. Most violated rules")),
        esc(lang.pick("3. 規則別の適合率", "3. Compliance per rule")),
    );
    if m.checklist.is_some() {
        let _ = write!(
            h,
            "<a href=\"#checklist\">{}</a>",
            esc(lang.pick("厚生労働省チェックリスト", "MHLW checklist"))
        );
    }
    let _ = write!(
        h,
        "<a href=\"#detail\">{}</a></nav>\n</header>\n",
        esc(lang.pick("4. 事業所ごとの指摘", "4. Findings per facility")),
    );
}

/// Colour step of a count.
fn step(n: usize) -> &'static str {
    match n {
        0 => "c0",
        1 => "c1",
        2 => "c2",
        3 | 4 => "c3",
        _ => "c4",
    }
}

fn heat_map(h: &mut String, m: &Matrix, lang: Lang) {
    let _ = write!(
        h,
        "<section id=\"matrix\">\n<h2>{}</h2>\n<div class=\"scroll\"><table class=\"heat\">\n<thead>\n<tr>\
         <th rowspan=\"2\">{}</th><th rowspan=\"2\">{}</th>",
        esc(lang.pick(
            "1. 事業所×規則：免除分を除く指摘件数",
            "1. Facilities × rules: unwaived findings"
        )),
        esc(lang.pick("コード", "Code")),
        esc(lang.pick("事業所", "Facility")),
    );
    // Article groups over the rule columns.
    let mut c = 0;
    while c < m.columns.len() {
        let group = &m.columns[c].group;
        let span = m.columns[c..]
            .iter()
            .take_while(|col| &col.group == group)
            .count();
        let label = if m.columns[c].is_format() {
            lang.pick("形式", "Format").to_owned()
        } else {
            group.clone()
        };
        let _ = write!(
            h,
            "<th class=\"group\" colspan=\"{span}\">{}</th>",
            esc(&label)
        );
        c += span;
    }
    let _ = write!(
        h,
        "<th rowspan=\"2\" class=\"num\">{}</th><th rowspan=\"2\" class=\"num\">{}</th>\
         <th rowspan=\"2\" class=\"num\">{}</th><th rowspan=\"2\">{}</th></tr>\n<tr>",
        esc(lang.pick("エラー", "Errors")),
        esc(lang.pick("警告", "Warnings")),
        esc(lang.pick("免除", "Waived")),
        esc(lang.pick("判定", "Status")),
    );
    for col in &m.columns {
        let _ = write!(
            h,
            "<th class=\"rule {}\" title=\"{}: {} [{}] ({})\"><span>{}</span></th>",
            col.severity.as_str(),
            esc(&col.id),
            esc(col.title.get(lang)),
            esc(&col.source),
            esc(severity_label(col.severity, lang)),
            esc(col.short.get(lang))
        );
    }
    h.push_str("</tr>\n</thead>\n<tbody>\n");
    for (i, r) in m.rows.iter().enumerate() {
        row_head(h, i, r, lang);
        let mut facts: Vec<String> = r
            .kind
            .iter()
            .map(|k| kind_label(k, lang).to_owned())
            .collect();
        if let Some(d) = &r.submitted {
            facts.push(format!("{} {d}", lang.pick("提出", "submitted")));
        }
        facts.extend(r.accounts.map(|n| match lang {
            Lang::Ja => format!("アカウント {n}"),
            Lang::En => format!("{n} accounts"),
        }));
        facts.extend(r.devices.map(|n| match lang {
            Lang::Ja => format!("端末 {n}"),
            Lang::En => format!("{n} devices"),
        }));
        if !facts.is_empty() {
            let _ = write!(h, "<small>{}</small>", esc(&facts.join(" · ")));
        }
        h.push_str("</td>");
        for (c, col) in m.columns.iter().enumerate() {
            let cell_title = format!("{} · {}", r.label(), col.id);
            if r.evaluated[c] {
                let n = r.counts[c];
                let text = if n == 0 {
                    "·".to_owned()
                } else {
                    n.to_string()
                };
                let _ = write!(
                    h,
                    "<td class=\"n {}\" title=\"{}: {n}\">{text}</td>",
                    step(n),
                    esc(&cell_title)
                );
            } else {
                let _ = write!(
                    h,
                    "<td class=\"n na\" title=\"{}: {}\">–</td>",
                    esc(&cell_title),
                    esc(lang.pick("評価していない", "not evaluated"))
                );
            }
        }
        let _ = writeln!(
            h,
            "<td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td>{}</td></tr>",
            r.errors,
            r.warnings,
            r.waived,
            status_badge(r, lang)
        );
    }
    let t = &m.totals;
    let _ = write!(
        h,
        "</tbody>\n<tfoot>\n<tr><th colspan=\"2\">{}</th>",
        esc(lang.pick("合計", "Total"))
    );
    for col in &m.columns {
        let _ = write!(h, "<td class=\"n {}\">{}</td>", step(col.total), col.total);
    }
    let _ = writeln!(
        h,
        "<td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td>{}</td></tr>",
        t.errors,
        t.warnings,
        t.waived,
        esc(&rate_label(t.rate()))
    );
    let _ = write!(
        h,
        "<tr class=\"rate\"><th colspan=\"2\">{}</th>",
        esc(lang.pick("適合率", "Compliance rate"))
    );
    for col in &m.columns {
        let _ = write!(
            h,
            "<td class=\"n\" title=\"{}: {}\">{}</td>",
            esc(&col.id),
            esc(&rate_label(col.rate)),
            col.rate
                .percent()
                .map_or_else(|| "-".to_owned(), |p| p.to_string())
        );
    }
    let _ = write!(
        h,
        "<td colspan=\"4\"></td></tr>\n</tfoot>\n</table></div>\n<div class=\"legend\">\
         <span><span class=\"sw c0\"></span>0</span><span><span class=\"sw c1\"></span>1</span>\
         <span><span class=\"sw c2\"></span>2</span><span><span class=\"sw c3\"></span>3–4</span>\
         <span><span class=\"sw c4\"></span>5+</span><span><span class=\"sw na\"></span>{}</span>\
         <span>{}</span></div>\n</section>\n",
        esc(lang.pick(
            "評価していない（JSON として読めないか形式違反のため）",
            "not evaluated (the file is not valid JSON or breaks the schema)"
        )),
        esc(lang.pick(
            "適合率の行: その規則の指摘がない事業所の割合（%、評価した事業所のうち）。斜体の規則は警告。",
            "Compliance rate row: share (%) of the facilities evaluated with no finding of the rule. Rules in italics are warnings."
        )),
    );
}

/// With the `mhlw` profile in force: the MHLW checklist's answers, facility by item
/// (each cell coloured and written, はい / いいえ / 要確認, so that it reads in black and
/// white), the facility's counts, each item's counts below; then the items with their
/// full wording and counts.
fn checklist(h: &mut String, m: &Matrix, lang: Lang) {
    let Some(items) = &m.checklist else {
        return;
    };
    let labels = ANSWERS.map(|a| a.label(lang));
    let _ = write!(
        h,
        "<section id=\"checklist\">\n<h2>{}</h2>\n<p class=\"note\">{}</p>\n\
         <div class=\"scroll\"><table class=\"answers\">\n<thead>\n<tr><th>{}</th><th>{}</th>",
        esc(lang.pick(
            "厚生労働省 サイバーセキュリティ対策チェックリストの回答",
            "Answers to the MHLW cybersecurity checklist"
        )),
        esc(lang.pick(
            "台帳から答えられる項目は、その項目の規則に免除されていない指摘があれば「いいえ」、なければ「はい」です（rurume checklist と同じ回答）。",
            "An item the inventory can show is “no” when one of its rules has an unwaived finding, else “yes” (the answers of rurume checklist)."
        )),
        esc(lang.pick("コード", "Code")),
        esc(lang.pick("事業所", "Facility")),
    );
    for item in items {
        let _ = write!(
            h,
            "<th class=\"item\" title=\"{} {}\"><span>{} {}</span></th>",
            esc(&item.number),
            esc(item.text.get(lang)),
            esc(&item.number),
            esc(item.short.get(lang)),
        );
    }
    for label in labels {
        let _ = write!(h, "<th class=\"num\">{}</th>", esc(label));
    }
    h.push_str("</tr>\n</thead>\n<tbody>\n");
    for (i, r) in m.rows.iter().enumerate() {
        row_head(h, i, r, lang);
        h.push_str("</td>");
        let Some(c) = &r.checklist else {
            h.push_str("</tr>\n");
            continue;
        };
        for (item, a) in items.iter().zip(&c.answers) {
            let why = match a.answer {
                Answer::No => format!(" · {}", a.rules.join(", ")),
                _ => String::new(),
            };
            let _ = write!(
                h,
                "<td class=\"a {}\" title=\"{} · {} {}{}\">{}</td>",
                answer_class(a.answer),
                esc(r.label()),
                esc(&item.number),
                esc(item.short.get(lang)),
                esc(&why),
                esc(a.answer.label(lang)),
            );
        }
        for a in ANSWERS {
            let _ = write!(h, "<td class=\"num\">{}</td>", c.count(a));
        }
        h.push_str("</tr>\n");
    }
    h.push_str("</tbody>\n<tfoot>\n");
    let totals = checklist_totals(m);
    for a in ANSWERS {
        let k = answer_index(a);
        let _ = write!(
            h,
            "<tr><th colspan=\"2\">{}</th>",
            esc(&match lang {
                Lang::Ja => format!("{}の事業所", a.label(lang)),
                Lang::En => format!("Facilities answering {}", a.label(lang)),
            })
        );
        for t in &totals {
            let _ = write!(h, "<td class=\"a\">{}</td>", t[k]);
        }
        // The answers of every item, under this answer's column.
        for other in ANSWERS {
            match other == a {
                true => {
                    let _ = write!(
                        h,
                        "<td class=\"num\">{}</td>",
                        totals.iter().map(|t| t[k]).sum::<usize>()
                    );
                }
                false => h.push_str("<td></td>"),
            }
        }
        h.push_str("</tr>\n");
    }
    let _ = writeln!(
        h,
        "</tfoot>\n</table></div>\n<div class=\"legend\"><span>{}</span></div>",
        esc(unknown_key(lang))
    );
    h.push_str("<div class=\"scroll\"><table class=\"items\">\n");
    let mut columns = vec![("番号", "No.", ""), ("項目", "Item", "")];
    columns.extend(ANSWERS.map(|a| (a.label(Lang::Ja), a.label(Lang::En), "num")));
    thead(h, lang, &columns);
    for (item, t) in items.iter().zip(&totals) {
        let _ = writeln!(
            h,
            "<tr><td>{}</td><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td></tr>",
            esc(&item.number),
            esc(item.text.get(lang)),
            t[0],
            t[1],
            t[2],
        );
    }
    h.push_str("</tbody>\n</table></div>\n</section>\n");
}

/// The opening of a facility's row in the matrices: its code, linking to its findings,
/// and its name, in a cell left open for more.
fn row_head(h: &mut String, i: usize, r: &Row, lang: Lang) {
    let _ = write!(
        h,
        "<tr><th scope=\"row\"><a href=\"#f{i}\">{}</a></th><td class=\"name\">{}",
        esc(r.label()),
        esc(r
            .name
            .as_deref()
            .unwrap_or(lang.pick("(不明)", "(unknown)")))
    );
}

fn answer_class(a: Answer) -> &'static str {
    match a {
        Answer::Yes => "yes",
        Answer::No => "no",
        Answer::Unknown => "unknown",
    }
}

/// The round: superseded files, the roster's lists, and the changes since the previous
/// round, per rule and per facility, with a bar for each (fixed, new, persisting).
fn round(h: &mut String, m: &Matrix, lang: Lang) {
    let any = !m.superseded.is_empty() || m.roster.is_some() || m.previous.is_some();
    if !any {
        return;
    }
    let _ = writeln!(
        h,
        "<section id=\"round\">\n<h2>{}</h2>",
        esc(lang.pick(
            "提出の状況と前回からの変化",
            "The round: submissions and changes"
        ))
    );
    let list = |h: &mut String, title: String, items: Vec<String>| {
        if items.is_empty() {
            return;
        }
        let _ = writeln!(h, "<h3>{}</h3>\n<ul>", esc(&title));
        for item in items {
            let _ = writeln!(h, "<li>{}</li>", esc(&item));
        }
        h.push_str("</ul>\n");
    };
    for (i, (title, items)) in super::round_lists(m, lang, (": ", " "))
        .into_iter()
        .enumerate()
    {
        // Nobody missing is news worth a heading of its own.
        if i == 1 && items.is_empty() {
            let _ = writeln!(h, "<h3>{}</h3>", esc(&title));
        }
        list(h, title, items);
    }
    let Some(p) = &m.previous else {
        h.push_str("</section>\n");
        return;
    };
    let heads = [
        lang.pick("改善済み", "Fixed"),
        lang.pick("新たな指摘", "New"),
        lang.pick("継続", "Persisting"),
    ];
    let _ = writeln!(
        h,
        "<p class=\"note\">{}</p>\n<p class=\"key\"><span class=\"sw\" style=\"background:var(--ok)\"></span>{}\
         <span class=\"sw\" style=\"background:var(--ng)\"></span>{}<span class=\"sw\" style=\"background:#9aa5b1\"></span>{}</p>",
        esc(&match lang {
            Lang::Ja => format!(
                "前回（{} 事業所）と同じ基準日で比べた、免除されていない指摘の変化: 改善済み {}、新たな指摘 {}、継続 {}",
                p.facilities, p.total.fixed, p.total.new, p.total.persisting
            ),
            Lang::En => format!(
                "Unwaived findings compared with the previous round ({} facilities), both as of the same date: fixed {}, new {}, persisting {}",
                p.facilities, p.total.fixed, p.total.new, p.total.persisting
            ),
        }),
        esc(heads[0]),
        esc(heads[1]),
        esc(heads[2]),
    );
    let table = |h: &mut String, title: &str, first: &str, rows: Vec<(String, Changes)>| {
        let widest = rows
            .iter()
            .map(|(_, c)| c.new + c.fixed + c.persisting)
            .max()
            .unwrap_or(0)
            .max(1);
        let _ = writeln!(
            h,
            "<h3>{}</h3>\n<div class=\"scroll\"><table class=\"changes\"><thead><tr><th>{}</th>\
             <th class=\"num\">{}</th><th class=\"num\">{}</th><th class=\"num\">{}</th><th></th></tr></thead><tbody>",
            esc(title),
            esc(first),
            esc(heads[0]),
            esc(heads[1]),
            esc(heads[2]),
        );
        for (label, c) in rows {
            let w = |n: usize| n as f64 * 320.0 / widest as f64;
            let _ = writeln!(
                h,
                "<tr><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td>\
                 <td><div class=\"bars\"><span class=\"fixed\" style=\"width:{:.1}px\"></span>\
                 <span class=\"new\" style=\"width:{:.1}px\"></span><span class=\"persisting\" style=\"width:{:.1}px\"></span></div></td></tr>",
                esc(&label),
                c.fixed,
                c.new,
                c.persisting,
                w(c.fixed),
                w(c.new),
                w(c.persisting),
            );
        }
        h.push_str("</tbody></table></div>\n");
    };
    table(
        h,
        lang.pick("規則ごとの変化", "Changes per rule"),
        lang.pick("規則", "Rule"),
        m.columns
            .iter()
            .filter_map(|c| {
                let n = c.changes?;
                (n != Changes::default()).then(|| (format!("{} ({})", c.short.get(lang), c.id), n))
            })
            .collect(),
    );
    table(
        h,
        lang.pick("事業所ごとの変化", "Changes per facility"),
        lang.pick("事業所", "Facility"),
        m.rows
            .iter()
            .filter_map(|r| {
                let c = r.changes.as_ref()?;
                let mut label = format!("{} {}", r.label(), r.name.as_deref().unwrap_or(""));
                if !c.in_previous {
                    label.push_str(lang.pick("（前回の提出なし）", " (not in the previous round)"));
                }
                Some((label, c.total))
            })
            .collect(),
    );
    h.push_str("</section>\n");
}

fn status_badge(r: &Row, lang: Lang) -> String {
    if r.compliant() {
        format!(
            "<span class=\"badge ok\">{}</span>",
            esc(lang.pick("適合", "compliant"))
        )
    } else {
        format!(
            "<span class=\"badge ng\">{}</span>",
            esc(lang.pick("不適合", "not compliant"))
        )
    }
}

/// The bar chart shows this many rules at most.
const TOP: usize = 10;

/// A table's `<thead>` (each heading in the output's language, with its class, if any)
/// and the opening of its `<tbody>`.
fn thead(h: &mut String, lang: Lang, columns: &[(&str, &str, &str)]) {
    h.push_str("<thead><tr>");
    for (ja, en, class) in columns {
        let heading = esc(lang.pick(ja, en));
        let _ = match *class {
            "" => write!(h, "<th>{heading}</th>"),
            class => write!(h, "<th class=\"{class}\">{heading}</th>"),
        };
    }
    h.push_str("</tr></thead>\n<tbody>\n");
}

fn bar_chart(h: &mut String, m: &Matrix, lang: Lang) {
    let _ = write!(
        h,
        "<section id=\"top\">\n<h2>{}</h2>\n",
        esc(lang.pick(
            "2. 指摘の多い規則（免除分を除く）",
            "2. Most violated rules (unwaived findings)"
        ))
    );
    let mut order: Vec<usize> = (0..m.columns.len())
        .filter(|&c| m.columns[c].total > 0)
        .collect();
    // Most findings first; ties in column order (stable sort).
    order.sort_by_key(|&c| std::cmp::Reverse(m.columns[c].total));
    if order.is_empty() {
        let _ = write!(
            h,
            "<p class=\"empty\">{}</p>\n</section>\n",
            esc(lang.pick(
                "免除されていない指摘はありません。",
                "No unwaived finding in any facility."
            ))
        );
        return;
    }
    let more = order.len().saturating_sub(TOP);
    order.truncate(TOP);
    let max = m.columns[order[0]].total;
    h.push_str("<div class=\"bars\">\n");
    for c in order {
        let col = &m.columns[c];
        let pct = col.total as f64 / max as f64 * 100.0;
        let _ = writeln!(
            h,
            "<div class=\"label\"><code>{}</code> <span class=\"badge {}\">{}</span><small>{} [{}]</small></div>\
             <div class=\"track\"><div class=\"bar {}\" style=\"width:{pct:.1}%\"></div></div>\
             <div class=\"value\">{}</div>",
            esc(&col.id),
            col.severity.as_str(),
            esc(severity_label(col.severity, lang)),
            esc(col.title.get(lang)),
            esc(&article(col, lang)),
            col.severity.as_str(),
            esc(&match lang {
                Lang::Ja => format!("{} 件（{} 事業所）", col.total, col.facilities_failing),
                Lang::En => format!(
                    "{} ({} {})",
                    col.total,
                    col.facilities_failing,
                    if col.facilities_failing == 1 {
                        "facility"
                    } else {
                        "facilities"
                    }
                ),
            }),
        );
    }
    h.push_str("</div>\n");
    if more > 0 {
        let _ = writeln!(
            h,
            "<p class=\"note\">{}</p>",
            esc(&match lang {
                Lang::Ja =>
                    format!("ほか {more} 規則に指摘があります（3. 規則別の適合率を参照）。"),
                Lang::En => format!("{more} more rules have findings: see 3. Compliance per rule."),
            })
        );
    }
    h.push_str("</section>\n");
}

fn article(col: &crate::audit::Column, lang: Lang) -> String {
    if col.is_format() {
        lang.pick("形式", "format").to_owned()
    } else {
        col.source.clone()
    }
}

fn rules(h: &mut String, m: &Matrix, lang: Lang) {
    let _ = write!(
        h,
        "<section id=\"rules\">\n<h2>{}</h2>\n<div class=\"scroll\"><table class=\"rules\">\n",
        esc(lang.pick("3. 規則別の適合率", "3. Compliance per rule")),
    );
    thead(
        h,
        lang,
        &[
            ("規則", "Rule", ""),
            ("根拠", "Article", ""),
            ("重大度", "Severity", ""),
            ("規則名", "Title", ""),
            ("指摘", "Findings", "num"),
            ("免除", "Waived", "num"),
            ("適合率（指摘のない事業所）", "Compliant facilities", "num"),
        ],
    );
    for col in &m.columns {
        let meter = col.rate.value().map_or_else(String::new, |v| {
            format!(
                "<span class=\"meter\"><i style=\"width:{:.1}%\"></i></span>",
                v * 100.0
            )
        });
        let _ = writeln!(
            h,
            "<tr><td><code>{}</code></td><td>{}</td><td><span class=\"badge {}\">{}</span></td>\
             <td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}{meter}</td></tr>",
            esc(&col.id),
            esc(&article(col, lang)),
            col.severity.as_str(),
            esc(severity_label(col.severity, lang)),
            esc(col.title.get(lang)),
            col.total,
            col.waived,
            esc(&rate_label(col.rate)),
        );
    }
    h.push_str("</tbody>\n</table></div>\n</section>\n");
}

fn details(h: &mut String, m: &Matrix, report: &Report, lang: Lang) {
    let _ = write!(
        h,
        "<section id=\"detail\">\n<h2>{}</h2>\n",
        esc(lang.pick("4. 事業所ごとの指摘", "4. Findings per facility"))
    );
    for (i, r) in m.rows.iter().enumerate() {
        let file = &report.files[r.file_index];
        let _ = write!(
            h,
            "<article class=\"facility{}\" id=\"f{i}\">\n<div class=\"head\"><h3>{} {}</h3>",
            // A short facility is kept on one printed page.
            if file.findings.len() <= 6 {
                " keep"
            } else {
                ""
            },
            esc(r.label()),
            esc(r.name.as_deref().unwrap_or(""))
        );
        if let Some(kind) = &r.kind {
            let _ = write!(
                h,
                "<span class=\"kind\">{}</span>",
                esc(kind_label(kind, lang))
            );
        }
        let _ = write!(
            h,
            "{}</div>\n<p class=\"file\"><code>{}</code> · {} {} · {} {} · {} {}</p>\n",
            status_badge(r, lang),
            esc(&r.file),
            esc(lang.pick("エラー", "errors")),
            r.errors,
            esc(lang.pick("警告", "warnings")),
            r.warnings,
            esc(lang.pick("免除", "waived")),
            r.waived,
        );
        if r.partly_evaluated() {
            let _ = writeln!(
                h,
                "<p class=\"note\">{}</p>",
                esc(lang.pick(
                    "形式の誤り（inventory-syntax / inventory-schema）のため、規則の多くを評価していません。直してから点検し直してください。",
                    "Because of the format errors (inventory-syntax / inventory-schema), most rules were not evaluated on this file: fix them and check again."
                ))
            );
        }
        if file.findings.is_empty() {
            let _ = write!(
                h,
                "<p class=\"empty\">{}</p>\n</article>\n",
                esc(lang.pick("指摘はありません。", "No findings."))
            );
            continue;
        }
        h.push_str(
            "<table class=\"findings\"><colgroup><col class=\"rule\"><col class=\"art\"><col class=\"ptr\">\
             <col class=\"pos\"><col class=\"msg\"><col class=\"fix\"></colgroup>",
        );
        thead(
            h,
            lang,
            &[
                ("規則", "Rule", ""),
                ("根拠", "Article", ""),
                ("場所", "Pointer", ""),
                ("行:列", "Line:col", ""),
                ("内容", "Message", ""),
                ("直し方", "How to fix", ""),
            ],
        );
        for l in &file.findings {
            let f = &l.finding;
            let (class, badge) = match (&f.waived_by, f.severity) {
                (Some(by), _) => (
                    "waived",
                    match lang {
                        Lang::Ja => format!(
                            "<span class=\"badge waived\">免除</span> <small><code>{}</code> の例外（第10条）による</small>",
                            esc(by)
                        ),
                        Lang::En => format!(
                            "<span class=\"badge waived\">waived</span> <small>by the Article 10 exception <code>{}</code></small>",
                            esc(by)
                        ),
                    },
                ),
                (None, Severity::Error) => (
                    "error",
                    format!(
                        "<span class=\"badge error\">{}</span>",
                        esc(severity_label(Severity::Error, lang))
                    ),
                ),
                (None, Severity::Warning) => (
                    "warning",
                    format!(
                        "<span class=\"badge warning\">{}</span>",
                        esc(severity_label(Severity::Warning, lang))
                    ),
                ),
            };
            let pointer = if f.pointer.is_empty() {
                lang.pick("（ファイル全体）", "(whole file)").to_owned()
            } else {
                f.pointer.clone()
            };
            let source = if f.source == crate::engine::builtin::NO_ARTICLE {
                lang.pick("形式", "format").to_owned()
            } else {
                f.source.clone()
            };
            let _ = writeln!(
                h,
                "<tr class=\"{class}\"><td class=\"rule\"><code>{}</code><br>{badge}</td><td class=\"art\">{}</td><td class=\"ptr\"><code>{}</code></td>\
                 <td class=\"pos\">{}:{}</td><td class=\"msg\">{}</td><td class=\"fix\">{}</td></tr>",
                esc(&f.rule),
                esc(&source),
                esc(&pointer),
                l.position.line,
                l.position.column,
                esc(&f.message(lang)),
                esc(&f.fix(lang)),
            );
        }
        h.push_str("</tbody></table>\n</article>\n");
    }
    h.push_str("</section>\n");
}

/// Escapes text for element content and quoted attribute values.
pub(crate) fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping() {
        assert_eq!(esc(r#"<b>&"x'"#), "&lt;b&gt;&amp;&quot;x&#39;");
    }

    #[test]
    fn steps() {
        assert_eq!(
            [0, 1, 2, 3, 4, 5, 40].map(step),
            ["c0", "c1", "c2", "c3", "c3", "c4", "c4"]
        );
    }
}
