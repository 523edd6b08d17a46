//! A workbook's cells → the inventory's JSON value, the cell of every pointer, and notes
//! about cells that have no place in the JSON.

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use super::cells::{self, Raw, folded};
use super::grid::{Book, CellRef, Grid};
use super::layout::{Column, Layout, Sheet, SheetKind};
use crate::inventory::pointer;
use crate::lang::Text;

/// The header of the hidden column (or the label of the hidden form row) where `convert`
/// keeps what cells alone cannot say (an empty list that is not absent, a `$schema`).
pub const SHAPE_HEADER: &str = "rurume";

/// The labels of the form sheet's header row.
pub const FORM_HEADERS: [(&str, &str); 3] =
    [("項目", "Field"), ("記入欄", "Value"), ("説明", "Note")];

/// A cell the JSON cannot point at, or a cell that could not be read: an
/// `inventory-schema` finding at that cell.
#[derive(Debug, Clone, PartialEq)]
pub struct Note {
    /// The nearest item's pointer.
    pub pointer: String,
    pub cell: CellRef,
    pub message: Text,
    pub fix: Text,
    /// The inventory cannot be evaluated as it is (a value could not be read): the policy
    /// rules wait, as they do for a schema error.
    pub blocks: bool,
}

#[derive(Debug, Default)]
pub struct Read {
    pub value: Value,
    /// The cell of each pointer: a value's own cell, an item's first cell.
    pub cells: BTreeMap<String, CellRef>,
    pub notes: Vec<Note>,
    /// Pointers whose schema violations a note already explains (or that hold what the
    /// workbook has beyond the inventory): not reported again.
    pub explained: Vec<String>,
    /// The header row of each sheet read (by the sheet's index).
    pub headers: BTreeMap<u16, u32>,
    /// Shape cells, applied once every sheet is read: the item's pointer, the cell, its
    /// text.
    shapes: Vec<(String, CellRef, String)>,
}

impl Read {
    /// The cell of a pointer, or of its nearest ancestor that has one.
    pub fn cell_of(&self, at: &str) -> Option<CellRef> {
        pointer::ancestors(at).find_map(|p| self.cells.get(p).copied())
    }
}

/// Reads the book as an inventory.
pub fn read(book: &Book, layout: &Layout) -> Read {
    let mut out = Read::default();
    let mut root = Map::new();
    root.insert("schema_version".into(), Value::from(1));
    let found: Vec<(&Sheet, Option<usize>)> = layout
        .tables()
        .map(|sheet| (sheet, find_sheet(book, sheet)))
        .collect();
    let first_sheet = CellRef {
        sheet: 0,
        row: 0,
        col: 0,
    };
    out.cells.insert(String::new(), first_sheet);
    let mut root_shape: Option<(CellRef, String)> = None;
    let mut nested: Vec<(&Sheet, usize)> = Vec::new();
    for (sheet, index) in &found {
        let Some(index) = *index else {
            let required = sheet.nested().is_none() && !sheet.optional;
            if required {
                out.notes.push(missing_sheet(book, sheet, first_sheet));
                if sheet.kind == SheetKind::Table {
                    root.insert(key_of(&sheet.at), Value::Array(Vec::new()));
                }
            }
            continue;
        };
        let grid = &book.sheets[index];
        let sheet_no = index as u16;
        match sheet.kind {
            SheetKind::Form => {
                let (object, shape) = read_form(grid, sheet_no, sheet, layout, &mut out);
                root.insert(key_of(&sheet.at), Value::Object(object));
                root_shape = shape;
            }
            SheetKind::Table if sheet.nested().is_some() => nested.push((sheet, index)),
            SheetKind::Table => {
                let items = read_table(grid, sheet_no, sheet, &sheet.at, layout, &mut out, None);
                let items: Vec<Value> = items.into_iter().map(|(_, v)| v).collect();
                if !items.is_empty() || !sheet.optional {
                    root.insert(key_of(&sheet.at), Value::Array(items));
                }
            }
            SheetKind::Guide => {}
        }
    }
    let mut root = Value::Object(root);
    for (sheet, index) in nested {
        read_nested(
            &book.sheets[index],
            index as u16,
            sheet,
            layout,
            &mut root,
            &mut out,
        );
    }
    // What the workbook holds beyond the inventory stays out of the JSON; what looks like
    // a password there is still found (see `unknown_sheet`).
    let known: Vec<usize> = found.iter().filter_map(|(_, i)| *i).collect();
    for (index, grid) in book.sheets.iter().enumerate() {
        let is_guide = layout
            .sheets
            .iter()
            .any(|s| s.kind == SheetKind::Guide && names(&s.name).contains(&folded(&grid.name)));
        if !known.contains(&index) && !is_guide {
            unknown_sheet(grid, index as u16, &mut root, &mut out);
        }
    }
    // Shapes last: they compare with what the cells say, take-out records included.
    for (at, cell, text) in std::mem::take(&mut out.shapes) {
        if let Some(item) = root.pointer_mut(&at) {
            let mut notes = Read::default();
            apply_shape(item, &text, cell, &at, &mut notes);
            out.notes.extend(notes.notes);
        }
    }
    if let Some((cell, text)) = root_shape {
        apply_shape(&mut root, &text, cell, "", &mut out);
    }
    out.value = root;
    out
}

fn key_of(at: &str) -> String {
    at.trim_start_matches('/').to_owned()
}

fn names(name: &Text) -> [String; 2] {
    [folded(&name.ja), folded(&name.en)]
}

fn find_sheet(book: &Book, sheet: &Sheet) -> Option<usize> {
    let wanted = names(&sheet.name);
    book.sheets
        .iter()
        .position(|g| wanted.contains(&folded(&g.name)))
}

fn missing_sheet(book: &Book, sheet: &Sheet, cell: CellRef) -> Note {
    let present: Vec<&str> = book.sheets.iter().map(|g| g.name.as_str()).collect();
    Note {
        pointer: sheet.at.clone(),
        cell,
        message: Text::new(
            format!(
                "「{}」シートがありません（このブックのシート: {}）",
                sheet.name.ja,
                present.join("、")
            ),
            format!(
                "there is no \"{}\" sheet (the workbook has: {})",
                sheet.name.en,
                present.join(", ")
            ),
        ),
        fix: Text::new(
            format!(
                "シート名を「{}」に戻すか、`rurume template` で作ったブックに書き写してください",
                sheet.name.ja
            ),
            format!(
                "name the sheet \"{}\" again, or copy the rows into a workbook made by `rurume template`",
                sheet.name.en
            ),
        ),
        blocks: true,
    }
}

fn header_matches(column: &Column, text: &str) -> bool {
    let key = folded(text);
    !key.is_empty() && column.header_keys.contains(&key)
}

/// The facility sheet: labels in column A, values in column B.
fn read_form(
    grid: &Grid,
    sheet_no: u16,
    sheet: &Sheet,
    layout: &Layout,
    out: &mut Read,
) -> (Map<String, Value>, Option<(CellRef, String)>) {
    let at = sheet.at.as_str();
    let cell = |row: u32, col: u32| CellRef {
        sheet: sheet_no,
        row,
        col,
    };
    let header_row = grid.rows.keys().copied().find(|&r| {
        let a = folded(&grid.text(r, 0));
        a == folded(FORM_HEADERS[0].0) || a == folded(FORM_HEADERS[0].1)
    });
    let first = header_row.map_or(0, |r| r + 1);
    if let Some(r) = header_row {
        out.headers.insert(sheet_no, r);
    }
    let mut object = Map::new();
    let mut shape = None;
    let mut seen: Vec<usize> = Vec::new();
    let mut first_data: Option<u32> = None;
    for (&row, cols) in grid.rows.range(first..) {
        let label = grid.text(row, 0);
        let raw = cols.get(&1).cloned().unwrap_or(Raw::Empty);
        if label.trim().is_empty() && raw.is_empty() {
            continue;
        }
        if label.trim() == SHAPE_HEADER {
            if let Raw::Text(t) = &raw {
                shape = Some((cell(row, 1), t.clone()));
            }
            continue;
        }
        let Some((i, column)) = sheet
            .columns
            .iter()
            .enumerate()
            .find(|(_, c)| header_matches(c, &label))
        else {
            if !raw.is_empty() {
                let key = label.trim().to_owned();
                out.notes.push(unknown_field(at, cell(row, 0), &key));
                keep_unknown(&mut object, &key, &raw, at, cell(row, 1), out);
            }
            continue;
        };
        first_data.get_or_insert(row);
        if seen.contains(&i) {
            out.notes.push(duplicate(at, cell(row, 0), column));
            continue;
        }
        seen.push(i);
        let value_at = format!("{at}/{}", column.path.join("/"));
        out.cells.insert(value_at.clone(), cell(row, 1));
        put(
            &mut object,
            column,
            &raw,
            layout,
            &value_at,
            at,
            cell(row, 1),
            out,
        );
    }
    // Fields without a row: their empty value (a required list is `[]`).
    for (i, column) in sheet.columns.iter().enumerate() {
        if !seen.contains(&i)
            && let Ok(Some(v)) = cells::read(&Raw::Empty, column, layout)
        {
            set_path(&mut object, &column.path, v);
        }
    }
    out.cells
        .insert(at.to_owned(), cell(first_data.unwrap_or(first), 0));
    (object, shape)
}

/// A table's rows as items, each with its row number. `parent` gives the column that
/// names the parent item, for nested sheets; its value is returned as the item's
/// `__parent`.
fn read_table(
    grid: &Grid,
    sheet_no: u16,
    sheet: &Sheet,
    at: &str,
    layout: &Layout,
    out: &mut Read,
    parent: Option<&Column>,
) -> Vec<(u32, Value)> {
    let cell = |row: u32, col: u32| CellRef {
        sheet: sheet_no,
        row,
        col,
    };
    // The header row: of the first rows, the one naming the most columns.
    let candidates = grid.rows.keys().copied().take_while(|&r| r < 20);
    let mut best: Option<(usize, u32)> = None;
    for r in candidates {
        let n = grid.rows[&r]
            .keys()
            .filter(|&&c| {
                let key = folded(&grid.text(r, c));
                !key.is_empty()
                    && sheet
                        .all_columns()
                        .any(|col| col.header_keys.contains(&key))
            })
            .count();
        if n > 0 && best.is_none_or(|(m, _)| n > m) {
            best = Some((n, r));
        }
    }
    let Some((_, header_row)) = best else {
        if grid
            .rows
            .values()
            .any(|r| r.values().any(|v| !v.is_empty()))
        {
            out.notes.push(Note {
                pointer: at.to_owned(),
                cell: cell(0, 0),
                message: Text::new(
                    format!(
                        "「{}」シートに見出しの行が見つかりません（例:「{}」）",
                        sheet.name.ja,
                        sheet.all_columns().next().map_or("", |c| c.header.ja.as_str())
                    ),
                    format!(
                        "the \"{}\" sheet has no header row (e.g. \"{}\")",
                        sheet.name.en,
                        sheet.all_columns().next().map_or("", |c| c.header.en.as_str())
                    ),
                ),
                fix: Text::new(
                    "データの上に見出しの行を戻してください（`rurume template` で作ったブックの見出しを写せます）",
                    "put the header row back above the data (copy it from a workbook made by `rurume template`)",
                ),
                blocks: true,
            });
        }
        return Vec::new();
    };
    out.headers.insert(sheet_no, header_row);
    // Column index → what it holds.
    enum Holds<'l> {
        Field(&'l Column),
        Parent(&'l Column),
        Shape,
        Unknown(String),
    }
    let mut columns: BTreeMap<u32, Holds> = BTreeMap::new();
    let mut taken: Vec<String> = Vec::new();
    for &c in grid.rows[&header_row].keys() {
        let text = grid.text(header_row, c);
        if text.trim().is_empty() {
            continue;
        }
        if text.trim() == SHAPE_HEADER {
            columns.insert(c, Holds::Shape);
            continue;
        }
        let found = parent
            .filter(|p| header_matches(p, &text))
            .map(Holds::Parent)
            .or_else(|| {
                sheet
                    .columns
                    .iter()
                    .find(|col| header_matches(col, &text))
                    .map(Holds::Field)
            });
        match found {
            Some(Holds::Field(col)) | Some(Holds::Parent(col)) if taken.contains(&col.dotted()) => {
                out.notes.push(duplicate(at, cell(header_row, c), col));
            }
            Some(h) => {
                if let Holds::Field(col) | Holds::Parent(col) = &h {
                    taken.push(col.dotted());
                }
                columns.insert(c, h);
            }
            None => {
                out.notes
                    .push(unknown_field(at, cell(header_row, c), text.trim()));
                columns.insert(c, Holds::Unknown(text.trim().to_owned()));
            }
        }
    }
    let first_col = columns.keys().next().copied().unwrap_or(0);
    let mut items = Vec::new();
    for (&row, cols) in grid.rows.range(header_row + 1..) {
        let has_value = cols.iter().any(|(c, v)| {
            !v.is_empty()
                && matches!(
                    columns.get(c),
                    Some(Holds::Field(_) | Holds::Parent(_) | Holds::Unknown(_))
                )
        });
        if !has_value {
            continue;
        }
        let index = items.len();
        let item_at = format!("{at}/{index}");
        let mut object = Map::new();
        let mut shape = None;
        for (&c, holds) in &columns {
            let raw = cols.get(&c).cloned().unwrap_or(Raw::Empty);
            match holds {
                Holds::Field(column) => {
                    let value_at = format!("{item_at}/{}", column.path.join("/"));
                    out.cells.insert(value_at.clone(), cell(row, c));
                    put(
                        &mut object,
                        column,
                        &raw,
                        layout,
                        &value_at,
                        &item_at,
                        cell(row, c),
                        out,
                    );
                }
                Holds::Parent(column) => {
                    if let Ok(Some(v)) = cells::read(&raw, column, layout) {
                        object.insert(
                            "__parent".into(),
                            Value::Array(vec![v, Value::from(row), Value::from(c)]),
                        );
                    }
                }
                Holds::Shape => {
                    if let Raw::Text(t) = raw {
                        shape = Some((cell(row, c), t));
                    }
                }
                Holds::Unknown(key) => {
                    if !raw.is_empty() {
                        keep_unknown(&mut object, key, &raw, &item_at, cell(row, c), out);
                    }
                }
            }
        }
        // Columns the sheet lacks: their empty value (a required list is `[]`).
        for column in &sheet.columns {
            if !taken.contains(&column.dotted())
                && let Ok(Some(v)) = cells::read(&Raw::Empty, column, layout)
            {
                set_path(&mut object, &column.path, v);
            }
        }
        out.cells.insert(item_at.clone(), cell(row, first_col));
        if let Some((shape_cell, text)) = shape {
            out.shapes.push((item_at.clone(), shape_cell, text));
        }
        items.push((row, Value::Object(object)));
    }
    items
}

/// Take-out records: each row joins the device its first column names.
fn read_nested(
    grid: &Grid,
    sheet_no: u16,
    sheet: &Sheet,
    layout: &Layout,
    root: &mut Value,
    out: &mut Read,
) {
    let (parent_at, key) = sheet.nested().expect("a nested sheet");
    let parent = sheet
        .parent
        .as_ref()
        .expect("a nested sheet names its parent");
    let mut scratch = Read::default();
    let rows = read_table(
        grid,
        sheet_no,
        sheet,
        "/__nested",
        layout,
        &mut scratch,
        Some(parent),
    );
    out.notes.extend(
        scratch
            .notes
            .iter()
            .filter(|n| n.pointer == "/__nested")
            .map(|n| Note {
                pointer: parent_at.to_owned(),
                ..n.clone()
            }),
    );
    out.headers
        .extend(scratch.headers.iter().map(|(k, v)| (*k, *v)));
    let parents = root
        .pointer(parent_at)
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let mut counts: BTreeMap<usize, usize> = BTreeMap::new();
    for (n, (row, mut item)) in rows.into_iter().enumerate() {
        let from = format!("/__nested/{n}");
        let parent_value = item.as_object_mut().and_then(|o| o.remove("__parent"));
        let (id, col) = match &parent_value {
            Some(Value::Array(v)) => (v[0].clone(), v[2].as_u64().unwrap_or(0) as u32),
            _ => (Value::Null, 0),
        };
        let target = parents.iter().position(|p| {
            p.pointer(&format!("/{}", parent.path.join("/"))) == Some(&id) && !id.is_null()
        });
        let cell = CellRef {
            sheet: sheet_no,
            row,
            col,
        };
        let Some(target) = target else {
            out.notes.push(Note {
                pointer: parent_at.to_owned(),
                cell,
                message: match &id {
                    Value::Null => Text::new(
                        format!("この行には「{}」がありません", parent.header.ja),
                        format!("this row has no \"{}\"", parent.header.en),
                    ),
                    id => {
                        let id = id.as_str().unwrap_or_default();
                        Text::new(
                            format!("{}「{id}」の機器は端末シートにありません", parent.header.ja),
                            format!(
                                "there is no device with {} \"{id}\" on the devices sheet",
                                parent.header.en
                            ),
                        )
                    }
                },
                fix: Text::new(
                    "端末シートにある機器の ID を書いてください",
                    "write the id of a device listed on the devices sheet",
                ),
                blocks: true,
            });
            continue;
        };
        let j = *counts.entry(target).and_modify(|c| *c += 1).or_insert(0);
        let to = format!("{parent_at}/{target}/{key}/{j}");
        // The scratch read's cells and notes, moved under the real pointer.
        for (p, c) in scratch.cells.range(from.clone()..) {
            if let Some(rest) = p.strip_prefix(&from)
                && (rest.is_empty() || rest.starts_with('/'))
            {
                out.cells.insert(format!("{to}{rest}"), *c);
            }
        }
        for note in scratch.notes.iter().filter(|n| n.pointer == from) {
            out.notes.push(Note {
                pointer: to.clone(),
                ..note.clone()
            });
        }
        for e in scratch.explained.iter() {
            if let Some(rest) = e.strip_prefix(&from) {
                out.explained.push(format!("{to}{rest}"));
            }
        }
        if let Some(list) = root
            .pointer_mut(&format!("{parent_at}/{target}"))
            .and_then(Value::as_object_mut)
        {
            let records = list.entry(key).or_insert_with(|| Value::Array(Vec::new()));
            if let Value::Array(records) = records {
                records.push(item);
            }
        }
    }
}

/// A cell's value into the object at the column's path; a cell that cannot be read keeps
/// its text there (the inventory is then not valid, as its JSON would not be) and gets a
/// note saying what was expected.
#[allow(clippy::too_many_arguments)]
fn put(
    object: &mut Map<String, Value>,
    column: &Column,
    raw: &Raw,
    layout: &Layout,
    value_at: &str,
    item_at: &str,
    cell: CellRef,
    out: &mut Read,
) {
    match cells::read(raw, column, layout) {
        Ok(Some(v)) => set_path(object, &column.path, v),
        Ok(None) => {}
        Err(expected) => {
            out.notes.push(Note {
                pointer: item_at.to_owned(),
                cell,
                // The cell's text is never quoted: it could be a password typed in the
                // wrong column. (The row human output shows masks what is under a password
                // key, as in a JSON file.)
                message: Text::new(
                    format!("このセルを読めません: {}", expected.0.ja),
                    format!("cannot read this cell: {}", expected.0.en),
                ),
                fix: expected.0,
                blocks: true,
            });
            out.explained.push(value_at.to_owned());
            set_path(object, &column.path, Value::String(raw.shown()));
        }
    }
}

fn unknown_field(at: &str, cell: CellRef, header: &str) -> Note {
    Note {
        pointer: at.to_owned(),
        cell,
        message: Text::new(
            format!("「{header}」はこの台帳の項目ではありません（この列は検査に使っていません）"),
            format!("\"{header}\" is not a field of the inventory (this column is not checked)"),
        ),
        fix: Text::new(
            "見出しの書き誤りなら直してください。台帳の項目でなければ、列を削除するか別のシートに移してください",
            "if the header is misspelt, correct it; otherwise remove the column or move it to another sheet",
        ),
        blocks: false,
    }
}

fn duplicate(at: &str, cell: CellRef, column: &Column) -> Note {
    Note {
        pointer: at.to_owned(),
        cell,
        message: Text::new(
            format!(
                "「{}」が2回あります（2つ目は読んでいません）",
                column.header.ja
            ),
            format!(
                "\"{}\" appears twice (the second is not read)",
                column.header.en
            ),
        ),
        fix: Text::new("どちらか一方を削除してください", "remove one of them"),
        blocks: false,
    }
}

/// What the workbook holds beyond the inventory is kept in the document under its own
/// name, so that the secret scan sees a "パスワード" anywhere; the schema's complaints about
/// it are explained by a note, or not relevant.
fn keep_unknown(
    object: &mut Map<String, Value>,
    key: &str,
    raw: &Raw,
    at: &str,
    cell: CellRef,
    out: &mut Read,
) {
    let value_at = format!("{at}/{}", pointer::escape_token(key));
    out.cells.insert(value_at.clone(), cell);
    out.explained.push(value_at);
    object.insert(key.to_owned(), Value::String(raw.shown()));
}

/// A sheet that is not part of the inventory: each row's first text is a label and the
/// next cell its value, kept under the sheet's name.
fn unknown_sheet(grid: &Grid, sheet_no: u16, root: &mut Value, out: &mut Read) {
    let mut kept = Map::new();
    let at = format!("/{}", pointer::escape_token(&grid.name));
    for (&row, cols) in &grid.rows {
        let mut texts = cols.iter().filter(|(_, v)| !v.is_empty());
        let (Some((_, label)), Some((&c, value))) = (texts.next(), texts.next()) else {
            continue;
        };
        let cell = CellRef {
            sheet: sheet_no,
            row,
            col: c,
        };
        keep_unknown(&mut kept, label.shown().trim(), value, &at, cell, out);
    }
    if !kept.is_empty() {
        out.explained.push(at.clone());
        if let Some(root) = root.as_object_mut() {
            root.insert(grid.name.clone(), Value::Object(kept));
        }
    }
}

pub fn set_path(object: &mut Map<String, Value>, path: &[String], value: Value) {
    let (last, parents) = path.split_last().expect("a path has a key");
    let mut node = object;
    for key in parents {
        let next = node
            .entry(key.clone())
            .or_insert_with(|| Value::Object(Map::new()));
        if !next.is_object() {
            *next = Value::Object(Map::new());
        }
        node = next.as_object_mut().expect("an object");
    }
    node.insert(last.clone(), value);
}

/// One entry of a shape cell: at `path` (inside the row's item), the value the cells give
/// (`seen`, `null` when absent) is replaced by `value` (removed when absent).
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Shape {
    pub path: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<Value>,
    pub seen: Option<Value>,
}

/// Applies a shape cell, entry by entry, where the cells still say what they said when
/// the workbook was written: an edited cell wins over the shape.
fn apply_shape(item: &mut Value, text: &str, cell: CellRef, at: &str, out: &mut Read) {
    let Ok(entries) = serde_json::from_str::<Vec<Shape>>(text) else {
        out.notes.push(Note {
            pointer: if at.is_empty() {
                "/facility".into()
            } else {
                at.to_owned()
            },
            cell,
            message: Text::new(
                "rurume が変換に使うセルが書き換えられていて読めません",
                "the cell rurume keeps for conversion was changed and cannot be read",
            ),
            fix: Text::new("このセルを空にしてください", "empty this cell"),
            blocks: false,
        });
        return;
    };
    for entry in entries {
        if item.pointer(&entry.path).cloned() != entry.seen {
            continue;
        }
        match entry.value {
            Some(value) => set_pointer(item, &entry.path, value),
            None => remove_pointer(item, &entry.path),
        }
    }
}

fn set_pointer(root: &mut Value, at: &str, value: Value) {
    let Some((parent, last)) = at.rsplit_once('/') else {
        return;
    };
    let last = pointer::unescape_token(last);
    match root.pointer_mut(parent) {
        Some(Value::Object(o)) => {
            o.insert(last, value);
        }
        Some(Value::Array(a)) => {
            if let Ok(i) = last.parse::<usize>() {
                if i < a.len() {
                    a[i] = value;
                } else if i == a.len() {
                    a.push(value);
                }
            }
        }
        _ => {
            // An object that the cells left out: made, then filled.
            if !parent.is_empty() {
                set_pointer(root, parent, Value::Object(Map::new()));
                if let Some(Value::Object(o)) = root.pointer_mut(parent) {
                    o.insert(last, value);
                }
            }
        }
    }
}

fn remove_pointer(root: &mut Value, at: &str) {
    let Some((parent, last)) = at.rsplit_once('/') else {
        return;
    };
    let last = pointer::unescape_token(last);
    match root.pointer_mut(parent) {
        Some(Value::Object(o)) => {
            o.remove(&last);
        }
        Some(Value::Array(a)) => {
            if let Ok(i) = last.parse::<usize>()
                && i < a.len()
            {
                a.remove(i);
            }
        }
        _ => {}
    }
}
