//! Output formats. Each is a pure function from a finished [`Report`] to text, so that
//! formats can never disagree about what was found.

pub mod audit;
pub mod explain;
pub mod github;
pub mod human;
pub mod json;
pub mod junit;
pub mod letters;
pub mod masked;
pub mod password;
pub mod sarif;
mod snippet;
mod wrap;

use crate::engine::{FileReport, Located, Report};
use crate::finding::Severity;

/// Some of one file's findings, at most a piece's worth, and whether they are its last.
pub(crate) struct Piece<'a> {
    pub file: &'a FileReport,
    pub findings: &'a [Located],
    pub last: bool,
}

/// Calls `each` with the report's findings in file order, in batches of about `batch`
/// findings (one piece at least) made of pieces of at most `piece` findings of one file:
/// what the text outputs put into words in parallel and write in order, so that memory
/// holds one batch's text whatever the report's size. The last call may have no piece.
pub(crate) fn in_batches<'a, E>(
    report: &'a Report,
    (batch, piece): (usize, usize),
    mut each: impl FnMut(&[Piece<'a>]) -> Result<(), E>,
) -> Result<(), E> {
    let pieces = report.files.iter().flat_map(|file| {
        let count = file.findings.len().div_ceil(piece);
        file.findings
            .chunks(piece)
            .enumerate()
            .map(move |(i, findings)| Piece {
                file,
                findings,
                last: i + 1 == count,
            })
    });
    let mut held: Vec<Piece> = Vec::new();
    let mut findings = 0;
    for piece in pieces {
        if findings + piece.findings.len() > batch && !held.is_empty() {
            each(&held)?;
            held.clear();
            findings = 0;
        }
        findings += piece.findings.len();
        held.push(piece);
    }
    each(&held)
}

/// Counts shared by every format and by the exit status. Waived findings never count as
/// errors or warnings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize)]
pub struct Summary {
    pub files: usize,
    pub errors: usize,
    pub warnings: usize,
    pub waived: usize,
}

impl Summary {
    pub fn of(report: &Report) -> Summary {
        let mut s = Summary {
            files: report.files.len(),
            ..Summary::default()
        };
        for (_, located) in report.findings() {
            let f = &located.finding;
            match (f.is_waived(), f.severity) {
                (true, _) => s.waived += 1,
                (false, Severity::Error) => s.errors += 1,
                (false, Severity::Warning) => s.warnings += 1,
            }
        }
        s
    }
}
