//! `--format human`: rustc-style diagnostics rendered by miette — the source lines with the
//! value underlined, the article, the fix — then a summary. Secrets are masked in the
//! source shown.

use foldhash::HashMap;
use std::borrow::Cow;
use std::fmt;
use std::io::Write;
use std::ops::Range;
use std::sync::{Arc, Mutex, OnceLock};

use rayon::prelude::*;

use miette::{Diagnostic, GraphicalReportHandler, GraphicalTheme, LabeledSpan, NamedSource};

use super::masked::{LONG_LINE, MaskedSource, Masks, floor_char_boundary};
use super::{Piece, Summary, snippet, wrap};
use crate::engine::{FileReport, Located, MASK, Report};
use crate::finding::Severity;
use crate::lang::Lang;

#[derive(Debug, Clone, Copy)]
pub struct Style {
    pub color: bool,
    pub width: usize,
    pub quiet: bool,
}

/// Findings drawn together, in parallel, before they are written (at most, unless one
/// piece is larger): the memory held is that of this many findings' drawings and of
/// their files read again (about a MB), whatever the report's size. On 2,000
/// findings-heavy files, 8,192 took the same time and 25 MB more at peak (120–125 MB
/// against 97–99).
const BATCH: usize = 1024;

/// Most findings of one file drawn as one piece of text.
const PIECE: usize = 512;

/// The report as a string.
pub fn render(report: &Report, lang: Lang, style: Style) -> String {
    let mut out = Vec::new();
    write(report, lang, style, &mut out).expect("writing to memory cannot fail");
    String::from_utf8(out).expect("the drawing is UTF-8")
}

/// Writes the report to `out`: the findings are drawn in parallel, a batch at a time, in
/// pieces of at most [`PIECE`] findings of one file, and written in order, so a large
/// report never exists as one string.
pub fn write(
    report: &Report,
    lang: Lang,
    style: Style,
    out: &mut impl Write,
) -> std::io::Result<()> {
    write_in(report, lang, style, out, (BATCH, PIECE))
}

/// [`write`] with batches of `sizes.0` findings in pieces of `sizes.1`.
fn write_in(
    report: &Report,
    lang: Lang,
    style: Style,
    out: &mut impl Write,
    (batch_size, piece_size): (usize, usize),
) -> std::io::Result<()> {
    let drawer = Drawer::new(style);
    super::in_batches(report, (batch_size, piece_size), |batch| {
        // Each file's masked text once per batch, shared by its pieces.
        let mut files: Vec<&FileReport> = Vec::new();
        let mut of_piece: Vec<usize> = Vec::with_capacity(batch.len());
        for piece in batch.iter() {
            if !files.last().is_some_and(|f| std::ptr::eq(*f, piece.file)) {
                files.push(piece.file);
            }
            of_piece.push(files.len() - 1);
        }
        let sources: Vec<Source> = files.par_iter().map(|file| Source::of(file)).collect();
        let drawn: Vec<String> = batch
            .par_iter()
            .zip(of_piece.par_iter())
            .map_init(Scratch::default, |scratch, (piece, &source)| {
                draw_piece(piece, &sources[source], &drawer, scratch, lang, style)
            })
            .collect();
        for text in &drawn {
            out.write_all(text.as_bytes())?;
        }
        Ok::<(), std::io::Error>(())
    })?;
    if !style.quiet {
        out.write_all(summary_line(&Summary::of(report), lang).as_bytes())?;
        out.write_all(b"\n")?;
    }
    Ok(())
}

/// What a file's findings are drawn with.
enum Source<'r> {
    /// A workbook's cells.
    Workbook,
    /// The file's text, as kept or read again ([`FileReport::source`]).
    Text(Text<'r>),
    /// Nothing: the file was changed since it was checked.
    Changed,
}

/// A file's text, as its snippets are drawn from it: bytes, found to be UTF-8 where they
/// are shown; its secrets; and, made the first time a snippet needs it (in colour, or a
/// label over lines), the whole text masked for miette.
struct Text<'r> {
    file: &'r FileReport,
    bytes: Cow<'r, [u8]>,
    masks: Masks,
    whole: OnceLock<Option<NamedSource<Arc<MaskedSource>>>>,
}

impl Source<'_> {
    fn of(file: &FileReport) -> Source<'_> {
        if file.workbook.is_some() {
            return Source::Workbook;
        }
        match file.source() {
            Some(bytes) => Source::Text(Text {
                file,
                masks: Masks::of(&bytes, &file.secret_spans),
                bytes,
                whole: OnceLock::new(),
            }),
            None => Source::Changed,
        }
    }
}

impl Text<'_> {
    /// The whole text masked, as miette reads it; `None` when the bytes read again are not
    /// UTF-8 (then they are not the text that was checked, whatever their seal says).
    fn whole(&self) -> Option<&NamedSource<Arc<MaskedSource>>> {
        self.whole
            .get_or_init(|| {
                let file = self.file;
                let masked = match &self.bytes {
                    Cow::Borrowed(_) => {
                        MaskedSource::of_file(&file.text, &file.lines, &file.secret_spans)
                    }
                    Cow::Owned(bytes) => {
                        MaskedSource::new(std::str::from_utf8(bytes).ok()?, &file.secret_spans)
                    }
                };
                Some(NamedSource::new(&file.display, Arc::new(masked)))
            })
            .as_ref()
    }
}

/// Some of one file's findings, and after its last the note when its policy rules were
/// skipped.
fn draw_piece(
    piece: &Piece,
    source: &Source,
    drawer: &Drawer,
    scratch: &mut Scratch,
    lang: Lang,
    style: Style,
) -> String {
    let file = piece.file;
    let mut out = String::with_capacity(piece.findings.len() * 1024);
    match (&file.workbook, source) {
        (Some((workbook, secret_cells)), _) => {
            for located in piece.findings {
                out.push_str(&cell_diagnostic(
                    file,
                    workbook,
                    secret_cells,
                    located,
                    lang,
                    style,
                ));
                out.push('\n');
            }
        }
        (None, Source::Text(text)) => {
            for located in piece.findings {
                let words = Words::of(located, lang);
                let span = label_span(&text.bytes, located);
                let label = LabeledSpan::new_with_span(
                    Some(label_text(located, lang)),
                    text.masks.map(span.clone()),
                );
                let line = located.position.line.saturating_sub(1);
                drawer.finding(&mut out, &words, &label, text, (span, line), scratch);
                out.push('\n');
            }
        }
        (None, _) => {
            // Without the lines: each message with the line and column it was found at
            // and what the label names, the fixes, and a note that says why.
            for located in piece.findings {
                let words = Words::of(located, lang);
                let at = located.position;
                let place = match lang {
                    Lang::Ja => format!("{} 行 {} 列目", at.line, at.column),
                    Lang::En => format!("line {}, column {}", at.line, at.column),
                };
                let message = format!("{}\n{place} · {}", words.message, label_text(located, lang));
                let part = Part {
                    help: Some(&words.help),
                    ..Part::message(&message, words.severity)
                };
                let _ = drawer.wrapping.render_report(&mut out, &part);
                out.push('\n');
            }
        }
    }
    if piece.last {
        if matches!(source, Source::Changed) && !style.quiet {
            out.push_str(&note(
                lang,
                &format!(
                    "{} は点検の後に書き換えられたため、指摘した行を表示できません。もう一度点検してください",
                    file.display
                ),
                &format!(
                    "{}: the file changed after it was checked, so its lines are not shown; check it again",
                    file.display
                ),
            ));
        }
        rules_note(file, lang, style, &mut out);
    }
    out
}

/// miette's drawing of a finding is its message, wrapped to the width; its source
/// snippet; and its fix, wrapped. The message and the fix are wrapped here as miette would
/// wrap them ([`wrap::fill`], in the [`Frame`] miette draws around them), and each distinct
/// fix is kept, since a rule's fix recurs; the snippet is drawn for each finding as miette
/// draws it ([`snippet::draw`], without colour), or by miette.
struct Drawer {
    /// miette's drawing of a whole finding: what the frames are learnt from, and what draws
    /// a finding whose parts cannot be drawn alone.
    wrapping: GraphicalReportHandler,
    /// Draws the snippets [`snippet::draw`] leaves to miette: the same handler, but the
    /// (empty) message is not wrapped.
    snippets: GraphicalReportHandler,
    /// What `snippets` draws for an empty message alone: what precedes a snippet drawn
    /// alone with it.
    snippets_empty: String,
    /// How `wrapping` frames a message (by severity: error, warning, advice) and a fix;
    /// `None` where miette's own drawing is not matched, and miette draws it.
    frames: [Option<Frame>; 4],
    /// Fixes as drawn, by their text.
    fixes: Mutex<HashMap<String, Arc<str>>>,
    /// Without colour, the characters snippets are drawn with here ([`snippet::draw`]).
    plain: Option<miette::ThemeCharacters>,
}

/// Most fixes kept drawn: when there are more, they are forgotten (a few MB at most).
const DRAWN: usize = 8 * 1024;

impl Drawer {
    fn new(style: Style) -> Drawer {
        let theme = if style.color {
            GraphicalTheme::unicode()
        } else {
            GraphicalTheme::unicode_nocolor()
        };
        let wrapping = GraphicalReportHandler::new_themed(theme)
            .with_width(style.width)
            .with_links(false)
            .with_word_separator(textwrap::WordSeparator::Custom(wrap::find_words));
        let snippets = wrapping.clone().with_wrap_lines(false);
        let empty = |handler: &GraphicalReportHandler| {
            let mut out = String::new();
            let _ = handler.render_report(&mut out, &Part::message("", PART_SEVERITY));
            out
        };
        let wrapping_empty = empty(&wrapping);
        // miette wraps messages and fixes two columns short of its width.
        let width = style.width.saturating_sub(2);
        let message = |severity| {
            Frame::learn(&wrapping, width, |handler, text| {
                let mut drawn = String::new();
                let _ = handler.render_report(&mut drawn, &Part::message(text, severity));
                Some(drawn)
            })
        };
        let fix = Frame::learn(&wrapping, width, |handler, text| {
            let mut drawn = String::new();
            let fix = Part {
                help: Some(text),
                ..Part::message("", PART_SEVERITY)
            };
            let _ = handler.render_report(&mut drawn, &fix);
            drawn
                .strip_prefix(wrapping_empty.as_str())
                .map(str::to_owned)
        });
        Drawer {
            frames: [
                message(miette::Severity::Error),
                message(miette::Severity::Warning),
                message(miette::Severity::Advice),
                fix,
            ],
            snippets_empty: empty(&snippets),
            wrapping,
            snippets,
            fixes: Default::default(),
            plain: (!style.color).then(miette::ThemeCharacters::unicode),
        }
    }

    /// Draws one finding into `out`, as `wrapping.render_report` draws it whole: its
    /// words, its label, and the text it is in, with where its label is in the text
    /// (`span`) and on which 0-based line.
    fn finding(
        &self,
        out: &mut String,
        words: &Words,
        label: &LabeledSpan,
        text: &Text,
        (span, line): (Range<usize>, usize),
        scratch: &mut Scratch,
    ) {
        let mark = out.len();
        let whole = FindingDiagnostic {
            words,
            label,
            source: None,
        };
        let kind = match words.severity {
            miette::Severity::Error => 0,
            miette::Severity::Warning => 1,
            miette::Severity::Advice => 2,
        };
        let Some(message) = &self.frames[kind] else {
            return self.whole(out, mark, whole, text);
        };
        message.draw(&words.message, out);
        // The snippet: drawn here when it can be, from the lines around the label
        // ([`Masks::window`]) or else the whole text ([`snippet::draw`]); else by miette
        // after an empty message.
        let Scratch { drawn, window } = scratch;
        drawn.clear();
        let done = match &self.plain {
            Some(chars) => match text.masks.window(&text.bytes, span, line, window) {
                Some(window) => {
                    let contents = snippet::Contents {
                        text: window.text,
                        line: window.line,
                        offset: window.offset,
                        name: &text.file.display,
                        at: window.at,
                    };
                    snippet::draw_contents(drawn, &contents, label, chars).is_some()
                }
                None => text
                    .whole()
                    .is_some_and(|source| snippet::draw(drawn, source, label, chars).is_some()),
            },
            None => false,
        };
        if done {
            out.push_str(drawn);
        } else {
            let Some(source) = text.whole() else {
                return self.whole(out, mark, whole, text);
            };
            drawn.clear();
            let snippet = Part {
                label: Some(label.clone()),
                source: Some(source),
                ..Part::message("", PART_SEVERITY)
            };
            let _ = self.snippets.render_report(drawn, &snippet);
            let Some(snippet) = drawn.strip_prefix(self.snippets_empty.as_str()) else {
                return self.whole(out, mark, whole, text);
            };
            out.push_str(snippet);
        }
        let Some(fix) = &self.frames[3] else {
            return self.whole(out, mark, whole, text);
        };
        let fixes = self.fixes.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(drawn) = fixes.get(&words.help) {
            out.push_str(drawn);
            return;
        }
        drop(fixes);
        let mut drawn = String::new();
        fix.draw(&words.help, &mut drawn);
        out.push_str(&drawn);
        // The map holds only finished entries: a panic elsewhere leaves it usable.
        let mut fixes = self.fixes.lock().unwrap_or_else(|e| e.into_inner());
        if fixes.len() >= DRAWN {
            fixes.clear();
        }
        fixes.insert(words.help.clone(), drawn.into());
    }

    /// The finding drawn whole, in place of what was drawn of it from `mark` on (never
    /// needed while miette draws the parts of a diagnostic one after another), with the
    /// whole text as its source.
    fn whole(&self, out: &mut String, mark: usize, whole: FindingDiagnostic, text: &Text) {
        out.truncate(mark);
        let whole = FindingDiagnostic {
            source: text.whole(),
            ..whole
        };
        // Rendering into a String cannot fail.
        let _ = self.wrapping.render_report(out, &whole);
    }
}

/// How miette frames a text it wraps — a message, or a fix drawn after an empty message:
/// what it draws before the text, the indents of the text's first and other lines, what
/// after. Learnt from miette's drawing of marker texts, and trusted only when miette draws
/// sample texts the same.
struct Frame {
    before: String,
    initial: String,
    subsequent: String,
    after: String,
    width: usize,
}

impl Frame {
    /// The frame in which `draw` has `handler` draw a text, wrapped to `width` columns;
    /// `None` when the handler's drawing of the samples is not the frame's. The frame is
    /// learnt at a width where the markers surely fit on their lines.
    fn learn(
        handler: &GraphicalReportHandler,
        width: usize,
        draw: impl Fn(&GraphicalReportHandler, &str) -> Option<String>,
    ) -> Option<Frame> {
        // Characters of the private use area, found in no drawing.
        const FIRST: &str = "\u{e000}";
        const SECOND: &str = "\u{e001}";
        let wide = handler.clone().with_width(1024);
        let one = draw(&wide, FIRST)?;
        let (head, tail) = one.split_once(FIRST)?;
        let (before, initial) = head.split_at(head.rfind('\n').map_or(0, |nl| nl + 1));
        let after = tail.strip_prefix('\n')?;
        let two = draw(&wide, &format!("{FIRST}\n{SECOND}"))?;
        let (subsequent, _) = two
            .strip_prefix(head)?
            .strip_prefix(FIRST)?
            .strip_prefix('\n')?
            .split_once(SECOND)?;
        let frame = Frame {
            before: before.to_owned(),
            initial: initial.to_owned(),
            subsequent: subsequent.to_owned(),
            after: after.to_owned(),
            width,
        };
        let samples = [
            "",
            "password-guessable: the password of 山下 美穂 (a2) has strength 2; at least 3 on the 0–4 scale is required, so a-long-hyphenated-name-of-a-device-that-is-broken goes to the next line",
            "直し方: 谷口 由衣 さんに別紙1「るるめネットにおける情報管理誓約書」に署名してもらい、原本を東久留米市医師会事務局に提出し（コピーは事業所で保管）、署名日を pledges.management に記録してください。",
            "two\nlines  ",
        ];
        samples
            .iter()
            .all(|text| {
                let mut drawn = String::new();
                frame.draw(text, &mut drawn);
                draw(handler, text).is_some_and(|theirs| theirs == drawn)
            })
            .then_some(frame)
    }

    /// `text` wrapped and framed, into `out`.
    fn draw(&self, text: &str, out: &mut String) {
        out.push_str(&self.before);
        wrap::fill_into(text, self.width, (&self.initial, &self.subsequent), out);
        out.push('\n');
        out.push_str(&self.after);
    }
}

/// The severity of the parts drawn after an empty message (only the message's drawing
/// depends on it).
const PART_SEVERITY: miette::Severity = miette::Severity::Error;

/// A part of a finding's drawing: its message alone, or after an empty message, its
/// snippet or its fix.
struct Part<'a> {
    message: &'a str,
    severity: miette::Severity,
    help: Option<&'a str>,
    label: Option<LabeledSpan>,
    source: Option<&'a NamedSource<Arc<MaskedSource>>>,
}

impl<'a> Part<'a> {
    fn message(message: &'a str, severity: miette::Severity) -> Part<'a> {
        Part {
            message,
            severity,
            help: None,
            label: None,
            source: None,
        }
    }
}

impl fmt::Debug for Part<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.message)
    }
}

impl fmt::Display for Part<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.message)
    }
}

impl std::error::Error for Part<'_> {}

impl Diagnostic for Part<'_> {
    fn severity(&self) -> Option<miette::Severity> {
        Some(self.severity)
    }
    fn help<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        self.help
            .as_ref()
            .map(|help| Box::new(help) as Box<dyn fmt::Display + 'b>)
    }
    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        self.source.map(|s| s as &dyn miette::SourceCode)
    }
    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        self.label
            .as_ref()
            .map(|l| Box::new(std::iter::once(l.clone())) as Box<dyn Iterator<Item = LabeledSpan>>)
    }
}

fn rules_note(file: &FileReport, lang: Lang, style: Style, out: &mut String) {
    if file.rules_skipped && !style.quiet {
        out.push_str(&note(
            lang,
            &format!(
                "{} は形式（スキーマ）に合わないため、ポリシーの規則はまだ評価していません",
                file.display
            ),
            &format!(
                "{}: the policy rules were not evaluated because the file breaks the schema",
                file.display
            ),
        ));
    }
}

/// A note after a file's findings, in `lang`.
fn note(lang: Lang, ja: &str, en: &str) -> String {
    format!("  {} {}\n\n", lang.pick("注:", "note:"), lang.pick(ja, en))
}

/// A finding in a workbook, drawn like the others: the sheet and cell, the header row and
/// the finding's row (secrets masked), the cell's column underlined.
fn cell_diagnostic(
    file: &FileReport,
    workbook: &crate::workbook::Workbook,
    secret_cells: &[crate::workbook::CellRef],
    located: &Located,
    lang: Lang,
    style: Style,
) -> String {
    use crate::workbook::CellRef;
    use unicode_width::UnicodeWidthStr;
    let f = &located.finding;
    let (mark, paint) = match (&f.waived_by, f.severity) {
        (Some(_), _) => ("☞", "\x1b[36m"),
        (None, Severity::Error) => ("×", "\x1b[31m"),
        (None, Severity::Warning) => ("⚠", "\x1b[33m"),
    };
    let color = |code: &str, text: &str| {
        if style.color {
            format!("{code}{text}\x1b[0m")
        } else {
            text.to_owned()
        }
    };
    let mut message = format!("{}: {}", f.rule, f.message(lang));
    if let Some(by) = &f.waived_by {
        message = match lang {
            Lang::Ja => format!("【{by} の例外により免除】{message}"),
            Lang::En => format!("[waived by the exception at {by}] {message}"),
        };
    }
    let mut out = format!("  {} {}\n", color(paint, mark), color(paint, &message));
    let cell = located.cell.unwrap_or_default();
    let reference = workbook.reference(&cell);
    let Some(grid) = workbook.book.sheets.get(usize::from(cell.sheet)) else {
        return out;
    };
    let header = workbook.headers.get(&cell.sheet).copied();
    // The columns shown: the first (it names the row), and a window around the cell's.
    let last = grid
        .rows
        .values()
        .filter_map(|r| r.keys().next_back())
        .max()
        .copied()
        .unwrap_or(0)
        .max(cell.col);
    let mut cols: Vec<Option<u32>> = Vec::new();
    let window = cell.col.saturating_sub(2)..=(cell.col + 1).min(last);
    if *window.start() > 0 {
        cols.push(Some(0));
        if *window.start() > 1 {
            cols.push(None);
        }
    }
    cols.extend(window.map(Some));
    let shown = |row: u32, col: u32| -> String {
        let at = CellRef {
            sheet: cell.sheet,
            row,
            col,
        };
        if secret_cells.contains(&at) {
            return MASK.to_owned();
        }
        let text = grid.text(row, col).replace(['\r', '\n'], " / ");
        let mut cut = String::new();
        for ch in text.chars() {
            if UnicodeWidthStr::width(cut.as_str()) >= 24 {
                cut.push('…');
                break;
            }
            cut.push(ch);
        }
        cut
    };
    let rows: Vec<u32> = match header {
        Some(h) if h != cell.row => vec![h, cell.row],
        _ => vec![cell.row],
    };
    let texts: Vec<Vec<String>> = rows
        .iter()
        .map(|&r| {
            cols.iter()
                .map(|c| c.map_or("…".to_owned(), |c| shown(r, c)))
                .collect()
        })
        .collect();
    let widths: Vec<usize> = (0..cols.len())
        .map(|i| {
            texts
                .iter()
                .map(|t| UnicodeWidthStr::width(t[i].as_str()))
                .max()
                .unwrap_or(0)
                .max(1)
        })
        .collect();
    let gutter = (cell.row + 1).max(rows[0] + 1).to_string().len();
    let pad = " ".repeat(gutter);
    out.push_str(&format!("  {pad} ╭─[{} {reference}]\n", file.display));
    for (r, t) in rows.iter().zip(&texts) {
        let line: Vec<String> = t
            .iter()
            .zip(&widths)
            .map(|(text, w)| {
                format!(
                    "{text}{}",
                    " ".repeat(w - UnicodeWidthStr::width(text.as_str()))
                )
            })
            .collect();
        out.push_str(&format!(
            "  {:>gutter$} │ {}\n",
            r + 1,
            line.join(" │ ").trim_end()
        ));
    }
    // The underline under the cell's column.
    let target = cols.iter().position(|c| *c == Some(cell.col)).unwrap_or(0);
    let offset: usize = widths[..target].iter().map(|w| w + 3).sum();
    let width = widths[target].max(1);
    let label = if f.source == crate::engine::builtin::NO_ARTICLE {
        f.pointer.clone()
    } else {
        format!("{} · {}", f.source, f.pointer)
    };
    let bar: String = (0..width).map(|i| if i == 0 { '┬' } else { '─' }).collect();
    out.push_str(&format!(
        "  {pad} · {}{}\n",
        " ".repeat(offset),
        color(paint, &bar)
    ));
    out.push_str(&format!(
        "  {pad} · {}{}\n",
        " ".repeat(offset),
        color(paint, &format!("╰── {label}"))
    ));
    out.push_str(&format!("  {pad} ╰────\n"));
    let help = match lang {
        Lang::Ja => format!("直し方: {}", f.fix(lang)),
        Lang::En => format!("fix: {}", f.fix(lang)),
    };
    out.push_str(&format!("  help: {help}\n"));
    out
}

pub fn summary_line(s: &Summary, lang: Lang) -> String {
    match lang {
        Lang::Ja => format!(
            "エラー {} 件、警告 {} 件、例外により免除 {} 件（{} ファイルを検査）",
            s.errors, s.warnings, s.waived, s.files
        ),
        Lang::En => {
            let plural = |n: usize, one: &str, many: &str| {
                format!("{n} {}", if n == 1 { one } else { many })
            };
            format!(
                "{}, {}, {} waived in {}",
                plural(s.errors, "error", "errors"),
                plural(s.warnings, "warning", "warnings"),
                s.waived,
                plural(s.files, "file", "files")
            )
        }
    }
}

/// A finding as miette draws it whole.
struct FindingDiagnostic<'a> {
    words: &'a Words,
    label: &'a LabeledSpan,
    source: Option<&'a NamedSource<Arc<MaskedSource>>>,
}

/// The buffers a thread draws a finding's snippet with: the snippet, and the lines it
/// shows.
#[derive(Default)]
struct Scratch {
    drawn: String,
    window: String,
}

/// What a finding says in human output: its message (waived or not), severity and fix.
struct Words {
    message: String,
    severity: miette::Severity,
    help: String,
}

impl Words {
    fn of(located: &Located, lang: Lang) -> Words {
        let f = &located.finding;
        let severity = match (&f.waived_by, f.severity) {
            (Some(_), _) => miette::Severity::Advice,
            (None, Severity::Error) => miette::Severity::Error,
            (None, Severity::Warning) => miette::Severity::Warning,
        };
        let mut message = format!("{}: {}", f.rule, f.message(lang));
        if let Some(by) = &f.waived_by {
            message = match lang {
                Lang::Ja => format!("【{by} の例外により免除】{message}"),
                Lang::En => format!("[waived by the exception at {by}] {message}"),
            };
        }
        let help = match lang {
            Lang::Ja => format!("直し方: {}", f.fix(lang)),
            Lang::En => format!("fix: {}", f.fix(lang)),
        };
        Words {
            message,
            severity,
            help,
        }
    }
}

/// What a finding's label says: its article and pointer (the pointer alone for a finding
/// of the engine's, where parsing stopped for a file that is not JSON).
fn label_text(located: &Located, lang: Lang) -> String {
    let f = &located.finding;
    if f.pointer.is_empty() && f.rule == crate::engine::builtin::SYNTAX.id {
        lang.pick("ここで読めなくなりました", "parsing stopped here")
            .to_owned()
    } else if f.source == crate::engine::builtin::NO_ARTICLE {
        f.pointer.clone()
    } else {
        format!("{} · {}", f.source, f.pointer)
    }
}

/// What to underline: a scalar whole; an object or array by its first line only, so a
/// long object does not fill the screen. The underline starts where the value starts, so
/// the header's line:column is the one every other format prints.
fn label_span(text: &[u8], located: &Located) -> Range<usize> {
    let span = located.span;
    let start = span.start.min(text.len());
    // A very long value is underlined by its beginning (and the search for the end of the
    // line stops there: a minified file is one line).
    let limit = span.end.min(start + LONG_LINE / 2).min(text.len());
    let end = match memchr::memchr(b'\n', &text[start..limit.max(start)]) {
        Some(nl) => start + nl,
        None => limit,
    };
    let end = floor_char_boundary(text, end);
    start..end.max(start)
}

impl fmt::Debug for FindingDiagnostic<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.words.message)
    }
}

impl fmt::Display for FindingDiagnostic<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.words.message)
    }
}

impl std::error::Error for FindingDiagnostic<'_> {}

impl Diagnostic for FindingDiagnostic<'_> {
    fn severity(&self) -> Option<miette::Severity> {
        Some(self.words.severity)
    }
    fn help<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        Some(Box::new(&self.words.help))
    }
    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        self.source.map(|s| s as &dyn miette::SourceCode)
    }
    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        Some(Box::new(std::iter::once(self.label.clone())))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine;
    use crate::inventory::Inventory;
    use crate::rules::RuleSet;

    /// Files read again to be drawn are drawn as from texts kept; a file changed after it
    /// was checked is drawn without its lines (what the findings point at, and where its
    /// secrets were, are gone), with a note, and the other files as before.
    #[test]
    fn files_are_read_again_to_be_drawn_and_a_changed_one_shows_no_lines() {
        let rules = RuleSet::builtin().unwrap();
        let as_of = "2026-11-26".parse().unwrap();
        let dir = tempfile::tempdir().unwrap();
        for name in ["F0002-higashi-clinic.json", "F0003-sakura-pharmacy.json"] {
            std::fs::copy(format!("samples/{name}"), dir.path().join(name)).unwrap();
        }
        let candidates = crate::inventory::walk::discover(&[dir.path().to_owned()]).unwrap();
        let reread = engine::check_files(&candidates, &rules, as_of, true, &|| {});
        assert!(
            reread
                .files
                .iter()
                .all(|f| f.text.is_empty() && f.reread.is_some())
        );
        let kept = engine::check(
            candidates.iter().map(Inventory::load).collect(),
            &rules,
            as_of,
        );
        let style = Style {
            color: false,
            width: 100,
            quiet: false,
        };
        for lang in [Lang::Ja, Lang::En] {
            assert_eq!(render(&reread, lang, style), render(&kept, lang, style));
        }

        // The first file changed: a password written where a line was shown.
        let changed = dir.path().join("F0002-higashi-clinic.json");
        let text = std::fs::read_to_string(&changed).unwrap();
        let text = text.replacen("\"name\"", "\"password\": \"Kusunoki-2026!\", \"name\"", 1);
        std::fs::write(&changed, text).unwrap();
        let before = render(&kept, Lang::En, style);
        let after = render(&reread, Lang::En, style);
        assert!(!after.contains("Kusunoki"), "{after}");
        let note = "the file changed after it was checked, so its lines are not shown";
        assert_eq!(after.matches(note).count(), 1, "{after}");
        assert!(render(&reread, Lang::Ja, style).contains("点検の後に書き換えられた"));
        // Its findings are all there, without snippets; the other file's as before.
        let of = |drawn: &str, name: &str| drawn.matches(name).count();
        let findings = reread.files[0].findings.len();
        assert!(findings > 0);
        assert_eq!(of(&after, "fix: "), of(&before, "fix: "));
        assert!(of(&after, "F0002-higashi-clinic.json") < of(&before, "F0002-higashi-clinic.json"));
        // Each of them says where it was found, as every other format does.
        for located in &reread.files[0].findings {
            let at = located.position;
            let place = format!(
                "line {}, column {} · {}",
                at.line, at.column, located.finding.source
            );
            assert!(after.contains(&place), "{place}\n{after}");
        }
        let second = |drawn: &str| drawn[drawn.find("F0003").unwrap()..].to_owned();
        assert!(before.ends_with(&second(&after)));
    }

    /// The words found and the texts filled are textwrap's, on every message and fix of
    /// the samples (and on random texts: `output::wrap`).
    #[test]
    fn messages_and_fixes_are_wrapped_as_by_textwrap() {
        let rules = RuleSet::builtin().unwrap();
        let as_of = "2026-11-26".parse().unwrap();
        let inventories = std::fs::read_dir("samples")
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|x| x == "json"))
            .map(|p| {
                Inventory::from_text(
                    p.display().to_string(),
                    std::fs::read_to_string(&p).unwrap(),
                )
            })
            .collect();
        let report = engine::check(inventories, &rules, as_of);
        let mut texts = 0;
        for lang in [Lang::Ja, Lang::En] {
            for (_, located) in report.findings() {
                let f = &located.finding;
                for text in [
                    format!("{}: {}", f.rule, f.message(lang)),
                    f.fix(lang).into_owned(),
                ] {
                    wrap::tests::same_words(&text);
                    for width in [38, 98] {
                        wrap::tests::same_fill(&text, width, "  × ", "  │ ");
                    }
                    texts += 1;
                }
            }
        }
        assert!(texts > 100, "{texts}");
    }

    /// The report drawn as miette draws each finding whole, one file after another.
    fn drawn_whole(report: &Report, lang: Lang, style: Style) -> String {
        let drawer = Drawer::new(style);
        let mut out = String::new();
        for file in report.files.iter().filter(|f| !f.findings.is_empty()) {
            let source = Arc::new(MaskedSource::new(&file.text, &file.secret_spans));
            let named = NamedSource::new(&file.display, Arc::clone(&source));
            for located in &file.findings {
                let words = Words::of(located, lang);
                let span = label_span(file.text.as_bytes(), located);
                let label =
                    LabeledSpan::new_with_span(Some(label_text(located, lang)), source.map(span));
                let whole = FindingDiagnostic {
                    words: &words,
                    label: &label,
                    source: Some(&named),
                };
                let _ = drawer.wrapping.render_report(&mut out, &whole);
                out.push('\n');
            }
            rules_note(file, lang, style, &mut out);
        }
        if !style.quiet {
            out.push_str(&summary_line(&Summary::of(report), lang));
            out.push('\n');
        }
        out
    }

    /// The frames of messages and fixes are learnt at every width and in colour: what
    /// they draw is miette's (the test above), and none is left to miette.
    #[test]
    fn messages_and_fixes_are_framed_at_every_width() {
        for color in [false, true] {
            for width in [0, 1, 8, 10, 40, 60, 80, 100, 200] {
                let drawer = Drawer::new(Style {
                    color,
                    width,
                    quiet: false,
                });
                assert!(drawer.frames.iter().all(Option::is_some), "{color} {width}");
            }
        }
    }

    #[test]
    fn drawn_in_parts_and_in_parallel_as_miette_draws_each_finding_whole() {
        let rules = RuleSet::builtin().unwrap();
        let as_of = "2026-11-26".parse().unwrap();
        let base = std::fs::read_to_string("rules/example-base.json").unwrap();
        let mut texts: Vec<(String, String)> = Vec::new();
        for dir in ["samples", "tests/fixtures/privacy", "tests/fixtures/bad"] {
            let mut paths: Vec<_> = std::fs::read_dir(dir)
                .unwrap()
                .map(|e| e.unwrap().path())
                .filter(|p| p.extension().is_some_and(|x| x == "json"))
                .collect();
            paths.sort();
            for path in paths {
                let text = std::fs::read_to_string(&path).unwrap_or_default();
                texts.push((path.display().to_string(), text));
            }
        }
        for i in 0..12 {
            let text = match i % 3 {
                0 => base.clone(),
                1 => base.replace("\"retired\"", "\"active\""),
                _ => "{\"facility\": ".to_owned(),
            };
            texts.push((format!("f{i:03}.json"), text));
        }
        let inventories = texts
            .iter()
            .map(|(name, text)| Inventory::from_text(name.clone(), text.clone()))
            .collect();
        let report = engine::check(inventories, &rules, as_of);
        let findings = report.findings().count();
        assert!(findings > 50, "{findings}");
        assert!(
            report
                .files
                .iter()
                .any(|f| !f.text.is_empty() && !f.secret_spans.is_empty())
        );
        for lang in [Lang::Ja, Lang::En] {
            for (color, width, quiet) in [(false, 100, false), (true, 60, false), (false, 40, true)]
            {
                let style = Style {
                    color,
                    width,
                    quiet,
                };
                let whole = drawn_whole(&report, lang, style);
                assert_eq!(render(&report, lang, style), whole);
                for sizes in [(1, 1), (3, 2), (7, 3), (64, 4), (BATCH, PIECE)] {
                    let mut out = Vec::new();
                    write_in(&report, lang, style, &mut out, sizes).unwrap();
                    assert_eq!(String::from_utf8(out).unwrap(), whole, "{sizes:?}");
                }
            }
        }
    }
}
