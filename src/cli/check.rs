//! `rurume check` and `rurume audit`: the same evaluation, two views.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use super::{
    AuditArgs, AuditFormat, CheckArgs, ChecklistArgs, ChecklistFormat, Failure, Format, InputArgs,
    PathError, Profiles, lang, load_configured, print, require_existing, terminal_width, today,
    use_color,
};
use crate::config::Config;
use crate::engine::{self, Report};
use crate::inventory::walk;
use crate::output::{self, Summary};
use crate::rules::RuleSet;

/// A round's report, never freed: the process ends once it is written, and freeing the
/// findings one by one would only delay that (about 10 ms for 44,000 findings).
fn kept_until_exit(report: Report) -> std::mem::ManuallyDrop<Report> {
    std::mem::ManuallyDrop::new(report)
}

/// Finds the files, loads the rules, and evaluates: what `check` and `audit` share.
/// `keep_text`: whether the output shows source lines (human); every other output reads
/// lines and columns from the findings ([`crate::engine::Located`]).
fn evaluate(
    input: &InputArgs,
    profiles: Profiles<'_>,
    quiet: bool,
    keep_text: bool,
) -> Result<(RuleSet, Config, Report), Failure> {
    let paths = if input.paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        input.paths.clone()
    };
    // The files are found while the rules load (a rule set's error is still said first).
    let (loaded, found) = rayon::join(
        || {
            load_configured(
                input.rules.as_ref(),
                input.config.as_ref(),
                profiles,
                lang(input.lang),
            )
        },
        || walk::discover(&paths),
    );
    let (rules, config) = loaded?;
    let report = evaluate_found(input, quiet, &rules, &config, found, keep_text)?;
    Ok((rules, config, report))
}

/// Evaluates the inventories of `paths` as of `--as-of` (a round, or the previous one).
fn evaluate_paths(
    input: &InputArgs,
    quiet: bool,
    rules: &RuleSet,
    config: &Config,
    paths: &[PathBuf],
    keep_text: bool,
) -> Result<Report, Failure> {
    let found = walk::discover(paths);
    evaluate_found(input, quiet, rules, config, found, keep_text)
}

/// Evaluates the inventories found (or says why they could not be).
fn evaluate_found(
    input: &InputArgs,
    quiet: bool,
    rules: &RuleSet,
    config: &Config,
    found: Result<Vec<walk::Candidate>, walk::WalkError>,
    keep_text: bool,
) -> Result<Report, Failure> {
    let as_of = input.as_of.unwrap_or_else(today);
    let mut candidates = found.map_err(|e| PathError::from_walk(e, lang(input.lang)))?;
    candidates.retain(|c| !config.excludes(&c.path));
    // `--max-file-size`, else `[limits] max_file_size`, else the default.
    if let Some(limit) = input.max_file_size.or(config.max_file_size) {
        for c in &mut candidates {
            c.max_file_size = limit;
        }
    }
    let progress = progress_bar(candidates.len(), quiet, lang(input.lang));
    let report = engine::check_files(&candidates, rules, as_of, keep_text, &|| progress.inc(1));
    progress.finish_and_clear();
    Ok(report)
}

/// Notes on stderr (not with `--quiet`): what the run did not count or could not read.
fn notes(quiet: bool, notes: &[String]) {
    if quiet || notes.is_empty() {
        return;
    }
    let mut err = std::io::stderr().lock();
    for note in notes {
        let _ = writeln!(err, "note: {note}");
    }
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
    let common = &args.common;
    let lang = lang(common.input.lang);
    let (rules, _, report) = evaluate(
        &common.input,
        Profiles::Named(&common.input.profile),
        common.quiet,
        matches!(args.format, Format::Human),
    )?;
    let report = kept_until_exit(report);
    let exit = args.common.fail_on.exit_code(&Summary::of(&report));
    // Resubmissions: each superseded file once, whatever the format.
    let superseded: Vec<String> = crate::audit::superseded::of_report(&report)
        .iter()
        .map(|s| s.note(lang))
        .collect();
    notes(args.common.quiet, &superseded);
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
            // Streamed like JSON: drawn in parallel a batch at a time, written in order.
            let mut out = std::io::BufWriter::new(std::io::stdout().lock());
            let _ = output::human::write(&report, lang, style, &mut out).and_then(|()| out.flush());
            return Ok(exit);
        }
        Format::Sarif => {
            // Streamed like JSON: a batch of files' results at a time.
            let mut out = std::io::BufWriter::new(std::io::stdout().lock());
            let _ =
                output::sarif::write(&report, &rules, lang, &mut out).and_then(|()| out.flush());
            return Ok(exit);
        }
        Format::Github => output::github::render(&report, &rules, lang),
        Format::Junit => output::junit::render(&report, &rules, lang),
    };
    print(&text);
    Ok(exit)
}

/// `rurume checklist`: the MHLW checklist answered from the findings of both profiles'
/// rules, whatever `profiles` says; exit 1 when any answer is いいえ.
pub fn checklist(args: ChecklistArgs) -> Result<ExitCode, Failure> {
    let lang_ = lang(args.input.lang);
    // A profile that does not exist is still a usage error, though none narrows the run.
    let (rules, _, report) = evaluate(
        &args.input,
        Profiles::Every(&args.input.profile),
        args.quiet,
        false,
    )?;
    let checklist =
        crate::checklist::Checklist::of(&rules).map_err(|message| ChecklistError { message })?;
    let answers = crate::checklist::answer(&checklist, &report, &rules);
    let text = match args.format {
        ChecklistFormat::Json => crate::checklist::render::json(&answers, report.as_of),
        ChecklistFormat::Human => {
            crate::checklist::render::human(&checklist, &answers, lang_, args.quiet)
        }
        ChecklistFormat::Html => {
            crate::checklist::render::html(&checklist, &answers, report.as_of, lang_)
        }
    };
    print(&text);
    let any_no = answers
        .iter()
        .any(|f| f.count(crate::checklist::Answer::No) > 0);
    Ok(if any_no {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// The built-in checklist does not load (a broken build): exit 2.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[error("{message}")]
#[diagnostic(code(invalid_checklist))]
struct ChecklistError {
    message: String,
}

pub fn audit(args: AuditArgs) -> Result<ExitCode, Failure> {
    let common = &args.common;
    let lang = lang(common.input.lang);
    for path in [&args.roster, &args.previous].into_iter().flatten() {
        require_existing(path, lang)?;
    }
    let letters = args
        .letters
        .as_deref()
        .map(|dir| prepare_letters(dir, lang))
        .transpose()?;
    let (rules, config, report) = evaluate(
        &common.input,
        Profiles::Named(&common.input.profile),
        common.quiet,
        false,
    )?;
    let report = kept_until_exit(report);
    let mut matrix = crate::audit::Matrix::build(&report, &rules);
    if rules.answers_checklist() {
        let list = crate::checklist::Checklist::of(&rules)
            .map_err(|message| ChecklistError { message })?;
        matrix.answer_checklist(&report, &rules, &list);
    }
    let mut said: Vec<String> = matrix.superseded.iter().map(|s| s.note(lang)).collect();
    if let Some(path) = &args.roster {
        let roster = read_roster(path);
        said.extend(roster.notes.iter().map(|n| n.get(lang).to_owned()));
        if roster.unusable {
            said.push(crate::audit::roster::unusable_note(lang).to_owned());
        }
        matrix.compare_roster(&roster);
    }
    let previous = match &args.previous {
        Some(dir) => {
            let previous = evaluate_paths(
                &common.input,
                common.quiet,
                &rules,
                &config,
                std::slice::from_ref(dir),
                false,
            )?;
            said.extend(previous_notes(dir, &previous, lang));
            matrix.compare_previous(&report, &previous);
            Some(previous)
        }
        None => None,
    };
    if let Some(dir) = &letters {
        let round = output::letters::Round::new(&config.round, args.deadline, matrix.as_of);
        said.extend(output::letters::write_all(
            dir,
            &matrix,
            &rules,
            &report,
            previous.as_ref(),
            &round,
            // A letter is Japanese unless `--lang en` says otherwise (cli.md): the
            // office's terminal language is not the facility's.
            common.input.lang.unwrap_or(crate::lang::Lang::Ja),
        ));
    }
    let text = match args.format {
        AuditFormat::Table => {
            output::audit::table(&matrix, &rules, lang, terminal_width().unwrap_or(120))
        }
        AuditFormat::Csv => output::audit::csv(&matrix, &rules, lang),
        AuditFormat::Html => output::audit::html(&matrix, &report, &rules, lang),
        AuditFormat::Json => {
            // Streamed: a round's document never exists as one string.
            let mut out = std::io::BufWriter::new(std::io::stdout().lock());
            let _ = output::audit::write_json(&matrix, lang, &mut out).and_then(|()| out.flush());
            String::new()
        }
    };
    print(&text);
    notes(common.quiet, &said);
    Ok(common.fail_on.exit_code(&Summary::of(&report)))
}

/// Reads `--roster`: a file that cannot be read is a roster that cannot be used.
fn read_roster(path: &std::path::Path) -> crate::audit::roster::Roster {
    let name = walk::display_path(path);
    let toml = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("toml"));
    match std::fs::read(path) {
        Ok(bytes) => crate::audit::roster::Roster::read(&bytes, &name, toml),
        Err(e) => crate::audit::roster::Roster::unreadable(&name, &e.to_string()),
    }
}

/// What the office should know about the previous round's folder.
fn previous_notes(
    dir: &std::path::Path,
    previous: &Report,
    lang: crate::lang::Lang,
) -> Vec<String> {
    let name = walk::display_path(dir);
    let mut out: Vec<String> = crate::audit::superseded::of_report(previous)
        .iter()
        .map(|s| s.note(lang))
        .collect();
    if previous.files.is_empty() {
        out.push(match lang {
            crate::lang::Lang::Ja => format!(
                "前回分 {name}: 台帳がありません。すべての指摘を「新たな指摘」として数えます"
            ),
            crate::lang::Lang::En => {
                format!("previous round {name}: no inventories; every finding counts as new")
            }
        });
    }
    let broken = previous
        .files
        .iter()
        .filter(|f| {
            f.findings
                .iter()
                .any(|l| l.finding.rule == crate::engine::builtin::SYNTAX.id)
        })
        .count();
    if broken > 0 {
        out.push(match lang {
            crate::lang::Lang::Ja => format!(
                "前回分 {name}: {broken} 件の台帳が読めません（inventory-syntax）。読めた台帳と同じく、その指摘と比べます"
            ),
            crate::lang::Lang::En => format!(
                "previous round {name}: {broken} inventories cannot be read (inventory-syntax); they are compared by that finding, like the others"
            ),
        });
    }
    out
}

/// The letters' folder, created if needed; a path that is a file is an unusable argument.
fn prepare_letters(dir: &std::path::Path, lang: crate::lang::Lang) -> Result<PathBuf, Failure> {
    match std::fs::create_dir_all(dir) {
        Ok(()) => Ok(dir.to_owned()),
        Err(e) => Err(Failure(miette::miette!(
            "{}",
            match lang {
                crate::lang::Lang::Ja => format!(
                    "{}: お知らせを書き出すフォルダを作れません（{e}）",
                    walk::display_path(dir)
                ),
                crate::lang::Lang::En => format!(
                    "{}: cannot create the letters' folder ({e})",
                    walk::display_path(dir)
                ),
            }
        ))),
    }
}
