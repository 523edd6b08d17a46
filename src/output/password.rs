//! The verdict of `rurume password`. It shows the properties, never the password.

use serde::Serialize;

use crate::lang::Lang;
use crate::password::{Assessment, Properties};

pub fn human(a: &Assessment, recorded: Option<&str>, lang: Lang) -> String {
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
    if let Some(at) = recorded {
        out.push_str(&match lang {
            Lang::Ja => {
                format!("  性質を記録しました（パスワードそのものは記録していません）: {at}\n")
            }
            Lang::En => format!("  recorded the properties (not the password) at {at}\n"),
        });
    }
    out
}

#[derive(Serialize)]
struct Document<'a> {
    verdict: &'static str,
    properties: &'a Properties,
    problems: Vec<Problem<'a>>,
    warning: Option<&'a str>,
    suggestions: Vec<&'a str>,
    recorded: Option<&'a str>,
}

#[derive(Serialize)]
struct Problem<'a> {
    rule: &'a str,
    source: &'a str,
    title: &'a str,
}

pub fn json(a: &Assessment, recorded: Option<&str>, lang: Lang) -> String {
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
        warning: a.warning.as_ref().map(|w| w.get(lang)),
        suggestions: a.suggestions.iter().map(|s| s.get(lang)).collect(),
        recorded,
    };
    let mut out = serde_json::to_string_pretty(&doc).expect("plain data");
    out.push('\n');
    out
}
