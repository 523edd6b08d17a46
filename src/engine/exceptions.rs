//! 第10条 exceptions: which are in force, what they waive, and which waived nothing.
//!
//! This is the one place that decides whether a finding is waived; every output reads
//! the result from `Finding::waived_by`.

use super::Evaluated;
use crate::finding::Finding;
use crate::inventory::document::Node;
use crate::inventory::pointer;
use crate::rules::RuleSet;

#[derive(Debug, Clone)]
pub struct ExceptionRef {
    /// `/exceptions/i`
    pub pointer: String,
    pub rule: Option<String>,
    pub target: Option<String>,
}

pub fn collect(root: Node) -> Vec<ExceptionRef> {
    let Some(items) = root.get("exceptions").and_then(Node::as_array) else {
        return vec![];
    };
    items
        .iter()
        .enumerate()
        .map(|(i, e)| ExceptionRef {
            pointer: format!("/exceptions/{i}"),
            rule: e.get("rule").and_then(Node::as_str).map(str::to_owned),
            target: e
                .get("target")
                .and_then(Node::as_str)
                .filter(|t| pointer::is_valid(t))
                .map(str::to_owned),
        })
        .collect()
}

/// Marks waived findings, and adds `exception-unused` for exceptions in force that waived
/// nothing. An exception is in force unless a rule marked `voids_exception` (invalid,
/// expired) reported it.
pub fn apply(file: &mut Evaluated, rules: &RuleSet) {
    let voids = |f: &Finding| rules.get(&f.rule).is_some_and(|r| r.voids_exception);
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
    waive(
        &mut file.findings,
        &file.exceptions,
        &in_force,
        &mut used,
        rules,
    );
    // `exception-unused` findings are findings too: an exception for that rule may waive
    // them, and is used by doing so.
    let mut idle: Vec<Finding> = std::mem::take(&mut file.unused_candidates)
        .into_iter()
        .filter(|c| is_idle(c, &file.exceptions, &in_force, &used))
        .collect();
    waive(&mut idle, &file.exceptions, &in_force, &mut used, rules);
    idle.retain(|c| is_idle(c, &file.exceptions, &in_force, &used));
    file.findings.append(&mut idle);
}

/// Marks the findings a policy rule reported that an exception in force covers.
fn waive(
    findings: &mut [Finding],
    exceptions: &[ExceptionRef],
    in_force: &[bool],
    used: &mut [bool],
    rules: &RuleSet,
) {
    for finding in findings {
        // The engine's own findings (a file that is not JSON or breaks the schema) are not
        // policy, and no rule was evaluated to be waived.
        if rules.get(&finding.rule).is_none() {
            continue;
        }
        for (i, exception) in exceptions.iter().enumerate() {
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
}

/// Is the exception this `exception-unused` candidate is about in force and unused?
fn is_idle(
    candidate: &Finding,
    exceptions: &[ExceptionRef],
    in_force: &[bool],
    used: &[bool],
) -> bool {
    exceptions.iter().enumerate().any(|(i, e)| {
        in_force[i] && !used[i] && pointer::is_at_or_under(&candidate.pointer, &e.pointer)
    })
}
