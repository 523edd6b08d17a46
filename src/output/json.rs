//! `--format json`: the document of cli.md, sorted, byte-identical for the same input.

use serde::Serialize;

use super::Summary;
use crate::engine::Report;
use crate::lang::Lang;

#[derive(Serialize)]
struct Document<'a> {
    version: u32,
    as_of: String,
    findings: Vec<Finding<'a>>,
    summary: Summary,
}

#[derive(Serialize)]
struct Finding<'a> {
    file: &'a str,
    facility: Option<&'a str>,
    rule: &'a str,
    severity: &'a str,
    source: &'a str,
    pointer: &'a str,
    line: usize,
    column: usize,
    message: &'a str,
    fix: &'a str,
    waived: bool,
}

pub fn render(report: &Report, lang: Lang) -> String {
    let findings = report
        .findings()
        .map(|(file, l)| Finding {
            file: &file.display,
            facility: file.facility.as_deref(),
            rule: &l.finding.rule,
            severity: l.finding.severity.as_str(),
            source: &l.finding.source,
            pointer: &l.finding.pointer,
            line: l.position.line,
            column: l.position.column,
            message: l.finding.message.get(lang),
            fix: l.finding.fix.get(lang),
            waived: l.finding.is_waived(),
        })
        .collect();
    let doc = Document {
        version: 1,
        as_of: report.as_of.to_string(),
        findings,
        summary: Summary::of(report),
    };
    let mut out = serde_json::to_string_pretty(&doc).expect("serialising plain data cannot fail");
    out.push('\n');
    out
}
