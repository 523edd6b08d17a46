//! Evaluation: rules applied to inventories, cross-file rules over the whole set, then
//! 第10条 exceptions, then positions in the text.
//!
//! The stages are separate so that a file's parsed value is needed only while that file
//! is evaluated: cross-file rules and exceptions work on small summaries.

pub mod builtin;
pub mod cross_file;
pub mod exceptions;
pub mod secrets;
pub mod template;

use std::borrow::Cow;
use std::collections::BTreeSet;

use foldhash::{HashMap, HashMapExt, HashSet, HashSetExt};
use std::ops::Range;
use std::sync::Arc;

use jiff::civil::Date;
use rayon::prelude::*;

use crate::finding::{Finding, Words};
use crate::inventory::document::{Document, Node};
use crate::inventory::spans::{Columns16, LineCol, LineIndex, Shape, Span};
use crate::inventory::walk::Candidate;
use crate::inventory::{FileText, Inventory, Reread, pointer, schema};
use crate::rules::condition::{Scope, Selected};
use crate::rules::path::Path as RulePath;
use crate::rules::{Matcher, Rule, RuleSet, Selection, Verdict};
use crate::workbook::{CellRef, Workbook};
use template::Context;

/// How a secret is shown: always the same, so neither its content nor its length leaks.
pub const MASK: &str = "********";

/// One file after evaluation. The parsed value is gone: what later stages need is here,
/// including the place in the text of every pointer a finding may carry, so that the text
/// itself is kept only when an output shows it.
#[derive(Debug)]
pub struct Evaluated {
    pub display: String,
    pub facility: Facility,
    /// The text, when the output shows source lines and cannot read it again.
    pub source: Option<(FileText, LineIndex)>,
    /// How to read the text again when the output shows it: a file's text is not kept
    /// until the end of the run ([`check_files`]).
    pub reread: Option<Reread>,
    /// For a workbook: its sheets (their cells only when the output shows them), and the
    /// cells that hold secrets.
    pub workbook: Option<(Arc<Workbook>, Vec<CellRef>)>,
    pub secret_spans: Vec<Range<usize>>,
    /// The findings, each placed in the text as it is found ([`Locator`]): what is kept
    /// of a file until every file is read is its findings, not its document.
    pub findings: Vec<Located>,
    /// The file broke the schema, so the policy rules were not evaluated.
    pub rules_skipped: bool,
    pub exceptions: Vec<exceptions::ExceptionRef>,
    /// `exception-unused` findings, kept until we know which exceptions waived something.
    pub unused_candidates: Vec<Located>,
    /// The pointers at which a rule voiding exceptions (`voids_exception`) of a profile
    /// not in force found something: those exceptions are void, with nothing reported.
    pub voided: Vec<String>,
    /// The newer file of the same facility, when this one is superseded.
    pub superseded_by: Option<String>,
    /// Candidates of cross-file rules: full entries, or only their digests (see
    /// [`CrossEntries`]).
    pub cross: cross_file::Candidates,
}

/// How much of its cross-file candidates a file keeps after evaluation.
#[derive(Debug, Clone, Copy)]
pub enum CrossEntries<'a> {
    /// Everything, with the places of their pointers: for a few files in memory.
    Full,
    /// Digests, but the full entries of those that meet a digest of a file evaluated
    /// before (in `seen`). A file is evaluated again if one of the digests it kept meets
    /// another file's: of two files that share a key, only the one evaluated first is
    /// read twice.
    Digests(&'a cross_file::Seen),
    /// The full entries of these digests, and nothing else: only the cross-file rules are
    /// evaluated (and the secrets their messages must mask), for a file evaluated again
    /// because digests it kept met another file's (these). Its other findings, and the
    /// full entries it kept, are those of the first evaluation.
    Only(&'a [cross_file::Digest]),
}

/// Where a value is: its span in the text, its start and end as line and column (also in
/// UTF-16 code units, as SARIF counts), what it holds, and, in a workbook, its cell (whose
/// row and column are then the line and column).
#[derive(Debug, Clone, Copy)]
pub struct Place {
    pub span: Span,
    pub start: LineCol,
    pub end: LineCol,
    pub columns16: Columns16,
    pub shape: Shape,
    pub cell: Option<CellRef>,
}

/// Places the findings of one file, while its document is at hand: each finding's span
/// and line and column (or cell), and its place named by item ids ([`crate::identity`]).
/// The one path from a finding's pointer to where every output shows it.
struct Locator<'a> {
    document: Option<&'a Document>,
    inventory: &'a Inventory,
    workbook: Option<&'a Workbook>,
    /// Where parsing stopped: a file that did not parse has its findings there.
    syntax_place: Option<Place>,
    namer: crate::identity::Places<'a>,
}

impl Locator<'_> {
    /// The place of `span`; in a workbook, of the cell of `pointer` (the sheet's first
    /// cell without one).
    fn place(&self, span: Span, pointer: Option<&str>) -> Place {
        match (self.workbook, pointer) {
            (Some(w), Some(p)) => self.cell_place(span, w.cell_of(p).unwrap_or_default()),
            _ => {
                let spot = self.inventory.spot(span);
                Place {
                    span,
                    start: spot.start,
                    end: spot.end,
                    columns16: spot.columns16(),
                    shape: spot.shape,
                    cell: None,
                }
            }
        }
    }

    /// The place of a value in a workbook: its cell, whose row and column are its line and
    /// column (in either count); `span` is the value's in the JSON the workbook says.
    fn cell_place(&self, span: Span, cell: CellRef) -> Place {
        let start = LineCol {
            line: cell.row as usize + 1,
            column: cell.col as usize + 1,
        };
        let end = LineCol {
            column: start.column + 1,
            ..start
        };
        Place {
            span,
            start,
            end,
            columns16: Columns16 {
                start: cell.col.saturating_add(1),
                end: cell.col.saturating_add(2),
            },
            shape: Shape::at(&self.inventory.text, span.start),
            cell: Some(cell),
        }
    }

    /// The place of the value at `pointer`, when the document has it.
    fn place_of(&self, pointer: &str) -> Option<Place> {
        let span = self.document?.pointer(pointer)?.span()?;
        Some(self.place(span, Some(pointer)))
    }

    /// Where a finding at `pointer` is: at its own `cell` when it has one (a cell the JSON
    /// cannot point at), else where parsing stopped, else at its pointer's value, else at
    /// the start of the file.
    fn place_of_finding(&self, pointer: &str, cell: Option<CellRef>) -> Place {
        match cell {
            Some(cell) => {
                self.cell_place(self.place_of(pointer).map_or(Span::at(0), |p| p.span), cell)
            }
            None => self
                .syntax_place
                .or_else(|| self.place_of(pointer))
                .unwrap_or_else(|| {
                    let first = LineCol { line: 1, column: 1 };
                    Place {
                        span: Span::at(0),
                        start: first,
                        end: first,
                        columns16: Columns16 { start: 1, end: 1 },
                        shape: Shape::at(&self.inventory.text, 0),
                        cell: self.workbook.map(|_| CellRef::default()),
                    }
                }),
        }
    }

    /// The place named by item ids of a pointer of this file.
    fn name(&self, pointer: &str) -> String {
        self.namer.name(pointer)
    }

    fn locate(&self, finding: Finding) -> Located {
        let place = self.place_of_finding(&finding.pointer, finding.cell);
        let name = self.name(&finding.pointer);
        Located::new(finding, place, name)
    }

    /// [`Locator::locate`] for a finding at `at`, the value its pointer points at: its
    /// place is read from the value, not found again from the pointer.
    fn locate_at(&self, finding: Finding, at: Node) -> Located {
        let place = self.place_at(&finding.pointer, finding.cell, at);
        let name = self.name(&finding.pointer);
        Located::new(finding, place, name)
    }

    /// [`Locator::place_of_finding`] of `pointer`, the pointer of the value `at`.
    fn place_at(&self, pointer: &str, cell: Option<CellRef>, at: Node) -> Place {
        match (cell, self.syntax_place, at.span()) {
            (None, None, Some(span)) => self.place(span, Some(pointer)),
            _ => self.place_of_finding(pointer, cell),
        }
    }
}

impl Located {
    /// Where the value is, with columns in UTF-16 code units (SARIF's).
    pub fn utf16(&self) -> crate::inventory::spans::Utf16Span {
        self.columns16
            .with_lines(self.span, self.position, self.end)
    }

    /// `finding` at `place`, whose name by item ids is `name`.
    fn new(finding: Finding, place: Place, name: String) -> Located {
        Located {
            finding,
            span: place.span,
            position: place.start,
            end: place.end,
            columns16: place.columns16,
            shape: place.shape,
            cell: place.cell,
            place: name,
        }
    }
}

/// What outputs say about a facility, read from `facility` when the file has it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Facility {
    pub id: Option<String>,
    pub name: Option<String>,
    pub kind: Option<String>,
    /// `facility.submitted` (`YYYY-MM-DD`): which of two files of one facility is newer.
    pub submitted: Option<String>,
    /// The number of accounts and of devices, when they are lists.
    pub accounts: Option<usize>,
    pub devices: Option<usize>,
    /// `facility.security_officer`, for the checklist sheet's 確認者 line.
    pub security_officer: Option<String>,
}

impl Facility {
    fn of(document: Option<&Document>) -> Facility {
        let get = |key: &str| {
            let value = document?.root().get("facility")?.get(key)?;
            match value.as_number() {
                Some(n) => Some(n.to_string()),
                None => value.as_str().map(str::to_owned),
            }
        };
        let count = |key: &str| Some(document?.root().get(key)?.as_array()?.len());
        Facility {
            id: get("id"),
            name: get("name"),
            kind: get("kind"),
            submitted: get("submitted"),
            accounts: count("accounts"),
            devices: count("devices"),
            security_officer: get("security_officer"),
        }
    }
}

/// What evaluating one parsed document yields.
#[derive(Debug, Default)]
struct Collected<'d> {
    /// Placed as they are found ([`Locator`]).
    findings: Vec<Located>,
    /// The values `plaintext-password` (or another secret scan) reported.
    secrets: secrets::Secrets<'d>,
    /// Every string the text shows masked: a superset of `secrets`.
    masked: Vec<Node<'d>>,
    rules_skipped: bool,
    exceptions: Vec<exceptions::ExceptionRef>,
    unused_candidates: Vec<Located>,
    /// Where the rules of profiles not in force that void exceptions found something.
    voided: Vec<String>,
    cross: Vec<cross_file::Entry>,
    /// With [`CrossEntries::Digests`], the digests of the entries instead: the entries
    /// themselves (their pointers and message values) are not built.
    digests: Option<Vec<cross_file::Digest>>,
    /// With digests: the digests whose entries are built in full all the same (those a
    /// file evaluated before has).
    wanted: Vec<cross_file::Digest>,
}

/// A finding placed in its file.
#[derive(Debug, Clone)]
pub struct Located {
    pub finding: Finding,
    pub span: Span,
    /// Where the value starts: the line and column every output prints.
    pub position: LineCol,
    /// Where the value ends (exclusive).
    pub end: LineCol,
    /// Its start and end columns in UTF-16 code units: with `position` and `end`, what
    /// SARIF prints ([`Located::utf16`]).
    pub columns16: Columns16,
    /// What the value is (object, array or other): SARIF's logical location kind.
    pub shape: Shape,
    /// In a workbook, the cell (see [`FileReport::cell`]).
    pub cell: Option<CellRef>,
    /// The pointer named by item ids (`devices[id=d4]/antivirus`): see [`crate::identity`].
    pub place: String,
}

/// One file of a finished report.
#[derive(Debug)]
pub struct FileReport {
    pub display: String,
    /// `facility.id`, when the file has one.
    pub facility: Option<String>,
    pub facility_name: Option<String>,
    pub facility_kind: Option<String>,
    pub facility_submitted: Option<String>,
    /// `facility.security_officer`, when the file has one.
    pub security_officer: Option<String>,
    pub accounts: Option<usize>,
    pub devices: Option<usize>,
    /// The file of the same facility that replaces this one in its round (a resubmission
    /// with a later `facility.submitted`): see [`crate::audit::superseded`].
    pub superseded_by: Option<String>,
    /// The file's text — empty unless the report was made for an output that shows it,
    /// and then empty too when the output reads it again ([`FileReport::reread`]).
    pub text: FileText,
    /// How the output that shows the text reads it again, when the report did not keep
    /// it: see [`FileReport::source`].
    pub reread: Option<Reread>,
    pub lines: LineIndex,
    pub findings: Vec<Located>,
    /// Byte ranges of secret values in `text`, masked wherever the text is shown.
    pub secret_spans: Vec<Range<usize>>,
    pub rules_skipped: bool,
    /// For a workbook: its sheets, and the cells masked wherever they are shown.
    pub workbook: Option<(Arc<Workbook>, Vec<CellRef>)>,
    /// The file's 第10条 exceptions, which `Finding::waived_by` points at.
    pub exceptions: Vec<exceptions::ExceptionRef>,
}

#[derive(Debug)]
pub struct Report {
    pub as_of: Date,
    pub files: Vec<FileReport>,
}

impl FileReport {
    /// The file's text, for an output that shows it: kept (empty when the report was made
    /// without texts), or read again ([`Reread::bytes`]). `None` when the file was
    /// changed, removed or made unreadable since it was checked: what the findings point
    /// at may no longer be there, and its secrets would be masked where they were.
    pub fn source(&self) -> Option<std::borrow::Cow<'_, [u8]>> {
        match &self.reread {
            Some(reread) => reread.bytes().map(std::borrow::Cow::Owned),
            None => Some(std::borrow::Cow::Borrowed(self.text.as_bytes())),
        }
    }

    /// The cell of a finding in a workbook, as Excel writes it: `端末!F12`.
    pub fn cell(&self, located: &Located) -> Option<String> {
        let (workbook, _) = self.workbook.as_ref()?;
        Some(workbook.reference(&located.cell?))
    }
}

impl Report {
    pub fn findings(&self) -> impl Iterator<Item = (&FileReport, &Located)> {
        self.files
            .iter()
            .flat_map(|f| f.findings.iter().map(move |l| (f, l)))
    }
}

/// Evaluates the files together: per-file rules in parallel, then the cross-file rules,
/// then exceptions. The order of `inventories` does not matter: the report is sorted.
/// The report keeps each file's text.
pub fn check(mut inventories: Vec<Inventory>, rules: &RuleSet, as_of: Date) -> Report {
    inventories.sort_by(|a, b| a.display.cmp(&b.display));
    let evaluated = inventories
        .into_par_iter()
        .map(|inv| evaluate(inv, rules, as_of, true, CrossEntries::Full))
        .collect();
    conclude(evaluated, rules, as_of, None)
}

/// Reads and evaluates files in parallel, calling `tick` after each (for a progress bar).
/// Memory stays bounded by a small summary per file: with `keep_text`, a file's text is
/// not kept but read again when it is shown ([`FileReport::source`]), except a
/// workbook's (its cells are kept) and an empty one.
pub fn check_files(
    candidates: &[Candidate],
    rules: &RuleSet,
    as_of: Date,
    keep_text: bool,
    tick: &(dyn Fn() + Sync),
) -> Report {
    let mut candidates: Vec<&Candidate> = candidates.iter().collect();
    candidates.sort_by(|a, b| a.display.cmp(&b.display));
    let seen = cross_file::Seen::default();
    let evaluated = candidates
        .par_iter()
        .map(|c| {
            let inventory = Inventory::load(c);
            let reread = (keep_text && inventory.workbook.is_none() && !inventory.text.is_empty())
                .then(|| Reread::of(c, &inventory));
            let mut e = evaluate(
                inventory,
                rules,
                as_of,
                keep_text,
                CrossEntries::Digests(&seen),
            );
            if reread.is_some() {
                e.source = None;
                e.reread = reread;
            }
            tick();
            e
        })
        .collect();
    let again = |i: usize, wanted: &[cross_file::Digest]| {
        let inventory = Inventory::load(candidates[i]);
        evaluate(inventory, rules, as_of, false, CrossEntries::Only(wanted))
    };
    conclude(evaluated, rules, as_of, Some((&again, &seen.into_shared())))
}

/// What needs every file: cross-file rules, then each file's waivers and positions.
///
/// `again` evaluates a file's cross-file rules anew, with the full entries of the given
/// digests ([`CrossEntries::Only`]), for the files that kept as digests some of the
/// digests more than one file has (`shared`).
type Again<'a> = (
    &'a (dyn Fn(usize, &[cross_file::Digest]) -> Evaluated + Sync),
    &'a cross_file::Shared,
);

fn conclude(
    mut evaluated: Vec<Evaluated>,
    rules: &RuleSet,
    as_of: Date,
    again: Option<Again>,
) -> Report {
    supersede(&mut evaluated);
    if let Some((again, shared)) = again {
        let redone: Vec<(usize, Evaluated)> = cross_file::candidates(&evaluated, shared)
            .into_par_iter()
            .map(|(i, wanted)| (i, again(i, &wanted)))
            .collect();
        for (i, e) in redone {
            let cross = &mut evaluated[i].cross;
            cross.entries.extend(e.cross.entries);
            cross.digests = Vec::new();
        }
    }
    cross_file::apply(&mut evaluated, rules);
    let files = evaluated
        .into_par_iter()
        .map(|e| finish(e, rules))
        .collect();
    Report { as_of, files }
}

/// Files of one facility: all but the latest are superseded, and take no part in the
/// cross-file rules (a resubmission never collides with its own newer version).
fn supersede(evaluated: &mut [Evaluated]) {
    use crate::audit::superseded::{Submission, resolve};
    let by = resolve(
        &evaluated
            .iter()
            .map(|e| Submission {
                facility: e.facility.id.as_deref(),
                submitted: e.facility.submitted.as_deref(),
                file: &e.display,
            })
            .collect::<Vec<_>>(),
    );
    for (i, by) in by.into_iter().enumerate() {
        if let Some(by) = by {
            let newer = evaluated[by].display.clone();
            let e = &mut evaluated[i];
            e.superseded_by = Some(newer);
            e.cross = cross_file::Candidates::default();
        }
    }
}

/// Everything that can be decided from one file alone.
pub fn evaluate(
    mut inventory: Inventory,
    rules: &RuleSet,
    as_of: Date,
    keep_text: bool,
    cross: CrossEntries,
) -> Evaluated {
    if let Ok(document) = &mut inventory.parsed {
        add_defaults(document, rules);
    }
    let document = inventory.parsed.as_ref().ok();
    let workbook = inventory.workbook.clone();
    let mut locator = Locator {
        document,
        inventory: &inventory,
        workbook: workbook.as_deref(),
        syntax_place: None,
        namer: crate::identity::Places::new(document),
    };
    let mut c = match &inventory.parsed {
        Ok(document) => evaluate_document(document.root(), rules, as_of, &locator, cross),
        Err(e) => {
            locator.syntax_place = Some(locator.place(Span::at(e.offset), None));
            let finding = engine_finding(&builtin::SYNTAX, String::new(), e.message.clone())
                .for_page(e.message.clone(), builtin::SYNTAX.page_fix());
            Collected {
                findings: vec![locator.locate(finding)],
                ..Collected::default()
            }
        }
    };
    // What a file keeps until every file is read holds no room to grow: a vector grown
    // by doubling is up to half empty, for every file.
    let mut cross = cross_file::Candidates {
        entries: c.cross,
        digests: c.digests.unwrap_or_default(),
    };
    cross.entries.shrink_to_fit();
    cross.digests.shrink_to_fit();
    drop(locator);
    let workbook = workbook.map(|w| {
        let cells = match document {
            Some(_) if keep_text => secret_cells(&w, c.secrets.values().iter().chain(&c.masked)),
            _ => Vec::new(),
        };
        let w = if keep_text {
            w
        } else {
            Arc::new(w.names_only())
        };
        (w, cells)
    });
    // Secret spans matter where the text is shown, and where an exception's texts may
    // repeat a secret (SARIF quotes them).
    let mut secret_spans: Vec<Range<usize>> = match document {
        _ if !keep_text && c.exceptions.is_empty() => Vec::new(),
        Some(_) => {
            let values: Vec<Range<usize>> = c
                .secrets
                .values()
                .iter()
                .chain(&c.masked)
                .filter_map(|n| n.span())
                .map(|s| s.start..s.end)
                .collect();
            // A password repeated elsewhere (in a note, say) is masked there too.
            let repeated = secrets::repetitions(&inventory.text, &values);
            values.into_iter().chain(repeated).collect()
        }
        // A file that does not parse has no values: its secrets are found in the text.
        None => secrets::lexical_spans(&inventory.text, &secrets::key_patterns(rules)),
    };
    secret_spans.sort_by_key(|r| (r.start, r.end));
    secret_spans.dedup();
    exceptions::mask_texts(&mut c.exceptions, &inventory.text, &secret_spans);
    if !keep_text {
        secret_spans = Vec::new();
    }
    let facility = Facility::of(document);
    let Collected {
        mut findings,
        rules_skipped,
        exceptions,
        unused_candidates,
        voided,
        ..
    } = c;
    findings.shrink_to_fit();
    Evaluated {
        display: inventory.display,
        facility,
        source: keep_text.then_some((inventory.text, inventory.lines)),
        reread: None,
        workbook,
        secret_spans,
        findings,
        rules_skipped,
        exceptions,
        unused_candidates,
        voided,
        superseded_by: None,
        cross,
    }
}

/// A configuration's approved-app list for the facility's kind, when the facility does not
/// list its own: added to the document, with no place in the text.
fn add_defaults(document: &mut Document, rules: &RuleSet) {
    if rules.approved_apps.is_empty() {
        return;
    }
    let Some(facility) = document.root().get("facility") else {
        return;
    };
    if facility.get("approved_apps").is_some() {
        return;
    }
    let Some(apps) = facility
        .get("kind")
        .and_then(Node::as_str)
        .and_then(|kind| rules.approved_apps.get(kind))
    else {
        return;
    };
    let id = facility.id();
    document.add_strings(id, "approved_apps", apps);
}

/// With [`CrossEntries::Only`], only the secrets and the cross-file rules: the file passed
/// the schema when it was first evaluated (else it would have no cross-file candidates).
fn evaluate_document<'d>(
    root: Node<'d>,
    rules: &'d RuleSet,
    as_of: Date,
    locator: &Locator,
    cross: CrossEntries,
) -> Collected<'d> {
    let workbook = locator.workbook;
    let mut out = Collected {
        digests: matches!(cross, CrossEntries::Digests(_) | CrossEntries::Only(_)).then(Vec::new),
        ..Collected::default()
    };
    let scope = Scope::new(root, as_of, &rules.ids, &rules.dormant).remembering(rules.shared_slots);

    // Secrets first: they must be masked in every message, and reported even when the
    // rest of the file cannot be evaluated. What the text shows masked is every string
    // under a member a secret key pattern selects, whether or not the rule reports it.
    let mut secret_hits: Vec<(&Rule, &Matcher, Node)> = Vec::new();
    let mut under_secret_keys: Vec<Node> = Vec::new();
    for rule in &rules.rules {
        for m in rule.matchers.iter().filter(|m| m.secret) {
            let items = select(m, &scope);
            if rule.is_secret_scan() {
                secret_hits.extend(
                    items
                        .iter()
                        .filter(|item| m.when.eval(&scope, **item))
                        .map(|item| (rule, m, *item)),
                );
            }
            if let Selection::EachKey(_) = m.selection {
                under_secret_keys.extend(items.iter().copied());
            }
        }
    }
    out.masked = secrets::strings_under(&under_secret_keys);
    out.secrets = secrets::Secrets::new(
        secret_hits.iter().map(|(_, _, item)| *item).collect(),
        &out.masked,
    );
    for (rule, matcher, item) in &secret_hits {
        let at = matcher.at.nearest(root, *item);
        let finding = rule_finding(rule, matcher, root, *item, at, &out.secrets);
        out.findings.push(locator.locate_at(finding, at));
    }

    // The cross-file rules' full entries (their findings come when every file is read).
    let cross_entries = |out: &mut Collected<'d>| {
        for rule in rules.rules.iter().filter(|r| !r.is_secret_scan()) {
            for (index, matcher) in rule.matchers.iter().enumerate() {
                if matches!(matcher.verdict, Verdict::UniqueAcrossFiles { .. }) {
                    evaluate_matcher(rule, index, matcher, &scope, locator, out);
                }
            }
        }
    };
    if let CrossEntries::Only(wanted) = cross {
        out.wanted = wanted.to_vec();
        cross_entries(&mut out);
        out.digests = Some(Vec::new());
        return out;
    }

    // A schema error caused by a plaintext password (a string where the `password` object
    // belongs, an unknown `pwd` key) is that rule's finding, not a second one.
    let secret_pointers: BTreeSet<String> =
        out.secrets.values().iter().map(|n| n.pointer()).collect();
    // In a workbook, what a note explains at its cell is not said again by the schema.
    let explained = |at: &str| {
        workbook.is_some_and(|w| w.explained.iter().any(|e| pointer::is_at_or_under(at, e)))
    };
    let violations: Vec<_> = schema::validate(root)
        .into_iter()
        .filter(|v| !pointer::ancestors(&v.pointer).any(|p| secret_pointers.contains(p)))
        .filter(|v| !explained(&v.pointer))
        .collect();
    let mut blocked = false;
    for note in workbook.iter().flat_map(|w| &w.notes) {
        blocked |= note.blocks;
        let mut finding =
            engine_finding(&builtin::SCHEMA, note.pointer.clone(), note.message.clone());
        if let Words::Fixed { fix, .. } = &mut finding.words {
            *fix = note.fix.clone();
        }
        finding.cell = Some(note.cell);
        out.findings.push(locator.locate(finding));
    }
    if !violations.is_empty() || blocked {
        out.rules_skipped = true;
        out.findings.extend(violations.into_iter().map(|v| {
            // In a workbook a missing field is an empty cell: named by its header, at it.
            let cell = workbook.and_then(|w| {
                let key = v.missing.as_deref()?;
                w.empty_cell(&pointer::push(&v.pointer, key))
            });
            match cell {
                Some((cell, message, fix)) => {
                    let mut f = engine_finding(&builtin::SCHEMA, v.pointer, message);
                    if let Words::Fixed { fix: f_fix, .. } = &mut f.words {
                        *f_fix = fix;
                    }
                    f.cell = Some(cell);
                    locator.locate(f)
                }
                None => locator.locate(
                    engine_finding(&builtin::SCHEMA, v.pointer, v.message)
                        .for_page(v.page, builtin::SCHEMA.page_fix()),
                ),
            }
        }));
        return out;
    }

    for rule in rules.rules.iter().filter(|r| !r.is_secret_scan()) {
        for (index, matcher) in rule.matchers.iter().enumerate() {
            evaluate_matcher(rule, index, matcher, &scope, locator, &mut out);
        }
    }
    // An exception's validity does not depend on the profiles in force: the rules that
    // void exceptions are evaluated whichever they are, and reported only when in force.
    let reported = out.findings.len();
    for rule in &rules.voiders {
        for (index, matcher) in rule.matchers.iter().enumerate() {
            evaluate_matcher(rule, index, matcher, &scope, locator, &mut out);
        }
    }
    out.voided = out
        .findings
        .drain(reported..)
        .map(|l| l.finding.pointer)
        .collect();
    out.exceptions = exceptions::collect(root, &|span| locator.inventory.spot(span));
    // Keys a file evaluated before has: this file keeps their full entries now, while
    // its document is at hand, instead of being read again (the others stay digests).
    if let (CrossEntries::Digests(seen), Some(digests)) = (cross, &out.digests) {
        let met = seen.meets(digests);
        if !met.is_empty() {
            out.wanted = met;
            out.digests = Some(Vec::new());
            cross_entries(&mut out);
        }
    }
    out
}

fn evaluate_matcher<'d>(
    rule: &Rule,
    index: usize,
    matcher: &'d Matcher,
    scope: &Scope<'d>,
    locator: &Locator,
    out: &mut Collected<'d>,
) {
    let root = scope.root;
    // Each key's first item, described for `{other}` when a second one comes.
    let selected = select(matcher, scope);
    let mut seen_keys: HashMap<Cow<'d, str>, Node<'d>> = match matcher.verdict {
        // Sized once: growing it rehashes every key again.
        Verdict::Unique { .. } => HashMap::with_capacity(selected.len()),
        _ => HashMap::new(),
    };
    for &item in selected.iter() {
        if !matcher.when.eval(scope, item) {
            continue;
        }
        let at = matcher.at.nearest(root, item);
        let finding = |secrets: &secrets::Secrets| {
            locator.locate_at(rule_finding(rule, matcher, root, item, at, secrets), at)
        };
        match &matcher.verdict {
            Verdict::When => out.findings.push(finding(&out.secrets)),
            Verdict::Unique { key, ignore_case } => {
                let Some(k) = key_of(root, item, key, *ignore_case) else {
                    continue;
                };
                match seen_keys.get(&k) {
                    Some(&first) => {
                        let mut f = finding(&out.secrets);
                        if let Words::Template { values, .. } = &mut f.finding.words {
                            values.set_other_item(first);
                        }
                        out.findings.push(f);
                    }
                    None => {
                        seen_keys.insert(k, item);
                    }
                }
            }
            Verdict::UniqueAcrossFiles {
                key,
                ignore_case,
                unless_same,
            } => {
                let Some(k) = key_of(root, item, key, *ignore_case) else {
                    continue;
                };
                if let Some(digests) = &mut out.digests {
                    let digest = cross_file::Digest::of(&rule.id, index, &k);
                    if !out.wanted.contains(&digest) {
                        digests.push(digest);
                        continue;
                    }
                }
                let person = unless_same.as_ref().map(|p| {
                    key_of(root, item, p, false)
                        .map(|s| normalize_person(&s))
                        .unwrap_or_default()
                });
                let k = k.into_owned();
                let cx = Context {
                    root,
                    item,
                    finding: at,
                    secrets: &out.secrets,
                };
                let values = matcher.texts.bind(&cx);
                let pointer = at.pointer();
                out.cross.push(cross_file::Entry {
                    rule: rule.id.clone(),
                    matcher: index,
                    key: k,
                    person,
                    place: locator.place_at(&pointer, None, at),
                    name: locator.name(&pointer),
                    pointer,
                    values,
                });
            }
            Verdict::UnusedException => out.unused_candidates.push(finding(&out.secrets)),
        }
    }
}

/// The value of `key` (a path relative to the item) as text, for duplicate detection.
/// Missing, null and blank values are never duplicates of each other.
fn key_of<'d>(
    root: Node<'d>,
    item: Node<'d>,
    key: &RulePath,
    ignore_case: bool,
) -> Option<Cow<'d, str>> {
    let v = key.lookup(root, item)?;
    let s: Cow<'d, str> = match v.as_str() {
        Some(s) => s.trim().into(),
        None if v.is_null() => return None,
        None => v.to_string().into(),
    };
    if s.is_empty() {
        return None;
    }
    // Lowercasing leaves a text without capitals and outside ASCII as it is.
    let unchanged = |s: &str| s.is_ascii() && !s.bytes().any(|b| b.is_ascii_uppercase());
    Some(match s {
        s if ignore_case && !unchanged(&s) => s.to_lowercase().into(),
        s => s,
    })
}

/// How a message names another item: as a person would, by its name and id
/// (`田中 一郎 (a10)`), by its id alone (`d3`), or, with neither, by where it is.
/// The readers of a page or a letter see no pointer: [`template::Values::set_other_item`]
/// names such an item by its row for them.
pub(crate) fn describe_item(item: Node) -> String {
    let text = |key: &str| item_text(item, key);
    match (text("name"), text("id")) {
        (Some(name), Some(id)) => format!("{name} ({id})"),
        (None, Some(id)) => id.to_owned(),
        (Some(name), None) => format!("{name} ({})", item.pointer()),
        (None, None) => item.pointer(),
    }
}

/// The text of an item's member (`name`, `id`), trimmed; `None` when blank or not text.
pub(crate) fn item_text<'d>(item: Node<'d>, key: &str) -> Option<&'d str> {
    item.get(key)
        .and_then(Node::as_str)
        .map(str::trim)
        .filter(|s| !s.is_empty())
}

/// Two accounts are the same person when their names are the same (surrounding spaces
/// aside): the catalogue compares names as written.
fn normalize_person(name: &str) -> String {
    name.trim().to_owned()
}

fn select<'d>(matcher: &'d Matcher, scope: &Scope<'d>) -> Selected<'d> {
    match &matcher.selection {
        Selection::Each(selector) => scope.select(selector, scope.root),
        Selection::EachKey(patterns) => {
            secrets::members_matching(scope.root, patterns.iter()).into()
        }
    }
}

fn rule_finding(
    rule: &Rule,
    matcher: &Matcher,
    root: Node,
    item: Node,
    at: Node,
    secrets: &secrets::Secrets,
) -> Finding {
    let cx = Context {
        root,
        item,
        finding: at,
        secrets,
    };
    Finding {
        rule: rule.id.clone(),
        severity: rule.severity,
        source: rule.source.clone(),
        pointer: at.pointer(),
        words: Words::Template {
            texts: matcher.texts.clone(),
            values: matcher.texts.bind(&cx),
        },
        waived_by: None,
        cell: None,
    }
}

fn engine_finding(
    rule: &builtin::BuiltinRule,
    pointer: String,
    message: crate::lang::Text,
) -> Finding {
    Finding {
        rule: rule.id.to_owned(),
        severity: rule.severity,
        source: builtin::NO_ARTICLE.to_owned(),
        pointer,
        words: Words::Fixed {
            message,
            fix: rule.fix(),
            page: None,
        },
        waived_by: None,
        cell: None,
    }
}

/// Waivers, precedence between rules, duplicates, and positions: the file's final findings.
fn finish(mut e: Evaluated, rules: &RuleSet) -> FileReport {
    apply_yields(&mut e.findings, rules);
    // One finding per rule and place: a duplicate found within the file and across files
    // is one problem to fix.
    let first: Vec<bool> = {
        let mut seen = HashSet::new();
        e.findings
            .iter()
            .map(|l| seen.insert((&*l.finding.rule, &*l.finding.pointer, l.finding.cell)))
            .collect()
    };
    keep_where(&mut e.findings, &first);
    exceptions::apply(&mut e, rules);

    let mut findings = std::mem::take(&mut e.findings);
    // Unique after the deduplication above: no two findings share rule, pointer and cell.
    // A workbook's findings are in the order of its sheets, rows and columns.
    findings.sort_by(|a, b| {
        (
            a.cell,
            a.span.start,
            &a.finding.rule,
            &a.finding.pointer,
            a.finding.cell,
        )
            .cmp(&(
                b.cell,
                b.span.start,
                &b.finding.rule,
                &b.finding.pointer,
                b.finding.cell,
            ))
    });
    let (text, lines) = e
        .source
        .unwrap_or_else(|| (FileText::default(), LineIndex::new("")));
    FileReport {
        reread: e.reread,
        display: e.display,
        facility: e.facility.id,
        facility_name: e.facility.name,
        facility_kind: e.facility.kind,
        facility_submitted: e.facility.submitted,
        security_officer: e.facility.security_officer,
        accounts: e.facility.accounts,
        devices: e.facility.devices,
        superseded_by: e.superseded_by,
        text,
        lines,
        findings,
        secret_spans: e.secret_spans,
        rules_skipped: e.rules_skipped,
        workbook: e.workbook,
        exceptions: e.exceptions,
    }
}

/// The cells a workbook shows masked: those of secret values, and any other cell whose
/// text contains one (a password repeated in a note).
fn secret_cells<'a>(
    workbook: &Workbook,
    secrets: impl Iterator<Item = &'a Node<'a>>,
) -> Vec<CellRef> {
    let mut values: Vec<String> = Vec::new();
    let mut cells: Vec<CellRef> = Vec::new();
    for node in secrets {
        if let Some(cell) = workbook.cells.get(&node.pointer()) {
            cells.push(*cell);
        }
        if let Some(s) = node.as_str().filter(|s| s.chars().count() >= 4) {
            values.push(s.to_owned());
        }
    }
    for (sheet, grid) in workbook.book.sheets.iter().enumerate() {
        for (&row, cols) in &grid.rows {
            for (&col, raw) in cols {
                let shown = raw.shown();
                if values.iter().any(|v| shown.contains(v.as_str())) {
                    cells.push(CellRef {
                        sheet: sheet as u16,
                        row,
                        col,
                    });
                }
            }
        }
    }
    cells.sort();
    cells.dedup();
    cells
}

/// `yields_to`: a rule's finding gives way to another rule's finding at the same place
/// (an app that is file-sharing software is not also reported as merely unapproved).
fn apply_yields(findings: &mut Vec<Located>, rules: &RuleSet) {
    let keep: Vec<bool> = {
        let places: HashSet<(&str, &str)> = findings
            .iter()
            .map(|l| (&*l.finding.rule, &*l.finding.pointer))
            .collect();
        findings
            .iter()
            .map(|Located { finding: f, .. }| {
                rules.get(&f.rule).is_none_or(|rule| {
                    !rule
                        .yields_to
                        .iter()
                        .any(|other| places.contains(&(other.as_str(), f.pointer.as_str())))
                })
            })
            .collect()
    };
    keep_where(findings, &keep);
}

/// Keeps the elements of `items` whose flag in `keep` (one per element) is set.
fn keep_where<T>(items: &mut Vec<T>, keep: &[bool]) {
    let mut keep = keep.iter();
    items.retain(|_| keep.next().copied().unwrap_or(true));
}
