//! Throughput of `rurume check` and `rurume audit` against the physical limit of any JSON
//! linter (reading every file and parsing it into a `serde_json::Value`), on a generated
//! corpus (see `corpus.rs`).
//!
//! ```sh
//! cargo run --release --bin bench -- --files 2000 [--dir DIR] [--threads N] [--runs 3]
//! cargo run --release --bin bench -- --password      # zxcvbn: first (dictionary) and warm call
//! cargo run --release --bin bench -- --human         # human output of >= 10,000 findings
//! cargo run --release --bin bench -- --parse         # (a) alone: to compare allocators,
//! cargo run --release --no-default-features --bin bench -- --parse   # system allocator
//! ```
//!
//! `--profile findings` generates the findings-heavy corpus (about twenty findings per
//! file) instead of the realistic one. The allocator is the crate's (`mimalloc` feature):
//! (a) is measured with the same allocator as (b) and (c).
//!
//! Every measurement runs in this process with the same rayon thread count, after one
//! warm-up pass (so the files are in the page cache), `--runs` times; the best and the
//! median are reported. MB are 10^6 bytes of input.

#[path = "corpus.rs"]
#[allow(dead_code)]
mod corpus;

use std::hint::black_box;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, Instant};

use rayon::prelude::*;

use rurume::engine::{self, Report};
use rurume::inventory::Inventory;
use rurume::inventory::walk;
use rurume::lang::Lang;
use rurume::output;
use rurume::rules::RuleSet;

const USAGE: &str = "usage: bench [--files N] [--dir DIR] [--threads N] [--runs N] [--seed S] \
[--accounts A-B] [--devices A-B | --size-kb A-B] [--profile realistic|findings] [--password | --human [--findings N] | --parse | --workbooks | --round]";

#[derive(Clone, Copy, PartialEq)]
enum Mode {
    Throughput,
    Password,
    Human,
    Parse,
    Workbooks,
    Round,
}

struct Args {
    mode: Mode,
    files: usize,
    dir: Option<PathBuf>,
    threads: Option<usize>,
    runs: usize,
    seed: u64,
    findings: usize,
    shape: corpus::Shape,
}

fn parse_args() -> Result<Args, String> {
    let mut a = Args {
        mode: Mode::Throughput,
        files: 2000,
        dir: None,
        threads: None,
        runs: 3,
        seed: 1,
        findings: 10_000,
        shape: corpus::Shape::default(),
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        match flag.as_str() {
            "--password" => a.mode = Mode::Password,
            "--human" => a.mode = Mode::Human,
            "--parse" => a.mode = Mode::Parse,
            "--workbooks" => a.mode = Mode::Workbooks,
            "--round" => a.mode = Mode::Round,
            "-h" | "--help" => return Err(String::new()),
            _ => {
                let value = it.next().ok_or_else(|| format!("{flag} needs a value"))?;
                let number = || {
                    value
                        .parse::<usize>()
                        .map_err(|_| format!("bad {flag} {value:?}"))
                };
                match flag.as_str() {
                    "--files" => a.files = number()?,
                    "--dir" => a.dir = Some(PathBuf::from(&value)),
                    "--threads" => a.threads = Some(number()?.max(1)),
                    "--runs" => a.runs = number()?.max(1),
                    "--seed" => a.seed = number()? as u64,
                    "--findings" => a.findings = number()?,
                    _ => {
                        if !corpus::shape_flag(&mut a.shape, &flag, &value)? {
                            return Err(format!("unknown option {flag}"));
                        }
                    }
                }
            }
        }
    }
    Ok(a)
}

fn main() -> ExitCode {
    rurume::tune_allocator();
    let args = match parse_args() {
        Ok(a) => a,
        Err(e) => {
            if !e.is_empty() {
                eprintln!("{e}");
            }
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    let threads = args
        .threads
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()));
    if let Err(e) = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build_global()
    {
        eprintln!("rayon: {e}");
        return ExitCode::from(2);
    }
    let result = match args.mode {
        Mode::Password => {
            password();
            Ok(())
        }
        Mode::Human => human(&args, threads),
        Mode::Workbooks => workbooks(&args),
        Mode::Round => round(&args),
        Mode::Throughput | Mode::Parse => throughput(&args, threads),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("bench: {e}");
            ExitCode::from(2)
        }
    }
}

fn as_of() -> jiff::civil::Date {
    corpus::AS_OF.parse().expect("a valid date")
}

// ----------------------------------------------------------------------------------------
// Timing

struct Stats {
    best: Duration,
    median: Duration,
    /// CPU time (user + system, all threads) of the run with the least: unlike wall time,
    /// hardly affected by other processes competing for the cores.
    cpu: Duration,
    /// Each run's time, in order: run `i` of every measurement was made in round `i`
    /// (empty unless measured by [`interleaved`]).
    rounds: Vec<Duration>,
}

/// CPU time used by this process so far (all threads), from `/proc/self/stat`.
fn cpu_time() -> Duration {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    // Fields after the command name (which is in parentheses and may contain spaces).
    let rest = stat.rsplit_once(')').map_or("", |(_, r)| r);
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let ticks = |i: usize| {
        fields
            .get(i)
            .and_then(|f| f.parse::<u64>().ok())
            .unwrap_or(0)
    };
    // utime and stime are fields 14 and 15 of stat(5), 12 and 13 after the command name.
    Duration::from_millis((ticks(11) + ticks(12)) * 10)
}

/// The 1-minute load average: above the number of cores, other processes competed.
fn load() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .ok()
        .and_then(|l| l.split_whitespace().next().map(str::to_owned))
        .unwrap_or_else(|| "?".to_owned())
}

/// One warm-up pass, then `runs` timed ones.
fn measure<T>(runs: usize, mut f: impl FnMut() -> T) -> (Stats, T) {
    let mut last = black_box(f());
    let mut times = Vec::with_capacity(runs);
    let mut cpu = Duration::MAX;
    for _ in 0..runs {
        let (start, start_cpu) = (Instant::now(), cpu_time());
        let result = black_box(f());
        times.push(start.elapsed());
        cpu = cpu.min(cpu_time().saturating_sub(start_cpu));
        // What a run returns is freed after it is timed, as `rurume` ends without freeing
        // its report (`cli::check`).
        last = result;
    }
    times.sort();
    let stats = Stats {
        best: times[0],
        median: times[times.len() / 2],
        cpu,
        rounds: Vec::new(),
    };
    (stats, last)
}

/// One warm-up round, then `runs` timed rounds, each running every measurement once in
/// turn: whatever else the machine does at a moment weighs on all of them alike, and the
/// ratios of one round ([`Stats::rounds`]) compare runs made seconds apart, not minutes.
/// What a run returns is dropped after it is timed, before the next measurement starts.
fn interleaved<const N: usize>(
    runs: usize,
    mut tasks: [&mut dyn FnMut() -> Box<dyn std::any::Any>; N],
) -> [Stats; N] {
    for task in tasks.iter_mut() {
        drop(black_box(task()));
    }
    let mut times = vec![Vec::with_capacity(runs); N];
    let mut cpu = [Duration::MAX; N];
    for _ in 0..runs {
        for (i, task) in tasks.iter_mut().enumerate() {
            let (start, start_cpu) = (Instant::now(), cpu_time());
            let result = black_box(task());
            times[i].push(start.elapsed());
            cpu[i] = cpu[i].min(cpu_time().saturating_sub(start_cpu));
            drop(result);
        }
    }
    std::array::from_fn(|i| {
        let mut sorted = times[i].clone();
        sorted.sort();
        Stats {
            best: sorted[0],
            median: sorted[sorted.len() / 2],
            cpu: cpu[i],
            rounds: times[i].clone(),
        }
    })
}

/// The median over the rounds of `x`'s time divided by `y`'s in the same round, with the
/// lowest and highest: `(a)` over `(b)` is (b)'s throughput as a share of (a)'s.
fn in_rounds(x: &Stats, y: &Stats) -> String {
    let mut ratios: Vec<f64> = x
        .rounds
        .iter()
        .zip(&y.rounds)
        .map(|(x, y)| x.as_secs_f64() / y.as_secs_f64().max(1e-9))
        .collect();
    ratios.sort_by(f64::total_cmp);
    match (ratios.first(), ratios.last()) {
        (Some(low), Some(high)) => {
            format!("{:.2} ({low:.2}–{high:.2})", ratios[ratios.len() / 2])
        }
        _ => "–".to_owned(),
    }
}

fn secs(d: Duration) -> String {
    let s = d.as_secs_f64();
    if s < 0.01 {
        format!("{:.2} ms", s * 1e3)
    } else {
        format!("{s:.3} s")
    }
}

// ----------------------------------------------------------------------------------------
// The machine

/// `nproc`, CPU model, RAM, kernel and compiler, and the rayon threads when they matter.
fn machine(threads: Option<usize>) -> String {
    let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    let model = cpuinfo
        .lines()
        .find(|l| l.starts_with("model name"))
        .and_then(|l| l.split_once(':'))
        .map_or("unknown CPU".to_owned(), |(_, v)| v.trim().to_owned());
    let meminfo = std::fs::read_to_string("/proc/meminfo").unwrap_or_default();
    let ram = meminfo
        .lines()
        .find(|l| l.starts_with("MemTotal:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|kb| kb.parse::<f64>().ok())
        .map_or("? GiB".to_owned(), |kb| {
            format!("{:.1} GiB", kb / 1024.0 / 1024.0)
        });
    let nproc = std::thread::available_parallelism().map_or(1, |n| n.get());
    let kernel = std::fs::read_to_string("/proc/sys/kernel/osrelease").unwrap_or_default();
    let rustc = std::process::Command::new("rustc")
        .arg("--version")
        .output()
        .ok()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
        .unwrap_or_default();
    let threads = threads.map_or(String::new(), |n| format!("; rayon threads: {n}"));
    format!(
        "{model}, nproc {nproc}, {ram} RAM, Linux {}, {rustc}{threads}",
        kernel.trim()
    )
}

// ----------------------------------------------------------------------------------------
// A submission round: `audit --previous DIR --letters DIR --format json`

/// `--round`: two rounds of `--files` facilities (the corpus with `--seed` and with
/// `--seed + 1`: the same facility ids, other contents), evaluated both as of the same
/// date, compared, and one letter written per facility; timed as the audit runs it.
fn round(args: &Args) -> Result<(), String> {
    use rurume::audit::Matrix;
    let temp = tempfile::Builder::new()
        .prefix("rurume-bench-round-")
        .tempdir()
        .map_err(|e| e.to_string())?;
    let (prev, now, letters) = (
        temp.path().join("prev"),
        temp.path().join("now"),
        temp.path().join("letters"),
    );
    corpus::write_corpus(&prev, args.files, args.seed, &args.shape).map_err(|e| e.to_string())?;
    corpus::write_corpus(&now, args.files, args.seed + 1, &args.shape)
        .map_err(|e| e.to_string())?;
    std::fs::create_dir_all(&letters).map_err(|e| e.to_string())?;
    let rules = RuleSet::builtin().expect("built-in rules load");
    let as_of = as_of();
    let round = rurume::output::letters::Round {
        date: as_of,
        ..Default::default()
    };
    let (t, (facilities, changes, json)) = measure(args.runs, || {
        let evaluate = |dir: &Path| {
            let candidates = walk::discover(&[dir.to_owned()]).expect("the corpus exists");
            engine::check_files(&candidates, &rules, as_of, false, &|| {})
        };
        let report = evaluate(&now);
        let previous = evaluate(&prev);
        let mut m = Matrix::build(&report, &rules);
        m.compare_previous(&report, &previous);
        let notes = rurume::output::letters::write_all(
            &letters,
            &m,
            &rules,
            &report,
            Some(&previous),
            &round,
            Lang::Ja,
        );
        // The corpus's broken files have no readable id: a note each, no letter.
        black_box(notes.len());
        let json = rurume::output::audit::json(&m, &rules, Lang::Ja);
        let p = m.previous.clone().unwrap_or_default();
        (m.rows.len(), p.total, json.len())
    });
    let written = std::fs::read_dir(&letters)
        .map_err(|e| e.to_string())?
        .count();
    println!(
        "audit --previous --letters --format json, {} facilities per round ({}): best {}, median {}, CPU {}",
        facilities,
        rurume::ALLOCATOR_NAME,
        secs(t.best),
        secs(t.median),
        secs(t.cpu)
    );
    println!(
        "{written} letters; changes: {} new, {} fixed, {} persisting; JSON {} KB",
        changes.new,
        changes.fixed,
        changes.persisting,
        json / 1024
    );
    Ok(())
}

// ----------------------------------------------------------------------------------------
// Throughput: (a) parse only, (b) check --format json, (c) audit --format json

fn json_files(dir: &Path) -> Result<Vec<PathBuf>, String> {
    let candidates = walk::discover(&[dir.to_owned()]).map_err(|e| e.to_string())?;
    Ok(candidates.into_iter().map(|c| c.path).collect())
}

/// `--workbooks`: the same corpus as JSON files and as workbooks (each valid file
/// converted as `rurume convert` does), `check --format json` timed on each: files/s.
fn workbooks(args: &Args) -> Result<(), String> {
    use rurume::lang::Lang;
    use rurume::workbook::{layout::Layout, write};
    let temp = tempfile::Builder::new()
        .prefix("rurume-bench-wb-")
        .tempdir()
        .map_err(|e| e.to_string())?;
    let (json_dir, xlsx_dir) = (temp.path().join("json"), temp.path().join("xlsx"));
    corpus::write_corpus(&json_dir, args.files, args.seed, &args.shape)
        .map_err(|e| e.to_string())?;
    std::fs::create_dir_all(&xlsx_dir).map_err(|e| e.to_string())?;
    // Only what parses converts: the corpus's broken files stay JSON in both folders.
    let paths = json_files(&json_dir)?;
    let mut converted = 0;
    for p in &paths {
        let name = p.file_name().expect("a file name");
        let bytes = std::fs::read(p).map_err(|e| e.to_string())?;
        match serde_json::from_slice::<serde_json::Value>(&bytes) {
            Ok(value) if value.is_object() => {
                let book =
                    write::xlsx(&value, Layout::get(), Lang::Ja).map_err(|e| e.to_string())?;
                std::fs::write(xlsx_dir.join(name).with_extension("xlsx"), book)
                    .map_err(|e| e.to_string())?;
                converted += 1;
            }
            _ => std::fs::write(xlsx_dir.join(name), bytes).map_err(|e| e.to_string())?,
        }
    }
    let rules = RuleSet::builtin().expect("built-in rules load");
    let as_of = as_of();
    let time = |dir: &std::path::Path| {
        measure(args.runs, || {
            let candidates = walk::discover(&[dir.to_owned()]).expect("the corpus exists");
            let report = engine::check_files(&candidates, &rules, as_of, false, &|| {});
            let text = output::json::render(&report, Lang::En);
            (report.findings().count(), text.len())
        })
    };
    let (j, (json_findings, _)) = time(&json_dir);
    let (x, (xlsx_findings, _)) = time(&xlsx_dir);
    let per_sec = |d: Duration| paths.len() as f64 / d.as_secs_f64();
    println!(
        "{} files, {converted} of them as workbooks ({})",
        paths.len(),
        rurume::ALLOCATOR_NAME
    );
    println!(
        "check --format json, JSON files: {} ({:.0} files/s), {json_findings} findings",
        secs(j.best),
        per_sec(j.best)
    );
    println!(
        "check --format json, workbooks:  {} ({:.0} files/s), {xlsx_findings} findings",
        secs(x.best),
        per_sec(x.best)
    );
    Ok(())
}

fn throughput(args: &Args, threads: usize) -> Result<(), String> {
    let temp;
    let dir: PathBuf = match &args.dir {
        Some(d) => d.clone(),
        None => {
            temp = tempfile::Builder::new()
                .prefix("rurume-bench-")
                .tempdir()
                .map_err(|e| e.to_string())?;
            temp.path().to_owned()
        }
    };
    let existing = if dir.is_dir() {
        json_files(&dir)?
    } else {
        vec![]
    };
    let generated = if existing.is_empty() {
        let start = Instant::now();
        corpus::write_corpus(&dir, args.files, args.seed, &args.shape)
            .map_err(|e| format!("{}: {e}", dir.display()))?;
        Some(start.elapsed())
    } else {
        None
    };
    let paths = json_files(&dir)?;
    let files = paths.len();
    let bytes: u64 = paths
        .iter()
        .map(|p| std::fs::metadata(p).map_or(0, |m| m.len()))
        .sum();
    let mb = bytes as f64 / 1e6;
    let as_of = as_of();
    eprintln!(
        "measuring {files} files ({mb:.1} MB) in {} ...",
        dir.display()
    );
    let load_before = load();

    // (a) the physical limit: read and parse every file, in parallel.
    let parse_all = || {
        paths
            .par_iter()
            .map(|p| {
                let bytes = std::fs::read(p).expect("readable");
                usize::from(serde_json::from_slice::<serde_json::Value>(&bytes).is_ok())
            })
            .sum::<usize>()
    };
    if args.mode == Mode::Parse {
        let (a, parsed) = measure(args.runs, parse_all);
        println!(
            "(a) with {}: best {}, median {}, CPU {} ({parsed}/{files} files, {mb:.1} MB; load {load_before}/{}; {})",
            rurume::ALLOCATOR_NAME,
            secs(a.best),
            secs(a.median),
            secs(a.cpu),
            load(),
            machine(Some(threads)),
        );
        return Ok(());
    }
    let mut parsed = 0;

    // (b) `rurume check --format json`, with its stages timed.
    let mut stages = [Duration::ZERO; 4];
    let mut best_stages: Option<[Duration; 4]> = None;
    let mut report: Option<Report> = None;
    let mut json_len = 0;
    // (b) with SARIF and with human output (no colour, width 100), which shows the text
    // (`keep_text`), as `cli::check` runs them.
    let rendered = |keep_text: bool, render: &dyn Fn(&Report, &RuleSet) -> usize| {
        let ((candidates, _), (rules, _)) = found_and_rules(&dir);
        let report = engine::check_files(&candidates, &rules, as_of, keep_text, &|| {});
        let written = render(&report, &rules);
        (report, written)
    };
    let style = output::human::Style {
        color: false,
        width: 100,
        quiet: false,
    };
    let (mut sarif_len, mut human_len, mut audit_len) = (0, 0, 0);
    // What a run returns is freed after it is timed, as `rurume` ends without freeing its
    // report (`cli::check`).
    type Kept = Box<dyn std::any::Any>;
    let [a, b, c, sarif, human] = interleaved(
        args.runs,
        [
            &mut || {
                parsed = parse_all();
                Box::new(()) as Kept
            },
            &mut || {
                let ((candidates, discovering), (rules, loading)) = found_and_rules(&dir);
                let t2 = Instant::now();
                let new = engine::check_files(&candidates, &rules, as_of, false, &|| {});
                let t3 = Instant::now();
                json_len = streamed(|out| output::json::write(&new, Lang::En, out));
                let t4 = Instant::now();
                for (s, d) in stages
                    .iter_mut()
                    .zip([discovering, loading, t3 - t2, t4 - t3])
                {
                    *s = d;
                }
                let total = |s: &[Duration; 4]| s.iter().sum::<Duration>();
                if best_stages.is_none_or(|best| total(&stages) < total(&best)) {
                    best_stages = Some(stages);
                }
                Box::new((rules, report.replace(new))) as Kept
            },
            &mut || {
                let ((candidates, _), (rules, _)) = found_and_rules(&dir);
                let report = engine::check_files(&candidates, &rules, as_of, false, &|| {});
                let matrix = rurume::audit::Matrix::build(&report, &rules);
                audit_len = streamed(|out| output::audit::write_json(&matrix, Lang::En, out));
                Box::new((report, matrix)) as Kept
            },
            &mut || {
                let (report, written) = rendered(false, &|report, rules| {
                    streamed(|out| output::sarif::write(report, rules, Lang::En, out))
                });
                sarif_len = written;
                Box::new(report) as Kept
            },
            &mut || {
                let (report, written) = rendered(true, &|report, _| {
                    streamed(|out| output::human::write(report, Lang::En, style, out))
                });
                human_len = written;
                Box::new(report) as Kept
            },
        ],
    );
    let best_stages = best_stages.expect("at least one run");
    let report = report.expect("at least one run");
    let summary = output::Summary::of(&report);
    let findings = report.findings().count();
    drop(report);

    let load_after = load();
    let row = |name: &str, s: &Stats| {
        let t = s.best.as_secs_f64();
        format!(
            "| {name} | {} | {} | {:.0} | {:.1} | {:.2}× | {} | {:.2}× |",
            secs(s.best),
            secs(s.median),
            files as f64 / t,
            mb / t,
            a.best.as_secs_f64() / t,
            secs(s.cpu),
            a.cpu.as_secs_f64() / s.cpu.as_secs_f64().max(1e-9),
        )
    };
    println!("### Performance\n");
    println!(
        "Machine: {}; allocator: {}.",
        machine(Some(threads)),
        rurume::ALLOCATOR_NAME
    );
    println!(
        "Corpus: {files} {}, {mb:.1} MB, {:.1} KB per file; \
         as of {}: {findings} findings ({} errors, {} warnings, {} waived); {parsed}/{files} files are valid JSON.\n",
        match generated {
            Some(g) => format!(
                "generated inventories (`corpus --count {} --seed {} {}`, {})",
                args.files,
                args.seed,
                args.shape.flags(),
                secs(g)
            ),
            None => format!("inventories found in {}", dir.display()),
        },
        bytes as f64 / 1e3 / files.max(1) as f64,
        corpus::AS_OF,
        summary.errors,
        summary.warnings,
        summary.waived,
    );
    println!(
        "Best and median of {} rounds after one warm-up round (files in the page cache), all in one process with the same rayon pool; \
         each round runs every measurement once, in the order of the table:\n",
        args.runs
    );
    println!("| measurement | best | median | files/s | MB/s | vs (a) | CPU time | vs (a), CPU |");
    println!("|---|---:|---:|---:|---:|---:|---:|---:|");
    println!(
        "{}",
        row(
            "(a) read + `serde_json::from_slice::<Value>`, parallel (the limit)",
            &a
        )
    );
    println!(
        "{}",
        row("(b) `rurume check --format json` (in-process)", &b)
    );
    println!(
        "{}",
        row("(c) `rurume audit --format json` (in-process)", &c)
    );
    println!(
        "{}",
        row("`rurume check --format sarif` (in-process)", &sarif)
    );
    println!(
        "{}",
        row("`rurume check` human output (in-process)", &human)
    );
    println!();
    println!(
        "(b) best run by stage: discover {} while the built-in rules load {}, `check_files` {}, JSON render {} ({:.1} MB of output); \
         (c) output {:.1} MB; SARIF {:.1} MB, human {:.1} MB.",
        secs(best_stages[0]),
        secs(best_stages[1]),
        secs(best_stages[2]),
        secs(best_stages[3]),
        json_len as f64 / 1e6,
        audit_len as f64 / 1e6,
        sarif_len as f64 / 1e6,
        human_len as f64 / 1e6,
    );
    println!(
        "\nRatios (throughput, best runs): (b)/(a) = {:.2}, (c)/(a) = {:.2} (target ≥ 0.5); \
         median of the {} rounds' ratios: {} and {}; \
         by CPU time: {:.2} and {:.2}. Load average before/after: {load_before}/{load_after} on {} cores.",
        a.best.as_secs_f64() / b.best.as_secs_f64(),
        a.best.as_secs_f64() / c.best.as_secs_f64(),
        args.runs,
        in_rounds(&a, &b),
        in_rounds(&a, &c),
        a.cpu.as_secs_f64() / b.cpu.as_secs_f64().max(1e-9),
        a.cpu.as_secs_f64() / c.cpu.as_secs_f64().max(1e-9),
        std::thread::available_parallelism().map_or(1, |n| n.get()),
    );
    println!(
        "\nSARIF and human output against JSON's time (best runs): {:.2}× and {:.2}× (target ≤ 1.5×); \
         median of the rounds' ratios: {}× and {}×.",
        sarif.best.as_secs_f64() / b.best.as_secs_f64(),
        human.best.as_secs_f64() / b.best.as_secs_f64(),
        in_rounds(&sarif, &b),
        in_rounds(&human, &b),
    );
    println!(
        "\nPeak memory is measured outside this process, on 10,000 files, with the real binary:\n"
    );
    println!("```sh");
    println!("cargo build --release");
    println!(
        "target/release/corpus --out /tmp/rurume-10k --count 10000 --seed {}",
        args.seed
    );
    println!(
        "/usr/bin/time -v target/release/rurume check --format json --as-of {} /tmp/rurume-10k > /dev/null",
        corpus::AS_OF
    );
    println!("# read \"Maximum resident set size (kbytes)\" (target ≤ 150 MB)");
    println!("```");
    Ok(())
}

// ----------------------------------------------------------------------------------------
// --password: zxcvbn's first call builds its dictionaries

fn password() {
    let start = Instant::now();
    let first = zxcvbn::zxcvbn(
        "Ishida2026!",
        &["ishida", "misaki", "midori", "example", "jp"],
    );
    let cold = start.elapsed();
    black_box(first.score());
    let candidates = [
        "correct horse battery staple",
        "Tr0ub4dour&3",
        "sakura2026",
        "kx7!Vd9#qLm2",
        "東久留米2026",
        "みどりのまど",
    ];
    let mut warm = Vec::new();
    for _ in 0..20 {
        for p in candidates {
            let start = Instant::now();
            black_box(
                zxcvbn::zxcvbn(p, &["ishida", "misaki", "midori", "example", "jp", "F0001"])
                    .score(),
            );
            warm.push(start.elapsed());
        }
    }
    warm.sort();
    println!("### zxcvbn\n");
    println!("Machine: {}.\n", machine(None));
    println!("| call | time |");
    println!("|---|---:|");
    println!(
        "| first `zxcvbn::zxcvbn` in the process (builds the dictionaries) | {} |",
        secs(cold)
    );
    println!(
        "| warm call, median of {} | {} |",
        warm.len(),
        secs(warm[warm.len() / 2])
    );
    println!(
        "| warm call, slowest | {} |",
        secs(*warm.last().expect("calls"))
    );
}

// ----------------------------------------------------------------------------------------
// --human: miette's rendering of many findings

fn human(args: &Args, threads: usize) -> Result<(), String> {
    let rules = RuleSet::builtin().map_err(|_| "the built-in rules do not load".to_owned())?;
    let as_of = as_of();
    let mut generator = corpus::Generator::new(args.seed, args.shape.clone());
    let mut texts: Vec<(String, String)> = Vec::new();
    // Generate in chunks, counting each chunk's findings, until the target is reached.
    let mut estimate = 0usize;
    while estimate < args.findings {
        let chunk: Vec<(String, String)> = (0..200)
            .map(|_| {
                let f = generator.next_file();
                (format!("corpus/{}", f.name), f.text)
            })
            .collect();
        let report = check(&chunk, &rules, as_of);
        estimate += report.findings().count();
        texts.extend(chunk);
    }
    let report = check(&texts, &rules, as_of);
    let findings = report.findings().count();
    let style = output::human::Style {
        color: false,
        width: 100,
        quiet: false,
    };
    let (en, en_len) = measure(args.runs, || {
        output::human::render(&report, Lang::En, style).len()
    });
    let (ja, ja_len) = measure(args.runs, || {
        output::human::render(&report, Lang::Ja, style).len()
    });
    let (js, js_len) = measure(args.runs, || output::json::render(&report, Lang::En).len());
    println!("### Human output\n");
    println!("Machine: {}.", machine(Some(threads)));
    println!(
        "Report: {findings} findings in {} generated files (`--seed {}`); best and median of {} runs after a warm-up.\n",
        texts.len(),
        args.seed,
        args.runs
    );
    println!("| rendering | best | median | findings/s | output |");
    println!("|---|---:|---:|---:|---:|");
    for (name, s, len) in [
        (
            "`human::render`, English, no colour, width 100",
            &en,
            en_len,
        ),
        (
            "`human::render`, Japanese, no colour, width 100",
            &ja,
            ja_len,
        ),
        ("`json::render` (for comparison)", &js, js_len),
    ] {
        println!(
            "| {name} | {} | {} | {:.0} | {:.1} MB |",
            secs(s.best),
            secs(s.median),
            findings as f64 / s.best.as_secs_f64(),
            len as f64 / 1e6
        );
    }
    Ok(())
}

/// A result and the time it took.
type Timed<T> = (T, Duration);

/// The corpus's files and the built-in rules, found and loaded side by side as `rurume
/// check` does, each with the time it took.
fn found_and_rules(dir: &Path) -> (Timed<Vec<walk::Candidate>>, Timed<RuleSet>) {
    rayon::join(
        || {
            let start = Instant::now();
            let found = walk::discover(&[dir.to_owned()]).expect("the corpus exists");
            (found, start.elapsed())
        },
        || {
            let start = Instant::now();
            let rules = RuleSet::builtin().expect("built-in rules load");
            (rules, start.elapsed())
        },
    )
}

/// Standard output sent to `/dev/null`: takes every byte, counts them.
struct Counted(usize);

impl Write for Counted {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0 += black_box(bytes).len();
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// The bytes an output writes, written as `rurume check` writes its JSON and human
/// output: streamed through a buffer to standard output (here [`Counted`], as
/// `> /dev/null`), never held whole in memory.
fn streamed(write: impl FnOnce(&mut std::io::BufWriter<Counted>) -> std::io::Result<()>) -> usize {
    let mut out = std::io::BufWriter::new(Counted(0));
    write(&mut out).expect("a sink takes everything");
    out.into_inner().map_or(0, |c| c.0)
}

fn check(texts: &[(String, String)], rules: &RuleSet, as_of: jiff::civil::Date) -> Report {
    let inventories = texts
        .iter()
        .map(|(name, text)| Inventory::from_text(name.clone(), text.clone()))
        .collect();
    engine::check(inventories, rules, as_of)
}
