//! Resubmissions: files of one round that share a `facility.id` are one facility.
//!
//! The file with the latest `facility.submitted` (`YYYY-MM-DD`) is the facility's
//! submission; on the same date, the later file name wins — names compared without their
//! extension and with numbers by value, so that a browser's second download
//! `F0002-higashi-clinic (1).json` is later than `F0002-higashi-clinic.json`, and `(10)`
//! later than `(9)`; then by the whole path. A file without a readable `submitted` is older
//! than any that has one; a file without a readable `facility.id` is never anyone's
//! resubmission.
//!
//! The others are *superseded*: they take no part in cross-file rules (so they never
//! collide with their own newer version), the audit lists them and never counts them,
//! and `check` warns once for each.

use std::cmp::Ordering;
use std::collections::BTreeMap;

/// A file replaced by a later submission of the same facility.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Superseded {
    pub facility: String,
    pub file: String,
    /// The file that is evaluated instead.
    pub by: String,
    /// Both have the same `facility.submitted`: the later file name decided.
    pub same_date: bool,
}

impl Superseded {
    /// The note `check` and `audit` print for it.
    pub fn note(&self, lang: crate::lang::Lang) -> String {
        let Superseded {
            facility,
            file,
            by,
            same_date,
        } = self;
        match (lang, same_date) {
            (crate::lang::Lang::Ja, false) => format!(
                "{file}: 同じ事業所（{facility}）のより新しい台帳 {by} があるため、数えず、他の台帳とも照合しません"
            ),
            (crate::lang::Lang::Ja, true) => format!(
                "{file}: 同じ事業所（{facility}）の台帳 {by} と提出日（submitted）が同じです。ファイル名が後の {by} を使い、こちらは数えず、他の台帳とも照合しません。どちらが最新か確かめてください"
            ),
            (crate::lang::Lang::En, false) => format!(
                "{file}: superseded by {by}, a later submission of facility {facility}: not counted, not compared with other files"
            ),
            (crate::lang::Lang::En, true) => format!(
                "{file}: has the same submitted date as {by}, another file of facility {facility}; {by}, the later file name, is used and this one is neither counted nor compared with other files. Check which one is the latest"
            ),
        }
    }
}

/// The superseded files of a report, by facility then file.
pub fn of_report(report: &crate::engine::Report) -> Vec<Superseded> {
    let mut out: Vec<Superseded> = report
        .files
        .iter()
        .filter_map(|file| {
            let by = file.superseded_by.as_ref()?;
            let newer = report.files.iter().find(|f| &f.display == by)?;
            Some(Superseded {
                facility: file.facility.clone()?,
                file: file.display.clone(),
                by: by.clone(),
                same_date: file.facility_submitted == newer.facility_submitted,
            })
        })
        .collect();
    out.sort_by(|a, b| (&a.facility, &a.file).cmp(&(&b.facility, &b.file)));
    out
}

/// What is known of a file to decide which is the latest.
#[derive(Debug, Clone, Copy)]
pub struct Submission<'a> {
    pub facility: Option<&'a str>,
    pub submitted: Option<&'a str>,
    /// The path as outputs print it.
    pub file: &'a str,
}

/// For each file, the index of the file that supersedes it (the facility's latest).
pub fn resolve(files: &[Submission]) -> Vec<Option<usize>> {
    let mut latest: BTreeMap<&str, usize> = BTreeMap::new();
    for (i, f) in files.iter().enumerate() {
        let Some(id) = f.facility else { continue };
        latest
            .entry(id)
            .and_modify(|best| {
                if newer(f, &files[*best]) == Ordering::Greater {
                    *best = i;
                }
            })
            .or_insert(i);
    }
    files
        .iter()
        .enumerate()
        .map(|(i, f)| {
            let best = *latest.get(f.facility?)?;
            (best != i).then_some(best)
        })
        .collect()
}

/// Whether `a` is a later submission than `b`.
fn newer(a: &Submission, b: &Submission) -> Ordering {
    a.submitted
        .cmp(&b.submitted)
        .then_with(|| natural(stem(a.file), stem(b.file)))
        .then_with(|| a.file.cmp(b.file))
}

/// The file name without folder and extension.
fn stem(path: &str) -> &str {
    let name = path.rsplit(['/', '\\']).next().unwrap_or(path);
    match name.rfind('.') {
        Some(dot) if dot > 0 => &name[..dot],
        _ => name,
    }
}

/// Text order, except that runs of ASCII digits compare by their value.
fn natural(a: &str, b: &str) -> Ordering {
    let (mut a, mut b) = (a, b);
    loop {
        match (a.chars().next(), b.chars().next()) {
            (None, None) => return Ordering::Equal,
            (None, Some(_)) => return Ordering::Less,
            (Some(_), None) => return Ordering::Greater,
            (Some(x), Some(y)) if x.is_ascii_digit() && y.is_ascii_digit() => {
                let da = a.len() - a.trim_start_matches(|c: char| c.is_ascii_digit()).len();
                let db = b.len() - b.trim_start_matches(|c: char| c.is_ascii_digit()).len();
                let (na, nb) = (
                    a[..da].trim_start_matches('0'),
                    b[..db].trim_start_matches('0'),
                );
                let by_value = na.len().cmp(&nb.len()).then_with(|| na.cmp(nb));
                if by_value != Ordering::Equal {
                    return by_value;
                }
                (a, b) = (&a[da..], &b[db..]);
            }
            (Some(x), Some(y)) => {
                if x != y {
                    return x.cmp(&y);
                }
                (a, b) = (&a[x.len_utf8()..], &b[y.len_utf8()..]);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s<'a>(facility: &'a str, submitted: &'a str, file: &'a str) -> Submission<'a> {
        Submission {
            facility: Some(facility),
            submitted: (!submitted.is_empty()).then_some(submitted),
            file,
        }
    }

    #[test]
    fn the_latest_wins() {
        let files = [
            s("F0002", "2026-11-20", "in/F0002-higashi (1).json"),
            s("F0002", "2026-11-24", "in/F0002-higashi.json"),
            s("F0001", "2026-11-01", "in/F0001.json"),
        ];
        assert_eq!(resolve(&files), [Some(1), None, None]);
    }

    #[test]
    fn on_the_same_date_the_later_name() {
        let files = [
            s("F0002", "2026-11-24", "in/F0002 (10).json"),
            s("F0002", "2026-11-24", "in/F0002.json"),
            s("F0002", "2026-11-24", "in/F0002 (9).json"),
        ];
        assert_eq!(resolve(&files), [None, Some(0), Some(0)]);
        let files = [s("F3", "", "b.json"), s("F3", "2026-01-01", "a.json")];
        assert_eq!(resolve(&files), [Some(1), None]);
    }

    #[test]
    fn files_without_an_id_stand_alone() {
        let files = [
            Submission {
                facility: None,
                submitted: None,
                file: "x.json",
            },
            Submission {
                facility: None,
                submitted: None,
                file: "y.json",
            },
        ];
        assert_eq!(resolve(&files), [None, None]);
    }
}
