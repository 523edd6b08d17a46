//! `--format json`: the document of cli.md, sorted, byte-identical for the same input.
//!
//! Written as it is serialised, straight to the output, a few files at a time: their
//! findings are put into words and serialised in parallel, then written in file order, so
//! a report of 100,000 findings never exists as one string.

use std::borrow::Cow;
use std::io::Write;
use std::ops::Range;

use rayon::prelude::*;
use serde::Serialize;

use super::Summary;
use crate::engine::{FileReport, Located, Report};
use crate::finding::Reader;
use crate::lang::Lang;

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

impl<'a> Finding<'a> {
    fn of(file: &'a FileReport, l: &'a Located, lang: Lang, reader: Reader) -> Finding<'a> {
        Finding {
            file: &file.display,
            facility: file.facility.as_deref(),
            rule: &l.finding.rule,
            severity: l.finding.severity.as_str(),
            source: &l.finding.source,
            pointer: &l.finding.pointer,
            line: l.position.line,
            column: l.position.column,
            cell: file.cell(l),
            message: l.finding.message_for(lang, reader),
            fix: l.finding.fix_for(lang, reader),
            waived: l.finding.is_waived(),
        }
    }
}

/// The version of the document's format (cli.md).
const VERSION: u32 = 1;

/// Files whose findings are rendered together, in parallel, before they are written: the
/// memory held is that of this many files' findings (a few MB), whatever the report's
/// size, and the threads meet once per batch.
const BATCH: usize = 512;

/// The elements of `items` as serde_json's pretty printer writes them at the depth of the
/// document's `findings` (`{ "findings": [ … ] }`): the printer's own output for
/// `[[items…]]`, whose inner elements sit at that depth, without its brackets (the range
/// of the returned text to write). Each element starts on a line of its own
/// (`\n    {`), separated by commas.
fn elements_at_depth_2(items: &[impl Serialize], capacity: usize) -> (Vec<u8>, Range<usize>) {
    if items.is_empty() {
        return (Vec::new(), 0..0);
    }
    let mut text = Vec::with_capacity(capacity);
    serde_json::to_writer_pretty(&mut text, &[items]).expect("findings serialise");
    // `[\n  [` before the elements, `\n  ]\n]` after them.
    let elements = "[\n  [".len()..text.len() - "\n  ]\n]".len();
    (text, elements)
}

/// One file's findings as elements of the `findings` array.
fn file_findings(file: &FileReport, lang: Lang, reader: Reader) -> (Vec<u8>, Range<usize>) {
    let findings: Vec<Finding> = file
        .findings
        .iter()
        .map(|l| Finding::of(file, l, lang, reader))
        .collect();
    // About what a finding takes, so that the text is seldom copied as it grows.
    let capacity = findings.len() * 768 + 64;
    elements_at_depth_2(&findings, capacity)
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
    // What `serde_json::to_writer_pretty` writes for the document
    // `{ version, as_of, findings: [...], summary }`, with each file's findings rendered
    // in parallel and written in file order.
    out.write_all(b"{\n  \"version\": ")?;
    serde_json::to_writer(&mut *out, &VERSION)?;
    out.write_all(b",\n  \"as_of\": ")?;
    serde_json::to_writer(&mut *out, &report.as_of.to_string())?;
    out.write_all(b",\n  \"findings\": [")?;
    let mut any = false;
    for batch in report.files.chunks(BATCH) {
        let rendered: Vec<(Vec<u8>, Range<usize>)> = batch
            .par_iter()
            .map(|file| file_findings(file, lang, reader))
            .collect();
        for (text, elements) in rendered.iter().filter(|(_, r)| !r.is_empty()) {
            if any {
                out.write_all(b",")?;
            }
            out.write_all(&text[elements.clone()])?;
            any = true;
        }
    }
    out.write_all(if any { b"\n  ]" } else { b"]" })?;
    out.write_all(b",\n  \"summary\": ")?;
    // The printer's output for `[summary]`, without `[\n  ` and `\n]`: the summary as it
    // is written one level deep.
    let summary = serde_json::to_vec_pretty(&[Summary::of(report)])?;
    out.write_all(&summary["[\n  ".len()..summary.len() - "\n]".len()])?;
    out.write_all(b"\n}\n")
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine;
    use crate::inventory::Inventory;
    use crate::rules::RuleSet;

    /// The document as serde_json's pretty printer writes it in one piece.
    fn printed_whole(report: &Report, lang: Lang) -> String {
        #[derive(Serialize)]
        struct Whole<'a> {
            version: u32,
            as_of: String,
            findings: Vec<Finding<'a>>,
            summary: Summary,
        }
        let whole = Whole {
            version: VERSION,
            as_of: report.as_of.to_string(),
            findings: report
                .findings()
                .map(|(f, l)| Finding::of(f, l, lang, Reader::Office))
                .collect(),
            summary: Summary::of(report),
        };
        serde_json::to_string_pretty(&whole).unwrap() + "\n"
    }

    #[test]
    fn written_in_parallel_as_the_printer_writes_it_whole() {
        let rules = RuleSet::builtin().unwrap();
        let as_of = "2026-11-26".parse().unwrap();
        let base = std::fs::read_to_string("rules/example-base.json").unwrap();
        // More files than a batch: valid ones with and without findings, broken ones.
        let inventories = |n: usize| -> Vec<Inventory> {
            (0..n)
                .map(|i| {
                    let text = match i % 3 {
                        0 => base.clone(),
                        1 => base.replace("\"retired\"", "\"active\""),
                        _ => "{\"facility\": ".to_owned(),
                    };
                    Inventory::from_text(format!("f{i:03}.json"), text)
                })
                .collect()
        };
        for n in [0, 1, 2, BATCH + 7] {
            let report = engine::check(inventories(n), &rules, as_of);
            for lang in [Lang::Ja, Lang::En] {
                assert_eq!(render(&report, lang), printed_whole(&report, lang), "{n}");
            }
        }
        let clean = Inventory::from_text("ok.json".into(), base.clone());
        let report = engine::check(vec![clean], &rules, as_of);
        assert_eq!(render(&report, Lang::En), printed_whole(&report, Lang::En));
    }
}
