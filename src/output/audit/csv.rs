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
//! Text from the inventories (name, kind, file, code) that Excel would take for a formula
//! (`=`, `+`, `-`, `@`, tab, CR at the start) is prefixed with `'`.

use super::kind_label;
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
    line(header);

    for r in &m.rows {
        let mut fields = vec![
            text(r.facility.as_deref().unwrap_or("")),
            text(r.name.as_deref().unwrap_or("")),
            text(r.kind.as_deref().map_or("", |k| kind_label(k, lang))),
            text(&r.file),
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
        line(fields);
    }

    let t = &m.totals;
    let mut totals = vec![
        lang.pick("合計", "Total").to_owned(),
        format!("{} {}", t.facilities, lang.pick("事業所", "facilities")),
        String::new(),
        String::new(),
    ];
    totals.extend(m.columns.iter().map(|c| c.total.to_string()));
    totals.extend([
        t.errors.to_string(),
        t.warnings.to_string(),
        t.waived.to_string(),
        t.compliant.to_string(),
    ]);
    line(totals);

    let mut rates = vec![
        lang.pick("適合率", "Compliance rate").to_owned(),
        String::new(),
        String::new(),
        String::new(),
    ];
    rates.extend(m.columns.iter().map(|c| percent(c.rate)));
    rates.extend([
        String::new(),
        String::new(),
        String::new(),
        percent(t.rate()),
    ]);
    line(rates);
    out
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
