//! What a check produces: a finding of one rule at one place of one file.

use serde::{Deserialize, Serialize};

use crate::lang::Text;

#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Deserialize,
    Serialize,
    clap::ValueEnum,
)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
}

/// A finding before it is placed in the text. Positions are added once, for the findings
/// that survive, by the report step.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Finding {
    pub rule: String,
    pub severity: Severity,
    /// The policy article the rule encodes, e.g. `第9条`.
    pub source: String,
    /// RFC 6901 pointer of the value the finding is about.
    pub pointer: String,
    pub message: Text,
    pub fix: Text,
    /// Pointer of the 第10条 exception that waives this finding, if one does.
    pub waived_by: Option<String>,
}

impl Finding {
    pub fn is_waived(&self) -> bool {
        self.waived_by.is_some()
    }
}
