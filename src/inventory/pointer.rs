//! RFC 6901 JSON Pointer helpers. Pointers are kept as their string form everywhere,
//! because that is what every output prints and what exceptions' `target` holds.

/// Escapes one reference token (`~` → `~0`, `/` → `~1`).
pub fn escape_token(token: &str) -> std::borrow::Cow<'_, str> {
    if token.contains(['~', '/']) {
        token.replace('~', "~0").replace('/', "~1").into()
    } else {
        token.into()
    }
}

/// Appends one reference token to a pointer.
pub fn push(pointer: &str, token: &str) -> String {
    let token = escape_token(token);
    let mut out = String::with_capacity(pointer.len() + 1 + token.len());
    out.push_str(pointer);
    out.push('/');
    out.push_str(&token);
    out
}

/// Appends an array index as a reference token, without allocating (this runs for
/// every element the span scanner and the selectors pass).
pub fn push_index(pointer: &mut String, index: usize) {
    use std::fmt::Write;
    let _ = write!(pointer, "/{index}");
}

/// The parent pointer, or `None` for the root.
pub fn parent(pointer: &str) -> Option<&str> {
    pointer.rfind('/').map(|i| &pointer[..i])
}

/// True when `pointer` is `ancestor` itself or lies under it (token boundaries respected:
/// `/devices/1` is not under `/devices/10`... nor is `/devices/10` under `/devices/1`).
pub fn is_at_or_under(pointer: &str, ancestor: &str) -> bool {
    match pointer.strip_prefix(ancestor) {
        Some(rest) => rest.is_empty() || rest.starts_with('/'),
        None => false,
    }
}

/// Whether a string is a syntactically valid JSON Pointer.
pub fn is_valid(pointer: &str) -> bool {
    if pointer.is_empty() {
        return true;
    }
    if !pointer.starts_with('/') {
        return false;
    }
    let mut chars = pointer.chars();
    while let Some(c) = chars.next() {
        if c == '~' && !matches!(chars.next(), Some('0' | '1')) {
            return false;
        }
    }
    true
}

/// The value at a pointer, like `Value::pointer`, without allocating for tokens that need
/// no unescaping (the hot path of rule evaluation).
pub fn get<'v>(root: &'v serde_json::Value, pointer: &str) -> Option<&'v serde_json::Value> {
    if pointer.is_empty() {
        return Some(root);
    }
    let rest = pointer.strip_prefix('/')?;
    rest.split('/').try_fold(root, |value, token| {
        let token: std::borrow::Cow<str> = if token.contains('~') {
            token.replace("~1", "/").replace("~0", "~").into()
        } else {
            token.into()
        };
        match value {
            serde_json::Value::Object(map) => map.get(token.as_ref()),
            serde_json::Value::Array(items) => {
                // RFC 6901: no leading zeros, no sign.
                if token.len() > 1 && token.starts_with('0') {
                    return None;
                }
                token.parse::<usize>().ok().and_then(|i| items.get(i))
            }
            _ => None,
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefix_respects_token_boundaries() {
        assert!(is_at_or_under("/devices/1", "/devices/1"));
        assert!(is_at_or_under("/devices/1/apps/0", "/devices/1"));
        assert!(!is_at_or_under("/devices/10", "/devices/1"));
        assert!(is_at_or_under("/devices/10", ""));
        assert!(!is_at_or_under("/devices", "/devices/1"));
    }

    #[test]
    fn escaping_round_trips() {
        assert_eq!(push("/a", "b/c~d"), "/a/b~1c~0d");
        assert_eq!(push("", "x"), "/x");
    }

    #[test]
    fn get_agrees_with_serde_json() {
        let doc = serde_json::json!({ "a/b": { "c~d": [10, 20] }, "": 1, "x": [0] });
        for p in [
            "",
            "/a~1b",
            "/a~1b/c~0d",
            "/a~1b/c~0d/1",
            "/a~1b/c~0d/2",
            "/",
            "/x/00",
            "/x/0",
            "nope",
            "/x/-1",
        ] {
            assert_eq!(get(&doc, p), doc.pointer(p), "{p}");
        }
    }

    #[test]
    fn parents() {
        assert_eq!(parent("/a/b"), Some("/a"));
        assert_eq!(parent("/a"), Some(""));
        assert_eq!(parent(""), None);
    }

    #[test]
    fn indexes_are_appended_as_tokens() {
        let mut p = "/devices".to_owned();
        push_index(&mut p, 12);
        assert_eq!(p, "/devices/12");
    }

    #[test]
    fn validity() {
        assert!(is_valid(""));
        assert!(is_valid("/devices/0"));
        assert!(is_valid("/a~0b~1c"));
        assert!(!is_valid("devices/0"));
        assert!(!is_valid("/a~2"));
        assert!(!is_valid("/a~"));
    }
}
