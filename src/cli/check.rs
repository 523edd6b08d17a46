//! `rurume check` and `rurume audit`: the same evaluation, two views.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use super::{
    AuditArgs, AuditFormat, CheckArgs, CommonArgs, Failure, Format, PathError, lang,
    load_configured, print, terminal_width, today, use_color,
};
use crate::engine::{self, Report};
use crate::inventory::walk;
use crate::output::{self, Summary};
use crate::rules::RuleSet;

/// Finds the files, loads the rules, and evaluates: what `check` and `audit` share.
/// `keep_text`: whether the output shows source lines (human) or needs the text (SARIF columns).
fn evaluate(common: &CommonArgs, keep_text: bool) -> Result<(RuleSet, Report), Failure> {
    let (rules, config) = load_configured(
        common.rules.as_ref(),
        common.config.as_ref(),
        &common.profile,
        lang(common.lang),
    )?;
    let as_of = common.as_of.unwrap_or_else(today);
    let paths = if common.paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        common.paths.clone()
    };
    let mut candidates =
        walk::discover(&paths).map_err(|e| PathError::from_walk(e, lang(common.lang)))?;
    candidates.retain(|c| !config.excludes(&c.path));
    // `--max-file-size`, else `[limits] max_file_size`, else the default.
    if let Some(limit) = common.max_file_size.or(config.max_file_size) {
        for c in &mut candidates {
            c.max_file_size = limit;
        }
    }
    let progress = progress_bar(candidates.len(), common.quiet, lang(common.lang));
    let report = engine::check_files(&candidates, &rules, as_of, keep_text, &|| progress.inc(1));
    progress.finish_and_clear();
    Ok((rules, report))
}

/// A progress bar on stderr for long runs, only when stderr is a terminal and not `--quiet`.
fn progress_bar(files: usize, quiet: bool, lang: crate::lang::Lang) -> indicatif::ProgressBar {
    if quiet || files < 200 || !std::io::stderr().is_terminal() {
        return indicatif::ProgressBar::hidden();
    }
    let bar = indicatif::ProgressBar::new(files as u64);
    if let Ok(style) = indicatif::ProgressStyle::with_template(lang.pick(
        "{bar:40} {pos}/{len} ファイル（{per_sec}、残り {eta}）",
        "{bar:40} {pos}/{len} files ({per_sec}, {eta})",
    )) {
        bar.set_style(style);
    }
    bar
}

pub fn check(args: CheckArgs) -> Result<ExitCode, Failure> {
    let lang = lang(args.common.lang);
    let (rules, report) = evaluate(
        &args.common,
        matches!(args.format, Format::Human | Format::Sarif),
    )?;
    let exit = args.common.fail_on.exit_code(&Summary::of(&report));
    let text = match args.format {
        Format::Json => {
            // Streamed: a large report never exists as one string. A closed pipe
            // (`| head`) is not an error of the check.
            let mut out = std::io::BufWriter::new(std::io::stdout().lock());
            let _ = output::json::write(&report, lang, &mut out).and_then(|()| out.flush());
            return Ok(exit);
        }
        Format::Human => {
            let style = output::human::Style {
                color: use_color(),
                width: terminal_width().unwrap_or(100),
                quiet: args.common.quiet,
            };
            output::human::render(&report, lang, style)
        }
        Format::Sarif => output::sarif::render(&report, &rules, lang),
        Format::Github => output::github::render(&report, &rules, lang),
        Format::Junit => output::junit::render(&report, &rules, lang),
    };
    print(&text);
    Ok(exit)
}

pub fn audit(args: AuditArgs) -> Result<ExitCode, Failure> {
    let lang = lang(args.common.lang);
    let (rules, report) = evaluate(&args.common, false)?;
    let matrix = crate::audit::Matrix::build(&report, &rules);
    let text = match args.format {
        AuditFormat::Table => {
            output::audit::table(&matrix, &rules, lang, terminal_width().unwrap_or(120))
        }
        AuditFormat::Json => output::audit::json(&matrix, &rules, lang),
        AuditFormat::Csv => output::audit::csv(&matrix, &rules, lang),
        AuditFormat::Html => output::audit::html(&matrix, &report, &rules, lang),
    };
    print(&text);
    Ok(args.common.fail_on.exit_code(&Summary::of(&report)))
}
