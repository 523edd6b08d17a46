//! Paths of rule files (`password/length`, `../../status`, `/facility/approved_apps`),
//! parsed once when the rule is loaded.
//!
//! Conditions and message placeholders read a value at a path of every selected item, so
//! this is the innermost loop of evaluation: a compiled path walks from the item's value
//! (or from its ancestor, or from the root) without building pointer strings.

use crate::inventory::document::Node;

/// A path relative to an item, or absolute when written with a leading `/`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Path {
    absolute: bool,
    /// How many levels to go up from the item before walking `tokens` (leading `..`).
    up: usize,
    /// Reference tokens, unescaped (`~1` is `/`), each with its array index when it is one.
    tokens: Vec<Token>,
}

impl Path {
    /// Parses a path as rule files write it: `/` between tokens, `..` to go up, `.` and
    /// empty tokens ignored, pointer escapes (`~0`, `~1`) inside tokens.
    pub fn parse(text: &str) -> Path {
        let absolute = text.starts_with('/');
        let mut up = 0;
        let mut tokens: Vec<Token> = Vec::new();
        for token in text.split('/') {
            match token {
                "" | "." => {}
                ".." if !absolute => {
                    if tokens.pop().is_none() {
                        up += 1;
                    }
                }
                token => {
                    let unescaped = token.replace("~1", "/").replace("~0", "~");
                    tokens.push(Token {
                        index: array_index(&unescaped),
                        fingerprint: fingerprint(unescaped.as_bytes()),
                        key: unescaped,
                        hint: Hint::default(),
                    });
                }
            }
        }
        Path {
            absolute,
            up,
            tokens,
        }
    }

    /// The item itself.
    pub fn is_empty(&self) -> bool {
        !self.absolute && self.up == 0 && self.tokens.is_empty()
    }

    /// Where the walk starts: the root, the item, or the item's ancestor.
    fn start<'d>(&self, root: Node<'d>, item: Node<'d>) -> Option<Node<'d>> {
        if self.absolute {
            return Some(root);
        }
        (0..self.up).try_fold(item, |node, _| node.parent())
    }

    fn step<'d>(node: Node<'d>, token: &Token) -> Option<Node<'d>> {
        let member = || node.get_hinted(&token.key, token.fingerprint, &token.hint);
        match token.index {
            Some(i) => node.element(i).or_else(member),
            None => member(),
        }
    }

    /// The value at this path of the selected value `item` of the document `root`.
    pub fn lookup<'d>(&self, root: Node<'d>, item: Node<'d>) -> Option<Node<'d>> {
        let start = self.start(root, item)?;
        self.tokens.iter().try_fold(start, Self::step)
    }

    /// The value at this path or, when it is missing, its closest existing ancestor along
    /// the path (a missing `screen_lock` is reported on the device); the item itself when
    /// `..` climbs above the root.
    pub fn nearest<'d>(&self, root: Node<'d>, item: Node<'d>) -> Node<'d> {
        let Some(mut node) = self.start(root, item) else {
            return item;
        };
        for token in &self.tokens {
            match Self::step(node, token) {
                Some(next) => node = next,
                None => break,
            }
        }
        node
    }
}

use crate::inventory::document::{Hint, array_index, fingerprint};

/// One step of a path: a member name (or, when it is one, an array index too), with the
/// name's fingerprint computed once, and where the name was last found in its object.
#[derive(Debug, Clone)]
struct Token {
    key: String,
    index: Option<usize>,
    fingerprint: u64,
    hint: Hint,
}

/// Tokens are equal by what they name: the hint is only a guess.
impl PartialEq for Token {
    fn eq(&self, other: &Token) -> bool {
        self.key == other.key
    }
}

impl Eq for Token {}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::inventory::Document;
    use serde_json::{Value, json};

    fn doc() -> Document {
        let text = json!({
            "facility": { "apps": ["a"] },
            "devices": [ { "id": "d1", "status": "active", "apps": ["x", "y"], "a/b": 1 } ]
        })
        .to_string();
        crate::inventory::parse::parse(text.into()).unwrap().0
    }

    fn at(doc: &Document, item: &str, path: &str) -> Option<Value> {
        let item = doc.pointer(item).unwrap();
        Path::parse(path)
            .lookup(doc.root(), item)
            .map(|n| n.to_value())
    }

    #[test]
    fn relative_paths_walk_from_the_item() {
        let doc = doc();
        let get = |p: &str| at(&doc, "/devices/0", p);
        assert_eq!(get("id"), Some(json!("d1")));
        assert_eq!(get("apps/1"), Some(json!("y")));
        assert_eq!(get("a~1b"), Some(json!(1)));
        assert_eq!(get(""), Some(doc.pointer("/devices/0").unwrap().to_value()));
        assert_eq!(get("missing/x"), None);
        assert_eq!(get("apps/01"), None);
    }

    #[test]
    fn parents_and_absolute_paths() {
        let doc = doc();
        let get = |p: &str| at(&doc, "/devices/0/apps/1", p);
        assert_eq!(get("../../status"), Some(json!("active")));
        assert_eq!(get("/facility/apps/0"), Some(json!("a")));
        assert_eq!(get("../../../../../x"), None);
        assert_eq!(get("x/../../0"), Some(json!("x")));
    }

    #[test]
    fn nearest_stops_at_the_last_existing_value() {
        let doc = doc();
        let nearest = |item: &str, p: &str| {
            Path::parse(p)
                .nearest(doc.root(), doc.pointer(item).unwrap())
                .pointer()
        };
        assert_eq!(nearest("/devices/0", "screen_lock/minutes"), "/devices/0");
        assert_eq!(nearest("/devices/0", "apps/1"), "/devices/0/apps/1");
        assert_eq!(nearest("/devices/0/apps/1", "../../id"), "/devices/0/id");
        assert_eq!(nearest("/devices/0", "/facility/x"), "/facility");
        assert_eq!(nearest("/devices/0", "a~1b"), "/devices/0/a~1b");
        assert_eq!(nearest("/devices/0", "../../.."), "/devices/0");
    }
}
