//! Where each field of the inventory sits in a workbook: `schemas/workbook.toml`, completed
//! by the inventory schema (what each cell holds, its default header and whether it is
//! required).

use std::sync::OnceLock;

use serde::Deserialize;
use serde_json::Value;

use super::cells::folded;
use crate::inventory::schema::SCHEMA;
use crate::lang::{Lang, Text};

/// The layout as shipped in `schemas/`.
pub const LAYOUT: &str = include_str!("../../schemas/workbook.toml");

/// What one cell holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cell {
    Text,
    Integer,
    YesNo,
    Date,
    /// A list of this, one entry per line.
    List(Box<Cell>),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SheetKind {
    Guide,
    /// One object: a row per field, the label in column A and the value in column B.
    Form,
    /// An array of objects: a row per item, a column per field.
    Table,
}

#[derive(Debug, Clone)]
pub struct Column {
    /// Inside the sheet's item: `["screen_lock", "enabled"]`.
    pub path: Vec<String>,
    pub header: Text,
    pub group: Option<Text>,
    pub note: Text,
    pub cell: Cell,
    /// The field may be `null` (written as an empty cell).
    pub nullable: bool,
    /// The schema's allowed codes, when the field (or a list's entry) is a choice.
    pub choices: Vec<String>,
    /// Shown in place of codes (`facility` → 貸与); codes without a label show as is.
    pub labels: Vec<(String, Text)>,
    /// Normalised to NFKC and trimmed when read: ids are typed with full-width characters.
    pub identifier: bool,
    /// The spellings a header cell may have, folded (see [`cells::folded`]): the header in
    /// both languages and the field's path.
    pub header_keys: Vec<String>,
    /// Each labelled code with the spellings that read as it: its labels and itself.
    pub label_keys: Vec<(String, Vec<String>)>,
    /// The field is required in its object.
    pub required: bool,
}

impl Column {
    /// The text a code is written as.
    pub fn label(&self, code: &str, lang: Lang) -> Option<&str> {
        self.labels
            .iter()
            .find(|(c, _)| c == code)
            .map(|(_, t)| t.get(lang))
    }

    pub fn dotted(&self) -> String {
        self.path.join(".")
    }
}

#[derive(Debug, Clone)]
pub struct Sheet {
    pub kind: SheetKind,
    /// The pointer of the sheet's object or array; `*` stands for each item of an array
    /// (`/devices/*/take_out`).
    pub at: String,
    pub name: Text,
    pub title: Option<Text>,
    /// For a sheet of nested items: the column naming the parent item by this field.
    pub parent: Option<Column>,
    pub columns: Vec<Column>,
    /// The sheet's list is optional in the schema (`exceptions`, `network_devices`,
    /// `backups`): a workbook may lack the sheet, and an empty sheet writes no list.
    pub optional: bool,
}

impl Sheet {
    /// `/devices/*/take_out` → (`/devices`, `take_out`).
    pub fn nested(&self) -> Option<(&str, &str)> {
        let (parent, key) = self.at.split_once("/*/")?;
        Some((parent, key))
    }

    /// Every column, the parent column first.
    pub fn all_columns(&self) -> impl Iterator<Item = &Column> {
        self.parent.iter().chain(&self.columns)
    }
}

#[derive(Debug, Clone)]
pub struct Layout {
    pub yes: Text,
    pub no: Text,
    /// Every spelling of yes, and of no, folded.
    pub yes_keys: Vec<String>,
    pub no_keys: Vec<String>,
    pub separators: Vec<String>,
    pub header_rows: u32,
    pub guide: Text,
    pub sheets: Vec<Sheet>,
}

impl Layout {
    /// The shipped layout, checked against the schema once.
    pub fn get() -> &'static Layout {
        static LAYOUT_CELL: OnceLock<Layout> = OnceLock::new();
        LAYOUT_CELL.get_or_init(|| {
            let schema: Value = serde_json::from_str(SCHEMA).expect("the schema is JSON");
            Layout::from_toml(LAYOUT, &schema).expect("schemas/workbook.toml matches the schema")
        })
    }

    pub fn from_toml(text: &str, schema: &Value) -> Result<Layout, String> {
        let file: File = toml::from_str(text).map_err(|e| e.to_string())?;
        let mut sheets = Vec::new();
        for s in file.sheet {
            let kind = match s.kind.as_str() {
                "guide" => SheetKind::Guide,
                "form" => SheetKind::Form,
                "table" => SheetKind::Table,
                other => return Err(format!("unknown sheet kind `{other}`")),
            };
            let item = match kind {
                SheetKind::Guide => None,
                SheetKind::Form => Some(resolve(schema, &s.at)?),
                SheetKind::Table => {
                    let array = resolve(schema, &s.at)?;
                    Some(deref(schema, array.get("items").ok_or("not an array")?))
                }
            };
            let column = |c: FileColumn| -> Result<Column, String> {
                let item = item.ok_or("a guide has no columns")?;
                build_column(schema, item, c)
            };
            let parent = match s.parent {
                Some(p) => {
                    let (parent_at, _) = s.at.split_once("/*/").ok_or("parent of a flat sheet")?;
                    let parent_array = resolve(schema, parent_at)?;
                    let parent_item = deref(schema, parent_array.get("items").ok_or("no items")?);
                    let mut c = build_column(schema, parent_item, p)?;
                    c.required = true;
                    Some(c)
                }
                None => None,
            };
            let columns = s
                .column
                .into_iter()
                .map(column)
                .collect::<Result<Vec<_>, _>>()?;
            let optional = kind == SheetKind::Table
                && s.at.matches('/').count() == 1
                && !schema["required"]
                    .as_array()
                    .is_some_and(|r| r.iter().any(|k| k.as_str() == Some(&s.at[1..])));
            sheets.push(Sheet {
                kind,
                at: s.at,
                name: s.name,
                title: s.title,
                parent,
                columns,
                optional,
            });
        }
        let keys = |words: &[String], t: &Text| {
            let mut k: Vec<String> = words.iter().map(|w| folded(w)).collect();
            k.extend([folded(&t.ja), folded(&t.en)]);
            k
        };
        Ok(Layout {
            yes_keys: keys(&file.yes_no.read_yes, &file.yes_no.yes),
            no_keys: keys(&file.yes_no.read_no, &file.yes_no.no),
            yes: file.yes_no.yes,
            no: file.yes_no.no,
            separators: file.lists.separators,
            header_rows: file.header.rows,
            guide: file.guide,
            sheets,
        })
    }

    pub fn tables(&self) -> impl Iterator<Item = &Sheet> {
        self.sheets.iter().filter(|s| s.kind != SheetKind::Guide)
    }
}

fn build_column(schema: &Value, item: &Value, c: FileColumn) -> Result<Column, String> {
    let path: Vec<String> = c.path.split('/').map(str::to_owned).collect();
    let mut node = item;
    let mut required = true;
    let mut titled = None;
    for key in &path {
        let in_required = node
            .get("required")
            .and_then(Value::as_array)
            .is_some_and(|r| r.iter().any(|k| k == key.as_str()));
        required &= in_required;
        let property = node
            .get("properties")
            .and_then(|p| p.get(key))
            .ok_or_else(|| format!("no field `{}` in the schema", c.path))?;
        // A field's own title (`返却予定日`), not its type's (`日付`).
        titled = property.get("title");
        node = deref(schema, property);
    }
    let title = titled
        .or_else(|| node.get("title"))
        .and_then(Value::as_str)
        .ok_or_else(|| format!("`{}` has no title", c.path))?;
    let (ja, en) = title.split_once(" / ").unwrap_or((title, title));
    let (cell, nullable, choices) = cell_of(schema, node)?;
    let header = c.header.unwrap_or_else(|| Text::new(ja.trim(), en.trim()));
    let header_keys = vec![
        folded(&header.ja),
        folded(&header.en),
        folded(&path.join(".")),
        folded(&path.join("/")),
    ];
    let label_keys = c
        .labels
        .iter()
        .map(|(code, t)| {
            (
                code.clone(),
                vec![folded(&t.ja), folded(&t.en), folded(code)],
            )
        })
        .collect();
    Ok(Column {
        header,
        header_keys,
        label_keys,
        path,
        group: c.group,
        note: c.note,
        cell,
        nullable,
        choices,
        labels: c.labels.into_iter().collect(),
        identifier: c.identifier,
        required,
    })
}

fn cell_of(schema: &Value, node: &Value) -> Result<(Cell, bool, Vec<String>), String> {
    let types: Vec<&str> = match node.get("type") {
        Some(Value::String(t)) => vec![t.as_str()],
        Some(Value::Array(ts)) => ts.iter().filter_map(Value::as_str).collect(),
        _ => vec![],
    };
    let nullable = types.contains(&"null");
    let choices: Vec<String> = node
        .get("enum")
        .and_then(Value::as_array)
        .map(|e| {
            e.iter()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default();
    let cell = if node.get("format").and_then(Value::as_str) == Some("date") {
        Cell::Date
    } else if types.contains(&"integer") {
        Cell::Integer
    } else if types.contains(&"boolean") {
        Cell::YesNo
    } else if types.contains(&"array") {
        let items = deref(schema, node.get("items").ok_or("array without items")?);
        let (inner, _, choices) = cell_of(schema, items)?;
        return Ok((Cell::List(Box::new(inner)), nullable, choices));
    } else if types.contains(&"string") {
        Cell::Text
    } else {
        return Err(format!("no cell for the schema node {node}"));
    };
    Ok((cell, nullable, choices))
}

/// The schema node of a pointer like `/facility` or `/devices/*/take_out`.
fn resolve<'s>(schema: &'s Value, at: &str) -> Result<&'s Value, String> {
    let mut node = schema;
    for token in at.split('/').skip(1) {
        node = if token == "*" {
            deref(schema, node.get("items").ok_or("`*` on a non-array")?)
        } else {
            deref(
                schema,
                node.get("properties")
                    .and_then(|p| p.get(token))
                    .ok_or_else(|| format!("no `{token}` in the schema at {at}"))?,
            )
        };
    }
    Ok(node)
}

/// Follows `$ref` (local, `#/$defs/…`) until a node without one.
pub(crate) fn deref<'s>(schema: &'s Value, mut node: &'s Value) -> &'s Value {
    while let Some(r) = node.get("$ref").and_then(Value::as_str) {
        match r.strip_prefix('#').and_then(|p| schema.pointer(p)) {
            Some(target) => node = target,
            None => break,
        }
    }
    node
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    yes_no: FileYesNo,
    lists: FileLists,
    header: FileHeader,
    guide: Text,
    sheet: Vec<FileSheet>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FileYesNo {
    yes: Text,
    no: Text,
    read_yes: Vec<String>,
    read_no: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FileLists {
    separators: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FileHeader {
    rows: u32,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FileSheet {
    kind: String,
    #[serde(default)]
    at: String,
    name: Text,
    title: Option<Text>,
    parent: Option<FileColumn>,
    #[serde(default)]
    column: Vec<FileColumn>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FileColumn {
    path: String,
    header: Option<Text>,
    group: Option<Text>,
    note: Text,
    #[serde(default)]
    labels: std::collections::BTreeMap<String, Text>,
    #[serde(default)]
    identifier: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_layout_matches_the_schema() {
        let layout = Layout::get();
        let accounts = layout.sheets.iter().find(|s| s.at == "/accounts").unwrap();
        let admin = accounts
            .columns
            .iter()
            .find(|c| c.dotted() == "admin")
            .unwrap();
        assert_eq!(admin.cell, Cell::YesNo);
        assert_eq!(admin.header, Text::new("MCS管理者", "MCS administrator"));
        assert!(admin.required);
        let mcs = accounts
            .columns
            .iter()
            .find(|c| c.dotted() == "mcs_id")
            .unwrap();
        assert!(mcs.nullable && mcs.identifier);
        let length = accounts
            .columns
            .iter()
            .find(|c| c.dotted() == "password.length")
            .unwrap();
        assert_eq!(length.cell, Cell::Integer);
        assert!(!length.required, "password is optional");
        let devices = layout.sheets.iter().find(|s| s.at == "/devices").unwrap();
        let wipe = devices
            .columns
            .iter()
            .find(|c| c.dotted() == "remote_wipe")
            .unwrap();
        assert_eq!(wipe.cell, Cell::List(Box::new(Cell::Text)));
        assert_eq!(wipe.choices, ["remote_wipe", "line_suspension", "mdm"]);
        let take_out = layout.sheets.iter().find(|s| s.nested().is_some()).unwrap();
        assert_eq!(take_out.nested(), Some(("/devices", "take_out")));
        assert_eq!(take_out.parent.as_ref().unwrap().header.ja, "機器ID");
    }

    /// Every choice the schema allows has a label in both languages, every label names a
    /// code the schema allows (or a free text field), and headers are unique per sheet in
    /// each language: a header is how a column is found again.
    #[test]
    fn labels_and_headers_are_complete_and_unique() {
        let layout = Layout::get();
        for sheet in layout.tables() {
            for lang in [Lang::Ja, Lang::En] {
                let mut seen = std::collections::BTreeSet::new();
                for c in sheet.all_columns() {
                    assert!(
                        seen.insert(c.header.get(lang).to_owned()),
                        "{} has two columns headed {}",
                        sheet.at,
                        c.header.get(lang)
                    );
                }
            }
            for c in sheet.all_columns() {
                for code in &c.choices {
                    assert!(
                        c.label(code, Lang::Ja).is_some(),
                        "{} {} has no label for {code}",
                        sheet.at,
                        c.dotted()
                    );
                }
                for (code, _) in &c.labels {
                    assert!(
                        c.choices.is_empty() || c.choices.contains(code),
                        "{} {} labels {code}, which the schema does not allow",
                        sheet.at,
                        c.dotted()
                    );
                }
            }
        }
    }

    /// Every field of the schema that holds a value has a column: a workbook loses nothing.
    #[test]
    fn every_schema_field_has_a_column() {
        let schema: Value = serde_json::from_str(SCHEMA).unwrap();
        let mut fields = std::collections::BTreeSet::new();
        for key in [
            "facility",
            "accounts",
            "devices",
            "network_devices",
            "backups",
            "exceptions",
        ] {
            let node = deref(&schema, &schema["properties"][key]);
            leaves(&schema, node, format!("/{key}"), &mut fields);
        }
        let layout = Layout::get();
        let mut columns = std::collections::BTreeSet::new();
        for sheet in layout.tables() {
            let item = match sheet.kind {
                SheetKind::Form => sheet.at.clone(),
                _ => format!("{}/*", sheet.at),
            };
            for c in &sheet.columns {
                columns.insert(format!("{item}/{}", c.path.join("/")));
            }
        }
        assert_eq!(fields, columns);
        assert!(columns.contains("/devices/*/take_out/*/returned"));
    }

    fn leaves(
        schema: &Value,
        node: &Value,
        at: String,
        out: &mut std::collections::BTreeSet<String>,
    ) {
        if let Some(props) = node.get("properties").and_then(Value::as_object) {
            for (k, v) in props {
                leaves(schema, deref(schema, v), format!("{at}/{k}"), out);
            }
            return;
        }
        if let Some(items) = node.get("items") {
            let items = deref(schema, items);
            if items.get("properties").is_some() {
                return leaves(schema, items, format!("{at}/*"), out);
            }
        }
        out.insert(at);
    }
}
