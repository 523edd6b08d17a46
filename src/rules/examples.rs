//! Running the examples of rule files: each failing example must fire its rule at the
//! declared pointer (and no rule it does not declare), each passing example must not fire
//! it. `cargo test` runs them for the built-in rules, so rule docs cannot drift from
//! behaviour. A built-in rule's examples are evaluated with its own profile alone in force
//! (the base inventory is compliant with each profile), so that a profile's examples need
//! not name the findings of another.

use serde_json::Value;

use super::{Example, Expect, Rule, RuleSet};
use crate::engine;
use crate::inventory::Inventory;

/// An example that does not behave as its rule file declares.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mismatch {
    pub rule: String,
    pub example: String,
    pub problem: String,
}

pub fn run_all(rules: &RuleSet) -> Vec<Mismatch> {
    let Some(base) = &rules.example_base else {
        return rules
            .rules
            .iter()
            .filter(|r| !r.examples.is_empty())
            .map(|r| Mismatch {
                rule: r.id.clone(),
                example: String::new(),
                problem: format!("the rule folder has no {}", super::EXAMPLE_BASE),
            })
            .collect();
    };
    // The rule set each rule's examples run with: its profile's rules only.
    let mut by_profile: std::collections::BTreeMap<Option<&str>, RuleSet> = Default::default();
    for rule in &rules.rules {
        let profile = rule.profile.as_deref();
        by_profile.entry(profile).or_insert_with(|| match profile {
            Some(p) => rules.clone().in_profiles(&[p.to_owned()]),
            None => rules.clone(),
        });
    }
    let mut out = Vec::new();
    for rule in &rules.rules {
        let own = &by_profile[&rule.profile.as_deref()];
        if !rule.examples.iter().any(|e| e.expect == Expect::Fail)
            || !rule.examples.iter().any(|e| e.expect == Expect::Pass)
        {
            out.push(Mismatch {
                rule: rule.id.clone(),
                example: String::new(),
                problem: "needs at least one failing and one passing example".into(),
            });
        }
        for example in &rule.examples {
            if let Err(problem) = run(own, base, rule, example) {
                out.push(Mismatch {
                    rule: rule.id.clone(),
                    example: example.title.en.clone(),
                    problem,
                });
            }
        }
    }
    out
}

/// The example inventory: the base with the example's patch applied.
pub fn build(base: &Value, patch: &json_patch::Patch) -> Result<Value, String> {
    let mut doc = base.clone();
    json_patch::patch(&mut doc, patch)
        .map_err(|e| format!("the patch does not apply to the base: {e}"))?;
    Ok(doc)
}

pub fn default_as_of(base: &Value) -> jiff::civil::Date {
    base.pointer("/facility/submitted")
        .and_then(Value::as_str)
        .and_then(|s| s.parse().ok())
        .unwrap_or(jiff::civil::date(2026, 11, 20))
}

fn run(rules: &RuleSet, base: &Value, rule: &Rule, example: &Example) -> Result<(), String> {
    let doc = build(base, &example.patch)?;
    let mut inventories = vec![Inventory::from_text(
        "example.json".into(),
        serde_json::to_string_pretty(&doc).unwrap_or_default(),
    )];
    if let Some(second) = &example.with_file {
        let other = build(base, second)?;
        inventories.push(Inventory::from_text(
            "other.json".into(),
            serde_json::to_string_pretty(&other).unwrap_or_default(),
        ));
    }
    let as_of = example.as_of.unwrap_or_else(|| default_as_of(base));
    let report = engine::check(inventories, rules, as_of);
    let fired: Vec<(String, String)> = report
        .files
        .iter()
        .filter(|f| f.display == "example.json")
        .flat_map(|f| f.findings.iter())
        .filter(|l| !l.finding.is_waived())
        .map(|l| (l.finding.rule.clone(), l.finding.pointer.clone()))
        .collect();
    let listing = || {
        fired
            .iter()
            .map(|(r, p)| format!("{r} at {p:?}"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    match example.expect {
        Expect::Fail => {
            let at = example.at.as_deref().unwrap_or_default();
            if !fired.iter().any(|(r, p)| *r == rule.id && p == at) {
                return Err(format!(
                    "expected `{}` at {at:?}; fired: [{}]",
                    rule.id,
                    listing()
                ));
            }
            if let Some((r, p)) = fired
                .iter()
                .find(|(r, _)| *r != rule.id && !example.also.contains(r))
            {
                return Err(format!(
                    "also fired `{r}` at {p:?}, not declared in `also`; fired: [{}]",
                    listing()
                ));
            }
        }
        Expect::Pass => {
            if let Some((_, p)) = fired.iter().find(|(r, _)| *r == rule.id) {
                return Err(format!("expected no `{}`, but it fired at {p:?}", rule.id));
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_base_inventory_is_compliant() {
        let rules = RuleSet::builtin_all().unwrap();
        let base = rules
            .example_base
            .as_ref()
            .expect("rules/example-base.json");
        let inv = Inventory::from_text(
            "base.json".into(),
            serde_json::to_string_pretty(base).unwrap(),
        );
        let report = engine::check(vec![inv], &rules, default_as_of(base));
        let found: Vec<_> = report
            .findings()
            .map(|(_, l)| (&l.finding.rule, &l.finding.pointer))
            .collect();
        assert!(found.is_empty(), "{found:?}");
    }

    #[test]
    fn every_builtin_rule_example_behaves_as_declared() {
        let rules = RuleSet::builtin_all().unwrap();
        let mismatches = run_all(&rules);
        assert!(mismatches.is_empty(), "{mismatches:#?}");
    }
}
