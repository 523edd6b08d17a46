//! What changed since the previous round (`audit --previous DIR`).
//!
//! Both rounds are evaluated with the same rules as of the same date, resubmissions
//! resolved in each ([`super::superseded`]). A finding is the same in both when its
//! [`Key`] is (facility, rule, place named by item ids): reordering or extending a file
//! changes nothing. Only unwaived findings count, so that for each facility `new +
//! persisting` is its unwaived findings now and `fixed + persisting` those of the previous
//! round; a facility absent from the previous round has everything `new`.

use std::collections::BTreeMap;

use crate::engine::{FileReport, Located, Report};
use crate::identity::Key;

/// Counts of one facility, one rule, or one rule in one facility.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Changes {
    pub new: usize,
    pub fixed: usize,
    pub persisting: usize,
}

impl std::ops::AddAssign for Changes {
    fn add_assign(&mut self, o: Changes) {
        self.new += o.new;
        self.fixed += o.fixed;
        self.persisting += o.persisting;
    }
}

/// One facility's changes.
#[derive(Debug, Clone, Default)]
pub struct Facility {
    pub total: Changes,
    /// Per rule id.
    pub rules: BTreeMap<String, Changes>,
    /// The previous round's findings that are gone, as (file, finding) indexes into the
    /// previous report: what a letter names as improved.
    pub fixed: Vec<(usize, usize)>,
    /// Whether the facility was in the previous round.
    pub in_previous: bool,
}

/// The unwaived findings of the files that count (not superseded), by facility.
fn by_facility(report: &Report) -> BTreeMap<String, Vec<(Key, usize, usize)>> {
    let mut out: BTreeMap<String, Vec<(Key, usize, usize)>> = BTreeMap::new();
    for (f, file) in report.files.iter().enumerate() {
        if file.superseded_by.is_some() {
            continue;
        }
        let keys = out.entry(facility_of(file)).or_default();
        for (i, l) in file.findings.iter().enumerate() {
            if !l.finding.is_waived() {
                keys.push((Key::of(file, l), f, i));
            }
        }
    }
    out
}

/// How a file's facility is named across rounds: its id, else its path.
pub fn facility_of(file: &FileReport) -> String {
    file.facility
        .clone()
        .unwrap_or_else(|| file.display.clone())
}

/// Each facility of the current round, compared with the previous round.
pub fn compare(current: &Report, previous: &Report) -> BTreeMap<String, Facility> {
    let before = by_facility(previous);
    by_facility(current)
        .into_iter()
        .map(|(facility, now)| {
            let mut out = Facility {
                in_previous: before.contains_key(&facility),
                ..Facility::default()
            };
            let mut then: BTreeMap<&Key, Vec<(usize, usize)>> = BTreeMap::new();
            for (key, f, i) in before.get(&facility).into_iter().flatten() {
                then.entry(key).or_default().push((*f, *i));
            }
            for (key, ..) in &now {
                let c = out.rules.entry(key.rule.clone()).or_default();
                match then.get_mut(key).and_then(Vec::pop) {
                    Some(_) => c.persisting += 1,
                    None => c.new += 1,
                }
            }
            for (key, left) in then {
                out.rules.entry(key.rule.clone()).or_default().fixed += left.len();
                out.fixed.extend(left);
            }
            out.fixed.sort_unstable();
            for c in out.rules.values() {
                out.total += *c;
            }
            (facility, out)
        })
        .collect()
}

/// A fixed finding of the previous round.
pub fn previous_finding(previous: &Report, (f, i): (usize, usize)) -> (&FileReport, &Located) {
    let file = &previous.files[f];
    (file, &file.findings[i])
}
