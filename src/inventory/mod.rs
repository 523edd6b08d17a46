//! Inventory files: finding them, reading them, parsing them with exact positions, and
//! validating them against the schema.

pub mod parse;
pub mod pointer;
pub mod schema;
pub mod spans;
pub mod walk;

use std::sync::Arc;

use serde_json::Value;

pub use parse::SyntaxError;
use spans::{LineCol, LineIndex, Span};
use walk::Candidate;

use crate::lang::Text;

/// One inventory file, read and parsed. A file that cannot be read or parsed is still an
/// `Inventory`: its problem becomes an `inventory-syntax` finding, and the run goes on.
#[derive(Debug)]
pub struct Inventory {
    /// The path printed in every output.
    pub display: String,
    /// The text, without a byte-order mark (editors on Windows add one; columns ignore it).
    pub text: Arc<str>,
    pub lines: LineIndex,
    pub parsed: Result<Value, SyntaxError>,
}

impl Inventory {
    pub fn load(candidate: &Candidate) -> Inventory {
        if let Some(reason) = &candidate.walk_error {
            return Self::unreadable(candidate.display.clone(), reason);
        }
        match std::fs::read(&candidate.path) {
            Ok(bytes) => Self::from_bytes(candidate.display.clone(), bytes),
            Err(err) => Self::unreadable(candidate.display.clone(), &err.kind().to_string()),
        }
    }

    pub fn from_bytes(display: String, bytes: Vec<u8>) -> Inventory {
        let bytes = match bytes.strip_prefix("\u{feff}".as_bytes()) {
            Some(rest) => rest.to_vec(),
            None => bytes,
        };
        match String::from_utf8(bytes) {
            Ok(text) => Self::from_text(display, text),
            Err(err) => {
                let offset = err.utf8_error().valid_up_to();
                let text: Arc<str> = String::from_utf8_lossy(err.as_bytes()).into();
                let lines = LineIndex::new(&text);
                let message = Text::new(
                    "UTF-8 ではない文字があります。ファイルを UTF-8 で保存し直してください（Shift_JIS は読めません）",
                    "the file is not valid UTF-8; save it again as UTF-8 (Shift_JIS is not supported)",
                );
                Inventory {
                    display,
                    text,
                    lines,
                    parsed: Err(SyntaxError { offset, message }),
                }
            }
        }
    }

    pub fn from_text(display: String, text: String) -> Inventory {
        let lines = LineIndex::new(&text);
        let parsed = parse::parse(&text, &lines);
        Inventory {
            display,
            text: text.into(),
            lines,
            parsed,
        }
    }

    fn unreadable(display: String, reason: &str) -> Inventory {
        let message = Text::new(
            format!(
                "ファイルを読めません（{reason}）。ファイルの場所と読み取り権限を確認してください"
            ),
            format!("cannot read the file ({reason}); check that it exists and is readable"),
        );
        Inventory {
            display,
            text: "".into(),
            lines: LineIndex::new(""),
            parsed: Err(SyntaxError { offset: 0, message }),
        }
    }

    pub fn value(&self) -> Option<&Value> {
        self.parsed.as_ref().ok()
    }

    pub fn line_col(&self, offset: usize) -> LineCol {
        self.lines.line_col(&self.text, offset)
    }

    /// Spans of the given pointers (see [`spans::locate`]); empty for a file that did not parse.
    pub fn locate<'p>(
        &self,
        pointers: impl IntoIterator<Item = &'p str>,
    ) -> std::collections::BTreeMap<String, Span> {
        match &self.parsed {
            Ok(_) => spans::locate(&self.text, pointers),
            Err(_) => Default::default(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bom_is_ignored_for_parsing_and_columns() {
        let inv = Inventory::from_bytes("a.json".into(), b"\xef\xbb\xbf{\"a\": 1}".to_vec());
        assert!(inv.parsed.is_ok());
        let span = inv.locate(["/a"])["/a"];
        assert_eq!(inv.line_col(span.start), LineCol { line: 1, column: 7 });
    }

    #[test]
    fn non_utf8_is_a_syntax_error_at_the_bad_byte() {
        let inv = Inventory::from_bytes("a.json".into(), b"{\n \"a\": \"\x93\x8c\"}".to_vec());
        let err = inv.parsed.as_ref().unwrap_err();
        assert_eq!(err.offset, 9);
        assert_eq!(inv.line_col(err.offset), LineCol { line: 2, column: 8 });
        assert!(err.message.en.contains("UTF-8"));
    }

    #[test]
    fn top_level_array_parses_and_is_left_to_the_schema() {
        let inv = Inventory::from_text("a.json".into(), "[1]".into());
        assert!(inv.parsed.is_ok());
        assert!(inv.value().is_some_and(serde_json::Value::is_array));
    }
}
