//! `--format github`: GitHub Actions workflow commands, one annotation per finding.
//!
//! `::error` for errors, `::warning` for warnings, `::notice` for waived findings, each on
//! the value's place (`line`/`col` and `endLine`/`endColumn`, as `--format json` counts
//! them). GitHub shows at most 10 error and 10 warning annotations per step (and as
//! many notices), so the first 10 of each in report order are written, errors first; when
//! some are left out, a last `::notice` says how many and where to see them all.

use super::Summary;
use crate::engine::{FileReport, Located, Report, builtin};
use crate::finding::Severity;
use crate::lang::Lang;
use crate::rules::RuleSet;

/// Annotations of one kind that GitHub shows per step.
pub const LIMIT: usize = 10;

#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Kind {
    Error,
    Warning,
    Notice,
}

impl Kind {
    fn command(self) -> &'static str {
        match self {
            Kind::Error => "error",
            Kind::Warning => "warning",
            Kind::Notice => "notice",
        }
    }

    fn of(located: &Located) -> Kind {
        match (located.finding.is_waived(), located.finding.severity) {
            (true, _) => Kind::Notice,
            (false, Severity::Error) => Kind::Error,
            (false, Severity::Warning) => Kind::Warning,
        }
    }
}

pub fn render(report: &Report, _rules: &RuleSet, lang: Lang) -> String {
    let all: Vec<(&FileReport, &Located)> = report.findings().collect();
    let of_kind = |kind: Kind| {
        all.iter()
            .filter(move |(_, l)| Kind::of(l) == kind)
            .copied()
            .collect::<Vec<_>>()
    };
    let (errors, warnings, notices) = (
        of_kind(Kind::Error),
        of_kind(Kind::Warning),
        of_kind(Kind::Notice),
    );
    let cut = |n: usize, limit: usize| n.saturating_sub(limit);
    let hidden_errors = cut(errors.len(), LIMIT);
    let hidden_warnings = cut(warnings.len(), LIMIT);
    // The summary is a notice too: keep a place for it.
    let needs_summary = hidden_errors > 0 || hidden_warnings > 0 || notices.len() > LIMIT;
    let notice_limit = if needs_summary { LIMIT - 1 } else { LIMIT };
    let hidden_notices = cut(notices.len(), notice_limit);

    let mut out = String::new();
    for (group, limit) in [(errors, LIMIT), (warnings, LIMIT), (notices, notice_limit)] {
        for (file, located) in group.into_iter().take(limit) {
            out.push_str(&annotation(file, located, lang));
            out.push('\n');
        }
    }
    if needs_summary {
        let s = Summary::of(report);
        let message = summary_message(&s, hidden_errors, hidden_warnings, hidden_notices, lang);
        out.push_str(&format!(
            "::notice title={}::{}\n",
            escape_property("rurume"),
            escape_data(&message)
        ));
    }
    out
}

fn summary_message(
    s: &Summary,
    errors: usize,
    warnings: usize,
    waived: usize,
    lang: Lang,
) -> String {
    match lang {
        Lang::Ja => {
            let mut parts = Vec::new();
            if errors > 0 {
                parts.push(format!("エラー {errors} 件"));
            }
            if warnings > 0 {
                parts.push(format!("警告 {warnings} 件"));
            }
            if waived > 0 {
                parts.push(format!("免除 {waived} 件"));
            }
            format!(
                "ほかに{}があります（GitHub の注釈は 1 ステップにつき種類ごとに {LIMIT} 件まで）。すべて（エラー {} 件、警告 {} 件、免除 {} 件、{} ファイル）は rurume check --format sarif または --format json で確認できます",
                parts.join("、"),
                s.errors,
                s.warnings,
                s.waived,
                s.files
            )
        }
        Lang::En => {
            let plural = |n: usize, one: &str, many: &str| {
                format!("{n} more {}", if n == 1 { one } else { many })
            };
            let mut parts = Vec::new();
            if errors > 0 {
                parts.push(plural(errors, "error", "errors"));
            }
            if warnings > 0 {
                parts.push(plural(warnings, "warning", "warnings"));
            }
            if waived > 0 {
                parts.push(plural(waived, "waived finding", "waived findings"));
            }
            format!(
                "{} not annotated here (GitHub shows at most {LIMIT} annotations of each kind per step); see all of them ({} errors, {} warnings, {} waived in {} files) with rurume check --format sarif or --format json",
                join_en(&parts),
                s.errors,
                s.warnings,
                s.waived,
                s.files
            )
        }
    }
}

fn join_en(parts: &[String]) -> String {
    match parts {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

/// One workflow command for one finding.
fn annotation(file: &FileReport, located: &Located, lang: Lang) -> String {
    let f = &located.finding;
    // Lines and columns as `--format json` gives them (the column counts characters).
    let (start, end) = (located.position, located.end.max(located.position));
    let title = if f.source.is_empty() || f.source == builtin::NO_ARTICLE {
        f.rule.clone()
    } else {
        format!("{} ({})", f.rule, f.source)
    };
    let mut message = String::new();
    if let Some(exception) = &f.waived_by {
        message.push_str(lang.pick(
            &format!("第10条の例外（{exception}）により免除: "),
            &format!("waived by the Article 10 exception at {exception}: "),
        ));
    }
    message.push_str(&f.message(lang));
    let fix = f.fix(lang);
    if !fix.is_empty() {
        message.push_str(lang.pick(" — 直し方: ", " — fix: "));
        message.push_str(&fix);
    }
    format!(
        "::{} file={},line={},col={},endLine={},endColumn={},title={}::{}",
        Kind::of(located).command(),
        escape_property(&file.display),
        start.line,
        start.column,
        end.line,
        end.column,
        escape_property(&title),
        escape_data(&message),
    )
}

/// Escapes the message of a workflow command (after `::`).
pub fn escape_data(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '%' => out.push_str("%25"),
            '\r' => out.push_str("%0D"),
            '\n' => out.push_str("%0A"),
            c => out.push(c),
        }
    }
    out
}

/// Escapes a property value of a workflow command (`file=…,title=…`): as the message, and
/// also the `:` and `,` that separate properties.
pub fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping_follows_the_runner() {
        assert_eq!(escape_data("50% a,b: c\r\nd"), "50%25 a,b: c%0D%0Ad");
        assert_eq!(
            escape_property("50% a,b: c\r\nd"),
            "50%25 a%2Cb%3A c%0D%0Ad"
        );
        assert_eq!(escape_property("%3A"), "%253A");
    }

    #[test]
    fn english_lists() {
        let parts = ["a".to_owned(), "b".to_owned(), "c".to_owned()];
        assert_eq!(join_en(&parts), "a, b and c");
        assert_eq!(join_en(&parts[..1]), "a");
    }
}
