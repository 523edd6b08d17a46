//! The roster: the facilities expected to submit in a round (`audit --roster FILE`).
//!
//! A CSV file with a header row (as Excel saves it: UTF-8 with or without a byte-order
//! mark, Shift_JIS/CP932 — what Japanese Excel writes as 「CSV (コンマ区切り)」 — or
//! UTF-16 with a byte-order mark, 「Unicode テキスト」, whose fields are separated by tabs),
//! or a TOML file (`.toml`) with one `[[facility]]` table per facility. At least an `id`
//! and a `name` column; the headers are matched ignoring case, spaces and full-width forms,
//! in Japanese or English ([`ID_HEADERS`], [`NAME_HEADERS`]); other columns are ignored.
//!
//! Nothing in a roster stops the audit: a blank line is skipped, a row without an id, a
//! repeated id (the first row is kept) and a row without a name are notes; a file whose
//! encoding or header cannot be read is a note and no roster, and the audit runs without
//! its lists. Only a roster path that does not exist is an unusable argument (exit 2).

use std::collections::BTreeSet;

use serde::Deserialize;
use unicode_normalization::UnicodeNormalization;

use crate::lang::{Lang, Text};

/// Headers accepted for the facility's code (compared after [`fold`]).
pub const ID_HEADERS: &[&str] = &[
    "id",
    "facility_id",
    "facility.id",
    "code",
    "facility code",
    "事業所コード",
    "事業所id",
    "施設コード",
    "施設id",
    "コード",
];
/// Headers accepted for the facility's name.
pub const NAME_HEADERS: &[&str] = &[
    "name",
    "facility_name",
    "facility.name",
    "facility name",
    "事業所名",
    "施設名",
    "名称",
    "名前",
];

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub id: String,
    pub name: String,
}

/// A roster as read: its facilities, and what could not be read in it.
#[derive(Debug, Clone, Default)]
pub struct Roster {
    /// The facilities, each id once, in the file's order.
    pub entries: Vec<Entry>,
    /// One note per problem, in both languages; the roster's file name first.
    pub notes: Vec<Text>,
    /// The roster could not be read at all: the audit has no roster lists.
    pub unusable: bool,
}

impl Roster {
    /// Reads a roster file. `name` is how messages name it.
    pub fn read(bytes: &[u8], name: &str, toml: bool) -> Roster {
        let mut roster = Roster::default();
        let text = match decode(bytes) {
            Some(text) => text,
            None => {
                roster.fail(Text::new(
                    format!(
                        "{name}: 文字コードを読み取れません。UTF-8 または Shift_JIS（Excel の「CSV (コンマ区切り)」）で保存してください"
                    ),
                    format!(
                        "{name}: the encoding cannot be read; save it as UTF-8 or Shift_JIS (Excel's \"CSV (Comma delimited)\")"
                    ),
                ));
                return roster;
            }
        };
        let rows = if toml {
            toml_rows(&text, name)
        } else {
            csv_rows(&text, name)
        };
        match rows {
            Err(note) => roster.fail(note),
            Ok(rows) => roster.take(rows, name),
        }
        roster
    }

    /// A roster file that exists but cannot be read.
    pub fn unreadable(name: &str, error: &str) -> Roster {
        let mut roster = Roster::default();
        roster.fail(Text::new(
            format!("{name}: 名簿を読めません（{error}）"),
            format!("{name}: the roster cannot be read ({error})"),
        ));
        roster
    }

    fn fail(&mut self, note: Text) {
        self.notes.push(note);
        self.unusable = true;
    }

    /// Keeps each id once; notes rows without an id or a name, and repeated ids.
    fn take(&mut self, rows: Vec<Row>, name: &str) {
        let mut seen = BTreeSet::new();
        for row in rows {
            let id = fold_id(&row.id);
            let at = &row.at;
            if id.is_empty() {
                self.notes.push(Text::new(
                    format!("{name} {}: 事業所コードが空欄の行を読み飛ばしました", at.ja),
                    format!(
                        "{name} {}: a row without a facility code was skipped",
                        at.en
                    ),
                ));
                continue;
            }
            if !seen.insert(id.clone()) {
                self.notes.push(Text::new(
                    format!(
                        "{name} {}: 事業所コード {id} が重複しています（最初の行を使います）",
                        at.ja
                    ),
                    format!(
                        "{name} {}: facility code {id} is listed again (the first row is used)",
                        at.en
                    ),
                ));
                continue;
            }
            let facility = row.name.trim().to_owned();
            if facility.is_empty() {
                self.notes.push(Text::new(
                    format!("{name} {}: {id} の事業所名が空欄です", at.ja),
                    format!("{name} {}: {id} has no facility name", at.en),
                ));
            }
            self.entries.push(Entry { id, name: facility });
        }
    }
}

/// A row of either format, before it is checked.
struct Row {
    id: String,
    name: String,
    /// Where it is, for notes: `3 行目` / `line 3`.
    at: Text,
}

/// UTF-8 (a byte-order mark is dropped), UTF-16 with a byte-order mark, else Shift_JIS
/// (Windows' CP932, as encoding_rs decodes `Shift_JIS`). `None` when none of them reads
/// the bytes without a replacement character.
fn decode(bytes: &[u8]) -> Option<String> {
    if let Some((encoding, bom)) = encoding_rs::Encoding::for_bom(bytes) {
        let (text, had_errors) = encoding.decode_without_bom_handling(&bytes[bom..]);
        return (!had_errors).then(|| text.into_owned());
    }
    if let Ok(text) = std::str::from_utf8(bytes) {
        return Some(text.to_owned());
    }
    let (text, had_errors) = encoding_rs::SHIFT_JIS.decode_without_bom_handling(bytes);
    (!had_errors).then(|| text.into_owned())
}

/// A header or an id as typed: NFKC (full-width letters and digits become ASCII), trimmed.
fn fold_id(s: &str) -> String {
    s.nfkc().collect::<String>().trim().to_owned()
}

/// A header, compared: NFKC, lower case, spaces and `_` as one space.
fn fold(s: &str) -> String {
    let s: String = s.nfkc().collect::<String>().to_lowercase();
    s.split([' ', '_', '\u{3000}'])
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

fn header_is(header: &str, accepted: &[&str]) -> bool {
    let header = fold(header);
    accepted.iter().any(|a| fold(a) == header)
}

fn csv_rows(text: &str, name: &str) -> Result<Vec<Row>, Text> {
    let first = text.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
    let delimiter = if first.contains('\t') && !first.contains(',') {
        b'\t'
    } else {
        b','
    };
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .flexible(true)
        .has_headers(true)
        .from_reader(text.as_bytes());
    let headers = reader.headers().map_err(|e| csv_error(name, &e))?.clone();
    let column = |accepted: &[&str]| headers.iter().position(|h| header_is(h, accepted));
    let (Some(id), Some(facility)) = (column(ID_HEADERS), column(NAME_HEADERS)) else {
        let found: Vec<&str> = headers.iter().collect();
        return Err(Text::new(
            format!(
                "{name}: 1 行目に「id」（事業所コード）と「name」（事業所名）の列が必要です（見出し: {}）",
                found.join("、")
            ),
            format!(
                "{name}: the first row must have an `id` (facility code) and a `name` column (found: {})",
                found.join(", ")
            ),
        ));
    };
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| csv_error(name, &e))?;
        if record.iter().all(|f| f.trim().is_empty()) {
            continue;
        }
        let line = line_at(text, record.position().map_or(0, |p| p.byte() as usize));
        rows.push(Row {
            id: record.get(id).unwrap_or("").to_owned(),
            name: record.get(facility).unwrap_or("").to_owned(),
            at: Text::new(format!("{line} 行目"), format!("line {line}")),
        });
    }
    Ok(rows)
}

/// The 1-based line of a byte offset (counted here: the same for LF and CRLF files).
/// A record's position may be the end of the line before it (the `\n` of a CRLF), so line
/// ends at the offset are skipped first.
fn line_at(text: &str, offset: usize) -> usize {
    let bytes = text.as_bytes();
    let mut offset = offset.min(bytes.len());
    while matches!(bytes.get(offset), Some(b'\r' | b'\n')) {
        offset += 1;
    }
    bytes[..offset].iter().filter(|b| **b == b'\n').count() + 1
}

fn csv_error(name: &str, e: &csv::Error) -> Text {
    let line = e.position().map_or(0, |p| p.line());
    Text::new(
        format!("{name} {line} 行目: CSV として読めません"),
        format!("{name} line {line}: not readable as CSV"),
    )
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TomlRoster {
    #[serde(alias = "facilities")]
    facility: Vec<TomlEntry>,
}

#[derive(Deserialize)]
struct TomlEntry {
    id: toml::Spanned<String>,
    #[serde(default)]
    name: String,
}

fn toml_rows(text: &str, name: &str) -> Result<Vec<Row>, Text> {
    let line_of = |offset: usize| text[..offset.min(text.len())].matches('\n').count() + 1;
    let roster: TomlRoster = toml::from_str(text).map_err(|e| {
        let line = e.span().map_or(1, |s| line_of(s.start));
        Text::new(
            format!(
                "{name} {line} 行目: 名簿として読めません（[[facility]] ごとに id と name を書きます）: {}",
                e.message()
            ),
            format!(
                "{name} line {line}: not a roster ([[facility]] tables with an id and a name): {}",
                e.message()
            ),
        )
    })?;
    Ok(roster
        .facility
        .into_iter()
        .map(|e| {
            let line = line_of(e.id.span().start);
            Row {
                id: e.id.into_inner(),
                name: e.name,
                at: Text::new(format!("{line} 行目"), format!("line {line}")),
            }
        })
        .collect())
}

/// What the roster says about a round: who did not submit, who was not expected.
#[derive(Debug, Clone, Default)]
pub struct Check {
    /// On the roster, without a submission, in the roster's order.
    pub missing: Vec<Entry>,
    /// Submitted, not on the roster: facility ids, sorted.
    pub unexpected: Vec<String>,
    pub notes: Vec<Text>,
}

impl Roster {
    /// Compares the roster with the facility ids of the round's submissions.
    pub fn check<'a>(&self, submitted: impl IntoIterator<Item = &'a str>) -> Check {
        let submitted: BTreeSet<&str> = submitted.into_iter().collect();
        let expected: BTreeSet<&str> = self.entries.iter().map(|e| e.id.as_str()).collect();
        Check {
            missing: self
                .entries
                .iter()
                .filter(|e| !submitted.contains(e.id.as_str()))
                .cloned()
                .collect(),
            unexpected: submitted
                .difference(&expected)
                .map(|s| (*s).to_owned())
                .collect(),
            notes: self.notes.clone(),
        }
    }
}

/// The note for a roster that could not be used, as the audit's summary says it.
pub fn unusable_note(lang: Lang) -> &'static str {
    lang.pick(
        "名簿を使えないため、未提出・名簿外の一覧はありません",
        "the roster cannot be used: no lists of missing and unexpected facilities",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(r: &Roster) -> Vec<(&str, &str)> {
        r.entries
            .iter()
            .map(|e| (e.id.as_str(), e.name.as_str()))
            .collect()
    }

    #[test]
    fn csv_in_every_encoding_excel_writes() {
        let text = "事業所コード,事業所名,担当\r\nF0001,みどり訪問看護,佐藤\r\n\r\nF0002,\"ひがし内科, 本院\",\r\n";
        let utf8 = Roster::read(text.as_bytes(), "r.csv", false);
        assert_eq!(
            ids(&utf8),
            [("F0001", "みどり訪問看護"), ("F0002", "ひがし内科, 本院")]
        );
        assert!(utf8.notes.is_empty(), "{:?}", utf8.notes);
        let bom = [b"\xEF\xBB\xBF".as_slice(), text.as_bytes()].concat();
        assert_eq!(ids(&Roster::read(&bom, "r.csv", false)), ids(&utf8));
        let (sjis, _, bad) = encoding_rs::SHIFT_JIS.encode(text);
        assert!(!bad);
        assert_eq!(ids(&Roster::read(&sjis, "r.csv", false)), ids(&utf8));
        let tabs = "id\tname\nF0001\tみどり訪問看護\nF0002\tひがし内科, 本院\n";
        let mut utf16 = vec![0xFF, 0xFE];
        utf16.extend(tabs.encode_utf16().flat_map(u16::to_le_bytes));
        assert_eq!(ids(&Roster::read(&utf16, "r.txt", false)), ids(&utf8));
    }

    #[test]
    fn problems_are_notes() {
        let text = "ID,Name\nF0001,A\nF0001,B\n,C\nF0003,\n";
        let r = Roster::read(text.as_bytes(), "r.csv", false);
        assert_eq!(ids(&r), [("F0001", "A"), ("F0003", "")]);
        let notes: Vec<&str> = r.notes.iter().map(|n| n.en.as_str()).collect();
        assert_eq!(
            notes,
            [
                "r.csv line 3: facility code F0001 is listed again (the first row is used)",
                "r.csv line 4: a row without a facility code was skipped",
                "r.csv line 5: F0003 has no facility name",
            ]
        );
        let r = Roster::read(b"code,kind\nF1,clinic\n", "r.csv", false);
        assert!(r.unusable && r.entries.is_empty());
        assert!(
            r.notes[0].ja.contains("見出し: code、kind"),
            "{:?}",
            r.notes
        );
        let r = Roster::read(b"\xff\xfe\xfe\xff\x81", "r.csv", false);
        assert!(r.unusable);
    }

    #[test]
    fn toml() {
        let text = "[[facility]]\nid = \"F0001\"\nname = \"A\"\n\n[[facility]]\nid = \"F0001\"\nname = \"B\"\n";
        let r = Roster::read(text.as_bytes(), "r.toml", true);
        assert_eq!(ids(&r), [("F0001", "A")]);
        assert_eq!(
            r.notes[0].en,
            "r.toml line 6: facility code F0001 is listed again (the first row is used)"
        );
        let r = Roster::read(b"[[facility]]\nname = 1\n", "r.toml", true);
        assert!(r.unusable);
    }

    #[test]
    fn missing_and_unexpected() {
        let r = Roster::read(b"id,name\nF1,A\nF2,B\nF3,C\n", "r.csv", false);
        let c = r.check(["F3", "F9", "F1"]);
        assert_eq!(
            c.missing,
            [Entry {
                id: "F2".into(),
                name: "B".into()
            }]
        );
        assert_eq!(c.unexpected, ["F9"]);
    }
}
