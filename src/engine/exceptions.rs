//! 第10条 exceptions: which are in force, what they waive, and which waived nothing.
//!
//! This is the one place that decides whether a finding is waived; every output reads
//! the result from `Finding::waived_by`.

use serde_json::Value;

use super::Evaluated;
use crate::inventory::pointer;
use crate::rules::RuleSet;

#[derive(Debug, Clone)]
pub struct ExceptionRef {
    /// `/exceptions/i`
    pub pointer: String,
    pub rule: Option<String>,
    pub target: Option<String>,
}

pub fn collect(root: &Value) -> Vec<ExceptionRef> {
    let Some(items) = root.get("exceptions").and_then(Value::as_array) else {
        return vec![];
    };
    items
        .iter()
        .enumerate()
        .map(|(i, e)| ExceptionRef {
            pointer: format!("/exceptions/{i}"),
            rule: e.get("rule").and_then(Value::as_str).map(str::to_owned),
            target: e
                .get("target")
                .and_then(Value::as_str)
                .filter(|t| pointer::is_valid(t))
                .map(str::to_owned),
        })
        .collect()
}

/// Marks waived findings, and adds `exception-unused` for exceptions in force that waived
/// nothing. An exception is in force unless a rule marked `voids_exception` (invalid,
/// expired) reported it.
pub fn apply(file: &mut Evaluated, rules: &RuleSet) {
    let voids = |f: &crate::finding::Finding| rules.get(&f.rule).is_some_and(|r| r.voids_exception);
    let in_force: Vec<bool> = file
        .exceptions
        .iter()
        .map(|e| {
            !file
                .findings
                .iter()
                .any(|f| voids(f) && pointer::is_at_or_under(&f.pointer, &e.pointer))
        })
        .collect();
    let mut used = vec![false; file.exceptions.len()];
    for finding in &mut file.findings {
        if !rules.get(&finding.rule).is_some_and(|r| r.waivable) {
            continue;
        }
        for (i, exception) in file.exceptions.iter().enumerate() {
            let applies = in_force[i]
                && exception.rule.as_deref() == Some(finding.rule.as_str())
                && exception
                    .target
                    .as_deref()
                    .is_some_and(|t| pointer::is_at_or_under(&finding.pointer, t));
            if applies {
                used[i] = true;
                finding
                    .waived_by
                    .get_or_insert_with(|| exception.pointer.clone());
            }
        }
    }
    for candidate in std::mem::take(&mut file.unused_candidates) {
        let idle = file.exceptions.iter().enumerate().any(|(i, e)| {
            in_force[i] && !used[i] && pointer::is_at_or_under(&candidate.pointer, &e.pointer)
        });
        if idle {
            file.findings.push(candidate);
        }
    }
}
