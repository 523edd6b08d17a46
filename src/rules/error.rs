//! Problems in rule files: reported with the place in the TOML, and fatal (exit 2).

use miette::{Diagnostic, LabeledSpan, NamedSource, SourceSpan};

#[derive(Debug, thiserror::Error)]
#[error("{message}")]
pub struct RuleFileError {
    pub file: String,
    pub message: String,
    source_code: Option<NamedSource<String>>,
    span: Option<SourceSpan>,
}

impl RuleFileError {
    pub fn new(
        file: &str,
        text: &str,
        span: Option<std::ops::Range<usize>>,
        message: String,
    ) -> RuleFileError {
        RuleFileError {
            file: file.to_owned(),
            message: format!("{file}: {message}"),
            source_code: Some(NamedSource::new(file, text.to_owned()).with_language("TOML")),
            span: span.map(|r| SourceSpan::from(r.start..r.end.max(r.start))),
        }
    }

    pub fn io(file: String, message: String) -> RuleFileError {
        RuleFileError {
            message: format!("{file}: {message}"),
            file,
            source_code: None,
            span: None,
        }
    }

    /// 1-based line and column of the problem, when it has a place.
    pub fn line_col(&self) -> Option<(usize, usize)> {
        let (span, src) = (self.span?, self.source_code.as_ref()?);
        let text = src.inner();
        let before = &text[..span.offset().min(text.len())];
        let line = before.matches('\n').count() + 1;
        let column = before.rsplit('\n').next().unwrap_or("").chars().count() + 1;
        Some((line, column))
    }
}

impl Diagnostic for RuleFileError {
    fn code<'a>(&'a self) -> Option<Box<dyn std::fmt::Display + 'a>> {
        Some(Box::new("invalid-rule"))
    }

    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        self.source_code
            .as_ref()
            .map(|s| s as &dyn miette::SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        let span = self.span?;
        Some(Box::new(std::iter::once(LabeledSpan::new_with_span(
            Some("here".into()),
            span,
        ))))
    }

    fn help<'a>(&'a self) -> Option<Box<dyn std::fmt::Display + 'a>> {
        Some(Box::new(
            "the rule-file language is described in rules/README.md",
        ))
    }
}

/// Every problem found in a rule set: all are reported, not only the first.
#[derive(Debug, thiserror::Error)]
#[error("the rule set has {} error(s)", .0.len())]
pub struct RuleFileErrors(pub Vec<RuleFileError>);

impl Diagnostic for RuleFileErrors {
    fn related<'a>(&'a self) -> Option<Box<dyn Iterator<Item = &'a dyn Diagnostic> + 'a>> {
        Some(Box::new(self.0.iter().map(|e| e as &dyn Diagnostic)))
    }
}
