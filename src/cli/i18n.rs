//! The command line in Japanese: clap's help and errors, from `help.ja.toml`. English is
//! clap's own (the texts of the derive attributes).

use std::collections::BTreeMap;
use std::process::ExitCode;

use clap::error::{ContextKind, ContextValue, ErrorKind};
use clap::{Arg, ArgAction, Command};

use crate::lang::Lang;

const HELP_JA: &str = include_str!("help.ja.toml");

#[derive(serde::Deserialize)]
struct Texts {
    about: String,
    after_help: String,
    headings: Headings,
    common: BTreeMap<String, String>,
    #[serde(flatten)]
    commands: BTreeMap<String, toml::Table>,
}

#[derive(serde::Deserialize)]
struct Headings {
    usage: String,
    commands: String,
    arguments: String,
    options: String,
    help: String,
    version: String,
    subcommand_help: String,
}

fn texts() -> Texts {
    toml::from_str(HELP_JA).expect("src/cli/help.ja.toml is valid")
}

/// The language the command line speaks: `--lang` when given (anywhere), else the
/// environment's.
pub fn lang_of(args: &[std::ffi::OsString]) -> Lang {
    let mut it = args.iter().filter_map(|a| a.to_str());
    while let Some(a) = it.next() {
        let value = match a.strip_prefix("--lang=") {
            Some(v) => Some(v),
            None if a == "--lang" => it.next(),
            None => None,
        };
        match value {
            Some("ja") => return Lang::Ja,
            Some("en") => return Lang::En,
            _ => {}
        }
    }
    Lang::from_env()
}

/// The command with its help in `lang`.
pub fn localized(cmd: Command, lang: Lang) -> Command {
    if lang == Lang::En {
        return cmd;
    }
    let t = texts();
    let cmd = cmd.about(t.about.clone()).after_help(t.after_help.clone());
    let mut cmd = japanese(cmd, &t, None, &t.headings);
    cmd.build();
    cmd.mut_subcommand("help", |s| s.about(t.headings.subcommand_help.clone()))
}

fn japanese(mut cmd: Command, t: &Texts, table: Option<&toml::Table>, h: &Headings) -> Command {
    let own = |id: &str| {
        table
            .and_then(|tb| tb.get(id))
            .and_then(|v| v.as_str())
            .map(str::to_owned)
            .or_else(|| t.common.get(id).cloned())
    };
    if let Some(about) = table
        .and_then(|tb| tb.get("about"))
        .and_then(|v| v.as_str())
    {
        cmd = cmd.about(about.to_owned());
    }
    let template = format!(
        "{{before-help}}{{about-with-newline}}\n{}: {{usage}}\n\n{{all-args}}{{after-help}}",
        h.usage
    );
    cmd = cmd
        .help_template(template)
        .subcommand_help_heading(h.commands.clone())
        .disable_help_flag(true)
        .arg(
            Arg::new("help")
                .short('h')
                .long("help")
                .action(ArgAction::Help)
                .help(h.help.clone())
                .help_heading(h.options.clone()),
        );
    if cmd.get_version().is_some() {
        cmd = cmd.disable_version_flag(true).arg(
            Arg::new("version")
                .short('V')
                .long("version")
                .action(ArgAction::Version)
                .help(h.version.clone())
                .help_heading(h.options.clone()),
        );
    }
    let ids: Vec<String> = cmd
        .get_arguments()
        .map(|a| a.get_id().to_string())
        .filter(|id| id != "help" && id != "version")
        .collect();
    for id in ids {
        let help = own(&id);
        cmd = cmd.mut_arg(&id, |a| {
            let heading = if a.is_positional() {
                h.arguments.clone()
            } else {
                h.options.clone()
            };
            let mut text =
                help.unwrap_or_else(|| a.get_help().map(|s| s.to_string()).unwrap_or_default());
            let values: Vec<String> = a
                .get_possible_values()
                .iter()
                .filter(|v| !v.is_hide_set())
                .map(|v| v.get_name().to_owned())
                .collect();
            if !values.is_empty() && a.get_action().takes_values() {
                text.push_str(&format!("［選べる値: {}］", values.join(", ")));
            }
            let defaults: Vec<String> = a
                .get_default_values()
                .iter()
                .map(|v| v.to_string_lossy().into_owned())
                .collect();
            if !defaults.is_empty() {
                text.push_str(&format!("［省略時: {}］", defaults.join(", ")));
            }
            let takes = a.get_action().takes_values();
            a.help(text)
                .help_heading(heading)
                .hide_possible_values(takes)
                .hide_default_value(takes)
        });
    }
    let names: Vec<String> = cmd
        .get_subcommands()
        .map(|s| s.get_name().to_owned())
        .collect();
    for name in names {
        let sub_table = table.map_or_else(
            || t.commands.get(&name),
            |tb| tb.get(&name).and_then(|v| v.as_table()),
        );
        cmd = cmd.mut_subcommand(&name, |s| japanese(s, t, sub_table, h));
    }
    cmd
}

/// A command line clap refused, said in `lang`; `--help` and `--version` are printed as
/// clap prints them (already localized).
pub fn report(error: clap::Error, lang: Lang) -> ExitCode {
    if lang == Lang::En
        || matches!(
            error.kind(),
            ErrorKind::DisplayHelp
                | ErrorKind::DisplayVersion
                | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand
        )
    {
        let _ = error.print();
        return ExitCode::from(if error.use_stderr() { 2 } else { 0 });
    }
    let get = |kind: ContextKind| match error.get(kind) {
        Some(ContextValue::String(s)) => Some(s.clone()),
        Some(ContextValue::Strings(v)) => Some(v.join(", ")),
        Some(ContextValue::StyledStr(s)) => Some(s.to_string()),
        Some(ContextValue::StyledStrs(v)) => Some(
            v.iter()
                .map(|s| s.to_string())
                .collect::<Vec<_>>()
                .join(", "),
        ),
        Some(ContextValue::Number(n)) => Some(n.to_string()),
        _ => None,
    };
    let arg = get(ContextKind::InvalidArg).unwrap_or_default();
    let value = get(ContextKind::InvalidValue).unwrap_or_default();
    let mut message = match error.kind() {
        ErrorKind::InvalidValue => match get(ContextKind::ValidValue) {
            Some(valid) => format!("{arg} に「{value}」は指定できません（選べる値: {valid}）"),
            None => format!("{arg} の値が正しくありません"),
        },
        ErrorKind::ValueValidation => {
            let why = if arg.starts_with("--as-of") {
                "日付は YYYY-MM-DD の形で書いてください（例: 2026-11-26）".to_owned()
            } else if arg.starts_with("--max-file-size") {
                "バイト数か、KB・MB・GB を付けた整数で書いてください（例: 50MB、\"200 MB\"。1024 倍の単位です）".to_owned()
            } else {
                std::error::Error::source(&error)
                    .map(|e| e.to_string())
                    .unwrap_or_default()
            };
            format!("{arg} の値「{value}」が正しくありません。{why}")
        }
        ErrorKind::UnknownArgument => format!("{arg} というオプションはありません"),
        ErrorKind::InvalidSubcommand => {
            let sub = get(ContextKind::InvalidSubcommand).unwrap_or_default();
            format!(
                "{sub} というコマンドはありません（使えるのは serve, check, audit, template, convert, password, rules, explain, schema です）"
            )
        }
        ErrorKind::MissingRequiredArgument => format!("{arg} を指定してください"),
        ErrorKind::ArgumentConflict => {
            let other = get(ContextKind::PriorArg).unwrap_or_default();
            format!("{arg} と {other} は一緒に指定できません")
        }
        ErrorKind::NoEquals
        | ErrorKind::TooManyValues
        | ErrorKind::TooFewValues
        | ErrorKind::WrongNumberOfValues => {
            format!("{arg} の値の数が正しくありません")
        }
        ErrorKind::MissingSubcommand => {
            "コマンドを指定してください（例: rurume check 台帳.json）".to_owned()
        }
        _ => {
            let _ = error.print();
            return ExitCode::from(2);
        }
    };
    if let Some(suggested) =
        get(ContextKind::SuggestedArg).or_else(|| get(ContextKind::SuggestedSubcommand))
    {
        message.push_str(&format!("\n\n  もしかして: {suggested}"));
    }
    let usage = get(ContextKind::Usage)
        .map(|u| format!("{}\n\n", u.replace("Usage:", "使い方:")))
        .unwrap_or_default();
    eprintln!("エラー: {message}\n\n{usage}詳しくは --help を付けて実行してください。");
    ExitCode::from(2)
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    /// Every command and option has its Japanese help: a new one fails here until written.
    #[test]
    fn every_command_and_option_has_japanese_help() {
        let t = texts();
        let cmd = super::super::Cli::command();
        fn walk(cmd: &Command, table: Option<&toml::Table>, t: &Texts, path: &str) {
            for sub in cmd.get_subcommands() {
                let name = sub.get_name();
                let sub_table = table.map_or_else(
                    || t.commands.get(name),
                    |tb| tb.get(name).and_then(|v| v.as_table()),
                );
                let here = format!("{path} {name}");
                assert!(
                    sub_table.and_then(|tb| tb.get("about")).is_some(),
                    "no Japanese about for{here}"
                );
                for a in sub.get_arguments() {
                    let id = a.get_id().as_str();
                    let found =
                        sub_table.and_then(|tb| tb.get(id)).is_some() || t.common.contains_key(id);
                    assert!(found, "no Japanese help for{here} {id}");
                }
                walk(sub, sub_table, t, &here);
            }
        }
        walk(&cmd, None, &t, "");
    }

    #[test]
    fn the_japanese_command_line_is_well_formed() {
        localized(super::super::Cli::command(), Lang::Ja).debug_assert();
    }

    #[test]
    fn lang_from_the_arguments_first() {
        let args = |v: &[&str]| v.iter().map(std::ffi::OsString::from).collect::<Vec<_>>();
        assert_eq!(
            lang_of(&args(&["rurume", "check", "--lang", "ja"])),
            Lang::Ja
        );
        assert_eq!(lang_of(&args(&["rurume", "--lang=en", "check"])), Lang::En);
    }
}
