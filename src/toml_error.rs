//! A problem at a place in a TOML file — a rule file or `rurume.toml` — reported with the
//! line underlined. Such problems end the run (exit 2): all of them are collected first, so
//! one run shows every mistake.
//!
//! Messages are written in English where they arise — ours, serde's and the TOML parser's
//! alike — and the English text is the key of their Japanese in `toml_error.ja.toml`
//! (as with gettext): one catalog, data, for every message of every TOML input. A message
//! the catalog does not know is shown in English rather than lost.

use std::sync::LazyLock;

use miette::{Diagnostic, LabeledSpan, NamedSource, SourceSpan};
use regex::Regex;

use crate::lang::Lang;

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

    fn help(self, lang: Lang) -> &'static str {
        match self {
            TomlFile::Rule => lang.pick(
                "規則ファイルの書き方は rules/README.md にあります",
                "the rule-file language is described in rules/README.md",
            ),
            TomlFile::Config => lang.pick(
                "設定ファイルの書き方は README の「設定」（Configuration）にあります",
                "the configuration file is described in the README (\"Configuration\")",
            ),
        }
    }

    fn what(self, lang: Lang) -> &'static str {
        match self {
            TomlFile::Rule => lang.pick("規則ファイル", "the rule set"),
            TomlFile::Config => lang.pick("設定ファイル", "the configuration"),
        }
    }
}

#[derive(Debug, thiserror::Error)]
#[error("{}", self.text())]
pub struct TomlError {
    pub kind: TomlFile,
    /// `file: message`, in English.
    pub message: String,
    file_len: usize,
    lang: Lang,
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
            file_len: file.len(),
            lang: Lang::En,
            source_code: Some(NamedSource::new(file, text.to_owned()).with_language("TOML")),
            span: span.map(|r| SourceSpan::from(r.start..r.end.max(r.start))),
        }
    }

    /// A problem with the file as a whole (unreadable, missing).
    pub fn whole(kind: TomlFile, file: &str, message: String) -> TomlError {
        TomlError {
            kind,
            message: format!("{file}: {message}"),
            file_len: file.len(),
            lang: Lang::En,
            source_code: None,
            span: None,
        }
    }

    /// The English message without the file's name.
    pub fn bare_message(&self) -> &str {
        let rest = &self.message[self.file_len..];
        rest.strip_prefix(": ").unwrap_or(rest)
    }

    pub fn has_place(&self) -> bool {
        self.span.is_some()
    }

    /// The message in its language: `file: message`.
    fn text(&self) -> String {
        match self.lang {
            Lang::En => self.message.clone(),
            Lang::Ja => {
                let (file, message) = self.message.split_at(self.file_len);
                let message = message.strip_prefix(": ").unwrap_or(message);
                format!("{file}: {}", japanese(message))
            }
        }
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
            Some(self.lang.pick("ここ", "here").into()),
            span,
        ))))
    }

    fn help<'a>(&'a self) -> Option<Box<dyn std::fmt::Display + 'a>> {
        Some(Box::new(self.kind.help(self.lang)))
    }
}

/// Every problem found in one kind of TOML input.
#[derive(Debug, thiserror::Error)]
#[error("{}", self.headline())]
pub struct TomlErrors {
    pub kind: TomlFile,
    pub errors: Vec<TomlError>,
}

impl TomlErrors {
    /// The same errors, told in `lang`.
    pub fn in_lang(mut self, lang: Lang) -> TomlErrors {
        for error in &mut self.errors {
            error.lang = lang;
        }
        self
    }

    fn lang(&self) -> Lang {
        self.errors.first().map_or(Lang::En, |e| e.lang)
    }

    fn headline(&self) -> String {
        let (what, n) = (self.kind.what(self.lang()), self.errors.len());
        match self.lang() {
            Lang::Ja => format!("{what}に {n} 件の誤りがあります"),
            Lang::En => format!("{what} has {n} error(s)"),
        }
    }
}

impl Diagnostic for TomlErrors {
    fn related<'a>(&'a self) -> Option<Box<dyn Iterator<Item = &'a dyn Diagnostic> + 'a>> {
        Some(Box::new(self.errors.iter().map(|e| e as &dyn Diagnostic)))
    }
}

/// The catalog: `[[message]]` patterns (`{1}`, `{2}` stand for parts of the message) and
/// `[words]`, the Japanese of such parts (`a map`, `integer`).
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct Catalog {
    message: Vec<Entry>,
    words: std::collections::BTreeMap<String, String>,
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct Entry {
    en: String,
    ja: String,
}

struct Compiled {
    patterns: Vec<(Regex, Vec<usize>, String)>,
    words: std::collections::BTreeMap<String, String>,
}

static CATALOG: LazyLock<Compiled> = LazyLock::new(|| {
    let catalog: Catalog =
        toml::from_str(include_str!("toml_error.ja.toml")).expect("src/toml_error.ja.toml");
    let placeholder = Regex::new(r"\{(\d)\}").unwrap();
    let patterns = catalog
        .message
        .into_iter()
        .map(|entry| {
            // A part may span lines (a regular expression's error shows the pattern and a caret).
            let mut pattern = String::from("(?s)^");
            let mut order = Vec::new();
            let mut last = 0;
            for m in placeholder.captures_iter(&entry.en) {
                let whole = m.get(0).unwrap();
                pattern.push_str(&regex::escape(&entry.en[last..whole.start()]));
                pattern.push_str("(.*?)");
                order.push(m[1].parse::<usize>().unwrap());
                last = whole.end();
            }
            pattern.push_str(&regex::escape(&entry.en[last..]));
            pattern.push('$');
            let regex = Regex::new(&pattern).expect("a catalog pattern");
            (regex, order, entry.ja)
        })
        .collect();
    Compiled {
        patterns,
        words: catalog.words,
    }
});

/// The Japanese of an English message of a TOML input: the first catalog pattern that
/// matches the whole message, its parts translated in turn (`invalid type: integer `3`,
/// expected a map`); the message itself when none does.
pub fn japanese(message: &str) -> String {
    let catalog = &*CATALOG;
    if let Some(word) = catalog.words.get(message) {
        return word.clone();
    }
    for (regex, order, ja) in &catalog.patterns {
        let Some(caps) = regex.captures(message) else {
            continue;
        };
        let mut out = ja.clone();
        for (i, n) in order.iter().enumerate() {
            let part = japanese(&caps[i + 1]);
            out = out.replace(&format!("{{{n}}}"), &part);
        }
        return out;
    }
    message.to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn catalog_translates_whole_messages_and_their_parts() {
        assert_eq!(
            japanese("invalid type: integer `3`, expected a map"),
            "型が違います: 表（{ … } または [見出し]）を書くところに 整数 `3` があります"
        );
        assert_eq!(
            japanese("unknown rule `nope`; `rurume rules` lists them"),
            "規則 `nope` はありません（規則の一覧は rurume rules で表示できます）"
        );
        assert_eq!(
            japanese("unclosed table, expected `]`"),
            "表の見出しが閉じていません（`]` が必要です）"
        );
        // Messages of a rule file, a `checklist.toml` of a `--rules DIR` and rurume.toml's
        // parameters and deadline: each has its Japanese.
        for m in [
            "`short.ja` is empty",
            "`short.en` must be one line",
            "a rule needs at least one [[match]]",
            "`lookup`'s `table` is a list of tables (rows), or a parameter holding one",
            "`lookup` needs `key = { column = \"path\" }`: which columns to compare with which values",
            "`lookup`'s `ignore_case` names `os`, which is not a `key` column",
            "`lookup`'s `older_than_days` needs `date`: the column holding the date",
            "`older_than_days` takes a whole number of days",
            "`2026-13-01` is not a date; write YYYY-MM-DD, e.g. 2026-12-20",
            "parameter `a` of `b` does not fit the rule (rows counted in the rule's list, those added here after its own): row 2 of the `lookup` table is not a table",
        ] {
            let ja = japanese(m);
            assert!(
                !ja.is_ascii() && !ja.contains(" the ") && !ja.contains(" of the "),
                "{m:?} has no Japanese: {ja:?}"
            );
        }
        // Unknown to the catalog: kept, not lost.
        assert_eq!(japanese("something new"), "something new");
    }

    #[test]
    fn every_pattern_compiles_and_its_japanese_uses_only_its_parts() {
        let catalog: Catalog = toml::from_str(include_str!("toml_error.ja.toml")).unwrap();
        let placeholder = Regex::new(r"\{\d\}").unwrap();
        for entry in &catalog.message {
            let en: Vec<_> = placeholder
                .find_iter(&entry.en)
                .map(|m| m.as_str())
                .collect();
            for part in placeholder.find_iter(&entry.ja) {
                assert!(
                    en.contains(&part.as_str()),
                    "{:?}: its Japanese names {}, which the English has not",
                    entry.en,
                    part.as_str()
                );
            }
        }
        assert!(CATALOG.patterns.len() == catalog.message.len());
    }
}
