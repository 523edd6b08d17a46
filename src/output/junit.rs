//! `--format junit`: JUnit XML for CI test dashboards.
//!
//! One `<testsuite>` per file (its path), one `<testcase>` per rule in force plus the
//! engine's two, so that the rules a file passes show as passed:
//!
//! - a rule with unwaived findings in the file fails: one `<failure>` whose message gives
//!   the count and the first message, and whose text lists every finding (pointer,
//!   line:column, message, fix);
//! - a rule whose findings are all waived by 第10条 exceptions is `<skipped>` (a waiver is
//!   temporary and has an expiry: it should stay visible rather than look like a pass),
//!   with the waivers in `<system-out>`;
//! - a rule that was not evaluated (the file is not JSON, or breaks the schema) is
//!   `<skipped>` with the reason, never a pass.
//!
//! Lines and columns are those of `--format json` (the column counts characters). The
//! output validates against the Jenkins/Ant `junit-10.xsd` (`tests/schemas/`). No
//! timestamps or durations: the same input gives the same bytes.

use super::sarif::{Catalogue, Entry};
use crate::engine::{FileReport, Located, Report, builtin};
use crate::lang::Lang;
use crate::rules::RuleSet;

pub fn render(report: &Report, rules: &RuleSet, lang: Lang) -> String {
    let catalogue = Catalogue::new(report, rules);
    let suites: Vec<Suite> = report
        .files
        .iter()
        .map(|file| Suite::new(file, &catalogue.entries, lang))
        .collect();
    let tests: usize = suites.iter().map(|s| s.cases.len()).sum();
    let failures: usize = suites.iter().map(Suite::failures).sum();

    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    out.push_str(&format!(
        "<testsuites name=\"rurume\" tests=\"{tests}\" failures=\"{failures}\" errors=\"0\">\n"
    ));
    for (i, suite) in suites.iter().enumerate() {
        suite.write(&mut out, i, report, lang);
    }
    out.push_str("</testsuites>\n");
    out
}

enum Outcome<'r> {
    Passed,
    /// Unwaived findings, and waived ones.
    Failed(Vec<&'r Located>, Vec<&'r Located>),
    /// Only waived findings.
    Waived(Vec<&'r Located>),
    /// Not evaluated, with the reason.
    NotEvaluated(String),
}

struct Case<'a, 'r> {
    rule: &'a Entry<'a>,
    outcome: Outcome<'r>,
}

struct Suite<'a, 'r> {
    file: &'r FileReport,
    cases: Vec<Case<'a, 'r>>,
}

impl<'a, 'r> Suite<'a, 'r> {
    fn new(file: &'r FileReport, entries: &'a [Entry<'a>], lang: Lang) -> Suite<'a, 'r> {
        let not_json = file
            .findings
            .iter()
            .any(|l| l.finding.rule == builtin::SYNTAX.id);
        let cases = entries
            .iter()
            .map(|rule| {
                let (waived, unwaived): (Vec<&Located>, Vec<&Located>) = file
                    .findings
                    .iter()
                    .filter(|l| l.finding.rule == rule.id)
                    .partition(|l| l.finding.is_waived());
                let skipped_reason = if not_json && rule.id != builtin::SYNTAX.id {
                    Some(lang.pick(
                        "評価していません: ファイルが JSON として読めません",
                        "not evaluated: the file is not valid JSON",
                    ))
                } else if file.rules_skipped && !rule.always_runs {
                    Some(lang.pick(
                        "評価していません: ファイルが台帳の形式（スキーマ）に合いません",
                        "not evaluated: the file breaks the inventory schema",
                    ))
                } else {
                    None
                };
                let outcome = match (unwaived.is_empty(), waived.is_empty(), skipped_reason) {
                    (false, _, _) => Outcome::Failed(unwaived, waived),
                    (true, false, _) => Outcome::Waived(waived),
                    (true, true, Some(reason)) => Outcome::NotEvaluated(reason.to_owned()),
                    (true, true, None) => Outcome::Passed,
                };
                Case { rule, outcome }
            })
            .collect();
        Suite { file, cases }
    }

    fn failures(&self) -> usize {
        self.cases
            .iter()
            .filter(|c| matches!(c.outcome, Outcome::Failed(..)))
            .count()
    }

    fn skipped(&self) -> usize {
        self.cases
            .iter()
            .filter(|c| matches!(c.outcome, Outcome::Waived(_) | Outcome::NotEvaluated(_)))
            .count()
    }

    fn write(&self, out: &mut String, id: usize, report: &Report, lang: Lang) {
        let file = self.file;
        let name = attr(&file.display);
        let package = file
            .facility
            .as_deref()
            .map(|f| format!(" package=\"{}\"", attr(f)))
            .unwrap_or_default();
        out.push_str(&format!(
            "  <testsuite name=\"{name}\" id=\"{id}\"{package} tests=\"{}\" failures=\"{}\" errors=\"0\" skipped=\"{}\">\n",
            self.cases.len(),
            self.failures(),
            self.skipped(),
        ));
        let count =
            |pred: &dyn Fn(&Located) -> bool| file.findings.iter().filter(|l| pred(l)).count();
        let errors = count(&|l| {
            !l.finding.is_waived() && l.finding.severity == crate::finding::Severity::Error
        });
        let warnings = count(&|l| {
            !l.finding.is_waived() && l.finding.severity == crate::finding::Severity::Warning
        });
        let waived = count(&|l| l.finding.is_waived());
        out.push_str("    <properties>\n");
        let mut props: Vec<(&str, String)> = vec![("as_of", report.as_of.to_string())];
        if let Some(facility) = &file.facility {
            props.push(("facility", facility.clone()));
        }
        props.push(("findings.errors", errors.to_string()));
        props.push(("findings.warnings", warnings.to_string()));
        props.push(("findings.waived", waived.to_string()));
        for (k, v) in props {
            out.push_str(&format!(
                "      <property name=\"{}\" value=\"{}\"/>\n",
                attr(k),
                attr(&v)
            ));
        }
        out.push_str("    </properties>\n");
        for case in &self.cases {
            case.write(out, file, lang);
        }
        out.push_str("  </testsuite>\n");
    }
}

impl Case<'_, '_> {
    fn write(&self, out: &mut String, file: &FileReport, lang: Lang) {
        let open = format!(
            "    <testcase classname=\"{}\" name=\"{}\"",
            attr(&file.display),
            attr(self.rule.id)
        );
        match &self.outcome {
            Outcome::Passed => {
                out.push_str(&open);
                out.push_str("/>\n");
            }
            Outcome::Failed(unwaived, waived) => {
                out.push_str(&open);
                out.push_str(">\n");
                let first = unwaived[0].finding.message(lang);
                let n = unwaived.len();
                let message = match lang {
                    Lang::Ja => format!("{n} 件: {first}"),
                    Lang::En if n == 1 => format!("1 finding: {first}"),
                    Lang::En => format!("{n} findings: {first}"),
                };
                out.push_str(&format!(
                    "      <failure type=\"{}\" message=\"{}\">",
                    self.rule.severity.as_str(),
                    attr(&message)
                ));
                let mut body = String::new();
                if self.rule.source != builtin::NO_ARTICLE {
                    body.push_str(&format!(
                        "{}: {}\n",
                        lang.pick("根拠", "Article"),
                        self.rule.source
                    ));
                }
                for l in unwaived {
                    body.push_str(&finding_text(l, lang));
                }
                out.push_str(&text(&body));
                out.push_str("</failure>\n");
                if !waived.is_empty() {
                    system_out(out, waived, lang);
                }
                out.push_str("    </testcase>\n");
            }
            Outcome::Waived(waived) => {
                out.push_str(&open);
                out.push_str(">\n");
                let n = waived.len();
                let message = match lang {
                    Lang::Ja => format!("第10条の例外により免除（{n} 件）"),
                    Lang::En if n == 1 => "1 finding waived by an Article 10 exception".to_owned(),
                    Lang::En => format!("{n} findings waived by Article 10 exceptions"),
                };
                out.push_str(&format!(
                    "      <skipped message=\"{}\"/>\n",
                    attr(&message)
                ));
                system_out(out, waived, lang);
                out.push_str("    </testcase>\n");
            }
            Outcome::NotEvaluated(reason) => {
                out.push_str(&open);
                out.push_str(">\n");
                out.push_str(&format!("      <skipped message=\"{}\"/>\n", attr(reason)));
                out.push_str("    </testcase>\n");
            }
        }
    }
}

fn system_out(out: &mut String, waived: &[&Located], lang: Lang) {
    let mut body = String::new();
    for l in waived {
        let exception = l.finding.waived_by.as_deref().unwrap_or_default();
        body.push_str(lang.pick(
            &format!("第10条の例外（{exception}）により免除:\n"),
            &format!("waived by the Article 10 exception at {exception}:\n"),
        ));
        body.push_str(&finding_text(l, lang));
    }
    out.push_str("      <system-out>");
    out.push_str(&text(&body));
    out.push_str("</system-out>\n");
}

/// One finding in a failure's text: where, what, how to fix.
fn finding_text(l: &Located, lang: Lang) -> String {
    let f = &l.finding;
    let at = if f.pointer.is_empty() {
        lang.pick("（ファイル全体）", "(whole file)")
    } else {
        &f.pointer
    };
    let mut s = format!(
        "{at} ({}:{}): {}\n",
        l.position.line,
        l.position.column,
        f.message(lang)
    );
    let fix = f.fix(lang);
    if !fix.is_empty() {
        s.push_str(&format!("  {}: {fix}\n", lang.pick("直し方", "fix")));
    }
    s
}

/// Characters XML 1.0 allows in a document; the others are dropped.
fn allowed(c: char) -> bool {
    matches!(c, '\u{9}' | '\u{A}' | '\u{D}' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}

/// Escapes text content.
pub fn text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars().filter(|&c| allowed(c)) {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\r' => out.push_str("&#13;"),
            c => out.push(c),
        }
    }
    out
}

/// Escapes an attribute value; line breaks and tabs as character references, so that a
/// parser does not normalise them to spaces.
pub fn attr(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars().filter(|&c| allowed(c)) {
        match c {
            '\n' => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            '\t' => out.push_str("&#9;"),
            c => out.push_str(&text(c.encode_utf8(&mut [0; 4]))),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xml_escaping_and_illegal_characters() {
        assert_eq!(
            text("a & b < c > d \" e ' f\u{0}\u{1}\u{b}\u{FFFE}g"),
            "a &amp; b &lt; c &gt; d &quot; e &apos; fg"
        );
        assert_eq!(attr("x\ny\tz\r"), "x&#10;y&#9;z&#13;");
        assert_eq!(text("改行\nそのまま"), "改行\nそのまま");
        assert_eq!(text("😀"), "😀");
    }
}
