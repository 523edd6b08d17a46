//! The association's compliance matrix (`rurume audit`): one row per facility (file), one
//! column per rule, built from a finished [`Report`] so that it can never disagree with
//! `rurume check`.
//!
//! # Rows
//!
//! One per facility: per file, except that a facility's superseded files
//! ([`superseded`]: resubmissions with an earlier `facility.submitted`) are listed apart
//! in [`Matrix::superseded`] and never counted. A row carries the facility's `id`, `name` and `kind`, as the engine read
//! them from the file's `facility` object (a file that is not valid JSON has none), and the
//! file path. Rows are sorted by facility id, then file
//! path; files whose id cannot be read come last, by path, and are labelled by their path.
//!
//! # Columns
//!
//! Every rule of the rule set plus the two format rules of the engine (`inventory-syntax`,
//! `inventory-schema`), in this order:
//!
//! 1. the format rules (source `—`), syntax first: a file that breaks them is not (fully)
//!    evaluated, so they explain the rest of its row;
//! 2. the policy rules grouped by the first article of their `source`: `第N条` by N, then
//!    `別紙N` by N, then any other source alphabetically;
//! 3. by rule id within a group.
//!
//! A rule that appears in the report but not in the rule set (it cannot happen with the
//! engine as it is) gets a column too, in the group of its finding's source.
//!
//! # Cells
//!
//! A cell counts the **unwaived** findings of that rule in that file. Waived findings are
//! counted per facility (`waived`) and per rule, never in the cells. A cell is *not
//! evaluated* when the rule did not run on the file: every rule but `inventory-syntax` on a
//! file that is not valid JSON, and every policy rule but the secret scans
//! (`plaintext-password`) on a file that breaks the schema. Such a cell counts 0.
//!
//! # Compliance rate
//!
//! - A facility is **compliant** when it has no unwaived finding of severity error.
//!   Warnings and waived findings do not count; a file that is not valid JSON or breaks the
//!   schema has an error, so it is never compliant.
//! - The **compliance rate** is compliant facilities / facilities (none when there are no
//!   facilities).
//! - A rule's compliance rate is the share of the facilities on which the rule was
//!   evaluated that have no unwaived finding of that rule (clean / evaluated).

pub mod changes;
pub mod checklist;
pub mod roster;
pub mod superseded;

pub use superseded::Superseded;

use rayon::prelude::*;

use crate::engine::builtin;
use crate::engine::{FileReport, Report};
use crate::finding::Severity;
use crate::lang::Text;
use crate::rules::RuleSet;

/// One rule column.
#[derive(Debug, Clone)]
pub struct Column {
    pub id: String,
    pub severity: Severity,
    /// The article(s), e.g. `第9条, 別紙2 第2条2`; `—` for the format rules.
    pub source: String,
    pub title: Text,
    /// The short name of the matrix's column head (`short` in the rule file; the id when
    /// it has none).
    pub short: Text,
    /// The first article of `source`; consecutive columns of the same group share it.
    pub group: String,
    kind: ColumnKind,
    /// Unwaived findings of this rule, all facilities.
    pub total: usize,
    /// Waived findings of this rule, all facilities.
    pub waived: usize,
    /// Facilities with at least one unwaived finding of this rule.
    pub facilities_failing: usize,
    /// Clean facilities among those where the rule was evaluated.
    pub rate: Rate,
    /// With a previous round: this rule's changes over every facility.
    pub changes: Option<changes::Changes>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ColumnKind {
    Syntax,
    Schema,
    /// Runs on every parsed file, even one that breaks the schema.
    SecretScan,
    Policy,
}

impl Column {
    /// `inventory-syntax` or `inventory-schema`.
    pub fn is_format(&self) -> bool {
        matches!(self.kind, ColumnKind::Syntax | ColumnKind::Schema)
    }
}

/// One facility (file).
#[derive(Debug, Clone)]
pub struct Row {
    /// `facility.id`, when it can be read.
    pub facility: Option<String>,
    pub name: Option<String>,
    /// The `kind` code of the file (`clinic`, `visiting_nursing`, …).
    pub kind: Option<String>,
    /// `facility.submitted`, as written.
    pub submitted: Option<String>,
    /// Numbers of accounts and devices, when the file has those lists.
    pub accounts: Option<usize>,
    pub devices: Option<usize>,
    /// The file path, as every output prints it.
    pub file: String,
    /// Index of the file in [`Report::files`].
    pub file_index: usize,
    /// Unwaived findings per column.
    pub counts: Vec<usize>,
    /// Whether each column's rule ran on this file.
    pub evaluated: Vec<bool>,
    pub errors: usize,
    pub warnings: usize,
    pub waived: usize,
    /// With a previous round: the facility's changes, in total and per column.
    pub changes: Option<RowChanges>,
    /// With the `mhlw` profile in force: the MHLW checklist's answers.
    pub checklist: Option<checklist::RowChecklist>,
}

#[derive(Debug, Clone, Default)]
pub struct RowChanges {
    pub total: changes::Changes,
    pub columns: Vec<changes::Changes>,
    /// The facility had a submission in the previous round.
    pub in_previous: bool,
}

impl Row {
    /// How outputs name the row: the facility id, else the file path.
    pub fn label(&self) -> &str {
        self.facility.as_deref().unwrap_or(&self.file)
    }

    /// No unwaived error.
    pub fn compliant(&self) -> bool {
        self.errors == 0
    }

    /// Unwaived findings of every rule.
    pub fn findings(&self) -> usize {
        self.errors + self.warnings
    }

    /// Some rule did not run on this file.
    pub fn partly_evaluated(&self) -> bool {
        self.evaluated.iter().any(|e| !e)
    }
}

/// A share: `part` of `whole`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Rate {
    pub part: usize,
    pub whole: usize,
}

impl Rate {
    /// `part / whole` rounded to 4 decimals; none when `whole` is 0.
    pub fn value(self) -> Option<f64> {
        (self.whole > 0)
            .then(|| (self.part as f64 / self.whole as f64 * 10_000.0).round() / 10_000.0)
    }

    /// Whole percent, rounded to the nearest (2/7 is 29 %), except that only all of
    /// them is 100 % and only none is 0 % (199/200 is 99 %, 1/200 is 1 %).
    pub fn percent(self) -> Option<usize> {
        (self.whole > 0).then(|| {
            let nearest = (self.part * 200 + self.whole) / (self.whole * 2);
            match nearest {
                100 if self.part < self.whole => 99,
                0 if self.part > 0 => 1,
                n => n,
            }
        })
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Totals {
    pub facilities: usize,
    pub compliant: usize,
    pub errors: usize,
    pub warnings: usize,
    pub waived: usize,
}

impl Totals {
    /// Compliant facilities / facilities.
    pub fn rate(&self) -> Rate {
        Rate {
            part: self.compliant,
            whole: self.facilities,
        }
    }
}

#[derive(Debug, Clone)]
pub struct Matrix {
    pub as_of: jiff::civil::Date,
    pub columns: Vec<Column>,
    pub rows: Vec<Row>,
    pub totals: Totals,
    /// Resubmissions not counted, by facility then file.
    pub superseded: Vec<Superseded>,
    /// With `--roster`: who did not submit, who was not expected.
    pub roster: Option<roster::Check>,
    /// With `--previous`: the previous round's files counted, and its totals of changes.
    pub previous: Option<Previous>,
    /// With the `mhlw` profile in force: the MHLW checklist's items (each row has its
    /// answers).
    pub checklist: Option<Vec<checklist::Item>>,
}

/// What the matrix says of the previous round.
#[derive(Debug, Clone, Default)]
pub struct Previous {
    /// Facilities in the previous round (superseded files aside).
    pub facilities: usize,
    pub total: changes::Changes,
}

impl Matrix {
    pub fn build(report: &Report, rules: &RuleSet) -> Matrix {
        let mut columns = columns(report, rules);
        let index: ColumnIndex = columns
            .iter()
            .enumerate()
            .map(|(c, column)| (column.id.as_str(), c))
            .collect();
        let mut rows: Vec<Row> = report
            .files
            .par_iter()
            .enumerate()
            .filter(|(_, file)| file.superseded_by.is_none())
            .map(|(i, file)| row(i, file, &columns, &index))
            .collect();
        let superseded = superseded::of_report(report);
        rows.sort_by(|a, b| {
            (a.facility.is_none(), a.label(), &a.file).cmp(&(
                b.facility.is_none(),
                b.label(),
                &b.file,
            ))
        });

        let mut waived = vec![0; columns.len()];
        for row in &rows {
            let findings = &report.files[row.file_index].findings;
            for l in findings.iter().filter(|l| l.finding.is_waived()) {
                if let Some(&c) = index.get(l.finding.rule.as_str()) {
                    waived[c] += 1;
                }
            }
        }
        for (c, column) in columns.iter_mut().enumerate() {
            column.waived = waived[c];
            for row in &rows {
                column.total += row.counts[c];
                if row.counts[c] > 0 {
                    column.facilities_failing += 1;
                }
                if row.evaluated[c] {
                    column.rate.whole += 1;
                    if row.counts[c] == 0 {
                        column.rate.part += 1;
                    }
                }
            }
        }
        let totals = Totals {
            facilities: rows.len(),
            compliant: rows.iter().filter(|r| r.compliant()).count(),
            errors: rows.iter().map(|r| r.errors).sum(),
            warnings: rows.iter().map(|r| r.warnings).sum(),
            waived: rows.iter().map(|r| r.waived).sum(),
        };
        Matrix {
            as_of: report.as_of,
            columns,
            rows,
            totals,
            superseded,
            roster: None,
            previous: None,
            checklist: None,
        }
    }

    /// Answers the MHLW checklist for every facility (`rurume checklist`'s answers, from
    /// this run's findings).
    pub fn answer_checklist(
        &mut self,
        report: &Report,
        rules: &RuleSet,
        list: &crate::checklist::Checklist,
    ) {
        for row in &mut self.rows {
            row.checklist = Some(checklist::answers(list, report, row.file_index, rules));
        }
        self.checklist = Some(checklist::items(list));
    }

    /// Lists the roster's facilities that did not submit, and those not on it.
    pub fn compare_roster(&mut self, roster: &roster::Roster) {
        let mut check = roster.check(self.rows.iter().filter_map(|r| r.facility.as_deref()));
        if roster.unusable {
            check.missing.clear();
            check.unexpected.clear();
        }
        self.roster = Some(check);
    }

    /// Counts each facility's and each rule's changes since the previous round.
    pub fn compare_previous(&mut self, report: &Report, previous: &Report) {
        let compared = changes::compare(report, previous);
        let mut total = changes::Changes::default();
        for column in &mut self.columns {
            column.changes = Some(changes::Changes::default());
        }
        for row in &mut self.rows {
            let file = &report.files[row.file_index];
            let Some(c) = compared.get(&changes::facility_of(file)) else {
                continue;
            };
            let columns: Vec<changes::Changes> = self
                .columns
                .iter()
                .map(|col| c.rules.get(&col.id).copied().unwrap_or_default())
                .collect();
            for (column, n) in self.columns.iter_mut().zip(&columns) {
                if let Some(t) = &mut column.changes {
                    *t += *n;
                }
            }
            total += c.total;
            row.changes = Some(RowChanges {
                total: c.total,
                columns,
                in_previous: c.in_previous,
            });
        }
        self.previous = Some(Previous {
            facilities: previous
                .files
                .iter()
                .filter(|f| f.superseded_by.is_none())
                .count(),
            total,
        });
    }

    pub fn column(&self, id: &str) -> Option<usize> {
        self.columns.iter().position(|c| c.id == id)
    }
}

fn columns(report: &Report, rules: &RuleSet) -> Vec<Column> {
    let mut columns: Vec<Column> = Vec::new();
    let mut push = |id: &str, severity, source: &str, title: Text, short: Option<Text>, kind| {
        if columns.iter().all(|c| c.id != id) {
            columns.push(Column {
                id: id.to_owned(),
                severity,
                source: source.to_owned(),
                title,
                short: short.unwrap_or_else(|| Text::new(id, id)),
                group: first_article(source).to_owned(),
                kind,
                total: 0,
                waived: 0,
                facilities_failing: 0,
                rate: Rate::default(),
                changes: None,
            });
        }
    };
    for rule in builtin::ALL {
        let kind = if rule.id == builtin::SYNTAX.id {
            ColumnKind::Syntax
        } else {
            ColumnKind::Schema
        };
        push(
            rule.id,
            rule.severity,
            builtin::NO_ARTICLE,
            rule.title(),
            Some(rule.short()),
            kind,
        );
    }
    for rule in &rules.rules {
        let kind = if rule.is_secret_scan() {
            ColumnKind::SecretScan
        } else {
            ColumnKind::Policy
        };
        push(
            &rule.id,
            rule.severity,
            &rule.source,
            rule.title.clone(),
            rule.short.clone(),
            kind,
        );
    }
    // Almost every finding's rule has its column already: the others are found first,
    // without a text made for each finding.
    let known: foldhash::HashSet<&str> = builtin::ALL
        .iter()
        .map(|r| r.id)
        .chain(rules.rules.iter().map(|r| r.id.as_str()))
        .collect();
    for (_, l) in report.findings() {
        let f = &l.finding;
        if known.contains(f.rule.as_str()) {
            continue;
        }
        push(
            &f.rule,
            f.severity,
            &f.source,
            Text::new(f.rule.clone(), f.rule.clone()),
            None,
            ColumnKind::Policy,
        );
    }
    columns.sort_by(|a, b| {
        (format_rank(a.kind), article_key(&a.group), &a.id).cmp(&(
            format_rank(b.kind),
            article_key(&b.group),
            &b.id,
        ))
    });
    columns
}

/// Format rules first, syntax before schema.
fn format_rank(kind: ColumnKind) -> u8 {
    match kind {
        ColumnKind::Syntax => 0,
        ColumnKind::Schema => 1,
        ColumnKind::SecretScan | ColumnKind::Policy => 2,
    }
}

/// The article a source starts with: `第9条, 別紙2` → `第9条`, `第9条 (1ID=1人)` → `第9条`,
/// `別紙2 第2条2` → `別紙2`.
fn first_article(source: &str) -> &str {
    let first = source.split([',', '、', '，']).next().unwrap_or("").trim();
    let digits_after = |prefix: &str| -> Option<usize> {
        let rest = first.strip_prefix(prefix)?;
        let n = rest.chars().take_while(char::is_ascii_digit).count();
        (n > 0).then_some(prefix.len() + n)
    };
    if let Some(end) = digits_after("第")
        && first[end..].starts_with('条')
    {
        return &first[..end + '条'.len_utf8()];
    }
    if let Some(end) = digits_after("別紙") {
        return &first[..end];
    }
    first
}

/// Orders articles: `第N条` by N, then `別紙N` by N, then anything else by its text.
fn article_key(article: &str) -> (u8, u32, &str) {
    let number = |rest: &str, unit: Option<&str>| -> Option<u32> {
        let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
        let after = &rest[digits.len()..];
        let n = digits.parse().ok()?;
        match unit {
            Some(u) if !after.starts_with(u) => None,
            _ => Some(n),
        }
    };
    if let Some(n) = article
        .strip_prefix('第')
        .and_then(|r| number(r, Some("条")))
    {
        return (0, n, article);
    }
    if let Some(n) = article.strip_prefix("別紙").and_then(|r| number(r, None)) {
        return (1, n, article);
    }
    if article.is_empty() || article == builtin::NO_ARTICLE {
        return (3, 0, article);
    }
    (2, 0, article)
}

/// Each column's index, by its rule id.
type ColumnIndex<'a> = foldhash::HashMap<&'a str, usize>;

fn row(file_index: usize, file: &FileReport, columns: &[Column], index: &ColumnIndex) -> Row {
    let syntax_failed = file
        .findings
        .iter()
        .any(|l| l.finding.rule == builtin::SYNTAX.id);
    let mut counts = vec![0; columns.len()];
    let (mut errors, mut warnings, mut waived) = (0, 0, 0);
    for l in &file.findings {
        let f = &l.finding;
        if f.is_waived() {
            waived += 1;
            continue;
        }
        match f.severity {
            Severity::Error => errors += 1,
            Severity::Warning => warnings += 1,
        }
        if let Some(&c) = index.get(f.rule.as_str()) {
            counts[c] += 1;
        }
    }
    let evaluated = columns
        .iter()
        .zip(&counts)
        .map(|(c, &n)| {
            n > 0
                || match c.kind {
                    ColumnKind::Syntax => true,
                    ColumnKind::Schema | ColumnKind::SecretScan => !syntax_failed,
                    ColumnKind::Policy => !syntax_failed && !file.rules_skipped,
                }
        })
        .collect();
    Row {
        facility: file.facility.clone(),
        name: file.facility_name.clone(),
        kind: file.facility_kind.clone(),
        submitted: file.facility_submitted.clone(),
        accounts: file.accounts,
        devices: file.devices,
        file: file.display.clone(),
        file_index,
        counts,
        evaluated,
        errors,
        warnings,
        waived,
        changes: None,
        checklist: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn articles_in_policy_order() {
        let mut a = vec!["別紙3", "第10条", "第9条", "別紙1", "第3条", "附則", "—"];
        a.sort_by_key(|s| article_key(s));
        assert_eq!(
            a,
            ["第3条", "第9条", "第10条", "別紙1", "別紙3", "附則", "—"]
        );
        assert_eq!(first_article("第9条, 別紙2 第2条2"), "第9条");
        assert_eq!(first_article("—"), "—");
        assert_eq!(first_article("第9条 (1ID=1人)"), "第9条");
        assert_eq!(first_article("別紙2 第2条2"), "別紙2");
        assert_eq!(first_article("附則"), "附則");
    }

    #[test]
    fn rates() {
        let r = Rate { part: 2, whole: 7 };
        assert_eq!(r.value(), Some(0.2857));
        assert_eq!(r.percent(), Some(29));
        assert_eq!(
            Rate {
                part: 1,
                whole: 200
            }
            .percent(),
            Some(1)
        );
        assert_eq!(
            Rate {
                part: 0,
                whole: 200
            }
            .percent(),
            Some(0)
        );
        assert_eq!(Rate { part: 1, whole: 8 }.percent(), Some(13));
        assert_eq!(
            Rate {
                part: 199,
                whole: 200
            }
            .percent(),
            Some(99)
        );
        assert_eq!(Rate::default().value(), None);
    }
}
