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

/// Two files of one facility with the same `submitted` date: which one was read is
/// decided by the file names alone, and the office is told.
pub fn same_date(a: &Submission, b: &Submission) -> bool {
    a.submitted == b.submitted
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
        assert!(same_date(&files[0], &files[1]));
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
