//! `rurume audit --format csv`: the matrix for Excel.
//!
//! UTF-8 with a byte-order mark (so that Excel does not read it as Shift_JIS), CRLF line
//! ends, RFC 4180 quoting (a field with a comma, a double quote, CR or LF is quoted, its
//! quotes doubled). Columns: facility code, name, kind (in words), file, one column per rule
//! id (unwaived findings; `-` when the rule did not run on that file), errors, warnings,
//! waived, compliant. Then a totals row and a compliance-rate row (per rule: the share of
//! evaluated facilities clean for it; in the compliant column: the share of compliant
//! facilities), as percentages Excel reads as numbers.
//!
//! With the `mhlw` profile in force, the MHLW checklist's answers follow: three columns
//! counting the facility's はい / いいえ / 要確認, then one column per item (headed by its
//! number and short name, in the items' order), each cell the answer as the form writes
//! it in the output's language — はい / いいえ / 要確認, or yes / no / unknown with
//! `--lang en`, as the compliant column does — and, below the rate row, one row per answer
//! counting it under each item. Without the profile nothing of this is written.
//!
//! Text from the inventories (name, kind, file, code) that Excel would take for a formula
//! (`=`, `+`, `-`, `@`, tab, CR at the start) is prefixed with `'`.

use super::{ANSWERS, answer_index, checklist_totals, kind_label};
use crate::audit::changes::Changes;
use crate::audit::{Matrix, Rate};
use crate::lang::Lang;

pub fn render(m: &Matrix, lang: Lang) -> String {
    let mut out = String::from("\u{feff}");
    let mut line = |fields: Vec<String>| {
        let quoted: Vec<String> = fields.iter().map(|f| quote(f)).collect();
        out.push_str(&quoted.join(","));
        out.push_str("\r\n");
    };

    let mut header: Vec<String> = [
        lang.pick("事業所コード", "Facility code"),
        lang.pick("事業所名", "Facility name"),
        lang.pick("種別", "Kind"),
        lang.pick("ファイル", "File"),
        lang.pick("提出日", "Submitted"),
        lang.pick("アカウント数", "Accounts"),
        lang.pick("端末数", "Devices"),
    ]
    .map(str::to_owned)
    .to_vec();
    header.extend(m.columns.iter().map(|c| c.id.clone()));
    header.extend(
        [
            lang.pick("エラー", "Errors"),
            lang.pick("警告", "Warnings"),
            lang.pick("免除", "Waived"),
            lang.pick("適合", "Compliant"),
        ]
        .map(str::to_owned),
    );
    let changes = m.previous.is_some();
    if changes {
        header.extend(change_heads(lang));
    }
    // With the `mhlw` profile in force: the checklist's answers, after everything else.
    let answers_at = header.len();
    if let Some(items) = &m.checklist {
        header.extend(checklist_heads(lang));
        header.extend(
            items
                .iter()
                .map(|i| format!("{} {}", i.number, i.short.get(lang))),
        );
    }
    let columns = header.len();
    line(header);
    let count = |n: Option<usize>| n.map_or_else(String::new, |n| n.to_string());

    for r in &m.rows {
        let mut fields = vec![
            text(r.facility.as_deref().unwrap_or("")),
            text(r.name.as_deref().unwrap_or("")),
            text(r.kind.as_deref().map_or("", |k| kind_label(k, lang))),
            text(&r.file),
            text(r.submitted.as_deref().unwrap_or("")),
            count(r.accounts),
            count(r.devices),
        ];
        fields.extend(
            r.counts.iter().zip(&r.evaluated).map(
                |(n, e)| {
                    if *e { n.to_string() } else { "-".to_owned() }
                },
            ),
        );
        fields.extend([
            r.errors.to_string(),
            r.warnings.to_string(),
            r.waived.to_string(),
            lang.pick(
                if r.compliant() { "はい" } else { "いいえ" },
                if r.compliant() { "yes" } else { "no" },
            )
            .to_owned(),
        ]);
        if changes {
            let c = r.changes.as_ref().map(|c| c.total).unwrap_or_default();
            fields.extend([c.new, c.fixed, c.persisting].map(|n| n.to_string()));
        }
        if let Some(c) = &r.checklist {
            fields.extend(ANSWERS.map(|a| c.count(a).to_string()));
            fields.extend(c.answers.iter().map(|a| a.answer.label(lang).to_owned()));
        }
        line(fields);
    }

    let t = &m.totals;
    let mut totals = vec![
        lang.pick("合計", "Total").to_owned(),
        format!("{} {}", t.facilities, lang.pick("事業所", "facilities")),
        String::new(),
        String::new(),
        String::new(),
        count(Some(m.rows.iter().filter_map(|r| r.accounts).sum())),
        count(Some(m.rows.iter().filter_map(|r| r.devices).sum())),
    ];
    totals.extend(m.columns.iter().map(|c| c.total.to_string()));
    totals.extend([
        t.errors.to_string(),
        t.warnings.to_string(),
        t.waived.to_string(),
        t.compliant.to_string(),
    ]);
    if let Some(p) = &m.previous {
        totals.extend([p.total.new, p.total.fixed, p.total.persisting].map(|n| n.to_string()));
    }
    let item_totals = checklist_totals(m);
    if m.checklist.is_some() {
        totals.extend(ANSWERS.map(|a| {
            let k = answer_index(a);
            item_totals.iter().map(|t| t[k]).sum::<usize>().to_string()
        }));
    }
    line(totals);

    let lead = |label: &str| {
        let mut v = vec![label.to_owned()];
        v.extend(std::iter::repeat_n(String::new(), 6));
        v
    };
    let mut rates = lead(lang.pick("適合率", "Compliance rate"));
    rates.extend(m.columns.iter().map(|c| percent(c.rate)));
    rates.extend([
        String::new(),
        String::new(),
        String::new(),
        percent(t.rate()),
    ]);
    line(rates);

    // With a previous round: each rule's changes, one row per kind of change.
    if m.previous.is_some() {
        for (label, pick) in change_heads(lang).into_iter().zip([
            (|c: Changes| c.new) as fn(Changes) -> usize,
            |c| c.fixed,
            |c| c.persisting,
        ]) {
            let mut row = lead(&label);
            row.extend(
                m.columns
                    .iter()
                    .map(|c| pick(c.changes.unwrap_or_default()).to_string()),
            );
            line(row);
        }
    }

    // With the checklist: each item's answers counted, one row per answer, under the
    // items' columns.
    if m.checklist.is_some() {
        for a in ANSWERS {
            let mut row = vec![format!(
                "{}: {}",
                lang.pick("チェックリスト", "Checklist"),
                a.label(lang)
            )];
            row.resize(answers_at + 3, String::new());
            row.extend(item_totals.iter().map(|t| t[answer_index(a)].to_string()));
            line(row);
        }
    }

    // The lists: superseded files, and the roster's.
    let mut section = |title: &str, rows: Vec<Vec<String>>| {
        if rows.is_empty() {
            return;
        }
        // Rectangular, as Excel and the tests read it.
        let pad = |mut r: Vec<String>| {
            r.resize(columns, String::new());
            r
        };
        line(pad(vec![]));
        line(pad(vec![title.to_owned()]));
        for r in rows {
            line(pad(r));
        }
    };
    section(
        lang.pick(
            "差し替えられた台帳（数えていません）",
            "Superseded files (not counted)",
        ),
        m.superseded
            .iter()
            .map(|s| vec![text(&s.facility), text(&s.file), text(&s.by)])
            .collect(),
    );
    if let Some(r) = &m.roster {
        section(
            lang.pick(
                "未提出（名簿にあり、提出なし）",
                "Missing (on the roster, not submitted)",
            ),
            r.missing
                .iter()
                .map(|e| vec![text(&e.id), text(&e.name)])
                .collect(),
        );
        section(
            lang.pick("名簿にない提出", "Submitted, not on the roster"),
            r.unexpected.iter().map(|id| vec![text(id)]).collect(),
        );
    }
    out
}

/// The heads of the change columns and rows.
fn change_heads(lang: Lang) -> Vec<String> {
    [
        lang.pick("新たな指摘", "New"),
        lang.pick("改善済み", "Fixed"),
        lang.pick("継続", "Persisting"),
    ]
    .map(str::to_owned)
    .to_vec()
}

/// The heads of the columns counting a facility's checklist answers.
fn checklist_heads(lang: Lang) -> Vec<String> {
    ANSWERS
        .map(|a| match lang {
            Lang::Ja => format!("チェックリスト {}", a.label(lang)),
            Lang::En => format!("Checklist {}", a.label(lang)),
        })
        .to_vec()
}

fn percent(r: Rate) -> String {
    r.percent()
        .map_or_else(|| "-".to_owned(), |p| format!("{p}%"))
}

/// Text from an inventory: never a formula.
fn text(s: &str) -> String {
    if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{s}")
    } else {
        s.to_owned()
    }
}

/// RFC 4180: quote a field with a comma, a quote, CR or LF, doubling its quotes.
fn quote(field: &str) -> String {
    if field.contains([',', '"', '\r', '\n']) {
        format!("\"{}\"", field.replace('"', "\"\""))
    } else {
        field.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoting() {
        assert_eq!(quote("plain"), "plain");
        assert_eq!(quote("a,b"), "\"a,b\"");
        assert_eq!(quote("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(quote("two\r\nlines"), "\"two\r\nlines\"");
        assert_eq!(text("=HYPERLINK(1)"), "'=HYPERLINK(1)");
        assert_eq!(text("F0001"), "F0001");
    }
}
