//! `--format json`: the document of cli.md, sorted, byte-identical for the same input.
//!
//! Written as it is serialised, straight to the output: each finding is put into words
//! when its turn comes, so a report of 100,000 findings never exists as one string.

use std::borrow::Cow;
use std::io::Write;

use serde::Serialize;
use serde::ser::SerializeSeq;

use super::Summary;
use crate::engine::Report;
use crate::finding::Reader;
use crate::lang::Lang;

#[derive(Serialize)]
struct Document<'a> {
    version: u32,
    as_of: String,
    findings: Findings<'a>,
    summary: Summary,
}

/// The findings of every file, serialised one by one.
struct Findings<'a> {
    report: &'a Report,
    lang: Lang,
    reader: Reader,
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
    /// In a workbook, the cell holding the value (`端末!F12`); absent for JSON files.
    #[serde(skip_serializing_if = "Option::is_none")]
    cell: Option<String>,
    message: Cow<'a, str>,
    fix: Cow<'a, str>,
    waived: bool,
}

impl Serialize for Findings<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut seq = serializer.serialize_seq(None)?;
        for (file, l) in self.report.findings() {
            seq.serialize_element(&Finding {
                file: &file.display,
                facility: file.facility.as_deref(),
                rule: &l.finding.rule,
                severity: l.finding.severity.as_str(),
                source: &l.finding.source,
                pointer: &l.finding.pointer,
                line: l.position.line,
                column: l.position.column,
                cell: file.cell(l),
                message: l.finding.message_for(self.lang, self.reader),
                fix: l.finding.fix_for(self.lang, self.reader),
                waived: l.finding.is_waived(),
            })?;
        }
        seq.end()
    }
}

/// Writes the document to `out`.
pub fn write(report: &Report, lang: Lang, out: &mut impl Write) -> std::io::Result<()> {
    write_for(report, lang, Reader::Office, out)
}

/// The document with the messages and fixes `reader` reads (`Reader::Page`: the
/// self-check page's wording, which names the form's labels).
pub fn write_for(
    report: &Report,
    lang: Lang,
    reader: Reader,
    out: &mut impl Write,
) -> std::io::Result<()> {
    let doc = Document {
        version: 1,
        as_of: report.as_of.to_string(),
        findings: Findings {
            report,
            lang,
            reader,
        },
        summary: Summary::of(report),
    };
    serde_json::to_writer_pretty(&mut *out, &doc)?;
    out.write_all(b"\n")
}

/// The document as a string.
pub fn render(report: &Report, lang: Lang) -> String {
    render_for(report, lang, Reader::Office)
}

/// The document as a string, for `reader`.
pub fn render_for(report: &Report, lang: Lang, reader: Reader) -> String {
    let mut out = Vec::new();
    write_for(report, lang, reader, &mut out).expect("writing to memory cannot fail");
    String::from_utf8(out).expect("serde_json writes UTF-8")
}
