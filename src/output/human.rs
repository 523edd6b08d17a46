//! `--format human`: rustc-style diagnostics rendered by miette — the source lines with the
//! value underlined, the article, the fix — then a summary. Secrets are masked in the
//! source shown.

use std::fmt;
use std::ops::Range;
use std::sync::Arc;

use miette::{
    Diagnostic, GraphicalReportHandler, GraphicalTheme, LabeledSpan, NamedSource, SourceSpan,
};

use super::Summary;
use crate::engine::{FileReport, Located, MASK, Report};
use crate::finding::Severity;
use crate::lang::Lang;

#[derive(Debug, Clone, Copy)]
pub struct Style {
    pub color: bool,
    pub width: usize,
    pub quiet: bool,
}

pub fn render(report: &Report, lang: Lang, style: Style) -> String {
    let theme = if style.color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    let handler = GraphicalReportHandler::new_themed(theme)
        .with_width(style.width)
        .with_links(false);
    let mut out = String::new();
    for file in &report.files {
        if file.findings.is_empty() {
            continue;
        }
        let source = Arc::new(MaskedSource::new(&file.text, &file.secret_spans));
        let named = NamedSource::new(&file.display, Arc::clone(&source));
        for located in &file.findings {
            let diagnostic = FindingDiagnostic::new(file, located, &source, &named, lang);
            // Rendering into a String cannot fail.
            let _ = handler.render_report(&mut out, &diagnostic);
            out.push('\n');
        }
        if file.rules_skipped && !style.quiet {
            out.push_str(&format!(
                "  {} {}\n\n",
                lang.pick("注:", "note:"),
                lang.pick(
                    &format!("{} は形式（スキーマ）に合わないため、ポリシーの規則はまだ評価していません", file.display),
                    &format!("{}: the policy rules were not evaluated because the file breaks the schema", file.display),
                )
            ));
        }
    }
    if !style.quiet {
        out.push_str(&summary_line(&Summary::of(report), lang));
        out.push('\n');
    }
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
        let mut message = format!("{}: {}", f.rule, f.message.get(lang));
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
            Lang::Ja => format!("直し方: {}", f.fix.get(lang)),
            Lang::En => format!("fix: {}", f.fix.get(lang)),
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
    let end = match text[span.start.min(text.len())..].find('\n') {
        Some(nl) => (span.start + nl).min(span.end),
        None => span.end,
    };
    span.start..end.max(span.start)
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
}

impl MaskedSource {
    pub fn new(text: &str, secrets: &[Range<usize>]) -> MaskedSource {
        let mut spans: Vec<Range<usize>> = secrets
            .iter()
            .filter(|r| r.end <= text.len() && r.start < r.end)
            .cloned()
            .collect();
        spans.sort_by_key(|r| r.start);
        let mut out = String::with_capacity(text.len());
        let mut edits = Vec::new();
        let mut last = 0;
        let mut shift = 0isize;
        for r in spans {
            if r.start < last || !text.is_char_boundary(r.start) || !text.is_char_boundary(r.end) {
                continue;
            }
            out.push_str(&text[last..r.start]);
            let replacement = format!("\"{MASK}\"");
            out.push_str(&replacement);
            shift += replacement.len() as isize - (r.end - r.start) as isize;
            edits.push((r.start, r.end, shift));
            last = r.end;
        }
        out.push_str(&text[last..]);
        MaskedSource { text: out, edits }
    }

    pub fn text(&self) -> &str {
        &self.text
    }

    fn map_offset(&self, offset: usize) -> usize {
        let mut shift = 0isize;
        for &(start, end, after) in &self.edits {
            if offset >= end {
                shift = after;
            } else if offset > start {
                // Inside a secret: point at its start.
                return (start as isize + shift) as usize;
            } else {
                break;
            }
        }
        (offset as isize + shift) as usize
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
        self.text
            .as_str()
            .read_span(span, context_lines_before, context_lines_after)
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
}
