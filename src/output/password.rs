//! The verdict of `rurume password`. It shows the properties, never the password.

use serde::Serialize;

use crate::lang::Lang;
use crate::password::{Assessment, Properties};

/// What became of a request to record the properties.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Record<'a> {
    /// Only a check was asked for.
    NotAsked,
    /// Written at this place (`file /accounts/i/password`); `anyway` when the password
    /// fails and the user said to record it all the same.
    Recorded { at: &'a str, anyway: bool },
    /// The page may record the properties (`/api/password` with `record`).
    Allowed,
    /// Not recorded: the password fails and the user did not say to record it anyway.
    Refused,
}

impl Record<'_> {
    fn name(self) -> Option<&'static str> {
        match self {
            Record::NotAsked => None,
            Record::Recorded { .. } => Some("recorded"),
            Record::Allowed => Some("allowed"),
            Record::Refused => Some("refused"),
        }
    }
}

/// Why a failing password was not recorded, and how to record it anyway (`how`: the
/// option or the button, in the user's language).
pub fn refusal(lang: Lang, how_ja: &str, how_en: &str) -> String {
    match lang {
        Lang::Ja => format!(
            "記録しませんでした: 規則を満たしていないパスワードで台帳の記録を置き換えないためです（台帳は変更していません）。それでも記録するには{how_ja}。"
        ),
        Lang::En => format!(
            "not recorded: a password that fails the rules does not replace the inventory's record (the inventory is unchanged). To record it all the same, {how_en}."
        ),
    }
}

fn cli_refusal(lang: Lang) -> String {
    refusal(
        lang,
        " --record-anyway を付けてもう一度実行してください",
        "run again with --record-anyway",
    )
}

pub fn human(a: &Assessment, record: Record, lang: Lang) -> String {
    let p = &a.properties;
    let yes_no = |b: bool| {
        if b {
            lang.pick("あり", "yes")
        } else {
            lang.pick("なし", "no")
        }
    };
    let mut out = String::new();
    let verdict = match (a.passes(), lang) {
        (true, Lang::Ja) => "✓ 合格: このパスワードは第9条のパスワードの規則を満たしています",
        (true, Lang::En) => "✓ pass: this password meets the password rules of Article 9",
        (false, Lang::Ja) => "✗ 不合格: このパスワードは第9条のパスワードの規則を満たしていません",
        (false, Lang::En) => "✗ fail: this password does not meet the password rules of Article 9",
    };
    out.push_str(verdict);
    out.push('\n');
    out.push_str(&match lang {
        Lang::Ja => format!(
            "  長さ {} 文字 / 英字 {} / 数字 {} / 記号 {} / 推測されにくさ {} （0〜4）\n",
            p.length,
            yes_no(p.letters),
            yes_no(p.digits),
            yes_no(p.symbols),
            p.strength
        ),
        Lang::En => format!(
            "  length {} / letters {} / digits {} / symbols {} / strength {} (0–4)\n",
            p.length,
            yes_no(p.letters),
            yes_no(p.digits),
            yes_no(p.symbols),
            p.strength
        ),
    });
    for problem in &a.problems {
        out.push_str(&format!(
            "  ✗ {} ({}): {}\n",
            problem.rule,
            problem.source,
            problem.title.get(lang)
        ));
    }
    for n in &a.notes {
        out.push_str(&format!(
            "  {} {}\n",
            lang.pick("注意:", "note:"),
            n.get(lang)
        ));
    }
    if let Some(w) = &a.warning {
        out.push_str(&format!(
            "  {} {}\n",
            lang.pick("注意:", "warning:"),
            w.get(lang)
        ));
    }
    for s in &a.suggestions {
        out.push_str(&format!(
            "  {} {}\n",
            lang.pick("ヒント:", "hint:"),
            s.get(lang)
        ));
    }
    match record {
        Record::Recorded { at, anyway: false } => out.push_str(&match lang {
            Lang::Ja => {
                format!("  性質を記録しました（パスワードそのものは記録していません）: {at}\n")
            }
            Lang::En => format!("  recorded the properties (not the password) at {at}\n"),
        }),
        Record::Recorded { at, anyway: true } => out.push_str(&match lang {
            Lang::Ja => format!(
                "  --record-anyway の指定により、不合格のまま性質を記録しました（パスワードそのものは記録していません）: {at}\n"
            ),
            Lang::En => format!(
                "  recorded the properties of a failing password, as --record-anyway asks (not the password) at {at}\n"
            ),
        }),
        Record::Refused => out.push_str(&format!("  {}\n", cli_refusal(lang))),
        Record::NotAsked | Record::Allowed => {}
    }
    out
}

#[derive(Serialize)]
struct Document<'a> {
    verdict: &'static str,
    properties: &'a Properties,
    problems: Vec<Problem<'a>>,
    notes: Vec<&'a str>,
    warning: Option<&'a str>,
    suggestions: Vec<&'a str>,
    /// `null` (a check only), `recorded`, `allowed` (the page may record) or `refused`.
    record: Option<&'static str>,
    recorded: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    refusal: Option<String>,
}

#[derive(Serialize)]
struct Problem<'a> {
    rule: &'a str,
    source: &'a str,
    title: &'a str,
}

/// The document of `rurume password --format json`; `refusal` is the message a refused
/// record carries (the command line's own when `None`).
pub fn json(a: &Assessment, record: Record, lang: Lang) -> String {
    json_with(a, record, None, lang)
}

pub fn json_with(a: &Assessment, record: Record, refusal: Option<String>, lang: Lang) -> String {
    let doc = Document {
        verdict: if a.passes() { "pass" } else { "fail" },
        properties: &a.properties,
        problems: a
            .problems
            .iter()
            .map(|p| Problem {
                rule: &p.rule,
                source: &p.source,
                title: p.title.get(lang),
            })
            .collect(),
        notes: a.notes.iter().map(|n| n.get(lang)).collect(),
        warning: a.warning.as_ref().map(|w| w.get(lang)),
        suggestions: a.suggestions.iter().map(|s| s.get(lang)).collect(),
        record: record.name(),
        recorded: match record {
            Record::Recorded { at, .. } => Some(at),
            _ => None,
        },
        refusal: match record {
            Record::Refused => Some(refusal.unwrap_or_else(|| cli_refusal(lang))),
            _ => None,
        },
    };
    let mut out = serde_json::to_string_pretty(&doc).expect("plain data");
    out.push('\n');
    out
}
