//! The command line: arguments, dispatch, and exit status.
//!
//! Exit status (cli.md): 0 nothing at or above `--fail-on`; 1 there is; 2 the tool could
//! not do its job (bad arguments, an unreadable path, a broken rule file).

mod check;
mod i18n;
mod launch;
mod password;
mod rules;
mod workbook;

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

use jiff::civil::Date;

use crate::config::{self, Config};
use crate::inventory::{schema, walk};
use crate::lang::Lang;
use crate::output::Summary;
use crate::rules::{RuleSet, Tuning};

#[derive(Debug, Parser)]
#[command(
    after_help = "Exit status: 0 nothing at or above --fail-on; 1 there is; 2 rurume could not do its job \
                  (bad arguments, a missing path, a broken rule file or rurume.toml).",
    name = "rurume",
    version,
    about = "Checks るるめネット inventories of devices and accounts against the operating policy"
)]
pub struct Cli {
    /// Without one, a short usage in the user's language (see [`no_command`]).
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Lint inventory files; directories are walked for *.json and *.xlsx
    Check(CheckArgs),
    /// The association's view: a compliance matrix, one row per facility, one column per rule
    Audit(AuditArgs),
    /// List the rules in force (`rules test` runs their examples)
    Rules(RulesArgs),
    /// Explain a rule: the article, why it matters, how to fix, examples
    Explain(ExplainArgs),
    /// Answer the MHLW cybersecurity checklist for each inventory (both profiles' rules)
    Checklist(ChecklistArgs),
    /// Check a password without showing or storing it, and optionally record its properties
    Password(PasswordArgs),
    /// Print the inventory JSON Schema
    Schema,
    /// A local web page for facility managers: edit an inventory in forms, see findings live
    Serve(ServeArgs),
    /// Write an empty inventory workbook (.xlsx) to fill in with Excel
    Template(TemplateArgs),
    /// Convert an inventory between .json and .xlsx (the format follows each file's extension)
    Convert(ConvertArgs),
}

#[derive(Debug, clap::Args)]
pub struct TemplateArgs {
    /// The workbook to write (.xlsx)
    #[arg(long, short, value_name = "FILE.xlsx")]
    pub output: PathBuf,
    /// Language of the sheets, headers and dropdowns; default from LC_ALL, LC_MESSAGES or LANG
    #[arg(long, value_enum)]
    pub lang: Option<Lang>,
    /// The facility's kind, filled in already (clinic, hospital, dental, pharmacy, visiting_nursing, care_support, other)
    #[arg(long, value_name = "KIND", value_parser = ["clinic", "hospital", "dental", "pharmacy", "visiting_nursing", "care_support", "other"])]
    pub kind: Option<String>,
    /// Overwrite FILE if it exists
    #[arg(long)]
    pub force: bool,
}

#[derive(Debug, clap::Args)]
pub struct ConvertArgs {
    /// The inventory to convert (.json, or a workbook: .xlsx .xlsm .xlsb .xls .ods)
    pub input: PathBuf,
    /// The file to write (.xlsx or .json)
    #[arg(long, short, value_name = "FILE")]
    pub output: PathBuf,
    /// Language of the workbook's sheets and headers (to .xlsx), and of the messages
    #[arg(long, value_enum)]
    pub lang: Option<Lang>,
}

#[derive(Debug, clap::Args)]
pub struct ServeArgs {
    /// Port on 127.0.0.1
    #[arg(long, default_value_t = crate::serve::DEFAULT_PORT)]
    pub port: u16,
    /// Open the page in the default browser
    #[arg(long)]
    pub open: bool,
    /// Listen on another address than 127.0.0.1 (e.g. 0.0.0.0:8417) — the page is then
    /// reachable from other machines
    #[arg(long, value_name = "ADDR")]
    pub listen: Option<std::net::SocketAddr>,
    /// Use the rule files of this folder instead of the built-in rules
    #[arg(long, value_name = "DIR")]
    pub rules: Option<PathBuf>,
    /// Configuration file [default: rurume.toml in this folder or the nearest above]
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
}

/// What `check`, `audit` and `checklist` read: the inventories, the date, the language,
/// the rules, the profiles and the configuration.
#[derive(Debug, clap::Args)]
pub struct InputArgs {
    /// Inventory files or folders [default: .]
    pub paths: Vec<PathBuf>,
    /// Evaluation date for date rules (YYYY-MM-DD); default today
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date)]
    pub as_of: Option<Date>,
    /// Message language; default from LC_ALL, LC_MESSAGES or LANG (ja* → ja), else the system's UI language (Windows, macOS), else en
    #[arg(long, value_enum)]
    pub lang: Option<Lang>,
    /// Use the rule files of this folder instead of the built-in rules (a folder laid out
    /// like rules/, with a subfolder per profile, is a set of profiles)
    #[arg(long, value_name = "DIR")]
    pub rules: Option<PathBuf>,
    /// The built-in rule sets in force: rurume (the るるめネット policy), mhlw (the MHLW
    /// guideline and cybersecurity checklist); repeatable or comma-separated
    /// [default: profiles in rurume.toml, else rurume]
    #[arg(long, value_name = "NAME", value_delimiter = ',')]
    pub profile: Vec<String>,
    /// Configuration file [default: rurume.toml in this folder or the nearest above]
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Largest inventory file read, e.g. 50MB, "200 MB" or a number of bytes (KB, MB, GB are
    /// multiples of 1024); a larger file is not read and is an inventory-syntax finding
    /// [default: [limits] max_file_size in rurume.toml, else 50MB]
    #[arg(long, value_name = "SIZE", value_parser = config::parse_size)]
    pub max_file_size: Option<u64>,
}

/// Options every linting command takes.
#[derive(Debug, clap::Args)]
pub struct CommonArgs {
    #[command(flatten)]
    pub input: InputArgs,
    /// What makes the exit status 1
    #[arg(long, value_enum, default_value_t = FailOn::Error)]
    pub fail_on: FailOn,
    /// Findings only: no progress, notes or summary
    #[arg(long, short)]
    pub quiet: bool,
}

#[derive(Debug, clap::Args)]
pub struct CheckArgs {
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
    #[command(flatten)]
    pub common: CommonArgs,
}

#[derive(Debug, clap::Args)]
#[command(mut_arg("profile", |a| a.help(
    "Accepted for symmetry with check, and without effect: the checklist always runs the \
     rules of every profile"
)))]
pub struct ChecklistArgs {
    #[arg(long, value_enum, default_value_t = ChecklistFormat::Human)]
    pub format: ChecklistFormat,
    #[command(flatten)]
    pub input: InputArgs,
    /// Answers only: no summary
    #[arg(long, short)]
    pub quiet: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ChecklistFormat {
    Human,
    Json,
    Html,
}

#[derive(Debug, clap::Args)]
pub struct AuditArgs {
    #[arg(long, value_enum, default_value_t = AuditFormat::Table)]
    pub format: AuditFormat,
    /// The facilities expected to submit (CSV with a header row, UTF-8 or Shift_JIS, or TOML; at least id and name): lists who did not submit and who is not on it
    #[arg(long, value_name = "FILE")]
    pub roster: Option<PathBuf>,
    /// The previous round's inventories: each facility's findings compared as new, fixed and persisting (both rounds as of the same date)
    #[arg(long, value_name = "DIR")]
    pub previous: Option<PathBuf>,
    /// Also write one printable letter per facility (HTML, A4) into this folder
    #[arg(long, value_name = "DIR")]
    pub letters: Option<PathBuf>,
    /// The reply deadline the letters give (YYYY-MM-DD) [default: [round] deadline in rurume.toml]
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date)]
    pub deadline: Option<Date>,
    #[command(flatten)]
    pub common: CommonArgs,
}

#[derive(Debug, clap::Args)]
pub struct RulesArgs {
    #[command(subcommand)]
    pub action: Option<RulesAction>,
    #[arg(long, value_enum, default_value_t = ListFormat::Human, global = true)]
    pub format: ListFormat,
    #[arg(long, value_enum, global = true)]
    pub lang: Option<Lang>,
    /// Use the rule files of this folder instead of the built-in rules
    #[arg(long, value_name = "DIR", global = true)]
    pub rules: Option<PathBuf>,
    /// The built-in rule sets listed: rurume, mhlw; repeatable or comma-separated
    /// [default: profiles in rurume.toml, else rurume]
    #[arg(long, value_name = "NAME", value_delimiter = ',', global = true)]
    pub profile: Vec<String>,
}

#[derive(Debug, Subcommand)]
pub enum RulesAction {
    /// Run the examples of every rule and report those that do not behave as declared
    Test {
        /// A rule folder [default: the built-in rules, or --rules]
        dir: Option<PathBuf>,
    },
}

/// The language and rule set of the commands that are not linting.
#[derive(Debug, clap::Args)]
pub struct RuleSetArgs {
    #[arg(long, value_enum)]
    pub lang: Option<Lang>,
    /// Use the rule files of this folder instead of the built-in rules
    #[arg(long, value_name = "DIR")]
    pub rules: Option<PathBuf>,
}

#[derive(Debug, clap::Args)]
pub struct ExplainArgs {
    /// The rule id, e.g. password-length
    pub rule: String,
    #[arg(long, value_enum, default_value_t = ListFormat::Human)]
    pub format: ListFormat,
    /// The built-in rule sets whose rules can be explained: rurume, mhlw; repeatable or
    /// comma-separated [default: every profile]
    #[arg(long, value_name = "NAME", value_delimiter = ',')]
    pub profile: Vec<String>,
    #[command(flatten)]
    pub set: RuleSetArgs,
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
    /// Write the password's properties (never the password) into that account; a password
    /// that fails the rules is not recorded (exit 1, the file unchanged)
    #[arg(long, requires = "account")]
    pub record: bool,
    /// Like --record, but record the properties even when the password fails the rules
    #[arg(long, requires = "account")]
    pub record_anyway: bool,
    #[arg(long, value_enum, default_value_t = ListFormat::Human)]
    pub format: ListFormat,
    #[command(flatten)]
    pub set: RuleSetArgs,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Human,
    Json,
    Sarif,
    Github,
    Junit,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum AuditFormat {
    Table,
    Json,
    Csv,
    Html,
}

/// Output of the commands that are not linting: human text or JSON.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ListFormat {
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

    pub fn exit_code(self, summary: &Summary) -> ExitCode {
        if self.fails(summary) {
            ExitCode::from(1)
        } else {
            ExitCode::SUCCESS
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
    use clap::{CommandFactory, FromArgMatches};
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    let lang = i18n::lang_of(&args);
    let parsed = i18n::localized(Cli::command(), lang)
        .try_get_matches_from(&args)
        .and_then(|m| Cli::from_arg_matches(&m));
    let cli = match parsed {
        Ok(cli) => cli,
        Err(e) => return i18n::report(e, lang),
    };
    match run(cli) {
        Ok(code) => code,
        Err(Failure(report)) => {
            let _ = writeln!(std::io::stderr(), "{report:?}");
            ExitCode::from(2)
        }
    }
}

pub fn run(cli: Cli) -> Result<ExitCode, Failure> {
    let Some(command) = cli.command else {
        return match launch::how_started() {
            launch::Start::Terminal => Ok(no_command(true)),
            launch::Start::Script => Ok(no_command(false)),
            launch::Start::DoubleClick => crate::serve::run_double_clicked(),
        };
    };
    match command {
        Command::Check(args) => check::check(args),
        Command::Audit(args) => check::audit(args),
        Command::Rules(args) => rules::rules(args),
        Command::Explain(args) => rules::explain(args),
        Command::Checklist(args) => check::checklist(args),
        Command::Password(args) => password::password(args),
        Command::Serve(args) => crate::serve::run(args),
        Command::Template(args) => workbook::template(args),
        Command::Convert(args) => workbook::convert(args),
        Command::Schema => {
            print(schema::SCHEMA);
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// `rurume` alone: the three things people do, in the user's language, instead of clap's
/// English error. In a terminal it is an answer (exit 0); without one (a script, a pipe)
/// it is a usage error on stderr (exit 2).
fn no_command(in_terminal: bool) -> ExitCode {
    let text = usage_text(Lang::from_env());
    if in_terminal {
        print(text);
        ExitCode::SUCCESS
    } else {
        let _ = std::io::stderr().write_all(text.as_bytes());
        ExitCode::from(2)
    }
}

fn usage_text(lang: Lang) -> &'static str {
    match lang {
        Lang::Ja => {
            "rurume — るるめネットの端末・アカウント台帳の点検\n\n\
             \x20 rurume serve           ブラウザで台帳を開いて点検する（施設のご担当者向け）\n\
             \x20 rurume check ファイル  台帳ファイル（またはフォルダ）を点検する\n\
             \x20 rurume audit フォルダ  提出された台帳をまとめて集計する（医師会事務局向け）\n\n\
             詳しくは rurume --help、各コマンドは rurume check --help のように確かめられます。\n"
        }
        Lang::En => {
            "rurume — checks るるめネット inventories of devices and accounts\n\n\
             \x20 rurume serve          open the self-check page in the browser (facility managers)\n\
             \x20 rurume check PATH     check inventory files or folders\n\
             \x20 rurume audit PATH     the association's matrix over submitted inventories\n\n\
             More: rurume --help, and rurume check --help for each command.\n"
        }
    }
}

/// A path argument that does not exist (an inventory, `--rules DIR`, `--config FILE`,
/// `--inventory FILE`), in the user's language, with the closest real one: one wording for
/// every command.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[error("{message}")]
#[diagnostic(code(usage))]
pub(crate) struct PathError {
    message: String,
    #[help]
    help: String,
}

impl PathError {
    pub(crate) fn from_walk(error: walk::WalkError, lang: Lang) -> PathError {
        let walk::WalkError::NotFound { path, closest } = error;
        Self::new(&path, closest, lang)
    }

    fn new(path: &str, closest: Option<String>, lang: Lang) -> PathError {
        let message = match lang {
            Lang::Ja => format!("{path}: そのようなファイルやフォルダはありません"),
            Lang::En => format!("{path}: no such file or folder"),
        };
        let help = match (closest, lang) {
            (Some(c), Lang::Ja) => format!("{c} のことですか？"),
            (Some(c), Lang::En) => format!("did you mean {c}?"),
            (None, Lang::Ja) => "存在するファイルまたはフォルダを指定してください".to_owned(),
            (None, Lang::En) => "give existing inventory files or folders".to_owned(),
        };
        PathError { message, help }
    }
}

/// `Ok` when `path` exists (even unreadable: that is reported where it is read).
pub(crate) fn require_existing(path: &std::path::Path, lang: Lang) -> Result<(), Failure> {
    if std::fs::symlink_metadata(path).is_ok() {
        return Ok(());
    }
    let closest = walk::closest_existing(path).map(|p| walk::display_path(&p));
    Err(PathError::new(&walk::display_path(path), closest, lang).into())
}

/// The rule set in force: built-in or `--rules DIR`, tuned by the nearest `rurume.toml`.
pub(crate) fn load_rules(dir: Option<&PathBuf>, lang: Lang) -> Result<RuleSet, Failure> {
    load_rules_of(dir, Profiles::Named(&[]), lang)
}

/// [`load_rules`] with the profiles `--profile` names.
pub(crate) fn load_rules_of(
    dir: Option<&PathBuf>,
    profiles: Profiles<'_>,
    lang: Lang,
) -> Result<RuleSet, Failure> {
    Ok(load_configured(dir, None, profiles, lang)?.0)
}

/// Which profiles are in force.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Profiles<'a> {
    /// `--profile`'s values; none: `profiles` of rurume.toml, else the default.
    Named(&'a [String]),
    /// `--profile`'s values; none: every profile of the rule set (`explain`, `rules test`).
    NamedOrEvery(&'a [String]),
    /// Every profile of the rule set; `--profile`'s values are only checked
    /// (`rurume checklist`).
    Every(&'a [String]),
}

/// `--profile` names a profile that does not exist (exit 2), with the list.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[error("{message}")]
#[diagnostic(code(usage))]
pub(crate) struct ProfileError {
    message: String,
}

/// The profiles `--profile` names among `known` (`None` when it is not given).
pub(crate) fn profiles_named(
    values: &[String],
    known: &[String],
    lang: Lang,
) -> Result<Option<Vec<String>>, Failure> {
    if values.is_empty() {
        return Ok(None);
    }
    match crate::rules::profile::parse_among(values, known) {
        Ok(profiles) => Ok(Some(profiles)),
        Err(e) => Err(ProfileError {
            message: e.message(lang),
        }
        .into()),
    }
}

/// The rule set and the configuration: `--config FILE`, else `rurume.toml` found from the
/// current folder upward, else none. The profiles in force are chosen by `profiles`
/// among those of the rule set: the built-in ones, or the profile folders of a
/// `--rules DIR` laid out as `rules/` is (a flat folder has none: `--profile` is checked
/// against the built-in names and changes nothing). The configuration is checked against
/// the rules of every profile, so that it may tune a rule of a profile not in force.
pub(crate) fn load_configured(
    dir: Option<&PathBuf>,
    config: Option<&PathBuf>,
    profiles: Profiles<'_>,
    lang: Lang,
) -> Result<(RuleSet, Config), Failure> {
    let (mut sets, config) = load_configured_each(dir, config, &[profiles], lang)?;
    Ok((sets.pop().expect("one rule set for one choice"), config))
}

/// [`load_configured`] for several choices of profiles at once: the configuration read
/// and checked once, one rule set per choice, in their order (`rurume serve`: the rules
/// it checks with and those its checklist is answered by).
pub(crate) fn load_configured_each(
    dir: Option<&PathBuf>,
    config: Option<&PathBuf>,
    choices: &[Profiles<'_>],
    lang: Lang,
) -> Result<(Vec<RuleSet>, Config), Failure> {
    for path in dir.iter().chain(config.iter()) {
        require_existing(path, lang)?;
    }
    let known = match dir {
        None => crate::rules::profile::builtin(),
        Some(dir) => {
            crate::rules::profile::in_folder(dir).unwrap_or_else(crate::rules::profile::builtin)
        }
    };
    let chosen = choices
        .iter()
        .map(|profiles| {
            let (values, every) = match *profiles {
                Profiles::Named(v) => (v, false),
                Profiles::NamedOrEvery(v) => (v, true),
                Profiles::Every(v) => {
                    profiles_named(v, &known, lang)?;
                    (&[][..], true)
                }
            };
            Ok((profiles_named(values, &known, lang)?, every))
        })
        .collect::<Result<Vec<_>, Failure>>()?;
    let load = |tuning: &Tuning| {
        match dir {
            Some(dir) => RuleSet::load_dir_tuned(dir, tuning),
            None => RuleSet::builtin_tuned(tuning),
        }
        .map_err(|e| e.in_lang(lang))
    };
    let every_profile = Tuning {
        profiles: Some(known.clone()),
        ..Tuning::default()
    };
    let path = match config {
        Some(path) => Some(path.clone()),
        None => std::env::current_dir().ok().and_then(|d| config::find(&d)),
    };
    let (tuning, config) = match path {
        None => (Tuning::default(), Config::default()),
        Some(path) => {
            let config =
                config::load(&path, &load(&every_profile)?).map_err(|e| e.in_lang(lang))?;
            (config.tuning.clone(), config)
        }
    };
    let mut sets = Vec::with_capacity(chosen.len());
    for (named, every) in chosen {
        let mut tuning = tuning.clone();
        if named.is_some() {
            tuning.profiles = named;
        } else if every {
            tuning.profiles = Some(known.clone());
        }
        sets.push(load(&tuning)?);
    }
    Ok((sets, config))
}

pub(crate) fn lang(choice: Option<Lang>) -> Lang {
    choice.unwrap_or_else(Lang::from_env)
}

pub(crate) fn today() -> Date {
    jiff::ZonedDateTime::now().date()
}

pub(crate) fn terminal_width() -> Option<usize> {
    if !std::io::stdout().is_terminal() {
        return None;
    }
    std::env::var("COLUMNS").ok()?.parse().ok()
}

/// Colour only on a terminal, and never with `NO_COLOR`.
pub(crate) fn use_color() -> bool {
    std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}

/// Writes to stdout; a closed pipe (`rurume check | head`) is not an error worth a panic.
pub(crate) fn print(text: &str) {
    let mut out = std::io::stdout().lock();
    let _ = out.write_all(text.as_bytes());
    let _ = out.flush();
}
