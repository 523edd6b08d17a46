//! A workbook file's bytes → its cells, with calamine. What is not a workbook, or not one
//! that can be read safely, is said in plain words: an Excel file saved with a password
//! (common in Japanese offices), a zip bomb, a sheet of millions of cells.

use std::io::Cursor;

use calamine::{Data, DataRef, Reader, open_workbook_from_rs};

use super::cells::Raw;
use super::grid::{Book, Grid};
use crate::lang::Text;

/// Excel's own limit for one cell's text.
pub const MAX_CELL_CHARS: usize = 32_767;

/// More cells than any inventory has (2,000 rows of 30 columns is 60,000): a workbook
/// beyond this is refused before it fills the memory.
pub const MAX_CELLS: usize = 1_000_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Xlsx,
    Xlsb,
    Xls,
    Ods,
}

/// The cells of every sheet. `max_uncompressed` bounds what the zip container may
/// expand to.
pub fn open(bytes: &[u8], max_uncompressed: u64) -> Result<Book, Text> {
    match detect(bytes, max_uncompressed)? {
        Format::Xlsx => read_xlsx(bytes),
        Format::Xlsb => read_ranges(
            open_workbook_from_rs::<calamine::Xlsb<_>, _>(Cursor::new(bytes)).map_err(broken)?,
        ),
        Format::Xls => read_ranges(
            open_workbook_from_rs::<calamine::Xls<_>, _>(Cursor::new(bytes)).map_err(broken)?,
        ),
        Format::Ods => read_ranges(
            open_workbook_from_rs::<calamine::Ods<_>, _>(Cursor::new(bytes)).map_err(broken)?,
        ),
    }
}

const ZIP: &[u8] = b"PK\x03\x04";
const OLE: &[u8] = b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1";

fn detect(bytes: &[u8], max_uncompressed: u64) -> Result<Format, Text> {
    if bytes.starts_with(OLE) {
        // An encrypted OOXML file is an OLE container with an `EncryptedPackage` stream.
        let name: Vec<u8> = "EncryptedPackage"
            .encode_utf16()
            .flat_map(u16::to_le_bytes)
            .collect();
        if bytes.windows(name.len()).any(|w| w == name.as_slice()) {
            return Err(encrypted());
        }
        return Ok(Format::Xls);
    }
    if !bytes.starts_with(ZIP) {
        return Err(not_a_workbook());
    }
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|_| not_a_workbook())?;
    let mut total: u64 = 0;
    let mut names = Vec::new();
    for i in 0..archive.len() {
        let entry = archive.by_index_raw(i).map_err(|_| not_a_workbook())?;
        total = total.saturating_add(entry.size());
        if let Ok(name) = entry.name() {
            names.push(name.to_string());
        }
    }
    if total > max_uncompressed {
        let size = crate::inventory::format_size(total);
        let limit = crate::inventory::format_size(max_uncompressed);
        return Err(Text::new(
            format!(
                "このブックは展開すると {size} になり、上限の {limit} を超えるため読み込みません。\
                 台帳のブックは通常 1 MB よりずっと小さくなります。必要なシートだけを新しいブックに写してください"
            ),
            format!(
                "this workbook expands to {size}, over the limit of {limit}, so it is not read; \
                 an inventory workbook is usually far smaller than 1 MB. Copy the sheets you need into a new workbook"
            ),
        ));
    }
    let has = |n: &str| names.iter().any(|x| x == n);
    if has("xl/workbook.xml") {
        Ok(Format::Xlsx)
    } else if has("xl/workbook.bin") {
        Ok(Format::Xlsb)
    } else if has("content.xml") {
        Ok(Format::Ods)
    } else {
        Err(not_a_workbook())
    }
}

fn encrypted() -> Text {
    Text::new(
        "このブックにはパスワード（読み取りパスワード・暗号化）がかかっているため読めません。\
         Excel で開き、「ファイル」→「情報」→「ブックの保護」→「パスワードを使用して暗号化」で\
         パスワードを消してから保存し直してください",
        "this workbook is protected with a password (encrypted), so it cannot be read. Open it \
         in Excel, remove the password (File → Info → Protect Workbook → Encrypt with Password) \
         and save it again",
    )
}

fn not_a_workbook() -> Text {
    Text::new(
        "Excel のブックとして読めません（ファイルが壊れているか、別の種類のファイルです）。\
         Excel で開けるか確かめ、「Excel ブック (*.xlsx)」として保存し直してください",
        "cannot read this as an Excel workbook (the file is damaged or of another kind); check \
         that Excel opens it, and save it again as \"Excel Workbook (*.xlsx)\"",
    )
}

fn broken(e: impl std::fmt::Display) -> Text {
    Text::new(
        format!(
            "ブックを読み込めません（{e}）。Excel で開いて「Excel ブック (*.xlsx)」として保存し直してください"
        ),
        format!(
            "cannot read the workbook ({e}); open it in Excel and save it again as \"Excel Workbook (*.xlsx)\""
        ),
    )
}

fn too_many_cells(sheet: &str) -> Text {
    Text::new(
        format!(
            "「{sheet}」シートのセルが多すぎます（{} 個を超えています）。台帳の行だけを残してください",
            crate::inventory::thousands(MAX_CELLS as u64)
        ),
        format!(
            "the \"{sheet}\" sheet has too many cells (more than {}); keep only the inventory's rows",
            crate::inventory::thousands(MAX_CELLS as u64)
        ),
    )
}

/// xlsx is read cell by cell: only the cells that exist take memory, whatever the sheet's
/// dimensions say.
fn read_xlsx(bytes: &[u8]) -> Result<Book, Text> {
    let mut workbook =
        open_workbook_from_rs::<calamine::Xlsx<_>, _>(Cursor::new(bytes)).map_err(broken)?;
    let mut book = Book::default();
    let mut cells = 0usize;
    for name in workbook.sheet_names() {
        let mut grid = Grid::new(name.clone());
        {
            let mut reader = workbook.worksheet_cells_reader(&name).map_err(broken)?;
            while let Some(cell) = reader.next_cell().map_err(broken)? {
                let (row, col) = cell.get_position();
                let raw = raw_of_ref(cell.get_value());
                if raw != Raw::Empty {
                    cells += 1;
                    if cells > MAX_CELLS {
                        return Err(too_many_cells(&name));
                    }
                    grid.set(row, col, raw);
                }
            }
        }
        // A merged cell reads as its top-left value, everywhere in the merge.
        if let Ok(merges) = workbook.merge_cells_by_sheet_name(&name) {
            for m in merges {
                let value = grid.get(m.start.0, m.start.1).clone();
                let area = u64::from(m.end.0 - m.start.0 + 1) * u64::from(m.end.1 - m.start.1 + 1);
                if value == Raw::Empty || area > 10_000 {
                    continue;
                }
                for r in m.start.0..=m.end.0 {
                    for c in m.start.1..=m.end.1 {
                        grid.set(r, c, value.clone());
                    }
                }
            }
        }
        book.sheets.push(grid);
    }
    Ok(book)
}

fn read_ranges<RS, R>(mut workbook: R) -> Result<Book, Text>
where
    RS: std::io::Read + std::io::Seek,
    R: Reader<RS>,
    R::Error: std::fmt::Display,
{
    let mut book = Book::default();
    let mut cells = 0usize;
    for name in workbook.sheet_names() {
        let range = workbook.worksheet_range(&name).map_err(broken)?;
        let mut grid = Grid::new(name.clone());
        for (row, col, data) in range.used_cells() {
            let raw = raw_of(data);
            if raw == Raw::Empty {
                continue;
            }
            cells += 1;
            if cells > MAX_CELLS {
                return Err(too_many_cells(&name));
            }
            let (r0, c0) = range.start().unwrap_or((0, 0));
            grid.set(r0 + row as u32, c0 + col as u32, raw);
        }
        book.sheets.push(grid);
    }
    Ok(book)
}

fn text(s: &str) -> Raw {
    let chars = s.chars().count();
    if chars > MAX_CELL_CHARS {
        Raw::Oversized(chars)
    } else {
        Raw::Text(s.to_owned())
    }
}

fn datetime(dt: &calamine::ExcelDateTime) -> Raw {
    if !dt.is_datetime() {
        return Raw::Number(dt.as_f64());
    }
    let (y, m, d, ..) = dt.to_ymd_hms_milli();
    match jiff::civil::Date::new(y as i16, m as i8, d as i8) {
        Ok(date) => Raw::Date(date),
        Err(_) => Raw::Number(dt.as_f64()),
    }
}

fn iso(s: &str) -> Raw {
    match s
        .get(..10)
        .and_then(|d| d.parse::<jiff::civil::Date>().ok())
    {
        Some(date) => Raw::Date(date),
        None => text(s),
    }
}

fn raw_of(data: &Data) -> Raw {
    match data {
        Data::Int(i) => Raw::Number(*i as f64),
        Data::Float(f) => Raw::Number(*f),
        Data::String(s) => text(s),
        Data::Bool(b) => Raw::Bool(*b),
        Data::DateTime(dt) => datetime(dt),
        Data::DateTimeIso(s) => iso(s),
        Data::DurationIso(s) => text(s),
        Data::Error(e) => Raw::Error(e.to_string()),
        Data::Empty => Raw::Empty,
    }
}

fn raw_of_ref(data: &DataRef<'_>) -> Raw {
    match data {
        DataRef::Int(i) => Raw::Number(*i as f64),
        DataRef::Float(f) => Raw::Number(*f),
        DataRef::String(s) => text(s),
        DataRef::SharedString(s) => text(s),
        DataRef::Bool(b) => Raw::Bool(*b),
        DataRef::DateTime(dt) => datetime(dt),
        DataRef::DateTimeIso(s) => iso(s),
        DataRef::DurationIso(s) => text(s),
        DataRef::Error(e) => Raw::Error(e.to_string()),
        DataRef::Empty => Raw::Empty,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cell_over_excels_limit_is_counted_never_kept() {
        let huge = "x".repeat(10 * 1024 * 1024);
        assert_eq!(text(&huge), Raw::Oversized(10 * 1024 * 1024));
        assert_eq!(text("ok"), Raw::Text("ok".into()));
        let layout = super::super::layout::Layout::get();
        let column = layout
            .sheets
            .iter()
            .find(|s| s.at == "/accounts")
            .unwrap()
            .columns[1]
            .clone();
        let err =
            super::super::cells::read(&Raw::Oversized(10_485_760), &column, layout).unwrap_err();
        assert!(err.0.ja.contains("10,485,760 文字"), "{}", err.0.ja);
        assert!(err.0.en.contains("at most 32,767"), "{}", err.0.en);
    }

    #[test]
    fn what_is_not_a_workbook_is_told_apart() {
        assert_eq!(detect(b"hello", 1 << 20).unwrap_err(), not_a_workbook());
        let mut ole = OLE.to_vec();
        ole.extend("EncryptedPackage".encode_utf16().flat_map(u16::to_le_bytes));
        assert_eq!(detect(&ole, 1 << 20).unwrap_err(), encrypted());
        assert_eq!(detect(OLE, 1 << 20), Ok(Format::Xls));
    }
}
