//! 第10条 exceptions: which are in force, what they waive, and which waived nothing.
//!
//! This is the one place that decides whether a finding is waived; every output reads
//! the result from `Finding::waived_by`.

use foldhash::{HashMap, HashMapExt};
use std::ops::Range;

use super::{Evaluated, Located, secrets};
use crate::inventory::document::Node;
use crate::inventory::pointer;
use crate::inventory::spans::{Span, Spot};
use crate::rules::RuleSet;

#[derive(Debug, Clone)]
pub struct ExceptionRef {
    /// `/exceptions/i`
    pub pointer: String,
    pub rule: Option<String>,
    pub target: Option<String>,
    /// `reason`, as written (`life_protection`, `disaster`), with the file's secrets masked
    /// like the texts below.
    pub reason: Option<String>,
    /// `approved_by`, `expires` and `note`, as written but with the file's secrets masked
    /// ([`mask_texts`]): what an output that says why a finding is waived quotes (SARIF's
    /// justification), without reading the file again.
    pub approved_by: Option<String>,
    pub expires: Option<String>,
    pub note: Option<String>,
    /// Where the exception is in the text: its lines and columns ([`Spot`]), counted while
    /// the text is at hand.
    pub spot: Option<Spot>,
}

/// A member's text, as written.
fn text(exception: Node, key: &str) -> Option<String> {
    exception.get(key).and_then(Node::as_str).map(str::to_owned)
}

/// The file's exceptions; `spot` places a span in the text.
pub fn collect(root: Node, spot: &dyn Fn(Span) -> Spot) -> Vec<ExceptionRef> {
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
            reason: text(e, "reason"),
            approved_by: text(e, "approved_by"),
            expires: text(e, "expires"),
            note: text(e, "note"),
            spot: e.span().map(spot),
        })
        .collect()
}

/// Masks, in the exceptions' texts (`reason`, `approved_by`, `expires`, `note`), every
/// secret value of the file (at `secret_spans` of `text`), however short: a note is free
/// text, and SARIF quotes it. The texts are masked whole, as written, for each secret with
/// and without the spaces at its ends ([`secrets::finder`]): masked after trimming, a note
/// repeating ` Kiku9x` once showed `Kiku9x`.
pub fn mask_texts(exceptions: &mut [ExceptionRef], text: &str, secret_spans: &[Range<usize>]) {
    if exceptions.is_empty() || secret_spans.is_empty() {
        return;
    }
    // Secret values as written: a string value decoded, a repetition as it stands.
    let values: Vec<String> = secret_spans
        .iter()
        .filter_map(|r| text.get(r.clone()))
        .map(|raw| {
            serde_json::from_str::<String>(raw).unwrap_or_else(|_| raw.trim_matches('"').to_owned())
        })
        .filter(|s| !s.is_empty())
        .collect();
    let Some(finder) = secrets::finder(values.iter().map(String::as_str), 1) else {
        return;
    };
    let texts = exceptions.iter_mut().flat_map(|e| {
        [
            &mut e.reason,
            &mut e.approved_by,
            &mut e.expires,
            &mut e.note,
        ]
        .into_iter()
        .flatten()
    });
    for written in texts {
        *written = secrets::mask_occurrences(&finder, written);
    }
}

/// Marks waived findings, and adds `exception-unused` for exceptions in force that waived
/// nothing. An exception is in force unless a rule marked `voids_exception` (invalid,
/// expired) found it, reported or, of a profile not in force, not (`Evaluated::voided`).
pub fn apply(file: &mut Evaluated, rules: &RuleSet) {
    // Without exceptions nothing is waived, and no `exception-unused` candidate is idle.
    if file.exceptions.is_empty() {
        file.unused_candidates.clear();
        return;
    }
    let index = Index::new(&file.exceptions);
    let voids = |l: &Located| {
        rules
            .get(&l.finding.rule)
            .is_some_and(|r| r.voids_exception)
    };
    let mut in_force = vec![true; file.exceptions.len()];
    let voiding = file
        .findings
        .iter()
        .filter(|l| voids(l))
        .map(|l| l.finding.pointer.as_str())
        .chain(file.voided.iter().map(String::as_str));
    for pointer in voiding {
        for i in index.at_or_above(pointer) {
            in_force[i] = false;
        }
    }
    let mut used = vec![false; file.exceptions.len()];
    waive(
        &mut file.findings,
        &file.exceptions,
        &index,
        &in_force,
        &mut used,
        rules,
    );
    // `exception-unused` findings are findings too: an exception for that rule may waive
    // them, and is used by doing so.
    let is_idle = |c: &Located, used: &[bool]| {
        index
            .at_or_above(&c.finding.pointer)
            .any(|i| in_force[i] && !used[i])
    };
    let mut idle: Vec<Located> = std::mem::take(&mut file.unused_candidates)
        .into_iter()
        .filter(|c| is_idle(c, &used))
        .collect();
    waive(
        &mut idle,
        &file.exceptions,
        &index,
        &in_force,
        &mut used,
        rules,
    );
    idle.retain(|c| is_idle(c, &used));
    file.findings.append(&mut idle);
}

/// The exceptions by their own pointer and by what they waive, so that each finding looks
/// up its own pointer and those above it (a file may hold many exceptions and findings).
struct Index<'e> {
    by_pointer: HashMap<&'e str, usize>,
    /// (rule, target) → the exceptions, in file order.
    by_target: HashMap<(&'e str, &'e str), Vec<usize>>,
}

impl<'e> Index<'e> {
    fn new(exceptions: &'e [ExceptionRef]) -> Index<'e> {
        let mut by_target: HashMap<(&str, &str), Vec<usize>> = HashMap::new();
        for (i, e) in exceptions.iter().enumerate() {
            if let (Some(rule), Some(target)) = (&e.rule, &e.target) {
                by_target.entry((rule, target)).or_default().push(i);
            }
        }
        Index {
            by_pointer: exceptions
                .iter()
                .enumerate()
                .map(|(i, e)| (e.pointer.as_str(), i))
                .collect(),
            by_target,
        }
    }

    /// The exception at `pointer` or above it (a finding about the exception or its fields).
    fn at_or_above<'a>(&'a self, pointer: &'a str) -> impl Iterator<Item = usize> + 'a {
        pointer::ancestors(pointer).filter_map(|p| self.by_pointer.get(p).copied())
    }

    /// The exceptions for `rule` whose target is `pointer` or above it, in file order.
    fn waiving(&self, rule: &str, pointer: &str) -> Vec<usize> {
        let mut found: Vec<usize> = pointer::ancestors(pointer)
            .filter_map(|p| self.by_target.get(&(rule, p)))
            .flatten()
            .copied()
            .collect();
        found.sort_unstable();
        found
    }
}

/// Marks the findings a policy rule reported that an exception in force covers; the first
/// such exception in the file is the one named.
fn waive(
    findings: &mut [Located],
    exceptions: &[ExceptionRef],
    index: &Index,
    in_force: &[bool],
    used: &mut [bool],
    rules: &RuleSet,
) {
    for Located { finding, .. } in findings {
        // The engine's own findings (a file that is not JSON or breaks the schema) are not
        // policy, and no rule was evaluated to be waived.
        if rules.get(&finding.rule).is_none() {
            continue;
        }
        for i in index.waiving(&finding.rule, &finding.pointer) {
            if in_force[i] {
                used[i] = true;
                finding
                    .waived_by
                    .get_or_insert_with(|| exceptions[i].pointer.clone());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::inventory::Inventory;

    #[test]
    fn exception_texts_have_every_secret_masked_and_keep_their_spaces() {
        let text = r#"{"accounts": [{"password": "Ume4"}, {"password": "Hana-Ume4-Kiku"}],
"exceptions": [{"approved_by": "  Ume4 ", "note": " Hana-Ume4-Kiku said Ume4\n",
"reason": "disaster", "expires": "2027-01-01"}, {"note": "U"}]}"#;
        let inventory = Inventory::from_text("a.json".into(), text.to_owned());
        let root = inventory.document().unwrap().root();
        let value = |s: &str| {
            let start = text.find(s).unwrap();
            start..start + s.len()
        };
        let mut exceptions = collect(root, &|span| inventory.spot(span));
        // The values, with their quotes, as the engine records them.
        mask_texts(
            &mut exceptions,
            text,
            &[value(r#""Ume4""#), value(r#""Hana-Ume4-Kiku""#)],
        );
        let e = &exceptions[0];
        assert_eq!(e.approved_by.as_deref(), Some("  ******** "));
        // Overlapping secrets are masked as one.
        assert_eq!(e.note.as_deref(), Some(" ******** said ********\n"));
        assert_eq!(e.reason.as_deref(), Some("disaster"));
        assert_eq!(e.expires.as_deref(), Some("2027-01-01"));
        assert_eq!(exceptions[1].note.as_deref(), Some("U"));
        // Without secrets nothing changes.
        let mut plain = collect(root, &|span| inventory.spot(span));
        mask_texts(&mut plain, text, &[]);
        assert_eq!(plain[0].approved_by.as_deref(), Some("  Ume4 "));
    }

    /// A secret with a space at an end is masked where a text repeats it, the space with
    /// it: nothing of it is left once the text is trimmed (as SARIF trims it).
    #[test]
    fn a_secret_with_spaces_at_its_ends_is_masked_whole() {
        let text = r#"{"accounts": [{"password": " Kiku9x"}],
"exceptions": [{"note": " Kiku9x", "approved_by": "Kiku9x "}]}"#;
        let inventory = Inventory::from_text("a.json".into(), text.to_owned());
        let root = inventory.document().unwrap().root();
        let start = text.find(r#"" Kiku9x""#).unwrap();
        let mut exceptions = collect(root, &|span| inventory.spot(span));
        mask_texts(
            &mut exceptions,
            text,
            std::slice::from_ref(&(start..start + 9)),
        );
        assert_eq!(exceptions[0].note.as_deref(), Some("********"));
        // Its text without the space is a part of it, masked too.
        assert_eq!(exceptions[0].approved_by.as_deref(), Some("******** "));
    }
}
