//! `rurume password`: the one safe way to obtain a password's properties.
//!
//! The password is read without echo, measured, scored with zxcvbn against the person's own
//! name, email, MCS id and facility, and judged by the password rules of the rule set (the
//! thresholds live in the rule files, not here). Only the properties ever leave this
//! module; the password itself is never printed, logged or written.

pub mod feedback;
pub mod input;
pub mod record;

use serde::Serialize;
use serde_json::{Value, json};

use crate::engine;
use crate::inventory::{Inventory, pointer};
use crate::lang::Text;
use crate::rules::RuleSet;

/// What the inventory records about a password (`accounts[].password`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Properties {
    pub length: usize,
    pub letters: bool,
    pub digits: bool,
    pub symbols: bool,
    pub strength: u8,
    pub shared: bool,
}

impl Properties {
    pub fn to_value(&self) -> Value {
        serde_json::to_value(self).expect("plain data")
    }
}

/// One password rule the password does not meet.
#[derive(Debug, Clone, Serialize)]
pub struct Problem {
    pub rule: String,
    pub source: String,
    pub title: Text,
}

#[derive(Debug, Clone)]
pub struct Assessment {
    pub properties: Properties,
    pub problems: Vec<Problem>,
    pub warning: Option<Text>,
    pub suggestions: Vec<Text>,
}

impl Assessment {
    pub fn passes(&self) -> bool {
        self.problems.is_empty()
    }
}

/// Latin letters (also full-width), digits (also full-width); everything else that is not
/// a space counts as a symbol. The policy's 英字 are Latin letters.
fn classify(password: &str) -> (bool, bool, bool) {
    let letter = |c: char| {
        c.is_ascii_alphabetic() || ('Ａ'..='Ｚ').contains(&c) || ('ａ'..='ｚ').contains(&c)
    };
    let digit = |c: char| c.is_ascii_digit() || ('０'..='９').contains(&c);
    let letters = password.chars().any(letter);
    let digits = password.chars().any(digit);
    let symbols = password
        .chars()
        .any(|c| !letter(c) && !digit(c) && !c.is_whitespace());
    (letters, digits, symbols)
}

/// Words a guesser would try first for this person: the account's name, email (split on
/// `@ . _ -`), MCS id, and the facility's name and id.
pub fn user_inputs(inventory: &Value, account: &Value) -> Vec<String> {
    let mut words = Vec::new();
    let mut add = |s: Option<&str>, split: &[char]| {
        if let Some(s) = s {
            words.push(s.to_lowercase());
            words.extend(
                s.split(split)
                    .filter(|w| w.chars().count() >= 2)
                    .map(str::to_lowercase),
            );
        }
    };
    let str_at = |v: &Value, p: &str| v.pointer(p).and_then(Value::as_str).map(str::to_owned);
    add(str_at(account, "/name").as_deref(), &[' ', '\u{3000}']);
    add(str_at(account, "/email").as_deref(), &['@', '.', '_', '-']);
    add(str_at(account, "/mcs_id").as_deref(), &['@', '.', '_', '-']);
    add(
        str_at(inventory, "/facility/name").as_deref(),
        &[' ', '\u{3000}'],
    );
    add(str_at(inventory, "/facility/id").as_deref(), &[]);
    words.sort();
    words.dedup();
    words
}

/// Measures and judges a password. `context` is the inventory and the account's index.
pub fn assess(
    password: &str,
    context: Option<(&Value, usize)>,
    rules: &RuleSet,
    as_of: jiff::civil::Date,
) -> Assessment {
    let inputs = match context {
        Some((doc, i)) => user_inputs(doc, &doc["accounts"][i]),
        None => vec![],
    };
    let input_refs: Vec<&str> = inputs.iter().map(String::as_str).collect();
    let entropy = zxcvbn::zxcvbn(password, &input_refs);
    let (letters, digits, symbols) = classify(password);
    let properties = Properties {
        length: password.chars().count(),
        letters,
        digits,
        symbols,
        strength: entropy.score() as u8,
        shared: false,
    };
    let (warning, suggestions) = match entropy.feedback() {
        Some(f) => (
            f.warning().map(feedback::warning),
            f.suggestions()
                .iter()
                .map(|s| feedback::suggestion(*s))
                .collect(),
        ),
        None => (None, vec![]),
    };
    let problems = judge(&properties, rules, as_of);
    Assessment {
        properties,
        problems,
        warning,
        suggestions,
    }
}

/// Runs the rule set on a one-account inventory holding these properties, and keeps what
/// it says about the password: the verdict is the rules', whatever their thresholds.
pub fn judge(properties: &Properties, rules: &RuleSet, as_of: jiff::civil::Date) -> Vec<Problem> {
    let doc = json!({
        "schema_version": 1,
        "facility": { "id": "F0000", "name": "password check", "kind": "other", "submitted": as_of.to_string() },
        "accounts": [{
            "id": "a1", "name": "-", "email": "-", "mcs_id": null, "admin": false, "status": "active",
            "employment": "employed", "shared": false, "pledges": { "management": null, "retention": null },
            "password": properties.to_value()
        }],
        "devices": []
    });
    let inventory = Inventory::from_text("password.json".into(), doc.to_string());
    let report = engine::check(vec![inventory], rules, as_of);
    let mut problems: Vec<Problem> = report
        .findings()
        .map(|(_, l)| &l.finding)
        .filter(|f| pointer::is_at_or_under(&f.pointer, "/accounts/0/password") && !f.is_waived())
        .filter_map(|f| rules.get(&f.rule))
        .map(|r| Problem {
            rule: r.id.clone(),
            source: r.source.clone(),
            title: r.title.clone(),
        })
        .collect();
    problems.sort_by(|a, b| a.rule.cmp(&b.rule));
    problems.dedup_by(|a, b| a.rule == b.rule);
    problems
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rules() -> RuleSet {
        RuleSet::builtin().unwrap()
    }

    fn as_of() -> jiff::civil::Date {
        jiff::civil::date(2026, 11, 26)
    }

    #[test]
    fn properties_are_measured() {
        let a = assess("correct horse battery staple 9", None, &rules(), as_of());
        assert_eq!(a.properties.length, 30);
        assert!(a.properties.letters && a.properties.digits && !a.properties.symbols);
        assert!(a.properties.strength >= 3);
        assert!(a.passes(), "{:?}", a.problems);
        let (l, d, s) = classify("ＡＢ１２あ");
        assert!(l && d && s);
    }

    #[test]
    fn the_rules_decide() {
        let ids = |p: &str| {
            assess(p, None, &rules(), as_of())
                .problems
                .into_iter()
                .map(|p| p.rule)
                .collect::<Vec<_>>()
        };
        assert!(ids("abc12").contains(&"password-length".to_owned()));
        assert!(ids("onlyletterslongenough").contains(&"password-mix".to_owned()));
        assert!(ids("password1").contains(&"password-guessable".to_owned()));
    }

    #[test]
    fn the_persons_own_words_make_a_password_guessable() {
        let doc = json!({
            "facility": { "id": "F0001", "name": "みどり訪問看護ステーション" },
            "accounts": [{ "name": "石田 美咲", "email": "ishida@midori.example.jp", "mcs_id": "ishida.misaki" }]
        });
        let with = assess("Ishida2026!", Some((&doc, 0)), &rules(), as_of());
        assert!(with.properties.strength < 3, "{:?}", with.properties);
        assert!(with.problems.iter().any(|p| p.rule == "password-guessable"));
        let inputs = user_inputs(&doc, &doc["accounts"][0]);
        assert!(
            inputs.contains(&"ishida".to_owned())
                && inputs.contains(&"midori".to_owned())
                && inputs.contains(&"misaki".to_owned())
        );
    }
}
