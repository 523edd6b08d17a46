//! Output formats. Each is a pure function from a finished [`Report`] to text, so that
//! formats can never disagree about what was found.

pub mod audit;
pub mod explain;
pub mod github;
pub mod human;
pub mod json;
pub mod junit;
pub mod letters;
pub mod password;
pub mod sarif;

use crate::engine::Report;
use crate::finding::Severity;

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
