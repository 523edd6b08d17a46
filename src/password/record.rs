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
    let inventory = Inventory::from_bytes(path.display().to_string(), bytes);
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

/// The new text of the inventory, with `accounts[index].password` set to the properties.
pub fn updated_text(
    inventory: &Inventory,
    index: usize,
    properties: &Properties,
) -> Result<String, RecordError> {
    let text: &str = &inventory.text;
    let account = format!("/accounts/{index}");
    let password = format!("{account}/password");
    let rendered = inline(properties);
    let new_text = if let Some(span) = inventory.span_of(&password) {
        format!("{}{rendered}{}", &text[..span.start], &text[span.end..])
    } else {
        let span = inventory.span_of(&account).ok_or_else(|| {
            RecordError::NotJson(Text::new(
                "アカウントの位置がわかりません",
                "cannot locate the account",
            ))
        })?;
        // Insert after the last member: `…"last": x` + `,⏎<indent>"password": {…}`.
        let body = &text[span.start..span.end - 1];
        let last = span.start + body.trim_end().len();
        let indent = member_indent(text, span.start, span.end);
        let insertion = match &indent {
            Some(indent) => format!(",\n{indent}\"password\": {rendered}"),
            None => format!(", \"password\": {rendered}"),
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

/// `{ "length": 12, "letters": true, … }` on one line, as the format's examples write it.
fn inline(properties: &Properties) -> String {
    let value = properties.to_value();
    let members: Vec<String> = value
        .as_object()
        .expect("object")
        .iter()
        .map(|(k, v)| format!("\"{k}\": {v}"))
        .collect();
    // serde_json's map is sorted; keep the format's order instead.
    let order = [
        "length", "letters", "digits", "symbols", "strength", "shared",
    ];
    let mut ordered: Vec<&String> = Vec::new();
    for key in order {
        if let Some(m) = members
            .iter()
            .find(|m| m.starts_with(&format!("\"{key}\"")))
        {
            ordered.push(m);
        }
    }
    format!(
        "{{ {} }}",
        ordered
            .iter()
            .map(|s| s.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    )
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
pub fn write_atomically(path: &Path, had_bom: bool, text: &str) -> Result<(), RecordError> {
    let bom = if had_bom { "\u{feff}" } else { "" };
    crate::atomic::write(path, format!("{bom}{text}").as_bytes())
        .map_err(|e| RecordError::Write(e.kind().to_string()))
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
            "{\n  \"accounts\": [\n    {\n      \"id\": \"a1\",\n      \"name\": \"石田 美咲\",\n      \"password\": { \"length\": 12, \"letters\": true, \"digits\": true, \"symbols\": false, \"strength\": 4, \"shared\": false }\n    }\n  ]\n}\n"
        );
        assert!(!out.contains("hunter22"));
    }

    #[test]
    fn inserts_a_missing_password_with_the_objects_indentation() {
        let text = "{\n  \"accounts\": [\n    {\n      \"id\": \"a1\",\n      \"shared\": false\n    }\n  ]\n}\n";
        let out = update(text, 0);
        assert!(
            out.contains("      \"shared\": false,\n      \"password\": { \"length\": 12"),
            "{out}"
        );
        let inline_text = "{\"accounts\": [{\"id\": \"a1\"}, {\"id\": \"a2\"}]}";
        let out = update(inline_text, 1);
        assert_eq!(
            out,
            "{\"accounts\": [{\"id\": \"a1\"}, {\"id\": \"a2\", \"password\": { \"length\": 12, \"letters\": true, \"digits\": true, \"symbols\": false, \"strength\": 4, \"shared\": false }}]}"
        );
    }

    #[test]
    fn writes_atomically_and_keeps_the_bom() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("inv.json");
        std::fs::write(&path, "\u{feff}{}").unwrap();
        write_atomically(&path, has_bom(&path), "{\"a\": 1}").unwrap();
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
