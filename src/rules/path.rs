//! Paths of rule files (`password/length`, `../../status`, `/facility/approved_apps`),
//! parsed once when the rule is loaded.
//!
//! Conditions and message placeholders read a value at a path of every selected item, so
//! this is the innermost loop of evaluation: a compiled path walks from the item's value
//! (or from its ancestor, or from the root) without building pointer strings.

use serde_json::Value;

use crate::inventory::pointer;

/// A path relative to an item, or absolute when written with a leading `/`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Path {
    absolute: bool,
    /// How many levels to go up from the item before walking `tokens` (leading `..`).
    up: usize,
    /// Reference tokens, unescaped (`~1` is `/`), each with its array index when it is one.
    tokens: Vec<(String, Option<usize>)>,
}

impl Path {
    /// Parses a path as rule files write it: `/` between tokens, `..` to go up, `.` and
    /// empty tokens ignored, pointer escapes (`~0`, `~1`) inside tokens.
    pub fn parse(text: &str) -> Path {
        let absolute = text.starts_with('/');
        let mut up = 0;
        let mut tokens: Vec<(String, Option<usize>)> = Vec::new();
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
                    let index = array_index(&unescaped);
                    tokens.push((unescaped, index));
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

    /// The value at this path of the item `value` at pointer `item` of `root`.
    pub fn lookup<'v>(&self, root: &'v Value, item: &str, value: &'v Value) -> Option<&'v Value> {
        let start = if self.absolute {
            root
        } else if self.up == 0 {
            value
        } else {
            let mut ancestor = item;
            for _ in 0..self.up {
                ancestor = pointer::parent(ancestor)?;
            }
            pointer::get(root, ancestor)?
        };
        self.tokens
            .iter()
            .try_fold(start, |v, (key, index)| match v {
                Value::Object(map) => map.get(key),
                Value::Array(items) => index.and_then(|i| items.get(i)),
                _ => None,
            })
    }

    /// The pointer this path names for the item at `item`; `None` when `..` climbs above
    /// the root.
    pub fn resolve(&self, item: &str) -> Option<String> {
        let mut out = if self.absolute {
            String::new()
        } else {
            let mut base = item;
            for _ in 0..self.up {
                base = pointer::parent(base)?;
            }
            base.to_owned()
        };
        for (token, _) in &self.tokens {
            out.push('/');
            out.push_str(&pointer::escape_token(token));
        }
        Some(out)
    }
}

/// RFC 6901 array index: digits without a leading zero.
fn array_index(token: &str) -> Option<usize> {
    if token.len() > 1 && token.starts_with('0') {
        return None;
    }
    token.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn doc() -> Value {
        json!({
            "facility": { "apps": ["a"] },
            "devices": [ { "id": "d1", "status": "active", "apps": ["x", "y"], "a/b": 1 } ]
        })
    }

    #[test]
    fn relative_paths_walk_from_the_item() {
        let root = doc();
        let item = &root["devices"][0];
        let get = |p: &str| Path::parse(p).lookup(&root, "/devices/0", item).cloned();
        assert_eq!(get("id"), Some(json!("d1")));
        assert_eq!(get("apps/1"), Some(json!("y")));
        assert_eq!(get("a~1b"), Some(json!(1)));
        assert_eq!(get(""), Some(item.clone()));
        assert_eq!(get("missing/x"), None);
        assert_eq!(get("apps/01"), None);
    }

    #[test]
    fn parents_and_absolute_paths() {
        let root = doc();
        let app = &root["devices"][0]["apps"][1];
        let get = |p: &str| {
            Path::parse(p)
                .lookup(&root, "/devices/0/apps/1", app)
                .cloned()
        };
        assert_eq!(get("../../status"), Some(json!("active")));
        assert_eq!(get("/facility/apps/0"), Some(json!("a")));
        assert_eq!(get("../../../../../x"), None);
        assert_eq!(get("x/../../0"), Some(json!("x")));
    }

    #[test]
    fn resolves_to_pointers() {
        assert_eq!(
            Path::parse("../../id").resolve("/devices/0/apps/1"),
            Some("/devices/0/id".to_owned())
        );
        assert_eq!(
            Path::parse("password/length").resolve("/accounts/2"),
            Some("/accounts/2/password/length".to_owned())
        );
        assert_eq!(
            Path::parse("a~1b").resolve("/x"),
            Some("/x/a~1b".to_owned())
        );
        assert_eq!(
            Path::parse("/facility").resolve("/x"),
            Some("/facility".into())
        );
        assert_eq!(Path::parse("").resolve("/x"), Some("/x".into()));
        assert_eq!(Path::parse("../..").resolve("/x"), None);
    }

    /// Reading from the item and reading at the resolved pointer are the same value.
    #[test]
    fn lookup_agrees_with_resolve() {
        let root = doc();
        for (item, path) in [
            ("/devices/0/apps/1", "../../status"),
            ("/devices/0", "apps/0"),
            ("/devices/0", "a~1b"),
            ("/devices/0", "/facility/apps"),
            ("/devices/0/apps/0", ".."),
            ("/devices/0", "missing"),
        ] {
            let value = pointer::get(&root, item).unwrap();
            let path = Path::parse(path);
            let at_pointer = path.resolve(item).and_then(|p| pointer::get(&root, &p));
            assert_eq!(path.lookup(&root, item, value), at_pointer, "{path:?}");
        }
    }
}
