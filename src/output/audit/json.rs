//! `rurume audit --format json`: the compliance matrix as one JSON document.
//!
//! ```json
//! {
//!   "version": 1,
//!   "as_of": "2026-11-26",
//!   "rules": [
//!     {
//!       "id": "password-length",
//!       "severity": "error",
//!       "source": "第9条",
//!       "title": "Password shorter than 8 characters",
//!       "findings": 1,
//!       "waived": 0,
//!       "facilities_failing": 1,
//!       "facilities_evaluated": 6,
//!       "facilities_clean": 5,
//!       "compliance_rate": 0.8333
//!     }
//!   ],
//!   "facilities": [
//!     {
//!       "id": "F0002",
//!       "name": "ひがし内科クリニック",
//!       "kind": "clinic",
//!       "file": "samples/F0002-higashi-clinic.json",
//!       "counts": { "inventory-syntax": 0, "inventory-schema": 0, "password-length": 1 },
//!       "errors": 21,
//!       "warnings": 5,
//!       "waived": 0,
//!       "compliant": false,
//!       "not_evaluated": []
//!     }
//!   ],
//!   "totals": {
//!     "facilities": 7, "compliant": 2, "errors": 27, "warnings": 6, "waived": 1,
//!     "counts": { "inventory-syntax": 0, "inventory-schema": 1, "password-length": 1 }
//!   },
//!   "compliance_rate": 0.2857
//! }
//! ```
//!
//! - `rules`: every rule, in the column order of the matrix (format rules, then by
//!   article, then id); `title` in the chosen language. `findings` counts unwaived
//!   findings, `waived` waived ones; `facilities_failing` the facilities with at least one
//!   unwaived finding of the rule; `compliance_rate` is `facilities_clean /
//!   facilities_evaluated` (4 decimals), `null` when the rule ran on no file.
//! - `facilities`: one per file, sorted by `id` then `file` (files without a readable
//!   `facility.id` last, with `"id": null`). `name` and `kind` (the schema's code) are
//!   `null` when they cannot be read. `counts` has every rule id, in the order of `rules`,
//!   and counts unwaived findings. `errors` and `warnings` count unwaived findings,
//!   `waived` the waived ones. `compliant` is true when `errors` is 0. `not_evaluated`
//!   lists the rules that did not run on the file (its counts are 0): all but
//!   `inventory-syntax` for a file that is not JSON, the policy rules but
//!   `plaintext-password` for a file that breaks the schema.
//! - `totals`: sums over the facilities; `compliant` is the number of compliant ones.
//! - `compliance_rate`: `totals.compliant / totals.facilities` (4 decimals), `null` with
//!   no facility.
//!
//! - With the `mhlw` profile in force, each facility has `checklist`: its answers to the
//!   MHLW checklist, `items` as `rurume checklist --format json` gives them (`id`,
//!   `answer`, `rules`, `findings`) and their `summary`; the document's `checklist` counts
//!   the answers over the facilities. An item one of whose rules did not run is `unknown`
//!   rather than `yes`.
//!
//! The same input gives byte-identical output.

use serde::Serialize;
use serde::ser::{SerializeMap, Serializer};

use crate::audit::changes::Changes;
use crate::audit::checklist::RowChecklist;
use crate::audit::{Column, Matrix};
use crate::checklist::Answer;
use crate::lang::Lang;

#[derive(Serialize)]
struct Document<'a> {
    version: u32,
    as_of: String,
    rules: Vec<RuleOut<'a>>,
    facilities: Vec<FacilityOut<'a>>,
    totals: TotalsOut<'a>,
    compliance_rate: Option<f64>,
    superseded: Vec<SupersededOut<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    roster: Option<RosterOut<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    previous: Option<PreviousOut>,
    #[serde(skip_serializing_if = "Option::is_none")]
    checklist: Option<ChecklistSummaryOut>,
}

/// With the `mhlw` profile: the answers counted over the facilities.
#[derive(Serialize)]
struct ChecklistSummaryOut {
    yes: usize,
    no: usize,
    unknown: usize,
}

/// A facility's answers, as `rurume checklist --format json` gives them.
#[derive(Serialize)]
struct FacilityChecklistOut<'a> {
    items: Vec<ItemOut<'a>>,
    summary: ChecklistSummaryOut,
}

#[derive(Serialize)]
struct ItemOut<'a> {
    id: &'a str,
    answer: Answer,
    rules: &'a [String],
    findings: usize,
}

#[derive(Serialize)]
struct SupersededOut<'a> {
    facility: &'a str,
    file: &'a str,
    by: &'a str,
    same_date: bool,
}

#[derive(Serialize)]
struct RosterOut<'a> {
    missing: Vec<MissingOut<'a>>,
    unexpected: &'a [String],
    notes: Vec<&'a str>,
}

#[derive(Serialize)]
struct MissingOut<'a> {
    id: &'a str,
    name: &'a str,
}

#[derive(Serialize)]
struct PreviousOut {
    facilities: usize,
    changes: ChangesOut,
}

#[derive(Serialize, Clone, Copy)]
struct ChangesOut {
    new: usize,
    fixed: usize,
    persisting: usize,
}

impl From<Changes> for ChangesOut {
    fn from(c: Changes) -> ChangesOut {
        ChangesOut {
            new: c.new,
            fixed: c.fixed,
            persisting: c.persisting,
        }
    }
}

#[derive(Serialize)]
struct RuleOut<'a> {
    id: &'a str,
    severity: &'a str,
    source: &'a str,
    title: &'a str,
    short: &'a str,
    findings: usize,
    waived: usize,
    facilities_failing: usize,
    facilities_evaluated: usize,
    facilities_clean: usize,
    compliance_rate: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    changes: Option<ChangesOut>,
}

#[derive(Serialize)]
struct FacilityOut<'a> {
    id: Option<&'a str>,
    name: Option<&'a str>,
    kind: Option<&'a str>,
    file: &'a str,
    submitted: Option<&'a str>,
    accounts: Option<usize>,
    devices: Option<usize>,
    counts: Counts<'a>,
    errors: usize,
    warnings: usize,
    waived: usize,
    compliant: bool,
    not_evaluated: Vec<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    changes: Option<ChangesOut>,
    /// Rule id → changes, for the rules with any.
    #[serde(skip_serializing_if = "Option::is_none")]
    changes_by_rule: Option<std::collections::BTreeMap<&'a str, ChangesOut>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    checklist: Option<FacilityChecklistOut<'a>>,
}

#[derive(Serialize)]
struct TotalsOut<'a> {
    facilities: usize,
    compliant: usize,
    errors: usize,
    warnings: usize,
    waived: usize,
    counts: Counts<'a>,
}

/// Rule id → count, in column order.
struct Counts<'a> {
    columns: &'a [Column],
    counts: Vec<usize>,
}

impl Serialize for Counts<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(self.columns.len()))?;
        for (c, n) in self.columns.iter().zip(&self.counts) {
            map.serialize_entry(&c.id, n)?;
        }
        map.end()
    }
}

fn summary(answers: &[RowChecklist]) -> ChecklistSummaryOut {
    let count = |a| answers.iter().map(|r| r.count(a)).sum();
    ChecklistSummaryOut {
        yes: count(Answer::Yes),
        no: count(Answer::No),
        unknown: count(Answer::Unknown),
    }
}

pub fn render(m: &Matrix, lang: Lang) -> String {
    let mut out = Vec::new();
    write(m, lang, &mut out).expect("writing to memory cannot fail");
    String::from_utf8(out).expect("serde_json writes UTF-8")
}

/// Writes the document to `out`, as it is serialised (a round's matrix never exists as one
/// string).
pub fn write(m: &Matrix, lang: Lang, out: &mut impl std::io::Write) -> std::io::Result<()> {
    let rules = m
        .columns
        .iter()
        .map(|c| RuleOut {
            id: &c.id,
            severity: c.severity.as_str(),
            source: &c.source,
            title: c.title.get(lang),
            short: c.short.get(lang),
            findings: c.total,
            waived: c.waived,
            facilities_failing: c.facilities_failing,
            facilities_evaluated: c.rate.whole,
            facilities_clean: c.rate.part,
            compliance_rate: c.rate.value(),
            changes: c.changes.map(ChangesOut::from),
        })
        .collect();
    let facilities =
        m.rows
            .iter()
            .map(|r| FacilityOut {
                id: r.facility.as_deref(),
                name: r.name.as_deref(),
                kind: r.kind.as_deref(),
                file: &r.file,
                submitted: r.submitted.as_deref(),
                accounts: r.accounts,
                devices: r.devices,
                counts: Counts {
                    columns: &m.columns,
                    counts: r.counts.clone(),
                },
                errors: r.errors,
                warnings: r.warnings,
                waived: r.waived,
                compliant: r.compliant(),
                not_evaluated: m
                    .columns
                    .iter()
                    .zip(&r.evaluated)
                    .filter(|(_, e)| !**e)
                    .map(|(c, _)| c.id.as_str())
                    .collect(),
                changes: r.changes.as_ref().map(|c| c.total.into()),
                changes_by_rule: r.changes.as_ref().map(|c| {
                    m.columns
                        .iter()
                        .zip(&c.columns)
                        .filter(|(_, n)| **n != Changes::default())
                        .map(|(col, n)| (col.id.as_str(), (*n).into()))
                        .collect()
                }),
                checklist: m.checklist.as_ref().zip(r.checklist.as_ref()).map(
                    |(items, answers)| FacilityChecklistOut {
                        items: items
                            .iter()
                            .zip(&answers.answers)
                            .map(|(item, a)| ItemOut {
                                id: &item.id,
                                answer: a.answer,
                                rules: &a.rules,
                                findings: a.findings,
                            })
                            .collect(),
                        summary: summary(std::slice::from_ref(answers)),
                    },
                ),
            })
            .collect();
    let t = &m.totals;
    let doc = Document {
        version: 1,
        as_of: m.as_of.to_string(),
        rules,
        facilities,
        totals: TotalsOut {
            facilities: t.facilities,
            compliant: t.compliant,
            errors: t.errors,
            warnings: t.warnings,
            waived: t.waived,
            counts: Counts {
                columns: &m.columns,
                counts: m.columns.iter().map(|c| c.total).collect(),
            },
        },
        compliance_rate: t.rate().value(),
        superseded: m
            .superseded
            .iter()
            .map(|s| SupersededOut {
                facility: &s.facility,
                file: &s.file,
                by: &s.by,
                same_date: s.same_date,
            })
            .collect(),
        roster: m.roster.as_ref().map(|r| RosterOut {
            missing: r
                .missing
                .iter()
                .map(|e| MissingOut {
                    id: &e.id,
                    name: &e.name,
                })
                .collect(),
            unexpected: &r.unexpected,
            notes: r.notes.iter().map(|n| n.get(lang)).collect(),
        }),
        previous: m.previous.as_ref().map(|p| PreviousOut {
            facilities: p.facilities,
            changes: p.total.into(),
        }),
        checklist: m.checklist.as_ref().map(|_| {
            let answers: Vec<RowChecklist> =
                m.rows.iter().filter_map(|r| r.checklist.clone()).collect();
            summary(&answers)
        }),
    };
    serde_json::to_writer_pretty(&mut *out, &doc)?;
    out.write_all(b"\n")
}
