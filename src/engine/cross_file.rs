//! Rules across files: the same MCS id or email on different people in different
//! facilities. Each file contributes small entries (key, person, ready finding), so the
//! files' parsed values are not needed here.

use std::collections::{BTreeMap, BTreeSet};

use super::{Evaluated, template};
use crate::finding::Finding;

#[derive(Debug, Clone)]
pub struct Entry {
    pub rule: String,
    pub matcher: usize,
    /// The normalised value that must be unique across files.
    pub key: String,
    /// With `unless_same`: the normalised value that identifies the person; entries with
    /// the same person do not collide.
    pub person: Option<String>,
    /// The finding to report if it collides, with `{other}` still to fill.
    pub finding: Finding,
}

/// Entries that must not collide: (rule, matcher, key) → (file, entry) indexes.
type Groups<'a> = BTreeMap<(&'a str, usize, &'a str), Vec<(usize, usize)>>;

pub fn apply(files: &mut [Evaluated]) {
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
            let mut finding = me.finding.clone();
            finding.message = finding.message.map(|m| template::fill_other(m, &other));
            found.push((f, finding));
        }
    }
    for (f, finding) in found {
        files[f].findings.push(finding);
    }
}
