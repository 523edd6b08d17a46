//! `--format human`: rustc-style diagnostics rendered by miette — the source lines with the
//! value underlined, the article, the fix — then a summary. Secrets are masked in the
//! source shown.

use std::fmt;
use std::ops::Range;
use std::sync::Arc;

use rayon::prelude::*;

use miette::{
    Diagnostic, GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteSpanContents,
    NamedSource, SourceSpan,
};

use super::Summary;
use crate::engine::{FileReport, Located, MASK, Report};
use crate::finding::Severity;
use crate::inventory::spans::LineIndex;
use crate::lang::Lang;

#[derive(Debug, Clone, Copy)]
pub struct Style {
    pub color: bool,
    pub width: usize,
    pub quiet: bool,
}

pub fn render(report: &Report, lang: Lang, style: Style) -> String {
    // Files are rendered in parallel, each into its own text, and joined in order.
    let files: Vec<String> = report
        .files
        .par_iter()
        .map(|file| render_file(file, lang, style))
        .collect();
    let mut out = files.concat();
    if !style.quiet {
        out.push_str(&summary_line(&Summary::of(report), lang));
        out.push('\n');
    }
    out
}

/// One file's findings, and the note when its policy rules were skipped.
fn render_file(file: &FileReport, lang: Lang, style: Style) -> String {
    let mut out = String::new();
    if file.findings.is_empty() {
        return out;
    }
    let theme = if style.color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    let handler = GraphicalReportHandler::new_themed(theme)
        .with_width(style.width)
        .with_links(false);
    if let Some((workbook, secret_cells)) = &file.workbook {
        for located in &file.findings {
            out.push_str(&cell_diagnostic(
                file,
                workbook,
                secret_cells,
                located,
                lang,
                style,
            ));
            out.push('\n');
        }
        rules_note(file, lang, style, &mut out);
        return out;
    }
    let source = Arc::new(MaskedSource::new(&file.text, &file.secret_spans));
    let named = NamedSource::new(&file.display, Arc::clone(&source));
    for located in &file.findings {
        let diagnostic = FindingDiagnostic::new(file, located, &source, &named, lang);
        // Rendering into a String cannot fail.
        let _ = handler.render_report(&mut out, &diagnostic);
        out.push('\n');
    }
    rules_note(file, lang, style, &mut out);
    out
}

fn rules_note(file: &FileReport, lang: Lang, style: Style, out: &mut String) {
    if file.rules_skipped && !style.quiet {
        out.push_str(&format!(
            "  {} {}\n\n",
            lang.pick("注:", "note:"),
            lang.pick(
                &format!(
                    "{} は形式（スキーマ）に合わないため、ポリシーの規則はまだ評価していません",
                    file.display
                ),
                &format!(
                    "{}: the policy rules were not evaluated because the file breaks the schema",
                    file.display
                ),
            )
        ));
    }
}

/// A finding in a workbook, drawn like the others: the sheet and cell, the header row and
/// the finding's row (secrets masked), the cell's column underlined.
fn cell_diagnostic(
    file: &FileReport,
    workbook: &crate::workbook::Workbook,
    secret_cells: &[crate::workbook::CellRef],
    located: &Located,
    lang: Lang,
    style: Style,
) -> String {
    use crate::workbook::CellRef;
    use unicode_width::UnicodeWidthStr;
    let f = &located.finding;
    let (mark, paint) = match (&f.waived_by, f.severity) {
        (Some(_), _) => ("☞", "\x1b[36m"),
        (None, Severity::Error) => ("×", "\x1b[31m"),
        (None, Severity::Warning) => ("⚠", "\x1b[33m"),
    };
    let color = |code: &str, text: &str| {
        if style.color {
            format!("{code}{text}\x1b[0m")
        } else {
            text.to_owned()
        }
    };
    let mut message = format!("{}: {}", f.rule, f.message(lang));
    if let Some(by) = &f.waived_by {
        message = match lang {
            Lang::Ja => format!("【{by} の例外により免除】{message}"),
            Lang::En => format!("[waived by the exception at {by}] {message}"),
        };
    }
    let mut out = format!("  {} {}\n", color(paint, mark), color(paint, &message));
    let cell = located.cell.unwrap_or_default();
    let reference = workbook.reference(&cell);
    let Some(grid) = workbook.book.sheets.get(usize::from(cell.sheet)) else {
        return out;
    };
    let header = workbook.headers.get(&cell.sheet).copied();
    // The columns shown: the first (it names the row), and a window around the cell's.
    let last = grid
        .rows
        .values()
        .filter_map(|r| r.keys().next_back())
        .max()
        .copied()
        .unwrap_or(0)
        .max(cell.col);
    let mut cols: Vec<Option<u32>> = Vec::new();
    let window = cell.col.saturating_sub(2)..=(cell.col + 1).min(last);
    if *window.start() > 0 {
        cols.push(Some(0));
        if *window.start() > 1 {
            cols.push(None);
        }
    }
    cols.extend(window.map(Some));
    let shown = |row: u32, col: u32| -> String {
        let at = CellRef {
            sheet: cell.sheet,
            row,
            col,
        };
        if secret_cells.contains(&at) {
            return MASK.to_owned();
        }
        let text = grid.text(row, col).replace(['\r', '\n'], " / ");
        let mut cut = String::new();
        for ch in text.chars() {
            if UnicodeWidthStr::width(cut.as_str()) >= 24 {
                cut.push('…');
                break;
            }
            cut.push(ch);
        }
        cut
    };
    let rows: Vec<u32> = match header {
        Some(h) if h != cell.row => vec![h, cell.row],
        _ => vec![cell.row],
    };
    let texts: Vec<Vec<String>> = rows
        .iter()
        .map(|&r| {
            cols.iter()
                .map(|c| c.map_or("…".to_owned(), |c| shown(r, c)))
                .collect()
        })
        .collect();
    let widths: Vec<usize> = (0..cols.len())
        .map(|i| {
            texts
                .iter()
                .map(|t| UnicodeWidthStr::width(t[i].as_str()))
                .max()
                .unwrap_or(0)
                .max(1)
        })
        .collect();
    let gutter = (cell.row + 1).max(rows[0] + 1).to_string().len();
    let pad = " ".repeat(gutter);
    out.push_str(&format!("  {pad} ╭─[{} {reference}]\n", file.display));
    for (r, t) in rows.iter().zip(&texts) {
        let line: Vec<String> = t
            .iter()
            .zip(&widths)
            .map(|(text, w)| {
                format!(
                    "{text}{}",
                    " ".repeat(w - UnicodeWidthStr::width(text.as_str()))
                )
            })
            .collect();
        out.push_str(&format!(
            "  {:>gutter$} │ {}\n",
            r + 1,
            line.join(" │ ").trim_end()
        ));
    }
    // The underline under the cell's column.
    let target = cols.iter().position(|c| *c == Some(cell.col)).unwrap_or(0);
    let offset: usize = widths[..target].iter().map(|w| w + 3).sum();
    let width = widths[target].max(1);
    let label = if f.source == crate::engine::builtin::NO_ARTICLE {
        f.pointer.clone()
    } else {
        format!("{} · {}", f.source, f.pointer)
    };
    let bar: String = (0..width).map(|i| if i == 0 { '┬' } else { '─' }).collect();
    out.push_str(&format!(
        "  {pad} · {}{}\n",
        " ".repeat(offset),
        color(paint, &bar)
    ));
    out.push_str(&format!(
        "  {pad} · {}{}\n",
        " ".repeat(offset),
        color(paint, &format!("╰── {label}"))
    ));
    out.push_str(&format!("  {pad} ╰────\n"));
    let help = match lang {
        Lang::Ja => format!("直し方: {}", f.fix(lang)),
        Lang::En => format!("fix: {}", f.fix(lang)),
    };
    out.push_str(&format!("  help: {help}\n"));
    out
}

pub fn summary_line(s: &Summary, lang: Lang) -> String {
    match lang {
        Lang::Ja => format!(
            "エラー {} 件、警告 {} 件、例外により免除 {} 件（{} ファイルを検査）",
            s.errors, s.warnings, s.waived, s.files
        ),
        Lang::En => {
            let plural = |n: usize, one: &str, many: &str| {
                format!("{n} {}", if n == 1 { one } else { many })
            };
            format!(
                "{}, {}, {} waived in {}",
                plural(s.errors, "error", "errors"),
                plural(s.warnings, "warning", "warnings"),
                s.waived,
                plural(s.files, "file", "files")
            )
        }
    }
}

struct FindingDiagnostic<'a> {
    message: String,
    severity: miette::Severity,
    help: String,
    label: LabeledSpan,
    source: &'a NamedSource<Arc<MaskedSource>>,
}

impl<'a> FindingDiagnostic<'a> {
    fn new(
        file: &FileReport,
        located: &'a Located,
        masked: &MaskedSource,
        source: &'a NamedSource<Arc<MaskedSource>>,
        lang: Lang,
    ) -> FindingDiagnostic<'a> {
        let f = &located.finding;
        let severity = match (&f.waived_by, f.severity) {
            (Some(_), _) => miette::Severity::Advice,
            (None, Severity::Error) => miette::Severity::Error,
            (None, Severity::Warning) => miette::Severity::Warning,
        };
        let mut message = format!("{}: {}", f.rule, f.message(lang));
        if let Some(by) = &f.waived_by {
            message = match lang {
                Lang::Ja => format!("【{by} の例外により免除】{message}"),
                Lang::En => format!("[waived by the exception at {by}] {message}"),
            };
        }
        let label_text = if f.pointer.is_empty() && f.rule == crate::engine::builtin::SYNTAX.id {
            lang.pick("ここで読めなくなりました", "parsing stopped here")
                .to_owned()
        } else if f.source == crate::engine::builtin::NO_ARTICLE {
            f.pointer.clone()
        } else {
            format!("{} · {}", f.source, f.pointer)
        };
        let span = label_span(&file.text, located);
        let label = LabeledSpan::new_with_span(Some(label_text), masked.map(span));
        let help = match lang {
            Lang::Ja => format!("直し方: {}", f.fix(lang)),
            Lang::En => format!("fix: {}", f.fix(lang)),
        };
        FindingDiagnostic {
            message,
            severity,
            help,
            label,
            source,
        }
    }
}

/// What to underline: a scalar whole; an object or array by its first line only, so a
/// long object does not fill the screen. The underline starts where the value starts, so
/// the header's line:column is the one every other format prints.
fn label_span(text: &str, located: &Located) -> Range<usize> {
    let span = located.span;
    let start = span.start.min(text.len());
    // A very long value is underlined by its beginning (and the search for the end of the
    // line stops there: a minified file is one line).
    let limit = span.end.min(start + LONG_LINE / 2).min(text.len());
    let end = match text.as_bytes()[start..limit.max(start)]
        .iter()
        .position(|&b| b == b'\n')
    {
        Some(nl) => start + nl,
        None => limit,
    };
    let end = floor_char_boundary(text, end);
    start..end.max(start)
}

/// Lines longer than this are shown as a window around the value (minified files).
const LONG_LINE: usize = 512;

fn floor_char_boundary(text: &str, mut at: usize) -> usize {
    at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

fn ceil_char_boundary(text: &str, mut at: usize) -> usize {
    at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at += 1;
    }
    at
}

impl fmt::Debug for FindingDiagnostic<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl fmt::Display for FindingDiagnostic<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for FindingDiagnostic<'_> {}

impl Diagnostic for FindingDiagnostic<'_> {
    fn severity(&self) -> Option<miette::Severity> {
        Some(self.severity)
    }
    fn help<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        Some(Box::new(&self.help))
    }
    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        Some(self.source)
    }
    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        Some(Box::new(std::iter::once(self.label.clone())))
    }
}

/// The file's text with every secret value replaced by a fixed mask, and the mapping
/// from original offsets to offsets in the masked text.
#[derive(Debug)]
pub struct MaskedSource {
    text: String,
    /// (original start, original end, shift applied after it)
    edits: Vec<(usize, usize, isize)>,
    /// Offsets where lines of `text` start: snippets are cut without rescanning the file.
    line_starts: Vec<usize>,
    /// Columns of `text`, counted by blocks on long lines.
    lines: LineIndex,
}

impl MaskedSource {
    pub fn new(text: &str, secrets: &[Range<usize>]) -> MaskedSource {
        let mut spans: Vec<Range<usize>> = secrets
            .iter()
            .filter(|r| r.end <= text.len() && r.start < r.end)
            .filter(|r| text.is_char_boundary(r.start) && text.is_char_boundary(r.end))
            .cloned()
            .collect();
        spans.sort_by_key(|r| r.start);
        // Overlapping spans (a secret value, and a repetition of another secret inside it)
        // are masked as their union: nothing of either is left.
        let mut merged: Vec<Range<usize>> = Vec::new();
        for r in spans {
            match merged.last_mut() {
                Some(last) if r.start < last.end => last.end = last.end.max(r.end),
                _ => merged.push(r),
            }
        }
        let mut out = String::with_capacity(text.len());
        let mut edits = Vec::new();
        let mut last = 0;
        let mut shift = 0isize;
        for r in merged {
            out.push_str(&text[last..r.start]);
            // A whole string value keeps its quotes; a secret repeated inside another
            // string (a note that quotes a password) is masked without them.
            let replacement = match text[r.clone()].starts_with('"') {
                true => format!("\"{MASK}\""),
                false => MASK.to_owned(),
            };
            out.push_str(&replacement);
            shift += replacement.len() as isize - (r.end - r.start) as isize;
            edits.push((r.start, r.end, shift));
            last = r.end;
        }
        out.push_str(&text[last..]);
        let line_starts: Vec<usize> = std::iter::once(0)
            .chain(out.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        MaskedSource {
            text: out,
            edits,
            lines: LineIndex::from_starts(line_starts.clone()),
            line_starts,
        }
    }

    pub fn text(&self) -> &str {
        &self.text
    }

    fn map_offset(&self, offset: usize) -> usize {
        // The edits are sorted and do not overlap: the ones wholly before `offset` are a
        // prefix, found by binary search (a file may hold thousands of secrets).
        let before = self.edits.partition_point(|&(_, end, _)| end <= offset);
        let shift = before.checked_sub(1).map_or(0, |i| self.edits[i].2);
        match self.edits.get(before) {
            // Inside a secret: point at its start.
            Some(&(start, _, _)) if offset > start => (start as isize + shift) as usize,
            _ => (offset as isize + shift) as usize,
        }
    }

    pub fn map(&self, r: Range<usize>) -> SourceSpan {
        let start = self.map_offset(r.start);
        let end = self.map_offset(r.end).max(start);
        SourceSpan::from(start..end)
    }
}

impl miette::SourceCode for MaskedSource {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn miette::SpanContents<'a> + 'a>, miette::MietteError> {
        // The same contents as miette's own `str` source, found through the line index
        // (O(log n) per snippet instead of a scan of the file), with columns counted in
        // characters as every other output counts them, and long lines cut to a window.
        let text = self.text.as_str();
        let (start, end) = (span.offset(), span.offset() + span.len());
        if end > text.len() {
            return Err(miette::MietteError::OutOfBounds);
        }
        let line_of = |offset: usize| self.line_starts.partition_point(|&s| s <= offset) - 1;
        let line_end = |line: usize| {
            self.line_starts
                .get(line + 1)
                .copied()
                .unwrap_or(text.len())
        };
        let first = line_of(start);
        let last = line_of(end.saturating_sub(1).max(start));
        let column_of = |offset: usize| self.lines.line_col(text, offset).column - 1;
        let contents = |from: usize, to: usize, line: usize, column: usize, lines: usize| {
            Box::new(MietteSpanContents::new(
                &text.as_bytes()[from..to],
                SourceSpan::from(from..to),
                line,
                column,
                lines,
            )) as Box<dyn miette::SpanContents<'a> + 'a>
        };
        if context_lines_before == 0 && context_lines_after == 0 {
            return Ok(contents(start, end, first, column_of(start), 0));
        }
        let line_start = self.line_starts[first];
        if first == last && line_end(first) - line_start > LONG_LINE {
            let from =
                floor_char_boundary(text, start.saturating_sub(LONG_LINE / 4).max(line_start));
            let to = ceil_char_boundary(text, (end + LONG_LINE / 4).min(line_end(first)));
            return Ok(contents(from, to, first, column_of(from), 1));
        }
        let from_line = first.saturating_sub(context_lines_before);
        let to_line = (last + context_lines_after).min(self.line_starts.len() - 1);
        let from = self.line_starts[from_line];
        Ok(contents(
            from,
            line_end(to_line),
            from_line,
            0,
            to_line - from_line + 1,
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masking_hides_content_and_length_and_keeps_offsets_consistent() {
        let text = r#"{"password": "hunter22", "x": 1}"#;
        let start = text.find("\"hunter22\"").unwrap();
        let masked = MaskedSource::new(
            text,
            &[Range {
                start,
                end: start + 10,
            }],
        );
        assert_eq!(
            masked.text(),
            format!(r#"{{"password": "{MASK}", "x": 1}}"#)
        );
        let x = text.find("1}").unwrap();
        let mapped = masked.map(x..x + 1);
        assert_eq!(&masked.text()[mapped.offset()..mapped.offset() + 1], "1");
        let short = MaskedSource::new(r#"{"p": "a"}"#, &[Range { start: 6, end: 9 }]);
        assert_eq!(short.text(), format!(r#"{{"p": "{MASK}"}}"#));
    }

    #[test]
    fn overlapping_spans_are_masked_as_one_and_repetitions_without_quotes() {
        let text = r#"{"p": "Ume4", "note": "was Hana-Ume4-Kiku"}"#;
        let value = text.find("\"Ume4\"").unwrap();
        let long = text.find("Hana").unwrap();
        let inner = text.rfind("Ume4").unwrap();
        let masked =
            MaskedSource::new(text, &[value..value + 6, inner..inner + 4, long..long + 14]);
        assert_eq!(
            masked.text(),
            format!(r#"{{"p": "{MASK}", "note": "was {MASK}"}}"#)
        );
        let end = text.find('}').unwrap();
        let mapped = masked.map(end..end + 1);
        assert_eq!(&masked.text()[mapped.offset()..mapped.offset() + 1], "}");
    }
}
