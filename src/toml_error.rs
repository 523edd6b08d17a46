//! A problem at a place in a TOML file — a rule file or `rurume.toml` — reported with the
//! line underlined. Such problems end the run (exit 2): all of them are collected first, so
//! one run shows every mistake.

use miette::{Diagnostic, LabeledSpan, NamedSource, SourceSpan};

/// Which kind of TOML file: it chooses the diagnostic code and where the help points.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TomlFile {
    Rule,
    Config,
}

impl TomlFile {
    fn code(self) -> &'static str {
        match self {
            TomlFile::Rule => "invalid-rule",
            TomlFile::Config => "invalid-config",
        }
    }

    fn help(self) -> &'static str {
        match self {
            TomlFile::Rule => "the rule-file language is described in rules/README.md",
            TomlFile::Config => {
                "the configuration file is described in the README (\"Configuration\")"
            }
        }
    }

    fn what(self) -> &'static str {
        match self {
            TomlFile::Rule => "the rule set",
            TomlFile::Config => "the configuration",
        }
    }
}

#[derive(Debug, thiserror::Error)]
#[error("{message}")]
pub struct TomlError {
    pub kind: TomlFile,
    pub message: String,
    source_code: Option<NamedSource<String>>,
    span: Option<SourceSpan>,
}

impl TomlError {
    pub fn new(
        kind: TomlFile,
        file: &str,
        text: &str,
        span: Option<std::ops::Range<usize>>,
        message: String,
    ) -> TomlError {
        TomlError {
            kind,
            message: format!("{file}: {message}"),
            source_code: Some(NamedSource::new(file, text.to_owned()).with_language("TOML")),
            span: span.map(|r| SourceSpan::from(r.start..r.end.max(r.start))),
        }
    }

    /// A problem with the file as a whole (unreadable, missing).
    pub fn whole(kind: TomlFile, file: &str, message: String) -> TomlError {
        TomlError {
            kind,
            message: format!("{file}: {message}"),
            source_code: None,
            span: None,
        }
    }

    pub fn has_place(&self) -> bool {
        self.span.is_some()
    }
}

impl Diagnostic for TomlError {
    fn code<'a>(&'a self) -> Option<Box<dyn std::fmt::Display + 'a>> {
        Some(Box::new(self.kind.code()))
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
        Some(Box::new(self.kind.help()))
    }
}

/// Every problem found in one kind of TOML input.
#[derive(Debug, thiserror::Error)]
#[error("{} has {} error(s)", .kind.what(), .errors.len())]
pub struct TomlErrors {
    pub kind: TomlFile,
    pub errors: Vec<TomlError>,
}

impl Diagnostic for TomlErrors {
    fn related<'a>(&'a self) -> Option<Box<dyn Iterator<Item = &'a dyn Diagnostic> + 'a>> {
        Some(Box::new(self.errors.iter().map(|e| e as &dyn Diagnostic)))
    }
}
