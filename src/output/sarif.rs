//! `--format sarif`: SARIF 2.1.0 for GitHub code scanning and other SARIF viewers.
//!
//! One run; one `reportingDescriptor` per rule in force plus the engine's two
//! (`inventory-syntax`, `inventory-schema`), with the article, the quoted policy, the fix
//! and a documentation link in the help; one result per finding, with a physical location
//! (columns in UTF-16 code units, as SARIF counts them), the JSON Pointer as a logical
//! location, fingerprints that do not depend on line numbers, and a `suppressions` entry for
//! findings waived by a 第10条 exception. Validated against the OASIS schema in
//! `tests/ci_formats.rs`.
//!
//! Also home to the rule catalogue (rules in force plus the engine's) that `--format junit`
//! shares.

use std::collections::BTreeMap;
use std::io::Write;

use rayon::prelude::*;
use serde::Serialize;

use super::Summary;
use crate::engine::exceptions::ExceptionRef;
use crate::engine::{FileReport, Located, Report, builtin};
use crate::finding::Severity;

use crate::inventory::spans::{Shape, Spot, Utf16Span};
use crate::lang::{Lang, Text};
use crate::rules::RuleSet;

/// The schema our output follows: the OASIS SARIF 2.1.0 (errata 01) schema, vendored in
/// `tests/schemas/sarif-schema-2.1.0.json`.
pub const SCHEMA_URI: &str =
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";

/// The project's home (a documented placeholder).
pub const HOME: &str = "https://rurume.example/";

/// Where a rule's documentation lives.
pub fn rule_doc_url(id: &str) -> String {
    format!("{HOME}rules/{id}")
}

/// The version of the fingerprint scheme; changing how fingerprints are computed needs a
/// new one, or every alert reopens.
/// v2: the place is [`crate::identity`]'s (`devices[id=d4]/antivirus`), the one every
/// output uses; v1 wrote `/devices/#id=d4/antivirus`.
const FINGERPRINT_KEY: &str = "rurume/v2";

/// GitHub refuses descriptions longer than this.
const MAX_DESCRIPTION: usize = 1024;

pub fn render(report: &Report, rules: &RuleSet, lang: Lang) -> String {
    let mut out = Vec::new();
    write(report, rules, lang, &mut out).expect("writing to memory cannot fail");
    String::from_utf8(out).expect("serde_json writes UTF-8")
}

/// Files' results put into words together, in parallel, before they are written: about
/// this many findings (or one file's, when larger), so that memory holds one batch's text
/// whatever the report's size.
const BATCH: usize = 8 * 1024;

/// Writes the log to `out`: the log without results, with each file's results (put into
/// words and serialised in parallel, a batch of files at a time, in the order of the
/// files) written where the run's `results` are, as the pretty printer writes them there.
pub fn write(
    report: &Report,
    rules: &RuleSet,
    lang: Lang,
    out: &mut impl Write,
) -> std::io::Result<()> {
    write_in(report, rules, lang, out, BATCH)
}

/// [`write`] with batches of about `batch` findings.
fn write_in(
    report: &Report,
    rules: &RuleSet,
    lang: Lang,
    out: &mut impl Write,
    batch: usize,
) -> std::io::Result<()> {
    let catalogue = Catalogue::new(report, rules);
    let document = serde_json::to_string_pretty(&log(report, &catalogue, lang, Vec::new()))
        .expect("serialising plain data cannot fail");
    // The run's `results`, written empty, is the only member of that name six spaces in.
    let empty = "\n      \"results\": [],\n";
    let at = document
        .find(empty)
        .expect("the run has its results member");
    out.write_all(&document.as_bytes()[..at])?;
    out.write_all(b"\n      \"results\": [")?;
    let mut any = false;
    let mut files = report.files.as_slice();
    while !files.is_empty() {
        // At least one file; more while the batch has room.
        let mut findings = files[0].findings.len();
        let mut end = 1;
        while end < files.len() && findings + files[end].findings.len() <= batch {
            findings += files[end].findings.len();
            end += 1;
        }
        let (these, rest) = files.split_at(end);
        files = rest;
        let per_file: Vec<Elements> = these
            .par_iter()
            .map(|file| elements_at_depth_4(&file_results(file, &catalogue, lang)))
            .collect();
        for elements in per_file
            .iter()
            .map(Elements::bytes)
            .filter(|e| !e.is_empty())
        {
            if any {
                out.write_all(b",")?;
            }
            out.write_all(elements)?;
            any = true;
        }
    }
    out.write_all(if any { b"\n      ],\n" } else { b"],\n" })?;
    out.write_all(&document.as_bytes()[at + empty.len()..])?;
    out.write_all(b"\n")
}

/// One file's results.
fn file_results(file: &FileReport, catalogue: &Catalogue, lang: Lang) -> Vec<SarifResult> {
    let exceptions = ExceptionTexts::new(file, lang);
    file.findings
        .iter()
        .map(|located| result(file, located, catalogue, &exceptions, lang))
        .collect()
}

/// The elements of `items` as serde_json's pretty printer writes them at the depth of a
/// run's `results` (`{ "runs": [ { "results": [ … ] } ] }`): its output for
/// `[[[[items…]]]]`, whose innermost elements sit at that depth, without the brackets
/// around them. Each element starts on a line of its own, separated by commas; empty for
/// no items.
fn elements_at_depth_4(items: &[impl Serialize]) -> Elements {
    if items.is_empty() {
        return Elements::default();
    }
    let mut text = Vec::with_capacity(items.len() * 1536 + 64);
    serde_json::to_writer_pretty(&mut text, &[[[items]]]).expect("results serialise");
    const OPEN: &str = "[\n  [\n    [\n      [";
    const CLOSE: &str = "\n      ]\n    ]\n  ]\n]";
    text.truncate(text.len() - CLOSE.len());
    // The brackets before are skipped, not removed: that would move every byte after them.
    Elements {
        text,
        start: OPEN.len(),
    }
}

/// Serialised elements: `text[start..]`.
#[derive(Default)]
struct Elements {
    text: Vec<u8>,
    start: usize,
}

impl Elements {
    fn bytes(&self) -> &[u8] {
        self.text.get(self.start..).unwrap_or_default()
    }
}

/// The log of a report with these results.
fn log<'a>(
    report: &Report,
    catalogue: &'a Catalogue,
    lang: Lang,
    results: Vec<SarifResult>,
) -> Log<'a> {
    let descriptors = catalogue
        .entries
        .iter()
        .map(|e| descriptor(e, lang))
        .collect();
    let summary = Summary::of(report);
    Log {
        schema: SCHEMA_URI,
        version: "2.1.0",
        runs: vec![Run {
            tool: Tool {
                driver: Driver {
                    name: "rurume",
                    full_name: lang.pick(
                        "rurume — るるめネット運用ポリシーの台帳チェッカー",
                        "rurume — inventory checker for the るるめネット operating policy",
                    ),
                    version: env!("CARGO_PKG_VERSION"),
                    semantic_version: env!("CARGO_PKG_VERSION"),
                    information_uri: HOME,
                    rules: descriptors,
                },
            },
            original_uri_base_ids: BTreeMap::from([(
                "%SRCROOT%",
                BaseUri {
                    description: Message {
                        text: lang
                            .pick("rurume を実行したフォルダ", "the folder rurume was run in")
                            .to_owned(),
                    },
                },
            )]),
            results,
            language: match lang {
                Lang::Ja => "ja-JP",
                Lang::En => "en-US",
            },
            column_kind: "utf16CodeUnits",
            properties: RunProperties {
                as_of: report.as_of.to_string(),
                summary,
            },
        }],
    }
}

// ---------------------------------------------------------------------------------------
// The document

#[derive(Serialize)]
struct Log<'a> {
    #[serde(rename = "$schema")]
    schema: &'static str,
    version: &'static str,
    runs: Vec<Run<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Run<'a> {
    tool: Tool<'a>,
    original_uri_base_ids: BTreeMap<&'static str, BaseUri>,
    results: Vec<SarifResult>,
    language: &'static str,
    column_kind: &'static str,
    properties: RunProperties,
}

#[derive(Serialize)]
struct RunProperties {
    #[serde(rename = "asOf")]
    as_of: String,
    summary: Summary,
}

#[derive(Serialize)]
struct BaseUri {
    description: Message,
}

#[derive(Serialize)]
struct Tool<'a> {
    driver: Driver<'a>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Driver<'a> {
    name: &'static str,
    full_name: &'static str,
    version: &'static str,
    semantic_version: &'static str,
    information_uri: &'static str,
    rules: Vec<Descriptor<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Descriptor<'a> {
    id: &'a str,
    name: String,
    short_description: Message,
    full_description: Message,
    help_uri: String,
    help: Help,
    default_configuration: Configuration,
    properties: DescriptorProperties<'a>,
}

#[derive(Serialize)]
struct Message {
    text: String,
}

#[derive(Serialize)]
struct Help {
    text: String,
    markdown: String,
}

#[derive(Serialize)]
struct Configuration {
    level: &'static str,
}

#[derive(Serialize)]
struct DescriptorProperties<'a> {
    tags: Vec<&'a str>,
    precision: &'static str,
    #[serde(rename = "security-severity", skip_serializing_if = "Option::is_none")]
    security_severity: Option<&'static str>,
    /// The article of the policy the rule encodes (`—` for the engine's rules).
    article: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    policy: Option<&'a str>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifResult {
    rule_id: String,
    rule_index: usize,
    level: &'static str,
    message: Message,
    locations: Vec<SarifLocation>,
    partial_fingerprints: BTreeMap<&'static str, String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    suppressions: Vec<Suppression>,
    properties: ResultProperties,
}

#[derive(Serialize)]
struct ResultProperties {
    #[serde(skip_serializing_if = "Option::is_none")]
    facility: Option<String>,
    article: String,
    pointer: String,
    fix: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifLocation {
    physical_location: PhysicalLocation,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    logical_locations: Vec<LogicalLocation>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PhysicalLocation {
    artifact_location: ArtifactLocation,
    region: SarifRegion,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ArtifactLocation {
    uri: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    uri_base_id: Option<&'static str>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifRegion {
    start_line: usize,
    start_column: usize,
    end_line: usize,
    end_column: usize,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct LogicalLocation {
    #[serde(skip_serializing_if = "Option::is_none")]
    name: Option<String>,
    fully_qualified_name: String,
    kind: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Suppression {
    kind: &'static str,
    status: &'static str,
    justification: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    location: Option<SarifLocation>,
}

// ---------------------------------------------------------------------------------------
// Rules

/// One rule as every CI format shows it: a rule of the rule set or one of the engine's.
pub(crate) struct Entry<'a> {
    pub id: &'a str,
    pub severity: Severity,
    pub source: &'a str,
    pub title: Text,
    pub why: Text,
    pub fix: Text,
    pub policy: Option<&'a str>,
    /// An engine rule (the file's format), not policy.
    pub engine: bool,
    /// A rule that runs even on a file that breaks the schema.
    pub always_runs: bool,
}

/// The rules in force plus the engine's, sorted by id, with an index for `ruleIndex`.
pub(crate) struct Catalogue<'a> {
    pub entries: Vec<Entry<'a>>,
    index: BTreeMap<&'a str, usize>,
}

impl<'a> Catalogue<'a> {
    pub fn new(report: &'a Report, rules: &'a RuleSet) -> Catalogue<'a> {
        let mut by_id: BTreeMap<&'a str, Entry<'a>> = BTreeMap::new();
        for rule in &rules.rules {
            let params = &rule.params;
            by_id.insert(
                &rule.id,
                Entry {
                    id: &rule.id,
                    severity: rule.severity,
                    source: &rule.source,
                    title: rule.title.clone(),
                    why: rule.why.clone(),
                    fix: rule
                        .fix
                        .map(|t| crate::engine::template::describe(t, params)),
                    policy: Some(rule.policy.as_str()).filter(|p| !p.trim().is_empty()),
                    engine: false,
                    always_runs: rule.is_secret_scan(),
                },
            );
        }
        for rule in builtin::ALL {
            by_id.entry(rule.id).or_insert_with(|| Entry {
                id: rule.id,
                severity: rule.severity,
                source: builtin::NO_ARTICLE,
                title: rule.title(),
                why: rule.why(),
                fix: rule.fix(),
                policy: None,
                engine: true,
                always_runs: true,
            });
        }
        // A finding of a rule the set does not know (it cannot happen today) still gets a
        // descriptor, so that every `ruleIndex` points at its rule.
        for (_, located) in report.findings() {
            let f = &located.finding;
            by_id.entry(f.rule.as_str()).or_insert_with(|| Entry {
                id: &f.rule,
                severity: f.severity,
                source: &f.source,
                title: Text::new(f.rule.clone(), f.rule.clone()),
                why: Text::new(f.rule.clone(), f.rule.clone()),
                fix: Text::default(),
                policy: None,
                engine: false,
                always_runs: false,
            });
        }
        let entries: Vec<Entry<'a>> = by_id.into_values().collect();
        let index = entries.iter().enumerate().map(|(i, e)| (e.id, i)).collect();
        Catalogue { entries, index }
    }

    pub fn index_of(&self, id: &str) -> usize {
        self.index[id]
    }
}

fn pascal_case(id: &str) -> String {
    id.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| {
            let mut chars = w.chars();
            let first = chars.next().map(|c| c.to_uppercase().collect::<String>());
            first.unwrap_or_default() + chars.as_str()
        })
        .collect()
}

/// At most `max` UTF-16 code units (so also at most `max` characters), cut on a character
/// boundary with an ellipsis.
pub(crate) fn truncate(text: &str, max: usize) -> String {
    let text = text.trim();
    if text.encode_utf16().count() <= max {
        return text.to_owned();
    }
    let mut out = String::new();
    let mut units = 0;
    for c in text.chars() {
        if units + c.len_utf16() > max - 1 {
            break;
        }
        units += c.len_utf16();
        out.push(c);
    }
    out.push('…');
    out
}

fn non_empty(text: &str, fallback: &str) -> String {
    let t = truncate(text, MAX_DESCRIPTION);
    if t.is_empty() {
        truncate(fallback, MAX_DESCRIPTION)
    } else {
        t
    }
}

pub(crate) fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    }
}

fn descriptor<'a>(e: &'a Entry<'a>, lang: Lang) -> Descriptor<'a> {
    let title = e.title.get(lang);
    let why = e.why.get(lang);
    let fix = e.fix.get(lang);
    let url = rule_doc_url(e.id);
    let has_article = e.source != builtin::NO_ARTICLE && !e.source.is_empty();

    let mut text = String::new();
    let mut markdown = format!("**{}** (`{}`)\n\n", title, e.id);
    if has_article {
        text.push_str(&format!("{}: {}\n", lang.pick("根拠", "Article"), e.source));
        markdown.push_str(&format!(
            "{}: **{}**\n\n",
            lang.pick("根拠", "Article"),
            e.source
        ));
    }
    if let Some(policy) = e.policy {
        let label = lang.pick(
            "ポリシーの条文",
            "Policy text (るるめネット運用ポリシー, in Japanese)",
        );
        text.push_str(&format!("{label}: 「{}」\n", policy.trim()));
        markdown.push_str(&format!("{label}:\n\n"));
        for line in policy.trim().lines() {
            markdown.push_str(&format!("> {line}\n"));
        }
        markdown.push('\n');
    }
    if !why.is_empty() {
        text.push_str(&format!("{}: {why}\n", lang.pick("理由", "Why")));
        markdown.push_str(&format!("{}: {why}\n\n", lang.pick("**理由**", "**Why**")));
    }
    if !fix.is_empty() {
        text.push_str(&format!("{}: {fix}\n", lang.pick("直し方", "Fix")));
        markdown.push_str(&format!(
            "{}: {fix}\n\n",
            lang.pick("**直し方**", "**Fix**")
        ));
    }
    text.push_str(&format!("{}: {url}\n", lang.pick("説明", "Documentation")));
    markdown.push_str(&format!(
        "[{}]({url})\n",
        lang.pick(
            &format!("規則 {} の説明", e.id),
            &format!("Documentation of {}", e.id)
        )
    ));

    let tags = if e.engine {
        vec!["rurume", "inventory", "correctness"]
    } else {
        vec!["rurume", "security", "compliance"]
    };
    Descriptor {
        id: e.id,
        name: pascal_case(e.id),
        short_description: Message {
            text: non_empty(title, e.id),
        },
        full_description: Message {
            text: non_empty(why, title),
        },
        help_uri: url,
        help: Help { text, markdown },
        default_configuration: Configuration {
            level: level(e.severity),
        },
        properties: DescriptorProperties {
            tags,
            precision: "very-high",
            security_severity: match (e.engine, e.severity) {
                (true, _) => None,
                (false, Severity::Error) => Some("7.5"),
                (false, Severity::Warning) => Some("4.0"),
            },
            article: e.source,
            policy: e.policy,
        },
    }
}

// ---------------------------------------------------------------------------------------
// Results

fn result(
    file: &FileReport,
    located: &Located,
    catalogue: &Catalogue,
    exceptions: &ExceptionTexts,
    lang: Lang,
) -> SarifResult {
    let f = &located.finding;
    let region = located_region(located);
    let id = crate::identity::Key::of(file, located);
    let key = format!("{}\u{0}{}\u{0}{}", id.rule, id.facility, id.place);
    let hash = fnv1a_128(format!("{FINGERPRINT_KEY}\u{0}{key}").as_bytes());
    let partial_fingerprints = BTreeMap::from([
        ("primaryLocationLineHash", format!("{:016x}:1", hash as u64)),
        (FINGERPRINT_KEY, format!("{hash:032x}")),
    ]);
    let suppressions = match &f.waived_by {
        Some(exception) => vec![Suppression {
            kind: "external",
            status: "accepted",
            justification: exceptions.justification(exception),
            location: exceptions
                .spot(exception)
                .map(|spot| location(file, spot, exception)),
        }],
        None => vec![],
    };
    SarifResult {
        rule_id: f.rule.clone(),
        rule_index: catalogue.index_of(&f.rule),
        level: level(f.severity),
        message: Message {
            text: non_empty(&f.message(lang), &f.rule),
        },
        locations: vec![location_of(file, located, region)],
        partial_fingerprints,
        suppressions,
        properties: ResultProperties {
            facility: file.facility.clone(),
            article: f.source.clone(),
            pointer: f.pointer.clone(),
            fix: f.fix(lang).into_owned(),
        },
    }
}

fn location_of(file: &FileReport, located: &Located, region: Region) -> SarifLocation {
    let parsed = !located.finding.rule.eq(builtin::SYNTAX.id);
    let kind = if parsed { kind(located.shape) } else { "text" };
    let mut logical_locations = vec![logical(&located.finding.pointer, kind)];
    if let Some(cell) = file.cell(located) {
        logical_locations.push(LogicalLocation {
            name: cell.rsplit_once('!').map(|(_, a1)| a1.to_owned()),
            fully_qualified_name: cell,
            kind: "element",
        });
    }
    SarifLocation {
        physical_location: PhysicalLocation {
            artifact_location: artifact_location(&file.display),
            region: region.into(),
        },
        logical_locations,
    }
}

fn location(file: &FileReport, spot: Spot, at: &str) -> SarifLocation {
    SarifLocation {
        physical_location: PhysicalLocation {
            artifact_location: artifact_location(&file.display),
            region: Region::from(spot.utf16).into(),
        },
        logical_locations: vec![logical(at, kind(spot.shape))],
    }
}

fn logical(at: &str, kind: &'static str) -> LogicalLocation {
    LogicalLocation {
        name: at.rsplit_once('/').map(|(_, last)| pointer_token(last)),
        fully_qualified_name: at.to_owned(),
        kind,
    }
}

fn pointer_token(token: &str) -> String {
    token.replace("~1", "/").replace("~0", "~")
}

/// What a JSON value is, as SARIF's logical locations name it.
fn kind(shape: Shape) -> &'static str {
    match shape {
        Shape::Object => "object",
        Shape::Array => "array",
        Shape::Value => "value",
    }
}

// ---------------------------------------------------------------------------------------
// Positions

/// A region in 1-based lines and 1-based columns counted in UTF-16 code units (SARIF's and
/// GitHub's unit); the end column is exclusive, and an empty span is a point.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Region {
    pub start_line: usize,
    pub start_column: usize,
    pub end_line: usize,
    pub end_column: usize,
}

impl From<Region> for SarifRegion {
    fn from(r: Region) -> SarifRegion {
        SarifRegion {
            start_line: r.start_line,
            start_column: r.start_column,
            end_line: r.end_line,
            end_column: r.end_column,
        }
    }
}

impl From<Utf16Span> for Region {
    fn from(u: Utf16Span) -> Region {
        Region {
            start_line: u.start.line,
            start_column: u.start.column,
            end_line: u.end.line,
            end_column: u.end.column,
        }
    }
}

/// The region of a finding: where the engine placed it in the text, in UTF-16 code units
/// ([`crate::inventory::spans::LineIndex::spot`]), so the report need not keep the text;
/// in a workbook, its cell's row and column.
pub fn located_region(located: &Located) -> Region {
    if located.cell.is_none() {
        return located.utf16().into();
    }
    let end = if located.span.end > located.span.start {
        located.end.max(located.position)
    } else {
        located.position
    };
    Region {
        start_line: located.position.line.max(1),
        start_column: located.position.column.max(1),
        end_line: end.line.max(1),
        end_column: end.column.max(1),
    }
}

// ---------------------------------------------------------------------------------------
// Paths

/// The artifact location of a displayed path: a relative URI against `%SRCROOT%` (the folder
/// rurume ran in), or a `file:` URI for an absolute path; percent-encoded as RFC 3986 wants.
fn artifact_location(display: &str) -> ArtifactLocation {
    let path = display.replace('\\', "/");
    let mut rel = path.as_str();
    while let Some(r) = rel.strip_prefix("./") {
        rel = r;
    }
    let bytes = rel.as_bytes();
    if rel.starts_with('/') {
        ArtifactLocation {
            uri: format!("file://{}", encode_path(rel)),
            uri_base_id: None,
        }
    } else if bytes.len() >= 3 && bytes[0].is_ascii_alphabetic() && &bytes[1..3] == b":/" {
        ArtifactLocation {
            uri: format!("file:///{}:{}", &rel[..1], encode_path(&rel[2..])),
            uri_base_id: None,
        }
    } else {
        ArtifactLocation {
            uri: encode_path(rel),
            uri_base_id: Some("%SRCROOT%"),
        }
    }
}

/// Percent-encodes everything but unreserved characters, sub-delimiters, `@` and `/`
/// (a `:` too, so that a first segment is never taken for a scheme).
fn encode_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        let keep = b.is_ascii_alphanumeric() || b"-._~!$&'()*+,;=@/".contains(&b);
        if keep {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

// ---------------------------------------------------------------------------------------
// Fingerprints

/// FNV-1a, 128 bits: stable across Rust releases and platforms, unlike `DefaultHasher`.
fn fnv1a_128(bytes: &[u8]) -> u128 {
    const OFFSET: u128 = 0x6c62272e07bb014262b821756295c58d;
    const PRIME: u128 = 0x0000000001000000000000000000013b;
    bytes
        .iter()
        .fold(OFFSET, |h, &b| (h ^ u128::from(b)).wrapping_mul(PRIME))
}

// ---------------------------------------------------------------------------------------
// Waivers

/// What the 第10条 exceptions of a file say, for the findings they waive.
pub(crate) struct ExceptionTexts<'d> {
    /// Their texts have the file's secrets masked already ([`crate::engine::exceptions::mask_texts`]).
    exceptions: &'d [ExceptionRef],
    lang: Lang,
    /// Each exception's justification, worded once however many findings it waives.
    worded: std::cell::RefCell<std::collections::HashMap<String, String>>,
}

impl<'d> ExceptionTexts<'d> {
    pub fn new(file: &'d FileReport, lang: Lang) -> ExceptionTexts<'d> {
        ExceptionTexts {
            exceptions: &file.exceptions,
            lang,
            worded: Default::default(),
        }
    }

    fn exception(&self, pointer: &str) -> Option<&ExceptionRef> {
        self.exceptions.iter().find(|e| e.pointer == pointer)
    }

    fn field(&self, exception: &str, key: fn(&ExceptionRef) -> &Option<String>) -> Option<String> {
        let s = key(self.exception(exception)?).as_deref()?.trim();
        (!s.is_empty()).then(|| s.to_owned())
    }

    fn spot(&self, exception: &str) -> Option<Spot> {
        self.exception(exception)?.spot
    }

    /// Why a finding is waived: the exception, its reason, approver, expiry and note.
    pub fn justification(&self, exception: &str) -> String {
        if let Some(worded) = self.worded.borrow().get(exception) {
            return worded.clone();
        }
        let worded = self.word(exception);
        self.worded
            .borrow_mut()
            .insert(exception.to_owned(), worded.clone());
        worded
    }

    fn word(&self, exception: &str) -> String {
        let lang = self.lang;
        let mut out = lang
            .pick(
                &format!("第10条の例外（{exception}）により免除"),
                &format!("waived by the Article 10 exception at {exception}"),
            )
            .to_owned();
        if let Some(reason) = self.field(exception, |e| &e.reason) {
            let meaning = match reason.as_str() {
                "life_protection" => lang.pick(
                    "人の生命・身体の保護のため",
                    "to protect a person's life or body",
                ),
                "disaster" => lang.pick(
                    "災害時の連絡・情報共有のため",
                    "for communication in a disaster",
                ),
                _ => "",
            };
            let reason = match (meaning.is_empty(), lang) {
                (true, _) => reason,
                (false, Lang::Ja) => format!("{meaning}（{reason}）"),
                (false, Lang::En) => format!("{meaning} ({reason})"),
            };
            out.push_str(lang.pick(&format!("。理由: {reason}"), &format!("; reason: {reason}")));
        }
        if let Some(by) = self.field(exception, |e| &e.approved_by) {
            out.push_str(lang.pick(&format!("。承認: {by}"), &format!("; approved by {by}")));
        }
        if let Some(until) = self.field(exception, |e| &e.expires) {
            out.push_str(lang.pick(&format!("。期限: {until}"), &format!("; expires {until}")));
        }
        if let Some(note) = self.field(exception, |e| &e.note) {
            out.push_str(lang.pick(&format!("。備考: {note}"), &format!("; note: {note}")));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::inventory::spans::LineIndex;

    /// The results serialised per file in parallel and spliced into the log are the log
    /// as serde_json's pretty printer writes it whole: no findings, one, many files with
    /// and without findings, a waived finding, a file that does not parse.
    #[test]
    fn written_in_parallel_as_the_printer_writes_it_whole() {
        let rules = RuleSet::builtin().unwrap();
        let base = std::fs::read_to_string("rules/example-base.json").unwrap();
        let samples: Vec<crate::inventory::Inventory> = std::fs::read_dir("samples")
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|x| x == "json"))
            .map(|p| {
                let text = std::fs::read_to_string(&p).unwrap();
                crate::inventory::Inventory::from_text(p.display().to_string(), text)
            })
            .collect();
        let sets: Vec<(Vec<crate::inventory::Inventory>, &str)> = vec![
            (vec![], "2026-11-26"),
            (
                vec![crate::inventory::Inventory::from_text(
                    "a.json".into(),
                    base.clone(),
                )],
                "2026-01-01",
            ),
            (
                vec![crate::inventory::Inventory::from_text(
                    "a.json".into(),
                    base.clone(),
                )],
                "2026-11-26",
            ),
            (
                vec![
                    crate::inventory::Inventory::from_text("a.json".into(), base.clone()),
                    crate::inventory::Inventory::from_text("b.json".into(), "{".into()),
                ],
                "2026-11-26",
            ),
            (samples, "2026-11-26"),
        ];
        for (inventories, as_of) in sets {
            let report = crate::engine::check(inventories, &rules, as_of.parse().unwrap());
            for lang in [Lang::Ja, Lang::En] {
                let catalogue = Catalogue::new(&report, &rules);
                let results = report
                    .files
                    .iter()
                    .flat_map(|f| file_results(f, &catalogue, lang))
                    .collect();
                let whole = serde_json::to_string_pretty(&log(&report, &catalogue, lang, results))
                    .unwrap()
                    + "\n";
                assert_eq!(render(&report, &rules, lang), whole, "{as_of} {lang:?}");
                // In batches of every size: of one file, of files together, a file larger
                // than a batch.
                for batch in [0, 1, 5, 40] {
                    let mut out = Vec::new();
                    write_in(&report, &rules, lang, &mut out, batch).unwrap();
                    assert_eq!(String::from_utf8(out).unwrap(), whole, "{batch}");
                }
            }
        }
    }

    fn region_of(text: &str, start: usize, end: usize) -> Region {
        let span = crate::inventory::spans::Span {
            start,
            end,
            key_start: None,
        };
        LineIndex::new(text).spot(text, span).utf16.into()
    }

    #[test]
    fn utf16_columns_count_code_units_from_the_line_start() {
        let text = "{\n  \"名前\": \"x\", \"😀\": 1\n}";
        let at = |offset: usize| {
            let r = region_of(text, offset, offset);
            (r.start_line, r.start_column)
        };
        assert_eq!(at(text.find("\"x\"").unwrap()), (2, 9));
        // `😀` is two UTF-16 code units.
        assert_eq!(at(text.find('1').unwrap()), (2, 20));
        assert_eq!(at(0), (1, 1));
    }

    #[test]
    fn regions_are_never_below_one_and_empty_spans_are_points() {
        let r = region_of("", 0, 0);
        assert_eq!(
            (r.start_line, r.start_column, r.end_line, r.end_column),
            (1, 1, 1, 1)
        );
        let text = "{\n  \"a\": {\n    \"b\": 1\n  }\n}\n";
        let start = text.find("{\n    ").unwrap();
        let end = text.rfind("}\n}").unwrap() + 1;
        let r = region_of(text, start, end);
        assert_eq!(
            (r.start_line, r.start_column, r.end_line, r.end_column),
            (2, 8, 4, 4)
        );
        // Past the end, or inside a character: moved back.
        let r = region_of("é", 1, 99);
        assert_eq!((r.start_line, r.start_column), (1, 1));
    }

    #[test]
    fn descriptions_are_cut_on_character_boundaries() {
        let long = "あ".repeat(2000);
        let t = truncate(&long, MAX_DESCRIPTION);
        assert_eq!(t.encode_utf16().count(), MAX_DESCRIPTION);
        assert!(t.ends_with('…'));
        let emoji = "😀".repeat(600);
        let t = truncate(&emoji, MAX_DESCRIPTION);
        assert!(t.encode_utf16().count() <= MAX_DESCRIPTION);
        assert_eq!(truncate("  short  ", 10), "short");
    }

    #[test]
    fn names_and_uris() {
        assert_eq!(pascal_case("password-length"), "PasswordLength");
        assert_eq!(pascal_case("inventory-syntax"), "InventorySyntax");
        assert_eq!(
            artifact_location("./samples/F0001 a,b.json").uri,
            "samples/F0001%20a,b.json"
        );
        assert_eq!(
            artifact_location("台帳.json").uri,
            "%E5%8F%B0%E5%B8%B3.json"
        );
        assert_eq!(artifact_location("a:b.json").uri, "a%3Ab.json");
        let abs = artifact_location("/srv/x.json");
        assert_eq!(
            (abs.uri.as_str(), abs.uri_base_id),
            ("file:///srv/x.json", None)
        );
        assert_eq!(
            artifact_location("C:\\inv\\x.json").uri,
            "file:///C:/inv/x.json"
        );
    }

    #[test]
    fn fnv_is_the_reference_function() {
        // FNV-1a 128 of the empty input is the offset basis; of "a", the published value.
        assert_eq!(fnv1a_128(b""), 0x6c62272e07bb014262b821756295c58d);
        assert_eq!(fnv1a_128(b"a"), 0xd228cb696f1a8caf78912b704e4a8964);
    }
}
