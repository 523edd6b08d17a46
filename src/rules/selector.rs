//! `each = "/devices/*/apps/*"`: which values of an inventory a rule looks at.

use serde_json::Value;

use crate::inventory::pointer;

/// A pointer in which a `*` token stands for every element of an array (or member of an
/// object). The empty selector is the whole document.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Selector {
    tokens: Vec<Token>,
    /// Written without a leading `/`: relative to the item the condition is evaluated on.
    relative: bool,
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
            return Ok(Selector {
                tokens: vec![],
                relative,
            });
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
        Ok(Selector { tokens, relative })
    }

    /// Written with a leading `/`: the same values for every item.
    pub fn is_absolute(&self) -> bool {
        !self.relative
    }

    /// Every value the selector reaches, with its pointer, in document order.
    pub fn select<'v>(&self, root: &'v Value, base: &str) -> Vec<(String, &'v Value)> {
        let start_ptr = if self.relative {
            base.to_owned()
        } else {
            String::new()
        };
        let Some(start) = pointer::get(root, &start_ptr) else {
            return vec![];
        };
        let mut out = vec![(start_ptr, start)];
        for token in &self.tokens {
            let mut next = Vec::with_capacity(out.len());
            for (ptr, value) in out {
                match (token, value) {
                    (Token::Key(k), Value::Object(map)) => {
                        if let Some(v) = map.get(k) {
                            next.push((pointer::push(&ptr, k), v));
                        }
                    }
                    (Token::Key(k), Value::Array(items)) => {
                        if let Some(v) = k.parse::<usize>().ok().and_then(|i| items.get(i)) {
                            next.push((pointer::push(&ptr, k), v));
                        }
                    }
                    (Token::Any, Value::Array(items)) => {
                        next.extend(items.iter().enumerate().map(|(i, v)| {
                            let mut p = ptr.clone();
                            pointer::push_index(&mut p, i);
                            (p, v)
                        }));
                    }
                    (Token::Any, Value::Object(map)) => {
                        next.extend(map.iter().map(|(k, v)| (pointer::push(&ptr, k), v)));
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
    use serde_json::json;

    #[test]
    fn wildcards_expand_arrays_in_order() {
        let doc =
            json!({ "devices": [ { "apps": ["a", "b"] }, { "apps": [] }, { "apps": ["c"] } ] });
        let sel = Selector::parse("/devices/*/apps/*").unwrap();
        let got: Vec<_> = sel
            .select(&doc, "")
            .into_iter()
            .map(|(p, v)| (p, v.clone()))
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
        let doc = json!({ "accounts": [ { "id": "a1" } ] });
        assert_eq!(Selector::parse("").unwrap().select(&doc, "").len(), 1);
        assert_eq!(
            Selector::parse("accounts/*")
                .unwrap()
                .select(&doc, "")
                .len(),
            1
        );
        assert_eq!(
            Selector::parse("id").unwrap().select(&doc, "/accounts/0")[0].0,
            "/accounts/0/id"
        );
        assert!(
            Selector::parse("/nothing/*")
                .unwrap()
                .select(&doc, "")
                .is_empty()
        );
        assert!(Selector::parse("/a//b").is_err());
    }
}
