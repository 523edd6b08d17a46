//! `--format json`: the document of cli.md, sorted, byte-identical for the same input.
//!
//! Written as it is serialised, straight to the output, a few thousand findings at a
//! time: they are put into words and serialised in parallel, in pieces of at most
//! [`PIECE`] findings of one file, then written in order, so a report of 100,000 findings
//! (or a file of as many) never exists as one string.

use std::borrow::Cow;
use std::io::Write;

use rayon::prelude::*;
use serde::Serialize;

use super::Summary;
use crate::engine::{FileReport, Located, Report};
use crate::finding::Reader;
use crate::inventory::parse;
use crate::lang::Lang;

/// One element of `findings`, its fields in the document's order. [`piece`] writes it;
/// serde's printer writes it in the test that holds the two to the same bytes (and the
/// summary around them is the printer's).
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

/// Findings rendered together, in parallel, before they are written (at most, unless
/// one piece is larger): the memory held is that of this many findings' text (a few MB),
/// whatever the report's size, and the threads meet once per batch.
const BATCH: usize = 16 * 1024;

/// Most findings of one file serialised as one piece of text.
const PIECE: usize = 1024;

/// Bytes reserved for a piece's text at most: about what a finding takes is reserved, so
/// that the text is seldom copied as it grows, but never more than this.
const PIECE_CAPACITY: usize = 1 << 20;

/// Some of one file's findings (a piece of at most [`PIECE`]) as elements of the
/// `findings` array: what serde_json's pretty printer writes for them at the document's
/// depth (`{ "findings": [ … ] }`), each element on a line of its own (`\n    {`),
/// separated by commas. Written here rather than by the printer because the findings'
/// texts are most of the document, and the printer escapes them a byte at a time
/// ([`escaped`] looks at eight); the test below holds the two to the same bytes.
fn piece(file: &FileReport, findings: &[Located], lang: Lang, reader: Reader) -> Vec<u8> {
    let mut out = Vec::with_capacity((findings.len() * 768 + 64).min(PIECE_CAPACITY));
    for (i, l) in findings.iter().enumerate() {
        let f = Finding::of(file, l, lang, reader);
        if i > 0 {
            out.push(b',');
        }
        let text = |out: &mut Vec<u8>, name: &str, value: &str| {
            out.extend_from_slice(b",\n      \"");
            out.extend_from_slice(name.as_bytes());
            out.extend_from_slice(b"\": ");
            escaped(out, value);
        };
        out.extend_from_slice(b"\n    {\n      \"file\": ");
        escaped(&mut out, f.file);
        match f.facility {
            Some(facility) => text(&mut out, "facility", facility),
            None => out.extend_from_slice(b",\n      \"facility\": null"),
        }
        text(&mut out, "rule", f.rule);
        text(&mut out, "severity", f.severity);
        text(&mut out, "source", f.source);
        text(&mut out, "pointer", f.pointer);
        let _ = write!(
            out,
            ",\n      \"line\": {},\n      \"column\": {}",
            f.line, f.column
        );
        if let Some(cell) = &f.cell {
            text(&mut out, "cell", cell);
        }
        text(&mut out, "message", &f.message);
        text(&mut out, "fix", &f.fix);
        out.extend_from_slice(match f.waived {
            true => b",\n      \"waived\": true\n    }",
            false => b",\n      \"waived\": false\n    }",
        });
    }
    out
}

/// `text` as a JSON string, escaped as serde_json escapes it (`\"`, `\\`, `\n`, `\r`,
/// `\t`, `\b`, `\f`, other control characters as `\u00xx`; nothing else). The bytes that
/// need it are found eight at a time by the parser's scan of strings
/// ([`parse::skip_plain`], which looks for exactly these).
fn escaped(out: &mut Vec<u8>, text: &str) {
    let bytes = text.as_bytes();
    out.reserve(bytes.len() + 2);
    out.push(b'"');
    let (mut start, mut at) = (0, 0);
    loop {
        // Past the scan: a byte that needs escaping, or the last few bytes, one by one.
        at = parse::skip_plain(bytes, at).0;
        let Some(&b) = bytes.get(at) else {
            break;
        };
        let escape: &[u8] = match b {
            b'"' => b"\\\"",
            b'\\' => b"\\\\",
            b'\n' => b"\\n",
            b'\r' => b"\\r",
            b'\t' => b"\\t",
            0x08 => b"\\b",
            0x0c => b"\\f",
            0..0x20 => {
                out.extend_from_slice(&bytes[start..at]);
                let _ = write!(out, "\\u{b:04x}");
                at += 1;
                start = at;
                continue;
            }
            _ => {
                at += 1;
                continue;
            }
        };
        out.extend_from_slice(&bytes[start..at]);
        out.extend_from_slice(escape);
        at += 1;
        start = at;
    }
    out.extend_from_slice(&bytes[start..]);
    out.push(b'"');
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
    write_in(report, lang, reader, out, (BATCH, PIECE))
}

/// [`write_for`] with batches of `sizes.0` findings in pieces of `sizes.1`.
fn write_in(
    report: &Report,
    lang: Lang,
    reader: Reader,
    out: &mut impl Write,
    (batch_size, piece_size): (usize, usize),
) -> std::io::Result<()> {
    // What `serde_json::to_writer_pretty` writes for the document
    // `{ version, as_of, findings: [...], summary }`, with the findings rendered in
    // parallel and written in order.
    out.write_all(b"{\n  \"version\": ")?;
    serde_json::to_writer(&mut *out, &VERSION)?;
    out.write_all(b",\n  \"as_of\": ")?;
    serde_json::to_writer(&mut *out, &report.as_of.to_string())?;
    out.write_all(b",\n  \"findings\": [")?;
    // Each piece's elements as the printer writes them; pieces, like files, joined by
    // commas: the same text as one array of every finding.
    let mut any = false;
    super::in_batches(report, (batch_size, piece_size), |batch| {
        let rendered: Vec<Vec<u8>> = batch
            .par_iter()
            .map(|p| piece(p.file, p.findings, lang, reader))
            .collect();
        for text in rendered.iter().filter(|t| !t.is_empty()) {
            if any {
                out.write_all(b",")?;
            }
            out.write_all(text)?;
            any = true;
        }
        Ok::<(), std::io::Error>(())
    })?;
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

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(4096))]
        /// Texts are escaped as serde_json escapes them: every control character, quotes
        /// and backslashes, at every place among eight bytes, beside ASCII and other text.
        #[test]
        fn texts_are_escaped_as_serde_json_escapes_them(
            text in "[\\x00-\\x1f\"\\\\/\\x7fa-zZé🙂パ ]{0,40}"
        ) {
            let mut out = Vec::new();
            escaped(&mut out, &text);
            proptest::prop_assert_eq!(
                String::from_utf8(out).unwrap(),
                serde_json::to_string(&text).unwrap()
            );
        }
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
        // Batches and pieces of every size: a file's findings split over pieces and
        // batches, a batch of one piece, batches ending inside a file.
        let in_sizes = |report: &Report, lang, sizes| {
            let mut out = Vec::new();
            write_in(report, lang, Reader::Office, &mut out, sizes).unwrap();
            String::from_utf8(out).unwrap()
        };
        for n in [0, 1, 2, 40] {
            let report = engine::check(inventories(n), &rules, as_of);
            for lang in [Lang::Ja, Lang::En] {
                let whole = printed_whole(&report, lang);
                assert_eq!(render(&report, lang), whole, "{n}");
                for sizes in [(1, 1), (3, 2), (5, 1), (7, 3), (64, 4), (BATCH, PIECE)] {
                    assert_eq!(in_sizes(&report, lang, sizes), whole, "{n} {sizes:?}");
                }
            }
        }
        let clean = Inventory::from_text("ok.json".into(), base.clone());
        let report = engine::check(vec![clean], &rules, as_of);
        assert_eq!(render(&report, Lang::En), printed_whole(&report, Lang::En));
    }
}
