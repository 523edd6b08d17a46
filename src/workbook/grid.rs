//! A workbook's cells, whatever the file format: sheets of sparse rows, 0-based.

use std::collections::BTreeMap;

use super::cells::Raw;

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Book {
    pub sheets: Vec<Grid>,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Grid {
    pub name: String,
    pub rows: BTreeMap<u32, BTreeMap<u32, Raw>>,
}

impl Grid {
    pub fn new(name: impl Into<String>) -> Grid {
        Grid {
            name: name.into(),
            rows: BTreeMap::new(),
        }
    }

    pub fn get(&self, row: u32, col: u32) -> &Raw {
        static EMPTY: Raw = Raw::Empty;
        self.rows
            .get(&row)
            .and_then(|r| r.get(&col))
            .unwrap_or(&EMPTY)
    }

    pub fn set(&mut self, row: u32, col: u32, raw: Raw) {
        if raw == Raw::Empty {
            if let Some(r) = self.rows.get_mut(&row) {
                r.remove(&col);
            }
            return;
        }
        self.rows.entry(row).or_default().insert(col, raw);
    }

    /// The text of a cell, for headers and labels.
    pub fn text(&self, row: u32, col: u32) -> String {
        self.get(row, col).shown()
    }
}

/// A cell's place: the sheet's index in the book, its row and column (0-based).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct CellRef {
    pub sheet: u16,
    pub row: u32,
    pub col: u32,
}

impl CellRef {
    /// `F12` for row 11, column 5.
    pub fn a1(&self) -> String {
        format!("{}{}", column_letters(self.col), self.row + 1)
    }
}

/// `0` → `A`, `25` → `Z`, `26` → `AA`.
pub fn column_letters(mut col: u32) -> String {
    let mut out = Vec::new();
    loop {
        out.push(b'A' + (col % 26) as u8);
        if col < 26 {
            break;
        }
        col = col / 26 - 1;
    }
    out.reverse();
    String::from_utf8(out).expect("ASCII")
}

/// The reference as Excel writes it: `端末!F12`, quoted when the name needs it
/// (`'My sheet'!A1`).
pub fn reference(sheet: &str, cell: &CellRef) -> String {
    let plain = sheet
        .chars()
        .all(|c| !c.is_ascii() || c.is_ascii_alphanumeric() || c == '_');
    if plain && !sheet.is_empty() {
        format!("{sheet}!{}", cell.a1())
    } else {
        format!("'{}'!{}", sheet.replace('\'', "''"), cell.a1())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references() {
        assert_eq!(column_letters(0), "A");
        assert_eq!(column_letters(25), "Z");
        assert_eq!(column_letters(26), "AA");
        assert_eq!(column_letters(701), "ZZ");
        assert_eq!(column_letters(702), "AAA");
        let c = CellRef {
            sheet: 0,
            row: 11,
            col: 5,
        };
        assert_eq!(reference("端末", &c), "端末!F12");
        assert_eq!(reference("My sheet", &c), "'My sheet'!F12");
        assert_eq!(reference("Bob's", &c), "'Bob''s'!F12");
    }
}
