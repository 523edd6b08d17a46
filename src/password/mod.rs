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
use crate::lang::{Lang, Text};
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
    /// The day the password was recorded as changed (`YYYY-MM-DD`): set when the
    /// properties are recorded, absent when a password is only checked. A date, not a
    /// secret.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub changed: Option<String>,
}

impl Properties {
    /// The properties as recorded on `day`: the password was changed then.
    pub fn recorded_on(&self, day: jiff::civil::Date) -> Properties {
        Properties {
            changed: Some(day.to_string()),
            ..self.clone()
        }
    }

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
    /// Plain words before zxcvbn's generic feedback: the person's own name, email, MCS id
    /// or facility found in the password, and characters that count as none of the kinds.
    pub notes: Vec<Text>,
    pub warning: Option<Text>,
    pub suggestions: Vec<Text>,
}

impl Assessment {
    pub fn passes(&self) -> bool {
        self.problems.is_empty()
    }
}

/// ASCII letters, ASCII digits and ASCII symbols (punctuation), as the policy's 英字・数字・
/// 記号 mean them. Kana, kanji, full-width characters and the like count as none of these
/// (see [`other_characters`]); a space counts as nothing.
fn classify(password: &str) -> (bool, bool, bool) {
    let letters = password.chars().any(|c| c.is_ascii_alphabetic());
    let digits = password.chars().any(|c| c.is_ascii_digit());
    let symbols = password.chars().any(|c| c.is_ascii_punctuation());
    (letters, digits, symbols)
}

/// The kinds of characters in a password that are neither ASCII letters, digits nor
/// symbols, in a fixed order. Only the kinds, never the characters.
fn other_kinds(password: &str) -> Vec<Text> {
    let hiragana = |c: char| ('\u{3040}'..='\u{309F}').contains(&c);
    let katakana = |c: char| {
        ('\u{30A0}'..='\u{30FF}').contains(&c)
            || ('\u{31F0}'..='\u{31FF}').contains(&c)
            || ('\u{FF65}'..='\u{FF9F}').contains(&c)
    };
    let kanji = |c: char| {
        ('\u{4E00}'..='\u{9FFF}').contains(&c)
            || ('\u{3400}'..='\u{4DBF}').contains(&c)
            || ('\u{F900}'..='\u{FAFF}').contains(&c)
            || c == '々'
    };
    let full_width = |c: char| ('\u{FF01}'..='\u{FF5E}').contains(&c) || c == '\u{3000}';
    let kinds: [(&dyn Fn(char) -> bool, Text); 4] = [
        (&hiragana, Text::new("ひらがな", "hiragana")),
        (&katakana, Text::new("カタカナ", "katakana")),
        (&kanji, Text::new("漢字", "kanji")),
        (
            &full_width,
            Text::new(
                "全角の英数字・記号・空白",
                "full-width letters, digits, symbols or spaces",
            ),
        ),
    ];
    let mut found: Vec<Text> = kinds
        .iter()
        .filter(|(is, _)| password.chars().any(is))
        .map(|(_, name)| name.clone())
        .collect();
    let other = |c: char| !c.is_ascii() && !kinds.iter().any(|(is, _)| is(c));
    if password.chars().any(other) {
        found.push(Text::new("その他の文字", "other characters"));
    }
    found
}

/// The note about characters that are neither ASCII letters, digits nor symbols, if any.
pub fn other_characters(password: &str) -> Option<Text> {
    let kinds = other_kinds(password);
    if kinds.is_empty() {
        return None;
    }
    let list = |lang: Lang, sep: &str| {
        kinds
            .iter()
            .map(|k| k.get(lang))
            .collect::<Vec<_>>()
            .join(sep)
    };
    let full_width = password
        .chars()
        .any(|c| ('\u{FF01}'..='\u{FF5E}').contains(&c));
    let (tip_ja, tip_en) = if full_width {
        (
            "全角の英数字・記号は、半角に切り替えて入力すると英字・数字・記号に数えられます。",
            " Typed in half-width (IME off), letters, digits and symbols count as such.",
        )
    } else {
        ("", "")
    };
    Some(Text::new(
        format!(
            "英字・数字・記号のどれでもない文字（{}）が含まれています。これらは英字・数字・記号には数えていません。{tip_ja}",
            list(Lang::Ja, "、")
        ),
        format!(
            "it contains characters that are neither ASCII letters, digits nor symbols ({}); they are not counted as letters, digits or symbols.{tip_en}",
            list(Lang::En, ", ")
        ),
    ))
}

/// Where a word a guesser would try comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Source {
    Name,
    Email,
    McsId,
    FacilityName,
    FacilityId,
}

impl Source {
    /// Whose it is, and what: `(true, "お名前", "name")` for the person's name.
    fn parts(self) -> (bool, &'static str, &'static str) {
        match self {
            Source::Name => (true, "お名前", "name"),
            Source::Email => (true, "メールアドレス", "email address"),
            Source::McsId => (true, "MCS ID", "MCS id"),
            Source::FacilityName => (false, "名前", "name"),
            Source::FacilityId => (false, "コード", "id"),
        }
    }
}

/// 「ご本人のお名前（ishida）が含まれています」: `word` is the person's own data (a
/// dictionary word zxcvbn matched), never a part of the password that is not; `sources` are
/// all that hold it (「ご本人のメールアドレス・MCS ID（ishida）」).
fn contains(sources: &[Source], word: &str, spelt: Spelt) -> Text {
    let (mut ja, mut en) = (Vec::new(), Vec::new());
    for (person, owner_ja, owner_en) in [
        (true, "ご本人の", "the person's own "),
        (false, "事業所の", "the facility's "),
    ] {
        let parts: Vec<_> = sources
            .iter()
            .map(|s| s.parts())
            .filter(|p| p.0 == person)
            .collect();
        if !parts.is_empty() {
            let names_ja: Vec<&str> = parts.iter().map(|p| p.1).collect();
            let names_en: Vec<&str> = parts.iter().map(|p| p.2).collect();
            ja.push(format!("{owner_ja}{}", names_ja.join("・")));
            en.push(format!("{owner_en}{}", names_en.join(" and ")));
        }
    }
    let (how_ja, how_en) = match spelt {
        Spelt::AsIs => ("", ""),
        Spelt::Reversed => ("逆から綴った", " spelt backwards"),
        Spelt::Substituted => ("文字を置き換えた", " with letters swapped for look-alikes"),
    };
    Text::new(
        format!("{how_ja}{}（{word}）が含まれています。", ja.join("・")),
        format!("it contains {} ({word}){how_en}.", en.join(" and ")),
    )
}

/// How a person's word is written in the password.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Spelt {
    AsIs,
    Reversed,
    /// `1sh1da` for `ishida`.
    Substituted,
}

/// Words a guesser would try first for this person: the account's name, email (split on
/// `@ . _ -`), MCS id, and the facility's name and id.
pub fn user_inputs(inventory: &Value, account: &Value) -> Vec<String> {
    let mut words: Vec<String> = personal_words(inventory, account)
        .into_iter()
        .map(|(w, _)| w)
        .collect();
    words.sort();
    words.dedup();
    words
}

/// [`user_inputs`] with where each word comes from, in the order of [`Source`].
fn personal_words(inventory: &Value, account: &Value) -> Vec<(String, Source)> {
    let mut words: Vec<(String, Source)> = Vec::new();
    let mut add = |s: Option<&str>, split: &[char], source: Source| {
        if let Some(s) = s {
            words.push((s.to_lowercase(), source));
            words.extend(
                s.split(split)
                    .filter(|w| w.chars().count() >= 2)
                    .map(|w| (w.to_lowercase(), source)),
            );
        }
    };
    let str_at = |v: &Value, p: &str| v.pointer(p).and_then(Value::as_str).map(str::to_owned);
    add(
        str_at(account, "/name").as_deref(),
        &[' ', '\u{3000}'],
        Source::Name,
    );
    add(
        str_at(account, "/email").as_deref(),
        &['@', '.', '_', '-'],
        Source::Email,
    );
    add(
        str_at(account, "/mcs_id").as_deref(),
        &['@', '.', '_', '-'],
        Source::McsId,
    );
    add(
        str_at(inventory, "/facility/name").as_deref(),
        &[' ', '\u{3000}'],
        Source::FacilityName,
    );
    add(
        str_at(inventory, "/facility/id").as_deref(),
        &[],
        Source::FacilityId,
    );
    words.retain(|(w, _)| !w.is_empty());
    words
}

/// The person's own words zxcvbn found in the password, said in plain words: only the
/// matched dictionary word (the person's data), never the part of the password it matched.
fn personal_notes(sequence: &[zxcvbn::Match], words: &[(String, Source)]) -> Vec<Text> {
    let mut seen: Vec<(&str, Spelt)> = Vec::new();
    for m in sequence {
        let zxcvbn::matching::patterns::MatchPattern::Dictionary(d) = &m.pattern else {
            continue;
        };
        let spelt = match (d.reversed, d.l33t) {
            (true, _) => Spelt::Reversed,
            (false, true) => Spelt::Substituted,
            (false, false) => Spelt::AsIs,
        };
        if let Some((word, _)) = words.iter().find(|(w, _)| *w == d.matched_word)
            && !seen.contains(&(word.as_str(), spelt))
        {
            seen.push((word.as_str(), spelt));
        }
    }
    seen.into_iter()
        .map(|(word, spelt)| {
            let mut sources: Vec<Source> = words
                .iter()
                .filter(|(w, _)| w == word)
                .map(|(_, s)| *s)
                .collect();
            sources.dedup();
            contains(&sources, word, spelt)
        })
        .collect()
}

/// Measures and judges a password. `context` is the inventory and the account's index.
pub fn assess(
    password: &str,
    context: Option<(&Value, usize)>,
    rules: &RuleSet,
    as_of: jiff::civil::Date,
) -> Assessment {
    let personal = match context {
        Some((doc, i)) => personal_words(doc, &doc["accounts"][i]),
        None => vec![],
    };
    let mut inputs: Vec<&str> = personal.iter().map(|(w, _)| w.as_str()).collect();
    inputs.sort();
    inputs.dedup();
    let input_refs = inputs;
    let entropy = zxcvbn::zxcvbn(password, &input_refs);
    let (letters, digits, symbols) = classify(password);
    let properties = Properties {
        length: password.chars().count(),
        letters,
        digits,
        symbols,
        strength: entropy.score() as u8,
        shared: false,
        changed: None,
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
    let mut notes = personal_notes(entropy.sequence(), &personal);
    notes.extend(other_characters(password));
    Assessment {
        properties,
        problems,
        notes,
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
        assert!(!l && !d && !s, "full-width and kana are none of the kinds");
        assert_eq!(classify("aB3#"), (true, true, true));
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

    #[test]
    fn the_persons_own_words_are_named_before_the_generic_feedback() {
        let doc = json!({
            "facility": { "id": "F0001", "name": "みどり訪問看護ステーション" },
            "accounts": [{ "name": "Ishida Misaki", "email": "m.ishida@midori.example.jp", "mcs_id": "mis-0042" }]
        });
        let a = assess("ishida2024", Some((&doc, 0)), &rules(), as_of());
        let ja: Vec<&str> = a.notes.iter().map(|n| n.get(Lang::Ja)).collect();
        // Every place that holds the word is named.
        assert_eq!(
            ja,
            ["ご本人のお名前・メールアドレス（ishida）が含まれています。"]
        );
        assert_eq!(
            a.notes[0].get(Lang::En),
            "it contains the person's own name and email address (ishida)."
        );
        let doc = json!({
            "facility": { "id": "F0009", "name": "Sakura Clinic" },
            "accounts": [{ "name": "Ishida Misaki" }]
        });
        let a = assess("sakura-Kq7x", Some((&doc, 0)), &rules(), as_of());
        let ja: Vec<&str> = a.notes.iter().map(|n| n.get(Lang::Ja)).collect();
        assert_eq!(ja, ["事業所の名前（sakura）が含まれています。"]);
        let a = assess("misaki-Kq7x", Some((&doc, 0)), &rules(), as_of());
        assert_eq!(
            a.notes[0].get(Lang::Ja),
            "ご本人のお名前（misaki）が含まれています。"
        );
        // A word only the email holds is named as the email; nothing else of the password.
        let doc =
            json!({ "accounts": [{ "name": "石田 美咲", "email": "ishida@midori.example.jp" }] });
        let a = assess("Ishida2026!", Some((&doc, 0)), &rules(), as_of());
        let ja: Vec<&str> = a.notes.iter().map(|n| n.get(Lang::Ja)).collect();
        assert_eq!(ja, ["ご本人のメールアドレス（ishida）が含まれています。"]);
        assert!(!a.notes.iter().any(|n| n.get(Lang::En).contains("2026")));
        // Backwards or with look-alikes, it is still her name, and said so.
        let doc = json!({ "accounts": [{ "name": "Ishida Misaki" }] });
        let notes = |p: &str| {
            assess(p, Some((&doc, 0)), &rules(), as_of())
                .notes
                .iter()
                .map(|n| n.get(Lang::Ja).to_owned())
                .collect::<Vec<_>>()
        };
        assert_eq!(
            notes("adihsi-7Kq"),
            ["逆から綴ったご本人のお名前（ishida）が含まれています。"]
        );
        assert_eq!(
            notes("1sh1da-7Kq"),
            ["文字を置き換えたご本人のお名前（ishida）が含まれています。"]
        );
        // Without the inventory there is nothing personal to say.
        assert!(
            assess("ishida2024", None, &rules(), as_of())
                .notes
                .is_empty()
        );
    }

    #[test]
    fn kana_kanji_and_full_width_are_named_not_counted_as_symbols() {
        let a = assess("さくら桜サクラ2026", None, &rules(), as_of());
        assert!(!a.properties.symbols && !a.properties.letters && a.properties.digits);
        assert_eq!(
            a.notes[0].get(Lang::Ja),
            "英字・数字・記号のどれでもない文字（ひらがな、カタカナ、漢字）が含まれています。これらは英字・数字・記号には数えていません。"
        );
        let a = assess("Ｓａｋｕｒａ＃２０２６", None, &rules(), as_of());
        let p = &a.properties;
        assert!(!p.letters && !p.digits && !p.symbols);
        let en = a.notes[0].get(Lang::En);
        assert!(
            en.contains("(full-width letters, digits, symbols or spaces)"),
            "{en}"
        );
        assert!(en.contains("half-width"), "{en}");
        assert!(
            assess("tuna-ceramic-window-42", None, &rules(), as_of())
                .notes
                .is_empty()
        );
        assert_eq!(
            other_kinds("é")
                .iter()
                .map(|k| k.get(Lang::En))
                .collect::<Vec<_>>(),
            ["other characters"]
        );
    }
}
