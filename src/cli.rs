//! The command line: arguments, dispatch, and exit status.
//!
//! Exit status (cli.md): 0 nothing at or above `--fail-on`; 1 there is; 2 the tool could
//! not do its job (bad arguments, an unreadable path, a broken rule file).

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use jiff::civil::Date;

use crate::engine;
use crate::inventory::{Inventory, schema, walk};
use crate::lang::Lang;
use crate::output::{self, Summary};
use crate::rules::RuleSet;

#[derive(Debug, Parser)]
#[command(
    name = "rurume",
    version,
    about = "Checks るるめネット inventories of devices and accounts against the operating policy"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Lint inventory files; directories are walked for *.json
    Check(CheckArgs),
    /// List the rules in force
    Rules(RulesArgs),
    /// Check a password without showing or storing it, and optionally record its properties
    Password(PasswordArgs),
    /// Print the inventory JSON Schema
    Schema,
}

#[derive(Debug, clap::Args)]
pub struct PasswordArgs {
    /// The inventory of the account whose password this is (its name, email, MCS id and
    /// facility are tried as guesses)
    #[arg(long, value_name = "FILE", requires = "account")]
    pub inventory: Option<PathBuf>,
    /// The account's `id` in that inventory
    #[arg(long, value_name = "ID", requires = "inventory")]
    pub account: Option<String>,
    /// Write the password's properties (never the password) into that account
    #[arg(long, requires = "account")]
    pub record: bool,
    #[arg(long, value_enum, default_value_t = PasswordFormat::Human)]
    pub format: PasswordFormat,
    #[arg(long, value_enum)]
    pub lang: Option<Lang>,
    /// Use the password rules of this folder instead of the built-in rules
    #[arg(long, value_name = "DIR")]
    pub rules: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum PasswordFormat {
    Human,
    Json,
}

#[derive(Debug, clap::Args)]
pub struct CommonArgs {
    /// Evaluation date for date rules (YYYY-MM-DD); default today
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date)]
    pub as_of: Option<Date>,
    /// Message language; default from LANG (ja* → ja), else en
    #[arg(long, value_enum)]
    pub lang: Option<Lang>,
    /// Use the rule files of this folder instead of the built-in rules
    #[arg(long, value_name = "DIR")]
    pub rules: Option<PathBuf>,
}

#[derive(Debug, clap::Args)]
pub struct CheckArgs {
    /// Inventory files or folders [default: .]
    pub paths: Vec<PathBuf>,
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
    #[command(flatten)]
    pub common: CommonArgs,
    /// What makes the exit status 1
    #[arg(long, value_enum, default_value_t = FailOn::Error)]
    pub fail_on: FailOn,
    /// Findings only: no progress, notes or summary
    #[arg(long, short)]
    pub quiet: bool,
}

#[derive(Debug, clap::Args)]
pub struct RulesArgs {
    #[arg(long, value_enum)]
    pub lang: Option<Lang>,
    /// Use the rule files of this folder instead of the built-in rules
    #[arg(long, value_name = "DIR")]
    pub rules: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Human,
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FailOn {
    Error,
    Warning,
    Never,
}

impl FailOn {
    pub fn fails(self, summary: &Summary) -> bool {
        match self {
            FailOn::Error => summary.errors > 0,
            FailOn::Warning => summary.errors + summary.warnings > 0,
            FailOn::Never => false,
        }
    }
}

fn parse_date(s: &str) -> Result<Date, String> {
    let valid_shape = s.len() == 10 && s.as_bytes()[4] == b'-' && s.as_bytes()[7] == b'-';
    match s.parse::<Date>() {
        Ok(d) if valid_shape => Ok(d),
        _ => Err(format!(
            "`{s}` is not a date; write YYYY-MM-DD, e.g. 2026-11-26"
        )),
    }
}

/// The tool could not do its job: exit 2, with a message on stderr.
pub struct Failure(pub miette::Report);

impl<E: miette::Diagnostic + Send + Sync + 'static> From<E> for Failure {
    fn from(e: E) -> Failure {
        Failure(miette::Report::new(e))
    }
}

pub fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => code,
        Err(Failure(report)) => {
            let _ = writeln!(std::io::stderr(), "{report:?}");
            ExitCode::from(2)
        }
    }
}

pub fn run(cli: Cli) -> Result<ExitCode, Failure> {
    match cli.command {
        Command::Check(args) => check(args),
        Command::Rules(args) => {
            let rules = load_rules(args.rules.as_ref())?;
            print(&output::human::rules_table(
                &rules,
                args.lang.unwrap_or_else(Lang::from_env),
            ));
            Ok(ExitCode::SUCCESS)
        }
        Command::Password(args) => password(args),
        Command::Schema => {
            print(schema::SCHEMA);
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn load_rules(dir: Option<&PathBuf>) -> Result<RuleSet, Failure> {
    Ok(match dir {
        Some(dir) => RuleSet::load_dir(dir)?,
        None => RuleSet::builtin()?,
    })
}

#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[error("{0}")]
#[diagnostic(code(usage), help("give existing inventory files or folders"))]
struct PathError(String);

fn check(args: CheckArgs) -> Result<ExitCode, Failure> {
    let lang = args.common.lang.unwrap_or_else(Lang::from_env);
    let rules = load_rules(args.common.rules.as_ref())?;
    let as_of = args
        .common
        .as_of
        .unwrap_or_else(|| jiff::ZonedDateTime::now().date());
    let paths = if args.paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        args.paths.clone()
    };
    let candidates = walk::discover(&paths).map_err(|e| PathError(e.to_string()))?;
    let inventories = candidates.iter().map(Inventory::load).collect();
    let report = engine::check(inventories, &rules, as_of);
    let summary = Summary::of(&report);
    let text = match args.format {
        Format::Json => output::json::render(&report, lang),
        Format::Human => {
            let stdout = std::io::stdout();
            let color =
                stdout.is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
            let width = terminal_width().unwrap_or(100);
            output::human::render(
                &report,
                lang,
                output::human::Style {
                    color,
                    width,
                    quiet: args.quiet,
                },
            )
        }
    };
    print(&text);
    Ok(if args.fail_on.fails(&summary) {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// A problem with `rurume password`'s input: exit 2. Never carries the password.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[error("{0}")]
#[diagnostic(code(password))]
struct PasswordError(String);

fn password(args: PasswordArgs) -> Result<ExitCode, Failure> {
    use crate::password::{self as pw, input, record};
    let lang = args.lang.unwrap_or_else(Lang::from_env);
    let rules = load_rules(args.rules.as_ref())?;
    let as_of = jiff::ZonedDateTime::now().date();
    let fail = |t: crate::lang::Text| Failure::from(PasswordError(t.get(lang).to_owned()));
    let context = match (&args.inventory, &args.account) {
        (Some(path), Some(id)) => {
            Some(record::find_account(path, id).map_err(|e| fail(e.message()))?)
        }
        _ => None,
    };
    let prompt = lang.pick(
        "パスワード（入力は表示されません）: ",
        "Password (input is not shown): ",
    );
    let secret = input::read(prompt).map_err(|e| fail(e.message()))?;
    let doc_and_index = context
        .as_ref()
        .and_then(|(inv, i)| inv.value().map(|v| (v, *i)));
    let assessment = pw::assess(&secret, doc_and_index, &rules, as_of);
    drop(secret);
    let recorded = match (&context, args.record, &args.inventory) {
        (Some((inv, i)), true, Some(path)) => {
            let text = record::updated_text(inv, *i, &assessment.properties)
                .map_err(|e| fail(e.message()))?;
            record::write_atomically(path, record::has_bom(path), &text)
                .map_err(|e| fail(e.message()))?;
            Some(format!(
                "{} /accounts/{i}/password",
                walk::display_path(path)
            ))
        }
        _ => None,
    };
    let text = match args.format {
        PasswordFormat::Human => output::password::human(&assessment, recorded.as_deref(), lang),
        PasswordFormat::Json => output::password::json(&assessment, recorded.as_deref(), lang),
    };
    print(&text);
    Ok(if assessment.passes() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

fn terminal_width() -> Option<usize> {
    if !std::io::stdout().is_terminal() {
        return None;
    }
    std::env::var("COLUMNS").ok()?.parse().ok()
}

/// Writes to stdout; a closed pipe (`rurume check | head`) is not an error worth a panic.
fn print(text: &str) {
    let mut out = std::io::stdout().lock();
    let _ = out.write_all(text.as_bytes());
    let _ = out.flush();
}
