//! `rurume rules`, `rurume rules test` and `rurume explain`: the rules in force, their
//! examples run as tests (like `conftest verify`), and each rule's documentation (like
//! `ruff rule`), all generated from the rule files.

use std::path::PathBuf;
use std::process::ExitCode;

use miette::Diagnostic;

use super::{
    ExplainArgs, Failure, ListFormat, Profiles, RulesAction, RulesArgs, lang, load_rules_of, print,
};
use crate::lang::Lang;
use crate::output::explain;
use crate::rules::RuleSet;

pub fn rules(args: RulesArgs) -> Result<ExitCode, Failure> {
    let lang = lang(args.lang);
    if let Some(RulesAction::Test { dir }) = args.action {
        return test(dir.or(args.rules), &args.profile, args.format, lang);
    }
    let rules = load_rules_of(args.rules.as_ref(), Profiles::Named(&args.profile), lang)?;
    print(&match args.format {
        ListFormat::Human => explain::rules_table(&rules, lang),
        ListFormat::Json => explain::rules_json(&rules, lang),
    });
    Ok(ExitCode::SUCCESS)
}

/// Runs the examples of a rule folder: exit 0 when every one behaves as declared, 1 when
/// one does not, 2 when the rule set cannot be loaded.
/// Without `--profile`, the examples of every built-in profile run.
fn test(
    dir: Option<PathBuf>,
    profiles: &[String],
    format: ListFormat,
    lang: Lang,
) -> Result<ExitCode, Failure> {
    let rules = load_rules_of(dir.as_ref(), Profiles::NamedOrEvery(profiles), lang)?;
    let run = explain::test_run(&rules, lang);
    print(&match format {
        ListFormat::Human => explain::test_human(&run, lang),
        ListFormat::Json => explain::test_json(&run),
    });
    Ok(if run.failed == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

pub fn explain(args: ExplainArgs) -> Result<ExitCode, Failure> {
    let lang = lang(args.set.lang);
    let rules = load_rules_of(
        args.set.rules.as_ref(),
        Profiles::NamedOrEvery(&args.profile),
        lang,
    )?;
    let Some(doc) = explain::explain_doc(&rules, &args.rule, lang) else {
        return Err(UnknownRule::new(&rules, &args.rule, lang).into());
    };
    print(&match args.format {
        ListFormat::Human => explain::explain_human(&doc, lang),
        ListFormat::Json => explain::explain_json(&doc),
    });
    Ok(ExitCode::SUCCESS)
}

/// `rurume explain` of an id that is not in force (exit 2), with the closest id suggested.
#[derive(Debug, thiserror::Error)]
#[error("{message}")]
struct UnknownRule {
    message: String,
    help: String,
}

impl UnknownRule {
    fn new(rules: &RuleSet, id: &str, lang: Lang) -> UnknownRule {
        let closest = closest(id, &explain::rule_ids(rules));
        let message = match (lang, &closest) {
            (Lang::Ja, Some(c)) => format!("規則 `{id}` はありません。`{c}` のことですか？"),
            (Lang::Ja, None) => format!("規則 `{id}` はありません"),
            (Lang::En, Some(c)) => format!("unknown rule `{id}`; did you mean `{c}`?"),
            (Lang::En, None) => format!("unknown rule `{id}`"),
        };
        let help = lang
            .pick(
                "`rurume rules` で有効な規則の一覧を表示できます",
                "`rurume rules` lists the rules in force",
            )
            .to_owned();
        UnknownRule { message, help }
    }
}

impl Diagnostic for UnknownRule {
    fn code<'a>(&'a self) -> Option<Box<dyn std::fmt::Display + 'a>> {
        Some(Box::new("unknown-rule"))
    }

    fn help<'a>(&'a self) -> Option<Box<dyn std::fmt::Display + 'a>> {
        Some(Box::new(&self.help))
    }
}

/// The id most like `wanted`, if any is close enough to be what was meant.
fn closest(wanted: &str, ids: &[String]) -> Option<String> {
    let wanted = wanted.trim().to_lowercase();
    ids.iter()
        .map(|id| {
            (
                strsim::jaro_winkler(&wanted, id),
                std::cmp::Reverse(strsim::levenshtein(&wanted, id)),
                id,
            )
        })
        .filter(|(score, _, _)| *score >= 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)).then(b.2.cmp(a.2)))
        .map(|(_, _, id)| id.clone())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_the_closest_id_or_nothing() {
        let ids: Vec<String> = [
            "password-length",
            "password-mix",
            "antivirus",
            "antivirus-stale",
        ]
        .map(str::to_owned)
        .to_vec();
        assert_eq!(
            closest("pasword-length", &ids).as_deref(),
            Some("password-length")
        );
        assert_eq!(closest("antivirs", &ids).as_deref(), Some("antivirus"));
        assert_eq!(
            closest("Password-Length", &ids).as_deref(),
            Some("password-length")
        );
        assert_eq!(closest("zzz", &ids), None);
    }
}
