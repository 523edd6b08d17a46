//! `each = "/devices/*/apps/*"`: which values of an inventory a rule looks at.

use crate::inventory::document::{Kind, Node};

/// A pointer in which a `*` token stands for every element of an array (or member of an
/// object). The empty selector is the whole document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Selector {
    tokens: Vec<Token>,
    /// Written without a leading `/`: relative to the item the condition is evaluated on.
    relative: bool,
    /// A hash of the tokens and `relative`, computed once: selections are remembered per
    /// document by selector, and looked up for every item some conditions test.
    digest: u64,
}

impl std::hash::Hash for Selector {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        state.write_u64(self.digest);
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Token {
    Key(String),
    Any,
}

impl Selector {
    pub fn parse(text: &str) -> Result<Selector, String> {
        let relative = !text.is_empty() && !text.starts_with('/');
        let body = text.strip_prefix('/').unwrap_or(text);
        if body.is_empty() {
            return Ok(Selector::new(vec![], relative));
        }
        let tokens = body
            .split('/')
            .map(|t| match t {
                "*" => Ok(Token::Any),
                "" => Err(format!("empty token in selector `{text}`")),
                ".." => Err(format!("`..` is not allowed in selector `{text}`")),
                t => Ok(Token::Key(t.replace("~1", "/").replace("~0", "~"))),
            })
            .collect::<Result<_, _>>()?;
        Ok(Selector::new(tokens, relative))
    }

    fn new(tokens: Vec<Token>, relative: bool) -> Selector {
        use std::hash::{Hash, Hasher};
        let mut h = std::hash::DefaultHasher::new();
        (&tokens, relative).hash(&mut h);
        Selector {
            tokens,
            relative,
            digest: h.finish(),
        }
    }

    /// Written with a leading `/`: the same values for every item.
    pub fn is_absolute(&self) -> bool {
        !self.relative
    }

    /// Every value the selector reaches, in document order; a relative selector starts at
    /// `base`.
    pub fn select<'d>(&self, root: Node<'d>, base: Node<'d>) -> Vec<Node<'d>> {
        let mut out = vec![if self.relative { base } else { root }];
        for token in &self.tokens {
            let mut next = Vec::with_capacity(out.len());
            for node in out {
                match (token, node.kind()) {
                    (Token::Key(k), _) => next.extend(node.child(k)),
                    (Token::Any, Kind::Array(items)) => next.extend(items.iter()),
                    (Token::Any, Kind::Object(members)) => {
                        next.extend(members.iter().map(|(_, v)| v))
                    }
                    _ => {}
                }
            }
            out = next;
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::inventory::Document;
    use serde_json::json;

    fn doc(value: serde_json::Value) -> Document {
        crate::inventory::parse::parse(value.to_string().into())
            .unwrap()
            .0
    }

    fn pointers(doc: &Document, selector: &str, base: &str) -> Vec<String> {
        Selector::parse(selector)
            .unwrap()
            .select(doc.root(), doc.pointer(base).unwrap())
            .into_iter()
            .map(|n| n.pointer())
            .collect()
    }

    #[test]
    fn wildcards_expand_arrays_in_order() {
        let doc = doc(
            json!({ "devices": [ { "apps": ["a", "b"] }, { "apps": [] }, { "apps": ["c"] } ] }),
        );
        let sel = Selector::parse("/devices/*/apps/*").unwrap();
        let got: Vec<_> = sel
            .select(doc.root(), doc.root())
            .into_iter()
            .map(|n| (n.pointer(), n.to_value()))
            .collect();
        assert_eq!(
            got,
            vec![
                ("/devices/0/apps/0".to_owned(), json!("a")),
                ("/devices/0/apps/1".to_owned(), json!("b")),
                ("/devices/2/apps/0".to_owned(), json!("c")),
            ]
        );
    }

    #[test]
    fn root_relative_and_missing() {
        let doc = doc(json!({ "accounts": [ { "id": "a1" } ] }));
        assert_eq!(pointers(&doc, "", ""), [""]);
        assert_eq!(pointers(&doc, "accounts/*", ""), ["/accounts/0"]);
        assert_eq!(pointers(&doc, "id", "/accounts/0"), ["/accounts/0/id"]);
        assert!(pointers(&doc, "/nothing/*", "").is_empty());
        assert!(Selector::parse("/a//b").is_err());
    }
}
