//! An inventory → a workbook a clerk can read and fill in: a guide sheet, one sheet per
//! section with headers, notes, dropdowns, date cells, frozen headers and widths. What the
//! cells alone cannot say (an empty list that is not absent, `$schema`) goes into a hidden
//! shape cell, so that reading the workbook gives the inventory back exactly.

use rust_xlsxwriter::{
    Color, DataValidation, ExcelDateTime, Format, FormatAlign, FormatBorder, Note, Workbook,
    Worksheet, XlsxError,
};
use serde_json::Value;

use super::cells::{self, Raw};
use super::grid::{Book, Grid};
use super::layout::{Cell, Column, Layout, Sheet, SheetKind};
use super::read::{self, FORM_HEADERS, SHAPE_HEADER, Shape};
use crate::lang::{Lang, Text};

/// Rows with dropdowns and formats below the header: room for a large facility.
const FILLABLE_ROWS: u32 = 1000;

/// The cells of an inventory, without shape cells.
fn cells_of(value: &Value, layout: &Layout, lang: Lang) -> Book {
    let header_rows = layout.header_rows;
    let mut book = Book::default();
    for sheet in &layout.sheets {
        let mut grid = Grid::new(sheet.name.get(lang));
        match sheet.kind {
            SheetKind::Guide => {
                for (i, line) in layout.guide.get(lang).trim().lines().enumerate() {
                    grid.set(i as u32, 0, Raw::Text(line.to_owned()));
                }
            }
            SheetKind::Form => {
                let object = value.pointer(&sheet.at).unwrap_or(&Value::Null);
                if let Some(title) = &sheet.title {
                    grid.set(0, 0, Raw::Text(title.get(lang).to_owned()));
                }
                let header = header_rows - 1;
                for (c, (ja, en)) in FORM_HEADERS.iter().enumerate() {
                    grid.set(header, c as u32, Raw::Text(lang.pick(ja, en).to_owned()));
                }
                for (i, column) in sheet.columns.iter().enumerate() {
                    let row = header_rows + i as u32;
                    grid.set(row, 0, Raw::Text(column.header.get(lang).to_owned()));
                    if let Some(v) = at_path(object, &column.path) {
                        grid.set(row, 1, cells::write(v, column, layout, lang));
                    }
                    grid.set(row, 2, Raw::Text(column.note.get(lang).to_owned()));
                }
            }
            SheetKind::Table => {
                headers(&mut grid, sheet, layout, lang);
                let rows: Vec<(Option<&Value>, &Value)> = match sheet.nested() {
                    None => items(value.pointer(&sheet.at)).map(|v| (None, v)).collect(),
                    Some((parent_at, key)) => items(value.pointer(parent_at))
                        .flat_map(|parent| {
                            items(parent.get(key)).map(move |record| (Some(parent), record))
                        })
                        .collect(),
                };
                for (i, (parent, item)) in rows.into_iter().enumerate() {
                    let row = header_rows + i as u32;
                    for (c, column) in sheet.all_columns().enumerate() {
                        let source = if c == 0 && sheet.parent.is_some() {
                            parent.and_then(|p| at_path(p, &column.path))
                        } else {
                            at_path(item, &column.path)
                        };
                        if let Some(v) = source {
                            grid.set(row, c as u32, cells::write(v, column, layout, lang));
                        }
                    }
                }
            }
        }
        book.sheets.push(grid);
    }
    book
}

fn headers(grid: &mut Grid, sheet: &Sheet, layout: &Layout, lang: Lang) {
    let header = layout.header_rows - 1;
    if let Some(title) = &sheet.title {
        grid.set(0, 0, Raw::Text(title.get(lang).to_owned()));
    }
    for (c, column) in sheet.all_columns().enumerate() {
        if let Some(group) = &column.group {
            grid.set(header - 1, c as u32, Raw::Text(group.get(lang).to_owned()));
        }
        grid.set(
            header,
            c as u32,
            Raw::Text(column.header.get(lang).to_owned()),
        );
    }
}

fn items(value: Option<&Value>) -> impl Iterator<Item = &Value> {
    value.and_then(Value::as_array).into_iter().flatten()
}

fn at_path<'v>(value: &'v Value, path: &[String]) -> Option<&'v Value> {
    path.iter().try_fold(value, |v, k| v.get(k))
}

/// The cells of an inventory with the shape cells that make reading them give the
/// inventory back.
pub fn book_of(value: &Value, layout: &Layout, lang: Lang) -> Book {
    let mut book = cells_of(value, layout, lang);
    let back = read::read(&book, layout).value;
    let mut shapes = Vec::new();
    diff(Some(value), Some(&back), String::new(), &mut shapes);
    // Each entry goes to the row of the item it is inside, or to the form's shape row.
    let mut per_row: std::collections::BTreeMap<(usize, u32), Vec<Shape>> = Default::default();
    for shape in shapes {
        let (sheet, row, relative) = owner(&shape.path, layout);
        per_row.entry((sheet, row)).or_default().push(Shape {
            path: relative,
            ..shape
        });
    }
    for ((sheet_index, row), entries) in per_row {
        let sheet = &layout.sheets[sheet_index];
        let text = serde_json::to_string(&entries).expect("shapes serialise");
        let grid = &mut book.sheets[sheet_index];
        match sheet.kind {
            SheetKind::Form => {
                let row = layout.header_rows + sheet.columns.len() as u32;
                grid.set(row, 0, Raw::Text(SHAPE_HEADER.into()));
                grid.set(row, 1, Raw::Text(text));
            }
            _ => {
                let col = sheet.all_columns().count() as u32;
                grid.set(layout.header_rows - 1, col, Raw::Text(SHAPE_HEADER.into()));
                grid.set(row, col, Raw::Text(text));
            }
        }
    }
    book
}

/// Which sheet and row holds the shape entry of this pointer, and the pointer relative to
/// that row's item (`""` is the whole document, kept on the form sheet).
fn owner(path: &str, layout: &Layout) -> (usize, u32, String) {
    for (i, sheet) in layout.sheets.iter().enumerate() {
        if sheet.kind != SheetKind::Table || sheet.nested().is_some() {
            continue;
        }
        let Some(rest) = path.strip_prefix(&format!("{}/", sheet.at)) else {
            continue;
        };
        let (index, inner) = rest.split_once('/').unwrap_or((rest, ""));
        if let (Ok(index), false) = (index.parse::<u32>(), inner.is_empty()) {
            return (i, layout.header_rows + index, format!("/{inner}"));
        }
    }
    let form = layout
        .sheets
        .iter()
        .position(|s| s.kind == SheetKind::Form)
        .expect("the layout has a form sheet");
    (form, 0, path.to_owned())
}

fn diff(original: Option<&Value>, back: Option<&Value>, at: String, out: &mut Vec<Shape>) {
    if original == back {
        return;
    }
    match (original, back) {
        (Some(Value::Object(o)), Some(Value::Object(b))) => {
            let keys: std::collections::BTreeSet<&String> = o.keys().chain(b.keys()).collect();
            for k in keys {
                diff(
                    o.get(k),
                    b.get(k),
                    crate::inventory::pointer::push(&at, k),
                    out,
                );
            }
        }
        (Some(Value::Array(o)), Some(Value::Array(b))) if o.len() == b.len() => {
            for (i, (o, b)) in o.iter().zip(b).enumerate() {
                diff(Some(o), Some(b), format!("{at}/{i}"), out);
            }
        }
        _ => out.push(Shape {
            path: at,
            value: original.cloned(),
            seen: back.cloned(),
        }),
    }
}

/// The workbook file of an inventory (`rurume convert`), or an empty one to fill in
/// (`rurume template`, with `value` the empty inventory).
pub fn xlsx(value: &Value, layout: &Layout, lang: Lang) -> Result<Vec<u8>, XlsxError> {
    let book = book_of(value, layout, lang);
    let mut workbook = Workbook::new();
    let styles = Styles::new();
    for (sheet, grid) in layout.sheets.iter().zip(&book.sheets) {
        let ws = workbook.add_worksheet();
        ws.set_name(&grid.name)?;
        match sheet.kind {
            SheetKind::Guide => guide(ws, grid, &styles)?,
            SheetKind::Form => form(ws, sheet, grid, layout, lang, &styles)?,
            SheetKind::Table => table(ws, sheet, grid, layout, lang, &styles)?,
        }
    }
    if let Some(first) = layout.sheets.iter().position(|s| s.kind == SheetKind::Form) {
        workbook.worksheet_from_index(first)?.set_active(true);
    }
    workbook.save_to_buffer()
}

/// The workbook of an inventory only if reading it gives the same inventory back: what
/// `convert` and the page's export promise. `Ok(None)` when it would not.
pub fn xlsx_exact(
    value: &Value,
    layout: &Layout,
    lang: Lang,
) -> Result<Option<Vec<u8>>, XlsxError> {
    let bytes = xlsx(value, layout, lang)?;
    let back = super::load(&bytes, u64::MAX)
        .ok()
        .and_then(|(text, _)| serde_json::from_str::<Value>(&text).ok());
    Ok((back.as_ref() == Some(value)).then_some(bytes))
}

struct Styles {
    title: Format,
    header: Format,
    required: Format,
    group: Format,
    date: Format,
    text: Format,
    wrap: Format,
    note: Format,
}

impl Styles {
    fn new() -> Styles {
        let header = Format::new()
            .set_bold()
            .set_text_wrap()
            .set_align(FormatAlign::VerticalCenter)
            .set_background_color(Color::RGB(0xDDEBF7))
            .set_border(FormatBorder::Thin);
        Styles {
            title: Format::new().set_bold().set_font_size(13),
            required: header.clone().set_background_color(Color::RGB(0xFCE4D6)),
            header,
            group: Format::new()
                .set_bold()
                .set_align(FormatAlign::Center)
                .set_background_color(Color::RGB(0xEDEDED))
                .set_border(FormatBorder::Thin),
            date: Format::new().set_num_format("yyyy/mm/dd"),
            text: Format::new().set_num_format("@"),
            wrap: Format::new().set_num_format("@").set_text_wrap(),
            note: Format::new()
                .set_text_wrap()
                .set_font_color(Color::RGB(0x595959)),
        }
    }
}

fn guide(ws: &mut Worksheet, grid: &Grid, styles: &Styles) -> Result<(), XlsxError> {
    ws.set_column_width(0, 110)?;
    for (&row, cols) in &grid.rows {
        if let Some(Raw::Text(t)) = cols.get(&0) {
            let format = if row == 0 {
                &styles.title
            } else {
                &styles.note
            };
            ws.write_string_with_format(row, 0, t, format)?;
        }
    }
    Ok(())
}

fn form(
    ws: &mut Worksheet,
    sheet: &Sheet,
    grid: &Grid,
    layout: &Layout,
    lang: Lang,
    styles: &Styles,
) -> Result<(), XlsxError> {
    let header = layout.header_rows - 1;
    ws.set_column_width(0, 24)?;
    ws.set_column_width(1, 36)?;
    ws.set_column_width(2, 70)?;
    if let Raw::Text(t) = grid.get(0, 0) {
        ws.write_string_with_format(0, 0, t, &styles.title)?;
    }
    for c in 0..3 {
        ws.write_string_with_format(header, c, grid.text(header, u32::from(c)), &styles.header)?;
    }
    for (i, column) in sheet.columns.iter().enumerate() {
        let row = layout.header_rows + i as u32;
        let format = if column.required {
            &styles.required
        } else {
            &styles.header
        };
        ws.write_string_with_format(row, 0, grid.text(row, 0), format)?;
        write_cell(ws, row, 1, grid.get(row, 1), styles)?;
        ws.write_string_with_format(row, 2, grid.text(row, 2), &styles.note)?;
        if let Some(v) = validation(column, layout, lang)? {
            ws.add_data_validation(row, 1, row, 1, &v)?;
        }
    }
    fit_rows(ws, grid, layout.header_rows)?;
    let shape_row = layout.header_rows + sheet.columns.len() as u32;
    if let Raw::Text(t) = grid.get(shape_row, 1) {
        ws.write_string(shape_row, 0, SHAPE_HEADER)?;
        ws.write_string(shape_row, 1, t)?;
        ws.set_row_hidden(shape_row)?;
    }
    ws.set_freeze_panes(layout.header_rows, 0)?;
    Ok(())
}

fn table(
    ws: &mut Worksheet,
    sheet: &Sheet,
    grid: &Grid,
    layout: &Layout,
    lang: Lang,
    styles: &Styles,
) -> Result<(), XlsxError> {
    let header = layout.header_rows - 1;
    let first = layout.header_rows;
    let last_data = grid
        .rows
        .keys()
        .next_back()
        .copied()
        .unwrap_or(0)
        .max(first);
    let last = (first + FILLABLE_ROWS - 1).max(last_data);
    if let Raw::Text(t) = grid.get(0, 0) {
        ws.write_string_with_format(0, 0, t, &styles.title)?;
    }
    let columns: Vec<&Column> = sheet.all_columns().collect();
    // The group band: one merged cell over each run of columns of one object.
    let mut c = 0;
    while c < columns.len() {
        let Some(group) = &columns[c].group else {
            c += 1;
            continue;
        };
        let mut end = c;
        while end + 1 < columns.len() && columns[end + 1].group.as_ref() == Some(group) {
            end += 1;
        }
        if end > c {
            ws.merge_range(
                header - 1,
                c as u16,
                header - 1,
                end as u16,
                group.get(lang),
                &styles.group,
            )?;
        } else {
            ws.write_string_with_format(header - 1, c as u16, group.get(lang), &styles.group)?;
        }
        c = end + 1;
    }
    for (c, column) in columns.iter().enumerate() {
        let col = c as u16;
        let format = if column.required {
            &styles.required
        } else {
            &styles.header
        };
        ws.write_string_with_format(header, col, column.header.get(lang), format)?;
        let required = if column.required {
            lang.pick("（必須）", " (required)")
        } else {
            ""
        };
        let note = Note::new(format!(
            "{}{required}\n{}",
            column.header.get(lang),
            column.note.get(lang)
        ))
        .add_author_prefix(false)
        .set_width(260)
        .set_height(110);
        ws.insert_note(header, col, &note)?;
        ws.set_column_width(col, width(column, lang))?;
        match &column.cell {
            Cell::Date => ws.set_column_format(col, &styles.date)?,
            Cell::List(_) => ws.set_column_format(col, &styles.wrap)?,
            Cell::Text => ws.set_column_format(col, &styles.text)?,
            _ => ws,
        };
        if let Some(v) = validation(column, layout, lang)? {
            ws.add_data_validation(first, col, last, col, &v)?;
        }
        for row in grid.rows.range(first..).map(|(r, _)| *r) {
            write_cell(ws, row, col, grid.get(row, c as u32), styles)?;
        }
    }
    let shape_col = columns.len() as u32;
    if grid.rows.values().any(|r| r.contains_key(&shape_col)) {
        let col = shape_col as u16;
        ws.write_string(header, col, SHAPE_HEADER)?;
        for (&row, cols) in grid.rows.range(first..) {
            if let Some(Raw::Text(t)) = cols.get(&shape_col) {
                ws.write_string(row, col, t)?;
            }
        }
        ws.set_column_hidden(col)?;
    }
    fit_rows(ws, grid, first)?;
    ws.set_freeze_panes(first, 1)?;
    ws.set_row_height(header, 36)?;
    Ok(())
}

/// A row holding a list on several lines is as tall as its longest list: spreadsheets do
/// not grow a row for wrapped text they did not type themselves.
fn fit_rows(ws: &mut Worksheet, grid: &Grid, first: u32) -> Result<(), XlsxError> {
    for (&row, cols) in grid.rows.range(first..) {
        let lines = cols
            .values()
            .filter_map(|raw| match raw {
                Raw::Text(t) if !t.starts_with('[') => Some(t.trim_end().lines().count()),
                _ => None,
            })
            .max()
            .unwrap_or(1);
        if lines > 1 {
            ws.set_row_height(row, (15 * lines).min(300) as f64)?;
        }
    }
    Ok(())
}

fn write_cell(
    ws: &mut Worksheet,
    row: u32,
    col: u16,
    raw: &Raw,
    styles: &Styles,
) -> Result<(), XlsxError> {
    match raw {
        Raw::Empty => {}
        Raw::Text(t) if t.contains('\n') => {
            ws.write_string_with_format(row, col, t, &styles.wrap)?;
        }
        Raw::Text(t) => {
            ws.write_string_with_format(row, col, t, &styles.text)?;
        }
        Raw::Number(n) => {
            ws.write_number(row, col, *n)?;
        }
        Raw::Bool(b) => {
            ws.write_boolean(row, col, *b)?;
        }
        Raw::Date(d) => {
            let date = ExcelDateTime::from_ymd(d.year() as u16, d.month() as u8, d.day() as u8)?;
            ws.write_datetime_with_format(row, col, date, &styles.date)?;
        }
        Raw::Error(_) | Raw::Oversized(_) => {
            ws.write_string(row, col, raw.shown())?;
        }
    }
    Ok(())
}

/// The dropdown of a yes/no or choice cell, in the workbook's language.
fn validation(
    column: &Column,
    layout: &Layout,
    lang: Lang,
) -> Result<Option<DataValidation>, XlsxError> {
    let options: Vec<String> = match &column.cell {
        Cell::YesNo => vec![
            layout.yes.get(lang).to_owned(),
            layout.no.get(lang).to_owned(),
        ],
        Cell::Text if !column.choices.is_empty() => column
            .choices
            .iter()
            .map(|c| column.label(c, lang).unwrap_or(c).to_owned())
            .collect(),
        // A free text with suggested values (the reason of an exception): the list, with
        // other text allowed.
        Cell::Text if !column.labels.is_empty() => {
            let options: Vec<&str> = column.labels.iter().map(|(_, t)| t.get(lang)).collect();
            let v = DataValidation::new()
                .allow_list_strings(&options)?
                .set_error_style(rust_xlsxwriter::DataValidationErrorStyle::Information);
            return Ok(Some(v));
        }
        _ => return Ok(None),
    };
    let error = Text::new(
        format!("「{}」は一覧から選んでください", column.header.ja),
        format!("Choose \"{}\" from the list", column.header.en),
    );
    let v = DataValidation::new()
        .allow_list_strings(&options)?
        .set_error_title(lang.pick("選択肢から選んでください", "Choose from the list"))?
        .set_error_message(error.get(lang))?;
    Ok(Some(v))
}

fn width(column: &Column, lang: Lang) -> f64 {
    let header = unicode_width::UnicodeWidthStr::width(column.header.get(lang)) as f64;
    let floor = match column.cell {
        Cell::List(_) => 24.0,
        Cell::Date => 12.0,
        Cell::YesNo | Cell::Integer => 8.0,
        Cell::Text => 18.0,
    };
    (header * 0.9 + 2.0).clamp(floor, 36.0)
}

/// The inventory a template starts from: nothing filled in.
pub fn empty_inventory() -> Value {
    serde_json::json!({
        "schema_version": 1,
        "facility": {},
        "accounts": [],
        "devices": []
    })
}
