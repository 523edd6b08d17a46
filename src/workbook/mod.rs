//! Workbooks: the inventory as an Excel file. A workbook is read into the same JSON value
//! a JSON inventory holds — and then parsed, validated and checked exactly like one — with
//! the cell of every pointer kept beside it, so that findings name the cell.
//!
//! - [`layout`]: which sheet, column and header holds each field (`schemas/workbook.toml`);
//! - [`cells`]: one cell's content ↔ a JSON value (dates, yes/no, lists, labels);
//! - [`open`]: a file's bytes → cells (calamine), with the limits that keep it safe;
//! - [`read`]: cells → the inventory, cell references and notes;
//! - [`write`]: an inventory → a workbook file (rust_xlsxwriter), and the template.

pub mod cells;
pub mod grid;
pub mod layout;
pub mod open;
pub mod read;
pub mod write;

use std::collections::BTreeMap;
use std::path::Path;

use serde_json::Value;

pub use grid::{Book, CellRef};
pub use read::Note;

use crate::lang::Text;

/// What an inventory read from a workbook keeps beside its JSON text.
#[derive(Debug, Clone)]
pub struct Workbook {
    pub book: Book,
    pub cells: BTreeMap<String, CellRef>,
    pub notes: Vec<Note>,
    /// Pointers whose schema violations a note explains.
    pub explained: Vec<String>,
    /// The header row of each sheet (by index), shown above a finding's row.
    pub headers: BTreeMap<u16, u32>,
}

impl Workbook {
    /// The cell of a pointer, or of its nearest ancestor that has one.
    pub fn cell_of(&self, at: &str) -> Option<CellRef> {
        crate::inventory::pointer::ancestors(at).find_map(|p| self.cells.get(p).copied())
    }

    /// The language the workbook was made in: Japanese when a sheet has a layout sheet's
    /// Japanese name, else English.
    pub fn lang(&self) -> crate::lang::Lang {
        let japanese = layout::Layout::get().sheets.iter().any(|s| {
            s.name.ja != s.name.en && self.book.sheets.iter().any(|g| g.name == s.name.ja)
        });
        if japanese {
            crate::lang::Lang::Ja
        } else {
            crate::lang::Lang::En
        }
    }

    /// The sheets' names only: what a report that does not show cells needs.
    pub fn names_only(&self) -> Workbook {
        Workbook {
            book: Book {
                sheets: self
                    .book
                    .sheets
                    .iter()
                    .map(|g| grid::Grid::new(g.name.clone()))
                    .collect(),
            },
            cells: BTreeMap::new(),
            notes: Vec::new(),
            explained: Vec::new(),
            headers: BTreeMap::new(),
        }
    }

    /// The cell of a required field left empty, and what to say about it (by its header)
    /// and how to fix it.
    pub fn empty_cell(&self, at: &str) -> Option<(CellRef, Text, Text)> {
        let cell = *self.cells.get(at)?;
        let grid = self.book.sheets.get(usize::from(cell.sheet))?;
        let name = cells::folded(&grid.name);
        let is_form = layout::Layout::get().sheets.iter().any(|s| {
            s.kind == layout::SheetKind::Form
                && [cells::folded(&s.name.ja), cells::folded(&s.name.en)].contains(&name)
        });
        // A form's label is beside its value; a table's header is above it.
        let header = if is_form {
            grid.text(cell.row, 0)
        } else {
            grid.text(*self.headers.get(&cell.sheet)?, cell.col)
        };
        let header = header.trim();
        Some((
            cell,
            Text::new(
                format!("「{header}」が空です（必ず記入する欄です）"),
                format!("\"{header}\" is empty (it must be filled in)"),
            ),
            Text::new("このセルに記入してください", "fill in this cell"),
        ))
    }

    pub fn sheet_name(&self, cell: &CellRef) -> &str {
        self.book
            .sheets
            .get(usize::from(cell.sheet))
            .map_or("", |g| g.name.as_str())
    }

    /// `端末!F12`.
    pub fn reference(&self, cell: &CellRef) -> String {
        grid::reference(self.sheet_name(cell), cell)
    }
}

/// The file extensions read as workbooks.
pub const EXTENSIONS: [&str; 5] = ["xlsx", "xlsm", "xlsb", "xls", "ods"];

pub fn is_workbook(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| EXTENSIONS.iter().any(|x| x.eq_ignore_ascii_case(e)))
}

/// Excel's `~$name.xlsx`: the lock file of a workbook open in Excel, not a workbook.
pub fn is_lock_file(path: &Path) -> bool {
    path.file_name()
        .and_then(|n| n.to_str())
        .is_some_and(|n| n.starts_with("~$"))
}

pub fn lock_file_message() -> Text {
    Text::new(
        "これは Excel が開いているブックの一時ファイル（~$ で始まる名前）で、台帳ではありません。\
         Excel を閉じると消えます。~$ の付かない方のファイルを指定してください",
        "this is the lock file Excel keeps while a workbook is open (its name starts with ~$), \
         not an inventory; it disappears when Excel is closed. Name the file without ~$",
    )
}

/// Reads a workbook's bytes: the inventory as JSON text (fields in the schema's order),
/// and what findings need to name cells.
pub fn load(bytes: &[u8], max_uncompressed: u64) -> Result<(String, Workbook), Text> {
    let book = open::open(bytes, max_uncompressed)?;
    let read = read::read(&book, layout::Layout::get());
    let text = json_text(&read.value);
    Ok((
        text,
        Workbook {
            book,
            cells: read.cells,
            notes: read.notes,
            explained: read.explained,
            headers: read.headers,
        },
    ))
}

/// The inventory as JSON text, two-space indented, fields in the order of the schema (then
/// any others in alphabetical order), as `rurume convert` writes it.
pub fn json_text(value: &Value) -> String {
    use crate::inventory::Document;
    use std::sync::OnceLock;
    // Parsed with the inventory parser, which keeps the schema's order of properties.
    static SCHEMA: OnceLock<Document> = OnceLock::new();
    let schema = SCHEMA.get_or_init(|| {
        crate::inventory::parse::parse(std::sync::Arc::new(
            crate::inventory::schema::SCHEMA.to_owned(),
        ))
        .expect("the schema is JSON")
        .0
    });
    let mut out = String::new();
    pretty(value, Some(schema.root()), schema, 0, &mut out);
    out.push('\n');
    out
}

fn pretty(
    value: &Value,
    node: Option<crate::inventory::Node<'_>>,
    schema: &crate::inventory::Document,
    depth: usize,
    out: &mut String,
) {
    let node = node.map(|mut n| {
        while let Some(target) = n
            .get("$ref")
            .and_then(|r| r.as_str())
            .and_then(|r| r.strip_prefix('#'))
            .and_then(|p| schema.pointer(p))
        {
            n = target;
        }
        n
    });
    let indent = |d: usize| "  ".repeat(d);
    match value {
        Value::Object(map) if !map.is_empty() => {
            let props = node.and_then(|n| n.get("properties"));
            let order: Vec<&str> = props
                .and_then(|p| p.as_object())
                .map(|o| o.iter().map(|(k, _)| k).collect())
                .unwrap_or_default();
            let rank = |k: &String| order.iter().position(|x| x == k).unwrap_or(usize::MAX);
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort_by(|a, b| rank(a).cmp(&rank(b)).then(a.cmp(b)));
            out.push_str("{\n");
            for (i, k) in keys.iter().enumerate() {
                out.push_str(&indent(depth + 1));
                out.push_str(&serde_json::to_string(k).expect("a string"));
                out.push_str(": ");
                pretty(
                    &map[*k],
                    props.and_then(|p| p.get(k)),
                    schema,
                    depth + 1,
                    out,
                );
                if i + 1 < keys.len() {
                    out.push(',');
                }
                out.push('\n');
            }
            out.push_str(&indent(depth));
            out.push('}');
        }
        Value::Array(items) if !items.is_empty() => {
            let item_node = node.and_then(|n| n.get("items"));
            out.push_str("[\n");
            for (i, v) in items.iter().enumerate() {
                out.push_str(&indent(depth + 1));
                pretty(v, item_node, schema, depth + 1, out);
                if i + 1 < items.len() {
                    out.push(',');
                }
                out.push('\n');
            }
            out.push_str(&indent(depth));
            out.push(']');
        }
        other => out.push_str(&serde_json::to_string(other).expect("a value")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lang::Lang;

    fn round_trip(value: &Value, lang: Lang) -> (Value, Workbook) {
        let bytes = write::xlsx(value, layout::Layout::get(), lang).expect("writes");
        let (text, workbook) = load(&bytes, 64 << 20).expect("reads");
        (serde_json::from_str(&text).expect("JSON"), workbook)
    }

    #[test]
    fn every_sample_comes_back_equal_in_both_languages() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/samples");
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_none_or(|e| e != "json") {
                continue;
            }
            let value: Value = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
            for lang in [Lang::Ja, Lang::En] {
                let (back, workbook) = round_trip(&value, lang);
                assert_eq!(back, value, "{} ({lang:?})", path.display());
                assert!(workbook.notes.is_empty(), "{:?}", workbook.notes);
                let text = json_text(&value);
                assert_eq!(serde_json::from_str::<Value>(&text).unwrap(), value);
            }
        }
    }

    #[test]
    fn json_text_follows_the_schema_order() {
        let value = serde_json::json!({"devices": [], "accounts": [], "facility": {"name": "x", "id": "F1"}, "schema_version": 1});
        assert_eq!(
            json_text(&value),
            "{\n  \"schema_version\": 1,\n  \"facility\": {\n    \"id\": \"F1\",\n    \"name\": \"x\"\n  },\n  \"accounts\": [],\n  \"devices\": []\n}\n"
        );
    }

    #[test]
    fn a_template_reads_as_an_empty_inventory() {
        let (back, workbook) = round_trip(&write::empty_inventory(), Lang::Ja);
        assert_eq!(back, write::empty_inventory());
        assert!(workbook.notes.is_empty(), "{:?}", workbook.notes);
    }
}
