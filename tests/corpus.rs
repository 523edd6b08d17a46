//! The benchmark's corpus generator (`src/bin/corpus.rs`): its findings profile really is
//! findings-heavy (about twenty findings per file) and every rule fires in it, and the
//! realistic profile is still the lighter one.

#[path = "../src/bin/corpus.rs"]
#[allow(dead_code)]
mod corpus;

use std::collections::BTreeMap;

use rurume::engine::{self, Report, builtin};
use rurume::inventory::Inventory;
use rurume::rules::RuleSet;

const FILES: usize = 300;

fn report(profile: corpus::Profile) -> Report {
    let shape = corpus::Shape {
        profile,
        ..corpus::Shape::default()
    };
    let mut generator = corpus::Generator::new(1, shape);
    let inventories = (0..FILES)
        .map(|_| {
            let file = generator.next_file();
            Inventory::from_text(format!("corpus/{}", file.name), file.text)
        })
        .collect();
    let rules = RuleSet::builtin().expect("the built-in rules load");
    engine::check(
        inventories,
        &rules,
        corpus::AS_OF.parse().expect("a valid date"),
    )
}

fn per_rule(report: &Report) -> BTreeMap<&str, usize> {
    let mut counts = BTreeMap::new();
    for (_, located) in report.findings() {
        *counts.entry(located.finding.rule.as_str()).or_insert(0) += 1;
    }
    counts
}

#[test]
fn the_findings_profile_has_twenty_findings_per_file_and_every_rule_fires() {
    let report = report(corpus::Profile::Findings);
    let counts = per_rule(&report);
    let total: usize = counts.values().sum();
    let per_file = total as f64 / FILES as f64;
    assert!(
        (18.0..=30.0).contains(&per_file),
        "{per_file:.1} findings per file ({counts:?})"
    );
    let rules = RuleSet::builtin().expect("the built-in rules load");
    let every: Vec<&str> = builtin::ALL
        .iter()
        .map(|r| r.id)
        .chain(rules.rules.iter().map(|r| r.id.as_str()))
        .collect();
    let silent: Vec<&&str> = every
        .iter()
        .filter(|id| !counts.contains_key(**id))
        .collect();
    assert!(silent.is_empty(), "rules that never fire: {silent:?}");
}

#[test]
fn the_realistic_profile_is_the_lighter_one() {
    let realistic = report(corpus::Profile::Realistic).findings().count();
    let findings = report(corpus::Profile::Findings).findings().count();
    assert!(
        realistic * 2 < findings,
        "realistic {realistic}, findings {findings}"
    );
}

#[test]
fn the_profile_is_a_flag() {
    let mut shape = corpus::Shape::default();
    assert!(corpus::shape_flag(&mut shape, "--profile", "findings").unwrap());
    assert_eq!(shape.profile, corpus::Profile::Findings);
    assert!(shape.flags().ends_with("--profile findings"));
    assert!(corpus::shape_flag(&mut shape, "--profile", "heavy").is_err());
    assert!(!corpus::Shape::default().flags().contains("--profile"));
}
