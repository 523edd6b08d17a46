//! `--record`: writes a password's properties into one account of an inventory, keeping
//! the rest of the file byte for byte (key order, indentation, Japanese text), and
//! atomically: a crash never leaves a half-written inventory.

use std::path::Path;

use serde_json::Value;

use super::Properties;
use crate::inventory::{Inventory, Node};
use crate::lang::Text;

#[derive(Debug)]
pub enum RecordError {
    Unreadable(String),
    NotJson(Text),
    NoAccount { id: String, known: Vec<String> },
    Write(String),
}

impl RecordError {
    pub fn message(&self) -> Text {
        match self {
            RecordError::Unreadable(e) => Text::new(
                format!("台帳を読めません（{e}）"),
                format!("cannot read the inventory ({e})"),
            ),
            RecordError::NotJson(t) => t.clone(),
            RecordError::NoAccount { id, known } => Text::new(
                format!(
                    "アカウント「{id}」は台帳にありません（あるのは: {}）",
                    known.join(", ")
                ),
                format!(
                    "there is no account `{id}` in the inventory (accounts: {})",
                    known.join(", ")
                ),
            ),
            RecordError::Write(e) => Text::new(
                format!("台帳を書き込めません（{e}）"),
                format!("cannot write the inventory ({e})"),
            ),
        }
    }
}

/// The inventory and the index of the account with this id.
pub fn find_account(path: &Path, id: &str) -> Result<(Inventory, usize), RecordError> {
    let bytes = std::fs::read(path).map_err(|e| RecordError::Unreadable(e.kind().to_string()))?;
    let inventory = if crate::workbook::is_workbook(path) {
        let inventory = Inventory::from_workbook(
            path.display().to_string(),
            &bytes,
            crate::inventory::walk::DEFAULT_MAX_FILE_SIZE,
        );
        // A workbook is written anew from its inventory: what it holds beyond it (an
        // unknown column, an unreadable cell) would be lost, so it is fixed first.
        if let Some(note) = inventory.workbook.as_ref().and_then(|w| w.notes.first()) {
            let w = inventory.workbook.as_ref().expect("a workbook");
            let cell = w.reference(&note.cell);
            return Err(RecordError::NotJson(Text::new(
                format!(
                    "ブックの {cell} を先に直してください（{}）。記録するとブックは台帳の内容から作り直されるため、このセルの内容が失われます",
                    note.message.ja
                ),
                format!(
                    "fix {cell} of the workbook first ({}): recording writes the workbook anew from its inventory, which would lose this cell",
                    note.message.en
                ),
            )));
        }
        inventory
    } else {
        Inventory::from_bytes(path.display().to_string(), bytes)
    };
    let doc = match &inventory.parsed {
        Ok(doc) => doc,
        Err(e) => {
            let at = inventory.line_col(e.offset);
            return Err(RecordError::NotJson(
                e.message
                    .map(|m| format!("{m} ({}:{})", at.line, at.column)),
            ));
        }
    };
    let ids: Vec<Option<&str>> = doc
        .root()
        .get("accounts")
        .and_then(Node::as_array)
        .map(|accounts| {
            accounts
                .iter()
                .map(|a| a.get("id").and_then(Node::as_str))
                .collect()
        })
        .unwrap_or_default();
    match ids.iter().position(|a| *a == Some(id)) {
        Some(i) => Ok((inventory, i)),
        None => Err(RecordError::NoAccount {
            id: id.to_owned(),
            known: ids.iter().flatten().map(|s| (*s).to_owned()).collect(),
        }),
    }
}

/// The new text of the inventory, with `accounts[index].password` set to the properties,
/// written in the file's style: a multi-line object with the file's indentation (tabs, two
/// or four spaces) and line ends where the file writes objects over several lines, one line
/// where it writes them on one.
/// The file with the properties recorded: a JSON inventory edited in place
/// ([`updated_text`]), a workbook written anew from its inventory, in the language of its
/// sheets.
pub fn updated_bytes(
    inventory: &Inventory,
    index: usize,
    properties: &Properties,
    had_bom: bool,
) -> Result<Vec<u8>, RecordError> {
    let Some(workbook) = &inventory.workbook else {
        let bom = if had_bom { "\u{feff}" } else { "" };
        return Ok(format!("{bom}{}", updated_text(inventory, index, properties)?).into_bytes());
    };
    let mut value = inventory
        .document()
        .map(|d| d.root().to_value())
        .ok_or_else(|| {
            RecordError::NotJson(Text::new(
                "ブックを台帳として読めません",
                "the workbook cannot be read as an inventory",
            ))
        })?;
    let account = value
        .pointer_mut(&format!("/accounts/{index}"))
        .and_then(serde_json::Value::as_object_mut)
        .ok_or_else(|| {
            RecordError::NotJson(Text::new(
                format!("アカウント（{}番目）が台帳にありません", index + 1),
                format!("the inventory has no account number {}", index + 1),
            ))
        })?;
    account.insert("password".into(), properties.to_value());
    let lang = workbook.lang();
    crate::workbook::write::xlsx(&value, crate::workbook::layout::Layout::get(), lang)
        .map_err(|e| RecordError::Write(e.to_string()))
}

pub fn updated_text(
    inventory: &Inventory,
    index: usize,
    properties: &Properties,
) -> Result<String, RecordError> {
    let text: &str = &inventory.text;
    let nl = if text.contains("\r\n") { "\r\n" } else { "\n" };
    let account = format!("/accounts/{index}");
    let password = format!("{account}/password");
    let members = members(properties);
    let span = inventory.span_of(&account).ok_or_else(|| {
        RecordError::NotJson(Text::new(
            "アカウントの位置がわかりません",
            "cannot locate the account",
        ))
    })?;
    let account_indent = member_indent(text, span.start, span.end);
    // Members of a new password object: one level deeper than the account's members.
    let nested = |indent: &str| {
        let unit = indent
            .strip_prefix(line_indent(text, span.start))
            .filter(|u| !u.is_empty())
            .map(str::to_owned)
            .unwrap_or_else(|| indent_unit(text));
        format!("{indent}{unit}")
    };
    let multi_line = account_indent.is_some() && !siblings_inline(inventory, index);
    let new_text = if let Some(old) = inventory.span_of(&password) {
        let old_text = &text[old.start..old.end];
        let rendered = if old_text.starts_with('{') && old_text.contains('\n') {
            // Keep the old object's own indentation.
            let inner = member_indent(text, old.start, old.end);
            let close = line_indent(text, old.end - 1);
            let key = line_indent(text, old.key_start.unwrap_or(old.start));
            let inner = inner.unwrap_or_else(|| nested(key));
            block(&members, &inner, close, nl)
        } else if old_text.starts_with('{') || !multi_line {
            inline(&members)
        } else {
            let key = line_indent(text, old.key_start.unwrap_or(old.start));
            block(&members, &nested(key), key, nl)
        };
        format!("{}{rendered}{}", &text[..old.start], &text[old.end..])
    } else {
        // Insert after the last member: `…"last": x` + `,⏎<indent>"password": {…}`.
        let body = &text[span.start..span.end - 1];
        let last = span.start + body.trim_end().len();
        let insertion = match &account_indent {
            Some(indent) if multi_line => format!(
                ",{nl}{indent}\"password\": {}",
                block(&members, &nested(indent), indent, nl)
            ),
            Some(indent) => format!(",{nl}{indent}\"password\": {}", inline(&members)),
            None => format!(", \"password\": {}", inline(&members)),
        };
        let empty_object = body.trim_end().ends_with('{');
        let insertion = if empty_object {
            insertion.trim_start_matches(',').to_owned()
        } else {
            insertion
        };
        format!("{}{insertion}{}", &text[..last], &text[last..])
    };
    // Never write something that does not say exactly what we mean.
    let mut expected = inventory
        .document()
        .map(|d| d.root().to_value())
        .unwrap_or_default();
    expected["accounts"][index]["password"] = properties.to_value();
    match serde_json::from_str::<Value>(&new_text) {
        Ok(v) if v == expected => Ok(new_text),
        _ => Err(RecordError::Write(
            "the edited file did not check out; nothing was written".into(),
        )),
    }
}

/// `"length": 12`, … in the format's order (serde_json's map is sorted).
fn members(properties: &Properties) -> Vec<String> {
    let value = properties.to_value();
    let object = value.as_object().expect("object");
    [
        "length", "letters", "digits", "symbols", "strength", "shared", "changed",
    ]
    .iter()
    .filter_map(|key| object.get(*key).map(|v| format!("\"{key}\": {v}")))
    .collect()
}

/// `{ "length": 12, "letters": true, … }` on one line, as the format's examples write it.
fn inline(members: &[String]) -> String {
    format!("{{ {} }}", members.join(", "))
}

/// The object over several lines: members at `inner`, the closing brace at `close`.
fn block(members: &[String], inner: &str, close: &str, nl: &str) -> String {
    let lines: Vec<String> = members.iter().map(|m| format!("{inner}{m}")).collect();
    format!("{{{nl}{}{nl}{close}}}", lines.join(&format!(",{nl}")))
}

/// Whether the other accounts' password objects are written on one line (a file recorded
/// that way keeps its style); `false` when none is.
fn siblings_inline(inventory: &Inventory, index: usize) -> bool {
    (0..)
        .map(|i| (i, inventory.span_of(&format!("/accounts/{i}"))))
        .take_while(|(_, s)| s.is_some())
        .filter(|(i, _)| *i != index)
        .filter_map(|(i, _)| inventory.span_of(&format!("/accounts/{i}/password")))
        .map(|s| &inventory.text[s.start..s.end])
        .find(|t| t.starts_with('{'))
        .is_some_and(|t| !t.contains('\n'))
}

/// The spaces and tabs that start the line holding `offset`.
fn line_indent(text: &str, offset: usize) -> &str {
    let start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    let line = &text[start..];
    let len = line.len() - line.trim_start_matches([' ', '\t']).len();
    &line[..len]
}

/// One level of the file's indentation: that of its first indented line (two spaces when
/// nothing is indented).
fn indent_unit(text: &str) -> String {
    text.lines()
        .map(|l| &l[..l.len() - l.trim_start_matches([' ', '\t']).len()])
        .find(|i| !i.is_empty())
        .unwrap_or("  ")
        .to_owned()
}

/// The indentation of the object's members when they sit on their own lines.
fn member_indent(text: &str, start: usize, end: usize) -> Option<String> {
    let body = &text[start + 1..end - 1];
    let line = body
        .lines()
        .skip(1)
        .find(|l| !l.trim().is_empty() && l.trim() != "}")?;
    let indent: String = line
        .chars()
        .take_while(|c| *c == ' ' || *c == '\t')
        .collect();
    Some(indent)
}

/// Writes through a temporary file in the same folder, then renames it over the original.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> Result<(), RecordError> {
    crate::atomic::write(path, bytes).map_err(|e| RecordError::Write(e.kind().to_string()))
}

pub fn has_bom(path: &Path) -> bool {
    std::fs::read(path).is_ok_and(|b| b.starts_with("\u{feff}".as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn props() -> Properties {
        Properties {
            length: 12,
            letters: true,
            digits: true,
            symbols: false,
            strength: 4,
            shared: false,
            changed: None,
        }
    }

    fn update(text: &str, index: usize) -> String {
        let inv = Inventory::from_text("t.json".into(), text.into());
        updated_text(&inv, index, &props()).unwrap()
    }

    #[test]
    fn replaces_an_existing_password_keeping_everything_else() {
        let text = "{\n  \"accounts\": [\n    {\n      \"id\": \"a1\",\n      \"name\": \"石田 美咲\",\n      \"password\": \"hunter22\"\n    }\n  ]\n}\n";
        let out = update(text, 0);
        assert_eq!(
            out,
            format!(
                "{{\n  \"accounts\": [\n    {{\n      \"id\": \"a1\",\n      \"name\": \"石田 美咲\",\n      \"password\": {}\n    }}\n  ]\n}}\n",
                block_text("        ", "      ", "\n")
            )
        );
        // An object on one line stays on one line.
        let one_line = text.replace("\"hunter22\"", "{ \"length\": 8 }");
        assert!(
            update(&one_line, 0).contains("\"password\": { \"length\": 12, \"letters\": true,")
        );
        assert!(!out.contains("hunter22"));
    }

    const BLOCK: [&str; 6] = [
        "\"length\": 12,",
        "\"letters\": true,",
        "\"digits\": true,",
        "\"symbols\": false,",
        "\"strength\": 4,",
        "\"shared\": false",
    ];

    /// The password object over several lines: members at `inner`, `}` at `close`.
    fn block_text(inner: &str, close: &str, nl: &str) -> String {
        let lines: Vec<String> = BLOCK.iter().map(|m| format!("{inner}{m}")).collect();
        format!("{{{nl}{}{nl}{close}}}", lines.join(nl))
    }

    #[test]
    fn inserts_a_missing_password_with_the_files_indentation() {
        let two = "{\n  \"accounts\": [\n    {\n      \"id\": \"a1\",\n      \"shared\": false\n    }\n  ]\n}\n";
        assert_eq!(
            update(two, 0),
            format!(
                "{{\n  \"accounts\": [\n    {{\n      \"id\": \"a1\",\n      \"shared\": false,\n      \"password\": {}\n    }}\n  ]\n}}\n",
                block_text("        ", "      ", "\n")
            )
        );
        let tabs = "{\n\t\"accounts\": [\n\t\t{\n\t\t\t\"id\": \"a1\"\n\t\t}\n\t]\n}\n";
        assert_eq!(
            update(tabs, 0),
            format!(
                "{{\n\t\"accounts\": [\n\t\t{{\n\t\t\t\"id\": \"a1\",\n\t\t\t\"password\": {}\n\t\t}}\n\t]\n}}\n",
                block_text("\t\t\t\t", "\t\t\t", "\n")
            )
        );
        // Four spaces and Windows line ends.
        let four = "{\r\n    \"accounts\": [\r\n        {\r\n            \"id\": \"a1\"\r\n        }\r\n    ]\r\n}\r\n";
        let out = update(four, 0);
        assert_eq!(
            out,
            format!(
                "{{\r\n    \"accounts\": [\r\n        {{\r\n            \"id\": \"a1\",\r\n            \"password\": {}\r\n        }}\r\n    ]\r\n}}\r\n",
                block_text("                ", "            ", "\r\n")
            )
        );
        assert!(!out.replace("\r\n", "").contains('\n'), "no bare line end");
        // A file written on one line stays on one line.
        let inline_text = "{\"accounts\": [{\"id\": \"a1\"}, {\"id\": \"a2\"}]}";
        let out = update(inline_text, 1);
        assert_eq!(
            out,
            "{\"accounts\": [{\"id\": \"a1\"}, {\"id\": \"a2\", \"password\": { \"length\": 12, \"letters\": true, \"digits\": true, \"symbols\": false, \"strength\": 4, \"shared\": false }}]}"
        );
        // Where the other accounts' passwords are on one line, so is the new one.
        let siblings = "{\n  \"accounts\": [\n    {\n      \"id\": \"a1\",\n      \"password\": { \"length\": 3 }\n    },\n    {\n      \"id\": \"a2\"\n    }\n  ]\n}\n";
        assert!(
            update(siblings, 1)
                .contains("      \"id\": \"a2\",\n      \"password\": { \"length\": 12,")
        );
    }

    #[test]
    fn replaces_a_multi_line_password_in_its_own_indentation() {
        let tabs = "{\n\t\"accounts\": [\n\t\t{\n\t\t\t\"id\": \"a1\",\n\t\t\t\"password\": {\n\t\t\t\t\"length\": 7,\n\t\t\t\t\"strength\": 1\n\t\t\t},\n\t\t\t\"name\": \"x\"\n\t\t}\n\t]\n}\n";
        assert_eq!(
            update(tabs, 0),
            format!(
                "{{\n\t\"accounts\": [\n\t\t{{\n\t\t\t\"id\": \"a1\",\n\t\t\t\"password\": {},\n\t\t\t\"name\": \"x\"\n\t\t}}\n\t]\n}}\n",
                block_text("\t\t\t\t", "\t\t\t", "\n")
            )
        );
        // A password written in clear in a four-space file becomes a four-space object.
        let clear = "{\n    \"accounts\": [\n        {\n            \"id\": \"a1\",\n            \"password\": \"hunter22\"\n        }\n    ]\n}\n";
        let out = update(clear, 0);
        assert_eq!(
            out,
            format!(
                "{{\n    \"accounts\": [\n        {{\n            \"id\": \"a1\",\n            \"password\": {}\n        }}\n    ]\n}}\n",
                block_text("                ", "            ", "\n")
            )
        );
        assert!(!out.contains("hunter22"));
    }

    #[test]
    fn writes_atomically_and_keeps_the_bom() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("inv.json");
        std::fs::write(&path, "\u{feff}{}").unwrap();
        let inv = Inventory::from_bytes("inv.json".into(), std::fs::read(&path).unwrap());
        let bytes = updated_bytes(&inv, 0, &props(), has_bom(&path));
        assert!(bytes.is_err(), "no account to record into");
        write_atomically(&path, "\u{feff}{\"a\": 1}".as_bytes()).unwrap();
        assert_eq!(
            std::fs::read_to_string(&path).unwrap(),
            "\u{feff}{\"a\": 1}"
        );
        assert_eq!(
            std::fs::read_dir(dir.path()).unwrap().count(),
            1,
            "no temporary file is left behind"
        );
    }
}
