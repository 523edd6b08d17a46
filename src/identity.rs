//! A finding's identity: its facility, its rule, and its place named by item ids rather
//! than array indexes (`devices[id=d4]/antivirus`), so that reordering or extending a
//! file does not change which finding is which.
//!
//! This is the one definition every output uses: SARIF's `partialFingerprints`, the
//! audit's comparison with the previous round (new / fixed / persisting), the letters.
//!
//! # The place
//!
//! The finding's JSON Pointer, without its leading `/`, with each array index replaced:
//!
//! - an element that is an object with an `id` string no other element of its array has
//!   is named `[id=ID]` (`accounts[id=a3]/password`);
//! - any other element keeps its index, `[N]` (`devices[id=d1]/apps[2]`);
//! - past what exists in the document, the rest of the pointer is kept as written.
//!
//! In an id, `~` `/` and `]` are written `~0` `~1` and `~2`, so that a place can be read
//! back unambiguously. A finding about a workbook cell the JSON cannot point at (an
//! unknown column, text in a number cell) adds its cell (`@端末!F12`): two such cells of
//! one row are two findings.

use foldhash::{HashMap, HashMapExt};
use std::cell::RefCell;

use crate::inventory::document::{Array, Document, Kind, Node};
use crate::inventory::pointer;

/// What makes two findings the same finding, in one round or across rounds.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Key {
    /// `facility.id`, else the file's path.
    pub facility: String,
    pub rule: String,
    /// The place named by item ids (see the module's documentation).
    pub place: String,
}

impl Key {
    /// The identity of a finding of a finished report.
    pub fn of(file: &crate::engine::FileReport, located: &crate::engine::Located) -> Key {
        let mut place = located.place.clone();
        if located.finding.cell.is_some()
            && let Some(cell) = file.cell(located)
        {
            place.push('@');
            place.push_str(&cell);
        }
        Key {
            facility: file
                .facility
                .clone()
                .unwrap_or_else(|| file.display.clone()),
            rule: located.finding.rule.clone(),
            place,
        }
    }
}

/// Names places of one document, counting the ids of each array once however many
/// findings it holds.
pub struct Places<'d> {
    document: Option<&'d Document>,
    /// For each array already met (by its value number): how many elements have each `id`.
    ids: RefCell<HashMap<u32, HashMap<&'d str, usize>>>,
}

impl<'d> Places<'d> {
    /// `None`: a file that did not parse, whose places are its pointers as written.
    pub fn new(document: Option<&'d Document>) -> Places<'d> {
        Places {
            document,
            ids: RefCell::default(),
        }
    }

    /// The place of `at`, a JSON Pointer into the document.
    pub fn name(&self, at: &str) -> String {
        let tokens: Vec<&str> = at.split('/').skip(1).collect();
        let Some(document) = self.document else {
            return as_written(&tokens);
        };
        let mut value = document.root();
        let mut out = String::with_capacity(at.len() + 8);
        for (n, token) in tokens.iter().enumerate() {
            let next = match value.kind() {
                Kind::Array(items) => {
                    let item = token.parse::<usize>().ok().and_then(|i| items.get(i));
                    match item.and_then(|v| self.unique_id(value, items, v)) {
                        Some(id) => {
                            out.push_str("[id=");
                            out.push_str(&escape_id(id));
                            out.push(']');
                        }
                        None => {
                            out.push('[');
                            out.push_str(token);
                            out.push(']');
                        }
                    }
                    item
                }
                Kind::Object(members) => {
                    separate(&mut out);
                    out.push_str(token);
                    members.get(&unescaped(token))
                }
                _ => None,
            };
            match next {
                Some(v) => value = v,
                None => {
                    // Past what exists: the rest as written.
                    let container = matches!(value.kind(), Kind::Array(_) | Kind::Object(_));
                    for token in &tokens[n + usize::from(container)..] {
                        separate(&mut out);
                        out.push_str(token);
                    }
                    return out;
                }
            }
        }
        out
    }

    /// The element's `id`, when no other element of its array has the same one.
    fn unique_id(&self, array: Node<'d>, items: Array<'d>, item: Node<'d>) -> Option<&'d str> {
        let id = item.get("id")?.as_str()?;
        let mut ids = self.ids.borrow_mut();
        let counts = ids.entry(array.id()).or_insert_with(|| {
            let mut counts = HashMap::new();
            for id in items.iter().filter_map(|v| v.get("id")?.as_str()) {
                *counts.entry(id).or_insert(0) += 1;
            }
            counts
        });
        (counts.get(id) == Some(&1) && !id.is_empty()).then_some(id)
    }
}

/// A reference token as the member name it stands for.
fn unescaped(token: &str) -> std::borrow::Cow<'_, str> {
    match token.contains('~') {
        true => pointer::unescape_token(token).into(),
        false => token.into(),
    }
}

fn separate(out: &mut String) {
    if !out.is_empty() {
        out.push('/');
    }
}

/// A pointer's tokens joined by `/`, numbers as `[N]`: the place in a file that has no
/// parsed document.
fn as_written(tokens: &[&str]) -> String {
    let mut out = String::new();
    for token in tokens {
        if !token.is_empty() && token.bytes().all(|b| b.is_ascii_digit()) && !out.is_empty() {
            out.push('[');
            out.push_str(token);
            out.push(']');
        } else {
            separate(&mut out);
            out.push_str(token);
        }
    }
    out
}

fn escape_id(id: &str) -> std::borrow::Cow<'_, str> {
    if id.contains(['~', '/', ']']) {
        id.replace('~', "~0")
            .replace('/', "~1")
            .replace(']', "~2")
            .into()
    } else {
        id.into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::inventory::parse;

    fn places(text: &str, pointers: &[&str]) -> Vec<String> {
        let (document, _) = parse::parse(std::sync::Arc::new(text.into())).unwrap();
        let places = Places::new(Some(&document));
        pointers.iter().map(|p| places.name(p)).collect()
    }

    #[test]
    fn items_are_named_by_their_ids() {
        let text = r#"{"devices": [{"id": "d1", "apps": ["a", "b"]}, {"id": "d4"},
                       {"id": "x"}, {"id": "x"}, {"no": 1}, {"id": "a/]~"}],
                       "facility": {"id": "F1"}}"#;
        assert_eq!(
            places(
                text,
                &[
                    "/devices/1/antivirus",
                    "/devices/0/apps/1",
                    "/devices/2",
                    "/devices/4/screen_lock/enabled",
                    "/devices/5",
                    "/facility",
                    "",
                    "/devices/9/x",
                ]
            ),
            [
                "devices[id=d4]/antivirus",
                "devices[id=d1]/apps[1]",
                "devices[2]",
                "devices[4]/screen_lock/enabled",
                "devices[id=a~1~2~0]",
                "facility",
                "",
                "devices[9]/x",
            ]
        );
    }

    #[test]
    fn reordering_keeps_places() {
        let a = r#"{"devices": [{"id": "d1"}, {"id": "d4", "antivirus": {}}]}"#;
        let b = r#"{"devices": [{"id": "d4", "antivirus": {}}, {"id": "d9"}, {"id": "d1"}]}"#;
        assert_eq!(
            places(a, &["/devices/1/antivirus"]),
            places(b, &["/devices/0/antivirus"])
        );
    }

    #[test]
    fn without_a_document() {
        let places = Places::new(None);
        assert_eq!(places.name("/devices/3/antivirus"), "devices[3]/antivirus");
        assert_eq!(places.name(""), "");
    }
}
