//! Rules across files: the same MCS id or email on different people in different
//! facilities.
//!
//! Every account of every file is a candidate and almost none collide, so a file keeps
//! only a digest of each candidate (an 8-byte hash of rule and key) while all
//! files are read, unless one of them meets a digest of a file evaluated before it
//! ([`Seen`]): that file keeps the full entries of those (key, person, pointer, the
//! values the message needs) at once. Files that kept digests which meet another file's
//! are then evaluated again for the full entries of those digests alone — of two files
//! sharing a key, the one evaluated first — and the exact comparison decides: a hash
//! collision can cost a re-read or a few full entries, never a wrong finding.

use std::collections::{BTreeSet, HashSet};
use std::hash::{BuildHasher, BuildHasherDefault, Hasher};
use std::sync::Mutex;

use super::{Evaluated, Located, Place, template};
use crate::finding::{Finding, Words};
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
    /// Where the finding points if the entry collides, where that is in the file, and
    /// its name by item ids.
    pub pointer: String,
    pub place: Place,
    pub name: String,
    /// The values of the rule's message and fix placeholders for this item.
    pub values: template::Values,
}

/// What a file keeps of an entry while the other files are read: a hash of rule, matcher
/// and key. Entries that may collide share it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Digest(u64);

/// A file's cross-file candidates, as much of them as it keeps: each as a full entry (a
/// file evaluated with full entries, or a key that met a file evaluated before) or only
/// as its digest.
#[derive(Debug, Default)]
pub struct Candidates {
    pub entries: Vec<Entry>,
    pub digests: Vec<Digest>,
}

/// Digests are hashes already: the tables keyed by them take them as they are.
#[derive(Debug, Default, Clone, Copy)]
pub struct AsIs(u64);

impl Hasher for AsIs {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(b);
        }
    }

    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

pub type ByDigest = BuildHasherDefault<AsIs>;

/// The digests of the files evaluated so far, shared by the threads that evaluate them,
/// and those of them that more than one file has.
#[derive(Debug, Default)]
pub struct Seen(Mutex<Digests>);

#[derive(Debug, Default)]
struct Digests {
    all: HashSet<u64, ByDigest>,
    shared: Shared,
}

/// The digests that more than one file has: see [`candidates`].
pub type Shared = HashSet<u64, ByDigest>;

impl Seen {
    /// Those of `digests` that a file evaluated before has; adds them.
    pub fn meets(&self, digests: &[Digest]) -> Vec<Digest> {
        // A poisoned lock only means another thread panicked: the set is still a set.
        let mut seen = self.0.lock().unwrap_or_else(|e| e.into_inner());
        let met: Vec<Digest> = digests
            .iter()
            .filter(|d| seen.all.contains(&d.0))
            .copied()
            .collect();
        seen.shared.extend(met.iter().map(|d| d.0));
        seen.all.extend(digests.iter().map(|d| d.0));
        met
    }

    /// The digests that more than one file had; the others are forgotten.
    pub fn into_shared(self) -> Shared {
        self.0
            .into_inner()
            .unwrap_or_else(|e| e.into_inner())
            .shared
    }
}

impl Digest {
    /// The digest of an entry of rule `rule`'s matcher `matcher` whose key is `key`.
    pub fn of(rule: &str, matcher: usize, key: &str) -> Digest {
        // The same in every thread and run (a fixed seed); foldhash's quality variant,
        // whose 64 bits are as good as SipHash's for telling keys apart, at a fraction
        // of its cost.
        Digest(foldhash::quality::FixedState::default().hash_one((rule, matcher, key)))
    }
}

impl Entry {
    fn finding(&self, rules: &RuleSet, others: Vec<String>) -> Option<Located> {
        let rule = rules.get(&self.rule)?;
        let matcher = rule.matchers.get(self.matcher)?;
        let mut values = self.values.clone();
        values.set_other_files(others);
        let finding = Finding {
            rule: rule.id.clone(),
            severity: rule.severity,
            source: rule.source.clone(),
            pointer: self.pointer.clone(),
            words: Words::Template {
                texts: matcher.texts.clone(),
                values,
            },
            waived_by: None,
            cell: None,
        };
        Some(Located::new(finding, self.place, self.name.clone()))
    }
}

/// The files (by index) that kept as a digest one of the digests another file has too
/// (`shared`, as a digest or as a full entry), with those digests: only these files can
/// have cross-file findings and lack the full entries to find them, and only the entries
/// of these digests can collide.
pub fn candidates(files: &[Evaluated], shared: &Shared) -> Vec<(usize, Vec<Digest>)> {
    files
        .iter()
        .enumerate()
        .filter_map(|(f, file)| {
            let wanted: Vec<Digest> = file
                .cross
                .digests
                .iter()
                .filter(|d| shared.contains(&d.0))
                .copied()
                .collect();
            (!wanted.is_empty()).then_some((f, wanted))
        })
        .collect()
}

/// Entries that must not collide: (rule, matcher, key) → (file, entry) indexes.
type Groups<'a> = foldhash::HashMap<(&'a str, usize, &'a str), Vec<(usize, usize)>>;

/// Adds the cross-file findings, comparing the full entries of the files that have them.
pub fn apply(files: &mut [Evaluated], rules: &RuleSet) {
    let mut groups = Groups::default();
    for (f, file) in files.iter().enumerate() {
        for (i, entry) in file.cross.entries.iter().enumerate() {
            groups
                .entry((&entry.rule, entry.matcher, &entry.key))
                .or_default()
                .push((f, i));
        }
    }
    let mut found: Vec<(usize, usize, Located)> = Vec::new();
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
            let me = &files[f].cross.entries[i];
            let others: BTreeSet<&str> = members
                .iter()
                .filter(|(g, j)| {
                    *g != f
                        && (me.person.is_none() || files[*g].cross.entries[*j].person != me.person)
                })
                .map(|(g, _)| files[*g].display.as_str())
                .collect();
            if others.is_empty() {
                continue;
            }
            let others = others.into_iter().map(str::to_owned).collect();
            found.extend(me.finding(rules, others).map(|finding| (f, i, finding)));
        }
    }
    // In the order of (rule, matcher, key) within each file, whatever the hash map's
    // order: which of two findings at one place is kept must not vary between runs.
    let order = |f: usize, i: usize| {
        let e = &files[f].cross.entries[i];
        (f, e.rule.as_str(), e.matcher, e.key.as_str(), i)
    };
    found.sort_by(|(f, i, _), (g, j, _)| order(*f, *i).cmp(&order(*g, *j)));
    for (f, _, finding) in found {
        files[f].findings.push(finding);
    }
}

#[cfg(test)]
mod tests {
    use super::{Candidates, Seen, candidates};
    use crate::engine::{CrossEntries, check, check_files, evaluate};
    use crate::inventory::{Inventory, walk};
    use crate::rules::RuleSet;

    /// Files read from disk keep only digests and are evaluated again when theirs meet;
    /// inventories in memory keep full entries. Both must find the same.
    #[test]
    fn digests_find_what_full_entries_find() {
        let dir = tempfile::tempdir().unwrap();
        let base = std::fs::read_to_string("rules/example-base.json").unwrap();
        let mut other: serde_json::Value = serde_json::from_str(&base).unwrap();
        other["facility"]["id"] = "F9001".into();
        other["accounts"][0]["name"] = "別人 花子".into();
        let mut same_person: serde_json::Value = other.clone();
        same_person["facility"]["id"] = "F9002".into();
        same_person["accounts"][0]["name"] = serde_json::from_str::<serde_json::Value>(&base)
            .unwrap()["accounts"][0]["name"]
            .clone();
        let files = [
            ("a.json", base.clone()),
            ("b.json", serde_json::to_string_pretty(&other).unwrap()),
            (
                "c.json",
                serde_json::to_string_pretty(&same_person).unwrap(),
            ),
        ];
        for (name, text) in &files {
            std::fs::write(dir.path().join(name), text).unwrap();
        }
        let rules = RuleSet::builtin().unwrap();
        let as_of = "2026-11-26".parse().unwrap();
        let candidates = walk::discover(&[dir.path().to_owned()]).unwrap();
        let from_disk = check_files(&candidates, &rules, as_of, false, &|| {});
        let inventories = candidates
            .iter()
            .map(|c| {
                Inventory::from_text(c.display.clone(), std::fs::read_to_string(&c.path).unwrap())
            })
            .collect();
        let in_memory = check(inventories, &rules, as_of);
        let shared = |r: &crate::engine::Report| {
            r.findings()
                .filter(|(_, l)| l.finding.rule.ends_with("-shared"))
                .map(|(f, l)| {
                    (
                        f.display.rsplit('/').next().unwrap_or_default().to_owned(),
                        l.finding.rule.clone(),
                        l.finding.pointer.clone(),
                        l.position,
                        l.finding.message(crate::lang::Lang::En).into_owned(),
                    )
                })
                .collect::<Vec<_>>()
        };
        let found = shared(&from_disk);
        assert_eq!(found, shared(&in_memory));
        // a and c are one person (same name); b, another person, collides with both.
        let at = |file: &str, rule: &str| {
            let (.., message) = found
                .iter()
                .find(|(f, r, ..)| f == file && r == rule)
                .unwrap_or_else(|| panic!("{file} {rule}: {found:#?}"));
            message.clone()
        };
        assert!(at("b.json", "email-shared").contains("a.json, "));
        assert!(
            at("b.json", "email-shared")
                .ends_with("c.json (letter case does not make a different address)")
        );
        assert!(!at("a.json", "email-shared").contains("c.json"));
        assert!(!at("c.json", "email-shared").contains("a.json"));
        assert!(at("c.json", "account-shared").contains("見本 花子"));
        assert_eq!(found.len(), 6, "{found:#?}");
    }

    /// Of two files sharing a key, the one evaluated second sees the first's digest and
    /// keeps that key's full entry (its other keys stay digests); only the first is read
    /// again. A file sharing nothing keeps digests and is not read again.
    #[test]
    fn only_the_first_of_two_files_sharing_a_key_is_read_again() {
        let base = std::fs::read_to_string("rules/example-base.json").unwrap();
        let mut other: serde_json::Value = serde_json::from_str(&base).unwrap();
        other["facility"]["id"] = "F9001".into();
        // The first account shares its MCS id and email with another person; the second
        // shares nothing.
        other["accounts"][0]["name"] = "別人 花子".into();
        other["accounts"][1]["mcs_id"] = "nobody.else".into();
        other["accounts"][1]["email"] = "nobody@else.example.jp".into();
        let mut alone = other.clone();
        alone["facility"]["id"] = "F9002".into();
        alone["accounts"] = serde_json::json!([]);
        let rules = RuleSet::builtin().unwrap();
        let as_of = "2026-11-26".parse().unwrap();
        let seen = Seen::default();
        let texts = [
            base,
            serde_json::to_string_pretty(&other).unwrap(),
            serde_json::to_string_pretty(&alone).unwrap(),
        ];
        let files: Vec<_> = texts
            .iter()
            .enumerate()
            .map(|(i, text)| {
                let inventory = Inventory::from_text(format!("{i}.json"), text.clone());
                evaluate(
                    inventory,
                    &rules,
                    as_of,
                    false,
                    CrossEntries::Digests(&seen),
                )
            })
            .collect();
        let kept = |i: usize| {
            let c: &Candidates = &files[i].cross;
            (c.entries.len(), c.digests.len())
        };
        assert_eq!(kept(0), (0, 4), "two accounts, MCS id and email each");
        assert_eq!(
            kept(1),
            (2, 2),
            "the first account's keys met the first file's"
        );
        assert!(
            files[1]
                .cross
                .entries
                .iter()
                .all(|e| ["mihon.hanako", "hanako@mihon.example.jp"].contains(&e.key.as_str()))
        );
        assert_eq!(kept(2), (0, 0));
        let again = candidates(&files, &seen.into_shared());
        assert_eq!(again.len(), 1);
        let (f, wanted) = &again[0];
        assert_eq!(*f, 0);
        assert_eq!(wanted.len(), 2, "the first account's MCS id and email");
        // Read again, the first file builds the full entries of those two keys only.
        let redone = evaluate(
            Inventory::from_text("0.json".into(), texts[0].clone()),
            &rules,
            as_of,
            false,
            CrossEntries::Only(wanted),
        );
        let mut keys: Vec<&str> = redone
            .cross
            .entries
            .iter()
            .map(|e| e.key.as_str())
            .collect();
        keys.sort();
        assert_eq!(keys, ["hanako@mihon.example.jp", "mihon.hanako"]);
        assert!(redone.cross.digests.is_empty());
    }
}
