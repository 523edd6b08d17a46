//! Rules across files: the same MCS id or email on different people in different
//! facilities. Each file contributes small entries (key, person, the values its message
//! needs), so the files' parsed values are not needed here, and only the entries that do
//! collide are rendered into findings.

use std::collections::{BTreeMap, BTreeSet};

use super::{Evaluated, template};
use crate::finding::Finding;
use crate::rules::RuleSet;

#[derive(Debug, Clone)]
pub struct Entry {
    pub rule: String,
    pub matcher: usize,
    /// The normalised value that must be unique across files.
    pub key: String,
    /// With `unless_same`: the normalised value that identifies the person; entries with
    /// the same person do not collide.
    pub person: Option<String>,
    /// Where the finding points if the entry collides.
    pub pointer: String,
    /// The values of the rule's message and fix placeholders for this item.
    pub bound: template::Bound,
}

impl Entry {
    fn finding(&self, rules: &RuleSet, other: &str) -> Option<Finding> {
        let rule = rules.get(&self.rule)?;
        let matcher = rule.matchers.get(self.matcher)?;
        let render = |t: &template::Bilingual| {
            t.render_bound(&self.bound)
                .map(|s| template::fill_other(s, other))
        };
        Some(Finding {
            rule: rule.id.clone(),
            severity: rule.severity,
            source: rule.source.clone(),
            pointer: self.pointer.clone(),
            message: render(&matcher.texts.message),
            fix: render(&matcher.texts.fix),
            waived_by: None,
        })
    }
}

/// Entries that must not collide: (rule, matcher, key) → (file, entry) indexes.
type Groups<'a> = BTreeMap<(&'a str, usize, &'a str), Vec<(usize, usize)>>;

pub fn apply(files: &mut [Evaluated], rules: &RuleSet) {
    let mut groups: Groups = BTreeMap::new();
    for (f, file) in files.iter().enumerate() {
        for (i, entry) in file.cross.iter().enumerate() {
            groups
                .entry((&entry.rule, entry.matcher, &entry.key))
                .or_default()
                .push((f, i));
        }
    }
    let mut found: Vec<(usize, Finding)> = Vec::new();
    for members in groups.values() {
        if members
            .iter()
            .map(|(f, _)| f)
            .collect::<BTreeSet<_>>()
            .len()
            < 2
        {
            continue;
        }
        for &(f, i) in members {
            let me = &files[f].cross[i];
            let others: BTreeSet<&str> = members
                .iter()
                .filter(|(g, j)| {
                    *g != f && (me.person.is_none() || files[*g].cross[*j].person != me.person)
                })
                .map(|(g, _)| files[*g].display.as_str())
                .collect();
            if others.is_empty() {
                continue;
            }
            let other = others.into_iter().collect::<Vec<_>>().join(", ");
            found.extend(me.finding(rules, &other).map(|finding| (f, finding)));
        }
    }
    for (f, finding) in found {
        files[f].findings.push(finding);
    }
}
